# pvh-peers, dom0: peers' own script, with the guests made from
# pvh-smoke's PVH config and told to expect the MSR mechanism (each guest
# checks debugfs argo/mechanism: check_mechanism).
PEERS_CFG=../pvh-smoke/g1.cfg
PEERS_EXTRA=" lab.mech=msr"
. /lab/scenarios/peers/dom0.sh

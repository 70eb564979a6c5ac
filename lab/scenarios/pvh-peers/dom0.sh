# pvh-peers, dom0: peers' own script, with the guests made from
# pvh-smoke's PVH config and told to expect the MSR mechanism (each guest
# checks debugfs argo/mechanism: check_mechanism) and to load argo.ko with
# notify=vector (g2 checks its messages came on the vector: check_notified).
PEERS_CFG=../pvh-smoke/g1.cfg
PEERS_EXTRA=" lab.mech=msr lab.notify=vector"
. /lab/scenarios/peers/dom0.sh

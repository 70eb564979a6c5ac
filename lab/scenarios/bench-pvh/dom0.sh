# bench-pvh, dom0: the bench scenario's steps with PVH guests
# (scenario.conf); the guests run bench's own scripts.
BENCH_CFG=../pvh-smoke/g1.cfg
BENCH_EXTRA="lab.argo_mech=hypercall"
cd /lab/scenarios/bench && . ./dom0.sh

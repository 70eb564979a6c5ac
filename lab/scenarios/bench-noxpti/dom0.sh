# bench-noxpti, dom0: the bench scenario's steps, on Xen booted with
# xpti=false (scenario.conf); the guests run bench's own scripts.
echo "# xen command line: $(xl info | sed -n 's/^xen_commandline *: //p')"
echo "# xpti: $(xl dmesg | grep -i 'XPTI' | head -n 2 | tr '\n' ' ')"
cd /lab/scenarios/bench && . ./dom0.sh

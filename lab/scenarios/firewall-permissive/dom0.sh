# firewall-permissive, dom0: the firewall scenario's steps; every step
# reads the mode from Xen's command line.
cd /lab/scenarios/firewall && . ./dom0.sh

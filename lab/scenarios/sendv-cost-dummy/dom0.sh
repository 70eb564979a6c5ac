# sendv-cost-dummy, dom0: the sendv-cost steps, on Xen without Flask.
cd /lab/scenarios/sendv-cost && . ./dom0.sh

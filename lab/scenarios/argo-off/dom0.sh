# argo-off: loading the core must fail with EOPNOTSUPP and a clear message.
. /lab/lib.sh

out=$(insmod /lib/argo/argo.ko 2>&1) && rc=0 || rc=$?
check insmod_fails_when_argo_off failed "$([ "$rc" -ne 0 ] && echo failed || echo loaded)"
case "$out" in
*"not supported"*) ok insmod_reports_eopnotsupp ;;
*) not_ok insmod_reports_eopnotsupp "expected 'Operation not supported', got '$out'" ;;
esac
msg=$(dmesg | grep -m1 'argo: Xen has Argo disabled')
case "$msg" in
*"boot Xen with argo=1"*) ok kernel_log_names_the_fix ;;
*) not_ok kernel_log_names_the_fix "expected 'Xen has Argo disabled (boot Xen with argo=1)' in dmesg, got '$msg'" ;;
esac
[ -e /dev/argo ] && not_ok no_dev_argo "/dev/argo exists with Argo off" || ok no_dev_argo
tap_done

# argo-off: loading the core must fail with EOPNOTSUPP and a clear message.
. /lab/lib.sh
tap_plan 6

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
# /dev/argo is argo_char.ko's: try it too. It needs the core's symbols, and
# the core refused to load, so the kernel must refuse it for that reason.
out=$(insmod /lib/argo/argo_char.ko 2>&1) && rc=0 || rc=$?
check char_driver_refused_when_argo_off refused "$([ "$rc" -ne 0 ] && echo refused || echo loaded)"
msg=$(dmesg | grep -m1 'argo_char: Unknown symbol argo_')
case "$msg" in
*"Unknown symbol argo_"*) ok char_driver_refused_for_want_of_the_core ;;
*) not_ok char_driver_refused_for_want_of_the_core "expected 'argo_char: Unknown symbol argo_...' in dmesg, got '$msg' (insmod said '$out')" ;;
esac
[ -e /dev/argo ] && not_ok no_dev_argo "/dev/argo exists with Argo off" || ok no_dev_argo
tap_done

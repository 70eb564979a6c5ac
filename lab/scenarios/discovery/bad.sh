# discovery, bad: a hostile guest sends malformed discovery messages
# through its cable; each gets the right error status (or, below the
# header or of another Argo type, no answer), and bad itself is still
# served afterwards.
. /lab/lib.sh
tap_plan 12

load_argo
me=$(my_domid)
lab_wait "$me" go "$GUEST_WAIT_S" > /dev/null
hdr=0202000001001400	# bus request GET_DEVICES, token 1, msg_size 20
rest=0100000000000000	# version 1, reserved, status 0, generation 0
win=00004000		# window 0, 64 devices
send() { argo-discover -t 5 -x "$1" ${2:+-T "$2"} 2>&1 | cut -d' ' -f1-2; }
check valid_request_answered "status 0" "$(send $hdr$rest$win)"
check truncated_payload_length_error "status 3" "$(send $hdr$rest)"
check lying_msg_size_length_error "status 3" "$(send $hdr$rest${win}00000000)"
check wrong_version_error "status 1" "$(send ${hdr}0200000000000000$win)"
check unknown_type_error "status 2" "$(send 023F000001001400$rest$win)"
big=0202000001005802$rest
i=0; while [ $i -lt 584 ]; do big=${big}00; i=$((i + 1)); done
check oversized_length_error "status 3" "$(send $big)"
check shorter_than_header_no_answer "no answer" "$(send 0202)"
check wrong_argo_type_no_answer "no answer" "$(send $hdr$rest$win 1)"
check bad_still_served_with_no_devices "" "$(argo-discover 2>&1)"
lab_signal done
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done

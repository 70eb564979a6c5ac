. /lab/lib.sh
tap_plan 2
check_cmd xl_list xl list
check_cmd xenstore_up xenstore-read domid
tap_done

. /lab/lib.sh
check_cmd xl_list xl list
check_cmd xenstore_up xenstore-read domid
tap_done

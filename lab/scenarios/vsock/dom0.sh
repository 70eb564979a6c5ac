# vsock, dom0: AF_VSOCK over Argo with Debian's socat. dom0 <-> g1 streams
# (g1 reaches dom0 as VMADDR_CID_HOST), seqpacket, g2 -> g1 under g2's
# malformed packets, a listener that never accepts, 64 concurrent
# connections, unloading with a socket open, a peer destroyed mid-stream,
# a service port (0-1023: a ring of its own).
. /lab/lib.sh
. ./vs.inc
tap_plan 22

load_argo
load_vsock
check dom0_is_cid_host "argo_vsock: domain 0 is vsock CID 2, Argo port 5020" \
	"$(dmesg | grep -o 'argo_vsock: domain .*' | tail -n1)"
g1=$(guest_create ../smoke/g1.cfg \
	'extra="console=hvc0 loglevel=4 lab.name=g1 lab.script=vsock/g1.sh"') ||
	{ not_ok create_guests "xl create g1 failed"; tap_done; exit 1; }
g2=$(guest_create ../smoke/g1.cfg 'name="g2"' \
	'extra="console=hvc0 loglevel=4 lab.name=g2 lab.script=vsock/g2.sh"') ||
	{ not_ok create_guests "xl create g2 failed"; xl destroy g1; tap_done; exit 1; }
ok create_guests
c1=$(vs_cid "$g1") c2=$(vs_cid "$g2")
lab_tell "$g1" peer "$g2"
lab_tell "$g2" peer "$g1"
lab_wait "$g1" listening "$GUEST_WAIT_S" > /dev/null
lab_tell "$g2" g1-listening

# dom0 -> g1, then g1 -> dom0 (CID 2), each checksummed end to end.
t0=$(cut -d' ' -f1 /proc/uptime)
if vs_send "$c1" 5000 "$VS_BIG_BYTES" to_g1; then ok dom0_to_guest_stream_sent
else not_ok dom0_to_guest_stream_sent "socat failed"; fi
check dom0_to_guest_checksum "$(cat $T/to_g1.sent)" "$(lab_wait "$g1" sum-dom0 "$GUEST_WAIT_S")"
echo "# dom0 -> g1: $VS_BIG_BYTES bytes in $(awk -v a="$t0" '{ print $1 - a }' /proc/uptime) s"
vs_sink 5001 from_g1
lab_wait "$g2" stall-ready "$GUEST_WAIT_S" > /dev/null
lab_tell "$g1" host-sink-ready
wait_file $T/from_g1.sum "$GUEST_WAIT_S"
check guest_to_host_checksum "$(lab_wait "$g1" sent-host "$GUEST_WAIT_S")" "$(cat $T/from_g1.sum)"
lab_tell "$g2" stall-end

# g2 -> g1 while g2 sends g1 malformed packets (g1 judges the log lines).
lab_wait "$g2" hostile-done "$GUEST_WAIT_S" > /dev/null
lab_tell "$g1" hostile-sent "$(lab_wait "$g2" hostile-sent 5)"
lab_tell "$g1" hostile-done
check guest_to_guest_checksum_under_malformed_packets \
	"$(lab_wait "$g2" sent-g1 "$GUEST_WAIT_S")" "$(lab_wait "$g1" sum-g2 "$GUEST_WAIT_S")"

# Seqpacket: one message (g1 checks it arrived whole).
check_cmd seqpacket_message_sent sh -c \
	"printf 'one seqpacket message' | socat -u STDIN VSOCK-CONNECT:$c1:5003,so-type=5"
lab_tell "$g1" seq-sent

# A service port: g1's sink on vsock port 700 is a ring of its own (Argo
# port 50700); the stream goes there and checksums. Port 701, where
# nothing listens, has no ring: Xen refuses the request at once.
if vs_send "$c1" 700 "$VS_BYTES" to_g1_svc; then
	check service_port_stream_checksum "$(cat $T/to_g1_svc.sent)" \
		"$(lab_wait "$g1" sum-svc "$GUEST_WAIT_S")"
else not_ok service_port_stream_checksum "socat to $c1:700 failed"; fi
out=$(socat -u OPEN:/dev/null "VSOCK-CONNECT:$c1:701" 2>&1)
case "$out" in
*"Connection refused"*) ok service_port_without_listener_refused ;;
*) not_ok service_port_without_listener_refused "expected 'Connection refused', got '$out'" ;;
esac

# A listener that never accepts (stopped, backlog=1): the kernel queues
# two requests, and refuses the rest at once with a reset, never a hang.
resets=0 hung=0
for i in 1 2 3 4; do
	timeout 20 socat -u OPEN:/dev/null "VSOCK-CONNECT:$c1:5005" 2> "$T/bl$i.err"
	rc=$?
	[ $rc = 143 ] || [ $rc = 124 ] && hung=$((hung + 1))
	grep -q 'Connection reset by peer' "$T/bl$i.err" && resets=$((resets + 1))
done
check backlog_full_listener_resets_extra_connects 2 "$resets"
check backlog_full_listener_no_connect_hangs 0 "$hung"
lab_tell "$g1" backlog-done

# 64 connections open at once to g1's echo service: each client holds its
# connection (reading a FIFO that dom0 holds open for writing, opened
# before its line is sent) until all 64 have had their line echoed.
rm -f $T/c*.out $T/hold.fifo
mkfifo $T/hold.fifo
exec 3<> $T/hold.fifo
pids=
for i in $(seq 1 64); do
	( exec 3>&- < $T/hold.fifo; echo "c$i"; cat ) |
		socat - "VSOCK-CONNECT:$c1:5004" > "$T/c$i.out" 2> "$T/c$i.err" 3>&- &
	pids="$pids $!"
done
n=120
while [ "$(cat $T/c*.out 2>/dev/null | wc -l)" -lt 64 ] && [ $n -gt 0 ]; do
	sleep 0.5; n=$((n - 1))
done
check concurrent_64_connections_echoed 64 "$(cat $T/c*.out | grep -c '^c[0-9]*$')"
exec 3>&-
failed=0
for p in $pids; do wait "$p" || failed=$((failed + 1)); done
check concurrent_64_connections_closed_cleanly 0 "$failed"
[ "$failed" = 0 ] || cat $T/c*.err | sort | uniq -c | head -n 5 | sed 's/^/# /'
lab_wait "$g2" doomed-ready "$GUEST_WAIT_S" > /dev/null
lab_tell "$g1" echo-done

# Unloading with a socket open is refused (the socket holds the module);
# once it is closed, the module goes.
# The client reads a FIFO dom0 holds open: closing dom0's end ends it.
rm -f $T/hold2.fifo
mkfifo $T/hold2.fifo
exec 4<> $T/hold2.fifo
socat -d -d -u STDIN "VSOCK-CONNECT:$c1:5006" < $T/hold2.fifo 2> $T/hold.err 4>&- &
hold=$!
n=100
while ! grep -q 'starting data transfer loop' $T/hold.err && [ $n -gt 0 ]; do
	sleep 0.1; n=$((n - 1))
done
if rmmod argo_vsock 2> /dev/null; then
	not_ok unload_refused_with_socket_open "rmmod argo_vsock succeeded"
	insmod /lib/argo/argo_vsock.ko
else ok unload_refused_with_socket_open; fi
exec 4>&-
wait "$hold"
n=30
until rmmod argo_vsock 2> /dev/null; do
	[ $n -gt 0 ] || break
	sleep 0.5; n=$((n - 1))
done
if grep -q '^argo_vsock ' /proc/modules; then
	not_ok unload_after_socket_closed "still loaded 15 s after the socket closed"
else ok unload_after_socket_closed; fi
check_cmd reload_argo_vsock insmod /lib/argo/argo_vsock.ko
lab_tell "$g1" hold-done

# A peer destroyed mid-stream: the sender gets an error, not a hang.
vs_bytes /dev/zero 2000000000 | socat -u STDIN "VSOCK-CONNECT:$c2:5007" 2> $T/doom.err &
doom=$!
sleep 2
xl destroy g2
guest_unrelay g2
n=60
while kill -0 "$doom" 2> /dev/null && [ $n -gt 0 ]; do sleep 0.5; n=$((n - 1)); done
if kill -0 "$doom" 2> /dev/null; then
	not_ok peer_destroyed_midstream_resets_sender "socat still running 30 s after g2 was destroyed"
	kill "$doom"
else
	wait "$doom"; rc=$?
	if [ $rc != 0 ]; then ok peer_destroyed_midstream_resets_sender
	else not_ok peer_destroyed_midstream_resets_sender "socat exited 0: $(cat $T/doom.err)"; fi
	echo "# sender: $(tail -n1 $T/doom.err)"
fi

lab_wait "$g1" done "$GUEST_WAIT_S" > /dev/null
lab_tell "$g1" bye
guest_wait g1 "$GUEST_WAIT_S" && ok g1_finished || not_ok g1_finished "g1 did not power off"
rmmod argo_vsock 2> /dev/null
tap_done

# vsock, g1: the listening guest. Sinks for dom0 and g2, a stream to dom0
# (VMADDR_CID_HOST), a seqpacket sink, an echo server for 64 connections,
# a listener that never accepts, the victim of g2's malformed packets, and
# a sink on service port 700 (its own ring, Argo port 50700).
. /lab/lib.sh
. ./vs.inc
tap_plan 17

load_argo
load_vsock
me=$(my_domid)
g2=$(lab_wait "$me" peer "$GUEST_WAIT_S")
vs_sink 5000 from_dom0 && vs_sink 5002 from_g2 || echo "# a sink did not start"
rm -f $T/5003.err
socat -d -d -u VSOCK-LISTEN:5003,so-type=5 STDOUT > $T/seq.out 2> $T/5003.err &
seq_pid=$!
vs_wait_listen $T/5003.err
# An echo service: one child per connection.
socat -d -d VSOCK-LISTEN:5004,fork,backlog=128 EXEC:cat 2> $T/5004.err &
echo_pid=$!
vs_wait_listen $T/5004.err
# Listens, then is stopped: never accepts. backlog=1 keeps two requests.
socat -d -d -u VSOCK-LISTEN:5005,backlog=1 OPEN:/dev/null 2> $T/5005.err &
stuck=$!
vs_wait_listen $T/5005.err && kill -STOP "$stuck"
# Holds whatever connects, for dom0's unload case.
socat -d -d -u VSOCK-LISTEN:5006 OPEN:/dev/null 2> $T/5006.err &
hold=$!
vs_wait_listen $T/5006.err
# A service port (0-1023): one connection (no fork: the listener closes
# once it accepted), on a ring of its own, registered within listen_ms.
vs_sink 700 from_dom0_svc
check service_port_700_ring_50700 "argo_vsock: vsock port 700 is a service: Argo port 50700" \
	"$(dmesg_wait 'argo_vsock: vsock port 700 is a service')"
ok g1_listeners_ready
lab_signal listening

# dom0's stream, then ours to dom0.
wait_file $T/from_dom0.sum "$GUEST_WAIT_S" && lab_signal sum-dom0 "$(cat $T/from_dom0.sum)"
lab_wait "$me" host-sink-ready "$GUEST_WAIT_S" > /dev/null
# First a peer that stops reading (g2, service port 800, 4 GiB of credit
# granted): our packets to it stay queued here, and the stream to dom0
# must not wait behind them.
rm -f $T/stall.err
vs_bytes /dev/zero 4194304 |
	socat -d -d -u -b 65536 STDIN "VSOCK-CONNECT:$(vs_cid "$g2"):800" 2> $T/stall.err &
stalled=$!
n=100
until grep -q 'starting data transfer loop' $T/stall.err || [ $n = 0 ]; do
	sleep 0.1; n=$((n - 1))
done
if grep -q 'starting data transfer loop' $T/stall.err; then ok stalled_peer_accepted_connection
else not_ok stalled_peer_accepted_connection "$(tail -n 2 $T/stall.err)"; fi
sleep 1
if vs_send 2 5001 "$VS_BYTES" to_host; then ok guest_to_host_cid2_stream_sent
else not_ok guest_to_host_cid2_stream_sent "socat to CID 2 failed"; fi
lab_signal sent-host "$(cat $T/to_host.sent)"
# 4 MiB against the 1 MiB a peer may hold unread (peer_credit_max, not
# the 4 GiB it claims): the writer waits for credit instead of queueing.
if kill -0 "$stalled" 2> /dev/null; then ok stalled_writer_waits_at_credit_cap
else not_ok stalled_writer_waits_at_credit_cap "socat wrote all 4 MiB: $(tail -n 1 $T/stall.err)"; fi

# g2's stream, under g2's malformed packets.
wait_file $T/from_g2.sum "$GUEST_WAIT_S" && lab_signal sum-g2 "$(cat $T/from_g2.sum)"
lab_wait "$me" hostile-done "$GUEST_WAIT_S" > /dev/null
drops=$(dmesg | grep -c "argo_vsock: dropped a packet from domain $g2:")
sent=$(lab_wait "$me" hostile-sent 5)
if [ "$drops" -ge 1 ]; then ok malformed_packets_dropped_with_log_line
else not_ok malformed_packets_dropped_with_log_line "no 'dropped a packet' line for domain $g2"; fi
# The kernel's default burst is 10 lines per 5 s.
if [ "$drops" -lt "${sent:-0}" ]; then ok malformed_packet_log_rate_limited
else not_ok malformed_packet_log_rate_limited "$drops lines for ${sent:-?} malformed packets"; fi
# g2's request for service port 700 on the shared ring, not on 700's own.
if dmesg | grep -q "domain $g2: not on the ring of its destination port"; then
	ok service_request_on_shared_ring_dropped
else not_ok service_request_on_shared_ring_dropped "no 'not on the ring' line for domain $g2"; fi
for why in "shorter than a vsock header" "header len is not the payload length" \
	"unknown op" "src_cid is not the sending domain"; do
	dmesg | grep -q "domain $g2: $why" || echo "# no line for: $why"
done

# dom0's seqpacket message.
lab_wait "$me" seq-sent "$GUEST_WAIT_S" > /dev/null
n=100; while kill -0 "$seq_pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n-1)); done
check seqpacket_message_received "one seqpacket message" "$(cat $T/seq.out)"

# dom0's stream to service port 700; then, the connection and listener
# gone, the port's ring goes too.
wait_file $T/from_dom0_svc.sum "$GUEST_WAIT_S" && lab_signal sum-svc "$(cat $T/from_dom0_svc.sum)"
check service_port_ring_unregistered_when_free \
	"argo_vsock: vsock port 700 is free: Argo port 50700 unregistered" \
	"$(dmesg_wait 'argo_vsock: vsock port 700 is free')"

lab_wait "$me" backlog-done "$GUEST_WAIT_S" > /dev/null
kill -CONT "$stuck"; kill "$stuck" 2>/dev/null
lab_wait "$me" echo-done "$GUEST_WAIT_S" > /dev/null
kill "$echo_pid" 2>/dev/null
lab_wait "$me" hold-done "$GUEST_WAIT_S" > /dev/null
kill "$hold" 2>/dev/null
# g2's stalled ring went (dom0 told g2 to end it once our stream was
# through): what we still held for it failed then, not before.
if [ -n "$(dmesg_wait "argo_vsock: cannot send to cid $(vs_cid "$g2") port 800 " 10)" ]; then
	ok held_packets_failed_when_stalled_ring_went
else not_ok held_packets_failed_when_stalled_ring_went "no 'cannot send' line for port 800"; fi
n=100
while kill -0 "$stalled" 2> /dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
if kill -0 "$stalled" 2> /dev/null; then
	not_ok stalled_writer_ends_when_ring_goes "socat still running 10 s later"
	kill "$stalled"
else ok stalled_writer_ends_when_ring_goes; fi
oops=$(dmesg | grep -E 'BUG|WARNING|Oops|general protection' | head -n 3)
check no_kernel_warnings "" "$oops"
lab_signal done
lab_wait "$me" bye "$GUEST_WAIT_S" > /dev/null
tap_done

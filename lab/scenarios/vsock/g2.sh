# vsock, g2: streams to g1 while sending g1 malformed vsock packets over
# raw /dev/argo, then serves a sink until dom0 destroys it mid-stream.
. /lab/lib.sh
. ./vs.inc
tap_plan 9

load_argo
load_vsock
me=$(my_domid)
g1=$(lab_wait "$me" peer "$GUEST_WAIT_S")
# A peer that stops reading: service port 800's ring, g1's first
# connection to it answered with 4 GiB of credit, then never read.
vsock-hostile -d "$g1" -m "$me" -s 800 > $T/stall.out 2>&1 &
stall=$!
n=100
until grep -q ready $T/stall.out || [ $n = 0 ]; do sleep 0.1; n=$((n - 1)); done
check stall_ring_ready ready "$(head -n 1 $T/stall.out)"
lab_signal stall-ready
lab_wait "$me" g1-listening "$GUEST_WAIT_S" > /dev/null
vs_send "$(vs_cid "$g1")" 5002 "$VS_BYTES" to_g1 > $T/send.log 2>&1 &
spid=$!
# 20 rounds of every kind while the stream runs (12 kinds, 10 malformed).
if out=$(vsock-hostile -d "$g1" -m "$me" -p 5002 -n 20 2>&1); then ok hostile_packets_sent
else not_ok hostile_packets_sent "$out"; fi
lab_signal hostile-sent 180
lab_signal hostile-done
if wait $spid; then ok guest_to_guest_stream_sent
else not_ok guest_to_guest_stream_sent "$(cat $T/send.log)"; fi
lab_signal sent-g1 "$(cat $T/to_g1.sent)"
# Still usable after all that: a second, short stream.
if printf 'after' | socat -u STDIN "VSOCK-CONNECT:$(vs_cid "$g1"):5004" > /dev/null 2>&1; then
	ok connect_after_hostile_packets
else not_ok connect_after_hostile_packets "socat to g1's echo service failed"; fi
lab_wait "$me" stall-end "$GUEST_WAIT_S" > /dev/null
echo "# stall tool: $(tr '\n' ' ' < $T/stall.out)"
kill "$stall" 2>/dev/null
# The doomed sink: dom0 streams here and destroys this domain.
socat -d -d -u VSOCK-LISTEN:5007 OPEN:/dev/null 2> $T/5007.err &
vs_wait_listen $T/5007.err && ok g2_sink_ready || not_ok g2_sink_ready "no listener"
tap_done
lab_signal doomed-ready
sleep 600

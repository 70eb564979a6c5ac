# blk-bench, g: fio against both disks of one image: xen-blkfront's
# /dev/xvdb and virtio-argo's /dev/vda (virtio_blk on virtio_argo.ko).
# Each figure is a LAB-BENCH line; TAP says only whether every job ran.
. /lab/lib.sh
tap_plan 9

# Three rounds, each both disks in turn, so every figure is a median of
# three runs and each ratio is taken within a round (lab/bench).
ROUNDS=3

# fio_suite KIND DEV ROUND: the eight jobs of the bench, each a fixed 2 s
# on the first 48 MiB of DEV, O_DIRECT through libaio: 64 KiB sequential
# read and write, 4 KiB random read and write, at queue depth 1 and 16.
# Prints
#   LAB-BENCH blk_fio KIND TEST BS QD KiB/s IOPS ROUND
# and fails if a job fails or moves nothing.
fio_suite() {
	local kind=$1 dev=$2 round=$3 t bs qd out bw iops f=0
	for t in seqread seqwrite randread randwrite; do
		case $t in
		seqread) rw=read bs=64k ;; seqwrite) rw=write bs=64k ;;
		randread) rw=randread bs=4k ;; randwrite) rw=randwrite bs=4k ;;
		esac
		for qd in 1 16; do
			out=$(fio --name="$t" --filename="$dev" --direct=1 --ioengine=libaio \
				--rw=$rw --bs=$bs --iodepth=$qd --size=48M --runtime=2 --time_based \
				--thread --output-format=terse --terse-version=3 2> /tmp/fio.err | tail -n1)
			case $rw in
			*read) bw=$(echo "$out" | cut -d';' -f7) iops=$(echo "$out" | cut -d';' -f8) ;;
			*) bw=$(echo "$out" | cut -d';' -f48) iops=$(echo "$out" | cut -d';' -f49) ;;
			esac
			if [ -n "$bw" ] && [ "${bw:-0}" -gt 0 ] 2> /dev/null; then
				echo "LAB-BENCH blk_fio $kind $t $bs $qd $bw $iops $round"
			else
				echo "# fio $kind $t $bs qd$qd failed: $(cat /tmp/fio.err) $out"
				f=1
			fi
		done
	done
	return $f
}

load_argo
modprobe xen-blkfront 2> /dev/null
check_cmd load_virtio_blk modprobe virtio_blk
check_cmd load_virtio_argo insmod /lib/argo/virtio_argo.ko
mount -t debugfs none /sys/kernel/debug 2> /dev/null
wait_file /dev/xvdb 60 && ok xvdb_present || not_ok xvdb_present "no /dev/xvdb"
# The virtio-argo side: the same function, on the disk virtio_blk sees
# over virtio_argo.ko (dom0 serves it the same image).
vda=no
wait_file /dev/vda 60 && vda=yes
fx=0 fv=0 r=1
while [ $r -le $ROUNDS ]; do
	fio_suite xen-blkfront /dev/xvdb $r || fx=1
	if [ $vda = yes ]; then fio_suite virtio-argo /dev/vda $r || fv=1; fi
	r=$((r + 1))
done
if [ $fx = 0 ]; then ok fio_xen_blkfront_all_jobs; else
	not_ok fio_xen_blkfront_all_jobs "a job failed (see above)"; fi
if [ $vda = yes ]; then
	ok vda_present
	if [ $fv = 0 ]; then ok fio_virtio_argo_all_jobs; else
		not_ok fio_virtio_argo_all_jobs "a job failed (see above)"; fi
	# What the transport counted over the whole suite (docs/virtio-argo.md §18).
	sed 's/^/# virtio-argo: /' /sys/kernel/debug/virtio_argo/dev1 2> /dev/null
	awk '{ v[$1] = $2 } END { if (v["requests"] > 0)
		printf "LAB-BENCH blk_cost hypercalls_per_request %.3f copies_per_byte %.3f\n",
			v["hypercalls"] / v["requests"],
			(v["copied_out"] + v["copied_in"] + v["copied_rx"]) / (v["bytes_out"] + v["bytes_in"]) }' \
		/sys/kernel/debug/virtio_argo/dev1 2> /dev/null
else
	not_ok vda_present "no /dev/vda from virtio_argo.ko"
	tap_not_run fio_virtio_argo_all_jobs "no /dev/vda"
	echo "LAB-BENCH blk_fio_missing virtio-argo"
fi
tap_done

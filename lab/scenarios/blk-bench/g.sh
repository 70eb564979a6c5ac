# blk-bench, g: fio against both disks of one image: xen-blkfront's
# /dev/xvdb and virtio-argo's /dev/vda (virtio_blk on virtio_argo.ko).
# Each figure is a LAB-BENCH line; TAP says only whether every job ran.
. /lab/lib.sh
tap_plan 9

# fio_suite KIND DEV: the eight jobs of the bench, each a fixed 4 s on the
# first 48 MiB of DEV, O_DIRECT through libaio: 64 KiB sequential read and
# write, 4 KiB random read and write, at queue depth 1 and 16. Prints
#   LAB-BENCH blk_fio KIND TEST BS QD KiB/s IOPS
# and fails if a job fails or moves nothing.
fio_suite() {
	local kind=$1 dev=$2 t bs qd out bw iops f=0
	for t in seqread seqwrite randread randwrite; do
		case $t in
		seqread) rw=read bs=64k ;; seqwrite) rw=write bs=64k ;;
		randread) rw=randread bs=4k ;; randwrite) rw=randwrite bs=4k ;;
		esac
		for qd in 1 16; do
			out=$(fio --name="$t" --filename="$dev" --direct=1 --ioengine=libaio \
				--rw=$rw --bs=$bs --iodepth=$qd --size=48M --runtime=4 --time_based \
				--thread --output-format=terse --terse-version=3 2> /tmp/fio.err | tail -n1)
			case $rw in
			*read) bw=$(echo "$out" | cut -d';' -f7) iops=$(echo "$out" | cut -d';' -f8) ;;
			*) bw=$(echo "$out" | cut -d';' -f48) iops=$(echo "$out" | cut -d';' -f49) ;;
			esac
			if [ -n "$bw" ] && [ "${bw:-0}" -gt 0 ] 2> /dev/null; then
				echo "LAB-BENCH blk_fio $kind $t $bs $qd $bw $iops"
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
if fio_suite xen-blkfront /dev/xvdb; then ok fio_xen_blkfront_all_jobs; else
	not_ok fio_xen_blkfront_all_jobs "a job failed (see above)"; fi
# The virtio-argo side: one more call of the same function, on the disk
# virtio_blk sees over virtio_argo.ko (dom0 serves it the same image).
if wait_file /dev/vda 60; then
	ok vda_present
	if fio_suite virtio-argo /dev/vda; then ok fio_virtio_argo_all_jobs; else
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

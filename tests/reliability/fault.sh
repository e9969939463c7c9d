# SPDX-License-Identifier: BSD-3-Clause
# fault: every libc call on the pmem_map_file, pmem_unmap, msync and deep
# flush paths failed in turn (faultshim.c), then real limits (RLIMIT_NOFILE,
# RLIMIT_AS, RLIMIT_FSIZE, a full tmpfs); ours is compared run by run with
# the reference under the same conditions (fault_compare.awk).

sub_fault() {
	local d=$RT_OUT/fault ours=$PMEM_RELEASE_LIBDIR/libpmem.so.1
	local w=$RT_WORK/fault mnt=""
	rt_have_ref fault || return
	mkdir -p "$d" "$w/dir"
	if ! rt_prog "$d/fault_driver" "$CC" -O2 "$here/fault_driver.c" -ldl ||
	    ! "$CC" -std=gnu11 -O2 $RT_WARN -shared -fPIC \
		-fvisibility=hidden -o "$d/faultshim.so" \
		"$here/faultshim.c" -ldl ||
	    ! "$CC" -std=gnu11 -O2 $RT_WARN -I"$PMEM_INCLUDEDIR" -shared \
		-fPIC -fvisibility=hidden -o "$d/plantlib.so" \
		"$here/plantlib.c" -ldl; then
		fail "fault: building the driver and the shim"
		return
	fi
	rt_fault_run "$d" "$ours" "$w/ours.tsv" faults &&
	    rt_fault_run "$d" "$RT_REF" "$w/ref.tsv" faults ||
		{ fail "fault: the driver did not finish"; return; }
	rt_fault_verdicts "$w/ours.tsv" "$w/ref.tsv" \
		"each injected failure compared with the reference"
	rt_fault_devdax "$d" "$ours" "$w"

	mnt=$(mktemp -d "$RT_WORK/fullfs.XXXXXX")
	if mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null; then
		RT_MOUNTS+=("$mnt")
	else
		skip "fault: full file system: cannot mount a 1 MiB tmpfs here"
		mnt=""
	fi
	"$d/fault_driver" "$ours" "$w/dir" limits $mnt >"$w/ours-lim.tsv" &&
	    "$d/fault_driver" "$RT_REF" "$w/dir" limits $mnt \
		>"$w/ref-lim.tsv" ||
		{ fail "fault: the limits driver did not finish"; return; }
	rt_fault_verdicts "$w/ours-lim.tsv" "$w/ref-lim.tsv" \
		"compared with the reference"
	[ -n "$mnt" ] && umount "$mnt"

	rt_fault_selftest "$d" "$ours" "$w"
}

# /dev/zero dressed up as a 4 MiB Device DAX in region 7 through a fake
# sysfs (faultshim.c rewrites the paths): reaches the sysfs reads, the
# region lookup and the deep flush write. The reference's libndctl cannot
# walk this fake tree, so ours is held to the rules alone (noref).
rt_fault_devdax() {
	local d=$1 ours=$2 w=$3 f=$3/fakesys dev
	local dax=$f/devices/ndbus0/region7/dax7.0
	rm -rf "$f"
	# the device directory sits below its region on an nd bus, as in
	# sysfs (the library takes no other "regionN" for an nd region);
	# align only under device/, where older kernels put it
	mkdir -p "$f/class/dax" "$dax/dax/dax7.0" "$f/nd/region7"
	ln -s devices/ndbus0/region7/dax7.0/dax/dax7.0 "$f/char"
	echo 4194304 >"$dax/dax/dax7.0/size"
	ln -s ../../../../../../class/dax "$dax/dax/dax7.0/subsystem"
	ln -s ../.. "$dax/dax/dax7.0/device"
	echo 2097152 >"$dax/align"
	echo 1 >"$f/nd/region7/deep_flush"
	echo memory_controller >"$f/nd/region7/persistence_domain"
	dev=$(stat -c '%t %T' /dev/zero | while read -r ma mi; do
		echo "$((16#$ma)):$((16#$mi))"; done)
	if ! FAULT_FAKESYS=$f FAULT_FAKEDEV=$dev rt_fault_run "$d" "$ours" \
	    "$w/devdax.tsv" devdax; then
		fail "fault: the fake Device DAX driver did not finish"
		tail -n 3 "$w/devdax.tsv" | sed 's/^/  | /'
		return
	fi
	RT_FAULT_NOREF=1 rt_fault_verdicts "$w/devdax.tsv" /dev/null \
		"each injected failure on a fake Device DAX, held to the" \
		"rules (the reference cannot run it)"
}

rt_fault_run() {
	local d=$1 lib=$2 out=$3 mode=$4
	LD_PRELOAD=$d/faultshim.so "$d/fault_driver" "$lib" \
		"$RT_WORK/fault/dir" "$mode" >"$out"
}

# one check per scenario; notes (same as the reference) are shown
rt_fault_verdicts() {
	local ours=$1 ref=$2 what="${*:3}" v s runs bad
	awk -v noref="${RT_FAULT_NOREF:-0}" -f "$here/fault_compare.awk" \
		"$ours" "$ref" >"$ours.verdicts"
	if [ ! -s "$ours.verdicts" ]; then
		fail "fault: no verdicts from $(basename "$ours")"
		return
	fi
	grep -P '^note\t' "$ours.verdicts" | cut -f2- | sed 's/\t/: /; s/^/  note: /'
	for s in $(cut -f2 "$ours.verdicts" | awk '!seen[$0]++'); do
		runs=$(awk -F'\t' -v s="$s" '$1 == s' "$ours" | wc -l)
		bad=$(awk -F'\t' -v s="$s" '$1 == "FAIL" && $2 == s' \
			"$ours.verdicts")
		if [ -z "$bad" ]; then
			pass "fault: $s ($runs runs: $what)"
		else
			fail "fault: $s"
			echo "$bad" | cut -f3 | sed 's/^/  | /'
		fi
	done
}

# planted defects in a stand-in library must each be reported
rt_fault_selftest() {
	local d=$1 ours=$2 w=$3 p caught=0 total=0 missed=""
	for p in fd-leak map-leak file-left bad-errno no-msg; do
		total=$((total + 1))
		RT_PLANT=$p RT_PLANT_LIB=$ours rt_fault_run "$d" \
			"$d/plantlib.so" "$w/plant.tsv" faults
		if awk -f "$here/fault_compare.awk" "$w/plant.tsv" \
		    "$w/ref.tsv" | grep -q '^FAIL'; then
			caught=$((caught + 1))
		else
			missed+=" $p"
		fi
	done
	if [ $caught -eq $total ]; then
		pass "fault: self-test: $total planted defects (fd, mapping," \
			"file leaks, errno, message) reported"
	else
		fail "fault: self-test: planted defects not reported:$missed"
	fi
}

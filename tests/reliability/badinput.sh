# SPDX-License-Identifier: BSD-3-Clause
# badinput: NULL, empty and over-long paths, zero, huge and negative
# lengths, invalid and conflicting flags, misaligned unmaps, NULL out-params
# and pointers with len 0, flushes of read-only and inaccessible memory;
# each case in a child, ours compared with the reference: never a crash
# where the reference returns, the same result, errno and message.

sub_badinput() {
	local d=$RT_OUT/badinput w=$RT_WORK/badinput
	rt_have_ref badinput || return
	mkdir -p "$w/dir"
	if ! rt_prog "$d/badinput" "$CC" -O2 "$here/badinput.c" -ldl \
		-lpthread ||
	    ! "$CC" -std=gnu11 -O2 $RT_WARN -I"$PMEM_INCLUDEDIR" -shared \
		-fPIC -fvisibility=hidden -o "$d/plantlib.so" \
		"$here/plantlib.c" -ldl; then
		fail "badinput: building the test"
		return
	fi
	"$d/badinput" "$RT_REF" "$w/dir" >"$w/ref.tsv" ||
		{ fail "badinput: the reference run did not finish"; return; }
	local e
	for e in "" "PMEM_NO_MOVNT=1" "PMEM_MOVNT_THRESHOLD=0"; do
		# shellcheck disable=SC2086
		env $e "$d/badinput" "$PMEM_RELEASE_LIBDIR/libpmem.so.1" \
			"$w/dir" >"$w/ours.tsv" &&
		    env $e "$d/badinput" "$RT_REF" "$w/dir" >"$w/ref.tsv" ||
			{ fail "badinput: a run did not finish"; continue; }
		rt_badinput_compare "$w/ours.tsv" "$w/ref.tsv" \
			"${e:-default env}"
	done

	# the comparison must notice a crash and a wrong errno
	local p missed=""
	for p in crash-unmap bad-errno; do
		RT_PLANT=$p RT_PLANT_LIB=$PMEM_RELEASE_LIBDIR/libpmem.so.1 \
			"$d/badinput" "$d/plantlib.so" "$w/dir" >"$w/plant.tsv"
		awk -f "$here/badinput_compare.awk" "$w/plant.tsv" \
			"$w/ref.tsv" | grep -q '^FAIL' || missed+=" $p"
	done
	if [ -z "$missed" ]; then
		pass "badinput: self-test: a planted crash and a planted" \
			"wrong errno are reported"
	else
		fail "badinput: self-test: not reported:$missed"
	fi
}

# one check per environment; failing cases listed with the reference's
# outcome, cases where both crash shown as notes
rt_badinput_compare() {
	local ours=$1 ref=$2 tag=$3 n bad
	awk -f "$here/badinput_compare.awk" "$ours" "$ref" >"$ours.v"
	n=$(wc -l <"$ours.v")
	if [ "$n" -eq 0 ]; then
		fail "badinput: no verdicts ($tag)"
		return
	fi
	grep -P '^note\t' "$ours.v" | cut -f2- | sed 's/\t/: /; s/^/  note: /'
	bad=$(grep -P '^FAIL\t' "$ours.v" | cut -f2- | sed 's/\t/: /')
	if [ -z "$bad" ]; then
		pass "badinput: $n cases ($tag): no crash; result, errno" \
			"and message as the reference's"
	else
		fail "badinput: $(echo "$bad" | wc -l) of $n cases ($tag)" \
			"worse than the reference"
		echo "$bad" | sed 's/^/  | /'
	fi
}

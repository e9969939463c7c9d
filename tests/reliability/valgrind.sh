# SPDX-License-Identifier: BSD-3-Clause
# valgrind: memcheck over the API and kernel stress tests with our release
# library; the kernels valgrind's synthetic CPU leads us to pick (it has no
# AVX-512) must be a fallback family and correct; helgrind and DRD over the
# concurrency test. The client requests the library issues: recorded per
# call (vg_record.c), memcheck's verdict around msync and flushes
# compared with the reference's (vg_tools.c), and its reports on freed and
# unmapped ranges, frame by frame (vg_frames.c).

sub_valgrind() {
	local p=$RT_OUT/plain rel=$PMEM_RELEASE_LIBDIR dbg=$PMEM_DEBUG_LIBDIR
	local vg="valgrind -q --error-exitcode=1"
	local mc="$vg --leak-check=full"
	mc+=" --errors-for-leak-kinds=definite,possible"

	rt_vg_record
	if ! need_pkgs valgrind || ! command -v valgrind >/dev/null; then
		skip "valgrind: valgrind is not installed"
		return
	fi
	if ! rt_prog "$p/api_stress" "$CC" -O2 "$here/api_stress.c" \
		-L"$rel" -lpmem ||
	    ! rt_prog "$p/kernel_stress" "$CC" -O2 "$here/kernel_stress.c" \
		-L"$rel" -lpmem ||
	    ! rt_prog "$p/concurrency" "$CC" -O2 "$here/concurrency.c" \
		-L"$rel" -lpmem -lpthread; then
		fail "valgrind: building the tests"
		return
	fi
	rt_vg_requests "$vg" "$p" "$rel"
	rt_vg_frames "$p"
	# shellcheck disable=SC2086
	LD_LIBRARY_PATH=$rel rt_run "valgrind: memcheck, API stress (release)" \
		"$RT_WORK/vg-api.log" $mc "$p/api_stress" 6
	# shellcheck disable=SC2086
	LD_LIBRARY_PATH=$rel rt_run "valgrind: memcheck, kernel stress" \
		"$RT_WORK/vg-kernel.log" $mc "$p/kernel_stress" quick
	rt_valgrind_kernels "$mc" "$p" "$dbg"
	# shellcheck disable=SC2086
	LD_LIBRARY_PATH=$rel rt_run "valgrind: helgrind, concurrency test" \
		"$RT_WORK/vg-hg.log" $vg --tool=helgrind "$p/concurrency" \
		threads 3000
	# shellcheck disable=SC2086
	LD_LIBRARY_PATH=$rel rt_run "valgrind: DRD, concurrency test" \
		"$RT_WORK/vg-drd.log" $vg --tool=drd "$p/concurrency" \
		threads 3000

	rt_stress_selftest "$p"

	# the tools do look inside our kernels
	# shellcheck disable=SC2086
	LD_LIBRARY_PATH=$rel rt_expect_fail \
		"valgrind: memcheck reports a planted over-read in a kernel" \
		"Invalid read of size" $mc "$p/kernel_stress" plant-read
	# shellcheck disable=SC2086
	LD_LIBRARY_PATH=$rel rt_expect_fail \
		"valgrind: helgrind reports a planted race in a kernel" \
		"Possible data race" $vg --tool=helgrind "$p/concurrency" \
		plant-race
}

# the debug library's level-3 log names the kernels it picked; under
# valgrind they must be a family valgrind runs, and still copy right
rt_valgrind_kernels() {
	local mc=$1 p=$2 dbg=$3 native under
	local log=$RT_WORK/vg-kernels.pmemlog
	rm -f "$log" "$log.native"
	PMEM_LOG_LEVEL=3 PMEM_LOG_FILE=$log.native LD_LIBRARY_PATH=$dbg \
		"$p/kernel_stress" quick >/dev/null 2>&1
	# shellcheck disable=SC2086
	PMEM_LOG_LEVEL=3 PMEM_LOG_FILE=$log LD_LIBRARY_PATH=$dbg rt_run \
		"valgrind: memcheck, kernel stress (debug library)" \
		"$RT_WORK/vg-kernel-dbg.log" $mc "$p/kernel_stress" quick
	native=$(sed -n 's/.*memmove temporal: //p' "$log.native" | head -n1)
	under=$(sed -n 's/.*memmove temporal: //p' "$log" | head -n1)
	echo "kernels: natively $native; under valgrind $under" \
		"($(sed -n 's/.*memmove non-temporal: //p' "$log" | head -n1))"
	case $under in
	memmove_mov_sse2_* | memmove_mov_avx_*)
		pass "valgrind: fallback kernels under valgrind ($under)" ;;
	"")
		fail "valgrind: no 'memmove temporal:' line in the debug log" ;;
	*)
		fail "valgrind: $under chosen; valgrind has no AVX-512" ;;
	esac
}

# the stress and concurrency tests notice planted defects (plantlib.c
# installed as libpmem.so.1 in front of the release library)
rt_stress_selftest() {
	local p=$1 pl=$1/plant
	mkdir -p "$pl"
	if ! "$CC" -std=gnu11 -O2 $RT_WARN -I"$PMEM_INCLUDEDIR" -shared \
	    -fPIC -fvisibility=hidden -o "$pl/libpmem.so.1" \
	    "$here/plantlib.c" -ldl; then
		fail "valgrind: building plantlib.c"
		return
	fi
	export RT_PLANT_LIB=$PMEM_RELEASE_LIBDIR/libpmem.so.1
	RT_PLANT=short-copy LD_LIBRARY_PATH=$pl rt_expect_fail \
		"valgrind: self-test: kernel stress sees a planted short copy" \
		"first wrong byte at dst" "$p/kernel_stress" quick
	RT_PLANT=short-copy LD_LIBRARY_PATH=$pl rt_expect_fail \
		"valgrind: self-test: API stress sees a planted short copy" \
		"differs" "$p/api_stress" 2
	RT_PLANT=is-pmem-wrong LD_LIBRARY_PATH=$pl rt_expect_fail \
		"valgrind: self-test: concurrency test sees wrong is_pmem" \
		"is_pmem|is pmem" "$p/concurrency" threads 2000
	unset RT_PLANT_LIB
}

# the requests of every API call under each tool, with the library built
# to record them (no valgrind needed)
rt_vg_record() {
	local d=$RT_OUT/vgrecord arch
	arch=$(uname -m)
	local inc="-I$PMEM_TOPDIR/src -I$PMEM_TOPDIR/src/$arch"
	# shellcheck disable=SC2086,SC2046
	if ! rt_build_lib "$d" "$CC" -O2 -g -DPMEM_VG_RECORD ||
	    ! rt_prog "$d/vg_record" "$CC" -O2 $inc "$here/vg_record.c" \
		$(cat "$d/objs") -lpthread; then
		fail "valgrind: building the client-request recorder test"
		return
	fi
	rt_run "valgrind: client requests of each call, per tool and$(
		) environment (recorded; none outside valgrind)" \
		"$RT_WORK/vg-record.log" "$d/vg_record" "$RT_TMPDIR"
}

# memcheck and the requests the real tools get, ours against the reference
rt_vg_requests() {
	local vg=$1 p=$2 rel=$3 lib name mode line t
	local unaddr="Unaddressable byte\\(s\\) found during client check"
	if ! rt_prog "$p/vg_tools" "$CC" -O2 "$here/vg_tools.c" \
		-L"$rel" -lpmem; then
		fail "valgrind: building vg_tools.c"
		return
	fi
	# valgrind installed after the build: the requests are not in ours
	local built=y
	if "$rel/libpmem.so.1" | grep -q 'client requests not compiled in'
	then
		built=
		skip "valgrind: our library was built without valgrind.h" \
			"(make clean all, then rerun): its requests not checked"
	fi
	for lib in "$rel" "$(dirname "$RT_REF")"; do
		name=ours
		[ "$lib" = "$rel" ] || name=reference
		if [ "$name" = reference ] && ! rt_have_ref "valgrind"; then
			continue
		fi
		[ "$name" = ours ] && [ -z "$built" ] && continue
		for mode in beside-noaccess beside-undefined; do
			t="memcheck, msync next to ${mode#beside-} bytes"
			# shellcheck disable=SC2086
			LD_LIBRARY_PATH=$lib rt_run \
				"valgrind: $t is clean ($name)" \
				"$RT_WORK/vg-mc.log" $vg "$p/vg_tools" \
				"$RT_TMPDIR" "$mode"
		done
		for mode in msync-own flush-own deep-flush-own; do
			t="memcheck reports $mode unaddressable bytes"
			# shellcheck disable=SC2086
			LD_LIBRARY_PATH=$lib rt_expect_fail \
				"valgrind: $t ($name)" "$unaddr" \
				$vg "$p/vg_tools" "$RT_TMPDIR" "$mode"
		done
	done
	# which tool runs is learnt from valgrind itself at load
	[ -n "$built" ] &&
	for mode in memcheck:memcheck helgrind:"another tool" \
	    drd:"another tool"; do
		line=$(valgrind -q --tool="${mode%%:*}" "$rel/libpmem.so.1" \
			2>/dev/null | grep 'valgrind: ')
		case $line in
		*"valgrind: ${mode#*:}"*)
			pass "valgrind: ${mode%%:*} recognised at load" ;;
		*)
			fail "valgrind: under ${mode%%:*} the library" \
				"says '${line# }'" ;;
		esac
	done
	if valgrind --tool=pmemcheck --help >/dev/null 2>&1; then
		LD_LIBRARY_PATH=$rel valgrind --tool=pmemcheck \
			"$p/vg_tools" "$RT_TMPDIR" persist-all \
			>"$RT_WORK/vg-pmc.log" 2>&1
		if grep -q "stores not made persistent: 0" \
		    "$RT_WORK/vg-pmc.log"; then
			pass "valgrind: pmemcheck, every persist path is clean"
		else
			fail "valgrind: pmemcheck reports unpersisted stores"
			tail -n 25 "$RT_WORK/vg-pmc.log" | sed 's/^/  | /'
		fi
	else
		skip "valgrind: pmemcheck not installed (Debian's" \
			"valgrind has none; vg_record covers its requests)"
	fi
}

# vg_frames.c under memcheck, on each build of ours and of the reference:
# each report starts at the API function, has the reference's frames down
# to the caller, and the reference's count (vg_frames_compare.awk); a
# suppression file naming the three entry points that check a range
# silences as many reports on ours as on the reference. helgrind and DRD
# must report on ours what they report on the reference.
rt_vg_frames() {
	local p=$1 d=$RT_WORK/vgframes refdir b ours ref t name
	refdir=$(dirname "$RT_REF")
	mkdir -p "$d"
	# -O0: an optimised caller may jump to the API function, its frame lost
	if ! rt_prog "$p/vg_frames" "$CC" -O0 "$here/vg_frames.c" \
	    -L"$PMEM_RELEASE_LIBDIR" -lpmem; then
		fail "valgrind: building vg_frames.c"
		return
	fi
	rt_have_ref "valgrind: report frames" || return
	for b in release debug; do
		ours=$PMEM_RELEASE_LIBDIR ref=$refdir
		if [ $b = debug ]; then
			ours=$PMEM_DEBUG_LIBDIR ref=$refdir/pmdk_dbg
			if [ ! -e "$ref/libpmem.so.1" ]; then
				skip "valgrind: report frames ($b): no" \
					"$ref/libpmem.so.1 (apt-get install" \
					"libpmem1-debug)"
				continue
			fi
		fi
		rt_vg_frames_build "$p/vg_frames" "$d/$b" "$b" "$ours" "$ref"
	done
	for t in helgrind drd; do
		rt_vg_frames_run "$p/vg_frames" "$d/$t-ref" "$refdir" \
			--tool=$t
		rt_vg_frames_run "$p/vg_frames" "$d/$t-ours" \
			"$PMEM_RELEASE_LIBDIR" --tool=$t
		name="valgrind: $t reports on vg_frames what it reports"
		name+=" with the reference ($(wc -l <"$d/$t-ref.rep"))"
		check "$name" rt_vg_frames_same "$d/$t-ref.rep" \
			"$d/$t-ours.rep"
	done
}

# rt_vg_frames_run PROG OUT LIBDIR VALGRIND-ARGS...: OUT.log, the log, and
# OUT.rep, its reports (vg_frames_reports.awk)
rt_vg_frames_run() {
	local prog=$1 out=$2 lib=$3
	shift 3
	LD_LIBRARY_PATH=$lib valgrind --log-file="$out.log" "$@" "$prog" \
		>/dev/null 2>&1
	awk -f "$here/vg_frames_reports.awk" "$out.log" >"$out.rep"
}

rt_vg_frames_same() {
	awk -f "$here/vg_frames_compare.awk" "$1" "$2" >"$1.diff"
	[ ! -s "$1.diff" ] && return 0
	sed 's/^/  | /' "$1.diff"
	return 1
}

# rt_vg_frames_build PROG DIR BUILD OURS-LIBDIR REF-LIBDIR
rt_vg_frames_build() {
	local prog=$1 d=$2 b=$3 ours=$4 ref=$5 tag name
	local supp=$d/api.supp
	mkdir -p "$d"
	rt_vg_frames_run "$prog" "$d/ref" "$ref" -q
	rt_vg_frames_run "$prog" "$d/ours" "$ours" -q
	awk -f "$here/vg_frames_compare.awk" "$d/ref.rep" "$d/ours.rep" \
		>"$d/diff"
	echo "report frames ($b): $(wc -l <"$d/ours.rep") reports on" \
		"ours, $(wc -l <"$d/ref.rep") on the reference"
	for tag in first frames count caller; do
		case $tag in
		first) name="client checks start at the API function" ;;
		frames) name="frames as the reference's down to the caller" ;;
		count) name="as many reports per call as the reference" ;;
		caller) name="every report reaches the caller" ;;
		esac
		if grep -q "^$tag: " "$d/diff"; then
			fail "valgrind: memcheck on freed/unmapped ranges," \
				"$name ($b)"
			grep "^$tag: " "$d/diff" | head -n 12 | sed 's/^/  | /'
		else
			pass "valgrind: memcheck on freed/unmapped ranges," \
				"$name ($b)"
		fi
	done
	# a user's suppressions, written against the reference
	for name in pmem_flush pmem_deep_flush pmem_msync; do
		printf '{\n   %s\n   Memcheck:User\n   fun:%s\n}\n' \
			"$name" "$name"
	done >"$supp"
	rt_vg_frames_run "$prog" "$d/ref-supp" "$ref" -v --suppressions="$supp"
	rt_vg_frames_run "$prog" "$d/ours-supp" "$ours" -v \
		--suppressions="$supp"
	name="valgrind: suppressions fun:pmem_flush, fun:pmem_deep_flush,"
	name+=" fun:pmem_msync silence on ours what they do on the"
	check "$name reference ($b)" rt_vg_frames_supp "$d"
}

# the suppressions were used as often on both, and no client check
# report is left on either
rt_vg_frames_supp() {
	local d=$1 l used_ref used_ours
	for l in ref ours; do
		sed -n 's/^--[0-9]*-- used_suppression: *//p' \
			"$d/$l-supp.log" | awk '{ print $2, $1 }' |
			sort >"$d/$l-supp.used"
	done
	used_ref=$(tr '\n' ' ' <"$d/ref-supp.used")
	used_ours=$(tr '\n' ' ' <"$d/ours-supp.used")
	echo "  suppressions used: reference: ${used_ref:-none};" \
		"ours: ${used_ours:-none}"
	[ -s "$d/ref-supp.used" ] || return 1
	cmp -s "$d/ref-supp.used" "$d/ours-supp.used" || return 1
	! grep -q "client check request" "$d/ref-supp.rep" "$d/ours-supp.rep"
}

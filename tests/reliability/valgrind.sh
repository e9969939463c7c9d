# SPDX-License-Identifier: BSD-3-Clause
# valgrind: memcheck over the API and kernel stress tests with our release
# library; the kernels valgrind's synthetic CPU leads us to pick (it has no
# AVX-512) must be a fallback family and correct; helgrind and DRD over the
# concurrency test. The client requests the library issues: recorded per
# call (vg_record.c), and memcheck's verdict around msync and flushes
# compared with the reference's (vg_tools.c).

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

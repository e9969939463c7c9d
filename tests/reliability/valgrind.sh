# SPDX-License-Identifier: BSD-3-Clause
# valgrind: memcheck over the API and kernel stress tests with our release
# library; the kernels valgrind's synthetic CPU leads us to pick (it has no
# AVX-512) must be a fallback family and correct; helgrind and DRD over the
# concurrency test.

sub_valgrind() {
	local p=$RT_OUT/plain rel=$PMEM_RELEASE_LIBDIR dbg=$PMEM_DEBUG_LIBDIR
	local vg="valgrind -q --error-exitcode=1"
	local mc="$vg --leak-check=full"
	mc+=" --errors-for-leak-kinds=definite,possible"

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

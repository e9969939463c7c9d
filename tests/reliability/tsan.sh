# SPDX-License-Identifier: BSD-3-Clause
# tsan: the concurrency test under ThreadSanitizer (library built with
# -fsanitize=thread, as a shared library and statically with fakedax.c so
# the range registry is live); fork() among busy threads; 1000 dlopen/dlclose
# cycles of the release library; the log function and thresholds changed
# while other threads log.

sub_tsan() {
	local d=$RT_OUT/tsan p=$RT_OUT/plain
	local cflags="-O1 -g -fsanitize=thread"
	local ops=${RT_TSAN_OPS:-100000}
	# exitcode: any report fails the run, after printing all of them
	local -x TSAN_OPTIONS="halt_on_error=0 exitcode=66 die_after_fork=0"

	if ! rt_san_runs "$CC" -fsanitize=thread; then
		skip "tsan: $CC cannot build or run -fsanitize=thread programs" \
			"(TSan needs vm.mmap_rnd_bits <= 28 on some kernels)"
	elif ! rt_build_lib "$d" "$CC" $cflags; then
		fail "tsan: building the library with -fsanitize=thread"
	elif ! rt_prog_on "$d" concurrency $cflags ||
	    ! rt_prog_fakedax "$d" concurrency $cflags; then
		fail "tsan: building the concurrency test"
	else
		rt_run "tsan: $ops operations, 10 threads, no race, right" \
			"$RT_WORK/tsan1.log" "$d/concurrency" threads "$ops"
		rt_run "tsan: fake DAX, a live registry, $((ops / 2)) ops" \
			"$RT_WORK/tsan2.log" "$d/concurrency_fakedax" threads \
			$((ops / 2)) 1
		rt_run "tsan: fork while 4 threads map and unmap (fake DAX)" \
			"$RT_WORK/tsan3.log" "$d/concurrency_fakedax" fork 20 1
		rt_expect_fail "tsan: a planted race in a kernel is reported" \
			"WARNING: ThreadSanitizer: data race" \
			"$d/concurrency" plant-race
		# named by path: -lpmem would find the reference's libpmem.so,
		# which lacks the three functions
		if rt_prog "$d/lograce" "$CC" $cflags "$here/lograce.c" \
			"$d/libpmem.so.1" -Wl,-rpath,"$d" -lpthread; then
			rt_run "tsan: log function and thresholds swapped while 4 threads log" \
				"$RT_WORK/tsan4.log" "$d/lograce" $((ops / 50))
			grep -h '^lograce:' "$RT_WORK/tsan4.log"
			rt_expect_fail "tsan: a planted race in a log function is reported" \
				"WARNING: ThreadSanitizer: data race" \
				"$d/lograce" plant-race
		else
			fail "tsan: building lograce.c"
		fi
	fi
	unset TSAN_OPTIONS

	# the release library itself, uninstrumented
	if ! rt_prog "$p/concurrency" "$CC" -O2 "$here/concurrency.c" \
		-L"$PMEM_RELEASE_LIBDIR" -lpmem \
		-Wl,-rpath,"$PMEM_RELEASE_LIBDIR" -lpthread ||
	    ! rt_prog "$p/dlopen_loop" "$CC" -O2 "$here/dlopen_loop.c" \
		-ldl -lpthread; then
		fail "tsan: building the release-library tests"
		return
	fi
	rt_run "tsan: fork x100 while 4 threads map and unmap (release)" \
		"$RT_WORK/fork.log" "$p/concurrency" fork 100
	rt_run "tsan: 1000 dlopen/dlclose: VmRSS, VmSize, fds do not grow" \
		"$RT_WORK/dlopen.log" "$p/dlopen_loop" \
		"$PMEM_RELEASE_LIBDIR/libpmem.so.1" 1000 512
	grep -h '^dlopen_loop:' "$RT_WORK/dlopen.log"
	if "$CC" -std=gnu11 -O2 $RT_WARN -I"$PMEM_INCLUDEDIR" -shared -fPIC \
	    -fvisibility=hidden -o "$p/plantlib.so" "$here/plantlib.c" -ldl
	then
		RT_PLANT=load-leak RT_PLANT_LIB=$PMEM_RELEASE_LIBDIR/libpmem.so.1 \
			rt_expect_fail "tsan: self-test: dlopen loop reports a planted leak" \
			"VmSize grew" "$p/dlopen_loop" "$p/plantlib.so" 300 512
	else
		fail "tsan: building plantlib.c"
	fi
}

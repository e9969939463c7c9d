# SPDX-License-Identifier: BSD-3-Clause
# fuzz: libFuzzer harnesses (clang, ASan+UBSan, the library's objects
# linked in): fuzz_mem (mem* against libc, guard bytes) and fuzz_map
# (pmem_map_file's argument space with invariants). Each runs for
# RT_FUZZ_SECONDS (default 30) from the committed corpus in corpus/<name>/;
# new inputs go to a temporary copy, never into the source tree.

sub_fuzz() {
	local d=$RT_OUT/fuzz w=$RT_WORK/fuzz secs=${RT_FUZZ_SECONDS:-30}
	local san="-fsanitize=fuzzer-no-link,address,undefined"
	local fz=clang h defs=""
	mkdir -p "$w"
	if ! rt_fuzz_cc_ok "$w"; then
		need_pkgs clang libclang-rt-14-dev >/dev/null
		if ! rt_fuzz_cc_ok "$w"; then
			skip "fuzz: no clang with -fsanitize=fuzzer" \
				"(apt-get install clang libclang-rt-14-dev)"
			return
		fi
	fi
	if ! rt_build_lib "$d" "$fz" -O1 -g $san; then
		fail "fuzz: building the library with $san"
		return
	fi
	[ -f "$d/obj/x86_64/memops_avx512f.o" ] ||
		defs+=" -DNO_AVX512F_KERNELS"
	[ -f "$d/obj/x86_64/memops_movdir64b.o" ] ||
		defs+=" -DNO_MOVDIR64B_KERNELS"
	for h in fuzz_mem fuzz_map; do
		# shellcheck disable=SC2046,SC2086
		if ! rt_prog "$d/$h" "$fz" -O1 \
		    -fsanitize=fuzzer,address,undefined $defs \
		    -I"$PMEM_TOPDIR/src" -I"$PMEM_TOPDIR/src/$(uname -m)" \
		    "$here/$h.c" $(cat "$d/objs") -lpthread; then
			fail "fuzz: building $h"
			return
		fi
	done

	# fuzz_map's files: a private 64 MiB tmpfs if we may mount one
	local mdir
	mdir=$(mktemp -d "$RT_WORK/fuzzfs.XXXXXX")
	if mount -t tmpfs -o size=64m tmpfs "$mdir" 2>/dev/null; then
		RT_MOUNTS+=("$mdir")
		export RT_FUZZ_DIR=$mdir
		unset RT_FUZZ_CLAMP
	else
		export RT_FUZZ_DIR=$mdir RT_FUZZ_CLAMP=1
	fi
	echo "fuzzing each harness for $secs s (RT_FUZZ_SECONDS)"
	for h in fuzz_mem fuzz_map; do
		rt_fuzz_one "$d/$h" "$h" "$secs" "$w"
	done
	if [ -n "$(ls "$mdir" 2>/dev/null)" ]; then
		fail "fuzz: fuzz_map left files behind in its directory"
	fi
	# the harnesses' checks fire on a planted bug (the corpus replayed)
	for h in fuzz_mem fuzz_map; do
		rt_expect_fail "fuzz: self-test: $h reports a planted bug" \
			"deadly signal|ERROR: AddressSanitizer" \
			env RT_FUZZ_PLANT=1 "$d/$h" -runs=0 \
			-artifact_prefix="$d/$h.planted-" "$here/corpus/$h"
	done
	unset RT_FUZZ_DIR RT_FUZZ_CLAMP
	umount "$mdir" 2>/dev/null
}

rt_fuzz_cc_ok() {
	command -v clang >/dev/null || return 1
	printf '%s\n' 'int LLVMFuzzerTestOneInput(const char *d, long n);' \
		'int LLVMFuzzerTestOneInput(const char *d, long n)' \
		'{ (void)d; (void)n; return 0; }' >"$1/probe.c"
	clang -fsanitize=fuzzer,address -o "$1/probe" "$1/probe.c" \
		>/dev/null 2>&1
}

rt_fuzz_one() {
	local bin=$1 h=$2 secs=$3 w=$4 seed=$here/corpus/$2 log=$4/$2.log
	mkdir -p "$w/$h.corpus" "$w/$h.crash"
	[ -d "$seed" ] || seed=""
	if ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" \
	    -timeout=25 -rss_limit_mb=3072 -print_final_stats=1 \
	    -artifact_prefix="$w/$h.crash/" "$w/$h.corpus" $seed \
	    >"$log" 2>&1; then
		pass "fuzz: $h, $secs s: no crash, leak or broken invariant" \
			"($(rt_fuzz_stats "$log"))"
	else
		fail "fuzz: $h"
		grep -E 'ERROR|SUMMARY|FAILED|deadly|Test unit written|Base64' \
			"$log" | head -n 12 | sed 's/^/  | /'
	fi
}

rt_fuzz_stats() {
	awk -F: '/number_of_executed_units/ { r = $NF }
		/new_units_added/ { n = $NF }
		END { gsub(/ /, "", r); gsub(/ /, "", n);
			printf "%s runs, %s new inputs", r, n }' "$1"
}

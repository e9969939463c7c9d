#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Unit tests (cmocka), one per module, linked against the static library so
# they reach internals; platform calls are replaced with -Wl,--wrap.
. "$(dirname "$0")/../lib/common.sh"

need_pkgs libcmocka-dev pkg-config || { skip "unit: cmocka unavailable"; summary; exit; }

out=$PMEM_BUILD/unit
mkdir -p "$out"
src=$PMEM_TOPDIR/src
cflags="-O2 -g -Wall -Wextra -Werror -I$PMEM_INCLUDEDIR -I$src -I$src/x86_64"

# test name -> the platform functions it replaces
declare -A wraps=(
	[out]=""
	[dax]=""
	[log]="plat_log_write"
	[range]="plat_msync plat_region_deep_flush plat_pagesize realloc"
	[map]="plat_file_type plat_open plat_devdax_size plat_devdax_align plat_devdax_region plat_map plat_region_deep_flush"
	[kernels]=""
	[init]="cpu_features plat_auto_flush plat_llc_size"
)
# kernels take long at -O0 and the debug build adds nothing to them
declare -A builds=([out]="nondebug debug" [dax]="nondebug" [log]="nondebug debug"
	[range]="nondebug debug"
	[map]="nondebug debug" [kernels]="nondebug" [init]="nondebug debug")

for t in out dax log range map kernels init; do
	# kernels and init test the x86_64 tables
	[ "$(uname -m)" != x86_64 ] && case $t in kernels|init) continue;; esac
	for b in ${builds[$t]}; do
		wrapflags=""
		for w in ${wraps[$t]}; do wrapflags+=" -Wl,--wrap=$w"; done
		bin=$out/test_${t}_$b
		extra=""	# kernels: the emulated AVX-512F/MOVDIR64B shapes
		[ "$t" = kernels ] && extra="$PMEM_TOPDIR/tests/lib/emu_avx512f.c
			$PMEM_TOPDIR/tests/lib/emu_movdir64b.c"
		# log: the defaults differ between the flavours
		[ "$t" = log ] && [ "$b" = debug ] && extra="-DTEST_DEBUG_LIB"
		# shellcheck disable=SC2086
		if ! $CC $cflags "$PMEM_TOPDIR/tests/unit/test_$t.c" $extra $wrapflags \
		    "$PMEM_BUILD/$b/libpmem.a" -lcmocka -lpthread -o "$bin"; then
			fail "unit $t ($b): build"
			continue
		fi
		check "unit $t ($b)" "$bin"
	done
done
summary

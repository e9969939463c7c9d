#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Shows that pmembench's correctness checks can fail: runs it against
# libraries broken on purpose (broken.c) and expects a non-zero exit each time;
# that its targets report names a case a slow library loses, and that the
# choices pass names the forced setting a library's default is slower than.
# Usage: bench/selftest.sh [BUILD_DIR]

topdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-${PMEM_BUILD:-$topdir/build}}" && pwd) || exit 2
out=$build/bench/selftest
ref=/usr/lib/$(cc -print-multiarch)/libpmem.so.1
[ -e "$ref" ] || ref=$(ldconfig -p | awk '/libpmem\.so\.1 /{print $NF; exit}')
if [ ! -e "$ref" ]; then
	echo "SKIP: no reference libpmem.so.1 installed"
	exit 77
fi
make -s -C "$topdir/bench" BUILD="$build" all || exit 2
mkdir -p "$out"

# bug number, operation filter, what must be reported
cases=(
	"1 memcpy_persist FAIL (ours)"
	"2 memset_persist FAIL (ours)"
	"3 memmove_persist_up FAIL (ours)"
	"4 is_pmem/1map FAIL (ours)"
	"5 memcpy_nt FAIL (ours)"
	"6 map_file FAIL (ours)"
	"7 persist FAIL: signal 11"
)
# broken_lib BUG: builds libbroken$BUG.so around the reference
broken_lib() {
	cc -shared -fPIC -O2 -DBUG="$1" -I"$topdir/include" \
		-Wl,-soname,"libbroken$1.so" -o "$out/libbroken$1.so" \
		"$topdir/bench/broken.c" \
		-Wl,--no-as-needed \
		"$(readlink -f "$ref")" -ldl
}
bad=0
for c in "${cases[@]}"; do
	read -r bug filter want <<<"$c"
	lib=$out/libbroken$bug.so
	broken_lib "$bug" || exit 2
	log=$out/bug$bug.log
	"$build/bench/pmembench" --ours "$lib" --ref "$ref" --no-limits \
		--filter "$filter" --sizes 64,4K+1 --time 1 --pairs 2,2 \
		--no-choices \
		>"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -qF "$want" "$log"; then
		echo "PASS: bug $bug ($filter) caught, exit $rc:" \
			"$(grep -m1 -F "$want" "$log")"
	else
		echo "FAIL: bug $bug ($filter) not caught (exit $rc), see $log"
		bad=1
	fi
done
# a library that copies twice is right (exit 0) but misses the ratio floor,
# against the reference's default and against its best setting
broken_lib 8 || exit 2
"$build/bench/pmembench" --ours "$out/libbroken8.so" --ref "$ref" --no-limits \
	--filter memcpy_persist --sizes 4K --time 2 --pairs 10,10 \
	--passes main,ref-settings --choices-time 2 --choices-rounds 5,5 \
	>"$out/slow.log" 2>&1
rc=$?
low='^| every case: ref/ours >= 0.97 against the reference.s'
# the default's row gives each case's +- and counts the misses beyond it
slow='memcpy_persist 4K (0\.[0-8][0-9]* +- [0-9.]*)'
beyond='[1-9][0-9]* of the [1-9][0-9]* by more than their +-'
if [ $rc -eq 0 ] &&
    grep -q "$low default | $slow.*; $beyond | \*\*no" "$out/slow.log" &&
    grep -q "$low best setting .* | memcpy_persist 4K (0\.[0-8].*| \*\*no" \
	"$out/slow.log"; then
	echo "PASS: a library twice as slow is named under the targets:" \
		"$(grep -m1 '^| every case' "$out/slow.log")"
else
	echo "FAIL: the slow library is not reported (exit $rc), see" \
		"$out/slow.log"
	bad=1
fi
# a default twice as slow as a forced setting is a miss that names it
broken_lib 9 || exit 2
"$build/bench/pmembench" --ours "$out/libbroken9.so" --ref "$ref" \
	--filter memcpy_persist --sizes 4K --choices-only --choices-time 2 \
	--choices-rounds 5,5 >"$out/choices.log" 2>&1
rc=$?
row='^| memcpy_persist | 4K | 64 | [^|]* |.* | NT=0 | \*\*[1-2]\.[0-9]*\*\*'
if [ $rc -eq 0 ] && grep -q "$row .*| \*\*MISS\*\* |" "$out/choices.log"; then
	echo "PASS: a slow default is named by the choices pass:" \
		"$(grep -m1 '^\*\*Choices' "$out/choices.log")"
else
	echo "FAIL: the choices pass misses a slow default (exit $rc), see" \
		"$out/choices.log"
	bad=1
fi
# The unbroken reference on both sides must pass the same checks. Every
# contender is one more dlmopen namespace with its own libc, and a dozen
# of them exhaust glibc's static TLS ("cannot allocate memory in static TLS
# block"), so the extra passes keep four settings (--contenders),
# and the report must show exactly those.
"$build/bench/pmembench" --ours "$ref" --ref "$ref" --no-limits \
	--sizes 64,4K+1 --time 2 --pairs 2,2 --choices-time 2 \
	--choices-rounds 2,2 --contenders NT=1T,F_NT,F_T,AVX=0 \
	>"$out/aa.log" 2>&1
rc=$?
heads=$(grep '^| operation | size | dst align | default time/op' "$out/aa.log")
if [ $rc -eq 0 ] && grep -q "| NT=1T | F_NT | F_T | fastest" <<<"$heads" &&
		! grep -q "AVX512F=0 |" <<<"$heads"; then
	echo "PASS: reference against itself passes every check"
else
	echo "FAIL: reference against itself exits $rc, see $out/aa.log"
	bad=1
fi
exit $bad

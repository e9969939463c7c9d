#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Setuid and setgid programs must not take orders from their caller's
# environment: in a secure-execution process (AT_SECURE) the reference
# ignores every PMEM_* variable, and so must ours. setuid_probe is installed
# setuid root and setgid root next to a copy of each library (found through
# its RUNPATH), then run as uid 65534 and as root under each set of
# variables below.
#
# Usage: setuid.sh REFERENCE_LIB OUR_LIB release|debug
# Exit: 0 passed, 1 failed (the differences are printed), 77 setuid programs
# cannot be tried here (not root, no setpriv, a nosuid file system).
#
# What must hold, for each set of variables:
#  - in the setuid and setgid runs each library prints exactly what it
#    prints as root with nothing set, to the instruction its kernels fault
#    on; writes nothing on stderr; leaves no PMEM_LOG_FILE behind;
#  - ours and the reference agree, in every run, on what does not depend on
#    the CPU policy: pmem_is_pmem, where the mapping lands, the flush
#    instruction, the log file, stderr. The kernels themselves may differ
#    by design (our x86_64 policy table), so each library's kernels are
#    compared with its own run with nothing set;
#  - as root, the sets marked "must" change something in both libraries
#    ("debug": in the debug builds), so the runs above are not vacuous.
# Finally ./libpmem.so.1 of ours, run setuid and setgid, says the variables
# are ignored and chooses what it chooses with nothing set.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${PMEM_TOPDIR:=$(cd "$here/../.." && pwd)}"
: "${PMEM_INCLUDEDIR:=$PMEM_TOPDIR/include}"
: "${CC:=cc}"
ref_lib=$1 our_lib=$2 kind=$3
NOBODY=65534
NOBODY_DO=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups)
HINT=0x100000000000

if [ "$(id -u)" -ne 0 ]; then
	echo "setuid: needs root to install setuid-root programs"
	exit 77
fi
if ! command -v setpriv >/dev/null; then
	echo "setuid: no setpriv (util-linux)"
	exit 77
fi

T=$(mktemp -d /tmp/pmem-setuid.XXXXXX)
trap 'rm -rf "$T"' EXIT
# uid 65534 must reach the programs and libraries, and write in $W
chmod 755 "$T"
W=$T/w LOG=$T/w/pmem.log MAP=$T/w/map
mkdir -m 1777 "$W" "$T/out"

# the sets of variables: "must|cpu|debug<TAB>VAR=VALUE..."
ALL="PMEM_IS_PMEM_FORCE=1 PMEM_MMAP_HINT=$HINT PMEM_NO_FLUSH=1 \
PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1 PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1 \
PMEM_MOVNT_THRESHOLD=1000000 PMEM_AVX=0 PMEM_AVX512F=1 PMEM_MOVDIR64B=1 \
PMEM_WC_WORKAROUND=1 PMEM_LOG_LEVEL=4 PMEM_LOG_FILE=$LOG"
SETS=(
	$'must\t'
	$'must\tPMEM_IS_PMEM_FORCE=1'
	$'must\tPMEM_MMAP_HINT='"$HINT"
	$'cpu\tPMEM_NO_FLUSH=1'
	$'cpu\tPMEM_NO_FLUSH=0'
	$'cpu\tPMEM_NO_CLWB=1'
	$'cpu\tPMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1'
	$'must\tPMEM_NO_MOVNT=1'
	$'must\tPMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1'
	$'must\tPMEM_MOVNT_THRESHOLD=1000000'
	$'cpu\tPMEM_AVX=0'
	$'cpu\tPMEM_AVX512F=0'
	$'cpu\tPMEM_AVX512F=1'
	$'cpu\tPMEM_MOVDIR64B=1'
	$'cpu\tPMEM_WC_WORKAROUND=0'
	$'cpu\tPMEM_WC_WORKAROUND=1'
	$'debug\tPMEM_LOG_LEVEL=4'
	$'debug\tPMEM_LOG_FILE='"$LOG"
	$'debug\tPMEM_LOG_LEVEL=4 PMEM_LOG_FILE='"$LOG"
	$'must\t'"$ALL"
)

bad=0
problem() { echo "setuid ($kind): $*"; bad=1; }

# every variable the library knows is in the set of all of them
names=$(sed -n 's/^#define ENV_[A-Z0-9_]*[[:space:]]*"\(PMEM_[A-Z0-9_]*\)"$/\1/p' \
	"$PMEM_TOPDIR/src/env.h")
[ -n "$names" ] || problem "no variable names found in src/env.h"
for v in $names; do
	case " $ALL" in
	*" $v="*) ;;
	*) problem "$v (src/env.h) is missing from the set of all variables" ;;
	esac
done

# install TAG LIB: LIB as $T/TAG/libpmem.so.1, the probe linked to it
# through its RUNPATH, copied setuid root and setgid root
install_probe() {
	local tag=$1 lib=$2 d=$T/$1
	mkdir -m 755 "$d"
	cp "$lib" "$d/libpmem.so.1" && chmod 755 "$d/libpmem.so.1" || return 1
	"$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -I"$PMEM_INCLUDEDIR" \
		-o "$d/probe" "$here/setuid_probe.c" "$d/libpmem.so.1" \
		-Wl,--enable-new-dtags,-rpath,"$d" || return 1
	readelf -d "$d/probe" | grep -q "RUNPATH.*\[$d\]" ||
		{ echo "no RUNPATH $d in the probe"; return 1; }
	install -o root -g root -m 4755 "$d/probe" "$d/probe-suid" &&
		install -o root -g root -m 2755 "$d/probe" "$d/probe-sgid"
}

# run TAG MODE N: set N under MODE (root, suid or sgid) into $T/out/TAG.MODE.N
run() {
	local tag=$1 mode=$2 o=$T/out/$1.$2.$3 rc prog=probe-suid as=() vars
	read -ra vars <<<"${SETS[$3]#*$'\t'}"
	case $mode in
	suid) as=("${NOBODY_DO[@]}") ;;
	sgid) as=("${NOBODY_DO[@]}") prog=probe-sgid ;;
	esac
	rm -f "$LOG" "$MAP"
	"${as[@]}" env -i "${vars[@]}" "$T/$tag/$prog" "$MAP" "$HINT" "$LOG" \
		>"$o" 2>"$o.err"
	rc=$?
	[ $rc -eq 0 ] || echo "exit $rc" >>"$o"
	if [ -s "$o.err" ]; then
		echo "stderr written" >>"$o"
	else
		echo "stderr empty" >>"$o"
	fi
	[ -e "$LOG" ] && echo "log file left on disk" >>"$o"
	rm -f "$LOG" "$MAP"
}

# common: the lines every libpmem 1.12.1 prints alike (all but the
# kernels); results: all lines but the '#' ones
common() { grep -v -e '^#' -e '@' -e '^memcpy ' -e '^memset ' "$1"; }
results() { grep -v '^#' "$1"; }
label() {
	local v=${SETS[$1]#*$'\t'}
	[ "$v" = "$ALL" ] && v="all of them"
	v=${v//$LOG/LOG}
	echo "${v:-nothing set}"
}

install_probe ref "$ref_lib" || { echo "setuid: cannot install the probe"; exit 1; }
install_probe ours "$our_lib" || { echo "setuid: cannot install the probe"; exit 1; }

# on a nosuid mount, or under no_new_privs, the set-id bits do nothing and
# the runs below would prove nothing
run ref suid 0
if ! grep -qx '# secure 1' "$T/out/ref.suid.0"; then
	echo "setuid: a setuid program is not in secure execution here:"
	sed 's/^/  | /' "$T/out/ref.suid.0" "$T/out/ref.suid.0.err"
	exit 77
fi

for n in "${!SETS[@]}"; do
	for tag in ref ours; do
		for mode in root suid sgid; do
			run $tag $mode "$n"
		done
	done
done

for n in "${!SETS[@]}"; do
	what=$(label "$n")
	for tag in ref ours; do
		for mode in root suid sgid; do
			o=$T/out/$tag.$mode.$n
			want=1
			[ $mode = root ] && want=0
			grep -qx "# lib $T/$tag/libpmem.so.1" "$o" ||
				problem "$tag, $mode, $what: not the library under test: $(grep '^# lib' "$o")"
			grep -qx "# secure $want" "$o" ||
				problem "$tag, $mode, $what: AT_SECURE is not $want"
			[ $mode = root ] && continue
			if ! cmp -s <(results "$T/out/$tag.root.0") <(results "$o"); then
				problem "$tag, $mode run by uid $NOBODY, $what: differs from the run with nothing set:"
				diff <(results "$T/out/$tag.root.0") <(results "$o") |
					sed 's/^/  | /'
				sed 's/^/  | stderr: /' "$o.err" | head -n 3
			fi
		done
	done
	for mode in root suid sgid; do
		if ! cmp -s <(common "$T/out/ref.$mode.$n") <(common "$T/out/ours.$mode.$n"); then
			problem "$mode, $what: ours differs from the reference:"
			diff <(common "$T/out/ref.$mode.$n") <(common "$T/out/ours.$mode.$n") |
				sed 's/^/  | /'
		fi
	done
done

# what each set changes as root: the keys of the lines that differ from
# the run with nothing set
changes() {
	diff <(results "$T/out/$1.root.0") <(results "$T/out/$1.root.$2") |
		sed -n 's/^> \([a-z_]*@*\).*/\1/p' | sort -u | tr '\n' ' '
}
echo "as root, what each set changes ($kind build), the reference | ours:"
for n in "${!SETS[@]}"; do
	[ "$n" -eq 0 ] && continue
	need=${SETS[$n]%%$'\t'*} r=$(changes ref "$n") o=$(changes ours "$n")
	printf '  %-44.44s %s| %s\n' "$(label "$n")" "${r:--}" "${o:--}"
	if [ "$need" = must ] || { [ "$need" = debug ] && [ "$kind" = debug ]; }; then
		[ -n "$r" ] || problem "the reference: $(label "$n") changes nothing as root"
		[ -n "$o" ] || problem "ours: $(label "$n") changes nothing as root"
	fi
done

# ./libpmem.so.1 (ours) run setuid and setgid: the variables are ignored,
# and it says so rather than listing them as unset
selfrun() {
	local mode=$1 o=$T/out/selfrun.$1 all
	read -ra all <<<"$ALL"
	if [ "$mode" = root ]; then
		env -i "${all[@]}" "$T/selfrun/libpmem.so.1-suid" >"$o" 2>&1
	else
		"${NOBODY_DO[@]}" env -i "${all[@]}" \
			"$T/selfrun/libpmem.so.1-$mode" >"$o" 2>&1
	fi
	[ -e "$LOG" ] && echo "log file left on disk" >>"$o"
	rm -f "$LOG"
}
chosen() { sed -n '/^chosen at load time:/,$p' "$1"; }
mkdir -m 755 "$T/selfrun"
install -o root -g root -m 4755 "$our_lib" "$T/selfrun/libpmem.so.1-suid"
install -o root -g root -m 2755 "$our_lib" "$T/selfrun/libpmem.so.1-sgid"
env -i "$T/selfrun/libpmem.so.1-suid" >"$T/out/selfrun.unset" 2>&1
selfrun root
grep -q "^environment: PMEM_IS_PMEM_FORCE=1 " "$T/out/selfrun.root" ||
	problem "./libpmem.so.1 as root does not list the variables set: $(grep '^environment' "$T/out/selfrun.root")"
for mode in suid sgid; do
	selfrun $mode
	o=$T/out/selfrun.$mode
	grep -q '^environment: ignored' "$o" ||
		problem "./libpmem.so.1 $mode run by uid $NOBODY: $(grep '^environment' "$o" || head -n 3 "$o")"
	if ! cmp -s <(chosen "$T/out/selfrun.unset") <(chosen "$o"); then
		problem "./libpmem.so.1 $mode run by uid $NOBODY chooses otherwise than with nothing set:"
		diff <(chosen "$T/out/selfrun.unset") <(chosen "$o") | sed 's/^/  | /'
	fi
done

[ $bad -eq 0 ] && echo "setuid ($kind): $((${#SETS[@]} * 6)) runs agree"
exit $bad

#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs inside the guest (chrooted into the host's root): turns the emulated
# NVDIMMs into fs-dax and devdax namespaces, then runs every check once per
# library. Writes "<who> CHECK|VALUE|INFO ..." lines to $JOB/results.
set -u
JOB=/mnt/daxjob
. "$JOB/env"
RES=$JOB/results
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "$*" >>"$RES"; }
stamp() { say "env TIME $(cut -d' ' -f1 /proc/uptime) $*"; }
echo "STARTED" >"$RES"
stamp start

# envcheck NAME OK DETAIL: a check about the guest itself, not a library.
envcheck() {
	if [ "$2" = 1 ]; then say "env CHECK $1 ok ${*:3}"
	else say "env CHECK $1 bad ${*:3}"; fi
}

# region_of_size MIB: the region whose size is MIB MiB (sizes are unique
# per boot because region numbers do not follow the DIMM order).
region_of_size() {
	local r
	for r in /sys/bus/nd/devices/region*; do
		[ "$(cat "$r/size")" = $(($1 << 20)) ] && basename "$r" &&
			return 0
	done
	return 1
}

# json_field NAME: the first "NAME":"value" of ndctl's JSON on stdin.
json_field() {
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1
}

# setup_hmem MIB: the Device DAX that dax_hmem made of the soft-reserved
# memory; its sysfs path must name no nd region, or this guest would
# test an ordinary Device DAX.
setup_hmem() {
	local d dev real size
	for d in /sys/bus/dax/devices/dax*; do
		[ -e "$d" ] || continue
		real=$(readlink -f "$d")
		[[ $real == /sys/devices/platform/hmem.* ]] || continue
		dev=$(basename "$d")
		size=$(cat "$d/size")
		if [ -c "/dev/$dev" ] && [ "$size" = $(($1 << 20)) ] &&
		    [[ $real != */ndbus*/region* ]]; then
			envcheck setup.hmem 1 "/dev/$dev -> $real, size $size" \
				"align $(cat "$d/align")"
			DEVDAX+=("hmem:/dev/$dev:none")
		else
			envcheck setup.hmem 0 "/dev/$dev -> $real size $size"
		fi
		return
	done
	envcheck setup.hmem 0 "no dax device below hmem.*; kernel:" \
		"$(dmesg | grep -iE 'soft.reserved|hmem|memmap' | tail -n 3 |
		tr '\n' ' ')"
}

# wait_for TRIES CMD...: runs CMD every 0.2 s until it succeeds.
wait_for() {
	local n=$1
	shift
	until "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}

# setup_cxl MIB: assembles the CXL pmem region (Linux 6.1 forgets it at
# each boot) and makes an fs-dax and a Device DAX namespace in it.
setup_cxl() {
	local mib=$1 out region df mode v dev mnt=/mnt/cxlfs
	if ! wait_for 50 test -e /sys/bus/cxl/devices/mem0; then
		say "env SKIP setup.cxl no CXL memory device mem0; kernel:" \
			"$(dmesg | grep -iE 'cxl|modprobe' | tail -n 4 |
			tr '\n' ' ')"
		return
	fi
	out=$(cxl create-region -m -d decoder0.0 -w 1 -t pmem mem0 2>&1)
	if ! wait_for 50 region_of_size "$mib" >/dev/null; then
		envcheck setup.cxl.region 0 "$(tail -n 3 <<<"$out" |
			tr '\n' ' ')"
		return
	fi
	region=$(region_of_size "$mib")
	envcheck setup.cxl.region 1 "$region: $(grep -m 1 created <<<"$out")"
	# what the library meets there: read-only and "nothing to flush"
	df=/sys/bus/nd/devices/$region/deep_flush
	mode=$(stat -c %A "$df" 2>&1)
	v=$(cat "$df" 2>&1)
	envcheck cxl.deep_flush_sysfs "$([ "$mode" = -r--r--r-- ] &&
		[ "$v" = 0 ] && echo 1 || echo 0)" \
		"$df is $mode and reads '$v' (want -r--r--r--, '0')"

	out=$(ndctl create-namespace -r "$region" -m fsdax -s 256M 2>&1)
	dev=$(echo "$out" | json_field blockdev)
	mkdir -p "$mnt"
	if [ -n "$dev" ] && mkfs.ext4 -q -F -b 4096 -E nodiscard \
	    "/dev/$dev" >/dev/null 2>&1 &&
	    out=$(mount -o "$DAXT_MOUNT_OPTS" "/dev/$dev" "$mnt" 2>&1); then
		envcheck setup.cxlfs 1 "/dev/$dev on $mnt ($region)"
		FSDAX+=("cxlfs:$mnt:$region")
	else
		envcheck setup.cxlfs 0 "$(echo "$out" | tail -n 3)"
	fi
	out=$(ndctl create-namespace -r "$region" -m devdax -a 2M 2>&1)
	dev=$(echo "$out" | json_field chardev)
	if [ -n "$dev" ] && [ -c "/dev/$dev" ]; then
		envcheck setup.cxldax 1 "/dev/$dev align 2M ($region):" \
			"$(readlink -f "/sys/bus/dax/devices/$dev")"
		DEVDAX+=("cxldax:/dev/$dev:$region")
	else
		envcheck setup.cxldax 0 "$(echo "$out" | tail -n 3)"
	fi
}

# run_deep_trace: dax_trace (our library traced, dax_trace.c) over the
# kinds in DAXT_DEEPTRACE, before the stand-ins hide the real deep_flush
# files (CXL's: read-only, "0"); then each planted defect, which must fail
# the trace checks on every target it reaches, for the reason it plants.
run_deep_trace() {
	local x kind path args=() out=/run/out/trace p want n got rc ndev=0
	[ -n "$DAXT_DEEPTRACE" ] || return 0
	if [ -z "$DAXT_TRACEPROG" ]; then
		say "env SKIP deep_trace dax_trace was not built (see above)"
		return
	fi
	for x in "${FSDAX[@]}" "${DEVDAX[@]}"; do
		kind=${x%%:*}
		[[ " $DAXT_DEEPTRACE " == *" $kind "* ]] || continue
		path=${x#*:}
		path=${path%:*}
		args+=("$kind:$path")
		[ -c "$path" ] && ndev=$((ndev + 1))
	done
	[ ${#args[@]} -gt 0 ] || return 0
	mkdir -p /run/out
	env $DAXT_LIB_ENV timeout 60 "$DAXT_TRACEPROG" "${args[@]}" \
		>"$out" 2>&1
	rc=$?
	n=$(grep -c '^CHECK ' "$out")
	envcheck deep_trace.run "$([ $rc -le 1 ] && [ "$n" = \
		$((3 * ${#args[@]})) ] && echo 1 || echo 0)" \
		"exit $rc, $n checks on ${args[*]}"
	sed -n 's/^CHECK /env CHECK /p' "$out" >>"$RES"
	# plant:reason:how many of the persist/flush_drain checks it must fail
	for p in "df0write:deep_flush (written|opened for writing):$((2 * ndev))" \
	    "nofence:before the flushes are fenced:$((2 * ${#args[@]}))"; do
		want=${p#*:}
		n=${want##*:}
		want=${want%:*}
		env $DAXT_LIB_ENV timeout 60 "$DAXT_TRACEPROG" -P "${p%%:*}" \
			"${args[@]}" >"$out.plant" 2>&1
		got=$(grep -cE "^CHECK [^ ]+\.(persist|flush_drain) bad .*($want)" \
			"$out.plant")
		envcheck "deep_trace.plant_${p%%:*}" "$([ "$got" = "$n" ] &&
			[ "$n" -gt 0 ] && echo 1 || echo 0)" \
			"caught by $got of $n checks: $(grep -E '^CHECK [^ ]+\.(persist|flush_drain) bad' \
			"$out.plant" | head -n 1 | cut -d' ' -f2,4-)"
	done
}

FSDAX=() DEVDAX=() NONDAX=(tmpfs:/run)
setup_dimm() {
	local kind=${1%%:*} mib=${1#*:} region ns out dev mnt
	case $kind in
	hmem)
		setup_hmem "$mib"
		return
		;;
	cxl)
		setup_cxl "$mib"
		return
		;;
	esac
	region=$(region_of_size "$mib") || {
		envcheck "setup.$kind" 0 "no region of $mib MiB"
		return
	}
	ns=namespace${region#region}.0
	case $kind in
	ext4 | xfs)
		out=$(ndctl create-namespace -f -e "$ns" -m fsdax 2>&1)
		dev=$(echo "$out" | json_field blockdev)
		mnt=/mnt/$kind
		mkdir -p "$mnt"
		if [ "$kind" = ext4 ]; then
			mkfs.ext4 -q -F -b 4096 -E nodiscard "/dev/$dev" \
				>/dev/null 2>&1
		else
			mkfs.xfs -q -f -K -m reflink=0 "/dev/$dev" \
				>/dev/null 2>&1
		fi
		if [ -n "$dev" ] && mount -o "$DAXT_MOUNT_OPTS" "/dev/$dev" \
		    "$mnt"; then
			envcheck "setup.$kind" 1 "/dev/$dev on $mnt" \
				"($region):" \
				"$(grep " $mnt " /proc/mounts | cut -d' ' -f4)"
			FSDAX+=("$kind:$mnt:$region")
			[ "$DAXT_MOUNT_OPTS" != dax=inode ] ||
				dax_inode "$kind" "$mnt"
		else
			envcheck "setup.$kind" 0 "$(echo "$out" | tail -n 3)"
		fi
		;;
	devdax2m | devdax4k)
		local a=2M
		[ "$kind" = devdax4k ] && a=4K
		out=$(ndctl create-namespace -f -e "$ns" -m devdax -a $a 2>&1)
		dev=$(echo "$out" | json_field chardev)
		if [ -n "$dev" ] && [ -c "/dev/$dev" ]; then
			envcheck "setup.$kind" 1 "/dev/$dev align $a ($region)"
			DEVDAX+=("$kind:/dev/$dev:$region")
		else
			envcheck "setup.$kind" 0 "$(echo "$out" | tail -n 3)"
		fi
		;;
	esac
}

# dax_inode KIND MNT: with per-file DAX, new files under MNT are DAX while
# those under MNT/plain are not: a non-DAX file on a DAX-capable device.
dax_inode() {
	mkdir -p "$2/plain"
	if chattr +x "$2" && chattr -x "$2/plain"; then
		NONDAX+=("$1-plain:$2/plain")
	else
		envcheck "setup.$1.dax_inode" 0 "chattr failed"
	fi
}

# Stand-ins for every region's deep_flush, so that writes can be seen.
setup_deep_flush() {
	local r name
	mkdir -p /run/df
	for r in /sys/bus/nd/devices/region*; do
		[ -e "$r" ] || continue		# a guest without NVDIMMs
		name=$(basename "$r")
		printf '1\n' >"/run/df/$name"
		[ "$DAXT_DF_BIND" = 1 ] || continue
		mount --bind "/run/df/$name" "$r/deep_flush" ||
			envcheck "deep_flush_bind.$name" 0 "bind mount failed"
	done
}

check_persistence_domain() {
	local r v got=
	for r in /sys/bus/nd/devices/region*; do
		[ -e "$r" ] || continue
		v=absent
		[ -f "$r/persistence_domain" ] &&
			v=$(cat "$r/persistence_domain")
		got="$got $(basename "$r")=$v"
	done
	local bad=0
	for v in $got; do
		[ "${v#*=}" = "$DAXT_PDOMAIN" ] || bad=1
	done
	envcheck persistence_domain $((! bad)) "$got (want $DAXT_PDOMAIN)"
}

# run_lib WHO DIR: the test program with DIR's libpmem.so.1.
SLOT=0
run_lib() {
	local who=$1 dir=$2 args=(-d /run/df -a "$DAXT_AUTOFLUSH" -m) x
	[ "$DAXT_BACKCHECK" = 1 ] && args+=(-k $((SLOT++)))
	# Device DAX last: a library that crashes there (the reference on
	# region-less Device DAX) has been compared on the rest by then
	for x in "${NONDAX[@]}"; do args+=(-n "$x"); done
	for x in "${FSDAX[@]}"; do args+=(-f "$x"); done
	for x in "${DEVDAX[@]}"; do args+=(-x "$x"); done
	mkdir -p /run/out
	env $DAXT_LIB_ENV LD_LIBRARY_PATH="$dir" timeout 120 "$DAXT_PROG" \
		"${args[@]}" >"/run/out/$who" 2>&1
	echo "rc $?" >>"/run/out/$who"
	sed "s|^|$who |" "/run/out/$who" >>"$RES"
	local lib
	lib=$(sed -n 's/^INFO lib //p' "/run/out/$who")
	[ "$(readlink -f "$lib")" = "$(readlink -f "$dir/libpmem.so.1")" ]
	say "$who CHECK loaded_library $([ $? = 0 ] && echo ok || echo bad)" \
		"$lib (want $dir/libpmem.so.1)"
}

# The kernel choices forced one by one, as the matrix suite does on the
# host: tag:variables.
KERNEL_SETS=("nomovnt:PMEM_NO_MOVNT=1"
	"nomovnt-nogeneric:PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1"
	"noavx512f:PMEM_AVX512F=0" "sse2:PMEM_AVX512F=0 PMEM_AVX=0"
	"movdir64b:PMEM_MOVDIR64B=1" "wc0:PMEM_WC_WORKAROUND=0"
	"wc1:PMEM_WC_WORKAROUND=1" "thr0:PMEM_MOVNT_THRESHOLD=0"
	"clflushopt:PMEM_NO_CLWB=1"
	"clflush:PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1")

CPUFLAGS=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
cpu_has() { [[ $CPUFLAGS == *" $1 "* ]]; }
# the vector width with AVX-512 forbidden: every policy row asks for AVX
# or wider, and this CPU may narrow that
VEC=sse2
cpu_has avx && VEC=avx

# What each forced set must show in our debug build's log at level 15,
# as the matrix suite checks it on the host: tag;feature the CPU needs
# for it;ERE every kernel that ran matches;EREs some kernel matches;ERE
# no kernel matches;ERE of a log line. The Device DAX calls of dax_test
# -y (test_devdax_api) copy 64 KiB and fill 5000 bytes (streaming), move
# 1000 and fill 10 bytes (ordinary stores, below the threshold).
KERNEL_EXPECT=(
	"nomovnt;;^mem(move|set)_generic_;^memmove_generic_flush\$ ^memset_generic_flush\$;;PMEM_NO_MOVNT=1: generic kernels"
	"nomovnt-nogeneric;;^mem(move|set)_mov_;^memmove_mov_ ^memset_mov_;;PMEM_NO_MOVNT=1: temporal SIMD kernels only"
	"noavx512f;;_${VEC}_;^memmove_movnt_${VEC}_ ^memset_movnt_${VEC}_;;memmove non-temporal: memmove_movnt_${VEC}_"
	"sse2;;_sse2_;^memmove_movnt_sse2_ ^memset_movnt_sse2_ ^memmove_mov_sse2_;;memmove non-temporal: memmove_movnt_sse2_"
	"movdir64b;movdir64b;.;^memmove_movnt_movdir64b_;;memmove non-temporal: memmove_movnt_movdir64b_"
	"wc0;;.;^memmove_movnt_ ^memset_movnt_;_wcbarrier\$;WC workaround: off"
	"wc1;;.;^memmove_movnt_.*_wcbarrier\$ ^memset_movnt_.*_wcbarrier\$;^mem(move|set)_movnt_.*_(clwb|clflushopt|clflush|subline)\$;memmove non-temporal: .*_wcbarrier\$"
	"thr0;;.;^memset_movnt_;;memset_movnt_[a-z0-9_]+\] dst .* len 10\$"
	"clflushopt;clflushopt;_(clflushopt|noflush)(_|\$);_clflushopt(_|\$);;flush: clflushopt "
	"clflush;;_(clflush|noflush)(_|\$);_clflush(_|\$);;flush: clflush "
)

# kernel_expect TAG: sets KX_* from TAG's entry of KERNEL_EXPECT
kernel_expect() {
	local e
	KX_NEED="" KX_ALL="" KX_SOME="" KX_NONE="" KX_LOG=""
	for e in "${KERNEL_EXPECT[@]}"; do
		[ "${e%%;*}" = "$1" ] || continue
		IFS=';' read -r _ KX_NEED KX_ALL KX_SOME KX_NONE KX_LOG <<<"$e"
		return 0
	done
	return 1
}

# kernel_unrunnable TAG: true (and says why) when this CPU cannot run
# the kernels TAG forces: the library falls back to ones another set runs
kernel_unrunnable() {
	kernel_expect "$1" || return 1
	[ -n "$KX_NEED" ] && ! cpu_has "$KX_NEED" &&
		echo "the guest CPU has no ${KX_NEED^^}"
}

# kernel_log KIND PATH TAG VARS...: our debug build, under VARS, runs the
# -y calls on PATH with PMEM_LOG_LEVEL=15; the kernels its log names must
# be the ones TAG forces.
kernel_log() {
	local kind=$1 path=$2 tag=$3 log=/run/out/klog ran re bad=""
	shift 3
	rm -f "$log"
	env $DAXT_LIB_ENV "$@" LD_LIBRARY_PATH="$OURS_DBG" \
		PMEM_LOG_LEVEL=15 PMEM_LOG_FILE="$log" timeout 60 \
		"$DAXT_PROG" -y "$kind.klog:$path" >/dev/null 2>&1
	ran=$(grep -oE '\[memops_(template\.h|generic\.c):[0-9]+ [a-z0-9_]+\]' \
		"$log" 2>/dev/null | awk '{ print $2 }' | tr -d ']' | sort -u)
	kernel_expect "$tag"
	[ -n "$ran" ] || bad="no kernel in the log"
	re=$(grep -vE -- "$KX_ALL" <<<"$ran" | tr '\n' ' ')
	[ -z "$ran" ] || [ -z "$re" ] || bad+=" ran $re(want /$KX_ALL/)"
	for re in $KX_SOME; do
		grep -qE -- "$re" <<<"$ran" || bad+=" none ran like /$re/"
	done
	[ -z "$KX_NONE" ] || ! grep -qE -- "$KX_NONE" <<<"$ran" ||
		bad+=" ran $(grep -E -- "$KX_NONE" <<<"$ran" | tr '\n' ' ')"
	grep -qE -- "$KX_LOG" "$log" 2>/dev/null ||
		bad+=" log lacks /$KX_LOG/"
	envcheck "$kind.k-$tag.kernels_ran" "$([ -z "$bad" ] && echo 1 ||
		echo 0)" "$*: ${bad:-ran $(echo $ran)}"
}

# run_kernels WHO DIR: the copy, move and fill checks on the Device DAX
# kinds in DAXT_KERNELS, once per entry of KERNEL_SETS that this CPU can
# run; our debug build's log shows which kernels each one ran.
run_kernels() {
	local who=$1 dir=$2 x kind path set out=/run/out/k.$1 why
	for x in "${DEVDAX[@]}"; do
		kind=${x%%:*}
		[[ " $DAXT_KERNELS " == *" $kind "* ]] || continue
		path=${x#*:}
		path=${path%:*}
		for set in "${KERNEL_SETS[@]}"; do
			if why=$(kernel_unrunnable "${set%%:*}"); then
				[ "$who" = ours ] &&
					say "env SKIP $kind.k-${set%%:*}" \
					"(${set#*:}) not run: $why"
				continue
			fi
			# shellcheck disable=SC2086
			[ "$who" = ours ] && [ -n "$OURS_DBG" ] &&
				kernel_log "$kind" "$path" "${set%%:*}" \
				${set#*:}
			# shellcheck disable=SC2086
			env $DAXT_LIB_ENV ${set#*:} LD_LIBRARY_PATH="$dir" \
				timeout 60 "$DAXT_PROG" \
				-y "$kind.k-${set%%:*}:$path" >"$out" 2>&1
			echo "rc $?" >>"$out"
			sed "s|^|$who |" "$out" >>"$RES"
		done
	done
}

# run_selfrun DIR: DIR's libpmem.so.1 run as a program must report the
# cache policy and flush instruction of this guest's config. Only our
# library runs as a program, so these are guest checks: as per-library
# checks they would count the reference as failing them.
run_selfrun() {
	local lib=$1/libpmem.so.1 real out rc first got want ok bad=0
	real=$(readlink -f "$lib")
	out=$(env $DAXT_LIB_ENV timeout 60 "$lib" 2>&1)
	rc=$?
	first=$(head -n 1 <<<"$out")
	# the release build: a debug one names itself on this line
	ok=0
	[ $rc = 0 ] && [[ $first == "libpmem.so.1: "*"for libpmem 1.12.1" ]] &&
		ok=1
	envcheck selfrun.ours.start $ok "${real:-$lib} exit $rc: $first"
	bad=$((bad + !ok))

	got=$(sed -n 's/^  CPU caches: //p' <<<"$out")
	ok=0
	if [ "$DAXT_AUTOFLUSH" = 1 ]; then
		want='not flushed (eADR...'
		[[ $got == "not flushed (eADR"* ]] && ok=1
	else
		want=flushed
		[ "$got" = flushed ] && ok=1
	fi
	envcheck selfrun.ours.caches $ok "says '$got', want '$want'"
	bad=$((bad + !ok))

	# under eADR the instruction is still the deep flush's
	want="$DAXT_FLUSH (deep flush: $DAXT_FLUSH)"
	[ "$DAXT_AUTOFLUSH" = 1 ] && want="noflush (deep flush: $DAXT_FLUSH)"
	got=$(sed -n 's/^  flush: //p' <<<"$out")
	ok=0
	[ "$got" = "$want" ] && ok=1
	envcheck selfrun.ours.flush $ok "says '$got', want '$want'"
	bad=$((bad + !ok))

	[ $bad = 0 ] || sed '/^$/d; s/^/ours LOG selfrun: /' <<<"$out" >>"$RES"
}

# pool_check WHO DIR NAME TYPE TARGET: pmempool create + check with DIR's
# libpmem underneath libpmemobj/blk/log.
pool_check() {
	local who=$1 dir=$2 name=$3 type=$4 target=$5 out rc extra=()
	case $type in
	blk) extra=(512) ;;
	esac
	if [ -c "$target" ]; then
		# pmempool check reads BTT areas that create leaves unwritten
		"$DAXT_PROG" -z "$target" >/dev/null
	else
		extra+=(--size=$([ "$type" = blk ] && echo 32M || echo 16M))
		rm -f "$target"
	fi
	out=$(env $DAXT_LIB_ENV LD_LIBRARY_PATH="$dir" timeout 60 \
		pmempool create "$type" "${extra[@]}" "$target" 2>&1)
	say "$who CHECK pool.$name.$type.create $([ $? = 0 ] && echo ok ||
		echo bad) ${out//$'\n'/ }"
	out=$(env $DAXT_LIB_ENV LD_LIBRARY_PATH="$dir" timeout 60 \
		pmempool check -v "$target" 2>&1)
	rc=$?
	[ $rc = 0 ] && [ "${out##*: }" = consistent ]
	say "$who CHECK pool.$name.$type.check $([ $? = 0 ] && echo ok ||
		echo bad) rc $rc: ${out//$'\n'/ }"
	if [ -c "$target" ]; then
		LD_LIBRARY_PATH=$dir timeout 60 pmempool rm "$target" \
			>/dev/null 2>&1
	else
		rm -f "$target"
	fi
}

# run_pools WHO DIR: the runs listed in DAXT_POOLS (kind:type,type...).
run_pools() {
	local who=$1 dir=$2 p x kind path t
	for p in $DAXT_POOLS; do
		for x in "${FSDAX[@]}" "${DEVDAX[@]}"; do
			[ "${x%%:*}" = "${p%%:*}" ] || continue
			kind=${x%%:*}
			path=${x#*:}
			path=${path%:*}
			[ -c "$path" ] || path=$path/pool
			t=${p#*:}
			for t in ${t//,/ }; do
				pool_check "$who" "$dir" "$kind" "$t" "$path"
			done
		done
	done
}

# The flush decision in a debug log: the instruction named first in a line
# that reports the choice (the reference says "using clwb", ours "flush:
# clwb (deep flush: ...)"), then "noflush" when the library said that it
# does not flush CPU caches (eADR, or PMEM_NO_FLUSH=1).
log_decision() {
	local kind
	local re='(using|flush:) +(clwb|clflushopt|clflush|none|empty)\b'
	kind=$(grep -ioE "$re" "$1" | head -n 1 | awk '{print tolower($NF)}')
	echo -n "${kind:-unknown}"
	grep -qiE 'not flushing' "$1" && echo -n " noflush"
	echo
}

run_debug_log() {
	local who=$1 dir=$2 log=/run/out/dbg.$1 got ok=0
	[ ${#FSDAX[@]} -gt 0 ] || return
	local fsdir=${FSDAX[0]#*:}
	fsdir=${fsdir%:*}
	rm -f "$log"
	env $DAXT_LIB_ENV LD_LIBRARY_PATH="$dir" PMEM_LOG_LEVEL=3 \
		PMEM_LOG_FILE="$log" timeout 60 "$DAXT_PROG" -l "$fsdir" \
		>/dev/null 2>&1
	got=$(log_decision "$log")
	if [ "$DAXT_AUTOFLUSH" = 1 ]; then
		# with eADR a library may log the instruction or that none runs
		case $got in
		"$DAXT_FLUSH noflush" | "none noflush" | "empty noflush")
			ok=1
			;;
		esac
	else
		[ "$got" = "$DAXT_FLUSH" ] && ok=1
	fi
	say "$who CHECK debug_log.flush_path $([ $ok = 1 ] && echo ok ||
		echo bad) log says '$got', want '$DAXT_FLUSH'$(
		[ "$DAXT_AUTOFLUSH" = 1 ] && echo " + eADR noflush")"
	[ $ok = 1 ] ||
		grep -iE 'clwb|clflush|flushing|eadr' "$log" | head -n 20 |
		sed "s|^|$who LOG |" >>"$RES"
}

for d in $DAXT_DIMMS; do
	setup_dimm "$d"
	stamp "setup $d"
done
run_deep_trace
stamp "deep trace"
setup_deep_flush
stamp "setup done"
check_persistence_domain
say "env INFO cpu $(grep -m1 -owE 'clwb|clflushopt' /proc/cpuinfo |
	sort -u | tr '\n' ' ')"

for pair in $DAXT_LIBS; do
	run_lib "${pair%%=*}" "${pair#*=}"
	stamp "run_lib $pair"
done
OURS_DBG=$(tr ' ' '\n' <<<"$DAXT_DBGLIBS" | sed -n 's/^ours=//p')
if [ -n "$DAXT_KERNELS" ]; then
	for pair in $DAXT_LIBS; do
		run_kernels "${pair%%=*}" "${pair#*=}"
		stamp "kernels $pair"
	done
fi
for pair in $DAXT_LIBS; do
	[ "${pair%%=*}" = ours ] && run_selfrun "${pair#*=}"
done
stamp selfrun
if [ -n "$DAXT_POOLS" ]; then
	for pair in $DAXT_LIBS; do
		run_pools "${pair%%=*}" "${pair#*=}"
		stamp "pools $pair"
	done
fi
for pair in $DAXT_DBGLIBS; do
	run_debug_log "${pair%%=*}" "${pair#*=}"
	stamp "debug $pair"
done
say "END"

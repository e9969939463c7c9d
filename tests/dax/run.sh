#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# DAX suite: boots QEMU (TCG) guests with emulated NVDIMMs, a CXL Type-3
# pmem device and soft-reserved memory, and runs the same checks against
# our libpmem and the reference on real fs-dax and devdax.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"
. "$here/kit.sh"
OUT=$PMEM_BUILD/dax
REF_LIBDIR=${DAXT_REF_LIBDIR:-/usr/lib/x86_64-linux-gnu}
REF_DBGDIR=${DAXT_REF_DBGDIR:-$REF_LIBDIR/pmdk_dbg}
BOOT_TIMEOUT=${DAXT_BOOT_TIMEOUT:-300}
# Knobs for breaking things on purpose, to see the checks fail:
# DAXT_LIB_ENV="VAR=value ..." for every library run in the guests,
# DAXT_MOUNT_OPTS (default dax) for the fs-dax mounts, DAXT_DF_BIND=0
# leaves the real (read-only, "0") deep_flush files in place,
# DAXT_CXL_PORTS=1 gives the cxl guest the one root port that loses writes.
# DAXT_ONLY="name ..." boots only those guests; DAXT_KEEP=1 keeps the
# guests' job directories (console, results, logs).

# The guests. Each sets: CPU (qemu -cpu), PERSIST (nvdimm-persistence),
# PDOMAIN (what every region's persistence_domain must say), FLUSH (the
# instruction the debug log must name), DIMMS (kind:MiB; sizes differ
# within a guest because the guest finds each DIMM's region by its size;
# xfs refuses filesystems under 300 MB), POOLS (kind:type,... for
# pmempool; spread so that obj, blk and log each run once on fs-dax and
# once on devdax, as every pool run costs seconds under TCG) and
# optionally FSOPT, the fs-dax mount option (dax=inode adds a non-DAX
# directory on the same filesystem), MEM (guest RAM in MiB), APPEND (more
# kernel parameters) and REF_CRASH (the target at which the reference is
# known to crash, so that its missing results are not counted) and
# KERNELS (Device DAX kinds whose copy checks rerun per forced kernel) and
# DEEPTRACE (kinds whose deep paths are traced, see dax_trace.c).
CONFIGS="base eadr clflush hmem cxl"
conf_base() {
	CPU=max PERSIST= PDOMAIN=absent FLUSH=clwb
	DIMMS="ext4:128 xfs:400 devdax2m:64 devdax4k:48"
	POOLS="ext4:obj xfs:blk devdax2m:blk"
}
conf_eadr() {
	CPU=max PERSIST=cpu PDOMAIN=cpu_cache FLUSH=clwb
	DIMMS="ext4:96 devdax2m:32"
	POOLS="ext4:log devdax2m:obj"
}
conf_clflush() {
	CPU=max,-clwb,-clflushopt PERSIST=mem-ctrl PDOMAIN=memory_controller
	FLUSH=clflush FSOPT=dax=inode
	DIMMS="ext4:112 devdax4k:48"
	POOLS="ext4:blk devdax4k:log"
}
# Device DAX under no nd region: memmap=SIZE%OFFSET-OLDTYPE+NEWTYPE turns
# 256 MiB of the guest's RAM (type 1, usable) into soft-reserved memory
# (0xefffffff), which dax_hmem offers as /dev/daxN.M below
# /sys/devices/platform/hmem.N. The EFI route (efi_fake_mem=) needs
# CONFIG_EFI_FAKE_MEMMAP, which Debian's kernel lacks. The reference
# crashes in pmem_map_file there (PMDK issue 6160); no pools, since
# libpmemobj and libpmemblk look up the region themselves.
conf_hmem() {
	CPU=max PERSIST="" PDOMAIN=absent FLUSH=clwb
	MEM=2048 APPEND="memmap=256M%0x40000000-1+0xefffffff"
	DIMMS="hmem:256"
	POOLS=""
	REF_CRASH=hmem
}
# CXL Type-3 memory device with a persistent partition, bridged into the
# nd bus by cxl_pmem: its region reports memory_controller and a
# read-only deep_flush that reads 0. One region of 512 MiB, assembled
# with `cxl create-region` at each boot, holds an fs-dax and a Device DAX
# namespace. BACKCHECK: the libraries' writes are looked for in the
# device's backing file on the host (a second path to the same bytes).
conf_cxl() {
	CPU=max PERSIST="" PDOMAIN=memory_controller FLUSH=clwb
	MEM=2048 DIMMS="cxl:512" POOLS="cxlfs:log cxldax:obj" BACKCHECK=1
	KERNELS=cxldax DEEPTRACE="cxlfs cxldax"
	CXL_PORTS=${DAXT_CXL_PORTS:-2}
}

infra() { skip "infrastructure: $*"; }

# conf NAME: the defaults, then config NAME's settings.
conf() {
	FSOPT=dax MEM=1024 APPEND="" REF_CRASH="" BACKCHECK=0 CXL_PORTS=0
	KERNELS="" DEEPTRACE=""
	"conf_$1"
}

finish() {
	if [ -n "${TMP:-}" ]; then
		if [ -n "${DAXT_KEEP:-}" ]; then
			echo "kept $TMP"
		else
			rm -rf "$TMP"
		fi
	fi
	summary
	exit
}

prerequisites() {
	if [ "$(uname -m)" != x86_64 ]; then
		skip "DAX guests need an x86_64 host (this is $(uname -m))"
		finish
	fi
	if ! need_pkgs qemu-system-x86 ndctl daxctl e2fsprogs xfsprogs \
	    xz-utils; then
		skip "qemu-system-x86/ndctl/xfsprogs cannot be installed"
		finish
	fi
	if ! qemu-system-x86_64 -accel help 2>/dev/null | grep -qx tcg; then
		skip "qemu-system-x86_64 has no TCG accelerator"
		finish
	fi
	POOLS_OK=1
	if ! need_pkgs pmdk-tools >/dev/null; then
		POOLS_OK=0
		skip "pmdk-tools cannot be installed: no pmempool checks"
	fi
}

build_program() {
	local libdir=$PMEM_RELEASE_LIBDIR
	[ -f "$libdir/libpmem.so" ] || libdir=$REF_LIBDIR
	if ! $CC -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	    -I"$PMEM_INCLUDEDIR" -o "$OUT/dax_test" "$here/dax_test.c" \
	    -L"$libdir" -lpmem -ldl; then
		fail "build dax_test"
		finish
	fi
}

# dax_trace: dax_trace.c and the flush-coverage recorder of the reliability
# suite (trace_check.c) linked with our library's objects built with
# -DPMEM_TRACE by that suite's lib.mk, open and write wrapped to see
# deep_flush writes. Without it the guests skip the deep-path trace.
build_trace_program() {
	local d=$OUT/trace flags="-O1 -g -DPMEM_TRACE" rel=$PMEM_TOPDIR/tests/reliability
	TRACE_PROG=""
	[ "$(uname -m)" = x86_64 ] || return 0
	mkdir -p "$d"
	[ "$(cat "$d/flags" 2>/dev/null)" = "$CC $flags" ] ||
		echo "$CC $flags" >"$d/flags"
	# shellcheck disable=SC2046
	if ! make -s -j2 -f "$rel/lib.mk" TOP="$PMEM_TOPDIR" OUT="$d" \
	    CC="$CC" FLAGS="$flags" >"$d/build.log" 2>&1 ||
	    ! $CC -std=gnu11 -O1 -g -Wall -Wextra -Werror -DPMEM_TRACE \
	    -I"$PMEM_INCLUDEDIR" -I"$PMEM_TOPDIR/src" \
	    -I"$PMEM_TOPDIR/src/x86_64" -I"$rel" -o "$OUT/dax_trace" \
	    "$here/dax_trace.c" "$rel/trace_check.c" $(cat "$d/objs") \
	    -Wl,--wrap=open,--wrap=write,--wrap=plat_region_deep_flush \
	    -lpthread >>"$d/build.log" 2>&1; then
		fail "build dax_trace: $(tail -n 3 "$d/build.log" | tr '\n' ' ')"
		return 0
	fi
	TRACE_PROG=$OUT/dax_trace
}

# Sets LIBS and DBGLIBS to the libraries to compare, as who=dir pairs.
pick_libs() {
	LIBS="" DBGLIBS=""
	if [ -f "$REF_LIBDIR/libpmem.so.1" ]; then
		LIBS="ref=$REF_LIBDIR"
		[ -f "$REF_DBGDIR/libpmem.so.1" ] &&
			DBGLIBS="ref=$REF_DBGDIR"
	else
		skip "no reference libpmem in $REF_LIBDIR: no differential run"
	fi
	if [ -f "$PMEM_RELEASE_LIBDIR/libpmem.so.1" ]; then
		LIBS="$LIBS ours=$PMEM_RELEASE_LIBDIR"
	else
		fail "no release library $PMEM_RELEASE_LIBDIR/libpmem.so.1"
	fi
	if [ -f "$PMEM_DEBUG_LIBDIR/libpmem.so.1" ]; then
		DBGLIBS="$DBGLIBS ours=$PMEM_DEBUG_LIBDIR"
	else
		fail "no debug library $PMEM_DEBUG_LIBDIR/libpmem.so.1"
	fi
}

# write_job NAME DIR: the files the guest reads from its 9p share.
write_job() {
	local name=$1 job=$2
	cat >"$job/env" <<-EOF
		DAXT_CONF=$name
		DAXT_DIMMS="$DIMMS"
		DAXT_AUTOFLUSH=$([ "$PERSIST" = cpu ] && echo 1 || echo 0)
		DAXT_PDOMAIN=$PDOMAIN
		DAXT_FLUSH=$FLUSH
		DAXT_PROG=$OUT/dax_test
		DAXT_LIBS="$LIBS"
		DAXT_DBGLIBS="$DBGLIBS"
		DAXT_POOLS="$([ "$POOLS_OK" = 1 ] && echo "$POOLS")"
		DAXT_LIB_ENV="${DAXT_LIB_ENV:-}"
		DAXT_MOUNT_OPTS="${DAXT_MOUNT_OPTS:-$FSOPT}"
		DAXT_DF_BIND=${DAXT_DF_BIND:-1}
		DAXT_BACKCHECK=$BACKCHECK
		DAXT_KERNELS="$KERNELS"
		DAXT_DEEPTRACE="$DEEPTRACE"
		DAXT_TRACEPROG=$TRACE_PROG
	EOF
	# modules the guest loads before its chroot
	local mods=ext4
	case " $DIMMS" in *" xfs:"*) mods+=" xfs" ;; esac
	case " $DIMMS" in *" hmem:"*) mods+=" dax_hmem" ;; esac
	# cxl_port is a driver too, and nothing loads it by alias here
	case " $DIMMS" in *" cxl:"*)
		mods+=" cxl_acpi cxl_port cxl_pci cxl_mem cxl_pmem" ;;
	esac
	echo "$mods" >"$job/modules"
	echo "exec /bin/bash $here/guest.sh >/mnt/daxjob/guest.log 2>&1" \
		>"$job/start"
}

# cxl_args JOB: adds a CXL host bridge, CXL_PORTS root ports and one
# Type-3 device with 512 MiB of persistent memory to args.
# The second root port is required although the device uses only the
# first: with a single port the kernel leaves the host bridge's decoder
# in pass-through, QEMU 7.2 does not route that, and every write to the
# region is silently lost while every setup step reports success (reads
# come back zero, mount says "bad superblock"). BACKCHECK catches that.
cxl_args() {
	local job=$1 p
	truncate -s 512M "$job/cxl-mem0"
	truncate -s 256M "$job/cxl-lsa0"
	args+=(-object "memory-backend-file,id=cxl-mem0,share=on,mem-path=$job/cxl-mem0,size=512M"
		-object "memory-backend-file,id=cxl-lsa0,share=on,mem-path=$job/cxl-lsa0,size=256M"
		-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1)
	for ((p = 0; p < CXL_PORTS; p++)); do
		args+=(-device "cxl-rp,port=$p,bus=cxl.1,id=rp$p,chassis=0,slot=$((p + 2))")
	done
	args+=(-device cxl-type3,bus=rp0,memdev=cxl-mem0,lsa=cxl-lsa0,id=cxl-pmem0
		-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G)
}

# boot_guest NAME: starts the guest of config NAME in the background; its
# job directory is $TMP/NAME.
boot_guest() {
	local name=$1 job=$TMP/$1 d i=0 mib total=0 fs9p obj cmdline
	conf "$name"
	mkdir -p "$job"
	write_job "$name" "$job"
	fs9p=security_model=none,multidevs=remap
	# crypto self-tests alone take a second of TCG time
	cmdline="console=ttyS0 panic=-1 quiet mitigations=off"
	cmdline+=" cryptomgr.notests=1${APPEND:+ $APPEND}"
	local machine="pc,nvdimm=on${PERSIST:+,nvdimm-persistence=$PERSIST}"
	[ "$CXL_PORTS" = 0 ] || machine=q35,cxl=on
	local args=(-accel tcg -cpu "$CPU" -smp 1 -machine "$machine"
		-display none -nodefaults -no-reboot -serial "file:$job/console"
		-initrd "$KIT/initrd.cpio" -append "$cmdline"
		-virtfs "local,path=/,mount_tag=hostroot,readonly=on,$fs9p"
		-virtfs "local,path=$job,mount_tag=daxjob,$fs9p")
	if [ -f "$KIT/vmlinux" ]; then
		args+=(-kernel "$KIT/vmlinux")
		# SeaBIOS for CXL: the guest assembles its region from ACPI
		# (CEDT) and PCI state set up by the BIOS
		[ "$CXL_PORTS" = 0 ] &&
			args+=(-bios /usr/share/qemu/qboot.rom)
	else
		args+=(-kernel "$KIT/vmlinuz")
	fi
	for d in $DIMMS; do
		# soft-reserved memory is carved from RAM by APPEND
		case ${d%%:*} in hmem | cxl) continue ;; esac
		mib=${d#*:}
		truncate -s "${mib}M" "$job/nvdimm$i"
		obj=memory-backend-file,share=on,align=2M,id=mem$i
		obj+=,size=${mib}M,mem-path=$job/nvdimm$i
		args+=(-object "$obj" -device "nvdimm,id=nv$i,memdev=mem$i")
		total=$((total + mib))
		i=$((i + 1))
	done
	if [ "$CXL_PORTS" != 0 ]; then
		cxl_args "$job"
		args+=(-m "${MEM}M,maxmem=8G,slots=8")
	elif [ $i = 0 ]; then
		args+=(-m "${MEM}M")
	else
		args+=(-m "${MEM}M,slots=$i,maxmem=$((MEM + total + 2 * i))M")
	fi
	(
		timeout "$BOOT_TIMEOUT" qemu-system-x86_64 "${args[@]}" \
			>"$job/qemu.log" 2>&1
		echo $? >"$job/rc"
		# not in a pipe: that would be a new process
		times >"$job/cpu"
	) &
	echo $! >"$job/pid"
}

# report NAME: turns the guest's result lines into pass/fail/skip.
report() {
	local name=$1 job=$TMP/$1 res=$TMP/$1/results who kind rest c
	if ! grep -q '^STARTED' "$res" 2>/dev/null; then
		infra "guest $name did not start its job;" \
			"qemu: $(tail -n 3 "$job/qemu.log" | tr '\n' ' ')" \
			"console: $(tail -n 5 "$job/console" | tr '\n' ' ')"
		return
	fi
	if ! grep -q 'TIME .* setup done' "$res"; then
		infra "guest $name stopped while setting up its namespaces;" \
			"last: $(tail -n 2 "$res" | tr '\n' ' ')"
		return
	fi
	declare -A st=() det=() val=() seen=()
	local order=() vorder=() ref_crashed=0 alone=0
	conf "$name"
	while read -r who kind c rest; do
		case $kind in
		CHECK)
			st[$who/$c]=${rest%% *}
			det[$who/$c]=
			[[ $rest == *" "* ]] && det[$who/$c]=${rest#* }
			[ "$who" = env ] && c=env.$c
			[ -n "${seen[c$c]:-}" ] || order+=("$c")
			seen[c$c]=1
			;;
		VALUE)
			val[$who/$c]=$rest
			[ -n "${seen[v$c]:-}" ] || vorder+=("$c")
			seen[v$c]=1
			;;
		LOG)
			echo "  $name $who log: $c $rest"
			;;
		SKIP)
			skip "$name/$c: $rest"
			;;
		MARK)
			# a write the library persisted, looked for in the
			# backing files: a lost write shows up here only
			c=$c.backing_file
			st[$who/$c]=bad
			det[$who/$c]="'$rest' not in the host's backing file"
			if grep -qaF "$rest" "$job"/cxl-mem*; then
				st[$who/$c]=ok
				det[$who/$c]="'$rest' read back on the host"
			fi
			[ -n "${seen[c$c]:-}" ] || order+=("$c")
			seen[c$c]=1
			;;
		rc)
			case $c in
			0 | 1) ;;
			*)
				if [ "$who" = ref ] && [ -n "$REF_CRASH" ] &&
				    [ "$c" -gt 128 ]; then
					ref_crashed=1
					skip "$name/ref: the reference died" \
						"(exit $c) as known on" \
						"'$REF_CRASH' (PMDK issue" \
						"6160); its missing results" \
						"are not compared"
				else
					fail "$name/$who: dax_test died (exit $c)"
				fi
				;;
			esac
			;;
		esac
	done < <(grep -v -e '^STARTED' -e '^END' "$res")
	declare -A unreached=()
	for c in "${order[@]}"; do
		report_check "$name" "$c"
	done
	[ $alone = 0 ] || echo "  $name: $alone checks ran on ours alone" \
		"(the reference crashed before them)"
	for c in "${!unreached[@]}"; do
		fail "$name/$c.*: ours did not reach ${unreached[$c]} more" \
			"checks (see the failure above)"
	done
	report_values "$name"
	if ! grep -q '^END' "$res"; then
		fail "$name: guest stopped before the end (timeout or crash)," \
			"last: $(tail -n 2 "$res" | tr '\n' ' ')"
	fi
}

# report_check CONF CHECK: one line per check; both libraries must pass it.
report_check() {
	local name=$1 c=$2 o r
	case $c in
	env.*)
		c=${c#env.}
		if [ "${st[env/$c]}" = ok ]; then
			pass "$name/env.$c"
		else
			fail "$name/env.$c: ${det[env/$c]}"
		fi
		return
		;;
	esac
	o=${st[ours/$c]:-} r=${st[ref/$c]:-}
	[[ " $LIBS" == *" ours="* ]] || o=ok
	[[ " $LIBS" == *" ref="* ]] || r=ok
	if [ "$o" = ok ] && [ -z "$r" ] && [ $ref_crashed = 1 ]; then
		pass "$name/$c"
		alone=$((alone + 1))
	elif [ "$o" = ok ] && [ "$r" = ok ]; then
		pass "$name/$c"
	elif [ -z "$o" ] && [ "$r" = ok ] && [ -n "${st[ours/${c%%.*}.map]:-}" ]
	then
		# the label's mapping failed (reported once): count the rest
		unreached[${c%%.*}]=$((${unreached[${c%%.*}]:-0} + 1))
	elif [ "$o" != ok ]; then
		fail "$name/$c: ours: ${o:-no result} ${det[ours/$c]:-}" \
			"| reference: ${r:-no result} ${det[ref/$c]:-}"
	else
		fail "$name/$c: reference fails it: ${det[ref/$c]:-}" \
			"| ours: ok ${det[ours/$c]:-}"
	fi
}

# report_values CONF: the VALUE lines must agree between the libraries;
# values that ours never got to (after a failed check) count once.
report_values() {
	local name=$1 c same=0 missing=0
	[[ " $LIBS" == *" ref="* && " $LIBS" == *" ours="* ]] || return 0
	for c in "${vorder[@]}"; do
		if [ -z "${val[ours/$c]+set}" ] || [ -z "${val[ref/$c]+set}" ]
		then
			missing=$((missing + 1))
		elif [ "${val[ref/$c]}" = "${val[ours/$c]}" ]; then
			same=$((same + 1))
		else
			fail "$name/diff $c: reference: ${val[ref/$c]}" \
				"| ours: ${val[ours/$c]}"
		fi
	done
	pass "$name/differential: $same values identical"
	if [ $missing != 0 ] && [ $ref_crashed = 1 ]; then
		skip "$name/differential: $missing values not compared" \
			"(the reference crashed)"
	elif [ $missing != 0 ]; then
		fail "$name/differential: $missing values missing on one side"
	fi
}

main() {
	local name
	prerequisites
	mkdir -p "$OUT"
	if ! kit_prepare "$OUT" "$here/init.sh" >"$OUT/kit.log" 2>&1; then
		infra "guest kit: $(tail -n 3 "$OUT/kit.log" | tr '\n' ' ')"
		finish
	fi
	build_program
	build_trace_program
	pick_libs
	TMP=$(mktemp -d) || finish
	# the guests idle for part of their boot: run them side by side
	local names=()
	for name in $CONFIGS; do
		[[ -z ${DAXT_ONLY:-} || " $DAXT_ONLY " == *" $name "* ]] ||
			continue
		if [ "$name" = cxl ] && ! qemu-system-x86_64 -device help \
		    2>&1 | grep -q '"cxl-type3"'; then
			skip "cxl: guest not booted: qemu-system-x86_64" \
				"-device help lists no cxl-type3 (QEMU < 7.1)"
			continue
		fi
		echo "booting guest '$name'"
		boot_guest "$name"
		names+=("$name")
	done
	for name in "${names[@]}"; do
		wait "$(cat "$TMP/$name/pid")"
		[ "$(cat "$TMP/$name/rc")" = 124 ] &&
			echo "guest '$name' timed out after ${BOOT_TIMEOUT}s"
		echo "guest '$name' used $(tail -n 1 "$TMP/$name/cpu")" \
			"CPU (user sys)"
		report "$name"
	done
	finish
}

main "$@"

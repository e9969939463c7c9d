#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs real libpmem clients (pmempool, fio, libpmemobj/blk/log programs and a
# program built against the distribution's libpmem) on our library unchanged.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

OUT=$PMEM_BUILD/clients
STEP_TIMEOUT=${CLIENTS_STEP_TIMEOUT:-90}
CRASH_ROUNDS=${CLIENTS_CRASH_ROUNDS:-4}
# narrower runs while debugging, e.g. CLIENTS_BUILDS=release
BUILDS=${CLIENTS_BUILDS:-release debug}
export STEP_TIMEOUT CRASH_ROUNDS OUT

W=$(mktemp -d /dev/shm/pmem-clients.XXXXXX 2>/dev/null ||
	mktemp -d /tmp/pmem-clients.XXXXXX)
trap 'rm -rf "$W"' EXIT
export W
# fio drops verify state files into the working directory
cd "$W" || exit 1

VERSION_WARNING='no version information available'
export VERSION_WARNING

die() {
	echo "error: $*"
	exit 1
}

# ---- packages -------------------------------------------------------------

missing=()
need_pkgs pmdk-tools libpmem-dev libpmemobj-dev libpmemblk-dev \
	libpmemlog-dev libpmempool-dev fio jq || missing+=("packages")
for t in pmempool fio jq "$CC"; do
	command -v "$t" >/dev/null || missing+=("$t")
done

# ---- build the client programs against the distribution's headers ---------

build_programs() {
	local cflags="-O2 -g -Wall -Wextra -Werror -std=gnu11"

	mkdir -p "$OUT" || return 1
	# the plain libpmem client is built exactly as a user would build it:
	# distribution header, distribution library, nothing of ours
	$CC $cflags -o "$OUT/allpmem" "$here/allpmem.c" -lpmem &&
	$CC $cflags -o "$OUT/obj_test" "$here/obj_test.c" -lpmemobj &&
	$CC $cflags -o "$OUT/blk_test" "$here/blk_test.c" -lpmemblk &&
	$CC $cflags -o "$OUT/log_test" "$here/log_test.c" -lpmemlog
}

# ---- loader check ----------------------------------------------------------

# real_dir PATH: the canonical directory holding PATH.
real_dir() {
	realpath -e "$(dirname "$1")" 2>/dev/null
}

# loader_check DIR CMD...: runs CMD with LD_LIBRARY_PATH=DIR and succeeds
# only if the dynamic loader initialised DIR/libpmem.so.1 (and no other
# libpmem.so.1), printed no version warning, and CMD exited 0. Programs of
# ours print the path dl_iterate_phdr() reports; it must agree.
loader_check() {
	local dir=$1 want inits n got self
	shift
	want=$(realpath -e "$dir" 2>/dev/null) ||
		{ echo "  $dir does not exist"; return 1; }
	if ! LD_LIBRARY_PATH=$dir LD_DEBUG=libs timeout 30 "$@" \
	    >"$W/lc.out" 2>"$W/lc.err"; then
		echo "  $* exited non-zero:"
		grep -v '^ *[0-9]*:' "$W/lc.err" | head -5 | sed 's/^/    /'
		return 1
	fi
	if grep -q "$VERSION_WARNING" "$W/lc.err"; then
		echo "  loader: $(grep -m1 "$VERSION_WARNING" "$W/lc.err")"
		return 1
	fi
	inits=$(sed -n 's|.*calling init: \(.*/libpmem\.so\.1\)$|\1|p' \
		"$W/lc.err" | sort -u)
	n=$(printf '%s' "$inits" | grep -c .)
	if [ "$n" -ne 1 ]; then
		echo "  expected one libpmem.so.1 initialised, got $n: $inits"
		return 1
	fi
	got=$(real_dir "$inits")
	if [ "$got" != "$want" ]; then
		echo "  $1 loaded $inits, not the one in $dir"
		return 1
	fi
	if [ -s "$W/lc.out" ] && [ "$1" != pmempool ] && [ "$1" != fio ]; then
		self=$(head -n 1 "$W/lc.out")
		if [ "$(real_dir "$self")" != "$want" ]; then
			echo "  dl_iterate_phdr reports $self, not $dir"
			return 1
		fi
	fi
	echo "  $(basename "$1"): $inits"
	return 0
}

# loader_check_all DIR: every client binary and program against DIR.
loader_check_all() {
	local dir=$1 rc=0 p

	loader_check "$dir" pmempool --version || rc=1
	loader_check "$dir" fio --version || rc=1
	for p in allpmem obj_test blk_test log_test; do
		loader_check "$dir" "$OUT/$p" loadcheck || rc=1
	done
	return $rc
}

# A libpmem.so.1 with the right names but no symbol versions: the loader
# accepts it with a warning, which the check must catch.
make_unversioned_stub() {
	local dir=$1 names

	mkdir -p "$dir" || return 1
	names=$(nm -D --defined-only "$(ref_libpmem)" 2>/dev/null |
		awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }')
	[ -n "$names" ] || return 1
	for n in $names; do
		echo "int $n(void); int $n(void) { return 0; }"
	done >"$dir/stub.c"
	$CC -shared -fPIC -Wl,-soname,libpmem.so.1 -o "$dir/libpmem.so.1" \
		"$dir/stub.c"
}

# ref_libpmem: the distribution's libpmem.so.1 of this architecture (a
# foreign one may be installed too). Asked of dpkg, not of the
# loader cache, which may list an installed copy of ours first.
ref_libpmem() {
	dpkg -L "libpmem1:$(dpkg --print-architecture)" 2>/dev/null |
		grep -m1 '/libpmem\.so\.1$'
}

# ---- scenario plumbing ------------------------------------------------------

# step NAME FUNC ARGS...: runs a scenario function with the library under
# test, bounded in time; its output is shown only when it fails.
step() {
	local name=$1 rc t0=$SECONDS
	shift
	timeout -k 5 "$STEP_TIMEOUT" bash -c '"$@"' _ "$@" >"$W/step.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && grep -q "$VERSION_WARNING" "$W/step.log"; then
		echo "  loader: $(grep -m1 "$VERSION_WARNING" "$W/step.log")" \
			>>"$W/step.log"
		rc=1
	fi
	case $rc in
	0) pass "$TAG $name ($((SECONDS - t0)) s)" ;;
	77) skip "$TAG $name: $(tail -n 1 "$W/step.log")" ;;
	124 | 137)
		fail "$TAG $name (timed out after ${STEP_TIMEOUT}s)"
		tail -n 20 "$W/step.log" | sed 's/^/    /' ;;
	*)
		fail "$TAG $name (exit $rc)"
		tail -n 20 "$W/step.log" | sed 's/^/    /' ;;
	esac
	return 0
}

# L CMD...: runs a client on the library under test.
L() {
	LD_LIBRARY_PATH=$LIBDIR CLIENTS_LIBDIR=$LIBDIR "$@"
}

# fresh: an empty scratch directory for one step.
fresh() {
	rm -rf "$W/s" && mkdir -p "$W/s" && echo "$W/s"
}

# corrupt FILE OFFSET BYTES(printf-escaped)
corrupt() {
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# ---- pmempool ---------------------------------------------------------------

sc_pmempool_create() {
	local d
	d=$(fresh)
	L pmempool create obj --layout=clients -s 64M "$d/obj" ||
		die "create obj"
	L pmempool create blk 520 -s 64M "$d/blk" || die "create blk"
	L pmempool create log -s 16M "$d/log" || die "create log"
	for p in obj blk log; do
		L pmempool info "$d/$p" >"$d/info.$p" || die "info $p"
		grep -q "^Signature *: PMEM${p^^}" "$d/info.$p" ||
			die "info $p: wrong signature"
		L pmempool check "$d/$p" || die "check $p"
	done
	grep -q '^Block size *: 520' "$d/info.blk" || die "info blk: bsize"
	grep -q '^Layout *: clients' "$d/info.obj" || die "info obj: layout"
	L pmempool rm -v "$d/obj" "$d/blk" "$d/log" || die "rm"
	[ ! -e "$d/obj" ] && [ ! -e "$d/blk" ] && [ ! -e "$d/log" ] ||
		die "rm left files behind"
}

# repair_case POOL OFFSET BYTES OPTS NAME: corrupts a copy, expects check to
# fail, a dry run and the backup to leave/keep the corrupted bytes, and the
# repair to give back the original byte for byte.
repair_case() {
	local pool=$1 off=$2 bytes=$3 opts=$4 name=$5 c=$1.bad

	cp "$pool" "$c" && corrupt "$c" "$off" "$bytes" || die "$name: copy"
	cmp -s "$pool" "$c" && die "$name: corruption had no effect"
	L pmempool check "$c" && die "$name: check passed a corrupted pool"
	cp "$c" "$c.dry"
	L pmempool check -r -y -d $opts "$c.dry" >/dev/null ||
		die "$name: dry run failed"
	cmp "$c" "$c.dry" || die "$name: dry run modified the file"
	L pmempool check -r -y -v $opts -b "$c.bak" "$c" ||
		die "$name: repair failed"
	cmp "$c.bak" "$c.dry" || die "$name: backup differs from the input"
	cmp "$pool" "$c" || die "$name: repaired file differs from the original"
	L pmempool check "$c" || die "$name: check after repair"
	rm -f "$c" "$c.dry" "$c.bak"
	echo "$name: restored byte-identical"
}

sc_pmempool_repair() {
	local d
	d=$(fresh)
	# BTT metadata exists only once blocks were written
	L "$OUT/blk_test" "$d/blk" 520 32 || die "blk pool"
	L "$OUT/log_test" "$d/log" 4 11 || die "log pool"
	L pmempool create obj --layout=clients -s 16M "$d/obj" || die "obj pool"
	# the first BTT Info header follows the 4 KiB pool header and the
	# 4 KiB pmemblk header; check restores it from its backup copy
	repair_case "$d/blk" 8208 'XXXX' "" "blk BTT Info" || exit 1
	# a damaged pool header checksum is recomputed with --advanced
	repair_case "$d/blk" 4088 '\x55\x55' "-a" "blk pool header" || exit 1
	repair_case "$d/log" 4088 '\x55\x55' "-a" "log pool header" || exit 1
	# the log is full, so "write_offset := end_offset" is the original
	repair_case "$d/log" 4112 '\xff\xff\xff\x7f' "" "log write_offset" ||
		exit 1
	# pmemobj repair is documented as unsupported: it must say so, not
	# claim success
	cp "$d/obj" "$d/obj.bad" && corrupt "$d/obj.bad" 4088 '\x55\x55'
	cp "$d/obj.bad" "$d/obj.before"
	L pmempool check "$d/obj.bad" && die "obj: corrupted header passed"
	L pmempool check -r -y "$d/obj.bad" >"$d/obj.out" 2>&1 &&
		die "obj: repair claimed success"
	grep -q 'cannot repair' "$d/obj.out" || die "obj: unexpected output"
	cmp "$d/obj.before" "$d/obj.bad" || die "obj: failed repair wrote"
	echo "obj: repair refused as documented"
}

# poolset FILE PART...: writes a pool set file; a part is SIZE:PATH and
# the word R starts a replica.
poolset() {
	local f=$1 x
	shift
	{
		echo PMEMPOOLSET
		for x in "$@"; do
			if [ "$x" = R ]; then
				echo REPLICA
			else
				echo "${x%%:*} ${x#*:}"
			fi
		done
	} >"$f"
}

# A two-part pool with a replica: the replica is rebuilt by sync, then proves
# it holds the data by rebuilding the primary; transform adds and removes one.
sc_pmempool_poolset() {
	local d
	d=$(fresh)
	poolset "$d/a.set" "32M:$d/p0" "32M:$d/p1" R "64M:$d/r0"
	poolset "$d/b.set" "32M:$d/p0" "32M:$d/p1" R "64M:$d/r0" \
		R "32M:$d/r1a" "32M:$d/r1b"
	poolset "$d/c.set" "32M:$d/p0" "32M:$d/p1" R "32M:$d/r1a" "32M:$d/r1b"
	L "$OUT/obj_test" memops "$d/a.set" 0 "$d/model" 3000 7 ||
		die "memops on the replicated pool"
	L pmempool info "$d/a.set" >/dev/null || die "info set"
	L pmempool check "$d/a.set" || die "check set"
	rm -f "$d/r0"
	L pmempool sync -v "$d/a.set" || die "sync after deleting the replica"
	[ -s "$d/r0" ] || die "sync did not recreate the replica"
	rm -f "$d/p0" "$d/p1"
	L pmempool sync -v "$d/a.set" || die "sync after deleting the primary"
	L "$OUT/obj_test" memverify "$d/a.set" "$d/model" ||
		die "data rebuilt from the replica"
	L pmempool transform -v "$d/a.set" "$d/b.set" ||
		die "transform: add a replica"
	[ -s "$d/r1a" ] && [ -s "$d/r1b" ] || die "transform made no replica"
	rm -f "$d/p0" "$d/p1" "$d/r0"
	L pmempool sync -v "$d/b.set" || die "sync from the new replica"
	L "$OUT/obj_test" memverify "$d/b.set" "$d/model" ||
		die "data rebuilt from the transformed replica"
	L pmempool transform -v "$d/b.set" "$d/c.set" ||
		die "transform: remove a replica"
	[ ! -e "$d/r0" ] || die "transform left the removed replica"
	L "$OUT/obj_test" memverify "$d/c.set" "$d/model" ||
		die "data after removing a replica"
	L pmempool rm -v "$d/c.set" || die "rm set"
	for f in p0 p1 r1a r1b; do
		[ ! -e "$d/$f" ] || die "rm left $f"
	done
}

# ---- libpmemobj / libpmemblk / libpmemlog -------------------------------

sc_obj() {
	local d
	d=$(fresh)
	L "$OUT/obj_test" big "$d/big" 100000 || exit 1
	L "$OUT/obj_test" abort "$d/abort" || exit 1
	L "$OUT/obj_test" memops "$d/mem" 64 "" 5000 "$RANDOM" || exit 1
	L "$OUT/obj_test" alloc "$d/alloc" 5000 "$RANDOM" || exit 1
}

# The writer is killed at random moments; each reopen runs libpmemobj's
# recovery and the invariants must hold.
sc_obj_crash() {
	local d i pid prev=0 tot
	d=$(fresh)
	echo "note: the pool is a RAM-backed file, so kill -9 exercises the" \
		"recovery logic (undo log replay), not power loss"
	trap '[ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null' EXIT
	for i in $(seq 1 "$CRASH_ROUNDS"); do
		# a simple command, so $! is the writer itself, not a subshell
		LD_LIBRARY_PATH=$LIBDIR CLIENTS_LIBDIR=$LIBDIR \
			"$OUT/obj_test" writer "$d/pool" >"$d/writer.out" 2>&1 &
		pid=$!
		# let it get going, then kill it at a random moment
		while ! grep -q started "$d/writer.out" 2>/dev/null; do
			kill -0 "$pid" 2>/dev/null ||
				{ cat "$d/writer.out"; die "writer died"; }
			sleep 0.02
		done
		sleep "0.$((RANDOM % 400 + 20))"
		kill -0 "$pid" 2>/dev/null ||
			{ cat "$d/writer.out"; die "writer died on its own"; }
		kill -9 "$pid"
		wait "$pid" 2>/dev/null
		pid=
		L "$OUT/obj_test" verify "$d/pool" >"$d/verify.out" ||
			{ cat "$d/verify.out"; die "round $i: invariants"; }
		tot=$(awk '{ print $2 }' "$d/verify.out")
		[ "$tot" -gt "$prev" ] ||
			die "round $i: total $tot did not grow from $prev"
		echo "round $i: $(cat "$d/verify.out")"
		prev=$tot
	done
}

sc_blk() {
	local d bs
	d=$(fresh)
	for bs in 512 520 4096; do
		L "$OUT/blk_test" "$d/blk$bs" "$bs" 32 || exit 1
		rm -f "$d/blk$bs"
	done
}

sc_log() {
	local d
	d=$(fresh)
	L "$OUT/log_test" "$d/log" 8 "$RANDOM" || exit 1
}

sc_allpmem() {
	local d
	d=$(fresh)
	L "$OUT/allpmem" "$d" || exit 1
}

# ---- fio -------------------------------------------------------------------

# fio_job JSON ARGS...: runs fio on the library under test, JSON into a file.
fio_job() {
	local json=$1
	shift
	L fio --output-format=json --output="$json" "$@"
}

# fio_bytes JSON DIR: io_bytes of the first job for DIR (read or write).
fio_bytes() {
	jq -r ".jobs[0].$2.io_bytes" "$1"
}

fio_expect() {
	local json=$1 what=$2 rbytes=$3 wbytes=$4 r w e
	e=$(jq -r '.jobs[0].error' "$json")
	r=$(fio_bytes "$json" read)
	w=$(fio_bytes "$json" write)
	[ "$e" = 0 ] || die "$what: fio job error $e"
	[ "$r" = "$rbytes" ] || die "$what: read $r bytes, expected $rbytes"
	[ "$w" = "$wbytes" ] || die "$what: wrote $w bytes, expected $wbytes"
	echo "$what: read $r, wrote $w bytes"
}

FIO_SIZE=$((64 << 20))
export FIO_SIZE

# verify_with_psync JSON JOB-ARGS...: re-reads what the libpmem engine wrote
# through plain read(2), so the check does not trust the mapping; the
# libpmem engine itself rewrites the file under --verify_only (fio quirk,
# the same with the reference library).
verify_with_psync() {
	local json=$1
	shift
	fio --output-format=json --output="$json" "$@" --ioengine=psync \
		--verify_only
}

sc_fio_libpmem() {
	local d f seq rnd
	d=$(fresh)
	f=$d/fio.pmem
	seq="--name=c --filename=$f --size=$FIO_SIZE --rw=write --bs=4k"
	seq="$seq --verify=crc32c"
	rnd="--name=c --filename=$f --size=$FIO_SIZE --rw=randwrite"
	rnd="$rnd --bsrange=512-64k --verify=crc32c --direct=1"
	if [ "${PMEM_IS_PMEM_FORCE:-}" != 1 ]; then
		# the engine insists on pmem; a tmpfs file is not, with the
		# reference as with ours
		fio_job "$d/j" $seq --ioengine=libpmem &&
			die "fio accepted a non-pmem file"
		[ "$(jq -r '.jobs[0].error' "$d/j")" = 95 ] ||
			die "expected job error 95 (EOPNOTSUPP)"
		echo "libpmem engine refuses a non-pmem file (error 95)"
		return 0
	fi
	fio_job "$d/j1" $seq --ioengine=libpmem || die "sequential write"
	fio_expect "$d/j1" "seq write+verify" $FIO_SIZE $FIO_SIZE
	verify_with_psync "$d/j2" $seq || die "sequential data in the file"
	fio_expect "$d/j2" "seq data re-read by psync" $FIO_SIZE $FIO_SIZE
	fio_job "$d/j3" $rnd --ioengine=libpmem || die "random write"
	fio_expect "$d/j3" "rand write+verify (non-temporal)" $FIO_SIZE \
		$FIO_SIZE
	verify_with_psync "$d/j4" $rnd || die "random data in the file"
	fio_expect "$d/j4" "rand data re-read by psync" $FIO_SIZE $FIO_SIZE
	fio_job "$d/j5" --name=c --filename="$f" --size=$FIO_SIZE \
		--rw=randread --bs=4k --ioengine=libpmem || die "random read"
	fio_expect "$d/j5" "rand read" $FIO_SIZE 0
}

# The verify step itself must be able to fail: flip a byte, expect an error.
sc_fio_selftest() {
	local d f seq
	d=$(fresh)
	f=$d/fio.pmem
	seq="--name=c --filename=$f --size=$FIO_SIZE --rw=write --bs=4k"
	seq="$seq --verify=crc32c"
	fio_job "$d/j1" $seq --ioengine=libpmem || die "sequential write"
	verify_with_psync "$d/j2" $seq || die "clean file failed verify"
	corrupt "$f" $((FIO_SIZE / 2 + 100)) '\x5a\xa5'
	verify_with_psync "$d/j3" $seq >/dev/null 2>&1 &&
		die "fio verify missed a corrupted byte"
	echo "fio verify catches a corrupted byte"
}

sc_fio_pmemblk() {
	local d size=$((32 << 20))
	d=$(fresh)
	# pmemblk takes "path,bsize,poolsize_MiB" and needs threads
	fio_job "$d/j1" --name=c --ioengine=pmemblk --thread=1 --direct=1 \
		--filename="$d/blk,4096,64" --size=$size --bs=4k \
		--rw=randwrite --verify=crc32c || die "pmemblk random write"
	fio_expect "$d/j1" "pmemblk rand write+verify" $size $size
	fio_job "$d/j2" --name=c --ioengine=pmemblk --thread=1 --direct=1 \
		--filename="$d/blk,4096,64" --size=$size --bs=4k \
		--rw=read || die "pmemblk read"
	fio_expect "$d/j2" "pmemblk seq read" $size 0
}

# bandwidth LIBDIR DIRECT: MiB/s of a sequential libpmem write.
bandwidth() {
	local d=$W/bw json=$W/bw/j
	mkdir -p "$d" && rm -f "$d/f"
	LD_LIBRARY_PATH=$1 PMEM_IS_PMEM_FORCE=1 timeout 60 fio \
		--output-format=json --output="$json" --name=bw \
		--ioengine=libpmem --filename="$d/f" --size=256M --bs=64k \
		--rw=write --direct="$2" --loops=2 >/dev/null 2>&1 || return 1
	jq -r '.jobs[0].write.bw_bytes / 1048576 | floor' "$json"
}

export -f die L fresh corrupt poolset repair_case fio_job fio_bytes fio_expect \
	verify_with_psync \
	sc_pmempool_create sc_pmempool_repair sc_pmempool_poolset sc_obj \
	sc_obj_crash sc_blk sc_log sc_allpmem sc_fio_libpmem sc_fio_selftest \
	sc_fio_pmemblk

# ---- main ------------------------------------------------------------------

if [ ${#missing[@]} -gt 0 ]; then
	skip "clients: missing and not installable: ${missing[*]}"
	summary
	exit $?
fi

if build_programs; then
	pass "clients: build test programs against the distribution headers"
else
	fail "clients: build test programs"
	summary
	exit 1
fi

declare -A LIBS=([release]=$PMEM_RELEASE_LIBDIR [debug]=$PMEM_DEBUG_LIBDIR)
declare -A LOADER_OK

echo "--- loader check (runs first)"
for b in $BUILDS; do
	if loader_check_all "${LIBS[$b]}"; then
		pass "loader: every client loads ${LIBS[$b]}/libpmem.so.1 ($b)"
		LOADER_OK[$b]=1
	else
		fail "loader: a client missed ${LIBS[$b]}/libpmem.so.1 ($b)"
		LOADER_OK[$b]=0
	fi
done

# The check must be able to fail: no library at all, and an unversioned one.
mkdir -p "$W/empty"
if loader_check_all "$W/empty" >"$W/neg.log" 2>&1; then
	fail "loader: check accepted a directory without libpmem.so.1"
else
	pass "loader: check rejects a directory without libpmem.so.1" \
		"($(grep -m1 'loaded' "$W/neg.log" | sed 's/^ *//'))"
fi
if make_unversioned_stub "$W/stub" &&
    ! loader_check "$W/stub" "$OUT/obj_test" loadcheck >"$W/neg.log" 2>&1 &&
    grep -q "$VERSION_WARNING" "$W/neg.log"; then
	pass "loader: check rejects an unversioned libpmem.so.1"
else
	fail "loader: check missed the version warning of an unversioned stub"
	sed 's/^/    /' "$W/neg.log" 2>/dev/null | head -5
fi

echo "note: pools live in $W, a RAM-backed file system where possible:" \
	"the kill -9 test checks recovery logic, not survival of power loss"
fio_engines=$(fio --enghelp 2>&1)
for b in $BUILDS; do
	for force in unset 1; do
		TAG="[$b force=$force]"
		LIBDIR=${LIBS[$b]}
		export TAG LIBDIR
		if [ "$force" = 1 ]; then
			export PMEM_IS_PMEM_FORCE=1
		else
			unset PMEM_IS_PMEM_FORCE
		fi
		echo "--- $TAG $LIBDIR"
		if [ "${LOADER_OK[$b]}" != 1 ]; then
			skip "$TAG all scenarios: the loader check failed" \
				"for $LIBDIR; results would not be about it"
			continue
		fi
		step "pmempool create/info/check/rm obj blk log" \
			sc_pmempool_create
		step "pmempool check --repair of corrupted copies" \
			sc_pmempool_repair
		step "pmempool poolset: replica sync, transform, rm" \
			sc_pmempool_poolset
		step "libpmemobj: 10^5-element tx, aborts, memops, alloc" sc_obj
		step "libpmemobj: kill -9 writer, recovery (not power loss)" \
			sc_obj_crash
		step "libpmemblk: bsize 512/520/4096, zero/error, reopen" sc_blk
		step "libpmemlog: append/appendv/walk/rewind/reopen" sc_log
		step "libpmem: 23 functions from a -lpmem program" sc_allpmem
		if grep -qx '[[:space:]]*libpmem' <<<"$fio_engines"; then
			step "fio ioengine=libpmem" sc_fio_libpmem
		else
			skip "$TAG fio ioengine=libpmem: not in this fio build"
		fi
		if grep -qx '[[:space:]]*pmemblk' <<<"$fio_engines"; then
			step "fio ioengine=pmemblk" sc_fio_pmemblk
		else
			skip "$TAG fio ioengine=pmemblk: not in this fio build"
		fi
	done
done
unset PMEM_IS_PMEM_FORCE

if grep -qx '[[:space:]]*libpmem' <<<"$fio_engines" &&
    [ "${LOADER_OK[release]:-0}" = 1 ]; then
	TAG="[release force=1]" LIBDIR=$PMEM_RELEASE_LIBDIR
	export TAG LIBDIR
	PMEM_IS_PMEM_FORCE=1 step "fio verify detects corruption (self-test)" \
		sc_fio_selftest
	echo "--- fio bandwidth, sequential 64k writes into $W (a figure," \
		"not a test)"
	refdir=$(dirname "$(ref_libpmem)")
	for direct in 0 1; do
		ours=$(bandwidth "$PMEM_RELEASE_LIBDIR" $direct)
		ref=$(bandwidth "$refdir" $direct)
		echo "fio libpmem direct=$direct: ours ${ours:-n/a} MiB/s," \
			"reference ${ref:-n/a} MiB/s"
	done
fi

summary

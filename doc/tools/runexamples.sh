#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs the doc/examples programs and checks what they did to the files, not
# just their exit status. Prints one "PASS: name" or "FAIL: name" line per
# check and exits 1 if any failed. The caller picks the library to test by
# setting LD_LIBRARY_PATH.
#   runexamples.sh EXAMPLES_BINDIR

set -u
bin=${1:?usage: $0 EXAMPLES_BINDIR}
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
failed=0

ok() { echo "PASS: $1"; }
ko() { echo "FAIL: $1${2:+ ($2)}"; failed=1; }

# expect NAME WANT_STATUS CMD...: runs CMD, keeps its output in $out/$err
expect() {
	local name=$1 want=$2 rc
	shift 2
	"$@" > "$work/out" 2> "$work/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		ko "$name" "exit $rc, expected $want: $(head -c 300 "$work/err")"
		return 1
	fi
	return 0
}

# same_bytes NAME FILE OFFSET EXPECTED_FILE: bytes of FILE at OFFSET
same_bytes() {
	local n
	n=$(stat -c %s "$4")
	if tail -c +$(($3 + 1)) "$2" | cmp -s -n "$n" - "$4"; then
		return 0
	fi
	ko "$1" "wrong bytes at offset $3 of $(basename "$2")"
	return 1
}

# --- basic: the libpmem(7) example ------------------------------------
printf 'hello, persistent memory\0' > "$work/hello"
for force in "" 1; do
	name="basic${force:+ (PMEM_IS_PMEM_FORCE=1)}"
	f=$work/basic$force.pmem
	expect "$name" 0 env ${force:+PMEM_IS_PMEM_FORCE=1} "$bin/basic" "$f" &&
		same_bytes "$name" "$f" 0 "$work/hello" &&
		if [ "$(stat -c %s "$f")" -eq 4096 ]; then ok "$name"; else
			ko "$name" "size $(stat -c %s "$f"), expected 4096"; fi
done
expect "basic usage" 2 "$bin/basic" && ok "basic usage"

# --- pmemcp: copy a file in chunks, one drain or msync ---------------
# 3 MiB + 77 bytes: many CHUNK-sized steps and a ragged tail
head -c $((3 * 1024 * 1024 + 77)) /dev/urandom > "$work/src"
chmod 640 "$work/src"
for force in "" 1; do
	name="pmemcp${force:+ (PMEM_IS_PMEM_FORCE=1)}"
	d=$work/dst$force
	expect "$name" 0 env ${force:+PMEM_IS_PMEM_FORCE=1} \
			"$bin/pmemcp" "$work/src" "$d" &&
		if ! cmp -s "$work/src" "$d"; then ko "$name" "copy differs"
		elif [ "$(stat -c %a "$d")" != 640 ]; then
			ko "$name" "mode $(stat -c %a "$d"), expected 640"
		else ok "$name"; fi
done
name="pmemcp keeps an existing destination"
expect "$name" 1 "$bin/pmemcp" "$work/hello" "$work/dst" &&
	if ! grep -q 'File exists' "$work/err"; then
		ko "$name" "stderr: $(cat "$work/err")"
	elif ! cmp -s "$work/src" "$work/dst"; then
		ko "$name" "destination was modified"
	else ok "$name"; fi
name="pmemcp missing source"
expect "$name" 1 "$bin/pmemcp" "$work/nonexistent" "$work/dst9" &&
	if [ -e "$work/dst9" ]; then ko "$name" "created a destination"
	else ok "$name"; fi

# --- batch: several flushes, one drain --------------------------------
for force in "" 1; do
	name="batch${force:+ (PMEM_IS_PMEM_FORCE=1)}"
	f=$work/batch$force.pmem
	expect "$name" 0 env ${force:+PMEM_IS_PMEM_FORCE=1} "$bin/batch" "$f" ||
		continue
	good=1
	i=0
	# the offsets and record layout of batch.c, checked independently
	for off in 0 4104 20000 65472; do
		{ printf 'record %d' $i; head -c $((64 - 8)) /dev/zero; } \
			> "$work/rec"
		same_bytes "$name" "$f" $off "$work/rec" || { good=0; break; }
		i=$((i + 1))
	done
	[ $good = 1 ] && ok "$name"
done

# --- version ------------------------------------------------------------
name="version"
printf '%s\n' "libpmem API 1.1 is available" \
	"a request for 2.0 is refused: libpmem major version mismatch (need 2, found 1)" \
	> "$work/want"
expect "$name" 0 "$bin/version" &&
	if diff "$work/want" "$work/out" > "$work/diff"; then ok "$name"
	else ko "$name" "$(tr "\n" " " < "$work/diff")"; fi

# --- errmsg -------------------------------------------------------------
name="errmsg on a missing file"
p=$work/nonexistent
expect "$name" 3 "$bin/errmsg" "$p" &&
	if [ "$(cat "$work/err")" = "cannot map $p: open $p: No such file or directory" ]
	then ok "$name"; else ko "$name" "stderr: $(cat "$work/err")"; fi
name="errmsg on a directory"
expect "$name" 1 "$bin/errmsg" "$work" &&
	if [ "$(cat "$work/err")" = "cannot map $work: open $work: Is a directory" ]
	then ok "$name"; else ko "$name" "stderr: $(cat "$work/err")"; fi
name="errmsg on an existing file"
expect "$name" 0 "$bin/errmsg" "$work/batch.pmem" &&
	if [ "$(cat "$work/out")" = "$work/batch.pmem: 65536 bytes mapped" ]
	then ok "$name"; else ko "$name" "stdout: $(cat "$work/out")"; fi

# --- logfunc: messages on stdout through a program's own function --------
name="logfunc on a missing file"
p=$work/nonexistent
expect "$name" 1 "$bin/logfunc" "$p" &&
	if ! grep -Eqx "libpmem error: open $p: No such file or directory \(in pmem_map_file, [a-z_]+\.c:[0-9]+\)" "$work/out"
	then ko "$name" "stdout: $(cat "$work/out")"
	elif [ "$(wc -l < "$work/out")" -ne 1 ] || [ -s "$work/err" ]; then
		ko "$name" "extra output: $(cat "$work/out" "$work/err")"
	else ok "$name"; fi
name="logfunc on an existing file"
expect "$name" 0 "$bin/logfunc" "$work/batch.pmem" &&
	if [ -s "$work/out" ] || [ -s "$work/err" ]; then
		ko "$name" "output: $(cat "$work/out" "$work/err")"
	else ok "$name"; fi

# --- logthreshold: the default function's stderr, then silence -----------
name="logthreshold"
expect "$name" 0 "$bin/logthreshold" "$p" &&
	if [ "$(head -n 1 "$work/out")" != "threshold WARNING, aux HARK" ] ||
	    [ "$(tail -n 1 "$work/out")" != done ]; then
		ko "$name" "stdout: $(cat "$work/out")"
	elif [ "$(grep -c "pmem_map_file\] open $p: No such file" "$work/err")" != 1 ] ||
	    [ "$(wc -l < "$work/err")" -ne 1 ]; then
		ko "$name" "stderr must hold the first failure only: $(cat "$work/err")"
	else ok "$name"; fi

exit $failed

# SPDX-License-Identifier: BSD-3-Clause
# Reads `objdump -d --no-show-raw-insn` of the library and checks, in every
# non-temporal kernel (a function named *_movnt_*), that the streaming
# stores of one cache line are issued together: within a run of
# consecutive streaming stores through one base register, once the stores
# move on from a line they never come back to it. A line whose parts are
# streamed apart leaves the write-combining buffer as partial writes
# (measured: reading such lines back took 1.5-2x as long).
#
# Prints one line per violation and a summary "checked F functions, R runs
# of S stores"; exits 1 on a violation or when nothing was checked.

function flush_run(   b) {
	for (b in last)
		delete last[b]
	for (b in seen)
		delete seen[b]
	in_run = 0
}

# a displacement as objdump prints it: "", "0x40", "-0x100" (plain awk:
# mawk, Debian's default, has no strtonum)
function disp(s,   neg, v, i) {
	if (s == "")
		return 0
	neg = (substr(s, 1, 1) == "-")
	if (neg)
		s = substr(s, 2)
	v = 0
	for (i = 3; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return neg ? -v : v
}

# floor division, for negative displacements too
function line_of(off) {
	return off >= 0 ? int(off / 64) : -int((-off + 63) / 64)
}

/^[0-9a-f]+ <[^>]+>:$/ {
	flush_run()
	fn = $2
	gsub(/[<>:]/, "", fn)
	nt_fn = (fn ~ /_movnt_/)
	if (nt_fn)
		fns++
	next
}

nt_fn && /\t(v?movntdq|movnti|vmovntps|vmovntpd|movntps|movntpd)[ \t]/ {
	# the operand: %reg,OFF(%base) or %reg,(%base,...)
	op = $NF
	if (!match(op, /,(-?0x[0-9a-f]+)?\(%[a-z0-9]+/)) {
		flush_run()
		next
	}
	mem = substr(op, RSTART + 1, RLENGTH - 1)
	base = mem
	sub(/^.*\(/, "", base)
	off = mem
	sub(/\(.*$/, "", off)
	l = line_of(disp(off))
	if (!in_run)
		runs++
	in_run = 1
	stores++
	key = base SUBSEP l
	if ((base in last) && last[base] != l && (key in seen)) {
		printf "%s: line %d through %s streamed again after line %d " \
			"(at %s)\n", fn, l, base, last[base], $1
		bad++
	}
	seen[key] = 1
	last[base] = l
	next
}

# any other instruction ends the run: a base register may change
nt_fn && /^ +[0-9a-f]+:\t/ {
	flush_run()
}

END {
	printf "checked %d functions, %d runs of %d streaming stores\n",
		fns, runs, stores
	if (bad || fns == 0 || stores == 0)
		exit 1
}

# SPDX-License-Identifier: BSD-3-Clause
# awk -f vg_frames_compare.awk REF OURS, each the output of
# vg_frames_reports.awk. Prints one line per difference, tagged:
#   first:  a client check report of ours does not start at a pmem_* frame
#   frames: a report's frames differ from the reference's, down to the
#           caller (reports are paired in order, per caller)
#   count:  a caller got more or fewer reports than with the reference
#   caller: a report whose stack never reached a hand_* caller
# Client check reports (the library's own requests) are compared frame for
# frame. Copies report the kernel's stores: only the frame above the
# caller (the API function called) is compared, not the kernels' frames
# nor how many (the count of store instructions in each kernel); the
# reference's debug build also calls one copy entry from another.
# Known difference: a report pmem_msync raises for pmem_deep_drain or
# pmem_deep_persist passes through the reference's own helper
# (os_range_deep_common) or, in its release build, through tail calls that
# leave pmem_deep_drain out; only its first frame and its caller are
# compared.
BEGIN { FS = "\t" }

function caller_of(frames,	n, f) {
	n = split(frames, f, " ")
	return f[n] ~ /^hand_/ ? f[n] : ""
}

function first_of(frames,	f) {
	split(frames, f, " ")
	return f[1]
}

# the frame above the caller, and the caller
function from_api(frames,	n, f) {
	n = split(frames, f, " ")
	return n < 2 ? frames : f[n - 1] " " f[n]
}

function is_check(title) {
	return title ~ /found during client check request/
}

{
	lib = FILENAME == ARGV[1] ? "ref" : "ours"
	c = caller_of($2)
	if (c == "") {
		print "caller: " lib ": no hand_* frame in: " $1 ": " $2
		next
	}
	callers[c] = 1
	if (is_check($1)) {
		n = ++nchk[lib, c]
		chk[lib, c, n] = $2
		if (lib == "ours" && first_of($2) !~ /^pmem_/)
			print "first: " c ": " $2
	} else {
		ncopy[lib, c]++
		tail[lib, c, from_api($2)] = 1
		tails[c, from_api($2)] = 1
	}
}

END {
	for (c in callers) {
		if (nchk["ref", c] != nchk["ours", c])
			printf "count: %s: %d client check report(s), " \
				"the reference %d\n", c, nchk["ours", c],
				nchk["ref", c]
		if ((ncopy["ref", c] > 0) != (ncopy["ours", c] > 0))
			printf "count: %s: %d other report(s), the " \
				"reference %d\n", c, ncopy["ours", c],
				ncopy["ref", c]
		for (i = 1; i <= nchk["ref", c] && i <= nchk["ours", c]; i++) {
			r = chk["ref", c, i]
			o = chk["ours", c, i]
			if (first_of(r) == "pmem_msync" &&
			    c ~ /^hand_deep_(drain|persist)_/) {
				if (first_of(r) != first_of(o))
					print "frames: " c ": " o \
						" (reference: " r ")"
				continue
			}
			if (r != o)
				print "frames: " c ": " o " (reference: " r ")"
		}
	}
	for (k in tails) {
		split(k, kk, SUBSEP)
		if (!(("ref", kk[1], kk[2]) in tail))
			print "frames: " kk[1] ": " kk[2] \
				" (not among the reference's)"
		else if (!(("ours", kk[1], kk[2]) in tail))
			print "frames: " kk[1] ": the reference's " kk[2] \
				" missing"
	}
}

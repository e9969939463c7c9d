# SPDX-License-Identifier: BSD-3-Clause
# Compares fault_driver observations: ours (first file) against the
# reference (second file), run by run by key (scenario, function, n).
# Prints one verdict line per run of ours: "ok", "note" or "FAIL",
# the scenario, and the reason.
#
# Fields: 1 scenario 2 function 3 n 4 injected errno 5 result (1 ok, 0
# failed, or a value) 6 errno 7 fd delta 8 mappings of the directory delta
# 9 KiB mapped delta 10 files left 11 message has strerror(injected)
# 12 clean retry 13 note 14 message
#
# With -v noref=1 (no reference run possible, the fake Device DAX) two
# behaviours the reference shows for regular files are accepted: EINVAL
# from the size checks, and the placement reservation kept when its
# munmap fails.
BEGIN { FS = "\t" }

FNR == NR {
	ours[++n] = $0
	cnt_ours[$1 SUBSEP $2]++
	next
}
{
	k = $1 SUBSEP $2 SUBSEP $3
	ref[k] = $0
	cnt_ref[$1 SUBSEP $2]++
	if ($10 > 0)
		ref_files[$1 SUBSEP $2] = 1
}

function verdict(v, scen, what) {
	printf "%s\t%s\t%s\n", v, scen, what
	if (v == "FAIL")
		bad = 1
}

END {
	for (i = 1; i <= n; i++) {
		split(ours[i], o, "\t")
		k = o[1] SUBSEP o[2] SUBSEP o[3]
		what = o[2] (o[3] > 0 ? " #" o[3] : "") \
			(o[4] != "-" && o[4] != "0" ? " fails with " o[4] : "")
		have = (k in ref)
		if (have)
			split(ref[k], r, "\t")
		comparable = have && cnt_ours[o[1] SUBSEP o[2]] == \
			cnt_ref[o[1] SUBSEP o[2]]
		fails = 0
		if (o[5] == "CRASH") {
			verdict("FAIL", o[1], what ": crashed (" o[14] ")")
			continue
		}
		if (o[7] != 0) {
			verdict("FAIL", o[1], what ": " o[7] \
				" descriptor(s) leaked")
			fails++
		}
		if (o[8] > 0) {
			verdict("FAIL", o[1], what ": mapping of the file left")
			fails++
		}
		if (o[9] >= 1024) {
			if (noref && o[2] == "munmap")
				verdict("note", o[1], what ": " o[9] \
					" KiB of address space stay reserved " \
					"(as the reference does for files)")
			else if (have && r[9] >= 1024)
				verdict("note", o[1], what ": " o[9] \
					" KiB of address space stay reserved " \
					"(the reference too: " r[9] " KiB)")
			else {
				verdict("FAIL", o[1], what ": " o[9] " KiB " \
					"of address space leaked")
				fails++
			}
		}
		if (o[10] > 0) {
			if (have ? r[10] > 0 : (o[1] SUBSEP o[2]) in ref_files)
				verdict("note", o[1], what ": leaves a file " \
					"behind, as the reference does")
			else {
				verdict("FAIL", o[1], what ": leaves a file " \
					"behind; the reference does not")
				fails++
			}
		}
		if (o[12] != "ok") {
			verdict("FAIL", o[1], what ": a clean retry then " \
				"behaves differently")
			fails++
		}
		if (o[13] != "-") {
			verdict("FAIL", o[1], what ": " o[13])
			fails++
		}
		if (have && o[5] != r[5] && o[5] ~ /^[01]$/) {
			if (o[5] == 1)
				verdict("note", o[1], what ": succeeds; the " \
					"reference fails (" r[6] ": " r[14] ")")
			else if (comparable || o[4] == "-") {
				verdict("FAIL", o[1], what ": fails (" o[6] \
					": " o[14] "); the reference succeeds")
				fails++
			}
		}
		if (o[5] == "0" && o[6] != "-") {
			if (noref && o[6] == "EINVAL" && (o[14] ~ \
			    /^unable to read Device DAX size$/ || o[14] ~ \
			    /^stat .*: negative size$/))
				verdict("note", o[1], what ": EINVAL \"" o[14] \
					"\", as the reference's size check")
			else if (o[6] != o[4] && !(have && o[6] == r[6])) {
				verdict("FAIL", o[1], what ": errno " o[6] \
					(have ? ", the reference " r[6] : ""))
				fails++
			}
			if ((o[14] == "(no message set)" || o[14] == "") && \
			    !(have && r[14] == o[14])) {
				verdict("FAIL", o[1], what \
					": no pmem_errormsg()")
				fails++
			}
			if (have && r[11] == 1 && o[11] != 1) {
				verdict("FAIL", o[1], what ": message \"" \
					o[14] \
					"\" lacks the error text; the " \
					"reference: \"" r[14] "\"")
				fails++
			}
		}
		if (!fails)
			verdict("ok", o[1], what (o[5] == "0" ? " -> " o[6] \
				": " o[14] : " -> success"))
	}
	exit bad
}

# SPDX-License-Identifier: BSD-3-Clause
# Compares badinput observations, ours (first file) with the reference
# (second), case by case. Fields: 1 case 2 outcome 3 errno 4 message set.
# Ours may never crash where the reference does not, and must give the
# same outcome and errno, with a message wherever the reference has one.
BEGIN { FS = "\t" }

FNR == NR {
	ours[++n] = $0
	next
}
{ ref[$1] = $0 }

END {
	for (i = 1; i <= n; i++) {
		split(ours[i], o, "\t")
		if (!(o[1] in ref)) {
			printf "FAIL\t%s\tno reference observation\n", o[1]
			bad = 1
			continue
		}
		split(ref[o[1]], r, "\t")
		got = o[2] (o[3] != "-" ? " " o[3] : "")
		want = r[2] (r[3] != "-" ? " " r[3] : "")
		v = "ok"
		why = got
		if (o[2] ~ /^CRASH/ && r[2] !~ /^CRASH/) {
			v = "FAIL"
			why = "crashes (" o[2] "); the reference returns: " want
		} else if (o[2] ~ /^CRASH/) {
			v = "note"
			why = o[2] ", as the reference"
		} else if (r[2] ~ /^CRASH/) {
			v = "note"
			why = got "; the reference crashes (" r[2] ")"
		} else if (got != want) {
			v = "FAIL"
			why = got "; the reference: " want
		} else if (r[4] == 1 && o[4] != 1) {
			v = "FAIL"
			why = got " without a pmem_errormsg(); the reference " \
				"sets one"
		}
		printf "%s\t%s\t%s\n", v, o[1], why
		if (v == "FAIL")
			bad = 1
	}
	exit bad
}

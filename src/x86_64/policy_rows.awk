# SPDX-License-Identifier: BSD-3-Clause
# Writes policy.rows as the POLICY_ROW list policy.c includes. A malformed
# row stops the build here, naming its line, instead of surfacing as a
# compiler error in generated code or as a row that never matches.
#   awk -f policy_rows.awk policy.rows > policy_rows.h

function fail(line, msg) {
	printf "%s:%d: %s\n", FILENAME, line, msg > "/dev/stderr"
	failed = 1
	exit 1
}

function need(ok, msg) {
	if (!ok)
		fail(FNR, msg)
}

# the row being read, written out once its name and reason are complete
function end_row() {
	if (row == "")
		return
	if (name == "" || why == "")
		fail(row_line, "the row needs a name: and a why: line")
	printf "POLICY_ROW(%s,\n\t\"%s\",\n\t\"%s\")\n", row, name, why
	row = ""
}

function text(s) {
	sub(/^[ \t]*(name|why):[ \t]*/, "", s)
	need(s !~ /["\\]/, "no quotes or backslashes in a name or reason")
	need(s != "", "an empty name or reason")
	return s
}

BEGIN {
	print "/* written by policy_rows.awk from policy.rows: edit that */"
}

/^#/ || /^[ \t]*$/ { next }

/^[^ \t]/ {
	end_row()
	need(NF == 13, "a row has 13 fields, this one " NF)
	need($1 ~ /^(INTEL|AMD|OTHER)$/, "vendor " $1 ": INTEL, AMD or OTHER")
	for (i = 2; i <= 13; i++) {
		if (i >= 4 && i <= 7)
			need($i ~ /^[A-Z][A-Z0-9]*$/, "field " i ": a name, not " $i)
		else if (i == 11)
			need($i ~ /^([0-9]+|LLC)$/, "overlap: bytes or LLC, not " $i)
		else
			need($i ~ /^[0-9]+$/, "field " i ": a number, not " $i)
	}
	need($8 ~ /^[01]$/ && $9 ~ /^[01]$/, "wc and subline are 0 or 1")
	need(($12 == 0) == ($13 == 0), "far and farmov are both 0 or neither")
	row = $1
	for (i = 2; i <= 13; i++)
		row = row ", " $i
	row_line = FNR
	any_vendor = ($1 == "OTHER" && $2 == 0 && $3 == 0 && $4 == "ANY")
	name = why = ""
	rows++
	next
}

/^[ \t]+name:/ {
	need(row != "" && name == "", "a name: line belongs right after its row")
	name = text($0)
	next
}

/^[ \t]+why:/ {
	need(name != "", "a why: line follows the row's name: line")
	why = why (why == "" ? "" : " ") text($0)
	next
}

{ fail(FNR, "neither a row, a name:, a why: nor a # comment") }

END {
	if (failed)
		exit 1
	end_row()
	if (rows == 0)
		fail(FNR, "no rows")
	if (!any_vendor)
		fail(row_line, "the last row must match every CPU " \
			"(OTHER 0 0 ANY)")
}

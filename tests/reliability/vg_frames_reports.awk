# SPDX-License-Identifier: BSD-3-Clause
# Reads a Valgrind log; prints one line per error report: its first line,
# a tab, then the function of each frame of its stack, down to the first
# hand_* caller of vg_frames.c (the rest is the test's own). The stacks
# under "Address ... is inside a block free'd" and the like are not the
# report's: they follow an indented line, the report's follows its title.
{ sub(/^==[0-9]+== ?/, "") }

/^ +(at|by) 0x[0-9A-Fa-f]+: / {
	if (title != "" && !open) {
		open = 1
		frames = ""
		cut = 0
	}
	if (open && !cut) {
		fn = $0
		sub(/^ +(at|by) 0x[0-9A-Fa-f]+: /, "", fn)
		sub(/ \(.*$/, "", fn)
		frames = frames (frames == "" ? "" : " ") fn
		if (fn ~ /^hand_/)
			cut = 1
	}
	title = ""
	next
}

{
	if (open)
		print report_title "\t" frames
	open = 0
	title = ""
	if ($0 != "" && $0 !~ /^ /) {
		title = $0
		report_title = $0
	}
}

END {
	if (open)
		print report_title "\t" frames
}

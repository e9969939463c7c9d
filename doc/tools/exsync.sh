#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Keeps the EXAMPLE code shown in the man pages identical to doc/examples/*.c.
# A page marks each embedded copy with the comment lines
#   .\" example-begin examples/NAME.c      and      .\" example-end
#   exsync.sh check PAGE...    exit 1 if any embedded copy differs from its file
#   exsync.sh update PAGE...   rewrite the embedded copies from the files

set -u
docdir=$(cd "$(dirname "$0")/.." && pwd)

# The file as the page shows it: without the SPDX/purpose header (everything
# up to the first blank line), tabs as 4 spaces, and escaped for troff so
# that a reader can paste the rendered text back into a compiler.
render() {
	awk 'body { print } !body && /^$/ { body = 1 }' "$docdir/$1" |
		expand -t 4 |
		sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\([.']\)/\\\\\&\1/"
}

# Names of the files embedded in a page, in order.
embedded() {
	sed -n 's/^\.\\" example-begin \(.*\)$/\1/p' "$1"
}

# The text between the markers for file $2 in page $1.
extract() {
	awk -v f="$2" '
		$0 == ".\\\" example-end" { inside = 0 }
		inside { print }
		$0 == ".\\\" example-begin " f { inside = 1 }
	' "$1"
}

# Page $1 with the block for file $2 replaced by the rendered file in $3.
replace() {
	awk -v f="$2" -v src="$3" '
		$0 == ".\\\" example-end" && inside { inside = 0 }
		!inside { print }
		$0 == ".\\\" example-begin " f {
			inside = 1
			while ((getline line < src) > 0)
				print line
			close(src)
		}
	' "$1"
}

mode=${1:-}
[ $# -ge 2 ] || { echo "usage: $0 check|update PAGE..." >&2; exit 2; }
shift
status=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp" "$tmp.page"' EXIT

for page in "$@"; do
	for f in $(embedded "$page"); do
		if [ ! -f "$docdir/$f" ]; then
			echo "$page: embeds missing file $f" >&2
			status=1
			continue
		fi
		render "$f" > "$tmp"
		case $mode in
		check)
			if ! extract "$page" "$f" | diff -u "$tmp" - >&2; then
				echo "$page: EXAMPLE differs from $f" \
					"(run: make -C doc update-examples)" >&2
				status=1
			fi
			;;
		update)
			replace "$page" "$f" "$tmp" > "$tmp.page" &&
				cat "$tmp.page" > "$page"
			;;
		*)
			echo "unknown mode $mode" >&2
			exit 2
			;;
		esac
	done
done
exit $status

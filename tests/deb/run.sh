#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Suite "deb": builds the Debian packages (make deb), checks their versions,
# layout and lintian, then installs them in a throwaway root (root.sh: an
# overlay of / in a private mount namespace) where inroot.sh switches every
# libpmem client to ours and back. The machine's own packages stay as they
# are; the last check proves it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/common.sh"

REF=1.12.1-2          # Debian's libpmem1 that ours replaces
OUT=$PMEM_BUILD/deb
PKGS="libpmem1 libpmem-dev libpmem1-debug"
tmp=$(mktemp -d /tmp/pmem-deb.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
payload=$tmp/payload
mkdir -p "$payload/ours" "$payload/ref" "$payload/bin" "$tmp/ns"

if [ "$(id -u)" -ne 0 ]; then
	skip "deb: needs root (dpkg-buildpackage deps, mount namespace, chroot)"
	summary
	exit $?
fi
if ! need_pkgs debhelper dpkg-dev lintian pkg-config pmdk-tools \
    libpmemobj-dev $PKGS; then
	skip "deb: build or test dependencies missing and not installable"
	summary
	exit $?
fi
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
ARCH=$(dpkg --print-architecture)

# ---- build and inspect ---------------------------------------------------------

build() {
	local t0=$SECONDS p
	make -s -C "$PMEM_TOPDIR" deb BUILD="$PMEM_BUILD" DEB_OUT="$OUT" \
		>"$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log"; return 1; }
	for p in $PKGS; do
		deb[$p]=$(ls "$OUT/${p}_"*"_$ARCH.deb" 2>/dev/null) ||
			{ echo "  no $p package"; return 1; }
	done
	OURS=$(dpkg-deb -f "${deb[libpmem1]}" Version)
	echo "  built in $((SECONDS - t0)) s: $(cd "$OUT" && echo *.deb)"
}

# each version is this rebuild's and sorts above Debian's; each package
# provides Debian's exact version, which its pmdk siblings require
versions() {
	local p v
	for p in $PKGS; do
		v=$(dpkg-deb -f "${deb[$p]}" Version)
		[[ $v == *rebuild* ]] || { echo "  $p $v: not named a rebuild"; return 1; }
		dpkg --compare-versions "$v" gt "$REF" ||
			{ echo "  $p $v does not sort above $REF"; return 1; }
		dpkg-deb -f "${deb[$p]}" Provides | grep -qx "$p (= $REF)" ||
			{ echo "  $p does not provide $p (= $REF)"; return 1; }
		[ "$(dpkg-deb -f "${deb[$p]}" Multi-Arch)" = same ] ||
			{ echo "  $p is not Multi-Arch: same"; return 1; }
	done
	echo "  version $OURS > $REF"
}

# files DEB: the non-directory paths a package holds
files() {
	dpkg-deb --fsys-tarfile "$1" | tar -t | sed -n 's|^\./|/|; /\/$/!p'
}

# ref_deb PKG: Debian's package file: apt's cache, else apt-get download
ref_deb() {
	local f=/var/cache/apt/archives/${1}_${REF}_$ARCH.deb
	if [ ! -f "$f" ]; then
		(cd "$payload/ref" && apt-get download -q "$1=$REF" >/dev/null 2>&1)
		f=$payload/ref/${1}_${REF}_$ARCH.deb
	fi
	[ -f "$f" ] && echo "$f"
}

# everything Debian's package has that is libpmem (libraries, header,
# pkg-config file, man3/man7 pages), ours has at the same path
layout() {
	local p f r bad=0
	for p in $PKGS; do
		r=$(ref_deb "$p") || { echo "  no Debian $p $REF package"; return 1; }
		[ "$(dirname "$r")" = "$payload/ref" ] || cp "$r" "$payload/ref/"
		files "${deb[$p]}" >"$tmp/$p.ours"
		for f in $(files "$r" | grep -E '^/usr/(lib|include)/|/man[37]/'); do
			grep -qxF "$f" "$tmp/$p.ours" ||
				{ echo "  $p lacks $f"; bad=1; }
		done
	done
	for f in /usr/lib/$MA/pmdk_debug /usr/lib/$MA/nvml_debug; do
		grep -qxF "$f" "$tmp/libpmem1-debug.ours" ||
			{ echo "  libpmem1-debug lacks $f"; bad=1; }
	done
	cat "$tmp"/*.ours >"$payload/ours.files"
	return $bad
}

# libpmem.pc in libpmem-dev names the system's directories
pc_file() {
	local x=$tmp/x want got
	dpkg-deb -x "${deb[libpmem-dev]}" "$x" || return 1
	want="prefix=/usr libdir=/usr/lib/$MA includedir=/usr/include"
	got=$(grep -E '^(prefix|libdir|includedir)=' \
		"$x/usr/lib/$MA/pkgconfig/libpmem.pc" | tr '\n' ' ')
	[ "$got" = "$want " ] || { echo "  libpmem.pc: $got"; return 1; }
	PKG_CONFIG_PATH=$x/usr/lib/$MA/pkgconfig \
		pkg-config --atleast-version=2.1 libpmem ||
		{ echo "  libpmem.pc: version below PMDK 2.1's API"; return 1; }
}

# shlibs and symbols: every exported function is listed; those Debian's
# libpmem1 exports too at a version it satisfies, the others (the PMDK 2.1
# logging functions) at ours, so that a package calling them needs ours
shlibs() {
	local c=$tmp/ctrl s cmp reflib
	mkdir -p "$c" && dpkg-deb -e "${deb[libpmem1]}" "$c" || return 1
	grep -qx "libpmem 1 libpmem1 (>= 1.12.1)" "$c/shlibs" ||
		{ echo "  shlibs: $(cat "$c/shlibs")"; return 1; }
	reflib=/usr/lib/$MA/libpmem.so.1
	for s in $(sed 's/@@/@/' "$PMEM_TOPDIR/tests/abi/symbols.txt"); do
		cmp="le ${REF%-*}"
		nm -D --defined-only "$reflib" | grep -q " ${s%@*}@" ||
			cmp="gt $REF"
		awk -v s="$s" -v c="$cmp" '$1 == s { found = 1;
			exit !(system("dpkg --compare-versions " $2 " " c) == 0) }
			END { if (!found) exit 1 }' "$c/symbols" ||
			{ echo "  symbols: $s missing, or not $cmp"; return 1; }
	done
}

# lintian: no errors, no warnings; the rest is explained in
# debian/README.source
lint() {
	lintian -I --pedantic "$OUT"/*.changes >"$tmp/lintian" 2>&1
	grep -v '^N:\|running with root' "$tmp/lintian" | sed 's/^/  /'
	! grep -q '^[EW]:' "$tmp/lintian"
}

declare -A deb
OURS=
check "make deb builds libpmem1, libpmem-dev, libpmem1-debug" build
if [ -z "${deb[libpmem1]:-}" ]; then
	summary
	exit $?
fi
check "versions: named +rebuild, above $REF, Provides (= $REF), Multi-Arch: same" versions
check "layout: every libpmem path of Debian's packages, pmdk_debug/nvml_debug links" layout
check "libpmem-dev: libpmem.pc names /usr, /usr/lib/$MA, /usr/include, API 2.1" pc_file
check "libpmem1: shlibs and symbols ($REF satisfies the functions it has)" shlibs
check "lintian: no errors or warnings" lint

# ---- the throwaway root -----------------------------------------------------------

# the host's own libpmem packages and files, to compare at the end
host_state() {
	dpkg-query -W -f='${binary:Package} ${Version} ${Status}\n' 'libpmem*'
	md5sum /usr/lib/$MA/libpmem.so.1.0.0 \
		/usr/lib/$MA/pmdk_dbg/libpmem.so.1.0.0 /usr/include/libpmem.h \
		/usr/lib/$MA/pkgconfig/libpmem.pc 2>&1
	dpkg --verify $PKGS 2>&1
}

prepare_payload() {
	local p
	for p in $PKGS; do
		cp "${deb[$p]}" "$payload/ours/" || return 1
		[ -f "$payload/ref/${p}_${REF}_$ARCH.deb" ] ||
			{ echo "  no Debian $p $REF package to switch back to"; return 1; }
	done
	cp "$here/inroot.sh" "$here/../lib/common.sh" "$PMEM_TOPDIR/include/libpmem.h" \
		"$PMEM_TOPDIR/tests/abi/which_lib.c" "$payload/" || return 1
	# obj_test is built as in tests/clients, against Debian's libpmemobj
	$CC -O2 -Wall -Werror -std=gnu11 -o "$payload/bin/obj_test" \
		"$PMEM_TOPDIR/tests/clients/obj_test.c" -lpmemobj || return 1
	printf 'MA=%s\nOURS=%s\nREF=%s\n' "$MA" "$OURS" "$REF" >"$payload/env"
}

if ! command -v unshare >/dev/null || ! command -v chroot >/dev/null; then
	skip "throwaway root: unshare or chroot missing (util-linux, coreutils)"
elif [ -z "$OURS" ] || ! prepare_payload >"$tmp/prep.log" 2>&1; then
	cat "$tmp/prep.log" 2>/dev/null
	fail "throwaway root: payload (our packages, Debian's, obj_test)"
else
	host_state >"$tmp/host.before"
	t0=$SECONDS
	relay "" timeout -k 10 600 unshare --mount --propagation private \
		bash "$here/root.sh" "$tmp/ns" "$payload" \
		bash /run/pmem-deb/inroot.sh ||
		fail "throwaway root ended early (no closing count)"
	echo "throwaway root: $((SECONDS - t0)) s"
	host_state >"$tmp/host.after"
	check "host: libpmem packages and files unchanged" \
		diff "$tmp/host.before" "$tmp/host.after"
fi

summary

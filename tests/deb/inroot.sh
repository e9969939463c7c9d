#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs inside the throwaway root (tests/deb/root.sh): switches the system's
# libpmem to our packages and back, with dpkg and with the README's apt
# commands, and checks after each switch which library the clients load.
# Prints PASS/FAIL/SKIP lines and a closing count; run.sh adds them up.
set -u
P=/run/pmem-deb
. "$P/common.sh"
. "$P/env"     # MA, OURS, REF: multiarch triplet, our and Debian's versions

LIBDIR=/usr/lib/$MA
LIB=$LIBDIR/libpmem.so.1
DBGDIR=$LIBDIR/pmdk_dbg
PKGS="libpmem1 libpmem-dev libpmem1-debug"
BANNER='a drop-in for libpmem'
NATIVE=$(dpkg --print-architecture)
export DEBIAN_FRONTEND=noninteractive
W=$(mktemp -d)
cd "$W" || exit 1

# man-db's trigger would reindex every manual page after each dpkg run;
# this only changes the throwaway root
rm -f /var/lib/man-db/auto-update

# version_of PKG: the installed version of PKG (native arch), else nothing
version_of() {
	dpkg-query -W -f='${Status} ${Version}\n' "$1:$NATIVE" 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

# all_at VERSION: our three package names are all installed at VERSION
all_at() {
	local p v
	for p in $PKGS; do
		v=$(version_of "$p")
		[ "$v" = "$1" ] || { echo "  $p is at '${v:-not installed}'"; return 1; }
	done
}

# loaded CMD...: runs CMD without LD_LIBRARY_PATH and prints the canonical
# path of the libpmem.so.1 the loader initialised (exactly one, and no
# "no version information" warning).
loaded() {
	local inits n
	env -u LD_LIBRARY_PATH LD_DEBUG=libs "$@" >"$W/out" 2>"$W/err" ||
		{ echo "  $* failed:"; grep -v '^ *[0-9]*:' "$W/err" | head -5; return 1; }
	if grep -q 'no version information' "$W/err"; then
		grep -m1 'no version information' "$W/err"
		return 1
	fi
	inits=$(sed -n 's|.*calling init: \(.*/libpmem\.so\.1\)$|\1|p' "$W/err" | sort -u)
	n=$(printf '%s' "$inits" | grep -c .)
	[ "$n" -eq 1 ] || { echo "  $n libpmem.so.1 initialised: $inits"; return 1; }
	readlink -f "$inits"
}

# owned_by PATH PKG VERSION: PATH belongs to PKG, installed at VERSION, and
# its bytes are those dpkg recorded (dpkg --verify prints nothing)
owned_by() {
	dpkg -S "$1" 2>/dev/null | grep -q "^$2:$NATIVE: " ||
		{ echo "  $1 is not from $2"; return 1; }
	[ "$(version_of "$2")" = "$3" ] || { echo "  $2 is not at $3"; return 1; }
	[ -z "$(dpkg --verify "$2:$NATIVE" 2>&1)" ] ||
		{ dpkg --verify "$2:$NATIVE"; return 1; }
}

# ---- the packages' clients -------------------------------------------------

# every installed package depending on one of the three (pmempool's
# pmdk-tools, libpmemobj1, fio, ...), recorded before anything changes
mapfile -t CLIENTS < <(apt-cache rdepends --installed $PKGS 2>/dev/null |
	awk '/^  / { print $1 }' | sed 's/^[|]//' | sort -u)
APT_CHECK_BEFORE=0
apt-get check >/dev/null 2>&1 || APT_CHECK_BEFORE=1

# clients_ok: each client is still installed and configured, and apt sees
# no broken dependency (when it saw none before)
clients_ok() {
	local c bad=0 s
	for c in "${CLIENTS[@]}"; do
		s=$(dpkg-query -W -f='${Status}' "$c" 2>/dev/null)
		[ "$s" = "install ok installed" ] ||
			{ echo "  $c: ${s:-gone}"; bad=1; }
	done
	if [ $APT_CHECK_BEFORE -eq 0 ] && ! apt-get check >"$W/check" 2>&1; then
		tail -n 5 "$W/check"
		bad=1
	fi
	[ -z "$(dpkg --audit 2>&1)" ] || { dpkg --audit | head -5; bad=1; }
	return $bad
}

# ---- foreign-architecture instances ------------------------------------------

# Debian's libpmem1 is Multi-Arch: same, so dpkg refuses an amd64 libpmem1 of
# another version next to, say, libpmem1:arm64 (cross-arch suites install
# those). The root drops them; when the machine has none, one is planted
# first so the handling is exercised every run.
foreign_instances() {
	dpkg-query -W -f='${binary:Package} ${Architecture} ${Status}\n' \
		'libpmem*' 2>/dev/null |
		awk -v n="$NATIVE" '$2 != n && $2 != "all" &&
			$5 != "not-installed" { print $1 }'
}

plant_foreign() {
	local fa=arm64 d=$W/fake
	[ "$NATIVE" = arm64 ] && fa=amd64
	mkdir -p "$d/DEBIAN"
	cat >"$d/DEBIAN/control" <<-END
	Package: libpmem1
	Version: $REF
	Architecture: $fa
	Multi-Arch: same
	Maintainer: tests/deb <root@localhost>
	Description: stand-in for a foreign-architecture libpmem1
	END
	dpkg --add-architecture "$fa" &&
		dpkg-deb -b "$d" "$W/fake.deb" >/dev/null &&
		dpkg -i "$W/fake.deb" >"$W/log" 2>&1 ||
		{ tail -n 5 "$W/log"; return 1; }
	# ours next to it is what fails on a machine with cross-arch suites
	if dpkg -i "$P/ours/libpmem1_"*.deb >"$W/log" 2>&1 &&
	    [ "$(version_of libpmem1)" = "$OURS" ]; then
		echo "  dpkg took ours next to libpmem1:$fa $REF"
		return 1
	fi
	echo "  dpkg refuses ours next to libpmem1:$fa $REF:" \
		"$(grep -m1 -i 'version\|multi-arch\|arch' "$W/log")"
	# the refused attempt may leave ours unpacked: Debian's back
	dpkg -i "$P/ref/libpmem1_"*.deb >/dev/null 2>&1
}

drop_foreign() {
	local f
	f=$(foreign_instances)
	if [ -z "$f" ]; then
		plant_foreign || return 1
		f=$(foreign_instances)
		[ -n "$f" ] || { echo "  planting failed"; return 1; }
	fi
	echo "  purging (throwaway root only):" $f
	dpkg --purge --force-depends $f >"$W/log" 2>&1 ||
		{ tail -n 5 "$W/log"; return 1; }
	[ -z "$(foreign_instances)" ] && clients_ok
}

# ---- what "ours" and "the reference" mean -------------------------------------

is_ours() {
	local got
	rm -f "$W/p.obj"
	all_at "$OURS" || return 1
	"$LIB" | grep -q "$BANNER" ||
		{ echo "  $LIB run as a program printed no banner"; return 1; }
	got=$(loaded pmempool create obj --layout=deb -s 32M "$W/p.obj") ||
		{ echo "$got"; return 1; }
	echo "  pmempool loaded $got"
	owned_by "$got" libpmem1 "$OURS" || return 1
	"$got" | grep -q "$BANNER" || { echo "  $got is not ours"; return 1; }
	loaded pmempool check "$W/p.obj" >/dev/null &&
		loaded pmempool rm "$W/p.obj" >/dev/null
}

is_ours_obj() {
	local got
	rm -f "$W/o.obj"
	got=$(loaded "$P/bin/obj_test" alloc "$W/o.obj" 300 7) ||
		{ echo "$got"; return 1; }
	echo "  obj_test (libpmemobj) loaded $got"
	owned_by "$got" libpmem1 "$OURS" && "$got" | grep -q "$BANNER"
}

# the debug build, by each of its directory names, without a rebuild
is_ours_debug() {
	local d got
	for d in pmdk_dbg pmdk_debug nvml_debug; do
		got=$(LD_LIBRARY_PATH=$LIBDIR/$d "$P/bin/obj_test" loadcheck) ||
			return 1
		got=$(readlink -f "$got")
		[ "$got" = "$DBGDIR/libpmem.so.1.0.0" ] ||
			{ echo "  $d: loaded $got"; return 1; }
	done
	echo "  $got by pmdk_dbg, pmdk_debug and nvml_debug"
	owned_by "$got" libpmem1-debug "$OURS"
}

# libpmem-dev: the header is ours, libpmem.pc names the system paths, and a
# program built with pkg-config's flags runs on ours
dev_ok() {
	local v want got
	cmp /usr/include/libpmem.h "$P/libpmem.h" || return 1
	for v in prefix=/usr libdir=$LIBDIR includedir=/usr/include; do
		got=$(pkg-config --variable="${v%%=*}" libpmem)
		[ "$got" = "${v#*=}" ] ||
			{ echo "  libpmem.pc: ${v%%=*}=$got"; return 1; }
	done
	cc -o "$W/which_lib" "$P/which_lib.c" \
		$(pkg-config --cflags --libs libpmem) || return 1
	got=$(env -u LD_LIBRARY_PATH "$W/which_lib") || return 1
	[ "$(readlink -f "$got")" = "$LIBDIR/libpmem.so.1.0.0" ] ||
		{ echo "  which_lib bound to $got"; return 1; }
	[ "$(readlink -f "$LIBDIR/libpmem.so")" = "$LIBDIR/libpmem.so.1.0.0" ]
}

is_reference() {
	local got
	rm -f "$W/p.obj" "$W/o.obj"
	all_at "$REF" || return 1
	got=$(loaded pmempool create obj --layout=deb -s 32M "$W/p.obj") ||
		{ echo "$got"; return 1; }
	echo "  pmempool loaded $got"
	owned_by "$got" libpmem1 "$REF" || return 1
	# the reference has no entry point: whatever it does, no banner
	if timeout 10 "$got" 2>/dev/null | grep -q "$BANNER"; then
		echo "  $got printed our banner"
		return 1
	fi
	got=$(loaded "$P/bin/obj_test" alloc "$W/o.obj" 300 7) ||
		{ echo "$got"; return 1; }
	echo "  obj_test (libpmemobj) loaded $got"
	owned_by "$got" libpmem1 "$REF" || return 1
	owned_by "$DBGDIR/libpmem.so.1.0.0" libpmem1-debug "$REF"
}

# ---- switching -----------------------------------------------------------------

dpkg_do() {
	dpkg "$@" >"$W/log" 2>&1 || { tail -n 10 "$W/log"; return 1; }
}

# apt_install ARGS...: apt-get install, first simulated: it must remove
# nothing (no client may go to make room for ours)
apt_install() {
	apt-get install -s "$@" >"$W/sim" 2>&1 || { tail -n 10 "$W/sim"; return 1; }
	if grep '^Remv ' "$W/sim"; then
		echo "  apt would remove the packages above"
		return 1
	fi
	apt-get install -y -q "$@" >"$W/log" 2>&1 || { tail -n 10 "$W/log"; return 1; }
}

# dpkg -r of our packages, forced past the clients depending on them
remove_ours() {
	all_at "$OURS" && dpkg_do --force-depends -r $PKGS
}

# none of our files remain after dpkg -r
none_left() {
	local f bad=0
	for f in $(cat "$P/ours.files"); do
		[ -e "$f" ] || [ -L "$f" ] || continue
		echo "  left: $f"
		bad=1
	done
	return $bad
}

ours_debs=("$P"/ours/*.deb)
ref_debs=("$P"/ref/*.deb)
# apt then finds Debian's packages without a download
cp "${ref_debs[@]}" /var/cache/apt/archives/ 2>/dev/null

echo "clients of the three packages: ${CLIENTS[*]}"
check "root: reference $REF installed at the start" all_at "$REF"
check "root: foreign-arch libpmem instances dropped (dpkg refuses ours next to them)" drop_foreign
check "dpkg -i our three packages" dpkg_do -i "${ours_debs[@]}"
check "ours: every client package still installed, no broken dependency" clients_ok
check "ours: pmempool loads $LIB from libpmem1 $OURS (banner)" is_ours
check "ours: a libpmemobj program loads ours" is_ours_obj
check "ours: debug build under pmdk_dbg, pmdk_debug, nvml_debug" is_ours_debug
check "ours: libpmem-dev header, libpmem.pc, pkg-config build" dev_ok
check "dpkg -i Debian's $REF packages again" dpkg_do -i "${ref_debs[@]}"
check "reference: clients intact" clients_ok
check "reference: pmempool and libpmemobj load Debian's library again" is_reference
check "apt install ./libpmem1_*.deb ... (README): an upgrade, nothing removed" \
	apt_install "${ours_debs[@]}"
check "apt-installed: ours is the system library" is_ours
check "dpkg -r our three packages" remove_ours
check "dpkg -r: none of our files left" none_left
check "apt-get install --allow-downgrades ...=$REF (README): back to Debian's" \
	apt_install --allow-downgrades libpmem1="$REF" libpmem-dev="$REF" \
	libpmem1-debug="$REF"
check "back: clients intact" clients_ok
check "back: reference loaded" is_reference
rm -rf "$W"
summary

# SPDX-License-Identifier: BSD-3-Clause
# Guest kit for the DAX suite: a Debian kernel (as an uncompressed vmlinux
# for a fast PVH boot) and a busybox initramfs with the NVDIMM, 9p and fs
# modules. Sourced by run.sh; cached under $PMEM_BUILD/dax/kit-<kernel>/.

# Modules the guest loads at boot; busybox modprobe pulls in their
# dependencies. crc32c_generic is listed because ext4 and xfs ask the
# crypto API for "crc32c" by name. The filesystems, dax_hmem and the CXL
# drivers are loaded only when a job asks for them (xfs alone takes
# seconds to load under TCG, and dax_hmem would claim soft-reserved memory
# in every guest). A kernel without dax_hmem or CXL still gives a kit:
# the guests that need them report it.
KIT_MODULES="crc32c_generic nfit nd_pmem nd_btt dax_pmem device_dax
	virtio_pci 9pnet_virtio 9p overlay"
KIT_FS_MODULES="ext4 xfs"
KIT_OPT_MODULES="dax_hmem cxl_acpi cxl_port cxl_pci cxl_mem cxl_pmem"
# Bumped whenever the layout or module set of a kit directory changes.
KIT_FORMAT=4

# kit_kernel_pkg: prints the versioned kernel package that the
# linux-image-amd64 meta package currently pulls in.
kit_kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' |
		head -n 1
}

# kit_vmlinux IMAGE OUT: writes the ELF kernel hidden in a bzImage.
# The compressed payload starts somewhere after the setup code; try every
# spot where a known compressor's magic appears until one decompresses to
# an ELF file (the same idea as the kernel's scripts/extract-vmlinux).
kit_vmlinux() {
	local img=$1 out=$2 magic tool off
	for magic in 'xz:\xfd7zXZ\x00' 'gzip:\x1f\x8b\x08' \
	    'zstd:\x28\xb5\x2f\xfd' 'lzma:\x5d\x00\x00\x00'; do
		tool=${magic%%:*}
		command -v "$tool" >/dev/null 2>&1 || continue
		for off in $(LC_ALL=C grep -obUaP "${magic#*:}" "$img" |
		    cut -d: -f1); do
			tail -c +$((off + 1)) "$img" | "$tool" -dc >"$out" \
				2>/dev/null
			[ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = \
			    7f454c46 ] && return 0
		done
	done
	rm -f "$out"
	return 1
}

# kit_has_pvh VMLINUX: true when the kernel carries the Xen PVH entry note
# (type 0x12) that lets qemu start it directly, skipping the bzImage
# decompressor, which is slow under TCG.
kit_has_pvh() {
	readelf -n "$1" 2>/dev/null | grep -q 'Unknown note type: (0x00000012)'
}

# kit_mod_deps KO: prints the module names KO depends on.
kit_mod_deps() {
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# kit_modules MODDIR KVER DEST: copies the boot and filesystem modules and
# everything they need into DEST/lib/modules/KVER and lists the boot set
# in DEST/modules.boot.
kit_modules() {
	local moddir=$1 kver=$2 dest=$3 f name
	declare -A path=() seen=()
	local order=()
	while read -r f; do
		name=$(basename "$f")
		name=${name%%.ko*}
		path[${name//-/_}]=$f
	done < <(find "$moddir/kernel" -name '*.ko*')
	kit_visit() {
		local m=${1//-/_} d
		[ -n "${seen[$m]:-}" ] && return 0
		seen[$m]=1
		if [ -z "${path[$m]:-}" ]; then
			# built into the kernel: nothing to copy
			grep -qE "/${m}\.ko" "$moddir/modules.builtin" \
				2>/dev/null && return 0
			echo "kit: no module $m"
			return 1
		fi
		for d in $(kit_mod_deps "${path[$m]}"); do
			kit_visit "$d" || return 1
		done
		order+=("$m")
	}
	for name in $KIT_MODULES $KIT_FS_MODULES; do
		kit_visit "$name" || return 1
	done
	for name in $KIT_OPT_MODULES; do
		kit_visit "$name" || echo "kit: going on without $name"
	done
	mkdir -p "$dest/lib/modules/$kver/kernel"
	for name in "${order[@]}"; do
		cp "${path[$name]}" "$dest/lib/modules/$kver/kernel/"
	done
	echo $KIT_MODULES >"$dest/modules.boot"
}

# kit_initrd KITDIR INIT: (re)builds KITDIR/initrd.cpio when the init
# script changed; the module tree and busybox come from the cached kit.
kit_initrd() {
	local kit=$1 init=$2 root
	if [ -f "$kit/initrd.cpio" ] && cmp -s "$init" "$kit/init.used"; then
		return 0
	fi
	root=$(mktemp -d) || return 1
	(
		set -e
		cd "$root"
		mkdir -p bin sbin proc sys dev lower rw newroot job
		cp "$kit/busybox" bin/busybox
		cp -a "$kit/modules/." .
		cp "$init" init
		chmod 755 init bin/busybox
		ln -s busybox bin/sh
		ln -s ../bin/busybox sbin/modprobe
		bin/busybox depmod -b "$root" "$(cat "$kit/kver")"
		find . | bin/busybox cpio -o -H newc >"$kit/initrd.cpio.new" \
			2>/dev/null
	)
	local rc=$?
	rm -rf "$root"
	[ $rc -eq 0 ] || return 1
	mv "$kit/initrd.cpio.new" "$kit/initrd.cpio"
	cp "$init" "$kit/init.used"
}

# kit_download DIR PKG...: fetches the .deb files into DIR (never installs
# them), refreshing the package lists once when they are stale.
kit_download() {
	local dir=$1
	shift
	(cd "$dir" && apt-get download "$@" >apt.log 2>&1) && return 0
	apt-get update -q >/dev/null 2>&1
	(cd "$dir" && apt-get download "$@" >apt.log 2>&1)
}

# kit_prepare BASEDIR INIT: sets KIT to a ready kit directory, downloading
# and unpacking only when no kit exists for the current kernel package.
# Prints the reason and returns 1 when that cannot be done.
kit_prepare() {
	local base=$1 init=$2 pkg kver tmp deb old
	pkg=$(kit_kernel_pkg)
	if [ -z "$pkg" ]; then
		apt-get update -q >/dev/null 2>&1
		pkg=$(kit_kernel_pkg)
	fi
	if [ -z "$pkg" ]; then
		# offline: fall back to the newest kit already built
		KIT=$(ls -d "$base"/kit-*/ 2>/dev/null | sort -V | tail -n 1)
		KIT=${KIT%/}
		[ -n "$KIT" ] && [ "$(cat "$KIT/complete" 2>/dev/null)" = \
		    "$KIT_FORMAT" ] && {
			kit_initrd "$KIT" "$init"
			return
		}
		echo "cannot resolve linux-image-amd64 and no cached kit"
		return 1
	fi
	kver=${pkg#linux-image-}
	KIT=$base/kit-$kver
	if [ "$(cat "$KIT/complete" 2>/dev/null)" != "$KIT_FORMAT" ]; then
		rm -rf "$KIT"
		mkdir -p "$KIT" || return 1
		tmp=$(mktemp -d) || return 1
		if ! kit_download "$tmp" "$pkg" busybox-static; then
			tail -n 3 "$tmp/apt.log"
			rm -rf "$tmp"
			echo "apt-get download $pkg busybox-static failed"
			return 1
		fi
		for deb in "$tmp"/*.deb; do
			dpkg -x "$deb" "$tmp/x" || { rm -rf "$tmp"; return 1; }
		done
		if ! kit_vmlinux "$tmp/x/boot/vmlinuz-$kver" "$KIT/vmlinux" ||
		    ! kit_has_pvh "$KIT/vmlinux"; then
			# no PVH entry: boot the bzImage through the BIOS
			rm -f "$KIT/vmlinux"
			cp "$tmp/x/boot/vmlinuz-$kver" "$KIT/vmlinuz"
		fi
		cp "$tmp/x/bin/busybox" "$KIT/busybox"
		if ! kit_modules "$tmp/x/lib/modules/$kver" "$kver" \
		    "$KIT/modules"; then
			rm -rf "$tmp"
			echo "module set incomplete in $pkg"
			return 1
		fi
		echo "$kver" >"$KIT/kver"
		rm -rf "$tmp"
		echo "$KIT_FORMAT" >"$KIT/complete"
		# kits of older kernels are 100 MB each and never used again
		for old in "$base"/kit-*; do
			[ "$old" = "$KIT" ] || rm -rf "$old"
		done
	fi
	if ! kit_initrd "$KIT" "$init"; then
		echo "initramfs build failed"
		return 1
	fi
}

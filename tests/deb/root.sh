#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Throwaway root: run under `unshare --mount --propagation private`.
# Mounts an overlay of / whose writable layer is a tmpfs, so dpkg inside
# changes only that layer; it all vanishes with the mount namespace, and
# the machine's own packages are never touched.
#   root.sh SCRATCH PAYLOAD CMD...   (CMD runs chrooted; PAYLOAD appears
#                                     in the root as /run/pmem-deb)
# ROOT_LOWER, when set, is the tree to lay the overlay on instead of / (a
# cached debootstrap root: tests/fresh); ROOT_APT_CACHE, a directory kept
# between runs for the packages apt downloads in the root (not the host's
# own cache, whose lock the host's apt may hold).
# Exits 77 with a SKIP line (and a closing count, tests/lib/common.sh
# relay) when the kernel refuses the mounts.
set -u
scratch=$1 payload=$2
shift 2

# The upper and work dirs must not be on overlayfs and not inside the
# lower layer's files: a tmpfs of their own satisfies both.
if ! mount -t tmpfs -o mode=0700 pmem-deb "$scratch"; then
	echo "SKIP: throwaway root: cannot mount a tmpfs in a mount namespace"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
fi
mkdir "$scratch/upper" "$scratch/work" "$scratch/root"
r=$scratch/root
lower=${ROOT_LOWER:-/}
if ! mount -t overlay pmem-deb -o "lowerdir=$lower,upperdir=$scratch/upper,workdir=$scratch/work" "$r"; then
	echo "SKIP: throwaway root: overlayfs over $lower is not available"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
fi
if [ -n "${ROOT_APT_CACHE:-}" ]; then
	mkdir -p "$ROOT_APT_CACHE/partial" &&
	mount --bind "$ROOT_APT_CACHE" "$r/var/cache/apt/archives" ||
		{ echo "FAIL: throwaway root: mounting the package cache"; exit 1; }
fi
# only the lower tree is in the overlay: the kernel file systems come in
# as mounts
mount -t proc proc "$r/proc" &&
	mount --rbind /sys "$r/sys" &&
	mount --rbind /dev "$r/dev" &&
	mount -t tmpfs tmpfs "$r/tmp" &&
	mkdir -p "$r/run/pmem-deb" &&
	mount --bind "$payload" "$r/run/pmem-deb" ||
	{ echo "FAIL: throwaway root: mounting proc, dev, tmp, payload"; exit 1; }
# the settings above are this script's, not the root's (a root.sh run
# inside must start from its own /)
exec env -u ROOT_LOWER -u ROOT_APT_CACHE chroot "$r" "$@"

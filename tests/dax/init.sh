#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# /init of the DAX suite's guest: loads the modules, puts the host's root
# (read-only 9p + tmpfs overlay) under a chroot and runs the job's script.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
load() {
	for m in "$@"; do
		modprobe "$m" || echo "init: modprobe $m failed"
	done
}
load $(cat /modules.boot)
o=trans=virtio,version=9p2000.L,msize=512000
if ! mount -t 9p -o "$o,ro,cache=loose" hostroot /lower ||
    ! mount -t 9p -o "$o" daxjob /job; then
	echo "init: 9p mount failed"
	poweroff -f
fi
[ -f /job/modules ] && load $(cat /job/modules)
mount -t tmpfs -o mode=755 tmpfs /rw
mkdir -p /rw/upper /rw/work
if ! mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
    overlay /newroot; then
	echo "init: overlay mount failed"
	poweroff -f
fi
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mount -t tmpfs tmpfs /newroot/run
mkdir -p /newroot/mnt/daxjob
mount --bind /job /newroot/mnt/daxjob
echo "init: running job"
chroot /newroot /bin/sh /mnt/daxjob/start
echo "init: job exit $?"
sync
poweroff -f

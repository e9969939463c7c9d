/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the Linux platform files only. */
#ifndef PMEM_PLATFORM_LINUX_H
#define PMEM_PLATFORM_LINUX_H

#include <sys/types.h>

/* 1 when the character device rdev is a Device DAX, 0 if not, -1 on error */
int dax_is_devdax(dev_t rdev);
/* an unsigned number from /sys/dev/char/M:m/<attr>; -1 on failure */
int dax_read_attr(dev_t rdev, const char *attr, unsigned long long *val);

/*
 * 0 and the id of the nd region in a Device DAX's resolved sysfs path,
 * 1 when the path holds none (the device is not on an nd bus).
 */
int dax_nd_region(const char *rpath, unsigned *region_id);

/* how sysfs_read fails; errno is set too (EINVAL for the last two) */
enum sysfs_error {
	SYSFS_EOPEN = -1,	/* open failed */
	SYSFS_EREAD = -2,	/* read failed */
	SYSFS_EEMPTY = -3,	/* the file is empty */
	SYSFS_ENOLINE = -4,	/* no newline at its end within size - 1 */
};

/*
 * A sysfs attribute file, which ends in a newline, into buf with that
 * newline replaced by a NUL: its length, or a negative sysfs_error. It
 * records no message: a missing file is an error for some callers and a
 * default for others.
 */
ssize_t sysfs_read(const char *path, char *buf, size_t size);

/*
 * The first size bytes of a /proc or device-tree file, as they are (one
 * read: these files give their content in one go): the count, or
 * SYSFS_EOPEN / SYSFS_EREAD.
 */
ssize_t kernel_file_read(const char *path, void *buf, size_t size);

#endif

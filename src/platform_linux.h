/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the Linux platform files only. */
#ifndef PMEM_PLATFORM_LINUX_H
#define PMEM_PLATFORM_LINUX_H

#include <sys/types.h>

/* 1 when the character device rdev is a Device DAX, 0 if not, -1 on error */
int dax_is_devdax(dev_t rdev);
/* an unsigned number from /sys/dev/char/M:m/<attr>; -1 on failure */
int dax_read_attr(dev_t rdev, const char *attr, unsigned long long *val);

#endif

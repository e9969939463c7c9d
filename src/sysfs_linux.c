/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one reader of the kernel's small files: sysfs attributes (cache
 * sizes, Device DAX geometry, nd region persistence domain and deep
 * flush), /proc and the device tree, with one way of failing that each
 * caller turns into its error, log line or default.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "platform_linux.h"

/*
 * open/read/close rather than stdio: the fault-injection suite fails these
 * calls one by one on the Device DAX and deep-flush paths and compares the
 * outcome with the reference, which reads sysfs with them too.
 */
ssize_t
kernel_file_read(const char *path, void *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return SYSFS_EOPEN;
	ssize_t n = read(fd, buf, size);
	int oerrno = errno;

	close(fd);
	errno = oerrno;
	return n < 0 ? SYSFS_EREAD : n;
}

ssize_t
sysfs_read(const char *path, char *buf, size_t size)
{
	ssize_t n = kernel_file_read(path, buf, size - 1);

	if (n < 0)
		return n;
	if (n == 0) {
		errno = EINVAL;
		return SYSFS_EEMPTY;
	}
	if (buf[n - 1] != '\n') {
		errno = EINVAL;
		return SYSFS_ENOLINE;
	}
	buf[n - 1] = '\0';
	return n - 1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one reader of sysfs attribute files (cache sizes, Device DAX
 * geometry, nd region persistence domain and deep flush), with one way of
 * failing that each caller turns into its error, log line or default.
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
sysfs_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return SYSFS_EOPEN;
	ssize_t n = read(fd, buf, size - 1);
	int oerrno = errno;

	close(fd);
	errno = oerrno;
	if (n < 0)
		return SYSFS_EREAD;
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

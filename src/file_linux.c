/* SPDX-License-Identifier: BSD-3-Clause */
/* Files on Linux: type detection, open, temporary files, sizing. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out.h"
#include "platform.h"
#include "platform_linux.h"

/* compat: a missing file is "normal" (it may be created next) */
enum file_type
plat_file_type(const char *path)
{
	struct stat st;

	if (access(path, F_OK) != 0) {
		if (errno == ENOENT)
			return FILE_TYPE_NORMAL;
		ERR("!os_access \"%s\"", path);
		return FILE_TYPE_ERROR;
	}
	if (stat(path, &st) != 0) {
		ERR("!stat %s", path);
		return FILE_TYPE_ERROR;
	}
	if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return FILE_TYPE_NORMAL;
	if (!S_ISCHR(st.st_mode)) {
		ERR("file type 0%o not supported",
			(unsigned)(st.st_mode & S_IFMT));
		errno = EINVAL;
		return FILE_TYPE_ERROR;
	}
	switch (dax_is_devdax(st.st_rdev)) {
	case 1:
		return FILE_TYPE_DEVDAX;
	case 0:
		/* compat: the reference fails here without a message */
		LOG(3, "%s is not a Device DAX", path);
		errno = EINVAL;
		return FILE_TYPE_ERROR;
	default:
		return FILE_TYPE_ERROR;
	}
}

int
plat_open(const char *path, int create, int excl, mode_t mode)
{
	int oflags = O_RDWR | O_CLOEXEC;

	if (create)
		oflags |= O_CREAT;
	if (excl)
		oflags |= O_EXCL;
	int fd = open(path, oflags, mode);

	if (fd < 0)
		ERR("!open %s", path);
	return fd;
}

/* file systems without O_TMPFILE get a named file unlinked at once */
static int
tmpfile_mkstemp(const char *dir)
{
	static const char templ[] = "/pmem.XXXXXX";
	size_t dlen = strlen(dir);
	char *path = malloc(dlen + sizeof(templ));

	if (path == NULL) {
		ERR("!Malloc");
		return -1;
	}
	memcpy(path, dir, dlen);
	memcpy(path + dlen, templ, sizeof(templ));

	mode_t prev = umask(S_IRWXG | S_IRWXO);
	int fd = mkostemp(path, O_CLOEXEC);

	umask(prev);
	if (fd < 0) {
		ERR("!mkstemp");
	} else {
		int oerrno = errno;

		unlink(path);
		errno = oerrno;
	}
	free(path);
	return fd;
}

int
plat_tmpfile(const char *dir, int excl)
{
	int oflags = O_TMPFILE | O_RDWR | O_CLOEXEC | (excl ? O_EXCL : 0);
	int fd = open(dir, oflags, S_IRUSR | S_IWUSR);

	if (fd >= 0)
		return fd;
	LOG(4, "!open O_TMPFILE %s, trying mkstemp", dir);
	return tmpfile_mkstemp(dir);
}

int
plat_set_size(int fd, size_t len, int sparse)
{
	if (ftruncate(fd, (off_t)len) != 0) {
		ERR("!ftruncate");
		return -1;
	}
	if (sparse)
		return 0;
	int err = posix_fallocate(fd, 0, (off_t)len);

	if (err != 0) {
		errno = err;
		ERR("!posix_fallocate");
		return -1;
	}
	return 0;
}

ssize_t
plat_fd_size(int fd)
{
	struct stat st;
	unsigned long long size;

	if (fstat(fd, &st) != 0) {
		ERR("!fstat");
		return -1;
	}
	if (!S_ISCHR(st.st_mode))
		return st.st_size;
	if (dax_read_attr(st.st_rdev, "size", &size) != 0)
		return -1;
	return (ssize_t)size;
}

void
plat_close(int fd)
{
	int oerrno = errno;

	close(fd);
	errno = oerrno;
}

void
plat_unlink(const char *path)
{
	int oerrno = errno;

	unlink(path);
	errno = oerrno;
}

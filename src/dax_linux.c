/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Device DAX and NVDIMM regions through sysfs: device detection, size and
 * alignment, the region behind a device, the persistence domain (eADR) and
 * the region deep flush.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "out.h"
#include "platform.h"
#include "platform_linux.h"
#include "trace.h"

#define ND_DEVICES "/sys/bus/nd/devices"

static void
char_dev_path(char *buf, size_t size, dev_t rdev, const char *attr)
{
	snprintf(buf, size, "/sys/dev/char/%u:%u/%s", major(rdev),
		minor(rdev), attr);
}

int
dax_is_devdax(dev_t rdev)
{
	char spath[PATH_MAX];
	char rpath[PATH_MAX];

	char_dev_path(spath, sizeof(spath), rdev, "subsystem");
	if (realpath(spath, rpath) == NULL) {
		ERR("!realpath \"%s\"", spath);
		return -1;
	}
	const char *base = strrchr(rpath, '/');

	return base != NULL && strcmp(base + 1, "dax") == 0;
}

/* the reference's message for each way reading an attribute fails */
static void
sysfs_err(const char *path, ssize_t err)
{
	switch (err) {
	case SYSFS_EOPEN:
		ERR("!open \"%s\"", path);
		break;
	case SYSFS_EREAD:
		ERR("!read");
		break;
	case SYSFS_EEMPTY:
		ERR("%s is empty", path);
		break;
	default:
		ERR("%s doesn't end with new line", path);
		break;
	}
}

int
dax_read_attr(dev_t rdev, const char *attr, unsigned long long *val)
{
	char path[PATH_MAX];
	char buf[64];
	char *end;

	char_dev_path(path, sizeof(path), rdev, attr);
	ssize_t n = sysfs_read(path, buf, sizeof(buf));

	if (n < 0) {
		sysfs_err(path, n);
		return -1;
	}
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno != 0 || end == buf || *end != '\0') {
		ERR("invalid format of %s: \"%s\"", path, buf);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
devdax_attr(const char *path, const char *attr, unsigned long long *val)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		ERR("!stat \"%s\"", path);
		return -1;
	}
	return dax_read_attr(st.st_rdev, attr, val);
}

ssize_t
plat_devdax_size(const char *path)
{
	unsigned long long size;

	if (devdax_attr(path, "size", &size) != 0)
		return -1;
	return (ssize_t)size;
}

ssize_t
plat_devdax_align(const char *path)
{
	unsigned long long align;

	/* kernels since 5.x put align beside size; older ones under device/ */
	if (devdax_attr(path, "align", &align) != 0 &&
			devdax_attr(path, "device/align", &align) != 0)
		return -1;
	if (align == 0 || (align & (align - 1)) != 0) {
		ERR("alignment (%llu) has to be a power of two", align);
		errno = EINVAL;
		return -1;
	}
	return (ssize_t)align;
}

/*
 * An nd region is the directory right below an nd bus:
 * .../ndbusB/regionR/daxR.N/daxR.N. Other "regionN" directories are not
 * nd regions and have no deep_flush in /sys/bus/nd: a CXL RAM region's
 * Device DAX sits below .../decoderD.N/regionR/dax_regionR/, and
 * soft-reserved memory below /sys/devices/platform/hmem.N/.
 */
int
dax_nd_region(const char *rpath, unsigned *region_id)
{
	for (const char *p = strstr(rpath, "/ndbus"); p != NULL;
			p = strstr(p + 1, "/ndbus")) {
		unsigned bus, id;
		int end = 0;

		if (sscanf(p, "/ndbus%u/region%u%n", &bus, &id, &end) == 2 &&
				end > 0 && p[end] == '/') {
			*region_id = id;
			return 0;
		}
	}
	return 1;
}

int
plat_devdax_region(const char *path, unsigned *region_id)
{
	struct stat st;
	char spath[PATH_MAX];
	char rpath[PATH_MAX];

	if (stat(path, &st) != 0) {
		ERR("!stat \"%s\"", path);
		return -1;
	}
	char_dev_path(spath, sizeof(spath), st.st_rdev, "");
	if (realpath(spath, rpath) == NULL) {
		ERR("!realpath \"%s\"", spath);
		return -1;
	}
	int ret = dax_nd_region(rpath, region_id);

	LOG(3, "%s: %s", rpath, ret == 0 ? "nd region" : "no nd region");
	return ret;
}

/* 1 when the region's persistence domain is the CPU cache */
static int
region_has_cpu_cache(const char *region)
{
	char path[PATH_MAX];
	char buf[64];

	snprintf(path, sizeof(path), ND_DEVICES "/%s/persistence_domain",
		region);
	return sysfs_read(path, buf, sizeof(buf)) >= 0 &&
		strcmp(buf, "cpu_cache") == 0;
}

/*
 * eADR holds only if there is at least one region and every region
 * reports the CPU cache as its persistence domain.
 */
int
plat_auto_flush(void)
{
	DIR *dir = opendir(ND_DEVICES);
	struct dirent *e;
	int all = 0;

	if (dir == NULL)
		return 0;
	while ((e = readdir(dir)) != NULL) {
		if (strncmp(e->d_name, "region", 6) != 0)
			continue;
		all = region_has_cpu_cache(e->d_name);
		if (!all)
			break;
	}
	closedir(dir);
	/* compat: the reference's directory walk leaves errno at 0 */
	errno = 0;
	LOG(15, "auto flush %d", all);
	return all;
}

/*
 * compat: like the reference, failures here are logged, not reported:
 * a region without a writable deep_flush has nothing to flush for us.
 * A region whose deep_flush reads "0" needs no flush.
 */
int
plat_region_deep_flush(unsigned region_id)
{
	char path[PATH_MAX];
	char buf[4];
	int fd;

	TRACE_SYSCALL();
	snprintf(path, sizeof(path), ND_DEVICES "/region%u/deep_flush",
		region_id);
	ssize_t n = sysfs_read(path, buf, sizeof(buf));

	if (n < 0) {
		LOG(1, n == SYSFS_EOPEN ? "!open(\"%s\", O_RDONLY)" :
			"!read(\"%s\")", path);
		return 0;
	}
	if (strcmp(buf, "0") == 0) {
		LOG(3, "deep flushing not needed");
		return 0;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		LOG(1, "cannot open deep_flush file %s to write", path);
		return 0;
	}
	if (write(fd, "1", 1) != 1)
		LOG(1, "cannot write to deep_flush file %s", path);
	close(fd);
	return 0;
}

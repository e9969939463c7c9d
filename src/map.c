/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmem_map_file() and pmem_unmap(): argument rules, file creation and
 * sizing, the mapping itself and its registration as persistent memory.
 * The order of the checks is the reference's, because it decides which
 * error a caller sees when several apply.
 */
#include <errno.h>
#include <stdint.h>

#include "libpmem.h"
#include "out.h"
#include "platform.h"
#include "range.h"
#include "util.h"
#include "vg.h"

#define FILE_ALL_FLAGS (PMEM_FILE_CREATE | PMEM_FILE_EXCL | \
	PMEM_FILE_SPARSE | PMEM_FILE_TMPFILE)
#define DEVDAX_FLAGS (PMEM_FILE_CREATE | PMEM_FILE_SPARSE)

/*
 * compat: a Device DAX is always mapped whole; CREATE and SPARSE are
 * accepted and ignored, len must be 0 or the device size.
 */
static int
check_devdax(const char *path, size_t *len, int *flags)
{
	if (*flags & ~DEVDAX_FLAGS) {
		ERR("flag unsupported for Device DAX %x", *flags);
		errno = EINVAL;
		return -1;
	}
	ssize_t size = plat_devdax_size(path);

	if (size < 0) {
		ERR("unable to read Device DAX size");
		errno = EINVAL;
		return -1;
	}
	if (*len != 0 && *len != (size_t)size) {
		ERR("Device DAX length must be either 0 or the exact size "
			"of the device: %zu", (size_t)size);
		errno = EINVAL;
		return -1;
	}
	*len = 0;
	*flags = 0;
	return 0;
}

static int
check_args(size_t len, int flags)
{
	if ((flags & PMEM_FILE_CREATE) && (off_t)len < 0) {
		ERR("invalid file length %zu", len);
		errno = EINVAL;
		return -1;
	}
	if (len != 0 && !(flags & PMEM_FILE_CREATE)) {
		ERR("non-zero 'len' not allowed without PMEM_FILE_CREATE");
		errno = EINVAL;
		return -1;
	}
	if (len == 0 && (flags & PMEM_FILE_CREATE)) {
		ERR("zero 'len' not allowed with PMEM_FILE_CREATE");
		errno = EINVAL;
		return -1;
	}
	if ((flags & PMEM_FILE_TMPFILE) && !(flags & PMEM_FILE_CREATE)) {
		ERR("PMEM_FILE_TMPFILE not allowed without PMEM_FILE_CREATE");
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * The alignment and range type of a Device DAX.
 *
 * compat: a Device DAX outside any nd region (soft-reserved memory that
 * dax_hmem exposes, CXL RAM regions) is mapped and registered like any
 * other, with nothing for the deep calls to flush beyond the fence. The
 * reference crashes in pmem_map_file there (inside libndctl; upstream
 * PMDK issue 6160).
 */
static int
devdax_geometry(const char *path, size_t *align, enum range_type *type,
	unsigned *region_id)
{
	ssize_t a = plat_devdax_align(path);

	if (a < 0)
		return -1;
	*align = (size_t)a;
	switch (plat_devdax_region(path, region_id)) {
	case 0:
		*type = RANGE_DEVDAX;
		return 0;
	case 1:
		*type = RANGE_DEVDAX_NO_REGION;
		*region_id = 0;
		return 0;
	default:
		ERR("Cannot find DAX device region id");
		return -1;
	}
}

/* maps fd and registers the mapping when it is persistent memory */
static void *
map_and_register(int fd, size_t len, const char *path, int devdax)
{
	size_t align = 0;
	unsigned region_id = 0;
	enum range_type type = RANGE_MAP_SYNC;
	int map_sync = 0;

	if (devdax && devdax_geometry(path, &align, &type, &region_id) != 0)
		return NULL;
	void *addr = plat_map(fd, len, align, &map_sync);

	if (addr == NULL)
		return NULL;
	if (devdax || map_sync) {
		if (range_register((uintptr_t)addr, len, type,
				region_id) != 0) {
			LOG(1, "can't track mapped region");
			plat_unmap(addr, len);
			return NULL;
		}
	}
	return addr;
}

/* opens (or creates) the file and gives it its final size in *len */
static int
open_sized(const char *path, size_t *len, int flags, mode_t mode,
	int *created_excl)
{
	int create = (flags & PMEM_FILE_CREATE) != 0;
	int excl = (flags & PMEM_FILE_EXCL) != 0;
	int fd;

	if (flags & PMEM_FILE_TMPFILE) {
		fd = plat_tmpfile(path, excl);
		if (fd < 0)
			LOG(2, "failed to create temporary file at \"%s\"",
				path);
	} else {
		fd = plat_open(path, create, excl, mode);
		*created_excl = fd >= 0 && create && excl;
	}
	if (fd < 0)
		return -1;

	if (create) {
		/* compat: an existing file is cut or grown to len */
		if (plat_set_size(fd, *len, flags & PMEM_FILE_SPARSE) != 0)
			goto err;
		return fd;
	}
	ssize_t size = plat_fd_size(fd);

	if (size < 0) {
		ERR("stat %s: negative size", path);
		errno = EINVAL;
		goto err;
	}
	*len = (size_t)size;
	return fd;
err:
	plat_close(fd);
	return -1;
}

PMEM_EXPORT void *
pmem_map_file(const char *path, size_t len, int flags, mode_t mode,
	size_t *mapped_lenp, int *is_pmemp)
{
	OUT_ENTRY();
	LOG(3, "path \"%s\" size %zu flags %x mode %o mapped_lenp %p "
		"is_pmemp %p", path, len, flags, mode, (void *)mapped_lenp,
		(void *)is_pmemp);

	if (path == NULL) {
		ERR("invalid (NULL) path");
		errno = EINVAL;
		return NULL;
	}
	enum file_type type = plat_file_type(path);
	int created_excl = 0;

	if (type == FILE_TYPE_ERROR)
		return NULL;
	if (flags & ~FILE_ALL_FLAGS) {
		ERR("invalid flag specified %x", flags);
		errno = EINVAL;
		return NULL;
	}
	if (type == FILE_TYPE_DEVDAX && check_devdax(path, &len, &flags))
		return NULL;
	if (check_args(len, flags) != 0)
		return NULL;

	int fd = open_sized(path, &len, flags, mode, &created_excl);

	if (fd < 0) {
		if (created_excl)
			plat_unlink(path);
		return NULL;
	}

	void *addr = map_and_register(fd, len, path,
		type == FILE_TYPE_DEVDAX);

	if (addr == NULL) {
		plat_close(fd);
		/* compat: only a file this call created exclusively goes */
		if (created_excl)
			plat_unlink(path);
		return NULL;
	}
	/* valgrind: pmemcheck's log names the file, so before the close */
	vg_register_pmem(fd, addr, len);
	plat_close(fd);

	if (mapped_lenp != NULL)
		*mapped_lenp = len;
	if (is_pmemp != NULL)
		*is_pmemp = pmem_is_pmem(addr, len);
	LOG(3, "returning %p", addr);
	return addr;
}

PMEM_EXPORT int
pmem_unmap(void *addr, size_t len)
{
	OUT_ENTRY();
	LOG(3, "addr %p len %zu", addr, len);
	vg_remove_pmem(addr, len);	/* valgrind */
	return range_unmap(addr, len, plat_unmap);
}

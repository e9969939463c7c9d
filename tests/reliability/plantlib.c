/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A libpmem stand-in for the self-tests: forwards every call to the library
 * named by RT_PLANT_LIB and plants the defect named by RT_PLANT, which the
 * fault, bad-input and dlopen checks must then report.
 *   fd-leak, map-leak, file-left, bad-errno, no-msg: on a failed map
 *   crash-unmap: pmem_unmap(NULL, ...) dereferences NULL
 *   load-leak: every load leaks a 256 KiB mapping
 *   short-copy: pmem_memmove leaves the last byte of copies > 100 bytes
 *   is-pmem-wrong: pmem_is_pmem answers 1 for everything
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libpmem.h>

#include "../lib/pmem_api.h"

#define EXPORT __attribute__((visibility("default")))

static void *H;
static struct pmem_api R;	/* the library forwarded to */
static char Plant[32];

__attribute__((constructor)) static void
plant_load(void)
{
	const char *lib = getenv("RT_PLANT_LIB");
	const char *plant = getenv("RT_PLANT");

	H = dlopen(lib ? lib : "libpmem.so.1", RTLD_NOW | RTLD_LOCAL);
	if (H == NULL || pmem_api_load(&R, H) != NULL)
		abort();
	snprintf(Plant, sizeof(Plant), "%s", plant ? plant : "");
	/* raw syscalls: the fault shim must not see the planted calls */
	if (strcmp(Plant, "load-leak") == 0)
		syscall(SYS_mmap, NULL, 256 << 10, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

__attribute__((destructor)) static void
plant_unload(void)
{
	dlclose(H);
}

static int
is(const char *p)
{
	return strcmp(Plant, p) == 0;
}

static void
after_failed_map(const char *path)
{
	char stray[4096];

	if (is("fd-leak"))
		syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
	if (is("map-leak"))
		syscall(SYS_mmap, NULL, 4 << 20, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (is("file-left") && path != NULL && path[0] == '/') {
		snprintf(stray, sizeof(stray), "%s.stray", path);
		int fd = (int)syscall(SYS_openat, AT_FDCWD, stray,
			O_CREAT | O_WRONLY, 0600);

		if (fd >= 0)
			syscall(SYS_close, fd);
	}
	if (is("bad-errno"))
		errno = EPERM;
}

EXPORT void *
pmem_map_file(const char *path, size_t len, int flags, mode_t mode,
	size_t *mapped_lenp, int *is_pmemp)
{
	void *r = R.map_file(path, len, flags, mode, mapped_lenp, is_pmemp);

	if (r == NULL)
		after_failed_map(path);
	return r;
}

EXPORT int
pmem_unmap(void *addr, size_t len)
{
	if (is("crash-unmap") && addr == NULL)
		return *(volatile int *)addr;
	return R.unmap(addr, len);
}

EXPORT const char *
pmem_errormsg(void)
{
	return is("no-msg") ? "" : R.errormsg();
}

/* the rest forward unchanged */
#define FWD(ret, name, params, args) \
EXPORT ret \
pmem_##name params \
{ \
	return R.name args; \
}
#define FWDV(name, params, args) \
EXPORT void \
pmem_##name params \
{ \
	R.name args; \
}

EXPORT int
pmem_is_pmem(const void *addr, size_t len)
{
	return is("is-pmem-wrong") ? 1 : R.is_pmem(addr, len);
}

EXPORT void *
pmem_memmove(void *d, const void *s, size_t len, unsigned flags)
{
	return R.memmove(d, s, is("short-copy") && len > 100 ? len - 1 : len,
		flags);
}

FWDV(persist, (const void *a, size_t l), (a, l))
FWD(int, msync, (const void *a, size_t l), (a, l))
FWD(int, has_auto_flush, (void), ())
FWDV(flush, (const void *a, size_t l), (a, l))
FWDV(deep_flush, (const void *a, size_t l), (a, l))
FWD(int, deep_drain, (const void *a, size_t l), (a, l))
FWD(int, deep_persist, (const void *a, size_t l), (a, l))
FWDV(drain, (void), ())
FWD(int, has_hw_drain, (void), ())
FWD(void *, memmove_persist, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, memcpy_persist, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, memset_persist, (void *d, int c, size_t l), (d, c, l))
FWD(void *, memmove_nodrain, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, memcpy_nodrain, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, memset_nodrain, (void *d, int c, size_t l), (d, c, l))
FWD(void *, memcpy, (void *d, const void *s, size_t l, unsigned f_),
	(d, s, l, f_))
FWD(void *, memset, (void *d, int c, size_t l, unsigned f_),
	(d, c, l, f_))
FWD(const char *, check_version, (unsigned a, unsigned b), (a, b))

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

#define EXPORT __attribute__((visibility("default")))

static void *H;
static char Plant[32];

static void *
fwd(const char *name)
{
	void *p = dlsym(H, name);

	if (p == NULL)
		abort();
	return p;
}

__attribute__((constructor)) static void
plant_load(void)
{
	const char *lib = getenv("RT_PLANT_LIB");
	const char *plant = getenv("RT_PLANT");

	H = dlopen(lib ? lib : "libpmem.so.1", RTLD_NOW | RTLD_LOCAL);
	if (H == NULL)
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
	void *(*f)(const char *, size_t, int, mode_t, size_t *, int *) =
		fwd("pmem_map_file");
	void *r = f(path, len, flags, mode, mapped_lenp, is_pmemp);

	if (r == NULL)
		after_failed_map(path);
	return r;
}

EXPORT int
pmem_unmap(void *addr, size_t len)
{
	int (*f)(void *, size_t) = fwd("pmem_unmap");

	if (is("crash-unmap") && addr == NULL)
		return *(volatile int *)addr;
	return f(addr, len);
}

EXPORT const char *
pmem_errormsg(void)
{
	const char *(*f)(void) = fwd("pmem_errormsg");

	return is("no-msg") ? "" : f();
}

/* the rest forward unchanged */
#define FWD(ret, name, params, args) \
EXPORT ret \
name params \
{ \
	ret (*f) params = fwd(#name); \
	return f args; \
}
#define FWDV(name, params, args) \
EXPORT void \
name params \
{ \
	void (*f) params = fwd(#name); \
	f args; \
}

EXPORT int
pmem_is_pmem(const void *addr, size_t len)
{
	int (*f)(const void *, size_t) = fwd("pmem_is_pmem");

	return is("is-pmem-wrong") ? 1 : f(addr, len);
}

EXPORT void *
pmem_memmove(void *d, const void *s, size_t len, unsigned flags)
{
	void *(*f)(void *, const void *, size_t, unsigned) =
		fwd("pmem_memmove");

	return f(d, s, is("short-copy") && len > 100 ? len - 1 : len, flags);
}

FWDV(pmem_persist, (const void *a, size_t l), (a, l))
FWD(int, pmem_msync, (const void *a, size_t l), (a, l))
FWD(int, pmem_has_auto_flush, (void), ())
FWDV(pmem_flush, (const void *a, size_t l), (a, l))
FWDV(pmem_deep_flush, (const void *a, size_t l), (a, l))
FWD(int, pmem_deep_drain, (const void *a, size_t l), (a, l))
FWD(int, pmem_deep_persist, (const void *a, size_t l), (a, l))
FWDV(pmem_drain, (void), ())
FWD(int, pmem_has_hw_drain, (void), ())
FWD(void *, pmem_memmove_persist, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, pmem_memcpy_persist, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, pmem_memset_persist, (void *d, int c, size_t l), (d, c, l))
FWD(void *, pmem_memmove_nodrain, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, pmem_memcpy_nodrain, (void *d, const void *s, size_t l),
	(d, s, l))
FWD(void *, pmem_memset_nodrain, (void *d, int c, size_t l), (d, c, l))
FWD(void *, pmem_memcpy, (void *d, const void *s, size_t l, unsigned f_),
	(d, s, l, f_))
FWD(void *, pmem_memset, (void *d, int c, size_t l, unsigned f_),
	(d, c, l, f_))
FWD(const char *, pmem_check_version, (unsigned a, unsigned b), (a, b))

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A libpmem stand-in for the suite's self-test: forwards every call to the
 * reference but plants the bug named by PMEM_DIFF_MUTANT, which must be caught.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpmem.h>

#include "../lib/pmem_api.h"

#define EXPORT __attribute__((visibility("default")))

static struct pmem_api R;

static char Mutant[64];

static int
is(const char *name)
{
	return strcmp(Mutant, name) == 0;
}

/* plain dlopen: the reference then shares this namespace's libc and errno */
__attribute__((constructor)) static void
mutant_init(void)
{
	const char *ref = getenv("PMEM_DIFF_MUTANT_REF");
	const char *m = getenv("PMEM_DIFF_MUTANT");
	void *h = dlopen(ref ? ref : "libpmem.so.1", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL || pmem_api_load(&R, h) != NULL)
		abort();
	snprintf(Mutant, sizeof(Mutant), "%s", m ? m : "");
}

EXPORT void *
pmem_map_file(const char *path, size_t len, int flags, mode_t mode,
	size_t *mapped_lenp, int *is_pmemp)
{
	void *a = R.map_file(path, len, flags, mode, mapped_lenp, is_pmemp);
	if (a == NULL && is("map_errno"))
		errno = EIO;
	if (a == NULL && is("map_touch_len") && mapped_lenp)
		*mapped_lenp = 0;
	if (a != NULL && is("map_mode") && (flags & PMEM_FILE_CREATE) &&
			!(flags & PMEM_FILE_TMPFILE))
		chmod(path, 0600);
	if (a != NULL && is("map_tmpfile_visible") &&
			(flags & PMEM_FILE_TMPFILE)) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/leftover", path);
		close(open(p, O_CREAT | O_WRONLY, 0600));
	}
	if (a != NULL && is("map_no_align") && mapped_lenp) {
		/* move the mapping to an address that is only page aligned */
		size_t l = *mapped_lenp;
		char *r = mmap(NULL, l + (4 << 20), PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *t = (char *)(((unsigned long)r + (2 << 20)) &
			~((2UL << 20) - 1)) + 4096;
		a = mremap(a, l, l, MREMAP_MAYMOVE | MREMAP_FIXED, t);
	}
	return a;
}

EXPORT const char *
pmem_errormsg(void)
{
	static char buf[8300];
	if (!is("errormsg"))
		return R.errormsg();
	snprintf(buf, sizeof(buf), "%s.", R.errormsg());
	return buf;
}

EXPORT int
pmem_unmap(void *addr, size_t len)
{
	if (is("unmap_len0") && len == 0)
		return 0;
	return R.unmap(addr, len);
}

EXPORT int
pmem_is_pmem(const void *addr, size_t len)
{
	return is("is_pmem_true") ? 1 : R.is_pmem(addr, len);
}

/*
 * compat, as ours (src/mmap_linux.c plat_msync): a range whose page-rounded
 * end runs past the top of the address space fails with ENOMEM, where the
 * reference lets msync round it to 0 pages; without a planted bug the
 * stand-in must answer as a correct "ours" does.
 */
static int
wraps(const void *addr, size_t len)
{
	uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr & ~(ps - 1);
	uintptr_t head = (uintptr_t)addr - start;

	return len + head < len || len + head > UINTPTR_MAX - start ||
		start + len + head > UINTPTR_MAX - ps + 1;
}

static int
enomem(void)
{
	errno = ENOMEM;
	return -1;
}

EXPORT int
pmem_msync(const void *addr, size_t len)
{
	if (is("msync_ok"))
		return 0;
	return wraps(addr, len) ? enomem() : R.msync(addr, len);
}

EXPORT int
pmem_deep_drain(const void *addr, size_t len)
{
	if (is("deep_drain_fail"))
		return -1;
	return wraps(addr, len) ? enomem() : R.deep_drain(addr, len);
}

EXPORT const char *
pmem_check_version(unsigned major, unsigned minor)
{
	if (is("version") && major == 1 && minor == 2)
		return NULL;
	return R.check_version(major, minor);
}

EXPORT void
pmem_flush(const void *addr, size_t len)
{
	if (is("flush_corrupts") && len > 100)
		((char *)addr)[len / 2] ^= 1;
	R.flush(addr, len);
}

EXPORT void *
pmem_memset(void *d, int c, size_t len, unsigned flags)
{
	if (is("memset_overrun") && len % 97 == 5)
		len++;
	if (is("memset_c") && c > 255)
		c &= 0x7f;
	return R.memset(d, c, len, flags);
}

EXPORT void *
pmem_memcpy(void *d, const void *s, size_t len, unsigned flags)
{
	if (is("memcpy_overlap") && d > s &&
			(const char *)s + len > (char *)d) {
		for (size_t i = 0; i < len; i++)
			((char *)d)[i] = ((const char *)s)[i];
		return d;
	}
	if (is("unknown_flag") && (flags & (1u << 31)))
		return d;
	return R.memcpy(d, s, len, flags);
}

EXPORT void *
pmem_memmove_persist(void *d, const void *s, size_t len)
{
	void *r = R.memmove_persist(d, s, len);
	return is("memmove_ret") ? (char *)r + 1 : r;
}

EXPORT void *
pmem_memset_nodrain(void *d, int c, size_t len)
{
	if (is("memset_nodrain_mis") && ((unsigned long)d & 63) == 17 && len)
		len--;
	return R.memset_nodrain(d, c, len);
}

/* the rest pass straight through */
EXPORT void
pmem_persist(const void *a, size_t l)
{
	R.persist(a, l);
}

EXPORT int
pmem_has_auto_flush(void)
{
	return R.has_auto_flush();
}

EXPORT void
pmem_deep_flush(const void *a, size_t l)
{
	R.deep_flush(a, l);
}

EXPORT int
pmem_deep_persist(const void *a, size_t l)
{
	if (wraps(a, l)) {
		R.deep_flush(a, l);	/* flushes nothing there, as ours */
		return enomem();
	}
	return R.deep_persist(a, l);
}

EXPORT void
pmem_drain(void)
{
	R.drain();
}

EXPORT int
pmem_has_hw_drain(void)
{
	return R.has_hw_drain();
}

EXPORT void *
pmem_memcpy_persist(void *d, const void *s, size_t l)
{
	return R.memcpy_persist(d, s, l);
}

EXPORT void *
pmem_memset_persist(void *d, int c, size_t l)
{
	return R.memset_persist(d, c, l);
}

EXPORT void *
pmem_memmove_nodrain(void *d, const void *s, size_t l)
{
	return R.memmove_nodrain(d, s, l);
}

EXPORT void *
pmem_memcpy_nodrain(void *d, const void *s, size_t l)
{
	return R.memcpy_nodrain(d, s, l);
}

EXPORT void *
pmem_memmove(void *d, const void *s, size_t l, unsigned f)
{
	if (is("memmove_crash") && l == 333)
		return R.memmove(NULL, s, l, f);
	return R.memmove(d, s, l, f);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A deliberately wrong libpmem for selftest.sh: wraps the reference and
 * breaks the one call chosen by BUG, so pmembench's checks must catch it;
 * BUG 8 is right but slow, for the targets report; BUG 9 is slow unless a
 * setting is forced, for the choices pass.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>

#include <libpmem.h>

#define REAL(name) ((__typeof__(name) *)dlsym(RTLD_NEXT, #name))

#if BUG == 1	/* drops the last byte */
void *
pmem_memcpy_persist(void *d, const void *s, size_t n)
{
	return REAL(pmem_memcpy_persist)(d, s, n ? n - 1 : 0);
}
#elif BUG == 2	/* writes one byte past the end */
void *
pmem_memset_persist(void *d, int c, size_t n)
{
	return REAL(pmem_memset_persist)(d, c, n + 1);
}
#elif BUG == 3	/* copies forward even when that overwrites its source */
void *
pmem_memmove_persist(void *d, const void *s, size_t n)
{
	char *dd = d;
	const char *ss = s;
	size_t i;

	for (i = 0; i < n; i++)
		dd[i] = ss[i];
	REAL(pmem_persist)(d, n);
	return d;
}
#elif BUG == 4	/* claims DRAM is persistent memory */
int
pmem_is_pmem(const void *a, size_t n)
{
	(void)a;
	(void)n;
	return 1;
}
#elif BUG == 5	/* returns the source instead of the destination */
void *
pmem_memcpy(void *d, const void *s, size_t n, unsigned flags)
{
	REAL(pmem_memcpy)(d, s, n, flags);
	return (void *)s;
}
#elif BUG == 6	/* reports a wrong mapped length */
void *
pmem_map_file(const char *path, size_t len, int flags, mode_t mode,
	size_t *mapped_lenp, int *is_pmemp)
{
	void *a = REAL(pmem_map_file)(path, len, flags, mode, mapped_lenp,
		is_pmemp);

	if (a != NULL && mapped_lenp != NULL)
		*mapped_lenp += 4096;
	return a;
}
#elif BUG == 7	/* crashes */
void
pmem_persist(const void *a, size_t n)
{
	(void)a;
	(void)n;
	*(volatile int *)8 = 0;
}
#elif BUG == 8	/* right, but does the copy twice */
void *
pmem_memcpy_persist(void *d, const void *s, size_t n)
{
	REAL(pmem_memcpy_persist)(d, s, n);
	return REAL(pmem_memcpy_persist)(d, s, n);
}
#elif BUG == 9	/* right, but slow unless loaded with a setting forced */
#include <stdlib.h>

static int Forced;

/* read once at load, as the library reads its tuning variables */
__attribute__((constructor)) static void
read_env(void)
{
	const char *e = getenv("PMEM_MOVNT_THRESHOLD");

	Forced = e != NULL && strcmp(e, "0") == 0;
}

void *
pmem_memcpy_persist(void *d, const void *s, size_t n)
{
	if (!Forced)
		REAL(pmem_memcpy_persist)(d, s, n);
	return REAL(pmem_memcpy_persist)(d, s, n);
}
#else
#error "define BUG as 1..9"
#endif

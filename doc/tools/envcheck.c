/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * envcheck.c -- checks what libpmem(7) says about its environment variables
 * and the debug library; the caller sets the environment for each mode.
 * Usage: envcheck MODE [ARG...]; prints one PASS/FAIL line, exits 1 on FAIL.
 */

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpmem.h>

static int
verdict(int ok, const char *what, const char *detail)
{
	printf("%s: %s%s%s%s\n", ok ? "PASS" : "FAIL", what,
			ok ? "" : " (", ok ? "" : detail, ok ? "" : ")");
	return !ok;
}

/* PMEM_IS_PMEM_FORCE set by the program before its first mapping counts */
static int
force_setenv(const char *file)
{
	size_t len;
	int is_pmem = -1, later;
	char detail[128];
	void *addr;

	setenv("PMEM_IS_PMEM_FORCE", "1", 1);
	addr = pmem_map_file(file, 4096, PMEM_FILE_CREATE, 0644, &len,
			&is_pmem);
	if (addr == NULL)
		return verdict(0, "PMEM_IS_PMEM_FORCE via setenv",
				pmem_errormsg());
	/* the value was read once; changing it now must not matter */
	setenv("PMEM_IS_PMEM_FORCE", "0", 1);
	later = pmem_is_pmem(addr, len);
	pmem_unmap(addr, len);
	snprintf(detail, sizeof(detail), "is_pmem %d, later %d", is_pmem,
			later);
	return verdict(is_pmem == 1 && later == 1,
			"PMEM_IS_PMEM_FORCE set before the first mapping, "
			"changes after it ignored", detail);
}

/* PMEM_IS_PMEM_FORCE=1 in the environment: any range counts as pmem */
static int
force_any(const char *want)
{
	static char buf[64];
	char detail[64], what[64];
	int r = pmem_is_pmem(buf, sizeof(buf));

	snprintf(detail, sizeof(detail), "pmem_is_pmem returned %d", r);
	snprintf(what, sizeof(what), "pmem_is_pmem of a static buffer is %s",
			want);
	return verdict(r == atoi(want), what, detail);
}

/* PMEM_MMAP_HINT: the mapping lands at the hinted address */
static int
hint(const char *file, const char *want)
{
	char detail[128];
	size_t len;
	void *addr;
	int ok;

	addr = pmem_map_file(file, 1 << 20, PMEM_FILE_CREATE, 0644, &len,
			NULL);
	if (addr == NULL)
		return verdict(0, "PMEM_MMAP_HINT", pmem_errormsg());
	if (strcmp(want, "any") == 0)
		ok = 1;
	else
		ok = (uintptr_t)addr == (uintptr_t)strtoull(want, NULL, 16);
	snprintf(detail, sizeof(detail), "mapped at %p, expected %s", addr,
			want);
	pmem_unmap(addr, len);
	return verdict(ok, "PMEM_MMAP_HINT places the mapping", detail);
}

/* undefined flags: the copy happens; only the debug build complains */
static int
badflags(const char *want_msg)
{
	static char src[300], dst[300];
	char detail[256];
	int copied;

	memset(src, 'x', sizeof(src));
	pmem_memcpy(dst, src, sizeof(dst), 0x40);
	copied = memcmp(src, dst, sizeof(dst)) == 0;
	snprintf(detail, sizeof(detail), "copied %d, message \"%s\"", copied,
			pmem_errormsg());
	return verdict(copied && strcmp(pmem_errormsg(), want_msg) == 0,
			"pmem_memcpy with an undefined flag bit", detail);
}

int
main(int argc, char *argv[])
{
	if (argc == 3 && strcmp(argv[1], "force-setenv") == 0)
		return force_setenv(argv[2]);
	if (argc == 3 && strcmp(argv[1], "force-any") == 0)
		return force_any(argv[2]);
	if (argc == 4 && strcmp(argv[1], "hint") == 0)
		return hint(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "badflags") == 0)
		return badflags(argv[2]);
	fprintf(stderr, "usage: %s force-setenv FILE | force-any 0|1 | "
			"hint FILE ADDR|any | badflags MESSAGE\n", argv[0]);
	return 2;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Guard-page buffers for the kernel tests: an access one byte outside the
 * buffer faults at once instead of corrupting a neighbour unseen.
 */
#ifndef TESTS_LIB_GUARD_H
#define TESTS_LIB_GUARD_H

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * size bytes between two inaccessible pages, ending at the upper one, so
 * a test can put a range's last byte next to the guard; when size is a
 * whole number of pages the start is page-aligned against the lower one.
 * Never freed: the tests keep them to the end. Exits 2 when the mapping
 * fails, as the test cannot run without it.
 */
static inline void *
guard_alloc(size_t size)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (size + pg - 1) / pg * pg;
	char *p = mmap(NULL, len + 2 * pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p, pg, PROT_NONE) != 0 ||
			mprotect(p + pg + len, pg, PROT_NONE) != 0) {
		printf("FAIL: guard_alloc(%zu): %s\n", size, strerror(errno));
		exit(2);
	}
	return p + pg + (len - size);
}

#endif

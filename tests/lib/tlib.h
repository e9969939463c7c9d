/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The few helpers the cross-arch test programs share instead of a test
 * framework: failure counting with a cap on printed messages, a seeded
 * generator and guard-paged buffers.
 */
#ifndef TLIB_H
#define TLIB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define T_MAX_MESSAGES 25

static unsigned long T_failures;

#define T_FAIL(...) do { \
	if (T_failures++ < T_MAX_MESSAGES) { \
		fprintf(stderr, "  failed: " __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

#define T_CHECK(cond, ...) do { \
	if (!(cond)) \
		T_FAIL(__VA_ARGS__); \
} while (0)

static uint64_t T_seed = 0x9e3779b97f4a7c15ULL;

static inline uint64_t
t_rnd(void)
{
	T_seed ^= T_seed << 13;
	T_seed ^= T_seed >> 7;
	T_seed ^= T_seed << 17;
	return T_seed;
}

/* size bytes, page-aligned, with an inaccessible page on each side */
static inline char *
t_guarded(size_t size)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (size + pg - 1) / pg * pg;
	char *p = mmap(NULL, len + 2 * pg, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	if (mprotect(p, pg, PROT_NONE) ||
			mprotect(p + pg + len, pg, PROT_NONE)) {
		perror("mprotect");
		exit(2);
	}
	return p + pg + (len - size);
}

static inline void
t_fill_random(char *p, size_t n)
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint64_t r = t_rnd();

		memcpy(p + i, &r, 8);
	}
	for (size_t i = n & ~(size_t)7; i < n; i++)
		p[i] = (char)t_rnd();
}

/* the exit status: 0 when every check passed */
static inline int
t_result(const char *what)
{
	if (T_failures)
		fprintf(stderr, "%s: %lu check(s) failed\n", what, T_failures);
	return T_failures ? 1 : 0;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The names the cross-arch test programs (tests/cross, tests/aarch64,
 * kernel_check.h) use, kept on top of the one toolkit: failures count in
 * report.h's counter, numbers come from rnd.h, buffers from guard.h. Their
 * messages stay on stderr, because the suites compare these programs'
 * standard output between our library and the reference.
 */
#ifndef TLIB_H
#define TLIB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "report.h"
#include "rnd.h"

#define T_FAIL(...) do { \
	if (atomic_fetch_add(&Tl_failed, 1) < TL_MAX_MESSAGES) { \
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
	return rnd_next(&T_seed);
}

/* size bytes ending against an inaccessible page (guard.h) */
static inline char *
t_guarded(size_t size)
{
	return guard_alloc(size);
}

static inline void
t_fill_random(char *p, size_t n)
{
	rnd_fill(&T_seed, p, n);
}

/* arg is "name=N": N into *val and 1; otherwise 0 */
static inline int
t_arg(const char *arg, const char *name, size_t *val)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0 || arg[n] != '=')
		return 0;
	*val = (size_t)strtoull(arg + n + 1, NULL, 0);
	return 1;
}

/* the exit status: 0 when every check passed */
static inline int
t_result(const char *what)
{
	unsigned long n = tl_failures();

	if (n)
		fprintf(stderr, "%s: %lu check(s) failed\n", what, n);
	return n ? 1 : 0;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xorshift64*, the seeded generator of every C test program: one copy, so
 * a seed printed by any of them replays the same run.
 */
#ifndef TESTS_LIB_RND_H
#define TESTS_LIB_RND_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* fast, and the same sequence on every machine for a seed (not 0) */
static inline uint64_t
rnd_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* below n, 0 when n is 0 (the modulo bias is far below what tests see) */
static inline uint64_t
rnd_below(uint64_t *s, uint64_t n)
{
	return n ? rnd_next(s) % n : 0;
}

/* n random bytes at p, eight per step */
static inline void
rnd_fill(uint64_t *s, void *p, size_t n)
{
	char *c = p;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t r = rnd_next(s);

		memcpy(c + i, &r, 8);
	}
	for (; i < n; i++)
		c[i] = (char)rnd_next(s);
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xorshift64*, the seeded generator of the client, reliability and diff
 * programs: one copy, so a seed printed by any of them replays the same run.
 */
#ifndef TESTS_LIB_RND_H
#define TESTS_LIB_RND_H

#include <stdint.h>

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

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The overlapping-move check the x86_64 unit test and the aarch64 test run
 * on every memmove kernel: one loop, so both ports are held to it alike.
 */
#ifndef TESTS_LIB_OVERLAP_SWEEP_H
#define TESTS_LIB_OVERLAP_SWEEP_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "funcs.h"
#include "rnd.h"

struct overlap_sweep {
	const size_t *lens;	/* lengths moved; a 0 ends the list */
	const size_t *dists;	/* how far dst is from src; a 0 ends it */
	size_t off_step;	/* both start 0..63 bytes in, in these steps */
	uint64_t *seed;		/* of the random bytes moved */
	void (*report)(const char *msg);	/* a wrong move, described */
};

/*
 * Every length with every distance below it, the destination below the
 * source and above it: the kernel moves within dst, libc memmove within
 * ref, both from the same random bytes, and then the whole span, 64 bytes
 * before the ranges and more after them, must be the same in both.
 */
static inline void
overlap_sweep(const struct overlap_sweep *sw, const char *kernel,
	memmove_func move, char *dst, char *ref)
{
	for (const size_t *l = sw->lens; *l; l++)
	for (const size_t *d = sw->dists; *d; d++)
	for (int above = 0; above < 2; above++)
	for (size_t off = 0; off < 64; off += sw->off_step) {
		size_t len = *l, dist = *d;

		if (dist >= len)
			continue;
		size_t so = 64 + off + (above ? 0 : dist);
		size_t dof = 64 + off + (above ? dist : 0);
		size_t span = len + dist + 256;

		rnd_fill(sw->seed, dst, span);
		memcpy(ref, dst, span);
		move(dst + dof, dst + so, len);
		memmove(ref + dof, ref + so, len);
		if (memcmp(dst, ref, span) != 0) {
			char msg[256];

			snprintf(msg, sizeof(msg), "%.80s: overlap len %zu "
				"dist %zu %s off %zu", kernel, len, dist,
				above ? "dst>src" : "dst<src", off);
			sw->report(msg);
		}
	}
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Non-temporal kernels whose whole lines go out as MOVDIR64B direct
 * stores: one 64-byte write per line that skips the caches like a
 * streaming store, without needing vector registers for the data.
 * Edges use SSE2. Built with -mmovdir64b.
 */
#include <immintrin.h>

#define ISA movdir64b
#include "vec_sse2.h"
#define MOV_KERNELS 0

#define line_stream_copy(d, s) _movdir64b((d), (s))
/* MOVDIR64B reads its data from memory: fill a line-sized buffer once */
#define line_stream_fill(d, v) do { \
	__m128i line_[4] __attribute__((aligned(64))) = { v, v, v, v }; \
	_movdir64b((d), line_); \
} while (0)

#include "memops_template.h"

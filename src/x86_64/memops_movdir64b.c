/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Non-temporal kernels whose whole lines go out as MOVDIR64B direct
 * stores: one 64-byte write per line that skips the caches like a
 * streaming store, without needing vector registers for the data.
 * Edges use SSE2. Built with -mmovdir64b.
 */
#include <immintrin.h>

#define ISA movdir64b
#define vec_t __m128i
#define VEC 16
#define vec_load(p) _mm_loadu_si128((const __m128i *)(p))
#define vec_store(p, v) _mm_storeu_si128((__m128i *)(p), (v))
#define vec_stream(p, v) _mm_stream_si128((__m128i *)(p), (v))
#define vec_splat(c) _mm_set1_epi8((char)(c))
#define vec_done() do { } while (0)
#define MOV_KERNELS 0

#define line_stream_copy(d, s) _movdir64b((d), (s))
/* MOVDIR64B reads its data from memory: fill a line-sized buffer once */
#define line_stream_fill(d, v) do { \
	__m128i line_[4] __attribute__((aligned(64))) = { v, v, v, v }; \
	_movdir64b((d), line_); \
} while (0)

#include "memops_template.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The template's vector parameters for 16-byte SSE2 registers: the SSE2
 * family's, and the edges of the MOVDIR64B family's. No include guard:
 * memops_template.h #undefs them, so each user includes this right
 * before it.
 */
#include <emmintrin.h>

#define vec_t __m128i
#define VEC 16
#define vec_load(p) _mm_loadu_si128((const __m128i *)(p))
#define vec_store(p, v) _mm_storeu_si128((__m128i *)(p), (v))
#define vec_stream(p, v) _mm_stream_si128((__m128i *)(p), (v))
#define vec_splat(c) _mm_set1_epi8((char)(c))
#define vec_done() do { } while (0)

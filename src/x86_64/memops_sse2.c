/* SPDX-License-Identifier: BSD-3-Clause */
/* Copy and fill kernels with 16-byte SSE2 vectors (every x86_64 CPU). */
#include <emmintrin.h>

#define ISA sse2
#define vec_t __m128i
#define VEC 16
#define vec_load(p) _mm_loadu_si128((const __m128i *)(p))
#define vec_store(p, v) _mm_storeu_si128((__m128i *)(p), (v))
#define vec_stream(p, v) _mm_stream_si128((__m128i *)(p), (v))
#define vec_splat(c) _mm_set1_epi8((char)(c))
#define vec_done() do { } while (0)

#include "memops_template.h"

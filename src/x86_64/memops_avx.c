/* SPDX-License-Identifier: BSD-3-Clause */
/* Copy and fill kernels with 32-byte AVX vectors (built with -mavx). */
#include <immintrin.h>

#define ISA avx
#define vec_t __m256i
#define VEC 32
#define vec_load(p) _mm256_loadu_si256((const __m256i *)(p))
#define vec_store(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
#define vec_stream(p, v) _mm256_stream_si256((__m256i *)(p), (v))
#define vec_splat(c) _mm256_set1_epi8((char)(c))
/* dirty upper YMM halves would slow down the caller's SSE code */
#define vec_done() _mm256_zeroupper()

#include "memops_template.h"

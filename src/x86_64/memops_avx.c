/* SPDX-License-Identifier: BSD-3-Clause */
/* Copy and fill kernels with 32-byte AVX vectors (built with -mavx). */
#include <immintrin.h>

#define ISA avx
#define vec_t __m256i
#define VEC 32
/*
 * 8 lines (all 16 YMM registers) loaded before they are stored: against
 * 4, streaming copies of 1-128 MiB ran 1.03-1.07x faster on an AMD EPYC
 * family 25 model 17, no slower at 4-64 KiB; 16 lines spill and ran at
 * 0.94-0.97 (pmembench --ours <8 lines> --ref <4 lines> --filter
 * memcpy_nt,memcpy_persist --sizes 4K,64K,1M,16M,128M,1M+1 --no-limits
 * --passes main --time 60). Walks down (dst inside src) keep 4: with 8,
 * memmove_persist_up of 1-128 MiB ran 1.14-2.5x slower on the same CPU
 * (make bench; --filter memmove_persist_up --sizes 64K,1M,16M,128M,1M+1,
 * 16M+1 against a build walking down by 4), no faster at 64 KiB.
 */
#define LINES_PER_STEP 8
#define vec_load(p) _mm256_loadu_si256((const __m256i *)(p))
#define vec_store(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
#define vec_stream(p, v) _mm256_stream_si256((__m256i *)(p), (v))
#define vec_splat(c) _mm256_set1_epi8((char)(c))
/* dirty upper YMM halves would slow down the caller's SSE code */
#define vec_done() _mm256_zeroupper()

#include "memops_template.h"

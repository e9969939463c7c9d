/* SPDX-License-Identifier: BSD-3-Clause */
/* Copy and fill kernels with 64-byte AVX-512F vectors (-mavx512f). */
#include <immintrin.h>

#define ISA avx512f
#define vec_t __m512i
#define VEC 64
/*
 * 16 lines (16 of the 32 ZMM registers) loaded before they are stored:
 * with 4, streaming copies of 1-16 MiB ran at 0.95-0.96 of the
 * reference on an Intel Xeon (family 6 model 207), with 16 at 0.97-1.02
 * (bench/results/: memcpy_persist, memcpy_nt 1M-16M, one interleaved run)
 */
#define LINES_PER_STEP 16
/*
 * walks down too: on the same Xeon overlapping moves with 16-line steps
 * were within 0.92-1.06 of AVX2's 4 (not measured on AMD, where 256-bit
 * kernels are chosen; there 8-line AVX2 steps down were slower, see
 * memops_avx.c)
 */
#define DOWN_LINES_PER_STEP 16
#define vec_load(p) _mm512_loadu_si512((const void *)(p))
#define vec_store(p, v) _mm512_storeu_si512((void *)(p), (v))
#define vec_stream(p, v) _mm512_stream_si512((void *)(p), (v))
#define vec_splat(c) _mm512_set1_epi8((char)(c))
/* same reason as AVX: leave no dirty upper state behind */
#define vec_done() _mm256_zeroupper()

#include "memops_template.h"

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The template at VEC 64, as memops_avx512f.c builds it, with each 64-byte
 * vector held as two AVX halves (see emu_kernels.h).
 */
#pragma GCC target("avx")
#include <immintrin.h>

#include "emu_kernels.h"

typedef struct {
	__m256i lo, hi;
} emu_zmm;

static inline emu_zmm
emu_load(const void *p)
{
	emu_zmm v = {
		_mm256_loadu_si256((const __m256i *)p),
		_mm256_loadu_si256((const __m256i *)((const char *)p + 32)),
	};

	return v;
}

static inline void
emu_store(void *p, emu_zmm v)
{
	_mm256_storeu_si256((__m256i *)p, v.lo);
	_mm256_storeu_si256((__m256i *)((char *)p + 32), v.hi);
}

static inline void
emu_stream(void *p, emu_zmm v)
{
	_mm256_stream_si256((__m256i *)p, v.lo);
	_mm256_stream_si256((__m256i *)((char *)p + 32), v.hi);
}

static inline emu_zmm
emu_splat(int c)
{
	emu_zmm v = { _mm256_set1_epi8((char)c), _mm256_set1_epi8((char)c) };

	return v;
}

#define ISA emu_avx512f
#define vec_t emu_zmm
#define VEC 64
#define LINES_PER_STEP 16	/* as memops_avx512f.c */
#define DOWN_LINES_PER_STEP 16
#define vec_load(p) emu_load(p)
#define vec_store(p, v) emu_store((p), (v))
#define vec_stream(p, v) emu_stream((p), (v))
#define vec_splat(c) emu_splat(c)
#define vec_done() _mm256_zeroupper()

#include "memops_template.h"

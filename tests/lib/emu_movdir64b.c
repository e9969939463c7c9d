/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The template's whole-line path, as memops_movdir64b.c builds it, with
 * each 64-byte direct store done as four streaming stores: like
 * MOVDIR64B they bypass the caches and need only the fence (see
 * emu_kernels.h).
 */
#pragma GCC target("avx")
#include <immintrin.h>

#include "emu_kernels.h"

static inline void
emu_line_copy(char *d, const char *s)
{
	__m128i a = _mm_loadu_si128((const __m128i *)s);
	__m128i b = _mm_loadu_si128((const __m128i *)(s + 16));
	__m128i c = _mm_loadu_si128((const __m128i *)(s + 32));
	__m128i e = _mm_loadu_si128((const __m128i *)(s + 48));

	_mm_stream_si128((__m128i *)d, a);
	_mm_stream_si128((__m128i *)(d + 16), b);
	_mm_stream_si128((__m128i *)(d + 32), c);
	_mm_stream_si128((__m128i *)(d + 48), e);
}

static inline void
emu_line_fill(char *d, __m128i v)
{
	for (int i = 0; i < 64; i += 16)
		_mm_stream_si128((__m128i *)(d + i), v);
}

#define ISA emu_movdir64b
#include "vec_sse2.h"
#define MOV_KERNELS 0

#define line_stream_copy(d, s) emu_line_copy((d), (s))
#define line_stream_fill(d, v) emu_line_fill((d), (v))

#include "memops_template.h"

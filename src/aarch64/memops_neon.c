/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copy and fill kernels with 16-byte Advanced SIMD (Q) registers: a line
 * is two LDP/STP (or STNP) of Q pairs. ASIMD is part of the Linux aarch64
 * ABI, so this file needs no extra compiler flag.
 */
#include <arm_neon.h>

#define ISA neon
#define vec_t uint8x16_t
#define VEC 16
#define vec_load(p) vld1q_u8((const uint8_t *)(p))
/* a whole-register store (STR/STP Q), not the element-wise ST1 */
#define vec_store(p, v) (*(uint8x16_t *)(void *)(p) = (v))
#define vec_splat(c) vdupq_n_u8((uint8_t)(c))
#define vec_stream_pair(p, a, b) \
	__asm__ volatile("stnp %q1, %q2, %0" \
		: "=Q"(*(char (*)[2 * VEC])(void *)(p)) : "w"(a), "w"(b))

#include "memops_template.h"

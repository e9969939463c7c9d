/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copy and fill kernels with 8-byte general registers (LDP/STP of X
 * pairs), built with -mgeneral-regs-only: for CPUs without Advanced SIMD
 * and as the baseline the NEON family is measured against.
 */
#include <stdint.h>
#include <string.h>

static inline uint64_t
gpr_load(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

#define ISA gpr
#define vec_t uint64_t
#define VEC 8
#define vec_load(p) gpr_load(p)
#define vec_store(p, v) (*(uint64_t *)(void *)(p) = (v))
#define vec_splat(c) (0x0101010101010101ULL * (uint8_t)(c))
#define vec_stream_pair(p, a, b) \
	__asm__ volatile("stnp %1, %2, %0" \
		: "=Q"(*(char (*)[2 * VEC])(void *)(p)) : "r"(a), "r"(b))

#include "memops_template.h"

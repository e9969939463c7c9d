/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copy and fill kernels for one aarch64 register family, written once.
 *
 * Include from a file compiled for that family after defining:
 *   ISA                      family name token: neon, gpr
 *   vec_t, VEC               register type and its width in bytes (16 or 8)
 *   vec_load(p)              load from any address
 *   vec_store(p, v)          one store of the whole register to a
 *                            VEC-aligned address (STR/STP, never an
 *                            element-wise ST1: see below)
 *   vec_stream_pair(p, a, b) STNP of two registers to a 2*VEC-aligned p
 *   vec_splat(c)             register with every byte c
 * It defines `const struct arm_kernels arm_kernels_<ISA>`: memmove and
 * memset, ordinary (STP) or non-temporal (STNP), for every flush kind of
 * FOR_EACH_KERNEL_FLUSH, each a thin wrapper the compiler specialises
 * from the bodies below, and #undefs every parameter.
 *
 * The 8-byte guarantee: every 8-byte aligned word of the destination is
 * written by one store that is itself 8-byte aligned and at least 8 bytes
 * wide. Alignment matters on Arm: only aligned accesses are single-copy
 * atomic (an unaligned STR may be performed byte by byte), a 128-bit
 * STR/STP of a Q register at an 8-aligned address is a pair of atomic
 * 64-bit writes, and ST1 {.16B} is sixteen byte writes. So the kernels
 * never use the overlapping unaligned head/tail stores of libc memcpy:
 * each edge ("span", less than one line) is stored as naturally aligned
 * 1-, 2- and 4-byte pieces up to the first 8-aligned address, 8-byte
 * words, then 4-, 2-, 1-byte pieces; the pieces are partial words, so
 * their width is harmless.
 *
 * Shape: the span up to the first 64-byte boundary, whole 64-byte lines
 * (all loads of a line before its stores, so any overlap is safe), the
 * span after the last boundary. Each part is cleaned right after its
 * stores; nothing is fenced (the caller drains). Moves whose destination
 * starts inside the source run the same parts from the top down.
 *
 * Non-temporal: Arm has no cache-bypassing store. STNP is a hint that the
 * data will not be read again soon, so the CPU may avoid allocating it in
 * the caches (Linux copies pages with it for the same reason); it is
 * still a cached, coherent store as far as persistence goes, so STNP
 * lines are cleaned like any other.
 */
#include <stdint.h>
#include <string.h>

#include "kernels.h"
#include "template.h"

#define VECS_PER_LINE (CACHELINE_SIZE / VEC)

/* aligned partial-word and word stores, each one instruction */
#define TPL_PIECE(bits) \
static force_inline void \
TPL(st##bits)(char *d, uint##bits##_t v) \
{ \
	TRACE_STORE(d, (bits) / 8); \
	*(volatile uint##bits##_t *)(void *)d = v; \
} \
static force_inline uint##bits##_t \
TPL(ld##bits)(const char *s) \
{ \
	uint##bits##_t v; \
	memcpy(&v, s, sizeof(v)); \
	return v; \
}
TPL_PIECE(8)
TPL_PIECE(16)
TPL_PIECE(32)
TPL_PIECE(64)
#undef TPL_PIECE

/* [d, d + n) within one line, bottom up: safe when d is below s */
static force_inline void
TPL(span_up)(char *d, const char *s, size_t n)
{
	if (((uintptr_t)d & 1) && n >= 1) {
		TPL(st8)(d, TPL(ld8)(s));
		d += 1, s += 1, n -= 1;
	}
	if (((uintptr_t)d & 2) && n >= 2) {
		TPL(st16)(d, TPL(ld16)(s));
		d += 2, s += 2, n -= 2;
	}
	if (((uintptr_t)d & 4) && n >= 4) {
		TPL(st32)(d, TPL(ld32)(s));
		d += 4, s += 4, n -= 4;
	}
	/* d is 8-aligned here unless n < 8 */
	for (; n >= 8; d += 8, s += 8, n -= 8)
		TPL(st64)(d, TPL(ld64)(s));
	if (n & 4) {
		TPL(st32)(d, TPL(ld32)(s));
		d += 4, s += 4;
	}
	if (n & 2) {
		TPL(st16)(d, TPL(ld16)(s));
		d += 2, s += 2;
	}
	if (n & 1)
		TPL(st8)(d, TPL(ld8)(s));
}

/* the same pieces top down: safe when d is above s */
static force_inline void
TPL(span_down)(char *d, const char *s, size_t n)
{
	char *e = d + n;
	const char *se = s + n;

	if (((uintptr_t)e & 1) && n >= 1) {
		e -= 1, se -= 1, n -= 1;
		TPL(st8)(e, TPL(ld8)(se));
	}
	if (((uintptr_t)e & 2) && n >= 2) {
		e -= 2, se -= 2, n -= 2;
		TPL(st16)(e, TPL(ld16)(se));
	}
	if (((uintptr_t)e & 4) && n >= 4) {
		e -= 4, se -= 4, n -= 4;
		TPL(st32)(e, TPL(ld32)(se));
	}
	for (; n >= 8; n -= 8) {
		e -= 8, se -= 8;
		TPL(st64)(e, TPL(ld64)(se));
	}
	if (n & 4) {
		e -= 4, se -= 4;
		TPL(st32)(e, TPL(ld32)(se));
	}
	if (n & 2) {
		e -= 2, se -= 2;
		TPL(st16)(e, TPL(ld16)(se));
	}
	if (n & 1)
		TPL(st8)(e - 1, TPL(ld8)(se - 1));
}

static force_inline void
TPL(span_fill)(char *d, uint64_t w, size_t n)
{
	if (((uintptr_t)d & 1) && n >= 1) {
		TPL(st8)(d, (uint8_t)w);
		d += 1, n -= 1;
	}
	if (((uintptr_t)d & 2) && n >= 2) {
		TPL(st16)(d, (uint16_t)w);
		d += 2, n -= 2;
	}
	if (((uintptr_t)d & 4) && n >= 4) {
		TPL(st32)(d, (uint32_t)w);
		d += 4, n -= 4;
	}
	for (; n >= 8; d += 8, n -= 8)
		TPL(st64)(d, w);
	if (n & 4) {
		TPL(st32)(d, (uint32_t)w);
		d += 4;
	}
	if (n & 2) {
		TPL(st16)(d, (uint16_t)w);
		d += 2;
	}
	if (n & 1)
		TPL(st8)(d, (uint8_t)w);
}

/* one 64-byte line to a line-aligned d: every load, then every store */
static force_inline void
TPL(copy_line)(char *d, const char *s, int nt)
{
	vec_t v[VECS_PER_LINE];

#pragma GCC unroll 8
	for (int i = 0; i < VECS_PER_LINE; i++)
		v[i] = vec_load(s + i * VEC);
#pragma GCC unroll 8
	for (int i = 0; i < VECS_PER_LINE; i += 2) {
		TRACE_STORE(d + i * VEC, 2 * VEC);
		if (nt) {
			vec_stream_pair(d + i * VEC, v[i], v[i + 1]);
		} else {
			vec_store(d + i * VEC, v[i]);
			vec_store(d + (i + 1) * VEC, v[i + 1]);
		}
	}
}

static force_inline void
TPL(fill_line)(char *d, vec_t v, int nt)
{
#pragma GCC unroll 8
	for (int i = 0; i < VECS_PER_LINE; i += 2) {
		TRACE_STORE(d + i * VEC, 2 * VEC);
		if (nt) {
			vec_stream_pair(d + i * VEC, v, v);
		} else {
			vec_store(d + i * VEC, v);
			vec_store(d + (i + 1) * VEC, v);
		}
	}
}

/* dst below src or apart from it */
static force_inline void
TPL(move_up)(char *d, const char *s, size_t n, int nt, enum flush_kind fl)
{
	size_t head = MIN((size_t)(-(uintptr_t)d & CACHELINE_MASK), n);

	if (head) {
		TPL(span_up)(d, s, head);
		flush_lines(fl, d, head);
		d += head, s += head, n -= head;
	}
	for (; n >= CACHELINE_SIZE; n -= CACHELINE_SIZE) {
		TPL(copy_line)(d, s, nt);
		flush_block(fl, d);
		d += CACHELINE_SIZE, s += CACHELINE_SIZE;
	}
	if (n) {
		TPL(span_up)(d, s, n);
		flush_lines(fl, d, n);
	}
}

/* dst inside src: the same parts from the top down */
static force_inline void
TPL(move_down)(char *d, const char *s, size_t n, int nt, enum flush_kind fl)
{
	char *e = d + n;
	const char *se = s + n;
	size_t tail = MIN((size_t)((uintptr_t)e & CACHELINE_MASK), n);

	if (tail) {
		e -= tail, se -= tail, n -= tail;
		TPL(span_down)(e, se, tail);
		flush_lines(fl, e, tail);
	}
	for (; n >= CACHELINE_SIZE; n -= CACHELINE_SIZE) {
		e -= CACHELINE_SIZE, se -= CACHELINE_SIZE;
		TPL(copy_line)(e, se, nt);
		flush_block(fl, e);
	}
	if (n) {
		TPL(span_down)(d, s, n);
		flush_lines(fl, d, n);
	}
}

static force_inline void
TPL(move)(char *d, const char *s, size_t n, int nt, enum flush_kind fl)
{
	/* unsigned distance: upwards unless dst starts inside src */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		TPL(move_up)(d, s, n, nt, fl);
	else
		TPL(move_down)(d, s, n, nt, fl);
}

static force_inline void
TPL(fill)(char *d, int c, size_t n, int nt, enum flush_kind fl)
{
	uint64_t w = 0x0101010101010101ULL * (uint8_t)c;
	size_t head = MIN((size_t)(-(uintptr_t)d & CACHELINE_MASK), n);

	if (head) {
		TPL(span_fill)(d, w, head);
		flush_lines(fl, d, head);
		d += head, n -= head;
	}
	if (n >= CACHELINE_SIZE) {
		vec_t v = vec_splat(c);

		for (; n >= CACHELINE_SIZE; n -= CACHELINE_SIZE) {
			TPL(fill_line)(d, v, nt);
			flush_block(fl, d);
			d += CACHELINE_SIZE;
		}
	}
	if (n) {
		TPL(span_fill)(d, w, n);
		flush_lines(fl, d, n);
	}
}

/* the exported variants: one wrapper per (operation, store kind, flush) */
#define TPL_NAME(op, kind, fl) TPL_CAT(TPL_CAT(op##_##kind##_, ISA), _##fl)

#define TPL_VARIANTS(fl, kind) \
static void \
TPL_NAME(memmove, mov, fl)(char *d, const char *s, size_t n) \
{ \
	TPL(move)(d, s, n, 0, kind); \
} \
static void \
TPL_NAME(memmove, movnt, fl)(char *d, const char *s, size_t n) \
{ \
	TPL(move)(d, s, n, 1, kind); \
} \
static void \
TPL_NAME(memset, mov, fl)(char *d, int c, size_t n) \
{ \
	TPL(fill)(d, c, n, 0, kind); \
} \
static void \
TPL_NAME(memset, movnt, fl)(char *d, int c, size_t n) \
{ \
	TPL(fill)(d, c, n, 1, kind); \
}

FOR_EACH_KERNEL_FLUSH(TPL_VARIANTS)

#define TPL_ENTRY(op, kind, fl) { \
	TPL_NAME(op, kind, fl), TPL_STR(TPL_NAME(op, kind, fl)) \
}
#define TPL_ROW(fl, kind) [kind] = { \
	TPL_ENTRY(memmove, mov, fl), TPL_ENTRY(memset, mov, fl), \
	TPL_ENTRY(memmove, movnt, fl), TPL_ENTRY(memset, movnt, fl) \
},

const struct arm_kernels TPL(arm_kernels) = {
	.isa = TPL_STR(ISA),
	.rows = { FOR_EACH_KERNEL_FLUSH(TPL_ROW) },
};

#undef VECS_PER_LINE
#undef TPL_NAME
#undef TPL_VARIANTS
#undef TPL_ENTRY
#undef TPL_ROW
#undef ISA
#undef vec_t
#undef VEC
#undef vec_load
#undef vec_store
#undef vec_stream_pair
#undef vec_splat

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copy and fill kernels for one x86_64 vector family, written once.
 *
 * Include from a file compiled for that family after defining:
 *   ISA               family name token: sse2, avx, avx512f, movdir64b
 *   vec_t, VEC        vector type and its width in bytes (16, 32 or 64)
 *   vec_load(p)       unaligned load
 *   vec_store(p, v)   unaligned store
 *   vec_stream(p, v)  non-temporal store to a VEC-aligned address
 *   vec_splat(c)      vector with every byte c
 *   vec_done()        after the last vector instruction (vzeroupper when
 *                     the family dirties the upper halves of YMM/ZMM)
 * and optionally, for families with their own whole-line stores:
 *   line_stream_copy(d, s)  one 64-byte line to an aligned d, bypassing
 *                           the caches (MOVDIR64B), for streaming copies
 *                           of Line_stream_copy_min bytes and more (the
 *                           vectors stream the shorter ones); then
 *                           MOV_KERNELS 0
 *   line_stream_fill(d, v)
 *   MOV_KERNELS       0 to generate only the non-temporal kernels
 *
 * It defines `const struct x86_kernels x86_kernels_<ISA>`: every flush kind
 * crossed with {ordinary, non-temporal, non-temporal + WC barrier,
 * non-temporal with streamed partial lines}, each a thin wrapper the
 * compiler specialises from the bodies below, and #undefs every parameter.
 *
 * Shape of every kernel (fills walk up as copies do): the partial line at
 * each end is done with ordinary stores and flushed (or, in the sub-line
 * variant, streamed when it is made of aligned 4-byte words); the whole
 * lines in between go four at a time (loads first, then stores, so
 * overlapping moves stay correct)
 * either as ordinary stores flushed line by line or as streaming stores.
 * A family may set LINES_PER_STEP (default 4) to load more lines ahead
 * of their stores, and DOWN_LINES_PER_STEP (default 4) for walks down;
 * the rest then goes four lines, then one, at a time.
 * Streaming copies prefetch their source Prefetch_ahead bytes ahead
 * (set per CPU at load time). Stores to 8-aligned destinations are at
 * least 8 bytes wide, so no aligned 8-byte word is ever torn.
 */
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"
#include "out.h"
#include "template.h"

#define VECS_PER_LINE (CACHELINE_SIZE / VEC)
#define NT_LINES 2	/* nt: whole lines by line_stream_copy */
#ifndef LINES_PER_STEP
#define LINES_PER_STEP 4
#endif
#define STEP (LINES_PER_STEP * CACHELINE_SIZE)
/* the same for walks down, which a family may keep shorter */
#ifndef DOWN_LINES_PER_STEP
#define DOWN_LINES_PER_STEP 4
#endif
#define DOWN_STEP (DOWN_LINES_PER_STEP * CACHELINE_SIZE)

#ifndef MOV_KERNELS
#define MOV_KERNELS 1
#endif

#define TPL_UNROLL _Pragma("GCC unroll 16")

/*
 * Ends the stores of one line. The compiler may otherwise interleave the
 * vectors of neighbouring lines (it did: halves of four lines in mixed
 * order); a streaming line whose halves arrive apart leaves the
 * write-combining buffer as partial writes, and reading it back then took
 * 1.5-2x as long (bench memcpy_persist+read, 512 B-1.5 KiB). The order
 * within a line does not matter; the loads are all done before.
 */
#define TPL_LINE_DONE(i) do { \
	if (((i) + 1) % VECS_PER_LINE == 0) \
		__asm__ volatile("" : : : "memory"); \
} while (0)

/*
 * n in [sizeof(T), 2 * sizeof(T)]: a T at each end, overlapping in the
 * middle, both loaded before either is stored
 */
#define TPL_COPY_ENDS(T) do { \
	T a_, b_; \
	memcpy(&a_, s, sizeof(T)); \
	memcpy(&b_, s + n - sizeof(T), sizeof(T)); \
	memcpy(d, &a_, sizeof(T)); \
	memcpy(d + n - sizeof(T), &b_, sizeof(T)); \
} while (0)

/* the same for a fill: w is c in every byte of a T */
#define TPL_FILL_ENDS(T, w) do { \
	T w_ = (T)(w); \
	memcpy(d, &w_, sizeof(T)); \
	memcpy(d + n - sizeof(T), &w_, sizeof(T)); \
} while (0)

/* up to 64 bytes, any overlap: everything is loaded before it is stored */
static force_inline void
TPL(copy_small)(char *d, const char *s, size_t n)
{
	TRACE_STORE(d, n);
	/*
	 * 16-byte halves even where 32-byte registers exist: with overlapping
	 * 64-byte moves the 32-byte form measured 8% slower than the reference
	 * (bench memmove_persist_down 64) and was no faster elsewhere.
	 */
	if (n >= 32) {
		__m128i a = _mm_loadu_si128((const __m128i *)s);
		__m128i b = _mm_loadu_si128((const __m128i *)(s + 16));
		__m128i c = _mm_loadu_si128((const __m128i *)(s + n - 32));
		__m128i e = _mm_loadu_si128((const __m128i *)(s + n - 16));

		_mm_storeu_si128((__m128i *)d, a);
		_mm_storeu_si128((__m128i *)(d + 16), b);
		_mm_storeu_si128((__m128i *)(d + n - 32), c);
		_mm_storeu_si128((__m128i *)(d + n - 16), e);
	} else if (n >= 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)s);
		__m128i b = _mm_loadu_si128((const __m128i *)(s + n - 16));

		_mm_storeu_si128((__m128i *)d, a);
		_mm_storeu_si128((__m128i *)(d + n - 16), b);
	} else if (n >= 8) {
		TPL_COPY_ENDS(uint64_t);
	} else if (n >= 4) {
		TPL_COPY_ENDS(uint32_t);
	} else if (n >= 2) {
		TPL_COPY_ENDS(uint16_t);
	} else if (n == 1) {
		*d = *s;
	}
}

static force_inline void
TPL(fill_small)(char *d, int c, size_t n)
{
	TRACE_STORE(d, n);
	if (n >= 32) {
#if VEC >= 32
		__m256i v = _mm256_set1_epi8((char)c);

		_mm256_storeu_si256((__m256i *)d, v);
		_mm256_storeu_si256((__m256i *)(d + n - 32), v);
#else
		__m128i v = _mm_set1_epi8((char)c);

		_mm_storeu_si128((__m128i *)d, v);
		_mm_storeu_si128((__m128i *)(d + 16), v);
		_mm_storeu_si128((__m128i *)(d + n - 32), v);
		_mm_storeu_si128((__m128i *)(d + n - 16), v);
#endif
	} else if (n >= 16) {
		__m128i v = _mm_set1_epi8((char)c);

		_mm_storeu_si128((__m128i *)d, v);
		_mm_storeu_si128((__m128i *)(d + n - 16), v);
	} else if (n >= 8) {
		TPL_FILL_ENDS(uint64_t, 0x0101010101010101ULL * (uint8_t)c);
	} else if (n >= 4) {
		TPL_FILL_ENDS(uint32_t, 0x01010101U * (uint8_t)c);
	} else if (n >= 2) {
		TPL_FILL_ENDS(uint16_t, 0x0101U * (uint8_t)c);
	} else if (n == 1) {
		*d = (char)c;
	}
}

/*
 * Sub-line streaming (the NT_SUBLINE variant, chosen per CPU by the
 * policy): a piece of a line whose address and length are multiples of 4
 * is written with MOVNTI, 8 bytes at a time where aligned, and needs no
 * flush, only the drain's fence. On AMD EPYC family 25 model 17 an
 * aligned 8-32 B pmem_memcpy(NONTEMPORAL) took 113 ns this way against
 * 158 ns stored and flushed; on an Intel Xeon (family 6 model 207) the
 * reference's MOVNTI 8 B took 382 ns against our 181 ns flushed
 * (bench/results/), so Intel rows keep the flush.
 */
static force_inline int
TPL(words_aligned)(const char *d, size_t n)
{
	return (((uintptr_t)d | n) & 3) == 0;
}

static force_inline void
stream_u32(char *d, uint32_t w)
{
	TRACE_STREAM(d, 4);
	_mm_stream_si32((int *)(void *)d, (int)w);
}

static force_inline void
stream_u64(char *d, uint64_t w)
{
	TRACE_STREAM(d, 8);
	_mm_stream_si64((long long *)(void *)d, (long long)w);
}

/* w[]: the n / 4 words to write at d, already loaded (overlap-safe) */
static force_inline void
TPL(stream_words)(char *d, const uint32_t *w, size_t n)
{
	size_t i = 0, words = n / 4;

	if (words && ((uintptr_t)d & 4))
		stream_u32(d, w[i++]);
	for (; i + 2 <= words; i += 2)
		stream_u64(d + 4 * i, w[i] | (uint64_t)w[i + 1] << 32);
	if (i < words)
		stream_u32(d + 4 * i, w[i]);
}

/*
 * Up to 64 bytes of a copy from s or, with fill, a fill with c: streamed
 * if the variant and the alignment allow, else stored; 1: stored, the
 * caller flushes.
 */
static force_inline int
TPL(edge)(char *d, const char *s, int c, size_t n, int fill, int subline)
{
	if (subline && TPL(words_aligned)(d, n)) {
		/* zeroed only because gcc cannot see that words < n/4 are set */
		uint32_t w[CACHELINE_SIZE / 4] = { 0 };

		for (size_t i = 0; i < n / 4; i++) {
			if (fill)
				w[i] = 0x01010101U * (uint8_t)c;
			else
				memcpy(&w[i], s + 4 * i, 4);
		}
		TPL(stream_words)(d, w, n);
		return 0;
	}
	if (fill)
		TPL(fill_small)(d, c, n);
	else
		TPL(copy_small)(d, s, n);
	return 1;
}

/*
 * Stores `lines` whole lines at a line-aligned d from v[i * stride] (a
 * fill passes one vector and stride 0), streamed or, for ordinary
 * stores, flushed line by line once all are stored. Fully unrolled with
 * constant arguments, so the vectors stay in registers.
 */
static force_inline void
TPL(store_lines)(char *d, const vec_t *v, int stride, int lines, int nt,
	flush_line_fn flush)
{
	TPL_UNROLL
	for (int i = 0; i < lines * VECS_PER_LINE; i++) {
		if (nt) {
			TRACE_STREAM(d + i * VEC, VEC);
			vec_stream(d + i * VEC, v[i * stride]);
		} else {
			TRACE_STORE(d + i * VEC, VEC);
			vec_store(d + i * VEC, v[i * stride]);
		}
		TPL_LINE_DONE(i);
	}
	if (!nt) {
		TPL_UNROLL
		for (int l = 0; l < lines; l++)
			flush(d + l * CACHELINE_SIZE);
	}
}

/*
 * copies `lines` whole lines to a line-aligned d; `down` when the caller
 * walks down (dst above an overlapping src)
 */
static force_inline void
TPL(copy_lines)(char *d, const char *s, int lines, int down, int nt,
	flush_line_fn flush)
{
	(void) down;	/* the vector path loads every line before storing */
#ifdef line_stream_copy
	if (nt == NT_LINES) {
		/*
		 * Each line is loaded and stored by one instruction, not all
		 * loads first: walking down, the lines go top down too, or a
		 * line's store would land on the source of the next one up
		 * before it is read.
		 */
		for (int i = 0; i < lines; i++) {
			int l = down ? lines - 1 - i : i;

			TRACE_STREAM(d + l * CACHELINE_SIZE, CACHELINE_SIZE);
			line_stream_copy(d + l * CACHELINE_SIZE,
				s + l * CACHELINE_SIZE);
		}
		return;
	}
#endif
	vec_t v[LINES_PER_STEP * VECS_PER_LINE];

	/* fully unrolled, so v[] lives in registers, not on the stack */
	TPL_UNROLL
	for (int i = 0; i < lines * VECS_PER_LINE; i++)
		v[i] = vec_load(s + i * VEC);
	TPL(store_lines)(d, v, 1, lines, nt, flush);
}

static force_inline void
TPL(fill_lines)(char *d, vec_t v, int lines, int nt, flush_line_fn flush)
{
#ifdef line_stream_fill
	if (nt) {
		for (int l = 0; l < lines; l++) {
			TRACE_STREAM(d + l * CACHELINE_SIZE, CACHELINE_SIZE);
			line_stream_fill(d + l * CACHELINE_SIZE, v);
		}
		return;
	}
#endif
	TPL(store_lines)(d, &v, 0, lines, nt, flush);
}

/*
 * Some Intel CPUs keep partially filled write-combining buffers around
 * long enough for later ordinary stores to reach memory first; a fence
 * after the streaming part drains them (PMEM_WC_WORKAROUND).
 */
static force_inline void
TPL(after_stream)(int nt, int wc_barrier)
{
	if (nt && wc_barrier)
		sfence();
}

/*
 * Write-backs of lines stored one after another by the short loops below:
 * a CLWB right behind the store to its line waits for that store, and the
 * next line's store waits behind it (memcpy_temporal 256 B and 960 B to an
 * unaligned dst: 1.3x and 1.16x faster with the flushes gathered after
 * the stores, Intel Xeon family 6 model 207). Streamed lines need none.
 */
static force_inline void
TPL(flush_stored)(const char *from, const char *to, int nt,
	flush_line_fn flush)
{
	for (; !nt && from < to; from += CACHELINE_SIZE)
		flush(from);
}

/* `lines` whole lines of a copy from s or, with fill, of v */
static force_inline void
TPL(lines)(char *d, const char *s, vec_t v, int lines, int fill, int nt,
	flush_line_fn flush)
{
	if (fill)
		TPL(fill_lines)(d, v, lines, nt, flush);
	else
		TPL(copy_lines)(d, s, lines, 0, nt, flush);
}

/*
 * Streaming copies prefetch their source Prefetch_ahead bytes ahead of
 * the loads (0: never; chosen per CPU, policy.rows): after its first
 * pass an overlapping move reads lines its own streaming stores took out
 * of the caches, and copies from memory wait on each line; the hardware
 * prefetcher alone left both 1.2-1.8x slower on a Zen 5. Ordinary-store
 * copies and fills do not prefetch (slower by 2-5% on the same CPU).
 */
static force_inline int
TPL(prefetches)(int fill, int nt)
{
	return !fill && nt && Prefetch_ahead != 0;
}

static force_inline void
TPL(prefetch_lines)(const char *p, size_t lines)
{
	for (size_t l = 0; l < lines; l++)
		_mm_prefetch(p + l * CACHELINE_SIZE, _MM_HINT_T0);
}

/* [s, s + n) walked up: its start now, then a step ahead each step */
static force_inline void
TPL(prefetch_start_up)(const char *s, size_t n)
{
	TPL(prefetch_lines)(s, MIN(n, Prefetch_ahead) / CACHELINE_SIZE);
}

static force_inline void
TPL(prefetch_step_up)(const char *s, const char *end)
{
	if (Prefetch_ahead < (size_t)(end - s))
		TPL(prefetch_lines)(s + Prefetch_ahead, LINES_PER_STEP);
}

/*
 * n > 64, walking up: a copy from s (dst below src or apart from it) or,
 * with fill, a fill with c (s then runs along d and is never read). The
 * whole steps flush as they go; the lines after them, and the partial
 * line at dst, are flushed together once stored.
 */
static force_inline void
TPL(walk_up)(char *d, const char *s, int c, size_t n, int fill, int nt,
	flush_line_fn flush, int wc_barrier, int subline)
{
	vec_t v = vec_splat(c);	/* dead code for copies */
	char *first = d, *rest;
	size_t head = (size_t)(-(uintptr_t)d & CACHELINE_MASK);
	int head_stored = 0;

	if (head) {
		head_stored = TPL(edge)(d, s, c, head, fill, subline);
		d += head;
		s += head;
		n -= head;
	}
	const char *end = s + n;

	if (TPL(prefetches)(fill, nt) && n >= STEP)
		TPL(prefetch_start_up)(s, n);
	for (; n >= STEP; n -= STEP, d += STEP, s += STEP) {
		if (TPL(prefetches)(fill, nt))
			TPL(prefetch_step_up)(s, end);
		TPL(lines)(d, s, v, LINES_PER_STEP, fill, nt, flush);
	}
	rest = d;
#if LINES_PER_STEP > 4
	for (; n >= 4 * CACHELINE_SIZE; n -= 4 * CACHELINE_SIZE) {
		TPL(lines)(d, s, v, 4, fill, nt, flush_line_noflush);
		d += 4 * CACHELINE_SIZE;
		s += 4 * CACHELINE_SIZE;
	}
#endif
	for (; n >= CACHELINE_SIZE; n -= CACHELINE_SIZE) {
		TPL(lines)(d, s, v, 1, fill, nt, flush_line_noflush);
		d += CACHELINE_SIZE;
		s += CACHELINE_SIZE;
	}
	TPL(flush_stored)(rest, d, nt, flush);
	if (head_stored)
		flush(first);
	TPL(after_stream)(nt, wc_barrier);
	if (n && TPL(edge)(d, s, c, n, fill, subline))
		flush(d);
}

/* n > 64; dst inside src: walk down from the end, flushing as above */
static force_inline void
TPL(move_backward)(char *d, const char *s, size_t n, int nt,
	flush_line_fn flush, int wc_barrier, int subline)
{
	char *de = d + n, *rest;
	const char *se = s + n;
	size_t tail = (uintptr_t)de & CACHELINE_MASK;
	int tail_stored = 0;

	if (tail) {
		de -= tail;
		se -= tail;
		n -= tail;
		tail_stored = TPL(edge)(de, se, 0, tail, 0, subline);
	}
	char *last = de;

	if (TPL(prefetches)(0, nt) && n >= DOWN_STEP) {
		size_t first = MIN(n, Prefetch_ahead);

		TPL(prefetch_lines)(se - first, first / CACHELINE_SIZE);
	}
	for (; n >= DOWN_STEP; n -= DOWN_STEP) {
		de -= DOWN_STEP;
		se -= DOWN_STEP;
		if (TPL(prefetches)(0, nt) && Prefetch_ahead < (size_t)(se - s))
			TPL(prefetch_lines)(se - Prefetch_ahead,
				DOWN_LINES_PER_STEP);
		TPL(copy_lines)(de, se, DOWN_LINES_PER_STEP, 1, nt, flush);
	}
	rest = de;
#if DOWN_LINES_PER_STEP > 4
	for (; n >= 4 * CACHELINE_SIZE; n -= 4 * CACHELINE_SIZE) {
		de -= 4 * CACHELINE_SIZE;
		se -= 4 * CACHELINE_SIZE;
		TPL(copy_lines)(de, se, 4, 1, nt, flush_line_noflush);
	}
#endif
	for (; n >= CACHELINE_SIZE; n -= CACHELINE_SIZE) {
		de -= CACHELINE_SIZE;
		se -= CACHELINE_SIZE;
		TPL(copy_lines)(de, se, 1, 1, nt, flush_line_noflush);
	}
	TPL(flush_stored)(de, rest, nt, flush);
	if (tail_stored)
		flush(last);
	TPL(after_stream)(nt, wc_barrier);
	if (n && TPL(edge)(d, s, 0, n, 0, subline))
		flush(d);
}

/*
 * Up to one line goes through ordinary stores and a flush, except one
 * whole aligned line for a streaming kernel: a single streaming line
 * needs no flush and measured about 35% cheaper.
 */
static force_inline int
TPL(is_small)(const char *d, size_t n, int nt)
{
	if (n < CACHELINE_SIZE)
		return 1;
	return n == CACHELINE_SIZE && (!nt || ((uintptr_t)d & CACHELINE_MASK));
}

static force_inline void
TPL(move)(char *d, const char *s, size_t n, int nt, flush_line_fn flush,
	int wc_barrier, int subline)
{
	if (TPL(is_small)(d, n, nt)) {
		/* len 0 touches nothing, not even the line at dst */
		if (n && TPL(edge)(d, s, 0, n, 0, subline))
			flush_lines(d, n, flush);
	} else if ((uintptr_t)d - (uintptr_t)s >= n) {
		TPL(walk_up)(d, s, 0, n, 0, nt, flush, wc_barrier, subline);
	} else {
		TPL(move_backward)(d, s, n, nt, flush, wc_barrier, subline);
	}
}

static force_inline void
TPL(fill)(char *d, int c, size_t n, int nt, flush_line_fn flush,
	int wc_barrier, int subline)
{
	if (TPL(is_small)(d, n, nt)) {
		if (n && TPL(edge)(d, d, c, n, 1, subline))
			flush_lines(d, n, flush);
	} else {
		TPL(walk_up)(d, d, c, n, 1, nt, flush, wc_barrier, subline);
	}
}

/*
 * Whether a streaming copy sends its whole lines with line_stream_copy
 * (nt NT_LINES): from Line_stream_copy_min bytes, kernels.h says why.
 * The two calls of TPL(move) each get a constant nt, so the vector path
 * below the size compiles as it does in the vector families (with nt
 * known only at run time it measured 6-10% slower for 1-4 KiB copies to
 * dst+1).
 */
static force_inline int
TPL(line_stream)(size_t n)
{
#ifdef line_stream_copy
	return n >= Line_stream_copy_min;
#else
	(void) n;
	return 0;
#endif
}

/* the exported variants: one wrapper per (flush, store kind, variant) */
#define TPL_NAME(op, kind, fl, sfx) TPL_CAT(TPL_CAT(op##_##kind##_, ISA), \
	_##fl##sfx)

#define TPL_MOVNT_VARIANTS(fl, sfx, wc, subline) \
static void \
TPL_NAME(memmove, movnt, fl, sfx)(char *d, const char *s, size_t n) \
{ \
	LOG(15, "dst %p src %p len %zu", d, s, n); \
	if (TPL(line_stream)(n)) \
		TPL(move)(d, s, n, NT_LINES, flush_line_##fl, wc, subline); \
	else \
		TPL(move)(d, s, n, 1, flush_line_##fl, wc, subline); \
	vec_done(); \
} \
static void \
TPL_NAME(memset, movnt, fl, sfx)(char *d, int c, size_t n) \
{ \
	LOG(15, "dst %p c 0x%x len %zu", d, c, n); \
	TPL(fill)(d, c, n, 1, flush_line_##fl, wc, subline); \
	vec_done(); \
}

#define TPL_MOV_VARIANTS(fl) \
static void \
TPL_NAME(memmove, mov, fl, )(char *d, const char *s, size_t n) \
{ \
	LOG(15, "dst %p src %p len %zu", d, s, n); \
	TPL(move)(d, s, n, 0, flush_line_##fl, 0, 0); \
	vec_done(); \
} \
static void \
TPL_NAME(memset, mov, fl, )(char *d, int c, size_t n) \
{ \
	LOG(15, "dst %p c 0x%x len %zu", d, c, n); \
	TPL(fill)(d, c, n, 0, flush_line_##fl, 0, 0); \
	vec_done(); \
}

#define TPL_VARIANTS(fl, kind) \
	TPL_MOVNT_VARIANTS(fl, , 0, 0) \
	TPL_MOVNT_VARIANTS(fl, _wcbarrier, 1, 0) \
	TPL_MOVNT_VARIANTS(fl, _subline, 0, 1) \
	TPL_IF_MOV(TPL_MOV_VARIANTS(fl))

#if MOV_KERNELS
#define TPL_IF_MOV(x) x
#else
#define TPL_IF_MOV(x)
#endif

FOR_EACH_FLUSH(TPL_VARIANTS)

#define TPL_ENTRY(op, kind, fl, sfx) { \
	TPL_NAME(op, kind, fl, sfx), \
	TPL_STR(TPL_NAME(op, kind, fl, sfx)) \
}
#define TPL_MOVNT_ROW(op, fl, kind) [kind] = { \
	[NT_PLAIN] = TPL_ENTRY(op, movnt, fl, ), \
	[NT_WC_BARRIER] = TPL_ENTRY(op, movnt, fl, _wcbarrier), \
	[NT_SUBLINE] = TPL_ENTRY(op, movnt, fl, _subline), \
},
#define TPL_MOVNT_MOVE_ROW(fl, kind) TPL_MOVNT_ROW(memmove, fl, kind)
#define TPL_MOVNT_SET_ROW(fl, kind) TPL_MOVNT_ROW(memset, fl, kind)
#define TPL_MOV_MOVE_ROW(fl, kind) [kind] = TPL_ENTRY(memmove, mov, fl, ),
#define TPL_MOV_SET_ROW(fl, kind) [kind] = TPL_ENTRY(memset, mov, fl, ),

const struct x86_kernels TPL(x86_kernels) = {
	.isa = TPL_STR(ISA),
#if MOV_KERNELS
	.memmove_mov = { FOR_EACH_FLUSH(TPL_MOV_MOVE_ROW) },
	.memset_mov = { FOR_EACH_FLUSH(TPL_MOV_SET_ROW) },
#endif
	.memmove_movnt = { FOR_EACH_FLUSH(TPL_MOVNT_MOVE_ROW) },
	.memset_movnt = { FOR_EACH_FLUSH(TPL_MOVNT_SET_ROW) },
};

#undef VECS_PER_LINE
#undef NT_LINES
#undef LINES_PER_STEP
#undef STEP
#undef DOWN_LINES_PER_STEP
#undef DOWN_STEP
#undef MOV_KERNELS
#undef TPL_UNROLL
#undef TPL_COPY_ENDS
#undef TPL_FILL_ENDS
#undef TPL_LINE_DONE
#undef TPL_NAME
#undef TPL_MOVNT_VARIANTS
#undef TPL_MOV_VARIANTS
#undef TPL_VARIANTS
#undef TPL_IF_MOV
#undef TPL_ENTRY
#undef TPL_MOVNT_ROW
#undef TPL_MOVNT_MOVE_ROW
#undef TPL_MOVNT_SET_ROW
#undef TPL_MOV_MOVE_ROW
#undef TPL_MOV_SET_ROW
#undef ISA
#undef vec_t
#undef VEC
#undef vec_load
#undef vec_store
#undef vec_stream
#undef vec_splat
#undef vec_done
#undef line_stream_copy
#undef line_stream_fill

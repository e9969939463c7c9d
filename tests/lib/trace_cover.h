/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage and the 8-byte store guarantee, shared by the cross-arch
 * trace tests: with the kernels and flushes built with -DPMEM_TRACE,
 * every store, clean and fence they issue reaches the hooks below, in
 * program order. Checked for every call: stores stay inside the
 * destination and cover all of it; every 8-byte aligned word inside it is
 * written only by 8-byte aligned stores at least 8 bytes wide (strict);
 * every cache line stored to is cleaned after its last store, no line
 * outside the destination is cleaned, a no-flush kernel cleans nothing;
 * kernels never fence; and the bytes equal libc's.
 *
 * Define TRACE_LINE (the flush stride: a variable of the arch) first;
 * Area and Ref are the caller's to allocate (BUF bytes each).
 */
#ifndef TESTS_LIB_TRACE_COVER_H
#define TESTS_LIB_TRACE_COVER_H

#include "funcs.h"
#include "util.h"

#define MAXLEN 13000
#define BUF (2 * MAXLEN + 256)

/* the call being traced */
static struct {
	const char *name;
	uintptr_t lo, hi;	/* destination range */
	uintptr_t line0;	/* first D-cache line of it */
	int strict;		/* check the 8-byte rule */
	unsigned long seq;
	unsigned long stores, flushes, fences, streams;
	unsigned char *written;	/* per destination byte */
	/* per D-cache line: seq of the last store and the last clean */
	unsigned long *last_store, *last_flush;
} C;

static unsigned char Written[MAXLEN];
static unsigned long Last_store[MAXLEN + 2], Last_flush[MAXLEN + 2];

static size_t
line_index(uintptr_t a)
{
	return (align_down(a, TRACE_LINE) - C.line0) / TRACE_LINE;
}

/* every aligned word inside [lo, hi) that [a, a + n) touches */
static void
check_words(uintptr_t a, size_t n)
{
	uintptr_t w = align_down(a, 8);

	for (; w < a + n; w += 8) {
		if (w < C.lo || w + 8 > C.hi)
			continue;	/* not a whole destination word */
		if ((a & 7) || a > w || a + n < w + 8) {
			T_FAIL("%s: store [+%lu, +%lu) splits the word at "
				"+%lu", C.name, (unsigned long)(a - C.lo),
				(unsigned long)(a + n - C.lo),
				(unsigned long)(w - C.lo));
			return;
		}
	}
}

void
pmem_trace_store(const void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr;

	C.seq++;
	C.stores++;
	if (len == 0)
		return;
	if (a < C.lo || a + len > C.hi) {
		T_FAIL("%s: store [%#lx, +%zu) outside the destination "
			"[%#lx, %#lx)", C.name, (unsigned long)a, len,
			(unsigned long)C.lo, (unsigned long)C.hi);
		return;
	}
	if (C.strict)
		check_words(a, len);
	memset(C.written + (a - C.lo), 1, len);
	for (uintptr_t l = line_index(a); l <= line_index(a + len - 1); l++)
		C.last_store[l] = C.seq;
}

void
pmem_trace_stream(const void *addr, size_t len)
{
	(void) addr;
	(void) len;
	C.streams++;
}

void
pmem_trace_flush(const void *line)
{
	uintptr_t a = (uintptr_t)line;

	C.seq++;
	C.flushes++;
	if (align_down(a, TRACE_LINE) + TRACE_LINE <= C.lo || a >= C.hi) {
		T_FAIL("%s: cleans the line of %#lx, outside [%#lx, %#lx)",
			C.name, (unsigned long)a, (unsigned long)C.lo,
			(unsigned long)C.hi);
		return;
	}
	C.last_flush[line_index(a)] = C.seq;
}

void
pmem_trace_fence(void)
{
	C.fences++;
}

static void
begin(const char *name, const char *dst, size_t len, int strict)
{
	C.name = name;
	C.lo = (uintptr_t)dst;
	C.hi = C.lo + len;
	C.line0 = align_down(C.lo, TRACE_LINE);
	C.strict = strict;
	C.stores = C.flushes = C.fences = C.streams = 0;
	C.written = Written;
	C.last_store = Last_store;
	C.last_flush = Last_flush;
	memset(Written, 0, len);
	size_t lines = len / TRACE_LINE + 2;

	memset(Last_store, 0, lines * sizeof(*Last_store));
	memset(Last_flush, 0, lines * sizeof(*Last_flush));
}

/* after the call: coverage of stores and of cleans */
static void
finish(int flushing)
{
	size_t len = C.hi - C.lo;

	if (memchr(C.written, 0, len) != NULL)
		T_FAIL("%s len %zu: byte +%zu never stored", C.name, len,
			(size_t)((unsigned char *)memchr(C.written, 0, len) -
			C.written));
	T_CHECK(C.fences == 0, "%s: a kernel fenced", C.name);
	T_CHECK(C.streams == 0, "%s: streaming store reported", C.name);
	if (!flushing) {
		T_CHECK(C.flushes == 0, "%s len %zu: %lu cleans in a "
			"no-flush kernel", C.name, len, C.flushes);
		return;
	}
	if (len == 0)
		return;
	for (size_t l = 0; l <= line_index(C.hi - 1); l++) {
		if (C.last_store[l] && C.last_flush[l] < C.last_store[l]) {
			T_FAIL("%s len %zu dst %% 64 = %lu: line %zu (of %zu "
				"bytes) not cleaned after its last store",
				C.name, len, (unsigned long)(C.lo & 63), l,
				TRACE_LINE);
			return;
		}
	}
}

static char *Area, *Ref;

/* offsets are from Area + 64, so 64 bytes below are checked too */
static void
trace_move(const char *name, memmove_func fn, int flushing, int strict,
	size_t doff, size_t soff, size_t len)
{
	size_t lo = MIN(doff, soff), hi = (doff > soff ? doff : soff) + len;
	size_t span = hi - lo + 128;
	char *dst = Area + 64 + doff, *src = Area + 64 + soff;

	t_fill_random(Area + lo, span);
	memcpy(Ref + lo, Area + lo, span);
	begin(name, dst, len, strict);
	fn(dst, src, len);
	finish(flushing);
	memmove(Ref + 64 + doff, Ref + 64 + soff, len);
	T_CHECK(memcmp(Area + lo, Ref + lo, span) == 0, "%s: wrong bytes, "
		"len %zu dst %zu src %zu", name, len, doff, soff);
}

static void
trace_set(const char *name, memset_func fn, int flushing, int strict,
	size_t doff, size_t len)
{
	char *dst = Area + 64 + doff;

	memset(dst - 64, 0x11, len + 128);
	begin(name, dst, len, strict);
	fn(dst, 0x3c, len);
	finish(flushing);
	for (size_t i = 0; i < len + 128; i++) {
		if (dst[(ssize_t)i - 64] != (i < 64 || i >= len + 64 ?
				0x11 : 0x3c)) {
			T_FAIL("%s: wrong fill, len %zu", name, len);
			break;
		}
	}
}

static const size_t Lens[] = { 0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 31,
	32, 33, 47, 63, 64, 65, 71, 96, 127, 128, 129, 191, 200, 255, 256,
	257, 320, 511, 512, 513, 1000, 4096, 4099, 12345 };

/* non-overlapping, dst below src, dst above src; many alignments */
static void
sweep_move(const char *name, memmove_func fn, int flushing, int strict,
	size_t step)
{
	for (size_t l = 0; l < sizeof(Lens) / sizeof(*Lens); l++) {
		size_t len = Lens[l];

		for (size_t doff = 0; doff < 64; doff += step) {
			size_t far = MAXLEN + 64 + ((doff * 7) & 63);

			trace_move(name, fn, flushing, strict, doff, far, len);
			trace_move(name, fn, flushing, strict, far, doff, len);
			/* overlaps: distance 1..len-1 both ways */
			if (len < 2)
				continue;
			size_t dist = 1 + (doff * 13 + len) % (len - 1);

			trace_move(name, fn, flushing, strict, 64 + doff,
				64 + doff + dist, len);
			trace_move(name, fn, flushing, strict,
				64 + doff + dist, 64 + doff, len);
		}
	}
}

static void
sweep_set(const char *name, memset_func fn, int flushing, int strict,
	size_t step)
{
	for (size_t l = 0; l < sizeof(Lens) / sizeof(*Lens); l++)
		for (size_t doff = 0; doff < 64; doff += step)
			trace_set(name, fn, flushing, strict, doff, Lens[l]);
}

/*
 * One listed kernel at every length and the alignments of step. The
 * portable kernels report their stores as one range, so the 8-byte rule
 * is theirs by construction (volatile 8-byte stores), not checked here.
 */
static void
sweep_kernel(const struct pmem_kernel *k, int flushing, size_t step)
{
	int strict = strcmp(k->family, "generic") != 0;

	if (k->move)
		sweep_move(k->name, k->move, flushing, strict, step);
	else
		sweep_set(k->name, k->set, flushing, strict, step);
}

/*
 * A range flush: each line from the one holding addr up to addr + len
 * once, nothing else. compat: like the reference, len 0 at an unaligned
 * address still cleans the line holding it.
 */
static void
check_range(const char *name, flush_func fn, int flushing, size_t doff,
	size_t len)
{
	char *p = Area + doff;

	begin(name, p, len, 0);
	fn(p, len);
	size_t lines = (align_up(C.hi, TRACE_LINE) - C.line0) / TRACE_LINE;

	if (!flushing) {
		T_CHECK(C.flushes == 0, "%s: %lu cleans with flush off", name,
			C.flushes);
		return;
	}
	T_CHECK(C.flushes == lines, "%s len %zu at +%zu: %lu cleans for "
		"%zu lines", name, len, doff, C.flushes, lines);
	for (size_t l = 0; l < lines; l++)
		T_CHECK(C.last_flush[l] != 0, "%s len %zu: line %zu missed",
			name, len, l);
}

#endif

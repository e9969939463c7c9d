/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage and the 8-byte store guarantee of the aarch64 kernels,
 * from a build of them with -DPMEM_TRACE: every store, DC and DSB they
 * issue is reported to the hooks below, in program order.
 *
 * usage: test_trace GROUP [line=N] [step=N]; GROUP is one of
 *   kernels  every kernel at many lengths, alignments and overlaps;
 *            line= pretends the D-cache line is N bytes (the flush loops
 *            step by it), step= tests every Nth destination alignment
 *   range    the dispatch table arch_init() builds: pmem_flush/deep_flush
 *            ranges, the fence, kernels with and without flush_needed
 * Checked for every call: stores stay inside the destination and cover
 * all of it; every 8-byte aligned word inside it is written only by
 * 8-byte aligned stores at least 8 bytes wide; every D-cache line stored
 * to is cleaned after its last store, no line outside the destination is
 * cleaned, a NOFLUSH kernel cleans nothing; kernels never fence; and the
 * bytes equal libc's.
 */
#include "dctrap.h"
#include "tlib.h"

#include "arch.h"
#include "cpu.h"
#include "flush.h"
#include "funcs.h"
#include "kernels.h"

#include "../lib/kernel_list.h"

#define MAXLEN 13000
#define BUF (2 * MAXLEN + 256)

struct pmem_funcs Funcs;	/* memops_generic.c flushes through it */

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
	return (align_down(a, Dcache_line) - C.line0) / Dcache_line;
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
	if (align_down(a, Dcache_line) + Dcache_line <= C.lo || a >= C.hi) {
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
	C.line0 = align_down(C.lo, Dcache_line);
	C.strict = strict;
	C.stores = C.flushes = C.fences = C.streams = 0;
	C.written = Written;
	C.last_store = Last_store;
	C.last_flush = Last_flush;
	memset(Written, 0, len);
	size_t lines = len / Dcache_line + 2;

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
				Dcache_line);
			return;
		}
	}
}

static char *Area, *Ref;
static int Trapping;	/* DC CVAP raises SIGILL here (see dctrap.h) */

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

/* one listed kernel at every length and the alignments of step */
static void
sweep_kernel(const struct pmem_kernel *k, size_t step)
{
	int flushing = k->flush != FLUSH_NONE;

	if (k->move)
		sweep_move(k->name, k->move, flushing, 1, step);
	else
		sweep_set(k->name, k->set, flushing, 1, step);
}

static enum flush_kind Generic_kind;

static void
flush_generic(const void *addr, size_t len)
{
	flush_lines(Generic_kind, addr, len);
}

/*
 * DC CVAP kernels only where the CPU has it and not with a pretend line
 * size, at fewer alignments when it traps (a signal per DC). The generic
 * kernels report their stores as one range, so only their flush coverage
 * is checked.
 */
static void
group_kernels(int with_cvap, size_t step1)
{
	static struct kernel_set set;

	kl_collect(&set, arch_cpu_features());
	for (size_t i = 0; i < set.n; i++) {
		const struct pmem_kernel *k = set.k[i];

		if (strcmp(k->family, "generic") == 0 ||
				(k->flush == FLUSH_CVAP && !with_cvap))
			continue;
		sweep_kernel(k, (k->flush == FLUSH_CVAP && Trapping) ? 7 :
			step1);
	}
	Generic_kind = FLUSH_CVAC;
	Funcs.flush = flush_generic;
	step1 = step1 < 3 ? 3 : step1;
	sweep_move("memmove_generic_flush", memmove_generic_flush, 1, 0,
		step1);
	sweep_set("memset_generic_flush", memset_generic_flush, 1, 0, step1);
	sweep_move("memmove_generic_noflush", memmove_generic_noflush, 0, 0,
		step1);
	sweep_set("memset_generic_noflush", memset_generic_noflush, 0, 0,
		step1);
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
	size_t lines = (align_up(C.hi, Dcache_line) - C.line0) / Dcache_line;

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

static void
range_table(int flush_needed)
{
	struct arch_choice f = { .has_hw_drain = 0 };
	struct pmem_policy policy = { flush_needed, 1, 0 };
	unsigned long cvap0 = Dc_cvap_traps, cvadp0 = Dc_cvadp_traps;
	unsigned cpu = cpu_features();

	arch_init(&f, &policy);
	for (size_t len = 0; len <= 300; len += 1 + len / 8)
		for (size_t doff = 0; doff < 64; doff += 9) {
			check_range("flush", f.flush.fn, flush_needed, doff,
				len);
			check_range("deep_flush", f.deep_flush.fn, 1, doff,
				len);
		}
	C.fences = 0;
	f.fence.fn();
	T_CHECK(C.fences == 1, "fence reported %lu times", C.fences);
	T_CHECK(f.has_hw_drain == 0, "has_hw_drain %d", f.has_hw_drain);

	/* what the table's kernels do with and without flush_needed */
	trace_move("MEM_MOV", f.memmove[MEM_MOV].fn, flush_needed, 1, 3, 5000,
		1000);
	trace_move("MEM_MOVNT", f.memmove[MEM_MOVNT].fn, flush_needed, 1, 3,
		5000, 1000);
	trace_move("MEM_MOV_NOFLUSH", f.memmove[MEM_MOV_NOFLUSH].fn, 0, 1, 3,
		5000, 1000);
	trace_set("MEM_MOV set", f.memset[MEM_MOV].fn, flush_needed, 1, 3,
		1000);
	trace_set("MEM_MOVNT set", f.memset[MEM_MOVNT].fn, flush_needed, 1, 3,
		1000);
	trace_set("MEM_MOV_NOFLUSH set", f.memset[MEM_MOV_NOFLUSH].fn, 0, 1,
		3, 1000);

	/* which clean instruction ran, where the emulator lets us count */
	if (Trapping && (cpu & CPU_DCPOP) && flush_needed)
		T_CHECK(Dc_cvap_traps > cvap0, "CPU has DC CVAP, pmem_flush "
			"did not use it");
	if (Trapping && (cpu & CPU_DCPODP))
		T_CHECK(Dc_cvadp_traps > cvadp0, "CPU has DC CVADP, "
			"deep_flush did not use it");
	if (!(cpu & CPU_DCPOP))
		T_CHECK(Dc_cvap_traps == cvap0, "DC CVAP issued on a CPU "
			"without it");
	if (!(cpu & CPU_DCPODP))
		T_CHECK(Dc_cvadp_traps == cvadp0, "DC CVADP issued on a CPU "
			"without it");
	printf("flush_needed %d: DC CVAP trapped %lu, DC CVADP trapped %lu\n",
		flush_needed, Dc_cvap_traps - cvap0, Dc_cvadp_traps - cvadp0);
}

static void
group_range(void)
{
	range_table(1);
	range_table(0);
}

int
main(int argc, char *argv[])
{
	size_t line = 0, step = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: %s kernels|range [line=N] [step=N]\n",
			argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strncmp(argv[i], "line=", 5) == 0)
			line = (size_t)atoi(argv[i] + 5);
		else if (strncmp(argv[i], "step=", 5) == 0)
			step = (size_t)atoi(argv[i] + 5);
	}
	Trapping = dctrap_install();
	Area = t_guarded(BUF);
	Ref = t_guarded(BUF);
	Dcache_line = line ? line : cpu_dcache_line();
	if (Dcache_line < 16 || (Dcache_line & (Dcache_line - 1)) ||
			step < 1) {
		fprintf(stderr, "bad line size %zu or step\n", Dcache_line);
		return 2;
	}
	/*
	 * DC CVAP kernels at the real line size only: a pretend one is for
	 * the stepping logic, which all kinds share.
	 */
	if (strcmp(argv[1], "kernels") == 0)
		group_kernels(!line && (cpu_features() & CPU_DCPOP), step);
	else if (strcmp(argv[1], "range") == 0)
		group_range();
	else
		return 2;
	printf("%s: D-cache line %zu, DC CVAP %s\n", argv[1], Dcache_line,
		Trapping ? "traps" : "runs natively");
	return t_result(argv[1]);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage through the API: linked with the whole library built with
 * -DPMEM_TRACE. The _persist copies must end with a fence after their last
 * flush or stream, NODRAIN must give the same events without that fence,
 * and pmem_flush/pmem_persist/pmem_deep_flush must flush exactly the lines
 * of their range. pmem_deep_persist, pmem_deep_drain and pmem_msync must
 * fence every flush before their first system call (msync, or the
 * deep_flush file of a Device DAX region registered here by hand). Environment switches (PMEM_NO_FLUSH, PMEM_WC_WORKAROUND,
 * ...) are honoured as the library reads them.
 *
 * Usage: flushcov_api [selftest]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "libpmem.h"
#include "policy.h"
#include "range.h"
#include "trace_check.h"

#define ARENA (1u << 20)
#define MARGIN 4096

static char *Buf, *Src;
static unsigned long Calls, Failures;
static int Flushing, Wc, Subline;
/* PMEM_NO_MOVNT=1 picks the generic kernels: they flush at len 0 too */
static int Generic;
static int Quiet;	/* the self-test expects failures: do not list them */

enum op { MEMMOVE, MEMCPY, MEMSET, MEMMOVE_OVERLAP, OPS };
static const char *const Op_names[] = { "pmem_memmove", "pmem_memcpy",
	"pmem_memset", "pmem_memmove (dst inside src)" };

static const unsigned Flags[] = {
	0, PMEM_F_MEM_NONTEMPORAL, PMEM_F_MEM_TEMPORAL, PMEM_F_MEM_WC,
	PMEM_F_MEM_WB, PMEM_F_MEM_NOFLUSH,
};
#define NFLAGS (sizeof(Flags) / sizeof(Flags[0]))

static struct trace
copy_trace(void)
{
	struct trace t = Trace;

	t.v = malloc((t.n + 1) * sizeof(*t.v));
	memcpy(t.v, Trace.v, t.n * sizeof(*t.v));
	t.cap = t.n + 1;
	return t;
}

/* the named API function; _persist/_nodrain forms stand for flags 0 */
static void
call(enum op op, int named, char *d, size_t len, unsigned fl)
{
	const char *s = op == MEMMOVE_OVERLAP ? d - 1 - len / 2 : Src;
	int drain = !(fl & PMEM_F_MEM_NODRAIN);

	trace_start();
	if (named && op == MEMSET)
		(drain ? pmem_memset_persist : pmem_memset_nodrain)(d, 3, len);
	else if (named && op == MEMCPY)
		(drain ? pmem_memcpy_persist : pmem_memcpy_nodrain)(d, s, len);
	else if (named)
		(drain ? pmem_memmove_persist : pmem_memmove_nodrain)(d, s,
			len);
	else if (op == MEMSET)
		pmem_memset(d, 3, len, fl);
	else if (op == MEMCPY)
		pmem_memcpy(d, s, len, fl);
	else
		pmem_memmove(d, s, len, fl);
	trace_stop();
	Calls++;
}

static int
report(const char *what, enum op op, size_t len, size_t off, unsigned fl,
	const char *why)
{
	if (++Failures <= 6 && !Quiet)
		printf("  FAILED: %s%s len %zu dst+%zu flags 0x%x: %s\n",
			Op_names[op], what, len, off, fl, why);
	return -1;
}

/* flags fl, then fl | NODRAIN from the same state: compare the traces */
static int
check_copy(enum op op, int named, size_t len, size_t off, unsigned fl,
	int mutate)
{
	char *d = Buf + MARGIN + off;
	char why[256];
	const char *what = named ? " (_persist/_nodrain form)" : "";
	int noflush = (fl & PMEM_F_MEM_NOFLUSH) != 0;
	int temporal = (fl & (PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_WB)) &&
		!(fl & (PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_WC));
	struct expect e = { Flushing && !noflush, temporal, Wc, Subline,
		!Flushing || noflush, Generic };

	if (op == MEMMOVE_OVERLAP)
		d += len;
	call(op, named, d, len, fl);
	if (mutate)
		trace_drop(&Trace, EV_FENCE, trace_count(&Trace, EV_FENCE) -
			1);
	if (trace_check_write(&Trace, (uintptr_t)d, len, &e, why,
			sizeof(why)) != 0)
		return report(what, op, len, off, fl, why);
	if (noflush)
		return 0;	/* NOFLUSH implies NODRAIN: no fence due */
	long last = (long)Trace.n - 1;

	if (last < 0 || Trace.v[last].kind != EV_FENCE)
		return report(what, op, len, off, fl,
			"does not end with a fence");
	struct trace full = copy_trace();

	call(op, named, d, len, fl | PMEM_F_MEM_NODRAIN);
	int same = Trace.n == full.n - 1 && memcmp(Trace.v, full.v,
		Trace.n * sizeof(*Trace.v)) == 0;

	free(full.v);
	if (!same)
		return report(what, op, len, off, fl, "NODRAIN differs from "
			"the draining call by more than the final fence");
	return 0;
}

static int
check_flushes(size_t len, size_t off, int mutate)
{
	const char *a = Buf + MARGIN + off;
	char why[256];

	trace_start();
	pmem_flush(a, len);
	trace_stop();
	if (mutate == 1 && Trace.n > 0)
		trace_drop(&Trace, EV_FLUSH, Trace.n / 2);
	if (mutate == 2)
		trace_append(&Trace, EV_FLUSH, (uintptr_t)a + len + 64, 64);
	if (!Flushing ? Trace.n != 0 : trace_count(&Trace, EV_FENCE) != 0 ||
			trace_check_flush_lines(&Trace, (uintptr_t)a, len, why,
				sizeof(why)) != 0) {
		if (++Failures <= 6 && !Quiet)
			printf("  FAILED: pmem_flush len %zu addr+%zu: %s\n",
				len, off, Flushing ? why : "flushed although "
				"flushing is off");
		return -1;
	}
	trace_start();
	pmem_persist(a, len);
	trace_stop();
	if (trace_count(&Trace, EV_FENCE) != 1 ||
			Trace.v[Trace.n - 1].kind != EV_FENCE ||
			(Flushing && trace_check_flush_lines(&Trace,
				(uintptr_t)a, len, why, sizeof(why)) != 0)) {
		if (++Failures <= 6)
			printf("  FAILED: pmem_persist len %zu addr+%zu: "
				"lines or the single final fence wrong\n",
				len, off);
		return -1;
	}
	trace_start();
	pmem_deep_flush(a, len);
	trace_stop();
	if (trace_check_flush_lines(&Trace, (uintptr_t)a, len, why,
			sizeof(why)) != 0) {
		if (++Failures <= 6)
			printf("  FAILED: pmem_deep_flush len %zu addr+%zu: "
				"%s\n", len, off, why);
		return -1;
	}
	return 0;
}

enum deep_op { DEEP_PERSIST, DEEP_DRAIN, MSYNC, DEEP_OPS };
static const char *const Deep_names[] = { "pmem_deep_persist",
	"pmem_deep_drain", "pmem_msync" };

/*
 * The deep paths over a plain range (msync) and over one registered as
 * Device DAX (the region's deep_flush file). mutate drops the fences, for
 * the self-test.
 */
static int
check_deep(enum deep_op op, int devdax, size_t len, size_t off, int mutate)
{
	const char *a = Buf + MARGIN + off;
	char why[256];
	int bad;

	if (devdax)
		range_register((uintptr_t)Buf, 2 * ARENA + 2 * MARGIN,
			RANGE_DEVDAX, 4242);
	trace_start();
	if (op == DEEP_PERSIST)
		pmem_deep_persist(a, len);
	else if (op == DEEP_DRAIN)
		pmem_deep_drain(a, len);
	else
		pmem_msync(a, len);
	trace_stop();
	if (devdax)
		range_unregister((uintptr_t)Buf, 2 * ARENA + 2 * MARGIN);
	Calls++;
	while (mutate && trace_count(&Trace, EV_FENCE) > 0)
		trace_drop(&Trace, EV_FENCE, 0);
	bad = trace_check_fenced_syscall(&Trace, why, sizeof(why)) != 0;
	if (!bad && op == DEEP_PERSIST)
		bad = trace_check_flush_lines(&Trace, (uintptr_t)a, len, why,
			sizeof(why)) != 0;
	if (bad && ++Failures <= 6 && !Quiet)
		printf("  FAILED: %s len %zu addr+%zu%s: %s\n", Deep_names[op],
			len, off, devdax ? " (Device DAX)" : "", why);
	return bad ? -1 : 0;
}

/*
 * this CPU's policy row (the WC barrier, streamed partial lines): the row
 * choice itself is the matrix suite's to check, here only the trace matters
 */
static const struct x86_policy *
cpu_row(void)
{
	struct cpu_model m;
	unsigned cpu = cpu_features(&m);

	return policy_find(cpu, &m);
}

static int
env_is(const char *name, const char *val)
{
	const char *e = getenv(name);

	return e != NULL && strcmp(e, val) == 0;
}

/* what the environment makes the library do, derived independently */
static void
expectations(void)
{
	const char *nf = getenv("PMEM_NO_FLUSH");
	const char *wc = getenv("PMEM_WC_WORKAROUND");

	Flushing = 1;
	if (nf != NULL && strcmp(nf, "1") == 0)
		Flushing = 0;
	else if ((nf == NULL || strcmp(nf, "0") != 0) &&
			pmem_has_auto_flush() == 1)
		Flushing = 0;
	Generic = env_is("PMEM_NO_MOVNT", "1") &&
		!env_is("PMEM_NO_GENERIC_MEMCPY", "1");
	if (wc != NULL && strcmp(wc, "1") == 0)
		Wc = 1;
	else if (wc != NULL && strcmp(wc, "0") == 0)
		Wc = 0;
	else
		Wc = cpu_row()->wc_barrier;
	/* the barrier variant stores partial lines */
	Subline = !Wc && cpu_row()->subline;
}

/* planted defects: a dropped final fence, flush, or an extra flush */
static int
selftest(void)
{
	int caught = 0, tried = 0;
	unsigned long f0 = Failures;

	Quiet = 1;
	for (size_t len = 1; len < 600; len += 37) {
		tried++;
		caught += check_copy(MEMCPY, 1, len, len % 64, 0, 1) != 0;
		for (int op = 0; op < DEEP_OPS; op++) {
			tried += 2;
			caught += check_deep((enum deep_op)op, 0, len, len % 64,
				1) != 0;
			caught += check_deep((enum deep_op)op, 1, len, len % 64,
				1) != 0;
		}
		if (Flushing) {
			tried += 2;
			caught += check_flushes(len, len % 64, 1) != 0;
			caught += check_flushes(len, len % 64, 2) != 0;
		}
	}
	Failures = f0;
	printf("self-test: %d of %d planted trace defects caught\n", caught,
		tried);
	return caught == tried ? 0 : 1;
}

int
main(int argc, char *argv[])
{
	static const size_t big[] = { 2047, 4096, 4097, 65536 + 17,
		262144 + 63 };

	Buf = aligned_alloc(4096, 2 * ARENA + 2 * MARGIN);
	Src = aligned_alloc(4096, ARENA);
	memset(Src, 0x77, ARENA);
	memset(Buf, 0, 2 * ARENA + 2 * MARGIN);
	expectations();
	printf("flushing %s, WC barrier expected %s\n", Flushing ? "on" :
		"off", Wc ? "yes" : "no");
	if (argc > 1 && strcmp(argv[1], "selftest") == 0)
		return selftest();

	for (size_t len = 0; len <= 1024 + 8; len++) {
		for (size_t off = 0; off < 64; off += len % 7 + 5) {
			for (int op = 0; op < OPS; op++) {
				for (size_t f = 0; f < NFLAGS; f++)
					check_copy((enum op)op, 0, len, off,
						Flags[f], 0);
				if (op != MEMMOVE_OVERLAP)
					check_copy((enum op)op, 1, len, off, 0,
						0);
			}
			check_flushes(len, off, 0);
			for (int op = 0; op < DEEP_OPS && len % 8 == 1; op++)
				for (int dd = 0; dd < 2; dd++)
					check_deep((enum deep_op)op, dd, len,
						off, 0);
		}
	}
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		for (int op = 0; op < OPS; op++)
			for (size_t f = 0; f < NFLAGS; f++)
				check_copy((enum op)op, 0, big[i], i * 9 % 64,
					Flags[f], 0);
		check_flushes(big[i], i * 9 % 64, 0);
	}
	trace_start();
	pmem_drain();
	trace_stop();
	if (Trace.n != 1 || Trace.v[0].kind != EV_FENCE) {
		Failures++;
		printf("  FAILED: pmem_drain is not exactly one fence\n");
	}
	printf("flushcov_api: %lu API calls, %lu failing\n", Calls, Failures);
	return Failures ? 1 : 0;
}

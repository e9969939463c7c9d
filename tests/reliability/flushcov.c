/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage of every copy/fill kernel: each one the arch lists (and
 * the generic kernels) is run over every size up to 1 KiB and a sample up to
 * 1 MiB, at every destination offset in a line, forwards, backwards and as
 * a fill, and over whole-line overlapping moves to an aligned dst both
 * ways (the far moves unflagged calls stream), with the kernel files built
 * with -DPMEM_TRACE; the recorded stores, streams, flushes and fences must
 * leave every line persistent.
 *
 * Usage: flushcov [selftest]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "cpu.h"
#include "kernels.h"
#include "trace_check.h"
#include "../lib/emu_kernels.h"
#include "../lib/kernel_list.h"

/* the generic kernels flush through Funcs.flush: the trace's here */
static void
traced_flush(const void *addr, size_t len)
{
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)63;

	for (; p < (uintptr_t)addr + len; p += 64)
		pmem_trace_flush((const void *)p);
}

#define ARENA (2u << 20)
#define MARGIN 8192

static char *Buf, *Src, *Expected;
static unsigned long Calls, Failures;

enum op { OP_FW, OP_BW, OP_SET, OPS };
static const char *const Op_names[] = { "memmove fw", "memmove bw",
	"memset" };

struct variant {
	const char *name;
	memmove_func move;
	memset_func set;
	struct expect e;
};

/* a mutation of the recorded trace, for the self-test */
struct mutation {
	enum ev_kind kind;
	long nth;		/* drop the nth event of kind; -1: none */
	int append_store;	/* a store to the last line after it all */
};

static const struct mutation No_mutation = { EV_FLUSH, -1, 0 };

/* one kernel call: where it writes, what it reads, and how to name it */
struct call {
	enum op op;
	char *d;
	const char *s;
	size_t len;
	int c;
	char where[48];		/* "dst+OFF" or "DIST B apart" */
};

/* the call run_variant makes for an operation, a length and a dst offset */
static struct call
place(enum op op, size_t len, size_t off)
{
	struct call k = { op, Buf + MARGIN + off, NULL, len,
		(int)(len * 7 + off) & 0xff, "" };

	snprintf(k.where, sizeof(k.where), "dst+%zu", off);
	if (op == OP_BW)
		k.d += (len + 63) & ~(size_t)63;	/* room for src below */
	if (op == OP_BW) {
		/* dst inside src: the kernel must walk down */
		size_t delta = len > 1 ? 1 + (len / 2 + off) % (len - 1) : 1;

		k.s = k.d - delta;
	} else if (op == OP_FW && (off & 1)) {
		/* dst below an overlapping src */
		k.s = k.d + 1 + (len / 3);
	} else {
		k.s = Src + (off * 5) % 64;
	}
	return k;
}

/*
 * A move of whole lines to a line-aligned dst, dist bytes from its
 * overlapping source: the moves that unflagged calls stream from the
 * policy's far limit (pmem.c, move_kind), walking up (OP_FW, dst below
 * src) or down (OP_BW, dst above src).
 */
static struct call
place_far(enum op op, size_t len, size_t dist)
{
	char *lo = Buf + MARGIN;
	struct call k = { op, op == OP_FW ? lo : lo + dist,
		op == OP_FW ? lo + dist : lo, len, 0, "" };

	snprintf(k.where, sizeof(k.where), "%zu B apart", dist);
	return k;
}

/*
 * Runs one call and checks trace and data; returns 0 when both are
 * right. With a mutation, the trace is altered before the check.
 */
static int
run_call(const struct variant *v, const struct call *k,
	const struct mutation *m, int quiet)
{
	char why[256];

	memmove(Expected, k->s, k->len);
	trace_start();
	if (k->op == OP_SET)
		v->set(k->d, k->c, k->len);
	else
		v->move(k->d, k->s, k->len);
	trace_stop();
	Calls++;
	if (k->op == OP_SET)
		memset(Expected, k->c, k->len);
	if (memcmp(k->d, Expected, k->len) != 0) {
		if (!quiet)
			printf("  FAILED: %s %s len %zu %s: wrong data\n",
				v->name, Op_names[k->op], k->len, k->where);
		return -1;
	}
	if (m->nth >= 0)
		trace_drop(&Trace, m->kind, (size_t)m->nth);
	if (m->append_store)
		trace_append(&Trace, EV_STORE, (uintptr_t)k->d + k->len - 1,
			1);
	if (trace_check_write(&Trace, (uintptr_t)k->d, k->len, &v->e, why,
			sizeof(why)) != 0) {
		if (!quiet)
			printf("  FAILED: %s %s len %zu %s: %s\n", v->name,
				Op_names[k->op], k->len, k->where, why);
		return -1;
	}
	return 0;
}

static int
run_one(const struct variant *v, enum op op, size_t len, size_t off,
	const struct mutation *m, int quiet)
{
	struct call k = place(op, len, off);

	return run_call(v, &k, m, quiet);
}

static const size_t Big[] = {
	1025, 1087, 2047, 2048, 4095, 4097, 8191, 16384 + 17, 65535, 65536,
	65536 + 63, 262144 + 5, (1u << 20) - 1, 1u << 20,
};

/* a listed kernel is either a move or a set */
static int
has_op(const struct variant *v, int op)
{
	return (op == OP_SET ? (void *)v->set : (void *)v->move) != NULL;
}

/*
 * The far distances of a len-byte whole-line move: a line, two, a quarter
 * and half the length (multiples of 8), each of which overlaps.
 */
#define FAR_DISTS 4

static size_t
far_dist(size_t len, int i)
{
	switch (i) {
	case 0:
		return 64;
	case 1:
		return 128;
	case 2:
		return len / 4 & ~(size_t)7;
	default:
		return len / 2 & ~(size_t)7;
	}
}

/*
 * Streaming kernels over whole-line overlapping moves to an aligned dst,
 * both ways, 256 B to 16 KiB: the far moves unflagged calls stream
 * (run_one's forward moves overlap only to an odd dst offset).
 */
static void
run_far(const struct variant *v)
{
	for (size_t len = 256; len <= 16384; len += 64)
		for (int i = 0; i < FAR_DISTS; i++)
			for (int op = OP_FW; op <= OP_BW; op++) {
				struct call k = place_far((enum op)op, len,
					far_dist(len, i));

				Failures += run_call(v, &k, &No_mutation,
					Failures > 5) != 0;
			}
}

static void
run_variant(const struct variant *v)
{
	unsigned long before = Failures;

	for (int op = 0; op < OPS; op++) {
		if (!has_op(v, op))
			continue;
		for (size_t len = 0; len <= 1024; len++)
			for (size_t off = 0; off < 64; off++)
				Failures += run_one(v, (enum op)op, len, off,
					&No_mutation, Failures > 5) != 0;
		for (size_t i = 0; i < sizeof(Big) / sizeof(Big[0]); i++)
			for (size_t off = 0; off < 64; off += 21)
				Failures += run_one(v, (enum op)op, Big[i],
					off, &No_mutation, Failures > 5) != 0;
	}
	if (v->move != NULL)
		run_far(v);
	if (Failures != before)
		printf("  %s: %lu failing calls\n", v->name, Failures - before);
}

/* what the trace of a listed kernel must show */
static struct variant
variant_of(const struct pmem_kernel *k)
{
	/* compat: the reference's generic kernels flush at len 0 */
	struct expect e = { k->flush != 0, k->store == STORE_MOV,
		k->wc_barrier, k->subline, 0,
		strcmp(k->family, "generic") == 0 };

	return (struct variant){ k->name, k->move, k->set, e };
}

/* a memmove kernel and the memset kernel of the same name */
static struct variant
pair(const char *move, const char *set)
{
	struct variant v = variant_of(kl_find(move));

	v.set = kl_find(set)->set;
	return v;
}

/* every single-defect mutation of one correct trace, counted */
static void
mutate_all(const struct variant *v, const struct call *k, int wc,
	unsigned long *tried, unsigned long *caught)
{
	size_t nf = trace_count(&Trace, EV_FLUSH);
	long last_stream = trace_last(&Trace, EV_STREAM);
	long last_store = trace_last(&Trace, EV_STORE);
	struct mutation m = { EV_FLUSH, -1, 0 };

	for (size_t i = 0; i < nf; i++) {
		m.nth = (long)i;
		++*tried;
		*caught += run_call(v, k, &m, 1) != 0;
	}
	m.nth = -1;
	m.append_store = 1;	/* a store after the last flush */
	++*tried;
	*caught += run_call(v, k, &m, 1) != 0;
	/* a WC fence matters only before a later store */
	if (wc && last_stream >= 0 && last_store > last_stream) {
		m.kind = EV_FENCE;
		m.nth = 0;
		m.append_store = 0;
		++*tried;
		*caught += run_call(v, k, &m, 1) != 0;
	}
}

/* a correct run of k, then each of its mutations; -1 when k fails */
static int
mutate_call(const struct variant *v, const struct call *k, int wc,
	unsigned long *tried, unsigned long *caught)
{
	if (run_call(v, k, &No_mutation, 0) != 0)
		return -1;
	mutate_all(v, k, wc, tried, caught);
	return 0;
}

/*
 * The checker must catch a missing flush, a missing WC fence and a store
 * after the flushes; each mutation is applied to a correct trace, of the
 * calls run_variant makes and of far whole-line moves both ways.
 */
static int
selftest(void)
{
	const struct variant vs[2] = {
		pair("memmove_mov_sse2_clflush", "memset_mov_sse2_clflush"),
		pair("memmove_movnt_sse2_clflush_wcbarrier",
			"memset_movnt_sse2_clflush_wcbarrier"),
	};
	static const size_t lens[] = { 1, 63, 64, 65, 100, 255, 256, 1000,
		4097 };
	static const size_t far_lens[] = { 256, 1024, 4096 + 64 };
	unsigned long tried = 0, caught = 0, far_tried;

	size_t nlens = sizeof(lens) / sizeof(lens[0]);

	/* every (length, operation, offset in 0..63 by 13, variant) */
	for (size_t c = 0; c < nlens * OPS * 5 * 2; c++) {
		size_t len = lens[c / (OPS * 10)], off = c / 2 % 5 * 13;
		enum op op = (enum op)(c / 10 % OPS);
		int j = (int)(c & 1);
		struct call k = place(op, len, off);

		if (mutate_call(&vs[j], &k, j, &tried, &caught) != 0)
			return -1;
	}
	far_tried = tried;
	for (size_t l = 0; l < sizeof(far_lens) / sizeof(far_lens[0]); l++)
		for (int i = 0; i < FAR_DISTS; i++)
			for (int op = OP_FW; op <= OP_BW; op++)
				for (int j = 0; j < 2; j++) {
					struct call k = place_far((enum op)op,
						far_lens[l],
						far_dist(far_lens[l], i));

					if (mutate_call(&vs[j], &k, j, &tried,
							&caught) != 0)
						return -1;
				}
	far_tried = tried - far_tried;
	printf("self-test (sse2): %lu of %lu planted trace defects caught"
		" (%lu in far whole-line moves)\n", caught, tried, far_tried);
	return caught == tried && far_tried > 100 && tried > 100 ? 0 : -1;
}

/*
 * The sub-line variants must stream the partial lines made of aligned
 * 4-byte words and flush no line for them (a variant that silently fell
 * back to store + flush would pass every check above); a 1-byte
 * misalignment still stores and flushes.
 */
static void
check_subline(const struct variant *v)
{
	static const struct { size_t len, off; int streams; } cases[] = {
		{ 8, 0, 1 }, { 4, 4, 1 }, { 60, 4, 1 }, { 64, 8, 1 },
		{ 200, 8, 1 }, { 8, 1, 0 }, { 60, 1, 0 },
	};

	if (!v->e.subline)
		return;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int op = 0; op < OPS; op++) {
			size_t len = cases[i].len;

			if (!has_op(v, op))
				continue;
			if (run_one(v, (enum op)op, len, cases[i].off,
					&No_mutation, 0) != 0) {
				Failures++;
				continue;
			}
			int flushed = trace_count(&Trace, EV_FLUSH) != 0;
			int streamed = trace_count(&Trace, EV_STREAM) != 0;

			if (cases[i].streams ? !flushed && streamed :
					flushed || !v->e.flushing)
				continue;
			printf("  FAILED: %s %s len %zu dst+%zu: %s\n",
				v->name, Op_names[op], len, cases[i].off,
				cases[i].streams ? "partial lines flushed, "
				"not streamed" : "misaligned piece not "
				"flushed");
			Failures++;
		}
}

int
main(int argc, char *argv[])
{
	static struct kernel_set set;
	static struct pmem_kernel emu[2 * X86_FAMILY_KERNELS];
	unsigned cpu = arch_cpu_features();
	size_t n;

	Buf = aligned_alloc(4096, ARENA + 2 * MARGIN);
	Src = aligned_alloc(4096, ARENA + 128);
	Expected = malloc(ARENA);
	for (size_t i = 0; i < ARENA + 128; i++)
		Src[i] = (char)(i * 131 + 7);
	memset(Buf, 0x5a, ARENA + 2 * MARGIN);
	Funcs.flush = traced_flush;

	if (argc > 1 && strcmp(argv[1], "selftest") == 0)
		return selftest() ? 1 : 0;

	/* every listed kernel, and the template paths of the emulated ones */
	n = x86_family_list(&x86_kernels_emu_avx512f, CPU_AVX, emu);
	n += x86_family_list(&x86_kernels_emu_movdir64b, CPU_AVX, emu + n);
	kl_collect(&set, cpu);
	kl_add(&set, emu, n, cpu);
	for (size_t i = 0; i < set.n; i++) {
		struct variant v = variant_of(set.k[i]);

		run_variant(&v);
		check_subline(&v);
	}
	printf("%zu variants checked\n", set.n);
	kl_report_skipped(&set);
	printf("flushcov: %lu kernel calls, %lu failing\n", Calls, Failures);
	return Failures ? 1 : 0;
}

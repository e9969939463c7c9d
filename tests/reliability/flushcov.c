/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage of every copy/fill kernel: each family's table (and the
 * generic kernels) is run over every size up to 1 KiB and a sample up to
 * 1 MiB, at every destination offset in a line, forwards, backwards and as
 * a fill, with the kernel files built with -DPMEM_TRACE; the recorded
 * stores, streams, flushes and fences must leave every line persistent.
 *
 * Usage: flushcov [selftest]
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "kernels.h"
#include "trace_check.h"
#include "../lib/emu_kernels.h"

/* the generic kernels flush through the dispatch table */
struct pmem_funcs Funcs;

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

/*
 * Runs one call and checks trace and data; returns 0 when both are
 * right. With a mutation, the trace is altered before the check.
 */
static int
run_one(const struct variant *v, enum op op, size_t len, size_t off,
	const struct mutation *m, int quiet)
{
	char *d = Buf + MARGIN + off;
	const char *s;

	if (op == OP_BW)
		d += (len + 63) & ~(size_t)63;	/* room for src below */
	char why[256];
	int c = (int)(len * 7 + off) & 0xff;

	if (op == OP_BW) {
		/* dst inside src: the kernel must walk down */
		size_t delta = len > 1 ? 1 + (len / 2 + off) % (len - 1) : 1;

		s = d - delta;
	} else if (op == OP_FW && (off & 1)) {
		s = d + 1 + (len / 3);	/* dst below an overlapping src */
	} else {
		s = Src + (off * 5) % 64;
	}
	memmove(Expected, s, len);
	trace_start();
	if (op == OP_SET)
		v->set(d, c, len);
	else
		v->move(d, s, len);
	trace_stop();
	Calls++;
	if (op == OP_SET)
		memset(Expected, c, len);
	if (memcmp(d, Expected, len) != 0) {
		if (!quiet)
			printf("  FAILED: %s %s len %zu dst+%zu: wrong data\n",
				v->name, Op_names[op], len, off);
		return -1;
	}
	if (m->nth >= 0)
		trace_drop(&Trace, m->kind, (size_t)m->nth);
	if (m->append_store)
		trace_append(&Trace, EV_STORE, (uintptr_t)d + len - 1, 1);
	if (trace_check_write(&Trace, (uintptr_t)d, len, &v->e, why,
			sizeof(why)) != 0) {
		if (!quiet)
			printf("  FAILED: %s %s len %zu dst+%zu: %s\n",
				v->name, Op_names[op], len, off, why);
		return -1;
	}
	return 0;
}

static const size_t Big[] = {
	1025, 1087, 2047, 2048, 4095, 4097, 8191, 16384 + 17, 65535, 65536,
	65536 + 63, 262144 + 5, (1u << 20) - 1, 1u << 20,
};

static void
run_variant(const struct variant *v)
{
	unsigned long before = Failures;

	for (int op = 0; op < OPS; op++) {
		if ((op == OP_SET ? (void *)v->set : (void *)v->move) == NULL)
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
	if (Failures != before)
		printf("  %s: %lu failing calls\n", v->name, Failures - before);
}

/* CPU features the kernels' instructions need (not the vector width) */
enum { HAS_CLFLUSHOPT = 1, HAS_CLWB = 2, HAS_AVX = 4, HAS_AVX512F = 8,
	HAS_MOVDIR64B = 16 };

static unsigned
cpu(void)
{
	unsigned a, b, c, d, f = 0;

	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx"))
		f |= HAS_AVX;
	if (__builtin_cpu_supports("avx512f"))
		f |= HAS_AVX512F;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		f |= b & (1u << 23) ? HAS_CLFLUSHOPT : 0;
		f |= b & (1u << 24) ? HAS_CLWB : 0;
		f |= c & (1u << 28) ? HAS_MOVDIR64B : 0;
	}
	return f;
}

static const char *const Flush_names[FLUSH_KINDS] = {
	"noflush", "clflush", "clflushopt", "clwb"
};

static int
flush_runs(unsigned f, int kind)
{
	if (kind == FLUSH_CLFLUSHOPT && !(f & HAS_CLFLUSHOPT))
		return 0;
	if (kind == FLUSH_CLWB && !(f & HAS_CLWB))
		return 0;
	return 1;
}

/* every variant of one family's table */
static int
family_variants(const struct x86_kernels *k, unsigned f, struct variant *v)
{
	int n = 0;

	for (int fk = 0; fk < FLUSH_KINDS; fk++) {
		if (!flush_runs(f, fk)) {
			printf("SKIP: %s %s kernels (CPU lacks %s)\n", k->isa,
				Flush_names[fk], Flush_names[fk]);
			continue;
		}
		struct expect mov = { fk != FLUSH_NONE, 1, 0, 0, 0 };

		if (k->memmove_mov[fk].fn != NULL)
			v[n++] = (struct variant){ k->memmove_mov[fk].name,
				k->memmove_mov[fk].fn, k->memset_mov[fk].fn,
				mov };
		for (int wc = 0; wc < WC_KINDS; wc++) {
			struct expect nt = { fk != FLUSH_NONE, 0, wc, 0, 0 };

			v[n++] = (struct variant){
				k->memmove_movnt[fk][wc].name,
				k->memmove_movnt[fk][wc].fn,
				k->memset_movnt[fk][wc].fn, nt };
		}
	}
	return n;
}

/* every single-defect mutation of one correct trace, counted */
static void
mutate_all(const struct variant *v, enum op op, size_t len, size_t off,
	int wc, unsigned long *tried, unsigned long *caught)
{
	size_t nf = trace_count(&Trace, EV_FLUSH);
	long last_stream = trace_last(&Trace, EV_STREAM);
	long last_store = trace_last(&Trace, EV_STORE);
	struct mutation m = { EV_FLUSH, -1, 0 };

	for (size_t k = 0; k < nf; k++) {
		m.nth = (long)k;
		++*tried;
		*caught += run_one(v, op, len, off, &m, 1) != 0;
	}
	m.nth = -1;
	m.append_store = 1;	/* a store after the last flush */
	++*tried;
	*caught += run_one(v, op, len, off, &m, 1) != 0;
	/* a WC fence matters only before a later store */
	if (wc && last_stream >= 0 && last_store > last_stream) {
		m.kind = EV_FENCE;
		m.nth = 0;
		m.append_store = 0;
		++*tried;
		*caught += run_one(v, op, len, off, &m, 1) != 0;
	}
}

/*
 * The checker must catch a missing flush, a missing WC fence and a store
 * after the flushes; each mutation is applied to a correct trace.
 */
static int
selftest(const struct x86_kernels *k)
{
	const struct variant vs[2] = {
		{ k->memmove_mov[FLUSH_CLFLUSH].name,
			k->memmove_mov[FLUSH_CLFLUSH].fn,
			k->memset_mov[FLUSH_CLFLUSH].fn, { 1, 1, 0, 0, 0 } },
		{ k->memmove_movnt[FLUSH_CLFLUSH][WC_BARRIER].name,
			k->memmove_movnt[FLUSH_CLFLUSH][WC_BARRIER].fn,
			k->memset_movnt[FLUSH_CLFLUSH][WC_BARRIER].fn,
			{ 1, 0, 1, 0, 0 } },
	};
	static const size_t lens[] = { 1, 63, 64, 65, 100, 255, 256, 1000,
		4097 };
	unsigned long tried = 0, caught = 0;

	size_t nlens = sizeof(lens) / sizeof(lens[0]);

	/* every (length, operation, offset in 0..63 by 13, variant) */
	for (size_t c = 0; c < nlens * OPS * 5 * 2; c++) {
		size_t len = lens[c / (OPS * 10)], off = c / 2 % 5 * 13;
		enum op op = (enum op)(c / 10 % OPS);
		int j = (int)(c & 1);

		if (run_one(&vs[j], op, len, off, &No_mutation, 0) != 0)
			return -1;
		mutate_all(&vs[j], op, len, off, j, &tried, &caught);
	}
	printf("self-test (%s): %lu of %lu planted trace defects caught\n",
		k->isa, caught, tried);
	return caught == tried && tried > 100 ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	unsigned f = cpu();
	const struct {
		const struct x86_kernels *k;
		unsigned need;
		const char *feature;
	} fams[] = {
		{ &x86_kernels_sse2, 0, "" },
		{ &x86_kernels_avx, HAS_AVX, "avx" },
#ifdef HAVE_AVX512F_KERNELS
		{ &x86_kernels_avx512f, HAS_AVX512F, "avx512f" },
#endif
#ifdef HAVE_MOVDIR64B_KERNELS
		{ &x86_kernels_movdir64b, HAS_MOVDIR64B, "movdir64b" },
#endif
		/* their template paths on any AVX CPU */
		{ &x86_kernels_emu_avx512f, HAS_AVX, "avx" },
		{ &x86_kernels_emu_movdir64b, HAS_AVX, "avx" },
	};
	struct variant v[64];

	Buf = aligned_alloc(4096, ARENA + 2 * MARGIN);
	Src = aligned_alloc(4096, ARENA + 128);
	Expected = malloc(ARENA);
	for (size_t i = 0; i < ARENA + 128; i++)
		Src[i] = (char)(i * 131 + 7);
	memset(Buf, 0x5a, ARENA + 2 * MARGIN);
	Funcs.flush = traced_flush;

	if (argc > 1 && strcmp(argv[1], "selftest") == 0)
		return selftest(&x86_kernels_sse2) ? 1 : 0;

	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		if ((f & fams[i].need) != fams[i].need) {
			printf("SKIP: %s kernels (CPU lacks %s)\n",
				fams[i].k->isa, fams[i].feature);
			continue;
		}
		int n = family_variants(fams[i].k, f, v);

		for (int j = 0; j < n; j++)
			run_variant(&v[j]);
		printf("%s: %d variants checked\n", fams[i].k->isa, n);
	}
	const struct variant generic[] = {
		/* compat: the reference's generic kernels flush at len 0 */
		{ "memmove/memset_generic_flush", memmove_generic_flush,
			memset_generic_flush, { 1, 1, 0, 0, 1 } },
		{ "memmove/memset_generic_noflush", memmove_generic_noflush,
			memset_generic_noflush, { 0, 1, 0, 0, 1 } },
	};

	for (size_t j = 0; j < 2; j++)
		run_variant(&generic[j]);
	printf("flushcov: %lu kernel calls, %lu failing\n", Calls, Failures);
	return Failures ? 1 : 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hardware limits: library-free store, copy and flush kernels timed on the
 * same buffers as the cases, to show how close each library gets.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

enum need { NEED_NONE, NEED_AVX2, NEED_AVX512, NEED_MOVDIR64B };

#define LIM_LOOP(fname, call) \
static void \
fname(const struct lib *l, struct bcase *c, unsigned k) \
{ \
	(void)l; \
	while (k--) { \
		char *d = slot_of(c->dst, c), *s = slot_of(c->src, c); \
		(void)s; \
		call; \
		c->iter++; \
		next_slot(c); \
	} \
}

LIM_LOOP(lim_nt_avx2, hw_ntstore_avx2(d, (int)(c->iter & 0xff), c->size))
LIM_LOOP(lim_nt_avx512, hw_ntstore_avx512(d, (int)(c->iter & 0xff), c->size))
LIM_LOOP(lim_stosb, hw_stosb_flush(d, (int)(c->iter & 0xff), c->size))
LIM_LOOP(lim_movsb, hw_movsb(d, s, c->size))
LIM_LOOP(lim_movsb_fl, hw_movsb_flush(d, s, c->size))
LIM_LOOP(lim_ntcp_avx2, hw_ntcopy_avx2(d, s, c->size))
LIM_LOOP(lim_ntcp_avx512, hw_ntcopy_avx512(d, s, c->size))
LIM_LOOP(lim_movdir, hw_movdir64b(d, s, c->size))
LIM_LOOP(lim_flush, (hw_dirty(d, c->size, c->iter), hw_flush_range(d, c->size),
	hw_sfence()))

static const struct limdef {
	const char *name;
	loop_func loop;
	enum limit_kind kind;	/* LIM_NONE: shown, never a limit */
	enum need need;
	int is_copy;
} Lims[] = {
	{ "NT store AVX2", lim_nt_avx2, LIM_PSET, NEED_AVX2, 0 },
	{ "NT store AVX-512", lim_nt_avx512, LIM_PSET, NEED_AVX512, 0 },
	{ "stosb+flush", lim_stosb, LIM_PSET, NEED_NONE, 0 },
	{ "movsb (no flush)", lim_movsb, LIM_NONE, NEED_NONE, 1 },
	{ "movsb+flush", lim_movsb_fl, LIM_PCOPY, NEED_NONE, 1 },
	{ "AVX2 load+NT store", lim_ntcp_avx2, LIM_PCOPY, NEED_AVX2, 1 },
	{ "AVX-512 load+NT store", lim_ntcp_avx512, LIM_PCOPY, NEED_AVX512, 1 },
	{ "MOVDIR64B", lim_movdir, LIM_PCOPY, NEED_MOVDIR64B, 1 },
	{ "dirty+flush+sfence", lim_flush, LIM_FLUSH, NEED_NONE, 0 },
};

#define NLIMS (sizeof(Lims) / sizeof(Lims[0]))

_Static_assert(NLIMS <= MAX_LIMS, "struct bench has room for every kernel");

static int
lim_available(const struct bench *bn, const struct limdef *d, size_t size)
{
	if (!bn->cpu.x86)
		return 0;
	switch (d->need) {
	case NEED_AVX2: return bn->cpu.avx2;
	case NEED_AVX512: return bn->cpu.avx512f;
	case NEED_MOVDIR64B: return bn->cpu.movdir64b && size % 64 == 0;
	default: return 1;
	}
}

static int
lim_column_shown(const struct bench *bn, const struct limdef *d)
{
	if (!bn->cpu.x86)
		return 0;
	switch (d->need) {
	case NEED_AVX2: return bn->cpu.avx2;
	case NEED_AVX512: return bn->cpu.avx512f;
	case NEED_MOVDIR64B: return bn->cpu.movdir64b;
	default: return 1;
	}
}

/* A limit measured with a broken kernel would be worse than none. */
static int
lim_verify(const struct limdef *d, struct bcase *c)
{
	char *dst, *src;
	size_t i;

	c->slot = 0;
	dst = slot_of(c->dst, c);
	src = slot_of(c->src, c);
	c->iter = 0x5a;
	fill_random(src, c->size, 7);
	d->loop(NULL, c, 1);
	if (d->is_copy)
		return memcmp(dst, src, c->size);
	if (d->kind != LIM_PSET)
		return 0;
	for (i = 0; i < c->size; i++)
		if (dst[i] != 0x5a)
			return -1;
	return 0;
}

/* A limit is what the machine can do: the fastest trial, not the median. */
static double
lim_measure(struct bench *bn, struct bcase *c)
{
	double t[64], start;
	unsigned k, n = 0, max = bn->opt.lim_trials;

	if (max > 64)
		max = 64;
	k = calibrate(bn, NULL, c);
	start = now_ns();
	while (n < max && (n < 3 || now_ns() - start < 0.25e9))
		t[n++] = trial(bn, NULL, c, k);
	return quantile(t, n, 0) / k;
}

static int
size_seen(const struct bench *bn, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (bn->sizes[j].size == bn->sizes[i].size)
			return 1;
	return 0;
}

void
measure_limits(struct bench *bn, char *src, char *dst)
{
	size_t i, j;
	static char where[96];
	char b[32];

	for (i = 0; i < bn->nsizes; i++) {
		struct bcase c = { .size = bn->sizes[i].size, .src = src,
			.dst = dst };
		struct opdef od = { 0 };

		for (j = 0; j < NLIMS; j++)
			bn->lim_ns[i][j] = NAN;
		if (size_seen(bn, i))
			continue;
		geometry(bn, c.size, 0, &c.stride, &c.nslots);
		c.op = &od;
		for (j = 0; j < NLIMS; j++) {
			if (!lim_available(bn, &Lims[j], c.size))
				continue;
			od.loop = Lims[j].loop;
			snprintf(where, sizeof(where), " %s size %s",
				Lims[j].name, fmt_size(c.size, b, sizeof(b)));
			progress("limits:%s", where);
			where_set_side("hardware kernel");
			where_set_what(where);
			if (lim_verify(&Lims[j], &c) != 0) {
				out("\nFAIL: hardware kernel %s is wrong at "
					"size %zu\n", Lims[j].name, c.size);
				exit(1);
			}
			bn->lim_ns[i][j] = lim_measure(bn, &c);
		}
	}
	/* the misaligned entries reuse the aligned figures of their size */
	for (i = 0; i < bn->nsizes; i++)
		for (j = 0; j < i; j++)
			if (bn->sizes[j].size == bn->sizes[i].size &&
					!isnan(bn->lim_ns[j][NLIMS - 1]))
				memcpy(bn->lim_ns[i], bn->lim_ns[j],
					sizeof(bn->lim_ns[i]));
}

/* The fastest kernel of a kind at a size, or NULL when none ran. */
loop_func
best_limit(const struct bench *bn, size_t si, enum limit_kind kind)
{
	const struct limdef *best = NULL;
	const double *ns = bn->lim_ns[si];
	size_t j;

	if (kind == LIM_NONE || bn->opt.no_limits)
		return NULL;
	for (j = 0; j < NLIMS; j++)
		if (Lims[j].kind == kind && !isnan(ns[j]) &&
				(best == NULL || ns[j] < ns[best - Lims]))
			best = &Lims[j];
	return best ? best->loop : NULL;
}

void
print_limits(const struct bench *bn)
{
	size_t i, j;
	char b[32];

	out("\n### Hardware limits (no library)\n\n");
	out("GB/s of library-free kernels at each size (fastest of up to "
		"%u trials), same buffers and rotation as the cases below. "
		"Each store kernel ends with "
		"sfence; \"+flush\" adds %s per line. "
		"\"movsb (no flush)\" is not persistent and is shown only for "
		"scale.\n\n", bn->opt.lim_trials, hw_flush_name());
	out("| size |");
	for (j = 0; j < NLIMS; j++)
		if (lim_column_shown(bn, &Lims[j]))
			out(" %s |", Lims[j].name);
	out(" flush ns/line |\n|---:|");
	for (j = 0; j < NLIMS; j++)
		if (lim_column_shown(bn, &Lims[j]))
			out("---:|");
	out("---:|\n");
	for (i = 0; i < bn->nsizes; i++) {
		double fl = bn->lim_ns[i][NLIMS - 1];
		size_t lines = (bn->sizes[i].size + CACHELINE - 1) / CACHELINE;

		if (size_seen(bn, i))
			continue;
		out("| %s |", fmt_size(bn->sizes[i].size, b, sizeof(b)));
		for (j = 0; j < NLIMS; j++) {
			if (!lim_column_shown(bn, &Lims[j]))
				continue;
			if (isnan(bn->lim_ns[i][j]))
				out(" n/a |");
			else
				out(" %.2f |", (double)bn->sizes[i].size /
					bn->lim_ns[i][j]);
		}
		out(" %.2f |\n", fl / (double)lines);
	}
	if (!bn->cpu.avx512f || !bn->cpu.movdir64b)
		out("\nNot measured: %s%s(the CPU or OS lacks them).\n",
			bn->cpu.avx512f ? "" : "AVX-512 kernels ",
			bn->cpu.movdir64b ? "" : "MOVDIR64B ");
}


/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Timing: interleaved trials of the two libraries, checks before timing,
 * and the schedule that shares the run time out among the cases.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench.h"

static long
preemptions(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		return 0;
	return ru.ru_nivcsw;
}

unsigned long Trials, Retried, Preempted;

/*
 * Other processes share the CPUs: a trial during which the scheduler took
 * the CPU away measures them, not the library, so it is run again. Only
 * trials expected to be short are, and only 3 times: under load a long
 * one (a single 128 MiB copy) is rarely left alone, and the median absorbs
 * the rest.
 */
double
trial(const struct lib *l, struct bcase *c, unsigned k)
{
	unsigned attempt;

	Trials++;
	Where_side = l ? l->name : "hardware kernel";
	for (attempt = 0;; attempt++) {
		long cs = preemptions();
		double t0 = now_ns(), t;

		c->op->loop(l, c, k);
		t = now_ns() - t0;
		if (preemptions() == cs)
			return t;
		if (attempt == 3 || k * c->est_ns > 4 * Opt.trial_ns) {
			Preempted++;
			return t;
		}
		Retried++;
	}
}

/* Picks the repeat count that makes one trial about Opt.trial_ns long. */
unsigned
calibrate(const struct lib *l, struct bcase *c)
{
	unsigned k = 1;

	for (;;) {
		double t = trial(l, c, k), kk;

		if (t >= Opt.trial_ns / 2 || k >= (1u << 24)) {
			c->est_ns = t / k;
			kk = (double)k * Opt.trial_ns / (t > 1 ? t : 1);
			if (kk < 1)
				kk = 1;
			return kk > (1u << 24) ? 1u << 24 : (unsigned)kk;
		}
		k *= t < Opt.trial_ns / 64 ? 16 : 2;
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place; q is 0.5 for the median. */
double
quantile(double *v, size_t n, double q)
{
	double pos, frac;
	size_t i;

	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	return i + 1 < n ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

/* A case's trial times; every round of the schedule adds to them. */
struct samples {
	double *t[2];		/* trial times: [0] reference, [1] ours */
	double *rt;		/* per-pair reference time / our time */
	double *th;		/* limit kernel trials */
	unsigned n, nh;
	unsigned k, kh;		/* operations per trial */
	double group_ns;	/* how long the last group took */
};

static double *
alloc_times(void)
{
	double *v = calloc(Opt.max_pairs, sizeof(double));

	if (v == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	return v;
}

static void
samples_init(struct samples *s, struct bcase *c, struct bcase *h)
{
	s->t[0] = alloc_times();
	s->t[1] = alloc_times();
	s->rt = alloc_times();
	s->th = alloc_times();
	s->k = calibrate(&Side[0], c);
	trial(&Side[1], c, s->k);
	s->kh = h != NULL ? calibrate(NULL, h) : 1;
}

/*
 * Trials run in the order ref, ours, ours, ref, ... so slow drifts of the
 * machine (other load, frequency) hit both sides alike; each adjacent
 * (ref, ours) couple gives one ratio. The library-free kernel h, when
 * given, runs once after each such group of four, under the same
 * conditions, so the fraction of the limit is not skewed by load changes.
 * Runs min_groups, then more while the next one should end within slice_ns.
 */
static void
run_groups(struct samples *s, struct bcase *c, struct bcase *h,
	unsigned min_groups, double slice_ns)
{
	double start = now_ns();
	unsigned g;

	for (g = 0; s->n + 2 <= Opt.max_pairs && (g < min_groups ||
			now_ns() - start + s->group_ns <= slice_ns); g++) {
		double t0 = now_ns();
		double a1 = trial(&Side[0], c, s->k);
		double b1 = trial(&Side[1], c, s->k);
		double b2 = trial(&Side[1], c, s->k);
		double a2 = trial(&Side[0], c, s->k);

		s->t[0][s->n] = a1;
		s->t[1][s->n] = b1;
		s->rt[s->n++] = a1 / b1;
		s->t[0][s->n] = a2;
		s->t[1][s->n] = b2;
		s->rt[s->n++] = a2 / b2;
		if (h != NULL)
			s->th[s->nh++] = trial(NULL, h, s->kh);
		s->group_ns = now_ns() - t0;
	}
}

/* Sorts the samples: call once, after the last round. */
static void
samples_result(struct samples *s, struct result *r)
{
	r->lim_ns = s->nh ? quantile(s->th, s->nh, 0.5) / s->kh : NAN;
	r->pairs = s->n;
	r->ns[0] = quantile(s->t[0], s->n, 0.5) / s->k;
	r->ns[1] = quantile(s->t[1], s->n, 0.5) / s->k;
	r->spread = (quantile(s->rt, s->n, 0.75) -
		quantile(s->rt, s->n, 0.25)) / 2;
	r->ratio = quantile(s->rt, s->n, 0.5);
	free(s->t[0]);
	free(s->t[1]);
	free(s->rt);
	free(s->th);
}

/* Returns non-zero, after reporting it, when either library is wrong. */
static int
check_both(const struct tcase *t, struct bcase *c, const char *sz,
	struct summary *s)
{
	char why[2][256];
	int res[2], rc[2], side;

	for (side = 0; side < 2; side++) {
		Where_side = Side[side].name;
		rc[side] = check_case(&Side[side], c, &res[side], why[side],
			sizeof(why[side]));
	}
	/* results may differ only when the two sides run under different env */
	if (rc[0] == 0 && rc[1] == 0 && res[0] != res[1] &&
			Opt.env_ref.n == 0 && Opt.env_ours.n == 0) {
		rc[1] = -1;
		snprintf(why[1], sizeof(why[1]), "is_pmem result %d, the "
			"reference says %d", res[1], res[0]);
	}
	for (side = 0; side < 2; side++) {
		if (rc[side] == 0)
			continue;
		out("| %s | %s | %s | **FAIL (%s): %s** |\n", t->op->name, sz,
			mis_name(c->mis), Side[side].name, why[side]);
		fprintf(stderr, "\npmembench: FAIL: %s%s: %s\n",
			Side[side].name, Where, why[side]);
		s->failures++;
	}
	return rc[0] || rc[1];
}

/* One case through the whole schedule. */
struct run {
	const struct tcase *t;
	struct bcase c;
	struct bcase h;		/* the limit kernel on the same buffers */
	struct opdef hop;
	int has_limit;
	int failed;
	struct samples s;
	char where[160];
};

static void
run_maps(const struct run *r)
{
	if (r->t->op->nmaps >= 0) {
		set_maps(0, r->t->op->nmaps);
		set_maps(1, r->t->op->nmaps);
	}
}

/* The case's buffers and geometry; where names it for crash reports. */
void
case_init(struct bcase *c, const struct tcase *t, char *src, char *dst,
	char *where, size_t wlen)
{
	char sz[32];

	*c = (struct bcase){ .op = t->op, .size = Sizes[t->si].size,
		.mis = Sizes[t->si].mis, .src = src, .dst = dst };
	c->shift = c->size >= 128 ? 64 : (c->size + 1) / 2;
	if (t->op->dist)
		c->shift = t->op->dist;
	geometry(c->size, &c->stride, &c->nslots);
	if (t->op->hot)
		c->nslots = 1;
	if (t->op->file)
		c->path = map_path(c->size);
	fmt_size(c->size, sz, sizeof(sz));
	snprintf(where, wlen, " %s size %s%s%s", t->op->name, sz,
		c->mis ? " dst" : "", c->mis ? mis_name(c->mis) : "");
}

/* Checks the case on both sides, calibrates, takes the minimum pairs. */
static void
run_setup(struct run *r, const struct tcase *t, char *src, char *dst,
	struct summary *sum)
{
	loop_func lim = best_limit(t->si, t->op->lim);
	struct bcase *c = &r->c;
	char sz[32];

	r->t = t;
	case_init(c, t, src, dst, r->where, sizeof(r->where));
	fmt_size(c->size, sz, sizeof(sz));
	progress("checking and timing%s", r->where);
	Where = r->where;
	run_maps(r);
	r->failed = check_both(t, c, sz, sum);
	if (r->failed)
		return;
	r->h = *c;
	r->h.mis = 0;
	r->h.op = &r->hop;
	r->has_limit = lim != NULL;
	r->hop.loop = lim;
	samples_init(&r->s, c, r->has_limit ? &r->h : NULL);
	run_groups(&r->s, c, r->has_limit ? &r->h : NULL,
		(Opt.min_pairs + 1) / 2, 0);
}

static void
run_more(struct run *r, double slice_ns)
{
	Where = r->where;
	run_maps(r);
	run_groups(&r->s, &r->c, r->has_limit ? &r->h : NULL, 0, slice_ns);
}

static int
run_active(const struct run *r)
{
	return !r->failed && r->s.n + 2 <= Opt.max_pairs;
}

/*
 * First every case gets its checks and minimum pairs (time no budget
 * controls, most of all at 128 MiB); then the time left is shared out in
 * rounds, each case taking an equal slice per round, so no case is left
 * with the minimum because others overran.
 */
static void
schedule(struct run *runs, char *src, char *dst, struct summary *sum,
	double deadline)
{
	unsigned rounds = Opt.quick ? 2 : 4, round;
	size_t i, active;

	note("pmembench: checking %zu cases, %u pairs each", NCases,
		Opt.min_pairs);
	for (i = 0; i < NCases; i++)
		run_setup(&runs[i], &Cases[i], src, dst, sum);
	for (round = 0; round < rounds; round++) {
		double left = deadline - now_ns(), slice;

		for (i = 0, active = 0; i < NCases; i++)
			active += run_active(&runs[i]) ? 1 : 0;
		if (left <= 0 || active == 0)
			break;
		slice = left / (double)active / (double)(rounds - round);
		note("pmembench: round %u of %u, %.0f ms per case", round + 1,
			rounds, slice / 1e6);
		for (i = 0; i < NCases; i++) {
			if (!run_active(&runs[i]))
				continue;
			progress("round %u%s", round + 1, runs[i].where);
			run_more(&runs[i], slice);
		}
	}
	set_maps(0, 0);
	set_maps(1, 0);
	progress("%s", "");
}

static void
report_runs(struct run *runs, struct summary *sum)
{
	size_t i;

	for (i = 0; i < NCases; i++) {
		struct result r;

		free((char *)runs[i].c.path);
		if (runs[i].failed)
			continue;
		samples_result(&runs[i].s, &r);
		print_row(runs[i].t, &r);
		note_result(sum, runs[i].t, &r);
	}
}

void
run_all(char *src, char *dst, struct summary *sum, double deadline)
{
	struct run *runs = calloc(NCases, sizeof(*runs));

	if (runs == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	schedule(runs, src, dst, sum, deadline);
	report_runs(runs, sum);
	free(runs);
}

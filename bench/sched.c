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


/*
 * Other processes share the CPUs: a trial during which the scheduler took
 * the CPU away measures them, not the library, so it is run again. Only
 * trials expected to be short are, and only 3 times: under load a long
 * one (a single 128 MiB copy) is rarely left alone, and the median absorbs
 * the rest.
 */
double
trial(struct bench *bn, const struct lib *l, struct bcase *c, unsigned k)
{
	unsigned attempt;

	bn->trials++;
	where_set_side(l ? l->name : "hardware kernel");
	for (attempt = 0;; attempt++) {
		long cs = preemptions();
		double t0 = now_ns(), t;

		c->op->loop(l, c, k);
		t = now_ns() - t0;
		if (preemptions() == cs)
			return t;
		if (attempt == 3 || k * c->est_ns > 4 * bn->opt.trial_ns) {
			bn->preempted++;
			return t;
		}
		bn->retried++;
	}
}

/* Picks the repeat count that makes one trial about --trial-us long. */
unsigned
calibrate(struct bench *bn, const struct lib *l, struct bcase *c)
{
	unsigned k = 1;

	for (;;) {
		double t = trial(bn, l, c, k), kk;

		if (t >= bn->opt.trial_ns / 2 || k >= (1u << 24)) {
			c->est_ns = t / k;
			kk = (double)k * bn->opt.trial_ns / (t > 1 ? t : 1);
			if (kk < 1)
				kk = 1;
			return kk > (1u << 24) ? 1u << 24 : (unsigned)kk;
		}
		k *= t < bn->opt.trial_ns / 64 ? 16 : 2;
	}
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
alloc_times(struct bench *bn)
{
	double *v = calloc(bn->opt.max_pairs, sizeof(double));

	if (v == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	return v;
}

static void
samples_init(struct bench *bn, struct samples *s, struct bcase *c,
	struct bcase *h)
{
	s->t[0] = alloc_times(bn);
	s->t[1] = alloc_times(bn);
	s->rt = alloc_times(bn);
	s->th = alloc_times(bn);
	s->k = calibrate(bn, &bn->side[0], c);
	trial(bn, &bn->side[1], c, s->k);
	s->kh = h != NULL ? calibrate(bn, NULL, h) : 1;
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
run_groups(struct bench *bn, struct samples *s, struct bcase *c,
	struct bcase *h, unsigned min_groups, double slice_ns)
{
	double start = now_ns();
	unsigned g;

	for (g = 0; s->n + 2 <= bn->opt.max_pairs && (g < min_groups ||
			now_ns() - start + s->group_ns <= slice_ns); g++) {
		double t0 = now_ns();
		double a1 = trial(bn, &bn->side[0], c, s->k);
		double b1 = trial(bn, &bn->side[1], c, s->k);
		double b2 = trial(bn, &bn->side[1], c, s->k);
		double a2 = trial(bn, &bn->side[0], c, s->k);

		s->t[0][s->n] = a1;
		s->t[1][s->n] = b1;
		s->rt[s->n++] = a1 / b1;
		s->t[0][s->n] = a2;
		s->t[1][s->n] = b2;
		s->rt[s->n++] = a2 / b2;
		if (h != NULL)
			s->th[s->nh++] = trial(bn, NULL, h, s->kh);
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
check_both(struct bench *bn, const struct tcase *t, struct bcase *c,
	const char *sz, struct summary *s)
{
	char why[2][256];
	int res[2], rc[2], side;

	for (side = 0; side < 2; side++) {
		where_set_side(bn->side[side].name);
		rc[side] = check_case(&bn->side[side], c, &res[side], why[side],
			sizeof(why[side]));
	}
	/* results may differ only when the two sides run under different env */
	if (rc[0] == 0 && rc[1] == 0 && res[0] != res[1] &&
			bn->opt.env_ref.n == 0 && bn->opt.env_ours.n == 0) {
		rc[1] = -1;
		snprintf(why[1], sizeof(why[1]), "is_pmem result %d, the "
			"reference says %d", res[1], res[0]);
	}
	for (side = 0; side < 2; side++) {
		if (rc[side] == 0)
			continue;
		out("| %s | %s | %s | **FAIL (%s): %s** |\n", t->op->name, sz,
			mis_name(c->mis), bn->side[side].name, why[side]);
		fprintf(stderr, "\npmembench: FAIL: %s%s: %s\n",
			bn->side[side].name, where_what(), why[side]);
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
run_maps(struct bench *bn, const struct run *r)
{
	if (r->t->op->nmaps >= 0) {
		set_maps(bn, 0, r->t->op->nmaps);
		set_maps(bn, 1, r->t->op->nmaps);
	}
}

/* The case's buffers and geometry; where names it for crash reports. */
void
case_init(struct bench *bn, struct bcase *c, const struct tcase *t, char *src,
	char *dst, char *where, size_t wlen)
{
	char sz[32];

	*c = (struct bcase){ .op = t->op, .size = bn->sizes[t->si].size,
		.mis = bn->sizes[t->si].mis, .src = src, .dst = dst };
	c->shift = c->size >= 128 ? 64 : (c->size + 1) / 2;
	if (t->op->dist)
		c->shift = t->op->dist;
	if (t->op->dist_div)
		c->shift = c->size / t->op->dist_div;
	geometry(bn, c->size, c->shift, &c->stride, &c->nslots);
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
run_setup(struct bench *bn, struct run *r, const struct tcase *t, char *src,
	char *dst, struct summary *sum)
{
	loop_func lim = best_limit(bn, t->si, t->op->lim);
	struct bcase *c = &r->c;
	char sz[32];

	r->t = t;
	case_init(bn, c, t, src, dst, r->where, sizeof(r->where));
	fmt_size(c->size, sz, sizeof(sz));
	progress("checking and timing%s", r->where);
	where_set_what(r->where);
	run_maps(bn, r);
	r->failed = check_both(bn, t, c, sz, sum);
	if (r->failed)
		return;
	r->h = *c;
	r->h.mis = 0;
	r->h.op = &r->hop;
	r->has_limit = lim != NULL;
	r->hop.loop = lim;
	samples_init(bn, &r->s, c, r->has_limit ? &r->h : NULL);
	run_groups(bn, &r->s, c, r->has_limit ? &r->h : NULL,
		(bn->opt.min_pairs + 1) / 2, 0);
}

static void
run_more(struct bench *bn, struct run *r, double slice_ns)
{
	where_set_what(r->where);
	run_maps(bn, r);
	run_groups(bn, &r->s, &r->c, r->has_limit ? &r->h : NULL, 0, slice_ns);
}

static int
run_active(const struct bench *bn, const struct run *r)
{
	return !r->failed && r->s.n + 2 <= bn->opt.max_pairs;
}

/*
 * First every case gets its checks and minimum pairs (time no budget
 * controls, most of all at 128 MiB); then the time left is shared out in
 * rounds, each case taking an equal slice per round, so no case is left
 * with the minimum because others overran.
 */
static void
schedule(struct bench *bn, struct run *runs, char *src, char *dst,
	struct summary *sum, double deadline)
{
	unsigned rounds = bn->opt.quick ? 2 : 4, round;
	size_t i, active;

	note("pmembench: checking %zu cases, %u pairs each", bn->ncases,
		bn->opt.min_pairs);
	for (i = 0; i < bn->ncases; i++)
		run_setup(bn, &runs[i], &bn->cases[i], src, dst, sum);
	for (round = 0; round < rounds; round++) {
		double left = deadline - now_ns(), slice;

		for (i = 0, active = 0; i < bn->ncases; i++)
			active += run_active(bn, &runs[i]) ? 1 : 0;
		if (left <= 0 || active == 0)
			break;
		slice = left / (double)active / (double)(rounds - round);
		note("pmembench: round %u of %u, %.0f ms per case", round + 1,
			rounds, slice / 1e6);
		for (i = 0; i < bn->ncases; i++) {
			if (!run_active(bn, &runs[i]))
				continue;
			progress("round %u%s", round + 1, runs[i].where);
			run_more(bn, &runs[i], slice);
		}
	}
	set_maps(bn, 0, 0);
	set_maps(bn, 1, 0);
	progress("%s", "");
}

static void
report_runs(struct bench *bn, struct run *runs, struct summary *sum)
{
	size_t i;

	for (i = 0; i < bn->ncases; i++) {
		struct result r;

		free((char *)runs[i].c.path);
		if (runs[i].failed)
			continue;
		samples_result(&runs[i].s, &r);
		print_row(bn, runs[i].t, &r);
		note_result(bn, sum, runs[i].t, &r);
	}
}

void
run_all(struct bench *bn, char *src, char *dst, struct summary *sum,
	double deadline)
{
	struct run *runs = calloc(bn->ncases, sizeof(*runs));

	if (runs == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	schedule(bn, runs, src, dst, sum, deadline);
	report_runs(bn, runs, sum);
	free(runs);
}

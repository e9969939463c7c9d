/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The extra passes: our default against ours forced to each other kernel
 * family and streaming choice, and ours against the reference under each of
 * its settings. Each loads more instances of a library, with their own
 * environment, next to the two sides of the main table.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define MAX_CONT 12
#define MISS_RATIO 1.03		/* default/fastest: the choice pass's bar */
#define REF_FLOOR 0.97		/* best reference setting / ours */
/*
 * Larger cases are checked by the main pass only: filling and comparing
 * 128 MiB once per forced setting would take most of the pass.
 */
#define CHECK_MAX (16 * MIB)
/* Named ratios in a summary line, at most. */
#define MAX_NAMED 40

/* One contender: a library instance and how the cases call it. */
struct contender {
	const char *label;	/* column header: "AVX=0" */
	const char *env;	/* "PMEM_AVX=0"; NULL: no setting of its own */
	const char *what;	/* for the legend */
	unsigned flags;		/* memmove cases: pmem_memmove flags */
	int moves_only;		/* applies to the memmove cases only */
	struct lib own;		/* loaded for this pass when env is set */
	const struct lib *l;	/* own, or a side of the main table */
	char *chose;		/* what it chose at load, when known */
	int same;		/* chose as the base did: runs its code */
};

/* One case of a pass and its trial times, [round][contender]. */
struct pcase {
	const struct tcase *t;
	struct bcase c;
	char where[160];
	int failed;
	unsigned k;		/* operations per trial */
	unsigned n;		/* rounds taken */
	double round_ns;	/* how long the last round took */
	double *times;		/* two trials per contender and round, summed */
};

struct pass {
	/*
	 * choices: cells are default time / contender time, the highest
	 * wins; reference settings: contender time / our time, the lowest
	 * is the reference's best
	 */
	int choices;
	struct contender v[MAX_CONT];	/* [0]: the base, our default */
	unsigned nv;
	char skipped[512];		/* settings the CPU makes pointless */
	struct pcase *pc;
	size_t npc;
};

static int
applies(const struct contender *v, const struct pcase *pc)
{
	return !v->moves_only || pc->t->op->move;
}

static void
skip_note(struct pass *p, const char *env, const char *why)
{
	size_t n = strlen(p->skipped);

	snprintf(p->skipped + n, sizeof(p->skipped) - n, "%s`%s` (%s)",
		n ? ", " : "", env, why);
}

/* Adds a contender when the CPU makes it meaningful, else a SKIP note. */
static void
add(struct pass *p, int ok, const char *why_not, struct contender v)
{
	if (!ok) {
		skip_note(p, v.env, why_not);
		return;
	}
	p->v[p->nv++] = v;
}

static void
choice_contenders(struct bench *bn, struct pass *p)
{
	const int x86 = bn->cpu.x86;

	p->v[p->nv++] = (struct contender){ .label = "default",
		.l = &bn->side[1] };
	add(p, x86 && bn->cpu.avx2, x86 ? "no AVX2: SSE2 is the default" :
		"not x86", (struct contender){ .label = "AVX=0",
		.env = "PMEM_AVX=0", .what = "the SSE2 kernels" });
	add(p, x86 && bn->cpu.avx512f, "no AVX-512F: AVX2 or less is the "
		"default", (struct contender){ .label = "AVX512F=0",
		.env = "PMEM_AVX512F=0", .what = "the AVX2 kernels" });
	add(p, x86 && bn->cpu.avx512f, "no AVX-512F",
		(struct contender){ .label = "AVX512F=1",
		.env = "PMEM_AVX512F=1", .what = "the AVX-512F kernels, "
		"where a per-CPU policy may prefer AVX2" });
	add(p, x86 && bn->cpu.movdir64b, "no MOVDIR64B",
		(struct contender){ .label = "MOVDIR64B=1",
		.env = "PMEM_MOVDIR64B=1", .what = "MOVDIR64B for streaming "
		"copies" });
	add(p, x86 && bn->cpu.movdir64b, "no MOVDIR64B",
		(struct contender){ .label = "MOVDIR64B=0",
		.env = "PMEM_MOVDIR64B=0", .what = "never MOVDIR64B, where a "
		"per-CPU policy may prefer it" });
	add(p, 1, "", (struct contender){ .label = "NT=0",
		.env = "PMEM_MOVNT_THRESHOLD=0", .what = "every unflagged copy "
		"and set streams" });
	add(p, 1, "", (struct contender){ .label = "NT=1T",
		.env = "PMEM_MOVNT_THRESHOLD=1099511627776", .what = "no "
		"unflagged copy or set below 1 TiB streams" });
	add(p, 1, "", (struct contender){ .label = "F_NT",
		.env = NULL, .flags = PMEM_F_MEM_NONTEMPORAL, .moves_only = 1,
		.l = &bn->side[1], .what = "memmove cases only: "
		"pmem_memmove(d, s, n, PMEM_F_MEM_NONTEMPORAL) on the default "
		"library" });
	add(p, 1, "", (struct contender){ .label = "F_T",
		.env = NULL, .flags = PMEM_F_MEM_TEMPORAL, .moves_only = 1,
		.l = &bn->side[1], .what = "memmove cases only: "
		"pmem_memmove(d, s, n, PMEM_F_MEM_TEMPORAL) on the default "
		"library" });
}

/* --contenders: keeps the default and the settings the list names */
static void
keep_listed(const struct bench *bn, struct pass *p)
{
	unsigned i, n = 1;

	if (bn->opt.contenders == NULL)
		return;
	for (i = 1; i < p->nv; i++)
		if (list_has(bn->opt.contenders, p->v[i].label))
			p->v[n++] = p->v[i];
	p->nv = n;
}

static void
refset_contenders(struct bench *bn, struct pass *p)
{
	const int x86 = bn->cpu.x86;

	p->v[p->nv++] = (struct contender){ .label = "ours",
		.l = &bn->side[1] };
	p->v[p->nv++] = (struct contender){ .label = "ref default",
		.l = &bn->side[0], .what = "the reference as loaded for "
		"the main table" };
	add(p, x86 && bn->cpu.avx512f, "no AVX-512F: the default already "
		"avoids it", (struct contender){ .label = "ref AVX512F=0",
		.env = "PMEM_AVX512F=0", .what = "its AVX2 kernels" });
	add(p, x86 && bn->cpu.avx2, "no AVX2: the default is already SSE2",
		(struct contender){ .label = "ref AVX=0",
		.env = "PMEM_AVX=0", .what = "its SSE2 kernels" });
	add(p, x86 && bn->cpu.movdir64b, "no MOVDIR64B",
		(struct contender){ .label = "ref MOVDIR64B=1",
		.env = "PMEM_MOVDIR64B=1", .what = "its MOVDIR64B copies" });
}

/*
 * Each instance gets the main table's environment for its side, then its
 * own setting on top (env_apply sets the second list last).
 */
static int
load_contenders(struct bench *bn, struct pass *p)
{
	const struct envlist *side = p->choices ? &bn->opt.env_ours :
		&bn->opt.env_ref;
	const char *path = p->choices ? bn->opt.ours : bn->opt.ref;
	struct envlist base = { 0 };
	unsigned i;
	size_t j;

	for (j = 0; j < bn->opt.env_both.n; j++)
		env_add(&base, bn->opt.env_both.v[j]);
	for (j = 0; j < side->n; j++)
		env_add(&base, side->v[j]);
	/*
	 * A contender that chose as the default did runs the same code: its
	 * cells measure noise, and it cannot be the fastest.
	 */
	if (p->choices)
		p->v[0].chose = lib_describe(path, &base, NULL);
	for (i = 0; i < p->nv; i++) {
		struct contender *v = &p->v[i];
		struct envlist own = { &v->env, 1 };

		if (v->env == NULL)
			continue;
		if (p->v[0].chose != NULL) {
			v->chose = lib_describe(path, &base, v->env);
			v->same = v->chose != NULL &&
				strcmp(v->chose, p->v[0].chose) == 0;
		}
		if (lib_load(&v->own, v->label, path, &base, &own) != 0) {
			free(base.v);
			return -1;
		}
		v->l = &v->own;
	}
	free(base.v);
	return 0;
}

static void
unload_contenders(struct pass *p)
{
	unsigned i;

	for (i = 0; i < p->nv; i++) {
		if (p->v[i].env != NULL)
			lib_unload(&p->v[i].own);
		free(p->v[i].chose);
	}
}

/* Every contender must be right before its time means anything. */
static int
check_all(struct pass *p, struct pcase *pc, struct summary *sum)
{
	unsigned i;
	int res, bad = 0;
	char why[256];

	if (pc->c.size > CHECK_MAX)
		return 0;
	for (i = 0; i < p->nv; i++) {
		const struct contender *v = &p->v[i];

		if (!applies(v, pc))
			continue;
		pc->c.flags = v->flags;
		where_set_side(v->l->name);
		if (check_case(v->l, &pc->c, &res, why, sizeof(why)) == 0)
			continue;
		out("\n**FAIL (%s):%s: %s**\n", v->label, pc->where, why);
		fprintf(stderr, "\npmembench: FAIL: %s%s: %s\n", v->label,
			pc->where, why);
		sum->failures++;
		bad = 1;
	}
	pc->c.flags = 0;
	return bad;
}

/*
 * One round runs each contender twice, in the order 0, 1, ..., n-1, n-1,
 * ..., 0: every contender's two trials sit around the same midpoint, so a
 * slow drift of the machine weighs on all of them alike.
 */
static void
run_round(struct bench *bn, struct pass *p, struct pcase *pc)
{
	double *row = pc->times + (size_t)pc->n * p->nv, t0 = now_ns();
	unsigned pos, n2 = 2 * p->nv;

	for (pos = 0; pos < p->nv; pos++)
		row[pos] = 0;
	for (pos = 0; pos < n2; pos++) {
		unsigned i = pos < p->nv ? pos : n2 - 1 - pos;

		if (!applies(&p->v[i], pc))
			continue;
		pc->c.flags = p->v[i].flags;
		row[i] += trial(bn, p->v[i].l, &pc->c, pc->k);
	}
	pc->c.flags = 0;
	pc->n++;
	pc->round_ns = now_ns() - t0;
}

static void
run_rounds(struct bench *bn, struct pass *p, struct pcase *pc, unsigned min,
	double slice_ns)
{
	double start = now_ns();
	unsigned r;

	where_set_what(pc->where);
	for (r = 0; pc->n < bn->opt.pass_rounds[1] && (r < min ||
			now_ns() - start + pc->round_ns <= slice_ns); r++)
		run_round(bn, p, pc);
}

static int
setup_case(struct bench *bn, struct pass *p, struct pcase *pc,
	const struct tcase *t, char *src, char *dst, struct summary *sum)
{
	pc->t = t;
	case_init(bn, &pc->c, t, src, dst, pc->where, sizeof(pc->where));
	where_set_what(pc->where);
	progress("checking%s", pc->where);
	pc->failed = check_all(p, pc, sum);
	if (pc->failed)
		return -1;
	pc->times = calloc((size_t)bn->opt.pass_rounds[1] * p->nv,
		sizeof(double));
	if (pc->times == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	pc->k = calibrate(bn, p->v[0].l, &pc->c);
	run_rounds(bn, p, pc, bn->opt.pass_rounds[0], 0);
	return 0;
}

/* Minimum rounds for every case first, then the time left in 2 shares. */
static void
schedule(struct bench *bn, struct pass *p, char *src, char *dst,
	struct summary *sum, double deadline)
{
	size_t i, active;
	unsigned round;

	for (i = 0; i < bn->ncases; i++)
		if (bn->cases[i].op->choice)
			setup_case(bn, p, &p->pc[p->npc++], &bn->cases[i], src,
				dst,
				sum);
	for (round = 0; round < 2; round++) {
		double left = deadline - now_ns();

		for (i = 0, active = 0; i < p->npc; i++)
			active += !p->pc[i].failed &&
				p->pc[i].n < bn->opt.pass_rounds[1];
		if (left <= 0 || active == 0)
			break;
		for (i = 0; i < p->npc; i++) {
			if (p->pc[i].failed)
				continue;
			progress("%s round %u%s", p->choices ? "choices" :
				"reference settings", round + 1,
				p->pc[i].where);
			run_rounds(bn, p, &p->pc[i], 0,
				left / (double)active / (2 - round));
		}
	}
	progress("%s", "");
}

/* Median and half the IQR over rounds of the cell's ratio. */
static void
cell(const struct pass *p, const struct pcase *pc, unsigned i, double *med,
	double *spread)
{
	double r[pc->n ? pc->n : 1];
	unsigned j;

	for (j = 0; j < pc->n; j++) {
		const double *row = pc->times + (size_t)j * p->nv;

		r[j] = p->choices ? row[0] / row[i] : row[i] / row[0];
	}
	*med = quantile(r, pc->n, 0.5);
	*spread = (quantile(r, pc->n, 0.75) - quantile(r, pc->n, 0.25)) / 2;
}

static double
base_ns(const struct pass *p, const struct pcase *pc)
{
	double t[pc->n ? pc->n : 1];
	unsigned j;

	for (j = 0; j < pc->n; j++)
		t[j] = pc->times[(size_t)j * p->nv];
	return quantile(t, pc->n, 0.5) / 2 / pc->k;
}

/* What a pass's rows add up to, for its summary line. */
struct tally {
	unsigned n, nbad, nclear;
	double logsum;
	char named[MAX_NAMED][128];
};

static int
has_line(const char *text, const char *line, size_t len)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		if (n == len && memcmp(text, line, len) == 0)
			return 1;
		text += n + (text[n] == '\n');
	}
	return 0;
}

/* The lines of what a contender chose that differ from the default's. */
static void
print_changes(const char *base, const char *mine)
{
	const char *l = mine;
	int n = 0;

	while (*l != '\0') {
		size_t len = strcspn(l, "\n"), skip = strspn(l, " ");

		if (!has_line(base, l, len) && len > skip)
			out("%s%.*s", n++ ? "; " : " (chooses: ",
				(int)(len - skip), l + skip);
		l += len + (l[len] == '\n');
	}
	if (n)
		out(")");
}

static void
pass_head(const struct pass *p)
{
	unsigned i;

	if (p->v[0].chose != NULL)
		out("The default chose at load time (the library run as a "
			"program):\n\n```\n%s```\n\n", p->v[0].chose);
	for (i = 1; i < p->nv; i++) {
		out("- `%s`: %s%s%s%s", p->v[i].label,
			p->v[i].env ? "`" : "", p->v[i].env ? p->v[i].env : "",
			p->v[i].env ? "`: " : "", p->v[i].what);
		if (p->v[i].same)
			out("; **chooses as the default does here**: its "
				"cells, in parentheses, measure noise and it "
				"is never the fastest");
		else if (p->v[i].chose != NULL)
			print_changes(p->v[0].chose, p->v[i].chose);
		out("\n");
	}
	if (p->skipped[0])
		out("\nSKIP (not meaningful on this CPU): %s\n", p->skipped);
	out("\n| operation | size | dst align | %s time/op |",
		p->choices ? "default" : "ours");
	for (i = 1; i < p->nv; i++)
		out(" %s |", p->v[i].label);
	out(" %s | %s | +- | %s | rounds |\n|---|---:|---:|---:|",
		p->choices ? "fastest" : "best setting",
		p->choices ? "default/fastest" : "best ref/ours",
		p->choices ? "within 3%" : ">= 0.97");
	for (i = 1; i < p->nv; i++)
		out("---:|");
	out("---|---:|---:|---|---:|\n");
}

static void
pass_row(const struct bench *bn, const struct pass *p, const struct pcase *pc,
	struct tally *ty, struct summary *sum)
{
	const struct size_spec *sp = &bn->sizes[pc->t->si];
	double best = NAN, best_sp = 0, m, s;
	unsigned i, bi = 0;
	char sz[32], tm[32], name[96];
	int bad;

	out("| %s | %s | %s | %s |", pc->t->op->name,
		fmt_size(sp->size, sz, sizeof(sz)), mis_name(sp->mis),
		fmt_time(base_ns(p, pc), tm, sizeof(tm)));
	for (i = 1; i < p->nv; i++) {
		if (!applies(&p->v[i], pc)) {
			out(" - |");
			continue;
		}
		cell(p, pc, i, &m, &s);
		out(p->v[i].same ? " (%.3f) |" : " %.3f |", m);
		if (p->v[i].same)
			continue;
		if (isnan(best) || (p->choices ? m > best : m < best)) {
			best = m;
			best_sp = s;
			bi = i;
		}
	}
	if (isnan(best)) {	/* no alternative runs other code */
		out(" - | - | - | yes | %u |\n", pc->n);
		return;
	}
	bad = p->choices ? best > MISS_RATIO : best < REF_FLOOR;
	out(" %s | **%.3f** | %.3f | %s | %u |\n", p->v[bi].label, best,
		best_sp, bad ? (p->choices ? "**MISS**" : "**no**") : "yes",
		pc->n);
	case_name(bn, pc->t, name, sizeof(name));
	ty->n++;
	ty->logsum += log(best);
	if (!p->choices)
		note_refset(bn, &sum->targets, pc->t, best, p->v[bi].label);
	if (!bad)
		return;
	if (p->choices ? best - best_sp > MISS_RATIO :
			best + best_sp < REF_FLOOR)
		ty->nclear++;
	if (ty->nbad < MAX_NAMED)
		snprintf(ty->named[ty->nbad], sizeof(ty->named[0]),
			"%s (%.3f, %s)", name, best, p->v[bi].label);
	ty->nbad++;
}

static void
pass_tally(const struct pass *p, const struct tally *ty)
{
	unsigned i;

	if (p->choices)
		out("\n**Choices: %u of %u cases miss** (ours forced to "
			"another setting more than 3%% faster than our "
			"default; %u of them by more than their +-)%s",
			ty->nbad, ty->n, ty->nclear, ty->nbad ? ": " : ".");
	else
		out("\n**Reference settings: geometric mean of best "
			"ref/ours over %u cases: %.3f; %u cases below %.2f** "
			"(%u of them by more than their +-)%s", ty->n,
			ty->n ? exp(ty->logsum / ty->n) : 0, ty->nbad,
			REF_FLOOR, ty->nclear, ty->nbad ? ": " : ".");
	for (i = 0; i < ty->nbad && i < MAX_NAMED; i++)
		out("%s%s", i ? ", " : "", ty->named[i]);
	if (ty->nbad > MAX_NAMED)
		out(" and %u more", ty->nbad - MAX_NAMED);
	out("%s\n", ty->nbad ? "." : "");
}

static void
pass_report(const struct bench *bn, const struct pass *p, struct summary *sum)
{
	struct tally *ty = calloc(1, sizeof(*ty));
	size_t i;

	if (ty == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	pass_head(p);
	for (i = 0; i < p->npc; i++)
		if (!p->pc[i].failed && p->pc[i].n > 0)
			pass_row(bn, p, &p->pc[i], ty, sum);
	pass_tally(p, ty);
	free(ty);
}

static void
pass_intro(const struct bench *bn, const struct pass *p)
{
	if (p->choices)
		out("\n### Our default against our other choices\n\n"
			"Ours as loaded for the main table (\"default\") "
			"against ours loaded again with one setting forced "
			"through the environment, and for the memmove cases "
			"against explicit pmem_memmove() flags, the two "
			"strategies an unflagged overlapping move chooses "
			"between. Each cell: default time / that setting's "
			"time (> 1: the setting is faster than the "
			"default).");
	else
		out("\n### Ours against the reference's settings\n\n"
			"Ours as loaded for the main table against the "
			"reference loaded again under each of its settings. "
			"Each cell: that setting's time / our time (> 1: ours "
			"faster); the best setting is the reference's "
			"fastest for the case.");
	out(" Medians over rounds; each round times every contender twice, "
		"in the order 0, 1, ..., n, n, ..., 1, 0, so slow drifts "
		"cancel. +-: half the interquartile range of the winning "
		"cell's per-round ratios. The time is shared evenly: about "
		"%.0f s for the pass, %u to %u rounds per case. Correctness "
		"is checked for every contender up to %zu MiB. The best of "
		"several noisy cells favours a lucky one: a case past the "
		"bar by less than its +- is a lead to rerun (--filter, "
		"--sizes, --choices-time), not a finding.\n\n",
		bn->opt.pass_s, bn->opt.pass_rounds[0], bn->opt.pass_rounds[1],
		CHECK_MAX / MIB);
}

static void
run_pass(struct bench *bn, int choices, char *src, char *dst,
	struct summary *sum)
{
	struct pass *p = calloc(1, sizeof(*p));
	double deadline = now_ns() + bn->opt.pass_s * 1e9;
	size_t i;

	if (p == NULL || (p->pc = calloc(bn->ncases, sizeof(*p->pc))) == NULL) {
		perror("pmembench: calloc");
		exit(2);
	}
	p->choices = choices;
	if (choices)
		choice_contenders(bn, p);
	else
		refset_contenders(bn, p);
	keep_listed(bn, p);
	pass_intro(bn, p);
	if (load_contenders(bn, p) != 0) {
		out("SKIP: could not load the extra instances (see "
			"stderr).\n");
		sum->failures++;
	} else {
		note("pmembench: %s pass, %u contenders", choices ?
			"choices" : "reference settings", p->nv);
		schedule(bn, p, src, dst, sum, deadline);
		if (p->npc == 0)
			out("SKIP: --filter leaves no copy/set/persist "
				"case.\n");
		else
			pass_report(bn, p, sum);
	}
	unload_contenders(p);
	for (i = 0; i < p->npc; i++) {
		free(p->pc[i].times);
		free((char *)p->pc[i].c.path);
	}
	free(p->pc);
	free(p);
}

void
run_choices(struct bench *bn, char *src, char *dst, struct summary *sum)
{
	run_pass(bn, 1, src, dst, sum);
}

void
run_ref_settings(struct bench *bn, char *src, char *dst, struct summary *sum)
{
	run_pass(bn, 0, src, dst, sum);
}

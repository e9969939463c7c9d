/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The speed targets of the kernels issue, checked against this run's
 * results: the report says which hold on the machine it ran on instead of
 * leaving the reader to scan 200 rows. The thresholds are the issue's.
 */
#include <math.h>
#include <stdio.h>

#include "bench.h"

#define FLOOR_RATIO 0.97	/* every case */
#define GEOMEAN_TARGET 1.15	/* copy/set/persist cases */
#define BIG_COPY_SIZE (1u << 20)
#define BIG_COPY_SHARE 0.95	/* of the best copy loop, same run */
#define WIDE_SIZE 4096		/* the AVX2-only target's sizes ... */
#define WIDE_GEOMEAN 2.0	/* ... and its geometric mean */
/*
 * 1000 mappings vs 1: "no slower" allowing for a logarithmic search, about
 * ten more comparisons on a call of about 20 ns here
 */
#define IS_PMEM_SCALING 1.10
#define IS_PMEM_VS_REF (1 / 1.2)	/* ref/ours, the call cost */

/* "memcpy_persist 4K dst+1": how reports name a case */
void
case_name(const struct bench *bn, const struct tcase *t, char *buf,
	size_t len)
{
	const struct size_spec *sp = &bn->sizes[t->si];
	char sz[32];

	snprintf(buf, len, "%s %s%s%s", t->op->name,
		fmt_size(sp->size, sz, sizeof(sz)), sp->mis ? " dst" : "",
		sp->mis ? mis_name(sp->mis) : "");
}

void
note_target(const struct bench *bn, struct targets *g, const struct tcase *t,
	const struct result *r)
{
	const struct size_spec *sp = &bn->sizes[t->si];
	char name[96];

	case_name(bn, t, name, sizeof(name));
	if (r->ratio < FLOOR_RATIO) {
		if (g->nlow < TARGET_NAMES)
			snprintf(g->low[g->nlow], sizeof(g->low[0]),
				"%s (%.3f +- %.3f)", name, r->ratio,
				r->spread);
		g->nlow++;
		/*
		 * a VM drifts by a few percent between runs: count the misses
		 * that stand out of their own case's spread
		 */
		if (r->ratio + r->spread < FLOOR_RATIO)
			g->nlow_clear++;
	}
	/*
	 * The ceiling: this case's ratio had ours run at 100% of its in-run
	 * limit (ref time / limit time); a case already past its limit
	 * counts as it ran, so the ceiling is never below the geomean.
	 */
	if (t->op->summary && !isnan(r->lim_ns)) {
		double share = r->lim_ns / r->ns[1];
		double at_limit = log(r->ratio / (share < 1 ? share : 1));

		g->ceil_logsum += at_limit;
		/*
		 * A second ceiling keeps the cases whose limit does what they
		 * may not as they ran: the copy loops stream between two
		 * buffers, where a TEMPORAL copy must store through the cache
		 * and an overlapping move stores onto lines it has just read.
		 */
		g->ceil_kept_logsum += t->op->move || t->op->temporal ?
			log(r->ratio) : at_limit;
		g->nceil++;
	}
	if (t->op->summary && sp->size >= WIDE_SIZE) {
		g->wide_logsum += log(r->ratio);
		g->nwide++;
	}
	if (t->op->big_copy && sp->size >= BIG_COPY_SIZE && !isnan(r->lim_ns)) {
		double share = r->lim_ns / r->ns[1];

		if (g->nbig == 0 || share < g->big_min) {
			g->big_min = share;
			snprintf(g->big_name, sizeof(g->big_name), "%s", name);
		}
		g->nbig++;
	}
	if (t->op->nmaps > 0) {	/* the is_pmem cases */
		int many = t->op->nmaps > 1;

		g->is_pmem_ns[many][0][t->si] = r->ns[0];
		g->is_pmem_ns[many][1][t->si] = r->ns[1];
		if (g->nis_pmem == 0 || r->ratio < g->is_pmem_ref_min)
			g->is_pmem_ref_min = r->ratio;
		g->nis_pmem++;
	}
}

/* From the reference-settings pass: ratio = best setting's time / ours. */
void
note_refset(const struct bench *bn, struct targets *g, const struct tcase *t,
	double ratio, const char *setting)
{
	char name[96];

	g->nrefset++;
	if (ratio >= FLOOR_RATIO)
		return;
	case_name(bn, t, name, sizeof(name));
	if (g->nref_low < TARGET_NAMES)
		snprintf(g->ref_low[g->nref_low], sizeof(g->ref_low[0]),
			"%s (%.3f, %s)", name, ratio, setting);
	g->nref_low++;
}

static const char *
holds(int ok)
{
	return ok ? "yes" : "**no**";
}

static void
print_low(const char (*low)[TARGET_NAME_LEN], unsigned n)
{
	unsigned i;

	if (n == 0)
		out("none below");
	for (i = 0; i < n && i < TARGET_NAMES; i++)
		out("%s%s", i ? ", " : "", low[i]);
	if (n > TARGET_NAMES)
		out(" and %u more", n - TARGET_NAMES);
}

void
print_targets(const struct targets *g, double geomean, unsigned nsum)
{
	unsigned i;

	out("\n### Targets\n\n");
	out("The kernels issue's targets, held against the rows above. "
		"Figures from a 2-CPU virtual machine move by a few percent "
		"between runs.\n\n");
	out("| target | this run | holds |\n|---|---|---|\n");

	out("| every case: ref/ours >= %.2f against the reference's default "
		"| ", FLOOR_RATIO);
	print_low(g->low, g->nlow);
	if (g->nlow)
		out("; %u of the %u by more than their +-", g->nlow_clear,
			g->nlow);
	out(" | %s |\n", holds(g->nlow == 0));
	if (g->nrefset) {
		out("| every case: ref/ours >= %.2f against the reference's "
			"best setting for that case (reference-settings "
			"pass, %u cases) | ", FLOOR_RATIO, g->nrefset);
		print_low(g->ref_low, g->nref_low);
		out(" | %s |\n", holds(g->nref_low == 0));
	} else {
		out("| every case: ref/ours >= %.2f against the reference's "
			"best setting | not measured (pass skipped) | - |\n",
			FLOOR_RATIO);
	}

	if (nsum) {
		out("| geometric mean of the copy/set/persist cases >= %.2f "
			"| %.3f; ceiling ", GEOMEAN_TARGET, geomean);
		if (g->nceil)
			out("%.3f (every case at 100%% of its limit, %u "
				"cases); %.3f with the overlapping moves and "
				"temporal copies as they ran (their limits "
				"stream between two buffers)",
				exp(g->ceil_logsum / g->nceil), g->nceil,
				exp(g->ceil_kept_logsum / g->nceil));
		else
			out("n/a (no limits measured)");
		out(" | %s |\n", holds(geomean >= GEOMEAN_TARGET));
	}

	if (g->nbig)
		out("| copies (memcpy_persist, memcpy_nodrain+drain, "
			"memcpy_nt) of 1 MiB and more: >= %.0f%% of the best "
			"copy loop | lowest %.0f%% (%s) | %s |\n",
			100 * BIG_COPY_SHARE, 100 * g->big_min, g->big_name,
			holds(g->big_min >= BIG_COPY_SHARE));
	else
		out("| copies of 1 MiB and more: >= %.0f%% of the best copy "
			"loop | not measured (no limits, or no such size) "
			"| - |\n", 100 * BIG_COPY_SHARE);

	if (g->nwide) {
		double m = exp(g->wide_logsum / g->nwide);

		out("| geometric mean over sizes >= 4 KiB >= %.1f (the "
			"AVX2-only target: an AVX-512 CPU run with "
			"`--env-both PMEM_AVX512F=0`; elsewhere both sides "
			"already run their best path) | %.3f over %u cases "
			"| %s |\n", WIDE_GEOMEAN, m, g->nwide,
			holds(m >= WIDE_GEOMEAN));
	}

	/*
	 * The call costs the same at every size, so the sizes are repeats:
	 * their geometric mean steadies a comparison of medians taken
	 * minutes apart. The reference's own figure shows the drift.
	 */
	double logq[2] = { 0, 0 };
	unsigned n = 0;

	for (i = 0; i < MAX_SIZES; i++) {
		if (g->is_pmem_ns[0][1][i] > 0 && g->is_pmem_ns[1][1][i] > 0) {
			for (int side = 0; side < 2; side++)
				logq[side] += log(g->is_pmem_ns[1][side][i] /
					g->is_pmem_ns[0][side][i]);
			n++;
		}
	}
	if (n) {
		double ours = exp(logq[1] / n), ref = exp(logq[0] / n);

		out("| ours: is_pmem with 1000 mappings no slower than with "
			"1 beyond a logarithmic search (<= %.2fx; geometric "
			"mean over %u sizes) | %.2fx the 1-mapping time (the "
			"reference: %.2fx) | %s |\n", IS_PMEM_SCALING, n, ours,
			ref, holds(ours <= IS_PMEM_SCALING));
	}
	if (g->nis_pmem)
		out("| is_pmem within 1.2x of the reference's call cost "
			"| ref/ours >= %.2f | %s |\n", g->is_pmem_ref_min,
			holds(g->is_pmem_ref_min >= IS_PMEM_VS_REF));
}

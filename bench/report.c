/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The markdown report: command line, machine, libraries, the results
 * table and the summary lines.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

void
print_cmdline(int argc, char **argv)
{
	int i;

	out("Command: `");
	for (i = 0; i < argc; i++)
		out(strpbrk(argv[i], " \t'\"$") ? "%s'%s'" : "%s%s",
			i ? " " : "", argv[i]);
	out("`\n\n");
}

static void
print_env(const char *side, const struct envlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		out("%s`%s`", i ? ", " : side, l->v[i]);
	if (l->n)
		out("\n");
}

double
loadavg(void)
{
	double v = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f != NULL) {
		if (fscanf(f, "%lf", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

void
print_machine(const struct bench *bn)
{
	struct utsname u;
	char thp[128] = "?";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f != NULL) {
		if (fgets(thp, sizeof(thp), f) == NULL)
			snprintf(thp, sizeof(thp), "?");
		thp[strcspn(thp, "\n")] = '\0';
		fclose(f);
	}
	uname(&u);
	out("Machine: %s, %ld online CPUs, LLC %zu MiB (%s), Linux %s\n\n",
		bn->cpu.model, sysconf(_SC_NPROCESSORS_ONLN), bn->cpu.llc / MIB,
		bn->cpu.llc_from, u.release);
	if (bn->cpu.lib_cpu[0] != '\0' || bn->cpu.lib_model[0] != '\0')
		out("CPU as our libpmem reports it: %s%s%s\n\n",
			bn->cpu.lib_cpu, bn->cpu.lib_cpu[0] &&
			bn->cpu.lib_model[0] ? "; " : "", bn->cpu.lib_model);
	out("CPU flags: avx2 %s, avx512f %s, clwb %s, clflushopt %s, "
		"movdir64b %s, erms %s, fsrm %s (hardware kernels flush "
		"with %s)\n\n",
		bn->cpu.avx2 ? "yes" : "no", bn->cpu.avx512f ? "yes" : "no",
		bn->cpu.clwb ? "yes" : "no", bn->cpu.clflushopt ? "yes" : "no",
		bn->cpu.movdir64b ? "yes" : "no", bn->cpu.erms ? "yes" : "no",
		bn->cpu.fsrm ? "yes" : "no", hw_flush_name());
	out("Transparent huge pages: %s\n\n", thp);
}

void
print_libs(const struct bench *bn, int aa)
{
	char r0[PATH_MAX], r1[PATH_MAX];

	out("Reference: `%s`%s%s\n\n", bn->side[0].path,
		realpath(bn->side[0].path, r0) ? " -> " : "",
		realpath(bn->side[0].path, r0) ? r0 : "");
	out("Ours: `%s`%s%s\n\n", bn->side[1].path,
		realpath(bn->side[1].path, r1) ? " -> " : "",
		realpath(bn->side[1].path, r1) ? r1 : "");
	print_env("Environment, both sides: ", &bn->opt.env_both);
	print_env("Environment, reference only: ", &bn->opt.env_ref);
	print_env("Environment, ours only: ", &bn->opt.env_ours);
	if (aa)
		out("**A/A run: the same library on both sides; every ratio "
			"below measures noise only.**\n\n");
}

void
print_row(const struct bench *bn, const struct tcase *t,
	const struct result *r)
{
	const struct size_spec *sp = &bn->sizes[t->si];
	double lim = r->lim_ns;
	char sz[32], a[32], b[32];
	int i;

	out("| %s | %s | %s | %s | %s |", t->op->name,
		fmt_size(sp->size, sz, sizeof(sz)), mis_name(sp->mis),
		fmt_time(r->ns[0], a, sizeof(a)),
		fmt_time(r->ns[1], b, sizeof(b)));
	for (i = 0; i < 2; i++) {
		if (t->op->lim == LIM_NONE)
			out(" - |");
		else
			out(" %.2f |", (double)sp->size / r->ns[i]);
	}
	for (i = 0; i < 2; i++) {
		if (isnan(lim))
			out(" - |");
		else
			out(" %.0f%% |", 100 * lim / r->ns[i]);
	}
	out(" **%.2f** | %.2f | %u |\n", r->ratio, r->spread, r->pairs);
}

/* a case faster than the work it contains (see struct summary): 1 */
static int
check_floor(const struct bench *bn, struct summary *s, const struct tcase *t,
	const struct result *r)
{
	static const char *const side[2] = { "ref", "ours" };
	char name[96];
	int below = 0;

	if (strcmp(t->op->name, "memcpy_persist") == 0) {
		s->persist_ns[t->si][0] = r->ns[0];
		s->persist_ns[t->si][1] = r->ns[1];
		return 0;
	}
	if (strcmp(t->op->name, "memcpy_persist+read") != 0)
		return 0;
	for (int i = 0; i < 2; i++) {
		double floor = s->persist_ns[t->si][i];

		if (floor == 0 || r->ns[i] >= 0.9 * floor)
			continue;
		if (s->nsuspect < TARGET_NAMES) {
			case_name(bn, t, name, sizeof(name));
			snprintf(s->suspect[s->nsuspect], sizeof(s->suspect[0]),
				"%s (%s %.1f ns, below its memcpy_persist "
				"%.1f ns)", name, side[i], r->ns[i], floor);
		}
		s->nsuspect++;
		below = 1;
	}
	return below;
}

void
note_result(const struct bench *bn, struct summary *s, const struct tcase *t,
	const struct result *r)
{
	/* an artifact counts toward no target */
	if (check_floor(bn, s, t, r))
		return;
	if (t->op->summary) {
		s->logsum += log(r->ratio);
		s->nsum++;
	}
	s->ratios[s->nratio++] = r->ratio;
	note_target(bn, &s->targets, t, r);
	if (s->nratio == 1 || r->ratio < s->worst) {
		s->worst = r->ratio;
		case_name(bn, t, s->worst_name, sizeof(s->worst_name));
	}
	if (s->nratio == 1 || r->ratio > s->best) {
		s->best = r->ratio;
		case_name(bn, t, s->best_name, sizeof(s->best_name));
	}
}

void
print_table_head(const struct bench *bn)
{
	size_t o;

	out("\n### Reference vs ours\n\n");
	out("Per operation and size: median time per operation and GB/s "
		"(bytes of the operation per ns) for each side. "
		"**ref/ours** is the median over adjacent trial pairs of "
		"reference time / our time (> 1: ours faster), +- half the "
		"interquartile range of those ratios. %% of limit: the "
		"fastest persistent kernel of the same kind for that size in "
		"the table above (copy: load+store kernels, memset: stores, "
		"persist and flush: dirty+flush+sfence) is timed again "
		"between the library trials, and its median time is divided "
		"by the library's; dst+1 cases are held against the aligned "
		"kernel, and memmove cases, which stay inside one buffer, "
		"against a copy between two. Sizes >= %zu KiB rotate through "
		"%zu MiB per buffer so they reach memory; smaller ones reuse "
		"a cache-hot buffer. One trial is about %.0f us of work (at "
		"least one operation); a short trial the scheduler preempted "
		"is run again (up to 3 times).\n\n",
		bn->opt.cold_min >> 10, cold_footprint(bn) / MIB,
		bn->opt.trial_ns / 1e3);
	for (o = 0; o < NOps; o++)
		if (filter_match(bn, Ops[o].name))
			out("- `%s`: %s\n", Ops[o].name, Ops[o].what);
	out("\n| operation | size | dst align | ref time/op | ours time/op "
		"| ref GB/s | ours GB/s | ref %% of limit | ours %% of limit "
		"| ref/ours | +- | pairs |\n");
	out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
}

void
print_summary(struct summary *s, int aa)
{
	out("\n");
	if (s->nsum)
		out("**Summary: geometric mean of ref/ours over %u "
			"copy/set/persist cases: %.3f** (> 1: ours faster). ",
			s->nsum, exp(s->logsum / s->nsum));
	if (s->nratio)
		out("Slowest case for ours: %s (%.2f); fastest: %s "
			"(%.2f).\n", s->worst_name, s->worst, s->best_name,
			s->best);
	if (s->nsuspect) {
		out("\n**%u figures below the physical floor of their case** "
			"(faster than the persist they contain: a timing "
			"artifact of this machine, not a library result; rerun "
			"with --filter):", s->nsuspect);
		for (unsigned i = 0; i < s->nsuspect && i < TARGET_NAMES; i++)
			out(" %s%s", s->suspect[i],
				i + 1 < s->nsuspect ? ";" : ".");
		out("\n");
	}
	if (aa && s->nratio) {
		double dev[MAX_CASES];
		unsigned i;

		for (i = 0; i < s->nratio; i++)
			dev[i] = fabs(s->ratios[i] - 1) * 100;
		out("\nA/A noise over %u cases: median |ratio - 1| = %.1f%%, "
			"90th percentile %.1f%%, max %.1f%%.\n", s->nratio,
			quantile(dev, s->nratio, 0.5),
			quantile(dev, s->nratio, 0.9),
			quantile(dev, s->nratio, 1.0));
	}
}

/* Targets (after the extra passes, which add to them) and the run. */
void
print_end(const struct bench *bn, struct summary *s, int aa, double t_start,
	double load0)
{
	if (!aa && s->nratio)
		print_targets(&s->targets,
			s->nsum ? exp(s->logsum / s->nsum) : 0, s->nsum);
	out("\nRun time %.0f s; load average %.2f at start, %.2f at end "
		"(other processes share the CPUs: figures are noisy). "
		"%lu trials, %lu reruns because the scheduler preempted the "
		"trial, %lu preempted trials kept (long, or preempted 4 "
		"times).\n",
		(now_ns() - t_start) / 1e9, load0, loadavg(), bn->trials,
		bn->retried, bn->preempted);
	if (s->failures)
		out("\n**%u correctness check(s) FAILED** (see the rows "
			"above).\n", s->failures);
}


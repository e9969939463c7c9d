/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Side-by-side benchmark of the reference libpmem and ours in one process:
 * main() and the command line. The run's state lives in one struct bench
 * that main() passes down.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char Default_sizes[] =
	"8,64,256,1K,4K,64K,1M,16M,128M,8+1,64+1,256+1,1K+1,4K+1,64K+1,"
	"1M+1,16M+1,128M+1";
static const char Quick_sizes[] = "64,4K+1,64K,1M,16M";

/* the defaults; parse_args() changes them */
static const struct options Default_opt = {
	.total_s = 165,
	.trial_ns = 1e6,
	.min_pairs = 10,
	.max_pairs = 400,
	.lim_trials = 41,
	.cold_min = MIB,
	.passes = PASS_MAIN | PASS_CHOICES | PASS_REFSET,
	.pass_s = 140,
	.pass_rounds = { 3, 40 },
};

/* ---- options ------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
"usage: pmembench --ours PATH [options]\n"
"  --ours PATH       our libpmem.so.1 (required)\n"
"  --ref PATH        reference libpmem.so.1 (default: the system one)\n"
"  --quick           few sizes, short trials (smoke test, < 40 s)\n"
"  --filter LIST     only operations whose name contains one of the\n"
"                    comma-separated words\n"
"  --sizes LIST      e.g. 8,4K,1M+1 (+N: destination misaligned by N)\n"
"  --env-both K=V    set K=V while loading both libraries (repeatable)\n"
"  --env-ref K=V     ... only the reference\n"
"  --env-ours K=V    ... only ours\n"
"  --time SEC        target run time (default 165, quick 14)\n"
"  --trial-us US     work per trial (default 1000)\n"
"  --pairs MIN,MAX   trial pairs per case (default 10,400)\n"
"  --cold-min SIZE   sizes from here on rotate past the LLC (default 1M)\n"
"  --no-limits       skip the hardware-limit measurements\n"
"  --passes LIST     which of main,choices,ref-settings run (default all):\n"
"                    main: reference vs ours; choices: our default vs ours\n"
"                    forced to each other kernel family or streaming\n"
"                    choice; ref-settings: ours vs the reference under\n"
"                    each of its settings\n"
"  --no-choices      --passes main (the table of earlier versions)\n"
"  --choices-only    --passes choices\n"
"  --choices-time SEC  target run time of each extra pass (default 140,\n"
"                    quick 8)\n"
"  --choices-rounds MIN,MAX  rounds per case there (default 3,40)\n"
"  --contenders LIST only these settings of the choices and\n"
"                    reference-settings passes, by column name (e.g.\n"
"                    F_NT,F_T); the default always runs\n"
"  --dir DIR         where to create mapped files (default $TMPDIR, /tmp)\n"
"  --out FILE        also write the report to FILE\n"
"  --cpu-slug        print the name reports of this CPU are kept under in\n"
"                    bench/results/ (e.g.\n"
"                    intel-xeon-f6m167-avx512-movdir64b) and exit\n");
}

static size_t
parse_size(const char *s, char **end)
{
	unsigned long long v = strtoull(s, end, 10);

	switch (**end) {
	case 'G': v <<= 10; /* fallthrough */
	case 'M': v <<= 10; /* fallthrough */
	case 'K': v <<= 10;
		(*end)++;
		break;
	default:
		break;
	}
	return (size_t)v;
}

static void
parse_sizes(struct bench *bn, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;

	bn->nsizes = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		char *end;
		struct size_spec sp = { parse_size(tok, &end), 0 };

		if (*end == '+')
			sp.mis = (unsigned)strtoul(end + 1, &end, 10);
		if (end == tok || *end != '\0' || sp.size == 0 ||
				sp.mis >= CACHELINE ||
				bn->nsizes == MAX_SIZES) {
			fprintf(stderr, "pmembench: bad size '%s'\n", tok);
			exit(2);
		}
		bn->sizes[bn->nsizes++] = sp;
	}
	free(copy);
}

static unsigned
parse_passes(const char *list)
{
	static const char *const names[] = { "main", "choices",
		"ref-settings" };
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned bits = 0, i;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < 3 && strcmp(tok, names[i]) != 0; i++)
			;
		if (i == 3) {
			fprintf(stderr, "pmembench: unknown pass '%s' (want "
				"main, choices or ref-settings)\n", tok);
			exit(2);
		}
		bits |= 1u << i;
	}
	free(copy);
	return bits;
}

static void
parse_pair(const char *arg, unsigned v[2])
{
	char *end;

	v[0] = (unsigned)strtoul(arg, &end, 10);
	if (*end == ',')
		v[1] = (unsigned)strtoul(end + 1, NULL, 10);
}

/* model name and CPUID flags: the slug needs no library */
static void
print_slug(void)
{
	struct cpu c;
	char slug[160];

	cpu_detect(&c, NULL);
	cpu_slug(&c, slug, sizeof(slug));
	printf("%s\n", slug);
}

static void
parse_args(struct bench *bn, int argc, char **argv)
{
	enum { O_REF = 256, O_OURS, O_QUICK, O_FILTER, O_SIZES, O_ENVB,
		O_ENVR, O_ENVO, O_TIME, O_TRIAL, O_PAIRS, O_COLD, O_NOLIM,
		O_DIR, O_OUT, O_PASSES, O_NOCH, O_CHONLY, O_CHTIME,
		O_CHROUNDS, O_CONT, O_SLUG, O_HELP };
	static const struct option lo[] = {
		{ "ref", required_argument, NULL, O_REF },
		{ "ours", required_argument, NULL, O_OURS },
		{ "quick", no_argument, NULL, O_QUICK },
		{ "filter", required_argument, NULL, O_FILTER },
		{ "sizes", required_argument, NULL, O_SIZES },
		{ "env-both", required_argument, NULL, O_ENVB },
		{ "env-ref", required_argument, NULL, O_ENVR },
		{ "env-ours", required_argument, NULL, O_ENVO },
		{ "time", required_argument, NULL, O_TIME },
		{ "trial-us", required_argument, NULL, O_TRIAL },
		{ "pairs", required_argument, NULL, O_PAIRS },
		{ "cold-min", required_argument, NULL, O_COLD },
		{ "no-limits", no_argument, NULL, O_NOLIM },
		{ "dir", required_argument, NULL, O_DIR },
		{ "out", required_argument, NULL, O_OUT },
		{ "passes", required_argument, NULL, O_PASSES },
		{ "no-choices", no_argument, NULL, O_NOCH },
		{ "choices-only", no_argument, NULL, O_CHONLY },
		{ "choices-time", required_argument, NULL, O_CHTIME },
		{ "choices-rounds", required_argument, NULL, O_CHROUNDS },
		{ "contenders", required_argument, NULL, O_CONT },
		{ "cpu-slug", no_argument, NULL, O_SLUG },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c, time_set = 0, pairs_set = 0, ptime_set = 0, rounds_set = 0;
	char *end;
	struct options *o = &bn->opt;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_REF: o->ref = optarg; break;
		case O_OURS: o->ours = optarg; break;
		case O_QUICK: o->quick = 1; break;
		case O_FILTER: o->filter = optarg; break;
		case O_SIZES: o->sizes = optarg; break;
		case O_ENVB: env_add(&o->env_both, optarg); break;
		case O_ENVR: env_add(&o->env_ref, optarg); break;
		case O_ENVO: env_add(&o->env_ours, optarg); break;
		case O_TIME:
			o->total_s = strtod(optarg, NULL);
			time_set = 1;
			break;
		case O_TRIAL: o->trial_ns = strtod(optarg, NULL) * 1e3; break;
		case O_PAIRS:
			o->min_pairs = (unsigned)strtoul(optarg, &end, 10);
			if (*end == ',')
				o->max_pairs = (unsigned)strtoul(end + 1,
					NULL, 10);
			pairs_set = 1;
			break;
		case O_COLD: o->cold_min = parse_size(optarg, &end); break;
		case O_NOLIM: o->no_limits = 1; break;
		case O_DIR: o->dir = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_PASSES: o->passes = parse_passes(optarg); break;
		case O_NOCH: o->passes = PASS_MAIN; break;
		case O_CHONLY: o->passes = PASS_CHOICES; break;
		case O_CHTIME:
			o->pass_s = strtod(optarg, NULL);
			ptime_set = 1;
			break;
		case O_CHROUNDS:
			parse_pair(optarg, o->pass_rounds);
			rounds_set = 1;
			break;
		case O_CONT: o->contenders = optarg; break;
		case O_SLUG: print_slug(); exit(0);
		case O_HELP: usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc || o->ours == NULL) {
		usage(stderr);
		exit(2);
	}
	if (o->quick) {
		if (!time_set)
			o->total_s = 14;
		if (!pairs_set) {
			o->min_pairs = 4;
			o->max_pairs = 100;
		}
		o->lim_trials = 15;
		if (!ptime_set)
			o->pass_s = 8;
		if (!rounds_set) {
			o->pass_rounds[0] = 2;
			o->pass_rounds[1] = 20;
		}
	}
	if (o->pass_rounds[0] < 1)
		o->pass_rounds[0] = 1;
	if (o->pass_rounds[1] < o->pass_rounds[0])
		o->pass_rounds[1] = o->pass_rounds[0];
	if (!(o->passes & PASS_MAIN))
		o->no_limits = 1;	/* only the main table uses them */
	if (o->min_pairs < 2)
		o->min_pairs = 2;
	if (o->max_pairs < o->min_pairs)
		o->max_pairs = o->min_pairs;
	if (o->trial_ns < 1e3)
		o->trial_ns = 1e3;
	if (o->ref == NULL)
		o->ref = default_ref_path();
#if !defined(__x86_64__)
	o->no_limits = 1;
#endif
	parse_sizes(bn, o->sizes ? o->sizes :
		o->quick ? Quick_sizes : Default_sizes);
}
/* Same bytes, not just the same path: a copy of the reference is A/A too. */
static int
same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa != NULL && fb != NULL, ca, cb;

	while (same) {
		ca = getc(fa);
		cb = getc(fb);
		same = ca == cb;
		if (ca == EOF)
			break;
	}
	if (fa != NULL)
		fclose(fa);
	if (fb != NULL)
		fclose(fb);
	return same;
}

/*
 * Reports of a machine are kept under bench/results/, named by its CPU;
 * the run does not write there itself, so a bench run never dirties the
 * source tree.
 */
static void
keep_hint(const struct bench *bn)
{
	char slug[160];

	cpu_slug(&bn->cpu, slug, sizeof(slug));
	note("pmembench: report in %s; to keep it: cp %s "
		"bench/results/%s.md (make -C bench keep)", bn->opt.out,
		bn->opt.out, slug);
}

int
main(int argc, char **argv)
{
	double t_start = now_ns(), load0 = loadavg();
	size_t arena = 0, i;
	char *src, *dst;
	struct summary *s;
	struct bench *bn;
	const struct options *o;
	int aa;

	/* calloc: the case list is too large for the stack */
	bn = calloc(1, sizeof(*bn));
	s = calloc(1, sizeof(*s));
	if (bn == NULL || s == NULL)
		return 2;
	bn->opt = Default_opt;
	bn->huge_how = "none";
	o = &bn->opt;
	parse_args(bn, argc, argv);
	crash_handlers();
	cpu_detect(&bn->cpu, o->ours);
	if (o->out != NULL && out_open(o->out) != 0) {
		perror(o->out);
		return 2;
	}
	if (lib_load(&bn->side[0], "ref", o->ref, &o->env_both,
			&o->env_ref) != 0 ||
			lib_load(&bn->side[1], "ours", o->ours, &o->env_both,
			&o->env_ours) != 0)
		return 1;
	aa = same_file(o->ref, o->ours) && o->env_ref.n == 0 &&
		o->env_ours.n == 0;
	if (files_init(o->dir) != 0)
		return 2;
	build_cases(bn);
	for (i = 0; i < bn->nsizes; i++) {
		size_t stride;
		unsigned n;

		geometry(bn, bn->sizes[i].size,
			move_room(bn->sizes[i].size), &stride, &n);
		if (stride * n > arena)
			arena = stride * n;
		make_map_file(bn->sizes[i].size);
	}
	make_map_file(MAP_LEN_ISPMEM);
	src = alloc_arena(bn, arena);
	dst = alloc_arena(bn, arena);

	out("## libpmem: reference vs ours\n\n");
	print_cmdline(argc, argv);
	print_machine(bn);
	out("Buffers: 2 x %zu MiB, huge pages via %s (%ld MiB of "
		"anonymous memory is huge-page backed).\n\n", arena / MIB,
		bn->huge_how, anon_huge_kib() / 1024);
	print_libs(bn, aa);
	if (o->passes & PASS_MAIN) {
		if (!o->no_limits)
			measure_limits(bn, src, dst);
		if (!o->no_limits)
			print_limits(bn);
		print_table_head(bn);
		run_all(bn, src, dst, s, t_start + o->total_s * 1e9);
		print_summary(s, aa);
	}
	if (o->passes & PASS_CHOICES)
		run_choices(bn, src, dst, s);
	if (o->passes & PASS_REFSET)
		run_ref_settings(bn, src, dst, s);
	print_end(bn, s, aa, t_start, load0);
	if (o->out != NULL) {
		out_close();
		keep_hint(bn);
	}
	return s->failures ? 1 : 0;
}

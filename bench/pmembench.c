/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Side-by-side benchmark of the reference libpmem and ours in one process:
 * options, buffers and files, the list of cases, main().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define HUGE_2M (2 * MIB)
#define MAP_LEN_ISPMEM 4096

static const char Default_sizes[] =
	"8,64,256,1K,4K,64K,1M,16M,128M,8+1,64+1,256+1,1K+1,4K+1,64K+1,"
	"1M+1,16M+1,128M+1";
static const char Quick_sizes[] = "64,4K+1,64K,1M,16M";

struct options Opt = {
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

struct lib Side[2];
struct cpu Cpu;
struct size_spec Sizes[MAX_SIZES];
size_t NSizes;
struct tcase Cases[MAX_CASES];
size_t NCases;
const char *volatile Where_side = "";
const char *volatile Where = "setup";

static FILE *Outf;
static char Tmpdir[PATH_MAX];
static char *Files[MAX_SIZES + 1];	/* created in Tmpdir */
static volatile size_t NFiles;

static void cleanup(void);

/* ---- output -------------------------------------------------------------- */

void
out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (Outf != NULL) {
		va_start(ap, fmt);
		vfprintf(Outf, fmt, ap);
		va_end(ap);
	}
	fflush(stdout);
}

void
progress(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Phase lines for logs; the terminal gets them from progress() as well. */
void
note(const char *fmt, ...)
{
	va_list ap;

	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
fmt_size(size_t s, char *buf, size_t len)
{
	static const char units[] = "KMG";
	int u = -1;

	while (s >= 1024 && s % 1024 == 0 && u < 2) {
		s /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%zu", s);
	else
		snprintf(buf, len, "%zu%c", s, units[u]);
	return buf;
}

const char *
fmt_time(double ns, char *buf, size_t len)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	return buf;
}

static void
crash(int sig)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg),
		"\npmembench: FAIL: signal %d during: %s%s\n", sig,
		Where_side, Where);
	ssize_t w = write(STDERR_FILENO, msg, (size_t)n);

	(void)w;
	cleanup();
	_exit(3);
}

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
"  --dir DIR         where to create mapped files (default $TMPDIR, /tmp)\n"
"  --out FILE        also write the report to FILE\n"
"  --cpu-slug        print the name reports of this CPU are kept under in\n"
"                    bench/results/ (e.g. intel-xeon-avx512-movdir64b) and\n"
"                    exit\n");
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
parse_sizes(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;

	NSizes = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		char *end;
		struct size_spec sp = { parse_size(tok, &end), 0 };

		if (*end == '+')
			sp.mis = (unsigned)strtoul(end + 1, &end, 10);
		if (end == tok || *end != '\0' || sp.size == 0 ||
				sp.mis >= CACHELINE || NSizes == MAX_SIZES) {
			fprintf(stderr, "pmembench: bad size '%s'\n", tok);
			exit(2);
		}
		Sizes[NSizes++] = sp;
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

static void
print_slug(void)
{
	struct cpu c;
	char slug[160];

	cpu_detect(&c);
	cpu_slug(&c, slug, sizeof(slug));
	printf("%s\n", slug);
}

static void
parse_args(int argc, char **argv)
{
	enum { O_REF = 256, O_OURS, O_QUICK, O_FILTER, O_SIZES, O_ENVB,
		O_ENVR, O_ENVO, O_TIME, O_TRIAL, O_PAIRS, O_COLD, O_NOLIM,
		O_DIR, O_OUT, O_PASSES, O_NOCH, O_CHONLY, O_CHTIME,
		O_CHROUNDS, O_SLUG, O_HELP };
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
		{ "cpu-slug", no_argument, NULL, O_SLUG },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	int c, time_set = 0, pairs_set = 0, ptime_set = 0, rounds_set = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_REF: Opt.ref = optarg; break;
		case O_OURS: Opt.ours = optarg; break;
		case O_QUICK: Opt.quick = 1; break;
		case O_FILTER: Opt.filter = optarg; break;
		case O_SIZES: Opt.sizes = optarg; break;
		case O_ENVB: env_add(&Opt.env_both, optarg); break;
		case O_ENVR: env_add(&Opt.env_ref, optarg); break;
		case O_ENVO: env_add(&Opt.env_ours, optarg); break;
		case O_TIME:
			Opt.total_s = strtod(optarg, NULL);
			time_set = 1;
			break;
		case O_TRIAL: Opt.trial_ns = strtod(optarg, NULL) * 1e3; break;
		case O_PAIRS:
			Opt.min_pairs = (unsigned)strtoul(optarg, &end, 10);
			if (*end == ',')
				Opt.max_pairs = (unsigned)strtoul(end + 1,
					NULL, 10);
			pairs_set = 1;
			break;
		case O_COLD: Opt.cold_min = parse_size(optarg, &end); break;
		case O_NOLIM: Opt.no_limits = 1; break;
		case O_DIR: Opt.dir = optarg; break;
		case O_OUT: Opt.out = optarg; break;
		case O_PASSES: Opt.passes = parse_passes(optarg); break;
		case O_NOCH: Opt.passes = PASS_MAIN; break;
		case O_CHONLY: Opt.passes = PASS_CHOICES; break;
		case O_CHTIME:
			Opt.pass_s = strtod(optarg, NULL);
			ptime_set = 1;
			break;
		case O_CHROUNDS:
			parse_pair(optarg, Opt.pass_rounds);
			rounds_set = 1;
			break;
		case O_SLUG: print_slug(); exit(0);
		case O_HELP: usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc || Opt.ours == NULL) {
		usage(stderr);
		exit(2);
	}
	if (Opt.quick) {
		if (!time_set)
			Opt.total_s = 14;
		if (!pairs_set) {
			Opt.min_pairs = 4;
			Opt.max_pairs = 100;
		}
		Opt.lim_trials = 15;
		if (!ptime_set)
			Opt.pass_s = 8;
		if (!rounds_set) {
			Opt.pass_rounds[0] = 2;
			Opt.pass_rounds[1] = 20;
		}
	}
	if (Opt.pass_rounds[0] < 1)
		Opt.pass_rounds[0] = 1;
	if (Opt.pass_rounds[1] < Opt.pass_rounds[0])
		Opt.pass_rounds[1] = Opt.pass_rounds[0];
	if (!(Opt.passes & PASS_MAIN))
		Opt.no_limits = 1;	/* only the main table uses them */
	if (Opt.min_pairs < 2)
		Opt.min_pairs = 2;
	if (Opt.max_pairs < Opt.min_pairs)
		Opt.max_pairs = Opt.min_pairs;
	if (Opt.trial_ns < 1e3)
		Opt.trial_ns = 1e3;
	if (Opt.ref == NULL)
		Opt.ref = default_ref_path();
#if !defined(__x86_64__)
	Opt.no_limits = 1;
#endif
	parse_sizes(Opt.sizes ? Opt.sizes :
		Opt.quick ? Quick_sizes : Default_sizes);
}

int
filter_match(const char *name)
{
	char *copy, *tok, *save = NULL;
	int hit = 0;

	if (Opt.filter == NULL)
		return 1;
	copy = strdup(Opt.filter);
	for (tok = strtok_r(copy, ",", &save); tok != NULL && !hit;
			tok = strtok_r(NULL, ",", &save))
		hit = strstr(name, tok) != NULL;
	free(copy);
	return hit;
}

/* ---- memory -------------------------------------------------------------- */

size_t
cold_footprint(void)
{
	size_t f = 2 * llc_size();

	return f < 64 * MIB ? 64 * MIB : f;
}

/* Large sizes rotate through enough slots to miss in every cache level. */
void
geometry(size_t size, size_t *stride, unsigned *nslots)
{
	size_t need = size + 4 * GUARD + CACHELINE + MAX_MOVE_DIST;

	*stride = (need + 4095) & ~(size_t)4095;
	*nslots = 1;
	if (size >= Opt.cold_min) {
		size_t n = (cold_footprint() + *stride - 1) / *stride;

		*nslots = n < 2 ? 2 : (unsigned)n;
	}
}

static const char *Huge_how = "none";

/* 2 MiB pages when the kernel has them: fewer TLB misses at large sizes. */
static char *
alloc_arena(size_t len)
{
	size_t hlen = (len + HUGE_2M - 1) & ~(HUGE_2M - 1);
	char *p = mmap(NULL, hlen, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p != MAP_FAILED) {
		Huge_how = "MAP_HUGETLB";
	} else {
		uintptr_t a;

		p = mmap(NULL, hlen + HUGE_2M, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("pmembench: mmap");
			exit(2);
		}
		a = ((uintptr_t)p + HUGE_2M - 1) & ~(HUGE_2M - 1);
		p = (char *)a;
		if (madvise(p, hlen, MADV_HUGEPAGE) == 0 &&
				strcmp(Huge_how, "MAP_HUGETLB") != 0)
			Huge_how = "madvise(MADV_HUGEPAGE)";
	}
	memset(p, 0x11, hlen);
	return p;
}

static long
anon_huge_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "AnonHugePages: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* ---- mapped files -------------------------------------------------------- */

struct mapset {
	void **addr;
	size_t *len;
	int n;
};

static struct mapset Maps[2];

/*
 * pmem_is_pmem() cost may depend on how many mappings the library tracks.
 * All of them map one small file: creating 1000 files costs seconds.
 */
void
set_maps(int side, int want)
{
	const struct lib *l = &Side[side];
	struct mapset *m = &Maps[side];
	char *path = map_path(MAP_LEN_ISPMEM);

	if (want > m->n) {
		m->addr = realloc(m->addr, (size_t)want * sizeof(*m->addr));
		m->len = realloc(m->len, (size_t)want * sizeof(*m->len));
		if (m->addr == NULL || m->len == NULL) {
			perror("pmembench: realloc");
			exit(2);
		}
	}
	while (m->n > want) {
		m->n--;
		l->unmap(m->addr[m->n], m->len[m->n]);
	}
	while (m->n < want) {
		int is;

		m->addr[m->n] = l->map_file(path, 0, 0, 0, &m->len[m->n],
			&is);
		if (m->addr[m->n] == NULL) {
			out("\nFAIL: %s: pmem_map_file(\"%s\", 0, 0, 0) "
				"#%d failed: %s\n", l->name, path, m->n + 1,
				l->errormsg());
			exit(1);
		}
		m->n++;
	}
	free(path);
}

char *
map_path(size_t size)
{
	char *p;

	if (asprintf(&p, "%s/map-%zu", Tmpdir, size) < 0) {
		perror("pmembench: asprintf");
		exit(2);
	}
	return p;
}

static void
make_map_file(size_t size)
{
	char *p = map_path(size);
	int fd = open(p, O_RDWR | O_CREAT, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		fprintf(stderr, "pmembench: %s: %s\n", p, strerror(errno));
		exit(2);
	}
	close(fd);
	Files[NFiles++] = p;
}

/* Only unlink() and rmdir(): the crash handler calls it too. */
static void
cleanup(void)
{
	size_t i;

	for (i = 0; i < NFiles; i++)
		unlink(Files[i]);
	if (Tmpdir[0] != '\0')
		rmdir(Tmpdir);
}

/* ---- cases --------------------------------------------------------------- */

static void
build_cases(void)
{
	size_t o, i;

	for (o = 0; o < NOps; o++) {
		if (!filter_match(Ops[o].name))
			continue;
		for (i = 0; i < NSizes; i++) {
			if (Sizes[i].mis && !Ops[o].misalign)
				continue;
			if (Ops[o].max_size && Sizes[i].size > Ops[o].max_size)
				continue;
			if (Sizes[i].size < Ops[o].min_size)
				continue;
			if (NCases == MAX_CASES) {
				fprintf(stderr, "pmembench: too many cases\n");
				exit(2);
			}
			Cases[NCases].op = &Ops[o];
			Cases[NCases++].si = i;
		}
	}
	if (NCases == 0) {
		fprintf(stderr, "pmembench: --filter matches no operation\n");
		exit(2);
	}
}

const char *
mis_name(unsigned mis)
{
	static const char *const names[CACHELINE] = { "64", "+1", "+2",
		"+3", "+4", "+5", "+6", "+7", "+8" };

	return mis < CACHELINE && names[mis] ? names[mis] : "+n";
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
keep_hint(void)
{
	char slug[160];

	cpu_slug(&Cpu, slug, sizeof(slug));
	note("pmembench: report in %s; to keep it: cp %s "
		"bench/results/%s.md (make -C bench keep)", Opt.out, Opt.out,
		slug);
}

int
main(int argc, char **argv)
{
	double t_start = now_ns(), load0 = loadavg();
	size_t arena = 0, i;
	char *src, *dst;
	struct summary *s;
	int aa;

	parse_args(argc, argv);
	signal(SIGSEGV, crash);
	signal(SIGBUS, crash);
	signal(SIGILL, crash);
	signal(SIGFPE, crash);
	cpu_detect(&Cpu);
	if (Opt.out != NULL && (Outf = fopen(Opt.out, "w")) == NULL) {
		perror(Opt.out);
		return 2;
	}
	if (lib_load(&Side[0], "ref", Opt.ref, &Opt.env_both,
			&Opt.env_ref) != 0 ||
			lib_load(&Side[1], "ours", Opt.ours, &Opt.env_both,
			&Opt.env_ours) != 0)
		return 1;
	aa = same_file(Opt.ref, Opt.ours) && Opt.env_ref.n == 0 &&
		Opt.env_ours.n == 0;
	snprintf(Tmpdir, sizeof(Tmpdir), "%s/pmembench.XXXXXX", Opt.dir ?
		Opt.dir : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(Tmpdir) == NULL) {
		perror(Tmpdir);
		return 2;
	}
	atexit(cleanup);
	build_cases();
	for (i = 0; i < NSizes; i++) {
		size_t stride;
		unsigned n;

		geometry(Sizes[i].size, &stride, &n);
		if (stride * n > arena)
			arena = stride * n;
		make_map_file(Sizes[i].size);
	}
	make_map_file(MAP_LEN_ISPMEM);
	src = alloc_arena(arena);
	dst = alloc_arena(arena);

	out("## libpmem: reference vs ours\n\n");
	print_cmdline(argc, argv);
	print_machine();
	out("Buffers: 2 x %zu MiB, huge pages via %s (%ld MiB of "
		"anonymous memory is huge-page backed).\n\n", arena / MIB,
		Huge_how, anon_huge_kib() / 1024);
	print_libs(aa);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return 2;
	if (Opt.passes & PASS_MAIN) {
		if (!Opt.no_limits)
			measure_limits(src, dst);
		if (!Opt.no_limits)
			print_limits();
		print_table_head();
		run_all(src, dst, s, t_start + Opt.total_s * 1e9);
		print_summary(s, aa);
	}
	if (Opt.passes & PASS_CHOICES)
		run_choices(src, dst, s);
	if (Opt.passes & PASS_REFSET)
		run_ref_settings(src, dst, s);
	print_end(s, aa, t_start, load0);
	if (Outf != NULL) {
		fclose(Outf);
		keep_hint();
	}
	return s->failures ? 1 : 0;
}


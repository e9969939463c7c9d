/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared declarations of the side-by-side benchmark: the two loaded
 * libraries, the CPU description and the library-free hardware kernels.
 */
#ifndef PMEMBENCH_H
#define PMEMBENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <libpmem.h>

#define CACHELINE 64
#define MIB (1024UL * 1024)
#define MAX_SIZES 64
#define MAX_CASES 1024
#define MAX_LIMS 16	/* hardware-limit kernels */

/* One libpmem, loaded into its own link-map namespace. */
struct lib {
	const char *name;	/* "ref" or "ours" */
	const char *path;
	void *handle;
	__typeof__(pmem_memcpy_persist) *memcpy_persist;
	__typeof__(pmem_memmove_persist) *memmove_persist;
	__typeof__(pmem_memmove) *memmove_flags;
	__typeof__(pmem_memset_persist) *memset_persist;
	__typeof__(pmem_memcpy_nodrain) *memcpy_nodrain;
	__typeof__(pmem_memcpy) *memcpy_flags;
	__typeof__(pmem_persist) *persist;
	__typeof__(pmem_flush) *flush;
	__typeof__(pmem_drain) *drain;
	__typeof__(pmem_is_pmem) *is_pmem;
	__typeof__(pmem_map_file) *map_file;
	__typeof__(pmem_unmap) *unmap;
	__typeof__(pmem_msync) *msync;
	__typeof__(pmem_errormsg) *errormsg;
};

/* "NAME=VALUE" strings applied to one side while it loads. */
struct envlist {
	const char **v;
	size_t n;
};

void env_add(struct envlist *l, const char *kv);
int lib_load(struct lib *l, const char *name, const char *path,
	const struct envlist *a, const struct envlist *b);
void lib_unload(struct lib *l);
const char *default_ref_path(void);
char *lib_describe(const char *path, const struct envlist *base,
	const char *kv);

/* What the CPU and the OS let the hardware kernels use. */
struct cpu {
	char model[128];
	unsigned family;	/* CPUID display family; 0: unknown */
	unsigned model_no;	/* CPUID display model */
	int x86;		/* the hardware kernels exist */
	int avx2;
	int avx512f;
	int clwb;
	int clflushopt;
	int movdir64b;
	int erms;
	int fsrm;
	size_t llc;		/* last-level cache, bytes */
	const char *llc_from;	/* where llc came from, for the report */
	char lib_cpu[256];	/* our libpmem's "CPU (...)" line, or "" */
	char lib_model[128];	/* its "CPU model:" line, or "" */
};

void cpu_detect(struct cpu *c, const char *ours);
void cpu_slug(const struct cpu *c, char *buf, size_t len);

enum flush_kind { FLUSH_CLWB, FLUSH_CLFLUSHOPT, FLUSH_CLFLUSH };

const char *hw_flush_name(void);

/* Library-free kernels; each ends with the fence a persistent copy needs. */
void hw_dirty(char *p, size_t len, unsigned v);
void hw_flush_range(const void *p, size_t len);
void hw_sfence(void);
void hw_ntstore_avx2(void *dst, int c, size_t len);
void hw_ntstore_avx512(void *dst, int c, size_t len);
void hw_stosb_flush(void *dst, int c, size_t len);
void hw_movsb(void *dst, const void *src, size_t len);
void hw_movsb_flush(void *dst, const void *src, size_t len);
void hw_ntcopy_avx2(void *dst, const void *src, size_t len);
void hw_ntcopy_avx512(void *dst, const void *src, size_t len);
void hw_movdir64b(void *dst, const void *src, size_t len);

/* the one small file every pmem_is_pmem() mapping maps */
#define MAP_LEN_ISPMEM 4096

/* Bytes on each side of an operated range that must stay untouched. */
#define GUARD 64
/*
 * Every slot has room for a move this far; a case moving farther (a
 * fraction of its size, 64 KiB) gets a wider stride, and the arenas room
 * for half the largest size (move_room).
 */
#define MAX_MOVE_DIST 4096

enum limit_kind { LIM_NONE, LIM_PCOPY, LIM_PSET, LIM_FLUSH };

struct bcase;
typedef void (*loop_func)(const struct lib *l, struct bcase *c, unsigned k);

/* One timed operation; the table lives in cases.c. */
struct opdef {
	const char *name;
	const char *what;	/* the calls, for the legend */
	loop_func loop;
	enum limit_kind lim;
	int misalign;		/* takes the "+1" destinations */
	int nmaps;		/* live pmem_map_file mappings; -1: any */
	int summary;		/* counts in the copy/set/persist geomean */
	int file;		/* maps the case's file instead of buffers */
	size_t max_size;	/* larger sizes are skipped; 0: none are */
	size_t min_size;	/* smaller sizes are skipped */
	int hot;		/* one slot at every size: stays in the cache */
	int big_copy;		/* a copy held to the best copy loop */
	int choice;		/* timed again under each kernel choice */
	int move;		/* a pmem_memmove_persist case */
	int temporal;		/* asks for ordinary stores (TEMPORAL) */
	size_t dist;		/* move distance; 0: 64 (n/2 below 128) */
	unsigned dist_div;	/* move distance n / dist_div instead */
};

/*
 * One operation at one size. Slot n of an arena starts at base + n * stride;
 * the operated range starts GUARD (+ mis) bytes into the slot.
 */
struct bcase {
	const struct opdef *op;
	size_t size;
	unsigned mis;
	size_t shift;		/* memmove overlap distance */
	unsigned flags;		/* memmove cases: pmem_memmove(..., flags)
				 * instead of pmem_memmove_persist when set */
	char *src;
	char *dst;
	size_t stride;
	unsigned nslots;
	unsigned slot;
	unsigned iter;
	double est_ns;		/* time per operation found by calibration */
	const char *path;	/* file mapped by map_unmap */
};

static inline char *
slot_of(char *arena, const struct bcase *c)
{
	return arena + (size_t)c->slot * c->stride + GUARD;
}

static inline void
next_slot(struct bcase *c)
{
	if (++c->slot == c->nslots)
		c->slot = 0;
}

extern const struct opdef Ops[];
extern const size_t NOps;

int check_case(const struct lib *l, struct bcase *c, int *result, char *why,
	size_t whylen);
void fill_random(void *p, size_t len, uint64_t seed);

/* pmembench.c: the command line; struct bench: what main() passes down */
struct options {
	const char *ref;
	const char *ours;
	const char *filter;
	const char *contenders;	/* --contenders: NULL keeps all */
	const char *sizes;
	const char *out;
	const char *dir;
	struct envlist env_both, env_ref, env_ours;
	double total_s;		/* target run time */
	double trial_ns;	/* work per trial */
	unsigned min_pairs, max_pairs;
	unsigned lim_trials;
	size_t cold_min;	/* from here on buffers rotate past the LLC */
	int quick;
	int no_limits;
	unsigned passes;	/* PASS_* bits */
	double pass_s;		/* target run time of each extra pass */
	unsigned pass_rounds[2];	/* min, max rounds per case there */
};

/* The runs a report holds: the main table, then the extra passes. */
enum {
	PASS_MAIN = 1,		/* reference vs ours */
	PASS_CHOICES = 2,	/* our default vs ours forced elsewhere */
	PASS_REFSET = 4,	/* ours vs the reference under its settings */
};

struct size_spec {
	size_t size;
	unsigned mis;		/* destination misalignment */
};

struct tcase {
	const struct opdef *op;
	size_t si;		/* index into bench.sizes */
};

/* Mappings of one small file, held open while pmem_is_pmem() is timed. */
struct mapset {
	void **addr;
	size_t *len;
	int n;
};

/*
 * One benchmark run: main() fills it and passes it down; no file shares
 * a writable global with another.
 */
struct bench {
	struct options opt;
	struct lib side[2];	/* [0] reference, [1] ours */
	struct cpu cpu;
	struct size_spec sizes[MAX_SIZES];
	size_t nsizes;
	struct tcase cases[MAX_CASES];
	size_t ncases;
	struct mapset maps[2];	/* by side */
	const char *huge_how;	/* how the arenas got huge pages */
	unsigned long trials, retried, preempted;
	/* limits.c: ns per operation of each kernel, by index into sizes */
	double lim_ns[MAX_SIZES][MAX_LIMS];
};

/* out.c: the report, progress lines, formatting; calls nothing above it */
int out_open(const char *path);
void out_close(void);
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *fmt_size(size_t s, char *buf, size_t len);
const char *fmt_time(double ns, char *buf, size_t len);
const char *mis_name(unsigned mis);
double quantile(double *v, size_t n, double q);

/* files.c: the temporary directory, mapped files, the crash handler */
int files_init(const char *dir);
void make_map_file(size_t size);
char *map_path(size_t size);
void set_maps(struct bench *bn, int side, int want);
void where_set_side(const char *side);
void where_set_what(const char *what);
const char *where_what(void);
void crash_handlers(void);

/* arena.c: the buffers the cases operate in */
size_t cold_footprint(const struct bench *bn);
size_t move_room(size_t size);
void geometry(const struct bench *bn, size_t size, size_t room, size_t *stride,
	unsigned *nslots);
char *alloc_arena(struct bench *bn, size_t len);
long anon_huge_kib(void);

/* cases.c: the cases of this run */
int filter_match(const struct bench *bn, const char *name);
int list_has(const char *list, const char *name);
void build_cases(struct bench *bn);

/* sched.c: trials and the schedule */
struct result {
	double ns[2];		/* median per operation: [0] ref, [1] ours */
	double ratio;		/* median of per-pair ref_time / our_time */
	double spread;		/* half the interquartile range of the ratios */
	unsigned pairs;
	double lim_ns;		/* median of the limit kernel, NAN if none */
};

static inline double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

void case_init(struct bench *bn, struct bcase *c, const struct tcase *t,
	char *src, char *dst, char *where, size_t wlen);
double trial(struct bench *bn, const struct lib *l, struct bcase *c,
	unsigned k);
unsigned calibrate(struct bench *bn, const struct lib *l, struct bcase *c);
struct summary;
void run_all(struct bench *bn, char *src, char *dst, struct summary *sum,
	double deadline);

/* limits.c: hardware limits */
void measure_limits(struct bench *bn, char *src, char *dst);
void print_limits(const struct bench *bn);
loop_func best_limit(const struct bench *bn, size_t si, enum limit_kind kind);

/* targets.c: the speed targets against this run */
#define TARGET_NAMES 6	/* cases named below the floor, at most */
#define TARGET_NAME_LEN 160	/* a case name and its figures */
struct targets {
	unsigned nlow;			/* cases below the ratio floor */
	unsigned nlow_clear;		/* ... by more than their +- */
	char low[TARGET_NAMES][TARGET_NAME_LEN];
	double wide_logsum;		/* sizes >= 4 KiB, copy/set/persist */
	unsigned nwide;
	double big_min;			/* lowest share of the copy limit */
	char big_name[96];
	unsigned nbig;
	/* [0] 1 map, [1] 1000 maps; then [0] reference, [1] ours */
	double is_pmem_ns[2][2][MAX_SIZES];
	double is_pmem_ref_min;
	unsigned nis_pmem;
	double ceil_logsum;		/* each ratio as if at 100% of limit */
	double ceil_kept_logsum;	/* the same, moves and TEMPORAL as run */
	unsigned nceil;
	/* the reference under its best setting for each case */
	unsigned nrefset, nref_low;
	char ref_low[TARGET_NAMES][TARGET_NAME_LEN];
};

void case_name(const struct bench *bn, const struct tcase *t, char *buf,
	size_t len);
void note_target(const struct bench *bn, struct targets *g,
	const struct tcase *t, const struct result *r);
void note_refset(const struct bench *bn, struct targets *g,
	const struct tcase *t, double ratio, const char *setting);
void print_targets(const struct targets *g, double geomean, unsigned nsum);

/* report.c: the markdown report */
struct summary {
	double logsum;
	unsigned nsum;
	/*
	 * memcpy_persist per size and side: the least a memcpy_persist+read
	 * of that size can take. A case below it measured an artifact (Zen 5
	 * VM, 2026-12-02: 12-20 ns for a 256 B persist+read where the same
	 * run's 256 B persist took 120 ns), not the library.
	 */
	double persist_ns[MAX_SIZES][2];
	unsigned nsuspect;
	char suspect[TARGET_NAMES][160];
	double ratios[MAX_CASES];
	unsigned nratio;
	double worst, best;
	char worst_name[96], best_name[96];
	unsigned failures;
	struct targets targets;
};

double loadavg(void);
void print_cmdline(int argc, char **argv);
void print_machine(const struct bench *bn);
void print_libs(const struct bench *bn, int aa);
void print_table_head(const struct bench *bn);
void print_row(const struct bench *bn, const struct tcase *t,
	const struct result *r);
void note_result(const struct bench *bn, struct summary *s,
	const struct tcase *t, const struct result *r);
void print_summary(struct summary *s, int aa);
void print_end(const struct bench *bn, struct summary *s, int aa,
	double t_start, double load0);

/* choices.c: the passes that hold one library against several instances */
void run_choices(struct bench *bn, char *src, char *dst, struct summary *sum);
void run_ref_settings(struct bench *bn, char *src, char *dst,
	struct summary *sum);

#endif

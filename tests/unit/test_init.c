/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The x86_64 load-time choice for CPUs this machine is not: CPUID (the
 * features and the vendor, family, model and cache size the policy rows
 * are keyed on), the eADR probe and the sysfs cache size are replaced
 * (-Wl,--wrap) with values from a table, and for each with a set of
 * tuning variables pmem_init() must pick the policy row, and the named
 * flush, kernel families, WC barrier and overlapping-move size. The matrix suite
 * checks the same choices through the debug log, but only for the CPU it
 * runs on; this reaches AVX-512F, MOVDIR64B, Intel's WC default and
 * CLFLUSH-only CPUs everywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu.h"
#include "env.h"
#include "funcs.h"
#include "kernels.h"

unsigned __wrap_cpu_features(struct cpu_model *model);
int __wrap_plat_auto_flush(void);
size_t __wrap_plat_llc_size(void);

#define MiB ((size_t)1 << 20)

static unsigned Fake_cpu;
static struct cpu_model Fake_model;
static int Fake_eadr;
static size_t Fake_llc = 32 * MiB;	/* what sysfs says */

size_t
__wrap_plat_llc_size(void)
{
	return Fake_llc;
}

unsigned
__wrap_cpu_features(struct cpu_model *model)
{
	if (model != NULL)
		*model = Fake_model;
	return Fake_cpu;
}

int
__wrap_plat_auto_flush(void)
{
	return Fake_eadr;
}

#define BASE (CPU_CLFLUSH | CPU_CLFLUSHOPT | CPU_CLWB)
#define WIDE (BASE | CPU_AVX | CPU_AVX512F | CPU_MOVDIR64B)

/* the CPUs of the policy rows, and two it has no row for */
static const struct cpu {
	const char *name;
	unsigned features;
	struct cpu_model model;
	const char *row;	/* the policy row it must get */
	size_t prefetch;	/* how far ahead its streaming copies read */
} Xeon = { "Intel Xeon (AVX-512, MOVDIR64B)", WIDE | CPU_INTEL,
		{ VENDOR_INTEL, 6, 207, 260 * MiB }, "Intel with AVX-512", 0 },
	Xeon167 = { "Intel Xeon model 167 (AVX-512, MOVDIR64B)",
		WIDE | CPU_INTEL, { VENDOR_INTEL, 6, 167, 480 * MiB },
		"Intel family 6 model 167", 0 },
	Xeon167_no_movdir64b = { "Intel model 167 without MOVDIR64B",
		(WIDE & ~CPU_MOVDIR64B) | CPU_INTEL,
		{ VENDOR_INTEL, 6, 167, 480 * MiB },
		"Intel family 6 model 167", 0 },
	Zen5 = { "AMD Zen 5 (AVX-512, MOVDIR64B)", WIDE,
		{ VENDOR_AMD, 26, 2, 32 * MiB }, "AMD family 26 (Zen 5)",
		8192 },
	Zen3 = { "AMD EPYC (AVX2 only)", BASE | CPU_AVX,
		{ VENDOR_AMD, 25, 1, 32 * MiB }, "AMD", 4096 },
	Zen4 = { "AMD Zen 4 (AVX-512)", BASE | CPU_AVX | CPU_AVX512F,
		{ VENDOR_AMD, 25, 17, 32 * MiB }, "AMD", 4096 },
	Client = { "Intel without AVX-512", BASE | CPU_AVX | CPU_INTEL,
		{ VENDOR_INTEL, 6, 151, 30 * MiB }, "Intel", 0 },
	Hygon = { "another vendor (AVX2)", BASE | CPU_AVX,
		{ VENDOR_OTHER, 24, 0, 0 }, "other vendor", 4096 },
	Old = { "another vendor, CLFLUSH and SSE2 only", CPU_CLFLUSH,
		{ VENDOR_OTHER, 15, 2, 0 }, "other vendor", 4096 };

/*
 * What pmem_init() must pick for a CPU, an eADR answer and a set of
 * variables: pmem_flush's instruction and the kernel families, which
 * name the kernels: memmove_mov_<isa>_<flush>, memmove_movnt_<nt>_<flush>
 * and memset_movnt_<isa>_<flush>, the last two ending in the barrier's
 * suffix. nt "" means no streaming at all: the non-temporal slots hold
 * the ordinary-store kernels. isa "generic" means the portable kernels,
 * which flush through Funcs.
 */
struct choice {
	const struct cpu *cpu;
	int eadr;
	const char *env;	/* "VAR=value ..." */
	const char *flush;	/* pmem_flush's instruction */
	const char *isa;	/* of ordinary-store memmove and memset, and of
				 * streaming memset; "mov/fill" where the
				 * last differs */
	const char *nt;		/* of streaming memmove */
	const char *barrier;	/* what ends the streaming kernels: 0, WC or
				 * SUBLINE (partial lines streamed too) */
};

#define WC "_wcbarrier"
#define SUBLINE "_subline"

static const struct choice Choices[] = {
	/* the Xeon row: 512-bit kernels, no barrier */
	{ &Xeon, 0, "", "clwb", "avx512f", "avx512f", 0 },
	/* MOVDIR64B copies when asked for; fills never (2.5x slower) */
	{ &Xeon, 0, "PMEM_MOVDIR64B=1", "clwb", "avx512f", "movdir64b", 0 },
	/* compat: any value but "0" opts in, as in the reference */
	{ &Xeon, 0, "PMEM_MOVDIR64B=yes", "clwb", "avx512f", "movdir64b", 0 },
	{ &Xeon, 0, "PMEM_MOVDIR64B=0", "clwb", "avx512f", "avx512f", 0 },
	{ &Xeon, 0, "PMEM_AVX512F=0", "clwb", "avx", "avx", 0 },
	{ &Xeon, 0, "PMEM_AVX512F=1", "clwb", "avx512f", "avx512f", 0 },
	{ &Xeon, 0, "PMEM_AVX=0", "clwb", "sse2", "sse2", 0 },
	{ &Xeon, 0, "PMEM_AVX=0 PMEM_AVX512F=1", "clwb", "sse2", "sse2", 0 },
	{ &Xeon, 0, "PMEM_AVX=0 PMEM_MOVDIR64B=1",
		"clwb", "sse2", "movdir64b", 0 },
	{ &Xeon, 0, "PMEM_WC_WORKAROUND=1", "clwb", "avx512f", "avx512f", WC },
	{ &Xeon, 0, "PMEM_NO_CLWB=1", "clflushopt", "avx512f", "avx512f", 0 },
	{ &Xeon, 0, "PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1",
		"clflush", "avx512f", "avx512f", 0 },
	/* eADR: no flush, the fence stays; PMEM_NO_FLUSH=0 flushes anyway */
	{ &Xeon, 1, "", "noflush", "avx512f", "avx512f", 0 },
	{ &Xeon, 1, "PMEM_NO_FLUSH=0", "clwb", "avx512f", "avx512f", 0 },
	/*
	 * Xeon model 167: MOVDIR64B streaming copies, which the vector
	 * variables leave alone; without it (or with PMEM_MOVDIR64B=0) the
	 * widest vectors allowed; 256-bit ordinary stores, 512-bit fills
	 */
	{ &Xeon167, 0, "", "clwb", "avx/avx512f", "movdir64b", 0 },
	{ &Xeon167, 0, "PMEM_MOVDIR64B=0", "clwb", "avx/avx512f", "avx512f",
		0 },
	{ &Xeon167, 0, "PMEM_MOVDIR64B=0 PMEM_AVX512F=0", "clwb", "avx", "avx",
		0 },
	{ &Xeon167, 0, "PMEM_MOVDIR64B=0 PMEM_AVX=0", "clwb", "sse2", "sse2",
		0 },
	{ &Xeon167, 0, "PMEM_AVX512F=0", "clwb", "avx", "movdir64b", 0 },
	{ &Xeon167, 0, "PMEM_AVX512F=1", "clwb", "avx512f", "movdir64b", 0 },
	{ &Xeon167, 0, "PMEM_AVX=0", "clwb", "sse2", "movdir64b", 0 },
	{ &Xeon167, 0, "PMEM_WC_WORKAROUND=1", "clwb", "avx/avx512f",
		"movdir64b", WC },
	{ &Xeon167, 0, "PMEM_NO_MOVNT=1", "clwb", "generic", "", 0 },
	{ &Xeon167_no_movdir64b, 0, "", "clwb", "avx/avx512f", "avx512f", 0 },
	{ &Xeon167_no_movdir64b, 0, "PMEM_AVX512F=0", "clwb", "avx", "avx",
		0 },
	/*
	 * Zen 5: 256 bits everywhere, whatever the feature bits offer; AMD
	 * rows stream partial lines, except with the WC barrier
	 */
	{ &Zen5, 0, "", "clwb", "avx", "avx", SUBLINE },
	{ &Zen5, 0, "PMEM_AVX512F=1", "clwb", "avx512f", "avx512f", SUBLINE },
	{ &Zen5, 0, "PMEM_MOVDIR64B=1", "clwb", "avx", "movdir64b", SUBLINE },
	{ &Zen5, 0, "PMEM_WC_WORKAROUND=1", "clwb", "avx", "avx", WC },
	{ &Zen5, 0, "PMEM_WC_WORKAROUND=0", "clwb", "avx", "avx", SUBLINE },
	{ &Zen5, 0, "PMEM_AVX=0", "clwb", "sse2", "sse2", SUBLINE },
	/* an AVX2-only AMD: what it lacks cannot be asked for */
	{ &Zen3, 0, "", "clwb", "avx", "avx", SUBLINE },
	{ &Zen3, 0, "PMEM_MOVDIR64B=1 PMEM_AVX512F=1",
		"clwb", "avx", "avx", SUBLINE },
	{ &Zen4, 0, "", "clwb", "avx", "avx", SUBLINE },
	/* Intel without AVX-512: 256 bits, the barrier only when asked */
	{ &Client, 0, "", "clwb", "avx", "avx", 0 },
	{ &Client, 0, "PMEM_WC_WORKAROUND=1", "clwb", "avx", "avx", WC },
	{ &Hygon, 0, "", "clwb", "avx", "avx", 0 },
	/* an old CPU: CLFLUSH and SSE2 only */
	{ &Old, 0, "", "clflush", "sse2", "sse2", 0 },
	{ &Old, 0, "PMEM_NO_FLUSH=1", "noflush", "sse2", "sse2", 0 },
	/* PMEM_NO_MOVNT=1: the portable kernels for every kind */
	{ &Xeon, 0, "PMEM_NO_MOVNT=1", "clwb", "generic", "", 0 },
	{ &Xeon, 0, "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1",
		"clwb", "avx512f", "", 0 },
	/* read as a number, as the reference does: 2 is on, yes and 0 off */
	{ &Xeon, 0, "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=2",
		"clwb", "avx512f", "", 0 },
	{ &Xeon, 0, "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=yes",
		"clwb", "generic", "", 0 },
	{ &Xeon, 0, "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=0",
		"clwb", "generic", "", 0 },
};

static void
use_cpu(const struct cpu *c, int eadr)
{
	Fake_cpu = c->features;
	Fake_model = c->model;
	Fake_eadr = eadr;
}

/* every variable the library reads unset, then the case's ones set */
static void
set_env(const char *list)
{
	char buf[256], *save = NULL;

#define UNSET(name) unsetenv(name);
	FOR_EACH_ENV(UNSET)
#undef UNSET
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *kv = strtok_r(buf, " ", &save); kv != NULL;
			kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		assert_non_null(eq);
		*eq = '\0';
		setenv(kv, eq + 1, 1);
	}
}

static int
check_name(size_t i, const char *what, const char *got, const char *want)
{
	if (got != NULL && strcmp(got, want) == 0)
		return 0;
	printf("case %zu (%s, eADR %d, \"%s\"): %s is %s, want %s\n",
		i, Choices[i].cpu->name, Choices[i].eadr, Choices[i].env, what,
		got ? got : "(null)", want);
	return 1;
}

/* a row's isa for ordinary stores (fill 0) or streaming fills (1) */
static const char *
isa_of(const struct choice *c, int fill, char *buf, size_t len)
{
	const char *slash = strchr(c->isa, '/');

	if (slash == NULL)
		return c->isa;
	if (fill)
		return slash + 1;
	snprintf(buf, len, "%.*s", (int)(slash - c->isa), c->isa);
	return buf;
}

/* row i's kernel of op ("memmove", "memset"), store ("mov", "movnt") */
static int
check_kernel(size_t i, const char *what, const char *got, const char *op,
	const char *store, const char *isa)
{
	const struct choice *c = &Choices[i];
	int nt = strcmp(store, "movnt") == 0;
	char want[64], mov[16];

	if (strcmp(c->isa, "generic") == 0)
		snprintf(want, sizeof(want), "%s_generic_flush", op);
	else if (nt && c->nt[0] == '\0')
		snprintf(want, sizeof(want), "%s_mov_%s_%s", op,
			isa_of(c, 0, mov, sizeof(mov)), c->flush);
	else
		snprintf(want, sizeof(want), "%s_%s_%s_%s%s", op, store, isa,
			c->flush, nt && c->barrier ? c->barrier : "");
	return check_name(i, what, got, want);
}

static int
skip_case(const struct choice *c)
{
#ifdef NO_AVX512F_KERNELS
	if (c->cpu->features & CPU_AVX512F)
		return 1;
#endif
#ifdef NO_MOVDIR64B_KERNELS
	if (strcmp(c->nt, "movdir64b") == 0)
		return 1;
#endif
	(void) c;
	return 0;
}

static void
test_choices(void **state)
{
	int bad = 0;

	(void) state;
	for (size_t i = 0; i < sizeof(Choices) / sizeof(Choices[0]); i++) {
		const struct choice *c = &Choices[i];
		char mov[16];

		if (skip_case(c))
			continue;
		use_cpu(c->cpu, c->eadr);
		set_env(c->env);
		pmem_init();
		bad += check_name(i, "flush", Funcs.names.flush, c->flush);
		bad += check_kernel(i, "memmove temporal",
			Funcs.names.memmove[MEM_MOV], "memmove", "mov",
			isa_of(c, 0, mov, sizeof(mov)));
		bad += check_kernel(i, "memmove non-temporal",
			Funcs.names.memmove[MEM_MOVNT], "memmove", "movnt",
			c->nt);
		bad += check_kernel(i, "memset non-temporal",
			Funcs.names.memset[MEM_MOVNT], "memset", "movnt",
			isa_of(c, 1, NULL, 0));
		/* the drain is a fence whatever the flush */
		bad += check_name(i, "fence", Funcs.names.fence, "sfence");
	}
	set_env("");
	assert_int_equal(bad, 0);
}

/* the deep flush keeps a real instruction when pmem_flush has none */
static void
test_deep_flush_under_eadr(void **state)
{
	(void) state;
	use_cpu(&Zen3, 1);
	set_env("");
	pmem_init();
	assert_string_equal(Funcs.names.flush, "noflush");
	assert_string_equal(Funcs.names.deep_flush, "clwb");
	assert_non_null(strstr(Funcs.names.caches, "eADR"));
	Fake_eadr = 0;
	pmem_init();
	assert_string_equal(Funcs.names.caches, "flushed");
}

/*
 * every CPU above gets its row, and ./libpmem.so.1 names it; its
 * streaming copies prefetch as the row says
 */
static const char *Policy_line;

static void
grab_policy(const char *line)
{
	if (strncmp(line, "policy: ", 8) == 0)
		Policy_line = strdup(line);
}

static void
test_policy_rows(void **state)
{
	static const struct cpu *const cpus[] = { &Xeon, &Xeon167,
		&Xeon167_no_movdir64b, &Zen5, &Zen3, &Zen4, &Client, &Hygon,
		&Old };

	(void) state;
	set_env("");
	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		char want[128];

		use_cpu(cpus[i], 0);
		pmem_init();
		Policy_line = NULL;
		pmem_describe(grab_policy);
		assert_non_null(Policy_line);
		snprintf(want, sizeof(want), "policy: %s: ", cpus[i]->row);
		if (strncmp(Policy_line, want, strlen(want)) != 0)
			fail_msg("%s: \"%s\", want \"%s...\"", cpus[i]->name,
				Policy_line, want);
		free((void *)Policy_line);
		if (Prefetch_ahead != cpus[i]->prefetch)
			fail_msg("%s: prefetch %zu bytes ahead, want %zu",
				cpus[i]->name, Prefetch_ahead,
				cpus[i]->prefetch);
	}
}

/*
 * Overlapping moves use ordinary stores below the row's limit and half
 * the last-level cache; where CPUID and sysfs disagree the smaller size
 * counts, and an unknown size leaves the row's limit. A row with a far
 * rule names the distance from which whole-line moves count as far and
 * its own smaller limit for them, which the general limit caps (a small
 * cache lowers both); other rows leave the distance at SIZE_MAX.
 */
#define NO_FAR SIZE_MAX, SIZE_MAX

static void
test_overlap_streaming_size(void **state)
{
	static const struct {
		const struct cpu *cpu;
		size_t cpuid_llc, sysfs_llc, want, far_dist, far_want;
	} cases[] = {
		{ &Xeon, 260 * MiB, 260 * MiB, 64 << 10, NO_FAR },
		{ &Xeon, 0, 0, 64 << 10, NO_FAR },
		{ &Xeon, 64 << 10, 0, 32 << 10, NO_FAR },
		{ &Xeon167, 480 * MiB, 480 * MiB, 512 << 10, 32 << 10,
			64 << 10 },
		{ &Xeon167, 0, 0, 512 << 10, 32 << 10, 64 << 10 },
		/* half of 64 KiB caps the far limit of 64 KiB too */
		{ &Xeon167, 64 << 10, 0, 32 << 10, 32 << 10, 32 << 10 },
		{ &Xeon167, 0, 128 << 10, 64 << 10, 32 << 10, 64 << 10 },
		{ &Xeon167_no_movdir64b, 480 * MiB, 0, 512 << 10, 32 << 10,
			64 << 10 },
		{ &Zen5, 32 * MiB, 0, 12288, 64, 4096 },
		{ &Zen5, 0, 0, 12288, 64, 4096 },
		{ &Zen5, 0, 4096, 2048, 64, 2048 },
		{ &Zen3, 32 * MiB, 256 * MiB, 16 * MiB, NO_FAR },
		{ &Zen3, 256 * MiB, 32 * MiB, 16 * MiB, NO_FAR },
		{ &Zen3, 0, 32 * MiB, 16 * MiB, NO_FAR },
		{ &Zen3, 0, 0, SIZE_MAX, NO_FAR },
		{ &Zen4, 32 * MiB, 32 * MiB, 16 * MiB, NO_FAR },
		{ &Client, 30 * MiB, 30 * MiB, 64 << 10, NO_FAR },
		{ &Hygon, 0, 8 * MiB, 0, NO_FAR },
		{ &Old, 0, 0, 0, NO_FAR },
	};
	int bad = 0;

	(void) state;
	set_env("");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		use_cpu(cases[i].cpu, 0);
		Fake_model.llc_size = cases[i].cpuid_llc;
		Fake_llc = cases[i].sysfs_llc;
		pmem_init();
		if (Funcs.overlap_movnt_min != cases[i].want ||
				Funcs.overlap_far_dist != cases[i].far_dist ||
				(cases[i].far_dist != SIZE_MAX &&
				Funcs.overlap_far_movnt_min !=
				cases[i].far_want)) {
			print_error("case %zu (%s): %zu, far %zu from %zu; "
				"want %zu, far %zu from %zu\n", i,
				cases[i].cpu->name, Funcs.overlap_movnt_min,
				Funcs.overlap_far_movnt_min,
				Funcs.overlap_far_dist, cases[i].want,
				cases[i].far_want, cases[i].far_dist);
			bad++;
		}
	}
	Fake_llc = 32 * MiB;
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_deep_flush_under_eadr),
		cmocka_unit_test(test_policy_rows),
		cmocka_unit_test(test_overlap_streaming_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The x86_64 load-time choice for CPUs this machine is not: CPUID, the
 * eADR probe and the cache size are replaced (-Wl,--wrap) with values
 * from a table, and for each with a set of tuning variables pmem_init()
 * must pick the named flush, vector family, streaming family and WC
 * barrier. The matrix suite
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

unsigned __wrap_cpu_features(void);
int __wrap_plat_auto_flush(void);
size_t __wrap_plat_llc_size(void);

static unsigned Fake_cpu;
static int Fake_eadr;
static size_t Fake_llc = 32u << 20;

size_t
__wrap_plat_llc_size(void)
{
	return Fake_llc;
}

unsigned
__wrap_cpu_features(void)
{
	return Fake_cpu;
}

int
__wrap_plat_auto_flush(void)
{
	return Fake_eadr;
}

#define BASE (CPU_CLFLUSH | CPU_CLFLUSHOPT | CPU_CLWB)
#define SERVER (BASE | CPU_AVX | CPU_AVX512F | CPU_MOVDIR64B | CPU_INTEL)
#define ZEN (BASE | CPU_AVX)

struct choice {
	unsigned cpu;
	int eadr;
	const char *env;	/* "VAR=value ..." */
	const char *flush;	/* pmem_flush's instruction */
	const char *mov;	/* memmove with ordinary stores */
	const char *movnt;	/* memmove with streaming stores */
	const char *set_movnt;	/* memset with streaming stores */
};

static const struct choice Choices[] = {
	/* an AVX-512 server: the widest vectors, Intel's WC barrier */
	{ SERVER, 0, "", "clwb", "memmove_mov_avx512f_clwb",
		"memmove_movnt_avx512f_clwb_wcbarrier",
		"memset_movnt_avx512f_clwb_wcbarrier" },
	{ SERVER, 0, "PMEM_MOVDIR64B=1", "clwb", "memmove_mov_avx512f_clwb",
		"memmove_movnt_movdir64b_clwb_wcbarrier",
		"memset_movnt_movdir64b_clwb_wcbarrier" },
	/* compat: any value but "0" opts in, as in the reference */
	{ SERVER, 0, "PMEM_MOVDIR64B=yes", "clwb", "memmove_mov_avx512f_clwb",
		"memmove_movnt_movdir64b_clwb_wcbarrier",
		"memset_movnt_movdir64b_clwb_wcbarrier" },
	{ SERVER, 0, "PMEM_MOVDIR64B=0", "clwb", "memmove_mov_avx512f_clwb",
		"memmove_movnt_avx512f_clwb_wcbarrier",
		"memset_movnt_avx512f_clwb_wcbarrier" },
	{ SERVER, 0, "PMEM_AVX512F=0", "clwb", "memmove_mov_avx_clwb",
		"memmove_movnt_avx_clwb_wcbarrier",
		"memset_movnt_avx_clwb_wcbarrier" },
	{ SERVER, 0, "PMEM_AVX=0", "clwb", "memmove_mov_sse2_clwb",
		"memmove_movnt_sse2_clwb_wcbarrier",
		"memset_movnt_sse2_clwb_wcbarrier" },
	{ SERVER, 0, "PMEM_AVX=0 PMEM_MOVDIR64B=1", "clwb",
		"memmove_mov_sse2_clwb",
		"memmove_movnt_movdir64b_clwb_wcbarrier",
		"memset_movnt_movdir64b_clwb_wcbarrier" },
	{ SERVER, 0, "PMEM_WC_WORKAROUND=0", "clwb",
		"memmove_mov_avx512f_clwb", "memmove_movnt_avx512f_clwb",
		"memset_movnt_avx512f_clwb" },
	{ SERVER, 0, "PMEM_NO_CLWB=1", "clflushopt",
		"memmove_mov_avx512f_clflushopt",
		"memmove_movnt_avx512f_clflushopt_wcbarrier",
		"memset_movnt_avx512f_clflushopt_wcbarrier" },
	{ SERVER, 0, "PMEM_NO_CLWB=1 PMEM_NO_CLFLUSHOPT=1", "clflush",
		"memmove_mov_avx512f_clflush",
		"memmove_movnt_avx512f_clflush_wcbarrier",
		"memset_movnt_avx512f_clflush_wcbarrier" },
	/* eADR: no flush, the fence stays; PMEM_NO_FLUSH=0 flushes anyway */
	{ SERVER, 1, "", "noflush", "memmove_mov_avx512f_noflush",
		"memmove_movnt_avx512f_noflush_wcbarrier",
		"memset_movnt_avx512f_noflush_wcbarrier" },
	{ SERVER, 1, "PMEM_NO_FLUSH=0", "clwb", "memmove_mov_avx512f_clwb",
		"memmove_movnt_avx512f_clwb_wcbarrier",
		"memset_movnt_avx512f_clwb_wcbarrier" },
	/* an AVX2 machine like this one: no WC barrier off Intel */
	{ ZEN, 0, "", "clwb", "memmove_mov_avx_clwb",
		"memmove_movnt_avx_clwb", "memset_movnt_avx_clwb" },
	{ ZEN, 0, "PMEM_MOVDIR64B=1 PMEM_AVX512F=1", "clwb",
		"memmove_mov_avx_clwb", "memmove_movnt_avx_clwb",
		"memset_movnt_avx_clwb" },
	{ ZEN, 0, "PMEM_WC_WORKAROUND=1", "clwb", "memmove_mov_avx_clwb",
		"memmove_movnt_avx_clwb_wcbarrier",
		"memset_movnt_avx_clwb_wcbarrier" },
	/* an old CPU: CLFLUSH and SSE2 only */
	{ CPU_CLFLUSH, 0, "", "clflush", "memmove_mov_sse2_clflush",
		"memmove_movnt_sse2_clflush", "memset_movnt_sse2_clflush" },
	{ CPU_CLFLUSH, 0, "PMEM_NO_FLUSH=1", "noflush",
		"memmove_mov_sse2_noflush", "memmove_movnt_sse2_noflush",
		"memset_movnt_sse2_noflush" },
	/* PMEM_NO_MOVNT=1: the portable kernels for every kind */
	{ SERVER, 0, "PMEM_NO_MOVNT=1", "clwb", "memmove_generic_flush",
		"memmove_generic_flush", "memset_generic_flush" },
	{ SERVER, 0, "PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1", "clwb",
		"memmove_mov_avx512f_clwb", "memmove_mov_avx512f_clwb",
		"memset_mov_avx512f_clwb" },
};

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
	printf("case %zu (cpu 0x%x, eADR %d, \"%s\"): %s is %s, want %s\n",
		i, Choices[i].cpu, Choices[i].eadr, Choices[i].env, what,
		got ? got : "(null)", want);
	return 1;
}

static int
skip_case(const struct choice *c)
{
#ifdef NO_AVX512F_KERNELS
	if (c->cpu & CPU_AVX512F)
		return 1;
#endif
#ifdef NO_MOVDIR64B_KERNELS
	if (strstr(c->env, "MOVDIR64B=") && (c->cpu & CPU_MOVDIR64B))
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

		if (skip_case(c))
			continue;
		Fake_cpu = c->cpu;
		Fake_eadr = c->eadr;
		set_env(c->env);
		pmem_init();
		bad += check_name(i, "flush", Funcs.names.flush, c->flush);
		bad += check_name(i, "memmove temporal",
			Funcs.names.memmove[MEM_MOV], c->mov);
		bad += check_name(i, "memmove non-temporal",
			Funcs.names.memmove[MEM_MOVNT], c->movnt);
		bad += check_name(i, "memset non-temporal",
			Funcs.names.memset[MEM_MOVNT], c->set_movnt);
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
	Fake_cpu = ZEN;
	Fake_eadr = 1;
	set_env("");
	pmem_init();
	assert_string_equal(Funcs.names.flush, "noflush");
	assert_string_equal(Funcs.names.deep_flush, "clwb");
	assert_non_null(strstr(Funcs.names.caches, "eADR"));
	Fake_eadr = 0;
	pmem_init();
	assert_string_equal(Funcs.names.caches, "flushed");
}

/* overlapping moves stream from half the last-level cache, or never */
static void
test_overlap_streaming_size(void **state)
{
	(void) state;
	Fake_cpu = ZEN;
	Fake_eadr = 0;
	set_env("");
	Fake_llc = 32u << 20;
	pmem_init();
	assert_int_equal(Funcs.overlap_movnt_min, 16u << 20);
	Fake_llc = 0;
	pmem_init();
	assert_true(Funcs.overlap_movnt_min == SIZE_MAX);
	Fake_llc = 32u << 20;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_deep_flush_under_eadr),
		cmocka_unit_test(test_overlap_streaming_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 half of pmem_init(): CPU features and the reference's tuning
 * variables pick one flush instruction, one vector family for ordinary
 * stores, one for streaming stores and the WC barrier; the dispatch table
 * gets the matching rows of the families' const kernel tables.
 */
#include <stdio.h>

#include "arch.h"
#include "cpu.h"
#include "env.h"
#include "flush.h"
#include "kernels.h"
#include "out.h"

#define FLUSH_RANGE(name, kind) \
static void \
flush_range_##name(const void *addr, size_t len) \
{ \
	flush_lines(addr, len, flush_line_##name); \
}
FOR_EACH_FLUSH(FLUSH_RANGE)
#undef FLUSH_RANGE

static const struct {
	flush_func fn;
	const char *name;
} Flushes[FLUSH_KINDS] = {
#define FLUSH_ROW(name, kind) [kind] = { flush_range_##name, #name },
	FOR_EACH_FLUSH(FLUSH_ROW)
#undef FLUSH_ROW
};

static void
fence_sfence(void)
{
	sfence();
}

/* CLWB > CLFLUSHOPT > CLFLUSH, each removable from the environment */
static enum flush_kind
choose_flush(unsigned cpu)
{
	if ((cpu & CPU_CLWB) && !env_equals(ENV_NO_CLWB, "1"))
		return FLUSH_CLWB;
	if ((cpu & CPU_CLFLUSHOPT) && !env_equals(ENV_NO_CLFLUSHOPT, "1"))
		return FLUSH_CLFLUSHOPT;
	return FLUSH_CLFLUSH;
}

/* the widest vector family the CPU, the OS and the environment allow */
static const struct x86_kernels *
choose_vectors(unsigned cpu)
{
	if (!(cpu & CPU_AVX) || env_equals(ENV_AVX, "0"))
		return &x86_kernels_sse2;
#ifndef NO_AVX512F_KERNELS
	if ((cpu & CPU_AVX512F) && !env_equals(ENV_AVX512F, "0"))
		return &x86_kernels_avx512f;
#endif
	return &x86_kernels_avx;
}

static const struct x86_kernels *
choose_streaming(unsigned cpu, const struct x86_kernels *vectors)
{
#ifndef NO_MOVDIR64B_KERNELS
	/*
	 * compat: like the reference, MOVDIR64B is opt-in: PMEM_MOVDIR64B set
	 * to anything but "0". Not measured on a CPU that has it yet.
	 */
	const char *e = getenv(ENV_MOVDIR64B);

	if ((cpu & CPU_MOVDIR64B) && e != NULL && strcmp(e, "0") != 0)
		return &x86_kernels_movdir64b;
#else
	(void) cpu;
#endif
	return vectors;
}

/* on by default on Intel CPUs, as in the reference */
static enum wc_barrier
choose_wc_barrier(unsigned cpu)
{
	if (env_equals(ENV_WC_WORKAROUND, "1"))
		return WC_BARRIER;
	if (env_equals(ENV_WC_WORKAROUND, "0"))
		return WC_NONE;
	return (cpu & CPU_INTEL) ? WC_BARRIER : WC_NONE;
}

/* what arch_describe() reports */
static unsigned Cpu;
static enum wc_barrier Wc;

void
arch_init(struct pmem_funcs *f, const struct pmem_policy *policy)
{
	unsigned cpu = cpu_features();
	enum flush_kind real = choose_flush(cpu);
	enum flush_kind used = policy->flush_needed ? real : FLUSH_NONE;
	const struct x86_kernels *vec = choose_vectors(cpu);
	const struct x86_kernels *nt = choose_streaming(cpu, vec);
	enum wc_barrier wc = choose_wc_barrier(cpu);

	Cpu = cpu;
	Wc = wc;
	f->flush = Flushes[used].fn;
	f->deep_flush = Flushes[real].fn;
	f->fence = fence_sfence;
	f->has_hw_drain = 0;
	f->names.flush = Flushes[used].name;
	f->names.deep_flush = Flushes[real].name;
	f->names.fence = "sfence";

#define SET_KERNEL(op, kind, entry) do { \
	f->op[kind] = (entry).fn; \
	f->names.op[kind] = (entry).name; \
} while (0)
	SET_KERNEL(memmove, MEM_MOV, vec->memmove_mov[used]);
	SET_KERNEL(memmove, MEM_MOV_NOFLUSH, vec->memmove_mov[FLUSH_NONE]);
	SET_KERNEL(memmove, MEM_MOVNT, nt->memmove_movnt[used][wc]);
	SET_KERNEL(memset, MEM_MOV, vec->memset_mov[used]);
	SET_KERNEL(memset, MEM_MOV_NOFLUSH, vec->memset_mov[FLUSH_NONE]);
	SET_KERNEL(memset, MEM_MOVNT, nt->memset_movnt[used][wc]);
#undef SET_KERNEL
}

void
arch_describe(describe_func emit)
{
	char line[160];

	snprintf(line, sizeof(line), "CPU (x86_64%s): clflush %s, "
		"clflushopt %s, clwb %s, avx %s, avx512f %s, movdir64b %s",
		(Cpu & CPU_INTEL) ? ", Intel" : "",
#define YES_NO(bit) ((Cpu & (bit)) ? "yes" : "no")
		YES_NO(CPU_CLFLUSH), YES_NO(CPU_CLFLUSHOPT), YES_NO(CPU_CLWB),
		YES_NO(CPU_AVX), YES_NO(CPU_AVX512F), YES_NO(CPU_MOVDIR64B));
#undef YES_NO
	emit(line);
	snprintf(line, sizeof(line), "WC workaround: %s",
		Wc == WC_BARRIER ? "on" : "off");
	emit(line);
}

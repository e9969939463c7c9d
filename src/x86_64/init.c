/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 half of pmem_init(): CPU features pick the flush instruction;
 * the CPU's row of the policy table (policy.c) picks a kernel family for
 * ordinary stores, one for streaming copies, one for streaming fills, the
 * WC barrier and the overlapping-move size; the reference's tuning
 * variables narrow or widen those; the dispatch table gets the matching
 * rows of the families' const kernel tables.
 */

#include "arch.h"
#include "cpu.h"
#include "describe.h"
#include "env.h"
#include "flush.h"
#include "kernels.h"
#include "out.h"
#include "policy.h"
#include "util.h"

#define FLUSH_RANGE(name, kind) \
static void \
flush_range_##name(const void *addr, size_t len) \
{ \
	flush_lines(addr, len, flush_line_##name); \
}
FOR_EACH_FLUSH(FLUSH_RANGE)
#undef FLUSH_RANGE

static const struct flush_row Flushes[FLUSH_KINDS] = {
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

static const struct x86_kernels *const Families[] = {
	[FAM_SSE2] = &x86_kernels_sse2,
	[FAM_AVX] = &x86_kernels_avx,
#ifndef NO_AVX512F_KERNELS
	[FAM_AVX512F] = &x86_kernels_avx512f,
#endif
#ifndef NO_MOVDIR64B_KERNELS
	[FAM_MOVDIR64B] = &x86_kernels_movdir64b,
#endif
};

/*
 * The policy's vector family as the CPU, the build and the environment
 * allow it: PMEM_AVX=0 leaves SSE2, PMEM_AVX512F=0 forbids AVX-512 and
 * PMEM_AVX512F=1 asks for it where the policy chose 256 bits.
 */
static enum x86_family
allowed_vectors(enum x86_family fam, unsigned cpu)
{
	int avx512_ok = (cpu & CPU_AVX512F) && Families[FAM_AVX512F] &&
		!env_equals(ENV_AVX512F, "0");

	if (!(cpu & CPU_AVX) || env_equals(ENV_AVX, "0"))
		return FAM_SSE2;
	if (fam == FAM_AVX && avx512_ok && env_equals(ENV_AVX512F, "1"))
		return FAM_AVX512F;
	if (fam == FAM_AVX512F && !avx512_ok)
		return FAM_AVX;
	return fam;
}

/*
 * Streaming copies: MOVDIR64B where the row or PMEM_MOVDIR64B asks for it
 * and the CPU has it; PMEM_MOVDIR64B=0 forbids it (compat: as in the
 * reference, any other value asks). MOVDIR64B holds no data in vector
 * registers, so PMEM_AVX=0 and PMEM_AVX512F=0 leave it; a row's
 * MOVDIR64B the CPU lacks falls back to the widest vectors allowed.
 */
static enum x86_family
allowed_copy_nt(enum x86_family fam, unsigned cpu)
{
	int asked = env_is_set(ENV_MOVDIR64B) ?
		!env_equals(ENV_MOVDIR64B, "0") : fam == FAM_MOVDIR64B;

	if (asked && (cpu & CPU_MOVDIR64B) && Families[FAM_MOVDIR64B])
		return FAM_MOVDIR64B;
	if (fam == FAM_MOVDIR64B)
		fam = FAM_AVX512F;
	return allowed_vectors(fam, cpu);
}

/*
 * PMEM_WC_WORKAROUND=1/0 switch the WC barrier; otherwise the policy row
 * decides (the reference turns it on for every Intel CPU). The barrier
 * variant stores partial lines: a row streams them only without it.
 */
static enum nt_variant
choose_nt_variant(const struct x86_policy *row)
{
	int wc = env_equals(ENV_WC_WORKAROUND, "1") ||
		(row->wc_barrier && !env_equals(ENV_WC_WORKAROUND, "0"));

	if (wc)
		return NT_WC_BARRIER;
	return row->subline ? NT_SUBLINE : NT_PLAIN;
}

/*
 * Unflagged overlapping moves use ordinary stores below the row's size
 * and below half the last-level cache: past that the range no longer
 * stays cached, which is what made ordinary stores pay (bench
 * memmove_persist_up/hot 16 MiB on a 32 MiB LLC: 0.84). The size comes
 * from CPUID, with sysfs as a cross-check: in VMs the two can disagree
 * (a whole chip's L3 against the part one core shares), and the smaller
 * is the one a move can count on. An unknown size leaves the row's limit.
 */
static size_t
overlap_limit(const struct x86_policy *row, const struct cpu_model *m,
	size_t llc_sysfs)
{
	size_t llc = m->llc_size ? m->llc_size : llc_sysfs;

	if (m->llc_size && llc_sysfs && llc_sysfs != m->llc_size) {
		LOG(3, "last-level cache: CPUID says %zu bytes, sysfs %zu; "
			"using the smaller", m->llc_size, llc_sysfs);
		llc = MIN(m->llc_size, llc_sysfs);
	}
	return MIN(row->overlap_mov_below, llc ? llc / 2 : SIZE_MAX);
}

/*
 * Far whole-line overlapping moves stop using ordinary stores at the
 * row's smaller size; never later than other overlapping moves do.
 */
static void
far_overlap(struct arch_choice *c, const struct x86_policy *row)
{
	if (row->far_dist == 0)
		return;
	c->overlap_far_dist = row->far_dist;
	c->overlap_far_movnt_min = MIN(row->far_mov_below,
		c->overlap_movnt_min);
	LOG(3, "overlapping moves of whole lines at least %zu bytes apart: "
		"ordinary stores below %zu bytes", c->overlap_far_dist,
		c->overlap_far_movnt_min);
}

size_t Prefetch_ahead;
size_t Line_stream_copy_min = LINE_STREAM_COPY_MIN;

/* what arch_describe() reports */
static unsigned Cpu;
static struct cpu_model Model;
static const struct x86_policy *Row;
static enum nt_variant Nt_variant;
static enum x86_family Copy_family;

void
arch_init(struct arch_choice *c, const struct pmem_policy *policy)
{
	struct cpu_model model;
	unsigned cpu = cpu_features(&model);
	const struct x86_policy *row = policy_find(cpu, &model);
	enum flush_kind real = choose_flush(cpu);
	enum flush_kind used = policy->flush_needed ? real : FLUSH_NONE;
	const struct x86_kernels *vec = Families[allowed_vectors(row->mov,
		cpu)];
	enum x86_family copy_family = allowed_copy_nt(row->copy_nt, cpu);
	const struct x86_kernels *copy = Families[copy_family];
	const struct x86_kernels *fill = Families[allowed_vectors(
		row->fill_nt, cpu)];
	enum nt_variant ntv = choose_nt_variant(row);

	Cpu = cpu;
	Model = model;
	Row = row;
	Nt_variant = ntv;
	Copy_family = copy_family;
	Prefetch_ahead = row->prefetch_ahead;
	c->overlap_movnt_min = MIN(c->overlap_movnt_min,
		overlap_limit(row, &model, policy->llc_size));
	far_overlap(c, row);
	c->flush = Flushes[used];
	c->deep_flush = Flushes[real];
	c->fence = (struct fence_row){ fence_sfence, "sfence" };
	c->has_hw_drain = 0;
	c->memmove[MEM_MOV] = vec->memmove_mov[used];
	c->memmove[MEM_MOV_NOFLUSH] = vec->memmove_mov[FLUSH_NONE];
	c->memmove[MEM_MOVNT] = copy->memmove_movnt[used][ntv];
	c->memset[MEM_MOV] = vec->memset_mov[used];
	c->memset[MEM_MOV_NOFLUSH] = vec->memset_mov[FLUSH_NONE];
	c->memset[MEM_MOVNT] = fill->memset_movnt[used][ntv];
}

unsigned
arch_cpu_features(void)
{
	return cpu_features(NULL);
}

/* what a flush kind needs of the CPU */
static const unsigned Flush_needs[FLUSH_KINDS] = {
	[FLUSH_CLFLUSHOPT] = CPU_CLFLUSHOPT,
	[FLUSH_CLWB] = CPU_CLWB,
};

static const unsigned Family_needs[] = {
	[FAM_AVX] = CPU_AVX,
	[FAM_AVX512F] = CPU_AVX512F,
	[FAM_MOVDIR64B] = CPU_MOVDIR64B,
};

/* the row of one kernel of a family table, if the table has it */
static size_t
list_one(struct pmem_kernel *out, const char *name, memmove_func mv,
	memset_func ms, const struct pmem_kernel *proto)
{
	if (mv == NULL && ms == NULL)
		return 0;
	*out = *proto;
	out->name = name;
	out->move = mv;
	out->set = ms;
	return 1;
}

size_t
x86_family_list(const struct x86_kernels *k, unsigned needs,
	struct pmem_kernel *out)
{
	size_t n = 0;

	for (int f = 0; f < FLUSH_KINDS; f++) {
		struct pmem_kernel p = { NULL, NULL, NULL, STORE_MOV, 0, 0,
			f, Flushes[f].name, k->isa, needs | Flush_needs[f] };

		n += list_one(out + n, k->memmove_mov[f].name,
			k->memmove_mov[f].fn, NULL, &p);
		n += list_one(out + n, k->memset_mov[f].name, NULL,
			k->memset_mov[f].fn, &p);
		p.store = STORE_MOVNT;
		for (int w = 0; w < NT_VARIANTS; w++) {
			p.wc_barrier = w == NT_WC_BARRIER;
			p.subline = w == NT_SUBLINE;
			n += list_one(out + n, k->memmove_movnt[f][w].name,
				k->memmove_movnt[f][w].fn, NULL, &p);
			n += list_one(out + n, k->memset_movnt[f][w].name,
				NULL, k->memset_movnt[f][w].fn, &p);
		}
	}
	return n;
}

/* built on first use: the family tables live in other objects */
const struct pmem_kernel *
arch_kernels(size_t *n)
{
	static struct pmem_kernel list[ARRAY_SIZE(Families) *
		X86_FAMILY_KERNELS];
	static size_t count;

	if (count == 0)
		for (size_t i = 0; i < ARRAY_SIZE(Families); i++)
			if (Families[i] != NULL)
				count += x86_family_list(Families[i],
					Family_needs[i], list + count);
	*n = count;
	return list;
}

void
arch_describe(describe_func emit)
{
	emitf(emit, "CPU (x86_64%s): clflush %s, clflushopt %s, clwb %s, "
		"avx %s, avx512f %s, movdir64b %s",
		(Cpu & CPU_INTEL) ? ", Intel" : "",
#define YES_NO(bit) ((Cpu & (bit)) ? "yes" : "no")
		YES_NO(CPU_CLFLUSH), YES_NO(CPU_CLFLUSHOPT), YES_NO(CPU_CLWB),
		YES_NO(CPU_AVX), YES_NO(CPU_AVX512F), YES_NO(CPU_MOVDIR64B));
#undef YES_NO
	emitf(emit, "CPU model: family %u model %u, last-level cache %zu "
		"KiB (CPUID)", Model.family, Model.model, Model.llc_size >> 10);
	emitf(emit, "policy: %s: %s", Row->name, Row->why);
	emitf(emit, "WC workaround: %s",
		Nt_variant == NT_WC_BARRIER ? "on" : "off");
	emitf(emit, "partial lines of streaming copies: %s",
		Nt_variant == NT_SUBLINE ? "streamed where 4-byte aligned "
		"(MOVNTI)" : "stored and flushed");
	if (Prefetch_ahead)
		emitf(emit, "source of streaming copies: prefetched %zu "
			"bytes ahead", Prefetch_ahead);
	else
		emitf(emit, "source of streaming copies: not prefetched");
	if (Copy_family == FAM_MOVDIR64B)
		emitf(emit, "MOVDIR64B: streaming copies of %zu bytes and "
			"more (shorter ones: SSE2 streaming stores)",
			Line_stream_copy_min);
}

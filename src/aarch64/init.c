/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aarch64 half of pmem_init(): the hwcaps pick the clean instruction (DC
 * CVAP, else DC CVAC; DC CVADP for deep flushes) and the register family
 * of the kernels; the dispatch table gets the matching rows. The x86-only
 * tuning variables (PMEM_NO_CLWB, PMEM_AVX, PMEM_WC_WORKAROUND, ...) mean
 * nothing here and are ignored, as the reference ignores them on Arm.
 */
#include "arch.h"
#include "cpu.h"
#include "describe.h"
#include "flush.h"
#include "kernels.h"
#include "out.h"

#define ARCH_FLUSH_RANGE flush_lines
#include "flush_table.h"

/*
 * DC CVAC reaches memory on systems without a separate point of
 * persistence, which is all a CPU without FEAT_DPB can offer.
 */
static enum flush_kind
choose_flush(unsigned cpu)
{
	return (cpu & CPU_DCPOP) ? FLUSH_CVAP : FLUSH_CVAC;
}

static enum flush_kind
choose_deep_flush(unsigned cpu)
{
	return (cpu & CPU_DCPODP) ? FLUSH_CVADP : choose_flush(cpu);
}

/*
 * Q registers move a 64-byte line in two LDP/STP instead of four, which
 * is why every aarch64 libc copies with them. Under QEMU (the only Arm we
 * had) the two families ran within noise of each other and about twice
 * as fast as the generic 8-byte loop; emulation cannot rank them, so
 * rerun tests/aarch64/bench_kernels.c on hardware. Without ASIMD (allowed
 * by the architecture, unseen in Linux systems) the X-pair family runs.
 */
static const struct arm_kernels *
choose_registers(unsigned cpu)
{
	return (cpu & CPU_ASIMD) ? &arm_kernels_neon : &arm_kernels_gpr;
}

/* what arch_describe() reports */
static unsigned Cpu;

void
arch_init(struct arch_choice *c, const struct pmem_policy *policy)
{
	unsigned cpu = cpu_features();
	enum flush_kind real = choose_flush(cpu);
	enum flush_kind used = policy->flush_needed ? real : FLUSH_NONE;
	enum flush_kind deep = choose_deep_flush(cpu);
	const struct arm_kernels *k = choose_registers(cpu);
	const struct arm_kernel_row *row = &k->rows[used];
	const struct arm_kernel_row *none = &k->rows[FLUSH_NONE];

	Cpu = cpu;
	Dcache_line = cpu_dcache_line();

	c->flush = Flushes[used];
	c->deep_flush = Flushes[deep];
	c->fence = (struct fence_row){ dsb_sy, "dsb sy" };
	c->has_hw_drain = 0;
	c->memmove[MEM_MOV] = row->memmove_mov;
	c->memmove[MEM_MOV_NOFLUSH] = none->memmove_mov;
	c->memmove[MEM_MOVNT] = row->memmove_movnt;
	c->memset[MEM_MOV] = row->memset_mov;
	c->memset[MEM_MOV_NOFLUSH] = none->memset_mov;
	c->memset[MEM_MOVNT] = row->memset_movnt;
}

unsigned
arch_cpu_features(void)
{
	return cpu_features();
}

/* the kernel flush kinds and what each needs of the CPU */
static const unsigned Flush_needs[FLUSH_KINDS] = {
	[FLUSH_CVAP] = CPU_DCPOP,
};

static size_t
family_list(const struct arm_kernels *k, unsigned needs,
	struct pmem_kernel *out)
{
	size_t n = 0;

#define LIST_ROW(fl, kind) \
	out[n++] = (struct pmem_kernel){ k->rows[kind].memmove_mov.name, \
		k->rows[kind].memmove_mov.fn, NULL, STORE_MOV, 0, 0, kind, \
		Flushes[kind].name, k->isa, needs | Flush_needs[kind] }; \
	out[n++] = (struct pmem_kernel){ k->rows[kind].memset_mov.name, NULL, \
		k->rows[kind].memset_mov.fn, STORE_MOV, 0, 0, kind, \
		Flushes[kind].name, k->isa, needs | Flush_needs[kind] }; \
	out[n++] = (struct pmem_kernel){ k->rows[kind].memmove_movnt.name, \
		k->rows[kind].memmove_movnt.fn, NULL, STORE_MOVNT, 0, 0, kind, \
		Flushes[kind].name, k->isa, needs | Flush_needs[kind] }; \
	out[n++] = (struct pmem_kernel){ k->rows[kind].memset_movnt.name, \
		NULL, k->rows[kind].memset_movnt.fn, STORE_MOVNT, 0, 0, kind, \
		Flushes[kind].name, k->isa, needs | Flush_needs[kind] };
	FOR_EACH_KERNEL_FLUSH(LIST_ROW)
#undef LIST_ROW
	return n;
}

/* built on first use: the family tables live in other objects */
const struct pmem_kernel *
arch_kernels(size_t *n)
{
	static struct pmem_kernel list[2 * 4 * FLUSH_KINDS];
	static size_t count;

	if (count == 0) {
		count = family_list(&arm_kernels_neon, CPU_ASIMD, list);
		count += family_list(&arm_kernels_gpr, 0, list + count);
	}
	*n = count;
	return list;
}

void
arch_describe(describe_func emit)
{
	emitf(emit, "CPU (aarch64): asimd %s, dcpop %s, dcpodp %s",
		(Cpu & CPU_ASIMD) ? "yes" : "no",
		(Cpu & CPU_DCPOP) ? "yes" : "no",
		(Cpu & CPU_DCPODP) ? "yes" : "no");
	emitf(emit, "D-cache line %zu bytes", Dcache_line);
}

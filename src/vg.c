/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Valgrind support decided at load: which tool runs us, and the wrappers
 * that issue its client requests, installed in the dispatch table only
 * when that tool runs, so the copy paths outside Valgrind stay unchanged.
 */
#include "funcs.h"
#include "out.h"
#include "vg.h"

#if !defined(PMEM_VG_RECORD) && !defined(PMEM_NO_VALGRIND)
#include <valgrind/memcheck.h>
_Static_assert(VG_CORE_CHANGE_ERR_DISABLEMENT ==
	VG_USERREQ__CHANGE_ERR_DISABLEMENT, "core request number");
_Static_assert(VG_MC_CHECK_MEM_IS_ADDRESSABLE ==
	VG_USERREQ__CHECK_MEM_IS_ADDRESSABLE, "memcheck request number");
_Static_assert(VG_PMC_REGISTER_PMEM_MAPPING ==
	VG_USERREQ_TOOL_BASE('P', 'C'), "pmemcheck tool base");
#endif

unsigned Vg_tools;

/* the entries the wrappers call, as arch_init chose them */
static struct pmem_funcs Real;

/*
 * Only pmemcheck knows its requests: a mapping registered for the probe
 * reads back as registered there, as 0 (the default) under other tools.
 */
static int
pmemcheck_runs(void)
{
	static char probe;
	uintptr_t known;

	(void) VG_REQ(0, VG_PMC_REGISTER_PMEM_MAPPING, &probe, 1, 0, 0);
	known = VG_REQ(0, VG_PMC_CHECK_IS_PMEM_MAPPING, &probe, 1, 0, 0);
	(void) VG_REQ(0, VG_PMC_REMOVE_PMEM_MAPPING, &probe, 1, 0, 0);
	return known != 0;
}

/* memcheck answers 0 for an addressable byte; other tools the default 1 */
static int
memcheck_runs(void)
{
	static char probe;

	return VG_REQ(1, VG_MC_CHECK_MEM_IS_ADDRESSABLE, &probe, 1, 0, 0) == 0;
}

static void
tell_flushed(const void *addr, size_t len)
{
	(void) VG_REQ(0, VG_PMC_DO_FLUSH, addr, len, 0, 0);
}

/* ---- pmemcheck: what the kernels did that it cannot see ----------------- */

static void
pmc_flush(const void *addr, size_t len)
{
	Real.flush(addr, len);
	tell_flushed(addr, len);
}

#define PMC_KERNELS(kind, suffix) \
static void \
pmc_memmove_##suffix(char *dst, const char *src, size_t len) \
{ \
	Real.memmove[kind](dst, src, len); \
	tell_flushed(dst, len); \
} \
static void \
pmc_memset_##suffix(char *dst, int c, size_t len) \
{ \
	Real.memset[kind](dst, c, len); \
	tell_flushed(dst, len); \
}
PMC_KERNELS(MEM_MOV, mov)
PMC_KERNELS(MEM_MOVNT, movnt)
#undef PMC_KERNELS

static void
pmemcheck_wrap(struct pmem_funcs *f, const struct vg_unseen *unseen)
{
	if (unseen->flush)
		f->flush = pmc_flush;
	if (unseen->mov) {
		f->memmove[MEM_MOV] = pmc_memmove_mov;
		f->memset[MEM_MOV] = pmc_memset_mov;
	}
	if (unseen->movnt) {
		f->memmove[MEM_MOVNT] = pmc_memmove_movnt;
		f->memset[MEM_MOVNT] = pmc_memset_movnt;
	}
}

void
vg_init(struct pmem_funcs *f, const struct vg_unseen *unseen)
{
	Vg_tools = 0;
	if (!VG_RUNNING())
		return;
	Vg_tools = VG_ON;
	if (pmemcheck_runs())
		Vg_tools |= VG_PMEMCHECK;
	else if (memcheck_runs())
		Vg_tools |= VG_MEMCHECK;

	Real = *f;
	/*
	 * memcheck gets no wrappers: its checks are made in the entry points
	 * (VG_MC_CHECK_ADDRESSABLE), whose frames its reports must start in
	 */
	if (Vg_tools & VG_PMEMCHECK)
		pmemcheck_wrap(f, unseen);
	LOG(3, "running under Valgrind (tool bits 0x%x)", Vg_tools);
}

void
vg_describe(describe_func emit)
{
#if defined(PMEM_NO_VALGRIND)
	emit("valgrind: client requests not compiled in (no valgrind.h)");
#else
	if (Vg_tools & VG_PMEMCHECK)
		emit("valgrind: pmemcheck (mappings registered; streaming "
			"copies, skipped flushes and msync reported)");
	else if (Vg_tools & VG_MEMCHECK)
		emit("valgrind: memcheck (flushed and msync'ed ranges "
			"checked; msync's page rounding not reported)");
	else if (Vg_tools & VG_ON)
		emit("valgrind: another tool (msync's page rounding not "
			"reported)");
	else
		emit("valgrind: not running under it");
#endif
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the library tells Valgrind tools (client requests): pmemcheck gets
 * the mappings and the flushes it cannot see, memcheck its view around
 * msync. vg_init() learns once at load which tool runs; outside Valgrind
 * each helper below tests one flag that is 0. The copy paths test none;
 * the flush entry points test it once (VG_MEMCHECK_ON).
 */
#ifndef PMEM_VG_H
#define PMEM_VG_H

#include <stddef.h>
#include <stdint.h>

#include "funcs.h"

/*
 * Request numbers. pmemcheck (the pmem/valgrind fork) publishes its own in
 * the tool range 'P','C'; they are a fixed ABI, in the order of the enum in
 * its pmemcheck.h, which Debian does not ship. The core and memcheck ones
 * are checked against Valgrind's headers in vg.c where those exist.
 */
#define VG_TOOL_BASE(a, b) (((uintptr_t)(a) << 24) | ((uintptr_t)(b) << 16))
#define VG_PMC_REGISTER_PMEM_MAPPING	(VG_TOOL_BASE('P', 'C') + 0)
#define VG_PMC_REGISTER_PMEM_FILE	(VG_TOOL_BASE('P', 'C') + 1)
#define VG_PMC_REMOVE_PMEM_MAPPING	(VG_TOOL_BASE('P', 'C') + 2)
#define VG_PMC_CHECK_IS_PMEM_MAPPING	(VG_TOOL_BASE('P', 'C') + 3)
#define VG_PMC_DO_FLUSH			(VG_TOOL_BASE('P', 'C') + 5)
#define VG_PMC_DO_FENCE			(VG_TOOL_BASE('P', 'C') + 6)
#define VG_MC_CHECK_MEM_IS_ADDRESSABLE	(VG_TOOL_BASE('M', 'C') + 4)
#define VG_CORE_CHANGE_ERR_DISABLEMENT	((uintptr_t)0x1801)

/*
 * VG_REQ(default, request, a1..a4): the request's answer under Valgrind,
 * default elsewhere (and from a tool that does not know the request).
 * A build with -DPMEM_VG_RECORD hands every request, and the "running on
 * Valgrind?" question, to functions a test defines instead.
 */
#if defined(PMEM_VG_RECORD)
uintptr_t pmem_vg_record(uintptr_t dflt, uintptr_t req, uintptr_t a1,
	uintptr_t a2, uintptr_t a3, uintptr_t a4);
int pmem_vg_record_running(void);
#define VG_REQ(dflt, req, a1, a2, a3, a4) \
	pmem_vg_record((dflt), (req), (uintptr_t)(a1), (uintptr_t)(a2), \
		(uintptr_t)(a3), (uintptr_t)(a4))
#define VG_RUNNING() pmem_vg_record_running()
#else
#ifndef PMEM_NO_VALGRIND
/* it defines NVALGRIND on CPUs Valgrind does not run on (riscv64 in 3.19) */
#include <valgrind/valgrind.h>
#endif
#if defined(PMEM_NO_VALGRIND) || defined(NVALGRIND)
#define VG_NO_REQUESTS
#define VG_REQ(dflt, req, a1, a2, a3, a4) \
	((void)(req), (void)(a1), (void)(a2), (void)(a3), (void)(a4), (dflt))
#define VG_RUNNING() 0
#else
#define VG_REQ(dflt, req, a1, a2, a3, a4) \
	((uintptr_t)VALGRIND_DO_CLIENT_REQUEST_EXPR((dflt), (req), (a1), \
		(a2), (a3), (a4), 0))
#define VG_RUNNING() ((int)RUNNING_ON_VALGRIND)
#endif
#endif

/* which tool runs us: bits set once by vg_init() */
enum vg_tool {
	VG_ON = 1,		/* under Valgrind, any tool */
	VG_PMEMCHECK = 2,
	VG_MEMCHECK = 4,
};
extern unsigned Vg_tools __attribute__((visibility("hidden")));

/*
 * Which of the chosen kernels leave stores that pmemcheck cannot see
 * reach persistence: it sees flush instructions and SFENCE itself, but
 * not that a streaming store bypassed the cache, nor a flush skipped
 * because the caches are persistent (eADR, PMEM_NO_FLUSH=1).
 */
struct vg_unseen {
	int flush;	/* pmem_flush issues no flush instruction */
	int mov;	/* nor do the ordinary-store kernels */
	int movnt;	/* the MEM_MOVNT kernels stream */
};

/*
 * Asks Valgrind which tool runs, then, under pmemcheck or memcheck, puts
 * wrappers that issue the requests in front of the table's entries.
 */
void vg_init(struct pmem_funcs *f, const struct vg_unseen *unseen);
void vg_describe(describe_func emit);

/* a pmem_map_file mapping is persistent memory to pmemcheck */
static inline void
vg_register_pmem(int fd, const void *addr, size_t len)
{
	if (!(Vg_tools & VG_PMEMCHECK))
		return;
	(void) VG_REQ(0, VG_PMC_REGISTER_PMEM_MAPPING, addr, len, 0, 0);
	/* names the file in pmemcheck's store log (pmreorder reads it) */
	(void) VG_REQ(0, VG_PMC_REGISTER_PMEM_FILE, fd, addr, len, 0);
}

static inline void
vg_remove_pmem(const void *addr, size_t len)
{
	if (Vg_tools & VG_PMEMCHECK)
		(void) VG_REQ(0, VG_PMC_REMOVE_PMEM_MAPPING, addr, len, 0, 0);
}

/* a flush and a fence pmemcheck cannot see (msync writes pages back) */
static inline void
vg_persisted(const void *addr, size_t len)
{
	if (!(Vg_tools & VG_PMEMCHECK))
		return;
	(void) VG_REQ(0, VG_PMC_DO_FLUSH, addr, len, 0, 0);
	(void) VG_REQ(0, VG_PMC_DO_FENCE, 0, 0, 0, 0);
}

/*
 * whether memcheck runs us: one test of a flag that is 0 elsewhere, and
 * none in a build without the requests
 */
#ifdef VG_NO_REQUESTS
#define VG_MEMCHECK_ON() 0
#else
#define VG_MEMCHECK_ON() __builtin_expect(!!(Vg_tools & VG_MEMCHECK), 0)
#endif

/*
 * memcheck reports [addr, addr + len) if any byte of it is unaddressable;
 * issue it only when VG_MEMCHECK_ON(). The report's first frame is the
 * function that issues the request, and users write suppressions against
 * it (fun:pmem_flush), so each entry point expands this itself. A macro,
 * not an inline function: at -O0 the function is a frame of its own, and
 * even inlined, valgrind shows it as one from the debug build's DWARF
 * inline records.
 */
#define VG_MC_CHECK_ADDRESSABLE(addr, len) \
	((void) VG_REQ(0, VG_MC_CHECK_MEM_IS_ADDRESSABLE, (addr), (len), 0, 0))

/*
 * Errors off and on again, counted by Valgrind per thread: around a
 * system call that must touch more bytes than the caller named.
 */
static inline void
vg_errors_off(void)
{
	if (Vg_tools & VG_ON)
		(void) VG_REQ(0, VG_CORE_CHANGE_ERR_DISABLEMENT, 1, 0, 0, 0);
}

static inline void
vg_errors_on(void)
{
	if (Vg_tools & VG_ON)
		(void) VG_REQ(0, VG_CORE_CHANGE_ERR_DISABLEMENT, -1, 0, 0, 0);
}

#endif

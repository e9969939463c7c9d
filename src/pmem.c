/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush, drain and copy entry points of the API.
 *
 * How data reaches persistence
 * ----------------------------
 * A store is durable once its cache line has left the CPU caches for the
 * memory controller's persistence domain. Two ways get it there:
 *
 *  - ordinary stores followed by a write-back of each line (CLWB, else
 *    CLFLUSHOPT, else CLFLUSH on x86_64; DC CVAP/CVAC on aarch64): that is
 *    pmem_flush(), and the copy kernels' MEM_MOV kind;
 *  - non-temporal stores, which bypass the caches (MEM_MOVNT): they need no
 *    flush, only the partial lines at either end of the range do.
 *
 * Both are weakly ordered, so pmem_drain() issues the fence that waits for
 * them; pmem_persist() is flush + drain, and the _persist copies are the
 * kernel + drain. _nodrain and PMEM_F_MEM_NODRAIN leave out only that
 * fence, so a caller can batch several ranges under one drain.
 *
 * Which kernel a copy uses is decided per call from two inputs only: the
 * flags (NONTEMPORAL/WC ask for MEM_MOVNT, TEMPORAL/WB for MEM_MOV,
 * NOFLUSH for MEM_MOV_NOFLUSH) and, without them, the length against the
 * non-temporal threshold. Everything else (the ISA family, the flush
 * instruction, eADR, the environment) was decided once at load time by
 * pmem_init() and lives in the Funcs table, so these functions are a table
 * look-up and a call.
 *
 * With eADR (pmem_has_auto_flush()) the caches are inside the persistence
 * domain: pmem_flush becomes empty, the fence stays. pmem_deep_* always
 * flush the caches, fence, and only then make the device flush its own
 * queues (msync, or the region's deep_flush file): the write-backs are
 * weakly ordered, and nothing promises that the kernel fences them for us
 * before it asks the device. pmem_msync fences first for the same reason:
 * a caller may have flushed lines itself and count on msync after them.
 */
#include "funcs.h"
#include "libpmem.h"
#include "out.h"
#include "platform.h"
#include "range.h"
#include "util.h"
#include "vg.h"

#define MEM_F_MOVNT (PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_WC)
#define MEM_F_MOV (PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_WB)

static force_inline enum mem_kind
mem_kind(size_t len, unsigned flags)
{
	if (flags & PMEM_F_MEM_NOFLUSH)
		return MEM_MOV_NOFLUSH;
	if (flags & MEM_F_MOVNT)
		return MEM_MOVNT;
	if (flags & MEM_F_MOV)
		return MEM_MOV;
	return len < Funcs.movnt_threshold ? MEM_MOV : MEM_MOVNT;
}

/*
 * An overlapping move reads the very lines it writes: they are in the
 * cache, and streaming stores to cached lines force them out first. Plain
 * stores plus a flush measured 2-3x faster for 256 B - 8 MiB moves
 * (bench: memmove_persist_up/down, memmove_persist_up/hot), so unflagged
 * overlapping moves use them up to the CPU's limit (x86_64/policy.rows)
 * and half the last-level cache (init.c says why not beyond).
 *
 * The distance matters too. A move whose source lies far from its
 * destination is a copy for most of its lines, and one that writes whole
 * lines streams them with no write-back at all; where the policy says so,
 * such a far whole-line move keeps ordinary stores only below a smaller
 * size (Funcs.overlap_far_*). An explicit NONTEMPORAL/WC or TEMPORAL/WB
 * flag is still honoured.
 */
static force_inline enum mem_kind
move_kind(const void *dst, const void *src, size_t len, unsigned flags)
{
	uintptr_t up = (uintptr_t)dst - (uintptr_t)src;
	uintptr_t dist = up < -up ? up : -up;

	if (!(flags & (MEM_F_MOVNT | MEM_F_MOV | PMEM_F_MEM_NOFLUSH)) &&
			dist < len) {
		size_t below = Funcs.overlap_movnt_min;

		if (dist >= Funcs.overlap_far_dist &&
				(((uintptr_t)dst | len) & CACHELINE_MASK) == 0)
			below = Funcs.overlap_far_movnt_min;
		if (len < below)
			return MEM_MOV;
	}
	return mem_kind(len, flags);
}

/*
 * compat: unknown bits are ignored (libpmemobj sets bit 31); the debug
 * build reports them through pmem_errormsg() and the log, and still copies.
 * api names the caller's entry point: these paths skip OUT_ENTRY's TLS.
 */
static force_inline void
check_mem_flags(unsigned flags, const char *api)
{
#ifdef DEBUG
	if (flags & ~PMEM_F_MEM_VALID_FLAGS)
		ERR_IN(api, "invalid flags 0x%x", flags);
#else
	(void) flags;
	(void) api;
#endif
}

/*
 * fn, called as a function even where the compiler could inline it: its
 * address is hidden from the optimiser. Under memcheck, pmem_persist and
 * pmem_deep_persist call their flush this way, so that a report starts in
 * pmem_flush or pmem_deep_flush above them, as the reference's does.
 */
#define OUT_OF_LINE(fn) (__extension__ ({ \
	__typeof__(&(fn)) fn_ = (fn); \
	__asm__("" : "+r" (fn_)); \
	fn_; }))

/* NOFLUSH copies promise nothing, so they skip the fence too */
static force_inline void
finish_mem(unsigned flags)
{
	if (!(flags & (PMEM_F_MEM_NODRAIN | PMEM_F_MEM_NOFLUSH)))
		Funcs.fence();
}

PMEM_EXPORT int
pmem_has_hw_drain(void)
{
	LOG(3, "has_hw_drain %d", Funcs.has_hw_drain);
	return Funcs.has_hw_drain;
}

PMEM_EXPORT int
pmem_has_auto_flush(void)
{
	LOG(3, "checking persistence domains");
	return plat_auto_flush();
}

PMEM_EXPORT void
pmem_drain(void)
{
	LOG(15, "drain");
	Funcs.fence();
}

/*
 * The range is checked here and in each entry point below that takes one,
 * not in the table's entries: memcheck names the frame that asks.
 */
PMEM_EXPORT void
pmem_flush(const void *addr, size_t len)
{
	LOG(15, "addr %p len %zu", addr, len);
	/*
	 * The request's arguments live on the stack: with its own return,
	 * gcc allocates that frame in this branch only, and the path outside
	 * Valgrind stays a test and the jump to the flush.
	 */
	if (VG_MEMCHECK_ON()) {
		VG_MC_CHECK_ADDRESSABLE(addr, len);
		Funcs.flush(addr, len);
		return;
	}
	Funcs.flush(addr, len);
}

/*
 * compat: pmem_flush then pmem_drain, so that the debug log shows all
 * three calls as the reference's does. -fno-semantic-interposition lets
 * the compiler inline both, and flatten makes it: on its own gcc calls
 * pmem_flush, whose memcheck branch made it too big. Under memcheck it is
 * called, so that its report names it.
 */
PMEM_EXPORT __attribute__((flatten)) void
pmem_persist(const void *addr, size_t len)
{
	LOG(15, "addr %p len %zu", addr, len);
	if (VG_MEMCHECK_ON())
		OUT_OF_LINE(pmem_flush)(addr, len);
	else
		pmem_flush(addr, len);
	pmem_drain();
}

PMEM_EXPORT int
pmem_msync(const void *addr, size_t len)
{
	OUT_ENTRY();
	LOG(15, "addr %p len %zu", addr, len);
	/* valgrind: the caller's own bytes; plat_msync hides the rounding */
	if (VG_MEMCHECK_ON())
		VG_MC_CHECK_ADDRESSABLE(addr, len);
	Funcs.fence();
	return plat_msync(addr, len);
}

/*
 * The fence, then the device's own flush (see the top of this file for
 * why in that order).
 */
PMEM_EXPORT int
pmem_deep_drain(const void *addr, size_t len)
{
	OUT_ENTRY();
	LOG(3, "addr %p len %zu", addr, len);
	Funcs.fence();
	return range_deep_drain((uintptr_t)addr, len);
}

/* compat: as the reference, pmem_deep_flush then pmem_deep_drain, logged */
PMEM_EXPORT int
pmem_deep_persist(const void *addr, size_t len)
{
	OUT_ENTRY();
	LOG(3, "addr %p len %zu", addr, len);
	if (VG_MEMCHECK_ON())
		OUT_OF_LINE(pmem_deep_flush)(addr, len);
	else
		pmem_deep_flush(addr, len);
	return pmem_deep_drain(addr, len);
}

PMEM_EXPORT void
pmem_deep_flush(const void *addr, size_t len)
{
	LOG(15, "addr %p len %zu", addr, len);
	/* as in pmem_flush, the branch keeps the jump to the flush */
	if (VG_MEMCHECK_ON()) {
		VG_MC_CHECK_ADDRESSABLE(addr, len);
		Funcs.deep_flush(addr, len);
		return;
	}
	Funcs.deep_flush(addr, len);
}

static force_inline void *
mem_move(void *pmemdest, const void *src, size_t len, unsigned flags,
	const char *api)
{
	LOG(15, "pmemdest %p src %p len %zu flags 0x%x", pmemdest, src, len,
		flags);
	check_mem_flags(flags, api);
	Funcs.memmove[move_kind(pmemdest, src, len, flags)](pmemdest, src, len);
	finish_mem(flags);
	return pmemdest;
}

PMEM_EXPORT void *
pmem_memmove(void *pmemdest, const void *src, size_t len, unsigned flags)
{
	return mem_move(pmemdest, src, len, flags, __func__);
}

/*
 * gcc's identical code folding would make pmem_memcpy a jump to
 * pmem_memmove, and a memcheck report on the copy would then name
 * pmem_memmove above the caller, where the reference's names pmem_memcpy
 */
#if defined(__has_attribute)
#if __has_attribute(no_icf)
#define NO_ICF __attribute__((no_icf))
#endif
#endif
#ifndef NO_ICF
#define NO_ICF
#endif

/* compat: overlapping ranges are copied like memmove, as the reference does */
PMEM_EXPORT NO_ICF void *
pmem_memcpy(void *pmemdest, const void *src, size_t len, unsigned flags)
{
	return mem_move(pmemdest, src, len, flags, __func__);
}

PMEM_EXPORT void *
pmem_memset(void *pmemdest, int c, size_t len, unsigned flags)
{
	LOG(15, "pmemdest %p c 0x%x len %zu flags 0x%x", pmemdest, c, len,
		flags);
	check_mem_flags(flags, __func__);
	Funcs.memset[mem_kind(len, flags)](pmemdest, c, len);
	finish_mem(flags);
	return pmemdest;
}

PMEM_EXPORT void *
pmem_memmove_persist(void *pmemdest, const void *src, size_t len)
{
	return pmem_memmove(pmemdest, src, len, 0);
}

PMEM_EXPORT void *
pmem_memcpy_persist(void *pmemdest, const void *src, size_t len)
{
	return pmem_memmove(pmemdest, src, len, 0);
}

PMEM_EXPORT void *
pmem_memset_persist(void *pmemdest, int c, size_t len)
{
	return pmem_memset(pmemdest, c, len, 0);
}

PMEM_EXPORT void *
pmem_memmove_nodrain(void *pmemdest, const void *src, size_t len)
{
	return pmem_memmove(pmemdest, src, len, PMEM_F_MEM_NODRAIN);
}

PMEM_EXPORT void *
pmem_memcpy_nodrain(void *pmemdest, const void *src, size_t len)
{
	return pmem_memmove(pmemdest, src, len, PMEM_F_MEM_NODRAIN);
}

PMEM_EXPORT void *
pmem_memset_nodrain(void *pmemdest, int c, size_t len)
{
	return pmem_memset(pmemdest, c, len, PMEM_F_MEM_NODRAIN);
}

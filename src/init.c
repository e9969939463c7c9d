/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmem_init(): the generic half of the load-time decisions (flush policy,
 * non-temporal threshold, overlapping-move size, generic kernels), the
 * architecture's half (arch.h), then Funcs filled from both, once.
 */
#include <stdint.h>
#include <stdlib.h>

#include "arch.h"
#include "env.h"
#include "funcs.h"
#include "out.h"
#include "platform.h"
#include "vg.h"

/*
 * Copies at least this long use non-temporal stores unless flags say.
 * compat: the reference's default, kept on every CPU. Copies that are only
 * written would gain from streaming shorter ones: aligned 8-64 B copies
 * and fills ran 1.07-1.71x faster with PMEM_MOVNT_THRESHOLD=0 on the Xeon
 * (family 6 model 167), the Zen 4 and the Zen 5 (make bench, choices pass,
 * NT=0), since a streamed line needs no write-back. But a record read back
 * right away is then no longer cached: memcpy_persist+read of 64 B ran at
 * 0.60 on that Xeon, of 256 B-4 KiB 2.1-3.2x slower on the Zen 4
 * (bench/results/README.md); at 256-384 B write-only copies measured
 * within noise of each other.
 */
#define MOVNT_THRESHOLD_DEFAULT 256

struct pmem_funcs Funcs;

/*
 * PMEM_NO_FLUSH=1 drops cache flushes, =0 keeps them even under eADR;
 * otherwise eADR (every nd region in the CPU-cache persistence domain)
 * makes them unnecessary.
 */
static int
flush_needed(const char **why)
{
	if (env_equals(ENV_NO_FLUSH, "1")) {
		*why = "not flushed (PMEM_NO_FLUSH=1)";
		LOG(3, "PMEM_NO_FLUSH=1: not flushing CPU caches");
		return 0;
	}
	if (env_equals(ENV_NO_FLUSH, "0")) {
		*why = "flushed (PMEM_NO_FLUSH=0)";
		LOG(3, "PMEM_NO_FLUSH=0: flushing CPU caches");
		return 1;
	}
	if (plat_auto_flush() == 1) {
		*why = "not flushed (eADR: every nd region is in the CPU cache persistence domain)";
		LOG(3, "eADR detected: not flushing CPU caches");
		return 0;
	}
	*why = "flushed";
	LOG(3, "flushing CPU caches");
	return 1;
}

/* compat: like the reference, a negative value is ignored, junk reads as 0 */
static size_t
movnt_threshold(void)
{
	const char *e = env_get(ENV_MOVNT_THRESHOLD);
	long long val;

	if (e == NULL)
		return MOVNT_THRESHOLD_DEFAULT;
	val = atoll(e);
	if (val < 0) {
		LOG(3, "invalid PMEM_MOVNT_THRESHOLD %s ignored", e);
		return MOVNT_THRESHOLD_DEFAULT;
	}
	LOG(3, "PMEM_MOVNT_THRESHOLD set to %llu", (unsigned long long)val);
	return (size_t)val;
}

/*
 * Where unflagged overlapping moves stop using ordinary stores (pmem.c,
 * move_kind): that choice pays while the range stays in the cache; from
 * half the last-level cache up streaming wins (bench memmove_persist_up/hot
 * 16 MiB on a 32 MiB LLC: 0.84 with ordinary stores). Unknown cache size:
 * ordinary stores at every size.
 */
static size_t
overlap_movnt_min(size_t llc)
{
	return llc ? llc / 2 : SIZE_MAX;
}

/*
 * PMEM_NO_MOVNT=1 sends every copy through ordinary stores: the portable
 * 8-byte-store kernels, or the SIMD temporal ones where
 * PMEM_NO_GENERIC_MEMCPY is a non-zero number. Returns 1 for the portable
 * ones.
 * compat: the reference reads that variable as a number (atoll: "2" is on,
 * "yes" off) and then calls libc's memmove/memset and flushes after them;
 * ours runs its temporal SIMD kernels, which store and flush the same
 * lines.
 */
static int
apply_no_movnt(struct arch_choice *c)
{
	const char *e = env_get(ENV_NO_GENERIC_MEMCPY);

	if (e != NULL && atoll(e) != 0) {
		LOG(3, "PMEM_NO_MOVNT=1: temporal SIMD kernels only");
		c->memmove[MEM_MOVNT] = c->memmove[MEM_MOV];
		c->memset[MEM_MOVNT] = c->memset[MEM_MOV];
		return 0;
	}
	LOG(3, "PMEM_NO_MOVNT=1: generic kernels");
	arch_generic_kernels(c);
	return 1;
}

/* the one place Funcs is written */
static void
fill_funcs(struct pmem_funcs *f, const struct arch_choice *c)
{
	f->flush = c->flush.fn;
	f->deep_flush = c->deep_flush.fn;
	f->fence = c->fence.fn;
	f->has_hw_drain = c->has_hw_drain;
	if (c->caches != NULL)
		f->names.caches = c->caches;
	f->overlap_movnt_min = c->overlap_movnt_min;
	f->overlap_far_dist = c->overlap_far_dist;
	f->overlap_far_movnt_min = c->overlap_far_movnt_min;
	f->names.flush = c->flush.name;
	f->names.deep_flush = c->deep_flush.name;
	f->names.fence = c->fence.name;
	for (int k = 0; k < MEM_KINDS; k++) {
		f->memmove[k] = c->memmove[k].fn;
		f->memset[k] = c->memset[k].fn;
		f->names.memmove[k] = c->memmove[k].name;
		f->names.memset[k] = c->memset[k].name;
	}
}

static void
log_line(const char *line)
{
	LOG(3, "%s", line);
}

void
pmem_init(void)
{
	struct pmem_policy policy;
	struct arch_choice choice = { .has_hw_drain = 0 };

	LOG(3, "initializing");
	plat_init();
	policy.flush_needed = flush_needed(&Funcs.names.caches);
	policy.use_movnt = !env_equals(ENV_NO_MOVNT, "1");

	Funcs.movnt_threshold = movnt_threshold();
	policy.llc_size = plat_llc_size();
	choice.overlap_movnt_min = overlap_movnt_min(policy.llc_size);
	choice.overlap_far_dist = SIZE_MAX;
	choice.overlap_far_movnt_min = SIZE_MAX;
	arch_init(&choice, &policy);
	int generic = !policy.use_movnt && apply_no_movnt(&choice);

	fill_funcs(&Funcs, &choice);
	/*
	 * pmemcheck sees flush instructions, not streaming stores nor a flush
	 * skipped because the caches are persistent. The portable kernels
	 * flush through Funcs.flush, so what covers it covers them.
	 */
	int mov_unseen = !policy.flush_needed && !generic;
	struct vg_unseen unseen = {
		.flush = !policy.flush_needed,
		.mov = mov_unseen,
		.movnt = policy.use_movnt ? 1 : mov_unseen,
	};

	vg_init(&Funcs, &unseen);
	if (LOG_ON(3))
		pmem_describe(log_line);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The load-time choices in words: what the debug log says at level 3 and
 * what ./libpmem.so.1 prints, produced once so the two cannot disagree.
 */
#include <stdint.h>

#include "arch.h"
#include "describe.h"
#include "funcs.h"
#include "vg.h"

void
pmem_describe(describe_func emit)
{
	const struct pmem_funcs_names *n = &Funcs.names;

	arch_describe(emit);
	emitf(emit, "CPU caches: %s", n->caches);
	emitf(emit, "flush: %s (deep flush: %s)", n->flush, n->deep_flush);
	emitf(emit, "drain: %s", n->fence);
	emitf(emit, "memmove temporal: %s", n->memmove[MEM_MOV]);
	emitf(emit, "memmove non-temporal: %s", n->memmove[MEM_MOVNT]);
	emitf(emit, "memmove without flush: %s", n->memmove[MEM_MOV_NOFLUSH]);
	emitf(emit, "memset temporal: %s", n->memset[MEM_MOV]);
	emitf(emit, "memset non-temporal: %s", n->memset[MEM_MOVNT]);
	emitf(emit, "memset without flush: %s", n->memset[MEM_MOV_NOFLUSH]);
	emitf(emit, "non-temporal threshold: %zu bytes (unflagged copies "
		"this long or longer stream)", Funcs.movnt_threshold);
	if (Funcs.overlap_movnt_min == SIZE_MAX)
		emit("overlapping moves: ordinary stores at every size "
			"(cache size unknown)");
	else if (Funcs.overlap_movnt_min <= Funcs.movnt_threshold)
		emit("overlapping moves: as other copies (the non-temporal "
			"threshold decides)");
	else
		emitf(emit, "overlapping moves: ordinary stores below %zu "
			"bytes (the CPU policy's limit or half the last-level "
			"cache, the smaller)", Funcs.overlap_movnt_min);
	if (Funcs.overlap_far_dist != SIZE_MAX)
		emitf(emit, "far overlapping moves: ordinary stores below %zu "
			"bytes where whole lines lie %zu bytes or more apart",
			Funcs.overlap_far_movnt_min, Funcs.overlap_far_dist);
	vg_describe(emit);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The copy/fill kernel tables that each ISA family file exports, indexed
 * by flush kind and, for non-temporal kernels, by variant.
 */
#ifndef PMEM_X86_KERNELS_H
#define PMEM_X86_KERNELS_H

#include "flush.h"
#include "funcs.h"

/*
 * non-temporal variants: plain; a fence between the streamed lines and
 * the ordinary stores after them (PMEM_WC_WORKAROUND); partial lines of
 * aligned 4-byte words streamed too (policy row's subline column)
 */
enum nt_variant { NT_PLAIN, NT_WC_BARRIER, NT_SUBLINE, NT_VARIANTS };

struct x86_kernels {
	const char *isa;
	/* ordinary stores + flush of each line; NULL for MOVDIR64B */
	struct memmove_kernel memmove_mov[FLUSH_KINDS];
	struct memset_kernel memset_mov[FLUSH_KINDS];
	/* non-temporal body; the flush kind applies to the partial edges */
	struct memmove_kernel memmove_movnt[FLUSH_KINDS][NT_VARIANTS];
	struct memset_kernel memset_movnt[FLUSH_KINDS][NT_VARIANTS];
};

/* the most kernels one family table holds */
#define X86_FAMILY_KERNELS (FLUSH_KINDS * 2 * (1 + NT_VARIANTS))

/*
 * The kernels of one family table as rows of the arch's list, each
 * needing the family's CPU bits and its flush kind's; returns the count.
 * The tests list their emulated families with it too.
 */
size_t x86_family_list(const struct x86_kernels *k, unsigned needs,
	struct pmem_kernel *out);

/*
 * How far ahead of its loads a streaming copy prefetches the source, in
 * bytes (0: not at all); set once by arch_init() from the policy row.
 */
extern size_t Prefetch_ahead;

/*
 * Streaming copies of a family with whole-line stores (MOVDIR64B) use
 * them only from this many bytes; shorter ones stream with the family's
 * vectors. Reads right after MOVDIR64B stores of 3-7 KiB wait longer than
 * after vector streaming stores: pmem_memcpy_persist and then a read of
 * every line took 0.65-0.96 of the time at 3-7 KiB, 0.99-1.01 at 1-2 KiB
 * and 8-256 KiB (a bench build reading up to 1 MiB, MOVDIR64B at every
 * size against PMEM_MOVDIR64B=0, --filter memcpy_persist --sizes 1K,...,
 * 256K, two runs, Intel Xeon family 6 model 167), while MOVDIR64B copies
 * of 2-256 KiB were 1.01-1.02x and from 1 MiB 1.08-1.31x faster. Tests
 * move it to reach both paths at every size.
 */
#define LINE_STREAM_COPY_MIN ((size_t)8 << 10)
extern size_t Line_stream_copy_min;

extern const struct x86_kernels x86_kernels_sse2;
extern const struct x86_kernels x86_kernels_avx;
extern const struct x86_kernels x86_kernels_avx512f;
extern const struct x86_kernels x86_kernels_movdir64b;

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * enum flush_kind of an architecture, from the FOR_EACH_FLUSH(X) list
 * (X(name, kind, instruction)) its flush.h defines before including this.
 * The list starts with FLUSH_NONE, so kind 0 never flushes, as
 * pmem_kernel.flush promises the tests.
 */
#ifndef PMEM_FLUSH_KINDS_H
#define PMEM_FLUSH_KINDS_H

enum flush_kind {
#define FLUSH_KIND_ENUM(name, kind, insn) kind,
	FOR_EACH_FLUSH(FLUSH_KIND_ENUM)
#undef FLUSH_KIND_ENUM
	FLUSH_KINDS
};

#endif

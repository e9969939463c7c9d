/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache-line write-back instructions and the store fence.
 *
 * CLWB writes a dirty line back and may keep it cached; CLFLUSHOPT writes
 * back and evicts; both are weakly ordered and need SFENCE before the data
 * counts as persistent. CLFLUSH is ordered with other stores but
 * serialises with every other CLFLUSH, which makes it the slowest. All of
 * them are ordered after earlier stores to the same line, so a kernel may
 * write a line and flush it right away. The "memory" clobbers keep the
 * compiler from moving stores across them.
 */
#ifndef PMEM_X86_FLUSH_H
#define PMEM_X86_FLUSH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"
#include "util.h"

typedef void (*flush_line_fn)(const char *line);

static force_inline void
flush_line_noflush(const char *line)
{
	(void) line;
}

static force_inline void
flush_line_clflush(const char *line)
{
	TRACE_FLUSH(line);
	__asm__ volatile("clflush (%0)" : : "r"(line) : "memory");
}

static force_inline void
flush_line_clflushopt(const char *line)
{
	TRACE_FLUSH(line);
	__asm__ volatile("clflushopt (%0)" : : "r"(line) : "memory");
}

static force_inline void
flush_line_clwb(const char *line)
{
	TRACE_FLUSH(line);
	__asm__ volatile("clwb (%0)" : : "r"(line) : "memory");
}

static force_inline void
sfence(void)
{
	TRACE_FENCE();
	__asm__ volatile("sfence" : : : "memory");
}

/* every line overlapping [addr, addr + len) */
static force_inline void
flush_lines(const void *addr, size_t len, flush_line_fn flush)
{
	uintptr_t p = (uintptr_t)addr & ~CACHELINE_MASK;
	uintptr_t end = (uintptr_t)addr + len;

	for (; p < end; p += CACHELINE_SIZE)
		flush((const char *)p);
}

/* the flush kinds, in the order of the tables indexed by enum flush_kind */
#define FOR_EACH_FLUSH(X) \
	X(noflush, FLUSH_NONE) \
	X(clflush, FLUSH_CLFLUSH) \
	X(clflushopt, FLUSH_CLFLUSHOPT) \
	X(clwb, FLUSH_CLWB)

enum flush_kind {
#define FLUSH_ENUM(name, kind) kind,
	FOR_EACH_FLUSH(FLUSH_ENUM)
#undef FLUSH_ENUM
	FLUSH_KINDS
};

#endif

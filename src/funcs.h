/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dispatch table: every ISA-dependent operation the API needs, chosen
 * once by pmem_init() and read-only afterwards.
 */
#ifndef PMEM_FUNCS_H
#define PMEM_FUNCS_H

#include <stddef.h>

/* writes back every cache line overlapping [addr, addr + len) */
typedef void (*flush_func)(const void *addr, size_t len);
/* waits until earlier flushes and non-temporal stores are done */
typedef void (*fence_func)(void);
/*
 * Copy and fill kernels. They leave every written line flushed or written
 * non-temporally (unless they are a NOFLUSH kind) but do not fence; the
 * caller drains. memmove kernels accept any overlap and len 0.
 */
typedef void (*memmove_func)(char *dst, const char *src, size_t len);
typedef void (*memset_func)(char *dst, int c, size_t len);

/* a kernel and its name, as the architectures' kernel tables list them */
struct memmove_kernel {
	memmove_func fn;
	const char *name;
};

struct memset_kernel {
	memset_func fn;
	const char *name;
};

/*
 * One compiled kernel as its architecture lists it (arch_kernels(), the
 * idea of glibc's ifunc-impl-list): tests enumerate these instead of
 * walking the layout of each architecture's tables.
 */
enum kernel_store {
	STORE_MOV,		/* ordinary stores */
	STORE_MOVNT,		/* non-temporal (or no-allocate) stores */
};

/* flush kind of the portable kernels: whatever Funcs.flush does */
#define KERNEL_FLUSH_FUNCS (-1)

struct pmem_kernel {
	const char *name;
	memmove_func move;	/* exactly one of move and set is set */
	memset_func set;
	enum kernel_store store;
	int wc_barrier;		/* fences streams before later stores */
	int subline;		/* streams aligned pieces of partial lines */
	int flush;		/* the arch's flush kind; 0 never flushes */
	const char *flush_name;	/* "clwb", "dc cvap", "Funcs.flush" */
	const char *family;	/* "avx", "neon", "generic", ... */
	unsigned needs;		/* arch_cpu_features() bits it runs on */
};

/* how a copy reaches memory: the flags and the size pick one */
enum mem_kind {
	MEM_MOV,		/* ordinary stores, each line flushed */
	MEM_MOV_NOFLUSH,	/* ordinary stores, nothing flushed */
	MEM_MOVNT,		/* non-temporal stores; edges flushed */
	MEM_KINDS
};

/* the same choices in words, for the debug log and ./libpmem.so.1 */
struct pmem_funcs_names {
	const char *caches;	/* whether and why CPU caches are flushed */
	const char *flush;
	const char *deep_flush;
	const char *fence;
	const char *memmove[MEM_KINDS];
	const char *memset[MEM_KINDS];
};

struct pmem_funcs {
	flush_func flush;	/* pmem_flush: none under eADR/NO_FLUSH */
	flush_func deep_flush;	/* pmem_deep_flush: always a real flush */
	fence_func fence;
	memmove_func memmove[MEM_KINDS];
	memset_func memset[MEM_KINDS];
	size_t movnt_threshold;	/* smallest unflagged copy using MEM_MOVNT */
	size_t overlap_movnt_min; /* ... unflagged overlapping move */
	/*
	 * ... overlapping move at least overlap_far_dist apart that writes
	 * whole lines (dst and len line multiples); SIZE_MAX: no such rule
	 */
	size_t overlap_far_dist;
	size_t overlap_far_movnt_min;
	int has_hw_drain;
	struct pmem_funcs_names names;
};

extern struct pmem_funcs Funcs;

/* the library constructor; ./libpmem.so.1 runs it itself (selfrun_linux.c) */
void libpmem_load(void);
void pmem_init(void);

/*
 * Hands each line of the load-time summary (CPU features, flush, drain,
 * kernels, threshold) to emit: the debug log at level 3 and the output of
 * ./libpmem.so.1 are the same lines.
 */
typedef void (*describe_func)(const char *line);
void pmem_describe(describe_func emit);

#endif

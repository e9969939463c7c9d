/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hands freed and unmapped ranges to each entry point that takes a range,
 * each call from a function of its own (hand_<api>_<kind>), so that
 * valgrind.sh can cut every memcheck report at that caller and compare
 * it, frame by frame, between our library and the reference.
 *
 * Usage: vg_frames     (run it under a Valgrind tool; it always exits 0)
 * Build it with -O0: an optimised caller could jump to the API function
 * instead of calling it, and its frame would be gone from the reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <libpmem.h>

#define LEN 256		/* bytes handed over, 64 bytes into the block */

static char Src[LEN];

/* a heap block memcheck still remembers as freed (kept as a number: gcc
 * rightly warns of a pointer used after free) */
static char *
freed(void)
{
	char *p = malloc(4096);
	uintptr_t a = (uintptr_t)p;

	if (p == NULL)
		exit(2);
	free(p);
	return (char *)a + 64;
}

/*
 * Two pages given back to the kernel; nothing is mapped there until the
 * next mmap, and the call comes before it. Only for the calls that do not
 * store: a copy would fault.
 */
static char *
unmapped(void)
{
	size_t len = 2 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, len) != 0)
		exit(2);
	return p + 64;
}

/* the empty asm keeps the call a call, not a jump */
#define HAND(api, kind, call) \
static void __attribute__((noinline)) \
hand_##api##_##kind(char *p) \
{ \
	call; \
	__asm__ volatile("" ::: "memory"); \
}

/* the calls that only look at the range: with either kind of range */
#define LOOKERS(kind) \
	HAND(flush, kind, pmem_flush(p, LEN)) \
	HAND(persist, kind, pmem_persist(p, LEN)) \
	HAND(msync, kind, (void) pmem_msync(p, LEN)) \
	HAND(deep_flush, kind, pmem_deep_flush(p, LEN)) \
	HAND(deep_persist, kind, (void) pmem_deep_persist(p, LEN)) \
	HAND(deep_drain, kind, (void) pmem_deep_drain(p, LEN)) \
	HAND(is_pmem, kind, (void) pmem_is_pmem(p, LEN))
LOOKERS(freed)
LOOKERS(unmapped)
/* pmem_unmap of a freed heap block would take the heap's pages away */
HAND(unmap, unmapped, (void) pmem_unmap(p, LEN))
/* the copies store: freed ranges only */
HAND(memmove, freed, pmem_memmove(p, Src, LEN, 0))
HAND(memcpy, freed, pmem_memcpy(p, Src, LEN, 0))
HAND(memset, freed, pmem_memset(p, 1, LEN, 0))
HAND(memmove_persist, freed, pmem_memmove_persist(p, Src, LEN))
HAND(memcpy_persist, freed, pmem_memcpy_persist(p, Src, LEN))
HAND(memset_persist, freed, pmem_memset_persist(p, 1, LEN))
HAND(memmove_nodrain, freed, pmem_memmove_nodrain(p, Src, LEN))
HAND(memcpy_nodrain, freed, pmem_memcpy_nodrain(p, Src, LEN))
HAND(memset_nodrain, freed, pmem_memset_nodrain(p, 1, LEN))

#define LOOKER_ROWS(kind) \
	{ hand_flush_##kind, kind }, \
	{ hand_persist_##kind, kind }, \
	{ hand_msync_##kind, kind }, \
	{ hand_deep_flush_##kind, kind }, \
	{ hand_deep_persist_##kind, kind }, \
	{ hand_deep_drain_##kind, kind }, \
	{ hand_is_pmem_##kind, kind }

static const struct {
	void (*hand)(char *p);
	char *(*range)(void);
} Calls[] = {
	LOOKER_ROWS(freed),
	LOOKER_ROWS(unmapped),
	{ hand_unmap_unmapped, unmapped },
	{ hand_memmove_freed, freed },
	{ hand_memcpy_freed, freed },
	{ hand_memset_freed, freed },
	{ hand_memmove_persist_freed, freed },
	{ hand_memcpy_persist_freed, freed },
	{ hand_memset_persist_freed, freed },
	{ hand_memmove_nodrain_freed, freed },
	{ hand_memcpy_nodrain_freed, freed },
	{ hand_memset_nodrain_freed, freed },
};

int
main(void)
{
	for (size_t i = 0; i < sizeof(Calls) / sizeof(Calls[0]); i++)
		Calls[i].hand(Calls[i].range());
	printf("vg_frames: %zu calls made\n", sizeof(Calls) / sizeof(Calls[0]));
	return 0;
}

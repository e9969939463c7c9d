/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Registry of persistent-memory ranges: a sorted array of disjoint
 * [start, end) intervals under a reader-writer lock. Lookups, the hot
 * part (pmem_is_pmem), are a binary search; inserts and removals happen
 * only in pmem_map_file/pmem_unmap and may move the array.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "libpmem.h"
#include "out.h"
#include "platform.h"
#include "range.h"
#include "util.h"
#include "vg.h"

struct range {
	uintptr_t start;
	uintptr_t end;
	enum range_type type;
	unsigned region_id;
};

static struct {
	pthread_rwlock_t lock;
	struct range *v;
	size_t n;
	size_t cap;
} Ranges = { .lock = PTHREAD_RWLOCK_INITIALIZER };

/* index of the first range ending after addr (n if none) */
static size_t
first_ending_after(uintptr_t addr)
{
	size_t lo = 0, hi = Ranges.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (Ranges.v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
reserve(size_t n)
{
	if (n <= Ranges.cap)
		return 0;
	size_t cap = Ranges.cap ? Ranges.cap * 2 : 16;

	while (cap < n)
		cap *= 2;
	struct range *v = realloc(Ranges.v, cap * sizeof(*v));

	if (v == NULL)
		return -1;
	Ranges.v = v;
	Ranges.cap = cap;
	return 0;
}

static void
insert_at(size_t i, const struct range *r)
{
	memmove(&Ranges.v[i + 1], &Ranges.v[i],
		(Ranges.n - i) * sizeof(*r));
	Ranges.v[i] = *r;
	Ranges.n++;
}

static void
remove_at(size_t i)
{
	memmove(&Ranges.v[i], &Ranges.v[i + 1],
		(Ranges.n - i - 1) * sizeof(Ranges.v[0]));
	Ranges.n--;
}

/*
 * Cuts [start, end) out of the registry, keeping the parts of partly
 * covered ranges. Splitting one range in two needs a free slot; without
 * one (can_split 0) that range is dropped whole: answering "not pmem" for
 * live memory costs speed, answering "pmem" for unmapped memory loses data.
 */
static void
cut_locked(uintptr_t start, uintptr_t end, int can_split)
{
	size_t i = first_ending_after(start);

	while (i < Ranges.n && Ranges.v[i].start < end) {
		struct range r = Ranges.v[i];
		int head = r.start < start, tail = end < r.end;

		remove_at(i);
		if (head && tail && !can_split) {
			LOG(2, "no memory to split a range; dropped "
				"[%p, %p) whole", (void *)r.start,
				(void *)r.end);
			continue;
		}
		if (head) {
			struct range h = r;

			h.end = start;
			insert_at(i++, &h);
		}
		if (tail) {
			struct range t = r;

			t.start = end;
			insert_at(i++, &t);
		}
	}
}

int
range_register(uintptr_t addr, size_t len, enum range_type type,
	unsigned region_id)
{
	struct range r = { addr, addr + len, type, region_id };
	int ret = -1;

	pthread_rwlock_wrlock(&Ranges.lock);
	if (reserve(Ranges.n + 2) != 0) {
		ERR("!Malloc");
		goto out;
	}
	size_t i = first_ending_after(r.start);

	/*
	 * compat: the kernel gave us these addresses, so whatever the
	 * registry still holds there was unmapped with plain munmap(); the
	 * new mapping replaces it. The reference fails the new mapping with
	 * ENOMEM ("duplicated persistent memory range") instead.
	 */
	if (i < Ranges.n && Ranges.v[i].start < r.end) {
		LOG(4, "duplicated persistent memory range; presumably "
			"unmapped with munmap() instead of pmem_unmap(): "
			"addr %p len %zu", (void *)addr, len);
		cut_locked(r.start, r.end, 1);
		i = first_ending_after(r.start);
	}
	insert_at(i, &r);
	ret = 0;
out:
	pthread_rwlock_unlock(&Ranges.lock);
	return ret;
}

/* the end of [addr, addr + len) rounded up to align, or the top */
static uintptr_t
end_up(uintptr_t addr, size_t len, uintptr_t align)
{
	uintptr_t end = addr + len;

	return end < addr || end > UINTPTR_MAX - align + 1 ? UINTPTR_MAX :
		align_up(end, align);
}

void
range_unregister(uintptr_t addr, size_t len)
{
	pthread_rwlock_wrlock(&Ranges.lock);
	cut_locked(addr, end_up(addr, len, 1), reserve(Ranges.n + 1) == 0);
	pthread_rwlock_unlock(&Ranges.lock);
}

/*
 * munmap removes every page the range touches, or nothing when it fails;
 * the registry follows it page for page, and only after it succeeded. The
 * lock is held across the call so that a mapping made at the same address
 * by another thread right after the munmap is registered after this cut,
 * not cut by it. The spare slot is reserved before the munmap: once it
 * succeeded the cut must happen, allocation or not.
 */
int
range_unmap(void *addr, size_t len, int (*unmap)(void *, size_t))
{
	pthread_rwlock_wrlock(&Ranges.lock);
	int can_split = reserve(Ranges.n + 1) == 0;
	int ret = unmap(addr, len);

	/* len 0 and ranges past the top fail in munmap itself */
	if (ret == 0)
		cut_locked((uintptr_t)addr, end_up((uintptr_t)addr, len,
			plat_pagesize()), can_split);
	pthread_rwlock_unlock(&Ranges.lock);
	return ret;
}

/* 1 when every byte of [addr, addr + len) lies in registered ranges */
int
range_is_pmem(uintptr_t addr, size_t len)
{
	uintptr_t end = addr + len;
	int ret = 1;

	/* a range wrapping past the top of the address space is no mapping
	 * at all (the reference answers 0 too) */
	if (end < addr)
		return 0;
	pthread_rwlock_rdlock(&Ranges.lock);
	size_t i = first_ending_after(addr);

	while (addr < end) {
		if (i == Ranges.n || Ranges.v[i].start > addr) {
			ret = 0;
			break;
		}
		addr = Ranges.v[i++].end;
	}
	pthread_rwlock_unlock(&Ranges.lock);
	return ret;
}

/* the first registered range overlapping [addr, addr + len), copied out */
static int
find_overlap(uintptr_t addr, size_t len, struct range *out)
{
	int found = 0;

	pthread_rwlock_rdlock(&Ranges.lock);
	size_t i = first_ending_after(addr);

	if (i < Ranges.n && Ranges.v[i].start < addr + len) {
		*out = Ranges.v[i];
		found = 1;
	}
	pthread_rwlock_unlock(&Ranges.lock);
	return found;
}

/*
 * A part that is not Device DAX is msync'ed; under memcheck through
 * pmem_msync, whose check then reports an unaddressable part with
 * pmem_msync as the first frame, as the reference's does (its deep drain
 * msyncs such parts with pmem_msync). The fence pmem_msync makes first is
 * one more after the caller's. A macro, not a function: memcheck counts
 * two reports whose top four frames are the same as one, and a frame of
 * ours between pmem_msync and range_deep_drain would hide the caller of
 * pmem_deep_drain in the debug build, where nothing is inlined.
 */
#define MSYNC_PART(addr, len) (VG_MEMCHECK_ON() ? \
	pmem_msync((const void *)(addr), (len)) : \
	plat_msync((const void *)(addr), (len)))

/*
 * Walks the range: Device DAX parts flush their region's queues (if they
 * have a region), every other part is msync'ed (the kernel flushes DAX
 * file systems that way).
 */
int
range_deep_drain(uintptr_t addr, size_t len)
{
	struct range r;

	while (len > 0) {
		if (!find_overlap(addr, len, &r))
			return MSYNC_PART(addr, len);
		if (r.start > addr) {
			size_t gap = r.start - addr;

			if (MSYNC_PART(addr, gap) != 0)
				return -1;
			addr += gap;
			len -= gap;
		}
		size_t part = MIN(len, r.end - addr);

		if (r.type == RANGE_DEVDAX) {
			if (plat_region_deep_flush(r.region_id) != 0)
				return -1;
		} else if (r.type == RANGE_DEVDAX_NO_REGION) {
			/*
			 * No nd region, no write-pending queue we could
			 * ask to drain: the caller's fence is all there is.
			 */
		} else if (MSYNC_PART(addr, part) != 0) {
			return -1;
		}
		addr += part;
		len -= part;
	}
	return 0;
}

size_t
range_count(void)
{
	pthread_rwlock_rdlock(&Ranges.lock);
	size_t n = Ranges.n;

	pthread_rwlock_unlock(&Ranges.lock);
	return n;
}

/* a child forked while another thread held the lock gets a fresh one */
static void
before_fork(void)
{
	pthread_rwlock_wrlock(&Ranges.lock);
}

static void
after_fork_parent(void)
{
	pthread_rwlock_unlock(&Ranges.lock);
}

static void
after_fork_child(void)
{
	pthread_rwlock_t fresh = PTHREAD_RWLOCK_INITIALIZER;

	Ranges.lock = fresh;
}

void
range_init(void)
{
	pthread_atfork(before_fork, after_fork_parent, after_fork_child);
}

void
range_fini(void)
{
	pthread_rwlock_wrlock(&Ranges.lock);
	free(Ranges.v);
	Ranges.v = NULL;
	Ranges.n = Ranges.cap = 0;
	pthread_rwlock_unlock(&Ranges.lock);
}

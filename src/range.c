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
 * covered ranges. Needs one spare slot (a range split in two).
 */
static void
cut_locked(uintptr_t start, uintptr_t end)
{
	size_t i = first_ending_after(start);

	while (i < Ranges.n && Ranges.v[i].start < end) {
		struct range r = Ranges.v[i];

		remove_at(i);
		if (r.start < start) {
			struct range head = r;

			head.end = start;
			insert_at(i++, &head);
		}
		if (end < r.end) {
			struct range tail = r;

			tail.start = end;
			insert_at(i++, &tail);
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

	if (i < Ranges.n && Ranges.v[i].start < r.end) {
		LOG(4, "duplicated persistent memory range; presumably "
			"unmapped with munmap() instead of pmem_unmap(): "
			"addr %p len %zu", (void *)addr, len);
		cut_locked(r.start, r.end);
		i = first_ending_after(r.start);
	}
	insert_at(i, &r);
	ret = 0;
out:
	pthread_rwlock_unlock(&Ranges.lock);
	return ret;
}

void
range_unregister(uintptr_t addr, size_t len)
{
	pthread_rwlock_wrlock(&Ranges.lock);
	/* a split needs one more slot; without it drop the pieces whole */
	if (reserve(Ranges.n + 1) == 0)
		cut_locked(addr, addr + len);
	pthread_rwlock_unlock(&Ranges.lock);
}

/* 1 when every byte of [addr, addr + len) lies in registered ranges */
int
range_is_pmem(uintptr_t addr, size_t len)
{
	uintptr_t end = addr + len;
	int ret = 1;

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
 * Walks the range: Device DAX parts flush their region's queues, every
 * other part is msync'ed (the kernel flushes DAX file systems that way).
 */
int
range_deep_drain(uintptr_t addr, size_t len)
{
	struct range r;

	while (len > 0) {
		if (!find_overlap(addr, len, &r))
			return pmem_msync((void *)addr, len);
		if (r.start > addr) {
			size_t gap = r.start - addr;

			if (pmem_msync((void *)addr, gap) != 0)
				return -1;
			addr += gap;
			len -= gap;
		}
		size_t part = MIN(len, r.end - addr);

		if (r.type == RANGE_DEVDAX) {
			if (plat_region_deep_flush(r.region_id) != 0)
				return -1;
		} else if (pmem_msync((void *)addr, part) != 0) {
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

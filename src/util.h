/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiler attributes and small arithmetic helpers used everywhere. */
#ifndef PMEM_UTIL_H
#define PMEM_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* the only symbols with default visibility: the 26 API functions */
#define PMEM_EXPORT __attribute__((visibility("default")))

#define force_inline __attribute__((always_inline)) inline
#define unlikely(x) __builtin_expect(!!(x), 0)

/* cache line: the unit of every flush instruction we issue */
#define CACHELINE_SIZE 64
#define CACHELINE_MASK ((uintptr_t)CACHELINE_SIZE - 1)

#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)
#define GiB ((size_t)1 << 30)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))

static inline uintptr_t
align_down(uintptr_t x, uintptr_t align)
{
	return x & ~(align - 1);
}

/*
 * op(block) for every block of `stride` bytes (a power of two) that
 * overlaps [addr, addr + len): the loop of every cache flush
 */
#define FOR_EACH_BLOCK(addr, len, stride, op) do { \
	uintptr_t blk_ = align_down((uintptr_t)(addr), (stride)); \
	uintptr_t end_ = (uintptr_t)(addr) + (len); \
	for (; blk_ < end_; blk_ += (stride)) \
		op((const char *)blk_); \
} while (0)

static inline uintptr_t
align_up(uintptr_t x, uintptr_t align)
{
	return (x + align - 1) & ~(align - 1);
}

#endif

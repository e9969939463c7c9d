/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD shim: MAP_SYNC requests succeed as plain shared mappings, so
 * whichever libpmem.so.1 the process loads registers its file mappings as
 * persistent memory on a machine without DAX (the registry gets traffic).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <sys/mman.h>

typedef void *mmap_func(void *, size_t, int, int, int, off_t);

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static mmap_func *real;

	if (real == NULL)
		real = (mmap_func *)dlsym(RTLD_NEXT, "mmap");
	if (flags & MAP_SYNC)
		flags = (flags & ~(MAP_SYNC | MAP_SHARED_VALIDATE)) |
			MAP_SHARED;
	return real(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

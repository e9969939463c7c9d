/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linked with -Wl,--wrap=mmap into static test binaries: MAP_SYNC requests
 * succeed as plain shared mappings, so the library registers every file
 * mapping as persistent memory and the range registry gets real traffic
 * on a machine without DAX.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd,
	off_t off);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd,
	off_t off);

void *
__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (flags & MAP_SYNC)
		flags = (flags & ~(MAP_SYNC | MAP_SHARED_VALIDATE)) |
			MAP_SHARED;
	return __real_mmap(addr, len, prot, flags, fd, off);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The operating-system layer. Only files named *_linux.c implement these
 * and only they may call open, mmap, msync, stat, ... or read sysfs; the
 * rest of the library goes through this header (make check enforces it).
 * Functions that fail record the reference's message with ERR and leave
 * errno set, unless noted.
 */
#ifndef PMEM_PLATFORM_H
#define PMEM_PLATFORM_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum file_type {
	FILE_TYPE_ERROR = -1,
	FILE_TYPE_NORMAL,	/* regular file, directory or not yet there */
	FILE_TYPE_DEVDAX,	/* Device DAX character device */
};

/* reads PMEM_MMAP_HINT and the page size */
void plat_init(void);
size_t plat_pagesize(void);

enum file_type plat_file_type(const char *path);
/* open(2) O_RDWR (+O_CREAT/O_EXCL); message "open <path>" */
int plat_open(const char *path, int create, int excl, mode_t mode);
/* an unnamed file in directory dir (O_TMPFILE or mkstemp+unlink) */
int plat_tmpfile(const char *dir, int excl);
/* sets the size to len, allocating the blocks unless sparse */
int plat_set_size(int fd, size_t len, int sparse);
/* the size of an open file or device; -1 with errno on failure */
ssize_t plat_fd_size(int fd);
/* close/unlink preserving errno */
void plat_close(int fd);
void plat_unlink(const char *path);

/* Device DAX geometry from sysfs */
ssize_t plat_devdax_size(const char *path);
ssize_t plat_devdax_align(const char *path);
/*
 * 0 and the nd region the device belongs to; 1 when it belongs to none
 * (soft-reserved memory through dax_hmem, CXL RAM regions); -1 on error.
 */
int plat_devdax_region(const char *path, unsigned *region_id);

/*
 * Maps len bytes of fd shared, read-write, at an address aligned to align
 * (0: the library's huge-page policy). MAP_SYNC is used when the file
 * system accepts it and reported in *map_sync.
 */
void *plat_map(int fd, size_t len, size_t align, int *map_sync);
int plat_unmap(void *addr, size_t len);
/* msync(MS_SYNC) of the pages holding [addr, addr + len) */
int plat_msync(const void *addr, size_t len);

/* bytes of the last-level data cache CPU 0 uses; 0 when unknown */
size_t plat_llc_size(void);

/* 1 when every nd region's persistence domain is the CPU cache (eADR) */
int plat_auto_flush(void);
/* asks the region to flush its write-pending queues (deep_flush) */
int plat_region_deep_flush(unsigned region_id);

/*
 * The default log function's output: syslog at the matching priority and,
 * when to_stderr, a line on stderr. file NULL: line and func are unknown.
 */
void plat_log_write(int level, const char *file, unsigned line,
	const char *func, const char *msg, int to_stderr);

/* the debug build's PMEM_LOG_FILE, line-buffered; NULL and errno on failure */
FILE *plat_trace_open(const char *path);

#endif

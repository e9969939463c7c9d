/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the client test programs: stopping at the first
 * failure (reported by ../lib/report.h) and the run-time check of which
 * libpmem.so.1 got loaded.
 */
#ifndef CLIENTS_H
#define CLIENTS_H

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/report.h"
#include "../lib/rnd.h"

/*
 * Every failure names the file and line so a log line leads to the check;
 * a client stops at the first, as its later steps build on the earlier.
 */
#define FAILF(...) do { \
	tl_fail_at(__FILE__, __LINE__, __VA_ARGS__); \
	exit(1); \
} while (0)
#define CHECK(cond) do { \
	if (!(cond)) \
		FAILF("check failed: %s (errno %d)", #cond, errno); \
} while (0)
#define CHECK_EQ(got, want) do { \
	unsigned long long g_ = (unsigned long long)(got); \
	unsigned long long w_ = (unsigned long long)(want); \
	if (g_ != w_) \
		FAILF("%s: expected %llu, got %llu", #got, w_, g_); \
} while (0)

/* A value derived from a position, so stored data can be checked alone. */
static inline uint64_t
mix64(uint64_t a, uint64_t b)
{
	uint64_t x = a * 0x9E3779B97F4A7C15ULL ^ (b + 0x632BE59BD9B4E019ULL);

	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 29;
	return x;
}

static int
find_libpmem(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *name = info->dlpi_name;
	const char *base = strrchr(name, '/');

	(void)size;
	base = base ? base + 1 : name;
	if (strcmp(base, "libpmem.so.1") == 0) {
		*(const char **)arg = name;
		return 1;
	}
	return 0;
}

/*
 * Returns the path of the libpmem.so.1 mapped into this process, as the
 * dynamic loader recorded it, or NULL when none is loaded.
 */
static inline const char *
clients_libpmem_path(void)
{
	const char *path = NULL;

	dl_iterate_phdr(find_libpmem, &path);
	return path;
}

/*
 * When CLIENTS_LIBDIR is set, the loaded libpmem.so.1 must live in that
 * directory; a test that silently ran on the system library proves nothing.
 */
static inline void
clients_check_loaded(void)
{
	const char *want = getenv("CLIENTS_LIBDIR");
	const char *path = clients_libpmem_path();
	char dir[PATH_MAX], rwant[PATH_MAX], rgot[PATH_MAX];
	char *slash;

	if (!want || !*want)
		return;
	if (!path)
		FAILF("libpmem.so.1 is not loaded in this process");
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		FAILF("libpmem.so.1 loaded without a directory: %s", path);
	*slash = '\0';
	if (!realpath(want, rwant) || !realpath(dir, rgot) ||
	    strcmp(rwant, rgot) != 0)
		FAILF("loaded %s, expected one from %s", path, want);
}

/*
 * The start of every client's main: the check above, and "loadcheck" as
 * the only argument prints the library's path for run.sh to compare with
 * what the loader reports, and exits.
 */
static inline void
clients_start(int argc, char *argv[])
{
	clients_check_loaded();
	if (argc == 2 && strcmp(argv[1], "loadcheck") == 0) {
		printf("%s\n", clients_libpmem_path());
		exit(0);
	}
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small helpers shared by the reliability programs: loading the library
 * (../lib/pmem_api.h),
 * and probes of the process state (descriptors, mappings,
 * /proc/self/status) that the leak checks compare before and after a call.
 * Failures are reported by ../lib/report.h, random data is ../lib/rnd.h.
 */
#ifndef RTEST_H
#define RTEST_H

#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/pmem_api.h"
#include "../lib/report.h"
#include "../lib/rnd.h"

/* the library under test; RTLD_LOCAL keeps its symbols from serving others */
static inline void *
rt_dlopen(const char *lib)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL)
		tl_die("dlopen %s: %s", lib, dlerror());
	return h;
}

/* a symbol the program cannot run without */
static inline void *
rt_dlsym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	if (p == NULL)
		tl_die("dlsym %s: %s", name, dlerror());
	return p;
}

/* every entry point of the dlopen()ed library h into *api */
static inline void
rt_api(struct pmem_api *api, void *h)
{
	const char *missing = pmem_api_load(api, h);

	if (missing != NULL)
		tl_die("the library lacks %s", missing);
}

/*
 * The command line of the drivers that load a library by hand, "PROG LIB
 * DIR ...", at least min words: LIB loaded into *api; returns DIR.
 */
static inline const char *
rt_lib_and_dir(int argc, char **argv, int min, const char *args,
	struct pmem_api *api)
{
	tl_usage(argc >= min, argv[0], args);
	rt_api(api, rt_dlopen(argv[1]));
	return argv[2];
}

/* entries of dir, "." and ".." excluded; -1 when it cannot be read */
static inline int
rt_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* open descriptors, not counting the one opendir itself uses */
static inline int
rt_count_fds(void)
{
	int n = rt_count_entries("/proc/self/fd");

	return n < 0 ? -1 : n - 1;
}

/* mappings whose /proc/self/maps line mentions needle */
static inline int
rt_count_maps(const char *needle)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int n = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, needle) != NULL)
			n++;
	fclose(f);
	return n;
}

/* total bytes mapped, heap and stack excluded (malloc moves those) */
static inline size_t
rt_mapped_bytes(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	size_t total = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (strstr(line, "[heap]") || strstr(line, "[stack]"))
			continue;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			total += hi - lo;
	}
	fclose(f);
	return total;
}

/* a "VmRSS:"-style field of /proc/self/status in KiB, -1 if absent */
static inline long
rt_status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t flen = strlen(field);
	long val = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			val = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

static inline int
rt_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	(void) flag;
	(void) ftw;
	return remove(path);
}

/* rm -rf; keep_top leaves dir itself in place, empty */
static inline void
rt_rm_rf(const char *dir, int keep_top)
{
	if (!keep_top) {
		nftw(dir, rt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		nftw(path, rt_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
}

/* a fresh directory under $RT_TMPDIR (or /tmp); caller frees */
static inline char *
rt_mkdtemp(const char *tag)
{
	const char *base = getenv("RT_TMPDIR");
	char *path;

	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	if (asprintf(&path, "%s/%s.XXXXXX", base, tag) < 0)
		tl_die("asprintf");
	if (mkdtemp(path) == NULL)
		tl_die("mkdtemp %s: %s", path, strerror(errno));
	return path;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the differential tests: loads two libpmem builds side by side in
 * separate link-map namespaces and runs probes in forked children.
 */
#ifndef DIFFLIB_H
#define DIFFLIB_H 1

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "../lib/pmem_api.h"

/* every libpmem entry point, plus the namespace's own errno */
struct lib {
	const char *name;
	const char *path;
	void *handle;
	int *(*errno_loc)(void);
	PMEM_API(PMEM_API_FIELD)
};

/* errno sentinel stored before each call, to see whether a call set it */
#define ERRNO_SENTINEL 24301

int lib_load(struct lib *l, const char *name, const char *path);

/*
 * Runs fn(la, arga) and fn(lb, argb) in two forked children and returns
 * (malloc'ed) everything each wrote to its stream, followed by a "status="
 * line when a child did not exit cleanly.
 */
typedef void probe_func(const struct lib *l, const void *arg, FILE *out);
void run_probes(const struct lib *la, const void *arga, const struct lib *lb,
	const void *argb, probe_func *fn, unsigned timeout_s, char **oa,
	char **ob);

/* prints the key=value lines that differ between two probe outputs */
int obs_compare(const char *a, const char *b, const char *skip_key,
	const char *name_a, const char *name_b, FILE *report);

/* writes s to out with every occurrence of dir replaced by <DIR>, quoted */
void put_normalised(FILE *out, const char *key, const char *s,
	const char *dir);

/* mkdtemp below the base dir; the name length is the same on every call */
char *make_tmpdir(const char *base, const char *tag);
void remove_tree(const char *path);

#endif /* DIFFLIB_H */

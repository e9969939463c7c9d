/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The 23 libpmem entry points as one list, X(name, return type, parameters),
 * and struct pmem_api, a table of them loaded from one library with dlsym:
 * for the programs that load a libpmem, or two, by hand (the diff suite,
 * the fault and bad-input drivers, the planted-bug stand-ins).
 */
#ifndef PMEM_API_H
#define PMEM_API_H 1

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#define PMEM_API(X) \
	X(map_file, void *, (const char *, size_t, int, mode_t, size_t *, int *)) \
	X(unmap, int, (void *, size_t)) \
	X(is_pmem, int, (const void *, size_t)) \
	X(persist, void, (const void *, size_t)) \
	X(msync, int, (const void *, size_t)) \
	X(has_auto_flush, int, (void)) \
	X(flush, void, (const void *, size_t)) \
	X(deep_flush, void, (const void *, size_t)) \
	X(deep_drain, int, (const void *, size_t)) \
	X(deep_persist, int, (const void *, size_t)) \
	X(drain, void, (void)) \
	X(has_hw_drain, int, (void)) \
	X(memmove_persist, void *, (void *, const void *, size_t)) \
	X(memcpy_persist, void *, (void *, const void *, size_t)) \
	X(memset_persist, void *, (void *, int, size_t)) \
	X(memmove_nodrain, void *, (void *, const void *, size_t)) \
	X(memcpy_nodrain, void *, (void *, const void *, size_t)) \
	X(memset_nodrain, void *, (void *, int, size_t)) \
	X(memmove, void *, (void *, const void *, size_t, unsigned)) \
	X(memcpy, void *, (void *, const void *, size_t, unsigned)) \
	X(memset, void *, (void *, int, size_t, unsigned)) \
	X(check_version, const char *, (unsigned, unsigned)) \
	X(errormsg, const char *, (void))

/* a struct member per entry point */
#define PMEM_API_FIELD(name, ret, params) ret (*name) params;

struct pmem_api {
	PMEM_API(PMEM_API_FIELD)
};

/*
 * Every entry point of the dlopen()ed library h into *api. Returns NULL,
 * or the name of the first one h lacks.
 */
static inline const char *
pmem_api_load(struct pmem_api *api, void *h)
{
	void *p;

#define PMEM_API_LOAD(name, ret, params) \
	if ((p = dlsym(h, "pmem_" #name)) == NULL) \
		return "pmem_" #name; \
	memcpy(&api->name, &p, sizeof(p));
	PMEM_API(PMEM_API_LOAD)
#undef PMEM_API_LOAD
	return NULL;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The 23 libpmem entry points as one list, X(name, return type, parameters),
 * for the tables that load them with dlsym.
 */
#ifndef PMEM_API_H
#define PMEM_API_H 1

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

#endif

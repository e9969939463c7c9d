/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of every environment variable the library reads (the reference's
 * names, so existing scripts keep working) and the one way we compare them.
 */
#ifndef PMEM_ENV_H
#define PMEM_ENV_H

#include <stdlib.h>
#include <string.h>

#define ENV_IS_PMEM_FORCE	"PMEM_IS_PMEM_FORCE"
#define ENV_NO_CLWB		"PMEM_NO_CLWB"
#define ENV_NO_CLFLUSHOPT	"PMEM_NO_CLFLUSHOPT"
#define ENV_NO_FLUSH		"PMEM_NO_FLUSH"
#define ENV_NO_MOVNT		"PMEM_NO_MOVNT"
#define ENV_NO_GENERIC_MEMCPY	"PMEM_NO_GENERIC_MEMCPY"
#define ENV_MOVNT_THRESHOLD	"PMEM_MOVNT_THRESHOLD"
#define ENV_MMAP_HINT		"PMEM_MMAP_HINT"
#define ENV_AVX			"PMEM_AVX"
#define ENV_AVX512F		"PMEM_AVX512F"
#define ENV_MOVDIR64B		"PMEM_MOVDIR64B"
#define ENV_WC_WORKAROUND	"PMEM_WC_WORKAROUND"
#define ENV_LOG_LEVEL		"PMEM_LOG_LEVEL"
#define ENV_LOG_FILE		"PMEM_LOG_FILE"

#define FOR_EACH_ENV(X) \
	X(ENV_IS_PMEM_FORCE) X(ENV_NO_CLWB) X(ENV_NO_CLFLUSHOPT) \
	X(ENV_NO_FLUSH) X(ENV_NO_MOVNT) X(ENV_NO_GENERIC_MEMCPY) \
	X(ENV_MOVNT_THRESHOLD) X(ENV_MMAP_HINT) X(ENV_AVX) X(ENV_AVX512F) \
	X(ENV_MOVDIR64B) X(ENV_WC_WORKAROUND) X(ENV_LOG_LEVEL) X(ENV_LOG_FILE)

/*
 * compat: the reference tests these switches with an exact string compare,
 * so "1" switches on and "yes" or "01" does nothing. We do the same.
 */
static inline int
env_equals(const char *name, const char *value)
{
	const char *e = getenv(name);

	return e != NULL && strcmp(e, value) == 0;
}

/* for switches whose unset state means "as the CPU policy says" */
static inline int
env_is_set(const char *name)
{
	return getenv(name) != NULL;
}

#endif

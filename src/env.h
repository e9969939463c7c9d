/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Names of every environment variable the library reads (the reference's
 * names, so existing scripts keep working) and the one reader of them.
 */
#ifndef PMEM_ENV_H
#define PMEM_ENV_H

#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

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
 * A setuid or setgid program (or one with file capabilities) runs with its
 * caller's environment but rights the caller lacks; the kernel marks such
 * a process with AT_SECURE. The variables above choose flushes, kernels,
 * mapping addresses and, in the debug build, a file to create, so such a
 * process must not take them from its caller: there they all read as
 * unset, as in the reference, which reads them through secure_getenv.
 *
 * glibc has secure_getenv from 2.17, musl has it too; glibc declares it
 * only under _GNU_SOURCE, which not every includer defines, hence our own
 * declaration. musl names itself in no macro, so a Linux libc that is none
 * of the others tested below is taken to be musl. Elsewhere AT_SECURE is
 * asked for directly. -DPMEM_SECURE_GETENV=0 forces that path, =1 the other.
 */
#ifndef PMEM_SECURE_GETENV
#if defined(__GLIBC__) && !defined(__UCLIBC__)
#define PMEM_SECURE_GETENV \
	(__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 17))
#elif defined(__linux__) && !defined(__UCLIBC__) && !defined(__BIONIC__)
#define PMEM_SECURE_GETENV 1
#else
#define PMEM_SECURE_GETENV 0
#endif
#endif

/* 1 where the caller's environment is ignored (see above) */
static inline int
env_ignored(void)
{
	return getauxval(AT_SECURE) != 0;
}

#if PMEM_SECURE_GETENV
extern char *secure_getenv(const char *name);
#endif

/* the value of a variable of ours, NULL when unset or ignored */
static inline const char *
env_get(const char *name)
{
#if PMEM_SECURE_GETENV
	return secure_getenv(name);
#else
	return env_ignored() ? NULL : getenv(name);
#endif
}

/*
 * compat: the reference tests these switches with an exact string compare,
 * so "1" switches on and "yes" or "01" does nothing. We do the same.
 */
static inline int
env_equals(const char *name, const char *value)
{
	const char *e = env_get(name);

	return e != NULL && strcmp(e, value) == 0;
}

/* for switches whose unset state means "as the CPU policy says" */
static inline int
env_is_set(const char *name)
{
	return env_get(name) != NULL;
}

#endif

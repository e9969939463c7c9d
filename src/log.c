/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmem_log_set_threshold, pmem_log_get_threshold and pmem_log_set_function
 * (PMDK 2.1): two thresholds and a function pointer, all C11 atomics, so
 * that any thread may change them while others log, without a lock.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "libpmem.h"
#include "log.h"
#include "platform.h"
#include "util.h"

#ifdef DEBUG
#define THRESHOLD_DEFAULT	PMEM_LOG_LEVEL_DEBUG
#define AUX_DEFAULT		PMEM_LOG_LEVEL_WARNING
#else
#define THRESHOLD_DEFAULT	PMEM_LOG_LEVEL_WARNING
#define AUX_DEFAULT		PMEM_LOG_LEVEL_HARK
#endif

static _Atomic int Threshold[] = {
	[PMEM_LOG_THRESHOLD] = THRESHOLD_DEFAULT,
	[PMEM_LOG_THRESHOLD_AUX] = AUX_DEFAULT,
};

/* NULL: the default function */
static _Atomic(pmem_log_function *) Log_function;

/*
 * compat: a program written for 1.12.1 never calls the logging API and
 * must not find libpmem writing to its syslog or stderr. PMDK 2.1's
 * default function writes every error to syslog from the start; ours stays
 * silent until the program has called one of the three functions (even a
 * failing call), which shows it was written for the 2.1 API.
 */
static atomic_bool Log_api_used;

static void
log_default(enum pmem_log_level level, const char *file, unsigned line,
	const char *func, const char *msg)
{
	int aux = atomic_load_explicit(&Threshold[PMEM_LOG_THRESHOLD_AUX],
		memory_order_relaxed);

	if (!atomic_load_explicit(&Log_api_used, memory_order_relaxed))
		return;
	plat_log_write((int)level, file, line, func, msg,
		level != PMEM_LOG_LEVEL_HARK && (int)level <= aux);
}

int
log_wanted(enum pmem_log_level level)
{
	int threshold = atomic_load_explicit(&Threshold[PMEM_LOG_THRESHOLD],
		memory_order_relaxed);

	if ((int)level > threshold)
		return 0;
	/* the silent default needs no message formatted for it */
	return atomic_load_explicit(&Log_function, memory_order_relaxed) !=
		NULL ||
		atomic_load_explicit(&Log_api_used, memory_order_relaxed);
}

void
log_emit(enum pmem_log_level level, const char *file, unsigned line,
	const char *func, const char *msg)
{
	if (!log_wanted(level))
		return;
	/* acquire: whatever the setter prepared for its function is seen */
	pmem_log_function *f = atomic_load_explicit(&Log_function,
		memory_order_acquire);

	(f != NULL ? f : log_default)(level, file, line, func, msg);
}

static int
valid_threshold(enum pmem_log_threshold threshold)
{
	return (unsigned)threshold <= PMEM_LOG_THRESHOLD_AUX;
}

/* compat: 2.1 fails with 1 and errno, changing nothing */
static int
fail_with(int err)
{
	errno = err;
	return 1;
}

PMEM_EXPORT int
pmem_log_set_threshold(enum pmem_log_threshold threshold,
	enum pmem_log_level value)
{
	atomic_store(&Log_api_used, true);
	if (!valid_threshold(threshold) ||
			(unsigned)value > PMEM_LOG_LEVEL_DEBUG)
		return fail_with(EINVAL);

	int old = atomic_load(&Threshold[threshold]);

	/* a concurrent change wins; the caller may retry */
	if (!atomic_compare_exchange_strong(&Threshold[threshold], &old,
			(int)value))
		return fail_with(EAGAIN);
	return 0;
}

PMEM_EXPORT int
pmem_log_get_threshold(enum pmem_log_threshold threshold,
	enum pmem_log_level *value)
{
	atomic_store(&Log_api_used, true);
	if (!valid_threshold(threshold) || value == NULL)
		return fail_with(EINVAL);
	*value = (enum pmem_log_level)atomic_load(&Threshold[threshold]);
	return 0;
}

PMEM_EXPORT int
pmem_log_set_function(pmem_log_function *log_function)
{
	atomic_store(&Log_api_used, true);

	pmem_log_function *old = atomic_load(&Log_function);

	if (!atomic_compare_exchange_strong(&Log_function, &old,
			log_function))
		return fail_with(EAGAIN);
	return 0;
}

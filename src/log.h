/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Delivery of messages to the log function a program chose with
 * pmem_log_set_function() (or the default one), filtered by the thresholds.
 */
#ifndef PMEM_LOG_H
#define PMEM_LOG_H

#include "libpmem.h"

/* whether a message of this level would reach a log function now */
int log_wanted(enum pmem_log_level level);

/* hands msg to the current log function if log_wanted(level) */
void log_emit(enum pmem_log_level level, const char *file, unsigned line,
	const char *func, const char *msg);

#endif

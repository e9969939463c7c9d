/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One formatted line of the load-time summary, for pmem_describe() and
 * each arch_describe(). It lives in a header so that the cross tests,
 * which link an architecture's init.c without describe.c, still link.
 */
#ifndef PMEM_DESCRIBE_H
#define PMEM_DESCRIBE_H

#include <stdarg.h>
#include <stdio.h>

#include "funcs.h"

/*
 * emit(the line printf would write, cut at 319 characters: the longest,
 * x86_64's policy row and its reason, takes about 200)
 */
static inline void __attribute__((format(printf, 2, 3)))
emitf(describe_func emit, const char *fmt, ...)
{
	char line[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(line);
}

#endif

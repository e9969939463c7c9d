/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The result reporter of the C test programs: PASS:, FAIL: and SKIP: lines
 * as tests/lib/common.sh prints them, and the closing tally in its format.
 */
#ifndef TESTS_LIB_REPORT_H
#define TESTS_LIB_REPORT_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* the first failures are enough to debug; the count tells the rest */
#define TL_MAX_MESSAGES 20

/* atomic: worker threads check too (the tsan runs would flag plain ints) */
static atomic_ulong Tl_passed, Tl_failed, Tl_skipped;

/*
 * One line, formatted first and written by one call, so lines of threads
 * and of forked children do not interleave; flushed, so they precede a
 * crash.
 */
static inline void
tl_vline(const char *tag, const char *file, int line, const char *fmt,
	va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (file != NULL)
		printf("%s: %s:%d: %s\n", tag, file, line, msg);
	else
		printf("%s: %s\n", tag, msg);
	fflush(stdout);
}

static inline void __attribute__((format(printf, 1, 2)))
tl_pass(const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&Tl_passed, 1);
	va_start(ap, fmt);
	tl_vline("PASS", NULL, 0, fmt, ap);
	va_end(ap);
}

static inline void __attribute__((format(printf, 1, 2)))
tl_skip(const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&Tl_skipped, 1);
	va_start(ap, fmt);
	tl_vline("SKIP", NULL, 0, fmt, ap);
	va_end(ap);
}

/* a failed check at file:line (file NULL: no place named) */
static inline void __attribute__((format(printf, 3, 4)))
tl_fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	unsigned long n = atomic_fetch_add(&Tl_failed, 1) + 1;

	if (n > TL_MAX_MESSAGES)
		return;
	va_start(ap, fmt);
	tl_vline("FAIL", file, line, fmt, ap);
	va_end(ap);
	if (n == TL_MAX_MESSAGES)
		printf("  (further failures are counted, not shown)\n");
}

#define tl_fail(...) tl_fail_at(NULL, 0, __VA_ARGS__)

/* a passing check only counts; a failing one names its place */
#define TL_CHECK(cond, ...) do { \
	if (cond) \
		atomic_fetch_add_explicit(&Tl_passed, 1, \
			memory_order_relaxed); \
	else \
		tl_fail_at(__FILE__, __LINE__, __VA_ARGS__); \
} while (0)

static inline unsigned long
tl_failures(void)
{
	return atomic_load(&Tl_failed);
}

/* the test cannot go on (setup failed): a FAIL line and exit status 2 */
static inline void __attribute__((format(printf, 1, 2), noreturn))
tl_die(const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&Tl_failed, 1);
	va_start(ap, fmt);
	tl_vline("FAIL", NULL, 0, fmt, ap);
	va_end(ap);
	exit(2);
}

/*
 * The closing line, "what: N passed, M failed, K skipped", and the exit
 * status: 1 when anything failed. tests/run-suites.sh parses this format
 * from the suites (tests/lib/common.sh summary); keep the two alike.
 */
static inline int
tl_summary(const char *what)
{
	printf("%s: %lu passed, %lu failed, %lu skipped\n", what,
		atomic_load(&Tl_passed), atomic_load(&Tl_failed),
		atomic_load(&Tl_skipped));
	fflush(stdout);
	return tl_failures() ? 1 : 0;
}

#endif

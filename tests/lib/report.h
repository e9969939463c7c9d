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
 * Counts one result in *counter and prints its line, "TAG: [file:line: ]
 * message" (file NULL: no place). Failures past the first
 * TL_MAX_MESSAGES are only counted. The line is formatted first and
 * written by one call, so lines of threads and of forked children do not
 * interleave, and flushed, so it precedes a crash.
 */
static inline void __attribute__((format(printf, 5, 6)))
tl_report(atomic_ulong *counter, const char *tag, const char *file,
	int line, const char *fmt, ...)
{
	unsigned long n = atomic_fetch_add(counter, 1) + 1;
	char msg[1024];
	va_list ap;

	if (counter == &Tl_failed && n > TL_MAX_MESSAGES)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (file != NULL)
		printf("%s: %s:%d: %s\n", tag, file, line, msg);
	else
		printf("%s: %s\n", tag, msg);
	if (counter == &Tl_failed && n == TL_MAX_MESSAGES)
		printf("  (further failures are counted, not shown)\n");
	fflush(stdout);
}

#define tl_pass(...) tl_report(&Tl_passed, "PASS", NULL, 0, __VA_ARGS__)
#define tl_skip(...) tl_report(&Tl_skipped, "SKIP", NULL, 0, __VA_ARGS__)
#define tl_fail(...) tl_report(&Tl_failed, "FAIL", NULL, 0, __VA_ARGS__)
/* a failed check at file:line */
#define tl_fail_at(file, line, ...) \
	tl_report(&Tl_failed, "FAIL", (file), (line), __VA_ARGS__)
/* unless ok: "usage: PROG ARGS" on stderr and exit status 2 */
static inline void
tl_usage(int ok, const char *prog, const char *args)
{
	if (ok)
		return;
	fprintf(stderr, "usage: %s %s\n", prog, args);
	exit(2);
}

/* the test cannot go on (setup failed): a FAIL line and exit status 2 */
#define tl_die(...) (tl_fail(__VA_ARGS__), exit(2))

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

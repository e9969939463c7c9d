/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * log.c: thresholds, the function pointer, which function an error names,
 * and what reaches the default function (plat_log_write is replaced).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "libpmem.h"
#include "log.h"
#include "out.h"

/* the unit runner builds this file once per library flavour */
#ifdef TEST_DEBUG_LIB
#define WANT_THRESHOLD PMEM_LOG_LEVEL_DEBUG
#define WANT_AUX PMEM_LOG_LEVEL_WARNING
#else
#define WANT_THRESHOLD PMEM_LOG_LEVEL_WARNING
#define WANT_AUX PMEM_LOG_LEVEL_HARK
#endif

struct record {
	int calls;
	int level;
	char file[64];
	unsigned line;
	char func[64];
	char msg[256];
	int to_stderr;
};

static struct record Got;	/* the user function's */
static struct record Plat;	/* the default function's output */

void __wrap_plat_log_write(int level, const char *file, unsigned line,
	const char *func, const char *msg, int to_stderr);

static void
note(struct record *r, int level, const char *file, unsigned line,
	const char *func, const char *msg)
{
	r->calls++;
	r->level = level;
	snprintf(r->file, sizeof(r->file), "%s", file ? file : "(null)");
	r->line = line;
	snprintf(r->func, sizeof(r->func), "%s", func ? func : "(null)");
	snprintf(r->msg, sizeof(r->msg), "%s", msg);
}

void
__wrap_plat_log_write(int level, const char *file, unsigned line,
	const char *func, const char *msg, int to_stderr)
{
	note(&Plat, level, file, line, func, msg);
	Plat.to_stderr = to_stderr;
}

static void
user_fn(enum pmem_log_level level, const char *file, unsigned line,
	const char *func, const char *msg)
{
	note(&Got, (int)level, file, line, func, msg);
	errno = ERANGE;	/* the caller's errno must survive this */
}

static void
set_ok(enum pmem_log_threshold threshold, enum pmem_log_level value)
{
	assert_int_equal(pmem_log_set_threshold(threshold, value), 0);
}

static int
reset(void **state)
{
	(void) state;
	memset(&Got, 0, sizeof(Got));
	memset(&Plat, 0, sizeof(Plat));
	return 0;
}

/* must run first: nothing has called the logging API yet */
static void
test_silent_until_used(void **state)
{
	(void) state;
	errno = ENOENT;
	ERR("!before the API");
	log_emit(PMEM_LOG_LEVEL_HARK, NULL, 0, NULL, "hark");
	assert_int_equal(Plat.calls, 0);
	assert_int_equal(errno, ENOENT);
}

static void
test_defaults(void **state)
{
	enum pmem_log_level v = 99;

	(void) state;
	assert_int_equal(pmem_log_get_threshold(PMEM_LOG_THRESHOLD, &v), 0);
	assert_int_equal(v, WANT_THRESHOLD);
	assert_int_equal(pmem_log_get_threshold(PMEM_LOG_THRESHOLD_AUX, &v),
		0);
	assert_int_equal(v, WANT_AUX);
}

/* the value stays put when set_threshold refuses */
static void
expect_refused(int threshold, int value, enum pmem_log_level keep)
{
	enum pmem_log_level v;

	errno = 0;
	assert_int_not_equal(pmem_log_set_threshold(
		(enum pmem_log_threshold)threshold,
		(enum pmem_log_level)value), 0);
	assert_int_equal(errno, EINVAL);
	if (threshold == PMEM_LOG_THRESHOLD ||
			threshold == PMEM_LOG_THRESHOLD_AUX) {
		assert_int_equal(pmem_log_get_threshold(
			(enum pmem_log_threshold)threshold, &v), 0);
		assert_int_equal(v, keep);
	}
}

static void
test_every_level_and_threshold(void **state)
{
	(void) state;
	for (int t = PMEM_LOG_THRESHOLD; t <= PMEM_LOG_THRESHOLD_AUX; t++) {
		enum pmem_log_level v, orig;

		assert_int_equal(pmem_log_get_threshold(
			(enum pmem_log_threshold)t, &orig), 0);
		for (int l = PMEM_LOG_LEVEL_HARK; l <= PMEM_LOG_LEVEL_DEBUG;
				l++) {
			set_ok((enum pmem_log_threshold)t,
				(enum pmem_log_level)l);
			assert_int_equal(pmem_log_get_threshold(
				(enum pmem_log_threshold)t, &v), 0);
			assert_int_equal(v, l);
		}
		expect_refused(t, -1, PMEM_LOG_LEVEL_DEBUG);
		expect_refused(t, PMEM_LOG_LEVEL_DEBUG + 1,
			PMEM_LOG_LEVEL_DEBUG);
		expect_refused(t, 1000, PMEM_LOG_LEVEL_DEBUG);
		set_ok((enum pmem_log_threshold)t, orig);
	}
	expect_refused(-1, PMEM_LOG_LEVEL_ERROR, 0);
	expect_refused(PMEM_LOG_THRESHOLD_AUX + 1, PMEM_LOG_LEVEL_ERROR, 0);
	errno = 0;
	assert_int_not_equal(pmem_log_get_threshold(
		(enum pmem_log_threshold)2, &(enum pmem_log_level){0}), 0);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_not_equal(pmem_log_get_threshold(PMEM_LOG_THRESHOLD,
		NULL), 0);
	assert_int_equal(errno, EINVAL);
}

static void
inner_failure(void)
{
	errno = EBADF;
	ERR("!inner %d", 7);
}

static void
fake_entry(void)
{
	OUT_ENTRY();
	inner_failure();
}

static void
fake_outer_entry(void)
{
	OUT_ENTRY();
	fake_entry();
}

static void
test_error_names_the_entry_point(void **state)
{
	(void) state;
	assert_int_equal(pmem_log_set_function(user_fn), 0);
	fake_entry();
	assert_int_equal(Got.calls, 1);
	assert_int_equal(Got.level, PMEM_LOG_LEVEL_ERROR);
	assert_string_equal(Got.file, "test_log.c");
	assert_true(Got.line > 0);
	assert_string_equal(Got.func, "fake_entry");
	assert_string_equal(Got.msg, "inner 7: Bad file descriptor");
	assert_string_equal(Got.msg, out_errormsg());
	assert_int_equal(errno, EBADF);

	fake_outer_entry();	/* the outermost call is the program's */
	assert_string_equal(Got.func, "fake_outer_entry");
	inner_failure();	/* outside any entry point: its own name */
	assert_string_equal(Got.func, "inner_failure");
	assert_int_equal(Got.calls, 3);
	assert_int_equal(Plat.calls, 0);
	assert_int_equal(pmem_log_set_function(NULL), 0);
}

static void
test_threshold_filters(void **state)
{
	(void) state;
	assert_int_equal(pmem_log_set_function(user_fn), 0);
	set_ok(PMEM_LOG_THRESHOLD, PMEM_LOG_LEVEL_FATAL);
	ERR("dropped");
	assert_int_equal(Got.calls, 0);
	log_emit(PMEM_LOG_LEVEL_HARK, NULL, 0, NULL, "hark passes");
	assert_int_equal(Got.calls, 1);
	assert_null(strstr(Got.file, ".c"));	/* NULL file stays NULL */
	set_ok(PMEM_LOG_THRESHOLD, PMEM_LOG_LEVEL_ERROR);
	ERR("kept");
	assert_int_equal(Got.calls, 2);
	assert_string_equal(Got.msg, "kept");
	log_emit(PMEM_LOG_LEVEL_WARNING, "f.c", 1, "f", "too mild");
	assert_int_equal(Got.calls, 2);
	set_ok(PMEM_LOG_THRESHOLD, WANT_THRESHOLD);
	assert_int_equal(pmem_log_set_function(NULL), 0);
}

/* the default function: every message to syslog, stderr by AUX */
static void
test_default_function_restored(void **state)
{
	(void) state;
	assert_int_equal(pmem_log_set_function(user_fn), 0);
	assert_int_equal(pmem_log_set_function(PMEM_LOG_USE_DEFAULT_FUNCTION),
		0);
	ERR("to the default");
	assert_int_equal(Got.calls, 0);
	assert_int_equal(Plat.calls, 1);
	assert_int_equal(Plat.level, PMEM_LOG_LEVEL_ERROR);
	assert_string_equal(Plat.msg, "to the default");
	assert_int_equal(Plat.to_stderr, WANT_AUX >= PMEM_LOG_LEVEL_ERROR);

	set_ok(PMEM_LOG_THRESHOLD_AUX, PMEM_LOG_LEVEL_ERROR);
	ERR("on stderr too");
	assert_int_equal(Plat.to_stderr, 1);
	log_emit(PMEM_LOG_LEVEL_HARK, NULL, 0, NULL, "hark");
	assert_int_equal(Plat.calls, 3);
	assert_int_equal(Plat.to_stderr, 0);	/* HARK: never stderr */
	set_ok(PMEM_LOG_THRESHOLD_AUX, PMEM_LOG_LEVEL_FATAL);
	ERR("syslog only");
	assert_int_equal(Plat.to_stderr, 0);
	set_ok(PMEM_LOG_THRESHOLD_AUX, WANT_AUX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_silent_until_used, reset),
		cmocka_unit_test_setup(test_defaults, reset),
		cmocka_unit_test_setup(test_every_level_and_threshold, reset),
		cmocka_unit_test_setup(test_error_names_the_entry_point,
			reset),
		cmocka_unit_test_setup(test_threshold_filters, reset),
		cmocka_unit_test_setup(test_default_function_restored, reset),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}

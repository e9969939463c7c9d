/* SPDX-License-Identifier: BSD-3-Clause */
/* out.c: message formatting, the '!' errno suffix, errno kept, per thread. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "out.h"

static void
test_plain_message(void **state)
{
	(void) state;
	errno = 42;
	ERR("value %d and %s", 7, "text");
	assert_string_equal(out_errormsg(), "value 7 and text");
	assert_int_equal(errno, 42);
}

static void
test_errno_suffix(void **state)
{
	(void) state;
	errno = ENOENT;
	ERR("!open %s", "/x");
	assert_string_equal(out_errormsg(),
		"open /x: No such file or directory");
	assert_int_equal(errno, ENOENT);
}

static void
test_truncation(void **state)
{
	(void) state;
	static char big[3 * OUT_MAXMSG];

	memset(big, 'a', sizeof(big) - 1);
	errno = EINVAL;
	ERR("!%s", big);
	assert_int_equal(strlen(out_errormsg()), OUT_MAXMSG - 1);
}

static void *
thread_sets_message(void *arg)
{
	(void) arg;
	if (out_errormsg()[0] != '\0')
		return (void *)1;	/* must start empty */
	ERR("from thread");
	return NULL;
}

static void
test_thread_local(void **state)
{
	(void) state;
	pthread_t t;
	void *ret;

	ERR("main thread");
	assert_int_equal(pthread_create(&t, NULL, thread_sets_message, NULL),
		0);
	pthread_join(t, &ret);
	assert_null(ret);
	assert_string_equal(out_errormsg(), "main thread");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_message),
		cmocka_unit_test(test_errno_suffix),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_thread_local),
	};

	return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PMDK 2.1 logging functions through the shared library (a separate
 * program from api_test, which must still load on 1.12.1).
 * Usage: log_test <test> <release|debug> [dir]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpmem.h>

#include "../lib/named_tests.h"

static int Debug_lib;
static const char *Dir = "/nonexistent";

static struct {
	int calls;
	int errors;
	int level;
	char file[64];
	unsigned line;
	char func[64];
	char msg[512];
} Got;

static void
record(enum pmem_log_level level, const char *file_name, unsigned line_no,
	const char *function_name, const char *message)
{
	Got.calls++;
	Got.errors += level == PMEM_LOG_LEVEL_ERROR;
	Got.level = (int)level;
	snprintf(Got.file, sizeof(Got.file), "%s", file_name ? file_name : "");
	Got.line = line_no;
	snprintf(Got.func, sizeof(Got.func), "%s",
		function_name ? function_name : "");
	snprintf(Got.msg, sizeof(Got.msg), "%s", message);
}

static void
test_defaults(void)
{
	enum pmem_log_level v = 99;

	CHECK(pmem_log_get_threshold(PMEM_LOG_THRESHOLD, &v) == 0);
	CHECK(v == (Debug_lib ? PMEM_LOG_LEVEL_DEBUG : PMEM_LOG_LEVEL_WARNING));
	CHECK(pmem_log_get_threshold(PMEM_LOG_THRESHOLD_AUX, &v) == 0);
	CHECK(v == (Debug_lib ? PMEM_LOG_LEVEL_WARNING : PMEM_LOG_LEVEL_HARK));
}

static void
test_levels(void)
{
	static const int bad_levels[] = { -1, PMEM_LOG_LEVEL_DEBUG + 1, 64 };
	enum pmem_log_level v;

	for (int t = PMEM_LOG_THRESHOLD; t <= PMEM_LOG_THRESHOLD_AUX; t++) {
		enum pmem_log_threshold th = (enum pmem_log_threshold)t;

		for (int l = PMEM_LOG_LEVEL_HARK; l <= PMEM_LOG_LEVEL_DEBUG;
				l++) {
			CHECK(pmem_log_set_threshold(th,
				(enum pmem_log_level)l) == 0);
			CHECK(pmem_log_get_threshold(th, &v) == 0 &&
				(int)v == l);
		}
		for (size_t i = 0; i < sizeof(bad_levels) /
				sizeof(*bad_levels); i++) {
			errno = 0;
			CHECK(pmem_log_set_threshold(th,
				(enum pmem_log_level)bad_levels[i]) == 1);
			CHECK(errno == EINVAL);
			CHECK(pmem_log_get_threshold(th, &v) == 0 &&
				v == PMEM_LOG_LEVEL_DEBUG);
		}
		errno = 0;
		CHECK(pmem_log_get_threshold(th, NULL) == 1 && errno == EINVAL);
	}
	for (int t = -1; t <= 2; t += 3) {
		errno = 0;
		CHECK(pmem_log_set_threshold((enum pmem_log_threshold)t,
			PMEM_LOG_LEVEL_ERROR) == 1 && errno == EINVAL);
		errno = 0;
		CHECK(pmem_log_get_threshold((enum pmem_log_threshold)t,
			&v) == 1 && errno == EINVAL);
	}
}

static void
expect_error_from(const char *api, const char *msg_prefix)
{
	CHECK(Got.calls == 1);
	CHECK(Got.level == PMEM_LOG_LEVEL_ERROR);
	CHECK(strstr(Got.file, ".c") != NULL && Got.line > 0);
	CHECK(strcmp(Got.func, api) == 0);
	CHECK(strncmp(Got.msg, msg_prefix, strlen(msg_prefix)) == 0);
	CHECK(strcmp(Got.msg, pmem_errormsg()) == 0);
	if (tl_failures())
		printf("  got %d [%s:%u %s] %s\n", Got.level, Got.file,
			Got.line, Got.func, Got.msg);
	memset(&Got, 0, sizeof(Got));
}

/* errors of a failing call reach the user function under the call's name */
static void
test_user_function(void)
{
	char path[4096];
	size_t len;

	snprintf(path, sizeof(path), "%s/missing/file", Dir);
	/* the debug build's INFO trace would come in between */
	CHECK(pmem_log_set_threshold(PMEM_LOG_THRESHOLD,
		PMEM_LOG_LEVEL_ERROR) == 0);
	CHECK(pmem_log_set_function(record) == 0);
	errno = 0;
	CHECK(pmem_map_file(path, 0, 0, 0, &len, NULL) == NULL);
	CHECK(errno == ENOENT);	/* the log function did not change it */
	expect_error_from("pmem_map_file", "open ");
	CHECK(pmem_map_file(path, 0, 0x40, 0, &len, NULL) == NULL);
	expect_error_from("pmem_map_file", "invalid flag specified 40");
	CHECK(pmem_unmap((void *)1, 4096) == -1);
	expect_error_from("pmem_unmap", "munmap");

	/* nothing less severe than THRESHOLD arrives */
	CHECK(pmem_log_set_threshold(PMEM_LOG_THRESHOLD,
		PMEM_LOG_LEVEL_FATAL) == 0);
	CHECK(pmem_map_file(path, 0, 0, 0, &len, NULL) == NULL);
	CHECK(Got.calls == 0);
	CHECK(pmem_log_set_threshold(PMEM_LOG_THRESHOLD,
		PMEM_LOG_LEVEL_ERROR) == 0);

	/* back to the default: the user function hears nothing more */
	CHECK(pmem_log_set_function(PMEM_LOG_USE_DEFAULT_FUNCTION) == 0);
	CHECK(pmem_map_file(path, 0, 0, 0, &len, NULL) == NULL);
	CHECK(Got.calls == 0);
}

/* the debug build's trace reaches the function at INFO and DEBUG */
static void
test_trace(void)
{
	char path[4096];
	size_t len;
	void *p;

	snprintf(path, sizeof(path), "%s/traced", Dir);
	CHECK(pmem_log_set_function(record) == 0);
	CHECK(pmem_log_set_threshold(PMEM_LOG_THRESHOLD,
		PMEM_LOG_LEVEL_DEBUG) == 0);
	p = pmem_map_file(path, 4096, PMEM_FILE_CREATE, 0600, &len, NULL);
	CHECK(p != NULL);
	if (p != NULL)
		pmem_unmap(p, len);
	/* the release build has no trace to give */
	CHECK(Debug_lib ? Got.calls > 0 : Got.calls == 0);
	CHECK(Got.errors == 0);
	if (Debug_lib)
		CHECK(Got.level >= PMEM_LOG_LEVEL_NOTICE && Got.file[0] != 0);
}

/* for run.sh: the default function, switched on by calling the API */
static void
test_default_on(void)
{
	enum pmem_log_level v;
	const char *aux = getenv("LOG_TEST_AUX");
	size_t len;

	CHECK(pmem_log_get_threshold(PMEM_LOG_THRESHOLD, &v) == 0);
	if (aux != NULL)
		CHECK(pmem_log_set_threshold(PMEM_LOG_THRESHOLD_AUX,
			(enum pmem_log_level)atoi(aux)) == 0);
	CHECK(pmem_map_file("/nonexistent/default-on", 0, 0, 0, &len, NULL)
		== NULL);
}

static const struct named_test Tests[] = {
	NAMED_TEST(defaults), NAMED_TEST(levels), NAMED_TEST(user_function),
	NAMED_TEST(trace), NAMED_TEST(default_on),
};

int
main(int argc, char *argv[])
{
	tl_usage(argc >= 3, argv[0], "test release|debug [dir]");
	Debug_lib = strcmp(argv[2], "debug") == 0;
	if (argc > 3)
		Dir = argv[3];
	return RUN_NAMED(Tests, argv[1]);
}

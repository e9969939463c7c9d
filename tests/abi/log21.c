/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A program written for PMDK 2.1: compiled against the reference's 1.12.1
 * header plus the logging declarations of 2.1 spelled out here, so it
 * binds to whatever our library exports, not to what our header says.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libpmem.h>

#ifdef PMEM_LOG_USE_DEFAULT_FUNCTION
#error "built against a header that already has the 2.1 logging API"
#endif

enum pmem_log_level {
	PMEM_LOG_LEVEL_HARK,
	PMEM_LOG_LEVEL_FATAL,
	PMEM_LOG_LEVEL_ERROR,
	PMEM_LOG_LEVEL_WARNING,
	PMEM_LOG_LEVEL_NOTICE,
	PMEM_LOG_LEVEL_INFO,
	PMEM_LOG_LEVEL_DEBUG,
};
enum pmem_log_threshold { PMEM_LOG_THRESHOLD, PMEM_LOG_THRESHOLD_AUX };
typedef void pmem_log_function(enum pmem_log_level level,
	const char *file_name, unsigned line_no, const char *function_name,
	const char *message);
#define PMEM_LOG_USE_DEFAULT_FUNCTION (NULL)
int pmem_log_set_threshold(enum pmem_log_threshold threshold,
	enum pmem_log_level value);
int pmem_log_get_threshold(enum pmem_log_threshold threshold,
	enum pmem_log_level *value);
int pmem_log_set_function(pmem_log_function *log_function);

static int Calls;
static char Last[512];

static void
record(enum pmem_log_level level, const char *file_name, unsigned line_no,
	const char *function_name, const char *message)
{
	Calls++;
	snprintf(Last, sizeof(Last), "%d %s %u %s %s", (int)level,
		file_name ? file_name : "-", line_no,
		function_name ? function_name : "-", message);
}

int
main(void)
{
	enum pmem_log_level v;
	size_t len;

	if (pmem_log_set_function(record) != 0 ||
	    pmem_log_set_threshold(PMEM_LOG_THRESHOLD,
		PMEM_LOG_LEVEL_ERROR) != 0 ||
	    pmem_log_get_threshold(PMEM_LOG_THRESHOLD, &v) != 0 ||
	    v != PMEM_LOG_LEVEL_ERROR) {
		printf("setting up the log failed\n");
		return 1;
	}
	if (pmem_map_file("/nonexistent/log21", 0, 0, 0, &len, NULL) != NULL)
		return 1;
	printf("%d call(s): %s\n", Calls, Last);
	if (Calls != 1 || strncmp(Last, "2 ", 2) != 0 ||
	    strstr(Last, " pmem_map_file open ") == NULL)
		return 1;
	errno = 0;
	if (pmem_log_set_threshold(PMEM_LOG_THRESHOLD_AUX + 1,
		PMEM_LOG_LEVEL_ERROR) == 0 || errno != EINVAL)
		return 1;
	return pmem_log_set_function(PMEM_LOG_USE_DEFAULT_FUNCTION) != 0;
}

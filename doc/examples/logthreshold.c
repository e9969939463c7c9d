/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * logthreshold.c -- show the thresholds, have the default log function
 * print errors on stderr as well, then silence everything below FATAL.
 */

#include <errno.h>
#include <stdio.h>
#include <libpmem.h>

static const char *const Level_names[] = {
	"HARK", "FATAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG",
};

int
main(int argc, char *argv[])
{
	enum pmem_log_level threshold, aux;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: %s missing-file\n", argv[0]);
		return 2;
	}
	if (pmem_log_get_threshold(PMEM_LOG_THRESHOLD, &threshold) != 0 ||
	    pmem_log_get_threshold(PMEM_LOG_THRESHOLD_AUX, &aux) != 0) {
		perror("pmem_log_get_threshold");
		return 1;
	}
	printf("threshold %s, aux %s\n", Level_names[threshold],
		Level_names[aux]);

	/* errors and worse: to syslog and, from now on, stderr too */
	if (pmem_log_set_threshold(PMEM_LOG_THRESHOLD_AUX,
	    PMEM_LOG_LEVEL_ERROR) != 0) {
		perror("pmem_log_set_threshold");
		return 1;
	}
	if (pmem_map_file(argv[1], 0, 0, 0, &len, NULL) != NULL)
		return 1;

	/* only fatal problems from here on: this failure is not logged */
	pmem_log_set_threshold(PMEM_LOG_THRESHOLD, PMEM_LOG_LEVEL_FATAL);
	if (pmem_map_file(argv[1], 0, 0, 0, &len, NULL) != NULL)
		return 1;

	/* a level that does not exist is refused and changes nothing */
	if (pmem_log_set_threshold(PMEM_LOG_THRESHOLD,
	    (enum pmem_log_level)7) == 0 || errno != EINVAL)
		return 1;
	printf("done\n");
	return 0;
}

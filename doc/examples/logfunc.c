/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * logfunc.c -- send libpmem's messages to standard output, tagged with
 * their level and origin, for as long as the program needs them there.
 */

#include <stdio.h>
#include <libpmem.h>

static const char *const Level_names[] = {
	"hark", "fatal", "error", "warning", "notice", "info", "debug",
};

static void
to_stdout(enum pmem_log_level level, const char *file, unsigned line,
	const char *func, const char *message)
{
	if (file == NULL)	/* no origin: line and func mean nothing */
		printf("libpmem %s: %s\n", Level_names[level], message);
	else
		printf("libpmem %s: %s (in %s, %s:%u)\n", Level_names[level],
			message, func, file, line);
}

int
main(int argc, char *argv[])
{
	size_t len;
	void *addr;

	if (argc != 2) {
		fprintf(stderr, "usage: %s file\n", argv[0]);
		return 2;
	}
	if (pmem_log_set_function(to_stdout) != 0) {
		perror("pmem_log_set_function");
		return 1;
	}

	addr = pmem_map_file(argv[1], 0, 0, 0, &len, NULL);
	if (addr != NULL)
		pmem_unmap(addr, len);

	/* later messages go to the library's own function again */
	pmem_log_set_function(PMEM_LOG_USE_DEFAULT_FUNCTION);
	return addr == NULL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where the default log function writes: syslog(3) and, for messages as
 * severe as the auxiliary threshold, stderr; and the debug build's trace
 * log file.
 */
#include <stdio.h>
#include <syslog.h>

#include "libpmem.h"
#include "platform.h"
#include "util.h"

static const struct {
	const char *name;
	int priority;
} Levels[] = {
	/* HARK is shown whatever the threshold, but it is not a problem */
	[PMEM_LOG_LEVEL_HARK] = { "HARK", LOG_NOTICE },
	[PMEM_LOG_LEVEL_FATAL] = { "FATAL", LOG_CRIT },
	[PMEM_LOG_LEVEL_ERROR] = { "ERROR", LOG_ERR },
	[PMEM_LOG_LEVEL_WARNING] = { "WARNING", LOG_WARNING },
	[PMEM_LOG_LEVEL_NOTICE] = { "NOTICE", LOG_NOTICE },
	[PMEM_LOG_LEVEL_INFO] = { "INFO", LOG_INFO },
	[PMEM_LOG_LEVEL_DEBUG] = { "DEBUG", LOG_DEBUG },
};

void
plat_log_write(int level, const char *file, unsigned line, const char *func,
	const char *msg, int to_stderr)
{
	char where[512] = "";

	if ((unsigned)level >= ARRAY_SIZE(Levels))
		level = PMEM_LOG_LEVEL_DEBUG;
	if (file != NULL)
		snprintf(where, sizeof(where), "[%s:%u %s] ", file, line,
			func != NULL ? func : "?");
	/* no openlog(): the program's own ident and facility stay */
	syslog(Levels[level].priority, "libpmem: %s%s", where, msg);
	if (to_stderr)
		fprintf(stderr, "<libpmem>: <%s> %s%s\n", Levels[level].name,
			where, msg);
}

/*
 * The debug build's trace log (PMEM_LOG_FILE): created for writing and
 * line-buffered, so a crash loses at most the line being written; NULL
 * with errno set when it cannot be created. Close-on-exec ("e"), like
 * every descriptor we open: a program that execs must not hand it on.
 */
FILE *
plat_trace_open(const char *path)
{
	FILE *fp = fopen(path, "we");

	if (fp != NULL)
		setvbuf(fp, NULL, _IOLBF, 0);
	return fp;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-thread error message, passed on to the log functions (log.c)
 * and, in the debug build, to the trace log controlled by PMEM_LOG_LEVEL
 * and PMEM_LOG_FILE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "log.h"
#include "out.h"
#include "platform.h"

/* starts empty in every thread, as pmem_errormsg() promises */
static __thread char Errormsg[OUT_MAXMSG];

__thread const char *Out_api;

const char *
out_errormsg(void)
{
	return Errormsg;
}

/*
 * The text of errnum. glibc's strerror_r (GNU, under _GNU_SOURCE) returns the
 * text, which may be a constant rather than buf; musl and the other C
 * libraries have only the XSI one, which fills buf and returns 0 or an error.
 */
static const char *
errno_text(int errnum, char *buf, size_t size)
{
#ifdef __GLIBC__
	return strerror_r(errnum, buf, size);
#else
	if (strerror_r(errnum, buf, size) != 0)
		snprintf(buf, size, "Unknown error %d", errnum);
	return buf;
#endif
}

/* formats fmt (with its '!' convention) into buf; errno is not touched */
static void
format_message(char *buf, size_t size, int errnum, const char *fmt,
	va_list ap)
{
	int with_errno = fmt[0] == '!';
	int n = vsnprintf(buf, size, with_errno ? fmt + 1 : fmt, ap);

	if (n < 0) {
		buf[0] = '\0';
		return;
	}
	if (with_errno && (size_t)n < size) {
		char ebuf[128];
		const char *etext = errno_text(errnum, ebuf, sizeof(ebuf));

		snprintf(buf + n, size - (size_t)n, ": %s", etext);
	}
}

#ifdef DEBUG
int Out_log_level;
static FILE *Out_fp;

static void
log_line(const char *file, int line, const char *func, int level,
	const char *msg)
{
	char buf[OUT_MAXMSG + 256];
	FILE *fp = Out_fp ? Out_fp : stderr;

	snprintf(buf, sizeof(buf), "<libpmem>: <%d> [%s:%d %s] %s\n",
		level, file, line, func, msg);
	fputs(buf, fp);
	fflush(fp);
}

/* the trace log's levels 1-4 as log-function levels */
static const enum pmem_log_level Api_level[] = {
	[1] = PMEM_LOG_LEVEL_WARNING,	/* trouble that is not an error */
	[2] = PMEM_LOG_LEVEL_NOTICE,
	[3] = PMEM_LOG_LEVEL_INFO,
	[4] = PMEM_LOG_LEVEL_DEBUG,
};

int
out_log_wanted(int level)
{
	return level >= 1 && level <= 4 && log_wanted(Api_level[level]);
}

void
out_log(const char *file, int line, const char *func, int level,
	const char *fmt, ...)
{
	char msg[OUT_MAXMSG];
	int oerrno = errno;
	va_list ap;

	va_start(ap, fmt);
	format_message(msg, sizeof(msg), oerrno, fmt, ap);
	va_end(ap);
	if (LOG_ON(level))
		log_line(file, line, func, level, msg);
	if (out_log_wanted(level))
		log_emit(Api_level[level], file, (unsigned)line, func, msg);
	errno = oerrno;
}

void
out_fatal(const char *file, int line, const char *func, const char *fmt,
	...)
{
	char msg[OUT_MAXMSG];
	va_list ap;

	va_start(ap, fmt);
	format_message(msg, sizeof(msg), errno, fmt, ap);
	va_end(ap);
	log_line(file, line, func, 1, msg);
	abort();
}

/* a trailing '-' in PMEM_LOG_FILE asks for the pid to be appended */
static void
open_log_file(const char *name)
{
	char path[4096];
	size_t len = strlen(name);

	if (len > 0 && name[len - 1] == '-')
		snprintf(path, sizeof(path), "%s%d", name, (int)getpid());
	else
		snprintf(path, sizeof(path), "%s", name);

	Out_fp = plat_trace_open(path);
	if (Out_fp == NULL) {
		/* compat: the reference's debug build gives up here too */
		fprintf(stderr, "Error (libpmem): %s=%s: %s\n", ENV_LOG_FILE,
			path, strerror(errno));
		abort();
	}
}

void
out_init(void)
{
	const char *level = env_get(ENV_LOG_LEVEL);
	const char *file = env_get(ENV_LOG_FILE);

	if (level != NULL)
		Out_log_level = atoi(level);
	if (Out_log_level < 0)
		Out_log_level = 0;
	if (file != NULL && file[0] != '\0')
		open_log_file(file);

	LOG(1, "pid %d: program: %s", (int)getpid(),
		program_invocation_name);
	LOG(1, "libpmem version %d.%d", PMEM_MAJOR_VERSION, PMEM_MINOR_VERSION);
	LOG(1, "src version: %s", SRCVERSION);
}

void
out_fini(void)
{
	if (Out_fp != NULL) {
		fclose(Out_fp);
		Out_fp = NULL;
	}
}

#else

void
out_init(void)
{
}

void
out_fini(void)
{
}

#endif /* DEBUG */

/*
 * The message keeps the file and line where the error was found; the
 * function logged is the entry point the program called, when known, so
 * that grepping a log for the failed call finds the line.
 */
void
out_err(const char *file, int line, const char *func, const char *fmt, ...)
{
	int oerrno = errno;
	const char *api = Out_api != NULL ? Out_api : func;
	va_list ap;

	va_start(ap, fmt);
	format_message(Errormsg, sizeof(Errormsg), oerrno, fmt, ap);
	va_end(ap);
#ifdef DEBUG
	if (Out_log_level >= 1)
		log_line(file, line, api, 1, Errormsg);
#endif
	log_emit(PMEM_LOG_LEVEL_ERROR, file, (unsigned)line, api, Errormsg);
	/* the log function may have called anything */
	errno = oerrno;
}

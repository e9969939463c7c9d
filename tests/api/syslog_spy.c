/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD library that stands in for the syslog(3) family: each call
 * appends "<function> <priority> <message>" to the file $SYSLOG_SPY, and
 * nothing reaches the real syslog.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static void
spy(const char *func, int priority, const char *fmt, va_list ap)
{
	const char *path = getenv("SYSLOG_SPY");
	char line[1024];
	int n, fd;

	if (path == NULL)
		return;
	n = snprintf(line, sizeof(line), "%s %d ", func, priority);
	if (fmt != NULL && n >= 0 && (size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	strcat(line + strnlen(line, sizeof(line) - 2), "\n");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
	if (fd >= 0) {
		if (write(fd, line, strlen(line)) < 0)
			abort();
		close(fd);
	}
}

/* openlog and closelog carry no message, but show the intent */
static void
spy_plain(const char *func, int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spy(func, priority, fmt, ap);
	va_end(ap);
}

void
openlog(const char *ident, int option, int facility)
{
	spy_plain("openlog", facility, "%s %d", ident ? ident : "", option);
}

void
closelog(void)
{
	spy_plain("closelog", 0, "");
}

void
vsyslog(int priority, const char *fmt, va_list ap)
{
	spy("vsyslog", priority, fmt, ap);
}

void
syslog(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spy("syslog", priority, fmt, ap);
	va_end(ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...);
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap);

void
__syslog_chk(int priority, int flag, const char *fmt, ...)
{
	va_list ap;

	(void) flag;
	va_start(ap, fmt);
	spy("__syslog_chk", priority, fmt, ap);
	va_end(ap);
}

void
__vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	(void) flag;
	spy("__vsyslog_chk", priority, fmt, ap);
}

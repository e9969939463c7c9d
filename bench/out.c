/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The leaf of the benchmark: the report and the progress lines, number
 * formatting and the quantiles every table is made of. Calls nothing else
 * of the bench.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

/*
 * The report's copy; out() has no other way to reach it short of every
 * caller passing it, and only this file writes it.
 */
static FILE *Outf;

int
out_open(const char *path)
{
	Outf = fopen(path, "w");
	return Outf != NULL ? 0 : -1;
}

void
out_close(void)
{
	if (Outf != NULL)
		fclose(Outf);
	Outf = NULL;
}


void
out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (Outf != NULL) {
		va_start(ap, fmt);
		vfprintf(Outf, fmt, ap);
		va_end(ap);
	}
	fflush(stdout);
}

void
progress(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Phase lines for logs; the terminal gets them from progress() as well. */
void
note(const char *fmt, ...)
{
	va_list ap;

	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *
fmt_size(size_t s, char *buf, size_t len)
{
	static const char units[] = "KMG";
	int u = -1;

	while (s >= 1024 && s % 1024 == 0 && u < 2) {
		s /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%zu", s);
	else
		snprintf(buf, len, "%zu%c", s, units[u]);
	return buf;
}

const char *
fmt_time(double ns, char *buf, size_t len)
{
	if (ns < 1e3)
		snprintf(buf, len, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	return buf;
}


const char *
mis_name(unsigned mis)
{
	static const char *const names[CACHELINE] = { "64", "+1", "+2",
		"+3", "+4", "+5", "+6", "+7", "+8" };

	return mis < CACHELINE && names[mis] ? names[mis] : "+n";
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place; q is 0.5 for the median. */
double
quantile(double *v, size_t n, double q)
{
	double pos, frac;
	size_t i;

	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	return i + 1 < n ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs in the cxl guest, linked with the objects of our library built with
 * -DPMEM_TRACE and with tests/reliability/trace_check.c: the deep paths
 * over ranges of a Device DAX and of a file on fs-dax, traced. Each of
 * pmem_deep_persist, and pmem_deep_flush then pmem_deep_drain, must flush
 * every line of the range once, fence, then make its system call (the
 * region's deep_flush read, or msync), and never write a deep_flush file
 * (CXL's is read-only and reads 0: nothing to flush). open and write are
 * wrapped (-Wl,--wrap) so that a deep_flush opened for writing or written
 * lands in the same trace as the flushes and fences.
 *
 * -P plants a defect the checks must catch, in the library's own calls:
 *   df0write: the region's deep flush writes "1" although the file reads 0
 *   nofence: the deep paths skip their fence (Funcs.fence does nothing)
 *
 * Usage: dax_trace [-P plant] label:path...   (a Device DAX or a directory)
 * Prints "CHECK label.deep_trace.<op> ok|bad detail" lines, as dax_test.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "funcs.h"
#include "libpmem.h"
#include "trace_check.h"

#define MAX_FD 1024

static int Bad;
static int Recording;
static unsigned char Df_fd[MAX_FD];	/* fds of deep_flush opened to write */
static enum { PLANT_NONE, PLANT_DF0WRITE, PLANT_NOFENCE } Plant;

int __real_open(const char *path, int flags, ...);
ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_plat_region_deep_flush(unsigned region_id);

static void
df_event(uintptr_t what, size_t n)
{
	if (Recording)
		trace_append(&Trace, EV_DF_WRITE, what, n);
}

int
__wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	size_t l = strlen(path);
	int df = l >= 11 && strcmp(path + l - 11, "/deep_flush") == 0 &&
		(flags & O_ACCMODE) != O_RDONLY;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	int fd = __real_open(path, flags, mode);

	if (df)
		df_event(0, 0);	/* opened for writing, even if refused */
	if (fd >= 0 && fd < MAX_FD)
		Df_fd[fd] = (unsigned char)df;
	return fd;
}

ssize_t
__wrap_write(int fd, const void *buf, size_t n)
{
	if (fd >= 0 && fd < MAX_FD && Df_fd[fd])
		df_event(1, n);
	return __real_write(fd, buf, n);
}

/* the df0write plant: a deep flush that writes whatever the file says */
int
__wrap_plat_region_deep_flush(unsigned region_id)
{
	int ret = __real_plat_region_deep_flush(region_id);
	char path[128];

	if (Plant != PLANT_DF0WRITE)
		return ret;
	snprintf(path, sizeof(path), "/sys/bus/nd/devices/region%u/deep_flush",
		region_id);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	/* CXL's file is read-only: the open fails, the attempt is traced */
	if (fd >= 0) {
		ssize_t w = write(fd, "1", 1);

		(void)w;
		close(fd);
	}
	return ret;
}

static void
nofence(void)
{
}

/* the first deep_flush write event, for the message; -1 if none */
static long
first_df_write(void)
{
	for (size_t i = 0; i < Trace.n; i++)
		if (Trace.v[i].kind == EV_DF_WRITE)
			return (long)i;
	return -1;
}

/* flushes of every line, a fence, the system call, no deep_flush write */
static int
check_trace(uintptr_t a, size_t len, char *why, size_t whylen)
{
	long w;

	if (trace_check_flush_lines(&Trace, a, len, why, whylen) != 0 ||
			trace_check_fenced_syscall(&Trace, why, whylen) != 0)
		return -1;
	w = first_df_write();
	if (w >= 0) {
		snprintf(why, whylen, "event %ld: deep_flush %s", w,
			Trace.v[w].addr ? "written" : "opened for writing");
		return -1;
	}
	return 0;
}

/* offsets and lengths: within a line, across lines and pages, 64 KiB */
static const struct { size_t off, len; } Cases[] = {
	{ 0, 64 }, { 17, 1 }, { 63, 2 }, { 100, 1000 }, { 4091, 4106 },
	{ 8192, 65536 + 3 },
};
#define NCASES (sizeof(Cases) / sizeof(Cases[0]))

enum op { DEEP_PERSIST, FLUSH_DRAIN, OPS };
static const char *const Op_names[] = { "persist", "flush_drain" };

static void
trace_op(enum op op, const char *label, char *base)
{
	char why[256] = "";
	size_t i, flushes = 0;

	for (i = 0; i < NCASES; i++) {
		char *a = base + Cases[i].off;
		size_t len = Cases[i].len;

		memset(a, (int)i, len);
		trace_start();
		Recording = 1;
		if (op == DEEP_PERSIST) {
			pmem_deep_persist(a, len);
		} else {
			pmem_deep_flush(a, len);
			pmem_deep_drain(a, len);
		}
		Recording = 0;
		trace_stop();
		flushes += trace_count(&Trace, EV_FLUSH);
		if (check_trace((uintptr_t)a, len, why, sizeof(why)) != 0)
			break;
	}
	if (i < NCASES)
		Bad = 1;
	printf("CHECK %s.deep_trace.%s %s ", label, Op_names[op],
		i < NCASES ? "bad" : "ok");
	if (i < NCASES)
		printf("len %zu at +%zu: %s\n", Cases[i].len, Cases[i].off,
			why);
	else
		printf("%zu ranges, %zu flushes: each line once, then a "
			"fence, then the system call, no deep_flush write\n",
			NCASES, flushes);
}

static void
run(const char *label, const char *path)
{
	char file[512];
	struct stat st;
	size_t len = 0;
	int is_pmem = -1;
	char *p;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(file, sizeof(file), "%s/%s.trace", path, label);
		unlink(file);
		p = pmem_map_file(file, 2 << 20, PMEM_FILE_CREATE, 0600,
			&len, &is_pmem);
	} else {
		snprintf(file, sizeof(file), "%s", path);
		p = pmem_map_file(file, 0, 0, 0, &len, &is_pmem);
	}
	printf("CHECK %s.deep_trace.map %s %p len %zu is_pmem %d\n", label,
		p && is_pmem == 1 ? "ok" : "bad", (void *)p, len, is_pmem);
	if (!p || is_pmem != 1) {
		Bad = 1;
		return;
	}
	for (int op = 0; op < OPS; op++)
		trace_op((enum op)op, label, p + 4096);
	pmem_unmap(p, len);
	if (S_ISDIR(st.st_mode))
		unlink(file);
}

int
main(int argc, char *argv[])
{
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "P:")) != -1) {
		if (strcmp(optarg, "df0write") == 0) {
			Plant = PLANT_DF0WRITE;
		} else if (strcmp(optarg, "nofence") == 0) {
			Plant = PLANT_NOFENCE;
			Funcs.fence = nofence;
		} else {
			fprintf(stderr, "unknown plant %s\n", optarg);
			return 2;
		}
	}
	for (; optind < argc; optind++) {
		char *arg = argv[optind], *colon = strchr(arg, ':');

		if (!colon) {
			fprintf(stderr, "usage: dax_trace [-P df0write|nofence]"
				" label:path...\n");
			return 2;
		}
		*colon = '\0';
		run(arg, colon + 1);
	}
	return Bad;
}

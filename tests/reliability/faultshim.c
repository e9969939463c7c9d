/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LD_PRELOAD shim: fails the Nth call of chosen libc functions with a
 * chosen errno, and counts calls, while armed. The library under test calls
 * these glibc symbols through its PLT, so defining them here intercepts it.
 *
 * The driver arms it around one library call with fault_arm("f:n:errno,...")
 * ("" only counts) and reads fault_count("f") afterwards. Failing calls do
 * what the kernel would: close() still closes, nothing else has an effect.
 *
 * With FAULT_FAKESYS=<dir> and FAULT_FAKEDEV=<major:minor>, sysfs paths of
 * that character device and of the nd bus are redirected into <dir>, so a
 * plain device looks like a Device DAX in an NVDIMM region.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

#define FAULT_FUNCS(X) \
	X(open) X(openat) X(access) X(stat) X(lstat) X(fstat) X(ftruncate) \
	X(posix_fallocate) X(mmap) X(munmap) X(msync) X(realpath) X(read) \
	X(pread) X(write) X(mkstemp) X(mkostemp) X(unlink) X(close) \
	X(fopen) X(opendir) X(fcntl) X(flock) X(mprotect) X(fsync)

enum fn {
#define FN_ENUM(f) FN_##f,
	FAULT_FUNCS(FN_ENUM)
#undef FN_ENUM
	FN_COUNT
};

static const char *const Names[FN_COUNT] = {
#define FN_NAME(f) #f,
	FAULT_FUNCS(FN_NAME)
#undef FN_NAME
};

#define MAX_FAULTS 8

static int Armed;
static unsigned Count[FN_COUNT];
static struct {
	enum fn fn;
	unsigned nth;
	int err;
} Faults[MAX_FAULTS];
static int Nfaults;

static void *
real(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL)
		abort();
	return p;
}

/* counts the call; the errno to fail it with, or 0 */
static int
hit(enum fn f)
{
	if (!Armed)
		return 0;
	Count[f]++;
	for (int i = 0; i < Nfaults; i++)
		if (Faults[i].fn == f && Faults[i].nth == Count[f])
			return Faults[i].err;
	return 0;
}

EXPORT int
fault_arm(const char *spec)
{
	char buf[512], *save = NULL;

	memset(Count, 0, sizeof(Count));
	Nfaults = 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *t = strtok_r(buf, ",", &save); t != NULL;
			t = strtok_r(NULL, ",", &save)) {
		char name[64];
		unsigned nth;
		int err, f;

		if (sscanf(t, "%63[^:]:%u:%d", name, &nth, &err) != 3 ||
				Nfaults == MAX_FAULTS)
			return -1;
		for (f = 0; f < FN_COUNT; f++)
			if (strcmp(Names[f], name) == 0)
				break;
		if (f == FN_COUNT)
			return -1;
		Faults[Nfaults].fn = (enum fn)f;
		Faults[Nfaults].nth = nth;
		Faults[Nfaults++].err = err;
	}
	Armed = 1;
	return 0;
}

EXPORT void
fault_disarm(void)
{
	Armed = 0;
}

EXPORT unsigned
fault_count(const char *name)
{
	for (int f = 0; f < FN_COUNT; f++)
		if (strcmp(Names[f], name) == 0)
			return Count[f];
	return 0;
}

EXPORT const char *
fault_func_name(int i)
{
	return i >= 0 && i < FN_COUNT ? Names[i] : NULL;
}

/* the fake sysfs path for p, in buf, or p itself */
static const char *
rewrite(const char *p, char *buf, size_t size)
{
	static const char nd[] = "/sys/bus/nd/devices";
	const char *fake = getenv("FAULT_FAKESYS");
	const char *dev = getenv("FAULT_FAKEDEV");
	char pre[64];

	if (fake == NULL || dev == NULL || p == NULL)
		return p;
	snprintf(pre, sizeof(pre), "/sys/dev/char/%s/", dev);
	if (strncmp(p, pre, strlen(pre)) == 0) {
		snprintf(buf, size, "%s/char/%s", fake, p + strlen(pre));
		return buf;
	}
	if (strncmp(p, nd, sizeof(nd) - 1) == 0) {
		snprintf(buf, size, "%s/nd%s", fake, p + sizeof(nd) - 1);
		return buf;
	}
	return p;
}

#define FAIL_IF_HIT(f, failval) do { \
	int e_ = hit(FN_##f); \
	if (e_) { \
		errno = e_; \
		return failval; \
	} \
} while (0)

/* open/openat take a mode only with O_CREAT or O_TMPFILE */
static mode_t
get_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return (mode_t)va_arg(ap, int);
	return 0;
}

/* open and openat as WRAP_PATH below, but variadic: the mode, if any */
#define WRAP_OPEN(f, params, args) \
EXPORT int \
f params \
{ \
	static int (*r) params; \
	char buf_[4096]; \
	va_list ap; \
	va_start(ap, flags); \
	mode_t mode = get_mode(flags, ap); \
	va_end(ap); \
	FAIL_IF_HIT(f, -1); \
	if (r == NULL) \
		r = real(#f); \
	path = rewrite(path, buf_, sizeof(buf_)); \
	return r args; \
}

WRAP_OPEN(open, (const char *path, int flags, ...), (path, flags, mode))
WRAP_OPEN(openat, (int dirfd, const char *path, int flags, ...),
	(dirfd, path, flags, mode))

/* the plain wrappers: count, maybe fail, else forward */
#define WRAP(ret, f, failval, params, args) \
EXPORT ret \
f params \
{ \
	static ret (*r) params; \
	FAIL_IF_HIT(f, failval); \
	if (r == NULL) \
		r = real(#f); \
	return r args; \
}

/* the same for functions whose first argument is a path */
#define WRAP_PATH(ret, f, failval, params, args) \
EXPORT ret \
f params \
{ \
	static ret (*r) params; \
	char buf_[4096]; \
	FAIL_IF_HIT(f, failval); \
	if (r == NULL) \
		r = real(#f); \
	p = rewrite(p, buf_, sizeof(buf_)); \
	return r args; \
}

WRAP_PATH(int, access, -1, (const char *p, int m), (p, m))
WRAP_PATH(int, stat, -1, (const char *restrict p, struct stat *restrict s),
	(p, s))
WRAP_PATH(int, lstat, -1, (const char *restrict p,
	struct stat *restrict s), (p, s))
WRAP(int, fstat, -1, (int fd, struct stat *s), (fd, s))
WRAP(int, ftruncate, -1, (int fd, off_t len), (fd, len))
WRAP(void *, mmap, MAP_FAILED, (void *a, size_t l, int p, int f, int fd,
	off_t o), (a, l, p, f, fd, o))
WRAP(int, munmap, -1, (void *a, size_t l), (a, l))
WRAP(int, msync, -1, (void *a, size_t l, int f), (a, l, f))
WRAP_PATH(char *, realpath, NULL, (const char *restrict p,
	char *restrict r_), (p, r_))
WRAP(ssize_t, read, -1, (int fd, void *b, size_t n), (fd, b, n))
WRAP(ssize_t, pread, -1, (int fd, void *b, size_t n, off_t o),
	(fd, b, n, o))
WRAP(ssize_t, write, -1, (int fd, const void *b, size_t n), (fd, b, n))
WRAP(int, mkstemp, -1, (char *t), (t))
WRAP(int, mkostemp, -1, (char *t, int f), (t, f))
WRAP_PATH(int, unlink, -1, (const char *p), (p))
WRAP_PATH(FILE *, fopen, NULL, (const char *restrict p,
	const char *restrict m), (p, m))
WRAP_PATH(DIR *, opendir, NULL, (const char *p), (p))
WRAP(int, flock, -1, (int fd, int op), (fd, op))
WRAP(int, mprotect, -1, (void *a, size_t l, int p), (a, l, p))
WRAP(int, fsync, -1, (int fd), (fd))

/* posix_fallocate reports its error as the return value */
EXPORT int
posix_fallocate(int fd, off_t off, off_t len)
{
	static int (*r)(int, off_t, off_t);
	int e = hit(FN_posix_fallocate);

	if (e)
		return e;
	if (r == NULL)
		r = real("posix_fallocate");
	return r(fd, off, len);
}

/* a failed close still releases the descriptor, as on Linux */
EXPORT int
close(int fd)
{
	static int (*r)(int);
	int e = hit(FN_close);

	if (r == NULL)
		r = real("close");
	int ret = r(fd);

	if (e) {
		errno = e;
		return -1;
	}
	return ret;
}

EXPORT int
fcntl(int fd, int cmd, ...)
{
	static int (*r)(int, int, ...);
	va_list ap;

	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);

	va_end(ap);
	FAIL_IF_HIT(fcntl, -1);
	if (r == NULL)
		r = real("fcntl");
	return r(fd, cmd, arg);
}

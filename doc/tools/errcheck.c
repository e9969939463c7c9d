/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * errcheck.c -- checks the claims of the ERRORS and RETURN VALUE sections of
 * the man pages against whichever libpmem it is run with.
 * Usage: errcheck SCRATCH_DIR; prints PASS/FAIL/SKIP lines, exits 1 on FAIL.
 */

#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libpmem.h>

#define TMPFS_MAGIC_NR 0x01021994
#define EXT4_MAGIC_NR 0xEF53

/* the reference's refusals, word for word */
#define MINOR_MISMATCH "libpmem minor version mismatch (need 2, found 1)"
#define MAJOR_MISMATCH "libpmem major version mismatch (need 0, found 1)"

static int Failed;
static char Dir[4096];

static void
verdict(int ok, const char *what, const char *detail)
{
	printf("%s: %s%s%s%s\n", ok ? "PASS" : "FAIL", what,
			ok ? "" : " (", ok ? "" : detail, ok ? "" : ")");
	if (!ok)
		Failed = 1;
}

static const char *
path(const char *name)
{
	static char buf[8][4200];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", Dir, name);
	return p;
}

/* pmem_map_file() must fail with errno want, leaving the out-params alone */
static void
map_fails(const char *what, int want, const char *file, size_t len,
		int flags)
{
	size_t mapped = 12345;
	int is_pmem = 7;
	char detail[512];
	void *addr;

	errno = 0;
	addr = pmem_map_file(file, len, flags, 0644, &mapped, &is_pmem);
	if (addr != NULL) {
		pmem_unmap(addr, mapped);
		verdict(0, what, "the call succeeded");
		return;
	}
	snprintf(detail, sizeof(detail), "errno %s, expected %s; %s",
			strerrorname_np(errno) ? strerrorname_np(errno) : "0",
			strerrorname_np(want), pmem_errormsg());
	if (errno == want && (mapped != 12345 || is_pmem != 7))
		snprintf(detail, sizeof(detail), "out-params written");
	verdict(errno == want && mapped == 12345 && is_pmem == 7, what,
			detail);
}

static void
msg_is(const char *what, const char *want)
{
	char detail[1024];

	snprintf(detail, sizeof(detail), "message \"%s\", expected \"%s\"",
			pmem_errormsg(), want);
	verdict(strcmp(pmem_errormsg(), want) == 0, what, detail);
}

static void
check_map_file(void)
{
	char detail[256];
	size_t mapped;
	void *addr;
	int fd;

	map_fails("pmem_map_file EINVAL: unknown flag bit", EINVAL,
			path("f"), 4096, PMEM_FILE_CREATE | (1 << 4));
	msg_is("pmem_map_file message for an unknown flag bit",
			"invalid flag specified 11");
	map_fails("pmem_map_file EINVAL: len without PMEM_FILE_CREATE",
			EINVAL, path("f"), 4096, 0);
	msg_is("pmem_map_file message for len without PMEM_FILE_CREATE",
			"non-zero 'len' not allowed without PMEM_FILE_CREATE");
	map_fails("pmem_map_file EINVAL: PMEM_FILE_CREATE with len 0",
			EINVAL, path("f"), 0, PMEM_FILE_CREATE);
	map_fails("pmem_map_file EINVAL: PMEM_FILE_TMPFILE alone", EINVAL,
			Dir, 0, PMEM_FILE_TMPFILE);
	map_fails("pmem_map_file EINVAL: NULL path", EINVAL, NULL, 0, 0);
	map_fails("pmem_map_file EINVAL: len too large for a file offset",
			EINVAL, path("huge"), SIZE_MAX, PMEM_FILE_CREATE);
	map_fails("pmem_map_file ENOENT: missing file", ENOENT,
			path("missing"), 0, 0);
	map_fails("pmem_map_file ENOENT: missing directory", ENOENT,
			path("nodir/f"), 4096, PMEM_FILE_CREATE);

	addr = pmem_map_file(path("f"), 4096, PMEM_FILE_CREATE, 0644,
			&mapped, NULL);
	verdict(addr != NULL && mapped == 4096,
			"pmem_map_file creates a file of len bytes",
			pmem_errormsg());
	if (addr != NULL)
		pmem_unmap(addr, mapped);

	map_fails("pmem_map_file EEXIST: CREATE|EXCL on an existing file",
			EEXIST, path("f"), 4096,
			PMEM_FILE_CREATE | PMEM_FILE_EXCL);
	snprintf(detail, sizeof(detail), "open %s: File exists", path("f"));
	msg_is("pmem_map_file message for EEXIST", detail);
	map_fails("pmem_map_file EISDIR: a directory", EISDIR, Dir, 0, 0);
	map_fails("pmem_map_file ENOTDIR: a file used as a directory",
			ENOTDIR, path("f/x"), 0, 0);
	map_fails("pmem_map_file ENOTDIR: PMEM_FILE_TMPFILE on a file",
			ENOTDIR, path("f"), 4096,
			PMEM_FILE_CREATE | PMEM_FILE_TMPFILE);

	/* an existing file is resized to len, down as well as up */
	addr = pmem_map_file(path("f"), 100, PMEM_FILE_CREATE, 0644, &mapped,
			NULL);
	verdict(addr != NULL && mapped == 100,
			"pmem_map_file truncates an existing file to len",
			pmem_errormsg());
	if (addr != NULL)
		pmem_unmap(addr, mapped);

	fd = open(path("empty"), O_CREAT | O_WRONLY, 0644);
	if (fd >= 0)
		close(fd);
	map_fails("pmem_map_file EINVAL: existing empty file", EINVAL,
			path("empty"), 0, 0);
	if (mkfifo(path("fifo"), 0644) == 0)
		map_fails("pmem_map_file EINVAL: a FIFO", EINVAL,
				path("fifo"), 0, 0);
}

/*
 * EFBIG needs a file system whose size limit is below 2^62; ext4's is
 * (16 TiB with 4 KiB blocks), tmpfs, xfs and btrfs allow nearly 2^63.
 */
static void
check_efbig(void)
{
	struct statfs fs;

	if (statfs(Dir, &fs) != 0 || fs.f_type != EXT4_MAGIC_NR) {
		printf("SKIP: pmem_map_file EFBIG: %s is not on ext4\n", Dir);
		return;
	}
	map_fails("pmem_map_file EFBIG: len beyond the file size limit",
			EFBIG, path("big"), (size_t)1 << 62, PMEM_FILE_CREATE);
}

/* ENOMEM: a sparse file on tmpfs larger than any address space */
static void
check_enomem(void)
{
	struct statfs fs;
	char file[64];

	if (statfs("/dev/shm", &fs) != 0 || fs.f_type != TMPFS_MAGIC_NR ||
			access("/dev/shm", W_OK) != 0) {
		printf("SKIP: pmem_map_file ENOMEM: no writable tmpfs\n");
		return;
	}
	snprintf(file, sizeof(file), "/dev/shm/errcheck.%d", (int)getpid());
	map_fails("pmem_map_file ENOMEM: mapping larger than the address space",
			ENOMEM, file, (size_t)1 << 58,
			PMEM_FILE_CREATE | PMEM_FILE_SPARSE);
	unlink(file);
}

/*
 * EACCES: a directory nobody may search. Root ignores permissions, so as
 * root the attempt is made by a child that gave root up.
 */
static void
check_eacces(void)
{
	const char *dir = path("locked");
	const char *file = path("locked/f");
	int status, fd;
	pid_t pid;

	if (mkdir(dir, 0700) != 0 ||
			(fd = open(file, O_CREAT | O_RDWR, 0666)) < 0 ||
			ftruncate(fd, 4096) != 0 || close(fd) != 0 ||
			chmod(dir, 0) != 0) {
		printf("SKIP: pmem_map_file EACCES: cannot set up %s\n", dir);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (geteuid() == 0 &&
				(setgid(65534) != 0 || setuid(65534) != 0))
			_exit(77);
		errno = 0;
		if (pmem_map_file(file, 0, 0, 0, NULL, NULL) != NULL)
			_exit(1);
		_exit(errno == EACCES ? 0 : 2);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
			!WIFEXITED(status))
		status = -1;
	/* let the caller remove the scratch directory */
	chmod(dir, 0700);
	if (status == -1)
		verdict(0, "pmem_map_file EACCES", "child failed to run");
	else if (WEXITSTATUS(status) == 77)
		printf("SKIP: pmem_map_file EACCES: cannot drop root\n");
	else
		verdict(WEXITSTATUS(status) == 0,
				"pmem_map_file EACCES: unsearchable directory",
				WEXITSTATUS(status) == 1 ?
				"the call succeeded" : "wrong errno");
}

static void
returns(const char *what, int got, int want, int want_errno)
{
	char detail[256];
	int e = errno;

	snprintf(detail, sizeof(detail), "returned %d errno %s, expected %d %s",
			got, strerrorname_np(e) ? strerrorname_np(e) : "0",
			want, want_errno ? strerrorname_np(want_errno) : "");
	verdict(got == want && (want_errno == 0 || e == want_errno), what,
			detail);
}

static void
check_unmap_msync(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (m == MAP_FAILED) {
		verdict(0, "mmap for the unmap/msync checks", strerror(errno));
		return;
	}
	errno = 0;
	r = pmem_unmap(m + 1, pg);
	returns("pmem_unmap EINVAL: unaligned addr", r, -1, EINVAL);
	errno = 0;
	r = pmem_unmap(m, 0);
	returns("pmem_unmap EINVAL: len 0", r, -1, EINVAL);
	errno = 0;
	r = pmem_unmap(m, SIZE_MAX);
	returns("pmem_unmap EINVAL: range beyond the address space", r, -1,
			EINVAL);

	munmap(m + 2 * pg, 2 * pg);
	errno = 0;
	r = pmem_unmap(m + 2 * pg, pg);
	returns("pmem_unmap of an unmapped range succeeds", r, 0, 0);

	errno = 0;
	r = pmem_msync(m + 5, 10);
	returns("pmem_msync on an unaligned range succeeds", r, 0, 0);
	errno = 0;
	r = pmem_msync(m + 2 * pg, 10);
	returns("pmem_msync ENOMEM: unmapped range", r, -1, ENOMEM);
	errno = 0;
	r = pmem_deep_drain(m + 2 * pg, 10);
	returns("pmem_deep_drain ENOMEM: unmapped range", r, -1, ENOMEM);
	errno = 0;
	r = pmem_deep_drain(m + 2 * pg, 0);
	returns("pmem_deep_drain with len 0 returns 0", r, 0, 0);
	errno = 0;
	r = pmem_deep_persist(m, 10);
	returns("pmem_deep_persist on mapped memory returns 0", r, 0, 0);
	munmap(m, 2 * pg);
}

static void
check_version(void)
{
	const char *r;

	errno = 4242;
	r = pmem_check_version(PMEM_MAJOR_VERSION, PMEM_MINOR_VERSION);
	verdict(r == NULL, "pmem_check_version(1, 1) is granted",
			r ? r : "");
	r = pmem_check_version(1, 0);
	verdict(r == NULL, "pmem_check_version(1, 0) is granted", r ? r : "");
	r = pmem_check_version(1, 2);
	verdict(r != NULL && strcmp(r, MINOR_MISMATCH) == 0,
			"pmem_check_version(1, 2) text", r ? r : "NULL");
	r = pmem_check_version(0, 0);
	verdict(r != NULL && strcmp(r, MAJOR_MISMATCH) == 0,
			"pmem_check_version(0, 0) text", r ? r : "NULL");
	verdict(r != NULL && strcmp(pmem_errormsg(), r) == 0,
			"pmem_check_version keeps its text as error message",
			pmem_errormsg());
	verdict(errno == 4242, "pmem_check_version leaves errno alone",
			strerror(errno));
}

static void
check_no_errno_change(void)
{
	static char a[100000], b[100000];
	int ok = 1;

	errno = 4242;
	pmem_is_pmem(a, sizeof(a));
	ok &= errno == 4242;
	pmem_persist(a, 100);
	pmem_flush(a, 100);
	pmem_drain();
	pmem_deep_flush(a, 100);
	pmem_has_hw_drain();
	pmem_errormsg();
	ok &= errno == 4242;
	pmem_memcpy(a, b, sizeof(a), 0);
	pmem_memmove(a + 1, a, 5000, PMEM_F_MEM_NONTEMPORAL);
	pmem_memset(a, 1, 5000, PMEM_F_MEM_NODRAIN);
	pmem_memcpy_persist(a, b, 10);
	pmem_memset_nodrain(a, 0, 300);
	ok &= errno == 4242;
	verdict(ok, "functions that cannot fail leave errno alone",
			strerror(errno));
	verdict(pmem_has_hw_drain() == 0, "pmem_has_hw_drain returns 0",
			"nonzero");
}

static void *
fail_in_thread(void *arg)
{
	(void) arg;
	pmem_map_file(path("missing-in-thread"), 0, 0, 0, NULL, NULL);
	return NULL;
}

static void
check_errormsg_thread_local(void)
{
	pthread_t t;
	char before[1024];

	snprintf(before, sizeof(before), "%s", pmem_errormsg());
	if (pthread_create(&t, NULL, fail_in_thread, NULL) != 0 ||
			pthread_join(t, NULL) != 0) {
		verdict(0, "pmem_errormsg is per thread", "no thread");
		return;
	}
	verdict(strcmp(before, pmem_errormsg()) == 0,
			"pmem_errormsg is per thread", pmem_errormsg());
}

int
main(int argc, char *argv[])
{
	const char *m = pmem_errormsg();

	if (argc != 2) {
		fprintf(stderr, "usage: %s scratch_dir\n", argv[0]);
		return 2;
	}
	verdict(m != NULL && m[0] == '\0',
			"pmem_errormsg is empty before any error",
			m ? m : "NULL");
	snprintf(Dir, sizeof(Dir), "%s", argv[1]);

	check_map_file();
	check_efbig();
	check_enomem();
	check_unmap_msync();
	check_version();
	check_no_errno_change();
	check_errormsg_thread_local();
	check_eacces();
	return Failed;
}

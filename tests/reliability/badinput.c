/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bad and edge-case input for every entry point, each case in its own
 * child so a crash is an observation, not the end: prints one line per
 * case (outcome, errno, whether a message is set) for the library given,
 * which run.sh compares between ours and the reference.
 *
 * Usage: badinput LIB DIR
 */
#include "rtest.h"
#include "../lib/guard.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <libpmem.h>

static struct pmem_api L;

static const char *Dir;
static char Path[PATH_MAX + 256];

/* what a case observed: "ok"/"NULL"/a number, and errno when it failed */
struct out {
	char what[64];
	int err;
};

static const char *
in_dir(const char *name)
{
	snprintf(Path, sizeof(Path), "%s/%s", Dir, name);
	return Path;
}

static void
make_file(const char *name, size_t size)
{
	int fd = open(in_dir(name), O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
		tl_die("make_file: %s", strerror(errno));
	close(fd);
}

/* a pmem_map_file call; a success is checked and unmapped */
static void
map(struct out *o, const char *path, size_t len, int flags, int outs)
{
	size_t mlen = 0;
	int isp = 0;

	errno = 0;
	char *a = L.map_file(path, len, flags, 0600, outs ? &mlen : NULL,
		outs ? &isp : NULL);

	o->err = errno;
	if (a == NULL) {
		snprintf(o->what, sizeof(o->what), "NULL");
		return;
	}
	if (!outs)
		mlen = len;
	a[0] = 1;
	a[mlen - 1] = 1;
	snprintf(o->what, sizeof(o->what), "mapped %zu", mlen);
	L.unmap(a, mlen);
}

static void
ret_int(struct out *o, int r)
{
	snprintf(o->what, sizeof(o->what), "%d", r);
}

static char *
anon(size_t len, int prot)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		tl_die("mmap");
	memset(p, 1, len);
	mprotect(p, len, prot);
	return p;
}

/* an address whose two pages were just unmapped */
static char *
unmapped(void)
{
	char *p = anon(8192, PROT_READ);

	munmap(p, 8192);
	return p;
}

/* a writable page, then an inaccessible one (at the result + 4096) */
static char *
before_hole(void)
{
	return guard_alloc(4096);
}

/* pmem_check_version: "msg" when it refuses, "NULL" when it accepts */
static void
version(struct out *o, unsigned major, unsigned minor)
{
	snprintf(o->what, sizeof(o->what), "%s",
		L.check_version(major, minor) ? "msg" : "NULL");
}

/* a file mapping made by the library under test */
static char *
lib_map(size_t *len)
{
	char *a = L.map_file(in_dir("m"), 1 << 16, PMEM_FILE_CREATE, 0600,
		len, NULL);

	if (a == NULL)
		tl_die("lib_map: %s", L.errormsg());
	return a;
}

static void *
fresh_thread(void *arg)
{
	const char **m = arg;

	*m = L.errormsg();
	return NULL;
}

static void
run_case(int id, struct out *o)
{
	char long_path[PATH_MAX + 64];
	size_t len;
	char *p;

	errno = 0;
	snprintf(o->what, sizeof(o->what), "done");
	switch (id) {
	/* pmem_map_file: paths */
	case 0: map(o, NULL, 0, 0, 1); break;
	case 1: map(o, "", 0, 0, 1); break;
	case 2: map(o, "", 4096, PMEM_FILE_CREATE, 1); break;
	case 3:
		memset(long_path, 'x', sizeof(long_path) - 1);
		long_path[0] = '/';
		long_path[sizeof(long_path) - 1] = '\0';
		map(o, long_path, 4096, PMEM_FILE_CREATE, 1);
		break;
	case 4: map(o, in_dir("no/such/dir"), 4096, PMEM_FILE_CREATE, 1);
		break;
	case 5: map(o, Dir, 4096, PMEM_FILE_CREATE, 1); break;
	case 6: map(o, Dir, 0, 0, 1); break;
	case 7:
		make_file("f", 4096);
		map(o, in_dir("f/x"), 4096, PMEM_FILE_CREATE, 1);
		break;
	/* lengths */
	case 8: map(o, in_dir("n"), 0, PMEM_FILE_CREATE, 1); break;
	case 9:
		make_file("f", 4096);
		map(o, in_dir("f"), 4096, 0, 1);
		break;
	case 10: map(o, in_dir("n"), SIZE_MAX, PMEM_FILE_CREATE, 1); break;
	case 11:
		map(o, in_dir("n"), ((size_t)1 << 63) | 4096,
			PMEM_FILE_CREATE | PMEM_FILE_SPARSE, 1);
		break;
	case 12:
		map(o, in_dir("n"), (size_t)1 << 62,
			PMEM_FILE_CREATE | PMEM_FILE_SPARSE, 1);
		break;
	case 13:
		make_file("f", 0);
		map(o, in_dir("f"), 0, 0, 1);
		break;
	case 14:
		map(o, in_dir("n"), 4097, PMEM_FILE_CREATE, 1);
		break;
	/* flags */
	case 15: map(o, in_dir("n"), 4096, 1 << 4, 1); break;
	case 16: map(o, in_dir("n"), 4096, -1, 1); break;
	case 17: map(o, in_dir("n"), 4096, PMEM_FILE_TMPFILE, 1); break;
	case 18: map(o, in_dir("n"), 4096, PMEM_FILE_EXCL, 1); break;
	case 19:
		make_file("f", 4096);
		map(o, in_dir("f"), 4096, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
			1);
		break;
	case 20:
		map(o, Dir, 4096, PMEM_FILE_CREATE | PMEM_FILE_TMPFILE |
			PMEM_FILE_EXCL | PMEM_FILE_SPARSE, 1);
		break;
	case 21:
		make_file("f", 4096);
		map(o, in_dir("f"), 4096, PMEM_FILE_CREATE |
			PMEM_FILE_TMPFILE, 1);
		break;
	case 22: map(o, in_dir("n"), 8192, PMEM_FILE_CREATE, 0); break;
	case 23: map(o, "/dev/null", 0, 0, 1); break;
	case 24: map(o, "/dev/zero", 4096, PMEM_FILE_CREATE, 1); break;
	/* pmem_unmap */
	case 25: ret_int(o, L.unmap(NULL, 0)); break;
	case 26: ret_int(o, L.unmap(NULL, 4096)); break;
	case 27:
		p = lib_map(&len);
		ret_int(o, L.unmap(p + 1, len - 1));
		break;
	case 28:
		p = lib_map(&len);
		ret_int(o, L.unmap(p, 0));
		break;
	case 29:
		p = lib_map(&len);
		ret_int(o, L.unmap(p, SIZE_MAX));
		break;
	/* queries and flushes of odd ranges */
	case 30: ret_int(o, L.is_pmem(NULL, 0)); break;
	case 31: ret_int(o, L.is_pmem(NULL, SIZE_MAX)); break;
	case 32:
		p = anon(4096, PROT_READ);
		L.persist(p, 4096);
		L.flush(p + 100, 1000);
		L.deep_flush(p, 4096);
		break;
	case 33:
		p = anon(4096, PROT_READ);
		ret_int(o, L.deep_persist(p, 4096));
		break;
	case 34:
		L.persist(NULL, 0);
		L.flush(NULL, 0);
		L.deep_flush(NULL, 0);
		break;
	case 35:
		L.memmove(NULL, NULL, 0, 0);
		L.memcpy(NULL, NULL, 0, PMEM_F_MEM_NONTEMPORAL);
		L.memset(NULL, 0, 0, 0);
		L.memcpy_persist(NULL, NULL, 0);
		L.memset_nodrain(NULL, 0, 0);
		break;
	case 36: ret_int(o, L.msync(NULL, 0)); break;
	case 37: ret_int(o, L.msync(unmapped(), 4096)); break;
	case 38:
		p = lib_map(&len);
		ret_int(o, L.msync(p + 1, 10));
		break;
	case 39: ret_int(o, L.deep_drain(NULL, 0)); break;
	case 40: ret_int(o, L.deep_drain(unmapped(), 4096)); break;
	/* a zero-length flush or copy next to an inaccessible line */
	case 41: L.flush(before_hole() + 4096 + 5, 0); break;
	case 42:
		p = before_hole();
		L.memmove(p + 4096 + 5, p, 0, 0);
		break;
	case 48: L.memset(before_hole() + 4096 + 5, 0, 0, 0); break;
	case 49:
		L.memcpy_persist((char *)NULL + 5, "x", 0);
		break;
	case 43:	/* a range ending at a page end flushes nothing after */
		p = before_hole();
		L.persist(p + 4096 - 100, 100);
		L.memcpy_persist(p + 4096 - 3, "abc", 3);
		break;
	/* versions and messages */
	case 44: version(o, 0, 0); break;
	case 45: version(o, 1, 99); break;
	case 46: version(o, UINT_MAX, UINT_MAX); break;
	case 47: {
		pthread_t t;
		const char *m = (const char *)1;

		pthread_create(&t, NULL, fresh_thread, &m);
		pthread_join(t, NULL);
		snprintf(o->what, sizeof(o->what), "%s", m == NULL ? "NULL" :
			m[0] ? "text" : "empty");
		break;
	}
	default:
		snprintf(o->what, sizeof(o->what), "END");
		break;
	}
	/* errno and the message matter only when the call failed */
	if (strcmp(o->what, "NULL") != 0 && strcmp(o->what, "-1") != 0)
		o->err = 0;
	else if (o->err == 0)
		o->err = errno;
}

static const char *const Names[] = {
	"map NULL path", "map empty path", "map empty path, CREATE",
	"map path longer than PATH_MAX", "map in a missing directory",
	"map a directory, CREATE", "map a directory",
	"map below a regular file (ENOTDIR)", "CREATE with len 0",
	"len without CREATE", "CREATE len SIZE_MAX",
	"CREATE|SPARSE len negative as off_t", "CREATE|SPARSE len 2^62",
	"map an empty file", "CREATE len 4097 (not page-sized)",
	"unknown flag 1<<4", "flags -1", "TMPFILE without CREATE",
	"EXCL without CREATE", "CREATE|EXCL on an existing file",
	"TMPFILE|EXCL|SPARSE in a directory",
	"TMPFILE on a regular file", "NULL mapped_lenp and is_pmemp",
	"map /dev/null", "map /dev/zero, CREATE", "unmap NULL, 0",
	"unmap NULL, 4096", "unmap misaligned address", "unmap len 0",
	"unmap len SIZE_MAX", "is_pmem NULL, 0", "is_pmem NULL, SIZE_MAX",
	"persist/flush/deep_flush of read-only memory",
	"deep_persist of read-only anonymous memory",
	"persist/flush/deep_flush NULL, 0",
	"mem* NULL dest and src, len 0", "msync NULL, 0",
	"msync of unmapped memory", "msync misaligned start",
	"deep_drain NULL, 0", "deep_drain of unmapped memory",
	"flush len 0 at an address in a PROT_NONE page",
	"pmem_memmove len 0 to an address in a PROT_NONE page",
	"persist/memcpy_persist up to a PROT_NONE page",
	"check_version 0.0", "check_version 1.99",
	"check_version UINT_MAX", "errormsg in a new thread",
	"pmem_memset len 0 to an address in a PROT_NONE page",
	"pmem_memcpy_persist len 0 to NULL + 5",
};
#define NCASES ((int)(sizeof(Names) / sizeof(Names[0])))

int
main(int argc, char *argv[])
{
	Dir = rt_lib_and_dir(argc, argv, 3, "LIB DIR", &L);

	for (int id = 0; id < NCASES; id++) {
		int fd[2], st;
		struct out o;

		rt_rm_rf(Dir, 1);
		if (pipe(fd) != 0)
			tl_die("pipe");
		fflush(stdout);
		pid_t pid = fork();

		if (pid == 0) {
			close(fd[0]);
			memset(&o, 0, sizeof(o));
			run_case(id, &o);
			char line[256];
			int n = snprintf(line, sizeof(line), "%s\t%s\t%d\n",
				o.what, o.err ? strerrorname_np(o.err) : "-",
				o.err && L.errormsg()[0] != '\0');

			if (write(fd[1], line, (size_t)n) != n)
				_exit(3);
			_exit(0);
		}
		close(fd[1]);
		char buf[256] = "";
		ssize_t n = read(fd[0], buf, sizeof(buf) - 1);

		close(fd[0]);
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st))
			printf("%s\tCRASH %s\t-\t0\n", Names[id],
				sigabbrev_np(WTERMSIG(st)));
		else
			printf("%s\t%s", Names[id], n > 0 ? buf : "?\t-\t0\n");
	}
	rt_rm_rf(Dir, 1);
	return 0;
}

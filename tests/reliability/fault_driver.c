/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fault injection driver: runs each scenario (a pmem_map_file kind, unmap,
 * msync, deep drain...) once per system call the library makes on that
 * path, failing that call (faultshim.c), and prints one observation line per
 * run: outcome, errno, message, leaked descriptors and mappings, files left,
 * and whether a clean retry then works. run.sh compares ours with the
 * reference line by line (fault_compare.awk).
 *
 * Usage: fault_driver LIB DIR faults
 *        fault_driver LIB DIR devdax   (with faultshim's fake sysfs)
 *        fault_driver LIB DIR limits [FULLFS_DIR]   (rlimits, full fs)
 */
#include "rtest.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <libpmem.h>

#define MiB (1u << 20)

static struct pmem_api L;

static int (*Arm)(const char *);
static void (*Disarm)(void);
static unsigned (*Count)(const char *);
static const char *(*Func_name)(int);

static const char *Dir;

/* the errno each function is failed with: distinct where it helps */
static const struct {
	const char *fn;
	int err;
} Errs[] = {
	{ "open", EMFILE }, { "openat", EMFILE }, { "access", EACCES },
	{ "stat", EIO }, { "lstat", EIO }, { "fstat", EIO },
	{ "ftruncate", EFBIG }, { "posix_fallocate", ENOSPC },
	{ "mmap", ENOMEM }, { "munmap", EINVAL }, { "msync", EIO },
	{ "realpath", ELOOP }, { "read", EIO }, { "pread", EIO },
	{ "write", EIO }, { "mkstemp", EEXIST }, { "mkostemp", EEXIST },
	{ "unlink", EBUSY }, { "close", EIO }, { "fopen", EMFILE },
	{ "opendir", EMFILE }, { "fcntl", EINVAL }, { "flock", EWOULDBLOCK },
	{ "mprotect", ENOMEM }, { "fsync", EIO },
};

/* ---- scenarios ------------------------------------------------------ */

struct scen {
	const char *name;
	const char *base;	/* faults always armed (a fallback path) */
	const char *path;	/* relative to Dir; NULL: Dir itself */
	size_t existing;	/* size of a file made beforehand (0: none) */
	size_t len;
	int flags;
	size_t expect_len;
	int op;			/* OP_MAP, or an operation on a mapping */
	int expect_pmem;	/* mapped as a Device DAX: is_pmem must be 1 */
};

enum { OP_MAP, OP_UNMAP, OP_MSYNC, OP_DEEP_DRAIN, OP_DEEP_PERSIST,
	OP_AUTO_FLUSH };

#define C PMEM_FILE_CREATE
static const struct scen Scens[] = {
	{ "map-existing", "", "f", MiB, 0, 0, MiB, OP_MAP, 0 },
	{ "create", "", "f", 0, MiB, C, MiB, OP_MAP, 0 },
	{ "create-excl", "", "f", 0, MiB, C | PMEM_FILE_EXCL, MiB, OP_MAP, 0 },
	{ "create-over-existing", "", "f", 4096, MiB, C, MiB, OP_MAP, 0 },
	{ "create-sparse-existing", "", "f", 4096, 2 * MiB,
		C | PMEM_FILE_SPARSE, 2 * MiB, OP_MAP, 0 },
	{ "tmpfile", "", NULL, 0, MiB, C | PMEM_FILE_TMPFILE, MiB, OP_MAP, 0 },
	{ "tmpfile-excl", "", NULL, 0, MiB,
		C | PMEM_FILE_TMPFILE | PMEM_FILE_EXCL, MiB, OP_MAP, 0 },
	/* O_TMPFILE refused: the named-temporary-file fallback */
	{ "tmpfile-fallback", "open:1:95", NULL, 0, MiB,
		C | PMEM_FILE_TMPFILE, MiB, OP_MAP, 0 },
	{ "chardev", "", "/dev/zero", 0, 0, 0, 0, OP_MAP, 0 },
	{ "unmap", "", "f", 0, MiB, C, MiB, OP_UNMAP, 0 },
	{ "msync", "", "f", 0, MiB, C, MiB, OP_MSYNC, 0 },
	{ "deep-drain", "", "f", 0, MiB, C, MiB, OP_DEEP_DRAIN, 0 },
	{ "deep-persist", "", "f", 0, MiB, C, MiB, OP_DEEP_PERSIST, 0 },
	{ "has-auto-flush", "", NULL, 0, 0, 0, 0, OP_AUTO_FLUSH, 0 },
};

/* FAULT_FAKESYS makes /dev/zero a 4 MiB Device DAX in region 7 */
static const struct scen Devdax[] = {
	{ "devdax-map", "", "/dev/zero", 0, 0, 0, 4 * MiB, OP_MAP, 1 },
	{ "devdax-map-create", "", "/dev/zero", 0, 4 * MiB,
		C | PMEM_FILE_SPARSE, 4 * MiB, OP_MAP, 1 },
	{ "devdax-deep-drain", "", "/dev/zero", 0, 0, 0, 4 * MiB,
		OP_DEEP_DRAIN, 1 },
	{ "devdax-deep-persist", "", "/dev/zero", 0, 0, 0, 4 * MiB,
		OP_DEEP_PERSIST, 1 },
	{ "devdax-unmap", "", "/dev/zero", 0, 0, 0, 4 * MiB, OP_UNMAP, 1 },
	{ "devdax-has-auto-flush", "", NULL, 0, 0, 0, 0, OP_AUTO_FLUSH, 0 },
};
#undef C

/* a scenario's path: relative to Dir, absolute, or NULL for Dir */
static void
path_of(const char *rel, char *buf, size_t size)
{
	if (rel == NULL)
		snprintf(buf, size, "%s", Dir);
	else if (rel[0] == '/')
		snprintf(buf, size, "%s", rel);
	else
		snprintf(buf, size, "%s/%s", Dir, rel);
}

static void
make_file(const char *path, size_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
		tl_die("make_file %s: %s", path, strerror(errno));
	close(fd);
}

/* the mapping an OP_* scenario works on */
static char *Map;
static size_t Map_len;

static void
setup(const struct scen *s)
{
	char path[4096];

	rt_rm_rf(Dir, 1);
	path_of(s->path, path, sizeof(path));
	if (s->existing)
		make_file(path, s->existing);
	if (s->op != OP_MAP && s->op != OP_AUTO_FLUSH) {
		Map = L.map_file(path, s->len, s->flags, 0600, &Map_len, NULL);
		if (Map == NULL)
			tl_die("setup map %s: %s", path, L.errormsg());
	}
}

/* ends an OP_* scenario: the mapping goes, whatever the call did */
static void
teardown(const struct scen *s)
{
	if (s->op != OP_MAP && s->op != OP_AUTO_FLUSH && Map != NULL) {
		/* after a successful pmem_unmap this only fails with EINVAL */
		if (s->op != OP_UNMAP || msync(Map, 4096, MS_ASYNC) == 0)
			L.unmap(Map, Map_len);
		Map = NULL;
	}
}

/*
 * The call under test. For maps, a success is checked (length, access)
 * and unmapped at once. Returns 1 on success, 0 on failure, or the
 * value for has_auto_flush.
 */
static int
action(const struct scen *s, char *note, size_t notelen)
{
	char path[4096];
	size_t mlen = 0;
	int ret;

	path_of(s->path, path, sizeof(path));
	note[0] = '\0';
	switch (s->op) {
	case OP_MAP: {
		int isp = 0;
		char *a = L.map_file(path, s->len, s->flags, 0600, &mlen,
			&isp);

		if (a == NULL)
			return 0;
		Disarm();
		if (mlen != s->expect_len)
			snprintf(note, notelen, "mapped_len %zu, expected %zu",
				mlen, s->expect_len);
		else if (s->expect_pmem && isp != 1)
			snprintf(note, notelen, "is_pmem %d, expected 1", isp);
		else
			a[0] = a[mlen - 1] = 1;
		L.unmap(a, mlen);
		return 1;
	}
	case OP_UNMAP:
		ret = L.unmap(Map, Map_len) == 0;
		break;
	case OP_MSYNC:
		ret = L.msync(Map + 100, 5000) == 0;
		break;
	case OP_DEEP_DRAIN:
		ret = L.deep_drain(Map + 100, 5000) == 0;
		break;
	case OP_DEEP_PERSIST:
		ret = L.deep_persist(Map + 100, 5000) == 0;
		break;
	default:
		ret = L.has_auto_flush();
		break;
	}
	return ret;
}

/* ---- observation ---------------------------------------------------- */

struct snap {
	int fds;
	int maps;		/* mappings naming Dir (also deleted files) */
	size_t bytes;		/* everything mapped */
	int files;
};

static void
take(struct snap *p)
{
	p->fds = rt_count_fds();
	p->maps = rt_count_maps(Dir);
	p->bytes = rt_mapped_bytes();
	p->files = rt_count_entries(Dir);
}

static void
print_msg(const char *m)
{
	for (; *m; m++)
		putchar(*m == '\t' || *m == '\n' ? ' ' : *m);
}

static int
err_for(const char *fn)
{
	for (size_t i = 0; i < sizeof(Errs) / sizeof(Errs[0]); i++)
		if (strcmp(Errs[i].fn, fn) == 0)
			return Errs[i].err;
	return EIO;
}

static const char *
ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "?";
}

/* a known message, so that a failure which sets none shows as such */
static void
mark_errormsg(void)
{
	L.map_file("/nonexistent-marker-dir/x", 0, 0, 0, NULL, NULL);
}

static void
print_result(const char *msg, int ret, int op)
{
	if (ret == 1 || op == OP_AUTO_FLUSH)
		print_msg("-");
	else if (strstr(msg, "nonexistent-marker") != NULL)
		print_msg("(no message set)");
	else
		print_msg(msg);
	putchar('\n');
	fflush(stdout);
}

/* outcome of the scenario without faults, which a retry must repeat */
static int Baseline;

/*
 * One run: scenario s with the extra fault spec (may be "") and the
 * injected errno inj (0 for none); prints the observation line.
 */
static void
observe(const struct scen *s, const char *fn, unsigned nth, int inj,
	const char *spec)
{
	struct snap a, b;
	char note[256], full[512], msg[1024];

	take(&a);
	setup(s);
	a.files = rt_count_entries(Dir);
	mark_errormsg();
	snprintf(full, sizeof(full), "%s%s%s", s->base,
		s->base[0] && spec[0] ? "," : "", spec);
	if (Arm(full) != 0)
		tl_die("bad fault spec %s", full);
	errno = 0;
	int ret = action(s, note, sizeof(note));
	int err = errno;

	Disarm();
	snprintf(msg, sizeof(msg), "%s", L.errormsg());
	teardown(s);
	take(&b);
	/* files a successful create makes are the point, not a leftover */
	int created = ret == 1 && s->op == OP_MAP && s->path != NULL &&
		s->path[0] != '/' && !s->existing;
	int strerr = inj && strstr(msg, strerror(inj)) != NULL;

	if (inj == 0)
		Baseline = ret;
	/* then the same without faults must work as before */
	char note2[256];

	setup(s);
	if (s->base[0])
		Arm(s->base);
	int retry = action(s, note2, sizeof(note2)) == Baseline &&
		!note2[0];

	Disarm();
	teardown(s);
	printf("%s\t%s\t%u\t%s\t%d\t%s\t%d\t%d\t%ld\t%d\t%d\t%s\t%s\t",
		s->name, fn, nth, ename(inj), ret,
		ret == 1 || s->op == OP_AUTO_FLUSH ? "-" : ename(err),
		b.fds - a.fds, b.maps - a.maps,
		((long)b.bytes - (long)a.bytes) / 1024,
		b.files - a.files - created, strerr, retry ? "ok" : "FAIL",
		note[0] ? note : "-");
	print_result(msg, ret, s->op);
}

static void
run_faults(const struct scen *scens, size_t n)
{
	char spec[128];

	for (size_t i = 0; i < n; i++) {
		const struct scen *s = &scens[i];
		unsigned counts[64] = { 0 };
		char note[256];

		/* which calls the library makes on this path, how often */
		setup(s);
		Arm(s->base);
		action(s, note, sizeof(note));
		Disarm();
		for (int f = 0; Func_name(f) != NULL && f < 64; f++)
			counts[f] = Count(Func_name(f));
		teardown(s);
		observe(s, "none", 0, 0, "");
		for (int f = 0; Func_name(f) != NULL && f < 64; f++) {
			const char *fn = Func_name(f);
			int inj = err_for(fn);

			/* the first calls of a kind are the interesting ones */
			for (unsigned n = 1; n <= counts[f] && n <= 6; n++) {
				snprintf(spec, sizeof(spec), "%s:%u:%d", fn, n,
					inj);
				observe(s, fn, n, inj, spec);
			}
		}
	}
}

/* ---- real limits ---------------------------------------------------- */

static int Fillers[1024], Nfillers;
static struct rlimit Old_nofile, Old_as, Old_fsize;

/* fills every descriptor slot below the new limit, so open() must fail */
static void
limit_nofile(void)
{
	struct rlimit r = Old_nofile;
	int maxfd = 0, fd;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			maxfd = fd;
	r.rlim_cur = (rlim_t)maxfd + 1;
	setrlimit(RLIMIT_NOFILE, &r);
	while (Nfillers < 1024 && (fd = open("/dev/null", O_RDONLY)) >= 0)
		Fillers[Nfillers++] = fd;
}

static void
limit_as(void)
{
	struct rlimit r = Old_as;

	r.rlim_cur = (rlim_t)(rt_status_kb("VmSize") + 4096) * 1024;
	setrlimit(RLIMIT_AS, &r);
}

static void
limit_fsize(void)
{
	struct rlimit r = Old_fsize;

	signal(SIGXFSZ, SIG_IGN);
	r.rlim_cur = MiB;
	setrlimit(RLIMIT_FSIZE, &r);
}

/* only soft limits were lowered, so they can be raised again */
static void
unlimit(void)
{
	while (Nfillers > 0)
		close(Fillers[--Nfillers]);
	setrlimit(RLIMIT_NOFILE, &Old_nofile);
	setrlimit(RLIMIT_AS, &Old_as);
	setrlimit(RLIMIT_FSIZE, &Old_fsize);
}

/* a pmem_map_file under a limit: its length must be len, or existing's */
struct lim_map {
	const char *name;
	const char *path;	/* as in struct scen */
	size_t existing;	/* size of a file made beforehand (0: none) */
	size_t len;
	int flags;
};

/* a lowered limit (or a full file system) and the maps tried under it */
struct cond {
	const char *name;
	void (*limit)(void);
	int fullfs;
	struct lim_map maps[6];	/* up to the first without a name */
};

#define C PMEM_FILE_CREATE
#define SP PMEM_FILE_SPARSE
#define TMP PMEM_FILE_TMPFILE
static const struct cond Conds[] = {
	{ "rlimit-nofile", limit_nofile, 0, {
		{ "map-existing", "f", MiB, 0, 0 },
		{ "create", "f", 0, MiB, C },
		{ "tmpfile", NULL, 0, MiB, C | TMP } } },
	{ "rlimit-as", limit_as, 0, {
		{ "map-existing-256M", "f", 256 * MiB, 0, 0 },
		{ "create-sparse-256M", "f", 0, 256 * MiB, C | SP },
		{ "tmpfile-sparse-256M", NULL, 0, 256 * MiB, C | SP | TMP } } },
	{ "rlimit-fsize", limit_fsize, 0, {
		{ "create-2M", "f", 0, 2 * MiB, C },
		{ "create-sparse-2M", "f", 0, 2 * MiB, C | SP },
		{ "tmpfile-2M", NULL, 0, 2 * MiB, C | TMP } } },
	{ "full-fs", NULL, 1, {
		{ "create-2M", "f", 0, 2 * MiB, C },
		{ "create-excl-2M", "f", 0, 2 * MiB, C | PMEM_FILE_EXCL },
		{ "create-sparse-2M", "f", 0, 2 * MiB, C | SP },
		{ "tmpfile-2M", NULL, 0, 2 * MiB, C | TMP },
		{ "create-512K", "f", 0, MiB / 2, C } } },
};
#undef C
#undef SP
#undef TMP

/* in the child: make the file, lower the limit, call, report */
static void __attribute__((noreturn))
limit_child(const struct cond *c, const struct lim_map *m)
{
	char path[4096], msg[1024];
	size_t mlen = 0;

	path_of(m->path, path, sizeof(path));
	if (m->existing)
		make_file(path, m->existing);
	getrlimit(RLIMIT_NOFILE, &Old_nofile);
	getrlimit(RLIMIT_AS, &Old_as);
	getrlimit(RLIMIT_FSIZE, &Old_fsize);
	int fds = rt_count_fds();

	mark_errormsg();
	if (c->limit)
		c->limit();
	errno = 0;
	char *a = L.map_file(path, m->len, m->flags, 0600, &mlen, NULL);
	int err = errno;

	snprintf(msg, sizeof(msg), "%s", L.errormsg());
	if (a != NULL)
		L.unmap(a, mlen);
	unlimit();
	/* a file made beforehand or by a successful create */
	int left = rt_count_entries(Dir) - (m->existing || (a && m->path));

	printf("%s/%s\t%s\t0\t-\t%d\t%s\t%d\t%d\t0\t%d\t0\tok\t%s\t",
		c->name, m->name, c->name, a != NULL, a ? "-" : ename(err),
		rt_count_fds() - fds, rt_count_maps(Dir), left,
		a && mlen != (m->len ? m->len : m->existing) ? "bad-len" :
		"-");
	print_result(msg, a != NULL, OP_MAP);
	_exit(0);
}

/*
 * Each map under its condition in a child, so that nothing it changes in
 * the process outlives it.
 */
static void
run_limit(const struct cond *c, const struct lim_map *m)
{
	int st;

	rt_rm_rf(Dir, 1);
	fflush(stdout);
	pid_t pid = fork();

	if (pid == 0)
		limit_child(c, m);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		printf("%s/%s\t%s\t0\t-\tCRASH\t-\t0\t0\t0\t0\t0"
			"\tok\t-\tstatus %d\n", c->name, m->name, c->name,
			st);
}

static void
run_limits(const char *fullfs)
{
	const char *dir = Dir;

	for (size_t i = 0; i < sizeof(Conds) / sizeof(Conds[0]); i++) {
		const struct cond *c = &Conds[i];

		if (c->fullfs && fullfs == NULL)
			continue;
		Dir = c->fullfs ? fullfs : dir;
		for (const struct lim_map *m = c->maps; m->name; m++)
			run_limit(c, m);
	}
	Dir = dir;
}

int
main(int argc, char *argv[])
{
	Dir = rt_lib_and_dir(argc, argv, 4, "LIB DIR faults|devdax|limits "
		"[FULLFS_DIR]", &L);

	if (strcmp(argv[3], "limits") != 0) {
		/* from faultshim.so, which LD_PRELOAD put first */
		*(void **)&Arm = rt_dlsym(RTLD_DEFAULT, "fault_arm");
		*(void **)&Disarm = rt_dlsym(RTLD_DEFAULT, "fault_disarm");
		*(void **)&Count = rt_dlsym(RTLD_DEFAULT, "fault_count");
		*(void **)&Func_name = rt_dlsym(RTLD_DEFAULT, "fault_func_name");
		if (strcmp(argv[3], "faults") == 0)
			run_faults(Scens, sizeof(Scens) / sizeof(Scens[0]));
		else
			run_faults(Devdax, sizeof(Devdax) / sizeof(Devdax[0]));
	} else
		run_limits(argc > 4 ? argv[4] : NULL);
	rt_rm_rf(Dir, 1);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The copy, fill, flush and drain entry points run inside callers'
 * transactions, under their locks and in their signal handlers, so they
 * must not allocate, take a lock, read the environment or enter the
 * kernel: everything they depend on was decided at load time. This program
 * calls each of them over a spread of lengths, offsets and flags with
 * three watchers on:
 *
 *  - malloc and friends, the pthread lock calls and getenv are defined
 *    here, and an executable's definitions come first in symbol lookup,
 *    so a call the library makes lands in a counting wrapper;
 *  - a seccomp filter lets only write, exit and exit_group through: any
 *    other system call raises SIGSYS, and the handler names it and fails.
 *
 * The calls run once with the filter off (so lazy binding and first-touch
 * faults are out of the way), then again under it. "plant-<kind>" makes
 * one forbidden call in a watched window so run.sh can see each watcher
 * catch it; run.sh runs the program under every kernel-selecting setting.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libpmem.h>

#include "../lib/mem_flags.h"

#if defined(__x86_64__)
#define AUDIT_ARCH_HERE AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define AUDIT_ARCH_HERE AUDIT_ARCH_AARCH64
#else
#error "hotpath: no seccomp architecture value for this target"
#endif

extern char **environ;

/* set around each library call; the wrappers only count inside it */
static volatile int Watching;
static char Current[160];	/* the call in flight, for the report */
static unsigned long Forbidden;	/* calls the wrappers saw while watching */
static char First[256];	/* the first of them, and where */

/* write(2) only: stdio's first use would fstat under the filter */
static void
say(int fd, const char *msg)
{
	size_t n = strlen(msg);

	while (n > 0) {
		ssize_t w = write(fd, msg, n);

		if (w <= 0)
			return;
		msg += w;
		n -= (size_t)w;
	}
}

static void
note(const char *what)
{
	if (!Watching)
		return;
	if (Forbidden++ == 0)
		snprintf(First, sizeof(First), "%s inside %s", what,
			Current);
}

/* ---- the counting wrappers --------------------------------------------- */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

void *
malloc(size_t n)
{
	note("malloc");
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	note("calloc");
	return __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	note("realloc");
	return __libc_realloc(p, n);
}

void *
reallocarray(void *p, size_t n, size_t size)
{
	note("reallocarray");
	if (size != 0 && n > (size_t)-1 / size)
		return NULL;
	return __libc_realloc(p, n * size);
}

void
free(void *p)
{
	note("free");
	__libc_free(p);
}

void *
memalign(size_t align, size_t n)
{
	note("memalign");
	return __libc_memalign(align, n);
}

void *
aligned_alloc(size_t align, size_t n)
{
	note("aligned_alloc");
	return __libc_memalign(align, n);
}

int
posix_memalign(void **p, size_t align, size_t n)
{
	note("posix_memalign");
	*p = __libc_memalign(align, n);
	return *p ? 0 : ENOMEM;
}

/* environ is read directly: dlsym might itself look a variable up */
static char *
env_lookup(const char *name)
{
	size_t n = strlen(name);

	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

char *
getenv(const char *name)
{
	note("getenv");
	return env_lookup(name);
}

char *
secure_getenv(const char *name)
{
	note("secure_getenv");
	return env_lookup(name);
}

/* a lock call, counted, then passed on to libc's own */
#define WRAP_LOCK(name, type) \
int name(type *l) \
{ \
	static int (*real)(type *); \
	note(#name); \
	if (real == NULL) \
		real = (int (*)(type *))dlsym(RTLD_NEXT, #name); \
	return real(l); \
}

WRAP_LOCK(pthread_mutex_lock, pthread_mutex_t)
WRAP_LOCK(pthread_mutex_trylock, pthread_mutex_t)
WRAP_LOCK(pthread_rwlock_rdlock, pthread_rwlock_t)
WRAP_LOCK(pthread_rwlock_wrlock, pthread_rwlock_t)
WRAP_LOCK(pthread_rwlock_tryrdlock, pthread_rwlock_t)
WRAP_LOCK(pthread_rwlock_trywrlock, pthread_rwlock_t)
WRAP_LOCK(pthread_spin_lock, pthread_spinlock_t)
WRAP_LOCK(pthread_spin_trylock, pthread_spinlock_t)

int
pthread_once(pthread_once_t *once, void (*fn)(void))
{
	static int (*real)(pthread_once_t *, void (*)(void));

	note("pthread_once");
	if (real == NULL)
		real = (int (*)(pthread_once_t *, void (*)(void)))
			dlsym(RTLD_NEXT, "pthread_once");
	return real(once, fn);
}

/* ---- the system call watcher -------------------------------------------- */

static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char msg[256 + sizeof(Current)];

	(void) sig;
	(void) uc;
	snprintf(msg, sizeof(msg),
		"hotpath: FAIL: system call %d inside %s\n",
		si->si_syscall, Current);
	say(2, msg);
	_exit(1);
}

#define ALLOW(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static void
forbid_syscalls(void)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_HERE, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr)),
		ALLOW(__NR_write),
		ALLOW(__NR_exit),
		ALLOW(__NR_exit_group),
		ALLOW(__NR_rt_sigreturn),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sock_fprog fprog = {
		.len = sizeof(prog) / sizeof(prog[0]),
		.filter = prog,
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) != 0 ||
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
			prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) {
		perror("hotpath: seccomp filter");
		exit(2);
	}
}

/* ---- the calls ---------------------------------------------------------- */

/* copies and fills of every kind: both ends of each threshold and block */
static const size_t Lens[] = {
	0, 1, 7, 8, 15, 16, 31, 32, 63, 64, 65, 100, 127, 128, 255, 256, 257,
	511, 512, 1000, 4096, 4097, 65536 + 33, (1u << 20) + 3,
};
#define NLENS (sizeof(Lens) / sizeof(Lens[0]))
static const size_t Offs[] = { 0, 1, 17, 63 };
#define NOFFS (sizeof(Offs) / sizeof(Offs[0]))
static const unsigned Flag_sets[] = {
	MEM_FLAG_SETS,
	PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_NOFLUSH,
};
#define NFLAGS (sizeof(Flag_sets) / sizeof(Flag_sets[0]))

#define BUF ((4u << 20))

/* one call, named first so a report can say which */
#define WATCH(call, ...) do { \
	snprintf(Current, sizeof(Current), __VA_ARGS__); \
	Watching = 1; \
	call; \
	Watching = 0; \
} while (0)

static void
run_calls(char *buf, const char *plant)
{
	char *src = buf, *dst = buf + BUF / 2;

	for (size_t li = 0; li < NLENS; li++)
	for (size_t oi = 0; oi < NOFFS; oi++) {
		size_t n = Lens[li], o = Offs[oi];
		char *d = dst + o, *s = src + (o * 3) % 64;

		for (size_t fi = 0; fi < NFLAGS; fi++) {
			unsigned f = Flag_sets[fi];

			WATCH(pmem_memmove(d, s, n, f),
				"pmem_memmove(dst+%zu, src, %zu, 0x%x)",
				o, n, f);
			WATCH(pmem_memcpy(d, s, n, f),
				"pmem_memcpy(dst+%zu, src, %zu, 0x%x)",
				o, n, f);
			WATCH(pmem_memset(d, (int)n, n, f),
				"pmem_memset(dst+%zu, c, %zu, 0x%x)",
				o, n, f);
			/* overlapping both ways: the move kernels' other path */
			WATCH(pmem_memmove(d + 64, d, n, f),
				"pmem_memmove(dst+%zu+64, dst+%zu, %zu, 0x%x)",
				o, o, n, f);
			WATCH(pmem_memmove(d, d + 64, n, f),
				"pmem_memmove(dst+%zu, dst+%zu+64, %zu, 0x%x)",
				o, o, n, f);
		}
		WATCH(pmem_memcpy_persist(d, s, n),
			"pmem_memcpy_persist(dst+%zu, src, %zu)", o, n);
		WATCH(pmem_memmove_persist(d + 8, d, n),
			"pmem_memmove_persist(dst+%zu+8, dst+%zu, %zu)",
			o, o, n);
		WATCH(pmem_memset_persist(d, 0x5a, n),
			"pmem_memset_persist(dst+%zu, 0x5a, %zu)", o, n);
		WATCH(pmem_memcpy_nodrain(d, s, n),
			"pmem_memcpy_nodrain(dst+%zu, src, %zu)", o, n);
		WATCH(pmem_memmove_nodrain(d, d + 8, n),
			"pmem_memmove_nodrain(dst+%zu, dst+%zu+8, %zu)",
			o, o, n);
		WATCH(pmem_memset_nodrain(d, 0xa5, n),
			"pmem_memset_nodrain(dst+%zu, 0xa5, %zu)", o, n);
		WATCH(pmem_flush(d, n), "pmem_flush(dst+%zu, %zu)", o, n);
		WATCH(pmem_persist(d, n), "pmem_persist(dst+%zu, %zu)", o, n);
		WATCH(pmem_deep_flush(d, n),
			"pmem_deep_flush(dst+%zu, %zu)", o, n);
		WATCH(pmem_drain(), "pmem_drain()");
	}
	WATCH((void)pmem_has_hw_drain(), "pmem_has_hw_drain()");

	/* the self-test: each watcher must catch one planted call */
	if (plant == NULL)
		return;
	if (strcmp(plant, "malloc") == 0)
		WATCH(free(malloc(16)), "planted malloc");
	else if (strcmp(plant, "lock") == 0) {
		static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

		WATCH(pthread_mutex_lock(&m), "planted lock");
	} else if (strcmp(plant, "getenv") == 0)
		WATCH((void)getenv("PMEM_NO_FLUSH"), "planted getenv");
	else if (strcmp(plant, "syscall") == 0)
		WATCH((void)getppid(), "planted getppid");
	/* and calls the library makes itself, off the hot path by design */
	else if (strcmp(plant, "is_pmem") == 0)
		WATCH((void)pmem_is_pmem(buf, 64), "pmem_is_pmem (a reader lock)");
	else if (strcmp(plant, "msync") == 0)
		WATCH((void)pmem_msync(buf, 64), "pmem_msync (a system call)");
}

int
main(int argc, char *argv[])
{
	const char *plant = NULL;

	if (argc == 2 && strncmp(argv[1], "plant-", 6) == 0)
		plant = argv[1] + 6;
	else if (argc != 1) {
		fprintf(stderr,
			"usage: %s [plant-KIND]\n"
			"KIND: malloc lock getenv syscall is_pmem msync\n",
			argv[0]);
		return 2;
	}

	char *buf = aligned_alloc(4096, BUF);

	if (buf == NULL) {
		perror("hotpath: buffer");
		return 2;
	}
	memset(buf, 0x11, BUF);

	/* unwatched round: binds symbols, faults pages in */
	run_calls(buf, NULL);
	/* its first call reads PMEM_IS_PMEM_FORCE, the planted one locks */
	(void) pmem_is_pmem(buf, 64);
	Forbidden = 0;

	forbid_syscalls();
	run_calls(buf, plant);

	char msg[400];

	if (Forbidden != 0) {
		snprintf(msg, sizeof(msg),
			"hotpath: FAIL: %lu forbidden call(s) on the hot "
			"path, the first %s\n",
			Forbidden, First);
		say(2, msg);
		_exit(1);
	}
	say(1, "hotpath: no allocation, lock, getenv or system call in "
		"any copy, fill, flush or drain\n");
	_exit(0);
}

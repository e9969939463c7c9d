/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Threads hammering the library at once: workers map, use, check and unmap
 * their own files; readers query and flush shared mappings; everyone makes
 * errors and checks that pmem_errormsg() stays their own. Every answer is
 * verified. Run under ThreadSanitizer, helgrind or DRD.
 *
 * Usage: concurrency threads TOTAL_OPS [EXPECT_PMEM]   (-1: trust is_pmemp)
 *        concurrency fork FORKS [EXPECT_PMEM]
 *        concurrency plant-race   (two unsynchronised writers: must be seen)
 */
#include "rtest.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <libpmem.h>

#define WORKERS 8
#define READERS 2
#define SHARED_LEN (1u << 20)

static char *Dir;
static int Expect_pmem = -1;
static atomic_long Ops;
static long Total_ops;
static atomic_int Stop;
static char *Shared[2];
static int Shared_pmem[2];

/* every thread gets an equal share of the operations */
static int
more(long *done, long n)
{
	if (atomic_load(&Stop) || *done >= Total_ops / (WORKERS + READERS))
		return 0;
	*done += n;
	atomic_fetch_add(&Ops, n);
	return 1;
}

/* an error with a message naming this thread and call; must stay ours */
static void
own_error(int id, long k, char *saved, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/no-such-dir-%d-%ld/f", Dir, id, k);
	errno = 0;
	void *a = pmem_map_file(path, 0, 0, 0, NULL, NULL);

	TL_CHECK(a == NULL && errno == ENOENT, "thread %d: map of %s: %p "
		"errno %d", id, path, a, errno);
	TL_CHECK(strstr(pmem_errormsg(), path) != NULL,
		"thread %d: message \"%s\" does not name %s", id,
		pmem_errormsg(), path);
	snprintf(saved, size, "%s", pmem_errormsg());
}

/* the remaining head of a mapping is still pmem after its tail is gone */
static void
split_unmap(char *a, size_t len, int is_pmem, int id)
{
	size_t half = len / 2 & ~(size_t)4095;

	if (half == 0) {
		TL_CHECK(pmem_unmap(a, len) == 0, "thread %d: unmap", id);
		return;
	}
	TL_CHECK(pmem_unmap(a + half, len - half) == 0, "thread %d: unmap "
		"tail: %s", id, pmem_errormsg());
	TL_CHECK(pmem_is_pmem(a, half) == is_pmem, "thread %d: head of a "
		"split mapping changed its is_pmem", id);
	TL_CHECK(pmem_unmap(a, half) == 0, "thread %d: unmap head", id);
}

static void *
worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char path[256], saved[512];
	uint64_t seed = 0x1234567ULL * (uint64_t)(id + 1);
	long k = 0, done = 0;

	own_error(id, k, saved, sizeof(saved));
	while (more(&done, 8)) {
		size_t len = 4096 * (1 + rnd_next(&seed) % 64) +
			rnd_next(&seed) % 4096, mlen = 0;
		int isp = -1;

		snprintf(path, sizeof(path), "%s/w%d-%ld", Dir, id, ++k);
		char *a = pmem_map_file(path, len, PMEM_FILE_CREATE |
			(k & 1 ? PMEM_FILE_SPARSE : PMEM_FILE_EXCL), 0600,
			&mlen, &isp);

		if (a == NULL) {
			TL_CHECK(0, "thread %d: map %s: %s", id, path,
				pmem_errormsg());
			continue;
		}
		TL_CHECK(mlen == len, "thread %d: mapped %zu of %zu", id, mlen,
			len);
		TL_CHECK(Expect_pmem < 0 || isp == Expect_pmem,
			"thread %d: is_pmemp %d", id, isp);
		pmem_memset_persist(a, id + 1, len);
		pmem_memcpy_nodrain(a + len / 2, path, strlen(path));
		pmem_drain();
		TL_CHECK(a[0] == id + 1 && a[len - 1] == id + 1 &&
			memcmp(a + len / 2, path, strlen(path)) == 0,
			"thread %d: content", id);
		TL_CHECK(pmem_is_pmem(a, len) == isp, "thread %d: is_pmem "
			"differs from is_pmemp", id);
		/* someone else's errors must not have replaced ours */
		TL_CHECK(strcmp(pmem_errormsg(), saved) == 0, "thread %d: "
			"message changed to \"%s\"", id, pmem_errormsg());
		if (k % 3 == 0)
			split_unmap(a, len, isp, id);
		else
			TL_CHECK(pmem_unmap(a, len) == 0, "thread %d: unmap: "
				"%s", id, pmem_errormsg());
		unlink(path);
		if (k % 5 == 0)
			own_error(id, k, saved, sizeof(saved));
	}
	return NULL;
}

static void *
reader(void *arg)
{
	int id = (int)(intptr_t)arg;
	uint64_t seed = 0xabcdefULL + (uint64_t)id;
	char saved[512];
	/* each reader writes only its own slice of the shared mappings */
	size_t slice = SHARED_LEN / READERS, base = slice * (size_t)id;
	long done = 0;

	own_error(100 + id, 0, saved, sizeof(saved));
	while (more(&done, 4)) {
		int m = (int)(rnd_next(&seed) & 1);
		size_t off = rnd_next(&seed) % SHARED_LEN;
		size_t len = 1 + rnd_next(&seed) % (SHARED_LEN - off);
		int x = 0;

		TL_CHECK(pmem_is_pmem(Shared[m] + off, len) == Shared_pmem[m],
			"reader %d: is_pmem of shared mapping", id);
		TL_CHECK(pmem_is_pmem(&x, sizeof(x)) == 0, "reader %d: stack "
			"is pmem", id);
		off = base + rnd_next(&seed) % (slice - 64);
		pmem_memset(Shared[m] + off, id, 64, PMEM_F_MEM_NONTEMPORAL);
		pmem_persist(Shared[m] + off, 64);
		TL_CHECK(strcmp(pmem_errormsg(), saved) == 0, "reader %d: "
			"message changed", id);
	}
	return NULL;
}

static void
map_shared(void)
{
	char path[256];

	for (int i = 0; i < 2; i++) {
		size_t mlen;

		snprintf(path, sizeof(path), "%s/shared%d", Dir, i);
		Shared[i] = pmem_map_file(path, SHARED_LEN, PMEM_FILE_CREATE,
			0600, &mlen, &Shared_pmem[i]);
		if (Shared[i] == NULL)
			tl_die("map %s: %s", path, pmem_errormsg());
		if (Expect_pmem >= 0 && Shared_pmem[i] != Expect_pmem)
			tl_die("shared mapping: is_pmem %d", Shared_pmem[i]);
	}
}

static void
unmap_shared(void)
{
	for (int i = 0; i < 2; i++)
		TL_CHECK(pmem_unmap(Shared[i], SHARED_LEN) == 0,
			"unmap shared");
}

static int
run_threads(void)
{
	pthread_t t[WORKERS + READERS];

	map_shared();
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < READERS; i++)
		pthread_create(&t[WORKERS + i], NULL, reader,
			(void *)(intptr_t)i);
	for (int i = 0; i < WORKERS + READERS; i++)
		pthread_join(t[i], NULL);
	unmap_shared();
	printf("concurrency: %ld operations, %d threads, %lu failures\n",
		(long)atomic_load(&Ops), WORKERS + READERS,
		tl_failures());
	return tl_failures() != 0;
}

/* what a forked child does with the library; exit status 0 when right */
static int
child(int n)
{
	char path[256];
	size_t mlen;
	int isp;

	alarm(20);	/* a lock inherited in the held state would hang */
	snprintf(path, sizeof(path), "%s/child%d", Dir, n);
	char *a = pmem_map_file(path, 1 << 16, PMEM_FILE_CREATE, 0600,
		&mlen, &isp);

	if (a == NULL)
		return 3;
	pmem_memset_persist(a, 7, mlen);
	if (a[mlen - 1] != 7 || pmem_is_pmem(a, mlen) != isp)
		return 4;
	if (pmem_is_pmem(Shared[0], SHARED_LEN) != Shared_pmem[0])
		return 5;
	if (pmem_unmap(a, mlen) != 0)
		return 6;
	unlink(path);
	if (pmem_map_file(path, 0, 0, 0, NULL, NULL) != NULL ||
			strstr(pmem_errormsg(), path) == NULL)
		return 7;
	return 0;
}

static int
run_forks(int forks)
{
	pthread_t t[WORKERS];

	map_shared();
	Total_ops = 1L << 40;	/* workers run until told to stop */
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int n = 0; n < forks; n++) {
		int st;
		pid_t pid = fork();

		if (pid == 0)
			_exit(child(n));
		if (pid < 0 || waitpid(pid, &st, 0) != pid) {
			TL_CHECK(0, "fork/waitpid: %s", strerror(errno));
			break;
		}
		TL_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			"child %d: %s %d", n, WIFEXITED(st) ? "exit" :
			"signal", WIFEXITED(st) ? WEXITSTATUS(st) :
			WTERMSIG(st));
	}
	atomic_store(&Stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	unmap_shared();
	printf("fork: %d children forked while 4 threads mapped and "
		"unmapped (%ld operations), %lu failures\n", forks,
		(long)atomic_load(&Ops), tl_failures());
	return tl_failures() != 0;
}

static char *Race_buf;

static void *
racer(void *arg)
{
	char src[64];

	memset(src, (int)(intptr_t)arg, sizeof(src));
	for (int i = 0; i < 1000; i++)
		pmem_memcpy_nodrain(Race_buf, src, sizeof(src));
	return NULL;
}

/* the self-test: a real race through the library's copy kernels */
static int
plant_race(void)
{
	pthread_t a, b;

	Race_buf = malloc(64);
	pthread_create(&a, NULL, racer, (void *)1);
	pthread_create(&b, NULL, racer, (void *)2);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	free(Race_buf);
	return 0;
}

int
main(int argc, char *argv[])
{
	int ret;

	if (argc > 1 && strcmp(argv[1], "plant-race") == 0)
		return plant_race();
	if (argc < 3)
		tl_die("usage: concurrency threads|fork N [EXPECT_PMEM]");
	if (argc > 3)
		Expect_pmem = atoi(argv[3]);
	Dir = rt_mkdtemp("concurrency");
	int fds = rt_count_fds();

	if (strcmp(argv[1], "fork") == 0) {
		ret = run_forks(atoi(argv[2]));
	} else {
		Total_ops = atol(argv[2]);
		ret = run_threads();
	}
	TL_CHECK(rt_count_fds() == fds, "descriptors leaked");
	TL_CHECK(rt_count_maps(Dir) == 0, "mappings left");
	rt_rm_rf(Dir, 0);
	free(Dir);
	return ret || tl_failures() != 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Walks the whole public API many times over real file mappings, checking
 * every answer against a shadow copy, so that sanitizers and valgrind see
 * each code path of the library with results verified.
 */
#include "rtest.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <libpmem.h>

#include "../lib/mem_flags.h"

static const unsigned Mem_flags[] = {
	MEM_FLAG_SETS,
	PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_WC,
};
#define NFLAGS (sizeof(Mem_flags) / sizeof(Mem_flags[0]))

static const int Create_flags[] = {
	PMEM_FILE_CREATE, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
	PMEM_FILE_CREATE | PMEM_FILE_SPARSE,
	PMEM_FILE_CREATE | PMEM_FILE_EXCL | PMEM_FILE_SPARSE,
};

static uint64_t Seed = 0x5eed1234;
/* RT_EXPECT_PMEM=1 under fakedax.c, where every file mapping is pmem */
static int Expect_pmem = -1;

/* random copies, moves and fills into the mapping, mirrored in shadow */
static void
scribble(char *addr, char *shadow, size_t len, int rounds)
{
	for (int r = 0; r < rounds; r++) {
		size_t n = rnd_next(&Seed) % (len / 2 + 1);
		size_t d = rnd_next(&Seed) % (len - n + 1);
		size_t s = rnd_next(&Seed) % (len - n + 1);
		unsigned fl = Mem_flags[rnd_next(&Seed) % NFLAGS];
		int c = (int)(rnd_next(&Seed) & 0xff);
		char *src = malloc(n + 1);

		for (size_t i = 0; i < n; i++)
			src[i] = (char)rnd_next(&Seed);
		switch (r % 7) {
		case 0:
			pmem_memcpy_persist(addr + d, src, n);
			memcpy(shadow + d, src, n);
			break;
		case 1:
			pmem_memcpy(addr + d, src, n, fl);
			memcpy(shadow + d, src, n);
			break;
		case 2:
			pmem_memmove(addr + d, addr + s, n, fl);
			memmove(shadow + d, shadow + s, n);
			break;
		case 3:
			pmem_memmove_persist(addr + d, addr + s, n);
			memmove(shadow + d, shadow + s, n);
			break;
		case 4:
			pmem_memset(addr + d, c, n, fl);
			memset(shadow + d, c, n);
			break;
		case 5:
			pmem_memset_nodrain(addr + d, c, n);
			pmem_memmove_nodrain(addr + s, addr + d, n / 2);
			memset(shadow + d, c, n);
			memmove(shadow + s, shadow + d, n / 2);
			pmem_drain();
			break;
		default:
			pmem_memcpy_nodrain(addr + d, src, n);
			memcpy(shadow + d, src, n);
			pmem_memset_persist(addr + s, c, n / 3);
			memset(shadow + s, c, n / 3);
			break;
		}
		free(src);
	}
	TL_CHECK(memcmp(addr, shadow, len) == 0, "mapping differs from shadow");
}

static void
flushes(char *addr, size_t len)
{
	size_t off = rnd_next(&Seed) % len;
	size_t n = rnd_next(&Seed) % (len - off + 1);

	pmem_flush(addr + off, n);
	pmem_drain();
	pmem_persist(addr + off, n);
	pmem_deep_flush(addr + off, n);
	TL_CHECK(pmem_msync(addr + off, n) == 0, "pmem_msync: %s",
		pmem_errormsg());
	TL_CHECK(pmem_deep_drain(addr + off, n) == 0, "pmem_deep_drain: %s",
		pmem_errormsg());
	TL_CHECK(pmem_deep_persist(addr + off, n) == 0,
		"pmem_deep_persist: %s", pmem_errormsg());
}

static int
read_back(const char *path, const char *shadow, size_t len)
{
	int fd = open(path, O_RDONLY);
	char *buf = malloc(len + 1);
	ssize_t n;

	if (fd < 0 || buf == NULL)
		return -1;
	n = read(fd, buf, len + 1);
	close(fd);
	int ok = n == (ssize_t)len && memcmp(buf, shadow, len) == 0;

	free(buf);
	return ok ? 0 : -1;
}

/* a size that is rarely a page multiple, 4 KiB to about 2.3 MiB */
static size_t
pick_len(int i)
{
	static const size_t base[] = { 4096, 65536, 2 << 20, 12345, 300000 };

	return base[i % 5] + (rnd_next(&Seed) % 3) * 4096 +
		(i & 1 ? rnd_next(&Seed) % 4096 : 0);
}

static void
map_cycle(const char *dir, int i)
{
	char path[4096];
	size_t len = pick_len(i), mlen = 0;
	int flags = Create_flags[i % 4], is_pmem = -1;
	struct stat st;

	snprintf(path, sizeof(path), "%s/f%d", dir, i);
	char *addr = pmem_map_file(path, len, flags, 0600, &mlen, &is_pmem);

	if (addr == NULL) {
		tl_fail("map %s len %zu flags %d: %s", path, len, flags,
			pmem_errormsg());
		return;
	}
	TL_CHECK(mlen == len, "mapped len %zu, asked %zu", mlen, len);
	TL_CHECK(is_pmem == pmem_is_pmem(addr, len), "is_pmem disagrees");
	TL_CHECK(Expect_pmem < 0 || is_pmem == Expect_pmem,
		"is_pmem %d, expected %d", is_pmem, Expect_pmem);
	TL_CHECK(stat(path, &st) == 0 && (size_t)st.st_size == len,
		"file size differs from len");

	char *shadow = calloc(1, len);

	scribble(addr, shadow, len, 40);
	flushes(addr, len);
	/* every other time in two pieces, which splits registry ranges */
	if (i & 1) {
		size_t half = len / 2 & ~(size_t)4095;

		TL_CHECK(pmem_unmap(addr + half, len - half) == 0,
			"unmap tail: %s", pmem_errormsg());
		if (half)
			TL_CHECK(pmem_is_pmem(addr, half) == is_pmem,
				"is_pmem of the remaining head changed");
		TL_CHECK(half == 0 || pmem_unmap(addr, half) == 0,
			"unmap head: %s", pmem_errormsg());
	} else {
		TL_CHECK(pmem_unmap(addr, len) == 0, "unmap: %s",
			pmem_errormsg());
	}
	TL_CHECK(pmem_is_pmem(addr, len) == 0, "is_pmem after unmap");
	TL_CHECK(read_back(path, shadow, len) == 0, "file content differs");

	/* the existing file, mapped whole */
	addr = pmem_map_file(path, 0, 0, 0, &mlen, &is_pmem);
	if (addr == NULL) {
		tl_fail("remap %s: %s", path, pmem_errormsg());
	} else {
		TL_CHECK(mlen == len, "remapped len %zu, file %zu", mlen, len);
		TL_CHECK(memcmp(addr, shadow, len) == 0, "remap content");
		TL_CHECK(pmem_unmap(addr, mlen) == 0, "unmap");
	}

	/* EXCL on an existing file must fail and leave it alone */
	errno = 0;
	addr = pmem_map_file(path, 4096, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
		0600, NULL, NULL);
	TL_CHECK(addr == NULL && errno == EEXIST && pmem_errormsg()[0],
		"EXCL on existing file: %p errno %d", (void *)addr, errno);
	TL_CHECK(stat(path, &st) == 0 && (size_t)st.st_size == len,
		"EXCL failure changed the file");
	free(shadow);
	unlink(path);
}

static void
tmpfile_cycle(const char *dir, int i)
{
	size_t len = pick_len(i), mlen = 0;
	int before = rt_count_entries(dir);
	int flags = PMEM_FILE_CREATE | PMEM_FILE_TMPFILE |
		(i & 1 ? PMEM_FILE_EXCL : 0);
	char *addr = pmem_map_file(dir, len, flags, 0600, &mlen, NULL);

	if (addr == NULL) {
		tl_fail("tmpfile in %s: %s", dir, pmem_errormsg());
		return;
	}
	TL_CHECK(mlen == len, "tmpfile mapped len %zu, asked %zu", mlen, len);
	char *shadow = calloc(1, len);

	scribble(addr, shadow, len, 10);
	TL_CHECK(pmem_unmap(addr, len) == 0, "unmap tmpfile");
	TL_CHECK(rt_count_entries(dir) == before, "tmpfile left a name");
	free(shadow);
}

/* errors that must come back as NULL + errno + a message */
static void
error_cycle(const char *dir)
{
	static const struct {
		size_t len;
		int flags;
		int err;
		const char *name;
	} bad[] = {
		{ 0, PMEM_FILE_CREATE, EINVAL, "nothing" },
		{ 4096, 0, EINVAL, "nothing" },
		{ 4096, 1 << 10, EINVAL, "nothing" },
		{ 4096, PMEM_FILE_TMPFILE, EINVAL, "" },
		{ 0, 0, ENOENT, "nothing" },
		{ 0, 0, ENOENT, "no/such/dir" },
	};
	char path[4096];

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[k].name);
		errno = 0;
		void *a = pmem_map_file(path, bad[k].len, bad[k].flags, 0600,
			NULL, NULL);

		TL_CHECK(a == NULL && errno == bad[k].err &&
			pmem_errormsg()[0] != '\0',
			"bad case %zu: %p errno %d (want %d) msg \"%s\"", k, a,
			errno, bad[k].err, pmem_errormsg());
	}
	TL_CHECK(pmem_check_version(PMEM_MAJOR_VERSION,
		PMEM_MINOR_VERSION) == NULL, "check_version current");
	const char *m = pmem_check_version(PMEM_MAJOR_VERSION + 1, 0);

	TL_CHECK(m != NULL && m[0] != '\0', "check_version major+1");
	TL_CHECK(pmem_has_hw_drain() == 0 || pmem_has_hw_drain() == 1,
		"has_hw_drain");
	int af = pmem_has_auto_flush();

	TL_CHECK(af == 0 || af == 1 || af == -1, "has_auto_flush %d", af);
	int x = 0;

	TL_CHECK(pmem_is_pmem(&x, sizeof(x)) == 0 || getenv(
		"PMEM_IS_PMEM_FORCE"), "stack memory reported as pmem");
}

int
main(int argc, char *argv[])
{
	int iters = argc > 1 ? atoi(argv[1]) : 40;
	char *dir = rt_mkdtemp("api_stress");
	int fds = rt_count_fds();

	if (getenv("RT_EXPECT_PMEM"))
		Expect_pmem = atoi(getenv("RT_EXPECT_PMEM"));

	for (int i = 0; i < iters; i++) {
		map_cycle(dir, i);
		if (i % 4 == 0)
			tmpfile_cycle(dir, i);
		if (i % 8 == 0)
			error_cycle(dir);
	}
	TL_CHECK(rt_count_fds() == fds, "descriptors leaked: %d -> %d", fds,
		rt_count_fds());
	TL_CHECK(rt_count_maps(dir) == 0, "mappings of %s left", dir);
	rt_rm_rf(dir, 0);
	free(dir);
	printf("api_stress: %d iterations, %lu failures\n", iters,
		tl_failures());
	return tl_failures() ? 1 : 0;
}

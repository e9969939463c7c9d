/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A plain libpmem client, built against the distribution's header and
 * library, that calls each of the 23 functions and checks what it gets.
 */
#include "clients.h"

#include <fcntl.h>
#include <libpmem.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAPLEN (4UL << 20)

static int Expect_pmem;	/* what pmem_is_pmem must say for our mappings */

static void
check_version(void)
{
	const char *msg;

	CHECK(pmem_check_version(PMEM_MAJOR_VERSION, PMEM_MINOR_VERSION) ==
		NULL);
	CHECK(pmem_check_version(PMEM_MAJOR_VERSION, 0) == NULL);
	msg = pmem_check_version(PMEM_MAJOR_VERSION + 1, 0);
	CHECK(msg != NULL);
	if (strcmp(msg, "libpmem major version mismatch (need 2, found 1)"))
		FAILF("major mismatch text: \"%s\"", msg);
	if (strcmp(pmem_errormsg(), msg))
		FAILF("pmem_errormsg \"%s\" differs from \"%s\"",
			pmem_errormsg(), msg);
	msg = pmem_check_version(PMEM_MAJOR_VERSION, 99);
	CHECK(msg != NULL);
	if (strcmp(msg, "libpmem minor version mismatch (need 99, found 1)"))
		FAILF("minor mismatch text: \"%s\"", msg);
}

/* Map-file errors: each must fail cleanly and leave the out-params alone. */
static void
map_errors(const char *dir, const char *path)
{
	char missing[PATH_MAX];
	size_t len = 12345;
	int is_pmem = 7;

	snprintf(missing, sizeof(missing), "%s/does-not-exist", dir);
	errno = 0;
	CHECK(pmem_map_file(path, MAPLEN, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
		0600, &len, &is_pmem) == NULL);
	CHECK_EQ(errno, EEXIST);
	CHECK(*pmem_errormsg() != '\0');
	errno = 0;
	CHECK(pmem_map_file(missing, 0, 0, 0, &len, &is_pmem) == NULL);
	CHECK_EQ(errno, ENOENT);
	errno = 0;
	CHECK(pmem_map_file(path, 0, 1 << 10, 0, &len, &is_pmem) == NULL);
	CHECK_EQ(errno, EINVAL);
	errno = 0;
	CHECK(pmem_map_file(missing, 0, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem) == NULL);
	CHECK_EQ(errno, EINVAL);
	errno = 0;
	CHECK(pmem_map_file(path, 4096, 0, 0, &len, &is_pmem) == NULL);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(len, 12345);
	CHECK_EQ(is_pmem, 7);
	CHECK(access(missing, F_OK) != 0);
}

static void
copies(char *pm, size_t len)
{
	static char src[65536];
	char *p;
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)mix64(i, 5);

	CHECK(pmem_memcpy_persist(pm + 1, src, 5000) == pm + 1);
	CHECK(memcmp(pm + 1, src, 5000) == 0);
	CHECK(pmem_memcpy_nodrain(pm + 8192, src, sizeof(src)) == pm + 8192);
	pmem_drain();
	CHECK(memcmp(pm + 8192, src, sizeof(src)) == 0);
	CHECK(pmem_memmove_persist(pm + 8200, pm + 8192, 30000) == pm + 8200);
	CHECK(memcmp(pm + 8200, src, 30000) == 0);
	CHECK(pmem_memmove_nodrain(pm + 8192, pm + 8200, 30000) == pm + 8192);
	pmem_drain();
	CHECK(memcmp(pm + 8192, src, 30000) == 0);
	CHECK(pmem_memset_persist(pm + 3, 0xab, 777) == pm + 3);
	CHECK(pm[2] == src[1] && pm[3] == (char)0xab && pm[779] == (char)0xab);
	CHECK(pmem_memset_nodrain(pm + len - 100, 0x11, 100) == pm + len - 100);
	pmem_drain();
	CHECK(pm[len - 1] == 0x11 && pm[len - 100] == 0x11);

	p = pmem_memcpy(pm + 100000, src, 1000,
		PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN);
	CHECK(p == pm + 100000 && memcmp(p, src, 1000) == 0);
	p = pmem_memmove(pm + 100010, pm + 100000, 990, PMEM_F_MEM_WB);
	CHECK(p == pm + 100010 && memcmp(p, src, 990) == 0);
	p = pmem_memset(pm + 200000, 0x42, 40000, PMEM_F_MEM_NOFLUSH);
	CHECK(p == pm + 200000 && p[0] == 0x42 && p[39999] == 0x42);
	pmem_flush(p, 40000);
	pmem_drain();
	p = pmem_memset(pm + 300000, 0, 0, 0);
	CHECK(p == pm + 300000);
}

static void
flushes(char *pm, size_t len)
{
	pmem_persist(pm, len);
	pmem_persist(pm + 3, 1);
	pmem_flush(pm + 1, 100);
	pmem_drain();
	CHECK_EQ(pmem_msync(pm, len), 0);
	/* unaligned: the library rounds the range to pages for msync(2) */
	CHECK_EQ(pmem_msync(pm + 123, 4000), 0);
	pmem_deep_flush(pm + 5, 1000);
	CHECK_EQ(pmem_deep_drain(pm, len), 0);
	CHECK_EQ(pmem_deep_drain(pm, 0), 0);
	CHECK_EQ(pmem_deep_persist(pm + 17, 4096), 0);
	CHECK_EQ(pmem_deep_persist(pm, 0), 0);
}

/*
 * A pmem_map_file that must map want bytes; is_pmem: also ask whether it
 * is pmem, which must be Expect_pmem (0: pass NULL, which must work too).
 */
static char *
map_ok(const char *path, size_t len, int flags, mode_t mode, size_t want,
	int is_pmem)
{
	size_t mlen = 0;
	int answer = -1;
	char *p = pmem_map_file(path, len, flags, mode, &mlen,
		is_pmem ? &answer : NULL);

	if (p == NULL)
		FAILF("pmem_map_file(%s, %zu, %#x): %s", path, len,
			(unsigned)flags, pmem_errormsg());
	CHECK_EQ(mlen, want);
	if (is_pmem)
		CHECK_EQ(answer, Expect_pmem);
	return p;
}

static void
map_variants(const char *dir)
{
	size_t len = 0;
	int is_pmem = -1;
	char *p = map_ok(dir, MAPLEN, PMEM_FILE_CREATE | PMEM_FILE_TMPFILE, 0,
		MAPLEN, 1);

	memset(p, 1, MAPLEN);
	CHECK_EQ(pmem_unmap(p, MAPLEN), 0);

	p = pmem_map_file(dir, MAPLEN, PMEM_FILE_TMPFILE, 0, &len, &is_pmem);
	CHECK(p == NULL && errno == EINVAL);
}

static void
sparse_file(const char *path)
{
	size_t len = 16UL << 20;
	char *p = map_ok(path, len, PMEM_FILE_CREATE | PMEM_FILE_SPARSE, 0640,
		len, 0);
	struct stat st;

	CHECK(stat(path, &st) == 0);
	CHECK_EQ(st.st_size, 16UL << 20);
	CHECK_EQ(st.st_mode & 0777, 0640);
	CHECK((size_t)st.st_blocks * 512 < len);
	CHECK_EQ(pmem_unmap(p, len), 0);
}

int
main(int argc, char *argv[])
{
	const char *force = getenv("PMEM_IS_PMEM_FORCE");
	char path[PATH_MAX], sparse[PATH_MAX];
	struct stat st;
	size_t len = 0;
	int af;
	char *pm, *heap;

	clients_start(argc, argv);
	tl_usage(argc == 2, "allpmem", "DIR");
	Expect_pmem = force && strcmp(force, "1") == 0;
	snprintf(path, sizeof(path), "%s/allpmem", argv[1]);
	snprintf(sparse, sizeof(sparse), "%s/sparse", argv[1]);

	check_version();
	CHECK_EQ(pmem_has_hw_drain(), 0);
	af = pmem_has_auto_flush();
	CHECK(af == 0 || af == 1);
	CHECK_EQ(pmem_has_auto_flush(), af);

	pm = map_ok(path, MAPLEN, PMEM_FILE_CREATE | PMEM_FILE_EXCL, 0600,
		MAPLEN, 1);
	len = MAPLEN;
	CHECK_EQ(pmem_is_pmem(pm, len), Expect_pmem);
	CHECK(stat(path, &st) == 0 && (size_t)st.st_size == MAPLEN);
	CHECK_EQ(st.st_mode & 0777, 0600);
	copies(pm, len);
	flushes(pm, len);
	map_errors(argv[1], path);
	CHECK_EQ(pmem_unmap(pm, len), 0);

	/* no CREATE: the whole existing file, contents kept */
	pm = map_ok(path, 0, 0, 0, MAPLEN, 0);
	CHECK(pm[len - 1] == 0x11 && pm[3] == (char)0xab);
	CHECK_EQ(pmem_unmap(pm, len), 0);
	errno = 0;
	CHECK(pmem_unmap(NULL, 0) == -1 && errno == EINVAL);

	map_variants(argv[1]);
	sparse_file(sparse);

	/* the forced answer applies to any range, the default to none here */
	heap = malloc(4096);
	CHECK(heap != NULL);
	CHECK_EQ(pmem_is_pmem(heap, 4096), Expect_pmem);
	free(heap);
	printf("allpmem: 23 functions checked (is_pmem %d, auto_flush %d)\n",
		Expect_pmem, af);
	return 0;
}

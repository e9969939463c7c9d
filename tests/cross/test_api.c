/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libpmem's API on a temporary file, through the shared library. Builds
 * for each cross-tested architecture (run under QEMU against our library
 * or that architecture's reference) and for the host (run against the
 * reference), so the "basic" reports can be diffed.
 *
 * usage: test_api GROUP DIR; GROUP is one of
 *   basic  versions, pmem_map_file errors and mappings, is_pmem, msync,
 *          deep flush/persist, unmap, every copy/fill entry point and
 *          flag against libc; prints a report free of addresses
 *   force  PMEM_IS_PMEM_FORCE=1 is set: pmem_is_pmem says 1
 *   count  aarch64: counts the DC CVAP/CVADP instructions each call
 *          executes (dctrap.h) and compares with what the CPU's hwcaps,
 *          the line size and PMEM_NO_FLUSH say they must be; ppc64le and
 *          riscv64: the flush and fence instructions (insn_trap.h), for
 *          cache blocks of TEST_BLOCK bytes (unset or 0: no flush
 *          instruction at all)
 *   cpu    aarch64 only: prints what the hwcaps, CTR_EL0 and eADR say,
 *          for run.sh to derive the log lines it expects
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __aarch64__
#include "../../src/aarch64/hwcap.h"
#include "../aarch64/dctrap.h"
#elif defined(__powerpc64__) || defined(__riscv)
#define INSN_TRAP 1
#include "../lib/insn_trap.h"
#endif
#include "../lib/tlib.h"

#include <libpmem.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static const char *Dir;
#if defined(__aarch64__) || defined(INSN_TRAP)
static int Trapping;	/* the flush instruction traps and is counted */
#endif

/* pmem_errormsg() with the test directory replaced by <dir> */
static void
print_err(const char *what, const void *ret)
{
	const char *m = pmem_errormsg();
	const char *at = strstr(m, Dir);
	char buf[1024];

	if (at != NULL)
		snprintf(buf, sizeof(buf), "%.*s<dir>%s", (int)(at - m), m,
			at + strlen(Dir));
	else
		snprintf(buf, sizeof(buf), "%s", m);
	printf("%s: %s errno %d msg \"%s\"\n", what, ret ? "ok" : "NULL",
		errno, buf);
}

static char *
path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", Dir, name);
	return buf;
}

static void
versions(void)
{
	static const unsigned v[][2] = { {1, 0}, {1, 1}, {1, 2}, {2, 0},
		{0, 0}, {0, 9} };

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		const char *m = pmem_check_version(v[i][0], v[i][1]);

		printf("check_version(%u, %u): %s\n", v[i][0], v[i][1],
			m ? m : "NULL");
	}
	T_CHECK(pmem_check_version(PMEM_MAJOR_VERSION,
		PMEM_MINOR_VERSION) == NULL, "own version refused");
}

static void
map_errors(void)
{
	size_t ml;
	int ip;
	void *p;

	errno = 0;
	p = pmem_map_file(path("nodir/f"), 4096, PMEM_FILE_CREATE, 0600, &ml,
		&ip);
	print_err("map in missing dir", p);
	p = pmem_map_file(path("f0"), 0, PMEM_FILE_CREATE, 0600, &ml, &ip);
	print_err("map len 0 create", p);
	p = pmem_map_file(path("f0"), 4096, 1 << 7, 0600, &ml, &ip);
	print_err("map bad flag", p);
	p = pmem_map_file(path("missing"), 0, 0, 0600, &ml, &ip);
	print_err("map missing file", p);
	p = pmem_map_file(path("f1"), 8192, PMEM_FILE_CREATE, 0600, &ml, &ip);
	T_CHECK(p != NULL, "create f1: %s", pmem_errormsg());
	if (p)
		pmem_unmap(p, ml);
	errno = 0;
	p = pmem_map_file(path("f1"), 8192, PMEM_FILE_CREATE | PMEM_FILE_EXCL,
		0600, &ml, &ip);
	print_err("map excl existing", p);
	p = pmem_map_file(path("f1"), 4096, PMEM_FILE_TMPFILE, 0600, &ml,
		&ip);
	print_err("map tmpfile without create", p);
	unlink(path("f1"));
}

static void
flush_calls(char *p, size_t len)
{
	pmem_flush(p + 1, 100);
	pmem_drain();
	pmem_persist(p, MIN(len, 65536));
	pmem_deep_flush(p + 7, 1000);
	printf("msync %d, unaligned %d\n", pmem_msync(p, len),
		pmem_msync(p + 13, 100));
	printf("deep_drain %d deep_persist %d\n", pmem_deep_drain(p, 100),
		pmem_deep_persist(p + 5, 3000));
}

/* op 0, 1, 2: pmem_memmove, pmem_memcpy, pmem_memset with flags */
static void
op_flags(char *d, const char *s, size_t n, int c, unsigned op,
	unsigned flags)
{
	static const char *const names[] = { "memmove", "memcpy", "memset" };
	void *r;

	switch (op) {
	case 0: r = pmem_memmove(d, s, n, flags); break;
	case 1: r = pmem_memcpy(d, s, n, flags); break;
	default: r = pmem_memset(d, c, n, flags); break;
	}
	T_CHECK(r == d, "%s return", names[op]);
}

static void
op_variants(char *d, const char *s, size_t n, int c, unsigned which)
{
	void *r = NULL;

	switch (which) {
	case 0: r = pmem_memmove_persist(d, s, n); break;
	case 1: r = pmem_memcpy_persist(d, s, n); break;
	case 2: r = pmem_memmove_nodrain(d, s, n); break;
	case 3: r = pmem_memcpy_nodrain(d, s, n); break;
	case 4: r = pmem_memset_persist(d, c, n); break;
	default: r = pmem_memset_nodrain(d, c, n); break;
	}
	T_CHECK(r == d, "variant %u return", which);
}

/* each operation on the mapping against the same on a private buffer */
static void
copies(char *p, size_t len)
{
	static const size_t lens[] = { 0, 1, 7, 8, 9, 63, 64, 65, 255, 256,
		257, 1000, 4096, 10000, 40000 };
	static const size_t offs[] = { 0, 1, 7, 8, 63 };
	static const unsigned flags[] = { 0, PMEM_F_MEM_NODRAIN,
		PMEM_F_MEM_NONTEMPORAL, PMEM_F_MEM_TEMPORAL, PMEM_F_MEM_WC,
		PMEM_F_MEM_WB, PMEM_F_MEM_NOFLUSH,
		PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN,
		PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_NOFLUSH, 1u << 31 };
	char *src = malloc(len), *ref = malloc(len);
	unsigned long runs = 0;

	t_fill_random(src, len);
	t_fill_random(p, len);
	memcpy(ref, p, len);
	for (unsigned o = 0; o < 3; o++)
	for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
	for (size_t l = 0; l < sizeof(lens) / sizeof(*lens); l++)
	for (size_t a = 0; a < sizeof(offs) / sizeof(*offs); a++) {
		size_t n = lens[l], off = offs[a] + 64;
		size_t soff = (offs[a] * 5 + n) % 64;
		int c = (int)(l * 17 + f);

		op_flags(p + off, src + soff, n, c, o, flags[f]);
		if (o == 2)
			memset(ref + off, c, n);
		else
			memcpy(ref + off, src + soff, n);
		runs++;
	}
	for (unsigned v = 0; v < 6; v++)
	for (size_t l = 0; l < sizeof(lens) / sizeof(*lens); l++) {
		size_t n = lens[l], off = 3 + l;

		op_variants(p + off, src + v, n, (int)v, v);
		if (v >= 4)
			memset(ref + off, (int)v, n);
		else
			memcpy(ref + off, src + v, n);
		runs++;
	}
	/* overlapping moves inside the mapping, both ways */
	for (size_t l = 0; l < sizeof(lens) / sizeof(*lens); l++)
	for (size_t dist = 1; dist < 300; dist += 37) {
		size_t n = lens[l];

		pmem_memmove(p + 100 + dist, p + 100, n, 0);
		memmove(ref + 100 + dist, ref + 100, n);
		pmem_memmove_persist(p + 100, p + 100 + dist, n);
		memmove(ref + 100, ref + 100 + dist, n);
		runs += 2;
	}
	T_CHECK(memcmp(p, ref, len) == 0, "mapping differs from libc's "
		"result");
	printf("%lu copy/fill calls, result %s\n", runs,
		memcmp(p, ref, len) == 0 ? "as libc's" : "WRONG");
	free(src);
	free(ref);
}

static void
group_basic(void)
{
	size_t ml = 0;
	int ip = -1;
	size_t len = 1 << 20;

	versions();
	map_errors();
	errno = 0;
	char *p = pmem_map_file(path("pool"), len, PMEM_FILE_CREATE, 0600,
		&ml, &ip);

	if (p == NULL) {
		print_err("map pool", p);
		T_FAIL("cannot map the pool");
		return;
	}
	printf("map pool: mapped_len %zu is_pmem %d pmem_is_pmem %d\n", ml,
		ip, pmem_is_pmem(p, ml));
	printf("has_hw_drain %d has_auto_flush %d\n", pmem_has_hw_drain(),
		pmem_has_auto_flush());
	flush_calls(p, len);
	copies(p, len);
	errno = 0;
	int r = pmem_unmap(p + 1, 4096);

	printf("unmap unaligned %d errno %d\n", r, errno);
	printf("unmap %d\n", pmem_unmap(p, ml));

	p = pmem_map_file(Dir, 1 << 16, PMEM_FILE_TMPFILE | PMEM_FILE_CREATE,
		0600, &ml, &ip);
	printf("map tmpfile: %s mapped_len %zu\n", p ? "ok" : "NULL", ml);
	if (p) {
		memset(p, 1, ml);
		pmem_persist(p, ml);
		pmem_unmap(p, ml);
	}
	/* an existing file, len 0: the whole file */
	p = pmem_map_file(path("pool"), 0, 0, 0, &ml, &ip);
	printf("map existing: %s mapped_len %zu\n", p ? "ok" : "NULL", ml);
	if (p)
		pmem_unmap(p, ml);
	unlink(path("pool"));
}

static void
group_force(void)
{
	size_t ml;
	int ip;
	char *p = pmem_map_file(path("forced"), 1 << 16, PMEM_FILE_CREATE,
		0600, &ml, &ip);

	T_CHECK(p != NULL, "map: %s", pmem_errormsg());
	if (p == NULL)
		return;
	T_CHECK(pmem_is_pmem(p, ml) == 1, "PMEM_IS_PMEM_FORCE=1 ignored");
	pmem_unmap(p, ml);
	unlink(path("forced"));
}

#ifdef __aarch64__
static size_t Line;

/* D-cache lines of length `line` overlapping [p, p + n), n > 0 */
static unsigned long
lines_in(const char *p, size_t n, size_t line)
{
	uintptr_t first = (uintptr_t)p / line;
	uintptr_t last = ((uintptr_t)p + n - 1) / line;

	return (unsigned long)(last - first + 1);
}

static unsigned long
lines_of(const char *p, size_t n)
{
	return lines_in(p, n, Line);
}

/*
 * The kernels clean after each 64-byte block, so with lines longer than
 * 64 bytes they may clean a line once per block it holds.
 */
static unsigned long
kernel_max(const char *p, size_t n)
{
	return Line <= 64 ? lines_of(p, n) :
		lines_of(p, n) + lines_in(p, n, 64);
}

/* the DCs one call issues: cvap, cvadp */
struct dcs {
	unsigned long cvap, cvadp;
};

#define COUNTED(call) ({ \
	unsigned long a0 = Dc_cvap_traps, d0 = Dc_cvadp_traps; \
	call; \
	(struct dcs){ Dc_cvap_traps - a0, Dc_cvadp_traps - d0 }; \
})

/* DC CVAP count in [cvap, cvap_max], DC CVADP count exactly cvadp */
static void
expect(const char *what, struct dcs got, unsigned long cvap,
	unsigned long cvap_max, unsigned long cvadp)
{
	T_CHECK(got.cvap >= cvap && got.cvap <= cvap_max &&
		got.cvadp == cvadp, "%s: DC CVAP %lu DC CVADP %lu, expected "
		"%lu..%lu and %lu", what, got.cvap, got.cvadp, cvap,
		cvap_max, cvadp);
	printf("%-40s DC CVAP %5lu  DC CVADP %5lu\n", what, got.cvap,
		got.cvadp);
}
#endif

static int
group_cpu(void)
{
#ifndef __aarch64__
	return 77;
#else
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	printf("dcpop=%d dcpodp=%d asimd=%d line=%zu autoflush=%d\n",
		(getauxval(AT_HWCAP) & HWCAP_DCPOP) != 0,
		(getauxval(AT_HWCAP2) & HWCAP2_DCPODP) != 0,
		(getauxval(AT_HWCAP) & HWCAP_ASIMD) != 0,
		(size_t)4 << ((ctr >> 16) & 0xf), pmem_has_auto_flush());
	return 0;
#endif
}

#ifdef INSN_TRAP
/* blocks of `block` bytes overlapping [p, p + n), n > 0 */
static unsigned long
blocks_of(const char *p, size_t n, size_t block)
{
	return (unsigned long)(((uintptr_t)p + n - 1) / block -
		(uintptr_t)p / block + 1);
}

static void
expect_flushes(const char *what, unsigned long f, unsigned long d,
	unsigned long want, unsigned long want_max)
{
	T_CHECK(f >= want && f <= want_max, "%s: %lu %s, expected %lu..%lu",
		what, f, TRAP_FLUSH_NAME, want, want_max);
	printf("%-36s %s %5lu  %s %lu\n", what, TRAP_FLUSH_NAME, f,
		TRAP_FENCE_NAME, d);
}

/* flush instructions one call executes, against [want, want_max] */
#define EXPECT_FLUSHES(what, call, want, want_max) do { \
	unsigned long f0 = Trap_flushes, d0 = Trap_fences; \
	call; \
	expect_flushes(what, Trap_flushes - f0, Trap_fences - d0, want, \
		want_max); \
} while (0)

/*
 * block 0: no flush instruction at all; otherwise one per block (none
 * from pmem_flush under PMEM_NO_FLUSH=1), and twice at most where a
 * kernel may clean a block after each part it stores: any number from
 * one per block with TEST_COUNT_LOOSE=1, for a reference that cleans
 * more often. ppc64le also counts one phwsync per drain.
 */
static int
group_count_blocks(size_t block)
{
	size_t ml;
	int ip;
	char *p = pmem_map_file(path("count"), 1 << 16, PMEM_FILE_CREATE,
		0600, &ml, &ip);
	static char src[8192];
	const char *nf = getenv("PMEM_NO_FLUSH");
	unsigned long flush = !(nf && strcmp(nf, "1") == 0);
	unsigned long most = getenv("TEST_COUNT_LOOSE") ? 1000 : 2;
	unsigned long n4k, n100;

	if (!Trapping) {
		printf("SKIP: the flush instruction runs natively here\n");
		return 77;
	}
	if (p == NULL) {
		T_FAIL("map: %s", pmem_errormsg());
		return 1;
	}
	n4k = block ? blocks_of(p, 4096, block) : 0;
	n100 = block ? blocks_of(p + 3, 100, block) : 0;
	EXPECT_FLUSHES("pmem_flush 4096", pmem_flush(p, 4096), flush * n4k,
		flush * n4k);
	EXPECT_FLUSHES("pmem_persist 100 at +3", pmem_persist(p + 3, 100),
		flush * n100, flush * n100);
	EXPECT_FLUSHES("pmem_deep_flush 4096", pmem_deep_flush(p, 4096), n4k,
		n4k);
	EXPECT_FLUSHES("pmem_memcpy 4096 NOFLUSH", pmem_memcpy(p, src, 4096,
		PMEM_F_MEM_NOFLUSH), 0, 0);
	EXPECT_FLUSHES("kernel: pmem_memcpy_persist 4096",
		pmem_memcpy_persist(p, src, 4096), flush * n4k,
		flush * most * n4k);
	EXPECT_FLUSHES("kernel: pmem_memset_persist 100 at +3",
		pmem_memset_persist(p + 3, 1, 100), flush * n100,
		flush * most * n100);
#ifdef __powerpc64__
	unsigned long d0 = Trap_fences;

	pmem_drain();
	T_CHECK(Trap_fences - d0 == 1, "pmem_drain: %lu phwsync",
		Trap_fences - d0);
	printf("pmem_drain: phwsync %lu\n", Trap_fences - d0);
#endif
	pmem_unmap(p, ml);
	unlink(path("count"));
	return t_result("count");
}
#endif

static int
group_count(void)
{
#ifdef INSN_TRAP
	const char *b = getenv("TEST_BLOCK");

	return group_count_blocks(b ? (size_t)atoi(b) : 0);
#elif !defined(__aarch64__)
	printf("SKIP: count is for the cross-tested architectures only\n");
	return 77;
#else
	if (!Trapping) {
		printf("SKIP: DC CVAP runs natively here, cannot count it\n");
		return 77;
	}
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	Line = (size_t)4 << ((ctr >> 16) & 0xf);
	int dcpop = (getauxval(AT_HWCAP) & HWCAP_DCPOP) != 0;
	int dcpodp = (getauxval(AT_HWCAP2) & HWCAP2_DCPODP) != 0;
	const char *nf = getenv("PMEM_NO_FLUSH");
	int flush = nf && strcmp(nf, "0") == 0 ? 1 :
		!(nf && strcmp(nf, "1") == 0) && !pmem_has_auto_flush();
	size_t ml;
	int ip;
	char *p = pmem_map_file(path("count"), 1 << 16, PMEM_FILE_CREATE,
		0600, &ml, &ip);
	static char src[8192];

	if (p == NULL) {
		T_FAIL("map: %s", pmem_errormsg());
		return 1;
	}
	printf("dcpop %d dcpodp %d line %zu flushing %d\n", dcpop, dcpodp,
		Line, flush);
	/* f: pmem_flush cleans with DC CVAP; deep: DC CVADP, else DC CVAP */
	unsigned long n4k = lines_of(p, 4096), k4k = kernel_max(p, 4096);
	unsigned long f = dcpop && flush, d = dcpodp, dp = dcpop && !dcpodp;

	expect("pmem_flush 4096", COUNTED(pmem_flush(p, 4096)), f * n4k,
		f * n4k, 0);
	expect("pmem_persist 4096+3 at +5", COUNTED(pmem_persist(p + 5,
		4099)), f * lines_of(p + 5, 4099), f * lines_of(p + 5, 4099),
		0);
	expect("pmem_drain", COUNTED(pmem_drain()), 0, 0, 0);
	expect("pmem_msync", COUNTED(pmem_msync(p, 4096)), 0, 0, 0);
	expect("pmem_deep_flush 4096", COUNTED(pmem_deep_flush(p, 4096)),
		dp * n4k, dp * n4k, d * n4k);
	expect("pmem_deep_persist 4096", COUNTED(pmem_deep_persist(p, 4096)),
		dp * n4k, dp * n4k, d * n4k);
	expect("pmem_memcpy_persist 4096", COUNTED(pmem_memcpy_persist(p,
		src, 4096)), f * n4k, f * k4k, 0);
	expect("pmem_memcpy 4096 NONTEMPORAL", COUNTED(pmem_memcpy(p, src,
		4096, PMEM_F_MEM_NONTEMPORAL)), f * n4k, f * k4k, 0);
	expect("pmem_memset_persist 4096", COUNTED(pmem_memset_persist(p, 1,
		4096)), f * n4k, f * k4k, 0);
	expect("pmem_memcpy_persist 100 at +3", COUNTED(pmem_memcpy_persist(
		p + 3, src, 100)), f * lines_of(p + 3, 100),
		f * kernel_max(p + 3, 100), 0);
	expect("pmem_memmove_persist overlap", COUNTED(pmem_memmove_persist(
		p + 40, p, 1000)), f * lines_of(p + 40, 1000),
		f * kernel_max(p + 40, 1000), 0);
	expect("pmem_memcpy 4096 NOFLUSH", COUNTED(pmem_memcpy(p, src, 4096,
		PMEM_F_MEM_NOFLUSH)), 0, 0, 0);
	expect("pmem_memset 4096 NOFLUSH", COUNTED(pmem_memset(p, 0, 4096,
		PMEM_F_MEM_NOFLUSH)), 0, 0, 0);
	pmem_unmap(p, ml);
	unlink(path("count"));
	return t_result("count");
#endif
}

int
main(int argc, char *argv[])
{
	tl_usage(argc >= 3, argv[0], "basic|force|count|cpu DIR");
	Dir = argv[2];
#ifdef __aarch64__
	/* also lets QEMU < 8.0 user mode run the DC CVAP the library issues */
	Trapping = dctrap_install();
#elif defined(INSN_TRAP)
	/* and QEMU 7.2 run dcbstps, phwsync and cbo.clean */
	Trapping = trap_install();
#endif
	if (strcmp(argv[1], "basic") == 0)
		group_basic();
	else if (strcmp(argv[1], "force") == 0)
		group_force();
	else if (strcmp(argv[1], "count") == 0)
		return group_count();
	else if (strcmp(argv[1], "cpu") == 0)
		return group_cpu();
	else
		return 2;
	return t_result(argv[1]);
}

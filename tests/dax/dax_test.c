/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs inside the QEMU guest against real fs-dax and Device DAX: checks
 * pmem_map_file, pmem_is_pmem, deep flush and auto flush of whichever
 * libpmem.so.1 the loader picked. Prints "CHECK name ok|bad detail" lines
 * (expectations) and "VALUE name text" lines (compared between libraries).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <libpmem.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif

#define MIB ((size_t)1 << 20)
#define MAX_DF 16

static int Bad;
static int Mark_slot = -1;	/* -k: where this library leaves its mark */

static void
check(const char *label, const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("CHECK %s.%s %s ", label, name, ok ? "ok" : "bad");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		Bad = 1;
}

static void
value(const char *label, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("VALUE %s.%s ", label, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Elapsed time per section, for finding what is slow under TCG. */
static void
trace(const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("INFO time %ld.%03ld %s\n", (long)ts.tv_sec,
		ts.tv_nsec / 1000000, what);
}

/*
 * Deep flush observer. The guest script bind-mounts one regular file per
 * region over its sysfs deep_flush; a write to it is seen as IN_MODIFY,
 * which works even when the bytes written equal the bytes already there.
 */
static struct {
	int fd;
	int n;
	int wd[MAX_DF];
	char name[MAX_DF][32];
	char path[MAX_DF][256];
} Df = { .fd = -1 };

static void
df_init(const char *dir)
{
	int i;

	Df.fd = inotify_init1(IN_NONBLOCK);
	for (i = 0; i < MAX_DF && Df.fd >= 0; i++) {
		char path[256];

		snprintf(path, sizeof(path), "/sys/bus/nd/devices/region%d/"
			"deep_flush", i);
		if (access(path, F_OK) != 0)
			continue;
		snprintf(Df.path[Df.n], sizeof(Df.path[0]), "%s/region%d",
			dir, i);
		if (access(Df.path[Df.n], F_OK) != 0)
			continue;
		Df.wd[Df.n] = inotify_add_watch(Df.fd, Df.path[Df.n],
			IN_MODIFY);
		snprintf(Df.name[Df.n], sizeof(Df.name[0]), "region%d", i);
		Df.n++;
	}
}

/* Fills OUT with the regions whose deep_flush was written since last call. */
static void
df_written(char *out, size_t outsz)
{
	char buf[4096] __attribute__((aligned(8)));
	int hit[MAX_DF] = { 0 };
	ssize_t n;
	int i;

	while ((n = read(Df.fd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (p < buf + n) {
			struct inotify_event *ev = (struct inotify_event *)p;

			for (i = 0; i < Df.n; i++)
				if (Df.wd[i] == ev->wd)
					hit[i] = 1;
			p += sizeof(*ev) + ev->len;
		}
	}
	out[0] = '\0';
	for (i = 0; i < Df.n; i++) {
		if (!hit[i])
			continue;
		if (out[0])
			strncat(out, ",", outsz - strlen(out) - 1);
		strncat(out, Df.name[i], outsz - strlen(out) - 1);
	}
	if (!out[0])
		snprintf(out, outsz, "none");
}

/* Rewrites the content of every deep_flush stand-in. */
static void
df_set(const char *content)
{
	char junk[64];
	int i;

	for (i = 0; i < Df.n; i++) {
		FILE *f = fopen(Df.path[i], "w");

		if (f) {
			fputs(content, f);
			fclose(f);
		}
	}
	df_written(junk, sizeof(junk));	/* forget our own writes */
}

/* Content of REGION's deep_flush stand-in, newline stripped. */
static void
df_content(const char *region, char *out, size_t outsz)
{
	int i;

	snprintf(out, outsz, "?");
	for (i = 0; i < Df.n; i++) {
		if (strcmp(Df.name[i], region) != 0)
			continue;
		FILE *f = fopen(Df.path[i], "r");

		if (f && fgets(out, (int)outsz, f))
			out[strcspn(out, "\n")] = '\0';
		if (f)
			fclose(f);
	}
}

/* The VmFlags of the VMA holding ADDR, from /proc/self/smaps. */
static int
vm_flags(const void *addr, char *out, size_t outsz)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512], perms[8];
	int in = 0;

	out[0] = '\0';
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
			in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(out, outsz, "%s", line + 8);
			out[strcspn(out, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	return out[0] ? 0 : -1;
}

static int
has_vm_flag(const void *addr, const char *flag)
{
	char flags[256], *tok, *save = NULL;

	if (vm_flags(addr, flags, sizeof(flags)) != 0)
		return -1;
	for (tok = strtok_r(flags, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save))
		if (strcmp(tok, flag) == 0)
			return 1;
	return 0;
}

static void
fill_pattern(unsigned char *buf, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)((i * 131 + seed) >> 3);
}

/*
 * Deep flush, drain and persist of [ADDR, ADDR+LEN), watching the sysfs.
 * pmem_deep_flush only flushes CPU caches; the drain half writes "1" to
 * the region's deep_flush when REGION is a region name, and writes
 * nothing when it is "none" (fs-dax ranges go through msync instead).
 */
static void
check_deep(const char *label, char *addr, size_t len, const char *region)
{
	int has_region = strcmp(region, "none") != 0;
	char got[128], content[32];
	int ret;

	df_set("1\n");
	pmem_deep_flush(addr, len);
	df_written(got, sizeof(got));
	check(label, "deep_flush", strcmp(got, "none") == 0,
		"pmem_deep_flush wrote deep_flush of: %s (want none)", got);

	ret = pmem_deep_drain(addr, len);
	df_written(got, sizeof(got));
	df_content(has_region ? region : "", content, sizeof(content));
	check(label, "deep_drain", ret == 0 && strcmp(got, region) == 0 &&
		(!has_region || strcmp(content, "1") == 0),
		"ret %d, deep_flush written: %s (want %s), content '%s'", ret,
		got, region, has_region ? content : "-");

	ret = pmem_deep_persist(addr, len);
	df_written(got, sizeof(got));
	check(label, "deep_persist", ret == 0 && strcmp(got, region) == 0,
		"ret %d, deep_flush written: %s (want %s)", ret, got, region);

	/* a region that reports "0" needs no deep flush */
	df_set("0\n");
	ret = pmem_deep_persist(addr, len);
	df_written(got, sizeof(got));
	check(label, "deep_persist_not_needed", ret == 0 &&
		strcmp(got, "none") == 0,
		"ret %d with deep_flush=0, written: %s (want none)", ret, got);
	df_set("1\n");
}

/* The pmem_is_pmem answers that do not depend on the mapping's kind. */
static void
check_ranges(const char *label, char *p, size_t len, int want)
{
	check(label, "is_pmem_whole", pmem_is_pmem(p, len) == want,
		"pmem_is_pmem(addr, %zu) = %d, want %d", len,
		pmem_is_pmem(p, len), want);
	check(label, "is_pmem_sub", pmem_is_pmem(p + 4099, 1000) == want &&
		pmem_is_pmem(p + len - 1, 1) == want &&
		pmem_is_pmem(p, 1) == want,
		"sub-ranges: %d %d %d, want %d", pmem_is_pmem(p + 4099, 1000),
		pmem_is_pmem(p + len - 1, 1), pmem_is_pmem(p, 1), want);
	check(label, "is_pmem_overhang", pmem_is_pmem(p, len + 4096) == 0 &&
		pmem_is_pmem(p - 4096, 8192) == 0,
		"ranges sticking out: %d %d, want 0 0",
		pmem_is_pmem(p, len + 4096), pmem_is_pmem(p - 4096, 8192));
	value(label, "is_pmem_len0", "%d", pmem_is_pmem(p, 0));
}

static void
check_map_sync(const char *label, const void *p, int want)
{
	char flags[256];
	int sf = has_vm_flag(p, "sf");

	vm_flags(p, flags, sizeof(flags));
	check(label, "map_sync", sf == want, "VmFlags '%s': sf %d, want %d",
		flags, sf, want);
}

/*
 * Leaves a line the host looks for in the device's backing file: a write
 * the guest can read back but the device lost is found only that way.
 * Each library (slot) gets its own place, so neither covers the other's.
 */
static void
leave_mark(const char *label, char *p)
{
	struct timespec ts;
	char m[96];

	if (Mark_slot < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(m, sizeof(m), "daxt-mark %s slot %d at %ld.%09ld", label,
		Mark_slot, (long)ts.tv_sec, ts.tv_nsec);
	pmem_memcpy_persist(p, m, strlen(m) + 1);
	printf("MARK %s %s\n", label, m);
}

/* Persists a pattern, unmaps, maps the file again and compares. */
static void
check_roundtrip(const char *label, const char *path, char *p, size_t len)
{
	unsigned char *pat = malloc(MIB);
	size_t mlen = 0;
	int is_pmem = -1;

	fill_pattern(pat, MIB, 7);
	pmem_memcpy_persist(p + 12345, pat, MIB);
	pmem_memset_persist(p + len - 4096, 0x5a, 4096);
	pmem_unmap(p, len);
	p = pmem_map_file(path, 0, 0, 0, &mlen, &is_pmem);
	check(label, "remap", p != NULL && mlen == len && is_pmem == 1,
		"pmem_map_file(existing, 0, 0): %p len %zu is_pmem %d", p,
		mlen, is_pmem);
	if (p) {
		check(label, "roundtrip", memcmp(p + 12345, pat, MIB) == 0 &&
			(unsigned char)p[len - 1] == 0x5a,
			"data written with pmem_memcpy_persist read back");
		pmem_unmap(p, mlen);
	}
	free(pat);
}

/* check what: a new mapping, created with flags too, is pmem both ways */
static void
map_is_pmem(const char *label, const char *what, const char *path,
	size_t size, int flags)
{
	size_t len = 0;
	int is_pmem = -1;
	char *p = pmem_map_file(path, size, PMEM_FILE_CREATE | flags, 0600,
		&len, &is_pmem);

	check(label, what, p != NULL && is_pmem == 1 &&
		pmem_is_pmem(p, len) == 1, "%p is_pmem %d", p, is_pmem);
	if (p)
		pmem_unmap(p, len);
}

/* Fs-dax: a file on a filesystem mounted with -o dax. */
static void
test_fsdax(const char *label, const char *dir, const char *region)
{
	char path[512];
	size_t len = 0, want = 4 * MIB;
	int is_pmem = -1;
	char *p;

	snprintf(path, sizeof(path), "%s/%s.f1", dir, label);
	unlink(path);
	p = pmem_map_file(path, want, PMEM_FILE_CREATE, 0600, &len, &is_pmem);
	check(label, "map", p != NULL && len == want, "%p len %zu%s%s", p,
		len, p ? "" : ": ", p ? "" : pmem_errormsg());
	if (!p)
		return;
	check(label, "is_pmem_flag", is_pmem == 1, "*is_pmemp %d", is_pmem);
	check_map_sync(label, p, 1);
	check_ranges(label, p, len, 1);
	/* fs-dax ranges: the reference calls msync, not the sysfs knob */
	(void)region;
	check_deep(label, p + 8192, 4096, "none");

	/* a partial pmem_unmap leaves the other half registered */
	pmem_unmap(p + len / 2, len / 2);
	check(label, "partial_unmap", pmem_is_pmem(p, len / 2) == 1 &&
		pmem_is_pmem(p + len / 2, 4096) == 0 &&
		pmem_is_pmem(p, len) == 0,
		"after unmapping the upper half: %d %d %d, want 1 0 0",
		pmem_is_pmem(p, len / 2), pmem_is_pmem(p + len / 2, 4096),
		pmem_is_pmem(p, len));
	check(label, "unmap", pmem_unmap(p, len / 2) == 0 &&
		pmem_is_pmem(p, len / 2) == 0, "is_pmem after unmap %d",
		pmem_is_pmem(p, len / 2));

	p = pmem_map_file(path, want, PMEM_FILE_CREATE, 0600, &len, &is_pmem);
	if (p)
		check_roundtrip(label, path, p, len);
	unlink(path);

	if (Mark_slot >= 0) {
		/* a file per slot, kept: its blocks hold the mark at the end */
		snprintf(path, sizeof(path), "%s/%s.mark%d", dir, label,
			Mark_slot);
		p = pmem_map_file(path, 4096, PMEM_FILE_CREATE, 0600, &len,
			&is_pmem);
		if (p) {
			leave_mark(label, p);
			pmem_unmap(p, len);
		}
	}
	map_is_pmem(label, "tmpfile", dir, 2 * MIB, PMEM_FILE_TMPFILE);
	snprintf(path, sizeof(path), "%s/%s.sparse", dir, label);
	unlink(path);
	map_is_pmem(label, "sparse", path, 6 * MIB, PMEM_FILE_SPARSE);
	unlink(path);
}

/* A file on tmpfs in the same guest: plain memory, never pmem. */
static void
test_nondax(const char *label, const char *dir, const char *region)
{
	char path[512];
	size_t len = 0;
	int is_pmem = -1, fd;
	char *p;
	void *m;

	(void)region;
	snprintf(path, sizeof(path), "%s/%s.f1", dir, label);
	unlink(path);
	p = pmem_map_file(path, 4 * MIB, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem);
	check(label, "map", p != NULL && is_pmem == 0,
		"%p len %zu is_pmem %d", p, len, is_pmem);
	if (!p)
		return;
	check_map_sync(label, p, 0);
	check_ranges(label, p, len, 0);
	check_deep(label, p, 4096, "none");
	check(label, "unmap", pmem_unmap(p, len) == 0, "");

	/* the guest kernel itself refuses MAP_SYNC here */
	fd = open(path, O_RDWR);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
	check(label, "kernel_map_sync", m == MAP_FAILED && errno == EOPNOTSUPP,
		"mmap(MAP_SYNC) on a non-DAX file: %s",
		m == MAP_FAILED ? strerror(errno) : "succeeded");
	if (m != MAP_FAILED)
		munmap(m, 4096);
	close(fd);
	unlink(path);
}

/* Reads /sys/dev/char/M:m/ATTR of the device DAX node DEV. */
static unsigned long long
devdax_attr(const char *dev, const char *attr)
{
	char path[256];
	unsigned long long v = 0;
	struct stat st;
	FILE *f;

	if (stat(dev, &st) != 0)
		return 0;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/%s",
		major(st.st_rdev), minor(st.st_rdev), attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

/*
 * One pmem_map_file call on the device: prints the outcome as a VALUE and
 * returns 1 when it mapped.
 */
static int
devdax_try(const char *label, const char *dev, const char *tag, size_t len,
	int flags)
{
	size_t mlen = 0;
	int is_pmem = -1;
	char *p;

	errno = 0;
	p = pmem_map_file(dev, len, flags, 0600, &mlen, &is_pmem);
	if (!p) {
		int err = errno;

		value(label, tag, "NULL errno %d (%s) msg '%s'", err,
			strerror(err), pmem_errormsg());
		return 0;
	}
	value(label, tag, "mapped len %zu is_pmem %d", mlen, is_pmem);
	pmem_unmap(p, mlen);
	return 1;
}

/*
 * The len/flags rules for Device DAX, per the manual: only CREATE and
 * SPARSE are accepted (and ignored), len must be 0 or the device's size.
 */
static void
test_devdax_args(const char *label, const char *dev, size_t size,
	size_t align)
{
	const int C = PMEM_FILE_CREATE, S = PMEM_FILE_SPARSE;
	const struct {
		const char *tag;
		size_t len;
		int flags;
		int want;
	} t[] = {
		{ "len0.0", 0, 0, 1 },
		{ "len0.CREATE", 0, C, 1 },
		{ "len0.SPARSE", 0, S, 1 },
		{ "len0.CREATE_SPARSE", 0, C | S, 1 },
		{ "lensize.0", size, 0, 1 },
		{ "lensize.CREATE", size, C, 1 },
		{ "lensize.CREATE_SPARSE", size, C | S, 1 },
		{ "lensmall.0", size - align, 0, 0 },
		{ "lensmall.CREATE", size - align, C, 0 },
		{ "lenbig.CREATE", size + align, C, 0 },
		{ "len4k.CREATE", 4096, C, 0 },
		{ "len0.EXCL", 0, PMEM_FILE_EXCL, 0 },
		{ "len0.CREATE_EXCL", 0, C | PMEM_FILE_EXCL, 0 },
		{ "lensize.CREATE_EXCL", size, C | PMEM_FILE_EXCL, 0 },
		{ "len0.CREATE_TMPFILE", 0, C | PMEM_FILE_TMPFILE, 0 },
		{ "len0.BADFLAG", 0, 1 << 6, 0 },
	};
	char tag[64];
	unsigned i;
	int ok;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(tag, sizeof(tag), "args.%s", t[i].tag);
		ok = devdax_try(label, dev, tag, t[i].len, t[i].flags);
		check(label, tag, ok == t[i].want, "%s, want %s",
			ok ? "mapped" : "refused",
			t[i].want ? "mapped" : "refused");
	}
}

/*
 * The rest of the API on the mapping, the data read back after each
 * store: on a Device DAX without a region no call may fail or crash.
 */
static void
test_devdax_api(const char *label, char *p)
{
	const unsigned fl[] = { 0, PMEM_F_MEM_NONTEMPORAL,
		PMEM_F_MEM_TEMPORAL, PMEM_F_MEM_NOFLUSH, PMEM_F_MEM_WC };
	unsigned char *pat = malloc(MIB);
	int bad = 0;

	fill_pattern(pat, MIB, 5);
	for (unsigned i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		char *d = p + 2 * MIB + i * 4096 + i;

		pmem_memcpy(d, pat, 65536 + i, fl[i]);
		bad += memcmp(d, pat, 65536 + i) != 0;
		pmem_memmove(d + 3, d, 65536, fl[i]);
		bad += memcmp(d + 3, pat, 65536) != 0;
		pmem_memset(d, 0x40 + (int)i, 5000, fl[i]);
		bad += d[0] != 0x40 + (int)i || d[4999] != 0x40 + (int)i;
	}
	pmem_memcpy_nodrain(p, pat, 4096);
	pmem_memmove_nodrain(p + 1, p, 4095);
	pmem_memset_nodrain(p + 8192, 7, 100);
	pmem_flush(p, 8192 + 100);
	pmem_drain();
	bad += memcmp(p + 1, pat, 4095) != 0 || p[8192 + 99] != 7;
	pmem_memmove_persist(p + 100, p + 1, 1000);
	pmem_memset_persist(p + 9000, 9, 10);
	pmem_persist(p, 10000);
	bad += memcmp(p + 100, pat, 1000) != 0 || p[9009] != 9;
	check(label, "api", bad == 0, "%d mismatches after the copy, move "
		"and fill calls", bad);
	value(label, "msync", "%d", pmem_msync(p, 4096));
	value(label, "has_hw_drain", "%d", pmem_has_hw_drain());
	free(pat);
}

static void
test_devdax(const char *label, const char *dev, const char *region)
{
	size_t size = devdax_attr(dev, "size");
	size_t align = devdax_attr(dev, "align");
	size_t len = 0;
	int is_pmem = -1;
	char *p;

	check(label, "sysfs", size > 0 && align > 0,
		"/sys/dev/char/M:m size %zu align %zu", size, align);
	if (!size || !align)
		return;
	p = pmem_map_file(dev, 0, 0, 0, &len, &is_pmem);
	check(label, "map", p != NULL && len == size,
		"%p len %zu (size %zu)%s%s", p, len, size, p ? "" : ": ",
		p ? "" : pmem_errormsg());
	if (!p)
		return;
	check(label, "is_pmem_flag", is_pmem == 1, "*is_pmemp %d", is_pmem);
	check(label, "aligned", ((uintptr_t)p & (align - 1)) == 0,
		"%p aligned to %zu", p, align);
	check_ranges(label, p, len, 1);
	check_deep(label, p + len - 8192, 8192, region);

	unsigned char *pat = malloc(MIB);

	fill_pattern(pat, MIB, 3);
	pmem_memcpy_persist(p + 4096 + 17, pat, MIB);
	check(label, "rw", memcmp(p + 4096 + 17, pat, MIB) == 0, "");
	free(pat);
	test_devdax_api(label, p);
	if (Mark_slot >= 0)
		leave_mark(label, p + len / 2 + (size_t)Mark_slot * 4096);

	check(label, "unmap", pmem_unmap(p, len) == 0 &&
		pmem_is_pmem(p, len) == 0, "is_pmem after unmap %d",
		pmem_is_pmem(p, len));
	trace("devdax args");
	test_devdax_args(label, dev, size, align);
}

/* -y: only the copy/move/fill calls, for one forced kernel choice */
static void
test_devdax_kernels(const char *label, const char *dev, const char *unused)
{
	size_t len = 0;
	int is_pmem = -1;
	char *p = pmem_map_file(dev, 0, 0, 0, &len, &is_pmem);

	(void)unused;
	check(label, "map", p != NULL && is_pmem == 1, "%p is_pmem %d%s%s", p,
		is_pmem, p ? "" : ": ", p ? "" : pmem_errormsg());
	if (!p)
		return;
	test_devdax_api(label, p);
	pmem_unmap(p, len);
}

/* Several live mappings at once: each keeps its own answer. */
static void
test_multi(const char *fsdir, const char *dev, const char *tmpdir)
{
	char pa[512], pb[512];
	size_t la = 0, lb = 0, lc = 0;
	char *a, *b, *c;
	int ia, ib, ic;

	snprintf(pa, sizeof(pa), "%s/multi.a", fsdir);
	snprintf(pb, sizeof(pb), "%s/multi.b", tmpdir);
	a = pmem_map_file(pa, 2 * MIB, PMEM_FILE_CREATE, 0600, &la, &ia);
	b = pmem_map_file(pb, 2 * MIB, PMEM_FILE_CREATE, 0600, &lb, &ib);
	c = dev ? pmem_map_file(dev, 0, 0, 0, &lc, &ic) : NULL;
	check("multi", "map", a && b && (c || !dev), "%p %p %p", a, b, c);
	if (!a || !b || (dev && !c))
		return;
	check("multi", "is_pmem", pmem_is_pmem(a, la) == 1 &&
		pmem_is_pmem(b, lb) == 0 && (!c || pmem_is_pmem(c, lc) == 1),
		"fsdax %d tmpfs %d devdax %d", pmem_is_pmem(a, la),
		pmem_is_pmem(b, lb), c ? pmem_is_pmem(c, lc) : -1);
	if (c) {
		char *lo = a < c ? a : c, *hi = a < c ? c + lc : a + la;

		/* between two mappings lies memory nobody registered */
		check("multi", "is_pmem_span", (a + la == c || c + lc == a) ?
			pmem_is_pmem(lo, (size_t)(hi - lo)) == 1 :
			pmem_is_pmem(lo, (size_t)(hi - lo)) == 0,
			"span over fsdax and devdax mappings: %d (adjacent %d)",
			pmem_is_pmem(lo, (size_t)(hi - lo)),
			a + la == c || c + lc == a);
		pmem_unmap(c, lc);
		check("multi", "after_unmap", pmem_is_pmem(a, la) == 1 &&
			pmem_is_pmem(c, lc) == 0, "fsdax %d devdax %d",
			pmem_is_pmem(a, la), pmem_is_pmem(c, lc));
	}
	pmem_unmap(a, la);
	pmem_unmap(b, lb);
	unlink(pa);
	unlink(pb);
}

/* A few stores through the public API so that a debug log shows them. */
static void
do_flushlog(const char *dir)
{
	char path[512];
	size_t len = 0;
	int is_pmem = 0;
	char *p;

	snprintf(path, sizeof(path), "%s/flushlog", dir);
	p = pmem_map_file(path, 2 * MIB, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem);
	check("flushlog", "map", p != NULL && is_pmem == 1, "is_pmem %d",
		is_pmem);
	if (!p)
		return;
	memset(p, 1, 4096);
	pmem_persist(p, 4096);
	pmem_memset_persist(p, 2, 65536);
	pmem_unmap(p, len);
	unlink(path);
}

/*
 * Zeroes the first and last 4 MiB of a Device DAX with plain mmap (no
 * libpmem involved), so that a pool created there finds no stale data.
 */
static int
zero_devdax(const char *dev)
{
	size_t size = devdax_attr(dev, "size"), n = 4 * MIB;
	int fd = open(dev, O_RDWR);
	char *p;

	if (fd < 0 || size < 2 * n)
		return 1;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return 1;
	memset(p, 0, n);
	memset(p + size - n, 0, n);
	msync(p, size, MS_SYNC);
	munmap(p, size);
	return 0;
}

static void
print_lib(void)
{
	Dl_info info;

	if (dladdr((void *)pmem_map_file, &info) && info.dli_fname)
		printf("INFO lib %s\n", info.dli_fname);
}

static void
usage(void)
{
	fprintf(stderr, "usage: dax_test [-d dfdir] [-a autoflush] "
		"[-f label:dir:region]... [-x label:dev:region]... "
		"[-n label:dir] [-y label:devdax] [-m] [-k slot] [-l dir] | "
		"-z devdax\n");
	exit(2);
}

/* Splits "a:b:c" in place into up to 3 fields. */
static int
split3(char *s, char **f)
{
	int n = 0;

	f[0] = f[1] = f[2] = NULL;
	for (char *tok = strtok(s, ":"); tok && n < 3; tok = strtok(NULL, ":"))
		f[n++] = tok;
	return n;
}

/* the places a run tests: label:path[:region] after -f, -x or -n */
static const struct target {
	int opt;
	int fields;
	void (*test)(const char *label, const char *path, const char *region);
} Targets[] = {
	{ 'f', 3, test_fsdax },		/* a directory on fs-dax */
	{ 'x', 3, test_devdax },	/* a devdax character device */
	{ 'n', 2, test_nondax },	/* a directory on tmpfs */
	{ 'y', 2, test_devdax_kernels },	/* devdax, copies only */
};
#define NTARGETS (sizeof(Targets) / sizeof(Targets[0]))

/* the target of opt on arg; the first path of each kind kept in first[] */
static void
run_target(int opt, char *arg, char *first[NTARGETS])
{
	char *f[3];

	for (size_t i = 0; i < NTARGETS; i++) {
		if (Targets[i].opt != opt)
			continue;
		if (split3(arg, f) != Targets[i].fields)
			usage();
		Targets[i].test(f[0], f[1], f[2]);
		if (!first[i])
			first[i] = strdup(f[1]);
	}
}

int
main(int argc, char *argv[])
{
	char *first[NTARGETS] = { NULL };
	int opt, multi = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	print_lib();
	if (argc == 3 && strcmp(argv[1], "-z") == 0)
		return zero_devdax(argv[2]);
	while ((opt = getopt(argc, argv, "d:a:f:x:n:y:mk:l:")) != -1) {
		trace(argv[optind - 1]);
		switch (opt) {
		case 'd':
			df_init(optarg);
			break;
		case 'a':
			value("auto_flush", "value", "%d",
				pmem_has_auto_flush());
			check("auto_flush", "value",
				pmem_has_auto_flush() == atoi(optarg),
				"pmem_has_auto_flush() = %d, want %s",
				pmem_has_auto_flush(), optarg);
			break;
		case 'f':
		case 'x':
		case 'n':
		case 'y':
			run_target(opt, optarg, first);
			break;
		case 'm':
			multi = 1;
			break;
		case 'k':
			Mark_slot = atoi(optarg);
			break;
		case 'l':
			do_flushlog(optarg);
			break;
		default:
			usage();
		}
	}
	/* the first fs-dax directory, devdax device and tmpfs directory */
	if (multi && first[0])
		test_multi(first[0], first[1], first[2] ? first[2] : "/tmp");
	trace("end");
	return Bad;
}

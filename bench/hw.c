/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU description and the library-free kernels that measure what the
 * hardware can do: streaming stores, copy loops, cache-line write-back.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/*
 * The write-back instruction the kernels use: a fact of the machine that
 * cpu_detect() sets once, kept here because the kernels run through
 * loop_func and get no struct cpu.
 */
static enum flush_kind hw_flush_kind = FLUSH_CLFLUSH;

static void
cpu_model(struct cpu *c)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(c->model, sizeof(c->model), "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) != 0 || colon == NULL)
			continue;
		snprintf(c->model, sizeof(c->model), "%s", colon + 2);
		c->model[strcspn(c->model, "\n")] = '\0';
		break;
	}
	fclose(f);
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

static uint64_t
xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * The CPUID bit alone is not enough for vector registers: the OS must also
 * save their state (XCR0), or the first wide instruction faults.
 */
static void
cpu_features(struct cpu *c)
{
	unsigned a, b, cx, d;
	int osxsave, ymm_os = 0, zmm_os = 0;

	memset(c, 0, sizeof(*c));
	cpu_model(c);
	c->x86 = 1;
	if (!__get_cpuid(1, &a, &b, &cx, &d))
		return;
	c->family = (a >> 8) & 0xf;
	c->model_no = (a >> 4) & 0xf;
	if (c->family == 0xf)
		c->family += (a >> 20) & 0xff;
	if (c->family == 0x6 || c->family >= 0xf)
		c->model_no |= ((a >> 16) & 0xf) << 4;
	osxsave = (cx >> 27) & 1;
	if (osxsave) {
		uint64_t xcr0 = xgetbv0();

		ymm_os = (xcr0 & 0x6) == 0x6;
		zmm_os = (xcr0 & 0xe6) == 0xe6;
	}
	if (!__get_cpuid_count(7, 0, &a, &b, &cx, &d))
		return;
	c->avx2 = ymm_os && ((b >> 5) & 1);
	c->avx512f = zmm_os && ((b >> 16) & 1);
	c->erms = (b >> 9) & 1;
	c->clflushopt = (b >> 23) & 1;
	c->clwb = (b >> 24) & 1;
	c->fsrm = (d >> 4) & 1;
	c->movdir64b = (cx >> 28) & 1;
	if (c->clwb)
		hw_flush_kind = FLUSH_CLWB;
	else if (c->clflushopt)
		hw_flush_kind = FLUSH_CLFLUSHOPT;
}

#else
/* Elsewhere the benchmark still compares the libraries, with no limits. */
static void
cpu_features(struct cpu *c)
{
	memset(c, 0, sizeof(*c));
	cpu_model(c);
}
#endif

/*
 * "intel-xeon-platinum-8480-avx512-movdir64b": the model's words without
 * trademarks and filler, then the features that change the library's
 * choices; names the file a report of this machine is kept in
 * (bench/results/). A model name with no number in it (VMs show "AMD
 * EPYC" or "Intel Xeon Processor" for every generation) gets the CPUID
 * family and model too: "amd-epyc-f26m2-avx512" (Intel's family 6 holds
 * all its generations).
 */
void
cpu_slug(const struct cpu *c, char *buf, size_t len)
{
	static const char *const skip[] = { "(r)", "(tm)", "processor",
		"cpu", "core", NULL };
	char model[sizeof(c->model)], *tok, *save = NULL;
	size_t n = 0, i;
	int numbered = 0;

	for (i = 0; c->model[i] != '\0'; i++)
		model[i] = (char)tolower((unsigned char)c->model[i]);
	model[i] = '\0';
	buf[0] = '\0';
	for (tok = strtok_r(model, " -_", &save); tok != NULL;
			tok = strtok_r(NULL, " -_", &save)) {
		for (i = 0; skip[i] != NULL; i++) {
			char *m;

			while ((m = strstr(tok, skip[i])) != NULL)
				memmove(m, m + strlen(skip[i]),
					strlen(m + strlen(skip[i])) + 1);
		}
		if (strchr(tok, '@') != NULL)	/* the clock follows */
			break;
		if (tok[0] == '\0')
			continue;
		for (i = 0; tok[i] != '\0'; i++) {
			numbered |= isdigit((unsigned char)tok[i]) != 0;
			if (!isalnum((unsigned char)tok[i]))
				tok[i] = '-';
		}
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			n ? "-" : "", tok);
	}
	if (n == 0)
		n = (size_t)snprintf(buf, len, "cpu");
	if (!numbered && c->family && n < len)
		n += (size_t)snprintf(buf + n, len - n, "-f%um%u", c->family,
			c->model_no);
	if (n < len)
		snprintf(buf + n, len - n, "%s%s", c->avx512f ? "-avx512" :
			c->avx2 ? "-avx2" : "", c->movdir64b ? "-movdir64b" :
			"");
}

const char *
hw_flush_name(void)
{
	static const char *const names[] = {
		[FLUSH_CLWB] = "clwb",
		[FLUSH_CLFLUSHOPT] = "clflushopt",
		[FLUSH_CLFLUSH] = "clflush",
	};
	return names[hw_flush_kind];
}

/* Prefers sysfs: some hypervisors make sysconf() report a made-up L3. */
static size_t
llc_size(void)
{
	size_t best = 0;
	char path[128], buf[64];
	int i;

	for (i = 0; i < 8; i++) {
		FILE *f;
		unsigned long v;
		char unit = 0;

		snprintf(path, sizeof(path),
			"/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		f = fopen(path, "r");
		if (f == NULL)
			break;
		if (fgets(buf, sizeof(buf), f) != NULL &&
				sscanf(buf, "%lu%c", &v, &unit) >= 1) {
			if (unit == 'K')
				v <<= 10;
			else if (unit == 'M')
				v <<= 20;
			if (v > best)
				best = v;
		}
		fclose(f);
	}
	if (best == 0) {
		long v = sysconf(_SC_LEVEL3_CACHE_SIZE);

		best = v > 0 ? (size_t)v : 32u << 20;
	}
	return best;
}

/*
 * Our library run as a program reports the CPU it found: "CPU (x86_64,
 * Intel): clflush yes, ..." and "CPU model: family 6 model 207,
 * last-level cache 266240 KiB (CPUID)". The bench sizes its cold buffers
 * by that cache figure, so the library and its benchmark agree on it.
 */
static void
cpu_from_lib(struct cpu *c, const char *ours)
{
	static const struct envlist none;
	char *text, *line, *save = NULL;
	const char *p;
	unsigned long kib;

	if (ours == NULL || (text = lib_describe(ours, &none, NULL)) == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL;
			line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " ");
		if (strncmp(line, "CPU model: ", 11) == 0) {
			snprintf(c->lib_model, sizeof(c->lib_model), "%s",
				line + 11);
			p = strstr(line, "last-level cache ");
			if (p != NULL && sscanf(p, "last-level cache %lu KiB",
					&kib) == 1 && kib > 0)
				c->llc = (size_t)kib << 10;
		} else if (strncmp(line, "CPU (", 5) == 0) {
			snprintf(c->lib_cpu, sizeof(c->lib_cpu), "%s",
				line + 4);
		}
	}
	free(text);
}

/*
 * ours: our libpmem, whose report gives the cache size; NULL or a library
 * that does not report it falls back to sysfs. The feature flags stay
 * CPUID's: they decide which hardware kernels can run here.
 */
void
cpu_detect(struct cpu *c, const char *ours)
{
	cpu_features(c);
	cpu_from_lib(c, ours);
	c->llc_from = "libpmem";
	if (c->llc == 0) {
		c->llc = llc_size();
		c->llc_from = "sysfs: libpmem did not report it";
	}
}

/* One store per cache line (and the last byte) makes every line dirty. */
void
hw_dirty(char *p, size_t len, unsigned v)
{
	volatile char *q = p;
	size_t off;

	for (off = 0; off < len; off += CACHELINE)
		q[off] = (char)v;
	if (len)
		q[len - 1] = (char)v;
}

#if defined(__x86_64__)
void
hw_flush_range(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(CACHELINE - 1);
	uintptr_t end = (uintptr_t)p + len;

	switch (hw_flush_kind) {
	case FLUSH_CLWB:
		for (; a < end; a += CACHELINE)
			__asm__ volatile("clwb %0" : "+m"(*(volatile char *)a));
		break;
	case FLUSH_CLFLUSHOPT:
		for (; a < end; a += CACHELINE)
			__asm__ volatile("clflushopt %0"
				: "+m"(*(volatile char *)a));
		break;
	case FLUSH_CLFLUSH:
		for (; a < end; a += CACHELINE)
			__asm__ volatile("clflush %0"
				: "+m"(*(volatile char *)a));
		break;
	}
}

void
hw_sfence(void)
{
	__asm__ volatile("sfence" ::: "memory");
}

/*
 * Bytes the vector loops leave over go out as ordinary stores plus a
 * flush: s's for a copy, c's for a fill.
 */
static inline __attribute__((always_inline)) void
nt_bytes(char *d, const char *s, size_t off, int c, size_t n, int copy)
{
	if (n == 0)
		return;
	if (copy)
		memcpy(d + off, s + off, n);
	else
		memset(d + off, c, n);
	hw_flush_range(d + off, n);
}

/* 8 bytes with a streaming store */
static inline __attribute__((always_inline)) void
nt_word(char *d, const char *s, size_t off, int c, int copy)
{
	long long v = (long long)(0x0101010101010101ULL * (uint8_t)c);

	if (copy)
		memcpy(&v, s + off, sizeof(v));
	_mm_stream_si64((long long *)(d + off), v);
}

/* the streaming fills and copies, hw_nt{store,copy}_<width> */
#define NT_SUFFIX avx2
#define NT_TARGET "avx2"
#define NT_VEC __m256i
#define NT_LOAD(p) _mm256_loadu_si256((const __m256i *)(p))
#define NT_SPLAT(c) _mm256_set1_epi8((char)(c))
#define NT_STREAM(p, v) _mm256_stream_si256((__m256i *)(p), (v))
#include "nt_template.h"

#define NT_SUFFIX avx512
#define NT_TARGET "avx512f"
#define NT_VEC __m512i
#define NT_LOAD(p) _mm512_loadu_si512(p)
#define NT_SPLAT(c) _mm512_set1_epi32((int)(0x01010101U * (uint8_t)(c)))
#define NT_STREAM(p, v) _mm512_stream_si512((__m512i *)(p), (v))
#include "nt_template.h"

void
hw_stosb_flush(void *dst, int c, size_t len)
{
	void *d = dst;
	size_t n = len;

	__asm__ volatile("rep stosb"
		: "+D"(d), "+c"(n) : "a"(c) : "memory");
	hw_flush_range(dst, len);
	hw_sfence();
}

void
hw_movsb(void *dst, const void *src, size_t len)
{
	__asm__ volatile("rep movsb"
		: "+D"(dst), "+S"(src), "+c"(len) : : "memory");
}

void
hw_movsb_flush(void *dst, const void *src, size_t len)
{
	hw_movsb(dst, src, len);
	hw_flush_range(dst, len);
	hw_sfence();
}

/* Caller guarantees a 64-byte aligned destination and whole lines. */
__attribute__((target("movdir64b"))) void
hw_movdir64b(void *dst, const void *src, size_t len)
{
	char *d = dst;
	const char *s = src;

	for (; len >= 64; len -= 64, d += 64, s += 64)
		_movdir64b(d, s);
	_mm_sfence();
}
#else
/* never called: lim_available(bn) reports none of them */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define NO_KERNEL(proto) proto { abort(); }
NO_KERNEL(void hw_flush_range(const void *p, size_t len))
NO_KERNEL(void hw_sfence(void))
NO_KERNEL(void hw_ntstore_avx2(void *dst, int c, size_t len))
NO_KERNEL(void hw_ntstore_avx512(void *dst, int c, size_t len))
NO_KERNEL(void hw_stosb_flush(void *dst, int c, size_t len))
NO_KERNEL(void hw_movsb(void *dst, const void *src, size_t len))
NO_KERNEL(void hw_movsb_flush(void *dst, const void *src, size_t len))
NO_KERNEL(void hw_ntcopy_avx2(void *dst, const void *src, size_t len))
NO_KERNEL(void hw_ntcopy_avx512(void *dst, const void *src, size_t len))
NO_KERNEL(void hw_movdir64b(void *dst, const void *src, size_t len))
#endif

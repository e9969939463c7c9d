/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPUID and XGETBV decoding. A vector ISA counts only when the OS also
 * saves its registers (XCR0); the reference skips that check, which can
 * fault under hypervisors that hide AVX state. compat: documented deviation.
 */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>

#include "cpu.h"
#include "out.h"
#include "util.h"

/* leaf 1 */
#define EDX_CLFLUSH	(1u << 19)
#define ECX_OSXSAVE	(1u << 27)
#define ECX_AVX		(1u << 28)
/* leaf 7, subleaf 0 */
#define EBX_AVX512F	(1u << 16)
#define EBX_CLFLUSHOPT	(1u << 23)
#define EBX_CLWB	(1u << 24)
#define ECX_MOVDIR64B	(1u << 28)
/* leaf 0x80000001: the 0x8000001D cache leaf exists */
#define ECX_TOPOEXT	(1u << 22)
/* XCR0 state components */
#define XCR0_SSE_AVX	0x06u	/* XMM, YMM */
#define XCR0_AVX512	0xe0u	/* opmask, ZMM_Hi256, Hi16_ZMM */

static uint64_t
read_xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static force_inline enum cpu_vendor
read_vendor(unsigned *max_leaf)
{
	unsigned b, c, d;
	char vendor[13];

	if (!__get_cpuid(0, max_leaf, &b, &c, &d))
		return VENDOR_OTHER;
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	LOG(4, "CPU vendor: %s", vendor);
	if (strcmp(vendor, "GenuineIntel") == 0)
		return VENDOR_INTEL;
	if (strcmp(vendor, "AuthenticAMD") == 0)
		return VENDOR_AMD;
	return VENDOR_OTHER;
}

/*
 * The largest data or unified cache of the highest level that the
 * deterministic cache leaf lists: leaf 4 on Intel, 0x8000001D on AMD
 * (both have the same layout). sysfs is only a cross-check of this
 * (init.c): some VMs have no cache directory there at all.
 */
static force_inline size_t
read_llc(unsigned leaf)
{
	size_t best = 0;
	unsigned best_level = 0;

	for (unsigned i = 0; i < 16; i++) {
		unsigned a, b, c, d;

		__cpuid_count(leaf, i, a, b, c, d);
		unsigned type = a & 0x1f, level = (a >> 5) & 7;

		if (type == 0)
			break;
		if (type == 2 || level < best_level)	/* instructions */
			continue;
		best_level = level;
		best = (size_t)((b >> 22) + 1) * (((b >> 12) & 0x3ff) + 1) *
			((b & 0xfff) + 1) * ((size_t)c + 1);
	}
	return best;
}

static force_inline void
read_model(struct cpu_model *m, unsigned max_leaf, unsigned eax1)
{
	unsigned a, b, c, d, max_ext = 0;
	unsigned base = (eax1 >> 8) & 0xf;

	m->family = base + (base == 0xf ? (eax1 >> 20) & 0xff : 0);
	m->model = ((eax1 >> 4) & 0xf) |
		(base == 0x6 || base == 0xf ? ((eax1 >> 16) & 0xf) << 4 : 0);
	m->llc_size = 0;
	if (__get_cpuid(0x80000000, &max_ext, &b, &c, &d) == 0)
		max_ext = 0;
	if (m->vendor == VENDOR_INTEL && max_leaf >= 4) {
		m->llc_size = read_llc(4);
	} else if (m->vendor == VENDOR_AMD && max_ext >= 0x8000001d &&
			__get_cpuid(0x80000001, &a, &b, &c, &d) &&
			(c & ECX_TOPOEXT)) {
		m->llc_size = read_llc(0x8000001d);
	}
	LOG(4, "CPU family %u model %u, last-level cache %zu bytes "
		"(CPUID)", m->family, m->model, m->llc_size);
}

unsigned
cpu_features(struct cpu_model *model)
{
	unsigned a, b, c, d, f = 0, max_leaf = 0;
	uint64_t xcr0 = 0;
	enum cpu_vendor vendor = read_vendor(&max_leaf);

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	if (model != NULL) {
		model->vendor = vendor;
		read_model(model, max_leaf, a);
	}
	if (d & EDX_CLFLUSH)
		f |= CPU_CLFLUSH;
	if (c & ECX_OSXSAVE)
		xcr0 = read_xcr0();
	int avx_os = (xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX;
	int avx512_os = avx_os && (xcr0 & XCR0_AVX512) == XCR0_AVX512;

	if ((c & ECX_AVX) && avx_os)
		f |= CPU_AVX;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if (b & EBX_CLFLUSHOPT)
			f |= CPU_CLFLUSHOPT;
		if (b & EBX_CLWB)
			f |= CPU_CLWB;
		if ((b & EBX_AVX512F) && avx512_os)
			f |= CPU_AVX512F;
		if (c & ECX_MOVDIR64B)
			f |= CPU_MOVDIR64B;
	}
	if (vendor == VENDOR_INTEL)
		f |= CPU_INTEL;
	LOG(4, "features: clflush %d clflushopt %d clwb %d avx %d "
		"avx512f %d movdir64b %d", !!(f & CPU_CLFLUSH),
		!!(f & CPU_CLFLUSHOPT), !!(f & CPU_CLWB), !!(f & CPU_AVX),
		!!(f & CPU_AVX512F), !!(f & CPU_MOVDIR64B));
	return f;
}

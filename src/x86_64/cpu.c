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

/* leaf 1 */
#define EDX_CLFLUSH	(1u << 19)
#define ECX_OSXSAVE	(1u << 27)
#define ECX_AVX		(1u << 28)
/* leaf 7, subleaf 0 */
#define EBX_AVX512F	(1u << 16)
#define EBX_CLFLUSHOPT	(1u << 23)
#define EBX_CLWB	(1u << 24)
#define ECX_MOVDIR64B	(1u << 28)
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

static int
is_intel(void)
{
	unsigned a, b, c, d;
	char vendor[13];

	if (!__get_cpuid(0, &a, &b, &c, &d))
		return 0;
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	LOG(4, "CPU vendor: %s", vendor);
	return strcmp(vendor, "GenuineIntel") == 0;
}

unsigned
cpu_features(void)
{
	unsigned a, b, c, d, f = 0;
	uint64_t xcr0 = 0;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
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
	if (is_intel())
		f |= CPU_INTEL;
	LOG(4, "features: clflush %d clflushopt %d clwb %d avx %d "
		"avx512f %d movdir64b %d", !!(f & CPU_CLFLUSH),
		!!(f & CPU_CLFLUSHOPT), !!(f & CPU_CLWB), !!(f & CPU_AVX),
		!!(f & CPU_AVX512F), !!(f & CPU_MOVDIR64B));
	return f;
}

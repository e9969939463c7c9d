/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Prints the last-level data cache size CPUID reports (leaf 4 on Intel,
 * 0x8000001D on AMD), 0 when it has none: the matrix oracle's own reading,
 * written apart from the library's.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

int
main(void)
{
	unsigned a, b, c, d, leaf = 0, level = 0;
	unsigned long long size = 0;
	char vendor[13] = "";

	__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	if (strcmp(vendor, "GenuineIntel") == 0 && a >= 4) {
		leaf = 4;
	} else if (strcmp(vendor, "AuthenticAMD") == 0) {
		__cpuid(0x80000000, a, b, c, d);
		if (a >= 0x8000001d) {
			__cpuid(0x80000001, a, b, c, d);
			if (c & (1u << 22))
				leaf = 0x8000001d;
		}
	}
	for (unsigned i = 0; leaf && i < 16; i++) {
		__cpuid_count(leaf, i, a, b, c, d);
		if ((a & 31) == 0)
			break;
		if ((a & 31) == 2 || ((a >> 5) & 7) < level)
			continue;
		level = (a >> 5) & 7;
		size = (unsigned long long)((b >> 22) + 1) *
			(((b >> 12) & 1023) + 1) * ((b & 4095) + 1) * (c + 1ULL);
	}
	printf("%llu\n", size);
	return 0;
}

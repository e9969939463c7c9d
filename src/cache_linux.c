/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The size of the last-level cache as sysfs describes it for CPU 0: the
 * copy path uses it to tell moves that can stay in the cache from moves
 * that cannot. sysfs rather than sysconf: in virtual machines glibc's
 * CPUID-based figure can be the whole chip's (256 MiB where the guest's
 * cores share 32 MiB).
 */
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "platform_linux.h"

#define CACHE_DIR "/sys/devices/system/cpu/cpu0/cache"

/* "32768K", "16M": bytes, 0 if unreadable */
static size_t
parse_size(const char *s)
{
	unsigned long long v;
	char unit = '\0';

	if (sscanf(s, "%llu%c", &v, &unit) < 1)
		return 0;
	switch (unit) {
	case 'K': return (size_t)v << 10;
	case 'M': return (size_t)v << 20;
	case 'G': return (size_t)v << 30;
	case '\0': return (size_t)v;
	default: return 0;
	}
}

size_t
plat_llc_size(void)
{
	size_t best = 0;
	unsigned best_level = 0;

	for (unsigned i = 0; i < 16; i++) {
		char path[128], buf[64];
		unsigned level;

		snprintf(path, sizeof(path), CACHE_DIR "/index%u/type", i);
		if (sysfs_read(path, buf, sizeof(buf)) < 0)
			break;
		if (strcmp(buf, "Instruction") == 0)
			continue;
		snprintf(path, sizeof(path), CACHE_DIR "/index%u/level", i);
		if (sysfs_read(path, buf, sizeof(buf)) < 0 ||
				sscanf(buf, "%u", &level) != 1 ||
				level < best_level)
			continue;
		snprintf(path, sizeof(path), CACHE_DIR "/index%u/size", i);
		if (sysfs_read(path, buf, sizeof(buf)) < 0)
			continue;
		best_level = level;
		best = parse_size(buf);
	}
	return best;
}

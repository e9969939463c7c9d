/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Zicbom detection on Linux: riscv_hwprobe(2), else the ISA string of
 * /proc/cpuinfo, else absent; the block size from hwprobe, else the
 * device tree's riscv,cbom-block-size, else 64.
 */
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu.h"
#include "flush.h"
#include "out.h"
#include "platform_linux.h"

/* the kernel ABI (asm/hwprobe.h), for headers that predate it */
#ifndef __NR_riscv_hwprobe
#define __NR_riscv_hwprobe 258
#endif
#define HWPROBE_KEY_IMA_EXT_0 4
#define HWPROBE_EXT_ZICBOM (1ULL << 55)
#define HWPROBE_KEY_ZICBOM_BLOCK_SIZE 12

#define DT_CBOM_BLOCK "/proc/device-tree/cpus/cpu@0/riscv,cbom-block-size"

struct hwprobe_pair {
	int64_t key;
	uint64_t value;
};

/*
 * One key for all harts; 0 and the value, or -1 when the kernel has no
 * hwprobe (before 6.4) or does not know the key (it sets key to -1).
 */
static int
hwprobe(int64_t key, uint64_t *value)
{
	struct hwprobe_pair p = { key, 0 };

	if (syscall(__NR_riscv_hwprobe, &p, 1, 0, NULL, 0) != 0 ||
			p.key != key)
		return -1;
	*value = p.value;
	return 0;
}

/*
 * "zicbom" as one of the '_'-separated extensions of the first hart's isa
 * line (its block of /proc/cpuinfo comes first, well within 4 KiB)
 */
static int
cpuinfo_has_zicbom(void)
{
	char buf[4096];
	ssize_t n = kernel_file_read("/proc/cpuinfo", buf, sizeof(buf) - 1);
	char *line, *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (line = buf; strncmp(line, "isa", 3) != 0; line = end + 1)
		if ((end = strchr(line, '\n')) == NULL)
			return 0;
	if ((end = strchr(line, '\n')) != NULL)
		*end = '\0';
	for (char *p = strstr(line, "_zicbom"); p; p = strstr(p + 1, "_zicbom"))
		if (p[7] == '_' || p[7] == ' ' || p[7] == '\t' || p[7] == '\0')
			return 1;
	return 0;
}

/*
 * Linux lets user mode run cbo.clean from 6.15 on, the release that
 * added the Zicbom bit and block-size key to hwprobe; a kernel that
 * answers hwprobe but not that key traps cbo.clean, so the CPU's ISA
 * string is consulted only where hwprobe is missing altogether (kernels
 * before 6.4: vendor kernels that enable it list it there).
 */
unsigned
cpu_features(struct cpu_source *src)
{
	uint64_t ext, block;

	if (hwprobe(HWPROBE_KEY_IMA_EXT_0, &ext) == 0) {
		src->zicbom = "riscv_hwprobe";
		if (hwprobe(HWPROBE_KEY_ZICBOM_BLOCK_SIZE, &block) != 0) {
			src->zicbom = "riscv_hwprobe of a kernel before 6.15, "
				"which keeps cbo.clean from user mode";
			return 0;
		}
		return (ext & HWPROBE_EXT_ZICBOM) ? CPU_ZICBOM : 0;
	}
	src->zicbom = "/proc/cpuinfo, riscv_hwprobe missing";
	return cpuinfo_has_zicbom() ? CPU_ZICBOM : 0;
}

/* the property is one big-endian 32-bit cell */
static size_t
dt_cbom_block(void)
{
	unsigned char b[4];

	if (kernel_file_read(DT_CBOM_BLOCK, b, sizeof(b)) != sizeof(b))
		return 0;
	return (size_t)b[0] << 24 | (size_t)b[1] << 16 | (size_t)b[2] << 8 |
		b[3];
}

static int
usable_block(uint64_t b)
{
	return b >= 16 && b <= 4096 && (b & (b - 1)) == 0;
}

size_t
cpu_cbom_block(struct cpu_source *src)
{
	uint64_t b;

	if (hwprobe(HWPROBE_KEY_ZICBOM_BLOCK_SIZE, &b) == 0 &&
			usable_block(b)) {
		src->block = "riscv_hwprobe";
		return (size_t)b;
	}
	b = dt_cbom_block();
	if (usable_block(b)) {
		src->block = "device tree";
		return (size_t)b;
	}
	src->block = "default";
	return CACHE_BLOCK_DEFAULT;
}

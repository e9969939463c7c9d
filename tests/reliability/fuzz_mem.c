/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness: the pmem mem* family (through the API, or any kernel
 * arch_kernels() lists that this CPU runs, called directly) against libc, with
 * random length, offsets, overlap, flags and fill byte; guard bytes around
 * the destination and ASan around the allocation catch stray accesses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "funcs.h"
#include "libpmem.h"
#include "../lib/kernel_list.h"

#define GUARD 64
#define CANARY 0xa5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int Plant;	/* RT_FUZZ_PLANT: the self-test's planted bug */

/* the listed kernels this CPU runs, copies and fills apart */
static memmove_func Moves[KL_MAX];
static memset_func Sets[KL_MAX];
static size_t Nmoves, Nsets;

static void
init(void)
{
	static struct kernel_set set;

	Plant = getenv("RT_FUZZ_PLANT") != NULL;
	kl_collect(&set, arch_cpu_features());
	for (size_t i = 0; i < set.n; i++) {
		if (set.k[i]->move)
			Moves[Nmoves++] = set.k[i]->move;
		else
			Sets[Nsets++] = set.k[i]->set;
	}
}

/* a listed kernel, or NULL (then the API is used) */
static const void *
pick_kernel(uint8_t sel, int set)
{
	size_t i = (size_t)(sel >> 1);

	if (!(sel & 1))
		return NULL;
	if (set)
		return Nsets ? (const void *)Sets[i % Nsets] : NULL;
	return Nmoves ? (const void *)Moves[i % Nmoves] : NULL;
}

static unsigned
api_flags(uint8_t b)
{
	unsigned f = b & 0x3f;	/* the six defined flags, any mix */

	if (b & 0x40)
		f |= 1u << 31;	/* an unknown bit: ignored */
	return f;
}

static void
do_op(int op, char *d, const char *s, int c, size_t n, unsigned fl,
	const void *kern)
{
	if (kern != NULL) {
		if (op % 3 == 2)
			((memset_func)kern)(d, c, n);
		else
			((memmove_func)kern)(d, s, n);
		pmem_drain();
		return;
	}
	switch (op) {
	case 0: pmem_memmove(d, s, n, fl); break;
	case 1: pmem_memcpy(d, s, n, fl); break;
	case 2: pmem_memset(d, c, n, fl); break;
	case 3: pmem_memmove_persist(d, s, n); break;
	case 4: pmem_memcpy_persist(d, s, n); break;
	case 5: pmem_memset_persist(d, c, n); break;
	case 6: pmem_memmove_nodrain(d, s, n); break;
	case 7: pmem_memcpy_nodrain(d, s, n); break;
	default: pmem_memset_nodrain(d, c, n); break;
	}
	pmem_drain();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;

	if (!inited) {
		init();
		inited = 1;
	}
	if (size < 11)
		return 0;
	int op = data[0] % 9;
	unsigned fl = api_flags(data[1]);
	int c = data[2];
	size_t n = (size_t)data[3] | (size_t)data[4] << 8;

	n <<= data[5] & 3;	/* up to 256 KiB */
	size_t doff = data[6], delta = data[7] + 1;
	int place = data[8] % 3;	/* apart, src below, src above */
	const void *kern = pick_kernel(data[9], op % 3 == 2);

	/* memcpy makes no promise for overlap; memset has no source */
	if (op % 3 != 0)
		place = 0;
	if (delta > n && place)
		delta = n ? n : 1;
	size_t span = place ? n + delta : n;
	size_t total = GUARD + doff + span + GUARD;
	char *buf = malloc(total), *want = malloc(total);
	char *src = malloc(n + 1);

	memset(buf, CANARY, total);
	for (size_t i = 0; i < n; i++)
		src[i] = (char)data[10 + i % (size - 10)] ^ (char)(i >> 8);
	/* with overlap the source lives in buf, filled from src first */
	size_t base = GUARD + doff, dpos = base, spos = base;

	if (place == 1)
		dpos += delta;	/* dst above src: walk down */
	else if (place == 2)
		spos += delta;	/* dst below src */
	if (place)
		memcpy(buf + spos, src, n);
	memcpy(want, buf, total);

	const char *s = place ? buf + spos : src;

	do_op(op, buf + dpos, s, c, n, fl, kern);
	if (Plant)
		buf[dpos + n] ^= 1;	/* self-test: a one-byte overrun */
	if (op % 3 == 2)
		memset(want + dpos, c, n);
	else
		memmove(want + dpos, place ? want + spos : src, n);
	/* the whole buffer: destination right, guards and source intact */
	if (memcmp(buf, want, total) != 0)
		abort();
	free(buf);
	free(want);
	free(src);
	return 0;
}

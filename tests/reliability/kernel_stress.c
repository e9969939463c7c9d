/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Drives the copy and fill kernels through the API over every small size
 * and destination offset, overlap in both directions and every flag,
 * inside guard pages: results are compared with libc on a shadow copy and
 * the bytes around the destination must stay untouched.
 *
 * Usage: kernel_stress [quick]   (quick: the sample valgrind can afford)
 *        kernel_stress plant-write|plant-read: a one-byte heap overflow
 *        inside the library, which an instrumented build must report
 */
#include "rtest.h"

#include <libpmem.h>

#include "../lib/guard.h"
#include "../lib/mem_flags.h"

static const unsigned Flags[] = {
	MEM_FLAG_SETS,
	PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_NOFLUSH,
	PMEM_F_MEM_WB | PMEM_F_MEM_WC,
	/* compat: unknown bits are ignored by release builds */
	1u << 31,
};
#define NFLAGS (sizeof(Flags) / sizeof(Flags[0]))

enum op {
	OP_MEMMOVE, OP_MEMCPY, OP_MEMSET, OP_MEMMOVE_PERSIST,
	OP_MEMCPY_PERSIST, OP_MEMSET_PERSIST, OP_MEMMOVE_NODRAIN,
	OP_MEMCPY_NODRAIN, OP_MEMSET_NODRAIN, OPS
};

/* placement of src relative to dst */
enum place { SEPARATE, SRC_BELOW, SRC_ABOVE, PLACES };

#define PAGE 4096
#define AREA (4u << 20)	/* each buffer: 4 MiB between two guard pages */

static char *Area[2];	/* [0] destination side, [1] separate source */
static char *Shadow[2];
static uint64_t Seed = 42;
static unsigned long Cases;

static void
randomize(int i)
{
	rnd_fill(&Seed, Area[i], AREA);
	memcpy(Shadow[i], Area[i], AREA);
}

static void
run_op(enum op op, char *d, const char *s, int c, size_t n, unsigned fl)
{
	void *r;

	switch (op) {
	case OP_MEMMOVE: r = pmem_memmove(d, s, n, fl); break;
	case OP_MEMCPY: r = pmem_memcpy(d, s, n, fl); break;
	case OP_MEMSET: r = pmem_memset(d, c, n, fl); break;
	case OP_MEMMOVE_PERSIST: r = pmem_memmove_persist(d, s, n); break;
	case OP_MEMCPY_PERSIST: r = pmem_memcpy_persist(d, s, n); break;
	case OP_MEMSET_PERSIST: r = pmem_memset_persist(d, c, n); break;
	case OP_MEMMOVE_NODRAIN: r = pmem_memmove_nodrain(d, s, n); break;
	case OP_MEMCPY_NODRAIN: r = pmem_memcpy_nodrain(d, s, n); break;
	default: r = pmem_memset_nodrain(d, c, n); break;
	}
	if (fl & PMEM_F_MEM_NODRAIN || op >= OP_MEMMOVE_NODRAIN)
		pmem_drain();
	TL_CHECK(r == d, "op %d returned %p, not dst %p", op, r, (void *)d);
}

static int
is_set(enum op op)
{
	return op == OP_MEMSET || op == OP_MEMSET_PERSIST ||
		op == OP_MEMSET_NODRAIN;
}

/*
 * One call at dst offset doff (from a page start, or from the end when
 * at_end, so the last byte touches the guard page) with src placed by pl.
 */
static void
one_case(enum op op, size_t n, size_t doff, enum place pl, int at_end,
	unsigned fl)
{
	size_t dpos = at_end ? AREA - n - doff : doff + PAGE;
	size_t delta = n ? 1 + rnd_next(&Seed) % (n + 64) : 1;
	int sa = 0;
	size_t spos;
	int c = (int)(rnd_next(&Seed) & 0xff);

	/* memcpy promises nothing for overlap: keep it apart */
	if (op == OP_MEMCPY || op == OP_MEMCPY_PERSIST ||
			op == OP_MEMCPY_NODRAIN || is_set(op))
		pl = SEPARATE;
	switch (pl) {
	case SRC_BELOW:
		if (dpos < delta)
			delta = dpos;
		spos = dpos - delta;
		break;
	case SRC_ABOVE:
		if (dpos + delta + n > AREA)
			delta = AREA - dpos - n;
		spos = dpos + delta;
		break;
	default:
		sa = 1;
		spos = at_end ? AREA - n - rnd_next(&Seed) % 64 :
			rnd_next(&Seed) % 64;
		break;
	}
	char *d = Area[0] + dpos, *s = Area[sa] + spos;

	run_op(op, d, s, c, n, fl);
	if (is_set(op))
		memset(Shadow[0] + dpos, c, n);
	else
		memmove(Shadow[0] + dpos, Shadow[sa] + spos, n);
	Cases++;

	/* the destination and 256 bytes either side */
	size_t lo = dpos > 256 ? dpos - 256 : 0;
	size_t hi = dpos + n + 256 < AREA ? dpos + n + 256 : AREA;

	if (memcmp(Area[0] + lo, Shadow[0] + lo, hi - lo) != 0) {
		size_t k = lo;

		while (Area[0][k] == Shadow[0][k])
			k++;
		tl_fail("op %d len %zu dst+%zu%s src %s flags 0x%x: first "
			"wrong byte at dst%+ld", op, n, doff,
			at_end ? " (at end)" : "",
			pl == SEPARATE ? "apart" : pl == SRC_BELOW ?
			"below" : "above", fl, (long)k - (long)dpos);
		memcpy(Area[0] + lo, Shadow[0] + lo, hi - lo);
	}
	if (sa)
		TL_CHECK(memcmp(Area[1] + spos, Shadow[1] + spos, n) == 0,
			"source modified");
}

static void
small_sizes(size_t maxlen, size_t off_step)
{
	unsigned k = 0;

	for (size_t n = 0; n <= maxlen; n++) {
		for (size_t off = 0; off < 64; off += off_step) {
			for (int op = 0; op < OPS; op++, k++) {
				unsigned fl = Flags[k % NFLAGS];
				enum place pl = (enum place)(k % PLACES);

				one_case((enum op)op, n, off, pl, (k / 7) & 1,
					fl);
			}
		}
	}
}

static void
large_sizes(int quick)
{
	static const size_t sizes[] = {
		2047, 2048, 2049, 4095, 4096, 4097, 8191, 16384 + 17,
		65535, 65536, 65537, 131072 + 63, 262144 + 1, 1 << 20,
		(1 << 20) + 4097, (3 << 20) + 7,
	};
	size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);
	unsigned k = 0;

	for (size_t i = 0; i < nsizes; i++) {
		if (quick && sizes[i] > 70000)
			break;
		for (size_t f = 0; f < NFLAGS; f++) {
			for (int op = 0; op < OPS; op++, k++) {
				if (op > OP_MEMSET && f > 0)
					continue;
				one_case((enum op)op, sizes[i], k * 7 % 64,
					(enum place)(k % PLACES), k & 1,
					Flags[f]);
			}
		}
	}
}

/* the self-test of the tools: the bad access happens in a kernel */
static int
plant(const char *what)
{
	char *a = malloc(100), *b = malloc(200);

	memset(b, 1, 200);
	memset(a, 1, 100);
	if (strcmp(what, "plant-write") == 0)
		pmem_memcpy_persist(a, b, 101);
	else
		pmem_memcpy_persist(b, a, 101);
	printf("planted overflow done: %d %d\n", a[0], b[0]);
	free(a);
	free(b);
	return 0;
}

int
main(int argc, char *argv[])
{
	int quick = argc > 1 && strcmp(argv[1], "quick") == 0;

	if (argc > 1 && strncmp(argv[1], "plant-", 6) == 0)
		return plant(argv[1]);

	for (int i = 0; i < 2; i++) {
		Area[i] = guard_alloc(AREA);
		Shadow[i] = malloc(AREA);
		if (Shadow[i] == NULL)
			tl_die("malloc");
		randomize(i);
	}
	if (quick)
		small_sizes(300, 5);
	else
		small_sizes(1100, 1);
	large_sizes(quick);
	for (int i = 0; i < 2; i++)
		TL_CHECK(memcmp(Area[i], Shadow[i], AREA) == 0,
			"stray write somewhere in buffer %d", i);
	printf("kernel_stress: %lu cases, %lu failures\n", Cases,
		tl_failures());
	return tl_failures() ? 1 : 0;
}

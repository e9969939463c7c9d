/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The timed operations: one tight loop per operation (the same code runs
 * for both libraries) and a one-off correctness check of each.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* the read cases store their sum here so the loads are not dropped */
static volatile int Sink;

enum op_id {
	OP_MEMCPY_PERSIST,
	OP_MEMMOVE_UP,
	OP_MEMMOVE_DOWN,
	OP_MEMSET_PERSIST,
	OP_MEMCPY_NODRAIN,
	OP_MEMCPY_NT,
	OP_MEMCPY_T,
	OP_PERSIST,
	OP_FLUSH_DRAIN,
	OP_MEMCPY_READ,
	OP_MEMMOVE_HOT,
	OP_MEMMOVE_UP_D8,
	OP_MEMMOVE_DOWN_D8,
	OP_MEMMOVE_UP_D4K,
	OP_MEMMOVE_DOWN_D4K,
	OP_MEMMOVE_UP_D64K,
	OP_MEMMOVE_DOWN_D64K,
	OP_MEMMOVE_UP_QUARTER,
	OP_MEMMOVE_DOWN_QUARTER,
	OP_MEMMOVE_UP_HALF,
	OP_MEMMOVE_DOWN_HALF,
	OP_IS_PMEM_1,
	OP_IS_PMEM_1000,
	OP_MAP_UNMAP,
};

/* The destination sits above the source when dst_above, below it otherwise. */
static inline void
move_addrs(const struct bcase *c, int dst_above, char **d, char **s)
{
	char *base = slot_of(c->dst, c);

	if (dst_above) {
		*s = base;
		*d = base + c->shift + c->mis;
	} else {
		*d = base + c->mis;
		*s = base + c->shift;
	}
}

#define DST(c) (slot_of((c)->dst, (c)) + (c)->mis)
#define SRC(c) (slot_of((c)->src, (c)))

static void
loop_memcpy_persist(const struct lib *l, struct bcase *c, unsigned k)
{
	while (k--) {
		l->memcpy_persist(DST(c), SRC(c), c->size);
		next_slot(c);
	}
}

/*
 * Explicit flags name the two strategies an unflagged overlapping move
 * chooses between (choices.c); the branch is the same for both sides.
 */
static inline void *
move(const struct lib *l, const struct bcase *c, char *d, const char *s)
{
	if (c->flags)
		return l->memmove_flags(d, s, c->size, c->flags);
	return l->memmove_persist(d, s, c->size);
}

/* the two directions' loop, each specialised by inlining */
static inline void
loop_move(const struct lib *l, struct bcase *c, unsigned k, int dst_above)
{
	char *d, *s;

	while (k--) {
		move_addrs(c, dst_above, &d, &s);
		move(l, c, d, s);
		next_slot(c);
	}
}

static void
loop_memmove_up(const struct lib *l, struct bcase *c, unsigned k)
{
	loop_move(l, c, k, 1);
}

static void
loop_memmove_down(const struct lib *l, struct bcase *c, unsigned k)
{
	loop_move(l, c, k, 0);
}

static void
loop_memset_persist(const struct lib *l, struct bcase *c, unsigned k)
{
	while (k--) {
		l->memset_persist(DST(c), (int)(c->iter++ & 0xff), c->size);
		next_slot(c);
	}
}

static void
loop_memcpy_nodrain(const struct lib *l, struct bcase *c, unsigned k)
{
	while (k--) {
		l->memcpy_nodrain(DST(c), SRC(c), c->size);
		l->drain();
		next_slot(c);
	}
}

/* pmem_memcpy with flags, specialised by inlining */
static inline void
loop_memcpy_flags(const struct lib *l, struct bcase *c, unsigned k,
	unsigned flags)
{
	while (k--) {
		l->memcpy_flags(DST(c), SRC(c), c->size, flags);
		next_slot(c);
	}
}

static void
loop_memcpy_nt(const struct lib *l, struct bcase *c, unsigned k)
{
	loop_memcpy_flags(l, c, k, PMEM_F_MEM_NONTEMPORAL);
}

static void
loop_memcpy_t(const struct lib *l, struct bcase *c, unsigned k)
{
	loop_memcpy_flags(l, c, k, PMEM_F_MEM_TEMPORAL);
}

static void
loop_persist(const struct lib *l, struct bcase *c, unsigned k)
{
	while (k--) {
		hw_dirty(DST(c), c->size, c->iter++);
		l->persist(DST(c), c->size);
		next_slot(c);
	}
}

static void
loop_flush_drain(const struct lib *l, struct bcase *c, unsigned k)
{
	while (k--) {
		hw_dirty(DST(c), c->size, c->iter++);
		l->flush(DST(c), c->size);
		l->drain();
		next_slot(c);
	}
}

/*
 * A small record written, persisted and read back, as pool metadata is:
 * what streaming stores save on the write they can lose on the read,
 * since they leave the line out of the cache. This is the cost the
 * non-temporal threshold weighs (compare runs with --env-ours
 * PMEM_MOVNT_THRESHOLD=64).
 */
static void
loop_memcpy_read(const struct lib *l, struct bcase *c, unsigned k)
{
	int acc = 0;

	while (k--) {
		const volatile char *d = DST(c);

		l->memcpy_persist(DST(c), SRC(c), c->size);
		for (size_t off = 0; off < c->size; off += CACHELINE)
			acc += d[off];
		next_slot(c);
	}
	Sink = acc;
}

static void
loop_is_pmem(const struct lib *l, struct bcase *c, unsigned k)
{
	int acc = 0;

	while (k--) {
		acc += l->is_pmem(DST(c), c->size);
		next_slot(c);
	}
	Sink = acc;
}

static void
loop_map_unmap(const struct lib *l, struct bcase *c, unsigned k)
{
	while (k--) {
		size_t len;
		int is;
		void *a = l->map_file(c->path, 0, 0, 0, &len, &is);

		if (a == NULL) {
			fprintf(stderr, "pmembench: %s: pmem_map_file(%s) "
				"failed while timing: %s\n", l->name, c->path,
				l->errormsg());
			exit(1);
		}
		l->unmap(a, len);
	}
}

/* copy, set and flush operations: both alignments, counted in the geomean */
#define DATA_OP(id, nm, desc, fn, limit, ...) \
	[id] = { .name = nm, .what = desc, .loop = fn, .lim = limit, \
		.misalign = 1, .nmaps = -1, .summary = 1, .choice = 1, \
		__VA_ARGS__ }
/* moves at another overlap distance d: in the choices, not the geomean */
#define DIST_MOVE(id, nm, desc, fn, d, ...) \
	[id] = { .name = nm, .what = desc, .loop = fn, .lim = LIM_PCOPY, \
		.misalign = 1, .nmaps = -1, .choice = 1, .move = 1, .dist = d, \
		__VA_ARGS__ }
/* two-buffer copies in the default or streaming mode: the copy-loop target */
#define BIG_COPY .big_copy = 1
#define MOVE .move = 1

const struct opdef Ops[] = {
	DATA_OP(OP_MEMCPY_PERSIST, "memcpy_persist",
		"pmem_memcpy_persist(d, s, n)",
		loop_memcpy_persist, LIM_PCOPY, BIG_COPY),
	DATA_OP(OP_MEMMOVE_UP, "memmove_persist_up",
		"pmem_memmove_persist(d, s, n), d = s + 64 (n/2 if n < 128)",
		loop_memmove_up, LIM_PCOPY, MOVE),
	DATA_OP(OP_MEMMOVE_DOWN, "memmove_persist_down",
		"pmem_memmove_persist(d, s, n), s = d + 64 (n/2 if n < 128)",
		loop_memmove_down, LIM_PCOPY, MOVE),
	DATA_OP(OP_MEMSET_PERSIST, "memset_persist",
		"pmem_memset_persist(d, c, n)",
		loop_memset_persist, LIM_PSET),
	DATA_OP(OP_MEMCPY_NODRAIN, "memcpy_nodrain+drain",
		"pmem_memcpy_nodrain(d, s, n); pmem_drain()",
		loop_memcpy_nodrain, LIM_PCOPY, BIG_COPY),
	DATA_OP(OP_MEMCPY_NT, "memcpy_nt",
		"pmem_memcpy(d, s, n, PMEM_F_MEM_NONTEMPORAL)",
		loop_memcpy_nt, LIM_PCOPY, BIG_COPY),
	DATA_OP(OP_MEMCPY_T, "memcpy_temporal",
		"pmem_memcpy(d, s, n, PMEM_F_MEM_TEMPORAL)",
		loop_memcpy_t, LIM_PCOPY, .temporal = 1),
	DATA_OP(OP_PERSIST, "persist",
		"dirty each line of [d, d+n); pmem_persist(d, n)",
		loop_persist, LIM_FLUSH),
	DATA_OP(OP_FLUSH_DRAIN, "flush+drain",
		"dirty each line of [d, d+n); pmem_flush(d, n); pmem_drain()",
		loop_flush_drain, LIM_FLUSH),
	[OP_MEMCPY_READ] = { .name = "memcpy_persist+read",
		.what = "pmem_memcpy_persist(d, s, n); read each line of d "
			"(up to 4K; the cost the non-temporal threshold weighs)",
		.loop = loop_memcpy_read, .nmaps = -1, .max_size = 4096,
		.choice = 1 },
	/*
	 * Large moves whose range is already in the cache: ordinary stores
	 * plus a flush against the streaming the reference uses, the other
	 * side of the choice the cold memmove rows show.
	 */
	[OP_MEMMOVE_HOT] = { .name = "memmove_persist_up/hot",
		.what = "as memmove_persist_up, 1-16 MiB, always on the same "
			"slot, so the range stays in a large enough last-level "
			"cache",
		.loop = loop_memmove_up, .lim = LIM_PCOPY, .nmaps = -1,
		.hot = 1, .min_size = MIB, .max_size = 16 * MIB, .choice = 1,
		.move = 1 },
	/*
	 * The overlap distance decides how soon a store lands on source bytes
	 * not read yet, and how long ago a written line was read (8: the
	 * same line; 4 KiB: a page apart, where loads and stores can also
	 * alias in the store buffer; 64 KiB: past the L1; a quarter and half
	 * the length: mostly a copy). An overlapping move chooses its stores
	 * by length and distance, so both are measured. Not in the geometric
	 * mean, to keep it comparable with older runs.
	 */
	DIST_MOVE(OP_MEMMOVE_UP_D8, "memmove_persist_up/d8",
		"pmem_memmove_persist(d, s, n), d = s + 8, from 64 B",
		loop_memmove_up, 8, .min_size = 64),
	DIST_MOVE(OP_MEMMOVE_DOWN_D8, "memmove_persist_down/d8",
		"pmem_memmove_persist(d, s, n), s = d + 8, from 64 B",
		loop_memmove_down, 8, .min_size = 64),
	DIST_MOVE(OP_MEMMOVE_UP_D4K, "memmove_persist_up/d4K",
		"pmem_memmove_persist(d, s, n), d = s + 4096, from 8 KiB",
		loop_memmove_up, MAX_MOVE_DIST, .min_size = 8 << 10),
	DIST_MOVE(OP_MEMMOVE_DOWN_D4K, "memmove_persist_down/d4K",
		"pmem_memmove_persist(d, s, n), s = d + 4096, from 8 KiB",
		loop_memmove_down, MAX_MOVE_DIST, .min_size = 8 << 10),
	DIST_MOVE(OP_MEMMOVE_UP_D64K, "memmove_persist_up/d64K",
		"pmem_memmove_persist(d, s, n), d = s + 65536, from 128 KiB",
		loop_memmove_up, 64 << 10, .min_size = 128 << 10),
	DIST_MOVE(OP_MEMMOVE_DOWN_D64K, "memmove_persist_down/d64K",
		"pmem_memmove_persist(d, s, n), s = d + 65536, from 128 KiB",
		loop_memmove_down, 64 << 10, .min_size = 128 << 10),
	DIST_MOVE(OP_MEMMOVE_UP_QUARTER, "memmove_persist_up/dn4",
		"pmem_memmove_persist(d, s, n), d = s + n/4, from 4 KiB",
		loop_memmove_up, 0, .dist_div = 4, .min_size = 4 << 10),
	DIST_MOVE(OP_MEMMOVE_DOWN_QUARTER, "memmove_persist_down/dn4",
		"pmem_memmove_persist(d, s, n), s = d + n/4, from 4 KiB",
		loop_memmove_down, 0, .dist_div = 4, .min_size = 4 << 10),
	DIST_MOVE(OP_MEMMOVE_UP_HALF, "memmove_persist_up/dn2",
		"pmem_memmove_persist(d, s, n), d = s + n/2, from 4 KiB",
		loop_memmove_up, 0, .dist_div = 2, .min_size = 4 << 10),
	DIST_MOVE(OP_MEMMOVE_DOWN_HALF, "memmove_persist_down/dn2",
		"pmem_memmove_persist(d, s, n), s = d + n/2, from 4 KiB",
		loop_memmove_down, 0, .dist_div = 2, .min_size = 4 << 10),
	[OP_IS_PMEM_1] = { .name = "is_pmem/1map",
		.what = "pmem_is_pmem(d, n) on DRAM, 1 live pmem_map_file "
			"mapping",
		.loop = loop_is_pmem, .nmaps = 1 },
	[OP_IS_PMEM_1000] = { .name = "is_pmem/1000maps",
		.what = "pmem_is_pmem(d, n) on DRAM, 1000 live pmem_map_file "
			"mappings",
		.loop = loop_is_pmem, .nmaps = 1000 },
	[OP_MAP_UNMAP] = { .name = "map_file+unmap",
		.what = "pmem_map_file(existing n-byte file, 0, 0, 0); "
			"pmem_unmap()",
		.loop = loop_map_unmap, .file = 1 },
};

const size_t NOps = sizeof(Ops) / sizeof(Ops[0]);

/* xorshift64: fast enough to refill 128 MiB per check. */
void
fill_random(void *p, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
	char *b = p;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(b + i, &x, 8);
	}
	for (; i < len; i++)
		b[i] = (char)(x >> (i & 7));
}

/* Names the first differing byte; region offsets are relative to d. */
static int
compare(const char *got, const char *want, size_t len, const char *d,
	const char *base, char *why, size_t whylen)
{
	size_t i;

	if (memcmp(got, want, len) == 0)
		return 0;
	for (i = 0; got[i] == want[i]; i++)
		;
	snprintf(why, whylen, "byte at d%+ld is 0x%02x, want 0x%02x",
		(long)((base + i) - d), (uint8_t)got[i], (uint8_t)want[i]);
	return -1;
}

static int
check_ret(void *ret, void *d, const char *call, char *why, size_t whylen)
{
	if (ret == d)
		return 0;
	snprintf(why, whylen, "%s returned %p, want the destination %p",
		call, ret, d);
	return -1;
}

static int
check_map(const struct lib *l, struct bcase *c, int *result, char *why,
	size_t whylen)
{
	size_t len = 0;
	int is = -1, fd;
	char *a = l->map_file(c->path, 0, 0, 0, &len, &is);
	char b[2];

	if (a == NULL) {
		snprintf(why, whylen, "pmem_map_file(\"%s\", 0, 0, 0) "
			"failed: %s", c->path, l->errormsg());
		return -1;
	}
	*result = is;
	if (len != c->size || (is != 0 && is != 1)) {
		snprintf(why, whylen, "pmem_map_file: mapped_len %zu "
			"(want %zu), is_pmem %d", len, c->size, is);
		return -1;
	}
	a[0] = 'A';
	a[len - 1] = 'Z';
	if (is)
		l->persist(a, len);
	else if (l->msync(a, len) != 0) {
		snprintf(why, whylen, "pmem_msync failed: %s", l->errormsg());
		return -1;
	}
	if (l->unmap(a, len) != 0) {
		snprintf(why, whylen, "pmem_unmap failed: %s", l->errormsg());
		return -1;
	}
	fd = open(c->path, O_RDONLY);
	if (fd < 0 || pread(fd, &b[0], 1, 0) != 1 ||
			pread(fd, &b[1], 1, (off_t)len - 1) != 1 ||
			b[0] != 'A' || b[1] != 'Z') {
		snprintf(why, whylen, "file does not hold the bytes written "
			"through the mapping");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Runs the case's operation once at slot 0 and compares the whole slot
 * (guard bytes included) with what libc's memmove/memset produce.
 */
int
check_case(const struct lib *l, struct bcase *c, int *result, char *why,
	size_t whylen)
{
	enum op_id id = (enum op_id)(c->op - Ops);
	size_t span = c->stride;
	char *slot = c->dst, *d, *s;
	char *want;
	void *ret = NULL;
	int rc = 0;

	*result = 0;
	if (id == OP_MAP_UNMAP)
		return check_map(l, c, result, why, whylen);
	c->slot = 0;
	if (id == OP_IS_PMEM_1 || id == OP_IS_PMEM_1000) {
		*result = l->is_pmem(DST(c), c->size);
		if (*result != 0 && *result != 1) {
			snprintf(why, whylen, "pmem_is_pmem returned %d",
				*result);
			return -1;
		}
		return 0;
	}
	want = malloc(span);
	if (want == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	fill_random(c->src, span, 1 + (uint64_t)c->size);
	fill_random(slot, span, 2 + (uint64_t)c->size);
	memcpy(want, slot, span);
	d = DST(c);
	s = SRC(c);
	switch (Ops[id].move ? OP_MEMMOVE_UP : id) {
	case OP_MEMMOVE_UP:
		move_addrs(c, Ops[id].loop == loop_memmove_up, &d, &s);
		memmove(want + (d - slot), want + (s - slot), c->size);
		ret = move(l, c, d, s);
		rc = check_ret(ret, d, c->flags ? "pmem_memmove" :
			"pmem_memmove_persist", why, whylen);
		break;
	case OP_MEMSET_PERSIST:
		memset(want + (d - slot), 0xa5, c->size);
		ret = l->memset_persist(d, 0xa5, c->size);
		rc = check_ret(ret, d, "pmem_memset_persist", why, whylen);
		break;
	case OP_PERSIST:
	case OP_FLUSH_DRAIN:
		hw_dirty(want + (d - slot), c->size, 0x3c);
		hw_dirty(d, c->size, 0x3c);
		if (id == OP_PERSIST) {
			l->persist(d, c->size);
		} else {
			l->flush(d, c->size);
			l->drain();
		}
		break;
	default:
		memcpy(want + (d - slot), s, c->size);
		if (id == OP_MEMCPY_PERSIST || id == OP_MEMCPY_READ)
			ret = l->memcpy_persist(d, s, c->size);
		else if (id == OP_MEMCPY_NODRAIN)
			ret = l->memcpy_nodrain(d, s, c->size);
		else
			ret = l->memcpy_flags(d, s, c->size,
				id == OP_MEMCPY_NT ? PMEM_F_MEM_NONTEMPORAL :
				PMEM_F_MEM_TEMPORAL);
		if (id == OP_MEMCPY_NODRAIN)
			l->drain();
		rc = check_ret(ret, d, "the copy", why, whylen);
		break;
	}
	if (rc == 0)
		rc = compare(slot, want, span, d, slot, why, whylen);
	free(want);
	return rc;
}

/* whether name contains one of list's comma-separated words */
static int
list_contains(const char *list, const char *name, int whole)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int hit = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && !hit;
			tok = strtok_r(NULL, ",", &save))
		hit = whole ? strcmp(name, tok) == 0 : strstr(name, tok) != NULL;
	free(copy);
	return hit;
}

/* whether list's comma-separated words include name itself */
int
list_has(const char *list, const char *name)
{
	return list_contains(list, name, 1);
}

int
filter_match(const struct bench *bn, const char *name)
{
	return bn->opt.filter == NULL ||
		list_contains(bn->opt.filter, name, 0);
}

/* Every operation the filter keeps at every size it takes. */
void
build_cases(struct bench *bn)
{
	size_t o, i;

	for (o = 0; o < NOps; o++) {
		if (!filter_match(bn, Ops[o].name))
			continue;
		for (i = 0; i < bn->nsizes; i++) {
			const struct size_spec *sp = &bn->sizes[i];

			if (sp->mis && !Ops[o].misalign)
				continue;
			if (Ops[o].max_size && sp->size > Ops[o].max_size)
				continue;
			if (sp->size < Ops[o].min_size)
				continue;
			if (bn->ncases == MAX_CASES) {
				fprintf(stderr, "pmembench: too many cases\n");
				exit(2);
			}
			bn->cases[bn->ncases].op = &Ops[o];
			bn->cases[bn->ncases++].si = i;
		}
	}
	if (bn->ncases == 0) {
		fprintf(stderr, "pmembench: --filter matches no operation\n");
		exit(2);
	}
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential test of pmem_memmove/memcpy/memset and their variants, and of
 * the flush calls: random ops run on three copies of a buffer (reference,
 * tested library, libc) that must stay byte for byte equal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libpmem.h>

#include "../lib/rnd.h"
#include "difflib.h"

#define KiB ((size_t)1 << 10)
#define MiB ((size_t)1 << 20)

#define MAXLEN (4 * MiB)
#define GUARD 512		/* random bytes checked on each side */
#define SPREAD (64 * 64)	/* random 64-byte-step shift of the base */
#define BUFSZ (2 * MAXLEN + 2 * GUARD + SPREAD + 4 * KiB)
#define FULL_CHECK_EVERY 8192
#define MAX_REPORTED 20
#define MIN_CALLS 100000
#define DEFAULT_SEED 0x5eed2024u

/*
 * The calls made, X(name, weight, kind, has_flags): pmem_<name> is picked
 * weight times in so many calls; kind 'c' copies, 's' fills, 'f' only
 * flushes; has_flags: it takes PMEM_F_MEM_* flags.
 */
#define MEM_OPS(X) \
	X(memmove, 20, 'c', 1) \
	X(memcpy, 20, 'c', 1) \
	X(memset, 16, 's', 1) \
	X(memmove_persist, 5, 'c', 0) \
	X(memcpy_persist, 5, 'c', 0) \
	X(memset_persist, 5, 's', 0) \
	X(memmove_nodrain, 5, 'c', 0) \
	X(memcpy_nodrain, 5, 'c', 0) \
	X(memset_nodrain, 5, 's', 0) \
	X(persist, 4, 'f', 0) \
	X(flush, 4, 'f', 0) \
	X(deep_flush, 2, 'f', 0) \
	X(drain, 1, 'f', 0)

enum op {
#define OP_ENUM(name, weight, kind, has_flags) OP_##name,
	MEM_OPS(OP_ENUM)
#undef OP_ENUM
	NOPS
};

static const struct {
	const char *name;
	int weight;
	int kind;
	int has_flags;
} Ops[NOPS] = {
#define OP_ROW(name, weight, kind, has_flags) \
	[OP_##name] = { "pmem_" #name, weight, kind, has_flags },
	MEM_OPS(OP_ROW)
#undef OP_ROW
};

static uint64_t Rng;

static uint64_t
rnd(void)
{
	return rnd_next(&Rng);
}

/* 0..512 most often (every size is hit), then up to 1 MiB, rarely 4 MiB */
static size_t
rnd_len(void)
{
	size_t r = rnd_below(&Rng, 100);
	if (r < 85)
		return rnd_below(&Rng, 513);
	unsigned bits = r < 99 ? 10 + (unsigned)rnd_below(&Rng, 11) :
		21 + (unsigned)rnd_below(&Rng, 2);
	size_t len = ((size_t)1 << (bits - 1)) +
		rnd_below(&Rng, (size_t)1 << (bits - 1));
	return len < 513 ? 513 : len > MAXLEN ? MAXLEN : len;
}

static unsigned
rnd_flags(void)
{
	unsigned f = (unsigned)rnd_below(&Rng, 64);
	size_t r = rnd_below(&Rng, 16);
	if (r == 0)
		f |= 1u << 31;
	else if (r == 1)
		f |= (unsigned)rnd() & ~PMEM_F_MEM_VALID_FLAGS;
	return f;
}

static int
rnd_fill_byte(void)
{
	switch (rnd_below(&Rng, 4)) {
	case 0:
		/* any int: above 255, negative */
		return (int)(uint32_t)rnd();
	case 1:
		return -(int)rnd_below(&Rng, 300);
	default:
		return (int)rnd_below(&Rng, 256);
	}
}

static void
fill_random(unsigned char *p, size_t n)
{
	while (n >= 8) {
		uint64_t v = rnd();
		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	while (n--)
		*p++ = (unsigned char)rnd();
}

struct call {
	enum op op;
	size_t len, src, dst;	/* offsets into the buffers */
	unsigned flags;
	int c;
	const char *layout;
};

/* the ops' effect through one library; returns what the call returned */
static void *
apply(const struct lib *l, const struct call *k, unsigned char *buf)
{
	unsigned char *d = buf + k->dst, *s = buf + k->src;
	switch (k->op) {
	case OP_memmove: return l->memmove(d, s, k->len, k->flags);
	case OP_memcpy: return l->memcpy(d, s, k->len, k->flags);
	case OP_memset: return l->memset(d, k->c, k->len, k->flags);
	case OP_memmove_persist: return l->memmove_persist(d, s, k->len);
	case OP_memcpy_persist: return l->memcpy_persist(d, s, k->len);
	case OP_memset_persist: return l->memset_persist(d, k->c, k->len);
	case OP_memmove_nodrain: return l->memmove_nodrain(d, s, k->len);
	case OP_memcpy_nodrain: return l->memcpy_nodrain(d, s, k->len);
	case OP_memset_nodrain: return l->memset_nodrain(d, k->c, k->len);
	case OP_persist: l->persist(d, k->len); return d;
	case OP_flush: l->flush(d, k->len); return d;
	case OP_deep_flush: l->deep_flush(d, k->len); return d;
	case OP_drain: l->drain(); return d;
	case NOPS: break;
	}
	return NULL;
}

/* what libc makes of the same call: memcpy with overlap acts as memmove */
static void
apply_libc(const struct call *k, unsigned char *buf)
{
	if (Ops[k->op].kind == 'c')
		memmove(buf + k->dst, buf + k->src, k->len);
	else if (Ops[k->op].kind == 's')
		memset(buf + k->dst, k->c, k->len);
}

static enum op
rnd_op(void)
{
	int total = 0;
	for (int i = 0; i < NOPS; i++)
		total += Ops[i].weight;
	int r = (int)rnd_below(&Rng, (size_t)total);
	for (int i = 0; i < NOPS; i++) {
		if (r < Ops[i].weight)
			return (enum op)i;
		r -= Ops[i].weight;
	}
	return OP_memmove;
}

/* picks sizes, misalignments and one of four src/dst layouts */
static void
rnd_call(struct call *k)
{
	memset(k, 0, sizeof(*k));
	k->op = rnd_op();
	k->len = rnd_len();
	k->flags = Ops[k->op].has_flags ? rnd_flags() : 0;
	k->c = rnd_fill_byte();
	size_t base = GUARD + 64 * rnd_below(&Rng, SPREAD / 64);
	size_t smis = rnd_below(&Rng, 64), dmis = rnd_below(&Rng, 64);
	size_t len = k->len;
	if (Ops[k->op].kind != 'c') {
		k->dst = k->src = base + dmis;
		k->layout = "single range";
		return;
	}
	size_t layout = len >= 2 ? rnd_below(&Rng, 5) : rnd_below(&Rng, 2);
	size_t delta = 0;
	if (layout >= 2) {	/* overlapping: |dst - src| < len */
		size_t lim = rnd_below(&Rng, 2) ?
			(len - 1 < 64 ? len - 1 : 64) : len - 1;
		delta = 1 + rnd_below(&Rng, lim);
	}
	switch (layout) {
	case 0: case 1: {	/* disjoint, either order */
		size_t a = base + smis;
		size_t b = ((a + len + 63) & ~(size_t)63) +
			64 * rnd_below(&Rng, 4) + dmis;
		k->src = layout ? b : a;
		k->dst = layout ? a : b;
		k->layout = layout ? "disjoint, dst below src" :
			"disjoint, dst above src";
		break;
	}
	case 2:
		k->src = base + smis;
		k->dst = k->src + delta;
		k->layout = "overlapping, dst above src";
		break;
	case 3:
		k->dst = base + dmis;
		k->src = k->dst + delta;
		k->layout = "overlapping, dst below src";
		break;
	default:
		k->src = k->dst = base + dmis;
		k->layout = "dst == src";
		break;
	}
}

struct state {
	struct lib ref, test;
	unsigned char *exp, *rbuf, *tbuf;
	uint64_t seed;
	long calls, mismatches;
};

static void
describe_call(char *buf, size_t sz, const struct call *k)
{
	int n = snprintf(buf, sz, "%s(dst=buf+%zu [mis %zu], src=buf+%zu "
		"[mis %zu], len=%zu", Ops[k->op].name, k->dst, k->dst % 64,
		k->src, k->src % 64, k->len);
	if (Ops[k->op].kind == 's')
		n += snprintf(buf + n, sz - (size_t)n, ", c=%d (%#x)", k->c,
			(unsigned)k->c);
	if (Ops[k->op].has_flags)
		n += snprintf(buf + n, sz - (size_t)n, ", flags=%#x", k->flags);
	snprintf(buf + n, sz - (size_t)n, ") layout: %s", k->layout);
}

/* the call in progress, for the crash report */
static struct {
	const struct call *k;
	const char *who;
	long iter;
	uint64_t seed;
} Cur;

static void
crash_handler(int sig)
{
	char d[300] = "pmem_persist/flush/deep_flush(NULL, 0) or pmem_drain()";
	char msg[512];
	if (Cur.k)
		describe_call(d, sizeof(d), Cur.k);
	int n = snprintf(msg, sizeof(msg), "CRASH (%s): signal %d in call "
		"%ld, seed %#" PRIx64 ": %s\n", Cur.who, sig, Cur.iter,
		Cur.seed, d);
	if (write(1, msg, (size_t)n) < 0)
		_exit(3);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
report(struct state *st, const struct call *k, long iter, const char *who,
	const unsigned char *got, size_t lo, size_t hi, const void *ret,
	const void *want_ret)
{
	if (st->mismatches++ >= MAX_REPORTED)
		return;
	char d[300];
	describe_call(d, sizeof(d), k);
	printf("MISMATCH (%s) at call %ld, seed %#" PRIx64 ": %s\n", who,
		iter, st->seed, d);
	if (ret != want_ret)
		printf("    returned %p, expected pmemdest %p\n", ret,
			want_ret);
	for (size_t i = lo; i < hi; i++) {
		if (got[i] == st->exp[i])
			continue;
		long rel = (long)i - (long)k->dst;
		const char *where = i < k->dst ? "guard below dst" :
			i >= k->dst + k->len ? "guard above dst" : "in dst";
		printf("    first differing byte: buf+%zu (dst%+ld, %s): "
			"expected %#04x (libc), reference %#04x, %s %#04x\n",
			i, rel, where, st->exp[i], st->rbuf[i], st->test.name,
			st->tbuf[i]);
		break;
	}
}

static void
one_call(struct state *st, long iter)
{
	struct call k;
	rnd_call(&k);
	size_t lo = (k.src < k.dst ? k.src : k.dst) - GUARD;
	size_t hi = (k.src > k.dst ? k.src : k.dst) + k.len + GUARD;
	fill_random(st->exp + lo, hi - lo);
	memcpy(st->rbuf + lo, st->exp + lo, hi - lo);
	memcpy(st->tbuf + lo, st->exp + lo, hi - lo);
	apply_libc(&k, st->exp);
	Cur.k = &k;
	Cur.iter = iter;
	Cur.who = st->ref.name;
	void *rr = apply(&st->ref, &k, st->rbuf);
	Cur.who = st->test.name;
	void *rt = apply(&st->test, &k, st->tbuf);
	int bad_r = rr != st->rbuf + k.dst ||
		memcmp(st->rbuf + lo, st->exp + lo, hi - lo) != 0;
	int bad_t = rt != st->tbuf + k.dst ||
		memcmp(st->tbuf + lo, st->exp + lo, hi - lo) != 0;
	if (bad_r)
		report(st, &k, iter, "reference vs libc", st->rbuf, lo, hi,
			rr, st->rbuf + k.dst);
	if (bad_t)
		report(st, &k, iter, st->test.name, st->tbuf, lo, hi, rt,
			st->tbuf + k.dst);
	if (bad_r || bad_t) {
		memcpy(st->rbuf + lo, st->exp + lo, hi - lo);
		memcpy(st->tbuf + lo, st->exp + lo, hi - lo);
	}
	st->calls++;
}

/* catches stray writes beyond the guards */
static void
full_check(struct state *st, long iter)
{
	const unsigned char *bufs[2] = {st->rbuf, st->tbuf};
	const char *names[2] = {"reference", st->test.name};
	for (int b = 0; b < 2; b++) {
		if (memcmp(bufs[b], st->exp, BUFSZ) == 0)
			continue;
		size_t i = 0;
		while (bufs[b][i] == st->exp[i])
			i++;
		st->mismatches++;
		printf("MISMATCH (%s): stray write found by the whole-buffer "
			"check after call %ld (seed %#" PRIx64 "): buf+%zu is "
			"%#04x, expected %#04x\n", names[b], iter, st->seed, i,
			bufs[b][i], st->exp[i]);
		memcpy((void *)bufs[b], st->exp, BUFSZ);
	}
}

/* calls with NULL and len 0 must not crash either library */
static void
null_calls(const struct lib *l)
{
	l->persist(NULL, 0);
	l->flush(NULL, 0);
	l->deep_flush(NULL, 0);
	l->drain();
}

static unsigned char *
alloc_buf(void)
{
	void *p = mmap(NULL, BUFSZ, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		_exit(2);
	}
	return p;
}

int
main(int argc, char *argv[])
{
	if (argc < 3) {
		fprintf(stderr, "usage: diff_mem REFERENCE_LIB TESTED_LIB "
			"[label]\nenv: PMEM_DIFF_SEED, PMEM_DIFF_MEM_CALLS "
			"(default and minimum %d)\n", MIN_CALLS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	static struct state st;
	if (lib_load(&st.ref, "reference", argv[1]) ||
			lib_load(&st.test, argc > 3 ? argv[3] : "ours",
				argv[2]))
		_exit(2);
	const char *s = getenv("PMEM_DIFF_SEED");
	st.seed = s && *s ? strtoull(s, NULL, 0) : DEFAULT_SEED;
	const char *n = getenv("PMEM_DIFF_MEM_CALLS");
	long ncalls = n && *n ? strtol(n, NULL, 0) : MIN_CALLS;
	printf("mem*: seed %#" PRIx64 " (set PMEM_DIFF_SEED to change), "
		"%ld calls\n", st.seed, ncalls);
	Rng = st.seed ? st.seed : 1;
	Cur.seed = st.seed;
	signal(SIGSEGV, crash_handler);
	signal(SIGBUS, crash_handler);
	signal(SIGILL, crash_handler);
	st.exp = alloc_buf();
	st.rbuf = alloc_buf();
	st.tbuf = alloc_buf();
	fill_random(st.exp, BUFSZ);
	memcpy(st.rbuf, st.exp, BUFSZ);
	memcpy(st.tbuf, st.exp, BUFSZ);
	Cur.who = st.ref.name;
	null_calls(&st.ref);
	Cur.who = st.test.name;
	null_calls(&st.test);
	for (long i = 0; i < ncalls; i++) {
		one_call(&st, i);
		if ((i + 1) % FULL_CHECK_EVERY == 0 || i + 1 == ncalls)
			full_check(&st, i);
	}
	if (st.mismatches > MAX_REPORTED)
		printf("(only the first %d mismatches shown)\n", MAX_REPORTED);
	printf("mem*: %ld calls, %ld differences\n", st.calls, st.mismatches);
	int ret = st.mismatches != 0;
	if (st.calls < MIN_CALLS) {
		printf("too few mem* calls compared (%ld < %d)\n", st.calls,
			MIN_CALLS);
		ret = 1;
	}
	fflush(stdout);
	/* skip the libraries' destructors: see start_probe() in difflib.c */
	_exit(ret);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libpmemobj client: large transactions, aborts, pmemobj_mem* with flags
 * against a DRAM model, atomic allocation cycles and kill -9 recovery.
 */
#include "clients.h"

#include <libpmemobj.h>
#include <sys/stat.h>
#include <unistd.h>

#define LAYOUT "clients_obj"
#define MAGIC 0x636c69656e74734fULL
#define NCOUNTERS 64
#define MIB (1024UL * 1024UL)

enum obj_type {
	T_ROOT,
	T_ARR,
	T_NODE,
	T_TMP,
	T_BLOB,
	T_MEM,
	T_SLOT,
};

struct elem {
	uint64_t key;
	uint64_t val;
};

struct node {
	PMEMoid next;
	uint64_t idx;
	uint64_t val;
};

/* head, count and sum sit together so one undo-log range covers them. */
struct root {
	uint64_t magic;
	PMEMoid arr;
	uint64_t arr_n;
	PMEMoid head;
	uint64_t count;
	uint64_t sum;
	uint64_t counters[NCOUNTERS];
	uint64_t total;
	uint64_t next_idx;
	PMEMoid slot;
	PMEMoid mem;
};

/* Header of every T_BLOB object: enough to check the object in isolation. */
struct blob {
	uint64_t seed;
	uint64_t size;
	unsigned char data[];
};

static struct root *
get_root(PMEMobjpool *pop)
{
	PMEMoid r = pmemobj_root(pop, sizeof(struct root));

	if (OID_IS_NULL(r))
		FAILF("pmemobj_root: %s", pmemobj_errormsg());
	return pmemobj_direct(r);
}

static PMEMobjpool *
create_pool(const char *path, size_t size)
{
	PMEMobjpool *pop = pmemobj_create(path, LAYOUT, size, 0600);

	if (!pop)
		FAILF("pmemobj_create %s: %s", path, pmemobj_errormsg());
	return pop;
}

static PMEMobjpool *
open_pool(const char *path)
{
	PMEMobjpool *pop = pmemobj_open(path, LAYOUT);

	if (!pop)
		FAILF("pmemobj_open %s: %s", path, pmemobj_errormsg());
	return pop;
}

static uint64_t
count_type(PMEMobjpool *pop, uint64_t type)
{
	uint64_t n = 0;
	PMEMoid o;

	for (o = pmemobj_first(pop); !OID_IS_NULL(o); o = pmemobj_next(o))
		if (pmemobj_type_num(o) == type)
			n++;
	return n;
}

/* ---- big: 10^5 elements built and rolled back in transactions ---------- */

static void
push_node(struct root *r, uint64_t idx)
{
	PMEMoid oid = pmemobj_tx_alloc(sizeof(struct node), T_NODE);
	struct node *n = pmemobj_direct(oid);

	/* a fresh allocation is rolled back as a whole: no add_range */
	n->next = r->head;
	n->idx = idx;
	n->val = mix64(idx, 2);
	r->head = oid;
	r->count++;
	r->sum += n->val;
}

/* the head node off the list; the caller has added head, count and sum */
static void
pop_node(struct root *r)
{
	struct node *nd = pmemobj_direct(r->head);
	PMEMoid old = r->head;

	r->head = nd->next;
	r->count--;
	r->sum -= nd->val;
	pmemobj_tx_free(old);
}

static void
build_batch(PMEMobjpool *pop, struct root *r, uint64_t from, uint64_t to)
{
	TX_BEGIN(pop) {
		uint64_t i;

		pmemobj_tx_add_range_direct(&r->head,
			sizeof(r->head) + 2 * sizeof(uint64_t));
		for (i = from; i < to; i++)
			push_node(r, i);
	} TX_ONABORT {
		FAILF("list transaction aborted at %llu: %s",
			(unsigned long long)from, pmemobj_errormsg());
	} TX_END
}

static void
build_big(PMEMobjpool *pop, uint64_t n)
{
	struct root *r = get_root(pop);
	uint64_t b;

	TX_BEGIN(pop) {
		struct elem *e;
		uint64_t i;

		pmemobj_tx_add_range_direct(r, sizeof(*r));
		r->arr = pmemobj_tx_alloc(n * sizeof(struct elem), T_ARR);
		e = pmemobj_direct(r->arr);
		for (i = 0; i < n; i++) {
			e[i].key = i;
			e[i].val = mix64(i, 1);
		}
		r->arr_n = n;
		r->magic = MAGIC;
	} TX_ONABORT {
		FAILF("array transaction aborted: %s", pmemobj_errormsg());
	} TX_END

	for (b = 0; b < n; b += 1000)
		build_batch(pop, r, b, b + 1000 < n ? b + 1000 : n);
}

static void
verify_big(PMEMobjpool *pop, uint64_t n)
{
	struct root *r = get_root(pop);
	struct elem *e;
	struct node *nd;
	uint64_t i, sum = 0, want = n;
	PMEMoid o;

	CHECK_EQ(r->magic, MAGIC);
	CHECK_EQ(r->arr_n, n);
	e = pmemobj_direct(r->arr);
	CHECK(e != NULL);
	for (i = 0; i < n; i++)
		if (e[i].key != i || e[i].val != mix64(i, 1))
			FAILF("array element %llu corrupt",
				(unsigned long long)i);
	for (o = r->head; !OID_IS_NULL(o); o = nd->next) {
		nd = pmemobj_direct(o);
		if (want == 0)
			FAILF("list longer than %llu", (unsigned long long)n);
		want--;
		if (nd->idx != want || nd->val != mix64(want, 2))
			FAILF("list node %llu corrupt (idx %llu)",
				(unsigned long long)want,
				(unsigned long long)nd->idx);
		sum += nd->val;
	}
	CHECK_EQ(want, 0);
	CHECK_EQ(r->count, n);
	CHECK_EQ(r->sum, sum);
	CHECK_EQ(count_type(pop, T_NODE), n);
	CHECK_EQ(count_type(pop, T_ARR), 1);
	CHECK_EQ(count_type(pop, T_TMP), 0);
}

/* what the bodies of the aborting transactions work on */
struct tx_arg {
	struct root *r;
	uint64_t n;		/* abort_big's array length */
	volatile int inner;	/* abort_nested: the inner one aborted */
};

/*
 * body(pop, a) in a transaction that must abort, with errno want (0: any
 * errno); afterwards no transaction is open.
 */
static void
tx_must_abort(PMEMobjpool *pop, void (*body)(PMEMobjpool *, struct tx_arg *),
	struct tx_arg *a, int want)
{
	volatile int aborted = 0;

	TX_BEGIN(pop) {
		body(pop, a);
	} TX_ONCOMMIT {
		FAILF("a transaction that must abort committed");
	} TX_ONABORT {
		aborted = 1;
	} TX_END
	CHECK(aborted);
	if (want != 0)
		CHECK_EQ(pmemobj_tx_errno(), want);
	CHECK_EQ(pmemobj_tx_stage(), TX_STAGE_NONE);
}

/* Touches every element and part of the list, then throws it all away. */
static void
big_body(PMEMobjpool *pop, struct tx_arg *a)
{
	struct root *r = a->r;
	struct elem *e = pmemobj_direct(r->arr);
	uint64_t i;

	(void) pop;
	pmemobj_tx_add_range(r->arr, 0, a->n * sizeof(struct elem));
	for (i = 0; i < a->n; i++)
		e[i].val = ~e[i].val;
	pmemobj_tx_add_range_direct(&r->head,
		sizeof(r->head) + 2 * sizeof(uint64_t));
	for (i = 0; i < 500; i++)
		pop_node(r);
	for (i = 0; i < 10; i++)
		pmemobj_tx_alloc(128, T_TMP);
	pmemobj_tx_abort(ECANCELED);
}

static void
abort_big(PMEMobjpool *pop, uint64_t n)
{
	struct tx_arg a = { get_root(pop), n, 0 };

	tx_must_abort(pop, big_body, &a, ECANCELED);
}

static int
do_big(const char *path, uint64_t n)
{
	PMEMobjpool *pop = create_pool(path, 128 * MIB);

	build_big(pop, n);
	verify_big(pop, n);
	pmemobj_close(pop);

	pop = open_pool(path);
	verify_big(pop, n);
	abort_big(pop, n);
	verify_big(pop, n);
	pmemobj_close(pop);

	pop = open_pool(path);
	verify_big(pop, n);
	pmemobj_close(pop);
	printf("big: %llu array elements and %llu list nodes verified\n",
		(unsigned long long)n, (unsigned long long)n);
	return 0;
}

/* ---- abort: the ways a transaction can roll back ------------------------ */

static void
expect_counters(struct root *r, uint64_t base)
{
	int i;

	for (i = 0; i < NCOUNTERS; i++)
		if (r->counters[i] != base + (uint64_t)i)
			FAILF("counter %d: expected %llu, got %llu", i,
				(unsigned long long)(base + (uint64_t)i),
				(unsigned long long)r->counters[i]);
}

static void
set_counters(struct root *r, uint64_t base)
{
	int i;

	pmemobj_tx_add_range_direct(r->counters, sizeof(r->counters));
	for (i = 0; i < NCOUNTERS; i++)
		r->counters[i] = base + (uint64_t)i;
}

static void
explicit_body(PMEMobjpool *pop, struct tx_arg *a)
{
	(void) pop;
	set_counters(a->r, 0xdead);
	pmemobj_tx_add_range_direct(&a->r->slot, sizeof(a->r->slot));
	a->r->slot = pmemobj_tx_zalloc(4096, T_TMP);
	pmemobj_tx_alloc(100, T_TMP);
	pmemobj_tx_abort(ECANCELED);
}

static void
abort_explicit(PMEMobjpool *pop, struct root *r)
{
	struct tx_arg a = { r, 0, 0 };

	tx_must_abort(pop, explicit_body, &a, ECANCELED);
	expect_counters(r, 100);
	CHECK(OID_IS_NULL(r->slot));
	CHECK_EQ(count_type(pop, T_TMP), 0);
}

/* An inner abort takes the outer transaction down with it. */
static void
nested_body(PMEMobjpool *pop, struct tx_arg *a)
{
	pmemobj_tx_add_range_direct(&a->r->total, sizeof(a->r->total));
	a->r->total = 12345;
	TX_BEGIN(pop) {
		set_counters(a->r, 7);
		pmemobj_tx_abort(EINVAL);
	} TX_ONABORT {
		a->inner = 1;
	} TX_END
}

static void
abort_nested(PMEMobjpool *pop, struct root *r)
{
	struct tx_arg a = { r, 0, 0 };

	tx_must_abort(pop, nested_body, &a, 0);
	CHECK(a.inner);
	CHECK_EQ(r->total, 0);
	expect_counters(r, 100);
}

/* A failing allocation aborts the transaction on its own. */
static void
enomem_body(PMEMobjpool *pop, struct tx_arg *a)
{
	(void) pop;
	set_counters(a->r, 5);
	pmemobj_tx_alloc(1ULL << 40, T_TMP);
	FAILF("huge pmemobj_tx_alloc did not abort");
}

static void
abort_enomem(PMEMobjpool *pop, struct root *r)
{
	struct tx_arg a = { r, 0, 0 };

	tx_must_abort(pop, enomem_body, &a, ENOMEM);
	expect_counters(r, 100);
}

static void
fill_blob(PMEMoid oid, uint64_t seed, uint64_t size)
{
	struct blob *b = pmemobj_direct(oid);
	uint64_t i;

	b->seed = seed;
	b->size = size;
	for (i = 0; i < size; i++)
		b->data[i] = (unsigned char)mix64(seed, i);
}

static void
check_blob(PMEMoid oid)
{
	struct blob *b = pmemobj_direct(oid);
	uint64_t i;

	CHECK(b != NULL);
	CHECK(pmemobj_alloc_usable_size(oid) >= sizeof(*b) + b->size);
	for (i = 0; i < b->size; i++)
		if (b->data[i] != (unsigned char)mix64(b->seed, i))
			FAILF("blob seed %llu byte %llu corrupt",
				(unsigned long long)b->seed,
				(unsigned long long)i);
}

/* Freeing inside an aborted transaction leaves the object intact. */
static void
abort_free(PMEMobjpool *pop, struct root *r)
{
	TX_BEGIN(pop) {
		pmemobj_tx_add_range_direct(&r->mem, sizeof(r->mem));
		r->mem = pmemobj_tx_alloc(sizeof(struct blob) + 3000, T_BLOB);
		fill_blob(r->mem, 99, 3000);
	} TX_ONABORT {
		FAILF("blob transaction aborted: %s", pmemobj_errormsg());
	} TX_END
	TX_BEGIN(pop) {
		struct blob *b = pmemobj_direct(r->mem);

		pmemobj_tx_add_range_direct(b->data, 100);
		memset(b->data, 0xee, 100);
		pmemobj_tx_free(r->mem);
		pmemobj_tx_add_range_direct(&r->mem, sizeof(r->mem));
		r->mem = OID_NULL;
		pmemobj_tx_abort(ECANCELED);
	} TX_END
	CHECK(!OID_IS_NULL(r->mem));
	check_blob(r->mem);
	CHECK_EQ(count_type(pop, T_BLOB), 1);
}

static int
do_abort(const char *path)
{
	PMEMobjpool *pop = create_pool(path, 32 * MIB);
	struct root *r = get_root(pop);

	TX_BEGIN(pop) {
		set_counters(r, 100);
	} TX_ONABORT {
		FAILF("initial transaction aborted: %s", pmemobj_errormsg());
	} TX_END
	expect_counters(r, 100);
	abort_explicit(pop, r);
	abort_nested(pop, r);
	abort_enomem(pop, r);
	abort_free(pop, r);
	pmemobj_close(pop);

	pop = open_pool(path);
	r = get_root(pop);
	expect_counters(r, 100);
	CHECK_EQ(r->total, 0);
	CHECK(OID_IS_NULL(r->slot));
	check_blob(r->mem);
	CHECK_EQ(count_type(pop, T_TMP), 0);
	pmemobj_close(pop);
	printf("abort: explicit, nested, ENOMEM and free roll-backs ok\n");
	return 0;
}

/* ---- memops: pmemobj_memcpy/memmove/memset against a DRAM model -------- */

#define MEM_SIZE (4 * MIB)

/* Flag sets a client may pass; the contradictory ones are hints too. */
static const unsigned Mem_flags[] = {
	0,
	PMEMOBJ_F_MEM_NODRAIN,
	PMEMOBJ_F_MEM_NONTEMPORAL,
	PMEMOBJ_F_MEM_TEMPORAL,
	PMEMOBJ_F_MEM_WC,
	PMEMOBJ_F_MEM_WB,
	PMEMOBJ_F_MEM_NOFLUSH,
	PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_MEM_NONTEMPORAL,
	PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_MEM_TEMPORAL,
	PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_MEM_WC,
	PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_MEM_WB,
	PMEMOBJ_F_MEM_NOFLUSH | PMEMOBJ_F_MEM_TEMPORAL,
	PMEMOBJ_F_MEM_NOFLUSH | PMEMOBJ_F_MEM_WB,
	PMEMOBJ_F_RELAXED,
	PMEMOBJ_F_RELAXED | PMEMOBJ_F_MEM_NONTEMPORAL,
	PMEMOBJ_F_RELAXED | PMEMOBJ_F_MEM_NODRAIN | PMEMOBJ_F_MEM_WC,
	PMEMOBJ_F_RELAXED | PMEMOBJ_F_MEM_NOFLUSH,
	PMEMOBJ_F_MEM_NONTEMPORAL | PMEMOBJ_F_MEM_TEMPORAL,
	PMEMOBJ_F_MEM_WC | PMEMOBJ_F_MEM_WB,
};

#define NFLAGS (sizeof(Mem_flags) / sizeof(Mem_flags[0]))

/* Mostly short copies, some across the non-temporal threshold, a few big. */
static size_t
rnd_len(uint64_t *s)
{
	uint64_t k = rnd_below(s, 100);

	if (k < 40)
		return rnd_below(s, 257);
	if (k < 75)
		return rnd_below(s, 8193);
	if (k < 95)
		return rnd_below(s, 65537);
	return rnd_below(s, MEM_SIZE / 4);
}

static void
cmp_region(const unsigned char *pm, const unsigned char *model, size_t off,
	size_t len, unsigned long op)
{
	size_t lo = off > 64 ? off - 64 : 0;
	size_t hi = off + len + 64 < MEM_SIZE ? off + len + 64 : MEM_SIZE;
	size_t i;

	for (i = lo; i < hi; i++)
		if (pm[i] != model[i])
			FAILF("op %lu: byte %zu is 0x%02x, model 0x%02x", op, i,
				pm[i], model[i]);
}

static void
one_memop(PMEMobjpool *pop, unsigned char *pm, unsigned char *model,
	const unsigned char *src, uint64_t *s, unsigned long op)
{
	size_t len = rnd_len(s);
	size_t off = rnd_below(s, MEM_SIZE - len + 1);
	unsigned flags = Mem_flags[rnd_below(s, NFLAGS)];
	size_t from;
	int c;
	void *ret;

	switch (rnd_below(s, 5)) {
	case 0:
		from = rnd_below(s, MEM_SIZE - len + 1);
		ret = pmemobj_memcpy(pop, pm + off, src + from, len, flags);
		memcpy(model + off, src + from, len);
		break;
	case 1:
		/* overlapping both ways inside the object */
		from = rnd_below(s, MEM_SIZE - len + 1);
		ret = pmemobj_memmove(pop, pm + off, pm + from, len, flags);
		memmove(model + off, model + from, len);
		break;
	case 2:
		c = (int)rnd_below(s, 256);
		ret = pmemobj_memset(pop, pm + off, c, len, flags);
		memset(model + off, c, len);
		break;
	case 3:
		from = rnd_below(s, MEM_SIZE - len + 1);
		ret = pmemobj_memcpy_persist(pop, pm + off, src + from, len);
		memcpy(model + off, src + from, len);
		break;
	default:
		c = (int)rnd_below(s, 256);
		ret = pmemobj_memset_persist(pop, pm + off, c, len);
		memset(model + off, c, len);
		break;
	}
	if (ret != pm + off)
		FAILF("op %lu: returned %p, expected %p", op, ret,
			(void *)(pm + off));
	if (flags & PMEMOBJ_F_MEM_NOFLUSH)
		pmemobj_flush(pop, pm + off, len);
	if (flags & (PMEMOBJ_F_MEM_NOFLUSH | PMEMOBJ_F_MEM_NODRAIN))
		pmemobj_drain(pop);
	cmp_region(pm, model, off, len, op);
}

static unsigned char *
xmalloc(size_t n)
{
	unsigned char *p = malloc(n);

	if (!p)
		FAILF("out of memory");
	return p;
}

static void
write_model(const char *path, const unsigned char *model)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(model, 1, MEM_SIZE, f) != MEM_SIZE || fclose(f))
		FAILF("cannot write model %s", path);
}

static void
read_model(const char *path, unsigned char *model)
{
	FILE *f = fopen(path, "rb");

	if (!f || fread(model, 1, MEM_SIZE, f) != MEM_SIZE)
		FAILF("cannot read model %s", path);
	fclose(f);
}

static void
cmp_all(PMEMobjpool *pop, const unsigned char *model, const char *when)
{
	struct root *r = get_root(pop);
	const unsigned char *pm = pmemobj_direct(r->mem);
	size_t i;

	CHECK(pm != NULL);
	for (i = 0; i < MEM_SIZE; i++)
		if (pm[i] != model[i])
			FAILF("%s: byte %zu is 0x%02x, model 0x%02x", when, i,
				pm[i], model[i]);
}

/* size_mib 0: path is a poolset file; the set decides the size. */
static int
do_memops(const char *path, size_t size_mib, const char *model_out,
	unsigned long nops, uint64_t seed)
{
	PMEMobjpool *pop = create_pool(path, size_mib * MIB);
	struct root *r = get_root(pop);
	unsigned char *model = xmalloc(MEM_SIZE), *src = xmalloc(MEM_SIZE);
	unsigned char *pm;
	uint64_t s = seed;
	unsigned long op;
	size_t i;

	if (pmemobj_zalloc(pop, &r->mem, MEM_SIZE, T_MEM))
		FAILF("pmemobj_zalloc: %s", pmemobj_errormsg());
	pm = pmemobj_direct(r->mem);
	memset(model, 0, MEM_SIZE);
	for (i = 0; i < MEM_SIZE; i++)
		src[i] = (unsigned char)rnd_next(&s);
	for (op = 0; op < nops; op++) {
		one_memop(pop, pm, model, src, &s, op);
		if (op % 1000 == 999)
			cmp_all(pop, model, "periodic compare");
	}
	CHECK_EQ(pmemobj_xpersist(pop, pm, MEM_SIZE, PMEMOBJ_F_RELAXED), 0);
	errno = 0;
	CHECK(pmemobj_xpersist(pop, pm, 64, 1u << 7) != 0 && errno == EINVAL);
	pmemobj_persist(pop, pm, MEM_SIZE);
	cmp_all(pop, model, "after all ops");
	pmemobj_close(pop);

	pop = open_pool(path);
	cmp_all(pop, model, "after reopen");
	pmemobj_close(pop);
	if (model_out && *model_out)
		write_model(model_out, model);
	free(model);
	free(src);
	printf("memops: %lu operations (seed %llu) match the model\n", nops,
		(unsigned long long)seed);
	return 0;
}

static int
do_memverify(const char *path, const char *model_in)
{
	unsigned char *model = xmalloc(MEM_SIZE);
	PMEMobjpool *pop;

	read_model(model_in, model);
	pop = open_pool(path);
	cmp_all(pop, model, "memverify");
	pmemobj_close(pop);
	free(model);
	printf("memverify: pool content matches the saved model\n");
	return 0;
}

/* ---- alloc: atomic allocation cycles ------------------------------------ */

struct ctor_arg {
	uint64_t seed;
	uint64_t size;
};

static int
blob_ctor(PMEMobjpool *pop, void *ptr, void *arg)
{
	struct ctor_arg *a = arg;
	struct blob *b = ptr;
	uint64_t i;

	b->seed = a->seed;
	b->size = a->size;
	for (i = 0; i < a->size; i++)
		b->data[i] = (unsigned char)mix64(a->seed, i);
	pmemobj_persist(pop, b, sizeof(*b) + a->size);
	return 0;
}

#define NSLOTS 512

/* Oids live in the pool so pmemobj_alloc publishes them atomically. */
struct slots {
	PMEMoid oid[NSLOTS];
};

/* Large sizes are rare: each allocation class claims its own chunks. */
static void
alloc_one(PMEMobjpool *pop, PMEMoid *slot, uint64_t *s, uint64_t seed,
	uint64_t max)
{
	struct ctor_arg a = { seed, rnd_below(s, 100) < 90 ?
		rnd_below(s, 2048) : rnd_below(s, max) };

	if (pmemobj_alloc(pop, slot, sizeof(struct blob) + a.size, T_BLOB,
	    blob_ctor, &a))
		FAILF("pmemobj_alloc %llu: %s", (unsigned long long)a.size,
			pmemobj_errormsg());
}

static void
realloc_one(PMEMobjpool *pop, PMEMoid *slot, uint64_t *s)
{
	struct blob *b = pmemobj_direct(*slot);
	uint64_t seed = b->seed, old = b->size, size = rnd_below(s, 20000);
	uint64_t i;

	if (pmemobj_realloc(pop, slot, sizeof(struct blob) + size, T_BLOB))
		FAILF("pmemobj_realloc: %s", pmemobj_errormsg());
	b = pmemobj_direct(*slot);
	CHECK_EQ(b->seed, seed);
	for (i = 0; i < (old < size ? old : size); i++)
		if (b->data[i] != (unsigned char)mix64(seed, i))
			FAILF("realloc lost byte %llu", (unsigned long long)i);
	for (; i < size; i++)
		b->data[i] = (unsigned char)mix64(seed, i);
	b->size = size;
	pmemobj_persist(pop, b, sizeof(*b) + size);
}

static uint64_t
check_slots(PMEMobjpool *pop, struct slots *sl)
{
	uint64_t live = 0;
	int i;

	for (i = 0; i < NSLOTS; i++) {
		if (OID_IS_NULL(sl->oid[i]))
			continue;
		CHECK_EQ(pmemobj_type_num(sl->oid[i]), T_BLOB);
		check_blob(sl->oid[i]);
		live++;
	}
	CHECK_EQ(count_type(pop, T_BLOB), live);
	return live;
}

static int
do_alloc(const char *path, unsigned long cycles, uint64_t seed)
{
	PMEMobjpool *pop = create_pool(path, 128 * MIB);
	struct root *r = get_root(pop);
	struct slots *sl;
	PMEMoid big;
	uint64_t s = seed, live;
	unsigned long c;
	int i;

	if (pmemobj_zalloc(pop, &r->slot, sizeof(struct slots), T_SLOT))
		FAILF("pmemobj_zalloc: %s", pmemobj_errormsg());
	sl = pmemobj_direct(r->slot);
	for (c = 0; c < cycles; c++) {
		PMEMoid *slot = &sl->oid[rnd_below(&s, NSLOTS)];

		if (OID_IS_NULL(*slot))
			alloc_one(pop, slot, &s, c + 1, 300000);
		else if (rnd_below(&s, 4) == 0)
			realloc_one(pop, slot, &s);
		else
			pmemobj_free(slot);
		CHECK(!(OID_IS_NULL(*slot) && pmemobj_direct(*slot)));
	}
	live = check_slots(pop, sl);
	errno = 0;
	CHECK(pmemobj_alloc(pop, &big, 1ULL << 40, T_TMP, NULL, NULL) != 0);
	CHECK_EQ(errno, ENOMEM);
	pmemobj_close(pop);

	pop = open_pool(path);
	sl = pmemobj_direct(get_root(pop)->slot);
	CHECK_EQ(check_slots(pop, sl), live);
	for (i = 0; i < NSLOTS; i++)
		pmemobj_free(&sl->oid[i]);
	CHECK_EQ(count_type(pop, T_BLOB), 0);
	pmemobj_close(pop);
	printf("alloc: %lu cycles, %llu objects live before freeing all\n",
		cycles, (unsigned long long)live);
	return 0;
}

/* ---- writer / verify: invariants that must survive kill -9 --------------- */

/*
 * Each transaction moves the counters, the total and the list together;
 * after any crash, sum(counters) == total and the list matches count/sum.
 */
static void
writer_tx(PMEMobjpool *pop, struct root *r, int i, int grow)
{
	TX_BEGIN(pop) {
		pmemobj_tx_add_range_direct(&r->counters[i], sizeof(uint64_t));
		pmemobj_tx_add_range_direct(&r->head,
			sizeof(r->head) + 2 * sizeof(uint64_t));
		pmemobj_tx_add_range_direct(&r->total, 2 * sizeof(uint64_t));
		r->counters[i]++;
		r->total++;
		if (grow)
			push_node(r, r->next_idx++);
		else
			pop_node(r);
	} TX_ONABORT {
		FAILF("writer transaction aborted: %s", pmemobj_errormsg());
	} TX_END
}

static void
writer_step(PMEMobjpool *pop, struct root *r, uint64_t *s)
{
	int i = (int)rnd_below(s, NCOUNTERS);

	writer_tx(pop, r, i, r->count == 0 ||
		(r->count < 5000 && rnd_below(s, 100) < 55));
}

static void
writer_atomic(PMEMobjpool *pop, struct root *r, uint64_t *s, uint64_t seed)
{
	if (OID_IS_NULL(r->slot))
		alloc_one(pop, &r->slot, s, seed, 8192);
	else
		pmemobj_free(&r->slot);
}

static int
do_writer(const char *path, uint64_t seed)
{
	PMEMobjpool *pop = access(path, F_OK) ? create_pool(path, 64 * MIB) :
		open_pool(path);
	struct root *r = get_root(pop);
	uint64_t s = seed, n;

	if (r->magic != MAGIC) {
		TX_BEGIN(pop) {
			pmemobj_tx_add_range_direct(&r->magic,
				sizeof(r->magic));
			r->magic = MAGIC;
		} TX_END
	}
	/* never outlive a harness that failed to kill us */
	alarm(120);
	printf("writer: started\n");
	fflush(stdout);
	for (n = 0;; n++) {
		writer_step(pop, r, &s);
		if (n % 7 == 0)
			writer_atomic(pop, r, &s, n + 1);
	}
	return 0;
}

static int
do_verify(const char *path)
{
	PMEMobjpool *pop = open_pool(path);
	struct root *r = get_root(pop);
	uint64_t tot = 0, sum = 0, len = 0;
	struct node *nd;
	PMEMoid o;
	int i;

	CHECK_EQ(r->magic, MAGIC);
	for (i = 0; i < NCOUNTERS; i++)
		tot += r->counters[i];
	CHECK_EQ(tot, r->total);
	for (o = r->head; !OID_IS_NULL(o); o = nd->next) {
		nd = pmemobj_direct(o);
		if (nd->val != mix64(nd->idx, 2))
			FAILF("node %llu corrupt", (unsigned long long)nd->idx);
		sum += nd->val;
		len++;
	}
	CHECK_EQ(len, r->count);
	CHECK_EQ(sum, r->sum);
	CHECK_EQ(count_type(pop, T_NODE), len);
	if (!OID_IS_NULL(r->slot))
		check_blob(r->slot);
	CHECK_EQ(count_type(pop, T_BLOB), OID_IS_NULL(r->slot) ? 0 : 1);
	printf("total %llu count %llu\n", (unsigned long long)r->total,
		(unsigned long long)r->count);
	pmemobj_close(pop);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: obj_test loadcheck\n"
		"       obj_test big|abort|writer|verify POOL\n"
		"       obj_test memops POOL SIZE_MIB MODEL_OUT NOPS SEED\n"
		"       obj_test memverify POOL MODEL_IN\n"
		"       obj_test alloc POOL CYCLES SEED\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";

	clients_start(argc, argv);
	if (argc < 3)
		usage();
	if (strcmp(mode, "big") == 0)
		return do_big(argv[2], argc > 3 ? strtoull(argv[3], NULL, 0) :
			100000);
	if (strcmp(mode, "abort") == 0)
		return do_abort(argv[2]);
	if (strcmp(mode, "memops") == 0 && argc == 7)
		return do_memops(argv[2], strtoul(argv[3], NULL, 0), argv[4],
			strtoul(argv[5], NULL, 0), strtoull(argv[6], NULL, 0));
	if (strcmp(mode, "memverify") == 0 && argc == 4)
		return do_memverify(argv[2], argv[3]);
	if (strcmp(mode, "alloc") == 0 && argc == 5)
		return do_alloc(argv[2], strtoul(argv[3], NULL, 0),
			strtoull(argv[4], NULL, 0));
	if (strcmp(mode, "writer") == 0)
		return do_writer(argv[2], (uint64_t)getpid());
	if (strcmp(mode, "verify") == 0)
		return do_verify(argv[2]);
	usage();
	return 2;
}

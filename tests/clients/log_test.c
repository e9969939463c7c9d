/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libpmemlog client: append and appendv until the log is full, walk it in
 * several chunk sizes, rewind and reopen, comparing with a DRAM copy.
 */
#include "clients.h"

#include <libpmemlog.h>
#include <sys/uio.h>

struct walk {
	const unsigned char *model;
	size_t len;
	size_t pos;
	size_t chunk;
	size_t calls;
	size_t stop_after;	/* 0: walk everything */
};

static int
walk_cb(const void *buf, size_t len, void *arg)
{
	struct walk *w = arg;

	w->calls++;
	if (w->chunk && len > w->chunk)
		FAILF("chunk %zu: callback got %zu bytes", w->chunk, len);
	if (w->pos + len > w->len)
		FAILF("chunk %zu: walk went past the %zu bytes appended",
			w->chunk, w->len);
	if (memcmp(buf, w->model + w->pos, len))
		FAILF("chunk %zu: data at offset %zu differs", w->chunk,
			w->pos);
	w->pos += len;
	return !(w->stop_after && w->calls == w->stop_after);
}

static void
walk_check(PMEMlogpool *plp, const unsigned char *model, size_t len,
	size_t chunk)
{
	struct walk w = { model, len, 0, chunk, 0, 0 };

	pmemlog_walk(plp, chunk, walk_cb, &w);
	if (w.pos != len)
		FAILF("chunk %zu: walked %zu of %zu bytes", chunk, w.pos, len);
	if (chunk && len && w.calls != (len + chunk - 1) / chunk)
		FAILF("chunk %zu: %zu callbacks for %zu bytes", chunk, w.calls,
			len);
	if (chunk == 0 && w.calls != 1)
		FAILF("chunk 0: %zu callbacks, expected one", w.calls);
}

static void
walk_all(PMEMlogpool *plp, const unsigned char *model, size_t len)
{
	static const size_t chunks[] = { 0, 1, 7, 512, 4096, 65536 };
	struct walk w = { model, len, 0, 100, 0, 3 };
	size_t i;

	CHECK_EQ(pmemlog_tell(plp), len);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
		walk_check(plp, model, len, chunks[i]);
	/* a callback returning 0 ends the walk */
	pmemlog_walk(plp, 100, walk_cb, &w);
	CHECK_EQ(w.calls, len >= 300 ? 3 : (len + 99) / 100);
}

/* Appends random records and iovec batches until the log refuses. */
static size_t
fill_log(PMEMlogpool *plp, unsigned char *model, size_t cap, uint64_t *s)
{
	unsigned char rec[8192];
	struct iovec iov[8];
	size_t len = 0, n, i, k;
	int rc;

	for (;;) {
		n = 1 + rnd_below(s, sizeof(rec));
		for (i = 0; i < n; i++)
			rec[i] = (unsigned char)rnd_next(s);
		if (rnd_below(s, 2)) {
			rc = pmemlog_append(plp, rec, n);
		} else {
			k = 1 + rnd_below(s, 8);
			for (i = 0; i < k; i++) {
				iov[i].iov_base = rec + i * (n / k);
				iov[i].iov_len = i + 1 < k ? n / k :
					n - i * (n / k);
			}
			rc = pmemlog_appendv(plp, iov, (int)k);
		}
		if (rc) {
			CHECK_EQ(errno, ENOSPC);
			break;
		}
		CHECK(len + n <= cap);
		memcpy(model + len, rec, n);
		len += n;
		CHECK_EQ(pmemlog_tell(plp), len);
	}
	/* the failed append must not have written anything */
	CHECK_EQ(pmemlog_tell(plp), len);
	/* the last bytes still fit exactly, and then nothing does */
	n = cap - len;
	CHECK(n <= sizeof(rec));
	for (i = 0; i < n; i++)
		rec[i] = (unsigned char)rnd_next(s);
	if (n && pmemlog_append(plp, rec, n))
		FAILF("appending the last %zu bytes: %s", n,
			pmemlog_errormsg());
	memcpy(model + len, rec, n);
	len += n;
	errno = 0;
	CHECK(pmemlog_append(plp, rec, 1) == -1 && errno == ENOSPC);
	CHECK_EQ(pmemlog_tell(plp), cap);
	return len;
}

int
main(int argc, char *argv[])
{
	PMEMlogpool *plp;
	unsigned char *model;
	size_t cap, len;
	uint64_t s;

	clients_start(argc, argv);
	tl_usage(argc == 4, "log_test", "POOL POOLSIZE_MIB SEED");
	s = strtoull(argv[3], NULL, 0) | 1;
	plp = pmemlog_create(argv[1], strtoul(argv[2], NULL, 0) << 20, 0600);
	if (!plp)
		FAILF("pmemlog_create: %s", pmemlog_errormsg());
	cap = pmemlog_nbyte(plp);
	CHECK(cap > 0);
	model = malloc(cap);
	CHECK(model != NULL);
	walk_all(plp, model, 0);
	len = fill_log(plp, model, cap, &s);
	CHECK_EQ(len, cap);
	walk_all(plp, model, len);
	pmemlog_close(plp);

	plp = pmemlog_open(argv[1]);
	if (!plp)
		FAILF("pmemlog_open: %s", pmemlog_errormsg());
	CHECK_EQ(pmemlog_nbyte(plp), cap);
	walk_all(plp, model, len);
	pmemlog_rewind(plp);
	walk_all(plp, model, 0);
	pmemlog_close(plp);

	plp = pmemlog_open(argv[1]);
	if (!plp)
		FAILF("pmemlog_open after rewind: %s", pmemlog_errormsg());
	walk_all(plp, model, 0);
	len = fill_log(plp, model, cap, &s);
	pmemlog_close(plp);

	plp = pmemlog_open(argv[1]);
	if (!plp)
		FAILF("pmemlog_open after refill: %s", pmemlog_errormsg());
	walk_all(plp, model, len);
	pmemlog_close(plp);
	free(model);
	printf("log: %zu-byte log filled twice, walked, rewound, reopened\n",
		cap);
	return 0;
}

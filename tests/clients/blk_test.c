/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libpmemblk client: fills every block of a pool, marks some zero or in
 * error, and checks each block before and after reopening.
 */
#include "clients.h"

#include <libpmemblk.h>

enum blk_state {
	B_DATA,
	B_ZERO,
	B_ERROR,
};

/*
 * Zero and error blocks are picked by position so reopen needs no table;
 * they move with each generation, so a rewrite must clear the old states.
 */
static enum blk_state
state_of(long long b, unsigned gen)
{
	if (gen == 0)
		return B_ZERO;
	if ((b + gen) % 7 == 3)
		return B_ZERO;
	if ((b + gen) % 11 == 5)
		return B_ERROR;
	return B_DATA;
}

static void
fill(unsigned char *buf, size_t bsize, long long b, unsigned gen)
{
	size_t i;

	for (i = 0; i < bsize; i++)
		buf[i] = (unsigned char)mix64((uint64_t)b * 4 + gen, i);
}

static void
write_all(PMEMblkpool *pbp, size_t bsize, long long n, unsigned gen)
{
	unsigned char *buf = malloc(bsize);
	long long b;

	CHECK(buf != NULL);
	for (b = 0; b < n; b++) {
		fill(buf, bsize, b, gen);
		if (pmemblk_write(pbp, buf, b))
			FAILF("pmemblk_write %lld: %s", b, pmemblk_errormsg());
		switch (state_of(b, gen)) {
		case B_ZERO:
			if (pmemblk_set_zero(pbp, b))
				FAILF("pmemblk_set_zero %lld: %s", b,
					pmemblk_errormsg());
			break;
		case B_ERROR:
			if (pmemblk_set_error(pbp, b))
				FAILF("pmemblk_set_error %lld: %s", b,
					pmemblk_errormsg());
			break;
		default:
			break;
		}
	}
	free(buf);
}

static void
verify_all(PMEMblkpool *pbp, size_t bsize, long long n, unsigned gen,
	const char *when)
{
	unsigned char *buf = malloc(bsize), *want = malloc(bsize);
	long long b;
	int rc;

	CHECK(buf != NULL && want != NULL);
	for (b = 0; b < n; b++) {
		enum blk_state st = state_of(b, gen);

		memset(buf, 0x5a, bsize);
		errno = 0;
		rc = pmemblk_read(pbp, buf, b);
		if (st == B_ERROR) {
			if (rc != -1 || errno != EIO)
				FAILF("%s: block %lld in error state: read "
					"returned %d errno %d, expected -1 EIO",
					when, b, rc, errno);
			continue;
		}
		if (rc != 0)
			FAILF("%s: pmemblk_read %lld: %s", when, b,
				pmemblk_errormsg());
		if (st == B_ZERO)
			memset(want, 0, bsize);
		else
			fill(want, bsize, b, gen);
		if (memcmp(buf, want, bsize))
			FAILF("%s: block %lld (bsize %zu) differs", when, b,
				bsize);
	}
	free(buf);
	free(want);
}

int
main(int argc, char *argv[])
{
	PMEMblkpool *pbp;
	const char *path;
	size_t bsize, poolsize;
	long long n;

	clients_start(argc, argv);
	tl_usage(argc == 4, "blk_test", "POOL BSIZE POOLSIZE_MIB");
	path = argv[1];
	bsize = strtoul(argv[2], NULL, 0);
	poolsize = strtoul(argv[3], NULL, 0) << 20;

	pbp = pmemblk_create(path, bsize, poolsize, 0600);
	if (!pbp)
		FAILF("pmemblk_create: %s", pmemblk_errormsg());
	CHECK_EQ(pmemblk_bsize(pbp), bsize);
	n = (long long)pmemblk_nblock(pbp);
	CHECK(n > 0 && (size_t)n * bsize <= poolsize);
	verify_all(pbp, bsize, n, 0, "fresh pool");
	write_all(pbp, bsize, n, 1);
	verify_all(pbp, bsize, n, 1, "after write");
	errno = 0;
	CHECK(pmemblk_write(pbp, "", n) == -1 && errno == EINVAL);
	pmemblk_close(pbp);

	errno = 0;
	CHECK(pmemblk_open(path, bsize + 1) == NULL && errno == EINVAL);
	pbp = pmemblk_open(path, bsize);
	if (!pbp)
		FAILF("pmemblk_open: %s", pmemblk_errormsg());
	CHECK_EQ(pmemblk_nblock(pbp), n);
	verify_all(pbp, bsize, n, 1, "after reopen");
	/* writing a block clears its error state */
	write_all(pbp, bsize, n, 2);
	verify_all(pbp, bsize, n, 2, "after rewrite");
	pmemblk_close(pbp);

	pbp = pmemblk_open(path, 0);
	if (!pbp)
		FAILF("pmemblk_open bsize 0: %s", pmemblk_errormsg());
	verify_all(pbp, bsize, n, 2, "after second reopen");
	pmemblk_close(pbp);
	printf("blk: bsize %zu, %lld blocks verified\n", bsize, n);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * batch.c -- update records scattered over a pmem file with one flush per
 * record and a single drain for all of them, then read the file back.
 */

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libpmem.h>

#define FILE_LEN (64 * 1024)
#define REC_LEN 64
#define NREC 4

/* far apart on purpose: no single flush can cover two records */
static const size_t Offsets[NREC] = {
	0, 4096 + 8, 20000, FILE_LEN - REC_LEN
};

static void
fill(char *rec, int i)
{
	memset(rec, 0, REC_LEN);
	snprintf(rec, REC_LEN, "record %d", i);
}

/* reads the file through read(), not the mapping, and compares */
static int
verify(const char *path)
{
	char want[REC_LEN], got[REC_LEN];
	int fd, i, bad = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < NREC; i++) {
		fill(want, i);
		if (pread(fd, got, REC_LEN, (off_t)Offsets[i]) != REC_LEN ||
				memcmp(want, got, REC_LEN) != 0) {
			fprintf(stderr, "record %d: wrong content\n", i);
			bad = 1;
		}
	}
	close(fd);
	return bad;
}

int
main(int argc, char *argv[])
{
	char *base;
	size_t mapped_len;
	int is_pmem, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s file\n", argv[0]);
		return 2;
	}
	base = pmem_map_file(argv[1], FILE_LEN, PMEM_FILE_CREATE, 0644,
			&mapped_len, &is_pmem);
	if (base == NULL) {
		fprintf(stderr, "pmem_map_file: %s\n", pmem_errormsg());
		return 1;
	}

	for (i = 0; i < NREC; i++) {
		fill(base + Offsets[i], i);
		/* starts the write-back of this record without waiting */
		if (is_pmem) {
			pmem_flush(base + Offsets[i], REC_LEN);
		} else if (pmem_msync(base + Offsets[i], REC_LEN) != 0) {
			fprintf(stderr, "pmem_msync: %s\n", pmem_errormsg());
			return 1;
		}
	}
	/* one wait covers every flush issued above */
	if (is_pmem)
		pmem_drain();

	if (pmem_unmap(base, mapped_len) != 0) {
		fprintf(stderr, "pmem_unmap: %s\n", pmem_errormsg());
		return 1;
	}
	return verify(argv[1]);
}

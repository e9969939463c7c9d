/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * errmsg.c -- map an existing file; on failure let errno decide what to
 * do and pmem_errormsg() explain it to the user.
 */

#include <errno.h>
#include <stdio.h>
#include <libpmem.h>

int
main(int argc, char *argv[])
{
	size_t len;
	void *addr;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: %s file\n", argv[0]);
		return 2;
	}

	/* without PMEM_FILE_CREATE the file must exist; len must be 0 */
	addr = pmem_map_file(argv[1], 0, 0, 0, &len, NULL);
	if (addr == NULL) {
		/* saved first: the next library or libc call may change it */
		err = errno;
		fprintf(stderr, "cannot map %s: %s\n", argv[1],
				pmem_errormsg());
		return err == ENOENT ? 3 : 1;
	}

	printf("%s: %zu bytes mapped\n", argv[1], len);
	pmem_unmap(addr, len);
	return 0;
}

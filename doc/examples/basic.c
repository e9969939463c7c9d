/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * basic.c -- the libpmem(7) example: map a file, store a string in it and
 * make the string durable with whichever call suits the mapping.
 */

#include <stdio.h>
#include <string.h>
#include <libpmem.h>

/* size of the file the example creates */
#define FILE_LEN 4096

int
main(int argc, char *argv[])
{
	const char *msg = "hello, persistent memory";
	char *addr;
	size_t mapped_len;
	int is_pmem;

	if (argc != 2) {
		fprintf(stderr, "usage: %s file\n", argv[0]);
		return 2;
	}

	/* creates the file if needed and sizes it to FILE_LEN bytes */
	addr = pmem_map_file(argv[1], FILE_LEN, PMEM_FILE_CREATE, 0644,
			&mapped_len, &is_pmem);
	if (addr == NULL) {
		fprintf(stderr, "pmem_map_file: %s\n", pmem_errormsg());
		return 1;
	}

	strcpy(addr, msg);

	/*
	 * On pmem, writing back the CPU caches is enough. Anything else is
	 * page cache, which only the kernel can write to the media.
	 */
	if (is_pmem) {
		pmem_persist(addr, strlen(msg) + 1);
	} else if (pmem_msync(addr, strlen(msg) + 1) != 0) {
		fprintf(stderr, "pmem_msync: %s\n", pmem_errormsg());
		return 1;
	}

	if (pmem_unmap(addr, mapped_len) != 0) {
		fprintf(stderr, "pmem_unmap: %s\n", pmem_errormsg());
		return 1;
	}
	return 0;
}

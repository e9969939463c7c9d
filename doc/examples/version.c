/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * version.c -- refuse to run with a libpmem older than the header the
 * program was compiled against, and show what a refusal looks like.
 */

#include <stdio.h>
#include <libpmem.h>

int
main(void)
{
	const char *why;

	why = pmem_check_version(PMEM_MAJOR_VERSION, PMEM_MINOR_VERSION);
	if (why != NULL) {
		fprintf(stderr, "unusable libpmem: %s\n", why);
		return 1;
	}
	printf("libpmem API %d.%d is available\n", PMEM_MAJOR_VERSION,
			PMEM_MINOR_VERSION);

	/* a new major version is never compatible with an old one */
	why = pmem_check_version(PMEM_MAJOR_VERSION + 1, 0);
	printf("a request for %d.0 is refused: %s\n", PMEM_MAJOR_VERSION + 1,
			why != NULL ? why : "(not refused)");
	return why != NULL ? 0 : 1;
}

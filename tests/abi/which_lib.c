/* SPDX-License-Identifier: BSD-3-Clause */
/* Built against the installed (reference) libpmem; prints the file the
 * dynamic linker actually bound pmem_map_file to, then uses the library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <libpmem.h>

int
main(void)
{
	Dl_info info;
	char buf[64];

	if (!dladdr((void *)pmem_map_file, &info))
		return 1;
	printf("%s\n", info.dli_fname);
	pmem_memcpy_persist(buf, "abc", 4);
	return strcmp(buf, "abc") != 0 ||
		pmem_check_version(1, 1) != NULL;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/* Prints every macro and prototype-visible type of libpmem.h; compiled once
 * against our header and once against the reference's, outputs compared. */
#include <stdio.h>

#include <libpmem.h>

#define SHOW(m) printf("%s %llu %zu\n", #m, (unsigned long long)(m), \
	sizeof(m))

int
main(void)
{
	SHOW(PMEM_MIN_PART);
	SHOW(PMEM_FILE_CREATE);
	SHOW(PMEM_FILE_EXCL);
	SHOW(PMEM_FILE_SPARSE);
	SHOW(PMEM_FILE_TMPFILE);
	SHOW(PMEM_F_MEM_NODRAIN);
	SHOW(PMEM_F_MEM_NONTEMPORAL);
	SHOW(PMEM_F_MEM_TEMPORAL);
	SHOW(PMEM_F_MEM_WC);
	SHOW(PMEM_F_MEM_WB);
	SHOW(PMEM_F_MEM_NOFLUSH);
	SHOW(PMEM_F_MEM_VALID_FLAGS);
	SHOW(PMEM_MAJOR_VERSION);
	SHOW(PMEM_MINOR_VERSION);
	return 0;
}

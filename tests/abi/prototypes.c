/* SPDX-License-Identifier: BSD-3-Clause */
/* Assigning each function to a pointer of the reference's exact type fails
 * to compile if our header declares anything differently. */
#include <libpmem.h>

void *(*p_map_file)(const char *, size_t, int, mode_t, size_t *, int *) =
	pmem_map_file;
int (*p_unmap)(void *, size_t) = pmem_unmap;
int (*p_is_pmem)(const void *, size_t) = pmem_is_pmem;
void (*p_persist)(const void *, size_t) = pmem_persist;
int (*p_msync)(const void *, size_t) = pmem_msync;
int (*p_has_auto_flush)(void) = pmem_has_auto_flush;
void (*p_flush)(const void *, size_t) = pmem_flush;
void (*p_deep_flush)(const void *, size_t) = pmem_deep_flush;
int (*p_deep_drain)(const void *, size_t) = pmem_deep_drain;
int (*p_deep_persist)(const void *, size_t) = pmem_deep_persist;
void (*p_drain)(void) = pmem_drain;
int (*p_has_hw_drain)(void) = pmem_has_hw_drain;
void *(*p_memmove_persist)(void *, const void *, size_t) =
	pmem_memmove_persist;
void *(*p_memcpy_persist)(void *, const void *, size_t) =
	pmem_memcpy_persist;
void *(*p_memset_persist)(void *, int, size_t) = pmem_memset_persist;
void *(*p_memmove_nodrain)(void *, const void *, size_t) =
	pmem_memmove_nodrain;
void *(*p_memcpy_nodrain)(void *, const void *, size_t) =
	pmem_memcpy_nodrain;
void *(*p_memset_nodrain)(void *, int, size_t) = pmem_memset_nodrain;
void *(*p_memmove)(void *, const void *, size_t, unsigned) = pmem_memmove;
void *(*p_memcpy)(void *, const void *, size_t, unsigned) = pmem_memcpy;
void *(*p_memset)(void *, int, size_t, unsigned) = pmem_memset;
const char *(*p_check_version)(unsigned, unsigned) = pmem_check_version;
const char *(*p_errormsg)(void) = pmem_errormsg;

int
main(void)
{
	return p_errormsg == 0;
}

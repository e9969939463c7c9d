/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The registry of mapped ranges known to be persistent memory (Device DAX
 * and MAP_SYNC mappings made by pmem_map_file): what pmem_is_pmem and the
 * deep-flush calls consult.
 */
#ifndef PMEM_RANGE_H
#define PMEM_RANGE_H

#include <stddef.h>
#include <stdint.h>

enum range_type {
	RANGE_DEVDAX,		/* deep flush through the nd region */
	RANGE_DEVDAX_NO_REGION,	/* Device DAX with nothing to deep flush */
	RANGE_MAP_SYNC,		/* deep flush through msync */
};

int range_register(uintptr_t addr, size_t len, enum range_type type,
	unsigned region_id);
void range_unregister(uintptr_t addr, size_t len);
/* unmap(addr, len), then the pages it removed leave the registry */
int range_unmap(void *addr, size_t len, int (*unmap)(void *, size_t));
int range_is_pmem(uintptr_t addr, size_t len);
int range_deep_drain(uintptr_t addr, size_t len);
size_t range_count(void);
void range_init(void);
void range_fini(void);

#endif

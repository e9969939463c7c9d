/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run under a Valgrind tool against either library. memcheck: bytes the
 * caller hid next to (not inside) a pmem_msync range are no error, bytes
 * inside a msync'ed or flushed range are. pmemcheck: every way the API
 * makes stores persistent must leave none reported.
 *
 * Usage: vg_tools DIR MODE
 *   beside-noaccess   first 128 bytes NOACCESS, msync of the next 128
 *   beside-undefined  the same with UNDEFINED bytes
 *   msync-own         NOACCESS inside the msync'ed range (must report)
 *   flush-own         NOACCESS inside a pmem_flush range (must report)
 *   deep-flush-own    NOACCESS inside a pmem_deep_flush range (must report)
 *   persist-all       (pmemcheck) copies, fills, flushes and msync
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

#include <libpmem.h>

#define LEN (1u << 20)

/* each way of making stores persistent, streaming and not */
static void
persist_all(char *p)
{
	char *src = p + LEN / 2;

	pmem_memcpy_persist(p, src, 64 << 10);
	pmem_memcpy_persist(p + 100, src, 100);
	pmem_memset_persist(p + 4096, 3, 8192);
	pmem_memmove_nodrain(p + 20000, src, 5000);
	pmem_memset(p + 30000, 1, 100, PMEM_F_MEM_NONTEMPORAL);
	pmem_drain();
	p[40000] = 1;
	pmem_persist(p + 40000, 1);
	p[50000] = 1;
	pmem_flush(p + 50000, 1);
	pmem_drain();
	p[60000] = 1;
	pmem_msync(p + 60000, 1);
	p[70000] = 1;
	pmem_deep_persist(p + 70000, 1);
}

int
main(int argc, char *argv[])
{
	char path[4096];
	size_t len;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DIR MODE\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/vg_tools.pool", argv[1]);
	char *p = pmem_map_file(path, LEN, PMEM_FILE_CREATE, 0600, &len, NULL);

	if (p == NULL) {
		perror("pmem_map_file");
		return 2;
	}
	const char *m = argv[2];
	int ret = 0;

	if (strncmp(m, "persist", 7) != 0)
		memset(p, 1, 4096);
	if (strcmp(m, "beside-noaccess") == 0) {
		VALGRIND_MAKE_MEM_NOACCESS(p, 128);
		ret = pmem_msync(p + 128, 128);
	} else if (strcmp(m, "beside-undefined") == 0) {
		VALGRIND_MAKE_MEM_UNDEFINED(p, 128);
		ret = pmem_msync(p + 128, 128);
	} else if (strcmp(m, "msync-own") == 0) {
		VALGRIND_MAKE_MEM_NOACCESS(p + 128, 64);
		ret = pmem_msync(p + 128, 128);
	} else if (strcmp(m, "flush-own") == 0) {
		VALGRIND_MAKE_MEM_NOACCESS(p + 128, 64);
		pmem_flush(p + 128, 128);
	} else if (strcmp(m, "deep-flush-own") == 0) {
		VALGRIND_MAKE_MEM_NOACCESS(p + 128, 64);
		pmem_deep_flush(p + 128, 128);
	} else if (strcmp(m, "persist-all") == 0) {
		persist_all(p);
	} else {
		fprintf(stderr, "unknown mode %s\n", m);
		return 2;
	}
	if (ret != 0) {
		perror("pmem_msync");
		return 2;
	}
	VALGRIND_MAKE_MEM_DEFINED(p, 4096);
	pmem_unmap(p, len);
	unlink(path);
	return 0;
}

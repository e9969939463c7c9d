/* SPDX-License-Identifier: BSD-3-Clause */
/* Shown at the end of `make`: map a file, persist a string, read it back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpmem.h>

int
main(void)
{
	char path[] = "/tmp/libpmem-demo.XXXXXX";
	const char msg[] = "hello, persistent memory";
	size_t mapped;
	int is_pmem, fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);
	char *p = pmem_map_file(path, 4096, PMEM_FILE_CREATE, 0600,
		&mapped, &is_pmem);

	if (p == NULL) {
		fprintf(stderr, "pmem_map_file: %s\n", pmem_errormsg());
		unlink(path);
		return 1;
	}
	pmem_memcpy_persist(p, msg, sizeof(msg));
	if (!is_pmem)
		pmem_msync(p, sizeof(msg));
	int ok = strcmp(p, msg) == 0;

	printf("libpmem demo: mapped %zu bytes of %s (is_pmem %d), "
		"persisted \"%s\": %s\n", mapped, path, is_pmem, p,
		ok ? "ok" : "MISMATCH");
	pmem_unmap(p, mapped);
	unlink(path);
	return ok ? 0 : 1;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmemcp.c -- copy a file into a new file that may live on persistent
 * memory, paying for one drain (or one msync) instead of one per block.
 */

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libpmem.h>

/* how much of the source one read() fetches */
#define CHUNK (256 * 1024)

static char Buf[CHUNK];

/* fills the mapping from fd; returns 0 when all mapped_len bytes arrived */
static int
copy(int fd, char *dest, size_t mapped_len, int is_pmem)
{
	size_t done = 0;

	while (done < mapped_len) {
		ssize_t n = read(fd, Buf, CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("read");
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "source shrank while copying\n");
			return -1;
		}
		if ((size_t)n > mapped_len - done)
			n = (ssize_t)(mapped_len - done);

		/*
		 * _nodrain: the copy flushes as it goes but does not wait;
		 * the single pmem_drain() in main() waits for all blocks.
		 */
		if (is_pmem)
			pmem_memcpy_nodrain(dest + done, Buf, (size_t)n);
		else
			memcpy(dest + done, Buf, (size_t)n);
		done += (size_t)n;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct stat st;
	char *dest;
	size_t mapped_len;
	int is_pmem, fd, ret = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s source destination\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(argv[1]);
		return 1;
	}
	/* a mapping cannot be empty, so neither can the copy */
	if (st.st_size == 0) {
		fprintf(stderr, "%s: empty file\n", argv[1]);
		close(fd);
		return 1;
	}

	/* PMEM_FILE_EXCL: never overwrite an existing destination */
	dest = pmem_map_file(argv[2], (size_t)st.st_size,
			PMEM_FILE_CREATE | PMEM_FILE_EXCL, st.st_mode & 0777,
			&mapped_len, &is_pmem);
	if (dest == NULL) {
		fprintf(stderr, "%s: %s\n", argv[2], pmem_errormsg());
		close(fd);
		return 1;
	}

	if (copy(fd, dest, mapped_len, is_pmem) == 0) {
		if (is_pmem) {
			pmem_drain();
			ret = 0;
		} else if (pmem_msync(dest, mapped_len) == 0) {
			ret = 0;
		} else {
			fprintf(stderr, "pmem_msync: %s\n", pmem_errormsg());
		}
	}

	pmem_unmap(dest, mapped_len);
	close(fd);
	/* do not leave a truncated copy behind */
	if (ret != 0)
		unlink(argv[2]);
	return ret;
}

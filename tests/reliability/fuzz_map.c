/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness over pmem_map_file's argument space: path kinds,
 * flags (valid, invalid, conflicting), lengths (zero, small, huge,
 * negative as off_t) and modes. Invariants: no crash, no leaked descriptor
 * or mapping, errno and a message on failure, and on success a mapping as
 * long as the file that is fully accessible. Files live in $RT_FUZZ_DIR
 * (a small tmpfs in run.sh, so huge non-sparse sizes fail fast).
 */
#include "rtest.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include <libpmem.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MiB ((size_t)1 << 20)

static char *Dir;
static int Clamp, Plant;

static uint64_t
get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static size_t
pick_len(uint8_t cls, uint64_t raw)
{
	switch (cls % 8) {
	case 0: return 0;
	case 1: return raw % 65536;
	case 2: return (raw % 64) * 4096;
	case 3: return (size_t)1 << (40 + raw % 8);
	case 4: return SIZE_MAX - raw % 4096;
	case 5: return ((size_t)1 << 63) | (raw % 4096); /* off_t < 0 */
	case 6: return raw % (8 * MiB);
	default: return raw;
	}
}

static int
make_file(const char *path, size_t len, mode_t mode)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	int r = ftruncate(fd, (off_t)len);

	close(fd);
	return r;
}

/* builds the path of kind k; sets *exists to the size of a made file */
static void
make_path(int k, char *path, size_t size, size_t exist_len, long *exists)
{
	*exists = -1;
	switch (k % 11) {
	case 0:	/* not there yet */
		snprintf(path, size, "%s/new", Dir);
		break;
	case 1:
		snprintf(path, size, "%s/file", Dir);
		if (make_file(path, exist_len, 0600) == 0)
			*exists = (long)exist_len;
		break;
	case 2:
		snprintf(path, size, "%s", Dir);
		break;
	case 3:
		path[0] = '\0';
		break;
	case 4: {	/* longer than PATH_MAX */
		int n = snprintf(path, size, "%s/", Dir);

		memset(path + n, 'a', size - (size_t)n - 1);
		path[size - 1] = '\0';
		break;
	}
	case 5:
		snprintf(path, size, "/dev/null");
		break;
	case 6:
		snprintf(path, size, "/dev/zero");
		break;
	case 7: {
		char target[4096];

		snprintf(target, sizeof(target), "%s/file", Dir);
		if (make_file(target, exist_len, 0600) == 0)
			*exists = (long)exist_len;
		snprintf(path, size, "%s/link", Dir);
		if (symlink(target, path) != 0)
			*exists = -1;
		break;
	}
	case 8:	/* a file used as a directory */
		snprintf(path, size, "%s/file/", Dir);
		make_file(path, 4096, 0600);
		break;
	case 9:
		snprintf(path, size, "%s/no/such/dir/f", Dir);
		break;
	default:
		snprintf(path, size, "%s/fifo", Dir);
		mkfifo(path, 0600);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[PATH_MAX + 64];

	if (Dir == NULL) {
		const char *d = getenv("RT_FUZZ_DIR");

		Dir = d ? strdup(d) : rt_mkdtemp("fuzz_map");
		Clamp = d == NULL || getenv("RT_FUZZ_CLAMP") != NULL;
		Plant = getenv("RT_FUZZ_PLANT") != NULL;
	}
	if (size < 24)
		return 0;
	/* per input: libFuzzer's own descriptors come and go */
	int fds = rt_count_fds();

	int kind = data[0];
	int flags = data[1] & 0x0f;

	if (data[2] & 0x80)
		flags |= (int)(get64(data + 16) >> 32);	/* invalid bits */
	size_t len = pick_len(data[3], get64(data + 4));
	mode_t mode = (mode_t)((data[12] | data[13] << 8) & 07777);
	size_t exist_len = (size_t)data[14] * 4096 + data[15] % 2 * 100;
	long exists;

	/*
	 * Non-sparse creates allocate for real: on the small tmpfs run.sh
	 * mounts, sizes past it fail at once (ENOSPC) and are kept; on any
	 * other file system (RT_FUZZ_CLAMP=1) every size is kept small.
	 */
	if ((flags & PMEM_FILE_CREATE) && !(flags & PMEM_FILE_SPARSE) &&
			len > 32 * MiB && (Clamp || len < ((size_t)1 << 40)))
		len %= 32 * MiB;
	make_path(kind, path, sizeof(path), exist_len, &exists);

	size_t mlen = 12345;
	int isp = 7;

	errno = 0;
	char *a = pmem_map_file(path, len, flags, mode, &mlen, &isp);
	int err = errno;

	if (a == NULL) {
		if (err == 0)
			abort();	/* failure without errno */
		/* compat: a non-DAX character device fails silently */
		if (pmem_errormsg()[0] == '\0' && kind % 11 != 5 &&
				kind % 11 != 6)
			abort();
	} else {
		struct stat st;
		size_t want = (flags & PMEM_FILE_CREATE) ? len :
			(size_t)exists;

		if (isp != 0 && isp != 1)
			abort();
		if (!(flags & PMEM_FILE_TMPFILE) && stat(path, &st) == 0 &&
				(size_t)st.st_size != mlen)
			abort();	/* mapping length != file size */
		if (exists < 0 && !(flags & PMEM_FILE_CREATE))
			abort();	/* mapped something never made */
		if (mlen != want)
			abort();
		a[0] = 1;
		a[mlen - 1] = 2;
		/* RT_FUZZ_PLANT: the self-test's planted mapping leak */
		if (!Plant && pmem_unmap(a, mlen) != 0)
			abort();
	}
	if (rt_count_fds() != fds || rt_count_maps(Dir) != 0)
		abort();	/* leaked descriptor or mapping */
	rt_rm_rf(Dir, 1);
	return 0;
}

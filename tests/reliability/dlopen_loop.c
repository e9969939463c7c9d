/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loads and unloads the library many times, using it each time (a mapping,
 * copies, an error message in this thread and in a short-lived one), and
 * checks that memory and descriptors do not grow and that it really unloads.
 *
 * Usage: dlopen_loop LIBPATH ITERATIONS MAX_GROWTH_KB
 */
#include "rtest.h"

#include <dlfcn.h>
#include <pthread.h>

#include <libpmem.h>

static void *
error_thread(void *arg)
{
	const struct pmem_api *a = arg;

	/* the first error in a thread allocates its message buffer */
	if (a->map_file("", 0, 0, 0, NULL, NULL) != NULL ||
			a->errormsg()[0] == '\0')
		tl_fail("error in a new thread not reported");
	return NULL;
}

static void
use(void *h, const char *dir, int i)
{
	struct pmem_api a;
	char path[4096], msg[64];
	size_t mlen;
	pthread_t t;

	rt_api(&a, h);

	snprintf(path, sizeof(path), "%s/f", dir);
	char *p = a.map_file(path, 1 << 16, PMEM_FILE_CREATE, 0600, &mlen,
		NULL);

	if (p == NULL) {
		tl_fail("iteration %d: map: %s", i, a.errormsg());
		return;
	}
	snprintf(msg, sizeof(msg), "iteration %d", i);
	a.memcpy_persist(p + 100, msg, sizeof(msg));
	if (a.is_pmem(p, mlen) < 0 || memcmp(p + 100, msg, sizeof(msg)))
		tl_fail("iteration %d: content", i);
	if (a.unmap(p, mlen) != 0)
		tl_fail("iteration %d: unmap", i);
	if (a.map_file(dir, 0, 1 << 20, 0, NULL, NULL) != NULL ||
			a.errormsg()[0] == '\0')
		tl_fail("iteration %d: bad flags not reported", i);
	pthread_create(&t, NULL, error_thread, &a);
	pthread_join(t, NULL);
}

int
main(int argc, char *argv[])
{
	if (argc < 4)
		tl_die("usage: dlopen_loop LIBPATH ITERATIONS MAX_GROWTH_KB");
	const char *lib = argv[1];
	int iters = atoi(argv[2]);
	long bound = atol(argv[3]);
	char *dir = rt_mkdtemp("dlopen");
	char *real = realpath(lib, NULL);
	long rss0 = 0, vsz0 = 0;
	int fds0 = 0, warm = iters / 10;

	for (int i = 0; i < iters; i++) {
		void *h = rt_dlopen(lib);

		use(h, dir, i);
		if (dlclose(h) != 0)
			tl_die("dlclose: %s", dlerror());
		/* a library that stays loaded would make the test vacuous */
		if ((i == 0 || i == iters - 1) && real != NULL &&
				rt_count_maps(real) != 0)
			tl_fail("%s still mapped after dlclose", real);
		if (i == warm) {
			rss0 = rt_status_kb("VmRSS");
			vsz0 = rt_status_kb("VmSize");
			fds0 = rt_count_fds();
		}
	}
	long rss = rt_status_kb("VmRSS"), vsz = rt_status_kb("VmSize");
	int fds = rt_count_fds();

	printf("dlopen_loop: %d cycles of %s; after cycle %d -> end: VmRSS "
		"%ld -> %ld KiB, VmSize %ld -> %ld KiB, fds %d -> %d\n",
		iters, lib, warm, rss0, rss, vsz0, vsz, fds0, fds);
	TL_CHECK(rss - rss0 <= bound, "VmRSS grew by %ld KiB", rss - rss0);
	TL_CHECK(vsz - vsz0 <= bound, "VmSize grew by %ld KiB", vsz - vsz0);
	TL_CHECK(fds == fds0, "descriptors grew from %d to %d", fds0, fds);
	rt_rm_rf(dir, 0);
	free(dir);
	free(real);
	return tl_failures() ? 1 : 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pmem_is_pmem(): answered from the range registry, or forced by
 * PMEM_IS_PMEM_FORCE.
 */
#include <pthread.h>
#include <stdlib.h>

#include "env.h"
#include "libpmem.h"
#include "out.h"
#include "range.h"
#include "util.h"

enum force { FORCE_NONE, FORCE_NEVER, FORCE_ALWAYS };

static pthread_once_t Force_once = PTHREAD_ONCE_INIT;
static enum force Force;

/*
 * compat: read at the first pmem_is_pmem() call, not at load, so that
 * programs may set it after loading the library (documented behaviour).
 * Like the reference, the value is parsed with atoi and only 0 and 1 count.
 */
static void
read_force(void)
{
	const char *e = env_get(ENV_IS_PMEM_FORCE);

	if (e == NULL)
		return;
	switch (atoi(e)) {
	case 0:
		Force = FORCE_NEVER;
		break;
	case 1:
		Force = FORCE_ALWAYS;
		break;
	default:
		break;
	}
	LOG(3, "PMEM_IS_PMEM_FORCE=%s", e);
}

PMEM_EXPORT int
pmem_is_pmem(const void *addr, size_t len)
{
	LOG(10, "addr %p len %zu", addr, len);
	pthread_once(&Force_once, read_force);

	/* compat: an empty range is never pmem, even when forced */
	if (len == 0)
		return 0;
	switch (Force) {
	case FORCE_NEVER:
		return 0;
	case FORCE_ALWAYS:
		return 1;
	default:
		return range_is_pmem((uintptr_t)addr, len);
	}
}

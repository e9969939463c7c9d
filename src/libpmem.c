/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Library load and unload, pmem_check_version() and pmem_errormsg().
 */
#include "funcs.h"
#include "libpmem.h"
#include "out.h"
#include "range.h"
#include "util.h"

/* every decision that depends on the CPU or the environment happens here */
__attribute__((constructor)) void
libpmem_load(void)
{
	out_init();
	LOG(3, "loading");
	range_init();
	pmem_init();
}

__attribute__((destructor)) static void
libpmem_unload(void)
{
	LOG(3, "unloading");
	range_fini();
	out_fini();
}

PMEM_EXPORT const char *
pmem_check_version(unsigned major_required, unsigned minor_required)
{
	LOG(3, "major_required %u minor_required %u", major_required,
		minor_required);

	if (major_required != PMEM_MAJOR_VERSION) {
		ERR("libpmem major version mismatch (need %u, found %u)",
			major_required, PMEM_MAJOR_VERSION);
		return out_errormsg();
	}
	if (minor_required > PMEM_MINOR_VERSION) {
		ERR("libpmem minor version mismatch (need %u, found %u)",
			minor_required, PMEM_MINOR_VERSION);
		return out_errormsg();
	}
	return NULL;
}

PMEM_EXPORT const char *
pmem_errormsg(void)
{
	return out_errormsg();
}

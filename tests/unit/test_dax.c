/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dax_linux.c: which nd region a Device DAX belongs to, read from its
 * resolved sysfs path, for the shapes the kernel gives NVDIMM, CXL pmem,
 * CXL RAM and soft-reserved (dax_hmem) devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "platform_linux.h"

static void
test_nd_regions(void **state)
{
	(void) state;
	unsigned id = 99;

	/* an NVDIMM namespace on the ACPI NFIT bus */
	assert_int_equal(dax_nd_region("/sys/devices/LNXSYSTM:00/LNXSYBUS:00/"
		"ACPI0012:00/ndbus0/region1/dax1.0/dax1.0", &id), 0);
	assert_int_equal(id, 1);
	/* CXL pmem: the nd bus sits below the CXL nvdimm bridge */
	assert_int_equal(dax_nd_region("/sys/devices/platform/ACPI0017:00/"
		"root0/nvdimm-bridge0/ndbus1/region12/dax12.0/dax12.0", &id),
		0);
	assert_int_equal(id, 12);
}

static void
test_no_nd_region(void **state)
{
	(void) state;
	unsigned id = 99;

	/* soft-reserved memory (memmap=...%...-1+..., EFI_MEMORY_SP) */
	assert_int_equal(dax_nd_region("/sys/devices/platform/hmem.0/dax0.0",
		&id), 1);
	/* a CXL RAM region: "region0" there is CXL's, not nd's */
	assert_int_equal(dax_nd_region("/sys/devices/platform/ACPI0017:00/"
		"root0/decoder0.0/region0/dax_region0/dax0.0", &id), 1);
	/* no digits, or not a directory of its own */
	assert_int_equal(dax_nd_region("/sys/devices/x/ndbus0/regionX/dax0.0",
		&id), 1);
	assert_int_equal(dax_nd_region("/sys/devices/x/ndbus0/region3", &id),
		1);
	assert_int_equal(dax_nd_region("", &id), 1);
	assert_int_equal(id, 99);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nd_regions),
		cmocka_unit_test(test_no_nd_region),
	};

	return cmocka_run_group_tests_name("dax", tests, NULL, NULL);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * For the API test programs: CHECK, a condition reported (report.h) when
 * it fails, and a table of tests run by name from the command line.
 */
#ifndef NAMED_TESTS_H
#define NAMED_TESTS_H

#include <stdio.h>
#include <string.h>

#include "report.h"

#define CHECK(cond) TL_CHECK(cond, "%s", #cond)

struct named_test {
	const char *name;
	void (*fn)(void);
};

/* the row of a table of tests: test_NAME, run by the name NAME */
#define NAMED_TEST(name) { #name, test_##name }

/* runs the test called name, or every one when name is NULL; 2: no such */
static inline int
run_named(const struct named_test *tests, size_t n, const char *name)
{
	int ran = 0;

	for (size_t i = 0; i < n; i++) {
		if (name != NULL && strcmp(name, tests[i].name) != 0)
			continue;
		tests[i].fn();
		ran = 1;
	}
	if (!ran) {
		fprintf(stderr, "unknown test %s\n", name);
		return 2;
	}
	return tl_failures() != 0;
}

/* run_named over a whole array */
#define RUN_NAMED(tests, name) \
	run_named((tests), sizeof(tests) / sizeof(*(tests)), (name))

#endif

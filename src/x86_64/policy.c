/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-CPU kernel policy: for each kind of copy, the family that
 * measured fastest on that CPU. The best family depends on the CPU model,
 * not on its feature bits (Zen 5 streams faster with 256-bit vectors, one
 * Intel Xeon with 512-bit ones, another with MOVDIR64B), so rows are keyed
 * on vendor, family and model; the rows and the measurements behind them
 * are in policy.rows, which the build writes as policy_rows.h next to
 * this object (sources.mk). A family the CPU or the environment does not
 * allow is narrowed in init.c.
 */
#include <stdint.h>

#include "policy.h"

/* the tokens of policy.rows */
#define CPU_ANY 0u
#define LLC SIZE_MAX

static const struct x86_policy Rows[] = {
#define POLICY_ROW(vendor, family, model, needs, mov, copy, fill, wc, \
		subline, prefetch, overlap, far, farmov, name, why) \
	{ name, VENDOR_##vendor, family, model, CPU_##needs, FAM_##mov, \
		FAM_##copy, FAM_##fill, wc, subline, prefetch, overlap, far, \
		farmov, why },
#include "policy_rows.h"
#undef POLICY_ROW
};

/* VENDOR_OTHER in a row stands for any vendor */
static int
row_matches(const struct x86_policy *r, unsigned cpu,
	const struct cpu_model *m)
{
	if (r->vendor != VENDOR_OTHER && r->vendor != m->vendor)
		return 0;
	if (r->family != 0 && r->family != m->family)
		return 0;
	if (r->model != 0 && r->model != m->model)
		return 0;
	return (cpu & r->needs) == r->needs;
}

const struct x86_policy *
policy_find(unsigned cpu, const struct cpu_model *model)
{
	const size_t n = sizeof(Rows) / sizeof(Rows[0]);

	for (size_t i = 0; i + 1 < n; i++)
		if (row_matches(&Rows[i], cpu, model))
			return &Rows[i];
	return &Rows[n - 1];
}

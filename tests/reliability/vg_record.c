/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Valgrind client requests each API call issues, recorded: linked with
 * the library objects built with -DPMEM_VG_RECORD, which hand every
 * request and the "running on Valgrind?" question to the functions below.
 * For each tool this program plays (none, pmemcheck, memcheck, another)
 * and each kernel-selecting environment, pmem_init() decides again and
 * every call must issue exactly the expected requests, in order, with the
 * expected ranges; outside Valgrind none at all, not even at load.
 *
 * Usage: vg_record DIR   (DIR holds the mapped test file)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpmem.h>

#include "funcs.h"
#include "vg.h"

#include "../lib/report.h"

enum tool { T_NONE, T_PMEMCHECK, T_MEMCHECK, T_OTHER };
static const char *const Tool_names[] = { "no valgrind", "pmemcheck",
	"memcheck", "helgrind" };

static enum tool Tool;

struct req {
	uintptr_t req, a1, a2, a3, a4;
};

#define MAXLOG 32
static struct req Log[MAXLOG];
static size_t Nlog, Lost;

int
pmem_vg_record_running(void)
{
	return Tool != T_NONE;
}

/* records the request and answers as the played tool would */
uintptr_t
pmem_vg_record(uintptr_t dflt, uintptr_t req, uintptr_t a1, uintptr_t a2,
	uintptr_t a3, uintptr_t a4)
{
	if (Nlog < MAXLOG)
		Log[Nlog++] = (struct req){ req, a1, a2, a3, a4 };
	else
		Lost++;
	if (Tool == T_PMEMCHECK && req == VG_PMC_CHECK_IS_PMEM_MAPPING)
		return 1;
	if (Tool == T_MEMCHECK && req == VG_MC_CHECK_MEM_IS_ADDRESSABLE)
		return 0;
	return dflt;
}

/* ---- expectations ------------------------------------------------------ */

#define ANY ((uintptr_t)0x5eedbeefUL)	/* any argument value */
#define U(x) ((uintptr_t)(x))
#define R(req, a1, a2, a3, a4) { U(req), U(a1), U(a2), U(a3), U(a4) }
#define FLUSH(a, n) R(VG_PMC_DO_FLUSH, a, n, 0, 0)
#define FENCE R(VG_PMC_DO_FENCE, 0, 0, 0, 0)
#define ERRS_OFF R(VG_CORE_CHANGE_ERR_DISABLEMENT, 1, 0, 0, 0)
#define ERRS_ON R(VG_CORE_CHANGE_ERR_DISABLEMENT, -1, 0, 0, 0)
#define MC_CHECK(a, n) R(VG_MC_CHECK_MEM_IS_ADDRESSABLE, a, n, 0, 0)

static const char *
req_name(uintptr_t r)
{
	switch (r) {
	case VG_PMC_REGISTER_PMEM_MAPPING: return "PMC_REGISTER_PMEM_MAPPING";
	case VG_PMC_REGISTER_PMEM_FILE: return "PMC_REGISTER_PMEM_FILE";
	case VG_PMC_REMOVE_PMEM_MAPPING: return "PMC_REMOVE_PMEM_MAPPING";
	case VG_PMC_CHECK_IS_PMEM_MAPPING: return "PMC_CHECK_IS_PMEM_MAPPING";
	case VG_PMC_DO_FLUSH: return "PMC_DO_FLUSH";
	case VG_PMC_DO_FENCE: return "PMC_DO_FENCE";
	case VG_MC_CHECK_MEM_IS_ADDRESSABLE:
		return "MC_CHECK_MEM_IS_ADDRESSABLE";
	case VG_CORE_CHANGE_ERR_DISABLEMENT: return "CHANGE_ERR_DISABLEMENT";
	default: return "unknown request";
	}
}

static void
print_reqs(const char *title, const struct req *r, size_t n)
{
	printf("    %s:%s\n", title, n ? "" : " (none)");
	for (size_t i = 0; i < n; i++)
		printf("      %s(%#lx, %#lx, %#lx, %#lx)\n", req_name(r[i].req),
			(unsigned long)r[i].a1, (unsigned long)r[i].a2,
			(unsigned long)r[i].a3, (unsigned long)r[i].a4);
}

static int
arg_matches(uintptr_t want, uintptr_t got)
{
	return want == ANY || want == got;
}

/* the requests since the last check must be exactly want[0..n) */
static void
expect(const char *ctx, const char *call, const struct req *want, size_t n)
{
	int ok = Nlog == n && Lost == 0;

	for (size_t i = 0; ok && i < n; i++)
		ok = want[i].req == Log[i].req &&
			arg_matches(want[i].a1, Log[i].a1) &&
			arg_matches(want[i].a2, Log[i].a2) &&
			arg_matches(want[i].a3, Log[i].a3) &&
			arg_matches(want[i].a4, Log[i].a4);
	if (!ok) {
		tl_fail("%s: %s", ctx, call);
		print_reqs("expected", want, n);
		print_reqs("issued", Log, Nlog);
	}
	Nlog = Lost = 0;
}

/* the expected arguments may name what the call returned */
#define EXPECT(call, ...) do { \
	static const struct req none_[1]; \
	Nlog = Lost = 0; \
	call; \
	const struct req want_[] = { __VA_ARGS__ }; \
	expect(Ctx, #call, sizeof(want_) ? want_ : none_, \
		sizeof(want_) / sizeof(struct req)); \
} while (0)

/* ---- the scenarios ----------------------------------------------------- */

static char Ctx[200];
static const char *Dir;

static const char *const Env_vars[] = { "PMEM_NO_FLUSH", "PMEM_NO_MOVNT",
	"PMEM_NO_GENERIC_MEMCPY", "PMEM_MOVNT_THRESHOLD" };

/* env: "NAME=VALUE ..." or ""; pmem_init decides again under tool */
static void
set_up(enum tool tool, const char *env)
{
	char buf[200], *save, *tok;

	for (size_t i = 0; i < sizeof(Env_vars) / sizeof(Env_vars[0]); i++)
		unsetenv(Env_vars[i]);
	snprintf(buf, sizeof(buf), "%s", env);
	for (tok = strtok_r(buf, " ", &save); tok;
			tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		*eq = '\0';
		setenv(tok, eq + 1, 1);
	}
	snprintf(Ctx, sizeof(Ctx), "%s%s%s", Tool_names[tool],
		*env ? ", " : "", env);
	Tool = tool;
	Nlog = Lost = 0;
	pmem_init();
	if (tool == T_NONE)
		expect(Ctx, "pmem_init() (nothing outside valgrind)", NULL, 0);
	Nlog = Lost = 0;
}

static char *
map(size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/vg_record.pool", Dir);
	char *p = pmem_map_file(path, 1 << 20, PMEM_FILE_CREATE, 0600, len,
		NULL);

	if (p == NULL) {
		perror(path);
		exit(2);
	}
	unlink(path);
	return p;
}

/* the test file mapped under a tool, with a copy's destination and source */
struct area {
	enum tool tool;
	char *p;
	size_t len;
	char *d;	/* 8 KiB in, misaligned */
	char *s;	/* 64 KiB in */
};

/* set_up(tool, env) and map: pmemcheck hears of the mapping and its file */
static struct area
area_map(enum tool tool, const char *env)
{
	struct area a = { .tool = tool };

	set_up(tool, env);
	if (tool == T_PMEMCHECK)
		EXPECT(a.p = map(&a.len),
			R(VG_PMC_REGISTER_PMEM_MAPPING, a.p, a.len, 0, 0),
			R(VG_PMC_REGISTER_PMEM_FILE, ANY, a.p, a.len, 0));
	else
		EXPECT(a.p = map(&a.len));
	a.d = a.p + 8192 + 3;
	a.s = a.p + 65536;
	return a;
}

/* pmemcheck hears of the removal; the other tools hear nothing */
static void
area_unmap(const struct area *a)
{
	if (a->tool == T_PMEMCHECK)
		EXPECT(pmem_unmap(a->p, a->len),
			R(VG_PMC_REMOVE_PMEM_MAPPING, a->p, a->len, 0, 0));
	else
		EXPECT(pmem_unmap(a->p, a->len));
}

/* pmemcheck, default environment: all the API's requests */
static void
pmemcheck_default(void)
{
	struct area a = area_map(T_PMEMCHECK, "");
	long page = sysconf(_SC_PAGESIZE);

	/* streaming: over the threshold, or asked for */
	EXPECT(pmem_memcpy(a.d, a.s, 4096, 0), FLUSH(a.d, 4096));
	EXPECT(pmem_memcpy(a.d, a.s, 100, 0));
	EXPECT(pmem_memcpy(a.d, a.s, 100, PMEM_F_MEM_NONTEMPORAL),
		FLUSH(a.d, 100));
	EXPECT(pmem_memmove(a.d, a.s, 300, PMEM_F_MEM_WC), FLUSH(a.d, 300));
	EXPECT(pmem_memcpy(a.d, a.s, 4096, PMEM_F_MEM_TEMPORAL));
	EXPECT(pmem_memcpy(a.d, a.s, 4096, PMEM_F_MEM_NOFLUSH));
	EXPECT(pmem_memcpy(a.d, a.s, 4096,
		PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NOFLUSH));
	EXPECT(pmem_memset(a.d, 7, 4096, 0), FLUSH(a.d, 4096));
	EXPECT(pmem_memset(a.d, 7, 64, PMEM_F_MEM_NONTEMPORAL), FLUSH(a.d, 64));
	EXPECT(pmem_memset(a.d, 7, 64, 0));
	EXPECT(pmem_memcpy_persist(a.d, a.s, 1000), FLUSH(a.d, 1000));
	EXPECT(pmem_memmove_nodrain(a.d, a.s, 1000), FLUSH(a.d, 1000));
	EXPECT(pmem_memset_persist(a.d, 1, 1000), FLUSH(a.d, 1000));
	/* overlapping moves use ordinary stores and real flushes */
	EXPECT(pmem_memmove(a.d + 64, a.d, 4096, 0));
	/* flush instructions and SFENCE: pmemcheck sees them itself */
	EXPECT(pmem_flush(a.d, 100));
	EXPECT(pmem_persist(a.d, 100));
	EXPECT(pmem_drain());
	EXPECT(pmem_deep_flush(a.d, 100));
	/* msync: page-rounded, errors off around it, then persisted */
	EXPECT(pmem_msync(a.p + 100, 50),
		ERRS_OFF, ERRS_ON, FLUSH(a.p, 150), FENCE);
	EXPECT(pmem_deep_persist(a.p + page + 10, 20),
		ERRS_OFF, ERRS_ON, FLUSH(a.p + page, 30), FENCE);
	area_unmap(&a);
}

/*
 * No flush instruction runs (PMEM_NO_FLUSH=1 stands for eADR here): each
 * flush the library skips must still be reported, exactly once.
 */
static void
pmemcheck_no_flush(const char *env)
{
	struct area a = area_map(T_PMEMCHECK, env);

	EXPECT(pmem_flush(a.d, 100), FLUSH(a.d, 100));
	EXPECT(pmem_persist(a.d, 100), FLUSH(a.d, 100));
	EXPECT(pmem_memcpy(a.d, a.s, 100, 0), FLUSH(a.d, 100));
	EXPECT(pmem_memcpy(a.d, a.s, 4096, 0), FLUSH(a.d, 4096));
	EXPECT(pmem_memset(a.d, 2, 4096, PMEM_F_MEM_NONTEMPORAL),
		FLUSH(a.d, 4096));
	EXPECT(pmem_memmove(a.d + 64, a.d, 4096, 0), FLUSH(a.d + 64, 4096));
	EXPECT(pmem_memcpy(a.d, a.s, 4096, PMEM_F_MEM_NOFLUSH));
	/* a deep flush always runs the instructions */
	EXPECT(pmem_deep_flush(a.d, 100));
	area_unmap(&a);
}

/* PMEM_NO_MOVNT=1: no streaming store, every flush a real one */
static void
pmemcheck_no_movnt(const char *env)
{
	struct area a = area_map(T_PMEMCHECK, env);

	EXPECT(pmem_memcpy(a.d, a.s, 4096, 0));
	EXPECT(pmem_memcpy(a.d, a.s, 4096, PMEM_F_MEM_NONTEMPORAL));
	EXPECT(pmem_memset(a.d, 1, 4096, 0));
	EXPECT(pmem_flush(a.d, 100));
	area_unmap(&a);
}

/* memcheck: flushed and msync'ed bytes must be addressable */
static void
memcheck(void)
{
	struct area a = area_map(T_MEMCHECK, "");

	EXPECT(pmem_flush(a.d, 100), MC_CHECK(a.d, 100));
	EXPECT(pmem_persist(a.d, 100), MC_CHECK(a.d, 100));
	EXPECT(pmem_deep_flush(a.d, 100), MC_CHECK(a.d, 100));
	EXPECT(pmem_memcpy(a.d, a.s, 4096, 0));
	EXPECT(pmem_memcpy(a.d, a.s, 100, 0));
	EXPECT(pmem_drain());
	EXPECT(pmem_msync(a.p + 100, 50), MC_CHECK(a.p + 100, 50), ERRS_OFF,
		ERRS_ON);
	/* the deep drain msyncs the part through pmem_msync, checked there */
	EXPECT(pmem_deep_drain(a.p + 100, 50), MC_CHECK(a.p + 100, 50),
		ERRS_OFF, ERRS_ON);
	EXPECT(pmem_deep_persist(a.p + 100, 50), MC_CHECK(a.p + 100, 50),
		MC_CHECK(a.p + 100, 50), ERRS_OFF, ERRS_ON);
	area_unmap(&a);
}

/* another tool (helgrind, DRD, ...), or none: only msync's error guard */
static void
other_tool(enum tool tool, const char *env)
{
	struct area a = area_map(tool, env);

	EXPECT(pmem_memcpy(a.d, a.s, 4096, 0));
	EXPECT(pmem_memcpy(a.d, a.s, 100, PMEM_F_MEM_NONTEMPORAL));
	EXPECT(pmem_memset(a.d, 1, 4096, 0));
	EXPECT(pmem_flush(a.d, 100));
	EXPECT(pmem_persist(a.d, 100));
	EXPECT(pmem_deep_flush(a.d, 100));
	EXPECT(pmem_drain());
	if (tool == T_NONE) {
		EXPECT(pmem_msync(a.p + 100, 50));
		EXPECT(pmem_deep_persist(a.p + 100, 50));
	} else {
		EXPECT(pmem_msync(a.p + 100, 50), ERRS_OFF, ERRS_ON);
	}
	area_unmap(&a);
}

int
main(int argc, char *argv[])
{
	tl_usage(argc == 2, argv[0], "DIR");
	Dir = argv[1];
	/* the library's constructor ran with Tool == T_NONE */
	expect("no valgrind", "library load (nothing outside valgrind)",
		NULL, 0);

	other_tool(T_NONE, "");
	other_tool(T_NONE, "PMEM_NO_FLUSH=1");
	pmemcheck_default();
	pmemcheck_no_flush("PMEM_NO_FLUSH=1");
	pmemcheck_no_flush("PMEM_NO_FLUSH=1 PMEM_NO_MOVNT=1");
	pmemcheck_no_flush("PMEM_NO_FLUSH=1 PMEM_NO_MOVNT=1 "
		"PMEM_NO_GENERIC_MEMCPY=1");
	pmemcheck_no_flush("PMEM_NO_FLUSH=1 PMEM_MOVNT_THRESHOLD=0");
	pmemcheck_no_movnt("PMEM_NO_MOVNT=1");
	pmemcheck_no_movnt("PMEM_NO_MOVNT=1 PMEM_NO_GENERIC_MEMCPY=1");
	memcheck();
	other_tool(T_OTHER, "");

	if (tl_failures()) {
		printf("vg_record: %lu call(s) issued the wrong requests\n",
			tl_failures());
		return 1;
	}
	printf("vg_record: every call issued the expected requests under "
		"each tool and environment\n");
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the PMEM_* variables change, as a program linked to libpmem sees it;
 * setuid.sh installs it setuid and setgid and compares the reference with
 * ours. Usage: setuid_probe MAPFILE HINT LOGFILE
 *
 * Lines starting with '#' say which library ran and whether the process
 * was in secure execution; lines with '@' give where a fault hit inside
 * the library (comparable only between runs of the same library); every
 * other line must read the same for any libpmem 1.12.1.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include <libpmem.h>

#define PAGE 4096

static sigjmp_buf Jump;
static volatile uintptr_t Fault_pc;

static void
on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void) sig;
	(void) si;
#if defined(__x86_64__)
	Fault_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	Fault_pc = (uintptr_t)uc->uc_mcontext.pc;
#else
	(void) uc;
#endif
	siglongjmp(Jump, 1);
}

#if defined(__x86_64__)
/* vector register width from a VEX or EVEX length field */
static const char *
vec_width(unsigned l)
{
	static const char *const w[] = { "xmm", "ymm", "zmm", "?mm" };

	return w[l & 3];
}

/*
 * Names the store or flush instruction at p: the few forms libpmem's
 * kernels use (plain, SSE, VEX and EVEX moves, their non-temporal forms,
 * MOVDIR64B and the three cache-line flushes); anything else as bytes.
 */
static void
insn_name(const unsigned char *p, char *buf, size_t size)
{
	const unsigned char *start = p;
	int p66 = 0, rexw = 0;
	unsigned map = 0, op, width = 0;
	const char *enc = "";

	for (;; p++) {
		if (*p == 0x66)
			p66 = 1;
		else if (*p == 0xf2 || *p == 0xf3 || *p == 0x2e ||
				*p == 0x3e || *p == 0x26 || *p == 0x64 ||
				*p == 0x65 || *p == 0x36 || *p == 0x67)
			continue;
		else
			break;
	}
	if ((*p & 0xf0) == 0x40) {
		rexw = (*p & 8) != 0;
		p++;
	}
	if (*p == 0xc5) {
		enc = "v", map = 1, p66 = (p[1] & 3) == 1;
		width = (p[1] >> 2) & 1, op = p[2];
	} else if (*p == 0xc4) {
		enc = "v", map = p[1] & 0x1f, p66 = (p[2] & 3) == 1;
		width = (p[2] >> 2) & 1, op = p[3];
	} else if (*p == 0x62) {
		enc = "v", map = p[1] & 3, p66 = (p[2] & 3) == 1;
		width = (p[3] >> 5) & 3, op = p[4];
	} else if (*p == 0x0f && p[1] == 0x38) {
		map = 2, op = p[2];
	} else if (*p == 0x0f) {
		map = 1, op = p[1];
	} else {
		op = p[0];
	}

	const char *reg = *enc ? vec_width(width) : "xmm";
	unsigned modrm_reg = (p[map == 1 && !*enc ? 2 : 1] >> 3) & 7;

	if (map == 0 && (op == 0x88 || op == 0xc6))
		snprintf(buf, size, "mov 1-byte");
	else if (map == 0 && (op == 0x89 || op == 0xc7))
		snprintf(buf, size, "mov %d-byte", rexw ? 8 : p66 ? 2 : 4);
	else if (map == 0 && (op == 0xa4 || op == 0xa5))
		snprintf(buf, size, "rep movs");
	else if (map == 0 && (op == 0xaa || op == 0xab))
		snprintf(buf, size, "rep stos");
	else if (map == 1 && op == 0xc3 && !*enc)
		snprintf(buf, size, "movnti %d-byte", rexw ? 8 : 4);
	else if (map == 1 && (op == 0xe7 || op == 0x2b))
		snprintf(buf, size, "%smovnt %s", enc, reg);
	else if (map == 1 && (op == 0x11 || op == 0x29 || op == 0x7f))
		snprintf(buf, size, "%smov %s", enc, reg);
	else if (map == 2 && op == 0xf8 && p66 && !*enc)
		snprintf(buf, size, "movdir64b");
	else if (map == 1 && op == 0xae && !*enc && modrm_reg == 7)
		snprintf(buf, size, p66 ? "clflushopt" : "clflush");
	else if (map == 1 && op == 0xae && !*enc && modrm_reg == 6 && p66)
		snprintf(buf, size, "clwb");
	else
		snprintf(buf, size, "bytes %02x %02x %02x %02x %02x %02x",
			start[0], start[1], start[2], start[3], start[4],
			start[5]);
}
#else
static void
insn_name(const unsigned char *p, char *buf, size_t size)
{
	(void) p;
	snprintf(buf, size, "fault");
}
#endif

/* where pc lies: object file name and offset, for same-library compares */
static void
print_where(const char *what, uintptr_t pc)
{
	Dl_info info;

	if (pc != 0 && dladdr((void *)pc, &info) && info.dli_fname != NULL) {
		const char *base = strrchr(info.dli_fname, '/');

		printf("%s@ %s+%#lx\n", what, base ? base + 1 : info.dli_fname,
			(unsigned long)(pc - (uintptr_t)info.dli_fbase));
	} else {
		printf("%s@ unknown\n", what);
	}
}

/*
 * Runs op on a page nothing may touch and names the instruction of the
 * library that touched it first: that tells which kernel or flush the
 * library chose, without looking inside it. "none": nothing touched it.
 */
static void
observe(const char *what, void (*op)(char *page, const char *src),
	char *page, const char *src)
{
	char name[96];

	Fault_pc = 0;
	if (sigsetjmp(Jump, 1) == 0) {
		op(page, src);
		printf("%s none\n", what);
		return;
	}
	if (Fault_pc == 0) {
		printf("%s fault\n", what);
		return;
	}
	insn_name((const unsigned char *)Fault_pc, name, sizeof(name));
	printf("%s %s\n", what, name);
	print_where(what, Fault_pc);
}

static void
op_flush(char *page, const char *src)
{
	(void) src;
	pmem_flush(page, 64);
}

static void
op_memcpy(char *page, const char *src)
{
	pmem_memcpy_nodrain(page, src, PAGE);
}

static void
op_memset(char *page, const char *src)
{
	(void) src;
	pmem_memset_nodrain(page, 0x5a, PAGE);
}

static void
report_map(const char *path, uintptr_t hint)
{
	size_t len;
	int is_pmem;
	void *addr = pmem_map_file(path, PAGE, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem);

	if (addr == NULL) {
		printf("map failed: %s\n", strerror(errno));
		return;
	}
	printf("map %s\n", (uintptr_t)addr == hint ? "at hint" : "elsewhere");
	pmem_unmap(addr, len);
	unlink(path);
}

static void
report_log(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		printf("log file absent\n");
	else
		printf("log file %s\n", st.st_size ? "written" : "empty");
}

int
main(int argc, char *argv[])
{
	static char plain[PAGE];
	struct sigaction sa;
	Dl_info info;

	if (argc != 4) {
		fprintf(stderr, "usage: %s MAPFILE HINT LOGFILE\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (dladdr((void *)pmem_is_pmem, &info) && info.dli_fname != NULL)
		printf("# lib %s\n", info.dli_fname);
	printf("# secure %lu\n", getauxval(AT_SECURE));

	/* first call: PMEM_IS_PMEM_FORCE is read now */
	printf("is_pmem %d\n", pmem_is_pmem(plain, sizeof(plain)));
	report_map(argv[1], (uintptr_t)strtoull(argv[2], NULL, 16));
	report_log(argv[3]);

	char *src = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (src == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(src, 0xa5, PAGE);
	char *page = src + PAGE;

	mprotect(page, PAGE, PROT_NONE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* the faults come last: a library left mid-call is not used again */
	observe("flush", op_flush, page, src);
	observe("memcpy", op_memcpy, page, src);
	observe("memset", op_memset, page, src);
	return 0;
}

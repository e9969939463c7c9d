/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counts the persistence instructions a test program executes where they
 * trap, and steps over them so the code under test runs on: QEMU 7.2
 * user mode raises SIGILL for POWER's dcbstps (dcbf L=6) and phwsync
 * (sync L=4) on its power9 and power10 models, and has no Zicbom, so
 * cbo.clean traps too. Ours and the reference library alike. The handler
 * checks the encoding of each instruction before stepping over it; any
 * other illegal instruction kills the program as it would have.
 * (aarch64's DC CVAP: tests/aarch64/dctrap.h.)
 */
#ifndef TESTS_LIB_INSN_TRAP_H
#define TESTS_LIB_INSN_TRAP_H

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <ucontext.h>
#include <unistd.h>

static volatile unsigned long Trap_flushes;	/* dcbstps, cbo.clean */
static volatile unsigned long Trap_fences;	/* phwsync */

#if defined(__powerpc64__)
#define TRAP_FLUSH_NAME "dcbstps"
#define TRAP_FENCE_NAME "phwsync"
/* dcbf RA,RB,L: 31 | L(3 bits at 21) | RA | RB | XO 86; L=6 */
#define DCBSTPS_INSN 0x7cc000acu
#define DCBSTPS_MASK 0xffe007ffu	/* RA and RB free */
/* sync L=4 with SC 0 */
#define PHWSYNC_INSN 0x7c8004acu
#define TRAP_PC(uc) ((uc)->uc_mcontext.gp_regs[32])	/* PT_NIP */

static inline void
trap_probe(void)
{
	static char probe[128] __attribute__((aligned(128)));

	__asm__ volatile(".machine push\n\t.machine power10\n\t"
		"dcbstps 0, %0\n\tphwsync\n\t.machine pop"
		: : "r"(probe) : "memory");
}

static inline int
trap_count(uint32_t insn)
{
	if ((insn & DCBSTPS_MASK) == DCBSTPS_INSN)
		Trap_flushes++;
	else if (insn == PHWSYNC_INSN)
		Trap_fences++;
	else
		return 0;
	return 1;
}
#elif defined(__riscv) && __riscv_xlen == 64
#define TRAP_FLUSH_NAME "cbo.clean"
#define TRAP_FENCE_NAME "(none)"
/* MISC-MEM 0x0f, funct3 2 (CBO), rd 0, imm 1 (clean); rs1 free */
#define CBO_CLEAN_INSN 0x0010200fu
#define CBO_CLEAN_MASK 0xfff07fffu
#define TRAP_PC(uc) ((uc)->uc_mcontext.__gregs[0])	/* REG_PC */

static inline void
trap_probe(void)
{
	static char probe[64] __attribute__((aligned(64)));

	__asm__ volatile(".insn i 0x0f, 2, x0, %0, 1" : : "r"(probe)
		: "memory");
}

static inline int
trap_count(uint32_t insn)
{
	if ((insn & CBO_CLEAN_MASK) != CBO_CLEAN_INSN)
		return 0;
	Trap_flushes++;
	return 1;
}
#else
#error "insn_trap.h: no persistence instructions known for this CPU"
#endif

static inline void
trap_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint32_t insn;

	(void) si;
	/* RISC-V code may be 2-byte aligned: no 4-byte load from it */
	memcpy(&insn, (const void *)TRAP_PC(uc), sizeof(insn));
	if (!trap_count(insn)) {
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "illegal instruction "
			"0x%08x: not one of ours\n", (unsigned)insn);

		(void) !write(2, msg, (size_t)n);
		signal(sig, SIG_DFL);	/* a real one: die of it */
		return;
	}
	TRAP_PC(uc) += 4;
}

/*
 * Installs the handler; returns 1 when the flush instruction traps here
 * (so the counters see every one executed), 0 when it runs natively.
 */
static inline int
trap_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = trap_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	trap_probe();
	int trapped = Trap_flushes == 1;

	Trap_flushes = Trap_fences = 0;
	return trapped;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counts the DC CVAP / DC CVADP instructions a test program executes when
 * they trap: QEMU user mode before 8.0 raises SIGILL for both even on CPU
 * models that advertise them, and a CPU without them does the same. The
 * handler steps over the instruction, so the code under test runs on and
 * the tests can assert which clean instruction ran and how often.
 */
#ifndef DCTRAP_H
#define DCTRAP_H

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>

#define DC_CVAP_INSN 0xd50b7c20u	/* SYS #3, C7, C12, #1, Xt */
#define DC_CVADP_INSN 0xd50b7d20u	/* SYS #3, C7, C13, #1, Xt */
#define DC_RT_MASK 0xffffffe0u

static volatile unsigned long Dc_cvap_traps;
static volatile unsigned long Dc_cvadp_traps;

static inline void
dc_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint32_t insn = *(const uint32_t *)uc->uc_mcontext.pc;

	(void) si;
	if ((insn & DC_RT_MASK) == DC_CVAP_INSN) {
		Dc_cvap_traps++;
	} else if ((insn & DC_RT_MASK) == DC_CVADP_INSN) {
		Dc_cvadp_traps++;
	} else {
		/* a real illegal instruction: die of it */
		signal(sig, SIG_DFL);
		return;
	}
	uc->uc_mcontext.pc += 4;
}

/*
 * Installs the handler; returns 1 when DC CVAP traps here (so the counters
 * see every one the library issues), 0 when it runs natively.
 */
static inline int
dctrap_install(void)
{
	struct sigaction sa;
	static char probe[64] __attribute__((aligned(64)));

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = dc_trap;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGILL, &sa, NULL);
	__asm__ volatile("sys #3, c7, c12, #1, %0" : : "r"(probe) : "memory");
	int trapped = Dc_cvap_traps == 1;

	Dc_cvap_traps = 0;
	return trapped;
}

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The AVX-512F and MOVDIR64B shapes of the x86_64 kernel template, built
 * from AVX and SSE2 instructions (emu_avx512f.c, emu_movdir64b.c). On a
 * CPU without those features the real kernels cannot run; these run the
 * same template paths (one vector per line; whole lines stored with no
 * vector loop), so the template logic behind them is tested everywhere.
 * They need AVX.
 */
#ifndef TESTS_LIB_EMU_KERNELS_H
#define TESTS_LIB_EMU_KERNELS_H

#include "kernels.h"

extern const struct x86_kernels x86_kernels_emu_avx512f;
extern const struct x86_kernels x86_kernels_emu_movdir64b;

#endif

# SPDX-License-Identifier: BSD-3-Clause
# aarch64: Advanced SIMD is baseline, so the NEON kernels need no flag; the
# general-register family must not let the compiler reach for Q registers.
%/aarch64/memops_gpr.o: ISAFLAGS = -mgeneral-regs-only

/* SPDX-License-Identifier: BSD-3-Clause */
/* How ./libpmem.so.1 is started on riscv64 (selfrun_linux.c). */
#ifndef PMEM_RISCV64_ABI_H
#define PMEM_RISCV64_ABI_H

#define SELFRUN_INTERP "/lib/ld-linux-riscv64-lp64d.so.1"
#define SELFRUN_ENTRY_ATTR

#endif

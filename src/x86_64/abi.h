/* SPDX-License-Identifier: BSD-3-Clause */
/* How ./libpmem.so.1 is started on x86_64 (selfrun_linux.c). */
#ifndef PMEM_X86_ABI_H
#define PMEM_X86_ABI_H

/* the C library's loader: glibc's, or musl's (which defines no macro) */
#ifdef __GLIBC__
#define SELFRUN_INTERP "/lib64/ld-linux-x86-64.so.2"
#else
#define SELFRUN_INTERP "/lib/ld-musl-x86_64.so.1"
#endif
/* entered with no return address pushed: realign for the C ABI */
#define SELFRUN_ENTRY_ATTR __attribute__((force_align_arg_pointer))

#endif

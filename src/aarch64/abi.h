/* SPDX-License-Identifier: BSD-3-Clause */
/* How ./libpmem.so.1 is started on aarch64 (selfrun_linux.c). */
#ifndef PMEM_AARCH64_ABI_H
#define PMEM_AARCH64_ABI_H

/* the C library's loader: glibc's, or musl's (which defines no macro) */
#ifdef __GLIBC__
#define SELFRUN_INTERP "/lib/ld-linux-aarch64.so.1"
#else
#define SELFRUN_INTERP "/lib/ld-musl-aarch64.so.1"
#endif
#define SELFRUN_ENTRY_ATTR

#endif

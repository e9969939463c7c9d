/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hooks for the flush-coverage test. A build with -DPMEM_TRACE reports
 * every ordinary store, streaming store, cache-line flush and fence the
 * kernels issue, and each system call of the deep-persist paths (msync,
 * the deep_flush sysfs file), to functions the test provides; in the
 * library they compile to nothing.
 */
#ifndef PMEM_TRACE_H
#define PMEM_TRACE_H

#include <stddef.h>

#ifdef PMEM_TRACE
void pmem_trace_store(const void *addr, size_t len);
void pmem_trace_stream(const void *addr, size_t len);
void pmem_trace_flush(const void *line);
void pmem_trace_fence(void);
void pmem_trace_syscall(void);
#define TRACE_STORE(a, n) pmem_trace_store((a), (n))
#define TRACE_STREAM(a, n) pmem_trace_stream((a), (n))
#define TRACE_FLUSH(a) pmem_trace_flush(a)
#define TRACE_FENCE() pmem_trace_fence()
#define TRACE_SYSCALL() pmem_trace_syscall()
#else
#define TRACE_STORE(a, n) do { } while (0)
#define TRACE_STREAM(a, n) do { } while (0)
#define TRACE_FLUSH(a) do { } while (0)
#define TRACE_FENCE() do { } while (0)
#define TRACE_SYSCALL() do { } while (0)
#endif

#endif

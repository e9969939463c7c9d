/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flush-coverage checker: records what a -DPMEM_TRACE build reports
 * (ordinary stores, streaming stores, line flushes, fences) and decides
 * whether a copy or fill left every destination line on its way to memory.
 */
#ifndef TRACE_CHECK_H
#define TRACE_CHECK_H

#include <stddef.h>
#include <stdint.h>

/*
 * EV_SYSCALL: msync or the deep_flush sysfs file, on the deep paths.
 * EV_DF_WRITE: a deep_flush file opened for writing or written; the
 * library has no hook for it, a test that wraps open and write records
 * it with trace_append (tests/dax/dax_trace.c).
 */
enum ev_kind { EV_STORE, EV_STREAM, EV_FLUSH, EV_FENCE, EV_SYSCALL,
	EV_DF_WRITE, EV_KINDS };

struct ev {
	enum ev_kind kind;
	uintptr_t addr;
	size_t len;
};

struct trace {
	struct ev *v;
	size_t n;
	size_t cap;
};

/* the events recorded between trace_start() and trace_stop() */
extern struct trace Trace;

void trace_start(void);
void trace_stop(void);

/* what a kernel or an API call promises about [dst, dst + len) */
struct expect {
	int flushing;	/* ordinary stores must be flushed afterwards */
	int temporal;	/* no streaming stores allowed */
	int wc_barrier;	/* fence between the last stream and a later store */
	int subline;	/* a line's part in range may be streamed on its own */
	int no_flush;	/* no flush at all (NOFLUSH flag, PMEM_NO_FLUSH=1) */
	int len0_flush_ok; /* len 0 may flush the line of dst (see .c) */
};

/*
 * 0 when the events satisfy e for a write of [dst, dst + len); otherwise
 * -1 with the first violation described in why.
 */
int trace_check_write(const struct trace *t, uintptr_t dst, size_t len,
	const struct expect *e, char *why, size_t whylen);

/* 0 when the flushes are exactly the lines of [addr, addr + len), once */
int trace_check_flush_lines(const struct trace *t, uintptr_t addr,
	size_t len, char *why, size_t whylen);

/*
 * 0 when the trace has a system call, no flush after the first one, and a
 * fence between the last flush before it (or the start) and it
 */
int trace_check_fenced_syscall(const struct trace *t, char *why,
	size_t whylen);

/* counts of one kind; index of the last event of a kind (-1 if none) */
size_t trace_count(const struct trace *t, enum ev_kind k);
long trace_last(const struct trace *t, enum ev_kind k);

/* mutations for the self-test: remove the k-th (0-based) event of a kind */
void trace_drop(struct trace *t, enum ev_kind k, size_t nth);
void trace_append(struct trace *t, enum ev_kind k, uintptr_t a, size_t n);

const char *trace_kind_name(enum ev_kind k);

#endif

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Event recorder behind the PMEM_TRACE hooks (src/trace.h) and the rules a
 * recorded copy or fill must satisfy; see trace_check.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_check.h"

#define LINE 64u
#define LINE_OF(a) ((uintptr_t)(a) & ~(uintptr_t)(LINE - 1))

struct trace Trace;
static int Recording;

static void
push(enum ev_kind k, const void *a, size_t n)
{
	if (!Recording)
		return;
	if (Trace.n == Trace.cap) {
		Trace.cap = Trace.cap ? Trace.cap * 2 : 4096;
		Trace.v = realloc(Trace.v, Trace.cap * sizeof(*Trace.v));
		if (Trace.v == NULL)
			abort();
	}
	Trace.v[Trace.n++] = (struct ev){ k, (uintptr_t)a, n };
}

void
pmem_trace_store(const void *addr, size_t len)
{
	push(EV_STORE, addr, len);
}

void
pmem_trace_stream(const void *addr, size_t len)
{
	push(EV_STREAM, addr, len);
}

void
pmem_trace_flush(const void *line)
{
	push(EV_FLUSH, line, LINE);
}

void
pmem_trace_fence(void)
{
	push(EV_FENCE, NULL, 0);
}

void
pmem_trace_syscall(void)
{
	push(EV_SYSCALL, NULL, 0);
}

void
trace_start(void)
{
	Trace.n = 0;
	Recording = 1;
}

void
trace_stop(void)
{
	Recording = 0;
}

const char *
trace_kind_name(enum ev_kind k)
{
	static const char *const names[] = { "store", "stream", "flush",
		"fence", "system call", "deep_flush write" };

	return k < EV_KINDS ? names[k] : "?";
}

size_t
trace_count(const struct trace *t, enum ev_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->v[i].kind == k;
	return n;
}

long
trace_last(const struct trace *t, enum ev_kind k)
{
	for (size_t i = t->n; i > 0; i--)
		if (t->v[i - 1].kind == k)
			return (long)i - 1;
	return -1;
}

void
trace_drop(struct trace *t, enum ev_kind k, size_t nth)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].kind != k || nth-- != 0)
			continue;
		memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) *
			sizeof(t->v[0]));
		t->n--;
		return;
	}
}

void
trace_append(struct trace *t, enum ev_kind k, uintptr_t a, size_t n)
{
	int was = Recording;

	Recording = 1;
	Trace = *t;
	push(k, (const void *)a, n);
	*t = Trace;
	Recording = was;
}

#define WHY(...) do { \
	snprintf(why, whylen, __VA_ARGS__); \
	goto out; \
} while (0)

/* state per destination line while the events are replayed */
struct line_state {
	unsigned char dirty;	/* ordinary store not yet flushed */
	unsigned short streamed; /* bytes written by streaming stores */
};

static int
in_range(const struct ev *v, uintptr_t dst, uintptr_t end)
{
	return v->addr >= dst && v->addr + v->len <= end;
}

/* marks the bytes of v; 0 when a stream rewrote bytes streamed before */
static int
mark(unsigned char *bytes, struct line_state *ls, uintptr_t l0,
	uintptr_t dst, const struct ev *v)
{
	for (size_t i = 0; i < v->len; i++) {
		uintptr_t a = v->addr + i;
		unsigned char bit = v->kind == EV_STREAM ? 2 : 1;

		if (v->kind == EV_STREAM) {
			if (bytes[a - dst] & 2)
				return 0;
			ls[(LINE_OF(a) - l0) / LINE].streamed++;
		}
		bytes[a - dst] |= bit;
	}
	if (v->kind == EV_STORE) {
		for (uintptr_t l = LINE_OF(v->addr); l < v->addr + v->len;
				l += LINE)
			ls[(l - l0) / LINE].dirty = 1;
	}
	return 1;
}

/*
 * The zero-length write: nothing may be stored, streamed or flushed. Only
 * where the reference does the same (its generic kernels and pmem_flush
 * start their flush loop at the line of addr even for len 0) may the
 * line holding dst be flushed; elsewhere that flush faults on an
 * inaccessible dst the reference never touches.
 */
static int
check_empty(const struct trace *t, uintptr_t dst, int flush_ok, char *why,
	size_t whylen)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ev *v = &t->v[i];

		if ((v->kind == EV_STORE || v->kind == EV_STREAM) && v->len) {
			snprintf(why, whylen, "len 0 but a %zu-byte %s",
				v->len, trace_kind_name(v->kind));
			return -1;
		}
		if (v->kind == EV_FLUSH && !flush_ok) {
			snprintf(why, whylen, "len 0 but the line of dst is "
				"flushed (the reference touches nothing)");
			return -1;
		}
		if (v->kind == EV_FLUSH && LINE_OF(v->addr) != LINE_OF(dst)) {
			snprintf(why, whylen, "len 0 but a flush of a line "
				"%+ld bytes away", (long)(v->addr - dst));
			return -1;
		}
	}
	return 0;
}

int
trace_check_write(const struct trace *t, uintptr_t dst, size_t len,
	const struct expect *e, char *why, size_t whylen)
{
	if (len == 0)
		return check_empty(t, dst, e->len0_flush_ok, why, whylen);

	uintptr_t end = dst + len, l0 = LINE_OF(dst);
	size_t nlines = (LINE_OF(end - 1) - l0) / LINE + 1;
	unsigned char *bytes = calloc(len, 1);
	struct line_state *ls = calloc(nlines, sizeof(*ls));
	long last_stream = -1;
	int fenced = 1, ret = -1;

	if (bytes == NULL || ls == NULL)
		abort();
	for (size_t i = 0; i < t->n; i++) {
		const struct ev *v = &t->v[i];

		switch (v->kind) {
		case EV_STORE:
		case EV_STREAM:
			if (v->len == 0)
				break;
			if (!in_range(v, dst, end))
				WHY("event %zu: %s of [dst%+ld, +%zu) outside "
					"the destination", i,
					trace_kind_name(v->kind),
					(long)(v->addr - dst), v->len);
			if (v->kind == EV_STORE && e->wc_barrier && !fenced)
				WHY("event %zu: ordinary store after the "
					"stream at event %ld without a fence",
					i, last_stream);
			if (v->kind == EV_STREAM && e->temporal)
				WHY("event %zu: streaming store in a temporal "
					"kernel", i);
			if (v->kind == EV_STREAM && (v->addr % v->len ||
					v->len > LINE))
				WHY("event %zu: misaligned %zu-byte stream at "
					"dst%+ld", i, v->len,
					(long)(v->addr - dst));
			if (!mark(bytes, ls, l0, dst, v))
				WHY("event %zu: stream rewrites streamed "
					"bytes at dst%+ld", i,
					(long)(v->addr - dst));
			if (v->kind == EV_STREAM) {
				last_stream = (long)i;
				fenced = 0;
			}
			break;
		case EV_FLUSH:
			if (e->no_flush)
				WHY("event %zu: flush although none is due",
					i);
			if (LINE_OF(v->addr) < l0 ||
					LINE_OF(v->addr) >= l0 + nlines * LINE)
				WHY("event %zu: flush of a line outside the "
					"destination (dst%+ld)", i,
					(long)(v->addr - dst));
			ls[(LINE_OF(v->addr) - l0) / LINE].dirty = 0;
			break;
		default:
			fenced = 1;
			break;
		}
	}
	for (size_t k = 0; k < len; k++)
		if (bytes[k] == 0)
			WHY("byte dst+%zu never written", k);
	for (size_t l = 0; l < nlines; l++) {
		long off = (long)(l0 + l * LINE - dst);

		/*
		 * A line is streamed whole, or, in the sub-line variants,
		 * all of its part in the destination is (MOVNTI words).
		 */
		uintptr_t lo = l0 + l * LINE, hi = lo + LINE;

		lo = lo < dst ? dst : lo;
		hi = hi > end ? end : hi;
		unsigned whole = e->subline ? (unsigned)(hi - lo) : LINE;

		if (ls[l].streamed && ls[l].streamed != whole)
			WHY("line at dst%+ld only partly streamed (%u bytes)",
				off, ls[l].streamed);
		if (e->flushing && ls[l].dirty)
			WHY("line at dst%+ld not flushed after its last "
				"ordinary store", off);
	}
	ret = 0;
out:
	free(bytes);
	free(ls);
	return ret;
}

int
trace_check_flush_lines(const struct trace *t, uintptr_t addr, size_t len,
	char *why, size_t whylen)
{
	uintptr_t l0 = LINE_OF(addr);
	size_t nlines = len ? (LINE_OF(addr + len - 1) - l0) / LINE + 1 : 0;
	unsigned char *seen = calloc(nlines + 1, 1);
	int ret = -1;

	for (size_t i = 0; i < t->n; i++) {
		const struct ev *v = &t->v[i];

		if (v->kind == EV_STORE || v->kind == EV_STREAM)
			WHY("event %zu: a %s in a flush", i,
				trace_kind_name(v->kind));
		if (v->kind != EV_FLUSH)
			continue;
		uintptr_t l = LINE_OF(v->addr);

		/* compat: pmem_flush(addr, 0), see check_empty() */
		if (len == 0 && l == l0)
			continue;
		if (l < l0 || l >= l0 + nlines * LINE)
			WHY("event %zu: flush of a line outside the range "
				"(addr%+ld)", i, (long)(l - addr));
		if (seen[(l - l0) / LINE]++)
			WHY("event %zu: line at addr%+ld flushed twice", i,
				(long)(l - addr));
	}
	for (size_t k = 0; k < nlines; k++)
		if (!seen[k])
			WHY("line at addr%+ld not flushed",
				(long)(l0 + k * LINE - addr));
	ret = 0;
out:
	free(seen);
	return ret;
}

int
trace_check_fenced_syscall(const struct trace *t, char *why, size_t whylen)
{
	long sys = -1, fence = -1, flush = -1;

	for (size_t i = 0; i < t->n; i++) {
		enum ev_kind k = t->v[i].kind;

		if (k == EV_SYSCALL && sys < 0)
			sys = (long)i;
		else if (k == EV_FENCE && sys < 0)
			fence = (long)i;
		else if (k == EV_FLUSH && sys < 0)
			flush = (long)i;
		else if (k == EV_FLUSH)
			WHY("event %zu: a flush after the system call", i);
	}
	if (sys < 0)
		WHY("no system call");
	if (fence < 0 || fence < flush)
		WHY("event %ld: system call before the flushes are fenced",
			sys);
	return 0;
out:
	return -1;
}

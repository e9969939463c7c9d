/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Portable copy and fill kernels.
 *
 * Every 8-byte aligned word of the destination is written by one 8-byte
 * store, never by bytes: a crash can tear a copy between words but not
 * inside one, which is what pool libraries rely on when they update
 * 8-byte fields in place. The stores are volatile so the compiler cannot
 * turn the loops back into a libc call with weaker guarantees.
 */
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "funcs.h"
#include "out.h"
#include "trace.h"
#include "util.h"

typedef volatile uint64_t vword;
typedef volatile uint8_t vbyte;

static force_inline uint64_t
load_word(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static void
copy_forward(char *d, const char *s, size_t n)
{
	while (n > 0 && ((uintptr_t)d & 7)) {
		*(vbyte *)d++ = (uint8_t)*s++;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(vword *)d = load_word(s);
	while (n-- > 0)
		*(vbyte *)d++ = (uint8_t)*s++;
}

static void
copy_backward(char *d, const char *s, size_t n)
{
	d += n;
	s += n;
	while (n > 0 && ((uintptr_t)d & 7)) {
		*(vbyte *)--d = (uint8_t)*--s;
		n--;
	}
	for (; n >= 8; n -= 8) {
		d -= 8;
		s -= 8;
		*(vword *)d = load_word(s);
	}
	while (n-- > 0)
		*(vbyte *)--d = (uint8_t)*--s;
}

static void
copy(char *d, const char *s, size_t n)
{
	TRACE_STORE(d, n);
	/* unsigned distance: forward unless dst starts inside src */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
}

static void
fill(char *d, int c, size_t n)
{
	uint64_t w = 0x0101010101010101ULL * (uint8_t)c;

	TRACE_STORE(d, n);
	while (n > 0 && ((uintptr_t)d & 7)) {
		*(vbyte *)d++ = (uint8_t)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(vword *)d = w;
	while (n-- > 0)
		*(vbyte *)d++ = (uint8_t)c;
}

void
memmove_generic_noflush(char *dst, const char *src, size_t len)
{
	LOG(15, "dst %p src %p len %zu", dst, src, len);
	copy(dst, src, len);
}

void
memmove_generic_flush(char *dst, const char *src, size_t len)
{
	LOG(15, "dst %p src %p len %zu", dst, src, len);
	copy(dst, src, len);
	Funcs.flush(dst, len);
}

void
memset_generic_noflush(char *dst, int c, size_t len)
{
	LOG(15, "dst %p c 0x%x len %zu", dst, c, len);
	fill(dst, c, len);
}

void
memset_generic_flush(char *dst, int c, size_t len)
{
	LOG(15, "dst %p c 0x%x len %zu", dst, c, len);
	fill(dst, c, len);
	Funcs.flush(dst, len);
}

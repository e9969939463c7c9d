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

const struct memmove_kernel Memmove_generic_flush = {
	memmove_generic_flush, "memmove_generic_flush"
};
const struct memmove_kernel Memmove_generic_noflush = {
	memmove_generic_noflush, "memmove_generic_noflush"
};
const struct memset_kernel Memset_generic_flush = {
	memset_generic_flush, "memset_generic_flush"
};
const struct memset_kernel Memset_generic_noflush = {
	memset_generic_noflush, "memset_generic_noflush"
};

const struct pmem_kernel Generic_kernels[GENERIC_KERNELS] = {
	{ "memmove_generic_flush", memmove_generic_flush, NULL, STORE_MOV, 0,
		0, KERNEL_FLUSH_FUNCS, "Funcs.flush", "generic", 0 },
	{ "memmove_generic_noflush", memmove_generic_noflush, NULL,
		STORE_MOV, 0, 0, 0, "none", "generic", 0 },
	{ "memset_generic_flush", NULL, memset_generic_flush, STORE_MOV, 0,
		0, KERNEL_FLUSH_FUNCS, "Funcs.flush", "generic", 0 },
	{ "memset_generic_noflush", NULL, memset_generic_noflush, STORE_MOV,
		0, 0, 0, "none", "generic", 0 },
};

void
arch_generic_kernels(struct arch_choice *c)
{
	c->memmove[MEM_MOV] = Memmove_generic_flush;
	c->memmove[MEM_MOVNT] = Memmove_generic_flush;
	c->memmove[MEM_MOV_NOFLUSH] = Memmove_generic_noflush;
	c->memset[MEM_MOV] = Memset_generic_flush;
	c->memset[MEM_MOVNT] = Memset_generic_flush;
	c->memset[MEM_MOV_NOFLUSH] = Memset_generic_noflush;
}

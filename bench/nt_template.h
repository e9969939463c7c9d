/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One vector width of the bench's streaming kernels, hw_ntstore_<NT_SUFFIX>
 * (fill) and hw_ntcopy_<NT_SUFFIX> (copy), for hw.c to include once per
 * width. Ordinary stores and a flush up to the vector alignment, NT_STEP
 * vectors a step (all loaded, then all streamed), one a step, 8 bytes a
 * step, ordinary stores and a flush for the rest, SFENCE. Parameters,
 * all #undef'ed at the end:
 *   NT_SUFFIX        the kernels' name suffix
 *   NT_TARGET        their target attribute ("avx2", "avx512f")
 *   NT_VEC           the vector type
 *   NT_LOAD(p)       an unaligned load from p
 *   NT_SPLAT(c)      a vector of the byte c
 *   NT_STREAM(p, v)  a streaming store of v to p, aligned
 * hw.c provides nt_bytes() and nt_word(), which need no vectors.
 */
#define NT_CAT2(a, b) a##b
#define NT_CAT(a, b) NT_CAT2(a, b)
#define NT_W sizeof(NT_VEC)
/*
 * Vectors loaded before they are streamed: 16 registers, 8 lines of AVX2
 * or 16 of AVX-512, the load-ahead that measured fastest for the
 * library's own loops (src/x86_64/memops_avx.c, memops_avx512f.c): the
 * best copy loop we know is the limit, not a weaker one. AVX2 load +
 * streaming store on an AMD EPYC family 25 model 17, 1-128 MiB: 22.0-23.4
 * GB/s with 4 vectors a step, 23.0-24.5 with 16, and the library's 8-line
 * AVX2 copies at 100-101% of the first, 98-99% of the second (pmembench
 * --filter memcpy_nt,memcpy_persist --sizes 1M,16M,128M, one run each).
 */
#define NT_STEP 16
/* vector k of this step: loaded for a copy, the splat for a fill */
#define NT_GET(k) (copy ? NT_LOAD(s + i + (k) * NT_W) : v)

/* copy is a constant in each caller, so every branch on it folds */
__attribute__((target(NT_TARGET))) static inline
__attribute__((always_inline)) void
NT_CAT(nt_body_, NT_SUFFIX)(char *d, const char *s, int c, size_t len,
	int copy)
{
	size_t i = (NT_W - ((uintptr_t)d & (NT_W - 1))) & (NT_W - 1);
	NT_VEC v = NT_SPLAT(c);

	if (i > len)
		i = len;
	nt_bytes(d, s, 0, c, i, copy);
	for (; len - i >= NT_STEP * NT_W; i += NT_STEP * NT_W) {
		NT_VEC r[NT_STEP];

		_Pragma("GCC unroll 16")
		for (int k = 0; k < NT_STEP; k++)
			r[k] = NT_GET(k);
		_Pragma("GCC unroll 16")
		for (int k = 0; k < NT_STEP; k++)
			NT_STREAM(d + i + k * NT_W, r[k]);
	}
	for (; len - i >= NT_W; i += NT_W)
		NT_STREAM(d + i, NT_GET(0));
	for (; len - i >= 8; i += 8)
		nt_word(d, s, i, c, copy);
	nt_bytes(d, s, i, c, len - i, copy);
	_mm_sfence();
}

__attribute__((target(NT_TARGET))) void
NT_CAT(hw_ntstore_, NT_SUFFIX)(void *dst, int c, size_t len)
{
	NT_CAT(nt_body_, NT_SUFFIX)(dst, NULL, c, len, 0);
}

__attribute__((target(NT_TARGET))) void
NT_CAT(hw_ntcopy_, NT_SUFFIX)(void *dst, const void *src, size_t len)
{
	NT_CAT(nt_body_, NT_SUFFIX)(dst, src, 0, len, 1);
}

#undef NT_GET
#undef NT_STEP
#undef NT_W
#undef NT_CAT
#undef NT_CAT2
#undef NT_STREAM
#undef NT_SPLAT
#undef NT_LOAD
#undef NT_VEC
#undef NT_TARGET
#undef NT_SUFFIX

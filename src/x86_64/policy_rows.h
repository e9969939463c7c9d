/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The rows of the per-CPU kernel policy (policy.c says how they are used),
 * in the order they are tried; the last matches every CPU. tests/matrix
 * reads the first line of each row with awk, so it stays on one line:
 *
 * POLICY_ROW(vendor, display family or 0, display model or 0,
 *	feature needed or ANY,
 *	ordinary-store family, streaming-copy family (MOVDIR64B allowed:
 *	without it, or with PMEM_MOVDIR64B=0, the widest vectors the CPU and
 *	the environment allow), streaming-fill family,
 *	WC barrier 0/1, partial lines of streaming copies streamed 0/1,
 *	bytes ahead of its loads a streaming copy prefetches (0: none),
 *	overlapping moves below N bytes use ordinary stores
 *	(0: never, LLC: up to half the last-level cache),
 *	name, the reason printed by ./libpmem.so.1)
 *
 * Each row's comment names the measurement it rests on: `make bench`
 * reports in bench/results/ and focused reruns of build/bench/pmembench,
 * ratios compared within one run only (2-vCPU VMs drift between runs).
 */

/*
 * Intel Xeon, family 6 model 167 (AVX-512F + MOVDIR64B + AMX), 480 MiB
 * LLC, 2 vCPUs, 2026-12-02 (bench/results/intel-xeon-f6m167-avx512-
 * movdir64b.md). The model-207 row below was 0.80-0.95 of the reference
 * on 40 cases here (make bench, geometric mean 1.035); its choices pass:
 *  - streaming copies and moves of 1-128 MiB: MOVDIR64B 1.09-1.31x and
 *    even SSE2 1.05-1.17x faster than AVX-512 (PMEM_MOVDIR64B=1,
 *    PMEM_AVX=0), in line with the hardware loops at 1-128 MiB (MOVDIR64B
 *    11.3-12.0 GB/s, AVX-512 load + streaming store 10.4-10.8); 4-64 KiB
 *    1.01-1.03; the reference's own PMEM_MOVDIR64B=1 beat our default by
 *    1.1-1.2x from 1 MiB (ref-settings pass). Below 8 KiB the MOVDIR64B
 *    kernels stream with SSE2 stores instead (kernels.h: reads soon after
 *    MOVDIR64B of 3-7 KiB wait longer), as fast as AVX-512 there;
 *  - ordinary-store copies and moves of 4-64 KiB: AVX2 1.18-1.28x
 *    faster than AVX-512 (memcpy_temporal, memmove_persist at 4 KiB);
 *  - overlapping moves of 64 KiB: ordinary stores 1.27-1.32x faster than
 *    streaming;
 *  - streaming fills: AVX2 within 1% of AVX-512 at every size in the
 *    first run; with this row AVX-512 filled 1-128 MiB 4-6% faster than
 *    AVX2 (make bench, choices pass): fills stay 512-bit.
 * With this row (pmembench --passes choices --filter memmove_persist_up,
 * memmove_persist_down,memcpy_temporal --sizes 1K,...,16M --choices-time
 * 300): AVX-512 ordinary stores 0.74-0.84 of AVX2 at 4 KiB and 0.83-0.96
 * at 64-512 KiB, 1.05-1.10 only for memcpy_temporal of 1-16 MiB;
 * overlapping moves streamed (MOVDIR64B) against ordinary stores 0.62-0.73
 * at 64-128 KiB, 0.91-0.97 at 256 KiB, 0.99-1.02 at 512 KiB, 1.13-1.30
 * from 1 MiB. Streamed partial lines (a build with that column 1, pmembench
 * --ours it --ref this --filter memcpy_nt,memcpy_persist --sizes 8,...,
 * 4K+4) made 8 B-4 KiB copies to a 4-aligned dst 0.73-0.84 as fast. Source
 * prefetching 4 KiB ahead (the same, --sizes 4K,...,128M,1M+1,16M+1)
 * made AVX-512 streaming copies 0.85-0.94 and MOVDIR64B ones 0.64-0.92
 * as fast. make bench with this row: geometric mean 1.080 (ceiling
 * 1.299), 2 cases below 0.97 of the reference (memmove_persist_down 64 B
 * 0.93, memcpy_nt 256 B to dst+1 0.95), copies of 16-128 MiB at 96-101%
 * of the best loop; with MOVDIR64B from 8 KiB instead of 256 KiB 1.069
 * (ceiling 1.273; the host's memory moved: its MOVDIR64B loop led by 4%,
 * not 14%), 3 cases below 0.97.
 */
POLICY_ROW(INTEL, 6, 167, AVX512F, AVX, MOVDIR64B, AVX512F, 0, 0, 0, 524288,
	"Intel family 6 model 167", "MOVDIR64B streaming copies from "
	"8 KiB, 256-bit ordinary stores (both measured faster here), "
	"ordinary stores for overlapping moves below 512 KiB")

/*
 * Intel Xeon, family 6 model 207, AVX-512F + MOVDIR64B + CLWB, 2 vCPUs,
 * 2026-12-02, ours against ours through the environment (pmembench
 * --ours L --ref L --env-ref VAR=V --no-limits --time 40):
 *  - streaming copies 1-16 MiB: AVX2 1.11-1.15x and MOVDIR64B 1.09-1.14x
 *    slower than AVX-512 (PMEM_AVX512F=0, PMEM_MOVDIR64B=1);
 *  - streaming fills: AVX2 equal, MOVDIR64B 2.5-2.8x slower;
 *  - ordinary-store copies: with 4 lines per step AVX-512 was 3-6% slower
 *    than AVX2 at 1-16 MiB; with the 16-line step it is 9-20% faster at
 *    1 KiB-16 MiB (--env-ref PMEM_AVX512F=1 against the AVX2 default,
 *    memcpy_temporal), and overlapping moves are within 0.92-1.06;
 *  - the WC barrier made 256 B-4 KiB copies and fills to an unaligned dst
 *    1.4-1.7x slower (PMEM_WC_WORKAROUND=0 against the default) and
 *    changed nothing from 64 KiB up; a fence every 12 streamed lines
 *    instead made 64 KiB-16 MiB copies 3-12x slower;
 *  - overlapping moves with ordinary stores against the reference's
 *    streaming (make bench, memmove_persist_up/down): 1.5-2.6x at
 *    256 B-4 KiB, 0.99-1.07 at 64 KiB, 0.81-0.92 from 1 MiB; in a rerun
 *    with no size limit (--filter memmove_persist --sizes 16K,...,1M
 *    --time 60) 1.01-1.04 at 16-64 KiB, 0.97-1.03 at 128 KiB and
 *    0.77-0.93 from 256 KiB; at distances of 8 and 4096 bytes
 *    (memmove_persist_up/down/d8, /d4K) 1.45-2.86x at 256 B-4 KiB but
 *    0.89-0.94 at 64 KiB: ordinary stores below 64 KiB;
 *  - partial lines stored and flushed, not streamed: the reference's
 *    MOVNTI 8 B pmem_memcpy(NONTEMPORAL) took 382 ns, ours flushed 181
 *    (bench/results/intel-xeon-f6m207-avx512-movdir64b.md, memcpy_nt 8);
 *  - no prefetching: the reference's AVX-512 path has none, and our
 *    AVX-512 copies ran at or above it here without (same report); not
 *    measured with it here, but on the model-167 Xeon prefetching 4 KiB
 *    ahead made them 0.85-0.94 as fast (row above).
 */
POLICY_ROW(INTEL, 6, 0, AVX512F, AVX512F, AVX512F, AVX512F, 0, 0, 0, 65536,
	"Intel with AVX-512", "512-bit kernels, no WC barrier, ordinary "
	"stores for overlapping moves below 64 KiB (measured on a Xeon)")

/*
 * AMD EPYC family 26 model 2 (Zen 5), AVX-512F + MOVDIR64B, 2 vCPUs
 * (../shared/measurements/amd-zen5-avx512-movdir64b, 2026-12-02: make
 * bench, and with --env-both PMEM_AVX512F=0):
 *  - hardware loops at 128 MiB: AVX2 load + streaming store 20.3 GB/s,
 *    AVX-512 16.75, MOVDIR64B 20.8; our AVX-512 default ran at 0.91-0.94
 *    of our own AVX2 path for 1-128 MiB copies;
 *  - streaming fills: AVX2 and AVX-512 both 33.5 GB/s;
 *  - 8-256 B overlapping moves with AVX-512 ordinary stores: 0.94-0.96 of
 *    the reference; with AVX2 on both sides 0.96-1.04;
 *  - overlapping moves with ordinary stores lost to streaming from 64 KiB
 *    (0.59-0.67, AVX2 on both sides) and for aligned 1 KiB moves by
 *    2.5-8x, so streaming is left to the threshold.
 * AMD EPYC family 26 model 2, no MOVDIR64B, 32 MiB L3, 2 vCPUs
 * (bench/results/amd-epyc-f26m2-avx512.md, 2026-12-02), builds differing only
 * in the prefetch distance (pmembench --ours A --ref B --filter
 * memcpy_persist,memcpy_nt,memmove_persist_up,memmove_persist_down
 * --sizes 4K,16K,64K,256K,1M,16M,128M,1M+1 --no-limits --passes main):
 *  - the reference's AVX2 path prefetches 4 KiB ahead (PREFETCHT0) and
 *    ran overlapping moves of 64 KiB 1.7x, of 1-16 MiB 1.04-1.18x faster
 *    than our unprefetched default (make bench, ref-settings pass);
 *  - prefetching 4 KiB ahead against none: 64 KiB moves 1.6-1.8x,
 *    1 MiB moves 1.04-1.16x, copies of 1-128 MiB 1.02-1.04x faster;
 *    8 KiB against 4 KiB: 64 KiB moves 1.22x, 1 MiB copies 1.06x;
 *    16 KiB against 8 KiB: 64-256 KiB moves 1.13-1.19x faster, 1-16 MiB
 *    moves 0.92-0.97; 2 KiB against 4 KiB: 0.85-0.97. Prefetching for
 *    ordinary-store copies made memcpy_temporal 1-128 MiB 0.95-0.97;
 *  - with that prefetch, overlapping moves with ordinary stores against
 *    streaming (make bench, choices pass, F_T against the default): 1-4
 *    KiB moves at distances of 8 bytes, or to dst+1, 1.4-1.9x faster;
 *    16 KiB-128 MiB 0.22-0.98 (streaming wins from 16 KiB). Against the
 *    reference (--filter memmove --sizes 256,1K,2K,4K,6K,1K+1,4K+1
 *    --time 60, this row with ordinary stores below 8 KiB): 1-6 KiB moves
 *    1.07-1.73x, except moves with dst below src and both line-aligned,
 *    which the reference streams with no flush at all (0.43-0.73), and
 *    256 B moves (0.83-0.92); make bench geometric mean 1.103 -> 1.109.
 *    So ordinary stores below 8 KiB.
 */
POLICY_ROW(AMD, 26, 0, ANY, AVX, AVX, AVX, 0, 1, 8192, 8192,
	"AMD family 26 (Zen 5)", "256-bit kernels (measured faster than "
	"512-bit on Zen 5), streamed partial lines, source prefetched "
	"8 KiB ahead, ordinary stores for overlapping moves below 8 KiB")

/*
 * AMD EPYC with AVX2 and no AVX-512, 32 MiB LLC (bench/results.md,
 * 2026-11-26): overlapping moves with ordinary stores 2.0-3.1x the
 * reference at 256 B-64 KiB and 1.9x for in-cache 1 MiB moves, 0.84 at
 * 16 MiB (half the LLC, where the limit stops them).
 * AMD EPYC family 25 model 17 (Zen 4), AVX-512F, no MOVDIR64B, 32 MiB
 * LLC (bench/results/amd-epyc-f25m17-avx512.md, make bench, 2026-12-02): forced
 * to AVX-512 (PMEM_AVX512F=1) streaming copies of 1-128 MiB ran at
 * 0.93-0.98 of this row's 256 bits, and overlapping moves with ordinary
 * stores at 1.2-2.3x the reference from 64 KiB to 128 MiB.
 * Partial lines of streaming copies are streamed (MOVNTI) on every AMD
 * row: a 4-60 B pmem_memcpy(NONTEMPORAL) to a 4-aligned dst took 113-132
 * ns against 158-187 ns stored and flushed on the Zen 4 (pmembench
 * --filter memcpy_nt --sizes 4,8,12,...,8+4,16+8 --no-limits --passes
 * main), and the reference's MOVNTI 8 B copy beat our flushed one on Zen
 * 5 too (165 against 191 ns, bench/results/amd-zen5-avx512-movdir64b.md).
 * Streaming copies prefetch 4 KiB ahead, the reference's AVX distance: on
 * the Zen 4 its prefetching AVX2 path copied 1-128 MiB to dst+1 3-6%
 * faster than ours did unprefetched, and on the Zen 5 above 4 KiB beat
 * no prefetching at every size; not re-measured on these CPUs.
 */
POLICY_ROW(AMD, 0, 0, ANY, AVX, AVX, AVX, 0, 1, 4096, LLC,
	"AMD", "256-bit kernels, streamed partial lines, ordinary stores "
	"for overlapping moves up to half the last-level cache (measured on "
	"an AVX2 EPYC and a Zen 4)")

/*
 * Intel CPUs without AVX-512: not measured. 256-bit kernels, as the
 * reference; no WC barrier, which only cost time on the Xeon above
 * (where the reference's own barrier, a fence every 12 streamed lines in
 * its AVX path, made its PMEM_AVX512F=0 copies 3.1-6.5x slower from
 * 4 KiB up: ../shared/measurements/README.md); overlapping moves with
 * ordinary stores only up to where they still won on that Xeon. No
 * prefetching, although the reference's AVX path prefetches 4 KiB ahead:
 * on the model-167 Xeon our AVX2 path with it (PMEM_AVX512F=0 on both
 * sides, a build prefetching 4 KiB ahead against none, pmembench --filter
 * memcpy_persist,memcpy_nt,memmove_persist_up,memmove_persist_down --sizes
 * 4K,64K,1M,16M,128M,1M+1,16M+1 --passes main --time 40) copied 16-128
 * MiB at 0.94-0.96, moved 64 KiB at 0.86-0.94 and 1-128 MiB with dst
 * below src at 0.93-0.97; only moves walking down gained (1.03-1.05).
 */
POLICY_ROW(INTEL, 0, 0, ANY, AVX, AVX, AVX, 0, 0, 0, 65536,
	"Intel", "256-bit kernels, no WC barrier, no prefetching (both "
	"measured costly on Xeons; this CPU not measured)")

/*
 * any other vendor: the reference's choices, at most 256 bits wide, its
 * AVX path's 4 KiB prefetch included
 */
POLICY_ROW(OTHER, 0, 0, ANY, AVX, AVX, AVX, 0, 0, 4096, 0,
	"other vendor", "256-bit kernels, streaming as the threshold says "
	"(not measured)")

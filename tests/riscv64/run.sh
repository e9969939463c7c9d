#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The riscv64 port under QEMU user mode (tests/lib/cross_suite.sh). QEMU
# 7.2 has neither riscv_hwprobe nor Zicbom, so the library runs its
# no-Zicbom path (no flush, caches taken as persistent); the trace test
# pretends Zicbom (zicbom=1) and counts each cbo.clean as it traps.
# Debian 12 has no riscv64 libpmem: the API report is compared with the
# host reference's.
set -u
. "$(dirname "$0")/../lib/cross_suite.sh"

XARCH=riscv64
CROSS=riscv64-linux-gnu-
PKGS=(gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user)
QEMU_BIN=qemu-riscv64
QEMU_ROOT=/usr/riscv64-linux-gnu
CPUS=(rv64 sifive-u54)
FLUSH=none
DRAIN="fence w,w"
BLOCK=0		# no Zicbom under QEMU 7.2: no cbo.clean at all
ARCH_REF=
TRACE_LDFLAGS=-Wl,--wrap=cpu_features
TRACE_ARGS=zicbom=1
# what the library says when it found no Zicbom
SOURCE="/proc/cpuinfo, riscv_hwprobe missing"
LOG_FLUSH="no Zicbom ($SOURCE): not flushing"
LOG_NO_FLUSH="flush: none (deep flush: none)"
SELF_FLUSH="flush: none (deep flush: none)"
SELF_LINES=("CPU (riscv64): Zicbom no, says $SOURCE"
	"CPU caches: not flushed (no Zicbom: CPU caches assumed to be in the")
SELF_LINES[1]+=" persistence domain)"
MUTANT_WHAT="the block of a range's last byte not always cleaned"
MUTANT_FILE=block_flush.h
MUTANT_OLD='FOR_EACH_BLOCK(addr, len, Cache_block, BLOCK_FLUSH)'
MUTANT_NEW='FOR_EACH_BLOCK(addr, len - 1, Cache_block, BLOCK_FLUSH)'
MUTANT_RUN="kernels step=5"

cross_suite

#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The ppc64le port under QEMU user mode on POWER9 and POWER10 models,
# side by side with Debian's own ppc64el libpmem (tests/lib/cross_suite.sh).
# qemu runs with -L / so the loader and libc are the multiarch
# libc6:ppc64el ones (with -L /usr/powerpc64le-linux-gnu QEMU 7.2 aborts
# even hello-world with "stack smashing detected").
set -u
. "$(dirname "$0")/../lib/cross_suite.sh"

XARCH=ppc64le
CROSS=powerpc64le-linux-gnu-
PKGS=(gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross qemu-user
	libc6:ppc64el libpmem1:ppc64el)
QEMU_BIN=qemu-ppc64le
QEMU_ROOT=/
CPUS=(power9 power10)
FLUSH=dcbstps
DRAIN=phwsync
BLOCK=128	# QEMU reports AT_DCACHEBSIZE 128, as POWER hardware does
ARCH_REF=/usr/lib/powerpc64le-linux-gnu/libpmem.so.1
TRACE_LDFLAGS=
TRACE_ARGS=
LOG_FLUSH="flush: dcbstps (deep flush: dcbstps)"
LOG_NO_FLUSH="flush: none (deep flush: dcbstps)"
SELF_FLUSH="flush: dcbstps (deep flush: dcbstps)"
SELF_LINES=("cache block 128 bytes (AT_DCACHEBSIZE)" "CPU caches: flushed")
MUTANT_WHAT="flush stride of 64 bytes, not the 128-byte block"
MUTANT_FILE=block_flush.h
MUTANT_OLD='FOR_EACH_BLOCK(addr, len, Cache_block, BLOCK_FLUSH)'
MUTANT_NEW='FOR_EACH_BLOCK(addr, len, 64, BLOCK_FLUSH)'
MUTANT_RUN=range	# twice the flushes: only the exact count sees it

if ! need_foreign_arch ppc64el; then
	skip "ppc64le: dpkg cannot add the ppc64el architecture (not root)"
	summary
	exit
fi
cross_suite

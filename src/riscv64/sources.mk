# SPDX-License-Identifier: BSD-3-Clause
# riscv64: no kernel files of its own (the portable ones serve, see
# init.c); cbo.clean is emitted with .insn, so no -march extension flag.

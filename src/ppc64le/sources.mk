# SPDX-License-Identifier: BSD-3-Clause
# ppc64le: no kernel files of its own (the portable ones serve, see
# init.c) and no per-file ISA flags.

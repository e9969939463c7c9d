# SPDX-License-Identifier: BSD-3-Clause
# The version and the compile and link flags of every build of the library:
# the top Makefile's release and debug builds and the reliability suite's
# instrumented copies (tests/reliability/lib.mk), so the two cannot drift.
# Set ARCH, and TOP to the repository root, before including it; the top
# Makefile leaves TOP empty, so its paths stay relative (src/..., as
# before) in the objects it builds.
TOPDIR = $(if $(TOP),$(TOP)/)
VERSION    = 1.12.1
# the PMDK release whose libpmem API (26 functions) this implements:
# libpmem.pc's Version, so `pkg-config --atleast-version=2.1 libpmem` holds
API_VERSION = 2.1.0
SO_MAJOR   = 1
SO_VERSION = 1.0.0
SONAME     = libpmem.so.$(SO_MAJOR)

BASE_CFLAGS = -std=gnu11 -fPIC -fvisibility=hidden -fno-semantic-interposition \
	-fno-strict-aliasing \
	-I$(TOPDIR)include -I$(TOPDIR)src -I$(TOPDIR)src/$(ARCH) -MMD -MP \
	-DSRCVERSION=\"$(VERSION)\"

# the exports and the soname; the top Makefile adds what an instrumented
# build cannot take (-z defs: sanitizer runtimes resolve at load)
LIB_LINK = -shared -Wl,-soname,$(SONAME) \
	-Wl,--version-script=$(TOPDIR)src/libpmem.map
LIBS = -lpthread

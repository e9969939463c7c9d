# SPDX-License-Identifier: BSD-3-Clause
# One instrumented copy of the library, built from the same sources with the
# top Makefile's flags, version and per-file ISA flags (src/flags.mk and
# sources.mk, which the Makefile includes too), minus its warnings.
#   make -f lib.mk TOP=<repo> OUT=<dir> CC=<cc> FLAGS="<extra cflags>"
# OUT/flags must hold FLAGS; rewriting it (only when they change) rebuilds.
ARCH := $(shell uname -m)
LIB_SRCS := $(sort $(wildcard $(TOP)/src/*.c) \
	$(wildcard $(TOP)/src/$(ARCH)/*.c))
include $(TOP)/src/flags.mk
include $(TOP)/src/$(ARCH)/sources.mk
include $(TOP)/src/valgrind.mk

OBJS := $(LIB_SRCS:$(TOP)/src/%.c=$(OUT)/obj/%.o)

all: $(OUT)/libpmem.so.1 $(OUT)/objs

# objects that include a header written at build time (sources.mk)
$(eval $(call arch_obj_deps,$(OBJS)))

$(OUT)/obj/%.o: $(TOP)/src/%.c $(OUT)/flags $(TOP)/src/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAGS) $(ISAFLAGS) -c $< -o $@

$(OUT)/libpmem.so.1: $(OBJS) $(TOP)/src/libpmem.map
	$(CC) $(FLAGS) $(LIB_LINK) -o $@ $(OBJS) $(LIBS)

$(OUT)/objs: $(OBJS)
	printf '%s\n' $(OBJS) > $@

-include $(OBJS:.o=.d)

# SPDX-License-Identifier: BSD-3-Clause
# One instrumented copy of the library, built from the same sources with the
# same per-file ISA flags as the top Makefile (it includes sources.mk too).
#   make -f lib.mk TOP=<repo> OUT=<dir> CC=<cc> FLAGS="<extra cflags>"
# OUT/flags must hold FLAGS; rewriting it (only when they change) rebuilds.
ARCH := $(shell uname -m)
LIB_SRCS := $(sort $(wildcard $(TOP)/src/*.c) \
	$(wildcard $(TOP)/src/$(ARCH)/*.c))
BASE_CFLAGS := -std=gnu11 -fPIC -fvisibility=hidden -fno-strict-aliasing \
	-I$(TOP)/include -I$(TOP)/src -I$(TOP)/src/$(ARCH) \
	-DSRCVERSION=\"1.12.1\" -MMD -MP
include $(TOP)/src/$(ARCH)/sources.mk
include $(TOP)/src/valgrind.mk

OBJS := $(LIB_SRCS:$(TOP)/src/%.c=$(OUT)/obj/%.o)

all: $(OUT)/libpmem.so.1 $(OUT)/objs

$(OUT)/obj/%.o: $(TOP)/src/%.c $(OUT)/flags
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(FLAGS) $(ISAFLAGS) -c $< -o $@

$(OUT)/libpmem.so.1: $(OBJS) $(TOP)/src/libpmem.map
	$(CC) $(FLAGS) -shared -Wl,-soname,libpmem.so.1 \
		-Wl,--version-script=$(TOP)/src/libpmem.map \
		-o $@ $(OBJS) -lpthread

$(OUT)/objs: $(OBJS)
	printf '%s\n' $(OBJS) > $@

-include $(OBJS:.o=.d)

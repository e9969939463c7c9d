# SPDX-License-Identifier: BSD-3-Clause
# Valgrind client requests need <valgrind/valgrind.h> and memcheck.h (Debian
# package valgrind). VALGRIND=auto (the default) uses them when the compiler
# finds them and otherwise builds without the requests, saying so; yes
# requires them (the Debian package on architectures Valgrind runs on); no
# leaves them out.
VALGRIND ?= auto
VALGRIND_PROBE_HEADERS ?= valgrind/valgrind.h valgrind/memcheck.h

# y when $(CC) finds every header named in $(1). The headers go in as
# -include options: a '#' inside $(shell) is kept as '\#' by GNU make 4.3
# and later, and a preprocessor fed '\#include <x>' reports no error at all
# (tests/abi/run.sh checks this probe answers no for a missing header).
valgrind_probe = $(shell $(CC) $(addprefix -include ,$(1)) -E -x c \
	-o /dev/null /dev/null 2>/dev/null && echo y)

ifeq ($(VALGRIND),no)
VALGRIND_HEADERS := n
else ifeq ($(filter $(VALGRIND),auto yes),)
$(error VALGRIND=$(VALGRIND): use auto, yes or no)
else
VALGRIND_HEADERS := $(call valgrind_probe,$(VALGRIND_PROBE_HEADERS))
endif
ifeq ($(VALGRIND)$(VALGRIND_HEADERS),yes)
$(error VALGRIND=yes but $(CC) finds no $(VALGRIND_PROBE_HEADERS) \
	(Debian: apt-get install valgrind))
endif
ifeq ($(VALGRIND_HEADERS),y)
VALGRIND_STATE = on
else
VALGRIND_STATE = off
BASE_CFLAGS += -DPMEM_NO_VALGRIND
VALGRIND_NOTE = built without Valgrind support: $(CC) finds no \
	$(VALGRIND_PROBE_HEADERS) (Debian: apt-get install valgrind)
endif

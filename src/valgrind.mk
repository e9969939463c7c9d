# SPDX-License-Identifier: BSD-3-Clause
# Valgrind client requests need <valgrind/valgrind.h> and memcheck.h (Debian
# package valgrind); without them the library is built without the requests.
VALGRIND_HEADERS := $(shell printf '%s\n' '\#include <valgrind/valgrind.h>' \
	'\#include <valgrind/memcheck.h>' | \
	$(CC) -E -x c -o /dev/null - 2>/dev/null && echo y)
ifneq ($(VALGRIND_HEADERS),y)
BASE_CFLAGS += -DPMEM_NO_VALGRIND
endif

# SPDX-License-Identifier: BSD-3-Clause
# x86_64: ISA flags per kernel file; families the compiler cannot build
# are left out (init.c then never selects them).
cc_has = $(shell $(CC) $(1) -x c -c -o /dev/null /dev/null 2>/dev/null && echo y)

%/x86_64/memops_avx.o: ISAFLAGS = -mavx
%/x86_64/memops_avx512f.o: ISAFLAGS = -mavx512f
%/x86_64/memops_movdir64b.o: ISAFLAGS = -mmovdir64b

ifneq ($(call cc_has,-mavx512f),y)
LIB_SRCS := $(filter-out src/x86_64/memops_avx512f.c,$(LIB_SRCS))
BASE_CFLAGS += -DNO_AVX512F_KERNELS
endif
ifneq ($(call cc_has,-mmovdir64b),y)
LIB_SRCS := $(filter-out src/x86_64/memops_movdir64b.c,$(LIB_SRCS))
BASE_CFLAGS += -DNO_MOVDIR64B_KERNELS
endif

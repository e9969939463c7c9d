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

# The policy table is data (policy.rows); policy_rows.awk writes it as the
# POLICY_ROW list policy.c includes, next to policy.o. The including
# makefile calls arch_obj_deps with its objects once it has them.
%/obj/x86_64/policy_rows.h: $(TOPDIR)src/x86_64/policy.rows \
		$(TOPDIR)src/x86_64/policy_rows.awk
	@mkdir -p $(@D)
	$(Q)awk -f $(TOPDIR)src/x86_64/policy_rows.awk $< > $@.tmp
	$(Q)mv $@.tmp $@
%/obj/x86_64/policy.o: ISAFLAGS = -I$(@D)
define arch_obj_deps
$(filter %/x86_64/policy.o,$(1)): %/policy.o: %/policy_rows.h
endef

# SPDX-License-Identifier: BSD-3-Clause
# Builds the release and debug libpmem, installs them, runs the test suites.

prefix      ?= /usr/local
exec_prefix ?= $(prefix)
libdir      ?= $(exec_prefix)/lib
includedir  ?= $(prefix)/include
mandir      ?= $(prefix)/share/man
pkgconfigdir ?= $(libdir)/pkgconfig
debuglibdir ?= $(libdir)/pmdk_debug
# other names of the debug directory, made as links in $(libdir) next to it
# (Debian's libpmem1-debug uses pmdk_dbg; nvml_debug is the old name)
DEBUG_DIR_NAMES = pmdk_debug nvml_debug
DEBUG_DIR_LINKS = $(filter-out $(notdir $(debuglibdir)),$(DEBUG_DIR_NAMES))

HOST_ARCH := $(shell uname -m)
ARCH      ?= $(HOST_ARCH)
ifeq ($(ARCH),arm64)
override ARCH := aarch64
endif
# one line per architecture, each a src/<arch>/ directory with sources.mk
ARCHS = x86_64 aarch64 ppc64le riscv64
ifeq ($(filter $(ARCH),$(ARCHS)),)
$(error ARCH=$(ARCH) is none of $(ARCHS))
endif
CROSS_COMPILE ?=
ifneq ($(CROSS_COMPILE),)
CC := $(CROSS_COMPILE)gcc
AR := $(CROSS_COMPILE)ar
endif

ifeq ($(ARCH),$(HOST_ARCH))
BUILD ?= build
else
BUILD ?= build-$(ARCH)
endif

ifeq ($(V),1)
Q =
else
Q = @
endif

WARNINGS = -Wall -Wextra -Werror -Wmissing-prototypes -Wpointer-arith \
	-Wunused-macros -Wsign-conversion
TOP =
include src/flags.mk
BASE_CFLAGS += $(WARNINGS)
CFLAGS ?= -O2
override RELEASE_CFLAGS = $(BASE_CFLAGS) $(CPPFLAGS) $(CFLAGS) -DNDEBUG
override DEBUG_CFLAGS = $(BASE_CFLAGS) -O0 -g -DDEBUG -fno-omit-frame-pointer
LIB_LDFLAGS = $(LIB_LINK) -Wl,-z,defs -Wl,-z,noexecstack \
	-Wl,-e,libpmem_selfrun

LIB_SRCS := $(sort $(wildcard src/*.c) $(wildcard src/$(ARCH)/*.c))
include src/$(ARCH)/sources.mk
include src/valgrind.mk

REL_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/nondebug/obj/%.o)
DBG_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/debug/obj/%.o)

REL_LIB = $(BUILD)/nondebug/libpmem.so.$(SO_VERSION)
DBG_LIB = $(BUILD)/debug/libpmem.so.$(SO_VERSION)
REL_A   = $(BUILD)/nondebug/libpmem.a
DBG_A   = $(BUILD)/debug/libpmem.a

.PHONY: all check install uninstall clean bench demo

all: $(REL_LIB) $(DBG_LIB) $(REL_A) $(DBG_A) demo

# objects that include a header written at build time (src/<arch>/sources.mk)
$(eval $(call arch_obj_deps,$(REL_OBJS) $(DBG_OBJS)))

$(BUILD)/nondebug/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(RELEASE_CFLAGS) $(ISAFLAGS) -c $< -o $@

$(BUILD)/debug/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(DEBUG_CFLAGS) $(ISAFLAGS) -c $< -o $@

$(BUILD)/%/libpmem.so.$(SO_VERSION): src/libpmem.map
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LIB_LDFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBS)
	$(Q)ln -sf libpmem.so.$(SO_VERSION) $(dir $@)$(SONAME)
	$(Q)ln -sf $(SONAME) $(dir $@)libpmem.so

$(BUILD)/%/libpmem.a:
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# ./libpmem.so.1 runs as a program; the static library has no such entry
SELFRUN_OBJ = %/selfrun_linux.o
$(REL_LIB): $(REL_OBJS)
$(DBG_LIB): $(DBG_OBJS)
$(REL_A): $(filter-out $(SELFRUN_OBJ),$(REL_OBJS))
$(DBG_A): $(filter-out $(SELFRUN_OBJ),$(DBG_OBJS))

# `make` ends by showing the freshly built library at work.
demo: $(REL_LIB)
	$(Q)$(CC) -Iinclude -o $(BUILD)/demo tests/demo.c \
		-L$(BUILD)/nondebug -lpmem
ifneq ($(VALGRIND_NOTE),)
	@echo "note: $(VALGRIND_NOTE)"
endif
ifeq ($(ARCH),$(HOST_ARCH))
	$(Q)LD_LIBRARY_PATH=$(BUILD)/nondebug $(BUILD)/demo
else
	@echo "  cross build: not running $(BUILD)/demo"
endif

# Whether valgrind.h was found, as a file: installing Valgrind (make check
# does) or removing it rebuilds every object, so no build keeps a stale
# answer. Making one state's file removes the other's.
VALGRIND_STAMP = $(BUILD)/valgrind-$(VALGRIND_STATE).stamp
$(VALGRIND_STAMP):
	@mkdir -p $(@D)
	$(Q)rm -f $(BUILD)/valgrind-*.stamp && touch $@

# flags live here: objects follow its changes
$(REL_OBJS) $(DBG_OBJS): Makefile src/flags.mk src/$(ARCH)/sources.mk \
	src/valgrind.mk $(VALGRIND_STAMP)

-include $(REL_OBJS:.o=.d) $(DBG_OBJS:.o=.d)

# ---- tests ---------------------------------------------------------------
SUITES ?= unit api musl abi matrix diff clients docs dax aarch64 ppc64le riscv64 \
	reliability deb fresh

# What the library build needs (debian/control's Build-Depends) is installed
# first, then the build is brought up to date with it: a machine that had
# no valgrind.h at `make` gets the client requests now.
check:
	$(Q)bash tests/build-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)PMEM_BUILD=$(abspath $(BUILD)) bash tests/run-suites.sh $(SUITES)

# make check-<suite> runs one suite
SUITE_TARGETS = $(addprefix check-,$(SUITES))
.PHONY: $(SUITE_TARGETS)
$(SUITE_TARGETS): check-%: all
	$(Q)PMEM_BUILD=$(abspath $(BUILD)) bash tests/run-suites.sh $*

# make check-sanitize, check-flush, ...: one part of the reliability suite
RELIABILITY_PARTS = sanitize valgrind tsan fault flush fuzz badinput
.PHONY: $(RELIABILITY_PARTS:%=check-%)
$(RELIABILITY_PARTS:%=check-%): check-%: all
	$(Q)PMEM_BUILD=$(abspath $(BUILD)) bash tests/run-suites.sh reliability:$*

bench: all
	$(Q)$(MAKE) -C bench BUILD=$(abspath $(BUILD)) run

# ---- Debian packages --------------------------------------------------------
# make deb: libpmem1, libpmem-dev and libpmem1-debug (debian/) in $(DEB_OUT),
# after installing debian/control's Build-Depends (as root).
# dpkg-buildpackage writes its results to the parent of the tree it builds,
# and `debian/rules clean` empties it: so it builds a copy under $(DEB_OUT),
# never this tree or the directory holding it.
DEB_OUT ?= $(BUILD)/deb
DEB_SRC  = $(DEB_OUT)/libpmem-rebuild
.PHONY: deb
deb:
	$(Q)bash -c '. tests/lib/common.sh && need_pkgs dpkg-dev'
	$(Q)bash tests/build-deps.sh
	$(Q)rm -rf $(DEB_OUT) && mkdir -p $(DEB_SRC)
	$(Q)tar -c --exclude=./.git --exclude=./build --exclude='./build-*' \
		--exclude=./$(BUILD) --exclude=./$(DEB_OUT) . | tar -x -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b \
		>../dpkg-buildpackage.log 2>&1 || \
		{ tail -n 30 ../dpkg-buildpackage.log; exit 1; }
	$(Q)rm -rf $(DEB_SRC)
	@ls -1 $(DEB_OUT)/*.deb

# ---- install -------------------------------------------------------------
# libpmem.pc is written here, not during `make`: it must name the prefix
# and libdir given to `make install`, which may differ from the ones `make`
# saw (a file built earlier would silently keep /usr/local).
install: all
	install -d $(DESTDIR)$(libdir) $(DESTDIR)$(debuglibdir) \
		$(DESTDIR)$(includedir) $(DESTDIR)$(pkgconfigdir)
	install -m 755 $(REL_LIB) $(DESTDIR)$(libdir)/
	ln -sf libpmem.so.$(SO_VERSION) $(DESTDIR)$(libdir)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(libdir)/libpmem.so
	install -m 644 $(REL_A) $(DESTDIR)$(libdir)/
	install -m 755 $(DBG_LIB) $(DESTDIR)$(debuglibdir)/
	ln -sf libpmem.so.$(SO_VERSION) $(DESTDIR)$(debuglibdir)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(debuglibdir)/libpmem.so
	$(foreach l,$(DEBUG_DIR_LINKS),ln -sfn $(notdir $(debuglibdir)) \
		$(DESTDIR)$(libdir)/$(l) &&) true
	install -m 644 include/libpmem.h $(DESTDIR)$(includedir)/
	sed -e 's|@prefix@|$(prefix)|' -e 's|@libdir@|$(libdir)|' \
		-e 's|@includedir@|$(includedir)|' -e 's|@VERSION@|$(API_VERSION)|' \
		libpmem.pc.in > $(DESTDIR)$(pkgconfigdir)/libpmem.pc
	$(MAKE) -C doc install DESTDIR=$(DESTDIR) mandir=$(mandir)

uninstall:
	rm -f $(DESTDIR)$(libdir)/libpmem.so.$(SO_VERSION) \
		$(DESTDIR)$(libdir)/$(SONAME) $(DESTDIR)$(libdir)/libpmem.so \
		$(DESTDIR)$(libdir)/libpmem.a \
		$(DESTDIR)$(debuglibdir)/libpmem.so.$(SO_VERSION) \
		$(DESTDIR)$(debuglibdir)/$(SONAME) \
		$(DESTDIR)$(debuglibdir)/libpmem.so \
		$(addprefix $(DESTDIR)$(libdir)/,$(DEBUG_DIR_LINKS)) \
		$(DESTDIR)$(includedir)/libpmem.h \
		$(DESTDIR)$(pkgconfigdir)/libpmem.pc
	-rmdir $(DESTDIR)$(debuglibdir) 2>/dev/null
	$(MAKE) -C doc uninstall DESTDIR=$(DESTDIR) mandir=$(mandir)

clean:
	rm -rf build build-*
	-$(MAKE) -C bench clean
	-$(MAKE) -C doc clean

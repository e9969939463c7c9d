/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ./libpmem.so.1 run as a program, like libc.so.6: prints the version and
 * what the library chooses on this CPU under the current environment.
 * Linux/ELF only: the kernel starts the dynamic loader named in .interp,
 * which maps our dependencies and jumps to the -Wl,-e entry point below.
 * Left out of libpmem.a, where a .interp section has no business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "funcs.h"
#include "libpmem.h"

/* SELFRUN_INTERP, SELFRUN_ENTRY_ATTR: the arch's loader and entry ABI */
#include "abi.h"

#ifdef SELFRUN_INTERP
const char selfrun_interp[] __attribute__((section(".interp"), used)) =
	SELFRUN_INTERP;

void libpmem_selfrun(void) __attribute__((noreturn));

static void
print_line(const char *line)
{
	printf("  %s\n", line);
}

/*
 * the variables the library reads, as it sees them: none in a setuid or
 * setgid run (env.h), which is said rather than listing them as unset
 */
static void
print_environment(void)
{
	static const char *const names[] = {
#define ENV_NAME(name) name,
		FOR_EACH_ENV(ENV_NAME)
#undef ENV_NAME
	};
	int any = 0;

	printf("\nenvironment:");
	if (env_ignored()) {
		printf(" ignored (setuid, setgid or file capabilities: "
			"AT_SECURE)\n");
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = env_get(names[i]);

		if (v == NULL)
			continue;
		printf(" %s=%s", names[i], v);
		any = 1;
	}
	printf("%s\n", any ? "" : " no libpmem variable set");
}

/*
 * The loader has run libc's initialisers but not our constructor: a main
 * program's are run by __libc_start_main, which nobody calls here.
 */
SELFRUN_ENTRY_ATTR void
libpmem_selfrun(void)
{
	libpmem_load();
	printf("libpmem.so.1: the libpmem API %u.%u (symbols LIBPMEM_1.0), "
		"a drop-in for libpmem %s%s\n", PMEM_MAJOR_VERSION,
		PMEM_MINOR_VERSION, SRCVERSION,
#ifdef DEBUG
		", debug build (PMEM_LOG_LEVEL, PMEM_LOG_FILE)"
#else
		""
#endif
		);
	print_environment();
	printf("\nchosen at load time:\n");
	pmem_describe(print_line);
	exit(0);
}
#endif

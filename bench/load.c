/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loads one libpmem into a fresh link-map namespace with its own environment,
 * so two builds of the same soname can run side by side in one process.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef MULTIARCH
#define MULTIARCH "x86_64-linux-gnu"
#endif

void
env_add(struct envlist *l, const char *kv)
{
	if (strchr(kv, '=') == NULL || kv[0] == '=') {
		fprintf(stderr, "pmembench: bad environment setting '%s' "
			"(want NAME=VALUE)\n", kv);
		exit(2);
	}
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (l->v == NULL) {
		perror("realloc");
		exit(2);
	}
	l->v[l->n++] = kv;
}

/*
 * The prefixed multiarch directory is where Debian's package puts it; the
 * ldconfig cache is the fallback on other layouts.
 */
const char *
default_ref_path(void)
{
	static char buf[4096];
	const char *fixed = "/usr/lib/" MULTIARCH "/libpmem.so.1";
	FILE *f;
	char line[4096];

	if (access(fixed, R_OK) == 0)
		return fixed;
	f = popen("ldconfig -p 2>/dev/null", "r");
	if (f == NULL)
		return fixed;
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		char *arrow = strstr(line, "=> ");

		if (strstr(line, "libpmem.so.1 ") == NULL || arrow == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s", arrow + 3);
		buf[strcspn(buf, "\n")] = '\0';
		break;
	}
	pclose(f);
	return buf[0] ? buf : fixed;
}

/* A private copy of environ that later setenv() calls cannot free. */
static char **
env_snapshot(void)
{
	size_t n = 0, i;
	char **e;

	while (environ[n] != NULL)
		n++;
	e = calloc(n + 1, sizeof(*e));
	if (e == NULL) {
		perror("calloc");
		exit(2);
	}
	for (i = 0; i < n; i++)
		e[i] = strdup(environ[i]);
	return e;
}

struct saved {
	char *name;
	char *old;
};

static void
env_apply(const struct envlist *l, struct saved *s)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const char *eq = strchr(l->v[i], '=');
		const char *old;

		s[i].name = strndup(l->v[i], (size_t)(eq - l->v[i]));
		old = getenv(s[i].name);
		s[i].old = old ? strdup(old) : NULL;
		setenv(s[i].name, eq + 1, 1);
	}
}

static void
env_restore(const struct envlist *l, struct saved *s)
{
	size_t i = l->n;

	while (i-- > 0) {
		if (s[i].old != NULL)
			setenv(s[i].name, s[i].old, 1);
		else
			unsetenv(s[i].name);
		free(s[i].name);
		free(s[i].old);
	}
}

#define SYM(field, sym) { offsetof(struct lib, field), #sym }

static const struct {
	size_t off;
	const char *sym;
} Syms[] = {
	SYM(memcpy_persist, pmem_memcpy_persist),
	SYM(memmove_persist, pmem_memmove_persist),
	SYM(memmove_flags, pmem_memmove),
	SYM(memset_persist, pmem_memset_persist),
	SYM(memcpy_nodrain, pmem_memcpy_nodrain),
	SYM(memcpy_flags, pmem_memcpy),
	SYM(persist, pmem_persist),
	SYM(flush, pmem_flush),
	SYM(drain, pmem_drain),
	SYM(is_pmem, pmem_is_pmem),
	SYM(map_file, pmem_map_file),
	SYM(unmap, pmem_unmap),
	SYM(msync, pmem_msync),
	SYM(errormsg, pmem_errormsg),
};

/*
 * The namespace gets its own libc, whose environ still points at the array
 * our libc had during dlmopen(); our next setenv() may free that array. So
 * the new libc is handed a private snapshot taken while the side's settings
 * are in place, and keeps seeing them for variables read lazily (e.g.
 * PMEM_IS_PMEM_FORCE on the first pmem_is_pmem()).
 */
int
lib_load(struct lib *l, const char *name, const char *path,
	const struct envlist *a, const struct envlist *b)
{
	struct saved sa[a->n + 1], sb[b->n + 1];
	char ***ns_environ;
	size_t i;

	memset(l, 0, sizeof(*l));
	l->name = name;
	l->path = path;
	env_apply(a, sa);
	env_apply(b, sb);
	l->handle = dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
	if (l->handle != NULL) {
		ns_environ = dlsym(l->handle, "environ");
		if (ns_environ != NULL)
			*ns_environ = env_snapshot();
		else
			fprintf(stderr, "pmembench: warning: no environ in "
				"the %s namespace\n", name);
	}
	env_restore(b, sb);
	env_restore(a, sa);
	if (l->handle == NULL) {
		fprintf(stderr, "pmembench: cannot load %s library %s: %s\n",
			name, path, dlerror());
		return -1;
	}
	for (i = 0; i < sizeof(Syms) / sizeof(Syms[0]); i++) {
		void *f = dlsym(l->handle, Syms[i].sym);

		if (f == NULL) {
			fprintf(stderr, "pmembench: %s library %s lacks %s\n",
				name, path, Syms[i].sym);
			return -1;
		}
		memcpy((char *)l + Syms[i].off, &f, sizeof(f));
	}
	return 0;
}

/* Frees the namespace: glibc has room for about a dozen at once. */
void
lib_unload(struct lib *l)
{
	if (l->handle != NULL)
		dlclose(l->handle);
	l->handle = NULL;
}

/*
 * Our library run as a program prints what it chose at load time under
 * the environment it was given (base, then kv), from the CPU it found on:
 * the choices pass tells contenders that chose as the default did by it,
 * and hw.c takes the CPU description from it. NULL when the library
 * cannot run as a program (the reference, a wrapper, another build).
 */
char *
lib_describe(const char *path, const struct envlist *base, const char *kv)
{
	char *text = NULL, line[512];
	size_t len = 0, i;
	int fd[2], st = -1, on = 0;
	FILE *f, *mem;
	pid_t pid;

	if (pipe(fd) != 0)
		return NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(127);
		for (i = 0; i < base->n; i++)
			putenv((char *)base->v[i]);
		if (kv != NULL)
			putenv((char *)kv);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	f = fdopen(fd[0], "r");
	mem = open_memstream(&text, &len);
	while (f != NULL && mem != NULL && fgets(line, sizeof(line), f)) {
		if (on)
			fputs(line, mem);
		on = on || strstr(line, "chosen at load time") != NULL;
	}
	if (f != NULL)
		fclose(f);
	if (mem != NULL)
		fclose(mem);
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || len == 0) {
		free(text);
		return NULL;
	}
	return text;
}

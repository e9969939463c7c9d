/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading, probing and comparing helpers of the differential tests; see
 * difflib.h.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "difflib.h"

static const struct {
	const char *sym;
	size_t off;
} Syms[] = {
	{"__errno_location", offsetof(struct lib, errno_loc)},
#define SYM_ROW(name, ret, params) {"pmem_" #name, offsetof(struct lib, name)},
	PMEM_API(SYM_ROW)
#undef SYM_ROW
};

/*
 * Each namespace gets its own libc, so errno as set inside the library is
 * only visible through that namespace's __errno_location.
 */
int
lib_load(struct lib *l, const char *name, const char *path)
{
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->path = path;
	l->handle = dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
	if (l->handle == NULL) {
		fprintf(stderr, "%s: cannot load %s: %s\n", name, path,
			dlerror());
		return -1;
	}
	for (size_t i = 0; i < sizeof(Syms) / sizeof(Syms[0]); i++) {
		void *p = dlsym(l->handle, Syms[i].sym);
		if (p == NULL) {
			fprintf(stderr, "%s: %s lacks %s\n", name, path,
				Syms[i].sym);
			return -1;
		}
		memcpy((char *)l + Syms[i].off, &p, sizeof(p));
	}
	return 0;
}

static void
append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		if (*buf == NULL) {
			perror("realloc");
			exit(2);
		}
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

struct probe {
	pid_t pid;
	int fd;
};

/*
 * A fork per probe keeps every call on a fresh library state (first-call
 * env reads, error buffers) and turns a crash or a hang into an observation.
 * The child leaves with _exit: both libraries keep their error buffers under
 * pthread keys, and since the thread's key slots are shared by the two
 * namespaces, running both destructors would free one buffer twice.
 */
static struct probe
start_probe(const struct lib *l, probe_func *fn, const void *arg,
	unsigned timeout_s)
{
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		exit(2);
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(fds[0]);
		FILE *out = fdopen(fds[1], "w");
		if (out == NULL)
			_exit(3);
		alarm(timeout_s);
		fn(l, arg, out);
		fflush(out);
		_exit(0);
	}
	close(fds[1]);
	return (struct probe){pid, fds[0]};
}

static char *
finish_probe(struct probe p)
{
	char *buf = NULL, chunk[4096];
	size_t len = 0, cap = 0;
	ssize_t n;
	append(&buf, &len, &cap, "", 0);
	while ((n = read(p.fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		append(&buf, &len, &cap, chunk, (size_t)n);
	}
	close(p.fd);
	int st;
	while (waitpid(p.pid, &st, 0) < 0 && errno == EINTR)
		;
	char tail[128] = "";
	if (WIFSIGNALED(st))
		snprintf(tail, sizeof(tail),
			"status=killed by signal %d (%s)%s\n", WTERMSIG(st),
			strsignal(WTERMSIG(st)),
			WTERMSIG(st) == SIGALRM ? ", timeout" : "");
	else if (WEXITSTATUS(st) != 0)
		snprintf(tail, sizeof(tail), "status=exit %d\n",
			WEXITSTATUS(st));
	append(&buf, &len, &cap, tail, strlen(tail));
	return buf;
}

/* both children run at once: they share nothing but the file system */
void
run_probes(const struct lib *la, const void *arga, const struct lib *lb,
	const void *argb, probe_func *fn, unsigned timeout_s, char **oa,
	char **ob)
{
	struct probe pa = start_probe(la, fn, arga, timeout_s);
	struct probe pb = start_probe(lb, fn, argb, timeout_s);
	*oa = finish_probe(pa);
	*ob = finish_probe(pb);
}

/* returns the line of obs whose key is key, or NULL */
static const char *
find_key(const char *obs, const char *key, size_t klen)
{
	for (const char *p = obs; *p; ) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return p;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
	return NULL;
}

static size_t
line_len(const char *p)
{
	const char *e = strchr(p, '\n');
	return e ? (size_t)(e - p) : strlen(p);
}

/* a's lines missing in b, and (when changes) lines whose values differ */
static int
one_way(const char *a, const char *b, const char *skip_key,
	const char *name_a, const char *name_b, FILE *report, int changes)
{
	int ndiff = 0;
	for (const char *p = a; *p; ) {
		size_t ll = line_len(p);
		const char *eq = memchr(p, '=', ll);
		size_t klen = eq ? (size_t)(eq - p) : ll;
		int skip = skip_key && strlen(skip_key) == klen &&
			strncmp(p, skip_key, klen) == 0;
		const char *q = skip ? NULL : find_key(b, p, klen);
		if (!skip && q == NULL) {
			ndiff++;
			if (report)
				fprintf(report, "    %.*s: %s%.*s, %s: no "
					"such line\n", (int)klen, p, name_a,
					(int)(ll - klen), p + klen, name_b);
		} else if (!skip && changes && (line_len(q) != ll ||
				memcmp(p, q, ll) != 0)) {
			ndiff++;
			if (report)
				fprintf(report, "    %.*s: %s%.*s, %s%.*s\n",
					(int)klen, p, name_a, (int)(ll - klen),
					p + klen, name_b,
					(int)(line_len(q) - klen), q + klen);
		}
		p += ll;
		if (*p == '\n')
			p++;
	}
	return ndiff;
}

int
obs_compare(const char *a, const char *b, const char *skip_key,
	const char *name_a, const char *name_b, FILE *report)
{
	return one_way(a, b, skip_key, name_a, name_b, report, 1) +
		one_way(b, a, skip_key, name_b, name_a, report, 0);
}

void
put_normalised(FILE *out, const char *key, const char *s, const char *dir)
{
	size_t dl = strlen(dir);
	fprintf(out, "%s='", key);
	while (*s) {
		if (dl && strncmp(s, dir, dl) == 0) {
			fputs("<DIR>", out);
			s += dl;
		} else if (*s == '\n') {
			fputs("\\n", out);
			s++;
		} else {
			fputc(*s++, out);
		}
	}
	fputs("'\n", out);
}

char *
make_tmpdir(const char *base, const char *tag)
{
	char *p;
	if (asprintf(&p, "%s/%s.XXXXXX", base, tag) < 0 || !mkdtemp(p)) {
		perror("mkdtemp");
		exit(2);
	}
	return p;
}

static int
rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT)
		fprintf(stderr, "cannot remove %s: %s\n", path,
			strerror(errno));
	return 0;
}

void
remove_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

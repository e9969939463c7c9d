/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The temporary directory and the files mapped in it, and the crash
 * handler that must remove them and say which case was running.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/*
 * File-local rather than in struct bench: the signal handler and the
 * atexit() handler get no argument, and both must remove the files and
 * name what ran. Only this file writes them.
 */
static char Tmpdir[PATH_MAX];
static char *Files[MAX_SIZES + 1];	/* created in Tmpdir */
static volatile size_t NFiles;
static const char *volatile Where_side = "";
static const char *volatile Where = "setup";

/* Only unlink() and rmdir(): the crash handler calls it too. */
static void
cleanup(void)
{
	size_t i;

	for (i = 0; i < NFiles; i++)
		unlink(Files[i]);
	if (Tmpdir[0] != '\0')
		rmdir(Tmpdir);
}

/* What runs now, for the crash report: the side, then the case. */
void
where_set_side(const char *side)
{
	Where_side = side;
}

void
where_set_what(const char *what)
{
	Where = what;
}

const char *
where_what(void)
{
	return Where;
}

static void
crash(int sig)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg),
		"\npmembench: FAIL: signal %d during: %s%s\n", sig,
		Where_side, Where);
	ssize_t w = write(STDERR_FILENO, msg, (size_t)n);

	(void)w;
	cleanup();
	_exit(3);
}

void
crash_handlers(void)
{
	signal(SIGSEGV, crash);
	signal(SIGBUS, crash);
	signal(SIGILL, crash);
	signal(SIGFPE, crash);
}

/* dir: --dir, else $TMPDIR, else /tmp */
int
files_init(const char *dir)
{
	snprintf(Tmpdir, sizeof(Tmpdir), "%s/pmembench.XXXXXX", dir ? dir :
		getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(Tmpdir) == NULL) {
		perror(Tmpdir);
		Tmpdir[0] = '\0';
		return -1;
	}
	atexit(cleanup);
	return 0;
}

/*
 * pmem_is_pmem() cost may depend on how many mappings the library tracks.
 * All of them map one small file: creating 1000 files costs seconds.
 */
void
set_maps(struct bench *bn, int side, int want)
{
	const struct lib *l = &bn->side[side];
	struct mapset *m = &bn->maps[side];
	char *path = map_path(MAP_LEN_ISPMEM);

	if (want > m->n) {
		m->addr = realloc(m->addr, (size_t)want * sizeof(*m->addr));
		m->len = realloc(m->len, (size_t)want * sizeof(*m->len));
		if (m->addr == NULL || m->len == NULL) {
			perror("pmembench: realloc");
			exit(2);
		}
	}
	while (m->n > want) {
		m->n--;
		l->unmap(m->addr[m->n], m->len[m->n]);
	}
	while (m->n < want) {
		int is;

		m->addr[m->n] = l->map_file(path, 0, 0, 0, &m->len[m->n],
			&is);
		if (m->addr[m->n] == NULL) {
			out("\nFAIL: %s: pmem_map_file(\"%s\", 0, 0, 0) "
				"#%d failed: %s\n", l->name, path, m->n + 1,
				l->errormsg());
			exit(1);
		}
		m->n++;
	}
	free(path);
}

char *
map_path(size_t size)
{
	char *p;

	if (asprintf(&p, "%s/map-%zu", Tmpdir, size) < 0) {
		perror("pmembench: asprintf");
		exit(2);
	}
	return p;
}

/* Sizes the cases map, and the one file every is_pmem mapping shares. */
void
make_map_file(size_t size)
{
	char *p = map_path(size);
	int fd = open(p, O_RDWR | O_CREAT, 0600);

	if (fd < 0 || ftruncate(fd, (off_t)size) != 0) {
		fprintf(stderr, "pmembench: %s: %s\n", p, strerror(errno));
		exit(2);
	}
	close(fd);
	Files[NFiles++] = p;
}

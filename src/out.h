/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error reporting (ERR: the thread-local text behind pmem_errormsg, also
 * handed to the log functions of log.c) and the debug build's trace log
 * (LOG, ASSERT). Release builds keep LOG's arguments type-checked but emit
 * no code for it.
 */
#ifndef PMEM_OUT_H
#define PMEM_OUT_H

#include <stddef.h>

#ifdef __FILE_NAME__
#define OUT_FILE __FILE_NAME__
#else
#define OUT_FILE __FILE__
#endif

/* size of the per-thread error buffer, as large as the reference's */
#define OUT_MAXMSG 8192

void out_init(void);
void out_fini(void);
const char *out_errormsg(void);

/*
 * Records a message for pmem_errormsg(). A leading '!' in fmt appends
 * ": <strerror(errno)>". errno is left as it was.
 */
void out_err(const char *file, int line, const char *func,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define ERR(...) out_err(OUT_FILE, __LINE__, __func__, __VA_ARGS__)
/* for inline helpers of entry points that cannot afford OUT_ENTRY */
#define ERR_IN(api, ...) out_err(OUT_FILE, __LINE__, (api), __VA_ARGS__)

/*
 * The public function the calling thread is inside, so that an error
 * raised deep in the platform layer is logged under the call the program
 * made (the reference raises most of them in the entry point itself, so
 * its log lines name it). Only entry points that can fail set it; the
 * copy, flush and drain paths never touch it.
 */
extern __thread const char *Out_api __attribute__((visibility("hidden")));

static inline const char *
out_api_enter(const char *api)
{
	const char *outer = Out_api;

	/* an entry point called by another keeps the outer name */
	if (outer == NULL)
		Out_api = api;
	return outer;
}

static inline void
out_api_leave(const char **outer)
{
	Out_api = *outer;
}

/* first statement of an entry point that can fail; undone on return */
#define OUT_ENTRY() \
	const char *out_api_outer_ \
		__attribute__((cleanup(out_api_leave), unused)) = \
		out_api_enter(__func__)

#ifdef DEBUG
extern int Out_log_level;

void out_log(const char *file, int line, const char *func, int level,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void out_fatal(const char *file, int line, const char *func,
	const char *fmt, ...) __attribute__((format(printf, 4, 5), noreturn));

/* whether LOG(level, ...) prints: skips work done only for the log */
#define LOG_ON(level) ((level) <= Out_log_level)

/* levels 1-4 also go to the log functions; 15 (hot paths) never does */
int out_log_wanted(int level);
#define LOG_WANTED(level) \
	(LOG_ON(level) || ((level) <= 4 && out_log_wanted(level)))

#define LOG(level, ...) do { \
	if (LOG_WANTED(level)) \
		out_log(OUT_FILE, __LINE__, __func__, (level), __VA_ARGS__); \
} while (0)

#define ASSERT(cond) do { \
	if (!(cond)) \
		out_fatal(OUT_FILE, __LINE__, __func__, \
			"assertion failure: %s", #cond); \
} while (0)

#else

static inline void __attribute__((format(printf, 1, 2)))
out_log_discard(const char *fmt, ...)
{
	(void) fmt;
}

#define LOG_ON(level) ((void) (level), 0)

#define LOG(level, ...) do { \
	if (0) \
		out_log_discard(__VA_ARGS__); \
} while (0)

#define ASSERT(cond) do { \
	if (0) \
		(void) (cond); \
} while (0)

#endif /* DEBUG */

#endif

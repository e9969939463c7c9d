/* SPDX-License-Identifier: BSD-3-Clause */
/* Assigning each function to a pointer of the reference's exact type fails
 * to compile if our header declares anything differently. */
#include <libpmem.h>

void *(*p_map_file)(const char *, size_t, int, mode_t, size_t *, int *) =
	pmem_map_file;
int (*p_unmap)(void *, size_t) = pmem_unmap;
int (*p_is_pmem)(const void *, size_t) = pmem_is_pmem;
void (*p_persist)(const void *, size_t) = pmem_persist;
int (*p_msync)(const void *, size_t) = pmem_msync;
int (*p_has_auto_flush)(void) = pmem_has_auto_flush;
void (*p_flush)(const void *, size_t) = pmem_flush;
void (*p_deep_flush)(const void *, size_t) = pmem_deep_flush;
int (*p_deep_drain)(const void *, size_t) = pmem_deep_drain;
int (*p_deep_persist)(const void *, size_t) = pmem_deep_persist;
void (*p_drain)(void) = pmem_drain;
int (*p_has_hw_drain)(void) = pmem_has_hw_drain;
void *(*p_memmove_persist)(void *, const void *, size_t) =
	pmem_memmove_persist;
void *(*p_memcpy_persist)(void *, const void *, size_t) =
	pmem_memcpy_persist;
void *(*p_memset_persist)(void *, int, size_t) = pmem_memset_persist;
void *(*p_memmove_nodrain)(void *, const void *, size_t) =
	pmem_memmove_nodrain;
void *(*p_memcpy_nodrain)(void *, const void *, size_t) =
	pmem_memcpy_nodrain;
void *(*p_memset_nodrain)(void *, int, size_t) = pmem_memset_nodrain;
void *(*p_memmove)(void *, const void *, size_t, unsigned) = pmem_memmove;
void *(*p_memcpy)(void *, const void *, size_t, unsigned) = pmem_memcpy;
void *(*p_memset)(void *, int, size_t, unsigned) = pmem_memset;
const char *(*p_check_version)(unsigned, unsigned) = pmem_check_version;
const char *(*p_errormsg)(void) = pmem_errormsg;

/* the PMDK 2.1 logging API */
int (*p_log_set_threshold)(enum pmem_log_threshold, enum pmem_log_level) =
	pmem_log_set_threshold;
int (*p_log_get_threshold)(enum pmem_log_threshold, enum pmem_log_level *) =
	pmem_log_get_threshold;
void (*p_log_fn)(enum pmem_log_level, const char *, unsigned, const char *,
	const char *);
int (*p_log_set_function)(pmem_log_function *) = pmem_log_set_function;
pmem_log_function *p_log_fn_typedef = (pmem_log_function *)0;

_Static_assert(PMEM_LOG_LEVEL_HARK == 0 && PMEM_LOG_LEVEL_FATAL == 1 &&
	PMEM_LOG_LEVEL_ERROR == 2 && PMEM_LOG_LEVEL_WARNING == 3 &&
	PMEM_LOG_LEVEL_NOTICE == 4 && PMEM_LOG_LEVEL_INFO == 5 &&
	PMEM_LOG_LEVEL_DEBUG == 6, "2.1 log level values");
_Static_assert(PMEM_LOG_THRESHOLD == 0 && PMEM_LOG_THRESHOLD_AUX == 1,
	"2.1 threshold values");
_Static_assert(sizeof(enum pmem_log_level) == sizeof(int),
	"2.1 passes levels as int-sized enums");

int
main(void)
{
	/* the typedef and the plain pointer type are the same type */
	p_log_fn = p_log_fn_typedef;
	return p_errormsg == 0 || p_log_fn != 0 ||
		PMEM_LOG_USE_DEFAULT_FUNCTION != 0;
}

/* fairaudit/error.h -- status codes and the caller-owned error record. */
#ifndef FAIR_ERROR_H
#define FAIR_ERROR_H
#include <stddef.h>
#include "fairaudit/export.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Codes are append-only and never renumbered. */
#define FAIR_STATUS_MAP(X)                                                                         \
    X(OK, 0, "success")                                                                            \
    X(ENOMEM, 1, "out of memory")                                                                  \
    X(EIO, 2, "I/O error")                                                                         \
    X(ECSV, 3, "malformed CSV")                                                                    \
    X(EINVAL, 4, "invalid argument")                                                               \
    X(EEMPTY, 5, "group has no rows")                                                              \
    X(ENUMERIC, 6, "numerical routine failed")                                                     \
    X(EDATA, 7, "invalid data")                                                                    \
    X(ELIMIT, 8, "resource limit exceeded")                                                        \
    X(EINTERNAL, 9, "internal error")

typedef enum {
#define X(name, val, msg) FAIR_##name = val,
    FAIR_STATUS_MAP(X)
#undef X
} fair_status;

/*! Details of a failure. Caller-owned; functions fill it only on failure.
 *  `line` is the physical line where the offending record starts (1-based, 0 = unknown),
 *  `record` the record number (1-based, header = 1), `column` the 1-based column (0 = none). */
typedef struct {
    fair_status code;
    size_t line;
    size_t record;
    size_t column;
    char msg[512];
} fair_error;

/*! fair_error_init() : clears `err` (code FAIR_OK, empty message). NULL is a no-op. */
FAIR_API void fair_error_init(fair_error *err);

/*! fair_strerror() : a static description of `s`; never NULL. */
FAIR_API const char *fair_strerror(fair_status s);

/*! fair_status_name() : the code's name without prefix ("ENOMEM"); never NULL. */
FAIR_API const char *fair_status_name(fair_status s);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_ERROR_H */

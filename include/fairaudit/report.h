/* fairaudit/report.h -- report writers: text for a terminal, JSON for machines. */
#ifndef FAIR_REPORT_H
#define FAIR_REPORT_H
#include <stdio.h>
#include "fairaudit/audit.h"
#include "fairaudit/error.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef enum { FAIR_FORMAT_TEXT = 0, FAIR_FORMAT_JSON = 1, FAIR_FORMAT_HTML = 2 } fair_format;

/*! fair_format_from_name() : "text" or "json"; returns 0 when unknown. */
FAIR_API int fair_format_from_name(const char *name, fair_format *f);

/*! fair_format_from_path() : the format a file name's extension asks for (.json, .txt);
 *  returns 0 when the extension names no known format. */
FAIR_API int fair_format_from_path(const char *path, fair_format *f);

/*! What varies legitimately between runs; it goes into the report's `run` part, never into
 *  `results`. All strings borrowed; any may be NULL. */
typedef struct {
    const char *command_line; /* the full command line as typed, for the record */
    const char *timestamp;    /* ISO 8601 UTC time of the run */
    int color;                /* text only: 1 = ANSI colours */
} fair_report_run;

/*! fair_report_write() : writes the report of `a` in format `f` to `out` (borrowed).
 *  @return FAIR_OK, FAIR_EIO (write failed) or FAIR_ENOMEM. Reentrant. */
FAIR_API fair_status fair_report_write(const fair_audit *a, fair_format f,
                                       const fair_report_run *run, FILE *out, fair_error *err);

/*! fair_report_write_file() : as fair_report_write(), atomically: into a temporary file in the
 *  same folder, flushed to disk, then renamed over `path`. On failure `path` is untouched. */
FAIR_API fair_status fair_report_write_file(const fair_audit *a, fair_format f,
                                            const fair_report_run *run, const char *path,
                                            fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_REPORT_H */

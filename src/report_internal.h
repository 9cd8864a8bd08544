/* report_internal.h -- the report writers, behind fair_report_write(); never installed. */
#ifndef FAIR_REPORT_INTERNAL_H
#define FAIR_REPORT_INTERNAL_H
#include <jansson.h>
#include <stdio.h>
#include "audit_internal.h"

fair_status fair__report_json(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
fair_status fair__report_text(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
/* Why a group's bootstrap interval of metric k cannot be trusted (too small a group, a rate
 * of 0 or 1, undefined replicates), or NULL; NULL also when no bootstrap ran. */
const char *fair__unreliable(const fair__group *gr, size_t k);
/* A JSON string of `s` (NULL: null), its bytes from 0x80 as the text \xHH when `s` is not
 * UTF-8, as in the audit report; NULL when out of memory. */
json_t *fair__json_string(const char *s);
/* Writes `s` with control characters as '?' (text reports). */
void fair__put_clean(FILE *out, const char *s);
/* Writes a report to `path` atomically: `write(ctx, fp, err)` into a temporary file in the same
 * folder, flushed and synced, then renamed over `path`; on failure `path` is untouched. */
fair_status fair__write_atomic(const char *path, fair_status (*write)(const void *ctx, FILE *fp, fair_error *err),
                               const void *ctx, fair_error *err);

/* "wilson" or "clopper_pearson". */
const char *fair__interval_name(fair_interval i);

#endif /* FAIR_REPORT_INTERNAL_H */

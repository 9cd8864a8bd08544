/* report_internal.h -- the report writers, behind fair_report_write(); never installed. */
#ifndef FAIR_REPORT_INTERNAL_H
#define FAIR_REPORT_INTERNAL_H
#include <stdio.h>
#include "audit_internal.h"

fair_status fair__report_json(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
fair_status fair__report_text(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
/* Why a group's bootstrap interval of metric k cannot be trusted (too small a group, a rate
 * of 0 or 1, undefined replicates), or NULL; NULL also when no bootstrap ran. */
const char *fair__unreliable(const fair__group *gr, size_t k);
/* "wilson" or "clopper_pearson". */
const char *fair__interval_name(fair_interval i);

#endif /* FAIR_REPORT_INTERNAL_H */

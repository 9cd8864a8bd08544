/* report_internal.h -- the report writers, behind fair_report_write(); never installed. */
#ifndef FAIR_REPORT_INTERNAL_H
#define FAIR_REPORT_INTERNAL_H
#include <stdio.h>
#include "audit_internal.h"

fair_status fair__report_json(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
fair_status fair__report_text(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
/* "wilson" or "clopper_pearson". */
const char *fair__interval_name(fair_interval i);

#endif /* FAIR_REPORT_INTERNAL_H */

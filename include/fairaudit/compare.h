/* fairaudit/compare.h -- compare two JSON reports: what changed, and whether beyond noise. */
#ifndef FAIR_COMPARE_H
#define FAIR_COMPARE_H
#include <stdint.h>
#include <stdio.h>
#include "fairaudit/error.h"
#include "fairaudit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! Options of a comparison. */
typedef struct {
    size_t max_report_bytes; /* largest report file read (256 MiB) */
    int text_all;            /* the text format lists every compared figure, not only the
                                significant changes (0) */
} fair_compare_options;

/*! fair_compare_options_init() : the documented defaults. */
FAIR_API void fair_compare_options_init(fair_compare_options *o);

typedef struct fair_compare fair_compare; /* opaque, immutable once returned */

/*! fair_compare_files() : CONSTRUCTOR. Reads two JSON reports of fairaudit (audit or ratio; "-"
 *  = standard input for one of them) and compares every figure present in both: the change
 *  (current - baseline) with an interval built from the two runs' own intervals by the method
 *  of variance estimates recovery (Zou and Donner 2008; docs/compare.md), which assumes that
 *  the two runs are independent samples. A change is significant when its interval excludes 0.
 *  Groups, attributes and figures present in only one report are listed as new or vanished;
 *  options that differ (columns, positive class, bootstrap...) are listed as schema changes.
 *  @return FAIR_OK; FAIR_EIO (cannot read), FAIR_EDATA (not a fairaudit report, invalid JSON,
 *          reports of different kinds), FAIR_ELIMIT or FAIR_ENOMEM. On failure *out is NULL. */
FAIR_API fair_status fair_compare_files(const char *baseline, const char *current,
                                        const fair_compare_options *o, fair_compare **out,
                                        fair_error *err);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_compare_free(fair_compare *c);

/*! Figures compared, of which significant; groups new and vanished; options changed. */
FAIR_API size_t fair_compare_n_compared(const fair_compare *c);
FAIR_API size_t fair_compare_n_significant(const fair_compare *c);
FAIR_API size_t fair_compare_n_new_groups(const fair_compare *c);
FAIR_API size_t fair_compare_n_vanished_groups(const fair_compare *c);
FAIR_API size_t fair_compare_n_option_changes(const fair_compare *c);

/*! fair_compare_doc() : CONSTRUCTOR. The comparison as a report document (fairaudit/report.h):
 *  shaped like a report, each figure's change where the report has the figure, so that
 *  policies (fairaudit/policy.h: drift rules) and every format read it. `c` is borrowed and
 *  must outlive the document. @return FAIR_OK or FAIR_ENOMEM. */
FAIR_API fair_status fair_compare_doc(const fair_compare *c, const fair_report_run *run,
                                      fair_report_doc **out, fair_error *err);

/*! fair_compare_write() : the comparison in format `f` to `out`. Text lists the significant
 *  changes (all compared figures when `all` is 1); the other formats hold all.
 *  @return FAIR_OK, FAIR_EIO or FAIR_ENOMEM. */
FAIR_API fair_status fair_compare_write(const fair_compare *c, fair_format f, int all,
                                        const fair_report_run *run, FILE *out, fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_COMPARE_H */

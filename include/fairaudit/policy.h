/* fairaudit/policy.h -- policy checks: thresholds an organisation sets on the metrics of a
 * report, judged on the estimate or on its interval (docs/policy.md). */
#ifndef FAIR_POLICY_H
#define FAIR_POLICY_H
#include <stddef.h>
#include "fairaudit/error.h"
#include "fairaudit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct fair_policy fair_policy; /* opaque, immutable once loaded */

/*! fair_policy_load() : CONSTRUCTOR. Reads an INI policy file (libinih; docs/policy.md).
 *  @return FAIR_OK; FAIR_EIO (cannot read); FAIR_EINVAL (a syntax error, an unknown section,
 *          key, metric or value: the message names the file and line and, for a metric, lists
 *          the valid names); FAIR_ENOMEM. On failure *out == NULL. */
FAIR_API fair_status fair_policy_load(const char *path, fair_policy **out, fair_error *err);

/*! fair_policy_parse() : CONSTRUCTOR. As fair_policy_load(), from `len` bytes of text (a NUL
 *  byte ends the text); `name` (borrowed) stands for the file name in messages. */
FAIR_API fair_status fair_policy_parse(const char *text, size_t len, const char *name,
                                       fair_policy **out, fair_error *err);

/*! fair_policy_metric_name() : the i-th metric name a policy may use (static; NULL past the
 *  last): the audit's summaries, per-group rates and score metrics, and the ratio study's
 *  statistics. */
FAIR_API const char *fair_policy_metric_name(size_t i);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_policy_free(fair_policy *p);

/*! Counts of check outcomes. */
typedef struct {
    size_t passed, failed, inconclusive;
    int run_fails; /* 1: a check failed, or one was inconclusive and the policy says that fails */
} fair_policy_result;

/*! fair_policy_apply() : judges every check of `p` against document `d` and records them in it
 *  (results.policy; the policy file's path, `path` (borrowed, may be NULL), in run).
 *  @return FAIR_OK; FAIR_EINVAL when a check names an attribute the document does not have
 *          (the message lists the document's attributes); FAIR_ENOMEM. */
FAIR_API fair_status fair_policy_apply(const fair_policy *p, fair_report_doc *d, const char *path,
                                       fair_policy_result *res, fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_POLICY_H */

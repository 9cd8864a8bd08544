/* report_junit.c -- JUnit XML: one test case per policy check, so that a CI system shows the
 * fairness checks beside its tests. A failed check is a <failure>; an inconclusive one is
 * <skipped>, or a <failure> when the policy says inconclusive checks fail. Without a policy the
 * suite is empty. Every text is XML-escaped. */
#include <string.h>
#include "report_internal.h"

static int sw_judge(const json_t *c)
{
    const char *j = fair__jstr(c, "judge");
    return j && strcmp(j, "significant") == 0;
}

fair_status fair__report_junit(const json_t *root, FILE *out, fair_error *err)
{
    const json_t *pol = json_object_get(json_object_get(root, "results"), "policy"), *c;
    const json_t *checks = json_object_get(pol, "checks");
    const int inc_fails = json_is_true(json_object_get(pol, "inconclusive_fails"));
    double failed = 0, inc = 0;
    size_t i;
    fair__jnum(pol, "failed", &failed);
    fair__jnum(pol, "inconclusive", &inc);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"", out);
    fair__put_xml(out, pol ? fair__jstr(pol, "name") : "fairaudit (no policy)");
    fprintf(out, "\" tests=\"%zu\" failures=\"%.0f\" errors=\"0\" skipped=\"%.0f\"",
            json_array_size(checks), failed + (inc_fails ? inc : 0), inc_fails ? 0 : inc);
    if (fair__jstr(json_object_get(root, "run"), "timestamp")) {
        fputs(" timestamp=\"", out);
        fair__put_xml(out, fair__jstr(json_object_get(root, "run"), "timestamp"));
        fputc('"', out);
    }
    fputs(">\n", out);
    json_array_foreach(checks, i, c) {
        const char *outcome = fair__jstr(c, "outcome"), *group = fair__jstr(c, "group");
        const char *cmp = fair__jstr(c, "comparison");
        char v[32] = "n/a", lo[32], hi[32], t[32];
        double x, y;
        if (!outcome) continue;
        if (fair__jnum(c, "value", &x)) fair__fmt_num(v, sizeof v, x);
        fputs("    <testcase classname=\"fairaudit.", out);
        fair__put_xml(out, fair__jstr(c, "check"));
        fputs("\" name=\"", out);
        fair__put_xml(out, fair__jstr(c, "metric"));
        if (cmp) {
            fputs(" vs reference ", out);
            fair__put_xml(out, cmp);
        }
        fputs(" of ", out);
        fair__put_xml(out, fair__jstr(c, "attribute"));
        if (group) {
            fputs(" / ", out);
            fair__put_xml(out, group);
        }
        fputs("\">", out);
        if (strcmp(outcome, "pass") != 0) {
            const int fail = strcmp(outcome, "fail") == 0 || inc_fails;
            fprintf(out, "\n      <%s message=\"", fail ? "failure" : "skipped");
            fair__put_xml(out, outcome);
            fputs(": ", out);
            fair__put_xml(out, fair__jstr(c, "metric"));
            fprintf(out, " = %s", v);
            if (fair__jnum(c, "ci_low", &x) && fair__jnum(c, "ci_high", &y)) {
                fair__fmt_num(lo, sizeof lo, x);
                fair__fmt_num(hi, sizeof hi, y);
                fprintf(out, " [%s, %s]", lo, hi);
            }
            if (fair__jnum(c, "min", &x)) {
                fair__fmt_num(t, sizeof t, x);
                fprintf(out, ", required &gt;= %s", t);
            }
            if (fair__jnum(c, "max", &x)) {
                fair__fmt_num(t, sizeof t, x);
                fprintf(out, ", required &lt;= %s", t);
            }
            fprintf(out, " (judged on the %s): ",
                    sw_judge(c) ? "interval" : "estimate");
            fair__put_xml(out, fair__jstr(c, "reason"));
            fputs("\"/>\n    ", out);
        }
        fputs("</testcase>\n", out);
    }
    fputs("  </testsuite>\n</testsuites>\n", out);
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the JUnit report");
    return FAIR_OK;
}

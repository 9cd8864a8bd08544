/* report_tree.c -- reading the report document's JSON tree for the writers that render it
 * (HTML, Markdown, CSV, JUnit), shared helpers for them, and the policy section of the text
 * report. */
#include <math.h>
#include <string.h>
#include "report_internal.h"

const char *fair__doc_kind(const json_t *root)
{
    const char *k = fair__jstr(root, "kind");
    return k ? k : "audit";
}

const char *fair__jstr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int fair__jnum(const json_t *o, const char *key, double *v)
{
    const json_t *x = json_object_get(o, key);
    if (!json_is_number(x)) return 0;
    *v = json_number_value(x);
    return 1;
}

int fair__jmetric(const json_t *m, double *v, double *lo, double *hi, int *has_ci)
{
    *has_ci = fair__jnum(m, "ci_low", lo) && fair__jnum(m, "ci_high", hi);
    return fair__jnum(m, "value", v);
}

static size_t collect(const json_t *o, int depth, const char **names, const json_t **vals,
                      size_t n, size_t cap)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v) {
        if (!json_is_object(v) || strcmp(key, "vs_reference") == 0 || strcmp(key, "intervals") == 0 ||
            strcmp(key, "bootstrap") == 0 || strcmp(key, "counts") == 0)
            continue;
        if (json_object_get(v, "value")) {
            if (n < cap) {
                names[n] = key;
                vals[n] = v;
            }
            n++;
        } else if (depth < 3) {
            n = collect(v, depth + 1, names, vals, n, cap);
        }
    }
    return n;
}

size_t fair__group_metrics(const json_t *group, const char **names, const json_t **vals, size_t cap)
{
    size_t n = collect(group, 1, names, vals, 0, cap);
    return n < cap ? n : cap;
}

int fair__put_xml(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        int rc;
        switch (c) {
        case '&': rc = fputs("&amp;", out); break;
        case '<': rc = fputs("&lt;", out); break;
        case '>': rc = fputs("&gt;", out); break;
        case '"': rc = fputs("&quot;", out); break;
        case '\'': rc = fputs("&#39;", out); break;
        default:
            rc = c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? fputs("\xef\xbf\xbd", out)
                                                                  : fputc(c, out);
        }
        if (rc == EOF) return -1;
    }
    return 0;
}

void fair__fmt_num(char *buf, size_t cap, double v)
{
    double a = fabs(v);
    if (v == 0) fair__snprintf(buf, cap, "0");
    else if (a >= 1e-3 && a < 1e5) fair__snprintf(buf, cap, "%.4g", v);
    else fair__snprintf(buf, cap, "%.2e", v);
}

fair_status fair__report_text_checks(const json_t *root, int color, FILE *out, fair_error *err)
{
    const json_t *pol = json_object_get(json_object_get(root, "results"), "policy");
    const json_t *checks = json_object_get(pol, "checks"), *c;
    size_t i;
    double passed = 0, failed = 0, inc = 0;
    if (!pol) return FAIR_OK;
    fair__jnum(pol, "passed", &passed);
    fair__jnum(pol, "failed", &failed);
    fair__jnum(pol, "inconclusive", &inc);
    fprintf(out, "\n%spolicy: ", color ? "\x1b[1m" : "");
    fair__put_clean(out, fair__jstr(pol, "name"));
    fprintf(out, "%s\n", color ? "\x1b[0m" : "");
    fprintf(out, "  %.0f checks: %.0f passed, %.0f failed, %.0f inconclusive; outcome: ",
            passed + failed + inc, passed, failed, inc);
    fair__put_clean(out, fair__jstr(pol, "outcome"));
    fputc('\n', out);
    json_array_foreach(checks, i, c) {
        const char *outcome = fair__jstr(c, "outcome"), *group = fair__jstr(c, "group");
        const char *cmp = fair__jstr(c, "comparison");
        char v[32] = "n/a", t[32] = "", lo[32] = "", hi[32] = "", u[32] = "";
        double x, y;
        if (!outcome || strcmp(outcome, "pass") == 0) continue;
        if (fair__jnum(c, "value", &x)) fair__fmt_num(v, sizeof v, x);
        if (fair__jnum(c, "min", &x)) fair__fmt_num(t, sizeof t, x);
        if (fair__jnum(c, "max", &x)) fair__fmt_num(u, sizeof u, x);
        fputs("  ", out);
        fair__put_clean(out, outcome);
        fprintf(out, "%*s", (int)(strlen(outcome) < 13 ? 13 - strlen(outcome) : 1), "");
        fair__put_clean(out, fair__jstr(c, "check"));
        fputs(": ", out);
        fair__put_clean(out, fair__jstr(c, "attribute"));
        if (group) {
            fputs(" / ", out);
            fair__put_clean(out, group);
        }
        fputc(' ', out);
        fair__put_clean(out, fair__jstr(c, "metric"));
        fputs(cmp ? " vs reference " : "", out);
        if (cmp) fair__put_clean(out, cmp);
        fprintf(out, " = %s", v);
        if (fair__jnum(c, "ci_low", &x) && fair__jnum(c, "ci_high", &y)) {
            fair__fmt_num(lo, sizeof lo, x);
            fair__fmt_num(hi, sizeof hi, y);
            fprintf(out, " [%s, %s]", lo, hi);
        }
        fprintf(out, ", required%s%s%s%s%s (", t[0] ? " >= " : "", t, t[0] && u[0] ? " and" : "",
                u[0] ? " <= " : "", u);
        fair__put_clean(out, fair__jstr(c, "reason"));
        fputs(")\n", out);
    }
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the text report");
    return FAIR_OK;
}

size_t fair__table_columns(const json_t *at, int audit, const char **cols, size_t cap)
{
    static const char *const audit_cols[] = {"selection_rate", "base_rate", "tpr", "fpr",
                                             "ppv",            "npv",       "accuracy"};
    const char *names[256];
    const json_t *vals[256], *g;
    size_t nc = 0, i;
    if (audit) {
        for (size_t k = 0; k < sizeof audit_cols / sizeof audit_cols[0] && nc < cap; k++)
            cols[nc++] = audit_cols[k];
        return nc;
    }
    json_array_foreach(json_object_get(at, "groups"), i, g) {
        size_t n = fair__group_metrics(g, names, vals, 256);
        for (size_t k = 0; k < n && nc < cap; k++) cols[nc++] = names[k];
        if (nc) break;
    }
    return nc;
}

const char *fair__set_label(const json_t *set)
{
    const char *l = fair__jstr(set, "group");
    return l ? l : fair__jstr(set, "stratum");
}

int fair__ratio_sets(const json_t *root, json_t **all, const json_t **strata)
{
    const json_t *res = json_object_get(root, "results");
    const json_t *overall = json_object_get(res, "overall");
    *all = NULL;
    *strata = NULL;
    if (strcmp(fair__doc_kind(root), "ratio") != 0) return 0;
    if (json_is_object(overall)) *all = json_pack("{s:[O]}", "groups", overall);
    *strata = json_object_get(res, "strata");
    return 1;
}

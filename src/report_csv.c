/* report_csv.c -- per-group metrics as CSV (RFC 4180: CRLF line ends, fields quoted when they
 * hold a comma, a quote or a line break), one row per group and metric, rendered from the
 * report document. Text cells that a spreadsheet would take for a formula (starting with = + -
 * @ tab or carriage return) get a leading apostrophe, as OWASP advises against CSV injection;
 * numbers are written as numbers. */
#include <string.h>
#include "report_internal.h"

/* A text cell: neutralised, then quoted when needed. */
static void text_cell(FILE *out, const char *s)
{
    int quote, formula;
    if (!s) return;
    formula = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
    quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (formula) {
        fputs("\"'", out);
    } else if (quote) {
        fputc('"', out);
    }
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    if (quote) fputc('"', out);
}

static void num_cell(FILE *out, const json_t *o, const char *key)
{
    double v;
    const json_t *x = json_object_get(o, key);
    if (json_is_integer(x)) fprintf(out, "%lld", (long long)json_integer_value(x));
    else if (fair__jnum(o, key, &v)) fprintf(out, "%.17g", v);
}

static void row(FILE *out, const char *attr, const json_t *g, const char *metric, const char *cmp,
                const json_t *m)
{
    text_cell(out, attr);
    fputc(',', out);
    text_cell(out, fair__set_label(g));
    fputc(',', out);
    num_cell(out, g, "n");
    fputc(',', out);
    text_cell(out, metric);
    fputc(',', out);
    text_cell(out, cmp);
    fputc(',', out);
    num_cell(out, m, "value");
    fputc(',', out);
    num_cell(out, m, "ci_low");
    fputc(',', out);
    num_cell(out, m, "ci_high");
    fputc(',', out);
    text_cell(out, fair__jstr(m, "ci_method"));
    fputc(',', out);
    text_cell(out, fair__jstr(m, "reason"));
    fputs("\r\n", out);
}

/* The rows of a holder's sets: an attribute's groups (attribute `an`), or a ratio study's sales
 * as a whole and its value strata (attribute empty). */
static void sets_csv(FILE *out, const char *an, const json_t *holder)
{
    const json_t *g;
    size_t j;
    json_array_foreach(json_object_get(holder, "groups"), j, g) {
        const char *names[256];
        const json_t *vals[256], *vs = json_object_get(g, "vs_reference");
        size_t n = fair__group_metrics(g, names, vals, 256);
        if (json_is_true(json_object_get(g, "suppressed"))) {
            json_t *m = json_pack("{s:s}", "reason", "suppressed (--suppress-below)");
            row(out, an, g, NULL, NULL, m);
            json_decref(m);
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            const json_t *c = json_object_get(vs, names[k]);
            row(out, an, g, names[k], NULL, vals[k]);
            if (json_object_get(c, "ratio")) row(out, an, g, names[k], "ratio", json_object_get(c, "ratio"));
            if (json_object_get(c, "difference"))
                row(out, an, g, names[k], "difference", json_object_get(c, "difference"));
        }
    }
}

fair_status fair__report_csv(const json_t *root, FILE *out, fair_error *err)
{
    const json_t *attrs = json_object_get(json_object_get(root, "results"), "attributes"), *at;
    const json_t *strata;
    json_t *all;
    size_t i;
    fputs("attribute,group,n,metric,comparison,value,ci_low,ci_high,ci_method,reason\r\n", out);
    if (fair__ratio_sets(root, &all, &strata)) sets_csv(out, "", all);
    json_decref(all);
    json_array_foreach(attrs, i, at) sets_csv(out, fair__jstr(at, "attribute"), at);
    sets_csv(out, "", strata);
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the CSV report");
    return FAIR_OK;
}

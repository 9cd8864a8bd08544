/* report_md.c -- the Markdown report, for pasting into a ticket or a wiki: the policy's checks,
 * then per attribute a table of groups and the summaries, rendered from the report document.
 * Every text from the data is escaped so that it stays text inside a table cell. */
#include <string.h>
#include "report_internal.h"

/* Markdown and inline-HTML characters get a backslash or become entities; line breaks and
 * other control characters become spaces, so a cell stays one cell. */
static void md(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&') fputs("&amp;", out);
        else if (c == '<') fputs("&lt;", out);
        else if (c == '>') fputs("&gt;", out);
        else if (c < 0x20 || c == 0x7f) fputc(' ', out);
        else if (strchr("\\`*_[]|#!~", c)) fprintf(out, "\\%c", c);
        else fputc(c, out);
    }
}

static void val_ci(FILE *out, const json_t *m)
{
    double v, lo, hi;
    int ci;
    char a[32], b[32], c[32];
    if (!m) {
        fputs(" |", out);
        return;
    }
    if (!fair__jmetric(m, &v, &lo, &hi, &ci)) {
        fputs(" n/a |", out);
        return;
    }
    fair__fmt_num(a, sizeof a, v);
    if (ci) {
        fair__fmt_num(b, sizeof b, lo);
        fair__fmt_num(c, sizeof c, hi);
        fprintf(out, " %s [%s, %s] |", a, b, c);
    } else {
        fprintf(out, " %s |", a);
    }
}

static void checks_md(FILE *out, const json_t *pol)
{
    const json_t *c;
    size_t i;
    double n;
    fputs("## Policy: ", out);
    md(out, fair__jstr(pol, "name"));
    fputs("\n\nOutcome: **", out);
    md(out, fair__jstr(pol, "outcome"));
    fputs("**", out);
    if (fair__jnum(pol, "passed", &n)) fprintf(out, " — %.0f passed", n);
    if (fair__jnum(pol, "failed", &n)) fprintf(out, ", %.0f failed", n);
    if (fair__jnum(pol, "inconclusive", &n)) fprintf(out, ", %.0f inconclusive", n);
    fputs(".\n\n| check | attribute | group | metric | value [interval] | required | judged on | outcome |\n"
          "|---|---|---|---|---|---|---|---|\n", out);
    json_array_foreach(json_object_get(pol, "checks"), i, c) {
        double lo, hi;
        char a[32], b[32];
        fputs("| ", out);
        md(out, fair__jstr(c, "check"));
        fputs(" | ", out);
        md(out, fair__jstr(c, "attribute"));
        fputs(" | ", out);
        md(out, fair__jstr(c, "group"));
        fputs(" | ", out);
        md(out, fair__jstr(c, "metric"));
        if (fair__jstr(c, "comparison")) {
            fputs(" vs reference ", out);
            md(out, fair__jstr(c, "comparison"));
        }
        fputs(" |", out);
        val_ci(out, c);
        fputs(" ", out);
        if (fair__jnum(c, "min", &lo)) {
            fair__fmt_num(a, sizeof a, lo);
            fprintf(out, "≥ %s ", a);
        }
        if (fair__jnum(c, "max", &hi)) {
            fair__fmt_num(b, sizeof b, hi);
            fprintf(out, "≤ %s ", b);
        }
        fputs("| ", out);
        md(out, fair__jstr(c, "judge"));
        fputs(" | **", out);
        md(out, fair__jstr(c, "outcome"));
        fputs("** |\n", out);
    }
    fputc('\n', out);
}

/* The table of a holder's sets (an attribute's groups, a ratio study's value strata or its
 * sales as a whole): a column per metric, value [interval] in each cell. */
static void sets_md(FILE *out, const json_t *at, int audit)
{
    const char *names[256], *cols[8];
    const json_t *vals[256], *g;
    size_t nc = fair__table_columns(at, audit, cols, audit ? 5 : 8), j;
    double x;
    fputs("| group | n |", out);
    for (size_t k = 0; k < nc; k++) {
        fputc(' ', out);
        md(out, cols[k]);
        fputs(" |", out);
    }
    if (audit) fputs(" selection rate ratio |", out);
    fputs("\n|---|---:|", out);
    for (size_t k = 0; k < nc + (size_t)audit; k++) fputs("---|", out);
    fputc('\n', out);
    json_array_foreach(json_object_get(at, "groups"), j, g) {
        size_t n = fair__group_metrics(g, names, vals, 256);
        fputs("| ", out);
        md(out, fair__set_label(g));
        if (json_is_true(json_object_get(g, "is_reference"))) fputs(" (ref)", out);
        if (json_is_true(json_object_get(g, "suppressed"))) {
            fputs(" | suppressed |\n", out);
            continue;
        }
        if (fair__jnum(g, "n", &x)) fprintf(out, " | %.0f |", x);
        else fputs(" | |", out);
        for (size_t k = 0; k < nc; k++) {
            const json_t *m = NULL;
            for (size_t q = 0; q < n; q++)
                if (strcmp(names[q], cols[k]) == 0) m = vals[q];
            val_ci(out, m);
        }
        if (audit)
            val_ci(out, json_object_get(
                            json_object_get(json_object_get(g, "vs_reference"), "selection_rate"),
                            "ratio"));
        fputc('\n', out);
    }
}

fair_status fair__report_md(const json_t *root, FILE *out, fair_error *err)
{
    const json_t *res = json_object_get(root, "results"), *at, *strata;
    const json_t *input = json_object_get(res, "input"), *rows = json_object_get(res, "rows");
    json_t *all;
    const json_t *tool = json_object_get(root, "tool"), *pol = json_object_get(res, "policy");
    const int audit = strcmp(fair__doc_kind(root), "audit") == 0;
    size_t i;
    double x;
    fputs("# fairaudit report (", out);
    md(out, fair__doc_kind(root));
    fputs(")\n\n", out);
    fputs("| | |\n|---|---|\n| tool | ", out);
    md(out, fair__jstr(tool, "name"));
    fputc(' ', out);
    md(out, fair__jstr(tool, "version"));
    fputs(" |\n", out);
    if (fair__jstr(json_object_get(root, "run"), "input_path")) {
        fputs("| input | ", out);
        md(out, fair__jstr(json_object_get(root, "run"), "input_path"));
        fputs(" |\n", out);
    }
    if (fair__jstr(input, "sha256")) {
        const char *h = fair__jstr(input, "sha256");
        /* As code when it is a hash (hex digits only), else escaped like any text. */
        if (h[strspn(h, "0123456789abcdef")] == '\0') {
            fprintf(out, "| SHA-256 | `%s` |\n", h);
        } else {
            fputs("| SHA-256 | ", out);
            md(out, h);
            fputs(" |\n", out);
        }
    }
    if (fair__jnum(input, "bytes", &x)) fprintf(out, "| bytes | %.0f |\n", x);
    if (fair__jnum(rows, "read", &x)) fprintf(out, "| rows read | %.0f |\n", x);
    if (fair__jnum(rows, "used", &x)) fprintf(out, "| rows used | %.0f |\n", x);
    if (fair__jnum(json_object_get(rows, "skipped"), "total", &x)) fprintf(out, "| rows skipped | %.0f |\n", x);
    if (fair__jstr(json_object_get(root, "run"), "timestamp")) {
        fputs("| time | ", out);
        md(out, fair__jstr(json_object_get(root, "run"), "timestamp"));
        fputs(" |\n", out);
    }
    fputc('\n', out);
    if (pol) checks_md(out, pol);
    if (fair__ratio_sets(root, &all, &strata) && all) {
        fputs("## All sales\n\n", out);
        sets_md(out, all, 0);
        fputc('\n', out);
    }
    json_array_foreach(json_object_get(res, "attributes"), i, at) {
        fputs("## ", out);
        md(out, fair__jstr(at, "attribute"));
        if (fair__jstr(at, "reference")) {
            fputs(" (reference: ", out);
            md(out, fair__jstr(at, "reference"));
            fputc(')', out);
        }
        fputs("\n\n", out);
        sets_md(out, at, audit);
        if (json_object_size(json_object_get(at, "summary"))) {
            const char *key;
            const json_t *m;
            fputs("\n| summary | value [interval] |\n|---|---|\n", out);
            json_object_foreach(json_object_get(at, "summary"), key, m) {
                if (!json_is_object(m)) continue;
                fputs("| ", out);
                md(out, key);
                fputs(" |", out);
                val_ci(out, m);
                fputc('\n', out);
            }
        }
        fputc('\n', out);
    }
    if (json_array_size(json_object_get(strata, "groups"))) {
        fputs("## Value strata by ", out);
        md(out, fair__jstr(strata, "basis") ? fair__jstr(strata, "basis") : "value");
        fputs(" (lowest first)\n\n", out);
        sets_md(out, strata, 0);
        fputc('\n', out);
    }
    json_decref(all);
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the Markdown report");
    return FAIR_OK;
}

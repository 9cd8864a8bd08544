/* report_html.c -- the HTML report: one self-contained page (inline CSS and SVG, no scripts, no
 * fonts or images from elsewhere; a Content-Security-Policy forbids them) for a policy officer.
 * The summary in words comes first (which checks failed), then per attribute the charts (each
 * group's rate with its interval and the reference line, the ratios to the reference against
 * the 0.8-1.25 band, reliability curves when there is a score) and the tables. Rendered from
 * the report document; every text from the data is escaped. */
#include <math.h>
#include <string.h>
#include "report_internal.h"

#define CHART_W 640.0   /* chart width in SVG units */
#define LABEL_W 170.0   /* left margin for group labels */
#define ROW_H 22.0      /* height of one group's row */

static const char *const palette[] = {"#1b6ca8", "#d1495b", "#2e933c", "#edae49",
                                      "#6a4c93", "#00798c", "#8d6a9f", "#3d405b"};

static void x(FILE *out, const char *s) { fair__put_xml(out, s); }

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1d1d1d;line-height:1.4}"
    "h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}"
    "h3{font-size:1rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem}"
    "th,td{border:1px solid #ccc;padding:.2rem .45rem;text-align:right}"
    "th:first-child,td:first-child{text-align:left}td.l{text-align:left}"
    ".fail{color:#a4161a;font-weight:600}.pass{color:#2b6a2e}.inconclusive{color:#8a5a00}"
    ".box{border:1px solid #ccc;border-left:.4rem solid #1b6ca8;padding:.5rem 1rem;margin:1rem 0}"
    ".box.bad{border-left-color:#a4161a}svg{display:block;margin:.5rem 0;max-width:100%;height:auto}"
    "svg text{font-size:11px;fill:#1d1d1d}.note{font-size:.85rem;color:#555}"
    "code{word-break:break-all}"
    "@media print{body{max-width:none;margin:0}h2{break-after:avoid}svg,table{break-inside:avoid}"
    ".box{break-inside:avoid}}";

static void num(FILE *out, double v)
{
    char b[32];
    fair__fmt_num(b, sizeof b, v);
    fputs(b, out);
}

/* A table cell with a metric's value and interval. */
static void td_metric(FILE *out, const json_t *m)
{
    double v, lo, hi;
    int ci;
    fputs("<td>", out);
    if (m && fair__jmetric(m, &v, &lo, &hi, &ci)) {
        num(out, v);
        if (ci) {
            fputs(" [", out);
            num(out, lo);
            fputs(", ", out);
            num(out, hi);
            fputc(']', out);
        }
    } else if (m) {
        fputs("n/a", out);
    }
    fputs("</td>", out);
}

/* The words of one check: "selection_rate of nationality / EU is 0.14 [0.13, 0.16]; the policy
 * requires at least 0.8 (judged on the estimate)". */
static void check_words(FILE *out, const json_t *c)
{
    double v, lo, hi;
    int ci;
    fputs("<li><span class=\"", out);
    x(out, fair__jstr(c, "outcome"));
    fputs("\">", out);
    x(out, fair__jstr(c, "outcome"));
    fputs("</span>: <b>", out);
    x(out, fair__jstr(c, "metric"));
    if (fair__jstr(c, "comparison")) {
        fputs(" (", out);
        x(out, fair__jstr(c, "comparison"));
        fputs(" to the reference group)", out);
    }
    fputs("</b> of ", out);
    x(out, fair__jstr(c, "attribute"));
    if (fair__jstr(c, "group")) {
        fputs(", group <b>", out);
        x(out, fair__jstr(c, "group"));
        fputs("</b>", out);
    }
    if (fair__jmetric(c, &v, &lo, &hi, &ci)) {
        fputs(" is ", out);
        num(out, v);
        if (ci) {
            fputs(" (interval ", out);
            num(out, lo);
            fputs(" to ", out);
            num(out, hi);
            fputc(')', out);
        }
    } else {
        fputs(" has no value", out);
    }
    fputs("; the policy requires", out);
    if (fair__jnum(c, "min", &v)) {
        fputs(" at least ", out);
        num(out, v);
    }
    if (fair__jnum(c, "min", &v) && fair__jnum(c, "max", &v)) fputs(" and", out);
    if (fair__jnum(c, "max", &v)) {
        fputs(" at most ", out);
        num(out, v);
    }
    fputs(" (", out);
    x(out, fair__jstr(c, "reason"));
    fputs(").</li>\n", out);
}

static void summary_words(FILE *out, const json_t *pol)
{
    const json_t *c;
    size_t i;
    double failed = 0, passed = 0, inc = 0;
    if (!pol) {
        fputs("<div class=\"box\"><p>No policy was applied: the figures below are measurements with "
              "their uncertainty, not verdicts. A policy file (<code>--policy</code>) states which "
              "thresholds this organisation requires.</p></div>\n", out);
        return;
    }
    fair__jnum(pol, "failed", &failed);
    fair__jnum(pol, "passed", &passed);
    fair__jnum(pol, "inconclusive", &inc);
    fprintf(out, "<div class=\"box%s\"><p>Policy <b>", failed > 0 ? " bad" : "");
    x(out, fair__jstr(pol, "name"));
    fprintf(out, "</b>: %.0f of %.0f checks <span class=\"fail\">failed</span>, %.0f "
                 "<span class=\"inconclusive\">inconclusive</span> (the data cannot tell), %.0f "
                 "<span class=\"pass\">passed</span>. Outcome: <b class=\"",
            failed, failed + passed + inc, inc, passed);
    x(out, fair__jstr(pol, "outcome"));
    fputs("\">", out);
    x(out, fair__jstr(pol, "outcome"));
    fputs("</b>.</p>\n", out);
    if (failed + inc > 0) {
        fputs("<ul>\n", out);
        json_array_foreach(json_object_get(pol, "checks"), i, c)
            if (!fair__jstr(c, "outcome") || strcmp(fair__jstr(c, "outcome"), "pass") != 0)
                check_words(out, c);
        fputs("</ul>\n", out);
    }
    fputs("</div>\n", out);
}

/* Dot-and-whisker chart: one row per group, the value of `pick(group)` with its interval, a
 * dashed reference line at `ref` (when has_ref), a shaded band [band_lo, band_hi] (when
 * band_hi > band_lo). */
typedef const json_t *(*picker)(const json_t *g, const char *metric);

static const json_t *pick_metric(const json_t *g, const char *metric)
{
    const char *names[256];
    const json_t *vals[256];
    size_t n = fair__group_metrics(g, names, vals, 256);
    for (size_t k = 0; k < n; k++)
        if (strcmp(names[k], metric) == 0) return vals[k];
    return NULL;
}

static const json_t *pick_ratio(const json_t *g, const char *metric)
{
    return json_object_get(json_object_get(json_object_get(g, "vs_reference"), metric), "ratio");
}

static void whisker_chart(FILE *out, const json_t *groups, const char *metric, picker pick,
                          const char *title, int has_ref, double ref, double band_lo, double band_hi,
                          int from_zero)
{
    size_t i, rows = 0;
    const json_t *g;
    double hi_all = band_hi > 0 ? band_hi : 0, lo_all = 0, v, lo, hi, h;
    int ci;
    /* Rates start at 0; ratios near 1 (a ratio study) get an axis around the data instead. */
    if (!from_zero) {
        hi_all = -INFINITY;
        lo_all = INFINITY;
        if (band_hi > band_lo) hi_all = band_hi, lo_all = band_lo;
    }
    json_array_foreach(groups, i, g) {
        const json_t *m = pick(g, metric);
        rows++;
        if (m && fair__jmetric(m, &v, &lo, &hi, &ci)) {
            hi_all = fmax(hi_all, ci ? fmax(hi, v) : v);
            lo_all = fmin(lo_all, ci ? fmin(lo, v) : v);
        }
    }
    if (has_ref) hi_all = fmax(hi_all, ref), lo_all = fmin(lo_all, ref);
    if (!isfinite(lo_all) || !isfinite(hi_all)) lo_all = 0, hi_all = 1;
    if (!(hi_all > lo_all)) hi_all = lo_all + 1;
    {
        const double pad = 0.1 * (hi_all - lo_all);
        hi_all += pad;
        if (!from_zero || lo_all < 0) lo_all -= pad;
    }
    h = 30 + ROW_H * (double)rows + 24;
    fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
                 "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"><title>", CHART_W, h, CHART_W, h);
    x(out, title);
    fputs("</title>\n", out);
#define SX(val) (LABEL_W + (((val) - lo_all) / (hi_all - lo_all)) * (CHART_W - LABEL_W - 20))
    fprintf(out, "<text x=\"0\" y=\"14\" font-weight=\"600\">");
    x(out, title);
    fputs("</text>\n", out);
    if (band_hi > band_lo)
        fprintf(out, "<rect x=\"%.1f\" y=\"24\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e933c\" "
                     "fill-opacity=\"0.12\"/>\n",
                SX(band_lo), SX(band_hi) - SX(band_lo), ROW_H * (double)rows);
    if (has_ref)
        fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"24\" y2=\"%.1f\" stroke=\"#555\" "
                     "stroke-dasharray=\"4 3\"/>\n", SX(ref), SX(ref), 24 + ROW_H * (double)rows);
    i = 0;
    json_array_foreach(groups, i, g) {
        const json_t *m = pick(g, metric);
        double y = 24 + ROW_H * ((double)i + 0.5);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", LABEL_W - 8, y + 4);
        x(out, fair__set_label(g));
        fputs("</text>", out);
        if (m && fair__jmetric(m, &v, &lo, &hi, &ci)) {
            if (ci)
                fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#1b6ca8\" "
                             "stroke-width=\"2\"/>", SX(lo), SX(hi), y, y);
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1b6ca8\"/>", SX(v), y);
        } else {
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#777\">%s</text>", LABEL_W + 4, y + 4,
                    json_is_true(json_object_get(g, "is_reference")) && pick == pick_ratio
                        ? "the reference group"
                        : json_is_true(json_object_get(g, "suppressed")) ? "suppressed" : "not defined");
        }
        fputc('\n', out);
    }
    /* Axis: 0, the middle, the end. */
    for (int t = 0; t <= 4; t++) {
        double tv = lo_all + (hi_all - lo_all) * t / 4, ty = 24 + ROW_H * (double)rows;
        fprintf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", SX(tv), SX(tv), ty, ty + 4,
                SX(tv), ty + 16);
        num(out, tv);
        fputs("</text>\n", out);
    }
#undef SX
    fputs("</svg>\n", out);
}

/* Reliability curves: observed rate against mean score per bin, one line per group. */
static void reliability_chart(FILE *out, const json_t *groups)
{
    const double S = 300, M = 40;
    size_t i, j, k = 0;
    const json_t *g, *b;
    fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
                 "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"><title>Reliability curves</title>\n",
            S + M + 200, S + M + 20, S + M + 200, S + M + 20);
    fprintf(out, "<rect x=\"%.0f\" y=\"10\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>"
                 "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"10\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n",
            M, S, S, M, S + 10, M + S);
    fprintf(out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">mean score per bin (0 to 1)</text>"
                 "<text x=\"12\" y=\"%.0f\" transform=\"rotate(-90 12 %.0f)\" text-anchor=\"middle\">"
                 "observed rate</text>\n", M + S / 2, S + 34, 10 + S / 2, 10 + S / 2);
    json_array_foreach(groups, i, g) {
        const json_t *rel = json_object_get(json_object_get(g, "score"), "reliability");
        const char *col = palette[k % (sizeof palette / sizeof palette[0])];
        if (!json_array_size(rel)) continue;
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", col);
        json_array_foreach(rel, j, b) {
            double ms, ob;
            if (fair__jnum(b, "mean_score", &ms) && fair__jnum(b, "observed_rate", &ob))
                fprintf(out, "%.1f,%.1f ", M + fmin(fmax(ms, 0), 1) * S, 10 + (1 - fmin(fmax(ob, 0), 1)) * S);
        }
        fputs("\"/>\n", out);
        fprintf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                     "<text x=\"%.0f\" y=\"%.0f\">", M + S + 16, 14 + 16 * (double)k, col, M + S + 32,
                23 + 16 * (double)k);
        x(out, fair__set_label(g));
        fputs("</text>\n", out);
        k++;
    }
    fputs("</svg>\n", out);
}

static void groups_table(FILE *out, const json_t *at, int audit)
{
    const json_t *g;
    const char *cols[10];
    size_t nc = fair__table_columns(at, audit, cols, audit ? 7 : 10), i;
    fputs("<table><thead><tr><th>group</th><th>n</th>", out);
    for (size_t k = 0; k < nc; k++) {
        fputs("<th>", out);
        x(out, cols[k]);
        fputs("</th>", out);
    }
    if (audit) fputs("<th>selection rate ratio to reference</th>", out);
    fputs("</tr></thead><tbody>\n", out);
    json_array_foreach(json_object_get(at, "groups"), i, g) {
        double n;
        fputs("<tr><td>", out);
        x(out, fair__set_label(g));
        if (json_is_true(json_object_get(g, "is_reference"))) fputs(" (reference)", out);
        if (json_is_true(json_object_get(g, "too_small"))) fputs(" (too small to judge)", out);
        fputs("</td>", out);
        if (json_is_true(json_object_get(g, "suppressed"))) {
            fprintf(out, "<td class=\"l\" colspan=\"%zu\">suppressed</td></tr>\n", nc + 1 + (size_t)audit);
            continue;
        }
        if (fair__jnum(g, "n", &n)) fprintf(out, "<td>%.0f</td>", n);
        else fputs("<td></td>", out);
        for (size_t k = 0; k < nc; k++) td_metric(out, pick_metric(g, cols[k]));
        if (audit) td_metric(out, pick_ratio(g, "selection_rate"));
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

fair_status fair__report_html(const json_t *root, FILE *out, fair_error *err)
{
    const json_t *res = json_object_get(root, "results"), *run = json_object_get(root, "run");
    const json_t *input = json_object_get(res, "input"), *rows = json_object_get(res, "rows");
    const json_t *opts = json_object_get(res, "options"), *boot = json_object_get(opts, "bootstrap");
    const json_t *at;
    const char *kind = fair__doc_kind(root);
    const int audit = strcmp(kind, "audit") == 0;
    size_t i;
    double v;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>fairaudit report: ",
          out);
    x(out, fair__jstr(run, "input_path") ? fair__jstr(run, "input_path") : kind);
    fprintf(out, "</title>\n<style>%s</style></head><body>\n<h1>fairaudit report (", css);
    x(out, kind);
    fputs(")</h1>\n", out);
    summary_words(out, json_object_get(res, "policy"));
    fputs("<p class=\"note\">fairaudit measures and explains; people decide. Intervals are ", out);
    if (fair__jnum(opts, "ci_level", &v)) fprintf(out, "%.4g%% ", 100 * v);
    fputs("confidence intervals.</p>\n", out);
    {
        /* A ratio study's statistics over all sales come before those per group. */
        json_t *all;
        const json_t *strata;
        if (fair__ratio_sets(root, &all, &strata) && all) {
            fputs("<h2>All sales</h2>\n", out);
            groups_table(out, all, 0);
        }
        json_decref(all);
    }

    json_array_foreach(json_object_get(res, "attributes"), i, at) {
        const json_t *groups = json_object_get(at, "groups"), *g, *ref = NULL;
        const char *first = NULL;
        double refv = 0, lo, hi;
        int ci, has_ref = 0, has_rel = 0;
        size_t j;
        fputs("<h2>", out);
        x(out, fair__jstr(at, "attribute"));
        fputs("</h2>\n", out);
        if (fair__jstr(at, "reference")) {
            fputs("<p>Reference group: <b>", out);
            x(out, fair__jstr(at, "reference"));
            fputs("</b>.</p>\n", out);
        }
        json_array_foreach(groups, j, g) {
            if (json_is_true(json_object_get(g, "is_reference"))) ref = g;
            if (json_array_size(json_object_get(json_object_get(g, "score"), "reliability"))) has_rel = 1;
            if (!first) {
                const char *names[256];
                const json_t *vals[256];
                if (fair__group_metrics(g, names, vals, 256)) first = names[0];
            }
        }
        if (audit) first = "selection_rate";
        if (first) {
            const json_t *rm = ref ? pick_metric(ref, first) : NULL;
            has_ref = rm && fair__jmetric(rm, &refv, &lo, &hi, &ci);
            fputs("<h3>", out);
            x(out, first);
            fputs(" per group, with its interval", out);
            if (has_ref) fputs(" (dashed: the reference group)", out);
            fputs("</h3>\n", out);
            whisker_chart(out, groups, first, pick_metric, first, has_ref, refv, 0, 0, audit);
        }
        if (audit) {
            fputs("<h3>Selection rate ratio to the reference group, against the 0.8 to 1.25 band</h3>\n", out);
            whisker_chart(out, groups, "selection_rate", pick_ratio, "selection_rate ratio", 1, 1.0, 0.8, 1.25, 1);
            fputs("<p class=\"note\">The band is the four-fifths rule of thumb and its inverse: a "
                  "reading aid, not a verdict.</p>\n", out);
        }
        if (has_rel) {
            fputs("<h3>Reliability curves (observed rate against mean score; dashed: perfect "
                  "calibration)</h3>\n", out);
            reliability_chart(out, groups);
        }
        groups_table(out, at, audit);
        if (json_object_size(json_object_get(at, "summary"))) {
            const char *key;
            const json_t *m;
            fputs("<table><thead><tr><th>summary</th><th>value [interval]</th></tr></thead><tbody>\n", out);
            json_object_foreach(json_object_get(at, "summary"), key, m) {
                if (!json_is_object(m)) continue;
                fputs("<tr><td>", out);
                x(out, key);
                fputs("</td>", out);
                td_metric(out, m);
                fputs("</tr>\n", out);
            }
            fputs("</tbody></table>\n", out);
        }
    }
    if (strcmp(kind, "ratio") == 0 && json_array_size(json_object_get(json_object_get(res, "strata"), "groups"))) {
        /* Vertical equity at a glance: the median ratio per value stratum, lowest values first,
         * against the IAAO range; a model that over-values cheap homes slopes down. */
        const json_t *strata = json_object_get(res, "strata");
        const json_t *sets = json_object_get(strata, "groups");
        const json_t *om = pick_metric(json_object_get(res, "overall"), "median_ratio");
        const json_t *range = json_object_get(pick_metric(json_array_get(sets, 0), "median_ratio"), "iaao_range");
        double ov = 0, lo, hi, blo = 0, bhi = 0;
        int ci, has_ov = om && fair__jmetric(om, &ov, &lo, &hi, &ci);
        if (json_array_size(range) == 2) {
            blo = json_number_value(json_array_get(range, 0));
            bhi = json_number_value(json_array_get(range, 1));
        }
        fputs("<h2>Value strata</h2>\n<p>Sales in strata of the ", out);
        x(out, fair__jstr(strata, "basis") ? fair__jstr(strata, "basis") : "value");
        fputs(", lowest first. A median ratio falling from the low strata to the high ones means "
              "cheaper properties are assessed relatively higher (regressivity).</p>\n<h3>median_ratio "
              "per value stratum, with its interval", out);
        if (has_ov) fputs(" (dashed: all sales)", out);
        if (bhi > blo) fputs("; shaded: the IAAO range", out);
        fputs("</h3>\n", out);
        whisker_chart(out, sets, "median_ratio", pick_metric, "median_ratio per value stratum", has_ov,
                      ov, blo, bhi, 0);
        groups_table(out, strata, 0);
    }
    if (json_object_get(res, "policy")) {
        const json_t *c;
        fputs("<h2>Policy checks</h2>\n<table><thead><tr><th>check</th><th>attribute</th><th>group</th>"
              "<th>metric</th><th>value [interval]</th><th>min</th><th>max</th><th>judged on</th>"
              "<th>outcome</th></tr></thead><tbody>\n", out);
        json_array_foreach(json_object_get(json_object_get(res, "policy"), "checks"), i, c) {
            fputs("<tr><td>", out);
            x(out, fair__jstr(c, "check"));
            fputs("</td><td class=\"l\">", out);
            x(out, fair__jstr(c, "attribute"));
            fputs("</td><td class=\"l\">", out);
            x(out, fair__jstr(c, "group"));
            fputs("</td><td class=\"l\">", out);
            x(out, fair__jstr(c, "metric"));
            if (fair__jstr(c, "comparison")) {
                fputs(" (", out);
                x(out, fair__jstr(c, "comparison"));
                fputc(')', out);
            }
            fputs("</td>", out);
            td_metric(out, c);
            fputs("<td>", out);
            if (fair__jnum(c, "min", &v)) num(out, v);
            fputs("</td><td>", out);
            if (fair__jnum(c, "max", &v)) num(out, v);
            fputs("</td><td>", out);
            x(out, fair__jstr(c, "judge"));
            fputs("</td><td class=\"", out);
            x(out, fair__jstr(c, "outcome"));
            fputs("\">", out);
            x(out, fair__jstr(c, "outcome"));
            fputs("</td></tr>\n", out);
        }
        fputs("</tbody></table>\n", out);
    }
    fputs("<h2>What was tested</h2>\n<table><tbody>\n<tr><td>tool</td><td class=\"l\">", out);
    x(out, fair__jstr(json_object_get(root, "tool"), "name"));
    fputc(' ', out);
    x(out, fair__jstr(json_object_get(root, "tool"), "version"));
    fputs("</td></tr>\n<tr><td>input</td><td class=\"l\">", out);
    x(out, fair__jstr(run, "input_path"));
    fputs("</td></tr>\n<tr><td>SHA-256</td><td class=\"l\"><code>", out);
    x(out, fair__jstr(input, "sha256"));
    fputs("</code></td></tr>\n", out);
    if (fair__jnum(input, "bytes", &v)) fprintf(out, "<tr><td>bytes</td><td class=\"l\">%.0f</td></tr>\n", v);
    if (fair__jnum(rows, "read", &v)) fprintf(out, "<tr><td>rows read</td><td class=\"l\">%.0f</td></tr>\n", v);
    if (fair__jnum(rows, "used", &v)) fprintf(out, "<tr><td>rows used</td><td class=\"l\">%.0f</td></tr>\n", v);
    {
        const char *key;
        const json_t *n;
        json_object_foreach(json_object_get(rows, "skipped"), key, n)
            if (json_is_integer(n) && json_integer_value(n) > 0) {
                fputs("<tr><td>skipped: ", out);
                x(out, key);
                fprintf(out, "</td><td class=\"l\">%lld</td></tr>\n", (long long)json_integer_value(n));
            }
    }
    if (boot) {
        double b = 0;
        fair__jnum(boot, "replicates", &b);
        fprintf(out, "<tr><td>bootstrap</td><td class=\"l\">%.0f replicates, ", b);
        x(out, fair__jstr(boot, "scheme"));
        fprintf(out, ", seed %lld, ", (long long)json_integer_value(json_object_get(boot, "seed")));
        x(out, fair__jstr(boot, "rng"));
        fputs("</td></tr>\n", out);
    }
    fputs("<tr><td>command line</td><td class=\"l\"><code>", out);
    x(out, fair__jstr(run, "command_line"));
    fputs("</code></td></tr>\n<tr><td>time</td><td class=\"l\">", out);
    x(out, fair__jstr(run, "timestamp"));
    fputs("</td></tr>\n</tbody></table>\n</body></html>\n", out);
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the HTML report");
    return FAIR_OK;
}

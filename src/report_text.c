/* report_text.c -- the text report: aligned tables for a terminal. Undefined values print as
 * "n/a" (the JSON report gives the reason); suppressed groups print no figures at all. */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "report_internal.h"

#define LABEL_MAX 28 /* widest group label shown; longer ones are cut with "..." */

typedef struct {
    FILE *out;
    int color;
} tctx;

/* One table row, built in a buffer so trailing blanks can be cut before it is printed. */
typedef struct {
    char s[1024];
    size_t n;
} line;

static void add(line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(line *l, const char *fmt, ...)
{
    va_list ap;
    int r;
    if (l->n >= sizeof l->s) return;
    va_start(ap, fmt);
    r = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
    va_end(ap);
    if (r > 0) l->n = l->n + (size_t)r < sizeof l->s ? l->n + (size_t)r : sizeof l->s - 1;
}

static void put(FILE *out, line *l)
{
    while (l->n && l->s[l->n - 1] == ' ') l->n--;
    l->s[l->n] = '\0';
    fputs(l->s, out);
    fputc('\n', out);
    l->n = 0;
}

/* Writes `s` with control characters as '?', as label_cell() does. Group values, column names
 * and file names come from whoever made the input: printed raw, an ESC or CR in one would
 * drive the auditor's terminal (a forged line, a hidden row). Found by tests/fuzz/fuzz_report. */
void fair__put_clean(FILE *out, const char *s)
{
    if (!s) s = "(null)"; /* as glibc's printf shows it; never expected */
    for (; *s; s++) fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}


static void bold(tctx *t, const char *s)
{
    if (t->color) fputs("\033[1m", t->out);
    fair__put_clean(t->out, s);
    if (t->color) fputs("\033[0m", t->out);
}

/* A value in a fixed-width cell, or n/a. */
static void cell(line *l, int defined, double v, int width, int prec)
{
    if (defined) add(l, " %*.*f", width, prec, v);
    else add(l, " %*s", width, "n/a");
}

/* A group label in a column `width` characters wide: control characters become '?', and a
 * label too long is cut at a character boundary (UTF-8) and ends in "...". */
static void label_cell(line *l, const char *s, size_t width)
{
    size_t chars = 0, i = 0, n = strlen(s), cut = n;
    for (size_t j = 0; j < n; j++) chars += ((unsigned char)s[j] & 0xc0) != 0x80;
    if (chars > width) {
        size_t keep = width - 3, seen = 0;
        for (cut = 0; cut < n; cut++) {
            if (((unsigned char)s[cut] & 0xc0) != 0x80 && seen++ == keep) break;
        }
        chars = keep + 3;
    }
    for (i = 0; i < cut; i++) add(l, "%c", (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i]);
    if (cut < n) add(l, "...");
    for (; chars < width; chars++) add(l, " ");
}

/* Display width of a UTF-8 label, in characters. */
static size_t label_width(const char *s)
{
    size_t chars = 0;
    for (; *s; s++) chars += ((unsigned char)*s & 0xc0) != 0x80;
    return chars;
}

static void fmt_p(char *dst, size_t cap, const fair__num *p)
{
    if (!p->defined) fair__snprintf(dst, cap, "n/a");
    else if (p->value < 1e-4) fair__snprintf(dst, cap, "%.1e", p->value);
    else fair__snprintf(dst, cap, "%.4f", p->value);
}

/* The interval the report leads with: bootstrap when it ran and can be trusted, else the
 * analytic one (*analytic = 1). */
static const fair__ci *primary_ci(const fair__group *gr, size_t k, const fair_audit_options *o,
                                  int *analytic)
{
    const fair__boot *bt = &gr->boot_m[k];
    *analytic = 0;
    if (bt->computed && !fair__unreliable(gr, k)) {
        if (o->boot_ci == FAIR_BOOT_CI_BCA && bt->bca.ok) return &bt->bca;
        if (bt->pct.ok) return &bt->pct;
    }
    *analytic = bt->computed;
    return o->interval == FAIR_INTERVAL_CLOPPER_PEARSON ? &gr->cp[k] : &gr->wilson[k];
}

static void attr_text(tctx *t, const fair_audit *a, const fair__attr *at)
{
    FILE *out = t->out;
    const fair_audit_options *o = &a->opt;
    size_t w = 5;
    int any_small = 0, any_supp = 0, any_sig = 0, any_analytic = 0;
    line l = {.n = 0};

    for (size_t g = 0; g < at->n_groups; g++) {
        size_t n = label_width(at->groups[g].label);
        if (n > w) w = n;
    }
    if (w > LABEL_MAX) w = LABEL_MAX;
    fputc('\n', out);
    bold(t, at->name);
    fputs("  (reference group: ", out);
    /* An attribute without groups (every row skipped) has no reference group. */
    fair__put_clean(out, at->n_groups ? at->groups[at->ref].label : "none");
    fprintf(out, ", %s)\n",
            strcmp(at->ref_rule, "value") == 0 ? "chosen" : strcmp(at->ref_rule, "best") == 0
                                                                ? "most favourable selection rate"
                                                                : "largest group");
    label_cell(&l, "group", w);
    add(&l, " %9s %9s %8s %17s %7s %7s %7s %7s %7s %9s", "n", "selected", "sel.rate", "CI", "ratio",
        "base", "TPR", "FPR", "PPV", "p(adj)");
    put(out, &l);
    for (size_t g = 0; g < at->n_groups; g++) {
        const fair__group *gr = &at->groups[g];
        const fair__ci *ci;
        char flag = ' ', pbuf[24];
        label_cell(&l, gr->label, w);
        if (gr->suppressed) {
            add(&l, " %9s  suppressed (fewer than %llu rows)", "-", (unsigned long long)o->suppress_below);
            put(out, &l);
            any_supp = 1;
            continue;
        }
        add(&l, " %9llu %9llu", (unsigned long long)gr->n, (unsigned long long)(gr->c.tp + gr->c.fp));
        cell(&l, gr->m[FAIR_METRIC_SELECTION_RATE].defined, gr->m[FAIR_METRIC_SELECTION_RATE].value, 8, 4);
        {
            int analytic;
            ci = primary_ci(gr, FAIR_METRIC_SELECTION_RATE, o, &analytic);
            if (ci->ok) add(&l, " %c[%6.4f, %6.4f]", analytic ? 'w' : ' ', ci->lo, ci->hi);
            else add(&l, " %17s", "n/a");
            any_analytic |= analytic && ci->ok;
        }
        if (g == at->ref) add(&l, " %7s", "ref");
        else cell(&l, gr->ratio[FAIR_METRIC_SELECTION_RATE].est.defined,
                  gr->ratio[FAIR_METRIC_SELECTION_RATE].est.value, 7, 3);
        cell(&l, gr->m[FAIR_METRIC_BASE_RATE].defined, gr->m[FAIR_METRIC_BASE_RATE].value, 7, 4);
        cell(&l, gr->m[FAIR_METRIC_TPR].defined, gr->m[FAIR_METRIC_TPR].value, 7, 4);
        cell(&l, gr->m[FAIR_METRIC_FPR].defined, gr->m[FAIR_METRIC_FPR].value, 7, 4);
        cell(&l, gr->m[FAIR_METRIC_PPV].defined, gr->m[FAIR_METRIC_PPV].value, 7, 4);
        if (g == at->ref) {
            add(&l, " %9s", "");
        } else {
            fmt_p(pbuf, sizeof pbuf, &gr->test[0].p_adj);
            add(&l, " %9s", pbuf);
            if (gr->test[0].p_adj.defined && gr->test[0].p_adj.value < 0.05) flag = '*';
        }
        if (gr->too_small) flag = '~';
        any_sig |= flag == '*';
        any_small |= flag == '~';
        add(&l, " %c", flag);
        put(out, &l);
    }
    if (any_sig)
        fprintf(out, "  * the selection rate differs from the reference group's (adjusted p < 0.05)\n");
    if (any_small)
        fprintf(out, "  ~ fewer than %llu rows: too small to judge\n", (unsigned long long)o->min_group_size);
    if (any_analytic)
        fprintf(out, "  w %s interval: the bootstrap interval cannot be trusted for this group (too small,\n"
                     "    or a rate of 0 or 1); see \"unreliable_reason\" in the JSON report\n",
                o->interval == FAIR_INTERVAL_CLOPPER_PEARSON ? "Clopper-Pearson" : "Wilson");
    if (any_supp)
        fprintf(out, "  suppressed groups still count in the row totals and in the tests below\n");
    if (at->n_groups && at->groups[0].has_hist) {
        static const fair_score_metric_id cols[] = {FAIR_SCORE_AUC, FAIR_SCORE_BRIER, FAIR_SCORE_ECE,
                                                    FAIR_SCORE_CITL, FAIR_SCORE_SLOPE, FAIR_SCORE_HL_P};
        fprintf(out, "  scores:\n");
        add(&l, "  ");
        label_cell(&l, "group", w);
        add(&l, " %8s %8s %8s %8s %8s %8s", "AUC", "Brier", "ECE", "CITL", "slope", "HL p");
        put(out, &l);
        for (size_t g = 0; g < at->n_groups; g++) {
            const fair__group *gr = &at->groups[g];
            if (gr->suppressed) continue;
            add(&l, "  ");
            label_cell(&l, gr->label, w);
            for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
                if (cols[k] == FAIR_SCORE_HL_P) {
                    char pbuf[24];
                    fair__num p = {gr->sm.m[cols[k]].defined, gr->sm.m[cols[k]].value, NULL};
                    fmt_p(pbuf, sizeof pbuf, &p);
                    add(&l, " %8s", pbuf);
                } else {
                    cell(&l, gr->sm.m[cols[k]].defined, gr->sm.m[cols[k]].value, 8, 4);
                }
            }
            if (gr->hist.quantized) add(&l, " (scores rounded to a grid)");
            put(out, &l);
        }
    }
    fprintf(out, "  summary over %zu group%s with at least %llu rows:\n", at->summary_groups,
            at->summary_groups == 1 ? "" : "s", (unsigned long long)o->min_group_size);
    for (size_t k = 0; k < FAIR__SUM_COUNT; k++) {
        add(&l, "    %-31s", fair__summary_names[k]);
        cell(&l, at->summary[k].defined, at->summary[k].value, 8, 4);
        put(out, &l);
    }
    fprintf(out, "  (gaps between the most and least favoured groups are biased away from \"no\n"
                 "   difference\"; whether the groups differ is what the tests below say)\n");
    fprintf(out, "  independence of group and outcome (chi-square%s):\n",
            at->n_groups == 2 ? "; Fisher's exact test for two groups" : "");
    for (size_t k = 0; k < FAIR__N_INDEP; k++) {
        const fair__indep *ind = &at->indep[k];
        char pbuf[24], fbuf[24];
        static const char *const what[] = {"selection", "TPR (errors among actual positives)",
                                           "FPR (errors among actual negatives)"};
        fmt_p(pbuf, sizeof pbuf, &ind->p);
        add(&l, "    %-36s", what[k]);
        if (ind->stat.defined)
            add(&l, " chi2 = %.3f, df = %.0f, p = %s", ind->stat.value, ind->df.value, pbuf);
        else
            add(&l, " n/a");
        if (ind->fisher_p.defined) {
            fmt_p(fbuf, sizeof fbuf, &ind->fisher_p);
            add(&l, "; Fisher p = %s", fbuf);
        }
        put(out, &l);
    }
}

/* A compact table of the classification analysis at another operating point. */
static void operating_point_text(FILE *out, const fair__attr *op, const char *title, size_t w)
{
    line l = {.n = 0};
    fprintf(out, "  %s:\n", title);
    add(&l, "    ");
    label_cell(&l, "group", w);
    add(&l, " %9s %8s %7s %7s %7s %7s", "selected", "sel.rate", "ratio", "TPR", "FPR", "PPV");
    put(out, &l);
    for (size_t g = 0; g < op->n_groups; g++) {
        const fair__group *gr = &op->groups[g];
        add(&l, "    ");
        label_cell(&l, gr->label, w);
        if (gr->suppressed) {
            add(&l, " suppressed");
            put(out, &l);
            continue;
        }
        add(&l, " %9llu", (unsigned long long)(gr->c.tp + gr->c.fp));
        cell(&l, gr->m[FAIR_METRIC_SELECTION_RATE].defined, gr->m[FAIR_METRIC_SELECTION_RATE].value, 8, 4);
        if (g == op->ref) add(&l, " %7s", "ref");
        else cell(&l, gr->ratio[FAIR_METRIC_SELECTION_RATE].est.defined,
                  gr->ratio[FAIR_METRIC_SELECTION_RATE].est.value, 7, 3);
        cell(&l, gr->m[FAIR_METRIC_TPR].defined, gr->m[FAIR_METRIC_TPR].value, 7, 4);
        cell(&l, gr->m[FAIR_METRIC_FPR].defined, gr->m[FAIR_METRIC_FPR].value, 7, 4);
        cell(&l, gr->m[FAIR_METRIC_PPV].defined, gr->m[FAIR_METRIC_PPV].value, 7, 4);
        put(out, &l);
    }
}

fair_status fair__report_text(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err)
{
    tctx t = {out, run ? run->color : 0};
    const fair_audit_options *o = &a->opt;
    uint64_t skipped = 0;

    bold(&t, "fairaudit");
    fprintf(out, " %s: classification audit\n", fair_version_string());
    fputs("input:      ", out);
    fair__put_clean(out, a->input_name);
    fprintf(out, " (%llu bytes%s)\n", (unsigned long long)a->input_bytes,
            a->gzip == 2 ? ", some gzip" : a->gzip ? ", gzip" : "");
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) skipped += a->skipped[k];
    fprintf(out, "rows:       %llu read, %llu used, %llu skipped\n", (unsigned long long)a->rows_read,
            (unsigned long long)a->rows_used, (unsigned long long)skipped);
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++)
        if (a->skipped[k])
            fprintf(out, "            %llu %s\n", (unsigned long long)a->skipped[k],
                    fair_skip_text((fair_skip_reason)k));
    fprintf(out, "label:      %s", o->label_col);
    if (o->use_threshold) fprintf(out, "; prediction: %s >= %g", o->score_col, o->threshold);
    else fprintf(out, "; prediction: %s", o->pred_col);
    if (o->score_col && !o->use_threshold) fprintf(out, "; score: %s", o->score_col);
    fputc('\n', out);
    if (o->bootstrap)
        fprintf(out, "intervals:  %g%% bootstrap %s, %llu %s replicates, seed %llu, %s\n",
                100.0 * o->ci_level, o->boot_ci == FAIR_BOOT_CI_BCA ? "BCa" : "percentile",
                (unsigned long long)o->bootstrap,
                o->boot_scheme == FAIR_BOOT_SIMPLE ? "simple" : "stratified",
                (unsigned long long)o->seed, FAIR_RNG_NAME);
    else
        fprintf(out, "intervals:  %g%% %s (no bootstrap)\n", 100.0 * o->ci_level,
                o->interval == FAIR_INTERVAL_WILSON ? "Wilson" : "Clopper-Pearson");
    fprintf(out, "tests:      two-proportion z against the reference, %s-adjusted per attribute\n",
            fair_p_adjust_name(o->p_adjust));
    for (size_t i = 0; i < a->n_attrs; i++) {
        const fair__attr *at = &a->attrs[i];
        size_t w = 5;
        attr_text(&t, a, at);
        for (size_t g = 0; g < at->n_groups; g++)
            if (label_width(at->groups[g].label) > w) w = label_width(at->groups[g].label);
        if (w > LABEL_MAX) w = LABEL_MAX;
        for (size_t k = 0; k < at->n_thresholds; k++) {
            char title[96];
            fair__snprintf(title, sizeof title, "at threshold %g (selected: score >= %g)",
                           at->thresholds[k], at->thresholds[k]);
            operating_point_text(out, &at->at_threshold[k], title, w);
        }
        if (at->top) {
            char title[160];
            fair__snprintf(title, sizeof title,
                           "top %llu scores selected (%llu rows with score >= %g, ties included)",
                           (unsigned long long)a->top_requested, (unsigned long long)a->top_selected,
                           a->top_cut);
            operating_point_text(out, at->top, title, w);
        }
    }
    if (ferror(out)) return fair__fail(err, FAIR_EIO, "cannot write the text report");
    return FAIR_OK;
}

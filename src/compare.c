/* compare.c -- `fairaudit compare`: two JSON reports, figure by figure (docs/compare.md).
 *
 * The change d = c - b of a figure whose runs give intervals (lb, ub) around b and (lc, uc)
 * around c gets the interval of the method of variance estimates recovery (MOVER; Zou and
 * Donner 2008, Statistics in Medicine 27:1693-1702, eq. 5-6):
 *     L = d - sqrt((c - lc)^2 + (ub - b)^2),   U = d + sqrt((uc - c)^2 + (b - lb)^2).
 * It keeps each interval's own asymmetry and level, and assumes the runs are independent
 * samples (two nights' decisions). For two proportions with Wilson intervals it is exactly
 * Newcombe's hybrid score interval (method 10), which the tests use as the known answer. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "doc_internal.h"
#include "report_internal.h"
#include "fairaudit/compare.h"
#include "fairaudit/fairaudit.h"

typedef enum { ST_BOTH = 0, ST_NEW = 1, ST_VANISHED = 2 } presence;
static const char *const presence_names[] = {"both", "new", "vanished"};

typedef struct {
    const fair__figure *b, *c; /* either may be NULL (new / vanished) */
    int has_change, has_ci, significant;
    double change, lo, hi;
} change;

struct fair_compare {
    json_t *base, *cur;
    fair__figures fb, fc;
    change *ch; /* the union of both figure lists, in (attribute, group, name) order */
    size_t n_ch;
    size_t n_compared, n_significant, n_new_groups, n_vanished_groups;
    json_t *option_changes; /* [{option, baseline, current}] */
    int text_all;           /* the text lists every compared figure */
};

void fair_compare_options_init(fair_compare_options *o)
{
    o->max_report_bytes = (size_t)256 << 20;
    o->text_all = 0;
}

void fair_compare_free(fair_compare *c)
{
    if (!c) return;
    json_decref(c->base);
    json_decref(c->cur);
    json_decref(c->option_changes);
    fair__figures_release(&c->fb);
    fair__figures_release(&c->fc);
    fair__free(c->ch);
    fair__free(c);
}

size_t fair_compare_n_compared(const fair_compare *c) { return c->n_compared; }
size_t fair_compare_n_significant(const fair_compare *c) { return c->n_significant; }
size_t fair_compare_n_new_groups(const fair_compare *c) { return c->n_new_groups; }
size_t fair_compare_n_vanished_groups(const fair_compare *c) { return c->n_vanished_groups; }
size_t fair_compare_n_option_changes(const fair_compare *c) { return json_array_size(c->option_changes); }

static void judge(change *x)
{
    const fair__figure *b = x->b, *c = x->c;
    if (!b || !c || !b->has_value || !c->has_value) return;
    x->has_change = 1;
    x->change = c->value - b->value;
    if (!b->has_ci || !c->has_ci || !(b->ci_low <= b->value && b->value <= b->ci_high) ||
        !(c->ci_low <= c->value && c->value <= c->ci_high))
        return;
    x->has_ci = 1;
    x->lo = x->change - sqrt((c->value - c->ci_low) * (c->value - c->ci_low) +
                             (b->ci_high - b->value) * (b->ci_high - b->value));
    x->hi = x->change + sqrt((c->ci_high - c->value) * (c->ci_high - c->value) +
                             (b->value - b->ci_low) * (b->value - b->ci_low));
    x->significant = x->lo > 0 || x->hi < 0;
}

/* Options of the two runs that differ, key by key (sorted keys for a stable order). */
static fair_status option_changes(fair_compare *c, fair_error *err)
{
    const json_t *ob = json_object_get(json_object_get(c->base, "results"), "options");
    const json_t *oc = json_object_get(json_object_get(c->cur, "results"), "options");
    const char *kb = fair__json_str(json_object_get(c->base, "results"), "kind");
    const char *kc = fair__json_str(json_object_get(c->cur, "results"), "kind");
    json_t *all = json_object(), *list = json_array();
    const char *key;
    json_t *v;
    int bad = !all || !list;
    c->option_changes = list;
    if (bad) goto nomem;
    if ((kb || kc) && (!kb || !kc || strcmp(kb, kc) != 0)) {
        json_decref(all);
        return fair__fail(err, FAIR_EDATA, "the reports are of different kinds (%s and %s)",
                          kb ? kb : "unknown", kc ? kc : "unknown");
    }
    json_object_foreach((json_t *)ob, key, v) bad |= json_object_set_new(all, key, json_true()) != 0;
    json_object_foreach((json_t *)oc, key, v) bad |= json_object_set_new(all, key, json_true()) != 0;
    if (bad) goto nomem;
    {
        size_t n = json_object_size(all), i = 0;
        const char **keys = fair__calloc(n ? n : 1, sizeof *keys);
        if (!keys) goto nomem;
        json_object_foreach(all, key, v) keys[i++] = key;
        qsort(keys, n, sizeof *keys, (int (*)(const void *, const void *))strcmp);
        for (i = 0; i < n && !bad; i++) {
            json_t *a = json_object_get(ob, keys[i]), *b = json_object_get(oc, keys[i]);
            if (a && b && json_equal(a, b)) continue;
            bad = json_array_append_new(list, json_pack("{s:s, s:O?, s:O?}", "option", keys[i],
                                                        "baseline", a, "current", b)) != 0;
        }
        fair__free((void *)keys);
    }
    json_decref(all);
    if (bad) goto nomem;
    return FAIR_OK;
nomem:
    json_decref(all);
    return fair__fail(err, FAIR_ENOMEM, "out of memory comparing the reports");
}

/* Whether `f` holds any figure of (attr, group); group NULL = any figure of attr. Figures are
 * sorted, so a binary search for the first one >= (attr, group) finds it. */
static int present(const fair__figures *f, const char *attr, const char *group)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(f->v[mid].attribute, attr);
        if (c == 0 && group) c = strcmp(f->v[mid].group, group);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < f->n && strcmp(f->v[lo].attribute, attr) == 0 &&
           (!group || strcmp(f->v[lo].group, group) == 0);
}

static presence presence_in(const fair_compare *c, const char *attr, const char *group)
{
    return !present(&c->fb, attr, group) ? ST_NEW : !present(&c->fc, attr, group) ? ST_VANISHED : ST_BOTH;
}

static void count_groups(fair_compare *c)
{
    for (size_t i = 0; i < c->n_ch; i++) {
        const change *x = &c->ch[i];
        const fair__figure *f = x->b ? x->b : x->c;
        const change *prev = i ? &c->ch[i - 1] : NULL;
        const fair__figure *pf = prev ? (prev->b ? prev->b : prev->c) : NULL;
        if (!f->group[0]) continue;
        if (pf && strcmp(pf->attribute, f->attribute) == 0 && strcmp(pf->group, f->group) == 0) continue;
        c->n_new_groups += presence_in(c, f->attribute, f->group) == ST_NEW;
        c->n_vanished_groups += presence_in(c, f->attribute, f->group) == ST_VANISHED;
    }
}

fair_status fair_compare_files(const char *baseline, const char *current,
                               const fair_compare_options *o, fair_compare **out, fair_error *err)
{
    fair_compare_options def;
    fair_compare *c;
    fair_status st;
    size_t i = 0, j = 0;
    *out = NULL;
    if (!o) {
        fair_compare_options_init(&def);
        o = &def;
    }
    if (strcmp(baseline, "-") == 0 && strcmp(current, "-") == 0)
        return fair__fail(err, FAIR_EINVAL, "only one of the two reports can come from standard input");
    c = fair__calloc(1, sizeof *c);
    FAIR__RETURN_IF(!c, FAIR_ENOMEM, err, "out of memory");
    st = fair__doc_load(baseline, o->max_report_bytes, &c->base, err);
    if (st == FAIR_OK) st = fair__doc_load(current, o->max_report_bytes, &c->cur, err);
    if (st == FAIR_OK) st = option_changes(c, err);
    if (st == FAIR_OK) st = fair__figures_of(c->base, &c->fb, err);
    if (st == FAIR_OK) st = fair__figures_of(c->cur, &c->fc, err);
    if (st == FAIR_OK) {
        c->ch = fair__calloc(c->fb.n + c->fc.n + 1, sizeof *c->ch);
        if (!c->ch) st = fair__fail(err, FAIR_ENOMEM, "out of memory comparing the reports");
    }
    /* Merge the two sorted lists. */
    while (st == FAIR_OK && (i < c->fb.n || j < c->fc.n)) {
        change *x = &c->ch[c->n_ch++];
        int k = i == c->fb.n ? 1 : j == c->fc.n ? -1 : fair__figure_cmp(&c->fb.v[i], &c->fc.v[j]);
        if (k <= 0) x->b = &c->fb.v[i++];
        if (k >= 0) x->c = &c->fc.v[j++];
        judge(x);
        c->n_compared += x->has_change ? 1u : 0u;
        c->n_significant += x->significant ? 1u : 0u;
    }
    if (st != FAIR_OK) {
        fair_compare_free(c);
        return st;
    }
    count_groups(c);
    c->text_all = o->text_all;
    *out = c;
    return FAIR_OK;
}

/* ---- output ---- */

static json_t *num_or_null(int has, double v) { return has && isfinite(v) ? json_real(v) : json_null(); }

static json_t *change_json(const change *x)
{
    const fair__figure *b = x->b, *c = x->c;
    json_t *o;
    if (!x->has_change) {
        const char *why = !b ? "the figure is new in the current report"
                        : !c ? "the figure vanished from the current report"
                             : "the figure is undefined in one of the reports";
        return json_pack("{s:n, s:s, s:o, s:o}", "value", "reason", why,
                         "baseline", num_or_null(b && b->has_value, b ? b->value : 0),
                         "current", num_or_null(c && c->has_value, c ? c->value : 0));
    }
    o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "value", json_real(x->change),
                  "baseline", json_real(b->value), "current", json_real(c->value),
                  "ci_low", num_or_null(x->has_ci, x->lo), "ci_high", num_or_null(x->has_ci, x->hi),
                  "significant", x->significant);
    if (o && json_object_set_new(o, "ci_method", x->has_ci ? json_string("mover") : json_null()) != 0) {
        json_decref(o);
        return NULL;
    }
    if (o && !x->has_ci &&
        json_object_set_new(o, "no_interval_reason",
                            json_string("one of the runs has no interval for this figure")) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *side_json(const json_t *doc)
{
    const json_t *res = json_object_get(doc, "results");
    json_t *o = json_object();
    const json_t *v;
    if (!o) return NULL;
    if ((v = json_object_get(json_object_get(doc, "tool"), "version"))) json_object_set(o, "tool_version", (json_t *)v);
    if ((v = json_object_get(json_object_get(doc, "run"), "timestamp"))) json_object_set(o, "timestamp", (json_t *)v);
    if ((v = json_object_get(res, "inputs")) || (v = json_object_get(res, "input"))) json_object_set(o, "input", (json_t *)v);
    if ((v = json_object_get(res, "rows"))) json_object_set(o, "rows", (json_t *)v);
    return o;
}

static int is_figure_of(const change *x, const char *attr, const char *group)
{
    const fair__figure *f = x->b ? x->b : x->c;
    return strcmp(f->attribute, attr) == 0 && strcmp(f->group, group) == 0;
}

/* The group object `group` of attribute `attr` in a report, or NULL. */
static const json_t *find_group(const json_t *doc, const char *attr, const char *group)
{
    size_t i, j;
    const json_t *at, *g;
    json_array_foreach(json_object_get(json_object_get(doc, "results"), "attributes"), i, at) {
        const char *an = fair__json_str(at, "attribute");
        if (!an || strcmp(an, attr) != 0) continue;
        json_array_foreach(json_object_get(at, "groups"), j, g) {
            const char *gn = fair__json_str(g, "group");
            if (gn && strcmp(gn, group) == 0) return g;
        }
    }
    return NULL;
}

/* Where a figure's change goes in the comparison document, which has the shape of a report (so
 * that policies and every format read it as they read reports): a group's metric under
 * "metrics", its comparison with the reference under "vs_reference", an attribute's summary
 * under "summary"; anything else (tests, the size n) under "other", by its full name. Sets
 * *key to the key within the returned object. */
static json_t *slot_for(json_t *scope, const char *name, int is_group, const char **key, int *bad)
{
    json_t *box;
    const char *dot = strchr(name, '.');
    *key = name;
    if (is_group && strncmp(name, "vs_reference.", 13) == 0) {
        const char *m = name + 13, *last = strrchr(m, '.');
        char metric[128];
        size_t n = last ? (size_t)(last - m) : 0;
        if (last && n < sizeof metric) {
            json_t *vs = json_object_get(scope, "vs_reference"), *per;
            if (!vs && json_object_set_new(scope, "vs_reference", vs = json_object()) != 0) *bad = 1;
            memcpy(metric, m, n);
            metric[n] = '\0';
            per = vs ? json_object_get(vs, metric) : NULL;
            if (vs && !per && json_object_set_new(vs, metric, per = json_object()) != 0) *bad = 1;
            *key = last + 1;
            return per;
        }
    }
    box = json_object_get(scope, dot || strcmp(name, "n") == 0 ? "other" : is_group ? "metrics" : "summary");
    if (!box) {
        box = json_object();
        if (json_object_set_new(scope, dot || strcmp(name, "n") == 0 ? "other" : is_group ? "metrics" : "summary",
                                box) != 0)
            *bad = 1;
    }
    return box;
}

static json_t *build_json(const fair_compare *c, const fair_report_run *run)
{
    json_t *doc = json_object(), *res = json_object(), *attrs = json_array();
    json_t *attr_obj = NULL, *scope = NULL;
    const char *cur_attr = NULL, *cur_group = NULL;
    int bad = !doc || !res || !attrs;
    for (size_t i = 0; !bad && i < c->n_ch; i++) {
        const change *x = &c->ch[i];
        const fair__figure *f = x->b ? x->b : x->c;
        const char *key;
        json_t *box;
        if (!cur_attr || strcmp(cur_attr, f->attribute) != 0) {
            json_t *groups = json_array();
            attr_obj = json_pack("{s:s, s:s, s:o}", "attribute", f->attribute, "status",
                                 presence_names[presence_in(c, f->attribute, NULL)], "groups", groups);
            bad = !attr_obj || json_array_append_new(attrs, attr_obj) != 0;
            if (bad) break;
            cur_attr = f->attribute;
            cur_group = NULL;
        }
        if (!f->group[0]) {
            scope = attr_obj;
        } else if (!cur_group || strcmp(cur_group, f->group) != 0) {
            const json_t *src = find_group(c->cur, f->attribute, f->group);
            if (!src) src = find_group(c->base, f->attribute, f->group);
            scope = json_pack("{s:s, s:s}", "group", f->group, "status",
                              presence_names[presence_in(c, f->attribute, f->group)]);
            bad = !scope || json_array_append_new(json_object_get(attr_obj, "groups"), scope) != 0;
            if (bad) break;
            /* The current run's flags, which policies read (the reference has no comparison
             * with itself; a group too small is not judged). */
            if (json_is_boolean(json_object_get(src, "is_reference")))
                json_object_set(scope, "is_reference", json_object_get(src, "is_reference"));
            if (json_is_boolean(json_object_get(src, "too_small")))
                json_object_set(scope, "too_small", json_object_get(src, "too_small"));
            cur_group = f->group;
        }
        box = slot_for(scope, f->name, f->group[0] != 0, &key, &bad);
        if (!bad) bad = !box || json_object_set_new(box, key, change_json(x)) != 0;
    }
    if (!bad) {
        /* A report edited by hand may lack results.kind (found by fuzz_doc). */
        const char *kind = fair__json_str(json_object_get(c->cur, "results"), "kind");
        json_t *summary = json_pack("{s:I, s:I, s:I, s:I, s:I}",
                                    "figures_compared", (json_int_t)c->n_compared,
                                    "significant_changes", (json_int_t)c->n_significant,
                                    "new_groups", (json_int_t)c->n_new_groups,
                                    "vanished_groups", (json_int_t)c->n_vanished_groups,
                                    "option_changes", (json_int_t)json_array_size(c->option_changes));
        bad = json_object_set_new(res, "kind", json_string("comparison")) != 0 ||
              json_object_set_new(res, "compared_kind", kind ? json_string(kind) : json_null()) != 0 ||
              json_object_set_new(res, "method", json_string("mover: Zou and Donner (2008), independent runs")) != 0 ||
              json_object_set_new(res, "baseline", side_json(c->base)) != 0 ||
              json_object_set_new(res, "current", side_json(c->cur)) != 0 ||
              json_object_set_new(res, "summary", summary) != 0 ||
              json_object_set_new(res, "option_changes", json_deep_copy(c->option_changes)) != 0;
        bad = bad || json_object_set_new(res, "attributes", attrs) != 0;
        attrs = NULL;
    }
    if (!bad) {
        json_t *r = json_pack("{s:s?, s:s?}", "command_line", run ? run->command_line : NULL,
                              "timestamp", run ? run->timestamp : NULL);
        bad = json_object_set_new(doc, "schema_version", json_integer(FAIR__DOC_SCHEMA_MAX)) != 0 ||
              json_object_set_new(doc, "kind", json_string("comparison")) != 0 ||
              json_object_set_new(doc, "tool", json_pack("{s:s, s:s}", "name", "fairaudit", "version",
                                                         fair_version_string())) != 0 ||
              json_object_set_new(doc, "results", res) != 0 || json_object_set_new(doc, "run", r) != 0;
        res = NULL;
    }
    json_decref(attrs);
    json_decref(res);
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static void fmt(char *buf, size_t cap, int has, double v)
{
    if (has && isfinite(v)) fair__snprintf(buf, cap, "%.4f", v);
    else fair__snprintf(buf, cap, "-");
}

static void print_scalar(FILE *out, const json_t *v)
{
    char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    fputs(t ? t : "(absent)", out);
    free(t);
}

static int write_text(const fair_compare *c, int all, FILE *out)
{
    const json_t *rb = json_object_get(json_object_get(c->base, "results"), "rows");
    const json_t *rc = json_object_get(json_object_get(c->cur, "results"), "rows");
    size_t shown = 0;
    fprintf(out, "fairaudit compare\n");
    fprintf(out, "  rows used: baseline %lld, current %lld\n",
            (long long)json_integer_value(json_object_get(rb, "used")),
            (long long)json_integer_value(json_object_get(rc, "used")));
    fprintf(out, "  figures compared: %zu; significant changes: %zu; groups new: %zu, vanished: %zu\n",
            c->n_compared, c->n_significant, c->n_new_groups, c->n_vanished_groups);
    if (json_array_size(c->option_changes)) {
        size_t i;
        const json_t *x;
        fprintf(out, "\nOptions that differ (the runs may not measure the same thing):\n");
        json_array_foreach(c->option_changes, i, x) {
            fprintf(out, "  %s: ", fair__json_str(x, "option"));
            print_scalar(out, json_object_get(x, "baseline"));
            fputs(" -> ", out);
            print_scalar(out, json_object_get(x, "current"));
            fputc('\n', out);
        }
    }
    for (size_t i = 0; i < c->n_ch; i++) {
        const change *x = &c->ch[i];
        const fair__figure *f = x->b ? x->b : x->c;
        if (f->group[0] && (i == 0 || !is_figure_of(&c->ch[i - 1], f->attribute, f->group))) {
            presence p = presence_in(c, f->attribute, f->group);
            if (p != ST_BOTH)
                fprintf(out, "%s%s group: %s = %s\n", shown++ ? "" : "\n", presence_names[p],
                        f->attribute, f->group);
        }
    }
    fprintf(out, "\n%s:\n", all ? "All compared figures" : "Significant changes (interval of the change excludes 0)");
    fprintf(out, "  %-24s %-24s %-40s %10s %10s %10s  %-21s\n", "attribute", "group", "figure",
            "baseline", "current", "change", "interval");
    for (size_t i = 0; i < c->n_ch; i++) {
        const change *x = &c->ch[i];
        char b[32], cu[32], d[32], lo[32], hi[32];
        if (!x->has_change || (!all && !x->significant)) continue;
        fmt(b, sizeof b, 1, x->b->value);
        fmt(cu, sizeof cu, 1, x->c->value);
        fmt(d, sizeof d, 1, x->change);
        fmt(lo, sizeof lo, x->has_ci, x->lo);
        fmt(hi, sizeof hi, x->has_ci, x->hi);
        fprintf(out, "  %-24s %-24s %-40s %10s %10s %10s  [%s, %s]%s\n",
                x->b->attribute[0] ? x->b->attribute : "(run)", x->b->group[0] ? x->b->group : "(all)",
                x->b->name, b, cu, d, lo, hi, x->significant ? " *" : "");
    }
    return ferror(out) ? -1 : 0;
}

static fair_status text_of(const void *obj, const fair_report_run *run, FILE *out, fair_error *err)
{
    const fair_compare *c = obj;
    (void)run;
    if (write_text(c, c->text_all, out) != 0) return fair__fail(err, FAIR_EIO, "cannot write: %s", strerror(errno));
    return FAIR_OK;
}

fair_status fair_compare_doc(const fair_compare *c, const fair_report_run *run,
                             fair_report_doc **out, fair_error *err)
{
    return fair__report_doc_wrap(build_json(c, run), c, text_of, run, out, err);
}

fair_status fair_compare_write(const fair_compare *c, fair_format f, int all,
                               const fair_report_run *run, FILE *out, fair_error *err)
{
    fair_report_doc *d;
    fair_status st;
    if (f == FAIR_FORMAT_TEXT) {
        if (write_text(c, all, out) != 0) return fair__fail(err, FAIR_EIO, "cannot write: %s", strerror(errno));
        return FAIR_OK;
    }
    FAIR__FORWARD(fair_compare_doc(c, run, &d, err));
    st = fair_report_doc_write(d, f, 0, out, err);
    fair_report_doc_free(d);
    return st;
}

/* doc_flat.c -- reads a fairaudit JSON report back and lists every figure in its results as
 * (attribute, group, name) -> value and interval. The walk is generic: it knows only the
 * report's conventions (a figure is an object with a "value"; an object with an "attribute"
 * or a "group" string opens that scope), so it reads audit and ratio reports alike. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "doc_internal.h"

/* Containers left out of a figure's name, and subtrees that hold no figures to track. */
static const char *const transparent[] = {"metrics", "summary", "statistics", "errors"};
static const char *const skipped[] = {"intervals", "bootstrap", "options", "input", "inputs",
                                      "rows", "reliability", "counts", "values", "provenance"};

static int in_list(const char *k, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(k, list[i]) == 0) return 1;
    return 0;
}

const char *fair__json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int fair__figure_cmp(const fair__figure *a, const fair__figure *b)
{
    int c = strcmp(a->attribute, b->attribute);
    if (c == 0) c = strcmp(a->group, b->group);
    if (c == 0) c = strcmp(a->name, b->name);
    return c;
}

static int cmp_qsort(const void *a, const void *b) { return fair__figure_cmp(a, b); }

void fair__figures_release(fair__figures *f)
{
    for (size_t i = 0; i < f->n; i++) {
        fair__free(f->v[i].attribute);
        fair__free(f->v[i].group);
        fair__free(f->v[i].name);
        fair__free(f->v[i].ci_method);
        fair__free(f->v[i].reason);
    }
    fair__free(f->v);
    memset(f, 0, sizeof *f);
}

typedef struct {
    fair__figures *out;
    fair_error *err;
    fair_status st;
    unsigned depth;
} walker;

static int fail_nomem(walker *w)
{
    if (w->st == FAIR_OK) w->st = fair__fail(w->err, FAIR_ENOMEM, "out of memory reading a report");
    return -1;
}

static char *dup_or_null(const char *s) { return s ? fair__strdup(s) : NULL; }

static int add_figure(walker *w, const char *attr, const char *group, const char *name,
                      const json_t *obj)
{
    fair__figure fig;
    const json_t *v = json_object_get(obj, "value");
    const json_t *lo = json_object_get(obj, "ci_low"), *hi = json_object_get(obj, "ci_high");
    if (w->out->n == w->out->cap) {
        size_t cap = w->out->cap ? 2 * w->out->cap : 64;
        fair__figure *p = fair__realloc(w->out->v, cap * sizeof *p);
        if (!p) return fail_nomem(w);
        w->out->v = p;
        w->out->cap = cap;
    }
    memset(&fig, 0, sizeof fig);
    fig.has_value = json_is_number(v);
    fig.value = fig.has_value ? json_number_value(v) : 0.0;
    fig.has_ci = json_is_number(lo) && json_is_number(hi);
    fig.ci_low = fig.has_ci ? json_number_value(lo) : 0.0;
    fig.ci_high = fig.has_ci ? json_number_value(hi) : 0.0;
    fig.attribute = fair__strdup(attr);
    fig.group = fair__strdup(group);
    fig.name = fair__strdup(name);
    fig.ci_method = dup_or_null(fair__json_str(obj, "ci_method"));
    fig.reason = dup_or_null(fair__json_str(obj, "reason"));
    w->out->v[w->out->n++] = fig; /* owned by the list from here, also on failure below */
    if (!fig.attribute || !fig.group || !fig.name ||
        (fair__json_str(obj, "ci_method") && !fig.ci_method) ||
        (fair__json_str(obj, "reason") && !fig.reason))
        return fail_nomem(w);
    return 0;
}

/* The name of a figure at `path` + `key`: the path with transparent containers dropped. */
static int child_path(walker *w, const char *path, const char *key, char **out)
{
    size_t lp = strlen(path), lk = strlen(key);
    char *s;
    if (lp == 0 && in_list(key, transparent, sizeof transparent / sizeof *transparent)) {
        *out = fair__strdup("");
        return *out ? 0 : fail_nomem(w);
    }
    s = fair__malloc(lp + lk + 2);
    if (!s) return fail_nomem(w);
    memcpy(s, path, lp);
    if (lp) s[lp++] = '.';
    memcpy(s + lp, key, lk + 1);
    *out = s;
    return 0;
}

static int walk(walker *w, const json_t *node, const char *attr, const char *group, const char *path);

static int walk_object(walker *w, const json_t *obj, const char *attr, const char *group,
                       const char *path)
{
    const char *key;
    const json_t *v;
    const char *a = fair__json_str(obj, "attribute"), *g = fair__json_str(obj, "group");
    const char *stratum = fair__json_str(obj, "stratum");
    /* An attribute or a group opens a new scope; its own figures are named from there. A
     * ratio study's value stratum is a group of the pseudo-attribute "strata". */
    if (stratum && !a && !g) {
        a = "strata";
        g = stratum;
        attr = a;
    }
    if (a) {
        attr = a;
        group = "";
        path = "";
    }
    if (g) {
        group = g;
        path = "";
    }
    if (json_object_get(obj, "value") && !a && !g && path[0]) return add_figure(w, attr, group, path, obj);
    json_object_foreach((json_t *)obj, key, v) {
        char *p;
        int rc;
        if (in_list(key, skipped, sizeof skipped / sizeof *skipped)) continue;
        if (json_is_integer(v) && strcmp(key, "n") == 0 && path[0] == 0 && group[0]) {
            json_t *tmp = json_pack("{s:O}", "value", v);
            if (!tmp) return fail_nomem(w);
            rc = add_figure(w, attr, group, "n", tmp);
            json_decref(tmp);
            if (rc) return rc;
            continue;
        }
        if (!json_is_object(v) && !json_is_array(v)) continue;
        if (child_path(w, path, key, &p)) return -1;
        rc = walk(w, v, attr, group, p);
        fair__free(p);
        if (rc) return rc;
    }
    return 0;
}

static int walk(walker *w, const json_t *node, const char *attr, const char *group, const char *path)
{
    int rc = 0;
    /* Reports are shallow; a deeper document is not one of ours (and must not exhaust the
     * stack: jansson itself limits nesting while parsing, this keeps the walk bounded too). */
    if (++w->depth > 64) {
        w->depth--;
        return 0;
    }
    if (json_is_object(node)) {
        rc = walk_object(w, node, attr, group, path);
    } else if (json_is_array(node)) {
        size_t i;
        const json_t *el;
        json_array_foreach(node, i, el) {
            const json_t *t = json_is_object(el) ? json_object_get(el, "threshold") : NULL;
            char idx[64], *p;
            if (json_is_object(el) && (fair__json_str(el, "attribute") || fair__json_str(el, "group") ||
                                       fair__json_str(el, "stratum"))) {
                rc = walk(w, el, attr, group, path);
            } else {
                /* Elements without a name of their own are named by a key value where there
                 * is one (thresholds), else by position. */
                if (json_is_number(t))
                    fair__snprintf(idx, sizeof idx, "[threshold=%.17g]", json_number_value(t));
                else
                    fair__snprintf(idx, sizeof idx, "[%zu]", i);
                if (child_path(w, path, idx, &p)) {
                    rc = -1;
                } else {
                    rc = walk(w, el, attr, group, p);
                    fair__free(p);
                }
            }
            if (rc) break;
        }
    }
    w->depth--;
    return rc;
}

fair_status fair__figures_of(const json_t *doc, fair__figures *out, fair_error *err)
{
    walker w = {out, err, FAIR_OK, 0};
    const json_t *res = json_object_get(doc, "results");
    memset(out, 0, sizeof *out);
    if (!json_is_object(res)) return fair__fail(err, FAIR_EDATA, "the report has no results");
    if (walk(&w, res, "", "", "") != 0) {
        fair__figures_release(out);
        return w.st != FAIR_OK ? w.st : fair__fail(err, FAIR_EINTERNAL, "cannot read the report");
    }
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, cmp_qsort);
    /* The same (attribute, group, name) twice would make a comparison ambiguous. */
    for (size_t i = 1; i < out->n; i++) {
        if (fair__figure_cmp(&out->v[i - 1], &out->v[i]) == 0) {
            fair_status st = fair__fail(err, FAIR_EDATA,
                                        "the report holds the figure '%s' of group '%s' of '%s' twice",
                                        out->v[i].name, out->v[i].group, out->v[i].attribute);
            fair__figures_release(out);
            return st;
        }
    }
    return FAIR_OK;
}

const fair__figure *fair__figures_find(const fair__figures *f, const char *attribute,
                                       const char *group, const char *name)
{
    fair__figure key;
    memset(&key, 0, sizeof key);
    key.attribute = (char *)attribute;
    key.group = (char *)group;
    key.name = (char *)name;
    return f->n ? bsearch(&key, f->v, f->n, sizeof *f->v, cmp_qsort) : NULL;
}

static fair_status check_doc(json_t *doc, const char *what, fair_error *err)
{
    const json_t *tool = json_object_get(doc, "tool");
    const json_t *sv = json_object_get(doc, "schema_version");
    const char *name = fair__json_str(tool, "name");
    if (!json_is_object(doc) || !name || strcmp(name, "fairaudit") != 0 ||
        !json_is_object(json_object_get(doc, "results")))
        return fair__fail(err, FAIR_EDATA, "%s: not a fairaudit report (expected a JSON object "
                          "with \"tool\": {\"name\": \"fairaudit\"} and \"results\")", what);
    if (!json_is_integer(sv) || json_integer_value(sv) < 1 ||
        json_integer_value(sv) > FAIR__DOC_SCHEMA_MAX)
        return fair__fail(err, FAIR_EDATA, "%s: report schema_version %s; this fairaudit reads "
                          "versions 1 to %d", what, json_is_integer(sv) ? "too new" : "missing",
                          FAIR__DOC_SCHEMA_MAX);
    return FAIR_OK;
}

fair_status fair__doc_parse(const char *text, size_t len, const char *what, json_t **out,
                            fair_error *err)
{
    json_error_t je;
    json_t *doc;
    fair_status st;
    memset(&je, 0, sizeof je);
    doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    *out = NULL;
    /* jansson says "out of memory" in the error code, except when its lexer cannot even
     * allocate its first buffer: then NULL comes back with the error record left empty. */
    if (!doc && (json_error_code(&je) == json_error_out_of_memory || je.text[0] == '\0'))
        return fair__fail(err, FAIR_ENOMEM, "out of memory reading %s", what);
    if (!doc)
        return fair__fail_at(err, FAIR_EDATA, (size_t)(je.line > 0 ? je.line : 0), 0,
                             (size_t)(je.column > 0 ? je.column : 0), "%s:%d:%d: invalid JSON: %s",
                             what, je.line, je.column, je.text);
    st = check_doc(doc, what, err);
    if (st != FAIR_OK) {
        json_decref(doc);
        return st;
    }
    *out = doc;
    return FAIR_OK;
}

fair_status fair__doc_load(const char *path, size_t max_bytes, json_t **out, fair_error *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    fair__buf b;
    char chunk[65536];
    size_t got;
    fair_status st = FAIR_OK;
    *out = NULL;
    if (!f) return fair__fail(err, FAIR_EIO, "cannot open '%s': %s", path, strerror(errno));
    fair__buf_init(&b);
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > max_bytes) {
            st = fair__fail(err, FAIR_ELIMIT, "%s: larger than %zu bytes, the most a report may "
                            "have", path, max_bytes);
            break;
        }
        st = fair__buf_append(&b, chunk, got);
        if (st != FAIR_OK) {
            fair__fail(err, st, "out of memory reading '%s'", path);
            break;
        }
    }
    if (st == FAIR_OK && ferror(f)) st = fair__fail(err, FAIR_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (f != stdin) fclose(f);
    if (st == FAIR_OK) st = fair__doc_parse(b.len ? b.data : "", b.len, path, out, err);
    fair__buf_release(&b);
    return st;
}

/* policy.c -- policy files (INI, read with libinih; docs/policy.md) and their checks, judged
 * against a report document's JSON tree, so that they work for every kind of report that
 * lists attributes and groups (an audit, a ratio study). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <ini.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include "report_internal.h"

#define MAX_CHECKS 1000   /* checks per policy: bounds the memory a policy file can ask for */
#define MAX_ATTRS 64      /* attributes one check may name */
#define MAX_POLICY_BYTES ((size_t)1 << 20)

/* Ratio-study statistics (../shared docs of the ratio study: names are the JSON keys). */
static const char *const ratio_metrics[] = {
    "median_ratio", "mean_ratio", "weighted_mean_ratio", "cod", "prd", "prb", "ki", "mki", "vei",
    "mean_error", "mae", "mape", "rmse"};

typedef enum { JUDGE_POINT = 0, JUDGE_SIGNIFICANT = 1 } judge;

typedef struct {
    char *id;                 /* the NAME of [check NAME] */
    char *metric;
    char *attrs[MAX_ATTRS];   /* empty = every attribute */
    size_t n_attrs;
    int has_min, has_max;
    double min, max;
    int judge;                /* -1 = the policy's */
    char *vs;                 /* NULL, "ratio" or "difference" */
    unsigned seen;            /* keys given, to refuse one given twice */
} check;

struct fair_policy {
    char *name;
    judge judge;
    int inconclusive_fails;
    check *checks;
    size_t n_checks;
    unsigned char sha256[32];
    /* parse state */
    char *section;            /* the section being read */
    unsigned policy_seen;     /* keys of [policy] given */
    char msg[200];            /* the first error */
    int line;                 /* lines handed to inih so far (its line number) */
    int msg_line;             /* the line of msg */
    int new_section;          /* a section header was read since the last key */
    int oom;
};

/* ---- metric names ---- */

static int is_group_metric(const char *m)
{
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++)
        if (strcmp(m, fair_metric_name((fair_metric_id)k)) == 0) return 1;
    return 0;
}

static int known_metric(const char *m)
{
    if (is_group_metric(m)) return 1;
    for (size_t k = 0; k < FAIR_SCORE_METRIC_COUNT; k++)
        if (strcmp(m, fair_score_metric_name((fair_score_metric_id)k)) == 0) return 1;
    for (size_t k = 0; k < FAIR__SUM_COUNT; k++)
        if (strcmp(m, fair__summary_names[k]) == 0) return 1;
    for (size_t k = 0; k < sizeof ratio_metrics / sizeof ratio_metrics[0]; k++)
        if (strcmp(m, ratio_metrics[k]) == 0) return 1;
    return 0;
}

const char *fair_policy_metric_name(size_t i)
{
    if (i < FAIR__SUM_COUNT) return fair__summary_names[i];
    i -= FAIR__SUM_COUNT;
    if (i < FAIR_METRIC_COUNT) return fair_metric_name((fair_metric_id)i);
    i -= FAIR_METRIC_COUNT;
    if (i < FAIR_SCORE_METRIC_COUNT) return fair_score_metric_name((fair_score_metric_id)i);
    i -= FAIR_SCORE_METRIC_COUNT;
    if (i < sizeof ratio_metrics / sizeof ratio_metrics[0]) return ratio_metrics[i];
    return NULL;
}

/* ---- parsing ---- */

static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return !errno && end != s && *end == '\0' && isfinite(*v);
}

static void set_msg(fair_policy *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_msg(fair_policy *p, const char *fmt, ...)
{
    va_list ap;
    if (p->msg[0]) return;
    p->msg_line = p->line;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
}

static char *dup_or_oom(fair_policy *p, const char *s)
{
    char *d = fair__strdup(s);
    if (!d) p->oom = 1;
    return d;
}

/* Splits "a, b" into c->attrs (each trimmed of spaces). */
static int parse_attrs(fair_policy *p, check *c, const char *v)
{
    while (*v) {
        const char *e = strchr(v, ',');
        size_t n = e ? (size_t)(e - v) : strlen(v);
        const char *s = v;
        while (n && *s == ' ') s++, n--;
        while (n && s[n - 1] == ' ') n--;
        if (n == 0 || c->n_attrs == MAX_ATTRS) {
            set_msg(p, "%s%s", "'attributes' needs names separated by commas (at most 64)", "");
            return 0;
        }
        c->attrs[c->n_attrs] = fair__strndup(s, n);
        if (!c->attrs[c->n_attrs]) {
            p->oom = 1;
            return 0;
        }
        c->n_attrs++;
        v = e ? e + 1 : v + strlen(v);
    }
    return 1;
}

static int parse_judge(fair_policy *p, const char *v, int *j)
{
    if (strcmp(v, "point") == 0) *j = JUDGE_POINT;
    else if (strcmp(v, "significant") == 0) *j = JUDGE_SIGNIFICANT;
    else {
        set_msg(p, "invalid judge '%s': expected point or significant%s", v, "");
        return 0;
    }
    return 1;
}

/* A key seen twice in a section is an error (inih also passes continuation lines this way). */
static int once(fair_policy *p, unsigned *seen, unsigned bit, const char *name)
{
    if (*seen & bit) {
        set_msg(p, "'%s' is given twice%s", name, "");
        return 0;
    }
    *seen |= bit;
    return 1;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    fair_policy *p = user;
    if (p->msg[0] || p->oom) return 0; /* inih goes on after an error: only the first counts */
    if (!fair__utf8_valid((const unsigned char *)section, strlen(section)) ||
        !fair__utf8_valid((const unsigned char *)name, strlen(name)) ||
        !fair__utf8_valid((const unsigned char *)value, strlen(value))) {
        set_msg(p, "the line is not valid UTF-8%s%s", "", "");
        return 0;
    }
    if (!p->section || strcmp(p->section, section) != 0 || p->new_section) {
        p->new_section = 0;
        /* A new section. */
        fair__free(p->section);
        p->section = dup_or_oom(p, section);
        if (!p->section) return 0;
        if (strncmp(section, "check ", 6) == 0) {
            const char *id = section + 6;
            check *c;
            while (*id == ' ') id++;
            if (!*id) {
                set_msg(p, "a check section needs a name: [check NAME]%s%s", "", "");
                return 0;
            }
            for (size_t k = 0; k < p->n_checks; k++)
                if (strcmp(p->checks[k].id, id) == 0) {
                    set_msg(p, "check '%s' is defined twice%s", id, "");
                    return 0;
                }
            if (p->n_checks == MAX_CHECKS) {
                set_msg(p, "more than 1000 checks%s%s", "", "");
                return 0;
            }
            c = fair__realloc(p->checks, (p->n_checks + 1) * sizeof *c);
            if (!c) {
                p->oom = 1;
                return 0;
            }
            p->checks = c;
            c = &p->checks[p->n_checks++];
            memset(c, 0, sizeof *c);
            c->judge = -1;
            c->id = dup_or_oom(p, id);
            if (!c->id) return 0;
        } else if (strcmp(section, "policy") != 0) {
            set_msg(p, "unknown section [%s]: expected [policy] or [check NAME]%s", section, "");
            return 0;
        }
    }
    if (strcmp(section, "policy") == 0) {
        static const unsigned NAME = 1, JUDGE = 2, INC = 4;
        if (strcmp(name, "name") == 0) {
            if (!once(p, &p->policy_seen, NAME, name)) return 0;
            p->name = dup_or_oom(p, value);
            return p->name != NULL;
        }
        if (strcmp(name, "judge") == 0) {
            int j;
            if (!once(p, &p->policy_seen, JUDGE, name) || !parse_judge(p, value, &j)) return 0;
            p->judge = (judge)j;
            return 1;
        }
        if (strcmp(name, "inconclusive") == 0) {
            if (!once(p, &p->policy_seen, INC, name)) return 0;
            if (strcmp(value, "pass") == 0) p->inconclusive_fails = 0;
            else if (strcmp(value, "fail") == 0) p->inconclusive_fails = 1;
            else {
                set_msg(p, "invalid inconclusive '%s': expected pass or fail%s", value, "");
                return 0;
            }
            return 1;
        }
        set_msg(p, "unknown key '%s' in [policy]: expected name, judge or inconclusive%s", name, "");
        return 0;
    }
    {
        check *c = &p->checks[p->n_checks - 1];
        if (strcmp(name, "metric") == 0) {
            if (!once(p, &c->seen, 1, name)) return 0;
            if (!known_metric(value)) {
                set_msg(p, "unknown metric '%s'", value);
                return 0;
            }
            c->metric = dup_or_oom(p, value);
            return c->metric != NULL;
        }
        if (strcmp(name, "min") == 0 || strcmp(name, "max") == 0) {
            int is_min = name[1] == 'i';
            double v;
            if (!once(p, &c->seen, is_min ? 2u : 4u, name)) return 0;
            if (!parse_num(value, &v)) {
                set_msg(p, "invalid %s '%s': expected a number", name, value);
                return 0;
            }
            if (is_min) c->has_min = 1, c->min = v;
            else c->has_max = 1, c->max = v;
            return 1;
        }
        if (strcmp(name, "attributes") == 0 || strcmp(name, "attribute") == 0) {
            if (!once(p, &c->seen, 8, name)) return 0;
            return parse_attrs(p, c, value);
        }
        if (strcmp(name, "judge") == 0) {
            if (!once(p, &c->seen, 16, name)) return 0;
            return parse_judge(p, value, &c->judge);
        }
        if (strcmp(name, "vs_reference") == 0) {
            if (!once(p, &c->seen, 32, name)) return 0;
            if (strcmp(value, "ratio") != 0 && strcmp(value, "difference") != 0) {
                set_msg(p, "invalid vs_reference '%s': expected ratio or difference%s", value, "");
                return 0;
            }
            c->vs = dup_or_oom(p, value);
            return c->vs != NULL;
        }
        set_msg(p, "unknown key '%s' in a check: expected metric, min, max, attributes, judge or "
                   "vs_reference%s", name, "");
        return 0;
    }
}

/* inih's reader: the next line of the text, counted, so that a message knows its line. */
typedef struct {
    const char *s, *end;
    fair_policy *p;
} line_reader;

static char *read_line(char *str, int num, void *stream)
{
    line_reader *r = stream;
    size_t n = 0;
    if (r->s >= r->end || num < 2) return NULL;
    while (r->s + n < r->end && n < (size_t)num - 1) {
        if (r->s[n++] == '\n') break;
    }
    memcpy(str, r->s, n);
    str[n] = '\0';
    {
        const char *t = str;
        while (*t == ' ' || *t == '\t') t++;
        if (*t == '[') r->p->new_section = 1;
    }
    r->s += n;
    r->p->line++;
    return str;
}

void fair_policy_free(fair_policy *p)
{
    if (!p) return;
    for (size_t k = 0; k < p->n_checks; k++) {
        check *c = &p->checks[k];
        fair__free(c->id);
        fair__free(c->metric);
        fair__free(c->vs);
        for (size_t i = 0; i < c->n_attrs; i++) fair__free(c->attrs[i]);
    }
    fair__free(p->checks);
    fair__free(p->name);
    fair__free(p->section);
    fair__free(p);
}

/* After parsing: every check complete and consistent. */
static int validate(fair_policy *p, const char *file, fair_error *err, fair_status *st)
{
    for (size_t k = 0; k < p->n_checks; k++) {
        const check *c = &p->checks[k];
        const char *why = NULL;
        if (!c->metric) why = "has no metric";
        else if (!c->has_min && !c->has_max) why = "has neither min nor max";
        else if (c->has_min && c->has_max && c->min > c->max) why = "has min above max";
        else if (c->vs && !is_group_metric(c->metric))
            why = "compares with the reference a metric that has no comparison (vs_reference works for "
                  "the per-group rates: selection_rate, tpr, fpr, ...)";
        if (why) {
            *st = fair__fail(err, FAIR_EINVAL, "%s: check '%s' %s", file, c->id, why);
            return 0;
        }
    }
    if (p->n_checks == 0) {
        *st = fair__fail(err, FAIR_EINVAL, "%s: the policy has no checks ([check NAME] sections)", file);
        return 0;
    }
    return 1;
}

fair_status fair_policy_parse(const char *text, size_t len, const char *name, fair_policy **out,
                              fair_error *err)
{
    fair_policy *p;
    char *copy;
    int line;
    fair_status st = FAIR_OK;
    unsigned int hl = 0;
    *out = NULL;
    p = fair__calloc(1, sizeof *p);
    copy = fair__strndup(text, len);
    if (!p || !copy) {
        fair__free(p);
        fair__free(copy);
        return fair__fail(err, FAIR_ENOMEM, "out of memory reading '%s'", name);
    }
    if (EVP_Digest(text, len, p->sha256, &hl, EVP_sha256(), NULL) != 1 || hl != 32) p->oom = 1;
    {
        line_reader r = {copy, copy + strlen(copy), p};
        line = ini_parse_stream(read_line, &r, on_key, p);
    }
    fair__free(copy);
    if (p->oom || line == -2) {
        st = fair__fail(err, FAIR_ENOMEM, "out of memory reading '%s'", name);
    } else if (line != 0) {
        st = fair__fail_at(err, FAIR_EINVAL, (size_t)(line > 0 ? line : 0), 0, 0, "%s:%d: %s", name,
                           line, p->msg[0] && p->msg_line == line ? p->msg
                                           : "syntax error: expected [section], name = value, or a "
                                             "comment starting with ; or #");
    } else if (validate(p, name, err, &st) && !p->name) {
        p->name = fair__strdup(fair__utf8_valid((const unsigned char *)name, strlen(name)) ? name : "policy");
        if (!p->name) st = fair__fail(err, FAIR_ENOMEM, "out of memory reading '%s'", name);
    }
    if (st != FAIR_OK) {
        fair_policy_free(p);
        return st;
    }
    fair__free(p->section);
    p->section = NULL;
    *out = p;
    return FAIR_OK;
}

fair_status fair_policy_load(const char *path, fair_policy **out, fair_error *err)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    size_t n;
    fair_status st;
    *out = NULL;
    if (!fp) return fair__fail(err, FAIR_EIO, "cannot open policy '%s': %s", path, strerror(errno));
    buf = fair__malloc(MAX_POLICY_BYTES + 1);
    if (!buf) {
        fclose(fp);
        return fair__fail(err, FAIR_ENOMEM, "out of memory reading '%s'", path);
    }
    n = fread(buf, 1, MAX_POLICY_BYTES + 1, fp);
    if (ferror(fp)) st = fair__fail(err, FAIR_EIO, "cannot read policy '%s': %s", path, strerror(errno));
    else if (n > MAX_POLICY_BYTES) st = fair__fail(err, FAIR_EINVAL, "policy '%s' is larger than 1 MiB", path);
    else st = fair_policy_parse(buf, n, path, out, err);
    fclose(fp);
    fair__free(buf);
    return st;
}

/* ---- judging ---- */


/* Judges metric object `m` (may be NULL: not in the report) and appends the check. */
static void judge_one(fair__jctx *cx, json_t *arr, const fair_policy *p, const check *c, const char *attr,
                      const char *group, const json_t *m, const char *absent_reason)
{
    json_t *o = fair__jchk(cx, json_object());
    int j = c->judge >= 0 ? c->judge : (int)p->judge;
    double v = 0, lo = 0, hi = 0;
    int has_ci = 0, has_v = m ? fair__jmetric(m, &v, &lo, &hi, &has_ci) : 0;
    const char *outcome, *reason;
    fair__jset(cx, o, "check", fair__jchk(cx, json_string(c->id)));
    fair__jset(cx, o, "metric", fair__jchk(cx, json_string(c->metric)));
    if (c->vs) fair__jset(cx, o, "comparison", fair__jchk(cx, json_string(c->vs)));
    fair__jset(cx, o, "attribute", fair__jchk(cx, json_string(attr)));
    if (group) fair__jset(cx, o, "group", fair__jchk(cx, json_string(group)));
    if (c->has_min) fair__jset(cx, o, "min", fair__jchk(cx, json_real(c->min)));
    if (c->has_max) fair__jset(cx, o, "max", fair__jchk(cx, json_real(c->max)));
    fair__jset(cx, o, "judge", fair__jchk(cx, json_string(j == JUDGE_SIGNIFICANT ? "significant" : "point")));
    fair__jset(cx, o, "value", has_v ? fair__jchk(cx, json_real(v)) : fair__jchk(cx, json_null()));
    if (has_ci) {
        fair__jset(cx, o, "ci_low", fair__jchk(cx, json_real(lo)));
        fair__jset(cx, o, "ci_high", fair__jchk(cx, json_real(hi)));
    }
    if (!has_v) {
        const char *r = m ? fair__jstr(m, "reason") : NULL;
        outcome = "inconclusive";
        reason = r ? r : absent_reason ? absent_reason : "not in the report";
    } else if (j == JUDGE_POINT) {
        int ok = (!c->has_min || v >= c->min) && (!c->has_max || v <= c->max);
        outcome = ok ? "pass" : "fail";
        reason = ok ? "the estimate meets the threshold" : "the estimate is beyond the threshold";
    } else if (!has_ci) {
        outcome = "inconclusive";
        reason = "no interval to judge on (run with --bootstrap > 0 for intervals of summaries and "
                 "score metrics)";
    } else if ((c->has_min && hi < c->min) || (c->has_max && lo > c->max)) {
        outcome = "fail";
        reason = "the whole interval is beyond the threshold";
    } else if ((!c->has_min || lo >= c->min) && (!c->has_max || hi <= c->max)) {
        outcome = "pass";
        reason = "the whole interval meets the threshold";
    } else {
        outcome = "inconclusive";
        reason = "the interval straddles the threshold: the data cannot tell";
    }
    fair__jset(cx, o, "outcome", fair__jchk(cx, json_string(outcome)));
    fair__jset(cx, o, "reason", fair__jchk(cx, json_string(reason)));
    if (!o || json_array_append_new(arr, o) != 0) cx->failed = 1;
}

/* The metric object of a group for check c, or NULL (then *why says why). */
static const json_t *group_metric(const json_t *g, const check *c, const char **why)
{
    const char *names[256];
    const json_t *vals[256];
    size_t n;
    *why = NULL;
    if (json_is_true(json_object_get(g, "suppressed"))) {
        *why = "the group is suppressed (--suppress-below)";
        return NULL;
    }
    if (c->vs) {
        const json_t *r = json_object_get(json_object_get(json_object_get(g, "vs_reference"), c->metric), c->vs);
        if (!r) *why = "not in the report";
        return r;
    }
    n = fair__group_metrics(g, names, vals, 256);
    for (size_t k = 0; k < n; k++)
        if (strcmp(names[k], c->metric) == 0) return vals[k];
    *why = "not in the report (the score metrics need --score)";
    return NULL;
}

fair_status fair_policy_apply(const fair_policy *p, fair_report_doc *d, const char *path,
                              fair_policy_result *res, fair_error *err)
{
    json_t *results = json_object_get(d->root, "results"), *attrs = json_object_get(results, "attributes");
    json_t *pol, *arr, *run;
    fair__jctx cx = {0};
    size_t i, ai;
    json_t *at;
    char hex[65];
    memset(res, 0, sizeof *res);
    /* Every attribute a check names must be in the report. */
    for (size_t k = 0; k < p->n_checks; k++)
        for (size_t a = 0; a < p->checks[k].n_attrs; a++) {
            int found = 0;
            json_array_foreach(attrs, ai, at) {
                const char *nm = fair__jstr(at, "attribute");
                if (nm && strcmp(nm, p->checks[k].attrs[a]) == 0) found = 1;
            }
            if (!found) {
                char msg[400] = "";
                json_array_foreach(attrs, ai, at) {
                    size_t len = strlen(msg);
                    fair__snprintf(msg + len, sizeof msg - len, "%s'%s'", ai ? ", " : "", fair__jstr(at, "attribute"));
                }
                return fair__fail(err, FAIR_EINVAL,
                                  "check '%s' of the policy names attribute '%s', which the report does "
                                  "not have; its attributes: %s",
                                  p->checks[k].id, p->checks[k].attrs[a], msg[0] ? msg : "none");
            }
        }
    pol = fair__jchk(&cx, json_object());
    arr = fair__jchk(&cx, json_array());
    for (size_t k = 0; k < 32; k++) {
        static const char hx[] = "0123456789abcdef";
        hex[2 * k] = hx[p->sha256[k] >> 4];
        hex[2 * k + 1] = hx[p->sha256[k] & 15u];
    }
    hex[64] = '\0';
    fair__jset(&cx, pol, "name", fair__jchk(&cx, json_string(p->name)));
    fair__jset(&cx, pol, "sha256", fair__jchk(&cx, json_string(hex)));
    fair__jset(&cx, pol, "judge", fair__jchk(&cx, json_string(p->judge == JUDGE_SIGNIFICANT ? "significant" : "point")));
    fair__jset(&cx, pol, "inconclusive_fails", fair__jchk(&cx, json_boolean(p->inconclusive_fails)));
    for (size_t k = 0; k < p->n_checks && !cx.failed; k++) {
        const check *c = &p->checks[k];
        json_array_foreach(attrs, ai, at) {
            const char *an = fair__jstr(at, "attribute");
            const json_t *sum = json_object_get(json_object_get(at, "summary"), c->metric), *g;
            int wanted = c->n_attrs == 0;
            for (size_t a = 0; a < c->n_attrs; a++) wanted |= an && strcmp(an, c->attrs[a]) == 0;
            if (!wanted || !an) continue;
            if (sum && !c->vs && json_is_object(sum)) {
                judge_one(&cx, arr, p, c, an, NULL, sum, NULL);
                continue;
            }
            json_array_foreach(json_object_get(at, "groups"), i, g) {
                const char *why;
                const json_t *m;
                if (c->vs && json_is_true(json_object_get(g, "is_reference"))) continue;
                m = group_metric(g, c, &why);
                if (m && json_is_true(json_object_get(g, "too_small"))) {
                    /* Too small to judge: recorded, never a verdict. */
                    judge_one(&cx, arr, p, c, an, fair__jstr(g, "group"), NULL,
                              "the group is smaller than --min-group-size");
                    continue;
                }
                judge_one(&cx, arr, p, c, an, fair__jstr(g, "group"), m, why);
            }
        }
    }
    json_array_foreach(arr, i, at) {
        const char *o = fair__jstr(at, "outcome");
        if (!o) continue;
        if (strcmp(o, "pass") == 0) res->passed++;
        else if (strcmp(o, "fail") == 0) res->failed++;
        else res->inconclusive++;
    }
    res->run_fails = res->failed > 0 || (p->inconclusive_fails && res->inconclusive > 0);
    fair__jset(&cx, pol, "passed", fair__jchk(&cx, json_integer((json_int_t)res->passed)));
    fair__jset(&cx, pol, "failed", fair__jchk(&cx, json_integer((json_int_t)res->failed)));
    fair__jset(&cx, pol, "inconclusive", fair__jchk(&cx, json_integer((json_int_t)res->inconclusive)));
    fair__jset(&cx, pol, "outcome", fair__jchk(&cx, json_string(res->run_fails ? "fail" : "pass")));
    fair__jset(&cx, pol, "checks", arr);
    fair__jset(&cx, results, "policy", pol);
    run = json_object_get(d->root, "run");
    if (run && path && fair__utf8_valid((const unsigned char *)path, strlen(path))) fair__jset(&cx, run, "policy_path", fair__jchk(&cx, json_string(path)));
    if (cx.failed) return fair__fail(err, FAIR_ENOMEM, "out of memory judging the policy");
    return FAIR_OK;
}

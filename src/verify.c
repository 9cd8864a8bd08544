/* verify.c -- the auditor's re-run: read a JSON report, check that the input is the one it
 * records (SHA-256), re-run the audit with the options it records and compare the results. */
#include <string.h>
#include "internal.h"
#include "report_internal.h"

#define MAX_REFS 64

static void hex32(const unsigned char d[32], char out[65])
{
    static const char hx[] = "0123456789abcdef";
    for (size_t k = 0; k < 32; k++) {
        out[2 * k] = hx[d[k] >> 4];
        out[2 * k + 1] = hx[d[k] & 15u];
    }
    out[64] = '\0';
}

/* SHA-256 of a file as stored, read through the same source as the audit. */
static fair_status file_sha256(const char *path, char out[65], fair_error *err)
{
    fair__source src;
    unsigned char d[32];
    fair_status st;
    FAIR__FORWARD(fair__source_open(&src, path, err));
    if (!src.is_regular) {
        char *buf = fair__malloc(1 << 16);
        size_t got;
        src.max_ratio = 0;
        st = buf ? FAIR_OK : fair__fail(err, FAIR_ENOMEM, "out of memory");
        /* A stream is hashed as it is read: read it to its end (raw bytes: no inflating). */
        src.gzip = 0;
        while (st == FAIR_OK && (st = fair__source_read(&src, buf, 1 << 16, &got, err)) == FAIR_OK && got) {
        }
        fair__free(buf);
        if (st != FAIR_OK) {
            fair__source_close(&src);
            return st;
        }
    }
    st = fair__source_sha256(&src, d, err);
    fair__source_close(&src);
    if (st == FAIR_OK) hex32(d, out);
    return st;
}

/* Whether two JSON values are the same report content. Numbers compare by value, so that a
 * report that went through another JSON tool (jq writes 0.0 as 0) still compares. */
static int same(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) return json_number_value(a) == json_number_value(b);
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        const json_t *va;
        if (json_object_size(a) != json_object_size(b)) return 0;
        json_object_foreach((json_t *)a, key, va)
            if (!same(va, json_object_get(b, key))) return 0;
        return 1;
    }
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b)) return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i))) return 0;
        return 1;
    }
    return json_equal(a, b);
}

/* The first place where a and b differ, as a jq path, into `where`. */
static void first_difference(const json_t *a, const json_t *b, char *where, size_t cap)
{
    size_t n = strlen(where);
    if (json_is_object(a) && json_is_object(b)) {
        const char *key;
        const json_t *va;
        json_object_foreach((json_t *)a, key, va) {
            const json_t *vb = json_object_get(b, key);
            if (!vb || !same(va, vb)) {
                fair__snprintf(where + n, cap - n, ".%s", key);
                if (vb) first_difference(va, vb, where, cap);
                return;
            }
        }
        fair__snprintf(where + n, cap - n, " (keys added)");
        return;
    }
    if (json_is_array(a) && json_is_array(b)) {
        for (size_t i = 0; i < json_array_size(a) && i < json_array_size(b); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i))) {
                fair__snprintf(where + n, cap - n, "[%zu]", i);
                first_difference(json_array_get(a, i), json_array_get(b, i), where, cap);
                return;
            }
        fair__snprintf(where + n, cap - n, " (length %zu, now %zu)", json_array_size(a), json_array_size(b));
    }
}

static int sw(const json_t *o, const char *key, const char *val)
{
    const char *s = fair__jstr(o, key);
    return s && strcmp(s, val) == 0;
}

fair_status fair_verify(const char *report_path, const char *input, size_t n_threads,
                        fair_verify_result *res, fair_error *err)
{
    fair_report_doc *doc = NULL, *now = NULL;
    fair_audit *a = NULL;
    fair_audit_options o;
    const json_t *results, *opt, *boot, *attrs, *at, *x;
    const char *groups[MAX_REFS], *refs[MAX_REFS];
    char refbuf[MAX_REFS][512];
    double thresholds[64], v;
    size_t i, ng = 0, nr = 0, nt = 0;
    fair_status st;
    json_t *r1 = NULL, *r2 = NULL;

    memset(res, 0, sizeof *res);
    FAIR__FORWARD(fair_report_doc_load(report_path, &doc, err));
    results = json_object_get(doc->root, "results");
    opt = json_object_get(results, "options");
    boot = json_object_get(opt, "bootstrap");
    attrs = json_object_get(results, "attributes");
    if (strcmp(fair__doc_kind(doc->root), "audit") != 0 || !sw(results, "kind", "classification_audit")) {
        st = fair__fail(err, FAIR_EINVAL, "'%s' is a %s report: verify re-runs audits", report_path,
                        fair__doc_kind(doc->root));
        goto out;
    }
    if (!input) input = fair__jstr(json_object_get(doc->root, "run"), "input_path");
    if (!input || strcmp(input, "-") == 0) {
        st = fair__fail(err, FAIR_EINVAL, "the report's input was standard input: give the file with --input");
        goto out;
    }
    fair__snprintf(res->input, sizeof res->input, "%s", input);
    fair__snprintf(res->expected_sha256, sizeof res->expected_sha256, "%s",
                   fair__jstr(json_object_get(results, "input"), "sha256") ? fair__jstr(json_object_get(results, "input"), "sha256") : "");
    st = file_sha256(input, res->actual_sha256, err);
    if (st != FAIR_OK) goto out;
    if (strcmp(res->expected_sha256, res->actual_sha256) != 0) {
        res->outcome = FAIR_VERIFY_INPUT_CHANGED;
        goto out;
    }
    /* The options, as the report records them (docs/json-schema.md, results.options). */
    fair_audit_options_init(&o);
    json_array_foreach(json_object_get(opt, "group_columns"), i, x)
        if (json_is_string(x) && ng < MAX_REFS) groups[ng++] = json_string_value(x);
    o.group_cols = groups;
    o.n_group_cols = ng;
    o.label_col = fair__jstr(opt, "label_column");
    o.pred_col = fair__jstr(opt, "prediction_column");
    o.score_col = fair__jstr(opt, "score_column");
    if (fair__jnum(opt, "threshold", &o.threshold)) o.use_threshold = 1;
    o.label_positive = fair__jstr(opt, "label_positive");
    o.pred_positive = fair__jstr(opt, "prediction_positive");
    if (fair__jstr(opt, "delimiter")) o.delimiter = fair__jstr(opt, "delimiter")[0];
    o.decimal = json_is_true(json_object_get(opt, "decimal_comma")) ? ',' : '.';
    if (json_is_number(json_array_get(json_object_get(opt, "score_range"), 0))) {
        o.score_min = json_number_value(json_array_get(json_object_get(opt, "score_range"), 0));
        o.score_max = json_number_value(json_array_get(json_object_get(opt, "score_range"), 1));
    }
    if (fair__jnum(opt, "calibration_bins", &v)) o.calibration_bins = (size_t)v;
    o.quantile_binning = sw(opt, "binning", "quantile");
    if (fair__jnum(opt, "max_distinct_scores", &v)) o.max_distinct_scores = (size_t)v;
    o.strict = json_is_true(json_object_get(opt, "strict"));
    o.intersect = json_is_true(json_object_get(opt, "intersect"));
    o.reference_rule = sw(opt, "reference_rule", "best") ? FAIR_REFERENCE_BEST : FAIR_REFERENCE_LARGEST;
    o.favourable = json_is_true(json_object_get(opt, "favourable_selection"));
    if (fair__jnum(opt, "min_group_size", &v)) o.min_group_size = (uint64_t)v;
    if (fair__jnum(opt, "suppress_below", &v)) o.suppress_below = (uint64_t)v;
    fair__jnum(opt, "ci_level", &o.ci_level);
    o.interval = sw(opt, "interval", "clopper_pearson") ? FAIR_INTERVAL_CLOPPER_PEARSON : FAIR_INTERVAL_WILSON;
    o.p_adjust = sw(opt, "p_adjust", "bh") ? FAIR_P_ADJUST_BH : sw(opt, "p_adjust", "none") ? FAIR_P_ADJUST_NONE : FAIR_P_ADJUST_HOLM;
    o.bootstrap = (uint64_t)json_integer_value(json_object_get(boot, "replicates"));
    o.seed = (uint64_t)json_integer_value(json_object_get(boot, "seed"));
    o.boot_scheme = sw(boot, "scheme", "simple") ? FAIR_BOOT_SIMPLE : FAIR_BOOT_STRATIFIED;
    o.boot_ci = sw(boot, "primary_interval", "bca") ? FAIR_BOOT_CI_BCA : FAIR_BOOT_CI_PERCENTILE;
    /* The report was made from this very input (its SHA-256 matched), with whatever limits its
     * maker set; the limits that cannot change results are not recorded, so they are lifted
     * here rather than refusing a large audit: the gzip ratio and the number of groups. */
    o.max_gzip_ratio = 0;
    o.max_groups = (size_t)1 << 40;
    o.n_threads = n_threads;
    /* Per attribute: a reference chosen by value, the what-if thresholds and the top k. */
    json_array_foreach(attrs, i, at) {
        const json_t *t;
        size_t k;
        if (sw(at, "reference_rule", "value") && nr < MAX_REFS && fair__jstr(at, "attribute") &&
            fair__jstr(at, "reference")) {
            fair__snprintf(refbuf[nr], sizeof refbuf[nr], "%s=%s", fair__jstr(at, "attribute"),
                           fair__jstr(at, "reference"));
            refs[nr] = refbuf[nr];
            nr++;
        }
        if (i == 0) {
            json_array_foreach(json_object_get(at, "at_thresholds"), k, t)
                if (nt < 64 && fair__jnum(t, "threshold", &thresholds[nt])) nt++;
            if (fair__jnum(json_object_get(at, "top_k"), "requested", &v)) o.top_k = (uint64_t)v;
        }
    }
    o.references = refs;
    o.n_references = nr;
    o.thresholds = thresholds;
    o.n_thresholds = nt;
    st = fair_audit_run(input, &o, &a, err);
    if (st != FAIR_OK) goto out;
    st = fair_report_doc_create(a, NULL, &now, err);
    if (st != FAIR_OK) goto out;
    r1 = json_deep_copy(results);
    r2 = json_deep_copy(json_object_get(now->root, "results"));
    if (!r1 || !r2) {
        st = fair__fail(err, FAIR_ENOMEM, "out of memory comparing the results");
        goto out;
    }
    json_object_del(r1, "policy");
    json_object_del(r2, "policy");
    if (!same(r1, r2)) {
        res->outcome = FAIR_VERIFY_DIFFER;
        fair__snprintf(res->where, sizeof res->where, ".results");
        first_difference(r1, r2, res->where, sizeof res->where);
    }
out:
    json_decref(r1);
    json_decref(r2);
    fair_report_doc_free(now);
    fair_audit_free(a);
    fair_report_doc_free(doc);
    return st;
}

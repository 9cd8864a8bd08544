/* test_compare.c -- `compare` and the history database, on small reports written here.
 *
 * Known answer: for two proportions with Wilson intervals, the MOVER interval of the change
 * (Zou and Donner 2008) is Newcombe's (1998) hybrid score interval, method 10. statsmodels
 * 0.13.5: confint_proportions_2indep(37, 113, 52, 131, method='newcomb', compare='diff',
 * alpha=0.05) -> (-0.18638504565172945, 0.051416931318454026); the same figures test
 * fair_stats_newcombe_diff() in test_stats.c. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fair_test.h"
#include <fairaudit/fairaudit.h>

#define REL_EXACT 1e-13

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/fair_compare_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *text)
{
    char p[128];
    FILE *f;
    path_of(p, sizeof p, name);
    f = fopen(p, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* A report with attribute "g": group `g1` with x1 of n1 selected, group `g2` with x2 of n2
 * (no g2 when n2 == 0), Wilson intervals as the primary interval. */
static void write_report(const char *name, const char *kind, double level, const char *g1,
                         uint64_t x1, uint64_t n1, const char *g2, uint64_t x2, uint64_t n2)
{
    char text[4096], grp2[1024] = "";
    double lo1, hi1, lo2, hi2;
    assert_int_equal(fair_stats_wilson(x1, n1, level, &lo1, &hi1), FAIR_OK);
    if (n2) {
        assert_int_equal(fair_stats_wilson(x2, n2, level, &lo2, &hi2), FAIR_OK);
        snprintf(grp2, sizeof grp2,
                 ",{\"group\":\"%s\",\"n\":%llu,\"metrics\":{\"selection_rate\":{\"value\":%.17g,"
                 "\"ci_low\":%.17g,\"ci_high\":%.17g,\"ci_method\":\"wilson\"}}}",
                 g2, (unsigned long long)n2, (double)x2 / (double)n2, lo2, hi2);
    }
    snprintf(text, sizeof text,
             "{\"schema_version\":1,\"tool\":{\"name\":\"fairaudit\",\"version\":\"0.1.0\"},"
             "\"results\":{\"kind\":\"%s\",\"options\":{\"ci_level\":%g,\"label_column\":\"y\"},"
             "\"rows\":{\"read\":%llu,\"used\":%llu,\"skipped\":{\"total\":0}},"
             "\"attributes\":[{\"attribute\":\"g\",\"groups\":[{\"group\":\"%s\",\"n\":%llu,"
             "\"metrics\":{\"selection_rate\":{\"value\":%.17g,\"ci_low\":%.17g,\"ci_high\":%.17g,"
             "\"ci_method\":\"wilson\"},\"tpr\":{\"value\":null,\"reason\":\"no positives\"}}}%s],"
             "\"summary\":{\"demographic_parity_ratio\":{\"value\":0.5}}}]},"
             "\"run\":{\"timestamp\":\"2026-01-01T00:00:00Z\"}}",
             kind, level, (unsigned long long)(n1 + n2), (unsigned long long)(n1 + n2), g1,
             (unsigned long long)n1, (double)x1 / (double)n1, lo1, hi1, grp2);
    write_file(name, text);
}

/* Runs the comparison and returns its JSON document. */
static json_t *compare_json(const char *base, const char *cur, fair_compare **keep)
{
    char pb[128], pc[128], *buf = NULL;
    size_t len = 0;
    fair_compare *c = NULL;
    fair_error err;
    FILE *mem;
    json_t *doc;
    path_of(pb, sizeof pb, base);
    path_of(pc, sizeof pc, cur);
    fair_error_init(&err);
    assert_int_equal(fair_compare_files(pb, pc, NULL, &c, &err), FAIR_OK);
    mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    assert_int_equal(fair_compare_write(c, FAIR_FORMAT_JSON, 0, NULL, mem, &err), FAIR_OK);
    fclose(mem);
    doc = json_loadb(buf, len, 0, NULL);
    free(buf);
    assert_non_null(doc);
    if (keep) *keep = c;
    else fair_compare_free(c);
    return doc;
}

static json_t *group_changes(json_t *doc, size_t attr, const char *group)
{
    json_t *groups = json_object_get(json_array_get(json_object_get(json_object_get(doc, "results"),
                                                                    "attributes"), attr), "groups");
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g) {
        if (strcmp(json_string_value(json_object_get(g, "group")), group) == 0) return g;
    }
    return NULL;
}

static void test_mover_is_newcombe(void **state)
{
    fair_compare *c;
    json_t *doc, *g, *sr;
    (void)state;
    write_report("b.json", "classification_audit", 0.95, "a", 52, 131, NULL, 0, 0);
    write_report("c.json", "classification_audit", 0.95, "a", 37, 113, NULL, 0, 0);
    doc = compare_json("b.json", "c.json", &c);
    g = group_changes(doc, 0, "a");
    assert_non_null(g);
    assert_string_equal(json_string_value(json_object_get(g, "status")), "both");
    sr = json_object_get(json_object_get(g, "metrics"), "selection_rate");
    assert_rel(json_real_value(json_object_get(sr, "value")), 37.0 / 113 - 52.0 / 131, REL_EXACT);
    assert_rel(json_real_value(json_object_get(sr, "ci_low")), -0.18638504565172945, REL_EXACT);
    assert_rel(json_real_value(json_object_get(sr, "ci_high")), 0.051416931318454026, REL_EXACT);
    assert_false(json_boolean_value(json_object_get(sr, "significant")));
    assert_string_equal(json_string_value(json_object_get(sr, "ci_method")), "mover");
    /* An undefined figure is not compared, with a reason. */
    sr = json_object_get(json_object_get(g, "metrics"), "tpr");
    assert_true(json_is_null(json_object_get(sr, "value")));
    assert_non_null(json_string_value(json_object_get(sr, "reason")));
    /* selection_rate, n (no interval) and the summary (no interval) are compared. */
    assert_int_equal(fair_compare_n_compared(c), 3);
    assert_int_equal(fair_compare_n_significant(c), 0);
    assert_int_equal(fair_compare_n_option_changes(c), 0);
    fair_compare_free(c);
    json_decref(doc);
}

static void test_significant_and_groups(void **state)
{
    fair_compare *c;
    json_t *doc, *sr, *oc;
    (void)state;
    /* 90/200 -> 40/200: Newcombe's interval of -0.25 lies wholly below 0. R 4.2.2, Newcombe's
     * formula on R's Wilson intervals:
     *   w1 <- prop.test(40, 200, correct = FALSE)$conf.int
     *   w2 <- prop.test(90, 200, correct = FALSE)$conf.int
     *   d <- 0.2 - 0.45
     *   c(d - sqrt((0.2 - w1[1])^2 + (w2[2] - 0.45)^2), d + sqrt((w1[2] - 0.2)^2 + (0.45 - w2[1])^2))
     *   -> -0.33514525211263746 -0.15922207767928395 */
    write_report("b2.json", "classification_audit", 0.95, "a", 90, 200, "old", 5, 50);
    write_report("c2.json", "classification_audit", 0.9, "a", 40, 200, "zzz", 5, 50);
    doc = compare_json("b2.json", "c2.json", &c);
    assert_int_equal(fair_compare_n_new_groups(c), 1);
    assert_int_equal(fair_compare_n_vanished_groups(c), 1);
    assert_string_equal(json_string_value(json_object_get(group_changes(doc, 0, "old"), "status")), "vanished");
    assert_string_equal(json_string_value(json_object_get(group_changes(doc, 0, "zzz"), "status")), "new");
    /* The level differs (0.95 -> 0.9): an option change, and the current interval is a 90 %
     * one, so the figure's interval is not Newcombe's 95 % one; only significance is checked. */
    assert_int_equal(fair_compare_n_option_changes(c), 1);
    oc = json_array_get(json_object_get(json_object_get(doc, "results"), "option_changes"), 0);
    assert_string_equal(json_string_value(json_object_get(oc, "option")), "ci_level");
    sr = json_object_get(json_object_get(group_changes(doc, 0, "a"), "metrics"), "selection_rate");
    assert_true(json_boolean_value(json_object_get(sr, "significant")));
    assert_true(json_real_value(json_object_get(sr, "ci_high")) < 0);
    fair_compare_free(c);
    json_decref(doc);

    write_report("c3.json", "classification_audit", 0.95, "a", 40, 200, "old", 5, 50);
    doc = compare_json("b2.json", "c3.json", NULL);
    sr = json_object_get(json_object_get(group_changes(doc, 0, "a"), "metrics"), "selection_rate");
    assert_rel(json_real_value(json_object_get(sr, "ci_low")), -0.33514525211263746, REL_EXACT);
    assert_rel(json_real_value(json_object_get(sr, "ci_high")), -0.15922207767928395, REL_EXACT);
    json_decref(doc);
}

static fair_status try_compare(const char *base_text, const char *cur_name, fair_error *err)
{
    char pb[128], pc[128];
    fair_compare *c = (fair_compare *)1;
    fair_status st;
    write_file("bad.json", base_text);
    path_of(pb, sizeof pb, "bad.json");
    path_of(pc, sizeof pc, cur_name);
    fair_error_init(err);
    st = fair_compare_files(pb, pc, NULL, &c, err);
    assert_null(c);
    return st;
}

static void test_bad_reports(void **state)
{
    fair_error err;
    (void)state;
    write_report("ok.json", "classification_audit", 0.95, "a", 1, 2, NULL, 0, 0);
    assert_int_equal(try_compare("{\"a\": [1, 2,\n  }", "ok.json", &err), FAIR_EDATA);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "invalid JSON"));
    assert_int_equal(try_compare("{\"results\": {}}", "ok.json", &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "not a fairaudit report"));
    assert_int_equal(try_compare("{\"schema_version\": 99, \"tool\": {\"name\": \"fairaudit\"}, "
                                 "\"results\": {}}", "ok.json", &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "schema_version"));
    assert_int_equal(try_compare("{\"schema_version\": 1, \"tool\": {\"name\": \"fairaudit\"}, "
                                 "\"results\": {}, \"results\": {}}", "ok.json", &err), FAIR_EDATA);
    write_report("ratio.json", "ratio_study", 0.95, "a", 1, 2, NULL, 0, 0);
    assert_int_equal(try_compare("{\"schema_version\": 1, \"tool\": {\"name\": \"fairaudit\"}, "
                                 "\"results\": {\"kind\": \"classification_audit\"}}", "ratio.json", &err),
                     FAIR_EDATA);
    assert_non_null(strstr(err.msg, "different kinds"));
    assert_int_equal(try_compare("{}", "missing.json", &err), FAIR_EDATA);
    write_file("ok2.json", "");
    assert_int_equal(try_compare("{\"schema_version\": 1, \"tool\": {\"name\": \"fairaudit\"}, "
                                 "\"results\": {}}", "nonexistent/x.json", &err), FAIR_EIO);
}

/* ---- history ---- */

static char *read_all(const char *name, size_t *len)
{
    char p[128], *buf = NULL;
    FILE *f;
    long n;
    path_of(p, sizeof p, name);
    f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void test_history_roundtrip(void **state)
{
    char db[128], *text, *out = NULL;
    size_t len, olen = 0;
    int64_t id = 0;
    uint64_t runs = 0;
    fair_error err;
    fair_history_query q;
    FILE *mem;
    json_t *doc, *pts;
    (void)state;
    path_of(db, sizeof db, "h.db");
    write_report("h1.json", "classification_audit", 0.95, "a", 52, 131, NULL, 0, 0);
    write_report("h2.json", "classification_audit", 0.95, "a", 37, 113, NULL, 0, 0);
    fair_error_init(&err);
    text = read_all("h1.json", &len);
    assert_int_equal(fair_history_append(db, text, len, 1000, &id, &err), FAIR_OK);
    assert_int_equal(id, 1);
    free(text);
    text = read_all("h2.json", &len);
    assert_int_equal(fair_history_append(db, text, len, 1000, &id, &err), FAIR_OK);
    assert_int_equal(id, 2);
    free(text);
    assert_int_equal(fair_history_check(db, &runs, &err), FAIR_OK);
    assert_int_equal(runs, 2);

    fair_history_query_init(&q);
    q.metric = "selection_rate";
    q.group = "a";
    mem = open_memstream(&out, &olen);
    assert_int_equal(fair_history_write(db, &q, NULL, 0, FAIR_FORMAT_JSON, mem, &err), FAIR_OK);
    fclose(mem);
    doc = json_loadb(out, olen, 0, NULL);
    free(out);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(json_object_get(doc, "results"), "series")), 1);
    pts = json_object_get(json_array_get(json_object_get(json_object_get(doc, "results"), "series"), 0), "points");
    assert_int_equal(json_array_size(pts), 2);
    assert_rel(json_real_value(json_object_get(json_array_get(pts, 0), "value")), 52.0 / 131, REL_EXACT);
    assert_rel(json_real_value(json_object_get(json_array_get(pts, 1), "value")), 37.0 / 113, REL_EXACT);
    /* The stored interval is the report's (Wilson, R: prop.test(37, 113, correct = FALSE)). */
    assert_rel(json_real_value(json_object_get(json_array_get(pts, 1), "ci_low")), 0.24782818830455555, REL_EXACT);
    json_decref(doc);

    /* Nothing matches: an error that names the selection. */
    q.metric = "no_such_metric";
    mem = open_memstream(&out, &olen);
    assert_int_equal(fair_history_write(db, &q, NULL, 0, FAIR_FORMAT_TEXT, mem, &err), FAIR_EINVAL);
    fclose(mem);
    free(out);
    assert_non_null(strstr(err.msg, "no_such_metric"));

    /* Not a report: refused before the database is touched. */
    assert_int_equal(fair_history_append(db, "{}", 2, 1000, NULL, &err), FAIR_EDATA);
    assert_int_equal(fair_history_check(db, &runs, &err), FAIR_OK);
    assert_int_equal(runs, 2);
}

static void test_history_foreign_files(void **state)
{
    char db[128], cmd[256], *text;
    size_t len;
    fair_error err;
    (void)state;
    write_report("f.json", "classification_audit", 0.95, "a", 1, 2, NULL, 0, 0);
    text = read_all("f.json", &len);
    fair_error_init(&err);
    /* A text file is not a database. */
    write_file("notes.db", "these are not the droids you are looking for\n");
    path_of(db, sizeof db, "notes.db");
    assert_int_equal(fair_history_append(db, text, len, 1000, NULL, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "not a fairaudit history"));
    /* A newer schema is refused with the versions named. */
    path_of(db, sizeof db, "new.db");
    assert_int_equal(fair_history_append(db, text, len, 1000, NULL, &err), FAIR_OK);
    snprintf(cmd, sizeof cmd, "%s/new.db", tmpdir);
    {
        /* Raise user_version by hand, as a later fairaudit would. The header field is 4 bytes
         * big-endian at offset 60 of an SQLite file (sqlite.org/fileformat.html). */
        FILE *f = fopen(cmd, "r+b");
        unsigned char v[4] = {0, 0, 0, 99};
        assert_non_null(f);
        assert_int_equal(fseek(f, 60, SEEK_SET), 0);
        assert_int_equal(fwrite(v, 1, 4, f), 4);
        fclose(f);
    }
    assert_int_equal(fair_history_append(db, text, len, 1000, NULL, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "newer"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mover_is_newcombe),
        cmocka_unit_test(test_significant_and_groups),
        cmocka_unit_test(test_bad_reports),
        cmocka_unit_test(test_history_roundtrip),
        cmocka_unit_test(test_history_foreign_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

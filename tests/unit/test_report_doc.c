/* test_report_doc.c -- the report document read from a file: a ratio study's document (kind
 * "ratio", the shape the ratio study writes: attributes, groups, statistics with intervals)
 * judged with the shipped IAAO policy and rendered in every format the document supports; the
 * expected outcomes follow by hand from the IAAO ranges (docs/policies/iaao.ini). Also the
 * errors of fair_report_doc_load(). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fair_test.h"
#include "internal.h"
#include "report_internal.h"

/* Two neighbourhoods: A within every range, B with COD 18.2 (> 15) and PRD 1.05 (> 1.03), its
 * median ratio 0.95 inside 0.90-1.10. The statistics sit in a group's "statistics" object;
 * the writers and the policy find them by their {value, ...} shape. */
static const char ratio_json[] =
    "{\"schema_version\":2,\"kind\":\"ratio\",\"tool\":{\"name\":\"fairaudit\",\"version\":\"0.1.0\"},"
    "\"results\":{\"kind\":\"ratio_study\",\"attributes\":[{\"attribute\":\"neighbourhood\",\"groups\":["
    "{\"group\":\"A\",\"n\":812,\"statistics\":{\"median_ratio\":{\"value\":0.98,\"ci_low\":0.97,\"ci_high\":0.99},"
    "\"cod\":{\"value\":9.1,\"ci_low\":8.4,\"ci_high\":9.9},\"prd\":{\"value\":1.01,\"ci_low\":1.0,\"ci_high\":1.02},"
    "\"prb\":{\"value\":-0.012,\"ci_low\":-0.03,\"ci_high\":0.006}}},"
    "{\"group\":\"B <b>\",\"n\":97,\"statistics\":{\"median_ratio\":{\"value\":0.95,\"ci_low\":0.91,\"ci_high\":0.99},"
    "\"cod\":{\"value\":18.2,\"ci_low\":14.1,\"ci_high\":22.9},\"prd\":{\"value\":1.05,\"ci_low\":1.02,\"ci_high\":1.08},"
    "\"prb\":{\"value\":-0.041,\"ci_low\":-0.09,\"ci_high\":0.008}}}]}],"
    "\"unknown_section\":{\"x\":1}},\"run\":{\"input_path\":\"sales.csv\"}}";

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/fair_doc_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static char *render(fair_report_doc *d, fair_format f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fair_error err;
    assert_non_null(m);
    assert_int_equal(fair_report_doc_write(d, f, 0, m, &err), FAIR_OK);
    fclose(m);
    return buf;
}

static void test_ratio_document(void **state)
{
    char *path = write_tmp(ratio_json), *html, *csv, *md, *xml;
    fair_report_doc *d = NULL;
    fair_policy *p = NULL;
    fair_policy_result r;
    fair_error err;
    const json_t *checks;
    (void)state;
    assert_int_equal(fair_report_doc_load(path, &d, &err), FAIR_OK);
    assert_string_equal(fair_report_doc_kind(d), "ratio");
    assert_int_equal(fair_policy_load(FAIR_SOURCE_DIR "/docs/policies/iaao.ini", &p, &err), FAIR_OK);
    assert_int_equal(fair_policy_apply(p, d, NULL, &r, &err), FAIR_OK);
    /* 6 checks x 2 groups: A passes its 4 statistics; B fails cod and prd and passes
     * median_ratio and prb; mki and vei are not in the document: 4 inconclusive. */
    assert_int_equal(r.passed, 6);
    assert_int_equal(r.failed, 2);
    assert_int_equal(r.inconclusive, 4);
    assert_true(r.run_fails);
    checks = json_object_get(json_object_get(json_object_get(d->root, "results"), "policy"), "checks");
    assert_int_equal(json_array_size(checks), 12);
    /* The text format needs an audit. */
    assert_int_equal(fair_report_doc_write(d, FAIR_FORMAT_TEXT, 0, stdout, &err), FAIR_EINVAL);
    html = render(d, FAIR_FORMAT_HTML);
    assert_non_null(strstr(html, "<svg"));
    assert_non_null(strstr(html, "B &lt;b&gt;"));
    assert_null(strstr(html, "B <b>"));
    assert_non_null(strstr(html, "2 of 12 checks"));
    csv = render(d, FAIR_FORMAT_CSV);
    assert_non_null(strstr(csv, "neighbourhood,B <b>,97,cod,,18.199999999999999,14.1,22.899999999999999,,\r\n"));
    md = render(d, FAIR_FORMAT_MARKDOWN);
    assert_non_null(strstr(md, "| median\\_ratio | cod | prd | prb |"));
    xml = render(d, FAIR_FORMAT_JUNIT);
    assert_non_null(strstr(xml, "tests=\"12\" failures=\"2\" errors=\"0\" skipped=\"4\""));
    free(html);
    free(csv);
    free(md);
    free(xml);
    fair_policy_free(p);
    fair_report_doc_free(d);
    unlink(path);
    free(path);
}

/* A ratio study's sales as a whole and its value strata: every writer that renders a ratio
 * study shows them, with the figures of the document (chosen exact in binary, so the CSV's 17
 * significant digits print them as written here). */
static const char ratio_sets_json[] =
    "{\"schema_version\":2,\"kind\":\"ratio\",\"tool\":{\"name\":\"fairaudit\",\"version\":\"0.1.0\"},"
    "\"results\":{\"kind\":\"ratio_study\","
    "\"overall\":{\"group\":\"all\",\"n\":909,\"statistics\":{"
    "\"median_ratio\":{\"value\":1.125,\"ci_low\":1.0625,\"ci_high\":1.25},"
    "\"cod\":{\"value\":9.5,\"ci_low\":8.25,\"ci_high\":10.75}}},"
    "\"attributes\":[{\"attribute\":\"neighbourhood\",\"groups\":["
    "{\"group\":\"A\",\"n\":909,\"statistics\":{\"median_ratio\":{\"value\":1.125},\"cod\":{\"value\":9.5}}}]}],"
    "\"strata\":{\"basis\":\"value_proxy\",\"groups\":["
    "{\"stratum\":\"Q1\",\"n\":455,\"range\":[100000,200000],\"statistics\":{"
    "\"median_ratio\":{\"value\":1.25,\"ci_low\":1.125,\"ci_high\":1.375},"
    "\"cod\":{\"value\":12.5,\"ci_low\":10.25,\"ci_high\":14.75}}},"
    "{\"stratum\":\"Q2\",\"n\":454,\"range\":[200000,900000],\"statistics\":{"
    "\"median_ratio\":{\"value\":1.0,\"ci_low\":0.875,\"ci_high\":1.125},"
    "\"cod\":{\"value\":6.5,\"ci_low\":5.25,\"ci_high\":7.75}}}]}}}";

static void test_ratio_overall_and_strata(void **state)
{
    char *path = write_tmp(ratio_sets_json), *html, *csv, *md;
    fair_report_doc *d = NULL;
    fair_error err;
    (void)state;
    assert_int_equal(fair_report_doc_load(path, &d, &err), FAIR_OK);
    csv = render(d, FAIR_FORMAT_CSV);
    /* The whole and the strata have no attribute: the attribute cell is empty. */
    assert_non_null(strstr(csv, "\r\n,all,909,median_ratio,,1.125,1.0625,1.25,,\r\n"));
    assert_non_null(strstr(csv, "\r\n,Q1,455,cod,,12.5,10.25,14.75,,\r\n"));
    assert_non_null(strstr(csv, "\r\n,Q2,454,median_ratio,,1,0.875,1.125,,\r\n"));
    assert_non_null(strstr(csv, "\r\nneighbourhood,A,909,cod,,9.5,,,,\r\n"));
    /* Sales as a whole first, the strata last. */
    assert_true(strstr(csv, ",all,") < strstr(csv, "neighbourhood,A,"));
    assert_true(strstr(csv, "neighbourhood,A,") < strstr(csv, ",Q1,"));
    md = render(d, FAIR_FORMAT_MARKDOWN);
    assert_non_null(strstr(md, "## All sales\n\n| group | n | median\\_ratio | cod |\n"));
    assert_non_null(strstr(md, "| all | 909 | 1.125 [1.062, 1.25] | 9.5 [8.25, 10.75] |\n"));
    assert_non_null(strstr(md, "## Value strata by value\\_proxy (lowest first)\n"));
    assert_non_null(strstr(md, "| Q2 | 454 | 1 [0.875, 1.125] | 6.5 [5.25, 7.75] |\n"));
    html = render(d, FAIR_FORMAT_HTML);
    assert_non_null(strstr(html, "<h2>All sales</h2>"));
    assert_non_null(strstr(html, "<h2>Value strata</h2>"));
    free(html);
    free(csv);
    free(md);
    fair_report_doc_free(d);
    unlink(path);
    free(path);
}

static void test_load_errors(void **state)
{
    fair_report_doc *d = (fair_report_doc *)1;
    fair_error err;
    char *path;
    (void)state;
    assert_int_equal(fair_report_doc_load("/nonexistent/r.json", &d, &err), FAIR_EIO);
    assert_null(d);
    path = write_tmp("{\"schema_version\": 2,\n \"results\": [}");
    assert_int_equal(fair_report_doc_load(path, &d, &err), FAIR_EDATA);
    assert_null(d);
    assert_int_equal(err.line, 2);
    unlink(path);
    free(path);
    path = write_tmp("{\"results\": {}}");
    assert_int_equal(fair_report_doc_load(path, &d, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "not a fairaudit report"));
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_document),
        cmocka_unit_test(test_ratio_overall_and_strata),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_policy.c -- policy files (parsing, errors with line numbers) and the judging rule: on the
 * estimate, or on the interval with "inconclusive" as a third outcome (docs/policy.md). The
 * expected outcomes follow from the rule by hand, written beside each case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>
#include "fair_test.h"
#include "internal.h"
#include "report_internal.h"

/* One attribute "g" with a summary and four groups: a reference, two compared groups with
 * intervals, and a group below --min-group-size. */
static const char doc_json[] =
    "{\"schema_version\":2,\"kind\":\"audit\",\"results\":{\"attributes\":[{\"attribute\":\"g\","
    "\"summary\":{\"demographic_parity_ratio\":{\"value\":0.75,\"ci_low\":0.70,\"ci_high\":0.85}},"
    "\"groups\":["
    "{\"group\":\"ref\",\"n\":500,\"is_reference\":true,\"too_small\":false,\"suppressed\":false,"
    "\"metrics\":{\"tpr\":{\"value\":0.60,\"ci_low\":0.55,\"ci_high\":0.65}}},"
    "{\"group\":\"a\",\"n\":400,\"is_reference\":false,\"too_small\":false,\"suppressed\":false,"
    "\"metrics\":{\"tpr\":{\"value\":0.52,\"ci_low\":0.47,\"ci_high\":0.57}},"
    "\"vs_reference\":{\"tpr\":{\"difference\":{\"value\":-0.08,\"ci_low\":-0.15,\"ci_high\":-0.01}}}},"
    "{\"group\":\"b\",\"n\":300,\"is_reference\":false,\"too_small\":false,\"suppressed\":false,"
    "\"metrics\":{\"tpr\":{\"value\":0.30,\"ci_low\":0.25,\"ci_high\":0.35}},"
    "\"vs_reference\":{\"tpr\":{\"difference\":{\"value\":-0.30,\"ci_low\":-0.38,\"ci_high\":-0.22}}}},"
    "{\"group\":\"c\",\"n\":9,\"is_reference\":false,\"too_small\":true,\"suppressed\":false,"
    "\"metrics\":{\"tpr\":{\"value\":0.10,\"ci_low\":0.01,\"ci_high\":0.40}},"
    "\"vs_reference\":{\"tpr\":{\"difference\":{\"value\":-0.5}}}}]}]},\"run\":{}}";

static const json_t *apply(const char *ini, struct fair_report_doc *d, fair_policy_result *r,
                           fair_status expect)
{
    fair_policy *p = NULL;
    fair_error err;
    json_error_t je;
    fair_error_init(&err);
    d->root = json_loads(doc_json, 0, &je);
    d->origin = NULL;
    d->text = NULL;
    d->command_line = d->timestamp = NULL;
    assert_non_null(d->root);
    assert_int_equal(fair_policy_parse(ini, strlen(ini), "t.ini", &p, &err), FAIR_OK);
    assert_int_equal(fair_policy_apply(p, d, "t.ini", r, &err), expect);
    fair_policy_free(p);
    return json_object_get(json_object_get(json_object_get(d->root, "results"), "policy"), "checks");
}

static const char *outcome(const json_t *checks, size_t i)
{
    return json_string_value(json_object_get(json_array_get(checks, i), "outcome"));
}

/* On the estimate: 0.75 < 0.8 fails. On the interval [0.70, 0.85]: it straddles 0.8, so
 * inconclusive; with min 0.9 the whole interval is below: fail; with min 0.6 it is above: pass. */
static void test_summary_point_and_significant(void **state)
{
    struct fair_report_doc d;
    fair_policy_result r;
    const json_t *c;
    (void)state;
    c = apply("[check x]\nmetric = demographic_parity_ratio\nmin = 0.8\n", &d, &r, FAIR_OK);
    assert_int_equal(json_array_size(c), 1);
    assert_string_equal(outcome(c, 0), "fail");
    assert_int_equal(r.failed, 1);
    assert_true(r.run_fails);
    json_decref(d.root);

    c = apply("[policy]\njudge = significant\n[check x]\nmetric = demographic_parity_ratio\nmin = 0.8\n", &d,
              &r, FAIR_OK);
    assert_string_equal(outcome(c, 0), "inconclusive");
    assert_int_equal(r.inconclusive, 1);
    assert_false(r.run_fails); /* inconclusive does not fail the run by default */
    json_decref(d.root);

    c = apply("[policy]\njudge = significant\ninconclusive = fail\n[check x]\nmetric = "
              "demographic_parity_ratio\nmin = 0.8\n", &d, &r, FAIR_OK);
    assert_string_equal(outcome(c, 0), "inconclusive");
    assert_true(r.run_fails);
    json_decref(d.root);

    c = apply("[check x]\nmetric = demographic_parity_ratio\nmin = 0.9\njudge = significant\n", &d, &r, FAIR_OK);
    assert_string_equal(outcome(c, 0), "fail");
    json_decref(d.root);
    c = apply("[check x]\nmetric = demographic_parity_ratio\nmin = 0.6\njudge = significant\n", &d, &r, FAIR_OK);
    assert_string_equal(outcome(c, 0), "pass");
    json_decref(d.root);
}

/* Per group, tpr >= 0.5: ref 0.60 pass, a 0.52 pass, b 0.30 fail, c too small: inconclusive.
 * On the interval: ref [0.55, 0.65] pass, a [0.47, 0.57] inconclusive, b [0.25, 0.35] fail. */
static void test_group_metric(void **state)
{
    struct fair_report_doc d;
    fair_policy_result r;
    const json_t *c;
    (void)state;
    c = apply("[check t]\nmetric = tpr\nmin = 0.5\n", &d, &r, FAIR_OK);
    assert_int_equal(json_array_size(c), 4);
    assert_string_equal(outcome(c, 0), "pass");
    assert_string_equal(outcome(c, 1), "pass");
    assert_string_equal(outcome(c, 2), "fail");
    assert_string_equal(outcome(c, 3), "inconclusive");
    assert_int_equal(r.passed, 2);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.inconclusive, 1);
    json_decref(d.root);
    c = apply("[check t]\nmetric = tpr\nmin = 0.5\njudge = significant\n", &d, &r, FAIR_OK);
    assert_string_equal(outcome(c, 0), "pass");
    assert_string_equal(outcome(c, 1), "inconclusive");
    assert_string_equal(outcome(c, 2), "fail");
    json_decref(d.root);
}

/* Differences to the reference within [-0.1, 0.1]: the reference is not compared with itself;
 * a -0.08 passes on the estimate, but its interval [-0.15, -0.01] straddles -0.1; b fails both
 * ways; c is too small. */
static void test_vs_reference(void **state)
{
    struct fair_report_doc d;
    fair_policy_result r;
    const json_t *c;
    (void)state;
    c = apply("[check gap]\nmetric = tpr\nvs_reference = difference\nmin = -0.1\nmax = 0.1\n", &d, &r, FAIR_OK);
    assert_int_equal(json_array_size(c), 3);
    assert_string_equal(outcome(c, 0), "pass");
    assert_string_equal(outcome(c, 1), "fail");
    assert_string_equal(outcome(c, 2), "inconclusive");
    json_decref(d.root);
    c = apply("[policy]\njudge=significant\n[check gap]\nmetric = tpr\nvs_reference = difference\nmin = "
              "-0.1\nmax = 0.1\n", &d, &r, FAIR_OK);
    assert_string_equal(outcome(c, 0), "inconclusive");
    assert_string_equal(outcome(c, 1), "fail");
    json_decref(d.root);
}

/* A metric the document does not hold is inconclusive, never a pass. */
static void test_absent_metric(void **state)
{
    struct fair_report_doc d;
    fair_policy_result r;
    const json_t *c;
    (void)state;
    c = apply("[check e]\nmetric = ece\nmax = 0.05\n", &d, &r, FAIR_OK);
    assert_int_equal(json_array_size(c), 4);
    assert_int_equal(r.inconclusive, 4);
    assert_int_equal(r.passed + r.failed, 0);
    json_decref(d.root);
}

static void test_unknown_attribute(void **state)
{
    struct fair_report_doc d;
    fair_policy_result r;
    (void)state;
    apply("[check e]\nmetric = tpr\nmax = 0.05\nattributes = g, race\n", &d, &r, FAIR_EINVAL);
    json_decref(d.root);
}

/* Parse errors name the line. */
static void expect_error(const char *ini, const char *msg)
{
    fair_policy *p = NULL;
    fair_error err;
    fair_error_init(&err);
    assert_int_equal(fair_policy_parse(ini, strlen(ini), "t.ini", &p, &err), FAIR_EINVAL);
    assert_null(p);
    if (!strstr(err.msg, msg)) fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("[check a]\nmetric = nosuch\nmin = 1\n", "t.ini:2: unknown metric 'nosuch'");
    expect_error("; c\n[check a]\nmetric = tpr\nmin = x\n", "t.ini:4: invalid min 'x'");
    expect_error("[check a]\nmetric = tpr\nmin = 1\nmin = 2\n", "t.ini:4: 'min' is given twice");
    expect_error("[policy]\nname = n\n\n[oops\n", "t.ini:4: syntax error");
    expect_error("[rules]\nx = 1\n", "t.ini:2: unknown section [rules]");
    expect_error("[check a]\nmetric = tpr\n", "check 'a' has neither min nor max");
    expect_error("[check a]\nmetric = tpr\nmin = 2\nmax = 1\n", "check 'a' has min above max");
    expect_error("[check a]\nmetric = ece\nvs_reference = ratio\nmax = 1\n", "compares with the reference");
    expect_error("[policy]\nname = n\n", "the policy has no checks");
    expect_error("[check a]\nmetric = tpr\nmin = 1\n[check a]\nmetric = fpr\n", "t.ini:5: check 'a' is defined twice");
    expect_error("[policy]\njudge = sometimes\n", "t.ini:2: invalid judge");
    expect_error("[policy]\nname = \xff\n", "t.ini:2: the line is not valid UTF-8");
}

/* Every allocation failing in turn: FAIR_ENOMEM, nothing leaked (checked under ASan). */
static void test_oom(void **state)
{
    const char ini[] = "[policy]\nname = n\n[check a]\nmetric = tpr\nmin = 0.5\nattributes = g\n";
    (void)state;
    for (long n = 0;; n++) {
        fair_policy *p = NULL;
        fair_status st;
        fair__alloc_fail_after(n);
        st = fair_policy_parse(ini, strlen(ini), "t.ini", &p, NULL);
        fair__alloc_fail_after(-1);
        if (st == FAIR_OK) {
            fair_policy_free(p);
            break;
        }
        assert_int_equal(st, FAIR_ENOMEM);
        assert_null(p);
        assert_true(n < 1000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_point_and_significant),
        cmocka_unit_test(test_group_metric),
        cmocka_unit_test(test_vs_reference),
        cmocka_unit_test(test_absent_metric),
        cmocka_unit_test(test_unknown_attribute),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

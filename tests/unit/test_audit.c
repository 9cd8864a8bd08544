/* test_audit.c -- end-to-end library tests: a hand-built CSV with every awkward feature, and
 * allocation failures. (COMPAS against ProPublica's table is in test_compas.c.) */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h" /* fair__alloc_fail_after */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *write_temp(const char *content, size_t n)
{
    char *path = strdup("/tmp/fair_test_audit_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

/* BOM, ';' delimiter, CRLF, quoted group containing the delimiter, Dutch words, decimal comma,
 * and one row for each skip reason. Counts by hand:
 *   A:   (1,1) (0,1) (yes,no) ("A": 1,1)   -> tp 2, fp 1, tn 0, fn 1
 *   B;x: (ja,nee) (nee,nee) (1,0)          -> tp 0, fp 0, tn 1, fn 2
 * skipped: missing label, invalid label, wrong field count, missing group (one each). */
static const char fixture[] = "\xEF\xBB\xBFgroup;label;pred;score\r\n"
                              "A;1;1;0,9\r\n"
                              "A;0;1;0,6\r\n"
                              "\"B;x\";ja;nee;0,2\r\n"
                              "\"B;x\";nee;nee;0,1\r\n"
                              "A;yes;no;0,7\r\n"
                              "\"B;x\";1;0;0,45\r\n"
                              "C;;1;0,5\r\n"
                              "C;2;1;0,5\r\n"
                              "A;1;1\r\n"
                              ";1;1;0,5\r\n"
                              "\"A\";1;1;0,8\r\n";

static void run_fixture(const fair_audit_options *o, fair_audit **a)
{
    fair_error err;
    char *path = write_temp(fixture, sizeof fixture - 1);
    fair_error_init(&err);
    fair_status st = fair_audit_run(path, o, a, &err);
    unlink(path);
    free(path);
    if (st != FAIR_OK) fail_msg("audit failed: %s", err.msg);
}

static void test_fixture_counts(void **state)
{
    const char *groups[] = {"group"};
    fair_audit_options o;
    fair_audit *a;
    fair_counts c;
    (void)state;
    fair_audit_options_init(&o);
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.label_col = "label";
    o.pred_col = "pred";
    o.score_col = "score";
    o.n_threads = 1;
    run_fixture(&o, &a);
    assert_int_equal(fair_audit_rows_read(a), 11);
    assert_int_equal(fair_audit_rows_used(a), 7);
    assert_int_equal(fair_audit_rows_skipped(a, FAIR_SKIP_MISSING_LABEL), 1);
    assert_int_equal(fair_audit_rows_skipped(a, FAIR_SKIP_INVALID_LABEL), 1);
    assert_int_equal(fair_audit_rows_skipped(a, FAIR_SKIP_WRONG_FIELD_COUNT), 1);
    assert_int_equal(fair_audit_rows_skipped(a, FAIR_SKIP_MISSING_GROUP), 1);
    assert_int_equal(fair_audit_n_attributes(a), 1);
    assert_int_equal(fair_audit_n_groups(a, 0), 2);
    assert_string_equal(fair_audit_group_label(a, 0, 0), "A");
    assert_string_equal(fair_audit_group_label(a, 0, 1), "B;x");
    c = fair_audit_group_counts(a, 0, 0);
    assert_int_equal(c.tp, 2);
    assert_int_equal(c.fp, 1);
    assert_int_equal(c.tn, 0);
    assert_int_equal(c.fn, 1);
    c = fair_audit_group_counts(a, 0, 1);
    assert_int_equal(c.tp, 0);
    assert_int_equal(c.fp, 0);
    assert_int_equal(c.tn, 1);
    assert_int_equal(c.fn, 2);
    assert_int_equal(fair_audit_reference(a, 0), 0); /* A is the largest group */
    fair_audit_free(a);

    /* Prediction from the score: 0,7 >= 0,5 turns A's (yes, no) row into a true positive. */
    o.pred_col = NULL;
    o.use_threshold = 1;
    o.threshold = 0.5;
    run_fixture(&o, &a);
    c = fair_audit_group_counts(a, 0, 0);
    assert_int_equal(c.tp, 3);
    assert_int_equal(c.fn, 0);
    fair_audit_free(a);
}

static void test_fixture_strict(void **state)
{
    const char *groups[] = {"group"};
    fair_audit_options o;
    fair_audit *a = NULL;
    fair_error err;
    char *path = write_temp(fixture, sizeof fixture - 1);
    (void)state;
    fair_audit_options_init(&o);
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.label_col = "label";
    o.pred_col = "pred";
    o.strict = 1;
    fair_error_init(&err);
    assert_int_equal(fair_audit_run(path, &o, &a, &err), FAIR_EDATA);
    assert_null(a);
    assert_int_equal(err.line, 8); /* "C;;1;0,5": the first invalid row */
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.msg, "missing label"));
    assert_non_null(strstr(err.msg, ":8:"));
    /* An unknown column lists the ones there are. */
    o.strict = 0;
    o.label_col = "outcome";
    assert_int_equal(fair_audit_run(path, &o, &a, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "no column named 'outcome'"));
    assert_non_null(strstr(err.msg, "'label'"));
    unlink(path);
    free(path);
}

/* Every allocation failure gives FAIR_ENOMEM and leaks nothing (ASan checks the leaks). */
static void test_fixture_oom(void **state)
{
    const char *groups[] = {"group"};
    fair_audit_options o;
    fair_audit *a = NULL;
    fair_error err;
    char *path = write_temp(fixture, sizeof fixture - 1);
    long n;
    (void)state;
    fair_audit_options_init(&o);
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.label_col = "label";
    o.pred_col = "pred";
    o.n_threads = 1;
    for (n = 0;; n++) {
        fair_status st;
        fair__alloc_fail_after(n);
        st = fair_audit_run(path, &o, &a, &err);
        fair__alloc_fail_after(-1);
        if (st == FAIR_OK) break;
        assert_int_equal(st, FAIR_ENOMEM);
        assert_null(a);
        assert_true(n < 100000);
    }
    assert_true(n > 10);
    fair_audit_free(a);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_counts),
        cmocka_unit_test(test_fixture_strict),
        cmocka_unit_test(test_fixture_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

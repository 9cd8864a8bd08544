/* test_compas.c -- the real COMPAS data (../shared/datasets/compas) against the table
 * ProPublica published. Exits 77 (ctest: skipped) with a message when the data are absent. */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include <string.h>
#include <unistd.h>

#define COMPAS FAIR_SOURCE_DIR "/../shared/datasets/compas/compas_decisions_unfiltered.csv"

/* ProPublica, "How We Analyzed the COMPAS Recidivism Algorithm" (2016) and its notebook
 * (propublica/compas-analysis, "Compas Analysis.ipynb", two-year recidivism, all 7,214 people):
 *   Black defendants:  low & survived 990, high & survived 805, low & recidivated 532,
 *                      high & recidivated 1369 -> false positive rate 44.85 %, false negative
 *                      rate 27.99 %.
 *   White defendants:  1139, 349, 461, 505 -> FPR 23.45 %, FNR 47.72 %. */
static void test_compas_propublica(void **state)
{
    const char *path = COMPAS;
    const char *groups[] = {"race"};
    fair_audit_options o;
    fair_audit *a;
    fair_error err;
    size_t black = SIZE_MAX, white = SIZE_MAX;
    fair_counts b, w;
    (void)state;
    fair_audit_options_init(&o);
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.label_col = "two_year_recid";
    o.pred_col = "high_risk";
    assert_int_equal(fair_audit_run(path, &o, &a, &err), FAIR_OK);
    assert_int_equal(fair_audit_rows_used(a), 7214);
    for (size_t g = 0; g < fair_audit_n_groups(a, 0); g++) {
        if (strcmp(fair_audit_group_label(a, 0, g), "African-American") == 0) black = g;
        if (strcmp(fair_audit_group_label(a, 0, g), "Caucasian") == 0) white = g;
    }
    assert_true(black != SIZE_MAX && white != SIZE_MAX);
    b = fair_audit_group_counts(a, 0, black);
    w = fair_audit_group_counts(a, 0, white);
    assert_int_equal(b.tn, 990);
    assert_int_equal(b.fp, 805);
    assert_int_equal(b.fn, 532);
    assert_int_equal(b.tp, 1369);
    assert_int_equal(w.tn, 1139);
    assert_int_equal(w.fp, 349);
    assert_int_equal(w.fn, 461);
    assert_int_equal(w.tp, 505);
    /* The published percentages, to their two decimals. */
    assert_abs(100.0 * (double)b.fp / (double)(b.fp + b.tn), 44.85, 0.005);
    assert_abs(100.0 * (double)b.fn / (double)(b.fn + b.tp), 27.99, 0.005);
    assert_abs(100.0 * (double)w.fp / (double)(w.fp + w.tn), 23.45, 0.005);
    assert_abs(100.0 * (double)w.fn / (double)(w.fn + w.tp), 47.72, 0.005);
    fair_audit_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compas_propublica),
    };
    if (access(COMPAS, R_OK) != 0) {
        printf("SKIPPED: %s is absent; the COMPAS validation did not run\n", COMPAS);
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

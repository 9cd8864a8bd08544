/* test_compas.c -- the real COMPAS data (../shared/datasets/compas) against the table
 * ProPublica published. Exits 77 (ctest: skipped) with a message when the data are absent. */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include <stdlib.h>
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

/* Scores: decile_score (1..10) per race. Reference: scikit-learn 1.2.1 (Debian),
 *   d = pandas.read_csv("compas_decisions_unfiltered.csv"); x = d[d.race == race]
 *   roc_auc_score(x.two_year_recid, x.decile_score)
 *     African-American 0.6918343812595336, Caucasian 0.6931462744050402
 *   x.groupby("decile_score").two_year_recid.agg(["sum", "count"])   (observed rate per decile)
 * With --score-range 1:10 and 10 uniform bins of width 0.9, each decile has its own bin. */
static void test_compas_scores(void **state)
{
    static const uint64_t aa_n[10] = {398, 393, 346, 385, 365, 384, 400, 359, 380, 286};
    static const uint64_t aa_pos[10] = {91, 119, 145, 177, 176, 215, 237, 245, 269, 227};
    static const uint64_t w_n[10] = {681, 361, 273, 285, 241, 194, 143, 114, 98, 64};
    static const uint64_t w_pos[10] = {142, 113, 93, 113, 111, 111, 88, 82, 68, 45};
    const char *groups[] = {"race"};
    fair_audit_options o;
    fair_audit *a;
    fair_error err;
    char *json = NULL;
    size_t len = 0;
    FILE *mem;
    (void)state;
    fair_audit_options_init(&o);
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.label_col = "two_year_recid";
    o.pred_col = "high_risk";
    o.score_col = "decile_score";
    o.score_min = 1;
    o.score_max = 10;
    o.bootstrap = 0;
    assert_int_equal(fair_audit_run(COMPAS, &o, &a, &err), FAIR_OK);
    for (size_t g = 0; g < fair_audit_n_groups(a, 0); g++) {
        const char *label = fair_audit_group_label(a, 0, g);
        const fair_score_metrics *sm = fair_audit_group_score(a, 0, g);
        const fair_reliability_bin *rb = fair_audit_group_reliability(a, 0, g);
        const uint64_t *en = NULL, *ep = NULL;
        double auc = 0;
        if (strcmp(label, "African-American") == 0) en = aa_n, ep = aa_pos, auc = 0.6918343812595336;
        if (strcmp(label, "Caucasian") == 0) en = w_n, ep = w_pos, auc = 0.6931462744050402;
        if (!en) continue;
        assert_non_null(sm);
        assert_true(sm->m[FAIR_SCORE_AUC].defined);
        assert_rel(sm->m[FAIR_SCORE_AUC].value, auc, 1e-12);
        assert_false(sm->m[FAIR_SCORE_BRIER].defined); /* deciles are not probabilities */
        assert_int_equal(sm->n_bins, 10);
        for (size_t b = 0; b < 10; b++) {
            assert_int_equal(rb[b].n, en[b]);
            assert_int_equal(rb[b].positives, ep[b]);
            assert_rel(rb[b].observed, (double)ep[b] / (double)en[b], 1e-15);
        }
    }
    /* The JSON report carries the reliability curve. */
    mem = open_memstream(&json, &len);
    assert_non_null(mem);
    assert_int_equal(fair_report_write(a, FAIR_FORMAT_JSON, NULL, mem, &err), FAIR_OK);
    fclose(mem);
    assert_non_null(strstr(json, "\"reliability\""));
    assert_non_null(strstr(json, "\"auc\""));
    free(json);
    fair_audit_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compas_propublica),
        cmocka_unit_test(test_compas_scores),
    };
    if (access(COMPAS, R_OK) != 0) {
        printf("SKIPPED: %s is absent; the COMPAS validation did not run\n", COMPAS);
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

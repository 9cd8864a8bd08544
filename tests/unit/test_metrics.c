/* test_metrics.c -- per-group rates from confusion counts.
 * Expected values are hand-computed fractions of the counts, written out as fractions. */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include <string.h>

/* tp = 37, fp = 13, tn = 122, fn = 29: n = 201, positives 66, negatives 135, selected 50. */
static void test_known_counts(void **state)
{
    fair_counts c = {37, 13, 122, 29};
    fair_metric_value m[FAIR_METRIC_COUNT];
    (void)state;
    fair_metrics_compute(&c, m);
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++) assert_true(m[k].defined);
    assert_rel(m[FAIR_METRIC_BASE_RATE].value, 66.0 / 201.0, 1e-15);
    assert_rel(m[FAIR_METRIC_SELECTION_RATE].value, 50.0 / 201.0, 1e-15);
    assert_rel(m[FAIR_METRIC_TPR].value, 37.0 / 66.0, 1e-15);
    assert_rel(m[FAIR_METRIC_FPR].value, 13.0 / 135.0, 1e-15);
    assert_rel(m[FAIR_METRIC_FNR].value, 29.0 / 66.0, 1e-15);
    assert_rel(m[FAIR_METRIC_TNR].value, 122.0 / 135.0, 1e-15);
    assert_rel(m[FAIR_METRIC_PPV].value, 37.0 / 50.0, 1e-15);
    assert_rel(m[FAIR_METRIC_NPV].value, 122.0 / 151.0, 1e-15);
    assert_rel(m[FAIR_METRIC_FDR].value, 13.0 / 50.0, 1e-15);
    assert_rel(m[FAIR_METRIC_FOR].value, 29.0 / 151.0, 1e-15);
    assert_rel(m[FAIR_METRIC_ACCURACY].value, 159.0 / 201.0, 1e-15);
    /* (37/66 + 122/135) / 2 = (0.560606... + 0.903703...) / 2 = 0.7321548821548821 */
    assert_rel(m[FAIR_METRIC_BALANCED_ACCURACY].value, 0.7321548821548821, 1e-14);
    /* 2*37 / (2*37 + 13 + 29) = 74 / 116 */
    assert_rel(m[FAIR_METRIC_F1].value, 74.0 / 116.0, 1e-15);
    assert_int_equal(m[FAIR_METRIC_TPR].num, 37);
    assert_int_equal(m[FAIR_METRIC_TPR].den, 66);
    assert_int_equal(m[FAIR_METRIC_NPV].den, 151);
}

/* Zero denominators give "not defined" with a reason, never NaN and never 0 pretending. */
static void test_zero_denominators(void **state)
{
    fair_counts none = {0, 0, 0, 0}, only_neg = {0, 0, 17, 0}, all_selected = {5, 3, 0, 0};
    fair_metric_value m[FAIR_METRIC_COUNT];
    (void)state;
    fair_metrics_compute(&none, m);
    for (size_t k = 0; k < FAIR_METRIC_COUNT; k++) {
        assert_false(m[k].defined);
        assert_non_null(m[k].reason);
        assert_true(m[k].value == 0.0);
    }
    fair_metrics_compute(&only_neg, m);
    assert_false(m[FAIR_METRIC_TPR].defined);
    assert_non_null(strstr(m[FAIR_METRIC_TPR].reason, "positives"));
    assert_false(m[FAIR_METRIC_PPV].defined);
    assert_false(m[FAIR_METRIC_F1].defined);
    assert_false(m[FAIR_METRIC_BALANCED_ACCURACY].defined);
    assert_true(m[FAIR_METRIC_FPR].defined);
    assert_rel(m[FAIR_METRIC_FPR].value, 0.0, 0);
    assert_rel(m[FAIR_METRIC_ACCURACY].value, 1.0, 0);
    fair_metrics_compute(&all_selected, m);
    assert_false(m[FAIR_METRIC_NPV].defined);
    assert_false(m[FAIR_METRIC_FOR].defined);
    assert_false(m[FAIR_METRIC_FPR].defined == 0); /* fp + tn = 3 */
    assert_rel(m[FAIR_METRIC_SELECTION_RATE].value, 1.0, 0);
}

static void test_names(void **state)
{
    fair_metric_id id;
    (void)state;
    assert_string_equal(fair_metric_name(FAIR_METRIC_FOR), "for");
    assert_string_equal(fair_metric_name(FAIR_METRIC_BALANCED_ACCURACY), "balanced_accuracy");
    assert_string_equal(fair_metric_name((fair_metric_id)999), "unknown");
    assert_true(fair_metric_from_name("selection_rate", &id));
    assert_int_equal(id, FAIR_METRIC_SELECTION_RATE);
    assert_false(fair_metric_from_name("disparate_impact", &id));
    assert_true(fair_metric_is_proportion(FAIR_METRIC_TPR));
    assert_false(fair_metric_is_proportion(FAIR_METRIC_F1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_counts),
        cmocka_unit_test(test_zero_denominators),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

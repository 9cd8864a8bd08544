/* test_bootstrap.c -- the bootstrap on sufficient statistics: determinism across threads,
 * agreement with a row-level bootstrap, and coverage of the intervals. */
#include "fair_test.h"
#include "audit_internal.h"
#include <stdlib.h>
#include <string.h>

static void base_options(fair_audit_options *o, uint64_t B, size_t threads)
{
    fair_audit_options_init(o);
    o->bootstrap = B;
    o->n_threads = threads;
    o->min_group_size = 0;
    o->p_adjust = FAIR_P_ADJUST_NONE;
}

/* Same seed => bit-identical intervals for 1, 2 and 7 threads; another seed => different. */
static void test_thread_invariance(void **state)
{
    const char *labels[] = {"A", "B", "C"};
    const fair_counts c[] = {{37, 13, 122, 29}, {61, 40, 230, 18}, {5, 2, 20, 9}};
    const size_t threads[] = {1, 2, 7};
    fair__attr at[3], other;
    fair_audit_options o;
    fair_error err;
    (void)state;
    for (size_t t = 0; t < 3; t++) {
        base_options(&o, 777, threads[t]);
        assert_int_equal(fair__attr_from_counts("x", labels, c, 3, &o, SIZE_MAX, &at[t], &err), FAIR_OK);
    }
    for (size_t t = 1; t < 3; t++) {
        for (size_t g = 0; g < 3; g++) {
            assert_memory_equal(at[0].groups[g].boot_m, at[t].groups[g].boot_m, sizeof at[0].groups[g].boot_m);
            assert_memory_equal(at[0].groups[g].boot_ratio, at[t].groups[g].boot_ratio,
                                sizeof at[0].groups[g].boot_ratio);
            assert_memory_equal(at[0].groups[g].boot_diff, at[t].groups[g].boot_diff,
                                sizeof at[0].groups[g].boot_diff);
        }
        assert_memory_equal(at[0].boot_summary, at[t].boot_summary, sizeof at[0].boot_summary);
    }
    base_options(&o, 777, 2);
    o.seed = 99;
    assert_int_equal(fair__attr_from_counts("x", labels, c, 3, &o, SIZE_MAX, &other, &err), FAIR_OK);
    assert_true(memcmp(other.groups[0].boot_m, at[0].groups[0].boot_m, sizeof other.groups[0].boot_m) != 0);
    /* The simple scheme is deterministic too. */
    for (size_t t = 0; t < 3; t++) fair__attr_release(&at[t]);
    fair__attr_release(&other);
    for (size_t t = 0; t < 2; t++) {
        base_options(&o, 300, threads[t]);
        o.boot_scheme = FAIR_BOOT_SIMPLE;
        assert_int_equal(fair__attr_from_counts("x", labels, c, 3, &o, SIZE_MAX, &at[t], &err), FAIR_OK);
    }
    assert_memory_equal(at[0].groups[1].boot_m, at[1].groups[1].boot_m, sizeof at[0].groups[1].boot_m);
    assert_memory_equal(at[0].boot_summary, at[1].boot_summary, sizeof at[0].boot_summary);
    for (size_t t = 0; t < 2; t++) fair__attr_release(&at[t]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile type 7 on sorted v. */
static double q7(const double *v, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t k = (size_t)h;
    return k + 1 < n ? v[k] + (h - (double)k) * (v[k + 1] - v[k]) : v[k];
}

/* The cell-level bootstrap must match a plain row-level bootstrap (resample rows with
 * replacement, recount) within Monte Carlo error. Rows of group A: tp 12, fp 7, tn 30, fn 5;
 * B: tp 20, fp 25, tn 41, fn 9. Both sides use 20,000 replicates. A quantile's Monte Carlo
 * standard error is sqrt(q(1-q)/B)/f(x) ~ 0.0012 for these rates; the rates live on a lattice
 * of step 1/n (n = 54 for A), so a quantile may land one lattice step away when the CDF jumps
 * near q: the tolerance is one step plus 5 standard errors. */
static void test_row_level_equivalence(void **state)
{
    const char *labels[] = {"A", "B"};
    const fair_counts c[] = {{12, 7, 30, 5}, {20, 25, 41, 9}};
    const uint64_t B = 20000;
    fair__attr at;
    fair_audit_options o;
    fair_error err;
    double *sel = malloc(B * sizeof *sel), *tpr = malloc(B * sizeof *tpr);
    size_t n = 54, nt = 0;
    unsigned char rows[54]; /* cell of each row of A: 0 tp, 1 fp, 2 tn, 3 fn */
    fair_rng r;
    (void)state;
    assert_non_null(sel);
    assert_non_null(tpr);
    base_options(&o, B, 2);
    assert_int_equal(fair__attr_from_counts("x", labels, c, 2, &o, SIZE_MAX, &at, &err), FAIR_OK);
    for (size_t i = 0; i < 54; i++) rows[i] = i < 12 ? 0 : i < 19 ? 1 : i < 49 ? 2 : 3;
    fair_rng_seed(&r, 4242, 0);
    for (uint64_t b = 0; b < B; b++) {
        size_t k[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < n; i++) k[rows[fair_rng_bounded(&r, (uint32_t)n)]]++;
        sel[b] = (double)(k[0] + k[1]) / (double)n;
        if (k[0] + k[3]) tpr[nt++] = (double)k[0] / (double)(k[0] + k[3]);
    }
    qsort(sel, B, sizeof *sel, cmp_double);
    qsort(tpr, nt, sizeof *tpr, cmp_double);
    {
        const fair__group *a = &at.groups[0];
        double step = 1.0 / 54.0, tol = step + 5 * 0.0012;
        double tpr_tol = 1.0 / 17.0 + 5 * 0.004; /* TPR lives on steps of 1/17 (17 positives) */
        assert_true(a->boot_m[FAIR_METRIC_SELECTION_RATE].pct.ok);
        assert_abs(a->boot_m[FAIR_METRIC_SELECTION_RATE].pct.lo, q7(sel, B, 0.025), tol);
        assert_abs(a->boot_m[FAIR_METRIC_SELECTION_RATE].pct.hi, q7(sel, B, 0.975), tol);
        assert_abs(a->boot_m[FAIR_METRIC_TPR].pct.lo, q7(tpr, nt, 0.025), tpr_tol);
        assert_abs(a->boot_m[FAIR_METRIC_TPR].pct.hi, q7(tpr, nt, 0.975), tpr_tol);
        print_message("selection rate A: cell-level [%.4f, %.4f], row-level [%.4f, %.4f]\n",
                      a->boot_m[FAIR_METRIC_SELECTION_RATE].pct.lo,
                      a->boot_m[FAIR_METRIC_SELECTION_RATE].pct.hi, q7(sel, B, 0.025), q7(sel, B, 0.975));
    }
    free(sel);
    free(tpr);
    fair__attr_release(&at);
}

/* Draws one row's cell from the true cell probabilities p[4]. */
static size_t draw_cell(fair_rng *r, const double *p)
{
    double u = fair_rng_uniform(r), acc = 0;
    for (size_t k = 0; k < 3; k++) {
        acc += p[k];
        if (u < acc) return k;
    }
    return 3;
}

/* Coverage: 400 datasets from known rates, 95 % intervals with B = 400 each. The observed
 * coverage of a true 95 % interval over 400 datasets has standard error
 * sqrt(0.95 * 0.05 / 400) = 0.011; the test accepts 0.95 +- 0.045 (4 standard errors), and
 * prints the figures that docs/bootstrap.md reports. */
static void test_coverage(void **state)
{
    const char *labels[] = {"A", "B"};
    /* Cell probabilities (tp, fp, tn, fn): A: selection 0.30, base 0.20, TPR 0.70;
     * B: selection 0.18, base 0.20, TPR 0.55. */
    const double pa[4] = {0.14, 0.16, 0.64, 0.06}, pb[4] = {0.11, 0.07, 0.73, 0.09};
    const size_t na = 250, nb = 400, R = 400;
    const double true_sel_a = 0.30, true_tpr_a = 0.70, true_ratio = 0.30 / 0.18;
    size_t cov_pct[3] = {0, 0, 0}, cov_bca[3] = {0, 0, 0}, cov_wilson = 0;
    fair_audit_options o;
    fair_error err;
    fair_rng r;
    (void)state;
    fair_rng_seed(&r, 2718, 1);
    for (size_t rep = 0; rep < R; rep++) {
        uint64_t ka[4] = {0, 0, 0, 0}, kb[4] = {0, 0, 0, 0};
        fair_counts c[2];
        fair__attr at;
        const fair__group *a;
        const fair__boot *bs[3];
        const double truth[3] = {true_sel_a, true_tpr_a, true_ratio};
        for (size_t i = 0; i < na; i++) ka[draw_cell(&r, pa)]++;
        for (size_t i = 0; i < nb; i++) kb[draw_cell(&r, pb)]++;
        c[0] = (fair_counts){ka[0], ka[1], ka[2], ka[3]};
        c[1] = (fair_counts){kb[0], kb[1], kb[2], kb[3]};
        base_options(&o, 400, 2);
        o.seed = 1000 + rep;
        o.references = (const char *const[]){"B"};
        o.n_references = 1;
        assert_int_equal(fair__attr_from_counts("x", labels, c, 2, &o, SIZE_MAX, &at, &err), FAIR_OK);
        a = &at.groups[0];
        bs[0] = &a->boot_m[FAIR_METRIC_SELECTION_RATE];
        bs[1] = &a->boot_m[FAIR_METRIC_TPR];
        bs[2] = &a->boot_ratio[FAIR_METRIC_SELECTION_RATE];
        for (size_t k = 0; k < 3; k++) {
            cov_pct[k] += bs[k]->pct.ok && bs[k]->pct.lo <= truth[k] && truth[k] <= bs[k]->pct.hi;
            cov_bca[k] += bs[k]->bca.ok && bs[k]->bca.lo <= truth[k] && truth[k] <= bs[k]->bca.hi;
        }
        cov_wilson += a->wilson[FAIR_METRIC_SELECTION_RATE].lo <= true_sel_a &&
                      true_sel_a <= a->wilson[FAIR_METRIC_SELECTION_RATE].hi;
        fair__attr_release(&at);
    }
    print_message("coverage over %zu datasets (nominal 0.95): selection rate percentile %.3f bca %.3f "
                  "wilson %.3f; TPR percentile %.3f bca %.3f; selection-rate ratio percentile %.3f bca %.3f\n",
                  R, (double)cov_pct[0] / R, (double)cov_bca[0] / R, (double)cov_wilson / R,
                  (double)cov_pct[1] / R, (double)cov_bca[1] / R, (double)cov_pct[2] / R,
                  (double)cov_bca[2] / R);
    for (size_t k = 0; k < 3; k++) {
        assert_abs((double)cov_pct[k] / R, 0.95, 0.045);
        assert_abs((double)cov_bca[k] / R, 0.95, 0.045);
    }
}

/* Small groups: a rate of 0 gives a collapsed percentile interval [0, 0]; the undefined
 * replicates of a rate are counted, not dropped silently. */
static void test_degenerate(void **state)
{
    const char *labels[] = {"big", "tiny"};
    const fair_counts c[] = {{40, 30, 300, 30}, {0, 1, 3, 1}};
    fair__attr at;
    fair_audit_options o;
    fair_error err;
    const fair__group *t;
    (void)state;
    base_options(&o, 500, 1);
    assert_int_equal(fair__attr_from_counts("x", labels, c, 2, &o, SIZE_MAX, &at, &err), FAIR_OK);
    t = &at.groups[1];
    assert_string_equal(t->label, "tiny");
    assert_true(t->boot_m[FAIR_METRIC_TPR].pct.ok);
    assert_abs(t->boot_m[FAIR_METRIC_TPR].pct.lo, 0.0, 0);
    assert_abs(t->boot_m[FAIR_METRIC_TPR].pct.hi, 0.0, 0);
    /* one actual positive in 5 rows: P(no positive drawn) = (4/5)^5 = 0.328, so about 164 of
     * 500 replicates have TPR undefined; 6 standard errors either side. */
    assert_in_range(t->boot_m[FAIR_METRIC_TPR].undefined, 164 - 63, 164 + 63);
    assert_true(t->boot_m[FAIR_METRIC_TPR].bca_reason != NULL);
    fair__attr_release(&at);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_invariance),
        cmocka_unit_test(test_row_level_equivalence),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_degenerate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

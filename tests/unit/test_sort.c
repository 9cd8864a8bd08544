/* test_sort.c -- the radix sorts of sort.c against the C library's qsort() with an explicit
 * comparator (the reference), on hand-picked values and on seeded random data: doubles of
 * both signs, both zeros, infinities, subnormals and many ties; (key, value) pairs whose
 * equal keys must keep their order (stability, checked against a merge of the reference's
 * order by the original position). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h"

static int cmp_double(const void *x, const void *y)
{
    double p = *(const double *)x, q = *(const double *)y;
    return (p > q) - (p < q);
}

/* By key, then by position: a stable order, total since positions differ. */
static int cmp_kv_pos(const void *x, const void *y)
{
    const fair__kv *p = x, *q = y;
    if (p->k != q->k) return p->k < q->k ? -1 : 1;
    return (p->v > q->v) - (p->v < q->v);
}

/* A small PRNG of the test's own (splitmix64), so the data do not depend on the library's. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Hand-picked: the expected order written out. */
static void test_sort_f64_known(void **state)
{
    double x[] = {3.5, -0.0, INFINITY, -2.0, 0x1p-1074, 1.0, -INFINITY, 0.0, -0x1p-1074, 1.0, -2.0};
    const double want[] = {-INFINITY, -2.0, -2.0, -0x1p-1074, 0.0, 0.0, 0x1p-1074, 1.0, 1.0, 3.5, INFINITY};
    const size_t n = sizeof x / sizeof *x;
    double y[sizeof x / sizeof *x];
    uint64_t tmp[2 * (sizeof x / sizeof *x)];
    (void)state;
    memcpy(y, x, sizeof x);
    assert_int_equal(fair__sort_f64(x, n), FAIR_OK);
    fair__sort_f64_with(y, tmp, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(x[i] == want[i]);
        assert_true(y[i] == want[i]);
    }
    /* -0 and +0 are equal, so either order is sorted; both must still be there */
    assert_true(signbit(x[4]) != signbit(x[5]));
    assert_true(signbit(y[4]) != signbit(y[5]));
    assert_int_equal(fair__sort_f64(x, 0), FAIR_OK);
    assert_int_equal(fair__sort_f64(x, 1), FAIR_OK);
    fair__sort_f64_with(y, tmp, 0);
    fair__sort_f64_with(y, tmp, 1);
    assert_true(y[0] == want[0]);
}

/* Random doubles of every magnitude and sign, some repeated: the same sequence as qsort(),
 * from both sorts of doubles (n items; the second sort's 8-bit digits are meant for short
 * arrays, such as a statistic's 1000 bootstrap replicates, but must sort any). */
static void sort_f64_random(size_t n, uint64_t s)
{
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *ref = malloc(n * sizeof *ref);
    uint64_t *tmp = malloc(2 * n * sizeof *tmp);
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(ref);
    assert_non_null(tmp);
    for (size_t i = 0; i < n; i++) {
        uint64_t u = next(&s);
        double v;
        switch (u % 4) {
        case 0: /* any finite bit pattern */
            do {
                u = next(&s);
                memcpy(&v, &u, sizeof v);
            } while (!isfinite(v));
            break;
        case 1: /* prices: 4 decimal digits, many ties */
            v = (double)(next(&s) % 1000) * 250.0;
            break;
        case 2: /* ratios near 1 */
            v = 0.5 + (double)(next(&s) >> 11) * 0x1p-53;
            break;
        default: /* a value seen before */
            v = i ? x[next(&s) % i] : 1.0;
        }
        x[i] = y[i] = ref[i] = v;
    }
    qsort(ref, n, sizeof *ref, cmp_double);
    assert_int_equal(fair__sort_f64(x, n), FAIR_OK);
    fair__sort_f64_with(y, tmp, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(x[i] == ref[i]);
        assert_true(y[i] == ref[i]);
    }
    free(x);
    free(y);
    free(ref);
    free(tmp);
}

static void test_sort_f64_random(void **state)
{
    (void)state;
    sort_f64_random(20000, 42);
    sort_f64_random(1000, 43);
    sort_f64_random(37, 44);
}

/* Keys in the order of the doubles, -0 as +0. */
static void test_f64_key_order(void **state)
{
    const double v[] = {-INFINITY, -1e300, -1.0, -0x1p-1074, 0.0, 0x1p-1074, 1e-300, 1.0, 2.0, 1e300, INFINITY};
    (void)state;
    for (size_t i = 1; i < sizeof v / sizeof *v; i++) assert_true(fair__f64_key(v[i - 1]) < fair__f64_key(v[i]));
    assert_true(fair__f64_key(-0.0) == fair__f64_key(0.0));
}

/* Pairs: sorted by key and, among equal keys, in their original order (stable), for small
 * keys (one pass) and keys spread over all 64 bits. */
static void test_kv_sort_stable(void **state)
{
    const size_t n = 30000;
    fair__kv *v = malloc(2 * n * sizeof *v), *ref = malloc(n * sizeof *ref);
    uint64_t s = 7;
    (void)state;
    assert_non_null(v);
    assert_non_null(ref);
    for (int wide = 0; wide < 2; wide++) {
        for (size_t i = 0; i < n; i++) {
            uint64_t k = wide ? next(&s) : next(&s) % 13;
            if (wide && i && i % 3 == 0) k = v[next(&s) % i].k; /* ties among wide keys */
            v[i] = ref[i] = (fair__kv){k, i};
        }
        qsort(ref, n, sizeof *ref, cmp_kv_pos);
        fair__kv_sort(v, v + n, n);
        for (size_t i = 0; i < n; i++) {
            assert_true(v[i].k == ref[i].k);
            assert_true(v[i].v == ref[i].v);
        }
    }
    free(v);
    free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_f64_known),
        cmocka_unit_test(test_sort_f64_random),
        cmocka_unit_test(test_f64_key_order),
        cmocka_unit_test(test_kv_sort_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

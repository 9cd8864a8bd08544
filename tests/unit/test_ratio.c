/* test_ratio.c -- the ratio study: known answers from the IAAO Standard on Ratio Studies'
 * worked tables, Quintos' MKI paper, the assessr package's figures and R, hand-computed small
 * cases, skip reasons, trimming, errors, out-of-memory and thread-count determinism.
 * Tests that read ../shared/datasets/ratio_study skip themselves when it is absent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fair_test.h"
#include "ratio_internal.h"

#define DATA FAIR_SOURCE_DIR "/../shared/datasets/ratio_study/"

static int have(const char *path) { return access(path, R_OK) == 0; }

/* Runs a study of `path` (columns est/sale) with B replicates; asserts success. */
static fair_ratio *run(const char *path, const char *acol, const char *group, uint64_t B,
                       size_t threads, fair_ratio_trim trim)
{
    fair_ratio_options o;
    fair_ratio *r = NULL;
    fair_error err;
    const char *groups[1] = {group};
    fair_ratio_options_init(&o);
    o.assessed_col = acol;
    o.sale_col = "sale_price";
    o.group_cols = groups;
    o.n_group_cols = group ? 1 : 0;
    o.bootstrap = B;
    o.n_threads = threads;
    o.trim = trim;
    o.chunk_bytes = 4096; /* several parse jobs even for small files */
    fair_error_init(&err);
    if (fair_ratio_run(path, &o, &r, &err) != FAIR_OK) fail_msg("%s", err.msg);
    return r;
}

static double stat(const fair_ratio *r, fair_ratio_stat s)
{
    double v = NAN;
    assert_true(fair_ratio_overall(r, s, &v));
    return v;
}

/* Writes a small CSV into a temporary file; returns its path (static buffer). */
static const char *write_csv(const char *text)
{
    static char path[64];
    FILE *f;
    strcpy(path, "/tmp/test_ratio_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* IAAO Standard on Ratio Studies (2013): the worked examples' published COD, PRD and PRB, to
 * the digits printed there (as transcribed in ccao-data/assesspy, tests/test_metrics.py).
 * Each of ours must round to the published figure: within half a unit of its last digit. */
static void iaao_tables(void **state)
{
    static const struct {
        const char *file;
        double cod, cod_tol, prd, prd_tol, prb, prb_tol;
    } t[] = {
        {"iaao_table_1_1.csv", 29.8, 0.05, 0.98, 0.005, 0.232, 0.0005},
        {"iaao_table_1_4.csv", 14.5, 0.05, 0.98, 0.005, 0.135, 0.0005},
        {"iaao_table_d_1.csv", 7.5, 0.05, 1.027, 0.0005, -0.120, 0.0005},
        {"iaao_table_d_2.csv", 7.8, 0.05, 1.056, 0.0005, -0.011, 0.0005},
    };
    (void)state;
    if (!have(DATA "iaao_table_1_1.csv")) skip();
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char path[512];
        fair_ratio *r;
        snprintf(path, sizeof path, DATA "%s", t[i].file);
        r = run(path, "estimate", NULL, 0, 1, FAIR_RATIO_TRIM_NONE);
        assert_abs(stat(r, FAIR_RATIO_COD), t[i].cod, t[i].cod_tol);
        assert_abs(stat(r, FAIR_RATIO_PRD), t[i].prd, t[i].prd_tol);
        assert_abs(stat(r, FAIR_RATIO_PRB), t[i].prb, t[i].prb_tol);
        fair_ratio_free(r);
    }
}

/* Quintos (2020), "A Gini measure for vertical equity in property assessments", Journal of
 * Property Tax Assessment & Administration 17(2): the paper's 30-sale example has MKI 0.794 and
 * KI -0.06 (quintos_sample.csv). */
static void quintos(void **state)
{
    fair_ratio *r;
    (void)state;
    if (!have(DATA "quintos_sample.csv")) skip();
    r = run(DATA "quintos_sample.csv", "estimate", NULL, 0, 1, FAIR_RATIO_TRIM_NONE);
    assert_abs(stat(r, FAIR_RATIO_MKI), 0.794, 0.0005);
    assert_abs(stat(r, FAIR_RATIO_KI), -0.06, 0.005);
    fair_ratio_free(r);
}

/* assessr 0.6.0 (ccao-data/assessr) on ratios_sample.csv, as printed by
 * tests/reference/ratio_assessr.R with R 4.2.2 (sales ordered by sale price, then assessed
 * value): agreement to 1e-9. The median's figure is R's median(). */
static void assessr_figures(void **state)
{
    fair_ratio *r;
    (void)state;
    if (!have(DATA "ratios_sample.csv")) skip();
    r = run(DATA "ratios_sample.csv", "assessed", NULL, 0, 1, FAIR_RATIO_TRIM_NONE);
    assert_rel(stat(r, FAIR_RATIO_MEDIAN), 0.98294545453999993, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_MEAN), 1.000507820666813, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_WEIGHTED_MEAN), 0.95430125846222091, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_COD), 17.814569011968914, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_PRD), 1.0484192615223522, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_PRB), 0.0024757874278359044, 1e-9);
    assert_rel(r->all.prb_ols.lo, -0.014043785612607629, 1e-9); /* prb_ci(alpha = 0.05) */
    assert_rel(r->all.prb_ols.hi, 0.018995360468279439, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_KI), -0.035781706752430753, 1e-9);
    assert_rel(stat(r, FAIR_RATIO_MKI), 0.91197556085395803, 1e-9);
    assert_int_equal(fair_ratio_sales(r), 979);
    fair_ratio_free(r);
}

/* R 4.2.2: kruskal.test(ratio, town) on ratios_sample.csv gives H = 2.7916251101402443,
 * p = 0.094758086082632628. */
static void kruskal_wallis(void **state)
{
    fair_ratio *r;
    (void)state;
    if (!have(DATA "ratios_sample.csv")) skip();
    r = run(DATA "ratios_sample.csv", "assessed", "town", 0, 1, FAIR_RATIO_TRIM_NONE);
    assert_int_equal(r->n_attrs, 1);
    assert_int_equal(r->attrs[0].n_groups, 2);
    assert_string_equal(r->attrs[0].groups[0].label, "Evanston");
    assert_rel(r->attrs[0].kw_h.value, 2.7916251101402443, 1e-12);
    assert_rel(r->attrs[0].kw_p.value, 0.094758086082632628, 1e-9);
    assert_rel(r->attrs[0].kw_df.value, 1.0, 0);
    /* the reference is the largest group: New Trier, 510 sales */
    assert_int_equal(r->attrs[0].ref, 1);
    assert_int_equal(r->attrs[0].groups[1].n, 510);
    fair_ratio_free(r);
}

/* Trimming bounds and counts against R 4.2.2 on ratios_sample.csv (quantile type 7):
 * quantile(r, c(.05, .95)) = 0.60719391065399997, 1.4637413306439999, 98 outside; the
 * 1.5 IQR fences 0.56765728031249985, 1.3647351556125003 leave 117 outside, 3 IQR 28. */
static void trimming(void **state)
{
    fair_ratio *r;
    (void)state;
    if (!have(DATA "ratios_sample.csv")) skip();
    r = run(DATA "ratios_sample.csv", "assessed", "town", 0, 1, FAIR_RATIO_TRIM_P5P95);
    assert_rel(r->trim_lo, 0.60719391065399997, 1e-12);
    assert_rel(r->trim_hi, 1.4637413306439999, 1e-12);
    assert_int_equal(r->trimmed, 98);
    assert_int_equal(r->all.n, 979 - 98);
    assert_int_equal(r->attrs[0].groups[0].trimmed + r->attrs[0].groups[1].trimmed, 98);
    fair_ratio_free(r);
    r = run(DATA "ratios_sample.csv", "assessed", NULL, 0, 1, FAIR_RATIO_TRIM_IQR15);
    assert_rel(r->trim_lo, 0.56765728031249985, 1e-12);
    assert_rel(r->trim_hi, 1.3647351556125003, 1e-12);
    assert_int_equal(r->trimmed, 117);
    fair_ratio_free(r);
    r = run(DATA "ratios_sample.csv", "assessed", NULL, 0, 1, FAIR_RATIO_TRIM_IQR3);
    assert_int_equal(r->trimmed, 28);
    fair_ratio_free(r);
}

/* Four sales, by hand. Ratios 90/100 = 0.9, 200/200 = 1.0, 330/300 = 1.1, 380/400 = 0.95;
 * sorted 0.9 0.95 1.0 1.1: median (0.95 + 1.0) / 2 = 0.975; mean 3.95 / 4 = 0.9875;
 * weighted mean 1000 / 1000 = 1; COD = 100 (0.075 + 0.025 + 0.025 + 0.125) / 4 / 0.975
 * = 6.41025641025641; PRD = 0.9875. Ranked by sale price the assessed values are 90 200 330
 * 380: G_A = (2 (90 + 400 + 990 + 1520) / 1000 - 5) / 4 = 0.25, and G_S = (2 * 3000 / 1000
 * - 5) / 4 = 0.25, so KI = 0 and MKI = 1. Errors A - S: -10, 0, 30, -20: ME 0, MAE 15,
 * MAPE 100 (0.1 + 0 + 0.1 + 0.05) / 4 = 6.25, RMSE sqrt(1400 / 4) = 18.708286933869708. */
static void hand_computed(void **state)
{
    fair_ratio *r;
    const char *p = write_csv("a,s\n90,100\n200,200\n330,300\n380,400\n");
    (void)state;
    {
        fair_ratio_options o;
        fair_error err;
        fair_ratio_options_init(&o);
        o.assessed_col = "a";
        o.sale_col = "s";
        o.bootstrap = 0;
        assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_OK);
    }
    assert_rel(stat(r, FAIR_RATIO_MEDIAN), 0.975, 1e-15);
    assert_rel(stat(r, FAIR_RATIO_MEAN), 0.9875, 1e-15);
    assert_rel(stat(r, FAIR_RATIO_WEIGHTED_MEAN), 1.0, 1e-15);
    assert_rel(stat(r, FAIR_RATIO_COD), 6.41025641025641, 1e-13);
    assert_rel(stat(r, FAIR_RATIO_PRD), 0.9875, 1e-15);
    assert_abs(stat(r, FAIR_RATIO_KI), 0.0, 1e-15);
    assert_rel(stat(r, FAIR_RATIO_MKI), 1.0, 1e-15);
    assert_abs(r->all.err[FAIR__RERR_ME].value, 0.0, 1e-12);
    assert_rel(r->all.err[FAIR__RERR_MAE].value, 15.0, 1e-15);
    assert_rel(r->all.err[FAIR__RERR_MAPE].value, 6.25, 1e-14);
    assert_rel(r->all.err[FAIR__RERR_RMSE].value, 18.708286933869708, 1e-15);
    /* 4 sales: too few for the 95% interval of the median (n = 4: j = 2, rank 0) */
    assert_false(r->all.median_rank.ok);
    fair_ratio_free(r);
    unlink(p);
}

/* The IAAO order-statistic interval of the median, by hand: j = ceil(1.959964 sqrt(n) / 2).
 * n = 979: j = ceil(30.66) = 31, ranks 490 -+ 31 = 459 and 521. n = 10: j = ceil(3.099) = 4,
 * ranks 5 - 4 = 1 and 6 + 4 = 10. n = 6: j = 3, rank 0: none. */
static void median_ranks(void **state)
{
    size_t lo, hi;
    (void)state;
    assert_true(fair__ratio_median_ranks(979, 0.95, &lo, &hi));
    assert_int_equal(lo, 459);
    assert_int_equal(hi, 521);
    assert_true(fair__ratio_median_ranks(10, 0.95, &lo, &hi));
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 10);
    assert_false(fair__ratio_median_ranks(6, 0.95, &lo, &hi));
}

/* Rows with a missing, invalid or non-positive value are counted by reason; --strict makes
 * the first an error naming the line and column. */
static void skip_reasons(void **state)
{
    const char *p = write_csv("g;a;s\nx;100;120\nx;;100\nx;abc;100\nx;-5;100\nx;100;\nx;100;0\n"
                              "x;100,5;110\n;100;100\nx;1;2;3\n");
    fair_ratio_options o;
    fair_ratio *r = NULL;
    fair_error err;
    const char *groups[1] = {"g"};
    (void)state;
    fair_ratio_options_init(&o);
    o.assessed_col = "a";
    o.sale_col = "s";
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.bootstrap = 0;
    assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_OK);
    assert_int_equal(fair_ratio_rows_read(r), 9);
    assert_int_equal(fair_ratio_sales(r), 2); /* 100/120 and 100,5/110 (decimal comma) */
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_MISSING_ASSESSED), 1);
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_INVALID_ASSESSED), 1);
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_NONPOSITIVE_ASSESSED), 1);
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_MISSING_SALE_PRICE), 1);
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_NONPOSITIVE_SALE_PRICE), 1);
    assert_int_equal(fair_ratio_rows_skipped(r, FAIR_SKIP_MISSING_GROUP), 1);
    assert_int_equal(fair_ratio_rows_skipped(r, FAIR_SKIP_WRONG_FIELD_COUNT), 1);
    fair_ratio_free(r);
    o.strict = 1;
    assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_EDATA);
    assert_null(r);
    assert_non_null(strstr(err.msg, ":3: missing assessed value in column 2 ('a')"));
    unlink(p);
}

/* Bad options and inputs: each status provoked. */
static void errors(void **state)
{
    fair_ratio_options o;
    fair_ratio *r = NULL;
    fair_error err;
    const char *p = write_csv("a,s\n1,0\n");
    (void)state;
    fair_ratio_options_init(&o);
    assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_EINVAL); /* no columns */
    o.assessed_col = "a";
    o.sale_col = "nope";
    assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "no column named 'nope' (sale price column)"));
    o.sale_col = "s";
    assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_EDATA); /* no valid sale */
    o.quantiles = 1;
    assert_int_equal(fair_ratio_run(p, &o, &r, &err), FAIR_EINVAL);
    assert_null(r);
    unlink(p);
}

/* The JSON `results` of a study, as text. */
static char *results_json(const fair_ratio *r)
{
    char *buf = NULL, *cut;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_int_equal(fair_ratio_report_write(r, FAIR_FORMAT_JSON, NULL, f, NULL), FAIR_OK);
    fclose(f);
    cut = strstr(buf, "\n  \"run\":");
    assert_non_null(cut);
    *cut = '\0';
    return buf;
}

/* Same input, options and seed: byte-identical results for 1, 2 and 3 threads (the parse is
 * split into 4 KiB jobs, the bootstrap into replicates). */
static void threads_identical(void **state)
{
    char *j[3];
    (void)state;
    if (!have(DATA "ratios_sample.csv")) skip();
    for (size_t t = 0; t < 3; t++) {
        fair_ratio *r = run(DATA "ratios_sample.csv", "assessed", "town", 200, t + 1,
                            FAIR_RATIO_TRIM_NONE);
        assert_true(r->all.boot[FAIR_RATIO_COD].pct.ok);
        j[t] = results_json(r);
        fair_ratio_free(r);
    }
    assert_string_equal(j[0], j[1]);
    assert_string_equal(j[0], j[2]);
    for (size_t t = 0; t < 3; t++) free(j[t]);
}

/* The percentile intervals of the bootstrap bracket the point estimates on a real sample,
 * and the stratified bootstrap keeps group sizes: the median difference's interval exists. */
static void bootstrap_sane(void **state)
{
    fair_ratio *r;
    (void)state;
    if (!have(DATA "ratios_sample.csv")) skip();
    r = run(DATA "ratios_sample.csv", "assessed", "town", 300, 2, FAIR_RATIO_TRIM_NONE);
    for (size_t f = 0; f < FAIR_RATIO_VEI; f++) {
        const fair__boot *b = &r->all.boot[f];
        assert_true(b->pct.ok);
        assert_true(b->pct.lo <= r->all.st[f].value && r->all.st[f].value <= b->pct.hi);
        assert_int_equal(b->undefined, 0);
    }
    assert_true(r->attrs[0].groups[0].boot_median_diff.pct.ok);
    fair_ratio_free(r);
}

/* Allocation n fails, for n = 0, 1, 2, ... until the study succeeds: FAIR_ENOMEM every time
 * before that, nothing leaked (AddressSanitizer). */
static void out_of_memory(void **state)
{
    const char *p = write_csv("g,a,s\nx,90,100\ny,200,200\nx,330,300\ny,380,400\nx,120,100\n"
                              "y,150,170\nx,210,190\ny,100,130\n");
    fair_ratio_options o;
    const char *groups[1] = {"g"};
    fair_ratio *r = NULL;
    fair_status st = FAIR_ENOMEM;
    fair_error oom_err;
    (void)state;
    fair_error_init(&oom_err);
    fair_ratio_options_init(&o);
    o.assessed_col = "a";
    o.sale_col = "s";
    o.group_cols = groups;
    o.n_group_cols = 1;
    o.bootstrap = 20;
    o.quantiles = 2;
    o.n_threads = 1;
    for (long n = 0; st == FAIR_ENOMEM && n < 100000; n++) {
        fair__alloc_fail_after(n);
        st = fair_ratio_run(p, &o, &r, &oom_err);
        fair__alloc_fail_after(-1);
        if (st != FAIR_OK && st != FAIR_ENOMEM) fail_msg("n = %ld: %s: %s", n, fair_status_name(st), oom_err.msg);
        if (st != FAIR_OK) assert_null(r);
    }
    assert_int_equal(st, FAIR_OK);
    fair_ratio_free(r);
    unlink(p);
}

typedef struct {
    double a, s;
} sale;

static int by_ratio(const void *x, const void *y)
{
    const sale *p = x, *q = y;
    double rp = p->a / p->s, rq = q->a / q->s;
    if (rp != rq) return rp < rq ? -1 : 1;
    return (p->s > q->s) - (p->s < q->s);
}

static int by_price(const void *x, const void *y)
{
    const sale *p = x, *q = y;
    if (p->s != q->s) return p->s < q->s ? -1 : 1;
    return (p->a > q->a) - (p->a < q->a);
}

/* A replicate's statistics with multiplicities c_i (the bootstrap's weighted formulas: median
 * walk, COD from partial sums, shifted regression moments, Gini rank sums of repeated rows)
 * equal the point statistics of the sample in which sale i is written out c_i times. 400
 * sales with distinct ratios and prices; 8- and 32-bit counts give the same. near = 0: counts
 * 0..3 from the generator (the median moves far: the PRB's logs come from log()); near = 1:
 * every count 1 but one sale below the median dropped (the median moves by half a gap between
 * ratios: the PRB's logs come from the series). */
static void replicate_case(int near)
{
    enum { M = 400 };
    sale v[M], *e = malloc(3 * M * sizeof *e);
    fair__rsorted d;
    uint8_t c8[M], cr8[M];
    uint32_t c32[M], cr32[M], wr[2 * M];
    double *ea = malloc(3 * M * sizeof(double)), *es = malloc(3 * M * sizeof(double));
    double *pa = malloc(3 * M * sizeof(double)), *ps = malloc(3 * M * sizeof(double));
    double *x = malloc(3 * M * sizeof(double)), *y = malloc(3 * M * sizeof(double));
    fair__num rep8[FAIR_RATIO_STAT_COUNT], rep32[FAIR_RATIO_STAT_COUNT], pt[FAIR_RATIO_STAT_COUNT];
    fair_rng r;
    size_t ne = 0;
    fair_rng_seed(&r, 2024, 1);
    for (size_t i = 0; i < M; i++) {
        v[i].s = 100000.0 + 17.0 * (double)i + (double)fair_rng_bounded(&r, 13);
        v[i].a = v[i].s * (0.7 + 0.6 * fair_rng_uniform(&r));
    }
    /* ids = order by price; the set's arrays by ratio and by price */
    qsort(v, M, sizeof *v, by_price);
    d.m = M;
    d.rr = malloc(M * sizeof(double));
    d.ar = malloc(M * sizeof(double));
    d.sr = malloc(M * sizeof(double));
    d.as = malloc(M * sizeof(double));
    d.ss = malloc(M * sizeof(double));
    d.ir = malloc(M * sizeof(uint32_t));
    d.is = malloc(M * sizeof(uint32_t));
    for (size_t i = 0; i < M; i++) {
        d.as[i] = v[i].a;
        d.ss[i] = v[i].s;
        d.is[i] = (uint32_t)i;
        c32[i] = fair_rng_bounded(&r, 4);
        c8[i] = (uint8_t)c32[i];
    }
    {
        sale w[M];
        size_t ord[M];
        memcpy(w, v, sizeof w);
        for (size_t i = 0; i < M; i++) ord[i] = i;
        /* ratio order of the ids: sort ids by their sale's ratio */
        for (size_t i = 1; i < M; i++)
            for (size_t j = i; j > 0 && by_ratio(&w[ord[j]], &w[ord[j - 1]]) < 0; j--) {
                size_t t = ord[j];
                ord[j] = ord[j - 1];
                ord[j - 1] = t;
            }
        if (near) {
            for (size_t i = 0; i < M; i++) c32[i] = 1;
            c32[ord[50]] = 0;
            for (size_t i = 0; i < M; i++) c8[i] = (uint8_t)c32[i];
        }
        for (size_t i = 0; i < M; i++) {
            d.ir[i] = (uint32_t)i; /* positions in the ratio order (here: of this set) */
            cr32[i] = c32[ord[i]];
            cr8[i] = c8[ord[i]];
            d.ar[i] = w[ord[i]].a;
            d.sr[i] = w[ord[i]].s;
            d.rr[i] = w[ord[i]].a / w[ord[i]].s;
        }
    }
    assert_int_equal(fair__ratio_replicate_prepare(&d), FAIR_OK);
    {
        fair__rcounts k8 = {cr8, c8, NULL, NULL}, k32 = {NULL, NULL, cr32, c32};
        fair__rsorted all = d; /* the same set as the set of all sales: no position arrays */
        fair__num a8[FAIR_RATIO_STAT_COUNT], a32[FAIR_RATIO_STAT_COUNT];
        fair__ratio_replicate(&d, &k8, wr, wr + M, rep8);
        fair__ratio_replicate(&d, &k32, wr, wr + M, rep32);
        all.ir = all.is = NULL;
        fair__ratio_replicate(&all, &k8, wr, wr + M, a8);
        fair__ratio_replicate(&all, &k32, wr, wr + M, a32);
        for (size_t f = 0; f < FAIR_RATIO_VEI; f++) {
            assert_true(a8[f].defined && a32[f].defined);
            assert_rel(a8[f].value, rep8[f].value, 0);
            assert_rel(a32[f].value, rep32[f].value, 0);
        }
    }
    /* the expanded sample */
    for (size_t i = 0; i < M; i++)
        for (uint32_t k = 0; k < c32[i]; k++) e[ne++] = v[i];
    qsort(e, ne, sizeof *e, by_ratio);
    for (size_t i = 0; i < ne; i++) {
        ea[i] = e[i].a;
        es[i] = e[i].s;
    }
    qsort(e, ne, sizeof *e, by_price);
    for (size_t i = 0; i < ne; i++) {
        pa[i] = e[i].a;
        ps[i] = e[i].s;
    }
    fair__ratio_point(ea, es, pa, ps, ne, 0.95, x, y, pt, NULL);
    {
        /* the path taken: t = 1 - m0 / median of the replicate, m0 = the set's median */
        double m0 = 0.5 * (d.rr[M / 2 - 1] + d.rr[M / 2]), t = 1.0 - m0 / rep8[0].value;
        if (near) assert_true(t != 0 && fabs(t) <= FAIR__RATIO_SERIES_MAX);
        else assert_true(fabs(t) > FAIR__RATIO_SERIES_MAX);
    }
    for (size_t f = 0; f < FAIR_RATIO_VEI; f++) {
        assert_true(pt[f].defined && rep8[f].defined && rep32[f].defined);
        assert_rel(rep8[f].value, pt[f].value, 1e-11);
        assert_rel(rep32[f].value, rep8[f].value, 0);
    }
    free(e); free(ea); free(es); free(pa); free(ps); free(x); free(y);
    free(d.rr); free(d.ar); free(d.sr); free(d.as); free(d.ss); free(d.ir); free(d.is);
    fair__free(d.lx); fair__free(d.wx);
}

static void replicate_matches_expanded(void **state)
{
    (void)state;
    replicate_case(0);
}

static void replicate_series_matches_expanded(void **state)
{
    (void)state;
    replicate_case(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iaao_tables),     cmocka_unit_test(quintos),
        cmocka_unit_test(assessr_figures), cmocka_unit_test(kruskal_wallis),
        cmocka_unit_test(trimming),        cmocka_unit_test(hand_computed),
        cmocka_unit_test(median_ranks),    cmocka_unit_test(skip_reasons),
        cmocka_unit_test(errors),          cmocka_unit_test(threads_identical),
        cmocka_unit_test(bootstrap_sane),  cmocka_unit_test(out_of_memory),
        cmocka_unit_test(replicate_matches_expanded),
        cmocka_unit_test(replicate_series_matches_expanded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_oom.c -- out-of-memory loops over a whole audit and its reports (STYLE T4): the n-th
 * allocation fails, for n = 0, 1, 2, ... until the run succeeds. Every earlier run must fail
 * cleanly: fair_audit_run() with FAIR_ENOMEM and *out == NULL, a report writer with
 * FAIR_ENOMEM; nothing may crash, and the sanitizer tier (tests/run_all.sh, tier 2) checks that
 * nothing leaks. The audit has two group columns with --intersect, a score column and a
 * bootstrap of B = 50, so every stage allocates: source, tokenizer, group table, attributes,
 * comparisons, bootstrap, the JSON tree and the text writer.
 *
 * jansson allocates with malloc() unless told otherwise, and json_set_alloc_funcs() is
 * process-wide, so the library never calls it. This test is a program of its own and does, in
 * test_oom_jansson: jansson's allocations then go through fair__malloc() too and fail one by
 * one (docs/security.md, "Out of memory"). */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h" /* fair__alloc_fail_after, fair__malloc, fair__free */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* 48 rows: sex x region, with a few rows skipped for various reasons. */
static char *make_csv(size_t *len)
{
    static const char *const sex[] = {"f", "m", "x"};
    static const char *const region[] = {"north", "south", "\"east, far\""};
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    n += (size_t)snprintf(s + n, cap - n, "sex,region,label,pred,score\n");
    for (unsigned i = 0; i < 48; i++) {
        unsigned h = (i * 7919u + 13u) % 101u;
        n += (size_t)snprintf(s + n, cap - n, "%s,%s,%u,%u,0.%02u\n", sex[h % 3], region[(h / 3) % 3],
                              (h / 2) % 2, (h / 5) % 2, h % 100);
    }
    n += (size_t)snprintf(s + n, cap - n, "f,north,maybe,1,0.5\nm,,1,0,0.5\nx,south,1\n");
    assert_true(n < cap);
    *len = n;
    return s;
}

static char *write_temp(const char *content, size_t n)
{
    char *path = strdup("/tmp/fair_test_oom_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

/* The same bytes, gzip-compressed (zlib's own allocations are not ours; see docs/security.md). */
static char *write_temp_gzip(const char *content, size_t n)
{
    char *path = strdup("/tmp/fair_test_oom_gz_XXXXXX");
    int fd = mkstemp(path);
    gzFile gz;
    assert_true(fd >= 0);
    gz = gzdopen(fd, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, content, (unsigned)n), (int)n);
    assert_int_equal(gzclose(gz), Z_OK);
    return path;
}

static void options(fair_audit_options *o, size_t threads)
{
    static const char *const groups[] = {"sex", "region"};
    fair_audit_options_init(o);
    o->group_cols = groups;
    o->n_group_cols = 2;
    o->intersect = 1;
    o->label_col = "label";
    o->pred_col = "pred";
    o->score_col = "score";
    o->bootstrap = 50;
    o->min_group_size = 3;
    o->n_threads = threads;
    o->chunk_bytes = 97; /* with threads > 1: the parallel parse, in ranges of 97 bytes */
}

/* One report into a memory stream (whose buffer is libc's, outside the injection); the caller
 * frees *text. */
static fair_status write_report(const fair_audit *a, fair_format f, char **text, size_t *len)
{
    FILE *m;
    fair_report_run run = {"fairaudit audit oom.csv", "2024-06-01T00:00:00Z", 0};
    fair_error err;
    fair_status st;
    *text = NULL;
    *len = 0;
    m = open_memstream(text, len);
    assert_non_null(m);
    fair_error_init(&err);
    st = fair_report_write(a, f, &run, m, &err);
    assert_int_equal(fclose(m), 0);
    if (st != FAIR_OK) assert_true(err.msg[0] != '\0');
    return st;
}

/* The loop: the n-th allocation of the sequence (audit, JSON report, text report) fails, for
 * n = 0, 1, 2, ... until all three succeed. Returns that n: the number of runs that failed. */
static long oom_loop(const char *path, const fair_audit_options *o)
{
    long n, made = 0;
    for (n = 0;; n++) {
        fair_audit *a = (fair_audit *)1;
        fair_error err;
        fair_status st;
        char *json = NULL, *text = NULL;
        size_t json_len = 0, text_len = 0;
        const char *stage = "audit";
        fair_error_init(&err);
        fair__alloc_fail_after(n);
        st = fair_audit_run(path, o, &a, &err);
        if (st != FAIR_OK) {
            assert_null(a);
            assert_true(err.msg[0] != '\0');
        } else {
            stage = "JSON report";
            st = write_report(a, FAIR_FORMAT_JSON, &json, &json_len);
            if (st == FAIR_OK) {
                stage = "text report";
                st = write_report(a, FAIR_FORMAT_TEXT, &text, &text_len);
            }
            fair_audit_free(a);
        }
        made = fair__alloc_fail_after(-1);
        if (st == FAIR_OK) {
            json_error_t jerr;
            json_t *root = json_loadb(json, json_len, 0, &jerr);
            assert_non_null(root);
            json_decref(root);
            assert_true(text_len > 1000);
            free(json);
            free(text);
            break;
        }
        free(json);
        free(text);
        if (st != FAIR_ENOMEM)
            fail_msg("n = %ld: %s: %s (%s)", n, stage, fair_status_name(st), err.msg);
        assert_true(n < 1000000);
    }
    print_message("  allocations 0..%ld failed one at a time, every one cleanly; then %ld "
                  "allocations succeeded\n", n - 1, made);
    return n;
}

static void run_case(size_t n_group_cols, size_t threads, int gzip)
{
    fair_audit_options o;
    size_t len;
    char *csv = make_csv(&len);
    char *path = gzip ? write_temp_gzip(csv, len) : write_temp(csv, len);
    long n;
    options(&o, threads);
    o.n_group_cols = n_group_cols;
    o.intersect = n_group_cols > 1;
    n = oom_loop(path, &o);
    assert_true(n > 50);
    unlink(path);
    free(path);
    free(csv);
}

/* One reader, plain file; sex, region and their intersection. */
static void test_oom_serial(void **state)
{
    (void)state;
    run_case(2, 1, 0);
}

/* Three threads on 97-byte ranges: the parallel parse's per-thread parsers, tables and merge.
 * Which thread allocates when is not fixed, so the count can vary from run to run; every
 * failure must still be clean. */
static void test_oom_threads(void **state)
{
    (void)state;
    run_case(2, 3, 0);
}

/* gzip input: the source's inflate buffers (zlib's internal state is zlib's own malloc). */
static void test_oom_gzip(void **state)
{
    (void)state;
    run_case(2, 1, 1);
}

/* jansson's allocations through the hook too: every node, string and dump buffer of the JSON
 * report fails in turn. The audit is made once, outside the loop (the loops above fail its
 * allocations), and one group column keeps the report to about 5,000 allocations: each run
 * repeats the ones before it, and the JSON code is the same for every group. */
static void test_oom_jansson(void **state)
{
    fair_audit_options o;
    fair_audit *a = NULL;
    fair_error err;
    size_t len;
    char *csv = make_csv(&len);
    char *path = write_temp(csv, len);
    long n, made = 0;
    (void)state;
    options(&o, 1);
    o.n_group_cols = 1;
    o.intersect = 0;
    fair_error_init(&err);
    assert_int_equal(fair_audit_run(path, &o, &a, &err), FAIR_OK);
    json_set_alloc_funcs(fair__malloc, fair__free);
    for (n = 0;; n++) {
        char *json = NULL, *text = NULL;
        size_t json_len = 0, text_len = 0;
        fair_status st;
        fair__alloc_fail_after(n);
        st = write_report(a, FAIR_FORMAT_JSON, &json, &json_len);
        if (st == FAIR_OK) st = write_report(a, FAIR_FORMAT_TEXT, &text, &text_len);
        made = fair__alloc_fail_after(-1);
        free(text);
        if (st == FAIR_OK) {
            json_error_t jerr;
            json_t *root;
            json_set_alloc_funcs(malloc, free);
            root = json_loadb(json, json_len, 0, &jerr);
            assert_non_null(root);
            json_decref(root);
            free(json);
            break;
        }
        free(json);
        if (st != FAIR_ENOMEM) fail_msg("n = %ld: %s", n, fair_status_name(st));
        assert_true(n < 1000000);
    }
    print_message("  report allocations 0..%ld (jansson's included) failed one at a time, every "
                  "one cleanly; then %ld allocations succeeded\n", n - 1, made);
    assert_true(n > 1000);
    fair_audit_free(a);
    unlink(path);
    free(path);
    free(csv);
}

/* Reading reports back: `compare` of two reports (both outputs) and recording one in an
 * in-memory history database; every allocation of ours fails in turn (SQLite's are SQLite's).
 * jansson's allocations are not hooked here: its parser reports a failed allocation inside a
 * string token as a syntax error ("string or '}' expected"), so a hooked loop cannot tell the
 * two apart; test_oom_jansson covers jansson's allocations on the writing side. */
static void test_oom_compare(void **state)
{
    fair_audit_options o;
    fair_audit *a = NULL, *b = NULL;
    fair_error err;
    size_t len, jlen[2];
    char *csv = make_csv(&len);
    char *path = write_temp(csv, len), *json[2], *paths[2];
    long n, made = 0;
    (void)state;
    options(&o, 1);
    o.n_group_cols = 1;
    o.intersect = 0;
    o.bootstrap = 20;
    fair_error_init(&err);
    assert_int_equal(fair_audit_run(path, &o, &a, &err), FAIR_OK);
    o.group_cols += 1; /* region instead of sex: groups vanish and appear */
    assert_int_equal(fair_audit_run(path, &o, &b, &err), FAIR_OK);
    assert_int_equal(write_report(a, FAIR_FORMAT_JSON, &json[0], &jlen[0]), FAIR_OK);
    assert_int_equal(write_report(b, FAIR_FORMAT_JSON, &json[1], &jlen[1]), FAIR_OK);
    paths[0] = write_temp(json[0], jlen[0]);
    paths[1] = write_temp(json[1], jlen[1]);
    for (n = 0;; n++) {
        fair_compare *c = (fair_compare *)1;
        char *out = NULL;
        size_t out_len = 0;
        FILE *m;
        fair_status st;
        fair_error_init(&err);
        fair__alloc_fail_after(n);
        st = fair_compare_files(paths[0], paths[1], NULL, &c, &err);
        if (st != FAIR_OK) assert_null(c);
        m = open_memstream(&out, &out_len);
        assert_non_null(m);
        if (st == FAIR_OK) st = fair_compare_write(c, FAIR_FORMAT_JSON, 0, NULL, m, &err);
        if (st == FAIR_OK) st = fair_compare_write(c, FAIR_FORMAT_TEXT, 1, NULL, m, &err);
        if (st == FAIR_OK) st = fair_history_append(":memory:", json[0], jlen[0], 0, NULL, &err);
        made = fair__alloc_fail_after(-1);
        if (c != (fair_compare *)1) fair_compare_free(c);
        assert_int_equal(fclose(m), 0);
        free(out);
        if (st == FAIR_OK) break;
        if (st != FAIR_ENOMEM) fail_msg("n = %ld: %s: %s", n, fair_status_name(st), err.msg);
        assert_true(n < 1000000);
    }
    print_message("  compare and history allocations 0..%ld failed one at a time, every one "
                  "cleanly; then %ld allocations succeeded\n", n - 1, made);
    assert_true(n > 100);
    for (int i = 0; i < 2; i++) {
        unlink(paths[i]);
        free(paths[i]);
        free(json[i]);
    }
    fair_audit_free(a);
    fair_audit_free(b);
    unlink(path);
    free(path);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oom_serial),
        cmocka_unit_test(test_oom_threads),
        cmocka_unit_test(test_oom_gzip),
        cmocka_unit_test(test_oom_jansson),
        cmocka_unit_test(test_oom_compare),
    };
    /* FAIR_TEST_FILTER=test_oom_gzip runs one test (cmocka's pattern: * and ? wildcards). */
    if (getenv("FAIR_TEST_FILTER")) cmocka_set_test_filter(getenv("FAIR_TEST_FILTER"));
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_state.c -- partial states (src/state.c, docs/partial-state.md): counts of shards merged
 * equal the counts of the whole, counted by hand; the encoding round-trips; every truncation,
 * every flipped byte and hostile lengths behind a valid checksum are errors, never crashes or
 * huge allocations; states made with other options are refused with the difference named; parts
 * of a file chain up, or the break is reported; every allocation failure is FAIR_ENOMEM. The same
 * for a ratio study's states, which carry the sales: merged shards give the statistics of the
 * whole, computed by hand; a state of the other kind is refused. */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h" /* fair__alloc_fail_after */
#include "audit_internal.h" /* fair_audit.input_sha256 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char *write_temp(const char *content, size_t n)
{
    char *path = strdup("/tmp/fair_test_state_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

/* Two shards of one file. Counted by hand, cell = (label, pred):
 *   shard A: f (1,1) (0,0) (1,0); m (0,1) (1,1)
 *   shard B: f (0,0) (0,0);       m (1,1) (0,0); x (1,0); and one row with an invalid label
 *   f: tn 3, fp 0, fn 1, tp 1 (n 5)   m: tn 1, fp 1, fn 0, tp 2 (n 4)   x: fn 1 (n 1)
 *   rows read 11, used 10, skipped 1 (invalid label). */
static const char shard_a[] = "sex,label,pred,score\n"
                              "f,1,1,0.81\nf,0,0,0.12\nf,1,0,0.33\nm,0,1,0.64\nm,1,1,0.81\n";
static const char shard_b[] = "f,0,0,0.12\nf,0,0,0.5\nm,1,1,0.97\nm,0,0,0.45\nx,1,0,0.5\n"
                              "m,maybe,1,0.5\n";

static void options(fair_audit_options *o)
{
    static const char *const groups[] = {"sex"};
    fair_audit_options_init(o);
    o->group_cols = groups;
    o->n_group_cols = 1;
    o->label_col = "label";
    o->pred_col = "pred";
    o->score_col = "score";
    o->bootstrap = 0;
    o->n_threads = 1;
}

/* A state of a CSV file, of either kind: fair_state_from_csv() or fair_state_from_ratio_csv(). */
typedef fair_status (*state_of_csv)(const char *path, const void *o, const fair_state_options *so,
                                    fair_state **out, fair_error *err);

static fair_status audit_of_csv(const char *path, const void *o, const fair_state_options *so,
                                fair_state **out, fair_error *err)
{
    return fair_state_from_csv(path, o, so, out, err);
}

static fair_status ratio_of_csv(const char *path, const void *o, const fair_state_options *so,
                                fair_state **out, fair_error *err)
{
    return fair_state_from_ratio_csv(path, o, so, out, err);
}

/* The states of shards A and B (B read with A's header) as bytes, when asked for, and their
 * merge. */
static fair_state *merged_shards(state_of_csv of, const void *o, const char *text_a, size_t len_a,
                                 const char *text_b, size_t len_b, unsigned char **a_bytes,
                                 size_t *a_len, unsigned char **b_bytes, size_t *b_len)
{
    fair_state_options so;
    fair_state *a = NULL, *b = NULL;
    fair_error err;
    char *pa = write_temp(text_a, len_a), *pb = write_temp(text_b, len_b);
    fair_state_options_init(&so);
    assert_int_equal(of(pa, o, &so, &a, &err), FAIR_OK);
    so.header_from = pa;
    assert_int_equal(of(pb, o, &so, &b, &err), FAIR_OK);
    if (a_bytes) assert_int_equal(fair_state_encode(a, a_bytes, a_len, &err), FAIR_OK);
    if (b_bytes) assert_int_equal(fair_state_encode(b, b_bytes, b_len, &err), FAIR_OK);
    assert_int_equal(fair_state_merge(a, b, &err), FAIR_OK);
    fair_state_free(b);
    unlink(pa);
    unlink(pb);
    free(pa);
    free(pb);
    return a;
}

/* The merged state of both shards, and the bytes of shard A's and of shard B's states. */
static fair_state *two_shards2(unsigned char **a_bytes, size_t *a_len, unsigned char **b_bytes,
                               size_t *b_len)
{
    fair_audit_options o;
    options(&o);
    return merged_shards(audit_of_csv, &o, shard_a, sizeof shard_a - 1, shard_b, sizeof shard_b - 1,
                         a_bytes, a_len, b_bytes, b_len);
}

static fair_state *two_shards(unsigned char **a_bytes, size_t *a_len)
{
    return two_shards2(a_bytes, a_len, NULL, NULL);
}

static void test_merged_counts(void **unused)
{
    fair_audit_options o;
    fair_audit *au = NULL;
    fair_error err;
    fair_state *s = two_shards(NULL, NULL);
    fair_counts c;
    (void)unused;
    options(&o);
    o.label_col = "ignored: the state's columns are used";
    assert_int_equal(fair_audit_from_state(s, &o, &au, &err), FAIR_OK);
    assert_int_equal(fair_audit_rows_read(au), 11);
    assert_int_equal(fair_audit_rows_used(au), 10);
    assert_int_equal(fair_audit_rows_skipped(au, FAIR_SKIP_INVALID_LABEL), 1);
    assert_int_equal(fair_audit_n_groups(au, 0), 3);
    assert_string_equal(fair_audit_group_label(au, 0, 0), "f");
    c = fair_audit_group_counts(au, 0, 0);
    assert_int_equal(c.tn, 3), assert_int_equal(c.fp, 0), assert_int_equal(c.fn, 1), assert_int_equal(c.tp, 1);
    c = fair_audit_group_counts(au, 0, 1);
    assert_int_equal(c.tn, 1), assert_int_equal(c.fp, 1), assert_int_equal(c.fn, 0), assert_int_equal(c.tp, 2);
    c = fair_audit_group_counts(au, 0, 2);
    assert_int_equal(c.tn, 0), assert_int_equal(c.fp, 0), assert_int_equal(c.fn, 1), assert_int_equal(c.tp, 0);
    /* The score histograms merged too. f: positives 0.81 (shard A) and 0.33 (A); negatives
     * 0.12 (A), 0.12 and 0.5 (B). AUC = P(positive scores above a negative) over the 6 pairs:
     * 0.81 beats all 3, 0.33 beats the two 0.12s, so 5/6. */
    assert_rel(fair_audit_group_score(au, 0, 0)->m[FAIR_SCORE_AUC].value, 5.0 / 6.0, 1e-15);
    fair_audit_free(au);
    fair_state_free(s);
}

static void test_round_trip(void **unused)
{
    fair_state *s = two_shards(NULL, NULL), *t = NULL;
    unsigned char *b1, *b2;
    size_t n1, n2;
    fair_error err;
    (void)unused;
    assert_int_equal(fair_state_encode(s, &b1, &n1, &err), FAIR_OK);
    assert_int_equal(fair_state_decode(b1, n1, "mem", &t, &err), FAIR_OK);
    assert_int_equal(fair_state_encode(t, &b2, &n2, &err), FAIR_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    assert_int_equal(fair_state_rows(t), 11);
    /* Magic and format version at the documented offsets (docs/partial-state.md). */
    assert_memory_equal(b1, "\x89" "FAIRST\n", 8);
    assert_int_equal(b1[8], 1); /* an audit's counts: the lowest version that describes them */
    assert_int_equal(b1[12], FAIR_STATE_AUDIT);
    assert_memory_equal(b1 + 24, "OPTS", 4);
    fair_state_encoded_free(b1);
    fair_state_encoded_free(b2);
    fair_state_free(s);
    fair_state_free(t);
}

static void test_truncated_and_flipped(void **unused)
{
    unsigned char *b, *copy;
    size_t n;
    fair_state *s = two_shards(&b, &n), *t;
    fair_error err;
    (void)unused;
    for (size_t len = 0; len < n; len++) {
        t = NULL;
        assert_int_equal(fair_state_decode(b, len, "cut", &t, &err), FAIR_EDATA);
        assert_null(t);
    }
    copy = malloc(n);
    for (size_t i = 0; i < n; i++) {
        memcpy(copy, b, n);
        copy[i] ^= (unsigned char)(1u << (i % 8));
        t = NULL;
        assert_int_equal(fair_state_decode(copy, n, "flip", &t, &err), FAIR_EDATA);
        assert_null(t);
    }
    free(copy);
    fair_state_encoded_free(b);
    fair_state_free(s);
}

/* Puts a new CRC-32 on a changed state, as a hostile writer would. */
static void reseal(unsigned char *b, size_t n)
{
    uLong crc = crc32(0L, b, (uInt)(n - 4));
    for (size_t i = 0; i < 4; i++) b[n - 4 + i] = (unsigned char)(crc >> (8 * i));
}

static size_t find(const unsigned char *b, size_t n, const char *tag)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(b + i, tag, 4) == 0) return i;
    fail_msg("no section %s", tag);
    return 0;
}

static void put_u64(unsigned char *p, uint64_t v)
{
    for (size_t i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void test_hostile(void **unused)
{
    unsigned char *b, *h;
    size_t n, grps, rows;
    fair_state *s = two_shards(&b, &n), *t = NULL;
    fair_error err;
    (void)unused;
    h = malloc(n);
    grps = find(b, n, "GRPS");
    rows = find(b, n, "ROWS");
    /* A group count of 2^60: refused before anything is allocated for it. */
    memcpy(h, b, n);
    put_u64(h + grps + 12 + 1, (uint64_t)1 << 60);
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "big", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "more groups than bytes"));
    /* A section length past the end of the file. */
    memcpy(h, b, n);
    put_u64(h + grps + 4, UINT64_MAX);
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "long", &t, &err), FAIR_EDATA);
    /* Rows read beyond FAIR_STATE_MAX_ROWS. */
    memcpy(h, b, n);
    put_u64(h + rows + 12, FAIR_STATE_MAX_ROWS + 1);
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "rows", &t, &err), FAIR_ELIMIT);
    /* Rows used that the groups do not add up to. */
    memcpy(h, b, n);
    put_u64(h + rows + 12 + 8, 4);
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "sum", &t, &err), FAIR_EDATA);
    /* Version 2 describes an audit's counts as version 1 does. */
    memcpy(h, b, n);
    h[8] = 2;
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "v2", &t, &err), FAIR_OK);
    fair_state_free(t);
    t = NULL;
    /* Another format version. */
    memcpy(h, b, n);
    h[8] = FAIR_STATE_FORMAT_VERSION + 1;
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "v3", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "format version 3"));
    assert_null(t);
    free(h);
    fair_state_encoded_free(b);
    fair_state_free(s);
}

static void test_refuse_other_options(void **unused)
{
    fair_audit_options o;
    fair_state_options so;
    fair_state *a = NULL, *b = NULL;
    fair_error err;
    char *pa = write_temp(shard_a, sizeof shard_a - 1);
    (void)unused;
    options(&o);
    fair_state_options_init(&so);
    assert_int_equal(fair_state_from_csv(pa, &o, &so, &a, &err), FAIR_OK);
    o.label_positive = "1";
    assert_int_equal(fair_state_from_csv(pa, &o, &so, &b, &err), FAIR_OK);
    assert_int_equal(fair_state_merge(a, b, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "positive class of the label: none and '1'"));
    fair_state_free(b);
    options(&o);
    o.score_max = 2.0;
    assert_int_equal(fair_state_from_csv(pa, &o, &so, &b, &err), FAIR_OK);
    assert_int_equal(fair_state_merge(a, b, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "--score-range: 0:1 and 0:2"));
    fair_state_free(b);
    fair_state_free(a);
    unlink(pa);
    free(pa);
}

/* Parts of one file: 3 parts chain up and give the whole file's counts; a quoted line break
 * across a part boundary breaks the chain, and fair_state_check() says so. parts() makes the
 * n_parts states of `csv` (with fair_state_options.skip_digest as given) and merges them. */
static void parts(const char *csv, size_t n_parts, int skip_digest, fair_state **merged)
{
    fair_audit_options o;
    fair_state_options so;
    fair_error err;
    char *p = write_temp(csv, strlen(csv));
    options(&o);
    o.score_col = NULL;
    fair_state_options_init(&so);
    so.n_parts = n_parts;
    so.skip_digest = skip_digest;
    *merged = NULL;
    for (size_t k = 0; k < n_parts; k++) {
        fair_state *s = NULL;
        so.part = k;
        assert_int_equal(fair_state_from_csv(p, &o, &so, &s, &err), FAIR_OK);
        if (!*merged) *merged = s;
        else {
            assert_int_equal(fair_state_merge(*merged, s, &err), FAIR_OK);
            fair_state_free(s);
        }
    }
    unlink(p);
    free(p);
}

/* fair_state_options.skip_digest (fairaudit-mpi's ranks after the first): a part after the
 * first records no SHA-256 and does not hash the file; merged after part 0, the audit's
 * digest is part 0's, the file's (checked against libcrypto's one-shot digest of the bytes);
 * part 0, and a file read whole, keep theirs whatever the option says. */
static void test_parts_skip_digest(void **unused)
{
    static const char csv[] = "sex,label,pred,note\n"
                              "f,1,1,aa\nf,0,0,bb\nm,1,0,cc\nm,0,1,dd\nf,1,1,ee\nx,0,0,ff\n";
    unsigned char want[32];
    unsigned int len = 0;
    fair_audit_options o;
    fair_state *s = NULL;
    fair_audit *au = NULL;
    fair_error err;
    (void)unused;
    assert_int_equal(EVP_Digest(csv, sizeof csv - 1, want, &len, EVP_sha256(), NULL), 1);
    options(&o);
    static const size_t n_parts[] = {3, 1}; /* 3 parts; the whole file (the option ignored) */
    for (size_t i = 0; i < 2; i++) {
        parts(csv, n_parts[i], 1, &s);
        assert_int_equal(fair_state_check(s, &err), FAIR_OK);
        assert_int_equal(fair_audit_from_state(s, &o, &au, &err), FAIR_OK);
        assert_int_equal(fair_audit_rows_read(au), 6);
        assert_memory_equal(au->input_sha256, want, 32);
        fair_audit_free(au);
        fair_state_free(s);
    }
}

static void test_parts(void **unused)
{
    fair_state *s;
    fair_error err;
    fair_audit *au = NULL;
    fair_audit_options o;
    /* 60 data bytes after the 20-byte header: parts start near bytes 20, 40 and 60. */
    static const char plain[] = "sex,label,pred,note\n"
                                "f,1,1,aa\nf,0,0,bb\nm,1,0,cc\nm,0,1,dd\nf,1,1,ee\nx,0,0,ff\n";
    /* Six records of two 8-byte lines each, the note a quoted line break and the next line:
     * `f,1,1,"` + `m,1,0,"` is one record (note "\nm,1,0,"), then a plain record of 18 bytes.
     * Data from byte 20, 114 bytes: part 1 begins at byte 58 and starts at the line at 60, the
     * second line of a record; read from there the lines pair up the other way (valid rows,
     * but wrong ones), while part 0 ends at 68, so the chain breaks. Part 2 starts right, at
     * the line at 100. */
    static const char quoted[] = "sex,label,pred,note\n"
                                 "f,1,1,\"\nm,1,0,\"\nf,0,0,\"\nx,0,1,\"\nm,0,1,\"\nm,1,1,\"\n"
                                 "f,1,0,\"\nx,1,1,\"\nm,0,0,\"\nf,0,0,\"\nx,1,0,\"\nm,0,1,\"\n"
                                 "f,1,1,plain_note_\n";
    (void)unused;
    parts(plain, 3, 0, &s);
    assert_int_equal(fair_state_check(s, &err), FAIR_OK);
    options(&o);
    assert_int_equal(fair_audit_from_state(s, &o, &au, &err), FAIR_OK);
    assert_int_equal(fair_audit_rows_read(au), 6);
    assert_int_equal(fair_audit_n_groups(au, 0), 3); /* f m x */
    assert_int_equal(fair_audit_group_counts(au, 0, 0).tp, 2);
    fair_audit_free(au);
    fair_state_free(s);
    parts(quoted, 3, 0, &s);
    assert_int_equal(fair_state_check(s, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "do not chain up: part 0 ended at byte 68, part 1 started at byte 60"));
    assert_int_equal(fair_audit_from_state(s, &o, &au, &err), FAIR_EDATA);
    assert_null(au);
    fair_state_free(s);
}

/* The analysis of merged states, of either kind, freed at once: its status. */
typedef fair_status (*analysis_of_state)(const fair_state *s, const void *o);

static fair_status audit_analysis(const fair_state *s, const void *o)
{
    fair_audit *au = NULL;
    fair_error err;
    fair_status st = fair_audit_from_state(s, o, &au, &err);
    fair_audit_free(au);
    return st;
}

static fair_status ratio_analysis(const fair_state *s, const void *o)
{
    fair_ratio *r = NULL;
    fair_error err;
    fair_status st = fair_ratio_from_state(s, o, &r, &err);
    fair_ratio_free(r);
    return st;
}

/* Decodes the states b and b2, merges them and runs the analysis, with the k-th allocation
 * made to fail for k = 0, 1, ...: FAIR_ENOMEM each time (nothing leaked: the sanitizer build),
 * until a run in which none fails. Frees b and b2. */
static void oom_decode_merge(unsigned char *b, size_t n, unsigned char *b2, size_t n2,
                             analysis_of_state analyse, const void *o)
{
    fair_error err;
    int done = 0;
    for (long k = 0; !done && k < 100000; k++) {
        fair_state *t = NULL, *u = NULL;
        fair_status st;
        fair__alloc_fail_after(k);
        st = fair_state_decode(b, n, "a", &t, &err);
        if (st == FAIR_OK) st = fair_state_decode(b2, n2, "b", &u, &err);
        if (st == FAIR_OK) st = fair_state_merge(t, u, &err);
        if (st == FAIR_OK) st = analyse(t, o);
        fair__alloc_fail_after(-1);
        if (st == FAIR_OK) done = 1;
        else assert_int_equal(st, FAIR_ENOMEM);
        fair_state_free(t);
        fair_state_free(u);
    }
    assert_true(done);
    fair_state_encoded_free(b);
    fair_state_encoded_free(b2);
}

/* Every allocation failure in decode, merge and analysis is FAIR_ENOMEM with nothing leaked. */
static void test_oom(void **unused)
{
    unsigned char *b, *b2;
    size_t n, n2;
    fair_state *s = two_shards2(&b, &n, &b2, &n2);
    fair_audit_options o;
    (void)unused;
    options(&o);
    oom_decode_merge(b, n, b2, n2, audit_analysis, &o);
    fair_state_free(s);
}

/* One shard's state given twice would count its rows twice: refused, naming both. Parts of
 * one file (the same SHA-256) that do not overlap are fine (test_parts). */
static void test_same_data_twice(void **unused)
{
    unsigned char *b;
    size_t n;
    fair_state *s = two_shards(&b, &n), *t = NULL, *u = NULL;
    fair_error err;
    (void)unused;
    assert_int_equal(fair_state_decode(b, n, "a.state", &t, &err), FAIR_OK);
    assert_int_equal(fair_state_decode(b, n, "copy.state", &u, &err), FAIR_OK);
    assert_int_equal(fair_state_merge(t, u, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "would count twice"));
    fair_state_free(t);
    fair_state_free(u);
    fair_state_encoded_free(b);
    fair_state_free(s);
}

/* ---- a ratio study's states ---- */

/* Two shards of a sales file (group, assessed value, sale price), the second without a header.
 * Valid sales, by hand: x (90, 100) (110, 100) (100, 100); y (50, 100) (200, 100); and two
 * skipped rows: an assessed value 'n/a' (invalid) and a sale price 0 (not positive).
 *   ratios, sorted: 0.5 0.9 1.0 1.1 2.0  -> median 1.0, mean 5.5 / 5 = 1.1
 *   weighted mean: sum A / sum S = 550 / 500 = 1.1;  PRD = mean / weighted mean = 1.0
 *   COD: 100 * mean |r - 1.0| / 1.0 = 100 * (0.5 + 0.1 + 0 + 0.1 + 1.0) / 5 = 34 */
static const char sales_a[] = "g,a,s\nx,90,100\ny,50,100\nx,n/a,100\n";
static const char sales_b[] = "y,200,100\nx,110,100\nx,100,0\nx,100,100\n";

static void ratio_options(fair_ratio_options *o)
{
    static const char *const groups[] = {"g"};
    fair_ratio_options_init(o);
    o->assessed_col = "a";
    o->sale_col = "s";
    o->group_cols = groups;
    o->n_group_cols = 1;
    o->bootstrap = 0;
    o->quantiles = 0;
    o->n_threads = 1;
}

/* The merged state of both ratio shards, and the bytes of shard A's and of shard B's states. */
static fair_state *ratio_shards(unsigned char **a_bytes, size_t *a_len, unsigned char **b_bytes,
                                size_t *b_len)
{
    fair_ratio_options o;
    ratio_options(&o);
    return merged_shards(ratio_of_csv, &o, sales_a, sizeof sales_a - 1, sales_b, sizeof sales_b - 1,
                         a_bytes, a_len, b_bytes, b_len);
}

static void test_ratio_merged(void **unused)
{
    fair_ratio_options o;
    fair_ratio *r = NULL;
    fair_error err;
    fair_state *s = ratio_shards(NULL, NULL, NULL, NULL);
    double v;
    (void)unused;
    ratio_options(&o);
    o.assessed_col = "ignored: the state's columns are used";
    assert_int_equal(fair_state_get_kind(s), FAIR_STATE_RATIO);
    assert_int_equal(fair_state_rows(s), 7);
    assert_int_equal(fair_ratio_from_state(s, &o, &r, &err), FAIR_OK);
    assert_int_equal(fair_ratio_rows_read(r), 7);
    assert_int_equal(fair_ratio_sales(r), 5);
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_INVALID_ASSESSED), 1);
    assert_int_equal(fair_ratio_rows_skipped_value(r, FAIR_RATIO_SKIP_NONPOSITIVE_SALE_PRICE), 1);
    assert_true(fair_ratio_overall(r, FAIR_RATIO_MEDIAN, &v));
    assert_rel(v, 1.0, 1e-15);
    assert_true(fair_ratio_overall(r, FAIR_RATIO_MEAN, &v));
    assert_rel(v, 1.1, 1e-15);
    assert_true(fair_ratio_overall(r, FAIR_RATIO_WEIGHTED_MEAN, &v));
    assert_rel(v, 1.1, 1e-15);
    assert_true(fair_ratio_overall(r, FAIR_RATIO_PRD, &v));
    assert_rel(v, 1.0, 1e-15);
    assert_true(fair_ratio_overall(r, FAIR_RATIO_COD, &v));
    assert_rel(v, 34.0, 1e-13);
    fair_ratio_free(r);
    /* Neither kind is analysed as the other. */
    {
        fair_audit_options ao;
        fair_audit *au = NULL;
        options(&ao);
        assert_int_equal(fair_audit_from_state(s, &ao, &au, &err), FAIR_EINVAL);
        assert_null(au);
        assert_non_null(strstr(err.msg, "of a ratio study, not of an audit"));
    }
    fair_state_free(s);
    s = two_shards(NULL, NULL);
    assert_int_equal(fair_ratio_from_state(s, &o, &r, &err), FAIR_EINVAL);
    assert_null(r);
    assert_non_null(strstr(err.msg, "of an audit, not of a ratio study"));
    fair_state_free(s);
}

static void test_ratio_round_trip(void **unused)
{
    fair_state *s = ratio_shards(NULL, NULL, NULL, NULL), *t = NULL;
    unsigned char *b1, *b2;
    size_t n1, n2;
    fair_error err;
    (void)unused;
    assert_int_equal(fair_state_encode(s, &b1, &n1, &err), FAIR_OK);
    assert_int_equal(fair_state_decode(b1, n1, "mem", &t, &err), FAIR_OK);
    assert_int_equal(fair_state_encode(t, &b2, &n2, &err), FAIR_OK);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);
    assert_int_equal(fair_state_get_kind(t), FAIR_STATE_RATIO);
    assert_int_equal(fair_state_rows(t), 7);
    /* Format version 2, kind 2, and the sales in section SALE: two groups, x with 3 sales in
     * the order (sale price, assessed value), then y (docs/partial-state.md). */
    assert_memory_equal(b1, "\x89" "FAIRST\n", 8);
    assert_int_equal(b1[8], 2);
    assert_int_equal(b1[12], FAIR_STATE_RATIO);
    {
        size_t at = 0;
        while (at + 4 <= n1 && memcmp(b1 + at, "SALE", 4) != 0) at++;
        assert_true(at + 4 <= n1);
        at += 12;                                       /* tag, length */
        assert_int_equal(b1[at], 2);                    /* groups */
        assert_memory_equal(b1 + at + 8, "\1\0\0\0x", 5); /* "x" */
        assert_int_equal(b1[at + 13], 3);               /* its sales */
        {
            double a0, s0;
            memcpy(&a0, b1 + at + 21, 8); /* the test machine is little-endian (x86-64, arm64) */
            memcpy(&s0, b1 + at + 29, 8);
            assert_true(a0 == 90.0 && s0 == 100.0);
        }
    }
    fair_state_encoded_free(b1);
    fair_state_encoded_free(b2);
    fair_state_free(s);
    fair_state_free(t);
}

static void test_ratio_damaged(void **unused)
{
    unsigned char *b, *copy, *h;
    size_t n, sale;
    fair_state *s = ratio_shards(&b, &n, NULL, NULL), *t;
    fair_error err;
    (void)unused;
    for (size_t len = 0; len < n; len++) {
        t = NULL;
        assert_int_equal(fair_state_decode(b, len, "cut", &t, &err), FAIR_EDATA);
        assert_null(t);
    }
    copy = malloc(n);
    for (size_t i = 0; i < n; i++) {
        memcpy(copy, b, n);
        copy[i] ^= (unsigned char)(1u << (i % 8));
        t = NULL;
        assert_int_equal(fair_state_decode(copy, n, "flip", &t, &err), FAIR_EDATA);
        assert_null(t);
    }
    free(copy);
    /* Hostile values behind a valid checksum. Shard A's SALE: u64 groups (2), then x: "x",
     * u64 1 sale, (90, 100); y: "y", 1 sale, (50, 100). */
    h = malloc(n);
    sale = find(b, n, "SALE") + 12;
    memcpy(h, b, n);
    put_u64(h + sale, (uint64_t)1 << 60); /* groups */
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "big", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "more groups than bytes"));
    memcpy(h, b, n);
    put_u64(h + sale + 13, (uint64_t)1 << 60); /* x's sales */
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "sales", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "more sales than bytes"));
    memcpy(h, b, n);
    put_u64(h + sale + 13, 0);
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "none", &t, &err), FAIR_EDATA);
    memcpy(h, b, n);
    put_u64(h + sale + 21, 0xfff8000000000000ULL); /* a NaN assessed value */
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "nan", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "not a positive number"));
    memcpy(h, b, n);
    put_u64(h + sale + 29, 0x8000000000000000ULL); /* a sale price of -0 */
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "zero", &t, &err), FAIR_EDATA);
    memcpy(h, b, n);
    h[sale + 41] = 'x'; /* y (its u32 length at sale + 37) renamed x: a group listed twice */
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "twice", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "listed twice"));
    memcpy(h, b, n);
    h[8] = 1; /* a ratio study's state in format version 1, which has none */
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "v1", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "kind 2 in format version 1"));
    assert_null(t);
    free(h);
    fair_state_encoded_free(b);
    fair_state_free(s);
}

/* States of different kinds, or made with other columns or limits, are refused (FAIR_EINVAL)
 * with the difference named. */
static void test_ratio_refuse(void **unused)
{
    unsigned char *b;
    size_t n;
    fair_state *a = two_shards(NULL, NULL), *r = ratio_shards(NULL, NULL, &b, &n), *t = NULL;
    fair_ratio_options o;
    fair_state_options so;
    fair_error err;
    char *pa = write_temp(sales_a, sizeof sales_a - 1);
    (void)unused;
    assert_int_equal(fair_state_merge(r, a, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "kind of state: ratio study and classification audit"));
    assert_int_equal(fair_state_merge(a, r, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "kind of state: classification audit and ratio study"));
    ratio_options(&o);
    o.max_sales = 9;
    fair_state_options_init(&so);
    assert_int_equal(fair_state_from_ratio_csv(pa, &o, &so, &t, &err), FAIR_OK);
    assert_int_equal(fair_state_merge(r, t, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "--max-sales: 100000000 and 9"));
    fair_state_free(t);
    t = NULL;
    ratio_options(&o);
    o.assessed_col = "s";
    o.sale_col = "a";
    assert_int_equal(fair_state_from_ratio_csv(pa, &o, &so, &t, &err), FAIR_OK);
    assert_int_equal(fair_state_merge(r, t, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "--assessed column: 'a' and 's'"));
    fair_state_free(t);
    t = NULL;
    /* More sales together than --max-sales: FAIR_ELIMIT, as reading the whole would be. */
    ratio_options(&o);
    o.max_sales = 3;
    assert_int_equal(fair_state_from_ratio_csv(pa, &o, &so, &t, &err), FAIR_OK);
    {
        fair_state *u = NULL;
        char *pb = write_temp(sales_b, sizeof sales_b - 1);
        so.header_from = pa;
        assert_int_equal(fair_state_from_ratio_csv(pb, &o, &so, &u, &err), FAIR_OK);
        assert_int_equal(fair_state_merge(t, u, &err), FAIR_ELIMIT);
        fair_state_free(u);
        unlink(pb);
        free(pb);
    }
    fair_state_free(t);
    unlink(pa);
    free(pa);
    fair_state_encoded_free(b);
    fair_state_free(a);
    fair_state_free(r);
}

/* Every allocation failure in a ratio state's decode, merge and study is FAIR_ENOMEM. */
static void test_ratio_oom(void **unused)
{
    unsigned char *b, *b2;
    size_t n, n2;
    fair_state *s = ratio_shards(&b, &n, &b2, &n2);
    fair_ratio_options o;
    (void)unused;
    ratio_options(&o);
    o.bootstrap = 5;
    oom_decode_merge(b, n, b2, n2, ratio_analysis, &o);
    fair_state_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_counts),   cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncated_and_flipped), cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_refuse_other_options),  cmocka_unit_test(test_parts),
        cmocka_unit_test(test_parts_skip_digest),
        cmocka_unit_test(test_oom),             cmocka_unit_test(test_same_data_twice),
        cmocka_unit_test(test_ratio_merged),    cmocka_unit_test(test_ratio_round_trip),
        cmocka_unit_test(test_ratio_damaged),   cmocka_unit_test(test_ratio_refuse),
        cmocka_unit_test(test_ratio_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

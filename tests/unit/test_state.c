/* test_state.c -- partial states (src/state.c, docs/partial-state.md): counts of shards merged
 * equal the counts of the whole, counted by hand; the encoding round-trips; every truncation,
 * every flipped byte and hostile lengths behind a valid checksum are errors, never crashes or
 * huge allocations; states made with other options are refused with the difference named; parts
 * of a file chain up, or the break is reported; every allocation failure is FAIR_ENOMEM. */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h" /* fair__alloc_fail_after */
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

/* The merged state of both shards, and the bytes of shard A's and of shard B's states. */
static fair_state *two_shards2(unsigned char **a_bytes, size_t *a_len, unsigned char **b_bytes,
                               size_t *b_len)
{
    fair_audit_options o;
    fair_state_options so;
    fair_state *a = NULL, *b = NULL;
    fair_error err;
    char *pa = write_temp(shard_a, sizeof shard_a - 1), *pb = write_temp(shard_b, sizeof shard_b - 1);
    options(&o);
    fair_state_options_init(&so);
    assert_int_equal(fair_state_from_csv(pa, &o, &so, &a, &err), FAIR_OK);
    so.header_from = pa;
    assert_int_equal(fair_state_from_csv(pb, &o, &so, &b, &err), FAIR_OK);
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
    assert_int_equal(b1[8], FAIR_STATE_FORMAT_VERSION);
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
    /* Another format version. */
    memcpy(h, b, n);
    h[8] = 2;
    reseal(h, n);
    assert_int_equal(fair_state_decode(h, n, "v2", &t, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "format version 2"));
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
 * across a part boundary breaks the chain, and fair_state_check() says so. */
static void parts(const char *csv, size_t n_parts, fair_state **merged)
{
    fair_audit_options o;
    fair_state_options so;
    fair_error err;
    char *p = write_temp(csv, strlen(csv));
    options(&o);
    o.score_col = NULL;
    fair_state_options_init(&so);
    so.n_parts = n_parts;
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
    parts(plain, 3, &s);
    assert_int_equal(fair_state_check(s, &err), FAIR_OK);
    options(&o);
    assert_int_equal(fair_audit_from_state(s, &o, &au, &err), FAIR_OK);
    assert_int_equal(fair_audit_rows_read(au), 6);
    assert_int_equal(fair_audit_n_groups(au, 0), 3); /* f m x */
    assert_int_equal(fair_audit_group_counts(au, 0, 0).tp, 2);
    fair_audit_free(au);
    fair_state_free(s);
    parts(quoted, 3, &s);
    assert_int_equal(fair_state_check(s, &err), FAIR_EDATA);
    assert_non_null(strstr(err.msg, "do not chain up: part 0 ended at byte 68, part 1 started at byte 60"));
    assert_int_equal(fair_audit_from_state(s, &o, &au, &err), FAIR_EDATA);
    assert_null(au);
    fair_state_free(s);
}

/* Every allocation failure in decode, merge and analysis is FAIR_ENOMEM with nothing leaked. */
static void test_oom(void **unused)
{
    unsigned char *b, *b2;
    size_t n, n2;
    fair_state *s = two_shards2(&b, &n, &b2, &n2);
    fair_audit_options o;
    fair_error err;
    int done = 0;
    (void)unused;
    options(&o);
    for (long k = 0; !done && k < 100000; k++) {
        fair_state *t = NULL, *u = NULL;
        fair_audit *au = NULL;
        fair_status st;
        fair__alloc_fail_after(k);
        st = fair_state_decode(b, n, "a", &t, &err);
        if (st == FAIR_OK) st = fair_state_decode(b2, n2, "b", &u, &err);
        if (st == FAIR_OK) st = fair_state_merge(t, u, &err);
        if (st == FAIR_OK) st = fair_audit_from_state(t, &o, &au, &err);
        fair__alloc_fail_after(-1);
        if (st == FAIR_OK) done = 1;
        else assert_int_equal(st, FAIR_ENOMEM);
        fair_audit_free(au);
        fair_state_free(t);
        fair_state_free(u);
    }
    assert_true(done);
    fair_state_encoded_free(b);
    fair_state_encoded_free(b2);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merged_counts),   cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_truncated_and_flipped), cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_refuse_other_options),  cmocka_unit_test(test_parts),
        cmocka_unit_test(test_oom),             cmocka_unit_test(test_same_data_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_csv_ingest.c -- the CSV ingest's building blocks and its parser as a whole: number
 * parsing against strtod, boolean words, the UTF-8 validator against RFC 3629's grammar, the
 * limits and errors of fair__ingest_run, and a differential test of fair__ingest_run (serial, and
 * with 3 threads on tiny byte ranges) against a small RFC 4180 state machine written here. */
#include "fair_test.h"
#include <fairaudit/fairaudit.h>
#include "internal.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

/* A scratch file for one test; rewritten per document. */
static char *temp_path(void)
{
    char *path = strdup("/tmp/fair_test_csv_ingest_XXXXXX");
    int fd;
    assert_non_null(path);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static int parse_str(const char *s, int comma, double *v)
{
    return fair__parse_double(s, strlen(s), comma, v);
}

static void assert_bits(double got, double expected, const char *text)
{
    if (memcmp(&got, &expected, sizeof got) != 0)
        fail_msg("'%s' parsed as %a, expected %a", text, got, expected);
}

/* Options for documents with the columns g (group), y (label) and p (prediction). */
static void abc_options(fair_audit_options *o)
{
    static const char *const groups[] = {"g"};
    fair_audit_options_init(o);
    o->group_cols = groups;
    o->n_group_cols = 1;
    o->label_col = "y";
    o->pred_col = "p";
    o->n_threads = 1;
}

/* Runs the ingest on `doc` written to `path`. */
static fair_status ingest_doc(const char *path, const char *doc, size_t n,
                              const fair_audit_options *o, fair__ingest *res, fair_error *err)
{
    write_file(path, doc, n);
    fair_error_init(err);
    return fair__ingest_run(path, o, res, err);
}

/* Cells of group `key` in an ingest result (NULL when absent). */
static const fair__cell *find_group(const fair__ingest *res, const char *key, size_t klen)
{
    for (size_t i = 0; i < res->table.count; i++) {
        size_t len, plen;
        const char *k = fair__table_key(&res->table, i, &len), *part;
        fair__key_parts(k, len, 1, &part, &plen);
        if (plen == klen && memcmp(part, key, klen) == 0) return &res->table.cells[i];
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Numbers */

/* Known answers: the bit patterns are Python's float.hex() of the same decimal strings (Python
 * rounds correctly, David Gay's algorithm), written as C99 hexadecimal constants. */
static void test_parse_double_known(void **state)
{
    static const struct {
        const char *s;
        int comma;
        double v;
    } cases[] = {
        {"2.385", 0, 0x1.3147ae147ae14p+1},
        {"-0.0001234", 0, -0x1.02c9dedbc309dp-13},
        {"123456789012345", 0, 0x1.c12218377de40p+46},   /* 15 digits: the fast path */
        {"0.1", 0, 0x1.999999999999ap-4},
        {"9007199254740993", 0, 0x1.0000000000000p+53}, /* 2^53 + 1: ties to even */
        {"1e22", 0, 0x1.0f0cf064dd592p+73},
        {"1e23", 0, 0x1.52d02c7e14af6p+76},             /* not exact: strtod */
        {"4.9e-324", 0, 0x0.0000000000001p-1022},       /* the least subnormal */
        {"2.2250738585072014e-308", 0, 0x1.0000000000000p-1022},
        {"1.7976931348623157e308", 0, 0x1.fffffffffffffp+1023},
        {"0.30000000000000004", 0, 0x1.3333333333334p-2},
        {" \t8.675309\t ", 0, 0x1.159c219eb6391p+3},   /* spaces and tabs are trimmed */
        {"+8.675309", 0, 0x1.159c219eb6391p+3},
        {"1,75", 1, 0x1.c000000000000p+0},              /* decimal comma */
        {"0,000001", 1, 0x1.0c6f7a0b5ed8dp-20},
        {"0.000001", 1, 0x1.0c6f7a0b5ed8dp-20},         /* the point still works */
        {"-0,1e0", 1, -0x1.999999999999ap-4},          /* comma with an exponent: strtod */
        {".5", 0, 0.5},
        {"5.", 0, 5.0},
        {"000000000002.385", 0, 0x1.3147ae147ae14p+1},  /* leading zeros */
        {"-0", 0, -0.0},
        {"-0.000", 0, -0.0},
        {"1e-400", 0, 0.0}, /* underflow to zero is accepted */
        {"-1e-400", 0, -0.0},
        /* The edges of the exact fast path (at most 15 significant digits, leading zeros of
         * the integer part not counted): 15 digits after the point are on it, 16 are not;
         * values from Python's float.hex() as above. */
        {"0.123456789012345", 0, 0x1.f9add3746f62ep-4},
        {"0.1234567890123456", 0, 0x1.f9add3746f659p-4},
        {"999999999999999.", 0, 0x1.c6bf52633fff8p+49},
        {"+.5", 0, 0.5},
        {"-.5", 0, -0.5},
        {",5", 1, 0.5},
        {"5,", 1, 5.0},
        {"0,673", 1, 0x1.589374bc6a7f0p-1},
        /* 150 leading zeros: on the fast path, so not bound by the slow path's copy */
        {"000000000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000000001.5",
         0, 0x1.8p+0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = 12345.0;
        if (!parse_str(cases[i].s, cases[i].comma, &v)) fail_msg("'%s' was rejected", cases[i].s);
        assert_bits(v, cases[i].v, cases[i].s);
    }
}

static void test_parse_double_rejects(void **state)
{
    static const char *const bad[] = {
        "", " ", "\t", "1e", "1e+", "nan", "NaN", "inf", "-inf", "infinity", "0x10", "0x1p3",
        "1.2.3", "--1", "+-1", "-", "+", ".", "-.", "1 2", "1e400", "-1e400", "1,5", "5x", "x5",
        "\n5", "\r5", "\v5", "\f5", "5\n", "1e5x", "1,2,3", "1.5,0",
        /* 131 characters: the slow path copies at most 127 (a limit of ours, not strtod's) */
        "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000001e1",
    };
    double v;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse_str(bad[i], 0, &v)) fail_msg("'%s' was accepted as %a", bad[i], v);
    }
    /* With the decimal comma, a second separator is still an error. */
    assert_false(parse_str("1,2,3", 1, &v));
    assert_false(parse_str("1,2.3", 1, &v));
    assert_false(parse_str(",", 1, &v));
    /* An embedded NUL ends nothing: the length is what counts. */
    assert_false(fair__parse_double("1\0" "5", 3, 0, &v));
}

/* A random decimal string: sign, leading zeros, 1 to 17 significant digits with the point
 * anywhere (or nowhere), zeros after the point, and an exponent, sometimes extreme. */
static size_t random_decimal(fair_rng *r, char *buf)
{
    size_t n = 0, ndig = 1 + fair_rng_bounded(r, 17), point = SIZE_MAX;
    uint32_t k = fair_rng_bounded(r, 4);
    if (k == 0) buf[n++] = '-';
    else if (k == 1) buf[n++] = '+';
    if (fair_rng_bounded(r, 4) == 0)
        for (k = fair_rng_bounded(r, 6); k > 0; k--) buf[n++] = '0';
    if (fair_rng_bounded(r, 3) != 0) point = fair_rng_bounded(r, (uint32_t)ndig + 1);
    for (size_t i = 0; i < ndig; i++) {
        if (i == point) {
            buf[n++] = '.';
            if (fair_rng_bounded(r, 3) == 0)
                for (k = fair_rng_bounded(r, 8); k > 0; k--) buf[n++] = '0';
        }
        buf[n++] = (char)('0' + fair_rng_bounded(r, 10));
    }
    if (point == ndig) buf[n++] = '.';
    if (fair_rng_bounded(r, 4) == 0) {
        uint32_t e = fair_rng_bounded(r, 16) == 0 ? 280 + fair_rng_bounded(r, 60)
                                                  : fair_rng_bounded(r, 40);
        buf[n++] = fair_rng_bounded(r, 2) ? 'e' : 'E';
        k = fair_rng_bounded(r, 3);
        if (k == 0) buf[n++] = '-';
        else if (k == 1) buf[n++] = '+';
        n += (size_t)snprintf(buf + n, 8, "%u", e);
    }
    buf[n] = '\0';
    return n;
}

/* 200000 random decimals: fair__parse_double accepts exactly what strtod consumes whole (and
 * finite), and gives the same bits, on the fast path (<= 15 digits, no exponent) and off it.
 * The same text with a decimal comma gives the same bits again. Seed fixed. */
static void test_parse_double_vs_strtod(void **state)
{
    fair_rng r;
    char buf[96], comma[96];
    size_t fast = 0;
    (void)state;
    fair_rng_seed(&r, 20240611u, 0u);
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = random_decimal(&r, buf);
        char *end, *pt;
        double ref, got = 0.0;
        int ref_ok, ok;
        errno = 0;
        ref = strtod(buf, &end);
        ref_ok = end == buf + n && n > 0 && isfinite(ref);
        ok = fair__parse_double(buf, n, 0, &got);
        if (ok != ref_ok) fail_msg("'%s': accepted %d, strtod %d", buf, ok, ref_ok);
        if (!ok) continue;
        assert_bits(got, ref, buf);
        if (!strpbrk(buf, "eE") && n < 17) fast++;
        memcpy(comma, buf, n + 1);
        pt = strchr(comma, '.');
        if (pt) {
            *pt = ',';
            got = 0.0;
            if (!fair__parse_double(comma, n, 1, &got)) fail_msg("'%s' rejected with comma", comma);
            assert_bits(got, ref, comma);
            assert_false(fair__parse_double(comma, n, 0, &got));
        }
    }
    assert_true(fast > 20000); /* the fast path was exercised */
}

/* The ingest's fast path for the usual score, fair__parse_usual_decimal(), against
 * fair__parse_double() (itself checked against strtod above): 400000 random fields, most of
 * them of the form it takes, others near it (signs, blanks, exponents, a second separator, too
 * many digits), each followed by 8 bytes that look like more of a number (it must not read
 * them). Whenever the fast path accepts, the parser must accept with the same bits; and the
 * fast path must accept every field of its documented form (digits, optionally a separator and
 * digits, at most 16 bytes and 15 digits), so that the ingest really takes it. Seed fixed. */
static void test_parse_usual_decimal(void **state)
{
    static const char other[] = "0123456789.,+- e";
    fair_rng r;
    size_t taken = 0;
    (void)state;
    fair_rng_seed(&r, 20261128u, 0u);
    for (int iter = 0; iter < 400000; iter++) {
        char buf[40];
        size_t n = 0, k1 = 0, k2 = 0;
        const int comma = (int)fair_rng_bounded(&r, 2);
        int form = fair_rng_bounded(&r, 4) != 0;
        double fast = 0.0, ref = 0.0;
        if (form) { /* 1..9 integer digits, maybe a separator and 0..9 digits */
            k1 = 1 + fair_rng_bounded(&r, 9);
            for (size_t i = 0; i < k1; i++) buf[n++] = (char)('0' + fair_rng_bounded(&r, 10));
            if (fair_rng_bounded(&r, 5) != 0) {
                buf[n++] = comma && fair_rng_bounded(&r, 2) ? ',' : '.';
                k2 = fair_rng_bounded(&r, 10);
                for (size_t i = 0; i < k2; i++) buf[n++] = (char)('0' + fair_rng_bounded(&r, 10));
                form = k2 >= 1;
            }
            form = form && n <= 16 && k1 + k2 <= 15;
            if (fair_rng_bounded(&r, 8) == 0) { /* one byte changed */
                const size_t at = fair_rng_bounded(&r, (uint32_t)n);
                buf[at] = other[fair_rng_bounded(&r, sizeof other - 1)];
                form = 0;
            }
        } else {
            n = fair_rng_bounded(&r, 18);
            for (size_t i = 0; i < n; i++) buf[i] = other[fair_rng_bounded(&r, sizeof other - 1)];
        }
        for (size_t i = 0; i < 8; i++) /* what follows the field */
            buf[n + i] = "5.,\n0;e7"[fair_rng_bounded(&r, 8)];
        buf[n + 8] = '\0';
        if (fair__parse_usual_decimal(buf, n, comma, &fast)) {
            char text[40];
            memcpy(text, buf, n);
            text[n] = '\0';
            if (!fair__parse_double(buf, n, comma, &ref))
                fail_msg("'%s': only the fast path accepts", text);
            assert_bits(fast, ref, text);
            taken++;
        } else if (form) {
            buf[n] = '\0';
            fail_msg("'%s' (comma %d): the fast path refuses its own form", buf, comma);
        }
    }
    assert_true(taken > 150000);
}

/* ---------------------------------------------------------------------------------------- */
/* Boolean words */

static int pb(const char *s, const char *positive)
{
    return fair__parse_bool(s, strlen(s), positive);
}

static void test_parse_bool(void **state)
{
    static const char *const yes[] = {"1", "true", "TRUE", "True", "tRuE", "yes", "YES", "Yes",
                                      "ja", "JA", "Ja", "jA", "y", "Y", " 1", "1 ", "\ttrue\t",
                                      "  yes  ", " Ja"};
    static const char *const no[] = {"0", "false", "FALSE", "False", "no", "NO", "No", "nee",
                                     "NEE", "Nee", "n", "N", " 0 ", "\tfalse", "nee\t"};
    static const char *const bad[] = {"", " ", "\t", "2", "-1", "01", "1.0", "truee", "tru",
                                      "yess", "t", "f", "ja nee", "j", "\n1", "1\r", "oui",
                                      "nein", "\xc3\xa9", "yes!"};
    (void)state;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (pb(yes[i], NULL) != 1) fail_msg("'%s' is not positive", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (pb(no[i], NULL) != 0) fail_msg("'%s' is not negative", no[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pb(bad[i], NULL) != -1) fail_msg("'%s' is not invalid", bad[i]);
    /* The length counts, not a NUL: "1" followed by junk is invalid. */
    assert_int_equal(fair__parse_bool("1x", 1, NULL), 1);
    assert_int_equal(fair__parse_bool("1x", 2, NULL), -1);

    /* --positive VALUE: exactly that value (spaces and tabs trimmed on both sides, case
     * significant) is positive, any other non-blank value negative, a blank one missing. */
    assert_int_equal(pb("approved", "approved"), 1);
    assert_int_equal(pb("  approved\t", "approved"), 1);
    assert_int_equal(pb("approved", " approved "), 1);
    assert_int_equal(pb("Approved", "approved"), 0);
    assert_int_equal(pb("rejected", "approved"), 0);
    assert_int_equal(pb("1", "approved"), 0);
    assert_int_equal(pb("approvedx", "approved"), 0);
    assert_int_equal(pb("", "approved"), -1);
    assert_int_equal(pb(" \t ", "approved"), -1);
    assert_int_equal(pb("0", "0"), 1); /* the words lose their meaning */
    assert_int_equal(pb("1", "0"), 0);
    assert_int_equal(pb("fraude", "fraude"), 1);
}

/* ---------------------------------------------------------------------------------------- */
/* UTF-8 */

/* RFC 3629, section 4, transcribed as ranges (an independent formulation of the validator):
 *   UTF8-2 = %xC2-DF UTF8-tail
 *   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail /
 *            %xEE-EF 2( UTF8-tail )
 *   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail ) */
static int rfc3629_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        unsigned char lo = 0x80, hi = 0xbf;
        size_t k;
        if (c <= 0x7f) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) k = 1;
        else if (c == 0xe0) k = 2, lo = 0xa0;
        else if (c >= 0xe1 && c <= 0xec) k = 2;
        else if (c == 0xed) k = 2, hi = 0x9f;
        else if (c >= 0xee && c <= 0xef) k = 2;
        else if (c == 0xf0) k = 3, lo = 0x90;
        else if (c >= 0xf1 && c <= 0xf3) k = 3;
        else if (c == 0xf4) k = 3, hi = 0x8f;
        else return 0;
        if (i + k >= n) return 0; /* truncated */
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t j = 2; j <= k; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xbf) return 0;
        i += k + 1;
    }
    return 1;
}

static int uv(const char *s) { return fair__utf8_valid((const unsigned char *)s, strlen(s)); }

static void test_utf8_known(void **state)
{
    static const char *const good[] = {
        "", "abc", "\xc3\xa9", "caf\xc3\xa9", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80",
        "\xe2\x82\xac", "\xed\x9f\xbf" /* U+D7FF */, "\xee\x80\x80" /* U+E000 */,
        "\xef\xbf\xbf" /* U+FFFF */, "\xf0\x90\x80\x80" /* U+10000 */,
        "\xf0\x9d\x84\x9e" /* U+1D11E */, "\xf4\x8f\xbf\xbf" /* U+10FFFF */,
        "T\xc3\xbcrkiye \xe2\x80\x93 \xd8\xb3\xd9\x88\xd8\xb1\xd9\x8a\xd8\xa7"};
    static const char *const bad[] = {
        "\xc0\x80",         /* overlong NUL */
        "\xc1\xbf",         /* overlong U+7F */
        "\xe0\x80\x80",     /* overlong */
        "\xe0\x9f\xbf",     /* overlong U+7FF */
        "\xf0\x80\x80\x80", /* overlong */
        "\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
        "\xed\xa0\x80",     /* U+D800, a surrogate */
        "\xed\xbf\xbf",     /* U+DFFF */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "\xff", /* not lead bytes */
        "\x80", "\xbf", "a\x80", /* lone continuation bytes */
        "\xc3", "\xe2\x82", "\xf0\x9d\x84", "abc\xc3", /* truncated at the end */
        "\xc3\x41", "\xe2\x28\xa1", "\xe2\x82\x41", "\xf0\x9d\x84\x41", /* bad continuation */
        "\xc3\xa9\xc3"};
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!uv(good[i])) fail_msg("valid UTF-8 #%zu rejected", i);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (uv(bad[i])) fail_msg("invalid UTF-8 #%zu accepted", i);
    /* A truncated sequence is invalid even when a valid byte follows it in memory. */
    assert_false(fair__utf8_valid((const unsigned char *)"\xc3\xa9", 1));
    assert_false(fair__utf8_valid((const unsigned char *)"\xf0\x9d\x84\x9e", 3));
}

/* Every sequence of 1, 2 and 3 bytes, and 2^22 random 4-byte ones, against the RFC grammar. */
static void test_utf8_exhaustive(void **state)
{
    unsigned char b[4];
    fair_rng r;
    (void)state;
    for (uint32_t x = 0; x < (1u << 24); x++) {
        b[0] = (unsigned char)(x >> 16), b[1] = (unsigned char)(x >> 8), b[2] = (unsigned char)x;
        if (fair__utf8_valid(b, 3) != rfc3629_valid(b, 3)) fail_msg("3 bytes %06x", x);
        if (x < 65536u && fair__utf8_valid(b + 1, 2) != rfc3629_valid(b + 1, 2))
            fail_msg("2 bytes %04x", x);
        if (x < 256u && fair__utf8_valid(b + 2, 1) != rfc3629_valid(b + 2, 1))
            fail_msg("1 byte %02x", x);
    }
    fair_rng_seed(&r, 3629u, 0u);
    for (uint32_t i = 0; i < (1u << 22); i++) {
        uint32_t x = fair_rng_u32(&r);
        memcpy(b, &x, 4);
        if (i & 1u) {
            /* Half of them: a lead byte 0xf0..0xf7 and three continuation bytes, where the
             * overlong and > U+10FFFF rules bite. */
            b[0] = (unsigned char)(0xf0u | (b[0] & 7u));
            for (size_t j = 1; j < 4; j++) b[j] = (unsigned char)(0x80u | (b[j] & 0x3fu));
        }
        if (fair__utf8_valid(b, 4) != rfc3629_valid(b, 4))
            fail_msg("4 bytes %02x %02x %02x %02x", b[0], b[1], b[2], b[3]);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Errors and limits of the ingest, each provoked on purpose */

typedef struct {
    const char *name;
    const char *doc;
    size_t len;       /* 0 = strlen(doc) */
    size_t max_line;  /* 0 = default */
    size_t max_field; /* 0 = default */
    int strict;
    fair_status code;
    size_t line, column;
    const char *words; /* expected in the message */
} error_case;

static void test_ingest_errors(void **state)
{
    static const error_case cases[] = {
        {"empty", "", 0, 0, 0, 0, FAIR_EDATA, 1, 0, "empty input: no header row"},
        {"only empty lines", "\n\r\n\n", 0, 0, 0, 0, FAIR_EDATA, 1, 0, "no header row"},
        {"header only", "g,y,p\r\n", 0, 0, 0, 0, FAIR_EDATA, 2, 0, "not followed by any data rows"},
        {"header and empty lines", "g,y,p\n\n\r\n", 0, 0, 0, 0, FAIR_EDATA, 2, 0, "not followed"},
        /* A line over the limit that arrives whole within one read of the source. */
        {"long line",
         "g,y,p\na,1,1\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,1,1\na,1,1\n",
         0, 40, 0, 0, FAIR_ELIMIT, 3, 0, "the line is longer than 40 bytes"},
        {"long last line", "g,y,p\na,1,1\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,1,1",
         0, 40, 0, 0,
         FAIR_ELIMIT, 3, 0, "the line is longer than 40 bytes"},
        {"line at the limit", "g,y,p\na,1,1\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,1,1\r\n", 0, 42, 0,
         0,
         FAIR_OK, 0, 0, NULL},
        {"line one over", "g,y,p\na,1,1\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,1,1\r\n", 0, 41, 0,
         0,
         FAIR_ELIMIT, 3, 0, "the line is longer than 41 bytes"},
        /* A long field on one line (the fast path) and one over lines (libcsv). */
        {"long field", "g,y,p\na,1,1\nabcdefghijklmnopq,1,1\n", 0, 0, 16, 0, FAIR_ELIMIT, 3, 1,
         "field 1 is longer than 16 bytes"},
        {"long quoted field", "g,y,p\na,1,1\n\"abcdefgh\nijklmnop\nqrstuvwx\",1,1\n", 0, 0, 16, 0,
         FAIR_ELIMIT, 3, 1, "field 1 is longer than 16 bytes"},
        {"long surplus field", "g,y,p\na,1,1\na,1,1,x,abcdefghijklmnopq\n", 0, 0, 16, 0,
         FAIR_ELIMIT, 3, 5, "field 5 is longer than 16 bytes"},
        {"field at the limit", "g,y,p\nabcdefghijklmnop,1,1\n\"abcdefgh\nijklmno\",0,0\n", 0, 0,
         16, 0, FAIR_OK, 0, 0, NULL},
        {"NUL", "g,y,p\na,1,1\na\0b,1,1\n", 20, 0, 0, 0, FAIR_ECSV, 3, 1, "a NUL byte in field 1"},
        {"quote in a field", "g,y,p\na,1,1\na\"b,1,1\n", 0, 0, 0, 0, FAIR_ECSV, 3, 1,
         "malformed quoting"},
        {"text after a quote", "g,y,p\na,1,1\n\"a\"b,1,1\n", 0, 0, 0, 0, FAIR_ECSV, 3, 1,
         "malformed quoting"},
        {"quote error on a later line", "g,y,p\n\"a\nb\"x,1,1\n", 0, 0, 0, 0, FAIR_ECSV, 3, 1,
         "malformed quoting"},
        {"unterminated", "g,y,p\na,1,1\n\"a,1,1\nb,1,1\n", 0, 0, 0, 0, FAIR_ECSV, 3, 1,
         "unterminated quoted field 1 at the end of the input"},
        {"bad UTF-8", "g,y,p\na,1,1\nb\xff,1,1\n", 0, 0, 0, 0, FAIR_EDATA, 3, 1,
         "invalid UTF-8 in the group value 'b\\xff' of column 1 ('g')"},
        {"strict label not UTF-8", "g,y,p\na,\xff\xfe,1\n", 0, 0, 0, 1, FAIR_EDATA, 2, 2,
         "invalid label in column 2 ('y'): '\\xff\\xfe'; expected"},
        {"bad UTF-8 header", "g,y\xc0,p\na,1,1\n", 0, 0, 0, 0, FAIR_EDATA, 1, 2,
         "the header has invalid UTF-8"},
        {"strict label", "g,y,p\na,1,1\n\na,maybe,1\n", 0, 0, 0, 1, FAIR_EDATA, 4, 2,
         "invalid label in column 2 ('y'): 'maybe'"},
        {"strict field count", "g,y,p\na,1,1\na,1\n", 0, 0, 0, 1, FAIR_EDATA, 3, 0,
         "wrong number of fields: expected 3, found 2"},
        {"strict record", "g,y,p\n\"a\n\",1,1\n,1,1\n", 0, 0, 0, 1, FAIR_EDATA, 4, 1,
         ":4 (record 3): missing group"},
        {"no such column", "g,label,p\na,1,1\n", 0, 0, 0, 0, FAIR_EINVAL, 1, 0,
         "no column named 'y' (label column); the header has: 'g', 'label', 'p'"},
        /* The header need not be on line 1; the message names its line. */
        {"no such column, line 3", "\r\n\ng,label,p\na,1,1\n", 0, 0, 0, 0, FAIR_EINVAL, 3, 0,
         "no column named 'y'"},
        {"duplicate column", "g,y,p,y\na,1,1,1\n", 0, 0, 0, 0, FAIR_EINVAL, 1, 2,
         "column 'y' appears 2 times in the header"},
    };
    char *path = temp_path();
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const error_case *c = &cases[i];
        fair_audit_options o;
        fair__ingest res;
        fair_error err;
        fair_status st;
        abc_options(&o);
        if (c->max_line) o.max_line_bytes = c->max_line;
        if (c->max_field) o.max_field_bytes = c->max_field;
        o.strict = c->strict;
        for (size_t threads = 1; threads <= 3; threads += 2) {
            o.n_threads = threads;
            o.chunk_bytes = 5;
            st = ingest_doc(path, c->doc, c->len ? c->len : strlen(c->doc), &o, &res, &err);
            if (st != c->code)
                fail_msg("%s (%zu threads): %s, expected %s (%s)", c->name, threads,
                         fair_status_name(st), fair_status_name(c->code), err.msg);
            if (st == FAIR_OK) {
                fair__ingest_release(&res);
                continue;
            }
            if (err.line != c->line || err.column != c->column || !strstr(err.msg, c->words))
                fail_msg("%s (%zu threads): line %zu column %zu '%s'", c->name, threads, err.line,
                         err.column, err.msg);
        }
    }
    {
        /* Opening: a missing file and a directory. */
        fair_audit_options o;
        fair__ingest res;
        fair_error err;
        abc_options(&o);
        fair_error_init(&err);
        assert_int_equal(fair__ingest_run("/nonexistent/fair.csv", &o, &res, &err), FAIR_EIO);
        assert_non_null(strstr(err.msg, "cannot open '/nonexistent/fair.csv': No such file"));
        assert_int_equal(fair__ingest_run("/tmp", &o, &res, &err), FAIR_EIO);
        assert_non_null(strstr(err.msg, "cannot read '/tmp': Is a directory"));
    }
    unlink(path);
    free(path);
}

/* Spreadsheet exports: a byte-order mark, ';', a decimal comma, CRLF, Dutch words, and empty
 * lines before the header (the delimiter is detected on the header's line, not the first). */
static void test_ingest_spreadsheet(void **state)
{
    static const char doc[] = "\r\n\xef\xbb\xbf"
                              "g;y;p;s\r\n"
                              "\"A;1\";ja;nee;0,25\r\n"
                              "\"A;1\";Ja;JA;0,75\r\n"
                              "B;nee;ja;1,0\r\n"
                              "B;nee;ja;1,5\r\n";
    static const char lead[] = "\n\n\xef\xbb\xbfg;y;p\nA;1;0\n";
    char *path = temp_path();
    fair_audit_options o;
    fair__ingest res;
    fair_error err;
    const fair__cell *c;
    (void)state;
    abc_options(&o);
    o.score_col = "s";
    /* The BOM is only a BOM at the very start: here it is part of the header's first name. */
    assert_int_equal(ingest_doc(path, doc, sizeof doc - 1, &o, &res, &err), FAIR_EINVAL);
    assert_non_null(strstr(err.msg, "no column named 'g'"));
    assert_int_equal(ingest_doc(path, doc + 2, sizeof doc - 3, &o, &res, &err), FAIR_OK);
    assert_int_equal(res.schema.delim, ';');
    assert_true(res.schema.comma_decimal);
    assert_int_equal(res.rows_read, 4);
    assert_int_equal(res.rows_used, 3);
    assert_int_equal(res.skipped[FAIR_SKIP_SCORE_OUT_OF_RANGE], 1);
    c = find_group(&res, "A;1", 3);
    assert_non_null(c);
    assert_true(c->n[2] == 1 && c->n[3] == 1); /* (1,0) and (1,1) */
    c = find_group(&res, "B", 1);
    assert_non_null(c);
    assert_true(c->n[1] == 1);
    fair__ingest_release(&res);
    /* Empty lines first, then a BOM that is not at the start of the file: still detected. */
    abc_options(&o);
    assert_int_equal(ingest_doc(path, lead, sizeof lead - 1, &o, &res, &err), FAIR_EINVAL);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "the header has: '\xef\xbb\xbfg', 'y', 'p'"));
    assert_int_equal(ingest_doc(path, lead + 2, sizeof lead - 3, &o, &res, &err), FAIR_OK);
    assert_int_equal(res.schema.delim, ';');
    fair__ingest_release(&res);
    assert_int_equal(ingest_doc(path, "\r\ng;y;p\nA;1;0\n", 14, &o, &res, &err), FAIR_OK);
    assert_int_equal(res.schema.delim, ';');
    assert_int_equal(res.rows_used, 1);
    fair__ingest_release(&res);
    unlink(path);
    free(path);
}

/* Messages quote offending values; they stay valid UTF-8 whatever the value: bytes of a value
 * that is not UTF-8 are escaped, and a long value is cut between characters, not inside one. */
static void test_ingest_messages_utf8(void **state)
{
    char doc[256];
    char *path = temp_path();
    fair_audit_options o;
    fair__ingest res;
    fair_error err;
    (void)state;
    abc_options(&o);
    o.strict = 1;
    for (size_t lead = 0; lead < 4; lead++) {
        /* "x" repeated `lead` times shifts where the cut falls within the 2-byte letters. */
        size_t n = (size_t)snprintf(doc, sizeof doc, "g,y,p\na,%.*s", (int)lead, "xxx");
        for (int i = 0; i < 30; i++) n += (size_t)snprintf(doc + n, sizeof doc - n, "\xc3\xa9");
        n += (size_t)snprintf(doc + n, sizeof doc - n, ",1\n");
        assert_int_equal(ingest_doc(path, doc, n, &o, &res, &err), FAIR_EDATA);
        assert_non_null(strstr(err.msg, "...'; expected"));
        if (!fair__utf8_valid((const unsigned char *)err.msg, strlen(err.msg)))
            fail_msg("message is not UTF-8: %s", err.msg);
    }
    unlink(path);
    free(path);
}

/* Lone CR line ends: the header's physical line also holds data records, and a quoted field
 * opened there runs on past the first '\n'. The threaded reader must give what one reader gives
 * (it used to stop after the header's line and lose every later row). */
static void test_ingest_cr_header(void **state)
{
    char doc[8192];
    size_t n = 0;
    char *path = temp_path();
    fair_audit_options o;
    fair__ingest one, three;
    fair_error err;
    (void)state;
    n += (size_t)snprintf(doc + n, sizeof doc - n, "g,y,p\r1,1,1\r\"a\nb\",1,1\n");
    for (int i = 0; i < 300; i++) n += (size_t)snprintf(doc + n, sizeof doc - n, "c,1,%d\n", i % 2);
    abc_options(&o);
    assert_int_equal(ingest_doc(path, doc, n, &o, &one, &err), FAIR_OK);
    assert_int_equal(one.rows_read, 302);
    o.n_threads = 3;
    o.chunk_bytes = 100;
    assert_int_equal(ingest_doc(path, doc, n, &o, &three, &err), FAIR_OK);
    assert_int_equal(three.rows_read, 302);
    assert_int_equal(three.lines, one.lines);
    assert_int_equal(three.table.count, 3);
    assert_non_null(find_group(&three, "a\nb", 3));
    assert_true(find_group(&three, "c", 1)->n[2] == 150);
    fair__ingest_release(&one);
    fair__ingest_release(&three);
    unlink(path);
    free(path);
}

/* Too many groups: the error names the row where the (max_groups + 1)-th distinct group first
 * appears in the file, whatever the threads and ranges (each thread's table only sees the
 * ranges it happened to parse, so this used to depend on scheduling). */
static void test_ingest_max_groups(void **state)
{
    char doc[16384];
    size_t n = 0;
    char *path = temp_path();
    fair_audit_options o;
    fair__ingest res;
    fair_error err;
    (void)state;
    n += (size_t)snprintf(doc + n, sizeof doc - n, "g,y,p\n");
    for (int g = 0; g < 10; g++)
        for (int i = 0; i < 60; i++)
            n += (size_t)snprintf(doc + n, sizeof doc - n, "g%d,1,%d\n", g, i % 2);
    abc_options(&o);
    o.max_groups = 5;
    for (size_t t = 1; t <= 7; t++) {
        for (size_t chunk = 50; chunk <= 5000; chunk *= 10) {
            o.n_threads = t;
            o.chunk_bytes = chunk;
            assert_int_equal(ingest_doc(path, doc, n, &o, &res, &err), FAIR_ELIMIT);
            if (err.line != 302 || !strstr(err.msg, ":302: more than 5 distinct groups"))
                fail_msg("%zu threads, %zu-byte ranges: %s", t, chunk, err.msg);
        }
    }
    o.max_groups = 10; /* exactly enough */
    o.n_threads = 3;
    o.chunk_bytes = 64;
    assert_int_equal(ingest_doc(path, doc, n, &o, &res, &err), FAIR_OK);
    assert_int_equal(res.table.count, 10);
    fair__ingest_release(&res);
    unlink(path);
    free(path);
}

/* Every allocation failure in the ingest, serial and threaded, is FAIR_ENOMEM and leaks
 * nothing (ASan checks the leaks). */
static void test_ingest_oom(void **state)
{
    static const char doc[] = "g;y;p\r\n\"a;\n\"\"x\";1;1\r\nb;0;1\na;ja;nee\nc;1\n\"d\";1;0\n"
                              "a;1;1\nb;1;0\ne;0;0\n\"f\nf\";1;1\n";
    char *path = temp_path();
    fair_audit_options o;
    fair__ingest res;
    fair_error err;
    (void)state;
    abc_options(&o);
    o.chunk_bytes = 9;
    for (size_t t = 1; t <= 3; t += 2) {
        long k;
        o.n_threads = t;
        for (k = 0; k < 100000; k++) {
            fair_status st;
            write_file(path, doc, sizeof doc - 1);
            fair__alloc_fail_after(k);
            st = fair__ingest_run(path, &o, &res, &err);
            fair__alloc_fail_after(-1);
            if (st == FAIR_OK) break;
            if (st != FAIR_ENOMEM) fail_msg("%zu threads, allocation %ld: %s", t, k, err.msg);
        }
        assert_true(k > 5 && k < 100000);
        assert_int_equal(res.rows_read, 9);
        fair__ingest_release(&res);
    }
    unlink(path);
    free(path);
}

/* ---------------------------------------------------------------------------------------- */
/* Differential test against an independent reference */

/* The reference: RFC 4180 as libcsv reads it in strict mode (CR, LF and CRLF end a record
 * outside quotes; lines with no bytes but line ends are not records; a quote inside an
 * unquoted field, or text after a closing quote, is an error; so is a quote still open at the
 * end), written as a plain state machine over the bytes, followed by the row rules of the
 * ingest (field count, empty group, label and prediction words). */
#define REF_MAX_FIELDS 16
#define REF_MAX_FIELD 256
#define REF_MAX_GROUPS 128

typedef struct {
    char key[REF_MAX_FIELD];
    size_t len;
    uint64_t n[4];
} ref_group;

typedef struct {
    fair_status st;
    size_t err_line;
    uint64_t rows_read, rows_used, lines, skipped[FAIR_SKIP_COUNT];
    ref_group groups[REF_MAX_GROUPS];
    size_t ngroups;
    /* the record being read */
    char field[REF_MAX_FIELDS][REF_MAX_FIELD];
    size_t flen[REF_MAX_FIELDS], nfields;
    int have_header;
    size_t gcol, ycol, pcol, ncols;
} ref_result;

static void ref_record(ref_result *r)
{
    int y, p;
    size_t k;
    if (!r->have_header) {
        r->have_header = 1;
        r->ncols = r->nfields;
        for (size_t i = 0; i < r->nfields; i++) {
            if (r->flen[i] == 1 && r->field[i][0] == 'g') r->gcol = i;
            if (r->flen[i] == 1 && r->field[i][0] == 'y') r->ycol = i;
            if (r->flen[i] == 1 && r->field[i][0] == 'p') r->pcol = i;
        }
        return;
    }
    r->rows_read++;
    if (r->nfields != r->ncols) {
        r->skipped[FAIR_SKIP_WRONG_FIELD_COUNT]++;
        return;
    }
    if (r->flen[r->gcol] == 0) {
        r->skipped[FAIR_SKIP_MISSING_GROUP]++;
        return;
    }
    y = fair__parse_bool(r->field[r->ycol], r->flen[r->ycol], NULL);
    p = fair__parse_bool(r->field[r->pcol], r->flen[r->pcol], NULL);
    if (y < 0) {
        int blank = fair__parse_bool(r->field[r->ycol], r->flen[r->ycol], "\x01") < 0;
        r->skipped[blank ? FAIR_SKIP_MISSING_LABEL : FAIR_SKIP_INVALID_LABEL]++;
        return;
    }
    if (p < 0) {
        int blank = fair__parse_bool(r->field[r->pcol], r->flen[r->pcol], "\x01") < 0;
        r->skipped[blank ? FAIR_SKIP_MISSING_PREDICTION : FAIR_SKIP_INVALID_PREDICTION]++;
        return;
    }
    for (k = 0; k < r->ngroups; k++)
        if (r->groups[k].len == r->flen[r->gcol] &&
            memcmp(r->groups[k].key, r->field[r->gcol], r->groups[k].len) == 0)
            break;
    if (k == r->ngroups) {
        assert_true(k < REF_MAX_GROUPS);
        memcpy(r->groups[k].key, r->field[r->gcol], r->flen[r->gcol]);
        r->groups[k].len = r->flen[r->gcol];
        r->ngroups++;
    }
    r->groups[k].n[(y << 1) | p]++;
    r->rows_used++;
}

static void ref_put(ref_result *r, char c)
{
    assert_true(r->nfields < REF_MAX_FIELDS && r->flen[r->nfields] < REF_MAX_FIELD);
    r->field[r->nfields][r->flen[r->nfields]++] = c;
}

static void ref_end_field(ref_result *r)
{
    r->nfields++;
    assert_true(r->nfields < REF_MAX_FIELDS);
    r->flen[r->nfields] = 0;
}

static void ref_parse(const char *s, size_t n, char delim, ref_result *r)
{
    enum { REC_START, FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN } state = REC_START;
    size_t i = 0, line = 1, rec_line = 1;
    memset(r, 0, sizeof *r);
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) i = 3;
#define REF_PUT(ch) ref_put(r, (ch))
#define REF_END_FIELD() ref_end_field(r)
#define REF_END_RECORD() (ref_record(r), r->nfields = 0, r->flen[0] = 0, state = REC_START)
    for (; i < n; i++) {
        char c = s[i];
        int eol = c == '\r' || c == '\n';
        switch (state) {
        case REC_START:
            if (eol) break;
            rec_line = line;
            state = FIELD_START;
            /* fall through */
        case FIELD_START:
            if (c == '"') state = QUOTED;
            else if (c == delim) REF_END_FIELD();
            else if (eol) REF_END_FIELD(), REF_END_RECORD();
            else REF_PUT(c), state = UNQUOTED;
            break;
        case UNQUOTED:
            if (c == '"') {
                r->st = FAIR_ECSV, r->err_line = line;
                return;
            }
            if (c == delim) REF_END_FIELD(), state = FIELD_START;
            else if (eol) REF_END_FIELD(), REF_END_RECORD();
            else REF_PUT(c);
            break;
        case QUOTED:
            if (c == '"') state = QUOTE_SEEN;
            else REF_PUT(c);
            break;
        case QUOTE_SEEN:
            if (c == '"') REF_PUT('"'), state = QUOTED;
            else if (c == delim) REF_END_FIELD(), state = FIELD_START;
            else if (eol) REF_END_FIELD(), REF_END_RECORD();
            else {
                r->st = FAIR_ECSV, r->err_line = line;
                return;
            }
            break;
        }
        if (c == '\n') line++;
    }
    if (state == QUOTED) {
        r->st = FAIR_ECSV, r->err_line = rec_line;
        return;
    }
    if (state != REC_START) REF_END_FIELD(), REF_END_RECORD();
#undef REF_PUT
#undef REF_END_FIELD
#undef REF_END_RECORD
    r->lines = line - 1;
    if (!r->have_header) r->st = FAIR_EDATA, r->err_line = 1;
    else if (r->rows_read == 0) r->st = FAIR_EDATA, r->err_line = 2;
}

/* The document generator: a grammar of awkward CSV. Feature counters check its coverage. */
enum { F_LONE_CR, F_CRLF, F_QUOTED_NL, F_DOUBLED_QUOTE, F_NO_FINAL_EOL, F_EMPTY_LINE, F_BOM,
       F_LEADING_EMPTY, F_FIELD_COUNT, F_MALFORMED, F_UNTERMINATED, F_NO_ROWS, F_CR_HEADER,
       F_COUNT };

typedef struct {
    char *s;
    size_t n, cap;
} gbuf;

static void gput(gbuf *b, const char *s, size_t n)
{
    assert_true(b->n + n < b->cap);
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

static void gputs(gbuf *b, const char *s) { gput(b, s, strlen(s)); }

static uint32_t pick(fair_rng *r, uint32_t n) { return fair_rng_bounded(r, n); }

static void put_field(fair_rng *r, gbuf *b, const char *v, size_t n, char delim, unsigned *feat)
{
    int need = memchr(v, delim, n) || memchr(v, '"', n) || memchr(v, '\r', n) || memchr(v, '\n', n);
    if (!need && pick(r, 5) != 0) {
        gput(b, v, n);
        return;
    }
    gput(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '"') gput(b, "\"", 1), feat[F_DOUBLED_QUOTE]++;
        if (v[i] == '\n') feat[F_QUOTED_NL]++;
        gput(b, v + i, 1);
    }
    gput(b, "\"", 1);
}

static const char *eol(fair_rng *r, unsigned *feat)
{
    uint32_t k = pick(r, 20);
    if (k < 3) return feat[F_LONE_CR]++, "\r";
    if (k < 10) return feat[F_CRLF]++, "\r\n";
    return "\n";
}

/* A random value of a group column: 0 to 3 pieces, some of them delimiters, quotes, line
 * ends, spaces and non-ASCII letters. */
static size_t group_value(fair_rng *r, char *v)
{
    static const char *const plain[] = {"a", "b", "\xc3\xa9", "Zz"};
    static const char *const odd[] = {" ", ",", ";", "\t", "|", "\"", "\n", "\r", "\r\n", "\"\""};
    size_t n = 0;
    for (uint32_t k = pick(r, 4); k > 0; k--) {
        const char *p = pick(r, 5) < 3 ? plain[pick(r, 4)] : odd[pick(r, 10)];
        memcpy(v + n, p, strlen(p));
        n += strlen(p);
    }
    return n;
}

static const char *const words[] = {"1", "0", "1", "0", "yes", "No", " ja ", "nee", "TRUE",
                                    "false", "y", "n", "", " ", "2", "maybe", "1\n", "\tY"};

/* Builds one document; returns its delimiter. *explicit_delim says whether the ingest must be
 * told the delimiter (detection reads the header's physical line, which after a lone CR holds
 * data too). */
static char make_doc(fair_rng *r, gbuf *b, unsigned *feat, int *explicit_delim)
{
    static const char delims[] = {',', ';', '\t', '|'};
    const char delim = delims[pick(r, 4)];
    const char *names[4] = {"g", "y", "p", "x"};
    size_t ncols = pick(r, 3) == 0 ? 4 : 3, nrec = pick(r, 12) == 0 ? 0 : 1 + pick(r, 24);
    int malformed = pick(r, 25) == 0, unterminated = pick(r, 40) == 0;
    char v[64];
    const char *e;

    b->n = 0;
    *explicit_delim = (int)pick(r, 2);
    for (size_t i = ncols; i-- > 1;) { /* shuffle the header (Fisher-Yates) */
        size_t j = pick(r, (uint32_t)i + 1);
        const char *t = names[i];
        names[i] = names[j], names[j] = t;
    }
    if (pick(r, 8) == 0) gputs(b, "\xef\xbb\xbf"), feat[F_BOM]++;
    if (pick(r, 8) == 0) gputs(b, pick(r, 2) ? "\n" : "\r\n\n"), feat[F_LEADING_EMPTY]++;
    for (size_t c = 0; c < ncols; c++) {
        if (c) gput(b, &delim, 1);
        put_field(r, b, names[c], 1, delim, feat);
    }
    e = eol(r, feat);
    if (e[0] == '\r' && e[1] == '\0') *explicit_delim = 1, feat[F_CR_HEADER]++;
    gputs(b, e);
    if (nrec == 0) feat[F_NO_ROWS]++;
    for (size_t rec = 0; rec < nrec; rec++) {
        size_t nf = pick(r, 6) == 0 ? 1 + pick(r, 5) : ncols;
        int bad = malformed && rec == nrec / 2;
        if (nf != ncols) feat[F_FIELD_COUNT]++;
        for (size_t f = 0; f < nf; f++) {
            const char *name = f < ncols ? names[f] : "x";
            size_t n;
            if (f) gput(b, &delim, 1);
            if (bad && f == nf - 1) {
                /* A quote inside an unquoted field, or text after a closing quote. */
                gputs(b, pick(r, 2) ? "a\"b" : "\"a\"b");
                feat[F_MALFORMED]++;
                continue;
            }
            if (name[0] == 'g' || name[0] == 'x') n = group_value(r, v);
            else n = strlen(strcpy(v, words[pick(r, sizeof words / sizeof words[0])]));
            put_field(r, b, v, n, delim, feat);
        }
        if (rec + 1 == nrec && pick(r, 4) == 0) {
            feat[F_NO_FINAL_EOL]++;
        } else {
            gputs(b, eol(r, feat));
            if (pick(r, 8) == 0) gputs(b, pick(r, 2) ? "\n" : "\r\n\r\n"), feat[F_EMPTY_LINE]++;
        }
    }
    if (unterminated) gputs(b, "\"open,1,1\n"), feat[F_UNTERMINATED]++;
    return delim;
}

static void compare_with_reference(const char *what, size_t doc, fair_status st,
                                   const fair__ingest *res, const fair_error *err,
                                   const ref_result *ref)
{
    if (st != ref->st)
        fail_msg("document %zu (%s): %s (%s), the reference says %s at line %zu", doc, what,
                 fair_status_name(st), err->msg, fair_status_name(ref->st), ref->err_line);
    if (st != FAIR_OK) {
        if (err->line != ref->err_line)
            fail_msg("document %zu (%s): error at line %zu (%s), the reference says line %zu", doc,
                     what, err->line, err->msg, ref->err_line);
        return;
    }
    if (res->rows_read != ref->rows_read || res->rows_used != ref->rows_used ||
        res->lines != ref->lines || res->table.count != ref->ngroups)
        fail_msg("document %zu (%s): rows %llu/%llu lines %llu groups %zu; "
                 "reference %llu/%llu %llu %zu",
                 doc, what, (unsigned long long)res->rows_read, (unsigned long long)res->rows_used,
                 (unsigned long long)res->lines, res->table.count,
                 (unsigned long long)ref->rows_read, (unsigned long long)ref->rows_used,
                 (unsigned long long)ref->lines, ref->ngroups);
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++)
        if (res->skipped[k] != ref->skipped[k])
            fail_msg("document %zu (%s): %llu rows skipped for %s, reference %llu", doc, what,
                     (unsigned long long)res->skipped[k], fair_skip_name((fair_skip_reason)k),
                     (unsigned long long)ref->skipped[k]);
    for (size_t g = 0; g < ref->ngroups; g++) {
        const fair__cell *c = find_group(res, ref->groups[g].key, ref->groups[g].len);
        if (!c || memcmp(c->n, ref->groups[g].n, sizeof c->n) != 0)
            fail_msg("document %zu (%s): counts of group %zu differ", doc, what, g);
    }
}

/* The same histogram entries (score and counts), whatever their order: both are sorted. */
static void assert_same_hist(fair__shist *a, fair__shist *b, size_t doc)
{
    assert_int_equal(fair__shist_sort(a), FAIR_OK);
    assert_int_equal(fair__shist_sort(b), FAIR_OK);
    if (a->count != b->count)
        fail_msg("document %zu: %zu distinct scores vs %zu", doc, a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        if (memcmp(&a->s[i], &b->s[i], sizeof a->s[i]) != 0 ||
            memcmp(a->n[i], b->n[i], sizeof a->n[i]) != 0)
            fail_msg("document %zu: score entry %zu differs (%a vs %a)", doc, i, a->s[i], b->s[i]);
}

/* Two ingests of the same records must agree in every count: status, rows, skips by reason,
 * groups with their cells and score histograms. */
static void assert_same_ingest(fair_status sa, const fair__ingest *a, fair_status sb,
                               const fair__ingest *b, size_t doc, const char *what)
{
    if (sa != sb) fail_msg("document %zu (%s): status %d vs %d", doc, what, (int)sa, (int)sb);
    if (sa != FAIR_OK) return;
    if (a->rows_read != b->rows_read || a->rows_used != b->rows_used ||
        a->table.count != b->table.count)
        fail_msg("document %zu (%s): rows %llu/%llu, %zu groups vs %llu/%llu, %zu", doc, what,
                 (unsigned long long)a->rows_read, (unsigned long long)a->rows_used, a->table.count,
                 (unsigned long long)b->rows_read, (unsigned long long)b->rows_used,
                 b->table.count);
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++)
        if (a->skipped[k] != b->skipped[k])
            fail_msg("document %zu (%s): %llu vs %llu rows skipped for %s", doc, what,
                     (unsigned long long)a->skipped[k], (unsigned long long)b->skipped[k],
                     fair_skip_name((fair_skip_reason)k));
    for (size_t e = 0; e < a->table.count; e++) {
        size_t len, j;
        const char *k = fair__table_key(&a->table, e, &len);
        for (j = 0; j < b->table.count; j++) {
            size_t lb;
            const char *kb = fair__table_key(&b->table, j, &lb);
            if (lb == len && memcmp(k, kb, len) == 0) break;
        }
        if (j == b->table.count) fail_msg("document %zu (%s): group %zu missing", doc, what, e);
        if (memcmp(a->table.cells[e].n, b->table.cells[j].n, sizeof a->table.cells[e].n) != 0)
            fail_msg("document %zu (%s): counts of group %zu differ", doc, what, e);
        if (a->table.with_scores)
            assert_same_hist(&a->table.hists[e], &b->table.hists[j], doc);
    }
}

/* The fast path (fast_lines(), fast_record(), the score's fast parse, the cache of recent
 * group keys) against libcsv on the same records: each document is written twice, once plain
 * and once with every field quoted, which sends every line to libcsv. Values are drawn from
 * the usual forms and from near them (blank-padded, other boolean words, empty, scores with a
 * sign, an exponent, a decimal comma, out of range, too many digits), with LF and CRLF line
 * ends, empty lines and rows with a field too many or too few; and groups in runs and in
 * turns (the cache's hits and misses). Four option sets (a score column; a threshold on it;
 * ';' with a decimal comma; no score, where block_lines() counts usual rows itself), 1 reader
 * and 3 threads on small ranges. Seed fixed. */
static void test_ingest_fast_vs_libcsv(void **state)
{
    static const char *const groups[] = {"a",          "bb", "grp", "x y",
                                         "\xc3\xbcml", "",   "long group name!"};
    static const char *const bits[] = {"0", "1", "1", "0", " 1", "yes", "2", "", "N"};
    static const char *const scores[] = {"0.5", "0.125", "1", "0", "0.673", "00.25", "0.99999999",
                                         "0.", " 0.3", ".5", "1.5", "-0.25", "1e-1", "0,5", "abc",
                                         "", "0.1234567891", "0.0000001", "2"};
    char *plain = malloc(1 << 16), *quoted = malloc(1 << 16);
    char *path = temp_path();
    fair_rng r;
    (void)state;
    assert_non_null(plain);
    assert_non_null(quoted);
    fair_rng_seed(&r, 5801u, 0u);
    for (size_t doc = 0; doc < 400; doc++) {
        const int variant = (int)(doc % 4);
        const char d = variant == 2 ? ';' : ',';
        size_t np = 0, nq = 0, g = 0;
        fair_audit_options o;
        fair__ingest a, b;
        fair_error ea, eb;
        fair_status sa, sb;
        np = (size_t)sprintf(plain, "g%cy%cp%cs\n", d, d, d);
        nq = (size_t)sprintf(quoted, "\"g\"%c\"y\"%c\"p\"%c\"s\"\n", d, d, d);
        for (size_t row = 0, nrows = 1 + pick(&r, 400); row < nrows; row++) {
            const char *f[5];
            size_t nf = 4;
            const char *eol = pick(&r, 6) == 0 ? "\r\n" : "\n";
            if (pick(&r, 4) == 0) g = pick(&r, 7); /* runs of one group */
            f[0] = groups[g];
            f[1] = bits[pick(&r, 4) ? pick(&r, 2) : pick(&r, 9)];
            f[2] = bits[pick(&r, 4) ? pick(&r, 2) : pick(&r, 9)];
            f[3] = scores[pick(&r, 3) ? pick(&r, 5) : pick(&r, 19)];
            if (d == ',' && strchr(f[3], ',')) f[3] = "0.5"; /* a decimal comma needs ';' */
            f[4] = "9";
            if (pick(&r, 40) == 0) nf = 3;
            else if (pick(&r, 40) == 0) nf = 5;
            for (size_t i = 0; i < nf; i++) {
                const char *sep = i ? (d == ';' ? ";" : ",") : "";
                np += (size_t)sprintf(plain + np, "%s%s", sep, f[i]);
                nq += (size_t)sprintf(quoted + nq, "%s\"%s\"", sep, f[i]);
            }
            np += (size_t)sprintf(plain + np, "%s", eol);
            nq += (size_t)sprintf(quoted + nq, "%s", eol);
            if (pick(&r, 30) == 0) {
                np += (size_t)sprintf(plain + np, "\n");
                nq += (size_t)sprintf(quoted + nq, "\n");
            }
        }
        abc_options(&o);
        o.score_col = variant == 3 ? NULL : "s";
        if (variant == 1) {
            o.use_threshold = 1;
            o.threshold = 0.5;
        }
        if (variant == 2) o.decimal = ',';
        sa = ingest_doc(path, plain, np, &o, &a, &ea);
        sb = ingest_doc(path, quoted, nq, &o, &b, &eb);
        assert_same_ingest(sa, &a, sb, &b, doc, "1 reader");
        if (sb == FAIR_OK) fair__ingest_release(&b);
        o.n_threads = 3;
        o.chunk_bytes = 16 + pick(&r, 200);
        sb = ingest_doc(path, plain, np, &o, &b, &eb);
        assert_same_ingest(sa, &a, sb, &b, doc, "3 threads");
        if (sa == FAIR_OK) fair__ingest_release(&a);
        if (sb == FAIR_OK) fair__ingest_release(&b);
    }
    free(plain);
    free(quoted);
    unlink(path);
    free(path);
}

/* 2000 documents, seed fixed. Each goes through the ingest with one reader and with 3 threads
 * on 7- to 64-byte ranges (so most records straddle a range start and most quoted newlines
 * force the serial fallback), and both must equal the reference. 2000 is enough for every
 * feature of the grammar to turn up in dozens of documents (the counters below check it; the
 * rarest, an unterminated quote, has p = 1/40) while the test takes about a second. Under
 * AddressSanitizer every run maps fresh 1 MiB read buffers (some 10 ms a run), so there the
 * first 500 documents of the same sequence do: enough to catch a memory error, and the
 * parsing itself is checked on all 2000 by the plain build. */
#if defined(__SANITIZE_ADDRESS__)
#define N_DOCS 500
#else
#define N_DOCS 2000
#endif

/* Whether the library was built with OpenMP: a 3-thread run reports more than one thread. */
static int threads_available(const char *path)
{
    static const char doc[] = "g,y,p\na,1,1\nb,0,1\nc,1,0\nd,0,0\ne,1,1\nf,0,1\n";
    fair_audit_options o;
    fair__ingest res;
    fair_error err;
    int yes;
    abc_options(&o);
    o.n_threads = 3;
    o.chunk_bytes = 8;
    assert_int_equal(ingest_doc(path, doc, sizeof doc - 1, &o, &res, &err), FAIR_OK);
    yes = res.threads_used > 1;
    fair__ingest_release(&res);
    return yes;
}

static void test_ingest_differential(void **state)
{
    char docbuf[32768];
    gbuf b = {docbuf, 0, sizeof docbuf};
    unsigned feat[F_COUNT] = {0};
    size_t chained = 0, serial = 0; /* threaded runs whose ranges chained up, or fell back */
    char *path = temp_path();
    ref_result *ref = malloc(sizeof *ref);
    fair_rng r;
    (void)state;
    assert_non_null(ref);
    fair_rng_seed(&r, 4180u, 0u);
    for (size_t d = 0; d < N_DOCS; d++) {
        fair_audit_options o;
        fair__ingest one, many;
        fair_error e1, e3;
        fair_status s1, s3;
        int explicit_delim;
        char delim = make_doc(&r, &b, feat, &explicit_delim);
        ref_parse(b.s, b.n, delim, ref);
        abc_options(&o);
        if (explicit_delim) o.delimiter = delim;
        s1 = ingest_doc(path, b.s, b.n, &o, &one, &e1);
        compare_with_reference("1 thread", d, s1, &one, &e1, ref);
        o.n_threads = 3;
        o.chunk_bytes = 7 + pick(&r, 58);
        s3 = ingest_doc(path, b.s, b.n, &o, &many, &e3);
        compare_with_reference("3 threads", d, s3, &many, &e3, ref);
        if (s1 != FAIR_OK && strcmp(e1.msg, e3.msg) != 0)
            fail_msg("document %zu: '%s' with 1 thread, '%s' with 3", d, e1.msg, e3.msg);
        if (s3 == FAIR_OK) {
            chained += many.threads_used > 1;
            serial += many.threads_used == 1;
            fair__ingest_release(&one);
            fair__ingest_release(&many);
        }
    }
    for (size_t f = 0; f < F_COUNT; f++)
        if (feat[f] < N_DOCS / 100)
            fail_msg("grammar feature %zu turned up only %u times", f, feat[f]);
    print_message("%d documents; with 3 threads %zu parsed in ranges, %zu by one reader\n", N_DOCS,
                  chained, serial);
    if (threads_available(path)) assert_true(chained > N_DOCS / 5 && serial > N_DOCS / 5);
    free(ref);
    unlink(path);
    free(path);
}

/* The score histogram's counts pending in its slots (fair__shist_add): a slot's 32-bit count
 * that wraps round carries 2^32 into the entry's count, and every reader sees pending counts
 * (flush, sort, merge, quantize). The slot is set just below the wrap by hand, so the carry is
 * reached in a few rows instead of 2^32. Expected counts by hand: 3 rows added before the
 * slot is set to 2^32 - 2, then 5 more, give (2^32 - 2) + 5 = 2^32 + 3 in the slot's cell plus
 * the 1 row that add_new put into n; the other values as added. */
static void test_shist_pending_counts(void **state)
{
    const fair__shist_cfg cfg = {0.0, 1.0, 4}; /* past 4 distinct values: the grid */
    fair__shist h, m;
    size_t e = SIZE_MAX;
    (void)state;
    fair__shist_init(&h);
    fair__shist_init(&m);
    /* 0.25 in cell 3: the first row goes to n (a new value), the next two are pending. */
    for (int i = 0; i < 3; i++) assert_int_equal(fair__shist_add(&h, 0.25, 3, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_add(&h, 0.75, 0, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_add(&h, -0.0, 1, &cfg), FAIR_OK); /* -0.0 is 0.0 */
    assert_int_equal(fair__shist_add(&h, 0.0, 1, &cfg), FAIR_OK);
    assert_int_equal(h.count, 3);
    for (size_t j = 0; j < h.scap; j++) {
        if (h.slots[j].e && h.s[h.slots[j].e - 1] == 0.25) {
            assert_int_equal(h.slots[j].pend[3], 2);
            h.slots[j].pend[3] = UINT32_MAX - 1; /* as if 2^32 - 3 more rows had come */
            e = h.slots[j].e - 1;
        }
    }
    assert_true(e != SIZE_MAX);
    for (int i = 0; i < 5; i++) assert_int_equal(fair__shist_add(&h, 0.25, 3, &cfg), FAIR_OK);
    /* The wrap carried 2^32 into n; the slot holds the 3 rows after it. */
    assert_true(h.n[e][3] == 1 + (UINT64_C(1) << 32));
    /* A merge reads a flushed source: the totals, pending counts included. */
    fair__shist_flush(&h);
    assert_int_equal(fair__shist_merge(&m, &h, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_sort(&m), FAIR_OK);
    assert_int_equal(m.count, 3);
    assert_true(m.s[0] == 0.0 && m.n[0][1] == 2);
    assert_true(m.s[1] == 0.25 && m.n[1][3] == (UINT64_C(1) << 32) + 4 && m.n[1][0] == 0);
    assert_true(m.s[2] == 0.75 && m.n[2][0] == 1);
    /* Rows pending in m's slots, then a sort (which flushes): 0.75 twice more in cell 2. */
    assert_int_equal(fair__shist_add(&m, 0.75, 2, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_add(&m, 0.75, 2, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_sort(&m), FAIR_OK);
    assert_true(m.s[2] == 0.75 && m.n[2][2] == 2 && m.n[2][0] == 1);
    /* Rows pending, then growth past the limit (two new values: 5 > 4), which quantizes: the
     * grid keeps these values (multiples of 1/65536), so the counts must carry over. */
    assert_int_equal(fair__shist_add(&m, 0.0, 1, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_add(&m, 0.5, 0, &cfg), FAIR_OK);
    assert_int_equal(fair__shist_add(&m, 0.125, 0, &cfg), FAIR_OK);
    assert_true(m.quantized);
    assert_int_equal(fair__shist_sort(&m), FAIR_OK);
    assert_int_equal(m.count, 5);
    assert_true(m.s[0] == 0.0 && m.n[0][1] == 3);
    assert_true(m.s[1] == 0.125 && m.n[1][0] == 1);
    assert_true(m.s[2] == 0.25 && m.n[2][3] == (UINT64_C(1) << 32) + 4);
    assert_true(m.s[3] == 0.5 && m.n[3][0] == 1);
    assert_true(m.s[4] == 0.75 && m.n[4][2] == 2 && m.n[4][0] == 1);
    fair__shist_release(&h);
    fair__shist_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_double_known),
        cmocka_unit_test(test_parse_double_rejects),
        cmocka_unit_test(test_parse_double_vs_strtod),
        cmocka_unit_test(test_parse_usual_decimal),
        cmocka_unit_test(test_parse_bool),
        cmocka_unit_test(test_utf8_known),
        cmocka_unit_test(test_utf8_exhaustive),
        cmocka_unit_test(test_ingest_errors),
        cmocka_unit_test(test_ingest_spreadsheet),
        cmocka_unit_test(test_ingest_messages_utf8),
        cmocka_unit_test(test_ingest_cr_header),
        cmocka_unit_test(test_ingest_max_groups),
        cmocka_unit_test(test_ingest_oom),
        cmocka_unit_test(test_ingest_differential),
        cmocka_unit_test(test_ingest_fast_vs_libcsv),
        cmocka_unit_test(test_shist_pending_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_state.c -- libFuzzer target: the partial-state decoder (src/state.c,
 * docs/partial-state.md) on hostile bytes. The first byte is a flag byte; the rest is the state
 * file. With flag bit 0 set, the input's CRC-32 is replaced by the right one before decoding
 * (as a hostile writer would do), so that mutations reach past the checksum into the sections.
 * A decode may fail, with FAIR_EDATA or FAIR_ELIMIT only, and a message that names the input;
 * a state that decodes must encode back to a state that decodes to the same bytes (the format
 * is canonical: groups by key, scores ascending, a ratio study's sales by group and value), merge
 * with itself, and give an audit or, for a ratio study's state, its study (a few bootstrap
 * replicates with flag bit 1) and their reports, or a clean error; the other kind's analysis
 * is refused. Crashes, leaks, undefined behaviour
 * and huge allocations (-rss_limit_mb, -malloc_limit_mb) abort. */
#include <fairaudit/fairaudit.h>
#include "fuzz_common.h" /* FUZZ_CHECK */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fair_state *s = NULL, *t = NULL, *u = NULL;
    fair_audit *a = NULL;
    fair_audit_options o;
    fair_error err;
    fair_status st;
    unsigned char *buf, *e1 = NULL, *e2 = NULL;
    size_t n, n1 = 0, n2 = 0;
    uint8_t flags;

    if (size < 1) return 0;
    flags = data[0];
    n = size - 1;
    buf = malloc(n ? n : 1);
    if (!buf) return 0;
    memcpy(buf, data + 1, n);
    if ((flags & 1) && n >= 4) {
        uLong crc = crc32(0L, buf, (uInt)(n - 4));
        for (size_t i = 0; i < 4; i++) buf[n - 4 + i] = (unsigned char)(crc >> (8 * i));
    }
    fair_error_init(&err);
    st = fair_state_decode(buf, n, "fuzz.state", &s, &err);
    if (st != FAIR_OK) {
        FUZZ_CHECK(st == FAIR_EDATA || st == FAIR_ELIMIT || st == FAIR_ENOMEM, "status %s",
                   fair_status_name(st));
        FUZZ_CHECK(s == NULL, "a failed decode returned a state");
        FUZZ_CHECK(strstr(err.msg, "fuzz.state") != NULL, "the message does not name the input: %s",
                   err.msg);
        free(buf);
        return 0;
    }
    /* Canonical: encode, decode, encode gives the same bytes. */
    FUZZ_CHECK(fair_state_encode(s, &e1, &n1, &err) == FAIR_OK, "encode: %s", err.msg);
    FUZZ_CHECK(fair_state_decode(e1, n1, "again", &t, &err) == FAIR_OK, "re-decode: %s", err.msg);
    FUZZ_CHECK(fair_state_encode(t, &e2, &n2, &err) == FAIR_OK, "encode: %s", err.msg);
    FUZZ_CHECK(n1 == n2 && memcmp(e1, e2, n1) == 0, "encoding is not canonical");
    FUZZ_CHECK(fair_state_rows(s) == fair_state_rows(t), "rows differ after a round trip");
    /* Merged with itself: twice the rows, or a clean refusal (too many rows, or the same data). */
    FUZZ_CHECK(fair_state_decode(e1, n1, "copy", &u, &err) == FAIR_OK, "decode copy");
    st = fair_state_merge(t, u, &err);
    /* ... or, for a state that records its input's SHA-256, a refusal to count it twice. */
    FUZZ_CHECK(st == FAIR_OK || st == FAIR_ELIMIT ||
                   (st == FAIR_EINVAL && strstr(err.msg, "would count twice")),
               "merge with itself: %s", err.msg);
    if (st == FAIR_OK)
        FUZZ_CHECK(fair_state_rows(t) == 2 * fair_state_rows(s), "merged rows are not doubled");
    if (fair_state_get_kind(s) == FAIR_STATE_RATIO) {
        fair_ratio_options ro;
        fair_ratio *r = NULL;
        fair_ratio_options_init(&ro);
        ro.bootstrap = (flags & 2) ? 7 : 0;
        ro.n_threads = 1;
        ro.quantiles = (flags & 4) ? 4 : 0;
        ro.trim = (flags & 8) ? FAIR_RATIO_TRIM_IQR15 : FAIR_RATIO_TRIM_NONE;
        st = fair_ratio_from_state(s, &ro, &r, &err);
        FUZZ_CHECK(st != FAIR_EINTERNAL && st != FAIR_EINVAL, "ratio study: %s", err.msg);
        if (st == FAIR_OK) {
            FILE *devnull = fopen("/dev/null", "w");
            if (devnull) {
                FUZZ_CHECK(fair_ratio_report_write(r, FAIR_FORMAT_JSON, NULL, devnull, &err) == FAIR_OK,
                           "JSON report: %s", err.msg);
                FUZZ_CHECK(fair_ratio_report_write(r, FAIR_FORMAT_TEXT, NULL, devnull, &err) == FAIR_OK,
                           "text report: %s", err.msg);
                fclose(devnull);
            }
        }
        fair_ratio_free(r);
    }
    fair_audit_options_init(&o);
    o.bootstrap = (flags & 2) ? 7 : 0;
    o.n_threads = 1;
    st = fair_audit_from_state(s, &o, &a, &err);
    if (fair_state_get_kind(s) == FAIR_STATE_RATIO)
        FUZZ_CHECK(st == FAIR_EINVAL, "the audit of a ratio study's state: %s", fair_status_name(st));
    FUZZ_CHECK(st != FAIR_EINTERNAL, "internal error: %s", err.msg);
    if (st == FAIR_OK) {
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            FUZZ_CHECK(fair_report_write(a, FAIR_FORMAT_JSON, NULL, devnull, &err) == FAIR_OK,
                       "JSON report: %s", err.msg);
            FUZZ_CHECK(fair_report_write(a, FAIR_FORMAT_TEXT, NULL, devnull, &err) == FAIR_OK,
                       "text report: %s", err.msg);
            fclose(devnull);
        }
    }
    fair_audit_free(a);
    fair_state_encoded_free(e1);
    fair_state_encoded_free(e2);
    fair_state_free(s);
    fair_state_free(t);
    fair_state_free(u);
    free(buf);
    return 0;
}

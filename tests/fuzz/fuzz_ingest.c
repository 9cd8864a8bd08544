/* fuzz_ingest.c -- libFuzzer target: the whole CSV ingest through the public API,
 * fair_audit_run(), on a file made of the fuzz input (options from its first four bytes; see
 * fuzz_common.h), plain, gzip-compressed or behind a pipe. Each input is read twice, by one
 * thread and by three threads on byte ranges of 1 to 32 bytes, and the two must agree exactly:
 * the same status and error position, or the same row counts, skip counts, attributes, group
 * labels and group counts (docs/design.md, "Why results do not depend on the thread count").
 * An error message must be valid UTF-8 without control characters, whatever bytes the file
 * holds: it goes to a terminal or a log (a vendor's file must not drive the auditor's terminal).
 * Any disagreement aborts; so do crashes, leaks and undefined behaviour (ASan + UBSan). */
#include "fuzz_common.h"
#include "internal.h" /* fair__utf8_valid */

static void clean_message(const char *m)
{
    size_t n = strlen(m);
    FUZZ_CHECK(fair__utf8_valid((const unsigned char *)m, n), "message not valid UTF-8: %s", m);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK((unsigned char)m[i] >= 0x20 && m[i] != 0x7f,
                   "control byte 0x%02x at %zu in the message: %s", (unsigned char)m[i], i, m);
}

static void same_audit(const fair_audit *a, const fair_audit *b)
{
    FUZZ_CHECK(fair_audit_rows_read(a) == fair_audit_rows_read(b), "rows read %llu vs %llu",
               (unsigned long long)fair_audit_rows_read(a), (unsigned long long)fair_audit_rows_read(b));
    FUZZ_CHECK(fair_audit_rows_used(a) == fair_audit_rows_used(b), "rows used differ");
    for (int r = 0; r < FAIR_SKIP_COUNT; r++)
        FUZZ_CHECK(fair_audit_rows_skipped(a, (fair_skip_reason)r) ==
                       fair_audit_rows_skipped(b, (fair_skip_reason)r),
                   "skip count '%s' differs", fair_skip_name((fair_skip_reason)r));
    FUZZ_CHECK(fair_audit_n_attributes(a) == fair_audit_n_attributes(b), "attribute counts differ");
    for (size_t i = 0; i < fair_audit_n_attributes(a); i++) {
        size_t ng = fair_audit_n_groups(a, i);
        FUZZ_CHECK(ng == fair_audit_n_groups(b, i), "attribute %zu: %zu vs %zu groups", i, ng,
                   fair_audit_n_groups(b, i));
        FUZZ_CHECK(strcmp(fair_audit_attribute_name(a, i), fair_audit_attribute_name(b, i)) == 0,
                   "attribute names differ");
        FUZZ_CHECK(fair_audit_reference(a, i) == fair_audit_reference(b, i), "references differ");
        for (size_t g = 0; g < ng; g++) {
            fair_counts x = fair_audit_group_counts(a, i, g), y = fair_audit_group_counts(b, i, g);
            FUZZ_CHECK(strcmp(fair_audit_group_label(a, i, g), fair_audit_group_label(b, i, g)) == 0,
                       "attribute %zu group %zu: labels differ", i, g);
            FUZZ_CHECK(x.tp == y.tp && x.fp == y.fp && x.tn == y.tn && x.fn == y.fn,
                       "attribute %zu group %zu: counts differ", i, g);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup s;
    fair_audit *a1, *a3;
    fair_error e1, e3;
    fair_status s1, s3;
    size_t h = fuzz_options(data, size, &s);
    if (h == 0) return 0;
    data += h, size -= h;

    s1 = fuzz_run(&s, data, size, 1, &a1, &e1);
    s3 = fuzz_run(&s, data, size, 3, &a3, &e3);
    FUZZ_CHECK(s1 == s3, "1 thread: %s (%s); 3 threads: %s (%s)", fair_status_name(s1), e1.msg,
               fair_status_name(s3), e3.msg);
    if (s1 == FAIR_OK) {
        same_audit(a1, a3);
    } else {
        clean_message(e1.msg);
        FUZZ_CHECK(e1.line == e3.line && e1.record == e3.record && e1.column == e3.column &&
                       strcmp(e1.msg, e3.msg) == 0,
                   "errors differ:\n  1 thread:  %s\n  3 threads: %s", e1.msg, e3.msg);
    }
    fair_audit_free(a1);
    fair_audit_free(a3);
    return 0;
}

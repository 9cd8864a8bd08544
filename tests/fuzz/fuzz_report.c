/* fuzz_report.c -- libFuzzer target: the report writers on whatever audit a fuzzed file gives.
 *
 * Input: four bytes of ingest options (fuzz_common.h), two bytes of report options (also XORed
 * with 0x60), a command line of up to 31 bytes ended by a newline (it lands in the JSON's "run"
 * part, as the CLI's command line does; any bytes, as a file name can have), then the CSV. When
 * the audit succeeds, the JSON report is written to a memory stream and parsed back with
 * jansson's json_loadb() (it must parse and hold "results" and "run"), and the text report is
 * written too: without colour it must be valid UTF-8 with no control characters but newlines,
 * whatever bytes the group values hold (a vendor's file must not drive the auditor's terminal).
 * Both writers must succeed, and so must the HTML, Markdown, CSV and JUnit writers, whose
 * output must be valid UTF-8. Any violation aborts. */
#include <jansson.h>
#include "fuzz_common.h"
#include "internal.h" /* fair__utf8_valid */

/* Report options from two bytes:
 *   r0: bits 0-1 bootstrap replicates (0, 0, 10, 25); bit 2 simple scheme; bit 3 BCa primary;
 *       bit 4 reference rule "best"; bit 5 favourable = 0; bit 6 Clopper-Pearson; bit 7 three
 *       threads
 *   r1: bits 0-1 p adjustment (holm, bh, none, holm); bits 2-3 a --reference entry (none, "a",
 *       "g=b", "nosuch=a"); bits 4-5 suppress_below (0, 0, 2, 5); bits 6-7 ci level */
static void report_options(const uint8_t *in, fuzz_setup *s, size_t *threads)
{
    const uint8_t r[2] = {(uint8_t)(in[0] ^ FUZZ_XOR), (uint8_t)(in[1] ^ FUZZ_XOR)};
    static const uint64_t reps[] = {0, 0, 10, 25};
    static const fair_p_adjust adj[] = {FAIR_P_ADJUST_HOLM, FAIR_P_ADJUST_BH, FAIR_P_ADJUST_NONE,
                                        FAIR_P_ADJUST_HOLM};
    static const char *const refs[] = {"a", "g=b", "nosuch=a"};
    static const uint64_t supp[] = {0, 0, 2, 5};
    static const double level[] = {0.95, 0.9, 0.99, 0.5};
    fair_audit_options *o = &s->o;
    o->bootstrap = reps[r[0] & 3];
    o->boot_scheme = r[0] & 4 ? FAIR_BOOT_SIMPLE : FAIR_BOOT_STRATIFIED;
    o->boot_ci = r[0] & 8 ? FAIR_BOOT_CI_BCA : FAIR_BOOT_CI_PERCENTILE;
    o->reference_rule = r[0] & 0x10 ? FAIR_REFERENCE_BEST : FAIR_REFERENCE_LARGEST;
    o->favourable = !(r[0] & 0x20);
    o->interval = r[0] & 0x40 ? FAIR_INTERVAL_CLOPPER_PEARSON : FAIR_INTERVAL_WILSON;
    *threads = r[0] & 0x80 ? 3 : 1;
    o->p_adjust = adj[r[1] & 3];
    if ((r[1] >> 2) & 3) {
        o->references = &refs[((r[1] >> 2) & 3) - 1];
        o->n_references = 1;
    }
    o->suppress_below = supp[(r[1] >> 4) & 3];
    o->ci_level = level[r[1] >> 6];
}

/* The text report: valid UTF-8, and no control bytes but '\n'. */
static void check_text(const char *t, size_t n)
{
    FUZZ_CHECK(fair__utf8_valid((const unsigned char *)t, n), "the text report is not valid UTF-8");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        FUZZ_CHECK(c == '\n' || (c >= 0x20 && c != 0x7f),
                   "the text report holds control byte 0x%02x at offset %zu: ...%.*s...", c, i,
                   (int)(n - i < 40 ? n - i : 40), t + i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_setup s;
    fair_audit *a;
    fair_error err;
    fair_report_run run = {NULL, "2024-01-01T00:00:00Z", 0};
    char cmdline[32];
    size_t threads, k;
    size_t h = fuzz_options(data, size, &s);
    if (h == 0 || size < h + 3) return 0;
    data += h, size -= h;
    report_options(data, &s, &threads);
    data += 2, size -= 2;
    for (k = 0; k < size && k < sizeof cmdline - 1 && data[k] != '\n'; k++)
        cmdline[k] = data[k] ? (char)data[k] : '?'; /* a C string: no NUL inside */
    cmdline[k] = '\0';
    run.command_line = cmdline;
    if (k < size && data[k] == '\n') k++;
    data += k, size -= k;

    if (fuzz_run(&s, data, size, threads, &a, &err) != FAIR_OK) return 0;
    {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        json_t *root;
        json_error_t jerr;
        fair_status st;
        FUZZ_CHECK(m != NULL, "open_memstream");
        st = fair_report_write(a, FAIR_FORMAT_JSON, &run, m, &err);
        FUZZ_CHECK(st == FAIR_OK, "JSON report: %s: %s", fair_status_name(st), err.msg);
        FUZZ_CHECK(fclose(m) == 0, "fclose");
        root = json_loadb(buf, len, 0, &jerr);
        FUZZ_CHECK(root != NULL, "the JSON report does not parse: line %d: %s", jerr.line, jerr.text);
        FUZZ_CHECK(json_is_object(json_object_get(root, "results")) &&
                       json_is_object(json_object_get(root, "run")),
                   "the JSON report lacks results or run");
        json_decref(root);
        free(buf);

        buf = NULL, len = 0;
        m = open_memstream(&buf, &len);
        FUZZ_CHECK(m != NULL, "open_memstream");
        st = fair_report_write(a, FAIR_FORMAT_TEXT, &run, m, &err);
        FUZZ_CHECK(st == FAIR_OK, "text report: %s: %s", fair_status_name(st), err.msg);
        FUZZ_CHECK(fclose(m) == 0, "fclose");
        check_text(buf, len);
        free(buf);

        /* The writers that render the document: HTML, Markdown, CSV, JUnit. Each must succeed and
         * write valid UTF-8 whatever the group values hold. */
        for (int f = FAIR_FORMAT_HTML; f <= FAIR_FORMAT_JUNIT; f++) {
            buf = NULL, len = 0;
            m = open_memstream(&buf, &len);
            FUZZ_CHECK(m != NULL, "open_memstream");
            st = fair_report_write(a, (fair_format)f, &run, m, &err);
            FUZZ_CHECK(st == FAIR_OK, "report format %d: %s: %s", f, fair_status_name(st), err.msg);
            FUZZ_CHECK(fclose(m) == 0, "fclose");
            FUZZ_CHECK(fair__utf8_valid((const unsigned char *)buf, len), "format %d is not UTF-8", f);
            free(buf);
        }
    }
    fair_audit_free(a);
    return 0;
}

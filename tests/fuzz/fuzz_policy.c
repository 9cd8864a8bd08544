/* fuzz_policy.c -- libFuzzer target: the policy parser (libinih and policy.c) on any bytes, and
 * every policy that parses judged against a small fixed report document, which is then
 * rendered in every format the document supports (HTML, Markdown, CSV, JUnit). A parse must
 * succeed or fail with FAIR_EINVAL (never another status, and with a message); judging may
 * fail only with FAIR_EINVAL (an attribute the document lacks); the counts must add up to the
 * checks recorded, and every rendering must succeed and be valid UTF-8. */
#include <jansson.h>
#include "fuzz_common.h"
#include "internal.h"       /* fair__utf8_valid */
#include "report_internal.h" /* struct fair_report_doc, to make one from JSON text */

/* A report in miniature: two attributes, a summary, per-group metrics with and without
 * intervals, an undefined one, a comparison with the reference, a too-small and a suppressed
 * group, and a group label that would be markup. */
static const char doc_json[] =
    "{\"schema_version\":2,\"kind\":\"audit\",\"tool\":{\"name\":\"fairaudit\",\"version\":\"0\"},"
    "\"results\":{\"kind\":\"classification_audit\",\"input\":{\"bytes\":10,\"sha256\":\"00\"},"
    "\"attributes\":[{\"attribute\":\"g\",\"reference\":\"a\",\"groups\":["
    "{\"group\":\"a\",\"n\":50,\"is_reference\":true,\"too_small\":false,\"suppressed\":false,"
    "\"metrics\":{\"selection_rate\":{\"value\":0.5,\"ci_low\":0.4,\"ci_high\":0.6},"
    "\"tpr\":{\"value\":null,\"reason\":\"none\"}}},"
    "{\"group\":\"<script>x</script>\",\"n\":40,\"is_reference\":false,\"too_small\":false,"
    "\"suppressed\":false,\"metrics\":{\"selection_rate\":{\"value\":0.3,\"ci_low\":0.2,\"ci_high\":0.45}},"
    "\"vs_reference\":{\"selection_rate\":{\"ratio\":{\"value\":0.6,\"ci_low\":0.4,\"ci_high\":0.9}}},"
    "\"score\":{\"metrics\":{\"ece\":{\"value\":0.04}},\"reliability\":[{\"mean_score\":0.2,"
    "\"observed_rate\":0.3}]}},"
    "{\"group\":\"c\",\"n\":3,\"is_reference\":false,\"too_small\":true,\"suppressed\":false,"
    "\"metrics\":{\"selection_rate\":{\"value\":1}}},"
    "{\"group\":\"d\",\"n\":null,\"suppressed\":true}],"
    "\"summary\":{\"demographic_parity_ratio\":{\"value\":0.6,\"ci_low\":0.5,\"ci_high\":0.81}}},"
    "{\"attribute\":\"h & g\",\"groups\":[{\"group\":\"x\",\"n\":9,\"metrics\":{\"cod\":{\"value\":12}}}]}]},"
    "\"run\":{\"input_path\":\"in.csv\",\"timestamp\":\"2024-01-01T00:00:00Z\"}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fair_policy *p = NULL;
    fair_error err;
    fair_status st;
    fair_error_init(&err);
    st = fair_policy_parse((const char *)data, size, "fuzz.ini", &p, &err);
    FUZZ_CHECK(st == FAIR_OK || st == FAIR_EINVAL, "parse: %s: %s", fair_status_name(st), err.msg);
    FUZZ_CHECK(st == FAIR_OK || err.msg[0], "a failed parse without a message");
    FUZZ_CHECK(fair__utf8_valid((const unsigned char *)err.msg, strlen(err.msg)), "message not UTF-8");
    if (st != FAIR_OK) return 0;
    {
        json_error_t je;
        struct fair_report_doc d = {json_loads(doc_json, 0, &je), NULL, NULL, NULL};
        fair_policy_result r;
        FUZZ_CHECK(d.root != NULL, "the fixed document does not parse: %s", je.text);
        st = fair_policy_apply(p, &d, "fuzz.ini", &r, &err);
        FUZZ_CHECK(st == FAIR_OK || st == FAIR_EINVAL, "apply: %s: %s", fair_status_name(st), err.msg);
        if (st == FAIR_OK) {
            const json_t *checks = json_object_get(json_object_get(json_object_get(d.root, "results"), "policy"), "checks");
            FUZZ_CHECK(r.passed + r.failed + r.inconclusive == json_array_size(checks),
                       "%zu + %zu + %zu checks counted, %zu recorded", r.passed, r.failed,
                       r.inconclusive, json_array_size(checks));
            for (int f = FAIR_FORMAT_JSON; f <= FAIR_FORMAT_JUNIT; f++) {
                char *buf = NULL;
                size_t len = 0;
                FILE *m = open_memstream(&buf, &len);
                FUZZ_CHECK(m != NULL, "open_memstream");
                st = fair_report_doc_write(&d, (fair_format)f, 0, m, &err);
                FUZZ_CHECK(st == FAIR_OK, "format %d: %s: %s", f, fair_status_name(st), err.msg);
                FUZZ_CHECK(fclose(m) == 0, "fclose");
                FUZZ_CHECK(fair__utf8_valid((const unsigned char *)buf, len), "format %d not UTF-8", f);
                FUZZ_CHECK(f == FAIR_FORMAT_JSON || f == FAIR_FORMAT_CSV || f == FAIR_FORMAT_MARKDOWN ||
                               !strstr(buf, "<script"),
                           "format %d holds a raw <script", f);
                free(buf);
            }
        }
        json_decref(d.root);
    }
    fair_policy_free(p);
    return 0;
}

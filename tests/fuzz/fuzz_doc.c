/* fuzz_doc.c -- libFuzzer target: reading JSON reports back, as `compare` and the history
 * database do with whatever file they are given (a baseline from elsewhere may be hostile).
 *
 * Input: the bytes up to the first NUL are the baseline report, the rest the current one (no
 * NUL: both are the input). Each is parsed (fair__doc_parse) and, when it is accepted as a
 * report, its figures are listed: the list must be sorted, without duplicates, every string
 * valid UTF-8 (jansson's strings are) and every interval present only with numbers. Then the
 * two are compared through files (fair_compare_files) and both outputs written to a memory
 * stream, which must succeed whenever both parsed; the text output must be valid UTF-8. An
 * accepted baseline is also stored in an in-memory history database (":memory:"), which must
 * succeed. Any violation aborts. */
#include <jansson.h>
#include "doc_internal.h"
#include "fuzz_common.h"

static fuzz_file files[2] = {{-1, ""}, {-1, ""}};

static int check_doc(const uint8_t *d, size_t n)
{
    json_t *doc = NULL;
    fair__figures f;
    fair_error err;
    fair_status st;
    fair_error_init(&err);
    st = fair__doc_parse((const char *)d, n, "fuzz", &doc, &err);
    FUZZ_CHECK(st == FAIR_OK || st == FAIR_EDATA, "parse status %d", (int)st);
    if (st != FAIR_OK) return 0;
    st = fair__figures_of(doc, &f, &err);
    FUZZ_CHECK(st == FAIR_OK || st == FAIR_EDATA, "figures status %d: %s", (int)st, err.msg);
    if (st == FAIR_OK) {
        for (size_t i = 1; i < f.n; i++)
            FUZZ_CHECK(fair__figure_cmp(&f.v[i - 1], &f.v[i]) < 0, "figures not sorted at %zu", i);
        for (size_t i = 0; i < f.n; i++) {
            FUZZ_CHECK(f.v[i].attribute && f.v[i].group && f.v[i].name, "missing key at %zu", i);
            FUZZ_CHECK(fair__figures_find(&f, f.v[i].attribute, f.v[i].group, f.v[i].name) == &f.v[i],
                       "figure %zu not found by its key", i);
        }
        fair__figures_release(&f);
    }
    json_decref(doc);
    return st == FAIR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    const uint8_t *b = data, *c = data;
    size_t nb = size, nc = size;
    int ok_b, ok_c;
    if (nul) {
        nb = (size_t)(nul - data);
        c = nul + 1;
        nc = size - nb - 1;
    }
    ok_b = check_doc(b, nb);
    ok_c = nul ? check_doc(c, nc) : ok_b;
    if (ok_b) {
        fair_error err;
        fair_status st;
        fair_error_init(&err);
        st = fair_history_append(":memory:", (const char *)b, nb, 0, NULL, &err);
        FUZZ_CHECK(st == FAIR_OK || st == FAIR_EDATA, "history status %d: %s", (int)st, err.msg);
    }
    fuzz_put_file_in(&files[0], b, nb);
    fuzz_put_file_in(&files[1], c, nc);
    {
        fair_compare *cmp = NULL;
        fair_error err;
        fair_status st;
        char *buf = NULL;
        size_t len = 0;
        FILE *mem;
        fair_error_init(&err);
        st = fair_compare_files(files[0].path, files[1].path, NULL, &cmp, &err);
        if (ok_b && ok_c)
            FUZZ_CHECK(st == FAIR_OK || st == FAIR_EDATA, "compare status %d: %s", (int)st, err.msg);
        else
            FUZZ_CHECK(st != FAIR_OK, "compare accepted a document that parsing refused");
        if (st != FAIR_OK) return 0;
        mem = open_memstream(&buf, &len);
        FUZZ_CHECK(mem != NULL, "open_memstream");
        FUZZ_CHECK(fair_compare_write(cmp, FAIR_FORMAT_TEXT, 1, NULL, mem, &err) == FAIR_OK, "%s", err.msg);
        fflush(mem);
        FUZZ_CHECK(fair__utf8_valid((const unsigned char *)buf, len), "text output is not UTF-8");
        FUZZ_CHECK(fair_compare_write(cmp, FAIR_FORMAT_JSON, 0, NULL, mem, &err) == FAIR_OK, "%s", err.msg);
        fclose(mem);
        free(buf);
        fair_compare_free(cmp);
    }
    return 0;
}

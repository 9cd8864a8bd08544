/* fuzz_parse_double.c -- libFuzzer target: the ingest's number parser, fair__parse_double()
 * (csv_ingest.c), against the C library's strtod() on a NUL-terminated copy.
 *
 * Input: byte 0 bit 0 = decimal comma accepted; the rest is the field. The oracle applies the
 * parser's documented rules around strtod: spaces and tabs around the number are trimmed; with
 * a decimal comma every ',' is read as '.'; hexadecimal floats, NaN and infinities are refused
 * (any 'x', 'n' or 'i'); other leading white space is refused; an overflow is refused, an
 * underflow gives strtod's (tiny or zero) value; the whole field must be consumed.
 * Aborts when both accept and the doubles differ in any bit (so -0 and 0 differ), and when
 * one accepts and the other refuses; fields of 128 bytes or more may be refused by the parser
 * (a documented bound of its copy buffer), so there only the first check applies.
 *
 * The ingest's fast path for the usual score, fair__parse_usual_decimal(), gets the same field
 * in its own allocation (ASan sees any read past its end): whenever it accepts, the parser must
 * accept with the same bits. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz invariant violated: %s\n", #cond);                              \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The oracle: 1 and *out on success. `s` is NUL-terminated, `n` bytes (it may hold NULs). */
static int oracle(const char *s, size_t n, int comma, double *out)
{
    char *copy, *end, *b, *e;
    int ok = 0;
    double v;
    if (memchr(s, '\0', n)) return 0; /* a NUL ends strtod's view early: never all consumed */
    copy = malloc(n + 1);
    if (!copy) abort();
    memcpy(copy, s, n);
    copy[n] = '\0';
    b = copy, e = copy + n;
    while (b < e && (*b == ' ' || *b == '\t')) b++;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
    *e = '\0';
    if (b == e || !(*b == '+' || *b == '-' || *b == '.' || (comma && *b == ',') ||
                    (*b >= '0' && *b <= '9')))
        goto out;
    for (char *q = b; q < e; q++) {
        if (comma && *q == ',') *q = '.';
        if ((*q | 0x20) == 'x' || (*q | 0x20) == 'n' || (*q | 0x20) == 'i') goto out;
    }
    errno = 0;
    v = strtod(b, &end);
    if (end != e || end == b) goto out;
    if (errno == ERANGE && fabs(v) > 1.0) goto out;
    if (!isfinite(v)) goto out;
    *out = v;
    ok = 1;
out:
    free(copy);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int comma, got, want;
    double x = 0.0, y = 0.0;
    char *field;
    if (size < 1) return 0;
    comma = data[0] & 1;
    /* The parser gets exactly the field's bytes, in their own allocation, so that ASan sees
     * any read past its end. */
    field = malloc(size - 1 ? size - 1 : 1);
    if (!field) abort();
    memcpy(field, data + 1, size - 1);
    got = fair__parse_double(field, size - 1, comma, &x);
    want = oracle(field, size - 1, comma, &y);
    {
        double z = 0.0;
        if (fair__parse_usual_decimal(field, size - 1, comma, &z))
            FUZZ_CHECK(got && memcmp(&x, &z, sizeof x) == 0,
                       "'%.*s' (comma %d): fast path %.17g, parser %s %.17g", (int)(size - 1),
                       field, comma, z, got ? "accepts" : "refuses", x);
    }
    if (got && want) {
        FUZZ_CHECK(memcmp(&x, &y, sizeof x) == 0, "'%.*s' (comma %d): parser %.17g, strtod %.17g",
                   (int)(size - 1), field, comma, x, y);
    } else if (size - 1 < 128) {
        FUZZ_CHECK(got == want, "'%.*s' (comma %d): parser %s, strtod %s", (int)(size - 1), field,
                   comma, got ? "accepts" : "refuses", want ? "accepts" : "refuses");
    } else {
        FUZZ_CHECK(!got || want, "'%.*s' (comma %d): parser accepts what strtod refuses",
                   (int)(size - 1), field, comma);
    }
    free(field);
    return 0;
}

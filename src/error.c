/* error.c -- status names and messages, and the one function every failure passes through. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

const char *fair_strerror(fair_status s)
{
    switch (s) {
#define X(name, val, msg)                                                                          \
    case FAIR_##name:                                                                              \
        return msg;
        FAIR_STATUS_MAP(X)
#undef X
    }
    return "unknown status";
}

const char *fair_status_name(fair_status s)
{
    switch (s) {
#define X(name, val, msg)                                                                          \
    case FAIR_##name:                                                                              \
        return #name;
        FAIR_STATUS_MAP(X)
#undef X
    }
    return "UNKNOWN";
}

void fair_error_init(fair_error *err)
{
    if (err) memset(err, 0, sizeof *err);
}

void fair__snprintf(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    if (cap == 0) return;
    va_start(ap, fmt);
    if (vsnprintf(dst, cap, fmt, ap) < 0) dst[0] = '\0';
    va_end(ap);
}

/* Drops a UTF-8 character cut short at the end of `s`. A message cut to its buffer (here, or
 * the buffer a part of it was built in) can end inside a character of a name from the file;
 * messages go to terminals, logs and JSON, which want whole characters. Found with
 * tests/fuzz/fuzz_ingest's check that messages are valid UTF-8. */
static void drop_cut_char(char *s)
{
    size_t n = strlen(s), i = n, need;
    unsigned char lead;
    while (i > 0 && n - i < 3 && ((unsigned char)s[i - 1] & 0xc0u) == 0x80u) i--;
    if (i == 0) return;
    lead = (unsigned char)s[i - 1];
    if (lead < 0xc0u) return; /* ASCII, or not UTF-8 at all: left as it is */
    need = lead >= 0xf0u ? 4 : lead >= 0xe0u ? 3 : 2;
    if (n - (i - 1) < need) s[i - 1] = '\0';
}

static void fill(fair_error *err, fair_status code, size_t line, size_t record, size_t column,
                 const char *fmt, va_list ap)
{
    if (!err) return;
    err->code = code;
    err->line = line;
    err->record = record;
    err->column = column;
    if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0) err->msg[0] = '\0';
    drop_cut_char(err->msg);
}

fair_status fair__fail(fair_error *err, fair_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(err, code, 0, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

fair_status fair__fail_at(fair_error *err, fair_status code, size_t line, size_t record,
                          size_t column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(err, code, line, record, column, fmt, ap);
    va_end(ap);
    return code;
}

void fair__buf_init(fair__buf *b) { memset(b, 0, sizeof *b); }

void fair__buf_release(fair__buf *b)
{
    fair__free(b->data);
    fair__buf_init(b);
}

fair_status fair__buf_reserve(fair__buf *b, size_t extra)
{
    size_t need, cap;
    char *p;
    if (extra > SIZE_MAX - b->len) return FAIR_ENOMEM;
    need = b->len + extra;
    if (need <= b->cap) return FAIR_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = fair__realloc(b->data, cap);
    if (!p) return FAIR_ENOMEM;
    b->data = p;
    b->cap = cap;
    return FAIR_OK;
}

fair_status fair__buf_reserve_exact(fair__buf *b, size_t extra)
{
    char *p;
    if (extra > SIZE_MAX - b->len) return FAIR_ENOMEM;
    if (b->len + extra <= b->cap) return FAIR_OK;
    p = fair__realloc(b->data, b->len + extra);
    if (!p) return FAIR_ENOMEM;
    b->data = p;
    b->cap = b->len + extra;
    return FAIR_OK;
}

fair_status fair__buf_append(fair__buf *b, const void *p, size_t n)
{
    FAIR__FORWARD(fair__buf_reserve(b, n));
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    return FAIR_OK;
}

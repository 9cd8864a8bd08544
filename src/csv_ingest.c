/* csv_ingest.c -- streaming CSV ingest: header, row decoding and per-group counting.
 *
 * Lines are cut at '\n'. A line with no quote, carriage return (other than a final one) or NUL
 * byte, and no more fields than the header, is split on the delimiter directly (the fast path);
 * any other line, and every line after it until the record ends, goes through libcsv in strict
 * mode. Both give the same fields: libcsv is set to trim nothing, and empty lines are skipped
 * by both. Runs of fast-path lines are cut in one pass over the read buffer (fast_lines()),
 * and their usual records decoded directly (fast_record()); see docs/design.md.
 *
 * A regular, uncompressed file is parsed by OpenMP threads in fixed-size byte ranges. Range i
 * speculatively starts after the first newline at or after its start and ends at the first
 * record boundary at or after the next range's start; the ranges are then checked to chain up
 * exactly (they do unless a quoted field holds a newline across a range start), and if they do
 * not the file is parsed again by one reader; so it is when the ranges hold more groups than
 * the limit, for the error to name the row a serial reading names. Counts are integers, so the
 * sum over ranges is the same for any split and thread count. */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
/* The fast path classifies 16 bytes at a time with SSE2 (every x86-64 has it); elsewhere, or
 * with FAIR_SCALAR_SCAN defined (a test build), eight at a time in 64-bit words (SWAR), with
 * the same outcome. */
#if defined(__SSE2__) && !defined(FAIR_SCALAR_SCAN)
#include <emmintrin.h>
#define SCAN_SSE2 1
#endif
#include "internal.h"

/* Bytes asked of the source per read. The fuzz build (tests/fuzz) sets FAIR_READ_BLOCK to a few
 * dozen bytes, so that lines spanning reads, and the buffer's refill and growth, are exercised
 * by small inputs; every other build uses 1 MiB. */
#ifdef FAIR_READ_BLOCK
#define READ_BLOCK ((size_t)(FAIR_READ_BLOCK))
#else
#define READ_BLOCK ((size_t)1 << 20)
#endif
#define LIBCSV_ROW_NOT_BEGUN 0      /* libcsv's pstate at a record boundary */
/* Readable bytes that drive() keeps after the data in its buffer: the fast paths read whole
 * 16- and 64-byte blocks and the byte after a block, up to 64 bytes past the data, and never
 * use those bytes. */
#define SCAN_PAD ((size_t)80)

/* block_lines(): bytes scanned into delimiter and newline positions at a time (a multiple of
 * 64), and sentinels after the positions (more than the most columns a line it takes has). */
#define LANE_BYTES ((size_t)8192)
#define LANE_SENTINELS ((size_t)64)
#define LANE_KEYS ((size_t)512)
#define LANE_SGROUPS ((size_t)16)   /* groups whose scores lane_count() counts */
#define LANE_SCORES ((size_t)2048)  /* score texts in the memo (ids), per parser */
#define LANE_TEXTS ((size_t)4096)   /* slots of the memo of score texts */
#define LANE_NONE UINT32_MAX

/* block_lines() is also compiled for x86-64-v3 (AVX2, BMI1/2, POPCNT: tzcnt and blsr for the
 * position lists, VEX-encoded compares), picked at load time where the CPU has it; integer
 * code only, so both give the same results. GCC on x86-64 ELF; not in the portable-scan build. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__) && \
    defined(SCAN_SSE2) && __GNUC__ >= 11
#define LANE_CLONES __attribute__((target_clones("default", "arch=x86-64-v3")))
#define LANE_AVX2 1
#include <immintrin.h>
#else
#define LANE_CLONES
#endif

/* A row-level error, positioned relative to where its parser started. */
typedef struct {
    fair_status code;
    uint64_t line;   /* physical line of the record start, relative (1 = first line parsed) */
    uint64_t record; /* record number, relative (1 = first record parsed) */
    size_t column;   /* 1-based; 0 = none */
    int serial_only; /* in a parallel job, only a serial parse can place this error */
    char what[400];
} row_error;

/* Entries of the parser's cache of recent group keys (a power of two). */
#define GCACHE 16

/* Per-value decoding status. */
enum { V_OK = 0, V_MISSING, V_INVALID, V_RANGE };

typedef struct {
    const fair_audit_options *o;
    fair__schema *sc;
    const char *name;
    struct csv_parser csv;
    int csv_live;       /* inside a record that libcsv is parsing */
    int header_mode;    /* the next record is the header */
    int stop_after_header;
    int stop;
    fair__ingest *acc;  /* where counts go (this thread's) */
    /* current record */
    size_t field;
    fair__buf gbuf;     /* bytes of the group fields of the current record */
    size_t *gofs, *glen; /* per group attribute: where its value starts, from gsrc, and length */
    const char *gsrc;   /* fast path: the line that gofs counts from; NULL: from gbuf.data */
    fair__buf key;
    fair__buf hdr;      /* header names, NUL-separated, while reading the header */
    size_t *dpos;       /* fast path: delimiter positions in the line, then its end */
    size_t dcap;        /* ncols + 17: a 16-byte block may add 16 before the check */
    size_t *rcol;       /* fast path: the columns with a role, ascending (dcap entries) */
    size_t nrcol;
    int fast_record;    /* the fast path may decode a record itself (fast_record()) */
    int fast_lines;     /* drive() may cut lines in one pass (fast_lines()) */
    uint32_t *lane;     /* block_lines(): positions of delimiters, then of newlines */
    struct lane_key {   /* block_lines()'s cache of group values of 1 to 16 bytes */
        uint64_t w[2];  /* the value's bytes, zero after its end */
        uint32_t len;   /* 0: empty slot */
        uint32_t idx;   /* its group table entry */
        uint32_t lg;    /* with a score: its lane group (< LANE_SGROUPS), or LANE_NONE */
    } *lkeys;           /* LANE_KEYS entries, when lane_counts */
    int lane_counts;    /* block_lines() counts the usual records itself (one group column;
                         * a prediction column, a threshold on the score, or both: see
                         * lane_count()) */
    /* The memo of score texts (fast path with a score column): a text of 1 to 8 bytes that
     * parsed as a usual score inside the range gets an id the first time fast_record() meets
     * it (text_add()), up to LANE_SCORES texts; later rows take its value without parsing, and
     * lane_count() counts rows by (lane group, id, cell) in lscnt, which lane_scores_flush()
     * adds to the groups' histograms. */
    struct lane_text {
        uint64_t key;   /* score_text_key(); 0: empty slot */
        uint32_t id;
    } *lsmemo;          /* LANE_TEXTS entries */
    double *lsval;      /* per id: the score */
    unsigned char *lspred; /* per id: score >= --threshold */
    uint32_t *lscnt;    /* [LANE_SGROUPS][LANE_SCORES][4], when lane_counts */
    size_t lsn, lgn;    /* ids and lane groups given out */
    size_t lgidx[LANE_SGROUPS]; /* per lane group: its group table entry */
    uint64_t lsrows;    /* rows in lscnt: flushed before a count could wrap */
    unsigned fast_pause; /* lines left to the line-at-a-time path after fast_lines() stopped */
    size_t gcache[GCACHE]; /* recent group keys: table entry + 1 (0: none), by gcache_slot() */
    int label, pred;
    double score;
    double val[2];         /* ratio study: assessed value, sale price */
    int vst[7];            /* per role: V_* (not a char type: stores to it alias nothing else) */
    char vtext[7][48];     /* offending text per role, for --strict messages */
    /* position */
    uint64_t line;        /* line number of the line being parsed (relative) */
    uint64_t record_line; /* line where the current record started */
    uint64_t records;     /* records completed (header included when parsed here) */
    /* outcome */
    fair_status st;
    row_error err;
} parser;

/* ---------------------------------------------------------------------------------------- */
/* Value parsing */

static int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank((unsigned char)(*s)[0])) (*s)++, (*n)--;
    while (*n && is_blank((unsigned char)(*s)[*n - 1])) (*n)--;
}

static int ieq(const char *s, size_t n, const char *word)
{
    size_t i;
    for (i = 0; i < n && word[i]; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)word[i];
        if (a >= 'A' && a <= 'Z') a = (unsigned char)(a - 'A' + 'a');
        if (a != b) return 0;
    }
    return i == n && word[i] == '\0';
}

int fair__parse_bool(const char *s, size_t n, const char *positive)
{
    static const char *const yes[] = {"1", "true", "yes", "ja", "y"};
    static const char *const no[] = {"0", "false", "no", "nee", "n"};
    trim(&s, &n);
    if (positive) {
        size_t pn = strlen(positive);
        const char *p = positive;
        trim(&p, &pn);
        if (n == pn && memcmp(s, p, n) == 0) return 1;
        return n ? 0 : -1;
    }
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (ieq(s, n, yes[i])) return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (ieq(s, n, no[i])) return 0;
    return -1;
}

/* Exact powers of ten representable in a double (10^22 is the largest). */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Clinger's fast path: a plain decimal, [+-]digits[.digits] with at least one digit and at
 * most 15 significant digits (leading zeros of the integer part do not count; every digit
 * after them does), is an exact integer m < 10^15 < 2^53 over an exact power of ten, and one
 * IEEE 754 division rounds that correctly, so the result equals strtod's. `s` is not trimmed.
 * Returns 1 with *out set, or 0 when the text is not such a decimal (it may still be a number). */
static inline int parse_plain_decimal(const char *s, size_t n, int comma_decimal, double *out)
{
    const unsigned char *c = (const unsigned char *)s, *const e = c + n, *d0, *f0;
    uint64_t m = 0;
    size_t digits, frac = 0;
    int neg = 0;
    double v;

    if (c < e && (*c == '-' || *c == '+')) neg = *c++ == '-';
    d0 = c;
    while (c < e && *c == '0') c++; /* leading zeros */
    f0 = c;
    for (; c < e && (unsigned)(*c - '0') < 10u; c++) m = m * 10 + (uint64_t)(*c - '0');
    digits = (size_t)(c - f0);
    if (c < e && (*c == '.' || (*c == ',' && comma_decimal))) {
        if (++c - d0 == 1 && (c == e || (unsigned)(*c - '0') >= 10u)) return 0; /* no digit */
        f0 = c;
        for (; c < e && (unsigned)(*c - '0') < 10u; c++) m = m * 10 + (uint64_t)(*c - '0');
        frac = (size_t)(c - f0);
        digits += frac;
    } else if (c == d0) {
        return 0; /* no digit */
    }
    if (c != e || digits > 15) return 0; /* m may have wrapped past 15 digits: not used */
    v = (double)m / pow10_exact[frac];
    *out = neg ? -v : v;
    return 1;
}

/* The usual score ("0.673"), for the fast path: digits, or digits, the decimal separator and
 * digits (at least one on each side), at most 16 bytes and 15 digits; nothing else (no sign,
 * no blanks). A subset of parse_plain_decimal()'s texts, read by a shorter loop into the same
 * integer m < 10^15 < 2^53 and divided by the same exact power of ten (at most 10^14) in one
 * correctly rounded division: the same bits (Clinger's fast path; both equal strtod's
 * correctly rounded value). Returns 0 for any other text, which may still be a number. */
static inline int parse_usual_decimal(const char *s, size_t n, int comma_decimal, double *out)
{
    const unsigned char *c = (const unsigned char *)s, *const e = c + n, *sep;
    uint64_t m = 0;
    unsigned d;
    if (n == 0 || n > 16) return 0;
    while ((d = (unsigned)(*c - '0')) < 10u) {
        m = m * 10 + d;
        if (++c == e) {
            if (n > 15) return 0;
            *out = (double)m;
            return 1;
        }
    }
    if (c == (const unsigned char *)s || !(*c == '.' || (*c == ',' && comma_decimal))) return 0;
    sep = c++;
    if (c == e) return 0;
    while ((d = (unsigned)(*c - '0')) < 10u) {
        m = m * 10 + d;
        if (++c == e) {
            *out = (double)m / pow10_exact[e - sep - 1];
            return 1;
        }
    }
    return 0;
}

int fair__parse_usual_decimal(const char *s, size_t n, int comma_decimal, double *out)
{
    return parse_usual_decimal(s, n, comma_decimal, out);
}

/* The key of a score text of n bytes, 1 <= n <= 8, none of them NUL (the fast path takes no
 * line with a NUL byte): the 8 bytes at s with those past the text set to 0, so that texts of
 * different lengths differ (the longer one has a non-zero byte where the shorter has 0) and no
 * text gives 0. Reads 8 bytes at s: the line is followed by SCAN_PAD readable bytes. */
static inline uint64_t score_text_key(const char *s, size_t n)
{
    const uint64_t w = fair__load64((const unsigned char *)s);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return w & (~UINT64_C(0) << (64 - 8 * n));
#else
    return w & (~UINT64_C(0) >> (64 - 8 * n));
#endif
}

/* The memo's slot for a score text's key (a guess: an entry is found in it or the next). */
static inline size_t text_slot(uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 52) & (LANE_TEXTS - 1);
}

/* The memo's entry for a score text's key, or NULL. */
static inline const struct lane_text *text_find(const struct lane_text *memo, uint64_t key)
{
    const size_t s = text_slot(key), s2 = (s + 1) & (LANE_TEXTS - 1);
    return memo[s].key == key ? &memo[s] : memo[s2].key == key ? &memo[s2] : NULL;
}

/* Gives score text `key`, of value v (a usual score inside the range), an id in the memo, when
 * it has room (ids left and one of the two slots free). */
static void text_add(parser *p, uint64_t key, double v)
{
    const size_t s = text_slot(key);
    struct lane_text *e = &p->lsmemo[s];
    if (p->lsn >= LANE_SCORES) return;
    if (e->key && (e = &p->lsmemo[(s + 1) & (LANE_TEXTS - 1)])->key) return;
    p->lsval[p->lsn] = v;
    p->lspred[p->lsn] = v >= p->o->threshold;
    *e = (struct lane_text){key, (uint32_t)p->lsn++};
}

/* Parses a decimal number. Plain decimals take the exact fast path above; anything else goes
 * to strtod on a copy. Both are exact, so the result equals strtod's.
 * Returns 1 on success; rejects empty text, trailing garbage, NaN and infinities. */
int fair__parse_double(const char *s, size_t n, int comma_decimal, double *out)
{
    char tmp[128];
    char *end;
    size_t i;
    double v;

    trim(&s, &n);
    if (n == 0) return 0;
    if (parse_plain_decimal(s, n, comma_decimal, out)) return 1;
    /* Slow path: strtod on a NUL-terminated copy with the decimal comma mapped to a point.
     * strtod skips leading white space of any kind ("\n5"); trim() took spaces and tabs,
     * so anything else left in front is not a number, as it is not at the end. */
    if (n >= sizeof tmp || !(s[0] == '-' || s[0] == '+' || s[0] == '.' || s[0] == ',' ||
                             (s[0] >= '0' && s[0] <= '9')))
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    for (i = 0; i < n; i++) {
        if (tmp[i] == ',' && comma_decimal) tmp[i] = '.';
        /* strtod accepts hex floats, "nan" and "inf": a CSV score is plain decimal. */
        if ((tmp[i] | 0x20) == 'x' || (tmp[i] | 0x20) == 'n' || (tmp[i] | 0x20) == 'i') return 0;
    }
    errno = 0;
    v = strtod(tmp, &end);
    if (end != tmp + n || end == tmp) return 0;
    if (errno == ERANGE && fabs(v) > 1.0) return 0; /* overflow; underflow to 0 is fine */
    if (!isfinite(v)) return 0;
    *out = v;
    return 1;
}

/* UTF-8 validity (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
int fair__utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 1, cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2, cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3, cp = c & 0x07u;
        } else {
            return 0;
        }
        if (n - i <= k) return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + j] & 0x3fu);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        i += k + 1;
    }
    return 1;
}

void fair__key_parts(const char *k, size_t len, size_t nparts, const char **ptr, size_t *plen)
{
    size_t off = 0;
    for (size_t i = 0; i < nparts; i++) {
        uint32_t l = 0;
        if (off + 4 <= len) memcpy(&l, k + off, 4);
        off += 4;
        ptr[i] = k + off;
        plen[i] = l;
        off += l;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Errors */

static void set_error(parser *p, fair_status code, uint64_t line, size_t column, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

static void set_error(parser *p, fair_status code, uint64_t line, size_t column, const char *fmt,
                      ...)
{
    va_list ap;
    if (p->st != FAIR_OK) return;
    p->st = code;
    p->err.code = code;
    p->err.line = line;
    p->err.record = p->records + 1;
    p->err.column = column;
    p->err.serial_only = 0;
    va_start(ap, fmt);
    if (vsnprintf(p->err.what, sizeof p->err.what, fmt, ap) < 0) p->err.what[0] = '\0';
    va_end(ap);
}

/* A printable, truncated copy of a field for messages (control bytes as '?'). A field that is
 * not valid UTF-8 shows its bytes from 0x80 as \xHH, and a cut never splits a character, so
 * that every message is valid UTF-8 (a terminal, a log or a JSON consumer can take it). */
static void excerpt(char *dst, size_t cap, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const int utf8 = fair__utf8_valid((const unsigned char *)s, n);
    size_t i, j = 0;
    for (i = 0; i < n && j + 8 < cap; i++) { /* room for "\xHH", "..." and the NUL */
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            dst[j++] = '?';
        } else if (c < 0x80 || utf8) {
            dst[j++] = (char)c;
        } else {
            dst[j++] = '\\';
            dst[j++] = 'x';
            dst[j++] = hex[c >> 4];
            dst[j++] = hex[c & 15u];
        }
    }
    if (i < n) {
        /* Cut: drop the copied part of a character whose continuation bytes did not fit. */
        while (utf8 && i > 0 && ((unsigned char)s[i] & 0xc0u) == 0x80u) i--, j--;
        memcpy(dst + j, "...", 3);
        j += 3;
    }
    dst[j] = '\0';
}

/* ---------------------------------------------------------------------------------------- */
/* Header */

static size_t find_column(const fair__schema *sc, const char *name, size_t *dups)
{
    size_t at = SIZE_MAX;
    *dups = 0;
    for (size_t i = 0; i < sc->ncols; i++) {
        if (strcmp(sc->names[i], name) == 0) {
            if (at == SIZE_MAX) at = i;
            else (*dups)++;
        }
    }
    return at;
}

/* Resolves one requested column to its index and gives it a role. */
static int assign_role(parser *p, const char *name, unsigned char role, size_t group, size_t *col)
{
    fair__schema *sc = p->sc;
    size_t dups;
    static const char *const role_names[] = {"",      "group",    "label",     "prediction",
                                             "score", "assessed", "sale price"};
    size_t at = find_column(sc, name, &dups);
    if (at == SIZE_MAX) {
        fair__buf list;
        fair__buf_init(&list);
        for (size_t i = 0; i < sc->ncols; i++) {
            if (i) fair__buf_append(&list, ", ", 2);
            fair__buf_append(&list, "'", 1);
            /* Control bytes as '?': the header is the file's, and the message goes to a
             * terminal (as excerpt() does for values). Found by tests/fuzz/fuzz_ingest. */
            for (const char *c = sc->names[i]; *c; c++) {
                char ch = (unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c;
                fair__buf_append(&list, &ch, 1);
            }
            fair__buf_append(&list, "'", 1);
        }
        fair__buf_append(&list, "", 1);
        /* The header's own line: it need not be line 1 (leading empty lines). */
        set_error(p, FAIR_EINVAL, p->record_line, 0,
                  "no column named '%s' (%s column); the header has: %s",
                  name, role_names[role], list.data ? list.data : "");
        fair__buf_release(&list);
        return 0;
    }
    if (dups) {
        set_error(p, FAIR_EINVAL, p->record_line, at + 1,
                  "column '%s' appears %zu times in the header", name,
                  dups + 1);
        return 0;
    }
    if (sc->role[at] != FAIR__ROLE_NONE) {
        /* "--group g --group g" would otherwise read "used as both group and group". */
        if (sc->role[at] == role)
            set_error(p, FAIR_EINVAL, p->record_line, at + 1,
                      "column '%s' is given twice as a %s column", name, role_names[role]);
        else
            set_error(p, FAIR_EINVAL, p->record_line, at + 1,
                      "column '%s' is used as both %s and %s", name, role_names[sc->role[at]],
                      role_names[role]);
        return 0;
    }
    sc->role[at] = role;
    sc->group_of[at] = group;
    *col = at;
    return 1;
}

/* The fast path decodes only the columns that have a role: it lists them once; with a score
 * column it gets its memo of score texts. Returns 0 when out of memory. */
static int plan_columns(parser *p)
{
    const fair__schema *sc = p->sc;
    const fair_audit_options *o = p->o;
    const char d = sc->delim;
    p->nrcol = 0;
    for (size_t c = 0; c < sc->ncols; c++)
        if (sc->role[c] != FAIR__ROLE_NONE) p->rcol[p->nrcol++] = c;
    p->fast_record = !sc->sales && sc->label_col != SIZE_MAX && !o->label_positive &&
                     !o->pred_positive && (!o->use_threshold || sc->score_col != SIZE_MAX);
    p->fast_lines = d != '"' && d != '\r' && d != '\n' && d != '\0';
    if (p->fast_record && p->fast_lines && sc->ncols >= 2 && sc->ncols < LANE_SENTINELS &&
        !p->lane) {
        p->lane = fair__malloc(2 * (LANE_BYTES + LANE_SENTINELS) * sizeof *p->lane);
        if (!p->lane) return 0;
    }
    p->lane_counts = p->lane && sc->n_group == 1 && (sc->pred_col != SIZE_MAX || o->use_threshold);
    if (p->lane_counts && !p->lkeys) {
        p->lkeys = fair__calloc(LANE_KEYS, sizeof *p->lkeys);
        if (!p->lkeys) return 0;
    }
    if (p->fast_record && sc->score_col != SIZE_MAX && !p->lsmemo) {
        p->lsmemo = fair__calloc(LANE_TEXTS, sizeof *p->lsmemo);
        p->lsval = fair__calloc(LANE_SCORES, sizeof *p->lsval);
        p->lspred = fair__calloc(LANE_SCORES, 1);
        if (!p->lsmemo || !p->lsval || !p->lspred) return 0;
    }
    if (p->lane_counts && sc->score_col != SIZE_MAX && !p->lscnt) {
        p->lscnt = fair__calloc(LANE_SGROUPS * LANE_SCORES * 4, sizeof *p->lscnt);
        if (!p->lscnt) return 0;
    }
    return 1;
}

/* Builds the schema from the header names collected in p->hdr. */
static void finish_header(parser *p)
{
    const fair_audit_options *o = p->o;
    fair__schema *sc = p->sc;
    size_t n = p->field, off = 0;

    if (n > o->max_columns) {
        set_error(p, FAIR_ELIMIT, p->record_line, 0, "the header has %zu columns; the limit is %zu",
                  n, o->max_columns);
        return;
    }
    sc->names = fair__calloc(n, sizeof *sc->names);
    sc->role = fair__calloc(n, 1);
    sc->group_of = fair__calloc(n, sizeof *sc->group_of);
    sc->group_col = fair__calloc(o->n_group_cols, sizeof *sc->group_col);
    p->gofs = fair__calloc(o->n_group_cols, sizeof *p->gofs);
    p->glen = fair__calloc(o->n_group_cols, sizeof *p->glen);
    p->dcap = n + 17;
    p->dpos = fair__calloc(p->dcap, sizeof *p->dpos);
    p->rcol = fair__calloc(p->dcap, sizeof *p->rcol);
    if (!sc->names || !sc->role || !sc->group_of || !sc->group_col || !p->gofs || !p->glen ||
        !p->dpos || !p->rcol) {
        set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory reading the header");
        return;
    }
    sc->ncols = n;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(p->hdr.data + off);
        sc->names[i] = fair__strndup(p->hdr.data + off, len);
        if (!sc->names[i]) {
            set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory reading the header");
            return;
        }
        if (!fair__utf8_valid((const unsigned char *)sc->names[i], len)) {
            set_error(p, FAIR_EDATA, p->record_line, i + 1, "the header has invalid UTF-8");
            return;
        }
        off += len + 1;
    }
    sc->n_group = o->n_group_cols;
    sc->label_col = sc->pred_col = sc->score_col = SIZE_MAX;
    for (size_t g = 0; g < o->n_group_cols; g++)
        if (!assign_role(p, o->group_cols[g], FAIR__ROLE_GROUP, g, &sc->group_col[g])) return;
    sc->assessed_col = sc->sale_col = SIZE_MAX;
    if (sc->sales) { /* a ratio study: two value columns, no label */
        if (!assign_role(p, sc->sales->assessed_col, FAIR__ROLE_ASSESSED, 0, &sc->assessed_col) ||
            !assign_role(p, sc->sales->sale_col, FAIR__ROLE_SALE, 0, &sc->sale_col))
            return;
    } else if (!assign_role(p, o->label_col, FAIR__ROLE_LABEL, 0, &sc->label_col)) {
        return;
    }
    if (o->pred_col && !assign_role(p, o->pred_col, FAIR__ROLE_PRED, 0, &sc->pred_col)) return;
    if (o->score_col && !assign_role(p, o->score_col, FAIR__ROLE_SCORE, 0, &sc->score_col)) return;
    if (!plan_columns(p)) {
        set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory reading the header");
        return;
    }
    p->header_mode = 0;
    if (p->stop_after_header) p->stop = 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Rows */

/* Readies the parser for the next record. (Clearing glen[] is for tidiness: a record reads
 * glen[] only after on_field() or fast_record() has set it for each group column.) */
static void reset_record(parser *p)
{
    p->field = 0;
    p->gbuf.len = 0;
    for (size_t k = 0; k < sizeof p->vst / sizeof p->vst[0]; k++) p->vst[k] = V_MISSING;
    for (size_t g = 0; g < p->sc->n_group; g++) p->glen[g] = 0;
}

/* A ratio study's assessed value or sale price: a finite decimal number, which must be > 0
 * (V_RANGE otherwise). */
static void sale_value(parser *p, unsigned char r, const char *s, size_t n)
{
    double *v = &p->val[r - FAIR__ROLE_ASSESSED];
    if (fair__parse_double(s, n, p->sc->comma_decimal, v)) {
        p->vst[r] = *v > 0 ? V_OK : V_RANGE;
    } else {
        const char *t = s;
        size_t tn = n;
        trim(&t, &tn);
        p->vst[r] = tn == 0 ? V_MISSING : V_INVALID;
    }
    if (p->vst[r] != V_OK) excerpt(p->vtext[r], sizeof p->vtext[r], s, n);
}

/* One field of the current record, in column order. Inlined into the fast path, which calls
 * it only for a column with a role, outside the header, with no error pending, on a line no
 * longer than --max-field-bytes (p->gsrc set): the checks before the switch are for libcsv's
 * fields. */
static inline __attribute__((always_inline)) void on_field(parser *p, const char *s, size_t n)
{
    size_t f = p->field++;
    const fair__schema *sc = p->sc;
    const fair_audit_options *o = p->o;
    if (!p->gsrc) {
        if (p->st != FAIR_OK) return;
        /* feed_libcsv() bounds a quoted field that spans lines; this bounds every whole
         * field, so that --max-field-bytes means the same on the fast path and in libcsv. */
        if (n > o->max_field_bytes) {
            set_error(p, FAIR_ELIMIT, p->record_line, f + 1, "field %zu is longer than %zu bytes",
                      f + 1, o->max_field_bytes);
            return;
        }
        if (p->header_mode) {
            if (fair__buf_append(&p->hdr, s, n) != FAIR_OK ||
                fair__buf_append(&p->hdr, "", 1) != FAIR_OK)
                set_error(p, FAIR_ENOMEM, p->record_line, f + 1, "out of memory reading the header");
            return;
        }
        if (f >= sc->ncols) return;
    }
    switch (sc->role[f]) {
    case FAIR__ROLE_GROUP: {
        size_t g = sc->group_of[f];
        if (p->gsrc) { /* the fast path: the line stays put until on_record(); no copy */
            p->gofs[g] = (size_t)(s - p->gsrc);
            p->glen[g] = n;
            break;
        }
        /* libcsv reuses its field buffer: keep a copy */
        if (p->gbuf.data && p->gbuf.cap - p->gbuf.len >= n) { /* room already: no call */
            memcpy(p->gbuf.data + p->gbuf.len, s, n);
            p->gbuf.len += n;
        } else if (fair__buf_append(&p->gbuf, s, n) != FAIR_OK) {
            set_error(p, FAIR_ENOMEM, p->record_line, f + 1, "out of memory");
            return;
        }
        p->gofs[g] = p->gbuf.len - n;
        p->glen[g] = n;
        break;
    }
    case FAIR__ROLE_LABEL:
    case FAIR__ROLE_PRED: {
        unsigned char r = sc->role[f];
        const char *pos = r == FAIR__ROLE_LABEL ? o->label_positive : o->pred_positive;
        const char *t = s;
        size_t tn = n;
        int v;
        if (n == 1 && !pos && (s[0] == '0' || s[0] == '1')) { /* the usual case, first */
            v = s[0] == '1';
            if (r == FAIR__ROLE_LABEL) p->label = v;
            else p->pred = v;
            p->vst[r] = V_OK;
            break;
        }
        v = fair__parse_bool(s, n, pos);
        trim(&t, &tn);
        if (r == FAIR__ROLE_LABEL) p->label = v;
        else p->pred = v;
        p->vst[r] = tn == 0 ? V_MISSING : v < 0 ? V_INVALID : V_OK;
        if (p->vst[r] != V_OK) excerpt(p->vtext[r], sizeof p->vtext[r], s, n);
        break;
    }
    case FAIR__ROLE_SCORE: {
        /* fair__parse_double() trims; only a failure needs the blank-only (missing) check. Its
         * fast path is tried inline first (the usual score, "0.673"). */
        if (parse_plain_decimal(s, n, sc->comma_decimal, &p->score) ||
            fair__parse_double(s, n, sc->comma_decimal, &p->score)) {
            p->vst[FAIR__ROLE_SCORE] = V_OK;
        } else {
            const char *t = s;
            size_t tn = n;
            trim(&t, &tn);
            p->vst[FAIR__ROLE_SCORE] = tn == 0 ? V_MISSING : V_INVALID;
        }
        if (p->vst[FAIR__ROLE_SCORE] == V_OK && (p->score < o->score_min || p->score > o->score_max))
            p->vst[FAIR__ROLE_SCORE] = V_RANGE;
        if (p->vst[FAIR__ROLE_SCORE] != V_OK)
            excerpt(p->vtext[FAIR__ROLE_SCORE], sizeof p->vtext[0], s, n);
        break;
    }
    case FAIR__ROLE_ASSESSED:
    case FAIR__ROLE_SALE:
        sale_value(p, sc->role[f], s, n);
        break;
    default:
        break;
    }
}

/* Counts a skipped row, or under --strict turns it into an error. */
static void skip_row(parser *p, fair_skip_reason r, size_t col, const char *detail)
{
    if (p->o->strict) {
        if (col)
            set_error(p, FAIR_EDATA, p->record_line, col, "%s in column %zu ('%s')%s",
                      fair_skip_text(r), col, p->sc->names[col - 1], detail);
        else
            set_error(p, FAIR_EDATA, p->record_line, 0, "%s%s", fair_skip_text(r), detail);
        return;
    }
    p->acc->skipped[r]++;
}

/* Checks a value's status; returns 1 when the row must be skipped. */
static int check_value(parser *p, unsigned char role, size_t col, fair_skip_reason missing,
                       fair_skip_reason invalid, const char *expected)
{
    char detail[160];
    if (p->vst[role] == V_OK) return 0;
    if (p->vst[role] == V_MISSING) {
        skip_row(p, missing, col + 1, "");
    } else if (p->vst[role] == V_RANGE) {
        fair__snprintf(detail, sizeof detail, ": '%s' is outside [%g, %g]", p->vtext[role],
                       p->o->score_min, p->o->score_max);
        skip_row(p, FAIR_SKIP_SCORE_OUT_OF_RANGE, col + 1, detail);
    } else {
        fair__snprintf(detail, sizeof detail, ": '%s'; expected %s", p->vtext[role], expected);
        skip_row(p, invalid, col + 1, detail);
    }
    return 1;
}

/* The group table's hash of the current record's key (group values from `gb`): each value's
 * fair__table_hash(), combined in --group order. It is computed from the values where they
 * are: hashing a key just written would wait on the stores (store-to-load forwarding fails
 * for loads that span two stores). Every key of an ingest table is hashed this way (merges
 * reuse the hashes). */
static inline uint64_t group_key_hash(const parser *p, const char *gb)
{
    uint64_t h = 0;
    for (size_t g = 0; g < p->sc->n_group; g++) {
        h = (h ^ (h >> 31)) * 0x9e3779b97f4a7c15ULL;
        h ^= fair__table_hash(gb + p->gofs[g], p->glen[g]);
    }
    return h;
}

/* A ratio study's value check: returns 1 when the row must be skipped (counted in vskipped, or
 * an error under --strict). `first` is the value's FAIR_RATIO_SKIP_MISSING_* reason; the
 * invalid and non-positive reasons follow it. */
static int check_sale_value(parser *p, unsigned char role, size_t col, fair_ratio_skip_reason first)
{
    char detail[160] = "";
    fair_ratio_skip_reason r = first;
    if (p->vst[role] == V_OK) return 0;
    if (p->vst[role] == V_INVALID) {
        r = (fair_ratio_skip_reason)(first + 1);
        fair__snprintf(detail, sizeof detail, ": '%s'; expected a decimal number", p->vtext[role]);
    } else if (p->vst[role] == V_RANGE) {
        r = (fair_ratio_skip_reason)(first + 2);
        fair__snprintf(detail, sizeof detail, ": '%s'; expected a number above 0", p->vtext[role]);
    }
    if (p->o->strict)
        set_error(p, FAIR_EDATA, p->record_line, col + 1, "%s in column %zu ('%s')%s",
                  fair_ratio_skip_text(r), col + 1, p->sc->names[col], detail);
    else
        p->acc->vskipped[r]++;
    return 1;
}

/* A ratio study's sink: keeps the valid sale of this record under group entry `idx`. */
static void keep_sale(parser *p, size_t idx)
{
    fair__ingest *acc = p->acc;
    if (acc->n_sales >= p->sc->sales->max_sales) {
        set_error(p, FAIR_ELIMIT, p->record_line, 0, "more than %llu sales; the limit is --max-sales",
                  (unsigned long long)p->sc->sales->max_sales);
        p->err.serial_only = 1; /* where a thread's share overflows depends on scheduling */
        return;
    }
    if (acc->n_sales == acc->sales_cap) {
        size_t cap = acc->sales_cap ? 2 * acc->sales_cap : 4096;
        fair__sale *v = cap < SIZE_MAX / sizeof *v ? fair__realloc(acc->sales, cap * sizeof *v) : NULL;
        if (!v) {
            set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory keeping %zu sales",
                      acc->n_sales);
            return;
        }
        acc->sales = v;
        acc->sales_cap = cap;
    }
    acc->sales[acc->n_sales++] = (fair__sale){p->val[0], p->val[1], idx};
    acc->rows_used++;
}

/* The slot of the parser's cache of recent group keys for the current record's key (group
 * values from `gb`, none empty): from each value's length and first and last bytes, mixed by
 * one multiplication. Only a guess: a cached entry is used after its stored key has been
 * compared with the values, so any slot choice gives the same counts. */
static inline size_t gcache_slot(const parser *p, const char *gb)
{
    uint32_t x = 0;
    for (size_t g = 0; g < p->sc->n_group; g++) {
        const unsigned char *v = (const unsigned char *)gb + p->gofs[g];
        const size_t n = p->glen[g];
        x = (x ^ (uint32_t)n ^ (uint32_t)v[0] << 8 ^ (uint32_t)v[n - 1] << 16) * 0x9e3779b1u;
    }
    return (size_t)(x >> 28) & (GCACHE - 1);
}

/* Counts the current record, valid, under group entry `idx`: its confusion cell and score, or
 * for a ratio study its sale. */
static inline void count_entry(parser *p, size_t idx)
{
    fair__table *t = &p->acc->table;
    const size_t cell = (size_t)((p->label << 1) | p->pred);
    if (p->sc->sales) {
        keep_sale(p, idx);
        return;
    }
    t->cells[idx].n[cell]++;
    if (t->with_scores &&
        fair__shist_add(&t->hists[idx], p->score, cell, &t->shcfg) != FAIR_OK) {
        set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory counting scores");
        return;
    }
    p->acc->rows_used++;
}

/* count_record() for a key not in the parser's cache: the group table's lookup (hash and
 * probe), the key added when it is new (and checked), and the cache slot `slot` set. */
static void count_record_lookup(parser *p, const char *gb, size_t klen, size_t slot)
{
    const fair__schema *sc = p->sc;
    const fair_audit_options *o = p->o;
    size_t idx;
    int is_new = 0;

    {
        fair__table *t = &p->acc->table;
        const uint64_t h = group_key_hash(p, gb);
        idx = fair__table_find_parts(t, h, klen, sc->n_group, gb, p->gofs, p->glen);
        if (idx == SIZE_MAX) {
            p->key.len = 0;
            if (fair__buf_reserve(&p->key, klen) != FAIR_OK) {
                set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory");
                return;
            }
            for (size_t g = 0; g < sc->n_group; g++) { /* reserved above: plain copies */
                uint32_t l = (uint32_t)p->glen[g];
                memcpy(p->key.data + p->key.len, &l, 4);
                memcpy(p->key.data + p->key.len + 4, gb + p->gofs[g], p->glen[g]);
                p->key.len += 4 + p->glen[g];
            }
            if (fair__table_upsert(t, p->key.data, p->key.len, h, &idx, &is_new) != FAIR_OK) {
                set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory (%zu groups so far)",
                          p->acc->table.count);
                return;
            }
        }
        p->gcache[slot] = idx + 1;
    }
    if (is_new) {
        for (size_t g = 0; g < sc->n_group; g++) {
            const unsigned char *v = (const unsigned char *)gb + p->gofs[g];
            if (!fair__utf8_valid(v, p->glen[g])) {
                char ex[48];
                excerpt(ex, sizeof ex, (const char *)v, p->glen[g]);
                set_error(p, FAIR_EDATA, p->record_line, sc->group_col[g] + 1,
                          "invalid UTF-8 in the group value '%s' of column %zu ('%s')", ex,
                          sc->group_col[g] + 1, sc->names[sc->group_col[g]]);
                /* Checked when a key is new to this thread's table, and a thread may have run
                 * a later job first (OpenMP may run jobs out of file order): as with too many
                 * groups below, the serial parse names the row. Found by tests/fuzz. */
                p->err.serial_only = 1;
                return;
            }
        }
        if (p->acc->table.count > o->max_groups) {
            set_error(p, FAIR_ELIMIT, p->record_line, 0,
                      "more than %zu distinct groups; choose a coarser --group column",
                      o->max_groups);
            /* A job's table holds the groups of whichever jobs its thread ran, so the row
             * where a job overflows depends on scheduling: the serial parse decides. */
            p->err.serial_only = 1;
            return;
        }
    }
    count_entry(p, idx);
}

/* Counts a valid record (all values decoded and checked) under its group key: for each group
 * attribute in --group order, a 4-byte length and the bytes (`klen` in all; `gb` holds the
 * values, none empty). The key is looked up from the values where they are, in the cache of
 * recent keys first, and built only when it is new. */
static inline __attribute__((always_inline)) void count_record(parser *p, const char *gb,
                                                               size_t klen)
{
    const fair__schema *sc = p->sc;
    const fair__table *t = &p->acc->table;
    const size_t slot = gcache_slot(p, gb);
    size_t e = p->gcache[slot];
    if (e && --e < t->count &&
        fair__table_entry_is_parts(t, e, klen, sc->n_group, gb, p->gofs, p->glen))
        count_entry(p, e); /* a recent key: no hash, no probe */
    else
        count_record_lookup(p, gb, klen, slot);
}

/* The end of a record: validate, build the group key and count. */
static void on_record(parser *p)
{
    const fair__schema *sc = p->sc;
    const fair_audit_options *o = p->o;
    static const char bool_words[] = "0/1, true/false, yes/no, ja/nee or y/n";
    char expected[160];
    const char *gb = p->gsrc ? p->gsrc : p->gbuf.data; /* where the group values are */
    size_t klen = 0;

    if (p->st != FAIR_OK) return;
    if (p->header_mode) {
        finish_header(p);
        p->records++;
        p->field = 0;
        if (p->st == FAIR_OK) reset_record(p);
        return;
    }
    p->acc->rows_read++;
    if (p->field != sc->ncols) {
        char detail[96];
        fair__snprintf(detail, sizeof detail, ": expected %zu, found %zu", sc->ncols, p->field);
        skip_row(p, FAIR_SKIP_WRONG_FIELD_COUNT, 0, detail);
        goto done;
    }
    for (size_t g = 0; g < sc->n_group; g++) {
        if (p->glen[g] == 0) {
            skip_row(p, FAIR_SKIP_MISSING_GROUP, sc->group_col[g] + 1, "");
            goto done;
        }
        klen += 4 + p->glen[g];
    }
    if (sc->sales) {
        if (check_sale_value(p, FAIR__ROLE_ASSESSED, sc->assessed_col, FAIR_RATIO_SKIP_MISSING_ASSESSED) ||
            check_sale_value(p, FAIR__ROLE_SALE, sc->sale_col, FAIR_RATIO_SKIP_MISSING_SALE_PRICE))
            goto done;
        goto key;
    }
    if (o->label_positive)
        fair__snprintf(expected, sizeof expected, "a value ('%s' is the positive class)", o->label_positive);
    if (p->vst[FAIR__ROLE_LABEL] != V_OK &&
        check_value(p, FAIR__ROLE_LABEL, sc->label_col, FAIR_SKIP_MISSING_LABEL,
                    FAIR_SKIP_INVALID_LABEL, o->label_positive ? expected : bool_words))
        goto done;
    if (sc->pred_col != SIZE_MAX) {
        if (o->pred_positive)
            fair__snprintf(expected, sizeof expected, "a value ('%s' is the positive class)", o->pred_positive);
        if (p->vst[FAIR__ROLE_PRED] != V_OK &&
            check_value(p, FAIR__ROLE_PRED, sc->pred_col, FAIR_SKIP_MISSING_PREDICTION,
                        FAIR_SKIP_INVALID_PREDICTION, o->pred_positive ? expected : bool_words))
            goto done;
    }
    if (sc->score_col != SIZE_MAX && p->vst[FAIR__ROLE_SCORE] != V_OK &&
        check_value(p, FAIR__ROLE_SCORE, sc->score_col, FAIR_SKIP_MISSING_SCORE,
                    FAIR_SKIP_INVALID_SCORE, "a decimal number"))
        goto done;
    if (o->use_threshold) p->pred = p->score >= o->threshold;

key:
    count_record(p, gb, klen);
done:
    p->records++;
    reset_record(p);
}

/* libcsv callbacks. */
static void cb_field(void *s, size_t n, void *data)
{
    parser *p = data;
    if (n && memchr(s, '\0', n)) {
        set_error(p, FAIR_ECSV, p->record_line, p->field + 1, "a NUL byte in field %zu", p->field + 1);
        return;
    }
    on_field(p, s ? s : "", n);
}

static void cb_row(int c, void *data)
{
    parser *p = data;
    (void)c;
    on_record(p);
    p->record_line = p->line; /* a record that starts later on this line (after a lone CR) */
}

/* ---------------------------------------------------------------------------------------- */
/* Lines */

/* Picks the delimiter from the header line: the candidate seen most often outside quotes. */
static char detect_delimiter(const char *s, size_t n)
{
    static const char cand[] = {',', ';', '\t', '|'};
    size_t count[4] = {0, 0, 0, 0}, best = 0;
    int inq = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') inq = !inq;
        else if (!inq)
            for (size_t k = 0; k < 4; k++) count[k] += s[i] == cand[k];
    }
    for (size_t k = 1; k < 4; k++)
        if (count[k] > count[best]) best = k;
    return cand[best];
}

static void feed_libcsv(parser *p, const char *s, size_t n)
{
    size_t done;
    if (!p->csv_live) p->record_line = p->line;
    p->csv_live = 1;
    done = csv_parse(&p->csv, s, n, cb_field, cb_row, p);
    if (p->st != FAIR_OK) return;
    if (done != n) {
        if (csv_error(&p->csv) == CSV_ENOMEM) {
            set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory");
        } else {
            set_error(p, FAIR_ECSV, p->line, p->field + 1,
                      "malformed quoting in field %zu: a quote inside an unquoted field, or text "
                      "after a closing quote (RFC 4180)", p->field + 1);
        }
        return;
    }
    if (p->csv.entry_pos > p->o->max_field_bytes) {
        set_error(p, FAIR_ELIMIT, p->record_line, p->field + 1,
                  "field %zu is longer than %zu bytes", p->field + 1, p->o->max_field_bytes);
        return;
    }
    if (p->csv.pstate == LIBCSV_ROW_NOT_BEGUN) p->csv_live = 0;
}

#ifndef SCAN_SSE2
/* 0x80 in each byte of x that is zero, 0 in every other byte (exact: no carry crosses bytes). */
static inline uint64_t zero_bytes(uint64_t x)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
    return ~(((x & low7) + low7) | x | low7);
}

/* The high bit of byte i of m (the rest zero) as bit i: the multiplier moves bit 8i + 7 ... to
 * bit 56 + i, and no two partial products meet in the top byte. */
static inline unsigned byte_bits(uint64_t m)
{
    return (unsigned)(((m >> 7) * 0x0102040810204080ULL) >> 56);
}
#endif

/* Classifies the 16 bytes at u for the fast paths: bit i of *dm is set when u[i] is the
 * delimiter, of *nm when it is a '\n', of *qm when it is a quote or a NUL, of *cm when it is a
 * CR; the delimiter wins (the other masks never have a delimiter's bit). A quote, a NUL or a CR
 * other than the one before a line's '\n' sends a line to libcsv. */
static inline void scan16(const parser *p, const unsigned char *u, unsigned *dm, unsigned *nm,
                          unsigned *qm, unsigned *cm)
{
#ifdef SCAN_SSE2
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)u);
    const __m128i d = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)p->sc->delim));
    const __m128i q = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                   _mm_cmpeq_epi8(v, _mm_setzero_si128()));
    const unsigned dd = (unsigned)_mm_movemask_epi8(d);
    *dm = dd;
    *nm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))) & ~dd;
    *qm = (unsigned)_mm_movemask_epi8(q) & ~dd;
    *cm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))) & ~dd;
#else
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t rd = ones * (unsigned char)p->sc->delim, rq = ones * '"', rr = ones * '\r',
                   rn = ones * '\n';
    unsigned a = 0, b = 0, c = 0, e = 0;
    for (unsigned w = 0; w < 2; w++) {
        uint64_t x, d;
        memcpy(&x, u + 8 * w, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        x = __builtin_bswap64(x); /* byte i at bits 8i */
#endif
        d = zero_bytes(x ^ rd);
        a |= byte_bits(d) << (8 * w);
        b |= byte_bits(zero_bytes(x ^ rn) & ~d) << (8 * w);
        c |= byte_bits((zero_bytes(x ^ rq) | zero_bytes(x)) & ~d) << (8 * w);
        e |= byte_bits(zero_bytes(x ^ rr) & ~d) << (8 * w);
    }
    *dm = a;
    *nm = b;
    *qm = c;
    *cm = e;
#endif
}

/* A record of one line `s` without quotes, stray CRs or NULs, split by the fast path: p->dpos
 * holds its `nd` delimiter positions and then its end, and nd < ncols. The columns with a role
 * are decoded in column order (a line with too few fields has nothing decoded: on_record()
 * skips it), then the record ends. */
static void split_record(parser *p, const char *s, size_t nd)
{
    const size_t *const dpos = p->dpos;
    p->gsrc = s; /* group values stay in the line */
    if (nd + 1 == p->sc->ncols) {
        for (size_t k = 0; k < p->nrcol; k++) {
            const size_t c = p->rcol[k], start = c ? dpos[c - 1] + 1 : 0;
            p->field = c;
            on_field(p, s + start, dpos[c] - start);
        }
    }
    p->field = nd + 1;
    on_record(p);
}

/* A field of the fast path: column c of the line s split at p->dpos; *n receives its length. */
static inline const char *fast_field(const parser *p, const char *s, size_t c, size_t *n)
{
    const size_t start = c ? p->dpos[c - 1] + 1 : 0;
    *n = p->dpos[c] - start;
    return s + start;
}

/* 0 or 1 from a label or prediction field that is exactly "0" or "1"; -1 otherwise. */
static inline int fast_bit(const char *v, size_t n)
{
    const unsigned d = n == 1 ? (unsigned)((unsigned char)v[0] - '0') : 2u;
    return d <= 1u ? (int)d : -1;
}

/* A record as split_record() takes it, decoded here when every value is in its most common
 * form: non-empty group values, labels and predictions "0" or "1" (no --positive), a score
 * that parse_usual_decimal() reads and that lies in the score range. Those are values that
 * on_field() accepts with the same result, so the record is counted as on_record() would count
 * it; any other record goes to split_record(). The line is followed by at least SCAN_PAD
 * readable bytes (drive()'s buffer). */
static void fast_record(parser *p, const char *s, size_t nd)
{
    const fair__schema *sc = p->sc;
    const fair_audit_options *o = p->o;
    size_t klen = 0, n;
    const char *v;
    int label, pred = 0;
    double score = 0.0;

    if (!p->fast_record || nd + 1 != sc->ncols) goto general;
    for (size_t g = 0; g < sc->n_group; g++) {
        const size_t c = sc->group_col[g], start = c ? p->dpos[c - 1] + 1 : 0;
        if (p->dpos[c] == start) goto general; /* missing */
        p->gofs[g] = start;
        p->glen[g] = p->dpos[c] - start;
        klen += 4 + p->glen[g];
    }
    v = fast_field(p, s, sc->label_col, &n);
    if ((label = fast_bit(v, n)) < 0) goto general;
    if (sc->pred_col != SIZE_MAX) {
        v = fast_field(p, s, sc->pred_col, &n);
        if ((pred = fast_bit(v, n)) < 0) goto general;
    }
    if (sc->score_col != SIZE_MAX) {
        v = fast_field(p, s, sc->score_col, &n);
        /* A text met before is not parsed again: the memo keeps the value of each text of up
         * to 8 bytes that parsed and lay in the range (the same bytes give the same value). */
        const uint64_t key = n - 1 < 8 && p->lsmemo ? score_text_key(v, n) : 0;
        const struct lane_text *t = key ? text_find(p->lsmemo, key) : NULL;
        if (t) {
            score = p->lsval[t->id];
        } else {
            if (!parse_usual_decimal(v, n, sc->comma_decimal, &score) || score < o->score_min ||
                score > o->score_max)
                goto general;
            if (key) text_add(p, key, score);
        }
        if (o->use_threshold) pred = score >= o->threshold;
    }
    p->gsrc = s;
    p->label = label;
    p->pred = pred;
    p->score = score;
    p->acc->rows_read++;
    count_record(p, s, klen);
    p->records++;
    /* p->gofs and p->glen keep this record's values: every record sets them before use. */
    return;
general:
    split_record(p, s, nd);
}

/* One physical line, `n` bytes including its '\n' (absent only at the end of input). At least
 * SCAN_PAD readable bytes follow the line (drive() keeps them). */
static void process_line(parser *p, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t m = n;
    int has_nl = n && s[n - 1] == '\n';

    if (p->header_mode && p->records == 0 && !p->csv_live) {
        size_t k = 0;
        if (p->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
            s += 3, n -= 3, m -= 3, u += 3;
        /* Detect on the header's line, not on an empty line before it (skipped below). */
        while (k < n && (s[k] == '\r' || s[k] == '\n')) k++;
        if (!p->sc->delim && k < n) {
            p->sc->delim = detect_delimiter(s, n);
            csv_set_delim(&p->csv, (unsigned char)p->sc->delim);
        }
        if (!p->o->decimal) p->sc->comma_decimal = p->sc->delim != ',';
    }
    if (p->csv_live) goto slow;
    if (m && s[m - 1] == '\n') m--;
    if (m && s[m - 1] == '\r') m--;
    if (m == 0) goto next; /* an empty line: skipped, as libcsv does */
    p->record_line = p->line;
    if (p->header_mode || m > p->o->max_field_bytes) {
        /* The header, and lines long enough that one field might break --max-field-bytes:
         * libcsv, which checks every field. */
        goto slow;
    }
    {
        /* The line is classified 16 bytes at a time (scan16) into delimiter positions; a
         * quote, a stray CR or a NUL, or more fields than the header has, sends it to libcsv
         * instead (which counts every field for the message). Bits for the bytes past the
         * line's end are dropped. Then the columns with a role are decoded, in column order;
         * a line with too few fields has nothing decoded: on_record() skips it. */
        const size_t ncols = p->sc->ncols;
        size_t *const dpos = p->dpos, nd = 0;
        for (size_t base = 0; base < m; base += 16) {
            unsigned dm, nm, qm, cm, sm;
            scan16(p, u + base, &dm, &nm, &qm, &cm);
            sm = qm | cm;
            if (m - base < 16) {
                const unsigned keep = (1u << (m - base)) - 1u;
                dm &= keep;
                sm &= keep;
            }
            if (sm) goto slow;
            for (; dm; dm &= dm - 1) dpos[nd++] = base + (size_t)__builtin_ctz(dm);
            if (nd >= ncols) goto slow; /* nd + 1 fields; dpos has room for 16 more */
        }
        dpos[nd] = m; /* the end of the line ends the last field */
        split_record(p, s, nd);
    }
    goto next;
slow:
    p->gsrc = NULL; /* libcsv's fields are copied */
    feed_libcsv(p, s, n);
next:
    if (has_nl) p->line++;
}

/* Lines that fast_lines() leaves to process_line() after it stops at one (a quote, say), so
 * that a file of quoted lines is not scanned twice over. */
#define FAST_PAUSE_LINES 32u

/* fast_lines(): the '\n' at s[x] ends the line [ls, x), whose nd delimiters (nd < ncols) are
 * in p->dpos. A CR right before the '\n' (checked by the caller to be there only before a
 * '\n') is not part of the record. Returns 0, leaving the line to process_line(), when it is
 * longer than --max-line-bytes or --max-field-bytes; else counts its record (an empty line has
 * none) and returns 1. */
static inline __attribute__((always_inline)) int fast_line_end(parser *p, const char *s, size_t ls,
                                                               size_t x, size_t nd)
{
    size_t m = x - ls;
    if (m > p->o->max_line_bytes) return 0;
    if (m && s[x - 1] == '\r') m--;
    if (m > p->o->max_field_bytes) return 0;
    if (m) {
        p->record_line = p->line;
        p->dpos[nd] = m;
        fast_record(p, s + ls, nd);
    }
    p->line++;
    return 1;
}

/* The fast path over many lines: cuts the whole lines at the start of `s` (`n` bytes, the
 * first at input offset `offset`, followed by SCAN_PAD readable bytes) in one pass, 16 bytes
 * at a time, recording delimiters as it goes, and counts each line's record (fast_record())
 * or skips it when empty, as process_line() does. Stops before a line that process_line()
 * must see (a quote, a NUL, a CR not before the '\n', more fields than the header, a line
 * longer than --max-field-bytes or --max-line-bytes), before the first line that starts at
 * or after `stop_at`, before a line with no '\n' yet, and after a row error. Called outside
 * the header and outside libcsv records. Returns the bytes consumed. */
static size_t fast_lines(parser *p, const char *s, size_t n, uint64_t offset, uint64_t stop_at)
{
    const unsigned char *u = (const unsigned char *)s;
    const size_t ncols = p->sc->ncols;
    size_t *const dpos = p->dpos;
    size_t ls = 0, nd = 0; /* the current line's start and delimiters */

    if (offset >= stop_at) return 0;
    for (size_t base = 0; base < n; base += 16) {
        unsigned dm, nm, qm, cm, ev;
        scan16(p, u + base, &dm, &nm, &qm, &cm);
        if (n - base < 16) { /* bytes past the data: dropped */
            const unsigned keep = (1u << (n - base)) - 1u;
            dm &= keep, nm &= keep, qm &= keep, cm &= keep;
        }
        if (!(qm | cm)) {
            /* The usual block: delimiters and '\n's only. The delimiters before each '\n'
             * are recorded in a tight loop, and the field count checked once per line or
             * block (dpos has room for 16 more than ncols). */
            for (; nm; nm &= nm - 1) {
                const size_t x = base + (size_t)__builtin_ctz(nm);
                const unsigned below = (nm & -nm) - 1u;
                for (unsigned d = dm & below; d; d &= d - 1)
                    dpos[nd++] = base + (size_t)__builtin_ctz(d) - ls;
                dm &= ~below;
                if (nd >= ncols || !fast_line_end(p, s, ls, x, nd)) return ls;
                ls = x + 1;
                nd = 0;
                if (p->st != FAIR_OK || offset + ls >= stop_at) return ls;
            }
            for (; dm; dm &= dm - 1) dpos[nd++] = base + (size_t)__builtin_ctz(dm) - ls;
            if (nd >= ncols) return ls;
            continue;
        }
        for (ev = dm | nm | qm | cm; ev; ev &= ev - 1) {
            const unsigned b = (unsigned)__builtin_ctz(ev), bit = 1u << b;
            const size_t x = base + b;
            if (dm & bit) {
                dpos[nd++] = x - ls;
                if (nd >= ncols) return ls; /* more fields than the header */
                continue;
            }
            if (qm & bit) return ls;
            if (cm & bit) {
                if (u[x + 1] != '\n') return ls; /* a stray CR (u[n] is padding: not '\n') */
                continue;
            }
            if (!fast_line_end(p, s, ls, x, nd)) return ls;
            ls = x + 1;
            nd = 0;
            if (p->st != FAIR_OK || offset + ls >= stop_at) return ls;
        }
    }
    return ls;
}

/* Classifies the 64 bytes at u into bit masks as scan16() does, 16 at a time; *bad gets the
 * quotes and NULs and the CRs that do not come right before a '\n' (u[64] is read for the
 * last byte's). */
static inline void scan64(const parser *p, const unsigned char *u, uint64_t *dm, uint64_t *nm,
                          uint64_t *bad)
{
    uint64_t d = 0, n = 0, q = 0, c = 0;
    for (unsigned w = 0; w < 4; w++) {
        unsigned a, b, e, f;
        scan16(p, u + 16 * w, &a, &b, &e, &f);
        d |= (uint64_t)a << (16 * w);
        n |= (uint64_t)b << (16 * w);
        q |= (uint64_t)e << (16 * w);
        c |= (uint64_t)f << (16 * w);
    }
    *dm = d;
    *nm = n;
    *bad = q | (c & ~((n >> 1) | (uint64_t)(u[64] == '\n') << 63));
}

#ifdef LANE_AVX2
/* The byte mask of 64 bytes from the compares of their two halves. */
__attribute__((target("avx2"))) static inline uint64_t mask64(__m256i lo, __m256i hi)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

/* scan64() 32 bytes at a time, for CPUs with AVX2 (block_lines() checks): the same masks. */
__attribute__((target("avx2"))) static inline void scan64_avx2(const parser *p, const unsigned char *u,
                                                               uint64_t *dm, uint64_t *nm, uint64_t *bad)
{
    const __m256i dl = _mm256_set1_epi8((char)p->sc->delim), nl = _mm256_set1_epi8('\n'),
                  qu = _mm256_set1_epi8('"'), cr = _mm256_set1_epi8('\r'), z = _mm256_setzero_si256();
    const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)u),
                  hi = _mm256_loadu_si256((const __m256i *)(const void *)(u + 32));
    const uint64_t d = mask64(_mm256_cmpeq_epi8(lo, dl), _mm256_cmpeq_epi8(hi, dl));
    const uint64_t n = mask64(_mm256_cmpeq_epi8(lo, nl), _mm256_cmpeq_epi8(hi, nl)) & ~d;
    const uint64_t q = mask64(_mm256_or_si256(_mm256_cmpeq_epi8(lo, qu), _mm256_cmpeq_epi8(lo, z)),
                              _mm256_or_si256(_mm256_cmpeq_epi8(hi, qu), _mm256_cmpeq_epi8(hi, z)));
    const uint64_t c = mask64(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(hi, cr));
    *dm = d;
    *nm = n;
    *bad = (q & ~d) | (c & ~d & ~((n >> 1) | (uint64_t)(u[64] == '\n') << 63));
}
#endif

/* The 16 bytes at v (readable) with those from n on (n <= 16) zeroed, as two words. */
static inline void lane_words(const unsigned char *v, size_t n, uint64_t w[2])
{
    static const unsigned char ones[32] = {255, 255, 255, 255, 255, 255, 255, 255,
                                           255, 255, 255, 255, 255, 255, 255, 255};
    uint64_t m[2];
    memcpy(w, v, 16);
    memcpy(m, ones + 16 - n, 16); /* n bytes of ones, then zeros, in memory order */
    w[0] &= m[0];
    w[1] &= m[1];
}

/* The cache slot of a group value from its words and length (a guess, checked on use). */
static inline size_t lane_slot(const uint64_t w[2], size_t n)
{
    const uint64_t h = (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL) ^ n) * 0xd6e8feb86659fd93ULL;
    return (size_t)(h >> 55) & (LANE_KEYS - 1);
}

/* The cached entry of a group value (its words and length), in its slot or the next, or NULL. */
static inline struct lane_key *key_find(struct lane_key *keys, const uint64_t w[2], size_t n)
{
    const size_t s = lane_slot(w, n), s2 = (s + 1) & (LANE_KEYS - 1);
    if (keys[s].len == n && keys[s].w[0] == w[0] && keys[s].w[1] == w[1]) return &keys[s];
    if (keys[s2].len == n && keys[s2].w[0] == w[0] && keys[s2].w[1] == w[1]) return &keys[s2];
    return NULL;
}

/* What lane_count() reads, loaded once per stretch of lines into locals: the parser's fields
 * would otherwise be loaded again for every row, since the counts it stores might alias them. */
typedef struct {
    size_t gc, lc, pc, sco, last; /* the columns with a role; the last column */
    struct lane_key *keys;
    const struct lane_text *texts;
    const unsigned char *spred;   /* NULL without --threshold */
    uint32_t *scnt;               /* NULL without a score column */
    fair__cell *cells;            /* the group table's cells: loaded again after any row that
                                   * fast_record() counted (it may add a group) */
} lane_view;

static inline void lane_view_load(const parser *p, lane_view *v)
{
    const fair__schema *sc = p->sc;
    v->gc = sc->group_col[0];
    v->lc = sc->label_col;
    v->pc = sc->pred_col;
    v->sco = sc->score_col;
    v->last = sc->ncols - 1;
    v->keys = p->lkeys;
    v->texts = p->lsmemo;
    v->spred = p->o->use_threshold ? p->lspred : NULL;
    v->scnt = p->lscnt; /* allocated only with a score column */
    v->cells = p->acc->table.cells;
}

/* block_lines() with lane_counts: counts the record of the line at u (fields ending at the
 * delimiters at d[0 ..], the last at `end`), as fast_record() would, when its group value has
 * 1 to 16 bytes and is in the cache of group values, its label and prediction are "0" or "1",
 * and its score text (with a score column) has an id. Returns 0, counting nothing, otherwise. */
static inline __attribute__((always_inline)) int lane_count(const lane_view *lv,
                                                            const unsigned char *u,
                                                            const uint32_t *d, size_t ls,
                                                            size_t end)
{
    const size_t gc = lv->gc, lc = lv->lc, pc = lv->pc, sco = lv->sco, last = lv->last;
    const size_t gs = gc ? d[gc - 1] + 1 : ls, ge = gc < last ? d[gc] : end;
    const size_t la = lc ? d[lc - 1] + 1 : ls, le = lc < last ? d[lc] : end;
    const unsigned label = (unsigned)u[la] - '0';
    const size_t n = ge - gs;
    unsigned pred = 0;
    uint64_t w[2];
    const struct lane_key *k;
    if (le - la != 1 || label > 1u || n - 1 >= 16) return 0;
    if (pc != SIZE_MAX) {
        const size_t pa = pc ? d[pc - 1] + 1 : ls, pe = pc < last ? d[pc] : end;
        pred = (unsigned)u[pa] - '0';
        if (pe - pa != 1 || pred > 1u) return 0;
    }
    lane_words(u + gs, n, w);
    if (!(k = key_find(lv->keys, w, n))) return 0;
    if (lv->scnt) {
        const size_t sa = sco ? d[sco - 1] + 1 : ls, se = sco < last ? d[sco] : end;
        const size_t m = se - sa;
        const struct lane_text *t;
        if (m - 1 >= 8 || k->lg == LANE_NONE) return 0;
        t = text_find(lv->texts, score_text_key((const char *)u + sa, m));
        if (!t) return 0;
        if (lv->spred) pred = lv->spred[t->id];
        lv->scnt[((size_t)k->lg * LANE_SCORES + t->id) * 4 + ((label << 1) | pred)]++;
    }
    lv->cells[k->idx].n[(label << 1) | pred]++;
    return 1;
}

/* Adds the score counts of lane_count() to the groups' histograms. */
static void lane_scores_flush(parser *p)
{
    fair__table *t = &p->acc->table;
    if (!p->lscnt || p->lsrows == 0) return;
    for (size_t g = 0; g < p->lgn; g++) {
        fair__shist *h = &t->hists[p->lgidx[g]];
        uint32_t *c = p->lscnt + g * LANE_SCORES * 4;
        for (size_t i = 0; i < p->lsn; i++, c += 4)
            for (size_t cell = 0; cell < 4; cell++) {
                if (!c[cell]) continue;
                if (fair__shist_add_new(h, p->lsval[i], cell, c[cell], &t->shcfg) != FAIR_OK &&
                    p->st == FAIR_OK)
                    set_error(p, FAIR_ENOMEM, p->record_line, 0, "out of memory counting scores");
                c[cell] = 0;
            }
    }
    p->lsrows = 0;
}

/* Adds the records that lane_count() counted to the parser's tallies. */
static inline void lane_flush(parser *p, size_t *counted)
{
    p->acc->rows_read += *counted;
    p->acc->rows_used += *counted;
    p->records += *counted;
    if (p->lscnt) p->lsrows += *counted;
    *counted = 0;
}

/* After fast_record() took a line that lane_count() did not: puts its group value (at u + gs,
 * n bytes) into the cache when the group table has it. (fast_record() has put its score text
 * into the memo already.) */
static void lane_learn(parser *p, const unsigned char *u, size_t gs, size_t n)
{
    const size_t off = 0;
    uint64_t w[2];
    size_t slot, idx;
    struct lane_key *k;
    uint32_t lg = LANE_NONE;
    if (p->st != FAIR_OK || n - 1 >= 16) return;
    lane_words(u + gs, n, w);
    if (key_find(p->lkeys, w, n)) return; /* cached already (not taken for another reason) */
    idx = fair__table_find_parts(&p->acc->table, fair__table_hash(u + gs, n), 4 + n, 1,
                                 (const char *)u + gs, &off, &n);
    if (idx == SIZE_MAX || idx > UINT32_MAX) return;
    slot = lane_slot(w, n);
    k = &p->lkeys[slot];
    if (k->len) k = &p->lkeys[(slot + 1) & (LANE_KEYS - 1)];
    if (p->lscnt) {
        /* The entry's lane group, if it has one (an overwritten cache slot), else a new. */
        for (size_t g = 0; g < p->lgn && lg == LANE_NONE; g++)
            if (p->lgidx[g] == idx) lg = (uint32_t)g;
        if (lg == LANE_NONE && p->lgn < LANE_SGROUPS) {
            p->lgidx[p->lgn] = idx;
            lg = (uint32_t)p->lgn++;
        }
    }
    *k = (struct lane_key){{w[0], w[1]}, (uint32_t)n, (uint32_t)idx, lg};
}

/* The fast path's usual case, for long runs of plain lines: scans up to LANE_BYTES of `s` 64
 * bytes at a time into the positions of its delimiters and of its '\n's (p->lane), without a
 * branch per byte or per field, then takes the lines from those lists: a line with exactly
 * ncols - 1 delimiters is known from two comparisons, and its record goes to fast_record()
 * as fast_lines() would send it; a line with fewer goes there too (split_record() skips it);
 * an empty line is skipped. Stops where fast_lines() would (see there), and before a line
 * longer than --max-line-bytes or --max-field-bytes; fast_lines() and process_line() take the
 * line it stops at. Same contract as fast_lines(): returns the bytes consumed. */
LANE_CLONES
static size_t block_lines(parser *p, const char *s, size_t n, uint64_t offset, uint64_t stop_at)
{
    const size_t ncols = p->sc->ncols;
    const size_t lim = p->o->max_line_bytes < p->o->max_field_bytes ? p->o->max_line_bytes
                                                                    : p->o->max_field_bytes;
    uint32_t *const bd = p->lane, *const bn = p->lane + LANE_BYTES + LANE_SENTINELS;
    size_t done = 0;    /* bytes consumed: whole lines */
    size_t counted = 0; /* records lane_count() counted and lane_flush() has not added */
    lane_view lv = {0};

#ifdef LANE_AVX2
    const int avx2 = __builtin_cpu_supports("avx2");
#endif
    if (p->lane_counts) lane_view_load(p, &lv);

    while (done < n && offset + done < stop_at) {
        const unsigned char *u = (const unsigned char *)s + done;
        const size_t len = n - done < LANE_BYTES ? n - done : LANE_BYTES;
        size_t nd = 0, nn = 0, end = len, k = 0, ls = 0;
        /* Pass 1: positions (from u) of delimiters and '\n's before `end`, the first byte
         * that only the other paths take, if any. */
        for (size_t b = 0; b < len; b += 64) {
            uint64_t dm, nm, bad;
#ifdef LANE_AVX2
            if (avx2) scan64_avx2(p, u + b, &dm, &nm, &bad);
            else
#endif
                scan64(p, u + b, &dm, &nm, &bad);
            if (len - b < 64) {
                const uint64_t keep = ((uint64_t)1 << (len - b)) - 1u;
                dm &= keep, nm &= keep, bad &= keep;
            }
            if (bad) {
                const uint64_t below = (bad & (0 - bad)) - 1u;
                dm &= below, nm &= below;
                end = b + (size_t)__builtin_ctzll(bad);
            }
            for (; dm; dm &= dm - 1) bd[nd++] = (uint32_t)(b + (size_t)__builtin_ctzll(dm));
            for (; nm; nm &= nm - 1) bn[nn++] = (uint32_t)(b + (size_t)__builtin_ctzll(nm));
            if (bad) break;
        }
        for (size_t i = 0; i < ncols; i++) bd[nd + i] = UINT32_MAX;
        /* Pass 2: the lines. */
        size_t r;
        for (r = 0; r < nn; r++) {
            const size_t x = bn[r];
            size_t m = x - ls, j = k + ncols - 1;
            if (m > lim) break;
            if (!(bd[j - 1] < x && bd[j] > x)) { /* not ncols - 1 delimiters */
                for (j = k; bd[j] < x; j++) {
                }
                if (j - k >= ncols) break; /* more fields than the header */
            }
            if (m && u[x - 1] == '\r') m--;
            if (m && p->lane_counts && j - k == ncols - 1 && lane_count(&lv, u, bd + k, ls, ls + m)) {
                counted++;
            } else if (m) {
                const size_t nf = j - k;
                for (size_t c = 0; c < nf; c++) p->dpos[c] = bd[k + c] - ls;
                p->dpos[nf] = m;
                lane_flush(p, &counted);
                p->record_line = p->line;
                fast_record(p, (const char *)u + ls, nf);
                if (p->lane_counts && nf == ncols - 1) {
                    const size_t gc = p->sc->group_col[0];
                    const size_t gs = gc ? bd[k + gc - 1] + 1 : ls;
                    lane_learn(p, u, gs, (gc < ncols - 1 ? bd[k + gc] : ls + m) - gs);
                }
                if (p->lane_counts) lane_view_load(p, &lv);
            }
            p->line++;
            k = j;
            ls = x + 1;
            if (p->st != FAIR_OK || offset + done + ls >= stop_at) break;
        }
        lane_flush(p, &counted);
        if (p->lsrows > UINT32_MAX - LANE_BYTES) lane_scores_flush(p); /* before a count wraps */
        /* Stopped at a line (see above), at a byte for the other paths, or at a line longer
         * than LANE_BYTES. */
        if (r < nn || end < len || ls == 0) return done + ls;
        done += ls;
    }
    return done;
}

/* The end of input: a record still open in libcsv is finished (or is an unterminated quote). */
static void finish_input(parser *p)
{
    if (p->st != FAIR_OK || !p->csv_live) return;
    p->gsrc = NULL;
    if (csv_fini(&p->csv, cb_field, cb_row, p) != 0 && p->st == FAIR_OK)
        set_error(p, FAIR_ECSV, p->record_line, p->field + 1,
                  "unterminated quoted field %zu at the end of the input", p->field + 1);
    p->csv_live = 0;
}

/* Something that yields bytes: the sequential source, or positional reads of a range. */
typedef struct {
    fair__source *src;
    int positional;
    uint64_t pos;   /* positional: next offset to read */
    size_t block;   /* bytes to ask for per read; 0: READ_BLOCK */
} reader;

/* The most bytes of ranges that parallel jobs hold at once when they hash (1 MiB ranges up
 * to 64 threads), and the least a range is cut to for that. */
#define WINDOW_BUDGET ((uint64_t)64 << 20)
#define WINDOW_MIN ((uint64_t)256 << 10)

/* What a parallel job that has read its whole range reads on past it, to finish its last
 * record: usually one line, so not a READ_BLOCK (which would double the bytes copied from the
 * page cache with 1 MiB ranges). */
#define TAIL_BLOCK ((size_t)16 << 10)
/* The reads of a header that the parallel jobs follow (a longer header takes more of them). */
#define HEAD_BLOCK ((size_t)64 << 10)

static fair_status reader_read(reader *r, char *buf, size_t cap, size_t *got, fair_error *err)
{
    if (!r->positional) return fair__source_read(r->src, buf, cap, got, err);
    FAIR__FORWARD(fair__source_pread(r->src, buf, cap, r->pos, got, err));
    r->pos += *got;
    return FAIR_OK;
}

/* The line being read is longer than --max-line-bytes. */
static void line_too_long(parser *p)
{
    /* No line number in the words: p->line is relative to where a parallel job started; the
     * "file:line:" prefix gives the absolute one. */
    set_error(p, FAIR_ELIMIT, p->line, 0, "the line is longer than %zu bytes",
              p->o->max_line_bytes);
}

/* Parses lines from `r`, starting at byte `offset`, until the end of input or the first record
 * boundary at or after `stop_at`. *end receives the offset where parsing stopped. I/O errors
 * go to `ioerr` and return their status; row errors are left in p->st / p->err. The first
 * buf->len bytes of `buf` are already read (r reads on after them), followed by SCAN_PAD
 * readable bytes; parsing starts `pos` bytes into them, at `offset`. */
static fair_status drive(parser *p, reader *r, uint64_t offset, uint64_t stop_at, uint64_t *end,
                         fair__buf *buf, size_t pos, fair_error *ioerr)
{
    const size_t block = r->block ? r->block : READ_BLOCK;
    size_t len = buf->len;
    int eof = 0;
    while (p->st == FAIR_OK && !p->stop) {
        char *nl;
        int refused = 0; /* fast_lines() took no line */
        if (!p->csv_live && !p->header_mode && offset >= stop_at) break;
        if (p->fast_lines && !p->csv_live && !p->header_mode && len > pos) {
            if (p->fast_pause == 0) {
                size_t c = p->lane ? block_lines(p, buf->data + pos, len - pos, offset, stop_at) : 0;
                if (c == 0) c = fast_lines(p, buf->data + pos, len - pos, offset, stop_at);
                pos += c;
                offset += c;
                if (c) continue; /* the checks above again */
                refused = 1;
            } else {
                p->fast_pause--;
            }
        }
        nl = len > pos ? memchr(buf->data + pos, '\n', len - pos) : NULL;
        /* A whole line that fast_lines() left: process_line() takes the next few. */
        if (refused && nl) p->fast_pause = FAST_PAUSE_LINES;
        if (!nl) {
            size_t got;
            if (eof) {
                if (pos < len) {
                    if (len - pos > p->o->max_line_bytes) {
                        line_too_long(p);
                        break;
                    }
                    process_line(p, buf->data + pos, len - pos);
                    offset += len - pos;
                    pos = len;
                }
                finish_input(p);
                break;
            }
            if (pos) memmove(buf->data, buf->data + pos, len - pos);
            len -= pos;
            pos = 0;
            if (len > p->o->max_line_bytes) {
                line_too_long(p);
                break;
            }
            buf->len = len;
            if (fair__buf_reserve(buf, block + SCAN_PAD) != FAIR_OK)
                return fair__fail(ioerr, FAIR_ENOMEM, "out of memory reading '%s'", p->name);
            FAIR__FORWARD(reader_read(r, buf->data + len, block, &got, ioerr));
            memset(buf->data + len + got, 0, SCAN_PAD); /* read by process_line(), never used */
            if (got == 0) eof = 1;
            len += got;
            continue;
        }
        {
            size_t n = (size_t)(nl - (buf->data + pos)) + 1;
            /* The check above sees only a line that outgrows the buffered bytes; a long line
             * that arrived whole within one read is caught here (length without the '\n'). */
            if (n - 1 > p->o->max_line_bytes) {
                line_too_long(p);
                break;
            }
            process_line(p, buf->data + pos, n);
            pos += n;
            offset += n;
        }
    }
    *end = offset;
    return FAIR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Parsers, jobs and the public entry */

/* libcsv trims spaces and tabs around unquoted fields unless told that nothing is a space. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static fair_status parser_init(parser *p, const fair_audit_options *o, fair__schema *sc,
                               const char *name, fair__ingest *acc)
{
    memset(p, 0, sizeof *p);
    p->o = o;
    p->sc = sc;
    p->name = name;
    p->acc = acc;
    p->line = 1;
    p->record_line = 1;
    fair__buf_init(&p->gbuf);
    fair__buf_init(&p->key);
    fair__buf_init(&p->hdr);
    if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) return FAIR_ENOMEM;
    csv_set_space_func(&p->csv, no_space); /* RFC 4180: spaces are part of a field */
    csv_set_realloc_func(&p->csv, fair__realloc);
    csv_set_free_func(&p->csv, fair__free);
    if (sc->delim) csv_set_delim(&p->csv, (unsigned char)sc->delim);
    for (size_t k = 0; k < sizeof p->vst / sizeof p->vst[0]; k++) p->vst[k] = V_MISSING;
    return FAIR_OK;
}

/* A worker parser takes the schema's per-record scratch sizes from the header parser. */
static fair_status parser_scratch(parser *p)
{
    size_t n = p->sc->n_group ? p->sc->n_group : 1;
    p->gofs = fair__calloc(n, sizeof *p->gofs);
    p->glen = fair__calloc(n, sizeof *p->glen);
    p->dcap = p->sc->ncols + 17;
    p->dpos = fair__calloc(p->dcap, sizeof *p->dpos);
    p->rcol = fair__calloc(p->dcap, sizeof *p->rcol);
    if (!p->gofs || !p->glen || !p->dpos || !p->rcol || !plan_columns(p)) return FAIR_ENOMEM;
    return FAIR_OK;
}

/* Puts libcsv back at a record boundary, in whatever state a failed record left it. A parallel
 * worker runs several jobs, not necessarily in file order (OpenMP may hand a thread job 7 and
 * then job 0), so this is done before each job. csv_fini() resets the parser, but under
 * CSV_STRICT_FINI it refuses, and resets nothing, while a quoted field is open (a job that met
 * the end of the input inside quotes): that option is lifted for the call. Without this, a later
 * job on the thread began inside a quoted field and failed on a valid record, and that error
 * was reported when the job came first in file order. Found by tests/fuzz/fuzz_ingest. */
static void csv_reset(parser *p)
{
    csv_set_opts(&p->csv, CSV_STRICT);
    csv_fini(&p->csv, NULL, NULL, NULL);
    csv_set_opts(&p->csv, CSV_STRICT | CSV_STRICT_FINI);
    p->csv_live = 0;
}

static void parser_release(parser *p)
{
    csv_free(&p->csv);
    fair__buf_release(&p->gbuf);
    fair__buf_release(&p->key);
    fair__buf_release(&p->hdr);
    fair__free(p->gofs);
    fair__free(p->glen);
    fair__free(p->dpos);
    fair__free(p->rcol);
    fair__free(p->lane);
    fair__free(p->lkeys);
    fair__free(p->lsmemo);
    fair__free(p->lsval);
    fair__free(p->lspred);
    fair__free(p->lscnt);
}

static void schema_release(fair__schema *sc)
{
    for (size_t i = 0; sc->names && i < sc->ncols; i++) fair__free(sc->names[i]);
    fair__free(sc->names);
    fair__free(sc->role);
    fair__free(sc->group_of);
    fair__free(sc->group_col);
    memset(sc, 0, sizeof *sc);
}

void fair__ingest_release(fair__ingest *res)
{
    schema_release(&res->schema);
    fair__table_release(&res->table);
    fair__free(res->sales);
    res->sales = NULL;
    res->n_sales = res->sales_cap = 0;
}

size_t fair__thread_num(void)
{
#ifdef _OPENMP
    return (size_t)omp_get_thread_num();
#else
    return 0;
#endif
}

size_t fair__threads(size_t n)
{
#ifdef _OPENMP
    if (n == 0) n = (size_t)omp_get_max_threads();
    return n ? n : 1;
#else
    (void)n;
    return 1;
#endif
}

/* A group table, with score histograms when there is a score column. */
static void table_init_for(fair__table *t, const fair_audit_options *o)
{
    fair__shist_cfg c = {o->score_min, o->score_max, o->max_distinct_scores};
    if (o->score_col) fair__table_init_scores(t, &c);
    else fair__table_init(t);
}

/* Formats a row error into `err` with the file and absolute line. */
static fair_status report_row_error(const row_error *e, const char *name, uint64_t line_base,
                                    uint64_t record_base, fair_error *err)
{
    uint64_t line = line_base + e->line - 1, rec = record_base + e->record - 1;
    char where[64] = "";
    if (rec != line) fair__snprintf(where, sizeof where, " (record %llu)", (unsigned long long)rec);
    return fair__fail_at(err, e->code, (size_t)line, (size_t)rec, e->column, "%s:%llu%s: %s", name,
                         (unsigned long long)line, where, e->what);
}

/* Outcome of one parallel job. */
typedef struct {
    uint64_t s, e;     /* where its records started and where it stopped */
    uint64_t lines;    /* newlines in [s, e) */
    uint64_t records;  /* records completed in [s, e) */
    int failed;        /* a row error */
    row_error err;
    fair_status io;    /* an I/O error */
    fair_error ioerr;
} job_result;

/* Finds the first offset >= start that follows a '\n' (or the end of the file). */
static fair_status first_line_start(fair__source *src, uint64_t start, uint64_t *s, fair_error *err)
{
    char tmp[65536];
    uint64_t off = start - 1;
    for (;;) {
        size_t got;
        char *nl;
        FAIR__FORWARD(fair__source_pread(src, tmp, sizeof tmp, off, &got, err));
        if (got == 0) {
            *s = src->size;
            return FAIR_OK;
        }
        nl = memchr(tmp, '\n', got);
        if (nl) {
            *s = off + (uint64_t)(nl - tmp) + 1;
            return FAIR_OK;
        }
        off += got;
    }
}

static void add_counts(fair__ingest *dst, const fair__ingest *src)
{
    dst->rows_read += src->rows_read;
    dst->rows_used += src->rows_used;
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) dst->skipped[k] += src->skipped[k];
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) dst->vskipped[k] += src->vskipped[k];
}

/* A ratio study: appends the sales of `src` (a parallel job's part, or a partial state, whose
 * group entries are numbered by its own table) to those of `dst`, renumbering each sale's group
 * entry to the merged table's (internal.h). The order is not final: ratio.c sorts the sales. */
fair_status fair__sales_append(fair__ingest *dst, const fair__table *merged, const fair__ingest *src,
                               uint64_t max_sales)
{
    size_t *map, need = dst->n_sales + src->n_sales;
    if (src->n_sales == 0) return FAIR_OK;
    if (need > max_sales) return FAIR_ELIMIT;
    map = fair__calloc(src->table.count ? src->table.count : 1, sizeof *map);
    if (!map) return FAIR_ENOMEM;
    for (size_t e = 0; e < src->table.count; e++) {
        size_t len, idx;
        int is_new;
        const char *k = fair__table_key(&src->table, e, &len);
        /* Present already (the merge put it there), so this finds it and allocates nothing. */
        if (fair__table_upsert((fair__table *)merged, k, len, fair__group_key_hash(k, len), &idx,
                               &is_new) != FAIR_OK) {
            fair__free(map);
            return FAIR_ENOMEM;
        }
        map[e] = idx;
    }
    if (need > dst->sales_cap) {
        fair__sale *v = need < SIZE_MAX / sizeof *v ? fair__realloc(dst->sales, need * sizeof *v) : NULL;
        if (!v) {
            fair__free(map);
            return FAIR_ENOMEM;
        }
        dst->sales = v;
        dst->sales_cap = need;
    }
    for (size_t i = 0; i < src->n_sales; i++) {
        fair__sale x = src->sales[i];
        x.key = map[x.key];
        dst->sales[dst->n_sales++] = x;
    }
    fair__free(map);
    return FAIR_OK;
}

/* The parallel jobs' byte ranges: first a ramp, `nthreads` ranges each of chunk / 8, chunk / 4
 * and chunk / 2, then `head` ranges of `chunk`, then `tail` ranges of chunk / 4 (the last of
 * any kind may be shorter). The ramp starts the parse, and the hash that waits for the first
 * range, on a few pages: a thread's buffer grows with its ranges, and each new page costs a
 * fault when the first read fills it. The tail lets the threads finish together: the last
 * jobs, which a thread may run while the others have none left, are short. The ranges do not
 * change any result (records are counted wherever the ranges fall). */
typedef struct {
    uint64_t chunk, small, span, ramp_bytes;
    size_t ramp, head, n; /* jobs in the ramp, jobs up to the tail's first, all jobs */
} job_plan;

#define RAMP_LEVELS 3u

/* The size of ramp job j (j < ramp; per_level jobs a level). */
static uint64_t ramp_size(const job_plan *pl, size_t j, size_t per_level)
{
    return pl->chunk >> (RAMP_LEVELS - j / per_level);
}

static void plan_jobs(job_plan *pl, uint64_t span, uint64_t chunk, size_t nthreads)
{
    /* The tail: 4 short jobs a thread over the last nthreads chunks, when there is room. */
    const uint64_t tail_bytes = (uint64_t)nthreads * chunk;
    uint64_t ramp_bytes = 0;
    pl->chunk = chunk;
    pl->small = chunk / 4;
    pl->span = span;
    pl->ramp = 0;
    for (unsigned l = RAMP_LEVELS; l > 0; l--) ramp_bytes += (uint64_t)nthreads * (chunk >> l);
    if ((chunk >> RAMP_LEVELS) > 0 && span >= 2 * (ramp_bytes + 4 * tail_bytes)) {
        pl->ramp = RAMP_LEVELS * nthreads;
        span -= ramp_bytes;
    } else {
        ramp_bytes = 0;
    }
    pl->ramp_bytes = ramp_bytes;
    if (pl->small == 0 || span <= 4 * tail_bytes) {
        pl->head = pl->ramp + (size_t)((span + chunk - 1) / chunk);
        pl->n = pl->head;
        return;
    }
    pl->head = pl->ramp + (size_t)((span - tail_bytes) / chunk);
    pl->n = pl->head + (size_t)((span - (uint64_t)(pl->head - pl->ramp) * chunk + pl->small - 1) / pl->small);
}

/* Where job j's range starts, from the data's start (j <= n: n gives the span). */
static uint64_t job_offset(const job_plan *pl, size_t j)
{
    uint64_t off;
    if (j < pl->ramp) {
        const size_t per_level = pl->ramp / RAMP_LEVELS;
        off = 0;
        for (size_t i = 0; i < j; i++) off += ramp_size(pl, i, per_level);
    } else if (j <= pl->head) {
        off = pl->ramp_bytes + (uint64_t)(j - pl->ramp) * pl->chunk;
    } else {
        off = pl->ramp_bytes + (uint64_t)(pl->head - pl->ramp) * pl->chunk +
              (uint64_t)(j - pl->head) * pl->small;
    }
    return off < pl->span ? off : pl->span;
}

/* Job j's window when the jobs hash ([*lo, *hi) of the file): from one byte before its range,
 * to see whether a line starts right at it (from byte 0 for job 0, which also hashes the
 * header), to the next job's range (the file's end for the last job). */
static void job_window(const job_plan *pl, size_t j, uint64_t data_start, uint64_t size,
                       uint64_t *lo, uint64_t *hi)
{
    *lo = j ? data_start + job_offset(pl, j) - 1 : 0;
    *hi = j + 1 == pl->n ? size : data_start + job_offset(pl, j + 1);
}

/* The parallel jobs' turns at the input's SHA-256 (parse_parallel(), when it hashes): job j
 * hashes its window once every earlier job has hashed its own, so the windows, which tile the
 * file from its start, go into the hash in file order. Jobs are claimed in increasing order,
 * so the job whose turn it is has always been claimed, by a thread that does not wait on a
 * later one: no deadlock. A job that could not read its window gives the hash up (then
 * fair__source_sha256() reads the file again). */
typedef struct {
    fair__source *src;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_size_t turn; /* the job that hashes next (written under mu) */
    atomic_int given_up; /* a window was missing: no more hashing (written under mu) */
} hash_turns;

/* How long a job polls for its turn before it sleeps: about as long as hashing a few hundred
 * KiB takes. The turn usually comes within one window's hash, and waking a sleeping thread
 * costs more than that on some VMs (tens of microseconds); a thread that polls has nothing
 * else to do. */
#define TURN_SPINS 4096u

static inline void cpu_relax(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    __builtin_ia32_pause();
#endif
}

/* Job j's turn: hashes `n` bytes at `data` (NULL: the window could not be read) and passes on. */
static void hash_turn(hash_turns *ht, size_t j, const char *data, size_t n)
{
    for (unsigned i = 0; i < TURN_SPINS && atomic_load_explicit(&ht->turn, memory_order_acquire) != j &&
                         !atomic_load_explicit(&ht->given_up, memory_order_relaxed);
         i++)
        cpu_relax();
    pthread_mutex_lock(&ht->mu);
    while (ht->turn != j && !ht->given_up) pthread_cond_wait(&ht->cv, &ht->mu);
    if (!ht->given_up) {
        if (data) fair__source_hash_add(ht->src, data, n);
        else ht->given_up = 1;
    }
    atomic_store_explicit(&ht->turn, j + 1, memory_order_release);
    pthread_cond_broadcast(&ht->cv);
    pthread_mutex_unlock(&ht->mu);
}

/* Reads job j's window [lo, hi) (job_window()) whole into `buf`, hashes [start or 0, hi) in
 * its turn and finds where the job's first record starts (jr->s). *pos receives that record's
 * place in the buffer; buf->len is 0 when the window holds no line start (a line longer than
 * the window), and the job reads as one without a window. */
static fair_status read_window(fair__source *src, hash_turns *ht, size_t j, uint64_t lo,
                               uint64_t start, uint64_t hi, fair__buf *buf, job_result *jr,
                               size_t *pos)
{
    const uint64_t hash_lo = j ? start : 0;
    const size_t want = (size_t)(hi - lo);
    size_t got = 0;
    fair_status st;
    char *nl;

    buf->len = 0;
    st = fair__buf_reserve(buf, want + TAIL_BLOCK + SCAN_PAD);
    if (st != FAIR_OK) st = fair__fail(&jr->ioerr, st, "out of memory reading '%s'", src->name);
    if (st == FAIR_OK) st = fair__source_pread(src, buf->data, want, lo, &got, &jr->ioerr);
    hash_turn(ht, j, st == FAIR_OK && got == want ? buf->data + (hash_lo - lo) : NULL,
              (size_t)(hi - hash_lo));
    if (st != FAIR_OK) return st;
    memset(buf->data + got, 0, SCAN_PAD);
    buf->len = got;
    if (j == 0) {
        jr->s = start;
        *pos = (size_t)(start - lo);
        return FAIR_OK;
    }
    nl = memchr(buf->data, '\n', got);
    if (!nl) {
        buf->len = 0;
        return first_line_start(src, start, &jr->s, &jr->ioerr);
    }
    *pos = (size_t)(nl - buf->data) + 1;
    jr->s = lo + *pos;
    return FAIR_OK;
}

/* Parses the records that start in [data_start, data_end) in parallel (data_end = UINT64_MAX:
 * to the end of the file); *stopped receives the offset after the last one. Returns FAIR_OK
 * with *fallback = 1 when the ranges did not chain up and the caller must parse serially.
 * With `hash` (a whole file: data_start is where its data begins, data_end UINT64_MAX), each
 * job reads its byte range at once and puts it into the file's SHA-256 (hash_turns). */
static fair_status parse_parallel(fair__source *src, const fair_audit_options *o, fair__ingest *res,
                                  uint64_t data_start, uint64_t data_end, uint64_t line_base,
                                  uint64_t record_base, size_t nthreads, int hash, int *fallback,
                                  uint64_t *stopped, fair_error *err)
{
    const uint64_t span = (data_end < src->size ? data_end : src->size) - data_start;
    /* A job that hashes holds its whole range: with many threads the ranges shrink so that
     * all of them together stay within WINDOW_BUDGET (they never grow: --chunk-bytes is an
     * upper bound; the ranges change no result). */
    const uint64_t chunk = hash && o->chunk_bytes > WINDOW_BUDGET / nthreads
                               ? (WINDOW_BUDGET / nthreads > WINDOW_MIN ? WINDOW_BUDGET / nthreads
                                                                        : WINDOW_MIN)
                               : o->chunk_bytes;
    job_plan plan;
    size_t njobs;
    job_result *jobs;
    fair__ingest *part = fair__calloc(nthreads, sizeof *part);
    unsigned char *flush_failed = fair__calloc(nthreads, 1);
    fair_status st = FAIR_OK;
    hash_turns turns = {src, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    atomic_size_t next_job = 0;
    uint64_t max_window = 0;
    size_t i;

    plan_jobs(&plan, span, chunk, nthreads);
    njobs = plan.n;
    jobs = fair__calloc(njobs, sizeof *jobs);
    /* A job that hashes holds its window whole (read_window()); each thread's buffer is sized
     * once for the largest, so that it is not copied as it grows nor rounded up to a power of
     * two: its pages are touched only as far as a window fills them. */
    for (size_t j = 0; hash && j < njobs; j++) {
        uint64_t lo, hi;
        job_window(&plan, j, data_start, src->size, &lo, &hi);
        if (hi - lo > max_window) max_window = hi - lo;
    }

    *fallback = 0;
    if (!jobs || !part || !flush_failed) {
        fair__free(jobs);
        fair__free(part);
        fair__free(flush_failed);
        return fair__fail(err, FAIR_ENOMEM, "out of memory planning %zu parse jobs", njobs);
    }
    for (i = 0; i < nthreads; i++) table_init_for(&part[i].table, o);

#ifdef _OPENMP
#pragma omp parallel num_threads((int)nthreads)
#endif
    {
        size_t tid = fair__thread_num();
        parser p;
        fair__buf buf;
        fair_status pst = parser_init(&p, o, &res->schema, src->name, &part[tid]);
        fair__buf_init(&buf);
        if (pst == FAIR_OK) pst = parser_scratch(&p);
        if (pst == FAIR_OK && hash) pst = fair__buf_reserve_exact(&buf, (size_t)max_window + TAIL_BLOCK + SCAN_PAD);
        /* Jobs are claimed in file order (hash_turns relies on it), each by the first thread
         * free. */
        for (;;) {
            const size_t k = atomic_fetch_add(&next_job, 1);
            if (k >= njobs) break;
            /* The fuzz build (tests/fuzz) takes the jobs against file order (and does not
             * hash), so that bugs that depend on which jobs a thread ran before show every
             * time, not once in a while. */
#ifdef FAIR_JOBS_REVERSED
            const size_t j = njobs - 1 - k;
#else
            const size_t j = k;
#endif
            job_result *jr = &jobs[j];
            uint64_t start = data_start + job_offset(&plan, j);
            uint64_t stop = j + 1 == njobs ? data_end : data_start + job_offset(&plan, j + 1);
            reader r = {src, 1, 0, 0};
            size_t pos = 0;
            if (pst != FAIR_OK) {
                jr->io = fair__fail(&jr->ioerr, pst, "out of memory starting a parse job");
                if (hash) hash_turn(&turns, j, NULL, 0);
                continue;
            }
            jr->s = start;
            buf.len = 0;
            if (hash) {
                uint64_t lo, hi;
                job_window(&plan, j, data_start, src->size, &lo, &hi);
                jr->io = read_window(src, &turns, j, lo, start, hi, &buf, jr, &pos);
                r.pos = buf.len ? lo + buf.len : jr->s;
                if (buf.len) r.block = TAIL_BLOCK;
            } else {
                if (j > 0) jr->io = first_line_start(src, start, &jr->s, &jr->ioerr);
                r.pos = jr->s;
            }
            if (jr->io != FAIR_OK) continue;
            p.st = FAIR_OK;
            p.line = 1;
            p.records = 0;
            csv_reset(&p); /* a thread's earlier job may have left libcsv inside a field */
            p.stop = 0;
            reset_record(&p);
            jr->io = drive(&p, &r, jr->s, stop, &jr->e, &buf, pos, &jr->ioerr);
            jr->lines = p.line - 1;
            jr->records = p.records;
            if (p.st != FAIR_OK) {
                jr->failed = 1;
                jr->err = p.err;
            }
        }
        /* The scores that block_lines() counted, once per thread. */
        p.st = FAIR_OK;
        lane_scores_flush(&p);
        if (p.st != FAIR_OK) flush_failed[tid] = 1;
        fair__buf_release(&buf);
        parser_release(&p);
    }
    pthread_mutex_destroy(&turns.mu);
    pthread_cond_destroy(&turns.cv);
    for (i = 0; i < nthreads; i++)
        if (flush_failed[i]) st = fair__fail(err, FAIR_ENOMEM, "out of memory counting scores");
    for (i = 0; i < nthreads; i++) fair__table_flush_scores(&part[i].table);
    fair__table_flush_scores(&res->table);

    /* An error that only a serial parse can place (serial_only) sends the whole input to the
     * serial parse, wherever its job lies: a thread checks a group value's UTF-8 only when the
     * key is new to its own table, and OpenMP may give a thread a later job before an earlier
     * one, so an earlier job can pass the row that a serial reading stops at, and the first
     * error in job order would then not be the first in the file. Found by tests/fuzz. */
    for (i = 0; i < njobs; i++)
        if (jobs[i].failed && jobs[i].err.serial_only) *fallback = 1;
    /* Serial: chain check in job order; the first error in file order wins. */
    for (i = 0; i < njobs && !*fallback && st == FAIR_OK; i++) {
        const job_result *jr = &jobs[i];
        if (i > 0 && jobs[i - 1].e != jr->s) {
            *fallback = 1;
            break;
        }
        if (jr->io != FAIR_OK) {
            st = jr->io;
            if (err) *err = jr->ioerr;
            break;
        }
        if (jr->failed && jr->err.serial_only) {
            *fallback = 1;
            break;
        }
        if (jr->failed) {
            st = report_row_error(&jr->err, src->name, line_base, record_base, err);
            break;
        }
        line_base += jr->lines;
        record_base += jr->records;
    }
    if (st == FAIR_OK && !*fallback) {
        /* Merged into a copy: when the union has too many groups, `res` must stay as the
         * header's reader left it, for the serial parse that finds the row to blame. */
        fair__table all;
        table_init_for(&all, o);
        st = fair__table_merge(&all, &res->table);
        for (i = 0; i < nthreads && st == FAIR_OK; i++)
            st = fair__table_merge(&all, &part[i].table);
        if (st != FAIR_OK) {
            fair__fail(err, st, "out of memory merging group counts");
        } else if (all.count > o->max_groups) {
            *fallback = 1;
        } else {
            for (i = 0; i < nthreads && st == FAIR_OK && res->schema.sales; i++) {
                st = fair__sales_append(res, &all, &part[i], res->schema.sales->max_sales);
                fair__free(part[i].sales); /* moved: at most one part's sales twice in memory */
                part[i].sales = NULL;
                part[i].n_sales = part[i].sales_cap = 0;
                if (st == FAIR_ELIMIT) *fallback = 1; /* the serial parse names the row */
                else if (st != FAIR_OK) fair__fail(err, st, "out of memory merging sales");
            }
            if (st == FAIR_ELIMIT) {
                st = FAIR_OK;
                res->n_sales = 0;
            }
            if (st == FAIR_OK && !*fallback) {
                fair__table_release(&res->table);
                res->table = all;
                table_init_for(&all, o);
                res->lines = line_base - 1;
                *stopped = jobs[njobs - 1].e;
                for (i = 0; i < nthreads; i++) add_counts(res, &part[i]);
            }
        }
        fair__table_release(&all);
    }
    for (i = 0; i < nthreads; i++) {
        fair__table_release(&part[i].table);
        fair__free(part[i].sales);
    }
    fair__free(part);
    fair__free(jobs);
    fair__free(flush_failed);
    return st;
}

/* Reads the header record of `path` into the schema with parser `p` (in header mode), for an
 * input that has none of its own; errors name `path`. */
static fair_status header_from(parser *p, const char *path, fair__buf *buf, fair_error *err)
{
    fair__source hs;
    reader hr = {0};
    uint64_t end;
    fair_status st;
    FAIR__FORWARD(fair__source_open(&hs, path, err));
    p->name = hs.name;
    p->stop_after_header = 1;
    hr.src = &hs;
    hr.positional = 0;
    hr.pos = 0;
    buf->len = 0;
    st = drive(p, &hr, 0, UINT64_MAX, &end, buf, 0, err);
    if (st == FAIR_OK && p->st != FAIR_OK) st = report_row_error(&p->err, hs.name, 1, 1, err);
    if (st == FAIR_OK && p->header_mode)
        st = fair__fail_at(err, FAIR_EDATA, 1, 1, 0, "%s: empty input: no header row", hs.name);
    fair__source_close(&hs);
    return st;
}

/* The part'th of n near-equal byte ranges of `span` bytes: its offset from the start. */
static uint64_t part_offset(uint64_t span, size_t part, size_t n)
{
    return span / n * part + span % n * part / n;
}

/* Reads `path` (the part `w` says) into `res`: counts per group, or with `cols` the sales of a
 * ratio study. */
static fair_status ingest(const char *path, const fair_audit_options *o,
                          const fair__sale_cols *cols, fair__ingest_where *w, fair__ingest *res,
                          fair_error *err)
{
    fair__source src;
    parser p;
    reader r = {0};
    fair__buf buf;
    uint64_t end = 0, data_start = 0, stop = UINT64_MAX;
    fair_status st;
    const size_t nthreads = fair__threads(o->n_threads);
    const int ranged = w->n_parts > 1;
    int parallel, done, hash_in_pass;

    memset(res, 0, sizeof *res);
    table_init_for(&res->table, o);
    res->schema.sales = cols;
    res->schema.delim = o->delimiter;
    res->schema.comma_decimal = o->decimal == ',';
    FAIR__FORWARD(fair__source_open(&src, path, err));
    src.max_ratio = o->max_gzip_ratio;
    res->gzip = src.gzip;
    parallel = nthreads > 1 && src.is_regular && !src.gzip && o->chunk_bytes > 0;
    res->threads_used = parallel ? nthreads : 1;
    /* The SHA-256 of a whole file read in parallel is taken from the jobs' reads (the same
     * pass); anything else is hashed by a thread beside the parse. */
    hash_in_pass = parallel && !ranged;
#ifdef FAIR_JOBS_REVERSED
    hash_in_pass = 0; /* hash_turns needs the jobs in file order */
#endif
    if (!hash_in_pass && !w->skip_digest &&
        (st = fair__source_hash_in_background(&src, err)) != FAIR_OK) {
        fair__source_close(&src);
        fair__ingest_release(res);
        memset(res, 0, sizeof *res);
        return st;
    }

    st = parser_init(&p, o, &res->schema, src.name, res);
    fair__buf_init(&buf);
    if (st != FAIR_OK) {
        fair__fail(err, st, "out of memory");
        goto out;
    }
    if (ranged && (!src.is_regular || src.gzip || w->part >= w->n_parts)) {
        st = fair__fail(err, FAIR_EINVAL, "%s: only a regular, uncompressed file can be read in parts",
                        src.name);
        goto out;
    }
    p.header_mode = 1;
    r.src = &src;
    r.positional = 0;
    r.pos = 0;
    if (w->header_from) {
        /* The header comes from another file; this input's first line is data, and its lines
         * and records are numbered from 1 in messages. */
        st = header_from(&p, w->header_from, &buf, err);
        if (st != FAIR_OK) goto out;
        p.name = src.name;
        p.stop = 0;
        p.stop_after_header = 0;
        p.line = 1;
        p.record_line = 1;
        p.records = 0;
        csv_reset(&p);
        done = 0;
    } else {
        p.stop_after_header = parallel || ranged;
        /* Only the header, when the jobs read the data: a short read, for every new page of
         * the buffer that a read fills costs a fault (microseconds each on some VMs). */
        r.block = p.stop_after_header ? HEAD_BLOCK : 0;
        buf.len = 0;
        st = drive(&p, &r, 0, UINT64_MAX, &end, &buf, 0, err);
        if (st != FAIR_OK) goto out;
        if (p.st != FAIR_OK) {
            st = report_row_error(&p.err, src.name, 1, 1, err);
            goto out;
        }
        if (p.header_mode) {
            st = fair__fail_at(err, FAIR_EDATA, 1, 1, 0, "%s: empty input: no header row", src.name);
            goto out;
        }
        data_start = end;
        done = !(parallel || ranged);
    }
    w->begin = data_start;
    if (!done && ranged) {
        /* Part k: the records that start in its byte range. Every part but the first starts
         * speculatively after a newline (as a parallel job does); the caller checks that the
         * parts chain up (fair__ingest_where). */
        const uint64_t span = src.size - data_start;
        w->begin = data_start + part_offset(span, w->part, w->n_parts);
        if (w->part + 1 < w->n_parts) stop = data_start + part_offset(span, w->part + 1, w->n_parts);
        if (w->part > 0) {
            st = first_line_start(&src, w->begin, &w->begin, err);
            if (st != FAIR_OK) goto out;
            p.line = 1;
            p.records = 0;
            csv_reset(&p);
        }
        end = w->begin;
    }
    if (!done) {
        int fallback = 1;
        const uint64_t hdr_lines = p.line, hdr_records = p.records;
        const uint64_t last = stop < src.size ? stop : src.size;
        /* A record can be open after the header's line: with lone-CR line ends a quoted field
         * that starts on that line may run on past its '\n'. The ranges cannot start there;
         * the serial reader below carries on with the open record. */
        if (parallel && !p.csv_live && last > w->begin && last - w->begin > o->chunk_bytes) {
            st = parse_parallel(&src, o, res, w->begin, stop, hdr_lines, hdr_records + 1, nthreads,
                                hash_in_pass, &fallback, &end, err);
            if (st != FAIR_OK) goto out;
        } else if (hash_in_pass && (st = fair__source_hash_in_background(&src, err)) != FAIR_OK) {
            goto out;
        }
        if (fallback) {
            /* Parse the data serially, continuing from the end of the header. One reader made
             * the counts, also when the ranges did not chain up (the JSON's parse_threads). */
            res->threads_used = 1;
            p.stop = 0;
            p.stop_after_header = 0;
            r.positional = src.is_regular && !src.gzip;
            r.pos = w->begin;
            r.block = 0;
            buf.len = 0;
            st = drive(&p, &r, w->begin, stop, &end, &buf, 0, err);
            if (st != FAIR_OK) goto out;
            if (p.st != FAIR_OK) {
                st = report_row_error(&p.err, src.name, 1, 1, err);
                goto out;
            }
            res->lines = p.line - 1;
        }
    } else {
        res->lines = p.line - 1;
    }
    /* The scores that block_lines() counted in this parser (the header's reader, and the
     * serial reader when there was one). */
    lane_scores_flush(&p);
    if (p.st != FAIR_OK) {
        st = report_row_error(&p.err, src.name, 1, 1, err);
        goto out;
    }
    fair__table_flush_scores(&res->table); /* the last row is counted */
    w->end = end;
    if (res->rows_read == 0 && !w->allow_empty) {
        st = fair__fail_at(err, FAIR_EDATA, 2, 2, 0, "%s: the header is not followed by any data rows",
                           src.name);
        goto out;
    }
    res->bytes = src.is_regular ? src.size : src.raw_bytes;
    if (!w->skip_digest) st = fair__source_sha256(&src, res->sha256, err);
out:
    fair__buf_release(&buf);
    parser_release(&p);
    fair__source_close(&src);
    if (st != FAIR_OK) {
        fair__ingest_release(res);
        memset(res, 0, sizeof *res);
    }
    return st;
}

fair_status fair__ingest_part(const char *path, const fair_audit_options *o, fair__ingest_where *w,
                              fair__ingest *res, fair_error *err)
{
    return ingest(path, o, NULL, w, res, err);
}

fair_status fair__ingest_run(const char *path, const fair_audit_options *o, fair__ingest *res,
                             fair_error *err)
{
    fair__ingest_where w = {NULL, 0, 1, 0, 0, 0, 0};
    return ingest(path, o, NULL, &w, res, err);
}

fair_status fair__ingest_sales(const char *path, const fair_audit_options *o,
                               const fair__sale_cols *cols, fair__ingest *res, fair_error *err)
{
    fair__ingest_where w = {NULL, 0, 1, 0, 0, 0, 0};
    return ingest(path, o, cols, &w, res, err);
}

fair_status fair__ingest_sales_part(const char *path, const fair_audit_options *o,
                                    const fair__sale_cols *cols, fair__ingest_where *w,
                                    fair__ingest *res, fair_error *err)
{
    return ingest(path, o, cols, w, res, err);
}

/* state.c -- partial states: the counts of one shard (group table, score histograms, rows by
 * fate), or for a ratio study its sales (the pairs of assessed value and sale price by group),
 * with the options that shaped them, encoded in the portable file format of
 * docs/partial-state.md (fixed-width little-endian integers, IEEE 754 doubles by their bytes,
 * tagged sections, a CRC-32), merged by adding integers and analysed by the audit's own code. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "ratio_internal.h"

static const unsigned char MAGIC[8] = {0x89, 'F', 'A', 'I', 'R', 'S', 'T', '\n'};
#define KIND_CLASSIFICATION 1u /* FAIR_STATE_AUDIT; format version 1 and later */
#define KIND_RATIO 2u          /* FAIR_STATE_RATIO; format version 2 and later */
#define HEAD_BYTES 24u /* magic, format version, kind, body length */
#define TAIL_BYTES 4u  /* CRC-32 */
#define MAX_GROUP_COLS 64u
#define MAX_NAME_BYTES 4096u /* a column name or positive class in the options section */
#define MAX_DIGEST 64u

/* One input a state was made from. */
typedef struct {
    char *name;                     /* the path as given */
    uint64_t bytes;                 /* size as stored */
    int gzip;
    uint64_t n_parts;               /* 1 = the whole input */
    uint64_t part_first, part_last; /* the parts this entry covers */
    uint64_t begin, end;            /* byte offsets of the records read */
    unsigned char digest_len;       /* 0, or the length of a digest of the input (reserved) */
    unsigned char digest[MAX_DIGEST];
} input;

/* The options that shape the counts (or the sales): two states merge only when these are
 * equal. A ratio study's state uses kind, version, groups, assessed, sale, delim,
 * comma_decimal, strict, max_sales, max_groups, max_field, max_line and max_columns; the
 * other fields are zero there. */
typedef struct {
    unsigned kind; /* KIND_* */
    char *version;
    char **groups;
    size_t n_groups;
    char *label, *pred, *score, *label_pos, *pred_pos; /* pred, score, *_pos may be NULL */
    int use_threshold;
    double threshold;
    char delim;
    int comma_decimal, strict;
    double score_min, score_max;
    uint64_t max_scores, max_groups, max_field, max_line, max_columns;
    char *assessed, *sale; /* a ratio study's value columns */
    uint64_t max_sales;
} fingerprint;

struct fair_state {
    fingerprint fp;
    input *inputs;
    size_t n_inputs;
    fair__ingest in; /* the counts (a ratio study: its sales, their group entries in in.table);
                        of the schema only n_group, delim and comma_decimal */
};

void fair_state_options_init(fair_state_options *so)
{
    memset(so, 0, sizeof *so);
    so->n_parts = 1;
}

static void fingerprint_release(fingerprint *f)
{
    fair__free(f->version);
    for (size_t i = 0; f->groups && i < f->n_groups; i++) fair__free(f->groups[i]);
    fair__free(f->groups);
    fair__free(f->label);
    fair__free(f->pred);
    fair__free(f->score);
    fair__free(f->label_pos);
    fair__free(f->pred_pos);
    fair__free(f->assessed);
    fair__free(f->sale);
    memset(f, 0, sizeof *f);
}

void fair_state_free(fair_state *s)
{
    if (!s) return;
    fingerprint_release(&s->fp);
    for (size_t i = 0; i < s->n_inputs; i++) fair__free(s->inputs[i].name);
    fair__free(s->inputs);
    fair__ingest_release(&s->in);
    fair__free(s);
}

uint64_t fair_state_rows(const fair_state *s) { return s->in.rows_read; }

fair_state_kind fair_state_get_kind(const fair_state *s)
{
    return s->fp.kind == KIND_RATIO ? FAIR_STATE_RATIO : FAIR_STATE_AUDIT;
}

/* A copy of an optional string; *ok = 0 when out of memory. */
static char *dup_opt(const char *s, int *ok)
{
    char *d;
    if (!s) return NULL;
    d = fair__strdup(s);
    if (!d) *ok = 0;
    return d;
}

/* What part of `path` a state reads (fair_state_options). */
static fair_status where_of(const fair_state_options *so, fair__ingest_where *w, fair_error *err)
{
    FAIR__RETURN_IF(so && so->n_parts > 1 && so->part >= so->n_parts, FAIR_EINVAL, err,
                    "part %zu of %zu does not exist (parts count from 0)", so->part, so->n_parts);
    memset(w, 0, sizeof *w);
    w->header_from = so ? so->header_from : NULL;
    w->part = so && so->n_parts > 1 ? so->part : 0;
    w->n_parts = so && so->n_parts > 1 ? so->n_parts : 1;
    w->allow_empty = 1;
    w->skip_digest = so && so->skip_digest && w->n_parts > 1 && w->part > 0;
    return FAIR_OK;
}

/* The rest of a state just read from `path` (part `w`), of either kind: the schema pared down
 * to what a decoded state has, the version, the input entry, the bound on rows. `ok` == 0:
 * memory ran out while filling the fingerprint. Frees `s` on failure. */
static fair_status finish_from_csv(fair_state *s, const char *path, const fair__ingest_where *w,
                                   int ok, fair_state **out, fair_error *err)
{
    /* Only n_group, delim and comma_decimal of the schema are kept (the header's names are
     * the input's business); the same fields a decoded state has. */
    fair__schema keep = {0};
    keep.n_group = s->in.schema.n_group;
    keep.delim = s->in.schema.delim;
    keep.comma_decimal = s->in.schema.comma_decimal;
    for (size_t i = 0; s->in.schema.names && i < s->in.schema.ncols; i++)
        fair__free(s->in.schema.names[i]);
    fair__free(s->in.schema.names);
    fair__free(s->in.schema.role);
    fair__free(s->in.schema.group_of);
    fair__free(s->in.schema.group_col);
    s->in.schema = keep;
    s->fp.version = dup_opt(fair_version_string(), &ok);
    s->fp.delim = s->in.schema.delim;
    s->fp.comma_decimal = s->in.schema.comma_decimal;
    s->inputs = fair__calloc(1, sizeof *s->inputs);
    if (s->inputs) {
        input *in = &s->inputs[0];
        s->n_inputs = 1;
        in->name = dup_opt(path, &ok);
        in->bytes = s->in.bytes;
        in->gzip = s->in.gzip;
        /* The SHA-256 of the whole input (also when this state holds one part of it), unless
         * the caller takes it from part 0 (fair_state_options.skip_digest). */
        in->digest_len = w->skip_digest ? 0 : 32;
        if (in->digest_len) memcpy(in->digest, s->in.sha256, 32);
        in->n_parts = w->n_parts;
        in->part_first = in->part_last = w->part;
        in->begin = w->begin;
        in->end = w->end;
    }
    if (!ok || !s->inputs) {
        fair_state_free(s);
        return fair__fail(err, FAIR_ENOMEM, "out of memory");
    }
    if (s->in.rows_read > FAIR_STATE_MAX_ROWS) {
        fair_state_free(s);
        return fair__fail(err, FAIR_ELIMIT, "%s: more than %llu data rows in one state", path,
                          (unsigned long long)FAIR_STATE_MAX_ROWS);
    }
    *out = s;
    return FAIR_OK;
}

/* The group columns, copied into the fingerprint; 0 when out of memory. */
static int copy_groups(fingerprint *f, const char *const *cols, size_t n)
{
    int ok = 1;
    f->groups = fair__calloc(n ? n : 1, sizeof *f->groups);
    if (!f->groups) return 0;
    f->n_groups = n;
    for (size_t i = 0; ok && i < n; i++) f->groups[i] = dup_opt(cols[i], &ok);
    return ok;
}

/* The fingerprint's strictness and limits, from the options an input is read with (a ratio
 * study's too, through fair__ratio_ingest_options()). */
static void fp_reading(fingerprint *f, const fair_audit_options *o)
{
    f->strict = o->strict;
    f->max_groups = o->max_groups;
    f->max_field = o->max_field_bytes;
    f->max_line = o->max_line_bytes;
    f->max_columns = o->max_columns;
}

fair_status fair_state_from_csv(const char *path, const fair_audit_options *o,
                                const fair_state_options *so, fair_state **out, fair_error *err)
{
    fair__ingest_where w;
    fair_state *s;
    fingerprint *f;
    fair_status st;
    int ok = 1;

    *out = NULL;
    FAIR__FORWARD(fair__check_options(o, err));
    FAIR__FORWARD(where_of(so, &w, err));
    s = fair__calloc(1, sizeof *s);
    FAIR__RETURN_IF(!s, FAIR_ENOMEM, err, "out of memory");
    st = fair__ingest_part(path, o, &w, &s->in, err);
    if (st != FAIR_OK) {
        fair__free(s);
        return st;
    }
    f = &s->fp;
    f->kind = KIND_CLASSIFICATION;
    ok = copy_groups(f, o->group_cols, o->n_group_cols);
    f->label = dup_opt(o->label_col, &ok);
    f->pred = dup_opt(o->pred_col, &ok);
    f->score = dup_opt(o->score_col, &ok);
    f->label_pos = dup_opt(o->label_positive, &ok);
    f->pred_pos = dup_opt(o->pred_positive, &ok);
    f->use_threshold = o->use_threshold;
    f->threshold = o->use_threshold ? o->threshold : 0.0;
    f->score_min = o->score_min;
    f->score_max = o->score_max;
    f->max_scores = o->max_distinct_scores;
    fp_reading(f, o);
    return finish_from_csv(s, path, &w, ok, out, err);
}

fair_status fair_state_from_ratio_csv(const char *path, const fair_ratio_options *o,
                                      const fair_state_options *so, fair_state **out,
                                      fair_error *err)
{
    fair_audit_options ao;
    fair__sale_cols cols;
    fair__ingest_where w;
    fair_state *s;
    fingerprint *f;
    fair_status st;
    int ok = 1;

    *out = NULL;
    FAIR__FORWARD(fair__ratio_ingest_options(o, &ao, &cols, err));
    FAIR__FORWARD(where_of(so, &w, err));
    s = fair__calloc(1, sizeof *s);
    FAIR__RETURN_IF(!s, FAIR_ENOMEM, err, "out of memory");
    st = fair__ingest_sales_part(path, &ao, &cols, &w, &s->in, err);
    if (st != FAIR_OK) {
        fair__free(s);
        return st;
    }
    s->in.schema.sales = NULL; /* `cols` lives on this stack */
    f = &s->fp;
    f->kind = KIND_RATIO;
    ok = copy_groups(f, o->group_cols, o->n_group_cols);
    f->assessed = dup_opt(o->assessed_col, &ok);
    f->sale = dup_opt(o->sale_col, &ok);
    f->max_sales = o->max_sales;
    fp_reading(f, &ao);
    return finish_from_csv(s, path, &w, ok, out, err);
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding: little-endian fixed-width integers, doubles by their IEEE 754 bits */

typedef struct {
    fair__buf b;
    int failed;
} enc;

static void put(enc *e, const void *p, size_t n)
{
    if (!e->failed && fair__buf_append(&e->b, p, n) != FAIR_OK) e->failed = 1;
}

static void put_u64(enc *e, uint64_t v)
{
    unsigned char b[8];
    for (size_t i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(e, b, 8);
}

static void put_u32(enc *e, uint32_t v)
{
    unsigned char b[4];
    for (size_t i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(e, b, 4);
}

static void put_u8(enc *e, unsigned v)
{
    unsigned char b = (unsigned char)v;
    put(e, &b, 1);
}

static void put_f64(enc *e, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    put_u64(e, u);
}

static void put_str(enc *e, const char *s, size_t n)
{
    put_u32(e, (uint32_t)n);
    put(e, s, n);
}

/* An optional string: a presence byte, then the string. */
static void put_opt(enc *e, const char *s)
{
    put_u8(e, s != NULL);
    if (s) put_str(e, s, strlen(s));
}

/* Starts a section: its tag and a length patched by end_section(). */
static size_t begin_section(enc *e, const char tag[4])
{
    put(e, tag, 4);
    put_u64(e, 0);
    return e->b.len;
}

static void end_section(enc *e, size_t at)
{
    uint64_t n = (uint64_t)(e->b.len - at);
    if (e->failed) return;
    for (size_t i = 0; i < 8; i++) e->b.data[at - 8 + i] = (char)(unsigned char)(n >> (8 * i));
}

/* Order of groups in a state file: by key bytes, so that the file does not depend on the order
 * in which threads met the groups. */
typedef struct {
    const char *key;
    size_t len;
    size_t idx;
} key_ref;

static int cmp_keys(const void *x, const void *y)
{
    const key_ref *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    if (c) return c;
    return a->len < b->len ? -1 : a->len > b->len;
}

typedef struct {
    double s;
    uint64_t n[4];
} score_row;

static int cmp_scores(const void *x, const void *y)
{
    const score_row *a = x, *b = y;
    return a->s < b->s ? -1 : a->s > b->s;
}

static void encode_groups(enc *e, const fair_state *s)
{
    const fair__table *t = &s->in.table;
    const size_t np = s->in.schema.n_group;
    key_ref *order = fair__malloc((t->count ? t->count : 1) * sizeof *order);
    score_row *rows = NULL;
    size_t rows_cap = 0;
    if (!order) {
        e->failed = 1;
        return;
    }
    for (size_t i = 0; i < t->count; i++) {
        order[i].key = fair__table_key(t, i, &order[i].len);
        order[i].idx = i;
    }
    qsort(order, t->count, sizeof *order, cmp_keys);
    put_u8(e, (unsigned)t->with_scores);
    put_u64(e, t->count);
    for (size_t k = 0; k < t->count && !e->failed; k++) {
        const size_t i = order[k].idx;
        const char *ptr[MAX_GROUP_COLS];
        size_t len[MAX_GROUP_COLS];
        fair__key_parts(order[k].key, order[k].len, np, ptr, len);
        for (size_t p = 0; p < np; p++) put_str(e, ptr[p], len[p]);
        for (size_t c = 0; c < 4; c++) put_u64(e, t->cells[i].n[c]);
        if (t->with_scores) {
            const fair__shist *h = &t->hists[i];
            if (h->count > rows_cap) {
                score_row *r = fair__realloc(rows, h->count * sizeof *r);
                if (!r) {
                    e->failed = 1;
                    break;
                }
                rows = r;
                rows_cap = h->count;
            }
            for (size_t j = 0; j < h->count; j++) {
                rows[j].s = h->s[j];
                memcpy(rows[j].n, h->n[j], sizeof rows[j].n);
            }
            qsort(rows, h->count, sizeof *rows, cmp_scores);
            put_u8(e, (unsigned)h->quantized);
            put_u64(e, h->count);
            for (size_t j = 0; j < h->count; j++) {
                put_f64(e, rows[j].s);
                for (size_t c = 0; c < 4; c++) put_u64(e, rows[j].n[c]);
            }
        }
    }
    fair__free(rows);
    fair__free(order);
}

/* A ratio study's sales: per group in key order, its key parts, its number of sales and the
 * sales (assessed value, sale price) in the study's order (fair__sort_sales(): by group, sale
 * price and assessed value; identical sales are interchangeable). */
static void encode_sales(enc *e, const fair_state *s)
{
    const fair__table *t = &s->in.table;
    const size_t np = s->in.schema.n_group, n = s->in.n_sales;
    key_ref *order = fair__malloc((t->count ? t->count : 1) * sizeof *order);
    size_t *rank = fair__malloc((t->count ? t->count : 1) * sizeof *rank);
    fair__sale *v = fair__malloc((n ? n : 1) * sizeof *v);
    size_t i = 0;
    if (!order || !rank || !v) {
        e->failed = 1;
        goto out;
    }
    for (size_t k = 0; k < t->count; k++) {
        order[k].key = fair__table_key(t, k, &order[k].len);
        order[k].idx = k;
    }
    qsort(order, t->count, sizeof *order, cmp_keys);
    for (size_t k = 0; k < t->count; k++) rank[order[k].idx] = k;
    for (size_t j = 0; j < n; j++) {
        v[j] = s->in.sales[j];
        v[j].key = rank[v[j].key];
    }
    if (fair__sort_sales(v, n) != FAIR_OK) {
        e->failed = 1;
        goto out;
    }
    put_u64(e, t->count);
    for (size_t k = 0; k < t->count && !e->failed; k++) {
        const char *ptr[MAX_GROUP_COLS];
        size_t len[MAX_GROUP_COLS], m = 0;
        fair__key_parts(order[k].key, order[k].len, np, ptr, len);
        for (size_t p = 0; p < np; p++) put_str(e, ptr[p], len[p]);
        while (i + m < n && v[i + m].key == k) m++;
        put_u64(e, m);
        for (; m > 0; m--, i++) {
            put_f64(e, v[i].a);
            put_f64(e, v[i].s);
        }
    }
out:
    fair__free(v);
    fair__free(rank);
    fair__free(order);
}

/* The parts both kinds of fingerprint share, in the order they are written: the head (version
 * and group columns), how the input is read (delimiter, decimal comma, strict) and, last, the
 * limits on groups, fields, lines and columns. */
static void encode_head(enc *e, const fingerprint *f)
{
    put_str(e, f->version, strlen(f->version));
    put_u32(e, (uint32_t)f->n_groups);
    for (size_t i = 0; i < f->n_groups; i++) put_str(e, f->groups[i], strlen(f->groups[i]));
}

static void encode_reading(enc *e, const fingerprint *f)
{
    put_u8(e, (unsigned char)f->delim);
    put_u8(e, (unsigned)f->comma_decimal);
    put_u8(e, (unsigned)f->strict);
}

static void encode_limits(enc *e, const fingerprint *f)
{
    put_u64(e, f->max_groups);
    put_u64(e, f->max_field);
    put_u64(e, f->max_line);
    put_u64(e, f->max_columns);
}

/* The fingerprint of an audit's state. */
static void encode_audit_options(enc *e, const fingerprint *f)
{
    encode_head(e, f);
    put_str(e, f->label, strlen(f->label));
    put_opt(e, f->pred);
    put_opt(e, f->score);
    put_u8(e, (unsigned)f->use_threshold);
    put_f64(e, f->threshold);
    put_opt(e, f->label_pos);
    put_opt(e, f->pred_pos);
    encode_reading(e, f);
    put_f64(e, f->score_min);
    put_f64(e, f->score_max);
    put_u64(e, f->max_scores);
    encode_limits(e, f);
}

/* The fingerprint of a ratio study's state. */
static void encode_ratio_options(enc *e, const fingerprint *f)
{
    encode_head(e, f);
    put_str(e, f->assessed, strlen(f->assessed));
    put_str(e, f->sale, strlen(f->sale));
    encode_reading(e, f);
    put_u64(e, f->max_sales);
    encode_limits(e, f);
}

fair_status fair_state_encode(const fair_state *s, unsigned char **data, size_t *len, fair_error *err)
{
    const int ratio = s->fp.kind == KIND_RATIO;
    const fingerprint *f = &s->fp;
    enc e = {{NULL, 0, 0}, 0};
    size_t at;
    unsigned long crc;

    *data = NULL;
    *len = 0;
    put(&e, MAGIC, sizeof MAGIC);
    /* The lowest format version that describes the file: 1 for the counts of an audit (whose
     * layout version 2 keeps), 2 for a ratio study's sales. */
    put_u32(&e, ratio ? 2u : 1u);
    put_u32(&e, ratio ? KIND_RATIO : KIND_CLASSIFICATION);
    put_u64(&e, 0); /* body length, patched below */

    at = begin_section(&e, "OPTS");
    if (ratio) encode_ratio_options(&e, f);
    else encode_audit_options(&e, f);
    end_section(&e, at);

    at = begin_section(&e, "INPT");
    put_u64(&e, s->n_inputs);
    for (size_t i = 0; i < s->n_inputs; i++) {
        const input *in = &s->inputs[i];
        put_str(&e, in->name, strlen(in->name));
        put_u64(&e, in->bytes);
        put_u8(&e, (unsigned)in->gzip);
        put_u64(&e, in->n_parts);
        put_u64(&e, in->part_first);
        put_u64(&e, in->part_last);
        put_u64(&e, in->begin);
        put_u64(&e, in->end);
        put_u8(&e, in->digest_len);
        put(&e, in->digest, in->digest_len);
    }
    end_section(&e, at);

    at = begin_section(&e, "ROWS");
    put_u64(&e, s->in.rows_read);
    put_u64(&e, s->in.rows_used);
    put_u64(&e, s->in.lines);
    put_u64(&e, s->in.threads_used);
    put_u32(&e, FAIR_SKIP_COUNT);
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) put_u64(&e, s->in.skipped[k]);
    if (ratio) {
        put_u32(&e, FAIR_RATIO_SKIP_COUNT);
        for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) put_u64(&e, s->in.vskipped[k]);
    }
    end_section(&e, at);

    at = begin_section(&e, ratio ? "SALE" : "GRPS");
    if (ratio) encode_sales(&e, s);
    else encode_groups(&e, s);
    end_section(&e, at);

    if (!e.failed) {
        uint64_t body = (uint64_t)(e.b.len - HEAD_BYTES);
        for (size_t i = 0; i < 8; i++) e.b.data[16 + i] = (char)(unsigned char)(body >> (8 * i));
        crc = crc32_z(0L, (const Bytef *)e.b.data, e.b.len);
        put_u32(&e, (uint32_t)crc);
    }
    if (e.failed) {
        fair__buf_release(&e.b);
        return fair__fail(err, FAIR_ENOMEM, "out of memory encoding a partial state");
    }
    *data = (unsigned char *)e.b.data;
    *len = e.b.len;
    return FAIR_OK;
}

void fair_state_encoded_free(unsigned char *data) { fair__free(data); }

static fair_status write_encoded(const void *ctx, FILE *fp, fair_error *err)
{
    const fair_state *s = ctx;
    unsigned char *data;
    size_t len;
    FAIR__FORWARD(fair_state_encode(s, &data, &len, err));
    if (fwrite(data, 1, len, fp) != len) {
        fair__free(data);
        return FAIR_EIO;
    }
    fair__free(data);
    return FAIR_OK;
}

fair_status fair_state_write_file(const fair_state *s, const char *path, fair_error *err)
{
    return fair__write_atomic(path, write_encoded, s, err);
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding: every length is checked against the bytes left before it is used */

typedef struct {
    const unsigned char *p;
    size_t left;
    const char *name;
    const char *what; /* the section being read, for messages */
    fair_error *err;
    fair_status st;
} dec;

static int bad(dec *d, fair_status code, const char *why)
{
    if (d->st == FAIR_OK)
        d->st = fair__fail(d->err, code, "'%s' is not a valid partial state: %s%s%s", d->name, why,
                           d->what ? " in section " : "", d->what ? d->what : "");
    return 0;
}

static int take(dec *d, void *out, size_t n)
{
    if (d->st != FAIR_OK) return 0;
    if (n > d->left) return bad(d, FAIR_EDATA, "truncated");
    if (out) memcpy(out, d->p, n);
    d->p += n;
    d->left -= n;
    return 1;
}

static uint64_t get_u64(dec *d)
{
    unsigned char b[8];
    uint64_t v = 0;
    if (!take(d, b, 8)) return 0;
    for (size_t i = 8; i-- > 0;) v = (v << 8) | b[i];
    return v;
}

static uint32_t get_u32(dec *d)
{
    unsigned char b[4];
    uint32_t v = 0;
    if (!take(d, b, 4)) return 0;
    for (size_t i = 4; i-- > 0;) v = (v << 8) | b[i];
    return v;
}

static unsigned get_u8(dec *d)
{
    unsigned char b = 0;
    take(d, &b, 1);
    return b;
}

static int get_flag(dec *d)
{
    unsigned v = get_u8(d);
    if (v > 1) bad(d, FAIR_EDATA, "a flag that is neither 0 nor 1");
    return (int)v;
}

static double get_f64(dec *d)
{
    uint64_t u = get_u64(d);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* A string of at most `max` bytes, NUL-terminated; NULL on failure (d->st says why). */
static char *get_str(dec *d, size_t max)
{
    uint32_t n = get_u32(d);
    char *s;
    if (d->st != FAIR_OK) return NULL;
    if (n > d->left) return bad(d, FAIR_EDATA, "truncated"), NULL;
    if (n > max) return bad(d, FAIR_EDATA, "a string longer than the format allows"), NULL;
    if (memchr(d->p, '\0', n)) return bad(d, FAIR_EDATA, "a NUL byte in a string"), NULL;
    s = fair__strndup((const char *)d->p, n);
    if (!s) {
        if (d->st == FAIR_OK) d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
        return NULL;
    }
    d->p += n;
    d->left -= n;
    return s;
}

static char *get_opt(dec *d, size_t max)
{
    return get_flag(d) ? get_str(d, max) : NULL;
}

/* Opens the next section, which must carry `tag`: *sec covers its bytes. */
static int open_section(dec *d, const char *tag, dec *sec)
{
    char t[4];
    uint64_t n;
    if (!take(d, t, 4)) return 0;
    if (memcmp(t, tag, 4) != 0) {
        char why[96];
        char shown[5];
        for (size_t i = 0; i < 4; i++) shown[i] = t[i] >= 0x20 && t[i] < 0x7f ? t[i] : '?';
        shown[4] = '\0';
        fair__snprintf(why, sizeof why, "section '%s' where '%s' belongs", shown, tag);
        return bad(d, FAIR_EDATA, why);
    }
    n = get_u64(d);
    if (d->st != FAIR_OK) return 0;
    if (n > d->left) return bad(d, FAIR_EDATA, "truncated");
    *sec = *d;
    sec->left = (size_t)n;
    sec->what = tag;
    d->p += n;
    d->left -= (size_t)n;
    return 1;
}

/* A section must be used up exactly. */
static int close_section(dec *d, dec *sec)
{
    if (sec->st != FAIR_OK) {
        d->st = sec->st;
        return 0;
    }
    if (sec->left != 0) {
        bad(sec, FAIR_EDATA, "bytes left over");
        d->st = sec->st;
        return 0;
    }
    return 1;
}

static int add_ok(uint64_t *sum, uint64_t v)
{
    if (*sum > UINT64_MAX - v) return 0;
    *sum += v;
    return 1;
}

/* The head both kinds of fingerprint share: the version and the group columns, at least
 * `min_groups` of them and at most MAX_GROUP_COLS. 0 when decoding cannot go on. */
static int decode_head(dec *d, fingerprint *f, unsigned kind, uint32_t min_groups)
{
    uint32_t ng;
    f->kind = kind;
    f->version = get_str(d, 64);
    ng = get_u32(d);
    if (d->st != FAIR_OK) return 0;
    if (ng < min_groups || ng > MAX_GROUP_COLS) {
        bad(d, FAIR_EDATA, min_groups ? "a group column count outside 1..64"
                                      : "a group column count above 64");
        return 0;
    }
    f->groups = fair__calloc(ng ? ng : 1, sizeof *f->groups);
    if (!f->groups) {
        d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
        return 0;
    }
    f->n_groups = ng;
    for (size_t i = 0; i < ng && d->st == FAIR_OK; i++) f->groups[i] = get_str(d, MAX_NAME_BYTES);
    return 1;
}

/* The reading part (encode_reading); returns the delimiter byte, checked by delim_ok(). */
static unsigned decode_reading(dec *d, fingerprint *f)
{
    unsigned delim = get_u8(d);
    f->delim = (char)delim;
    f->comma_decimal = get_flag(d);
    f->strict = get_flag(d);
    return delim;
}

static int delim_ok(unsigned delim) { return delim != 0 && strchr(",;\t|", (int)delim) != NULL; }

/* The limits part (encode_limits); limits_ok(): none zero, none above SIZE_MAX / 2. */
static void decode_limits(dec *d, fingerprint *f)
{
    f->max_groups = get_u64(d);
    f->max_field = get_u64(d);
    f->max_line = get_u64(d);
    f->max_columns = get_u64(d);
}

static int limits_ok(const fingerprint *f)
{
    return f->max_groups && f->max_field && f->max_line && f->max_columns &&
           f->max_groups <= SIZE_MAX / 2 && f->max_field <= SIZE_MAX / 2 &&
           f->max_line <= SIZE_MAX / 2 && f->max_columns <= SIZE_MAX / 2;
}

/* Adds the group of key bytes `key` to t as entry *idx; 0 (the decoder's status set) when it
 * cannot be added or is there already: a state lists each group once. */
static int add_group(dec *d, fair__table *t, const fair__buf *key, size_t *idx)
{
    const char *k = key->data ? key->data : "";
    int is_new;
    if (fair__table_upsert(t, k, key->len, fair__group_key_hash(k, key->len), idx, &is_new) !=
        FAIR_OK) {
        d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
        return 0;
    }
    if (!is_new) bad(d, FAIR_EDATA, "a group listed twice");
    return is_new;
}

static void decode_options(dec *d, fingerprint *f)
{
    unsigned delim;
    if (!decode_head(d, f, KIND_CLASSIFICATION, 1)) return;
    f->label = get_str(d, MAX_NAME_BYTES);
    f->pred = get_opt(d, MAX_NAME_BYTES);
    f->score = get_opt(d, MAX_NAME_BYTES);
    f->use_threshold = get_flag(d);
    f->threshold = get_f64(d);
    f->label_pos = get_opt(d, MAX_NAME_BYTES);
    f->pred_pos = get_opt(d, MAX_NAME_BYTES);
    delim = decode_reading(d, f);
    f->score_min = get_f64(d);
    f->score_max = get_f64(d);
    f->max_scores = get_u64(d);
    decode_limits(d, f);
    if (d->st != FAIR_OK) return;
    if (!delim_ok(delim)) bad(d, FAIR_EDATA, "an unknown delimiter");
    else if (!f->pred == !f->use_threshold) bad(d, FAIR_EDATA, "both or neither of a prediction column and a threshold");
    else if (f->use_threshold && (!f->score || !isfinite(f->threshold)))
        bad(d, FAIR_EDATA, "a threshold without a score column");
    else if (!f->use_threshold && f->threshold != 0.0)
        bad(d, FAIR_EDATA, "a threshold value that is not used"); /* written as 0 (and NaN != NaN) */
    else if (!isfinite(f->score_min) || !isfinite(f->score_max) || !(f->score_min < f->score_max) ||
             !(fabs(f->score_min) <= FAIR__SCORE_MAX_ABS && fabs(f->score_max) <= FAIR__SCORE_MAX_ABS))
        bad(d, FAIR_EDATA, "an empty score range, or one beyond -1e15:1e15");
    else if (!f->max_scores || f->max_scores > SIZE_MAX / 2 || !limits_ok(f))
        bad(d, FAIR_EDATA, "a limit of zero or out of range");
}

/* The fingerprint of a ratio study's state (group columns: 0 to 64). */
static void decode_ratio_options(dec *d, fingerprint *f)
{
    unsigned delim;
    if (!decode_head(d, f, KIND_RATIO, 0)) return;
    f->assessed = get_str(d, MAX_NAME_BYTES);
    f->sale = get_str(d, MAX_NAME_BYTES);
    delim = decode_reading(d, f);
    f->max_sales = get_u64(d);
    decode_limits(d, f);
    if (d->st != FAIR_OK) return;
    if (!delim_ok(delim)) bad(d, FAIR_EDATA, "an unknown delimiter");
    else if (!f->max_sales || f->max_sales > UINT32_MAX || !limits_ok(f))
        bad(d, FAIR_EDATA, "a limit of zero or out of range");
}

static void decode_inputs(dec *d, fair_state *s)
{
    /* The smallest entry: empty name (4), bytes, gzip, parts, first, last, begin, end, digest. */
    const size_t min_entry = 4 + 8 + 1 + 5 * 8 + 1;
    uint64_t n = get_u64(d);
    if (d->st != FAIR_OK) return;
    if (n == 0 || n > d->left / min_entry) {
        bad(d, FAIR_EDATA, n ? "more inputs than bytes to describe them" : "no inputs");
        return;
    }
    s->inputs = fair__calloc((size_t)n, sizeof *s->inputs);
    if (!s->inputs) {
        d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
        return;
    }
    s->n_inputs = (size_t)n;
    for (size_t i = 0; i < s->n_inputs && d->st == FAIR_OK; i++) {
        input *in = &s->inputs[i];
        in->name = get_str(d, 1u << 20);
        in->bytes = get_u64(d);
        in->gzip = get_flag(d);
        in->n_parts = get_u64(d);
        in->part_first = get_u64(d);
        in->part_last = get_u64(d);
        in->begin = get_u64(d);
        in->end = get_u64(d);
        in->digest_len = (unsigned char)get_u8(d);
        if (d->st != FAIR_OK) return;
        if (in->digest_len > MAX_DIGEST) bad(d, FAIR_EDATA, "a digest longer than 64 bytes");
        else take(d, in->digest, in->digest_len);
        if (d->st == FAIR_OK && (in->n_parts == 0 || in->part_first > in->part_last ||
                                 in->part_last >= in->n_parts || in->begin > in->end))
            bad(d, FAIR_EDATA, "an input with impossible parts or offsets");
    }
}

static void decode_rows(dec *d, fair__ingest *in, int ratio)
{
    uint64_t skipped = 0;
    uint32_t n_skip;
    in->rows_read = get_u64(d);
    in->rows_used = get_u64(d);
    in->lines = get_u64(d);
    in->threads_used = (size_t)get_u64(d);
    n_skip = get_u32(d);
    if (d->st != FAIR_OK) return;
    if (n_skip != FAIR_SKIP_COUNT) {
        bad(d, FAIR_EDATA, "another list of skip reasons (made by another version)");
        return;
    }
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) {
        in->skipped[k] = get_u64(d);
        if (!add_ok(&skipped, in->skipped[k])) bad(d, FAIR_EDATA, "skip counts that overflow");
    }
    if (ratio && d->st == FAIR_OK) { /* a ratio study's reasons for a value (FAIR_RATIO_SKIP_MAP) */
        if (get_u32(d) != FAIR_RATIO_SKIP_COUNT) {
            bad(d, FAIR_EDATA, "another list of a ratio study's skip reasons (made by another version)");
            return;
        }
        for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) {
            in->vskipped[k] = get_u64(d);
            if (!add_ok(&skipped, in->vskipped[k])) bad(d, FAIR_EDATA, "skip counts that overflow");
        }
    }
    if (d->st != FAIR_OK) return;
    if (in->rows_read > FAIR_STATE_MAX_ROWS) {
        d->st = fair__fail(d->err, FAIR_ELIMIT, "'%s': more than %llu data rows in one state",
                           d->name, (unsigned long long)FAIR_STATE_MAX_ROWS);
        return;
    }
    if (!add_ok(&skipped, in->rows_used) || skipped != in->rows_read)
        bad(d, FAIR_EDATA, "rows used and skipped that do not add up to the rows read");
}

/* A group key of np parts (a u32 length and the bytes each, valid UTF-8) into `key`, in the
 * ingest's layout. */
static void get_key(dec *d, size_t np, fair__buf *key)
{
    key->len = 0;
    for (size_t p = 0; p < np && d->st == FAIR_OK; p++) {
        uint32_t l = get_u32(d);
        if (d->st != FAIR_OK) return;
        if (l > d->left) {
            bad(d, FAIR_EDATA, "truncated");
            return;
        }
        if (!fair__utf8_valid(d->p, l)) {
            bad(d, FAIR_EDATA, "a group value that is not valid UTF-8");
            return;
        }
        if (fair__buf_append(key, &l, 4) != FAIR_OK || fair__buf_append(key, d->p, l) != FAIR_OK) {
            d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
            return;
        }
        take(d, NULL, l);
    }
}

/* Whether the number of groups n a state gives can be right: each group takes at least
 * `least` bytes of what is left, and n is within the state's own --max-groups. Sets the error
 * and returns 0 when not. */
static int group_count_ok(dec *d, const fingerprint *f, uint64_t n, uint64_t least)
{
    if (n > d->left / least) return bad(d, FAIR_EDATA, "more groups than bytes to describe them");
    if (n > f->max_groups) {
        d->st = fair__fail(d->err, FAIR_ELIMIT,
                           "'%s' holds %llu groups, more than its --max-groups of %llu", d->name,
                           (unsigned long long)n, (unsigned long long)f->max_groups);
        return 0;
    }
    return 1;
}

/* The group table. Each group: its key parts, four cell counts and, with scores, its histogram
 * in ascending order of score; checked against the rows section and the options. */
static void decode_groups(dec *d, fair_state *s)
{
    const fingerprint *f = &s->fp;
    const size_t np = f->n_groups;
    fair__table *t = &s->in.table;
    fair__buf key;
    uint64_t n, used = 0;
    int with_scores = get_flag(d);
    fair__shist h;
    size_t hcap = 0;

    n = get_u64(d);
    if (d->st != FAIR_OK) return;
    if (with_scores != (f->score != NULL)) {
        bad(d, FAIR_EDATA, "score histograms that do not match the score column");
        return;
    }
    /* A group takes at least a length per key part and four counts. */
    if (!group_count_ok(d, f, n, 4 * np + 32)) return;
    fair__buf_init(&key);
    fair__shist_init(&h);
    for (uint64_t g = 0; g < n && d->st == FAIR_OK; g++) {
        uint64_t cells[4], sum = 0;
        size_t idx;
        get_key(d, np, &key);
        for (size_t c = 0; c < 4; c++) {
            cells[c] = get_u64(d);
            if (!add_ok(&sum, cells[c])) bad(d, FAIR_EDATA, "counts that overflow");
        }
        if (d->st != FAIR_OK) break;
        if (!add_ok(&used, sum) || used > s->in.rows_used) {
            bad(d, FAIR_EDATA, "group counts above the rows used");
            break;
        }
        if (!add_group(d, t, &key, &idx)) break;
        for (size_t c = 0; c < 4; c++) t->cells[idx].n[c] = cells[c];
        if (with_scores) {
            uint64_t m, hsum[4] = {0, 0, 0, 0};
            int quantized = get_flag(d);
            m = get_u64(d);
            if (d->st != FAIR_OK) break;
            if (m > d->left / 40) {
                bad(d, FAIR_EDATA, "more scores than bytes to describe them");
                break;
            }
            if (m > hcap) {
                double *ns = fair__realloc(h.s, (size_t)m * sizeof *ns);
                uint64_t(*nn)[4] = ns ? fair__realloc(h.n, (size_t)m * sizeof *nn) : NULL;
                if (ns) h.s = ns;
                if (nn) h.n = nn;
                if (!ns || !nn) {
                    d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
                    break;
                }
                hcap = (size_t)m;
            }
            for (size_t j = 0; j < m && d->st == FAIR_OK; j++) {
                h.s[j] = get_f64(d);
                for (size_t c = 0; c < 4; c++) {
                    h.n[j][c] = get_u64(d);
                    if (!add_ok(&hsum[c], h.n[j][c])) bad(d, FAIR_EDATA, "score counts that overflow");
                }
                if (d->st != FAIR_OK) break;
                if (!isfinite(h.s[j]) || h.s[j] < f->score_min || h.s[j] > f->score_max)
                    bad(d, FAIR_EDATA, "a score outside the score range");
                else if (j > 0 && !(h.s[j] > h.s[j - 1]))
                    bad(d, FAIR_EDATA, "scores out of order");
            }
            if (d->st != FAIR_OK) break;
            if (memcmp(hsum, cells, sizeof hsum) != 0) {
                bad(d, FAIR_EDATA, "score counts that differ from the group's counts");
                break;
            }
            /* The histogram goes in through the merge the threads use (a view of the arrays). */
            h.count = (size_t)m;
            h.quantized = quantized;
            if (fair__shist_merge(&t->hists[idx], &h, &t->shcfg) != FAIR_OK) {
                d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
                break;
            }
        }
    }
    if (d->st == FAIR_OK && used != s->in.rows_used)
        bad(d, FAIR_EDATA, "group counts that do not add up to the rows used");
    h.count = 0;
    fair__free(h.s);
    fair__free(h.n);
    fair__buf_release(&key);
}

/* A ratio study's sales: per group its key parts, its number of sales (at least 1) and each
 * sale's assessed value and price (positive, finite). Checked against the rows section and the
 * options; the sales array grows with the bytes read, never with a count read. */
static void decode_sales(dec *d, fair_state *s)
{
    const fingerprint *f = &s->fp;
    const size_t np = f->n_groups;
    fair__table *t = &s->in.table;
    fair__ingest *in = &s->in;
    fair__buf key;
    uint64_t n = get_u64(d);

    if (d->st != FAIR_OK) return;
    /* A group takes at least a length per key part, its count and one sale. */
    if (!group_count_ok(d, f, n, 4 * np + 8 + 16)) return;
    fair__buf_init(&key);
    for (uint64_t g = 0; g < n && d->st == FAIR_OK; g++) {
        uint64_t m;
        size_t idx;
        get_key(d, np, &key);
        m = get_u64(d);
        if (d->st != FAIR_OK) break;
        if (m == 0 || m > d->left / 16) {
            bad(d, FAIR_EDATA, m ? "more sales than bytes to describe them" : "a group without sales");
            break;
        }
        if (m > in->rows_used - in->n_sales) {
            bad(d, FAIR_EDATA, "sales above the rows used");
            break;
        }
        if (!add_group(d, t, &key, &idx)) break;
        if (in->n_sales + m > in->sales_cap) { /* at most twice what the bytes read describe */
            size_t cap = in->sales_cap * 2 > in->n_sales + m ? in->sales_cap * 2 : in->n_sales + (size_t)m;
            fair__sale *v = fair__realloc(in->sales, cap * sizeof *v);
            if (!v) {
                d->st = fair__fail(d->err, FAIR_ENOMEM, "out of memory");
                break;
            }
            in->sales = v;
            in->sales_cap = cap;
        }
        for (uint64_t j = 0; j < m; j++) {
            double a = get_f64(d), p = get_f64(d);
            if (!(isfinite(a) && a > 0 && isfinite(p) && p > 0)) {
                bad(d, FAIR_EDATA, "an assessed value or sale price that is not a positive number");
                break;
            }
            in->sales[in->n_sales++] = (fair__sale){a, p, idx};
        }
    }
    if (d->st == FAIR_OK && in->n_sales != in->rows_used)
        bad(d, FAIR_EDATA, "sales that do not add up to the rows used");
    if (d->st == FAIR_OK && in->n_sales > f->max_sales)
        bad(d, FAIR_EDATA, "more sales than its --max-sales");
    fair__buf_release(&key);
}

fair_status fair_state_decode(const void *data, size_t len, const char *name, fair_state **out,
                              fair_error *err)
{
    dec d = {data, len, name, NULL, err, FAIR_OK}, sec;
    unsigned char magic[8];
    uint32_t version, kind, crc_stored = 0;
    uint64_t body;
    fair_state *s;
    fair__shist_cfg c;

    *out = NULL;
    if (len < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC) != 0)
        return fair__fail(err, FAIR_EDATA, "'%s' is not a partial state of fairaudit (no magic bytes)",
                          name);
    take(&d, magic, 8);
    version = get_u32(&d);
    kind = get_u32(&d);
    body = get_u64(&d);
    if (d.st != FAIR_OK) return d.st;
    if (version < 1 || version > FAIR_STATE_FORMAT_VERSION)
        return fair__fail(err, FAIR_EDATA,
                          "'%s' is a partial state in format version %lu; this fairaudit reads "
                          "versions 1 to %d",
                          name, (unsigned long)version, FAIR_STATE_FORMAT_VERSION);
    if (len < HEAD_BYTES + TAIL_BYTES || body != (uint64_t)(len - HEAD_BYTES - TAIL_BYTES))
        return fair__fail(err, FAIR_EDATA,
                          "'%s' is not a valid partial state: it has %zu bytes, its header "
                          "announces %llu (truncated or extended)",
                          name, len, (unsigned long long)(body + HEAD_BYTES + TAIL_BYTES));
    {
        const unsigned char *t = (const unsigned char *)data + len - TAIL_BYTES;
        crc_stored = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
        if (crc_stored != (uint32_t)crc32_z(0L, (const Bytef *)data, len - TAIL_BYTES))
            return fair__fail(err, FAIR_EDATA,
                              "'%s' is not a valid partial state: its checksum does not match "
                              "(the file is damaged)", name);
    }
    if (kind != KIND_CLASSIFICATION && !(kind == KIND_RATIO && version >= 2))
        return fair__fail(err, FAIR_EDATA,
                          "'%s' is a partial state of kind %lu in format version %lu, which this "
                          "fairaudit cannot merge (1 = classification audit, 2 = ratio study from "
                          "version 2 on)",
                          name, (unsigned long)kind, (unsigned long)version);
    d.left = (size_t)body;
    s = fair__calloc(1, sizeof *s);
    FAIR__RETURN_IF(!s, FAIR_ENOMEM, err, "out of memory");
    if (open_section(&d, "OPTS", &sec)) {
        if (kind == KIND_RATIO) decode_ratio_options(&sec, &s->fp);
        else decode_options(&sec, &s->fp);
        close_section(&d, &sec);
    }
    if (d.st == FAIR_OK) {
        c.lo = s->fp.score_min;
        c.hi = s->fp.score_max;
        c.limit = (size_t)s->fp.max_scores;
        if (s->fp.score) fair__table_init_scores(&s->in.table, &c);
        else fair__table_init(&s->in.table);
        s->in.schema.n_group = s->fp.n_groups;
        s->in.schema.delim = s->fp.delim;
        s->in.schema.comma_decimal = s->fp.comma_decimal;
    }
    if (d.st == FAIR_OK && open_section(&d, "INPT", &sec)) {
        decode_inputs(&sec, s);
        close_section(&d, &sec);
    }
    if (d.st == FAIR_OK && open_section(&d, "ROWS", &sec)) {
        decode_rows(&sec, &s->in, kind == KIND_RATIO);
        close_section(&d, &sec);
    }
    if (d.st == FAIR_OK && open_section(&d, kind == KIND_RATIO ? "SALE" : "GRPS", &sec)) {
        if (kind == KIND_RATIO) decode_sales(&sec, s);
        else decode_groups(&sec, s);
        close_section(&d, &sec);
    }
    if (d.st == FAIR_OK && d.left != 0) bad(&d, FAIR_EDATA, "an unknown section after the last");
    if (d.st != FAIR_OK) {
        fair_state_free(s);
        return d.st;
    }
    *out = s;
    return FAIR_OK;
}

fair_status fair_state_read_file(const char *path, fair_state **out, fair_error *err)
{
    fair__buf b;
    fair_status st;
    int fd;

    *out = NULL;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    FAIR__RETURN_IF(fd < 0, FAIR_EIO, err, "cannot open '%s': %s", path, strerror(errno));
    fair__buf_init(&b);
    for (;;) {
        ssize_t got;
        if (fair__buf_reserve(&b, 1 << 16) != FAIR_OK) {
            close(fd);
            fair__buf_release(&b);
            return fair__fail(err, FAIR_ENOMEM, "out of memory reading '%s'", path);
        }
        got = read(fd, b.data + b.len, b.cap - b.len);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            st = fair__fail(err, FAIR_EIO, "cannot read '%s': %s", path, strerror(errno));
            close(fd);
            fair__buf_release(&b);
            return st;
        }
        if (got == 0) break;
        b.len += (size_t)got;
    }
    close(fd);
    st = fair_state_decode(b.data ? b.data : "", b.len, path, out, err);
    fair__buf_release(&b);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Merging */

static int str_eq(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

/* "'x'", or "none", for messages. */
static const char *shown(const char *s, char *buf, size_t cap)
{
    if (!s) return "none";
    fair__snprintf(buf, cap, "'%s'", s);
    return buf;
}

/* The first difference between two fingerprints, in words; NULL when equal. */
static const char *differ(const fingerprint *a, const fingerprint *b, char *why, size_t cap)
{
    char x[160], y[160];
#define STR_FIELD(field, words)                                                                    \
    if (!str_eq(a->field, b->field)) {                                                             \
        fair__snprintf(why, cap, "%s: %s and %s", words, shown(a->field, x, sizeof x),             \
                       shown(b->field, y, sizeof y));                                              \
        return why;                                                                                \
    }
#define NUM_FIELD(cond, words, fmt, va, vb)                                                        \
    if (cond) {                                                                                    \
        fair__snprintf(why, cap, "%s: " fmt " and " fmt, words, va, vb);                           \
        return why;                                                                                \
    }
    NUM_FIELD(a->kind != b->kind, "kind of state", "%s", a->kind == KIND_RATIO ? "ratio study" : "classification audit",
              b->kind == KIND_RATIO ? "ratio study" : "classification audit")
    STR_FIELD(version, "fairaudit version")
    NUM_FIELD(a->n_groups != b->n_groups, "number of --group columns", "%zu", a->n_groups, b->n_groups)
    for (size_t i = 0; i < a->n_groups; i++) STR_FIELD(groups[i], "--group column")
    STR_FIELD(assessed, "--assessed column")
    STR_FIELD(sale, "--sale-price column")
    NUM_FIELD(a->max_sales != b->max_sales, "--max-sales", "%llu",
              (unsigned long long)a->max_sales, (unsigned long long)b->max_sales)
    STR_FIELD(label, "--label column")
    STR_FIELD(pred, "--pred column")
    STR_FIELD(score, "--score column")
    if (a->use_threshold != b->use_threshold || (a->use_threshold && a->threshold != b->threshold)) {
        if (a->use_threshold) fair__snprintf(x, sizeof x, "%.17g", a->threshold);
        if (b->use_threshold) fair__snprintf(y, sizeof y, "%.17g", b->threshold);
        fair__snprintf(why, cap, "--threshold: %s and %s", a->use_threshold ? x : "none",
                       b->use_threshold ? y : "none");
        return why;
    }
    STR_FIELD(label_pos, "positive class of the label")
    STR_FIELD(pred_pos, "positive class of the prediction")
    NUM_FIELD(a->delim != b->delim, "delimiter", "'%c'", a->delim, b->delim)
    NUM_FIELD(a->comma_decimal != b->comma_decimal, "decimal comma", "%s",
              a->comma_decimal ? "yes" : "no", b->comma_decimal ? "yes" : "no")
    NUM_FIELD(a->strict != b->strict, "--strict", "%s", a->strict ? "on" : "off",
              b->strict ? "on" : "off")
    if (a->score_min != b->score_min || a->score_max != b->score_max) {
        fair__snprintf(why, cap, "--score-range: %.17g:%.17g and %.17g:%.17g", a->score_min,
                       a->score_max, b->score_min, b->score_max);
        return why;
    }
    NUM_FIELD(a->max_scores != b->max_scores, "--max-distinct-scores", "%llu",
              (unsigned long long)a->max_scores, (unsigned long long)b->max_scores)
    NUM_FIELD(a->max_groups != b->max_groups, "--max-groups", "%llu",
              (unsigned long long)a->max_groups, (unsigned long long)b->max_groups)
    NUM_FIELD(a->max_field != b->max_field, "--max-field-bytes", "%llu",
              (unsigned long long)a->max_field, (unsigned long long)b->max_field)
    NUM_FIELD(a->max_line != b->max_line, "--max-line-bytes", "%llu",
              (unsigned long long)a->max_line, (unsigned long long)b->max_line)
    NUM_FIELD(a->max_columns != b->max_columns, "maximum number of columns", "%llu",
              (unsigned long long)a->max_columns, (unsigned long long)b->max_columns)
#undef STR_FIELD
#undef NUM_FIELD
    return NULL;
}

/* Whether input b continues input a: the next parts of one file, starting where a stopped. */
static int continues(const input *a, const input *b)
{
    return a->n_parts > 1 && a->n_parts == b->n_parts && strcmp(a->name, b->name) == 0 &&
           a->bytes == b->bytes && a->gzip == b->gzip && a->part_last + 1 == b->part_first &&
           a->end == b->begin;
}

/* Whether inputs a and b hold the same rows: the same file (by its SHA-256 and size) and parts
 * that overlap. Parts of one file read by different processes have the same digest and do not
 * overlap. */
static int same_rows(const input *a, const input *b)
{
    if (a->digest_len != 32 || b->digest_len != 32 || a->bytes != b->bytes ||
        memcmp(a->digest, b->digest, 32) != 0)
        return 0;
    if (a->n_parts > 1 && a->n_parts == b->n_parts)
        return !(a->part_last < b->part_first || b->part_last < a->part_first);
    return 1;
}

fair_status fair_state_merge(fair_state *dst, const fair_state *src, fair_error *err)
{
    char why[400];
    uint64_t rows = dst->in.rows_read;
    size_t n = dst->n_inputs;
    input *ins;

    if (differ(&dst->fp, &src->fp, why, sizeof why))
        return fair__fail(err, FAIR_EINVAL,
                          "the partial states of '%s' and '%s' were made with different options "
                          "(%s)",
                          dst->inputs[0].name, src->inputs[0].name, why);
    /* The same data twice (one state given twice, or a shard copied) would count its rows
     * twice. States without rows (a header-only part file, as Spark writes) are exempt. */
    for (size_t i = 0; src->in.rows_read > 0 && i < src->n_inputs; i++)
        for (size_t j = 0; j < n; j++)
            if (same_rows(&dst->inputs[j], &src->inputs[i]))
                return fair__fail(err, FAIR_EINVAL,
                                  "the partial states of '%s' and '%s' hold the same data (the same "
                                  "SHA-256 and size): merged, its rows would count twice",
                                  dst->inputs[j].name, src->inputs[i].name);
    FAIR__RETURN_IF(!add_ok(&rows, src->in.rows_read) || rows > FAIR_STATE_MAX_ROWS, FAIR_ELIMIT,
                    err, "the partial states hold more than %llu data rows together",
                    (unsigned long long)FAIR_STATE_MAX_ROWS);
    FAIR__RETURN_IF(dst->in.n_sales + src->in.n_sales > dst->fp.max_sales && dst->fp.kind == KIND_RATIO,
                    FAIR_ELIMIT, err, "the partial states hold more than %llu sales together; the "
                    "limit is --max-sales", (unsigned long long)dst->fp.max_sales);
    ins = fair__realloc(dst->inputs, (n + src->n_inputs) * sizeof *ins);
    FAIR__RETURN_IF(!ins, FAIR_ENOMEM, err, "out of memory");
    dst->inputs = ins;
    for (size_t i = 0; i < src->n_inputs; i++) {
        input *last = &dst->inputs[n - 1];
        const input *in = &src->inputs[i];
        if (continues(last, in)) {
            last->part_last = in->part_last;
            last->end = in->end;
            continue;
        }
        dst->inputs[n] = *in;
        dst->inputs[n].name = fair__strdup(in->name);
        if (!dst->inputs[n].name) {
            dst->n_inputs = n;
            return fair__fail(err, FAIR_ENOMEM, "out of memory");
        }
        n++;
    }
    dst->n_inputs = n;
    if (fair__table_merge(&dst->in.table, &src->in.table) != FAIR_OK ||
        fair__sales_append(&dst->in, &dst->in.table, &src->in, dst->fp.max_sales) != FAIR_OK)
        return fair__fail(err, FAIR_ENOMEM, "out of memory merging group counts");
    for (size_t k = 0; k < FAIR_RATIO_SKIP_COUNT; k++) dst->in.vskipped[k] += src->in.vskipped[k];
    dst->in.rows_read = rows;
    dst->in.rows_used += src->in.rows_used;
    dst->in.lines += src->in.lines;
    for (size_t k = 0; k < FAIR_SKIP_COUNT; k++) dst->in.skipped[k] += src->in.skipped[k];
    if (src->in.threads_used > dst->in.threads_used) dst->in.threads_used = src->in.threads_used;
    FAIR__RETURN_IF(dst->in.table.count > dst->fp.max_groups, FAIR_ELIMIT, err,
                    "the partial states hold more than %llu distinct groups together; choose a "
                    "coarser --group column",
                    (unsigned long long)dst->fp.max_groups);
    return FAIR_OK;
}

fair_status fair_state_check(const fair_state *s, fair_error *err)
{
    for (size_t i = 0; i < s->n_inputs; i++) {
        const input *in = &s->inputs[i];
        if (in->n_parts <= 1 || (in->part_first == 0 && in->part_last + 1 == in->n_parts)) continue;
        if (i + 1 < s->n_inputs && strcmp(s->inputs[i + 1].name, in->name) == 0 &&
            s->inputs[i + 1].part_first == in->part_last + 1)
            return fair__fail(err, FAIR_EDATA,
                              "the parts of '%s' do not chain up: part %llu ended at byte %llu, "
                              "part %llu started at byte %llu (a quoted field with a line break "
                              "spans the boundary); read the file whole",
                              in->name, (unsigned long long)in->part_last,
                              (unsigned long long)in->end,
                              (unsigned long long)s->inputs[i + 1].part_first,
                              (unsigned long long)s->inputs[i + 1].begin);
        return fair__fail(err, FAIR_EDATA,
                          "'%s' was read in %llu parts, but only parts %llu to %llu are here "
                          "(merge the states of all parts, in order)",
                          in->name, (unsigned long long)in->n_parts,
                          (unsigned long long)in->part_first, (unsigned long long)in->part_last);
    }
    return FAIR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The audit, the ratio study */

/* The input of merged states as one: the sum of the sizes, the compression (2 = mixed), the
 * SHA-256 of a single input, and its name (the path, or "N shards" in `buf`). */
static const char *merged_input(const fair_state *s, fair__ingest *in, char *buf, size_t cap)
{
    int gz = 0, plain = 0;
    in->bytes = 0;
    for (size_t i = 0; i < s->n_inputs; i++) {
        in->bytes += s->inputs[i].bytes;
        if (s->inputs[i].gzip) gz = 1;
        else plain = 1;
    }
    in->gzip = gz && plain ? 2 : gz;
    if (s->n_inputs == 1 && s->inputs[0].digest_len == 32) memcpy(in->sha256, s->inputs[0].digest, 32);
    if (s->n_inputs == 1) return s->inputs[0].name;
    fair__snprintf(buf, cap, "%zu shards", s->n_inputs);
    return buf;
}

/* What the analysis of merged states checks first, for either kind: that the states are of
 * that kind, that they agree with each other (fair_state_check) and that they hold data. */
static fair_status check_merged(const fair_state *s, unsigned kind, fair_error *err)
{
    const char *of = kind == KIND_RATIO ? "a ratio study" : "an audit";
    const char *other = kind == KIND_RATIO ? "an audit" : "a ratio study";
    FAIR__RETURN_IF(s->fp.kind != kind, FAIR_EINVAL, err, "the partial states of '%s' are of %s, not of %s",
                    s->inputs[0].name, other, of);
    FAIR__FORWARD(fair_state_check(s, err));
    FAIR__RETURN_IF(s->in.rows_read == 0, FAIR_EDATA, err,
                    "the partial states hold no data rows (every input was empty)");
    return FAIR_OK;
}

fair_status fair_audit_from_state(const fair_state *s, const fair_audit_options *o,
                                  fair_audit **out, fair_error *err)
{
    const fingerprint *f = &s->fp;
    fair_audit_options so = *o;
    fair__ingest in = s->in; /* a shallow view: the counts are borrowed, never freed here */
    char name[64];
    const char *input_name;
    fair_status st;

    *out = NULL;
    FAIR__FORWARD(check_merged(s, KIND_CLASSIFICATION, err));
    FAIR__RETURN_IF((o->n_thresholds || o->top_k || o->top_fraction > 0) && !f->score, FAIR_EINVAL,
                    err, "--thresholds, --top-k and --top-fraction need a score column, and the "
                         "partial states have none");
    so.group_cols = (const char *const *)f->groups;
    so.n_group_cols = f->n_groups;
    so.label_col = f->label;
    so.pred_col = f->pred;
    so.score_col = f->score;
    so.use_threshold = f->use_threshold;
    so.threshold = f->use_threshold ? f->threshold : o->threshold;
    so.label_positive = f->label_pos;
    so.pred_positive = f->pred_pos;
    so.delimiter = f->delim;
    so.decimal = f->comma_decimal ? ',' : '.';
    so.strict = f->strict;
    so.score_min = f->score_min;
    so.score_max = f->score_max;
    so.max_distinct_scores = (size_t)f->max_scores;
    so.max_groups = (size_t)f->max_groups;
    so.max_field_bytes = (size_t)f->max_field;
    so.max_line_bytes = (size_t)f->max_line;
    so.max_columns = (size_t)f->max_columns;
    input_name = merged_input(s, &in, name, sizeof name);
    st = fair__audit_from_ingest(input_name, &in, &so, out, err);
    if (st != FAIR_OK || s->n_inputs == 1) return st;
    (*out)->shards = fair__calloc(s->n_inputs, sizeof *(*out)->shards);
    if (!(*out)->shards) goto nomem;
    for (size_t i = 0; i < s->n_inputs; i++) {
        fair__shard *sh = &(*out)->shards[(*out)->n_shards];
        sh->name = fair__strdup(s->inputs[i].name);
        if (!sh->name) goto nomem;
        sh->bytes = s->inputs[i].bytes;
        sh->gzip = s->inputs[i].gzip;
        sh->has_sha256 = s->inputs[i].digest_len == 32;
        if (sh->has_sha256) memcpy(sh->sha256, s->inputs[i].digest, 32);
        (*out)->n_shards++;
    }
    return FAIR_OK;
nomem:
    fair_audit_free(*out);
    *out = NULL;
    return fair__fail(err, FAIR_ENOMEM, "out of memory");
}

fair_status fair_ratio_from_state(const fair_state *s, const fair_ratio_options *o,
                                  fair_ratio **out, fair_error *err)
{
    const fingerprint *f = &s->fp;
    fair_ratio_options so = *o;
    fair__ingest in = s->in; /* a view: the table is borrowed, the sales copied (the study
                                reorders them) */
    char name[64];
    const char *input_name;
    fair_status st;

    *out = NULL;
    FAIR__FORWARD(check_merged(s, KIND_RATIO, err));
    so.assessed_col = f->assessed;
    so.sale_col = f->sale;
    so.group_cols = (const char *const *)f->groups;
    so.n_group_cols = f->n_groups;
    so.delimiter = f->delim;
    so.decimal = f->comma_decimal ? ',' : '.';
    so.strict = f->strict;
    so.max_sales = f->max_sales;
    so.max_groups = (size_t)f->max_groups;
    so.max_field_bytes = (size_t)f->max_field;
    so.max_line_bytes = (size_t)f->max_line;
    so.max_columns = (size_t)f->max_columns;
    input_name = merged_input(s, &in, name, sizeof name);
    in.sales = fair__malloc((s->in.n_sales ? s->in.n_sales : 1) * sizeof *in.sales);
    FAIR__RETURN_IF(!in.sales, FAIR_ENOMEM, err, "out of memory");
    if (s->in.n_sales) memcpy(in.sales, s->in.sales, s->in.n_sales * sizeof *in.sales);
    in.sales_cap = s->in.n_sales;
    st = fair__ratio_from_ingest(input_name, &in, &so, out, err);
    fair__free(in.sales);
    if (st != FAIR_OK || s->n_inputs == 1) return st;
    (*out)->shards = fair__calloc(s->n_inputs, sizeof *(*out)->shards);
    for (size_t i = 0; (*out)->shards && i < s->n_inputs; i++) {
        if (!((*out)->shards[i] = fair__strdup(s->inputs[i].name))) break;
        (*out)->n_shards++;
    }
    if ((*out)->n_shards < s->n_inputs) {
        fair_ratio_free(*out);
        *out = NULL;
        return fair__fail(err, FAIR_ENOMEM, "out of memory");
    }
    return FAIR_OK;
}

fair_status fair_state_file_kind(const char *path, fair_state_kind *kind, fair_error *err)
{
    unsigned char h[16];
    size_t got;
    FILE *fp = fopen(path, "rb");
    FAIR__RETURN_IF(!fp, FAIR_EIO, err, "cannot open '%s': %s", path, strerror(errno));
    got = fread(h, 1, sizeof h, fp);
    fclose(fp);
    if (got < sizeof h || memcmp(h, MAGIC, sizeof MAGIC) != 0)
        return fair__fail(err, FAIR_EDATA, "'%s' is not a partial state of fairaudit (no magic bytes)",
                          path);
    *kind = h[12] == KIND_RATIO && !h[13] && !h[14] && !h[15] ? FAIR_STATE_RATIO : FAIR_STATE_AUDIT;
    return FAIR_OK;
}

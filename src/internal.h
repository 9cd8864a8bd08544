/* internal.h -- declarations shared by the library's modules; never installed. */
#ifndef FAIR_INTERNAL_H
#define FAIR_INTERNAL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fairaudit/fairaudit.h"

/* ---- allocation (alloc.c): every allocation of the library goes through these ---- */
void *fair__malloc(size_t n);
void *fair__calloc(size_t count, size_t size);
void *fair__realloc(void *p, size_t n);
void fair__free(void *p);
char *fair__strdup(const char *s);
char *fair__strndup(const char *s, size_t n);

/* Fault injection for tests: the (n+1)-th allocation from now on fails, and every one after it.
 * A negative n switches injection off. Returns the number of allocations made since the last call. */
FAIR_API long fair__alloc_fail_after(long n);

/* ---- errors (error.c) ---- */
/* Records a failure in `err` (may be NULL) and returns `code`. The single breakpoint spot. */
fair_status fair__fail(fair_error *err, fair_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* As fair__fail(), with the position of the offending input. */
fair_status fair__fail_at(fair_error *err, fair_status code, size_t line, size_t record,
                          size_t column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#define FAIR__RETURN_IF(cond, status, err, ...)                                                    \
    do {                                                                                           \
        if (cond) return fair__fail((err), (status), __VA_ARGS__);                                 \
    } while (0)
#define FAIR__FORWARD(expr)                                                                        \
    do {                                                                                           \
        fair_status fair__st_ = (expr);                                                            \
        if (fair__st_ != FAIR_OK) return fair__st_;                                                \
    } while (0)

/* Bounded, always-terminated formatting into a fixed buffer (truncates). */
void fair__snprintf(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Neumaier's compensated sum (Neumaier 1974, an improved Kahan summation), for sums of many
 * terms of mixed size (histogram sums, Fisher's tail). */
typedef struct {
    double sum; /* running sum */
    double c;   /* running compensation (the lost low-order part) */
} fair__ksum;

static inline void fair__ksum_add(fair__ksum *k, double v)
{
    double t = k->sum + v;
    if ((k->sum < 0 ? -k->sum : k->sum) >= (v < 0 ? -v : v))
        k->c += (k->sum - t) + v;
    else
        k->c += (v - t) + k->sum;
    k->sum = t;
}

static inline double fair__ksum_value(const fair__ksum *k) { return k->sum + k->c; }

/* A growable byte buffer. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} fair__buf;
void fair__buf_init(fair__buf *b);
void fair__buf_release(fair__buf *b);
fair_status fair__buf_reserve(fair__buf *b, size_t extra);
fair_status fair__buf_append(fair__buf *b, const void *p, size_t n);

/* Writes `path` atomically (report.c): `write` fills a temporary file in the same folder, which
 * is flushed, synced and renamed over `path`; on failure `path` is untouched. */
typedef fair_status (*fair__stream_writer)(FILE *fp, const void *ctx, fair_error *err);
fair_status fair__write_atomic(const char *path, fair__stream_writer write, const void *ctx,
                               fair_error *err);

/* ---- group table (hash.c): key bytes -> confusion cells, open addressing ---- */
/* Cell index of a (label, prediction) pair: (label << 1) | pred, so 0 = tn, 1 = fp, 2 = fn, 3 = tp. */
typedef struct {
    uint64_t n[4];
} fair__cell;

typedef struct {
    uint64_t hash;
    size_t idx; /* entry index + 1; 0 = empty slot */
} fair__slot;

/* A score histogram (score_hist.c): distinct score values with their counts per
 * (label, prediction) cell, in insertion order until sorted. Past `limit` distinct values the
 * scores are rounded to a fixed grid of 2^16 steps over the score range, which keeps it small;
 * whether that happens depends only on the union of the values, so the result does not
 * depend on how rows were split. */
#define FAIR__SCORE_GRID 65536.0
typedef struct {
    double *s;          /* distinct scores */
    uint64_t (*n)[4];   /* per score: counts by cell (label << 1 | pred) */
    size_t count, cap;
    size_t *slots;      /* open addressing on the score's bits: entry + 1; 0 = empty */
    size_t scap;        /* slots: power of two, at most half full */
    int quantized;      /* scores were rounded to the grid */
} fair__shist;

typedef struct {
    double lo, hi;      /* score range of the grid */
    size_t limit;       /* distinct values before rounding to the grid */
} fair__shist_cfg;

void fair__shist_init(fair__shist *h);
void fair__shist_release(fair__shist *h);
fair_status fair__shist_add(fair__shist *h, double s, size_t cell, uint64_t k, const fair__shist_cfg *c);
fair_status fair__shist_merge(fair__shist *dst, const fair__shist *src, const fair__shist_cfg *c);
/* Sorts the entries by score (ascending); the slots are rebuilt. */
fair_status fair__shist_sort(fair__shist *h);

typedef struct {
    fair__slot *slots; /* capacity is a power of two, at most half full */
    size_t cap;
    size_t count;      /* entries */
    fair__buf keys;    /* key bytes of all entries, back to back */
    size_t *key_off;   /* per entry: offset into keys */
    size_t *key_len;   /* per entry: length */
    fair__cell *cells; /* per entry */
    fair__shist *hists; /* per entry, when with_scores */
    int with_scores;
    fair__shist_cfg shcfg;
    size_t entries_cap;
} fair__table;

/* FNV-1a: stable everywhere; keys the bootstrap's random streams (do not change it). */
uint64_t fair__hash(const void *p, size_t n);
/* A faster hash for group-table slots only. */
uint64_t fair__table_hash(const void *p, size_t n);
void fair__table_init(fair__table *t);
/* A table whose entries also keep a score histogram. */
void fair__table_init_scores(fair__table *t, const fair__shist_cfg *c);
void fair__table_release(fair__table *t);
/* Finds the entry for `key`, inserting a zeroed one if absent (*is_new = 1). */
fair_status fair__table_upsert(fair__table *t, const void *key, size_t len, uint64_t hash,
                               size_t *idx, int *is_new);
/* Adds every entry of `src` into `dst` (cell counts summed). */
fair_status fair__table_merge(fair__table *dst, const fair__table *src);
static inline const char *fair__table_key(const fair__table *t, size_t i, size_t *len)
{
    *len = t->key_len[i];
    return t->keys.data + t->key_off[i];
}

/* ---- input sources (source.c): file, standard input, gzip ---- */
typedef struct {
    const char *name;      /* for messages: the path, or "<stdin>" (borrowed) */
    int fd;
    int owns_fd;
    int is_regular;        /* a regular file: its size is known and pread works */
    uint64_t size;         /* size of a regular file in bytes */
    int gzip;              /* gzip magic bytes seen: reads inflate */
    unsigned char head[2]; /* bytes read ahead from a pipe to detect gzip */
    size_t head_len, head_pos;
    void *z;               /* z_stream when gzip */
    unsigned char *zin;    /* compressed input buffer */
    int zin_eof;           /* no more compressed input */
    int zmember_done;      /* the current gzip member ended */
    uint64_t raw_bytes;    /* bytes read from the file (compressed bytes when gzip) */
    uint64_t out_bytes;    /* decompressed bytes handed out (gzip) */
    double max_ratio;      /* gzip: refuse more than max_ratio x compressed + 16 MiB; 0 = off */
} fair__source;

/* Opens `path` ("-" = standard input). A directory, a missing file or an unreadable one is
 * FAIR_EIO with the system's words. */
fair_status fair__source_open(fair__source *s, const char *path, fair_error *err);
/* Sequential read of up to `cap` bytes (decompressed when gzip); *got == 0 at the end. */
fair_status fair__source_read(fair__source *s, char *buf, size_t cap, size_t *got, fair_error *err);
/* Positional read; only for regular, uncompressed files. */
fair_status fair__source_pread(const fair__source *s, char *buf, size_t cap, uint64_t off,
                               size_t *got, fair_error *err);
void fair__source_close(fair__source *s);

/* The calling thread's number inside an OpenMP parallel region (0 without OpenMP), for
 * indexing per-thread slots; OpenMP itself stays in the .c files. */
size_t fair__thread_num(void);

/* ---- CSV ingest (csv_ingest.c): header, row decoding, per-group counting ---- */
enum { FAIR__ROLE_NONE = 0, FAIR__ROLE_GROUP, FAIR__ROLE_LABEL, FAIR__ROLE_PRED, FAIR__ROLE_SCORE };

/* What the header row told us, and how each column is used. */
typedef struct {
    size_t ncols;
    char **names;         /* header names, NUL-terminated copies */
    unsigned char *role;  /* per column: FAIR__ROLE_* */
    size_t *group_of;     /* per column: which group attribute (role GROUP only) */
    size_t n_group;
    size_t *group_col;    /* per group attribute: its column */
    size_t label_col, pred_col, score_col; /* SIZE_MAX = none */
    char delim;
    int comma_decimal;    /* accept ',' as the decimal separator */
} fair__schema;

/* What reading one input produced: counts per group key and rows by fate. */
typedef struct {
    fair__schema schema;
    fair__table table;    /* group key (parts: u32 length + bytes, in --group order) -> cells */
    uint64_t rows_read;   /* data records */
    uint64_t rows_used;
    uint64_t skipped[FAIR_SKIP_COUNT];
    uint64_t lines;       /* physical lines, header included */
    uint64_t bytes;       /* bytes of the input file as stored (compressed when gzip) */
    int gzip;
    size_t threads_used;
} fair__ingest;

fair_status fair__ingest_run(const char *path, const fair_audit_options *o, fair__ingest *res,
                             fair_error *err);

/* What fair__ingest_part() reads of an input, and where its records lay. */
typedef struct {
    const char *header_from; /* NULL, or a file whose first record is the header: the input has none */
    size_t part, n_parts;    /* n_parts > 1: only the records that start in the part'th of n_parts
                                near-equal byte ranges of the data (regular, uncompressed files);
                                parts after the first start after a newline, so the caller checks
                                that each part begins where the one before it ended */
    int allow_empty;         /* no data rows is not an error (an empty shard or part) */
    uint64_t begin, end;     /* out: the byte offsets of the records read, [begin, end) */
} fair__ingest_where;

/* As fair__ingest_run(), for a shard or a part of an input (fair__ingest_where). */
fair_status fair__ingest_part(const char *path, const fair_audit_options *o, fair__ingest_where *w,
                              fair__ingest *res, fair_error *err);
void fair__ingest_release(fair__ingest *res);
/* Splits key `k` of length `len` into its parts; part i is (*ptr[i], len[i]). */
void fair__key_parts(const char *k, size_t len, size_t nparts, const char **ptr, size_t *plen);

/* Number parsing shared by the ingest and the tests: exact (correctly rounded) like strtod. */
int fair__parse_double(const char *s, size_t n, int comma_decimal, double *out);
/* 1 = positive, 0 = negative, -1 = invalid; `positive` NULL means boolean words. */
int fair__parse_bool(const char *s, size_t n, const char *positive);
int fair__utf8_valid(const unsigned char *s, size_t n);

#endif /* FAIR_INTERNAL_H */

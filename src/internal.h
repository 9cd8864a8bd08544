/* internal.h -- declarations shared by the library's modules; never installed. */
#ifndef FAIR_INTERNAL_H
#define FAIR_INTERNAL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
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

/* Radix sorts (sort.c). A (key, value) pair; fair__kv_sort() orders v[0..n) by k, stably
 * (equal keys keep their order, so sorting by the last key first sorts by several keys), with
 * tmp: n pairs of scratch. */
typedef struct {
    uint64_t k, v;
} fair__kv;
void fair__kv_sort(fair__kv *v, fair__kv *tmp, size_t n);
/* A key in the order of the doubles, x not NaN; -0 and +0 get the same key. */
uint64_t fair__f64_key(double x);
/* Sorts x[0..n) ascending (no NaN), as gsl_sort() but in linear time. */
fair_status fair__sort_f64(double *x, size_t n);
/* The same with the caller's scratch of 2 n words, in 8-bit digits: for short arrays sorted
 * many times (a statistic's bootstrap replicates), where 11-bit counters would cost more to
 * clear than the items to place. */
void fair__sort_f64_with(double *x, uint64_t *tmp, size_t n);

/* Neumaier's compensated sum (Neumaier 1974, an improved Kahan summation), for sums of many
 * terms of mixed size (histogram sums, Fisher's tail). */
typedef struct {
    double sum; /* running sum */
    double c;   /* running compensation (the lost low-order part) */
} fair__ksum;

/* Adds v: the compensation gains (big - t) + small, big the addend of larger magnitude. Written
 * with selects instead of a branch (the branch mispredicts on terms of mixed sign). */
static inline void fair__ksum_add(fair__ksum *k, double v)
{
    const double t = k->sum + v;
    const int sum_big = __builtin_fabs(k->sum) >= __builtin_fabs(v);
    const double big = sum_big ? k->sum : v, small = sum_big ? v : k->sum;
    k->c += (big - t) + small;
    k->sum = t;
}

static inline double fair__ksum_value(const fair__ksum *k) { return k->sum + k->c; }

/* The JSON reports' schema_version (docs/json-schema.md), of every kind; bumped on any change. */
#define FAIR__JSON_SCHEMA_VERSION 2

/* A growable byte buffer. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} fair__buf;
void fair__buf_init(fair__buf *b);
void fair__buf_release(fair__buf *b);
fair_status fair__buf_reserve(fair__buf *b, size_t extra);
/* The same without rounding the capacity up: for a buffer whose largest size is known. */
fair_status fair__buf_reserve_exact(fair__buf *b, size_t extra);
fair_status fair__buf_append(fair__buf *b, const void *p, size_t n);

/* Writes `path` atomically (report.c): `write` fills a temporary file in the same folder, which
 * is flushed, synced and renamed over `path`; on failure `path` is untouched. */
typedef fair_status (*fair__stream_writer)(const void *ctx, FILE *fp, fair_error *err);
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
 * depend on how rows were split.
 *
 * The ingest counts a row of a score already seen in the score's slot, beside its bits
 * (fair__shist_add), so that a row touches one cache line: a slot is 32 bytes and the slots
 * are 32-byte aligned. A slot's counts are 32-bit and pending: an entry's count in a cell is
 * n[e][cell] plus its slot's pend[cell], and a slot count that wraps round to 0 adds 2^32 to
 * n[e][cell] there and then. fair__shist_flush() moves the pending counts into n; every
 * function that reads n or s flushes first or requires a flushed histogram (said at each). */
#define FAIR__SCORE_GRID 65536.0
typedef struct {
    uint64_t bits;      /* the score's bits (-0.0 folded into +0.0) */
    size_t e;           /* entry + 1; 0 = empty */
    uint32_t pend[4];   /* rows counted here and not yet in n[e - 1], by cell */
} fair__shist_slot;

typedef struct {
    double *s;          /* distinct scores */
    uint64_t (*n)[4];   /* per score: counts by cell (label << 1 | pred), less pending ones */
    size_t count, cap;
    fair__shist_slot *slots; /* open addressing on the score's bits, which each slot keeps, so
                              * that a lookup and a count touch one slot; 32-byte aligned */
    void *slot_mem;     /* the allocation that holds `slots` */
    size_t scap;        /* slots: power of two, at most half full */
    int quantized;      /* scores were rounded to the grid */
} fair__shist;

typedef struct {
    double lo, hi;      /* score range of the grid */
    size_t limit;       /* distinct values before rounding to the grid */
} fair__shist_cfg;

void fair__shist_init(fair__shist *h);
void fair__shist_release(fair__shist *h);
/* Adds k rows of score s to cell `cell`; fair__shist_add_new() for a value not in the table
 * yet, or any value once the table is on the grid. The counts go into n (none pending). */
fair_status fair__shist_add_new(fair__shist *h, double s, size_t cell, uint64_t k,
                                const fair__shist_cfg *c);
/* Moves the counts pending in the slots into n (O(slots)); after it the histogram is flushed
 * until the next fair__shist_add(). */
void fair__shist_flush(fair__shist *h);

/* The slot of bits b in a table of mask + 1 slots (MurmurHash3's 64-bit finaliser). */
static inline size_t fair__shist_slot_of(uint64_t b, size_t mask)
{
    b ^= b >> 33;
    b *= 0xff51afd7ed558ccdULL;
    b ^= b >> 33;
    return (size_t)b & mask;
}

/* The bits of score s, -0.0 folded into +0.0 so both land on one entry. */
static inline uint64_t fair__shist_bits(double s)
{
    uint64_t b;
    s += 0.0;
    memcpy(&b, &s, sizeof b);
    return b;
}

/* Adds one row of score s to cell `cell` (the ingest, once per row): a value seen before is
 * counted in its slot, pending (see fair__shist), and nothing else changes; any other case
 * goes to fair__shist_add_new(). */
static inline fair_status fair__shist_add(fair__shist *h, double s, size_t cell,
                                          const fair__shist_cfg *c)
{
    if (h->scap && !h->quantized) {
        const uint64_t b = fair__shist_bits(s);
        const size_t mask = h->scap - 1;
        for (size_t j = fair__shist_slot_of(b, mask); h->slots[j].e; j = (j + 1) & mask) {
            fair__shist_slot *sl = &h->slots[j];
            if (sl->bits == b) {
                if (++sl->pend[cell & 3] == 0)
                    h->n[sl->e - 1][cell & 3] += UINT64_C(1) << 32; /* the wrap's carry */
                return FAIR_OK;
            }
        }
    }
    return fair__shist_add_new(h, s, cell, 1, c);
}
/* Adds src's entries to dst; src must be flushed. */
fair_status fair__shist_merge(fair__shist *dst, const fair__shist *src, const fair__shist_cfg *c);
/* Sorts the entries by score (ascending), flushing first; the slots are rebuilt. */
fair_status fair__shist_sort(fair__shist *h);

typedef struct {
    fair__slot *slots; /* capacity is a power of two, at most half full */
    size_t cap;
    size_t count;      /* entries */
    fair__buf keys;    /* key bytes of all entries, back to back */
    size_t *key_off;   /* per entry: offset into keys */
    size_t *key_len;   /* per entry: length */
    uint64_t *key_hash; /* per entry: the hash it was added with, which merges reuse */
    fair__cell *cells; /* per entry */
    fair__shist *hists; /* per entry, when with_scores */
    int with_scores;
    fair__shist_cfg shcfg;
    size_t entries_cap;
} fair__table;

/* FNV-1a: stable everywhere; keys the bootstrap's random streams (do not change it). */
uint64_t fair__hash(const void *p, size_t n);

/* PCG32's LCG multiplier, PCG_DEFAULT_MULTIPLIER_64 of pcg-c-basic (pcg_basic.c). */
#define FAIR__PCG32_MULT UINT64_C(6364136223846793005)

/* fair_rng_u32() in line: advances the LCG and returns the XSH-RR output of the OLD state,
 * pcg32_random_r of pcg-c-basic line for line. Rotation by `rot` is written as
 * (x >> rot) | (x << (-rot & 31)) so that rot == 0 does not shift by 32 (undefined
 * behaviour). */
static inline uint32_t fair__pcg32_next(fair_rng *r)
{
    uint64_t old = r->state;
    uint32_t xorshifted, rot;
    r->state = old * FAIR__PCG32_MULT + r->inc;
    xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((0u - rot) & 31u));
}

/* fair_rng_uniform() in line: two 32-bit draws, the first giving the high word, form 64 bits;
 * their top 53 bits times 2^-53 give a double in [0, 1) on the grid k / 2^53, every point
 * equally likely (exact: no rounding happens in the conversion or the scaling). */
static inline double fair__rng_uniform(fair_rng *r)
{
    uint64_t hi = fair__pcg32_next(r);
    uint64_t lo = fair__pcg32_next(r);
    uint64_t bits = ((hi << 32u) | lo) >> 11u;
    return (double)bits * 0x1.0p-53;
}

/* A Binomial(n, p) variate drawn from r (binomial.c: inversion for a mean below 10, else
 * Hormann's BTRD); p outside (0, 1) gives 0 or n. */
uint64_t fair__binomial(fair_rng *r, uint64_t n, double p);
/* A multinomial down a complete binary tree of `leaves` leaves (a power of two): node j
 * (1 <= j < leaves) splits its count c[j] into c[2j] ~ Binomial(c[j], split[j]) and c[2j + 1];
 * c[1] = n, and the leaves' counts end in c[leaves .. 2 leaves). Level by level, so the draws
 * of a level are independent of one another. */
void fair__multinomial_tree(fair_rng *r, uint64_t n, const double *split, size_t leaves,
                            uint64_t *c);
/* binomial.c's fc(k), the error of Stirling's formula for log(k!) (for its unit test). */
double fair__stirling_tail(double k);

/* n draws of fair_rng_bounded(r, bound) into out, in order (rng.c). */
void fair__rng_bounded_fill(fair_rng *r, uint32_t bound, uint32_t *out, size_t n);

/* Unaligned native-endian loads of 4 and 8 bytes (one instruction each where allowed). */
static inline uint64_t fair__load64(const unsigned char *s)
{
    uint64_t v;
    memcpy(&v, s, 8);
    return v;
}
static inline uint32_t fair__load32(const unsigned char *s)
{
    uint32_t v;
    memcpy(&v, s, 4);
    return v;
}

/* The group table's hash, inline for the ingest's per-row use: the length, then eight bytes at
 * a time, each word multiplied and mixed in (SplitMix64-style constants); the last 1 to 16
 * bytes as two words from overlapping fixed-size loads (8 or 4 bytes; three single bytes for
 * n < 4), so that every byte is in a word. Only for table slots, never for anything that
 * reaches a report, so it may differ between byte orders. */
static inline uint64_t fair__table_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n, a, b;
    for (; n > 16; s += 8, n -= 8) {
        h = (h ^ (fair__load64(s) * 0xbf58476d1ce4e5b9ULL)) * 0x94d049bb133111ebULL;
        h ^= h >> 31;
    }
    if (n >= 8) {
        a = fair__load64(s), b = fair__load64(s + n - 8);
    } else if (n >= 4) {
        a = fair__load32(s), b = fair__load32(s + n - 4);
    } else {
        a = n ? s[0] | (uint64_t)s[n >> 1] << 8 | (uint64_t)s[n - 1] << 16 : 0;
        b = 0;
    }
    h = (h ^ (a * 0xbf58476d1ce4e5b9ULL)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
    h = (h ^ (b * 0xbf58476d1ce4e5b9ULL)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
}

/* The hash of an ingest group key (parts: a 4-byte length and the bytes, in --group order):
 * each part's fair__table_hash(), combined in order. The ingest computes the same from the
 * values where they lie in the line (csv_ingest.c, group_key_hash()); every table of group keys
 * (a state read back, a merge, a ratio study's sales) must hash its keys this way, or a merge
 * would not find a key that is there. */
static inline uint64_t fair__group_key_hash(const char *key, size_t len)
{
    uint64_t h = 0;
    while (len >= 4) {
        uint32_t l;
        memcpy(&l, key, 4);
        if (l > len - 4) l = (uint32_t)(len - 4); /* a malformed key: hashed, never read past */
        h = (h ^ (h >> 31)) * 0x9e3779b97f4a7c15ULL;
        h ^= fair__table_hash(key + 4, l);
        key += 4 + l;
        len -= 4 + (size_t)l;
    }
    return h;
}

/* Equality of two keys of n bytes; those of 8 to 16 bytes (most group keys) by two
 * overlapping 8-byte loads each instead of a call to memcmp. */
static inline int fair__key_eq(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    if (n - 8 <= 8) /* 8 <= n <= 16 */
        return ((fair__load64(x) ^ fair__load64(y)) |
                (fair__load64(x + n - 8) ^ fair__load64(y + n - 8))) == 0;
    if (n - 4 <= 3) /* 4 <= n <= 7 */
        return ((fair__load32(x) ^ fair__load32(y)) |
                (fair__load32(x + n - 4) ^ fair__load32(y + n - 4))) == 0;
    return n == 0 || memcmp(a, b, n) == 0; /* an empty key may have no bytes at all (NULL) */
}
void fair__table_init(fair__table *t);
/* A table whose entries also keep a score histogram. */
void fair__table_init_scores(fair__table *t, const fair__shist_cfg *c);
void fair__table_release(fair__table *t);
/* Whether entry e of t (e < t->count) has the key made of the parts (base + off[i], len[i]),
 * i < nparts, each stored as a 4-byte length and the bytes; `klen` is that key's length. */
static inline int fair__table_entry_is_parts(const fair__table *t, size_t e, size_t klen,
                                             size_t nparts, const char *base, const size_t *off,
                                             const size_t *len)
{
    const unsigned char *k = (const unsigned char *)t->keys.data + t->key_off[e];
    if (t->key_len[e] != klen) return 0;
    for (size_t i = 0; i < nparts; i++) {
        if (fair__load32(k) != len[i] || !fair__key_eq(k + 4, base + off[i], len[i])) return 0;
        k += 4 + len[i];
    }
    return 1;
}
/* The entry whose key is the parts (base + off[i], len[i]), i < nparts, each stored as a 4-byte
 * length and the bytes (the ingest's group keys; `klen` is the whole key's length), or
 * SIZE_MAX when there is none: the lookup alone, inline and without building the key, for the
 * ingest's per-row use; fair__table_upsert() adds a new key. */
static inline size_t fair__table_find_parts(const fair__table *t, uint64_t hash, size_t klen,
                                            size_t nparts, const char *base, const size_t *off,
                                            const size_t *len)
{
    const size_t mask = t->cap - 1;
    if (t->cap == 0) return SIZE_MAX;
    for (size_t j = (size_t)hash & mask; t->slots[j].idx; j = (j + 1) & mask) {
        const size_t e = t->slots[j].idx - 1;
        if (t->slots[j].hash == hash &&
            fair__table_entry_is_parts(t, e, klen, nparts, base, off, len))
            return e;
    }
    return SIZE_MAX;
}
/* Finds the entry for `key`, inserting a zeroed one if absent (*is_new = 1). `hash` is
 * fair__table_hash(key, len), or for every key of the table another function of the key. */
fair_status fair__table_upsert(fair__table *t, const void *key, size_t len, uint64_t hash,
                               size_t *idx, int *is_new);
/* Adds every entry of `src` into `dst` (cell counts summed), with the hash it was added with:
 * both tables must hash keys alike. src's score histograms must be flushed. */
fair_status fair__table_merge(fair__table *dst, const fair__table *src);
/* Flushes every score histogram of t (fair__shist_flush): the ingest calls it when it has
 * counted its last row into t, before anything reads the table. */
void fair__table_flush_scores(fair__table *t);
static inline const char *fair__table_key(const fair__table *t, size_t i, size_t *len)
{
    *len = t->key_len[i];
    /* Only empty keys (a ratio study without group columns) store no bytes: keys.data NULL. */
    return t->keys.data ? t->keys.data + t->key_off[i] : "";
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
    void *hash;            /* SHA-256 of the bytes as stored (source.c); NULL until opened */
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
/* A regular file's SHA-256 in a thread of its own that reads it beside the parse (nothing for
 * a stream: it is hashed as it is read). */
fair_status fair__source_hash_in_background(fair__source *s, fair_error *err);
/* The next `n` bytes of a regular file, in file order from its start, into its SHA-256, for a
 * parse that reads every byte anyway. Not with fair__source_hash_in_background(). */
void fair__source_hash_add(fair__source *s, const void *data, size_t n);
/* The SHA-256 of the whole input as stored (compressed bytes for gzip). A regular file is
 * hashed by its background thread, or from what fair__source_hash_add() was given when that
 * was the whole file, or else here, reading it again; a stream is hashed as it is read, so it
 * must have been read to its end. Call once, after the last read. */
fair_status fair__source_sha256(fair__source *s, unsigned char digest[32], fair_error *err);

/* The calling thread's number inside an OpenMP parallel region (0 without OpenMP), for
 * indexing per-thread slots; OpenMP itself stays in the .c files. */
size_t fair__thread_num(void);
/* The threads to use for a requested count: n, or with 0 OpenMP's default (the CPUs); always 1
 * without OpenMP. */
size_t fair__threads(size_t n);

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
    const struct fair__sale_cols *sales; /* a ratio study's columns (fair__ingest_sales); NULL */
    size_t assessed_col, sale_col;       /* SIZE_MAX = none */
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
    unsigned char sha256[32]; /* SHA-256 of those bytes */
    int gzip;
    size_t threads_used;
    /* a ratio study (fair__ingest_sales): the sales kept, in no particular order */
    struct fair__sale *sales;
    size_t n_sales, sales_cap;
    uint64_t vskipped[FAIR_RATIO_SKIP_COUNT]; /* skipped for an assessed value or sale price */
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
    int skip_digest;         /* a part after the first: no SHA-256 (fair__ingest.sha256 zero) */
    uint64_t begin, end;     /* out: the byte offsets of the records read, [begin, end) */
} fair__ingest_where;

/* As fair__ingest_run(), for a shard or a part of an input (fair__ingest_where). */
fair_status fair__ingest_part(const char *path, const fair_audit_options *o, fair__ingest_where *w,
                              fair__ingest *res, fair_error *err);
void fair__ingest_release(fair__ingest *res);

/* A ratio study's ingest: roles for two numeric columns, and a sink that keeps one
 * (group, assessed, sale price) per valid row. No label or prediction column is read. */
enum { FAIR__ROLE_ASSESSED = FAIR__ROLE_SCORE + 1, FAIR__ROLE_SALE };
typedef struct fair__sale_cols {
    const char *assessed_col, *sale_col;
    uint64_t max_sales;   /* FAIR_ELIMIT beyond this many sales */
} fair__sale_cols;
typedef struct fair__sale {
    double a, s;          /* assessed value, sale price; both > 0 and finite */
    size_t key;           /* entry of the ingest's group table */
} fair__sale;
/* Sorts sales by (key, sale price, assessed value), stably: the ratio study's canonical order
 * when key is the rank of the sale's group in bytewise key order (ratio.c). FAIR_ENOMEM when
 * out of memory, the sales left as they were. */
fair_status fair__sort_sales(fair__sale *x, size_t n);
/* As fair__ingest_run(), keeping the sales in res->sales; o->label_col is not used. Rows with a
 * missing, invalid or non-positive value are counted in res->vskipped (errors under strict). */
fair_status fair__ingest_sales(const char *path, const fair_audit_options *o,
                               const fair__sale_cols *cols, fair__ingest *res, fair_error *err);
/* As fair__ingest_sales(), for a shard or a part of an input (fair__ingest_where). */
fair_status fair__ingest_sales_part(const char *path, const fair_audit_options *o,
                                    const fair__sale_cols *cols, fair__ingest_where *w,
                                    fair__ingest *res, fair_error *err);
/* Appends the sales of `src` to those of `dst`, each renumbered from src's group entry to that
 * of the same key in `merged` (which must hold every key of src's table: merge the tables
 * first). FAIR_ELIMIT when dst would hold more than max_sales; FAIR_ENOMEM. */
fair_status fair__sales_append(fair__ingest *dst, const fair__table *merged, const fair__ingest *src,
                               uint64_t max_sales);
/* Splits key `k` of length `len` into its parts; part i is (*ptr[i], len[i]). */
void fair__key_parts(const char *k, size_t len, size_t nparts, const char **ptr, size_t *plen);

/* Number parsing shared by the ingest and the tests: exact (correctly rounded) like strtod. */
int fair__parse_double(const char *s, size_t n, int comma_decimal, double *out);
/* The ingest's fast path for the usual score (csv_ingest.c): digits, optionally a decimal
 * separator and digits, at most 16 bytes and 15 digits, no sign or blanks; the same bits as
 * fair__parse_double(), or 0 for any other text. */
int fair__parse_usual_decimal(const char *s, size_t n, int comma_decimal, double *out);
/* 1 = positive, 0 = negative, -1 = invalid; `positive` NULL means boolean words. */
int fair__parse_bool(const char *s, size_t n, const char *positive);
int fair__utf8_valid(const unsigned char *s, size_t n);

#endif /* FAIR_INTERNAL_H */

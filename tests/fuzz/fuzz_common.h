/* fuzz_common.h -- helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.c): the fuzz
 * input becomes a file that fair_audit_run() can open by path (a memfd, or a file in /tmp when
 * memfd_create is unavailable), optionally gzip-compressed or behind a pipe, and the audit
 * options are derived from the input's first bytes. Header-only: each target is one file. */
#ifndef FAIR_FUZZ_COMMON_H
#define FAIR_FUZZ_COMMON_H
#include <fairaudit/fairaudit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz invariant violated: %s (%s:%d)\n", #cond, __FILE__, __LINE__);  \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The reusable backing file: one per process, rewritten for every input. */
typedef struct {
    int fd;
    char path[64];
} fuzz_file;

static fuzz_file fuzz_the_file = {-1, ""};

/* Replaces the bytes of the backing file `f` (created on first use; initialise as
 * {-1, ""}) with `data` and returns its path. */
static const char *fuzz_put_file_in(fuzz_file *f, const void *data, size_t n)
{
    if (f->fd < 0) {
        f->fd = memfd_create("fairaudit-fuzz", MFD_CLOEXEC);
        if (f->fd >= 0) {
            snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
            if (access(f->path, R_OK) != 0) { /* no /proc: fall back to a real file */
                close(f->fd);
                f->fd = -1;
            }
        }
        if (f->fd < 0) {
            const char *tmp = getenv("TMPDIR");
            snprintf(f->path, sizeof f->path, "%s/fairaudit-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
            f->fd = mkstemp(f->path);
            FUZZ_CHECK(f->fd >= 0, "cannot create a scratch file");
        }
    }
    FUZZ_CHECK(ftruncate(f->fd, 0) == 0, "ftruncate");
    for (size_t done = 0; done < n;) {
        ssize_t w = pwrite(f->fd, (const char *)data + done, n - done, (off_t)done);
        FUZZ_CHECK(w > 0, "pwrite");
        done += (size_t)w;
    }
    return f->path;
}

/* As fuzz_put_file_in(), with the process's one default backing file. */
static inline const char *fuzz_put_file(const void *data, size_t n)
{
    return fuzz_put_file_in(&fuzz_the_file, data, n);
}

/* A pipe holding `data` with its write end closed: the streaming (non-regular) source path.
 * Returns the read end, or -1 when the data would not fit in the pipe's buffer. */
static int fuzz_put_pipe(const void *data, size_t n, char *path, size_t cap)
{
    int p[2];
    if (n > 60000 || pipe(p) != 0) return -1; /* a pipe holds 64 KiB by default */
    for (size_t done = 0; done < n;) {
        ssize_t w = write(p[1], (const char *)data + done, n - done);
        FUZZ_CHECK(w > 0, "write to pipe");
        done += (size_t)w;
    }
    close(p[1]);
    snprintf(path, cap, "/proc/self/fd/%d", p[0]);
    return p[0];
}

/* gzip-compresses `data` (one member, or two when `two_members`); the caller frees *out. */
static size_t fuzz_gzip(const uint8_t *data, size_t n, int level, int two_members, uint8_t **out)
{
    size_t cut = two_members ? n / 2 : n, total = 0;
    size_t cap = compressBound((uLong)n) + 64;
    uint8_t *buf = malloc(cap);
    FUZZ_CHECK(buf != NULL, "malloc");
    for (int part = 0; part < (two_members ? 2 : 1); part++) {
        const uint8_t *src = part ? data + cut : data;
        size_t len = part ? n - cut : cut;
        z_stream z;
        memset(&z, 0, sizeof z);
        FUZZ_CHECK(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK,
                   "deflateInit2");
        z.next_in = (Bytef *)(uintptr_t)src;
        z.avail_in = (uInt)len;
        z.next_out = buf + total;
        z.avail_out = (uInt)(cap - total);
        FUZZ_CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate");
        total = cap - z.avail_out;
        deflateEnd(&z);
    }
    *out = buf;
    return total;
}

/* The column names every target asks for; the corpus and the dictionary use them. */
static const char *const fuzz_groups[] = {"g", "h"};

/* Options from the first four bytes of the input (the rest is the file). Each byte is XORed
 * with 0x60 first, so that a seed file whose header is "`" characters and lower-case letters
 * asks for plain options and stays readable text; the fuzzer still reaches every value.
 *   b0: bits 0-1 delimiter (detect, ';', TAB, '|'); bit 2 decimal comma; bit 3 two group
 *       columns with --intersect; bit 4 gzip; bit 5 pipe; bit 6 prediction from
 *       score >= threshold; bit 7 two gzip members
 *   b1: bits 0-4 chunk_bytes - 1 (1..32) for the threaded parse; bit 5 strict; bit 6 small
 *       field and line limits; bit 7 small group and column limits
 *   b2: the small limits' values, and the threshold (b2 / 255)
 *   b3: bit 0 label positive class "a"; bit 1 prediction positive class "a"; bit 2 a score
 *       column "s" with the range [-10, 10]; bits 3-6 gzip level (mod 10)
 * Returns the number of header bytes consumed (0 when the input is too short). */
typedef struct {
    fair_audit_options o;
    int gzip, pipe, two_members, level;
} fuzz_setup;

#define FUZZ_XOR 0x60

static size_t fuzz_options(const uint8_t *in, size_t n, fuzz_setup *s)
{
    static const char delims[] = {0, ';', '\t', '|'};
    fair_audit_options *o = &s->o;
    uint8_t d[4];
    if (n < 4) return 0;
    for (size_t i = 0; i < 4; i++) d[i] = (uint8_t)(in[i] ^ FUZZ_XOR);
    fair_audit_options_init(o);
    o->group_cols = fuzz_groups;
    o->n_group_cols = d[0] & 8 ? 2 : 1;
    o->intersect = (d[0] & 8) != 0;
    o->label_col = "y";
    o->delimiter = delims[d[0] & 3];
    o->decimal = d[0] & 4 ? ',' : 0;
    s->gzip = (d[0] & 0x10) != 0;
    s->pipe = (d[0] & 0x20) != 0;
    s->two_members = (d[0] & 0x80) != 0;
    if (d[0] & 0x40) {
        o->score_col = "s";
        o->use_threshold = 1;
        o->threshold = d[2] / 255.0;
    } else {
        o->pred_col = "p";
        o->score_col = d[3] & 4 ? "s" : NULL; /* a score column that is only validated */
    }
    o->chunk_bytes = (size_t)(d[1] & 31) + 1;
    o->strict = (d[1] & 0x20) != 0;
    if (d[1] & 0x40) {
        o->max_field_bytes = 4 + (size_t)(d[2] & 31);
        o->max_line_bytes = 8 + (size_t)(d[2] & 63);
    }
    if (d[1] & 0x80) {
        o->max_groups = 1 + (size_t)(d[2] & 3);
        o->max_columns = 2 + (size_t)(d[2] >> 5);
    }
    o->label_positive = d[3] & 1 ? "a" : NULL;
    o->pred_positive = d[3] & 2 ? "a" : NULL;
    if (d[3] & 4) {
        o->score_min = -10.0;
        o->score_max = 10.0;
    }
    s->level = ((d[3] >> 3) & 15) % 10;
    o->bootstrap = 0;
    o->min_group_size = 2;
    o->n_threads = 1;
    return 4;
}

/* Runs the audit on `data` as the setup asks (file, gzip, pipe) with `threads` threads. */
static fair_status fuzz_run(const fuzz_setup *s, const uint8_t *data, size_t n, size_t threads,
                            fair_audit **a, fair_error *err)
{
    fair_audit_options o = s->o;
    uint8_t *gz = NULL;
    const char *path;
    char pipe_path[64];
    int pfd = -1;
    fair_status st;
    if (s->gzip) n = fuzz_gzip(data, n, s->level, s->two_members, &gz), data = gz;
    o.n_threads = threads;
    if (s->pipe) pfd = fuzz_put_pipe(data, n, pipe_path, sizeof pipe_path);
    path = pfd >= 0 ? pipe_path : fuzz_put_file(data, n);
    fair_error_init(err);
    *a = NULL;
    st = fair_audit_run(path, &o, a, err);
    if (pfd >= 0) close(pfd);
    free(gz);
    FUZZ_CHECK((st == FAIR_OK) == (*a != NULL), "status %d but audit %p", (int)st, (void *)*a);
    FUZZ_CHECK(st == FAIR_OK || err->msg[0] != '\0', "status %d without a message", (int)st);
    return st;
}

#endif /* FAIR_FUZZ_COMMON_H */

/* source.c -- where the bytes come from: a regular file (positional reads for parallel
 * parsing), standard input or a pipe, and gzip (one or more members, detected by the magic
 * bytes 1f 8b, inflated with zlib, read by one thread). Also the SHA-256 of the input as
 * stored (OpenSSL libcrypto): a stream is hashed as it is read; a regular file either by the
 * parse itself, whose parallel jobs hand over the bytes they read in file order
 * (fair__source_hash_add), or by a thread of its own that reads it from start to end while the
 * parse runs (fair__source_hash_in_background), or at the end (fair__source_sha256). */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "internal.h"

#define ZIN_SIZE ((size_t)1 << 18)
#define HASH_BLOCK ((size_t)1 << 20) /* bytes per read of the hashing thread */

/* The running SHA-256 of a source. */
typedef struct {
    EVP_MD_CTX *ctx;
    unsigned char *buf;  /* HASH_BLOCK bytes for the hashing thread */
    pthread_t thread;
    int thread_started;
    atomic_int stop;     /* set by close(): the thread gives up */
    fair_status st;      /* the thread's outcome */
    int err_no;          /* errno of a failed read */
    int fd;
    uint64_t size;
    uint64_t added;      /* bytes given to fair__source_hash_add() */
    int failed;          /* a digest call failed */
} hasher;

/* The hashing thread of a regular file: reads [0, size) in order and hashes it. */
static void *hash_file(void *arg)
{
    hasher *h = arg;
    uint64_t off = 0;
    while (off < h->size && !atomic_load(&h->stop)) {
        size_t want = h->size - off < HASH_BLOCK ? (size_t)(h->size - off) : HASH_BLOCK;
        ssize_t r = pread(h->fd, h->buf, want, (off_t)off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            h->err_no = r < 0 ? errno : EIO;
            h->st = FAIR_EIO;
            return NULL;
        }
        if (EVP_DigestUpdate(h->ctx, h->buf, (size_t)r) != 1) h->failed = 1;
        off += (uint64_t)r;
    }
    return NULL;
}

/* The SHA-256 state of a source just opened; nothing is hashed yet. */
static fair_status hash_start(fair__source *s, fair_error *err)
{
    hasher *h = fair__calloc(1, sizeof *h);
    if (!h) return fair__fail(err, FAIR_ENOMEM, "out of memory opening '%s'", s->name);
    s->hash = h;
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        return fair__fail(err, FAIR_ENOMEM, "cannot start SHA-256 of '%s'", s->name);
    h->fd = s->fd;
    h->size = s->size;
    return FAIR_OK;
}

/* Hashes a regular file from its start in a thread of its own (thread = 1) or in the calling
 * thread, dropping whatever fair__source_hash_add() was given. */
static fair_status hash_whole(fair__source *s, int thread, fair_error *err)
{
    hasher *h = s->hash;
    if (h->thread_started) return FAIR_OK;
    if (h->added && EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) h->failed = 1;
    h->added = 0;
    if (s->size == 0) return FAIR_OK;
    if (!h->buf && !(h->buf = fair__malloc(HASH_BLOCK)))
        return fair__fail(err, FAIR_ENOMEM, "out of memory hashing '%s'", s->name);
    if (!thread) {
        hash_file(h);
        return FAIR_OK;
    }
    if (pthread_create(&h->thread, NULL, hash_file, h) != 0)
        return fair__fail(err, FAIR_ENOMEM, "cannot start a thread to hash '%s'", s->name);
    h->thread_started = 1;
    return FAIR_OK;
}

fair_status fair__source_hash_in_background(fair__source *s, fair_error *err)
{
    if (!s->is_regular) return FAIR_OK; /* hashed as it is read */
    return hash_whole(s, 1, err);
}

void fair__source_hash_add(fair__source *s, const void *data, size_t n)
{
    hasher *h = s->hash;
    if (n && EVP_DigestUpdate(h->ctx, data, n) != 1) h->failed = 1;
    h->added += n;
}

static void hash_join(hasher *h)
{
    if (h->thread_started) {
        pthread_join(h->thread, NULL);
        h->thread_started = 0;
    }
}

fair_status fair__source_sha256(fair__source *s, unsigned char digest[32], fair_error *err)
{
    hasher *h = s->hash;
    unsigned int len = 0;
    if (!h) return fair__fail(err, FAIR_EINTERNAL, "no SHA-256 of '%s'", s->name);
    /* A regular file that the parse did not hand over whole (fair__source_hash_add) and that no
     * thread hashes: hashed here. */
    if (s->is_regular && !h->thread_started && h->added != s->size) {
        FAIR__FORWARD(hash_whole(s, 0, err));
    }
    hash_join(h);
    if (h->st != FAIR_OK)
        return fair__fail(err, h->st, "cannot read '%s': %s", s->name, strerror(h->err_no));
    if (h->failed || EVP_DigestFinal_ex(h->ctx, digest, &len) != 1 || len != 32)
        return fair__fail(err, FAIR_ENOMEM, "cannot compute the SHA-256 of '%s'", s->name);
    return FAIR_OK;
}

/* read(2) that retries on EINTR. */
static fair_status raw_read(fair__source *s, void *buf, size_t cap, size_t *got, fair_error *err)
{
    ssize_t r;
    do {
        r = read(s->fd, buf, cap);
    } while (r < 0 && errno == EINTR);
    if (r < 0) return fair__fail(err, FAIR_EIO, "cannot read '%s': %s", s->name, strerror(errno));
    *got = (size_t)r;
    s->raw_bytes += (uint64_t)r;
    /* A regular file is hashed by its own thread (hash_file); a stream here, as it passes. */
    if (!s->is_regular && r > 0 && EVP_DigestUpdate(((hasher *)s->hash)->ctx, buf, (size_t)r) != 1)
        ((hasher *)s->hash)->failed = 1;
    return FAIR_OK;
}

/* Reads raw bytes, first returning any read-ahead bytes. */
static fair_status next_raw(fair__source *s, void *buf, size_t cap, size_t *got, fair_error *err)
{
    if (s->head_pos < s->head_len) {
        size_t n = s->head_len - s->head_pos;
        if (n > cap) n = cap;
        memcpy(buf, s->head + s->head_pos, n);
        s->head_pos += n;
        *got = n;
        return FAIR_OK;
    }
    return raw_read(s, buf, cap, got, err);
}

fair_status fair__source_open(fair__source *s, const char *path, fair_error *err)
{
    fair_status rc = FAIR_EIO;
    struct stat st;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    if (strcmp(path, "-") == 0) {
        s->name = "<stdin>";
        s->fd = 0;
    } else {
        s->name = path;
        do {
            s->fd = open(path, O_RDONLY);
        } while (s->fd < 0 && errno == EINTR);
        if (s->fd < 0) return fair__fail(err, FAIR_EIO, "cannot open '%s': %s", path, strerror(errno));
        s->owns_fd = 1;
    }
    if (fstat(s->fd, &st) != 0) {
        rc = fair__fail(err, FAIR_EIO, "cannot stat '%s': %s", s->name, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = fair__fail(err, FAIR_EIO, "cannot read '%s': Is a directory", s->name);
        goto fail;
    }
    /* Standard input redirected from a file can start past the file's beginning
     * ("{ read -r _; fairaudit audit -; } < f"): positional reads, which count from the
     * beginning, would see bytes before it. Such an input is read as a stream. */
    if (S_ISREG(st.st_mode) && (s->owns_fd || lseek(s->fd, 0, SEEK_CUR) == 0)) {
        s->is_regular = 1;
        s->size = (uint64_t)st.st_size;
        if ((rc = hash_start(s, err)) != FAIR_OK) goto fail;
        if (s->size >= 2) {
            size_t got = 0;
            if ((rc = fair__source_pread(s, (char *)s->head, 2, 0, &got, err)) != FAIR_OK) goto fail;
            s->gzip = got == 2 && s->head[0] == 0x1f && s->head[1] == 0x8b;
        }
    } else {
        if ((rc = hash_start(s, err)) != FAIR_OK) goto fail;
        /* A pipe: read ahead up to two bytes to see the magic, and replay them. */
        while (s->head_len < 2) {
            size_t got;
            if ((rc = raw_read(s, s->head + s->head_len, 2 - s->head_len, &got, err)) != FAIR_OK) goto fail;
            if (got == 0) break;
            s->head_len += got;
        }
        s->gzip = s->head_len == 2 && s->head[0] == 0x1f && s->head[1] == 0x8b;
    }
    if (s->gzip) {
        z_stream *z = fair__calloc(1, sizeof *z);
        s->zin = fair__malloc(ZIN_SIZE);
        s->z = z;
        if (!z || !s->zin) {
            rc = fair__fail(err, FAIR_ENOMEM, "out of memory opening '%s'", s->name);
            goto fail;
        }
        if (inflateInit2(z, 16 + MAX_WBITS) != Z_OK) {
            fair__free(z);
            s->z = NULL;
            rc = fair__fail(err, FAIR_ENOMEM, "cannot start gzip decompression of '%s'", s->name);
            goto fail;
        }
    }
    return FAIR_OK;
fail:
    /* The status, not err->code: `err` may be NULL. */
    fair__source_close(s);
    return rc;
}

/* Inflates into `buf`; handles concatenated members and reports truncation. */
static fair_status gz_read(fair__source *s, char *buf, size_t cap, size_t *got, fair_error *err)
{
    z_stream *z = s->z;
    z->next_out = (Bytef *)buf;
    z->avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
    while (z->avail_out > 0) {
        int rc;
        if (z->avail_in == 0 && !s->zin_eof) {
            size_t n;
            FAIR__FORWARD(next_raw(s, s->zin, ZIN_SIZE, &n, err));
            if (n == 0) s->zin_eof = 1;
            z->next_in = s->zin;
            z->avail_in = (uInt)n;
        }
        if (s->zmember_done) {
            if (z->avail_in == 0 && s->zin_eof) break; /* clean end after a whole member */
            if (z->avail_in >= 1 && z->next_in[0] != 0x1f)
                return fair__fail(err, FAIR_EIO, "cannot read '%s': trailing data after the gzip stream", s->name);
            inflateReset(z);
            s->zmember_done = 0;
        }
        if (z->avail_in == 0 && s->zin_eof)
            return fair__fail(err, FAIR_EIO, "cannot read '%s': truncated gzip stream", s->name);
        rc = inflate(z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s->zmember_done = 1;
        } else if (rc == Z_MEM_ERROR) {
            return fair__fail(err, FAIR_ENOMEM, "out of memory decompressing '%s'", s->name);
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return fair__fail(err, FAIR_EIO, "cannot read '%s': corrupt gzip data (%s)", s->name,
                              z->msg ? z->msg : "inflate failed");
        }
    }
    *got = cap - z->avail_out;
    s->out_bytes += *got;
    /* A decompression bomb: far more output than any real CSV compresses to. The slack lets
     * small, highly repetitive files through. */
    if (s->max_ratio > 0 &&
        (double)s->out_bytes > s->max_ratio * (double)s->raw_bytes + (double)(16u << 20))
        return fair__fail(err, FAIR_ELIMIT,
                          "cannot read '%s': it decompresses to more than %g times its size "
                          "(a decompression bomb?); raise --max-gzip-ratio if it is genuine",
                          s->name, s->max_ratio);
    return FAIR_OK;
}

fair_status fair__source_read(fair__source *s, char *buf, size_t cap, size_t *got, fair_error *err)
{
    *got = 0;
    if (cap == 0) return FAIR_OK;
    if (s->gzip) return gz_read(s, buf, cap, got, err);
    return next_raw(s, buf, cap, got, err);
}

fair_status fair__source_pread(const fair__source *s, char *buf, size_t cap, uint64_t off,
                               size_t *got, fair_error *err)
{
    size_t done = 0;
    while (done < cap) {
        ssize_t r = pread(s->fd, buf + done, cap - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return fair__fail(err, FAIR_EIO, "cannot read '%s': %s", s->name, strerror(errno));
        if (r == 0) break;
        done += (size_t)r;
    }
    *got = done;
    return FAIR_OK;
}

void fair__source_close(fair__source *s)
{
    hasher *h = s->hash;
    if (h) {
        atomic_store(&h->stop, 1);
        hash_join(h);
        EVP_MD_CTX_free(h->ctx);
        fair__free(h->buf);
        fair__free(h);
    }
    if (s->z) {
        inflateEnd(s->z);
        fair__free(s->z);
    }
    fair__free(s->zin);
    if (s->owns_fd && s->fd >= 0) close(s->fd);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

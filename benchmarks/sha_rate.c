/* sha_rate.c -- the rate at which this CPU computes SHA-256 through libcrypto, as the audit
 * does (EVP, 1 MiB updates from a buffer in cache), for benchmarks/bench.sh: the SHA-256 of
 * the input is one sequential chain, so the file's bytes divided by this rate is a floor
 * under the audit's wall time that no number of threads lowers.
 *
 * Usage: sha_rate [SECONDS]   prints the rate in bytes per second (after a short warm-up,
 * the best of five timings of about SECONDS / 5 each; default 1 s in all). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime() under -std=c17 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK ((size_t)1 << 20)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Hashes `n` blocks of `buf`; returns the seconds taken, or a negative number on failure. */
static double hash_blocks(const unsigned char *buf, size_t n)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    double t0 = now(), t1;
    int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1;
    for (size_t i = 0; ok && i < n; i++) ok = EVP_DigestUpdate(c, buf, BLOCK) == 1;
    ok = ok && EVP_DigestFinal_ex(c, d, &len) == 1;
    t1 = now();
    EVP_MD_CTX_free(c);
    return ok ? t1 - t0 : -1.0;
}

int main(int argc, char **argv)
{
    const double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    unsigned char *buf = malloc(BLOCK);
    double best = 0.0;
    size_t n;
    if (!buf || !(seconds > 0)) {
        fprintf(stderr, "usage: sha_rate [SECONDS]\n");
        return 2;
    }
    for (size_t i = 0; i < BLOCK; i++) buf[i] = (unsigned char)(i * 131u + 7u);
    /* Blocks per timing: about a fifth of `seconds`, from a warm-up of 16 MiB. */
    {
        double t = hash_blocks(buf, 16);
        if (t <= 0) {
            fprintf(stderr, "sha_rate: SHA-256 failed\n");
            return 1;
        }
        n = (size_t)(seconds / 5 / t * 16) + 1;
    }
    for (int r = 0; r < 5; r++) {
        double t = hash_blocks(buf, n);
        if (t <= 0) {
            fprintf(stderr, "sha_rate: SHA-256 failed\n");
            return 1;
        }
        if ((double)n * (double)BLOCK / t > best) best = (double)n * (double)BLOCK / t;
    }
    printf("%.0f\n", best);
    free(buf);
    return 0;
}

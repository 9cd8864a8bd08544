/* sort.c -- stable least-significant-digit radix sorts: of (key, value) pairs by an unsigned
 * 64-bit key, and of doubles through an order-preserving map of their bits. Linear in n, six
 * passes of 11 bits at most; a pass whose digit is the same for every item is skipped (small
 * keys cost one pass). Used where the ratio study sorts a million sales: a comparison sort
 * spends most of its time in the comparator's calls. */
#include <string.h>
#include "internal.h"

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)
#define RADIX_PASSES 6 /* 6 x 11 >= 64 */

/* The bits of x as an unsigned number in the order of the doubles: negatives flipped whole,
 * positives with the sign bit set. A bijection: -0 sorts just before +0. */
static inline uint64_t order_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | UINT64_C(1) << 63;
}

static inline double from_order_bits(uint64_t u)
{
    double x;
    u = u >> 63 ? u & ~(UINT64_C(1) << 63) : ~u;
    memcpy(&x, &u, sizeof x);
    return x;
}

uint64_t fair__f64_key(double x) { return order_bits(x == 0 ? 0.0 : x); }

void fair__kv_sort(fair__kv *v, fair__kv *tmp, size_t n)
{
    size_t count[RADIX_PASSES][RADIX]; /* 96 KiB */
    fair__kv *src = v, *dst;
    if (n < 2) return;
    memset(count, 0, sizeof count);
    /* every pass's digit counts in one read */
    for (size_t i = 0; i < n; i++) {
        const uint64_t k = v[i].k;
        for (unsigned p = 0; p < RADIX_PASSES; p++) count[p][(k >> (p * RADIX_BITS)) & (RADIX - 1)]++;
    }
    dst = tmp;
    for (unsigned p = 0; p < RADIX_PASSES; p++) {
        const unsigned shift = p * RADIX_BITS;
        size_t *c = count[p], at = 0;
        if (c[(src[0].k >> shift) & (RADIX - 1)] == n) continue; /* one digit: already in order */
        for (unsigned d = 0; d < RADIX; d++) {
            const size_t m = c[d];
            c[d] = at;
            at += m;
        }
        for (size_t i = 0; i < n; i++) dst[c[(src[i].k >> shift) & (RADIX - 1)]++] = src[i];
        fair__kv *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

void fair__sort_f64_with(double *x, uint64_t *tmp, size_t n)
{
    size_t count[8][256]; /* 16 KiB */
    uint64_t *src = tmp, *dst = tmp + n;
    if (n < 2) return;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        const uint64_t k = order_bits(x[i]);
        src[i] = k;
        for (unsigned p = 0; p < 8; p++) count[p][(k >> (8 * p)) & 255u]++;
    }
    for (unsigned p = 0; p < 8; p++) {
        const unsigned shift = 8 * p;
        size_t *c = count[p], at = 0;
        if (c[(src[0] >> shift) & 255u] == n) continue; /* one digit: already in order */
        for (unsigned d = 0; d < 256; d++) {
            const size_t m = c[d];
            c[d] = at;
            at += m;
        }
        for (size_t i = 0; i < n; i++) dst[c[(src[i] >> shift) & 255u]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    for (size_t i = 0; i < n; i++) x[i] = from_order_bits(src[i]);
}

fair_status fair__sort_f64(double *x, size_t n)
{
    fair__kv *kv;
    if (n < 2) return FAIR_OK;
    kv = fair__malloc(2 * n * sizeof *kv);
    if (!kv) return FAIR_ENOMEM;
    for (size_t i = 0; i < n; i++) kv[i] = (fair__kv){order_bits(x[i]), 0};
    fair__kv_sort(kv, kv + n, n);
    for (size_t i = 0; i < n; i++) x[i] = from_order_bits(kv[i].k);
    fair__free(kv);
    return FAIR_OK;
}

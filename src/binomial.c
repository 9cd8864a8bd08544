/* binomial.c -- Binomial(n, p) variates from the library's PCG32 streams, for the score
 * bootstrap's multinomial draws (bootstrap.c), which take hundreds of binomials with new
 * parameters per replicate. Inversion when the mean n min(p, 1 - p) is below 10; otherwise
 * W. Hormann's BTRD, transformed rejection with decomposition: "The generation of binomial
 * random variates", J. Statist. Comput. Simul. 46 (1993) 101-110, algorithm BTRD, whose set-up
 * is a handful of operations and which accepts about 86 % of draws after one uniform. Both are
 * exact: the variate has the binomial distribution up to double rounding. */
#include <math.h>
#include <stdint.h>
#include "internal.h"

/* The samplers are also compiled for x86-64-v3, chosen at load time: there floor() is one
 * rounding instruction (SSE4.1) instead of a sequence; IEEE 754 operations only, in the same
 * order (no contraction: -ffp-contract=off), so both give the same variates. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__ELF__) && \
    __GNUC__ >= 11
#define BINOMIAL_CLONES __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define BINOMIAL_CLONES
#endif
#define BINOMIAL_INLINE static inline __attribute__((always_inline))

/* Means below this use inversion (Hormann's bound for BTRD). */
#define BTRD_MIN_MEAN 10.0

/* n above this is drawn in parts whose variates add up (a sum of independent binomials with one
 * p is binomial), so that every count is exact in a double. */
#define BINOMIAL_PART (UINT64_C(1) << 52)

/* fc(k) = log(k!) - ((k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2), the error of Stirling's
 * formula: tabulated for k < 10, else the first three terms of its asymptotic series (error
 * below 4e-11 at k = 10 and falling as (k + 1)^-7). The unit test recomputes the table from
 * lgamma(). */
static double stirling_tail(double k)
{
    static const double table[10] = {0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
                                     0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
                                     0.01189670994589177, 0.01041126526197209, 0.00925546218271273,
                                     0.00833056343336287};
    double k1sq;
    if (k < 10.0) return table[(int)k];
    k1sq = (k + 1.0) * (k + 1.0);
    return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / k1sq) / k1sq) / (k + 1.0);
}

double fair__stirling_tail(double k) { return stirling_tail(k); }

/* Inversion, p <= 1/2 and mean n p < BTRD_MIN_MEAN: walks the probabilities up from f(0) = q^n
 * (at least e^-20 here) by f(x) = f(x - 1) ((n + 1) / x - 1) p / q until the uniform is used
 * up. The mass left when the walk runs out (x > n, or f underflows) is rounding: draw again. */
BINOMIAL_INLINE uint64_t inversion(fair_rng *r, uint64_t n, double p)
{
    const double q = 1.0 - p, s = p / q, a = ((double)n + 1.0) * s, f0 = pow(q, (double)n);
    for (;;) {
        double u = fair__rng_uniform(r), f = f0;
        for (uint64_t x = 0; x <= n && f > 0x1p-1022; x++) {
            if (u < f) return x;
            u -= f;
            f *= a / (double)(x + 1) - s;
        }
    }
}

/* BTRD, p <= 1/2 and n p >= BTRD_MIN_MEAN (Hormann 1993, steps 0 to 3.3; the names are the
 * paper's). */
BINOMIAL_INLINE uint64_t btrd(fair_rng *rg, uint64_t n_, double p)
{
    const double n = (double)n_, q = 1.0 - p, npq = n * p * q, spq = sqrt(npq);
    const double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = n * p + 0.5;
    const double vr = 0.92 - 4.2 / b, urvr = 0.86 * vr;
    double v = fair__rng_uniform(rg), m, r, nr, alpha;
    /* 1: the centre, accepted at once (86 % of draws; the rest of the set-up waits). */
    if (v <= urvr) {
        const double u = v / vr - 0.43;
        return (uint64_t)floor((2.0 * a / (0.5 - fabs(u)) + b) * u + c);
    }
    m = floor((n + 1.0) * p);
    r = p / q;
    nr = (n + 1.0) * r;
    alpha = (2.83 + 5.1 / b) * spq;
    for (;; v = fair__rng_uniform(rg)) {
        double u, us, k, km, rho, t, nm, h, nk;
        if (v <= urvr) {
            u = v / vr - 0.43;
            return (uint64_t)floor((2.0 * a / (0.5 - fabs(u)) + b) * u + c);
        }
        /* 2: a point for rejection. */
        if (v >= vr) {
            u = fair__rng_uniform(rg) - 0.5;
        } else {
            u = v / vr - 0.93;
            u = (u < 0.0 ? -0.5 : 0.5) - u;
            v = fair__rng_uniform(rg) * vr;
        }
        /* 3.0 */
        us = 0.5 - fabs(u);
        k = floor((2.0 * a / us + b) * u + c);
        if (k < 0.0 || k > n) continue;
        v = v * alpha / (a / (us * us) + b);
        km = fabs(k - m);
        if (km <= 15.0) {
            /* 3.1: f(k) / f(m) by the recursion. */
            double f = 1.0;
            if (m < k) {
                for (double i = m + 1.0; i <= k; i++) f *= nr / i - r;
            } else if (m > k) {
                for (double i = k + 1.0; i <= m; i++) v *= nr / i - r;
            }
            if (v <= f) return (uint64_t)k;
            continue;
        }
        /* 3.2: squeeze on log f(k) / f(m). */
        v = log(v);
        rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        t = -km * km / (2.0 * npq);
        if (v < t - rho) return (uint64_t)k;
        if (v > t + rho) continue;
        /* 3.3: the exact comparison, with Stirling's formula and its error fc. */
        nm = n - m + 1.0;
        h = (m + 0.5) * log((m + 1.0) / (r * nm)) + stirling_tail(m) + stirling_tail(n - m);
        nk = n - k + 1.0;
        if (v <= h + (n + 1.0) * log(nm / nk) + (k + 0.5) * log(nk * r / (k + 1.0)) -
                      stirling_tail(k) - stirling_tail(n - k))
            return (uint64_t)k;
    }
}

/* One part, n <= BINOMIAL_PART. */
BINOMIAL_INLINE uint64_t binomial_part(fair_rng *r, uint64_t n, double p)
{
    const int flip = p > 0.5;
    const double pp = flip ? 1.0 - p : p;
    const uint64_t k = (double)n * pp < BTRD_MIN_MEAN ? inversion(r, n, pp) : btrd(r, n, pp);
    return flip ? n - k : k;
}

BINOMIAL_CLONES
uint64_t fair__binomial(fair_rng *r, uint64_t n, double p)
{
    uint64_t k = 0;
    if (!(p > 0.0) || n == 0) return 0;
    if (p >= 1.0) return n;
    while (n > 0) {
        const uint64_t m = n > BINOMIAL_PART ? BINOMIAL_PART : n;
        k += binomial_part(r, m, p);
        n -= m;
    }
    return k;
}

BINOMIAL_CLONES
void fair__multinomial_tree(fair_rng *r, uint64_t n, const double *split, size_t leaves,
                            uint64_t *c)
{
    c[1] = n;
    for (size_t j = 1; j < leaves; j++) {
        const uint64_t left = c[j] == 0 || !(split[j] > 0.0) ? 0
                              : !(split[j] < 1.0)           ? c[j]
                              : c[j] <= BINOMIAL_PART       ? binomial_part(r, c[j], split[j])
                                                            : fair__binomial(r, c[j], split[j]);
        c[2 * j] = left;
        c[2 * j + 1] = c[j] - left;
    }
}

/* rng.c -- PCG32 (XSH-RR) as in pcg-c-basic, seeded from (seed, stream) with SplitMix64, plus
 * unbiased bounded integers (Lemire) and 53-bit uniform doubles. No state outside the caller's
 * fair_rng, so every function is reentrant. */
#include "internal.h"

/* SplitMix64's increment (the golden gamma) and finaliser constants, Vigna's splitmix64.c
 * (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators", variant 13 of
 * Stafford's mix). */
#define SPLITMIX64_GAMMA UINT64_C(0x9e3779b97f4a7c15)
#define SPLITMIX64_M1 UINT64_C(0xbf58476d1ce4e5b9)
#define SPLITMIX64_M2 UINT64_C(0x94d049bb133111eb)

uint32_t fair_rng_u32(fair_rng *r) { return fair__pcg32_next(r); }

/* pcg32_srandom_r of pcg-c-basic: state 0, increment 2*initseq+1 (the top bit of initseq is
 * lost, as there), one step, add initstate, one more step. */
void fair_rng_seed_pcg(fair_rng *r, uint64_t initstate, uint64_t initseq)
{
    r->state = 0u;
    r->inc = (initseq << 1u) | 1u;
    (void)fair__pcg32_next(r);
    r->state += initstate;
    (void)fair__pcg32_next(r);
}

/* SplitMix64 (Vigna, splitmix64.c): add the golden gamma to *x, then return the finaliser of
 * the new value. The finaliser is a bijection of 64-bit words. */
uint64_t fair_rng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += SPLITMIX64_GAMMA);
    z = (z ^ (z >> 30u)) * SPLITMIX64_M1;
    z = (z ^ (z >> 27u)) * SPLITMIX64_M2;
    return z ^ (z >> 31u);
}

/* Seeding from (seed, stream):
 *
 *     h         = splitmix64(&t) with t = stream     (the stream index, hashed)
 *     x         = seed XOR h
 *     initstate = splitmix64(&x)                     (first output of SplitMix64 started at x)
 *     initseq   = splitmix64(&x)                     (second output)
 *     fair_rng_seed_pcg(r, initstate, initseq)
 *
 * Both the PCG state and its stream increment therefore depend on seed and stream together, and
 * neighbouring streams (b, b+1) get unrelated increments and states rather than PCG's adjacent
 * increments from one state, whose sequences are closely related to each other. For a fixed
 * seed, stream -> x is injective (the SplitMix64 step is a bijection), and so is
 * x -> initstate: distinct streams of one seed never share a generator. Across seeds,
 * (seed, stream) and (seed', stream') collide only when seed' = seed ^ h(stream) ^ h(stream'),
 * a 64-bit coincidence that no small seed meets. */
void fair_rng_seed(fair_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t t = stream;
    uint64_t x = seed ^ fair_rng_splitmix64(&t);
    uint64_t initstate = fair_rng_splitmix64(&x);
    uint64_t initseq = fair_rng_splitmix64(&x);
    fair_rng_seed_pcg(r, initstate, initseq);
}

/* Lemire (2019), "Fast random integer generation in an interval", ACM TOMACS 29(1), article 3:
 * m = x * bound as a 64-bit product; its high word is the result, and the low word tells when x
 * fell in the short, biased stretch of 2^32 mod bound values, which are rejected. The threshold
 * (2^32 - bound) mod bound is computed only when the cheap test l < bound fires. bound == 0
 * returns 0 and draws nothing. */
static inline uint32_t lemire_bounded(fair_rng *r, uint32_t bound)
{
    uint64_t m;
    uint32_t l;
    if (bound == 0u) return 0u;
    m = (uint64_t)fair__pcg32_next(r) * bound;
    l = (uint32_t)m;
    if (l < bound) {
        uint32_t threshold = (0u - bound) % bound; /* 2^32 mod bound */
        while (l < threshold) {
            m = (uint64_t)fair__pcg32_next(r) * bound;
            l = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32u);
}

uint32_t fair_rng_bounded(fair_rng *r, uint32_t bound) { return lemire_bounded(r, bound); }

/* n draws of fair_rng_bounded(r, bound) into out, in order: the same numbers, without a call
 * per draw. */
void fair__rng_bounded_fill(fair_rng *r, uint32_t bound, uint32_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = lemire_bounded(r, bound);
}

double fair_rng_uniform(fair_rng *r) { return fair__rng_uniform(r); }

/* fairaudit/rng.h -- a small, seedable, splittable random number generator (PCG32). */
#ifndef FAIR_RNG_H
#define FAIR_RNG_H
#include <stdint.h>
#include "fairaudit/export.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! A PCG32 generator (O'Neill 2014, "PCG: A family of simple fast space-efficient statistically
 *  good algorithms for random number generation"): 64-bit LCG state, XSH-RR output.
 *  A plain value type: copy it, keep it on the stack, one per thread. */
typedef struct {
    uint64_t state; /* LCG state */
    uint64_t inc;   /* stream increment; always odd */
} fair_rng;

/*! fair_rng_seed_pcg() : exactly pcg32_srandom_r(r, initstate, initseq) of pcg-c-basic. */
FAIR_API void fair_rng_seed_pcg(fair_rng *r, uint64_t initstate, uint64_t initseq);

/*! fair_rng_seed() : the generator for stream `stream` of seed `seed`. The state and increment
 *  are derived with SplitMix64 from (seed, stream) alone, so stream b draws the same numbers
 *  whichever thread runs it. Use the replicate (or row block) index as the stream. */
FAIR_API void fair_rng_seed(fair_rng *r, uint64_t seed, uint64_t stream);

/*! fair_rng_u32() : the next 32 uniformly distributed bits. */
FAIR_API uint32_t fair_rng_u32(fair_rng *r);

/*! fair_rng_bounded() : a uniform integer in [0, bound), without modulo bias (Lemire's
 *  multiply-and-reject). bound == 0 returns 0. */
FAIR_API uint32_t fair_rng_bounded(fair_rng *r, uint32_t bound);

/*! fair_rng_uniform() : a uniform double in [0, 1) with 53 random bits. */
FAIR_API double fair_rng_uniform(fair_rng *r);

/*! fair_rng_splitmix64() : one step of SplitMix64 (Steele, Lea, Flood 2014) on *x; returns
 *  the mixed output. Exposed for deriving seeds. */
FAIR_API uint64_t fair_rng_splitmix64(uint64_t *x);

/*! The name written into reports. */
#define FAIR_RNG_NAME "pcg32-xsh-rr (splitmix64 seeding)"

#ifdef __cplusplus
}
#endif
#endif /* FAIR_RNG_H */

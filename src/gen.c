/* gen.c -- synthetic datasets with a planted, documented bias, for demos, tests and for checking
 * that an audit recovers what was put in. The output depends only on (rows, seed): never on the
 * machine, the locale, the thread count or the C library's maths functions. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* ---- The benefits (welfare-fraud risk) model -------------------------------------------------
 *
 * Every probability below is an exact integer ratio, drawn with fair_rng_bounded (unbiased), and
 * the score is a sum of integers, so the planted rates are exact rationals (datasets/README.md
 * lists them with the script that computes them). Row i (0-based; id = i + 1) makes these draws
 * from its generator, in this order:
 *
 *   1. nationality  d = bounded(100):   d < 60 "NL" (60 %), d < 70 "EU" (10 %),
 *                                       else "non-EU" (30 %)
 *   2. age_band     d = bounded(100):   d < 15 "18-26" (15 %), d < 45 "27-40" (30 %),
 *                                       d < 85 "41-64" (40 %), else "65+" (15 %)
 *   3. sex          d = bounded(2):     0 "F", 1 "M" (50 % each)
 *   4. district     d = bounded(8):     one of the 8 districts of district_names, 12.5 % each
 *   5. label        d = bounded(10000): label = 1 iff d < base[age_band], base = 1200, 1100, 925,
 *                                       800 (per 10,000) for the four bands. The true rate of
 *                                       irregularities depends on age only: it is the SAME for
 *                                       every nationality (0.1000 overall for each).
 *   6. score        k = offset + u1 + u2 + u3, each u = bounded(220) (uniform on 0..219), with
 *                   offset = 20 (label 0) or 260 (label 1), plus 60 when nationality is "non-EU".
 *                   score = k / 1000, written with exactly 3 decimals; k lies in [20, 977].
 *   7. pred         1 iff k >= 500, i.e. score >= 0.500 (computed on the integer, so it agrees
 *                   with the written score exactly).
 *
 * Nationality, age band, sex and district are mutually independent; sex and district affect
 * nothing (a control for false discoveries). The planted bias is step 6: at an equal true rate,
 * non-EU scores are shifted up by 0.060, which raises their selection rate and false-positive rate
 * (and true-positive rate); the within-group ranking, hence each group's AUC, is unchanged.
 *
 * Determinism: rows are taken in blocks of GEN_BLOCK_ROWS; at the first row of block b the
 * generator is reset with fair_rng_seed(&r, seed, b). A row's draws thus depend only on (seed, i),
 * and the first n rows of a longer file equal the n-row file. The draw count per row varies
 * (Lemire's rejection step), which the per-block reset contains. */

enum { GEN_BLOCK_ROWS = 4096 }; /* rows per RNG stream */

static const char *const nationality_names[] = {"NL", "EU", "non-EU"};
static const uint32_t nationality_cum_pct[] = {60, 70, 100};
enum { NATIONALITY_NON_EU = 2 };

static const char *const age_band_names[] = {"18-26", "27-40", "41-64", "65+"};
static const uint32_t age_band_cum_pct[] = {15, 45, 85, 100};
static const uint32_t label_rate_per_10k[] = {1200, 1100, 925, 800}; /* P(label = 1 | age band) */

static const char *const sex_names[] = {"F", "M"};

/* Districts of the fictional municipality of Dijkhaven. */
static const char *const district_names[] = {"Binnenstad", "Noorderhaven",   "Oosterpark",
                                             "Zuiderveld", "Westerkwartier", "Molenwijk",
                                             "Dijkzicht",  "Polderhof"};

enum {
    SCORE_TERMS = 3,         /* uniform terms summed into the score */
    SCORE_TERM_RANGE = 220,  /* each term is uniform on 0 .. SCORE_TERM_RANGE - 1 */
    SCORE_OFFSET_NEG = 20,   /* offset for label 0, in thousandths */
    SCORE_OFFSET_POS = 260,  /* offset for label 1 */
    SCORE_SHIFT_NON_EU = 60, /* the planted bias */
    SCORE_THRESHOLD = 500,   /* pred = 1 iff k >= this */
    SCORE_SCALE = 1000       /* k / SCORE_SCALE is the score */
};

/* The generative model above keeps k inside [0, SCORE_SCALE]: no clamping is needed. */
_Static_assert(SCORE_OFFSET_POS + SCORE_SHIFT_NON_EU + SCORE_TERMS * (SCORE_TERM_RANGE - 1) <=
                   SCORE_SCALE,
               "benefits score exceeds 1");

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Index of the first cumulative bound that exceeds d (d < cum[n - 1]). */
static size_t pick(const uint32_t *cum, size_t n, uint32_t d)
{
    size_t j = 0;
    while (j + 1 < n && d >= cum[j]) j++;
    return j;
}

void fair_gen_options_init(fair_gen_options *o)
{
    if (!o) return;
    o->rows = 10000u;
    o->seed = 20240601u;
}

/* Records a write failure of `what`, with the system's reason when errno still holds one. */
static fair_status write_failed(fair_error *err, int errnum, const char *what)
{
    char reason[128] = "";
    if (errnum != 0 && strerror_r(errnum, reason, sizeof reason) != 0) reason[0] = '\0';
    return fair__fail(err, FAIR_EIO, "cannot write %s of the benefits dataset%s%s", what,
                      reason[0] ? ": " : "", reason);
}

fair_status fair_gen_benefits(FILE *out, const fair_gen_options *o, fair_error *err)
{
    fair_rng r = {0u, 1u};
    uint64_t i;

    FAIR__RETURN_IF(!out, FAIR_EINVAL, err, "fair_gen_benefits: output stream is NULL");
    FAIR__RETURN_IF(!o, FAIR_EINVAL, err, "fair_gen_benefits: options are NULL");

    errno = 0;
    if (fputs("id,nationality,age_band,sex,district,label,score,pred\n", out) == EOF)
        return write_failed(err, errno, "the header");

    for (i = 0; i < o->rows; i++) {
        size_t nat, age, sex, district, t;
        uint32_t label, k;
        int rc;

        if (i % GEN_BLOCK_ROWS == 0) fair_rng_seed(&r, o->seed, i / GEN_BLOCK_ROWS);

        nat = pick(nationality_cum_pct, N_ELEMS(nationality_cum_pct), fair_rng_bounded(&r, 100u));
        age = pick(age_band_cum_pct, N_ELEMS(age_band_cum_pct), fair_rng_bounded(&r, 100u));
        sex = fair_rng_bounded(&r, (uint32_t)N_ELEMS(sex_names));
        district = fair_rng_bounded(&r, (uint32_t)N_ELEMS(district_names));
        label = fair_rng_bounded(&r, 10000u) < label_rate_per_10k[age] ? 1u : 0u;

        k = label ? SCORE_OFFSET_POS : SCORE_OFFSET_NEG;
        if (nat == NATIONALITY_NON_EU) k += SCORE_SHIFT_NON_EU;
        for (t = 0; t < SCORE_TERMS; t++) k += fair_rng_bounded(&r, SCORE_TERM_RANGE);

        /* Integer formatting of the score: no floating point, so no locale or rounding issue. */
        errno = 0;
        rc = fprintf(out, "%" PRIu64 ",%s,%s,%s,%s,%u,%u.%03u,%u\n", i + 1u, nationality_names[nat],
                     age_band_names[age], sex_names[sex], district_names[district], label,
                     k / SCORE_SCALE, k % SCORE_SCALE, k >= SCORE_THRESHOLD ? 1u : 0u);
        if (rc < 0) {
            int errnum = errno;
            char what[48];
            fair__snprintf(what, sizeof what, "row %" PRIu64, i + 1u);
            return write_failed(err, errnum, what);
        }
    }

    errno = 0;
    if (fflush(out) != 0 || ferror(out)) return write_failed(err, errno, "the end");
    return FAIR_OK;
}

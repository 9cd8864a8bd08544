/* gen_woz.c -- a synthetic WOZ-like sales sample (Dutch property valuation): neighbourhoods,
 * property types, sale prices and a model's valuations, with regressivity planted in one
 * neighbourhood. Integer arithmetic only, so the bytes depend on (rows, seed) alone.
 *
 * Row i (0-based; id = i + 1) makes these draws, in this order, from the generator that is
 * reset with fair_rng_seed(&r, seed, b) at the first row of each block b of WOZ_BLOCK rows:
 *
 *   1. neighbourhood  bounded(8), 12.5 % each; its price level L (euro) from woz_level
 *   2. property type  d = bounded(100): < 35 apartment, < 65 terraced, < 85 semi-detached,
 *                     else detached; its multiplier T (percent) from woz_type_pct
 *   3. market value   V = L * T / 100 * F / 1000, F = 600 + u1 + u2, each u uniform on 0..400
 *                     (F in 600..1400, mean 1000)
 *   4. sale price     S = V * (900 + u4 + u5) / 1000, u uniform on 0..100 (a sale within about
 *                     +-10 % of the market value), rounded to 500 euro
 *   5. valuation      A = V * (900 + u6 + u7) / 1000, u uniform on 0..100 (the model's error,
 *                     within +-10 %), except in "Oosterpark" (the planted regressivity), where
 *                     V is first replaced by M + (V - M) / 2 with M = L * T / 100 (the typical
 *                     value of its type there): cheap homes are valued too high, dear ones
 *                     too low.
 *                     Rounded to 1000 euro, as WOZ values are.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

enum { WOZ_BLOCK = 4096, WOZ_REGRESSIVE = 2 /* Oosterpark */ };

static const char *const woz_nb[] = {"Binnenstad", "Noorderhaven",   "Oosterpark", "Zuiderveld",
                                     "Westerkwartier", "Molenwijk", "Dijkzicht",  "Polderhof"};
static const uint64_t woz_level[] = {420000, 310000, 285000, 350000, 300000, 265000, 380000, 240000};
static const char *const woz_type[] = {"apartment", "terraced", "semi-detached", "detached"};
static const uint32_t woz_type_cum[] = {35, 65, 85, 100};
static const uint64_t woz_type_pct[] = {75, 100, 130, 185};

static fair_status woz_write_failed(fair_error *err, int errnum, const char *what)
{
    char reason[128] = "";
    if (errnum != 0 && strerror_r(errnum, reason, sizeof reason) != 0) reason[0] = '\0';
    return fair__fail(err, FAIR_EIO, "cannot write %s of the woz dataset%s%s", what,
                      reason[0] ? ": " : "", reason);
}

/* x rounded to the nearest multiple of `step` (halves up). */
static uint64_t round_to(uint64_t x, uint64_t step) { return (x + step / 2) / step * step; }

fair_status fair_gen_woz(FILE *out, const fair_gen_options *o, fair_error *err)
{
    fair_rng r = {0u, 1u};
    FAIR__RETURN_IF(!out || !o, FAIR_EINVAL, err, "fair_gen_woz: output or options are NULL");
    errno = 0;
    if (fputs("id,neighbourhood,property_type,sale_price,valuation\n", out) == EOF)
        return woz_write_failed(err, errno, "the header");
    for (uint64_t i = 0; i < o->rows; i++) {
        size_t nb, ty = 0;
        uint32_t d;
        uint64_t typical, v, s, a;
        if (i % WOZ_BLOCK == 0) fair_rng_seed(&r, o->seed, i / WOZ_BLOCK);
        nb = fair_rng_bounded(&r, 8u);
        d = fair_rng_bounded(&r, 100u);
        while (ty + 1 < 4 && d >= woz_type_cum[ty]) ty++;
        typical = woz_level[nb] * woz_type_pct[ty] / 100u;
        v = 600u + fair_rng_bounded(&r, 401u);
        v += fair_rng_bounded(&r, 401u);
        v = typical * v / 1000u;
        s = 900u + fair_rng_bounded(&r, 101u);
        s += fair_rng_bounded(&r, 101u);
        s = round_to(v * s / 1000u, 500u);
        a = nb == WOZ_REGRESSIVE ? (v >= typical ? typical + (v - typical) / 2u
                                                 : typical - (typical - v) / 2u)
                                 : v;
        d = 900u + fair_rng_bounded(&r, 101u);
        d += fair_rng_bounded(&r, 101u);
        a = round_to(a * d / 1000u, 1000u);
        errno = 0;
        if (fprintf(out, "%" PRIu64 ",%s,%s,%" PRIu64 ",%" PRIu64 "\n", i + 1u, woz_nb[nb],
                    woz_type[ty], s, a) < 0) {
            char what[48];
            int errnum = errno;
            fair__snprintf(what, sizeof what, "row %" PRIu64, i + 1u);
            return woz_write_failed(err, errnum, what);
        }
    }
    errno = 0;
    if (fflush(out) != 0 || ferror(out)) return woz_write_failed(err, errno, "the end");
    return FAIR_OK;
}

/* ratio_internal.h -- the layout of a finished ratio study, and its statistics on arrays,
 * shared by ratio.c, ratio_stats.c and report_ratio.c; never installed. */
#ifndef FAIR_RATIO_INTERNAL_H
#define FAIR_RATIO_INTERNAL_H
#include <jansson.h>
#include "audit_internal.h"

/* Error of the valuation against the sale price, for any regression model. */
enum { FAIR__RERR_ME = 0, FAIR__RERR_MAE, FAIR__RERR_MAPE, FAIR__RERR_RMSE, FAIR__RERR_COUNT };
extern const char *const fair__ratio_err_names[FAIR__RERR_COUNT];
extern const char *const fair__ratio_stat_names[FAIR_RATIO_STAT_COUNT];

/* Sales chasing check (after assessr's detect_chasing_cdf): the share of ratios within
 * 1 +- band, and the largest jump of the empirical CDF (the share of sales at one ratio). */
typedef struct {
    double band_share;
    double max_jump;   /* largest multiplicity of one ratio value / n */
    double jump_at;    /* that ratio value */
    int flagged;       /* max_jump > gap and jump_at within the band */
} fair__chasing;

/* One set of sales: all of them, a group, or a value stratum. */
typedef struct {
    char *label;
    uint64_t n;                         /* sales after trimming */
    uint64_t trimmed;                   /* sales of this set removed by the trimming rule */
    int too_small;                      /* n < min_group_size */
    fair__num st[FAIR_RATIO_STAT_COUNT];
    fair__ci median_rank;               /* order-statistic interval of the median (IAAO) */
    size_t rank_lo, rank_hi;            /* its 1-based ranks */
    fair__ci prb_ols;                   /* t interval of the PRB slope (OLS) */
    fair__boot boot[FAIR_RATIO_STAT_COUNT]; /* percentile intervals */
    fair__num err[FAIR__RERR_COUNT];
    fair__chasing chasing;
    double lo, hi;                      /* a value stratum: its range of the stratifying value */
    /* a group: its median ratio against the reference group's */
    fair__num median_diff;
    fair__boot boot_median_diff;
} fair__rset;

typedef struct {
    char *name;                /* the group column */
    fair__rset *groups;        /* bytewise order of labels */
    size_t n_groups;
    size_t ref;                /* reference group */
    const char *ref_rule;      /* "value" or "largest" */
    fair__num kw_h, kw_df, kw_p; /* Kruskal-Wallis test of equal ratio distributions */
    size_t kw_groups;
} fair__rattr;

struct fair_ratio {
    char *input_name;
    uint64_t input_bytes;
    int gzip;
    char delim;
    int comma_decimal;
    uint64_t rows_read, lines, skipped[FAIR_SKIP_COUNT], vskipped[FAIR_RATIO_SKIP_COUNT];
    uint64_t sales;            /* kept before trimming */
    uint64_t trimmed;
    double trim_lo, trim_hi;   /* ratios outside [lo, hi] were trimmed (when trimming) */
    size_t threads_used;
    fair_ratio_options opt;    /* a copy; strings point to the copies below */
    char *assessed_col, *sale_col, *reference;
    char **group_cols;
    fair__rset all;
    fair__rattr *attrs;
    size_t n_attrs;
    fair__rset *strata;        /* value strata, lowest first */
    size_t n_strata;
    char **shards;             /* merged partial states of several inputs: their paths, in order */
    size_t n_shards;
};

/* ---- reading and the study (ratio.c) ---- */

/* The options of the ingest of ratio study `o` (checked): what fair_ratio_run() reads with. */
fair_status fair__ratio_ingest_options(const fair_ratio_options *o, fair_audit_options *ao,
                                       fair__sale_cols *cols, fair_error *err);
/* The study of sales already read (by fair_ratio_run(), or merged from partial states): the
 * same analysis whatever the order of ing->sales, which it reorders (and renumbers their group
 * entries); the group table is only read. `name` names the input. */
fair_status fair__ratio_from_ingest(const char *name, fair__ingest *ing, const fair_ratio_options *o,
                                    fair_ratio **out, fair_error *err);

/* ---- statistics on arrays (ratio_stats.c) ---- */

/* Quantile p of sorted x[0..n) by R's type 7 (gsl_stats_quantile_from_sorted_data). */
double fair__ratio_quantile7(const double *sorted, size_t n, double p);

/* Point statistics of n sales: ar, sr (assessed, sale price) in ascending order of the ratio
 * ar/sr (ties in any order), as, ss the same sales in ascending order of sale price (ties by
 * assessed value), for KI and MKI. Every statistic of fair_ratio_stat but VEI, which needs
 * strata (fair__ratio_vei). x, y: scratch of n doubles. prb_ci gets the OLS t interval of the
 * PRB at `level`. */
void fair__ratio_point(const double *ar, const double *sr, const double *as, const double *ss,
                       size_t n, double level, double *x, double *y,
                       fair__num out[FAIR_RATIO_STAT_COUNT], fair__ci *prb_ci);

/* The order-statistic interval of the median of n sorted values at `level` (IAAO Standard on
 * Ratio Studies 2013, appendix B; docs/ratio.md): 1-based ranks *lo, *hi; 0 when n is too
 * small for the interval. */
int fair__ratio_median_ranks(size_t n, double level, size_t *lo, size_t *hi);

/* The vertical equity indicator of n sales in ascending ratio order: 100 (median ratio of
 * the highest value-proxy stratum - that of the lowest) / median ratio, with k strata.
 * scratch: 4 n doubles. */
fair__num fair__ratio_vei(const double *a, const double *s, size_t n, size_t k, double *scratch);
/* VEI's strata for n sales (docs/ratio.md). */
size_t fair__ratio_vei_strata(size_t n);

/* Valuation error: mean error, MAE, MAPE (percent) and RMSE of a against s. */
void fair__ratio_errors(const double *a, const double *s, size_t n, fair__num out[FAIR__RERR_COUNT]);

/* Kruskal-Wallis H (tie-corrected) of k groups: r[0..N) the ratios in ascending order, grp[i]
 * the group of r[i], n_g the group sizes; rsum is scratch of k doubles. */
void fair__ratio_kruskal(const double *r, const size_t *grp, size_t N, const uint64_t *n_g,
                         size_t k, double *rsum, fair__num *h, fair__num *df, fair__num *p);

/* A set's sales, contiguous: in ascending order of ratio (rr = ar / sr; ir: their positions
 * in the ratio order of all sales) and in ascending order of sale price (as, ss; is: their
 * positions in the sale-price order of all sales). The positions only increase within a set,
 * so a replicate reads its multiplicities nearly in sequence. ir and is are NULL for the set
 * of all sales, whose positions are 0, 1, ..., m - 1. For the PRB of a replicate,
 * fair__ratio_replicate_prepare() fills lx, wx and m0 (see ratio_stats.c). */
typedef struct {
    size_t m;
    double *rr, *ar, *sr, *as, *ss;
    uint32_t *ir, *is;
    double *lx, *wx; /* ln(A / m0 + S) less its mean, and (A / m0) / (A / m0 + S) */
    double m0;       /* the set's median ratio */
} fair__rsorted;

/* Fills d's lx, wx and m0 (m0 the median of d->rr); FAIR_ENOMEM when out of memory. The
 * caller frees d->lx and d->wx. */
fair_status fair__ratio_replicate_prepare(fair__rsorted *d);

/* A replicate's multiplicities: r[i] of the sale at position i of the ratio order of all
 * sales, s[i] of the sale at position i of their sale-price order; 32-bit when r32 and s32
 * are given, else 8-bit (8-bit counts keep a million sales' counts in a core's cache; the
 * caller falls back to 32 bits when a count would pass 255). */
typedef struct {
    const uint8_t *r8, *s8;
    const uint32_t *r32, *s32;
} fair__rcounts;

/* The largest |1 - m0 / median| of a replicate for which the PRB's logs come from the series
 * in ratio_stats.c rather than from log(). */
#define FAIR__RATIO_SERIES_MAX 0x1p-9

/* The bootstrap's statistics of set d with multiplicities c. wr, nz: scratch of d->m each.
 * VEI is not computed. */
void fair__ratio_replicate(const fair__rsorted *d, const fair__rcounts *c, uint32_t *wr,
                           uint32_t *nz, fair__num out[FAIR_RATIO_STAT_COUNT]);

/* Sales chasing figures of sorted ratios r[0..n). */
fair__chasing fair__ratio_chasing(const double *r, size_t n, double band, double gap);

/* ---- report (report_ratio.c) ---- */
/* The whole JSON document of a ratio study (docs/json-schema.md), or NULL when out of memory.
 * Caller owns it (json_decref). */
json_t *fair__ratio_doc(const fair_ratio *r, const fair_report_run *run);
fair_status fair__ratio_text(const fair_ratio *r, const fair_report_run *run, FILE *out,
                             fair_error *err);

#endif /* FAIR_RATIO_INTERNAL_H */

/* fairaudit/ratio.h -- a sales ratio study of a valuation model (IAAO Standard on Ratio
 * Studies): level, uniformity and vertical equity of assessed values against sale prices,
 * overall, per group and per value stratum, with intervals. */
#ifndef FAIR_RATIO_H
#define FAIR_RATIO_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fairaudit/audit.h"
#include "fairaudit/error.h"
#include "fairaudit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Reasons a sale is skipped besides the ones fair_skip_reason names (wrong field count, missing
 * group value); the second name is the JSON key. */
#define FAIR_RATIO_SKIP_MAP(X)                                                                     \
    X(MISSING_ASSESSED, missing_assessed, "missing assessed value")                                \
    X(INVALID_ASSESSED, invalid_assessed, "invalid assessed value")                                \
    X(NONPOSITIVE_ASSESSED, nonpositive_assessed, "assessed value not positive")                   \
    X(MISSING_SALE_PRICE, missing_sale_price, "missing sale price")                                \
    X(INVALID_SALE_PRICE, invalid_sale_price, "invalid sale price")                                \
    X(NONPOSITIVE_SALE_PRICE, nonpositive_sale_price, "sale price not positive")

typedef enum {
#define X(id, key, text) FAIR_RATIO_SKIP_##id,
    FAIR_RATIO_SKIP_MAP(X)
#undef X
    FAIR_RATIO_SKIP_COUNT
} fair_ratio_skip_reason;

/*! fair_ratio_skip_name() : the JSON key of a reason; fair_ratio_skip_text() : its words. */
FAIR_API const char *fair_ratio_skip_name(fair_ratio_skip_reason r);
FAIR_API const char *fair_ratio_skip_text(fair_ratio_skip_reason r);

/*! Outlier trimming of ratios before the statistics (docs/ratio.md). Quartiles and percentiles
 *  are R's type 7. */
typedef enum {
    FAIR_RATIO_TRIM_NONE = 0,
    FAIR_RATIO_TRIM_IQR15 = 1, /* outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR] */
    FAIR_RATIO_TRIM_IQR3 = 2,  /* outside [Q1 - 3 IQR, Q3 + 3 IQR] */
    FAIR_RATIO_TRIM_P5P95 = 3  /* below the 5th or above the 95th percentile */
} fair_ratio_trim;

/*! What the value strata (deciles by default) are cut on. */
typedef enum {
    FAIR_RATIO_STRATA_PROXY = 0, /* IAAO value proxy 0.5 S + 0.5 A / median ratio (default) */
    FAIR_RATIO_STRATA_SALE = 1   /* sale price: shows spurious regressivity; docs/ratio.md */
} fair_ratio_strata;

/*! An IAAO range [lo, hi], shown beside a statistic as information. */
typedef struct {
    double lo, hi;
} fair_ratio_range;

/*! Options of a ratio study. Fill with fair_ratio_options_init(), then set fields. Strings and
 *  arrays are borrowed for the duration of fair_ratio_run(). */
typedef struct {
    const char *assessed_col;      /* the model's valuation (A); required */
    const char *sale_col;          /* the sale price (S); required */
    const char *const *group_cols; /* group columns (neighbourhood, property type); may be none */
    size_t n_group_cols;
    const char *reference;         /* reference group value ("ATTR=VALUE" with several); NULL:
                                      the largest group */
    size_t quantiles;              /* value strata (10); 0 = none */
    fair_ratio_strata strata;      /* value proxy */
    fair_ratio_trim trim;          /* none */
    uint64_t bootstrap;            /* replicates B (1000); 0 = analytic intervals only */
    uint64_t seed;                 /* FAIR_DEFAULT_SEED */
    fair_boot_scheme boot_scheme;  /* stratified: resample within each group combination */
    double ci_level;               /* 0.95 */
    uint64_t min_group_size;       /* groups below this are flagged too small to judge (30) */
    /* IAAO ranges, shown as information (docs/ratio.md says where each comes from) */
    fair_ratio_range range_median; /* 0.90 - 1.10 */
    fair_ratio_range range_cod;    /* 5 - 15 (a general bound; by property type see the docs) */
    fair_ratio_range range_prd;    /* 0.98 - 1.03 */
    fair_ratio_range range_prb;    /* -0.05 - 0.05 */
    fair_ratio_range range_mki;    /* 0.95 - 1.05 */
    fair_ratio_range range_vei;    /* -10 - 10 (percent) */
    double chasing_band;           /* sales chasing: share of ratios within 1 +- band (0.02) */
    double chasing_gap;            /* ... and an ECDF jump larger than this flags it (0.03) */
    /* input, as for an audit */
    char delimiter;                /* 0 = detect */
    char decimal;                  /* 0 = '.', and ',' when the delimiter is not ',' */
    int strict;                    /* the first invalid row is an error */
    size_t n_threads;              /* 0 = as many as OpenMP offers */
    size_t max_field_bytes, max_line_bytes, max_columns, max_groups, chunk_bytes;
    double max_gzip_ratio;
    uint64_t max_sales;            /* most sales kept in memory (100000000) */
} fair_ratio_options;

/*! fair_ratio_options_init() : the documented defaults (see the field comments). */
FAIR_API void fair_ratio_options_init(fair_ratio_options *o);

typedef struct fair_ratio fair_ratio; /* opaque, immutable once returned */

/*! fair_ratio_run() : CONSTRUCTOR. Reads `path` ("-" = standard input; gzip detected), keeps
 *  every valid (group, assessed, sale price) sale, and computes the ratio study. Memory grows
 *  with the number of sales (24 bytes each, plus sorting scratch), up to o->max_sales.
 *  @return FAIR_OK; FAIR_EINVAL (options, unknown column), FAIR_EIO, FAIR_ECSV, FAIR_EDATA
 *          (invalid data; a rejected row under `strict`; no valid sale), FAIR_ELIMIT or
 *          FAIR_ENOMEM. On failure *out == NULL and `err` names file, line and column.
 *  Thread-safety: reentrant; uses up to o->n_threads OpenMP threads. Results do not depend
 *  on the thread count. */
FAIR_API fair_status fair_ratio_run(const char *path, const fair_ratio_options *o,
                                    fair_ratio **out, fair_error *err);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_ratio_free(fair_ratio *r);

/* ---- read-only accessors ---- */
FAIR_API uint64_t fair_ratio_rows_read(const fair_ratio *r);
/*! Sales kept (before trimming). */
FAIR_API uint64_t fair_ratio_sales(const fair_ratio *r);
FAIR_API uint64_t fair_ratio_rows_skipped(const fair_ratio *r, fair_skip_reason why);
FAIR_API uint64_t fair_ratio_rows_skipped_value(const fair_ratio *r, fair_ratio_skip_reason why);

/*! The statistics of a ratio study, as the accessors name them. */
typedef enum {
    FAIR_RATIO_MEDIAN = 0,
    FAIR_RATIO_MEAN,
    FAIR_RATIO_WEIGHTED_MEAN,
    FAIR_RATIO_COD,
    FAIR_RATIO_PRD,
    FAIR_RATIO_PRB,
    FAIR_RATIO_KI,
    FAIR_RATIO_MKI,
    FAIR_RATIO_VEI,
    FAIR_RATIO_STAT_COUNT
} fair_ratio_stat;

/*! fair_ratio_overall() : statistic `s` of all sales kept after trimming. Returns 1 and sets
 *  *value when defined, else 0. */
FAIR_API int fair_ratio_overall(const fair_ratio *r, fair_ratio_stat s, double *value);

/*! fair_ratio_report_doc() : CONSTRUCTOR. The report document of ratio study `r` (borrowed: it
 *  must outlive the document, whose text format reads it), for policies and every format
 *  (fairaudit/report.h, fairaudit/policy.h).
 *  @return FAIR_OK or FAIR_ENOMEM; on failure *out == NULL. */
FAIR_API fair_status fair_ratio_report_doc(const fair_ratio *r, const fair_report_run *run,
                                           fair_report_doc **out, fair_error *err);

/*! fair_ratio_report_write() : the ratio study's report in format `f` to `out` (borrowed).
 *  @return FAIR_OK, FAIR_EIO or FAIR_ENOMEM. */
FAIR_API fair_status fair_ratio_report_write(const fair_ratio *r, fair_format f,
                                             const fair_report_run *run, FILE *out,
                                             fair_error *err);

/*! fair_ratio_report_write_file() : as fair_ratio_report_write(), atomically (temporary file,
 *  flushed, renamed over `path`); on failure `path` is untouched. */
FAIR_API fair_status fair_ratio_report_write_file(const fair_ratio *r, fair_format f,
                                                  const fair_report_run *run, const char *path,
                                                  fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_RATIO_H */

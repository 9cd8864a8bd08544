/* fairaudit/audit.h -- a classification audit: read a CSV of decisions, count per group,
 * compute metrics, disparities against a reference group and tests of "no difference". */
#ifndef FAIR_AUDIT_H
#define FAIR_AUDIT_H
#include <stddef.h>
#include <stdint.h>
#include "fairaudit/error.h"
#include "fairaudit/metrics.h"
#include "fairaudit/score.h"
#include "fairaudit/stats.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Reasons a data row is skipped, in the order they are checked; the second name is the JSON key. */
#define FAIR_SKIP_MAP(X)                                                                           \
    X(WRONG_FIELD_COUNT, wrong_field_count, "wrong number of fields")                              \
    X(MISSING_GROUP, missing_group, "missing group value")                                         \
    X(MISSING_LABEL, missing_label, "missing label")                                               \
    X(INVALID_LABEL, invalid_label, "invalid label")                                               \
    X(MISSING_PREDICTION, missing_prediction, "missing prediction")                                \
    X(INVALID_PREDICTION, invalid_prediction, "invalid prediction")                                \
    X(MISSING_SCORE, missing_score, "missing score")                                               \
    X(INVALID_SCORE, invalid_score, "invalid score")                                               \
    X(SCORE_OUT_OF_RANGE, score_out_of_range, "score out of range")

typedef enum {
#define X(id, key, text) FAIR_SKIP_##id,
    FAIR_SKIP_MAP(X)
#undef X
    FAIR_SKIP_COUNT
} fair_skip_reason;

/*! fair_skip_name() : the JSON key of a skip reason; fair_skip_text() : its words. */
FAIR_API const char *fair_skip_name(fair_skip_reason r);
FAIR_API const char *fair_skip_text(fair_skip_reason r);

/*! How the reference group of an attribute is chosen when no value is given for it. */
typedef enum {
    FAIR_REFERENCE_LARGEST = 0, /* the group with the most rows (ties: bytewise first label) */
    FAIR_REFERENCE_BEST = 1     /* the group with the most favourable selection rate */
} fair_reference_rule;

/*! Which analytic interval is primary for per-group rates. */
typedef enum { FAIR_INTERVAL_WILSON = 0, FAIR_INTERVAL_CLOPPER_PEARSON = 1 } fair_interval;

/*! How bootstrap replicates resample the rows. */
typedef enum {
    FAIR_BOOT_STRATIFIED = 0, /* rows within each group: group sizes fixed (default) */
    FAIR_BOOT_SIMPLE = 1      /* rows over the whole input: group sizes vary */
} fair_boot_scheme;

/*! Which bootstrap interval is the primary ci_low/ci_high. */
typedef enum { FAIR_BOOT_CI_PERCENTILE = 0, FAIR_BOOT_CI_BCA = 1 } fair_boot_ci;

/*! The default seed, written into every report. */
#define FAIR_DEFAULT_SEED 20240601ULL

/*! Options of an audit. A plain value type: fill with fair_audit_options_init(), then set
 *  fields. All strings and arrays are borrowed for the duration of fair_audit_run(). */
typedef struct {
    const char *const *group_cols; /* names of the group (protected attribute) columns */
    size_t n_group_cols;           /* at least 1 */
    const char *label_col;         /* true outcome column; required */
    const char *pred_col;          /* decision column; NULL when derived from the score */
    const char *score_col;         /* score column; NULL = none */
    int use_threshold;             /* 1: prediction = score >= threshold */
    double threshold;
    const char *label_positive;    /* positive class of the label; NULL = boolean words */
    const char *pred_positive;     /* positive class of the prediction; NULL = boolean words */
    char delimiter;                /* 0 = detect among , ; TAB | from the header line */
    char decimal;                  /* 0 = '.', and also ',' when the delimiter is not ',' */
    int strict;                    /* 1: the first invalid row is an error, not a skip */
    size_t n_threads;              /* 0 = as many as OpenMP offers */
    int intersect;                 /* 1: add the cross of all group columns as an attribute */
    fair_reference_rule reference_rule;
    int favourable;                /* 1 (default): being selected is favourable; 0: harmful */
    const char *const *references; /* "VALUE" (one attribute) or "ATTR=VALUE" entries */
    size_t n_references;
    uint64_t min_group_size;       /* groups below this are flagged too small to judge (30) */
    uint64_t suppress_below;       /* rates of groups below this are not reported (0 = off) */
    double score_min, score_max;   /* valid score range, inclusive ([0, 1]) */
    double ci_level;               /* confidence level of intervals (0.95) */
    fair_interval interval;        /* primary analytic interval (Wilson) */
    fair_p_adjust p_adjust;        /* multiple-testing correction (Holm) */
    size_t max_field_bytes;        /* longest field accepted (1 MiB) */
    size_t max_line_bytes;         /* longest physical line accepted (8 MiB) */
    size_t max_columns;            /* most columns in the header (10000) */
    size_t max_groups;             /* most distinct group-value combinations (100000) */
    size_t calibration_bins;       /* reliability bins and Hosmer-Lemeshow groups (10) */
    int quantile_binning;          /* 1: quantile bins; 0: uniform (default) */
    const double *thresholds;      /* what-if thresholds on the score (borrowed); NULL = none */
    size_t n_thresholds;
    uint64_t top_k;                /* metrics when the k highest scores are selected (0 = off) */
    double top_fraction;           /* ... or this fraction of all rows (0 = off) */
    size_t max_distinct_scores;    /* distinct scores per group before rounding to a grid (65536) */
    double max_gzip_ratio;         /* gzip output over input beyond 16 MiB (200; 0 = off) */
    size_t chunk_bytes;            /* byte range per parallel job (1 MiB); tests use small ones */
    uint64_t bootstrap;            /* replicates B (1000); 0 = no bootstrap */
    uint64_t seed;                 /* FAIR_DEFAULT_SEED */
    fair_boot_scheme boot_scheme;  /* stratified */
    fair_boot_ci boot_ci;          /* percentile */
} fair_audit_options;

/*! fair_audit_options_init() : the documented defaults (see the field comments). */
FAIR_API void fair_audit_options_init(fair_audit_options *o);

typedef struct fair_audit fair_audit; /* opaque, immutable once returned */

/*! fair_audit_run() : CONSTRUCTOR. Reads `path` ("-" = standard input; gzip detected by its
 *  magic bytes), counts every row into its group, and computes metrics, disparities and tests.
 *  Memory does not grow with the number of rows.
 *  @return FAIR_OK; FAIR_EINVAL (options: unknown column, bad reference...), FAIR_EIO (cannot
 *          read), FAIR_ECSV (malformed CSV), FAIR_EDATA (invalid data, e.g. invalid UTF-8 in a
 *          group, or a row rejected under `strict`), FAIR_ELIMIT (a limit exceeded) or
 *          FAIR_ENOMEM. On failure *out == NULL and `err` names file, line and column.
 *  Thread-safety: reentrant; uses up to o->n_threads OpenMP threads. */
FAIR_API fair_status fair_audit_run(const char *path, const fair_audit_options *o,
                                    fair_audit **out, fair_error *err);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_audit_free(fair_audit *a);

/* ---- read-only accessors; strings are borrowed, valid until fair_audit_free() ---- */
FAIR_API uint64_t fair_audit_rows_read(const fair_audit *a);
FAIR_API uint64_t fair_audit_rows_used(const fair_audit *a);
FAIR_API uint64_t fair_audit_rows_skipped(const fair_audit *a, fair_skip_reason r);
FAIR_API size_t fair_audit_n_attributes(const fair_audit *a);
/*! Attribute name: the column name, or the columns joined by " & " for the intersection. */
FAIR_API const char *fair_audit_attribute_name(const fair_audit *a, size_t attr);
FAIR_API size_t fair_audit_n_groups(const fair_audit *a, size_t attr);
/*! Group label (parts joined by " & " for the intersection); groups are in bytewise order. */
FAIR_API const char *fair_audit_group_label(const fair_audit *a, size_t attr, size_t g);
FAIR_API fair_counts fair_audit_group_counts(const fair_audit *a, size_t attr, size_t g);
/*! Index of the reference group of `attr`. */
FAIR_API size_t fair_audit_reference(const fair_audit *a, size_t attr);
/*! The group's score metrics, or NULL without a score column (or for a suppressed group). */
FAIR_API const fair_score_metrics *fair_audit_group_score(const fair_audit *a, size_t attr, size_t g);
/*! The group's reliability curve (fair_audit_group_score()->n_bins entries), or NULL. */
FAIR_API const fair_reliability_bin *fair_audit_group_reliability(const fair_audit *a, size_t attr,
                                                                  size_t g);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_AUDIT_H */

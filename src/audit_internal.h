/* audit_internal.h -- the layout of a finished audit, shared by audit.c and the report
 * writers; never installed. */
#ifndef FAIR_AUDIT_INTERNAL_H
#define FAIR_AUDIT_INTERNAL_H
#include "internal.h"

/* A number that may be undefined: when !defined, `reason` says why (static string). */
typedef struct {
    int defined;
    double value;
    const char *reason;
} fair__num;

/* An interval; ok == 0 when not defined for these counts. */
typedef struct {
    int ok;
    double lo, hi;
} fair__ci;

/* A comparison with the reference group: a ratio or a difference, with its analytic interval. */
typedef struct {
    fair__num est;
    fair__ci ci; /* Katz log interval for ratios, Newcombe hybrid score for differences */
} fair__cmp;

/* The metrics tested against the reference group with a two-proportion z test. */
#define FAIR__N_TESTED 3
extern const fair_metric_id fair__tested_metrics[FAIR__N_TESTED];

typedef struct {
    fair__num z, p, p_adj;
} fair__ztest;

/* Bootstrap intervals of one statistic. */
typedef struct {
    int computed;           /* the bootstrap ran for it */
    uint64_t undefined;     /* replicates in which the statistic was not defined */
    fair__ci pct;           /* percentile interval */
    fair__ci bca;           /* bias-corrected and accelerated interval */
    const char *bca_reason; /* why bca is missing, when it is */
} fair__boot;

typedef struct {
    char *label;       /* parts joined by " & " */
    char **parts;      /* the intersection's parts (n_parts of them); NULL for one column */
    size_t n_parts;
    fair_counts c;
    uint64_t n;
    int too_small;     /* n < min_group_size */
    int suppressed;    /* n < suppress_below: nothing but the label is reported */
    fair_metric_value m[FAIR_METRIC_COUNT];
    fair__ci wilson[FAIR_METRIC_COUNT];
    fair__ci cp[FAIR_METRIC_COUNT];
    fair__cmp ratio[FAIR_METRIC_COUNT];
    fair__cmp diff[FAIR_METRIC_COUNT];
    fair__ztest test[FAIR__N_TESTED];
    fair__boot boot_m[FAIR_METRIC_COUNT];     /* bootstrap of each metric */
    fair__boot boot_ratio[FAIR_METRIC_COUNT]; /* ... of the ratio to the reference */
    fair__boot boot_diff[FAIR_METRIC_COUNT];  /* ... of the difference from the reference */
    /* with a score column */
    int has_hist;
    fair__shist hist;                         /* sorted by score */
    fair_score_metrics sm;
    fair_reliability_bin *reliability;        /* sm.n_bins entries */
    fair__boot boot_score[FAIR_SCORE_METRIC_COUNT];
} fair__group;

/* Per-attribute summaries (Fairlearn's names; docs/metrics.md). */
#define FAIR__SUMMARY_MAP(X)                                                                       \
    X(DP_RATIO, demographic_parity_ratio)                                                          \
    X(DP_DIFF, demographic_parity_difference)                                                      \
    X(EO_DIFF, equalized_odds_difference)                                                          \
    X(EO_RATIO, equalized_odds_ratio)                                                              \
    X(EOPP_DIFF, equal_opportunity_difference)                                                     \
    X(AOD, average_odds_difference)                                                                \
    X(PP_DIFF, predictive_parity_difference)

typedef enum {
#define X(id, name) FAIR__SUM_##id,
    FAIR__SUMMARY_MAP(X)
#undef X
    FAIR__SUM_COUNT
} fair__summary_id;
extern const char *const fair__summary_names[FAIR__SUM_COUNT];

/* A test of independence across the groups of an attribute. */
typedef struct {
    const char *name;    /* "selection", "tpr" (errors among actual positives), "fpr" */
    fair__num stat, df, p;
    fair__num fisher_p;  /* two groups only */
    size_t groups;       /* groups entering the table */
} fair__indep;

#define FAIR__N_INDEP 3

typedef struct fair__attr {
    char *name;
    size_t n_cols;          /* 1, or the number of columns crossed */
    fair__group *groups;    /* bytewise order of labels */
    size_t n_groups;
    size_t ref;             /* reference group */
    const char *ref_rule;   /* "value", "largest" or "best" */
    fair__num summary[FAIR__SUM_COUNT];
    size_t summary_groups;  /* groups the summaries are taken over */
    fair__indep indep[FAIR__N_INDEP];
    fair__boot boot_summary[FAIR__SUM_COUNT];
    /* with a score column: the analysis again at other operating points */
    struct fair__attr *at_threshold;  /* one per --thresholds value */
    double *thresholds;
    size_t n_thresholds;
    struct fair__attr *top;           /* the k highest scores selected, or NULL */
} fair__attr;

/* Summaries of one attribute from per-group metrics m[g][k]; eligible[g] says which groups
 * take part; ref is the reference group. Used for the point estimate and each replicate. */
void fair__summaries(const fair_metric_value (*m)[FAIR_METRIC_COUNT], const unsigned char *eligible,
                     size_t n_groups, size_t ref, fair__num out[FAIR__SUM_COUNT]);

/* Builds an attribute from counts (labels borrowed are copied), computing metrics, the
 * reference (o's rule; no values), comparisons and tests: for tests and simulations. */
fair_status fair__attr_from_counts(const char *name, const char *const *labels,
                                   const fair_counts *counts, size_t n_groups,
                                   const fair_audit_options *o, size_t force_ref, fair__attr *at,
                                   fair_error *err);
void fair__attr_release(fair__attr *at);

/* The score options an audit's options imply (bins, binning, range, level). */
void fair__score_options_from(const fair_audit_options *o, fair_score_options *so);

/* For the score bootstrap, which evaluates one histogram's scores under many sets of counts:
 * fair__score_logits() writes the clamped logit of each of h's m scores into `logit`, and
 * fair__score_metrics_resampled() computes the metrics of fair_score_metrics_compute() from
 * them, except the Hosmer-Lemeshow test (left undefined), the reliability curve and the
 * standard errors of the recalibration fit (not computed). With `warm`, the fit starts at the
 * coefficients (a, b) (the whole sample's), and from glm's start should that fail: the
 * coefficients are those of the same maximum of the likelihood, within the fit's tolerance.
 * FAIR_EINVAL for a histogram fair_score_metrics_compute() refuses. */
typedef struct {
    const double *logit; /* clamped logit of each score */
    int warm;
    double a, b;         /* intercept and slope to start the fit at, when warm */
} fair__score_resample;
void fair__score_logits(const fair_score_hist *h, const fair_score_options *o, double *logit);
fair_status fair__score_metrics_resampled(const fair_score_hist *h, const fair__score_resample *rs,
                                          const fair_score_options *o, fair_score_metrics *out);

/* Bootstrap intervals for every metric, comparison and summary of `at` (bootstrap.c). The
 * random streams are keyed by the attribute's name and the groups' labels. */
fair_status fair__boot_attr(fair__attr *at, const fair_audit_options *o, fair_error *err);

/* The largest score-range end accepted: every computation on the range (width, grid step,
 * bin edges up to 1000 bins) stays finite far beyond it, and no score needs more. */
#define FAIR__SCORE_MAX_ABS 1e15

/* Checks that the options describe a possible audit (columns, roles, ranges, limits). */
fair_status fair__check_options(const fair_audit_options *o, fair_error *err);

/* The analysis of what an ingest (or a merge of partial states) counted: everything that
 * fair_audit_run() does after reading. `in` is borrowed; input_name is copied. */
fair_status fair__audit_from_ingest(const char *input_name, const fair__ingest *in,
                                    const fair_audit_options *o, fair_audit **out, fair_error *err);

/* One input of an audit made from partial states (fair_audit_from_state()). */
typedef struct {
    char *name;      /* the path the state was made from (the report's `run` part) */
    uint64_t bytes;  /* its size as stored */
    int gzip;
    int has_sha256;
    unsigned char sha256[32]; /* SHA-256 of the input as stored, when its state records it */
} fair__shard;

struct fair_audit {
    char *input_name;
    uint64_t input_bytes;
    unsigned char input_sha256[32]; /* SHA-256 of the input as stored (compressed when gzip) */
    int gzip;
    char delim;
    int comma_decimal;
    uint64_t rows_read, rows_used, skipped[FAIR_SKIP_COUNT], lines;
    size_t threads_used;
    fair_audit_options opt;  /* a copy; its strings point to the copies below, arrays NULL */
    char *label_col, *pred_col, *score_col, *label_positive, *pred_positive;
    char **group_cols;
    fair__attr *attrs;
    size_t n_attrs;
    /* --top-k / --top-fraction */
    int has_top;
    uint64_t top_requested;   /* k asked for */
    uint64_t top_selected;    /* rows selected: k plus the rows tied at the cut */
    double top_cut;           /* the lowest selected score */
    /* made from partial states of several inputs: each one (else n_shards == 0) */
    fair__shard *shards;
    size_t n_shards;
};

#endif /* FAIR_AUDIT_INTERNAL_H */

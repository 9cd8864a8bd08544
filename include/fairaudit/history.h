/* fairaudit/history.h -- the history database: every run's figures in an SQLite file, for trends. */
#ifndef FAIR_HISTORY_H
#define FAIR_HISTORY_H
#include <stdint.h>
#include <stdio.h>
#include "fairaudit/error.h"
#include "fairaudit/report.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! The schema version this library writes (PRAGMA user_version of the database). Older
 *  databases are migrated forward when opened for writing; newer ones are refused. */
#define FAIR_HISTORY_SCHEMA_VERSION 1

/*! fair_history_append() : records the run described by `report_json` (the JSON report of an
 *  audit or a ratio study, as fair_report_write() writes it; `len` bytes, borrowed) in the
 *  database `db_path`, creating it when missing. The run is written in one transaction: after
 *  a crash or a kill the database holds the whole run or none of it. Concurrent writers wait
 *  for each other up to `busy_timeout_ms` milliseconds.
 *  @return FAIR_OK and the new run's id in *run_id (may be NULL); FAIR_EDATA (the report is not
 *          a fairaudit report, or the database is not a fairaudit history or has a newer
 *          schema), FAIR_EIO (cannot open or write the database, or still busy after the
 *          timeout) or FAIR_ENOMEM.
 *  Thread-safety: reentrant (one connection per call). */
FAIR_API fair_status fair_history_append(const char *db_path, const char *report_json, size_t len,
                                         int busy_timeout_ms, int64_t *run_id, fair_error *err);

/*! fair_history_check() : runs SQLite's integrity and foreign-key checks on the database and
 *  checks that it is a fairaudit history this version reads; *n_runs gets the number of runs.
 *  @return FAIR_OK; FAIR_EDATA (damaged, or not a fairaudit history), FAIR_EIO or FAIR_ENOMEM. */
FAIR_API fair_status fair_history_check(const char *db_path, uint64_t *n_runs, fair_error *err);

/*! Which series fair_history_write() shows. NULL fields match everything; a group of "" selects
 *  the figures of an attribute as a whole (summaries and tests). */
typedef struct {
    const char *metric;    /* figure name, e.g. "demographic_parity_ratio", "selection_rate" */
    const char *attribute; /* attribute name, e.g. "nationality" */
    const char *group;     /* group label */
    uint64_t last;         /* only the last N runs (0 = all) */
} fair_history_query;

/*! fair_history_query_init() : everything, all runs. */
FAIR_API void fair_history_query_init(fair_history_query *q);

/*! fair_history_write() : writes to `out` the runs of the database `db_path` (no metric given)
 *  or the series of the figures that `q` selects, one point per run, in format `f`: text, json
 *  or html (a self-contained page with one trend chart per series: value and interval per run;
 *  `thresholds`, when not NULL, draws `n_thresholds` horizontal lines labelled by their value).
 *  The database is opened read-only.
 *  @return FAIR_OK; FAIR_EINVAL (no figure matches, or a format history cannot write), FAIR_EDATA
 *          (not a fairaudit history database), FAIR_EIO or FAIR_ENOMEM. */
FAIR_API fair_status fair_history_write(const char *db_path, const fair_history_query *q,
                                        const double *thresholds, size_t n_thresholds,
                                        fair_format f, FILE *out, fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_HISTORY_H */

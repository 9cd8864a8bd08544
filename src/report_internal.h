/* report_internal.h -- the report writers, behind fair_report_write() and
 * fair_report_doc_write(); never installed. */
#ifndef FAIR_REPORT_INTERNAL_H
#define FAIR_REPORT_INTERNAL_H
#include <jansson.h>
#include <stdio.h>
#include "audit_internal.h"

/* A report document: the JSON tree, and the audit it was made from (NULL when loaded). */
/* The text writer of a document's origin (an audit, a ratio study, a comparison): `obj` is
 * the origin, borrowed. */
typedef fair_status (*fair__text_writer)(const void *obj, const fair_report_run *run, FILE *out,
                                         fair_error *err);

struct fair_report_doc {
    json_t *root;             /* owned */
    const void *origin;       /* borrowed; NULL for a document read from a file */
    fair__text_writer text;   /* the origin's text writer; NULL with origin */
    char *command_line;       /* owned copies of the run's strings, for the text writer */
    char *timestamp;
};

/* A document around `root` (owned by the document from here, also on failure; NULL = out of
 * memory) whose text format is `text` on `origin` (both may be NULL). */
fair_status fair__report_doc_wrap(json_t *root, const void *origin, fair__text_writer text,
                                  const fair_report_run *run, fair_report_doc **out,
                                  fair_error *err);

fair_status fair__report_json(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
fair_status fair__report_text(const fair_audit *a, const fair_report_run *run, FILE *out,
                              fair_error *err);
/* The JSON tree of an audit (docs/json-schema.md); NULL when out of memory. */
json_t *fair__report_json_tree(const fair_audit *a, const fair_report_run *run);
/* Writes a JSON tree as the JSON report does (2-space indent, 17 significant digits). */
fair_status fair__report_json_dump(const json_t *root, FILE *out, fair_error *err);

/* Writers that render a document's JSON tree (report_html.c, report_md.c, report_csv.c,
 * report_junit.c). They dispatch on the document's kind and leave out what they do not know. */
fair_status fair__report_html(const json_t *root, FILE *out, fair_error *err);
fair_status fair__report_md(const json_t *root, FILE *out, fair_error *err);
fair_status fair__report_csv(const json_t *root, FILE *out, fair_error *err);
fair_status fair__report_junit(const json_t *root, FILE *out, fair_error *err);
/* The policy section of the text report, after the audit's tables (nothing without a policy). */
fair_status fair__report_text_checks(const json_t *root, int color, FILE *out, fair_error *err);

/* ---- reading the tree (report_tree.c) ---- */
/* The document's kind: the top-level "kind", or "audit" when there is none. */
const char *fair__doc_kind(const json_t *root);
/* o[key] as a string / a number (integer or real); NULL / 0 when absent or of another type. */
const char *fair__jstr(const json_t *o, const char *key);
int fair__jnum(const json_t *o, const char *key, double *v);
/* A metric object {value, ci_low, ci_high, ...}: 1 when its value is a number; *has_ci says
 * whether both interval ends are. */
int fair__jmetric(const json_t *m, double *v, double *lo, double *hi, int *has_ci);
/* A group's metrics, wherever the kind puts them: the objects with a "value" key among the
 * group's members, and their members down to three levels ("metrics", "score.metrics", a ratio
 * study's statistics), but not "vs_reference". Up to `cap` (name, object) pairs, in document
 * order; returns how many. */
size_t fair__group_metrics(const json_t *group, const char **names, const json_t **vals,
                           size_t cap);
/* Escapes for HTML and XML: & < > " ' as entities; bytes below 0x20 but tab, newline and
 * carriage return as U+FFFD (XML 1.0 does not allow them). */
int fair__put_xml(FILE *out, const char *s);
/* The metric columns of a table of an attribute's groups, at most `cap`: for an audit its usual
 * rates (selection_rate, base_rate, tpr, fpr, ppv, npv, accuracy, in that order); for other
 * kinds the metrics of the first group that has any (fair__group_metrics() order). The names
 * point into the document. Returns how many. */
size_t fair__table_columns(const json_t *at, int audit, const char **cols, size_t cap);
/* A set's label: its group ("all" for a ratio study's sales as a whole), or a ratio study's
 * value stratum ("Q1"...). */
const char *fair__set_label(const json_t *set);
/* A ratio study's sets beyond its attributes, each as a table holder like an attribute (an
 * object with "groups"): `all` holds the overall set, `strata` is results.strata (NULL or with
 * no groups when the study has none). Returns 0 when the document is not a ratio study's;
 * `*all` is a new reference for the caller to json_decref(). */
int fair__ratio_sets(const json_t *root, json_t **all, const json_t **strata);
/* Writes `s` with control characters as '?' (report_text.c): for the terminal. */
void fair__put_clean(FILE *out, const char *s);
/* A number for people: 4 significant digits ("0.1587", "1.792", "7.5e-88"). */
void fair__fmt_num(char *buf, size_t cap, double v);

/* Why a group's bootstrap interval of metric k cannot be trusted (too small a group, a rate
 * of 0 or 1, undefined replicates), or NULL; NULL also when no bootstrap ran. */
const char *fair__unreliable(const fair__group *gr, size_t k);
/* As fair__unreliable(), for score metric k: too small a group, fewer than 10 positives or
 * negatives, or replicates in which the metric is not defined. */
const char *fair__unreliable_score(const fair__group *gr, size_t k);
/* A JSON string of `s` (NULL: null), its bytes from 0x80 as the text \xHH when `s` is not
 * UTF-8, as in the audit report; NULL when out of memory. */
json_t *fair__json_string(const char *s);

/* Building a JSON tree with jansson: every setter returns -1 (every constructor NULL) when out
 * of memory, and one flag catches them all; the tree is dropped at the end when it is set. */
typedef struct {
    int failed;
} fair__jctx;

static inline json_t *fair__jchk(fair__jctx *c, json_t *v)
{
    if (!v) c->failed = 1;
    return v;
}

static inline void fair__jset(fair__jctx *c, json_t *obj, const char *key, json_t *v)
{
    if (!v || !obj || json_object_set_new(obj, key, v) != 0) c->failed = 1;
}

static inline void fair__jpush(fair__jctx *c, json_t *arr, json_t *v)
{
    if (!v || !arr || json_array_append_new(arr, v) != 0) c->failed = 1;
}

/* A report's `run` part: the input's path (and the shards' paths, owned from here, or NULL),
 * the command line, the time, the threads asked for and those the parse used. */
json_t *fair__run_json(fair__jctx *c, const char *input_name, json_t *input_paths,
                       const fair_report_run *run, size_t n_threads, size_t threads_used);

/* "wilson" or "clopper_pearson". */
const char *fair__interval_name(fair_interval i);

#endif /* FAIR_REPORT_INTERNAL_H */

/* doc_internal.h -- reading fairaudit's own JSON reports back: the flat list of every figure
 * in a report's `results`, shared by `compare` and the history database. Not installed. */
#ifndef FAIR_DOC_INTERNAL_H
#define FAIR_DOC_INTERNAL_H
#include <jansson.h>
#include "internal.h"

/* The newest report schema_version this version reads: the one it writes. */
#define FAIR__DOC_SCHEMA_MAX FAIR__JSON_SCHEMA_VERSION

/* One figure of a report. `attribute` is "" for figures of the whole run, `group` "" for an
 * attribute's own figures (summaries, tests). `name` is the figure's path below its group or
 * attribute, with the containers "metrics." and "summary." left out: "selection_rate",
 * "vs_reference.selection_rate.ratio", "demographic_parity_ratio", "n". */
typedef struct {
    char *attribute;
    char *group;
    char *name;
    int has_value;
    double value;
    int has_ci;
    double ci_low, ci_high;
    char *ci_method; /* NULL when none */
    char *reason;    /* why the value is undefined; NULL when defined */
} fair__figure;

typedef struct {
    fair__figure *v; /* sorted bytewise by (attribute, group, name), no duplicates */
    size_t n, cap;
} fair__figures;

/* Loads a JSON report from `path` ("-" = standard input) and checks that it is one of ours
 * (a "tool" object named fairaudit, a "results" object and a schema_version this version
 * reads). At most `max_bytes` are read. On failure *out is NULL and `err` says why. */
fair_status fair__doc_load(const char *path, size_t max_bytes, json_t **out, fair_error *err);

/* As fair__doc_load(), from text in memory; `what` names it in messages. */
fair_status fair__doc_parse(const char *text, size_t len, const char *what, json_t **out,
                            fair_error *err);

/* Every figure of `doc`'s results, sorted. */
fair_status fair__figures_of(const json_t *doc, fair__figures *out, fair_error *err);
void fair__figures_release(fair__figures *f);

/* The figure (attribute, group, name), or NULL. */
const fair__figure *fair__figures_find(const fair__figures *f, const char *attribute,
                                       const char *group, const char *name);

/* Bytewise order of figures by (attribute, group, name). */
int fair__figure_cmp(const fair__figure *a, const fair__figure *b);

/* A string member of an object, or NULL. */
const char *fair__json_str(const json_t *obj, const char *key);

#endif /* FAIR_DOC_INTERNAL_H */

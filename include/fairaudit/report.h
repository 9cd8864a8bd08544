/* fairaudit/report.h -- report writers: text for a terminal, JSON for machines, and HTML,
 * Markdown, CSV and JUnit XML rendered from the JSON document. */
#ifndef FAIR_REPORT_H
#define FAIR_REPORT_H
#include <stdio.h>
#include "fairaudit/audit.h"
#include "fairaudit/error.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    FAIR_FORMAT_TEXT = 0,
    FAIR_FORMAT_JSON = 1,
    FAIR_FORMAT_HTML = 2,     /* one self-contained page, inline CSS and SVG, no scripts */
    FAIR_FORMAT_MARKDOWN = 3, /* tables for a ticket or a wiki */
    FAIR_FORMAT_CSV = 4,      /* per-group metrics, one row per group and metric */
    FAIR_FORMAT_JUNIT = 5     /* one test case per policy check */
} fair_format;

/*! fair_format_from_name() : "text", "json", "html", "markdown", "csv" or "junit";
 *  returns 0 when unknown. */
FAIR_API int fair_format_from_name(const char *name, fair_format *f);

/*! fair_format_from_path() : the format a file name's extension asks for (.json, .txt, .text,
 *  .html, .htm, .md, .csv, .xml = JUnit); returns 0 when the extension names no known format. */
FAIR_API int fair_format_from_path(const char *path, fair_format *f);

/*! What varies legitimately between runs; it goes into the report's `run` part, never into
 *  `results`. All strings borrowed; any may be NULL. */
typedef struct {
    const char *command_line; /* the full command line as typed, for the record */
    const char *timestamp;    /* ISO 8601 UTC time of the run */
    int color;                /* text only: 1 = ANSI colours */
} fair_report_run;

/*! fair_report_write() : writes the report of `a` in format `f` to `out` (borrowed).
 *  @return FAIR_OK, FAIR_EIO (write failed) or FAIR_ENOMEM. Reentrant. */
FAIR_API fair_status fair_report_write(const fair_audit *a, fair_format f,
                                       const fair_report_run *run, FILE *out, fair_error *err);

/*! fair_report_write_file() : as fair_report_write(), atomically: into a temporary file in the
 *  same folder, flushed to disk, then renamed over `path`. On failure `path` is untouched. */
FAIR_API fair_status fair_report_write_file(const fair_audit *a, fair_format f,
                                            const fair_report_run *run, const char *path,
                                            fair_error *err);

/* ---- the report document: the JSON tree every format but text is rendered from ---- */

/*! A report document: the JSON report (docs/json-schema.md) held in memory, built from an
 *  audit or read from a file. Policy checks (fairaudit/policy.h) are added to it; the writers
 *  below render it. Documents of other kinds ("kind" at the top level: "audit", "ratio", ...)
 *  render too: sections a writer does not know are left out. */
typedef struct fair_report_doc fair_report_doc;

/*! fair_report_doc_create() : CONSTRUCTOR. The document of audit `a` (borrowed: it must
 *  outlive the document, which the text format reads) with `run`'s facts (copied).
 *  @return FAIR_OK or FAIR_ENOMEM; on failure *out == NULL. */
FAIR_API fair_status fair_report_doc_create(const fair_audit *a, const fair_report_run *run,
                                            fair_report_doc **out, fair_error *err);

/*! fair_report_doc_load() : CONSTRUCTOR. Reads a JSON report written by fairaudit.
 *  @return FAIR_OK, FAIR_EIO (cannot read), FAIR_EDATA (not JSON, or not a fairaudit report;
 *          the message names line and column) or FAIR_ENOMEM; on failure *out == NULL. */
FAIR_API fair_status fair_report_doc_load(const char *path, fair_report_doc **out,
                                          fair_error *err);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_report_doc_free(fair_report_doc *d);

/*! fair_report_doc_kind() : the document's kind ("audit" when it names none); borrowed. */
FAIR_API const char *fair_report_doc_kind(const fair_report_doc *d);

/*! fair_report_doc_write() : renders `d` in format `f` to `out` (borrowed). `color` asks for
 *  ANSI colours (text only). The text format needs a document made from an audit.
 *  @return FAIR_OK, FAIR_EIO, FAIR_EINVAL (text of a loaded document) or FAIR_ENOMEM. */
FAIR_API fair_status fair_report_doc_write(const fair_report_doc *d, fair_format f, int color,
                                           FILE *out, fair_error *err);

/*! fair_report_doc_write_file() : as fair_report_doc_write(), atomically (see
 *  fair_report_write_file()), never with colours. */
FAIR_API fair_status fair_report_doc_write_file(const fair_report_doc *d, fair_format f,
                                                const char *path, fair_error *err);

/* ---- verification: the auditor's re-run ---- */

typedef enum {
    FAIR_VERIFY_MATCH = 0,         /* the re-run gave the same results, byte for byte */
    FAIR_VERIFY_DIFFER = 1,        /* the input is the same, the results are not */
    FAIR_VERIFY_INPUT_CHANGED = 2  /* the input's SHA-256 is not the one the report records */
} fair_verify_outcome;

typedef struct {
    fair_verify_outcome outcome;
    char input[512];          /* the input that was read */
    char expected_sha256[65]; /* as recorded in the report */
    char actual_sha256[65];   /* of the input now */
    char where[512];          /* DIFFER: the first key that differs, as a jq path */
} fair_verify_result;

/*! fair_verify() : re-runs the audit a JSON report records (its results.options) on `input`
 *  (NULL = the path the report records in run.input_path), after checking the input's SHA-256,
 *  and compares the new `results` with the report's (the policy checks left out: they depend on
 *  the policy file, not on the data). `n_threads` as in fair_audit_options (0 = all cores).
 *  @return FAIR_OK with the outcome in *res; FAIR_EIO / FAIR_EDATA / FAIR_EINVAL when the
 *          report cannot be read or re-run (a report of another kind, standard input as its
 *          input), or the audit's own errors; FAIR_ENOMEM. */
FAIR_API fair_status fair_verify(const char *report_path, const char *input, size_t n_threads,
                                 fair_verify_result *res, fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_REPORT_H */

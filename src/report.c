/* report.c -- choosing a report format, the report document (the JSON tree that every format
 * but text is rendered from), and writing a report file atomically: a temporary file in the
 * same folder, flushed and synced, then renamed over the target. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "doc_internal.h"
#include "report_internal.h"

const char *fair__interval_name(fair_interval i)
{
    return i == FAIR_INTERVAL_CLOPPER_PEARSON ? "clopper_pearson" : "wilson";
}

/* Why a group's bootstrap interval of metric k cannot be trusted, or NULL. */
/* Fewer positives or negatives than this in a group make its score metrics rest on too few
 * cases to trust their bootstrap interval (the ten events of the "events per variable" rule of
 * thumb, Peduzzi et al., J Clin Epidemiol 49 (1996) 1373-1379). */
#define SCORE_MIN_EVENTS 10

const char *fair__unreliable_score(const fair__group *gr, size_t k)
{
    const fair__boot *bt = &gr->boot_score[k];
    uint64_t pos = gr->c.tp + gr->c.fn, neg = gr->c.fp + gr->c.tn;
    if (!bt->computed) return NULL;
    if (gr->too_small) return "the group is smaller than --min-group-size";
    if (pos < SCORE_MIN_EVENTS || neg < SCORE_MIN_EVENTS)
        return "fewer than 10 positives or 10 negatives in the group: the score metric rests on "
               "too few cases";
    if (bt->undefined) return "the metric is not defined in some replicates";
    return NULL;
}

const char *fair__unreliable(const fair__group *gr, size_t k)
{
    const fair__boot *bt = &gr->boot_m[k];
    const fair_metric_value *v = &gr->m[k];
    if (!bt->computed) return NULL;
    if (gr->too_small) return "the group is smaller than --min-group-size";
    if (fair_metric_is_proportion((fair_metric_id)k) && (v->num == 0 || v->num == v->den))
        return "the rate is 0 or 1: every replicate gives the same value and the percentile "
               "interval collapses; see the Wilson interval";
    if (bt->undefined) return "the rate is not defined in some replicates";
    return NULL;
}

/* Format names (--format) and file extensions (-o), one table. */
static const struct {
    const char *name;
    fair_format f;
} format_names[] = {{"text", FAIR_FORMAT_TEXT},         {"json", FAIR_FORMAT_JSON},
                    {"html", FAIR_FORMAT_HTML},         {"markdown", FAIR_FORMAT_MARKDOWN},
                    {"csv", FAIR_FORMAT_CSV},           {"junit", FAIR_FORMAT_JUNIT}};
static const struct {
    const char *ext;
    fair_format f;
} format_exts[] = {{".json", FAIR_FORMAT_JSON}, {".txt", FAIR_FORMAT_TEXT},
                   {".text", FAIR_FORMAT_TEXT}, {".html", FAIR_FORMAT_HTML},
                   {".htm", FAIR_FORMAT_HTML},  {".md", FAIR_FORMAT_MARKDOWN},
                   {".csv", FAIR_FORMAT_CSV},   {".xml", FAIR_FORMAT_JUNIT}};

int fair_format_from_name(const char *name, fair_format *f)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i].name) == 0) {
            *f = format_names[i].f;
            return 1;
        }
    return 0;
}

int fair_format_from_path(const char *path, fair_format *f)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) return 0;
    for (size_t i = 0; i < sizeof format_exts / sizeof format_exts[0]; i++)
        if (strcmp(dot, format_exts[i].ext) == 0) {
            *f = format_exts[i].f;
            return 1;
        }
    return 0;
}

fair_status fair__report_doc_wrap(json_t *root, const void *origin, fair__text_writer text,
                                  const fair_report_run *run, fair_report_doc **out,
                                  fair_error *err)
{
    fair_report_doc *d = root ? fair__calloc(1, sizeof *d) : NULL;
    *out = NULL;
    if (!d) {
        json_decref(root);
        return fair__fail(err, FAIR_ENOMEM, "out of memory building the report");
    }
    d->root = root;
    d->origin = origin;
    d->text = text;
    if (run && run->command_line) d->command_line = fair__strdup(run->command_line);
    if (run && run->timestamp) d->timestamp = fair__strdup(run->timestamp);
    if ((run && run->command_line && !d->command_line) || (run && run->timestamp && !d->timestamp)) {
        fair_report_doc_free(d);
        return fair__fail(err, FAIR_ENOMEM, "out of memory building the report");
    }
    *out = d;
    return FAIR_OK;
}

static fair_status audit_text(const void *obj, const fair_report_run *run, FILE *out, fair_error *err)
{
    return fair__report_text(obj, run, out, err);
}

fair_status fair_report_doc_create(const fair_audit *a, const fair_report_run *run,
                                   fair_report_doc **out, fair_error *err)
{
    return fair__report_doc_wrap(fair__report_json_tree(a, run), a, audit_text, run, out, err);
}

fair_status fair_report_doc_load(const char *path, fair_report_doc **out, fair_error *err)
{
    json_t *root;
    *out = NULL;
    FAIR__FORWARD(fair__doc_load(path, (size_t)1 << 30, &root, err));
    return fair__report_doc_wrap(root, NULL, NULL, NULL, out, err);
}

void fair_report_doc_free(fair_report_doc *d)
{
    if (!d) return;
    json_decref(d->root);
    fair__free(d->command_line);
    fair__free(d->timestamp);
    fair__free(d);
}

const char *fair_report_doc_kind(const fair_report_doc *d) { return fair__doc_kind(d->root); }

fair_status fair_report_doc_write(const fair_report_doc *d, fair_format f, int color, FILE *out,
                                  fair_error *err)
{
    switch (f) {
    case FAIR_FORMAT_JSON:
        return fair__report_json_dump(d->root, out, err);
    case FAIR_FORMAT_TEXT: {
        fair_report_run run = {d->command_line, d->timestamp, color};
        if (!d->text)
            return fair__fail(err, FAIR_EINVAL,
                              "the text format needs the audit itself; use markdown for a report read from a file");
        FAIR__FORWARD(d->text(d->origin, &run, out, err));
        return fair__report_text_checks(d->root, color, out, err);
    }
    case FAIR_FORMAT_HTML:
        return fair__report_html(d->root, out, err);
    case FAIR_FORMAT_MARKDOWN:
        return fair__report_md(d->root, out, err);
    case FAIR_FORMAT_CSV:
        return fair__report_csv(d->root, out, err);
    case FAIR_FORMAT_JUNIT:
        return fair__report_junit(d->root, out, err);
    }
    return fair__fail(err, FAIR_EINVAL, "unknown report format");
}

fair_status fair_report_write(const fair_audit *a, fair_format f, const fair_report_run *run,
                              FILE *out, fair_error *err)
{
    fair_report_doc *d;
    fair_status st;
    if (f == FAIR_FORMAT_JSON) return fair__report_json(a, run, out, err);
    if (f == FAIR_FORMAT_TEXT) return fair__report_text(a, run, out, err);
    FAIR__FORWARD(fair_report_doc_create(a, run, &d, err));
    st = fair_report_doc_write(d, f, 0, out, err);
    fair_report_doc_free(d);
    return st;
}

/* Creates "<path>.tmp.<pid>.<k>" exclusively, mode 0666 less the umask (as any new file);
 * mkstemp would make it 0600, and the report would keep that after the rename. */
static int create_temp(const char *path, size_t n, char *tmp)
{
    for (unsigned k = 0; k < 1000; k++) {
        int fd;
        memcpy(tmp, path, n);
        fair__snprintf(tmp + n, 48, ".tmp.%ld.%u", (long)getpid(), k);
        do {
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        } while (fd < 0 && errno == EINTR);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    errno = EEXIST;
    return -1;
}

/* fair_report_write_file()'s writer: the audit report, without terminal colours. */
typedef struct {
    const fair_audit *a;
    fair_format f;
    fair_report_run run;
} audit_job;

static fair_status write_audit(const void *ctx, FILE *fp, fair_error *err)
{
    const audit_job *j = ctx;
    return fair_report_write(j->a, j->f, &j->run, fp, err);
}

fair_status fair_report_write_file(const fair_audit *a, fair_format f, const fair_report_run *run,
                                   const char *path, fair_error *err)
{
    audit_job j = {a, f, run ? *run : (fair_report_run){0}};
    j.run.color = 0; /* files never get terminal colours */
    return fair__write_atomic(path, write_audit, &j, err);
}

fair_status fair__write_atomic(const char *path, fair__stream_writer write, const void *ctx,
                               fair_error *err)
{
    size_t n = strlen(path);
    char *tmp = fair__malloc(n + 48);
    FILE *fp;
    int fd;
    fair_status st;

    FAIR__RETURN_IF(!tmp, FAIR_ENOMEM, err, "out of memory");
    fd = create_temp(path, n, tmp);
    if (fd < 0) {
        st = fair__fail(err, FAIR_EIO, "cannot write '%s': %s", path, strerror(errno));
        fair__free(tmp);
        return st;
    }
    fp = fdopen(fd, "w");
    if (!fp) {
        st = fair__fail(err, FAIR_EIO, "cannot write '%s': %s", path, strerror(errno));
        close(fd);
        goto fail;
    }
    st = write(ctx, fp, err);
    if (st == FAIR_OK && (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0))
        st = fair__fail(err, FAIR_EIO, "cannot write '%s': %s", path, strerror(errno));
    else if (st != FAIR_OK && st != FAIR_ENOMEM)
        st = fair__fail(err, st, "cannot write '%s': %s", path, errno ? strerror(errno) : "write failed");
    if (fclose(fp) != 0 && st == FAIR_OK)
        st = fair__fail(err, FAIR_EIO, "cannot write '%s': %s", path, strerror(errno));
    if (st != FAIR_OK) goto fail;
    if (rename(tmp, path) != 0) {
        st = fair__fail(err, FAIR_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto fail;
    }
    fair__free(tmp);
    return FAIR_OK;
fail:
    unlink(tmp);
    fair__free(tmp);
    return st;
}

/* fair_report_doc_write_file()'s writer: a document, never with colours. */
typedef struct {
    const fair_report_doc *d;
    fair_format f;
} doc_job;

static fair_status write_doc(const void *ctx, FILE *fp, fair_error *err)
{
    const doc_job *j = ctx;
    return fair_report_doc_write(j->d, j->f, 0, fp, err);
}

fair_status fair_report_doc_write_file(const fair_report_doc *d, fair_format f, const char *path,
                                       fair_error *err)
{
    doc_job j = {d, f};
    return fair__write_atomic(path, write_doc, &j, err);
}

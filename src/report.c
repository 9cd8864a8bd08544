/* report.c -- choosing a report format, and writing a report file atomically: a temporary file
 * in the same folder, flushed and synced, then renamed over the target. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "report_internal.h"

const char *fair__interval_name(fair_interval i)
{
    return i == FAIR_INTERVAL_CLOPPER_PEARSON ? "clopper_pearson" : "wilson";
}

/* Why a group's bootstrap interval of metric k cannot be trusted, or NULL. */
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

int fair_format_from_name(const char *name, fair_format *f)
{
    if (strcmp(name, "text") == 0) *f = FAIR_FORMAT_TEXT;
    else if (strcmp(name, "json") == 0) *f = FAIR_FORMAT_JSON;
    else if (strcmp(name, "html") == 0) *f = FAIR_FORMAT_HTML;
    else return 0;
    return 1;
}

int fair_format_from_path(const char *path, fair_format *f)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash)) return 0;
    if (strcmp(dot, ".json") == 0) *f = FAIR_FORMAT_JSON;
    else if (strcmp(dot, ".txt") == 0 || strcmp(dot, ".text") == 0) *f = FAIR_FORMAT_TEXT;
    else return 0;
    return 1;
}

fair_status fair_report_write(const fair_audit *a, fair_format f, const fair_report_run *run,
                              FILE *out, fair_error *err)
{
    switch (f) {
    case FAIR_FORMAT_JSON:
        return fair__report_json(a, run, out, err);
    case FAIR_FORMAT_TEXT:
        return fair__report_text(a, run, out, err);
    case FAIR_FORMAT_HTML:
        break;
    }
    return fair__fail(err, FAIR_EINVAL, "unknown report format");
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

fair_status fair_report_write_file(const fair_audit *a, fair_format f, const fair_report_run *run,
                                   const char *path, fair_error *err)
{
    size_t n = strlen(path);
    char *tmp = fair__malloc(n + 48);
    fair_report_run r = run ? *run : (fair_report_run){0};
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
    r.color = 0; /* files never get terminal colours */
    st = fair_report_write(a, f, &r, fp, err);
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

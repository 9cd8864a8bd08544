/* history.c -- the history database (docs/history.md): one SQLite file that every nightly run
 * appends to, and the trend of any figure read back from it. Writers take the database's
 * write lock at the start of their transaction (BEGIN IMMEDIATE) and wait for each other up to
 * a busy timeout; a run is one transaction, so a killed job leaves the database as it was. */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "doc_internal.h"
#include "report_internal.h"
#include "fairaudit/history.h"

/* 'FAIR' in PRAGMA application_id tells our databases from others. */
#define APPLICATION_ID 0x46414952

/* Migrations: entry v brings a database from user_version v to v + 1. Append only. */
static const char *const migrations[FAIR_HISTORY_SCHEMA_VERSION] = {
    /* 0 -> 1 */
    "CREATE TABLE runs ("
    " run_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " recorded_at TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " tool_version TEXT NOT NULL,"
    " command_line TEXT,"
    " input TEXT,"
    " options TEXT,"
    " rows_read INTEGER,"
    " rows_used INTEGER,"
    " rows_skipped INTEGER,"
    " report TEXT NOT NULL);"
    "CREATE TABLE figures ("
    " run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
    " attribute TEXT NOT NULL,"
    " grp TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " value REAL,"
    " ci_low REAL,"
    " ci_high REAL,"
    " ci_method TEXT,"
    " reason TEXT,"
    " PRIMARY KEY (run_id, attribute, grp, name)) WITHOUT ROWID;"
    "CREATE INDEX figures_series ON figures(name, attribute, grp, run_id);",
};

static fair_status db_fail(fair_error *err, sqlite3 *db, const char *path, const char *what)
{
    int code = db ? sqlite3_errcode(db) : SQLITE_CANTOPEN;
    const char *msg = db ? sqlite3_errmsg(db) : "cannot open";
    fair_status st = code == SQLITE_NOMEM ? FAIR_ENOMEM : code == SQLITE_NOTADB ? FAIR_EDATA : FAIR_EIO;
    if (code == SQLITE_NOTADB)
        return fair__fail(err, st, "%s: not a fairaudit history database (not an SQLite file)", path);
    return fair__fail(err, st, "%s: %s: %s", path, what, msg);
}

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL); }

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_finalize(s);
    return rc;
}

/* Inside a write transaction: brings the schema to the current version, or refuses a
 * database that is not ours or is newer. */
static fair_status migrate(sqlite3 *db, const char *path, fair_error *err)
{
    int version, app, tables;
    char sql[96];
    if (pragma_int(db, "PRAGMA user_version", &version) != SQLITE_OK ||
        pragma_int(db, "PRAGMA application_id", &app) != SQLITE_OK ||
        pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK)
        return db_fail(err, db, path, "cannot read the schema");
    if (app != APPLICATION_ID && (app != 0 || tables != 0 || version != 0))
        return fair__fail(err, FAIR_EDATA, "%s: an SQLite database, but not a fairaudit history "
                          "(application_id %d)", path, app);
    if (version > FAIR_HISTORY_SCHEMA_VERSION)
        return fair__fail(err, FAIR_EDATA, "%s: history schema version %d was written by a newer "
                          "fairaudit; this one reads versions up to %d", path, version,
                          FAIR_HISTORY_SCHEMA_VERSION);
    for (int v = version; v < FAIR_HISTORY_SCHEMA_VERSION; v++) {
        if (exec(db, migrations[v]) != SQLITE_OK) return db_fail(err, db, path, "cannot migrate");
    }
    fair__snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                   APPLICATION_ID, FAIR_HISTORY_SCHEMA_VERSION);
    if (version != FAIR_HISTORY_SCHEMA_VERSION && exec(db, sql) != SQLITE_OK)
        return db_fail(err, db, path, "cannot set the schema version");
    return FAIR_OK;
}

/* Binds a JSON subtree as compact text, or NULL when absent. */
static int bind_json(sqlite3_stmt *s, int i, const json_t *v)
{
    char *t;
    int rc;
    if (!v) return sqlite3_bind_null(s, i);
    t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!t) return SQLITE_NOMEM;
    rc = sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    free(t);
    return rc;
}

static int bind_str(sqlite3_stmt *s, int i, const char *v)
{
    return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

static int bind_count(sqlite3_stmt *s, int i, const json_t *v)
{
    return json_is_integer(v) ? sqlite3_bind_int64(s, i, (sqlite3_int64)json_integer_value(v))
                              : sqlite3_bind_null(s, i);
}

static int insert_run(sqlite3 *db, const json_t *doc, const char *text, size_t len, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO runs (recorded_at, kind, tool_version, command_line, input, options,"
        " rows_read, rows_used, rows_skipped, report) VALUES (?,?,?,?,?,?,?,?,?,?)";
    const json_t *res = json_object_get(doc, "results"), *run = json_object_get(doc, "run");
    const json_t *rows = json_object_get(res, "rows");
    const json_t *input = json_object_get(res, "inputs");
    const char *ts = fair__json_str(run, "timestamp");
    const char *kind = fair__json_str(res, "kind");
    const char *version = fair__json_str(json_object_get(doc, "tool"), "version");
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, sql, sizeof sql, &s, NULL);
    if (rc != SQLITE_OK) return rc;
    if (!input) input = json_object_get(res, "input");
    rc = bind_str(s, 1, ts ? ts : "unknown");
    if (rc == SQLITE_OK) rc = bind_str(s, 2, kind ? kind : "unknown");
    /* A report edited by hand may lack the version; the column is NOT NULL (found by fuzz_doc). */
    if (rc == SQLITE_OK) rc = bind_str(s, 3, version ? version : "unknown");
    if (rc == SQLITE_OK) rc = bind_str(s, 4, fair__json_str(run, "command_line"));
    if (rc == SQLITE_OK) rc = bind_json(s, 5, input);
    if (rc == SQLITE_OK) rc = bind_json(s, 6, json_object_get(res, "options"));
    if (rc == SQLITE_OK) rc = bind_count(s, 7, json_object_get(rows, "read"));
    if (rc == SQLITE_OK) rc = bind_count(s, 8, json_object_get(rows, "used"));
    if (rc == SQLITE_OK) rc = bind_count(s, 9, json_object_get(json_object_get(rows, "skipped"), "total"));
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(s, 10, text, (int)len, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    sqlite3_finalize(s);
    *id = (int64_t)sqlite3_last_insert_rowid(db);
    return rc;
}

static int insert_figures(sqlite3 *db, int64_t id, const fair__figures *f)
{
    static const char sql[] = "INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?)";
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, sql, sizeof sql, &s, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < f->n; i++) {
        const fair__figure *x = &f->v[i];
        sqlite3_reset(s);
        rc = sqlite3_bind_int64(s, 1, id);
        if (rc == SQLITE_OK) rc = bind_str(s, 2, x->attribute);
        if (rc == SQLITE_OK) rc = bind_str(s, 3, x->group);
        if (rc == SQLITE_OK) rc = bind_str(s, 4, x->name);
        if (rc == SQLITE_OK) rc = x->has_value ? sqlite3_bind_double(s, 5, x->value) : sqlite3_bind_null(s, 5);
        if (rc == SQLITE_OK) rc = x->has_ci ? sqlite3_bind_double(s, 6, x->ci_low) : sqlite3_bind_null(s, 6);
        if (rc == SQLITE_OK) rc = x->has_ci ? sqlite3_bind_double(s, 7, x->ci_high) : sqlite3_bind_null(s, 7);
        if (rc == SQLITE_OK) rc = bind_str(s, 8, x->ci_method);
        if (rc == SQLITE_OK) rc = bind_str(s, 9, x->reason);
        if (rc == SQLITE_OK) rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
    }
    sqlite3_finalize(s);
    return rc;
}

/* exec(), retried while the database is busy, for up to busy_ms. SQLite returns SQLITE_BUSY
 * without waiting where waiting could deadlock: two connections that both hold a shared lock
 * and want to write, as when several jobs switch a new database to WAL at the same moment.
 * One of them then proceeds, and the other retries after it. */
static int exec_retry(sqlite3 *db, const char *sql, int busy_ms)
{
    int rc, waited = 0;
    while ((rc = exec(db, sql)) == SQLITE_BUSY && waited < busy_ms) {
        sqlite3_sleep(20);
        waited += 20;
    }
    return rc;
}

static fair_status open_db(const char *path, int flags, int busy_ms, sqlite3 **out, fair_error *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags, NULL);
    *out = NULL;
    if (rc != SQLITE_OK) {
        fair_status st = db_fail(err, db, path, "cannot open the history database");
        sqlite3_close(db);
        return st;
    }
    sqlite3_busy_timeout(db, busy_ms);
    sqlite3_extended_result_codes(db, 0);
    *out = db;
    return FAIR_OK;
}

fair_status fair_history_append(const char *db_path, const char *report_json, size_t len,
                                int busy_timeout_ms, int64_t *run_id, fair_error *err)
{
    json_t *doc = NULL;
    fair__figures figs;
    sqlite3 *db = NULL;
    int64_t id = 0;
    fair_status st;
    int rc;
    memset(&figs, 0, sizeof figs);
    if (len > INT32_MAX) return fair__fail(err, FAIR_ELIMIT, "the report is too large for the history");
    st = fair__doc_parse(report_json, len, "report", &doc, err);
    if (st == FAIR_OK) st = fair__figures_of(doc, &figs, err);
    if (st == FAIR_OK) st = open_db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms, &db, err);
    if (st == FAIR_OK) {
        /* WAL: readers (a `history` report) never block the nightly writer. The journal mode
         * persists in the file; FULL sync so that a run reported as stored survives power loss. */
        if (exec_retry(db, "PRAGMA journal_mode = WAL", busy_timeout_ms) != SQLITE_OK ||
            exec(db, "PRAGMA synchronous = FULL") != SQLITE_OK ||
            exec(db, "PRAGMA foreign_keys = ON") != SQLITE_OK ||
            exec_retry(db, "BEGIN IMMEDIATE", busy_timeout_ms) != SQLITE_OK)
            st = db_fail(err, db, db_path, "cannot start a transaction");
    }
    if (st == FAIR_OK) {
        st = migrate(db, db_path, err);
        if (st == FAIR_OK) {
            rc = insert_run(db, doc, report_json, len, &id);
            if (rc == SQLITE_OK) rc = insert_figures(db, id, &figs);
            if (rc == SQLITE_OK) rc = exec(db, "COMMIT");
            if (rc != SQLITE_OK) st = db_fail(err, db, db_path, "cannot store the run");
        }
        if (st != FAIR_OK) exec(db, "ROLLBACK");
    }
    if (db && sqlite3_close(db) != SQLITE_OK && st == FAIR_OK)
        st = db_fail(err, db, db_path, "cannot close the history database");
    fair__figures_release(&figs);
    json_decref(doc);
    if (st == FAIR_OK && run_id) *run_id = id;
    return st;
}

void fair_history_query_init(fair_history_query *q)
{
    memset(q, 0, sizeof *q);
}

/* ---- reading the series back ---- */

typedef struct {
    int64_t run;
    char *time;
    int has_value, has_ci;
    double value, lo, hi;
} point;

typedef struct {
    char *attribute, *group, *name;
    point *pts;
    size_t n, cap;
} series;

typedef struct {
    series *v;
    size_t n, cap;
} series_list;

static void series_release(series_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        for (size_t j = 0; j < l->v[i].n; j++) fair__free(l->v[i].pts[j].time);
        fair__free(l->v[i].pts);
        fair__free(l->v[i].attribute);
        fair__free(l->v[i].group);
        fair__free(l->v[i].name);
    }
    fair__free(l->v);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

static int same_series(const series *x, sqlite3_stmt *s)
{
    return strcmp(x->name, col_text(s, 0)) == 0 && strcmp(x->attribute, col_text(s, 1)) == 0 &&
           strcmp(x->group, col_text(s, 2)) == 0;
}

static fair_status add_row(series_list *l, sqlite3_stmt *s)
{
    series *x = l->n ? &l->v[l->n - 1] : NULL;
    point *p;
    if (!x || !same_series(x, s)) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? 2 * l->cap : 16;
            series *v = fair__realloc(l->v, cap * sizeof *v);
            if (!v) return FAIR_ENOMEM;
            l->v = v;
            l->cap = cap;
        }
        x = &l->v[l->n++];
        memset(x, 0, sizeof *x);
        x->name = fair__strdup(col_text(s, 0));
        x->attribute = fair__strdup(col_text(s, 1));
        x->group = fair__strdup(col_text(s, 2));
        if (!x->name || !x->attribute || !x->group) return FAIR_ENOMEM;
    }
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        point *v = fair__realloc(x->pts, cap * sizeof *v);
        if (!v) return FAIR_ENOMEM;
        x->pts = v;
        x->cap = cap;
    }
    p = &x->pts[x->n++];
    memset(p, 0, sizeof *p);
    p->run = sqlite3_column_int64(s, 3);
    p->time = fair__strdup(col_text(s, 4));
    p->has_value = sqlite3_column_type(s, 5) != SQLITE_NULL;
    p->value = sqlite3_column_double(s, 5);
    p->has_ci = sqlite3_column_type(s, 6) != SQLITE_NULL && sqlite3_column_type(s, 7) != SQLITE_NULL;
    p->lo = sqlite3_column_double(s, 6);
    p->hi = sqlite3_column_double(s, 7);
    return p->time ? FAIR_OK : FAIR_ENOMEM;
}

static fair_status load_series(sqlite3 *db, const char *path, const fair_history_query *q,
                               series_list *l, fair_error *err)
{
    static const char sql[] =
        "SELECT f.name, f.attribute, f.grp, r.run_id, r.recorded_at, f.value, f.ci_low, f.ci_high"
        " FROM figures f JOIN runs r ON r.run_id = f.run_id"
        " WHERE (?1 IS NULL OR f.name = ?1) AND (?2 IS NULL OR f.attribute = ?2)"
        " AND (?3 IS NULL OR f.grp = ?3)"
        " AND (?4 = 0 OR r.run_id IN (SELECT run_id FROM runs ORDER BY run_id DESC LIMIT ?4))"
        " ORDER BY f.name, f.attribute, f.grp, r.run_id";
    sqlite3_stmt *s;
    fair_status st = FAIR_OK;
    int rc = sqlite3_prepare_v2(db, sql, sizeof sql, &s, NULL);
    if (rc != SQLITE_OK) return db_fail(err, db, path, "cannot read the history");
    bind_str(s, 1, q->metric);
    bind_str(s, 2, q->attribute);
    bind_str(s, 3, q->group);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)(q->last > INT64_MAX ? INT64_MAX : q->last));
    while (st == FAIR_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        st = add_row(l, s);
        if (st != FAIR_OK) fair__fail(err, st, "out of memory reading the history");
    }
    if (st == FAIR_OK && rc != SQLITE_DONE) st = db_fail(err, db, path, "cannot read the history");
    sqlite3_finalize(s);
    return st;
}

static void fmt_num(char *buf, size_t cap, int has, double v)
{
    if (has) fair__snprintf(buf, cap, "%.6g", v);
    else fair__snprintf(buf, cap, "-");
}

static int write_series_text(const series_list *l, FILE *out)
{
    for (size_t i = 0; i < l->n; i++) {
        const series *x = &l->v[i];
        fprintf(out, "%s%s | attribute %s%s%s%s\n", i ? "\n" : "", x->name,
                x->attribute[0] ? x->attribute : "(run)", x->group[0] ? " | group " : "",
                x->group, "");
        fprintf(out, "  %6s  %-20s  %12s  %12s  %12s\n", "run", "recorded", "value", "ci_low", "ci_high");
        for (size_t j = 0; j < x->n; j++) {
            char v[32], lo[32], hi[32];
            fmt_num(v, sizeof v, x->pts[j].has_value, x->pts[j].value);
            fmt_num(lo, sizeof lo, x->pts[j].has_ci, x->pts[j].lo);
            fmt_num(hi, sizeof hi, x->pts[j].has_ci, x->pts[j].hi);
            fprintf(out, "  %6lld  %-20s  %12s  %12s  %12s\n", (long long)x->pts[j].run,
                    x->pts[j].time, v, lo, hi);
        }
    }
    return ferror(out) ? -1 : 0;
}

static json_t *num_or_null(int has, double v) { return has && isfinite(v) ? json_real(v) : json_null(); }

static json_t *series_json(const series_list *l, const double *thr, size_t n_thr)
{
    json_t *doc = json_object(), *res = json_object(), *arr = json_array(), *th = json_array();
    int bad = !doc || !res || !arr || !th;
    for (size_t i = 0; !bad && i < n_thr; i++) bad = json_array_append_new(th, json_real(thr[i])) != 0;
    for (size_t i = 0; !bad && i < l->n; i++) {
        const series *x = &l->v[i];
        json_t *pts = json_array();
        json_t *o = json_pack("{s:s, s:s, s:s, s:o*}", "attribute", x->attribute, "group", x->group,
                              "metric", x->name, "points", pts);
        bad = !o || !pts;
        for (size_t j = 0; !bad && j < x->n; j++) {
            json_t *p = json_pack("{s:I, s:s, s:o, s:o, s:o}", "run_id", (json_int_t)x->pts[j].run,
                                  "recorded_at", x->pts[j].time,
                                  "value", num_or_null(x->pts[j].has_value, x->pts[j].value),
                                  "ci_low", num_or_null(x->pts[j].has_ci, x->pts[j].lo),
                                  "ci_high", num_or_null(x->pts[j].has_ci, x->pts[j].hi));
            bad = !p || json_array_append_new(pts, p) != 0;
        }
        if (o && json_array_append_new(arr, o) != 0) bad = 1;
    }
    if (!bad) {
        bad = json_object_set_new(res, "kind", json_string("history")) != 0 ||
              json_object_set_new(res, "thresholds", th) != 0 ||
              json_object_set_new(res, "series", arr) != 0;
        th = arr = NULL;
        bad = bad || json_object_set_new(doc, "schema_version", json_integer(FAIR__DOC_SCHEMA_MAX)) != 0 ||
              json_object_set_new(doc, "tool", json_pack("{s:s, s:s}", "name", "fairaudit", "version",
                                                         fair_version_string())) != 0 ||
              json_object_set_new(doc, "results", res) != 0;
        res = NULL;
    }
    json_decref(th);
    json_decref(arr);
    json_decref(res);
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* ---- HTML: one self-contained page, an SVG chart per series ---- */

static void html_text(FILE *out, const char *s) { fair__put_xml(out, s); }

static void chart(FILE *out, const series *x, const double *thr, size_t n_thr)
{
    const double W = 640, H = 220, L = 56, R = 12, T = 12, B = 28;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t j = 0; j < x->n; j++) {
        const point *p = &x->pts[j];
        if (p->has_value) lo = fmin(lo, p->value), hi = fmax(hi, p->value);
        if (p->has_ci) lo = fmin(lo, p->lo), hi = fmax(hi, p->hi);
    }
    for (size_t k = 0; k < n_thr; k++) lo = fmin(lo, thr[k]), hi = fmax(hi, thr[k]);
    if (!(lo <= hi)) {
        fputs("<p class=\"none\">No defined value in these runs.</p>\n", out);
        return;
    }
    if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
    {
        double pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
#define X(j) (x->n > 1 ? L + (W - L - R) * (double)(j) / (double)(x->n - 1) : L + (W - L - R) / 2)
#define Y(v) (T + (H - T - B) * (hi - (v)) / (hi - lo))
    fprintf(out, "<svg viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" role=\"img\">\n", W, H, W, H);
    fprintf(out, "<line class=\"axis\" x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\"/>\n", L, H - B, W - R, H - B);
    fprintf(out, "<line class=\"axis\" x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\"/>\n", L, T, L, H - B);
    fprintf(out, "<text x=\"%g\" y=\"%.2f\" class=\"tick\">%.3g</text>\n", L - 4, Y(hi) + 10, hi);
    fprintf(out, "<text x=\"%g\" y=\"%.2f\" class=\"tick\">%.3g</text>\n", L - 4, Y(lo), lo);
    for (size_t k = 0; k < n_thr; k++)
        fprintf(out, "<line class=\"threshold\" x1=\"%g\" y1=\"%.2f\" x2=\"%g\" y2=\"%.2f\"/>"
                "<text class=\"thlabel\" x=\"%g\" y=\"%.2f\">%.4g</text>\n",
                L, Y(thr[k]), W - R, Y(thr[k]), W - R - 2, Y(thr[k]) - 3, thr[k]);
    for (size_t j = 0; j < x->n; j++) {
        const point *p = &x->pts[j];
        if (p->has_ci)
            fprintf(out, "<line class=\"ci\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
                    X(j), Y(p->lo), X(j), Y(p->hi));
    }
    fputs("<polyline class=\"value\" points=\"", out);
    for (size_t j = 0; j < x->n; j++)
        if (x->pts[j].has_value) fprintf(out, "%.2f,%.2f ", X(j), Y(x->pts[j].value));
    fputs("\"/>\n", out);
    for (size_t j = 0; j < x->n; j++) {
        const point *p = &x->pts[j];
        if (!p->has_value) continue;
        fprintf(out, "<circle class=\"pt\" cx=\"%.2f\" cy=\"%.2f\" r=\"3\"><title>run %lld, ", X(j),
                Y(p->value), (long long)p->run);
        html_text(out, p->time);
        fprintf(out, ": %.6g</title></circle>\n", p->value);
    }
    fprintf(out, "<text class=\"xlabel\" x=\"%g\" y=\"%g\">run %lld</text>", L, H - 8, (long long)x->pts[0].run);
    if (x->n > 1)
        fprintf(out, "<text class=\"xlabel end\" x=\"%g\" y=\"%g\">run %lld</text>", W - R, H - 8,
                (long long)x->pts[x->n - 1].run);
    fputs("\n</svg>\n", out);
#undef X
#undef Y
}

static int write_series_html(const series_list *l, const double *thr, size_t n_thr, FILE *out)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>fairaudit history</title>\n<style>\n"
          "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}\n"
          "h2{font-size:1.05em;margin-top:2em}\n"
          "svg{border:1px solid #ddd;background:#fff}\n"
          ".axis{stroke:#888}.ci{stroke:#7aa6d8;stroke-width:3}\n"
          ".value{fill:none;stroke:#1f4e8c;stroke-width:1.5}.pt{fill:#1f4e8c}\n"
          ".threshold{stroke:#c0392b;stroke-dasharray:4 3}\n"
          ".tick,.thlabel{font-size:10px;text-anchor:end}.thlabel{fill:#c0392b}\n"
          ".xlabel{font-size:10px}.end{text-anchor:end}\n"
          "table{border-collapse:collapse;font-size:.85em}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}\n"
          "@media print{svg{max-width:100%}}\n"
          "</style>\n</head>\n<body>\n<h1>fairaudit history</h1>\n", out);
    fprintf(out, "<p>%zu series. Each point is one run's value; the vertical bar its interval%s.</p>\n",
            l->n, n_thr ? "; dashed lines are the policy thresholds" : "");
    for (size_t i = 0; i < l->n; i++) {
        const series *x = &l->v[i];
        fputs("<section>\n<h2>", out);
        html_text(out, x->name);
        fputs(" &mdash; ", out);
        html_text(out, x->attribute[0] ? x->attribute : "(run)");
        if (x->group[0]) {
            fputs(" = ", out);
            html_text(out, x->group);
        }
        fputs("</h2>\n", out);
        chart(out, x, thr, n_thr);
        fputs("<table><tr><th>run</th><th>recorded</th><th>value</th><th>ci_low</th><th>ci_high</th></tr>\n", out);
        for (size_t j = 0; j < x->n; j++) {
            char v[32], lo[32], hi[32];
            fmt_num(v, sizeof v, x->pts[j].has_value, x->pts[j].value);
            fmt_num(lo, sizeof lo, x->pts[j].has_ci, x->pts[j].lo);
            fmt_num(hi, sizeof hi, x->pts[j].has_ci, x->pts[j].hi);
            fprintf(out, "<tr><td>%lld</td><td>", (long long)x->pts[j].run);
            html_text(out, x->pts[j].time);
            fprintf(out, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n", v, lo, hi);
        }
        fputs("</table>\n</section>\n", out);
    }
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}

static fair_status write_runs_text(sqlite3 *db, const char *path, const fair_history_query *q,
                                   FILE *out, fair_error *err)
{
    static const char sql[] =
        "SELECT run_id, recorded_at, kind, tool_version, rows_read, rows_used, rows_skipped,"
        " (SELECT count(*) FROM figures f WHERE f.run_id = r.run_id) FROM runs r"
        " WHERE ?1 = 0 OR run_id IN (SELECT run_id FROM runs ORDER BY run_id DESC LIMIT ?1)"
        " ORDER BY run_id";
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(db, sql, sizeof sql, &s, NULL);
    if (rc != SQLITE_OK) return db_fail(err, db, path, "cannot read the history");
    sqlite3_bind_int64(s, 1, (sqlite3_int64)(q->last > INT64_MAX ? INT64_MAX : q->last));
    fprintf(out, "%6s  %-20s  %-22s  %-8s  %10s  %10s  %8s  %8s\n", "run", "recorded", "kind",
            "version", "rows read", "rows used", "skipped", "figures");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fprintf(out, "%6lld  %-20s  %-22s  %-8s  %10lld  %10lld  %8lld  %8lld\n",
                (long long)sqlite3_column_int64(s, 0), col_text(s, 1), col_text(s, 2), col_text(s, 3),
                (long long)sqlite3_column_int64(s, 4), (long long)sqlite3_column_int64(s, 5),
                (long long)sqlite3_column_int64(s, 6), (long long)sqlite3_column_int64(s, 7));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return db_fail(err, db, path, "cannot read the history");
    return ferror(out) ? fair__fail(err, FAIR_EIO, "cannot write: %s", strerror(errno)) : FAIR_OK;
}

/* Opens `path` read-only and checks that it is a fairaudit history this version reads. */
static fair_status open_history(const char *path, sqlite3 **out, fair_error *err)
{
    int app = 0, version = 0;
    fair_status st = open_db(path, SQLITE_OPEN_READONLY, 5000, out, err);
    if (st != FAIR_OK) return st;
    if (pragma_int(*out, "PRAGMA application_id", &app) != SQLITE_OK ||
        pragma_int(*out, "PRAGMA user_version", &version) != SQLITE_OK)
        st = db_fail(err, *out, path, "cannot read the schema");
    else if (app != APPLICATION_ID)
        st = fair__fail(err, FAIR_EDATA, "%s: not a fairaudit history database", path);
    else if (version > FAIR_HISTORY_SCHEMA_VERSION)
        st = fair__fail(err, FAIR_EDATA, "%s: history schema version %d was written by a newer "
                        "fairaudit; this one reads versions up to %d", path, version,
                        FAIR_HISTORY_SCHEMA_VERSION);
    if (st != FAIR_OK) {
        sqlite3_close(*out);
        *out = NULL;
    }
    return st;
}

fair_status fair_history_check(const char *db_path, uint64_t *n_runs, fair_error *err)
{
    sqlite3 *db;
    sqlite3_stmt *s = NULL;
    fair_status st = open_history(db_path, &db, err);
    int rc, runs = 0;
    if (st != FAIR_OK) return st;
    rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *msg = col_text(s, 0);
        if (strcmp(msg, "ok") != 0 && st == FAIR_OK)
            st = fair__fail(err, FAIR_EDATA, "%s: damaged: %s", db_path, msg);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (st == FAIR_OK && rc != SQLITE_DONE) st = db_fail(err, db, db_path, "cannot check the database");
    if (st == FAIR_OK) {
        rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &s, NULL);
        if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
            st = fair__fail(err, FAIR_EDATA, "%s: damaged: figures without their run", db_path);
        else if (rc != SQLITE_DONE)
            st = db_fail(err, db, db_path, "cannot check the database");
        sqlite3_finalize(s);
    }
    if (st == FAIR_OK && pragma_int(db, "SELECT count(*) FROM runs", &runs) != SQLITE_OK)
        st = db_fail(err, db, db_path, "cannot count the runs");
    sqlite3_close(db);
    if (st == FAIR_OK && n_runs) *n_runs = (uint64_t)runs;
    return st;
}

fair_status fair_history_write(const char *db_path, const fair_history_query *q,
                               const double *thresholds, size_t n_thresholds, fair_format f,
                               FILE *out, fair_error *err)
{
    sqlite3 *db;
    series_list l;
    fair_status st;
    memset(&l, 0, sizeof l);
    if (f != FAIR_FORMAT_TEXT && f != FAIR_FORMAT_JSON && f != FAIR_FORMAT_HTML)
        return fair__fail(err, FAIR_EINVAL, "the history is written as text, json or html");
    st = open_history(db_path, &db, err);
    if (st != FAIR_OK) return st;
    if (!q->metric && f == FAIR_FORMAT_TEXT) {
        st = write_runs_text(db, db_path, q, out, err);
    } else {
        st = load_series(db, db_path, q, &l, err);
        if (st == FAIR_OK && l.n == 0)
            st = fair__fail(err, FAIR_EINVAL, "no figure in %s matches the selection (metric %s, "
                            "attribute %s, group %s)", db_path, q->metric ? q->metric : "any",
                            q->attribute ? q->attribute : "any", q->group ? q->group : "any");
        if (st == FAIR_OK && f == FAIR_FORMAT_TEXT) {
            if (write_series_text(&l, out) != 0) st = fair__fail(err, FAIR_EIO, "cannot write: %s", strerror(errno));
        } else if (st == FAIR_OK && f == FAIR_FORMAT_HTML) {
            if (write_series_html(&l, thresholds, n_thresholds, out) != 0)
                st = fair__fail(err, FAIR_EIO, "cannot write: %s", strerror(errno));
        } else if (st == FAIR_OK) {
            json_t *doc = series_json(&l, thresholds, n_thresholds);
            if (!doc) st = fair__fail(err, FAIR_ENOMEM, "out of memory writing the history");
            else if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0 || fputc('\n', out) == EOF)
                st = fair__fail(err, FAIR_EIO, "cannot write: %s", strerror(errno));
            json_decref(doc);
        }
    }
    series_release(&l);
    sqlite3_close(db);
    return st;
}

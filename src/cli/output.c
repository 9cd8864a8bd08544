/* output.c -- what every subcommand that writes a report shares: --format, repeatable -o,
 * --policy, colour only on a terminal and never with NO_COLOR, the record of the command line
 * and the time, atomic report files, and the exit code. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

void cli_output_init(cli_output *o)
{
    memset(o, 0, sizeof *o);
    o->stdout_format = FAIR_FORMAT_TEXT;
}

int cli_output_option(cli_output *o, int opt, const char *arg)
{
    fair_format f;
    switch (opt) {
    case CLI_OPT_FORMAT:
        if (!fair_format_from_name(arg, &o->stdout_format)) {
            cli_errorf("invalid value '%s' for --format: expected text, json, html, markdown, csv or junit", arg);
            return CLI_EXIT_USAGE;
        }
        o->format_given = 1;
        return CLI_EXIT_OK;
    case 'o':
        if (o->n_outputs == CLI_MAX_OUTPUTS) {
            cli_errorf("invalid value '%s' for --o: expected at most 64 outputs", arg);
            return CLI_EXIT_USAGE;
        }
        if (!fair_format_from_path(arg, &f)) {
            cli_errorf("cannot tell the format of '%s' from its extension: expected .json, .txt, .html, "
                       ".md, .csv or .xml (JUnit)", arg);
            return CLI_EXIT_USAGE;
        }
        o->outputs[o->n_outputs++] = arg;
        return CLI_EXIT_OK;
    case CLI_OPT_POLICY:
        o->policy_path = arg;
        return CLI_EXIT_OK;
    case CLI_OPT_HISTORY:
        o->history_path = arg;
        return CLI_EXIT_OK;
    default:
        return -1;
    }
}

int cli_output_load_policy(cli_output *o)
{
    fair_error err;
    fair_status st;
    if (!o->policy_path) return CLI_EXIT_OK;
    fair_error_init(&err);
    st = fair_policy_load(o->policy_path, &o->policy, &err);
    if (st == FAIR_OK) return CLI_EXIT_OK;
    cli_errorf("%s", err.msg[0] ? err.msg : fair_strerror(st));
    if (strstr(err.msg, "unknown metric")) {
        fputs("fairaudit: valid metrics:", stderr);
        for (size_t i = 0; fair_policy_metric_name(i); i++)
            fprintf(stderr, "%s %s", i ? "," : "", fair_policy_metric_name(i));
        fputc('\n', stderr);
    }
    /* A policy that cannot be used is a mistake on the command line (docs/policy.md). */
    return st == FAIR_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
}

static int worse(int a, int b) { return a > b ? a : b; }

/* Records the document (its JSON, policy checks included) in the history database. */
static int record_history(const cli_output *o, const fair_report_doc *doc)
{
    char *json = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&json, &len);
    fair_error err;
    fair_status st;
    int64_t id = 0;
    fair_error_init(&err);
    if (!mem) {
        cli_errorf("out of memory recording the run in '%s'", o->history_path);
        return CLI_EXIT_INTERNAL;
    }
    st = fair_report_doc_write(doc, FAIR_FORMAT_JSON, 0, mem, &err);
    if (fclose(mem) != 0 && st == FAIR_OK) st = FAIR_ENOMEM;
    if (st == FAIR_OK) st = fair_history_append(o->history_path, json, len, 60000, &id, &err);
    free(json);
    if (st != FAIR_OK) {
        cli_errorf("cannot record the run in the history: %s", err.msg[0] ? err.msg : fair_strerror(st));
        return st == FAIR_EDATA ? CLI_EXIT_INPUT : CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

int cli_output_finish(cli_output *o, fair_report_doc *doc)
{
    fair_error err;
    int rc = CLI_EXIT_OK;
    fair_error_init(&err);
    if (o->policy) {
        fair_policy_result pr;
        fair_status st = fair_policy_apply(o->policy, doc, o->policy_path, &pr, &err);
        if (st != FAIR_OK) {
            cli_errorf("%s: %s", o->policy_path, err.msg[0] ? err.msg : fair_strerror(st));
            return st == FAIR_ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_USAGE;
        }
        if (pr.run_fails) rc = CLI_EXIT_POLICY;
    }
    if (o->history_path) rc = worse(rc, record_history(o, doc));
    for (size_t i = 0; i < o->n_outputs; i++) {
        fair_format f = FAIR_FORMAT_TEXT;
        fair_format_from_path(o->outputs[i], &f);
        if (fair_report_doc_write_file(doc, f, o->outputs[i], &err) != FAIR_OK) {
            cli_errorf("%s", err.msg);
            rc = worse(rc, CLI_EXIT_INTERNAL);
        }
    }
    if (o->n_outputs == 0 || o->format_given) {
        int color = o->stdout_format == FAIR_FORMAT_TEXT && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        errno = 0;
        if (fair_report_doc_write(doc, o->stdout_format, color, stdout, &err) != FAIR_OK ||
            fflush(stdout) != 0 || ferror(stdout)) {
            if (err.code == FAIR_EINVAL) cli_errorf("%s", err.msg);
            else cli_errorf("cannot write to standard output: %s", errno ? strerror(errno) : "write failed");
            rc = worse(rc, CLI_EXIT_INTERNAL);
        }
    }
    return rc;
}

void cli_output_release(cli_output *o)
{
    fair_policy_free(o->policy);
    o->policy = NULL;
}

char *cli_command_line(int argc, char **argv)
{
    size_t cap = 16;
    char *s, *w;
    for (int i = 0; i < argc; i++) cap += 4 * strlen(argv[i]) + 3;
    s = malloc(cap);
    if (!s) return NULL;
    w = s;
    memcpy(w, "fairaudit", 9);
    w += 9;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int plain = a[0] != '\0';
        for (const char *c = a; *c && plain; c++)
            plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%", *c) != NULL;
        *w++ = ' ';
        if (plain) {
            memcpy(w, a, strlen(a));
            w += strlen(a);
        } else {
            *w++ = '\'';
            for (const char *c = a; *c; c++) {
                if (*c == '\'') {
                    memcpy(w, "'\\''", 4);
                    w += 4;
                } else {
                    *w++ = *c;
                }
            }
            *w++ = '\'';
        }
    }
    *w = '\0';
    return s;
}

void cli_timestamp(char *buf, size_t cap)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    unsigned long long e;
    time_t t = time(NULL);
    struct tm tm;
    if (sde && sde[0] >= '0' && sde[0] <= '9') {
        errno = 0;
        e = strtoull(sde, &end, 10);
        if (!errno && !*end) t = (time_t)e;
    }
    if (!gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm)) buf[0] = '\0';
}

/* cmd_history.c -- `fairaudit history FILE.db`: record reports in the history database and
 * show the trend of any figure (text, JSON, or an HTML page of trend charts). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char history_usage[] =
    "usage: fairaudit history FILE.db [--add REPORT.json ...]\n"
    "                         [--metric M] [--attribute A] [--group G] [--last N]\n"
    "                         [--threshold T ...] [--format text|json|html] [--check]\n"
    "\n"
    "Shows the runs recorded in a history database (written by `fairaudit audit --history`,\n"
    "or by --add), or with --metric the series of that figure, one point per run.\n"
    "\n"
    "options:\n"
    "  --add REPORT.json      record a JSON report in the database first (repeatable); the\n"
    "                         database is created when missing\n"
    "  --metric M             figure name: a metric (selection_rate), a summary\n"
    "                         (demographic_parity_ratio) or a comparison\n"
    "                         (vs_reference.selection_rate.ratio)\n"
    "  --attribute A          only this attribute (column, or columns joined by \" & \")\n"
    "  --group G              only this group; --group '' for the attribute's own figures\n"
    "  --last N               only the last N runs\n"
    "  --threshold T          draw a policy threshold at T in the HTML charts (repeatable)\n"
    "  --check                check the database (SQLite integrity and foreign keys) and exit\n"
    "  --busy-timeout MS      how long to wait for another job writing the database (60000)\n"
    "  --format F             text (default), json or html, to standard output\n"
    "  -h, --help             show this help and exit\n";

enum { OPT_ADD = 256, OPT_METRIC, OPT_ATTRIBUTE, OPT_GROUP, OPT_LAST, OPT_THRESHOLD, OPT_FORMAT, OPT_BUSY, OPT_CHECK };

/* Prints "MSG 'WHAT'[: EXPECTED]" (MSG alone when WHAT is NULL) and the usage; returns the
 * usage exit code. */
static int usage_error(const char *msg, const char *what, const char *expected)
{
    if (msg && what && expected) cli_errorf("%s '%s': expected %s", msg, what, expected);
    else if (msg && what) cli_errorf("%s '%s'", msg, what);
    else if (msg) cli_errorf("%s", msg);
    fputs(history_usage, stderr);
    return CLI_EXIT_USAGE;
}

/* Reads a whole file (at most 256 MiB) into memory. Returns 0 or -1 with errno set. */
static int slurp(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 65536, n = 0;
    char *buf = NULL;
    if (!f) return -1;
    for (;;) {
        char *p;
        size_t got;
        if (n == cap || !buf) {
            if (buf) cap *= 2;
            if (cap > ((size_t)256 << 20)) {
                errno = EFBIG;
                break;
            }
            p = realloc(buf, cap);
            if (!p) break;
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) break;
            fclose(f);
            *data = buf;
            *len = n;
            return 0;
        }
    }
    free(buf);
    fclose(f);
    return -1;
}

int cli_cmd_history(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"add", required_argument, NULL, OPT_ADD},
        {"metric", required_argument, NULL, OPT_METRIC},
        {"attribute", required_argument, NULL, OPT_ATTRIBUTE},
        {"group", required_argument, NULL, OPT_GROUP},
        {"last", required_argument, NULL, OPT_LAST},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"busy-timeout", required_argument, NULL, OPT_BUSY},
        {"check", no_argument, NULL, OPT_CHECK},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    fair_history_query q;
    fair_format format = FAIR_FORMAT_TEXT;
    const char *adds[64];
    size_t n_adds = 0, n_thr = 0;
    double thr[32];
    long busy = 60000;
    int c, list_only = 1, check = 0;
    fair_error err;
    fair_history_query_init(&q);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case OPT_ADD:
            if (n_adds == sizeof adds / sizeof *adds) return usage_error("too many --add options", optarg, "at most 64");
            adds[n_adds++] = optarg;
            break;
        case OPT_METRIC: q.metric = optarg; list_only = 0; break;
        case OPT_ATTRIBUTE: q.attribute = optarg; list_only = 0; break;
        case OPT_GROUP: q.group = optarg; list_only = 0; break;
        case OPT_LAST:
            errno = 0;
            if (optarg[0] < '0' || optarg[0] > '9') return usage_error("invalid --last", optarg, "a whole number");
            q.last = strtoull(optarg, &end, 10);
            if (errno || *end) return usage_error("invalid --last", optarg, "a whole number");
            break;
        case OPT_THRESHOLD:
            if (n_thr == sizeof thr / sizeof *thr) return usage_error("too many --threshold options", optarg, "at most 32");
            errno = 0;
            thr[n_thr] = strtod(optarg, &end);
            if (errno || end == optarg || *end || thr[n_thr] != thr[n_thr]) return usage_error("invalid --threshold", optarg, "a number");
            n_thr++;
            break;
        case OPT_CHECK: check = 1; break;
        case OPT_BUSY:
            errno = 0;
            busy = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || busy < 0 || busy > 86400000L) return usage_error("invalid --busy-timeout", optarg, "milliseconds, 0 to 86400000");
            break;
        case OPT_FORMAT:
            if (!fair_format_from_name(optarg, &format) ||
                (format != FAIR_FORMAT_TEXT && format != FAIR_FORMAT_JSON && format != FAIR_FORMAT_HTML))
                return usage_error("invalid --format", optarg, "text, json or html");
            break;
        case 'h':
            fputs(history_usage, stdout);
            return CLI_EXIT_OK;
        case ':':
            return usage_error("option needs a value:", argv[optind - 1], NULL);
        default:
            return usage_error("unknown option", argv[optind - 1], NULL);
        }
    }
    if (optind != argc - 1) return optind >= argc ? usage_error("expected one database file", NULL, NULL) : usage_error("unexpected argument", argv[optind + 1], NULL);
    fair_error_init(&err);
    for (size_t i = 0; i < n_adds; i++) {
        char *data = NULL;
        size_t len = 0;
        int64_t id = 0;
        fair_status st;
        if (slurp(adds[i], &data, &len) != 0) {
            cli_errorf("cannot read '%s': %s", adds[i], strerror(errno));
            return CLI_EXIT_INPUT;
        }
        st = fair_history_append(argv[optind], data, len, (int)busy, &id, &err);
        free(data);
        if (st != FAIR_OK) {
            cli_errorf("%s: %s", adds[i], err.msg);
            return st == FAIR_EIO ? CLI_EXIT_INTERNAL : cli_exit_for_status(st);
        }
        fprintf(stderr, "fairaudit: recorded '%s' as run %lld in '%s'\n", adds[i], (long long)id, argv[optind]);
    }
    if (check) {
        uint64_t runs = 0;
        fair_status st = fair_history_check(argv[optind], &runs, &err);
        if (st != FAIR_OK) {
            cli_errorf("%s", err.msg);
            return st == FAIR_EIO ? CLI_EXIT_INTERNAL : cli_exit_for_status(st);
        }
        printf("%s: ok, %llu runs\n", argv[optind], (unsigned long long)runs);
        return CLI_EXIT_OK;
    }
    if (n_adds && list_only && format == FAIR_FORMAT_TEXT) return CLI_EXIT_OK;
    {
        fair_status st = fair_history_write(argv[optind], &q, n_thr ? thr : NULL, n_thr, format, stdout, &err);
        if (st == FAIR_OK && (fflush(stdout) != 0 || ferror(stdout))) {
            cli_errorf("cannot write to standard output: %s", strerror(errno));
            return CLI_EXIT_INTERNAL;
        }
        if (st != FAIR_OK) {
            cli_errorf("%s", err.msg);
            return st == FAIR_EINVAL ? CLI_EXIT_USAGE : st == FAIR_EIO ? CLI_EXIT_INTERNAL : cli_exit_for_status(st);
        }
    }
    return CLI_EXIT_OK;
}

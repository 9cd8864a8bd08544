/* cmd_compare.c -- `fairaudit compare BASELINE.json CURRENT.json`: what changed between two
 * runs, and which changes are beyond noise. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

static const char compare_usage[] =
    "usage: fairaudit compare BASELINE.json CURRENT.json [--all] [--format text|json]\n"
    "\n"
    "Compares two JSON reports of fairaudit (audit or ratio), figure by figure: the change\n"
    "(current - baseline) with an interval from the two runs' own intervals (MOVER, assuming\n"
    "independent runs; docs/compare.md), significant when that interval excludes 0. Lists new and\n"
    "vanished groups and options that differ between the runs. Either file may be '-'.\n"
    "\n"
    "options:\n"
    "  --all                  text: list every compared figure, not only significant changes\n"
    "  --format F             text (default) or json, to standard output\n"
    "  -h, --help             show this help and exit\n";

enum { OPT_ALL = 256, OPT_FORMAT };

/* Prints "MSG 'WHAT'[: EXPECTED]" (MSG alone when WHAT is NULL) and the usage; returns the
 * usage exit code. */
static int usage_error(const char *msg, const char *what, const char *expected)
{
    if (msg && what && expected) cli_errorf("%s '%s': expected %s", msg, what, expected);
    else if (msg && what) cli_errorf("%s '%s'", msg, what);
    else if (msg) cli_errorf("%s", msg);
    fputs(compare_usage, stderr);
    return CLI_EXIT_USAGE;
}

int cli_cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"all", no_argument, NULL, OPT_ALL},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    fair_format format = FAIR_FORMAT_TEXT;
    fair_compare *cmp = NULL;
    fair_report_run run;
    fair_error err;
    fair_status st;
    int c, all = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ALL: all = 1; break;
        case OPT_FORMAT:
            if (!fair_format_from_name(optarg, &format) ||
                (format != FAIR_FORMAT_TEXT && format != FAIR_FORMAT_JSON))
                return usage_error("invalid --format", optarg, "text or json");
            break;
        case 'h':
            fputs(compare_usage, stdout);
            return CLI_EXIT_OK;
        case ':':
            return usage_error("option needs a value:", argv[optind - 1], NULL);
        default:
            return usage_error("unknown option", argv[optind - 1], NULL);
        }
    }
    if (argc - optind != 2) return usage_error("expected two reports: BASELINE.json CURRENT.json", NULL, NULL);
    fair_error_init(&err);
    st = fair_compare_files(argv[optind], argv[optind + 1], NULL, &cmp, &err);
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg);
        return st == FAIR_EINVAL ? CLI_EXIT_USAGE : cli_exit_for_status(st);
    }
    memset(&run, 0, sizeof run);
    st = fair_compare_write(cmp, format, all, &run, stdout, &err);
    fair_compare_free(cmp);
    if (st != FAIR_OK || fflush(stdout) != 0 || ferror(stdout)) {
        cli_errorf("cannot write to standard output: %s", st != FAIR_OK ? err.msg : strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

/* cmd_compare.c -- `fairaudit compare BASELINE.json CURRENT.json`: what changed between two
 * runs, and which changes are beyond noise; a policy's checks on the changes are drift rules. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char compare_usage[] =
    "usage: fairaudit compare BASELINE.json CURRENT.json [--all] [--policy FILE]\n"
    "                         [--format F] [-o FILE ...] [--history FILE.db]\n"
    "\n"
    "Compares two JSON reports of fairaudit (audit or ratio), figure by figure: the change\n"
    "(current - baseline) with an interval from the two runs' own intervals (MOVER, assuming\n"
    "independent runs; docs/compare.md), significant when that interval excludes 0. Lists new and\n"
    "vanished groups and options that differ between the runs. Either file may be '-'.\n"
    "\n"
    "options:\n"
    "  --all                  text: list every compared figure, not only significant changes\n"
    "  --policy FILE          drift rules: a policy judged on the changes (docs/compare.md),\n"
    "                         e.g. 'metric = selection_rate, vs_reference = ratio, min = -0.05,\n"
    "                         judge = significant'; exit 1 when one fails\n"
    "  --format F             text (default), json, html, markdown, csv or junit, for\n"
    "                         standard output\n"
    "  -o FILE                also write the comparison; format from the extension; repeatable\n"
    "  -h, --help             show this help and exit\n"
    "\n"
    "exit codes: 0 compared (no drift rule failed), 1 a drift rule failed, 2 usage error,\n"
    "            3 a file is not a fairaudit report, 4 internal or resource error\n";

enum { OPT_ALL = 256 };

static int usage_error(const char *msg, const char *what)
{
    if (msg && what) cli_errorf("%s '%s'", msg, what);
    else if (msg) cli_errorf("%s", msg);
    fputs(compare_usage, stderr);
    return CLI_EXIT_USAGE;
}

static int compare_main(int argc, char **argv, const char *cmdline, cli_output *out)
{
    static const struct option longopts[] = {
        {"all", no_argument, NULL, OPT_ALL},
        CLI_OUTPUT_LONG_OPTIONS,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    fair_compare_options co;
    fair_compare *cmp = NULL;
    fair_report_doc *doc = NULL;
    fair_report_run run;
    fair_error err;
    fair_status st;
    char ts[32];
    int c, rc;
    fair_compare_options_init(&co);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ALL: co.text_all = 1; break;
        case 'h':
            fputs(compare_usage, stdout);
            return CLI_EXIT_OK;
        case ':':
            return usage_error("option needs a value:", argv[optind - 1]);
        case '?':
            return usage_error("unknown option", argv[optind - 1]);
        default:
            if (c == CLI_OPT_HISTORY) return usage_error("a comparison is not recorded in the history:", "--history");
            if (cli_output_option(out, c, optarg) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) return usage_error("expected two reports: BASELINE.json CURRENT.json", NULL);
    rc = cli_output_load_policy(out);
    if (rc != CLI_EXIT_OK) return rc;
    fair_error_init(&err);
    st = fair_compare_files(argv[optind], argv[optind + 1], &co, &cmp, &err);
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg);
        return st == FAIR_EINVAL ? CLI_EXIT_USAGE : cli_exit_for_status(st);
    }
    cli_timestamp(ts, sizeof ts);
    run.command_line = cmdline;
    run.timestamp = ts;
    run.color = 0;
    st = fair_compare_doc(cmp, &run, &doc, &err);
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg);
        fair_compare_free(cmp);
        return cli_exit_for_status(st);
    }
    rc = cli_output_finish(out, doc);
    fair_report_doc_free(doc);
    fair_compare_free(cmp);
    return rc;
}

int cli_cmd_compare(int argc, char **argv)
{
    char *cmdline = cli_command_line(argc, argv);
    cli_output out;
    int rc;
    if (!cmdline) {
        cli_errorf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    cli_output_init(&out);
    rc = compare_main(argc, argv, cmdline, &out);
    cli_output_release(&out);
    free(cmdline);
    return rc;
}

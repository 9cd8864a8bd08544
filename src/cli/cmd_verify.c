/* cmd_verify.c -- `fairaudit verify REPORT.json`: the auditor's re-run. Checks that the input
 * is the one the report records (SHA-256), re-runs the audit with the recorded options and says
 * whether the results match. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static void verify_usage(FILE *out)
{
    fputs("usage: fairaudit verify REPORT.json [--input FILE] [--threads N]\n"
          "\n"
          "Re-runs the audit that a JSON report records: checks that the input's SHA-256 is the\n"
          "one in the report, runs the audit again with the options and seed in the report, and\n"
          "compares the results.\n"
          "\n"
          "  --input FILE    the input to re-run on (default: the path the report records)\n"
          "  --threads N     threads (default: all cores); the results do not depend on it\n"
          "\n"
          "exit codes: 0 the results match, 1 they differ, 2 usage error, 3 the input is not the\n"
          "            one the report records, or the report or input cannot be read,\n"
          "            4 internal or resource error\n",
          out);
}

enum { OPT_INPUT = 256, OPT_THREADS, OPT_HELP };

int cli_cmd_verify(int argc, char **argv)
{
    static const struct option long_opts[] = {{"input", required_argument, NULL, OPT_INPUT},
                                              {"threads", required_argument, NULL, OPT_THREADS},
                                              {"help", no_argument, NULL, OPT_HELP},
                                              {NULL, 0, NULL, 0}};
    const char *input = NULL;
    size_t threads = 0;
    fair_verify_result res;
    fair_error err;
    fair_status st;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_INPUT: input = optarg; break;
        case OPT_THREADS: {
            char *end;
            unsigned long long v;
            errno = 0;
            v = strtoull(optarg, &end, 10);
            if (errno || *end || optarg[0] < '1' || optarg[0] > '9' || v > 1024) {
                cli_errorf("invalid value '%s' for --threads: expected 1 to 1024", optarg);
                return CLI_EXIT_USAGE;
            }
            threads = (size_t)v;
            break;
        }
        case 'h':
        case OPT_HELP:
            verify_usage(stdout);
            return CLI_EXIT_OK;
        case ':':
            cli_errorf("option '%s' needs a value", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            cli_errorf("unknown option '%s' (see 'fairaudit verify --help')", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_errorf("verify needs one REPORT.json");
        return CLI_EXIT_USAGE;
    }
    fair_error_init(&err);
    st = fair_verify(argv[optind], input, threads, &res, &err);
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg[0] ? err.msg : fair_strerror(st));
        return st == FAIR_EINVAL ? CLI_EXIT_USAGE : cli_exit_for_status(st);
    }
    switch (res.outcome) {
    case FAIR_VERIFY_MATCH:
        printf("verified: %s re-run on %s (sha256 %s) gives the same results\n", argv[optind], res.input,
               res.actual_sha256);
        return CLI_EXIT_OK;
    case FAIR_VERIFY_DIFFER:
        printf("DIFFERENT: the input is the same (sha256 %s), but the results differ, first at %s\n",
               res.actual_sha256, res.where);
        return CLI_EXIT_POLICY;
    case FAIR_VERIFY_INPUT_CHANGED:
        cli_errorf("'%s' is not the input the report records: sha256 %s, the report says %s", res.input,
                   res.actual_sha256, res.expected_sha256[0] ? res.expected_sha256 : "(none)");
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_INTERNAL;
}

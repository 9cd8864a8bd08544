/* main.c -- the fairaudit command: dispatches subcommands, owns the exit code. */
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void usage(FILE *out)
{
    fputs("usage: fairaudit <command> [options]\n"
          "\n"
          "Bias and fairness testing for the outputs of tabular models.\n"
          "\n"
          "commands:\n"
          "  audit FILE   classification audit: metrics per group, disparities, tests\n"
          "  ratio FILE   sales ratio study of a valuation model: level, uniformity and\n"
          "               vertical equity of assessed values per group (IAAO)\n"
          "  verify REPORT.json  re-run the audit a JSON report records; do the numbers match?\n"
          "  gen KIND     write a synthetic dataset with planted bias (kind: benefits, woz)\n"
          "  compare B C  compare two JSON reports: changes beyond noise, new groups\n"
          "  history DB   record runs in a history database and show trends\n"
          "  partial FILE the counts of one shard of the input, for merge\n"
          "  merge STATE...  the report of merged partial states (the shards of one input)\n"
          "\n"
          "  fairaudit <command> --help   options of a command\n"
          "  fairaudit --version          version\n"
          "\n"
          "exit codes: 0 ok, 1 a policy check failed, 2 usage error, 3 input or data error,\n"
          "            4 internal or resource error\n",
          out);
}

int main(int argc, char **argv)
{
    if (fair_version_number() != FAIR_VERSION_NUMBER) {
        cli_errorf("library version %s does not match the program's %s", fair_version_string(),
                   FAIR_VERSION_STRING);
        return CLI_EXIT_INTERNAL;
    }
    cli_tune_malloc();
    /* GSL must return error codes rather than abort; set once, before any thread starts. */
    gsl_set_error_handler_off();
    /* A reader that goes away early gives EPIPE on write, which we report, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    /* Likewise a file-size limit (ulimit -f): the write fails with EFBIG, the report file is
     * left as it was and its temporary file removed, instead of a death that leaves the
     * temporary behind. Found by tests/scripts/test_io_faults.sh. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("fairaudit %s\n", fair_version_string());
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "audit") == 0) return cli_cmd_audit(argc - 1, argv + 1);
    if (strcmp(argv[1], "gen") == 0) return cli_cmd_gen(argc - 1, argv + 1);
    if (strcmp(argv[1], "verify") == 0) return cli_cmd_verify(argc - 1, argv + 1);
    if (strcmp(argv[1], "ratio") == 0) return cli_cmd_ratio(argc - 1, argv + 1);
    if (strcmp(argv[1], "partial") == 0) return cli_cmd_partial(argc - 1, argv + 1);
    if (strcmp(argv[1], "merge") == 0) return cli_cmd_merge(argc - 1, argv + 1);
    if (strcmp(argv[1], "compare") == 0) return cli_cmd_compare(argc - 1, argv + 1);
    if (strcmp(argv[1], "history") == 0) return cli_cmd_history(argc - 1, argv + 1);
    cli_errorf("unknown command '%s'", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}

/* cli.h -- declarations shared by the command-line driver's files. Only the CLI prints,
 * reads the environment and exits. */
#ifndef FAIR_CLI_H
#define FAIR_CLI_H
#include <fairaudit/fairaudit.h>

/* Exit codes (docs/cli.md). Precedence when several apply: 4 > 3 > 2 > 1 > 0. */
enum {
    CLI_EXIT_OK = 0,       /* all checks passed, or no policy */
    CLI_EXIT_POLICY = 1,   /* a policy check failed */
    CLI_EXIT_USAGE = 2,    /* bad command line */
    CLI_EXIT_INPUT = 3,    /* input or data error */
    CLI_EXIT_INTERNAL = 4  /* internal or resource error */
};

/* Prints "fairaudit: <message>\n" to stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit code for a library status. */
int cli_exit_for_status(fair_status st);

/* Subcommands: argv[0] is the subcommand name. Each returns the process exit code. */
int cli_cmd_audit(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_compare(int argc, char **argv);
int cli_cmd_history(int argc, char **argv);

#endif /* FAIR_CLI_H */

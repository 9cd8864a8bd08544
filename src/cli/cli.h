/* cli.h -- declarations shared by the command-line driver's files. Only the CLI prints,
 * reads the environment and exits. */
#ifndef FAIR_CLI_H
#define FAIR_CLI_H
#include <stddef.h>
#include <stdint.h>
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

/* Shared option helpers (cmd_audit.c): strict unsigned and finite decimal parses (1 = ok),
 * the command line as typed, shell-quoted (caller frees; NULL when out of memory), and the
 * ISO 8601 UTC time of the run (SOURCE_DATE_EPOCH overrides the clock). */
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_f64(const char *s, double *out);
char *cli_command_line(int argc, char **argv);
void cli_timestamp(char *buf, size_t cap);

/* Subcommands: argv[0] is the subcommand name. Each returns the process exit code. */
int cli_cmd_audit(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_ratio(int argc, char **argv);

#endif /* FAIR_CLI_H */

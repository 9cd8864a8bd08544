/* cli.h -- declarations shared by the command-line driver's files. Only the CLI prints,
 * reads the environment and exits. */
#ifndef FAIR_CLI_H
#define FAIR_CLI_H
#include <stdio.h>
#include <fairaudit/fairaudit.h>

/* Exit codes (docs/cli.md). Precedence when several apply: 4 > 3 > 2 > 1 > 0. */
enum {
    CLI_EXIT_OK = 0,       /* all checks passed, or no policy */
    CLI_EXIT_POLICY = 1,   /* a policy check failed */
    CLI_EXIT_USAGE = 2,    /* bad command line */
    CLI_EXIT_INPUT = 3,    /* input or data error */
    CLI_EXIT_INTERNAL = 4  /* internal or resource error */
};

/* Prints "fairaudit: <message>\n" to stderr, unless cli_quiet is set (an MPI rank other
 * than 0: rank 0 speaks for all). common.c. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int cli_quiet;

/* The exit code for a library status. */
int cli_exit_for_status(fair_status st);

/* Subcommands: argv[0] is the subcommand name. Each returns the process exit code. */
int cli_cmd_audit(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_partial(int argc, char **argv);
int cli_cmd_merge(int argc, char **argv);

/* The commands that take audit's options (cmd_audit.c parses them for all): `audit` reads a
 * file; `partial` keeps the counts of a shard in a state file and takes the options that shape
 * counts; `merge` analyses states and takes the options of the analysis and the report. */
typedef enum { CLI_AUDIT = 0, CLI_PARTIAL = 1, CLI_MERGE = 2 } cli_mode;

/* A parsed command line of one of them. Strings point into argv. */
typedef struct {
    cli_mode mode;
    fair_audit_options o;    /* its arrays point into the parser's stack: valid during the call */
    const char *header_from; /* --header-from FILE, or NULL */
    char **inputs;           /* the positional arguments: input files, or state files */
    size_t n_inputs;
    const char *state_out;   /* partial: -o STATE */
} cli_job;

/* Where an audit-like command gets its audit. FAIR_OK with *a == NULL means there is nothing to
 * report in this process (an MPI rank other than 0). */
typedef fair_status (*cli_audit_source)(const cli_job *job, fair_audit **a, fair_error *err);

/* Parses the options of `mode`, gets the audit from `source` (NULL: fair_audit_run() of the one
 * input) and writes the reports; `partial` writes its state instead. many_inputs: several
 * positional inputs are allowed. Returns the exit code. */
int cli_audit_command(int argc, char **argv, cli_mode mode, cli_audit_source source,
                      int many_inputs);

/* cmd_partial.c: the help of `partial`; writing a partial state; `audit --header-from`. */
void cli_partial_usage(FILE *out);
int cli_partial_write(const cli_job *job);
fair_status cli_audit_header_from(const cli_job *job, fair_audit **a, fair_error *err);

/* cmd_merge.c: the help of `merge`; the audit of merged states. */
void cli_merge_usage(FILE *out);
fair_status cli_merge_states(const cli_job *job, fair_audit **a, fair_error *err);

#endif /* FAIR_CLI_H */

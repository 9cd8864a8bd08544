/* cli.h -- declarations shared by the command-line driver's files. Only the CLI prints,
 * reads the environment and exits. */
#ifndef FAIR_CLI_H
#define FAIR_CLI_H
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
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
/* Sets glibc's malloc up for a short process with large arrays (common.c); call first. */
void cli_tune_malloc(void);
extern int cli_quiet;

/* The exit code for a library status. */
int cli_exit_for_status(fair_status st);
/* The inputs left after the options (argv[optind..]) for a command in `mode` named `cmd`:
 * merge needs one or more states; audit, ratio and partial one FILE, or several when
 * many_inputs. Returns CLI_EXIT_OK, or CLI_EXIT_USAGE with the message printed. */
int cli_check_inputs(int argc, char **argv, int mode, const char *cmd, int many_inputs);
/* Prints the library's message for a failed call (err's text, else the status's) and returns
 * cli_exit_for_status(st). */
int cli_fail(fair_status st, const fair_error *err);

/* ---- report output shared by the subcommands (output.c) ---- */
#define CLI_MAX_OUTPUTS 64
enum { CLI_OPT_FORMAT = 1000, CLI_OPT_POLICY = 1001, CLI_OPT_HISTORY = 1002 }; /* getopt_long values */
/* The long options, for a subcommand's option table ('o' is its short option "o:"). */
#define CLI_OUTPUT_LONG_OPTIONS                                                                    \
    {"format", required_argument, NULL, CLI_OPT_FORMAT},                                          \
        {"output", required_argument, NULL, 'o'}, {"policy", required_argument, NULL, CLI_OPT_POLICY}, \
        {"history", required_argument, NULL, CLI_OPT_HISTORY}

typedef struct {
    fair_format stdout_format;  /* --format (text) */
    int format_given;           /* without it, -o keeps standard output quiet */
    const char *outputs[CLI_MAX_OUTPUTS]; /* -o FILE, format from the extension */
    size_t n_outputs;
    const char *policy_path;    /* --policy FILE */
    fair_policy *policy;        /* loaded by cli_output_load_policy() */
    const char *history_path;   /* --history FILE.db: the run is recorded there */
} cli_output;

void cli_output_init(cli_output *o);
/* Handles --format, -o, --policy and --history: CLI_EXIT_OK, CLI_EXIT_USAGE (message printed), or -1 when
 * `opt` is none of them. */
int cli_output_option(cli_output *o, int opt, const char *arg);
/* Loads the policy before the work starts, so that a bad policy fails fast (exit 2). */
int cli_output_load_policy(cli_output *o);
/* Judges the policy on `doc`, writes every report, and returns the exit code: 1 when a check
 * failed, 4 when a report could not be written (the higher wins). */
int cli_output_finish(cli_output *o, fair_report_doc *doc);
void cli_output_release(cli_output *o);
/* The command line, quoted for a POSIX shell (malloc'ed; NULL when out of memory). */
char *cli_command_line(int argc, char **argv);
/* ISO 8601 UTC time of the run; SOURCE_DATE_EPOCH overrides the clock. */
void cli_timestamp(char *buf, size_t cap);
/* Options several commands share (common.c): each parses `arg` into its field, or prints the
 * error and returns CLI_EXIT_USAGE. */
int cli_opt_ci(const char *arg, double *level);
int cli_opt_bootstrap(const char *arg, uint64_t *b);
int cli_opt_seed(const char *arg, uint64_t *seed);
int cli_opt_scheme(const char *arg, fair_boot_scheme *scheme);
int cli_opt_delimiter(const char *arg, char *delim);
int cli_opt_decimal(const char *arg, char *decimal);
/* Strict unsigned and finite decimal parses (cmd_audit.c; 1 = ok). */
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_f64(const char *s, double *out);

/* Subcommands: argv[0] is the subcommand name. Each returns the process exit code. */
int cli_cmd_audit(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_verify(int argc, char **argv);
int cli_cmd_ratio(int argc, char **argv);
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

/* An option given to `partial` or `merge` that belongs to the other command: prints why and
 * returns CLI_EXIT_USAGE (cmd_audit.c). */
int cli_option_of_other_command(cli_mode mode, const char *name);
/* The long options of `audit` and of `ratio` (and so of `partial` and `merge`). */
const struct option *cli_audit_long_options(void);
const struct option *cli_ratio_long_options(void);

/* A parsed command line of `ratio`, `partial ratio` or `merge` of a ratio study's states
 * (mode CLI_AUDIT, CLI_PARTIAL, CLI_MERGE). Strings point into argv. */
typedef struct {
    cli_mode mode;
    fair_ratio_options o;    /* its arrays point into the parser's stack: valid during the call */
    const char *header_from; /* --header-from FILE, or NULL */
    char **inputs;           /* input files, or state files */
    size_t n_inputs;
    const char *state_out;   /* partial: -o STATE */
} cli_ratio_job;

/* Where a ratio command gets its study; FAIR_OK with *r == NULL: nothing to report here. */
typedef fair_status (*cli_ratio_source)(const cli_ratio_job *job, fair_ratio **r, fair_error *err);

/* As cli_audit_command(), for the ratio study (cmd_ratio.c). NULL source: fair_ratio_run() of
 * the one input, or with --header-from the study of its partial state. */
int cli_ratio_command(int argc, char **argv, cli_mode mode, cli_ratio_source source,
                      int many_inputs);

/* cmd_partial.c: the help of `partial`; writing a partial state; `audit --header-from`. */
void cli_partial_usage(FILE *out);
int cli_partial_write(const cli_job *job);
int cli_partial_ratio_write(const cli_ratio_job *job);
/* Writes state `s` to `path` ('-': standard output); returns the exit code, message printed. */
int cli_state_write(const fair_state *s, const char *path);
fair_status cli_audit_header_from(const cli_job *job, fair_audit **a, fair_error *err);
fair_status cli_ratio_header_from(const cli_ratio_job *job, fair_ratio **r, fair_error *err);

/* cmd_merge.c: the help of `merge`; the audit or ratio study of merged states. */
void cli_merge_usage(FILE *out);
/* Reads and merges the states of `paths`, in order, into *all; a refusal names the file. */
fair_status cli_read_states(char *const *paths, size_t n, fair_state **all, fair_error *err);
fair_status cli_merge_states(const cli_job *job, fair_audit **a, fair_error *err);
fair_status cli_merge_ratio_states(const cli_ratio_job *job, fair_ratio **r, fair_error *err);
int cli_cmd_compare(int argc, char **argv);
int cli_cmd_history(int argc, char **argv);

#endif /* FAIR_CLI_H */

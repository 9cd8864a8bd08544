/* cmd_partial.c -- `fairaudit partial FILE -o STATE`: the counts of one shard of the input, with
 * the options that shaped them, in a partial state file for `fairaudit merge`; `fairaudit
 * partial ratio FILE -o STATE`: the sales of one shard for a ratio study
 * (docs/partial-state.md). Also reads a header-less input for `audit --header-from` and
 * `ratio --header-from`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

void cli_partial_usage(FILE *out)
{
    fputs("usage: fairaudit partial FILE --group COL [--group COL ...] --label COL\n"
          "                         (--pred COL | --score COL --threshold T) -o STATE [options]\n"
          "       fairaudit partial ratio FILE --assessed COL --sale-price COL [--group COL ...]\n"
          "                         -o STATE [options]\n"
          "\n"
          "Reads one shard of the input (FILE, '-' for standard input, gzip detected) as 'audit'\n"
          "does and writes its counts per group, with the options that shaped them, to STATE\n"
          "('-': standard output). 'fairaudit merge STATE...' adds the states of all shards and\n"
          "writes the report; it equals the report of 'audit' on the whole input.\n"
          "\n"
          "It takes the options of 'audit' that shape the counts (see 'fairaudit audit --help'):\n"
          "  --group --label --pred --score --threshold --positive --label-positive\n"
          "  --pred-positive --score-range --delimiter --decimal --strict --max-distinct-scores\n"
          "  --max-groups --max-gzip-ratio --max-field-bytes --max-line-bytes --chunk-bytes\n"
          "  --threads\n"
          "and:\n"
          "  --header-from HFILE    the shard has no header row: take it from the first record\n"
          "                         of HFILE (the first shard, or a file holding the header)\n"
          "  -o STATE               the partial state file to write (atomically)\n"
          "'partial ratio' reads a shard as 'fairaudit ratio' does and keeps its sales (group,\n"
          "assessed value, sale price); it takes --assessed --sale-price --group --delimiter\n"
          "--decimal --strict --max-sales --max-groups --max-gzip-ratio --max-field-bytes\n"
          "--max-line-bytes --chunk-bytes --threads --header-from -o.\n"
          "The options of the analysis and the report (--reference, --bootstrap, --seed,\n"
          "--thresholds, --format, ...) are given to 'merge'. States merge only when they were\n"
          "made with the same options and fairaudit version.\n"
          "\n"
          "exit codes: 0 ok, 2 usage error, 3 input or data error, 4 internal or resource error\n",
          out);
}

static fair_status state_of(const cli_job *job, const char *path, fair_state **s, fair_error *err)
{
    fair_state_options so;
    fair_state_options_init(&so);
    so.header_from = job->header_from;
    return fair_state_from_csv(path, &job->o, &so, s, err);
}

/* The sales of a ratio study's input as a partial state. */
static fair_status ratio_state_of(const cli_ratio_job *job, fair_state **s, fair_error *err)
{
    fair_state_options so;
    fair_state_options_init(&so);
    so.header_from = job->header_from;
    return fair_state_from_ratio_csv(job->inputs[0], &job->o, &so, s, err);
}

/* Writes the state a reader made (st, s) to `path`, or reports why there is none. */
static int write_made(fair_status st, fair_state *s, const fair_error *err, const char *path)
{
    int rc;
    if (st != FAIR_OK) return cli_fail(st, err);
    rc = cli_state_write(s, path);
    fair_state_free(s);
    return rc;
}

int cli_partial_write(const cli_job *job)
{
    fair_state *s = NULL;
    fair_error err;
    fair_status st;
    fair_error_init(&err);
    st = state_of(job, job->inputs[0], &s, &err);
    return write_made(st, s, &err, job->state_out);
}

int cli_partial_ratio_write(const cli_ratio_job *job)
{
    fair_state *s = NULL;
    fair_error err;
    fair_status st;
    fair_error_init(&err);
    st = ratio_state_of(job, &s, &err);
    return write_made(st, s, &err, job->state_out);
}

int cli_state_write(const fair_state *s, const char *path)
{
    fair_error err;
    fair_status st;
    int rc = CLI_EXIT_OK;

    fair_error_init(&err);
    if (strcmp(path, "-") == 0) {
        unsigned char *data;
        size_t len;
        st = fair_state_encode(s, &data, &len, &err);
        if (st == FAIR_OK) {
            if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
                cli_errorf("cannot write to standard output: %s", strerror(errno));
                rc = CLI_EXIT_INTERNAL;
            }
            fair_state_encoded_free(data);
        }
    } else {
        st = fair_state_write_file(s, path, &err);
    }
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg[0] ? err.msg : fair_strerror(st));
        rc = cli_exit_for_status(st) > rc ? cli_exit_for_status(st) : rc;
        if (st == FAIR_EIO) rc = CLI_EXIT_INTERNAL; /* as a report that cannot be written */
    }
    return rc;
}

/* A header-less input without a data row: frees its state and fails naming the file. */
static fair_status no_rows(fair_state *s, const char *path, fair_error *err)
{
    fair_state_free(s);
    fair_error_init(err);
    if (err) {
        err->code = FAIR_EDATA;
        snprintf(err->msg, sizeof err->msg, "%s: no data rows", path);
    }
    return FAIR_EDATA;
}

fair_status cli_audit_header_from(const cli_job *job, fair_audit **a, fair_error *err)
{
    fair_state *s = NULL;
    fair_status st;
    *a = NULL;
    if (!job->header_from) return fair_audit_run(job->inputs[0], &job->o, a, err);
    /* A header-less input: read as a partial state with the header of another file, then the
     * audit of that one state (the same analysis as fair_audit_run()). */
    st = state_of(job, job->inputs[0], &s, err);
    if (st != FAIR_OK) return st;
    if (fair_state_rows(s) == 0) return no_rows(s, job->inputs[0], err);
    st = fair_audit_from_state(s, &job->o, a, err);
    fair_state_free(s);
    return st;
}

fair_status cli_ratio_header_from(const cli_ratio_job *job, fair_ratio **r, fair_error *err)
{
    fair_state *s = NULL;
    fair_status st;
    *r = NULL;
    if (!job->header_from) return fair_ratio_run(job->inputs[0], &job->o, r, err);
    /* A header-less input: its sales as a partial state, then the study of that one state. */
    st = ratio_state_of(job, &s, err);
    if (st != FAIR_OK) return st;
    if (fair_state_rows(s) == 0) return no_rows(s, job->inputs[0], err);
    st = fair_ratio_from_state(s, &job->o, r, err);
    fair_state_free(s);
    return st;
}

int cli_cmd_partial(int argc, char **argv)
{
    /* `partial ratio FILE ...`: a ratio study's sales (a file named "ratio" is ./ratio). */
    if (argc >= 2 && strcmp(argv[1], "ratio") == 0)
        return cli_ratio_command(argc - 1, argv + 1, CLI_PARTIAL, NULL, 0);
    return cli_audit_command(argc, argv, CLI_PARTIAL, NULL, 0);
}

/* cmd_partial.c -- `fairaudit partial FILE -o STATE`: the counts of one shard of the input, with
 * the options that shaped them, in a partial state file for `fairaudit merge`
 * (docs/partial-state.md). Also reads a header-less input for `audit --header-from`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

void cli_partial_usage(FILE *out)
{
    fputs("usage: fairaudit partial FILE --group COL [--group COL ...] --label COL\n"
          "                         (--pred COL | --score COL --threshold T) -o STATE [options]\n"
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

int cli_partial_write(const cli_job *job)
{
    fair_state *s = NULL;
    fair_error err;
    fair_status st;
    int rc = CLI_EXIT_OK;

    fair_error_init(&err);
    st = state_of(job, job->inputs[0], &s, &err);
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg[0] ? err.msg : fair_strerror(st));
        return cli_exit_for_status(st);
    }
    if (strcmp(job->state_out, "-") == 0) {
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
        st = fair_state_write_file(s, job->state_out, &err);
    }
    if (st != FAIR_OK) {
        cli_errorf("%s", err.msg[0] ? err.msg : fair_strerror(st));
        rc = cli_exit_for_status(st) > rc ? cli_exit_for_status(st) : rc;
        if (st == FAIR_EIO) rc = CLI_EXIT_INTERNAL; /* as a report that cannot be written */
    }
    fair_state_free(s);
    return rc;
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
    if (fair_state_rows(s) == 0) {
        fair_state_free(s);
        fair_error_init(err);
        if (err) {
            err->code = FAIR_EDATA;
            snprintf(err->msg, sizeof err->msg, "%s: no data rows", job->inputs[0]);
        }
        return FAIR_EDATA;
    }
    st = fair_audit_from_state(s, &job->o, a, err);
    fair_state_free(s);
    return st;
}

int cli_cmd_partial(int argc, char **argv)
{
    return cli_audit_command(argc, argv, CLI_PARTIAL, NULL, 0);
}

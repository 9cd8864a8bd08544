/* cmd_merge.c -- `fairaudit merge STATE...`: adds the partial states of all shards, in the order
 * given, and writes the report of the whole: the same analysis, bootstrap included, as
 * `fairaudit audit` (or, for states of a ratio study, `fairaudit ratio`) on the input the shards
 * came from (docs/partial-state.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void cli_merge_usage(FILE *out)
{
    fputs("usage: fairaudit merge STATE [STATE ...] [options]\n"
          "\n"
          "Adds the partial states written by 'fairaudit partial' for the shards of an input and\n"
          "reports on the whole, as 'fairaudit audit' does on the whole input: the 'results' of\n"
          "the JSON report are the same, except that 'input' lists each shard's size. States\n"
          "made with different options or fairaudit versions are refused.\n"
          "\n"
          "It takes the options of 'audit' for the analysis and the report (see\n"
          "'fairaudit audit --help'):\n"
          "  --intersect --reference --favourable --min-group-size --suppress-below --ci\n"
          "  --bootstrap --seed --bootstrap-scheme --ci-method --interval --p-adjust\n"
          "  --calibration-bins --binning --thresholds --top-k --top-fraction --threads\n"
          "  --format -o\n"
          "The columns, positive classes, score range and limits are those of the states.\n"
          "\n"
          "States of a ratio study (made by 'fairaudit partial ratio'; merge looks at the first\n"
          "STATE) give the report of 'fairaudit ratio' on the whole input, and merge takes the\n"
          "options of its analysis and report (see 'fairaudit ratio --help'):\n"
          "  --reference --quantiles --strata-by --trim --min-group-size --range --ci\n"
          "  --bootstrap --seed --bootstrap-scheme --threads --format -o --policy --history\n"
          "\n"
          "exit codes: 0 ok, 2 usage error, 3 input or data error (a damaged, truncated or\n"
          "            mismatched state), 4 internal or resource error\n",
          out);
}

fair_status cli_read_states(char *const *paths, size_t n, fair_state **out, fair_error *err)
{
    fair_state *all = NULL;
    fair_status st = FAIR_OK;
    *out = NULL;
    for (size_t i = 0; i < n && st == FAIR_OK; i++) {
        fair_state *s = NULL;
        st = fair_state_read_file(paths[i], &s, err);
        if (st != FAIR_OK) break;
        if (!all) {
            all = s;
            continue;
        }
        st = fair_state_merge(all, s, err);
        fair_state_free(s);
        if (st != FAIR_OK && err) { /* name the state file, not only the inputs it came from */
            char msg[sizeof err->msg + 1024];
            snprintf(msg, sizeof msg, "cannot merge '%.900s': %s", paths[i], err->msg);
            memcpy(err->msg, msg, sizeof err->msg - 1);
            err->msg[sizeof err->msg - 1] = '\0';
        }
    }
    if (st != FAIR_OK) {
        fair_state_free(all);
        return st;
    }
    *out = all;
    return FAIR_OK;
}

fair_status cli_merge_states(const cli_job *job, fair_audit **a, fair_error *err)
{
    fair_state *all = NULL;
    fair_status st = cli_read_states(job->inputs, job->n_inputs, &all, err);
    *a = NULL;
    if (st == FAIR_OK) st = fair_audit_from_state(all, &job->o, a, err);
    fair_state_free(all);
    return st;
}

fair_status cli_merge_ratio_states(const cli_ratio_job *job, fair_ratio **r, fair_error *err)
{
    fair_state *all = NULL;
    fair_status st = cli_read_states(job->inputs, job->n_inputs, &all, err);
    *r = NULL;
    if (st == FAIR_OK) st = fair_ratio_from_state(all, &job->o, r, err);
    fair_state_free(all);
    return st;
}

/* The first operand (the first STATE) of a merge command line, whichever command's options it
 * holds: getopt_long over a copy of argv (it reorders what it scans) with the options of both
 * `audit` and `ratio`. NULL when there is none or memory runs out. */
static const char *first_operand(int argc, char **argv)
{
    const struct option *tables[2] = {cli_audit_long_options(), cli_ratio_long_options()};
    struct option all[128];
    size_t n = 0;
    char **copy = malloc((size_t)(argc + 1) * sizeof *copy);
    const char *first = NULL;
    if (!copy) return NULL;
    for (size_t t = 0; t < 2; t++)
        for (const struct option *lo = tables[t]; lo->name && n + 1 < sizeof all / sizeof *all; lo++) {
            size_t k = 0;
            while (k < n && strcmp(all[k].name, lo->name) != 0) k++;
            if (k == n) all[n++] = *lo;
        }
    memset(&all[n], 0, sizeof all[n]);
    memcpy(copy, argv, (size_t)(argc + 1) * sizeof *copy);
    opterr = 0;
    optind = 1;
    while (getopt_long(argc, copy, ":o:h", all, NULL) != -1) continue;
    if (optind < argc) first = copy[optind];
    free(copy);
    optind = 1;
    return first;
}

int cli_cmd_merge(int argc, char **argv)
{
    /* States of a ratio study take the options of `ratio`; the first STATE decides (a state
     * that cannot be read is left to the audit's merge, which reports it). */
    const char *first = first_operand(argc, argv);
    fair_state_kind kind = FAIR_STATE_AUDIT;
    if (first && fair_state_file_kind(first, &kind, NULL) == FAIR_OK && kind == FAIR_STATE_RATIO)
        return cli_ratio_command(argc, argv, CLI_MERGE, cli_merge_ratio_states, 1);
    return cli_audit_command(argc, argv, CLI_MERGE, cli_merge_states, 1);
}

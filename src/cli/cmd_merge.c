/* cmd_merge.c -- `fairaudit merge STATE...`: adds the partial states of all shards, in the order
 * given, and writes the report of the whole: the same analysis, bootstrap included, as
 * `fairaudit audit` on the input the shards came from (docs/partial-state.md). */
#include <stdio.h>
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
          "exit codes: 0 ok, 2 usage error, 3 input or data error (a damaged, truncated or\n"
          "            mismatched state), 4 internal or resource error\n",
          out);
}

fair_status cli_merge_states(const cli_job *job, fair_audit **a, fair_error *err)
{
    fair_state *all = NULL;
    fair_status st = FAIR_OK;
    *a = NULL;
    for (size_t i = 0; i < job->n_inputs && st == FAIR_OK; i++) {
        fair_state *s = NULL;
        st = fair_state_read_file(job->inputs[i], &s, err);
        if (st != FAIR_OK) break;
        if (!all) {
            all = s;
            continue;
        }
        st = fair_state_merge(all, s, err);
        fair_state_free(s);
        if (st != FAIR_OK && err) { /* name the state file, not only the inputs it came from */
            char msg[sizeof err->msg + 1024];
            snprintf(msg, sizeof msg, "cannot merge '%.900s': %s", job->inputs[i], err->msg);
            memcpy(err->msg, msg, sizeof err->msg - 1);
            err->msg[sizeof err->msg - 1] = '\0';
        }
    }
    if (st == FAIR_OK) st = fair_audit_from_state(all, &job->o, a, err);
    fair_state_free(all);
    return st;
}

int cli_cmd_merge(int argc, char **argv)
{
    return cli_audit_command(argc, argv, CLI_MERGE, cli_merge_states, 1);
}

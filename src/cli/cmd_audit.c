/* cmd_audit.c -- `fairaudit audit`: parse options, run the audit, write the reports. */
#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define MAX_LIST 64

static void audit_usage(FILE *out)
{
    fputs(
        "usage: fairaudit audit FILE --group COL [--group COL ...] --label COL\n"
        "                       (--pred COL | --score COL --threshold T) [options]\n"
        "\n"
        "Reads a CSV of decisions (FILE, '-' for standard input, gzip detected) and reports\n"
        "per group: counts, rates with intervals, comparisons with a reference group,\n"
        "summaries and tests of \"no difference\".\n"
        "\n"
        "columns:\n"
        "  --group COL            protected attribute column (repeatable)\n"
        "  --label COL            true outcome (1 = positive)\n"
        "  --pred COL             model decision (1 = selected)\n"
        "  --score COL            model score\n"
        "  --threshold T          prediction = score >= T (instead of --pred)\n"
        "  --positive VALUE       positive class of label and prediction (default: the words\n"
        "                         1/0, true/false, yes/no, ja/nee, y/n, any case)\n"
        "  --label-positive VALUE, --pred-positive VALUE   the same, per column\n"
        "  --score-range LO:HI    valid scores (default 0:1); others are skipped\n"
        "scores (with --score):\n"
        "  --calibration-bins K   reliability bins and Hosmer-Lemeshow groups (10)\n"
        "  --binning B            uniform (default) or quantile reliability bins\n"
        "  --thresholds LIST      the classification analysis again at each threshold, e.g.\n"
        "                         0.3,0.5,0.7 (prediction = score >= threshold)\n"
        "  --top-k N              ... when the N highest scores are selected (ties at the cut\n"
        "                         are all selected)\n"
        "  --top-fraction F       ... when the highest fraction F of all rows is selected\n"
        "  --max-distinct-scores N  distinct scores per group kept exactly (65536); past it\n"
        "                         scores are rounded to a grid of 65536 steps, and the report says so\n"
        "input:\n"
        "  --delimiter C          , ; tab | (default: detected from the header)\n"
        "  --decimal C            . or , (default: '.', and ',' too when the delimiter is not ',')\n"
        "  --strict               the first invalid row is an error (exit 3), not a skip\n"
        "  --header-from HFILE    FILE has no header row: take it from HFILE's first record\n"
        "  --threads N            parser threads (default: all cores)\n"
        "groups:\n"
        "  --intersect            also analyse the cross of all --group columns\n"
        "  --reference R          largest (default), best, VALUE, or ATTR=VALUE (repeatable)\n"
        "  --favourable 1|0       1: being selected is favourable (default); 0: harmful, as in\n"
        "                         fraud detection (decides which group --reference best picks)\n"
        "  --min-group-size K     groups below K rows are flagged too small to judge (30)\n"
        "  --suppress-below K     no figure of a group below K rows is reported (0 = off)\n"
        "statistics:\n"
        "  --ci LEVEL             confidence level (0.95)\n"
        "  --bootstrap B          bootstrap replicates (1000; 0 = analytic intervals only)\n"
        "  --seed S               seed of the bootstrap (20240601); same seed, same intervals\n"
        "  --bootstrap-scheme S   stratified (resample within each group; default) or simple\n"
        "  --ci-method M          percentile (default) or bca: the primary bootstrap interval\n"
        "  --interval M           analytic interval: wilson (default) or clopper-pearson\n"
        "  --p-adjust M           holm (default), bh or none\n"
        "output:\n"
        "  --format F             text (default), json, html, markdown, csv or junit, for\n"
        "                         standard output\n"
        "  -o FILE                also write a report; format from the extension (.json, .txt,\n"
        "                         .html, .md, .csv, .xml = JUnit); repeatable; without --format,\n"
        "                         standard output stays quiet\n"
        "  --policy FILE          judge the results against a policy (docs/policy.md); exit 1\n"
        "                         when a check fails\n"
        "  --history FILE.db      record the run in a history database (docs/history.md)\n"
        "limits:\n"
        "  --max-groups N         distinct group combinations (100000)\n"
        "  --max-gzip-ratio R     refuse gzip input that expands more than R times (200; 0 = off)\n"
        "  --max-field-bytes N    longest field (1048576)\n"
        "  --max-line-bytes N     longest line (8388608)\n"
        "  --chunk-bytes N        bytes per parallel parse job (1048576)\n"
        "\n"
        "exit codes: 0 ok, 1 a policy check failed, 2 usage error, 3 input or data error,\n"
        "            4 internal or resource error\n",
        out);
}

/* Strict unsigned parse: digits only, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (!s[0] || s[0] == '-' || s[0] == '+') return 0;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end) return 0;
    *out = (uint64_t)v;
    return 1;
}

static int parse_f64(const char *s, double *out)
{
    char *end;
    double v;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v)) return 0;
    *out = v;
    return 1;
}

enum {
    OPT_GROUP = 256, OPT_LABEL, OPT_PRED, OPT_SCORE, OPT_THRESHOLD, OPT_POSITIVE, OPT_LABEL_POS,
    OPT_PRED_POS, OPT_SCORE_RANGE, OPT_DELIM, OPT_DECIMAL, OPT_STRICT, OPT_THREADS, OPT_INTERSECT,
    OPT_REFERENCE, OPT_FAVOURABLE, OPT_MIN_GROUP, OPT_SUPPRESS, OPT_CI, OPT_INTERVAL, OPT_PADJ,
    OPT_BOOTSTRAP, OPT_SEED, OPT_BOOT_SCHEME, OPT_CI_METHOD, OPT_CAL_BINS, OPT_BINNING, OPT_THRESHOLDS, OPT_TOP_K, OPT_TOP_FRACTION, OPT_MAX_SCORES, OPT_MAX_GROUPS, OPT_MAX_GZIP, OPT_MAX_FIELD, OPT_MAX_LINE, OPT_CHUNK, OPT_HELP,
    OPT_HEADER_FROM, OPT_END
};

static const struct option long_opts[] = {
    {"group", required_argument, NULL, OPT_GROUP},
    {"label", required_argument, NULL, OPT_LABEL},
    {"pred", required_argument, NULL, OPT_PRED},
    {"score", required_argument, NULL, OPT_SCORE},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"positive", required_argument, NULL, OPT_POSITIVE},
    {"label-positive", required_argument, NULL, OPT_LABEL_POS},
    {"pred-positive", required_argument, NULL, OPT_PRED_POS},
    {"score-range", required_argument, NULL, OPT_SCORE_RANGE},
    {"delimiter", required_argument, NULL, OPT_DELIM},
    {"decimal", required_argument, NULL, OPT_DECIMAL},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"intersect", no_argument, NULL, OPT_INTERSECT},
    {"reference", required_argument, NULL, OPT_REFERENCE},
    {"favourable", required_argument, NULL, OPT_FAVOURABLE},
    {"min-group-size", required_argument, NULL, OPT_MIN_GROUP},
    {"suppress-below", required_argument, NULL, OPT_SUPPRESS},
    {"ci", required_argument, NULL, OPT_CI},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"p-adjust", required_argument, NULL, OPT_PADJ},
    CLI_OUTPUT_LONG_OPTIONS,
    {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
    {"seed", required_argument, NULL, OPT_SEED},
    {"bootstrap-scheme", required_argument, NULL, OPT_BOOT_SCHEME},
    {"ci-method", required_argument, NULL, OPT_CI_METHOD},
    {"calibration-bins", required_argument, NULL, OPT_CAL_BINS},
    {"binning", required_argument, NULL, OPT_BINNING},
    {"thresholds", required_argument, NULL, OPT_THRESHOLDS},
    {"top-k", required_argument, NULL, OPT_TOP_K},
    {"top-fraction", required_argument, NULL, OPT_TOP_FRACTION},
    {"max-distinct-scores", required_argument, NULL, OPT_MAX_SCORES},
    {"max-groups", required_argument, NULL, OPT_MAX_GROUPS},
    {"max-gzip-ratio", required_argument, NULL, OPT_MAX_GZIP},
    {"max-field-bytes", required_argument, NULL, OPT_MAX_FIELD},
    {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE},
    {"chunk-bytes", required_argument, NULL, OPT_CHUNK},
    {"header-from", required_argument, NULL, OPT_HEADER_FROM},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

/* Which commands take an option: those that shape the counts belong to `partial` (a partial
 * state keeps them), those of the analysis and the report to `merge`; `audit` takes both. */
enum { FOR_COUNTS = 1, FOR_ANALYSIS = 2, FOR_ALL = 3 };

static int option_class(int c)
{
    switch (c) {
    case OPT_GROUP: case OPT_LABEL: case OPT_PRED: case OPT_SCORE: case OPT_THRESHOLD:
    case OPT_POSITIVE: case OPT_LABEL_POS: case OPT_PRED_POS: case OPT_SCORE_RANGE: case OPT_DELIM:
    case OPT_DECIMAL: case OPT_STRICT: case OPT_MAX_SCORES: case OPT_MAX_GROUPS: case OPT_MAX_GZIP:
    case OPT_MAX_FIELD: case OPT_MAX_LINE: case OPT_CHUNK: case OPT_HEADER_FROM:
        return FOR_COUNTS;
    case OPT_INTERSECT: case OPT_REFERENCE: case OPT_FAVOURABLE: case OPT_MIN_GROUP:
    case OPT_SUPPRESS: case OPT_CI: case OPT_INTERVAL: case OPT_PADJ: case CLI_OPT_FORMAT: case CLI_OPT_POLICY: case CLI_OPT_HISTORY:
    case OPT_BOOTSTRAP: case OPT_SEED: case OPT_BOOT_SCHEME: case OPT_CI_METHOD: case OPT_CAL_BINS:
    case OPT_BINNING: case OPT_THRESHOLDS: case OPT_TOP_K: case OPT_TOP_FRACTION:
        return FOR_ANALYSIS;
    default:
        return FOR_ALL;
    }
}

static const char *option_name(int c)
{
    for (const struct option *lo = long_opts; lo->name; lo++)
        if (lo->val == c) return lo->name;
    return "?";
}

static const char *const mode_names[] = {"audit", "partial", "merge"};

int cli_option_of_other_command(cli_mode mode, const char *name)
{
    if (mode == CLI_PARTIAL)
        cli_errorf("--%s is an option of 'merge': a partial state holds the counts (or a ratio "
                   "study's sales), and the analysis is made when the states are merged", name);
    else
        cli_errorf("--%s is an option of 'partial': the partial states were counted with "
                   "it, and it cannot change when they are merged", name);
    return CLI_EXIT_USAGE;
}

const struct option *cli_audit_long_options(void) { return long_opts; }

static int bad_value(const char *opt, const char *value, const char *expected)
{
    cli_errorf("invalid value '%s' for --%s: expected %s", value, opt, expected);
    return CLI_EXIT_USAGE;
}

static int size_opt(const char *name, const char *arg, size_t *out)
{
    uint64_t v;
    if (!parse_u64(arg, &v) || v == 0 || v > SIZE_MAX / 2) return 0 * bad_value(name, arg, "a positive integer") + 1;
    *out = (size_t)v;
    return 0;
}

static int audit_main(int argc, char **argv, char **cmdline_out, cli_mode mode,
                      cli_audit_source source, int many_inputs, cli_output *out)
{
    const char *cmd = mode_names[mode];
    const char *state_out = NULL;
    cli_job job;
    fair_audit_options o;
    const char *groups[MAX_LIST], *refs[MAX_LIST];
    size_t n_groups = 0, n_refs = 0, n_thresholds = 0;
    double thresholds[MAX_LIST];
    const char *positive = NULL;
    fair_audit *a = NULL;
    fair_report_doc *doc = NULL;
    fair_error err;
    fair_report_run run;
    char ts[32], *cmdline;
    int c, rc = CLI_EXIT_OK;
    uint64_t u;

    fair_audit_options_init(&o);
    /* Before getopt_long, which reorders argv: the record shows the command as typed. */
    cmdline = *cmdline_out = cli_command_line(argc, argv);
    if (!cmdline) {
        cli_errorf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    opterr = 0;
    optind = 1;
    memset(&job, 0, sizeof job);
    while ((c = getopt_long(argc, argv, ":o:h", long_opts, NULL)) != -1) {
        if (((c >= OPT_GROUP && c < OPT_END) || c == CLI_OPT_FORMAT || c == CLI_OPT_POLICY ||
             c == CLI_OPT_HISTORY) &&
            mode != CLI_AUDIT &&
            !(option_class(c) & (mode == CLI_PARTIAL ? FOR_COUNTS : FOR_ANALYSIS))) {
            return cli_option_of_other_command(mode, option_name(c));
        }
        switch (c) {
        case OPT_GROUP:
            if (n_groups == MAX_LIST) return bad_value("group", optarg, "at most 64 group columns");
            groups[n_groups++] = optarg;
            break;
        case OPT_LABEL: o.label_col = optarg; break;
        case OPT_PRED: o.pred_col = optarg; break;
        case OPT_SCORE: o.score_col = optarg; break;
        case OPT_THRESHOLD:
            if (!parse_f64(optarg, &o.threshold)) return bad_value("threshold", optarg, "a number");
            o.use_threshold = 1;
            break;
        case OPT_POSITIVE: positive = optarg; break;
        case OPT_LABEL_POS: o.label_positive = optarg; break;
        case OPT_PRED_POS: o.pred_positive = optarg; break;
        case OPT_SCORE_RANGE: {
            char *colon = strchr(optarg, ':'), lo[64];
            size_t n = colon ? (size_t)(colon - optarg) : 0;
            if (!colon || n >= sizeof lo) return bad_value("score-range", optarg, "LO:HI");
            memcpy(lo, optarg, n);
            lo[n] = '\0';
            if (!parse_f64(lo, &o.score_min) || !parse_f64(colon + 1, &o.score_max) || o.score_min >= o.score_max)
                return bad_value("score-range", optarg, "LO:HI with LO < HI");
            break;
        }
        case OPT_DELIM:
            if (cli_opt_delimiter(optarg, &o.delimiter) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_DECIMAL:
            if (cli_opt_decimal(optarg, &o.decimal) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_STRICT: o.strict = 1; break;
        case OPT_THREADS:
            if (!parse_u64(optarg, &u) || u == 0 || u > 1024) return bad_value("threads", optarg, "1 to 1024");
            o.n_threads = (size_t)u;
            break;
        case OPT_INTERSECT: o.intersect = 1; break;
        case OPT_REFERENCE:
            if (strcmp(optarg, "largest") == 0) o.reference_rule = FAIR_REFERENCE_LARGEST;
            else if (strcmp(optarg, "best") == 0) o.reference_rule = FAIR_REFERENCE_BEST;
            else if (n_refs == MAX_LIST) return bad_value("reference", optarg, "at most 64 references");
            else refs[n_refs++] = optarg;
            break;
        case OPT_FAVOURABLE:
            if (strcmp(optarg, "1") != 0 && strcmp(optarg, "0") != 0) return bad_value("favourable", optarg, "1 or 0");
            o.favourable = optarg[0] == '1';
            break;
        case OPT_MIN_GROUP:
            if (!parse_u64(optarg, &o.min_group_size)) return bad_value("min-group-size", optarg, "a count");
            break;
        case OPT_SUPPRESS:
            if (!parse_u64(optarg, &o.suppress_below)) return bad_value("suppress-below", optarg, "a count");
            break;
        case OPT_CI:
            if (cli_opt_ci(optarg, &o.ci_level) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_BOOTSTRAP:
            if (cli_opt_bootstrap(optarg, &o.bootstrap) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_SEED:
            if (cli_opt_seed(optarg, &o.seed) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_BOOT_SCHEME:
            if (cli_opt_scheme(optarg, &o.boot_scheme) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_CI_METHOD:
            if (strcmp(optarg, "percentile") == 0) o.boot_ci = FAIR_BOOT_CI_PERCENTILE;
            else if (strcmp(optarg, "bca") == 0) o.boot_ci = FAIR_BOOT_CI_BCA;
            else return bad_value("ci-method", optarg, "percentile or bca");
            break;
        case OPT_INTERVAL:
            if (strcmp(optarg, "wilson") == 0) o.interval = FAIR_INTERVAL_WILSON;
            else if (strcmp(optarg, "clopper-pearson") == 0) o.interval = FAIR_INTERVAL_CLOPPER_PEARSON;
            else return bad_value("interval", optarg, "wilson or clopper-pearson");
            break;
        case OPT_PADJ:
            if (strcmp(optarg, "holm") == 0) o.p_adjust = FAIR_P_ADJUST_HOLM;
            else if (strcmp(optarg, "bh") == 0) o.p_adjust = FAIR_P_ADJUST_BH;
            else if (strcmp(optarg, "none") == 0) o.p_adjust = FAIR_P_ADJUST_NONE;
            else return bad_value("p-adjust", optarg, "holm, bh or none");
            break;
        case OPT_HEADER_FROM: job.header_from = optarg; break;
        case 'o':
            if (mode == CLI_PARTIAL) {
                if (state_out) return bad_value("o", optarg, "one state file");
                state_out = optarg;
                break;
            }
            /* fall through */
        case CLI_OPT_FORMAT:
        case CLI_OPT_POLICY:
        case CLI_OPT_HISTORY:
            if (cli_output_option(out, c, optarg) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_MAX_GROUPS:
            if (size_opt("max-groups", optarg, &o.max_groups)) return CLI_EXIT_USAGE;
            break;
        case OPT_CAL_BINS:
            if (size_opt("calibration-bins", optarg, &o.calibration_bins)) return CLI_EXIT_USAGE;
            if (o.calibration_bins > 1000) return bad_value("calibration-bins", optarg, "1 to 1000");
            break;
        case OPT_BINNING:
            if (strcmp(optarg, "uniform") == 0) o.quantile_binning = 0;
            else if (strcmp(optarg, "quantile") == 0) o.quantile_binning = 1;
            else return bad_value("binning", optarg, "uniform or quantile");
            break;
        case OPT_THRESHOLDS: {
            const char *p = optarg;
            n_thresholds = 0;
            while (*p) {
                char num[64];
                size_t n = strcspn(p, ",");
                if (n == 0 || n >= sizeof num || n_thresholds == MAX_LIST)
                    return bad_value("thresholds", optarg, "up to 64 numbers separated by commas");
                memcpy(num, p, n);
                num[n] = '\0';
                if (!parse_f64(num, &thresholds[n_thresholds++]))
                    return bad_value("thresholds", optarg, "numbers separated by commas, such as 0.3,0.5,0.7");
                p += n + (p[n] == ',');
            }
            break;
        }
        case OPT_TOP_K:
            if (!parse_u64(optarg, &o.top_k) || o.top_k == 0) return bad_value("top-k", optarg, "a positive count");
            break;
        case OPT_TOP_FRACTION:
            if (!parse_f64(optarg, &o.top_fraction) || !(o.top_fraction > 0 && o.top_fraction <= 1))
                return bad_value("top-fraction", optarg, "a fraction in (0, 1]");
            break;
        case OPT_MAX_SCORES:
            if (size_opt("max-distinct-scores", optarg, &o.max_distinct_scores)) return CLI_EXIT_USAGE;
            break;
        case OPT_MAX_GZIP:
            if (!parse_f64(optarg, &o.max_gzip_ratio) || o.max_gzip_ratio < 0)
                return bad_value("max-gzip-ratio", optarg, "a ratio >= 0 (0 = no limit)");
            break;
        case OPT_MAX_FIELD:
            if (size_opt("max-field-bytes", optarg, &o.max_field_bytes)) return CLI_EXIT_USAGE;
            break;
        case OPT_MAX_LINE:
            if (size_opt("max-line-bytes", optarg, &o.max_line_bytes)) return CLI_EXIT_USAGE;
            break;
        case OPT_CHUNK:
            if (size_opt("chunk-bytes", optarg, &o.chunk_bytes)) return CLI_EXIT_USAGE;
            break;
        case 'h':
        case OPT_HELP:
            if (mode == CLI_PARTIAL) cli_partial_usage(stdout);
            else if (mode == CLI_MERGE) cli_merge_usage(stdout);
            else audit_usage(stdout);
            return CLI_EXIT_OK;
        case ':':
            cli_errorf("option '%s' needs a value", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            cli_errorf("unknown option '%s' (see 'fairaudit %s --help')", argv[optind - 1], cmd);
            return CLI_EXIT_USAGE;
        }
    }
    if (cli_check_inputs(argc, argv, mode, cmd, many_inputs) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
    if (mode == CLI_PARTIAL && !state_out) {
        cli_errorf("partial needs -o STATE, the file to write the partial state to");
        return CLI_EXIT_USAGE;
    }
    if (mode != CLI_MERGE && n_groups == 0) {
        cli_errorf("%s needs at least one --group column", cmd);
        return CLI_EXIT_USAGE;
    }
    if (mode != CLI_MERGE && !o.label_col) {
        cli_errorf("%s needs --label", cmd);
        return CLI_EXIT_USAGE;
    }
    if (mode != CLI_MERGE && !o.pred_col && !o.use_threshold) {
        cli_errorf("%s needs --pred, or --score with --threshold", cmd);
        return CLI_EXIT_USAGE;
    }
    if (o.pred_col && o.use_threshold) {
        cli_errorf("give --pred or --threshold, not both");
        return CLI_EXIT_USAGE;
    }
    if (o.use_threshold && !o.score_col) {
        cli_errorf("--threshold needs --score");
        return CLI_EXIT_USAGE;
    }
    if (mode != CLI_MERGE && (n_thresholds || o.top_k || o.top_fraction > 0) && !o.score_col) {
        cli_errorf("--thresholds, --top-k and --top-fraction need --score");
        return CLI_EXIT_USAGE;
    }
    if (o.top_k && o.top_fraction > 0) {
        cli_errorf("give --top-k or --top-fraction, not both");
        return CLI_EXIT_USAGE;
    }
    o.thresholds = thresholds;
    o.n_thresholds = n_thresholds;
    if (positive) {
        if (!o.label_positive) o.label_positive = positive;
        if (!o.pred_positive) o.pred_positive = positive;
    }
    o.group_cols = groups;
    o.n_group_cols = n_groups;
    o.references = refs;
    o.n_references = n_refs;

    job.mode = mode;
    job.o = o;
    job.inputs = argv + optind;
    job.n_inputs = (size_t)(argc - optind);
    job.state_out = state_out;
    if (mode == CLI_PARTIAL) return cli_partial_write(&job);

    rc = cli_output_load_policy(out);
    if (rc != CLI_EXIT_OK) return rc;
    fair_error_init(&err);
    {
        fair_status st = source ? source(&job, &a, &err) : fair_audit_run(argv[optind], &o, &a, &err);
        if (st != FAIR_OK) return cli_fail(st, &err);
        if (!a) return CLI_EXIT_OK; /* nothing to report in this process */
    }

    cli_timestamp(ts, sizeof ts);
    run.command_line = cmdline;
    run.timestamp = ts;
    run.color = 0;
    {
        fair_status st = fair_report_doc_create(a, &run, &doc, &err);
        if (st != FAIR_OK) {
            fair_audit_free(a);
            return cli_fail(st, &err);
        }
    }
    rc = cli_output_finish(out, doc);
    fair_report_doc_free(doc);
    fair_audit_free(a);
    return rc;
}

int cli_audit_command(int argc, char **argv, cli_mode mode, cli_audit_source source,
                      int many_inputs)
{
    char *cmdline = NULL;
    cli_output out;
    int rc;
    cli_output_init(&out);
    rc = audit_main(argc, argv, &cmdline, mode, source, many_inputs, &out);
    cli_output_release(&out);
    free(cmdline);
    return rc;
}

int cli_cmd_audit(int argc, char **argv)
{
    return cli_audit_command(argc, argv, CLI_AUDIT, cli_audit_header_from, 0);
}

/* The helpers above, for the other subcommands (cli.h). */
int cli_parse_u64(const char *s, uint64_t *out) { return parse_u64(s, out); }
int cli_parse_f64(const char *s, double *out) { return parse_f64(s, out); }

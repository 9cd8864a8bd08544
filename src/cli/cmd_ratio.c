/* cmd_ratio.c -- `fairaudit ratio`: parse options, run the ratio study, write the reports. The
 * same parser serves `partial ratio` (the sales of a shard, in a partial state), `merge` of a
 * ratio study's states and `fairaudit-mpi ratio` (docs/partial-state.md). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#define MAX_LIST 64

static void ratio_usage(FILE *out)
{
    fputs("usage: fairaudit ratio FILE --assessed COL --sale-price COL [--group COL ...] [options]\n"
          "\n"
          "A sales ratio study (IAAO Standard on Ratio Studies) of a valuation model: per sale\n"
          "the ratio of the assessed value to the sale price; overall, per group and per value\n"
          "stratum its level (median, mean, weighted mean), uniformity (COD) and vertical\n"
          "equity (PRD, PRB, KI, MKI, VEI), each shown against its IAAO range, with intervals.\n"
          "\n"
          "columns:\n"
          "  --assessed COL         the model's valuation\n"
          "  --sale-price COL       the sale price\n"
          "  --group COL            a group column, such as neighbourhood (repeatable)\n"
          "  --reference R          reference group: VALUE, or ATTR=VALUE with several group\n"
          "                         columns (default: the largest group)\n"
          "study:\n"
          "  --quantiles K          value strata (10; 0 = none)\n"
          "  --strata-by B          proxy (IAAO value proxy, default) or sale-price\n"
          "  --trim RULE            none (default), iqr1.5, iqr3 or p5p95\n"
          "  --min-group-size K     groups below K sales are flagged too small to judge (30)\n"
          "  --range STAT=LO:HI     an IAAO range shown beside a statistic (median_ratio, cod,\n"
          "                         prd, prb, mki, vei); repeatable\n"
          "statistics:\n"
          "  --ci LEVEL             confidence level (0.95)\n"
          "  --bootstrap B          bootstrap replicates (1000; 0 = none)\n"
          "  --seed S               seed of the bootstrap (20240601)\n"
          "  --bootstrap-scheme S   stratified (within each group combination; default) or simple\n"
          "input:\n"
          "  --delimiter C          , ; tab | (default: detected from the header)\n"
          "  --decimal C            . or , (default: '.', and ',' too when the delimiter is not ',')\n"
          "  --strict               the first invalid row is an error (exit 3), not a skip\n"
          "  --threads N            threads (default: all cores)\n"
          "  --max-sales N          most sales kept in memory (100000000)\n"
          "  --max-groups N, --max-gzip-ratio R, --max-field-bytes N, --max-line-bytes N,\n"
          "  --chunk-bytes N        as for audit\n"
          "  --header-from HFILE    FILE has no header row: take it from the first record of HFILE\n"
          "output:\n"
          "  --format F             text (default), json, html, markdown, csv or junit, for\n"
          "                         standard output\n"
          "  -o FILE                also write a report; format from the extension (.json, .txt,\n"
          "                         .html, .md, .csv, .xml = JUnit); repeatable; without --format,\n"
          "                         standard output stays quiet\n"
          "  --policy FILE          judge the results against a policy, e.g. the IAAO ranges of\n"
          "                         docs/policies/iaao.ini; exit 1 when a check fails\n"
          "  --history FILE.db      record the run in a history database (docs/history.md)\n"
          "\n"
          "exit codes: 0 ok, 1 a policy check failed, 2 usage error, 3 input or data error,\n"
          "            4 internal or resource error\n",
          out);
}

enum {
    OPT_ASSESSED = 256, OPT_SALE, OPT_GROUP, OPT_REFERENCE, OPT_QUANTILES, OPT_STRATA, OPT_TRIM,
    OPT_MIN_GROUP, OPT_RANGE, OPT_CI, OPT_BOOTSTRAP, OPT_SEED, OPT_SCHEME, OPT_DELIM, OPT_DECIMAL,
    OPT_STRICT, OPT_THREADS, OPT_MAX_SALES, OPT_MAX_GROUPS, OPT_MAX_GZIP, OPT_MAX_FIELD,
    OPT_MAX_LINE, OPT_CHUNK, OPT_HELP, OPT_HEADER_FROM
};

static const struct option long_opts[] = {
    {"assessed", required_argument, NULL, OPT_ASSESSED},
    {"sale-price", required_argument, NULL, OPT_SALE},
    {"group", required_argument, NULL, OPT_GROUP},
    {"reference", required_argument, NULL, OPT_REFERENCE},
    {"quantiles", required_argument, NULL, OPT_QUANTILES},
    {"strata-by", required_argument, NULL, OPT_STRATA},
    {"trim", required_argument, NULL, OPT_TRIM},
    {"min-group-size", required_argument, NULL, OPT_MIN_GROUP},
    {"range", required_argument, NULL, OPT_RANGE},
    {"ci", required_argument, NULL, OPT_CI},
    {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
    {"seed", required_argument, NULL, OPT_SEED},
    {"bootstrap-scheme", required_argument, NULL, OPT_SCHEME},
    {"delimiter", required_argument, NULL, OPT_DELIM},
    {"decimal", required_argument, NULL, OPT_DECIMAL},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"max-sales", required_argument, NULL, OPT_MAX_SALES},
    {"max-groups", required_argument, NULL, OPT_MAX_GROUPS},
    {"max-gzip-ratio", required_argument, NULL, OPT_MAX_GZIP},
    {"max-field-bytes", required_argument, NULL, OPT_MAX_FIELD},
    {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE},
    {"chunk-bytes", required_argument, NULL, OPT_CHUNK},
    {"header-from", required_argument, NULL, OPT_HEADER_FROM},
    CLI_OUTPUT_LONG_OPTIONS,
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

const struct option *cli_ratio_long_options(void) { return long_opts; }

/* Which commands take an option: those that shape the sales belong to `partial ratio` (a
 * partial state keeps them), those of the analysis and the report to `merge`; `ratio` takes
 * both. 0: both. */
enum { FOR_SALES = 1, FOR_ANALYSIS = 2 };

static int option_class(int c)
{
    switch (c) {
    case OPT_ASSESSED: case OPT_SALE: case OPT_GROUP: case OPT_DELIM: case OPT_DECIMAL:
    case OPT_STRICT: case OPT_MAX_SALES: case OPT_MAX_GROUPS: case OPT_MAX_GZIP: case OPT_MAX_FIELD:
    case OPT_MAX_LINE: case OPT_CHUNK: case OPT_HEADER_FROM:
        return FOR_SALES;
    case OPT_REFERENCE: case OPT_QUANTILES: case OPT_STRATA: case OPT_TRIM: case OPT_MIN_GROUP:
    case OPT_RANGE: case OPT_CI: case OPT_BOOTSTRAP: case OPT_SEED: case OPT_SCHEME:
    case CLI_OPT_FORMAT: case CLI_OPT_POLICY: case CLI_OPT_HISTORY: case 'o':
        return FOR_ANALYSIS;
    default:
        return 0;
    }
}

static const char *option_name(int c)
{
    if (c == 'o') return "output";
    for (const struct option *lo = long_opts; lo->name; lo++)
        if (lo->val == c) return lo->name;
    return "?";
}

static int bad_value(const char *opt, const char *value, const char *expected)
{
    cli_errorf("invalid value '%s' for --%s: expected %s", value, opt, expected);
    return CLI_EXIT_USAGE;
}

/* A positive size option; returns 0 when fine. */
static int size_opt(const char *name, const char *arg, size_t *out)
{
    uint64_t v;
    if (!cli_parse_u64(arg, &v) || v == 0 || v > SIZE_MAX / 2) {
        bad_value(name, arg, "a positive integer");
        return 1;
    }
    *out = (size_t)v;
    return 0;
}

/* --range STAT=LO:HI; returns 0 when fine. */
static int range_opt(const char *arg, fair_ratio_options *o)
{
    static const char *const names[] = {"median_ratio", "cod", "prd", "prb", "mki", "vei"};
    fair_ratio_range *slots[] = {&o->range_median, &o->range_cod, &o->range_prd,
                                 &o->range_prb,    &o->range_mki, &o->range_vei};
    const char *eq = strchr(arg, '='), *colon = eq ? strchr(eq, ':') : NULL;
    char lo[64];
    fair_ratio_range r;
    size_t k, n = colon ? (size_t)(colon - eq - 1) : 0;
    if (!eq || !colon || n == 0 || n >= sizeof lo) goto bad;
    for (k = 0; k < sizeof names / sizeof *names; k++)
        if (strlen(names[k]) == (size_t)(eq - arg) && strncmp(arg, names[k], (size_t)(eq - arg)) == 0)
            break;
    if (k == sizeof names / sizeof *names) goto bad;
    memcpy(lo, eq + 1, n);
    lo[n] = '\0';
    if (!cli_parse_f64(lo, &r.lo) || !cli_parse_f64(colon + 1, &r.hi) || r.lo > r.hi) goto bad;
    *slots[k] = r;
    return 0;
bad:
    bad_value("range", arg, "STAT=LO:HI with STAT one of median_ratio, cod, prd, prb, mki, vei");
    return 1;
}

static int ratio_main(int argc, char **argv, char *cmdline, cli_output *out, cli_mode mode,
                      cli_ratio_source source, int many_inputs)
{
    static const char *const mode_names[] = {"ratio", "partial ratio", "merge"};
    const char *cmd = mode_names[mode];
    cli_ratio_job job;
    fair_ratio_options o;
    const char *groups[MAX_LIST];
    size_t n_groups = 0;
    fair_ratio *r = NULL;
    fair_report_doc *doc = NULL;
    fair_error err;
    fair_report_run run;
    char ts[32];
    int c, rc = CLI_EXIT_OK;
    uint64_t u;

    fair_ratio_options_init(&o);
    memset(&job, 0, sizeof job);
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", long_opts, NULL)) != -1) {
        int cls = option_class(c);
        if (mode == CLI_PARTIAL && c == 'o') cls = FOR_SALES; /* -o STATE */
        if (mode != CLI_AUDIT && cls && cls != (mode == CLI_PARTIAL ? FOR_SALES : FOR_ANALYSIS))
            return cli_option_of_other_command(mode, option_name(c));
        switch (c) {
        case OPT_ASSESSED: o.assessed_col = optarg; break;
        case OPT_SALE: o.sale_col = optarg; break;
        case OPT_GROUP:
            if (n_groups == MAX_LIST) return bad_value("group", optarg, "at most 64 group columns");
            groups[n_groups++] = optarg;
            break;
        case OPT_REFERENCE: o.reference = optarg; break;
        case OPT_QUANTILES:
            if (!cli_parse_u64(optarg, &u) || u == 1 || u > 100)
                return bad_value("quantiles", optarg, "0 (none) or 2 to 100");
            o.quantiles = (size_t)u;
            break;
        case OPT_STRATA:
            if (strcmp(optarg, "proxy") == 0) o.strata = FAIR_RATIO_STRATA_PROXY;
            else if (strcmp(optarg, "sale-price") == 0) o.strata = FAIR_RATIO_STRATA_SALE;
            else return bad_value("strata-by", optarg, "proxy or sale-price");
            break;
        case OPT_TRIM:
            if (strcmp(optarg, "none") == 0) o.trim = FAIR_RATIO_TRIM_NONE;
            else if (strcmp(optarg, "iqr1.5") == 0) o.trim = FAIR_RATIO_TRIM_IQR15;
            else if (strcmp(optarg, "iqr3") == 0) o.trim = FAIR_RATIO_TRIM_IQR3;
            else if (strcmp(optarg, "p5p95") == 0) o.trim = FAIR_RATIO_TRIM_P5P95;
            else return bad_value("trim", optarg, "none, iqr1.5, iqr3 or p5p95");
            break;
        case OPT_MIN_GROUP:
            if (!cli_parse_u64(optarg, &o.min_group_size)) return bad_value("min-group-size", optarg, "a count");
            break;
        case OPT_RANGE:
            if (range_opt(optarg, &o)) return CLI_EXIT_USAGE;
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
        case OPT_SCHEME:
            if (cli_opt_scheme(optarg, &o.boot_scheme) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_DELIM:
            if (cli_opt_delimiter(optarg, &o.delimiter) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_DECIMAL:
            if (cli_opt_decimal(optarg, &o.decimal) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case OPT_STRICT: o.strict = 1; break;
        case OPT_THREADS:
            if (!cli_parse_u64(optarg, &u) || u == 0 || u > 1024) return bad_value("threads", optarg, "1 to 1024");
            o.n_threads = (size_t)u;
            break;
        case OPT_MAX_SALES:
            if (!cli_parse_u64(optarg, &o.max_sales) || o.max_sales == 0 || o.max_sales > UINT32_MAX)
                return bad_value("max-sales", optarg, "1 to 4294967295");
            break;
        case OPT_MAX_GROUPS:
            if (size_opt("max-groups", optarg, &o.max_groups)) return CLI_EXIT_USAGE;
            break;
        case OPT_MAX_GZIP:
            if (!cli_parse_f64(optarg, &o.max_gzip_ratio) || o.max_gzip_ratio < 0)
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
        case OPT_HEADER_FROM: job.header_from = optarg; break;
        case 'o':
            if (mode == CLI_PARTIAL) {
                if (job.state_out) return bad_value("o", optarg, "one state file");
                job.state_out = optarg;
                break;
            }
            /* fall through */
        case CLI_OPT_FORMAT:
        case CLI_OPT_POLICY:
        case CLI_OPT_HISTORY:
            if (cli_output_option(out, c, optarg) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
            break;
        case 'h':
        case OPT_HELP:
            if (mode == CLI_PARTIAL) cli_partial_usage(stdout);
            else if (mode == CLI_MERGE) cli_merge_usage(stdout);
            else ratio_usage(stdout);
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
    if (mode == CLI_PARTIAL && !job.state_out) {
        cli_errorf("partial needs -o STATE, the file to write the partial state to");
        return CLI_EXIT_USAGE;
    }
    if (mode != CLI_MERGE && (!o.assessed_col || !o.sale_col)) {
        cli_errorf("%s needs --assessed and --sale-price", cmd);
        return CLI_EXIT_USAGE;
    }
    if (o.reference && n_groups == 0 && mode != CLI_MERGE) {
        cli_errorf("--reference needs --group");
        return CLI_EXIT_USAGE;
    }
    if (o.reference && n_groups > 1 && !strchr(o.reference, '=')) {
        cli_errorf("with several --group columns, --reference takes ATTR=VALUE");
        return CLI_EXIT_USAGE;
    }
    o.group_cols = groups;
    o.n_group_cols = n_groups;
    job.mode = mode;
    job.o = o;
    job.inputs = argv + optind;
    job.n_inputs = (size_t)(argc - optind);
    fair_error_init(&err);
    if (mode == CLI_PARTIAL) return cli_partial_ratio_write(&job);

    rc = cli_output_load_policy(out);
    if (rc != CLI_EXIT_OK) return rc;
    {
        fair_status st = source ? source(&job, &r, &err) : cli_ratio_header_from(&job, &r, &err);
        if (st != FAIR_OK) return cli_fail(st, &err);
        if (!r) return CLI_EXIT_OK; /* nothing to report in this process */
    }
    cli_timestamp(ts, sizeof ts);
    run.command_line = cmdline;
    run.timestamp = ts;
    run.color = 0;
    {
        fair_status st = fair_ratio_report_doc(r, &run, &doc, &err);
        if (st != FAIR_OK) {
            fair_ratio_free(r);
            return cli_fail(st, &err);
        }
    }
    rc = cli_output_finish(out, doc);
    fair_report_doc_free(doc);
    fair_ratio_free(r);
    return rc;
}

int cli_ratio_command(int argc, char **argv, cli_mode mode, cli_ratio_source source,
                      int many_inputs)
{
    /* Before getopt_long, which reorders argv: the record shows the command as typed. */
    char *cmdline = cli_command_line(argc, argv);
    int rc;
    if (!cmdline) {
        cli_errorf("out of memory");
        return CLI_EXIT_INTERNAL;
    }
    {
        cli_output out;
        cli_output_init(&out);
        rc = ratio_main(argc, argv, cmdline, &out, mode, source, many_inputs);
        cli_output_release(&out);
    }
    free(cmdline);
    return rc;
}

int cli_cmd_ratio(int argc, char **argv) { return cli_ratio_command(argc, argv, CLI_AUDIT, NULL, 0); }

/* common.c -- what every fairaudit program shares: error messages and exit codes. */
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "cli.h"

int cli_quiet = 0;

/* A run is one short process that allocates, frees and allocates again arrays of up to
 * hundreds of megabytes (a ratio study's sorts and sets). By default glibc maps each large
 * block on its own and unmaps it when freed, so the next one is faulted in and zeroed by the
 * kernel afresh: for a study of a million sales that was half of its system time. Blocks up
 * to glibc's largest threshold (32 MiB) come from the heap instead, and freed memory stays
 * for reuse until the process ends. Results do not change; peak memory hardly does. */
void cli_tune_malloc(void)
{
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    if (cli_quiet) return;
    fputs("fairaudit: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_exit_for_status(fair_status st)
{
    switch (st) {
    case FAIR_OK:
        return CLI_EXIT_OK;
    case FAIR_ENOMEM:
    case FAIR_EINTERNAL:
    case FAIR_ENUMERIC:
        return CLI_EXIT_INTERNAL;
    default:
        return CLI_EXIT_INPUT;
    }
}

int cli_check_inputs(int argc, char **argv, int mode, const char *cmd, int many_inputs)
{
    if (mode == CLI_MERGE) {
        if (optind < argc) return CLI_EXIT_OK;
        cli_errorf("merge needs one or more partial state files (made by 'fairaudit partial')");
        return CLI_EXIT_USAGE;
    }
    if (optind < argc && (optind == argc - 1 || many_inputs)) return CLI_EXIT_OK;
    cli_errorf(optind >= argc ? "%s needs one input FILE (or '-' for standard input)"
                              : "%s takes one input FILE; unexpected '%s'",
               cmd, argv[optind < argc - 1 ? optind + 1 : optind]);
    return CLI_EXIT_USAGE;
}

int cli_fail(fair_status st, const fair_error *err)
{
    cli_errorf("%s", err->msg[0] ? err->msg : fair_strerror(st));
    return cli_exit_for_status(st);
}

/* ---- options that several commands share, with the same words and limits ---- */

static int bad(const char *opt, const char *value, const char *expected)
{
    cli_errorf("invalid value '%s' for --%s: expected %s", value, opt, expected);
    return CLI_EXIT_USAGE;
}

int cli_opt_ci(const char *arg, double *level)
{
    if (!cli_parse_f64(arg, level) || !(*level > 0 && *level < 1))
        return bad("ci", arg, "a level between 0 and 1, such as 0.95");
    return CLI_EXIT_OK;
}

int cli_opt_bootstrap(const char *arg, uint64_t *b)
{
    if (!cli_parse_u64(arg, b) || *b > 1000000) return bad("bootstrap", arg, "a replicate count from 0 to 1000000");
    return CLI_EXIT_OK;
}

int cli_opt_seed(const char *arg, uint64_t *seed)
{
    if (!cli_parse_u64(arg, seed) || *seed > INT64_MAX)
        return bad("seed", arg, "an integer from 0 to 9223372036854775807");
    return CLI_EXIT_OK;
}

int cli_opt_scheme(const char *arg, fair_boot_scheme *scheme)
{
    if (strcmp(arg, "stratified") == 0) *scheme = FAIR_BOOT_STRATIFIED;
    else if (strcmp(arg, "simple") == 0) *scheme = FAIR_BOOT_SIMPLE;
    else return bad("bootstrap-scheme", arg, "stratified or simple");
    return CLI_EXIT_OK;
}

int cli_opt_delimiter(const char *arg, char *delim)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) *delim = '\t';
    else if (strlen(arg) == 1 && strchr(",;|\t", arg[0])) *delim = arg[0];
    else return bad("delimiter", arg, "one of , ; tab |");
    return CLI_EXIT_OK;
}

int cli_opt_decimal(const char *arg, char *decimal)
{
    if (strcmp(arg, ".") != 0 && strcmp(arg, ",") != 0) return bad("decimal", arg, ". or ,");
    *decimal = arg[0];
    return CLI_EXIT_OK;
}

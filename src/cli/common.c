/* common.c -- what every fairaudit program shares: error messages and exit codes. */
#include <stdarg.h>
#include <stdio.h>
#include "cli.h"

int cli_quiet = 0;

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

/* cmd_gen.c -- `fairaudit gen KIND`: writes a synthetic dataset with a planted, documented bias
 * to standard output or, atomically, to a file. Only the public library API is used. */
/* realpath() is POSIX.1-2008, but glibc declares it only for X/Open (or _DEFAULT_SOURCE);
 * X/Open 7 is the same POSIX.1-2008 base that _POSIX_C_SOURCE=200809L already asks for. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

static const char gen_usage[] =
    "usage: fairaudit gen benefits|woz [--rows N] [--seed S] [-o FILE]\n"
    "\n"
    "Writes a synthetic welfare-fraud-risk dataset (columns id, nationality, age_band, sex,\n"
    "district, label, score, pred) in which the true irregularity rate is the same for every\n"
    "nationality but the model's score is shifted upward for \"non-EU\". The generative model and\n"
    "the planted rates are documented in datasets/README.md.\n"
    "'woz' writes a sales sample (id, neighbourhood, property_type, sale_price, valuation) for\n"
    "'fairaudit ratio', the valuations regressive in \"Oosterpark\" only (datasets/README.md).\n"
    "\n"
    "options:\n"
    "  --rows N            data rows to write, 0 or more (default 10000)\n"
    "  --seed S            random seed, 0 to 18446744073709551615 (default 20240601);\n"
    "                      the same rows and seed always give the same bytes\n"
    "  -o, --output FILE   write FILE atomically (a temporary file in the same folder, then\n"
    "                      renamed); without -o, or with -o -, write to standard output\n"
    "  -h, --help          show this help and exit\n";

enum { OPT_ROWS = 256, OPT_SEED };

/* The generator of the kind asked for (benefits unless "woz"). */
static fair_status (*gen_kind)(FILE *, const fair_gen_options *, fair_error *) = fair_gen_benefits; /* long-only options: values outside the char range */

/* Prints `msg` (may be NULL) and the usage to stderr; returns the usage exit code. */
static int usage_error(const char *msg, const char *what)
{
    if (msg) cli_errorf("%s '%s'", msg, what);
    fputs(gen_usage, stderr);
    return CLI_EXIT_USAGE;
}

_Static_assert(ULLONG_MAX == UINT64_MAX, "unsigned long long is not 64 bits");

/* Parses a whole decimal number in 0 .. 2^64-1 into *out. strtoull alone would accept leading
 * space, a sign ("-1" wraps to 2^64-1) and trailing junk, so those are refused first or after.
 * Returns 0 on success, -1 when `s` is not such a number. */
static int parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;
    if (s[0] < '0' || s[0] > '9') return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') return -1; /* errno: ERANGE above ULLONG_MAX */
    *out = (uint64_t)v;
    return 0;
}

/* Writes the dataset to the open stream `f`, the file `path` (NULL: standard output) in
 * messages. Does not close `f`. Returns the exit code. */
static int write_stream(FILE *f, const char *path, const fair_gen_options *o)
{
    fair_error err;
    fair_status st;
    fair_error_init(&err);
    st = gen_kind(f, o, &err);
    if (st != FAIR_OK) {
        if (path)
            cli_errorf("writing '%s': %s", path, err.msg);
        else
            cli_errorf("writing standard output: %s", err.msg);
        /* A failed write (full disk, closed pipe) is a resource error, not bad input. */
        return st == FAIR_EIO ? CLI_EXIT_INTERNAL : cli_exit_for_status(st);
    }
    return CLI_EXIT_OK;
}

/* Writes the dataset straight into `path`, which exists and is not a regular file (a device,
 * a FIFO, /dev/stdout): replacing such a file by rename() would be wrong. */
static int write_in_place(const char *path, const fair_gen_options *o)
{
    FILE *f = fopen(path, "w");
    int rc;
    if (!f) {
        cli_errorf("cannot write '%s': %s", path, strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    rc = write_stream(f, path, o);
    if (fclose(f) != 0 && rc == CLI_EXIT_OK) {
        cli_errorf("cannot write '%s': %s", path, strerror(errno));
        rc = CLI_EXIT_INTERNAL;
    }
    return rc;
}

/* Writes the dataset to `target` atomically: into a new temporary file "<target>.tmp.XXXXXX" in
 * the same folder (so rename() cannot cross file systems), flushed and fsync()ed, then renamed
 * over `target`. Readers see the old file or the complete new one, never a part; on any failure
 * the temporary file is removed and `target` is untouched. `path` is the name the user gave, for
 * messages. Returns the exit code. */
static int write_atomically(const char *target, const char *path, const fair_gen_options *o)
{
    static const char suffix[] = ".tmp.XXXXXX";
    size_t n = strlen(target);
    char *tmp = malloc(n + sizeof suffix);
    mode_t mask;
    FILE *f;
    int fd, e, rc;

    if (!tmp) {
        cli_errorf("cannot write '%s': %s", path, strerror(ENOMEM));
        return cli_exit_for_status(FAIR_ENOMEM);
    }
    memcpy(tmp, target, n);
    memcpy(tmp + n, suffix, sizeof suffix);

    fd = mkstemp(tmp);
    if (fd < 0) {
        cli_errorf("cannot write '%s': %s", path, strerror(errno));
        free(tmp);
        return CLI_EXIT_INTERNAL;
    }
    /* mkstemp creates the file 0600; give it the mode a plain fopen() would (0666 less the
     * umask). Reading the umask means setting it: allowed here, the CLI owns process state.
     * Failure (e.g. a file system without modes) is harmless: the file stays owner-only. */
    mask = umask(0);
    umask(mask);
    (void)fchmod(fd, (mode_t)(0666 & ~mask));

    f = fdopen(fd, "w");
    if (!f) {
        e = errno;
        close(fd);
        cli_errorf("cannot write '%s': %s", path, strerror(e));
        rc = CLI_EXIT_INTERNAL;
        goto fail;
    }
    rc = write_stream(f, path, o);
    if (rc != CLI_EXIT_OK) {
        fclose(f);
        goto fail;
    }
    if (fflush(f) != 0 || (fsync(fileno(f)) != 0 && errno != EINVAL && errno != EROFS)) {
        /* fsync's EINVAL/EROFS: a file that cannot be synced (special file systems) is not a
         * write error. */
        e = errno;
        fclose(f);
        cli_errorf("cannot write '%s': %s", path, strerror(e));
        rc = CLI_EXIT_INTERNAL;
        goto fail;
    }
    if (fclose(f) != 0) {
        cli_errorf("cannot write '%s': %s", path, strerror(errno));
        rc = CLI_EXIT_INTERNAL;
        goto fail;
    }
    if (rename(tmp, target) != 0) {
        cli_errorf("cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
        rc = CLI_EXIT_INTERNAL;
        goto fail;
    }
    free(tmp);
    return CLI_EXIT_OK;

fail:
    unlink(tmp);
    free(tmp);
    return rc;
}

/* Writes the dataset to `path` ("-" = standard output). An existing regular file, or a symbolic
 * link to one, is replaced atomically (the link's target is replaced, the link kept); an existing
 * file of another kind is written in place; a new file is created atomically. */
static int write_output(const char *path, const fair_gen_options *o)
{
    struct stat sb;
    char *resolved;
    int rc;
    if (strcmp(path, "-") == 0) return write_stream(stdout, NULL, o);
    if (stat(path, &sb) != 0) return write_atomically(path, path, o);
    if (!S_ISREG(sb.st_mode)) return write_in_place(path, o);
    resolved = realpath(path, NULL);
    rc = write_atomically(resolved ? resolved : path, path, o);
    free(resolved);
    return rc;
}

/* `fairaudit gen KIND [options]`; argv[0] is "gen". The kind may come first (as documented) or
 * after the options. It is taken off before getopt_long runs, so the options after it are parsed
 * even when POSIXLY_CORRECT stops GNU getopt's argument permutation. */
int cli_cmd_gen(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"rows", required_argument, NULL, OPT_ROWS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    fair_gen_options o;
    const char *kind = NULL, *output = NULL;
    int c;

    fair_gen_options_init(&o);
    if (argc >= 2 && argv[1][0] != '-') {
        kind = argv[1];
        argc--;
        argv++; /* the kind takes the program-name slot, which getopt skips */
    }

    /* getopt may already have run in main(): start over. glibc re-initialises completely only
     * when optind is 0; elsewhere 1 is the documented reset. Our own messages replace getopt's
     * (opterr = 0; the leading ':' makes a missing value return ':'). */
#ifdef __GLIBC__
    optind = 0;
#else
    optind = 1;
#endif
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        const char *arg = argv[optind - 1]; /* the option as written (valid for errors) */
        switch (c) {
        case OPT_ROWS:
            if (parse_u64(optarg, &o.rows) != 0)
                return usage_error("--rows expects a whole number 0 or more, not", optarg);
            break;
        case OPT_SEED:
            if (parse_u64(optarg, &o.seed) != 0)
                return usage_error("--seed expects a whole number 0 to 18446744073709551615, not",
                                   optarg);
            break;
        case 'o':
            if (optarg[0] == '\0') {
                cli_errorf("-o/--output needs a file name ('-' for standard output)");
                return usage_error(NULL, NULL);
            }
            output = optarg;
            break;
        case 'h':
            fputs(gen_usage, stdout);
            if (fflush(stdout) != 0) {
                cli_errorf("cannot write standard output: %s", strerror(errno));
                return CLI_EXIT_INTERNAL;
            }
            return CLI_EXIT_OK;
        case ':':
            return usage_error("missing value for option", arg);
        default: { /* '?': unknown option, or a value given to --help */
            char shortopt[3] = {'-', (char)optopt, '\0'};
            return usage_error("unknown option",
                               optopt != 0 && strncmp(arg, "--", 2) != 0 ? shortopt : arg);
        }
        }
    }
    if (!kind && optind < argc) kind = argv[optind++];
    if (optind < argc) return usage_error("unexpected argument", argv[optind]);
    if (!kind) {
        cli_errorf("missing dataset kind (known: benefits)");
        return usage_error(NULL, NULL);
    }
    if (strcmp(kind, "woz") == 0) gen_kind = fair_gen_woz;
    else if (strcmp(kind, "benefits") != 0) {
        cli_errorf("unknown dataset kind '%s' (known: benefits, woz)", kind);
        return usage_error(NULL, NULL);
    }

    return write_output(output ? output : "-", &o);
}

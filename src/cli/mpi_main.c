/* mpi_main.c -- fairaudit-mpi: `mpirun -np P fairaudit-mpi audit FILE [options]` (or `ratio FILE
 * [options]`). Each rank reads its own part of the input, keeps the counts (a ratio study: the
 * sales) as a partial state, and the states are reduced to rank 0 over a binomial tree (rank r receives from r + 1, r + 2, r + 4, ... and
 * sends to r - lowbit(r)), which runs the analysis and the bootstrap and writes the reports:
 * the same reports as `fairaudit audit` (docs/scale-out.md).
 *   One FILE: rank r reads the records that start in the r'th of P byte ranges, as a parallel
 *   parse job does. The parts chain up unless a quoted field with a line break spans a range
 *   start; then, or when any rank fails, rank 0 reads the whole file itself, so the answer
 *   (or the error) is always that of one process.
 *   Several FILEs (shards; with --header-from HFILE all but HFILE itself are header-less):
 *   rank r takes a contiguous block of them; the report is that of `fairaudit merge`. */
#include <gsl/gsl_errno.h>
#include <mpi.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

enum { MSG_STATE = 0, MSG_EMPTY = 1, MSG_FAILED = 2 };
#define PIECE ((size_t)1 << 30) /* MPI counts are int: larger messages go in pieces */

typedef struct {
    int rank, size;
} world;

/* What a rank holds during the reduction: a state, nothing (no inputs), or a failure. */
typedef struct {
    int kind;
    fair_state *s;
    fair_error err; /* kind == MSG_FAILED */
} held;

/* Waits for a request without spinning: Open MPI's blocking calls poll at full speed, so a
 * rank that waits (rank 0 for a slower rank's state, the others while rank 0 runs the bootstrap)
 * would take a core from the ranks and threads still working on the same node. */
static void wait_politely(MPI_Request *r)
{
    int done = 0;
    /* 0.2 ms, doubling up to 10 ms: a rank that waits seconds (for rank 0's bootstrap, or a
     * ratio study's sales) polls about 100 times a second, not 5,000 (each poll costs CPU). */
    struct timespec pause = {0, 200000};
    for (;;) {
        MPI_Test(r, &done, MPI_STATUS_IGNORE);
        if (done) return;
        nanosleep(&pause, NULL);
        if (pause.tv_nsec < 10000000) pause.tv_nsec *= 2;
    }
}

static void send_bytes(const unsigned char *p, size_t n, int to)
{
    for (size_t off = 0; off < n; off += PIECE) {
        size_t k = n - off < PIECE ? n - off : PIECE;
        MPI_Send(p + off, (int)k, MPI_BYTE, to, 1, MPI_COMM_WORLD);
    }
}

static void recv_bytes(unsigned char *p, size_t n, int from)
{
    for (size_t off = 0; off < n; off += PIECE) {
        size_t k = n - off < PIECE ? n - off : PIECE;
        MPI_Recv(p + off, (int)k, MPI_BYTE, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
}

static void fail_with(held *h, fair_status st, const fair_error *err)
{
    fair_state_free(h->s);
    h->s = NULL;
    h->kind = MSG_FAILED;
    if (err != &h->err) {
        fair_error_init(&h->err);
        if (err) h->err = *err;
    }
    h->err.code = st;
}

/* Sends what `h` holds to rank `to`: a header of two 64-bit words (kind, length), then the
 * bytes: the encoded state, or the status and message of a failure. */
static void send_held(held *h, int to)
{
    uint64_t head[2] = {(uint64_t)h->kind, 0};
    unsigned char *data = NULL;
    size_t len = 0;
    fair_error err;
    if (h->kind == MSG_STATE && fair_state_encode(h->s, &data, &len, &err) != FAIR_OK)
        fail_with(h, FAIR_ENOMEM, &err);
    head[0] = (uint64_t)h->kind;
    if (h->kind == MSG_FAILED) {
        len = sizeof h->err;
        data = NULL;
    }
    head[1] = len;
    MPI_Send(head, 2, MPI_UINT64_T, to, 0, MPI_COMM_WORLD);
    if (h->kind == MSG_STATE) send_bytes(data, len, to);
    if (h->kind == MSG_FAILED) send_bytes((const unsigned char *)&h->err, len, to);
    fair_state_encoded_free(data);
}

/* Receives from rank `from` and adds it to `h`, which holds the lower ranks' part: a failure
 * there stays (it is the first in input order), else a failure from `from` is taken. */
static void recv_into(held *h, int from)
{
    uint64_t head[2];
    unsigned char *data;
    fair_state *s = NULL;
    fair_error err;
    fair_status st;
    {
        MPI_Request req;
        MPI_Irecv(head, 2, MPI_UINT64_T, from, 0, MPI_COMM_WORLD, &req);
        wait_politely(&req);
    }
    if (head[0] == MSG_EMPTY) return;
    data = malloc(head[1] ? (size_t)head[1] : 1);
    if (!data) {
        /* Still take the message off the wire, piece by piece, then fail. */
        unsigned char sink[4096];
        for (uint64_t left = head[1]; left > 0;) {
            size_t k = left < sizeof sink ? (size_t)left : sizeof sink;
            MPI_Recv(sink, (int)k, MPI_BYTE, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            left -= k;
        }
        fair_error_init(&err);
        snprintf(err.msg, sizeof err.msg, "out of memory receiving a partial state");
        if (h->kind != MSG_FAILED) fail_with(h, FAIR_ENOMEM, &err);
        return;
    }
    recv_bytes(data, (size_t)head[1], from);
    if (h->kind == MSG_FAILED) {
        free(data);
        return;
    }
    if (head[0] == MSG_FAILED) {
        fair_error e;
        memcpy(&e, data, sizeof e < head[1] ? sizeof e : (size_t)head[1]);
        e.msg[sizeof e.msg - 1] = '\0';
        fail_with(h, e.code, &e);
        free(data);
        return;
    }
    st = fair_state_decode(data, (size_t)head[1], "a partial state from another rank", &s, &err);
    free(data);
    if (st == FAIR_OK && h->kind == MSG_EMPTY) {
        h->kind = MSG_STATE;
        h->s = s;
        return;
    }
    if (st == FAIR_OK) st = fair_state_merge(h->s, s, &err);
    fair_state_free(s);
    if (st != FAIR_OK) fail_with(h, st, &err);
}

/* The binomial-tree reduction: afterwards rank 0 holds everything, in rank order. */
static void reduce(held *h, const world *w)
{
    for (int step = 1; step < w->size; step <<= 1) {
        if (w->rank & step) {
            send_held(h, w->rank - step);
            fair_state_free(h->s);
            h->s = NULL;
            h->kind = MSG_EMPTY;
            return;
        }
        if (w->rank + step < w->size) recv_into(h, w->rank + step);
    }
}

static world the_world;

/* Makes the state of one input: fair_state_from_csv() or fair_state_from_ratio_csv(). */
typedef fair_status (*state_maker)(const void *o, const char *path, const fair_state_options *so,
                                   fair_state **s, fair_error *err);

static fair_status audit_state(const void *o, const char *path, const fair_state_options *so,
                               fair_state **s, fair_error *err)
{
    return fair_state_from_csv(path, o, so, s, err);
}

static fair_status ratio_state(const void *o, const char *path, const fair_state_options *so,
                               fair_state **s, fair_error *err)
{
    return fair_state_from_ratio_csv(path, o, so, s, err);
}

/* What gather() leaves for rank 0 to do. */
enum { GATHER_ELSEWHERE = 0, GATHER_MERGED, GATHER_FAILED, GATHER_ALONE };

/* Every rank reads its share of `inputs` (one file: its byte range; several: a block of them)
 * with `make`, and the states are reduced to rank 0. At rank 0: GATHER_MERGED (h->s holds all,
 * to be analysed), GATHER_FAILED (h->err says why), or GATHER_ALONE (one file whose parts did
 * not chain up or failed: rank 0 reads it alone, as a single process would). Elsewhere
 * GATHER_ELSEWHERE. */
static int gather(char *const *inputs, size_t n_inputs, const char *header_from, state_maker make,
                  const void *o, held *h)
{
    const world *w = &the_world;
    fair_state_options so;
    fair_status st;

    memset(h, 0, sizeof *h);
    h->kind = MSG_EMPTY;
    fair_state_options_init(&so);
    if (n_inputs == 1) {
        so.part = (size_t)w->rank;
        so.n_parts = (size_t)w->size;
        /* Rank 0's part carries the file's SHA-256 into the merged state; the other ranks do
         * not read the whole file again to hash it. */
        so.skip_digest = 1;
    }
    {
        /* One file: this rank's part. Several: this rank's contiguous block of files. */
        size_t first = 0, last = 1;
        if (n_inputs > 1) {
            first = n_inputs * (size_t)w->rank / (size_t)w->size;
            last = n_inputs * (size_t)(w->rank + 1) / (size_t)w->size;
        }
        for (size_t i = first; i < last && h->kind != MSG_FAILED; i++) {
            fair_state *s = NULL;
            fair_error e;
            fair_error_init(&e);
            /* The --header-from file itself, when it is one of the shards, has its header. */
            so.header_from = header_from && strcmp(header_from, inputs[i]) != 0 ? header_from : NULL;
            st = make(o, inputs[i], &so, &s, &e);
            if (st != FAIR_OK) {
                fail_with(h, st, &e);
            } else if (h->kind == MSG_EMPTY) {
                h->kind = MSG_STATE;
                h->s = s;
            } else {
                st = fair_state_merge(h->s, s, &e);
                fair_state_free(s);
                if (st != FAIR_OK) fail_with(h, st, &e);
            }
        }
    }
    reduce(h, w);
    if (w->rank != 0) return GATHER_ELSEWHERE; /* rank 0 reports */

    if (n_inputs > 1) return h->kind == MSG_FAILED ? GATHER_FAILED : GATHER_MERGED;
    /* One file: the parts must chain up and hold rows; else one reader, as `audit` would. */
    if (h->kind == MSG_STATE && fair_state_rows(h->s) > 0) {
        fair_error e;
        if (fair_state_check(h->s, &e) == FAIR_OK) return GATHER_MERGED;
        fprintf(stderr, "fairaudit-mpi: %s; rank 0 reads '%s' alone\n", e.msg, inputs[0]);
    } else if (h->kind == MSG_FAILED) {
        /* A part that starts inside a quoted field can fail to parse; a real error shows again,
         * as `audit` gives it, when rank 0 reads the file. */
        fprintf(stderr, "fairaudit-mpi: a part could not be read (%s); rank 0 reads '%s' alone\n",
                h->err.msg, inputs[0]);
    }
    fair_state_free(h->s);
    h->s = NULL;
    return GATHER_ALONE;
}

static fair_status mpi_source(const cli_job *job, fair_audit **a, fair_error *err)
{
    held h;
    fair_status st;
    *a = NULL;
    switch (gather(job->inputs, job->n_inputs, job->header_from, audit_state, &job->o, &h)) {
    case GATHER_ELSEWHERE:
        return FAIR_OK;
    case GATHER_FAILED:
        if (err) *err = h.err;
        return h.err.code;
    case GATHER_MERGED:
        st = fair_audit_from_state(h.s, &job->o, a, err);
        fair_state_free(h.s);
        return st;
    default:
        return cli_audit_header_from(job, a, err);
    }
}

static fair_status mpi_ratio_source(const cli_ratio_job *job, fair_ratio **r, fair_error *err)
{
    held h;
    fair_status st;
    *r = NULL;
    switch (gather(job->inputs, job->n_inputs, job->header_from, ratio_state, &job->o, &h)) {
    case GATHER_ELSEWHERE:
        return FAIR_OK;
    case GATHER_FAILED:
        if (err) *err = h.err;
        return h.err.code;
    case GATHER_MERGED:
        st = fair_ratio_from_state(h.s, &job->o, r, err);
        fair_state_free(h.s);
        return st;
    default:
        return cli_ratio_header_from(job, r, err);
    }
}

static void usage(FILE *out)
{
    fputs("usage: mpirun -np P fairaudit-mpi audit FILE [FILE ...] [options of fairaudit audit]\n"
          "       mpirun -np P fairaudit-mpi ratio FILE [FILE ...] [options of fairaudit ratio]\n"
          "\n"
          "The classification audit of 'fairaudit audit', read by P MPI ranks. With one FILE,\n"
          "rank r reads the r'th of P byte ranges of it (a regular, uncompressed file; others\n"
          "are read by rank 0); with several FILEs (shards, after the first header-less ones with\n"
          "--header-from), each rank reads a contiguous block of them. The counts are reduced to\n"
          "rank 0, which runs the bootstrap and writes the reports: the same reports as\n"
          "'fairaudit audit' on the whole input. Give --threads per rank (default: all cores).\n"
          "'ratio' is the ratio study of 'fairaudit ratio': the ranks' sales are gathered at rank\n"
          "0 (24 bytes a sale), which runs the study and writes the same reports.\n",
          out);
}

int main(int argc, char **argv)
{
    int rc;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &the_world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &the_world.size);
    cli_quiet = the_world.rank != 0;
    /* Rank 0 speaks for all: the others' standard output (help, reports) goes nowhere. */
    if (the_world.rank != 0 && !freopen("/dev/null", "w", stdout)) return CLI_EXIT_INTERNAL;
    if (fair_version_number() != FAIR_VERSION_NUMBER) {
        cli_errorf("library version %s does not match the program's %s", fair_version_string(),
                   FAIR_VERSION_STRING);
        rc = CLI_EXIT_INTERNAL;
    } else {
        cli_tune_malloc();
        gsl_set_error_handler_off();
        signal(SIGPIPE, SIG_IGN);
        signal(SIGXFSZ, SIG_IGN);
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            usage(stdout);
            rc = CLI_EXIT_OK;
        } else if (argc >= 2 && strcmp(argv[1], "ratio") == 0) {
            rc = cli_ratio_command(argc - 1, argv + 1, CLI_AUDIT, mpi_ratio_source, 1);
        } else if (argc < 2 || strcmp(argv[1], "audit") != 0) {
            if (argc >= 2)
                cli_errorf("unknown command '%s': fairaudit-mpi runs 'audit' and 'ratio'", argv[1]);
            if (!cli_quiet) usage(stderr);
            rc = CLI_EXIT_USAGE;
        } else {
            rc = cli_audit_command(argc - 1, argv + 1, CLI_AUDIT, mpi_source, 1);
        }
    }
    /* Every rank exits with rank 0's code (the others wait here while rank 0 reports). */
    {
        MPI_Request req;
        MPI_Ibcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
        wait_politely(&req);
    }
    MPI_Finalize();
    return rc;
}

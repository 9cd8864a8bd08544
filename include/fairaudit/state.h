/* fairaudit/state.h -- partial states: the counts of one shard of the input (for a ratio study,
 * its sales), written to a portable file, merged with the states of the other shards, and
 * analysed as one audit or one ratio study. */
#ifndef FAIR_STATE_H
#define FAIR_STATE_H
#include <stddef.h>
#include <stdint.h>
#include "fairaudit/audit.h"
#include "fairaudit/error.h"
#include "fairaudit/ratio.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! The newest version of the state file format (docs/partial-state.md) this library reads (it
 *  reads versions 1 to this one). A state is written in the lowest version that describes it:
 *  1 for an audit's counts, 2 for a ratio study's sales. */
#define FAIR_STATE_FORMAT_VERSION 2

/*! The most data rows one state, or a merge of states, may hold (2^40, about 1.1e12): a bound
 *  that keeps a hostile state's counts from making the bootstrap run for days. */
#define FAIR_STATE_MAX_ROWS ((uint64_t)1 << 40)

typedef struct fair_state fair_state; /* opaque */

/*! What a state holds: an audit's counts, or a ratio study's sales. */
typedef enum {
    FAIR_STATE_AUDIT = 1, /* fair_state_from_csv(); analysed by fair_audit_from_state() */
    FAIR_STATE_RATIO = 2  /* fair_state_from_ratio_csv(); analysed by fair_ratio_from_state() */
} fair_state_kind;

/*! Which part of an input a state is made from. A plain value type; fill with
 *  fair_state_options_init(). Strings are borrowed for the duration of the call. */
typedef struct {
    const char *header_from; /* NULL: the input's first record is its header. Else the file whose
                                first record is the header, and the input has none (a shard cut
                                from a file after its header) */
    size_t part, n_parts;    /* n_parts > 1: only the records that start in the part'th of n_parts
                                near-equal byte ranges of the input's data (a regular,
                                uncompressed file). Parts after the first start after a newline;
                                fair_state_check() tells whether merged parts chain up. */
    int skip_digest;         /* with n_parts > 1 and part > 0: the state records no SHA-256 of
                                the input, and the input is not read a second time for it (a
                                driver whose part 0 of the same file, merged with this part,
                                carries the digest: fairaudit-mpi's ranks). Ignored otherwise */
} fair_state_options;

/*! fair_state_options_init() : the whole input, with its own header. */
FAIR_API void fair_state_options_init(fair_state_options *so);

/*! fair_state_from_csv() : CONSTRUCTOR. Reads `path` ("-" = standard input; gzip detected) as
 *  fair_audit_run() does and keeps its counts, without analysing them. The options that shape
 *  the counts (columns, positive classes, score range and threshold, delimiter and decimal
 *  mark, strict, limits) are kept in the state as its fingerprint; the others are not used. An
 *  input with a header and no data rows gives a state with no rows.
 *  @return FAIR_OK, or what fair_audit_run() returns for the same input; FAIR_EINVAL for parts
 *          of an input that is not a regular, uncompressed file. On failure *out == NULL.
 *  Thread-safety: reentrant; uses up to o->n_threads OpenMP threads. */
FAIR_API fair_status fair_state_from_csv(const char *path, const fair_audit_options *o,
                                         const fair_state_options *so, fair_state **out,
                                         fair_error *err);

/*! fair_state_from_ratio_csv() : CONSTRUCTOR. Reads `path` as fair_ratio_run() does and keeps
 *  its sales (group, assessed value, sale price per valid row) and rows by fate, without
 *  analysing them. The options that shape the sales (the assessed, sale price and group
 *  columns, delimiter and decimal mark, strict, --max-sales and the other limits) are kept as
 *  the state's fingerprint; the options of the analysis are not used. Memory: 24 bytes a sale.
 *  @return as fair_state_from_csv(), and what fair_ratio_run() returns for the same input. */
FAIR_API fair_status fair_state_from_ratio_csv(const char *path, const fair_ratio_options *o,
                                               const fair_state_options *so, fair_state **out,
                                               fair_error *err);

/*! fair_state_encode() : the state in the file format of docs/partial-state.md, in a new buffer
 *  of *len bytes that the caller frees with fair_state_encoded_free(). The bytes depend only on
 *  the counts and options, not on how rows were split over threads.
 *  @return FAIR_OK or FAIR_ENOMEM. */
FAIR_API fair_status fair_state_encode(const fair_state *s, unsigned char **data, size_t *len,
                                       fair_error *err);
/*! Frees a buffer of fair_state_encode(); NULL is a no-op. */
FAIR_API void fair_state_encoded_free(unsigned char *data);

/*! fair_state_decode() : CONSTRUCTOR. A state from `len` bytes (borrowed) in the format of
 *  docs/partial-state.md; `name` (borrowed) names them in messages. Every length is checked
 *  against the bytes that remain before anything is allocated, and the counts against each
 *  other, so that a truncated, corrupted or hostile state is an error, never a crash or a huge
 *  allocation.
 *  @return FAIR_OK; FAIR_EDATA (not a state, a checksum mismatch, truncated, inconsistent
 *          counts, another format version), FAIR_ELIMIT (more than FAIR_STATE_MAX_ROWS rows or
 *          more groups than its --max-groups) or FAIR_ENOMEM. On failure *out == NULL. */
FAIR_API fair_status fair_state_decode(const void *data, size_t len, const char *name,
                                       fair_state **out, fair_error *err);

/*! fair_state_write_file() : writes the encoded state to `path` atomically (a temporary file in
 *  the same folder, synced, then renamed). @return FAIR_OK, FAIR_EIO or FAIR_ENOMEM. */
FAIR_API fair_status fair_state_write_file(const fair_state *s, const char *path, fair_error *err);

/*! fair_state_read_file() : CONSTRUCTOR. fair_state_decode() of the bytes of `path`.
 *  @return as fair_state_decode(), or FAIR_EIO when the file cannot be read. */
FAIR_API fair_status fair_state_read_file(const char *path, fair_state **out, fair_error *err);

/*! fair_state_merge() : adds the counts of `src` (borrowed) to `dst`, and appends its inputs to
 *  dst's; consecutive parts of one file that chain up become one input. Refused with
 *  FAIR_EINVAL, and a message naming the first difference, when the two were made with
 *  different options or versions or are of different kinds (an audit's and a ratio study's);
 *  a ratio study's sales are appended (FAIR_ELIMIT past their --max-sales together); FAIR_ELIMIT past FAIR_STATE_MAX_ROWS rows or --max-groups
 *  groups. Integer counts: any order and grouping of merges gives the same counts. On a
 *  failure other than FAIR_EINVAL `dst` may hold part of `src`: free it. */
FAIR_API fair_status fair_state_merge(fair_state *dst, const fair_state *src, fair_error *err);

/*! fair_state_check() : FAIR_OK when every input that was read in parts is whole: all its parts
 *  present and each starting where the one before it ended. FAIR_EDATA otherwise, with a
 *  message naming the file and the parts (a quoted field with a line break across a part
 *  boundary makes the parts fail to chain up: read that file whole). */
FAIR_API fair_status fair_state_check(const fair_state *s, fair_error *err);

/*! fair_state_rows() : the data records a state holds (read, including those skipped). */
FAIR_API uint64_t fair_state_rows(const fair_state *s);

/*! fair_state_get_kind() : what state `s` holds. */
FAIR_API fair_state_kind fair_state_get_kind(const fair_state *s);

/*! fair_state_file_kind() : the kind of the state in file `path`, from its header alone (the
 *  rest is checked when it is read). @return FAIR_OK; FAIR_EIO (cannot open), FAIR_EDATA (not
 *  a state). A kind this library does not know reads as FAIR_STATE_AUDIT, whose reader refuses
 *  it. */
FAIR_API fair_status fair_state_file_kind(const char *path, fair_state_kind *kind, fair_error *err);

/*! fair_audit_from_state() : CONSTRUCTOR. The audit of the merged counts: exactly what
 *  fair_audit_run() computes after reading, so that the `results` of states merged from any
 *  split of a file equal those of the whole file. The options that shape counts come from the
 *  state (those in `o` are ignored); the others (reference, intervals, bootstrap, seed,
 *  thresholds, top-k, ...) from `o`. Strings of `o` are borrowed for the call.
 *  @return FAIR_OK; FAIR_EDATA (fair_state_check() fails, or no data rows), FAIR_EINVAL (a
 *          ratio study's state; an option that does not fit the state, such as --thresholds
 *          without a score column, or a reference naming no attribute) or FAIR_ENOMEM. On failure *out == NULL. */
FAIR_API fair_status fair_audit_from_state(const fair_state *s, const fair_audit_options *o,
                                           fair_audit **out, fair_error *err);

/*! fair_ratio_from_state() : CONSTRUCTOR. The ratio study of merged sales: exactly what
 *  fair_ratio_run() computes after reading (the study orders the sales canonically, so neither
 *  the split nor the order of the states matters), so that the `results` of states merged from
 *  any split of a file equal those of the whole file. The options that shape the sales come from
 *  the state; the others (reference, strata, trimming, bootstrap, seed, ranges, ...) from `o`.
 *  Memory: a copy of the sales (24 bytes each) besides the study's own.
 *  @return FAIR_OK; FAIR_EINVAL (a state of an audit; an option that does not fit); FAIR_EDATA
 *          (fair_state_check() fails, no data rows, no valid sale) or FAIR_ENOMEM. */
FAIR_API fair_status fair_ratio_from_state(const fair_state *s, const fair_ratio_options *o,
                                           fair_ratio **out, fair_error *err);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_state_free(fair_state *s);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_STATE_H */

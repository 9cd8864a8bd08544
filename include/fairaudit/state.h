/* fairaudit/state.h -- partial states: the counts of one shard of the input, written to a
 * portable file, merged with the states of the other shards, and analysed as one audit. */
#ifndef FAIR_STATE_H
#define FAIR_STATE_H
#include <stddef.h>
#include <stdint.h>
#include "fairaudit/audit.h"
#include "fairaudit/error.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! The version of the state file format (docs/partial-state.md) this library reads and writes. */
#define FAIR_STATE_FORMAT_VERSION 1

/*! The most data rows one state, or a merge of states, may hold (2^40, about 1.1e12): a bound
 *  that keeps a hostile state's counts from making the bootstrap run for days. */
#define FAIR_STATE_MAX_ROWS ((uint64_t)1 << 40)

typedef struct fair_state fair_state; /* opaque */

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
 *  different options or versions; FAIR_ELIMIT past FAIR_STATE_MAX_ROWS rows or --max-groups
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

/*! fair_audit_from_state() : CONSTRUCTOR. The audit of the merged counts: exactly what
 *  fair_audit_run() computes after reading, so that the `results` of states merged from any
 *  split of a file equal those of the whole file. The options that shape counts come from the
 *  state (those in `o` are ignored); the others (reference, intervals, bootstrap, seed,
 *  thresholds, top-k, ...) from `o`. Strings of `o` are borrowed for the call.
 *  @return FAIR_OK; FAIR_EDATA (fair_state_check() fails, or no data rows), FAIR_EINVAL (an
 *          option that does not fit the state, such as --thresholds without a score column,
 *          or a reference naming no attribute) or FAIR_ENOMEM. On failure *out == NULL. */
FAIR_API fair_status fair_audit_from_state(const fair_state *s, const fair_audit_options *o,
                                           fair_audit **out, fair_error *err);

/*! DESTRUCTOR. NULL is a no-op. */
FAIR_API void fair_state_free(fair_state *s);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_STATE_H */

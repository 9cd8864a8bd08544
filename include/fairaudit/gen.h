/* fairaudit/gen.h -- synthetic datasets with planted, documented bias, for demos and tests. */
#ifndef FAIR_GEN_H
#define FAIR_GEN_H
#include <stdint.h>
#include <stdio.h>
#include "fairaudit/error.h"
#ifdef __cplusplus
extern "C" {
#endif

/*! Options for the generators. Fill with fair_gen_options_init(). */
typedef struct {
    uint64_t rows; /* data rows to write (header excluded) */
    uint64_t seed; /* same seed and rows => byte-identical output */
} fair_gen_options;

/*! fair_gen_options_init() : rows = 10000, seed = 20240601. */
FAIR_API void fair_gen_options_init(fair_gen_options *o);

/*! fair_gen_benefits() : writes a synthetic welfare-fraud-risk dataset as CSV to `out`
 *  (borrowed; not closed). Columns: id, nationality, age_band, sex, district, label
 *  (1 = irregularity found), score (model risk score in [0,1], 3 decimals), pred (1 = flagged
 *  for investigation, score >= 0.5). The planted rates are documented in datasets/README.md.
 *  @return FAIR_OK, FAIR_EINVAL (bad options) or FAIR_EIO (write failed; `err` says so).
 *  Thread-safety: reentrant. */
FAIR_API fair_status fair_gen_benefits(FILE *out, const fair_gen_options *o, fair_error *err);

/*! fair_gen_woz() : writes a synthetic WOZ-like sales sample as CSV to `out` (borrowed; not
 *  closed). Columns: id, neighbourhood, property_type, sale_price, valuation (euro). The
 *  valuations are regressive in neighbourhood "Oosterpark" only; the model is documented in
 *  src/gen_woz.c and datasets/README.md.
 *  @return FAIR_OK, FAIR_EINVAL or FAIR_EIO. Thread-safety: reentrant. */
FAIR_API fair_status fair_gen_woz(FILE *out, const fair_gen_options *o, fair_error *err);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_GEN_H */

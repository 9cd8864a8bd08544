/* fairaudit/fairaudit.h -- umbrella header: the version and every public module. */
#ifndef FAIR_FAIRAUDIT_H
#define FAIR_FAIRAUDIT_H

#define FAIR_VERSION_MAJOR 0
#define FAIR_VERSION_MINOR 1
#define FAIR_VERSION_PATCH 0
#define FAIR_VERSION_NUMBER (FAIR_VERSION_MAJOR * 10000 + FAIR_VERSION_MINOR * 100 + FAIR_VERSION_PATCH)
#define FAIR_VERSION_STRING "0.1.0"

#include "fairaudit/export.h"
#include "fairaudit/error.h"
#include "fairaudit/rng.h"
#include "fairaudit/stats.h"
#include "fairaudit/metrics.h"
#include "fairaudit/score.h"
#include "fairaudit/audit.h"
#include "fairaudit/report.h"
#include "fairaudit/gen.h"
#include "fairaudit/policy.h"
#include "fairaudit/ratio.h"
#include "fairaudit/state.h"
#include "fairaudit/compare.h"
#include "fairaudit/history.h"

#ifdef __cplusplus
extern "C" {
#endif

/*! fair_version_number() : FAIR_VERSION_NUMBER of the library actually linked. */
FAIR_API unsigned fair_version_number(void);

/*! fair_version_string() : "MAJOR.MINOR.PATCH" of the library actually linked; static. */
FAIR_API const char *fair_version_string(void);

#ifdef __cplusplus
}
#endif
#endif /* FAIR_FAIRAUDIT_H */

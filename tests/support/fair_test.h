/* fair_test.h -- helpers shared by the cmocka unit tests. */
#ifndef FAIR_TEST_H
#define FAIR_TEST_H
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

/* Relative comparison in the manner of gsl_test_rel: |x - expected| <= rel * |expected|
 * (absolute when expected == 0). */
#define assert_rel(x, expected, rel) fair_test_rel((x), (expected), (rel), #x, __FILE__, __LINE__)
#define assert_abs(x, expected, tol) fair_test_abs((x), (expected), (tol), #x, __FILE__, __LINE__)

static inline void fair_test_rel(double x, double e, double rel, const char *what,
                                 const char *file, int line)
{
    double d = fabs(x - e), scale = e == 0.0 ? 1.0 : fabs(e);
    if (!(d <= rel * scale)) {
        fail_msg("%s:%d: %s = %.17g, expected %.17g (rel %.3g)", file, line, what, x, e, rel);
    }
}

static inline void fair_test_abs(double x, double e, double tol, const char *what,
                                 const char *file, int line)
{
    if (!(fabs(x - e) <= tol)) {
        fail_msg("%s:%d: %s = %.17g, expected %.17g (abs %.3g)", file, line, what, x, e, tol);
    }
}

#endif /* FAIR_TEST_H */

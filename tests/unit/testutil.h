/* testutil.h — shared helpers for the cmocka unit tests.
 *
 * cmocka 1.1.5 (Debian 12) casts assert_float_equal's arguments to float,
 * so 1234567.89 and 1234567.83 compare equal; doubles are compared here
 * with an explicit tolerance instead, printing both values on failure.
 * Money is compared as integer cents with assert_int_equal.
 */
#ifndef GR_TESTUTIL_H
#define GR_TESTUTIL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>

/* |got - want| <= tol * max(1, |want|): relative for large values,
 * absolute near zero. */
#define assert_close(got, want, tol)                                         \
	do {                                                                 \
		double g_ = (got), w_ = (want), t_ = (tol);                  \
		double s_ = fabs(w_) > 1.0 ? fabs(w_) : 1.0;                 \
		if (!(fabs(g_ - w_) <= t_ * s_))                             \
			fail_msg("%s = %.12g, want %.12g (tol %.3g)", #got,  \
				 g_, w_, t_);                                \
	} while (0)

#endif

/* par.h — a loop over [0, N) cut into contiguous ranges run on several
 * threads.
 *
 * Each range must read only shared data and write only its own (a range
 * of lines, its own buffer), so the result is the same for any number of
 * threads: the single-threaded run is the reference every output is
 * compared with (tests/parallel.sh, bench/run.sh).
 */
#ifndef GR_PAR_H
#define GR_PAR_H

#include <stddef.h>

/* Work on [BEGIN, END), the PART-th of the ranges.  Returns 0, or -1 on
 * a failure the caller reports (out of memory). */
typedef int (*par_fn)(void *ctx, size_t begin, size_t end, unsigned part);

/* Cut [0, N) into at most THREADS ranges of at least MIN items and run FN
 * on each, the first on the calling thread.  A thread that cannot be
 * started leaves its range to the calling thread.  Signals stay with the
 * calling thread.  Returns -1 when any range failed. */
int par_for(unsigned threads, size_t n, size_t min, par_fn fn, void *ctx);

#endif

/* par.c — contiguous ranges on threads (par.h). */
#include "core/par.h"

#include <pthread.h>
#include <signal.h>

#define PAR_MAX 64

struct job {
	par_fn fn;
	void *ctx;
	size_t begin, end;
	unsigned part;
	int rc;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	j->rc = j->fn(j->ctx, j->begin, j->end, j->part);
	return NULL;
}

int par_for(unsigned threads, size_t n, size_t min, par_fn fn, void *ctx)
{
	struct job jobs[PAR_MAX];
	pthread_t tid[PAR_MAX];
	unsigned k = threads < 1 ? 1 : threads > PAR_MAX ? PAR_MAX : threads;
	int rc = 0;

	if (min < 1)
		min = 1;
	if (n / min < k)
		k = n / min ? (unsigned)(n / min) : 1;
	for (unsigned i = 0; i < k; i++)
		jobs[i] = (struct job){ fn, ctx, n * i / k, n * (i + 1) / k, i, 0 };

	/* SIGINT's handler removes temporary files: it must run on the
	 * calling thread, so the others start with every signal blocked. */
	sigset_t all, old;
	unsigned started[PAR_MAX] = { 0 };
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (unsigned i = 1; i < k; i++)
		started[i] = pthread_create(&tid[i], NULL, run_job, &jobs[i]) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	run_job(&jobs[0]);
	for (unsigned i = 1; i < k; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			run_job(&jobs[i]);
	}
	for (unsigned i = 0; i < k; i++)
		if (jobs[i].rc)
			rc = -1;
	return rc;
}

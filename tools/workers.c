/* workers.c - -j N: one reader, N analysers, output in input order. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* The reader (the caller's thread) cuts the input into batches of
 * events, each unit cloned so it outlives the reader's next call. A
 * worker takes the next batch, runs the command on it with its own run
 * and context, and writes into the batch's buffers instead of the real
 * sinks and stderr (output.c and diag.c look at a thread-local redirect
 * for that). The writer thread puts the batches' buffers out strictly
 * in batch order, so the bytes are those of -j 1. At most `ring`
 * batches exist at once: memory stays bounded by the batch size. */

enum { BATCH_EVENTS = 512, BATCH_BYTES = 1 << 20 };

typedef struct batch {
	event *ev;
	size_t n, cap, bytes;
	redirect out;		/* what the worker wrote */
	bool done;
} batch;

typedef struct worker {
	workers *w;
	pthread_t thread;
	run r;
	void *ctx;
} worker;

struct workers {
	run *r;
	const job *j;
	size_t nworkers;
	worker *wk;
	pthread_t writer;
	batch *ring;
	size_t ring_n;
	uint64_t filled;	/* batches handed to workers */
	uint64_t taken;		/* batches taken by workers */
	uint64_t written;	/* batches written out */
	bool closing;
	batch *cur;		/* the batch the reader fills */
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* any change of the counters above */
};

static void lock(workers *w)
{
	pthread_mutex_lock(&w->mu);
}

static void unlock(workers *w)
{
	pthread_mutex_unlock(&w->mu);
}

static void *worker_main(void *p)
{
	worker *me = p;
	workers *w = me->w;

	for (;;) {
		batch *b;

		lock(w);
		while (w->taken == w->filled && !w->closing)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->taken == w->filled) {
			unlock(w);
			return NULL;
		}
		b = &w->ring[w->taken++ % w->ring_n];
		unlock(w);
		redirect_begin(&b->out);
		for (size_t i = 0; i < b->n; i++)
			run_event(&me->r, w->j, me->ctx, &b->ev[i]);
		redirect_end();
		lock(w);
		b->done = true;
		pthread_cond_broadcast(&w->cv);
		unlock(w);
	}
}

static void clear_batch(batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		cot_unit_free((cot_unit *)b->ev[i].unit);
		free((char *)b->ev[i].error);
	}
	b->n = b->bytes = 0;
	b->done = false;
	redirect_clear(&b->out);
}

static void *writer_main(void *p)
{
	workers *w = p;

	lock(w);
	for (;;) {
		batch *b;

		while (w->written == w->filled && !w->closing)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->written == w->filled)
			break;		/* closing, and all written */
		b = &w->ring[w->written % w->ring_n];
		if (!b->done) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		unlock(w);
		redirect_flush(&b->out);
		clear_batch(b);
		lock(w);
		w->written++;
		pthread_cond_broadcast(&w->cv);
	}
	unlock(w);
	return NULL;
}

/* Hand the batch being filled to the workers; wait for a free one. */
static void submit(workers *w)
{
	lock(w);
	w->filled++;
	pthread_cond_broadcast(&w->cv);
	while (w->filled - w->written >= w->ring_n)
		pthread_cond_wait(&w->cv, &w->mu);
	w->cur = &w->ring[w->filled % w->ring_n];
	unlock(w);
}

static void oom(void)
{
	diag("out of memory");
	exit(EXIT_USAGE);
}

void workers_deliver(void *p, const event *ev)
{
	workers *w = p;
	batch *b = w->cur;
	event *e;
	cot_error err;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->ev = realloc(b->ev, b->cap * sizeof *b->ev);
		if (!b->ev)
			oom();
	}
	e = &b->ev[b->n++];
	*e = *ev;
	if (ev->unit) {
		size_t len;

		if (cot_unit_clone((cot_unit **)&e->unit, ev->unit, &err))
			oom();
		cot_unit_bytes(ev->unit, &len);
		b->bytes += len;
	}
	if (ev->error && !(e->error = strdup(ev->error)))
		oom();
	if (b->n >= BATCH_EVENTS || b->bytes >= BATCH_BYTES)
		submit(w);
}

workers *workers_start(run *r, const job *j)
{
	workers *w = calloc(1, sizeof *w);

	if (!w)
		oom();
	w->r = r;
	w->j = j;
	w->nworkers = (size_t)r->jobs;
	w->ring_n = w->nworkers * 4;
	w->ring = calloc(w->ring_n, sizeof *w->ring);
	w->wk = calloc(w->nworkers, sizeof *w->wk);
	if (!w->ring || !w->wk)
		oom();
	w->cur = &w->ring[0];
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (size_t i = 0; i < w->nworkers; i++) {
		worker *k = &w->wk[i];
		cot_error err;

		k->w = w;
		k->r = *r;	/* options, analyzer (shared, immutable) */
		k->r.need = NULL;	/* the main run owns it */
		memset(&k->r.n, 0, sizeof k->r.n);
		k->r.status = 0;
		k->r.progress_on = false;
		if (cot_result_new(&k->r.res, r->az, &err))
			oom();
		if (r->need && (r->select ?
				cot_result_select(k->r.res, r->need, r->nneed,
						  &err) :
				cot_result_need(k->r.res, r->need, r->nneed,
						&err)))
			oom();
		k->ctx = j->fork(j->ctx);
		if (pthread_create(&k->thread, NULL, worker_main, k))
			oom();
	}
	if (pthread_create(&w->writer, NULL, writer_main, w))
		oom();
	return w;
}

void workers_finish(workers *w)
{
	run *r = w->r;

	if (w->cur->n)
		submit(w);
	lock(w);
	w->closing = true;
	pthread_cond_broadcast(&w->cv);
	unlock(w);
	for (size_t i = 0; i < w->nworkers; i++)
		pthread_join(w->wk[i].thread, NULL);
	pthread_join(w->writer, NULL);
	for (size_t i = 0; i < w->nworkers; i++) {
		worker *k = &w->wk[i];

		r->n.records += k->r.n.records;
		r->n.traces += k->r.n.traces;
		r->n.no_trace += k->r.n.no_trace;
		r->n.tool_only += k->r.n.tool_only;
		r->n.malformed += k->r.n.malformed;
		r->n.units += k->r.n.units;
		status_at_least(r, k->r.status);
		cot_result_free(k->r.res);
		w->j->join(w->j->ctx, k->ctx);
	}
	for (size_t i = 0; i < w->ring_n; i++) {
		clear_batch(&w->ring[i]);
		free(w->ring[i].ev);
		redirect_dispose(&w->ring[i].out);
	}
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w->ring);
	free(w->wk);
	free(w);
}

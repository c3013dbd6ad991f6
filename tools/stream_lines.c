/* stream_lines.c - annotate --stream: lines that are the chunks of
 * streamed responses. */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* Each line of the input is a chunk of a streamed response (README
 * "Streamed responses"). The chunks of a stream are fed to a cot_stream
 * in order, chosen by the id the chunk names (cot_stream_id; a chunk
 * that names none belongs to the stream last started), and the profile
 * of the response they make up is added to the stream's last chunk: the
 * one that ends it, or its latest at the end of the input. Every other
 * line is written back unchanged and in order, so the latest chunk of a
 * stream not yet ended waits, and the lines after it wait behind it. So
 * that memory stays bounded, when the waiting lines hold more than
 * WAIT_BYTES, or OPEN_MAX streams are open, the stream that has waited
 * longest is ended there, as a stream cut short. */

#define WAIT_BYTES ((size_t)64 << 20)
#define OPEN_MAX 1024
#define ENDED_MAX 64	/* ids of ended streams remembered */

typedef struct open_stream open_stream;

typedef struct line {
	char *bytes;
	size_t len;
	size_t close;		/* the final '}' of the chunk, or SIZE_MAX */
	bool empty_object;
	const char *eol;
	char *profile;		/* the key and profiles to add, or NULL */
	size_t plen;
	open_stream *waits;	/* this line is its stream's latest */
} line;

struct open_stream {
	cot_stream *s;
	char *id;		/* JSON text of the id; NULL: named none */
	size_t idlen;
	uint64_t latest;	/* its latest chunk's line */
};

struct stream_lines {
	const char *key;	/* ,"KEY": */
	size_t keylen;
	line *q;		/* lines from number base on, in order */
	size_t nq, capq, head;
	uint64_t base;		/* line number of q[head] */
	size_t waiting;		/* bytes in the queue */
	open_stream *open[OPEN_MAX];
	size_t nopen;
	open_stream *last;	/* the stream last started */
	char *ended[ENDED_MAX];	/* ids, a ring */
	size_t nended;
	cot_buf id, json, profiles;
};

static void *must(void *p)
{
	if (!p) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	return p;
}

static line *at(stream_lines *sl, uint64_t no)
{
	return &sl->q[sl->head + (size_t)(no - sl->base)];
}

/* Write the lines at the head that wait for nothing. */
static void flush(stream_lines *sl)
{
	while (sl->head < sl->nq && !sl->q[sl->head].waits) {
		line *l = &sl->q[sl->head++];
		size_t upto = l->profile ? l->close : l->len;

		out_write_unit(l->bytes, upto);
		if (l->profile) {
			out_write(l->profile, l->plen);
			out_write_unit(l->bytes + l->close, l->len - l->close);
		}
		out_puts(l->eol);
		sl->waiting -= l->len;
		free(l->bytes);
		free(l->profile);
		sl->base++;
	}
	if (sl->head == sl->nq) {
		sl->head = sl->nq = 0;
	} else if (sl->head > sl->nq / 2) {
		memmove(sl->q, sl->q + sl->head,
			(sl->nq - sl->head) * sizeof *sl->q);
		sl->nq -= sl->head;
		sl->head = 0;
	}
}

/* The profiles of the response o stands for, onto its latest line; o is
 * closed. Counted as a record of the run; a stream of no chunk that
 * cotlog reads (a line of something else) adds nothing. */
static void end_stream(run *r, stream_lines *sl, open_stream *o)
{
	line *l = at(sl, o->latest);
	cot_error err;
	size_t traces = 0, keylen;
	const char *key;

	sl->json.size = 0;
	sl->profiles.size = 0;
	if (cot_stream_response(&sl->json, o->s, &err)) {
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
	if (sl->json.size)
		r->n.records++;
	if (sl->json.size == 0) {
		;
	} else if (cot_analyze_json(r->res, sl->json.ptr, sl->json.size,
				    &err) ||
		   cot_result_json(&sl->profiles, r->res, &err)) {
		diag("a stream ending on line %llu: %s",
		     (unsigned long long)o->latest + 1, err.message);
		status_at_least(r, EXIT_USAGE);
		sl->profiles.size = 0;
	} else {
		traces = cot_result_traces(r->res);
	}
	r->n.traces += traces;
	if (sl->json.size && traces == 0 && cot_result_tool_only(r->res))
		r->n.tool_only++;
	else if (sl->json.size)
		r->n.no_trace += traces == 0;
	if (sl->profiles.size && l->close != SIZE_MAX) {
		key = sl->key + (l->empty_object ? 1 : 0);
		keylen = sl->keylen - (l->empty_object ? 1 : 0);
		l->profile = must(malloc(keylen + sl->profiles.size));
		memcpy(l->profile, key, keylen);
		memcpy(l->profile + keylen, sl->profiles.ptr,
		       sl->profiles.size);
		l->plen = keylen + sl->profiles.size;
	}
	l->waits = NULL;
	if (o->id) {	/* later chunks of it are written as they are */
		free(sl->ended[sl->nended % ENDED_MAX]);
		sl->ended[sl->nended++ % ENDED_MAX] = o->id;
	}
	for (size_t i = 0; i < sl->nopen; i++)
		if (sl->open[i] == o) {
			sl->open[i] = sl->open[--sl->nopen];
			break;
		}
	if (sl->last == o)
		sl->last = NULL;
	cot_stream_free(o->s);
	free(o);
}

/* End the stream that has waited longest. */
static void end_oldest(run *r, stream_lines *sl)
{
	open_stream *old = sl->open[0];

	for (size_t i = 1; i < sl->nopen; i++)
		if (sl->open[i]->latest < old->latest)
			old = sl->open[i];
	end_stream(r, sl, old);
}

static bool was_ended(const stream_lines *sl, const char *id, size_t n)
{
	for (size_t i = 0; i < ENDED_MAX && i < sl->nended; i++)
		if (sl->ended[i] && strlen(sl->ended[i]) == n &&
		    memcmp(sl->ended[i], id, n) == 0)
			return true;
	return false;
}

/* The open stream a chunk names, a new one, or NULL (a chunk of a
 * stream already ended: written as it is). */
static open_stream *stream_of(run *r, stream_lines *sl, const char *id,
			      size_t n)
{
	open_stream *o;
	cot_error err;

	if (!n && sl->last)
		return sl->last;
	for (size_t i = 0; n && i < sl->nopen; i++)
		if (sl->open[i]->id && sl->open[i]->idlen == n &&
		    memcmp(sl->open[i]->id, id, n) == 0)
			return sl->open[i];
	if (n && was_ended(sl, id, n))
		return NULL;
	if (sl->nopen == OPEN_MAX)
		end_oldest(r, sl);
	o = must(calloc(1, sizeof *o));
	if (cot_stream_new(&o->s, &err)) {
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
	if (n) {
		o->id = must(malloc(n + 1));
		memcpy(o->id, id, n);
		o->id[n] = '\0';
		o->idlen = n;
	}
	sl->open[sl->nopen++] = o;
	sl->last = o;
	return o;
}

static void push(stream_lines *sl, const char *bytes, size_t len,
		 const char *eol, const cot_record_span *s)
{
	line *l;

	if (sl->nq == sl->capq) {
		sl->capq = sl->capq ? sl->capq * 2 : 64;
		sl->q = must(realloc(sl->q, sl->capq * sizeof *sl->q));
	}
	l = &sl->q[sl->nq++];
	memset(l, 0, sizeof *l);
	l->bytes = must(malloc(len ? len : 1));
	memcpy(l->bytes, bytes, len);
	l->len = len;
	l->eol = eol;
	l->close = s ? s->close : SIZE_MAX;
	l->empty_object = s && s->empty_object;
	sl->waiting += len;
}

void stream_lines_unit(run *r, const where *w, const cot_unit *u, void *p)
{
	stream_lines *sl = p;
	size_t len;
	const char *bytes = cot_unit_bytes(u, &len);
	cot_record_span s;
	open_stream *o = NULL;
	cot_error err;

	if (w->first && w->bom)
		push(sl, "\xEF\xBB\xBF", 3, "", NULL);
	if (cot_unit_kind_of(u) != COT_UNIT_RECORDS ||
	    cot_unit_records(u) != 1 ||
	    (s = unit_record(u, 0)).close == SIZE_MAX) {
		push(sl, bytes, len, cot_unit_eol(u), NULL);
		flush(sl);
		return;
	}
	sl->id.size = 0;
	if (cot_stream_id(&sl->id, bytes, len, &err)) {
		diag("%s", err.message);
		exit(EXIT_USAGE);
	}
	push(sl, bytes, len, cot_unit_eol(u), &s);
	o = stream_of(r, sl, sl->id.ptr, sl->id.size);
	if (o) {
		if (o->latest >= sl->base && sl->nq > 1 &&
		    at(sl, o->latest)->waits == o)
			at(sl, o->latest)->waits = NULL;
		o->latest = sl->base + (sl->nq - sl->head) - 1;
		at(sl, o->latest)->waits = o;
		if (cot_stream_feed(o->s, bytes, len, &err)) {
			diag("%s", err.message);
			exit(EXIT_USAGE);
		}
		if (cot_stream_ended(o->s))
			end_stream(r, sl, o);
	}
	while (sl->waiting > WAIT_BYTES && sl->nopen)
		end_oldest(r, sl);
	flush(sl);
}

stream_lines *stream_lines_new(const char *key, size_t keylen)
{
	stream_lines *sl = must(calloc(1, sizeof *sl));

	sl->key = key;
	sl->keylen = keylen;
	return sl;
}

void stream_lines_finish(run *r, stream_lines *sl)
{
	while (sl->nopen)
		end_oldest(r, sl);
	flush(sl);
	for (size_t i = 0; i < ENDED_MAX; i++)
		free(sl->ended[i]);
	free(sl->q);
	cot_buf_dispose(&sl->id);
	cot_buf_dispose(&sl->json);
	cot_buf_dispose(&sl->profiles);
	free(sl);
}

/* stream.h - a streamed response, kept as text, back into the response
 * it stands for. */
#ifndef COT_STREAM_H
#define COT_STREAM_H

#include "base/internal.h"
#include "record/json.h"

/* Could a JSON string whose raw bytes (between the quotes, still
 * escaped) are p[0..n) hold a stream: Server-Sent Events, or Amazon's
 * event stream, raw or in base64? A look at the first bytes only, so
 * that no other text is decoded for nothing. */
bool cot__stream_maybe(const char *p, size_t n);

/* The events of stream s[0..n), read as one response: *json is the JSON
 * text of that response as the provider sends it without streaming
 * (README "Streamed responses"), in arena a, or NULL when s holds no
 * event of a stream that cotlog reads. Returns COT_OK or COT_ENOMEM. */
int cot__stream_response(const char *s, size_t n, cot__arena *a,
			 const char **json, size_t *len);

/* One stream told as lines of JSON (cotlog --stream): feed each chunk's
 * parsed document in order; cot__stream_end then writes the response as
 * cot__stream_response does. A chunk of no known provider is ignored. */
typedef struct cot_stream cot__stream;	/* the public cot_stream */
int cot__stream_new(cot__stream **out);
int cot__stream_feed(cot__stream *s, const cot__jdoc *d);
/* Has s seen the event that ends a stream (a finish reason on every
 * choice, message_stop, response.completed, ...)? */
bool cot__stream_ended(const cot__stream *s);
int cot__stream_end(cot__stream *s, cot__arena *a, const char **json,
		    size_t *len);
void cot__stream_free(cot__stream *s);

#endif

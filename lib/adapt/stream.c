/* stream.c - a streamed response, kept as text, back into the response
 * it stands for. */
#include <string.h>

#include "adapt/stream.h"

/* Recorders keep a streamed response as the text on the wire: Server-Sent
 * Events ("data:" lines), or Amazon's binary event stream. Its events
 * are read into one model of a response - outputs (choices, candidates,
 * Responses items), each an ordered list of blocks of text - which is
 * then written as the JSON the provider sends without streaming. The
 * table of shapes reads that JSON as it reads any response, so a trace
 * is the same whichever way the response came. Texts are concatenated
 * as they are in the events, still escaped: a character whose surrogate
 * pair is split over two deltas comes back whole. */

enum family { F_NONE, F_CHAT, F_ANTHROPIC, F_RESPONSES, F_GEMINI, F_BEDROCK };

enum bkind {
	B_TEXT,		/* answer text */
	B_THINK,	/* reasoning text */
	B_SUMMARY,	/* Responses: a part of a reasoning summary */
	B_REDACTED,	/* redacted or encrypted reasoning */
	B_TOOL,		/* a tool call */
	B_OTHER,	/* a block of another type (text: the type) */
	B_DETAIL,	/* chat reasoning_details: reasoning.text */
	B_DETAIL_SUMMARY,	/* reasoning.summary */
	B_DETAIL_ENC,	/* reasoning.encrypted */
};

/* Responses output items */
enum item { I_NONE, I_REASONING, I_MESSAGE, I_OTHER };

/* Bounds on what one stream may make, so that hostile indexes cannot
 * make the linear look-ups quadratic; further outputs or blocks are not
 * read (README "Streamed responses"). */
#define MAX_OUTPUTS 256
#define MAX_BLOCKS 4096

typedef struct block {
	int kind;
	long key;
	cot__sbuf text;		/* raw JSON string content, escaped */
} block;

typedef struct output {
	long index;
	int item;		/* Responses: enum item */
	cot__sbuf type;		/* Responses: an item of another type */
	block *b;
	size_t nb, cap;
	cot__sbuf rc, reasoning, legacy, finish;
	bool finished, legacy_seen, content_array;
} output;

struct cot_stream {
	int fam;
	output *o;
	size_t no, cap;
	cot__sbuf model, finish, status, incomplete;
	bool finished;		/* a stop reason or status was read */
	bool ended;		/* the event that closes the stream */
	int rc;
	cot__jdoc d;		/* the chunk being read (cot_stream_feed) */
};

#define KEY(s) s, sizeof(s) - 1

static uint32_t get(const cot__jdoc *d, uint32_t o, const char *k, size_t n)
{
	return cot__json_get(d, o, k, n);
}

static int kind(const cot__jdoc *d, uint32_t t)
{
	return cot__json_kind(d, t);
}

static bool is_str(const cot__jdoc *d, uint32_t t, const char *lit)
{
	return kind(d, t) == COT_J_STR &&
	       cot__json_str_eq(d, t, lit, strlen(lit));
}

#define FOR_EACH(d, arr, e) \
	for (uint32_t e = cot__json_first(d, arr); \
	     e != COT_J_NONE && e < (d)->tok[arr].next; e = (d)->tok[e].next)

/* A small non-negative integer token, else dflt. */
static long num(const cot__jdoc *d, uint32_t t, long dflt)
{
	const char *p;
	size_t n;
	long v = 0;

	if (kind(d, t) != COT_J_NUM)
		return dflt;
	p = d->src + d->tok[t].off;
	n = d->tok[t].end - d->tok[t].off;
	if (n == 0 || n > 9)
		return dflt;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return dflt;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* Append the raw content of string token t (escapes kept). */
static void add(cot__stream *s, cot__sbuf *b, const cot__jdoc *d, uint32_t t)
{
	if (kind(d, t) == COT_J_STR &&
	    cot__sbuf_add(b, d->src + d->tok[t].off + 1,
			  d->tok[t].end - d->tok[t].off - 2))
		s->rc = COT_ENOMEM;
}

/* Replace b with the content of string token t, when t is one. */
static bool set(cot__stream *s, cot__sbuf *b, const cot__jdoc *d, uint32_t t)
{
	if (kind(d, t) != COT_J_STR)
		return false;
	b->size = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
	add(s, b, d, t);
	return true;
}

static void set_model(cot__stream *s, const cot__jdoc *d, uint32_t t)
{
	if (kind(d, t) == COT_J_STR && d->tok[t].end - d->tok[t].off > 2)
		set(s, &s->model, d, t);
}

/* The heap array v of n elements with room for one more (v itself, or
 * moved to twice the room: *cap updated), or NULL when it holds max
 * already or memory is out (v unchanged). */
static void *room(cot__stream *s, void *v, size_t n, size_t *cap,
		  size_t size, size_t max)
{
	size_t c = *cap ? *cap * 2 : 4;

	if (n == max || s->rc)
		return NULL;
	if (n < *cap)
		return v;
	if (!(v = cot__realloc(v, c * size)))
		s->rc = COT_ENOMEM;
	else
		*cap = c;
	return v;
}

static output *output_at(cot__stream *s, long index)
{
	output *o;

	for (size_t i = 0; i < s->no; i++)
		if (s->o[i].index == index)
			return &s->o[i];
	if (!(o = room(s, s->o, s->no, &s->cap, sizeof *o, MAX_OUTPUTS)))
		return NULL;
	s->o = o;
	o = &s->o[s->no++];
	memset(o, 0, sizeof *o);
	o->index = index;
	return o;
}

static block *new_block(cot__stream *s, output *o, int kind, long key)
{
	block *b = room(s, o->b, o->nb, &o->cap, sizeof *b, MAX_BLOCKS);

	if (!b)
		return NULL;
	o->b = b;
	b = &o->b[o->nb++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->key = key;
	return b;
}

/* The block of o with this kind and key (an event names its block). */
static block *block_at(cot__stream *s, output *o, int kind, long key)
{
	for (size_t i = o->nb; i-- > 0;)
		if (o->b[i].kind == kind && o->b[i].key == key)
			return &o->b[i];
	return new_block(s, o, kind, key);
}

/* Where a delta of text or reasoning that names no block goes: on the
 * last block of the content when it is of the same kind, else a new one
 * (the parts of a stream are runs, as in the response). */
static block *block_run(cot__stream *s, output *o, int kind)
{
	for (size_t i = o->nb; i-- > 0;)
		if (o->b[i].kind == B_TEXT || o->b[i].kind == B_THINK) {
			if (o->b[i].kind == kind)
				return &o->b[i];
			break;
		}
	return new_block(s, o, kind, -1);
}

static void add_block(cot__stream *s, block *b, const cot__jdoc *d,
		      uint32_t t)
{
	if (b)
		add(s, &b->text, d, t);
}

/* ---- the events of each provider ------------------------------------ */

/* OpenAI-compatible chat.completion.chunk: choices[i].delta, or .text
 * in a legacy completions stream. */
static void chat_delta(cot__stream *s, output *o, const cot__jdoc *d,
		       uint32_t delta)
{
	uint32_t v = get(d, delta, KEY("reasoning_content"));
	long pos = 0;

	add(s, &o->rc, d, v);
	add(s, &o->reasoning, d, get(d, delta, KEY("reasoning")));
	FOR_EACH(d, get(d, delta, KEY("reasoning_details")), e) {
		uint32_t type = get(d, e, KEY("type"));
		long key = num(d, get(d, e, KEY("index")), pos++);

		if (is_str(d, type, "reasoning.text"))
			add_block(s, block_at(s, o, B_DETAIL, key), d,
				  get(d, e, KEY("text")));
		else if (is_str(d, type, "reasoning.summary"))
			add_block(s, block_at(s, o, B_DETAIL_SUMMARY, key), d,
				  get(d, e, KEY("summary")));
		else if (is_str(d, type, "reasoning.encrypted"))
			block_at(s, o, B_DETAIL_ENC, key);
	}
	v = get(d, delta, KEY("content"));
	if (kind(d, v) == COT_J_STR) {
		if (d->tok[v].end - d->tok[v].off > 2)
			add_block(s, block_run(s, o, B_TEXT), d, v);
	} else if (kind(d, v) == COT_J_ARR) {	/* Mistral: blocks */
		o->content_array = true;
		FOR_EACH(d, v, e) {
			uint32_t type = get(d, e, KEY("type"));
			uint32_t th = get(d, e, KEY("thinking"));

			if (kind(d, e) == COT_J_STR) {
				add_block(s, block_run(s, o, B_TEXT), d, e);
			} else if (is_str(d, type, "thinking")) {
				block *b = block_run(s, o, B_THINK);

				if (kind(d, th) == COT_J_ARR) {
					FOR_EACH(d, th, ch)
						add_block(s, b, d, get(d, ch,
							KEY("text")));
				} else {
					add_block(s, b, d, th);
				}
			} else if (is_str(d, type, "text")) {
				add_block(s, block_run(s, o, B_TEXT), d,
					  get(d, e, KEY("text")));
			}
		}
	}
	pos = 0;
	FOR_EACH(d, get(d, delta, KEY("tool_calls")), e)
		block_at(s, o, B_TOOL, num(d, get(d, e, KEY("index")), pos++));
}

static void chat(cot__stream *s, const cot__jdoc *d)
{
	long pos = 0;

	set_model(s, d, get(d, 0, KEY("model")));
	FOR_EACH(d, get(d, 0, KEY("choices")), e) {
		output *o = output_at(s, num(d, get(d, e, KEY("index")),
					     pos++));
		uint32_t delta = get(d, e, KEY("delta"));
		uint32_t text = get(d, e, KEY("text"));

		if (!o)
			return;
		if (kind(d, delta) != COT_J_OBJ)
			delta = get(d, e, KEY("message"));
		if (kind(d, delta) == COT_J_OBJ) {
			chat_delta(s, o, d, delta);
		} else if (kind(d, text) == COT_J_STR) {
			add(s, &o->legacy, d, text);
			o->legacy_seen = true;
		}
		if (set(s, &o->finish, d, get(d, e, KEY("finish_reason"))))
			o->finished = true;
	}
}

/* The Anthropic blocks and deltas that carry text: their type, the
 * member that holds the text, the block kind. */
static const struct {
	const char *type, *member;
	int kind;
} anthropic_texts[] = {
	{ "thinking", "thinking", B_THINK },
	{ "text", "text", B_TEXT },
	{ "thinking_delta", "thinking", B_THINK },
	{ "text_delta", "text", B_TEXT },
};

/* Text of object obj, of type token t, onto block idx; false when t
 * is no text type. */
static bool anthropic_text(cot__stream *s, output *o, const cot__jdoc *d,
			   uint32_t t, uint32_t obj, long idx)
{
	for (size_t i = 0; i < sizeof anthropic_texts /
	     sizeof *anthropic_texts; i++)
		if (is_str(d, t, anthropic_texts[i].type)) {
			add_block(s, block_at(s, o, anthropic_texts[i].kind,
					      idx), d,
				  get(d, obj, anthropic_texts[i].member,
				      strlen(anthropic_texts[i].member)));
			return true;
		}
	return false;
}

/* Anthropic Messages events. */
static void anthropic(cot__stream *s, const cot__jdoc *d)
{
	uint32_t type = get(d, 0, KEY("type"));
	long idx = num(d, get(d, 0, KEY("index")), 0);
	output *o = output_at(s, 0);

	if (!o)
		return;
	if (is_str(d, type, "message_start")) {
		set_model(s, d, get(d, get(d, 0, KEY("message")),
				    KEY("model")));
	} else if (is_str(d, type, "content_block_start")) {
		uint32_t cb = get(d, 0, KEY("content_block"));
		uint32_t t = get(d, cb, KEY("type"));

		if (!anthropic_text(s, o, d, t, cb, idx)) {
			if (is_str(d, t, "redacted_thinking"))
				block_at(s, o, B_REDACTED, idx);
			else if (is_str(d, t, "tool_use") ||
				 is_str(d, t, "server_tool_use"))
				block_at(s, o, B_TOOL, idx);
			else if (kind(d, t) == COT_J_STR)
				add_block(s, block_at(s, o, B_OTHER, idx), d,
					  t);
		}
	} else if (is_str(d, type, "content_block_delta")) {
		uint32_t delta = get(d, 0, KEY("delta"));

		anthropic_text(s, o, d, get(d, delta, KEY("type")), delta,
			       idx);
	} else if (is_str(d, type, "message_delta")) {
		if (set(s, &s->finish, d, get(d, get(d, 0, KEY("delta")),
					       KEY("stop_reason"))))
			s->finished = true;
	} else if (is_str(d, type, "message_stop")) {
		s->ended = true;
	}
}

/* OpenAI Responses events. */
static void responses(cot__stream *s, const cot__jdoc *d)
{
	uint32_t type = get(d, 0, KEY("type"));
	uint32_t r = get(d, 0, KEY("response"));
	long oi = num(d, get(d, 0, KEY("output_index")), 0);
	output *o;

	if (r != COT_J_NONE) {
		set_model(s, d, get(d, r, KEY("model")));
		if (is_str(d, type, "response.completed") ||
		    is_str(d, type, "response.incomplete") ||
		    is_str(d, type, "response.failed")) {
			set(s, &s->status, d, get(d, r, KEY("status")));
			set(s, &s->incomplete, d, get(d, get(d, r,
				KEY("incomplete_details")), KEY("reason")));
			s->finished = s->ended = true;
		}
		return;
	}
	o = output_at(s, oi);
	if (!o)
		return;
	if (is_str(d, type, "response.output_item.added") ||
	    is_str(d, type, "response.output_item.done")) {
		uint32_t item = get(d, 0, KEY("item"));
		uint32_t it = get(d, item, KEY("type"));
		uint32_t enc = get(d, item, KEY("encrypted_content"));

		if (is_str(d, it, "reasoning"))
			o->item = I_REASONING;
		else if (is_str(d, it, "message"))
			o->item = I_MESSAGE;
		else if (set(s, &o->type, d, it))
			o->item = I_OTHER;
		if (kind(d, enc) == COT_J_STR)
			block_at(s, o, B_REDACTED, 0);
	} else if (is_str(d, type, "response.reasoning_summary_text.delta")) {
		if (o->item == I_NONE)
			o->item = I_REASONING;
		add_block(s, block_at(s, o, B_SUMMARY, num(d, get(d, 0,
			KEY("summary_index")), 0)), d, get(d, 0, KEY("delta")));
	} else if (is_str(d, type, "response.reasoning_text.delta")) {
		if (o->item == I_NONE)
			o->item = I_REASONING;
		add_block(s, block_at(s, o, B_THINK, num(d, get(d, 0,
			KEY("content_index")), 0)), d, get(d, 0, KEY("delta")));
	} else if (is_str(d, type, "response.output_text.delta")) {
		if (o->item == I_NONE)
			o->item = I_MESSAGE;
		add_block(s, block_at(s, o, B_TEXT, num(d, get(d, 0,
			KEY("content_index")), 0)), d, get(d, 0, KEY("delta")));
	}
}

/* Gemini streamGenerateContent: each event a response with the parts
 * that are new. */
static void gemini(cot__stream *s, const cot__jdoc *d)
{
	long pos = 0;

	set_model(s, d, get(d, 0, KEY("modelVersion")));
	FOR_EACH(d, get(d, 0, KEY("candidates")), c) {
		output *o = output_at(s, num(d, get(d, c, KEY("index")),
					     pos++));
		uint32_t parts = get(d, get(d, c, KEY("content")),
				     KEY("parts"));

		if (!o)
			return;
		FOR_EACH(d, parts, p) {
			uint32_t text = get(d, p, KEY("text"));
			bool thought = kind(d, get(d, p, KEY("thought"))) ==
				       COT_J_TRUE;

			if (kind(d, text) == COT_J_STR)
				add_block(s, block_run(s, o, thought ? B_THINK
							     : B_TEXT), d,
					  text);
			else if (get(d, p, KEY("functionCall")) != COT_J_NONE)
				new_block(s, o, B_TOOL, -1);
		}
		if (set(s, &o->finish, d, get(d, c, KEY("finishReason"))))
			o->finished = true;
	}
}

/* Amazon Bedrock ConverseStream: the event's name and its payload. */
static void bedrock(cot__stream *s, const cot__jdoc *d, const char *name,
		    size_t n, uint32_t ev)
{
	long idx = num(d, get(d, ev, KEY("contentBlockIndex")), 0);
	output *o;

#define IS(lit) (n == sizeof(lit) - 1 && memcmp(name, lit, n) == 0)
	if (IS("metadata"))	/* usage, after the end: no response */
		return;
	o = output_at(s, 0);
	if (!o)
		return;
	if (IS("contentBlockStart")) {
		if (get(d, get(d, ev, KEY("start")), KEY("toolUse")) !=
		    COT_J_NONE)
			block_at(s, o, B_TOOL, idx);
	} else if (IS("contentBlockDelta")) {
		uint32_t delta = get(d, ev, KEY("delta"));
		uint32_t rc = get(d, delta, KEY("reasoningContent"));

		if (kind(d, get(d, delta, KEY("text"))) == COT_J_STR)
			add_block(s, block_at(s, o, B_TEXT, idx), d,
				  get(d, delta, KEY("text")));
		else if (kind(d, get(d, rc, KEY("text"))) == COT_J_STR)
			add_block(s, block_at(s, o, B_THINK, idx), d,
				  get(d, rc, KEY("text")));
		else if (get(d, rc, KEY("redactedContent")) != COT_J_NONE)
			block_at(s, o, B_REDACTED, idx);
		else if (get(d, delta, KEY("toolUse")) != COT_J_NONE)
			block_at(s, o, B_TOOL, idx);
	} else if (IS("messageStop")) {
		if (set(s, &s->finish, d, get(d, ev, KEY("stopReason"))))
			s->finished = true;
		s->ended = true;
	}
#undef IS
}

/* The event names of ConverseStream, as the keys of the objects an SDK
 * yields for them (boto3: {"contentBlockDelta": {...}}). */
static const char *const bedrock_events[] = {
	"messageStart", "contentBlockStart", "contentBlockDelta",
	"contentBlockStop", "messageStop", "metadata", NULL
};

static const char *const anthropic_events[] = {
	"message_start", "content_block_start", "content_block_delta",
	"content_block_stop", "message_delta", "message_stop", NULL
};

/* One event: name is the binary event stream's :event-type (NULL in
 * SSE and JSON Lines), its payload the root. The first event of a known
 * provider decides the stream's family; events of another are not
 * read. */
static void event(cot__stream *s, const cot__jdoc *d, const char *name,
		  size_t n)
{
	uint32_t type = get(d, 0, KEY("type")), first, ev = 0;
	int fam = F_NONE;

	if (d->ntok == 0 || d->tok[0].kind != COT_J_OBJ)
		return;
	first = cot__json_first(d, 0);
	if (!name && d->tok[0].count == 1 && kind(d, first + 1) == COT_J_OBJ)
		for (const char *const *e = bedrock_events; *e; e++)
			if (cot__json_str_eq(d, first, *e, strlen(*e))) {
				name = *e;
				n = strlen(*e);
				ev = first + 1;
			}
	if (name)
		fam = F_BEDROCK;
	else if (get(d, 0, KEY("choices")) != COT_J_NONE)
		fam = F_CHAT;
	else if (get(d, 0, KEY("candidates")) != COT_J_NONE)
		fam = F_GEMINI;
	else if (kind(d, type) == COT_J_STR &&
		 d->tok[type].end - d->tok[type].off > 10 &&
		 memcmp(d->src + d->tok[type].off, "\"response.", 10) == 0)
		fam = F_RESPONSES;
	else
		for (const char *const *e = anthropic_events; *e; e++)
			if (is_str(d, type, *e))
				fam = F_ANTHROPIC;
	if (fam == F_NONE || (s->fam != F_NONE && s->fam != fam))
		return;
	s->fam = fam;
	switch (fam) {
	case F_CHAT: chat(s, d); break;
	case F_ANTHROPIC: anthropic(s, d); break;
	case F_RESPONSES: responses(s, d); break;
	case F_GEMINI: gemini(s, d); break;
	default: bedrock(s, d, name, n, ev); break;
	}
}

/* ---- the response, written as JSON ---------------------------------- */

typedef struct writer {
	cot__sbuf b;
	int rc;
} writer;

static void put(writer *w, const char *s)
{
	if (cot__sbuf_add(&w->b, s, strlen(s)))
		w->rc = COT_ENOMEM;
}

/* A JSON string from raw (escaped) content. */
static void put_str(writer *w, const cot__sbuf *raw)
{
	if (cot__sbuf_addc(&w->b, '"') ||
	    cot__sbuf_add(&w->b, raw->ptr ? raw->ptr : "", raw->size) ||
	    cot__sbuf_addc(&w->b, '"'))
		w->rc = COT_ENOMEM;
}

static void put_field(writer *w, const char *key, const cot__sbuf *raw)
{
	put(w, key);
	put_str(w, raw);
}

static void put_index(writer *w, long i)
{
	char n[24];
	size_t k = sizeof n;

	n[--k] = '\0';
	do {
		n[--k] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	put(w, n + k);
}

/* A stop reason: the string, or null when the stream was cut. */
static void put_finish(writer *w, const char *key, bool finished,
		       const cot__sbuf *raw)
{
	put(w, key);
	if (finished)
		put_str(w, raw);
	else
		put(w, "null");
}

/* Each block of o of kind k, separated by commas: pre, and when post
 * is not NULL the block's text and post. */
static void put_blocks(writer *w, const output *o, int k, const char *pre,
		       const char *post)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nb; i++) {
		if (o->b[i].kind != k)
			continue;
		if (n++)
			put(w, ",");
		put(w, pre);
		if (post) {
			put_str(w, &o->b[i].text);
			put(w, post);
		}
	}
}

static bool has(const output *o, int k)
{
	for (size_t i = 0; i < o->nb; i++)
		if (o->b[i].kind == k)
			return true;
	return false;
}

static void write_chat(writer *w, const cot__stream *s)
{
	put(w, "{\"object\":\"chat.completion\"");
	if (s->model.size)
		put_field(w, ",\"model\":", &s->model);
	put(w, ",\"choices\":[");
	for (size_t i = 0; i < s->no; i++) {
		const output *o = &s->o[i];
		size_t nd = 0;

		put(w, i ? ",{\"index\":" : "{\"index\":");
		put_index(w, o->index);
		if (o->legacy_seen && o->nb == 0 && !o->rc.size &&
		    !o->reasoning.size) {
			put_field(w, ",\"text\":", &o->legacy);
			put_finish(w, ",\"finish_reason\":", o->finished,
				   &o->finish);
			put(w, "}");
			continue;
		}
		put(w, ",\"message\":{\"role\":\"assistant\"");
		if (o->rc.size)
			put_field(w, ",\"reasoning_content\":", &o->rc);
		if (o->reasoning.size)
			put_field(w, ",\"reasoning\":", &o->reasoning);
		for (size_t b = 0; b < o->nb; b++)
			nd += o->b[b].kind >= B_DETAIL;
		if (nd) {
			size_t k = 0;

			put(w, ",\"reasoning_details\":[");
			for (size_t b = 0; b < o->nb; b++) {
				const block *x = &o->b[b];

				if (x->kind < B_DETAIL)
					continue;
				put(w, k++ ? "," : "");
				if (x->kind == B_DETAIL_ENC) {
					put(w, "{\"type\":\"reasoning."
					       "encrypted\"}");
					continue;
				}
				put(w, x->kind == B_DETAIL ?
				       "{\"type\":\"reasoning.text\",\"text\":"
				       : "{\"type\":\"reasoning.summary\","
					 "\"summary\":");
				put_str(w, &x->text);
				put(w, "}");
			}
			put(w, "]");
		}
		if (o->content_array) {
			size_t k = 0;

			put(w, ",\"content\":[");
			for (size_t b = 0; b < o->nb; b++) {
				const block *x = &o->b[b];

				if (x->kind != B_TEXT && x->kind != B_THINK)
					continue;
				put(w, k++ ? "," : "");
				put(w, x->kind == B_TEXT ?
				       "{\"type\":\"text\",\"text\":" :
				       "{\"type\":\"thinking\",\"thinking\":"
				       "[{\"type\":\"text\",\"text\":");
				put_str(w, &x->text);
				put(w, x->kind == B_TEXT ? "}" : "}]}");
			}
			put(w, "]");
		} else {
			put(w, ",\"content\":\"");
			for (size_t b = 0; b < o->nb; b++)
				if (o->b[b].kind == B_TEXT &&
				    cot__sbuf_add(&w->b, o->b[b].text.ptr ?
						  o->b[b].text.ptr : "",
						  o->b[b].text.size))
					w->rc = COT_ENOMEM;
			put(w, "\"");
		}
		if (has(o, B_TOOL)) {
			put(w, ",\"tool_calls\":[");
			put_blocks(w, o, B_TOOL, "{\"type\":\"function\"}",
				   NULL);
			put(w, "]");
		}
		put(w, "}");
		put_finish(w, ",\"finish_reason\":", o->finished, &o->finish);
		put(w, "}");
	}
	put(w, "]}");
}

static void write_anthropic(writer *w, const cot__stream *s)
{
	const output *o = s->no ? &s->o[0] : NULL;

	put(w, "{\"type\":\"message\",\"role\":\"assistant\"");
	if (s->model.size)
		put_field(w, ",\"model\":", &s->model);
	put(w, ",\"content\":[");
	for (size_t i = 0; o && i < o->nb; i++) {
		const block *x = &o->b[i];

		put(w, i ? "," : "");
		switch (x->kind) {
		case B_THINK:
			put_field(w, "{\"type\":\"thinking\",\"thinking\":",
				  &x->text);
			break;
		case B_TEXT:
			put_field(w, "{\"type\":\"text\",\"text\":", &x->text);
			break;
		case B_REDACTED:
			put(w, "{\"type\":\"redacted_thinking\"");
			break;
		case B_TOOL:
			put(w, "{\"type\":\"tool_use\"");
			break;
		default:
			put_field(w, "{\"type\":", &x->text);
			break;
		}
		put(w, "}");
	}
	put(w, "]");
	put_finish(w, ",\"stop_reason\":", s->finished, &s->finish);
	put(w, "}");
}

static void write_responses(writer *w, const cot__stream *s)
{
	put(w, "{\"object\":\"response\"");
	if (s->model.size)
		put_field(w, ",\"model\":", &s->model);
	if (s->finished) {
		put_field(w, ",\"status\":", &s->status);
		if (s->incomplete.size) {
			put_field(w, ",\"incomplete_details\":{\"reason\":",
				  &s->incomplete);
			put(w, "}");
		}
	}
	put(w, ",\"output\":[");
	for (size_t i = 0; i < s->no; i++) {
		const output *o = &s->o[i];

		put(w, i ? "," : "");
		if (o->item == I_REASONING) {
			put(w, "{\"type\":\"reasoning\",\"summary\":[");
			put_blocks(w, o, B_SUMMARY, "{\"type\":\"summary_text"
				   "\",\"text\":", "}");
			put(w, "],\"content\":[");
			put_blocks(w, o, B_THINK, "{\"type\":\"reasoning_text"
				   "\",\"text\":", "}");
			put(w, "]");
			if (has(o, B_REDACTED))
				put(w, ",\"encrypted_content\":\"\"");
		} else if (o->item == I_MESSAGE) {
			put(w, "{\"type\":\"message\",\"role\":\"assistant\","
			       "\"content\":[");
			put_blocks(w, o, B_TEXT, "{\"type\":\"output_text\","
				   "\"text\":", "}");
			put(w, "]");
		} else {
			put_field(w, "{\"type\":", &o->type);
		}
		put(w, "}");
	}
	put(w, "]}");
}

static void write_gemini(writer *w, const cot__stream *s)
{
	put(w, "{\"candidates\":[");
	for (size_t i = 0; i < s->no; i++) {
		const output *o = &s->o[i];

		put(w, i ? ",{\"index\":" : "{\"index\":");
		put_index(w, o->index);
		put(w, ",\"content\":{\"role\":\"model\",\"parts\":[");
		for (size_t b = 0; b < o->nb; b++) {
			const block *x = &o->b[b];

			put(w, b ? "," : "");
			if (x->kind == B_TOOL) {
				put(w, "{\"functionCall\":{}}");
				continue;
			}
			put_field(w, "{\"text\":", &x->text);
			put(w, x->kind == B_THINK ? ",\"thought\":true}" : "}");
		}
		put(w, "]}");
		if (o->finished)
			put_field(w, ",\"finishReason\":", &o->finish);
		put(w, "}");
	}
	put(w, "]");
	if (s->model.size)
		put_field(w, ",\"modelVersion\":", &s->model);
	put(w, "}");
}

static void write_bedrock(writer *w, const cot__stream *s)
{
	const output *o = s->no ? &s->o[0] : NULL;

	put(w, "{\"output\":{\"message\":{\"role\":\"assistant\","
	       "\"content\":[");
	for (size_t i = 0; o && i < o->nb; i++) {
		const block *x = &o->b[i];

		put(w, i ? "," : "");
		if (x->kind == B_THINK) {
			put_field(w, "{\"reasoningContent\":{\"reasoningText"
				  "\":{\"text\":", &x->text);
			put(w, "}}}");
		} else if (x->kind == B_TEXT) {
			put_field(w, "{\"text\":", &x->text);
			put(w, "}");
		} else if (x->kind == B_REDACTED) {
			put(w, "{\"reasoningContent\":{\"redactedContent\":"
			       "\"\"}}");
		} else {
			put(w, "{\"toolUse\":{}}");
		}
	}
	put(w, "]}}");
	if (s->finished)
		put_field(w, ",\"stopReason\":", &s->finish);
	put(w, "}");
}

/* ---- the stream object ---------------------------------------------- */

int cot__stream_new(cot__stream **out)
{
	*out = cot__calloc(1, sizeof **out);
	return *out ? COT_OK : COT_ENOMEM;
}

int cot__stream_feed(cot__stream *s, const cot__jdoc *d)
{
	event(s, d, NULL, 0);
	return s->rc;
}

bool cot__stream_ended(const cot__stream *s)
{
	if (s->fam == F_CHAT || s->fam == F_GEMINI) {
		for (size_t i = 0; i < s->no; i++)
			if (!s->o[i].finished)
				return false;
		return s->no > 0;
	}
	return s->ended;
}

int cot__stream_end(cot__stream *s, cot__arena *a, const char **json,
		    size_t *len)
{
	writer w = { { NULL, 0, 0 }, COT_OK };
	char *p;

	*json = NULL;
	*len = 0;
	if (s->rc)
		return s->rc;
	if (s->no == 0)	/* events of no output: usage, pings */
		return COT_OK;
	switch (s->fam) {
	case F_CHAT: write_chat(&w, s); break;
	case F_ANTHROPIC: write_anthropic(&w, s); break;
	case F_RESPONSES: write_responses(&w, s); break;
	case F_GEMINI: write_gemini(&w, s); break;
	case F_BEDROCK: write_bedrock(&w, s); break;
	default: return COT_OK;
	}
	p = w.rc ? NULL : cot__arena_alloc(a, w.b.size + 1);
	if (p) {
		memcpy(p, w.b.ptr, w.b.size + 1);
		*json = p;
		*len = w.b.size;
	}
	cot__sbuf_dispose(&w.b);
	return p ? COT_OK : COT_ENOMEM;
}

/* The parts of s, not s. */
static void dispose(cot__stream *s)
{
	for (size_t i = 0; i < s->no; i++) {
		output *o = &s->o[i];

		for (size_t b = 0; b < o->nb; b++)
			cot__sbuf_dispose(&o->b[b].text);
		cot__free(o->b);
		cot__sbuf_dispose(&o->type);
		cot__sbuf_dispose(&o->rc);
		cot__sbuf_dispose(&o->reasoning);
		cot__sbuf_dispose(&o->legacy);
		cot__sbuf_dispose(&o->finish);
	}
	cot__free(s->o);
	cot__jdoc_dispose(&s->d);
	cot__sbuf_dispose(&s->model);
	cot__sbuf_dispose(&s->finish);
	cot__sbuf_dispose(&s->status);
	cot__sbuf_dispose(&s->incomplete);
}

void cot__stream_free(cot__stream *s)
{
	if (s)
		dispose(s);
	cot__free(s);
}

/* ---- the public API --------------------------------------------------- */

static int nomem(cot_error *err)
{
	return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
}

int cot_stream_new(cot_stream **out, cot_error *err)
{
	if (cot__stream_new(out))
		return nomem(err);
	cot__jdoc_init(&(*out)->d);
	return COT_OK;
}

void cot_stream_free(cot_stream *s)
{
	cot__stream_free(s);
}

/* Parse a chunk into d: COT_OK, or an error set in err. */
static int parse_chunk(cot__jdoc *d, const char *chunk, size_t len,
		       cot_error *err)
{
	cot_error e;
	int rc = cot__json_parse(d, chunk, len, &e);

	if (rc == COT_ENOMEM)
		return nomem(err);
	if (rc)
		return cot__error_set(err, rc, 0, e.column, "%s", e.message);
	return COT_OK;
}

int cot_stream_feed(cot_stream *s, const char *chunk, size_t len,
		    cot_error *err)
{
	int rc = parse_chunk(&s->d, chunk, len, err);

	if (rc)
		return rc;
	return cot__stream_feed(s, &s->d) ? nomem(err) : COT_OK;
}

int cot_stream_ended(const cot_stream *s)
{
	return cot__stream_ended(s);
}

int cot_stream_response(cot_buf *out, cot_stream *s, cot_error *err)
{
	cot__arena a;
	const char *json;
	size_t len;
	int rc;

	cot__arena_init(&a);
	rc = cot__stream_end(s, &a, &json, &len);
	if (!rc && json && cot__sbuf_add(out, json, len))
		rc = COT_ENOMEM;
	cot__arena_dispose(&a);
	return rc ? nomem(err) : COT_OK;
}

int cot_stream_id(cot_buf *out, const char *chunk, size_t len,
		  cot_error *err)
{
	static const struct {
		const char *in, *key;	/* in: NULL for the chunk itself */
	} where[] = {
		{ NULL, "id" }, { NULL, "responseId" }, { "message", "id" },
		{ "response", "id" },
	};
	cot__jdoc d;
	int rc;

	cot__jdoc_init(&d);
	rc = parse_chunk(&d, chunk, len, err);
	for (size_t i = 0; !rc && i < sizeof where / sizeof *where; i++) {
		uint32_t o = where[i].in ? get(&d, 0, where[i].in,
					       strlen(where[i].in)) : 0;
		uint32_t v = get(&d, o, where[i].key, strlen(where[i].key));

		if (kind(&d, v) == COT_J_STR && d.tok[v].end - d.tok[v].off > 2) {
			if (cot__sbuf_add(out, d.src + d.tok[v].off,
					  d.tok[v].end - d.tok[v].off))
				rc = nomem(err);
			break;
		}
	}
	cot__jdoc_dispose(&d);
	return rc;
}

/* ---- reading the wire ----------------------------------------------- */

typedef struct reading {
	cot__stream *s;
	cot__jdoc d;
	bool done;		/* data: [DONE] */
} reading;

static void parse_event(reading *r, const char *name, size_t n,
			const char *data, size_t len)
{
	int rc = cot__json_parse(&r->d, data, len, NULL);

	if (rc == COT_ENOMEM)
		r->s->rc = COT_ENOMEM;
	else if (rc == COT_OK)
		event(r->s, &r->d, name, n);
}

/* Server-Sent Events (WHATWG HTML, "Server-sent events"): lines end in
 * CR, LF or CRLF; "data:" lines of one event are joined with LF; an
 * empty line ends the event; ":" starts a comment. An event left open
 * at the end is read too: a stream cut short keeps what it received. */
static void read_sse(reading *r, const char *t, size_t n)
{
	cot__sbuf data = { NULL, 0, 0 };
	const char *one = NULL;	/* the only data line, in place */
	size_t onelen = 0, lines = 0, i = 0;

	while (!r->done && !r->s->rc) {
		size_t e = i;

		while (e < n && t[e] != '\n' && t[e] != '\r')
			e++;
		if (e - i >= 5 && memcmp(t + i, "data", 4) == 0 &&
		    t[i + 4] == ':') {
			const char *v = t + i + 5;
			size_t vl = e - i - 5;

			if (vl && *v == ' ') {
				v++;
				vl--;
			}
			if (lines == 1 && cot__sbuf_add(&data, one, onelen))
				r->s->rc = COT_ENOMEM;
			if (lines >= 1 && (cot__sbuf_addc(&data, '\n') ||
					   cot__sbuf_add(&data, v, vl)))
				r->s->rc = COT_ENOMEM;
			one = v;
			onelen = vl;
			lines++;
		}
		if ((e == i || e == n) && lines) {	/* the event's end */
			const char *p = lines > 1 ? data.ptr : one;
			size_t len = lines > 1 ? data.size : onelen;

			if (len == 6 && memcmp(p, "[DONE]", 6) == 0)
				r->done = true;
			else
				parse_event(r, NULL, 0, p, len);
			lines = 0;
			data.size = 0;
		}
		if (e == n)
			break;
		i = e + 1 + (e + 1 < n && t[e] == '\r' && t[e + 1] == '\n');
	}
	cot__sbuf_dispose(&data);
}

/* The end of the JSON object that starts at t[p] ('{'), or 0. */
static size_t object_end(const char *t, size_t p, size_t n)
{
	size_t depth = 0;
	bool in = false;

	for (size_t i = p; i < n; i++) {
		char c = t[i];

		if (in) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in = false;
		} else if (c == '"') {
			in = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

/* Amazon's event stream (application/vnd.amazon.eventstream): messages
 * of a prelude (total and header lengths, CRC), headers (a name length
 * byte, the name, a type byte, the value), a payload and a CRC. A
 * recorder that stored the body as text may have replaced the bytes
 * that are not UTF-8, lengths and CRCs among them, with U+FFFD; the
 * headers' names and values and the JSON payloads are ASCII and survive.
 * So each message is found by its :event-type header, the headers after
 * it are read by their own lengths, and the payload is the JSON object
 * that follows them. */
static size_t skip_headers(const char *t, size_t p, size_t n)
{
	static const signed char size[] = { 0, 0, 1, 2, 4, 8, -1, -1, 8, 16 };

	while (p + 2 < n && t[p] > 0 && t[p + 1] == ':' &&
	       p + 1 + (size_t)t[p] < n) {
		size_t q = p + 1 + (size_t)t[p];
		unsigned type = (unsigned char)t[q++];

		if (type >= sizeof size)
			break;
		if (size[type] < 0) {
			if (q + 2 > n)
				break;
			q += 2 + ((size_t)(unsigned char)t[q] << 8 |
				  (unsigned char)t[q + 1]);
		} else {
			q += (size_t)size[type];
		}
		if (q > n)
			break;
		p = q;
	}
	return p;
}

static void read_eventstream(reading *r, const char *t, size_t n)
{
	static const char mark[] = "\x0b:event-type\x07";
	size_t i = 0, m = sizeof mark - 1;

	while (!r->s->rc && (i = cot__find(t, i, n, mark, m)) != SIZE_MAX) {
		size_t p = i + m, vlen, end;
		const char *name;

		if (p + 2 > n)
			break;
		vlen = (size_t)(unsigned char)t[p] << 8 |
		       (unsigned char)t[p + 1];
		p += 2;
		if (p + vlen > n)
			break;
		name = t + p;
		p = skip_headers(t, p + vlen, n);
		end = p < n && t[p] == '{' ? object_end(t, p, n) : 0;
		if (end && vlen)
			parse_event(r, name, vlen, t + p, end - p);
		i = end ? end : p;
	}
}

static int b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* A base64 text (white space allowed) decoded into the arena, or NULL
 * when t is not one. */
static char *from_base64(const char *t, size_t n, cot__arena *a,
			 size_t *len, int *rc)
{
	char *out;
	uint32_t acc = 0;
	size_t k = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++)
		if (b64((unsigned char)t[i]) < 0 && t[i] != '=' &&
		    t[i] != '\n' && t[i] != '\r' && t[i] != ' ')
			return NULL;
	out = cot__arena_alloc(a, n / 4 * 3 + 3);
	if (!out) {
		*rc = COT_ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		int v = b64((unsigned char)t[i]);

		if (v < 0)
			continue;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (char)(acc >> bits & 0xff);
		}
	}
	*len = k;
	return out;
}

bool cot__stream_maybe(const char *p, size_t n)
{
	static const char *const starts[] = {
		"data:", "event:", "id:", "retry:", ":", "\\u0000", "AAA", NULL
	};

	while (n && (*p == ' ' || (n > 1 && *p == '\\' && (p[1] == 'n' ||
							    p[1] == 'r')))) {
		size_t k = *p == ' ' ? 1 : 2;

		p += k;
		n -= k;
	}
	for (const char *const *s = starts; *s; s++)
		if (n >= strlen(*s) && memcmp(p, *s, strlen(*s)) == 0)
			return true;
	return false;
}

int cot__stream_response(const char *s, size_t n, cot__arena *a,
			 const char **json, size_t *len)
{
	cot__stream st;
	reading r;
	int rc = COT_OK;
	size_t bn = 0;
	const char *bin = NULL;

	memset(&st, 0, sizeof st);
	memset(&r, 0, sizeof r);
	r.s = &st;
	*json = NULL;
	*len = 0;
	cot__jdoc_init(&r.d);
	if (n && s[0] == '\0') {
		bin = s;
		bn = n;
	} else if (n >= 16 && s[0] == 'A') {
		bin = from_base64(s, n, a, &bn, &rc);
	}
	if (bin)
		read_eventstream(&r, bin, bn);
	else if (rc == COT_OK)
		read_sse(&r, s, n);
	cot__jdoc_dispose(&r.d);
	if (rc == COT_OK && st.rc == COT_OK)
		rc = cot__stream_end(&st, a, json, len);
	else if (rc == COT_OK)
		rc = st.rc;
	dispose(&st);
	return rc;
}

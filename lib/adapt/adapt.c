/* adapt.c - the table of record shapes: where each keeps its traces. */
#include <string.h>

#include "adapt/adapt.h"
#include "adapt/stream.h"

/* Each record shape (README "From a record to traces") is a row: a cheap "is it me?" test on the record
 * object and an extractor that appends traces. Detection takes the first
 * row that matches, structured reasoning fields before text with tags.
 * Records wrapped by a batch or recording envelope are unwrapped first
 * (see wrappers[]). What a record says about its traces (model, finish
 * reason, reference, label, prompt) is looked up by the key lists of
 * meta_table[], from the innermost object outwards. */

typedef struct ctx {
	const cot__adapt_cfg *cfg;
	const cot__jdoc *d;
	cot__arena *a;
	cot__traces *out;
	/* objects to take metadata from, a stack: the innermost (last
	 * pushed) is asked first */
	uint32_t meta[6];
	int nmeta;
	int nested;		/* inside a JSON text held in a string */
	int rc;			/* first allocation failure */
} ctx;

#define KEY(s) s, sizeof(s) - 1

static uint32_t get(const ctx *c, uint32_t obj, const char *k, size_t n)
{
	return cot__json_get(c->d, obj, k, n);
}

static int kind(const ctx *c, uint32_t t)
{
	return cot__json_kind(c->d, t);
}

static bool is_obj(const ctx *c, uint32_t t)
{
	return kind(c, t) == COT_J_OBJ;
}

static bool is_arr(const ctx *c, uint32_t t)
{
	return kind(c, t) == COT_J_ARR;
}

/* A string token with at least one byte of content. */
static bool nonempty(const ctx *c, uint32_t t)
{
	return kind(c, t) == COT_J_STR &&
	       c->d->tok[t].end - c->d->tok[t].off > 2;
}

static cot__text str(ctx *c, uint32_t t)
{
	cot__text s = { NULL, 0 };

	if (kind(c, t) != COT_J_STR)
		return s;
	if (cot__json_str(c->d, t, c->a, &s.p, &s.n)) {
		c->rc = COT_ENOMEM;
		s.p = NULL;
		s.n = 0;
	}
	return s;
}

static bool str_is(const ctx *c, uint32_t t, const char *lit)
{
	return kind(c, t) == COT_J_STR &&
	       cot__json_str_eq(c->d, t, lit, strlen(lit));
}

#define FOR_EACH(c, arr, e) \
	for (uint32_t e = cot__json_first((c)->d, arr); \
	     e != COT_J_NONE && e < (c)->d->tok[arr].next; \
	     e = (c)->d->tok[e].next)

/* ---- joining pieces ------------------------------------------------ */

/* Pieces of reasoning (thinking blocks, thought parts, summary texts)
 * are joined with "\n\n", answer pieces with nothing (README "From a record to traces"). One piece
 * is used in place; only several are copied. */
typedef struct joiner {
	cot__text first;
	char *buf;
	size_t len, cap;
	uint32_t pieces;
} joiner;

static void join(ctx *c, joiner *j, cot__text s, const char *sep)
{
	size_t seplen = strlen(sep), need;

	if (!s.p)
		return;
	if (j->pieces++ == 0) {
		j->first = s;
		return;
	}
	if (!j->buf) {	/* second piece: start copying */
		cot__text f = j->first;

		j->buf = NULL;
		j->len = j->cap = 0;
		need = f.n;
		j->cap = (f.n + seplen + s.n) * 2 + 64;
		j->buf = cot__arena_alloc(c->a, j->cap);
		if (!j->buf) {
			c->rc = COT_ENOMEM;
			return;
		}
		memcpy(j->buf, f.p, need);
		j->len = need;
	}
	need = j->len + seplen + s.n;
	if (need > j->cap) {
		size_t cap = need * 2;
		char *nb = cot__arena_alloc(c->a, cap);

		if (!nb) {
			c->rc = COT_ENOMEM;
			return;
		}
		memcpy(nb, j->buf, j->len);
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, sep, seplen);
	memcpy(j->buf + j->len + seplen, s.p, s.n);
	j->len = need;
}

static cot__text joined(const joiner *j)
{
	cot__text t = { NULL, 0 };

	if (j->pieces == 1)
		return j->first;
	if (j->pieces > 1 && j->buf) {
		t.p = j->buf;
		t.n = j->len;
	}
	return t;
}

/* ---- traces -------------------------------------------------------- */

static cot__trace *new_trace(ctx *c, const char *format)
{
	cot__traces *o = c->out;
	cot__trace *t;

	t = cot__arena_grow(c->a, o->v, o->n, &o->cap, sizeof *t);
	if (!t) {
		c->rc = COT_ENOMEM;
		return NULL;
	}
	o->v = t;
	t = &o->v[o->n++];
	memset(t, 0, sizeof *t);
	t->format = format;
	t->dialect = -1;
	t->label = -1;
	t->reasoning.p = t->answer.p = "";
	return t;
}

void cot__trace_from_text(cot__trace *t, const char *format, const char *s,
			  size_t n, bool untagged_is_answer)
{
	cot__split sp;

	t->format = format;
	t->full.p = s;
	t->full.n = n;
	cot__dialect_split(s, n, &sp);
	t->dialect = sp.dialect;
	if (sp.dialect < 0) {
		t->tagged = t->closed = false;
		t->think_blocks = 0;
		t->reasoning.p = untagged_is_answer ? "" : s;
		t->reasoning.n = untagged_is_answer ? 0 : n;
		t->answer.p = untagged_is_answer ? s : "";
		t->answer.n = untagged_is_answer ? n : 0;
		return;
	}
	t->tagged = sp.tagged;
	t->closed = sp.closed;
	t->prefilled = sp.prefilled;
	t->think_blocks = sp.think_blocks;
	t->preamble = sp.preamble.len;
	t->reasoning.p = s + sp.reasoning.off;
	t->reasoning.n = sp.reasoning.len;
	t->answer.p = s + sp.answer.off;
	t->answer.n = sp.answer.len;
}

/* Was the answer opened by its dialect's answer marker and never
 * closed? Only for dialects whose answer close is text the model
 * writes (<|end_of_solution|>, </answer>), not a stop token that
 * servers strip (gpt-oss <|return|>). */
bool cot__answer_unclosed(const cot__trace *t)
{
	const cot__dialect *d;
	size_t on;

	if (!t->full.p || t->dialect < 0)
		return false;
	d = &cot__dialects[t->dialect];
	if (!d->answer_open || !strcmp(d->answer_close, "<|return|>"))
		return false;
	on = strlen(d->answer_open);
	return t->answer.p >= t->full.p + on &&
	       !memcmp(t->answer.p - on, d->answer_open, on) &&
	       t->answer.p + t->answer.n == t->full.p + t->full.n;
}

/* A trace from a text with tags; with no marker the text is the answer
 * of a message, or the reasoning of a bare text field, unless
 * --untagged says otherwise. */
static cot__trace *tagged_trace(ctx *c, const char *format, cot__text s,
				bool message)
{
	cot__trace *t = new_trace(c, format);
	bool as_answer = message;

	if (!t)
		return NULL;
	if (c->cfg->untagged == COT_UNTAGGED_THINK)
		as_answer = false;
	else if (c->cfg->untagged == COT_UNTAGGED_ANSWER)
		as_answer = true;
	cot__trace_from_text(t, format, s.p ? s.p : "", s.n, as_answer);
	return t;
}

static cot__trace *structured_trace(ctx *c, const char *format,
				    const joiner *r, const joiner *ans)
{
	cot__trace *t = new_trace(c, format);

	if (!t)
		return NULL;
	t->reasoning = joined(r);
	t->answer = joined(ans);
	if (!t->reasoning.p)
		t->reasoning.p = "";
	if (!t->answer.p)
		t->answer.p = "";
	t->tagged = t->closed = t->structured = true;
	t->think_blocks = r->pieces;
	return t;
}

/* ---- metadata ------------------------------------------------------ */

typedef struct meta_keys {
	size_t field;		/* offsetof in cot__trace, or SIZE_MAX */
	const char *const keys[10];
} meta_keys;

/* Where records keep what they say about a trace. A value that is an
 * array is read at the trace's position (OpenR1's parallel arrays). */
static const meta_keys meta_table[] = {
	{ offsetof(cot__trace, finish_reason),
	  { "finish_reason", "finishReason", "stop_reason", "stopReason",
	    "done_reason", "finish_reasons", NULL } },
	{ offsetof(cot__trace, model),
	  { "model", "modelVersion", "model_name", NULL } },
	{ offsetof(cot__trace, ref),
	  { "ground_truth", "gt", "reference_answer", "reference",
	    "gold_answer", "gold", "target", "answer", NULL } },
	{ offsetof(cot__trace, prompt),
	  { "prompt", "problem", "question", "instruction", NULL } },
};

static const char *const label_keys[] = {
	"is_correct", "correct", "correctness", "correctness_math_verify",
	"score", NULL
};

/* A scalar as text: a string decoded, a number as written. */
static cot__text scalar_text(ctx *c, uint32_t v)
{
	cot__text s = { NULL, 0 };

	if (kind(c, v) == COT_J_STR)
		return str(c, v);
	if (kind(c, v) == COT_J_NUM) {
		s.p = c->d->src + c->d->tok[v].off;
		s.n = c->d->tok[v].end - c->d->tok[v].off;
	}
	return s;
}

static uint32_t at_position(ctx *c, uint32_t v, long pos)
{
	return is_arr(c, v) ? cot__json_at(c->d, v, pos) : v;
}

static void fill_meta(ctx *c, cot__trace *t, long pos)
{
	for (size_t m = 0; m < sizeof meta_table / sizeof *meta_table; m++) {
		cot__text *dst = (cot__text *)((char *)t +
					       meta_table[m].field);

		if (dst->p)
			continue;
		for (int o = c->nmeta - 1; o >= 0 && !dst->p; o--)
			for (const char *const *k = meta_table[m].keys;
			     *k && !dst->p; k++) {
				uint32_t v = get(c, c->meta[o], *k,
						 strlen(*k));

				*dst = scalar_text(c, at_position(c, v, pos));
				if (dst->p && dst->n == 0)
					dst->p = NULL;
			}
	}
	for (int o = c->nmeta - 1; o >= 0 && t->label < 0; o--)
		for (const char *const *k = label_keys; *k; k++) {
			uint32_t v = get(c, c->meta[o], *k, strlen(*k));
			int kd = kind(c, at_position(c, v, pos));

			if (kd == COT_J_TRUE || kd == COT_J_FALSE) {
				t->label = kd == COT_J_TRUE;
				break;
			}
		}
}

static void push_meta(ctx *c, uint32_t obj)
{
	if (c->nmeta < 6 && is_obj(c, obj))
		c->meta[c->nmeta++] = obj;
}

static void pop_meta(ctx *c, int to)
{
	c->nmeta = to;
}

/* ---- content blocks ------------------------------------------------ */

/* What one assistant turn holds, as its pieces are read. */
typedef struct turn {
	joiner r, ans;
	uint32_t redacted;	/* redacted or encrypted reasoning blocks */
	uint32_t tools;		/* tool calls */
} turn;

/* Is a block of this type a tool call (Anthropic tool_use, its server
 * and MCP forms; Responses function_call, web_search_call, ...)? */
static bool is_tool_type(const ctx *c, uint32_t type)
{
	const cot__jtok *k;
	size_t n;

	if (kind(c, type) != COT_J_STR)
		return false;
	k = &c->d->tok[type];
	n = k->end - k->off;
	return str_is(c, type, "tool_use") ||
	       str_is(c, type, "server_tool_use") ||
	       str_is(c, type, "mcp_tool_use") ||
	       (n > 7 && memcmp(c->d->src + k->end - 6, "_call\"", 6) == 0);
}

/* One reader for the block lists of Anthropic, Cohere, Mistral, Bedrock
 * Converse, Gemini parts and Responses message content: thinking blocks
 * go to the reasoning, text blocks to the answer, redacted or encrypted
 * blocks and tool calls are counted. */
static void read_blocks(ctx *c, uint32_t arr, turn *tn)
{
	FOR_EACH(c, arr, e) {
		uint32_t type, v;

		if (kind(c, e) == COT_J_STR) {
			join(c, &tn->ans, str(c, e), "");
			continue;
		}
		if (!is_obj(c, e))
			continue;
		type = get(c, e, KEY("type"));
		if (str_is(c, type, "thinking") ||
		    str_is(c, type, "reasoning_text")) {
			v = get(c, e, KEY("thinking"));
			if (v == COT_J_NONE)
				v = get(c, e, KEY("text"));
			if (is_arr(c, v)) {	/* Mistral: chunks */
				joiner chunk = { 0 };

				FOR_EACH(c, v, ch)
					join(c, &chunk, str(c, get(c, ch,
						KEY("text"))), "");
				join(c, &tn->r, joined(&chunk), "\n\n");
			} else {
				join(c, &tn->r, str(c, v), "\n\n");
			}
		} else if (str_is(c, type, "redacted_thinking")) {
			tn->redacted++;
		} else if (str_is(c, type, "reasoning")) {	/* Inspect */
			if (kind(c, get(c, e, KEY("redacted"))) == COT_J_TRUE)
				tn->redacted++;
			else
				join(c, &tn->r, str(c, get(c, e,
						KEY("reasoning"))), "\n\n");
		} else if (str_is(c, type, "text") ||
			   str_is(c, type, "output_text")) {
			join(c, &tn->ans, str(c, get(c, e, KEY("text"))), "");
		} else if (is_tool_type(c, type) ||
			   get(c, e, KEY("toolUse")) != COT_J_NONE ||
			   get(c, e, KEY("functionCall")) != COT_J_NONE) {
			tn->tools++;	/* Bedrock toolUse, Gemini functionCall */
		} else if ((v = get(c, e, KEY("reasoningContent"))) !=
			   COT_J_NONE) {	/* Bedrock */
			uint32_t rt = get(c, v, KEY("reasoningText"));

			if (rt != COT_J_NONE)
				join(c, &tn->r, str(c, get(c, rt,
							  KEY("text"))),
				     "\n\n");
			else
				tn->redacted++;
		} else if (type == COT_J_NONE &&
			   kind(c, get(c, e, KEY("thought"))) == COT_J_TRUE) {
			join(c, &tn->r, str(c, get(c, e, KEY("text"))),
			     "\n\n");
		} else if (type == COT_J_NONE) {	/* Gemini, Bedrock */
			join(c, &tn->ans, str(c, get(c, e, KEY("text"))), "");
		}
	}
}

/* Only white space (or nothing)? */
static bool blank(cot__text s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] != ' ' && s.p[i] != '\n' && s.p[i] != '\r' &&
		    s.p[i] != '\t')
			return false;
	return true;
}

/* The trace of a turn: from its structured reasoning, else its text
 * split by tags. A turn that holds tool calls and nothing else (no
 * reasoning, not even redacted, and no text) is no trace: it is
 * counted in tool_only (README "Tool calls"). */
static cot__trace *turn_trace(ctx *c, const char *format, const turn *tn)
{
	cot__trace *t;

	if (tn->tools && !tn->r.pieces && !tn->redacted &&
	    blank(joined(&tn->ans))) {
		c->out->tool_only++;
		return NULL;
	}
	if (tn->r.pieces)
		t = structured_trace(c, format, &tn->r, &tn->ans);
	else
		t = tagged_trace(c, format, joined(&tn->ans), true);
	if (t)
		t->redacted = tn->redacted;
	return t;
}

/* The structured reasoning fields of a message, in order of preference:
 * DeepSeek/SGLang, vLLM/OpenRouter/Groq, Ollama. */
static const char *const reasoning_keys[] = {
	"reasoning_content", "reasoning", "thinking", NULL
};

/* Where a message keeps its text: chat messages "content"; a flat
 * Ollama /api/generate record "response" next to "thinking". */
static const char *const answer_keys[] = { "content", "response", NULL };

static uint32_t first_key(const ctx *c, uint32_t o, const char *const *k)
{
	for (; *k; k++) {
		uint32_t v = get(c, o, *k, strlen(*k));

		if (v != COT_J_NONE)
			return v;
	}
	return COT_J_NONE;
}

/* A message object: reasoning from its structured fields or thinking
 * blocks; else its text split by tags. Only assistant (or model)
 * messages hold traces. */
static void read_message(ctx *c, uint32_t msg, const char *format, long pos)
{
	turn tn = { 0 };
	uint32_t role = get(c, msg, KEY("role")), content, details;
	cot__trace *t;
	int saved = c->nmeta;

	if (role != COT_J_NONE && !str_is(c, role, "assistant") &&
	    !str_is(c, role, "model"))
		return;
	for (const char *const *k = reasoning_keys; *k && !tn.r.pieces; k++) {
		uint32_t v = get(c, msg, *k, strlen(*k));

		if (nonempty(c, v))
			join(c, &tn.r, str(c, v), "\n\n");
	}
	/* OpenRouter keeps the same reasoning in "reasoning" and in
	 * reasoning_details: read the details only when the string is
	 * missing, but count encrypted details either way (an o-series
	 * model sends a summary and the encrypted reasoning). */
	details = get(c, msg, KEY("reasoning_details"));
	if (is_arr(c, details)) {
		bool read = !tn.r.pieces;

		FOR_EACH(c, details, e) {
			uint32_t type = get(c, e, KEY("type"));

			if (str_is(c, type, "reasoning.encrypted"))
				tn.redacted++;
			else if (!read)
				continue;
			else if (str_is(c, type, "reasoning.text"))
				join(c, &tn.r, str(c, get(c, e, KEY("text"))),
				     "\n\n");
			else if (str_is(c, type, "reasoning.summary"))
				join(c, &tn.r, str(c, get(c, e,
						KEY("summary"))), "\n\n");
		}
	}
	/* OpenAI, Mistral, Cohere, Inspect: calls beside the content */
	if (is_arr(c, get(c, msg, KEY("tool_calls"))))
		tn.tools += c->d->tok[get(c, msg, KEY("tool_calls"))].count;
	content = first_key(c, msg, answer_keys);
	if (is_arr(c, content))
		read_blocks(c, content, &tn);
	else
		join(c, &tn.ans, str(c, content), "");
	push_meta(c, msg);
	t = turn_trace(c, format, &tn);
	if (t)
		fill_meta(c, t, pos);
	pop_meta(c, saved);
}

/* ---- shapes -------------------------------------------------------- */

/* Chat completions (choices[i].message, or .delta in a stream chunk),
 * also the legacy completions of vLLM and SGLang (choices[i].text: the
 * raw output, a bare text). */
static bool is_chat_completion(ctx *c, uint32_t o)
{
	uint32_t ch = get(c, o, KEY("choices"));
	uint32_t first = cot__json_at(c->d, ch, 0);

	return is_obj(c, get(c, first, KEY("message"))) ||
	       is_obj(c, get(c, first, KEY("delta"))) ||
	       kind(c, get(c, first, KEY("text"))) == COT_J_STR;
}

static void chat_completion(ctx *c, uint32_t o)
{
	FOR_EACH(c, get(c, o, KEY("choices")), ch) {
		uint32_t msg = get(c, ch, KEY("message"));
		uint32_t text = get(c, ch, KEY("text"));
		int saved = c->nmeta;

		if (!is_obj(c, msg))
			msg = get(c, ch, KEY("delta"));
		push_meta(c, ch);
		if (is_obj(c, msg)) {
			read_message(c, msg, "openai-chat", 0);
		} else if (kind(c, text) == COT_J_STR) {
			cot__trace *t = tagged_trace(c, "openai-chat",
						     str(c, text), false);

			if (t)
				fill_meta(c, t, 0);
		}
		pop_meta(c, saved);
	}
}

static bool is_responses(ctx *c, uint32_t o)
{
	uint32_t out = get(c, o, KEY("output"));

	if (!is_arr(c, out))
		return false;
	FOR_EACH(c, out, e) {
		uint32_t type = get(c, e, KEY("type"));

		if (str_is(c, type, "reasoning") ||
		    str_is(c, type, "message") || is_tool_type(c, type))
			return true;
	}
	return false;
}

static void responses(ctx *c, uint32_t o)
{
	turn tn = { 0 };
	cot__trace *t;
	uint32_t inc;

	FOR_EACH(c, get(c, o, KEY("output")), e) {
		uint32_t type = get(c, e, KEY("type"));

		if (str_is(c, type, "reasoning")) {
			uint32_t sum = get(c, e, KEY("summary"));
			uint32_t before = tn.r.pieces;

			FOR_EACH(c, sum, s)
				join(c, &tn.r, str(c, get(c, s, KEY("text"))),
				     "\n\n");
			if (is_arr(c, get(c, e, KEY("content"))))
				read_blocks(c, get(c, e, KEY("content")), &tn);
			if (tn.r.pieces == before &&
			    get(c, e, KEY("encrypted_content")) != COT_J_NONE)
				tn.redacted++;
		} else if (str_is(c, type, "message")) {
			read_blocks(c, get(c, e, KEY("content")), &tn);
		} else if (is_tool_type(c, type)) {
			tn.tools++;
		}
	}
	/* with no readable reasoning the message text is split by tags,
	 * as for any message */
	t = turn_trace(c, "openai-responses", &tn);
	if (!t)
		return;
	inc = get(c, get(c, o, KEY("incomplete_details")), KEY("reason"));
	t->finish_reason = scalar_text(c, nonempty(c, inc) ? inc :
				       get(c, o, KEY("status")));
	fill_meta(c, t, 0);
}

static bool is_blocks_message(ctx *c, uint32_t o)
{
	uint32_t content = get(c, o, KEY("content"));
	uint32_t first = cot__json_at(c->d, content, 0);

	return is_obj(c, first) &&
	       (get(c, first, KEY("type")) != COT_J_NONE) &&
	       (get(c, o, KEY("role")) != COT_J_NONE ||
		str_is(c, get(c, o, KEY("type")), "message"));
}

static void anthropic(ctx *c, uint32_t o)
{
	read_message(c, o, "anthropic", 0);
}

static bool is_gemini(ctx *c, uint32_t o)
{
	uint32_t first = cot__json_at(c->d, get(c, o, KEY("candidates")), 0);

	return is_obj(c, get(c, first, KEY("content")));
}

static void gemini(ctx *c, uint32_t o)
{
	FOR_EACH(c, get(c, o, KEY("candidates")), cand) {
		turn tn = { 0 };
		uint32_t content = get(c, cand, KEY("content"));
		uint32_t parts = get(c, content, KEY("parts"));
		uint32_t role = get(c, content, KEY("role"));
		int saved = c->nmeta;
		cot__trace *t;

		if (role != COT_J_NONE && !str_is(c, role, "model") &&
		    !str_is(c, role, "assistant"))
			continue;
		read_blocks(c, parts, &tn);
		push_meta(c, cand);
		t = turn_trace(c, "gemini", &tn);
		if (t)
			fill_meta(c, t, 0);
		pop_meta(c, saved);
	}
}

static bool is_bedrock(ctx *c, uint32_t o)
{
	uint32_t msg = get(c, get(c, o, KEY("output")), KEY("message"));

	return is_arr(c, get(c, msg, KEY("content")));
}

static void bedrock(ctx *c, uint32_t o)
{
	read_message(c, get(c, get(c, o, KEY("output")), KEY("message")),
		     "bedrock", 0);
}

/* A bare message, flat (Ollama: thinking + content at top level), or
 * wrapped as "message" (Ollama /api/chat, Cohere, Claude Code). */
static bool is_message(ctx *c, uint32_t o)
{
	uint32_t m = get(c, o, KEY("message"));

	if (is_obj(c, m) && get(c, m, KEY("content")) != COT_J_NONE)
		return true;
	if (get(c, o, KEY("content")) != COT_J_NONE &&
	    get(c, o, KEY("role")) != COT_J_NONE)
		return true;
	if (first_key(c, o, answer_keys) == COT_J_NONE)
		return false;
	/* flat: a reasoning field beside the text; null or a string (a
	 * Responses object's "reasoning" is an object of settings) */
	for (const char *const *k = reasoning_keys; *k; k++) {
		int kd = kind(c, get(c, o, *k, strlen(*k)));

		if (kd == COT_J_STR || kd == COT_J_NULL)
			return true;
	}
	return false;
}

static void message(ctx *c, uint32_t o)
{
	uint32_t m = get(c, o, KEY("message"));

	if (is_obj(c, m) && get(c, m, KEY("content")) != COT_J_NONE)
		read_message(c, m, "message", 0);
	else
		read_message(c, o, "message", 0);
}

/* Inspect AI eval logs: a sample (a line of an export, or an element of
 * a log's "samples") holds the model's output as a chat completion
 * whose messages have content blocks; its "target" is the reference. A
 * whole log is read sample by sample. */
static bool is_inspect_sample(ctx *c, uint32_t o)
{
	uint32_t out = get(c, o, KEY("output"));
	uint32_t first = cot__json_at(c->d, get(c, out, KEY("choices")), 0);

	return is_obj(c, get(c, first, KEY("message"))) &&
	       get(c, o, KEY("target")) != COT_J_NONE;
}

static void inspect_sample(ctx *c, uint32_t o)
{
	uint32_t out = get(c, o, KEY("output"));
	int saved = c->nmeta;

	push_meta(c, o);
	push_meta(c, out);
	FOR_EACH(c, get(c, out, KEY("choices")), ch) {
		int outer = c->nmeta;

		push_meta(c, ch);
		read_message(c, get(c, ch, KEY("message")), "inspect", 0);
		pop_meta(c, outer);
	}
	pop_meta(c, saved);
}

static bool is_inspect_log(ctx *c, uint32_t o)
{
	return is_arr(c, get(c, o, KEY("samples"))) &&
	       is_obj(c, get(c, o, KEY("eval")));
}

static void inspect_log(ctx *c, uint32_t o)
{
	uint32_t eval = get(c, o, KEY("eval"));
	int saved = c->nmeta;

	push_meta(c, eval);	/* the model under evaluation */
	FOR_EACH(c, get(c, o, KEY("samples")), smp)
		if (is_obj(c, smp) && is_inspect_sample(c, smp))
			inspect_sample(c, smp);
	pop_meta(c, saved);
}

static bool is_openr1(ctx *c, uint32_t o)
{
	uint32_t g = get(c, o, KEY("generations"));

	return kind(c, cot__json_at(c->d, g, 0)) == COT_J_STR;
}

static void openr1(ctx *c, uint32_t o)
{
	long pos = 0;

	FOR_EACH(c, get(c, o, KEY("generations")), g) {
		cot__trace *t = tagged_trace(c, "openr1", str(c, g), false);

		if (t)
			fill_meta(c, t, pos);
		pos++;
	}
}

/* SkyThought evals: responses keyed by temperature, each with content
 * and its own correctness. */
static bool is_skythought(ctx *c, uint32_t o)
{
	uint32_t rs = get(c, o, KEY("responses"));
	uint32_t first = cot__json_first(c->d, rs);

	return is_obj(c, rs) && first != COT_J_NONE &&
	       kind(c, get(c, first + 1, KEY("content"))) == COT_J_STR;
}

static void skythought(ctx *c, uint32_t o)
{
	uint32_t rs = get(c, o, KEY("responses"));

	for (uint32_t k = cot__json_first(c->d, rs);
	     k != COT_J_NONE && k < c->d->tok[rs].next;
	     k = c->d->tok[k + 1].next) {
		int saved = c->nmeta;
		cot__trace *t = tagged_trace(c, "skythought",
			str(c, get(c, k + 1, KEY("content"))), false);

		push_meta(c, k + 1);
		if (t)
			fill_meta(c, t, 0);
		pop_meta(c, saved);
	}
}

/* Who speaks for the model in a conversation: chat "role", ShareGPT
 * "from" (classic ShareGPT says "gpt", OpenThoughts "assistant"). */
static const char *const chat_roles[] = { "assistant", "model", NULL };
static const char *const sharegpt_froms[] = {
	"gpt", "assistant", "model", NULL
};

/* The last element of list whose key is one of who[]. A conversation
 * without one is only a prompt, and the record may keep the output
 * elsewhere (an eval log with "messages" and "response"), so such a
 * record is not of this shape. */
static uint32_t last_by(ctx *c, uint32_t list, const char *key, size_t n,
			const char *const *who)
{
	uint32_t last = COT_J_NONE;

	if (!is_arr(c, list))
		return COT_J_NONE;
	FOR_EACH(c, list, e) {
		uint32_t v = get(c, e, key, n);

		for (const char *const *w = who; *w; w++)
			if (str_is(c, v, *w))
				last = e;
	}
	return last;
}

static bool is_chat(ctx *c, uint32_t o)
{
	return last_by(c, get(c, o, KEY("messages")), KEY("role"),
		       chat_roles) != COT_J_NONE;
}

static void chat(ctx *c, uint32_t o)
{
	read_message(c, last_by(c, get(c, o, KEY("messages")), KEY("role"),
				chat_roles), "chat", 0);
}

static bool is_sharegpt(ctx *c, uint32_t o)
{
	return last_by(c, get(c, o, KEY("conversations")), KEY("from"),
		       sharegpt_froms) != COT_J_NONE;
}

static void sharegpt(ctx *c, uint32_t o)
{
	uint32_t last = last_by(c, get(c, o, KEY("conversations")),
				KEY("from"), sharegpt_froms);
	cot__trace *t = tagged_trace(c, "sharegpt",
				     str(c, get(c, last, KEY("value"))), true);

	if (t)
		fill_meta(c, t, 0);
}

/* A record with one long text field (the `text` shape), in this order. */
static const char *const text_fields[] = {
	"response", "output", "completion", "generation", "text",
	"full_response", "generated_text", "model_output", "output_text",
	"prediction", "code", NULL
};

static uint32_t text_field(ctx *c, uint32_t o)
{
	for (const char *const *k = text_fields; *k; k++) {
		uint32_t v = get(c, o, *k, strlen(*k));

		if (is_arr(c, v))	/* code[0] in Qwen2.5-Math evals */
			v = cot__json_at(c->d, v, 0);
		if (nonempty(c, v))
			return v;
	}
	return COT_J_NONE;
}

static bool is_text(ctx *c, uint32_t o)
{
	return text_field(c, o) != COT_J_NONE;
}

static void text(ctx *c, uint32_t o)
{
	cot__trace *t = tagged_trace(c, "text", str(c, text_field(c, o)),
				     false);

	if (t)
		fill_meta(c, t, 0);
}

typedef struct shape {
	const char *name;
	bool (*is)(ctx *c, uint32_t obj);
	void (*extract)(ctx *c, uint32_t obj);
} shape;

/* Dataset rows that keep reasoning and answer in named columns, one
 * trace per pair present, in this order. s1K's thinking_trajectories is
 * a list joined with "\n", as s1's own tokenization joins it. */
static const struct column_pair {
	const char *reasoning, *answer;
} column_pairs[] = {
	{ "thinking_trajectories", "attempt" },			/* s1K */
	{ "deepseek_thinking_trajectory", "deepseek_attempt" },	/* s1K-1.1 */
	{ "gemini_thinking_trajectory", "gemini_attempt" },	/* s1K-1.1 */
	{ "deepseek_reasoning", "deepseek_solution" },	/* OpenThoughts */
};

static bool is_columns(ctx *c, uint32_t o)
{
	for (size_t i = 0; i < sizeof column_pairs / sizeof *column_pairs;
	     i++) {
		int k = kind(c, get(c, o, column_pairs[i].reasoning,
				    strlen(column_pairs[i].reasoning)));

		if (k == COT_J_STR || k == COT_J_ARR)
			return true;
	}
	return false;
}

static void columns(ctx *c, uint32_t o)
{
	for (size_t i = 0; i < sizeof column_pairs / sizeof *column_pairs;
	     i++) {
		const struct column_pair *p = &column_pairs[i];
		uint32_t rv = get(c, o, p->reasoning, strlen(p->reasoning));
		joiner r = { 0 }, ans = { 0 };
		cot__trace *t;

		if (kind(c, rv) == COT_J_ARR) {
			FOR_EACH(c, rv, e)
				join(c, &r, str(c, e), "\n");
		} else if (kind(c, rv) == COT_J_STR) {
			join(c, &r, str(c, rv), "");
		} else {
			continue;
		}
		join(c, &ans, str(c, get(c, o, p->answer,
					 strlen(p->answer))), "");
		t = structured_trace(c, "columns", &r, &ans);
		if (t) {
			t->think_blocks = r.pieces ? 1 : 0;
			fill_meta(c, t, 0);
		}
	}
}

static const shape shapes[] = {
	{ "inspect", is_inspect_sample, inspect_sample },
	{ "inspect", is_inspect_log, inspect_log },
	{ "openai-chat", is_chat_completion, chat_completion },
	{ "openai-responses", is_responses, responses },
	{ "anthropic", is_blocks_message, anthropic },
	{ "gemini", is_gemini, gemini },
	{ "bedrock", is_bedrock, bedrock },
	{ "message", is_message, message },
	{ "openr1", is_openr1, openr1 },
	{ "skythought", is_skythought, skythought },
	{ "chat", is_chat, chat },
	{ "sharegpt", is_sharegpt, sharegpt },
	{ "columns", is_columns, columns },
	{ "text", is_text, text },
};

static bool try_shapes(ctx *c, uint32_t o)
{
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
		if (shapes[i].is(c, o)) {
			shapes[i].extract(c, o);
			return true;
		}
	return false;
}

/* Envelopes around a response, tried in this order before the record
 * itself. A recorder may keep a body as text: a JSON body (the
 * pydantic-ai cassettes hold some Bedrock responses that way), or a
 * streamed response, its Server-Sent Events or Amazon event stream,
 * which is read as the response it stands for (stream.c). */
typedef struct wrapper {
	const char *key;
	const char *sub;	/* NULL: the value of key itself */
	bool text;		/* a string holding a body */
} wrapper;

static const wrapper wrappers[] = {
	{ "response", "body", false },	/* OpenAI Batch output */
	{ "response", NULL, false },	/* Gemini Batch, Vertex output */
	{ "response_body", NULL, false },	/* recorded HTTP exchange */
	{ "response_body", NULL, true },
	{ "response_text", NULL, true },
	{ "result", "message", false },	/* Anthropic Message Batches */
};

/* Does string token t hold a JSON object? Looks at the raw bytes only,
 * so that a long event stream is not decoded for nothing. */
static bool looks_like_object(const ctx *c, uint32_t t)
{
	const char *p = c->d->src + c->d->tok[t].off + 1;
	const char *end = c->d->src + c->d->tok[t].end - 1;

	while (p < end) {
		if (*p == ' ')
			p++;
		else if (*p == '\\' && end - p > 1 &&
			 (p[1] == 'n' || p[1] == 'r' || p[1] == 't'))
			p += 2;
		else
			break;
	}
	return p < end && *p == '{';
}

static bool adapt_object(ctx *c, uint32_t o);

/* Find the traces of the JSON object text j[0..n). Its tokens live only
 * for this call; the texts the traces keep are in j (which the caller
 * keeps in the arena) or the arena, so they outlive it. Only one level:
 * the inner record is not searched for more bodies. */
static bool adapt_json(ctx *c, const char *j, size_t n)
{
	cot__jdoc sub;
	ctx in;
	bool found = false;
	int rc;

	cot__jdoc_init(&sub);
	rc = cot__json_parse(&sub, j, n, NULL);
	if (rc == COT_ENOMEM) {
		c->rc = COT_ENOMEM;
	} else if (rc == COT_OK && sub.tok[0].kind == COT_J_OBJ) {
		in = *c;
		in.d = &sub;
		in.nmeta = 0;	/* the envelope is in another document */
		in.nested = 1;
		found = adapt_object(&in, 0);
		if (in.rc)
			c->rc = in.rc;
	}
	cot__jdoc_dispose(&sub);
	return found;
}

/* A body kept as string token t: a JSON object, or a stream. */
static bool adapt_body(ctx *c, uint32_t t)
{
	const cot__jtok *k = &c->d->tok[t];
	bool object;
	cot__text s;
	const char *j;
	size_t n;

	if (c->nested || kind(c, t) != COT_J_STR)
		return false;
	object = looks_like_object(c, t);
	if (!object && !cot__stream_maybe(c->d->src + k->off + 1,
					  k->end - k->off - 2))
		return false;
	s = str(c, t);
	if (!s.p)
		return false;
	if (object)
		return adapt_json(c, s.p, s.n);
	if (cot__stream_response(s.p, s.n, c->a, &j, &n)) {
		c->rc = COT_ENOMEM;
		return false;
	}
	return j && adapt_json(c, j, n);
}

static bool adapt_object(ctx *c, uint32_t o)
{
	int saved = c->nmeta;
	bool found = false;

	push_meta(c, o);
	for (size_t i = 0; i < sizeof wrappers / sizeof *wrappers && !found;
	     i++) {
		const wrapper *w = &wrappers[i];
		uint32_t v = get(c, o, w->key, strlen(w->key));

		if (w->sub)
			v = get(c, v, w->sub, strlen(w->sub));
		if (w->text) {
			found = adapt_body(c, v);
		} else if (is_obj(c, v)) {
			int outer = c->nmeta;

			push_meta(c, v);	/* asked before the envelope */
			found = try_shapes(c, v);
			pop_meta(c, outer);
		}
	}
	if (!found)
		found = try_shapes(c, o);
	pop_meta(c, saved);
	return found;
}

/* An eval dump keyed by problem: an object with no shape whose values
 * are all objects holds the traces of its values, in order. */
static void keyed(ctx *c, uint32_t o)
{
	uint32_t first = cot__json_first(c->d, o);

	if (first == COT_J_NONE)
		return;
	for (uint32_t k = first; k != COT_J_NONE && k < c->d->tok[o].next;
	     k = c->d->tok[k + 1].next)
		if (!is_obj(c, k + 1))
			return;
	for (uint32_t k = first; k != COT_J_NONE && k < c->d->tok[o].next;
	     k = c->d->tok[k + 1].next)
		adapt_object(c, k + 1);
}

/* ---- --field, --answer-field, --ref-field -------------------------- */

typedef struct collect {
	ctx *c;
	uint32_t *v;
	size_t n, cap;
} collect;

static int collect_tok(void *p, uint32_t tok)
{
	collect *col = p;
	uint32_t *v = cot__arena_grow(col->c->a, col->v, col->n, &col->cap,
				      sizeof *v);

	if (!v) {
		col->c->rc = COT_ENOMEM;
		return 1;
	}
	col->v = v;
	col->v[col->n++] = tok;
	return 0;
}

static collect eval_path(ctx *c, const cot__path *p, uint32_t root)
{
	collect col = { c, NULL, 0, 0 };

	cot__path_eval(p, c->d, root, collect_tok, &col);
	return col;
}

/* The match of a path for trace i: the i-th when it fans out, else the
 * only one. */
static uint32_t match_for(const collect *col, size_t i)
{
	if (col->n == 0)
		return COT_J_NONE;
	return col->n == 1 ? col->v[0] : i < col->n ? col->v[i] : COT_J_NONE;
}

static void by_field(ctx *c, uint32_t root)
{
	collect f = eval_path(c, c->cfg->field, root);
	collect a = { c, NULL, 0, 0 };

	/* the record's own metadata still applies; a [*] fan-out reads
	 * parallel arrays (finish_reasons[i]) at the trace's position */
	push_meta(c, root);
	if (c->cfg->answer_field)
		a = eval_path(c, c->cfg->answer_field, root);
	for (size_t i = 0; i < f.n; i++) {
		cot__trace *t;

		if (kind(c, f.v[i]) != COT_J_STR)
			continue;
		if (c->cfg->answer_field) {
			joiner r = { 0 }, ans = { 0 };

			join(c, &r, str(c, f.v[i]), "");
			join(c, &ans, scalar_text(c, match_for(&a, i)), "");
			t = structured_trace(c, "field", &r, &ans);
		} else {
			t = tagged_trace(c, "field", str(c, f.v[i]), false);
		}
		if (t)
			fill_meta(c, t, (long)i);
	}
}

static void override(ctx *c, uint32_t root)
{
	const cot__adapt_cfg *cfg = c->cfg;

	if (cfg->answer_field && !cfg->field) {
		collect a = eval_path(c, cfg->answer_field, root);

		for (size_t i = 0; i < c->out->n; i++) {
			cot__text s = scalar_text(c, match_for(&a, i));

			c->out->v[i].answer.p = s.p ? s.p : "";
			c->out->v[i].answer.n = s.n;
		}
	}
	if (cfg->ref_field) {
		collect r = eval_path(c, cfg->ref_field, root);

		for (size_t i = 0; i < c->out->n; i++) {
			cot__text s = scalar_text(c, match_for(&r, i));

			/* an empty reference is no reference, as in
			 * fill_meta */
			c->out->v[i].ref = s.n ? s : (cot__text){ NULL, 0 };
		}
	}
}

/* One record: an object, or a string whose whole text is one trace. */
static void adapt_record(ctx *c, uint32_t r)
{
	if (kind(c, r) == COT_J_STR)
		tagged_trace(c, "string", str(c, r), false);
	else if (is_obj(c, r) && !adapt_object(c, r))
		keyed(c, r);
}

int cot__adapt(const cot__adapt_cfg *cfg, const cot__jdoc *d, uint32_t root,
	       cot__arena *a, cot__traces *out)
{
	ctx c = { cfg, d, a, out, { 0 }, 0, 0, COT_OK };

	out->v = NULL;
	out->n = out->cap = 0;
	out->tool_only = 0;
	if (cfg->field) {
		by_field(&c, root);
	} else if (is_arr(&c, root)) {
		/* a list of records handed over whole (the reader splits
		 * arrays itself; cot_analyze_json does not): the traces of
		 * its elements, in order */
		FOR_EACH(&c, root, e)
			adapt_record(&c, e);
	} else {
		adapt_record(&c, root);
	}
	if (c.rc == COT_OK)
		override(&c, root);
	return c.rc;
}

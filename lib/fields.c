/* fields.c - the one registry of profile fields, and their JSON output. */
#include <string.h>

#include "profile.h"

/* Every profile field is a row here: its name, type, unit, exact
 * definition and how to read it. The JSON profile, --where names, stats
 * columns, `cotlog fields` and the docs all come from this table, so a
 * field is added once and appears everywhere. Dotted names nest in JSON
 * ("think.words" is "think":{"words":...}); rows sharing a prefix must
 * stand together. */

static void set_int(cot_value *v, uint64_t i)
{
	v->type = COT_TYPE_INT;
	v->i = (int64_t)i;
}

static void set_bool(cot_value *v, bool b)
{
	v->type = COT_TYPE_BOOL;
	v->b = b;
}

static void set_text(cot_value *v, const char *s, size_t n)
{
	if (!s) {
		v->type = COT_TYPE_NULL;
		return;
	}
	v->type = COT_TYPE_STRING;
	v->s = s;
	v->len = n;
}

#define GET(name, body) \
	static void get_##name(const cot__profile *p, cot_value *v) \
	{ \
		body; \
	}

GET(format, set_text(v, p->tr->format, strlen(p->tr->format)))
GET(index, set_int(v, p->index))
GET(tagged, set_bool(v, p->tr->tagged))
GET(closed, set_bool(v, p->tr->closed))
GET(dialect, p->tr->dialect < 0 ? set_text(v, NULL, 0) :
	set_text(v, cot__dialects[p->tr->dialect].name,
		 strlen(cot__dialects[p->tr->dialect].name)))
GET(prefilled, set_bool(v, p->tr->prefilled))
GET(think_blocks, set_int(v, p->tr->think_blocks))
GET(redacted, set_int(v, p->tr->redacted))
GET(preamble_bytes, set_int(v, p->tr->preamble))
GET(think_bytes, set_int(v, p->think.bytes))
GET(think_chars, set_int(v, p->think.chars))
GET(think_words, set_int(v, p->think.words))
GET(answer_bytes, set_int(v, p->answer.bytes))
GET(answer_chars, set_int(v, p->answer.chars))
GET(answer_words, set_int(v, p->answer.words))
GET(steps, set_int(v, p->think.steps))
GET(answer_extracted, set_text(v, p->has_boxed ? p->boxed.p : NULL,
			       p->boxed.n))
GET(finish_reason, set_text(v, p->tr->finish_reason.p,
			    p->tr->finish_reason.n))
GET(model, set_text(v, p->tr->model.p, p->tr->model.n))
GET(ref, set_text(v, p->tr->ref.p, p->tr->ref.n))
GET(label, if (p->tr->label < 0) v->type = COT_TYPE_NULL;
	else set_bool(v, p->tr->label))

#define ROW(name, fn, type, unit, doc) \
	{ { name, COT_TYPE_##type, unit, doc }, get_##fn }

const cot__field cot__fields[] = {
	ROW("format", format, STRING, "",
	    "the record shape (adapter) the trace was found by: openai-chat, "
	    "openai-responses, anthropic, gemini, bedrock, message, openr1, "
	    "skythought, chat, sharegpt, columns, text, string, field"),
	ROW("index", index, INT, "",
	    "trace index within the record, from 0"),
	ROW("tagged", tagged, BOOL, "",
	    "a dialect marker was found, or the reasoning came from a "
	    "structured field"),
	ROW("closed", closed, BOOL, "",
	    "the reasoning ended by a close marker, or came from a "
	    "structured field"),
	ROW("dialect", dialect, STRING, "",
	    "the tag dialect found in the text (think, thought, im_think, "
	    "mistral, kimi, seed, harmony); null when the reasoning came "
	    "from a structured field or no marker was found"),
	ROW("prefilled", prefilled, BOOL, "",
	    "the text has a close marker with no open marker before it "
	    "(the chat template prefilled the open marker)"),
	ROW("think_blocks", think_blocks, INT, "blocks",
	    "reasoning blocks: for tags, 1 + open markers after the first "
	    "block (their text stays in the answer); for structured "
	    "fields, the pieces joined; 0 when untagged"),
	ROW("redacted", redacted, INT, "blocks",
	    "redacted or encrypted reasoning blocks, counted, not read "
	    "(Anthropic redacted_thinking, OpenRouter reasoning.encrypted, "
	    "Responses encrypted_content without summary, Bedrock "
	    "redactedContent)"),
	ROW("preamble.bytes", preamble_bytes, INT, "bytes",
	    "bytes before the first open marker (a logged prompt or chat "
	    "template); neither reasoning nor answer"),
	ROW("think.bytes", think_bytes, INT, "bytes",
	    "UTF-8 bytes of the reasoning text"),
	ROW("think.chars", think_chars, INT, "chars",
	    "Unicode code points of the reasoning text"),
	ROW("think.words", think_words, INT, "words",
	    "maximal runs of non-White_Space characters in the reasoning "
	    "(White_Space: U+0009-000D, U+0020, U+0085, U+00A0, U+1680, "
	    "U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000)"),
	ROW("answer.bytes", answer_bytes, INT, "bytes",
	    "UTF-8 bytes of the answer text"),
	ROW("answer.chars", answer_chars, INT, "chars",
	    "Unicode code points of the answer text"),
	ROW("answer.words", answer_words, INT, "words",
	    "maximal runs of non-White_Space characters in the answer"),
	ROW("steps", steps, INT, "paragraphs",
	    "paragraphs of the reasoning: maximal runs of LF-separated "
	    "lines that hold a non-White_Space character; 0 when empty"),
	ROW("answer_extracted", answer_extracted, STRING, "",
	    "content of the last-starting \\boxed{...} or \\fbox{...} "
	    "(white space allowed before '{') whose braces balance, in the "
	    "answer, else in the reasoning; unchanged; null when none"),
	ROW("finish_reason", finish_reason, STRING, "",
	    "why generation stopped, as the record says (finish_reason, "
	    "finishReason, stop_reason, stopReason, done_reason, "
	    "finish_reasons[i], Responses incomplete_details.reason or "
	    "status); null when not said"),
	ROW("model", model, STRING, "",
	    "the model named by the record (model, modelVersion, "
	    "model_name); null when not said"),
	ROW("ref", ref, STRING, "",
	    "reference answer from the record (ground_truth, gt, "
	    "reference_answer, reference, gold_answer, gold, target, "
	    "answer; or --ref-field), a number as written; null when none"),
	ROW("label", label, BOOL, "",
	    "the record's own correctness label (is_correct, correct, "
	    "correctness, correctness_math_verify[i], score); null when "
	    "none"),
};

const size_t cot__nfields = sizeof cot__fields / sizeof *cot__fields;

size_t cot_field_count(void)
{
	return cot__nfields;
}

const cot_field_info *cot_field_at(size_t i)
{
	return i < cot__nfields ? &cot__fields[i].info : NULL;
}

long cot_field_find(const char *name)
{
	for (size_t i = 0; i < cot__nfields; i++)
		if (!strcmp(cot__fields[i].info.name, name))
			return (long)i;
	return -1;
}

int cot__json_escape(cot__sbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	if (cot__sbuf_reserve(b, n + 2))
		return COT_ENOMEM;
	b->ptr[b->size++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (cot__sbuf_add(b, s + run, i - run))
			return COT_ENOMEM;
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if (cot__sbuf_add(b, esc, elen))
			return COT_ENOMEM;
	}
	if (cot__sbuf_add(b, s + run, n - run) || cot__sbuf_addc(b, '"'))
		return COT_ENOMEM;
	return COT_OK;
}

/* Length of the dotted prefix shared by two names, in whole components
 * ("think.words" and "think.bytes" share "think."). */
static size_t shared_prefix(const char *a, const char *b)
{
	size_t i = 0, last = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '.')
			last = i + 1;
		i++;
	}
	return last;
}

static int write_value(cot__sbuf *b, const cot_value *v)
{
	switch (v->type) {
	case COT_TYPE_NULL:
		return cot__sbuf_add(b, "null", 4);
	case COT_TYPE_BOOL:
		return v->b ? cot__sbuf_add(b, "true", 4) :
			      cot__sbuf_add(b, "false", 5);
	case COT_TYPE_INT:
		return cot__sbuf_addf(b, "%lld", (long long)v->i);
	case COT_TYPE_REAL:
		return cot__sbuf_addf(b, "%.17g", v->r);
	case COT_TYPE_STRING:
		return cot__json_escape(b, v->s, v->len);
	}
	return COT_ERROR;
}

int cot__profile_json(const cot__profile *p, cot__sbuf *b)
{
	const char *prev = "";
	int rc = cot__sbuf_addc(b, '{');

	for (size_t i = 0; i < cot__nfields && !rc; i++) {
		const char *name = cot__fields[i].info.name;
		size_t keep = shared_prefix(prev, name);
		cot_value v;

		/* close the objects of prev that name does not share */
		for (const char *q = prev + keep; *q && !rc; q++)
			if (*q == '.')
				rc = cot__sbuf_addc(b, '}');
		if (i > 0)
			rc = rc ? rc : cot__sbuf_addc(b, ',');
		/* open the objects of name that prev did not have */
		for (const char *q = name + keep, *dot;
		     !rc && (dot = strchr(q, '.')); q = dot + 1) {
			rc = cot__json_escape(b, q, (size_t)(dot - q));
			rc = rc ? rc : cot__sbuf_add(b, ":{", 2);
		}
		if (rc)
			break;
		{
			const char *leaf = strrchr(name, '.');

			leaf = leaf ? leaf + 1 : name;
			rc = cot__json_escape(b, leaf, strlen(leaf));
		}
		rc = rc ? rc : cot__sbuf_addc(b, ':');
		cot__fields[i].get(p, &v);
		rc = rc ? rc : write_value(b, &v);
		prev = name;
	}
	for (const char *q = prev; *q && !rc; q++)
		if (*q == '.')
			rc = cot__sbuf_addc(b, '}');
	return rc ? rc : cot__sbuf_addc(b, '}');
}

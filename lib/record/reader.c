/* reader.c - cut an input into units (lines, document pieces) of records. */
#include <string.h>

#include "source/input.h"
#include "record/json.h"
#include "record/unit.h"

/* The reader turns lines into records: the input (input.c) gives
 * lines; the reader decides per file whether they are JSON Lines or one
 * multi-line document (README "Input", Container), and yields units
 * that, one after another, are the input byte for byte, so annotate can
 * write it back and filter can write records as they came. */

enum mode {
	MODE_DETECT,	/* before the first non-blank line of the file */
	MODE_LINES,	/* JSON Lines */
	MODE_DOC,	/* values spread over lines, framed by a lexer */
};

struct cot_unit {
	cot_unit_kind kind;
	char *owned;		/* a clone's own copy of the bytes */
	const char *bytes;	/* without the final line end */
	size_t len;
	const char *eol;	/* "", "\n" or "\r\n" */
	uint64_t line, last_line;
	cot_error error;	/* COT_UNIT_MALFORMED */
	cot__jdoc doc;		/* the tape of the parsed value(s) */
	size_t doc_off;		/* doc.src == bytes + doc_off */
	size_t nrec, caprec;
	cot_record_span *rec;
	uint32_t *rec_tok;	/* tape index of each record */
};

/* The structural lexer of document mode: it only tracks strings and
 * depth, enough to find where values and array elements end, so a
 * pretty-printed array of a million records streams one element at a
 * time. Validation is the scanner's job, on each element. */
typedef struct lexer {
	size_t pos;		/* next byte of buf to look at */
	int depth;		/* 0 = between top-level values */
	bool in_str, esc;
	bool top_array;		/* the current top-level value is [ ... ] */
	bool in_elem;		/* inside an element of the top array */
	bool elem_scalar;	/* that element is not a container */
	bool need_elem;		/* after ',': an element must follow */
	bool any_elem;		/* the top array has had an element */
	bool done;		/* top-level value closed on this line */
	bool value;		/* a value started since the last cut */
	size_t elem_start;	/* offset in buf of the element */
	uint64_t elem_line;
	uint64_t line;		/* line of buf[pos] */
} lexer;

struct cot_reader {
	cot__input *in;
	const char *name;
	enum mode mode;
	cot_unit unit;
	cot__sbuf buf;		/* document mode: bytes not yet emitted */
	size_t start;		/* first byte of buf not yet emitted */
	uint64_t start_line;
	lexer lx;
	bool eof;		/* the input has no more lines */
	bool skipping;		/* after a document error: pass bytes on */
};

static int reader_new(cot_reader **out, cot__input *in, cot_error *err)
{
	cot_reader *r = cot__calloc(1, sizeof *r);

	if (!r) {
		cot__input_free(in);
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	}
	r->in = in;
	r->name = cot__input_name(in);
	cot__jdoc_init(&r->unit.doc);
	*out = r;
	return COT_OK;
}

int cot_reader_open_path(cot_reader **out, const char *path, cot_error *err)
{
	cot__input *in;
	int rc;

	*out = NULL;
	rc = cot__input_open_path(&in, path, err);
	return rc ? rc : reader_new(out, in, err);
}

int cot_reader_open_mem(cot_reader **out, const void *data, size_t len,
			const char *name, cot_error *err)
{
	cot__input *in;
	int rc;

	*out = NULL;
	rc = cot__input_open_mem(&in, data, len, name ? name : "<memory>",
				 err);
	return rc ? rc : reader_new(out, in, err);
}

void cot_reader_free(cot_reader *r)
{
	if (!r)
		return;
	cot__input_free(r->in);
	cot__jdoc_dispose(&r->unit.doc);
	cot__free(r->unit.rec);
	cot__free(r->unit.rec_tok);
	cot__sbuf_dispose(&r->buf);
	cot__free(r);
}

const char *cot_reader_name(const cot_reader *r)
{
	return r->name;
}

uint64_t cot_reader_consumed(const cot_reader *r)
{
	return cot__input_consumed(r->in);
}

uint64_t cot_reader_total(const cot_reader *r)
{
	return cot__input_total(r->in);
}

int cot_reader_had_bom(const cot_reader *r)
{
	return cot__input_had_bom(r->in);
}

static const char *const eol_text[] = { "", "\n", "\r\n", "" };

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

static int add_record(cot_unit *u, uint32_t tok, cot_error *err)
{
	const cot__jtok *t = &u->doc.tok[tok];
	cot_record_span *s;

	if (u->nrec == u->caprec) {
		size_t cap = u->caprec ? u->caprec * 2 : 8;
		cot_record_span *rec = cot__realloc(u->rec, cap * sizeof *rec);
		uint32_t *rt;

		if (!rec)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		u->rec = rec;
		rt = cot__realloc(u->rec_tok, cap * sizeof *rt);
		if (!rt)
			return cot__error_set(err, COT_ENOMEM, 0, 0,
					      "out of memory");
		u->rec_tok = rt;
		u->caprec = cap;
	}
	s = &u->rec[u->nrec];
	u->rec_tok[u->nrec++] = tok;
	s->off = u->doc_off + t->off;
	s->len = t->end - t->off;
	s->close = t->kind == COT_J_OBJ ? u->doc_off + t->end - 1 : SIZE_MAX;
	s->empty_object = t->kind == COT_J_OBJ && t->count == 0;
	s->line = u->line;
	s->whole_unit = 0;
	return COT_OK;
}

/* The records of a parsed value (README "Input", Values): an array's elements,
 * else the value itself. */
static int collect_records(cot_unit *u, cot_error *err)
{
	const cot__jdoc *d = &u->doc;
	int rc;

	u->nrec = 0;
	if (d->tok[0].kind != COT_J_ARR)
		return add_record(u, 0, err);
	for (uint32_t c = cot__json_first(d, 0); c != COT_J_NONE &&
	     c < d->tok[0].next; c = d->tok[c].next)
		if ((rc = add_record(u, c, err)))
			return rc;
	return COT_OK;
}

/* Turn the 1-based byte position of an error inside text that starts
 * at line `line` into a line and a column. */
static void locate(const char *text, size_t pos, uint64_t line,
		   uint64_t *oline, uint64_t *ocol)
{
	size_t bol = 0;

	for (size_t i = 0; i + 1 < pos; i++)
		if (text[i] == '\n') {
			line++;
			bol = i + 1;
		}
	*oline = line;
	*ocol = pos - bol;
}

/* ---- JSON Lines ---------------------------------------------------- */

static int lines_unit(cot_reader *r, const cot__line *ln, cot_error *err)
{
	cot_unit *u = &r->unit;
	cot_error perr;
	int rc;

	u->bytes = ln->ptr;
	u->len = ln->len;
	u->eol = eol_text[ln->eol];
	u->line = u->last_line = ln->lineno;
	u->nrec = 0;
	u->doc_off = 0;
	if (ln->eol == COT_EOL_CUT) {	/* whatever it holds */
		u->kind = COT_UNIT_MALFORMED;
		cot__error_set(&u->error, COT_EIO, ln->lineno, 0,
			       "line cut short where the input is damaged "
			       "(%zu bytes of it decoded)", ln->len);
		return COT_OK;
	}
	if (is_blank(ln->ptr, ln->len)) {
		u->kind = COT_UNIT_BLANK;
		return COT_OK;
	}
	rc = cot__json_parse(&u->doc, ln->ptr, ln->len, &perr);
	if (rc == COT_ENOMEM)
		return cot__error_set(err, rc, ln->lineno, 0,
				      "%s:%llu: out of memory", r->name,
				      (unsigned long long)ln->lineno);
	if (rc) {
		u->kind = COT_UNIT_MALFORMED;
		u->error = perr;
		u->error.line = ln->lineno;
		return COT_OK;
	}
	u->kind = COT_UNIT_RECORDS;
	if ((rc = collect_records(u, err)))
		return rc;
	if (u->nrec == 1 && u->doc.tok[0].kind != COT_J_ARR)
		u->rec[0].whole_unit = 1;
	for (size_t i = 0; i < u->nrec; i++)
		u->rec[i].line = ln->lineno;
	return COT_OK;
}

/* ---- Documents ----------------------------------------------------- */

static int doc_error(cot_reader *r, uint64_t line, cot_error *err,
		     const char *what)
{
	return cot__error_set(err, COT_EPARSE, line, 0,
			      "%s:%llu: %s; the rest of the file is skipped",
			      r->name, (unsigned long long)line, what);
}

/* Run the lexer over buf from lx.pos to the end. Returns 1 when a unit
 * is ready to cut at *cut (one past its last byte), 0 when more input is
 * needed, or a negative error. */
static int lex(cot_reader *r, size_t *cut, cot_error *err)
{
	lexer *lx = &r->lx;
	const char *b = r->buf.ptr;
	size_t n = r->buf.size;

	while (lx->pos < n) {
		char c = b[lx->pos];

		if (lx->in_str) {
			if (lx->esc)
				lx->esc = false;
			else if (c == '\\')
				lx->esc = true;
			else if (c == '"')
				lx->in_str = false;
			else if (c == '\n')
				return doc_error(r, lx->line, err,
					"line break inside a string");
			lx->pos++;
			if (lx->in_str)
				continue;
			if (lx->depth == 0) {
				lx->done = true;	/* a top-level string */
			} else if (lx->in_elem && lx->elem_scalar &&
				   lx->depth == 1) {
				lx->in_elem = false;
				*cut = lx->pos;
				return 1;
			}
			continue;
		}
		if (c == '\n')
			lx->line++;
		if (lx->done) {
			/* after the top-level value only white space may
			 * follow on its line */
			if (c == '\n') {
				lx->pos++;
				*cut = lx->pos;
				return 1;
			}
			if (c != ' ' && c != '\t' && c != '\r')
				return doc_error(r, lx->line, err,
					"unexpected bytes after the value");
			lx->pos++;
			continue;
		}
		/* an array element that is a bare number or literal ends at
		 * the first byte that cannot belong to it */
		if (lx->in_elem && lx->elem_scalar && lx->depth == 1 &&
		    (c == ',' || c == ']' || c == ' ' || c == '\t' ||
		     c == '\r' || c == '\n')) {
			lx->in_elem = false;
			*cut = lx->pos;
			return 1;
		}
		if (lx->depth == 1 && lx->top_array && !lx->in_elem &&
		    !is_ws(c) && c != ',' && c != ']' && c != '}') {
			if (lx->any_elem && !lx->need_elem)
				return doc_error(r, lx->line, err,
					"missing ',' between array elements");
			lx->in_elem = true;
			lx->elem_scalar = c != '{' && c != '[';
			lx->elem_start = lx->pos;
			lx->elem_line = lx->line;
			lx->need_elem = false;
			lx->any_elem = true;
			lx->value = true;
		} else if (lx->depth == 0 && !is_ws(c)) {
			lx->top_array = c == '[';
			lx->elem_start = lx->pos;
			lx->elem_line = lx->line;
			lx->value = true;
		}
		switch (c) {
		case '\n':
			if (lx->depth == 0) {
				/* white space between values: cut at each
				 * line end so blank lines cost no memory */
				lx->pos++;
				*cut = lx->pos;
				return 1;
			}
			break;
		case ' ': case '\t': case '\r':
			break;
		case '"':
		case '{':
		case '[':
			if (c == '"') {
				lx->in_str = true;
			} else if (++lx->depth > COT_J_MAX_DEPTH) {
				return doc_error(r, lx->line, err,
					"nesting deeper than 2048");
			}
			break;
		case '}':
		case ']':
			if (lx->depth == 0)
				return doc_error(r, lx->line, err,
					"unexpected closing bracket");
			if (lx->depth == 1 && lx->top_array && c == '}')
				return doc_error(r, lx->line, err,
					"'}' where the array needs ']'");
			if (lx->depth == 1 && lx->top_array && lx->need_elem)
				return doc_error(r, lx->line, err,
					"trailing comma in the array");
			lx->depth--;
			if (lx->depth == 1 && lx->in_elem) {
				lx->in_elem = false;
				lx->pos++;
				*cut = lx->pos;
				return 1;
			}
			if (lx->depth == 0) {
				/* the unit goes on to the end of this line */
				lx->done = true;
				lx->pos++;
				continue;
			}
			break;
		case ',':
			if (lx->depth == 1 && lx->top_array) {
				if (!lx->any_elem || lx->need_elem)
					return doc_error(r, lx->line, err,
						"unexpected ',' in the array");
				lx->need_elem = true;
			}
			break;
		default:
			if (lx->depth == 0) {
				/* a bare number or literal as a whole value:
				 * the scanner will judge it */
				lx->done = true;
				while (lx->pos < n && !is_ws(b[lx->pos]))
					lx->pos++;
				continue;
			}
			break;
		}
		lx->pos++;
	}
	return 0;
}

static void lexer_reset(lexer *lx, uint64_t line, size_t pos)
{
	memset(lx, 0, sizeof *lx);
	lx->line = line;
	lx->pos = pos;
}

/* Does the first non-blank line of a file open a value that goes on to
 * the next lines? Then the file is one document. A line that is
 * complete, or not JSON at all, makes the file JSON Lines. */
static bool opens_document(const char *p, size_t n)
{
	int depth = 0;
	bool in_str = false, esc = false, started = false;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (!started) {
			if (is_ws(c))
				continue;
			if (c != '{' && c != '[')
				return false;
			started = true;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth <= 0)
			return false;
	}
	return started && !in_str && depth > 0;
}

static void unit_clear(cot_unit *u, cot_unit_kind kind)
{
	u->kind = kind;
	u->nrec = 0;
	u->doc_off = 0;
	u->eol = "";
}

/* Emit buf[start..cut) as a unit; parse the value it completes. */
static int doc_emit(cot_reader *r, size_t cut, cot_error *err)
{
	cot_unit *u = &r->unit;
	lexer *lx = &r->lx;
	bool value = lx->value;
	size_t elem_start = lx->elem_start;
	uint64_t elem_line = lx->elem_line;
	int rc;

	unit_clear(u, value ? COT_UNIT_RECORDS : COT_UNIT_BLANK);
	u->bytes = r->buf.ptr + r->start;
	u->len = cut - r->start;
	u->line = r->start_line;
	u->last_line = cut > r->start && r->buf.ptr[cut - 1] == '\n' ?
		       lx->line - 1 : lx->line;
	r->start = cut;
	r->start_line = lx->line;
	lx->value = false;
	if (lx->done) {
		bool array = lx->top_array;

		lexer_reset(lx, lx->line, lx->pos);
		if (array)	/* the closing bracket: no record in it */
			return COT_OK;
	}
	if (!value)
		return COT_OK;
	/* the element or value: from its first byte to the cut */
	u->doc_off = elem_start - (size_t)(u->bytes - r->buf.ptr);
	rc = cot__json_parse(&u->doc, u->bytes + u->doc_off,
			     u->len - u->doc_off, err);
	if (rc == COT_EPARSE) {
		uint64_t line, col;

		locate(u->bytes + u->doc_off, err->column, elem_line,
		       &line, &col);
		cot__error_set(err, COT_EPARSE, line, col,
			       "%s:%llu: %s; the rest of the file is skipped",
			       r->name, (unsigned long long)line,
			       err->message);
		/* hand the unparsed unit back as skipped bytes */
		r->start -= u->len;
		r->start_line = u->line;
		return COT_EPARSE;
	}
	if (rc)
		return rc;
	if ((rc = add_record(u, 0, err)))
		return rc;
	u->rec[0].line = elem_line;
	return COT_OK;
}

/* After a document error the rest of the file is passed on unread, as
 * skipped units, so a writer can copy it through and nothing is lost. */
static int skip_next(cot_reader *r, cot_error *err)
{
	cot_unit *u = &r->unit;
	cot__line ln;
	int rc;

	if (r->start < r->buf.size) {
		unit_clear(u, COT_UNIT_SKIPPED);
		u->bytes = r->buf.ptr + r->start;
		u->len = r->buf.size - r->start;
		u->line = r->start_line;
		u->last_line = r->lx.line;
		r->start = r->buf.size;
		return COT_OK;
	}
	rc = cot__input_next(r->in, &ln, err);
	if (rc)
		return rc;
	unit_clear(u, COT_UNIT_SKIPPED);
	u->bytes = ln.ptr;
	u->len = ln.len;
	u->eol = eol_text[ln.eol];
	u->line = u->last_line = ln.lineno;
	return COT_OK;
}

static int doc_append(cot_reader *r, const cot__line *ln)
{
	lexer *lx = &r->lx;
	int rc;

	/* drop emitted bytes once they are most of the buffer */
	if (r->start > 0 && r->start >= r->buf.size / 2) {
		size_t keep = r->buf.size - r->start;

		memmove(r->buf.ptr, r->buf.ptr + r->start, keep);
		r->buf.size = keep;
		lx->pos -= r->start;
		lx->elem_start -= lx->elem_start >= r->start ? r->start : 0;
		r->start = 0;
	}
	if ((rc = cot__sbuf_add(&r->buf, ln->ptr, ln->len)))
		return rc;
	return cot__sbuf_add(&r->buf, eol_text[ln->eol],
			     strlen(eol_text[ln->eol]));
}

static int doc_next(cot_reader *r, cot_error *err)
{
	for (;;) {
		cot__line ln;
		size_t cut = 0;
		int rc = lex(r, &cut, err);

		if (rc < 0) {
			r->skipping = true;
			return rc;
		}
		if (rc == 1)
			return doc_emit(r, cut, err);
		if (r->eof) {
			lexer *lx = &r->lx;

			if (lx->depth > 0 || lx->in_str) {
				r->skipping = true;
				return doc_error(r, lx->line, err,
					"the document ends inside a value");
			}
			if (r->start == r->buf.size)
				return COT_DONE;
			lx->done = lx->done || lx->value;
			return doc_emit(r, r->buf.size, err);
		}
		rc = cot__input_next(r->in, &ln, err);
		if (rc == COT_DONE) {
			r->eof = true;
			continue;
		}
		if (rc)
			return rc;
		if ((rc = doc_append(r, &ln)))
			return cot__error_set(err, rc, ln.lineno, 0,
					      "%s:%llu: out of memory",
					      r->name,
					      (unsigned long long)ln.lineno);
	}
}

int cot_reader_next(const cot_unit **unit, cot_reader *r, cot_error *err)
{
	cot__line ln;
	int rc;

	*unit = &r->unit;
	if (r->skipping)
		return skip_next(r, err);
	if (r->mode == MODE_DOC) {
		rc = doc_next(r, err);
		if (rc == COT_EPARSE)	/* skip the rest of the file */
			r->skipping = true;
		return rc;
	}
	rc = cot__input_next(r->in, &ln, err);
	if (rc)
		return rc;
	if (r->mode == MODE_DETECT && !is_blank(ln.ptr, ln.len)) {
		if (!opens_document(ln.ptr, ln.len)) {
			r->mode = MODE_LINES;
		} else {
			r->mode = MODE_DOC;
			lexer_reset(&r->lx, ln.lineno, 0);
			r->start_line = ln.lineno;
			if ((rc = doc_append(r, &ln)))
				return cot__error_set(err, rc, ln.lineno, 0,
						      "out of memory");
			return cot_reader_next(unit, r, err);
		}
	}
	return lines_unit(r, &ln, err);
}

cot_unit_kind cot_unit_kind_of(const cot_unit *u)
{
	return u->kind;
}

const char *cot_unit_bytes(const cot_unit *u, size_t *len)
{
	*len = u->len;
	return u->bytes;
}

const char *cot_unit_eol(const cot_unit *u)
{
	return u->eol;
}

uint64_t cot_unit_line(const cot_unit *u)
{
	return u->line;
}

uint64_t cot_unit_last_line(const cot_unit *u)
{
	return u->last_line;
}

const cot_error *cot_unit_error(const cot_unit *u)
{
	return &u->error;
}

size_t cot_unit_records(const cot_unit *u)
{
	return u->kind == COT_UNIT_RECORDS ? u->nrec : 0;
}

int cot_unit_record(cot_record_span *out, const cot_unit *u, size_t i,
		    cot_error *err)
{
	if (i >= cot_unit_records(u)) {
		memset(out, 0, sizeof *out);
		return cot__error_set(err, COT_EINVAL, 0, 0,
				      "no record %zu in this unit", i);
	}
	*out = u->rec[i];
	return COT_OK;
}

/* For the analyzer: the tape and token of record i. */
const cot__jdoc *cot__unit_doc(const cot_unit *u, size_t i, uint32_t *tok)
{
	*tok = u->rec_tok[i];
	return &u->doc;
}

/* A clone owns one block: the struct, then the records, their tokens,
 * the tape and the bytes, so that moving a unit to another thread costs
 * one allocation and one free. */
int cot_unit_clone(cot_unit **out, const cot_unit *u, cot_error *err)
{
	size_t ntok = u->kind == COT_UNIT_RECORDS ? u->doc.ntok : 0;
	size_t sz_rec = u->nrec * sizeof *u->rec;
	size_t sz_rt = u->nrec * sizeof *u->rec_tok;
	size_t sz_tok = ntok * sizeof *u->doc.tok;
	size_t total = sizeof *u + sz_rec + sz_tok + sz_rt + u->len + 1;
	cot_unit *c;
	char *p;

	*out = NULL;
	c = cot__malloc(total);
	if (!c)
		return cot__error_set(err, COT_ENOMEM, 0, 0, "out of memory");
	*c = *u;
	p = (char *)(c + 1);
	/* records and tokens first: they need 8-byte alignment */
	/* (memcpy from NULL is undefined even for 0 bytes) */
	c->rec = (cot_record_span *)(void *)p;
	if (sz_rec)
		memcpy(c->rec, u->rec, sz_rec);
	p += sz_rec;
	c->doc.tok = (cot__jtok *)(void *)p;
	if (sz_tok)
		memcpy(c->doc.tok, u->doc.tok, sz_tok);
	p += sz_tok;
	c->rec_tok = (uint32_t *)(void *)p;
	if (sz_rt)
		memcpy(c->rec_tok, u->rec_tok, sz_rt);
	p += sz_rt;
	memcpy(p, u->bytes, u->len);
	p[u->len] = '\0';
	c->bytes = c->owned = p;
	c->caprec = u->nrec;
	c->doc.cap = (uint32_t)ntok;
	c->doc.ntok = (uint32_t)ntok;
	if (ntok)
		c->doc.src = c->bytes + u->doc_off;
	*out = c;
	return COT_OK;
}

void cot_unit_free(cot_unit *u)
{
	cot__free(u);
}

/* test_reader.c - units and records: JSON Lines, arrays, documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/internal.h"

/* Everything a reader yields for one input, flattened for checks. */
typedef struct seen {
	char *concat;		/* units' bytes + eol, concatenated */
	size_t concat_len;
	int kinds[256];
	uint64_t lines[256];
	size_t nunits;
	char *records[256];	/* each record's bytes (NUL-terminated) */
	uint64_t rec_lines[256];
	int rec_close_ok[256];	/* bytes[close] == '}' for objects */
	size_t nrec;
	int stream_rc;		/* first stream error, COT_OK if none */
	uint64_t err_line;
} seen;

static void seen_free(seen *s)
{
	free(s->concat);
	for (size_t i = 0; i < s->nrec; i++)
		free(s->records[i]);
}

static void append(seen *s, const char *p, size_t n)
{
	s->concat = realloc(s->concat, s->concat_len + n + 1);
	assert_non_null(s->concat);
	memcpy(s->concat + s->concat_len, p, n);
	s->concat_len += n;
	s->concat[s->concat_len] = '\0';
}

static void read_all(const char *input, size_t len, seen *s)
{
	cot_reader *r;
	const cot_unit *u;
	cot_error err;
	int rc;

	memset(s, 0, sizeof *s);
	append(s, "", 0);
	assert_int_equal(cot_reader_open_mem(&r, input, len, "t", &err),
			 COT_OK);
	while ((rc = cot_reader_next(&u, r, &err)) != COT_DONE) {
		size_t n;
		const char *b;

		if (rc != COT_OK) {
			if (s->stream_rc == COT_OK) {
				s->stream_rc = rc;
				s->err_line = err.line;
			}
			if (rc != COT_EPARSE)
				break;
			continue;
		}
		b = cot_unit_bytes(u, &n);
		assert_true(s->nunits < 256);
		s->kinds[s->nunits] = cot_unit_kind_of(u);
		s->lines[s->nunits++] = cot_unit_line(u);
		append(s, b, n);
		append(s, cot_unit_eol(u), strlen(cot_unit_eol(u)));
		for (size_t i = 0; i < cot_unit_records(u); i++) {
			cot_record_span sp;

			assert_int_equal(cot_unit_record(&sp, u, i, NULL),
					 COT_OK);
			assert_true(sp.off + sp.len <= n);
			s->records[s->nrec] = strndup(b + sp.off, sp.len);
			s->rec_lines[s->nrec] = sp.line;
			s->rec_close_ok[s->nrec] = sp.close == SIZE_MAX ||
				(sp.close < n && b[sp.close] == '}' &&
				 sp.close == sp.off + sp.len - 1);
			s->nrec++;
		}
	}
	cot_reader_free(r);
}

#define READ(s, lit) read_all(lit, sizeof(lit) - 1, s)

static void assert_roundtrip(const seen *s, const char *input)
{
	assert_int_equal(s->concat_len, strlen(input));
	assert_memory_equal(s->concat, input, s->concat_len);
}

static void test_reader_jsonl_units_and_records(void **state)
{
	static const char in[] =
		"{\"a\":1}\n"
		"\n"
		"  \t\r\n"
		"[{\"b\":2},{\"c\":3},\"s\",4]\r\n"
		"{\"bad\":}\n"
		"\"just a string\"\n"
		"{}";
	seen s;

	(void)state;
	READ(&s, in);
	assert_int_equal(s.stream_rc, COT_OK);
	assert_roundtrip(&s, in);
	assert_int_equal(s.nunits, 7);
	assert_int_equal(s.kinds[0], COT_UNIT_RECORDS);
	assert_int_equal(s.kinds[1], COT_UNIT_BLANK);
	assert_int_equal(s.kinds[2], COT_UNIT_BLANK);
	assert_int_equal(s.kinds[3], COT_UNIT_RECORDS);
	assert_int_equal(s.kinds[4], COT_UNIT_MALFORMED);
	assert_int_equal(s.lines[4], 5);
	assert_int_equal(s.lines[6], 7);
	/* the array's elements are the records */
	assert_int_equal(s.nrec, 7);
	assert_string_equal(s.records[0], "{\"a\":1}");
	assert_string_equal(s.records[1], "{\"b\":2}");
	assert_string_equal(s.records[2], "{\"c\":3}");
	assert_string_equal(s.records[3], "\"s\"");
	assert_string_equal(s.records[4], "4");
	assert_string_equal(s.records[5], "\"just a string\"");
	assert_string_equal(s.records[6], "{}");
	assert_int_equal(s.rec_lines[1], 4);
	for (size_t i = 0; i < s.nrec; i++)
		assert_true(s.rec_close_ok[i]);
	seen_free(&s);
}

static void test_reader_malformed_line_reports_column(void **state)
{
	static const char in[] = "{\"a\":1}\n{\"a\": NaN}\n";
	cot_reader *r;
	const cot_unit *u;
	cot_error err;

	(void)state;
	assert_int_equal(cot_reader_open_mem(&r, in, sizeof in - 1, "x.jsonl",
					     &err), COT_OK);
	assert_int_equal(cot_reader_next(&u, r, &err), COT_OK);
	assert_int_equal(cot_reader_next(&u, r, &err), COT_OK);
	assert_int_equal(cot_unit_kind_of(u), COT_UNIT_MALFORMED);
	assert_int_equal(cot_unit_error(u)->line, 2);
	assert_int_equal(cot_unit_error(u)->column, 7);
	assert_int_equal(cot_unit_records(u), 0);
	assert_int_equal(cot_reader_next(&u, r, &err), COT_DONE);
	cot_reader_free(r);
}

static void test_reader_document_array_streams_elements(void **state)
{
	static const char in[] =
		"[\n"
		"  {\n"
		"    \"a\": 1,\n"
		"    \"t\": \"x\\ny\"\n"
		"  },\n"
		"  {\"b\": [1, 2, {\"c\": \"]}\"}]}, {\"d\": 4},\n"
		"  \"str\",\n"
		"  12.5e3 ,\n"
		"  true\n"
		"]\n"
		"\n";
	seen s;

	(void)state;
	READ(&s, in);
	assert_int_equal(s.stream_rc, COT_OK);
	assert_roundtrip(&s, in);
	assert_int_equal(s.nrec, 6);
	assert_string_equal(s.records[0],
		"{\n    \"a\": 1,\n    \"t\": \"x\\ny\"\n  }");
	assert_string_equal(s.records[1],
			    "{\"b\": [1, 2, {\"c\": \"]}\"}]}");
	assert_string_equal(s.records[2], "{\"d\": 4}");
	assert_string_equal(s.records[3], "\"str\"");
	assert_string_equal(s.records[4], "12.5e3");
	assert_string_equal(s.records[5], "true");
	assert_int_equal(s.rec_lines[0], 2);
	assert_int_equal(s.rec_lines[1], 6);
	assert_int_equal(s.rec_lines[2], 6);
	assert_int_equal(s.rec_lines[5], 9);
	for (size_t i = 0; i < s.nrec; i++)
		assert_true(s.rec_close_ok[i]);
	seen_free(&s);
}

static void test_reader_document_object_is_one_record(void **state)
{
	static const char in[] =
		"{\n"
		"  \"problem one\": {\"x\": 1},\n"
		"  \"problem two\": {\"y\": [\n"
		"     2]}\n"
		"}   \n";
	seen s;

	(void)state;
	READ(&s, in);
	assert_int_equal(s.stream_rc, COT_OK);
	assert_roundtrip(&s, in);
	assert_int_equal(s.nrec, 1);
	assert_int_equal(s.rec_lines[0], 1);
	assert_true(s.rec_close_ok[0]);
	assert_int_equal(strlen(s.records[0]), sizeof in - 1 - 4);
	seen_free(&s);
}

static void test_reader_documents_in_sequence(void **state)
{
	/* jq's pretty output of several values */
	static const char in[] =
		"{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}\n[\n  {\"c\": 3}\n]";
	seen s;

	(void)state;
	READ(&s, in);
	assert_int_equal(s.stream_rc, COT_OK);
	assert_roundtrip(&s, in);
	assert_int_equal(s.nrec, 3);
	assert_string_equal(s.records[0], "{\n  \"a\": 1\n}");
	assert_string_equal(s.records[1], "{\n  \"b\": 2\n}");
	assert_string_equal(s.records[2], "{\"c\": 3}");
	assert_int_equal(s.rec_lines[1], 4);
	assert_int_equal(s.rec_lines[2], 8);
	seen_free(&s);
}

/* A syntax error ends the document: the records before it are
 * delivered, the error names its line, and the rest of the file still
 * comes back as skipped bytes. */
static void check_doc_error(const char *in, size_t nrec, uint64_t line)
{
	seen s;

	read_all(in, strlen(in), &s);
	assert_int_equal(s.stream_rc, COT_EPARSE);
	assert_int_equal(s.nrec, nrec);
	assert_int_equal(s.err_line, line);
	assert_roundtrip(&s, in);
	seen_free(&s);
}

static void test_reader_document_errors_keep_bytes(void **state)
{
	(void)state;
	check_doc_error("[\n {\"a\":1},\n {\"b\":2},\n]\nmore\n", 2, 4);
	check_doc_error("[\n {\"a\":1}\n {\"b\":2}\n]\n", 1, 3);
	check_doc_error("[\n {\"a\":1},\n {\"b\":\n", 1, 4);
	check_doc_error("[\n {\"a\":1},\n {\"b\": NaN}\n]\n", 1, 3);
	check_doc_error("{\n \"a\": 1\n} x\n", 0, 3);
	check_doc_error("[\n {\"a\":1},\n ,{\"b\":2}\n]\n", 1, 3);
	check_doc_error("[\n {\"a\": \"x\ny\"}\n]\n", 0, 2);
	check_doc_error("[\n {\"a\":1}\n]]\n", 1, 3);
	/* found by fuzzing: '}' cannot close the top array; a file cut
	 * right after an element is a truncated document */
	check_doc_error("[\n}\n", 0, 2);
	check_doc_error("[\n1,}\n", 1, 2);
	check_doc_error("[\n{\"a\":1},}\n", 1, 2);
	check_doc_error("[\n{\"a\":1}", 1, 2);
	check_doc_error("[\n\"abc\"", 1, 2);
}

static void test_reader_first_line_decides_container(void **state)
{
	seen s;

	(void)state;
	/* a complete first line: JSON Lines, so the pretty value later is
	 * malformed line by line */
	READ(&s, "{\"a\":1}\n{\n\"b\":2\n}\n");
	assert_int_equal(s.stream_rc, COT_OK);
	assert_int_equal(s.nrec, 1);
	assert_int_equal(s.kinds[1], COT_UNIT_MALFORMED);
	assert_int_equal(s.kinds[2], COT_UNIT_MALFORMED);
	seen_free(&s);
	/* a first line that is not JSON at all: JSON Lines too */
	READ(&s, "hello [\n{\"a\":1}\n");
	assert_int_equal(s.kinds[0], COT_UNIT_MALFORMED);
	assert_int_equal(s.nrec, 1);
	seen_free(&s);
	/* blank lines before a document */
	READ(&s, "\n  \n[\n{\"a\":1}\n]\n");
	assert_int_equal(s.stream_rc, COT_OK);
	assert_int_equal(s.nrec, 1);
	assert_int_equal(s.rec_lines[0], 4);
	assert_roundtrip(&s, "\n  \n[\n{\"a\":1}\n]\n");
	seen_free(&s);
}

static void test_reader_crlf_document(void **state)
{
	static const char in[] = "[\r\n  {\"a\": 1},\r\n  {\"b\": 2}\r\n]\r\n";
	seen s;

	(void)state;
	READ(&s, in);
	assert_int_equal(s.stream_rc, COT_OK);
	assert_roundtrip(&s, in);
	assert_int_equal(s.nrec, 2);
	assert_int_equal(s.rec_lines[1], 3);
	seen_free(&s);
}

static void test_reader_bom_is_reported(void **state)
{
	static const char in[] = "\xEF\xBB\xBF{\"a\":1}\n";
	cot_reader *r;
	const cot_unit *u;
	cot_error err;
	size_t n;

	(void)state;
	assert_int_equal(cot_reader_open_mem(&r, in, sizeof in - 1, NULL,
					     &err), COT_OK);
	assert_int_equal(cot_reader_next(&u, r, &err), COT_OK);
	assert_true(cot_reader_had_bom(r));
	assert_int_equal(cot_unit_records(u), 1);
	assert_memory_equal(cot_unit_bytes(u, &n), "{\"a\":1}", 7);
	assert_string_equal(cot_reader_name(r), "<memory>");
	cot_reader_free(r);
}

/* Random documents: whatever the layout, units give the input back and
 * every record is exactly one element, valid for jansson. */
static void test_reader_random_documents_roundtrip(void **state)
{
	static const char *const pieces[] = {
		"{\"a\":1}", "{\"b\":\"x,]}\\\"\"}", "[1,[2]]", "\"s\"",
		"-0.5e2", "null", "{}", "{\"n\":{\"m\":[{}]}}"
	};
	static const char *const seps[] = { ",", ",\n", "\n,", " ,  ",
					    ",\r\n  " };
	unsigned seed = 7;

	(void)state;
	for (int iter = 0; iter < 2000; iter++) {
		char in[4096];
		size_t o = 0, k;
		seen s;

		seed = seed * 1103515245 + 12345;
		k = 1 + (seed >> 16) % 8;
		o += (size_t)sprintf(in + o, "[\n");
		for (size_t i = 0; i < k; i++) {
			seed = seed * 1103515245 + 12345;
			if (i)
				o += (size_t)sprintf(in + o, "%s",
					seps[(seed >> 16) % 5]);
			o += (size_t)sprintf(in + o, "%s",
				pieces[(seed >> 8) % 8]);
		}
		o += (size_t)sprintf(in + o, "\n]\n");
		read_all(in, o, &s);
		assert_int_equal(s.stream_rc, COT_OK);
		assert_roundtrip(&s, in);
		assert_int_equal(s.nrec, k);
		for (size_t i = 0; i < s.nrec; i++) {
			json_error_t je;
			json_t *j = json_loads(s.records[i], JSON_DECODE_ANY,
					       &je);

			assert_non_null(j);
			json_decref(j);
		}
		seen_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_jsonl_units_and_records),
		cmocka_unit_test(test_reader_malformed_line_reports_column),
		cmocka_unit_test(test_reader_document_array_streams_elements),
		cmocka_unit_test(test_reader_document_object_is_one_record),
		cmocka_unit_test(test_reader_documents_in_sequence),
		cmocka_unit_test(test_reader_document_errors_keep_bytes),
		cmocka_unit_test(test_reader_first_line_decides_container),
		cmocka_unit_test(test_reader_crlf_document),
		cmocka_unit_test(test_reader_bom_is_reported),
		cmocka_unit_test(test_reader_random_documents_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

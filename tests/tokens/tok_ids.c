/* tok_ids.c - the token ids libcotlog's tokenizer gives, in the form
 * reference.js writes those of Hugging Face `tokenizers`, so that the
 * two outputs compare line by line (test_tokens.py).
 *
 * Usage: tok_ids TOKENIZER.json < TEXTS.jsonl
 *        tok_ids --count TOKENIZER.json < TEXTS.jsonl
 *
 * Each input line is {"text": STRING} or {"text": ..., "hex": HEX};
 * hex, when there, is the text's bytes (any bytes: JSON strings cannot
 * carry ill-formed UTF-8, which the tokenizer must read as the crate
 * does). Each output line is the JSON array of the ids. With --count
 * only the totals are printed: texts, bytes, tokens, and the seconds
 * spent in cot__tokenize (one thread). With COTLOG_TOK_PCRE2=1 in the
 * environment every Split level takes the PCRE2 path, not the
 * hand-written scanners. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "text/tokenizer.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	bool count = argc == 3 && strcmp(argv[1], "--count") == 0;
	cot__tokenizer *t;
	cot__tok_scratch *s;
	cot_error err;
	char *line = NULL, *bytes = NULL;
	size_t linecap = 0, bytecap = 0, cap = 0, ntext = 0, nbyte = 0;
	size_t ntok = 0;
	uint32_t *ids = NULL;
	double secs = 0;
	ssize_t got;
	int rc;

	if (argc != 2 + count) {
		fprintf(stderr, "usage: tok_ids [--count] TOKENIZER.json\n");
		return 2;
	}
	rc = cot__tokenizer_load(&t, argv[1 + count], &err);
	if (rc) {
		fprintf(stderr, "tok_ids: %s\n", err.message);
		return 1;
	}
	if (cot__tok_scratch_new(&s, t)) {
		fprintf(stderr, "tok_ids: out of memory\n");
		return 1;
	}
	if (getenv("COTLOG_TOK_PCRE2"))
		cot__tok_scratch_pcre2(s, strcmp(getenv("COTLOG_TOK_PCRE2"),
						 "0") != 0);
	while ((got = getline(&line, &linecap, stdin)) > 0) {
		json_error_t jerr;
		json_t *o = json_loadb(line, (size_t)got, JSON_ALLOW_NUL,
				       &jerr);
		json_t *hex = json_object_get(o, "hex");
		json_t *text = json_object_get(o, "text");
		const char *p;
		size_t n, nids = 0;
		double t0;

		if (!o || !json_is_string(text)) {
			fprintf(stderr, "tok_ids: line %zu: %s\n", ntext + 1,
				o ? "no \"text\"" : jerr.text);
			return 1;
		}
		if (json_is_string(hex)) {
			const char *h = json_string_value(hex);

			n = json_string_length(hex) / 2;
			if (n > bytecap) {
				bytecap = n;
				bytes = realloc(bytes, bytecap);
				if (!bytes)
					return 1;
			}
			for (size_t i = 0; i < n; i++) {
				int hi = hexval(h[2 * i]);
				int lo = hexval(h[2 * i + 1]);

				if (hi < 0 || lo < 0) {
					fprintf(stderr, "tok_ids: bad hex\n");
					return 1;
				}
				bytes[i] = (char)(hi << 4 | lo);
			}
			p = bytes;
		} else {
			p = json_string_value(text);
			n = json_string_length(text);
		}
		t0 = now();
		rc = cot__tokenize(t, s, p, n, count ? NULL : &ids, &nids,
				   &cap);
		secs += now() - t0;
		if (rc) {
			fprintf(stderr, "tok_ids: line %zu: %s\n", ntext + 1,
				cot_status_str(rc));
			return 1;
		}
		ntext++;
		nbyte += n;
		ntok += nids;
		if (!count) {
			putchar('[');
			for (size_t i = 0; i < nids; i++)
				printf(i ? ",%u" : "%u", ids[i]);
			fputs("]\n", stdout);
		}
		json_decref(o);
	}
	if (count)
		printf("{\"texts\": %zu, \"bytes\": %zu, \"tokens\": %zu, "
		       "\"seconds\": %.3f}\n", ntext, nbyte, ntok, secs);
	free(line);
	free(bytes);
	cot__free(ids);
	cot__tok_scratch_free(s);
	cot__tokenizer_free(t);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}

/* tok_bench.c - the speed of libcotlog's tokenizer alone: the texts are
 * read into memory first, so that only cot__tokenize is timed (one
 * thread), and the memory the loaded tokenizer holds is measured.
 *
 * Usage: tok_bench TOKENIZER.json TEXTS.jsonl [REPEAT]
 *
 * Each input line is {"text": STRING}. The texts are tokenized REPEAT
 * times (default 1), ids written to an array as a caller would. Prints
 * one JSON object: texts, bytes and tokens (of all the repeats),
 * CPU seconds in cot__tokenize, the load time, the bytes the loaded
 * tokenizer holds on the heap (mallinfo2 before and after the load:
 * the JSON tree is freed by then) against the file's size, and the
 * pre-token cache's lookups and hits. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "text/tokenizer.h"

typedef struct text {
	char *s;
	size_t n;
} text;

/* CPU time, not wall time: on a shared machine another process on the
 * same core inflates the wall clock, not this. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static text *read_texts(const char *path, size_t *count)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t linecap = 0, n = 0, cap = 0;
	text *v = NULL;
	ssize_t got;

	if (!f)
		return NULL;
	while ((got = getline(&line, &linecap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)got, JSON_ALLOW_NUL,
				       NULL);
		json_t *s = json_object_get(o, "text");

		if (!json_is_string(s)) {
			fprintf(stderr, "tok_bench: line %zu: no \"text\"\n",
				n + 1);
			exit(1);
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				exit(1);
		}
		v[n].n = json_string_length(s);
		v[n].s = malloc(v[n].n + 1);
		if (!v[n].s)
			exit(1);
		memcpy(v[n].s, json_string_value(s), v[n].n);
		n++;
		json_decref(o);
	}
	free(line);
	fclose(f);
	*count = n;
	return v;
}

int main(int argc, char **argv)
{
	cot__tokenizer *t;
	cot__tok_scratch *s;
	cot_error err;
	struct stat st;
	size_t ntext, nbyte = 0, ntok = 0, cap = 0, heap0, heap1;
	uint64_t lookups, hits;
	uint32_t *ids = NULL;
	int repeat = argc > 3 ? atoi(argv[3]) : 1;
	double t0, load, secs;
	text *v;

	if (argc < 3 || argc > 4 || repeat < 1) {
		fprintf(stderr, "usage: tok_bench TOKENIZER.json TEXTS.jsonl "
				"[REPEAT]\n");
		return 2;
	}
	v = read_texts(argv[2], &ntext);
	if (!v || stat(argv[1], &st)) {
		perror("tok_bench");
		return 1;
	}
	heap0 = mallinfo2().uordblks + mallinfo2().hblkhd;
	t0 = now();
	if (cot__tokenizer_load(&t, argv[1], &err)) {
		fprintf(stderr, "tok_bench: %s\n", err.message);
		return 1;
	}
	load = now() - t0;
	heap1 = mallinfo2().uordblks + mallinfo2().hblkhd;
	if (cot__tok_scratch_new(&s, t))
		return 1;
	t0 = now();
	for (int r = 0; r < repeat; r++) {
		for (size_t i = 0; i < ntext; i++) {
			size_t nids = 0;

			if (cot__tokenize(t, s, v[i].s, v[i].n, &ids, &nids,
					  &cap)) {
				fprintf(stderr, "tok_bench: text %zu: "
					"failed\n", i + 1);
				return 1;
			}
			nbyte += v[i].n;
			ntok += nids;
		}
	}
	secs = now() - t0;
	cot__tok_cache_stats(s, &lookups, &hits);
	printf("{\"texts\": %zu, \"bytes\": %zu, \"tokens\": %zu, "
	       "\"seconds\": %.4f, \"load_seconds\": %.3f, "
	       "\"tokenizer_heap\": %zu, \"file_bytes\": %lld, "
	       "\"cache_lookups\": %llu, \"cache_hits\": %llu}\n",
	       ntext * (size_t)repeat, nbyte, ntok, secs, load,
	       heap1 - heap0, (long long)st.st_size,
	       (unsigned long long)lookups, (unsigned long long)hits);
	cot__free(ids);
	cot__tok_scratch_free(s);
	cot__tokenizer_free(t);
	for (size_t i = 0; i < ntext; i++)
		free(v[i].s);
	free(v);
	return 0;
}

/* test_input.c - the source room: plain and gzip bytes cut into lines. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "source/input.h"
#include "util.h"

#define MIB ((size_t)1 << 20)

/* ------------------------------------------------------------------ */
/* Helpers                                                              */

/* What draining an input gave: the lines joined again with the line
 * ends they had, so a test compares one string with the input. */
struct drained {
	tbuf text;		/* .p: the bytes, .n: how many */
	size_t lines;
	size_t lf, crlf, none, cut;
	int rc;			/* the status that ended it */
	cot_error err;
};

static void drained_free(struct drained *d)
{
	free(d->text.p);
	memset(d, 0, sizeof *d);
}

/* Read to the end, checking what must hold for every line. */
static void drain(cot__input *in, struct drained *d)
{
	cot__line line;
	int rc;

	memset(d, 0, sizeof *d);
	tbuf_add(&d->text, "", 0);
	while ((rc = cot__input_next(in, &line, &d->err)) == COT_OK) {
		assert_null(memchr(line.ptr, '\n', line.len));
		assert_int_equal(line.lineno, d->lines + 1);
		/* a line ending in CR would have been reported as CRLF */
		if (line.eol == COT_EOL_LF)
			assert_false(line.len &&
				     line.ptr[line.len - 1] == '\r');
		d->lines++;
		tbuf_add(&d->text, line.ptr, line.len);
		switch (line.eol) {
		case COT_EOL_LF:
			d->lf++;
			tbuf_add(&d->text, "\n", 1);
			break;
		case COT_EOL_CRLF:
			d->crlf++;
			tbuf_add(&d->text, "\r\n", 2);
			break;
		case COT_EOL_CUT:
			d->cut++;
			break;
		default:
			assert_int_equal(line.eol, COT_EOL_NONE);
			d->none++;
		}
		/* only the last line lacks its end */
		assert_int_equal(d->none + d->cut,
				 line.eol == COT_EOL_NONE ||
				 line.eol == COT_EOL_CUT);
	}
	d->rc = rc;
	/* after the end or an error, it stays ended */
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
}

/* chunk 0: the default. */
static void drain_mem(const void *p, size_t n, size_t chunk,
		      struct drained *d)
{
	cot__input *in = NULL;

	assert_int_equal(cot__input_open_mem(&in, p, n, "mem", NULL), COT_OK);
	if (chunk)
		cot__input_set_chunk(in, chunk);
	drain(in, d);
	cot__input_free(in);
}

static void drain_path(const char *path, struct drained *d)
{
	cot__input *in = NULL;

	assert_int_equal(cot__input_open_path(&in, path, NULL), COT_OK);
	drain(in, d);
	cot__input_free(in);
}

/* One gzip member of p, made here so no binary fixture is needed. */
static unsigned char *gz(const void *p, size_t n, int level, size_t *outn)
{
	z_stream zs;
	size_t cap;
	unsigned char *out;

	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&zs, (uLong)n) + 64;
	out = malloc(cap);
	assert_non_null(out);
	zs.next_in = (unsigned char *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outn = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* Append b to a (realloc'd). */
static unsigned char *cat(unsigned char *a, size_t *an, const void *b,
			  size_t bn)
{
	a = realloc(a, *an + bn + 1);
	assert_non_null(a);
	memcpy(a + *an, b, bn);
	*an += bn;
	return a;
}

/* Lines of varied lengths, deterministic. */
static char *sample(size_t nlines, size_t *outn)
{
	char *s = NULL;
	size_t n = 0, i, k, len;
	uint32_t x = 12345;

	for (i = 0; i < nlines; i++) {
		x = x * 1103515245u + 12345u;
		len = (x >> 16) % 300;
		s = realloc(s, n + len + 2);
		assert_non_null(s);
		for (k = 0; k < len; k++)
			s[n + k] = (char)('a' + (i + k) % 26);
		n += len;
		if (i % 7 == 3)
			s[n++] = '\r';
		s[n++] = '\n';
	}
	*outn = n;
	return s;
}

static char tmpdir_path[256];

static int make_tmpdir(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir_path, sizeof tmpdir_path, "%s/test_input.XXXXXX",
		 t && *t ? t : "/tmp");
	return mkdtemp(tmpdir_path) ? 0 : -1;
}

/* A failed assertion skips a test's own unlink: clean up here too. */
static int remove_tmpdir(void **state)
{
	static const char *const leaves[] = {
		"around.txt", "big.txt", "f.jsonl.gz", "stdin.txt",
		"wronly.txt",
	};
	char path[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir_path, leaves[i]);
		unlink(path);
	}
	return rmdir(tmpdir_path);
}

static void tmp_name(char *buf, size_t n, const char *leaf)
{
	snprintf(buf, n, "%s/%s", tmpdir_path, leaf);
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------ */
/* Plain lines                                                          */

static void test_input_next_plain_lines(void **state)
{
	static const char s[] = "{\"a\":1}\n{\"b\":2}\nlast";
	struct drained d;

	(void)state;
	drain_mem(s, strlen(s), 0, &d);
	assert_int_equal(d.rc, COT_DONE);
	assert_int_equal(d.lines, 3);
	assert_int_equal(d.lf, 2);
	assert_int_equal(d.none, 1);
	assert_string_equal(d.text.p, s);
	drained_free(&d);
}

static void test_input_next_empty_input_is_done(void **state)
{
	struct drained d;

	(void)state;
	drain_mem("", 0, 0, &d);
	assert_int_equal(d.rc, COT_DONE);
	assert_int_equal(d.lines, 0);
	drained_free(&d);
	drain_mem(NULL, 0, 0, &d);
	assert_int_equal(d.rc, COT_DONE);
	assert_int_equal(d.lines, 0);
	drained_free(&d);
}

static void test_input_next_only_newlines_counts_each(void **state)
{
	cot__input *in;
	cot__line line;
	int i;

	(void)state;
	assert_int_equal(cot__input_open_mem(&in, "\n\n\r\n\n", 5, "m", NULL),
			 COT_OK);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
		assert_int_equal(line.lineno, i);
		assert_int_equal(line.len, 0);
		assert_int_equal(line.eol, i == 3 ? COT_EOL_CRLF : COT_EOL_LF);
	}
	/* the empty piece after the last LF is not a line */
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
	cot__input_free(in);
}

static void test_input_next_no_final_lf_is_eol_none(void **state)
{
	cot__input *in;
	cot__line line;

	(void)state;
	assert_int_equal(cot__input_open_mem(&in, "a\nbc", 4, "m", NULL),
			 COT_OK);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.eol, COT_EOL_LF);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.len, 2);
	assert_memory_equal(line.ptr, "bc", 2);
	assert_int_equal(line.eol, COT_EOL_NONE);
	assert_int_equal(line.lineno, 2);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
	cot__input_free(in);
}

static void test_input_next_crlf_strips_only_cr_before_lf(void **state)
{
	static const char s[] = "a\r\nb\rc\nd\r\r\ne\r";
	static const struct {
		const char *text;
		int eol;
	} want[] = {
		{ "a", COT_EOL_CRLF }, { "b\rc", COT_EOL_LF },
		{ "d\r", COT_EOL_CRLF }, { "e\r", COT_EOL_NONE },
	};
	cot__input *in;
	cot__line line;
	size_t i;

	(void)state;
	assert_int_equal(cot__input_open_mem(&in, s, strlen(s), "m", NULL),
			 COT_OK);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
		assert_int_equal(line.len, strlen(want[i].text));
		assert_memory_equal(line.ptr, want[i].text, line.len);
		assert_int_equal(line.eol, want[i].eol);
	}
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
	cot__input_free(in);
}

static void test_input_next_nul_bytes_are_content(void **state)
{
	static const char s[] = "a\0b\n\0\n";
	cot__input *in;
	cot__line line;

	(void)state;
	assert_int_equal(cot__input_open_mem(&in, s, 6, "m", NULL), COT_OK);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.len, 3);
	assert_memory_equal(line.ptr, "a\0b", 3);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.len, 1);
	assert_int_equal(line.ptr[0], '\0');
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
	cot__input_free(in);
}

static void test_input_next_bom_skipped_at_byte_0(void **state)
{
	struct {
		const char *in, *out;
		bool bom;
	} c[] = {
		{ "\xef\xbb\xbfx\n", "x\n", true },
		{ "\xef\xbb\xbf", "", true },
		{ "\xef\xbb\xbf\xef\xbb\xbfx", "\xef\xbb\xbfx", true },
		{ "\xef\xbb", "\xef\xbb", false },
		{ "\xef\xbbx\n", "\xef\xbbx\n", false },
		{ "x\xef\xbb\xbf\n", "x\xef\xbb\xbf\n", false },
		{ "x\n\xef\xbb\xbfy\n", "x\n\xef\xbb\xbfy\n", false },
	};
	size_t i, chunk;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		for (chunk = 0; chunk < 5; chunk++) {
			cot__input *in;
			struct drained d;

			assert_int_equal(cot__input_open_mem(&in, c[i].in,
							     strlen(c[i].in),
							     "m", NULL),
					 COT_OK);
			if (chunk)
				cot__input_set_chunk(in, chunk);
			drain(in, &d);
			assert_int_equal(d.rc, COT_DONE);
			assert_string_equal(d.text.p, c[i].out);
			assert_int_equal(cot__input_had_bom(in), c[i].bom);
			assert_false(cot__input_is_gzip(in));
			cot__input_free(in);
			drained_free(&d);
		}
	}
}

/* Small chunks move every line across buffer ends; the result must not
 * depend on the chunk size. */
static void test_input_next_small_chunks_same_lines(void **state)
{
	size_t n, chunk;
	char *s = sample(400, &n);
	struct drained ref, d;

	(void)state;
	drain_mem(s, n, 0, &ref);
	assert_int_equal(ref.rc, COT_DONE);
	assert_int_equal(ref.lines, 400);
	assert_int_equal(ref.text.n, n);
	assert_memory_equal(ref.text.p, s, n);
	for (chunk = 1; chunk <= 40; chunk++) {
		drain_mem(s, n, chunk, &d);
		assert_int_equal(d.rc, COT_DONE);
		assert_int_equal(d.text.n, n);
		assert_memory_equal(d.text.p, s, n);
		assert_int_equal(d.crlf, ref.crlf);
		drained_free(&d);
	}
	drained_free(&ref);
	free(s);
}

/* Lines whose lengths sit around the 1 MiB read size and its half (the
 * point where the buffer grows), read from a file like real input. */
static void test_input_next_lines_around_chunk_size(void **state)
{
	static const size_t base[] = { MIB / 2, MIB, 2 * MIB };
	char path[300];
	char *s = NULL;
	size_t n = 0, i, k, cnt = 0, lens[32];
	struct drained d;
	long delta;

	(void)state;
	for (i = 0; i < 3; i++) {
		for (delta = -3; delta <= 3; delta++) {
			size_t len = base[i] + (size_t)delta;

			s = realloc(s, n + len + 1);
			assert_non_null(s);
			for (k = 0; k < len; k++)
				s[n + k] = (char)('A' + (cnt + k / 4096) % 26);
			n += len;
			s[n++] = '\n';
			lens[cnt++] = len;
		}
	}
	tmp_name(path, sizeof path, "around.txt");
	write_file(path, s, n);
	drain_path(path, &d);
	assert_int_equal(d.rc, COT_DONE);
	assert_int_equal(d.lines, cnt);
	assert_int_equal(d.text.n, n);
	assert_memory_equal(d.text.p, s, n);
	drained_free(&d);

	/* and without the final LF, the last line still comes out whole */
	write_file(path, s, n - 1);
	drain_path(path, &d);
	assert_int_equal(d.lines, cnt);
	assert_int_equal(d.none, 1);
	assert_int_equal(d.text.n, n - 1);
	assert_int_equal(lens[cnt - 1], 2 * MIB + 3);
	drained_free(&d);
	unlink(path);
	free(s);
}

/* A 100 MB line, read by path: memory grows with the line. */
static void test_input_next_100mb_line(void **state)
{
	const size_t big = 100 * MIB;
	char path[300];
	char *block;
	FILE *f;
	size_t i;
	cot__input *in;
	cot__line line;

	(void)state;
	tmp_name(path, sizeof path, "big.txt");
	block = malloc(MIB);
	assert_non_null(block);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite("{\n", 1, 2, f), 2);
	for (i = 0; i < big / MIB; i++) {
		memset(block, 'a' + (int)(i % 26), MIB);
		assert_int_equal(fwrite(block, 1, MIB, f), MIB);
	}
	assert_int_equal(fwrite("\r\ntail", 1, 6, f), 6);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(cot__input_open_path(&in, path, NULL), COT_OK);
	assert_int_equal(cot__input_total(in), big + 8);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.len, 1);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.len, big);
	assert_int_equal(line.eol, COT_EOL_CRLF);
	assert_int_equal(line.lineno, 2);
	for (i = 0; i < big / MIB; i++) {
		memset(block, 'a' + (int)(i % 26), MIB);
		assert_memory_equal(line.ptr + i * MIB, block, MIB);
	}
	assert_int_equal(cot__input_next(in, &line, NULL), COT_OK);
	assert_int_equal(line.len, 4);
	assert_memory_equal(line.ptr, "tail", 4);
	assert_int_equal(cot__input_next(in, &line, NULL), COT_DONE);
	assert_int_equal(cot__input_consumed(in), big + 8);
	cot__input_free(in);
	unlink(path);
	free(block);
}

/* ------------------------------------------------------------------ */
/* gzip                                                                 */

static void test_input_next_gzip_single_member(void **state)
{
	size_t n, zn, chunk;
	char *s = sample(500, &n);
	unsigned char *z = gz(s, n, 6, &zn);
	struct drained d;
	cot__input *in;

	(void)state;
	for (chunk = 0; chunk < 24; chunk += chunk < 3 ? 1 : 5) {
		assert_int_equal(cot__input_open_mem(&in, z, zn, "z", NULL),
				 COT_OK);
		if (chunk)
			cot__input_set_chunk(in, chunk);
		drain(in, &d);
		assert_int_equal(d.rc, COT_DONE);
		assert_int_equal(d.lines, 500);
		assert_int_equal(d.text.n, n);
		assert_memory_equal(d.text.p, s, n);
		assert_true(cot__input_is_gzip(in));
		assert_false(cot__input_had_bom(in));
		assert_int_equal(cot__input_consumed(in), zn);
		assert_int_equal(cot__input_total(in), 0);
		cot__input_free(in);
		drained_free(&d);
	}
	free(z);
	free(s);
}

/* Three members (one empty, one cut mid-line) read as one stream. */
static void test_input_next_gzip_multi_member(void **state)
{
	static const char *part[] = { "one\ntwo\nthr", "", "ee\nfour\n" };
	unsigned char *all = NULL, *z;
	size_t an = 0, zn, i, chunk;
	struct drained d;

	(void)state;
	for (i = 0; i < 3; i++) {
		z = gz(part[i], strlen(part[i]), 9, &zn);
		all = cat(all, &an, z, zn);
		free(z);
	}
	for (chunk = 0; chunk < 30; chunk++) {
		drain_mem(all, an, chunk, &d);
		assert_int_equal(d.rc, COT_DONE);
		assert_string_equal(d.text.p, "one\ntwo\nthree\nfour\n");
		assert_int_equal(d.lines, 4);
		drained_free(&d);
	}
	free(all);
}

static void test_input_next_gzip_zero_padding_ignored(void **state)
{
	static const char zeros[600];
	size_t zn, chunk;
	unsigned char *z = gz("a\nb", 3, 6, &zn);
	struct drained d;

	(void)state;
	z = cat(z, &zn, zeros, sizeof zeros);
	for (chunk = 0; chunk < 10; chunk++) {
		drain_mem(z, zn, chunk ? chunk * 37 : 0, &d);
		assert_int_equal(d.rc, COT_DONE);
		assert_string_equal(d.text.p, "a\nb");
		drained_free(&d);
	}
	free(z);
}

static void test_input_next_gzip_trailing_garbage_is_error(void **state)
{
	static const struct {
		const char *tail;
		size_t len;
	} c[] = {
		{ "x", 1 }, { "\0\0\0y", 4 }, { "\x1f\x8a", 2 },
		{ "\0\x1f\x8b", 3 }, { "garbage\n", 8 },
	};
	size_t zn, i, off, chunk;
	unsigned char *z0 = gz("a\nb\nc", 5, 6, &zn), *z;
	char want[200];
	struct drained d;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		size_t n = 0;

		z = cat(NULL, &n, z0, zn);
		z = cat(z, &n, c[i].tail, c[i].len);
		off = zn;
		while (c[i].tail[off - zn] == '\0')
			off++;
		snprintf(want, sizeof want, "z.gz: trailing garbage after "
			 "gzip member at compressed offset %zu", off);
		for (chunk = 0; chunk < 6; chunk++) {
			cot__input *in;

			assert_int_equal(cot__input_open_mem(&in, z, n, "z.gz",
							     NULL), COT_OK);
			if (chunk)
				cot__input_set_chunk(in, chunk);
			drain(in, &d);
			/* the member was whole: all its lines come out */
			assert_string_equal(d.text.p, "a\nb\nc");
			assert_int_equal(d.rc, COT_EIO);
			assert_int_equal(d.err.code, COT_EIO);
			assert_string_equal(d.err.message, want);
			cot__input_free(in);
			drained_free(&d);
		}
		free(z);
	}
	free(z0);
}

/* A cut header is a truncation, whether of the first member or of a
 * next one (a lone 1f after a member). */
static void test_input_next_gzip_cut_header_is_truncated(void **state)
{
	size_t zn, an = 0, chunk;
	unsigned char *z = gz("x\ny", 3, 6, &zn);
	unsigned char *all = cat(NULL, &an, z, zn);
	struct drained d;

	(void)state;
	all = cat(all, &an, "\x1f", 1);
	for (chunk = 0; chunk < 4; chunk++) {
		drain_mem(all, an, chunk, &d);
		/* "y", the line the cut header ended, is delivered as cut */
		assert_string_equal(d.text.p, "x\ny");
		assert_int_equal(d.cut, 1);
		assert_int_equal(d.rc, COT_EIO);
		assert_string_equal(d.err.message, "mem: gzip stream "
				    "truncated after 3 decompressed bytes "
				    "(line 2 incomplete)");
		drained_free(&d);
		drain_mem("\x1f\x8b", 2, chunk, &d);
		assert_int_equal(d.lines, 0);
		assert_string_equal(d.err.message, "mem: gzip stream "
				    "truncated after 0 decompressed bytes "
				    "(at a line boundary)");
		drained_free(&d);
	}
	free(all);
	free(z);
}

/* Cut a stream at every byte: every byte decoded comes out, the lines
 * before the cut whole and the one it cut as COT_EOL_CUT, then one error;
 * never a crash. */
static void test_input_next_gzip_truncated_at_every_offset(void **state)
{
	static const char s[] = "first line\nsecond\n\nfourth {\"k\": 1}\n"
				"fifth, a little longer than the others\n";
	size_t zn, cut, chunk, prev = 0, got;
	unsigned char *z = gz(s, strlen(s), 9, &zn);
	struct drained d;
	char want[200];

	(void)state;
	for (cut = 0; cut < zn; cut++) {
		for (chunk = 0; chunk < 4; chunk++) {
			drain_mem(z, cut, chunk * 3, &d);
			if (cut < 2) {
				/* "" or "\x1f" alone is not gzip */
				assert_int_equal(d.rc, COT_DONE);
				assert_int_equal(d.text.n, cut);
				drained_free(&d);
				continue;
			}
			assert_int_equal(d.rc, COT_EIO);
			assert_int_equal(sscanf(d.err.message, "mem: gzip "
						"stream truncated after %zu",
						&got), 1);
			/* every byte decoded: a prefix of the text */
			assert_true(d.text.n == got && got <= strlen(s));
			assert_memory_equal(d.text.p, s, d.text.n);
			assert_int_equal(d.none, 0);
			/* a cut line is delivered as such, and named */
			assert_int_equal(d.cut, d.text.n &&
					 d.text.p[d.text.n - 1] != '\n');
			assert_int_equal(strstr(d.err.message, " incomplete)")
					 != NULL, d.cut);
			if (chunk == 0) {
				assert_true(d.text.n >= prev);
				prev = d.text.n;
			}
			drained_free(&d);
		}
	}
	/* cut inside the trailer: every line came, the end did not */
	drain_mem(z, zn - 1, 0, &d);
	assert_string_equal(d.text.p, s);
	snprintf(want, sizeof want, "mem: gzip stream truncated after %zu "
		 "decompressed bytes (at a line boundary)", strlen(s));
	assert_string_equal(d.err.message, want);
	drained_free(&d);
	free(z);
}

static void test_input_next_gzip_truncated_message_names_line(void **state)
{
	static const char s[] = "ab\ncd\nefgh";
	size_t zn;
	unsigned char *z = gz(s, strlen(s), 0, &zn);
	struct drained d;

	(void)state;
	/* level 0 stores the bytes: cutting the trailer and the last two
	 * stored bytes leaves "ab\ncd\nef" decoded */
	drain_mem(z, zn - 8 - 2, 0, &d);
	assert_string_equal(d.text.p, "ab\ncd\nef");
	assert_int_equal(d.cut, 1);
	assert_int_equal(d.rc, COT_EIO);
	assert_string_equal(d.err.message, "mem: gzip stream truncated after "
			    "8 decompressed bytes (line 3 incomplete)");
	assert_int_equal(d.err.line, 3);
	drained_free(&d);
	free(z);
}

static void test_input_next_gzip_crc_error_after_lines(void **state)
{
	static const char s[] = "ab\ncd\nef\n";
	size_t zn;
	unsigned char *z = gz(s, strlen(s), 0, &zn);
	unsigned char *p;
	struct drained d;

	(void)state;
	/* flip a stored content byte: inflate reads it all, then the CRC
	 * in the trailer does not match */
	p = memchr(z, 'c', zn);
	assert_non_null(p);
	*p = 'C';
	drain_mem(z, zn, 0, &d);
	assert_string_equal(d.text.p, "ab\nCd\nef\n");
	assert_int_equal(d.rc, COT_EIO);
	assert_non_null(strstr(d.err.message, "mem: corrupt gzip data at "
			       "compressed offset "));
	assert_non_null(strstr(d.err.message, "incorrect data check"));
	assert_non_null(strstr(d.err.message, "at a line boundary"));
	drained_free(&d);
	free(z);
}

/* Damage inside a member after some output: the lines before it come
 * out, then what was decoded of the line it cut, and the message says
 * where. */
static void test_input_next_gzip_data_error_mid_member(void **state)
{
	static const char s[] = "alpha\nbeta\ngam";
	z_stream zs;
	unsigned char z[256];
	size_t zn, chunk;
	struct drained d;

	(void)state;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)s;
	zs.avail_in = (uInt)strlen(s);
	zs.next_out = z;
	zs.avail_out = sizeof z;
	assert_int_equal(deflate(&zs, Z_SYNC_FLUSH), Z_OK);
	zn = sizeof z - zs.avail_out;
	deflateEnd(&zs);
	/* a final block of reserved type 3: "invalid block type" */
	z[zn++] = 0x07;
	z[zn++] = 0x55;
	for (chunk = 0; chunk < 8; chunk++) {
		char want[200];

		drain_mem(z, zn, chunk, &d);
		assert_string_equal(d.text.p, "alpha\nbeta\ngam");
		assert_int_equal(d.rc, COT_EIO);
		snprintf(want, sizeof want, "mem: corrupt gzip data at "
			 "compressed offset %zu: invalid block type (after "
			 "14 decompressed bytes, line 3 incomplete)", zn - 1);
		assert_string_equal(d.err.message, want);
		drained_free(&d);
	}
}

/* A bad second member: the first one's lines, then the error. */
static void test_input_next_gzip_bad_second_member(void **state)
{
	size_t zn, an = 0;
	unsigned char *z = gz("one\ntwo\n", 8, 6, &zn);
	unsigned char *all = cat(NULL, &an, z, zn);
	struct drained d;

	(void)state;
	all = cat(all, &an, z, zn);
	all[zn + 2] = 7;	/* compression method 7 does not exist */
	drain_mem(all, an, 0, &d);
	assert_string_equal(d.text.p, "one\ntwo\n");
	assert_int_equal(d.rc, COT_EIO);
	assert_non_null(strstr(d.err.message, "unknown compression method"));
	drained_free(&d);
	free(all);
	free(z);
}

/* Flip each byte in turn: whatever happens, no crash, and a clean end
 * or one EIO. */
static void test_input_next_gzip_any_flipped_byte(void **state)
{
	size_t n, zn, i;
	char *s = sample(60, &n);
	unsigned char *z = gz(s, n, 6, &zn);
	struct drained d;

	(void)state;
	for (i = 0; i < zn; i++) {
		z[i] ^= 0x5a;
		drain_mem(z, zn, i % 3 ? 0 : 17, &d);
		assert_true(d.rc == COT_DONE || d.rc == COT_EIO);
		z[i] ^= 0x5a;
		drained_free(&d);
	}
	free(z);
	free(s);
}

static void test_input_next_gzip_bom_and_crlf(void **state)
{
	static const char s[] = "\xef\xbb\xbf{\"a\":1}\r\n{\"b\":2}\r\n";
	size_t zn, chunk;
	unsigned char *z = gz(s, strlen(s), 6, &zn);
	cot__input *in;
	struct drained d;

	(void)state;
	for (chunk = 0; chunk < 6; chunk++) {
		assert_int_equal(cot__input_open_mem(&in, z, zn, "z", NULL),
				 COT_OK);
		if (chunk)
			cot__input_set_chunk(in, chunk);
		drain(in, &d);
		assert_int_equal(d.rc, COT_DONE);
		assert_string_equal(d.text.p, s + 3);
		assert_int_equal(d.crlf, 2);
		assert_true(cot__input_had_bom(in));
		cot__input_free(in);
		drained_free(&d);
	}
	free(z);
}

/* ------------------------------------------------------------------ */
/* Other formats                                                        */

static void test_input_next_other_compression_is_one_error(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *msg;
	} c[] = {
		{ "\x28\xb5\x2f\xfd\x01\n\n", 7, "f: zstd-compressed input is "
		  "not supported; decompress it first (zstd -dc f | cotlog "
		  "...)" },
		{ "\xfd\x37\x7a\x58\x5a\x00\n", 7, "f: xz-compressed input is "
		  "not supported; decompress it first (xz -dc f | cotlog "
		  "...)" },
		{ "BZh9\n1\n", 7, "f: bzip2-compressed input is not "
		  "supported; decompress it first (bzip2 -dc f | cotlog "
		  "...)" },
		{ "BZh1", 4, "f: bzip2-compressed input is not supported; "
		  "decompress it first (bzip2 -dc f | cotlog ...)" },
		{ "\x04\x22\x4d\x18\n", 5, "f: lz4-compressed input is not "
		  "supported; decompress it first (lz4 -dc f | cotlog ...)" },
		{ "PK\x03\x04\n\n", 6, "f: zip-compressed input is not "
		  "supported; decompress it first (unzip -p f | cotlog "
		  "...)" },
	};
	size_t i, chunk;
	struct drained d;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		for (chunk = 0; chunk < 3; chunk++) {
			cot__input *in;

			assert_int_equal(cot__input_open_mem(&in, c[i].bytes,
							     c[i].len, "f",
							     NULL), COT_OK);
			if (chunk)
				cot__input_set_chunk(in, chunk);
			drain(in, &d);
			assert_int_equal(d.lines, 0);
			assert_int_equal(d.rc, COT_EIO);
			assert_string_equal(d.err.message, c[i].msg);
			cot__input_free(in);
			drained_free(&d);
		}
	}
}

/* A prefix of a magic, or a near miss, is just text. */
static void test_input_next_magic_near_miss_is_plain(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
	} c[] = {
		{ "\x1f", 1 }, { "\x1f\n", 2 }, { "\x28\xb5\x2f", 3 },
		{ "BZh", 3 }, { "BZh0\n", 5 }, { "BZhx", 4 }, { "PK\x03", 3 },
		{ "\xfd\x37\x7a\x58\x5a", 5 },
		{ "\xfd\x37\x7a\x58\x5a\x01", 6 },
	};
	size_t i, chunk;
	struct drained d;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		for (chunk = 0; chunk < 3; chunk++) {
			drain_mem(c[i].bytes, c[i].len, chunk, &d);
			assert_int_equal(d.rc, COT_DONE);
			assert_int_equal(d.text.n, c[i].len);
			assert_memory_equal(d.text.p, c[i].bytes, c[i].len);
			drained_free(&d);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Descriptors, paths, stdin                                            */

/* The child writes a few bytes at a time so the reader sees short
 * reads and lines split across them. */
static void pipe_feed(const void *p, size_t n, struct drained *d)
{
	int fds[2];
	pid_t pid;
	int status;
	cot__input *in;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const unsigned char *b = p;
		size_t off = 0, k = 0;
		struct timespec ts = { 0, 20000 };

		close(fds[0]);
		while (off < n) {
			size_t w = 1 + (k * 7) % 13;
			ssize_t r;

			if (w > n - off)
				w = n - off;
			r = write(fds[1], b + off, w);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				_exit(1);
			off += (size_t)r;
			if (++k % 8 == 0)
				nanosleep(&ts, NULL);
		}
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(cot__input_open_fd(&in, fds[0], "pipe", NULL),
			 COT_OK);
	assert_int_equal(cot__input_total(in), 0);
	drain(in, d);
	assert_int_equal(cot__input_consumed(in), n);
	cot__input_free(in);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_input_open_fd_pipe_small_writes(void **state)
{
	size_t n, zn, an = 0;
	char *s = sample(300, &n);
	unsigned char *z = gz(s, n, 6, &zn), *two;
	struct drained d;

	(void)state;
	pipe_feed(s, n, &d);
	assert_int_equal(d.rc, COT_DONE);
	assert_int_equal(d.text.n, n);
	assert_memory_equal(d.text.p, s, n);
	drained_free(&d);

	two = cat(NULL, &an, z, zn);
	two = cat(two, &an, z, zn);
	pipe_feed(two, an, &d);
	assert_int_equal(d.rc, COT_DONE);
	assert_int_equal(d.text.n, 2 * n);
	assert_memory_equal(d.text.p, s, n);
	assert_memory_equal(d.text.p + n, s, n);
	drained_free(&d);

	/* truncated through a pipe: same as from memory */
	pipe_feed(z, zn - 20, &d);
	assert_int_equal(d.rc, COT_EIO);
	assert_non_null(strstr(d.err.message, "pipe: gzip stream truncated"));
	assert_memory_equal(d.text.p, s, d.text.n);
	drained_free(&d);
	free(two);
	free(z);
	free(s);
}

static void test_input_open_path_missing_file(void **state)
{
	cot__input *in = (cot__input *)&in;
	cot_error err;
	char path[300];

	(void)state;
	tmp_name(path, sizeof path, "no-such.jsonl");
	assert_int_equal(cot__input_open_path(&in, path, &err), COT_EIO);
	assert_null(in);
	assert_int_equal(err.code, COT_EIO);
	assert_non_null(strstr(err.message, "/no-such.jsonl: No such file "
			       "or directory"));
	assert_int_equal(strncmp(err.message, path, strlen(path)), 0);
}

static void test_input_open_path_directory(void **state)
{
	cot__input *in = (cot__input *)&in;
	cot_error err;
	char want[400];

	(void)state;
	snprintf(want, sizeof want, "%s: Is a directory", tmpdir_path);
	assert_int_equal(cot__input_open_path(&in, tmpdir_path, &err),
			 COT_EIO);
	assert_null(in);
	assert_string_equal(err.message, want);
}

static void test_input_open_path_regular_file(void **state)
{
	static const char s[] = "a\nb\n";
	char path[300];
	size_t zn;
	unsigned char *z = gz(s, 4, 6, &zn);
	cot__input *in;
	struct drained d;

	(void)state;
	tmp_name(path, sizeof path, "f.jsonl.gz");
	write_file(path, z, zn);
	assert_int_equal(cot__input_open_path(&in, path, NULL), COT_OK);
	assert_string_equal(cot__input_name(in), path);
	assert_int_equal(cot__input_total(in), zn);
	assert_int_equal(cot__input_consumed(in), 0);
	drain(in, &d);
	assert_string_equal(d.text.p, s);
	assert_true(cot__input_is_gzip(in));
	assert_int_equal(cot__input_consumed(in), zn);
	cot__input_free(in);
	drained_free(&d);
	unlink(path);
	free(z);
}

static void test_input_open_path_dash_is_stdin(void **state)
{
	static const char s[] = "\xef\xbb\xbfin\nput";
	char path[300];
	int saved, fd;
	cot__input *in;
	struct drained d;

	(void)state;
	tmp_name(path, sizeof path, "stdin.txt");
	write_file(path, s, strlen(s));
	saved = dup(STDIN_FILENO);
	fd = open(path, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	assert_int_equal(cot__input_open_path(&in, "-", NULL), COT_OK);
	assert_string_equal(cot__input_name(in), "<stdin>");
	drain(in, &d);
	cot__input_free(in);
	/* stdin stays open */
	assert_int_equal(fcntl(STDIN_FILENO, F_GETFD), 0);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	assert_string_equal(d.text.p, "in\nput");
	drained_free(&d);
	unlink(path);
}

static void test_input_next_read_error_after_lines(void **state)
{
	char path[300];
	int fd;
	cot__input *in;
	struct drained d;

	(void)state;
	tmp_name(path, sizeof path, "wronly.txt");
	write_file(path, "x\n", 2);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(cot__input_open_fd(&in, fd, "w", NULL), COT_OK);
	drain(in, &d);
	assert_int_equal(d.rc, COT_EIO);
	assert_int_equal(d.lines, 0);
	assert_string_equal(d.err.message, "w: read error after 0 bytes (at "
			    "a line boundary): Bad file descriptor");
	cot__input_free(in);
	close(fd);
	drained_free(&d);
	unlink(path);
}

/* ------------------------------------------------------------------ */
/* Out of memory                                                        */

/* Fail the nth allocation for n = 0, 1, ... until open and drain get
 * through: each failure must be COT_ENOMEM (leaks show in ASan and
 * valgrind). */
static void oom_loop(const void *p, size_t n, size_t chunk,
		     const char *want)
{
	long fail;

	for (fail = 0;; fail++) {
		cot__input *in = (cot__input *)&in;
		cot_error err;
		struct drained d;
		int rc;

		cot__alloc_fail_after(fail);
		rc = cot__input_open_mem(&in, p, n, "oom", &err);
		if (rc != COT_OK) {
			assert_int_equal(rc, COT_ENOMEM);
			assert_int_equal(err.code, COT_ENOMEM);
			assert_null(in);
			continue;
		}
		cot__input_set_chunk(in, chunk);
		drain(in, &d);
		cot__input_free(in);
		if (d.rc == COT_DONE) {
			cot__alloc_fail_after(-1);
			assert_string_equal(d.text.p, want);
			drained_free(&d);
			assert_true(fail > 2);
			break;
		}
		cot__alloc_fail_after(-1);
		assert_int_equal(d.rc, COT_ENOMEM);
		assert_non_null(strstr(d.err.message, "out of memory"));
		/* what came before the failure is still a prefix */
		assert_memory_equal(d.text.p, want, d.text.n);
		drained_free(&d);
		assert_true(fail < 1000);
	}
	cot__alloc_fail_after(-1);
}

static void test_input_next_oom_loop_plain(void **state)
{
	static const char s[] = "short\na line long enough to grow the "
				"buffer a few times\n\xef\xbb\xbf\n";

	(void)state;
	oom_loop(s, strlen(s), 4, s);
}

static void test_input_next_oom_loop_gzip(void **state)
{
	static const char s[] = "short\na line long enough to grow the "
				"buffer a few times\nend";
	size_t zn, an = 0;
	unsigned char *z = gz(s, strlen(s), 6, &zn);
	unsigned char *two = cat(NULL, &an, z, zn);
	char want[256];

	(void)state;
	two = cat(two, &an, z, zn);
	snprintf(want, sizeof want, "%s%s", s, s);
	oom_loop(two, an, 16, want);
	oom_loop(z, zn, MIB, s);
	free(two);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_next_plain_lines),
		cmocka_unit_test(test_input_next_empty_input_is_done),
		cmocka_unit_test(test_input_next_only_newlines_counts_each),
		cmocka_unit_test(test_input_next_no_final_lf_is_eol_none),
		cmocka_unit_test(
			test_input_next_crlf_strips_only_cr_before_lf),
		cmocka_unit_test(test_input_next_nul_bytes_are_content),
		cmocka_unit_test(test_input_next_bom_skipped_at_byte_0),
		cmocka_unit_test(test_input_next_small_chunks_same_lines),
		cmocka_unit_test(test_input_next_lines_around_chunk_size),
		cmocka_unit_test(test_input_next_100mb_line),
		cmocka_unit_test(test_input_next_gzip_single_member),
		cmocka_unit_test(test_input_next_gzip_multi_member),
		cmocka_unit_test(test_input_next_gzip_zero_padding_ignored),
		cmocka_unit_test(
			test_input_next_gzip_trailing_garbage_is_error),
		cmocka_unit_test(test_input_next_gzip_cut_header_is_truncated),
		cmocka_unit_test(
			test_input_next_gzip_truncated_at_every_offset),
		cmocka_unit_test(
			test_input_next_gzip_truncated_message_names_line),
		cmocka_unit_test(test_input_next_gzip_crc_error_after_lines),
		cmocka_unit_test(test_input_next_gzip_data_error_mid_member),
		cmocka_unit_test(test_input_next_gzip_bad_second_member),
		cmocka_unit_test(test_input_next_gzip_any_flipped_byte),
		cmocka_unit_test(test_input_next_gzip_bom_and_crlf),
		cmocka_unit_test(
			test_input_next_other_compression_is_one_error),
		cmocka_unit_test(test_input_next_magic_near_miss_is_plain),
		cmocka_unit_test(test_input_open_fd_pipe_small_writes),
		cmocka_unit_test(test_input_open_path_missing_file),
		cmocka_unit_test(test_input_open_path_directory),
		cmocka_unit_test(test_input_open_path_regular_file),
		cmocka_unit_test(test_input_open_path_dash_is_stdin),
		cmocka_unit_test(test_input_next_read_error_after_lines),
		cmocka_unit_test(test_input_next_oom_loop_plain),
		cmocka_unit_test(test_input_next_oom_loop_gzip),
	};

	return cmocka_run_group_tests_name("input", tests, make_tmpdir,
					   remove_tmpdir);
}

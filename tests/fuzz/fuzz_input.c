/* fuzz_input.c - libFuzzer target: any bytes, cut into lines two ways. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "source/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What one pass saw, flattened so two passes compare with memcmp:
 * for each line its number, end and bytes; then the final status and
 * message. */
struct trace {
	unsigned char *p;
	size_t len, cap;
	size_t text_len;	/* bytes of lines + their ends */
	int rc;
	bool gzip, bom;
};

static void put(struct trace *t, const void *p, size_t n)
{
	if (!n)
		return;
	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2 + 64;
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			abort();
	}
	memcpy(t->p + t->len, p, n);
	t->len += n;
}

/* Drain data through cot__input_open_mem; chunk 0 keeps the default.
 * When text is not NULL, lines and their ends are also appended there
 * (with the BOM restored) to be compared with the input. */
static void run(const uint8_t *data, size_t size, size_t chunk,
		struct trace *t, struct trace *text)
{
	cot__input *in;
	cot__line line;
	cot_error err;
	uint64_t last = 0;
	int rc, prev_eol = -1;

	memset(t, 0, sizeof *t);
	if (cot__input_open_mem(&in, data, size, "fuzz", &err) != COT_OK)
		abort();
	if (chunk)
		cot__input_set_chunk(in, chunk);
	while ((rc = cot__input_next(in, &line, &err)) == COT_OK) {
		static const char *const ends[] = { "", "\n", "\r\n", "" };
		size_t elen = strlen(ends[line.eol < 4 ? line.eol : 0]);

		if (line.eol < COT_EOL_NONE || line.eol > COT_EOL_CUT)
			abort();
		if (memchr(line.ptr, '\n', line.len))
			abort();
		if (line.lineno != last + 1)
			abort();
		/* only the last line may lack an LF */
		if (prev_eol == COT_EOL_NONE || prev_eol == COT_EOL_CUT)
			abort();
		prev_eol = line.eol;
		last = line.lineno;
		put(t, &line.lineno, sizeof line.lineno);
		put(t, &line.len, sizeof line.len);
		put(t, line.ptr, line.len);
		put(t, &(unsigned char){ (unsigned char)line.eol }, 1);
		if (text) {
			if (line.lineno == 1 && cot__input_had_bom(in))
				put(text, "\xef\xbb\xbf", 3);
			put(text, line.ptr, line.len);
			put(text, ends[line.eol], elen);
		}
	}
	if (text && !last && cot__input_had_bom(in))
		put(text, "\xef\xbb\xbf", 3);
	if (rc != COT_DONE && rc != COT_EIO)
		abort();
	if (rc == COT_EIO &&
	    (err.code != COT_EIO || strncmp(err.message, "fuzz: ", 6) != 0))
		abort();
	if (cot__input_next(in, &line, &err) != COT_DONE)
		abort();
	t->rc = rc;
	t->gzip = cot__input_is_gzip(in);
	t->bom = cot__input_had_bom(in);
	put(t, &rc, sizeof rc);
	if (rc != COT_DONE)
		put(t, err.message, strlen(err.message));
	if (cot__input_consumed(in) > size)
		abort();
	cot__input_free(in);
}

/* A second opinion on gzip input, written the simple way: inflate
 * member after member while the next bytes are 1f 8b, stopping at the
 * first error. What the input delivers must be exactly this, whether
 * it reports success or damage. */
static void gunzip(const uint8_t *data, size_t size, struct trace *out)
{
	unsigned char buf[4096];
	z_stream zs;
	int ret = Z_OK;

	memset(&zs, 0, sizeof zs);
	memset(out, 0, sizeof *out);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		abort();
	zs.next_in = (unsigned char *)(uintptr_t)data;
	zs.avail_in = (uInt)size;
	for (;;) {
		zs.next_out = buf;
		zs.avail_out = sizeof buf;
		ret = inflate(&zs, Z_NO_FLUSH);
		put(out, buf, sizeof buf - zs.avail_out);
		if (ret == Z_STREAM_END) {
			if (zs.avail_in < 2 || zs.next_in[0] != 0x1f ||
			    zs.next_in[1] != 0x8b)
				break;
			inflateReset(&zs);
		} else if (ret != Z_OK) {
			break;
		}
	}
	inflateEnd(&zs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace a, b, text;
	size_t chunk = size ? 1 + data[size - 1] % 64 : 1;

	memset(&text, 0, sizeof text);
	run(data, size, 0, &a, &text);
	/* A small chunk moves lines across every buffer end; nothing a
	 * caller sees may depend on it. */
	run(data, size, chunk, &b, NULL);
	if (a.len != b.len || memcmp(a.p, b.p, a.len) != 0 ||
	    a.gzip != b.gzip || a.bom != b.bom)
		abort();
	/* Plain input read to the end comes back byte for byte. */
	if (!a.gzip && a.rc == COT_DONE) {
		if (text.len != size || (size && memcmp(text.p, data, size)))
			abort();
	}
	/* A plain stream fails only for another format's magic: then no
	 * line at all. */
	if (!a.gzip && a.rc != COT_DONE && text.len != 0)
		abort();
	if (a.gzip) {
		struct trace ref;

		gunzip(data, size, &ref);
		/* every byte decoded, whether the stream ends well or not
		 * (a cut line is delivered as such) */
		if (text.len != ref.len ||
		    (text.len && memcmp(text.p, ref.p, text.len) != 0))
			abort();
		free(ref.p);
	}
	free(a.p);
	free(b.p);
	free(text.p);
	return 0;
}

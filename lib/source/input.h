/* input.h - bytes from a file, stdin or memory, gzip undone, cut into lines. */
#ifndef COT_INPUT_H
#define COT_INPUT_H

#include "base/internal.h"

/* The input: it knows bytes and lines, nothing of JSON or traces.
 *
 * Compression is detected from the first bytes, never from the name:
 * gzip (1f 8b) is inflated with zlib's inflate() driven here, so that
 * every line decoded before a truncation or corruption is still
 * delivered; multi-member streams are read to the end; zero padding after
 * the last member is ignored; any other byte after the last member, a
 * truncated or corrupt member is an error naming how far it got. zstd,
 * xz, bzip2, lz4 and zip magics are one clear error each.
 *
 * Lines: only LF ends a line. A UTF-8 BOM at byte 0 (after gzip) is
 * skipped. Lines have no length limit: the buffer grows to the longest
 * line, so memory is bounded by the longest line, never by the file. */

typedef struct cot__input cot__input;

/* How a delivered line ended. */
enum cot__eol {
	COT_EOL_NONE = 0,	/* last line of the input, no LF */
	COT_EOL_LF,		/* "\n" */
	COT_EOL_CRLF,		/* "\r\n" (the CR is not part of the line) */
	COT_EOL_CUT,		/* the last line, cut short by damage (a
				 * truncated or corrupt gzip stream, a read
				 * error): every byte of it that was decoded */
};

typedef struct cot__line {
	const char *ptr;	/* line content, without CR LF / LF; borrowed
				 * until the next call; not NUL-terminated */
	size_t len;
	uint64_t lineno;	/* 1-based, counts every physical line */
	int eol;		/* enum cot__eol */
} cot__line;

/* Open a path ("-" means stdin, not closed at the end). The name used in
 * messages is the path ("<stdin>" for "-").
 * Returns COT_OK, COT_EIO (cannot open: err->message says why, e.g.
 * "x.jsonl: No such file or directory"), COT_ENOMEM. */
int cot__input_open_path(cot__input **out, const char *path, cot_error *err);
/* Read from an open descriptor (not closed by cot__input_free). */
int cot__input_open_fd(cot__input **out, int fd, const char *name,
		       cot_error *err);
/* Read from memory (borrowed; must outlive the input). */
int cot__input_open_mem(cot__input **out, const void *data, size_t len,
			const char *name, cot_error *err);
void cot__input_free(cot__input *in);
/* Test seam: read and inflate n bytes at a time (default 1 MiB, at most
 * 1 GiB) so tests and fuzzers reach buffer boundaries with small inputs.
 * Call before the first cot__input_next. */
void cot__input_set_chunk(cot__input *in, size_t n);

/* The next line.
 * Returns COT_OK (*line filled), COT_DONE (end of input), or an error:
 * COT_EIO (read error, truncated / corrupt gzip, trailing garbage after
 * gzip, unsupported compression) with err->message naming the file and
 * how far it got, e.g. "x.jsonl.gz: gzip stream truncated after 1048576
 * decompressed bytes (line 57 incomplete)". Every complete line decoded
 * before the damage has been delivered before the error is returned, and
 * then the decoded bytes of a line the damage cut short (COT_EOL_CUT), so
 * that the lines delivered are every byte decoded; the message names that
 * line as incomplete.
 * After an error or COT_DONE, further calls return COT_DONE.
 * COT_ENOMEM when a line cannot be buffered. */
int cot__input_next(cot__input *in, cot__line *line, cot_error *err);

const char *cot__input_name(const cot__input *in);
bool cot__input_had_bom(const cot__input *in);		/* BOM skipped */
bool cot__input_is_gzip(const cot__input *in);
/* Compressed bytes consumed so far and total size when known (regular
 * file), for progress reports; total is 0 when unknown. */
uint64_t cot__input_consumed(const cot__input *in);
uint64_t cot__input_total(const cot__input *in);

#endif

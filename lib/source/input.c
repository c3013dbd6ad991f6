/* input.c - files, stdin, memory and gzip, cut into lines. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "source/input.h"

/* Read and inflate in pieces of this size: big enough that a system call
 * or an inflate() call costs nothing next to the bytes it moves, small
 * enough to stay in cache. Tests lower it with cot__input_set_chunk. */
#define DEFAULT_CHUNK ((size_t)1 << 20)

/* Why a stream ended early; the message is written when the error is
 * finally returned, after the complete lines, so it can name the line. */
enum fail {
	FAIL_NONE = 0,
	FAIL_READ,		/* read(2) failed: saved_errno */
	FAIL_TRUNCATED,		/* EOF inside a gzip member */
	FAIL_CORRUPT,		/* inflate said Z_DATA_ERROR: zmsg, zoff */
	FAIL_GARBAGE,		/* bytes after the last member: zoff */
	FAIL_FORMAT,		/* another compressor's magic: fmt */
};

/* Magics of formats we recognize but do not decode, with the command
 * that undoes each, for the message. */
struct magic {
	const char *what;
	const char *undo;	/* command that writes the plain bytes */
	unsigned char len;
	unsigned char bytes[6];
};

static const struct magic magics[] = {
	{ "zstd", "zstd -dc", 4,
	  { 0x28, 0xb5, 0x2f, 0xfd } },
	{ "xz", "xz -dc", 6,
	  { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00 } },
	/* bzip2 is "BZh" and a block size digit, checked apart */
	{ "bzip2", "bzip2 -dc", 4, { 0x42, 0x5a, 0x68 } },
	{ "lz4", "lz4 -dc", 4, { 0x04, 0x22, 0x4d, 0x18 } },
	{ "zip", "unzip -p", 4, { 0x50, 0x4b, 0x03, 0x04 } },
};

enum { FMT_UNKNOWN = -2, FMT_PLAIN = -1, FMT_GZIP = -3 };

struct cot__input {
	char *name;
	int fd;			/* -1 when reading from memory */
	bool close_fd;
	const unsigned char *mem;
	size_t mem_len, mem_pos;

	size_t chunk;
	/* Line buffer: [pos, end) is not delivered yet; [pos, scan) is
	 * known to hold no LF, so no byte is searched twice. */
	char *buf;
	size_t cap, pos, scan, end;

	bool started;		/* format detected */
	bool bom_done;
	bool had_bom;
	bool eof;		/* no more bytes will come into buf */
	bool done;		/* everything returned, error included */

	bool gzip;
	bool zinit;		/* zs needs inflateEnd */
	bool member_done;	/* between members: padding or next header */
	bool padding;		/* zero bytes seen after the last member */
	bool raw_eof;		/* the compressed source is exhausted */
	z_stream zs;
	unsigned char *zin;	/* compressed bytes (fd only; memory is used
				 * in place) */
	size_t zin_cap;

	enum fail fail;
	int saved_errno;
	int fmt;		/* index into magics for FAIL_FORMAT */
	const char *zmsg;	/* static string from zlib */
	uint64_t zoff;		/* compressed offset of the damage */

	uint64_t lineno;
	uint64_t cut_line;	/* the line delivered as COT_EOL_CUT, or 0 */
	uint64_t raw_total;	/* raw bytes taken from the source */
	uint64_t out_total;	/* bytes put into buf (decompressed) */
	uint64_t total;		/* st_size of a regular file, else 0 */
};

static voidpf zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	if (size && items > SIZE_MAX / size)
		return Z_NULL;
	return cot__malloc((size_t)items * size);
}

static void zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	cot__free(p);
}

static int oom(cot__input *in, cot_error *err)
{
	return cot__error_set(err, COT_ENOMEM, 0, 0, "%s: out of memory",
			      in ? in->name : "input");
}

/* Common part of the three openers; takes ownership of nothing. */
static int input_new(cot__input **out, const char *name, cot_error *err)
{
	cot__input *in = cot__calloc(1, sizeof *in);

	if (!in)
		return oom(NULL, err);
	in->name = cot__strdup(name);
	if (!in->name) {
		cot__free(in);
		return oom(NULL, err);
	}
	in->fd = -1;
	in->chunk = DEFAULT_CHUNK;
	*out = in;
	return COT_OK;
}

/* fstat tells a directory (read would fail later with a less clear
 * message) and the size of a regular file for progress reports. */
static int attach_fd(cot__input *in, int fd, cot_error *err)
{
	struct stat st;

	in->fd = fd;
	if (fstat(fd, &st) < 0)
		return cot__error_set(err, COT_EIO, 0, 0, "%s: %s", in->name,
				      strerror(errno));
	if (S_ISDIR(st.st_mode))
		return cot__error_set(err, COT_EIO, 0, 0, "%s: %s", in->name,
				      strerror(EISDIR));
	if (S_ISREG(st.st_mode)) {
		in->total = (uint64_t)st.st_size;
#ifdef POSIX_FADV_SEQUENTIAL
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	return COT_OK;
}

int cot__input_open_path(cot__input **out, const char *path, cot_error *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	cot__input *in = NULL;	/* set by input_new; gcc -O3 cannot tell */
	int rc, fd;

	*out = NULL;
	rc = input_new(&in, is_stdin ? "<stdin>" : path, err);
	if (rc)
		return rc;
	if (is_stdin) {
		fd = STDIN_FILENO;
	} else {
		do
			fd = open(path, O_RDONLY | O_CLOEXEC);
		while (fd < 0 && errno == EINTR);
		if (fd < 0) {
			rc = cot__error_set(err, COT_EIO, 0, 0, "%s: %s",
					    path, strerror(errno));
			cot__input_free(in);
			return rc;
		}
		in->close_fd = true;
	}
	rc = attach_fd(in, fd, err);
	if (rc) {
		cot__input_free(in);
		return rc;
	}
	*out = in;
	return COT_OK;
}

int cot__input_open_fd(cot__input **out, int fd, const char *name,
		       cot_error *err)
{
	cot__input *in = NULL;	/* set by input_new; gcc -O3 cannot tell */
	int rc;

	*out = NULL;
	rc = input_new(&in, name, err);
	if (rc)
		return rc;
	rc = attach_fd(in, fd, err);
	if (rc) {
		cot__input_free(in);
		return rc;
	}
	*out = in;
	return COT_OK;
}

int cot__input_open_mem(cot__input **out, const void *data, size_t len,
			const char *name, cot_error *err)
{
	cot__input *in = NULL;	/* set by input_new; gcc -O3 cannot tell */
	int rc;

	*out = NULL;
	rc = input_new(&in, name, err);
	if (rc)
		return rc;
	in->mem = len ? data : NULL;
	in->mem_len = len;
	*out = in;
	return COT_OK;
}

void cot__input_set_chunk(cot__input *in, size_t n)
{
	/* avail_in and avail_out are 32-bit; 1 GiB keeps all sums small */
	if (n > ((size_t)1 << 30))
		n = (size_t)1 << 30;
	in->chunk = n ? n : 1;
}

void cot__input_free(cot__input *in)
{
	if (!in)
		return;
	if (in->zinit)
		inflateEnd(&in->zs);
	if (in->close_fd)
		close(in->fd);
	cot__free(in->zin);
	cot__free(in->buf);
	cot__free(in->name);
	cot__free(in);
}

/* Up to n raw bytes into dst: > 0 bytes read, 0 at EOF, -1 on a read
 * error (recorded, and the stream ends there). Pipes give short reads;
 * callers take whatever comes, so that a slow writer's lines flow. */
static ssize_t raw_read(cot__input *in, void *dst, size_t n)
{
	ssize_t r;

	if (n > ((size_t)1 << 30))
		n = (size_t)1 << 30;
	if (in->fd < 0) {
		size_t left = in->mem_len - in->mem_pos;

		if (n > left)
			n = left;
		if (n)
			memcpy(dst, in->mem + in->mem_pos, n);
		in->mem_pos += n;
		in->raw_total += n;
		return (ssize_t)n;
	}
	do
		r = read(in->fd, dst, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		in->fail = FAIL_READ;
		in->saved_errno = errno;
		return -1;
	}
	in->raw_total += (uint64_t)r;
	return r;
}

/* Make at least chunk/2 bytes free after end: first by moving the
 * undelivered tail (a partial line) to the front, then by doubling. So
 * the buffer only grows for a line longer than about half of it, and
 * memory stays bounded by the longest line. */
static int make_room(cot__input *in, cot_error *err)
{
	size_t want = in->chunk / 2 ? in->chunk / 2 : 1;
	size_t cap;
	char *p;

	if (in->cap - in->end >= want)
		return COT_OK;
	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->end - in->pos);
		in->end -= in->pos;
		in->scan -= in->pos;
		in->pos = 0;
		if (in->cap - in->end >= want)
			return COT_OK;
	}
	cap = in->cap ? in->cap : in->chunk;
	while (cap - in->end < want) {
		if (cap > SIZE_MAX / 2)
			return oom(in, err);
		cap *= 2;
	}
	p = cot__realloc(in->buf, cap);
	if (!p)
		return oom(in, err);
	in->buf = p;
	in->cap = cap;
	return COT_OK;
}

/* FMT_UNKNOWN while the bytes seen could still begin some magic. */
static int sniff(const unsigned char *p, size_t n, bool eof)
{
	bool maybe = false;
	size_t i, k;

	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return FMT_GZIP;
	if (n == 1 && p[0] == 0x1f)
		maybe = true;
	for (i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		const struct magic *m = &magics[i];
		size_t len = m->len;
		bool bz = m->bytes[0] == 0x42;

		for (k = 0; k < len && k < n; k++) {
			if (bz && k == 3) {
				if (p[3] < '1' || p[3] > '9')
					break;
			} else if (p[k] != m->bytes[k]) {
				break;
			}
		}
		if (k == len)
			return (int)i;
		if (k == n)
			maybe = true;
	}
	return maybe && !eof ? FMT_UNKNOWN : FMT_PLAIN;
}

/* Compressed input for inflate. From memory it is used in place, handed
 * over a chunk at a time so that consumed() means something; from a
 * descriptor the unconsumed bytes move to the front and a read appends.
 * Keeping them lets the caller look two bytes ahead (1f 8b). */
static void zin_more(cot__input *in)
{
	z_stream *zs = &in->zs;

	if (in->fd < 0) {
		size_t left = in->mem_len - in->mem_pos;
		size_t n = in->chunk;

		if (n > left)
			n = left;
		if (n > UINT_MAX - zs->avail_in)
			n = UINT_MAX - zs->avail_in;
		if (!zs->avail_in)
			zs->next_in = (unsigned char *)in->mem + in->mem_pos;
		zs->avail_in += (uInt)n;
		in->mem_pos += n;
		in->raw_total += n;
		if (!n)
			in->raw_eof = true;
		return;
	}
	if (zs->avail_in && zs->next_in != in->zin)
		memmove(in->zin, zs->next_in, zs->avail_in);
	zs->next_in = in->zin;
	if (zs->avail_in < in->zin_cap) {
		ssize_t r = raw_read(in, in->zin + zs->avail_in,
				     in->zin_cap - zs->avail_in);

		if (r > 0)
			zs->avail_in += (uInt)r;
		else
			in->raw_eof = true;
	}
}

/* Compressed offset of the next byte inflate would take. */
static uint64_t zoffset(const cot__input *in)
{
	return in->raw_total - in->zs.avail_in;
}

/* After a member's trailer: another member (1f 8b), zero padding to the
 * end, or garbage. Returns true when inflate should go on. */
static bool between_members(cot__input *in)
{
	z_stream *zs = &in->zs;

	for (;;) {
		if (zs->avail_in < 2 && !in->raw_eof) {
			zin_more(in);
			continue;
		}
		if (!zs->avail_in) {
			in->eof = true;
			return false;
		}
		if (zs->next_in[0] == 0) {
			in->padding = true;
			zs->next_in++;
			zs->avail_in--;
			continue;
		}
		if (in->padding || zs->next_in[0] != 0x1f ||
		    (zs->avail_in >= 2 && zs->next_in[1] != 0x8b)) {
			in->fail = FAIL_GARBAGE;
			in->zoff = zoffset(in);
			in->eof = true;
			return false;
		}
		if (zs->avail_in < 2) {
			/* a lone 1f at the very end: a cut header */
			in->fail = FAIL_TRUNCATED;
			in->eof = true;
			return false;
		}
		in->member_done = false;
		inflateReset(zs);
		return true;
	}
}

/* Inflate straight into the line buffer's free space until some bytes
 * come out or the stream ends. One call's output can be as large as the
 * free space, so a 1 MiB compressed chunk becomes several MiB of lines
 * without an extra copy. */
static int fill_gzip(cot__input *in, cot_error *err)
{
	z_stream *zs = &in->zs;

	for (;;) {
		size_t room = in->cap - in->end;
		size_t made;
		int ret;

		if (in->member_done && !between_members(in))
			return COT_OK;
		if (!zs->avail_in && !in->raw_eof)
			zin_more(in);
		if (room > UINT_MAX)
			room = UINT_MAX;
		zs->next_out = (unsigned char *)in->buf + in->end;
		zs->avail_out = (uInt)room;
		ret = inflate(zs, Z_NO_FLUSH);
		made = room - zs->avail_out;
		in->end += made;
		in->out_total += made;
		switch (ret) {
		case Z_STREAM_END:
			in->member_done = true;
			break;
		case Z_OK:
			break;
		case Z_BUF_ERROR:
			/* No progress: inflate has taken all input (it keeps
			 * partial headers and bits in its state) and the
			 * output side has room, so it waits for input. */
			if (zs->avail_in)
				return cot__error_set(err, COT_ERROR, 0, 0,
					"%s: inflate made no progress",
					in->name);
			if (in->raw_eof) {
				/* a read error also ends the input early */
				if (in->fail != FAIL_READ)
					in->fail = FAIL_TRUNCATED;
				in->eof = true;
				return COT_OK;
			}
			break;
		case Z_DATA_ERROR:
		case Z_NEED_DICT:
			in->fail = FAIL_CORRUPT;
			in->zmsg = zs->msg ? zs->msg : "invalid data";
			in->zoff = zoffset(in);
			in->eof = true;
			return COT_OK;
		case Z_MEM_ERROR:
			return oom(in, err);
		default:
			return cot__error_set(err, COT_ERROR, 0, 0,
					      "%s: zlib inflate failed (%d)",
					      in->name, ret);
		}
		if (made)
			return COT_OK;
	}
}

/* Bring more bytes into the buffer, or set eof. A damaged stream sets
 * eof and in->fail and returns COT_OK: the lines before the damage are
 * still to be delivered. Only ENOMEM and the like return an error. */
static int fill(cot__input *in, cot_error *err)
{
	ssize_t r;
	int rc = make_room(in, err);

	if (rc)
		return rc;
	if (in->gzip)
		return fill_gzip(in, err);
	r = raw_read(in, in->buf + in->end, in->cap - in->end);
	if (r <= 0) {
		in->eof = true;
	} else {
		in->end += (size_t)r;
		in->out_total += (size_t)r;
	}
	return COT_OK;
}

/* Read until the first bytes tell the format. Plain bytes stay in the
 * buffer as data; gzip ones move to the compressed side. */
static int start(cot__input *in, cot_error *err)
{
	int fmt, rc;

	in->started = true;
	rc = make_room(in, err);
	if (rc)
		return rc;
	for (;;) {
		fmt = sniff((unsigned char *)in->buf + in->pos,
			    in->end - in->pos, in->eof);
		if (fmt != FMT_UNKNOWN)
			break;
		rc = fill(in, err);
		if (rc)
			return rc;
	}
	if (fmt >= 0) {
		in->fail = FAIL_FORMAT;
		in->fmt = fmt;
		in->eof = true;
		in->pos = in->scan = in->end;
		return COT_OK;
	}
	if (fmt == FMT_PLAIN)
		return COT_OK;

	/* gzip: what was read is compressed input, not data */
	in->gzip = true;
	in->zs.zalloc = zalloc;
	in->zs.zfree = zfree;
	in->zs.opaque = Z_NULL;
	in->zs.next_in = Z_NULL;
	in->zs.avail_in = 0;
	rc = inflateInit2(&in->zs, 16 + MAX_WBITS);
	if (rc == Z_MEM_ERROR)
		return oom(in, err);
	if (rc != Z_OK)
		return cot__error_set(err, COT_ERROR, 0, 0,
				      "%s: zlib init failed (%d)",
				      in->name, rc);
	in->zinit = true;
	if (in->fd < 0) {
		/* the sniffed bytes are the start of in->mem */
		in->zs.next_in = (unsigned char *)in->mem;
		in->zs.avail_in = (uInt)in->end;
	} else {
		/* at least 2, to look at 1f 8b between members */
		in->zin_cap = in->chunk > in->end ? in->chunk : in->end;
		if (in->zin_cap < 2)
			in->zin_cap = 2;
		in->zin = cot__malloc(in->zin_cap);
		if (!in->zin)
			return oom(in, err);
		memcpy(in->zin, in->buf, in->end);
		in->zs.next_in = in->zin;
		in->zs.avail_in = (uInt)in->end;
	}
	in->raw_eof = in->eof;
	in->eof = false;
	in->pos = in->scan = in->end = 0;
	in->out_total = 0;
	return COT_OK;
}

/* Skip EF BB BF at byte 0 of the decompressed stream. */
static int skip_bom(cot__input *in, cot_error *err)
{
	static const char bom[3] = { '\xef', '\xbb', '\xbf' };

	for (;;) {
		size_t n = in->end - in->pos;

		if (memcmp(in->buf + in->pos, bom, n < 3 ? n : 3) != 0)
			break;
		if (n >= 3) {
			in->pos += 3;
			in->scan = in->pos;
			in->had_bom = true;
			break;
		}
		if (in->eof)
			break;
		int rc = fill(in, err);
		if (rc)
			return rc;
	}
	in->bom_done = true;
	return COT_OK;
}

static int failure(cot__input *in, cot_error *err)
{
	bool partial = in->cut_line != 0;
	uint64_t l = in->cut_line;
	char where[64];

	if (partial)
		snprintf(where, sizeof where, "line %" PRIu64 " incomplete",
			 l);
	else
		snprintf(where, sizeof where, "at a line boundary");
	if (!partial)
		l = 0;
	switch (in->fail) {
	case FAIL_READ:
		return cot__error_set(err, COT_EIO, l, 0,
				      "%s: read error after %" PRIu64
				      " bytes (%s): %s", in->name,
				      in->raw_total, where,
				      strerror(in->saved_errno));
	case FAIL_TRUNCATED:
		return cot__error_set(err, COT_EIO, l, 0,
				      "%s: gzip stream truncated after %"
				      PRIu64 " decompressed bytes (%s)",
				      in->name, in->out_total, where);
	case FAIL_CORRUPT:
		return cot__error_set(err, COT_EIO, l, 0,
				      "%s: corrupt gzip data at compressed "
				      "offset %" PRIu64 ": %s (after %"
				      PRIu64 " decompressed bytes, %s)",
				      in->name, in->zoff, in->zmsg,
				      in->out_total, where);
	case FAIL_GARBAGE:
		return cot__error_set(err, COT_EIO, 0, 0,
				      "%s: trailing garbage after gzip member"
				      " at compressed offset %" PRIu64,
				      in->name, in->zoff);
	case FAIL_FORMAT: {
		const struct magic *m = &magics[in->fmt];

		return cot__error_set(err, COT_EIO, 0, 0,
				      "%s: %s-compressed input is not "
				      "supported; decompress it first "
				      "(%s %s | cotlog ...)", in->name,
				      m->what, m->undo, in->name);
	}
	default:
		return COT_DONE;
	}
}

static void deliver(cot__input *in, cot__line *line, size_t stop, int eol)
{
	line->ptr = in->buf + in->pos;
	line->len = stop - in->pos;
	line->eol = eol;
	line->lineno = ++in->lineno;
	if (eol == COT_EOL_LF && line->len && line->ptr[line->len - 1] ==
	    '\r') {
		line->len--;
		line->eol = COT_EOL_CRLF;
	}
}

int cot__input_next(cot__input *in, cot__line *line, cot_error *err)
{
	int rc;

	if (in->done)
		return COT_DONE;
	if (COT__UNLIKELY(!in->bom_done)) {
		rc = in->started ? COT_OK : start(in, err);
		if (!rc)
			rc = skip_bom(in, err);
		if (rc)
			goto fatal;
	}
	for (;;) {
		char *nl = memchr(in->buf + in->scan, '\n',
				  in->end - in->scan);

		if (COT__LIKELY(nl != NULL)) {
			size_t stop = (size_t)(nl - in->buf);

			deliver(in, line, stop, COT_EOL_LF);
			in->pos = in->scan = stop + 1;
			return COT_OK;
		}
		in->scan = in->end;
		if (in->eof)
			break;
		rc = fill(in, err);
		if (rc)
			goto fatal;
	}
	/* The source has ended: a last line without LF is a line, or
	 * what damage left of one (trailing garbage comes after a whole
	 * member, so it cuts no line). */
	if (in->pos < in->end) {
		bool cut = in->fail != FAIL_NONE && in->fail != FAIL_GARBAGE;

		deliver(in, line, in->end, cut ? COT_EOL_CUT : COT_EOL_NONE);
		if (cut)
			in->cut_line = line->lineno;
		in->pos = in->scan = in->end;
		return COT_OK;
	}
	in->done = true;
	return failure(in, err);
fatal:
	in->done = true;
	return rc;
}

const char *cot__input_name(const cot__input *in)
{
	return in->name;
}

bool cot__input_had_bom(const cot__input *in)
{
	return in->had_bom;
}

bool cot__input_is_gzip(const cot__input *in)
{
	return in->gzip;
}

uint64_t cot__input_consumed(const cot__input *in)
{
	return in->raw_total;
}

uint64_t cot__input_total(const cot__input *in)
{
	return in->total;
}

/* output.c - buffered sinks: stdout (or -o FILE, atomically; gzip for
 * FILE.gz) and --rejects. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "tool.h"

sink out_sink = { STDOUT_FILENO, "standard output", NULL, NULL, { 0 }, 0,
		  false, true, 0 };

/* Temporary files of -o / --rejects, removed if we are interrupted, so
 * an interrupted run never leaves half a file. */
static const char *volatile tmp_paths[2];

static void on_signal(int sig)
{
	for (int i = 0; i < 2; i++)
		if (tmp_paths[i])
			unlink(tmp_paths[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void write_all(sink *s, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(s->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE && s->is_stdout) {
			/* | head: the reader has what it wanted (README
			 * "Behaviour in pipelines") */
			sink_abandon_all();
			_exit(EXIT_OK);
		}
		if (w < 0) {
			diag("write error on %s: %s", s->name,
			     strerror(errno));
			sink_abandon_all();
			_exit(EXIT_USAGE);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* p[0..n) through the deflate stream of s into its file; with Z_FINISH,
 * the end of the stream. */
static void deflate_all(sink *s, const char *p, size_t n, int flush)
{
	z_stream *z = s->gz;
	char out[1 << 16];
	int rc;

	z->next_in = (Bytef *)(uintptr_t)p;
	for (;;) {
		/* avail_in is an unsigned int: a gigabyte at a time */
		uInt chunk = n > (1u << 30) ? 1u << 30 : (uInt)n;
		bool last = chunk == n;

		z->avail_in = chunk;
		z->next_out = (Bytef *)out;
		z->avail_out = sizeof out;
		rc = deflate(z, last ? flush : Z_NO_FLUSH);
		if (rc == Z_STREAM_ERROR) {
			diag("%s: gzip: %s", s->name,
			     z->msg ? z->msg : "stream error");
			sink_abandon_all();
			_exit(EXIT_USAGE);
		}
		n -= chunk - z->avail_in;
		write_all(s, out, sizeof out - z->avail_out);
		/* done when all input is taken and deflate had room to
		 * say everything (and, finishing, said the end) */
		if (n == 0 && z->avail_out > 0 &&
		    (flush != Z_FINISH || rc == Z_STREAM_END))
			break;
	}
}

static void put(sink *s, const char *p, size_t n)
{
	if (s->gz)
		deflate_all(s, p, n, Z_NO_FLUSH);
	else
		write_all(s, p, n);
}

void sink_flush(sink *s)
{
	put(s, s->buf, s->used);
	s->used = 0;
}

/* On a worker thread, what would go to a sink or to stderr goes to the
 * batch's buffers, for the writer to put out in input order. */
static _Thread_local redirect *tls_redirect;

static void at_exit(void);

static void register_at_exit(void)
{
	atexit(at_exit);
}

static void buf_add(cot_buf *b, const void *p, size_t n)
{
	if (b->size + n + 1 > b->cap) {
		size_t cap = (b->size + n + 1) * 2;
		char *v = realloc(b->ptr, cap);

		if (!v) {
			fputs("cotlog: out of memory\n", stderr);
			_exit(EXIT_USAGE);
		}
		b->ptr = v;
		b->cap = cap;
	}
	memcpy(b->ptr + b->size, p, n);
	b->size += n;
}

/* A worker that ends the program (out of memory, a fatal limit) has its
 * last words in its batch: say them on the way out, and remove the
 * temporary files of -o and --rejects. */
static void at_exit(void)
{
	if (tls_redirect && tls_redirect->err.size)
		fwrite(tls_redirect->err.ptr, 1, tls_redirect->err.size,
		       stderr);
	sink_abandon_all();
}

void redirect_begin(redirect *r)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, register_at_exit);
	tls_redirect = r;
}

void redirect_end(void)
{
	tls_redirect = NULL;
}

bool redirect_diag(const char *msg, size_t n)
{
	if (!tls_redirect)
		return false;
	buf_add(&tls_redirect->err, msg, n);
	return true;
}

void redirect_flush(redirect *r)
{
	for (int i = 0; i < 2; i++)
		if (r->part[i].to && r->part[i].buf.size)
			sink_write(r->part[i].to, r->part[i].buf.ptr,
				   r->part[i].buf.size);
	if (r->err.size)
		fwrite(r->err.ptr, 1, r->err.size, stderr);
}

void redirect_clear(redirect *r)
{
	for (int i = 0; i < 2; i++)
		r->part[i].buf.size = 0;
	r->err.size = 0;
}

void redirect_dispose(redirect *r)
{
	for (int i = 0; i < 2; i++)
		free(r->part[i].buf.ptr);
	free(r->err.ptr);
	memset(r, 0, sizeof *r);
}

void sink_write(sink *s, const void *p, size_t n)
{
	if (tls_redirect) {
		redirect *r = tls_redirect;
		int i = r->part[0].to == s || !r->part[0].to ? 0 : 1;

		r->part[i].to = s;
		buf_add(&r->part[i].buf, p, n);
		return;
	}
	if (n >= sizeof s->buf) {
		sink_flush(s);
		put(s, p, n);
		return;
	}
	if (s->used + n > sizeof s->buf)
		sink_flush(s);
	memcpy(s->buf + s->used, p, n);
	s->used += n;
}

void sink_record_done(sink *s)
{
	if (s->unbuffered && !tls_redirect)
		sink_flush(s);
}

int sink_open(sink *s, const char *path, int slot)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);

	if (!tmp)
		return -1;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	s->fd = mkstemp(tmp);
	if (s->fd < 0) {
		diag("%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (n > 3 && !strcmp(path + n - 3, ".gz")) {
		/* a name that says gzip gets gzip (window 15, +16: the gzip
		 * wrapper), at gzip's default level */
		z_stream *z = calloc(1, sizeof *z);

		if (!z || deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
				       15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			diag("%s: out of memory", path);
			free(z);
			close(s->fd);
			unlink(tmp);
			free(tmp);
			return -1;
		}
		s->gz = z;
	}
	s->name = path;
	s->tmp = tmp;
	s->is_stdout = false;
	s->slot = slot;
	tmp_paths[slot] = tmp;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	return 0;
}

/* Flush, then give the file its name: readers see all or nothing. */
int sink_commit(sink *s)
{
	sink_flush(s);
	if (s->gz) {
		deflate_all(s, NULL, 0, Z_FINISH);
		deflateEnd(s->gz);
		free(s->gz);
		s->gz = NULL;
	}
	if (!s->tmp)
		return 0;
	if (fsync(s->fd) != 0 || close(s->fd) != 0 ||
	    rename(s->tmp, s->name) != 0) {
		diag("%s: %s", s->name, strerror(errno));
		unlink(s->tmp);
		return -1;
	}
	tmp_paths[s->slot] = NULL;
	free(s->tmp);
	s->tmp = NULL;
	s->fd = -1;
	return 0;
}

void sink_abandon_all(void)
{
	for (int i = 0; i < 2; i++)
		if (tmp_paths[i])
			unlink(tmp_paths[i]);
}

void out_write(const void *p, size_t n)
{
	sink_write(&out_sink, p, n);
}

void out_puts(const char *s)
{
	sink_write(&out_sink, s, strlen(s));
}

void out_flush(void)
{
	sink_flush(&out_sink);
}

void out_set_unbuffered(bool on)
{
	out_sink.unbuffered = on;
}

/* ,"KEY": with KEY escaped as a JSON string. */
char *json_key_text(const char *name, size_t *len)
{
	size_t n = strlen(name);
	char *k = malloc(n * 6 + 8);
	size_t o = 0;

	if (!k)
		exit(EXIT_USAGE);
	k[o++] = ',';
	k[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '"' || c == '\\') {
			k[o++] = '\\';
			k[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)sprintf(k + o, "\\u%04x", c);
		} else {
			k[o++] = (char)c;
		}
	}
	k[o++] = '"';
	k[o++] = ':';
	k[o] = '\0';
	*len = o;
	return k;
}

/* output.c - buffered sinks: stdout (or -o FILE, atomically; gzip for
 * FILE.gz) and --rejects. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "tool.h"

sink out_sink = { .fd = STDOUT_FILENO, .name = "standard output",
		  .is_stdout = true, .direct = true };

/* Temporary files of -o / --rejects, removed if we are interrupted, so
 * an interrupted run never leaves half a file. */
static const char *volatile tmp_paths[2];
/* The sinks sink_open opened, by slot, for sinks_close. */
static sink *open_sinks[2];

static void on_signal(int sig)
{
	for (int i = 0; i < 2; i++)
		if (tmp_paths[i])
			unlink(tmp_paths[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

void (*out_closed_hook)(void);

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
			if (out_closed_hook)
				out_closed_hook();
			_exit(EXIT_OK);
		}
		if (w < 0) {
			/* nothing is committed after this: say so when a
			 * file would have been replaced */
			diag("write error on %s: %s%s", s->name,
			     strerror(errno), tmp_paths[0] || tmp_paths[1] ?
			     " (the output files are left as they were)" : "");
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

static pthread_once_t at_exit_once = PTHREAD_ONCE_INIT;

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
	pthread_once(&at_exit_once, register_at_exit);
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
	for (int i = 0; i < 2; i++) {
		size_t done = 0;

		if (!r->part[i].to)
			continue;
		for (size_t k = 0; k < r->part[i].nref; k++) {
			const borrowed *b = &r->part[i].ref[k];

			sink_write(r->part[i].to, r->part[i].buf.ptr + done,
				   b->at - done);
			sink_write(r->part[i].to, b->p, b->n);
			done = b->at;
		}
		if (r->part[i].buf.size > done)
			sink_write(r->part[i].to, r->part[i].buf.ptr + done,
				   r->part[i].buf.size - done);
	}
	if (r->err.size)
		fwrite(r->err.ptr, 1, r->err.size, stderr);
}

void redirect_clear(redirect *r)
{
	for (int i = 0; i < 2; i++)
		r->part[i].buf.size = r->part[i].nref = 0;
	r->err.size = 0;
}

void redirect_dispose(redirect *r)
{
	for (int i = 0; i < 2; i++) {
		free(r->part[i].buf.ptr);
		free(r->part[i].ref);
	}
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

/* Below this a copy costs less than a reference. */
enum { BORROW_MIN = 4096 };

void sink_write_unit(sink *s, const void *p, size_t n)
{
	redirect *r = tls_redirect;
	int i;

	if (!r || n < BORROW_MIN) {
		sink_write(s, p, n);
		return;
	}
	i = r->part[0].to == s || !r->part[0].to ? 0 : 1;
	r->part[i].to = s;
	if (r->part[i].nref == r->part[i].capref) {
		size_t cap = r->part[i].capref ? r->part[i].capref * 2 : 16;
		borrowed *v = realloc(r->part[i].ref, cap * sizeof *v);

		if (!v) {
			fputs("cotlog: out of memory\n", stderr);
			_exit(EXIT_USAGE);
		}
		r->part[i].ref = v;
		r->part[i].capref = cap;
	}
	r->part[i].ref[r->part[i].nref++] =
		(borrowed){ r->part[i].buf.size, p, n };
}

void sink_record_done(sink *s)
{
	if (s->unbuffered && !tls_redirect)
		sink_flush(s);
}

/* The target of a path: symbolic links followed to the name that is
 * not one (which may not exist yet), so a link to a file is kept and
 * the file it names is replaced. malloc'd; NULL with errno set. */
static char *resolve_links(const char *path)
{
	char *cur = strdup(path);

	for (int hops = 0; cur; hops++) {
		struct stat st;
		char link[PATH_MAX], *next;
		ssize_t n;
		size_t dir;

		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		if (hops == 40) {
			errno = ELOOP;
			break;
		}
		n = readlink(cur, link, sizeof link - 1);
		if (n < 0)
			break;
		link[n] = '\0';
		/* a relative link is relative to the link's directory */
		dir = link[0] == '/' || !strrchr(cur, '/') ? 0 :
		      (size_t)(strrchr(cur, '/') - cur) + 1;
		next = malloc(dir + (size_t)n + 1);
		if (!next)
			break;
		memcpy(next, cur, dir);
		memcpy(next + dir, link, (size_t)n + 1);
		free(cur);
		cur = next;
	}
	free(cur);
	return NULL;
}

/* Whether -o A and --rejects B name the same file: the same device and
 * inode when it exists ("-" is standard output, and what it is
 * redirected to), else the same resolved path. Two character devices
 * (/dev/null) are not a conflict: nothing is lost there. */
bool sink_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	bool ha = !strcmp(a, "-") ? fstat(STDOUT_FILENO, &sa) == 0 :
				   stat(a, &sa) == 0;
	bool hb = !strcmp(b, "-") ? fstat(STDOUT_FILENO, &sb) == 0 :
				   stat(b, &sb) == 0;
	char *ra, *rb, *da, *db;
	bool same;

	if (!strcmp(a, b))
		return !(ha && S_ISCHR(sa.st_mode));
	if (ha && hb)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
		       !S_ISCHR(sa.st_mode);
	if (ha || hb || !strcmp(a, "-") || !strcmp(b, "-"))
		return false;	/* one exists, the other does not */
	/* neither exists yet: compare the directories they would be in */
	ra = resolve_links(a);
	rb = resolve_links(b);
	if (!ra || !rb) {
		free(ra);
		free(rb);
		return false;
	}
	{
		char *sa_ = strrchr(ra, '/'), *sb_ = strrchr(rb, '/');
		const char *ba = sa_ ? sa_ + 1 : ra, *bb = sb_ ? sb_ + 1 : rb;

		if (sa_)
			*sa_ = '\0';
		if (sb_)
			*sb_ = '\0';
		da = realpath(sa_ ? (*ra ? ra : "/") : ".", NULL);
		db = realpath(sb_ ? (*rb ? rb : "/") : ".", NULL);
		same = da && db && !strcmp(da, db) && !strcmp(ba, bb);
	}
	free(da);
	free(db);
	free(ra);
	free(rb);
	return same;
}

static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int sink_open(sink *s, const char *path, int slot)
{
	struct stat st;
	char *target, *tmp;
	size_t n = strlen(path), tn;
	sigset_t block, was;
	bool exists;

	s->name = path;
	s->slot = slot;
	s->gz = NULL;
	s->tmp = NULL;
	s->target = NULL;
	if (!strcmp(path, "-")) {
		/* -o -: standard output, as without -o */
		s->fd = STDOUT_FILENO;
		s->name = "standard output";
		s->is_stdout = true;
		s->direct = true;
		open_sinks[slot] = s;
		return 0;
	}
	s->is_stdout = false;
	target = resolve_links(path);
	if (!target) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	exists = stat(target, &st) == 0;
	if (!exists && errno != ENOENT) {
		diag("%s: %s", path, strerror(errno));
		free(target);
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) {
		/* a FIFO, a terminal, /dev/null: written to as it is; a
		 * rename would put a regular file in its place */
		free(target);
		s->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (s->fd < 0) {
			diag("%s: %s", path, strerror(errno));
			return -1;
		}
		s->direct = true;
	} else {
		tn = strlen(target);
		tmp = malloc(tn + 16);
		if (!tmp) {
			free(target);
			diag("%s: out of memory", path);
			return -1;
		}
		/* beside the file that is replaced: rename stays in one
		 * file system */
		memcpy(tmp, target, tn);
		memcpy(tmp + tn, ".tmp.XXXXXX", 12);
		/* no signal between making the file and noting it for
		 * on_signal to remove */
		catch_signals();
		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &block, &was);
		s->fd = mkstemp(tmp);
		if (s->fd >= 0)
			tmp_paths[slot] = tmp;
		pthread_sigmask(SIG_SETMASK, &was, NULL);
		if (s->fd < 0) {
			diag("%s: %s", path, strerror(errno));
			free(tmp);
			free(target);
			return -1;
		}
		/* mkstemp makes 0600: the file gets the mode it had, or
		 * the one the umask gives a new file (and its owner where
		 * we may) */
		if (exists) {
			if (fchown(s->fd, st.st_uid, st.st_gid) != 0 &&
			    fchown(s->fd, (uid_t)-1, st.st_gid) != 0) {
				/* not ours to give: the file becomes ours */
			}
			fchmod(s->fd, st.st_mode & 07777);
		} else {
			fchmod(s->fd, 0666 & ~current_umask());
		}
		s->tmp = tmp;
		s->target = target;
		s->direct = false;
	}
	if (n > 3 && !strcmp(path + n - 3, ".gz")) {
		/* a name that says gzip gets gzip (window 15, +16: the gzip
		 * wrapper), at gzip's default level */
		z_stream *z = calloc(1, sizeof *z);

		if (!z || deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
				       15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			diag("%s: out of memory", path);
			free(z);
			sink_abandon_all();
			return -1;
		}
		s->gz = z;
	}
	open_sinks[slot] = s;
	/* however the program ends (exit on --strict, a fatal error),
	 * no temporary file is left behind */
	pthread_once(&at_exit_once, register_at_exit);
	return 0;
}

/* Everything written, the gzip stream ended, the file on disk and
 * closed; -1 (reported) if not. */
static int sink_finish(sink *s)
{
	sink_flush(s);
	if (s->gz) {
		deflate_all(s, NULL, 0, Z_FINISH);
		deflateEnd(s->gz);
		free(s->gz);
		s->gz = NULL;
	}
	if (s->is_stdout)
		return 0;
	if ((s->tmp && fsync(s->fd) != 0) || close(s->fd) != 0) {
		s->fd = -1;
		diag("%s: %s", s->name, strerror(errno));
		return -1;
	}
	s->fd = -1;
	return 0;
}

bool sink_partial_ok;

int sinks_close(bool complete)
{
	bool ok = true, kept = false;

	if (open_sinks[0] != &out_sink)
		out_flush();
	for (int i = 0; i < 2; i++)
		if (open_sinks[i] && sink_finish(open_sinks[i]) != 0)
			ok = false;
	/* one run, one outcome: every file is replaced, or none */
	for (int i = 0; i < 2; i++) {
		sink *s = open_sinks[i];

		if (!s || !s->tmp)
			continue;
		if (ok && (complete || sink_partial_ok)) {
			if (rename(s->tmp, s->target) != 0) {
				diag("%s: %s", s->name, strerror(errno));
				unlink(s->tmp);
				ok = false;
			}
		} else {
			unlink(s->tmp);
			kept = true;
		}
		tmp_paths[i] = NULL;
		free(s->tmp);
		free(s->target);
		s->tmp = s->target = NULL;
	}
	for (int i = 0; i < 2; i++)
		open_sinks[i] = NULL;
	if (kept && ok)
		diag("the input was not read to its end: the output files "
		     "are left as they were (--partial-ok writes what was "
		     "read)");
	else if (kept)
		diag("the output files are left as they were");
	return ok ? 0 : -1;
}

void sink_abandon_all(void)
{
	for (int i = 0; i < 2; i++)
		if (tmp_paths[i])
			unlink(tmp_paths[i]);
}

/* ---- what reaches a terminal ---- */

size_t term_char(const char *s, size_t n, bool *safe)
{
	uint32_t cp;
	size_t len = cot_utf8_next(s, n, &cp);

	/* U+0080-U+009F are the C1 controls (CSI, OSC to a terminal) */
	*safe = cp != COT_UTF8_INVALID && cp >= 0x20 && cp != 0x7f &&
		(cp < 0x80 || cp > 0x9f);
	return len;
}

void term_clean(const char *s, size_t n, bool lines,
		void (*emit)(void *ctx, const char *p, size_t n), void *ctx)
{
	size_t done = 0;

	for (size_t i = 0; i < n;) {
		bool safe;
		size_t len = term_char(s + i, n - i, &safe);

		if (!safe && !(lines && (s[i] == '\n' || s[i] == '\t'))) {
			emit(ctx, s + done, i - done);
			emit(ctx, "\xef\xbf\xbd", 3);
			done = i + len;
		}
		i += len;
	}
	emit(ctx, s + done, n - done);
}

typedef struct fixed {
	char *p;
	size_t n, cap;
} fixed;

/* Into a fixed buffer, cut at a character when it is full. */
static void put_fixed(void *ctx, const char *p, size_t n)
{
	fixed *f = ctx;

	if (n > f->cap - f->n) {
		n = f->cap - f->n;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(f->p + f->n, p, n);
	f->n += n;
}

size_t term_clean_buf(char *dst, size_t cap, const char *s, size_t n)
{
	fixed f = { dst, 0, cap - 1 };

	term_clean(s, n, false, put_fixed, &f);
	dst[f.n] = '\0';
	return f.n;
}

static void put_out(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	out_write(p, n);
}

void out_safe(const char *s, size_t n)
{
	term_clean(s, n, false, put_out, NULL);
}

void out_safe_cstr(const char *s)
{
	out_safe(s, strlen(s));
}

void out_write(const void *p, size_t n)
{
	sink_write(&out_sink, p, n);
}

void out_write_unit(const void *p, size_t n)
{
	sink_write_unit(&out_sink, p, n);
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
	cot_buf b = COT_BUF_INIT;
	char *k;

	if (cot_json_string(&b, name, strlen(name), COT_JSON_TERMINAL, NULL) ||
	    !(k = malloc(b.size + 3))) {
		diag("out of memory");
		exit(EXIT_USAGE);
	}
	k[0] = ',';
	memcpy(k + 1, b.ptr, b.size);
	k[b.size + 1] = ':';
	k[b.size + 2] = '\0';
	*len = b.size + 2;
	cot_buf_dispose(&b);
	return k;
}

/* output.c - buffered stdout that stops quietly on a closed pipe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static char buf[1 << 20];
static size_t used;
static bool unbuffered;

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EPIPE) {
			/* | head: the reader has what it wanted (SPEC 4) */
			_exit(EXIT_OK);
		}
		if (w < 0) {
			diag("write error: %s", strerror(errno));
			_exit(EXIT_USAGE);
		}
		p += w;
		n -= (size_t)w;
	}
}

void out_flush(void)
{
	write_all(buf, used);
	used = 0;
}

void out_write(const void *p, size_t n)
{
	if (n >= sizeof buf) {
		out_flush();
		write_all(p, n);
		return;
	}
	if (used + n > sizeof buf)
		out_flush();
	memcpy(buf + used, p, n);
	used += n;
}

void out_puts(const char *s)
{
	out_write(s, strlen(s));
}

void out_set_unbuffered(bool on)
{
	unbuffered = on;
}

/* SPDX-License-Identifier: MIT */
/*
 * out.c - struct cli_out: a bounded, growable text buffer.
 *
 * Used by cmd.c (command output and errors), ctl.c (replies) and main.c.
 * Knows nothing of commands or sockets.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

static const char cut[] = "(output truncated)\n";

/**
 * cli_out_init() - start with no text
 * @o:		the buffer
 */
void cli_out_init(struct cli_out *o)
{
	memset(o, 0, sizeof(*o));
}

/**
 * cli_out_free() - release the text
 * @o:		the buffer; empty and usable again afterwards
 */
void cli_out_free(struct cli_out *o)
{
	free(o->buf);
	cli_out_init(o);
}

/**
 * cli_out_reset() - drop the text, keep the memory
 * @o:		the buffer
 */
void cli_out_reset(struct cli_out *o)
{
	o->len = 0;
	o->truncated = false;
	if (o->buf)
		o->buf[0] = '\0';
}

/* Make room for @need more bytes plus the NUL; false if we may not. */
static bool grow(struct cli_out *o, size_t need)
{
	size_t cap = o->cap ? o->cap : 256;
	char *p;

	if (o->len + need + 1 > CLI_OUT_MAX + sizeof(cut))
		return false;
	while (cap < o->len + need + 1)
		cap *= 2;
	if (cap > CLI_OUT_MAX + sizeof(cut))
		cap = CLI_OUT_MAX + sizeof(cut);
	if (cap == o->cap)
		return true;
	p = realloc(o->buf, cap);
	if (!p)
		return false;
	o->buf = p;
	o->cap = cap;
	return true;
}

/* Mark the text as cut, once, with a last line saying so. */
static void truncate_here(struct cli_out *o)
{
	if (o->truncated)
		return;
	o->truncated = true;
	if (o->len > CLI_OUT_MAX)
		o->len = CLI_OUT_MAX;
	if (!grow(o, sizeof(cut) - 1))
		return;
	memcpy(o->buf + o->len, cut, sizeof(cut));
	o->len += sizeof(cut) - 1;
}

/**
 * cli_out_printf() - append formatted text
 * @o:		the buffer
 * @fmt:	printf format
 *
 * Past CLI_OUT_MAX, or when memory runs out, the text is cut and marked.
 */
void cli_out_printf(struct cli_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->truncated)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (o->len + (size_t)n > CLI_OUT_MAX || !grow(o, (size_t)n)) {
		truncate_here(o);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

/**
 * cli_out_text() - the text so far
 * @o:		the buffer
 *
 * Return: a NUL-terminated string, "" when nothing was written
 */
const char *cli_out_text(const struct cli_out *o)
{
	return o->buf ? o->buf : "";
}

/* SPDX-License-Identifier: MIT */
/*
 * log.c - rrsandbox's logging to stderr (see log.h).
 *
 * The level and the sandbox name are the only mutable globals outside the
 * loop context: they are set once by cli/ before the loop starts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static enum log_level log_level = LOG_INFO;
static char log_prefix[64] = "rrsandbox";

/**
 * log_init() - set the prefix and the level
 * @name:	sandbox name, or NULL for none
 * @level:	most verbose level printed
 */
void log_init(const char *name, enum log_level level)
{
	log_level = level;
	if (name && *name)
		snprintf(log_prefix, sizeof(log_prefix), "rrsandbox[%s]", name);
	else
		snprintf(log_prefix, sizeof(log_prefix), "rrsandbox");
}

/**
 * log_enabled() - whether messages of @level are printed
 * @level:	level to check
 *
 * Return: true if printed
 */
bool log_enabled(enum log_level level)
{
	return level <= log_level;
}

/**
 * log_msg() - print one line to stderr
 * @level:	its level
 * @with_errno:	append strerror(errno)
 * @fmt:	printf format
 */
void log_msg(enum log_level level, bool with_errno, const char *fmt, ...)
{
	int saved = errno;
	char buf[1024];
	va_list ap;
	int n;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (with_errno)
		fprintf(stderr, "%s: %s: %s\n", log_prefix, buf, strerror(saved));
	else
		fprintf(stderr, "%s: %s\n", log_prefix, buf);
	errno = saved;
}

/**
 * die() - print an error and exit with status 125 (before the loop only)
 * @fmt:	printf format
 */
void die(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", log_prefix, buf);
	exit(125);
}

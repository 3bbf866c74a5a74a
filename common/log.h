/* SPDX-License-Identifier: MIT */
/*
 * log.h - rrsandbox's logging: err, warn, info, debug, trace and die.
 *
 * Every module logs through these; messages go to stderr prefixed with
 * "rrsandbox[NAME]: ".  The level is set once by cli/ from -v.  The _perror
 * forms append strerror(errno).  die() is for set-up before the loop runs.
 */
#ifndef RRS_LOG_H
#define RRS_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN,
	LOG_INFO,
	LOG_CALLS,	/* -v: one line per emulated call */
	LOG_DEBUG,	/* -vv */
	LOG_TRACE,	/* -vvv */
};

void log_init(const char *name, enum log_level level);
bool log_enabled(enum log_level level);
void log_msg(enum log_level level, bool with_errno, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define err(...)          log_msg(LOG_ERR, false, __VA_ARGS__)
#define err_perror(...)   log_msg(LOG_ERR, true, __VA_ARGS__)
#define warn(...)         log_msg(LOG_WARN, false, __VA_ARGS__)
#define warn_perror(...)  log_msg(LOG_WARN, true, __VA_ARGS__)
#define info(...)         log_msg(LOG_INFO, false, __VA_ARGS__)
#define calls(...) do { if (log_enabled(LOG_CALLS)) log_msg(LOG_CALLS, false, __VA_ARGS__); } while (0)
#define debug(...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, false, __VA_ARGS__); } while (0)
#define trace(...) do { if (log_enabled(LOG_TRACE)) log_msg(LOG_TRACE, false, __VA_ARGS__); } while (0)

#endif /* RRS_LOG_H */

/* SPDX-License-Identifier: MIT */
/*
 * out.h - a growable text buffer for command output and error messages.
 *
 * cmd.c writes into it, ctl.c sends it over the control socket, main.c
 * prints it.  It never grows past CLI_OUT_MAX: what does not fit is cut
 * and the text ends with a "(output truncated)" line, so a huge routing
 * table cannot make the supervisor allocate without bound.
 */
#ifndef RRS_CLI_OUT_H
#define RRS_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>

#define CLI_OUT_MAX	(1u << 20)	/* bytes of text, then truncated */

/**
 * struct cli_out - text being built
 * @buf:	the text, NUL-terminated (NULL until something is written)
 * @len:	its length, without the NUL
 * @cap:	bytes allocated
 * @truncated:	whether text was dropped (CLI_OUT_MAX or out of memory)
 */
struct cli_out {
	char *buf;
	size_t len;
	size_t cap;
	bool truncated;
};

void cli_out_init(struct cli_out *o);
void cli_out_free(struct cli_out *o);
void cli_out_reset(struct cli_out *o);
void cli_out_printf(struct cli_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *cli_out_text(const struct cli_out *o);

#endif /* RRS_CLI_OUT_H */

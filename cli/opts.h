/* SPDX-License-Identifier: MIT */
/*
 * opts.h - rrsandbox's command line.
 */
#ifndef RRS_CLI_OPTS_H
#define RRS_CLI_OPTS_H

#include <stdbool.h>

/**
 * struct cli_opts - what the command line asked for
 * @argv:	the program and its arguments (points into main's argv)
 * @name:	sandbox name, NULL for the default
 * @verbose:	-v count
 * @wait_all:	--wait-all
 * @no_shortcut: --no-shortcut
 */
struct cli_opts {
	char **argv;
	const char *name;
	int verbose;
	bool wait_all;
	bool no_shortcut;
};

enum cli_parse { CLI_RUN, CLI_EXIT_OK, CLI_EXIT_USAGE };

enum cli_parse cli_opts_parse(int argc, char **argv, struct cli_opts *o);

#endif /* RRS_CLI_OPTS_H */

/* SPDX-License-Identifier: MIT */
/*
 * opts.c - parse rrsandbox's command line; print --help and --version.
 *
 * Options end at "--" or at the first word that is not an option, so
 * `rrsandbox sh -c 'x'` and `rrsandbox -- sh -c 'x'` both work and the
 * program's own options are never taken for ours.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "opts.h"

static const char usage[] =
"Usage: rrsandbox [OPTIONS] [--] PROGRAM [ARGS...]\n"
"\n"
"Run PROGRAM as an ordinary user with every IPv4 and IPv6 socket of its\n"
"process tree served by a userspace TCP/IP stack (lwIP) in rrsandbox.\n"
"No root, no namespaces: the sandbox has its own loopback `lo`\n"
"(127.0.0.1/8, ::1) and no route anywhere else. AF_UNIX stays native;\n"
"other address families are refused.\n"
"\n"
"Options:\n"
"  -n, --name NAME   name the sandbox (log prefix)\n"
"  -v, --verbose     log each emulated socket call; twice for debugging\n"
"      --wait-all    when PROGRAM exits, wait for the rest of its tree\n"
"                    instead of killing it\n"
"      --no-shortcut keep TCP between two programs of the sandbox in lwIP\n"
"                    (by default such a connection is one kernel AF_UNIX\n"
"                    pair once established)\n"
"  -h, --help        show this help\n"
"  -V, --version     show the version\n"
"\n"
"Exit status: PROGRAM's; 128+N if it was killed by signal N; 127 if it\n"
"was not found, 126 if it could not be run, 125 for rrsandbox's errors.\n"
"SIGINT, SIGQUIT, SIGTERM and SIGHUP are passed to PROGRAM (Ctrl-C and\n"
"Ctrl-\\ at a terminal reach it directly). SIGUSR1 prints one line of\n"
"counters (fds, sockets, lwIP pcbs) to stderr.\n";

/**
 * cli_opts_parse() - parse argv
 * @argc:	from main
 * @argv:	from main
 * @o:		filled in
 *
 * Return: CLI_RUN to run o->argv, CLI_EXIT_OK after --help/--version,
 * CLI_EXIT_USAGE after a usage error was printed
 */
enum cli_parse cli_opts_parse(int argc, char **argv, struct cli_opts *o)
{
	static const struct option longs[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "wait-all", no_argument, NULL, 'W' },
		{ "no-shortcut", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:n:vhV", longs, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!*optarg || strlen(optarg) > 32 || strchr(optarg, '/')) {
				fprintf(stderr, "rrsandbox: --name: '%s': want 1 to 32 "
					"characters, no '/'\n", optarg);
				return CLI_EXIT_USAGE;
			}
			o->name = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'W':
			o->wait_all = true;
			break;
		case 'S':
			o->no_shortcut = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("rrsandbox %s\n", RRS_VERSION);
			return CLI_EXIT_OK;
		case ':':
			fprintf(stderr, "rrsandbox: option '%s' needs an argument\n",
				argv[optind - 1]);
			fprintf(stderr, "Try 'rrsandbox --help'.\n");
			return CLI_EXIT_USAGE;
		default:
			if (optopt)
				fprintf(stderr, "rrsandbox: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "rrsandbox: unknown option '%s'\n",
					argv[optind - 1]);
			fprintf(stderr, "Try 'rrsandbox --help'.\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "rrsandbox: no program given\n"
			"Usage: rrsandbox [OPTIONS] [--] PROGRAM [ARGS...]\n");
		return CLI_EXIT_USAGE;
	}
	o->argv = argv + optind;
	return CLI_RUN;
}

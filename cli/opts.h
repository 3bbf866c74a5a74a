/* SPDX-License-Identifier: MIT */
/*
 * opts.h - rrsandbox's command line.
 */
#ifndef RRS_CLI_OPTS_H
#define RRS_CLI_OPTS_H

#include <stdbool.h>

#define CLI_PRE_MAX	64

/**
 * struct cli_opts - what the command line asked for
 * @argv:	the program and its arguments (points into main's argv)
 * @name:	sandbox name, NULL for the default
 * @verbose:	-v count
 * @wait_all:	--wait-all
 * @no_shortcut: --no-shortcut
 * @config:	-c FILE: commands to run before PROGRAM starts, or NULL
 * @pcap_dir:	--pcap DIR: tap every device into DIR/NAME.pcap, or NULL
 * @control:	-s PATH: the control socket, NULL for the default
 * @no_control:	--no-control: no control socket
 * @no_forward:	--no-forward: do not route packets between devices
 * @no_proc_net: --no-proc-net: do not trap opens; /proc/net is the host's
 * @no_exec:	--no-exec: no helper for `rrctl exec`
 * @pre:	--uplink-allow, --uplink-deny and -p as the commands they
 *		stand for (`uplink allow CIDR`, `publish SPEC`), in the order
 *		given; run before -c FILE
 * @n_pre:	how many
 * @uplink:	--uplink: add the host uplink up0 before -c FILE
 */
struct cli_opts {
	char **argv;
	const char *name;
	int verbose;
	bool wait_all;
	bool no_shortcut;
	const char *config;
	const char *pcap_dir;
	const char *control;
	bool no_control;
	bool no_forward;
	bool no_proc_net;
	bool no_exec;
	struct cli_pre {
		const char *flag;	/* as typed, for messages */
		const char *cmd;	/* "uplink allow", "uplink deny", "publish" */
		const char *arg;
	} pre[CLI_PRE_MAX];
	unsigned int n_pre;
	bool uplink;
};

enum cli_parse { CLI_RUN, CLI_EXIT_OK, CLI_EXIT_USAGE };

enum cli_parse cli_opts_parse(int argc, char **argv, struct cli_opts *o);

#endif /* RRS_CLI_OPTS_H */

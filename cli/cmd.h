/* SPDX-License-Identifier: MIT */
/*
 * cmd.h - the control command language of rrsandbox (`-c FILE`, rrctl).
 *
 * One command per line, words split on blanks, in `ip`'s syntax so habits
 * carry over: `link add|del|set`, `addr add|del`, `route add|del|replace`,
 * `pcap start|stop`, `show links|addrs|routes|uplink|stats`, `help`.  A
 * word starting with '#' starts a comment; blank lines do nothing.  Each
 * command becomes one call of net.h, the interface the rtnetlink emulation
 * uses too (`show stats` asks main.c's counters).
 */
#ifndef RRS_CLI_CMD_H
#define RRS_CLI_CMD_H

#include "out.h"

#define CLI_LINE_MAX	4096	/* bytes per line, without the newline */
#define CLI_WORDS_MAX	512	/* words per line */

struct net;

int cli_cmd_run(struct net *n, const char *line, struct cli_out *o);
int cli_cmd_run_file(struct net *n, const char *path, struct cli_out *o);

/* What `show stats` prints: the supervisor's counters (cli/main.c), one
 * line; without a provider the command fails with ENOTSUP. */
typedef void cli_stats_fn(void *arg, struct cli_out *o);
void cli_cmd_set_stats(cli_stats_fn *fn, void *arg);

#endif /* RRS_CLI_CMD_H */

/* SPDX-License-Identifier: MIT */
/*
 * opts.c - parse rrsandbox's command line; print --help and --version.
 * Checks the form of values only (lengths, empty words); main.c opens the
 * files and the socket.
 *
 * Options end at "--" or at the first word that is not an option, so
 * `rrsandbox sh -c 'x'` and `rrsandbox -- sh -c 'x'` both work and the
 * program's own options are never taken for ours.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "opts.h"

static const char usage[] =
"Usage: rrsandbox [OPTIONS] [--] PROGRAM [ARGS...]\n"
"\n"
"Run PROGRAM as an ordinary user with every IPv4 and IPv6 socket of its\n"
"process tree served by a userspace TCP/IP stack (lwIP) in rrsandbox.\n"
"No root, no namespaces: the sandbox has its own loopback `lo`\n"
"(127.0.0.1/8, ::1) and no route anywhere else, unless --uplink leads\n"
"it to the host's networks, or -c FILE or rrctl adds links to other\n"
"sandboxes, addresses and routes. Netlink (route, sock_diag) and\n"
"packet sockets see the sandbox's devices; AF_UNIX stays native; other\n"
"address families are refused.\n"
"\n"
"Options:\n"
"  -n, --name NAME      name the sandbox: log prefix, control socket name\n"
"                       (without it, the socket is named by the pid)\n"
"  -c, --config FILE    run the commands in FILE (one per line, as for\n"
"                       rrctl: link add, addr add, route add, pcap start...)\n"
"                       before PROGRAM starts; the first failing line stops\n"
"                       rrsandbox with status 125\n"
"      --uplink         add the host uplink `up0` (as `link add up0 type\n"
"                       host`, before -c FILE): 10.0.2.15/24, fd00::15/64,\n"
"                       default routes through it; TCP connects get host\n"
"                       sockets (the fast path), UDP and ping leave through\n"
"                       the supervisor's host sockets (NAT); 10.0.2.2 and\n"
"                       fd00::2 stand for the host's loopback, which is\n"
"                       denied unless allowed, but for DNS to a loopback\n"
"                       resolver in /etc/resolv.conf\n"
"      --uplink-allow CIDR  let the host uplink reach CIDR (repeatable; the\n"
"                       longest matching CIDR decides)\n"
"      --uplink-deny CIDR   refuse CIDR through the host uplink (repeatable;\n"
"                       the host's loopback is denied unless allowed)\n"
"  -p, --publish [HOSTADDR:]HOSTPORT:PORT[/tcp|/udp]\n"
"                       as docker run -p: a client of the host at\n"
"                       HOSTADDR:HOSTPORT (default 0.0.0.0, tcp) reaches port\n"
"                       PORT of the sandbox (repeatable; implies --uplink)\n"
"      --pcap DIR       capture every device, present and future, into\n"
"                       DIR/DEVICE.pcap; TCP between two programs of the\n"
"                       sandbox is in lo.pcap up to its handshake only,\n"
"                       unless --no-shortcut\n"
"  -s, --control PATH   serve rrctl on the socket PATH (default:\n"
"                       $XDG_RUNTIME_DIR/rrsandbox/NAME.sock, else\n"
"                       /tmp/rrsandbox-UID/NAME.sock)\n"
"      --no-control     no control socket (and so no `rrctl exec`)\n"
"      --no-exec        refuse `rrctl exec` (by default one helper process\n"
"                       waits in the sandbox to start the programs it asks\n"
"                       for, as children of the sandbox's tree)\n"
"  -v, --verbose        log each emulated socket call; twice for debugging\n"
"      --wait-all       when PROGRAM exits, wait for the rest of its tree\n"
"                       instead of killing it (until a signal: INT, QUIT,\n"
"                       TERM or HUP then kills it)\n"
"      --no-shortcut    keep TCP between two programs of the sandbox in lwIP\n"
"                       (by default such a connection is one kernel\n"
"                       AF_UNIX pair once established)\n"
"      --no-forward     do not route packets between the sandbox's devices\n"
"                       (by default it forwards as a Linux router: TTL,\n"
"                       ICMP errors); packets not for it are then dropped,\n"
"                       and router advertisements are taken as a Linux\n"
"                       host takes them (addresses, default routes)\n"
"      --no-proc-net    leave /proc/net and /sys/class/net the host's: by\n"
"                       default a program reading /proc/net/{dev,route,\n"
"                       ipv6_route,if_inet6,arp,tcp,tcp6,udp,udp6,raw,\n"
"                       raw6,igmp,igmp6,dev_mcast,snmp,snmp6,netstat,\n"
"                       sockstat,sockstat6,unix} (ifconfig, route, arp,\n"
"                       netstat, ip maddr, ss -s, lsof -i) or\n"
"                       net.ipv4.ip_forward, the ICMP rate limits and the\n"
"                       net.ipv{4,6}.conf sysctls or /sys/class/net (ls,\n"
"                       cat) sees the sandbox's (and writes the sysctls'\n"
"                       there), at the cost of a trapped call for every\n"
"                       file it opens for reading or writing\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"While PROGRAM runs, `rrctl -n NAME COMMAND` changes the sandbox's\n"
"network (`rrctl -n NAME help` lists the commands), `rrctl -n NAME exec\n"
"PROGRAM` runs one more program in it, and `rrctl -n NAME capture DEV`\n"
"watches a device live, as tcpdump -i would.\n"
"\n"
"Exit status: PROGRAM's; 128+N if it was killed by signal N; 127 if it\n"
"was not found, 126 if it could not be run, 125 for rrsandbox's errors.\n"
"SIGINT, SIGQUIT, SIGTERM and SIGHUP are passed to PROGRAM (Ctrl-C and\n"
"Ctrl-\\ at a terminal reach it directly). SIGUSR1 prints one line of\n"
"counters (fds, sockets, lwIP pcbs, trapped calls) to stderr; `rrctl show\n"
"stats` gives the same.\n";

/* Print a usage error (already formatted in @msg) and the hint. */
static enum cli_parse usage_error(const char *msg, const char *word)
{
	fprintf(stderr, "rrsandbox: %s '%s'\n", msg, word);
	fprintf(stderr, "Try 'rrsandbox --help'.\n");
	return CLI_EXIT_USAGE;
}

/* Check an option's value; NULL if fine, else the problem. */
static const char *bad_value(int c, const char *v)
{
	if (c == 'n' && (!*v || strlen(v) > 32 || strchr(v, '/')))
		return "--name: want 1 to 32 characters, no '/':";
	if (!*v)
		return "empty value of";
	if (c == 's' && strlen(v) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return "--control: path longer than an AF_UNIX address allows:";
	return NULL;
}

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
		{ "config", required_argument, NULL, 'c' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "control", required_argument, NULL, 's' },
		{ "no-control", no_argument, NULL, 'C' },
		{ "no-forward", no_argument, NULL, 'F' },
		{ "no-proc-net", no_argument, NULL, 'N' },
		{ "no-exec", no_argument, NULL, 'X' },
		{ "uplink-allow", required_argument, NULL, 'A' },
		{ "uplink-deny", required_argument, NULL, 'D' },
		{ "publish", required_argument, NULL, 'p' },
		{ "uplink", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bad;
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:n:c:s:p:vhV", longs, NULL)) != -1) {
		if (optarg && (bad = bad_value(c, optarg)))
			return usage_error(bad, optarg);
		switch (c) {
		case 'n':
			o->name = optarg;
			break;
		case 'c':
			o->config = optarg;
			break;
		case 'P':
			o->pcap_dir = optarg;
			break;
		case 's':
			o->control = optarg;
			break;
		case 'C':
			o->no_control = true;
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
		case 'F':
			o->no_forward = true;
			break;
		case 'N':
			o->no_proc_net = true;
			break;
		case 'X':
			o->no_exec = true;
			break;
		case 'A':
		case 'D':
		case 'p':
			if (o->n_pre == CLI_PRE_MAX)
				return usage_error("too many --uplink-allow, "
						   "--uplink-deny and -p, at",
						   optarg);
			o->pre[o->n_pre].flag = c == 'A' ? "--uplink-allow" :
						c == 'D' ? "--uplink-deny" :
						"--publish";
			o->pre[o->n_pre].cmd = c == 'A' ? "uplink allow" :
					       c == 'D' ? "uplink deny" : "publish";
			o->pre[o->n_pre++].arg = optarg;
			if (c == 'p')
				o->uplink = true;
			break;
		case 'U':
			o->uplink = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("rrsandbox %s\n", RRS_VERSION);
			return CLI_EXIT_OK;
		case ':':
			return usage_error("missing argument of option",
					   argv[optind - 1]);
		default:
			/* a short option, or a long-only one given a value
			 * ("--no-forward=1": optopt is its code, not typed) */
			if (optopt && !strchr("WSPCFNADU", optopt)) {
				char opt[3] = { '-', (char)optopt, '\0' };

				return usage_error("unknown option", opt);
			}
			return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (o->control && o->no_control)
		return usage_error("--control conflicts with", "--no-control");
	if (optind >= argc) {
		fprintf(stderr, "rrsandbox: no program given\n"
			"Usage: rrsandbox [OPTIONS] [--] PROGRAM [ARGS...]\n");
		return CLI_EXIT_USAGE;
	}
	o->argv = argv + optind;
	return CLI_RUN;
}

/* SPDX-License-Identifier: MIT */
/*
 * ns.h - the sandbox's network stack: lwIP plus the emulated sockets.
 *
 * netstack/ answers the socket calls that tracer/ traps.  Each emulated
 * socket is an AF_UNIX socket pair: the program holds one end and moves
 * data on it with the kernel's own read/write/poll; the supervisor holds
 * the other end and connects it to an lwIP pcb.  netstack/ does not know
 * how a call was caught: it sees only struct trc_call.
 */
#ifndef RRS_NS_H
#define RRS_NS_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "trc.h"

struct ns;

/**
 * struct ns_stats - counters printed by the supervisor on SIGUSR1
 */
struct ns_stats {
	unsigned int socks;	/* emulated sockets alive */
	unsigned int held;	/* of which the supervisor holds the program's end */
	unsigned int tcp_pcbs;	/* lwIP TCP pcbs, all states */
	unsigned int udp_pcbs;
	uint64_t minttl_drops;	/* TCP segments under IP_MINTTL/IPV6_MINHOPCOUNT */
};

/**
 * struct tcpmd5_stats - TCP segments refused for their MD5 signature
 * (RFC 2385), named after Linux's TcpExt counters
 */
struct tcpmd5_stats {
	unsigned long long notfound;	/* TCPMD5NotFound: a key, no signature */
	unsigned long long unexpected;	/* TCPMD5Unexpected: signed, no key */
	unsigned long long failure;	/* TCPMD5Failure: wrong signature */
};

int ns_new(uv_loop_t *loop, struct ns **out);
void ns_set_tracer(struct ns *ns, struct trc *t);
void ns_set_shortcut(struct ns *ns, bool on);
void ns_free(struct ns *ns);
void ns_syscall(struct ns *ns, struct trc_call *call);
void ns_proc_exit(struct ns *ns, pid_t pid);
void ns_stats(struct ns *ns, struct ns_stats *out);
bool ns_tcp_pending(struct ns *ns);
void ns_dump(struct ns *ns);
void ns_tcpmd5_stats(struct tcpmd5_stats *out);

#endif /* RRS_NS_H */

/* SPDX-License-Identifier: MIT */
/*
 * internal.h - declarations shared by the files of netstack/ only.
 */
#ifndef RRS_NS_INTERNAL_H
#define RRS_NS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>

#include "lwip/ip_addr.h"
#include "ns.h"

/* Linux 5.12's, which glibc 2.36's <netinet/in.h> lacks (sockopt.c, cmsg.c) */
#ifndef IP_PROTOCOL
#define IP_PROTOCOL	52
#endif

struct epoll_event;

struct pbuf;
struct tcp_pcb;
struct udp_pcb;
struct raw_pcb;
struct vdev;
struct rtnl;
struct net;
struct tcp_hdr;
struct tcpmd5;
struct fwd;

/* Results of a call handler besides a value or a negative errno. */
#define NS_CONTINUE	(INT64_MIN + 1)	/* let the kernel run it */
#define NS_PARKED	(INT64_MIN + 2)	/* kept; finished later */
#define NS_DONE		(INT64_MIN + 3)	/* already answered (fd installed) */

#define NS_HASH_SIZE	4096
#define NS_IOBUF	(64 * 1024)
#define NS_TCOPY_N	4	/* fetched program ends kept (sock.c) */
#define NS_TCOPY_MS	100	/* unused for a tick of this: closed */
#define NS_HELD_BURST	64	/* held sockets made since the last scan
				 * that start one at once (sock.c) */
#define NS_ALIVE_MS	100	/* a held socket found open is not asked
				 * again for a datagram before (stack.c) */

enum sk_state {
	SK_NEW,		/* created, maybe bound */
	SK_LISTEN,
	SK_CONNECTING,
	SK_CONNECTED,
	SK_CLOSED,	/* connection over; the program's end still open */
};

enum wait_kind { W_ACCEPT, W_CONNECT, W_RECV, W_SEND };

/**
 * struct ns_watch - readiness of one fd in the stack's epoll set (watch.c)
 * @ns:		the stack (NULL: never set up)
 * @fd:		the fd watched
 * @want:	UV_READABLE | UV_WRITABLE | UV_DISCONNECT | UV_PRIORITIZED
 * @armed:	in the set (an EPOLLERR takes it out, as libuv's does)
 * @cb:		told what is ready, as a uv_poll_t's callback is
 */
struct ns_watch {
	struct ns *ns;
	int fd;
	int want;
	bool armed;
	void (*cb)(struct ns_watch *w, int status, int events);
};

/**
 * struct waiter - a blocking call parked until its socket is ready
 */
struct waiter {
	struct waiter *next;
	struct sock *s;
	struct trc_call *call;
	enum wait_kind kind;
	int fd;			/* the program's fd number */
	uv_timer_t *timer;	/* SO_RCVTIMEO/SO_SNDTIMEO, if set */
	struct ns_watch watch;	/* on tfd, for a send on a direct pair */
	int tfd;		/* the program's end, fetched, or -1 */
};

/**
 * struct dgram_meta - what a datagram carried besides its payload
 *
 * Datagrams go into the program's end as they arrive; their addresses wait
 * here, in order.  A plain read() on the program's side consumes a datagram
 * without its entry, so entries carry the payload's hash and length and
 * stale ones are skipped when a trapped recvfrom() pulls the next datagram.
 */
struct dgram_meta {
	struct dgram_meta *next;
	ip_addr_t src, dst;
	uint16_t sport;
	uint8_t ttl;
	uint8_t tos;		/* TOS or traffic class, for IP_RECVTOS */
	bool marker;		/* an empty datagram standing for queued errors */
	uint32_t ifindex;	/* device it arrived on, for IP(V6)_PKTINFO */
	uint32_t len;
	uint64_t hash;
	struct timespec ts;	/* arrival, for SO_TIMESTAMP(NS) */
	/* a packet socket's frame (packet.c): its sockaddr_ll but the
	 * family and @ifindex, and its length before a filter cut it */
	uint16_t ll_proto, ll_hatype;	/* network order, ARPHRD_* */
	uint8_t ll_pkttype, ll_halen, ll_addr[8];
	uint32_t origlen;
};

/**
 * struct sk_err - one entry of a socket's error queue (MSG_ERRQUEUE)
 *
 * What Linux's ip_icmp_error()/ipv6_icmp_error() queue: the ICMP error as
 * a sock_extended_err, the router that sent it, and the part of our own
 * datagram it quoted (after the transport header, as Linux).
 */
struct sk_err {
	struct sk_err *next;
	int err;			/* errno it stands for */
	uint8_t origin;			/* SO_EE_ORIGIN_ICMP or _ICMP6 */
	uint8_t type, code;
	uint32_t info;			/* MTU of a "fragmentation needed" */
	ip_addr_t offender;		/* who sent the ICMP error */
	ip_addr_t dst;			/* where our datagram was going */
	uint16_t dport;
	uint8_t ttl;			/* of the ICMP error, for IP_RECVTTL */
	struct timespec ts;
	uint16_t len;			/* quoted payload */
	uint8_t data[];
};

/**
 * struct sock - one emulated AF_INET/AF_INET6 socket
 */
struct sock {
	struct ns *ns;
	struct sock *hnext;		/* inode hash chain */
	struct sock *prev, *next;	/* all sockets */
	uint64_t ino;			/* inode of the program's end */
	uint64_t cookie;		/* never reused: sock_diag's cookie */
	int family, type, proto;
	enum sk_state state;
	int sv;				/* supervisor's end, -1 once closed */
	int tref;			/* the program's end, held while needed */
	int tcopy;			/* a fetched one, kept a little (sock.c) */
	bool blocked;			/* O_NONBLOCK was off when last read */
	bool tcopy_used;		/* since the last tick */
	struct ns_watch watch;		/* on sv (watch.c) */
	int poll_events;		/* what watch watches, 0 when stopped */
	int so_error;
	bool err_on_end;		/* a reset connection's ECONNRESET is the
					 * program end's too (tcp.c reset_end()) */
	int end_err;			/* the error it stands for */
	int last_error;			/* of a failed connect, kept */
	bool fail_told;			/* connect() returned that failure (or
					 * ECONNABORTED after SO_ERROR took it):
					 * the next connect() starts anew */
	bool spent;			/* a failed connect's program end that a
					 * new attempt left to the other fds
					 * naming it (tcp.c renew()) */
	int icmp_err;			/* an ICMP error (or shutdown(): tcp.c's
					 * connect_stop()) ended the connect */
	int stuffed;			/* bytes filling sv until connected */
	unsigned int scan_gen;
	bool held;			/* last close found by ns__scan() only */
	bool closed_seen;		/* held, and no fd of the sandbox had it
					 * (a datagram's ns__alive()): the next
					 * scan frees it */
	uint64_t alive_at;		/* uv_now() of that look, when alive */
	pid_t hint_pid;			/* last caller, and its fd number: */
	int hint_fd;			/* where to fetch the program's end */
	bool abort_on_close;		/* RST, not FIN, when freed */
	bool saddr_auto;		/* UDP, ping, raw: connect() chose the
				 * local address */
	bool bcast_bound;		/* bound to an IPv4 broadcast address
					 * (ns__addr_nosrc() at bind): no
					 * source of its own */
	bool port_locked;		/* bind() named a port (SOCK_BINDPORT_LOCK;
					 * accepted TCP: the listener's) */
	bool addr_locked;		/* TCP bind() named an address
					 * (SOCK_BINDADDR_LOCK) */
	ip_addr_t bind_ip;		/* TCP: as bound, for a new pcb after a */
	uint16_t bind_port;		/* failed connect (tcp.c renew()) */
	ip_addr_t lip, rip;		/* names kept after the pcb is gone */
	uint16_t lport, rport;

	/* Options (sockopt.c); most are only kept and reported back. */
	bool v6only, reuseaddr, reuseport, keepalive, nodelay, broadcast;
	bool v4any_bound;		/* AF_INET6 bound to ::ffff:0.0.0.0, which
					 * its name says (IPv4 only, as Linux) */
	bool oobinline, dontroute, timestamp, cork, quickack, recverr;
	bool pktinfo, recvttl, recvtos, freebind, bind_no_port, mcast_loop;
	bool timestampns, hdrincl, retopts, dontfrag;
	/* An AF_INET6 socket's IP_PKTINFO, IP_RECVTTL, IP_RECVTOS: for its
	 * IPv4 datagrams, apart from IPv6's three above (an AF_INET
	 * socket's are those) */
	bool ip_pktinfo, ip_recvttl, ip_recvtos;
	bool debug, transparent, recvopts;	/* SO_DEBUG, IP(V6)_TRANSPARENT
					 * (both only ever 0 here), IP_RECVOPTS */
	/* IPV6_RECVHOPOPTS, _RECVRTHDR, _RECVDSTOPTS and RFC 2292's: asked,
	 * and no packet here carries those headers to report */
	bool recvhopopts, recvrthdr, recvdstopts;
	bool hopopts2292, rthdr2292, dstopts2292;
	bool pktinfo2292, hoplimit2292;	/* IPV6_2292PKTINFO, _2292HOPLIMIT */
	uint32_t icmp_filter;		/* ICMP_FILTER: types blocked */
	uint32_t icmp6_filter[8];	/* ICMP6_FILTER: types blocked */
	uint32_t ping_seq;		/* ping: when it got its identifier */
	int raw_checksum;		/* IPV6_CHECKSUM offset, or -1 */
	int rcvbuf, sndbuf, ttl, tos, priority, rcvlowat;
	/* An AF_INET6 socket's IP_TTL, IP_TOS, IP_MTU_DISCOVER and
	 * IP_RECVERR, for its IPv4 (v4-mapped) traffic, apart from the IPv6
	 * ones in ttl, tos, pmtudisc and recverr, as Linux's inet_sock from
	 * ipv6_pinfo (an AF_INET socket's are those): ns__ttl() and the
	 * rest choose */
	int ip_ttl, ip_tos, ip_pmtudisc;
	bool ip_recverr;
	bool rcvbuf_set, sndbuf_set;	/* SO_RCVBUF, SO_SNDBUF given: the
					 * two above are what was (ns__sock_buf()) */
	int buf_lock;			/* SO_BUF_LOCK: SOCK_SNDBUF_LOCK (1),
					 * SOCK_RCVBUF_LOCK (2), also set by those
					 * two; nothing here tunes buffers */
	int keepidle, keepintvl, keepcnt, user_timeout, defer_accept;
	uint64_t ut_since;		/* TCP_USER_TIMEOUT: loop ms since which
					 * sent data waits for an ACK (tcp.c
					 * on_poll()), 0: none waits */
	int syncnt, linger2;		/* kept and told, not acted on (0: the
					 * default Linux tells, 6 and 60) */
	int incoming_cpu;		/* SO_INCOMING_CPU, -1 until set */
	/* Kept and told, with nothing here to act on (sockopt.c): no device
	 * is polled by NAPI, marks and packet priorities are 0, there is no
	 * Wi-Fi, FCS or checksum offload, no security module */
	int busy_poll, busy_poll_budget;	/* SO_BUSY_POLL(_BUDGET) */
	int txrehash;			/* SO_TXREHASH: net.core.txrehash, 1 */
	bool prefer_busy_poll, rcvmark, rcvpriority, wifi_status, nofcs;
	bool ip_checksum, ip_passsec;	/* IP_CHECKSUM, IP_PASSSEC */
	bool udp_gro;			/* UDP_GRO: nothing is coalesced */
	unsigned int srcprefs;		/* IPV6_ADDR_PREFERENCES: no address
					 * here is temporary or a care-of one */
	bool fastopen_connect;		/* TCP_FASTOPEN_CONNECT: without a
					 * cookie, Linux connects as usual */
	int notsent_lowat, fastopen, window_clamp, pmtudisc, mcast_ttl, maxseg;
	int frag_size;			/* IPV6_MTU set: datagrams leave in IPv6
					 * packets of at most this, 0: the path MTU */
	uint64_t max_pacing_rate;	/* SO_MAX_PACING_RATE, bytes/s; ~0: none */
	char cc[16];			/* TCP_CONGESTION set, "" for none:
					 * "reno" (rtnl_cc_check()) */
	uint64_t pace_at;		/* uv_hrtime() before which a paced
					 * connection hands lwIP no more (tcp.c) */
	struct sock *pace_next;		/* on ns->paced while pace_wait */
	bool pace_wait;
	uint32_t bound_ifindex;		/* SO_BINDTODEVICE, 0: none */
	uint32_t sticky_ifindex;	/* IPV6_PKTINFO as an option, 0: none */
	uint8_t sticky_addr[16];	/* and its address (kept only) */
	uint32_t uid;			/* owner (Linux's sk_uid): its maker's
					 * fsuid (ns__sock_uid()), an accepted
					 * one its listener's */
	/* Multicast (mcast.c) */
	struct ns_mship *mships;	/* groups joined, per device */
	unsigned int n_mships;
	struct ns_acl *acl;		/* IPV6_JOIN_ANYCAST (anycast.c) */
	unsigned int n_acl;
	uint32_t mcast_ifindex;		/* IPV6_MULTICAST_IF device, 0: none */
	bool mcast_all;			/* IPV6_MULTICAST_ALL */
	/* mcast_ttl, mcast_loop and the two above are IPv6's; IPPROTO_IP's
	 * own, for IPv4 traffic of either family (an AF_INET6 socket's
	 * v4-mapped too), are apart as Linux's inet_sock holds them apart
	 * from ipv6_pinfo: */
	struct ns_mc4 {
		uint32_t ifindex;	/* IP_MULTICAST_IF device, 0: none */
		ip_addr_t addr;		/* its address, as given */
		int ttl;		/* IP_MULTICAST_TTL */
		bool loop;		/* IP_MULTICAST_LOOP (AF_INET only:
					 * sk_mc_loop() asks IPv6's
					 * on an AF_INET6 socket) */
		bool all;		/* IP_MULTICAST_ALL */
	} mc4;
	int minttl, minhops;		/* IP_MINTTL, IPV6_MINHOPCOUNT */
	struct tcpmd5 *md5;		/* TCP_MD5SIG keys (tcpmd5.c), or NULL */
	struct linger linger;

	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
		struct raw_pcb *raw;	/* ping and raw sockets (raw.c) */
	} pcb;

	/* TCP data from the peer not yet written to sv: pbufs linked by
	 * ->next, appended at rxq_tail; their tot_len is not kept up (a
	 * u16, it would wrap past 64 KiB), rxq_bytes counts the queue */
	struct pbuf *rxq, *rxq_tail;
	size_t rxq_bytes;
	/* on ns->rx_due: rxq is written at the end of the loop's turn */
	struct sock *rx_due_next, **rx_due_pprev;	/* pprev NULL: not */
	bool rx_fin;			/* peer sent FIN: pass EOF when drained */
	bool rx_done;			/* EOF passed to the program */
	bool tx_eof;			/* the program's EOF sent as FIN */
	bool prog_shut_wr;		/* the program called shutdown(SHUT_WR) */
	bool pair_shut;			/* a shutdown() of the listener shut sv
					 * both ways: listen() or connect() needs
					 * a new pair (ns__tcp_unshut()) */
	bool shortcut_wait;		/* connected to a local listener: see tcp.c */
	bool await_accept;		/* connected to a local address: the
					 * program is told once the listener
					 * has it (tcp.c), since await_since */
	uint64_t await_since;		/* uv_now() */
	bool direct;			/* its pair's far end is the peer program's */
	uint16_t direct_mss;		/* direct: its pcb's MSS before it went,
					 * for TCP_MAXSEG and TCP_INFO */
	bool host;			/* a host socket of the fast path: the
					 * program's fd is the host's own TCP
					 * socket (hostsock.c); tref holds it
					 * where it cannot be fetched */
	bool fwd;			/* forwarded TCP relayed to the host
					 * (tcpfwd.c): sv is the supervisor's
					 * own host socket, no program end */
	bool fwd_end;			/* tcpfwd.c frees it on the next turn */
	bool fwd_rst;			/* ... resetting both sides */
	uint32_t fwd_dev;		/* the uplink device's ifindex */
	bool errq_pair;			/* on a loopback UDP pair that can say
					 * POLLERR (errq.c) */
	bool host_err;			/* so_error is the host's pending
					 * error of the program's end too */
	uint64_t dup_epoch;		/* trc_dup_epoch() when made (datagram
					 * sockets): while it is the same, only
					 * the process that made it has it */

	/* Listener: connections lwIP accepted, waiting for accept(). */
	struct sock *acc_head, *acc_tail, *acc_next, *listener;
	unsigned int acc_ready;		/* readiness bytes in the program's end */
	unsigned int acc_owed;		/* and those that did not fit (tcp.c) */

	/* UDP: metadata of datagrams queued to the program. */
	struct dgram_meta *mq_head, *mq_tail;
	struct timespec rx_stamp;	/* when the last datagram came, for
					 * SIOCGSTAMP (calls.c get_stamp()); 0:
					 * none yet */
	unsigned int mq_len;

	/* Datagram sockets: ICMP errors for MSG_ERRQUEUE (icmp.c). */
	struct sk_err *eq_head, *eq_tail;
	unsigned int eq_len;

	struct waiter *waiters;

	/* NETLINK_ROUTE (netlink.c) */
	struct rtnl *rtnl;
	uint32_t nl_groups;		/* bound with bind() */
	bool nl_passcred, nl_passsec;	/* SO_PASSCRED, SO_PASSSEC: kept */
	bool nl_bound;			/* bound, connected or sent: its port id
					 * shows in getsockname() (Linux binds
					 * on the first of these) */
	bool nl_out_wait;		/* a dump waits for room in sv */

	/* AF_PACKET (packet.c) */
	struct sock *pk_next;		/* the stack's packet sockets */
	bool pk_listed;			/* on that list */
	uint16_t pk_proto;		/* EtherType taken, network order */
	uint32_t pk_ifindex;		/* bound device, 0 for all */
	bool pk_auxdata;		/* PACKET_AUXDATA */
	bool pk_ign_out;		/* PACKET_IGNORE_OUTGOING */
	bool pk_wake;			/* frames queued for a blocked receive */
	uint32_t pk_packets, pk_drops;	/* PACKET_STATISTICS */
	struct pk_mreq *pk_mreq;	/* PACKET_ADD_MEMBERSHIP's */
	unsigned int pk_n_mreq;

	/* SO_ATTACH_FILTER (sockopt.c; run by netlink.c, udp.c, raw.c,
	 * packet.c) */
	struct sock_filter *filter;	/* the program (cbpf.c), or NULL */
	unsigned int filter_n;		/* its instructions */
	bool filter_locked;		/* SO_LOCK_FILTER */
};

/* ICMP errors the rate limits kept back (icmprl.c): /proc/net/snmp's
 * OutRateLimitGlobal and OutRateLimitHost, snmp6's Icmp6OutRateLimitHost */
struct icmp_rl_counts {
	uint32_t global, host4, host6;
};
extern struct icmp_rl_counts icmp_rl_counts;
/* Their sysctls (net.ipv4.icmp_ratelimit ...): icmprl.c, served by
 * procnet.c */
int icmp_sysctl_find(const char *const *comp, size_t n);
bool icmp_sysctl_name(const char *last);
void icmp_sysctl_dotted(int k, char *buf, size_t size);
void icmp_sysctl_print(int k, FILE *f);
int icmp_sysctl_write(int k, const char *buf, size_t len);
/* An echo request to an anycast address, by its two sysctls: ignored, or
 * answered from the address itself or from a selected source (the
 * values LWIP_HOOK_IP6_ANYCAST gives patch 0056) */
enum { ICMP_ECHO_ANY_IGNORE = -1, ICMP_ECHO_ANY_SELECT = 1, ICMP_ECHO_ANY_SELF = 2 };
int icmp_echo_anycast(void);

struct ns {
	uv_loop_t *loop;
	unsigned long udp_rcvbuf_errs[2];	/* UDP datagrams dropped on a
						 * full receive queue, IPv4 and
						 * IPv6 (RcvbufErrors) */
	struct trc *trc;
	struct vdev *lo;
	struct net *net;		/* devices, addresses, routes */
	uint32_t nl_rover;		/* next automatic netlink port id */
	uint64_t cookies;		/* cookies given out (struct sock) */
	uv_timer_t lwip_timer;
	uv_timer_t mcast_timer;		/* IGMP/MLD reports due (stack.c) */
	uv_timer_t scan_timer;
	uv_timer_t tcopy_timer;		/* lets kept program ends go (sock.c) */
	uv_timer_t local_timer;		/* bounds struct sock's await_accept */
	uv_timer_t pace_timer;		/* the earliest of paced's pace_at */
	struct sock *paced;		/* paced connections waiting (tcp.c) */
	struct sock *tcopy[NS_TCOPY_N];	/* sockets keeping one */
	struct sock *call_sock;		/* the trapped call's, while answered */
	int ccopy;			/* its program end fetched in that call */
	uint64_t ccopy_ino;		/* the inode ccopy names (sock.c) */
	uv_check_t check;		/* reschedules lwIP's timer each turn */
	uv_prepare_t prepare;		/* writes rx_due before the loop waits */
	struct sock *rx_due;		/* TCP data to write this turn (tcp.c) */
	int ep;				/* the stack's epoll set (watch.c) */
	uv_poll_t ep_poll;		/* the loop's handle on it */
	bool ep_ready;			/* made: for the first watch */
	struct epoll_event *ep_batch;	/* being dispatched, or NULL */
	int ep_batch_n;
	struct sock *hash[NS_HASH_SIZE];
	struct sock *all;
	unsigned int nsocks, held;
	unsigned int held_scanned;	/* held after the last ns__scan() */
	bool fetch;			/* program ends are fetched, not held */
	bool shortcut;			/* local TCP bypasses lwIP (default) */
	struct raw_pcb *icmp_err[2];	/* ICMP errors for datagram sockets:
					 * IPv4, IPv6 (icmp.c) */
	unsigned int icmp_users;	/* datagram sockets that want them */
	bool icmp_tcp;			/* TCP connects watch them too */
	int errq_sink;			/* discards POLLERR's bytes (errq.c) */
	struct sockaddr_in errq_sink_at;
	int errq_witness;		/* tells the host's answer came (errq.c) */
	uint16_t ping_rover;		/* next automatic ping identifier */
	bool ping_shared;		/* a ping identifier was bound twice */
	uint32_t ping_seq;		/* ping identifiers given, for ping_seq */
	unsigned int scan_gen;
	uint64_t minttl_drops;		/* see struct ns_stats */
	struct fwd *fwd;		/* forwarded TCP (tcpfwd.c), or NULL */
	uv_idle_t fwd_idle;		/* frees relays that ended (tcpfwd.c) */
	struct sock *packets;		/* AF_PACKET sockets (packet.c) */
	struct sock *pk_sender;		/* the one sending: not its own copy */
	uv_idle_t pk_idle;		/* wakes their blocked receives */
	struct ns_sysw *sysw;		/* sysctls open for writing (procnet.c) */
	unsigned int n_sysw;
	char *sysdir;			/* procsys.c's copy of the sysctl
					 * directories, or NULL */
	int closing;			/* handles still closing in ns_free() */
	char what[80];			/* -v: the current call's address */
	uint8_t iobuf[NS_IOBUF];
};

/**
 * struct ns_sendopts - what one datagram is sent with
 */
struct ns_sendopts {
	int ttl, tos;
	bool has_ttl;		/* IP_TTL / IPV6_HOPLIMIT given: also for multicast */
	bool has_src;
	ip_addr_t src;
	uint32_t ifindex;	/* IP(V6)_PKTINFO's device, 0: none */
	int dontfrag;		/* IPV6_DONTFRAG's, -1: the socket's */
};

/* stack.c */
bool ns__addr_is_local(const ip_addr_t *a);

/*
 * ns__bind_addr_ok() - whether @s may bind to @a: one of the sandbox's own
 * addresses, or any with IP_FREEBIND / IPV6_FREEBIND set (Linux's
 * inet_addr_valid_or_nonlocal(), ipv6_can_nonlocal_bind(); the sandbox has
 * no ip_nonlocal_bind sysctl, and IP_TRANSPARENT cannot be set here)
 */
static inline bool ns__bind_addr_ok(const struct sock *s, const ip_addr_t *a)
{
	return s->freebind || ns__addr_is_local(a);
}
/* route.c */
bool ns__netif_owns(struct netif *nif, const ip_addr_t *a);
void ns__scan(struct ns *ns);
void ns__scan_sparing(struct ns *ns, struct sock *spare);
void ns__scan_next_turn(struct ns *ns);
bool ns__held_alive(struct sock *s);
uint32_t ns__flow_hash(const ip_addr_t *ip, uint16_t port);
void ns__sock_meminfo(struct sock *s, uint32_t *mem);	/* rtnl.h's 9 */
#define REUSEPORT_MAX	64	/* members of a group looked at */
void ns__scan_soon(struct ns *ns);
bool ns__alive(struct sock *s);

/* watch.c */
int ns__watch_new(struct ns *ns);
int ns__watch_loop_close(struct ns *ns, uv_close_cb cb);
void ns__watch_init(struct ns_watch *w, struct ns *ns, int fd,
		    void (*cb)(struct ns_watch *w, int status, int events));
int ns__watch_set(struct ns_watch *w, int events);
void ns__watch_drop(struct ns_watch *w);

/* sock.c */
struct sock *ns__sock_new(struct ns *ns, int family, int type, int proto);
uint32_t ns__sock_uid(struct ns *ns, pid_t pid);
int ns__sock_pair(struct sock *s, int type, bool nonblock, int *tracee_end);
void ns__sock_register(struct sock *s, uint64_t ino);
void ns__sock_rekey(struct sock *s, uint64_t ino);
struct sock *ns__sock_find(struct ns *ns, uint64_t ino);
void ns__sock_free(struct sock *s);
void ns__sock_drop_tref(struct sock *s);
void ns__sock_drop_tcopy(struct sock *s);
void ns__tcopy_init(struct ns *ns);
void ns__sock_set_held(struct sock *s, bool held);
int ns__tref_get(struct sock *s, pid_t pid, int fd);
void ns__tref_put(struct sock *s, int fd);
int ns__tref_own(struct sock *s, int fd);
void ns__call_begin(struct ns *ns, struct sock *s, int copy);
void ns__call_done(struct ns *ns);
int ns__sock_copy_timeouts(struct sock *s, struct trc_call *c, int fd, int to);
bool ns__sock_closed(struct sock *s);
bool ns__sock_end(struct sock *s);
void ns__sock_poll(struct sock *s, int events);
void ns__sock_close_sv(struct sock *s);
int ns__sock_buf(const struct sock *s, bool rcv);
void ns__sock_name(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port);
int ns__tcp_rmem_max(void);
int ns__sock_rmem_max(void);
int ns__sock_wmem_max(void);
bool ns__caller_net_admin(pid_t tid);
void ns__sock_forget_sv(struct sock *s);
int64_t ns__park(struct sock *s, struct trc_call *c, enum wait_kind kind, int fd);
int64_t ns__park_writable(struct sock *s, struct trc_call *c, int fd, int tfd);
int64_t ns__park_host(struct sock *s, struct trc_call *c, int fd, int tfd);
bool ns__retry(struct sock *s, struct trc_call *call, int fd,
	       int64_t (*again)(struct sock *, struct trc_call *, int));
void ns__retry_waiters(struct sock *s, enum wait_kind kind,
		       int64_t (*again)(struct sock *, struct trc_call *, int));
struct waiter *ns__waiter_pop(struct sock *s, enum wait_kind kind);
void ns__waiter_free(struct waiter *w);
void ns__waiters_fail(struct sock *s, int64_t ret);
int ns__call_nonblock(struct trc_call *c, int fd, int flags, int dontwait_flag);
int ns__sock_nonblock(struct sock *s, struct trc_call *c, int fd, int flags,
		      int dontwait_flag, bool fetch);

/* addr.c */
int ns__addr_from_user(const struct sock *s, const void *buf, size_t len,
		       ip_addr_t *ip, uint16_t *port);
bool ns__addr_unscoped(const ip_addr_t *ip);
int ns__addr_zone(const struct sock *s, ip_addr_t *ip, uint32_t ifindex);
int ns__addr_scope_bound(const struct sock *s, ip_addr_t *ip);
int ns__addr_scope_take(struct sock *s, ip_addr_t *ip, bool override,
			bool mcast_if);
int ns__dgram_dst_scope(struct sock *s, ip_addr_t *dst,
			const struct ns_sendopts *o, bool ping);
size_t ns__addr_to_sa(const struct sock *s, const ip_addr_t *ip, uint16_t port,
		      struct sockaddr_storage *ss);
int ns__sa_put(struct trc_call *c, const void *sa, size_t n, uint64_t addr,
	       uint64_t lenp);
int ns__addr_put(struct trc_call *c, const struct sock *s, const ip_addr_t *ip,
		 uint16_t port, uint64_t addr, uint64_t lenp);
int ns__addr_put_len(struct trc_call *c, const struct sock *s,
		     const ip_addr_t *ip, uint16_t port, uint64_t addr,
		     uint32_t *len);
int ns__err_lwip(int8_t err);
int ns__route_err(struct ns *ns, const ip_addr_t *dst);
int ns__route_src4(struct ns *ns, uint32_t oif, const ip_addr_t *dst,
		   ip_addr_t *src);
int ns__route_oif6(struct ns *ns, const ip6_addr_t *dst, uint32_t oif);
void ns__route_via6_prep(struct ns *ns, struct netif *nif, const ip_addr_t *dst);
int ns__dgram_strict6(struct sock *s, const ip6_addr_t *dst, uint32_t oif,
		      const ip_addr_t *bound, bool has_src);
bool ns__tcp_bound_addr(const struct sock *s, ip_addr_t *out);
int ns__route_connect_check(struct ns *ns, const ip_addr_t *local,
			    const ip_addr_t *dst);
void ns__ip_to_bytes(const ip_addr_t *ip, uint8_t *fam, uint8_t out[16]);
void ns__ip_from_bytes(uint8_t fam, const void *b, ip_addr_t *ip);

/* errq.c */
void ns__errq_switch(struct sock *s, struct trc_call *c, int fd,
		     const char *why);
bool ns__errq_refuse(struct sock *s);
bool ns__errq_take_host(struct sock *s);
void ns__errq_raise(struct sock *s);
void ns__errq_lower(struct sock *s);
bool ns__errq_gone(struct sock *s);
void ns__errq_fini(struct ns *ns);

/* diag.c */
struct rtnl_sockinfo;
uint32_t ns__ioctl_count(int fd, unsigned long req);
int ns__diag_socks(void *arg, bool want_info, struct rtnl_sockinfo **out,
		   size_t *n);

/* sockopt.c */
struct tcp_info;
void ns__tcp_info_fill(struct sock *s, struct tcp_info *ti);

/* tcp.c */
int ns__tcp_open(struct sock *s);
void ns__tcp_stuff(struct sock *s, int tracee_end);
int ns__tcp_bind(struct sock *s, const ip_addr_t *ip, uint16_t port);
int ns__tcp_listen(struct sock *s, int backlog);
int64_t ns__tcp_connect(struct sock *s, struct trc_call *c, int fd,
			const ip_addr_t *ip, uint16_t port);
int64_t ns__tcp_accept(struct sock *s, struct trc_call *c, int fd,
		       uint64_t addr, uint64_t lenp, int flags);
void ns__tcp_close(struct sock *s);
void ns__tcp_rx_due_del(struct sock *s);
bool ns__tcp_rx_due_flush(struct ns *ns);
int ns__tcp_queue_host(struct sock *l, int h, const ip_addr_t *lip,
		       uint16_t lport, const ip_addr_t *rip, uint16_t rport);
void ns__tcp_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port);
void ns__tcp_apply_opts(struct sock *s);
void ns__bind_dev_apply(struct sock *s);
void ns__tcp_io(struct sock *s, int status, int events);
void ns__tcp_icmp_err(struct sock *s, int err);
int64_t ns__tcp_shutdown(struct sock *s, struct trc_call *c, int fd, int how);
int ns__tcp_so_error(struct sock *s, struct trc_call *c);
int ns__tcp_unshut(struct sock *s, struct trc_call *c, int fd);
int ns__tcp_disconnect(struct sock *s, struct trc_call *c, int fd);
int64_t ns__tcp_send(struct sock *s, struct trc_call *c, int fd,
		     const struct iovec *iov, int iovcnt, int flags);

/* tcpfwd.c */
void ns__fwd_end(struct sock *s, bool rst);
void ns__fwd_gone(struct sock *s);
void ns__fwd_dev_gone(struct ns *ns, uint32_t ifindex);
void ns__fwd_fini(struct ns *ns);
struct sock *ns__tcp_fwd_new(struct ns *ns, struct tcp_pcb *np, int hfd,
			     uint32_t dev);

/* publish.c */
struct net_dev;
struct net_dev *ns__uplink_view(struct net *n, uint8_t fam, ip_addr_t *local);

/* hostsock.c */
int ns__host_route(struct sock *s, const ip_addr_t *ip, uint16_t port,
		   ip_addr_t *src, ip_addr_t *hdst);
int64_t ns__host_connect(struct sock *s, struct trc_call *c, int fd,
			 const ip_addr_t *ip, uint16_t port,
			 const ip_addr_t *src, const ip_addr_t *hdst);
int64_t ns__host_connect_done(struct sock *hs, struct trc_call *c, int fd);
int64_t ns__host_call(struct sock *hs, struct trc_call *c, int fd);

/* udp.c */
int ns__udp_open(struct sock *s);
int ns__udp_bind(struct sock *s, const ip_addr_t *ip, uint16_t port);
int ns__udp_connect(struct sock *s, const ip_addr_t *ip, uint16_t port);
int ns__udp_autobind(struct sock *s);
void ns__udp_rcvbuf_apply(struct sock *s);
int64_t ns__udp_sendto(struct sock *s, const void *data, size_t len,
		       const ip_addr_t *ip, uint16_t port,
		       const struct ns_sendopts *o);
int64_t ns__udp_recv(struct sock *s, struct trc_call *c, int fd,
		     const struct iovec *iov, int iovcnt, uint64_t addr,
		     uint64_t lenp, uint64_t msg, int flags);
void ns__udp_close(struct sock *s);
void ns__udp_io(struct sock *s, int status, int events);
void ns__dgram_send_written(struct sock *s);
void ns__udp_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port);
bool ns__dgram_trim(struct sock *s);
/* TTL (hop limit) and TOS (traffic class) of a received packet */
struct ip_marks {
	uint8_t ttl, tos;
};
void ns__ip_marks(struct ip_marks *k);
int ns__dgram_deliver(struct sock *s, const uint8_t *data, size_t n,
		      const ip_addr_t *src, uint16_t sport,
		      const struct ip_marks *k, bool marker);
void ns__dgram_flush(struct sock *s);
void ns__dgram_drop_marker(struct sock *s, struct trc_call *c, int fd);
bool ns__dgram_nofrag(const struct sock *s, const struct ns_sendopts *o,
		      const ip_addr_t *ip);
unsigned int ns__dgram_mtu(const ip_addr_t *src, const ip_addr_t *dst);
u16_t ns__dgram_frag_size(const struct sock *s, const ip_addr_t *ip);
int ns__dgram_too_big(struct sock *s, const ip_addr_t *dst, uint16_t dport);
int ns__dgram_size_check(struct sock *s, const struct ns_sendopts *o,
			 const ip_addr_t *src, const ip_addr_t *dst,
			 uint16_t dport, size_t len);

/* calls.c */
int64_t ns__udp_recv_call(struct sock *s, struct trc_call *c, int fd);
int ns__dgram_queue(struct sock *s, const uint8_t *data, size_t n,
		    const struct dgram_meta *tmpl);

/**
 * ns__on_raw() - whether a socket lives on an lwIP raw pcb (raw.c)
 * @s:		the socket
 *
 * Return: true for SOCK_RAW and for ping sockets (SOCK_DGRAM, ICMP)
 */
static inline bool ns__on_raw(const struct sock *s)
{
	return s->type == SOCK_RAW ||
	       (s->type == SOCK_DGRAM && s->proto != IPPROTO_UDP);
}

/* A TCP socket's congestion control: TCP_CONGESTION's, "reno" unset */
static inline const char *ns__cc(const struct sock *s)
{
	return s->cc[0] ? s->cc : "reno";
}

/* Whether traffic to @v4 (IPv4, or IPv6) takes a socket's IPv4 values:
 * an AF_INET6 socket's ip_ttl and the rest (struct sock) */
static inline bool ns__ip_side(const struct sock *s, bool v4)
{
	return v4 && s->family == AF_INET6;
}

/* The TTL or hop limit of a socket's packets to an IPv4 (@v4) or IPv6
 * destination: IP_TTL's, or IPV6_UNICAST_HOPS's */
static inline int ns__ttl(const struct sock *s, bool v4)
{
	return ns__ip_side(s, v4) ? s->ip_ttl : s->ttl;
}

/* Their TOS or traffic class: IP_TOS's, or IPV6_TCLASS's */
static inline int ns__tos(const struct sock *s, bool v4)
{
	return ns__ip_side(s, v4) ? s->ip_tos : s->tos;
}

/* IP_MTU_DISCOVER's, or IPV6_MTU_DISCOVER's */
static inline int ns__pmtudisc(const struct sock *s, bool v4)
{
	return ns__ip_side(s, v4) ? s->ip_pmtudisc : s->pmtudisc;
}

/* Whether errors about them are queued: IP_RECVERR, or IPV6_RECVERR */
static inline bool ns__recverr(const struct sock *s, bool v4)
{
	return ns__ip_side(s, v4) ? s->ip_recverr : s->recverr;
}

/* raw.c */
int ns__raw_open(struct sock *s);
int ns__raw_bind(struct sock *s, const ip_addr_t *ip, uint16_t port);
int ns__raw_connect(struct sock *s, const ip_addr_t *ip);
int64_t ns__raw_sendto(struct sock *s, const void *data, size_t len,
		       const ip_addr_t *ip, const struct ns_sendopts *o);
int ns__raw_set_checksum(struct sock *s, int offset);
void ns__raw_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port);
bool ns__raw_connected(const struct sock *s);
void ns__raw_close(struct sock *s);

/* icmp.c */

/**
 * struct icmp_err_info - what an ICMP error says about a datagram we sent
 */
struct icmp_err_info {
	int err;			/* errno, as Linux's icmp_err_convert[] */
	bool hard;			/* fatal: reported even without IP_RECVERR */
	uint8_t type, code;
	uint32_t info;			/* MTU for "fragmentation needed" */
	uint8_t proto;			/* the quoted datagram's protocol */
	ip_addr_t src, dst;		/* its addresses */
	uint16_t sport, dport;		/* UDP ports, or the echo identifier */
	const uint8_t *payload;		/* after its transport header */
	size_t plen;
};

int ns__icmp_parse_err(const uint8_t *icmp, size_t len, bool v6,
		       struct icmp_err_info *out);
void ns__icmp_local_err(struct sock *s, const ip_addr_t *dst, uint16_t dport,
			uint32_t mtu);
void ns__icmp_use(struct ns *ns);
void ns__icmp_unuse(struct ns *ns);
void ns__icmp_queue(struct sock *s, const struct icmp_err_info *e,
		    const ip_addr_t *offender, uint8_t ttl);
int64_t ns__icmp_errqueue_recv(struct sock *s, struct trc_call *c,
			       const struct iovec *iov, int iovcnt,
			       uint64_t umsg, int flags);
bool ns__icmp_take_error(struct sock *s, int *err);
void ns__icmp_flush(struct sock *s);

/* calls.c */
int ns__sock_install(struct ns *ns, struct trc_call *c, struct sock *s,
		     int tend, int flags, int events);
int64_t ns__gather(struct ns *ns, struct trc_call *c, const struct iovec *iov,
		   int iovcnt, size_t *len);
int ns__read_msghdr(struct trc_call *c, uint64_t umsg, struct msghdr *mh,
		    struct iovec **iov);
int ns__read_msghdr_first(struct trc_call *c, uint64_t umsg, struct msghdr *mh,
			  struct iovec **iov);
typedef int64_t ns_send_one_fn(struct sock *s, struct trc_call *c, uint64_t uaddr,
			       uint32_t alen, const struct iovec *iov, int iovcnt);
int64_t ns__send_each(struct sock *s, struct trc_call *c, ns_send_one_fn *one,
		      bool unchecked);

/* netlink.c */
int64_t ns__nl_socket(struct ns *ns, struct trc_call *c, int type, int flags,
		      int proto);
int64_t ns__nl_call(struct sock *s, struct trc_call *c, int fd);
int ns__nl_refill(struct sock *s);
void ns__nl_io(struct sock *s, int status, int events);
void ns__nl_close(struct sock *s);
int64_t ns__tcp_send_call(struct sock *s, struct trc_call *c, int fd);

/**
 * struct ns_frame - one frame a device sent or received (packet.c)
 * @ifindex:	the device
 * @hatype:	its ARPHRD_ type
 * @mac:	its address (6 bytes; zero for the loopback)
 * @out:	sent (else received)
 * @data:	the frame from its link header (none on ARPHRD_NONE)
 * @len:	its length
 * @hlen:	the link header's length: ETH_HLEN, or 0
 * @proto:	its EtherType, network order
 */
struct ns_frame {
	uint32_t ifindex;
	uint16_t hatype;
	const uint8_t *mac;
	bool out;
	const uint8_t *data;
	size_t len, hlen;
	uint16_t proto;
};

struct ns_cmsgs;

/* packet.c */
int64_t ns__pk_socket(struct ns *ns, struct trc_call *c, int type, int flags,
		      int proto);
int64_t ns__pk_call(struct sock *s, struct trc_call *c, int fd);
void ns__pk_close(struct sock *s);
void ns__pk_frame(struct ns *ns, const struct ns_frame *f);
void ns__pk_on_idle(uv_idle_t *h);
void ns__pk_send_written(struct sock *s, size_t len);
size_t ns__pk_name(const struct dgram_meta *m, struct sockaddr_storage *ss);
void ns__pk_cmsgs(struct ns_cmsgs *b, const struct sock *s,
		  const struct dgram_meta *m);

/* cmsg.c */
int ns__cmsg_send(struct trc_call *c, const struct sock *s,
		  const struct msghdr *mh, bool v4, struct ns_sendopts *o);

/**
 * struct ns_cmsgs - control messages being built for a recvmsg()
 */
struct ns_cmsgs {
	size_t len;
	uint8_t buf[256];
};

void ns__cmsg_put(struct ns_cmsgs *b, int level, int type, const void *data,
		  size_t len);
void ns__cmsg_stamp(struct ns_cmsgs *b, const struct sock *s,
		    const struct timespec *ts);
void ns__cmsg_recv(struct ns_cmsgs *b, const struct sock *s,
		   const struct timespec *ts, int ttl, int tos,
		   const ip_addr_t *dst, uint32_t ifindex);
int ns__cmsg_write(struct trc_call *c, const struct ns_cmsgs *b,
		   struct msghdr *mh);

/* tcp.c, for tcpin.c */
bool ns__tcp_refuse_closed(struct tcp_pcb *pcb, const struct tcp_hdr *hdr);
bool ns__tcp_below_minttl(struct tcp_pcb *pcb);

/* tcp.c, for route.c */
const struct sock *ns__tcp_owner(const struct tcp_pcb *pcb);

/**
 * struct tcpmd5_key - one TCP_MD5SIG key of a socket
 */
struct tcpmd5_key {
	uint8_t family;			/* AF_INET (also IPv4-mapped) or AF_INET6 */
	uint8_t prefixlen;		/* of @addr that must match */
	uint8_t flags;			/* TCP_MD5SIG_FLAG_IFINDEX or 0 */
	uint8_t keylen;
	int l3index;			/* always 0: no VRF devices */
	uint8_t addr[16];		/* network order; 4 bytes for IPv4 */
	uint8_t key[80];		/* TCP_MD5SIG_MAXKEYLEN */
};

/* tcpmd5.c */
int ns__md5_set(struct sock *s, int name, const void *val);
int ns__md5_setsockopt(struct sock *s, struct trc_call *c, int name, int32_t len);
void ns__md5_attach(struct sock *s);
void ns__md5_detach(struct tcp_pcb *pcb);
void ns__md5_accepted(struct sock *s);
void ns__md5_free(struct sock *s);
int ns__md5_replay(const struct sock *s, int hfd);
const struct tcpmd5_key *ns__md5_lookup(const struct tcpmd5 *m,
					const ip_addr_t *addr);
void ns__md5_digest(uint8_t out[16], const struct tcpmd5_key *k,
		    const ip_addr_t *src, const ip_addr_t *dst,
		    const uint8_t th[20], uint16_t seglen,
		    const struct pbuf *data, uint16_t off);
bool ns__md5_find_option(const struct tcp_hdr *hdr, uint16_t optlen,
			 uint16_t opt1len, const uint8_t *opt2, uint8_t sig[16]);
bool ns__md5_check(const struct tcp_pcb *pcb, const struct tcp_hdr *hdr,
		   uint16_t optlen, uint16_t opt1len, const uint8_t *opt2,
		   const struct pbuf *p);

/* sockopt.c */
int ns__opt_int(struct trc_call *c, int level, int32_t len, int *v);
int64_t ns__setsockopt(struct sock *s, struct trc_call *c);
int64_t ns__getsockopt(struct sock *s, struct trc_call *c);

/* anycast.c: a socket's own anycast addresses */
struct ns_acl;
int64_t ns__acast_setsockopt(struct sock *s, struct trc_call *c, int level,
			     int name, int32_t len);
void ns__acast_close(struct sock *s);

/* mcast.c */
struct netif;
struct ns_mship;
void ns__mcast_init(struct sock *s);
int ns__mcast_ttl(const struct sock *s, const ip_addr_t *dst);
bool ns__mcast_loop(const struct sock *s);
void ns__mcast_close(struct sock *s);
bool ns__mcast_wanted(const struct sock *s);
uint32_t ns__netif_ifindex(struct ns *ns, const struct netif *nif);
struct netif *ns__dev_netif(struct ns *ns, uint32_t ifindex);
int64_t ns__mcast_setsockopt(struct sock *s, struct trc_call *c, int level,
			     int name, int32_t len);
int64_t ns__mcast_getfilter(struct sock *s, struct trc_call *c, int level,
			    int name);
int64_t ns__mcast_getsockopt(struct sock *s, int level, int name,
			     void *val, uint32_t *vlen);
int ns__dgram_oif(struct sock *s, const ip_addr_t *dst,
		  const struct ns_sendopts *o, const ip_addr_t *bound,
		  struct netif **nif, ip_addr_t *src);
bool ns__addr_nosrc(struct ns *ns, const ip_addr_t *a, bool *bcast);
bool ns__bound_nosrc(const struct sock *s, const ip_addr_t *bound);
struct netif *ns__dgram_route_src(struct sock *s, const ip_addr_t *dst,
				  ip_addr_t *src);
struct netif *ns__dgram_src_dev(struct ns *ns, const ip_addr_t *from,
				const ip_addr_t *dst);
int ns__dgram_out(struct sock *s, const ip_addr_t *dst,
		  const struct ns_sendopts *o, const ip_addr_t *bound,
		  struct netif *nif, const ip_addr_t *src, struct netif **out,
		  ip_addr_t *from);
void ns__dgram_bcast_mark(const struct sock *s, const ip_addr_t *dst,
			  struct pbuf *p);
int ns__dgram_src(struct sock *s, struct netif *n, const ip_addr_t *dst,
		  const ip_addr_t *bound, ip_addr_t *src);

/* sockopt.c: socket filters */
int64_t ns__filter_set(struct sock *s, struct trc_call *c, int name, int32_t len);
int64_t ns__filter_get(struct sock *s, struct trc_call *c);
int ns__put_opt(struct trc_call *c, const void *val, uint32_t vlen);
size_t ns__filter_run(const struct sock *s, const void *buf, size_t len);

/* ifioctl.c */
bool ns__ifioctl_match(uint64_t req);
int64_t ns__ifioctl(struct ns *ns, struct trc_call *c, int family);

/* procnet.c, procnet_files.c: /proc/net as the sandbox has it */
typedef int ns_procnet_fn(struct ns *ns, FILE *f);
typedef int ns_print_fn(void *arg, FILE *f);
int64_t ns__procnet_open(struct ns *ns, struct trc_call *c);
int ns__snapshot(ns_print_fn *fn, void *arg, bool nonblock);
ns_procnet_fn *ns__procnet_file(const char *name);
void ns__procnet_pull(struct ns *ns);
void ns__procnet_fini(struct ns *ns);
int ns__read_path(const struct trc_call *c, uint64_t addr, char *buf);

/* procsys.c: the directories /proc/sys/net/ipv4|ipv6/conf and neigh */
int ns__path_fold(char *abs, const char **comp, int max);
void ns__procsys_unmap(const struct ns *ns, char *abs, size_t size);
bool ns__procsys_name(struct ns *ns, const char *name);
bool ns__procsys_neigh_name(const char *name);
int64_t ns__procsys_open_dir(struct ns *ns, struct trc_call *c, char *abs,
			     uint64_t flags);
int64_t ns__procsys_stat(struct ns *ns, struct trc_call *c);
void ns__procsys_fini(struct ns *ns);
int ns__procsys_root(struct ns *ns);
void ns__sd_rm_tree(int at, const char *name, int depth);
void ns__sd_empty(int fd, int depth);
int ns__sd_touch(int dfd, const char *name, mode_t mode, off_t size);

/* sysnet.c: /sys/class/net and /sys/devices/virtual/net */
bool ns__sysnet_name(struct ns *ns, const char *name);
int ns__sysnet_lookup(struct ns *ns, const char *abs, bool slash, char *priv,
		      size_t size);
int64_t ns__sysnet_open(struct ns *ns, struct trc_call *c, const char *abs,
			uint64_t flags, bool wr);
int64_t ns__sysnet_xattr(struct trc_call *c);

#endif /* RRS_NS_INTERNAL_H */

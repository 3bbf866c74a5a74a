/* SPDX-License-Identifier: MIT */
/*
 * rtnl.h - the protocol side of an emulated NETLINK_ROUTE socket (and of a
 * NETLINK_SOCK_DIAG one: see rtnl_set_socks() below).
 *
 * One struct rtnl per socket.  It takes the datagrams the program sends
 * to the kernel, answers them from struct net (net.h) as Linux would:
 * dumps and single gets of links, addresses and routes, RTM_NEW/DEL of
 * routes and addresses, RTM_NEWLINK up/down/mtu/name, `ip route get`,
 * NLMSG_ERROR acks with extended ack, and it multicasts net's events to
 * the groups the socket joined.  It knows nothing of how the datagrams
 * reach the program: the socket glue (netlink.c) gives it a send function
 * that queues one datagram to the program's end.
 *
 * Linux's behaviour is the specification, including its errors for
 * malformed input (a short header, a bad length, an unknown type, a
 * missing attribute, a bad family): each gets the NLMSG_ERROR the kernel
 * would send, and nothing changes.  Multi-part answers (dumps) are split
 * into datagrams of at most RTNL_DGRAM_MAX bytes and end with an
 * NLMSG_DONE carrying an int; when the send function says the program's
 * queue is full (-EAGAIN), the dump pauses and rtnl_resume() continues it.
 */
#ifndef RRS_RTNL_H
#define RRS_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "net.h"

#define RTNL_DGRAM_MAX	(32u << 10)

struct rtnl;

/* Queue one datagram for the program: 0, -EAGAIN (full, nothing queued;
 * call rtnl_resume() when there is room), or another negative errno
 * (dropped). */
typedef int rtnl_send_fn(void *arg, const void *buf, size_t len);

int rtnl_new(struct net *n, uint32_t portid, rtnl_send_fn *send, void *arg,
	     struct rtnl **out);
int rtnl_new_proto(struct net *n, int proto, uint32_t portid,
		   rtnl_send_fn *send, void *arg, struct rtnl **out);
void rtnl_free(struct rtnl *r);
uint32_t rtnl_portid(const struct rtnl *r);
/* the port id chosen at bind (netlink.c): before any message */
void rtnl_set_portid(struct rtnl *r, uint32_t portid);
void rtnl_set_uid(struct rtnl *r, uint32_t uid);

int rtnl_input(struct rtnl *r, const void *buf, size_t len);
void rtnl_resume(struct rtnl *r);

int rtnl_bind(struct rtnl *r, uint32_t groups);
int rtnl_setsockopt(struct rtnl *r, int opt, const void *val, size_t len);
int rtnl_getsockopt(struct rtnl *r, int opt, void *val, size_t *len);

/*
 * rtnl_take_overrun() - a datagram for the program was lost (a
 * notification found its queue full, or too many replies were waiting):
 * Linux fails the next recvmsg() with ENOBUFS, once.  Returns -ENOBUFS
 * once per loss (never with NETLINK_NO_ENOBUFS set), else 0.
 *
 * rtnl_set_dgram_size() - the size dump datagrams are filled to, like
 * Linux's growth of dump skbs to the reader's largest recvmsg() buffer
 * (max_recvmsg_len): RTNL_DGRAM_DEFAULT (NLMSG_GOODSIZE on x86-64) until
 * the glue learns of a bigger buffer; clamped to RTNL_DGRAM_MIN ..
 * RTNL_DGRAM_MAX.
 */
#define RTNL_DGRAM_DEFAULT	3776u
#define RTNL_DGRAM_MIN		2048u

int rtnl_take_overrun(struct rtnl *r);
void rtnl_set_dgram_size(struct rtnl *r, size_t size);
/*
 * rtnl_set_rcvbuf() - the socket's receive buffer in bytes (Linux's
 * sk_rcvbuf: twice what SO_RCVBUF was given; RTNL_RCVBUF_DEFAULT until
 * set).  Notifications are kept while what the socket holds unread (see
 * rtnl_set_inflight()) and they, at the size Linux's skbs would have,
 * fit in it, as in Linux's receive queue; beyond it they are lost.
 */
#define RTNL_RCVBUF_DEFAULT	212992u
void rtnl_set_rcvbuf(struct rtnl *r, size_t bytes);
/*
 * rtnl_set_inflight() - how the engine learns what the program's end
 * holds unread: @fn returns the bytes the host charges for the datagrams
 * sent and not yet read (SIOCOUTQ on the supervisor's end of an AF_UNIX
 * pair).  With it, notifications are kept only while what is unread plus
 * what waits in the engine fits the receive buffer, as in Linux's
 * receive queue; without it, only what waits in the engine counts.
 */
typedef size_t rtnl_inflight_fn(void *arg);
void rtnl_set_inflight(struct rtnl *r, rtnl_inflight_fn *fn);
/*
 * rtnl_set_filter() - the socket's filter (SO_ATTACH_FILTER), run on every
 * datagram for the socket before it is queued or counted, as Linux's
 * sk_filter() in netlink_unicast(), netlink_broadcast() and netlink_dump():
 * @fn returns how many of its bytes the socket takes, 0 to drop it; NULL
 * for none.
 */
typedef size_t rtnl_filter_fn(void *arg, const void *buf, size_t len);
void rtnl_set_filter(struct rtnl *r, rtnl_filter_fn *fn);
/* The size dump datagrams are filled to now */
size_t rtnl_dgram_size(const struct rtnl *r);

/*
 * NETLINK_SOCK_DIAG (rtnl_diag.c): a socket made with rtnl_new_proto()
 * for that protocol answers inet_diag's requests (SOCK_DIAG_BY_FAMILY,
 * TCPDIAG_GETSOCK) as Linux does, about the sockets rtnl_set_socks()'s
 * function lists: `ss` inside the sandbox shows the sandbox's sockets.
 */

/**
 * struct rtnl_sockinfo - one socket as inet_diag reports it
 * @family:	AF_INET or AF_INET6
 * @protocol:	IPPROTO_TCP, IPPROTO_UDP or, for raw sockets, IPPROTO_RAW
 * @state:	TCP_* of linux/tcp.h (UDP and raw: TCP_CLOSE or
 *		TCP_ESTABLISHED when connected)
 * @shutdown:	bit 0: no more receives, bit 1: no more sends
 * @v6only:	IPV6_V6ONLY
 * @tos:	IP_TOS
 * @tclass:	IPV6_TCLASS (AF_INET6)
 * @src, @dst:	addresses, 4 or 16 bytes used
 * @sport, @dport: ports, host order (a raw socket's protocol is its
 *		sport, as Linux's inet_num)
 * @ifindex:	bound device, 0 for none
 * @rqueue, @wqueue: bytes queued (listeners: waiting connections, backlog)
 * @rcvbuf, @sndbuf: the buffer sizes reported (SO_RCVBUF, SO_SNDBUF)
 * @uid:	owner
 * @bound:	TCP in TCP_CLOSE: bound to a port, never connected (Linux's
 *		"bound-inactive")
 * @port_locked: bind() named the local port (SOCK_BINDPORT_LOCK; the
 *		filter bytecode's INET_DIAG_BC_AUTO is its opposite)
 * @ino:	the inode the program's fd names, 0 for none (closed by it)
 * @cookie:	a number naming the socket while it lives
 * @has_info:	@info is filled (TCP, when asked for)
 * @info:	TCP_INFO
 * @cong:	TCP: the congestion control's name (TCP_CONGESTION)
 */
struct rtnl_sockinfo {
	uint8_t family, protocol, state, shutdown, v6only, tos, tclass;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t ifindex;
	uint32_t rqueue, wqueue, rcvbuf, sndbuf;
	uint32_t uid;
	bool bound, port_locked;
	uint64_t ino, cookie;
	bool has_info;
	struct tcp_info info;
	char cong[16];
};

/* The sockets there are now, in a malloc()ed array the caller frees;
 * @want_info: fill TCP_INFO.  Return: 0 or -ENOMEM. */
typedef int rtnl_socks_fn(void *arg, bool want_info,
			  struct rtnl_sockinfo **out, size_t *n);
void rtnl_set_socks(struct rtnl *r, rtnl_socks_fn *fn, void *arg);

/* May a program choose this TCP congestion control?  0, -EPERM or
 * -ENOENT (rtnl_route.c, which checks RTAX_CC_ALGO the same way). */
int rtnl_cc_check(const char *name);

/* sk_get_meminfo()'s counters (SK_MEMINFO_VARS of linux/sock_diag.h) of
 * one socket, as INET_DIAG_SKMEMINFO and SO_MEMINFO give them */
#define RTNL_MEMINFO_VARS	9
void rtnl_sock_meminfo(const struct rtnl_sockinfo *s, uint32_t mem[RTNL_MEMINFO_VARS]);

#endif /* RRS_RTNL_H */

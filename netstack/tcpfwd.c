/* SPDX-License-Identifier: MIT */
/*
 * tcpfwd.c - TCP that other sandboxes route through this one to its host
 * uplink: terminated in lwIP and relayed over a host socket of the
 * supervisor's, as slirp4netns and a Linux router doing NAT carry it.
 *
 * UDP and ICMP echo forwarded to the uplink leave through vdev/host.c's
 * host sockets packet by packet; TCP cannot (the host kernel owns the
 * host side's sequence space), so it ends here: lwIP accepts the inner
 * client's connection with the destination's address as its own local
 * address (the client sees the real peer, as through NAT), and
 * ns__tcp_fwd_new() (tcp.c) pumps it to and from a host TCP socket with
 * the flow control and half-closes of an emulated socket's pump.
 *
 * Theory of operation, per connection:
 *   - lwIP forwards packets not addressed to it; rrs_ip_take_foreign()
 *     (patches/lwip/0030) takes TCP whose route leaves through a device
 *     of kind host and whose destination the uplink's rules allow
 *     (denied ones go on to the device, which answers "administratively
 *     prohibited" as before), keeping a copy of a SYN.
 *   - CONNECTING: a SYN for no connection (rrs_tcp_inpacket_noconn(),
 *     patches/lwip/0031, asked before the sandbox's own listeners, which
 *     never see forwarded connections) opens a non-blocking host socket
 *     to the destination (the uplink's gateway standing for the host's
 *     loopback) and keeps the SYN; retransmitted SYNs are dropped.
 *   - The host connection is up: the SYN is fed to lwIP's input again and
 *     the hook hands it to one internal listener, outside lwIP's list,
 *     whose port is set to the SYN's: lwIP answers with a SYN-ACK from
 *     the destination's address (SYN_RCVD).  Refused: the client gets a
 *     RST (ECONNREFUSED); unreachable or prohibited: the ICMP error a
 *     router would send, from the destination (EHOSTUNREACH,
 *     ENETUNREACH, ...); timed out: nothing, as Linux's NAT sends
 *     nothing, and the client's own SYN timer ends it.
 *   - The handshake completes (the listener's accept callback): the
 *     pending entry becomes a relay (struct sock with @fwd, tcp.c).
 *   - The relay ends when a FIN went each way, or with a reset of both
 *     sides when either resets or fails (ns__fwd_end(), freed on the
 *     next turn from an idle handle: never inside lwIP's callbacks).
 * At most FWD_MAX connections (pending and relayed) live at once (fewer
 * with RRSANDBOX_FWD_MAX set, for tests); past
 * that a SYN is refused with a RST and counted.  Removing the uplink
 * device resets its connections; ns_free() frees everything.  The host
 * device shows the counts (`show links`: tcp relayed, tcp refused).
 *
 * Calls lwIP, net.c/route.c (routes, the ACL), vdev/host.c (gateway
 * mapping, ICMP answers, counters) and tcp.c (the pump).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"	/* tcp_rst(), TCP_RMV(), the pcb lists */
#include "lwip/prot/tcp.h"
#include "rrs_lwip_hooks.h"

#include "internal.h"
#include "log.h"
#include "net.h"
#include "netint.h"

#define FWD_MAX		4096	/* connections, pending and relayed */
#define FWD_SYN_MAX	512	/* a SYN longer than this (data) is dropped */

/**
 * struct fwd_pend - a forwarded SYN whose host connection is being made
 * @next:	the list
 * @fw:		the module's state
 * @poll:	writable on @hfd (its own allocation, freed when closed)
 * @hfd:	the host socket, -1 once handed to a relay
 * @in_idx:	lwIP's index of the netif the SYN came in on
 * @dev:	the uplink device (the sandbox's ifindex)
 * @src:	the inner client
 * @dst:	the destination as the client named it
 * @sport:	the client's port, host order
 * @dport:	the destination's port, host order
 * @pcb:	once the SYN was fed again: lwIP's connection in SYN_RCVD
 * @synlen:	length of @syn
 * @syn:	the SYN as it arrived, from its IP header
 */
struct fwd_pend {
	struct fwd_pend *next;
	struct fwd *fw;
	uv_poll_t *poll;
	int hfd;
	uint8_t in_idx;
	uint32_t dev;
	ip_addr_t src, dst;
	uint16_t sport, dport;
	struct tcp_pcb *pcb;
	uint16_t synlen;
	uint8_t syn[FWD_SYN_MAX];
};

/**
 * struct fwd - forwarded TCP of one stack
 * @ns:		the stack
 * @pend:	connections waiting for the host
 * @n:		connections alive (pending and relayed)
 * @max:	at most that many: FWD_MAX, or RRSANDBOX_FWD_MAX for tests
 * @lpcb:	the internal listener, outside lwIP's listener list
 * @synlen:	the last SYN rrs_ip_take_foreign() took, for the hook after it
 * @syn_dev:	the uplink it would leave through
 * @syn:	its bytes
 */
struct fwd {
	struct ns *ns;
	struct fwd_pend *pend;
	unsigned int n, max;
	struct tcp_pcb_listen *lpcb;
	uint16_t synlen;
	uint32_t syn_dev;
	uint8_t syn[FWD_SYN_MAX];
};

static err_t on_accept(void *arg, struct tcp_pcb *np, err_t err);
static void on_pend_err(void *arg, err_t err);

static struct vdev *uplink(struct ns *ns, uint32_t ifindex)
{
	struct net_dev *d = net__dev(ns->net, ifindex);

	return d ? d->vdev : NULL;
}

static struct fwd *fwd_get(struct ns *ns)
{
	const char *e;

	if (ns->fwd)
		return ns->fwd;
	ns->fwd = calloc(1, sizeof(*ns->fwd));
	if (!ns->fwd)
		return NULL;
	ns->fwd->ns = ns;
	ns->fwd->max = FWD_MAX;
	/* a smaller bound, for the tests that reach it (configuration.md) */
	e = getenv("RRSANDBOX_FWD_MAX");
	if (e && atoi(e) > 0 && atoi(e) < FWD_MAX)
		ns->fwd->max = (unsigned int)atoi(e);
	return ns->fwd;
}

/* The one listener that takes every forwarded SYN, its port set to each
 * one's: kept out of lwIP's list so no segment finds it by port. */
static struct tcp_pcb_listen *listener(struct fwd *fw)
{
	struct tcp_pcb *p;

	if (fw->lpcb)
		return fw->lpcb;
	p = tcp_new_ip_type(IPADDR_TYPE_ANY);
	if (!p)
		return NULL;
	p = tcp_listen_with_backlog(p, 0xffff);
	if (!p)
		return NULL;
	fw->lpcb = (struct tcp_pcb_listen *)p;
	TCP_RMV(&tcp_listen_pcbs.pcbs, p);
	tcp_accept(p, on_accept);
	return fw->lpcb;
}

/* ---- pending connections ---- */

static struct fwd_pend *pend_find(struct fwd *fw, const ip_addr_t *src,
				  uint16_t sport, const ip_addr_t *dst,
				  uint16_t dport)
{
	struct fwd_pend *f;

	for (f = fw->pend; f; f = f->next)
		if (f->sport == sport && f->dport == dport &&
		    ip_addr_cmp(&f->src, src) && ip_addr_cmp(&f->dst, dst))
			return f;
	return NULL;
}

static void close_poll(struct fwd_pend *f)
{
	if (f->poll) {
		uv_close((uv_handle_t *)f->poll, (uv_close_cb)free);
		f->poll = NULL;
	}
}

/* Close a host socket with a RST for its peer (SO_LINGER 0). */
static void close_rst(int fd)
{
	struct linger lg = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/*
 * pend_free() - forget a pending connection
 * @f:		it
 * @abort_pcb:	reset lwIP's SYN_RCVD connection, if any (not from its
 *		accept callback, where lwIP does so itself)
 */
static void pend_free(struct fwd_pend *f, bool abort_pcb)
{
	struct fwd *fw = f->fw;
	struct fwd_pend **pp;

	for (pp = &fw->pend; *pp != f; pp = &(*pp)->next)
		;
	*pp = f->next;
	close_poll(f);
	if (f->hfd >= 0)
		close_rst(f->hfd);
	if (f->pcb) {
		tcp_arg(f->pcb, NULL);
		tcp_err(f->pcb, NULL);
		if (abort_pcb)
			tcp_abort(f->pcb);
	}
	fw->n--;
	vdev_host_tcp_note(uplink(fw->ns, f->dev), -1, false);
	free(f);
}

/* RST to the inner client's SYN, as the destination refusing it */
static void refuse(const ip_addr_t *src, uint16_t sport, const ip_addr_t *dst,
		   uint16_t dport, uint32_t seqno)
{
	tcp_rst(NULL, 0, seqno + 1, dst, src, dport, sport);
}

/*
 * What the client gets when the host connection failed, as through a
 * Linux NAT: the destination's RST; a router's ICMP error for an
 * unreachable or filtered destination; nothing for a timeout.
 */
static void answer_failure(struct fwd_pend *f, int err)
{
	bool v6 = IP_IS_V6(&f->dst);
	struct vdev *v = uplink(f->fw->ns, f->dev);
	uint32_t seqno;
	uint8_t type = v6 ? 1 : 3, code;

	switch (err) {
	case ETIMEDOUT:
		return;
	case ENETUNREACH:
		code = 0;		/* net; ICMPv6: no route */
		break;
	case EHOSTUNREACH:
	case EHOSTDOWN:
	case ENONET:
		code = v6 ? 3 : 1;	/* host; ICMPv6: address unreachable */
		break;
	case EACCES:
	case EPERM:
		code = v6 ? 1 : 13;	/* administratively prohibited */
		break;
	default:			/* ECONNREFUSED, and our own failures */
		memcpy(&seqno, f->syn + (v6 ? 40 : (f->syn[0] & 15) * 4) + 4, 4);
		refuse(&f->src, f->sport, &f->dst, f->dport, lwip_ntohl(seqno));
		return;
	}
	vdev_host_unreach(v, f->syn, f->synlen, type, code);
}

/* The SYN again, now that the host side is up: the hook hands it to the
 * listener, and lwIP answers the client. */
static void replay(struct fwd_pend *f)
{
	struct netif *inp = netif_get_by_index(f->in_idx);
	struct tcp_pcb *p;
	struct pbuf *q;

	if (!inp || !(q = pbuf_alloc(PBUF_RAW, f->synlen, PBUF_RAM))) {
		answer_failure(f, ECONNREFUSED);
		pend_free(f, true);
		return;
	}
	pbuf_take(q, f->syn, f->synlen);
	ip_input(q, inp);
	for (p = tcp_active_pcbs; p; p = p->next)
		if (p->state == SYN_RCVD && p->callback_arg == f)
			break;
	if (!p) {
		debug("forwarded tcp: lwIP did not take the SYN again");
		answer_failure(f, ECONNREFUSED);
		pend_free(f, true);
		return;
	}
	f->pcb = p;
	tcp_err(p, on_pend_err);
}

static void on_pend_err(void *arg, err_t err)
{
	struct fwd_pend *f = arg;

	if (!f)
		return;
	f->pcb = NULL;		/* lwIP freed it: the client reset or vanished */
	pend_free(f, false);
}

static void on_host(uv_poll_t *h, int status, int events)
{
	struct fwd_pend *f = h->data;
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(f->hfd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (!err && status < 0)
		err = ECONNREFUSED;
	if (!err && !(events & UV_WRITABLE))
		return;
	close_poll(f);
	if (err) {
		debug("forwarded tcp: host connect: %s", strerror(err));
		if (err != ETIMEDOUT)
			vdev_host_tcp_note(uplink(f->fw->ns, f->dev), 0, true);
		answer_failure(f, err);
		pend_free(f, true);
		return;
	}
	replay(f);
}

/* The host's name for the destination: the gateway is its loopback. */
static void host_addr(const struct fwd_pend *f, struct sockaddr_storage *ss)
{
	uint8_t fam, a[16];

	ns__ip_to_bytes(&f->dst, &fam, a);
	vdev_host_to_host(uplink(f->fw->ns, f->dev), fam == AF_INET6, a);
	memset(ss, 0, sizeof(*ss));
	if (fam == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = lwip_htons(f->dport);
		memcpy(&s6->sin6_addr, a, 16);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = lwip_htons(f->dport);
		memcpy(&s4->sin_addr, a, 4);
	}
}

/* A non-blocking connect on the host, watched on the loop; 0 or an errno */
static int host_connect(struct fwd_pend *f, const struct sockaddr_storage *ss,
			bool v6)
{
	socklen_t sl = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int on = 1;

	f->hfd = socket(v6 ? AF_INET6 : AF_INET,
			SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->hfd < 0)
		return errno;
	/* the inner client applied Nagle already */
	setsockopt(f->hfd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	if (connect(f->hfd, (const struct sockaddr *)ss, sl) && errno != EINPROGRESS)
		return errno;
	f->poll = malloc(sizeof(*f->poll));
	if (!f->poll || uv_poll_init(f->fw->ns->loop, f->poll, f->hfd) < 0) {
		free(f->poll);
		f->poll = NULL;
		return ENOMEM;
	}
	f->poll->data = f;
	uv_poll_start(f->poll, UV_WRITABLE, on_host);
	return 0;
}

/*
 * start() - a SYN for a new forwarded connection: connect on the host
 * @fw:		the state
 * @hdr:	its TCP header, host order
 *
 * The SYN is dropped meanwhile (lwIP answers it once the host connected).
 */
static void start(struct fwd *fw, const struct tcp_hdr *hdr)
{
	const ip_addr_t *src = ip_current_src_addr(), *dst = ip_current_dest_addr();
	bool v6 = IP_IS_V6(dst);
	struct sockaddr_storage ss;
	uint16_t sp, dp;
	struct fwd_pend *f;
	int ret;

	/* the copy rrs_ip_take_foreign() kept must be this very SYN */
	if (fw->synlen < (v6 ? 60 : 40))
		return;
	memcpy(&sp, fw->syn + (v6 ? 40 : (fw->syn[0] & 15) * 4), 2);
	memcpy(&dp, fw->syn + (v6 ? 42 : (fw->syn[0] & 15) * 4 + 2), 2);
	if (lwip_ntohs(sp) != hdr->src || lwip_ntohs(dp) != hdr->dest)
		return;
	if (fw->n >= fw->max) {
		debug("forwarded tcp: %u connections, refusing more", fw->n);
		vdev_host_tcp_note(uplink(fw->ns, fw->syn_dev), 0, true);
		refuse(src, hdr->src, dst, hdr->dest, hdr->seqno);
		return;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		refuse(src, hdr->src, dst, hdr->dest, hdr->seqno);
		return;
	}
	f->fw = fw;
	f->hfd = -1;
	f->in_idx = netif_get_index(ip_current_input_netif());
	f->dev = fw->syn_dev;
	ip_addr_copy(f->src, *src);
	ip_addr_copy(f->dst, *dst);
	f->sport = hdr->src;
	f->dport = hdr->dest;
	f->synlen = fw->synlen;
	memcpy(f->syn, fw->syn, fw->synlen);
	f->next = fw->pend;
	fw->pend = f;
	fw->n++;
	vdev_host_tcp_note(uplink(fw->ns, f->dev), 1, false);

	host_addr(f, &ss);
	ret = host_connect(f, &ss, v6);
	if (ret) {
		debug("forwarded tcp: host socket: %s", strerror(ret));
		vdev_host_tcp_note(uplink(fw->ns, f->dev), 0, true);
		answer_failure(f, ret);
		pend_free(f, false);
	}
}

/* The handshake with the inner client completed: the relay starts. */
static err_t on_accept(void *arg, struct tcp_pcb *np, err_t err)
{
	struct fwd_pend *f = arg, **pp;
	struct fwd *fw;
	struct sock *s;

	if (!f || err != ERR_OK || !np)
		return ERR_VAL;
	fw = f->fw;
	tcp_err(np, NULL);
	f->pcb = NULL;
	s = ns__tcp_fwd_new(fw->ns, np, f->hfd, f->dev);
	if (!s) {
		tcp_arg(np, NULL);
		pend_free(f, false);	/* lwIP resets np */
		return ERR_MEM;
	}
	/* the relay counts now: off the pending list, still counted */
	for (pp = &fw->pend; *pp != f; pp = &(*pp)->next)
		;
	*pp = f->next;
	close_poll(f);
	free(f);
	return ERR_OK;
}

/* ---- lwIP's hooks ---- */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/**
 * rrs_ip_take_foreign() - LWIP_HOOK_IP4/IP6_TAKE_FOREIGN (patch 0030):
 * whether a packet not addressed to the sandbox is ours to terminate
 * @p:		the packet, payload at its IP header
 * @inp:	the netif it came in on
 *
 * TCP routed out of an uplink, from anywhere but the uplink itself and
 * lo, while the sandbox forwards; a SYN only to a destination the rules
 * allow (others go on to the device, which answers "prohibited"), other
 * segments whatever the rules say now: a connection they let open stays
 * open when they change.
 *
 * Return: nonzero to deliver it to lwIP's TCP as if it were addressed to us
 */
int rrs_ip_take_foreign(struct pbuf *p, struct netif *inp)
{
	struct net *n = net__hook();
	uint8_t h[80], dst[16], hdst[16], src[16], hsrc[16] = { 0 }, fam;
	struct rt_flow fl = { 0 };
	struct rt_result res;
	struct net_dev *d, *in;
	struct fwd *fw;
	unsigned int hl;
	bool syn;
	u16_t got;

	if (!n || inp == vdev_netif(n->devs->vdev))
		return 0;
	got = pbuf_copy_partial(p, h, sizeof(h), 0);
	if (got >= 60 && (h[0] >> 4) == 6 && h[6] == IP_PROTO_TCP) {
		fam = AF_INET6;
		hl = 40;
		memcpy(dst, h + 24, 16);
	} else if (got >= 40 && (h[0] >> 4) == 4 && h[9] == IP_PROTO_TCP &&
		   !(get16(h + 6) & 0x3fff)) {
		fam = AF_INET;
		hl = (h[0] & 15) * 4u;
		memcpy(dst, h + 16, 4);
		if (hl < 20 || got < hl + 20)
			return 0;
	} else {
		return 0;	/* not TCP, or a fragment: forwarded as before */
	}
	if (!net__forwards(n, fam == AF_INET6, inp))
		return 0;	/* ip4/6_forward() drop it */
	/* the route ip4/6_forward() would take: by source and input device
	 * too, for the routing rules */
	memcpy(hsrc, fam == AF_INET6 ? h + 8 : h + 12, fam == AF_INET6 ? 16 : 4);
	in = net__dev_of_netif(n, inp);
	fl.src = hsrc;
	fl.iif = in ? in->ifindex : 0;
	fl.tos = fam == AF_INET ? h[1] & 0xfc : 0;
	/* fib4/6_rules_early_flow_dissect(): TCP and its ports (no
	 * fragment gets here) */
	fl.proto = IP_PROTO_TCP;
	fl.sport = get16(h + hl);
	fl.dport = get16(h + hl + 2);
	if (net_route_get_flow(n, fam, dst, &fl, &res, src) || !res.route.n_nh)
		return 0;
	d = net__dev(n, res.route.nh[res.nh].ifindex);
	if (!d || strcmp(vdev_kind(d->vdev), "host") ||
	    vdev_netif(d->vdev) == inp)
		return 0;
	syn = (h[hl + 13] & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	memcpy(hdst, dst, sizeof(hdst));
	vdev_host_to_host(d->vdev, fam == AF_INET6, hdst);
	/* the rules judge new connections; one they allowed before goes on
	 * (as conntrack's ESTABLISHED through a changed firewall) */
	if (syn && !net_uplink_allowed(n, fam, hdst))
		return 0;	/* the device answers: prohibited */
	fw = fwd_get(n->ns);
	if (!fw)
		return 0;
	fw->synlen = 0;
	if (syn && p->tot_len <= FWD_SYN_MAX) {
		fw->synlen = pbuf_copy_partial(p, fw->syn, p->tot_len, 0);
		fw->syn_dev = d->ifindex;
	}
	return 1;
}

/**
 * rrs_tcp_inpacket_noconn() - LWIP_HOOK_TCP_INPACKET_NOCONN (patch 0031):
 * a segment for no connection, before the listeners
 * @hdr:	its TCP header, fields in host order
 * @p:		its data (payload past the header)
 * @lpcb:	set to the listener that takes a SYN whose host side is up
 *
 * Segments to the sandbox's own addresses go on to its listeners.  Those
 * rrs_ip_take_foreign() took: a new SYN starts a host connection, a SYN
 * whose host connection is up goes to the internal listener, a RST ends a
 * pending connection, and anything else (no connection knows it) is
 * answered with a RST.
 *
 * Return: ERR_OK to let lwIP go on, ERR_ABRT to drop the segment
 */
signed char rrs_tcp_inpacket_noconn(struct tcp_hdr *hdr, struct pbuf *p,
				    struct tcp_pcb_listen **lpcb)
{
	const ip_addr_t *src = ip_current_src_addr(), *dst = ip_current_dest_addr();
	struct net *n = net__hook();
	u8_t fl = TCPH_FLAGS(hdr);
	struct tcp_pcb_listen *l;
	struct fwd_pend *f;
	struct fwd *fw;

	if (!n || ns__addr_is_local(dst))
		return ERR_OK;
	/* to an anycast address of ours: dropped without a reset, as
	 * tcp_v6_conn_request() and tcp_v6_send_reset() drop what is not
	 * for a unicast destination (anycast.c) */
	if (IP_IS_V6(dst) && net__acast_is(ip_current_input_netif(), ip_2_ip6(dst)))
		return ERR_ABRT;
	fw = fwd_get(n->ns);
	if (!fw)
		return ERR_ABRT;
	f = pend_find(fw, src, hdr->src, dst, hdr->dest);
	if (fl & TCP_RST) {
		if (f && !f->pcb)
			pend_free(f, false);	/* the client gave up */
		return ERR_ABRT;
	}
	if ((fl & (TCP_SYN | TCP_ACK)) != TCP_SYN) {
		if (!f)
			tcp_rst(NULL, hdr->ackno, hdr->seqno + p->tot_len +
				((fl & TCP_FIN) ? 1 : 0), dst, src, hdr->dest,
				hdr->src);
		return ERR_ABRT;
	}
	if (!f) {
		start(fw, hdr);
		return ERR_ABRT;
	}
	if (f->poll || f->pcb || !(l = listener(fw)))
		return ERR_ABRT;	/* still connecting: the SYN waits */
	l->local_port = hdr->dest;
	l->callback_arg = f;
	*lpcb = l;
	return ERR_OK;
}

/* ---- ending ---- */

static void on_reap(uv_idle_t *h)
{
	struct ns *ns = h->data;
	struct sock *s, *next;

	uv_idle_stop(h);
	for (s = ns->all; s; s = next) {
		next = s->next;
		if (!s->fwd || !s->fwd_end)
			continue;
		if (s->fwd_rst) {
			if (s->sv >= 0) {
				struct linger lg = { 1, 0 };

				setsockopt(s->sv, SOL_SOCKET, SO_LINGER, &lg,
					   sizeof(lg));
			}
			s->abort_on_close = true;
		}
		ns__sock_free(s);
	}
}

/**
 * ns__fwd_end() - a relay is over: free it on the next turn of the loop
 * @s:		the relay (a struct sock with @fwd)
 * @rst:	reset both sides (an error or a reset on either); else each
 *		side's FIN went through and both close gracefully
 *
 * Called from lwIP's callbacks too, which must not see their pcb freed.
 */
void ns__fwd_end(struct sock *s, bool rst)
{
	s->fwd_rst |= rst;
	if (s->fwd_end)
		return;
	s->fwd_end = true;
	debug("forwarded tcp: relay ends%s", rst ? " with a reset" : "");
	ns__sock_poll(s, 0);
	uv_idle_start(&s->ns->fwd_idle, on_reap);
}

/**
 * ns__fwd_gone() - a relay's struct sock is being freed: uncount it
 * @s:		the relay
 */
void ns__fwd_gone(struct sock *s)
{
	struct fwd *fw = s->ns->fwd;

	if (fw && fw->n)
		fw->n--;
	vdev_host_tcp_note(uplink(s->ns, s->fwd_dev), -1, false);
}

/**
 * ns__fwd_dev_gone() - an uplink device is removed: reset its connections
 * @ns:		the stack
 * @ifindex:	the device, still in the network
 */
void ns__fwd_dev_gone(struct ns *ns, uint32_t ifindex)
{
	struct fwd *fw = ns->fwd;
	struct fwd_pend *f, *fn;
	struct sock *s, *next;

	if (!fw)
		return;
	for (f = fw->pend; f; f = fn) {
		fn = f->next;
		if (f->dev != ifindex)
			continue;
		if (!f->pcb) {
			uint32_t seqno;

			memcpy(&seqno, f->syn + (IP_IS_V6(&f->dst) ? 40 :
						 (f->syn[0] & 15) * 4) + 4, 4);
			refuse(&f->src, f->sport, &f->dst, f->dport,
			       lwip_ntohl(seqno));
		}
		pend_free(f, true);
	}
	for (s = ns->all; s; s = next) {
		next = s->next;
		if (s->fwd && s->fwd_dev == ifindex) {
			s->fwd_end = true;
			s->fwd_rst = true;
		}
	}
	on_reap(&ns->fwd_idle);
}

/**
 * ns__fwd_fini() - free what is left (the relays are freed as sockets)
 * @ns:		the stack
 */
void ns__fwd_fini(struct ns *ns)
{
	struct fwd *fw = ns->fwd;

	if (!fw)
		return;
	while (fw->pend)
		pend_free(fw->pend, true);
	if (fw->lpcb) {
		tcp_accept((struct tcp_pcb *)fw->lpcb, NULL);
		tcp_close((struct tcp_pcb *)fw->lpcb);
	}
	free(fw);
	ns->fwd = NULL;
}

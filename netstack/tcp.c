/* SPDX-License-Identifier: MIT */
/*
 * tcp.c - TCP sockets: lwIP's tcp_pcb behind an AF_UNIX stream pair.
 *
 * Data the program writes arrives on sv and goes to tcp_write() as long as
 * lwIP has send buffer; data from the peer is written to sv and
 * acknowledged to lwIP (tcp_recved) only once the program's end took it,
 * so the peer's window is the program's real buffer space.
 *
 * Theory of operation, per socket:
 *   NEW --connect--> CONNECTING --lwIP connected--> CONNECTED
 *   NEW --listen--> LISTEN; lwIP's accepted pcbs wait on the listener
 *   CONNECTED --reset/abort--> CLOSED (program's end shut both ways)
 *   CONNECTING --refused/timeout/ICMP error--> CLOSED (failed: sv closed)
 *   failed CLOSED, once connect() or SO_ERROR reported the error
 *     --connect--> CONNECTING on a new pair and a new pcb (renew())
 * A new TCP socket's program end is filled until not writable (design.md,
 * "Connect readiness"), so poll() reports no POLLOUT before the connection
 * is up; on connect the filling is drained and the send buffer raised.
 *
 * Last close: while the program has not shut its sending side, sv sees
 * the program's close as POLLHUP.  After a half close POLLHUP no longer
 * tells close from shutdown, and the socket becomes "held" (sock.c).
 *
 * Forwarded TCP (tcpfwd.c) uses the same pump with a host TCP socket of
 * the supervisor's as sv, and no program: EOF on sv is the host peer's
 * FIN (passed on with tcp_shutdown()), the inner peer's FIN shuts sv's
 * sending side, and once both went each way the relay ends; an error on
 * either side resets both (ns__fwd_end()).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lwip/ip.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"	/* tcp_abandon(), tcp_rst(), the pcb lists */
#include "lwip/prot/tcp.h"
#include "rrs_lwip_hooks.h"

#include "internal.h"
#include "net.h"
#include "log.h"

#define STUFF_SNDBUF	1	/* the kernel raises it to its minimum */
#define MAX_IOV		64

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err);
static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static void on_err(void *arg, err_t err);

static void save_names(struct sock *s)
{
	struct tcp_pcb *p = s->pcb.tcp;

	if (!p)
		return;
	ip_addr_copy(s->lip, p->local_ip);
	s->lport = p->local_port;
	if (s->state != SK_LISTEN) {
		ip_addr_copy(s->rip, p->remote_ip);
		s->rport = p->remote_port;
	}
}

/* SO_LINGER on with a time of 0: tcp_close() disconnects with a reset */
static bool lingers_zero(const struct sock *s)
{
	return s->linger.l_onoff && !s->linger.l_linger;
}

/*
 * SO_MAX_PACING_RATE on a connection in lwIP, as Linux's own TCP pacing
 * (tcp_update_skb_after_send(), tcp_tso_autosize()): what the program
 * wrote is handed to lwIP in bursts of about 1 ms at the rate, at least
 * two segments, each burst moving the time before which the next may not
 * go (pace_at) by its length at the rate.  Until then the connection
 * stops reading its pair (the program's writes wait or say EAGAIN, as on
 * a full socket) and waits on ns->paced for pace_timer.  0 and ~0 do not
 * pace (Linux skips a rate of 0).  libuv's timers count milliseconds, so
 * a burst may start up to PACE_SLACK_NS early or late: the next one's
 * time moves from this one's, so the rate holds; later than that, the
 * connection was idle and earns no credit.
 */
#define PACE_SLACK_NS	1000000ull

static bool paced(const struct sock *s)
{
	return s->max_pacing_rate && s->max_pacing_rate != UINT64_MAX;
}

static void pace_due(uv_timer_t *h);

/* pace_timer for the earliest waiting connection's time, or stopped */
static void pace_arm(struct ns *ns)
{
	uint64_t now = uv_hrtime(), first = UINT64_MAX;
	struct sock *s;

	for (s = ns->paced; s; s = s->pace_next)
		if (s->pace_at < first)
			first = s->pace_at;
	if (first == UINT64_MAX)
		uv_timer_stop(&ns->pace_timer);
	else
		uv_timer_start(&ns->pace_timer, pace_due,
			       first > now ? (first - now) / 1000000 : 0, 0);
}

/* Park a paced connection until its pace_at. */
static void pace_wait(struct sock *s)
{
	ns__sock_poll(s, s->poll_events & ~(UV_READABLE | UV_DISCONNECT));
	if (!s->pace_wait) {
		s->pace_wait = true;
		s->pace_next = s->ns->paced;
		s->ns->paced = s;
	}
	pace_arm(s->ns);
}

static void pace_forget(struct sock *s)
{
	struct sock **pp;

	if (!s->pace_wait)
		return;
	for (pp = &s->ns->paced; *pp; pp = &(*pp)->pace_next)
		if (*pp == s) {
			*pp = s->pace_next;
			break;
		}
	s->pace_wait = false;
	pace_arm(s->ns);
}

/* What a connection may hand lwIP now, of @room: 0 parks it. */
static size_t pace_room(struct sock *s, size_t room)
{
	uint64_t burst;

	if (!paced(s) || !s->pcb.tcp)
		return room;
	if (s->pace_at > uv_hrtime() + PACE_SLACK_NS) {
		pace_wait(s);
		return 0;
	}
	burst = s->max_pacing_rate / 1000;
	if (burst < 2u * s->pcb.tcp->mss)
		burst = 2u * s->pcb.tcp->mss;
	return room < burst ? room : (size_t)burst;
}

/* @n bytes went to lwIP: the next burst's time. */
static void pace_sent(struct sock *s, size_t n)
{
	uint64_t now;

	if (!paced(s) || !n)
		return;
	now = uv_hrtime();
	if (s->pace_at + PACE_SLACK_NS < now)
		s->pace_at = now;	/* idle: no credit */
	s->pace_at += (uint64_t)n * 1000000000ull / s->max_pacing_rate;
}

/* pace_timer: paced connections whose time came read their pairs again */
static void pace_due(uv_timer_t *h)
{
	struct ns *ns = h->data;
	uint64_t now = uv_hrtime();
	struct sock **pp = &ns->paced, *s;

	while ((s = *pp)) {
		if (s->pace_at > now + PACE_SLACK_NS) {
			pp = &s->pace_next;
			continue;
		}
		*pp = s->pace_next;
		s->pace_wait = false;
		if (!s->tx_eof && s->state == SK_CONNECTED)
			ns__sock_poll(s, s->poll_events | UV_READABLE | UV_DISCONNECT);
	}
	pace_arm(ns);
}

/*
 * TCP_USER_TIMEOUT, which lwIP does not know.  Linux's tcp_write_timeout()
 * gives up on a connection whose sent data (or zero-window probe) waited
 * longer than the timeout for an ACK, and its tcp_keepalive_timer() on one
 * that sent a probe and heard nothing for that long: the error is
 * ETIMEDOUT (tcp_write_err()), and no reset is sent.  lwIP polls each
 * connection on its slow timer (500 ms) while it runs; since when data
 * waits is counted from the first poll that saw it (or the last ACK that
 * took some), so the connection ends up to a second past the timeout.
 * Connections setting up (SYN_SENT, SYN_RCVD) are not concerned, as on
 * Linux 6.x (their limit is TCP_SYNCNT).
 */
static err_t on_poll(void *arg, struct tcp_pcb *pcb)
{
	struct sock *s = arg;
	uint64_t now, ms;

	if (!s || s->user_timeout <= 0 || pcb->state < ESTABLISHED)
		return ERR_OK;
	ms = (uint64_t)s->user_timeout;
	now = uv_now(s->ns->loop);
	if (!pcb->unacked && !(pcb->unsent && !pcb->snd_wnd)) {
		s->ut_since = 0;
		if (!ip_get_option(pcb, SOF_KEEPALIVE) || !pcb->keep_cnt_sent ||
		    (uint64_t)(tcp_ticks - pcb->tmr) * TCP_SLOW_INTERVAL < ms)
			return ERR_OK;
	} else if (!s->ut_since || now - s->ut_since < ms) {
		if (!s->ut_since)
			s->ut_since = now;
		return ERR_OK;
	}
	debug("socket %llu: TCP_USER_TIMEOUT (%d ms) passed",
	      (unsigned long long)s->ino, s->user_timeout);
	tcp_abandon(pcb, 0);	/* on_err(ERR_ABRT): ETIMEDOUT */
	return ERR_ABRT;
}

static void set_callbacks(struct sock *s, struct tcp_pcb *pcb)
{
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
}

/**
 * ns__tcp_open() - give the socket its lwIP pcb
 * @s:		the socket
 *
 * Return: 0 or -ENOMEM
 */
int ns__tcp_open(struct sock *s)
{
	u8_t type = s->family == AF_INET ? IPADDR_TYPE_V4 :
		    s->v6only ? IPADDR_TYPE_V6 : IPADDR_TYPE_ANY;

	s->pcb.tcp = tcp_new_ip_type(type);
	if (!s->pcb.tcp)
		return -ENOMEM;
	tcp_arg(s->pcb.tcp, s);
	tcp_err(s->pcb.tcp, on_err);
	ns__tcp_apply_opts(s);
	ns__md5_attach(s);	/* a new pcb after a failed connect keeps the keys */
	return 0;
}

/**
 * ns__tcp_stuff() - fill the program's end so it is not writable yet
 * @s:		the socket; counts the bytes, which arrive on sv
 * @tracee_end:	the program's end, not yet installed
 */
void ns__tcp_stuff(struct sock *s, int tracee_end)
{
	static const char zeros[4096];
	int v = STUFF_SNDBUF;
	ssize_t n;

	setsockopt(tracee_end, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	while ((n = send(tracee_end, zeros, sizeof(zeros),
			 MSG_DONTWAIT | MSG_NOSIGNAL)) > 0)
		s->stuffed += (int)n;
}

/* Make the program's end writable: drain the filling, raise its buffer. */
static void unstuff(struct sock *s)
{
	int t;

	while (s->stuffed > 0) {
		ssize_t n = recv(s->sv, s->ns->iobuf, (size_t)s->stuffed,
				 MSG_DONTWAIT);

		if (n <= 0)
			break;
		s->stuffed -= (int)n;
	}
	s->stuffed = 0;
	t = ns__tref_get(s, s->hint_pid, s->hint_fd);
	if (t < 0) {
		debug("socket %llu: send buffer stays small: %s",
		      (unsigned long long)s->ino, strerror(-t));
		return;
	}
	setsockopt(t, SOL_SOCKET, SO_SNDBUF, &s->sndbuf, sizeof(s->sndbuf));
	ns__tref_put(s, t);
}

/**
 * ns__tcp_apply_opts() - push the socket's options into its pcb
 * @s:		the socket
 */
void ns__tcp_apply_opts(struct sock *s)
{
	struct tcp_pcb *p = s->pcb.tcp;
	bool v4;

	if (!p)
		return;
	/* lwIP's one flag lets two pcbs share a port; SO_REUSEPORT sockets
	 * share one too (reuseport_join() below) */
	if (s->reuseaddr || s->reuseport)
		ip_set_option(p, SOF_REUSEADDR);
	else
		ip_reset_option(p, SOF_REUSEADDR);
	if (p->state == LISTEN)
		return;		/* a tcp_pcb_listen has no more fields */
	if (s->nodelay)
		tcp_nagle_disable(p);
	else
		tcp_nagle_enable(p);
	if (s->keepalive)
		ip_set_option(p, SOF_KEEPALIVE);
	else
		ip_reset_option(p, SOF_KEEPALIVE);
	/* TCP_KEEPIDLE and TCP_KEEPINTVL are seconds, lwIP's fields ms. */
	if (s->keepidle > 0)
		p->keep_idle = (u32_t)s->keepidle * 1000;
	if (s->keepintvl > 0)
		p->keep_intvl = (u32_t)s->keepintvl * 1000;
	if (s->keepcnt > 0)
		p->keep_cnt = (u32_t)s->keepcnt;
	/* IPv4's values for a connection with an IPv4 peer (v4-mapped) */
	v4 = p->remote_port && IP_IS_V4_VAL(p->remote_ip);
	p->ttl = (u8_t)ns__ttl(s, v4);
	p->tos = (u8_t)ns__tos(s, v4);
	tcp_poll(p, s->user_timeout > 0 ? on_poll : NULL, 1);
	ns__bind_dev_apply(s);
}

/* ---- input checks (tcpin.c): minimum TTL, closed listeners ---- */

/**
 * ns__tcp_below_minttl() - whether a segment comes with too small a TTL
 * @pcb:	the pcb lwIP chose for it (a tcp_pcb_listen for a listener)
 *
 * A segment arriving with a TTL (hop limit) under the socket's IP_MINTTL
 * (IPV6_MINHOPCOUNT) is dropped, as Linux's tcp_v4_rcv() does before any
 * other check: the GTSM of RFC 5082 that BIRD's `ttl security` asks for.
 * IPv4 packets (an IPv6 socket's IPv4-mapped peers too) are held against
 * IP_MINTTL, IPv6 ones against IPV6_MINHOPCOUNT.  Listeners check SYNs
 * the same way, and accepted sockets inherit the minimum.  Counted in the
 * SIGUSR1 line (minttl_drops).
 *
 * Return: true if the segment must be dropped
 */
bool ns__tcp_below_minttl(struct tcp_pcb *pcb)
{
	const struct sock *s = ns__tcp_owner(pcb);
	bool below;

	if (!s || (!s->minttl && !s->minhops))
		return false;
#if LWIP_IPV6
	if (ip_current_is_v6())
		below = IP6H_HOPLIM(ip6_current_header()) < s->minhops;
	else
#endif
		below = IPH_TTL(ip4_current_header()) < s->minttl;
	if (below)
		s->ns->minttl_drops++;
	return below;
}

static struct sock *reuseport_pick(struct sock *l, const ip_addr_t *rip,
				   u16_t rport);

/**
 * ns__tcp_refuse_closed() - answer a SYN for a listener the program closed
 * @pcb:	the pcb lwIP chose for a segment (a tcp_pcb_listen for a listener)
 * @hdr:	the segment's TCP header, fields in host order (tcp_input()
 *		converts them before the hook)
 *
 * A SYN for a held listener the program has closed (the supervisor could
 * not see that close) is answered with a reset, as Linux refuses it, and
 * the listener is freed by the scan that follows.
 *
 * Return: true if the segment was answered and must be dropped
 */
bool ns__tcp_refuse_closed(struct tcp_pcb *pcb, const struct tcp_hdr *hdr)
{
	struct sock *l = pcb->callback_arg;
	u8_t flags = TCPH_FLAGS(hdr);

	if (pcb->state != LISTEN || !l || l->tref < 0 ||
	    (flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN || ns__alive(l))
		return false;
	/* another of its SO_REUSEPORT group takes it (on_accept()) */
	if (l->reuseport && reuseport_pick(l, ip_current_src_addr(), hdr->src))
		return false;
	debug("listener %llu: closed by the program, refusing",
	      (unsigned long long)l->ino);
	tcp_rst(NULL, 0, hdr->seqno + 1, ip_current_dest_addr(),
		ip_current_src_addr(), hdr->dest, hdr->src);
	ns__scan_soon(l->ns);
	return true;
}

/* ---- from the peer to the program ---- */

/* Let go of the queue of data for the program. */
static void rxq_free(struct sock *s)
{
	if (s->rxq)
		pbuf_free(s->rxq);
	s->rxq = s->rxq_tail = NULL;
	s->rxq_bytes = 0;
}

/**
 * ns__tcp_rx_due_del() - take @s off the list of data due this turn
 * @s:		a socket; on the list or not
 */
void ns__tcp_rx_due_del(struct sock *s)
{
	if (!s->rx_due_pprev)
		return;
	*s->rx_due_pprev = s->rx_due_next;
	if (s->rx_due_next)
		s->rx_due_next->rx_due_pprev = s->rx_due_pprev;
	s->rx_due_next = NULL;
	s->rx_due_pprev = NULL;
}

/* Put @s on the list of data due this turn, once. */
static void rx_due_add(struct sock *s)
{
	struct ns *ns = s->ns;

	if (s->rx_due_pprev)
		return;
	s->rx_due_next = ns->rx_due;
	if (ns->rx_due)
		ns->rx_due->rx_due_pprev = &s->rx_due_next;
	ns->rx_due = s;
	s->rx_due_pprev = &ns->rx_due;
}

static void rx_flush(struct sock *s)
{
	ns__tcp_rx_due_del(s);
	while (s->rxq) {
		struct iovec iov[MAX_IOV];
		struct msghdr msg = { .msg_iov = iov };
		struct pbuf *q;
		ssize_t n;
		size_t done;

		for (q = s->rxq; q && msg.msg_iovlen < MAX_IOV; q = q->next) {
			if (!q->len)
				continue;
			iov[msg.msg_iovlen].iov_base = q->payload;
			iov[msg.msg_iovlen++].iov_len = q->len;
		}
		n = sendmsg(s->sv, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				ns__sock_poll(s, s->poll_events | UV_WRITABLE);
				return;
			}
			/* EPIPE: the program shut its reading side or
			 * closed.  What its end will not take is dropped,
			 * its room kept from the window: the peer stalls
			 * once the window is full, as on Linux, where what
			 * comes after SHUT_RD waits unread until the receive
			 * queue is full (the program could still read it
			 * there; its AF_UNIX end takes no more).  Giving the
			 * room back, as this once did by the head's tot_len
			 * (a u16 that wraps past 64 KiB), let the peer send
			 * on.  A relay's host side failed: both sides are
			 * reset. */
			rxq_free(s);
			if (s->fwd) {
				ns__fwd_end(s, true);
				return;
			}
			break;
		}
		for (done = (size_t)n; done;) {
			u16_t k = done > 0xffff ? 0xffff : (u16_t)done;

			s->rxq = pbuf_free_header(s->rxq, k);
			if (s->pcb.tcp)
				tcp_recved(s->pcb.tcp, k);
			done -= k;
		}
		s->rxq_bytes -= (size_t)n;
		if (!s->rxq)
			s->rxq_tail = NULL;
	}
	ns__sock_poll(s, s->poll_events & ~UV_WRITABLE);
	if (s->rx_fin && !s->rx_done) {
		shutdown(s->sv, SHUT_WR);
		s->rx_done = true;
		if (s->fwd && s->tx_eof)
			ns__fwd_end(s, false);	/* a FIN went each way */
	}
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct sock *s = arg;

	if (!s) {
		if (p) {
			tcp_recved(pcb, p->tot_len);
			pbuf_free(p);
		}
		return ERR_OK;
	}
	if (!p) {
		s->rx_fin = true;
		rx_flush(s);
		return ERR_OK;
	}
	/* Linked at the tail, not pbuf_cat(): that walks the whole queue
	 * (over a thousand pbufs with the 2 MiB window and a slow reader) */
	if (s->rxq)
		s->rxq_tail->next = p;
	else
		s->rxq = p;
	s->rxq_bytes += p->tot_len;
	for (s->rxq_tail = p; s->rxq_tail->next; s->rxq_tail = s->rxq_tail->next)
		;
	/* Written at the end of this turn, with whatever else arrives in
	 * it (a link reads up to 16 frames at once): one write and one
	 * wake-up of the reader for them all.  A socket waiting for room
	 * in sv is written when it has some. */
	if (!(s->poll_events & UV_WRITABLE))
		rx_due_add(s);
	return ERR_OK;
}

/**
 * ns__tcp_rx_due_flush() - write what arrived this turn to the programs
 * @ns:		the stack
 *
 * Called after the loop's poll phase and before it waits, so data never
 * waits for another event.
 *
 * Return: whether any socket was written (lwIP may have sent window
 * updates: its timer wants rescheduling)
 */
bool ns__tcp_rx_due_flush(struct ns *ns)
{
	bool any = false;
	struct sock *s;

	while ((s = ns->rx_due)) {
		ns__tcp_rx_due_del(s);
		if (s->rxq && !(s->poll_events & UV_WRITABLE)) {
			rx_flush(s);	/* may end a relay: s not used after */
			any = true;
		}
	}
	return any;
}

/* ---- from the program to the peer ---- */

/*
 * The program's sending side ended: read() on sv gave 0.  Only shutdown()
 * (trapped, so noted in prog_shut_wr) or the last close ends it; without a
 * shutdown() this is the last close.
 */
static void tx_eof(struct sock *s)
{
	debug("socket %llu: EOF from the program%s", (unsigned long long)s->ino,
	      s->prog_shut_wr ? " (shutdown)" : ", which closed it");
	s->tx_eof = true;
	ns__sock_poll(s, s->poll_events & ~(UV_READABLE | UV_DISCONNECT));
	if (s->fwd) {
		/* the host peer's FIN: pass it on, keep relaying the other way */
		if (s->pcb.tcp)
			tcp_shutdown(s->pcb.tcp, 0, 1);
		if (s->rx_done)
			ns__fwd_end(s, false);
		return;
	}
	if (!s->prog_shut_wr && !s->listener) {
		ns__sock_free(s);
		return;
	}
	if (s->pcb.tcp)
		tcp_shutdown(s->pcb.tcp, 0, 1);
	/* From now on POLLHUP cannot tell close from shutdown. */
	ns__sock_set_held(s, true);
}

static void tx_pump(struct sock *s)
{
	struct tcp_pcb *p = s->pcb.tcp;
	int rounds = 8;		/* then let the loop serve others */

	if (s->sv < 0)
		return;
	while (rounds--) {
		size_t room = p ? tcp_sndbuf(p) : NS_IOBUF;
		ssize_t n;

		if (p && (!room || tcp_sndqueuelen(p) >= TCP_SND_QUEUELEN - 8)) {
			/* on_sent() resumes reading.  Not even UV_DISCONNECT:
			 * after a half close POLLRDHUP stays set and would spin. */
			ns__sock_poll(s, s->poll_events & ~(UV_READABLE | UV_DISCONNECT));
			break;
		}
		if (room > NS_IOBUF)
			room = NS_IOBUF;
		if (!(room = pace_room(s, room)))
			break;
		n = recv(s->sv, s->ns->iobuf, room, MSG_DONTWAIT);
		if (n == 0) {
			tx_eof(s);
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (s->fwd) {	/* the host peer reset: so does lwIP */
				ns__fwd_end(s, true);
				return;
			}
			tx_eof(s);
			break;
		}
		if (!p)
			continue;	/* connection gone: discard */
		if (tcp_write(p, s->ns->iobuf, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK) {
			warn("socket %llu: lwIP out of memory, resetting",
			     (unsigned long long)s->ino);
			tcp_abort(p);	/* calls on_err() */
			return;
		}
		pace_sent(s, (size_t)n);
	}
	if (p)
		tcp_output(p);
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct sock *s = arg;

	if (!s)
		return ERR_OK;
	s->ut_since = 0;	/* the peer took some: TCP_USER_TIMEOUT anew */
	if (!s->tx_eof && s->state == SK_CONNECTED)
		ns__sock_poll(s, s->poll_events | UV_READABLE | UV_DISCONNECT);
	ns__retry_waiters(s, W_SEND, ns__tcp_send_call);
	return ERR_OK;
}

/* Copy up to @room bytes of the program's buffers into the stack's. */
static int64_t gather_some(struct sock *s, struct trc_call *c,
			   const struct iovec *iov, int iovcnt, size_t room)
{
	struct iovec r[64], l;
	size_t left = room;
	int k, ret;

	for (k = 0; k < iovcnt && k < 64 && left; k++) {
		r[k] = iov[k];
		if (r[k].iov_len > left)
			r[k].iov_len = left;
		left -= r[k].iov_len;
	}
	l.iov_base = s->ns->iobuf;
	l.iov_len = room - left;
	if (l.iov_len && (ret = trc_mem_readv(c, &l, 1, r, (unsigned long)k)))
		return ret;
	return (int64_t)l.iov_len;
}

/*
 * A send with an address on a direct pair (local shortcut): written into
 * the program's own end, fetched for the purpose, as if the program had
 * written it; a blocking one waits for room.
 */
static int64_t direct_send(struct sock *s, struct trc_call *c, int fd,
			   const struct iovec *iov, int iovcnt, int flags)
{
	int64_t len;
	ssize_t n;
	int t, nb;

	t = ns__tref_get(s, trc_call_pid(c), fd);
	if (t < 0)
		return t == -ESTALE ? -EBADF : t;
	len = gather_some(s, c, iov, iovcnt, NS_IOBUF);
	if (len <= 0) {
		ns__tref_put(s, t);
		return len;
	}
	n = send(t, s->ns->iobuf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
		len = n >= 0 ? n : -errno;
		ns__tref_put(s, t);
		return len;
	}
	nb = ns__sock_nonblock(s, c, fd, flags, MSG_DONTWAIT, false);
	if (nb) {
		ns__tref_put(s, t);
		return nb < 0 ? nb : -EAGAIN;
	}
	return ns__park_writable(s, c, fd, ns__tref_own(s, t));
}

/**
 * ns__tcp_send() - send() with an address, which the kernel would refuse on
 * the program's end of the pair: the data goes into the stream here
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd
 * @iov:	the program's buffers (tracee addresses)
 * @iovcnt:	their number
 * @flags:	MSG_DONTWAIT and friends
 *
 * Return: bytes taken, NS_PARKED, or a negative errno
 */
int64_t ns__tcp_send(struct sock *s, struct trc_call *c, int fd,
		     const struct iovec *iov, int iovcnt, int flags)
{
	size_t room = 0;
	int queued = 0, nb;
	int64_t len;

	if (s->direct)
		return direct_send(s, c, fd, iov, iovcnt, flags);
	if (s->state == SK_CONNECTING)
		return -EAGAIN;
	if (s->state != SK_CONNECTED || s->tx_eof) {
		/* Linux's sk_stream_wait_connect(): a reset or timed out
		 * connection's error first, taken as SO_ERROR takes it (so a
		 * read then finds EOF); EPIPE after, as for every other state.
		 * Where the program's end could not be given the error (held
		 * ends: it reads EOF), the error is still this call's. */
		nb = s->state == SK_CLOSED ? ns__tcp_so_error(s, c) : 0;
		return nb ? -nb : -EPIPE;
	}
	tx_pump(s);	/* what the program wrote before goes first */
	if (!s->pcb.tcp)
		return -EPIPE;
	if (ioctl(s->sv, FIONREAD, &queued) || queued <= 0)
		room = tcp_sndbuf(s->pcb.tcp);
	if (room > NS_IOBUF)
		room = NS_IOBUF;
	if (!room) {
		nb = ns__sock_nonblock(s, c, fd, flags, MSG_DONTWAIT, false);
		if (nb < 0)
			return nb;
		if (nb)
			return -EAGAIN;
		return ns__park(s, c, W_SEND, fd);
	}
	len = gather_some(s, c, iov, iovcnt, room);
	if (len <= 0)
		return len;
	if (tcp_write(s->pcb.tcp, s->ns->iobuf, (u16_t)len,
		      TCP_WRITE_FLAG_COPY) != ERR_OK)
		return -ENOBUFS;
	pace_sent(s, (size_t)len);
	tcp_output(s->pcb.tcp);
	return len;
}

/**
 * ns__tcp_io() - the supervisor's end is ready
 * @s:		the socket
 * @status:	libuv status
 * @events:	what is ready
 */
void ns__tcp_io(struct sock *s, int status, int events)
{
	if (s->fwd_end)
		return;		/* tcpfwd.c frees it on this turn */
	if (status < 0 && s->fwd) {
		ns__fwd_end(s, true);	/* the host connection failed */
		return;
	}
	if (status < 0) {
		/* POLLERR: the program closed its end with data unread in it
		 * (ECONNRESET on sv), which Linux answers with a reset. */
		s->abort_on_close = true;
		ns__sock_end(s);
		return;
	}
	if (s->state != SK_CONNECTED && s->state != SK_CLOSED) {
		/* Not connected: only the program's close is watched. */
		ns__sock_end(s);
		return;
	}
	if (events & UV_WRITABLE)
		rx_flush(s);
	if (events & (UV_READABLE | UV_DISCONNECT))
		tx_pump(s);
}

static void start_data(struct sock *s)
{
	s->state = SK_CONNECTED;
	save_names(s);
	set_callbacks(s, s->pcb.tcp);
	ns__sock_poll(s, UV_READABLE | UV_DISCONNECT);
}

/* ---- connect ---- */

/*
 * A connection to an address of this sandbox.  Linux has it queued on the
 * listener before the client's connect() returns or polls writable (the
 * loopback delivers the client's ACK inside the call), and programs count
 * on it: a non-blocking accept() at once must find it.  Here that ACK
 * goes round lo's queue, a turn of the loop later, so the client is told
 * when on_accept() has queued the connection, or when the attempt ends
 * (on_err()), and LOCAL_WAIT_MS at the latest should neither come (a
 * simultaneous open, an ACK dropped by a full queue).
 */
#define LOCAL_WAIT_MS	200

static void connect_done(struct sock *s);

static void on_local_wait(uv_timer_t *h)
{
	struct ns *ns = h->data;
	uint64_t now = uv_now(ns->loop), next = 0;
	struct sock *s;

	for (s = ns->all; s; s = s->next) {
		if (!s->await_accept)
			continue;
		if (now - s->await_since < LOCAL_WAIT_MS) {
			if (!next || s->await_since + LOCAL_WAIT_MS - now < next)
				next = s->await_since + LOCAL_WAIT_MS - now;
			continue;
		}
		debug("socket %llu: no accept by a local listener",
		      (unsigned long long)s->ino);
		connect_done(s);
	}
	if (next)
		uv_timer_start(h, on_local_wait, next, 0);
}

/* @np's client, when it is a socket of this sandbox waiting for it */
static struct sock *local_client(struct ns *ns, const struct tcp_pcb *np)
{
	struct sock *c;

	if (!ns__addr_is_local(&np->remote_ip))
		return NULL;	/* a peer out of a link: no scan */
	for (c = ns->all; c; c = c->next)
		if (c->await_accept && c->pcb.tcp &&
		    c->pcb.tcp->local_port == np->remote_port &&
		    c->pcb.tcp->remote_port == np->local_port &&
		    ip_addr_cmp(&c->pcb.tcp->local_ip, &np->remote_ip) &&
		    ip_addr_cmp(&c->pcb.tcp->remote_ip, &np->local_ip))
			return c;
	return NULL;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *s = arg;

	if (!s)
		return ERR_OK;
	if (ns__addr_is_local(&pcb->remote_ip) &&
	    !(pcb->remote_port == pcb->local_port &&	/* not to itself */
	      ip_addr_cmp(&pcb->remote_ip, &pcb->local_ip))) {
		s->await_accept = true;
		s->await_since = uv_now(s->ns->loop);
		if (!uv_is_active((uv_handle_t *)&s->ns->local_timer))
			uv_timer_start(&s->ns->local_timer, on_local_wait,
				       LOCAL_WAIT_MS, 0);
		return ERR_OK;
	}
	connect_done(s);
	return ERR_OK;
}

/* The connection is up: the socket's side of it. */
static void connect_up(struct sock *s)
{
	struct tcp_pcb *pcb = s->pcb.tcp;

	s->await_accept = false;
	unstuff(s);
	ns__sock_drop_tref(s);
	ns__sock_set_held(s, false);
	/* SO_LINGER {1, 0}: its close must reset the peer, which a shared
	 * pair cannot do (see on_accept()), and a pair cannot be paced: such
	 * a connection stays in lwIP */
	if (s->ns->shortcut && s->ns->fetch && !lingers_zero(s) && !paced(s) &&
	    ip_addr_isloopback(&pcb->remote_ip)) {
		/* The peer is a listener of this sandbox: leave what the
		 * program writes in sv for on_accept() to hand over whole. */
		s->state = SK_CONNECTED;
		save_names(s);
		set_callbacks(s, pcb);
		s->shortcut_wait = true;
	} else {
		start_data(s);
	}
	debug("socket %llu: connected", (unsigned long long)s->ino);
}

/* ... and a blocking connect() is answered. */
static void connect_tell(struct sock *s)
{
	struct waiter *w;

	if ((w = ns__waiter_pop(s, W_CONNECT))) {
		calls("pid %d: connect(%d) = 0", (int)trc_call_pid(w->call), w->fd);
		trc_call_reply(w->call, 0);
		ns__waiter_free(w);
	}
}

static void connect_done(struct sock *s)
{
	connect_up(s);
	connect_tell(s);
}

/*
 * A connection reset (on_err()): the program's end is to give what it
 * holds, then ECONNRESET once, then EOF, and poll POLLERR|POLLHUP until
 * the error is read, as a socket tcp_reset() closed.  An AF_UNIX end
 * does just that when its peer is closed with data unread in it
 * (unix_release_sock() sets ECONNRESET on it): so sv is closed, with a
 * byte sent from the program's end (fetched for a moment) when the
 * program left none unread.  The program's writes then fail with EPIPE
 * (Linux: the first with ECONNRESET).  A connection that timed out ends
 * the same way rather than read as an orderly end of the data, its end
 * saying ECONNRESET for Linux's ETIMEDOUT (an AF_UNIX end has no other
 * error to give; SO_ERROR says ETIMEDOUT).  Where that end cannot be
 * fetched (a process gone, pidfd_getfd() refused) or is shut for
 * writing, the caller shuts sv instead, and the program reads EOF.
 *
 * Return: true when sv was closed so
 */
static bool reset_end(struct sock *s)
{
	int queued = 0, t;
	bool unread;

	unread = !ioctl(s->sv, FIONREAD, &queued) && queued > 0;
	if (!unread && (t = ns__tref_get(s, s->hint_pid, s->hint_fd)) >= 0) {
		unread = send(t, "", 1, MSG_DONTWAIT | MSG_NOSIGNAL) == 1;
		ns__tref_put(s, t);
	}
	if (!unread)
		return false;
	debug("socket %llu: reset: ECONNRESET for the program",
	      (unsigned long long)s->ino);
	ns__sock_close_sv(s);
	s->err_on_end = true;
	s->end_err = s->so_error;
	return true;
}

/**
 * ns__tcp_so_error() - getsockopt(SO_ERROR) of a stream socket: its
 *			pending error, which the call takes
 * @s:		the socket
 * @c:		the call
 *
 * A reset connection's error is also on the program's end (reset_end()),
 * where a read the kernel served may have taken it already, as Linux's
 * sock_error() takes it: that end's SO_ERROR is the answer then.
 *
 * Return: the error, 0 for none
 */
int ns__tcp_so_error(struct sock *s, struct trc_call *c)
{
	socklen_t len = sizeof(int);
	int v = s->so_error, t, e = 0;

	s->so_error = 0;
	if (!s->err_on_end && !s->direct)
		return v;
	t = ns__tref_get(s, trc_call_pid(c), (int)trc_call_arg(c, 0));
	if (t < 0)
		return v;
	if (getsockopt(t, SOL_SOCKET, SO_ERROR, &e, &len))
		e = 0;
	ns__tref_put(s, t);
	/* a local shortcut's pair has the connection's own error: the peer
	 * closed with data unread (ECONNRESET), taken as Linux's SO_ERROR
	 * takes it, so a read then says EOF */
	if (s->direct && !s->err_on_end)
		return v ? v : e;
	/* the end's ECONNRESET stands for the connection's error (a timeout
	 * is ETIMEDOUT) until a read took it */
	if (e && !v)
		v = s->end_err;
	return e ? v : 0;
}

/*
 * A failed attempt told through connect() (a blocking one's answer, or a
 * later connect() giving its error or ECONNABORTED): Linux's
 * __inet_stream_connect() then calls tcp_disconnect(), which drops the
 * source the attempt chose unless bind() named one (SOCK_BINDADDR_LOCK);
 * getsockname() keeps the port.  Told through SO_ERROR alone, the source
 * stays, as Linux's does.
 */
static void fail_told_by_connect(struct sock *s)
{
	s->fail_told = true;
	if (s->addr_locked)
		return;
	if (s->family == AF_INET6)
		ip_addr_copy(s->lip, *IP6_ADDR_ANY);
	else
		ip_addr_copy(s->lip, *IP4_ADDR_ANY);
}

static void on_err(void *arg, err_t err)
{
	struct sock *s = arg;
	struct waiter *w;

	if (!s)
		return;
	debug("socket %llu: lwIP error %d", (unsigned long long)s->ino, err);
	s->await_accept = false;	/* a failed attempt, still SK_CONNECTING */
	/* lwIP may have freed the pcb already (tcp_abort(), tcp_abandon()
	 * and its timers call this after tcp_free()): its names were saved
	 * at connect and when the data started, never read here. */
	s->pcb.tcp = NULL;
	/* What arrived before the reset is read before its error, as on
	 * Linux: data due this turn goes to the program first. */
	if (s->rx_due_pprev)
		rx_flush(s);
	rxq_free(s);
	if (s->fwd) {		/* the inner peer reset: so does the host side */
		ns__fwd_end(s, true);
		return;
	}
	if (s->state == SK_CONNECTING) {
		s->so_error = s->icmp_err ? s->icmp_err :
			      err == ERR_RST ? ECONNREFUSED :
			      err == ERR_ABRT ? ETIMEDOUT : -ns__err_lwip(err);
		s->last_error = s->so_error;
		s->state = SK_CLOSED;
		/*
		 * Closing sv with the filling unread sets ECONNRESET and both
		 * shutdowns on the program's end: poll() then reports
		 * POLLIN|POLLOUT|POLLERR|POLLHUP, as Linux does after a failed
		 * connect.  The socket stays for SO_ERROR and for a new
		 * attempt (renew()); a scan frees it.  A held program end
		 * stays held: renew() copies its timeouts.
		 */
		ns__sock_close_sv(s);
		ns__sock_set_held(s, true);
		if ((w = ns__waiter_pop(s, W_CONNECT))) {
			calls("pid %d: connect(%d) = -%s", (int)trc_call_pid(w->call),
			      w->fd, strerror(s->so_error));
			trc_call_reply(w->call, -s->so_error);
			s->so_error = 0;
			fail_told_by_connect(s);
			ns__waiter_free(w);
		}
		return;
	}
	if (s->state == SK_CONNECTED) {
		/* ERR_ABRT: lwIP gave up (retransmissions, keepalives), which
		 * Linux's tcp_write_err() reports as ETIMEDOUT; ERR_CLSD: the
		 * last ACK of an orderly close came, no error at all */
		s->so_error = err == ERR_RST ? ECONNRESET :
			      err == ERR_ABRT ? ETIMEDOUT :
			      err == ERR_CLSD ? 0 : -ns__err_lwip(err);
		s->state = SK_CLOSED;
		if (!s->so_error || !reset_end(s)) {
			shutdown(s->sv, SHUT_RDWR);	/* EOF and EPIPE */
			ns__sock_poll(s, 0);
		}
		if (!s->listener)
			ns__sock_set_held(s, true);
	}
}

/* tcp_bind(), and once more after a scan when the port seems taken: its
 * holder may be a socket the program closed unseen */
static err_t bind_pcb(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	err_t e = tcp_bind(s->pcb.tcp, ip, port);

	if (e == ERR_USE) {
		ns__scan_sparing(s->ns, s);
		e = tcp_bind(s->pcb.tcp, ip, port);
	}
	return e;
}

/* Bind a new pcb (after a failed connect, or a listener's shutdown) as
 * the program bound the socket. */
static int rebind(struct sock *s)
{
	/* As Linux's tcp_disconnect(): the address stays if bind() named
	 * one (SOCK_BINDADDR_LOCK), the port if bind() named one
	 * (SOCK_BINDPORT_LOCK); the rest is chosen again.  Linux keeps the
	 * port bound meanwhile; lwIP freed it with the old pcb, so another
	 * socket may have taken it since: EADDRINUSE then. */
	if (!s->addr_locked && !s->port_locked)
		return 0;
	return ns__err_lwip(bind_pcb(s, &s->bind_ip,
				     s->port_locked ? s->bind_port : 0));
}

/*
 * new_end() - give @s a new pair, filled as a new socket's, whose program
 * end replaces the old one at @fd (SECCOMP_ADDFD_FLAG_SETFD, as dup2()
 * would, with the fd's O_NONBLOCK, FD_CLOEXEC and timeouts)
 * @s:		the socket, whose pair a failed connect or shutdown() spent
 * @c:		the call that is to use it; still pending afterwards
 * @fd:		the program's fd number
 * @leave:	called with @s and the old end's inode once @fd names the new
 *		one, for what @s still holds of the old end (s->tref)
 *
 * An AF_UNIX pair whose ends were shut both ways (what makes the program's
 * end show a failed connect or a shut listener natively) cannot be used
 * again.  Other fds naming the old end (a dup(), a child's) keep it.  On
 * success the old sv is closed, @s is found by the new end's inode, and
 * the new end is held only where it cannot be fetched.
 *
 * Return: 0, or a negative errno with nothing changed
 */
static int new_end(struct sock *s, struct trc_call *c, int fd,
		   void (*leave)(struct sock *s, uint64_t old))
{
	uint64_t ino = s->ino, nino;
	int sv = s->sv, nsv, tend, fl, ret;

	/* only while @fd names the old end: another thread may have closed
	 * it and opened something else there, which must stay */
	fl = trc_fd_flags_ino(trc_call_pid(c), fd, ino);
	if (fl < 0)
		return fl;
	ret = ns__sock_pair(s, SOCK_STREAM, fl & O_NONBLOCK, &tend);
	nsv = s->sv;
	nino = s->ino;
	s->sv = sv;		/* the old pair stays until the new one is in */
	s->ino = ino;
	if (ret)
		return ret;
	s->stuffed = 0;
	ns__tcp_stuff(s, tend);		/* no POLLOUT before connected */
	ret = ns__sock_copy_timeouts(s, c, fd, tend);
	if (ret == -EBADF && !s->ns->fetch && s->tref < 0) {
		/* Held ends (no pidfd_getfd()) let a connection's go once
		 * connected: after connect(AF_UNSPEC) of one, its timeouts
		 * are not to be had (troubleshooting.md) */
		debug("socket %llu: new pair without the old one's timeouts",
		      (unsigned long long)s->ino);
		ret = 0;
	}
	if (ret || (ret = trc_call_setfd(c, tend, fd, fl & O_CLOEXEC, ino))) {
		debug("socket %llu: no new pair: %s", (unsigned long long)s->ino,
		      strerror(-ret));
		s->stuffed = 0;
		close(tend);
		close(nsv);
		return ret;
	}
	ns__sock_close_sv(s);
	leave(s, ino);
	ns__sock_rekey(s, nino);
	s->sv = nsv;
	if (s->ns->fetch) {
		/* as ns__sock_install(): sv sees the program's last close */
		close(tend);
		ns__sock_set_held(s, false);
		ns__sock_poll(s, UV_DISCONNECT);
	} else {
		s->tref = tend;
	}
	return 0;
}

/*
 * Leave the failed attempt's program end to the fds of the sandbox that
 * still name it (@old: its inode) once the caller's fd names a new one.
 * A dup() or a child's copy made before cannot be pointed at the new end:
 * they keep the failed attempt, a socket of their own that reports its
 * error to every connect() (held: the scan frees it with their last
 * close).  Without such fds the next scan frees it.
 */
static void leave_spent(struct sock *s, uint64_t old)
{
	struct sock *t = ns__sock_new(s->ns, s->family, SOCK_STREAM,
				      IPPROTO_TCP);

	if (t)
		t->uid = s->uid;

	if (!t) {
		/* calls on those fds find no socket of ours, and go to the
		 * kernel, which refuses them on an AF_UNIX socket */
		ns__sock_drop_tref(s);
		return;
	}
	t->state = SK_CLOSED;
	t->last_error = s->last_error;
	t->fail_told = true;
	t->spent = true;
	t->v6only = s->v6only;
	ip_addr_copy(t->lip, s->lip);
	t->lport = s->lport;
	t->tref = s->tref;	/* held where it cannot be fetched */
	s->tref = -1;
	ns__sock_register(t, old);
	ns__sock_set_held(t, true);
}

/*
 * renew() - a new attempt after a failed connect()
 * @s:		the failed socket (SK_CLOSED, its failure reported)
 * @c:		the connect() call
 * @fd:		the program's fd number
 *
 * The failure closed sv, which gave the program's end ECONNRESET and both
 * shutdowns ("Readiness that does not lie" in docs/architecture.md), and
 * an AF_UNIX socket cannot be connected again.  So the socket gets a new
 * pair at the same fd number (new_end()) and a new pcb with the socket's
 * options and bound address (rebind()).  The struct sock stays, with
 * everything the program set on it.  Other fds naming the old end:
 * leave_spent().
 *
 * Return: 0, the socket SK_NEW; or a negative errno, the socket unchanged
 * but when the new pcb could not be bound (SK_NEW then too)
 */
static int renew(struct sock *s, struct trc_call *c, int fd)
{
	int ret;

	if ((ret = new_end(s, c, fd, leave_spent)))
		return ret;
	calls("pid %d: fd %d: a new pair, for a new attempt after %s",
	      (int)trc_call_pid(c), fd, strerror(s->last_error));
	s->state = SK_NEW;
	s->last_error = 0;
	s->icmp_err = 0;
	s->fail_told = false;
	s->abort_on_close = false;
	s->rx_fin = s->rx_done = s->tx_eof = s->prog_shut_wr = false;
	if (!s->pcb.tcp && (ret = ns__tcp_open(s)))
		return ret;
	return rebind(s);
}

/**
 * ns__tcp_bound_addr() - the address a TCP socket was bound to
 * @s:		the socket
 * @out:	set to it
 *
 * Return: true when bound to one (not the wildcard)
 */
bool ns__tcp_bound_addr(const struct sock *s, ip_addr_t *out)
{
	if (s->type != SOCK_STREAM || !s->pcb.tcp ||
	    ip_addr_isany(&s->pcb.tcp->local_ip))
		return false;
	ip_addr_copy(*out, s->pcb.tcp->local_ip);
	return true;
}

/**
 * ns__tcp_connect() - connect() on a TCP socket
 * @s:		the socket
 * @c:		the call (parked when blocking)
 * @fd:		the program's fd
 * @ip:		destination
 * @port:	destination port
 *
 * Return: 0, -EINPROGRESS, NS_PARKED, or a negative errno
 */
int64_t ns__tcp_connect(struct sock *s, struct trc_call *c, int fd,
			const ip_addr_t *ip, uint16_t port)
{
	ip_addr_t src, hdst;
	err_t e;
	int nb, ret;

	/* A connection that ended (reset) is still "connected" to
	 * __inet_stream_connect(), whatever error is pending. */
	if (s->state == SK_CLOSED && !s->last_error)
		return -EISCONN;
	if (s->so_error) {	/* the result of the last attempt, once */
		ret = -s->so_error;
		s->so_error = 0;
		if (s->state == SK_CLOSED && s->last_error)
			fail_told_by_connect(s);
		else
			s->fail_told = false;
		return ret;
	}
	switch (s->state) {
	case SK_CONNECTING:
		return -EALREADY;
	case SK_CONNECTED:
	case SK_LISTEN:
		return -EISCONN;
	case SK_CLOSED:
		if (s->spent)		/* see renew() */
			return -s->last_error;
		if (!s->fail_told) {
			/* As Linux's __inet_stream_connect(): a failure that
			 * SO_ERROR took leaves the socket "connecting" until a
			 * connect() finds it closed, with no error to give. */
			fail_told_by_connect(s);
			return -ECONNABORTED;
		}
		if ((ret = renew(s, c, fd)))
			return ret;
		break;
	case SK_NEW:
		break;
	}
	if (ip_addr_isany(ip)) {
		/* Linux connects to the wildcard as to loopback. */
		static ip_addr_t lo4 = IPADDR4_INIT_BYTES(127, 0, 0, 1);
		static ip_addr_t lo6 = IPADDR6_INIT_HOST(0, 0, 0, 1);

		ip = IP_IS_V4(ip) ? &lo4 : &lo6;
	}
	/* bound to a broadcast address or a group: no source of its own
	 * (__inet_bind() leaves inet_saddr 0), so the route chooses one and
	 * the port stays, as tcp_v4_connect() does */
	if (s->pcb.tcp && ns__bound_nosrc(s, &s->pcb.tcp->local_ip))
		ip_addr_set_any(IP_IS_V6_VAL(s->pcb.tcp->local_ip), &s->pcb.tcp->local_ip);
	/* Out of the host uplink: the fast path (hostsock.c). */
	ret = ns__host_route(s, ip, port, &src, &hdst);
	if (ret < 0)
		return ret;
	if (ret > 0)
		return ns__host_connect(s, c, fd, ip, port, &src, &hdst);
	if (!s->pcb.tcp && (ret = ns__tcp_open(s)))
		return ret;
	/* the end is wanted again: SO_SNDTIMEO if this blocks, the send
	 * buffer raised once connected (inside this call on the loopback) */
	nb = ns__sock_nonblock(s, c, fd, 0, 0, true);
	if (nb < 0)
		return nb;
	/* ip_route_connect(): the rules see TCP, the ports (the local one
	 * 0 until tcp_connect() picks it, as Linux's first lookup) and the
	 * owner; later segments are routed by rrs_tcp_route() */
	net_own_set(s->ns->net, IPPROTO_TCP, s->pcb.tcp->local_port, port,
		    s->uid);
	ret = ns__route_connect_check(s->ns, &s->pcb.tcp->local_ip, ip);
	/* the SYN already goes with the values of the peer's family */
	s->pcb.tcp->ttl = (u8_t)ns__ttl(s, IP_IS_V4(ip));
	s->pcb.tcp->tos = (u8_t)ns__tos(s, IP_IS_V4(ip));
	e = ret ? ERR_OK : tcp_connect(s->pcb.tcp, ip, port, on_connected);
	net_own_clear(s->ns->net);
	if (ret)
		return ret;
	if (e == ERR_RTE)
		return ns__route_err(s->ns, ip);
	if (e != ERR_OK)
		return e == ERR_USE ? -EADDRNOTAVAIL : ns__err_lwip(e);
	if (!s->ns->icmp_tcp) {
		/* ICMP errors end a connection attempt (icmp.c); the watch
		 * stays once started, as it must not go away inside its own
		 * callback */
		s->ns->icmp_tcp = true;
		ns__icmp_use(s->ns);
	}
	s->state = SK_CONNECTING;
	save_names(s);
	if (nb)
		return -EINPROGRESS;
	return ns__park(s, c, W_CONNECT, fd);
}

/**
 * ns__tcp_icmp_err() - an ICMP error quotes a SYN of a connecting socket
 * (icmp.c): the attempt fails with its errno, as Linux's tcp_v4_err() and
 * tcp_v6_err() end a connection in SYN_SENT on any such error
 * @s:		the socket
 * @err:	the errno (EHOSTUNREACH for "administratively prohibited"
 *		in IPv4, EACCES in IPv6, ...)
 */
void ns__tcp_icmp_err(struct sock *s, int err)
{
	if (s->state != SK_CONNECTING || !s->pcb.tcp ||
	    s->pcb.tcp->state != SYN_SENT)
		return;
	debug("socket %llu: connect: ICMP error: %s", (unsigned long long)s->ino,
	      strerror(err));
	s->icmp_err = err;
	/* on_err() ends the attempt; no RST, as Linux's tcp_done() sends none */
	tcp_abandon(s->pcb.tcp, 0);
}

/* ---- bind and listen ---- */

/**
 * ns__tcp_bind() - bind() on a TCP socket
 * @s:		the socket
 * @ip:		local address (wildcard allowed)
 * @port:	local port, 0 for an ephemeral one
 *
 * Return: 0 or a negative errno
 */
int ns__tcp_bind(struct sock *s, const ip_addr_t *ip, uint16_t port)
{
	ip_addr_t a;
	bool bcast;
	err_t e;
	int ret;

	if (s->state != SK_NEW || (s->pcb.tcp && s->pcb.tcp->local_port))
		return -EINVAL;
	/* a broadcast address or a group too, as __inet_bind() takes them
	 * whatever the socket's type (a connect() then takes the route's
	 * source, below; a listener never sees a SYN to one) */
	if (!ns__addr_nosrc(s->ns, ip, &bcast) && !ns__bind_addr_ok(s, ip))
		return -EADDRNOTAVAIL;
	if (!s->pcb.tcp && (ret = ns__tcp_open(s)))
		return ret;
	ip_addr_copy(a, *ip);
	if (s->family == AF_INET6 && IP_IS_V6(ip) && ip_addr_isany(ip))
		a = s->v6only ? *IP6_ADDR_ANY : *IP_ANY_TYPE;
	ns__tcp_apply_opts(s);
	e = bind_pcb(s, &a, port);
	if (e == ERR_OK) {
		s->bcast_bound = bcast;
		save_names(s);
		ip_addr_copy(s->bind_ip, a);
		s->bind_port = port;
		s->addr_locked = !ip_addr_isany(ip);
	}
	if (e == ERR_OK && port)
		s->port_locked = true;
	return ns__err_lwip(e);
}

static int deliver(struct sock *l, struct trc_call *c);

/*
 * Local shortcut.  When both ends of a connection are sockets of this
 * sandbox (a client on the loopback reached one of our listeners), the
 * stack has nothing to add: the server is given the supervisor's end of
 * the client's pair, so the two programs talk over one AF_UNIX pair at
 * the kernel's speed, and both lwIP pcbs are dropped silently.  Their
 * names stay in the sockets for getsockname()/getpeername().  The
 * supervisor then holds neither end, so both sockets are "held": a
 * liveness scan finds their close.  --no-shortcut keeps such connections
 * in lwIP (for captures on lo, for instance).
 */
static struct sock *shortcut_peer(struct ns *ns, struct tcp_pcb *np)
{
	struct sock *c;

	if (!ns->shortcut || !ns->fetch)
		return NULL;	/* a direct pair's sends need its end fetched */
	if (!ip_addr_isloopback(&np->local_ip))
		return NULL;	/* connect_done() shortcuts loopback peers only */
	for (c = ns->all; c; c = c->next)
		if (c->shortcut_wait && c->pcb.tcp && c->sv >= 0 &&
		    c->lport == np->remote_port && c->rport == np->local_port &&
		    ip_addr_cmp(&c->lip, &np->remote_ip) &&
		    ip_addr_cmp(&c->rip, &np->local_ip))
			return c;
	return NULL;
}

/* Forget a shortcut connection's pcb without a packet: no RST, no FIN. */
static void drop_pcb(struct sock *s)
{
	struct tcp_pcb *p = s->pcb.tcp;

	s->pcb.tcp = NULL;
	if (!p)
		return;
	tcp_arg(p, NULL);
	tcp_recv(p, NULL);
	tcp_sent(p, NULL);
	tcp_err(p, NULL);
	tcp_abandon(p, 0);
}

static void direct_err(void *arg, err_t err)
{
	struct sock *s = arg;

	if (s)
		s->pcb.tcp = NULL;	/* lwIP freed it */
}

static err_t direct_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	if (p) {	/* nothing should come: the peer pcb is gone */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
	}
	return ERR_OK;
}

/* @c's supervisor end becomes @s's program end; @s is the accepted one. */
static void shortcut(struct sock *c, struct sock *s)
{
	struct stat st;

	save_names(s);
	s->state = SK_CONNECTED;
	s->direct = true;
	s->tref = c->sv;	/* installed by accept(), as a pair end would be */
	/* Its open file is the program's now: blocking, as a new socket,
	 * and out-of-band bytes apart, as TCP's urgent byte (sock.c) */
	fcntl(s->tref, F_SETFL, O_RDWR);
	setsockopt(s->tref, SOL_SOCKET, SO_OOBINLINE, &(int){ 0 }, sizeof(int));
	if (!fstat(s->tref, &st))
		ns__sock_register(s, st.st_ino);
	ns__sock_forget_sv(c);
	c->shortcut_wait = false;
	c->direct = true;
	/* what lwIP agreed, still told after the pcbs went (iperf3 sizes
	 * its UDP datagrams from the control connection's TCP_MAXSEG) */
	c->direct_mss = c->pcb.tcp ? c->pcb.tcp->mss : 0;
	s->direct_mss = s->pcb.tcp ? s->pcb.tcp->mss : 0;
	drop_pcb(c);
	/* The accepted pcb stays, idle, until accept(): lwIP counts it
	 * against the listen backlog as Linux counts the queued connection.
	 * Its peer pcb is gone: should lwIP reset it meanwhile, forget it. */
	tcp_arg(s->pcb.tcp, s);
	tcp_recv(s->pcb.tcp, direct_recv);
	tcp_sent(s->pcb.tcp, NULL);
	tcp_err(s->pcb.tcp, direct_err);
	tcp_backlog_delayed(s->pcb.tcp);
	ns__sock_set_held(c, true);
	debug("socket %llu <-> %llu: local shortcut", (unsigned long long)c->ino,
	      (unsigned long long)s->ino);
}

/*
 * A listener is readable through bytes in its program end, one for each
 * queued connection, so that each new one wakes an edge-triggered epoll
 * as on Linux.  A unix stream socket's send buffer takes only ~277 sends
 * (each a buffer of its own): the bytes past that are owed, and sent, in
 * one go, as accept()s make room.  Else the connections queued meanwhile
 * waited unseen once the program had taken the rest (node: 278 of 300
 * accepted, the others never).
 */
static void ready_more(struct sock *l, unsigned int n)
{
	static const char zeros[256];
	ssize_t k;

	l->acc_owed += n;
	while (l->acc_owed &&
	       (k = send(l->sv, zeros, l->acc_owed < sizeof(zeros) ? l->acc_owed :
			 sizeof(zeros), MSG_DONTWAIT | MSG_NOSIGNAL)) > 0) {
		l->acc_owed -= (unsigned int)k;
		l->acc_ready += (unsigned int)k;
	}
}

/* Queue an accepted connection on its listener and wake accept(). */
static void queue_conn(struct sock *l, struct sock *s)
{
	struct waiter *w;

	if (l->acc_tail)
		l->acc_tail->acc_next = s;
	else
		l->acc_head = s;
	l->acc_tail = s;
	while (l->acc_head && (w = ns__waiter_pop(l, W_ACCEPT))) {
		deliver(l, w->call);
		ns__waiter_free(w);
	}
	/* Still queued: make the listener readable, one byte a connection. */
	if (l->acc_tail == s)
		ready_more(l, 1);
}

/*
 * SO_REUSEPORT.  Listeners that all set it may listen on the same address
 * and port (reuseport_join()): each has an lwIP listen pcb of its own, and
 * lwIP takes every SYN for the port on one of them; on_accept() then
 * gives the connection to one member of the group, picked by a hash of
 * the peer's address and port as Linux's reuseport_select_sock() does, so
 * the workers of an nginx `reuseport` or a uvicorn `--reuse-port` server
 * share the connections.  The pcb that took the SYN counts it against its
 * backlog (Linux: each member's own).
 */
static bool same_listen(const struct tcp_pcb_listen *a, const struct tcp_pcb *b)
{
	return a->local_port == b->local_port && ip_addr_cmp(&a->local_ip, &b->local_ip);
}

/* Whether @s's pcb may listen beside the listeners of its address and
 * port: there are some, and all of them set SO_REUSEPORT, as @s did. */
static bool reuseport_join(const struct sock *s)
{
	struct tcp_pcb_listen *lp;
	bool any = false;

	if (!s->reuseport)
		return false;
	for (lp = tcp_listen_pcbs.listen_pcbs; lp; lp = lp->next) {
		const struct sock *m = lp->callback_arg;

		if (!same_listen(lp, s->pcb.tcp))
			continue;
		if (!m || !m->reuseport)
			return false;
		any = true;
	}
	return any;
}


/* The member of @l's SO_REUSEPORT group that a connection from @rip, @rport
 * goes to, among those the program has not closed (a held listener's
 * close is not seen until a scan: each is asked, as for a lone listener
 * in ns__tcp_refuse_closed()); NULL when none is open */
static struct sock *reuseport_pick(struct sock *l, const ip_addr_t *rip,
				   u16_t rport)
{
	struct sock *m[REUSEPORT_MAX];
	struct tcp_pcb_listen *lp;
	unsigned int n = 0;

	for (lp = tcp_listen_pcbs.listen_pcbs; lp && n < REUSEPORT_MAX; lp = lp->next) {
		struct sock *s = lp->callback_arg;

		if (s && same_listen(lp, l->pcb.tcp) && (s->tref < 0 || ns__alive(s)))
			m[n++] = s;
	}
	if (n < 2)
		return n ? m[0] : NULL;
	return m[ns__flow_hash(rip, rport) % n];
}

static err_t on_accept(void *arg, struct tcp_pcb *np, err_t err)
{
	struct sock *l = arg, *s, *peer, *client;
	err_t ret = ERR_OK;
	int tend;

	if (!l || err != ERR_OK || !np)
		return ERR_VAL;
	if (l->reuseport && (s = reuseport_pick(l, &np->remote_ip, np->remote_port)))
		l = s;
	/* A client of this sandbox is connected first, as that makes a
	 * shortcut's peer, and its connect() answered last, once the
	 * listener is readable: a poll() of it right after finds it. */
	if ((client = local_client(l->ns, np)))
		connect_up(client);
	/* connect_up() made it the shortcut's peer, if it is to be one; the
	 * scan is for a client told by on_local_wait() */
	peer = client ? (client->shortcut_wait ? client : NULL)
		      : shortcut_peer(l->ns, np);
	/* A shortcut's close is an AF_UNIX close: the peer reads EOF (or
	 * ECONNRESET, only for data left unread), never the reset Linux's
	 * tcp_close() sends for SO_LINGER {1, 0}, which the accepted socket
	 * inherits (sk_clone_lock()).  So a listener that lingers 0 keeps
	 * its connections in lwIP, and the client sends what it held back;
	 * so does one with a pacing rate, which a pair cannot keep. */
	if (peer && (lingers_zero(l) || paced(l))) {
		peer->shortcut_wait = false;
		ns__sock_poll(peer, UV_READABLE | UV_DISCONNECT);
		peer = NULL;
	}
	s = ns__sock_new(l->ns, l->family, SOCK_STREAM, IPPROTO_TCP);
	if (!s) {
		ret = ERR_MEM;
		goto out;
	}
	s->uid = l->uid;	/* sk_clone_lock() */
	if (peer) {
		tend = -1;
	} else if (ns__sock_pair(s, SOCK_STREAM, false, &tend)) {
		ns__sock_free(s);
		ret = ERR_MEM;
		goto out;
	}
	s->tref = tend;
	s->pcb.tcp = np;
	ns__md5_accepted(s);
	s->listener = l;
	/* As Linux's sk_clone_lock(): SO_REUSEADDR and SO_REUSEPORT come from
	 * the listener, so a new listener may bind the port while this
	 * connection lingers (BIRD listens again after a session drops). */
	s->reuseaddr = l->reuseaddr;
	s->reuseport = l->reuseport;
	s->nodelay = l->nodelay;
	s->keepalive = l->keepalive;
	s->keepidle = l->keepidle;
	s->keepintvl = l->keepintvl;
	s->keepcnt = l->keepcnt;
	s->user_timeout = l->user_timeout;
	s->ttl = l->ttl;
	s->tos = l->tos;
	s->ip_ttl = l->ip_ttl;
	s->ip_tos = l->ip_tos;
	s->minttl = l->minttl;
	s->minhops = l->minhops;
	s->bound_ifindex = l->bound_ifindex;
	s->port_locked = l->port_locked;	/* sk_userlocks, inherited */
	s->sndbuf = l->sndbuf;
	s->rcvbuf = l->rcvbuf;
	s->sndbuf_set = l->sndbuf_set;
	s->rcvbuf_set = l->rcvbuf_set;
	s->buf_lock = l->buf_lock;
	s->linger = l->linger;
	s->rcvlowat = l->rcvlowat;
	s->freebind = l->freebind;
	s->frag_size = l->frag_size;
	s->max_pacing_rate = l->max_pacing_rate;
	memcpy(s->cc, l->cc, sizeof(s->cc));
	if (peer) {
		shortcut(peer, s);
	} else {
		ns__sock_register(s, s->ino);
		ns__tcp_apply_opts(s);
		tcp_backlog_delayed(np);
		start_data(s);
	}
	queue_conn(l, s);
	/* Handed to a parked accept(), a shortcut connection dropped np:
	 * lwIP must not touch it again (its accept-callback contract). */
	if (peer && !s->pcb.tcp)
		ret = ERR_ABRT;
out:
	if (client)
		connect_tell(client);
	return ret;
}

/**
 * ns__tcp_owner() - the socket whose segments a pcb sends
 * @pcb:	any TCP pcb of the stack
 *
 * A pcb carries its socket, or NULL once the socket let go of it
 * (ns__tcp_close(); a listener's handshakes too: forget_handshakes()).  A
 * connection in SYN_RCVD carries a copy of its listener's: its owner, as
 * Linux's request sockets are their listener's, when the listener is ours
 * (on_accept() takes its connections) and still there; a forwarded
 * connection's handshake carries tcpfwd.c's pending connection instead,
 * no socket.
 *
 * Return: the socket, or NULL for none
 */
const struct sock *ns__tcp_owner(const struct tcp_pcb *pcb)
{
	if (pcb->state == SYN_RCVD &&
	    (!pcb->listener || pcb->listener->accept != on_accept))
		return NULL;
	return pcb->callback_arg;
}

/**
 * ns__tcp_fwd_new() - a relay for a forwarded connection (tcpfwd.c): the
 * pump of an emulated socket between lwIP's pcb and a host socket
 * @ns:		the stack
 * @np:		the connection lwIP accepted for it, in its accept callback
 * @hfd:	the connected host TCP socket, non-blocking; owned now
 * @dev:	the uplink device it leaves through (ifindex)
 *
 * Neither side delays small segments (Nagle): each end did so already.
 *
 * Return: the socket, or NULL when out of memory (@hfd is left open)
 */
struct sock *ns__tcp_fwd_new(struct ns *ns, struct tcp_pcb *np, int hfd,
			     uint32_t dev)
{
	struct sock *s;

	s = ns__sock_new(ns, IP_IS_V6(&np->local_ip) ? AF_INET6 : AF_INET,
			 SOCK_STREAM, IPPROTO_TCP);
	if (!s)
		return NULL;
	s->fwd = true;
	s->fwd_dev = dev;
	s->sv = hfd;
	s->pcb.tcp = np;
	s->nodelay = true;
	tcp_nagle_disable(np);
	start_data(s);
	return s;
}

/**
 * ns__tcp_queue_host() - queue a connection a published port accepted on
 * the host (publish.c) for a listener of the sandbox: accept() gives the
 * program the host socket itself, as the fast path does (hostsock.c)
 * @l:		the listener
 * @h:		the accepted host socket, blocking; owned by the queue now
 * @lip:	the local address the program sees (the uplink's) and port
 * @lport:	its port
 * @rip:	the peer as the uplink presents it, and its port
 * @rport:	its port
 *
 * Return: 0, or a negative errno (then @h is closed)
 */
int ns__tcp_queue_host(struct sock *l, int h, const ip_addr_t *lip,
		       uint16_t lport, const ip_addr_t *rip, uint16_t rport)
{
	struct stat st;
	struct sock *s;

	if (fstat(h, &st) ||
	    !(s = ns__sock_new(l->ns, l->family, SOCK_STREAM, IPPROTO_TCP))) {
		close(h);
		return -ENOMEM;
	}
	s->uid = l->uid;
	s->host = true;
	s->state = SK_CONNECTED;
	s->tref = h;
	s->listener = l;
	s->v6only = l->v6only;
	ip_addr_copy(s->lip, *lip);
	s->lport = lport;
	ip_addr_copy(s->rip, *rip);
	s->rport = rport;
	ns__sock_register(s, st.st_ino);
	queue_conn(l, s);
	return 0;
}

/**
 * ns__tcp_listen() - listen() on a TCP socket
 * @s:		the socket
 * @backlog:	as passed by the program
 *
 * Return: 0 or a negative errno
 */
int ns__tcp_listen(struct sock *s, int backlog)
{
	struct tcp_pcb *lp;
	u16_t bl;
	err_t e;
	int ret;

	/* As Linux: a backlog past net.core.somaxconn (4096), a negative one
	 * too, is cut to it, and the queue is full only past backlog + 1
	 * connections (sk_acceptq_is_full()); lwIP refuses a SYN once its
	 * backlog is reached, and patch 0006 lets that exceed 255.  diag.c
	 * reports the program's figure. */
	bl = (u16_t)(((unsigned int)backlog > 4096 ? 4096 : (unsigned int)backlog) + 1);
	if (s->state == SK_LISTEN) {
		tcp_backlog_set(s->pcb.tcp, bl);
		return 0;
	}
	if (s->state != SK_NEW)
		return -EINVAL;
	if (!s->pcb.tcp || !s->pcb.tcp->local_port) {
		ip_addr_t any;

		if (s->family == AF_INET)
			ip_addr_set_any(0, &any);
		else
			ip_addr_set_any(1, &any);
		if ((ret = ns__tcp_bind(s, &any, 0)))
			return ret;
	}
	/* tcp_listen() copies the pcb's ext args to the listener, then frees
	 * the pcb, which releases them: the TCP MD5 keys move over by hand. */
	ns__md5_detach(s->pcb.tcp);
	/* lwIP refuses a second listener of one address and port when the
	 * new pcb has SOF_REUSEADDR: not when it joins a SO_REUSEPORT group */
	if (reuseport_join(s))
		ip_reset_option(s->pcb.tcp, SOF_REUSEADDR);
	lp = tcp_listen_with_backlog_and_err(s->pcb.tcp, bl, &e);
	if (!lp && e == ERR_USE) {
		ns__scan_sparing(s->ns, s);	/* the other listener may be a closed one */
		lp = tcp_listen_with_backlog_and_err(s->pcb.tcp, bl, &e);
	}
	if (!lp) {
		ns__md5_attach(s);
		return ns__err_lwip(e);
	}
	s->pcb.tcp = lp;
	ns__tcp_apply_opts(s);	/* SOF_REUSEADDR back, if reuseport_join() took it */
	ns__md5_attach(s);
	s->state = SK_LISTEN;
	tcp_arg(lp, s);
	tcp_accept(lp, on_accept);
	save_names(s);
	return 0;
}

/* Take one readiness byte off the listener's program end. */
static void unready(struct sock *l, pid_t pid, int fd)
{
	int t = ns__tref_get(l, pid, fd);
	char b;

	if (t < 0)
		return;
	if (recv(t, &b, 1, MSG_DONTWAIT) != 1)
		debug("listener %llu: no readiness byte", (unsigned long long)l->ino);
	ns__tref_put(l, t);
}

/* Hand the first queued connection to an accept call. */
static int deliver(struct sock *l, struct trc_call *c)
{
	struct sock *s = l->acc_head;
	int flags = trc_call_nr(c) == SYS_accept4 ? (int)trc_call_arg(c, 3) : 0;
	int lfd = (int)trc_call_arg(c, 0);
	pid_t pid = trc_call_pid(c);
	bool byte = l->acc_ready > 0, owed = !byte && l->acc_owed;
	int fd, ret;

	ret = ns__addr_put(c, l, &s->rip, s->rport, trc_call_arg(c, 1),
			   trc_call_arg(c, 2));
	if (ret) {
		trc_call_reply(c, ret);
		return ret;
	}
	if (flags & SOCK_NONBLOCK)
		fcntl(s->tref, F_SETFL, O_NONBLOCK | O_RDWR);
	if (byte) {
		unready(l, pid, lfd);
		l->acc_ready--;
	} else if (owed) {
		l->acc_owed--;
	}
	fd = trc_call_addfd(c, s->tref, flags & SOCK_CLOEXEC);
	calls("pid %d: accept(%d) = %d", (int)pid, lfd, fd);
	if (fd < 0) {
		/* It stays queued for the next accept. */
		if (flags & SOCK_NONBLOCK)
			fcntl(s->tref, F_SETFL, O_RDWR);
		ready_more(l, byte || owed);
		return fd;
	}
	ready_more(l, 0);	/* room for the owed ones, if any */
	l->acc_head = s->acc_next;
	if (!l->acc_head)
		l->acc_tail = NULL;
	s->acc_next = NULL;
	s->listener = NULL;
	s->hint_pid = pid;
	s->hint_fd = fd;
	if (s->pcb.tcp)
		tcp_backlog_accepted(s->pcb.tcp);
	if (s->direct)
		drop_pcb(s);	/* counted against the backlog until now */
	/* A host socket stays held where it cannot be fetched (hostsock.c). */
	if (!s->host || s->ns->fetch)
		ns__sock_drop_tref(s);
	if (s->tx_eof || s->state == SK_CLOSED || s->direct || s->host)
		ns__sock_set_held(s, true);
	return fd;
}

/**
 * ns__tcp_accept() - accept() and accept4() on a TCP socket
 * @s:		the listener
 * @c:		the call
 * @fd:		the program's fd
 * @addr:	program's sockaddr buffer or 0
 * @lenp:	program's socklen_t pointer
 * @flags:	accept4() flags
 *
 * Return: NS_DONE when an fd was installed, NS_PARKED, or a negative errno
 */
int64_t ns__tcp_accept(struct sock *s, struct trc_call *c, int fd,
		       uint64_t addr, uint64_t lenp, int flags)
{
	int32_t len;
	int nb;

	if (s->state != SK_LISTEN)
		return -EINVAL;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (!s->acc_head) {	/* as Linux: wait first, copy later */
		nb = ns__sock_nonblock(s, c, fd, 0, 0, false);
		if (nb < 0)
			return nb;
		if (nb)
			return -EAGAIN;
		return ns__park(s, c, W_ACCEPT, fd);
	}
	if (addr) {
		if (trc_mem_read(c, lenp, &len, sizeof(len)))
			return -EFAULT;
		if (len < 0)
			return -EINVAL;
	}
	deliver(s, c);
	return NS_DONE;
}

/**
 * ns__tcp_names() - local or peer address of a TCP socket
 * @s:		the socket
 * @peer:	the peer's, not the local one
 * @ip:		set to the address
 * @port:	set to the port
 */
void ns__tcp_names(struct sock *s, bool peer, ip_addr_t *ip, uint16_t *port)
{
	save_names(s);
	if (peer) {
		ip_addr_copy(*ip, s->rip);
		*port = s->rport;
	} else {
		ip_addr_copy(*ip, s->lip);
		*port = s->lport;
	}
}

/* Reset the connections waiting for accept(), as Linux's
 * inet_csk_listen_stop() does when a listener closes or is shut down. */
static void reset_queue(struct sock *l)
{
	while (l->acc_head) {
		struct sock *c = l->acc_head;

		l->acc_head = c->acc_next;
		c->listener = NULL;
		c->abort_on_close = true;
		ns__sock_free(c);
	}
	l->acc_tail = NULL;
}

/*
 * The handshakes of a listener that lets go of its pcb hold a copy of its
 * callback_arg (lwIP's tcp_listen_closed() clears only their
 * pcb->listener): cleared here, lest the socket's last close leave them a
 * freed one to read, where a SYN-ACK sent again or the reset of a
 * handshake completed after it (tcp_process() aborts those) asks the
 * route for its owner (ns__tcp_owner()).
 */
static void forget_handshakes(const struct sock *s)
{
	struct tcp_pcb *q;

	for (q = tcp_active_pcbs; q; q = q->next)
		if (q->callback_arg == s)
			tcp_arg(q, NULL);
}

/**
 * ns__tcp_close() - detach the socket from lwIP for good
 * @s:		the socket
 *
 * Connections the program never accepted are reset, as Linux resets them
 * when a listener closes; a connection closed with unread data, or with
 * SO_LINGER on and a time of 0, is reset.
 */
void ns__tcp_close(struct sock *s)
{
	struct tcp_pcb *p;

	/* Data due this turn is written as it would have been on arrival:
	 * a program that closed its end refuses it (EPIPE), and the close
	 * is then graceful, as before the write waited for the turn's end. */
	if (s->rx_due_pprev)
		rx_flush(s);
	p = s->pcb.tcp;
	pace_forget(s);
	reset_queue(s);
	s->pcb.tcp = NULL;
	if (p) {
		tcp_arg(p, NULL);
		if (p->state == LISTEN) {
			tcp_accept(p, NULL);
			tcp_close(p);
			forget_handshakes(s);
		} else {
			tcp_recv(p, NULL);
			tcp_sent(p, NULL);
			tcp_err(p, NULL);
			if (s->rxq || s->abort_on_close || lingers_zero(s) ||
			    tcp_close(p) != ERR_OK) {
				debug("socket %llu: reset (%s)", (unsigned long long)s->ino,
				      s->rxq ? "unread data" : lingers_zero(s) ?
				      "SO_LINGER 0" : "closed with data unread");
				/* What the program wrote before its close
				 * left with its send() on Linux: it goes
				 * out first, as far as the window lets,
				 * and the reset is sequenced after it. */
				if (p->state == ESTABLISHED || p->state == CLOSE_WAIT)
					tcp_output(p);
				tcp_abort(p);
			}
		}
	}
	rxq_free(s);
}

/* ---- shutdown ---- */

/*
 * The name a listener keeps when shut down, as Linux's tcp_disconnect()
 * leaves it (rebind()): a port bind() named stays the socket's, one chosen
 * for it is let go and listen() picks another; an address bind() named
 * stays either way.
 */
static void keep_name(struct sock *s)
{
	struct tcp_pcb *p = s->pcb.tcp;
	int ret = rebind(s);

	if (ret == -EADDRINUSE && s->port_locked) {
		/*
		 * Connections the listener accepted still use the port, and
		 * not both with SO_REUSEADDR.  Linux keeps the socket bound
		 * all the same (its bind bucket), but refuses a listen()
		 * again with EADDRINUSE while they live; here the pcb is
		 * registered as tcp_bind() would, so the port stays the
		 * socket's, and that listen() succeeds (troubleshooting.md).
		 * Nothing else took the port since the listener's pcb let go
		 * of it, earlier on this turn of the loop.
		 */
		if (!ip_addr_isany(&s->bind_ip))
			ip_addr_copy(p->local_ip, s->bind_ip);
		p->local_port = s->bind_port;
		TCP_REG(&tcp_bound_pcbs, p);
		ret = 0;
	}
	if (ret)
		debug("listener %llu: shut down, name not kept: %s",
		      (unsigned long long)s->ino, strerror(-ret));
}

/*
 * shutdown(SHUT_RD or SHUT_RDWR) of a listener is Linux's tcp_disconnect(),
 * which calls inet_csk_listen_stop(): blocked accept()s fail with EINVAL
 * (and later ones), the connections waiting to be accepted are reset, new
 * ones are refused, and the socket is a closed one that listen() (or
 * connect()) may use again.  Its program end says POLLHUP, as Linux's
 * socket does, so multi-threaded servers see their listener go: that
 * takes both of sv's shutdowns, which cannot be undone, and listen() or
 * connect() gives the program a new pair (ns__tcp_unshut()).
 */
static void listen_stop(struct sock *s, struct trc_call *c, int fd)
{
	struct tcp_pcb *lp = s->pcb.tcp;
	int t;

	save_names(s);
	ns__waiters_fail(s, -EINVAL);
	reset_queue(s);
	/* Their readiness bytes would read as data after the shutdown. */
	t = ns__tref_get(s, trc_call_pid(c), fd);
	if (t >= 0 && s->acc_ready)
		recv(t, s->ns->iobuf, s->acc_ready < NS_IOBUF ? s->acc_ready :
		     NS_IOBUF, MSG_DONTWAIT);
	ns__tref_put(s, t);
	s->acc_ready = 0;
	s->acc_owed = 0;
	/* Linux's closed socket says POLLOUT too: drop the filling. */
	while (s->stuffed > 0 &&
	       recv(s->sv, s->ns->iobuf, (size_t)s->stuffed, MSG_DONTWAIT) > 0)
		;
	s->stuffed = 0;
	shutdown(s->sv, SHUT_RDWR);
	s->pair_shut = true;
	/* POLLHUP on sv cannot tell the program's close any more. */
	ns__sock_poll(s, 0);
	ns__sock_set_held(s, true);

	s->pcb.tcp = NULL;
	s->state = SK_NEW;
	if (lp) {
		tcp_arg(lp, NULL);
		tcp_accept(lp, NULL);
		tcp_close(lp);	/* SYN_RCVD ones are reset when they complete */
		forget_handshakes(s);
	}
	if (!ns__tcp_open(s))
		keep_name(s);
	save_names(s);
	debug("listener %llu: shut down", (unsigned long long)s->ino);
}

/* what a shut listener's socket keeps of its old end: nothing */
static void drop_old_end(struct sock *s, uint64_t old)
{
	(void)old;
	ns__sock_drop_tref(s);
}

/**
 * ns__tcp_unshut() - give a socket whose listener was shut down a new pair
 * before listen() or connect() uses it again
 * @s:		the socket
 * @c:		that call; still pending afterwards
 * @fd:		the program's fd number, which names the new end from now on
 *
 * Other fds naming the old end (a dup(), a child's) keep it, shut.
 *
 * Return: 0 (also when nothing was to do), or a negative errno
 */
int ns__tcp_unshut(struct sock *s, struct trc_call *c, int fd)
{
	int ret;

	if (!s->pair_shut)
		return 0;
	if ((ret = new_end(s, c, fd, drop_old_end)))
		return ret;
	s->pair_shut = false;
	calls("pid %d: fd %d: a new pair, the old one was shut down",
	      (int)trc_call_pid(c), fd);
	return 0;
}

/*
 * shutdown() of a connecting socket, whatever @how: Linux's tcp_disconnect()
 * ends the attempt without a packet; a blocked connect() and SO_ERROR say
 * ECONNRESET.  Here the attempt ends as a failed one does (on_err()), its
 * pair spent: a later connect() makes a new one (renew()).
 */
static void connect_stop(struct sock *s)
{
	if (!s->pcb.tcp)
		return;
	s->icmp_err = ECONNRESET;
	tcp_abandon(s->pcb.tcp, 0);	/* calls on_err() */
}

/**
 * ns__tcp_shutdown() - shutdown() of a TCP socket, as Linux's inet_shutdown()
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd number
 * @how:	SHUT_RD, SHUT_WR or SHUT_RDWR, checked
 *
 * Return: 0, -ENOTCONN, or NS_CONTINUE for a connection: the kernel shuts
 * the program's end, and sv sees EOF or EPIPE
 */
int64_t ns__tcp_shutdown(struct sock *s, struct trc_call *c, int fd, int how)
{
	switch (s->state) {
	case SK_LISTEN:
		/* SHUT_WR alone leaves a listener as it is, as Linux does */
		if (how != SHUT_WR)
			listen_stop(s, c, fd);
		return 0;
	case SK_CONNECTING:
		connect_stop(s);
		return 0;
	case SK_NEW:
		return -ENOTCONN;
	case SK_CLOSED:
		/* a failed attempt or a reset connection: TCP_CLOSE */
		return -ENOTCONN;
	case SK_CONNECTED:
		break;
	}
	/* Noted, so that EOF on sv without it means the program closed. */
	if (how != SHUT_RD)
		s->prog_shut_wr = true;
	return NS_CONTINUE;
}

/*
 * A connection ends at once, as Linux's tcp_disconnect() ends one: a reset
 * to the peer, what came unread and what lwIP held dropped, and the
 * program's end reads ECONNRESET (on_err()).  A local shortcut has no pcb:
 * the program's end is shut both ways, so its peer reads EOF and its
 * writes fail with EPIPE (an AF_UNIX pair cannot say ECONNRESET before
 * its end is closed).
 */
static void conn_stop(struct sock *s, struct trc_call *c, int fd)
{
	struct tcp_pcb *p = s->pcb.tcp;
	int t;

	/* tcp_disconnect() purges what came and was not read */
	t = ns__tref_get(s, trc_call_pid(c), fd);
	if (t >= 0) {
		while (recv(t, s->ns->iobuf, NS_IOBUF, MSG_DONTWAIT) > 0)
			;
		if (s->direct)
			shutdown(t, SHUT_RDWR);
		ns__tref_put(s, t);
	}
	if (s->direct) {
		save_names(s);
		s->direct = false;
		s->state = SK_CLOSED;
		return;
	}
	if (p) {
		tcp_arg(p, NULL);
		tcp_recv(p, NULL);
		tcp_sent(p, NULL);
		tcp_err(p, NULL);
		tcp_abort(p);	/* the RST; frees p */
		s->pcb.tcp = NULL;
	}
	on_err(s, ERR_RST);
}

/**
 * ns__tcp_disconnect() - connect() to an AF_UNSPEC address: Linux's
 *			  tcp_disconnect()
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd number
 *
 * A listener stops listening, as shutdown(SHUT_RD) stops it (HAProxy
 * pauses its listeners so, and listen() resumes them); an attempt ends
 * without a packet; a connection is reset.  The socket is then closed and
 * unconnected: the next connect() is a new attempt (renew(), or
 * ns__tcp_unshut() for a listener's pair), listen() listens again, and
 * the names follow rebind()'s rule.  Linux leaves ECONNRESET in sk_err,
 * which SO_ERROR, a read or the next connect()'s failure reports; here
 * only the program's end of a reset connection keeps it, for a read or
 * SO_ERROR (ns__tcp_so_error()), and nothing is pending otherwise.
 *
 * Return: 0, as Linux's
 */
int ns__tcp_disconnect(struct sock *s, struct trc_call *c, int fd)
{
	switch (s->state) {
	case SK_NEW:
		return 0;
	case SK_LISTEN:
		listen_stop(s, c, fd);
		return 0;
	case SK_CONNECTING:
		connect_stop(s);
		break;
	case SK_CONNECTED:
		conn_stop(s, c, fd);
		break;
	case SK_CLOSED:
		if (s->spent)	/* another fd's failed attempt: leave_spent() */
			return 0;
		break;
	}
	s->so_error = 0;
	if (!s->last_error)
		s->last_error = ECONNRESET;	/* what renew() says it follows */
	fail_told_by_connect(s);
	return 0;
}

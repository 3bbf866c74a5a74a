/* SPDX-License-Identifier: MIT */
/*
 * stack.c - the sandbox's lwIP instance on the libuv loop.
 *
 * Creates lwIP (NO_SYS=1) with the loopback device, drives lwIP's timers
 * from one libuv timer re-armed after every turn of the loop (so an idle
 * sandbox wakes only for protocol timers: TCP's 250 ms tick exists only
 * while TCP pcbs do; ARP, ND and reassembly tick once a second, together),
 * and IGMP's and MLD's 100 ms ticks from a second timer that runs only
 * while some group has a report due (patches/lwip/0013), and runs the liveness scan that finds sockets whose
 * program end the supervisor must hold (see sock.c) and the program has
 * dropped.  Called by cli/; calls lwIP, vdev/ and tracer/'s /proc helpers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lwip/igmp.h"
#include "lwip/init.h"
#include "lwip/mld6.h"
#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"

#include "internal.h"
#include "rrs_lwip_hooks.h"
#include "log.h"
#include "netint.h"
#include "vdev.h"

#define SCAN_INTERVAL_MS 10000
#define SCAN_SOON_MS	 1000

static void reschedule(struct ns *ns);

static void on_lwip_timer(uv_timer_t *h)
{
	struct ns *ns = h->data;

	sys_check_timeouts();
	reschedule(ns);
}

/* Whether an IGMP or MLD report is due on some device: a group's timer
 * runs after a join, for a leave, or to answer a query. */
static bool mcast_report_due(void)
{
	struct netif *n;

	NETIF_FOREACH(n) {
		struct igmp_group *g;
		struct mld_group *m;

		for (g = netif_igmp_data(n); g; g = g->next)
			if (g->timer > 0)
				return true;
		for (m = netif_mld6_data(n); m; m = m->next)
			if (m->timer > 0)
				return true;
	}
	return false;
}

static void on_mcast_timer(uv_timer_t *h)
{
	igmp_tmr();
	mld6_tmr();
	reschedule(h->data);
}

static void on_scan_timer(uv_timer_t *h)
{
	ns__scan(h->data);
}

static void reschedule(struct ns *ns)
{
	u32_t ms = sys_timeouts_sleeptime();

	if (ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		uv_timer_stop(&ns->lwip_timer);
	else if (!uv_is_active((uv_handle_t *)&ns->lwip_timer) ||
		 uv_timer_get_due_in(&ns->lwip_timer) != ms)
		/* Not when it is due then already: this runs every turn,
		 * once per trapped call, and a restart is a heap removal
		 * and insertion. */
		uv_timer_start(&ns->lwip_timer, on_lwip_timer, ms, 0);
	if (!mcast_report_due())
		uv_timer_stop(&ns->mcast_timer);
	else if (!uv_is_active((uv_handle_t *)&ns->mcast_timer))
		uv_timer_start(&ns->mcast_timer, on_mcast_timer, IGMP_TMR_INTERVAL,
			       IGMP_TMR_INTERVAL);
	if (ns->held && !uv_is_active((uv_handle_t *)&ns->scan_timer))
		uv_timer_start(&ns->scan_timer, on_scan_timer, SCAN_INTERVAL_MS,
			       SCAN_INTERVAL_MS);
	else if (!ns->held)
		uv_timer_stop(&ns->scan_timer);
}

/* After every poll phase: the TCP data that arrived in it goes to the
 * programs (tcp.c), and whatever the loop's callbacks did to lwIP, its
 * next timeout is re-armed here, once a turn. */
static void on_check(uv_check_t *h)
{
	ns__tcp_rx_due_flush(h->data);
	reschedule(h->data);
}

/* Before the loop waits: TCP data that arrived in a timer or an idle
 * handle (the loopback's queue) must not wait for the next event. */
static void on_prepare(uv_prepare_t *h)
{
	if (ns__tcp_rx_due_flush(h->data))
		reschedule(h->data);
}

/**
 * ns_new() - create the stack with its loopback device
 * @loop:	the event loop
 * @out:	set to the stack
 *
 * Only one stack may exist per process: lwIP keeps global state.
 *
 * Return: 0 or a negative errno
 */
int ns_new(uv_loop_t *loop, struct ns **out)
{
	static bool lwip_ready;
	struct ns *ns;
	int ret;

	if (!loop || !out)
		return -EINVAL;
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->loop = loop;
	ns->shortcut = true;
	ns->errq_sink = -1;
	ns->errq_witness = -1;
	ns->ccopy = -1;
	ns->ep = -1;
	if (!lwip_ready) {
		lwip_init();
		lwip_ready = true;
	}
	ret = vdev_loopback_new(loop, "lo", &ns->lo);
	if (ret) {
		free(ns);
		return ret;
	}
	ret = net__new(ns, loop, ns->lo, &ns->net);
	if (ret) {
		vdev_free(ns->lo);
		free(ns);
		return ret;
	}
	ret = ns__watch_new(ns);
	if (ret) {
		net__free(ns->net);
		vdev_free(ns->lo);
		free(ns);
		return ret;
	}

	uv_timer_init(loop, &ns->lwip_timer);
	ns->lwip_timer.data = ns;
	uv_timer_init(loop, &ns->mcast_timer);
	ns->mcast_timer.data = ns;
	uv_timer_init(loop, &ns->scan_timer);
	ns->scan_timer.data = ns;
	ns__tcopy_init(ns);
	uv_timer_init(loop, &ns->local_timer);
	ns->local_timer.data = ns;
	uv_timer_init(loop, &ns->pace_timer);
	ns->pace_timer.data = ns;
	uv_idle_init(loop, &ns->fwd_idle);
	ns->fwd_idle.data = ns;
	uv_idle_init(loop, &ns->pk_idle);
	ns->pk_idle.data = ns;
	uv_check_init(loop, &ns->check);
	ns->check.data = ns;
	uv_check_start(&ns->check, on_check);
	uv_prepare_init(loop, &ns->prepare);
	ns->prepare.data = ns;
	uv_prepare_start(&ns->prepare, on_prepare);
	reschedule(ns);		/* lwip_init()'s timers, before any event */
	*out = ns;
	return 0;
}

/**
 * ns_set_shortcut() - whether local TCP connections bypass lwIP
 * @ns:		the stack
 * @on:		true (the default) to hand both ends one AF_UNIX pair
 */
void ns_set_shortcut(struct ns *ns, bool on)
{
	ns->shortcut = on;
}

/**
 * ns_set_tracer() - the tracer whose processes hold this stack's sockets
 * @ns:		the stack
 * @t:		the tracer
 */
void ns_set_tracer(struct ns *ns, struct trc *t)
{
	ns->trc = t;
	ns->fetch = trc_can_fetch(t);
}

static void closed(uv_handle_t *h)
{
	struct ns *ns = h->data;

	if (uv_is_closing((uv_handle_t *)&ns->lwip_timer) &&
	    uv_is_closing((uv_handle_t *)&ns->mcast_timer) &&
	    uv_is_closing((uv_handle_t *)&ns->scan_timer) &&
	    uv_is_closing((uv_handle_t *)&ns->tcopy_timer) &&
	    uv_is_closing((uv_handle_t *)&ns->local_timer) &&
	    uv_is_closing((uv_handle_t *)&ns->pace_timer) &&
	    uv_is_closing((uv_handle_t *)&ns->fwd_idle) &&
	    uv_is_closing((uv_handle_t *)&ns->pk_idle) &&
	    uv_is_closing((uv_handle_t *)&ns->check) &&
	    uv_is_closing((uv_handle_t *)&ns->prepare) && !--ns->closing)
		free(ns);
}

/**
 * ns_free() - close every socket and free the stack after its handles
 * @ns:		the stack
 */
void ns_free(struct ns *ns)
{
	struct sock *s;

	if (!ns)
		return;
	while ((s = ns->all)) {
		/* A queued connection is its listener's to free: freeing it
		 * first left the listener's queue pointing at freed memory. */
		while (s->listener)
			s = s->listener;
		ns__sock_free(s);
	}
	ns__fwd_fini(ns);
	ns__errq_fini(ns);
	ns__procnet_fini(ns);
	ns__procsys_fini(ns);
	net__free(ns->net);
	vdev_free(ns->lo);
	ns->closing = 10 + ns__watch_loop_close(ns, closed);
	uv_close((uv_handle_t *)&ns->fwd_idle, closed);
	uv_close((uv_handle_t *)&ns->pk_idle, closed);
	uv_close((uv_handle_t *)&ns->local_timer, closed);
	uv_close((uv_handle_t *)&ns->pace_timer, closed);
	uv_close((uv_handle_t *)&ns->tcopy_timer, closed);
	uv_close((uv_handle_t *)&ns->lwip_timer, closed);
	uv_close((uv_handle_t *)&ns->mcast_timer, closed);
	uv_close((uv_handle_t *)&ns->scan_timer, closed);
	uv_close((uv_handle_t *)&ns->check, closed);
	uv_close((uv_handle_t *)&ns->prepare, closed);
}

/**
 * ns__addr_is_local() - whether a socket may bind to @a
 * @a:		address
 *
 * Return: true for the wildcard, the loopback ranges and any address of a
 * sandbox interface
 */
bool ns__addr_is_local(const ip_addr_t *a)
{
	struct netif *n;
	int i;

	/* 127.0.0.0/8 is lo's; ::1 only while lo has it (disable_ipv6) */
	if (ip_addr_isany(a) || (IP_IS_V4(a) && ip_addr_isloopback(a)))
		return true;
	NETIF_FOREACH(n) {
		if (IP_IS_V4(a) && (ip4_addr_cmp(ip_2_ip4(a), netif_ip4_addr(n)) ||
				    rrs_ip4_accept(n, ip_2_ip4(a))))	/* others */
			return true;
		/* a zoned (link-local) address is only its device's, as
		 * __inet6_bind() asks ipv6_chk_addr() of the bound device */
		if (IP_IS_V6(a) && ip6_addr_has_zone(ip_2_ip6(a)) &&
		    !ip6_addr_test_zone(ip_2_ip6(a), n))
			continue;
		for (i = 0; IP_IS_V6(a) && i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) &&
			    ip6_addr_cmp_zoneless(ip_2_ip6(a), netif_ip6_addr(n, i)))
				return true;
	}
	return false;
}

static void scan_mark(void *data, uint64_t ino)
{
	struct ns *ns = data;
	struct sock *s = ns__sock_find(ns, ino);

	if (s) {
		s->scan_gen = ns->scan_gen;
		s->closed_seen = false;	/* back from an SCM_RIGHTS message */
	}
}

/**
 * ns__scan_soon() - scan within a second: a socket just became held
 * @ns:		the stack
 */
void ns__scan_soon(struct ns *ns)
{
	if (!uv_is_active((uv_handle_t *)&ns->scan_timer) ||
	    uv_timer_get_due_in(&ns->scan_timer) > SCAN_SOON_MS)
		uv_timer_start(&ns->scan_timer, on_scan_timer, SCAN_SOON_MS,
			       SCAN_INTERVAL_MS);
}

/**
 * ns__scan_next_turn() - scan on the loop's next turn: many sockets became
 *			  held since the last scan, some probably closed
 * @ns:		the stack
 */
void ns__scan_next_turn(struct ns *ns)
{
	uv_timer_start(&ns->scan_timer, on_scan_timer, 0, SCAN_INTERVAL_MS);
}

/**
 * ns__scan_sparing() - free held sockets the sandbox no longer has open
 * @ns:		the stack
 * @spare:	a socket not to free (NULL: none)
 *
 * Sockets whose program end the supervisor holds (listeners, datagram
 * sockets, TCP sockets not yet connected) never see EOF when the program
 * closes them.  This looks for their inodes among the fds of every
 * process of the sandbox and frees those found nowhere.
 *
 * A call that scans (a bind() or listen() whose port a closed socket may
 * hold) spares its own socket, which it still uses: another thread may
 * have closed its fd meanwhile.  The next scan frees it then.
 */
void ns__scan_sparing(struct ns *ns, struct sock *spare)
{
	struct sock *s, *next;

	if (!ns->held || !ns->trc)
		return;
	ns->scan_gen++;
	if (trc_scan_sockets(ns->trc, scan_mark, ns))
		return;
	/* Freeing a listener frees its queued connections too: restart. */
	for (s = ns->all; s; s = next) {
		next = s->next;
		if (s->held && s->scan_gen != ns->scan_gen && s != spare &&
		    (!s->errq_pair || ns__errq_gone(s))) {
			debug("socket %llu: closed by the program",
			      (unsigned long long)s->ino);
			/* what it sent just before its close goes first */
			if (s->family != AF_NETLINK && s->type != SOCK_STREAM)
				ns__dgram_send_written(s);
			ns__sock_free(s);
			next = ns->all;
		}
	}
	ns->held_scanned = ns->held;
	reschedule(ns);
}

/**
 * ns__scan() - ns__scan_sparing() with nothing spared
 * @ns:		the stack
 */
void ns__scan(struct ns *ns)
{
	ns__scan_sparing(ns, NULL);
}

struct find {
	uint64_t ino;
	bool found;
};

static void find_ino(void *data, uint64_t ino)
{
	struct find *f = data;

	f->found |= f->ino == ino;
}

/**
 * ns__alive() - whether the program still has a held socket open
 * @s:		the socket
 *
 * Asks the last caller's fd first, then scans the sandbox.
 *
 * Return: false only when no process of the sandbox has it
 */
bool ns__alive(struct sock *s)
{
	struct find f = { .ino = s->ino, .found = false };
	uint64_t ino;

	if (s->hint_pid > 0 &&
	    !trc_fd_inode(s->ns->trc, s->hint_pid, s->hint_fd, &ino) &&
	    ino == s->ino)
		return true;
	if (!s->ns->trc || trc_scan_sockets(s->ns->trc, find_ino, &f))
		return true;
	return f.found;
}

/**
 * ns__held_alive() - whether a held socket a datagram is for may still be
 *		      open in the sandbox
 * @s:		the socket
 *
 * The filter does not trap close() (a trapped close() that a signal
 * interrupts fails with EINTR and leaves the fd open), so a held socket's
 * last close is seen by scans only.  A datagram for one asks first, at
 * most once every NS_ALIVE_MS while the answer is yes: its last caller's
 * fd (one readlink), else a scan.  A moved socket (errq.c) found in no fd
 * table is asked of the host too, as ns__scan() does, so that one in
 * flight in an SCM_RIGHTS message is not taken for closed.  A closed one
 * is freed by a scan on the loop's next turn.
 *
 * Return: false if the program has closed it
 */
bool ns__held_alive(struct sock *s)
{
	uint64_t now = uv_now(s->ns->loop);

	if (!s->held)
		return true;
	if (s->closed_seen)
		return false;
	if (s->alive_at && now - s->alive_at < NS_ALIVE_MS)
		return true;
	if (ns__alive(s) || (s->errq_pair && !ns__errq_gone(s))) {
		s->alive_at = now;
		return true;
	}
	debug("socket %llu: closed by the program (a datagram came)",
	      (unsigned long long)s->ino);
	s->closed_seen = true;
	ns__scan_next_turn(s->ns);
	return false;
}

/**
 * ns__flow_hash() - which member of an SO_REUSEPORT group a flow goes to
 * @ip:		the peer's address
 * @port:	its port
 *
 * The same flow always gives the same number, different flows spread.
 *
 * Return: the hash
 */
uint32_t ns__flow_hash(const ip_addr_t *ip, uint16_t port)
{
	uint32_t h = port * 2654435761u;
	int k;

	if (IP_IS_V6(ip))
		for (k = 0; k < 4; k++)
			h = (h ^ ip_2_ip6(ip)->addr[k]) * 2654435761u;
	else
		h = (h ^ ip_2_ip4(ip)->addr) * 2654435761u;
	return h >> 16;
}

/**
 * ns_proc_exit() - a process of the sandbox exited
 * @ns:		the stack
 * @pid:	its pid
 */
void ns_proc_exit(struct ns *ns, pid_t pid)
{
	(void)pid;
	ns__scan(ns);
}

static unsigned int count_tcp(struct tcp_pcb *p)
{
	unsigned int n = 0;

	for (; p; p = p->next)
		n++;
	return n;
}

/**
 * ns_stats() - current counters
 * @ns:		the stack
 * @out:	filled in
 */
void ns_stats(struct ns *ns, struct ns_stats *out)
{
	struct udp_pcb *u;

	ns__scan(ns);	/* closed held sockets are not counted */
	memset(out, 0, sizeof(*out));
	out->socks = ns->nsocks;
	out->held = ns->held;
	out->minttl_drops = ns->minttl_drops;
	out->tcp_pcbs = count_tcp(tcp_active_pcbs) + count_tcp(tcp_tw_pcbs) +
			count_tcp(tcp_bound_pcbs) +
			count_tcp((struct tcp_pcb *)tcp_listen_pcbs.listen_pcbs);
	for (u = udp_pcbs; u; u = u->next)
		out->udp_pcbs++;
}

/**
 * ns_tcp_pending() - whether a TCP connection has data or a FIN to deliver
 * @ns:		the stack
 *
 * True while some connection is open (its program end not yet seen
 * closed), or has sent a FIN not yet acknowledged: what the kernel would
 * still be working on after the program's exit.  Connection attempts,
 * FIN_WAIT_2 and TIME_WAIT need nothing more from us.
 *
 * Return: true if so
 */
bool ns_tcp_pending(struct ns *ns)
{
	struct tcp_pcb *p;

	(void)ns;
	for (p = tcp_active_pcbs; p; p = p->next)
		switch (p->state) {
		case ESTABLISHED:
		case CLOSE_WAIT:
		case FIN_WAIT_1:
		case CLOSING:
		case LAST_ACK:
			return true;
		default:
			break;
		}
	return false;
}

/**
 * ns_dump() - log every socket at debug level (-vv), for troubleshooting
 * @ns:		the stack
 */
void ns_dump(struct ns *ns)
{
	static const char *const names[] = {
		"new", "listen", "connecting", "connected", "closed",
	};
	struct sock *s;

	for (s = ns->all; s; s = s->next)
		debug("socket %llu: %s %s%s%s%s%s tx_eof=%d rx_done=%d held=%d tref=%d",
		      (unsigned long long)s->ino,
		      s->type == SOCK_STREAM ? "tcp" : "udp", names[s->state],
		      s->fwd ? " relay" : "",
		      s->listener ? " queued" : "", s->pcb.tcp ? "" : " no-pcb",
		      s->prog_shut_wr ? " shut_wr" : "", s->tx_eof, s->rx_done,
		      s->held, s->tref);
}

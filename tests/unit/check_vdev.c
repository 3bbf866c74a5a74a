/* SPDX-License-Identifier: MIT */
/*
 * check_vdev.c - unit tests of vdev/: the loopback device under lwIP.
 *
 * Each test brings up lwIP (lwip_init() once per process: Check's fork
 * mode gives every test a fresh one) and a loopback device on its own
 * libuv loop, then talks to itself with lwIP's raw API: a TCP listener and
 * a client exchanging bytes over 127.0.0.1 and ::1, with a uv timer
 * driving sys_check_timeouts() until done or a deadline; UDP datagrams to
 * see when and how many packets are delivered.  Every test ends by closing
 * every handle and asserting uv_loop_close() == 0.
 *
 * Links: two devices in one lwIP over AF_UNIX paths in a mkdtemp
 * directory (or UDP on 127.0.0.1 and ::1), with UDP sent out of a chosen
 * netif (two netifs on one subnet would otherwise both route to the
 * first): ARP, ND, either side first, restart.  Shared segments and
 * strangers are tested at the frame level, a plain AF_UNIX socket in the
 * test playing each station.  The pcap tap's files are read back with
 * libpcap.  Linked with rrs_vdev (and the rrs_lwip it builds on) only.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"

#include "vdev/vdev.h"

#define XFER_BYTES	(300 * 1000)	/* each way: many segments, several windows */
#define XFER_PORT	7777
#define DEADLINE_MS	10000
#define TICK_MS		10
#define LO_QUEUE_MAX	4096		/* loopback.c's queue, in packets */

static uint8_t pattern[XFER_BYTES];

static void lwip_once(void)
{
	static bool done;
	size_t i;

	if (done)
		return;
	lwip_init();
	done = true;
	/* Not periodic at any power of two: a shifted or repeated segment
	 * shows up. */
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + i / 251);
}

static void ip(ip_addr_t *a, const char *text)
{
	ck_assert_msg(ipaddr_aton(text, a), "bad address %s", text);
}

/* ---- the device alone ---- */

START_TEST(vdev_loopback_new_bad_arguments_einval)
{
	struct vdev *dev = NULL;
	uv_loop_t loop;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(NULL, "lo", &dev), -EINVAL);
	ck_assert_int_eq(vdev_loopback_new(&loop, NULL, &dev), -EINVAL);
	ck_assert_int_eq(vdev_loopback_new(&loop, "0123456789abcdef", &dev), -EINVAL);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", NULL), -EINVAL);
	ck_assert_ptr_null(dev);
	ck_assert_ptr_null(netif_list);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(vdev_loopback_new_is_up_with_addresses)
{
	struct vdev_counters cnt;
	struct vdev *dev = NULL;
	struct netif *n;
	ip_addr_t a;
	uv_loop_t loop;
	int i;
	bool v6 = false;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", &dev), 0);
	ck_assert_ptr_nonnull(dev);
	ck_assert_str_eq(vdev_name(dev), "lo");
	n = vdev_netif(dev);
	ck_assert_ptr_eq(n, netif_list);
	ck_assert(netif_is_up(n));
	ck_assert(netif_is_link_up(n));
	ip(&a, "127.0.0.1");
	ck_assert(ip4_addr_cmp(netif_ip4_addr(n), ip_2_ip4(&a)));
	ip(&a, "255.0.0.0");
	ck_assert(ip4_addr_cmp(netif_ip4_netmask(n), ip_2_ip4(&a)));
	ip(&a, "::1");
	for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (ip6_addr_ispreferred(netif_ip6_addr_state(n, i)) &&
		    ip6_addr_cmp_zoneless(netif_ip6_addr(n, i), ip_2_ip6(&a)))
			v6 = true;
	ck_assert_msg(v6, "::1 is not a preferred address of lo");
	vdev_counters(dev, &cnt);
	ck_assert_uint_eq(cnt.tx_packets + cnt.rx_packets + cnt.tx_bytes +
			  cnt.rx_bytes + cnt.drops, 0);

	vdev_free(dev);
	ck_assert_ptr_null(netif_list);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(vdev_free_null_is_noop)
{
	vdev_free(NULL);
}
END_TEST

/* ---- UDP: when and how many packets come back ---- */

struct dgrams {
	unsigned int got;
	size_t bytes;
	bool bad;
};

static void on_dgram(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		     const ip_addr_t *addr, u16_t port)
{
	struct dgrams *d = arg;

	d->got++;
	d->bytes += p->tot_len;
	if (p->tot_len != 4 || pbuf_memcmp(p, 0, "ping", 4))
		d->bad = true;
	pbuf_free(p);
}

/* A bound receiver and a sender on @addr; @n datagrams sent at once. */
static void udp_burst(const char *addr, unsigned int n, struct udp_pcb **rx,
		      struct udp_pcb **tx, struct dgrams *d)
{
	ip_addr_t a;
	unsigned int i;

	ip(&a, addr);
	*rx = udp_new_ip_type(IP_GET_TYPE(&a));
	*tx = udp_new_ip_type(IP_GET_TYPE(&a));
	ck_assert_ptr_nonnull(*rx);
	ck_assert_ptr_nonnull(*tx);
	ck_assert_int_eq(udp_bind(*rx, &a, 5353), ERR_OK);
	udp_recv(*rx, on_dgram, d);
	for (i = 0; i < n; i++) {
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 4, PBUF_RAM);

		ck_assert_ptr_nonnull(p);
		memcpy(p->payload, "ping", 4);
		ck_assert_int_eq(udp_sendto(*tx, p, &a, 5353), ERR_OK);
		pbuf_free(p);
	}
}

START_TEST(vdev_udp_delivered_on_later_turn)
{
	struct vdev_counters cnt;
	struct udp_pcb *rx, *tx;
	struct dgrams d = { 0 };
	struct vdev *dev;
	uv_loop_t loop;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", &dev), 0);
	udp_burst("127.0.0.1", 10, &rx, &tx, &d);
	/* Never from inside the send: lwIP must not be re-entered. */
	ck_assert_uint_eq(d.got, 0);
	vdev_counters(dev, &cnt);
	ck_assert_uint_eq(cnt.tx_packets, 10);
	ck_assert_uint_eq(cnt.rx_packets, 0);
	/* The idle handle runs while packets wait, then the loop empties. */
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_uint_eq(d.got, 10);
	ck_assert(!d.bad);
	vdev_counters(dev, &cnt);
	ck_assert_uint_eq(cnt.rx_packets, 10);
	ck_assert_uint_eq(cnt.rx_bytes, cnt.tx_bytes);
	ck_assert_uint_eq(cnt.tx_bytes, 10 * (20 + 8 + 4));
	ck_assert_uint_eq(cnt.drops, 0);

	udp_remove(rx);
	udp_remove(tx);
	vdev_free(dev);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(vdev_udp_v6_delivered)
{
	struct vdev_counters cnt;
	struct udp_pcb *rx, *tx;
	struct dgrams d = { 0 };
	struct vdev *dev;
	uv_loop_t loop;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", &dev), 0);
	udp_burst("::1", 3, &rx, &tx, &d);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_uint_eq(d.got, 3);
	ck_assert(!d.bad);
	vdev_counters(dev, &cnt);
	ck_assert_uint_ge(cnt.rx_packets, 3);

	udp_remove(rx);
	udp_remove(tx);
	vdev_free(dev);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/*
 * Regression (fixed; was in vdev/loopback.c with lwIP's ip4_input(), netstack/stack.c
 * ns__addr_is_local()): lo is 127.0.0.1/8, and on Linux every address of
 * 127.0.0.0/8 is local; Debian's /etc/hosts even names the host 127.0.1.1.
 * Here 127.0.1.1 routes to lo (the /8 matches), but lwIP's ip4_input()
 * accepts only the netif's own address and, with LWIP_NETIF_LOOPBACK 0,
 * drops other loopback destinations: the datagrams below are sent and
 * never delivered.  ns__addr_is_local() meanwhile lets a socket bind to
 * any 127/8 address, so a listener there can never be reached: inside
 * rrsandbox, python3 binding 127.0.1.1 and connecting to it times out.
 * A fix could accept 127/8 on lo (LWIP_HOOK_IP4_INPUT, or rewriting the
 * destination in the device), or refuse such binds.
 */
START_TEST(vdev_udp_whole_loopback_net_delivered)
{
	struct vdev_counters cnt;
	struct udp_pcb *rx, *tx;
	struct dgrams d = { 0 };
	struct vdev *dev;
	uv_loop_t loop;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", &dev), 0);
	udp_burst("127.0.1.1", 3, &rx, &tx, &d);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	vdev_counters(dev, &cnt);
	udp_remove(rx);
	udp_remove(tx);
	vdev_free(dev);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	ck_assert_uint_eq(cnt.tx_packets, 3);
	ck_assert_uint_eq(cnt.rx_packets, 3);
	ck_assert_uint_eq(d.got, 3);
}
END_TEST

START_TEST(vdev_queue_full_drops_counted)
{
	struct vdev_counters cnt;
	struct udp_pcb *rx, *tx;
	struct dgrams d = { 0 };
	struct vdev *dev;
	uv_loop_t loop;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", &dev), 0);
	udp_burst("127.0.0.1", LO_QUEUE_MAX + 5, &rx, &tx, &d);
	vdev_counters(dev, &cnt);
	ck_assert_uint_eq(cnt.tx_packets, LO_QUEUE_MAX);
	ck_assert_uint_eq(cnt.drops, 5);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_uint_eq(d.got, LO_QUEUE_MAX);
	vdev_counters(dev, &cnt);
	ck_assert_uint_eq(cnt.rx_packets, LO_QUEUE_MAX);

	udp_remove(rx);
	udp_remove(tx);
	vdev_free(dev);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(vdev_free_with_queued_packets_closes_clean)
{
	struct vdev_counters cnt;
	struct udp_pcb *rx, *tx;
	struct dgrams d = { 0 };
	struct vdev *dev;
	uv_loop_t loop;

	lwip_once();
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(vdev_loopback_new(&loop, "lo", &dev), 0);
	udp_burst("127.0.0.1", 25, &rx, &tx, &d);
	vdev_counters(dev, &cnt);
	ck_assert_uint_eq(cnt.tx_packets, 25);
	/* The queue goes with the device; nothing is delivered after. */
	vdev_free(dev);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_uint_eq(d.got, 0);
	udp_remove(rx);
	udp_remove(tx);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* ---- TCP over the loopback: a listener, a client, bytes both ways ---- */

/*
 * struct xfer - one echo exchange
 *
 * The client sends XFER_BYTES of pattern; the server checks each byte and
 * echoes it; the client checks what comes back.  Done when the client has
 * it all.
 */
struct xfer {
	uv_loop_t loop;
	uv_timer_t tick;
	struct vdev *dev;
	uint64_t deadline;		/* uv_now() */
	struct tcp_pcb *lpcb, *srv, *cli;
	size_t sent, srv_got, echoed, cli_got;
	bool connected, done, timed_out, corrupt, fin, failed;
	err_t err;
};

/* Queue as much of pattern[*done .. @upto) as @pcb takes. */
static void pump(struct tcp_pcb *pcb, size_t *done, size_t upto)
{
	while (*done < upto) {
		size_t n = upto - *done;
		u16_t room = tcp_sndbuf(pcb);

		if (n > room)
			n = room;
		if (n > 0xffff)
			n = 0xffff;
		if (!n || tcp_write(pcb, pattern + *done, (u16_t)n,
				    TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
		*done += n;
	}
	tcp_output(pcb);
}

/* Compare @p with the pattern at *@off and move on; frees @p. */
static bool check_pbuf(struct tcp_pcb *pcb, struct pbuf *p, size_t *off)
{
	bool ok = *off + p->tot_len <= XFER_BYTES &&
		  !pbuf_memcmp(p, 0, pattern + *off, p->tot_len);

	*off += p->tot_len;
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ok;
}

static void on_pcb_err(void *arg, err_t err)
{
	struct xfer *x = arg;

	if (!x)
		return;
	x->failed = true;
	x->err = err;
	x->cli = x->srv = NULL;		/* lwIP freed one; do not touch either */
	uv_stop(&x->loop);
}

static err_t on_srv_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct xfer *x = arg;

	if (!p) {
		x->fin = true;
		return ERR_OK;
	}
	if (!check_pbuf(pcb, p, &x->srv_got))
		x->corrupt = true;
	pump(pcb, &x->echoed, x->srv_got);
	return ERR_OK;
}

static err_t on_srv_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct xfer *x = arg;

	pump(pcb, &x->echoed, x->srv_got);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *np, err_t err)
{
	struct xfer *x = arg;

	if (err != ERR_OK || !np || x->srv)
		return ERR_VAL;
	x->srv = np;
	tcp_arg(np, x);
	tcp_recv(np, on_srv_recv);
	tcp_sent(np, on_srv_sent);
	tcp_err(np, on_pcb_err);
	return ERR_OK;
}

static err_t on_cli_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct xfer *x = arg;

	if (!p) {
		x->fin = true;
		return ERR_OK;
	}
	if (!check_pbuf(pcb, p, &x->cli_got))
		x->corrupt = true;
	if (x->cli_got >= XFER_BYTES) {
		x->done = true;
		uv_stop(&x->loop);
	}
	return ERR_OK;
}

static err_t on_cli_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct xfer *x = arg;

	pump(pcb, &x->sent, XFER_BYTES);
	return ERR_OK;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct xfer *x = arg;

	x->connected = true;
	pump(pcb, &x->sent, XFER_BYTES);
	return ERR_OK;
}

static void on_tick(uv_timer_t *h)
{
	struct xfer *x = h->data;

	sys_check_timeouts();
	if (uv_now(&x->loop) >= x->deadline) {
		x->timed_out = true;
		uv_stop(&x->loop);
	}
}

static void detach(struct tcp_pcb *pcb)
{
	if (!pcb)
		return;
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
}

/* Run one echo exchange over @addr; leaves the results in @x. */
static void tcp_echo(struct xfer *x, const char *addr)
{
	struct vdev_counters before, after;
	struct tcp_pcb *pcb;
	ip_addr_t a;

	lwip_once();
	memset(x, 0, sizeof(*x));
	ip(&a, addr);
	ck_assert_int_eq(uv_loop_init(&x->loop), 0);
	x->deadline = uv_now(&x->loop) + DEADLINE_MS;
	ck_assert_int_eq(vdev_loopback_new(&x->loop, "lo", &x->dev), 0);
	vdev_counters(x->dev, &before);

	pcb = tcp_new_ip_type(IP_GET_TYPE(&a));
	ck_assert_ptr_nonnull(pcb);
	ck_assert_int_eq(tcp_bind(pcb, &a, XFER_PORT), ERR_OK);
	x->lpcb = tcp_listen(pcb);
	ck_assert_ptr_nonnull(x->lpcb);
	tcp_arg(x->lpcb, x);
	tcp_accept(x->lpcb, on_accept);

	x->cli = tcp_new_ip_type(IP_GET_TYPE(&a));
	ck_assert_ptr_nonnull(x->cli);
	tcp_arg(x->cli, x);
	tcp_recv(x->cli, on_cli_recv);
	tcp_sent(x->cli, on_cli_sent);
	tcp_err(x->cli, on_pcb_err);
	ck_assert_int_eq(tcp_connect(x->cli, &a, XFER_PORT, on_connected), ERR_OK);

	ck_assert_int_eq(uv_timer_init(&x->loop, &x->tick), 0);
	x->tick.data = x;
	ck_assert_int_eq(uv_timer_start(&x->tick, on_tick, TICK_MS, TICK_MS), 0);
	uv_run(&x->loop, UV_RUN_DEFAULT);

	vdev_counters(x->dev, &after);
	ck_assert_uint_gt(after.tx_packets, before.tx_packets);
	ck_assert_uint_gt(after.rx_packets, before.rx_packets);
	if (x->done) {
		/* Every byte crossed the device twice, headers aside. */
		ck_assert_uint_ge(after.tx_bytes - before.tx_bytes, 2 * XFER_BYTES);
		ck_assert_uint_ge(after.rx_bytes - before.rx_bytes, 2 * XFER_BYTES);
	}
	ck_assert_uint_le(after.rx_packets, after.tx_packets);
	ck_assert_uint_eq(after.drops, 0);

	/* Close everything: pcbs, the timer, the device, then the loop. */
	detach(x->cli);
	detach(x->srv);
	tcp_arg(x->lpcb, NULL);
	tcp_accept(x->lpcb, NULL);
	tcp_close(x->lpcb);
	uv_close((uv_handle_t *)&x->tick, NULL);
	vdev_free(x->dev);
	ck_assert_int_eq(uv_run(&x->loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&x->loop), 0);
}

static void check_echo(const struct xfer *x)
{
	ck_assert_msg(!x->failed, "a pcb failed with err_t %d", x->err);
	ck_assert(x->connected);
	ck_assert_msg(!x->timed_out, "timed out: sent %zu, server got %zu, "
		      "echoed %zu, client got %zu", x->sent, x->srv_got,
		      x->echoed, x->cli_got);
	ck_assert(x->done);
	ck_assert(!x->corrupt);
	ck_assert(!x->fin);
	ck_assert_uint_eq(x->sent, XFER_BYTES);
	ck_assert_uint_eq(x->srv_got, XFER_BYTES);
	ck_assert_uint_eq(x->cli_got, XFER_BYTES);
}

START_TEST(vdev_tcp_v4_bytes_exchanged)
{
	static struct xfer x;

	tcp_echo(&x, "127.0.0.1");
	check_echo(&x);
}
END_TEST

START_TEST(vdev_tcp_v6_bytes_exchanged)
{
	static struct xfer x;

	tcp_echo(&x, "::1");
	check_echo(&x);
}
END_TEST

/* ---- link devices: two (or more) ends in one lwIP, or a test socket ---- */

#define LINK_WAIT_MS	5000		/* run_until() deadline */
#define N_PATHS		6

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/*
 * struct seg - one test's loop and scratch directory
 * @loop:	the loop
 * @tick:	drives lwIP's timers while run_until() waits
 * @dir:	mkdtemp directory, must be empty again at the end
 * @path:	@dir/0 .. @dir/5, endpoint and file names
 * @err:	vdev_link_new()'s and vdev_pcap_start()'s message
 */
struct seg {
	uv_loop_t loop;
	uv_timer_t tick;
	char dir[32];
	char path[N_PATHS][64];
	char err[256];
};

static void seg_tick(uv_timer_t *h)
{
	sys_check_timeouts();
}

static void seg_init(struct seg *s)
{
	int i;

	lwip_once();
	memset(s, 0, sizeof(*s));
	strcpy(s->dir, "/tmp/rrs-vdev-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->dir));
	for (i = 0; i < N_PATHS; i++)
		snprintf(s->path[i], sizeof(s->path[i]), "%s/%d", s->dir, i);
	ck_assert_int_eq(uv_loop_init(&s->loop), 0);
	ck_assert_int_eq(uv_timer_init(&s->loop, &s->tick), 0);
}

/* Close the loop, then the directory: devices unlink their own paths. */
static void seg_fini(struct seg *s)
{
	uv_close((uv_handle_t *)&s->tick, NULL);
	ck_assert_int_eq(uv_run(&s->loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&s->loop), 0);
	ck_assert_ptr_null(netif_list);
	ck_assert_msg(rmdir(s->dir) == 0, "rmdir %s: %s", s->dir, strerror(errno));
}

typedef bool cond_fn(void *arg);

/* Run @s's loop until @cond holds or @ms pass; whether it held. */
static bool run_until(struct seg *s, cond_fn *cond, void *arg, unsigned int ms)
{
	uint64_t end;
	bool ok;

	uv_update_time(&s->loop);
	end = uv_now(&s->loop) + ms;
	uv_timer_start(&s->tick, seg_tick, 5, 5);
	while (!(ok = cond(arg)) && uv_now(&s->loop) < end)
		uv_run(&s->loop, UV_RUN_ONCE);
	uv_timer_stop(&s->tick);
	return ok;
}

static bool never(void *arg)
{
	return false;
}

static void run_for(struct seg *s, unsigned int ms)
{
	run_until(s, never, NULL, ms);
}

static struct vdev *link_n(struct seg *s, const char *name, const char *local,
			   const char *const *remote, unsigned int n)
{
	struct vdev_link_opts o = { .local = local, .remote = remote,
				    .n_remote = n };
	struct vdev *dev = NULL;
	int ret;

	ret = vdev_link_new(&s->loop, name, &o, s->err, sizeof(s->err), &dev);
	ck_assert_msg(ret == 0, "link %s: %d %s", name, ret, s->err);
	ck_assert_ptr_nonnull(dev);
	return dev;
}

static struct vdev *link1(struct seg *s, const char *name, const char *local,
			  const char *remote)
{
	return link_n(s, name, local, &remote, 1);
}

static void set_ip4(struct vdev *dev, const char *addr)
{
	ip_addr_t a, m, g;

	ip(&a, addr);
	ip(&m, "255.255.255.0");
	ip(&g, "0.0.0.0");
	netif_set_addr(vdev_netif(dev), ip_2_ip4(&a), ip_2_ip4(&m), ip_2_ip4(&g));
}

static uint64_t cnt_of(struct vdev *dev, size_t off)
{
	struct vdev_counters c;

	vdev_counters(dev, &c);
	return *(uint64_t *)((char *)&c + off);
}
#define CNT(dev, field) cnt_of((dev), offsetof(struct vdev_counters, field))

/* A UDP receiver on @dev only (lwIP would take any of its netifs). */
static struct udp_pcb *udp_rx_on(struct vdev *dev, struct dgrams *d)
{
	struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_ANY);

	ck_assert_ptr_nonnull(pcb);
	ck_assert_int_eq(udp_bind(pcb, IP_ANY_TYPE, 5353), ERR_OK);
	udp_bind_netif(pcb, vdev_netif(dev));
	udp_recv(pcb, on_dgram, d);
	return pcb;
}

/*
 * struct pinger - send "ping" out of one netif every PING_MS until the
 * receiver has @want of them (lost ones: ARP pending, peer absent).
 */
#define PING_MS 50
struct pinger {
	uv_loop_t *loop;
	struct udp_pcb *tx;
	ip_addr_t dst;
	struct netif *out;
	struct dgrams *d;
	unsigned int want, sent;
	uint64_t next;
};

static void ping_once(struct pinger *pg)
{
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 4, PBUF_RAM);

	ck_assert_ptr_nonnull(p);
	memcpy(p->payload, "ping", 4);
	/* The netif given: with two netifs on one subnet, lwIP's own route
	 * would pick the first, whichever that is. */
	ck_assert_int_eq(udp_sendto_if(pg->tx, p, &pg->dst, 5353, pg->out), ERR_OK);
	pbuf_free(p);
	pg->sent++;
}

static bool ping_cond(void *arg)
{
	struct pinger *pg = arg;

	if (pg->d->got >= pg->want)
		return true;
	if (uv_now(pg->loop) >= pg->next) {
		ping_once(pg);
		pg->next = uv_now(pg->loop) + PING_MS;
	}
	return false;
}

static void pinger_init(struct pinger *pg, struct seg *s, struct vdev *from,
			const ip_addr_t *dst, struct dgrams *d, unsigned int want)
{
	memset(pg, 0, sizeof(*pg));
	pg->loop = &s->loop;
	pg->tx = udp_new_ip_type(IP_GET_TYPE(dst));
	ck_assert_ptr_nonnull(pg->tx);
	ip_addr_copy(pg->dst, *dst);
	pg->out = vdev_netif(from);
	pg->d = d;
	pg->want = want;
}

/* a <-> b over AF_UNIX paths 0 and 1, 10.0.0.1/24 and 10.0.0.2/24. */
static void pair_up(struct seg *s, struct vdev **a, struct vdev **b)
{
	*a = link1(s, "a0", s->path[0], s->path[1]);
	*b = link1(s, "b0", s->path[1], s->path[0]);
	set_ip4(*a, "10.0.0.1");
	set_ip4(*b, "10.0.0.2");
}

START_TEST(vdev_link_udp_v4_resolves_arp_and_delivers)
{
	struct udp_pcb *rx;
	struct dgrams d = { 0 };
	struct pinger pg;
	struct vdev *a, *b;
	struct eth_addr *eth;
	const ip4_addr_t *ipr;
	ip_addr_t dst;
	struct seg s;

	seg_init(&s);
	pair_up(&s, &a, &b);
	rx = udp_rx_on(b, &d);
	ip(&dst, "10.0.0.2");
	pinger_init(&pg, &s, a, &dst, &d, 3);
	ck_assert_msg(run_until(&s, ping_cond, &pg, LINK_WAIT_MS),
		      "%u of %u sent delivered", d.got, pg.sent);
	ck_assert(!d.bad);
	/* ARP went over the link: a knows b's MAC. */
	ck_assert_int_ge(etharp_find_addr(vdev_netif(a), ip_2_ip4(&dst), &eth, &ipr), 0);
	ck_assert_mem_eq(eth->addr, vdev_mac(b), 6);
	ck_assert_uint_ge(CNT(a, tx_packets), 4);	/* ARP request, 3 pings */
	ck_assert_uint_ge(CNT(b, rx_packets), 4);
	ck_assert_uint_ge(CNT(b, tx_packets), 1);	/* ARP reply */
	ck_assert_uint_eq(CNT(b, drops), 0);		/* a was there first */

	udp_remove(rx);
	udp_remove(pg.tx);
	vdev_free(a);
	vdev_free(b);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_udp_v6_link_local_resolves_nd)
{
	struct udp_pcb *rx;
	struct dgrams d = { 0 };
	struct pinger pg;
	struct vdev *a, *b;
	ip_addr_t dst;
	struct seg s;

	seg_init(&s);
	pair_up(&s, &a, &b);
	rx = udp_rx_on(b, &d);
	ck_assert(ip6_addr_ispreferred(netif_ip6_addr_state(vdev_netif(b), 0)));
	ip_addr_copy_from_ip6(dst, *netif_ip6_addr(vdev_netif(b), 0));
	ip6_addr_assign_zone(ip_2_ip6(&dst), IP6_UNICAST, vdev_netif(a));
	pinger_init(&pg, &s, a, &dst, &d, 3);
	ck_assert_msg(run_until(&s, ping_cond, &pg, LINK_WAIT_MS),
		      "%u of %u sent delivered", d.got, pg.sent);
	ck_assert(!d.bad);

	udp_remove(rx);
	udp_remove(pg.tx);
	vdev_free(a);
	vdev_free(b);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_either_side_first_resumes)
{
	struct udp_pcb *rx;
	struct dgrams d = { 0 };
	struct pinger pg;
	struct vdev *a, *b;
	ip_addr_t dst;
	struct seg s;

	seg_init(&s);
	a = link1(&s, "a0", s.path[0], s.path[1]);
	set_ip4(a, "10.0.0.1");
	ip(&dst, "10.0.0.2");
	pinger_init(&pg, &s, a, &dst, &d, 1);
	/* Nobody at path 1 yet: frames dropped and counted, no error. */
	run_until(&s, ping_cond, &pg, 300);
	ck_assert_uint_gt(CNT(a, drops), 0);
	ck_assert_uint_eq(CNT(a, tx_packets), 0);
	b = link1(&s, "b0", s.path[1], s.path[0]);
	set_ip4(b, "10.0.0.2");
	rx = udp_rx_on(b, &d);
	ck_assert_msg(run_until(&s, ping_cond, &pg, LINK_WAIT_MS),
		      "%u of %u sent delivered", d.got, pg.sent);
	ck_assert_uint_gt(CNT(a, tx_packets), 0);

	udp_remove(rx);
	udp_remove(pg.tx);
	vdev_free(a);
	vdev_free(b);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_restart_resumes)
{
	struct udp_pcb *rx;
	struct dgrams d = { 0 };
	struct pinger pg;
	struct vdev *a, *b;
	uint8_t mac[6];
	uint64_t drops;
	ip_addr_t dst;
	struct seg s;

	seg_init(&s);
	pair_up(&s, &a, &b);
	memcpy(mac, vdev_mac(b), 6);
	rx = udp_rx_on(b, &d);
	ip(&dst, "10.0.0.2");
	pinger_init(&pg, &s, a, &dst, &d, 1);
	ck_assert(run_until(&s, ping_cond, &pg, LINK_WAIT_MS));

	/* b goes away: its path with it, so a's frames are dropped. */
	udp_remove(rx);
	vdev_free(b);
	ck_assert_int_eq(access(s.path[1], F_OK), -1);
	drops = CNT(a, drops);
	d.got = 0;
	run_until(&s, ping_cond, &pg, 200);
	ck_assert_uint_gt(CNT(a, drops), drops);

	/* And comes back with the same MAC: a's ARP entry still holds. */
	b = link1(&s, "b0", s.path[1], s.path[0]);
	set_ip4(b, "10.0.0.2");
	ck_assert_mem_eq(vdev_mac(b), mac, 6);
	rx = udp_rx_on(b, &d);
	pg.want = 3;
	ck_assert_msg(run_until(&s, ping_cond, &pg, LINK_WAIT_MS),
		      "after restart %u delivered", d.got);

	udp_remove(rx);
	udp_remove(pg.tx);
	vdev_free(a);
	vdev_free(b);
	seg_fini(&s);
}
END_TEST

/* ---- frame level: a plain socket in the test plays a station ---- */

static int station(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	ck_assert_int_ge(fd, 0);
	if (path) {
		strcpy(sa.sun_path, path);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	}
	return fd;
}

static void station_send(int fd, const char *to, const void *f, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	strcpy(sa.sun_path, to);
	ck_assert_int_eq(sendto(fd, f, len, 0, (struct sockaddr *)&sa, sizeof(sa)),
			 (ssize_t)len);
}

/* Frames waiting at @fd addressed to @dst (draining all); -1 if another
 * unicast frame is among them. */
static int frames_to(int fd, const uint8_t *dst)
{
	uint8_t f[2048];
	ssize_t n;
	int got = 0;

	while ((n = recv(fd, f, sizeof(f), MSG_DONTWAIT)) >= 0) {
		ck_assert_int_ge(n, 14);
		if (!memcmp(f, dst, 6))
			got++;
		else if (!(f[0] & 1))
			return -1;
	}
	return got;
}

/* An ARP @op frame: Ethernet @src to @dst, sender @sha/@spa asking @tpa. */
static size_t arp_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src,
			uint16_t op, const uint8_t *sha, const char *spa,
			const char *tpa)
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 0 };
	ip_addr_t a;

	memset(f, 0, 60);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	memcpy(f + 14, hdr, 8);
	f[21] = (uint8_t)op;
	memcpy(f + 22, sha, 6);
	ip(&a, spa);
	memcpy(f + 28, &ip_2_ip4(&a)->addr, 4);
	ip(&a, tpa);
	memcpy(f + 38, &ip_2_ip4(&a)->addr, 4);
	return 60;
}

/* A frame lwIP ignores (local experimental ethertype), from @src. */
static size_t junk_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src,
			 size_t len)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	return len;
}

struct rx_wait {
	struct vdev *dev;
	uint64_t rx, drops;	/* wait until the counters reach these */
};

static bool rx_reached(void *arg)
{
	struct rx_wait *w = arg;

	return CNT(w->dev, rx_packets) >= w->rx && CNT(w->dev, drops) >= w->drops;
}

/* Send @f from @fd to @dev at @path and wait until @dev counted it. */
static void feed(struct seg *s, int fd, struct vdev *dev, const char *path,
		 const void *f, size_t len, bool accepted)
{
	uint64_t rx0 = CNT(dev, rx_packets), drops0 = CNT(dev, drops);
	struct rx_wait w = { dev, rx0 + accepted, drops0 + !accepted };

	station_send(fd, path, f, len);
	ck_assert_msg(run_until(s, rx_reached, &w, LINK_WAIT_MS),
		      "frame of %zu bytes not %s", len,
		      accepted ? "received" : "dropped");
	ck_assert_uint_eq(CNT(dev, rx_packets), rx0 + accepted);
	ck_assert_uint_eq(CNT(dev, drops), drops0 + !accepted);
}

static const uint8_t mac_m1[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_mx[6] = { 0x02, 0, 0, 0, 0, 0x0a };

START_TEST(vdev_link_shared_floods_then_learns)
{
	const char *remote[2];
	uint8_t f[64];
	struct vdev *d;
	struct seg s;
	int x, y;

	seg_init(&s);
	x = station(s.path[1]);
	y = station(s.path[2]);
	remote[0] = s.path[1];
	remote[1] = s.path[2];
	d = link_n(&s, "sw0", s.path[0], remote, 2);
	set_ip4(d, "10.0.0.1");
	run_for(&s, 50);
	frames_to(x, bcast);
	frames_to(y, bcast);

	/* Broadcast goes to both. */
	arp_frame(f, bcast, mac_m1, 1, mac_m1, "10.0.0.8", "10.0.0.1");
	feed(&s, x, d, s.path[0], f, 60, true);
	ck_assert_int_eq(frames_to(x, mac_m1), 1);	/* m1 learned at x */
	ck_assert_int_eq(frames_to(y, mac_m1), 0);
	/* Unknown unicast (the reply goes to the ARP sender mx, never seen
	 * as a source) goes to both. */
	arp_frame(f, bcast, mac_m1, 1, mac_mx, "10.0.0.9", "10.0.0.1");
	feed(&s, x, d, s.path[0], f, 60, true);
	ck_assert_int_eq(frames_to(x, mac_mx), 1);
	ck_assert_int_eq(frames_to(y, mac_mx), 1);
	/* mx speaks from y: then frames for mx go to y only ... */
	junk_frame(f, vdev_mac(d), mac_mx, 60);
	feed(&s, y, d, s.path[0], f, 60, true);
	arp_frame(f, bcast, mac_m1, 1, mac_mx, "10.0.0.9", "10.0.0.1");
	feed(&s, x, d, s.path[0], f, 60, true);
	ck_assert_int_eq(frames_to(x, mac_mx), 0);
	ck_assert_int_eq(frames_to(y, mac_mx), 1);
	/* ... until mx moves to x. */
	junk_frame(f, vdev_mac(d), mac_mx, 60);
	feed(&s, x, d, s.path[0], f, 60, true);
	arp_frame(f, bcast, mac_m1, 1, mac_mx, "10.0.0.9", "10.0.0.1");
	feed(&s, x, d, s.path[0], f, 60, true);
	ck_assert_int_eq(frames_to(x, mac_mx), 1);
	ck_assert_int_eq(frames_to(y, mac_mx), 0);
	ck_assert_uint_eq(CNT(d, drops), 0);

	vdev_free(d);
	close(x);
	close(y);
	unlink(s.path[1]);
	unlink(s.path[2]);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_stranger_frames_dropped)
{
	int x, stranger, anon;
	uint8_t f[64];
	struct vdev *d;
	struct seg s;

	seg_init(&s);
	x = station(s.path[1]);
	stranger = station(s.path[2]);
	anon = station(NULL);
	d = link1(&s, "d0", s.path[0], s.path[1]);
	set_ip4(d, "10.0.0.1");
	run_for(&s, 50);
	frames_to(x, bcast);
	ck_assert_uint_eq(CNT(d, drops), 0);

	arp_frame(f, bcast, mac_m1, 1, mac_m1, "10.0.0.8", "10.0.0.1");
	feed(&s, stranger, d, s.path[0], f, 60, false);
	feed(&s, anon, d, s.path[0], f, 60, false);
	ck_assert_int_eq(frames_to(x, mac_m1), 0);	/* no ARP reply */
	feed(&s, x, d, s.path[0], f, 60, true);		/* the same, from x */
	ck_assert_int_eq(frames_to(x, mac_m1), 1);
	ck_assert_uint_eq(CNT(d, drops), 2);

	vdev_free(d);
	close(x);
	close(stranger);
	close(anon);
	unlink(s.path[1]);
	unlink(s.path[2]);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_frame_size_checked)
{
	uint8_t f[9100];
	struct vdev *d;
	struct seg s;
	int x;

	memset(f, 0, sizeof(f));
	seg_init(&s);
	x = station(s.path[1]);
	d = link1(&s, "d0", s.path[0], s.path[1]);
	junk_frame(f, vdev_mac(d), mac_m1, 1514);
	feed(&s, x, d, s.path[0], f, 1514, true);
	feed(&s, x, d, s.path[0], f, 1515, false);
	feed(&s, x, d, s.path[0], f, 13, false);
	/* A VLAN tag may add 4 bytes. */
	junk_frame(f, vdev_mac(d), mac_m1, 1518);
	f[12] = 0x81;
	f[13] = 0x00;
	feed(&s, x, d, s.path[0], f, 1518, true);
	feed(&s, x, d, s.path[0], f, 1519, false);
	/* The limit follows the MTU. */
	ck_assert_int_eq(vdev_set_mtu(d, 9000), 0);
	junk_frame(f, vdev_mac(d), mac_m1, 9014);
	feed(&s, x, d, s.path[0], f, 9014, true);
	feed(&s, x, d, s.path[0], f, 9015, false);
	/* A device that is down takes nothing. */
	vdev_set_up(d, false);
	feed(&s, x, d, s.path[0], f, 100, false);

	vdev_free(d);
	close(x);
	unlink(s.path[1]);
	seg_fini(&s);
}
END_TEST

/* The sequence numbers of the 0x88b5 frames in the pcap file @path, in
 * the order recorded: the frames lwIP was handed.  Returns how many. */
static unsigned int pcap_seqs(const char *path, uint32_t *seq, unsigned int max)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned int n = 0;
	pcap_t *pc;

	pc = pcap_open_offline(path, ebuf);
	ck_assert_msg(pc != NULL, "%s", ebuf);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (h->caplen < 18 || data[12] != 0x88 || data[13] != 0xb5)
			continue;	/* ARP, MLD, ... sent by the device */
		ck_assert_uint_lt(n, max);
		memcpy(&seq[n++], data + 14, 4);
	}
	pcap_close(pc);
	return n;
}

/* A numbered junk frame of @len bytes for @dev, sent from @fd. */
static void queue_seq(struct seg *s, int fd, struct vdev *dev, uint8_t *f,
		      size_t len, uint32_t seq)
{
	junk_frame(f, vdev_mac(dev), mac_m1, len);
	memcpy(f + 14, &seq, 4);
	station_send(fd, s->path[0], f, len);
}

/*
 * Frames waiting together are read in batches (recvmmsg() into slots of
 * the MTU's size): each is judged alone, as one read at a time would, and
 * they reach lwIP in the order sent, with the batch several slots short
 * (MTU 1500: one call) or many frames long (MTU 65535: three slots a call).
 */
START_TEST(vdev_link_batch_judges_each_frame)
{
	static uint8_t f[65536];
	static const uint32_t want1[] = { 0, 1, 3, 4, 6, 8, 9 };
	static const uint32_t want2[] = { 10, 11, 12, 13, 15, 16, 17 };
	int x, stranger, sndbuf = 4 << 20;
	uint64_t rx0, drops0;
	struct rx_wait w;
	uint32_t seq[32];
	struct vdev *d;
	char file[96];
	struct seg s;
	unsigned int i;

	seg_init(&s);
	snprintf(file, sizeof(file), "%s/d0.pcap", s.dir);
	x = station(s.path[1]);
	ck_assert_int_eq(setsockopt(x, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
				    sizeof(sndbuf)) == 0 ||
			 setsockopt(x, SOL_SOCKET, SO_SNDBUF, &sndbuf,
				    sizeof(sndbuf)) == 0, 1);
	stranger = station(s.path[2]);
	d = link1(&s, "d0", s.path[0], s.path[1]);
	run_for(&s, 50);
	ck_assert_int_eq(vdev_pcap_start(d, file, 0, 0, s.err, sizeof(s.err)), 0);

	/* ten waiting at once (the receiver's queue holds ten): three bad */
	rx0 = CNT(d, rx_packets);
	drops0 = CNT(d, drops);
	for (i = 0; i < 10; i++) {
		if (i == 2)
			queue_seq(&s, x, d, f, 1515, i);	/* over the MTU */
		else if (i == 5)
			queue_seq(&s, x, d, f, 13, i);		/* a runt */
		else if (i == 7)
			queue_seq(&s, stranger, d, f, 100, i);	/* not a remote */
		else
			queue_seq(&s, x, d, f, i & 1 ? 1514 : 60, i);
	}
	w = (struct rx_wait){ d, rx0 + 7, drops0 + 3 };
	ck_assert(run_until(&s, rx_reached, &w, LINK_WAIT_MS));
	ck_assert_uint_eq(CNT(d, rx_packets), rx0 + 7);
	ck_assert_uint_eq(CNT(d, drops), drops0 + 3);

	/* MTU 65535: three slots a call, so the eight take three calls; a
	 * pbuf holds 65535 bytes at most */
	ck_assert_int_eq(vdev_set_mtu(d, 65535), 0);
	rx0 = CNT(d, rx_packets);
	drops0 = CNT(d, drops);
	for (i = 10; i < 18; i++)
		queue_seq(&s, x, d, f, i == 14 ? 65536 : i & 1 ? 65535 : 20000,
			  i);
	w = (struct rx_wait){ d, rx0 + 7, drops0 + 1 };
	ck_assert(run_until(&s, rx_reached, &w, LINK_WAIT_MS));
	ck_assert_uint_eq(CNT(d, rx_packets), rx0 + 7);
	ck_assert_uint_eq(CNT(d, drops), drops0 + 1);

	vdev_pcap_stop(d);
	ck_assert_uint_eq(pcap_seqs(file, seq, 32), 14);
	for (i = 0; i < 7; i++) {
		ck_assert_uint_eq(seq[i], want1[i]);
		ck_assert_uint_eq(seq[7 + i], want2[i]);
	}

	vdev_free(d);
	close(x);
	close(stranger);
	unlink(file);
	unlink(s.path[1]);
	unlink(s.path[2]);
	seg_fini(&s);
}
END_TEST

/* Send @n numbered broadcast datagrams out of @dev at once, from @first. */
static void bcast_burst(struct vdev *dev, unsigned int first, unsigned int n)
{
	struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
	ip_addr_t dst;
	unsigned int i;

	ck_assert_ptr_nonnull(pcb);
	ip(&dst, "10.0.0.255");
	for (i = first; i < first + n; i++) {
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 4, PBUF_RAM);

		ck_assert_ptr_nonnull(p);
		memcpy(p->payload, &i, 4);
		ck_assert_int_eq(udp_sendto_if(pcb, p, &dst, 9, vdev_netif(dev)), ERR_OK);
		pbuf_free(p);
	}
	udp_remove(pcb);
}

/* A station reading numbered datagrams: must come in order. */
struct reader {
	int fd;
	unsigned int next, want;
	bool disorder;
};

static bool read_numbered(void *arg)
{
	struct reader *r = arg;
	uint8_t f[2048];
	unsigned int i;
	ssize_t n;

	while ((n = recv(r->fd, f, sizeof(f), MSG_DONTWAIT)) >= 0) {
		if (n != 14 + 20 + 8 + 4 || f[12] != 0x08 || f[13] != 0x00)
			continue;	/* ARP, MLD */
		memcpy(&i, f + 42, 4);
		if (i != r->next)
			r->disorder = true;
		r->next = i + 1;
	}
	return r->next >= r->want;
}

START_TEST(vdev_link_burst_waits_for_room_in_order)
{
	struct reader rd = { 0 };
	uint64_t drops;
	struct vdev *d;
	struct seg s;

	seg_init(&s);
	rd.fd = station(s.path[1]);
	d = link1(&s, "d0", s.path[0], s.path[1]);
	set_ip4(d, "10.0.0.1");
	run_for(&s, 50);
	frames_to(rd.fd, bcast);
	/* Far more than an AF_UNIX receiver queues (max_dgram_qlen). */
	bcast_burst(d, 0, 500);
	rd.want = 500;
	ck_assert_msg(run_until(&s, read_numbered, &rd, LINK_WAIT_MS),
		      "got %u of 500", rd.next);
	ck_assert(!rd.disorder);
	ck_assert_uint_eq(CNT(d, drops), 0);

	/* The station goes away with frames waiting: they are dropped ... */
	bcast_burst(d, 500, 100);
	close(rd.fd);
	unlink(s.path[1]);
	run_for(&s, 100);
	drops = CNT(d, drops);
	ck_assert_uint_gt(drops, 0);
	ck_assert_uint_le(drops, 100);
	/* ... and a new one at the path gets what comes next. */
	rd.fd = station(s.path[1]);
	rd.next = 1000;
	rd.want = 1050;
	bcast_burst(d, 1000, 50);
	ck_assert_msg(run_until(&s, read_numbered, &rd, LINK_WAIT_MS),
		      "after restart got up to %u", rd.next);
	ck_assert(!rd.disorder);
	ck_assert_uint_eq(CNT(d, drops), drops);

	vdev_free(d);
	close(rd.fd);
	unlink(s.path[1]);
	seg_fini(&s);
}
END_TEST

/* A numbered datagram's length: small for MTU 1500, else mixed sizes
 * that a 64 KiB receive slot takes whole (63000) or copies (the rest). */
static u16_t seq_len(unsigned int i, bool big)
{
	static const u16_t sizes[] = { 63000, 100, 30000, 4 };

	return big ? sizes[i % 4] : (u16_t)(4 + (i * 7) % 1400);
}

/* A receiver of numbered datagrams: each complete, in order. */
struct seqrx {
	unsigned int next, want;
	bool big, bad;
};

static void on_seq(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		   const ip_addr_t *addr, u16_t port)
{
	static uint8_t b[65536];
	struct seqrx *q = arg;
	unsigned int i, k;

	pbuf_copy_partial(p, b, p->tot_len, 0);
	memcpy(&i, b, 4);
	if (i != q->next || p->tot_len != seq_len(i, q->big))
		q->bad = true;
	for (k = 4; k < p->tot_len; k++)
		if (b[k] != (uint8_t)(i + k))
			q->bad = true;
	q->next = i + 1;
	pbuf_free(p);
}

static bool seq_done(void *arg)
{
	struct seqrx *q = arg;

	return q->bad || q->next >= q->want;
}

/* Send datagrams @first..@first+@n-1 out of @dev at once (broadcast). */
static void seq_send(struct vdev *dev, unsigned int first, unsigned int n,
		     bool big)
{
	struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
	ip_addr_t dst;
	unsigned int i, k;

	ck_assert_ptr_nonnull(pcb);
	ip(&dst, "10.0.0.255");
	for (i = first; i < first + n; i++) {
		u16_t len = seq_len(i, big);
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, len, PBUF_RAM);
		uint8_t *b;

		ck_assert_ptr_nonnull(p);
		b = p->payload;
		memcpy(b, &i, 4);
		for (k = 4; k < len; k++)
			b[k] = (uint8_t)(i + k);
		ck_assert_int_eq(udp_sendto_if(pcb, p, &dst, 5354,
					       vdev_netif(dev)), ERR_OK);
		pbuf_free(p);
	}
	udp_remove(pcb);
}

START_TEST(vdev_link_batched_burst_complete_in_order)
{
	struct seqrx q = { .want = 500 };
	uint64_t drops_a, drops_b;
	struct udp_pcb *rx;
	struct vdev *a, *b;
	struct seg s;

	seg_init(&s);
	pair_up(&s, &a, &b);
	set_ip4(a, "10.0.0.1");
	set_ip4(b, "10.0.0.2");
	rx = udp_new_ip_type(IPADDR_TYPE_V4);
	ck_assert_ptr_nonnull(rx);
	ck_assert_int_eq(udp_bind(rx, IP_ANY_TYPE, 5354), ERR_OK);
	udp_bind_netif(rx, vdev_netif(b));
	udp_recv(rx, on_seq, &q);
	run_for(&s, 50);
	drops_a = CNT(a, drops);	/* a's first frames: b not there yet */
	drops_b = CNT(b, drops);
	/* Several send batches in one go, most of them waiting for room. */
	seq_send(a, 0, 500, false);
	ck_assert_msg(run_until(&s, seq_done, &q, LINK_WAIT_MS),
		      "got %u of 500", q.next);
	ck_assert(!q.bad);
	/* Receive slots resized for the MTU, frames taken whole or copied. */
	ck_assert_int_eq(vdev_set_mtu(a, 65535), 0);
	ck_assert_int_eq(vdev_set_mtu(b, 65535), 0);
	q.big = true;
	q.want = 560;
	seq_send(a, 500, 60, true);
	ck_assert_msg(run_until(&s, seq_done, &q, LINK_WAIT_MS),
		      "got up to %u of 560", q.next);
	ck_assert_msg(!q.bad, "datagram %u damaged or out of order", q.next - 1);
	ck_assert_uint_eq(CNT(a, drops), drops_a);
	ck_assert_uint_eq(CNT(b, drops), drops_b);
	ck_assert_uint_ge(CNT(b, rx_packets), 560);

	udp_remove(rx);
	vdev_free(a);
	vdev_free(b);
	seg_fini(&s);
}
END_TEST

/* ---- UDP endpoints ---- */

/* A free UDP port on @addr (bind to 0, read it back, close). */
static unsigned int free_port(int family, const char *addr)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(ss);
	int fd = socket(family, SOCK_DGRAM, 0);
	unsigned int port;

	ck_assert_int_ge(fd, 0);
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr);
	else
		inet_pton(AF_INET6, addr, &((struct sockaddr_in6 *)&ss)->sin6_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
			      sizeof(struct sockaddr_in) :
			      sizeof(struct sockaddr_in6)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
		     ((struct sockaddr_in6 *)&ss)->sin6_port);
	close(fd);
	return port;
}

static void udp_endpoints(int family, const char *host)
{
	bool v6 = family == AF_INET6;
	char ea[64], eb[64];
	struct udp_pcb *rx;
	struct dgrams d = { 0 };
	struct pinger pg;
	struct vdev *a, *b;
	ip_addr_t dst;
	struct seg s;

	seg_init(&s);
	snprintf(ea, sizeof(ea), "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
		 free_port(family, host));
	snprintf(eb, sizeof(eb), "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
		 free_port(family, host));
	a = link1(&s, "a0", ea, eb);
	b = link1(&s, "b0", eb, ea);
	set_ip4(a, "10.0.0.1");
	set_ip4(b, "10.0.0.2");
	rx = udp_rx_on(b, &d);
	ip(&dst, "10.0.0.2");
	pinger_init(&pg, &s, a, &dst, &d, 3);
	ck_assert_msg(run_until(&s, ping_cond, &pg, LINK_WAIT_MS),
		      "%s -> %s: %u of %u delivered", ea, eb, d.got, pg.sent);
	ck_assert(!d.bad);
	ck_assert_uint_eq(CNT(b, drops), 0);

	udp_remove(rx);
	udp_remove(pg.tx);
	vdev_free(a);
	vdev_free(b);
	/* The ports are free again at once. */
	a = link1(&s, "a0", ea, eb);
	vdev_free(a);
	seg_fini(&s);
}

START_TEST(vdev_link_udp_v4_endpoints_carry_frames)
{
	udp_endpoints(AF_INET, "127.0.0.1");
}
END_TEST

START_TEST(vdev_link_udp_v6_endpoints_carry_frames)
{
	udp_endpoints(AF_INET6, "::1");
}
END_TEST

/* ---- errors ---- */

struct bad_ep {
	const char *local, *remote;
	int ret;
	const char *msg;
};

START_TEST(vdev_link_bad_endpoints_einval_with_reason)
{
	static const struct bad_ep bad[] = {
		{ "10.0.0.1:x", "10.0.0.2:1", -EINVAL, "local '10.0.0.1:x': bad port" },
		{ "127.0.0.1:0", "10.0.0.2:1", -EINVAL, "local '127.0.0.1:0': bad port" },
		{ "127.0.0.1:65536", "10.0.0.2:1", -EINVAL, "bad port" },
		{ "127.0.0.1:", "10.0.0.2:1", -EINVAL, "bad port" },
		{ "localhost:5000", "10.0.0.2:1", -EINVAL,
		  "local 'localhost:5000': not a numeric IPv4 address" },
		{ "::1:5000", "[::1]:1", -EINVAL, "needs brackets" },
		{ "[::1]5000", "[::1]:1", -EINVAL, "expected [IPV6]:PORT" },
		{ "[::g]:5000", "[::1]:1", -EINVAL, "not a numeric IPv6" },
		{ "5000", "10.0.0.2:1", -EINVAL, "local '5000': expected HOST:PORT" },
		{ "", "10.0.0.2:1", -EINVAL, "local '': empty" },
		{ "127.0.0.1:5000", "10.0.0.2:y", -EINVAL, "remote '10.0.0.2:y': bad port" },
		{ "127.0.0.1:5000", "/tmp/x", -EINVAL, "remote '/tmp/x': not the same kind" },
		{ "127.0.0.1:5000", "[::1]:5000", -EINVAL, "not the same kind" },
	};
	char longpath[200];
	struct vdev_link_opts o = { 0 };
	struct vdev *dev = NULL;
	const char *r[1];
	struct seg s;
	size_t i;

	seg_init(&s);
	o.remote = r;
	o.n_remote = 1;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.local = bad[i].local;
		r[0] = bad[i].remote;
		s.err[0] = '\0';
		ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err,
					       sizeof(s.err), &dev), bad[i].ret);
		ck_assert_msg(strstr(s.err, bad[i].msg), "%s: got \"%s\", want \"%s\"",
			      bad[i].local, s.err, bad[i].msg);
	}
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	o.local = longpath;
	r[0] = s.path[1];
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), -ENAMETOOLONG);
	ck_assert_ptr_nonnull(strstr(s.err, "too long"));
	o.local = s.path[0];
	o.n_remote = 0;
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), -EINVAL);
	ck_assert_str_eq(s.err, "remote: none given");
	o.n_remote = 1;
	ck_assert_int_eq(vdev_link_new(&s.loop, "0123456789abcdef", &o, s.err,
				       sizeof(s.err), &dev), -EINVAL);
	ck_assert_int_eq(vdev_link_new(&s.loop, "", &o, s.err, sizeof(s.err),
				       &dev), -EINVAL);
	ck_assert_ptr_null(dev);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_bind_errors_and_stale_socket)
{
	struct vdev_link_opts o = { 0 };
	struct vdev *dev = NULL, *a;
	char noent[96], ep[64];
	const char *r[1];
	struct seg s;
	int fd;

	seg_init(&s);
	r[0] = s.path[1];
	o.remote = r;
	o.n_remote = 1;
	/* In use by a live socket. */
	a = link1(&s, "a0", s.path[0], s.path[1]);
	o.local = s.path[0];
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), -EADDRINUSE);
	ck_assert_ptr_nonnull(strstr(s.err, s.path[0]));
	vdev_free(a);
	/* No such directory. */
	snprintf(noent, sizeof(noent), "%s/none/x", s.dir);
	o.local = noent;
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), -ENOENT);
	/* A stale socket file (its owner gone) is replaced. */
	fd = station(s.path[2]);
	close(fd);
	ck_assert_int_eq(access(s.path[2], F_OK), 0);
	o.local = s.path[2];
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), 0);
	vdev_free(dev);
	ck_assert_int_eq(access(s.path[2], F_OK), -1);	/* unlinked */
	/* A UDP port in use. */
	snprintf(ep, sizeof(ep), "127.0.0.1:%u", free_port(AF_INET, "127.0.0.1"));
	r[0] = "127.0.0.1:9";
	a = link1(&s, "a0", ep, r[0]);
	o.local = ep;
	dev = NULL;
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), -EADDRINUSE);
	ck_assert_ptr_null(dev);
	vdev_free(a);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_mtu_bounds)
{
	static const unsigned int bad[] = { 1, 67, 65536, 100000 };
	static const unsigned int good[] = { 68, 1500, 9000, 65535 };
	struct vdev_link_opts o = { 0 };
	struct vdev *dev = NULL;
	const char *r[1];
	struct seg s;
	size_t i;

	seg_init(&s);
	r[0] = s.path[1];
	o.local = s.path[0];
	o.remote = r;
	o.n_remote = 1;
	for (i = 0; i < 4; i++) {
		o.mtu = bad[i];
		ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err,
					       sizeof(s.err), &dev), -EINVAL);
		ck_assert_ptr_nonnull(strstr(s.err, "mtu"));
	}
	ck_assert_ptr_null(dev);
	for (i = 0; i < 4; i++) {
		o.mtu = good[i];
		ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err,
					       sizeof(s.err), &dev), 0);
		ck_assert_uint_eq(vdev_mtu(dev), good[i]);
		ck_assert_uint_eq(vdev_netif(dev)->mtu6, good[i]);
		vdev_free(dev);
	}
	o.mtu = 0;
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), 0);
	ck_assert_uint_eq(vdev_mtu(dev), 1500);
	ck_assert_int_eq(vdev_set_mtu(dev, 67), -EINVAL);
	ck_assert_int_eq(vdev_set_mtu(dev, 65536), -EINVAL);
	ck_assert_uint_eq(vdev_mtu(dev), 1500);
	ck_assert_int_eq(vdev_set_mtu(dev, 68), 0);
	ck_assert_int_eq(vdev_set_mtu(dev, 65535), 0);
	ck_assert_uint_eq(vdev_mtu(dev), 65535);
	ck_assert_uint_eq(vdev_netif(dev)->mtu6, 65535);
	vdev_free(dev);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_link_accessors)
{
	static const uint8_t given[6] = { 0x0a, 1, 2, 3, 4, 5 };
	static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	struct vdev_link_opts o = { 0 };
	struct vdev *dev, *lo;
	const uint8_t *m;
	const ip6_addr_t *ll;
	uint8_t mac1[6];
	const char *r[2];
	char desc[160];
	struct seg s;

	seg_init(&s);
	r[0] = s.path[1];
	r[1] = s.path[2];
	dev = link_n(&s, "eth0", s.path[0], r, 2);
	ck_assert_str_eq(vdev_kind(dev), "link");
	ck_assert_str_eq(vdev_name(dev), "eth0");
	vdev_describe(dev, desc, sizeof(desc));
	snprintf(s.err, sizeof(s.err), "local %s remote %s,%s", s.path[0],
		 s.path[1], s.path[2]);
	ck_assert_str_eq(desc, s.err);
	vdev_describe(dev, desc, 8);
	ck_assert_str_eq(desc, "local /");
	ck_assert_int_eq(vdev_rename(dev, "wan0"), 0);
	ck_assert_str_eq(vdev_name(dev), "wan0");
	ck_assert_int_eq(vdev_rename(dev, "0123456789abcdef"), -EINVAL);
	ck_assert_int_eq(vdev_rename(dev, ""), -EINVAL);
	ck_assert_str_eq(vdev_name(dev), "wan0");
	ck_assert(vdev_is_up(dev));
	ck_assert(vdev_carrier(dev));
	vdev_set_up(dev, false);
	ck_assert(!vdev_is_up(dev));
	ck_assert(!netif_is_up(vdev_netif(dev)));
	vdev_set_up(dev, true);
	ck_assert(vdev_is_up(dev));

	/* Stable MAC: locally administered unicast, the netif's, and the
	 * link-local address made from it. */
	m = vdev_mac(dev);
	memcpy(mac1, m, 6);
	ck_assert_uint_eq(m[0] & 3, 2);
	ck_assert_mem_eq(vdev_netif(dev)->hwaddr, m, 6);
	ll = netif_ip6_addr(vdev_netif(dev), 0);
	ck_assert(ip6_addr_islinklocal(ll));
	ck_assert(ip6_addr_ispreferred(netif_ip6_addr_state(vdev_netif(dev), 0)));
	ck_assert_uint_eq(((const uint8_t *)ll->addr)[8], m[0] ^ 2);
	ck_assert_mem_eq((const uint8_t *)ll->addr + 13, m + 3, 3);
	vdev_free(dev);
	dev = link_n(&s, "eth0", s.path[0], r, 2);
	ck_assert_mem_eq(vdev_mac(dev), mac1, 6);	/* same inputs, same MAC */
	vdev_free(dev);
	dev = link_n(&s, "eth1", s.path[0], r, 2);
	ck_assert_mem_ne(vdev_mac(dev), mac1, 6);	/* another name */
	vdev_free(dev);
	o.local = s.path[0];
	o.remote = r;
	o.n_remote = 1;
	o.mac = given;
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, NULL, 0, &dev), 0);
	ck_assert_mem_eq(vdev_mac(dev), given, 6);
	ck_assert_uint_eq(vdev_max_mtu(dev), 65535);	/* a veth's */
	ck_assert_int_eq(vdev_set_mtu(dev, 65536), -EINVAL);
	vdev_free(dev);
	o.mac = mcast;
	ck_assert_int_eq(vdev_link_new(&s.loop, "e0", &o, s.err, sizeof(s.err),
				       &dev), -EINVAL);
	ck_assert_ptr_nonnull(strstr(s.err, "01:00:5e:00:00:01"));

	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	ck_assert_str_eq(vdev_kind(lo), "loopback");
	ck_assert_mem_eq(vdev_mac(lo), "\0\0\0\0\0\0", 6);
	/* Linux's 65536, any up to INT_MAX; lwIP works with 65535 of it */
	ck_assert_uint_eq(vdev_mtu(lo), 65536);
	ck_assert_uint_eq(vdev_max_mtu(lo), 2147483647u);
	ck_assert_int_eq(vdev_set_mtu(lo, 100000), 0);
	ck_assert_uint_eq(vdev_mtu(lo), 100000);
	ck_assert_uint_eq(vdev_netif(lo)->mtu, 65535);
	ck_assert_int_eq(vdev_set_mtu(lo, 67), -EINVAL);
	ck_assert_int_eq(vdev_set_mtu(lo, 1500), 0);
	ck_assert_uint_eq(vdev_netif(lo)->mtu, 1500);
	vdev_describe(lo, desc, sizeof(desc));
	ck_assert_str_eq(desc, "");
	vdev_free(lo);
	seg_fini(&s);
}
END_TEST

/* ---- the pcap tap ---- */

struct pcap_sum {
	unsigned int packets;
	uint64_t bytes;
	int linktype, precision;
	bool ts_ok;			/* every stamp within the test's run */
	uint8_t first[64];		/* the first packet's start */
};

/* Read @path back with libpcap; false if it cannot be opened. */
static bool pcap_read(const char *path, struct pcap_sum *sum)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct timespec now;
	pcap_t *pc;

	memset(sum, 0, sizeof(*sum));
	pc = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!pc)
		return false;
	clock_gettime(CLOCK_REALTIME, &now);
	sum->linktype = pcap_datalink(pc);
	sum->precision = pcap_get_tstamp_precision(pc);
	sum->ts_ok = true;
	while (pcap_next_ex(pc, &h, &data) == 1) {
		ck_assert_uint_eq(h->caplen, h->len);
		if (!sum->packets)
			memcpy(sum->first, data, h->caplen < 64 ? h->caplen : 64);
		sum->packets++;
		sum->bytes += h->len;
		if (h->ts.tv_sec > now.tv_sec || h->ts.tv_sec < now.tv_sec - 60 ||
		    h->ts.tv_usec >= 1000000000)
			sum->ts_ok = false;
	}
	pcap_close(pc);
	return true;
}

START_TEST(vdev_pcap_link_records_every_frame)
{
	struct pcap_sum sum, again;
	struct vdev_counters c0, c1;
	char file[96], file1[100];
	struct udp_pcb *rx;
	struct dgrams d = { 0 };
	struct pinger pg;
	struct vdev *a, *b;
	ip_addr_t dst;
	struct seg s;

	seg_init(&s);
	snprintf(file, sizeof(file), "%s/a.pcap", s.dir);
	snprintf(file1, sizeof(file1), "%s.1", file);
	pair_up(&s, &a, &b);
	ck_assert(!vdev_pcap_active(a));
	vdev_counters(a, &c0);
	ck_assert_int_eq(vdev_pcap_start(a, file, 0, 0, s.err, sizeof(s.err)), 0);
	ck_assert(vdev_pcap_active(a));
	rx = udp_rx_on(b, &d);
	ip(&dst, "10.0.0.2");
	pinger_init(&pg, &s, a, &dst, &d, 5);
	ck_assert(run_until(&s, ping_cond, &pg, LINK_WAIT_MS));
	/* Flushed within about a second, while the tap still runs. */
	run_for(&s, 400);
	ck_assert(pcap_read(file, &sum));
	ck_assert_uint_ge(sum.packets, 7);	/* ARP both ways, 5 pings */

	vdev_pcap_stop(a);
	vdev_counters(a, &c1);
	ck_assert(!vdev_pcap_active(a));
	ck_assert(pcap_read(file, &sum));
	ck_assert_int_eq(sum.linktype, DLT_EN10MB);
	ck_assert_int_eq(sum.precision, PCAP_TSTAMP_PRECISION_NANO);
	ck_assert(sum.ts_ok);
	/* Every frame in and out since the start, byte for byte. */
	ck_assert_uint_eq(c1.drops, c0.drops);
	ck_assert_uint_eq(sum.packets, c1.tx_packets - c0.tx_packets +
			  c1.rx_packets - c0.rx_packets);
	ck_assert_uint_eq(sum.bytes, c1.tx_bytes - c0.tx_bytes +
			  c1.rx_bytes - c0.rx_bytes);
	ck_assert_int_eq(access(file1, F_OK), -1);	/* no rotation */
	/* Nothing more once stopped. */
	ping_once(&pg);
	run_for(&s, 50);
	ck_assert(pcap_read(file, &again));
	ck_assert_uint_eq(again.packets, sum.packets);

	udp_remove(rx);
	udp_remove(pg.tx);
	vdev_free(a);
	vdev_free(b);
	unlink(file);
	seg_fini(&s);
}
END_TEST

/* Loopback UDP "ping"s: 14 + 20 + 8 + 4 bytes each in the file. */
#define LO_REC		(16 + 46)
#define PCAP_HDR	24

static void lo_pings(struct seg *s, struct vdev *lo, const char *addr,
		     unsigned int n)
{
	struct udp_pcb *rx, *tx;
	struct dgrams d = { 0 };

	udp_burst(addr, n, &rx, &tx, &d);
	ck_assert_int_eq(uv_run(&s->loop, UV_RUN_DEFAULT), 0);
	ck_assert_uint_eq(d.got, n);
	udp_remove(rx);
	udp_remove(tx);
}

START_TEST(vdev_pcap_loopback_fake_ethernet_header)
{
	static const uint8_t zero[12];
	struct pcap_sum sum;
	char file[96];
	struct vdev *lo;
	struct seg s;

	seg_init(&s);
	snprintf(file, sizeof(file), "%s/lo.pcap", s.dir);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	ck_assert_int_eq(vdev_pcap_start(lo, file, 0, 0, s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "127.0.0.1", 3);
	vdev_pcap_stop(lo);
	ck_assert(pcap_read(file, &sum));
	ck_assert_uint_eq(sum.packets, 3);
	ck_assert_uint_eq(sum.bytes, 3 * 46);
	ck_assert_mem_eq(sum.first, zero, 12);
	ck_assert_uint_eq(sum.first[12], 0x08);
	ck_assert_uint_eq(sum.first[13], 0x00);
	ck_assert_uint_eq(sum.first[14], 0x45);		/* the IPv4 header */

	/* Restarting truncates; IPv6 gets 0x86dd. */
	ck_assert_int_eq(vdev_pcap_start(lo, file, 0, 0, s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "::1", 2);
	vdev_pcap_stop(lo);
	ck_assert(pcap_read(file, &sum));
	ck_assert_uint_eq(sum.packets, 2);
	ck_assert_uint_eq(sum.first[12], 0x86);
	ck_assert_uint_eq(sum.first[13], 0xdd);
	ck_assert_uint_eq(sum.first[14] >> 4, 6);

	vdev_free(lo);
	unlink(file);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_pcap_rotation_keeps_every_frame)
{
	char file[96], f1[100], f2[100];
	struct pcap_sum sum0, sum1;
	struct vdev *lo;
	struct seg s;

	seg_init(&s);
	snprintf(file, sizeof(file), "%s/lo.pcap", s.dir);
	snprintf(f1, sizeof(f1), "%s.1", file);
	snprintf(f2, sizeof(f2), "%s.2", file);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	/* Three records per file: 5 packets make FILE.1 (3) and FILE (2). */
	ck_assert_int_eq(vdev_pcap_start(lo, file, PCAP_HDR + 3 * LO_REC, 4,
					 s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "127.0.0.1", 5);
	vdev_pcap_stop(lo);
	ck_assert(pcap_read(file, &sum0));
	ck_assert(pcap_read(f1, &sum1));
	ck_assert_uint_eq(sum1.packets, 3);
	ck_assert_uint_eq(sum0.packets, 2);
	ck_assert_int_eq(access(f2, F_OK), -1);

	/* Two files at most: 10 packets fill 3 + 3 + 3 + 1; the oldest
	 * files go. */
	ck_assert_int_eq(vdev_pcap_start(lo, file, PCAP_HDR + 3 * LO_REC, 2,
					 s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "127.0.0.1", 10);
	vdev_pcap_stop(lo);
	ck_assert(pcap_read(file, &sum0));
	ck_assert(pcap_read(f1, &sum1));
	ck_assert_uint_eq(sum0.packets, 1);
	ck_assert_uint_eq(sum1.packets, 3);
	ck_assert_int_eq(access(f2, F_OK), -1);

	vdev_free(lo);
	unlink(file);
	unlink(f1);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_pcap_start_errors_and_replace)
{
	char bad[96], f1[96], f2[96];
	struct pcap_sum sum;
	struct vdev *lo;
	struct seg s;

	seg_init(&s);
	snprintf(bad, sizeof(bad), "%s/none/x.pcap", s.dir);
	snprintf(f1, sizeof(f1), "%s/1.pcap", s.dir);
	snprintf(f2, sizeof(f2), "%s/2.pcap", s.dir);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	ck_assert_int_eq(vdev_pcap_start(lo, bad, 0, 0, s.err, sizeof(s.err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(s.err, bad));
	ck_assert(!vdev_pcap_active(lo));
	ck_assert_int_eq(vdev_pcap_start(lo, "", 0, 0, s.err, sizeof(s.err)), -EINVAL);

	/* A second start stops the first: its file is complete. */
	ck_assert_int_eq(vdev_pcap_start(lo, f1, 0, 0, s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "127.0.0.1", 2);
	ck_assert_int_eq(vdev_pcap_start(lo, f2, 0, 0, s.err, sizeof(s.err)), 0);
	ck_assert(pcap_read(f1, &sum));
	ck_assert_uint_eq(sum.packets, 2);
	lo_pings(&s, lo, "127.0.0.1", 1);
	/* vdev_free() stops the tap too. */
	vdev_free(lo);
	ck_assert(pcap_read(f1, &sum));
	ck_assert_uint_eq(sum.packets, 2);
	ck_assert(pcap_read(f2, &sum));
	ck_assert_uint_eq(sum.packets, 1);
	unlink(f1);
	unlink(f2);
	seg_fini(&s);
}
END_TEST

/* ---- stream taps ---- */

/**
 * struct stream_end - what a stream's end function was told
 * @calls:	how often it was called
 * @err:	its error
 * @st:		its counts
 */
struct stream_end {
	unsigned int calls;
	int err;
	struct vdev_stream_stats st;
};

static void on_stream_end(void *arg, int err, const struct vdev_stream_stats *st)
{
	struct stream_end *e = arg;

	e->calls++;
	e->err = err;
	e->st = *st;
}

static bool stream_ended(void *arg)
{
	return ((struct stream_end *)arg)->calls > 0;
}

/* Read a pcap stream from @fd to its end (closing @fd): its records,
 * checked as pcap_read() checks a file's; -1 if it is no pcap stream. */
static int stream_records(int fd, struct pcap_sum *sum)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	FILE *fp = fdopen(fd, "r");
	pcap_t *pc;

	ck_assert_ptr_nonnull(fp);
	memset(sum, 0, sizeof(*sum));
	pc = pcap_fopen_offline_with_tstamp_precision(fp,
			PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!pc) {
		fclose(fp);
		return -1;
	}
	sum->linktype = pcap_datalink(pc);
	sum->precision = pcap_get_tstamp_precision(pc);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		if (!sum->packets)
			memcpy(sum->first, data, h->caplen < 64 ? h->caplen : 64);
		sum->packets++;
		sum->bytes += h->len;
	}
	pcap_close(pc);
	return (int)sum->packets;
}

START_TEST(vdev_stream_pipe_live_beside_the_file)
{
	struct stream_end e1 = { 0 }, e2 = { 0 };
	struct vdev_stream_stats st;
	struct vdev_stream *s1, *s2;
	struct pcap_sum sum;
	uint8_t buf[4096];
	char file[96];
	struct vdev *lo;
	struct seg s;
	int p1[2], p2[2];
	ssize_t n;

	seg_init(&s);
	snprintf(file, sizeof(file), "%s/lo.pcap", s.dir);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	ck_assert_int_eq(pipe(p1), 0);
	ck_assert_int_eq(pipe(p2), 0);
	ck_assert_int_eq(vdev_pcap_start(lo, file, 0, 0, s.err, sizeof(s.err)), 0);
	ck_assert_int_eq(vdev_stream_start(lo, p1[1], NULL, on_stream_end, &e1, &s1,
					   s.err, sizeof(s.err)), 0);
	ck_assert_int_eq(vdev_stream_start(lo, p2[1], NULL, on_stream_end, &e2, &s2,
					   s.err, sizeof(s.err)), 0);
	/* the header at once, so that a reader starts */
	ck_assert_int_eq(read(p1[0], buf, sizeof(buf)), 24);
	lo_pings(&s, lo, "127.0.0.1", 3);
	/* live: the records follow within 50 ms, the tap still running */
	run_for(&s, 120);
	n = read(p1[0], buf, sizeof(buf));
	ck_assert_int_eq(n, 3 * LO_REC);
	/* our pipe's O_NONBLOCK was not touched (the stream has its own) */
	ck_assert_int_eq(fcntl(p1[1], F_GETFL) & O_NONBLOCK, 0);

	vdev_stream_stop(s1, &st);
	ck_assert_uint_eq(st.frames, 3);
	ck_assert_uint_eq(st.dropped, 0);
	lo_pings(&s, lo, "::1", 2);
	vdev_stream_stop(s2, &st);
	ck_assert_uint_eq(st.frames, 5);
	vdev_pcap_stop(lo);
	uv_run(&s.loop, UV_RUN_NOWAIT);	/* the streams' fds close */
	close(p1[1]);
	close(p2[1]);
	ck_assert_int_eq(read(p1[0], buf, sizeof(buf)), 0);	/* EOF */
	close(p1[0]);
	/* the second: a pcap stream of the five, as the file has them */
	ck_assert_int_eq(stream_records(p2[0], &sum), 5);
	ck_assert_int_eq(sum.linktype, DLT_EN10MB);
	ck_assert_int_eq(sum.precision, PCAP_TSTAMP_PRECISION_NANO);
	ck_assert_uint_eq(sum.bytes, 3 * 46 + 2 * 66);
	ck_assert(pcap_read(file, &sum));
	ck_assert_uint_eq(sum.packets, 5);
	ck_assert_uint_eq(e1.calls + e2.calls, 0);	/* stopped, not ended */
	vdev_free(lo);
	unlink(file);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_stream_slow_reader_drops_never_waits)
{
	struct stream_end e = { 0 };
	struct vdev_stream_stats st;
	struct vdev_stream *str;
	struct pcap_sum sum;
	struct vdev *lo;
	struct seg s;
	unsigned int i;
	int p[2], got;

	seg_init(&s);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_gt(fcntl(p[1], F_SETPIPE_SZ, 4096), 0);
	ck_assert_int_eq(vdev_stream_start(lo, p[1], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), 0);
	/* 20000 frames of 62 bytes: more than the stream's 1 MiB, and no
	 * one reads; every datagram is still delivered (lo_pings checks) */
	for (i = 0; i < 10; i++)
		lo_pings(&s, lo, "127.0.0.1", 2000);
	run_for(&s, 60);
	vdev_stream_stop(str, &st);
	ck_assert_uint_eq(st.frames + st.dropped, 20000);
	ck_assert_uint_gt(st.dropped, 0);
	ck_assert_uint_ge(st.frames, (1u << 20) / LO_REC - 1);
	uv_run(&s.loop, UV_RUN_NOWAIT);
	close(p[1]);
	/* what the pipe took is a pcap stream, whole records up to the
	 * last one the stop may have cut */
	got = stream_records(p[0], &sum);
	ck_assert_int_ge(got, 1);
	ck_assert_int_le(got, (int)st.frames);
	ck_assert_uint_eq(e.calls, 0);
	vdev_free(lo);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_stream_ends_when_reader_or_device_goes)
{
	struct stream_end e = { 0 }, e2 = { 0 };
	struct vdev_stream *str, *str2;
	struct pcap_sum sum;
	struct vdev *lo;
	struct seg s;
	int p[2], sp[2];

	seg_init(&s);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	/* a pipe's reader goes: told at once, without another frame */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(vdev_stream_start(lo, p[1], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "127.0.0.1", 2);
	close(p[0]);
	ck_assert(run_until(&s, stream_ended, &e, 1000));
	ck_assert_int_eq(e.err, 0);
	ck_assert_uint_eq(e.st.frames, 2);
	close(p[1]);
	/* frames after that go nowhere, and nothing is told twice */
	lo_pings(&s, lo, "127.0.0.1", 2);
	ck_assert_uint_eq(e.calls, 1);

	/* a stream socket's peer closes: likewise */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ck_assert_int_eq(vdev_stream_start(lo, sp[0], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), 0);
	/* our end stays blocking: sends say MSG_DONTWAIT */
	ck_assert_int_eq(fcntl(sp[0], F_GETFL) & O_NONBLOCK, 0);
	close(sp[1]);
	ck_assert(run_until(&s, stream_ended, &e, 1000));
	ck_assert_int_eq(e.err, 0);
	close(sp[0]);

	/* the device is removed: -ENODEV at once, the stream whole */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	ck_assert_int_eq(vdev_stream_start(lo, p[1], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), 0);
	ck_assert_int_eq(vdev_stream_start(lo, sp[0], NULL, on_stream_end, &e2,
					   &str2, s.err, sizeof(s.err)), 0);
	lo_pings(&s, lo, "127.0.0.1", 4);
	vdev_free(lo);
	ck_assert_uint_eq(e.calls, 1);
	ck_assert_int_eq(e.err, -ENODEV);
	ck_assert_uint_eq(e.st.frames, 4);
	ck_assert_uint_eq(e2.calls, 1);
	ck_assert_int_eq(e2.err, -ENODEV);
	uv_run(&s.loop, UV_RUN_NOWAIT);
	close(p[1]);
	close(sp[0]);
	ck_assert_int_eq(stream_records(p[0], &sum), 4);
	ck_assert_int_eq(stream_records(sp[1], &sum), 4);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_stream_filter_takes_what_passes)
{
	struct stream_end e = { 0 };
	struct vdev_stream_stats st;
	struct vdev_stream *str = NULL;
	struct pcap_sum sum;
	struct vdev *lo;
	struct seg s;
	unsigned int i;
	int p[2];

	seg_init(&s);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	ck_assert_int_eq(pipe(p), 0);
	/* tcpdump's language; a filter that does not compile is refused */
	ck_assert_int_eq(vdev_stream_start(lo, p[1], "udp port", on_stream_end,
					   &e, &str, s.err, sizeof(s.err)),
			 -EINVAL);
	ck_assert_msg(!strncmp(s.err, "filter 'udp port': ", 19), "%s", s.err);
	ck_assert_ptr_null(str);
	ck_assert_int_eq(uv_run(&s.loop, UV_RUN_NOWAIT), 0);	/* no handle */

	ck_assert_int_eq(vdev_stream_start(lo, p[1], "ip and udp port 5353",
					   on_stream_end, &e, &str, s.err,
					   sizeof(s.err)), 0);
	lo_pings(&s, lo, "::1", 2);
	lo_pings(&s, lo, "127.0.0.1", 3);
	lo_pings(&s, lo, "::1", 2);
	vdev_stream_stop(str, &st);
	ck_assert_uint_eq(st.frames, 3);
	ck_assert_uint_eq(st.dropped, 0);
	uv_run(&s.loop, UV_RUN_NOWAIT);
	close(p[1]);
	ck_assert_int_eq(stream_records(p[0], &sum), 3);
	ck_assert_uint_eq(sum.first[14], 0x45);

	/* frames the filter refuses are not counted as dropped when the
	 * stream is full: 20000 IPv6 ones fill it, the IPv4 ones are not
	 * its to drop */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_gt(fcntl(p[1], F_SETPIPE_SZ, 4096), 0);
	ck_assert_int_eq(vdev_stream_start(lo, p[1], "ip6", on_stream_end,
					   &e, &str, s.err, sizeof(s.err)), 0);
	for (i = 0; i < 10; i++)
		lo_pings(&s, lo, "::1", 2000);
	lo_pings(&s, lo, "127.0.0.1", 2000);
	vdev_stream_stop(str, &st);
	ck_assert_uint_gt(st.dropped, 0);
	ck_assert_uint_eq(st.frames + st.dropped, 20000);
	uv_run(&s.loop, UV_RUN_NOWAIT);
	close(p[1]);
	close(p[0]);
	ck_assert_uint_eq(e.calls, 0);
	vdev_free(lo);
	seg_fini(&s);
}
END_TEST

START_TEST(vdev_stream_start_refusals_and_files)
{
	struct stream_end e = { 0 };
	struct vdev_stream_stats st;
	struct vdev_stream *str = NULL;
	struct pcap_sum sum;
	char file[96];
	struct vdev *lo;
	struct seg s;
	int fd, p[2], sp[2];

	seg_init(&s);
	snprintf(file, sizeof(file), "%s/out.pcap", s.dir);
	ck_assert_int_eq(vdev_loopback_new(&s.loop, "lo", &lo), 0);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ck_assert_int_eq(vdev_stream_start(lo, fd, NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), -EINVAL);
	ck_assert_str_eq(s.err, "not a pipe, a stream socket or a regular file");
	close(fd);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);	/* as rrsandbox has it */
	ck_assert_int_eq(vdev_stream_start(lo, p[1], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), -EPIPE);
	ck_assert_str_eq(s.err, "nothing reads the pipe");
	close(p[1]);
	/* a FIFO (`rrctl capture lo > FIFO`) whose reader went */
	ck_assert_int_eq(mkfifo(file, 0600), 0);
	p[0] = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	p[1] = open(file, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	ck_assert_int_ge(p[1], 0);
	close(p[0]);
	ck_assert_int_eq(vdev_stream_start(lo, p[1], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), -ENXIO);
	ck_assert_str_eq(s.err, "nothing reads the pipe");
	close(p[1]);
	unlink(file);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp), 0);
	ck_assert_int_eq(vdev_stream_start(lo, sp[0], NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), -EINVAL);
	ck_assert_str_eq(s.err, "a socket, but not a stream socket");
	close(sp[0]);
	close(sp[1]);
	fd = open(file, O_CREAT | O_RDONLY | O_CLOEXEC, 0600);
	ck_assert_int_eq(vdev_stream_start(lo, fd, NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), -EBADF);
	ck_assert_str_eq(s.err, "the file is not open for writing");
	close(fd);
	ck_assert_int_eq(vdev_stream_start(lo, -1, NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), -EINVAL);
	ck_assert_ptr_null(str);
	ck_assert_int_eq(uv_run(&s.loop, UV_RUN_NOWAIT), 0);	/* no handle */

	/* a regular file (`rrctl capture lo > FILE`) */
	fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ck_assert_int_eq(vdev_stream_start(lo, fd, NULL, on_stream_end, &e, &str,
					   s.err, sizeof(s.err)), 0);
	close(fd);	/* the stream has its own */
	lo_pings(&s, lo, "127.0.0.1", 3);
	vdev_stream_stop(str, &st);
	ck_assert_uint_eq(st.frames, 3);
	uv_run(&s.loop, UV_RUN_NOWAIT);
	ck_assert(pcap_read(file, &sum));
	ck_assert_uint_eq(sum.packets, 3);
	ck_assert(sum.ts_ok);
	ck_assert_uint_eq(e.calls, 0);
	vdev_free(lo);
	unlink(file);
	seg_fini(&s);
}
END_TEST

static Suite *vdev_suite(void)
{
	Suite *s = suite_create("vdev");
	TCase *tc;

	tc = tcase_create("lifecycle");
	tcase_add_test(tc, vdev_loopback_new_bad_arguments_einval);
	tcase_add_test(tc, vdev_loopback_new_is_up_with_addresses);
	tcase_add_test(tc, vdev_free_null_is_noop);
	tcase_add_test(tc, vdev_free_with_queued_packets_closes_clean);
	suite_add_tcase(s, tc);

	tc = tcase_create("udp");
	tcase_add_test(tc, vdev_udp_delivered_on_later_turn);
	tcase_add_test(tc, vdev_udp_v6_delivered);
	tcase_add_test(tc, vdev_queue_full_drops_counted);
	tcase_add_test(tc, vdev_udp_whole_loopback_net_delivered);
	suite_add_tcase(s, tc);

	tc = tcase_create("tcp");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, vdev_tcp_v4_bytes_exchanged);
	tcase_add_test(tc, vdev_tcp_v6_bytes_exchanged);
	suite_add_tcase(s, tc);

	tc = tcase_create("link");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, vdev_link_udp_v4_resolves_arp_and_delivers);
	tcase_add_test(tc, vdev_link_udp_v6_link_local_resolves_nd);
	tcase_add_test(tc, vdev_link_either_side_first_resumes);
	tcase_add_test(tc, vdev_link_restart_resumes);
	tcase_add_test(tc, vdev_link_shared_floods_then_learns);
	tcase_add_test(tc, vdev_link_stranger_frames_dropped);
	tcase_add_test(tc, vdev_link_frame_size_checked);
	tcase_add_test(tc, vdev_link_batch_judges_each_frame);
	tcase_add_test(tc, vdev_link_burst_waits_for_room_in_order);
	tcase_add_test(tc, vdev_link_batched_burst_complete_in_order);
	tcase_add_test(tc, vdev_link_udp_v4_endpoints_carry_frames);
	tcase_add_test(tc, vdev_link_udp_v6_endpoints_carry_frames);
	tcase_add_test(tc, vdev_link_bad_endpoints_einval_with_reason);
	tcase_add_test(tc, vdev_link_bind_errors_and_stale_socket);
	tcase_add_test(tc, vdev_link_mtu_bounds);
	tcase_add_test(tc, vdev_link_accessors);
	suite_add_tcase(s, tc);

	tc = tcase_create("pcap");
	tcase_add_test(tc, vdev_pcap_link_records_every_frame);
	tcase_add_test(tc, vdev_pcap_loopback_fake_ethernet_header);
	tcase_add_test(tc, vdev_pcap_rotation_keeps_every_frame);
	tcase_add_test(tc, vdev_pcap_start_errors_and_replace);
	tcase_add_test(tc, vdev_stream_pipe_live_beside_the_file);
	tcase_add_test(tc, vdev_stream_slow_reader_drops_never_waits);
	tcase_add_test(tc, vdev_stream_ends_when_reader_or_device_goes);
	tcase_add_test(tc, vdev_stream_start_refusals_and_files);
	tcase_add_test(tc, vdev_stream_filter_takes_what_passes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vdev_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

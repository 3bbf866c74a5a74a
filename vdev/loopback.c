/* SPDX-License-Identifier: MIT */
/*
 * loopback.c - the loopback device `lo`: 127.0.0.1/8 and ::1.
 *
 * Output queues a copy of each packet; a libuv idle handle, active only
 * while the queue is non-empty, feeds the queue back into the stack's
 * input on the next turn of the loop, unless vdev_loopback_flush() did
 * sooner (at the end of a trapped call).  So nothing polls when idle, and
 * a send never re-enters lwIP.  Checksums are neither made nor checked: the
 * packets never leave memory.  The pcap tap sees each packet once, as it
 * is queued, with the all-zero Ethernet header pcap.c puts on bare IP.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/ip4.h"
#include "lwip/ip6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "internal.h"

#define LO_MTU		65535
#define LO_QUEUE_MAX	4096	/* packets; past this they are dropped */

/**
 * struct lo - a loopback device
 * @dev:	the common part, first
 * @idle:	runs while packets wait in the queue
 * @head:	queued single-pbuf clones, oldest first
 * @tail:	newest
 * @queued:	how many
 */
struct lo {
	struct vdev dev;
	uv_idle_t idle;
	struct pbuf *head, *tail;
	unsigned int queued;
};

static void on_idle(uv_idle_t *h);

static err_t queue_out(struct netif *netif, struct pbuf *p)
{
	struct lo *dev = netif->state;
	struct pbuf *q;

	if (dev->queued >= LO_QUEUE_MAX) {
		dev->dev.cnt.drops++;
		return ERR_OK;	/* dropped, as a full device queue would */
	}
	q = pbuf_clone(PBUF_LINK, PBUF_RAM, p);
	if (!q) {
		dev->dev.cnt.drops++;
		return ERR_MEM;
	}
	dev->dev.cnt.tx_packets++;
	dev->dev.cnt.tx_bytes += p->tot_len;
	/* Once, on the way out: what tcpdump shows on Linux's lo, where
	 * libpcap skips the outgoing copy of each looped packet. */
	vdev__tap(&dev->dev, q, true);
	/* Chain whole packets through a singly linked list of clones: each
	 * clone is one pbuf (PBUF_RAM), so ->next is free to use here. */
	q->next = NULL;
	if (dev->tail)
		dev->tail->next = q;
	else
		dev->head = q;
	dev->tail = q;
	if (!dev->queued++)
		uv_idle_start(&dev->idle, on_idle);
	return ERR_OK;
}

static err_t lo_output4(struct netif *netif, struct pbuf *p, const ip4_addr_t *a)
{
	(void)a;
	return queue_out(netif, p);
}

static err_t lo_output6(struct netif *netif, struct pbuf *p, const ip6_addr_t *a)
{
	(void)a;
	return queue_out(netif, p);
}

/* Feed what was queued so far to the stack: what it sends meanwhile waits
 * for the next pass. */
static void lo_pass(struct lo *dev)
{
	unsigned int budget = dev->queued;

	while (dev->head && budget--) {
		struct pbuf *p = dev->head;

		dev->head = p->next;
		if (!dev->head)
			dev->tail = NULL;
		p->next = NULL;
		dev->queued--;
		dev->dev.cnt.rx_packets++;
		dev->dev.cnt.rx_bytes += p->tot_len;
		/* Linux's lo shows packet sockets both copies; the pcap
		 * tap, as tcpdump, only the one on the way out */
		if (dev->dev.frame_fn)
			dev->dev.frame_fn(dev->dev.frame_arg, p, false);
		if (dev->dev.netif.input(p, &dev->dev.netif) != ERR_OK)
			pbuf_free(p);
	}
	if (!dev->head)
		uv_idle_stop(&dev->idle);
}

static void on_idle(uv_idle_t *h)
{
	lo_pass(h->data);
}

/**
 * vdev_loopback_flush() - deliver looped packets now, not on the next turn
 * @vdev:	a loopback device
 * @passes:	at most this many passes; each delivers what was queued
 *		before it (the replies it causes go in the next)
 *
 * Never from inside the stack (its input or output): only where lwIP's
 * idle handle could run, at the top of the loop.
 */
void vdev_loopback_flush(struct vdev *vdev, unsigned int passes)
{
	struct lo *dev = (struct lo *)vdev;

	while (dev->head && passes--)
		lo_pass(dev);
}

static err_t lo_init(struct netif *netif)
{
	netif->name[0] = 'l';
	netif->name[1] = 'o';
	netif->mtu = LO_MTU;
	netif->mtu6 = LO_MTU;
	netif->output = lo_output4;
	netif->output_ip6 = lo_output6;
	netif->flags = NETIF_FLAG_UP | NETIF_FLAG_LINK_UP;
	NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_DISABLE_ALL);
	return ERR_OK;
}

static void free_closed(uv_handle_t *h)
{
	free(h->data);
}

/* vdev_ops.free: drop what is still queued, close the idle handle. */
static void lo_free(struct vdev *vdev)
{
	struct lo *dev = (struct lo *)vdev;

	while (dev->head) {
		struct pbuf *p = dev->head;

		dev->head = p->next;
		p->next = NULL;
		pbuf_free(p);
	}
	uv_close((uv_handle_t *)&dev->idle, free_closed);
}

/* A packet socket's IP packet: looped back as the stack's */
static int lo_xmit(struct vdev *vdev, struct pbuf *p)
{
	return queue_out(&vdev->netif, p) == ERR_OK ? 0 : -ENOBUFS;
}

/* Linux's lo takes any MTU up to INT_MAX (no max_mtu) */
static const struct vdev_ops lo_ops = {
	.kind = "loopback",
	.raw_ip = true,
	.max_mtu = 2147483647u,
	.free = lo_free,
	.xmit = lo_xmit,
};

/**
 * vdev_loopback_new() - create and bring up a loopback device
 * @loop:	event loop that delivers looped packets
 * @name:	interface name, e.g. "lo"
 * @out:	set to the device
 *
 * Return: 0 or a negative errno
 */
int vdev_loopback_new(uv_loop_t *loop, const char *name, struct vdev **out)
{
	ip4_addr_t addr, mask, gw;
	struct netif *n;
	ip6_addr_t a6;
	struct lo *dev;
	s8_t idx;

	if (!loop || !vdev__name_ok(name) || !out)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	vdev__init(&dev->dev, &lo_ops, loop, name);
	dev->dev.mtu = 65536;	/* Linux's; lwIP's netif keeps LO_MTU */
	n = &dev->dev.netif;
	uv_idle_init(loop, &dev->idle);
	dev->idle.data = dev;
	IP4_ADDR(&addr, 127, 0, 0, 1);
	IP4_ADDR(&mask, 255, 0, 0, 0);
	ip4_addr_set_zero(&gw);
	if (!netif_add(n, &addr, &mask, &gw, dev, lo_init, ip_input)) {
		uv_close((uv_handle_t *)&dev->idle, free_closed);
		return -ENOMEM;
	}
	ip6_addr_set_loopback(&a6);
	if (netif_add_ip6_address(n, &a6, &idx) == ERR_OK)
		netif_ip6_addr_set_state(n, idx, IP6_ADDR_PREFERRED);
	netif_set_up(n);
	netif_set_link_up(n);
	*out = &dev->dev;
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * loopback.c - the loopback device `lo`: 127.0.0.1/8 and ::1.
 *
 * Output queues a copy of each packet; a libuv idle handle, active only
 * while the queue is non-empty, feeds the queue back into the stack's
 * input on the next turn of the loop.  So nothing polls when idle, and a
 * send never re-enters lwIP.  Checksums are neither made nor checked: the
 * packets never leave memory.
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

#include "vdev.h"

#define LO_MTU		65535
#define LO_QUEUE_MAX	4096	/* packets; past this they are dropped */

struct vdev {
	char name[16];
	struct netif netif;
	uv_idle_t idle;
	struct pbuf *head, *tail;	/* queued single-pbuf clones */
	unsigned int queued;
	struct vdev_counters cnt;
};

static void on_idle(uv_idle_t *h);

static err_t queue_out(struct netif *netif, struct pbuf *p)
{
	struct vdev *dev = netif->state;
	struct pbuf *q;

	if (dev->queued >= LO_QUEUE_MAX) {
		dev->cnt.drops++;
		return ERR_OK;	/* dropped, as a full device queue would */
	}
	q = pbuf_clone(PBUF_LINK, PBUF_RAM, p);
	if (!q) {
		dev->cnt.drops++;
		return ERR_MEM;
	}
	dev->cnt.tx_packets++;
	dev->cnt.tx_bytes += p->tot_len;
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

static void on_idle(uv_idle_t *h)
{
	struct vdev *dev = h->data;
	unsigned int budget = dev->queued;	/* only what was queued so far */

	while (dev->head && budget--) {
		struct pbuf *p = dev->head;

		dev->head = p->next;
		if (!dev->head)
			dev->tail = NULL;
		p->next = NULL;
		dev->queued--;
		dev->cnt.rx_packets++;
		dev->cnt.rx_bytes += p->tot_len;
		if (dev->netif.input(p, &dev->netif) != ERR_OK)
			pbuf_free(p);
	}
	if (!dev->head)
		uv_idle_stop(&dev->idle);
}

static err_t lo_init(struct netif *netif)
{
	struct vdev *dev = netif->state;

	netif->name[0] = 'l';
	netif->name[1] = 'o';
	netif->mtu = LO_MTU;
	netif->mtu6 = LO_MTU;
	netif->output = lo_output4;
	netif->output_ip6 = lo_output6;
	netif->flags = NETIF_FLAG_UP | NETIF_FLAG_LINK_UP;
	NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_DISABLE_ALL);
	(void)dev;
	return ERR_OK;
}

static void free_closed(uv_handle_t *h)
{
	free(h->data);
}

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
	struct vdev *dev;
	ip6_addr_t a6;
	s8_t idx;

	if (!loop || !name || strlen(name) >= sizeof(dev->name) || !out)
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	strcpy(dev->name, name);
	uv_idle_init(loop, &dev->idle);
	dev->idle.data = dev;
	IP4_ADDR(&addr, 127, 0, 0, 1);
	IP4_ADDR(&mask, 255, 0, 0, 0);
	ip4_addr_set_zero(&gw);
	if (!netif_add(&dev->netif, &addr, &mask, &gw, dev, lo_init, ip_input)) {
		uv_close((uv_handle_t *)&dev->idle, free_closed);
		return -ENOMEM;
	}
	ip6_addr_set_loopback(&a6);
	if (netif_add_ip6_address(&dev->netif, &a6, &idx) == ERR_OK)
		netif_ip6_addr_set_state(&dev->netif, idx, IP6_ADDR_PREFERRED);
	netif_set_up(&dev->netif);
	netif_set_link_up(&dev->netif);
	*out = dev;
	return 0;
}

/**
 * vdev_free() - take the device down and free it
 * @dev:	the device
 */
void vdev_free(struct vdev *dev)
{
	if (!dev)
		return;
	netif_remove(&dev->netif);
	while (dev->head) {
		struct pbuf *p = dev->head;

		dev->head = p->next;
		p->next = NULL;
		pbuf_free(p);
	}
	uv_close((uv_handle_t *)&dev->idle, free_closed);
}

struct netif *vdev_netif(struct vdev *dev)
{
	return &dev->netif;
}

const char *vdev_name(const struct vdev *dev)
{
	return dev->name;
}

void vdev_counters(const struct vdev *dev, struct vdev_counters *out)
{
	*out = dev->cnt;
}

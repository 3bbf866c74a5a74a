/* SPDX-License-Identifier: MIT */
/*
 * dummy.c - a device that takes what is sent to it and drops it, as
 * Linux's dummy driver: addresses put on it are the sandbox's own (a
 * router's loopback addresses, which BIRD's `protocol direct` announces),
 * routes through it go nowhere.
 *
 * Ethernet as Linux shows it (link/ether, BROADCAST and NOARP: no ARP or
 * neighbour discovery, so lwIP gets no ETHARP flag and its two output
 * hooks are called with bare IP packets), a stable MAC hashed from the
 * name unless one is given, and a link-local IPv6 address from that MAC.
 * Every packet counts as sent (tx_packets, tx_bytes, header included) and
 * goes to the pcap tap and packet sockets as the frame Linux's dummy
 * would have been given: the device's MAC as source, and as destination
 * what arp_constructor() and ndisc_constructor() give a NOARP device's
 * neighbours, the device's own MAC for unicast and broadcast, the mapped
 * group address for multicast.  A frame a packet socket sends is tapped
 * as it came.  Nothing ever comes in.  No libuv handle: freeing is
 * immediate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/ip.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "internal.h"

#define DUMMY_MTU	1500	/* ether_setup()'s */
#define ETH_HLEN	14

struct dummy {
	struct vdev dev;
};

/* One frame gone: counted, tapped */
static void dummy_sent(struct vdev *dev, const struct pbuf *frame)
{
	dev->cnt.tx_packets++;
	dev->cnt.tx_bytes += frame->tot_len;
	vdev__tap(dev, frame, true);
}

/* An IP packet of the stack's, under the Ethernet header Linux would put
 * on it (see the top) */
static err_t dummy_out(struct netif *netif, struct pbuf *p)
{
	struct dummy *d = netif->state;
	uint8_t h[ETH_HLEN], v[40];
	struct pbuf *hp;
	u16_t n;

	if (!d->dev.pcap && !d->dev.frame_fn) {	/* no one to see it */
		d->dev.cnt.tx_packets++;
		d->dev.cnt.tx_bytes += ETH_HLEN + p->tot_len;
		return ERR_OK;
	}
	n = pbuf_copy_partial(p, v, sizeof(v), 0);
	memcpy(h, d->dev.mac, 6);
	memcpy(h + 6, d->dev.mac, 6);
	if (n >= 20 && v[0] >> 4 == 4) {
		if ((v[16] & 0xf0) == 0xe0) {		/* ip_eth_mc_map() */
			h[0] = 0x01, h[1] = 0x00, h[2] = 0x5e;
			h[3] = v[17] & 0x7f, h[4] = v[18], h[5] = v[19];
		}
		h[12] = 0x08, h[13] = 0x00;
	} else if (n >= 40 && v[0] >> 4 == 6) {
		if (v[24] == 0xff) {			/* ipv6_eth_mc_map() */
			h[0] = 0x33, h[1] = 0x33;
			memcpy(h + 2, v + 36, 4);
		}
		h[12] = 0x86, h[13] = 0xdd;
	} else {
		return ERR_OK;	/* not IP: nothing the stack sends */
	}
	hp = pbuf_alloc(PBUF_RAW, ETH_HLEN, PBUF_RAM);
	if (!hp)
		return ERR_MEM;
	pbuf_take(hp, h, ETH_HLEN);
	pbuf_chain(hp, p);	/* takes a reference to p, given back below */
	dummy_sent(&d->dev, hp);
	pbuf_free(hp);
	return ERR_OK;
}

/* A packet socket's frame, header and all: tapped as it came, as Linux's
 * dev_queue_xmit_nit() hands it to the other packet sockets */
static int dummy_xmit(struct vdev *dev, struct pbuf *p)
{
	dummy_sent(dev, p);
	return 0;
}

static err_t dummy_output4(struct netif *netif, struct pbuf *p,
			   const ip4_addr_t *a)
{
	(void)a;
	return dummy_out(netif, p);
}

static err_t dummy_output6(struct netif *netif, struct pbuf *p,
			   const ip6_addr_t *a)
{
	(void)a;
	return dummy_out(netif, p);
}

static err_t dummy_netif_init(struct netif *netif)
{
	struct dummy *d = netif->state;

	netif->name[0] = 'd';
	netif->name[1] = 'u';
	netif->mtu = (u16_t)d->dev.mtu;
	netif->mtu6 = (u16_t)d->dev.mtu;
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, d->dev.mac, 6);
	netif->output = dummy_output4;
	netif->output_ip6 = dummy_output6;
	netif->flags = NETIF_FLAG_BROADCAST;
	return ERR_OK;
}

static void dummy_free(struct vdev *dev)
{
	free(dev);
}

static const struct vdev_ops dummy_ops = {
	.kind = "dummy",
	.free = dummy_free,
	.xmit = dummy_xmit,
};

/**
 * vdev_dummy_new() - create a dummy device, up, with its link-local address
 * @loop:	the loop (for the pcap tap)
 * @name:	interface name, 1..15 characters
 * @mtu:	68..65535; 0 for the default, 1500
 * @mac:	the MAC, or NULL for a stable one hashed from @name
 * @up:		up at once, with its link-local address; else down, without
 *		one (netstack/ gives it one when it comes up)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 * @out:	set to the device
 *
 * Return: 0, -EINVAL (bad name or MTU) or -ENOMEM
 */
int vdev_dummy_new(uv_loop_t *loop, const char *name, unsigned int mtu,
		   const uint8_t *mac, bool up, char *err, size_t errlen,
		   struct vdev **out)
{
	struct dummy *d;

	if (!loop || !out)
		return vdev__fail(err, errlen, -EINVAL, "bad arguments");
	if (!vdev__name_ok(name))
		return vdev__fail(err, errlen, -EINVAL, "name '%s': 1 to %d characters",
			    name ? name : "", VDEV_NAME_MAX - 1);
	if (mtu && (mtu < VDEV_MTU_MIN || mtu > VDEV_MTU_MAX))
		return vdev__fail(err, errlen, -EINVAL, "mtu %u: not in %u..%u",
			    mtu, VDEV_MTU_MIN, VDEV_MTU_MAX);
	d = calloc(1, sizeof(*d));
	if (!d)
		return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	vdev__init(&d->dev, &dummy_ops, loop, name);
	d->dev.mtu = mtu ? mtu : DUMMY_MTU;
	if (mac)
		memcpy(d->dev.mac, mac, 6);
	else
		vdev__stable_mac(d->dev.mac, "dummy", name);	/* no link's local */
	if (!netif_add(&d->dev.netif, NULL, NULL, NULL, d, dummy_netif_init,
		       ip_input)) {
		free(d);
		return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	}
	netif_set_link_up(&d->dev.netif);
	if (up) {
		/* addrconf_dev_config(): an EUI-64 link-local, no DAD
		 * (NOARP) */
		netif_create_ip6_linklocal_address(&d->dev.netif, 1);
		netif_ip6_addr_set_state(&d->dev.netif, 0, IP6_ADDR_PREFERRED);
		netif_set_up(&d->dev.netif);
	}
	*out = &d->dev;
	return 0;
}

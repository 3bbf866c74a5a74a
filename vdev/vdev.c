/* SPDX-License-Identifier: MIT */
/*
 * vdev.c - what every virtual device has: name, kind, MAC, MTU, up/down,
 * counters, description, and the end of its life.
 *
 * Backends (loopback.c, link.c, host.c) create devices and fill in
 * struct vdev_ops (internal.h); netstack/ reads and changes them through
 * the accessors here.  The administrative state is the lwIP netif's own: "up" is
 * netif_is_up(), the MTU is netif->mtu (and mtu6), the carrier is
 * netif_is_link_up().  No sockets or libuv handles are touched here:
 * vdev_free() leaves those to the backend's free operation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lwip/netif.h"

#include "internal.h"

/**
 * vdev__name_ok() - whether @name can name a device
 * @name:	candidate, may be NULL
 *
 * Return: true for 1..15 characters
 */
bool vdev__name_ok(const char *name)
{
	return name && *name && strlen(name) < VDEV_NAME_MAX;
}

/**
 * vdev__fail() - a backend's failure: its reason into @err, if given
 * @err:	the caller's buffer, or NULL
 * @errlen:	its size
 * @ret:	the negative errno to return
 * @fmt:	printf format of the reason
 *
 * Return: @ret
 */
int vdev__fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/**
 * vdev__stable_mac() - a locally administered unicast MAC hashed (FNV-1a)
 * from @first and @name: the same every run for the same device
 * @mac:	set
 * @first:	a link's local endpoint, a kind's own word
 * @name:	the device's name
 */
void vdev__stable_mac(uint8_t *mac, const char *first, const char *name)
{
	uint64_t h = 14695981039346656037ull;
	const char *s;
	int i;

	for (s = first; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;	/* separator */
	for (s = name; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
}

/**
 * vdev__init() - fill in the common part of a new device
 * @dev:	zeroed device
 * @ops:	its backend
 * @loop:	its loop
 * @name:	interface name
 *
 * Return: 0, or -EINVAL for a bad name
 */
int vdev__init(struct vdev *dev, const struct vdev_ops *ops, uv_loop_t *loop,
	       const char *name)
{
	if (!vdev__name_ok(name))
		return -EINVAL;
	dev->ops = ops;
	dev->loop = loop;
	strcpy(dev->name, name);
	return 0;
}

/**
 * vdev_free() - stop the taps, remove the netif, release the backend
 * @dev:	the device, or NULL
 *
 * Memory tied to libuv handles goes in their close callbacks: run the loop
 * once more before closing it.
 */
void vdev_free(struct vdev *dev)
{
	if (!dev)
		return;
	vdev_pcap_stop(dev);
	vdev__streams_end(dev);
	netif_remove(&dev->netif);
	dev->ops->free(dev);
}

/**
 * vdev_set_frame_fn() - tell @fn of every frame @dev sends and receives
 * @dev:	the device
 * @fn:		the function, NULL to stop
 * @arg:	its first argument
 */
void vdev_set_frame_fn(struct vdev *dev, vdev_frame_fn *fn, void *arg)
{
	dev->frame_fn = fn;
	dev->frame_arg = fn ? arg : NULL;
}

/**
 * vdev_raw_ip() - whether the device's frames are bare IP packets
 * @dev:	the device
 *
 * Return: true for the loopback and host devices
 */
bool vdev_raw_ip(const struct vdev *dev)
{
	return dev->ops->raw_ip;
}

/**
 * vdev_xmit() - send one frame a packet socket built, past the stack
 * @dev:	the device
 * @frame:	an Ethernet frame (header included)
 * @len:	its length
 *
 * The frame function sees it as sent; the stack does not.  A device
 * whose frames are bare IP (vdev_raw_ip()) gets an IPv4 or IPv6 frame
 * without its header (the MACs are lost: the loopback loops it back);
 * anything else is counted as sent and gone.
 *
 * Return: 0, -EOPNOTSUPP (the host uplink: bare IP relayed by NAT),
 * -ENETDOWN, -EMSGSIZE (past the MTU plus the header), -EINVAL (shorter
 * than the header) or -ENOBUFS
 */
int vdev_xmit(struct vdev *dev, const void *frame, size_t len)
{
	struct pbuf *p;
	int ret;

	if (!dev->ops->xmit)
		return -EOPNOTSUPP;
	if (!netif_is_up(&dev->netif))
		return -ENETDOWN;
	if (len < 14)
		return -EINVAL;
	if (len > 14 + (size_t)vdev_mtu(dev) || len > 0xffff)
		return -EMSGSIZE;
	if (dev->ops->raw_ip) {
		const uint8_t *t = (const uint8_t *)frame + 12;

		if (len == 14 || !((t[0] == 0x08 && t[1] == 0x00) ||
				   (t[0] == 0x86 && t[1] == 0xdd))) {
			dev->cnt.tx_packets++;
			dev->cnt.tx_bytes += len;
			return 0;
		}
		frame = (const uint8_t *)frame + 14;
		len -= 14;
	}
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	pbuf_take(p, frame, (u16_t)len);
	ret = dev->ops->xmit(dev, p);
	pbuf_free(p);
	return ret;
}

struct netif *vdev_netif(struct vdev *dev)
{
	return &dev->netif;
}

const char *vdev_name(const struct vdev *dev)
{
	return dev->name;
}

/**
 * vdev_kind() - the backend's name
 * @dev:	the device
 *
 * Return: "loopback", "link" or "host"
 */
const char *vdev_kind(const struct vdev *dev)
{
	return dev->ops->kind;
}

/**
 * vdev_rename() - give the device a new interface name
 * @dev:	the device
 * @name:	1..15 characters
 *
 * Uniqueness is netstack/'s business: it knows the other devices.
 *
 * Return: 0, or -EINVAL for a bad name
 */
int vdev_rename(struct vdev *dev, const char *name)
{
	if (!vdev__name_ok(name))
		return -EINVAL;
	strcpy(dev->name, name);
	return 0;
}

void vdev_counters(const struct vdev *dev, struct vdev_counters *out)
{
	*out = dev->cnt;
}

/**
 * vdev_mac() - the hardware address
 * @dev:	the device
 *
 * Return: 6 bytes, all zero for the loopback
 */
const uint8_t *vdev_mac(const struct vdev *dev)
{
	return dev->mac;
}

unsigned int vdev_mtu(const struct vdev *dev)
{
	return dev->mtu ? dev->mtu : dev->netif.mtu;
}

/**
 * vdev_max_mtu() - the largest MTU the device takes
 * @dev:	the device
 *
 * Return: 65535 (lwIP's limit, and a veth's), more for the loopback
 */
unsigned int vdev_max_mtu(const struct vdev *dev)
{
	return dev->ops->max_mtu ? dev->ops->max_mtu : VDEV_MTU_MAX;
}

/**
 * vdev_set_mtu() - change the MTU, for IPv4 and IPv6 alike
 * @dev:	the device
 * @mtu:	68..vdev_max_mtu(); lwIP works with at most 65535 of it
 *
 * Return: 0, -EINVAL out of range, or what the backend refuses with
 */
int vdev_set_mtu(struct vdev *dev, unsigned int mtu)
{
	unsigned int lw = mtu > VDEV_MTU_MAX ? VDEV_MTU_MAX : mtu;
	int ret;

	if (mtu < VDEV_MTU_MIN || mtu > vdev_max_mtu(dev))
		return -EINVAL;
	if (dev->ops->set_mtu && (ret = dev->ops->set_mtu(dev, lw)) < 0)
		return ret;
	dev->mtu = mtu;
	dev->netif.mtu = (u16_t)lw;
	dev->netif.mtu6 = (u16_t)lw;
	return 0;
}

/**
 * vdev_set_up() - bring the device up or down (IFF_UP)
 * @dev:	the device
 * @up:		the new state
 *
 * A device that is down sends nothing (lwIP routes around it) and drops
 * what it receives.
 */
void vdev_set_up(struct vdev *dev, bool up)
{
	if (up)
		netif_set_up(&dev->netif);
	else
		netif_set_down(&dev->netif);
}

bool vdev_is_up(const struct vdev *dev)
{
	return netif_is_up(&dev->netif);
}

/**
 * vdev_carrier() - whether the device has a carrier (IFF_LOWER_UP)
 * @dev:	the device
 *
 * Every backend always have one: a link keeps its carrier while the peer
 * is away, as a cable plugged into a switch does.
 *
 * Return: true with a carrier
 */
bool vdev_carrier(const struct vdev *dev)
{
	return netif_is_link_up(&dev->netif);
}

/**
 * vdev_describe() - backend details for `show links`
 * @dev:	the device
 * @buf:	where to write, always NUL-terminated when @len > 0
 * @len:	its size
 */
void vdev_describe(const struct vdev *dev, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (dev->ops->describe)
		dev->ops->describe(dev, buf, len);
}

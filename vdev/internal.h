/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what vdev/'s files share: the common device and the
 * backend interface.
 *
 * Every backend (loopback.c, link.c, host.c) embeds a struct vdev as the first
 * member of its own state and fills in a struct vdev_ops; vdev.c holds the
 * accessors common to all of them and the lifecycle (vdev_free()); pcap.c
 * the tap that every backend feeds through vdev__tap().  Nothing outside
 * vdev/ includes this file.
 */
#ifndef RRS_VDEV_INTERNAL_H
#define RRS_VDEV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "vdev.h"

#define VDEV_NAME_MAX	16	/* IFNAMSIZ, with the NUL */
#define VDEV_MTU_MIN	68	/* RFC 791's smallest; Linux's ETH_MIN_MTU */
#define VDEV_MTU_MAX	65535

struct vdev__pcap;
struct vdev_stream;

/**
 * struct vdev_ops - what a backend provides
 * @kind:	"loopback", "link", "host" or "dummy" (vdev_kind())
 * @raw_ip:	frames are bare IP packets: the tap adds an Ethernet header
 * @free:	release the backend after the netif is gone; must close its
 *		handles and free the device, from a close callback if a libuv
 *		handle is involved
 * @set_mtu:	optional: accept or refuse an MTU already range-checked
 * @describe:	optional: backend details, e.g. "local A remote B"
 * @xmit:	optional: send one frame a packet socket built (vdev_xmit()
 *		checked the state and length; on a @raw_ip device it is an
 *		IPv4 or IPv6 packet, its Ethernet header gone); @p is not
 *		consumed
 */
struct vdev_ops {
	const char *kind;
	bool raw_ip;
	unsigned int max_mtu;	/* 0: VDEV_MTU_MAX */
	void (*free)(struct vdev *dev);
	int (*set_mtu)(struct vdev *dev, unsigned int mtu);
	void (*describe)(const struct vdev *dev, char *buf, size_t len);
	int (*xmit)(struct vdev *dev, struct pbuf *p);
};

/**
 * struct vdev - the part every device has
 * @ops:	its backend
 * @loop:	the loop it runs on (the tap's flush timer uses it too)
 * @name:	interface name; lwIP's two-letter netif name is not it
 * @netif:	the lwIP interface; @netif.state points back here
 * @cnt:	packet and byte counters, kept by the backend
 * @mac:	hardware address, all zero for the loopback
 * @pcap:	the tap, or NULL
 * @streams:	the stream taps (vdev_stream_start()), a list
 * @frame_fn:	told of every frame in and out (packet sockets), or NULL
 * @frame_arg:	its argument
 * @mtu:	the MTU the device has, 0 for @netif's: the loopback's may
 *		pass the 65535 lwIP keeps in its 16 bits (Linux's lo has
 *		65536), and lwIP then works with 65535
 */
struct vdev {
	const struct vdev_ops *ops;
	uv_loop_t *loop;
	char name[VDEV_NAME_MAX];
	unsigned int mtu;
	struct netif netif;
	struct vdev_counters cnt;
	uint8_t mac[6];
	struct vdev__pcap *pcap;
	struct vdev_stream *streams;
	vdev_frame_fn *frame_fn;
	void *frame_arg;
};

int vdev__init(struct vdev *dev, const struct vdev_ops *ops, uv_loop_t *loop,
	       const char *name);
__attribute__((format(printf, 4, 5)))
int vdev__fail(char *err, size_t errlen, int ret, const char *fmt, ...);
void vdev__stable_mac(uint8_t *mac, const char *first, const char *name);
bool vdev__name_ok(const char *name);

/**
 * vdev__tap() - hand one frame (or loopback packet) to the pcap taps and
 *		 the frame function, if any
 * @dev:	the device
 * @p:		the whole frame, not consumed
 * @out:	sent by the device (else received)
 */
void vdev__pcap_write(struct vdev__pcap *t, const struct pbuf *p, bool raw_ip);
void vdev__stream_write(struct vdev_stream *s, const struct pbuf *p,
			bool raw_ip);
void vdev__streams_end(struct vdev *dev);
static inline void vdev__tap(struct vdev *dev, const struct pbuf *p, bool out)
{
	if (dev->pcap)
		vdev__pcap_write(dev->pcap, p, dev->ops->raw_ip);
	if (dev->streams)
		vdev__stream_write(dev->streams, p, dev->ops->raw_ip);
	if (dev->frame_fn)
		dev->frame_fn(dev->frame_arg, p, out);
}

/*
 * host.c's packet work, shared with its unit test (tests/unit/check_vdev.c).
 */

/**
 * struct vdev__pkt - what host.c needs of one parsed IP packet
 * @v6:		IPv6 (else IPv4)
 * @proto:	transport protocol
 * @src:	source address (4 or 16 bytes used)
 * @dst:	destination address
 * @ip:		the whole packet
 * @iplen:	its length (the IP header's, not the buffer's)
 * @l4:		the transport header
 * @l4len:	its length with the payload
 */
struct vdev__pkt {
	bool v6;
	uint8_t proto;
	uint8_t src[16], dst[16];
	uint8_t hdst[16];	/* @dst as the host sees it (host.c) */
	const uint8_t *ip;
	size_t iplen;
	const uint8_t *l4;
	size_t l4len;
};

int vdev__host_parse(const uint8_t *buf, size_t len, struct vdev__pkt *k);
size_t vdev__host_build_udp(uint8_t *b, bool v6, const uint8_t *src,
			    uint16_t sport, const uint8_t *dst, uint16_t dport,
			    const void *data, size_t len);
size_t vdev__host_build_icmp(uint8_t *b, bool v6, const uint8_t *src,
			     const uint8_t *dst, const uint8_t *hdr,
			     const void *data, size_t len);
size_t vdev__host_prohibit(uint8_t *b, const struct vdev__pkt *k);

#endif /* RRS_VDEV_INTERNAL_H */

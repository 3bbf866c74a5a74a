/* SPDX-License-Identifier: MIT */
/*
 * vdev.h - virtual network devices of a sandbox.
 *
 * A device is an lwIP netif plus a backend that carries its packets:
 *  - loopback: what the stack sends comes back in as received, on a later
 *    turn of the loop, never from inside the send (lwIP with NO_SYS=1 must
 *    not be re-entered);
 *  - link: an Ethernet segment between sandboxes, one datagram per frame
 *    over AF_UNIX datagram sockets (an endpoint that contains a '/') or UDP
 *    (HOST:PORT, [V6ADDR]:PORT).  Symmetric: each side binds its local
 *    endpoint and sends to every remote, so either may start first or
 *    restart.  With several remotes the segment is shared: frames for
 *    broadcast, multicast or unknown MACs go to all, and a source MAC seen
 *    from a remote is learned and then sent to that remote only.  ARP,
 *    IPv6 ND and MLD are lwIP's own, on a stable MAC;
 *  - host: the uplink, bare IP packets relayed through the supervisor's own
 *    host sockets (UDP, ICMP echo), NAT as slirp4netns does (host.c);
 *  - dummy: drops what it is sent, as Linux's dummy: a home for addresses
 *    (dummy.c).
 * Every device can feed a pcap tap (link-type Ethernet, nanosecond time
 * stamps; the loopback's and the host device's packets get an all-zero
 * Ethernet header, as Linux's lo shows them) into a file, and any number
 * of stream taps into pipes (`rrctl capture`).  A frame function
 * (vdev_set_frame_fn()) sees the same frames with their direction, for
 * netstack/'s packet sockets, and vdev_xmit() sends a frame they built.
 * vdev/ knows nothing of sockets, system calls,
 * interface indexes or routes: netstack/ owns those.
 */
#ifndef RRS_VDEV_H
#define RRS_VDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct netif;
struct pbuf;
struct vdev;

/**
 * typedef vdev_frame_fn - told of one frame a device sent or received
 * @arg:	what vdev_set_frame_fn() was given
 * @p:		the frame (a bare IP packet on a device whose frames are
 *		bare IP: vdev_raw_ip()), not to be kept or changed
 * @out:	sent (else received)
 *
 * Called from inside the stack's input and output: it must not call into
 * lwIP.  The loopback reports each packet twice, out when sent and in
 * when looped back, as Linux's lo shows them to packet sockets.
 */
typedef void vdev_frame_fn(void *arg, const struct pbuf *p, bool out);

/**
 * struct vdev_stream_stats - what a stream tap did (vdev_stream_start())
 * @frames:	frames taken into the stream (those its filter passed)
 * @dropped:	frames it would have taken, dropped because its reader
 *		lagged too far behind
 */
struct vdev_stream_stats {
	uint64_t frames, dropped;
};

struct vdev_stream;

/**
 * typedef vdev_stream_end_fn - a stream tap ended by itself
 * @arg:	what vdev_stream_start() was given
 * @err:	0 when its reader went away (a closed pipe or socket),
 *		-ENODEV when the device was removed, else the write's error
 * @st:		what it did
 *
 * The stream is gone once this is called: do not stop it.
 */
typedef void vdev_stream_end_fn(void *arg, int err,
				const struct vdev_stream_stats *st);

/**
 * struct vdev_counters - per device packet and byte counters
 */
struct vdev_counters {
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes, drops;
};

/**
 * struct vdev_link_opts - what `link add NAME type link ...` gives
 * @local:	the endpoint this side binds: a path or HOST:PORT
 * @remote:	the remote endpoints (at least one)
 * @n_remote:	how many
 * @mtu:	68..65535; 0 for the default, 1500
 * @mac:	the MAC; NULL for the stable default (a locally administered
 *		unicast address hashed from @local and the device name)
 */
struct vdev_link_opts {
	const char *local;
	const char *const *remote;
	unsigned int n_remote;
	unsigned int mtu;
	const uint8_t *mac;
};

/**
 * struct vdev_host_opts - what `link add NAME type host` gives
 * @mtu:	68..65535; 0 for the default, 65520
 * @allowed:	asked before the device sends to a host destination
 *		(family AF_INET or AF_INET6, address in network order);
 *		a denied one is answered as a prohibit route would be
 * @dns:	optional: a host loopback resolver whose UDP port 53 the
 *		device may reach although @allowed refuses the address
 * @arg:	passed to @allowed and @dns
 * @gw4:	when @has_gw4, the address that stands for the host's
 *		127.0.0.1 (the uplink's gateway: traffic to it goes to the
 *		host's loopback, and from there comes from it)
 * @gw6:	likewise for ::1, when @has_gw6
 */
struct vdev_host_opts {
	unsigned int mtu;
	bool (*allowed)(void *arg, uint8_t family, const uint8_t *addr);
	bool (*dns)(void *arg, uint8_t family, const uint8_t *addr);
	void *arg;
	uint8_t gw4[4], gw6[16];	/* stand for the host's 127.0.0.1, ::1 */
	bool has_gw4, has_gw6;
};

/* vdev_pcap_start() defaults */
#define VDEV_PCAP_MAX_BYTES	(64u << 20)	/* per file, then rotate */
#define VDEV_PCAP_MAX_FILES	4		/* FILE, FILE.1 .. FILE.3 */

int vdev_loopback_new(uv_loop_t *loop, const char *name, struct vdev **out);
void vdev_loopback_flush(struct vdev *vdev, unsigned int passes);
int vdev_link_new(uv_loop_t *loop, const char *name,
		  const struct vdev_link_opts *o, char *err, size_t errlen,
		  struct vdev **out);
int vdev_host_new(uv_loop_t *loop, const char *name,
		  const struct vdev_host_opts *o, char *err, size_t errlen,
		  struct vdev **out);
int vdev_host_publish_udp(struct vdev *dev, int fd, bool v6,
			  const uint8_t *inner, uint16_t port);
void vdev_host_unpublish_udp(struct vdev *dev, int fd);
bool vdev_host_to_host(const struct vdev *dev, bool v6, uint8_t *a);
void vdev_host_from_host(const struct vdev *dev, bool v6, uint8_t *a);
void vdev_host_tcp_note(struct vdev *dev, int delta, bool refused);
int vdev_host_unreach(struct vdev *dev, const uint8_t *pkt, size_t len,
		      uint8_t type, uint8_t code);
int vdev_dummy_new(uv_loop_t *loop, const char *name, unsigned int mtu,
		   const uint8_t *mac, bool up, char *err, size_t errlen,
		   struct vdev **out);
void vdev_free(struct vdev *dev);

struct netif *vdev_netif(struct vdev *dev);
const char *vdev_name(const struct vdev *dev);
const char *vdev_kind(const struct vdev *dev);
int vdev_rename(struct vdev *dev, const char *name);
void vdev_counters(const struct vdev *dev, struct vdev_counters *out);
const uint8_t *vdev_mac(const struct vdev *dev);
unsigned int vdev_mtu(const struct vdev *dev);
unsigned int vdev_max_mtu(const struct vdev *dev);
int vdev_set_mtu(struct vdev *dev, unsigned int mtu);
void vdev_set_up(struct vdev *dev, bool up);
bool vdev_is_up(const struct vdev *dev);
bool vdev_carrier(const struct vdev *dev);
void vdev_describe(const struct vdev *dev, char *buf, size_t len);

int vdev_pcap_start(struct vdev *dev, const char *path, uint64_t max_bytes,
		    unsigned int max_files, char *err, size_t errlen);
void vdev_pcap_stop(struct vdev *dev);
bool vdev_pcap_active(const struct vdev *dev);
int vdev_stream_start(struct vdev *dev, int fd, const char *filter,
		      vdev_stream_end_fn *end, void *arg,
		      struct vdev_stream **out, char *err, size_t errlen);
void vdev_stream_stop(struct vdev_stream *s, struct vdev_stream_stats *st);

void vdev_set_frame_fn(struct vdev *dev, vdev_frame_fn *fn, void *arg);
bool vdev_raw_ip(const struct vdev *dev);
int vdev_xmit(struct vdev *dev, const void *frame, size_t len);

#endif /* RRS_VDEV_H */

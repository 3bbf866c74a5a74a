/* SPDX-License-Identifier: MIT */
/*
 * packet.c - AF_PACKET sockets on the sandbox's devices (packet(7)).
 *
 * A packet socket sees the frames of the sandbox's own devices, never the
 * host's: the devices tell net.c of every frame they send and receive
 * (vdev_set_frame_fn()), turned on only while a packet socket exists, and
 * ns__pk_frame() hands a copy to each socket that asked for it:
 *  - by protocol: ETH_P_ALL takes everything, in and out; any other
 *    EtherType only the frames received with it (Linux's ptype_base);
 *    protocol 0 takes nothing until bind() names one;
 *  - by device: bound to an ifindex, that device's only;
 *  - SOCK_RAW reads the frame from its link header, SOCK_DGRAM from its
 *    network header; a socket filter (SO_ATTACH_FILTER) runs on what it
 *    would read and may cut it;
 *  - never its own sends, and no outgoing ones with PACKET_IGNORE_OUTGOING.
 * The loopback carries bare IP, as Linux's lo carries it under an
 * all-zero Ethernet header: that header is added here, as the pcap tap
 * adds it (the dummy frames its packets itself, vdev/dummy.c).  The host
 * uplink is a tun-like ARPHRD_NONE device: no link header at all.
 *
 * Frames reach the program as datagrams do (udp.c's queue): written into
 * the program's end at once, their sockaddr_ll waiting in the address
 * queue for a trapped recvfrom()/recvmsg(), which also gives
 * PACKET_AUXDATA.  A blocked receive is woken from an idle handle, not
 * from inside the device's send, which may be inside a trapped call that
 * still uses the stack's buffer.
 *
 * Sends go past the stack straight to the device (vdev_xmit()): SOCK_RAW
 * sends the frame as given, SOCK_DGRAM puts an Ethernet header before it
 * (the device's MAC, sll_addr, sll_protocol).  The host uplink takes none
 * (EOPNOTSUPP).  A plain send() or write() without an address runs
 * natively into the pair and goes to the bound device and protocol;
 * unbound, where Linux says ENXIO, it is dropped and counted.
 *
 * Not here: the mmap rings (PACKET_RX_RING, PACKET_TX_RING,
 * PACKET_VERSION: ENOPROTOOPT, so libpcap and tcpdump cannot capture
 * live; the supervisor warns once, naming `rrctl capture`), SOCK_PACKET
 * (ESOCKTNOSUPPORT), fanout, VLAN offload; memberships
 * (PACKET_ADD_MEMBERSHIP) are kept and checked but change nothing, as a
 * sandbox's devices already hand every frame of their segment to the
 * socket.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "lwip/pbuf.h"

#include "internal.h"
#include "log.h"
#include "net.h"
#include "netint.h"

#define LL_LEN		((int32_t)sizeof(struct sockaddr_ll))
#define LL_NAME_MIN	((int32_t)offsetof(struct sockaddr_ll, sll_addr))
#define PK_MREQ_MAX	64	/* memberships per socket */
#define MREQ_MAX	40	/* struct packet_mreq_max: an address of 32 */

/* One PACKET_ADD_MEMBERSHIP, as packet_mclist keeps it */
struct pk_mreq {
	int ifindex;
	unsigned short type, alen;
	unsigned char addr[32];
	unsigned int count;
};

/* One frame, linearized: the link header (if the device has one) and
 * what follows; up to the largest MTU plus header and a VLAN tag. */
static uint8_t frame_buf[ETH_HLEN + 65535 + 4];

/* ---- the devices' side (net.c's devices) ---- */

/* vdev_frame_fn of every device while packet sockets exist: @arg is the
 * struct net_dev */
static void on_frame(void *arg, const struct pbuf *p, bool out)
{
	struct net_dev *d = arg;
	struct net *n = d->net;
	struct ns_frame f = { .ifindex = d->ifindex, .out = out,
			      .hatype = net__dev_type(d), .mac = vdev_mac(d->vdev) };
	size_t h = 0;

	if (!p->tot_len || p->tot_len + (size_t)ETH_HLEN > sizeof(frame_buf))
		return;
	if (vdev_raw_ip(d->vdev) && f.hatype != ARPHRD_NONE) {
		/* bare IP under an all-zero Ethernet header, as lo's */
		uint8_t v = 0;

		pbuf_copy_partial(p, &v, 1, 0);
		memset(frame_buf, 0, 12);
		frame_buf[12] = (v >> 4) == 6 ? 0x86 : 0x08;
		frame_buf[13] = (v >> 4) == 6 ? 0xdd : 0x00;
		h = ETH_HLEN;
	}
	pbuf_copy_partial(p, frame_buf + h, p->tot_len, 0);
	f.data = frame_buf;
	f.len = p->tot_len + h;
	if (f.hatype == ARPHRD_NONE) {
		uint16_t et = htons((frame_buf[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP);

		f.proto = et;
	} else if (f.len >= ETH_HLEN) {
		f.hlen = ETH_HLEN;
		memcpy(&f.proto, frame_buf + 12, 2);
	} else {
		return;	/* a runt: not a frame */
	}
	ns__pk_frame(n->ns, &f);
}

/**
 * net__frames() - tell packet sockets of every device's frames, or stop
 * @n:		the network
 * @on:		true while the stack has a packet socket
 */
void net__frames(struct net *n, bool on)
{
	struct net_dev *d;

	n->frames = on;
	for (d = n->devs; d; d = d->next)
		net__frames_dev(d, on);
}

/**
 * net__frames_dev() - the same for one device (a new one, or one going)
 * @d:		the device
 * @on:		whether to tell
 */
void net__frames_dev(struct net_dev *d, bool on)
{
	vdev_set_frame_fn(d->vdev, on ? on_frame : NULL, d);
}

/* ---- frames to the sockets ---- */

/* PACKET_HOST, _BROADCAST, _MULTICAST or _OTHERHOST, as eth_type_trans()
 * tells them from the destination MAC */
static uint8_t pkttype_in(const struct ns_frame *f)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t *dst = f->data;

	if (f->hlen < ETH_HLEN)
		return PACKET_HOST;
	if (dst[0] & 1)
		return memcmp(dst, bcast, 6) ? PACKET_MULTICAST : PACKET_BROADCAST;
	return memcmp(dst, f->mac, 6) ? PACKET_OTHERHOST : PACKET_HOST;
}

static bool wants(const struct sock *s, const struct ns_frame *f)
{
	uint16_t all = htons(ETH_P_ALL);

	if (!s->pk_proto || s->sv < 0)
		return false;
	if (s->pk_ifindex && s->pk_ifindex != f->ifindex)
		return false;
	if (f->out)	/* dev_queue_xmit_nit(): ptype_all only */
		return s->pk_proto == all && !s->pk_ign_out && s != s->ns->pk_sender;
	return s->pk_proto == all || s->pk_proto == f->proto;
}

static void wake_later(struct sock *s)
{
	s->pk_wake = true;
	uv_idle_start(&s->ns->pk_idle, ns__pk_on_idle);
}

/**
 * ns__pk_frame() - hand a device's frame to the packet sockets that want it
 * @ns:		the stack
 * @f:		the frame
 *
 * Called from inside lwIP's input and output (net.c's frame function):
 * touches nothing of lwIP's and not the stack's iobuf.
 */
void ns__pk_frame(struct ns *ns, const struct ns_frame *f)
{
	struct dgram_meta ll = { 0 };
	struct sock *s;

	ll.ll_proto = f->proto;
	ll.ll_hatype = f->hatype;
	ll.ll_pkttype = f->out ? PACKET_OUTGOING : pkttype_in(f);
	ll.ifindex = f->ifindex;
	if (f->hatype != ARPHRD_NONE) {
		ll.ll_halen = 6;
		if (f->hlen >= ETH_HLEN)
			memcpy(ll.ll_addr, f->data + 6, 6);	/* the source */
	}
	for (s = ns->packets; s; s = s->pk_next) {
		const uint8_t *d = f->data;
		size_t n = f->len, keep;

		if (!wants(s, f))
			continue;
		if (s->type == SOCK_DGRAM) {
			d += f->hlen;
			n -= f->hlen;
		}
		keep = s->filter ? ns__filter_run(s, d, n) : n;
		if (!keep)
			continue;	/* the filter's: not counted */
		ll.origlen = (uint32_t)n;
		if (keep < n)
			n = keep;
		s->pk_packets++;
		if (ns__dgram_queue(s, d, n, &ll))
			s->pk_drops++;
		else if (s->waiters)
			wake_later(s);
	}
}

/**
 * ns__pk_on_idle() - wake the blocked receives of sockets given frames
 * @h:		the stack's pk_idle
 */
void ns__pk_on_idle(uv_idle_t *h)
{
	struct ns *ns = h->data;
	struct sock *s;

	uv_idle_stop(h);
	for (s = ns->packets; s; s = s->pk_next) {
		if (!s->pk_wake)
			continue;
		s->pk_wake = false;
		if (s->waiters)
			ns__retry_waiters(s, W_RECV, ns__udp_recv_call);
	}
}

/**
 * ns__pk_name() - the sockaddr_ll a received frame's datagram came with
 * @m:		its queue entry, or NULL (read natively before: unknown)
 * @ss:		filled in
 *
 * Return: its length, as packet_recvmsg() gives msg_namelen: the whole
 * sockaddr_ll, as no device here has a longer address
 */
size_t ns__pk_name(const struct dgram_meta *m, struct sockaddr_storage *ss)
{
	struct sockaddr_ll *sll = (struct sockaddr_ll *)ss;

	memset(ss, 0, sizeof(*ss));
	sll->sll_family = AF_PACKET;
	if (m) {
		sll->sll_protocol = m->ll_proto;
		sll->sll_ifindex = (int)m->ifindex;
		sll->sll_hatype = m->ll_hatype;
		sll->sll_pkttype = m->ll_pkttype;
		sll->sll_halen = m->ll_halen;
		memcpy(sll->sll_addr, m->ll_addr, m->ll_halen);
	}
	return sizeof(*sll);
}

/**
 * ns__pk_cmsgs() - PACKET_AUXDATA of a received frame, when asked for
 * @b:		appended to
 * @s:		the socket
 * @m:		the frame's queue entry, or NULL
 *
 * tp_len is the frame's length, tp_snaplen what was queued of it (a
 * filter may cut it), as packet_rcv() fills them.
 */
void ns__pk_cmsgs(struct ns_cmsgs *b, const struct sock *s,
		  const struct dgram_meta *m)
{
	struct tpacket_auxdata a = { .tp_status = TP_STATUS_USER };

	if (!s->pk_auxdata)
		return;
	if (m) {
		a.tp_len = m->origlen;
		a.tp_snaplen = m->len;
		/* skb_network_offset(): past the link header for SOCK_RAW */
		if (s->type == SOCK_RAW && m->ll_hatype != ARPHRD_NONE)
			a.tp_net = ETH_HLEN;
	}
	ns__cmsg_put(b, SOL_PACKET, PACKET_AUXDATA, &a, sizeof(a));
}

/* ---- the socket ---- */

static void frames_on(struct ns *ns, bool on)
{
	net__frames(ns->net, on);
}

/**
 * ns__pk_socket() - socket(AF_PACKET, ...)
 * @ns:		the stack
 * @c:		the call; answered here
 * @type:	SOCK_RAW or SOCK_DGRAM
 * @flags:	SOCK_NONBLOCK, SOCK_CLOEXEC
 * @proto:	an EtherType in network order (its low 16 bits, as Linux)
 *
 * The sandbox is the program's own network: no CAP_NET_RAW asked, as for
 * raw IP sockets.
 *
 * Return: NS_DONE, or a negative errno
 */
int64_t ns__pk_socket(struct ns *ns, struct trc_call *c, int type, int flags,
		      int proto)
{
	struct sock *s;
	int tend, ret;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;	/* SOCK_PACKET too: not here */
	s = ns__sock_new(ns, AF_PACKET, type, 0);	/* SO_PROTOCOL says 0 */
	if (!s)
		return -ENOMEM;
	ret = ns__sock_pair(s, SOCK_SEQPACKET, flags & SOCK_NONBLOCK, &tend);
	if (ret) {
		ns__sock_free(s);
		return ret;
	}
	s->uid = ns__sock_uid(ns, trc_call_pid(c));
	s->pk_proto = (uint16_t)proto;
	s->pk_next = ns->packets;
	if (!ns->packets)
		frames_on(ns, true);
	ns->packets = s;
	s->pk_listed = true;
	ns__sock_register(s, s->ino);
	if (!ns__sock_install(ns, c, s, tend, flags, UV_READABLE | UV_DISCONNECT) &&
	    !ns->fetch)
		ns__sock_poll(s, UV_READABLE);	/* held: plain sends still come */
	return NS_DONE;
}

/**
 * ns__pk_close() - take a closing socket off the stack's list
 * @s:		the socket
 */
void ns__pk_close(struct sock *s)
{
	struct ns *ns = s->ns;
	struct sock **pp;

	if (s->pk_listed) {
		for (pp = &ns->packets; *pp; pp = &(*pp)->pk_next) {
			if (*pp == s) {
				*pp = s->pk_next;
				break;
			}
		}
		s->pk_listed = false;
		if (!ns->packets)
			frames_on(ns, false);
	}
	if (ns->pk_sender == s)
		ns->pk_sender = NULL;
	free(s->pk_mreq);
	s->pk_mreq = NULL;
	s->pk_n_mreq = 0;
	ns__dgram_flush(s);
}

/* Read a sockaddr_ll of at least @min bytes (bind: the whole of it). */
static int get_ll(struct trc_call *c, uint64_t uaddr, int32_t len, int32_t min,
		  struct sockaddr_ll *sll)
{
	memset(sll, 0, sizeof(*sll));
	if (len < min)
		return -EINVAL;
	if (len > LL_LEN)
		len = LL_LEN;
	if (trc_mem_read(c, uaddr, sll, (size_t)len))
		return -EFAULT;
	return 0;
}

/* The device @ifindex names, or NULL */
static struct net_dev *dev_of(struct ns *ns, int ifindex)
{
	return ifindex > 0 ? net__dev(ns->net, (uint32_t)ifindex) : NULL;
}

/* packet_bind(): the whole sockaddr_ll, AF_PACKET; protocol 0 keeps the
 * socket's; ifindex 0 is every device */
static int64_t pk_bind(struct sock *s, struct trc_call *c, int fd)
{
	struct sockaddr_ll sll;
	int ret;

	ret = get_ll(c, trc_call_arg(c, 1), (int32_t)trc_call_arg(c, 2), LL_LEN, &sll);
	if (ret)
		return ret;
	if (sll.sll_family != AF_PACKET)
		return -EINVAL;
	if (sll.sll_ifindex && !dev_of(s->ns, sll.sll_ifindex))
		return -ENODEV;
	if (sll.sll_protocol)
		s->pk_proto = sll.sll_protocol;
	s->pk_ifindex = (uint32_t)sll.sll_ifindex;
	snprintf(s->ns->what, sizeof(s->ns->what), ", ifindex %d, protocol 0x%04x",
		 sll.sll_ifindex, ntohs(s->pk_proto));
	return 0;
}

/* packet_getname(): the bound device's type and address, 0 unbound */
static int64_t pk_getsockname(struct sock *s, struct trc_call *c, int fd)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct net_dev *d = dev_of(s->ns, (int)s->pk_ifindex);

	sll.sll_protocol = s->pk_proto;
	sll.sll_ifindex = (int)s->pk_ifindex;
	if (d) {
		sll.sll_hatype = net__dev_type(d);
		if (sll.sll_hatype != ARPHRD_NONE) {
			sll.sll_halen = 6;
			memcpy(sll.sll_addr, vdev_mac(d->vdev), 6);
		}
	}
	return ns__sa_put(c, &sll, (size_t)(LL_NAME_MIN + sll.sll_halen),
			  trc_call_arg(c, 1), trc_call_arg(c, 2));
}

static int64_t pk_unsupported(struct sock *s, struct trc_call *c, int fd)
{
	return -EOPNOTSUPP;
}

static int64_t pk_ioctl(struct sock *s, struct trc_call *c, int fd)
{
	return -ENOTTY;	/* interface requests were answered before */
}

/*
 * An IPv4 packet a packet socket puts on the loopback comes in as if from
 * a wire, with no route attached: Linux's ip_route_input_slow() drops one
 * from or to 127.0.0.0/8 as a martian, and fib_validate_source() one from
 * an address of the host's own.  lwIP would take both.
 */
static bool martian4(struct ns *ns, const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HLEN;

	if (len < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00 ||
	    (ip[0] >> 4) != 4)
		return false;
	return ip[12] == 127 || ip[16] == 127 || net__own_addr(ns->net, AF_INET, ip + 12);
}

/*
 * One frame out: @data is in the stack's iobuf.  As packet_snd(): the
 * device by the address's ifindex (else the bound one), ENXIO without
 * one, ENETDOWN when down; vdev_xmit() says EMSGSIZE past its MTU,
 * EINVAL for a raw frame shorter than its header.
 */
static int64_t xmit(struct sock *s, size_t len, const struct sockaddr_ll *to)
{
	struct ns *ns = s->ns;
	uint32_t ifindex = to ? (uint32_t)to->sll_ifindex : s->pk_ifindex;
	uint16_t proto = to ? to->sll_protocol : s->pk_proto;
	struct net_dev *d = dev_of(ns, (int)ifindex);
	uint8_t *f = ns->iobuf;
	size_t flen = len;
	int ret;

	if (!d)
		return -ENXIO;
	if (!vdev_is_up(d->vdev))
		return -ENETDOWN;
	if (net__dev_type(d) == ARPHRD_NONE)
		return -EOPNOTSUPP;
	if (s->type == SOCK_DGRAM) {
		if (len + ETH_HLEN > NS_IOBUF)
			return -EMSGSIZE;
		memmove(f + ETH_HLEN, f, len);
		if (to)
			memcpy(f, to->sll_addr, 6);
		else
			memset(f, 0, 6);
		memcpy(f + 6, vdev_mac(d->vdev), 6);
		memcpy(f + 12, &proto, 2);
		flen = len + ETH_HLEN;
	}
	if (d->loopback && martian4(ns, f, flen))
		return (int64_t)len;	/* sent, and dropped on the way in */
	ns->pk_sender = s;
	ret = vdev_xmit(d->vdev, f, flen);
	ns->pk_sender = NULL;
	return ret ? ret : (int64_t)len;
}

/**
 * ns__pk_send_written() - one datagram the program wrote without an address
 * @s:		the socket
 * @len:	its length, in the stack's iobuf
 */
void ns__pk_send_written(struct sock *s, size_t len)
{
	if (!s->pk_ifindex || xmit(s, len, NULL) < 0)
		s->pk_drops++;
}

/* The destination of a send: none (@uaddr 0 or @alen 0), or a
 * sockaddr_ll long enough for its address (packet_snd()). */
static int send_addr(struct sock *s, struct trc_call *c, uint64_t uaddr,
		     uint32_t alen, struct sockaddr_ll *to, bool *have)
{
	int ret;

	*have = uaddr && alen;
	if (!*have)
		return 0;
	ret = get_ll(c, uaddr, (int32_t)alen, LL_LEN, to);
	if (ret)
		return ret;
	if ((int32_t)alen < LL_NAME_MIN + to->sll_halen)
		return -EINVAL;
	if (s->type == SOCK_DGRAM && (int32_t)alen < LL_NAME_MIN + 6 &&
	    dev_of(s->ns, to->sll_ifindex))
		return -EINVAL;
	snprintf(s->ns->what, sizeof(s->ns->what), ", ifindex %d, protocol 0x%04x",
		 to->sll_ifindex, ntohs(to->sll_protocol));
	return 0;
}

static int64_t send_one(struct sock *s, struct trc_call *c, uint64_t uaddr,
			uint32_t alen, const struct iovec *iov, int iovcnt)
{
	struct sockaddr_ll to;
	bool have;
	size_t len;
	int64_t ret;

	ns__dgram_send_written(s);	/* what was written before goes first */
	ret = send_addr(s, c, uaddr, alen, &to, &have);
	if (ret)
		return ret;
	ret = ns__gather(s->ns, c, iov, iovcnt, &len);
	if (ret)
		return ret;
	if (trc_call_verify(c))
		return -EFAULT;
	return xmit(s, len, have ? &to : NULL);
}

/* sendto(), sendmsg(), sendmmsg() */
static int64_t pk_send(struct sock *s, struct trc_call *c, int fd)
{
	return ns__send_each(s, c, send_one, false);
}

static int64_t pk_recv(struct sock *s, struct trc_call *c, int fd)
{
	return ns__udp_recv_call(s, c, fd);
}

/*
 * PACKET_ADD_MEMBERSHIP / _DROP_MEMBERSHIP, as packet_setsockopt() with
 * packet_mc_add() and packet_mc_drop(): the length and address length
 * checked, the device and its address length for an add; a second add
 * counts, a drop of what is not there is 0.  Any mr_type is taken (Linux
 * acts on four and keeps the rest).
 */
static int64_t membership(struct sock *s, struct trc_call *c, int opt, int32_t len)
{
	uint8_t b[MREQ_MAX] = { 0 };
	struct packet_mreq mr;
	struct pk_mreq *m = s->pk_mreq;
	struct net_dev *d;
	unsigned int i;

	if (len < (int32_t)sizeof(mr))
		return -EINVAL;
	if (len > MREQ_MAX)
		len = MREQ_MAX;
	if (trc_mem_read(c, trc_call_arg(c, 3), b, (size_t)len))
		return -EFAULT;
	memcpy(&mr, b, sizeof(mr));
	if (len < (int32_t)offsetof(struct packet_mreq, mr_address) + mr.mr_alen)
		return -EINVAL;
	for (i = 0; i < s->pk_n_mreq; i++)
		if (m[i].ifindex == mr.mr_ifindex && m[i].type == mr.mr_type &&
		    m[i].alen == mr.mr_alen &&
		    !memcmp(m[i].addr, b + offsetof(struct packet_mreq, mr_address),
			    mr.mr_alen))
			break;
	if (opt == PACKET_DROP_MEMBERSHIP) {
		if (i < s->pk_n_mreq && !--m[i].count)
			m[i] = m[--s->pk_n_mreq];
		return 0;
	}
	d = dev_of(s->ns, mr.mr_ifindex);
	if (!d)
		return -ENODEV;
	if (mr.mr_alen > (net__dev_type(d) == ARPHRD_NONE ? 0 : 6))
		return -EINVAL;
	if (i < s->pk_n_mreq) {
		m[i].count++;
		return 0;
	}
	if (s->pk_n_mreq >= PK_MREQ_MAX)
		return -ENOBUFS;
	if (!(s->pk_n_mreq & 7)) {
		m = realloc(s->pk_mreq, (s->pk_n_mreq + 8) * sizeof(*m));
		if (!m)
			return -ENOMEM;
		s->pk_mreq = m;
	}
	m[s->pk_n_mreq] = (struct pk_mreq){ .ifindex = mr.mr_ifindex,
		.type = mr.mr_type, .alen = mr.mr_alen, .count = 1 };
	memcpy(m[s->pk_n_mreq].addr, b + offsetof(struct packet_mreq, mr_address),
	       mr.mr_alen);
	s->pk_n_mreq++;
	return 0;
}

/*
 * The mmap rings are not emulated (see the top): a program that asks for
 * them (PACKET_VERSION, PACKET_HDRLEN, PACKET_RX_RING, PACKET_TX_RING) gets
 * ENOPROTOOPT, which libpcap reports as a kernel without memory-mapped
 * capture.  Say once, in words, what to do instead.
 */
static int ring_refused(const struct sock *s, struct trc_call *c, int opt)
{
	static bool told;

	if (!told && (opt == PACKET_VERSION || opt == PACKET_HDRLEN ||
		      opt == PACKET_RX_RING || opt == PACKET_TX_RING)) {
		told = true;
		warn("pid %d: packet socket %llu: no mmap rings in the sandbox, so "
		     "live capture (tcpdump -i, libpcap) cannot work here: "
		     "capture from outside, `rrctl capture DEV | tcpdump -r -`, "
		     "or into files with --pcap DIR or `rrctl pcap start DEV "
		     "FILE`", (int)trc_call_pid(c),
		     (unsigned long long)s->ino);
	}
	return -ENOPROTOOPT;
}

static int64_t pk_setsockopt(struct sock *s, struct trc_call *c, int fd)
{
	int level = (int)trc_call_arg(c, 1), opt = (int)trc_call_arg(c, 2);
	int32_t len = (int32_t)trc_call_arg(c, 4);
	int v;

	if (level == SOL_SOCKET) {
		/* packet sockets go by their bound ifindex */
		if (opt == SO_BINDTODEVICE || opt == SO_BINDTOIFINDEX)
			return -ENOPROTOOPT;
		ns__dgram_send_written(s);
		return ns__setsockopt(s, c);
	}
	if (level != SOL_PACKET)
		return -ENOPROTOOPT;
	switch (opt) {
	case PACKET_ADD_MEMBERSHIP:
	case PACKET_DROP_MEMBERSHIP:
		return membership(s, c, opt, len);
	case PACKET_AUXDATA:
	case PACKET_IGNORE_OUTGOING:
		if (len < (int32_t)sizeof(int))
			return -EINVAL;
		if (trc_mem_read(c, trc_call_arg(c, 3), &v, sizeof(v)))
			return -EFAULT;
		if (opt == PACKET_AUXDATA)
			s->pk_auxdata = v != 0;
		else if (v < 0 || v > 1)
			return -EINVAL;
		else
			s->pk_ign_out = v;
		return 0;
	default:
		return ring_refused(s, c, opt);
	}
}

static int64_t pk_getsockopt(struct sock *s, struct trc_call *c, int fd)
{
	int level = (int)trc_call_arg(c, 1), opt = (int)trc_call_arg(c, 2);
	struct tpacket_stats st;
	int v;

	if (level == SOL_SOCKET) {
		if (opt == SO_BINDTODEVICE || opt == SO_BINDTOIFINDEX)
			return -ENOPROTOOPT;
		return ns__getsockopt(s, c);
	}
	if (level != SOL_PACKET)
		return -ENOPROTOOPT;
	switch (opt) {
	case PACKET_AUXDATA:
		v = s->pk_auxdata;
		return ns__put_opt(c, &v, sizeof(v));
	case PACKET_IGNORE_OUTGOING:
		v = s->pk_ign_out;
		return ns__put_opt(c, &v, sizeof(v));
	case PACKET_STATISTICS:
		/* packet_getsockopt(): drops count as packets too; read
		 * and reset */
		st.tp_packets = s->pk_packets;
		st.tp_drops = s->pk_drops;
		s->pk_packets = s->pk_drops = 0;
		return ns__put_opt(c, &st, sizeof(st));
	default:
		return ring_refused(s, c, opt);
	}
}

typedef int64_t (*pk_fn)(struct sock *s, struct trc_call *c, int fd);

static const pk_fn pk_table[] = {
	[SYS_bind]        = pk_bind,
	[SYS_connect]     = pk_unsupported,
	[SYS_listen]      = pk_unsupported,
	[SYS_accept]      = pk_unsupported,
	[SYS_accept4]     = pk_unsupported,
	[SYS_getsockname] = pk_getsockname,
	[SYS_getpeername] = pk_unsupported,
	[SYS_shutdown]    = pk_unsupported,
	[SYS_setsockopt]  = pk_setsockopt,
	[SYS_getsockopt]  = pk_getsockopt,
	[SYS_sendto]      = pk_send,
	[SYS_recvfrom]    = pk_recv,
	[SYS_sendmsg]     = pk_send,
	[SYS_recvmsg]     = pk_recv,
	[SYS_sendmmsg]    = pk_send,
	[SYS_recvmmsg]    = pk_recv,
	[SYS_ioctl]       = pk_ioctl,
};

/**
 * ns__pk_call() - a trapped call on a packet socket
 * @s:		the socket
 * @c:		the call
 * @fd:		the program's fd
 *
 * Return: a value, a negative errno, NS_PARKED or NS_CONTINUE
 */
int64_t ns__pk_call(struct sock *s, struct trc_call *c, int fd)
{
	int nr = trc_call_nr(c);

	if (nr < 0 || (size_t)nr >= sizeof(pk_table) / sizeof(pk_table[0]) ||
	    !pk_table[nr])
		return NS_CONTINUE;
	return pk_table[nr](s, c, fd);
}

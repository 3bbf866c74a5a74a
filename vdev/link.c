/* SPDX-License-Identifier: MIT */
/*
 * link.c - the `link` device: an Ethernet segment between sandboxes,
 * carried as one datagram per frame.
 *
 * netstack/ creates links (net_link_add()) from `link add NAME type link
 * local EP remote EP...`.  An endpoint containing a '/' is an AF_UNIX
 * datagram socket path; otherwise it is HOST:PORT or [V6ADDR]:PORT over
 * UDP, numeric addresses only.  Each side binds its local endpoint and
 * sends every frame to its remote(s) from that same socket, so the
 * receiver knows the sender by its address and drops frames from anyone
 * not configured.  Neither side connects: either may start first or
 * restart, and a frame for a peer that is not there (ENOENT, ECONNREFUSED,
 * a full queue: EAGAIN) is dropped and counted, never an error to lwIP.
 * Above the socket, lwIP does ARP, IPv6 ND and MLD itself on a stable MAC.
 *
 * Theory of operation, shared segments: with several remotes the link is
 * a learning switch port with the segment behind it.  Each received frame
 * teaches "source MAC lives at the remote it came from" (a small hash
 * table, entries forgotten after AGE_MS); a unicast frame for a MAC known
 * this way goes to that remote only, any other frame (broadcast,
 * multicast, unknown unicast) to every remote.
 *
 * Multicast: frames to group MACs are flooded like broadcasts, and lwIP
 * (IGMP, MLD) decides which groups it takes; received unicast for another
 * MAC is dropped after the pcap tap saw it, as a NIC's filter would.  A frame lwIP marked for
 * loopback (the socket's IP_MULTICAST_LOOP) is also queued for our own
 * input, fed back on a later turn by an idle handle that runs only
 * while such frames wait, as Linux loops a copy to local members.
 *
 * One non-blocking socket per link, watched by a uv_poll_t for reading:
 * sends never wait.  Frames are read on the loop's turn, up to RX_BATCH
 * with one recvmmsg() into slots of the MTU's size (a short batch means
 * the queue is empty: no call ends in EAGAIN), and fed to lwIP there;
 * the send path (linkoutput) only writes to the socket, so lwIP is
 * never re-entered.  Nothing here knows of routes or the sandbox's
 * sockets.
 *
 * Backlog (AF_UNIX only): Linux queues at most net.unix.max_dgram_qlen
 * (default 10) datagrams on an AF_UNIX receiver and answers EAGAIN past
 * that, so a TCP burst would lose most of itself and lwIP, without fast
 * retransmit, would wait out an RTO for each loss.  Instead a frame that
 * meets EAGAIN starts a per-remote queue (bounded: TXQ_FRAMES, TXQ_BYTES),
 * later frames for that remote line up behind it, and a "watch" socket
 * connected to the remote's path, polled for writability, says when the
 * remote's queue has room (the kernel's peer_wait wakeup for connected
 * datagram senders).  The watch socket never sends: the receiver still
 * sees every frame come from our bound address.  ENOENT or ECONNREFUSED
 * (the remote gone) drops the queue.  UDP has no such wakeup for the
 * receiver's buffer; there EAGAIN (our own send buffer full) drops.
 * UDP carries at most 65507 bytes per datagram, so a UDP link with an MTU
 * above 65493 drops its largest frames.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#include "internal.h"

#define LINK_MTU	1500
#define ETH_HLEN	14
#define VLAN_HLEN	4
#define FRAME_MAX	(ETH_HLEN + VLAN_HLEN + VDEV_MTU_MAX)
#define REMOTE_MAX	64
#define FDB_SIZE	256		/* learned MACs, a power of two */
#define FDB_PROBE	8		/* slots tried per MAC */
#define AGE_MS		(300 * 1000)	/* as Linux bridges' ageing_time */
#define RX_BUDGET	64		/* frames per readable event */
#define RX_BATCH	16		/* frames per recvmmsg() ... */
#define RX_AREA		(256u << 10)	/* ... and the room they share */
#define SOCK_BUF	(1 << 20)
#define TXQ_FRAMES	4096		/* backlog per remote ... */
#define TXQ_BYTES	(4u << 20)	/* ... and its bytes */

/* A socket address of any family we use. */
struct ep {
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u;
	socklen_t len;
};

/* A learned MAC: which remote it was last seen from, and when. */
struct fdb_ent {
	uint8_t mac[6];
	uint16_t remote;
	bool used;
	uint64_t seen;		/* uv_now() */
};

struct link;

/**
 * struct txq - frames waiting for room at one AF_UNIX remote
 * @l:		the link
 * @r:		the remote's index
 * @wfd:	watch socket connected to the remote, -1 until needed
 * @watch:	its writability, initialised along with @wfd
 * @head:	waiting frames, single PBUF_RAM pbufs chained by ->next
 * @tail:	newest
 * @frames:	how many
 * @bytes:	and their size
 */
struct txq {
	struct link *l;
	unsigned int r;
	int wfd;
	uv_poll_t watch;
	struct pbuf *head, *tail;
	unsigned int frames;
	size_t bytes;
};

/**
 * struct link - a link device
 * @dev:	the common part, first
 * @poll:	readable events of @fd
 * @fd:		the bound socket, non-blocking
 * @ino:	inode of the AF_UNIX path we bound, to unlink only our own
 * @local:	the local endpoint, as given
 * @bound:	that path when AF_UNIX and bound by us, else empty
 * @mtu0:	the MTU to start with
 * @n_remote:	number of remotes
 * @remote:	their addresses
 * @remote_text: and as given
 * @txq:	per remote backlog (AF_UNIX)
 * @closing:	handles whose close callback is still due
 * @fdb:	learned MACs (used only with several remotes)
 * @mloop:	runs while own multicast frames wait to be looped back
 * @mq_head:	those frames (IP_MULTICAST_LOOP), single pbufs, oldest first
 * @mq_tail:	newest
 * @mq_len:	how many
 * @buf:	one frame, received or made contiguous for sending
 */
struct link {
	struct vdev dev;
	uv_poll_t poll;
	uv_idle_t mloop;
	struct pbuf *mq_head, *mq_tail;
	unsigned int mq_len;
	int fd;
	ino_t ino;
	char *local;
	char bound[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned int mtu0;
	unsigned int n_remote;
	struct ep *remote;
	char **remote_text;
	struct txq *txq;
	unsigned int closing;
	struct fdb_ent fdb[FDB_SIZE];
	uint8_t buf[FRAME_MAX + 1];
};

/* ---- endpoints ---- */

static int parse_port(const char *s, in_port_t *port)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || !v || v > 65535)
		return -EINVAL;
	*port = htons((uint16_t)v);
	return 0;
}

/* Split "[V6]:PORT" or "V4:PORT" into @host and the port's text. */
static const char *split_host(const char *text, char *host, size_t hostlen,
			      const char **port)
{
	const char *h = text, *colon;
	size_t hl;

	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':')
			return "expected [IPV6]:PORT";
		h = text + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (!colon)
			return "expected HOST:PORT, [IPV6]:PORT or a path with a '/'";
		hl = (size_t)(colon - text);
		if (memchr(text, ':', hl))
			return "an IPv6 address needs brackets: [ADDR]:PORT";
	}
	if (!hl || hl >= hostlen)
		return "bad address";
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = colon + 1;
	return NULL;
}

/* UDP endpoint: 0 or -EINVAL with *@why set. */
static int parse_inet(const char *text, struct ep *ep, const char **why)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port;
	in_port_t p;

	*why = split_host(text, host, sizeof(host), &port);
	if (*why)
		return -EINVAL;
	if (parse_port(port, &p)) {
		*why = "bad port";
		return -EINVAL;
	}
	if (text[0] == '[') {
		ep->u.in6.sin6_family = AF_INET6;
		ep->u.in6.sin6_port = p;
		ep->len = sizeof(ep->u.in6);
		if (inet_pton(AF_INET6, host, &ep->u.in6.sin6_addr) == 1)
			return 0;
		*why = "not a numeric IPv6 address";
		return -EINVAL;
	}
	ep->u.in.sin_family = AF_INET;
	ep->u.in.sin_port = p;
	ep->len = sizeof(ep->u.in);
	if (inet_pton(AF_INET, host, &ep->u.in.sin_addr) == 1)
		return 0;
	*why = "not a numeric IPv4 address (names are not resolved)";
	return -EINVAL;
}

/**
 * parse_ep() - an endpoint's text to a socket address
 * @text:	a path (contains '/'), HOST:PORT or [V6ADDR]:PORT
 * @ep:		the address
 * @why:	set to the reason on failure
 *
 * Return: 0, -EINVAL, or -ENAMETOOLONG for a path longer than sun_path
 */
static int parse_ep(const char *text, struct ep *ep, const char **why)
{
	memset(ep, 0, sizeof(*ep));
	if (!text || !*text) {
		*why = "empty";
		return -EINVAL;
	}
	if (!strchr(text, '/'))
		return parse_inet(text, ep, why);
	if (strlen(text) >= sizeof(ep->u.un.sun_path)) {
		*why = "path too long for a socket (at most 107 bytes)";
		return -ENAMETOOLONG;
	}
	ep->u.un.sun_family = AF_UNIX;
	strcpy(ep->u.un.sun_path, text);
	ep->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			      strlen(text) + 1);
	return 0;
}

/* Whether @a (from recvfrom) is the configured @b. */
static bool ep_eq(const struct ep *a, const struct ep *b)
{
	size_t off = offsetof(struct sockaddr_un, sun_path), n;

	if (a->u.sa.sa_family != b->u.sa.sa_family)
		return false;
	switch (a->u.sa.sa_family) {
	case AF_UNIX:
		if (a->len <= off)
			return false;	/* an unbound sender */
		n = strnlen(a->u.un.sun_path, a->len - off);
		return n == strlen(b->u.un.sun_path) &&
		       !memcmp(a->u.un.sun_path, b->u.un.sun_path, n);
	case AF_INET:
		return a->u.in.sin_port == b->u.in.sin_port &&
		       a->u.in.sin_addr.s_addr == b->u.in.sin_addr.s_addr;
	case AF_INET6:
		return a->u.in6.sin6_port == b->u.in6.sin6_port &&
		       !memcmp(&a->u.in6.sin6_addr, &b->u.in6.sin6_addr, 16);
	}
	return false;
}

/* ---- the socket ---- */

/* A socket file at @ep's path that nobody answers on: left by a crash. */
static bool unix_stale(const struct ep *ep)
{
	struct stat st;
	int s, r, e;

	if (lstat(ep->u.un.sun_path, &st) || !S_ISSOCK(st.st_mode))
		return false;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	r = connect(s, &ep->u.sa, ep->len);
	e = errno;
	close(s);
	return r < 0 && e == ECONNREFUSED;
}

/* Bind @fd to @ep, replacing a stale socket file: 0 or -errno. */
static int bind_ep(struct link *l, const struct ep *ep)
{
	struct stat st;

	if (bind(l->fd, &ep->u.sa, ep->len)) {
		if (errno != EADDRINUSE || ep->u.sa.sa_family != AF_UNIX)
			return -errno;
		if (!unix_stale(ep))
			return -EADDRINUSE;
		if (unlink(ep->u.un.sun_path) && errno != ENOENT)
			return -errno;
		if (bind(l->fd, &ep->u.sa, ep->len))
			return -errno;
	}
	if (ep->u.sa.sa_family == AF_UNIX) {
		strcpy(l->bound, ep->u.un.sun_path);
		if (!lstat(l->bound, &st))
			l->ino = st.st_ino;
	}
	return 0;
}

/* Create, tune and bind the link's socket: 0 or -errno. */
static int open_socket(struct link *l, const struct ep *ep)
{
	int buf = SOCK_BUF, on = 1;

	l->fd = socket(ep->u.sa.sa_family,
		       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0)
		return -errno;
	/* Best effort: the kernel caps these at rmem_max and wmem_max. */
	setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(l->fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (ep->u.sa.sa_family == AF_INET6)
		setsockopt(l->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	return bind_ep(l, ep);
}

/* ---- learning ---- */

static unsigned int mac_hash(const uint8_t *mac)
{
	unsigned int h = 2166136261u, i;

	for (i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h ^ (h >> 16);
}

/* The remote @mac was last seen from, or -1. */
static int fdb_lookup(const struct link *l, const uint8_t *mac, uint64_t now)
{
	unsigned int h = mac_hash(mac), i;

	for (i = 0; i < FDB_PROBE; i++) {
		const struct fdb_ent *e = &l->fdb[(h + i) & (FDB_SIZE - 1)];

		if (e->used && !memcmp(e->mac, mac, 6))
			return now - e->seen < AGE_MS ? e->remote : -1;
	}
	return -1;
}

/* Remember @mac at remote @r; evicts the stalest entry of its window. */
static void fdb_learn(struct link *l, const uint8_t *mac, unsigned int r,
		      uint64_t now)
{
	unsigned int h = mac_hash(mac), i;
	struct fdb_ent *victim = NULL;

	for (i = 0; i < FDB_PROBE; i++) {
		struct fdb_ent *e = &l->fdb[(h + i) & (FDB_SIZE - 1)];

		if (e->used && !memcmp(e->mac, mac, 6)) {
			victim = e;
			break;
		}
		/* else the first free slot, or the one seen longest ago */
		if (!victim || (victim->used &&
				(!e->used || e->seen < victim->seen)))
			victim = e;
	}
	memcpy(victim->mac, mac, 6);
	victim->remote = (uint16_t)r;
	victim->seen = now;
	victim->used = true;
}

/* ---- frames ---- */

/* ---- the backlog ---- */

static ssize_t send_raw(struct link *l, unsigned int r, const void *f,
			size_t len)
{
	const struct ep *ep = &l->remote[r];

	return sendto(l->fd, f, len, MSG_DONTWAIT | MSG_NOSIGNAL, &ep->u.sa,
		      ep->len);
}

/* Forget every waiting frame, counting each as a drop. */
static void txq_drop_all(struct txq *q)
{
	while (q->head) {
		struct pbuf *p = q->head;

		q->head = p->next;
		p->next = NULL;
		pbuf_free(p);
		q->l->dev.cnt.drops++;
	}
	q->tail = NULL;
	q->frames = 0;
	q->bytes = 0;
	if (q->wfd >= 0)
		uv_poll_stop(&q->watch);
}

static void on_writable(uv_poll_t *h, int status, int events);

/* (Re)connect the watch socket to the remote and wait for room: 0 or
 * -errno (the remote is gone).  Reconnecting each time follows a remote
 * that restarted: the old connection would watch its dead socket. */
static int txq_arm(struct txq *q)
{
	const struct ep *ep = &q->l->remote[q->r];

	if (q->wfd < 0) {
		q->wfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK |
				SOCK_CLOEXEC, 0);
		if (q->wfd < 0)
			return -errno;
		if (uv_poll_init(q->l->dev.loop, &q->watch, q->wfd)) {
			close(q->wfd);
			q->wfd = -1;
			return -ENOMEM;
		}
		q->watch.data = q;
	}
	if (connect(q->wfd, &ep->u.sa, ep->len))
		return -errno;
	uv_poll_start(&q->watch, UV_WRITABLE, on_writable);
	return 0;
}

/* Append a copy of @f: false when the backlog is full. */
static bool txq_push(struct txq *q, const void *f, size_t len)
{
	struct pbuf *p;

	if (q->frames >= TXQ_FRAMES || q->bytes + len > TXQ_BYTES)
		return false;
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (!p)
		return false;
	pbuf_take(p, f, (u16_t)len);
	p->next = NULL;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->frames++;
	q->bytes += len;
	return true;
}

/* The remote has room: send what waits, in order, as far as it goes. */
static void on_writable(uv_poll_t *h, int status, int events)
{
	struct txq *q = h->data;

	while (q->head) {
		struct pbuf *p = q->head;

		if (send_raw(q->l, q->r, p->payload, p->len) < 0) {
			if (errno != EAGAIN || txq_arm(q) < 0)
				txq_drop_all(q);
			return;
		}
		q->head = p->next;
		q->frames--;
		q->bytes -= p->len;
		p->next = NULL;
		pbuf_free(p);
	}
	q->tail = NULL;
	uv_poll_stop(&q->watch);
}

/* Send @len bytes to remote @r: true if the kernel took them or they
 * wait in the remote's backlog. */
static bool send_one(struct link *l, unsigned int r, const void *f, size_t len)
{
	struct txq *q = &l->txq[r];

	if (q->head)
		return txq_push(q, f, len);	/* keep the order */
	if (send_raw(l, r, f, len) == (ssize_t)len)
		return true;
	if (errno != EAGAIN || l->remote[r].u.sa.sa_family != AF_UNIX ||
	    txq_arm(q) < 0)
		return false;
	if (txq_push(q, f, len))
		return true;
	uv_poll_stop(&q->watch);
	return false;
}

/* ---- multicast loopback ---- */

#define MLOOP_MAX	256	/* frames waiting; past this they are not looped */

/* Whether lwIP marked the packet for local delivery too: the sending
 * socket has IP_MULTICAST_LOOP on (netstack/mcast.c).  The mark is on
 * the IP packet's pbuf, which may follow a separate Ethernet header. */
static bool wants_loop(const struct pbuf *p)
{
	for (; p; p = p->next)
		if (p->flags & PBUF_FLAG_MCASTLOOP)
			return true;
	return false;
}

static void on_mloop(uv_idle_t *h)
{
	struct link *l = h->data;
	unsigned int budget = l->mq_len;	/* only what was queued so far */
	struct netif *n = &l->dev.netif;

	while (l->mq_head && budget--) {
		struct pbuf *p = l->mq_head;

		l->mq_head = p->next;
		if (!l->mq_head)
			l->mq_tail = NULL;
		p->next = NULL;
		l->mq_len--;
		if (!netif_is_up(n) || n->input(p, n) != ERR_OK)
			pbuf_free(p);
	}
	if (!l->mq_head)
		uv_idle_stop(&l->mloop);
}

/*
 * Queue a copy of our own multicast frame @f for our own input, as
 * Linux's ip_mc_output() loops a copy back (dev_loopback_xmit()): local
 * sockets of the group receive it as if it had arrived on this device.
 * It goes in on a later turn of the loop: lwIP is not re-entered.
 */
static void mloop_queue(struct link *l, const uint8_t *f, size_t len)
{
	struct pbuf *q;

	if (l->mq_len >= MLOOP_MAX)
		return;
	q = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (!q)
		return;
	pbuf_take(q, f, (u16_t)len);
	if (l->mq_tail)
		l->mq_tail->next = q;
	else
		l->mq_head = q;
	l->mq_tail = q;
	if (!l->mq_len++)
		uv_idle_start(&l->mloop, on_mloop);
}

static void mloop_drop_all(struct link *l)
{
	struct pbuf *p;

	while ((p = l->mq_head)) {
		l->mq_head = p->next;
		p->next = NULL;
		pbuf_free(p);
	}
	l->mq_tail = NULL;
	l->mq_len = 0;
}

/* An IPv6 frame to an interface-local group (ff01::/16, RFC 4291 2.7:
 * "useful only for loopback transmission of multicast"), untagged */
static bool iflocal_mcast(const uint8_t *f, size_t len)
{
	return len >= ETH_HLEN + 40 && f[12] == 0x86 && f[13] == 0xdd &&
	       f[ETH_HLEN + 24] == 0xff && (f[ETH_HLEN + 25] & 0x0f) == 1;
}

/**
 * link_output() - netif->linkoutput: one frame to the remote(s)
 * @netif:	the link's netif
 * @p:		the frame, Ethernet header first; not consumed
 *
 * A frame no remote took (peer absent, backlog full) counts as a drop;
 * that is a lost frame on the wire for lwIP, not an error.  A frame left
 * in a backlog counts as sent, and once more as a drop if its remote goes
 * away before it leaves.
 *
 * Return: ERR_OK
 */
static err_t link_output(struct netif *netif, struct pbuf *p)
{
	struct link *l = netif->state;
	const uint8_t *f = p->payload;
	size_t len = p->tot_len;
	bool sent = false;
	unsigned int r;
	int to = 0;

	if (len < ETH_HLEN || len > FRAME_MAX) {
		l->dev.cnt.drops++;
		return ERR_OK;
	}
	if (p->next) {
		pbuf_copy_partial(p, l->buf, (u16_t)len, 0);
		f = l->buf;
	}
	/* ip6_finish_output2(): an interface-local group is only looped
	 * back, never put on the wire */
	if (iflocal_mcast(f, len)) {
		if (wants_loop(p))
			mloop_queue(l, f, len);
		return ERR_OK;
	}
	vdev__tap(&l->dev, p, true);
	if ((f[0] & 1) && wants_loop(p))
		mloop_queue(l, f, len);
	if (l->n_remote > 1 && !(f[0] & 1))
		to = fdb_lookup(l, f, uv_now(l->dev.loop));
	else if (l->n_remote > 1)
		to = -1;
	if (to >= 0)
		sent = send_one(l, (unsigned int)to, f, len);
	else
		for (r = 0; r < l->n_remote; r++)
			sent |= send_one(l, r, f, len);
	if (!sent) {
		l->dev.cnt.drops++;
		return ERR_OK;
	}
	l->dev.cnt.tx_packets++;
	l->dev.cnt.tx_bytes += len;
	return ERR_OK;
}

/* Index of the remote @from is, or -1 for a stranger. */
static int remote_index(const struct link *l, const struct ep *from)
{
	unsigned int r;

	for (r = 0; r < l->n_remote; r++)
		if (ep_eq(from, &l->remote[r]))
			return (int)r;
	return -1;
}

/* Whether a received frame of @len bytes fits the MTU (+ a VLAN tag) and
 * a pbuf (tot_len is a u16_t: MTU 65535 plus headers would not). */
static bool frame_fits(const struct link *l, const uint8_t *f, size_t len)
{
	size_t max = ETH_HLEN + l->dev.netif.mtu;

	if (len >= ETH_HLEN && f[12] == 0x81 && f[13] == 0x00)
		max += VLAN_HLEN;
	return len >= ETH_HLEN && len <= max && len <= 0xffff;
}

/* One received frame @f from @from: check, learn, hand to lwIP. */
static void rx_frame(struct link *l, const struct ep *from, const uint8_t *f,
		     size_t len)
{
	struct netif *n = &l->dev.netif;
	struct pbuf *p;
	int r = remote_index(l, from);

	if (r < 0 || !frame_fits(l, f, len) || !netif_is_up(n)) {
		l->dev.cnt.drops++;
		return;
	}
	if (l->n_remote > 1 && !(f[6] & 1))
		fdb_learn(l, f + 6, (unsigned int)r, uv_now(l->dev.loop));
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (!p) {
		l->dev.cnt.drops++;
		return;
	}
	pbuf_take(p, f, (u16_t)len);
	l->dev.cnt.rx_packets++;
	l->dev.cnt.rx_bytes += len;
	vdev__tap(&l->dev, p, false);
	/* ip6_rcv_core(): an interface-local group from the wire is
	 * dropped (another stack may send it) */
	if (iflocal_mcast(f, len)) {
		pbuf_free(p);
		return;
	}
	/* As a NIC's MAC filter: unicast for another station (flooded by a
	 * peer that had not learnt where it lives) is not for us; lwIP
	 * would take it by its IP address, and forward it, a duplicate. */
	if (!(f[0] & 1) && memcmp(f, n->hwaddr, 6)) {
		pbuf_free(p);
		return;
	}
	if (n->input(p, n) != ERR_OK)
		pbuf_free(p);
}

/*
 * The slots received frames land in, shared by every link: one loop, and
 * a batch is handed to lwIP before the next recvmmsg() (lwIP's sends use
 * each link's own buf).  Untouched pages cost no memory.
 */
static uint8_t rx_area[RX_AREA];

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct link *l = h->data;
	struct mmsghdr mm[RX_BATCH];
	struct iovec iov[RX_BATCH];
	struct ep from[RX_BATCH];
	unsigned int done = 0, want, i;
	/* the largest frame frame_fits() takes, and a byte to see more */
	size_t slot = ETH_HLEN + VLAN_HLEN + l->dev.netif.mtu + 1;

	if (slot > FRAME_MAX + 1)
		slot = FRAME_MAX + 1;
	want = RX_AREA / slot < RX_BATCH ? RX_AREA / slot : RX_BATCH;
	for (i = 0; i < want; i++) {
		iov[i].iov_base = rx_area + i * slot;
		iov[i].iov_len = slot;
		mm[i].msg_hdr = (struct msghdr){
			.msg_name = &from[i].u,
			.msg_iov = &iov[i],
			.msg_iovlen = 1,
		};
	}
	while (done < RX_BUDGET) {
		int n;

		/* the one field each call changes */
		for (i = 0; i < want; i++)
			mm[i].msg_hdr.msg_namelen = sizeof(from[i].u);
		n = recvmmsg(l->fd, mm, want, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			done++;	/* a queued ICMP error (UDP): consumed */
			continue;
		}
		for (i = 0; i < (unsigned int)n; i++) {
			/* MSG_TRUNC: msg_len is the datagram's own length */
			if (mm[i].msg_len >= slot) {
				l->dev.cnt.drops++;
				continue;
			}
			from[i].len = mm[i].msg_hdr.msg_namelen;
			rx_frame(l, &from[i], iov[i].iov_base, mm[i].msg_len);
		}
		if ((unsigned int)n < want)
			return;	/* the queue is empty */
		done += (unsigned int)n;
	}
}

/* ---- the device ---- */

static err_t link_netif_init(struct netif *netif)
{
	struct link *l = netif->state;

	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->hwaddr_len = 6;
	memcpy(netif->hwaddr, l->dev.mac, 6);
	netif->mtu = (u16_t)l->mtu0;
	netif->flags = NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
		       NETIF_FLAG_BROADCAST | NETIF_FLAG_IGMP |
		       NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = link_output;
	return ERR_OK;
}

static void destroy(struct link *l)
{
	unsigned int r;

	for (r = 0; r < l->n_remote && l->remote_text; r++)
		free(l->remote_text[r]);
	free(l->remote_text);
	free(l->remote);
	free(l->txq);
	free(l->local);
	free(l);
}

/* One handle closed; the last one frees the link. */
static void release(struct link *l)
{
	if (!--l->closing)
		destroy(l);
}

static void poll_closed(uv_handle_t *h)
{
	release(h->data);
}

static void mloop_closed(uv_handle_t *h)
{
	release(h->data);
}

static void watch_closed(uv_handle_t *h)
{
	struct txq *q = h->data;

	release(q->l);
}

/* Close the socket now (so the endpoint is free at once), unlink our path. */
static void close_socket(struct link *l)
{
	struct stat st;

	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	if (l->bound[0] && !lstat(l->bound, &st) && st.st_ino == l->ino)
		unlink(l->bound);
	l->bound[0] = '\0';
}

/* vdev_ops.free */
static void link_free(struct vdev *dev)
{
	struct link *l = (struct link *)dev;
	unsigned int r;

	/* Closing a poll handle stops it and takes the fd out of epoll at
	 * once, so the fd may be closed before the close callback. */
	l->closing = 2;
	uv_close((uv_handle_t *)&l->poll, poll_closed);
	mloop_drop_all(l);
	uv_close((uv_handle_t *)&l->mloop, mloop_closed);
	for (r = 0; r < l->n_remote; r++) {
		struct txq *q = &l->txq[r];

		txq_drop_all(q);
		if (q->wfd < 0)
			continue;
		l->closing++;
		uv_close((uv_handle_t *)&q->watch, watch_closed);
		close(q->wfd);
		q->wfd = -1;
	}
	close_socket(l);
}

/* vdev_ops.describe: "local A remote B,C" */
static void link_describe(const struct vdev *dev, char *buf, size_t len)
{
	const struct link *l = (const struct link *)dev;
	size_t off;
	unsigned int r;

	off = (size_t)snprintf(buf, len, "local %s remote ", l->local);
	for (r = 0; r < l->n_remote && off < len; r++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					r ? "," : "", l->remote_text[r]);
}

/* A packet socket's frame: out as the stack's go (never looped back) */
static int link_xmit(struct vdev *dev, struct pbuf *p)
{
	return link_output(&dev->netif, p) == ERR_OK ? 0 : -ENOBUFS;
}

static const struct vdev_ops link_ops = {
	.kind = "link",
	.free = link_free,
	.describe = link_describe,
	.xmit = link_xmit,
};

/* Check everything in @o that needs no system call; fill in @l. */
static int link_config(struct link *l, const char *name,
		       const struct vdev_link_opts *o, struct ep *local,
		       char *err, size_t errlen)
{
	const char *why = NULL;
	unsigned int r;
	int ret;

	if (o->mtu && (o->mtu < VDEV_MTU_MIN || o->mtu > VDEV_MTU_MAX))
		return vdev__fail(err, errlen, -EINVAL, "mtu %u: not in %u..%u",
			    o->mtu, VDEV_MTU_MIN, VDEV_MTU_MAX);
	if (o->mac && ((o->mac[0] & 1) || !memcmp(o->mac, "\0\0\0\0\0\0", 6)))
		return vdev__fail(err, errlen, -EINVAL, "mac %02x:%02x:%02x:%02x:%02x:%02x: "
			    "not a unicast address", o->mac[0], o->mac[1],
			    o->mac[2], o->mac[3], o->mac[4], o->mac[5]);
	ret = parse_ep(o->local, local, &why);
	if (ret < 0)
		return vdev__fail(err, errlen, ret, "local '%s': %s",
			    o->local ? o->local : "", why);
	if (!o->n_remote || !o->remote)
		return vdev__fail(err, errlen, -EINVAL, "remote: none given");
	if (o->n_remote > REMOTE_MAX)
		return vdev__fail(err, errlen, -EINVAL, "remote: %u given, at most %u",
			    o->n_remote, REMOTE_MAX);
	l->remote = calloc(o->n_remote, sizeof(*l->remote));
	l->remote_text = calloc(o->n_remote, sizeof(*l->remote_text));
	l->txq = calloc(o->n_remote, sizeof(*l->txq));
	l->local = strdup(o->local);
	if (!l->remote || !l->remote_text || !l->txq || !l->local)
		return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	for (r = 0; r < o->n_remote; r++, l->n_remote++) {
		const char *t = o->remote[r];

		ret = parse_ep(t, &l->remote[r], &why);
		if (ret < 0)
			return vdev__fail(err, errlen, ret, "remote '%s': %s",
				    t ? t : "", why);
		if (l->remote[r].u.sa.sa_family != local->u.sa.sa_family)
			return vdev__fail(err, errlen, -EINVAL, "remote '%s': not the "
				    "same kind of endpoint as local '%s'", t,
				    o->local);
		l->txq[r].l = l;
		l->txq[r].r = r;
		l->txq[r].wfd = -1;
		if (!(l->remote_text[r] = strdup(t)))
			return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	}
	if (o->mac)
		memcpy(l->dev.mac, o->mac, 6);
	else
		vdev__stable_mac(l->dev.mac, o->local, name);
	l->mtu0 = o->mtu ? o->mtu : LINK_MTU;
	return 0;
}

/* Add and bring up the netif, with a preferred link-local IPv6 address. */
static int link_netif_up(struct link *l)
{
	struct netif *n = &l->dev.netif;

	if (!netif_add(n, NULL, NULL, NULL, l, link_netif_init, ethernet_input))
		return -ENOMEM;
	/* No DAD: the MAC is ours on a segment we made. */
	netif_create_ip6_linklocal_address(n, 1);
	netif_ip6_addr_set_state(n, 0, IP6_ADDR_PREFERRED);
	netif_set_link_up(n);
	netif_set_up(n);
	return 0;
}

/**
 * vdev_link_new() - create a link device, bind its endpoint, bring it up
 * @loop:	the loop that reads its socket
 * @name:	interface name, 1..15 characters
 * @o:		endpoints, MTU and MAC
 * @err:	a one-line reason on failure, quoting what was wrong
 * @errlen:	its size
 * @out:	set to the device
 *
 * Return: 0, -EINVAL (bad name, endpoint, MTU or MAC, no remotes),
 * -ENAMETOOLONG, or the errno of socket() or bind(), e.g. -EADDRINUSE,
 * -EACCES
 */
int vdev_link_new(uv_loop_t *loop, const char *name,
		  const struct vdev_link_opts *o, char *err, size_t errlen,
		  struct vdev **out)
{
	struct ep local;
	struct link *l;
	int ret;

	if (!loop || !o || !out)
		return vdev__fail(err, errlen, -EINVAL, "bad arguments");
	if (!vdev__name_ok(name))
		return vdev__fail(err, errlen, -EINVAL, "name '%s': 1 to %d characters",
			    name ? name : "", VDEV_NAME_MAX - 1);
	l = calloc(1, sizeof(*l));
	if (!l)
		return vdev__fail(err, errlen, -ENOMEM, "out of memory");
	l->fd = -1;
	vdev__init(&l->dev, &link_ops, loop, name);
	ret = link_config(l, name, o, &local, err, errlen);
	if (ret < 0)
		goto fail_free;
	ret = open_socket(l, &local);
	if (ret < 0) {
		vdev__fail(err, errlen, ret, "local '%s': %s", o->local, strerror(-ret));
		goto fail_free;
	}
	ret = uv_poll_init(loop, &l->poll, l->fd);
	if (ret < 0) {
		vdev__fail(err, errlen, ret, "local '%s': %s", o->local, uv_strerror(ret));
		goto fail_free;
	}
	l->poll.data = l;
	uv_idle_init(loop, &l->mloop);
	l->mloop.data = l;
	ret = link_netif_up(l);
	if (ret < 0) {
		vdev__fail(err, errlen, ret, "out of memory");
		link_free(&l->dev);
		return ret;
	}
	uv_poll_start(&l->poll, UV_READABLE, on_readable);
	*out = &l->dev;
	return 0;
fail_free:
	close_socket(l);
	destroy(l);
	return ret;
}

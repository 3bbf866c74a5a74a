/* SPDX-License-Identifier: MIT */
/*
 * check_tcpmd5.c - unit tests of netstack/tcpmd5.c: RFC 2385 signatures
 * over constructed segments (IPv4 and IPv6, checked against digests
 * computed independently with Python's hashlib), finding the option in a
 * header lwIP split across pbufs, TCP_MD5SIG/TCP_MD5SIG_EXT values and
 * their errnos (Linux's tcp_v4/v6_parse_md5_keys()), and two lwIP sockets
 * on the stack's `lo`: every segment they exchange carries a signature
 * that verifies, the SYN has no timestamps, a wrong key is dropped and
 * counted, a segment for a vanished connection gets a RST signed by the
 * listener only when it holds the right key, and a signed SYN to a closed
 * port gets no RST.
 *
 * The stack runs on a loop (ns_new() brings up `lo`); sockets are made
 * through netstack/internal.h without a tracee, and each such test ends
 * with uv_loop_close() == 0.  Linked with rrs_ns only.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>

#include "lwip/ip.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip4.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"

#include "netstack/internal.h"

#ifndef TCP_MD5SIG_FLAG_IFINDEX
#define TCP_MD5SIG_FLAG_IFINDEX	2
#endif

static ip_addr_t addr(const char *text)
{
	ip_addr_t a;

	ck_assert_msg(ipaddr_aton(text, &a), "bad address %s", text);
	return a;
}

static void unhex(const char *h, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int b;

	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
}

/* ---- signatures over a constructed segment ---- */

/*
 * 179 -> 40000, seq 0x01020304, ack 0x05060708, 40-byte header (the 20
 * option bytes are not signed), PSH|ACK, window 0x1000, a checksum that
 * must be taken as 0, data "hello, bgp", key "s3cret".  The digests come
 * from Python: md5(pseudo-header + header with checksum 0 + data + key),
 *   ph4 = inet_aton(src) + inet_aton(dst) + pack("!BBH", 0, 6, 50)
 *   ph6 = inet_pton(src) + inet_pton(dst) + pack("!I3xB", 50, 6)
 */
static const uint8_t seg_hdr[20] = {
	0x00, 0xb3, 0x9c, 0x40, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0xa0, 0x18, 0x10, 0x00, 0xab, 0xcd, 0x00, 0x00,
};

static void digest_of(const char *src, const char *dst, uint8_t out[16])
{
	struct tcpmd5_key k = { .keylen = 6 };
	ip_addr_t s = addr(src), d = addr(dst);
	struct pbuf *p = pbuf_alloc(PBUF_RAW, 10, PBUF_RAM);

	memcpy(k.key, "s3cret", 6);
	ck_assert_ptr_nonnull(p);
	memcpy(p->payload, "hello, bgp", 10);
	ns__md5_digest(out, &k, &s, &d, seg_hdr, 50, p, 0);
	pbuf_free(p);
}

START_TEST(tcpmd5_digest_ipv4_matches_reference)
{
	uint8_t got[16], want[16];

	digest_of("10.0.0.1", "10.0.0.2", got);
	unhex("01adfa2f000f6c6e25b7bf8ce66a5050", want, 16);
	ck_assert_mem_eq(got, want, 16);
}
END_TEST

START_TEST(tcpmd5_digest_ipv6_matches_reference)
{
	uint8_t got[16], want[16];

	digest_of("fd00::1", "fd00::2", got);
	unhex("838325e11c64ca532e0cf6efab006200", want, 16);
	ck_assert_mem_eq(got, want, 16);
}
END_TEST

/* The data may start at an offset and span pbufs: same digest. */
START_TEST(tcpmd5_digest_chained_data_same)
{
	struct tcpmd5_key k = { .keylen = 6 };
	ip_addr_t s = addr("10.0.0.1"), d = addr("10.0.0.2");
	struct pbuf *a = pbuf_alloc(PBUF_RAW, 7, PBUF_RAM);
	struct pbuf *b = pbuf_alloc(PBUF_RAW, 6, PBUF_RAM);
	uint8_t got[16], want[16];

	memcpy(k.key, "s3cret", 6);
	memcpy(a->payload, "xxxhell", 7);
	memcpy(b->payload, "o, bgp", 6);
	pbuf_cat(a, b);
	ns__md5_digest(got, &k, &s, &d, seg_hdr, 50, a, 3);
	pbuf_free(a);
	unhex("01adfa2f000f6c6e25b7bf8ce66a5050", want, 16);
	ck_assert_mem_eq(got, want, 16);
}
END_TEST

/* ---- the option on input ---- */

/* A header and its options laid out as tcp_input() leaves them. */
struct hdr_opts {
	struct tcp_hdr h;
	uint8_t opts[40];
};

START_TEST(tcpmd5_option_found_across_pbufs)
{
	/* NOP NOP timestamps, NOP NOP MD5, then 4 bytes of padding */
	uint8_t o[36] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 19, 18 };
	struct hdr_opts x;
	uint8_t opt2[40], sig[16];
	u16_t split;

	for (split = 16; split < 32; split++)
		o[split] = (uint8_t)split;
	for (split = 0; split <= sizeof(o); split++) {
		memset(&x, 0, sizeof(x));
		memset(sig, 0, sizeof(sig));
		memcpy(x.opts, o, split);
		memcpy(opt2, o + split, sizeof(o) - split);
		ck_assert_msg(ns__md5_find_option(&x.h, sizeof(o), split, opt2, sig),
			      "split at %u", split);
		ck_assert_mem_eq(sig, o + 16, 16);
	}
}
END_TEST

START_TEST(tcpmd5_option_malformed_not_found)
{
	static const struct {
		u16_t len;
		uint8_t o[40];
	} v[] = {
		{ 20, { 0, 1, 19, 18 } },		/* EOL before it */
		{ 20, { 1, 1, 19, 17 } },		/* wrong length */
		{ 20, { 8, 1, 19, 18 } },		/* option size 1 */
		{ 20, { 8, 30, 19, 18 } },		/* option past the end */
		{ 4, { 1, 1, 19, 18 } },		/* cut short */
		{ 20, { 2, 4, 5, 180, 1, 1, 1, 1 } },	/* none at all */
	};
	struct hdr_opts x;
	uint8_t sig[16];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(&x, 0, sizeof(x));
		memcpy(x.opts, v[i].o, sizeof(v[i].o));
		ck_assert_msg(!ns__md5_find_option(&x.h, v[i].len, v[i].len, NULL, sig),
			      "case %zu", i);
	}
}
END_TEST

/* ---- the socket option ---- */

struct fixture {
	uv_loop_t loop;
	struct ns *ns;
};

static void up(struct fixture *f)
{
	ck_assert_int_eq(uv_loop_init(&f->loop), 0);
	ck_assert_int_eq(ns_new(&f->loop, &f->ns), 0);
}

static void down(struct fixture *f)
{
	ns_free(f->ns);
	ck_assert_int_eq(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&f->loop), 0);
}

static struct sock *tcp_sock(struct fixture *f, int family)
{
	struct sock *s = ns__sock_new(f->ns, family, SOCK_STREAM, IPPROTO_TCP);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(ns__tcp_open(s), 0);
	return s;
}

/* struct tcp_md5sig (linux/tcp.h, 216 bytes) for @a with @key. */
static void md5sig(uint8_t v[216], int family, const char *a, uint8_t flags,
		   uint8_t prefixlen, uint16_t keylen, int32_t ifindex,
		   const char *key)
{
	struct sockaddr_in sin = { .sin_family = (sa_family_t)family };
	struct sockaddr_in6 sin6 = { .sin6_family = (sa_family_t)family };

	memset(v, 0, 216);
	if (strchr(a, ':')) {
		ck_assert_int_eq(inet_pton(AF_INET6, a, &sin6.sin6_addr), 1);
		memcpy(v, &sin6, sizeof(sin6));
	} else {
		ck_assert_int_eq(inet_pton(AF_INET, a, &sin.sin_addr), 1);
		memcpy(v, &sin, sizeof(sin));
	}
	v[128] = flags;
	v[129] = prefixlen;
	memcpy(v + 130, &keylen, 2);
	memcpy(v + 132, &ifindex, 4);
	memcpy(v + 136, key, strlen(key) < 80 ? strlen(key) : 80);
}

static int set(struct sock *s, int name, int family, const char *a,
	       uint8_t flags, uint8_t prefixlen, uint16_t keylen, int32_t ifindex)
{
	uint8_t v[216];

	md5sig(v, family, a, flags, prefixlen, keylen, ifindex, "s3cret");
	return ns__md5_set(s, name, v);
}

START_TEST(tcpmd5_set_errnos_as_linux)
{
	struct fixture f;
	struct sock *s4, *s6;

	up(&f);
	s4 = tcp_sock(&f, AF_INET);
	s6 = tcp_sock(&f, AF_INET6);
	/* address family of the socket's own kind only */
	ck_assert_int_eq(set(s4, TCP_MD5SIG, AF_INET6, "fd00::1", 0, 0, 6, 0), -EINVAL);
	ck_assert_int_eq(set(s6, TCP_MD5SIG, AF_INET, "10.0.0.1", 0, 0, 6, 0), -EINVAL);
	/* key length up to 80 */
	ck_assert_int_eq(set(s4, TCP_MD5SIG, AF_INET, "10.0.0.1", 0, 0, 81, 0), -EINVAL);
	ck_assert_int_eq(set(s4, TCP_MD5SIG, AF_INET, "10.0.0.1", 0, 0, 80, 0), 0);
	/* prefixes: only with _EXT and FLAG_PREFIX, at most the address */
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.0",
			     TCP_MD5SIG_FLAG_PREFIX, 33, 6, 0), -EINVAL);
	ck_assert_int_eq(set(s6, TCP_MD5SIG_EXT, AF_INET6, "fd00::",
			     TCP_MD5SIG_FLAG_PREFIX, 129, 6, 0), -EINVAL);
	ck_assert_int_eq(set(s6, TCP_MD5SIG_EXT, AF_INET6, "::ffff:10.0.0.0",
			     TCP_MD5SIG_FLAG_PREFIX, 33, 6, 0), -EINVAL);
	ck_assert_int_eq(set(s4, TCP_MD5SIG, AF_INET, "10.0.0.0",
			     TCP_MD5SIG_FLAG_PREFIX, 99, 6, 0), 0);	/* ignored */
	/* an interface: only an L3 master device, which the sandbox lacks */
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.1",
			     TCP_MD5SIG_FLAG_IFINDEX, 0, 6, 1), -EINVAL);
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.1",
			     TCP_MD5SIG_FLAG_IFINDEX, 0, 6, 0), 0);
	/* keylen 0 deletes the exact key (address, prefix, flags) */
	ck_assert_int_eq(set(s4, TCP_MD5SIG, AF_INET, "10.0.0.9", 0, 0, 0, 0), -ENOENT);
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.1", 0, 0, 0, 0), 0);
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.1", 0, 0, 0, 0), -ENOENT);
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.1",
			     TCP_MD5SIG_FLAG_IFINDEX, 0, 0, 0), 0);
	down(&f);
}
END_TEST

START_TEST(tcpmd5_lookup_longest_prefix_and_mapped)
{
	struct fixture f;
	struct sock *s4, *s6;
	ip_addr_t a;
	const struct tcpmd5_key *k;

	up(&f);
	s4 = tcp_sock(&f, AF_INET);
	s6 = tcp_sock(&f, AF_INET6);
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.0.0.0",
			     TCP_MD5SIG_FLAG_PREFIX, 8, 3, 0), 0);
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.1.2.0",
			     TCP_MD5SIG_FLAG_PREFIX, 24, 5, 0), 0);
	a = addr("10.1.2.3");
	k = ns__md5_lookup(s4->md5, &a);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->keylen, 5);
	a = addr("10.9.9.9");
	k = ns__md5_lookup(s4->md5, &a);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->keylen, 3);
	a = addr("11.0.0.1");
	ck_assert_ptr_null(ns__md5_lookup(s4->md5, &a));
	/* replacing a key keeps one entry */
	ck_assert_int_eq(set(s4, TCP_MD5SIG_EXT, AF_INET, "10.1.2.0",
			     TCP_MD5SIG_FLAG_PREFIX, 24, 7, 0), 0);
	a = addr("10.1.2.3");
	ck_assert_uint_eq(ns__md5_lookup(s4->md5, &a)->keylen, 7);
	/* an IPv4-mapped key on an IPv6 socket is for IPv4 peers only */
	ck_assert_int_eq(set(s6, TCP_MD5SIG, AF_INET6, "::ffff:10.0.0.2", 0, 0, 6, 0), 0);
	a = addr("10.0.0.2");
	ck_assert_ptr_nonnull(ns__md5_lookup(s6->md5, &a));
	a = addr("::ffff:10.0.0.2");
	ck_assert_ptr_null(ns__md5_lookup(s6->md5, &a));
	down(&f);
}
END_TEST

/* ---- two lwIP sockets on lo ---- */

#define MAX_SEGS 64

static struct {
	netif_output_fn out;		/* lo's own output */
	unsigned int n;
	uint16_t len[MAX_SEGS];
	uint8_t seg[MAX_SEGS][128];	/* IPv4 header + TCP header, at most */
	bool connected;
} spy;

static err_t spy_output(struct netif *n, struct pbuf *p, const ip4_addr_t *dst)
{
	if (spy.n < MAX_SEGS) {
		spy.len[spy.n] = (uint16_t)pbuf_copy_partial(p, spy.seg[spy.n],
							     sizeof(spy.seg[0]), 0);
		spy.n++;
	}
	return spy.out(n, p, dst);
}

static struct netif *lo_netif(void)
{
	struct netif *n;

	NETIF_FOREACH(n)
		if (ip4_addr_isloopback(netif_ip4_addr(n)))
			return n;
	ck_abort_msg("no lo");
	return NULL;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	spy.connected = true;
	return ERR_OK;
}

/* A listener on 127.0.0.1:1790 keyed @lkey, a client keyed @ckey
 * connecting to it; the loop runs until connected or 300 ms. */
static struct sock *connect_keyed(struct fixture *f, const char *lkey,
				  const char *ckey, struct sock **client)
{
	struct sock *l = tcp_sock(f, AF_INET), *c = tcp_sock(f, AF_INET);
	ip_addr_t lo = addr("127.0.0.1");
	uint8_t v[216];
	int i;

	md5sig(v, AF_INET, "127.0.0.1", 0, 0, (uint16_t)strlen(lkey), 0, lkey);
	ck_assert_int_eq(ns__md5_set(l, TCP_MD5SIG, v), 0);
	ck_assert_int_eq(ns__tcp_bind(l, &lo, 1790), 0);
	ck_assert_int_eq(ns__tcp_listen(l, 4), 0);
	md5sig(v, AF_INET, "127.0.0.1", 0, 0, (uint16_t)strlen(ckey), 0, ckey);
	ck_assert_int_eq(ns__md5_set(c, TCP_MD5SIG, v), 0);
	spy.out = lo_netif()->output;
	lo_netif()->output = spy_output;
	ck_assert_int_eq(tcp_connect(c->pcb.tcp, &lo, 1790, on_connected), ERR_OK);
	for (i = 0; i < 300 && !spy.connected; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	/* Let the last ACK through too. */
	for (i = 0; i < 20; i++)
		uv_run(&f->loop, UV_RUN_NOWAIT);
	if (client)
		*client = c;
	return l;
}

/* Whether TCP option @kind is among @th's options. */
static bool has_option(const uint8_t *th, uint8_t kind)
{
	unsigned int hlen = (unsigned int)(th[12] >> 4) * 4, i = 20;

	while (i < hlen && th[i]) {
		if (th[i] == 1) {
			i++;
			continue;
		}
		if (th[i] == kind)
			return true;
		i += th[i + 1] ? th[i + 1] : 1;
	}
	return false;
}

START_TEST(tcpmd5_lo_every_segment_signed)
{
	struct fixture f;
	struct tcpmd5_stats st;
	struct tcpmd5_key k = { .keylen = 6 };
	ip_addr_t lo = addr("127.0.0.1");
	unsigned int i, syns = 0;

	memcpy(k.key, "s3cret", 6);
	up(&f);
	connect_keyed(&f, "s3cret", "s3cret", NULL);
	ck_assert(spy.connected);
	ck_assert_uint_ge(spy.n, 3);	/* SYN, SYN-ACK, ACK */
	for (i = 0; i < spy.n; i++) {
		const uint8_t *ip = spy.seg[i], *th = ip + 20;
		unsigned int hlen = (unsigned int)(th[12] >> 4) * 4;
		uint16_t seglen = (uint16_t)((ip[2] << 8 | ip[3]) - 20);
		uint8_t want[16];

		ck_assert_uint_eq(ip[9], IP_PROTO_TCP);
		ck_assert_uint_ge(hlen, 40);
		ck_assert_uint_le(hlen, 60);
		/* NOP NOP kind 19 length 18, last of the options */
		ck_assert_uint_eq(th[hlen - 20], 1);
		ck_assert_uint_eq(th[hlen - 19], 1);
		ck_assert_uint_eq(th[hlen - 18], 19);
		ck_assert_uint_eq(th[hlen - 17], 18);
		ck_assert_uint_eq(seglen, hlen);	/* no data in a handshake */
		ns__md5_digest(want, &k, &lo, &lo, th, seglen, NULL, 0);
		ck_assert_mem_eq(th + hlen - 16, want, 16);
		if (th[13] & TCP_SYN) {
			syns++;
			ck_assert_msg(!has_option(th, 8), "timestamps on a signed SYN");
			ck_assert(has_option(th, 2));	/* MSS */
		}
	}
	ck_assert_uint_eq(syns, 2);
	ns_tcpmd5_stats(&st);
	ck_assert_uint_eq(st.notfound + st.unexpected + st.failure, 0);
	down(&f);
}
END_TEST

START_TEST(tcpmd5_lo_wrong_key_dropped_counted)
{
	struct fixture f;
	struct tcpmd5_stats st;

	up(&f);
	connect_keyed(&f, "s3cret", "wrong!", NULL);
	ck_assert(!spy.connected);
	ns_tcpmd5_stats(&st);
	ck_assert_uint_ge(st.failure, 1);
	ck_assert_uint_eq(st.notfound + st.unexpected, 0);
	down(&f);
}
END_TEST

/*
 * The server side of a signed connection vanishes without a word (as
 * after a restart); the client sends.  The segment goes to the listener:
 * still holding the key, it answers with a RST signed with it, which the
 * client takes; holding another key, it drops the segment and sends
 * nothing (as Linux's listener).
 */
static void stale_client(const char *newkey, bool reset)
{
	struct fixture f;
	struct tcpmd5_key k = { .keylen = 6 };
	struct sock *l, *c, *a;
	ip_addr_t lo = addr("127.0.0.1");
	unsigned int i, from, rsts = 0;
	uint8_t v[216];

	memcpy(k.key, "s3cret", 6);
	up(&f);
	l = connect_keyed(&f, "s3cret", "s3cret", &c);
	ck_assert(spy.connected);
	a = l->acc_head;
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(a->pcb.tcp);
	tcp_abandon(a->pcb.tcp, 0);	/* no RST; on_err forgets the pcb */
	ck_assert_ptr_null(a->pcb.tcp);
	md5sig(v, AF_INET, "127.0.0.1", 0, 0, 6, 0, newkey);
	ck_assert_int_eq(ns__md5_set(l, TCP_MD5SIG, v), 0);
	from = spy.n;
	ck_assert_int_eq(tcp_write(c->pcb.tcp, "x", 1, TCP_WRITE_FLAG_COPY), ERR_OK);
	ck_assert_int_eq(tcp_output(c->pcb.tcp), ERR_OK);
	for (i = 0; i < 200 && c->pcb.tcp; i++) {
		uv_run(&f.loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	for (i = from; i < spy.n; i++) {
		const uint8_t *th = spy.seg[i] + 20;
		unsigned int hlen = (unsigned int)(th[12] >> 4) * 4;
		uint8_t want[16];

		if (!(th[13] & TCP_RST))
			continue;
		rsts++;
		ck_assert_uint_eq(hlen, 40);
		ck_assert_uint_eq(th[hlen - 18], 19);
		ns__md5_digest(want, &k, &lo, &lo, th, (uint16_t)hlen, NULL, 0);
		ck_assert_mem_eq(th + hlen - 16, want, 16);
	}
	if (reset) {
		ck_assert_uint_eq(rsts, 1);
		ck_assert_ptr_null(c->pcb.tcp);		/* reset by it */
	} else {
		ck_assert_uint_eq(rsts, 0);
		ck_assert_ptr_nonnull(c->pcb.tcp);
	}
	down(&f);
}

START_TEST(tcpmd5_lo_stale_segment_signed_reset)
{
	stale_client("s3cret", true);
}
END_TEST

START_TEST(tcpmd5_lo_stale_segment_other_key_no_reset)
{
	stale_client("other!", false);
}
END_TEST

/* A SYN to a port nobody listens on: a signed one gets no RST at all,
 * an unsigned one the usual RST (Linux's tcp_v4_send_reset()). */
static void closed_port(bool keyed)
{
	struct fixture f;
	struct sock *c;
	ip_addr_t lo = addr("127.0.0.1");
	uint8_t v[216];
	unsigned int i, rsts = 0;

	up(&f);
	c = tcp_sock(&f, AF_INET);
	if (keyed) {
		md5sig(v, AF_INET, "127.0.0.1", 0, 0, 6, 0, "s3cret");
		ck_assert_int_eq(ns__md5_set(c, TCP_MD5SIG, v), 0);
	}
	spy.out = lo_netif()->output;
	lo_netif()->output = spy_output;
	ck_assert_int_eq(tcp_connect(c->pcb.tcp, &lo, 1791, on_connected), ERR_OK);
	for (i = 0; i < 100 && c->pcb.tcp; i++) {
		uv_run(&f.loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
	for (i = 0; i < spy.n; i++)
		if (spy.seg[i][20 + 13] & TCP_RST)
			rsts++;
	ck_assert_uint_eq(rsts, keyed ? 0 : 1);
	if (keyed)
		ck_assert_ptr_nonnull(c->pcb.tcp);	/* still trying */
	else
		ck_assert_ptr_null(c->pcb.tcp);		/* refused */
	down(&f);
}

START_TEST(tcpmd5_lo_closed_port_signed_syn_no_reset)
{
	closed_port(true);
}
END_TEST

START_TEST(tcpmd5_lo_closed_port_unsigned_syn_reset)
{
	closed_port(false);
}
END_TEST

static Suite *tcpmd5_suite(void)
{
	Suite *s = suite_create("tcpmd5");
	TCase *tc;

	tc = tcase_create("digest");
	tcase_add_test(tc, tcpmd5_digest_ipv4_matches_reference);
	tcase_add_test(tc, tcpmd5_digest_ipv6_matches_reference);
	tcase_add_test(tc, tcpmd5_digest_chained_data_same);
	suite_add_tcase(s, tc);
	tc = tcase_create("option");
	tcase_add_test(tc, tcpmd5_option_found_across_pbufs);
	tcase_add_test(tc, tcpmd5_option_malformed_not_found);
	suite_add_tcase(s, tc);
	tc = tcase_create("sockopt");
	tcase_add_test(tc, tcpmd5_set_errnos_as_linux);
	tcase_add_test(tc, tcpmd5_lookup_longest_prefix_and_mapped);
	suite_add_tcase(s, tc);
	tc = tcase_create("lo");
	tcase_add_test(tc, tcpmd5_lo_every_segment_signed);
	tcase_add_test(tc, tcpmd5_lo_wrong_key_dropped_counted);
	tcase_add_test(tc, tcpmd5_lo_stale_segment_signed_reset);
	tcase_add_test(tc, tcpmd5_lo_stale_segment_other_key_no_reset);
	tcase_add_test(tc, tcpmd5_lo_closed_port_signed_syn_no_reset);
	tcase_add_test(tc, tcpmd5_lo_closed_port_unsigned_syn_reset);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tcpmd5_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

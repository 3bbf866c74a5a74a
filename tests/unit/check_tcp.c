/* SPDX-License-Identifier: MIT */
/*
 * check_tcp.c - unit tests of lwIP's TCP with our patches
 * (patches/lwip/0020-0023, 0030-0031, 0034): segments crafted by hand, fed
 * to tcp_input.
 *
 * The test plays the remote peer.  One netif (10.0.0.1/24, checksums off)
 * hands every packet lwIP sends to a capture array instead of a wire; the
 * peer's packets are built here (IPv4 + TCP header + payload) and given to
 * the netif's input, ip4_input(), as a driver would.  A listener on
 * 10.0.0.1:179 accepts the peer's handshake (MSS 1460, no window scaling,
 * no timestamps, no SACK: a 65535-byte receive window), and the test then
 * sends exactly the segments a case needs.  Timers never run: nothing is
 * retransmitted or delayed behind the test's back.  Each test runs in a
 * process of its own (Check's fork mode): a failed lwIP assertion aborts
 * that process only, and is reported as the test's failure.
 *
 * Linked with rrs_lwip only (sys_arch.c's weak hooks route by subnet);
 * the forwarded-TCP hooks of patches 0030 and 0031 are this file's own,
 * answering as each test sets them (by default as lwIP alone would).
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "rrs_lwip_hooks.h"

#define PEER_PORT	40000
#define LWIP_PORT	179
#define PEER_MSS	1460
#define MAX_OUT		256
#define RX_MAX		(1 << 20)

/* One segment lwIP sent. */
struct out_seg {
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	uint16_t len;
	uint8_t src[4];
	uint8_t ttl, tos;
};

static struct netif tn;
static struct out_seg out[MAX_OUT];
static int n_out;
static int n_other;			/* packets other than TCP */
static struct tcp_pcb *conn;		/* the accepted connection */
static struct tcp_pcb *own_l;		/* the listener on LWIP_PORT */
static uint8_t rx[RX_MAX];		/* what lwIP passed up, in order */
static size_t rx_len;
static bool rx_fin;
static uint32_t iss;			/* lwIP's initial sequence number */
static uint16_t peer_wnd = 0xffff;	/* the window the peer announces */
static uint8_t peer_dst[4] = { 10, 0, 0, 1 };	/* where the peer sends */

/* The forwarded-TCP hooks (patches 0030, 0031), as a test sets them. */
static int take_foreign;		/* rrs_ip_take_foreign()'s answer */
static int noconn_mode;			/* 0 go on, 1 drop, 2 hand fwd_l */
static int noconn_calls;
static struct tcp_pcb_listen *fwd_l;	/* a listener outside lwIP's list */

int rrs_ip_take_foreign(struct pbuf *p, struct netif *inp)
{
	(void)p;
	(void)inp;
	return take_foreign;
}

signed char rrs_tcp_inpacket_noconn(struct tcp_hdr *hdr, struct pbuf *p,
				    struct tcp_pcb_listen **lpcb)
{
	(void)p;
	noconn_calls++;
	if (noconn_mode == 1)
		return ERR_ABRT;
	if (noconn_mode == 2) {
		fwd_l->local_port = hdr->dest;
		*lpcb = fwd_l;
	}
	return ERR_OK;
}

/* Byte @o of the peer's stream: not periodic at any power of two. */
static uint8_t pat(uint32_t o)
{
	return (uint8_t)(o * 7 + o / 251);
}

static err_t tn_output(struct netif *n, struct pbuf *p, const ip4_addr_t *dst)
{
	uint8_t b[60 + 60];
	unsigned ihl, thl;
	struct out_seg *s;

	(void)n;
	(void)dst;
	ck_assert_int_lt(n_out, MAX_OUT);
	ck_assert_uint_ge(p->tot_len, 40);
	pbuf_copy_partial(p, b, sizeof(b) < p->tot_len ? sizeof(b) : p->tot_len, 0);
	ihl = (b[0] & 15u) * 4;
	if (b[9] != IP_PROTO_TCP) {	/* ICMP of the forwarding path */
		n_other++;
		return ERR_OK;
	}
	thl = (b[ihl + 12] >> 4) * 4u;
	s = &out[n_out++];
	s->seq = (uint32_t)b[ihl + 4] << 24 | (uint32_t)b[ihl + 5] << 16 |
		 (uint32_t)b[ihl + 6] << 8 | b[ihl + 7];
	s->ack = (uint32_t)b[ihl + 8] << 24 | (uint32_t)b[ihl + 9] << 16 |
		 (uint32_t)b[ihl + 10] << 8 | b[ihl + 11];
	s->flags = b[ihl + 13] & 0x3f;
	s->wnd = (uint16_t)(b[ihl + 14] << 8 | b[ihl + 15]);
	s->len = (uint16_t)(p->tot_len - ihl - thl);
	memcpy(s->src, b + 12, 4);
	s->ttl = b[8];
	s->tos = b[1];
	return ERR_OK;
}

static err_t tn_init(struct netif *n)
{
	n->name[0] = 't';
	n->name[1] = 'n';
	n->mtu = 1500;
	n->output = tn_output;
	NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
	return ERR_OK;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)pcb;
	ck_assert_int_eq(err, ERR_OK);
	if (p == NULL) {
		rx_fin = true;
		return ERR_OK;
	}
	ck_assert_uint_le(rx_len + p->tot_len, RX_MAX);
	pbuf_copy_partial(p, rx + rx_len, p->tot_len, 0);
	rx_len += p->tot_len;
	/* no tcp_recved(): the window only shrinks, so its edge is known */
	pbuf_free(p);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	ck_assert_int_eq(err, ERR_OK);
	conn = pcb;
	tcp_recv(pcb, on_recv);
	tcp_nagle_disable(pcb);
	return ERR_OK;
}

/* Bring up lwIP, the netif and the listener. */
static void setup(void)
{
	ip4_addr_t a, m, g;
	struct tcp_pcb *l;

	lwip_init();
	IP4_ADDR(&a, 10, 0, 0, 1);
	IP4_ADDR(&m, 255, 255, 255, 0);
	IP4_ADDR(&g, 0, 0, 0, 0);
	ck_assert_ptr_nonnull(netif_add(&tn, &a, &m, &g, NULL, tn_init, ip4_input));
	netif_set_up(&tn);
	netif_set_link_up(&tn);
	l = tcp_new();
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(tcp_bind(l, IP_ADDR_ANY, LWIP_PORT), ERR_OK);
	l = tcp_listen(l);
	ck_assert_ptr_nonnull(l);
	tcp_accept(l, on_accept);
	own_l = l;
}

/*
 * peer_send() - give lwIP one segment from the peer
 * @seq, @ack:	sequence and acknowledgment numbers
 * @flags:	TCP flags (TCP_ACK, ...)
 * @off:	stream offset of the payload (its bytes are pat(off + i))
 * @len:	payload length
 */
static void peer_send(uint32_t seq, uint32_t ack, uint8_t flags,
		      uint32_t off, uint16_t len)
{
	uint16_t optlen = (flags & TCP_SYN) ? 4 : 0;
	uint16_t tot = (uint16_t)(20 + 20 + optlen + len);
	struct pbuf *p;
	uint8_t *b;
	uint32_t i;

	ck_assert_uint_le(len, 0xffff - 40 - optlen);
	p = pbuf_alloc(PBUF_RAW, tot, PBUF_RAM);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->next);
	b = p->payload;
	memset(b, 0, 40 + optlen);
	b[0] = 0x45;
	b[2] = (uint8_t)(tot >> 8);
	b[3] = (uint8_t)tot;
	b[8] = 64;
	b[9] = IP_PROTO_TCP;
	b[12] = 10, b[13] = 0, b[14] = 0, b[15] = 2;
	memcpy(b + 16, peer_dst, 4);
	b[20] = PEER_PORT >> 8, b[21] = PEER_PORT & 0xff;
	b[22] = LWIP_PORT >> 8, b[23] = LWIP_PORT & 0xff;
	b[24] = (uint8_t)(seq >> 24), b[25] = (uint8_t)(seq >> 16);
	b[26] = (uint8_t)(seq >> 8), b[27] = (uint8_t)seq;
	b[28] = (uint8_t)(ack >> 24), b[29] = (uint8_t)(ack >> 16);
	b[30] = (uint8_t)(ack >> 8), b[31] = (uint8_t)ack;
	b[32] = (uint8_t)(((20 + optlen) / 4) << 4);
	b[33] = flags;
	b[34] = (uint8_t)(peer_wnd >> 8);	/* unscaled */
	b[35] = (uint8_t)peer_wnd;
	if (optlen) {
		b[40] = 2, b[41] = 4;		/* MSS */
		b[42] = PEER_MSS >> 8, b[43] = PEER_MSS & 0xff;
	}
	for (i = 0; i < len; i++)
		b[40 + optlen + i] = pat(off + i);
	ck_assert_int_eq(tn.input(p, &tn), ERR_OK);
}

/* The last segment lwIP sent; fails if there is none. */
static const struct out_seg *last_out(void)
{
	ck_assert_int_gt(n_out, 0);
	return &out[n_out - 1];
}

/*
 * handshake() - connect the peer with initial sequence number @isn
 * Return: the peer's next sequence number (isn + 1)
 */
static uint32_t handshake(uint32_t isn)
{
	const struct out_seg *s;

	peer_send(isn, 0, TCP_SYN, 0, 0);
	s = last_out();
	ck_assert_uint_eq(s->flags & (TCP_SYN | TCP_ACK), TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(s->ack, isn + 1);
	iss = s->seq;
	peer_send(isn + 1, iss + 1, TCP_ACK, 0, 0);
	ck_assert_ptr_nonnull(conn);
	ck_assert_int_eq(conn->state, ESTABLISHED);
	ck_assert_uint_eq(conn->rcv_wnd, 65535);
	return isn + 1;
}

/* Check that rx holds exactly the peer's first @n bytes. */
static void check_rx(size_t n)
{
	size_t i;

	ck_assert_uint_eq(rx_len, n);
	for (i = 0; i < n; i++)
		if (rx[i] != pat((uint32_t)i))
			ck_abort_msg("byte %zu is %u, want %u", i, rx[i],
				     pat((uint32_t)i));
}

/* ---- sequence number comparisons (patch 0021) ---- */

/* What 2.1.3's macros answered with gcc: the difference as a signed
 * 32-bit number, computed here without any implementation-defined
 * conversion. */
static int64_t ref_diff(uint32_t a, uint32_t b)
{
	int64_t d = (int64_t)(uint32_t)(a - b);

	return d >= 0x80000000LL ? d - 0x100000000LL : d;
}

static void check_pair(uint32_t a, uint32_t b)
{
	int64_t d = ref_diff(a, b);

	if (TCP_SEQ_LT(a, b) != (d < 0) || TCP_SEQ_LEQ(a, b) != (d <= 0) ||
	    TCP_SEQ_GT(a, b) != (d > 0) || TCP_SEQ_GEQ(a, b) != (d >= 0))
		ck_abort_msg("a=%#x b=%#x: LT %d LEQ %d GT %d GEQ %d, d=%lld",
			     a, b, TCP_SEQ_LT(a, b), TCP_SEQ_LEQ(a, b),
			     TCP_SEQ_GT(a, b), TCP_SEQ_GEQ(a, b), (long long)d);
}

START_TEST(tcp_seq_compare_across_wrap_as_modulo)
{
	static const uint32_t edge[] = {
		0, 1, 2, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001,
		0xfffffffe, 0xffffffff, 0x12345678, 0x92345678,
	};
	static const uint32_t dist[] = {
		0, 1, 2, 65535, 0x7ffffffe, 0x7fffffff, 0x80000000,
		0x80000001, 0xffffffff,
	};
	uint64_t x = 0x2545f4914f6cdd1dull;
	size_t i, j;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (j = 0; j < sizeof(dist) / sizeof(dist[0]); j++) {
			check_pair(edge[i], edge[i] + dist[j]);
			check_pair(edge[i] + dist[j], edge[i]);
		}
	for (i = 0; i < 1000000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_pair((uint32_t)x, (uint32_t)(x >> 32));
	}
	/* what TCP needs: 2^31 - 1 ahead is ahead, across the wrap too */
	ck_assert(TCP_SEQ_LT(0xfffffff0u, 0x10u));
	ck_assert(TCP_SEQ_GT(0x10u, 0xfffffff0u));
	ck_assert(TCP_SEQ_BETWEEN(0x5u, 0xfffffff0u, 0x10u));
	ck_assert(!TCP_SEQ_BETWEEN(0x11u, 0xfffffff0u, 0x10u));
	ck_assert(TCP_SEQ_LT(0x80000000u, 0xffffffffu));
	ck_assert(TCP_SEQ_GT(0x7fffffffu + 0x7fffffffu, 0x7fffffffu));
}
END_TEST

/* ---- out-of-sequence segments past the window (patch 0020) ---- */

/* Peer initial sequence numbers: far from any wrap, a receive window
 * that spans 2^32 (0 falls 32 KiB into it) and one across 2^31. */
static const uint32_t isns[] = { 1000, 0xffff7fffu, 0x7fff7fffu };

/* After the hole is filled: all 65535 bytes the window held, in order,
 * acknowledged, window closed; nothing past the window was taken. */
static void check_full_window(uint32_t r)
{
	const struct out_seg *s;

	check_rx(65535);
	ck_assert_uint_eq(conn->rcv_nxt, r + 65535);
	ck_assert_uint_eq(conn->rcv_wnd, 0);
	ck_assert_ptr_null(conn->ooseq);
	tcp_ack_now(conn);		/* no waiting for the delayed ACK */
	tcp_output(conn);
	s = last_out();
	ck_assert_uint_eq(s->ack, r + 65535);
	ck_assert_uint_eq(s->wnd, 0);
}

/* Queued into an empty ->ooseq, reaching 1465 bytes past the window. */
START_TEST(tcp_ooseq_first_past_window_trimmed)
{
	uint32_t r = handshake(isns[_i]);

	peer_send(r + 64000, iss + 1, TCP_ACK, 64000, 3000);
	ck_assert_uint_eq(rx_len, 0);
	peer_send(r, iss + 1, TCP_ACK, 0, 64000);
	check_full_window(r);
}
END_TEST

/* Queued in front of a queued segment it covers, past the window. */
START_TEST(tcp_ooseq_front_past_window_trimmed)
{
	uint32_t r = handshake(isns[_i]);

	peer_send(r + 64500, iss + 1, TCP_ACK, 64500, 100);
	peer_send(r + 64000, iss + 1, TCP_ACK, 64000, 3000);
	peer_send(r, iss + 1, TCP_ACK, 0, 64000);
	check_full_window(r);
}
END_TEST

/* Replacing a shorter queued segment with the same sequence number. */
START_TEST(tcp_ooseq_replace_past_window_trimmed)
{
	uint32_t r = handshake(isns[_i]);

	peer_send(r + 64000, iss + 1, TCP_ACK, 64000, 100);
	peer_send(r + 64000, iss + 1, TCP_ACK, 64000, 3000);
	peer_send(r, iss + 1, TCP_ACK, 0, 64000);
	check_full_window(r);
}
END_TEST

/* A FIN past the window is not taken: no end of stream reported. */
START_TEST(tcp_ooseq_fin_past_window_dropped)
{
	uint32_t r = handshake(isns[_i]);

	peer_send(r + 65000, iss + 1, TCP_ACK | TCP_FIN, 65000, 535);
	peer_send(r, iss + 1, TCP_ACK, 0, 65000);
	check_full_window(r);
	ck_assert(!rx_fin);
	ck_assert_int_eq(conn->state, ESTABLISHED);
}
END_TEST

/* Many segments in a scrambled order, the window spanning the wrap:
 * what lwIP passes up is the stream, byte for byte. */
START_TEST(tcp_ooseq_scrambled_in_window_exact)
{
	uint32_t r = handshake(isns[_i]);
	enum { SEG = 1000, N = 65 };	/* 65000 bytes, inside 65535 */
	int order[N], i, j, t;
	uint64_t x = 88172645463325252ull;

	for (i = 0; i < N; i++)
		order[i] = i;
	for (i = N - 1; i > 0; i--) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = (int)(x % (uint64_t)(i + 1));
		t = order[i], order[i] = order[j], order[j] = t;
	}
	for (i = 0; i < N; i++) {
		uint32_t o = (uint32_t)order[i] * SEG;
		/* every third one again, longer, overlapping its successor */
		peer_send(r + o, iss + 1, TCP_ACK, o, SEG);
		if (i % 3 == 0 && order[i] < N - 1)
			peer_send(r + o, iss + 1, TCP_ACK, o, SEG + SEG / 2);
	}
	check_rx(N * SEG);
	ck_assert_uint_eq(conn->rcv_nxt, r + N * SEG);
}
END_TEST

/* ---- pure ACKs at a closed window (patch 0023) ---- */

/* With the window closed, a pure ACK at rcv_nxt is acceptable (RFC 9293
 * 3.10.7.4) and gets no answer; a zero-window probe still does. */
START_TEST(tcp_zero_window_pure_ack_not_answered)
{
	uint32_t r = handshake(isns[_i]);
	int before;

	peer_send(r, iss + 1, TCP_ACK, 0, 65000);
	peer_send(r + 65000, iss + 1, TCP_ACK, 65000, 535);	/* closed */
	check_full_window(r);
	before = n_out;
	peer_send(r + 65535, iss + 1, TCP_ACK, 0, 0);
	ck_assert_msg(n_out == before, "a pure ACK at rcv_nxt was answered "
		      "(%d segments) while the window is closed", n_out - before);
	/* Linux's probe: one below rcv_nxt, no data */
	peer_send(r + 65534, iss + 1, TCP_ACK, 0, 0);
	ck_assert_int_eq(n_out, before + 1);
	ck_assert_uint_eq(last_out()->ack, r + 65535);
	/* a probe with one byte of data */
	peer_send(r + 65535, iss + 1, TCP_ACK, 65535, 1);
	ck_assert_int_eq(n_out, before + 2);
	ck_assert_uint_eq(last_out()->ack, r + 65535);
	check_rx(65535);
}
END_TEST

/* ---- duplicate ACKs on a two-way connection (patch 0022) ---- */

/* lwIP sends three segments; the peer lost the first and says so with
 * duplicate ACKs, sending data of its own in between, with the same ACK.
 * The third duplicate ACK must bring the first segment again at once. */
START_TEST(tcp_dupack_counted_across_peer_data)
{
	static uint8_t buf[4000];
	uint32_t r = handshake(0x10000);
	int i, first;
	bool resent = false;

	ck_assert_int_eq(tcp_write(conn, buf, sizeof(buf), TCP_WRITE_FLAG_COPY), ERR_OK);
	first = n_out;
	ck_assert_int_eq(tcp_output(conn), ERR_OK);
	ck_assert_int_ge(n_out - first, 3);
	ck_assert_uint_eq(out[first].seq, iss + 1);
	ck_assert_uint_gt(out[first].len, 0);

	first = n_out;
	peer_send(r, iss + 1, TCP_ACK, 0, 0);		/* dup ACK 1 */
	peer_send(r, iss + 1, TCP_ACK, 0, 100);		/* data, same ACK */
	peer_send(r + 100, iss + 1, TCP_ACK, 0, 0);	/* dup ACK 2 */
	peer_send(r + 100, iss + 1, TCP_ACK, 0, 0);	/* dup ACK 3 */
	for (i = first; i < n_out; i++)
		if (out[i].seq == iss + 1 && out[i].len > 0)
			resent = true;
	ck_assert_msg(resent, "no fast retransmit after 3 duplicate ACKs "
		      "(dupacks=%u)", conn->dupacks);
	check_rx(100);
}
END_TEST

/* Still: a pure ACK that opens the window is no duplicate and resets
 * the count, so "dup, window update, dup, dup" retransmits nothing. */
START_TEST(tcp_dupack_reset_by_window_update)
{
	static uint8_t buf[4000];
	uint32_t r;
	int i, first;

	peer_wnd = 32768;
	r = handshake(0x10000);
	ck_assert_int_eq(tcp_write(conn, buf, sizeof(buf), TCP_WRITE_FLAG_COPY), ERR_OK);
	ck_assert_int_eq(tcp_output(conn), ERR_OK);
	first = n_out;
	peer_send(r, iss + 1, TCP_ACK, 0, 0);
	ck_assert_uint_eq(conn->dupacks, 1);
	peer_wnd = 65535;			/* the same ACK, a wider window */
	peer_send(r, iss + 1, TCP_ACK, 0, 0);
	ck_assert_uint_eq(conn->snd_wnd, 65535);
	ck_assert_uint_eq(conn->dupacks, 0);
	peer_send(r, iss + 1, TCP_ACK, 0, 0);
	peer_send(r, iss + 1, TCP_ACK, 0, 0);
	ck_assert_uint_eq(conn->dupacks, 2);
	for (i = first; i < n_out; i++)
		ck_assert_msg(!(out[i].seq == iss + 1 && out[i].len > 0),
			      "retransmitted after only 2 duplicate ACKs");
}
END_TEST

/*
 * Initial sequence numbers as RFC 6528 (sys_arch.c): the same 4-tuple
 * moves on with a 4 us clock; different tuples get unrelated numbers
 * (lwIP's own counter gave every connection the next small step).
 */
START_TEST(tcp_isn_per_tuple_and_clock)
{
	ip_addr_t l, r;
	uint32_t a, b, d[3];
	int i, far = 0;

	IP_ADDR4(&l, 10, 0, 0, 1);
	IP_ADDR4(&r, 10, 0, 0, 2);
	a = rrs_tcp_isn(&l, 179, &r, 40000);
	usleep(20000);
	b = rrs_tcp_isn(&l, 179, &r, 40000);
	/* 20 ms at 250,000 ticks/s: 5000 on, forward (mod 2^32) */
	ck_assert_uint_ge(b - a, 4000);
	ck_assert_uint_lt(b - a, 1u << 24);
	for (i = 0; i < 3; i++)
		d[i] = rrs_tcp_isn(&l, 179, &r, (u16_t)(40001 + i)) - a;
	for (i = 0; i < 3; i++)
		far += d[i] > (1u << 24) && d[i] < 0u - (1u << 24);
	ck_assert_int_ge(far, 1);	/* all three near by chance: 1 in 2^21 */
}
END_TEST

/* lwIP takes its SYN-ACK's number from the hook */
START_TEST(tcp_isn_from_the_hook)
{
	ip_addr_t l, r;
	uint32_t want;

	IP_ADDR4(&l, 10, 0, 0, 1);
	IP_ADDR4(&r, 10, 0, 0, 2);
	want = rrs_tcp_isn(&l, LWIP_PORT, &r, PEER_PORT);
	handshake(1000);
	ck_assert_uint_lt(iss - want, 1u << 20);	/* the clock moved on */
}
END_TEST

/* CORE BUG (patch 0034): the SYN-ACK left with lwIP's default TTL and TOS,
 * not the listener's: BIRD's `ttl security` listener sets 255, and its
 * peer's IP_MINTTL 255 dropped the SYN-ACK once lwIP's default was 64. */
START_TEST(tcp_accepted_takes_the_listeners_ttl_and_tos)
{
	const struct out_seg *s;

	own_l->ttl = 255;
	own_l->tos = 0xc0;
	peer_send(1000, 0, TCP_SYN, 0, 0);
	s = last_out();
	ck_assert_uint_eq(s->flags & (TCP_SYN | TCP_ACK), TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(s->ttl, 255);
	ck_assert_uint_eq(s->tos, 0xc0);
	iss = s->seq;
	peer_send(1001, iss + 1, TCP_ACK | TCP_PSH, 0, 10);
	ck_assert_ptr_nonnull(conn);
	ck_assert_uint_eq(conn->ttl, 255);
	ck_assert_uint_eq(last_out()->ttl, 255);	/* the ACK of the data */
}
END_TEST

/* ---- forwarded TCP (patches 0030, 0031) ---- */

/* A SYN to a foreign address: forwarded (here: no route, dropped) unless
 * taken; once taken, the hook decides before the listeners (the wildcard
 * one on LWIP_PORT never sees it), and a listener it names answers from
 * the foreign address, on the SYN's port. */
START_TEST(tcp_foreign_syn_taken_and_handed_to_the_hooks_listener)
{
	static const uint8_t far[4] = { 192, 0, 2, 9 };
	struct tcp_pcb *l;
	const struct out_seg *o;

	memcpy(peer_dst, far, 4);
	peer_send(5000, 0, TCP_SYN, 0, 0);
	ck_assert_int_eq(noconn_calls, 0);	/* not taken: forwarded, */
	ck_assert_int_eq(n_out, 0);		/* which found no route */
	ck_assert_int_eq(n_other, 1);

	take_foreign = 1;
	noconn_mode = 1;
	peer_send(5000, 0, TCP_SYN, 0, 0);
	ck_assert_int_eq(noconn_calls, 1);
	ck_assert_int_eq(n_out, 0);		/* dropped: no SYN-ACK, no RST */
	ck_assert_int_eq(n_other, 1);
	ck_assert_ptr_null(conn);

	l = tcp_new();
	ck_assert_ptr_nonnull(l);
	l = tcp_listen(l);
	ck_assert_ptr_nonnull(l);
	TCP_RMV(&tcp_listen_pcbs.pcbs, l);
	tcp_accept(l, on_accept);
	fwd_l = (struct tcp_pcb_listen *)l;
	noconn_mode = 2;
	peer_send(5000, 0, TCP_SYN, 0, 0);
	ck_assert_int_eq(noconn_calls, 2);
	o = last_out();
	ck_assert_uint_eq(o->flags & (TCP_SYN | TCP_ACK | TCP_RST), TCP_SYN | TCP_ACK);
	ck_assert_uint_eq(o->ack, 5001);
	ck_assert_mem_eq(o->src, far, 4);
	peer_send(5001, o->seq + 1, TCP_ACK, 0, 0);
	ck_assert_ptr_nonnull(conn);
	ck_assert_int_eq(conn->state, ESTABLISHED);
	ck_assert_uint_eq(conn->local_port, LWIP_PORT);
	ck_assert_mem_eq(&ip_2_ip4(&conn->local_ip)->addr, far, 4);
	/* its segments now find the connection, not the hook */
	peer_send(5001, o->seq + 1, TCP_ACK | TCP_PSH, 0, 10);
	ck_assert_int_eq(noconn_calls, 2);
	check_rx(10);
}
END_TEST

static Suite *tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc;
	int n = (int)(sizeof(isns) / sizeof(isns[0]));

	tc = tcase_create("seq");
	tcase_add_test(tc, tcp_seq_compare_across_wrap_as_modulo);
	tcase_add_test(tc, tcp_isn_per_tuple_and_clock);
	suite_add_tcase(s, tc);

	tc = tcase_create("ooseq");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, tcp_ooseq_first_past_window_trimmed, 0, n);
	tcase_add_loop_test(tc, tcp_ooseq_front_past_window_trimmed, 0, n);
	tcase_add_loop_test(tc, tcp_ooseq_replace_past_window_trimmed, 0, n);
	tcase_add_loop_test(tc, tcp_ooseq_fin_past_window_dropped, 0, n);
	tcase_add_loop_test(tc, tcp_ooseq_scrambled_in_window_exact, 0, n);
	suite_add_tcase(s, tc);

	tc = tcase_create("zerownd");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, tcp_zero_window_pure_ack_not_answered, 0, n);
	suite_add_tcase(s, tc);

	tc = tcase_create("isn");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tcp_isn_from_the_hook);
	suite_add_tcase(s, tc);

	tc = tcase_create("inherit");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tcp_accepted_takes_the_listeners_ttl_and_tos);
	suite_add_tcase(s, tc);

	tc = tcase_create("dupack");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tcp_dupack_counted_across_peer_data);
	tcase_add_test(tc, tcp_dupack_reset_by_window_update);
	suite_add_tcase(s, tc);

	tc = tcase_create("foreign");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tcp_foreign_syn_taken_and_handed_to_the_hooks_listener);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tcp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

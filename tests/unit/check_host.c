/* SPDX-License-Identifier: MIT */
/*
 * check_host.c - unit tests of vdev/host.c, the host uplink device.
 *
 * Packet work first: the parser against malformed packets, the UDP and
 * ICMP builders' checksums (verified here by an independent sum over the
 * pseudo-header), the prohibit answer's type, code and quote.  Then the
 * device in lwIP with crafted packets handed to its output function and
 * its input replaced by a capture, so that what it injects is read back
 * as bytes: a refused destination and TCP answered admin-prohibited on a
 * later loop turn, other protocols and multicast dropped, a UDP flow to
 * a test socket on the host's 127.0.0.1 (the only host traffic) that
 * echoes, with a stranger's datagram to the flow's host port dropped, and
 * a closed port's ICMP error quoting the inner datagram.  Every test ends
 * with vdev_free() and uv_loop_close() == 0.  Linked with rrs_vdev only.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "vdev/internal.h"
#include "vdev/vdev.h"

static const uint8_t in4[4] = { 10, 0, 2, 15 };
static const uint8_t far4[4] = { 192, 0, 2, 9 };
static const uint8_t lo4[4] = { 127, 0, 0, 1 };
static const uint8_t mc4[4] = { 224, 0, 0, 5 };
static const uint8_t in6[16] = { 0xfd, [15] = 0x15 };
static const uint8_t far6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };

static void lwip_once(void)
{
	static bool done;

	if (!done)
		lwip_init();
	done = true;
}

/* The one's complement sum of @len bytes, folded, not inverted */
static uint16_t ocsum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Whether a transport checksum over its pseudo-header verifies */
static bool l4_ok(const struct vdev__pkt *k)
{
	size_t alen = k->v6 ? 16 : 4;
	uint32_t s = 0;

	s = ocsum(s, k->src, alen);
	s += ocsum(0, k->dst, alen);
	s += k->proto + (uint32_t)k->l4len;
	if (k->proto == 1)	/* ICMPv4: no pseudo-header */
		s = 0;
	return ocsum(s, k->l4, k->l4len) == 0xffff;
}

/* ---- packets ---- */

START_TEST(host_parse_malformed_refused)
{
	uint8_t b[128], p[64];
	struct vdev__pkt k;
	size_t n;

	n = vdev__host_build_udp(b, false, in4, htons(1000), far4, htons(53),
				 "abcd", 4);
	ck_assert_uint_eq(n, 20 + 8 + 4);
	ck_assert_int_eq(vdev__host_parse(b, n, &k), 0);
	ck_assert_int_eq(vdev__host_parse(b, 19, &k), -EINVAL);
	ck_assert_int_eq(vdev__host_parse(b, n - 1, &k), -EINVAL);	/* tot > len */
	memcpy(p, b, n);
	p[0] = 0x44;					/* IHL 16 bytes */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), -EINVAL);
	memcpy(p, b, n);
	p[0] = 0x55;					/* version 5 */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), -EINVAL);
	memcpy(p, b, n);
	p[6] = 0x20;					/* MF */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), -EINVAL);
	memcpy(p, b, n);
	p[7] = 0x01;					/* an offset */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), -EINVAL);
	memcpy(p, b, n);
	p[24] = 0;
	p[25] = 13;					/* UDP length past the end */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), -EINVAL);
	p[25] = 7;					/* shorter than its header */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), -EINVAL);
	n = vdev__host_build_udp(b, true, in6, htons(1000), far6, htons(53),
				 "abcd", 4);
	ck_assert_uint_eq(n, 40 + 8 + 4);
	ck_assert_int_eq(vdev__host_parse(b, n, &k), 0);
	ck_assert_int_eq(vdev__host_parse(b, 39, &k), -EINVAL);
	ck_assert_int_eq(vdev__host_parse(b, n - 1, &k), -EINVAL);
	memcpy(p, b, n);
	p[6] = 44;					/* a fragment header */
	ck_assert_int_eq(vdev__host_parse(p, n, &k), 0);
	ck_assert_uint_eq(k.proto, 44);			/* not relayed: proto */
}
END_TEST

START_TEST(host_build_udp_checksums_verify)
{
	static const char msg[] = "an odd length payload";
	uint8_t b[128];
	struct vdev__pkt k;
	size_t n;

	n = vdev__host_build_udp(b, false, far4, htons(53), in4, htons(40000),
				 msg, sizeof(msg));
	ck_assert_int_eq(vdev__host_parse(b, n, &k), 0);
	ck_assert_uint_eq(ocsum(0, b, 20), 0xffff);	/* IPv4 header */
	ck_assert_uint_eq(k.proto, 17);
	ck_assert_mem_eq(k.src, far4, 4);
	ck_assert_mem_eq(k.dst, in4, 4);
	ck_assert(l4_ok(&k));
	ck_assert_mem_eq(k.l4 + 8, msg, sizeof(msg));
	ck_assert_uint_eq(b[8], 64);			/* TTL */
	n = vdev__host_build_udp(b, true, far6, htons(53), in6, htons(40000),
				 msg, sizeof(msg));
	ck_assert_int_eq(vdev__host_parse(b, n, &k), 0);
	ck_assert(k.v6);
	ck_assert_mem_eq(k.src, far6, 16);
	ck_assert(l4_ok(&k));
	ck_assert_uint_eq(n, 40 + 8 + sizeof(msg));
	/* too big for one packet */
	ck_assert_uint_eq(vdev__host_build_udp(b, true, far6, 1, in6, 1, b,
					       65535 - 40 - 7), 0);
}
END_TEST

START_TEST(host_prohibit_quotes_the_packet)
{
	uint8_t b[2048], ans[2048];
	struct vdev__pkt k, a;
	size_t n, m;

	n = vdev__host_build_udp(b, false, in4, htons(1000), far4, htons(99),
				 "payload", 7);
	ck_assert_int_eq(vdev__host_parse(b, n, &k), 0);
	m = vdev__host_prohibit(ans, &k);
	ck_assert_int_eq(vdev__host_parse(ans, m, &a), 0);
	ck_assert_uint_eq(a.proto, 1);
	ck_assert_uint_eq(a.l4[0], 3);			/* unreachable */
	ck_assert_uint_eq(a.l4[1], 13);			/* admin prohibited */
	ck_assert_mem_eq(a.src, far4, 4);
	ck_assert_mem_eq(a.dst, in4, 4);
	ck_assert(l4_ok(&a));
	ck_assert_uint_eq(a.l4len, 8 + n);		/* the whole, short one */
	ck_assert_mem_eq(a.l4 + 8, b, n);

	memset(b + 200, 0x5a, 1500);
	n = vdev__host_build_udp(b, true, in6, htons(1000), far6, htons(99),
				 b + 200, 1500);
	ck_assert_int_eq(vdev__host_parse(b, n, &k), 0);
	m = vdev__host_prohibit(ans, &k);
	ck_assert_int_eq(vdev__host_parse(ans, m, &a), 0);
	ck_assert_uint_eq(a.proto, 58);
	ck_assert_uint_eq(a.l4[0], 1);
	ck_assert_uint_eq(a.l4[1], 1);
	ck_assert(l4_ok(&a));
	ck_assert_uint_eq(m, 1280);			/* RFC 4443: at most */
}
END_TEST

/* ---- the device ---- */

/**
 * struct fix - a host device whose input is captured
 * @loop:	its loop
 * @dev:	the device
 * @allow:	what the destination check answers
 * @got:	the last injected packet
 * @n_got:	how many were injected
 */
struct fix {
	uv_loop_t loop;
	struct vdev *dev;
	bool allow;
	uint8_t got[65536];
	size_t got_len;
	unsigned int n_got;
};

static struct fix *F;

static err_t capture(struct pbuf *p, struct netif *n)
{
	(void)n;
	F->got_len = pbuf_copy_partial(p, F->got, 65535, 0);
	F->n_got++;
	pbuf_free(p);
	return ERR_OK;
}

static bool allow_cb(void *arg, uint8_t family, const uint8_t *addr)
{
	(void)family;
	(void)addr;
	return ((struct fix *)arg)->allow;
}

static void fix_up(struct fix *f)
{
	struct vdev_host_opts o = { .allowed = allow_cb, .arg = f };
	char err[128];

	lwip_once();
	memset(f, 0, sizeof(*f));
	F = f;
	ck_assert_int_eq(uv_loop_init(&f->loop), 0);
	ck_assert_int_eq(vdev_host_new(&f->loop, "up0", &o, err, sizeof(err),
				       &f->dev), 0);
	vdev_netif(f->dev)->input = capture;
}

static void fix_down(struct fix *f)
{
	vdev_free(f->dev);
	ck_assert_int_eq(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&f->loop), 0);
}

/* Hand a crafted packet to the device's output, as lwIP would */
static void send_out(struct fix *f, const uint8_t *b, size_t n)
{
	struct netif *nif = vdev_netif(f->dev);
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_RAM);

	ck_assert_ptr_nonnull(p);
	pbuf_take(p, b, (u16_t)n);
	if ((b[0] >> 4) == 6)
		nif->output_ip6(nif, p, NULL);
	else
		nif->output(nif, p, NULL);
	pbuf_free(p);
}

START_TEST(host_new_bad_arguments_and_defaults)
{
	struct vdev_host_opts o = { .mtu = 67 };
	struct fix f;
	char err[128];
	struct vdev *d = NULL;

	fix_up(&f);
	ck_assert_str_eq(vdev_kind(f.dev), "host");
	ck_assert_uint_eq(vdev_mtu(f.dev), 65520);
	ck_assert(vdev_is_up(f.dev));
	ck_assert(!(vdev_netif(f.dev)->flags & NETIF_FLAG_ETHARP));
	/* Without flows or answers nothing runs: no timer, no idle */
	ck_assert_int_eq(uv_run(&f.loop, UV_RUN_NOWAIT), 0);
	ck_assert(!uv_loop_alive(&f.loop));
	ck_assert_int_eq(vdev_host_new(&f.loop, "up1", &o, err, sizeof(err), &d),
			 -EINVAL);
	ck_assert_str_eq(err, "mtu 67: not in 68..65535");
	ck_assert_int_eq(vdev_host_new(&f.loop, "", &o, err, sizeof(err), &d),
			 -EINVAL);
	ck_assert_ptr_null(d);
	fix_down(&f);
}
END_TEST

START_TEST(host_denied_and_tcp_answered_later)
{
	uint8_t b[256];
	struct vdev__pkt a;
	struct fix f;
	char desc[160];
	size_t n;

	fix_up(&f);
	f.allow = false;
	n = vdev__host_build_udp(b, false, in4, htons(1000), far4, htons(99),
				 "x", 1);
	send_out(&f, b, n);
	ck_assert_uint_eq(f.n_got, 0);		/* never from inside output */
	uv_run(&f.loop, UV_RUN_NOWAIT);
	ck_assert_uint_eq(f.n_got, 1);
	ck_assert_int_eq(vdev__host_parse(f.got, f.got_len, &a), 0);
	ck_assert_uint_eq(a.l4[0], 3);
	ck_assert_uint_eq(a.l4[1], 13);

	/* TCP, even to an allowed destination: refused the same way */
	f.allow = true;
	n = vdev__host_build_udp(b, false, in4, htons(1000), far4, htons(99),
				 "x", 1);
	b[9] = 6;
	send_out(&f, b, n);
	/* another protocol (GRE) and a runt: dropped without an answer */
	b[9] = 47;
	send_out(&f, b, n);
	send_out(&f, b, 10);
	/* multicast: no host socket for it, and no ICMP error (RFC 1122) */
	n = vdev__host_build_udp(b, false, in4, htons(1000), mc4, htons(99),
				 "x", 1);
	send_out(&f, b, n);
	uv_run(&f.loop, UV_RUN_NOWAIT);
	ck_assert_uint_eq(f.n_got, 2);
	ck_assert_int_eq(vdev__host_parse(f.got, f.got_len, &a), 0);
	ck_assert_uint_eq(a.l4[1], 13);
	vdev_describe(f.dev, desc, sizeof(desc));
	ck_assert_str_eq(desc, "0 udp flows, 0 echo, 0 tcp relayed, 1 denied, "
			 "1 tcp refused, 2 other dropped, 1 bad");
	ck_assert(!uv_loop_alive(&f.loop));	/* the idle stopped */
	fix_down(&f);
}
END_TEST

/* netstack/tcpfwd.c's side: ICMP errors for a forwarded SYN, counters */
START_TEST(host_tcp_unreach_and_relay_counts)
{
	uint8_t b[256];
	struct vdev__pkt a;
	struct fix f;
	char desc[160];
	size_t n;

	fix_up(&f);
	n = vdev__host_build_udp(b, false, in4, htons(1000), far4, htons(80),
				 "x", 1);
	b[9] = 6;	/* a TCP segment as far as the quote goes */
	ck_assert_int_eq(vdev_host_unreach(f.dev, b, n, 3, 1), 0);
	ck_assert_uint_eq(f.n_got, 0);		/* fed on the next turn */
	uv_run(&f.loop, UV_RUN_NOWAIT);
	ck_assert_uint_eq(f.n_got, 1);
	ck_assert_int_eq(vdev__host_parse(f.got, f.got_len, &a), 0);
	ck_assert_uint_eq(a.proto, 1);
	ck_assert_uint_eq(a.l4[0], 3);
	ck_assert_uint_eq(a.l4[1], 1);
	ck_assert_mem_eq(a.src, far4, 4);	/* from the destination */
	ck_assert_mem_eq(a.dst, in4, 4);
	ck_assert_mem_eq(a.l4 + 8, b, 20);	/* quoting the segment */
	ck_assert_int_eq(vdev_host_unreach(f.dev, b, 10, 3, 1), -EINVAL);
	ck_assert_int_eq(vdev_host_unreach(NULL, b, n, 3, 1), -EINVAL);

	vdev_host_tcp_note(f.dev, 1, false);
	vdev_host_tcp_note(f.dev, 1, false);
	vdev_host_tcp_note(f.dev, -1, false);
	vdev_host_tcp_note(f.dev, 0, true);
	vdev_describe(f.dev, desc, sizeof(desc));
	ck_assert_str_eq(desc, "0 udp flows, 0 echo, 1 tcp relayed, 0 denied, "
			 "1 tcp refused, 0 other dropped, 0 bad");
	fix_down(&f);
}
END_TEST

/* Wait until @fd has a datagram or the loop delivered something */
static void run_until(struct fix *f, unsigned int want)
{
	int i;

	for (i = 0; i < 200 && f->n_got < want; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(10000);
	}
}

START_TEST(host_udp_flow_echo_and_stranger_dropped)
{
	struct sockaddr_in sa = { .sin_family = AF_INET }, from;
	socklen_t fl = sizeof(from);
	struct pollfd pfd;
	struct vdev_counters c;
	struct vdev__pkt a;
	char buf[64], desc[160];
	uint8_t b[256];
	int srv, stranger;
	size_t n;
	ssize_t r;
	struct fix f;

	fix_up(&f);
	f.allow = true;
	srv = socket(AF_INET, SOCK_DGRAM, 0);
	stranger = socket(AF_INET, SOCK_DGRAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(srv, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(srv, (struct sockaddr *)&sa, &fl), 0);

	n = vdev__host_build_udp(b, false, in4, htons(40000), lo4, sa.sin_port,
				 "ping!", 5);
	send_out(&f, b, n);
	pfd = (struct pollfd){ .fd = srv, .events = POLLIN };
	ck_assert_int_eq(poll(&pfd, 1, 2000), 1);
	fl = sizeof(from);
	r = recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	ck_assert_int_eq(r, 5);
	ck_assert_mem_eq(buf, "ping!", 5);
	vdev_describe(f.dev, desc, sizeof(desc));
	ck_assert(!strncmp(desc, "1 udp flows, 0 echo,", 20));
	ck_assert(uv_loop_alive(&f.loop));	/* the flow's poll, the ager */

	/* A stranger writing to the flow's host port is not let in */
	ck_assert_int_eq(sendto(stranger, "evil", 4, 0, (struct sockaddr *)&from,
				fl), 4);
	usleep(50000);
	uv_run(&f.loop, UV_RUN_NOWAIT);
	ck_assert_uint_eq(f.n_got, 0);
	vdev_counters(f.dev, &c);
	ck_assert_uint_eq(c.drops, 1);

	/* The answer comes in as IP/UDP from 127.0.0.1:port to the inner source */
	ck_assert_int_eq(sendto(srv, "pong!", 5, 0, (struct sockaddr *)&from, fl), 5);
	run_until(&f, 1);
	ck_assert_uint_eq(f.n_got, 1);
	ck_assert_int_eq(vdev__host_parse(f.got, f.got_len, &a), 0);
	ck_assert_uint_eq(a.proto, 17);
	ck_assert_mem_eq(a.src, lo4, 4);
	ck_assert_mem_eq(a.dst, in4, 4);
	ck_assert_mem_eq(a.l4, &sa.sin_port, 2);
	ck_assert_uint_eq(a.l4[2] << 8 | a.l4[3], 40000);
	ck_assert(l4_ok(&a));
	ck_assert_mem_eq(a.l4 + 8, "pong!", 5);
	vdev_counters(f.dev, &c);
	ck_assert_uint_eq(c.tx_packets, 1);
	ck_assert_uint_eq(c.rx_packets, 1);
	close(srv);
	close(stranger);
	fix_down(&f);
}
END_TEST

START_TEST(host_udp_closed_port_gives_icmp_unreachable)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	struct vdev_counters c;
	struct vdev__pkt a, q;
	uint8_t b[256];
	int s;
	size_t n;
	struct fix f;

	fix_up(&f);
	f.allow = true;
	/* a port that was free a moment ago */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
	close(s);
	n = vdev__host_build_udp(b, false, in4, htons(40001), lo4, sa.sin_port,
				 "anyone?", 7);
	send_out(&f, b, n);
	/* The host's error is now the socket's pending error too: the next
	 * datagram of the flow is still sent (host.c's send_to()). */
	usleep(100000);
	send_out(&f, b, n);
	vdev_counters(f.dev, &c);
	ck_assert_uint_eq(c.tx_packets, 2);
	ck_assert_uint_eq(c.drops, 0);
	run_until(&f, 2);
	ck_assert_uint_eq(f.n_got, 2);
	ck_assert_int_eq(vdev__host_parse(f.got, f.got_len, &a), 0);
	ck_assert_uint_eq(a.proto, 1);
	ck_assert_uint_eq(a.l4[0], 3);		/* unreachable */
	ck_assert_uint_eq(a.l4[1], 3);		/* port */
	ck_assert_mem_eq(a.dst, in4, 4);
	ck_assert(l4_ok(&a));
	/* it quotes the inner datagram: our source port, not the host's */
	ck_assert_int_eq(vdev__host_parse(a.l4 + 8, a.l4len - 8, &q), -EINVAL);
	ck_assert_mem_eq(a.l4 + 8 + 12, in4, 4);
	ck_assert_mem_eq(a.l4 + 8 + 16, lo4, 4);
	ck_assert_uint_eq(a.l4[28] << 8 | a.l4[29], 40001);
	ck_assert_mem_eq(a.l4 + 30, &sa.sin_port, 2);
	fix_down(&f);
}
END_TEST

static Suite *host_suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc;

	tc = tcase_create("packets");
	tcase_add_test(tc, host_parse_malformed_refused);
	tcase_add_test(tc, host_build_udp_checksums_verify);
	tcase_add_test(tc, host_prohibit_quotes_the_packet);
	suite_add_tcase(s, tc);

	tc = tcase_create("device");
	tcase_add_test(tc, host_new_bad_arguments_and_defaults);
	tcase_add_test(tc, host_denied_and_tcp_answered_later);
	tcase_add_test(tc, host_tcp_unreach_and_relay_counts);
	tcase_add_test(tc, host_udp_flow_echo_and_stranger_dropped);
	tcase_add_test(tc, host_udp_closed_port_gives_icmp_unreachable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(host_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

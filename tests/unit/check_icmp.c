/* SPDX-License-Identifier: MIT */
/*
 * check_icmp.c - unit tests of netstack/icmp.c: reading ICMP and ICMPv6
 * errors (errno, fatality, the quoted addresses and ports), and a port
 * unreachable from lwIP reaching the UDP socket that caused it.
 *
 * The parser is pure and gets hand-built messages, truncated ones too.
 * The delivery test runs a stack on a loop (ns_new() brings up `lo`),
 * opens one UDP socket through netstack/internal.h without a tracee, and
 * ends with uv_loop_close() == 0.  Linked with rrs_ns only.
 */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/errqueue.h>

#include "lwip/pbuf.h"
#include "lwip/udp.h"

#include "netstack/internal.h"

/* An ICMPv4 error quoting a UDP datagram 10.0.0.1:5000 -> 10.0.0.2:33434. */
static size_t icmp4_udp(uint8_t *m, uint8_t type, uint8_t code)
{
	static const uint8_t ip[20] = {
		0x45, 0, 0, 40, 0, 0, 0, 0, 1, 17, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
	};
	static const uint8_t udp[8] = { 0x13, 0x88, 0x82, 0x9a, 0, 20, 0, 0 };

	memset(m, 0, 8);
	m[0] = type;
	m[1] = code;
	memcpy(m + 8, ip, sizeof(ip));
	memcpy(m + 28, udp, sizeof(udp));
	memcpy(m + 36, "abcd", 4);
	return 40;
}

START_TEST(icmp_parse_port_unreachable_econnrefused)
{
	struct icmp_err_info e;
	uint8_t m[64];
	size_t n = icmp4_udp(m, 3, 3);

	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), 0);
	ck_assert_int_eq(e.err, ECONNREFUSED);
	ck_assert(e.hard);
	ck_assert_int_eq(e.proto, 17);
	ck_assert_uint_eq(e.sport, 5000);
	ck_assert_uint_eq(e.dport, 33434);
	ck_assert_uint_eq(ip4_addr_get_u32(ip_2_ip4(&e.src)), PP_HTONL(0x0a000001));
	ck_assert_uint_eq(ip4_addr_get_u32(ip_2_ip4(&e.dst)), PP_HTONL(0x0a000002));
	ck_assert_uint_eq(e.plen, 4);
	ck_assert_mem_eq(e.payload, "abcd", 4);
}
END_TEST

/* A TCP SYN quoted (for tcp.c's connect): its ports, the errno Linux's
 * tcp_v4_err() ends the attempt with */
START_TEST(icmp_parse_tcp_quote_ports)
{
	struct icmp_err_info e;
	uint8_t m[64];
	size_t n = icmp4_udp(m, 3, 13);

	m[8 + 9] = 6;		/* the quoted datagram is TCP */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), 0);
	ck_assert_int_eq(e.err, EHOSTUNREACH);
	ck_assert(e.hard);
	ck_assert_int_eq(e.proto, 6);
	ck_assert_uint_eq(e.sport, 5000);
	ck_assert_uint_eq(e.dport, 33434);
}
END_TEST

START_TEST(icmp_parse_time_exceeded_soft)
{
	struct icmp_err_info e;
	uint8_t m[64];
	size_t n = icmp4_udp(m, 11, 0);

	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), 0);
	ck_assert_int_eq(e.err, EHOSTUNREACH);
	ck_assert(!e.hard);
	ck_assert_uint_eq(e.type, 11);
}
END_TEST

START_TEST(icmp_parse_frag_needed_mtu_in_info)
{
	struct icmp_err_info e;
	uint8_t m[64];
	size_t n = icmp4_udp(m, 3, 4);

	m[6] = 0x05;
	m[7] = 0xdc;	/* 1500 */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), 0);
	ck_assert_int_eq(e.err, EMSGSIZE);
	ck_assert_uint_eq(e.info, 1500);
}
END_TEST

START_TEST(icmp_parse_not_errors_enoent)
{
	struct icmp_err_info e;
	uint8_t m[64];
	size_t n;

	n = icmp4_udp(m, 0, 0);		/* echo reply */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), -ENOENT);
	n = icmp4_udp(m, 5, 1);		/* redirect */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), -ENOENT);
	n = icmp4_udp(m, 3, 16);	/* no such code */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), -ENOENT);
}
END_TEST

START_TEST(icmp_parse_truncated_einval)
{
	struct icmp_err_info e;
	uint8_t m[64];
	size_t n = icmp4_udp(m, 3, 3);
	size_t cut;

	for (cut = 0; cut < 28; cut++)
		ck_assert_int_eq(ns__icmp_parse_err(m, cut, false, &e), -EINVAL);
	m[8] = 0x65;			/* quoted header says version 6 */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), -EINVAL);
	m[8] = 0x4f;			/* IHL 60 bytes, longer than quoted */
	ck_assert_int_eq(ns__icmp_parse_err(m, n, false, &e), -EINVAL);
}
END_TEST

START_TEST(icmp_parse_v6_echo_identifier)
{
	struct icmp_err_info e;
	uint8_t m[8 + 40 + 8];

	memset(m, 0, sizeof(m));
	m[0] = 3;			/* time exceeded */
	m[8] = 0x60;
	m[8 + 6] = 58;			/* ICMPv6 */
	m[8 + 23] = 1;			/* src ::1 */
	m[8 + 39] = 2;			/* dst ::2 */
	m[48] = 128;			/* echo request, identifier 0x0102 */
	m[52] = 1;
	m[53] = 2;
	ck_assert_int_eq(ns__icmp_parse_err(m, sizeof(m), true, &e), 0);
	ck_assert_int_eq(e.err, EHOSTUNREACH);
	ck_assert_int_eq(e.proto, 58);
	ck_assert_uint_eq(e.sport, 0x0102);
	ck_assert(IP_IS_V6(&e.dst));
	ck_assert_uint_eq(ip_2_ip6(&e.dst)->addr[3], PP_HTONL(2));
	m[0] = 1;
	m[1] = 4;			/* port unreachable */
	ck_assert_int_eq(ns__icmp_parse_err(m, sizeof(m), true, &e), 0);
	ck_assert_int_eq(e.err, ECONNREFUSED);
	ck_assert(e.hard);
}
END_TEST

/* ---- delivery through lwIP ---- */

struct fixture {
	uv_loop_t loop;
	struct ns *ns;
	struct sock *s;
	int tend;
};

static void open_udp(struct fixture *f)
{
	ck_assert_int_eq(uv_loop_init(&f->loop), 0);
	ck_assert_int_eq(ns_new(&f->loop, &f->ns), 0);
	f->s = ns__sock_new(f->ns, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	ck_assert_ptr_nonnull(f->s);
	ck_assert_int_eq(ns__sock_pair(f->s, SOCK_SEQPACKET, true, &f->tend), 0);
	ns__sock_register(f->s, f->s->ino);
	ck_assert_int_eq(ns__udp_open(f->s), 0);
}

static void close_udp(struct fixture *f)
{
	ns__sock_free(f->s);
	close(f->tend);
	ns_free(f->ns);
	ck_assert_int_eq(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&f->loop), 0);
}

/* Run the loop until @s has an error queued or 2 s passed. */
static void run_until_error(struct fixture *f)
{
	int i;

	for (i = 0; i < 2000 && !f->s->so_error; i++) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(1000);
	}
}

START_TEST(icmp_port_unreachable_reaches_udp_socket)
{
	struct fixture f;
	ip_addr_t lo;
	char b[4];
	int err;

	open_udp(&f);
	f.s->recverr = true;
	ip_addr_set_ip4_u32_val(lo, PP_HTONL(0x7f000001));
	ck_assert_int_eq(ns__udp_connect(f.s, &lo, 9), 0);
	ck_assert_int_eq(ns__udp_sendto(f.s, "ping", 4, NULL, 0, NULL), 4);
	run_until_error(&f);
	ck_assert_uint_eq(f.s->eq_len, 1);
	ck_assert_int_eq(f.s->eq_head->err, ECONNREFUSED);
	ck_assert_uint_eq(f.s->eq_head->origin, SO_EE_ORIGIN_ICMP);
	ck_assert_uint_eq(f.s->eq_head->type, 3);
	ck_assert_uint_eq(f.s->eq_head->code, 3);
	ck_assert_uint_eq(f.s->eq_head->dport, 9);
	/* The marker: an empty datagram, so that poll() wakes the program. */
	ck_assert_int_eq(recv(f.tend, b, sizeof(b), MSG_DONTWAIT), 0);
	ck_assert(f.s->mq_head && f.s->mq_head->marker);
	ck_assert(ns__icmp_take_error(f.s, &err));
	ck_assert_int_eq(err, ECONNREFUSED);
	ck_assert(!ns__icmp_take_error(f.s, &err));
	close_udp(&f);
}
END_TEST

START_TEST(icmp_without_recverr_only_pending_error)
{
	struct fixture f;
	ip_addr_t lo;
	char b[4];

	open_udp(&f);
	ip_addr_set_ip4_u32_val(lo, PP_HTONL(0x7f000001));
	ck_assert_int_eq(ns__udp_connect(f.s, &lo, 9), 0);
	ck_assert_int_eq(ns__udp_sendto(f.s, "ping", 4, NULL, 0, NULL), 4);
	run_until_error(&f);
	ck_assert_int_eq(f.s->so_error, ECONNREFUSED);
	ck_assert_uint_eq(f.s->eq_len, 0);
	ck_assert_int_eq(recv(f.tend, b, sizeof(b), MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
	close_udp(&f);
}
END_TEST

static Suite *icmp_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, icmp_parse_port_unreachable_econnrefused);
	tcase_add_test(tc, icmp_parse_time_exceeded_soft);
	tcase_add_test(tc, icmp_parse_tcp_quote_ports);
	tcase_add_test(tc, icmp_parse_frag_needed_mtu_in_info);
	tcase_add_test(tc, icmp_parse_not_errors_enoent);
	tcase_add_test(tc, icmp_parse_truncated_einval);
	tcase_add_test(tc, icmp_parse_v6_echo_identifier);
	suite_add_tcase(s, tc);
	tc = tcase_create("deliver");
	tcase_add_test(tc, icmp_port_unreachable_reaches_udp_socket);
	tcase_add_test(tc, icmp_without_recverr_only_pending_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(icmp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

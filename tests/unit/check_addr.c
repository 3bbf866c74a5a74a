/* SPDX-License-Identifier: MIT */
/*
 * check_addr.c - unit tests of netstack/addr.c: the program's sockaddrs
 * to lwIP addresses and back, and lwIP's err_t to errno.
 *
 * Calls ns__addr_from_user(), ns__addr_to_sa(), ns__addr_put_len(),
 * ns__addr_put() and ns__err_lwip() through netstack/internal.h on a
 * struct sock built by hand (zeroed, family and type set): no stack, no
 * loop, no tracee.  The expected errnos are the kernel's, as Linux 6.x
 * gives them for bind()/connect() (inet_bind(), tcp_v4_connect(),
 * __inet6_bind(), tcp_v6_connect()).  Linked with rrs_ns only.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/err.h"

#include "netstack/internal.h"

static struct sock mk(int family, int type)
{
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.family = family;
	s.type = type;
	return s;
}

static struct sockaddr_in sin4(const char *ip, uint16_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	return a;
}

static struct sockaddr_in6 sin6(const char *ip, uint16_t port)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	return a;
}

static uint32_t v4(const char *ip)
{
	struct in_addr a;

	ck_assert_int_eq(inet_pton(AF_INET, ip, &a), 1);
	return a.s_addr;
}

/* ---- ns__addr_from_user() on AF_INET sockets ---- */

START_TEST(addr_from_user_v4_parses_address_and_port)
{
	struct sock s = mk(AF_INET, SOCK_STREAM);
	struct sockaddr_in a = sin4("192.0.2.7", 8080);
	ip_addr_t ip;
	uint16_t port = 0;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert(IP_IS_V4_VAL(ip));
	ck_assert_uint_eq(ip4_addr_get_u32(ip_2_ip4(&ip)), v4("192.0.2.7"));
	ck_assert_uint_eq(port, 8080);
}
END_TEST

START_TEST(addr_from_user_v4_longer_length_accepted)
{
	struct sock s = mk(AF_INET, SOCK_DGRAM);
	struct sockaddr_storage ss;
	struct sockaddr_in a = sin4("127.0.0.1", 53);
	ip_addr_t ip;
	uint16_t port;

	/* BIRD passes 32 for every family; Linux takes any len >= 16. */
	memset(&ss, 0xaa, sizeof(ss));
	memcpy(&ss, &a, sizeof(a));
	ck_assert_int_eq(ns__addr_from_user(&s, &ss, 32, &ip, &port), 0);
	ck_assert_uint_eq(ip4_addr_get_u32(ip_2_ip4(&ip)), v4("127.0.0.1"));
	ck_assert_uint_eq(port, 53);
	ck_assert_int_eq(ns__addr_from_user(&s, &ss, sizeof(ss), &ip, &port), 0);
}
END_TEST

START_TEST(addr_from_user_v4_short_length_einval)
{
	struct sock s = mk(AF_INET, SOCK_STREAM);
	struct sockaddr_in a = sin4("127.0.0.1", 80);
	ip_addr_t ip;
	uint16_t port;
	size_t len;

	for (len = 0; len < sizeof(a); len++)
		ck_assert_msg(ns__addr_from_user(&s, &a, len, &ip, &port) == -EINVAL,
			      "len %zu", len);
}
END_TEST

START_TEST(addr_from_user_v4_wrong_family_eafnosupport)
{
	struct sock s = mk(AF_INET, SOCK_STREAM);
	struct sockaddr_in6 a6 = sin6("::1", 80);
	struct sockaddr_in a = sin4("127.0.0.1", 80);
	ip_addr_t ip;
	uint16_t port;

	ck_assert_int_eq(ns__addr_from_user(&s, &a6, sizeof(a6), &ip, &port),
			 -EAFNOSUPPORT);
	a.sin_family = AF_UNIX;
	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port),
			 -EAFNOSUPPORT);
	s.type = SOCK_DGRAM;
	ck_assert_int_eq(ns__addr_from_user(&s, &a6, sizeof(a6), &ip, &port),
			 -EAFNOSUPPORT);
}
END_TEST

/* ---- ns__addr_from_user() on AF_INET6 sockets ---- */

START_TEST(addr_from_user_v6_parses_address_and_port)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("2001:db8::1:2", 179);
	ip_addr_t ip;
	uint16_t port = 0;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert(IP_IS_V6_VAL(ip));
	ck_assert_mem_eq(ip_2_ip6(&ip)->addr, &a.sin6_addr, 16);
	ck_assert_uint_eq(port, 179);
#if LWIP_IPV6_SCOPES
	ck_assert(!ip6_addr_has_zone(ip_2_ip6(&ip)));
#endif
}
END_TEST

START_TEST(addr_from_user_v6_short_length_einval)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("::1", 80);
	ip_addr_t ip;
	uint16_t port;
	size_t len;

	/* Below SIN6_LEN_RFC2133 (24) Linux says EINVAL for every call. */
	for (len = 0; len < 24; len++)
		ck_assert_msg(ns__addr_from_user(&s, &a, len, &ip, &port) == -EINVAL,
			      "len %zu", len);
}
END_TEST

/*
 * Regression (fixed; was in netstack/addr.c:52): Linux accepts a sockaddr_in6 of
 * SIN6_LEN_RFC2133 = 24 bytes (no sin6_scope_id) in bind() and connect()
 * (__inet6_bind(), tcp_v6_connect(), __ip6_datagram_connect() all test
 * addr_len < SIN6_LEN_RFC2133); addr.c wants sizeof(struct sockaddr_in6)
 * = 28 and answers -EINVAL.  tests/progs/badcalls.c checks the same
 * natively ("bind(tcp6, ::1, 24 = RFC 2133 length) works").
 */
START_TEST(addr_from_user_v6_rfc2133_length_accepted)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("::1", 443);
	ip_addr_t ip;
	uint16_t port = 0;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, 24, &ip, &port), 0);
	ck_assert(IP_IS_V6_VAL(ip));
	ck_assert_uint_eq(port, 443);
}
END_TEST

START_TEST(addr_from_user_v6_wrong_family_eafnosupport)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("::1", 80);
	ip_addr_t ip;
	uint16_t port;

	a.sin6_family = AF_UNIX;
	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port),
			 -EAFNOSUPPORT);
	a.sin6_family = AF_INET;	/* full length: the family decides */
	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port),
			 -EAFNOSUPPORT);
	s.type = SOCK_DGRAM;
	a.sin6_family = AF_UNIX;
	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port),
			 -EAFNOSUPPORT);
}
END_TEST

START_TEST(addr_from_user_v6_stream_sockaddr_in_einval)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in a = sin4("127.0.0.1", 80);
	ip_addr_t ip;
	uint16_t port;

	/* A 16-byte sockaddr_in on a TCPv6 socket is too short first. */
	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port),
			 -EINVAL);
}
END_TEST

/* ---- v4-mapped addresses on AF_INET6 sockets ---- */

START_TEST(addr_v4mapped_becomes_ipv4)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("::ffff:127.0.0.9", 2000);
	ip_addr_t ip;
	uint16_t port = 0;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert(IP_IS_V4_VAL(ip));
	ck_assert_uint_eq(ip4_addr_get_u32(ip_2_ip4(&ip)), v4("127.0.0.9"));
	ck_assert_uint_eq(port, 2000);
}
END_TEST

START_TEST(addr_v4mapped_maps_back_in_to_sa)
{
	struct sock s = mk(AF_INET6, SOCK_DGRAM);
	struct sockaddr_in6 a = sin6("::ffff:192.0.2.33", 4784), *out;
	struct sockaddr_storage ss;
	ip_addr_t ip;
	uint16_t port;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert_uint_eq(ns__addr_to_sa(&s, &ip, port, &ss), sizeof(*out));
	out = (struct sockaddr_in6 *)&ss;
	ck_assert_int_eq(out->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(out->sin6_port), 4784);
	ck_assert(IN6_IS_ADDR_V4MAPPED(&out->sin6_addr));
	ck_assert_mem_eq(&out->sin6_addr, &a.sin6_addr, 16);
	ck_assert_uint_eq(out->sin6_flowinfo, 0);
	ck_assert_uint_eq(out->sin6_scope_id, 0);
}
END_TEST

START_TEST(addr_v4mapped_v6only_enetunreach)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("::ffff:127.0.0.1", 80);
	ip_addr_t ip;
	uint16_t port;

	/* tcp_v6_connect(): a v4-mapped peer on a v6-only socket. */
	s.v6only = true;
	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port),
			 -ENETUNREACH);
}
END_TEST

/* ---- ns__addr_to_sa() ---- */

START_TEST(addr_to_sa_v4_fills_sockaddr_in)
{
	struct sock s = mk(AF_INET, SOCK_STREAM);
	struct sockaddr_storage ss;
	struct sockaddr_in *out = (struct sockaddr_in *)&ss;
	ip_addr_t ip;

	ip_addr_set_ip4_u32_val(ip, v4("10.1.2.3"));
	memset(&ss, 0x55, sizeof(ss));
	ck_assert_uint_eq(ns__addr_to_sa(&s, &ip, 65535, &ss), sizeof(*out));
	ck_assert_int_eq(out->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(out->sin_port), 65535);
	ck_assert_uint_eq(out->sin_addr.s_addr, v4("10.1.2.3"));
	ck_assert_mem_eq(out->sin_zero, "\0\0\0\0\0\0\0\0", 8);
}
END_TEST

START_TEST(addr_to_sa_v6_round_trip)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("fd00:1:2:3::abcd", 1), *out;
	struct sockaddr_storage ss;
	ip_addr_t ip;
	uint16_t port;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert_uint_eq(ns__addr_to_sa(&s, &ip, port, &ss), sizeof(*out));
	out = (struct sockaddr_in6 *)&ss;
	ck_assert_int_eq(out->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(out->sin6_port), 1);
	ck_assert_mem_eq(&out->sin6_addr, &a.sin6_addr, 16);
}
END_TEST

/* ---- the wildcard ---- */

START_TEST(addr_wildcard_v4_is_any)
{
	struct sock s = mk(AF_INET, SOCK_STREAM);
	struct sockaddr_in a = sin4("0.0.0.0", 179);
	ip_addr_t ip;
	uint16_t port;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert(IP_IS_V4_VAL(ip));
	ck_assert(ip_addr_isany(&ip));
}
END_TEST

START_TEST(addr_wildcard_v6_is_any)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_in6 a = sin6("::", 179);
	ip_addr_t ip;
	uint16_t port;

	ck_assert_int_eq(ns__addr_from_user(&s, &a, sizeof(a), &ip, &port), 0);
	ck_assert(IP_IS_V6_VAL(ip));
	ck_assert(ip_addr_isany(&ip));
}
END_TEST

START_TEST(addr_wildcard_to_sa_null_is_zero)
{
	struct sock s4 = mk(AF_INET, SOCK_DGRAM), s6 = mk(AF_INET6, SOCK_DGRAM);
	struct sockaddr_storage ss;
	struct sockaddr_in *o4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *o6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0x55, sizeof(ss));
	ck_assert_uint_eq(ns__addr_to_sa(&s4, NULL, 7, &ss), sizeof(*o4));
	ck_assert_int_eq(o4->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(o4->sin_port), 7);
	ck_assert_uint_eq(o4->sin_addr.s_addr, INADDR_ANY);

	memset(&ss, 0x55, sizeof(ss));
	ck_assert_uint_eq(ns__addr_to_sa(&s6, NULL, 7, &ss), sizeof(*o6));
	ck_assert_int_eq(o6->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(o6->sin6_port), 7);
	ck_assert(IN6_IS_ADDR_UNSPECIFIED(&o6->sin6_addr));
}
END_TEST

START_TEST(addr_wildcard_any_type_on_v6_is_unspecified)
{
	struct sock s = mk(AF_INET6, SOCK_STREAM);
	struct sockaddr_storage ss;
	struct sockaddr_in6 *o6 = (struct sockaddr_in6 *)&ss;
	ip_addr_t v4any;

	/* A dual-stack listener (lwIP's IPADDR_TYPE_ANY) or one whose
	 * address is IPv4 0.0.0.0 shows as [::], not [::ffff:0.0.0.0]. */
	ck_assert_uint_eq(ns__addr_to_sa(&s, IP_ANY_TYPE, 179, &ss), sizeof(*o6));
	ck_assert(IN6_IS_ADDR_UNSPECIFIED(&o6->sin6_addr));
	ip_addr_set_zero_ip4(&v4any);
	ck_assert_uint_eq(ns__addr_to_sa(&s, &v4any, 179, &ss), sizeof(*o6));
	ck_assert(IN6_IS_ADDR_UNSPECIFIED(&o6->sin6_addr));
	ck_assert_uint_eq(ntohs(o6->sin6_port), 179);
}
END_TEST

/* ---- ns__addr_put_len() and ns__addr_put() without a buffer ---- */

START_TEST(addr_put_len_no_buffer_reports_length)
{
	struct sock s4 = mk(AF_INET, SOCK_STREAM), s6 = mk(AF_INET6, SOCK_STREAM);
	uint32_t len = 3;

	/* No buffer: nothing is written, so no call is needed. */
	ck_assert_int_eq(ns__addr_put_len(NULL, &s4, NULL, 1, 0, &len), 0);
	ck_assert_uint_eq(len, sizeof(struct sockaddr_in));
	len = 0;
	ck_assert_int_eq(ns__addr_put_len(NULL, &s6, NULL, 1, 0x1000, &len), 0);
	ck_assert_uint_eq(len, sizeof(struct sockaddr_in6));
	ck_assert_int_eq(ns__addr_put(NULL, &s6, NULL, 1, 0, 0x1000), 0);
}
END_TEST

/* ---- ns__err_lwip() ---- */

START_TEST(addr_err_lwip_maps_every_err_t)
{
	static const struct { err_t e; int errno_neg; } map[] = {
		{ ERR_OK, 0 },			{ ERR_MEM, -ENOMEM },
		{ ERR_BUF, -ENOBUFS },		{ ERR_TIMEOUT, -ETIMEDOUT },
		{ ERR_RTE, -ENETUNREACH },	{ ERR_INPROGRESS, -EINPROGRESS },
		{ ERR_VAL, -EINVAL },		{ ERR_WOULDBLOCK, -EWOULDBLOCK },
		{ ERR_USE, -EADDRINUSE },	{ ERR_ALREADY, -EALREADY },
		{ ERR_ISCONN, -EISCONN },	{ ERR_CONN, -ENOTCONN },
		{ ERR_IF, -ENETDOWN },		{ ERR_ABRT, -ECONNABORTED },
		{ ERR_RST, -ECONNRESET },	{ ERR_CLSD, -ENOTCONN },
		{ ERR_ARG, -EINVAL },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ck_assert_msg(ns__err_lwip(map[i].e) == map[i].errno_neg,
			      "err_t %d gave %d, want %d", map[i].e,
			      ns__err_lwip(map[i].e), map[i].errno_neg);
}
END_TEST

START_TEST(addr_err_lwip_unknown_is_eio)
{
	ck_assert_int_eq(ns__err_lwip(-17), -EIO);
	ck_assert_int_eq(ns__err_lwip(-128), -EIO);
	ck_assert_int_eq(ns__err_lwip(5), -EIO);
}
END_TEST

static Suite *addr_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc;

	tc = tcase_create("from_user_v4");
	tcase_add_test(tc, addr_from_user_v4_parses_address_and_port);
	tcase_add_test(tc, addr_from_user_v4_longer_length_accepted);
	tcase_add_test(tc, addr_from_user_v4_short_length_einval);
	tcase_add_test(tc, addr_from_user_v4_wrong_family_eafnosupport);
	suite_add_tcase(s, tc);

	tc = tcase_create("from_user_v6");
	tcase_add_test(tc, addr_from_user_v6_parses_address_and_port);
	tcase_add_test(tc, addr_from_user_v6_short_length_einval);
	tcase_add_test(tc, addr_from_user_v6_rfc2133_length_accepted);
	tcase_add_test(tc, addr_from_user_v6_wrong_family_eafnosupport);
	tcase_add_test(tc, addr_from_user_v6_stream_sockaddr_in_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("v4mapped");
	tcase_add_test(tc, addr_v4mapped_becomes_ipv4);
	tcase_add_test(tc, addr_v4mapped_maps_back_in_to_sa);
	tcase_add_test(tc, addr_v4mapped_v6only_enetunreach);
	suite_add_tcase(s, tc);

	tc = tcase_create("to_sa");
	tcase_add_test(tc, addr_to_sa_v4_fills_sockaddr_in);
	tcase_add_test(tc, addr_to_sa_v6_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("wildcard");
	tcase_add_test(tc, addr_wildcard_v4_is_any);
	tcase_add_test(tc, addr_wildcard_v6_is_any);
	tcase_add_test(tc, addr_wildcard_to_sa_null_is_zero);
	tcase_add_test(tc, addr_wildcard_any_type_on_v6_is_unspecified);
	suite_add_tcase(s, tc);

	tc = tcase_create("put");
	tcase_add_test(tc, addr_put_len_no_buffer_reports_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("err_lwip");
	tcase_add_test(tc, addr_err_lwip_maps_every_err_t);
	tcase_add_test(tc, addr_err_lwip_unknown_is_eio);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(addr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

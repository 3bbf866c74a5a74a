/* SPDX-License-Identifier: MIT */
/*
 * check_etharp.c - unit tests of lwIP's ARP cache with our patch 0045:
 * entries of one netif set and removed as `ip neigh` does
 * (etharp_set_entry(), etharp_remove_entry()) and told by kind
 * (etharp_get_entry_kind()): a static entry is used without a request,
 * kept against ARP replies and time; a stale one asks again, unicast,
 * when next used, and one nobody uses stays stale past ARP_MAXAGE (patch
 * 0060); a removed one is asked for again.
 *
 * One Ethernet netif (10.0.0.1/24, MAC 02:00:00:00:00:01, checksums off)
 * hands every frame lwIP sends to a capture array; the neighbour
 * (10.0.0.2, MAC 02:00:00:00:00:02) answers with frames built by hand
 * and given to the netif's input, ethernet_input().  etharp_tmr() runs
 * only when a test calls it.  Linked with rrs_lwip only.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"

#define MAX_OUT		32

/* One frame lwIP sent, as far as these tests look. */
struct out_frame {
	uint8_t dst[6];
	uint16_t type;		/* ethertype */
	uint16_t arp_op;	/* ARP: 1 request, 2 reply */
};

static struct netif tn;
static struct out_frame out[MAX_OUT];
static int n_out;
static struct udp_pcb *pcb;

static const uint8_t my_mac[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t other_mac[6] = { 2, 0, 0, 0, 0, 9 };

static err_t tn_linkoutput(struct netif *n, struct pbuf *p)
{
	uint8_t b[14 + 8];
	struct out_frame *f;

	(void)n;
	ck_assert_int_lt(n_out, MAX_OUT);
	ck_assert_uint_ge(p->tot_len, sizeof(b));
	pbuf_copy_partial(p, b, sizeof(b), 0);
	f = &out[n_out++];
	memcpy(f->dst, b, 6);
	f->type = (uint16_t)(b[12] << 8 | b[13]);
	f->arp_op = f->type == ETHTYPE_ARP ? (uint16_t)(b[20] << 8 | b[21]) : 0;
	return ERR_OK;
}

static err_t tn_init(struct netif *n)
{
	n->name[0] = 't';
	n->name[1] = 'n';
	n->mtu = 1500;
	n->hwaddr_len = 6;
	memcpy(n->hwaddr, my_mac, 6);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	n->output = etharp_output;
	n->linkoutput = tn_linkoutput;
	NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
	return ERR_OK;
}

static void peer_ip(ip4_addr_t *a)
{
	IP4_ADDR(a, 10, 0, 0, 2);
}

static void setup(void)
{
	ip4_addr_t a, m, g;

	lwip_init();
	IP4_ADDR(&a, 10, 0, 0, 1);
	IP4_ADDR(&m, 255, 255, 255, 0);
	ip4_addr_set_zero(&g);
	ck_assert_ptr_nonnull(netif_add(&tn, &a, &m, &g, NULL, tn_init,
					ethernet_input));
	netif_set_up(&tn);
	netif_set_link_up(&tn);
	pcb = udp_new();
	ck_assert_ptr_nonnull(pcb);
	n_out = 0;
}

static void teardown(void)
{
	udp_remove(pcb);
	netif_remove(&tn);
}

/* The program sends a datagram to 10.0.0.2 */
static void send_peer(void)
{
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, 4, PBUF_RAM);
	ip_addr_t dst;

	ck_assert_ptr_nonnull(p);
	pbuf_take(p, "ping", 4);
	ip_addr_set_zero_ip4(&dst);
	peer_ip(ip_2_ip4(&dst));
	ck_assert_int_eq(udp_sendto(pcb, p, &dst, 9), ERR_OK);
	pbuf_free(p);
}

/* The neighbour answers a request: 10.0.0.2 is at 02:..:02 */
static void peer_reply(void)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, 14 + 28, PBUF_RAM);
	uint8_t *b;

	ck_assert_ptr_nonnull(p);
	b = p->payload;
	memset(b, 0, p->len);
	memcpy(b, my_mac, 6);
	memcpy(b + 6, peer_mac, 6);
	b[12] = 0x08, b[13] = 0x06;
	b[15] = 1;			/* Ethernet */
	b[16] = 0x08;			/* IPv4 */
	b[18] = 6, b[19] = 4;
	b[21] = 2;			/* reply */
	memcpy(b + 22, peer_mac, 6);
	b[28] = 10, b[31] = 2;		/* 10.0.0.2 */
	memcpy(b + 32, my_mac, 6);
	b[38] = 10, b[41] = 1;		/* 10.0.0.1 */
	ck_assert_int_eq(tn.input(p, &tn), ERR_OK);
}

/* The kind and MAC of 10.0.0.2's entry; 0 for none */
static u8_t peer_kind(uint8_t *mac)
{
	struct eth_addr *e;
	struct netif *nif;
	ip4_addr_t *ip, a;
	size_t i;
	u16_t tag;
	u8_t kind;

	peer_ip(&a);
	for (i = 0; i < ARP_TABLE_SIZE; i++) {
		kind = etharp_get_entry_kind(i, &ip, &nif, &e, &tag);
		if (kind && ip4_addr_cmp(ip, &a) && nif == &tn) {
			if (mac)
				memcpy(mac, e->addr, 6);
			return kind;
		}
	}
	return 0;
}

static err_t set_peer(const uint8_t *mac, u8_t kind)
{
	ip4_addr_t a;

	peer_ip(&a);
	return etharp_set_entry(&tn, &a, (const struct eth_addr *)mac, kind, 7);
}

static int count(uint16_t type, uint16_t op)
{
	int i, n = 0;

	for (i = 0; i < n_out; i++)
		n += out[i].type == type && out[i].arp_op == op;
	return n;
}

/* A static entry is used at once, kept against replies and ARP_MAXAGE */
START_TEST(etharp_static_entry_used_and_kept)
{
	uint8_t mac[6];
	int i;

	ck_assert_int_eq(set_peer(other_mac, ETHARP_ENTRY_STATIC), ERR_OK);
	send_peer();
	ck_assert_int_eq(n_out, 1);
	ck_assert_uint_eq(out[0].type, ETHTYPE_IP);
	ck_assert_mem_eq(out[0].dst, other_mac, 6);
	peer_reply();
	for (i = 0; i < ARP_MAXAGE + 5; i++)
		etharp_tmr();
	ck_assert_uint_eq(peer_kind(mac), ETHARP_ENTRY_STATIC);
	ck_assert_mem_eq(mac, other_mac, 6);
	n_out = 0;
	send_peer();
	ck_assert_int_eq(count(ETHTYPE_ARP, 1), 0);
	ck_assert_mem_eq(out[0].dst, other_mac, 6);
}
END_TEST

/* A stable entry made by hand is learnt's equal: a reply overrides it,
 * it goes stale in its last 30 s and then asks again, unicast */
START_TEST(etharp_stable_and_stale_entries_age)
{
	uint8_t mac[6];
	int i;

	ck_assert_int_eq(set_peer(other_mac, ETHARP_ENTRY_STABLE), ERR_OK);
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STABLE);
	peer_reply();
	ck_assert_uint_eq(peer_kind(mac), ETHARP_ENTRY_STABLE);
	ck_assert_mem_eq(mac, peer_mac, 6);
	for (i = 0; i < ARP_MAXAGE - 30; i++)
		etharp_tmr();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STALE);
	/* stale as asked: used as it is, and asked for again, unicast */
	ck_assert_int_eq(set_peer(other_mac, ETHARP_ENTRY_STALE), ERR_OK);
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STALE);
	send_peer();
	ck_assert_int_eq(count(ETHTYPE_ARP, 1), 1);
	for (i = 0; i < n_out; i++)
		ck_assert_mem_eq(out[i].dst, other_mac, 6);
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_PROBE);
	peer_reply();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STABLE);
	/* a static entry made stable again ages */
	ck_assert_int_eq(set_peer(other_mac, ETHARP_ENTRY_STATIC), ERR_OK);
	ck_assert_int_eq(set_peer(other_mac, ETHARP_ENTRY_STABLE), ERR_OK);
	for (i = 0; i < ARP_MAXAGE - 30; i++)
		etharp_tmr();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STALE);
}
END_TEST

/* Patch 0060: an entry nobody uses stays stale past ARP_MAXAGE, quietly,
 * as Linux's NUD_STALE; used, it asks again, unicast, and goes at
 * ARP_MAXAGE unanswered; an answer makes it fresh */
START_TEST(etharp_unused_entry_stays_stale)
{
	uint8_t mac[6];
	int i;

	send_peer();
	peer_reply();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STABLE);
	n_out = 0;
	for (i = 0; i < 10 * ARP_MAXAGE; i++)
		etharp_tmr();
	ck_assert_uint_eq(peer_kind(mac), ETHARP_ENTRY_STALE);
	ck_assert_mem_eq(mac, peer_mac, 6);
	ck_assert_int_eq(n_out, 0);
	/* used: sent to the known address, which is asked again, unicast */
	send_peer();
	ck_assert_int_eq(count(ETHTYPE_ARP, 1), 1);
	ck_assert_int_eq(count(ETHTYPE_IP, 0), 1);
	for (i = 0; i < n_out; i++)
		ck_assert_mem_eq(out[i].dst, peer_mac, 6);
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_PROBE);
	/* answered: fresh, and kept stale again once it ages unused */
	peer_reply();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STABLE);
	for (i = 0; i < 2 * ARP_MAXAGE; i++)
		etharp_tmr();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_STALE);
	/* used and never answered: gone by ARP_MAXAGE */
	send_peer();
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_PROBE);
	for (i = 0; i < 31 && peer_kind(NULL); i++) {
		etharp_tmr();
		if (i % 2 && peer_kind(NULL))
			send_peer();	/* asks again every other second */
	}
	ck_assert_uint_eq(peer_kind(NULL), 0);
	n_out = 0;
	send_peer();
	ck_assert_int_eq(count(ETHTYPE_ARP, 1), 1);
	ck_assert_mem_eq(out[0].dst, "\xff\xff\xff\xff\xff\xff", 6);
}
END_TEST

/* Removed in any state; then asked for again.  Not for broadcast. */
START_TEST(etharp_remove_any_entry_and_refuse_broadcast)
{
	ip4_addr_t a;

	peer_ip(&a);
	ck_assert_int_eq(etharp_remove_entry(&tn, &a), ERR_VAL);
	ck_assert_int_eq(set_peer(other_mac, ETHARP_ENTRY_STATIC), ERR_OK);
	ck_assert_int_eq(etharp_remove_entry(&tn, &a), ERR_OK);
	ck_assert_uint_eq(peer_kind(NULL), 0);
	send_peer();				/* pending now */
	ck_assert_int_eq(count(ETHTYPE_ARP, 1), 1);
	ck_assert_uint_eq(peer_kind(NULL), ETHARP_ENTRY_PENDING);
	ck_assert_int_eq(etharp_remove_entry(&tn, &a), ERR_OK);
	ck_assert_uint_eq(peer_kind(NULL), 0);
	IP4_ADDR(&a, 10, 0, 0, 255);
	ck_assert_int_eq(etharp_set_entry(&tn, &a, (const struct eth_addr *)other_mac,
					  ETHARP_ENTRY_STATIC, 0), ERR_ARG);
}
END_TEST

static Suite *etharp_suite(void)
{
	Suite *s = suite_create("etharp");
	TCase *tc = tcase_create("entries");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, etharp_static_entry_used_and_kept);
	tcase_add_test(tc, etharp_stable_and_stale_entries_age);
	tcase_add_test(tc, etharp_unused_entry_stays_stale);
	tcase_add_test(tc, etharp_remove_any_entry_and_refuse_broadcast);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(etharp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

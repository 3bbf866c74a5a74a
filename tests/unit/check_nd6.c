/* SPDX-License-Identifier: MIT */
/*
 * check_nd6.c - unit tests of lwIP's IPv6 neighbour discovery with our
 * patches 0032 (packets queued for a neighbour whose link-layer address
 * was unknown leave as soon as any message tells it, in the order
 * written), 0035 and 0036 (redirects and router advertisements ignored,
 * as a Linux router does).  0032's RA and redirect paths are unreachable
 * with those two.  Patch 0045's static entries (nd6_set_neighbor(),
 * nd6_remove_neighbor()): used at once, kept against advertisements and
 * time, never recycled.
 *
 * One Ethernet netif (fe80::1 and fd00:1::1/64, MAC 02:00:00:00:00:01,
 * checksums off) hands every frame lwIP sends to a capture array; the
 * neighbour (fd00:1::2 and fe80::2, MAC 02:00:00:00:00:02) is played here
 * with frames built by hand and given to the netif's input,
 * ethernet_input(), as a driver would.  Timers never run, so nothing is retried or flushed behind the
 * test's back.  Linked with rrs_lwip only (sys_arch.c's weak hooks: lwIP
 * routes by prefix).
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/ethip6.h"
#include "lwip/icmp6.h"
#include "lwip/ip6_addr.h"
#include "lwip/nd6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/priv/nd6_priv.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"

#define MAX_OUT		32
#define PEER_PORT	3784

/* One frame lwIP sent, as far as these tests look. */
struct out_frame {
	uint8_t dst[6];
	uint8_t next;		/* IPv6 next header */
	uint8_t icmp;		/* ICMPv6 type, or 0 */
	char data[16];		/* UDP payload (NUL-terminated) */
};

static struct netif tn;
static struct out_frame out[MAX_OUT];
static int n_out;
static struct udp_pcb *pcb;

static const uint8_t my_mac[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t my_ip[16] = { 0xfd, 0, 0, 1, [15] = 1 };
static const uint8_t peer_ip[16] = { 0xfd, 0, 0, 1, [15] = 2 };
static const uint8_t my_ll[16] = { 0xfe, 0x80, [15] = 1 };
static const uint8_t peer_ll[16] = { 0xfe, 0x80, [15] = 2 };

static err_t tn_linkoutput(struct netif *n, struct pbuf *p)
{
	uint8_t b[14 + 40 + 8 + 16];
	struct out_frame *f;
	size_t len = p->tot_len < sizeof(b) ? p->tot_len : sizeof(b);

	(void)n;
	ck_assert_int_lt(n_out, MAX_OUT);
	ck_assert_uint_ge(p->tot_len, 14 + 40);
	memset(b, 0, sizeof(b));
	pbuf_copy_partial(p, b, (u16_t)len, 0);
	ck_assert_uint_eq(b[12] << 8 | b[13], 0x86dd);
	f = &out[n_out++];
	memset(f, 0, sizeof(*f));
	memcpy(f->dst, b, 6);
	f->next = b[14 + 6];
	if (f->next == IP6_NEXTH_ICMP6)
		f->icmp = b[14 + 40];
	else if (f->next == IP6_NEXTH_UDP)
		memcpy(f->data, b + 14 + 40 + 8,
		       len > 14 + 40 + 8 ? len - (14 + 40 + 8) : 0);
	return ERR_OK;
}

static err_t tn_init(struct netif *n)
{
	n->name[0] = 't';
	n->name[1] = 'n';
	n->mtu = 1500;
	n->mtu6 = 1500;
	n->hwaddr_len = 6;
	memcpy(n->hwaddr, my_mac, 6);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		   NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	n->output_ip6 = ethip6_output;
	n->linkoutput = tn_linkoutput;
	NETIF_SET_CHECKSUM_CTRL(n, NETIF_CHECKSUM_DISABLE_ALL);
	return ERR_OK;
}

static void setup(void)
{
	ip6_addr_t a;

	lwip_init();
	ck_assert_ptr_nonnull(netif_add_noaddr(&tn, NULL, tn_init, ethernet_input));
	memcpy(&a.addr, my_ll, 16);
	ip6_addr_assign_zone(&a, IP6_UNICAST, &tn);
	netif_ip6_addr_set(&tn, 0, &a);
	netif_ip6_addr_set_state(&tn, 0, IP6_ADDR_PREFERRED);
	memcpy(&a.addr, my_ip, 16);
	ip6_addr_clear_zone(&a);
	netif_ip6_addr_set(&tn, 1, &a);
	netif_ip6_addr_set_state(&tn, 1, IP6_ADDR_PREFERRED);
	netif_set_up(&tn);
	netif_set_link_up(&tn);
	pcb = udp_new_ip_type(IPADDR_TYPE_V6);
	ck_assert_ptr_nonnull(pcb);
	ck_assert_int_eq(udp_bind(pcb, IP6_ADDR_ANY, 49152), ERR_OK);
	n_out = 0;
}

/* The program writes @s to the neighbour's address @to. */
static void send_to(const uint8_t *to, const char *s)
{
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)strlen(s), PBUF_RAM);
	ip_addr_t dst;

	ck_assert_ptr_nonnull(p);
	pbuf_take(p, s, (u16_t)strlen(s));
	memset(&dst, 0, sizeof(dst));
	IP_SET_TYPE_VAL(dst, IPADDR_TYPE_V6);
	memcpy(ip_2_ip6(&dst)->addr, to, 16);
	if (ip6_addr_islinklocal(ip_2_ip6(&dst)))
		ip6_addr_assign_zone(ip_2_ip6(&dst), IP6_UNICAST, &tn);
	ck_assert_int_eq(udp_sendto(pcb, p, &dst, PEER_PORT), ERR_OK);
	pbuf_free(p);
}

static void send_text(const char *s)
{
	send_to(peer_ip, s);
}

/*
 * nd_frame() - an ND message from the neighbour, zeroed past its headers
 * @dst_mac:	Ethernet destination
 * @src, @dst:	IPv6 source and destination
 * @plen:	ICMPv6 bytes (the message and its options)
 *
 * Return: the frame; the ICMPv6 message starts at byte 54
 */
static struct pbuf *nd_frame(const uint8_t *dst_mac, const uint8_t *src,
			     const uint8_t *dst, uint16_t plen)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)(14 + 40 + plen), PBUF_RAM);
	uint8_t *b;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->next);
	b = p->payload;
	memset(b, 0, p->len);
	memcpy(b, dst_mac, 6);
	memcpy(b + 6, peer_mac, 6);
	b[12] = 0x86, b[13] = 0xdd;
	b[14] = 0x60;
	b[14 + 4] = (uint8_t)(plen >> 8), b[14 + 5] = (uint8_t)plen;
	b[14 + 6] = IP6_NEXTH_ICMP6;
	b[14 + 7] = 255;
	memcpy(b + 14 + 8, src, 16);
	memcpy(b + 14 + 24, dst, 16);
	return p;
}

static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
static const uint8_t allnodes[16] = { 0xff, 0x02, [15] = 1 };

/*
 * peer_ra() - the neighbour, a router, advertises itself from fe80::2 to
 * all nodes, its link-layer address in the option
 */
static void peer_ra(void)
{
	struct pbuf *p = nd_frame(allnodes_mac, peer_ll, allnodes, 16 + 8);
	uint8_t *b = p->payload;

	b[54] = ICMP6_TYPE_RA;
	b[54 + 4] = 64;				/* current hop limit */
	b[54 + 6] = 0x07, b[54 + 7] = 0x08;	/* router lifetime 1800 s */
	b[70] = 1, b[71] = 1;			/* source link-layer address */
	memcpy(b + 72, peer_mac, 6);
	ck_assert_int_eq(tn.input(p, &tn), ERR_OK);
}

/*
 * peer_nd() - the neighbour sends a solicitation for our address (its
 * link-layer address in the option), multicast to our solicited-node
 * group as when it resolves us, or an advertisement answering ours
 */
static void peer_nd(uint8_t type)
{
	/* our solicited-node group: 33:33:ff:00:00:01, ff02::1:ff00:1 */
	static const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 1 };
	static const uint8_t sn[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff,
					[15] = 1 };
	struct pbuf *p = type == ICMP6_TYPE_NS ?
		nd_frame(sn_mac, peer_ip, sn, 24 + 8) :
		nd_frame(my_mac, peer_ip, my_ip, 24 + 8);
	uint8_t *b = p->payload;

	b[54] = type;
	if (type == ICMP6_TYPE_NA) {
		b[58] = 0x60;		/* solicited, override */
		memcpy(b + 62, peer_ip, 16);
		b[78] = 2;		/* target link-layer address */
	} else {
		memcpy(b + 62, my_ip, 16);
		b[78] = 1;		/* source link-layer address */
	}
	b[79] = 1;
	memcpy(b + 80, peer_mac, 6);
	ck_assert_int_eq(tn.input(p, &tn), ERR_OK);
}

/* Index of the UDP frame carrying @s after frame @from, or -1. */
static int find_udp(const char *s, int from)
{
	int i;

	for (i = from; i < n_out; i++)
		if (out[i].next == IP6_NEXTH_UDP && strcmp(out[i].data, s) == 0)
			return i;
	return -1;
}

static int count_udp(void)
{
	int i, n = 0;

	for (i = 0; i < n_out; i++)
		n += out[i].next == IP6_NEXTH_UDP;
	return n;
}

/* The neighbour is unknown: the datagram waits and a solicitation goes. */
static void first_waits(void)
{
	send_text("first");
	ck_assert_int_eq(count_udp(), 0);
	ck_assert_int_ge(n_out, 1);
	ck_assert_uint_eq(out[n_out - 1].icmp, ICMP6_TYPE_NS);
}

/* CORE BUG (patch 0032): lwIP left "first" queued until the entry became
 * REACHABLE, while "second" went out at once: BIRD's first BFD packet
 * (state Down) reached the peer a second late and took an Up session
 * down. */
START_TEST(nd6_queue_sent_when_solicitation_gives_address)
{
	int mark, i1, i2;

	first_waits();
	send_text("then");
	mark = n_out;
	peer_nd(ICMP6_TYPE_NS);
	i1 = find_udp("first", mark);
	ck_assert_msg(i1 >= 0, "queued datagram not sent when the "
		      "neighbour's solicitation gave its address");
	ck_assert_int_eq(find_udp("then", mark), i1 + 1);
	ck_assert_mem_eq(out[i1].dst, peer_mac, 6);
	/* the solicitation is answered too */
	for (i2 = mark; i2 < n_out && out[i2].icmp != ICMP6_TYPE_NA; i2++)
		;
	ck_assert_int_lt(i2, n_out);
	mark = n_out;
	send_text("second");
	i2 = find_udp("second", mark);
	ck_assert_int_ge(i2, 0);
	ck_assert_int_eq(count_udp(), 3);
}
END_TEST

/* The path lwIP always had: an advertisement answering our solicitation. */
START_TEST(nd6_queue_sent_when_advertisement_answers)
{
	int mark, i1;

	first_waits();
	mark = n_out;
	peer_nd(ICMP6_TYPE_NA);
	i1 = find_udp("first", mark);
	ck_assert_int_ge(i1, 0);
	ck_assert_mem_eq(out[i1].dst, peer_mac, 6);
	send_text("second");
	ck_assert_int_gt(find_udp("second", i1 + 1), i1);
	ck_assert_int_eq(count_udp(), 2);
}
END_TEST

/* CORE BUG (patch 0036): lwIP made an advertising neighbour a default
 * router of its own, behind the sandbox's routing table. */
START_TEST(nd6_router_advertisement_ignored)
{
	int i;

	send_to(peer_ll, "first");
	peer_ra();
	for (i = 0; i < LWIP_ND6_NUM_ROUTERS; i++)
		ck_assert_ptr_null(default_router_list[i].neighbor_entry);
	/* nor did its link-layer address resolve the neighbour */
	ck_assert_int_eq(count_udp(), 0);
}
END_TEST

/*
 * peer_redirect() - a router (fe80::3) tells us to reach @dst through the
 * neighbour fe80::2, whose link-layer address it gives
 */
static void peer_redirect(const uint8_t *dst)
{
	static const uint8_t router_ll[16] = { 0xfe, 0x80, [15] = 3 };
	struct pbuf *p = nd_frame(my_mac, router_ll, my_ll, 40 + 8);
	uint8_t *b = p->payload;

	b[54] = ICMP6_TYPE_RD;
	memcpy(b + 54 + 8, peer_ll, 16);	/* target */
	memcpy(b + 54 + 24, dst, 16);		/* destination */
	b[94] = 2, b[95] = 1;			/* target link-layer address */
	memcpy(b + 96, peer_mac, 6);
	ck_assert_int_eq(tn.input(p, &tn), ERR_OK);
}

/* The next hop lwIP's destination cache holds for @dst (fails if none). */
static const ip6_addr_t *next_hop_of(const uint8_t *dst)
{
	int i;

	for (i = 0; i < LWIP_ND6_NUM_DESTINATIONS; i++)
		if (!memcmp(destination_cache[i].destination_addr.addr, dst, 16))
			return &destination_cache[i].next_hop_addr;
	ck_abort_msg("no destination cache entry");
	return NULL;
}

/* CORE BUG (patch 0035): lwIP took a redirect from any link-local sender
 * and wrote its target over the next hop the routing table gave. */
START_TEST(nd6_redirect_ignored)
{
	static const uint8_t far[16] = { 0xfd, 0, 0, 1, [15] = 9 };

	send_to(far, "first");		/* on-link: its own next hop */
	ck_assert_mem_eq(next_hop_of(far)->addr, far, 16);
	peer_redirect(far);
	ck_assert_mem_eq(next_hop_of(far)->addr, far, 16);
}
END_TEST

/* ---- patch 0050: path MTU and fragmentation ---- */

/* The neighbour says "packet too big" for what we sent to @dst, with
 * MTU @mtu */
static void peer_ptb(const uint8_t *dst, uint32_t mtu)
{
	struct pbuf *p = nd_frame(my_mac, peer_ip, my_ip, 8 + 40 + 8);
	uint8_t *b = p->payload;

	b[54] = ICMP6_TYPE_PTB;
	b[58] = (uint8_t)(mtu >> 24), b[59] = (uint8_t)(mtu >> 16);
	b[60] = (uint8_t)(mtu >> 8), b[61] = (uint8_t)mtu;
	b[62] = 0x60;				/* the packet it quotes */
	b[62 + 6] = IP6_NEXTH_UDP;
	memcpy(b + 62 + 8, my_ip, 16);
	memcpy(b + 62 + 24, dst, 16);
	ck_assert_int_eq(tn.input(p, &tn), ERR_OK);
}

/* A datagram of @len bytes to the neighbour: udp_sendto()'s answer */
static err_t send_big(size_t len)
{
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	ip_addr_t dst;
	err_t err;

	ck_assert_ptr_nonnull(p);
	memset(p->payload, 'x', len);
	memset(&dst, 0, sizeof(dst));
	IP_SET_TYPE_VAL(dst, IPADDR_TYPE_V6);
	memcpy(ip_2_ip6(&dst)->addr, peer_ip, 16);
	err = udp_sendto(pcb, p, &dst, PEER_PORT);
	pbuf_free(p);
	return err;
}

static int count_next(uint8_t next)
{
	int i, n = 0;

	for (i = 0; i < n_out; i++)
		n += out[i].next == next;
	return n;
}

/* CORE BUG (patch 0050): a "packet too big" of 52 bytes set that path
 * MTU: ip6_frag() then cut fragments of 0 bytes and sent them for ever
 * (the supervisor hung; a program can send itself such a message through
 * a raw ICMPv6 socket).  Linux raises it to 1280. */
START_TEST(nd6_packet_too_big_below_1280_is_1280)
{
	static const uint32_t mtus[] = { 52, 20, 0x10000 + 52, 1279 };
	size_t i;

	first_waits();
	peer_nd(ICMP6_TYPE_NA);
	for (i = 0; i < sizeof(mtus) / sizeof(mtus[0]); i++) {
		ip6_addr_t d;

		peer_ptb(peer_ip, mtus[i]);
		memcpy(&d.addr, peer_ip, 16);
		ip6_addr_clear_zone(&d);
		ck_assert_uint_eq(nd6_get_destination_mtu(&d, &tn),
				  mtus[i] > 0xffff ? 0xffff : 1280);
	}
	peer_ptb(peer_ip, 52);
	n_out = 0;
	ck_assert_int_eq(send_big(1400), ERR_OK);
	ck_assert_int_eq(count_next(IP6_NEXTH_FRAGMENT), 2);
}
END_TEST

/* ip6_frag() with an MTU that leaves no room for a fragment's 8 bytes
 * (here the device's own IPv6 MTU, before a destination has an entry)
 * refuses the datagram at once: it looped before */
START_TEST(ip6_frag_refuses_an_mtu_without_room)
{
	tn.mtu6 = 52;
	ck_assert_int_ne(send_big(100), ERR_OK);
	ck_assert_int_eq(n_out, 0);
	tn.mtu6 = 20;		/* below the headers: no wrap either */
	ck_assert_int_ne(send_big(100), ERR_OK);
	ck_assert_int_eq(n_out, 0);
	tn.mtu6 = 1500;
}
END_TEST

/* ---- patch 0045: entries set and removed by `ip neigh` ---- */

static const uint8_t other_mac[6] = { 2, 0, 0, 0, 0, 9 };

/* nd6_set_neighbor() for the neighbour's fd00:1::2 */
static err_t set_peer(const uint8_t *mac, u8_t state, u8_t is_static)
{
	ip6_addr_t a;

	memset(&a, 0, sizeof(a));
	memcpy(&a.addr, peer_ip, 16);
	return nd6_set_neighbor(&tn, &a, mac, state, is_static, 0x142);
}

/* The neighbour cache entry of fd00:1::2 (fails if none) */
static const struct nd6_neighbor_cache_entry *peer_entry(void)
{
	int i;

	for (i = 0; i < LWIP_ND6_NUM_NEIGHBORS; i++)
		if (neighbor_cache[i].state != ND6_NO_ENTRY &&
		    !memcmp(neighbor_cache[i].next_hop_address.addr, peer_ip, 16))
			return &neighbor_cache[i];
	ck_abort_msg("no neighbour cache entry for fd00:1::2");
	return NULL;
}

/* Runs nd6_tmr() past the reachable time, dropping what it sends */
static void age_past_reachable(void)
{
	u32_t i;

	for (i = 0; i < reachable_time / ND6_TMR_INTERVAL + 3; i++) {
		nd6_tmr();
		n_out = 0;
	}
}

/* A static entry is used at once: no solicitation, its address as given */
START_TEST(nd6_static_entry_used_without_solicitation)
{
	int i;

	ck_assert_int_eq(set_peer(other_mac, ND6_REACHABLE, 1), ERR_OK);
	send_text("first");
	ck_assert_int_eq(n_out, 1);
	i = find_udp("first", 0);
	ck_assert_int_eq(i, 0);
	ck_assert_mem_eq(out[i].dst, other_mac, 6);
	ck_assert_uint_eq(peer_entry()->tag, 0x142);
}
END_TEST

/* Neither advertisements nor time change a static entry; a reachable
 * one set the same way goes stale, and its address is overridden */
START_TEST(nd6_static_entry_kept_against_advertisement_and_time)
{
	ck_assert_int_eq(set_peer(other_mac, ND6_REACHABLE, 1), ERR_OK);
	peer_nd(ICMP6_TYPE_NA);			/* solicited, override */
	peer_nd(ICMP6_TYPE_NS);
	age_past_reachable();
	ck_assert_uint_eq(peer_entry()->state, ND6_REACHABLE);
	ck_assert_mem_eq(peer_entry()->lladdr, other_mac, 6);
	ck_assert_uint_eq(peer_entry()->is_static, 1);
	/* the same entry, dynamic now */
	ck_assert_int_eq(set_peer(other_mac, ND6_REACHABLE, 0), ERR_OK);
	ck_assert_uint_eq(peer_entry()->is_static, 0);
	peer_nd(ICMP6_TYPE_NA);
	ck_assert_mem_eq(peer_entry()->lladdr, peer_mac, 6);
	age_past_reachable();
	ck_assert_uint_eq(peer_entry()->state, ND6_STALE);
	/* stale as asked: the next use delays a probe */
	ck_assert_int_eq(set_peer(other_mac, ND6_STALE, 0), ERR_OK);
	send_text("first");
	ck_assert_uint_eq(peer_entry()->state, ND6_DELAY);
	ck_assert_mem_eq(out[find_udp("first", 0)].dst, other_mac, 6);
	/* a static stale entry is refused */
	ck_assert_int_eq(set_peer(other_mac, ND6_STALE, 1), ERR_ARG);
}
END_TEST

/* What waited for the address leaves when an entry gives it; a removed
 * entry is solicited again */
START_TEST(nd6_set_sends_queue_remove_forgets)
{
	ip6_addr_t a;
	int mark;

	first_waits();
	mark = n_out;
	ck_assert_int_eq(set_peer(other_mac, ND6_REACHABLE, 1), ERR_OK);
	ck_assert_int_ge(find_udp("first", mark), mark);
	memset(&a, 0, sizeof(a));
	memcpy(&a.addr, peer_ip, 16);
	ck_assert_int_eq(nd6_remove_neighbor(&tn, &a), ERR_OK);
	ck_assert_int_eq(nd6_remove_neighbor(&tn, &a), ERR_VAL);
	mark = n_out;
	send_text("again");
	ck_assert_int_eq(find_udp("again", mark), -1);
	ck_assert_uint_eq(out[n_out - 1].icmp, ICMP6_TYPE_NS);
}
END_TEST

/* A full cache recycles dynamic entries, never static ones */
START_TEST(nd6_static_entries_never_recycled)
{
	ip6_addr_t a;
	int i;

	memset(&a, 0, sizeof(a));
	memcpy(&a.addr, peer_ip, 16);
	for (i = 0; i < LWIP_ND6_NUM_NEIGHBORS; i++) {
		a.addr[3] = lwip_htonl((u32_t)(0x100 + i));
		ck_assert_int_eq(nd6_set_neighbor(&tn, &a, other_mac, ND6_REACHABLE,
						  1, 0), ERR_OK);
	}
	a.addr[3] = lwip_htonl(0x1000);
	ck_assert_int_eq(nd6_set_neighbor(&tn, &a, other_mac, ND6_REACHABLE,
					  0, 0), ERR_MEM);
	a.addr[3] = lwip_htonl(0x100);
	ck_assert_int_eq(nd6_remove_neighbor(&tn, &a), ERR_OK);
	a.addr[3] = lwip_htonl(0x1000);
	ck_assert_int_eq(nd6_set_neighbor(&tn, &a, other_mac, ND6_REACHABLE,
					  0, 0), ERR_OK);
}
END_TEST

static Suite *nd6_suite(void)
{
	Suite *s = suite_create("nd6");
	TCase *tc = tcase_create("queue");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, nd6_queue_sent_when_solicitation_gives_address);
	tcase_add_test(tc, nd6_queue_sent_when_advertisement_answers);
	tcase_add_test(tc, nd6_router_advertisement_ignored);
	tcase_add_test(tc, nd6_redirect_ignored);
	tcase_add_test(tc, nd6_packet_too_big_below_1280_is_1280);
	tcase_add_test(tc, ip6_frag_refuses_an_mtu_without_room);
	tcase_add_test(tc, nd6_static_entry_used_without_solicitation);
	tcase_add_test(tc, nd6_static_entry_kept_against_advertisement_and_time);
	tcase_add_test(tc, nd6_set_sends_queue_remove_forgets);
	tcase_add_test(tc, nd6_static_entries_never_recycled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(nd6_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: MIT */
/*
 * sys_arch.c - the platform functions and hooks lwIP needs with NO_SYS=1.
 *
 * rrs_ip4_accept() is the input hook of patches/lwip/0003;
 * rrs_tcp_inpacket() a weak default of netstack/tcpin.c's TCP input hook,
 * the TCP MD5 output hooks' weak defaults (no signatures; netstack/tcpmd5.c),
 * the routing and forwarding hooks' weak defaults (netstack/route.c
 * has the real ones), which leave the choice to lwIP, and the ICMP error
 * rate limits' (netstack/icmprl.c), which let every error go.
 * sys_now() is lwIP's millisecond clock for its timeouts (CLOCK_MONOTONIC,
 * so wall-clock jumps never fire or starve a TCP timer); rrs_lwip_rand()
 * seeds ephemeral ports from getrandom(); rrs_tcp_isn() gives TCP's
 * initial sequence numbers as RFC 6528 does.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "lwip/ip_addr.h"
#include "lwip/ip4_addr.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/ip.h"
#include "lwip/sys.h"
#include "arch/cc.h"
#include "rrs_lwip_hooks.h"
#include "md5.h"

/**
 * sys_now() - milliseconds since an arbitrary fixed point
 *
 * Return: CLOCK_MONOTONIC in milliseconds, wrapping at 2^32
 */
u32_t sys_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u32_t)((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/**
 * rrs_lwip_rand() - a random number for lwIP (ISNs, ports)
 *
 * Return: 32 random bits
 */
unsigned int rrs_lwip_rand(void)
{
	unsigned int r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (unsigned int)time(NULL) * 2654435761u;
	return r;
}

/**
 * rrs_tcp_isn() - LWIP_HOOK_TCP_ISN: a connection's initial sequence number
 * @local_ip:	its local address
 * @local_port:	its local port
 * @remote_ip:	the peer's address
 * @remote_port: the peer's port
 *
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, key),
 * M a clock ticking every 4 us (RFC 793's), F the first 32 bits of MD5
 * over the process's random 16-byte key (md5_secret()) and the 4-tuple.
 * A new connection with the same tuple starts above the old one's numbers
 * (the clock moved on); an off-path host cannot guess the numbers of another
 * tuple's connections, as it could lwIP's own counter (6510 + ticks).
 *
 * Return: the initial sequence number
 */
unsigned int rrs_tcp_isn(const struct ip_addr *local_ip,
			 unsigned short local_port,
			 const struct ip_addr *remote_ip,
			 unsigned short remote_port)
{
	const ip_addr_t *ips[2] = { local_ip, remote_ip };
	uint16_t ports[2] = { local_port, remote_port };
	uint8_t digest[MD5_DIGEST_LEN];
	struct timespec ts;
	struct md5 m;
	uint32_t f;
	int i;

	md5_init(&m);
	md5_update(&m, md5_secret(), MD5_DIGEST_LEN);
	for (i = 0; i < 2; i++) {
		if (IP_IS_V6(ips[i]))
			md5_update(&m, ip_2_ip6(ips[i])->addr, 16);
		else
			md5_update(&m, &ip_2_ip4(ips[i])->addr, 4);
		md5_update(&m, &ports[i], sizeof(ports[i]));
	}
	md5_final(&m, digest);
	memcpy(&f, digest, sizeof(f));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned int)(((uint64_t)ts.tv_sec * 250000u +
			       (uint64_t)ts.tv_nsec / 4000u) + f);
}

/**
 * rrs_lwip_diag() - lwIP's diagnostic output, to stderr
 * @fmt:	printf format
 */
void rrs_lwip_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("lwip: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/**
 * rrs_ip4_accept() - accept @dest on @netif beyond the netif's own address
 * @netif:	the receiving interface
 * @dest:	the packet's destination
 *
 * A loopback interface (one holding a 127/8 address) takes all of
 * 127.0.0.0/8, as Linux's lo does.  netstack/route.c's accepts a
 * device's other addresses too; this weak default serves unit tests.
 *
 * Return: nonzero to accept
 */
__attribute__((weak)) int rrs_ip4_accept(struct netif *netif,
					 const struct ip4_addr *dest)
{
	return ip4_addr_isloopback(netif_ip4_addr(netif)) && ip4_addr_isloopback(dest);
}

/**
 * rrs_tcp_inpacket() - LWIP_HOOK_TCP_INPACKET_PCB, when netstack/ is absent
 * @pcb:	the pcb lwIP chose
 * @hdr:	the TCP header
 * @optlen:	option length
 * @opt1len:	option bytes in the first pbuf
 * @opt2:	the rest of the options, or NULL
 * @p:		the segment
 *
 * netstack/tcpin.c overrides this weak default (unit tests link lwIP alone).
 *
 * Return: ERR_OK: take the segment
 */
/* netstack/icmprl.c has the rate limits; unit tests send every error */
__attribute__((weak)) int rrs_icmp4_err_allow(struct pbuf *p, unsigned char type,
					      unsigned char code)
{
	return 1;
}

__attribute__((weak)) int rrs_icmp6_err_allow(unsigned char type,
					      const struct ip6_addr *dest,
					      struct netif *netif)
{
	return 1;
}

__attribute__((weak)) signed char rrs_tcp_inpacket(struct tcp_pcb *pcb,
	struct tcp_hdr *hdr, unsigned short optlen, unsigned short opt1len,
	unsigned char *opt2, struct pbuf *p)
{
	return 0;
}

/* TCP MD5 signatures (netstack/tcpmd5.c): without netstack/, none. */
__attribute__((weak)) unsigned char rrs_tcp_md5_syn_optflags(struct tcp_pcb *pcb,
							     unsigned char optflags)
{
	return optflags;
}

__attribute__((weak)) unsigned char rrs_tcp_md5_optlen(const struct tcp_pcb *pcb,
						       unsigned char len)
{
	return len;
}

__attribute__((weak)) uint32_t *rrs_tcp_md5_addopts(struct pbuf *p,
	struct tcp_hdr *hdr, const struct tcp_pcb *pcb, uint32_t *opts)
{
	return opts;
}

__attribute__((weak)) void rrs_tcp_md5_sign(const struct tcp_pcb *pcb,
	struct pbuf *p, const ip_addr_t *src, const ip_addr_t *dst)
{
}

__attribute__((weak)) signed char rrs_tcp_inpacket_nopcb(struct tcp_hdr *hdr,
	unsigned short optlen, unsigned short opt1len, unsigned char *opt2,
	struct pbuf *p)
{
	return 0;
}

/* Forwarded TCP (netstack/tcpfwd.c): without netstack/, lwIP's own ways. */
__attribute__((weak)) int rrs_ip_take_foreign(struct pbuf *p, struct netif *inp)
{
	return 0;
}

__attribute__((weak)) int rrs_ip6_anycast(struct netif *inp,
					  const struct ip6_addr *addr, int nd)
{
	return 0;
}

__attribute__((weak)) int rrs_ip6_input(struct pbuf *p, struct netif *inp)
{
	return 0;
}

/* Unresolved next hops (netstack/neigh.c): without netstack/, lwIP's
 * silence. */
__attribute__((weak)) void rrs_etharp_unresolved(struct netif *netif,
						 struct pbuf *p)
{
}

__attribute__((weak)) void rrs_nd6_unresolved(struct netif *netif,
					      struct pbuf *p)
{
}

__attribute__((weak)) void rrs_etharp_failed(struct netif *netif,
					     const ip4_addr_t *addr)
{
}

__attribute__((weak)) void rrs_nd6_failed(struct netif *netif,
					  const ip6_addr_t *addr)
{
}

/* Router Advertisements (netstack/ra.c): without netstack/, ignored */
__attribute__((weak)) void rrs_nd6_ra(struct netif *netif, struct pbuf *p)
{
}

__attribute__((weak)) int rrs_netif_idx_match(unsigned char idx, struct netif *inp)
{
	return idx == netif_get_index(inp);
}

__attribute__((weak)) int rrs_netif_idx_local(unsigned char idx,
					      const struct ip_addr *dst)
{
	return 0;
}

__attribute__((weak)) signed char rrs_tcp_inpacket_noconn(struct tcp_hdr *hdr,
	struct pbuf *p, struct tcp_pcb_listen **lpcb)
{
	return 0;
}

/* patches/lwip/0007 makes this hook final: the default is lwIP's own
 * first choice, the netif whose subnet holds @dest. */
__attribute__((weak)) struct netif *rrs_ip4_route(const ip4_addr_t *src,
						  const ip4_addr_t *dest)
{
	struct netif *n;

	NETIF_FOREACH(n) {
		if (netif_is_up(n) && netif_is_link_up(n) &&
		    !ip4_addr_isany_val(*netif_ip4_addr(n)) &&
		    ip4_addr_netcmp(dest, netif_ip4_addr(n), netif_ip4_netmask(n)))
			return n;
	}
	return NULL;
}

__attribute__((weak)) struct netif *rrs_ip4_forward_route(const ip4_addr_t *src,
							  const ip4_addr_t *dest,
							  struct netif *inp, uint8_t tos,
							  const struct pbuf *p)
{
	return rrs_ip4_route(src, dest);
}

__attribute__((weak)) const ip4_addr_t *rrs_etharp_gw(struct netif *netif,
						      const ip4_addr_t *dest)
{
	return NULL;
}

/* lwIP's own choice, which patch 0048 no longer makes after the hook for
 * unicast: a netif with an address in the destination's prefix, then
 * the one holding the source address */
__attribute__((weak)) struct netif *rrs_ip6_route(const ip6_addr_t *src,
						  const ip6_addr_t *dest)
{
	struct netif *n;
	int i;

	NETIF_FOREACH(n) {
		if (!netif_is_up(n) || !netif_is_link_up(n))
			continue;
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) &&
			    ip6_addr_netcmp(dest, netif_ip6_addr(n, i)))
				return n;
	}
	NETIF_FOREACH(n) {
		if (!src || ip6_addr_isany(src) || !netif_is_up(n))
			continue;
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) &&
			    ip6_addr_cmp(src, netif_ip6_addr(n, i)))
				return n;
	}
	return NULL;
}

__attribute__((weak)) struct netif *rrs_ip6_forward_route(const ip6_addr_t *src,
							  const ip6_addr_t *dest,
							  struct netif *inp,
							  const struct pbuf *p)
{
	return rrs_ip6_route(IP6_ADDR_ANY6, dest);
}

__attribute__((weak)) struct netif *rrs_tcp_route(const struct tcp_pcb *pcb,
						  const ip_addr_t *src,
						  const ip_addr_t *dst)
{
	return ip_route(src, dst);
}

__attribute__((weak)) const ip6_addr_t *rrs_nd6_gw(struct netif *netif,
						   const ip6_addr_t *dest)
{
	return NULL;
}

/**
 * rrs_ip6_select_src_dev() - the IPv6 source by the devices' addresses
 * @netif:	the device the packet leaves by
 * @dest:	its destination
 *
 * A packet to one of the sandbox's own addresses leaves by lo; lwIP would
 * give it lo's ::1 as its source, and ip6_input() drops a packet from ::1
 * that arrives for another device's address.  As Linux, such a packet
 * gets the destination itself as its source.
 *
 * A device with link-local addresses only (a link whose routes go
 * through link-local gateways, as BGP peers over fe80:: often are) has
 * no source of the destination's scope; lwIP would find none, where
 * Linux takes one from another device (RFC 6724 rule 2, scope, before
 * rule 5, the outgoing interface): here the first global address of the
 * devices in the order they were made (lo first).
 *
 * netstack/route.c's hook has Linux's rules (net__select_src6()) and
 * calls this only without a network; alone (unit tests), this is the
 * hook.
 *
 * Return: that address, or NULL for lwIP's own rules
 */
const ip_addr_t *rrs_ip6_select_src_dev(struct netif *netif, const ip6_addr_t *dest)
{
	const ip_addr_t *best = NULL;
	struct netif *n;
	u8_t best_num = 0;
	int i;

	if (ip6_addr_isloopback(dest) || ip6_addr_ismulticast(dest) ||
	    ip6_addr_islinklocal(dest))
		return NULL;
	NETIF_FOREACH(n)
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) &&
			    ip6_addr_cmp_zoneless(dest, netif_ip6_addr(n, i)))
				return &n->ip6_addr[i];
	for (i = 0; netif && i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (ip6_addr_isvalid(netif_ip6_addr_state(netif, i)) &&
		    !ip6_addr_islinklocal(netif_ip6_addr(netif, i)))
			return NULL;	/* the device has one of the scope */
	NETIF_FOREACH(n) {
		if (!netif_is_up(n) || (best && n->num > best_num))
			continue;
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
			const ip6_addr_t *a = netif_ip6_addr(n, i);

			if (ip6_addr_ispreferred(netif_ip6_addr_state(n, i)) &&
			    !ip6_addr_islinklocal(a) && !ip6_addr_isloopback(a)) {
				best = &n->ip6_addr[i];
				best_num = n->num;
				break;
			}
		}
	}
	return best;
}

/* patches/lwip/0026: without netstack/, ARP answers for the netif's own
 * address only. */
__attribute__((weak)) int rrs_etharp_for_us(struct netif *netif,
					    const ip4_addr_t *target)
{
	return 0;
}

/* patches/lwip/0033: without netstack/, the netif's own address. */
__attribute__((weak)) const ip4_addr_t *rrs_etharp_request_src(struct netif *netif,
							      const ip4_addr_t *target,
							      const struct pbuf *q)
{
	return NULL;
}

/* patches/lwip/0027: without netstack/, the netif's own address. */
__attribute__((weak)) const ip_addr_t *rrs_ip4_select_src(struct netif *netif,
							  const ip4_addr_t *dest)
{
	(void)dest;
	return netif_ip_addr4(netif);
}

/* patches/lwip/0025: without netstack/, no IPv4 packet waits for an IPv6
 * neighbour. */
__attribute__((weak)) int rrs_nd6_send_queued(struct netif *netif, struct pbuf *p,
					      const unsigned char *lladdr)
{
	return 0;
}

__attribute__((weak)) const ip_addr_t *rrs_ip6_select_src(struct netif *netif,
							  const ip6_addr_t *dest)
{
	return rrs_ip6_select_src_dev(netif, dest);
}

/* patches/lwip/0009 and 0011: forward wherever the lookup found a
 * device, else answer "no route" (code 0 in both families). */
__attribute__((weak)) int rrs_ip4_forward_check(const ip4_addr_t *dest,
						struct netif *inp,
						struct netif *out)
{
	return out ? RRS_FWD_GO : 0;
}

__attribute__((weak)) int rrs_ip6_forward_check(const ip6_addr_t *dest,
						struct netif *inp,
						struct netif *out)
{
	return out ? RRS_FWD_GO : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * rrs_lwip_hooks.h - the hooks rrsandbox gives lwIP (LWIP_HOOK_FILENAME).
 *
 * Included by lwIP's own sources; implemented in sys_arch.c.
 */
#ifndef RRS_LWIP_HOOKS_H
#define RRS_LWIP_HOOKS_H

#include <stdint.h>

struct netif;
struct ip4_addr;
struct pbuf;
struct tcp_hdr;
struct tcp_pcb;
struct ip6_addr;
struct ip_addr;

int rrs_ip4_accept(struct netif *netif, const struct ip4_addr *dest);
int rrs_etharp_for_us(struct netif *netif, const struct ip4_addr *target);
const struct ip4_addr *rrs_etharp_request_src(struct netif *netif,
					      const struct ip4_addr *target,
					      const struct pbuf *q);
signed char rrs_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr,
			     unsigned short optlen, unsigned short opt1len,
			     unsigned char *opt2, struct pbuf *p);

struct netif *rrs_ip4_route(const struct ip4_addr *src,
			    const struct ip4_addr *dest);
const struct ip4_addr *rrs_etharp_gw(struct netif *netif,
				     const struct ip4_addr *dest);
struct netif *rrs_ip6_route(const struct ip6_addr *src,
			    const struct ip6_addr *dest);
const struct ip6_addr *rrs_nd6_gw(struct netif *netif,
				  const struct ip6_addr *dest);
const struct ip_addr *rrs_ip6_select_src_dev(struct netif *netif,
					     const struct ip6_addr *dest);
const struct ip_addr *rrs_ip6_select_src(struct netif *netif,
					 const struct ip6_addr *dest);
int rrs_ip4_forward_check(const struct ip4_addr *dest, struct netif *inp,
			  struct netif *out);
struct netif *rrs_ip4_forward_route(const struct ip4_addr *src,
				    const struct ip4_addr *dest,
				    struct netif *inp, uint8_t tos,
				    const struct pbuf *p);
struct netif *rrs_ip6_forward_route(const struct ip6_addr *src,
				    const struct ip6_addr *dest,
				    struct netif *inp, const struct pbuf *p);
struct netif *rrs_tcp_route(const struct tcp_pcb *pcb,
			    const struct ip_addr *src,
			    const struct ip_addr *dst);
int rrs_nd6_send_queued(struct netif *netif, struct pbuf *p,
			const unsigned char *lladdr);
int rrs_ip6_forward_check(const struct ip6_addr *dest, struct netif *inp,
			  struct netif *out);

/* Routing from router/: netstack/route.c; sys_arch.c has weak defaults
 * (lwIP's own choice) for unit tests without it.  The LWIP_HOOK_*ROUTE*
 * macros are in lwipopts.h: ip4.h must see them. */

/* patches/lwip/0003: a loopback netif answers all of 127.0.0.0/8, and a
 * device its other IPv4 addresses (netstack/route.c). */
#define LWIP_HOOK_IP4_ACCEPT(netif, dest) rrs_ip4_accept((netif), (dest))
/* patches/lwip/0026: ARP answers for any address of the sandbox. */
#define LWIP_HOOK_ETHARP_FOR_US(netif, target) rrs_etharp_for_us((netif), (target))
/* patches/lwip/0033: the sender address of an ARP request for @target,
 * sent for packet @q (NULL: none); NULL keeps the netif's address. */
#define LWIP_HOOK_ETHARP_REQUEST_SRC(netif, target, q) \
	rrs_etharp_request_src((netif), (target), (q))

/* patches/lwip/0009, 0011: ip4_forward()/ip6_forward() ask right after
 * their route lookup (@out is its answer, maybe NULL).  Return
 * RRS_FWD_GO to forward through @out, RRS_FWD_DROP to drop quietly, or
 * the code of the ICMP (ICMPv6) destination unreachable to answer. */
#define RRS_FWD_GO	(-1)
#define RRS_FWD_DROP	(-2)
#define LWIP_HOOK_IP4_FORWARD_CHECK(dest, inp, out) \
	rrs_ip4_forward_check((dest), (inp), (out))
#define LWIP_HOOK_IP6_FORWARD_CHECK(dest, inp, out) \
	rrs_ip6_forward_check((dest), (inp), (out))
/* patches/lwip/0044, 0046: the route of a packet to forward, by its
 * source and the device it came in on, IPv4's TOS, and its L4 protocol
 * and ports read from @p (routing rules: netstack/route.c) */
#define LWIP_HOOK_IP4_FORWARD_ROUTE(src, dest, inp, tos, p) \
	rrs_ip4_forward_route((src), (dest), (inp), (tos), (p))
#define LWIP_HOOK_IP6_FORWARD_ROUTE(src, dest, inp, p) \
	rrs_ip6_forward_route((src), (dest), (inp), (p))
/* patches/lwip/0046: the route of a TCP segment of @pcb (NULL: a reset
 * for no connection), by its ports and owner too (routing rules) */
#define LWIP_HOOK_TCP_ROUTE(pcb, src, dst) \
	rrs_tcp_route((pcb), (src), (dst))

/* patches/lwip/0025: a packet that waited for an IPv6 neighbour's
 * link-layer address; nonzero when the hook sent it (an IPv4 packet
 * through an IPv6 gateway, RTA_VIA: netstack/route.c), 0 for lwIP to
 * send it as IPv6. */
#define LWIP_HOOK_ND6_SEND_QUEUED(netif, p, lladdr) \
	rrs_nd6_send_queued((netif), (p), (lladdr))

/* Every segment for a pcb (listeners and TIME_WAIT included) before lwIP
 * takes it; non-ERR_OK drops it.  netstack/tcpin.c has the real one. */
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	rrs_tcp_inpacket((pcb), (hdr), (optlen), (opt1len), (opt2), (p))

/* TCP MD5 signatures, RFC 2385 (netstack/tcpmd5.c; patches/lwip/0015 adds
 * the SYN and SIGN hooks, 0014 the NOPCB one).  A signed connection's segments get 20 more
 * option bytes (NOP, NOP, the 18-byte option), written last, and signed
 * when the segment is final, just before its checksum. */
unsigned char rrs_tcp_md5_syn_optflags(struct tcp_pcb *pcb, unsigned char optflags);
unsigned char rrs_tcp_md5_optlen(const struct tcp_pcb *pcb, unsigned char len);
uint32_t *rrs_tcp_md5_addopts(struct pbuf *p, struct tcp_hdr *hdr,
			      const struct tcp_pcb *pcb, uint32_t *opts);
void rrs_tcp_md5_sign(const struct tcp_pcb *pcb, struct pbuf *p,
		      const struct ip_addr *src, const struct ip_addr *dst);
#define LWIP_HOOK_TCP_OUT_SYN_OPTFLAGS(pcb, optflags) \
	rrs_tcp_md5_syn_optflags((pcb), (optflags))
#define LWIP_HOOK_TCP_OUT_TCPOPT_LENGTH(pcb, len) \
	rrs_tcp_md5_optlen((pcb), (unsigned char)(len))
#define LWIP_HOOK_TCP_OUT_ADD_TCPOPTS(p, hdr, pcb, opts) \
	rrs_tcp_md5_addopts((p), (hdr), (pcb), (opts))
#define LWIP_HOOK_TCP_OUT_SIGN(pcb, p, src, dst) \
	rrs_tcp_md5_sign((pcb), (p), (src), (dst))

/* patches/lwip/0014: before tcp_input() resets a segment for no
 * connection; non-ERR_OK sends nothing.  netstack/tcpin.c. */
signed char rrs_tcp_inpacket_nopcb(struct tcp_hdr *hdr, unsigned short optlen,
				   unsigned short opt1len, unsigned char *opt2,
				   struct pbuf *p);
#define LWIP_HOOK_TCP_INPACKET_NOPCB(hdr, optlen, opt1len, opt2, p) \
	rrs_tcp_inpacket_nopcb((hdr), (optlen), (opt1len), (opt2), (p))

/* patches/lwip/0030, 0031: TCP forwarded through the sandbox to its host
 * uplink is terminated here and relayed over a host socket
 * (netstack/tcpfwd.c).  TAKE_FOREIGN: nonzero delivers a packet not
 * addressed to the stack as if it were (@p's payload at its IP header).
 * INPACKET_NOCONN: for a segment no connection matched, before the
 * listeners: ERR_OK goes on (with *lpcb set: that listener takes it),
 * anything else drops it. */
struct tcp_pcb_listen;
int rrs_ip_take_foreign(struct pbuf *p, struct netif *inp);
signed char rrs_tcp_inpacket_noconn(struct tcp_hdr *hdr, struct pbuf *p,
				    struct tcp_pcb_listen **lpcb);
/* lwIP's own hook: an IPv6 packet on a device with conf/DEV/disable_ipv6
 * on is dropped (ipv6_rcv()); nonzero: taken and freed (route.c). */
int rrs_ip6_input(struct pbuf *p, struct netif *inp);
#define LWIP_HOOK_IP6_INPUT(p, inp) rrs_ip6_input((p), (inp))
/* patches/lwip/0055: whether @addr is an anycast address of ours that
 * @inp's packet may reach (nd 0: a packet to deliver, or an echo request
 * whose reply then takes a selected source; nd 1: a neighbour
 * solicitation's target, to be answered without override): the
 * sandbox's subnet-router anycast addresses (netstack/anycast.c) */
int rrs_ip6_anycast(struct netif *inp, const struct ip6_addr *addr, int nd);
#define LWIP_HOOK_IP6_ANYCAST(inp, addr, nd) rrs_ip6_anycast((inp), (addr), (nd))
#define LWIP_HOOK_IP4_TAKE_FOREIGN(p, inp) rrs_ip_take_foreign((p), (inp))
#define LWIP_HOOK_IP6_TAKE_FOREIGN(p, inp) rrs_ip_take_foreign((p), (inp))
#define LWIP_HOOK_TCP_INPACKET_NOCONN(hdr, p, lpcb) \
	rrs_tcp_inpacket_noconn((hdr), (p), (lpcb))

/* patches/lwip/0054: whether an ICMP error about @p (payload at its IP
 * header) or an ICMPv6 error to @dest by @netif may go out now: Linux's
 * rate limits (netstack/icmprl.c; sys_arch.c's weak defaults say yes) */
int rrs_icmp4_err_allow(struct pbuf *p, unsigned char type, unsigned char code);
int rrs_icmp6_err_allow(unsigned char type, const struct ip6_addr *dest,
			struct netif *netif);
#define LWIP_HOOK_ICMP_ERR_ALLOW(p, type, code) \
	rrs_icmp4_err_allow((p), (type), (code))
#define LWIP_HOOK_ICMP6_ERR_ALLOW(type, dest, netif) \
	rrs_icmp6_err_allow((type), (dest), (netif))

/* patches/lwip/0057: a packet (payload at its IP header) whose next hop on
 * @netif never answered ARP, or neighbour solicitations, before its entry
 * was given up: its sender is told, as Linux's arp_error_report() and
 * ndisc_error_report() tell it (netstack/neigh.c; sys_arch.c's weak
 * defaults drop it quietly, as lwIP) */
void rrs_etharp_unresolved(struct netif *netif, struct pbuf *p);
void rrs_nd6_unresolved(struct netif *netif, struct pbuf *p);
#define LWIP_HOOK_ETHARP_UNRESOLVED(netif, p) rrs_etharp_unresolved((netif), (p))
#define LWIP_HOOK_ND6_UNRESOLVED(netif, p) rrs_nd6_unresolved((netif), (p))
/* and the address itself, after its packets: listed as FAILED */
void rrs_etharp_failed(struct netif *netif, const struct ip4_addr *addr);
void rrs_nd6_failed(struct netif *netif, const struct ip6_addr *addr);
#define LWIP_HOOK_ETHARP_FAILED(netif, addr) rrs_etharp_failed((netif), (addr))
#define LWIP_HOOK_ND6_FAILED(netif, addr) rrs_nd6_failed((netif), (addr))

/* patches/lwip/0058: a Router Advertisement that came in on @netif
 * (payload at its ICMPv6 header), before lwIP ignores it: a host device
 * acts on it as Linux does (netstack/ra.c; sys_arch.c's weak default
 * ignores it, as lwIP with LWIP_ND6_IGNORE_RA) */
void rrs_nd6_ra(struct netif *netif, struct pbuf *p);
#define LWIP_HOOK_ND6_RA(netif, p) rrs_nd6_ra((netif), (p))

/* Initial sequence numbers as RFC 6528 (sys_arch.c): a 4 us clock plus a
 * keyed hash of the connection's addresses and ports, not lwIP's
 * predictable counter. */
struct ip_addr;
unsigned int rrs_tcp_isn(const struct ip_addr *local_ip,
			 unsigned short local_port,
			 const struct ip_addr *remote_ip,
			 unsigned short remote_port);
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) \
	rrs_tcp_isn((lip), (lport), (rip), (rport))

#endif /* RRS_LWIP_HOOKS_H */

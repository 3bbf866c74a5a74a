/* SPDX-License-Identifier: MIT */
/*
 * lwipopts.h - rrsandbox's lwIP 2.1.3 configuration.
 *
 * lwIP runs in the supervisor's one thread with NO_SYS=1; libuv drives its
 * timers (netstack/stack.c).  Only the raw (callback) API is built: every
 * socket the sandboxed program sees is emulated by netstack/ on top of it.
 * Memory comes from the C library (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC), so
 * the number of pcbs and queued segments is bounded by what programs open,
 * not by static pools.
 */
#ifndef RRS_LWIPOPTS_H
#define RRS_LWIPOPTS_H

#define NO_SYS                          1
#define SYS_LIGHTWEIGHT_PROT            0
#define LWIP_TIMERS                     1
#define LWIP_SOCKET                     0
#define LWIP_NETCONN                    0
#define LWIP_NETIF_API                  0

/* Memory: the C heap, no static pools. */
#define MEM_LIBC_MALLOC                 1
#define MEMP_MEM_MALLOC                 1
#define MEM_ALIGNMENT                   8
#define LWIP_DISABLE_MEMP_SANITY_CHECKS 1

/* Protocols. */
#define LWIP_IPV4                       1
#define LWIP_IPV6                       1
#define LWIP_ARP                        1
/* While a neighbour is being resolved, keep packets for it, as Linux does
 * (unres_qlen_bytes: about 100 full frames), not just the latest: a ping
 * and a TCP SYN leaving together for a new neighbour must both arrive, and
 * so must every fragment of a big first datagram (a 20000-byte ping over
 * a 1280-byte MTU is 16).  IPv6 (ND) queues already, without a bound
 * here (MEMP_MEM_MALLOC). */
#define ARP_QUEUEING                    1
/* An address that does not answer is given up after three requests a
 * second apart, as Linux's mcast_solicit 3 and retrans_time 1 s (lwIP's
 * own: 5); patch 0057 then tells the senders of what waited for it. */
#define ARP_MAXPENDING                  3
#define ARP_QUEUE_LEN                   64
/* `ip neigh add ... nud permanent` (neigh.c, patch 0045) */
#define ETHARP_SUPPORT_STATIC_ENTRIES   1
/* Neighbours kept resolved at once, across all devices: lwIP's 10 made a
 * router with more peers on one segment (an exchange's LAN, a busy OSPF
 * segment) evict and ask again all the time, and its unresolved packets
 * wait meanwhile.  Linux keeps up to gc_thresh3 (1024) per family; lwIP
 * scans its tables, and nd6_tmr() walks both IPv6 tables with an s8_t
 * (at 128 it never ends: keep them well below).  The IPv6 destination
 * cache (next hop and path MTU per destination) grows with the
 * neighbours.  `ip neigh` lists them (neigh.c). */
#define ARP_TABLE_SIZE                  256
#define LWIP_ND6_NUM_NEIGHBORS          64
#define LWIP_ND6_NUM_DESTINATIONS       64
#define LWIP_ETHERNET                   1
#define LWIP_ICMP                       1
/* As Linux: echo replies and ICMP errors leave with TTL 64. */
#define ICMP_TTL                        64
/* And everything else lwIP sends of its own (a TCP RST for a closed
 * port, TCP_TTL; the pcbs' first TTL before the sockets' own 64):
 * Linux's ip_default_ttl, not lwIP's 255. */
#define IP_DEFAULT_TTL                  64
/* Likewise ICMPv6 echo replies and errors (hop limit 64); ND keeps 255. */
#define LWIP_ICMP6_HL                   64
/* As Linux's defaults: an ICMPv6 echo request to a group is answered
 * (`ping -6 ff02::1%eth0`: net.ipv6.icmp.echo_ignore_multicast 0), an
 * IPv4 one is not (net.ipv4.icmp_echo_ignore_broadcasts 1; patch 0047). */
#define LWIP_MULTICAST_PING             1
#define RRS_ICMP4_IGNORE_MULTICAST_ECHO 1
#define LWIP_RAW                        1
#define LWIP_UDP                        1
#define LWIP_TCP                        1
#define LWIP_IGMP                       1
#define LWIP_IPV6_MLD                   1
/* igmp_tmr()/mld6_tmr() run only while a report is due, from
 * netstack/stack.c, not every 100 ms (patches/lwip/0013). */
#define LWIP_MCAST_TMR_EXTERNAL         1
#define LWIP_IPV6_AUTOCONFIG            0
/* Next hops come from the sandbox's routing table alone: ICMPv6
 * redirects are dropped, as a Linux router (accept_redirects 0 while
 * forwarding) does; lwIP took them from any link-local sender
 * (patches/lwip/0035). */
#define LWIP_ND6_IGNORE_REDIRECTS       1
/* Likewise router advertisements: lwIP made their senders default
 * routers and their prefixes on-link behind the routing table's back
 * (patches/lwip/0036); raw sockets (BIRD's RAdv) still see them.  And, as
 * a Linux router, no router solicitations at link up. */
#define LWIP_ND6_IGNORE_RA              1
#define LWIP_IPV6_SEND_ROUTER_SOLICIT   0
#define LWIP_IPV6_DHCP6                 0
/* IPv6 addresses per device, the first slot kept for the link-local one
 * (on lo, ::1 takes the second): 4 left lo room for two more, where a
 * router puts its own /128 and its anycast ones.  Linux has no limit. */
#define LWIP_IPV6_NUM_ADDRESSES         12
#define LWIP_DHCP                       0
#define LWIP_AUTOIP                     0
#define LWIP_DNS                        0
/* Forwarding between devices, as a Linux router (patches/lwip/0008-0011;
 * netstack/route.c decides, and `rrsandbox --no-forward` turns it off).
 * Like Linux, a packet may leave through the device it came in on. */
#define IP_FORWARD                      1
#define LWIP_IPV6_FORWARD               1
#define IP_FORWARD_ALLOW_TX_ON_RX_NETIF 1
#define IP_REASSEMBLY                   1
#define IP_FRAG                         1
#define LWIP_IPV6_FRAG                  1
#define LWIP_IPV6_REASS                 1
/* Reassembly keeps its bookkeeping (a pointer and two offsets) in place
 * of each fragment's 8-byte header unless told to copy the IPv6 header
 * aside: on 64-bit the pointer alone fills those 8 bytes, and every
 * fragmented IPv6 packet was lost (lwIP's assertion says so, compiled
 * out here).  scenario.pmtu6 pings with fragments. */
#define IPV6_FRAG_COPYHEADER            1
/* Fragments held for reassembly, all datagrams together: lwIP's 10 did
 * not hold one 20000-byte ping over a 1280-byte MTU (17 fragments), and
 * a lost one kept the room until it timed out.  256 hold a 64 KiB
 * datagram at IPv4's 576-byte minimum twice (Linux allows 4 MB). */
#define IP_REASS_MAX_PBUFS              256
#define SO_REUSE                        1
/* As Linux: a multicast or broadcast datagram goes to every socket bound
 * to its port (SO_REUSEADDR lets them share it), not to the first. */
#define SO_REUSE_RXTOALL                1
#define LWIP_TCP_KEEPALIVE              1
#define LWIP_SO_RCVBUF                  0
#define LWIP_NETIF_STATUS_CALLBACK      1
#define LWIP_NETIF_LINK_CALLBACK        1
#define LWIP_NETIF_LOOPBACK             0
#define LWIP_HAVE_LOOPIF                0
#define LWIP_SINGLE_NETIF               0
#define LWIP_CHECKSUM_CTRL_PER_NETIF    1
#define LWIP_NETIF_HWADDRHINT           0
#define LWIP_NUM_NETIF_CLIENT_DATA      1

/*
 * TCP.  The largest MSS the sanity check allows near a 64 KiB MTU
 * (TCP_SNDLOWAT must stay 4*MSS below 0xFFFF); the effective MSS follows
 * each interface's MTU.  Windows are scaled: 2 MiB, scale 6.
 */
#define TCP_MSS                         14000
#define LWIP_WND_SCALE                  1
#define TCP_RCV_SCALE                   6
#define TCP_WND                         (2 * 1024 * 1024)
#define TCP_SND_BUF                     (2 * 1024 * 1024)
#define TCP_SND_QUEUELEN                0xfff0
#define TCP_SNDLOWAT                    (4 * 1024)
#define TCP_SNDQUEUELOWAT               (TCP_SND_QUEUELEN / 2)
#define TCP_LISTEN_BACKLOG              1
#define TCP_DEFAULT_LISTEN_BACKLOG      0xff
#define TCP_OVERSIZE                    TCP_MSS
#define LWIP_TCP_TIMESTAMPS             1
#define LWIP_TCP_SACK_OUT               1
#define TCP_QUEUE_OOSEQ                 1
#define LWIP_TCP_MAX_SACK_NUM           4
#define TCP_MSL                         10000UL /* TIME_WAIT lasts 2*MSL */
#define LWIP_TCP_PCB_NUM_EXT_ARGS       1      /* TCP MD5 keys (tcpmd5.c) */
#define LWIP_CALLBACK_API               1
#define LWIP_EVENT_API                  0
#define MEMP_NUM_TCP_PCB                64     /* unused: MEMP_MEM_MALLOC */
#define MEMP_NUM_TCP_SEG                0xfff0

#define PBUF_POOL_SIZE                  64
#define PBUF_POOL_BUFSIZE               2048
#define PBUF_LINK_HLEN                  14
#define PBUF_LINK_ENCAPSULATION_HLEN    0

/* Hooks: see rrs_lwip_hooks.h and patches/lwip/. */
#define LWIP_HOOK_FILENAME              "rrs_lwip_hooks.h"
/* Routing from router/ (rrs_lwip_hooks.h declares the functions).  Here,
 * not in the hooks file: lwIP's ip4.h decides on ip4_route_src() by
 * whether LWIP_HOOK_IP4_ROUTE_SRC is defined when it is read. */
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest)	rrs_ip4_route((src), (dest))
#define LWIP_HOOK_ETHARP_GET_GW(netif, dest)	rrs_etharp_gw((netif), (dest))
#define LWIP_HOOK_IP6_ROUTE(src, dest)		rrs_ip6_route((src), (dest))
#define LWIP_HOOK_ND6_GET_GW(netif, dest)	rrs_nd6_gw((netif), (dest))
/* patches/lwip/0027: the IPv4 source of a packet that has none (a
 * secondary address in the destination's subnet, another device's
 * address when the netif has none); declared here, as ip.h's
 * ip_netif_get_local_ip() expands it in files that never read the hooks
 * file.  netstack/route.c; sys_arch.c has the weak default. */
struct netif;
struct ip4_addr;
struct ip_addr;
const struct ip_addr *rrs_ip4_select_src(struct netif *netif,
					 const struct ip4_addr *dest);
#define LWIP_HOOK_IP4_SELECT_SRC(netif, dest)	rrs_ip4_select_src((netif), (dest))
/* patches/lwip/0024: the sandbox's own address is its own source */
#define LWIP_HOOK_IP6_SELECT_SRC_ADDR(netif, dest) \
	rrs_ip6_select_src((netif), (dest))
/* patches/lwip/0049: a pcb bound to a device (SO_BINDTODEVICE) takes
 * what the loopback delivers to that device's own addresses, and a bound
 * TCP pcb reaches them through the loopback, as Linux's rt_iif makes it
 * (netstack/route.c; sys_arch.c has the weak defaults) */
int rrs_netif_idx_match(unsigned char idx, struct netif *inp);
int rrs_netif_idx_local(unsigned char idx, const struct ip_addr *dst);
#define LWIP_NETIF_IDX_MATCH(idx, inp)	rrs_netif_idx_match((idx), (inp))
#define LWIP_NETIF_IDX_LOCAL(idx, dst)	rrs_netif_idx_local((idx), (dst))

/* Statistics: the SNMP MIB-2 counters (IP, ICMP, TCP, UDP) and IPv6's
 * and ICMPv6's packet counts, which /proc/net/snmp and snmp6 show inside
 * the sandbox (netstack/procnet_files.c); none of lwIP's other statistics. */
#define LWIP_STATS                      1
#define LWIP_STATS_DISPLAY              0
#define MIB2_STATS                      1
#define IP6_STATS                       1
#define ICMP6_STATS                     1
#define LINK_STATS                      0
#define ETHARP_STATS                    0
#define IP_STATS                        0
#define IPFRAG_STATS                    0
#define ICMP_STATS                      0
#define IGMP_STATS                      0
#define UDP_STATS                       0
#define TCP_STATS                       0
#define MEM_STATS                       0
#define MEMP_STATS                      0
#define SYS_STATS                       0
#define IP6_FRAG_STATS                  0
#define MLD6_STATS                      0
#define ND6_STATS                       0

/* Debugging.  lwIP's assertions are compiled out unless the build asks
 * for them (cmake -DRRS_LWIP_ASSERT=ON: a failed one aborts with its
 * message, arch/cc.h); lwIP only asks whether LWIP_NOASSERT is defined. */
#define LWIP_DEBUG                      0
#ifndef RRS_LWIP_ASSERT
#define LWIP_NOASSERT                   0
#endif

#endif /* RRS_LWIPOPTS_H */

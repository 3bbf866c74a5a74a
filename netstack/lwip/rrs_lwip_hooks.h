/* SPDX-License-Identifier: MIT */
/*
 * rrs_lwip_hooks.h - the hooks rrsandbox gives lwIP (LWIP_HOOK_FILENAME).
 *
 * Included by lwIP's own sources; implemented in sys_arch.c.
 */
#ifndef RRS_LWIP_HOOKS_H
#define RRS_LWIP_HOOKS_H

struct netif;
struct ip4_addr;

int rrs_ip4_accept(struct netif *netif, const struct ip4_addr *dest);

/* patches/lwip/0003: a loopback netif answers all of 127.0.0.0/8. */
#define LWIP_HOOK_IP4_ACCEPT(netif, dest) rrs_ip4_accept((netif), (dest))

#endif /* RRS_LWIP_HOOKS_H */

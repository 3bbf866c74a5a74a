/* SPDX-License-Identifier: MIT */
/*
 * rtnl_fake_net.h - an in-memory struct net (netstack/net.h) for the
 * rtnetlink tests (tests/unit/check_rtnl.c) and fuzzer (fuzz_rtnl.c).
 *
 * Links lo (1) and eth0 (2), a few addresses, forwarding sysctls (all 1;
 * net_forward_set() sets one value and tells it), a route list kept sorted by
 * (table, family, prefix, priority, first next hop) that honours
 * NLM_F_CREATE/EXCL/REPLACE and RT_MATCH_* masks, listeners told of every
 * change, and a longest-prefix `route get`.  Deterministic, so dumps can
 * be compared with golden files.  Not a model of net.c's error texts.
 */
#ifndef RRS_RTNL_FAKE_NET_H
#define RRS_RTNL_FAKE_NET_H

#include "net.h"

#define FAKE_MAX_LINKS	8
#define FAKE_MAX_ADDRS	64
#define FAKE_MAX_LISTEN	8
#define FAKE_MAX_NEIGHS	16
#define FAKE_MAX_NHS	16
#define FAKE_FWD_IFINDEX 16	/* forwarding sysctls kept by ifindex */

struct net *fake_net_new(void);
void fake_net_free(struct net *n);
size_t fake_net_routes(const struct net *n);
const struct rt_route *fake_net_route(const struct net *n, size_t i);
/* Add @count IPv4 /24 routes 10.x.y.0/24 in @table without events */
void fake_net_fill(struct net *n, uint32_t table, unsigned int count);
int fake_net_listeners(const struct net *n);

#endif /* RRS_RTNL_FAKE_NET_H */

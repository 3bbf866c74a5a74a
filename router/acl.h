/* SPDX-License-Identifier: MIT */
/*
 * acl.h - which host destinations the uplink may reach.
 *
 * A list of IPv4 and IPv6 prefixes, each allowed or denied.  The longest
 * prefix that contains a destination decides; among equal prefixes the
 * last added wins (adding a prefix again replaces its verdict).  With no
 * prefix containing it, a destination is allowed unless it is the host's
 * loopback: 127.0.0.0/8, ::1/128 and the IPv4-mapped ::ffff:127.0.0.0/104
 * are denied until a rule allows them (`--uplink-allow 127.0.0.1/32`).
 *
 * Addresses are in network byte order, 4 bytes (IPv4) or 16 (IPv6).
 * An IPv4-mapped IPv6 destination (::ffff:a.b.c.d) is judged as the IPv4
 * address it maps, so a dual-stack socket cannot step around an IPv4 rule.
 * libc only; netstack/ owns one list per sandbox.
 */
#ifndef RRS_ACL_H
#define RRS_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_acl;

/**
 * struct rt_acl_rule - one prefix and its verdict
 * @family:	AF_INET or AF_INET6
 * @plen:	prefix length, 0..32 or 0..128
 * @allow:	true to allow, false to deny
 * @addr:	the prefix, host bits zero
 */
struct rt_acl_rule {
	uint8_t family;
	uint8_t plen;
	bool allow;
	uint8_t addr[16];
};

typedef int rt_acl_fn(void *arg, const struct rt_acl_rule *r);

struct rt_acl *rt_acl_new(void);
void rt_acl_free(struct rt_acl *a);
int rt_acl_add(struct rt_acl *a, const struct rt_acl_rule *r);
int rt_acl_del(struct rt_acl *a, uint8_t family, const uint8_t *addr,
	       uint8_t plen);
bool rt_acl_allowed(const struct rt_acl *a, uint8_t family,
		    const uint8_t *addr);
int rt_acl_walk(const struct rt_acl *a, rt_acl_fn *fn, void *arg);

#endif /* RRS_ACL_H */

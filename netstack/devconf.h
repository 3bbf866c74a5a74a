/* SPDX-License-Identifier: MIT */
/*
 * devconf.h - the per-device sysctls of /proc/sys/net/ipv4/conf/DEV and
 * /proc/sys/net/ipv6/conf/DEV (Linux's ipv4_devconf and ipv6_devconf):
 * their names, and the values a new network namespace starts with.
 */
#ifndef RRS_DEVCONF_H
#define RRS_DEVCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEVCONF_MAX	64	/* names a family has, at most */

/* Whose values: the "all" and "default" entries, the loopback, another
 * device */
enum devconf_kind { DEVCONF_ALL, DEVCONF_DEFAULT, DEVCONF_LO, DEVCONF_DEV };

/**
 * struct devconf - one conf directory's values
 * @v:		by index (devconf_index())
 * @set:	the values written to this device itself, which a later
 *		write of IPv4's "default" leaves alone (in_dev->cnf.state)
 */
struct devconf {
	int64_t v[DEVCONF_MAX];
	uint64_t set;
};

int devconf_index(int family, const char *name);
const char *devconf_name(int family, int idx);
int devconf_count(int family);
void devconf_init(struct devconf *c, int family, enum devconf_kind kind,
		  unsigned int mtu);
int devconf_check(int family, int idx, int64_t v, unsigned int mtu);
int devconf_parse(int family, int idx, const char *buf, size_t len,
		  int64_t *v);
int devconf_parse_raw(const char *buf, size_t len, bool *neg, uint64_t *v);
bool devconf_readonly(int family, int idx);
bool devconf_host_has(int family, int idx);

/* The ones netconf (RTM_NEWNETCONF) tells of, besides forwarding */
#define DEVCONF4_RP_FILTER		"rp_filter"
#define DEVCONF4_PROXY_ARP		"proxy_arp"
#define DEVCONF4_BC_FORWARDING		"bc_forwarding"
#define DEVCONF_IGNORE_LINKDOWN		"ignore_routes_with_linkdown"
#define DEVCONF6_PROXY_NDP		"proxy_ndp"

#endif

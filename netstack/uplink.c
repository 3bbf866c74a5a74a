/* SPDX-License-Identifier: MIT */
/*
 * uplink.c - the host uplink as the sandbox's network sees it: the device
 * with its default addresses and routes, and DNS to the host's loopback
 * resolvers.
 *
 * net_uplink_add() (from `link add NAME type host`, --uplink) makes a
 * vdev/host.c device whose destination check is net_uplink_allowed(), and
 * gives it what slirp4netns gives its tap: 10.0.2.15/24 and fd00::15/64,
 * with default routes via 10.0.2.2 and fd00::2 in table main.  The
 * gateways are virtual: the device has no ARP or ND, lwIP hands it every
 * packet routed through it, and nothing answers for the gateways
 * themselves.
 *
 * DNS: programs read the host's /etc/resolv.conf natively.  A nameserver
 * in the host's loopback (systemd-resolved's 127.0.0.53, Docker's
 * 127.0.0.11) would be the sandbox's own `lo` inside.  So a UDP datagram
 * to port 53 of an IPv4 loopback address that resolv.conf names is sent
 * out of the uplink instead (net__uplink_dns(), asked by udp.c before it
 * routes; the route hook has no port to decide by), from the uplink's
 * address, and the device lets exactly those (port 53, those addresses)
 * through although the host's loopback is denied.  The answer comes back
 * from the resolver's address to the uplink's, where the socket's pcb
 * (bound to any address) takes it.  resolv.conf is read again when its
 * inode, size or time changes.  IPv6 loopback resolvers (::1) are not
 * diverted: lwIP drops packets from ::1 that arrive on another device
 * (RFC 4291 2.5.3).  TCP to those resolvers (a truncated answer's retry,
 * `options use-vc`) takes the fast path to the host's resolver
 * (net__uplink_dns_tcp(), asked by hostsock.c).  Either way a resolver
 * of the sandbox's own listening there keeps its queries.  Calls vdev/,
 * net.c and route.c; knows nothing of sockets beyond the one question.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/udp.h"
#include "lwip/priv/tcp_priv.h"	/* tcp_listen_pcbs */

#include "acl.h"
#include "internal.h"
#include "log.h"
#include "net.h"
#include "netint.h"

#define RESOLV_CONF	"/etc/resolv.conf"

static const uint8_t up4_addr[4] = { 10, 0, 2, 15 };
static const uint8_t up4_gw[4] = { 10, 0, 2, 2 };
static const uint8_t up6_addr[16] = { 0xfd, [15] = 0x15 };
static const uint8_t up6_gw[16] = { 0xfd, [15] = 0x02 };

static bool acl_cb(void *arg, uint8_t family, const uint8_t *addr)
{
	return net_uplink_allowed(arg, family, addr);
}

/* Re-read resolv.conf's IPv4 loopback nameservers when it changed */
static void resolv_load(struct net *n)
{
	char line[512], word[16], host[64];
	struct stat st;
	FILE *f;

	if (stat(RESOLV_CONF, &st) < 0) {
		n->n_dns = 0;
		return;
	}
	if (n->dns_loaded && st.st_ino == n->dns_st.st_ino &&
	    st.st_size == n->dns_st.st_size &&
	    st.st_mtim.tv_sec == n->dns_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == n->dns_st.st_mtim.tv_nsec)
		return;
	n->dns_st = st;
	n->dns_loaded = true;
	n->n_dns = 0;
	f = fopen(RESOLV_CONF, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && n->n_dns < NET_DNS_MAX) {
		uint8_t a[4];

		if (sscanf(line, " %15s %63s", word, host) != 2 ||
		    strcmp(word, "nameserver") ||
		    inet_pton(AF_INET, host, a) != 1 || a[0] != 127)
			continue;
		memcpy(n->dns[n->n_dns++], a, 4);
	}
	fclose(f);
}

static bool is_dns(struct net *n, const uint8_t *a)
{
	unsigned int i;

	resolv_load(n);
	for (i = 0; i < n->n_dns; i++)
		if (!memcmp(n->dns[i], a, 4))
			return true;
	return false;
}

static bool dns_cb(void *arg, uint8_t family, const uint8_t *addr)
{
	return family == AF_INET && is_dns(arg, addr);
}

/* Whether a socket of the sandbox receives UDP (or, @tcp, listens for
 * TCP) at @dst:@port (a resolver of its own on 127.0.0.53, say): then the
 * query is its, not the host's. */
static bool local_listener(const ip_addr_t *dst, uint16_t port, bool tcp)
{
	const struct tcp_pcb_listen *l;
	const struct udp_pcb *p;

	for (p = udp_pcbs; !tcp && p; p = p->next)
		if (p->local_port == port &&
		    (ip_addr_isany(&p->local_ip) ||
		     ip_addr_cmp(&p->local_ip, dst)))
			return true;
	for (l = tcp_listen_pcbs.listen_pcbs; tcp && l; l = l->next)
		if (l->local_port == port &&
		    (ip_addr_isany(&l->local_ip) ||
		     ip_addr_cmp(&l->local_ip, dst)))
			return true;
	return false;
}

/* The uplink's netif when @dst:@port is a loopback resolver of the host's
 * that the sandbox does not serve itself, else NULL */
static struct netif *dns_divert(struct net *n, const ip_addr_t *dst,
				uint16_t port, bool tcp)
{
	const struct net_dev *d;
	struct netif *u = NULL;

	if (!n || port != 53 || !IP_IS_V4(dst) ||
	    !ip4_addr_isloopback(ip_2_ip4(dst)))
		return NULL;
	for (d = n->devs; d && !u; d = d->next) {
		struct netif *x = vdev_netif(d->vdev);

		if (!strcmp(vdev_kind(d->vdev), "host") && netif_is_up(x) &&
		    !ip4_addr_isany_val(*netif_ip4_addr(x)))
			u = x;
	}
	if (!u || !is_dns(n, (const uint8_t *)&ip_2_ip4(dst)->addr) ||
	    local_listener(dst, port, tcp))
		return NULL;
	return u;
}

/**
 * net__uplink_dns_tcp() - whether a TCP connect to a loopback resolver
 * goes to the host's (hostsock.c's fast path, to the same address)
 * @n:		the network
 * @dst:	the destination
 * @port:	its port
 *
 * Return: true when it does
 */
bool net__uplink_dns_tcp(struct net *n, const ip_addr_t *dst, uint16_t port)
{
	return dns_divert(n, dst, port, true) != NULL;
}

/**
 * net__uplink_dns() - where a UDP datagram to a loopback resolver goes
 * @n:		the network
 * @dst:	the datagram's destination
 * @port:	its port
 * @nif:	set to the uplink's netif when diverted
 * @src:	set to the uplink's address when diverted
 *
 * Return: true when the datagram leaves through the uplink
 */
bool net__uplink_dns(struct net *n, const ip_addr_t *dst, uint16_t port,
		     struct netif **nif, ip_addr_t *src)
{
	struct netif *u = dns_divert(n, dst, port, false);

	if (!u)
		return false;
	*nif = u;
	ip_addr_copy_from_ip4(*src, *netif_ip4_addr(u));
	return true;
}

/* A default route via @gw on @ifindex, unless the table has one */
static void default_route(struct net *n, uint32_t ifindex, uint8_t family,
			  const uint8_t *gw, const char *name)
{
	struct rt_route r;
	char err[128];
	int ret;

	memset(&r, 0, sizeof(r));
	r.family = family;
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_BOOT;		/* as `ip route add` */
	r.scope = RT_SCOPE_UNIVERSE;
	r.table = RT_TABLE_MAIN_ID;
	r.priority = family == AF_INET6 ? 1024 : 0;	/* Linux's defaults */
	r.n_nh = 1;
	r.nh[0].ifindex = ifindex;
	r.nh[0].has_gw = true;
	r.nh[0].weight = 1;
	memcpy(r.nh[0].gw, gw, family == AF_INET ? 4 : 16);
	ret = net_route_add(n, &r, RT_ADD_CREATE | RT_ADD_EXCL, err, sizeof(err));
	if (ret == -EEXIST)
		info("%s: a default %s route exists; none added via the uplink",
		     name, family == AF_INET ? "IPv4" : "IPv6");
	else if (ret)
		warn("%s: default route: %s", name, err);
}

/**
 * net_uplink_add() - add a host uplink with its addresses and routes
 * @n:		the network
 * @name:	its name
 * @o:		its MTU; @o->allowed and @o->dns are replaced by the
 *		network's own (net_uplink_allowed(), resolv.conf)
 * @err:	set to the reason on failure
 * @errlen:	size of @err
 *
 * 10.0.2.15/24 and fd00::15/64, and default routes via 10.0.2.2 and
 * fd00::2 in table main where the table has none of its family.
 *
 * Return: the new interface index, or a negative errno
 */
int net_uplink_add(struct net *n, const char *name,
		   const struct vdev_host_opts *o, char *err, size_t errlen)
{
	struct vdev_host_opts ho;
	struct net_addr a;
	struct vdev *v;
	int idx, ret;

	if (!n || !o)
		return -EINVAL;
	ret = net__dev_name_check(n, name, err, errlen);
	if (ret)
		return ret;
	ho = *o;
	ho.allowed = acl_cb;
	ho.dns = dns_cb;
	ho.arg = n;
	memcpy(ho.gw4, up4_gw, 4);
	memcpy(ho.gw6, up6_gw, 16);
	ho.has_gw4 = ho.has_gw6 = true;
	ret = vdev_host_new(n->loop, name, &ho, err, errlen, &v);
	if (ret)
		return ret;
	idx = net__dev_add(n, v, err, errlen);
	if (idx < 0)
		return idx;
	memset(&a, 0, sizeof(a));
	a.ifindex = (uint32_t)idx;
	a.family = AF_INET;
	a.plen = 24;
	memcpy(a.addr, up4_addr, 4);
	ret = net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, err, errlen);
	a.family = AF_INET6;
	a.plen = 64;
	a.flags = IFA_F_NODAD;
	memcpy(a.addr, up6_addr, 16);
	if (!ret)
		ret = net_addr_add(n, &a, NLM_F_CREATE | NLM_F_EXCL, err, errlen);
	if (ret) {
		net_link_del(n, (uint32_t)idx, NULL, 0);
		return ret;
	}
	default_route(n, (uint32_t)idx, AF_INET, up4_gw, name);
	default_route(n, (uint32_t)idx, AF_INET6, up6_gw, name);
	debug("%s: host uplink %d up", name, idx);
	return idx;
}

/* SPDX-License-Identifier: MIT */
/*
 * addr.c - socket addresses between the program's sockaddr and lwIP.
 *
 * An AF_INET6 socket speaks IPv4 through v4-mapped addresses
 * (::ffff:a.b.c.d), as on Linux with bindv6only=0: they become IPv4
 * addresses for lwIP and are mapped back on the way out.  A link-local
 * IPv6 address's sin6_scope_id (the device, by the index programs see)
 * is the lwIP address's zone (the netif's own index), both ways.  Also
 * maps lwIP's err_t to errno.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include "lwip/err.h"
#include "lwip/netif.h"

#include "internal.h"

/**
 * ns__addr_from_user() - parse a sockaddr the program passed
 * @s:		the socket it is for (its family decides)
 * @buf:	the sockaddr, already copied from the program
 * @len:	its length as passed
 * @ip:		set to the address
 * @port:	set to the port, host order
 *
 * A link-local address or a link- or interface-local group with a scope
 * id gets its device as its zone; without one it is left unzoned, for the
 * call to decide (ns__addr_scope_take(), ns__addr_scope_bound(),
 * ns__dgram_dst_scope()), as Linux's calls each do.
 *
 * Return: 0, -EINVAL for a short length, -EAFNOSUPPORT for a wrong family,
 * -ENODEV for a link-local address's scope id that names no device
 */
int ns__addr_from_user(const struct sock *s, const void *buf, size_t len,
		       ip_addr_t *ip, uint16_t *port)
{
	sa_family_t fam;

	if (len < sizeof(sa_family_t))
		return -EINVAL;
	memcpy(&fam, buf, sizeof(fam));
	if (s->family == AF_INET) {
		struct sockaddr_in sin;

		if (len < sizeof(sin))
			return -EINVAL;
		memcpy(&sin, buf, sizeof(sin));
		/* Linux's compatibility game: AF_UNSPEC with INADDR_ANY is
		 * AF_INET (inet_bind(); connect() handles AF_UNSPEC first). */
		if (fam != AF_INET && !(fam == AF_UNSPEC && !sin.sin_addr.s_addr))
			return -EAFNOSUPPORT;
		ip_addr_set_ip4_u32_val(*ip, sin.sin_addr.s_addr);
		*port = ntohs(sin.sin_port);
		return 0;
	}
	{
		struct sockaddr_in6 sin6;

		/* RFC 2133's sockaddr_in6 had no scope id: 24 bytes, before
		 * the family (inet6_bind(), tcp_v6_connect()) */
		if (len < 24)
			return -EINVAL;
		memset(&sin6, 0, sizeof(sin6));
		memcpy(&sin6, buf, len < sizeof(sin6) ? len : sizeof(sin6));
		if (fam != AF_INET6)
			return -EAFNOSUPPORT;
		*port = ntohs(sin6.sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
			uint32_t v4;

			if (s->v6only)
				return -ENETUNREACH;
			memcpy(&v4, &sin6.sin6_addr.s6_addr[12], 4);
			ip_addr_set_ip4_u32_val(*ip, v4);
			return 0;
		}
		IP_ADDR6(ip, 0, 0, 0, 0);
		memcpy(ip_2_ip6(ip)->addr, &sin6.sin6_addr, 16);
		ip6_addr_clear_zone(ip_2_ip6(ip));
		if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr) &&
		    sin6.sin6_scope_id) {
			struct netif *nif = ns__dev_netif(s->ns, sin6.sin6_scope_id);

			if (!nif)
				return -ENODEV;
			ip6_addr_assign_zone(ip_2_ip6(ip), IP6_UNICAST, nif);
		} else if ((IN6_IS_ADDR_MC_LINKLOCAL(&sin6.sin6_addr) ||
			    IN6_IS_ADDR_MC_NODELOCAL(&sin6.sin6_addr)) &&
			   sin6.sin6_scope_id) {
			/* __ipv6_addr_needs_scope_id(): a link- or
			 * interface-local group goes out of the scope id's
			 * device (udpv6_sendmsg()'s flowi6_oif) */
			struct netif *nif = ns__dev_netif(s->ns, sin6.sin6_scope_id);

			if (!nif)
				return -ENODEV;
			ip6_addr_assign_zone(ip_2_ip6(ip), IP6_MULTICAST, nif);
		}
		return 0;
	}
}

/**
 * ns__addr_unscoped() - an IPv6 address that needs a scope id and has none
 * @ip:		the address
 *
 * __ipv6_addr_needs_scope_id(): a link-local address, an interface- or
 * link-local group (fe80::/10, ff01::/16, ff02::/16), without a zone.
 *
 * Return: true for such an address
 */
bool ns__addr_unscoped(const ip_addr_t *ip)
{
	const ip6_addr_t *a;

	if (!IP_IS_V6(ip))
		return false;
	a = ip_2_ip6(ip);
	return !ip6_addr_has_zone(a) &&
	       (ip6_addr_islinklocal(a) || ip6_addr_ismulticast_linklocal(a) ||
		ip6_addr_ismulticast_iflocal(a));
}

/**
 * ns__addr_zone() - give an address needing a scope the device @ifindex
 * @s:		the socket
 * @ip:		the address (ns__addr_unscoped())
 * @ifindex:	the device, by the index the program sees
 *
 * Return: 0, or -ENODEV when there is no such device
 */
int ns__addr_zone(const struct sock *s, ip_addr_t *ip, uint32_t ifindex)
{
	struct netif *nif = ns__dev_netif(s->ns, ifindex);

	if (!nif)
		return -ENODEV;
	ip6_addr_assign_zone(ip_2_ip6(ip), ip6_addr_ismulticast(ip_2_ip6(ip)) ?
			     IP6_MULTICAST : IP6_UNICAST, nif);
	return 0;
}

/**
 * ns__addr_scope_bound() - an address without the scope id it needs takes
 *			    the socket's SO_BINDTODEVICE (a host socket's
 *			    connect())
 * @s:		the socket
 * @ip:		the address
 *
 * Return: 0, or -EINVAL without a bound device ("requires an interface")
 */
int ns__addr_scope_bound(const struct sock *s, ip_addr_t *ip)
{
	if (!ns__addr_unscoped(ip))
		return 0;
	if (!s->bound_ifindex)
		return -EINVAL;
	return ns__addr_zone(s, ip, s->bound_ifindex);
}

/*
 * The sin6_scope_id of a link-local address or a link- or interface-local
 * group (ipv6_iface_scope_id()): the device of its zone, else the
 * socket's SO_BINDTODEVICE; 0 for others
 */
static uint32_t scope_id(const struct sock *s, const ip6_addr_t *a)
{
	struct netif *nif = NULL;

	if (!ip6_addr_islinklocal(a) && !ip6_addr_ismulticast_linklocal(a) &&
	    !ip6_addr_ismulticast_iflocal(a))
		return 0;
	if (ip6_addr_has_zone(a))
		nif = netif_get_by_index(ip6_addr_zone(a));
	return nif ? ns__netif_ifindex(s->ns, nif) : s->bound_ifindex;
}

/**
 * ns__addr_to_sa() - the sockaddr the program should see
 * @s:		the socket
 * @ip:		address (NULL or the any type for the wildcard)
 * @port:	port, host order
 * @ss:		filled in
 *
 * Return: its length
 */
size_t ns__addr_to_sa(const struct sock *s, const ip_addr_t *ip, uint16_t port,
		      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (s->family == AF_NETLINK) {	/* from the kernel: pid 0, no groups */
		ss->ss_family = AF_NETLINK;
		return 12;		/* sizeof(struct sockaddr_nl) */
	}
	if (s->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (ip && IP_IS_V4(ip))
			sin->sin_addr.s_addr = ip4_addr_get_u32(ip_2_ip4(ip));
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (ip && IP_IS_V4_VAL(*ip) && (!ip_addr_isany(ip) || s->v4any_bound)) {
			uint32_t v4 = ip4_addr_get_u32(ip_2_ip4(ip));

			sin6->sin6_addr.s6_addr[10] = 0xff;
			sin6->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&sin6->sin6_addr.s6_addr[12], &v4, 4);
		} else if (ip && IP_IS_V6_VAL(*ip)) {
			memcpy(&sin6->sin6_addr, ip_2_ip6(ip)->addr, 16);
			sin6->sin6_scope_id = scope_id(s, ip_2_ip6(ip));
		}
		return sizeof(*sin6);
	}
}

/**
 * ns__addr_put_len() - write an address to the program, length known
 * @c:		the call
 * @s:		the socket
 * @ip:		address
 * @port:	port
 * @addr:	program's buffer (may be 0: nothing written)
 * @len:	in: its size; out: the full length of the address
 *
 * Return: 0 or -EFAULT
 */
int ns__addr_put_len(struct trc_call *c, const struct sock *s,
		     const ip_addr_t *ip, uint16_t port, uint64_t addr,
		     uint32_t *len)
{
	struct sockaddr_storage ss;
	size_t n = ns__addr_to_sa(s, ip, port, &ss);
	int ret = 0;

	if (addr && *len)
		ret = trc_mem_write(c, addr, &ss, *len < n ? *len : n);
	*len = (uint32_t)n;
	return ret;
}

/**
 * ns__addr_put() - write an address and its length, as accept() does
 * @c:		the call
 * @s:		the socket
 * @ip:		address
 * @port:	port
 * @addr:	program's buffer, or 0 for none
 * @lenp:	program's socklen_t in/out
 *
 * Return: 0, -EFAULT or -EINVAL (negative length)
 */
int ns__addr_put(struct trc_call *c, const struct sock *s, const ip_addr_t *ip,
		 uint16_t port, uint64_t addr, uint64_t lenp)
{
	struct sockaddr_storage ss;

	if (!addr)
		return 0;
	return ns__sa_put(c, &ss, ns__addr_to_sa(s, ip, port, &ss), addr, lenp);
}

/**
 * ns__sa_put() - write a sockaddr and its length, as move_addr_to_user()
 * @c:		the call
 * @sa:		the address
 * @n:		its length
 * @addr:	program's buffer (written up to its length)
 * @lenp:	program's socklen_t in/out
 *
 * Return: 0, -EFAULT or -EINVAL (negative length)
 */
int ns__sa_put(struct trc_call *c, const void *sa, size_t n, uint64_t addr,
	       uint64_t lenp)
{
	int32_t len;
	uint32_t ulen = (uint32_t)n;

	if (trc_mem_read(c, lenp, &len, sizeof(len)))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	{
		/* Address and length in one process_vm_writev(). */
		size_t w = (size_t)len < n ? (size_t)len : n;
		struct iovec l[2] = { { (void *)sa, w }, { &ulen, sizeof(ulen) } };
		struct iovec r[2] = { { (void *)(uintptr_t)addr, w },
				      { (void *)(uintptr_t)lenp, sizeof(ulen) } };

		return trc_mem_writev(c, l, 2, r, 2) ? -EFAULT : 0;
	}
}

/**
 * ns__err_lwip() - errno for an lwIP error
 * @err:	lwIP's err_t
 *
 * Return: a negative errno (0 for ERR_OK)
 */
int ns__err_lwip(int8_t err)
{
	switch (err) {
	case ERR_OK:		return 0;
	case ERR_MEM:		return -ENOMEM;
	case ERR_BUF:		return -ENOBUFS;
	case ERR_TIMEOUT:	return -ETIMEDOUT;
	case ERR_RTE:		return -ENETUNREACH;
	case ERR_INPROGRESS:	return -EINPROGRESS;
	case ERR_VAL:		return -EINVAL;
	case ERR_WOULDBLOCK:	return -EWOULDBLOCK;
	case ERR_USE:		return -EADDRINUSE;
	case ERR_ALREADY:	return -EALREADY;
	case ERR_ISCONN:	return -EISCONN;
	case ERR_CONN:		return -ENOTCONN;
	case ERR_IF:		return -ENETDOWN;
	case ERR_ABRT:		return -ECONNABORTED;
	case ERR_RST:		return -ECONNRESET;
	case ERR_CLSD:		return -ENOTCONN;
	case ERR_ARG:		return -EINVAL;
	default:		return -EIO;
	}
}

/**
 * ns__ip_to_bytes() - an lwIP address as router/'s bytes
 * @ip:		the address
 * @fam:	set to AF_INET or AF_INET6
 * @out:	16 bytes, network order, zero past the family's length
 */
void ns__ip_to_bytes(const ip_addr_t *ip, uint8_t *fam, uint8_t out[16])
{
	memset(out, 0, 16);
	if (IP_IS_V4(ip)) {
		*fam = AF_INET;
		memcpy(out, &ip_2_ip4(ip)->addr, 4);
	} else {
		*fam = AF_INET6;
		memcpy(out, ip_2_ip6(ip)->addr, 16);
	}
}

/**
 * ns__ip_from_bytes() - router/'s bytes as an lwIP address
 * @fam:	AF_INET or AF_INET6
 * @b:		4 or 16 bytes, network order
 * @ip:		set to the address (IPv6 without a zone)
 */
void ns__ip_from_bytes(uint8_t fam, const void *b, ip_addr_t *ip)
{
	if (fam == AF_INET) {
		ip4_addr_t a;

		memcpy(&a.addr, b, 4);
		ip_addr_copy_from_ip4(*ip, a);
	} else {
		ip6_addr_t a;

		memcpy(a.addr, b, 16);
		ip6_addr_clear_zone(&a);
		ip_addr_copy_from_ip6(*ip, a);
	}
}

/* SPDX-License-Identifier: MIT */
/*
 * devconf.c - the per-device sysctls (devconf.h): the names of
 * /proc/sys/net/ipv4/conf/DEV/ and /proc/sys/net/ipv6/conf/DEV/, the
 * values a network namespace starts with (Linux's ipv4_devconf,
 * ipv4_devconf_dflt, ipv6_devconf and ipv6_devconf_dflt, and what a
 * loopback gets), and the ranges Linux's handlers take.
 *
 * The sandbox keeps them and reports them (the files, `ip netconf`) but
 * acts on forwarding (route.c keeps that one), IPv6's mtu (net.c), and
 * on a device that does not forward IPv6 on accept_ra, accept_ra_defrtr,
 * accept_ra_min_lft, accept_ra_min_hop_limit, accept_ra_pinfo,
 * accept_ra_mtu, autoconf and router_solicitation* (ra.c, which also
 * sets hop_limit and mtu from router advertisements); the others describe
 * what Linux would do and change no traffic here.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devconf.h"

struct def {
	const char *name;
	int64_t dflt;
};

/* In the order Linux lists the directory (by name) */
static const struct def v4[] = {
	{ "accept_local", 0 }, { "accept_redirects", 1 },
	{ "accept_source_route", 1 }, { "arp_accept", 0 },
	{ "arp_announce", 0 }, { "arp_evict_nocarrier", 1 },
	{ "arp_filter", 0 }, { "arp_ignore", 0 }, { "arp_notify", 0 },
	{ "bc_forwarding", 0 }, { "bootp_relay", 0 },
	{ "disable_policy", 0 }, { "disable_xfrm", 0 },
	{ "drop_gratuitous_arp", 0 }, { "drop_unicast_in_l2_multicast", 0 },
	{ "force_igmp_version", 0 }, { "forwarding", 0 },
	{ "igmpv2_unsolicited_report_interval", 10000 },
	{ "igmpv3_unsolicited_report_interval", 1000 },
	{ "ignore_routes_with_linkdown", 0 }, { "log_martians", 0 },
	{ "mc_forwarding", 0 }, { "medium_id", 0 },
	{ "promote_secondaries", 0 }, { "proxy_arp", 0 },
	{ "proxy_arp_pvlan", 0 }, { "route_localnet", 0 }, { "rp_filter", 0 },
	{ "secure_redirects", 1 }, { "send_redirects", 1 },
	{ "shared_media", 1 }, { "src_valid_mark", 0 }, { "tag", 0 },
};

static const struct def v6[] = {
	{ "accept_dad", 1 }, { "accept_ra", 1 }, { "accept_ra_defrtr", 1 },
	{ "accept_ra_from_local", 0 }, { "accept_ra_min_hop_limit", 1 },
	{ "accept_ra_min_lft", 0 }, { "accept_ra_mtu", 1 },
	{ "accept_ra_pinfo", 1 }, { "accept_ra_rt_info_max_plen", 0 },
	{ "accept_ra_rt_info_min_plen", 0 }, { "accept_ra_rtr_pref", 1 },
	{ "accept_redirects", 1 }, { "accept_source_route", 0 },
	{ "accept_untracked_na", 0 }, { "addr_gen_mode", 0 },
	{ "autoconf", 1 }, { "dad_transmits", 1 }, { "disable_ipv6", 0 },
	{ "disable_policy", 0 }, { "drop_unicast_in_l2_multicast", 0 },
	{ "drop_unsolicited_na", 0 }, { "enhanced_dad", 1 },
	{ "force_forwarding", 0 }, { "force_mld_version", 0 },
	{ "force_tllao", 0 }, { "forwarding", 0 }, { "hop_limit", 64 },
	{ "ignore_routes_with_linkdown", 0 }, { "ioam6_enabled", 0 },
	{ "ioam6_id", 65535 }, { "ioam6_id_wide", 4294967295LL },
	{ "keep_addr_on_down", 0 }, { "max_addresses", 16 },
	{ "max_desync_factor", 600 },
	{ "mldv1_unsolicited_report_interval", 10000 },
	{ "mldv2_unsolicited_report_interval", 1000 }, { "mtu", 1280 },
	{ "ndisc_evict_nocarrier", 1 }, { "ndisc_notify", 0 },
	{ "ndisc_tclass", 0 }, { "optimistic_dad", 0 }, { "proxy_ndp", 0 },
	{ "ra_defrtr_metric", 1024 }, { "ra_honor_pio_life", 0 },
	{ "ra_honor_pio_pflag", 0 }, { "regen_max_retry", 3 },
	{ "regen_min_advance", 2 }, { "router_probe_interval", 60 },
	{ "router_solicitation_delay", 1 },
	{ "router_solicitation_interval", 4 },
	{ "router_solicitation_max_interval", 3600 },
	{ "router_solicitations", -1 }, { "rpl_seg_enabled", 0 },
	{ "seg6_enabled", 0 }, { "seg6_require_hmac", 0 },
	{ "stable_secret", 0 },	/* unset: a read fails with EIO */
	{ "suppress_frag_ndisc", 1 }, { "temp_prefered_lft", 86400 },
	{ "temp_valid_lft", 604800 }, { "use_oif_addrs_only", 0 },
	{ "use_optimistic", 0 }, { "use_tempaddr", 0 },
};

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static const struct def *table(int family, int *n)
{
	*n = family == AF_INET ? N(v4) : N(v6);
	return family == AF_INET ? v4 : v6;
}

/* Index of @name in @family's directory, -1 when Linux has no such file
 * here (or when this list is older than the running kernel).  Every
 * trapped open asks (procnet.c's served_name()): a binary search of the
 * sorted names (check_devconf keeps them sorted). */
int devconf_index(int family, const char *name)
{
	const struct def *t;
	int lo = 0, hi, mid, c;

	if (family != AF_INET && family != AF_INET6)
		return -1;
	t = table(family, &hi);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(name, t[mid].name);
		if (!c)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const char *devconf_name(int family, int idx)
{
	int n;
	const struct def *t = table(family, &n);

	return idx >= 0 && idx < n ? t[idx].name : NULL;
}

int devconf_count(int family)
{
	int n;

	table(family, &n);
	return n;
}

static void set(struct devconf *c, int family, const char *name, int64_t v)
{
	int k = devconf_index(family, name);

	if (k >= 0)
		c->v[k] = v;
}

/**
 * devconf_init() - a conf directory's first values
 * @c:		the values
 * @family:	AF_INET or AF_INET6
 * @kind:	whose: "all", "default", the loopback's, another device's
 * @mtu:	the device's MTU (IPv6's mtu starts as it)
 *
 * A new device takes "default"'s values as the caller has them; this
 * gives those of a network namespace just made, with the loopback's own.
 */
void devconf_init(struct devconf *c, int family, enum devconf_kind kind,
		  unsigned int mtu)
{
	int n, k;
	const struct def *t = table(family, &n);

	memset(c, 0, sizeof(*c));
	for (k = 0; k < n; k++)
		c->v[k] = t[k].dflt;
	if (family == AF_INET) {
		if (kind == DEVCONF_ALL)
			set(c, family, "accept_source_route", 0);
		if (kind == DEVCONF_LO) {
			set(c, family, "disable_policy", 1);
			set(c, family, "disable_xfrm", 1);
		}
		return;
	}
	/* what the sandbox does, where Linux's default says otherwise: no
	 * DAD (Linux's lo has -1, and "all" 0, anyway), and a device taken
	 * down keeps its addresses (docs/troubleshooting.md) */
	set(c, family, "accept_dad", kind == DEVCONF_LO ? -1 : 0);
	set(c, family, "keep_addr_on_down", 1);
	if (kind == DEVCONF_LO)
		set(c, family, "use_tempaddr", -1);
	if (kind == DEVCONF_LO || kind == DEVCONF_DEV)
		set(c, family, "mtu", mtu);
}

/* Linux's HZ for the files kept in jiffies (router_solicitation_delay,
 * ...: proc_dointvec_jiffies() refuses seconds past INT_MAX / HZ).  The
 * host kernel's is not known to a program; 250 is Debian's and Fedora's
 * (1000 on some: they take a smaller range). */
#define DEVCONF_HZ	250

/* Files whose handler is proc_douintvec_minmax() or proc_dou8vec_minmax():
 * a sign is refused, even "-0" */
static bool is_unsigned(int family, const char *name)
{
	static const char *const u6[] = {
		"force_forwarding", "ioam6_enabled", "ioam6_id",
		"ioam6_id_wide", "ndisc_evict_nocarrier", "ra_defrtr_metric",
		"ra_honor_pio_life", "ra_honor_pio_pflag",
	};
	int k;

	if (family != AF_INET6)
		return false;
	for (k = 0; k < N(u6); k++)
		if (!strcmp(name, u6[k]))
			return true;
	return false;
}

/**
 * devconf_check() - whether Linux's handler takes @v for a file
 * @family:	AF_INET or AF_INET6
 * @idx:	devconf_index()
 * @v:		the value
 * @mtu:	the device's MTU (IPv6's mtu may not pass it), 0 for "all"
 *		and "default" (65575, IP6_MAX_MTU)
 *
 * Return: 0, or -EINVAL out of the range (proc_dointvec's: an int, and
 * the limits of the handlers that have some; checked against Linux 6.18
 * in a namespace)
 */
int devconf_check(int family, int idx, int64_t v, unsigned int mtu)
{
	static const struct {
		const char *name;
		int64_t min, max;
	} r6[] = {
		{ "hop_limit", 1, 255 }, { "addr_gen_mode", 0, 3 },
		{ "ndisc_tclass", 0, 255 }, { "ioam6_id", 0, 65535 },
		{ "ioam6_id_wide", 0, 4294967295LL },
		{ "ra_defrtr_metric", 1, 4294967295LL },
		{ "rpl_seg_enabled", 0, 1 }, { "force_forwarding", 0, 1 },
		{ "accept_untracked_na", 0, 2 }, { "ioam6_enabled", 0, 1 },
		{ "ndisc_evict_nocarrier", 0, 1 },
		{ "ra_honor_pio_life", 0, 1 }, { "ra_honor_pio_pflag", 0, 1 },
		{ "router_solicitations", -1, INT32_MAX },	/* -1: no end */
		/* proc_dointvec_ms_jiffies(): a negative time is refused */
		{ "mldv1_unsolicited_report_interval", 0, INT32_MAX },
		{ "mldv2_unsolicited_report_interval", 0, INT32_MAX },
		/* proc_dointvec_jiffies(): seconds, at most INT_MAX / HZ */
		{ "router_probe_interval", -(INT32_MAX / DEVCONF_HZ), INT32_MAX / DEVCONF_HZ },
		{ "router_solicitation_delay", -(INT32_MAX / DEVCONF_HZ), INT32_MAX / DEVCONF_HZ },
		{ "router_solicitation_interval", -(INT32_MAX / DEVCONF_HZ), INT32_MAX / DEVCONF_HZ },
		{ "router_solicitation_max_interval", -(INT32_MAX / DEVCONF_HZ), INT32_MAX / DEVCONF_HZ },
	};
	const char *name = devconf_name(family, idx);
	int k;

	if (!name)
		return -EINVAL;
	if (family == AF_INET6) {
		if (!strcmp(name, "mtu"))
			return v >= 1280 && v <= (mtu ? mtu : 65575) ? 0 : -EINVAL;
		/* a device's stable privacy needs stable_secret, which is
		 * never set here (check_stable_privacy()); all's and
		 * default's take it */
		if (mtu && !strcmp(name, "addr_gen_mode") && v == 2)
			return -EINVAL;
		for (k = 0; k < N(r6); k++)
			if (!strcmp(name, r6[k].name))
				return v >= r6[k].min && v <= r6[k].max ? 0 : -EINVAL;
	}
	return v >= INT32_MIN && v <= INT32_MAX ? 0 : -EINVAL;
}

/* Linux's isspace() (lib/ctype.c): the C locale's six and Latin-1's
 * no-break space */
static bool lx_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/**
 * devconf_parse_raw() - what Linux's proc_get_long() reads from a
 * program's first write to a sysctl (proc_skip_spaces(), then
 * strtoul_lenient() with base 0): blanks, an optional '-', a decimal,
 * octal (0..) or hexadecimal (0x..) number of at most 20 characters with
 * its sign, then the end or a space, tab or newline.  No '+', no NUL
 * after the number.  The handler's conversion and range are the
 * caller's (devconf_parse() for conf/DEV/, neighparm.c for neigh/DEV/).
 * @buf:	what was written (need not end in a NUL)
 * @len:	its length
 * @neg:	set when a '-' came first
 * @v:		set to the magnitude (an unsigned long's)
 *
 * Return: 0, or -EINVAL as Linux's write() would fail
 */
int devconf_parse_raw(const char *buf, size_t len, bool *neg, uint64_t *v)
{
	enum { TMPBUFLEN = 22 };	/* proc_get_long()'s */
	char tmp[TMPBUFLEN];
	const char *p;
	size_t n, used;
	unsigned int base = 10, d;
	uint64_t val = 0;

	*neg = false;
	while (len && lx_space((unsigned char)*buf)) {
		buf++;
		len--;
	}
	if (!len)			/* blanks alone */
		return -EINVAL;
	n = len < TMPBUFLEN - 1 ? len : TMPBUFLEN - 1;
	memcpy(tmp, buf, n);
	tmp[n] = '\0';
	p = tmp;
	if (*p == '-' && len > 1) {
		*neg = true;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -EINVAL;
	/* _parse_integer_fixup_radix() */
	if (p[0] == '0') {
		base = (p[1] | 0x20) == 'x' && isxdigit((unsigned char)p[2]) ? 16 : 8;
		if (base == 16)
			p += 2;
	}
	for (;; p++) {			/* _parse_integer() */
		unsigned char c = (unsigned char)*p, lc = c | 0x20;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (lc >= 'a' && lc <= 'f')
			d = lc - 'a' + 10u;
		else
			break;
		if (d >= base)
			break;
		if (val > (UINT64_MAX - d) / base)
			return -EINVAL;	/* strtoul_lenient()'s -ERANGE */
		val = val * base + d;
	}
	used = (size_t)(p - tmp);
	/* 21 characters might be a number cut short: refused */
	if (used == TMPBUFLEN - 1)
		return -EINVAL;
	if (used < len && tmp[used] != ' ' && tmp[used] != '\t' &&
	    tmp[used] != '\n')
		return -EINVAL;
	*v = val;
	return 0;
}

/**
 * devconf_parse() - the number a program's first write to a conf/DEV/
 * file gives, as Linux's proc_dointvec() reads it (devconf_parse_raw();
 * proc_douintvec() for the unsigned files): past an int (past an
 * unsigned int for the unsigned files, which take no sign) is refused.
 * Not the handler's range: devconf_check().
 * @family:	AF_INET or AF_INET6
 * @idx:	devconf_index()
 * @buf:	what was written (need not end in a NUL)
 * @len:	its length
 * @v:		set to the value
 *
 * Return: 0, or -EINVAL as Linux's write() would fail
 */
int devconf_parse(int family, int idx, const char *buf, size_t len,
		  int64_t *v)
{
	const char *name = devconf_name(family, idx);
	uint64_t val;
	bool neg;

	if (!name || devconf_parse_raw(buf, len, &neg, &val))
		return -EINVAL;
	if (is_unsigned(family, name)) {
		if (neg || val > UINT32_MAX)
			return -EINVAL;
		*v = (int64_t)val;
		return 0;
	}
	if (neg ? val > (uint64_t)INT32_MAX + 1 : val > INT32_MAX)
		return -EINVAL;
	*v = neg ? -(int64_t)val : (int64_t)val;
	return 0;
}

/**
 * devconf_host_has() - whether the running kernel has conf/NAME @idx of
 * @family: its /proc/sys/net/ipv4|ipv6/conf/default/NAME exists (asked
 * once a name).  A kernel built without CONFIG_IPV6_SEG6_HMAC has no
 * seg6_require_hmac, and a sandbox on it has none either, as a network
 * namespace there has not; when the host's files cannot be looked at,
 * every name is kept.
 * @family:	AF_INET or AF_INET6
 * @idx:	devconf_index()'s
 *
 * Return: true when the name is the sandbox's to show
 */
bool devconf_host_has(int family, int idx)
{
	static signed char known[2][DEVCONF_MAX];	/* 0 not asked, 1, -1 */
	const char *name = devconf_name(family, idx);
	signed char *k;
	char path[96];

	if (!name || idx >= DEVCONF_MAX)
		return false;
	k = &known[family == AF_INET6][idx];
	if (!*k) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv%c/conf/default/%s",
			 family == AF_INET6 ? '6' : '4', name);
		*k = access(path, F_OK) && errno == ENOENT &&
		     !access(family == AF_INET6 ? "/proc/sys/net/ipv6/conf/default" :
			     "/proc/sys/net/ipv4/conf/default", F_OK) ? -1 : 1;
	}
	return *k > 0;
}

/* Files Linux makes read-only (mc_forwarding: set by multicast routing
 * daemons alone) or that are no number (stable_secret) */
bool devconf_readonly(int family, int idx)
{
	const char *name = devconf_name(family, idx);

	return name && (!strcmp(name, "mc_forwarding") ||
			!strcmp(name, "stable_secret"));
}

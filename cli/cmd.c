/* SPDX-License-Identifier: MIT */
/*
 * cmd.c - parse and run control commands: `-c FILE` lines and rrctl's
 * requests.
 *
 * Called by main.c (the configuration file, before the program starts) and
 * ctl.c (the control socket); calls net.h only, the same functions the
 * rtnetlink emulation calls, so a command here and an `ip` request inside
 * the sandbox mean one thing.  It must not know devices, lwIP or the
 * router beyond struct rt_route.
 *
 * A line is split into words; (object, verb) picks a handler from cmds[];
 * each handler takes its positional words, then KEY [VALUE] options from
 * its own table (struct opt), and calls net.h.  Input comes from any
 * process of our user through the control socket, so every word is
 * checked, nothing is trusted to be short, and a bad line only ever gives
 * an error message naming the command, the word and the problem.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd.h"
#include "acl.h"
#include "devconf.h"
#include "net.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif

#define REMOTE_MAX	64	/* `remote` endpoints per link */

/**
 * struct cmd - one command being run
 * @n:		the sandbox's network
 * @o:		where output and the error message go
 * @mark:	@o's length before the command (errors drop output after it)
 * @name:	"route add": prefix of every error message
 * @w:		the words after object and verb
 * @nw:		how many
 * @i:		the next word to take
 * @err:	reason written by net.h functions
 */
struct cmd {
	struct net *n;
	struct cli_out *o;
	size_t mark;
	const char *name;
	char **w;
	int nw;
	int i;
	char err[256];
};

/**
 * struct opt - a KEY [VALUE] option of one command
 * @key:	the keyword
 * @bit:	for "given twice"; 0 for options that may repeat
 * @value:	whether a value word follows
 * @fn:		store it: 0 or a negative errno after fail()
 */
struct opt {
	const char *key;
	unsigned int bit;
	bool value;
	int (*fn)(struct cmd *c, void *st, const char *key, const char *val);
};

/* ---- errors and small parsers ---- */

/*
 * fail() - replace the command's output with "NAME: MESSAGE"
 * @c:		the command
 * @ret:	negative errno to return
 * @fmt:	the message
 *
 * Return: @ret
 */
__attribute__((format(printf, 3, 4)))
static int fail(struct cmd *c, int ret, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->o->len = c->mark;
	c->o->truncated = false;
	if (c->o->buf)
		c->o->buf[c->mark] = '\0';
	cli_out_printf(c->o, "%s: %s\n", c->name, msg);
	return ret;
}

/* A net.h call failed: say what it said, and the errno. */
static int net_fail(struct cmd *c, int ret)
{
	/* The message may end with the errno's text already: not twice. */
	if (c->err[0] && strstr(c->err, strerror(-ret)))
		return fail(c, ret, "%s", c->err);
	if (c->err[0])
		return fail(c, ret, "%s (%s)", c->err, strerror(-ret));
	return fail(c, ret, "%s", strerror(-ret));
}

/* Take the next positional word, or fail naming @what. */
static int take(struct cmd *c, const char *what, const char **out)
{
	if (c->i >= c->nw)
		return fail(c, -EINVAL, "missing %s", what);
	*out = c->w[c->i++];
	return 0;
}

/* No words may be left. */
static int no_more(struct cmd *c)
{
	if (c->i < c->nw)
		return fail(c, -EINVAL, "'%s': unexpected word", c->w[c->i]);
	return 0;
}

/*
 * parse_u32() - a decimal number in [@min, @max]
 * @c:		the command, for the message
 * @key:	the option it belongs to
 * @s:		the word
 * @min:	lowest value allowed
 * @max:	highest value allowed
 * @out:	the number
 *
 * Return: 0, or -EINVAL after fail()
 */
static int parse_u32(struct cmd *c, const char *key, const char *s,
		     uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= max; p++)
		v = v * 10 + (unsigned int)(*p - '0');
	if (p == s || *p || v < min || v > max)
		return fail(c, -EINVAL, "'%s': bad number '%s' (want %u..%u)",
			    key, s, min, max);
	*out = (uint32_t)v;
	return 0;
}

/* An IPv4 or IPv6 address into 16 bytes; its family, or 0 if it is none. */
static uint8_t parse_ip(const char *s, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, addr) == 1)
		return AF_INET6;
	return 0;
}

/*
 * parse_prefix() - ADDR or ADDR/LEN
 * @s:		the word
 * @addr:	16 bytes
 * @plen:	the length; the family's full length without "/LEN"
 *
 * Return: AF_INET, AF_INET6, or 0 if the word is neither
 */
static uint8_t parse_prefix(const char *s, uint8_t addr[16], uint8_t *plen)
{
	const char *slash = strchr(s, '/');
	char a[INET6_ADDRSTRLEN];
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int v = 0, max;
	uint8_t fam;

	if (len >= sizeof(a))
		return 0;
	memcpy(a, s, len);
	a[len] = '\0';
	fam = parse_ip(a, addr);
	if (!fam)
		return 0;
	max = fam == AF_INET ? 32 : 128;
	if (!slash) {
		*plen = (uint8_t)max;
		return fam;
	}
	if (!slash[1] || strlen(slash + 1) > 3)
		return 0;
	for (s = slash + 1; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (unsigned int)(*s - '0');
	}
	if (v > max)
		return 0;
	*plen = (uint8_t)v;
	return fam;
}

/* Whether bits past @plen of @addr are all zero. */
static bool host_bits_zero(const uint8_t *addr, uint8_t plen, uint8_t fam)
{
	unsigned int i, bytes = fam == AF_INET ? 4 : 16;

	for (i = plen / 8; i < bytes; i++) {
		uint8_t keep = i == plen / 8u ? (uint8_t)(0xff00 >> (plen % 8)) : 0;

		if (addr[i] & ~keep)
			return false;
	}
	return true;
}

/* An interface name as Linux's dev_valid_name() accepts it. */
static int check_ifname(struct cmd *c, const char *s)
{
	size_t len = strlen(s);

	/* dev_valid_name(), and no '%': a name rtnetlink is given with
	 * "%d" in it gets a number there, so no device's name holds one */
	if (!len || len >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, "..") ||
	    strpbrk(s, "/:%"))
		return fail(c, -EINVAL, "'%s': bad device name (1 to %d "
			    "characters, not '.' or '..', no '/', ':' or '%%')",
			    s, IFNAMSIZ - 1);
	return 0;
}

/* The ifindex of device @name (its name or an altname, as `ip` finds
 * it), or fail "no device". */
static int dev_index(struct cmd *c, const char *name, uint32_t *ifindex)
{
	struct net_link l;

	if (strlen(name) >= NET_ALTNAME_MAX || net_link_lookup(c->n, name, &l) < 0)
		return fail(c, -ENODEV, "no device '%s'", name);
	*ifindex = l.ifindex;
	return 0;
}

/* Name of @ifindex for output. */
static const char *dev_name(struct cmd *c, uint32_t ifindex, char *buf,
			    size_t len)
{
	struct net_link l;

	if (net_link_get(c->n, ifindex, &l) < 0)
		snprintf(buf, len, "if%u", ifindex);
	else
		snprintf(buf, len, "%s", l.name);
	return buf;
}

/*
 * parse_opts() - KEY [VALUE] options until the end of the line
 * @c:		the command
 * @t:		its options
 * @nt:		how many
 * @st:		the handler's state, given to each option's fn
 *
 * Return: 0, or a negative errno after fail()
 */
static int parse_opts(struct cmd *c, const struct opt *t, size_t nt, void *st)
{
	unsigned int seen = 0;
	const char *key, *val;
	char want[256];
	size_t k, len;
	int ret;

	while (c->i < c->nw) {
		key = c->w[c->i++];
		for (k = 0; k < nt && strcmp(t[k].key, key); k++)
			;
		if (k == nt) {
			want[0] = '\0';
			for (len = 0, k = 0; k < nt && len < sizeof(want); k++)
				len += (size_t)snprintf(want + len, sizeof(want) - len,
							"%s%s", k ? ", " : "", t[k].key);
			return fail(c, -EINVAL, "'%s': unknown word (want %s)",
				    key, want);
		}
		if (seen & t[k].bit)
			return fail(c, -EINVAL, "'%s': given twice", key);
		seen |= t[k].bit;
		val = NULL;
		if (t[k].value && (ret = take(c, "value", &val)))
			return fail(c, ret, "'%s': missing value", key);
		if ((ret = t[k].fn(c, st, key, val)))
			return ret;
	}
	return 0;
}

/* ---- link ---- */

/**
 * struct link_req - `link add` being parsed
 * @o:		what goes to net_link_add()
 * @remote:	the remote endpoints
 * @mac:	the MAC when `address` was given
 * @type:	`link`, `host` or `dummy`, NULL until given
 */
struct link_req {
	struct vdev_link_opts o;
	const char *remote[REMOTE_MAX];
	uint8_t mac[6];
	const char *type;
};

static int link_type(struct cmd *c, void *st, const char *key, const char *val)
{
	if (strcmp(val, "link") && strcmp(val, "host") && strcmp(val, "dummy"))
		return fail(c, -EOPNOTSUPP, "'%s': unsupported type '%s' (want "
			    "link, host or dummy)", key, val);
	((struct link_req *)st)->type = val;
	return 0;
}

static int link_local(struct cmd *c, void *st, const char *key, const char *val)
{
	((struct link_req *)st)->o.local = val;
	return 0;
}

static int link_remote(struct cmd *c, void *st, const char *key, const char *val)
{
	struct link_req *q = st;

	if (q->o.n_remote >= REMOTE_MAX)
		return fail(c, -E2BIG, "'%s': more than %d", key, REMOTE_MAX);
	q->remote[q->o.n_remote++] = val;
	return 0;
}

static int link_mtu(struct cmd *c, void *st, const char *key, const char *val)
{
	uint32_t v;
	int ret;

	if ((ret = parse_u32(c, key, val, 68, 65535, &v)))
		return ret;
	((struct link_req *)st)->o.mtu = v;
	return 0;
}

/* xx:xx:xx:xx:xx:xx, unicast and not all zero. */
static int link_mac(struct cmd *c, void *st, const char *key, const char *val)
{
	struct link_req *q = st;
	unsigned int i, b[6];
	char end;

	if (strlen(val) != 17 ||
	    sscanf(val, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &end) != 6 || strspn(val,
		   "0123456789abcdefABCDEF:") != 17)
		return fail(c, -EINVAL, "'%s': bad MAC '%s' (want "
			    "xx:xx:xx:xx:xx:xx)", key, val);
	for (i = 0; i < 6; i++)
		q->mac[i] = (uint8_t)b[i];
	if ((q->mac[0] & 1) || !(b[0] | b[1] | b[2] | b[3] | b[4] | b[5]))
		return fail(c, -EADDRNOTAVAIL, "'%s': '%s' is not a unicast "
			    "MAC", key, val);
	q->o.mac = q->mac;
	return 0;
}

static const struct opt link_add_opts[] = {
	{ "type", 1, true, link_type },
	{ "local", 2, true, link_local },
	{ "remote", 0, true, link_remote },
	{ "mtu", 4, true, link_mtu },
	{ "address", 8, true, link_mac },
};

/* `link add NAME type host [mtu N]`: the uplink (net_uplink_add()) */
static int host_add(struct cmd *c, const char *name, const struct link_req *q)
{
	struct vdev_host_opts o = { .mtu = q->o.mtu };
	int ret;

	if (q->o.local)
		return fail(c, -EINVAL, "'local': not for type host");
	if (q->o.n_remote)
		return fail(c, -EINVAL, "'remote': not for type host");
	if (q->o.mac)
		return fail(c, -EINVAL, "'address': not for type host");
	ret = net_uplink_add(c->n, name, &o, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* `link add NAME type dummy [mtu N] [address MAC]` (net_dummy_add()) */
static int dummy_add(struct cmd *c, const char *name, const struct link_req *q)
{
	int ret;

	if (q->o.local)
		return fail(c, -EINVAL, "'local': not for type dummy");
	if (q->o.n_remote)
		return fail(c, -EINVAL, "'remote': not for type dummy");
	ret = net_dummy_add(c->n, name, q->o.mtu, q->o.mac, true, c->err,
			    sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int link_add(struct cmd *c)
{
	struct link_req q;
	const char *name = NULL;
	int ret;

	memset(&q, 0, sizeof(q));
	q.o.remote = q.remote;
	if ((ret = take(c, "NAME", &name)) || (ret = check_ifname(c, name)) ||
	    (ret = parse_opts(c, link_add_opts, 5, &q)))
		return ret;
	if (!q.type)
		return fail(c, -EINVAL, "missing 'type link', 'type host' or "
			    "'type dummy'");
	if (!strcmp(q.type, "host"))
		return host_add(c, name, &q);
	if (!strcmp(q.type, "dummy"))
		return dummy_add(c, name, &q);
	if (!q.o.local)
		return fail(c, -EINVAL, "missing 'local ENDPOINT'");
	if (!q.o.n_remote)
		return fail(c, -EINVAL, "missing 'remote ENDPOINT'");
	ret = net_link_add(c->n, name, &q.o, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int link_del(struct cmd *c)
{
	uint32_t ifindex;
	const char *name = NULL;
	int ret;

	if ((ret = take(c, "NAME", &name)) || (ret = no_more(c)) ||
	    (ret = dev_index(c, name, &ifindex)))
		return ret;
	ret = net_link_del(c->n, ifindex, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int set_up(struct cmd *c, void *st, const char *key, const char *val)
{
	struct net_link_change *ch = st;

	if (ch->up != -1)
		return fail(c, -EINVAL, "'%s': 'up' or 'down' given twice", key);
	ch->up = !strcmp(key, "up");
	return 0;
}

static int set_mtu(struct cmd *c, void *st, const char *key, const char *val)
{
	uint32_t v;
	int ret;

	if ((ret = parse_u32(c, key, val, 68, 65535, &v)))
		return ret;
	((struct net_link_change *)st)->mtu = v;
	return 0;
}

static int set_name(struct cmd *c, void *st, const char *key, const char *val)
{
	int ret;

	if ((ret = check_ifname(c, val)))
		return ret;
	((struct net_link_change *)st)->name = val;
	return 0;
}

static const struct opt link_set_opts[] = {
	{ "up", 0, false, set_up },
	{ "down", 0, false, set_up },
	{ "mtu", 1, true, set_mtu },
	{ "name", 2, true, set_name },
};

static int link_set(struct cmd *c)
{
	struct net_link_change ch = { .up = -1 };
	uint32_t ifindex;
	const char *name = NULL;
	int ret;

	if ((ret = take(c, "NAME", &name)) ||
	    (ret = parse_opts(c, link_set_opts, 4, &ch)))
		return ret;
	if (ch.up == -1 && !ch.mtu && !ch.name)
		return fail(c, -EINVAL, "nothing to change (want up, down, "
			    "mtu, name)");
	if ((ret = dev_index(c, name, &ifindex)))
		return ret;
	ret = net_link_set(c->n, ifindex, &ch, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* ---- addr ---- */

/* What `addr add|del` parses: the address, and the peer's length */
struct addr_req {
	struct net_addr a;
	uint8_t peer_plen;
};

static int addr_dev(struct cmd *c, void *st, const char *key, const char *val)
{
	return dev_index(c, val, &((struct addr_req *)st)->a.ifindex);
}

/* `peer ADDR[/LEN]`: a point-to-point address whose prefix (the length
 * given with the peer, else a host's) is the peer's, as `ip addr add` */
static int addr_peer(struct cmd *c, void *st, const char *key, const char *val)
{
	struct addr_req *r = st;
	uint8_t fam = parse_prefix(val, r->a.peer, &r->peer_plen);

	(void)key;
	if (!fam)
		return fail(c, -EINVAL, "'peer %s': bad address (want ADDR or "
			    "ADDR/LEN)", val);
	if (fam != r->a.family)
		return fail(c, -EINVAL, "'peer %s': not an IPv%d address", val,
			    r->a.family == AF_INET ? 4 : 6);
	r->a.has_peer = true;
	return 0;
}

/* `label NAME`: an IPv4 address's label, the device's name and an
 * optional ":SUFFIX" (`ip addr add` asks the same) */
static int addr_label(struct cmd *c, void *st, const char *key, const char *val)
{
	struct addr_req *r = st;

	(void)key;
	if (r->a.family != AF_INET)
		return fail(c, -EINVAL, "'label': IPv4 addresses only");
	if (strlen(val) >= sizeof(r->a.label))
		return fail(c, -EINVAL, "'label %s': longer than %zu characters",
			    val, sizeof(r->a.label) - 1);
	memcpy(r->a.label, val, strlen(val) + 1);
	return 0;
}

static const struct opt addr_opts[] = {
	{ "dev", 1, true, addr_dev },
	{ "peer", 2, true, addr_peer },
	{ "label", 4, true, addr_label },
};

/* Scope Linux gives an address: host for 127/8 and ::1, link for fe80::/10. */
static uint8_t addr_scope(const struct net_addr *a)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	if (a->family == AF_INET && a->addr[0] == 127)
		return RT_SCOPE_HOST;
	if (a->family == AF_INET6 && !memcmp(a->addr, lo6, 16))
		return RT_SCOPE_HOST;
	if (a->family == AF_INET6 && a->addr[0] == 0xfe &&
	    (a->addr[1] & 0xc0) == 0x80)
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

/* `addr add|del CIDR [peer ADDR[/LEN]] [label NAME] dev NAME` into @a. */
static int addr_parse(struct cmd *c, struct net_addr *a)
{
	struct addr_req r = { .a = { 0 } };
	const char *cidr = NULL;
	size_t n;
	int ret;

	if ((ret = take(c, "CIDR", &cidr)))
		return ret;
	r.a.family = parse_prefix(cidr, r.a.addr, &r.a.plen);
	if (!r.a.family)
		return fail(c, -EINVAL, "'%s': bad address (want ADDR/LEN)", cidr);
	if ((ret = parse_opts(c, addr_opts, 3, &r)))
		return ret;
	if (!r.a.ifindex)
		return fail(c, -EINVAL, "missing 'dev NAME'");
	if (r.a.has_peer)
		r.a.plen = r.peer_plen;
	if (r.a.label[0]) {
		char name[IFNAMSIZ + 8];

		dev_name(c, r.a.ifindex, name, sizeof(name));
		n = strlen(name);
		if (strncmp(r.a.label, name, n) || (r.a.label[n] && r.a.label[n] != ':'))
			return fail(c, -EINVAL, "'label %s': must be '%s' or "
				    "'%s:SUFFIX'", r.a.label, name, name);
	}
	r.a.scope = addr_scope(&r.a);
	r.a.flags = IFA_F_PERMANENT;
	*a = r.a;
	return 0;
}

static int addr_add(struct cmd *c)
{
	struct net_addr a;
	int ret;

	if ((ret = addr_parse(c, &a)))
		return ret;
	ret = net_addr_add(c->n, &a, NLM_F_CREATE | NLM_F_EXCL, c->err,
			   sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int addr_del(struct cmd *c)
{
	struct net_addr a;
	int ret;

	if ((ret = addr_parse(c, &a)))
		return ret;
	ret = net_addr_del(c->n, &a, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* ---- names of route fields ---- */

struct name_val {
	const char *name;
	uint32_t val;
};

static const struct name_val rtn_names[] = {
	{ "unicast", RTN_UNICAST }, { "blackhole", RTN_BLACKHOLE },
	{ "unreachable", RTN_UNREACHABLE }, { "prohibit", RTN_PROHIBIT },
	{ "throw", RTN_THROW }, { "local", RTN_LOCAL },
	{ "broadcast", RTN_BROADCAST }, { "multicast", RTN_MULTICAST },
};

static const struct name_val table_names[] = {
	{ "main", RT_TABLE_MAIN_ID }, { "local", RT_TABLE_LOCAL_ID },
	{ "default", RT_TABLE_DEFAULT_ID },
};

static const struct name_val proto_names[] = {
	{ "redirect", RTPROT_REDIRECT }, { "kernel", RTPROT_KERNEL },
	{ "boot", RTPROT_BOOT }, { "static", RTPROT_STATIC },
	{ "ra", RTPROT_RA }, { "bird", RTPROT_BIRD },
};

static const struct name_val scope_names[] = {
	{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
	{ "site", RT_SCOPE_SITE }, { "link", RT_SCOPE_LINK },
	{ "host", RT_SCOPE_HOST },
};

#define N_OF(t)	(sizeof(t) / sizeof((t)[0]))

/* Value of @s in @t, else a number in [@min, @max]. */
static int name_or_num(struct cmd *c, const char *key, const char *s,
		       const struct name_val *t, size_t nt, uint32_t min,
		       uint32_t max, uint32_t *out)
{
	size_t k;

	for (k = 0; k < nt; k++) {
		if (!strcmp(t[k].name, s)) {
			*out = t[k].val;
			return 0;
		}
	}
	return parse_u32(c, key, s, min, max, out);
}

/* Name of @v in @t, or NULL. */
static const char *val_name(const struct name_val *t, size_t nt, uint32_t v)
{
	size_t k;

	for (k = 0; k < nt; k++)
		if (t[k].val == v)
			return t[k].name;
	return NULL;
}

/* ---- route ---- */

/**
 * struct route_req - `route add|del|replace` being parsed
 * @r:		the route
 * @mask:	RT_MATCH_* of the fields given (for del)
 * @fam:	family fixed by an address so far, 0 if none yet
 * @single:	whether top-level `via` or `dev` was given
 * @multi:	whether `nexthop` was given
 * @has_gw:	whether any next hop has a gateway
 */
struct route_req {
	struct rt_route r;
	unsigned int mask;
	uint8_t fam;
	bool single;
	bool multi;
	bool has_gw;
};

/* A route's or a nexthop's (@what) addresses are all of one family,
 * @have (0 until the first); @fam is @val's */
static int one_family(struct cmd *c, uint8_t *have, const char *what,
		      const char *key, const char *val, uint8_t fam)
{
	if (*have && *have != fam)
		return fail(c, -EINVAL, "'%s': '%s' is IPv%d, the %s is IPv%d",
			    key, val, fam == AF_INET ? 4 : 6, what,
			    *have == AF_INET ? 4 : 6);
	*have = fam;
	return 0;
}

static int route_family(struct cmd *c, struct route_req *q, const char *key,
			const char *val, uint8_t fam)
{
	if (!fam)
		return fail(c, -EINVAL, "'%s': bad address '%s'", key, val);
	return one_family(c, &q->fam, "route", key, val, fam);
}

/*
 * `via GW`, or as ip has it `via inet GW` / `via inet6 GW`: naming the
 * family lets an IPv4 route take an IPv6 gateway (RTA_VIA, RFC 5549).
 */
static int nh_via(struct cmd *c, struct route_req *q, struct rt_nexthop *nh,
		  const char *key, const char *val)
{
	uint8_t want = 0, fam;
	int ret;

	if (!strcmp(val, "inet") || !strcmp(val, "inet6")) {
		want = val[4] ? AF_INET6 : AF_INET;
		if (c->i >= c->nw)
			return fail(c, -EINVAL, "'%s %s': missing address", key, val);
		val = c->w[c->i++];
	}
	fam = parse_ip(val, nh->gw);
	if (want && fam != want)
		return fail(c, -EINVAL, "'%s': bad IPv%d address '%s'", key,
			    want == AF_INET ? 4 : 6, val);
	if (want == AF_INET6 && q->fam == AF_INET) {
		nh->gw_family = AF_INET6;	/* the route stays IPv4 */
	} else if ((ret = route_family(c, q, key, val, fam))) {
		return ret;
	}
	nh->has_gw = true;
	q->has_gw = true;
	return 0;
}

static int r_single(struct cmd *c, struct route_req *q, const char *key)
{
	if (q->multi)
		return fail(c, -EINVAL, "'%s': not with 'nexthop'", key);
	q->single = true;
	q->r.n_nh = 1;
	q->r.nh[0].weight = 1;
	return 0;
}

static int r_via(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;
	int ret;

	if ((ret = r_single(c, q, key)))
		return ret;
	q->mask |= RT_MATCH_GW;
	return nh_via(c, q, &q->r.nh[0], key, val);
}

static int r_dev(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;
	int ret;

	if ((ret = r_single(c, q, key)))
		return ret;
	q->mask |= RT_MATCH_OIF;
	return dev_index(c, val, &q->r.nh[0].ifindex);
}

static int r_metric(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;

	q->mask |= RT_MATCH_PRIORITY;
	return parse_u32(c, key, val, 0, UINT32_MAX, &q->r.priority);
}

static int r_table(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;

	return name_or_num(c, key, val, table_names, N_OF(table_names), 1,
			   UINT32_MAX, &q->r.table);
}

static int r_proto(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;
	uint32_t v;
	int ret;

	if ((ret = name_or_num(c, key, val, proto_names, N_OF(proto_names), 0,
			       255, &v)))
		return ret;
	q->r.protocol = (uint8_t)v;
	q->mask |= RT_MATCH_PROTOCOL;
	return 0;
}

static int r_scope(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;
	uint32_t v;
	int ret;

	if ((ret = name_or_num(c, key, val, scope_names, N_OF(scope_names), 0,
			       255, &v)))
		return ret;
	q->r.scope = (uint8_t)v;
	q->mask |= RT_MATCH_SCOPE;
	return 0;
}

static int r_src(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;
	int ret;

	if ((ret = route_family(c, q, key, val, parse_ip(val, q->r.prefsrc))))
		return ret;
	q->r.has_prefsrc = true;
	return 0;
}

static int r_mtu(struct cmd *c, void *st, const char *key, const char *val)
{
	return parse_u32(c, key, val, 68, 65535, &((struct route_req *)st)->r.mtu);
}

/* One `nexthop` and its `via GW`, `dev NAME`, `weight N` words. */
static int r_nexthop(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;
	struct rt_nexthop *nh;
	unsigned int seen = 0;
	uint32_t w;
	int ret;

	if (q->single)
		return fail(c, -EINVAL, "'%s': not with 'via' or 'dev'", key);
	if (q->r.n_nh >= RT_MAX_NEXTHOPS)
		return fail(c, -E2BIG, "'%s': more than %d", key, RT_MAX_NEXTHOPS);
	q->multi = true;
	nh = &q->r.nh[q->r.n_nh++];
	nh->weight = 1;
	while (c->i < c->nw) {
		const char *k = c->w[c->i], *v;
		unsigned int bit = !strcmp(k, "via") ? 1 : !strcmp(k, "dev") ? 2 :
				   !strcmp(k, "weight") ? 4 : 0;

		if (!bit)
			break;
		if (seen & bit)
			return fail(c, -EINVAL, "'%s': given twice in one "
				    "nexthop", k);
		if (c->i + 1 >= c->nw)
			return fail(c, -EINVAL, "'%s': missing value", k);
		seen |= bit;
		v = c->w[c->i + 1];
		c->i += 2;
		if (bit == 1)
			ret = nh_via(c, q, nh, k, v);
		else if (bit == 2)
			ret = dev_index(c, v, &nh->ifindex);
		else if (!(ret = parse_u32(c, k, v, 1, 256, &w)))
			nh->weight = (uint16_t)w;
		if (ret)
			return ret;
	}
	if (!(seen & 3))
		return fail(c, -EINVAL, "'%s': wants 'via GW' or 'dev NAME'", key);
	return 0;
}

static int r_nhid(struct cmd *c, void *st, const char *key, const char *val)
{
	struct route_req *q = st;

	q->mask |= RT_MATCH_NHID;
	return parse_u32(c, key, val, 1, UINT32_MAX, &q->r.nhid);
}

static const struct opt route_opts[] = {
	{ "via", 0x01, true, r_via },
	{ "dev", 0x02, true, r_dev },
	{ "metric", 0x04, true, r_metric },
	{ "priority", 0x04, true, r_metric },
	{ "table", 0x08, true, r_table },
	{ "proto", 0x10, true, r_proto },
	{ "protocol", 0x10, true, r_proto },
	{ "scope", 0x20, true, r_scope },
	{ "src", 0x40, true, r_src },
	{ "mtu", 0x80, true, r_mtu },
	{ "nhid", 0x100, true, r_nhid },
	{ "nexthop", 0, false, r_nexthop },
};

/* [TYPE] [to] PREFIX; `default` waits for the family of the others. */
static int route_prefix(struct cmd *c, struct route_req *q)
{
	const char *p = NULL;
	size_t k;
	int ret;

	if ((ret = take(c, "PREFIX", &p)))
		return ret;
	for (k = 0; k < 5 && strcmp(p, rtn_names[k].name); k++)
		;
	if (k < 5) {
		q->r.type = (uint8_t)rtn_names[k].val;
		q->mask |= RT_MATCH_TYPE;
		if ((ret = take(c, "PREFIX", &p)))
			return ret;
	}
	if (!strcmp(p, "to") && (ret = take(c, "PREFIX", &p)))
		return ret;
	if (!strcmp(p, "default"))
		return 0;
	q->fam = parse_prefix(p, q->r.dst, &q->r.dst_len);
	if (!q->fam)
		return fail(c, -EINVAL, "'%s': bad prefix (want ADDR/LEN or "
			    "default)", p);
	if (!host_bits_zero(q->r.dst, q->r.dst_len, q->fam))
		return fail(c, -EINVAL, "'%s': host bits set after /%u", p,
			    q->r.dst_len);
	return 0;
}

/* Check the whole route and fill in what `ip route` would. */
static int route_finish(struct cmd *c, struct route_req *q, bool del)
{
	bool unicast = q->r.type == RTN_UNICAST;

	if (!q->fam)
		q->fam = AF_INET;
	q->r.family = q->fam;
	if (q->r.nhid && q->r.n_nh)
		return fail(c, -EINVAL, "'nhid': not with 'via', 'dev' or "
			    "'nexthop'");
	if (!unicast && q->r.n_nh)
		return fail(c, -EINVAL, "'%s': not with type '%s'",
			    q->multi ? "nexthop" : q->has_gw ? "via" : "dev",
			    val_name(rtn_names, N_OF(rtn_names), q->r.type));
	if (unicast && !q->r.n_nh && !q->r.nhid && !del)
		return fail(c, -EINVAL, "missing 'via', 'dev', 'nexthop' or "
			    "'nhid'");
	if (del && q->multi)
		return fail(c, -EINVAL, "'nexthop': not with del (give 'via' "
			    "or 'dev')");
	if (!(q->mask & RT_MATCH_PROTOCOL) && !del)
		q->r.protocol = RTPROT_BOOT;	/* as `ip route add` */
	/* `ip route add` gives scope link to IPv4 routes without a gateway;
	 * Linux keeps IPv6 routes at universe whatever is asked. */
	if (!(q->mask & RT_MATCH_SCOPE) && unicast && !q->has_gw &&
	    !q->r.nhid && q->fam == AF_INET)
		q->r.scope = RT_SCOPE_LINK;
	/* `ip -6 route add` without a metric: Linux's ip6_route_add()
	 * gives 1024 (IP6_RT_PRIO_USER), as it does to metric 0 */
	if (!del && q->fam == AF_INET6 && !q->r.priority)
		q->r.priority = 1024;
	return 0;
}

/*
 * route_parse() - the words of `route add|del|replace`
 * @c:		the command
 * @q:		filled in
 * @del:	for del: no next hop needed, no defaults filled in
 *
 * Return: 0, or a negative errno after fail()
 */
static int route_parse(struct cmd *c, struct route_req *q, bool del)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->r.type = RTN_UNICAST;
	q->r.table = RT_TABLE_MAIN_ID;
	q->r.scope = RT_SCOPE_UNIVERSE;
	if ((ret = route_prefix(c, q)) ||
	    (ret = parse_opts(c, route_opts, N_OF(route_opts), q)))
		return ret;
	return route_finish(c, q, del);
}

static int route_add(struct cmd *c)
{
	struct route_req q;
	unsigned int fl;
	int ret;

	if ((ret = route_parse(c, &q, false)))
		return ret;
	fl = strcmp(c->name, "route replace") ? RT_ADD_CREATE | RT_ADD_EXCL :
					       RT_ADD_CREATE | RT_ADD_REPLACE;
	ret = net_route_add(c->n, &q.r, fl, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int route_del(struct cmd *c)
{
	struct route_req q;
	int ret;

	if ((ret = route_parse(c, &q, true)))
		return ret;
	ret = net_route_del(c->n, &q.r, q.mask, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* ---- nexthop ---- */

/**
 * struct nh_req - `nexthop add|replace|del` being parsed
 * @nh:		the nexthop object
 * @fam:	family fixed by `family` or an address, 0 if none yet
 */
struct nh_req {
	struct net_nh nh;
	uint8_t fam;
};

static int nh_fam(struct cmd *c, struct nh_req *q, const char *key,
		  const char *val, uint8_t fam)
{
	if (!fam)
		return fail(c, -EINVAL, "'%s': bad value '%s'", key, val);
	return one_family(c, &q->fam, "nexthop", key, val, fam);
}

static int n_id(struct cmd *c, void *st, const char *key, const char *val)
{
	return parse_u32(c, key, val, 1, UINT32_MAX, &((struct nh_req *)st)->nh.id);
}

/* `via [inet|inet6] GW` */
static int n_via(struct cmd *c, void *st, const char *key, const char *val)
{
	struct nh_req *q = st;
	uint8_t want = 0, fam;

	if (!strcmp(val, "inet") || !strcmp(val, "inet6")) {
		want = val[4] ? AF_INET6 : AF_INET;
		if (c->i >= c->nw)
			return fail(c, -EINVAL, "'%s %s': missing address", key, val);
		val = c->w[c->i++];
	}
	fam = parse_ip(val, q->nh.gw);
	if (want && fam != want)
		fam = 0;
	q->nh.has_gw = true;
	return nh_fam(c, q, key, val, fam);
}

static int n_dev(struct cmd *c, void *st, const char *key, const char *val)
{
	(void)key;
	return dev_index(c, val, &((struct nh_req *)st)->nh.ifindex);
}

static int n_flag(struct cmd *c, void *st, const char *key, const char *val)
{
	struct nh_req *q = st;

	(void)c;
	(void)val;
	if (!strcmp(key, "onlink"))
		q->nh.flags |= RTNH_F_ONLINK;
	else if (!strcmp(key, "blackhole"))
		q->nh.blackhole = true;
	else
		q->nh.fdb = true;
	return 0;
}

/* `group ID[,WEIGHT]/ID[,WEIGHT]...`, as ip writes it */
static int n_group(struct cmd *c, void *st, const char *key, const char *val)
{
	struct nh_req *q = st;
	char buf[512], *tok, *save = NULL, *w;
	uint32_t id, weight;
	unsigned int k;
	int ret;

	if (strlen(val) >= sizeof(buf))
		return fail(c, -EINVAL, "'%s': too long", key);
	strcpy(buf, val);
	for (tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (q->nh.n_grp == NET_NH_GROUP_MAX)
			return fail(c, -E2BIG, "'%s': more than %d members", key,
				    NET_NH_GROUP_MAX);
		weight = 1;
		if ((w = strchr(tok, ',')))
			*w++ = '\0';
		if ((ret = parse_u32(c, key, tok, 1, UINT32_MAX, &id)) ||
		    (w && (ret = parse_u32(c, key, w, 1, 65535, &weight))))
			return ret;
		for (k = 0; k < q->nh.n_grp; k++)
			if (q->nh.grp[k].id == id)
				return fail(c, -EINVAL, "'%s': %u twice", key, id);
		q->nh.grp[q->nh.n_grp].id = id;
		q->nh.grp[q->nh.n_grp++].weight = (uint16_t)weight;
	}
	if (!q->nh.n_grp)
		return fail(c, -EINVAL, "'%s': no member", key);
	return 0;
}

static int n_proto(struct cmd *c, void *st, const char *key, const char *val)
{
	uint32_t v;
	int ret;

	ret = name_or_num(c, key, val, proto_names, N_OF(proto_names), 0, 255, &v);
	if (!ret)
		((struct nh_req *)st)->nh.protocol = (uint8_t)v;
	return ret;
}

static int n_family(struct cmd *c, void *st, const char *key, const char *val)
{
	uint8_t fam = !strcmp(val, "inet") ? AF_INET :
		      !strcmp(val, "inet6") ? AF_INET6 : 0;

	return nh_fam(c, st, key, val, fam);
}

static const struct opt nh_opts[] = {
	{ "id", 0x01, true, n_id },
	{ "via", 0x02, true, n_via },
	{ "dev", 0x04, true, n_dev },
	{ "onlink", 0x08, false, n_flag },
	{ "blackhole", 0x10, false, n_flag },
	{ "group", 0x20, true, n_group },
	{ "fdb", 0x40, false, n_flag },
	{ "proto", 0x80, true, n_proto },
	{ "family", 0x100, true, n_family },
};

/* What ip's words may make of a nexthop: one kind, its parts */
static int nh_finish(struct cmd *c, struct nh_req *q)
{
	struct net_nh *nh = &q->nh;
	bool single = nh->has_gw || nh->ifindex;

	if (nh->n_grp && (single || nh->blackhole || (nh->flags & RTNH_F_ONLINK)))
		return fail(c, -EINVAL, "'group': not with 'via', 'dev', "
			    "'blackhole' or 'onlink'");
	if (nh->blackhole && (single || nh->fdb || (nh->flags & RTNH_F_ONLINK)))
		return fail(c, -EINVAL, "'blackhole': not with 'via', 'dev', "
			    "'onlink' or 'fdb'");
	if (nh->fdb && nh->ifindex)
		return fail(c, -EINVAL, "'fdb': not with 'dev'");
	if (!nh->n_grp && !nh->blackhole && !nh->fdb && !nh->ifindex)
		return fail(c, -EINVAL, "missing 'dev' (or 'blackhole', "
			    "'group', 'fdb')");
	if ((nh->flags & RTNH_F_ONLINK) && !nh->has_gw)
		return fail(c, -EINVAL, "'onlink': wants 'via'");
	if (nh->fdb && !nh->n_grp && !nh->has_gw)
		return fail(c, -EINVAL, "'fdb': wants 'via' or 'group'");
	if (nh->n_grp && q->fam)
		return fail(c, -EINVAL, "'family': not with 'group'");
	nh->family = nh->n_grp ? AF_UNSPEC : q->fam ? q->fam : AF_INET;
	return 0;
}

static int nexthop_add(struct cmd *c)
{
	bool replace = !strcmp(c->name, "nexthop replace");
	struct nh_req q;
	int ret;

	memset(&q, 0, sizeof(q));
	if ((ret = parse_opts(c, nh_opts, N_OF(nh_opts), &q)) ||
	    (ret = nh_finish(c, &q)))
		return ret;
	if (replace && !q.nh.id)
		return fail(c, -EINVAL, "missing 'id'");
	/* as ip: replace creates one that is not there */
	ret = net_nh_add(c->n, &q.nh, replace ? NET_NH_REPLACE | NET_NH_CREATE : 0,
			 c->err, sizeof(c->err));
	if (ret == -EEXIST)
		return fail(c, ret, "nexthop %u exists", q.nh.id);
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int nexthop_del(struct cmd *c)
{
	const char *k = NULL, *v = NULL;
	uint32_t id;
	int ret;

	if ((ret = take(c, "'id'", &k)))
		return ret;
	if (strcmp(k, "id"))
		return fail(c, -EINVAL, "'%s': unknown word (want id)", k);
	if ((ret = take(c, "id", &v)) ||
	    (ret = parse_u32(c, "id", v, 1, UINT32_MAX, &id)) ||
	    (ret = no_more(c)))
		return ret;
	ret = net_nh_del(c->n, id);
	if (ret == -ENOENT)
		return fail(c, ret, "no nexthop %u", id);
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* ---- rule ---- */

/**
 * struct rule_req - `rule add|del` being parsed
 * @r:		the rule
 * @mask:	RT_RULE_* of the fields given (for del)
 * @fam:	family fixed by an address or `family` so far, 0 if none
 * @has_priority: whether `pref` was given
 * @has_table:	whether `table` was given
 * @action:	the action word given, NULL for none
 */
struct rule_req {
	struct rt_rule r;
	unsigned int mask;
	uint8_t fam;
	bool has_priority;
	bool has_table;
	const char *action;
};

static int rule_family(struct cmd *c, struct rule_req *q, uint8_t fam,
		       const char *word)
{
	if (q->fam && q->fam != fam)
		return fail(c, -EINVAL, "'%s': mixes IPv4 and IPv6", word);
	q->fam = fam;
	return 0;
}

static int rule_prefix(struct cmd *c, void *st, const char *key, const char *val)
{
	struct rule_req *q = st;
	bool from = !strcmp(key, "from");
	uint8_t *addr = from ? q->r.src : q->r.dst, plen, fam;

	if (!strcmp(val, "all"))
		return 0;
	fam = parse_prefix(val, addr, &plen);
	if (!fam)
		return fail(c, -EINVAL, "'%s': bad prefix '%s' (want ADDR[/LEN] or all)",
			    key, val);
	if (from)
		q->r.src_len = plen;
	else
		q->r.dst_len = plen;
	if (plen)
		q->mask |= from ? RT_RULE_SRC : RT_RULE_DST;
	return rule_family(c, q, fam, val);
}

static int rule_dev(struct cmd *c, void *st, const char *key, const char *val)
{
	struct rule_req *q = st;
	int ret = check_ifname(c, val);

	if (ret)
		return ret;
	strcpy(key[0] == 'i' ? q->r.iifname : q->r.oifname, val);
	q->mask |= key[0] == 'i' ? RT_RULE_IIF : RT_RULE_OIF;
	return 0;
}

/* A number in C notation (0x.. hex), as ip takes fwmark and tos */
static int parse_cnum(struct cmd *c, const char *key, const char *s,
		      uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *s == '-' || *end || errno || v > max)
		return fail(c, -EINVAL, "'%s': bad number '%s' (want 0..%#x)",
			    key, s, max);
	*out = (uint32_t)v;
	return 0;
}

static int rule_num(struct cmd *c, void *st, const char *key, const char *val)
{
	struct rule_req *q = st;
	char buf[32], *slash;
	uint32_t v;
	int ret;

	if (!strcmp(key, "fwmark")) {	/* MARK[/MASK] */
		snprintf(buf, sizeof(buf), "%s", val);
		slash = strchr(buf, '/');
		if (slash)
			*slash++ = '\0';
		if ((ret = parse_cnum(c, key, buf, UINT32_MAX, &q->r.mark)) ||
		    (slash && (ret = parse_cnum(c, key, slash, UINT32_MAX,
						&q->r.mark_mask))))
			return ret;
		if (!slash)
			q->r.mark_mask = q->r.mark ? UINT32_MAX : 0;
		q->mask |= (q->r.mark ? RT_RULE_MARK : 0) |
			   (q->r.mark_mask ? RT_RULE_MASK : 0);
	} else if (!strcmp(key, "tos")) {
		if ((ret = parse_cnum(c, key, val, 0xff, &v)))
			return ret;
		q->r.tos = (uint8_t)v;
		q->mask |= v ? RT_RULE_TOS : 0;
	} else if (!strcmp(key, "pref")) {
		if ((ret = parse_u32(c, key, val, 0, UINT32_MAX, &q->r.priority)))
			return ret;
		q->has_priority = true;
		q->mask |= RT_RULE_PRIORITY;
	} else if (!strcmp(key, "table") || !strcmp(key, "lookup")) {
		if (q->action)
			return fail(c, -EINVAL, "'%s': the rule already has action '%s'",
				    key, q->action);
		if ((ret = name_or_num(c, key, val, table_names, N_OF(table_names),
				       0, UINT32_MAX, &q->r.table)))
			return ret;
		q->mask |= q->r.table ? RT_RULE_TABLE : 0;
		q->has_table = true;
	} else if (!strcmp(key, "suppress_prefixlength")) {
		if ((ret = parse_u32(c, key, val, 0, 128, &v)))
			return ret;
		q->r.suppress_prefixlen = (int32_t)v;
		q->mask |= RT_RULE_SUPPRESS;
	} else if (!strcmp(key, "proto")) {
		if ((ret = name_or_num(c, key, val, proto_names, N_OF(proto_names),
				       0, 255, &v)))
			return ret;
		q->r.protocol = (uint8_t)v;
		q->mask |= v ? RT_RULE_PROTOCOL : 0;
	} else {	/* family */
		if (strcmp(val, "inet") && strcmp(val, "inet6"))
			return fail(c, -EINVAL, "'family': bad value '%s' (want inet "
				    "or inet6)", val);
		return rule_family(c, q, val[4] ? AF_INET6 : AF_INET, val);
	}
	return 0;
}

/* IP protocols by the names ip rule prints (/etc/protocols') */
static const struct name_val ipproto_names[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "dccp", 33 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 },
	{ "ipv6-icmp", 58 }, { "sctp", 132 }, { "udplite", 136 },
};

/* "N" or "N-M" into @out[2]; @max bounds both */
static int parse_range(struct cmd *c, const char *key, const char *val,
		       uint32_t max, uint32_t *out)
{
	char buf[32], *dash;
	int ret;

	snprintf(buf, sizeof(buf), "%s", val);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if ((ret = parse_u32(c, key, buf, 0, max, &out[0])) ||
	    (ret = parse_u32(c, key, dash ? dash : buf, 0, max, &out[1])))
		return ret;
	return 0;
}

/* ipproto, sport, dport, uidrange: what fib_nl2rule() takes, refused
 * where it refuses (a port range must be 1..65534, start <= end) */
static int rule_l4(struct cmd *c, void *st, const char *key, const char *val)
{
	struct rule_req *q = st;
	uint32_t v[2];
	int ret;

	if (!strcmp(key, "ipproto")) {
		if ((ret = name_or_num(c, key, val, ipproto_names,
				       N_OF(ipproto_names), 0, 255, &v[0])))
			return ret;
		q->r.ip_proto = (uint8_t)v[0];
		q->mask |= v[0] ? RT_RULE_IPPROTO : 0;
	} else if (!strcmp(key, "uidrange")) {
		if ((ret = parse_range(c, key, val, UINT32_MAX - 1, v)))
			return ret;
		if (v[0] > v[1])
			return fail(c, -EINVAL, "'%s': bad range '%s' (want A-B, "
				    "A <= B)", key, val);
		q->r.uid_set = true;
		q->r.uid[0] = v[0];
		q->r.uid[1] = v[1];
		q->mask |= RT_RULE_UID;
	} else {	/* sport, dport */
		uint16_t *p = key[0] == 's' ? q->r.sport : q->r.dport;

		if ((ret = parse_range(c, key, val, 65534, v)))
			return ret;
		if (!v[0] || v[0] > v[1])
			return fail(c, -EINVAL, "'%s': bad range '%s' (want N or "
				    "N-M, 1 <= N <= M <= 65534)", key, val);
		p[0] = (uint16_t)v[0];
		p[1] = (uint16_t)v[1];
		q->mask |= key[0] == 's' ? RT_RULE_SPORT : RT_RULE_DPORT;
	}
	return 0;
}

static int rule_action(struct cmd *c, void *st, const char *key, const char *val)
{
	static const struct name_val acts[] = {
		{ "goto", FR_ACT_GOTO }, { "nop", FR_ACT_NOP },
		{ "blackhole", FR_ACT_BLACKHOLE },
		{ "unreachable", FR_ACT_UNREACHABLE },
		{ "prohibit", FR_ACT_PROHIBIT },
	};
	struct rule_req *q = st;
	uint32_t v;
	int ret;

	if (q->action || q->has_table)
		return fail(c, -EINVAL, "'%s': the rule already has action '%s'",
			    key, q->action ? q->action : "table");
	q->action = key;
	name_or_num(c, key, key, acts, N_OF(acts), 0, 0, &v);
	q->r.action = (uint8_t)v;
	q->mask |= RT_RULE_ACTION;
	if (val && (ret = parse_u32(c, key, val, 0, UINT32_MAX, &q->r.target)))
		return ret;
	return 0;
}

static int rule_not(struct cmd *c, void *st, const char *key, const char *val)
{
	struct rule_req *q = st;

	(void)c;
	(void)key;
	(void)val;
	q->r.flags |= FIB_RULE_INVERT;
	return 0;
}

static const struct opt rule_opts[] = {
	{ "not", 0x0001, false, rule_not },
	{ "from", 0x0002, true, rule_prefix },
	{ "to", 0x0004, true, rule_prefix },
	{ "iif", 0x0008, true, rule_dev },
	{ "oif", 0x0010, true, rule_dev },
	{ "fwmark", 0x0020, true, rule_num },
	{ "tos", 0x0040, true, rule_num },
	{ "pref", 0x0080, true, rule_num },
	{ "table", 0x0100, true, rule_num },
	{ "lookup", 0x0100, true, rule_num },
	{ "suppress_prefixlength", 0x0200, true, rule_num },
	{ "proto", 0x0400, true, rule_num },
	{ "family", 0x0800, true, rule_num },
	{ "goto", 0x1000, true, rule_action },
	{ "nop", 0x2000, false, rule_action },
	{ "blackhole", 0x4000, false, rule_action },
	{ "unreachable", 0x8000, false, rule_action },
	{ "prohibit", 0x10000, false, rule_action },
	{ "ipproto", 0x20000, true, rule_l4 },
	{ "sport", 0x40000, true, rule_l4 },
	{ "dport", 0x80000, true, rule_l4 },
	{ "uidrange", 0x100000, true, rule_l4 },
};

/* `rule add|del`'s words into @q, as ip rule takes them: an add without
 * an action looks up `table` (main when not given) */
static int rule_parse(struct cmd *c, struct rule_req *q, bool del)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->r.suppress_prefixlen = -1;
	if ((ret = parse_opts(c, rule_opts, N_OF(rule_opts), q)))
		return ret;
	q->r.family = q->fam ? q->fam : AF_INET;
	if (!q->action && !del) {
		q->r.action = FR_ACT_TO_TBL;
		if (!q->has_table)
			q->r.table = RT_TABLE_MAIN_ID;
	}
	return 0;
}

static int rule_add(struct cmd *c)
{
	struct rule_req q;
	int ret;

	if ((ret = rule_parse(c, &q, false)))
		return ret;
	ret = net_rule_add(c->n, &q.r, q.has_priority, true, c->err, sizeof(c->err));
	if (ret == -EEXIST)
		return fail(c, ret, "rule exists");
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int rule_del(struct cmd *c)
{
	struct rule_req q;
	int ret;

	if (c->i >= c->nw)	/* nothing would pick the first rule, local's */
		return fail(c, -EINVAL, "what picks the rule is missing (pref N, "
			    "from PREFIX, table ID, ...)");
	if ((ret = rule_parse(c, &q, true)))
		return ret;
	ret = net_rule_del(c->n, &q.r, q.mask, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* ---- pcap ---- */

static int pcap_start(struct cmd *c)
{
	const char *dev = NULL, *path = NULL;
	int ret;

	if ((ret = take(c, "NAME", &dev)) || (ret = take(c, "FILE", &path)) ||
	    (ret = no_more(c)))
		return ret;
	ret = net_pcap_start(c->n, dev, path, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int pcap_stop(struct cmd *c)
{
	const char *dev = NULL;
	int ret;

	if ((ret = take(c, "NAME", &dev)) || (ret = no_more(c)))
		return ret;
	ret = net_pcap_stop(c->n, dev, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

/* ---- uplink: the host destinations it may reach; published ports ---- */

static int uplink_rule(struct cmd *c, bool del, bool allow)
{
	struct rt_acl_rule r = { .allow = allow };
	const char *cidr = NULL;
	int ret;

	if ((ret = take(c, "PREFIX", &cidr)) || (ret = no_more(c)))
		return ret;
	r.family = parse_prefix(cidr, r.addr, &r.plen);
	if (!r.family)
		return fail(c, -EINVAL, "'%s': not an address or ADDR/LEN", cidr);
	if (del)
		ret = rt_acl_del(net_uplink_acl(c->n), r.family, r.addr, r.plen);
	else
		ret = rt_acl_add(net_uplink_acl(c->n), &r);
	if (ret == -EINVAL)
		return fail(c, ret, "'%s': host bits set (want the prefix, e.g. "
			    "10.0.0.0/8)", cidr);
	if (ret == -ESRCH)
		return fail(c, ret, "'%s': no such rule", cidr);
	return ret < 0 ? fail(c, ret, "%s", strerror(-ret)) : 0;
}

static int uplink_allow(struct cmd *c)
{
	return uplink_rule(c, false, true);
}

static int uplink_deny(struct cmd *c)
{
	return uplink_rule(c, false, false);
}

static int uplink_del(struct cmd *c)
{
	return uplink_rule(c, true, false);
}

/*
 * parse_publish() - [HOSTADDR:]HOSTPORT[:PORT][/tcp|/udp], as docker run -p
 * (HOSTADDR of IPv6 in brackets); @want_port: PORT is required
 */
static int parse_publish(struct cmd *c, const char *spec, bool want_port,
			 struct net_publish *p)
{
	char buf[128], *proto, *w[3], *q;
	int n = 0, ret;
	uint32_t v;

	memset(p, 0, sizeof(*p));
	p->proto = IPPROTO_TCP;
	p->family = AF_INET;
	if (strlen(spec) >= sizeof(buf))
		return fail(c, -EINVAL, "'%s': too long", spec);
	strcpy(buf, spec);
	if ((proto = strchr(buf, '/'))) {
		*proto++ = '\0';
		if (!strcmp(proto, "udp"))
			p->proto = IPPROTO_UDP;
		else if (strcmp(proto, "tcp"))
			return fail(c, -EINVAL, "'%s': unknown protocol '%s' (want "
				    "tcp or udp)", spec, proto);
	}
	q = buf;
	if (*q == '[') {
		char *end = strchr(q, ']');

		if (!end || end[1] != ':')
			return fail(c, -EINVAL, "'%s': bad [ADDRESS]", spec);
		*end = '\0';
		w[n++] = q + 1;
		q = end + 2;
	}
	for (;;) {
		char *colon = strchr(q, ':');

		if (n == 3)
			return fail(c, -EINVAL, "'%s': too many parts (want "
				    "[HOSTADDR:]HOSTPORT:PORT)", spec);
		w[n++] = q;
		if (!colon)
			break;
		*colon = '\0';
		q = colon + 1;
	}
	if (n == 3 || (n == 2 && !want_port)) {
		p->family = parse_ip(w[0], p->addr);
		if (!p->family)
			return fail(c, -EINVAL, "'%s': bad host address '%s'",
				    spec, w[0]);
		memmove(w, w + 1, sizeof(w[0]) * 2);
		n--;
	}
	if (n != (want_port ? 2 : 1))
		return fail(c, -EINVAL, "'%s': want %s", spec, want_port ?
			    "[HOSTADDR:]HOSTPORT:PORT[/tcp|/udp]" :
			    "[HOSTADDR:]HOSTPORT[/tcp|/udp]");
	if ((ret = parse_u32(c, "HOSTPORT", w[0], 1, 65535, &v)))
		return ret;
	p->host_port = (uint16_t)v;
	if (want_port) {
		if ((ret = parse_u32(c, "PORT", w[1], 1, 65535, &v)))
			return ret;
		p->port = (uint16_t)v;
	}
	return 0;
}

static int publish(struct cmd *c)
{
	struct net_publish p;
	const char *spec = NULL;
	int ret;

	if ((ret = take(c, "SPEC", &spec)) || (ret = no_more(c)) ||
	    (ret = parse_publish(c, spec, true, &p)))
		return ret;
	ret = net_publish_add(c->n, &p, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int unpublish(struct cmd *c)
{
	struct net_publish p;
	const char *spec = NULL;
	int ret;

	if ((ret = take(c, "SPEC", &spec)) || (ret = no_more(c)) ||
	    (ret = parse_publish(c, spec, false, &p)))
		return ret;
	ret = net_publish_del(c->n, &p, c->err, sizeof(c->err));
	return ret < 0 ? net_fail(c, ret) : 0;
}

static int show_rule(void *arg, const struct rt_acl_rule *r)
{
	struct cmd *c = arg;
	char a[INET6_ADDRSTRLEN];

	inet_ntop(r->family, r->addr, a, sizeof(a));
	cli_out_printf(c->o, "%s %s/%u\n", r->allow ? "allow" : "deny", a,
		       r->plen);
	return 0;
}

static int show_pub(void *arg, const struct net_publish *p, uint64_t accepted,
		    uint64_t refused)
{
	struct cmd *c = arg;
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->addr, a, sizeof(a));
	cli_out_printf(c->o, p->family == AF_INET6 ?
		       "publish [%s]:%u:%u/%s accepted %llu refused %llu\n" :
		       "publish %s:%u:%u/%s accepted %llu refused %llu\n", a,
		       p->host_port, p->port,
		       p->proto == IPPROTO_UDP ? "udp" : "tcp",
		       (unsigned long long)accepted,
		       (unsigned long long)refused);
	return 0;
}

static int show_uplink(struct cmd *c)
{
	int ret;

	if ((ret = no_more(c)))
		return ret;
	rt_acl_walk(net_uplink_acl(c->n), show_rule, c);
	cli_out_printf(c->o, "deny 127.0.0.0/8 ::1/128 (default, unless "
		       "allowed above)\n");
	net_publish_walk(c->n, show_pub, c);
	return 0;
}

/* ---- show ---- */

static const struct {
	unsigned int flag;
	const char *name;
} iff_names[] = {
	{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
	{ IFF_NOARP, "NOARP" }, { IFF_PROMISC, "PROMISC" },
	{ IFF_UP, "UP" }, { IFF_LOWER_UP, "LOWER_UP" },
};

static int show_link(void *arg, const struct net_link *l)
{
	struct cmd *c = arg;
	const char *sep = "";
	size_t k;

	cli_out_printf(c->o, "%u: %s: <", l->ifindex, l->name);
	for (k = 0; k < N_OF(iff_names); k++) {
		if (l->flags & iff_names[k].flag) {
			cli_out_printf(c->o, "%s%s", sep, iff_names[k].name);
			sep = ",";
		}
	}
	cli_out_printf(c->o, "> mtu %u state %s\n", l->mtu,
		       !(l->flags & IFF_UP) ? "DOWN" :
		       (l->flags & IFF_LOOPBACK) || !strcmp(l->kind, "dummy") ?
		       "UNKNOWN" :
		       (l->flags & IFF_LOWER_UP) ? "UP" : "LOWERLAYERDOWN");
	if (l->type == ARPHRD_NONE)	/* the host uplink, as `ip` shows tun */
		cli_out_printf(c->o, "    link/none\n");
	else
		cli_out_printf(c->o, "    link/%s %02x:%02x:%02x:%02x:%02x:%02x%s\n",
			       (l->flags & IFF_LOOPBACK) ? "loopback" : "ether",
			       l->mac[0], l->mac[1], l->mac[2], l->mac[3],
			       l->mac[4], l->mac[5], (l->flags & IFF_BROADCAST) ?
			       " brd ff:ff:ff:ff:ff:ff" : "");
	if (l->desc[0])
		cli_out_printf(c->o, "    %s: %.*s\n", l->kind,
			       (int)sizeof(l->desc), l->desc);
	cli_out_printf(c->o, "    RX: packets %llu bytes %llu  TX: packets %llu "
		       "bytes %llu  dropped %llu\n",
		       (unsigned long long)l->cnt.rx_packets,
		       (unsigned long long)l->cnt.rx_bytes,
		       (unsigned long long)l->cnt.tx_packets,
		       (unsigned long long)l->cnt.tx_bytes,
		       (unsigned long long)l->cnt.drops);
	return 0;
}

static const char *scope_name(uint8_t s, char *buf, size_t len)
{
	const char *n = val_name(scope_names, N_OF(scope_names), s);

	if (!n)
		snprintf(buf, len, "%u", s);
	return n ? n : buf;
}

static int show_addr(void *arg, const struct net_addr *a)
{
	char ip[INET6_ADDRSTRLEN], brd[INET_ADDRSTRLEN], dev[IFNAMSIZ + 8];
	char sc[8];
	struct cmd *c = arg;

	inet_ntop(a->family, a->addr, ip, sizeof(ip));
	cli_out_printf(c->o, "%s %s", a->family == AF_INET ? "inet" : "inet6", ip);
	if (a->has_peer)	/* `ip addr`'s "A peer P/len" */
		cli_out_printf(c->o, " peer %s", inet_ntop(a->family, a->peer,
							  ip, sizeof(ip)));
	cli_out_printf(c->o, "/%u", a->plen);
	if (a->family == AF_INET && a->has_broadcast)
		cli_out_printf(c->o, " brd %s", inet_ntop(AF_INET, a->broadcast,
							 brd, sizeof(brd)));
	cli_out_printf(c->o, " scope %s %s\n", scope_name(a->scope, sc, sizeof(sc)),
		       a->family == AF_INET && a->label[0] ? a->label :
		       dev_name(c, a->ifindex, dev, sizeof(dev)));
	return 0;
}

/* " via GW dev NAME" of one next hop. */
static void show_nexthop(struct cmd *c, uint8_t fam, const struct rt_nexthop *nh)
{
	char ip[INET6_ADDRSTRLEN], dev[IFNAMSIZ + 8];

	if (nh->has_gw && nh->gw_family && nh->gw_family != fam)
		cli_out_printf(c->o, " via inet6 %s", inet_ntop(AF_INET6, nh->gw,
								ip, sizeof(ip)));
	else if (nh->has_gw)
		cli_out_printf(c->o, " via %s", inet_ntop(fam, nh->gw, ip,
							  sizeof(ip)));
	if (nh->ifindex)
		cli_out_printf(c->o, " dev %s", dev_name(c, nh->ifindex, dev,
							 sizeof(dev)));
	if (nh->flags & RTNH_F_ONLINK)
		cli_out_printf(c->o, " onlink");
	if (nh->flags & RTNH_F_DEAD)
		cli_out_printf(c->o, " dead");
	if (nh->flags & RTNH_F_LINKDOWN)
		cli_out_printf(c->o, " linkdown");
}

/* A route's metrics, realm and IPv6 preference, in ip's words (raw
 * numbers: ip prints times in ms, as the values are) */
static void show_metrics(struct cmd *c, const struct rt_route *r)
{
	static const char *const names[RT_METRIC_MAX + 1] = {
		[RTAX_MTU] = "mtu", [RTAX_WINDOW] = "window", [RTAX_RTT] = "rtt",
		[RTAX_RTTVAR] = "rttvar", [RTAX_SSTHRESH] = "ssthresh",
		[RTAX_CWND] = "cwnd", [RTAX_ADVMSS] = "advmss",
		[RTAX_REORDERING] = "reordering", [RTAX_HOPLIMIT] = "hoplimit",
		[RTAX_INITCWND] = "initcwnd", [RTAX_FEATURES] = "features",
		[RTAX_RTO_MIN] = "rto_min", [RTAX_INITRWND] = "initrwnd",
		[RTAX_QUICKACK] = "quickack", [RTAX_CC_ALGO] = "congctl",
		[RTAX_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
	};
	uint32_t lock = r->metrics[RTAX_LOCK];
	unsigned int t;

	for (t = RTAX_MTU; t <= RT_METRIC_MAX; t++) {
		uint32_t v = t == RTAX_MTU ? r->mtu : r->metrics[t];
		const char *l = t < 32 && (lock & (1u << t)) ? "lock " : "";

		if (t == RTAX_CC_ALGO && r->cc_algo[0])
			cli_out_printf(c->o, " congctl %s%s", l, r->cc_algo);
		else if (v && names[t])
			cli_out_printf(c->o, " %s %s%u", names[t], l, v);
	}
	if (r->realm)
		cli_out_printf(c->o, " realm %u", r->realm);
	if (r->family == AF_INET6 && r->pref)
		cli_out_printf(c->o, " pref %s", r->pref == 1 ? "high" : "low");
}

static int show_route(void *arg, const struct rt_route *r)
{
	char ip[INET6_ADDRSTRLEN], num[16];
	const char *s;
	struct cmd *c = arg;
	unsigned int i;

	if (r->type != RTN_UNICAST) {
		s = val_name(rtn_names, N_OF(rtn_names), r->type);
		cli_out_printf(c->o, "%s ", s ? s : "type");
	}
	if (!r->dst_len)
		cli_out_printf(c->o, "default");
	else
		cli_out_printf(c->o, "%s", inet_ntop(r->family, r->dst, ip,
						     sizeof(ip)));
	if (r->dst_len && r->dst_len != (r->family == AF_INET ? 32 : 128))
		cli_out_printf(c->o, "/%u", r->dst_len);
	if (r->nhid)
		cli_out_printf(c->o, " nhid %u", r->nhid);
	if (r->n_nh == 1)
		show_nexthop(c, r->family, &r->nh[0]);
	if (r->table != RT_TABLE_MAIN_ID) {
		s = val_name(table_names, N_OF(table_names), r->table);
		cli_out_printf(c->o, " table %s", s ? s : (snprintf(num,
			       sizeof(num), "%u", r->table), num));
	}
	s = val_name(proto_names, N_OF(proto_names), r->protocol);
	cli_out_printf(c->o, " proto %s", s ? s : (snprintf(num, sizeof(num),
		       "%u", r->protocol), num));
	if (r->scope != RT_SCOPE_UNIVERSE)
		cli_out_printf(c->o, " scope %s", scope_name(r->scope, num,
							     sizeof(num)));
	if (r->has_prefsrc)
		cli_out_printf(c->o, " src %s", inet_ntop(r->family, r->prefsrc,
							  ip, sizeof(ip)));
	if (r->priority)
		cli_out_printf(c->o, " metric %u", r->priority);
	show_metrics(c, r);
	cli_out_printf(c->o, "\n");
	for (i = 0; r->n_nh > 1 && i < r->n_nh && i < RT_MAX_NEXTHOPS; i++) {
		cli_out_printf(c->o, "\tnexthop");
		show_nexthop(c, r->family, &r->nh[i]);
		cli_out_printf(c->o, " weight %u\n", r->nh[i].weight);
	}
	return 0;
}

static cli_stats_fn *stats_fn;
static void *stats_arg;

/**
 * cli_cmd_set_stats() - name what `show stats` prints
 * @fn:		writes the counters to the output (NULL: none)
 * @arg:	its argument
 */
void cli_cmd_set_stats(cli_stats_fn *fn, void *arg)
{
	stats_fn = fn;
	stats_arg = arg;
}

static int show_stats(struct cmd *c)
{
	int ret;

	if ((ret = no_more(c)))
		return ret;
	if (!stats_fn)
		return fail(c, -ENOTSUP, "no counters here");
	stats_fn(stats_arg, c->o);
	return 0;
}

static int show_links(struct cmd *c)
{
	int ret;

	if ((ret = no_more(c)))
		return ret;
	ret = net_link_walk(c->n, show_link, c);
	return ret < 0 ? fail(c, ret, "%s", strerror(-ret)) : 0;
}

static int show_addrs(struct cmd *c)
{
	int ret;

	if ((ret = no_more(c)))
		return ret;
	ret = net_addr_walk(c->n, 0, show_addr, c);
	return ret < 0 ? fail(c, ret, "%s", strerror(-ret)) : 0;
}

/* `show routes [table N|main|local|default|all]`; all is table 0. */
static int show_routes(struct cmd *c)
{
	uint32_t table = RT_TABLE_MAIN_ID;
	const char *t = NULL;
	int ret;

	if (c->i < c->nw) {
		if (strcmp(c->w[c->i], "table"))
			return fail(c, -EINVAL, "'%s': unknown word (want table)",
				    c->w[c->i]);
		c->i++;
		if ((ret = take(c, "table", &t)))
			return fail(c, ret, "'table': missing value");
		if (!strcmp(t, "all"))
			table = 0;
		else if ((ret = name_or_num(c, "table", t, table_names,
					    N_OF(table_names), 1, UINT32_MAX,
					    &table)))
			return ret;
		if ((ret = no_more(c)))
			return ret;
	}
	ret = net_route_walk(c->n, table, 0, NULL, show_route, c);
	return ret < 0 ? fail(c, ret, "%s", strerror(-ret)) : 0;
}

/* A rule's uidrange, ipproto, sport and dport, in ip rule's order */
static void show_l4(struct cmd *c, const struct rt_rule *r)
{
	const char *s;

	if (r->uid_set)
		cli_out_printf(c->o, " uidrange %u-%u", r->uid[0], r->uid[1]);
	if (r->ip_proto) {
		s = val_name(ipproto_names, N_OF(ipproto_names), r->ip_proto);
		if (s)
			cli_out_printf(c->o, " ipproto %s", s);
		else
			cli_out_printf(c->o, " ipproto %u", r->ip_proto);
	}
	if (r->sport[0] && r->sport[0] == r->sport[1])
		cli_out_printf(c->o, " sport %u", r->sport[0]);
	else if (r->sport[0])
		cli_out_printf(c->o, " sport %u-%u", r->sport[0], r->sport[1]);
	if (r->dport[0] && r->dport[0] == r->dport[1])
		cli_out_printf(c->o, " dport %u", r->dport[0]);
	else if (r->dport[0])
		cli_out_printf(c->o, " dport %u-%u", r->dport[0], r->dport[1]);
}

/* One rule as `ip rule` words it (priority, selectors, action) */
static int show_rtrule(void *arg, const struct rt_rule *r, uint32_t flags)
{
	static const char *const acts[] = {
		[FR_ACT_GOTO] = "goto", [FR_ACT_NOP] = "nop",
		[FR_ACT_BLACKHOLE] = "blackhole",
		[FR_ACT_UNREACHABLE] = "unreachable",
		[FR_ACT_PROHIBIT] = "prohibit",
	};
	char ip[INET6_ADDRSTRLEN], num[16];
	struct cmd *c = arg;
	const char *s;

	cli_out_printf(c->o, "%u:\t%sfrom ", r->priority,
		       r->flags & FIB_RULE_INVERT ? "not " : "");
	if (r->src_len)
		cli_out_printf(c->o, "%s/%u", inet_ntop(r->family, r->src, ip,
			       sizeof(ip)), r->src_len);
	else
		cli_out_printf(c->o, "all");
	if (r->dst_len)
		cli_out_printf(c->o, " to %s/%u", inet_ntop(r->family, r->dst, ip,
			       sizeof(ip)), r->dst_len);
	if (r->tos)
		cli_out_printf(c->o, " tos %#x", r->tos);
	if (r->mark || r->mark_mask)
		cli_out_printf(c->o, r->mark_mask == UINT32_MAX ? " fwmark %#x" :
			       " fwmark %#x/%#x", r->mark, r->mark_mask);
	if (r->iifname[0])
		cli_out_printf(c->o, " iif %s%s", r->iifname,
			       flags & FIB_RULE_IIF_DETACHED ? " [detached]" : "");
	if (r->oifname[0])
		cli_out_printf(c->o, " oif %s%s", r->oifname,
			       flags & FIB_RULE_OIF_DETACHED ? " [detached]" : "");
	show_l4(c, r);
	if (r->action == FR_ACT_TO_TBL) {
		s = val_name(table_names, N_OF(table_names), r->table);
		cli_out_printf(c->o, " lookup %s", s ? s : (snprintf(num,
			       sizeof(num), "%u", r->table), num));
		if (r->suppress_prefixlen >= 0)
			cli_out_printf(c->o, " suppress_prefixlength %d",
				       r->suppress_prefixlen);
	} else if (r->action < N_OF(acts) && acts[r->action]) {
		cli_out_printf(c->o, " %s", acts[r->action]);
		if (r->action == FR_ACT_GOTO)
			cli_out_printf(c->o, " %u%s", r->target,
				       flags & FIB_RULE_UNRESOLVED ? " [unresolved]" : "");
	}
	if (r->protocol != RTPROT_KERNEL && r->protocol) {
		s = val_name(proto_names, N_OF(proto_names), r->protocol);
		cli_out_printf(c->o, " proto %s", s ? s : (snprintf(num,
			       sizeof(num), "%u", r->protocol), num));
	}
	cli_out_printf(c->o, "\n");
	return 0;
}

/* One nexthop object as `ip nexthop` words it */
static int show_nh(void *arg, const struct net_nh *nh)
{
	char ip[INET6_ADDRSTRLEN], num[16], dev[IFNAMSIZ + 8];
	struct cmd *c = arg;
	const char *s;
	unsigned int k;

	cli_out_printf(c->o, "id %u", nh->id);
	for (k = 0; k < nh->n_grp; k++) {
		cli_out_printf(c->o, "%s%u", k ? "/" : " group ", nh->grp[k].id);
		if (nh->grp[k].weight > 1)
			cli_out_printf(c->o, ",%u", nh->grp[k].weight);
	}
	if (nh->has_gw)
		cli_out_printf(c->o, " via %s", inet_ntop(nh->family, nh->gw, ip,
							  sizeof(ip)));
	if (nh->ifindex)
		cli_out_printf(c->o, " dev %s", dev_name(c, nh->ifindex, dev,
							 sizeof(dev)));
	if (!nh->n_grp && !nh->blackhole)
		cli_out_printf(c->o, " scope %s", scope_name(nh->scope, num,
							     sizeof(num)));
	if (nh->blackhole)
		cli_out_printf(c->o, " blackhole");
	if (nh->protocol) {
		s = val_name(proto_names, N_OF(proto_names), nh->protocol);
		cli_out_printf(c->o, " proto %s", s ? s : (snprintf(num,
			       sizeof(num), "%u", nh->protocol), num));
	}
	if (nh->flags & RTNH_F_ONLINK)
		cli_out_printf(c->o, " onlink");
	if (nh->fdb)
		cli_out_printf(c->o, " fdb");
	cli_out_printf(c->o, "\n");
	return 0;
}

static int show_nexthops(struct cmd *c)
{
	int ret;

	if ((ret = no_more(c)))
		return ret;
	ret = net_nh_walk(c->n, 0, show_nh, c);
	return ret < 0 ? fail(c, ret, "%s", strerror(-ret)) : 0;
}

/* `show rules`: IPv4's, then IPv6's */
static int show_rules(struct cmd *c)
{
	int ret;

	if ((ret = no_more(c)))
		return ret;
	ret = net_rule_walk(c->n, AF_INET, 0, show_rtrule, c);
	if (!ret)
		ret = net_rule_walk(c->n, AF_INET6, 0, show_rtrule, c);
	return ret < 0 ? fail(c, ret, "%s", strerror(-ret)) : 0;
}

/* ---- sysctl ---- */

/**
 * struct sysctl_key - a sysctl of conf/DEV/ named by a `sysctl` word
 * @family:	AF_INET or AF_INET6
 * @dev:	"all", "default" or a device
 * @file:	the file in conf/DEV/ ("forwarding" for ip_forward)
 * @name:	the key as the command was given it, without "=VALUE"
 * @val:	the value to set
 * @set:	"=VALUE" was given
 */
struct sysctl_key {
	int family;
	char dev[IFNAMSIZ];
	char file[40];
	char name[80];
	int64_t val;
	bool set;
};

static const char sysctl_keys[] = "net.ipv4.ip_forward, "
	"net.ipv4.conf.DEV.NAME, net.ipv6.conf.DEV.NAME";

/*
 * sysctl_parse() - KEY or KEY=VALUE, KEY as sysctl(8) takes it: dotted
 * (net.ipv4.conf.eth0.forwarding, a '/' in DEV standing for a '.') or
 * slashed (net/ipv4/conf/eth0.100/forwarding); DEV all, default or a
 * device
 *
 * Return: 0, or -EINVAL / -ENODEV after fail()
 */
static int sysctl_parse(struct cmd *c, const char *word, struct sysctl_key *k)
{
	char buf[80], *comp[6], *p, *eq, *end;
	char sep = '.';
	struct net_link l;
	int n = 0, idx, ret;
	int64_t val;
	long long v;

	memset(k, 0, sizeof(*k));
	if (strlen(word) >= sizeof(buf))
		return fail(c, -EINVAL, "'%s': too long", word);
	strcpy(buf, word);
	if ((eq = strchr(buf, '='))) {
		*eq++ = '\0';
		errno = 0;
		v = strtoll(eq, &end, 0);
		if (!*eq || *end || errno)
			return fail(c, -EINVAL, "'%s': bad value '%s' (want an "
				    "integer, 0 for off)", buf, eq);
		k->val = v;
		k->set = true;
	}
	snprintf(k->name, sizeof(k->name), "%s", buf);
	if (strchr(buf, '/') && strncmp(buf, "net.", 4))
		sep = '/';
	for (p = buf; n < 6; n++) {
		comp[n] = p;
		if (!(p = strchr(p, sep))) {
			n++;
			break;
		}
		*p++ = '\0';
	}
	if (p || n < 3 || strcmp(comp[0], "net"))
		goto unknown;
	if (n == 3 && !strcmp(comp[1], "ipv4") && !strcmp(comp[2], "ip_forward")) {
		k->family = AF_INET;
		strcpy(k->dev, "all");
		strcpy(k->file, "forwarding");
		goto value;
	}
	if (n != 5 || (strcmp(comp[1], "ipv4") && strcmp(comp[1], "ipv6")) ||
	    strcmp(comp[2], "conf"))
		goto unknown;
	k->family = comp[1][3] == '4' ? AF_INET : AF_INET6;
	idx = devconf_index(k->family, comp[4]);
	if (idx < 0)
		goto unknown;
	snprintf(k->file, sizeof(k->file), "%s", comp[4]);
	if (strlen(comp[3]) >= sizeof(k->dev))
		return fail(c, -ENODEV, "'%s': no such device '%s'", k->name,
			    comp[3]);
	strcpy(k->dev, comp[3]);
	if (sep == '.')
		for (p = k->dev; (p = strchr(p, '/')); )
			*p = '.';
	ret = net_devconf_get(c->n, k->family, k->dev, k->file, &val);
	if (ret == -ENOENT)
		return fail(c, -ENODEV, "'%s': no such device '%s'", k->name,
			    k->dev);
value:
	/* what net_devconf_set() would refuse, before anything is set */
	idx = devconf_index(k->family, k->file);
	if (k->set && devconf_readonly(k->family, idx))
		return fail(c, -EACCES, "'%s': read-only", k->name);
	if (k->set && devconf_check(k->family, idx, k->val,
				    net_link_by_name(c->n, k->dev, &l) < 0 ? 0 :
				    l.mtu))
		return fail(c, -EINVAL, "'%s': %lld out of range", k->name,
			    (long long)k->val);
	return 0;
unknown:
	return fail(c, -EINVAL, "'%s': not a sysctl of the sandbox (want %s)",
		    k->name, sysctl_keys);
}

/* `sysctl` with no word: every forwarding sysctl of the sandbox */
struct sysctl_all {
	struct cmd *c;
	int family;
};

static int sysctl_show_dev(void *arg, const struct net_link *l)
{
	struct sysctl_all *a = arg;
	char name[IFNAMSIZ], *p;
	int val;

	if (net_forward_get(a->c->n, a->family, l->name, &val))
		return 0;
	snprintf(name, sizeof(name), "%s", l->name);
	for (p = name; (p = strchr(p, '.')); )
		*p = '/';		/* as sysctl(8) prints it */
	cli_out_printf(a->c->o, "net.%s.conf.%s.forwarding = %d\n",
		       a->family == AF_INET ? "ipv4" : "ipv6", name, val);
	return 0;
}

static int sysctl_all(struct cmd *c)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	static const char *const fixed[] = { "all", "default" };
	struct sysctl_all a = { .c = c };
	size_t f, i;
	int val;

	net_forward_get(c->n, AF_INET, "all", &val);
	cli_out_printf(c->o, "net.ipv4.ip_forward = %d\n", val);
	for (f = 0; f < N_OF(fams); f++) {
		for (i = 0; i < N_OF(fixed); i++) {
			net_forward_get(c->n, fams[f], fixed[i], &val);
			cli_out_printf(c->o, "net.%s.conf.%s.forwarding = %d\n",
				       fams[f] == AF_INET ? "ipv4" : "ipv6",
				       fixed[i], val);
		}
		a.family = fams[f];
		net_link_walk(c->n, sysctl_show_dev, &a);
	}
	return 0;
}

/*
 * `sysctl [KEY[=VALUE] ...]`: print each KEY's value, or set it, as
 * sysctl(8) inside the sandbox would (net_devconf_set()); with no KEY,
 * the forwarding ones.  Every word is checked before any value is set.
 */
static int sysctl_cmd(struct cmd *c)
{
	struct sysctl_key k;
	int64_t val;
	int i, ret;

	if (c->i >= c->nw)
		return sysctl_all(c);
	for (i = c->i; i < c->nw; i++)
		if ((ret = sysctl_parse(c, c->w[i], &k)))
			return ret;
	for (i = c->i; i < c->nw; i++) {
		sysctl_parse(c, c->w[i], &k);
		if (k.set)
			net_devconf_set(c->n, k.family, k.dev, k.file, k.val);
		ret = net_devconf_get(c->n, k.family, k.dev, k.file, &val);
		if (ret)
			return fail(c, ret, "'%s': %s", k.name, strerror(-ret));
		cli_out_printf(c->o, "%s = %lld\n", k.name, (long long)val);
	}
	return 0;
}

/* ---- the table ---- */

static int help(struct cmd *c);

static const struct {
	const char *object;
	const char *verb;
	int (*fn)(struct cmd *c);
	const char *args;
} cmds[] = {
	{ "link", "add", link_add, "NAME type link local ENDPOINT remote "
	  "ENDPOINT [remote ENDPOINT ...] [mtu N] [address MAC] | NAME type "
	  "host [mtu N]" },
	{ "link", "del", link_del, "NAME" },
	{ "link", "set", link_set, "NAME [up|down] [mtu N] [name NEWNAME]" },
	{ "addr", "add", addr_add, "ADDR/LEN [peer ADDR[/LEN]] [label NAME] dev NAME" },
	{ "addr", "del", addr_del, "ADDR/LEN [peer ADDR[/LEN]] [label NAME] dev NAME" },
	{ "route", "add", route_add, "[TYPE] PREFIX [via [inet6] GW] [dev NAME] "
	  "[metric N] [table ID] [proto P] [scope S] [src ADDR] [mtu N] "
	  "[nexthop via [inet6] GW dev NAME weight N ... | nhid ID]" },
	{ "route", "del", route_del, "[TYPE] PREFIX [via [inet6] GW] [dev NAME] "
	  "[metric N] [table ID] [proto P] [scope S] [nhid ID]" },
	{ "route", "replace", route_add, "(as route add)" },
	{ "rule", "add", rule_add, "[not] [from PREFIX|all] [to PREFIX|all] "
	  "[iif NAME] [oif NAME] [fwmark M[/MASK]] [tos T] [pref N] "
	  "[table ID | goto N | nop | blackhole | unreachable | prohibit] "
	  "[suppress_prefixlength N] [proto P] [family inet|inet6]" },
	{ "rule", "del", rule_del, "(the fields of rule add that pick it)" },
	{ "nexthop", "add", nexthop_add, "[id ID] via [inet6] GW dev NAME "
	  "[onlink] | dev NAME | blackhole | group ID[,WEIGHT]/... | fdb "
	  "via GW | fdb group ... [proto P] [family inet|inet6]" },
	{ "nexthop", "replace", nexthop_add, "id ID (as nexthop add)" },
	{ "nexthop", "del", nexthop_del, "id ID" },
	{ "uplink", "allow", uplink_allow, "PREFIX" },
	{ "uplink", "deny", uplink_deny, "PREFIX" },
	{ "uplink", "del", uplink_del, "PREFIX" },
	{ "publish", NULL, publish, "[HOSTADDR:]HOSTPORT:PORT[/tcp|/udp]" },
	{ "unpublish", NULL, unpublish, "[HOSTADDR:]HOSTPORT[/tcp|/udp]" },
	{ "sysctl", NULL, sysctl_cmd, "[KEY[=VALUE] ...]" },
	{ "pcap", "start", pcap_start, "NAME FILE" },
	{ "pcap", "stop", pcap_stop, "NAME" },
	{ "show", "links", show_links, "" },
	{ "show", "addrs", show_addrs, "" },
	{ "show", "routes", show_routes, "[table ID|all]" },
	{ "show", "rules", show_rules, "" },
	{ "show", "nexthops", show_nexthops, "" },
	{ "show", "uplink", show_uplink, "" },
	{ "show", "stats", show_stats, "" },
	{ "help", NULL, help, "" },
};

static const char help_tail[] =
	"TYPE: unicast (default), blackhole, unreachable, prohibit, throw.\n"
	"PREFIX: ADDR/LEN or default (IPv6 when an address given is).\n"
	"ID: a number, main, local or default.  P: a number, kernel, boot "
	"(default), static, bird.\n"
	"ENDPOINT: a socket path (with '/') or HOST:PORT, [V6ADDR]:PORT.\n"
	"KEY: net.ipv4.ip_forward, net.ipv4.conf.DEV.forwarding or "
	"net.ipv6.conf.DEV.forwarding (DEV all, default or a device).\n"
	"addr may be written address.  '#' starts a comment.\n"
	"rrctl alone: exec PROGRAM [ARGS...] runs PROGRAM in the sandbox;\n"
	"capture DEV [FILTER] writes a live pcap stream of DEV to stdout "
	"(rrctl capture eth0 tcp port 179 | tcpdump -r -).\n";

static int help(struct cmd *c)
{
	size_t k;
	int ret;

	if ((ret = no_more(c)))
		return ret;
	for (k = 0; k < N_OF(cmds); k++)
		cli_out_printf(c->o, "%s%s%s%s%s\n", cmds[k].object,
			       cmds[k].verb ? " " : "",
			       cmds[k].verb ? cmds[k].verb : "",
			       cmds[k].args[0] ? " " : "", cmds[k].args);
	cli_out_printf(c->o, "%s", help_tail);
	return 0;
}

/* The verbs of @object, for messages. */
static void verbs_of(const char *object, char *buf, size_t len)
{
	size_t k, n = 0;

	buf[0] = '\0';
	for (k = 0; k < N_OF(cmds); k++)
		if (!strcmp(cmds[k].object, object) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? ", " : "", cmds[k].verb);
}

/*
 * dispatch() - find (object, verb) in cmds[] and run its handler
 * @c:		the command; @w and @nw hold the whole line's words
 *
 * Return: the handler's result, or -EINVAL after fail()
 */
static int dispatch(struct cmd *c)
{
	const char *obj = c->w[0], *verb = c->nw > 1 ? c->w[1] : NULL;
	char name[32], want[128];
	size_t k;

	if (!strcmp(obj, "address"))
		obj = "addr";
	for (k = 0; k < N_OF(cmds) && strcmp(cmds[k].object, obj); k++)
		;
	c->name = "rrsandbox";
	if (k == N_OF(cmds) && !strcmp(obj, "exec"))
		return fail(c, -EINVAL, "exec is rrctl's own: `rrctl exec PROGRAM "
			    "[ARGS...]` (not a line for -c FILE)");
	if (k == N_OF(cmds))
		return fail(c, -EINVAL, "unknown command '%s' (try 'help')", obj);
	if (!cmds[k].verb) {
		c->name = cmds[k].object;
		c->i = 1;
		return cmds[k].fn(c);
	}
	verbs_of(obj, want, sizeof(want));
	c->name = cmds[k].object;
	if (!verb)
		return fail(c, -EINVAL, "missing verb (want %s)", want);
	for (; k < N_OF(cmds); k++)
		if (!strcmp(cmds[k].object, obj) && !strcmp(cmds[k].verb, verb))
			break;
	if (k == N_OF(cmds))
		return fail(c, -EINVAL, "'%s': unknown verb (want %s)", verb, want);
	snprintf(name, sizeof(name), "%s %s", cmds[k].object, cmds[k].verb);
	c->name = name;
	c->i = 2;
	return cmds[k].fn(c);
}

/* Split @line in place into words; a word starting with '#' ends it. */
static int split(struct cmd *c, char *line, char **w)
{
	char *p = line;

	c->nw = 0;
	for (;;) {
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			return 0;
		if (c->nw == CLI_WORDS_MAX)
			return fail(c, -E2BIG, "more than %d words", CLI_WORDS_MAX);
		w[c->nw++] = p;
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
	}
}

/**
 * cli_cmd_run() - run one command line
 * @n:		the sandbox's network
 * @line:	the line, without its newline
 * @o:		output is appended here; on failure, instead of any output
 *		of the command, one line "COMMAND: 'WORD': PROBLEM"
 *
 * Return: 0, or a negative errno (-EINVAL for syntax, else net.h's)
 */
int cli_cmd_run(struct net *n, const char *line, struct cli_out *o)
{
	char buf[CLI_LINE_MAX + 1], *w[CLI_WORDS_MAX];
	struct cmd c = { .n = n, .o = o, .name = "rrsandbox" };
	size_t len, k;
	int ret;

	if (!n || !line || !o)
		return -EINVAL;
	c.mark = o->len;
	c.w = w;
	len = strnlen(line, CLI_LINE_MAX + 1);
	if (len > CLI_LINE_MAX)
		return fail(&c, -E2BIG, "line too long (more than %d bytes)",
			    CLI_LINE_MAX);
	for (k = 0; k < len; k++)
		if (((unsigned char)line[k] < 0x20 && line[k] != '\t') ||
		    line[k] == 0x7f)
			return fail(&c, -EINVAL, "control character 0x%02x in "
				    "line", (unsigned char)line[k]);
	memcpy(buf, line, len + 1);
	if ((ret = split(&c, buf, w)) || !c.nw)
		return ret;
	return dispatch(&c);
}

/*
 * read_line() - one line of @f into @buf, without '\n' or a final '\r'
 * @f:		the file
 * @buf:	CLI_LINE_MAX + 2 bytes
 * @len:	the line's length; CLI_LINE_MAX + 1 when it was longer
 *		(cli_cmd_run() then refuses it; the rest is skipped),
 *		SIZE_MAX when it held a NUL byte
 *
 * Return: true if a line was read, false at the end of the file
 */
static bool read_line(FILE *f, char *buf, size_t *len)
{
	bool nul = false, any = false;
	size_t n = 0;
	int ch;

	while ((ch = getc(f)) != EOF && ch != '\n') {
		any = true;
		nul |= !ch;
		if (n <= CLI_LINE_MAX)
			buf[n++] = (char)ch;
	}
	if (ch == EOF && !any)
		return false;
	if (n && n <= CLI_LINE_MAX && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	*len = nul ? SIZE_MAX : n;
	return true;
}

/**
 * cli_cmd_run_file() - run every line of a file, stopping at the first
 *			failure
 * @n:		the sandbox's network
 * @path:	the file
 * @o:		output of the commands; on failure only "PATH:LINE: ERROR"
 *
 * Return: 0, or the failing line's negative errno
 */
int cli_cmd_run_file(struct net *n, const char *path, struct cli_out *o)
{
	char buf[CLI_LINE_MAX + 2], *msg;
	unsigned int lineno = 0;
	size_t len, mark;
	int ret = 0;
	FILE *f;

	if (!n || !path || !o)
		return -EINVAL;
	if (!(f = fopen(path, "re"))) {
		ret = -errno;
		cli_out_printf(o, "%s: %s\n", path, strerror(-ret));
		return ret;
	}
	while (!ret && read_line(f, buf, &len)) {
		lineno++;
		mark = o->len;
		if (len == SIZE_MAX) {
			ret = -EINVAL;
			cli_out_printf(o, "NUL byte in line\n");
		} else {
			ret = cli_cmd_run(n, buf, o);
		}
		if (!ret)
			continue;
		msg = strdup(cli_out_text(o) + mark);
		cli_out_reset(o);
		cli_out_printf(o, "%s:%u: %s", path, lineno, msg ? msg : "?\n");
		free(msg);
	}
	fclose(f);
	return ret;
}

/* SPDX-License-Identifier: MIT */
/*
 * table.c - the routing tables: the set, tables by id, interned route
 * attributes, the route lists of each prefix with Linux's RTM_NEWROUTE /
 * RTM_DELROUTE semantics, lookups (with the default rules local, main,
 * default and weighted ECMP), the ordered walk behind netlink dumps, and
 * the flushes a device going down or away causes.  Called by netstack/
 * through router.h and by addr.c; calls trie.c for prefixes and lookups.
 * Knows nothing of lwIP, sockets or devices beyond an ifindex.
 *
 * Linux is the spec: net/ipv4/fib_trie.c fib_table_insert() and
 * fib_table_delete() for the add flags and list order, fib_semantics.c
 * fib_rebalance() and fib_select_multipath() for ECMP, fib_rules.c and
 * fib4_rule_action() for the default rules and throw routes, and
 * net/ipv6/ip6_fib.c fib6_add_rt2node() for IPv6 multipath "append".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "internal.h"

#define IHASH_MIN	64

/* x86 without -mpopcnt: the lookup gets a second copy built for POPCNT,
 * chosen once per set by a CPU check (rt_set_new()) */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(__POPCNT__)
#define POPCNT_COPY	1
#endif

/*
 * What a route type means: whether it takes next hops, and what a lookup
 * that ends on it returns (0: the type itself, a positive result; like
 * fib_props[] in net/ipv4/fib_semantics.c).  -EAGAIN (throw) makes a
 * lookup under the default rules go on with the next table.
 */
static const struct {
	bool valid;
	bool has_nh;
	int err;
} types[RTN_MAX + 1] = {
	[RTN_UNICAST]	  = { true, true, 0 },
	[RTN_LOCAL]	  = { true, true, 0 },
	[RTN_BROADCAST]	  = { true, true, 0 },
	[RTN_ANYCAST]	  = { true, true, 0 },
	[RTN_MULTICAST]	  = { true, true, 0 },
	[RTN_BLACKHOLE]	  = { true, false, -EINVAL },
	[RTN_UNREACHABLE] = { true, false, -EHOSTUNREACH },
	[RTN_PROHIBIT]	  = { true, false, -EACCES },
	[RTN_THROW]	  = { true, false, -EAGAIN },
};

/* The tables fixed[] caches, and the default rules' order */
static const uint32_t rule_tables[] = {
	RT_TABLE_LOCAL_ID, RT_TABLE_MAIN_ID, RT_TABLE_DEFAULT_ID,
};

/* The family of next hop @k's gateway in @r (which has one) */
static inline uint8_t gw_family(const struct rt_route *r, unsigned int k)
{
	return r->nh[k].gw_family ? r->nh[k].gw_family : r->family;
}

static inline unsigned int fam_bytes(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* ---- interned attributes ---- */

/* A hash of @n bytes, eight at a time (multiply and fold) */
static uint32_t hash_bytes(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;

	for (; n >= 8; n -= 8, b += 8) {
		memcpy(&w, b, sizeof(w));
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

static size_t info_size(const struct rt__info *i)
{
	return RT__INFO_SIZE(i->n_nh);
}

/* Bytes compared and hashed: from @type to the end */
#define INFO_KEY(i)	((const uint8_t *)(i) + offsetof(struct rt__info, type))
#define INFO_KEYLEN(i)	(info_size(i) - offsetof(struct rt__info, type))

static bool info_equal(const struct rt__info *a, const struct rt__info *b)
{
	return a->n_nh == b->n_nh && !memcmp(INFO_KEY(a), INFO_KEY(b), INFO_KEYLEN(a));
}

/*
 * info_finish() - derived fields of an info being built: hash-threshold
 * bounds over the live next hops (fib_rebalance(): the upper bound of a
 * next hop is its cumulative weight scaled to 2^31, rounded, minus one;
 * dead ones get -1 and are never chosen), all_dead, and the hash
 */
static void info_finish(struct rt__info *c)
{
	uint64_t total = 0, w = 0;
	unsigned int k;

	for (k = 0; k < c->n_nh; k++)
		if (!(c->nh[k].flags & RTNH_F_DEAD))
			total += c->nh[k].weight;
	for (k = 0; k < c->n_nh; k++) {
		if (c->nh[k].flags & RTNH_F_DEAD) {
			c->nh[k].upper = -1;
			continue;
		}
		w += c->nh[k].weight;
		c->nh[k].upper = (int32_t)((((w << 31) + total / 2) / total) - 1);
	}
	c->all_dead = c->n_nh && !total;
	c->result = types[c->type].err ? types[c->type].err : c->type;
	c->hash = hash_bytes(INFO_KEY(c), INFO_KEYLEN(c));
}

/* Build the info of @r in @c (RT__INFO_MAX bytes); @r is valid */
static void info_build(struct rt__info *c, const struct rt_route *r)
{
	unsigned int k, n = fam_bytes(r->family);

	memset(c, 0, RT__INFO_SIZE(r->n_nh));
	c->type = r->type;
	c->protocol = r->protocol;
	c->scope = r->scope;
	c->flags = r->flags;
	c->mtu = r->mtu;
	memcpy(c->metrics, r->metrics, sizeof(c->metrics));
	memcpy(c->cc_algo, r->cc_algo, sizeof(c->cc_algo));
	c->cc_algo[sizeof(c->cc_algo) - 1] = '\0';
	c->realm = r->realm;
	c->nhid = r->nhid;
	c->nh_blackhole = r->nh_blackhole;
	c->pref = r->pref;
	c->has_prefsrc = r->has_prefsrc;
	if (r->has_prefsrc)
		memcpy(c->prefsrc, r->prefsrc, n);
	c->n_nh = r->n_nh;
	for (k = 0; k < r->n_nh; k++) {
		c->nh[k].ifindex = r->nh[k].ifindex;
		c->nh[k].weight = r->nh[k].weight;
		c->nh[k].flags = r->nh[k].flags;
		if (r->nh[k].has_gw) {
			c->nh[k].gw_family = gw_family(r, k);
			memcpy(c->nh[k].gw, r->nh[k].gw, fam_bytes(c->nh[k].gw_family));
		}
	}
	info_finish(c);
}

static int ihash_grow(struct rt_set *s)
{
	size_t size = s->ihash_size ? s->ihash_size * 2 : IHASH_MIN, k;
	struct rt__info **h, *i, *next;

	h = rt__zalloc(&s->bytes, size * sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (k = 0; k < s->ihash_size; k++) {
		for (i = s->ihash[k]; i; i = next) {
			next = i->hnext;
			i->hnext = h[i->hash & (size - 1)];
			h[i->hash & (size - 1)] = i;
		}
	}
	rt__free(&s->bytes, s->ihash, s->ihash_size * sizeof(*h));
	s->ihash = h;
	s->ihash_size = size;
	return 0;
}

/*
 * Lookup slots: the per-packet path reaches infos through @itab, by the
 * 31-bit slot a @d16 entry holds.  Slot 0 is the no-route info; the
 * others are handed out from a stack of free ones, grown by doubling.
 * When the last info goes, the table shrinks back to its first size, so
 * the byte count returns to where it started.
 */
#define ITAB_MIN	64
#define ITAB_MAX	(1u << 30)

/*
 * itab_resize() - grow @itab (its free stack empty), or shrink it back
 * to @size when no info is left (the caller emptied the stack)
 */
static int itab_resize(struct rt_set *s, uint32_t size)
{
	uint32_t *f, k, old = s->itab_size, from = old && size > old ? old : 1;
	const struct rt__info **t;

	if (size > ITAB_MAX)
		return -ENOMEM;
	t = rt__alloc(&s->bytes, size * sizeof(*t));
	f = rt__alloc(&s->bytes, size * sizeof(*f));
	if (!t || !f) {
		rt__free(&s->bytes, t, size * sizeof(*t));
		rt__free(&s->bytes, f, size * sizeof(*f));
		return -ENOMEM;
	}
	memset(t, 0, size * sizeof(*t));
	if (old) {
		memcpy(t, s->itab, (size < old ? size : old) * sizeof(*t));
		memcpy(f, s->ifree, s->n_ifree * sizeof(*f));
	}
	for (k = size; k-- > from;)	/* lowest slots on top */
		f[s->n_ifree++] = k;
	rt__free(&s->bytes, s->itab, s->itab_size * sizeof(*t));
	rt__free(&s->bytes, s->ifree, s->itab_size * sizeof(*f));
	s->itab = t;
	s->ifree = f;
	s->itab_size = size;
	return 0;
}

/* Give @i a lookup slot; Return: 0 or -ENOMEM */
static int slot_get(struct rt_set *s, struct rt__info *i)
{
	if (!s->n_ifree && itab_resize(s, s->itab_size * 2))
		return -ENOMEM;
	i->slot = s->ifree[--s->n_ifree];
	s->itab[i->slot] = i;
	return 0;
}

static void slot_put(struct rt_set *s, const struct rt__info *i)
{
	s->itab[i->slot] = NULL;
	s->ifree[s->n_ifree++] = i->slot;
	if (!s->n_info && s->itab_size > ITAB_MIN) {
		s->n_ifree = 0;
		if (itab_resize(s, ITAB_MIN))
			abort();	/* the old table is still held: cannot fail
					 * short of a broken heap */
	}
}

/* A counted reference to the interned copy of @c, NULL when out of memory */
static struct rt__info *info_get(struct rt_set *s, const struct rt__info *c)
{
	struct rt__info *i;

	if (s->ihash_size) {
		for (i = s->ihash[c->hash & (s->ihash_size - 1)]; i; i = i->hnext) {
			if (i->hash == c->hash && info_equal(i, c)) {
				i->refs++;
				return i;
			}
		}
	}
	if (s->n_info >= s->ihash_size && ihash_grow(s))
		return NULL;
	i = rt__zalloc(&s->bytes, RT__INFO_ALLOC(c->n_nh));
	if (!i)
		return NULL;
	memcpy(i, c, info_size(c));
	if (slot_get(s, i)) {
		rt__free(&s->bytes, i, RT__INFO_ALLOC(c->n_nh));
		return NULL;
	}
	i->refs = 1;
	i->hnext = s->ihash[c->hash & (s->ihash_size - 1)];
	s->ihash[c->hash & (s->ihash_size - 1)] = i;
	s->n_info++;
	return i;
}

static void info_put(struct rt_set *s, struct rt__info *i)
{
	struct rt__info **pp;

	if (--i->refs)
		return;
	for (pp = &s->ihash[i->hash & (s->ihash_size - 1)]; *pp != i; pp = &(*pp)->hnext)
		;
	*pp = i->hnext;
	s->n_info--;
	slot_put(s, i);
	rt__free(&s->bytes, i, RT__INFO_ALLOC(i->n_nh));
	if (s->n_info)
		return;
	rt__free(&s->bytes, s->ihash, s->ihash_size * sizeof(*s->ihash));
	s->ihash = NULL;
	s->ihash_size = 0;
}

/* ---- tables ---- */

static size_t table_pos(const struct rt_set *s, uint32_t id)
{
	size_t lo = 0, hi = s->n_tables, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->tables[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

RT__HOT struct rt__table *table_find(const struct rt_set *s, uint32_t id)
{
	size_t pos;

	if (id - RT_TABLE_DEFAULT_ID < 3)
		return s->fixed[id - RT_TABLE_DEFAULT_ID];
	pos = table_pos(s, id);
	return pos < s->n_tables && s->tables[pos]->id == id ? s->tables[pos] : NULL;
}

/* The table with id @id, created if needed; NULL when out of memory */
static struct rt__table *table_get(struct rt_set *s, uint32_t id)
{
	size_t pos = table_pos(s, id);
	struct rt__table *tbl, **a;

	if (pos < s->n_tables && s->tables[pos]->id == id)
		return s->tables[pos];
	tbl = rt__zalloc(&s->bytes, sizeof(*tbl));
	a = rt__alloc(&s->bytes, (s->n_tables + 1) * sizeof(*a));
	if (!tbl || !a) {
		rt__free(&s->bytes, tbl, sizeof(*tbl));
		rt__free(&s->bytes, a, (s->n_tables + 1) * sizeof(*a));
		return NULL;
	}
	if (s->n_tables)
		memcpy(a, s->tables, s->n_tables * sizeof(*a));
	memmove(&a[pos + 1], &a[pos], (s->n_tables - pos) * sizeof(*a));
	rt__free(&s->bytes, s->tables, s->n_tables * sizeof(*a));
	a[pos] = tbl;
	s->tables = a;
	s->n_tables++;
	tbl->id = id;
	rt__trie_init(&tbl->fam[0], 4, &s->bytes);
	rt__trie_init(&tbl->fam[1], 16, &s->bytes);
	if (id - RT_TABLE_DEFAULT_ID < 3)
		s->fixed[id - RT_TABLE_DEFAULT_ID] = tbl;
	return tbl;
}

/* Free @tbl if it holds no route: tables exist while they have routes */
static void table_gc(struct rt_set *s, struct rt__table *tbl)
{
	size_t pos;

	if (tbl->routes)
		return;
	pos = table_pos(s, tbl->id);
	memmove(&s->tables[pos], &s->tables[pos + 1], (s->n_tables - pos - 1) * sizeof(tbl));
	s->tables = rt__resize(&s->bytes, s->tables, s->n_tables * sizeof(tbl),
			       (s->n_tables - 1) * sizeof(tbl));
	s->n_tables--;
	if (tbl->id - RT_TABLE_DEFAULT_ID < 3)
		s->fixed[tbl->id - RT_TABLE_DEFAULT_ID] = NULL;
	rt__trie_fini(&tbl->fam[0]);
	rt__trie_fini(&tbl->fam[1]);
	rt__free(&s->bytes, tbl, sizeof(*tbl));
}

/* ---- set ---- */

/**
 * rt_set_new() - an empty set of routing tables
 * @out:	set to the new set
 *
 * Return: 0, or -ENOMEM
 */
int rt_set_new(struct rt_set **out)
{
	struct rt__info *none;
	struct rt_set *s;

	if (!out)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->bytes = sizeof(*s);
	s->scratch = rt__alloc(&s->bytes, 2 * RT__INFO_MAX);
	none = rt__zalloc(&s->bytes, RT__INFO_ALLOC(0));
	if (!s->scratch || !none || itab_resize(s, ITAB_MIN)) {
		free(s->scratch);
		free(none);
		free(s);
		return -ENOMEM;
	}
	none->result = -ENETUNREACH;
	s->itab[0] = none;
	if (rt__rules_init(s)) {
		rt_set_free(s);
		return -ENOMEM;
	}
#ifdef POPCNT_COPY
	s->popcnt = __builtin_cpu_supports("popcnt");
#endif
	*out = s;
	return 0;
}

static int free_pfx(void *arg, uint32_t id)
{
	struct rt_set *s = ((void **)arg)[0];
	struct rt__trie *t = ((void **)arg)[1];
	struct rt__route *q, *next;

	for (q = rt__pfx(t, id)->routes; q; q = next) {
		next = q->next;
		info_put(s, q->info);
		rt__free(&s->bytes, q, sizeof(*q));
	}
	return 0;
}

/**
 * rt_set_free() - free a set and all its routes, telling no listener
 * @s:	set, or NULL
 */
void rt_set_free(struct rt_set *s)
{
	void *arg[2] = { s, NULL };
	size_t k;
	int f;

	if (!s)
		return;
	for (k = 0; k < s->n_tables; k++) {
		for (f = 0; f < 2; f++) {
			arg[1] = &s->tables[k]->fam[f];
			rt__trie_walk(arg[1], NULL, 0, free_pfx, arg);
			rt__trie_fini(arg[1]);
		}
		free(s->tables[k]);
	}
	free(s->tables);
	free(s->ihash);
	free((void *)s->itab[0]);
	free(s->itab);
	free(s->ifree);
	free(s->scratch);
	rt__addrs_free(s);
	rt__rules_free(s);
	free(s->made[0]);
	free(s->made[1]);
	free(s);
}

/**
 * rt_set_notify() - set the one listener told of every change
 * @s:		set
 * @fn:		listener, NULL for none
 * @arg:	its argument
 */
void rt_set_notify(struct rt_set *s, rt_notify_fn *fn, void *arg)
{
	s->notify = fn;
	s->notify_arg = arg;
}

/**
 * rt_set_stats() - routes and heap bytes held
 * @s:		set
 * @out:	filled in
 */
void rt_set_stats(const struct rt_set *s, struct rt_stats *out)
{
	out->routes = s->routes;
	out->bytes = s->bytes;
}

/* ---- routes ---- */

static void route_export(const struct rt__table *tbl, int f, const struct rt__pfx *p,
			 const struct rt__route *q, struct rt_route *out)
{
	const struct rt__info *i = q->info;
	unsigned int k, n = f ? 16 : 4;

	memset(out, 0, sizeof(*out));
	out->family = f ? AF_INET6 : AF_INET;
	out->dst_len = p->len;
	memcpy(out->dst, p->dst, n);
	out->type = i->type;
	out->protocol = i->protocol;
	out->scope = i->scope;
	out->tos = q->tos;
	out->flags = i->flags;
	out->table = tbl->id;
	out->priority = q->priority;
	out->has_prefsrc = i->has_prefsrc;
	memcpy(out->prefsrc, i->prefsrc, n);
	out->mtu = i->mtu;
	memcpy(out->metrics, i->metrics, sizeof(out->metrics));
	memcpy(out->cc_algo, i->cc_algo, sizeof(out->cc_algo));
	out->realm = i->realm;
	out->nhid = i->nhid;
	out->nh_blackhole = i->nh_blackhole != 0;
	out->pref = i->pref;
	out->n_nh = i->n_nh;
	for (k = 0; k < i->n_nh; k++) {
		out->nh[k].ifindex = i->nh[k].ifindex;
		out->nh[k].has_gw = i->nh[k].gw_family != 0;
		out->nh[k].gw_family = i->nh[k].gw_family;
		memcpy(out->nh[k].gw, i->nh[k].gw, 16);
		out->nh[k].flags = i->nh[k].flags;
		out->nh[k].weight = i->nh[k].weight;
	}
}

static void notify(struct rt_set *s, enum rt_event ev, const struct rt__table *tbl,
		   int f, const struct rt__pfx *p, const struct rt__route *q)
{
	struct rt_route r;

	if (!s->notify)
		return;
	route_export(tbl, f, p, q, &r);
	s->notify(s->notify_arg, ev, &r);
}

/* Whether the host bits of @a (@bytes long) past @len are all zero */
static bool host_bits_zero(const uint8_t *a, unsigned int len, unsigned int bytes)
{
	unsigned int k;

	if (len % 8 && (a[len / 8] & (0xffu >> (len % 8))))
		return false;
	for (k = (len + 7) / 8; k < bytes; k++)
		if (a[k])
			return false;
	return true;
}

static bool all_zero(const uint8_t *a, unsigned int n)
{
	while (n--)
		if (*a++)
			return false;
	return true;
}

/* The key fields of @r: family, length, host bits */
static int validate_key(const struct rt_route *r)
{
	int f = rt__fam(r->family);

	if (f < 0 || r->dst_len > 8 * fam_bytes(r->family) ||
	    !host_bits_zero(r->dst, r->dst_len, fam_bytes(r->family)))
		return -EINVAL;
	return 0;
}

static int validate(const struct rt_route *r)
{
	unsigned int k;

	if (validate_key(r) || r->type > RTN_MAX || !types[r->type].valid ||
	    (r->family == AF_INET6 && r->tos))
		return -EINVAL;
	if (types[r->type].has_nh ? !r->n_nh || r->n_nh > RT_MAX_NEXTHOPS : r->n_nh)
		return -EINVAL;
	for (k = 0; k < r->n_nh; k++) {
		/* a nexthop group's members weigh up to 65535 (Linux 6.12) */
		if (!r->nh[k].ifindex || r->nh[k].weight < 1 ||
		    r->nh[k].weight > (r->nhid ? 65535 : 256))
			return -EINVAL;
		if (!r->nh[k].has_gw)
			continue;
		/* an IPv6 route through an IPv4 gateway is refused, as Linux */
		if (gw_family(r, k) != r->family &&
		    (r->family != AF_INET || gw_family(r, k) != AF_INET6))
			return -EINVAL;
		if (all_zero(r->nh[k].gw, fam_bytes(gw_family(r, k))))
			return -EINVAL;
	}
	return 0;
}

/* List order (fib_find_alias()): tos descending, then metric ascending */
static inline bool sorts_before(const struct rt__route *q, uint8_t tos, uint32_t prio)
{
	return q->tos > tos || (q->tos == tos && q->priority < prio);
}

static inline bool same_key(const struct rt__route *q, uint8_t tos, uint32_t prio)
{
	return q->tos == tos && q->priority == prio;
}

/* Recompute what lookups use for prefix @id; enter or leave the trie */
static void pfx_refresh(struct rt__trie *t, uint32_t id)
{
	const struct rt__route *q;

	for (q = rt__pfx(t, id)->routes; q; q = q->next)
		if (!q->tos && !q->info->all_dead)
			break;
	rt__trie_set_best(t, id, q ? q->info : NULL);
}

/*
 * Unlink the route at *@link of prefix @id, tell the listener, free it;
 * the prefix goes too when it was its last route.
 * Return: whether the prefix still exists
 */
static bool route_unlink(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
			 struct rt__route **link)
{
	struct rt__trie *t = &tbl->fam[f];
	struct rt__route *q = *link;

	*link = q->next;
	pfx_refresh(t, id);
	notify(s, RT_EV_DEL, tbl, f, rt__pfx(t, id), q);
	info_put(s, q->info);
	rt__free(&s->bytes, q, sizeof(*q));
	s->routes--;
	tbl->routes--;
	if (rt__pfx(t, id)->routes)
		return true;
	rt__trie_remove(t, id);
	return false;
}

/* Give route @q the attributes @c, tell the listener (RT_EV_NEW) */
static int route_set_info(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
			  struct rt__route *q, const struct rt__info *c)
{
	struct rt__info *i = info_get(s, c);

	if (!i)
		return -ENOMEM;
	info_put(s, q->info);
	q->info = i;
	pfx_refresh(&tbl->fam[f], id);
	notify(s, RT_EV_NEW, tbl, f, rt__pfx(&tbl->fam[f], id), q);
	return 0;
}

static bool info_ecmp(const struct rt__info *i)
{
	unsigned int k;

	/* a route on a nexthop object never merges (rt6_qualify_for_ecmp()) */
	if (i->type != RTN_UNICAST || !i->n_nh || i->nhid)
		return false;
	for (k = 0; k < i->n_nh; k++)
		if (!i->nh[k].gw_family)
			return false;
	return true;
}

/*
 * IPv6 "append" (fib6_add_rt2node() making siblings,
 * ip6_route_multipath_add()): the next hops of @c join those of @q, whose
 * other attributes stay.  A next hop already there (same device and
 * gateway) is -EEXIST, more than RT_MAX_NEXTHOPS is -EINVAL.
 */
static int route_merge(struct rt_set *s, struct rt__table *tbl, uint32_t id,
		       struct rt__route *q, const struct rt__info *c)
{
	struct rt__info *m = (struct rt__info *)((char *)s->scratch + RT__INFO_MAX);
	const struct rt__info *o = q->info;
	unsigned int a, b;

	for (a = 0; a < o->n_nh; a++)
		for (b = 0; b < c->n_nh; b++)
			if (o->nh[a].ifindex == c->nh[b].ifindex &&
			    o->nh[a].gw_family == c->nh[b].gw_family &&
			    !memcmp(o->nh[a].gw, c->nh[b].gw, 16))
				return -EEXIST;
	if (o->n_nh + c->n_nh > RT_MAX_NEXTHOPS)
		return -EINVAL;
	memcpy(m, o, info_size(o));
	memcpy(&m->nh[o->n_nh], c->nh, c->n_nh * sizeof(c->nh[0]));
	m->n_nh = (uint16_t)(o->n_nh + c->n_nh);
	info_finish(m);
	return route_set_info(s, tbl, 1, id, q, m);
}

static int route_insert(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
			struct rt__route **link, const struct rt_route *r)
{
	struct rt__route *q = rt__alloc(&s->bytes, sizeof(*q));

	if (!q)
		return -ENOMEM;
	q->info = info_get(s, s->scratch);
	if (!q->info) {
		rt__free(&s->bytes, q, sizeof(*q));
		return -ENOMEM;
	}
	q->priority = r->priority;
	q->tos = r->tos;
	q->next = *link;
	*link = q;
	s->routes++;
	tbl->routes++;
	pfx_refresh(&tbl->fam[f], id);
	notify(s, RT_EV_NEW, tbl, f, rt__pfx(&tbl->fam[f], id), q);
	return 0;
}

/* rt_add() on prefix @id, whose info is built in s->scratch */
static int list_add(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
		    const struct rt_route *r, unsigned int flags)
{
	struct rt__route **link = &rt__pfx(&tbl->fam[f], id)->routes, *first, *q;
	const struct rt__info *c = s->scratch;

	while (*link && sorts_before(*link, r->tos, r->priority))
		link = &(*link)->next;
	first = *link && same_key(*link, r->tos, r->priority) ? *link : NULL;
	if (first) {
		if (flags & RT_ADD_EXCL)
			return -EEXIST;
		for (q = first; q && same_key(q, r->tos, r->priority); q = q->next)
			if (info_equal(q->info, c))
				break;
		if (q && !same_key(q, r->tos, r->priority))
			q = NULL;	/* a route of another metric or tos */
		if (flags & RT_ADD_REPLACE) {
			/* an identical route: nothing to do if it is the one
			 * replaced, else -EEXIST, as fib_table_insert(); IPv6
			 * replaces it all the same and tells so, as
			 * fib6_add_rt2node() */
			if (q && q == first) {
				if (f == 1)
					notify(s, RT_EV_NEW, tbl, f,
					       rt__pfx(&tbl->fam[f], id), q);
				return 0;
			}
			return q ? -EEXIST : route_set_info(s, tbl, f, id, first, c);
		}
		if (f == 1 && (flags & RT_ADD_CREATE) && info_ecmp(first->info) && info_ecmp(c))
			return route_merge(s, tbl, id, first, c);
		if (q)
			return -EEXIST;
		if (flags & RT_ADD_APPEND)
			while (*link && same_key(*link, r->tos, r->priority))
				link = &(*link)->next;
	}
	if (!(flags & RT_ADD_CREATE))
		return -ENOENT;
	return route_insert(s, tbl, f, id, link, r);
}

/**
 * rt_add() - add or replace a route, as RTM_NEWROUTE
 * @s:		set
 * @r:		the route; table 0 means main
 * @flags:	RT_ADD_* (NLM_F_REPLACE, _EXCL, _CREATE, _APPEND)
 *
 * Return: 0; -EINVAL for a malformed route, -EEXIST, -ENOENT (see the
 * flags), -ENOMEM
 */
int rt_add(struct rt_set *s, const struct rt_route *r, unsigned int flags)
{
	struct rt__table *tbl;
	uint32_t id;
	bool fresh = false;
	int f, ret;

	if (!s || !r || validate(r))
		return -EINVAL;
	f = rt__fam(r->family);
	info_build(s->scratch, r);
	tbl = table_get(s, r->table ? r->table : RT_TABLE_MAIN_ID);
	if (!tbl)
		return -ENOMEM;
	/* made before the insert, which may fail: as fib_new_table() */
	ret = rt__table_made(s, f, tbl->id);
	if (ret) {
		table_gc(s, tbl);
		return ret;
	}
	id = rt__trie_get(&tbl->fam[f], r->dst, r->dst_len);
	if (!id) {
		ret = !(flags & RT_ADD_CREATE) ? -ENOENT :
		      rt__trie_add(&tbl->fam[f], r->dst, r->dst_len, &id);
		if (ret) {
			table_gc(s, tbl);
			return ret;
		}
		fresh = true;
	}
	ret = list_add(s, tbl, f, id, r, flags);
	if (ret && fresh)
		rt__trie_remove(&tbl->fam[f], id);
	table_gc(s, tbl);
	return ret;
}

/* Linux's hash of a table id (FIB_TABLE_HASHSZ, FIB6_TABLE_HASHSZ: 256) */
static uint32_t bucket(uint32_t id)
{
	return id & 255;
}

/**
 * rt__table_made() - note that family @f has a table @id from now on, as
 *		      Linux's fib_new_table() and fib6_new_table() make one
 *		      that stays while its routes come and go
 * @s:		set
 * @f:		family index
 * @id:		table id
 *
 * Return: 0 or -ENOMEM
 */
int rt__table_made(struct rt_set *s, int f, uint32_t id)
{
	uint32_t *a;
	size_t cap, k;

	if (rt_table_exists(s, f ? AF_INET6 : AF_INET, id))
		return 0;
	if (s->n_made[f] == s->cap_made[f]) {
		cap = s->cap_made[f] ? 2 * s->cap_made[f] : 4;
		a = rt__resize(&s->bytes, s->made[f], s->cap_made[f] * sizeof(*a),
			       cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		s->made[f] = a;
		s->cap_made[f] = cap;
	}
	/* Linux hashes tables by id & 255 (FIB_TABLE_HASHSZ, FIB6_TABLE_HASHSZ)
	 * and puts a new one at the head of its chain; dumps go chain by
	 * chain: so, by bucket, the newest first in each. */
	for (k = 0; k < s->n_made[f] && bucket(s->made[f][k]) < bucket(id); k++)
		;
	memmove(&s->made[f][k + 1], &s->made[f][k],
		(s->n_made[f] - k) * sizeof(*s->made[f]));
	s->made[f][k] = id;
	s->n_made[f]++;
	return 0;
}

/* Where main goes among made[f] in Linux's dump order (order_at()): after
 * every table of its bucket and below, as the oldest of its bucket */
static size_t main_pos(const struct rt_set *s, int f)
{
	size_t n = s->n_made[f], k = 0;

	while (k < n && bucket(s->made[f][k]) <= bucket(RT_TABLE_MAIN_ID))
		k++;
	return k;
}

/*
 * The @k-th table id of family @f in the order Linux dumps them
 * (inet_dump_fib(), inet6_dump_fib(), /proc/net/ipv6_route): made[f] with
 * main (at @main_at, main_pos()) and local, made first, as the oldest of
 * their buckets.  @k runs to n_made[f] + 2.
 */
static uint32_t order_at(const struct rt_set *s, int f, size_t main_at, size_t k)
{
	size_t n = s->n_made[f];

	if (k == main_at)
		return RT_TABLE_MAIN_ID;
	if (k == n + 1)
		return RT_TABLE_LOCAL_ID;
	return s->made[f][k < main_at ? k : k - 1];
}

/**
 * rt_table_ids() - a family's tables in the order Linux walks them (by id
 *		    & 255, the newest first among equals: order_at()), the
 *		    empty ones too, as /proc/net/fib_triestat lists them
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @ids:	where to write the ids; may be NULL when @max is 0
 * @max:	room in @ids
 *
 * Return: how many tables the family has; only the first @max are
 *	   written when that is more
 */
size_t rt_table_ids(const struct rt_set *s, uint8_t family, uint32_t *ids,
		    size_t max)
{
	int f = rt__fam(family);
	size_t k, n, m;

	if (!s || f < 0)
		return 0;
	n = s->n_made[f] + 2;
	m = main_pos(s, f);
	for (k = 0; k < n && k < max; k++)
		ids[k] = order_at(s, f, m, k);
	return n;
}

/**
 * rt_table_make() - make table @id of @family, as Linux's route adds do
 *		     before anything can fail (fib_new_table(),
 *		     fib6_new_table()): it stays, empty or not
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @id:		table id, 0 for main
 *
 * Return: 0, -EINVAL, or -ENOMEM
 */
int rt_table_make(struct rt_set *s, uint8_t family, uint32_t id)
{
	int f = rt__fam(family);

	if (!s || f < 0)
		return -EINVAL;
	return rt__table_made(s, f, id ? id : RT_TABLE_MAIN_ID);
}

/**
 * rt_prefix_exists() - whether table @table holds a route to @dst/@len
 * @s:		set
 * @table:	table id, 0 for main
 * @family:	AF_INET or AF_INET6
 * @dst:	the prefix (4 or 16 bytes)
 * @len:	its length
 *
 * Return: true when it does
 */
bool rt_prefix_exists(const struct rt_set *s, uint32_t table, uint8_t family,
		      const uint8_t *dst, uint8_t len)
{
	const struct rt__table *tbl;
	int f = rt__fam(family);

	if (!s || !dst || f < 0 || len > (f ? 128 : 32))
		return false;
	tbl = table_find(s, table ? table : RT_TABLE_MAIN_ID);
	return tbl && rt__trie_get(&tbl->fam[f], dst, len);
}

/**
 * rt_table_exists() - whether a family has table @id: main and local
 *		       always, others once a route was added to them (or an
 *		       IPv6 rule named them), as on Linux, where a filtered
 *		       dump of any other fails ("FIB table does not exist")
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @id:		table id
 *
 * Return: true when it exists
 */
bool rt_table_exists(const struct rt_set *s, uint8_t family, uint32_t id)
{
	int f = rt__fam(family);
	size_t k;

	if (f < 0)
		return false;
	if (id == RT_TABLE_MAIN_ID || id == RT_TABLE_LOCAL_ID)
		return true;
	for (k = 0; k < s->n_made[f]; k++)
		if (s->made[f][k] == id)
			return true;
	return false;
}

static bool nh_has(const struct rt__info *i, const struct rt_route *r,
		   unsigned int mask)
{
	const struct rt_nexthop *m = &r->nh[0];
	uint8_t gf = mask & RT_MATCH_GW ? gw_family(r, 0) : 0;
	unsigned int k;

	for (k = 0; k < i->n_nh; k++) {
		if ((mask & RT_MATCH_OIF) && i->nh[k].ifindex != m->ifindex)
			continue;
		if ((mask & RT_MATCH_GW) &&
		    (i->nh[k].gw_family != gf ||
		     memcmp(i->nh[k].gw, m->gw, fam_bytes(gf))))
			continue;
		return true;
	}
	return false;
}

static bool route_matches(const struct rt__route *q, const struct rt_route *m,
			  unsigned int mask)
{
	const struct rt__info *i = q->info;

	if (((mask & RT_MATCH_TYPE) && i->type != m->type) ||
	    ((mask & RT_MATCH_PROTOCOL) && i->protocol != m->protocol) ||
	    ((mask & RT_MATCH_SCOPE) && i->scope != m->scope) ||
	    ((mask & RT_MATCH_TOS) && q->tos != m->tos) ||
	    ((mask & RT_MATCH_PRIORITY) && q->priority != m->priority) ||
	    ((mask & RT_MATCH_NHID) && i->nhid != m->nhid))
		return false;
	/* a route on a nexthop object: a delete naming a device or gateway
	 * does not match an IPv4 one (fib_table_delete() of 6.18) and does
	 * not look at an IPv6 one's (ip6_route_del()) */
	if (i->nhid && (mask & (RT_MATCH_OIF | RT_MATCH_GW)))
		return m->family == AF_INET6;
	if (mask & (RT_MATCH_OIF | RT_MATCH_GW))
		return nh_has(i, m, mask);
	return true;
}

/* The link to the first route matching @m, NULL if none */
static struct rt__route **route_find(const struct rt_set *s, const struct rt_route *m,
				     unsigned int mask, struct rt__table **tbl, uint32_t *id)
{
	struct rt__route **link;
	int f = rt__fam(m->family);

	*tbl = table_find(s, m->table ? m->table : RT_TABLE_MAIN_ID);
	if (!*tbl)
		return NULL;
	*id = rt__trie_get(&(*tbl)->fam[f], m->dst, m->dst_len);
	if (!*id)
		return NULL;
	for (link = &rt__pfx(&(*tbl)->fam[f], *id)->routes; *link; link = &(*link)->next)
		if (route_matches(*link, m, mask))
			return link;
	return NULL;
}

/**
 * rt_del() - remove the first route matching, as RTM_DELROUTE
 * @s:		set
 * @match:	table (0: main), family, dst, dst_len, and the fields @mask names
 * @mask:	RT_MATCH_*
 *
 * Return: 0, -ESRCH when no route matches, -EINVAL for a malformed @match
 */
int rt_del(struct rt_set *s, const struct rt_route *match, unsigned int mask)
{
	struct rt__route **link;
	struct rt__table *tbl;
	uint32_t id;

	if (!s || !match || validate_key(match))
		return -EINVAL;
	link = route_find(s, match, mask, &tbl, &id);
	if (!link)
		return -ESRCH;
	route_unlink(s, tbl, rt__fam(match->family), id, link);
	table_gc(s, tbl);
	return 0;
}

bool rt__route_exists(const struct rt_set *s, const struct rt_route *m, unsigned int mask)
{
	struct rt__table *tbl;
	uint32_t id;

	return route_find(s, m, mask, &tbl, &id) != NULL;
}

/**
 * rt_covered_via() - whether table @table holds a route covering @addr
 * with a next hop on @oif, whatever its type: one exact prefix probe per
 * length, longest first, so its cost does not grow with the table
 * @s:		set
 * @table:	table id
 * @family:	AF_INET or AF_INET6
 * @addr:	the address
 * @oif:	the device
 *
 * Return: true when there is one
 */
bool rt_covered_via(const struct rt_set *s, uint32_t table, uint8_t family,
		    const uint8_t *addr, uint32_t oif)
{
	return rt_find_via(s, table, family, addr, oif, NULL);
}

/* @addr (@bytes long) cut to its first @len bits into @dst, which holds
 * its first @len / 8 bytes already */
static void cut_to(uint8_t *dst, const uint8_t *addr, unsigned int bytes,
		   unsigned int len)
{
	unsigned int k;

	for (k = len / 8; k < bytes; k++)
		dst[k] = k * 8 + 8 <= len ? addr[k] : k * 8 >= len ? 0 :
			 (uint8_t)(addr[k] & (0xff00 >> (len - k * 8)));
}

/**
 * rt_find_via() - rt_covered_via() that gives the route found
 * @s:		set
 * @table:	table id
 * @family:	AF_INET or AF_INET6
 * @addr:	the address
 * @oif:	the device
 * @out:	set to the longest such route (its first one with a next hop
 *		on @oif), or NULL
 *
 * Return: true when there is one
 */
bool rt_find_via(const struct rt_set *s, uint32_t table, uint8_t family,
		 const uint8_t *addr, uint32_t oif, struct rt_route *out)
{
	unsigned int bytes = family == AF_INET6 ? 16 : 4;
	struct rt__route **link;
	struct rt__table *tbl;
	struct rt_route m;
	uint32_t id;
	int len;

	if (!s || !addr || rt__fam(family) < 0)
		return false;
	memset(&m, 0, sizeof(m));
	m.family = family;
	m.table = table;
	m.n_nh = 1;
	m.nh[0].ifindex = oif;
	memcpy(m.dst, addr, bytes);
	for (len = (int)bytes * 8; len >= 0; len--) {
		cut_to(m.dst, addr, bytes, (unsigned int)len);
		m.dst_len = (uint8_t)len;
		if (!rt_prefix_exists(s, table, family, m.dst, m.dst_len))
			continue;
		link = route_find(s, &m, RT_MATCH_OIF, &tbl, &id);
		if (!link)
			continue;
		if (out)
			route_export(tbl, rt__fam(family),
				     rt__pfx(&tbl->fam[rt__fam(family)], id),
				     *link, out);
		return true;
	}
	return false;
}

/**
 * rt_route_exists() - whether a route matches, as rt_del() would find it
 * @s:		set
 * @m:		table (0: main), family, dst, dst_len, and the fields @mask names
 * @mask:	RT_MATCH_*
 *
 * Return: true when one does
 */
bool rt_route_exists(const struct rt_set *s, const struct rt_route *m, unsigned int mask)
{
	return s && m && !validate_key(m) && rt__route_exists(s, m, mask);
}

/* ---- lookups ---- */

/* Hash-threshold choice (fib_select_multipath()): the first live next
 * hop whose upper bound is not below the 31-bit hash */
RT__HOT unsigned int nh_select(const struct rt__info *i, uint32_t hash)
{
	int32_t h = (int32_t)(hash >> 1);
	unsigned int k;

	if (i->n_nh <= 1)
		return 0;
	for (k = 0; k < i->n_nh; k++)
		if (h <= i->nh[k].upper)
			return k;
	return 0;
}

/*
 * The walk of fib_rules_lookup(): from @r on, the next rule that matches
 * @addr and @fl and sends to a table, gotos followed; NULL at the end
 * (*@act 0) or at a matching rule whose action ends the lookup (*@act
 * FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT or FR_ACT_BLACKHOLE)
 */
static inline const struct rt_rule *rule_next(const struct rt_rule *r,
					      const struct rt_rule *end,
					      const uint8_t *addr,
					      const struct rt_flow *fl, int *act)
{
	const struct rt_rule *q;

	*act = 0;
	for (; r < end; r++) {
		if (!rt__rule_match(r, addr, fl))
			continue;
		switch (r->action) {
		case FR_ACT_TO_TBL:
			return r;
		case FR_ACT_GOTO:	/* on at the target, if it exists */
			for (q = r + 1; q < end && q->priority < r->target; q++)
				;
			if (q < end && q->priority == r->target)
				r = q - 1;
			continue;
		case FR_ACT_UNREACHABLE:
		case FR_ACT_PROHIBIT:
		case FR_ACT_BLACKHOLE:
			*act = r->action;
			return NULL;
		default:	/* FR_ACT_NOP */
			continue;
		}
	}
	return NULL;
}

/*
 * fib_rules_lookup() over family @f's rules for @addr and @fl: the info of
 * the route the first deciding rule found (never a throw route), the
 * no-route info (slot 0) when no rule decides, or the failure of a rule's
 * action (slot 0 too: -ENETUNREACH, -EACCES, -EINVAL).  A table without
 * a match, or whose match is a throw route, or one a rule's
 * suppress_prefixlength discounts, lets the next rule decide
 * (fib4_rule_action(), fib4_rule_suppress()).
 */
static const struct rt__info *rules_lookup(const struct rt_set *s, int f,
					   const uint8_t *addr,
					   const struct rt_flow *fl,
					   const struct rt__table **tbl)
{
	const struct rt_rule *r, *end = s->rules[f] + s->n_rules[f];
	const struct rt__info *i;
	int act;

	for (r = rule_next(s->rules[f], end, addr, fl, &act); r;
	     r = rule_next(r + 1, end, addr, fl, &act)) {
		*tbl = table_find(s, r->table);
		if (!*tbl)
			continue;
		i = rt__trie_find(&(*tbl)->fam[f], s->itab, addr);
		if (!i->slot || i->result == -EAGAIN)
			continue;
		if (i->result > 0 && r->suppress_prefixlen >= 0 &&
		    rt__pfx(&(*tbl)->fam[f], rt__trie_lookup(&(*tbl)->fam[f], addr))->len <=
		    (uint32_t)r->suppress_prefixlen)
			continue;
		return i;
	}
	if (act == FR_ACT_PROHIBIT)
		return s->act_info[0];
	if (act == FR_ACT_BLACKHOLE)
		return s->act_info[1];
	return s->itab[0];
}

/*
 * The rules in turn (@table 0), or table @table alone: the info of the
 * first match that is not a throw route, the no-route info (slot 0) when
 * there is none; never NULL.  *@tbl is the table it is in.  While the
 * rules are the default ones, their tables are searched here at once:
 * Linux's default rules go on with the next table on no match or a throw
 * route (fib4_rule_action()).  @fl NULL is the sandbox's own packet
 * without a source.
 */
RT__HOT const struct rt__info *lookup(const struct rt_set *s, uint32_t table,
					     int f, const uint8_t *addr,
					     const struct rt_flow *fl,
					     const struct rt__table **tbl)
{
	const struct rt__info *i;
	unsigned int k;

	if (!table && !s->rules_plain[f]) {
		struct rt_flow own = { .iif = s->lo_ifindex };

		return rules_lookup(s, f, addr, fl ? fl : &own, tbl);
	}
	if (table) {
		*tbl = table_find(s, table);
		if (!*tbl)
			return s->itab[0];
		i = rt__trie_find(&(*tbl)->fam[f], s->itab, addr);
		return i->result == -EAGAIN ? s->itab[0] : i;
	}
	for (k = 0; k < 3; k++) {
		*tbl = s->fixed[rule_tables[k] - RT_TABLE_DEFAULT_ID];
		if (!*tbl)
			continue;
		i = rt__trie_find(&(*tbl)->fam[f], s->itab, addr);
		if (i->slot && i->result != -EAGAIN)
			return i;
	}
	return s->itab[0];
}

/* A stored next hop's device, gateway family and gateway into @hop */
RT__HOT void hop_copy(struct rt_hop *hop, const struct rt__nh *nh)
{
	_Static_assert(offsetof(struct rt__nh, gw) == offsetof(struct rt__nh, gw_family) + 1 &&
		       offsetof(struct rt_hop, gw) == offsetof(struct rt_hop, gw_family) + 1,
		       "gw_family and gw are copied at once");
	hop->ifindex = nh->ifindex;
	memcpy(&hop->gw_family, &nh->gw_family, 17);
}

/*
 * The body of rt_lookup_fast(), compiled twice.  No branch on whether a
 * route matched: the no-route info answers like any other, and every
 * info has an nh[0] to read.
 */
RT__HOT int lookup_fast(const struct rt_set *s, uint32_t table, int f,
			       const uint8_t *addr, uint32_t flow_hash,
			       struct rt_hop *hop)
{
	const struct rt__table *tbl;
	const struct rt__info *i = lookup(s, table, f, addr, NULL, &tbl);

	hop_copy(hop, &i->nh[i->n_nh > 1 ? nh_select(i, flow_hash) : 0]);
	return i->result;
}

static __attribute__((noinline)) int lookup_fast_plain(const struct rt_set *s,
							uint32_t table, int f,
							const uint8_t *addr,
							uint32_t flow_hash,
							struct rt_hop *hop)
{
	return lookup_fast(s, table, f, addr, flow_hash, hop);
}

#ifdef POPCNT_COPY
/* The same, where the compiler may use the POPCNT instruction: without
 * -mpopcnt, __builtin_popcountll() is a call into libgcc */
__attribute__((target("popcnt"), noinline))
static int lookup_fast_popcnt(const struct rt_set *s, uint32_t table, int f,
			      const uint8_t *addr, uint32_t flow_hash,
			      struct rt_hop *hop)
{
	return lookup_fast(s, table, f, addr, flow_hash, hop);
}
#endif

/**
 * rt_lookup_fast() - route a packet: the per-packet form, copying nothing
 * @s:		set
 * @table:	table id, 0 for the default rules (local, main, default)
 * @family:	AF_INET or AF_INET6
 * @addr:	destination, 4 or 16 bytes
 * @flow_hash:	the flow's hash, for ECMP
 * @hop:	set to the chosen next hop: device, gateway and its family
 *		(all zero on errors)
 *
 * Most lookups in a full table end at a leaf of the flattened first 16
 * or 24 bits, and that case is served here in a few instructions: no
 * call, no popcount, no branch on whether a route matched.  The rest (deeper
 * nodes, the default rules, multipath) goes to a copy of the general
 * lookup, the one built for POPCNT where the CPU has it.
 *
 * Return: the route's type (> 0), or -ENETUNREACH, -EHOSTUNREACH, -EACCES,
 * -EINVAL (blackhole; also for a bad family)
 */
int rt_lookup_fast(const struct rt_set *s, uint32_t table, uint8_t family,
		   const uint8_t *addr, uint32_t flow_hash, struct rt_hop *hop)
{
	int f = family == AF_INET6, ret;
	const struct rt__table *tbl;
	const struct rt__info *i;
	const uint32_t *d16;
	uint32_t e;

	if (family != AF_INET && !f) {
		memset(hop, 0, sizeof(*hop));
		return -EINVAL;
	}
	if (table - RT_TABLE_DEFAULT_ID < 3 && (tbl = s->fixed[table - RT_TABLE_DEFAULT_ID]) &&
	    (d16 = tbl->fam[f].d16)) {
		e = d16[(unsigned int)addr[0] << 8 | addr[1]];
		if (!(e & 1))
			e = rt__d24(&tbl->fam[f], e, addr[2]);
		i = s->itab[e >> 1];
		if ((e & 1) && i->n_nh <= 1) {
			hop_copy(hop, &i->nh[0]);
			ret = i->result;
			return ret == -EAGAIN ? -ENETUNREACH : ret;	/* throw */
		}
	}
#ifdef POPCNT_COPY
	if (s->popcnt)
		return lookup_fast_popcnt(s, table, f, addr, flow_hash, hop);
#endif
	return lookup_fast_plain(s, table, f, addr, flow_hash, hop);
}

/**
 * rt_lookup() - the route a destination would use, copied out
 * @s:		set
 * @table:	table id, 0 for the default rules
 * @family:	AF_INET or AF_INET6
 * @addr:	destination
 * @flow_hash:	for the choice among next hops
 * @res:	filled in on success
 *
 * Return: 0 whatever the route's type, -ENETUNREACH when nothing matches,
 * -EINVAL for bad arguments
 */
static int lookup_copy(const struct rt_set *s, uint32_t table, uint8_t family,
		       const uint8_t *addr, const struct rt_flow *fl,
		       uint32_t flow_hash, struct rt_result *res);

int rt_lookup(const struct rt_set *s, uint32_t table, uint8_t family,
	      const uint8_t *addr, uint32_t flow_hash, struct rt_result *res)
{
	return lookup_copy(s, table, family, addr, NULL, flow_hash, res);
}

/**
 * rt_route() - rt_lookup() through the rules, for a flow
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @addr:	destination
 * @fl:		the flow (NULL: the sandbox's own, no source yet)
 * @flow_hash:	for the choice among next hops
 * @res:	filled in on success
 *
 * Return: 0 whatever the route's type, -ENETUNREACH when no rule finds a
 * route (or an `unreachable` rule), -EACCES (`prohibit` rule), -EINVAL
 * (`blackhole` rule, bad arguments)
 */
int rt_route(const struct rt_set *s, uint8_t family, const uint8_t *addr,
	     const struct rt_flow *fl, uint32_t flow_hash, struct rt_result *res)
{
	return lookup_copy(s, 0, family, addr, fl, flow_hash, res);
}

/**
 * rt_route_fast() - rt_lookup_fast() through the rules, for a flow
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @addr:	destination
 * @fl:		the flow (NULL: the sandbox's own, no source yet)
 * @flow_hash:	the flow's hash, for ECMP
 * @hop:	set to the chosen next hop (all zero on errors)
 *
 * Return: as rt_lookup_fast(), and -ENETUNREACH, -EACCES or -EINVAL for a
 * rule's unreachable, prohibit or blackhole action
 */
int rt_route_fast(const struct rt_set *s, uint8_t family, const uint8_t *addr,
		  const struct rt_flow *fl, uint32_t flow_hash, struct rt_hop *hop)
{
	const struct rt__table *tbl;
	const struct rt__info *i;
	int f = family == AF_INET6;

	if ((family != AF_INET && !f) || s->rules_plain[f])
		return rt_lookup_fast(s, 0, family, addr, flow_hash, hop);
	i = lookup(s, 0, f, addr, fl, &tbl);
	hop_copy(hop, &i->nh[i->n_nh > 1 ? nh_select(i, flow_hash) : 0]);
	return i->result;
}

/* The body of rt_lookup() and rt_route() */
static int lookup_copy(const struct rt_set *s, uint32_t table, uint8_t family,
		       const uint8_t *addr, const struct rt_flow *fl,
		       uint32_t flow_hash, struct rt_result *res)
{
	const struct rt__table *tbl;
	const struct rt__route *q;
	const struct rt__info *i;
	const struct rt__pfx *p;
	int f = rt__fam(family);
	uint32_t id;

	if (!s || f < 0 || !addr || !res)
		return -EINVAL;
	i = lookup(s, table, f, addr, fl, &tbl);
	if (!i->slot)
		return i->result;
	/* the same match again, by id, for its route record */
	id = rt__trie_lookup(&tbl->fam[f], addr);
	p = rt__pfx(&tbl->fam[f], id);
	for (q = p->routes; q->info != *rt__best(&tbl->fam[f], id) || q->tos; q = q->next)
		;
	route_export(tbl, f, p, q, &res->route);
	res->nh = nh_select(q->info, flow_hash);
	return 0;
}

/*
 * fib_table_lookup() for a flow of scope @scope and device @oif (0: any)
 * in tables @tbls[0..@n) together, as one trie shared by local and main
 * holds them (the first table's routes of a prefix before the next's):
 * the longest prefix holding @addr with a route of scope @scope or above
 * and no TOS key, its routes in list order, and of those the first that
 * is not dead and, for @oif, has a live next hop on it.  A reject route
 * met on the way ends the search with its error.
 *
 * Return: 0 with @res filled, -EAGAIN for no route (or a throw route), or
 * the reject route's error
 */
static int scoped_lookup(const struct rt__table *const *tbls, size_t n, int f,
			 const uint8_t *addr, uint8_t scope, uint32_t oif,
			 struct rt_result *res)
{
	unsigned int bytes = f ? 16 : 4, k;
	const struct rt__route *q;
	const struct rt__info *i;
	const struct rt__pfx *p;
	uint8_t dst[16];
	uint32_t id;
	size_t t;
	int len;

	memcpy(dst, addr, bytes);
	for (len = (int)bytes * 8; len >= 0; len--) {
		cut_to(dst, addr, bytes, (unsigned int)len);
		for (t = 0; t < n; t++) {
			if (!tbls[t] ||
			    !(id = rt__trie_get(&tbls[t]->fam[f], dst, (uint8_t)len)))
				continue;
			p = rt__pfx(&tbls[t]->fam[f], id);
			for (q = p->routes; q; q = q->next) {
				i = q->info;
				if (q->tos || i->scope < scope)
					continue;
				if (i->result < 0)
					return i->result;
				if (i->all_dead)
					continue;
				for (k = 0; k < i->n_nh; k++)
					if (!(i->nh[k].flags & RTNH_F_DEAD) &&
					    (!oif || i->nh[k].ifindex == oif))
						break;
				if (i->n_nh && k == i->n_nh)
					continue;
				route_export(tbls[t], f, p, q, &res->route);
				res->nh = i->n_nh ? k : 0;
				return 0;
			}
		}
	}
	return -EAGAIN;
}

/*
 * Whether the packet path's answer @res (rt_lookup() of @table) is also
 * scoped_lookup()'s, so that the walk is not needed (the usual gateway,
 * on a connected route that nothing longer covers): a unicast or local
 * route of scope @scope or above is the best route of the longest prefix
 * that has any usable one, so no longer prefix holds a route the walk
 * would take or stop at, and no route before it in its list either; with
 * @oif, one of its live next hops must be on it (@res->nh is set to
 * it).  Through the default rules the packet path asks local, main and
 * default in turn where Linux asks local and main as one trie, which
 * gives the same route unless local's match is shorter than a host route.
 */
static bool scoped_fast(const struct rt_set *s, uint32_t table, uint8_t scope,
			uint32_t oif, struct rt_result *res)
{
	const struct rt_route *r = &res->route;
	unsigned int k;

	if ((r->type != RTN_UNICAST && r->type != RTN_LOCAL) || r->scope < scope)
		return false;
	if (!table && (!s->rules_plain[0] ||
		       (r->table == RT_TABLE_LOCAL_ID && r->dst_len < 32)))
		return false;
	if (!oif)
		return true;
	for (k = 0; k < r->n_nh; k++)
		if (r->nh[k].ifindex == oif && !(r->nh[k].flags & RTNH_F_DEAD)) {
			res->nh = k;
			return true;
		}
	return false;
}

/**
 * rt_lookup_scoped() - an IPv4 gateway's route, as fib_check_nh_v4_gw()
 *			looks for it: only routes of scope @scope or above
 *			count (link for a route of scope universe: connected
 *			routes and local addresses, not routes through other
 *			gateways), and with @oif only next hops on it
 * @s:		set
 * @table:	the table alone, or 0: through the rules, as fib_lookup()
 *		(while the rules are the default ones, local and main as
 *		one trie, then default)
 * @family:	AF_INET
 * @addr:	the gateway
 * @scope:	the least scope a route may have
 * @oif:	the device the next hop names, 0 for any
 * @res:	filled in on success
 *
 * Where the packet path's lookup gives the same answer it is taken
 * (scoped_fast()); else the prefixes are walked, as route and nexthop
 * changes may afford, not packets.
 *
 * Return: 0, -ENETUNREACH (no such route; a table not there), the error
 * of a reject route or rule found first, -EAGAIN for a table's miss or
 * throw route when @table is given, -EINVAL for bad arguments
 */
int rt_lookup_scoped(const struct rt_set *s, uint32_t table, uint8_t family,
		     const uint8_t *addr, uint8_t scope, uint32_t oif,
		     struct rt_result *res)
{
	const struct rt_flow fl = { .iif = s ? s->lo_ifindex : 0, .oif = oif };
	const struct rt__table *tbls[2];
	const struct rt_rule *r, *end;
	int ret, act;

	if (!s || family != AF_INET || !addr || !res)
		return -EINVAL;
	if ((table || s->rules_plain[0]) &&
	    !rt_lookup(s, table, family, addr, 0, res) &&
	    scoped_fast(s, table, scope, oif, res))
		return 0;
	if (table) {
		tbls[0] = table_find(s, table);
		return tbls[0] ? scoped_lookup(tbls, 1, 0, addr, scope, oif, res) :
				 -ENETUNREACH;
	}
	if (s->rules_plain[0]) {
		tbls[0] = table_find(s, RT_TABLE_LOCAL_ID);
		tbls[1] = table_find(s, RT_TABLE_MAIN_ID);
		ret = scoped_lookup(tbls, 2, 0, addr, scope, oif, res);
		/* any failure, a reject route's too, asks table default,
		 * when it exists, and takes its answer */
		tbls[0] = table_find(s, RT_TABLE_DEFAULT_ID);
		if (ret && tbls[0])
			ret = scoped_lookup(tbls, 1, 0, addr, scope, oif, res);
		return ret == -EAGAIN ? -ENETUNREACH : ret;
	}
	/* __fib_lookup(): the rules as rules_lookup() walks them */
	end = s->rules[0] + s->n_rules[0];
	for (r = rule_next(s->rules[0], end, addr, &fl, &act); r;
	     r = rule_next(r + 1, end, addr, &fl, &act)) {
		tbls[0] = table_find(s, r->table);
		if (!tbls[0])
			continue;
		ret = scoped_lookup(tbls, 1, 0, addr, scope, oif, res);
		if (ret == -EAGAIN)
			continue;
		if (!ret && r->suppress_prefixlen >= 0 &&
		    res->route.dst_len <= (uint32_t)r->suppress_prefixlen)
			continue;
		return ret;
	}
	return act == FR_ACT_PROHIBIT ? -EACCES :
	       act == FR_ACT_BLACKHOLE ? -EINVAL : -ENETUNREACH;
}

/**
 * rt_rule_free_table() - make the table an IPv4 rule given table 0 looks
 *			  up: the first IPv4 table id from 1 that does not
 *			  exist yet (fib_empty_table())
 * @s:		set
 *
 * Return: the id, 0 when there is none (or no memory)
 */
uint32_t rt_rule_free_table(struct rt_set *s)
{
	uint32_t id;

	for (id = 1; id < RT_TABLE_DEFAULT_ID; id++)
		if (!rt_table_exists(s, AF_INET, id))
			return rt__table_made(s, 0, id) ? 0 : id;
	return 0;
}

/* ---- walk ---- */

struct walk {
	const struct rt__table *tbl;
	int f;
	const struct rt_route *after;	/* still to skip past, or NULL */
	const struct rt__info *after_info;
	rt_walk_fn *fn;
	void *arg;
	struct rt_route out;
};

/* The route of @p to resume after: the one equal to w->after, or, when it
 * is gone, the last one sorting with or before its key */
static const struct rt__route *resume_point(const struct walk *w, const struct rt__pfx *p)
{
	const struct rt__route *q, *last = NULL;
	const struct rt_route *a = w->after;

	for (q = p->routes; q; q = q->next)
		if (same_key(q, a->tos, a->priority) && info_equal(q->info, w->after_info))
			return q;
	for (q = p->routes; q && (sorts_before(q, a->tos, a->priority) ||
				  same_key(q, a->tos, a->priority)); q = q->next)
		last = q;
	return last;
}

static int walk_pfx(void *arg, uint32_t id)
{
	struct walk *w = arg;
	const struct rt__pfx *p = rt__pfx(&w->tbl->fam[w->f], id);
	const struct rt__route *q = p->routes;
	int ret;

	if (w->after) {
		if (p->len == w->after->dst_len && !memcmp(p->dst, w->after->dst, w->f ? 16 : 4)) {
			q = resume_point(w, p);
			q = q ? q->next : p->routes;
		}
		w->after = NULL;
	}
	for (; q; q = q->next) {
		route_export(w->tbl, w->f, p, q, &w->out);
		ret = w->fn(w->arg, &w->out);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * rt_walk() - every route in the order Linux dumps them: family (IPv4
 * first), table (order_at(): by id & 255, the newest table first among
 * equals), the prefixes in the order Linux dumps them (rt__trie_walk()),
 * then list order within a prefix (tos descending, metric ascending, then
 * as added: the order Linux dumps fib_alias lists in)
 * @s:		set
 * @table:	0 for all tables
 * @family:	0 for both
 * @after:	NULL, or resume strictly after this route (found by its key
 *		and attributes; if it is gone, after the routes of its key)
 * @fn:		called with each route; non-zero stops the walk
 * @arg:	for @fn
 *
 * The set must not change during the walk.
 * Return: 0, what @fn returned to stop, or -EINVAL for bad arguments
 */
int rt_walk(const struct rt_set *s, uint32_t table, uint8_t family,
	    const struct rt_route *after, rt_walk_fn *fn, void *arg)
{
	struct walk w = { .fn = fn, .arg = arg };
	uint32_t at = 0, id;
	size_t k, k0, m;
	int f, af = 0, ret;

	if (!s || !fn || (family && rt__fam(family) < 0))
		return -EINVAL;
	if (after) {
		if (validate_key(after) || after->n_nh > RT_MAX_NEXTHOPS)
			return -EINVAL;
		at = after->table ? after->table : RT_TABLE_MAIN_ID;
		af = rt__fam(after->family);
		info_build(s->scratch, after);
		w.after_info = s->scratch;
	}
	for (f = after ? af : 0; f < 2; f++) {
		if (family && rt__fam(family) != f)
			continue;
		k0 = 0;
		m = main_pos(s, f);
		/* Tables stay in made[] once there: the one resumed in is. */
		while (after && f == af && k0 < s->n_made[f] + 2 &&
		       order_at(s, f, m, k0) != at)
			k0++;
		for (k = k0; k < s->n_made[f] + 2; k++) {
			id = order_at(s, f, m, k);
			if ((table && id != table) || !(w.tbl = table_find(s, id)))
				continue;
			w.f = f;
			w.after = after && id == at && f == af ? after : NULL;
			ret = rt__trie_walk(&w.tbl->fam[f], w.after ? after->dst : NULL,
					    after ? after->dst_len : 0, walk_pfx, &w);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- devices going down or away ---- */

struct ids {
	uint32_t *v;
	size_t n, cap;
};

static int collect(void *arg, uint32_t id)
{
	struct ids *a = arg;
	uint32_t *v;

	if (a->n == a->cap) {
		v = realloc(a->v, (a->cap ? a->cap * 2 : 64) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = a->cap ? a->cap * 2 : 64;
	}
	a->v[a->n++] = id;
	return 0;
}

static unsigned int nh_on(const struct rt__info *i, uint32_t ifindex)
{
	unsigned int k, on = 0;

	for (k = 0; k < i->n_nh; k++)
		on += i->nh[k].ifindex == ifindex;
	return on;
}

/* @q without its next hops on @ifindex (some remain), in s->scratch */
static const struct rt__info *strip(struct rt_set *s, const struct rt__info *i,
				    uint32_t ifindex)
{
	struct rt__info *m = s->scratch;
	unsigned int k;

	memcpy(m, i, RT__INFO_SIZE(0));
	m->n_nh = 0;
	for (k = 0; k < i->n_nh; k++)
		if (i->nh[k].ifindex != ifindex)
			m->nh[m->n_nh++] = i->nh[k];
	info_finish(m);
	return m;
}

/* What a flush looks for: a device's routes (@ifindex; @gone: the device
 * went, not down), or an address's as preferred source (@addr, and for
 * IPv6 @ifindex, its device) */
struct flush {
	uint32_t ifindex;
	bool gone;
	bool rejects;	/* also the routes without next hops (their dev is lo) */
	const uint8_t *addr;
	uint32_t nhid;			/* rt_nhid_set()'s */
	const struct rt_route *to;
};

typedef void pfx_fn(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
		    const struct flush *x);

/*
 * The routes of prefix @id through @x->ifindex: down (fib_sync_down_dev()
 * and fib_flush() for a device set down) removes those whose next hops
 * all use it, local table excepted but for IPv6 routes other than local
 * ones (the ff00::/8 multicast route: rt6_sync_down_dev()); gone
 * (unregistered) removes them everywhere and takes the device's next hops
 * out of multipath routes.
 */
static void flush_pfx(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
		      const struct flush *x)
{
	uint32_t ifindex = x->ifindex;
	bool gone = x->gone;
	struct rt__route **link = &rt__pfx(&tbl->fam[f], id)->routes;
	unsigned int on;

	while (*link) {
		on = nh_on((*link)->info, ifindex);
		if ((x->rejects && !(*link)->info->n_nh) ||
		    (on && on == (*link)->info->n_nh &&
		     (gone || tbl->id != RT_TABLE_LOCAL_ID ||
		      (*link)->info->type != RTN_LOCAL)) ||
		    (on && gone && route_set_info(s, tbl, f, id, *link,
						  strip(s, (*link)->info, ifindex)))) {
			if (!route_unlink(s, tbl, f, id, link))
				return;
			continue;
		}
		link = &(*link)->next;
	}
}


/* @fn on every prefix of family index @fam (-1: both) in every table,
 * which may unlink routes and prefixes; then the tables left empty go */
static void each_pfx(struct rt_set *s, int fam, pfx_fn *fn, const struct flush *x)
{
	struct ids a = { NULL, 0, 0 };
	size_t k, j;
	int f;

	for (k = 0; k < s->n_tables; k++) {
		for (f = 0; f < 2; f++) {
			if (fam >= 0 && f != fam)
				continue;
			a.n = 0;
			/* out of memory: the prefixes collected so far */
			rt__trie_walk(&s->tables[k]->fam[f], NULL, 0, collect, &a);
			for (j = 0; j < a.n; j++)
				fn(s, s->tables[k], f, a.v[j], x);
		}
	}
	free(a.v);
	for (k = s->n_tables; k-- > 0;)
		table_gc(s, s->tables[k]);
}

/*
 * The routes of prefix @id with preferred source @x->addr: IPv4 ones go
 * (fib_sync_down_addr() and fib_flush()), IPv6 ones through @x->ifindex
 * lose their source (fib6_remove_prefsrc()).
 */
static void prefsrc_pfx(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
			const struct flush *x)
{
	struct rt__route **link = &rt__pfx(&tbl->fam[f], id)->routes;
	const struct rt__info *i;
	struct rt__info *m = s->scratch;

	while (*link) {
		i = (*link)->info;
		if (!i->has_prefsrc || memcmp(i->prefsrc, x->addr, f ? 16 : 4) ||
		    (f && (!i->n_nh || i->nh[0].ifindex != x->ifindex))) {
			link = &(*link)->next;
			continue;
		}
		if (!f) {
			if (!route_unlink(s, tbl, f, id, link))
				return;
			continue;
		}
		memcpy(m, i, RT__INFO_SIZE(i->n_nh));
		m->has_prefsrc = 0;
		memset(m->prefsrc, 0, sizeof(m->prefsrc));
		info_finish(m);
		(void)route_set_info(s, tbl, f, id, *link, m);	/* -ENOMEM: kept */
		link = &(*link)->next;
	}
}

/**
 * rt_flush_prefsrc() - an address is gone: the routes that had it as
 * their preferred source go (IPv4, every table; call it once no device
 * has the address), or lose it (IPv6, the routes through @ifindex, the
 * address's device)
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @addr:	the address
 * @ifindex:	its device (IPv6)
 */
void rt_flush_prefsrc(struct rt_set *s, uint8_t family, const uint8_t *addr,
		      uint32_t ifindex)
{
	struct flush x = { .ifindex = ifindex, .addr = addr };
	int f = rt__fam(family);

	if (s && addr && f >= 0)
		each_pfx(s, f, prefsrc_pfx, &x);
}

/*
 * The routes of prefix @id on nexthop object @x->nhid: gone with it
 * (@x->to NULL), or given its next hops @x->to->nh.  A unicast route
 * becomes a blackhole on a blackhole nexthop (nh_blackhole) and unicast
 * again on another; a route of another type keeps it.
 */
static void nhid_pfx(struct rt_set *s, struct rt__table *tbl, int f, uint32_t id,
		     const struct flush *x)
{
	struct rt__route **link = &rt__pfx(&tbl->fam[f], id)->routes;
	const struct rt__info *i;
	struct rt__info *m = s->scratch;
	unsigned int k;

	while (*link) {
		i = (*link)->info;
		if (i->nhid != x->nhid) {
			link = &(*link)->next;
			continue;
		}
		if (!x->to) {
			if (!route_unlink(s, tbl, f, id, link))
				return;
			continue;
		}
		memcpy(m, i, RT__INFO_SIZE(0));
		if (i->type == RTN_UNICAST || i->nh_blackhole) {
			m->type = x->to->type;
			m->nh_blackhole = x->to->type == RTN_BLACKHOLE;
		}
		/* a local, broadcast... route on what became a blackhole
		 * keeps the next hops it had (it needs one) */
		if (types[m->type].has_nh && !x->to->n_nh) {
			link = &(*link)->next;
			continue;
		}
		m->n_nh = types[m->type].has_nh ? x->to->n_nh : 0;
		memset(m->nh, 0, RT__INFO_ALLOC(m->n_nh) - RT__INFO_SIZE(0));
		for (k = 0; k < m->n_nh; k++) {
			m->nh[k].ifindex = x->to->nh[k].ifindex;
			m->nh[k].weight = x->to->nh[k].weight;
			m->nh[k].flags = x->to->nh[k].flags;
			if (x->to->nh[k].has_gw) {
				m->nh[k].gw_family = x->to->nh[k].gw_family;
				memcpy(m->nh[k].gw, x->to->nh[k].gw, 16);
			}
		}
		info_finish(m);
		(void)route_set_info(s, tbl, f, id, *link, m);	/* -ENOMEM: kept */
		link = &(*link)->next;
	}
}

/**
 * rt_nhid_set() - the routes on nexthop object @nhid follow it: they take
 * the next hops of @to (n_nh, nh[] with weights, and type: RTN_UNICAST,
 * or RTN_BLACKHOLE with none), or go when @to is NULL; each change is
 * told to the listener (RT_EV_NEW, RT_EV_DEL)
 * @s:		set
 * @nhid:	the nexthop object's id
 * @to:		what it is now, NULL once it is gone
 */
void rt_nhid_set(struct rt_set *s, uint32_t nhid, const struct rt_route *to)
{
	struct flush x = { .nhid = nhid, .to = to };

	if (s && nhid && (!to || to->n_nh <= RT_MAX_NEXTHOPS))
		each_pfx(s, -1, nhid_pfx, &x);
}

/**
 * rt_link_flush_family() - every route of @family through @ifindex goes,
 * in every table; multipath routes lose its next hops (IPv6 turned off
 * on the device: rt6_disable_ip()).  For the loopback, the routes without
 * next hops (blackhole, unreachable, prohibit) go too: Linux gives them
 * lo as their device.
 * @s:		set
 * @ifindex:	the device
 * @family:	AF_INET or AF_INET6
 */
void rt_link_flush_family(struct rt_set *s, uint32_t ifindex, uint8_t family)
{
	struct flush x = { .ifindex = ifindex, .gone = true };
	int f = rt__fam(family);

	if (!s || !ifindex || f < 0)
		return;
	x.rejects = ifindex == s->lo_ifindex;
	each_pfx(s, f, flush_pfx, &x);
}

void rt__link_flush(struct rt_set *s, uint32_t ifindex, bool gone)
{
	struct flush x = { .ifindex = ifindex, .gone = gone };

	each_pfx(s, -1, flush_pfx, &x);
}

/* SPDX-License-Identifier: MIT */
/*
 * internal.h - what router/'s files share: the compact stored forms of
 * routes (struct rt__route, struct rt__info, struct rt__pfx), the
 * multibit trie that holds the prefixes of one table and family (trie.c),
 * and the counted allocator behind rt_set_stats().  Nothing outside
 * router/ includes it (the unit test reads stats only through router.h).
 *
 * Storage, in the spirit of Linux's fib_trie (net/ipv4/fib_trie.c): a
 * prefix record (struct rt__pfx, like a fib_alias list's key) holds the
 * list of routes with that destination; each route (like a fib_alias)
 * holds its tos and metric and points to a shared, reference-counted
 * struct rt__info (like a fib_info) with everything else: type, protocol,
 * scope, source, next hops.  A BGP table of 346k prefixes has a few dozen
 * distinct infos, so a route costs its 24-byte record and a share of the
 * prefix record and of the trie.
 */
#ifndef RRS_ROUTER_INTERNAL_H
#define RRS_ROUTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "router.h"

/* The per-packet path's helpers: always inlined, so that the copy of the
 * lookup built for POPCNT (table.c) holds them all */
#define RT__HOT	static inline __attribute__((always_inline))

/**
 * struct rt__nh - a stored next hop
 * @ifindex:	output device
 * @upper:	hash-threshold upper bound (31-bit hash space) as Linux's
 *		fib_nh_upper_bound; -1 for a dead next hop (never chosen)
 * @weight:	1..256
 * @flags:	RTNH_F_*
 * @gw_family:	0 when on-link, else @gw's family (AF_INET6 in an IPv4
 *		route: RTA_VIA); the order of @gw_family and @gw is struct
 *		rt_hop's, so the lookup copies them at once
 * @gw:		gateway, bytes past its family's length zero
 */
struct rt__nh {
	uint32_t ifindex;
	int32_t upper;
	uint16_t weight;
	uint8_t flags;
	uint8_t gw_family;
	uint8_t gw[16];
};

/**
 * struct rt__info - the shared attributes of routes (Linux's fib_info)
 * @hnext:	next in the set's intern hash chain
 * @refs:	routes pointing here
 * @hash:	hash of the fields from @type on
 * @result:	what a lookup ending here returns: @type, or the error of
 *		an unreachable, prohibit or blackhole route (-EAGAIN: throw)
 * @slot:	index in the set's @itab (never 0: that is the no-route info)
 * @type:	RTN_*
 * @protocol:	RTPROT_*
 * @scope:	RT_SCOPE_*
 * @has_prefsrc: whether @prefsrc is set
 * @flags:	rtm_flags
 * @mtu:	RTAX_MTU or 0
 * @n_nh:	number of next hops
 * @all_dead:	every next hop has RTNH_F_DEAD (the route is skipped)
 * @pref:	IPv6 router preference (RTA_PREF)
 * @prefsrc:	preferred source
 * @realm:	RTA_FLOW
 * @nhid:	the nexthop object used, 0 for none
 * @nh_blackhole: unicast, a blackhole for its nexthop object's sake
 * @metrics:	the other RTAX_* metrics (struct rt_route's)
 * @cc_algo:	RTAX_CC_ALGO's name
 * @nh:		the next hops
 *
 * Everything from @type to the end is compared with memcmp() when
 * interning, so infos are built from zeroed memory (no stray padding).
 * Infos are allocated with room for at least one next hop (zeroed when
 * @n_nh is 0), so the lookup reads nh[0] of any info without a branch.
 */
struct rt__info {
	struct rt__info *hnext;
	uint32_t refs;
	uint32_t hash;
	int32_t result;
	uint32_t slot;
	uint8_t type;
	uint8_t protocol;
	uint8_t scope;
	uint8_t has_prefsrc;
	uint32_t flags;
	uint32_t mtu;
	uint16_t n_nh;
	uint8_t all_dead;
	uint8_t pref;
	uint8_t prefsrc[16];
	uint32_t realm;
	uint32_t nhid;
	uint8_t nh_blackhole;
	uint32_t metrics[RT_METRIC_MAX + 1];
	char cc_algo[16];
	struct rt__nh nh[];
};

#define RT__INFO_SIZE(n)	(offsetof(struct rt__info, nh) + (n) * sizeof(struct rt__nh))
#define RT__INFO_ALLOC(n)	RT__INFO_SIZE((n) ? (n) : 1)
#define RT__INFO_MAX		((RT__INFO_SIZE(RT_MAX_NEXTHOPS) + 7) & ~(size_t)7)

/**
 * struct rt__route - one stored route (Linux's fib_alias)
 * @next:	next route of the same prefix, in list order
 * @info:	shared attributes (a counted reference)
 * @priority:	metric
 * @tos:	IPv4 TOS key
 */
struct rt__route {
	struct rt__route *next;
	struct rt__info *info;
	uint32_t priority;
	uint8_t tos;
};

/**
 * struct rt__pfx - a prefix of one table and family, and its routes
 * @routes:	the routes, ordered as Linux's fib_alias lists: tos
 *		descending, then metric ascending, then as the add flags
 *		placed them
 * @len:	prefix length
 * @dst:	the prefix, 4 or 16 bytes (the pool's item size follows)
 */
struct rt__pfx {
	struct rt__route *routes;
	uint8_t len;
	uint8_t dst[];
};

/*
 * Prefix records live in chunks of RT__CHUNK items, found by a 32-bit id
 * (0: none): the lookup structure's leaves are ids, 4 bytes each.  What a
 * lookup needs of a prefix, its best route's info, sits apart in a dense
 * array per chunk (8 bytes a prefix, so a full table's fit in a core's
 * L2 cache), not in the record.
 */
#define RT__CHUNK_SHIFT	12
#define RT__CHUNK	(1u << RT__CHUNK_SHIFT)

/**
 * struct rt__pool - fixed-size records by id
 * @chunks:	chunk pointers
 * @best:	per chunk, per record: what lookups use, the info of the
 *		first route in the list with tos 0 and a live next hop; NULL
 *		when none (the prefix is then absent from the lookup structure)
 * @n_chunks:	allocated chunks
 * @item:	record size in bytes
 * @free_id:	head of the free list (threaded through the records), 0: empty
 * @next_id:	first never-used id
 * @live:	records in use
 */
struct rt__pool {
	char **chunks;
	const struct rt__info ***best;
	uint32_t n_chunks;
	uint32_t item;
	uint32_t free_id;
	uint32_t next_id;
	uint32_t live;
};

/**
 * struct rt__node - a node of the multibit trie: 8 bits of the address
 * @vec:	which of the 256 slots hold a child node
 * @lvec:	which leaf slots start a run of equal leaf values (child slots
 *		are skipped; the first leaf slot always starts one)
 * @vbase:	set bits of @vec in the words before each word
 * @lbase:	the same for @lvec
 * @n_own:	prefixes stored at this node
 * @cap_own:	room in @own
 * @own:	ids of the prefixes ending at this node's level (lengths
 *		8k+1 .. 8k+8 at depth k, and 0 at the root), sorted by
 *		(address byte k, length): the authoritative records
 * @leaves:	one prefix id per run: the longest active prefix covering
 *		the run's slots (0: none), pushed down from above
 * @kids:	the child nodes, in slot order, stored inline
 *
 * This is poptrie's compression (Asai and Ohara, SIGCOMM 2015) with 8-bit
 * strides and leaf pushing; a lookup takes one popcount per level and no
 * comparisons.
 */
struct rt__node {
	uint64_t vec[4];
	uint64_t lvec[4];
	uint8_t vbase[4];
	uint8_t lbase[4];
	uint16_t n_own;
	uint16_t cap_own;
	uint32_t *own;
	uint32_t *leaves;
	struct rt__node *kids;
};

/**
 * struct rt__trie - the prefixes of one table and family
 * @root:	depth 0 (the first address byte)
 * @d16:	NULL, or (with RT__D16_MIN records or more) the first two
 *		levels flattened: by the first 16 address bits, a leaf (the
 *		@slot of the best info of the prefix there, 0 for none, shifted
 *		left with bit 0 set), or 0: go on in the depth-2 node @d16n
 *		holds (4 bytes an entry, so the 256 KiB array stays in L2)
 * @d16n:	with @d16: the depth-2 node of each entry that is not a leaf
 * @d24:	with @d16: the third address byte flattened too, for each /16
 *		that has a depth-2 node: a block of 256 entries, a leaf as in
 *		@d16 or the index (shifted left, bit 0 clear) of the depth-3
 *		child of that node; non-leaf @d16 entries hold the block number
 *		(shifted left).  Blocks come in chunks of RT__D24_CHUNK.
 * @n_d24c:	chunks allocated
 * @d24_next:	first block never used
 * @d24_free:	first free block + 1 (threaded through entry 0), 0: none
 * @dirty24:	with @d16: the /16s whose block needs refreshing (65,536 bits)
 * @dirty24s:	which words of @dirty24 have a bit set
 * @dirty:	first address bytes whose @d16 entries need refreshing
 * @pool:	the prefix records
 * @bytes:	4 or 16: address length
 * @acct:	the set's byte counter
 */
struct rt__trie {
	struct rt__node root;
	uint32_t *d16;
	const struct rt__node **d16n;
	uint32_t **d24;
	uint32_t n_d24c;
	uint32_t d24_next;
	uint32_t d24_free;
	uint64_t *dirty24;
	uint64_t dirty24s[16];
	uint64_t dirty[4];
	struct rt__pool pool;
	uint8_t bytes;
	size_t *acct;
};

/**
 * struct rt__table - one routing table
 * @id:		table id
 * @routes:	routes in both families (the table goes when it reaches 0)
 * @fam:	the IPv4 and IPv6 prefixes
 */
struct rt__table {
	uint32_t id;
	uint32_t routes;
	struct rt__trie fam[2];
};

/**
 * struct rt__addr - an address rt_addr_add() was told of
 * @ifindex:	its device
 * @family:	AF_INET or AF_INET6
 * @plen:	prefix length
 * @has_peer:	a point-to-point address: @peer is the other end
 * @addr:	the address
 * @peer:	the peer's address when @has_peer (zero otherwise)
 * @noprefix:	IFA_F_NOPREFIXROUTE: no connected route (RT_ADDR_NOPREFIXROUTE)
 */
struct rt__addr {
	uint32_t ifindex;
	uint8_t family;
	uint8_t plen;
	bool has_peer;
	bool noprefix;
	uint8_t addr[16];
	uint8_t peer[16];
};

/**
 * struct rt_set - all routing tables
 * @bytes:	heap bytes held, this struct included
 * @routes:	routes in all tables
 * @tables:	tables by ascending id
 * @n_tables:	how many
 * @fixed:	default (253), main (254), local (255) or NULL: the lookup
 *		path finds them without a search
 * @ihash:	interned infos, by hash (power-of-two buckets)
 * @ihash_size:	buckets, 0 when there are no infos
 * @n_info:	infos
 * @itab:	infos by @slot, for the lookups; slot 0 is the no-route info
 *		(result -ENETUNREACH, one zeroed next hop), free slots NULL
 * @itab_size:	slots
 * @ifree:	free slots (a stack, room for @itab_size)
 * @n_ifree:	how many
 * @popcnt:	the CPU has POPCNT: lookups run the copy built for it
 * @scratch:	room for two infos being built (RT__INFO_MAX each)
 * @addrs:	addresses known to rt_addr_add()
 * @n_addrs:	how many
 * @notify:	the listener, or NULL
 * @notify_arg:	its argument
 */
struct rt_set {
	size_t bytes;
	size_t routes;
	struct rt__table **tables;
	size_t n_tables;
	struct rt__table *fixed[3];
	struct rt__info **ihash;
	size_t ihash_size;
	size_t n_info;
	const struct rt__info **itab;
	uint32_t itab_size;
	uint32_t *ifree;
	uint32_t n_ifree;
	bool popcnt;
	struct rt__info *scratch;
	struct rt__addr *addrs;
	size_t n_addrs;
	rt_notify_fn *notify;
	void *notify_arg;
	uint32_t lo_ifindex;	/* rt_set_loopback(), 0 for none */
	/* rule.c: each family's rules by priority; plain while they are
	 * the default ones (lookups then skip them) */
	struct rt_rule *rules[2];
	size_t n_rules[2];
	size_t cap_rules[2];
	bool rules_plain[2];
	rt_rule_notify_fn *rule_notify;
	void *rule_notify_arg;
	const struct rt__info *act_info[2];	/* -EACCES, -EINVAL: no route */
	/* table.c: the ids each family's tables were made with, besides
	 * main and local (Linux's tables stay once made: rt_table_exists()),
	 * in the order Linux dumps them (rt__table_made()) */
	uint32_t *made[2];
	size_t n_made[2];
	size_t cap_made[2];
};

/* table.c, for addr.c */
bool rt__route_exists(const struct rt_set *s, const struct rt_route *m, unsigned int mask);
void rt__link_flush(struct rt_set *s, uint32_t ifindex, bool gone);
/* addr.c, for table.c */
void rt__addrs_free(struct rt_set *s);
/* A family's index in the per-family arrays: 0 IPv4, 1 IPv6, -1 other */
static inline int rt__fam(uint8_t family)
{
	return family == AF_INET ? 0 : family == AF_INET6 ? 1 : -1;
}

/* Whether the first @plen bits of @x and @p agree */
static inline bool rt__prefix_has(const uint8_t *p, const uint8_t *x,
				  unsigned int plen)
{
	unsigned int full = plen / 8, rest = plen % 8;

	if (memcmp(p, x, full))
		return false;
	return !rest || !((p[full] ^ x[full]) & (uint8_t)(0xff << (8 - rest)));
}

/* table.c, for rule.c */
int rt__table_made(struct rt_set *s, int f, uint32_t id);
/* rule.c, for table.c */
int rt__rules_init(struct rt_set *s);
void rt__rules_free(struct rt_set *s);
bool rt__rule_match(const struct rt_rule *r, const uint8_t *dst,
		    const struct rt_flow *fl);

/* Counted allocation: every byte the router holds passes through these. */
void *rt__alloc(size_t *acct, size_t size);
void *rt__zalloc(size_t *acct, size_t size);
void *rt__resize(size_t *acct, void *p, size_t old, size_t size);
void rt__free(size_t *acct, void *p, size_t size);

void rt__trie_init(struct rt__trie *t, uint8_t bytes, size_t *acct);
void rt__trie_fini(struct rt__trie *t);
uint32_t rt__trie_get(const struct rt__trie *t, const uint8_t *dst, uint8_t len);
int rt__trie_add(struct rt__trie *t, const uint8_t *dst, uint8_t len, uint32_t *id);
void rt__trie_remove(struct rt__trie *t, uint32_t id);
void rt__trie_set_best(struct rt__trie *t, uint32_t id, const struct rt__info *best);
int rt__trie_walk(const struct rt__trie *t, const uint8_t *after_dst, int after_len,
		  int (*fn)(void *arg, uint32_t id), void *arg);

#define RT__D16_MIN	4096
#define RT__D24_SHIFT	11	/* 2048 blocks (2 MiB, a huge page) a chunk */
#define RT__D24_CHUNK	(1u << RT__D24_SHIFT)

/* The @d24 entry for address byte @b2 in the block a @d16 entry @e names */
RT__HOT uint32_t rt__d24(const struct rt__trie *t, uint32_t e, uint8_t b2)
{
	return t->d24[e >> (RT__D24_SHIFT + 1)][(e >> 1 & (RT__D24_CHUNK - 1)) << 8 | b2];
}

/**
 * rt__best() - where the best info of a prefix is kept
 * @t:	its trie
 * @id:	a live id
 *
 * Return: the slot
 */
RT__HOT const struct rt__info **rt__best(const struct rt__trie *t, uint32_t id)
{
	return &t->pool.best[id >> RT__CHUNK_SHIFT][id & (RT__CHUNK - 1)];
}

/**
 * rt__pfx() - a prefix record by id
 * @t:	its trie
 * @id:	a live id
 *
 * Return: the record
 */
static inline struct rt__pfx *rt__pfx(const struct rt__trie *t, uint32_t id)
{
	return (struct rt__pfx *)(t->pool.chunks[id >> RT__CHUNK_SHIFT] +
				  (size_t)(id & (RT__CHUNK - 1)) * t->pool.item);
}

/* Set bits of @w at positions 0..@bit */
RT__HOT unsigned int rt__rank(uint64_t w, unsigned int bit)
{
	return (unsigned int)__builtin_popcountll(w & ((2ULL << bit) - 1));
}

/* The longest-prefix match from node @n on, at address byte @addr */
RT__HOT uint32_t rt__node_lookup(const struct rt__node *n, const uint8_t *addr)
{
	unsigned int b, w;

	for (;; addr++) {
		b = *addr;
		w = b >> 6;
		if (!(n->vec[w] >> (b & 63) & 1))
			break;
		n = &n->kids[n->vbase[w] + rt__rank(n->vec[w], b & 63) - 1];
	}
	return n->leaves[n->lbase[w] + rt__rank(n->lvec[w], b & 63) - 1];
}

/**
 * rt__trie_lookup() - longest-prefix match
 * @t:		the trie
 * @addr:	address, @t->bytes long
 *
 * Return: the id of the longest active prefix containing @addr, 0 if none
 */
static inline uint32_t rt__trie_lookup(const struct rt__trie *t, const uint8_t *addr)
{
	return rt__node_lookup(&t->root, addr);
}

/**
 * rt__trie_find() - longest-prefix match, the per-packet form
 * @t:		the trie
 * @itab:	the set's infos by slot
 * @addr:	address, @t->bytes long
 *
 * A full IPv4 table's random lookups end at @d16 (87 %) or @d24 (99.9 %):
 * one or two loads, then two from the few hot infos; no popcount, no
 * NULL check.
 *
 * Return: the best info of the longest active prefix containing @addr,
 * the no-route info (@itab[0]) if none; never NULL
 */
RT__HOT const struct rt__info *rt__trie_find(const struct rt__trie *t,
						   const struct rt__info *const *itab,
						   const uint8_t *addr)
{
	const struct rt__node *n = &t->root;
	unsigned int x;
	uint32_t e, id;

	if (t->d16) {
		x = (unsigned int)addr[0] << 8 | addr[1];
		e = t->d16[x];
		if (!(e & 1))
			e = rt__d24(t, e, addr[2]);
		if (e & 1)
			return itab[e >> 1];
		n = &t->d16n[x]->kids[e >> 1];
		addr += 3;
	}
	id = rt__node_lookup(n, addr);
	return id ? *rt__best(t, id) : itab[0];
}

#endif /* RRS_ROUTER_INTERNAL_H */

/* SPDX-License-Identifier: MIT */
/*
 * fibtrie.c - the level-compressed trie Linux keeps for each IPv4 routing
 * table (net/ipv4/fib_trie.c), built from a table's routes, printed as
 * /proc/net/fib_trie and /proc/net/fib_triestat print it (Linux 6.18), and
 * freed.  procnet_files.c builds one per table at each open of those
 * files and hands it the routes; nothing is kept between opens, and the
 * router keeps nothing for it.  It knows nothing of the router or lwIP.
 *
 * Theory of operation.  The trie has leaves, one per distinct prefix
 * address, holding that address's routes (aliases) in the order given,
 * and internal nodes.  An internal node looks at @bits bits of the key
 * from bit @pos up (bit 0 the least significant); its key holds the bits
 * above them, which all keys below it share, and zeros below.  A child
 * slot is empty, a leaf, or a node; a child node is "full" when it looks
 * at the bits just below its parent's (no bits skipped between them).
 * Each node counts its empty slots and its full children: the two
 * numbers the file prints after the node's bits, and what decides its
 * size.  Keys go in one at a time, as the kernel's route adds do:
 *
 *   insert	walk down while the key agrees with the nodes' shared bits;
 *		at an empty slot, the leaf goes there; at a leaf or node
 *		that disagrees, a new two-way node at the highest differing
 *		bit takes it and the new leaf.
 *   rebalance	from the node the leaf went into up to the root, each node
 *		is resized: doubled (one more bit, one position lower) while
 *		the doubled node would have half its slots used (full
 *		children count twice, as doubling splits them), 30% for the
 *		root; if it did not double, it is halved while fewer than a
 *		quarter (the root: 15%) of its slots are used, and then, left
 *		with one child or none, gives its place to that child.  At
 *		most ten doublings or halvings per node and pass.  Doubling
 *		splits a full child in two (or, for a one-bit child, takes
 *		its two children), halving pairs neighbouring slots under a
 *		new one-bit node; both then resize the new full children.
 *
 * The shape is therefore the one a kernel reaches from an empty table
 * with these keys added in ascending order, those of the addresses'
 * routes first (a kernel has the loopback's and the devices' addresses
 * before the routes of a configuration or a routing daemon: a node that
 * was the root once, with the root's lower threshold, can keep the size
 * it grew to there).  Linux's own shape also
 * depends on its history: deletions resize the nodes on the deleted
 * key's path only, a key added before another can leave a node
 * differently sized, and the main table of a kernel whose first custom
 * rule came after its addresses keeps the shape of the merged local and
 * main trie less the local leaves (fib_unmerge()).  Equal key sets built
 * in order give equal files.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include "fibtrie.h"

/* the resize rules' numbers, percentages of a node's slots (Linux 6.18) */
#define GROW_PCT	50	/* double while the doubled node is this full */
#define GROW_PCT_ROOT	30
#define SHRINK_PCT	25	/* halve while less full than this */
#define SHRINK_PCT_ROOT	15
#define RESIZE_MAX	10	/* doublings or halvings per node and pass */

/* The sizes fib_triestat reports, an x86-64 kernel's: a leaf (struct
 * tnode with one slot), a node without its slots, a fib_alias, a slot */
#define K_LEAF_SIZE	48
#define K_TNODE_SIZE	40
#define K_ALIAS_SIZE	56
#define K_PTR_SIZE	8

#define STAT_BITS	32	/* node sizes counted, as MAX_STAT_DEPTH */

/**
 * struct fnode - a leaf or an internal node
 * @key:	a leaf's address; a node's shared bits, zero from @pos up
 *		to @pos + @bits - 1 and below
 * @pos:	the lowest bit a node looks at (0 for a leaf)
 * @bits:	how many it looks at; 0 for a leaf
 * @parent:	the node holding this one, NULL for the root
 * @empty:	a node's empty slots
 * @full:	a node's full children
 * @first:	a leaf's first alias (index into the trie's @a)
 * @count:	a leaf's number of aliases
 * @child:	a node's 1 << @bits slots
 */
struct fnode {
	uint32_t key;
	uint8_t pos;
	uint8_t bits;
	struct fnode *parent;
	uint64_t empty;
	uint64_t full;
	size_t first;
	size_t count;
	struct fnode *child[];
};

/**
 * struct fibtrie - one table's trie
 * @root:	the root node or leaf, NULL for an empty table
 * @a:		the aliases the leaves index (the caller's array)
 * @err:	0, or -ENOMEM once an allocation failed
 */
struct fibtrie {
	struct fnode *root;
	const struct fibtrie_alias *a;
	int err;
};

static uint64_t slots(const struct fnode *n)
{
	return n->bits ? (uint64_t)1 << n->bits : 0;
}

/* Which slot of node @n key @key goes to; >= slots(n) when @key does not
 * share @n's upper bits (or, @n a leaf, is not its key) */
static uint64_t index_of(const struct fnode *n, uint32_t key)
{
	return (uint64_t)(key ^ n->key) >> n->pos;
}

static bool is_full(const struct fnode *tn, const struct fnode *n)
{
	return n && n->bits && n->pos + n->bits == tn->pos;
}

static struct fnode *node_new(struct fibtrie *t, uint32_t key,
			      unsigned int pos, unsigned int bits)
{
	unsigned int top = pos + bits;
	struct fnode *n;

	n = calloc(1, sizeof(*n) + sizeof(n->child[0]) * ((size_t)1 << bits));
	if (!n) {
		t->err = -ENOMEM;
		return NULL;
	}
	n->key = top < 32 ? key >> top << top : 0;
	n->pos = pos;
	n->bits = bits;
	n->empty = (uint64_t)1 << bits;
	return n;
}

/* Set slot @i of @tn to @n, keeping @tn's counts (not @n's parent) */
static void put(struct fnode *tn, uint64_t i, struct fnode *n)
{
	struct fnode *old = tn->child[i];

	if (old && !n)
		tn->empty++;
	else if (!old && n)
		tn->empty--;
	tn->full -= is_full(tn, old);
	tn->full += is_full(tn, n);
	tn->child[i] = n;
}

/* Put @n where the child of @tp (NULL: the root) with key @key is */
static void put_at(struct fibtrie *t, struct fnode *tp, uint32_t key,
		   struct fnode *n)
{
	if (tp)
		put(tp, index_of(tp, key), n);
	else
		t->root = n;
}

/*
 * The children of a node just made point to it.  Nodes made with it
 * (the halves and pairs of inflate() and halve()) already do: their own
 * children are pointed at them in turn.
 */
static void adopt(struct fnode *tn)
{
	struct fnode *c;
	uint64_t i;

	for (i = 0; i < slots(tn); i++) {
		c = tn->child[i];
		if (!c)
			continue;
		if (c->parent == tn)
			adopt(c);
		else
			c->parent = tn;
	}
}

/* Free @tn, made by inflate() or halve() and not used, with the nodes
 * made with it; the old nodes it holds are left alone */
static void drop_new(struct fnode *tn)
{
	uint64_t i;

	for (i = 0; i < slots(tn); i++)
		if (tn->child[i] && tn->child[i]->parent == tn)
			free(tn->child[i]);
	free(tn);
}

static struct fnode *resize(struct fibtrie *t, struct fnode *tn);

/* @tn takes @old's place; its full children are resized in turn, from
 * the last slot down */
static void replace(struct fibtrie *t, struct fnode *old, struct fnode *tn)
{
	struct fnode *tp = old->parent;
	uint64_t i;

	tn->parent = tp;
	put_at(t, tp, tn->key, tn);
	adopt(tn);
	free(old);
	for (i = slots(tn); i--;)
		if (is_full(tn, tn->child[i]))
			resize(t, tn->child[i]);
}

/* Split full child @c of @old into two halves in slots 2i, 2i + 1 of
 * @tn, its doubled form; a one-bit child's own children go there */
static int split_child(struct fibtrie *t, struct fnode *tn,
		       const struct fnode *c, uint64_t i)
{
	struct fnode *lo, *hi;
	uint64_t half = slots(c) / 2, j;

	if (c->bits == 1) {
		put(tn, 2 * i + 1, c->child[1]);
		put(tn, 2 * i, c->child[0]);
		return 0;
	}
	/* the bit @c's slots lose is @tn's lowest: 1 in @hi's key */
	hi = node_new(t, c->key | (uint32_t)1 << tn->pos, c->pos, c->bits - 1);
	lo = node_new(t, c->key, c->pos, c->bits - 1);
	if (!hi || !lo) {
		free(hi);
		free(lo);
		return -ENOMEM;
	}
	hi->parent = lo->parent = tn;
	for (j = 0; j < half; j++) {
		put(lo, j, c->child[j]);
		put(hi, j, c->child[half + j]);
	}
	put(tn, 2 * i + 1, hi);
	put(tn, 2 * i, lo);
	return 0;
}

/* Double @old: one bit more, from one position lower (inflate()) */
static int inflate(struct fibtrie *t, struct fnode *old)
{
	struct fnode *tn, *c;
	uint64_t i;

	tn = node_new(t, old->key, old->pos - 1, old->bits + 1);
	if (!tn)
		return -ENOMEM;
	for (i = slots(old); i--;) {
		c = old->child[i];
		if (!c)
			continue;
		if (!is_full(old, c)) {
			put(tn, index_of(tn, c->key), c);
		} else if (split_child(t, tn, c, i)) {
			drop_new(tn);
			return -ENOMEM;
		}
	}
	/* the split children are replaced by their halves */
	for (i = 0; i < slots(old); i++)
		if (is_full(old, old->child[i]))
			free(old->child[i]);
	replace(t, old, tn);
	return 0;
}

/* Halve @old: one bit less, from one position higher, two neighbouring
 * children under a new one-bit node (halve()) */
static int halve(struct fibtrie *t, struct fnode *old)
{
	struct fnode *tn, *lo, *hi, *pair;
	uint64_t i;

	tn = node_new(t, old->key, old->pos + 1, old->bits - 1);
	if (!tn)
		return -ENOMEM;
	for (i = slots(old); i;) {
		hi = old->child[--i];
		lo = old->child[--i];
		if (!hi || !lo) {
			put(tn, i / 2, hi ? hi : lo);
			continue;
		}
		pair = node_new(t, lo->key, old->pos, 1);
		if (!pair) {
			drop_new(tn);
			return -ENOMEM;
		}
		pair->parent = tn;
		put(pair, 1, hi);
		put(pair, 0, lo);
		put(tn, i / 2, pair);
	}
	replace(t, old, tn);
	return 0;
}

/* @tn, with one child or none, gives its place to it (collapse()) */
static void collapse(struct fibtrie *t, struct fnode *tn)
{
	struct fnode *tp = tn->parent, *n = NULL;
	uint64_t i;

	for (i = slots(tn); !n && i--;)
		n = tn->child[i];
	put_at(t, tp, tn->key, n);
	if (n)
		n->parent = tp;
	free(tn);
}

static bool should_grow(const struct fnode *tp, const struct fnode *tn)
{
	uint64_t len = slots(tn), used = len - tn->empty + tn->full;

	return used > 1 && tn->pos &&
	       50 * used >= len * (tp ? GROW_PCT : GROW_PCT_ROOT);
}

static bool should_shrink(const struct fnode *tp, const struct fnode *tn)
{
	uint64_t len = slots(tn), used = len - tn->empty;

	return used > 1 && tn->bits > 1 &&
	       100 * used < len * (tp ? SHRINK_PCT : SHRINK_PCT_ROOT);
}

/*
 * resize() - the rebalance step of one node: double, else halve, then
 *	      collapse, as the theory of operation says
 * @t:		trie
 * @tn:		the node
 *
 * Return: the node's parent, NULL at the root
 */
static struct fnode *resize(struct fibtrie *t, struct fnode *tn)
{
	struct fnode *tp = tn->parent;
	struct fnode **at = tp ? &tp->child[index_of(tp, tn->key)] : &t->root;
	int work = RESIZE_MAX;

	while (work && should_grow(tp, tn) && !inflate(t, tn)) {
		work--;
		tn = *at;
	}
	if (work != RESIZE_MAX)
		return tp;
	while (work && should_shrink(tp, tn) && !halve(t, tn)) {
		work--;
		tn = *at;
	}
	if (slots(tn) - tn->empty < 2)
		collapse(t, tn);
	return tp;
}

/* Index of the highest bit set in @x, not 0 */
static unsigned int high_bit(uint32_t x)
{
	return 31 - (unsigned int)__builtin_clz(x);
}

/*
 * insert() - add a leaf for @key, not in the trie yet (fib_insert_node())
 * @t:		trie
 * @key:	the address
 * @first:	its first alias in @t->a
 * @count:	how many it has
 *
 * Return: 0, -EEXIST when @key has a leaf already, or -ENOMEM
 */
static int insert(struct fibtrie *t, uint32_t key, size_t first, size_t count)
{
	struct fnode *tp = NULL, *n = t->root, *l, *tn;

	while (n && n->bits && !(index_of(n, key) >> n->bits)) {
		tp = n;
		n = n->child[index_of(n, key)];
	}
	if (n && n->key == key && !n->bits)
		return -EEXIST;		/* fibtrie_new() groups keys */
	l = node_new(t, key, 0, 0);
	if (!l)
		return -ENOMEM;
	l->key = key;
	l->empty = 0;
	l->first = first;
	l->count = count;
	if (n) {
		/* @n disagrees with @key: both go under a node at the
		 * highest bit where they differ */
		tn = node_new(t, key, high_bit(key ^ n->key), 1);
		if (!tn) {
			free(l);
			return -ENOMEM;
		}
		tn->parent = tp;
		put(tn, index_of(tn, key) ^ 1, n);
		put_at(t, tp, key, tn);
		n->parent = tn;
		tp = tn;
	}
	l->parent = tp;
	put_at(t, tp, key, l);
	while (tp)
		tp = resize(t, tp);
	return t->err;
}

static void free_tree(struct fnode *n)
{
	uint64_t i;

	if (!n)
		return;
	for (i = 0; i < slots(n); i++)
		free_tree(n->child[i]);
	free(n);
}

/* Whether the leaf of @a[@i..@j) goes in on the first pass */
static bool early(const struct fibtrie_alias *a, size_t i, size_t j)
{
	for (; i < j; i++)
		if (a[i].early)
			return true;
	return false;
}

/**
 * fibtrie_new() - a table's trie: the leaves with an early alias added
 *		   in ascending order, then the others
 * @a:		the table's routes, by ascending @key; those of one key
 *		together, in the order its leaf lists them (longest prefix
 *		first, then as Linux orders a fib_alias list: table id
 *		descending, TOS descending, metric ascending, as added).
 *		Kept by the trie until fibtrie_free().
 * @n:		how many
 * @out:	the trie, to free with fibtrie_free()
 *
 * Return: 0, -EINVAL when @a is not in key order, or -ENOMEM
 */
int fibtrie_new(const struct fibtrie_alias *a, size_t n, struct fibtrie **out)
{
	struct fibtrie *t;
	size_t i, j;
	int pass, ret = 0;

	if (!out || (n && !a))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->a = a;
	for (pass = 0; pass < 2 && !ret; pass++) {
		for (i = 0; i < n && !ret; i = j) {
			for (j = i + 1; j < n && a[j].key == a[i].key; j++)
				;
			if (j < n && a[j].key < a[i].key)
				ret = -EINVAL;
			else if (early(a, i, j) == !pass)
				ret = insert(t, a[i].key, i, j - i);
		}
	}
	if (ret) {
		fibtrie_free(t);
		return ret;
	}
	*out = t;
	return 0;
}

/**
 * fibtrie_free() - free a trie of fibtrie_new()
 * @t:		the trie, or NULL
 */
void fibtrie_free(struct fibtrie *t)
{
	if (!t)
		return;
	free_tree(t->root);
	free(t);
}

/* fib_table_print()'s header: the id is printed signed, as Linux does */
static void table_head(uint32_t table, FILE *f)
{
	if (table == RT_TABLE_LOCAL)
		fputs("Local:\n", f);
	else if (table == RT_TABLE_MAIN)
		fputs("Main:\n", f);
	else
		fprintf(f, "Id %d:\n", (int)table);
}

static void indent(unsigned int depth, FILE *f)
{
	while (depth--)
		fputs("   ", f);
}

static const char *scope_name(uint8_t scope, char *buf, size_t len)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return "universe";
	case RT_SCOPE_SITE:
		return "site";
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_HOST:
		return "host";
	case RT_SCOPE_NOWHERE:
		return "nowhere";
	}
	snprintf(buf, len, "scope=%d", scope);
	return buf;
}

static const char *type_name(uint8_t type, char *buf, size_t len)
{
	static const char *const names[] = {
		"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST",
		"MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW",
		"NAT", "XRESOLVE",
	};

	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	snprintf(buf, len, "type %u", type);
	return buf;
}

static void addr(uint32_t key, char *buf)
{
	uint32_t be = htonl(key);

	inet_ntop(AF_INET, &be, buf, INET_ADDRSTRLEN);
}

/* One node and what is below it, @depth nodes down from the root:
 * fib_trie_seq_show()'s lines */
static void show(const struct fibtrie *t, const struct fnode *n,
		 unsigned int depth, FILE *f)
{
	char ip[INET_ADDRSTRLEN], b1[32], b2[32];
	const struct fibtrie_alias *fa;
	uint64_t i;

	addr(n->key, ip);
	if (n->bits) {
		indent(depth, f);
		fprintf(f, "  +-- %s/%u %u %llu %llu\n", ip, 32 - n->pos - n->bits,
			n->bits, (unsigned long long)n->full,
			(unsigned long long)n->empty);
		for (i = 0; i < slots(n); i++)
			if (n->child[i])
				show(t, n->child[i], depth + 1, f);
		return;
	}
	indent(depth, f);
	fprintf(f, "  |-- %s\n", ip);
	for (fa = &t->a[n->first]; fa < &t->a[n->first + n->count]; fa++) {
		indent(depth + 1, f);
		fprintf(f, "  /%u %s %s", fa->plen,
			scope_name(fa->scope, b1, sizeof(b1)),
			type_name(fa->type, b2, sizeof(b2)));
		if (fa->tos)
			fprintf(f, " tos=%d", fa->tos);
		fputc('\n', f);
	}
}

/**
 * fibtrie_show() - print a table as /proc/net/fib_trie does: its
 *		       header and nodes, nothing for an empty table
 * @t:		its trie
 * @table:	its id (the header: "Main:", "Local:", "Id N:")
 * @f:		where
 */
void fibtrie_show(const struct fibtrie *t, uint32_t table, FILE *f)
{
	if (!t || !t->root)
		return;
	table_head(table, f);
	show(t, t->root, 0, f);
}

/**
 * struct trie_stat - what fib_triestat reports of a trie
 * @totdepth:	the leaves' depths, summed
 * @maxdepth:	the deepest leaf's
 * @tnodes:	internal nodes
 * @leaves:	leaves
 * @nullptrs:	empty slots
 * @prefixes:	aliases
 * @sizes:	internal nodes by their bits
 */
struct trie_stat {
	unsigned int totdepth;
	unsigned int maxdepth;
	unsigned int tnodes;
	unsigned int leaves;
	unsigned int nullptrs;
	unsigned int prefixes;
	unsigned int sizes[STAT_BITS];
};

static void collect(const struct fnode *n, unsigned int depth,
		    struct trie_stat *s)
{
	uint64_t i;

	if (!n->bits) {
		s->leaves++;
		s->totdepth += depth;
		if (depth > s->maxdepth)
			s->maxdepth = depth;
		s->prefixes += (unsigned int)n->count;
		return;
	}
	s->tnodes++;
	if (n->bits < STAT_BITS)
		s->sizes[n->bits]++;
	s->nullptrs += (unsigned int)n->empty;
	for (i = 0; i < slots(n); i++)
		if (n->child[i])
			collect(n->child[i], depth + 1, s);
}

/**
 * fibtrie_stat_head() - fib_triestat's first line: the kernel's sizes
 * @f:		where
 */
void fibtrie_stat_head(FILE *f)
{
	fprintf(f, "Basic info: size of leaf: %d bytes, size of tnode: %d bytes.\n",
		K_LEAF_SIZE, K_TNODE_SIZE);
}

/**
 * fibtrie_stat() - print a table's entry of /proc/net/fib_triestat
 *		       (trie_show_stats()): every table has one, empty too
 * @t:		its trie
 * @table:	its id
 * @f:		where
 */
void fibtrie_stat(const struct fibtrie *t, uint32_t table, FILE *f)
{
	struct trie_stat s = { 0 };
	unsigned int i, top, ptrs = 0, bytes, avg;

	if (t && t->root)
		collect(t->root, 0, &s);
	table_head(table, f);
	avg = s.leaves ? s.totdepth * 100 / s.leaves : 0;
	fprintf(f, "\tAver depth:     %u.%02u\n", avg / 100, avg % 100);
	fprintf(f, "\tMax depth:      %u\n", s.maxdepth);
	fprintf(f, "\tLeaves:         %u\n", s.leaves);
	fprintf(f, "\tPrefixes:       %u\n", s.prefixes);
	fprintf(f, "\tInternal nodes: %u\n\t", s.tnodes);
	for (top = STAT_BITS; top && !s.sizes[top - 1]; top--)
		;
	for (i = 1; i < top; i++) {
		if (!s.sizes[i])
			continue;
		fprintf(f, "  %u: %u", i, s.sizes[i]);
		ptrs += (1u << i) * s.sizes[i];
	}
	fputc('\n', f);
	fprintf(f, "\tPointers: %u\n", ptrs);
	/* in unsigned int, as the kernel sums them */
	bytes = K_LEAF_SIZE * s.leaves + K_ALIAS_SIZE * s.prefixes +
		K_TNODE_SIZE * s.tnodes + K_PTR_SIZE * ptrs;
	fprintf(f, "Null ptrs: %u\n", s.nullptrs);
	fprintf(f, "Total size: %u  kB\n", (bytes + 1023) / 1024);
}

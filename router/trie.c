/* SPDX-License-Identifier: MIT */
/*
 * trie.c - the prefixes of one table and family: a multibit trie with
 * 8-bit strides whose nodes are compressed with bitmaps (poptrie-style),
 * holding both the authoritative prefix records and a leaf-pushed lookup
 * structure.  Called by table.c only; knows routes only as prefix ids
 * whose record says whether they are active (have a usable route).
 *
 * Theory of operation:
 * - A prefix of length L lives at depth k = (L - 1) / 8 (length 0 at the
 *   root), in that node's sorted list of ids (@own); the nodes on its path
 *   exist as long as a record lies beneath them, and no longer.
 * - Every leaf slot of every node holds the id of the longest active
 *   prefix covering the slot's whole range (leaf pushing), compressed into
 *   runs.  So a lookup follows child bits down and reads one leaf: one
 *   popcount per address byte, no comparisons, no backtracking.
 * - Activating a prefix writes its id into the 2^(8(k+1)-L) slots it
 *   covers at depth k, wherever the slot's current prefix is not longer,
 *   and down every child node in that range (controlled prefix expansion).
 *   Deactivating writes the next longest active covering prefix back where
 *   the id was.  Each touched node is unpacked to 256 slots and packed
 *   again, so an update costs O(256) per node touched, never a rebuild.
 * - Nodes are stored inline in their parent's child array (one cache
 *   line fetch per level); adding or removing a child reallocates that
 *   array, so no pointer to a node is kept across such a change.
 * - With RT__D16_MIN records or more, the first two levels are also
 *   flattened into 65,536 entries (poptrie's direct pointing), each the
 *   best info of the prefix covering that /16 or the depth-2 node to go
 *   on with; updates mark the first bytes they touched and d16_sync()
 *   rewrites those 256-entry blocks.  A full IPv4 table's random lookups
 *   mostly end there, with one load from a 512 KiB array.
 *
 * Allocation failures inside the trie (node arrays) abort(): they happen
 * midway through updates that cannot be undone cheaply, and a supervisor
 * out of memory cannot go on anyway.  Record allocation, the only one per
 * new prefix that can fail first, returns -ENOMEM before anything changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SLOTS		256
#define D16_BYTES	((size_t)65536 * sizeof(uintptr_t))

static inline unsigned int depth_of(unsigned int len)
{
	return len ? (len - 1) >> 3 : 0;
}

static inline bool is_kid(const struct rt__node *n, unsigned int s)
{
	return n->vec[s >> 6] >> (s & 63) & 1;
}

static inline unsigned int n_kids(const struct rt__node *n)
{
	return n->vbase[3] + (unsigned int)__builtin_popcountll(n->vec[3]);
}

static inline unsigned int n_leaves(const struct rt__node *n)
{
	return n->lbase[3] + (unsigned int)__builtin_popcountll(n->lvec[3]);
}

/* Index in @n->kids of the child at slot @s (which must be one) */
static inline unsigned int kid_index(const struct rt__node *n, unsigned int s)
{
	return n->vbase[s >> 6] + rt__rank(n->vec[s >> 6], s & 63) - 1;
}

static inline struct rt__node *kid_at(const struct rt__node *n, unsigned int s)
{
	return &n->kids[kid_index(n, s)];
}

static void bases(const uint64_t v[4], uint8_t b[4])
{
	b[0] = 0;
	b[1] = (uint8_t)__builtin_popcountll(v[0]);
	b[2] = (uint8_t)(b[1] + __builtin_popcountll(v[1]));
	b[3] = (uint8_t)(b[2] + __builtin_popcountll(v[2]));
}

/* ---- counted allocation ---- */

void *rt__alloc(size_t *acct, size_t size)
{
	void *p = malloc(size);

	if (p)
		*acct += size;
	return p;
}

void *rt__zalloc(size_t *acct, size_t size)
{
	void *p = calloc(1, size);

	if (p)
		*acct += size;
	return p;
}

/**
 * rt__resize() - reallocate a counted block; abort() when memory is out
 * @acct:	byte counter
 * @p:		block or NULL
 * @old:	its size
 * @size:	new size; 0 frees the block
 *
 * Return: the block, NULL when @size is 0
 */
void *rt__resize(size_t *acct, void *p, size_t old, size_t size)
{
	void *q;

	if (!size) {
		rt__free(acct, p, old);
		return NULL;
	}
	q = realloc(p, size);
	if (!q)
		abort();
	*acct += size;
	*acct -= old;
	return q;
}

void rt__free(size_t *acct, void *p, size_t size)
{
	if (!p)
		return;
	*acct -= size;
	free(p);
}

/* ---- prefix records ---- */

static int pool_get(struct rt__trie *t, uint32_t *id)
{
	struct rt__pool *p = &t->pool;
	const struct rt__info ***b;
	uint32_t i, n;
	char **c;

	if (p->free_id) {
		i = p->free_id;
		memcpy(&p->free_id, rt__pfx(t, i), sizeof(uint32_t));
	} else {
		if (!p->next_id)
			p->next_id = 1;	/* id 0 means "no prefix" */
		i = p->next_id;
		n = p->n_chunks;
		if ((i >> RT__CHUNK_SHIFT) >= n) {
			c = rt__alloc(t->acct, (n + 1) * sizeof(*c));
			b = rt__alloc(t->acct, (n + 1) * sizeof(*b));
			if (c)
				c[n] = rt__alloc(t->acct, (size_t)RT__CHUNK * p->item);
			if (b)
				b[n] = rt__alloc(t->acct, RT__CHUNK * sizeof(**b));
			if (!c || !b || !c[n] || !b[n]) {
				if (c)
					rt__free(t->acct, c[n], (size_t)RT__CHUNK * p->item);
				if (b)
					rt__free(t->acct, b[n], RT__CHUNK * sizeof(**b));
				rt__free(t->acct, c, (n + 1) * sizeof(*c));
				rt__free(t->acct, b, (n + 1) * sizeof(*b));
				return -ENOMEM;
			}
			if (n) {
				memcpy(c, p->chunks, n * sizeof(*c));
				memcpy(b, p->best, n * sizeof(*b));
			}
			rt__free(t->acct, p->chunks, n * sizeof(*c));
			rt__free(t->acct, p->best, n * sizeof(*b));
			p->chunks = c;
			p->best = b;
			p->n_chunks++;
		}
		p->next_id++;
	}
	p->live++;
	memset(rt__pfx(t, i), 0, p->item);
	*rt__best(t, i) = NULL;
	*id = i;
	return 0;
}

static void pool_free(struct rt__trie *t)
{
	struct rt__pool *p = &t->pool;
	uint32_t i;

	for (i = 0; i < p->n_chunks; i++) {
		rt__free(t->acct, p->chunks[i], (size_t)RT__CHUNK * p->item);
		rt__free(t->acct, p->best[i], RT__CHUNK * sizeof(**p->best));
	}
	rt__free(t->acct, p->chunks, p->n_chunks * sizeof(*p->chunks));
	rt__free(t->acct, p->best, p->n_chunks * sizeof(*p->best));
	p->chunks = NULL;
	p->best = NULL;
	p->n_chunks = p->free_id = p->next_id = 0;
}

static void pool_put(struct rt__trie *t, uint32_t id)
{
	struct rt__pool *p = &t->pool;

	memcpy(rt__pfx(t, id), &p->free_id, sizeof(uint32_t));
	p->free_id = id;
	/* Empty: give everything back, so stats return to their start. */
	if (!--p->live)
		pool_free(t);
}

/* ---- nodes ---- */

static void leaves_unpack(const struct rt__node *n, uint32_t val[SLOTS])
{
	unsigned int s, run = 0;
	uint32_t v = 0;

	for (s = 0; s < SLOTS; s++) {
		if (is_kid(n, s)) {
			val[s] = 0;
			continue;
		}
		if (n->lvec[s >> 6] >> (s & 63) & 1)
			v = n->leaves[run++];
		val[s] = v;
	}
}

/* Store the leaf slots of @val as runs, given @n->vec */
static void leaves_pack(struct rt__trie *t, struct rt__node *n, const uint32_t val[SLOTS])
{
	uint64_t lvec[4] = { 0 };
	uint32_t runs[SLOTS];
	unsigned int s, k = 0, old = n_leaves(n);

	for (s = 0; s < SLOTS; s++) {
		if (is_kid(n, s))
			continue;
		if (!k || val[s] != runs[k - 1]) {
			lvec[s >> 6] |= 1ULL << (s & 63);
			runs[k++] = val[s];
		}
	}
	if (k != old)
		n->leaves = rt__resize(t->acct, n->leaves, old * sizeof(uint32_t),
				       k * sizeof(uint32_t));
	if (k)
		memcpy(n->leaves, runs, k * sizeof(uint32_t));
	memcpy(n->lvec, lvec, sizeof(lvec));
	bases(n->lvec, n->lbase);
}

/* A node with one run of value @v and nothing else */
static void node_init(struct rt__trie *t, struct rt__node *n, uint32_t v)
{
	memset(n, 0, sizeof(*n));
	n->leaves = rt__resize(t->acct, NULL, 0, sizeof(uint32_t));
	n->leaves[0] = v;
	n->lvec[0] = 1;
	bases(n->lvec, n->lbase);
}

static void node_fini(struct rt__trie *t, struct rt__node *n)
{
	unsigned int i, nk = n_kids(n);

	for (i = 0; i < nk; i++)
		node_fini(t, &n->kids[i]);
	rt__free(t->acct, n->kids, nk * sizeof(*n->kids));
	rt__free(t->acct, n->leaves, n_leaves(n) * sizeof(uint32_t));
	rt__free(t->acct, n->own, n->cap_own * sizeof(uint32_t));
	memset(n, 0, sizeof(*n));
}

/* Whether a child can go: no records in or under it, one run of leaves */
static bool collapsible(const struct rt__node *n)
{
	return !n->n_own && !(n->vec[0] | n->vec[1] | n->vec[2] | n->vec[3]) &&
	       n_leaves(n) == 1;
}

/**
 * kid_insert() - give slot @s of @n a child, inheriting the slot's leaf
 * @t:	trie
 * @n:	node; its child array moves
 * @s:	a leaf slot
 *
 * Return: the new child
 */
static struct rt__node *kid_insert(struct rt__trie *t, struct rt__node *n, unsigned int s)
{
	unsigned int nk = n_kids(n), idx = n->vbase[s >> 6] +
		(unsigned int)__builtin_popcountll(n->vec[s >> 6] & ((1ULL << (s & 63)) - 1));
	uint32_t val[SLOTS];

	leaves_unpack(n, val);
	n->kids = rt__resize(t->acct, n->kids, nk * sizeof(*n->kids),
			     (nk + 1) * sizeof(*n->kids));
	memmove(&n->kids[idx + 1], &n->kids[idx], (nk - idx) * sizeof(*n->kids));
	node_init(t, &n->kids[idx], val[s]);
	n->vec[s >> 6] |= 1ULL << (s & 63);
	bases(n->vec, n->vbase);
	leaves_pack(t, n, val);
	return &n->kids[idx];
}

/* Remove the collapsible child at slot @s, its leaf value back in the slot */
static void kid_remove(struct rt__trie *t, struct rt__node *n, unsigned int s)
{
	unsigned int nk = n_kids(n), idx = kid_index(n, s);
	uint32_t val[SLOTS];

	leaves_unpack(n, val);
	val[s] = n->kids[idx].leaves[0];
	node_fini(t, &n->kids[idx]);
	memmove(&n->kids[idx], &n->kids[idx + 1], (nk - idx - 1) * sizeof(*n->kids));
	n->kids = rt__resize(t->acct, n->kids, nk * sizeof(*n->kids),
			     (nk - 1) * sizeof(*n->kids));
	n->vec[s >> 6] &= ~(1ULL << (s & 63));
	bases(n->vec, n->vbase);
	leaves_pack(t, n, val);
}

/* ---- records in nodes ---- */

static int key_cmp(const uint8_t *a, unsigned int alen, const uint8_t *b,
		   unsigned int blen, unsigned int bytes)
{
	int c = memcmp(a, b, bytes);

	return c ? c : (int)alen - (int)blen;
}

/* Lower bound of (dst[k], len) in @n->own; *@found if equal */
static unsigned int own_pos(const struct rt__trie *t, const struct rt__node *n,
			    unsigned int k, const uint8_t *dst, unsigned int len,
			    bool *found)
{
	unsigned int lo = 0, hi = n->n_own, mid;
	const struct rt__pfx *p;
	int c;

	*found = false;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		p = rt__pfx(t, n->own[mid]);
		c = p->dst[k] != dst[k] ? p->dst[k] - dst[k] : p->len - (int)len;
		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct rt__node *node_find(const struct rt__trie *t, const uint8_t *dst,
				  unsigned int k)
{
	const struct rt__node *n = &t->root;
	unsigned int i;

	for (i = 0; i < k; i++) {
		if (!is_kid(n, dst[i]))
			return NULL;
		n = kid_at(n, dst[i]);
	}
	return (struct rt__node *)n;
}

/* ---- the flattened first 16 bits ---- */

static inline void mark(struct rt__trie *t, unsigned int b)
{
	t->dirty[b >> 6] |= 1ULL << (b & 63);
}

static inline uintptr_t leaf_entry(const struct rt__trie *t, uint32_t id)
{
	return (uintptr_t)(id ? *rt__best(t, id) : NULL) | 1;
}

/* Rewrite the 256 @d16 entries of first byte @b0 from the nodes */
static void d16_fill(struct rt__trie *t, unsigned int b0)
{
	uintptr_t *e = &t->d16[b0 << 8];
	const struct rt__node *n1;
	uint32_t val[SLOTS];
	unsigned int s;

	if (!is_kid(&t->root, b0)) {
		leaves_unpack(&t->root, val);
		for (s = 0; s < SLOTS; s++)
			e[s] = leaf_entry(t, val[b0]);
		return;
	}
	n1 = kid_at(&t->root, b0);
	leaves_unpack(n1, val);
	for (s = 0; s < SLOTS; s++)
		e[s] = is_kid(n1, s) ? (uintptr_t)kid_at(n1, s) : leaf_entry(t, val[s]);
}

/*
 * Bring @d16 up to date after an update: build it when the trie grew
 * past RT__D16_MIN records, drop it below half that (a small table is
 * not worth 512 KiB), else refresh the first bytes marked dirty.
 */
static void d16_sync(struct rt__trie *t)
{
	unsigned int b;
	bool all = false;

	if (!t->d16 && t->pool.live >= RT__D16_MIN) {
		t->d16 = rt__resize(t->acct, NULL, 0, D16_BYTES);
		all = true;
	} else if (t->d16 && t->pool.live < RT__D16_MIN / 2) {
		t->d16 = rt__resize(t->acct, t->d16, D16_BYTES, 0);
	}
	for (b = 0; t->d16 && b < SLOTS; b++)
		if (all || (t->dirty[b >> 6] >> (b & 63) & 1))
			d16_fill(t, b);
	memset(t->dirty, 0, sizeof(t->dirty));
}

void rt__trie_init(struct rt__trie *t, uint8_t bytes, size_t *acct)
{
	memset(t, 0, sizeof(*t));
	t->bytes = bytes;
	t->acct = acct;
	t->pool.item = (uint32_t)((offsetof(struct rt__pfx, dst) + bytes + 7) & ~(size_t)7);
	node_init(t, &t->root, 0);
}

void rt__trie_fini(struct rt__trie *t)
{
	node_fini(t, &t->root);
	pool_free(t);
	rt__free(t->acct, t->d16, D16_BYTES);
	t->d16 = NULL;
}

/**
 * rt__trie_get() - exact match
 * @t:		trie
 * @dst:	prefix, host bits zero
 * @len:	its length
 *
 * Return: the record's id, 0 if there is none
 */
uint32_t rt__trie_get(const struct rt__trie *t, const uint8_t *dst, uint8_t len)
{
	unsigned int k = depth_of(len), pos;
	const struct rt__node *n = node_find(t, dst, k);
	bool found;

	if (!n)
		return 0;
	pos = own_pos(t, n, k, dst, len, &found);
	return found ? n->own[pos] : 0;
}

/**
 * rt__trie_add() - create the (inactive, empty) record of a new prefix
 * @t:		trie
 * @dst:	prefix, host bits zero, not yet in @t
 * @len:	its length
 * @id:		set to the new record's id
 *
 * Return: 0, or -ENOMEM with nothing changed
 */
int rt__trie_add(struct rt__trie *t, const uint8_t *dst, uint8_t len, uint32_t *id)
{
	unsigned int k = depth_of(len), i, pos;
	struct rt__node *n = &t->root;
	struct rt__pfx *p;
	bool found;
	int ret;

	ret = pool_get(t, id);
	if (ret)
		return ret;
	p = rt__pfx(t, *id);
	p->len = len;
	memcpy(p->dst, dst, t->bytes);
	for (i = 0; i < k; i++) {
		if (is_kid(n, dst[i])) {
			n = kid_at(n, dst[i]);
			continue;
		}
		n = kid_insert(t, n, dst[i]);
		if (i < 2)
			mark(t, dst[0]);
	}
	pos = own_pos(t, n, k, dst, len, &found);
	if (n->n_own == n->cap_own) {
		n->own = rt__resize(t->acct, n->own, n->cap_own * sizeof(uint32_t),
				    (n->cap_own ? n->cap_own * 2u : 2u) * sizeof(uint32_t));
		n->cap_own = (uint16_t)(n->cap_own ? n->cap_own * 2 : 2);
	}
	memmove(&n->own[pos + 1], &n->own[pos], (n->n_own - pos) * sizeof(uint32_t));
	n->own[pos] = *id;
	n->n_own++;
	d16_sync(t);
	return 0;
}

/* Drop childless, record-less nodes on the path to depth @k */
static void prune(struct rt__trie *t, struct rt__node *n, const uint8_t *dst,
		  unsigned int i, unsigned int k)
{
	struct rt__node *c;

	if (i >= k || !is_kid(n, dst[i]))
		return;
	c = kid_at(n, dst[i]);
	prune(t, c, dst, i + 1, k);
	if (collapsible(c))
		kid_remove(t, n, dst[i]);
}

/**
 * rt__trie_remove() - forget an inactive prefix record
 * @t:	trie
 * @id:	the record; its id may be reused at once
 */
void rt__trie_remove(struct rt__trie *t, uint32_t id)
{
	const struct rt__pfx *p = rt__pfx(t, id);
	unsigned int k = depth_of(p->len), pos, cap;
	struct rt__node *n = node_find(t, p->dst, k);
	uint8_t dst[16];
	bool found;

	memcpy(dst, p->dst, t->bytes);
	pos = own_pos(t, n, k, p->dst, p->len, &found);
	memmove(&n->own[pos], &n->own[pos + 1], (n->n_own - pos - 1) * sizeof(uint32_t));
	n->n_own--;
	if (n->n_own <= n->cap_own / 4) {
		cap = n->n_own ? n->cap_own / 2u : 0;
		n->own = rt__resize(t->acct, n->own, n->cap_own * sizeof(uint32_t),
				    cap * sizeof(uint32_t));
		n->cap_own = (uint16_t)cap;
	}
	pool_put(t, id);
	prune(t, &t->root, dst, 0, k);
	if (k)
		mark(t, dst[0]);
	d16_sync(t);
}

/* Put @id in the leaf slots lo..hi of @n (and all slots below) where the
 * prefix there is not longer than @len */
static void push(struct rt__trie *t, struct rt__node *n, unsigned int lo,
		 unsigned int hi, uint32_t id, unsigned int len)
{
	uint32_t val[SLOTS];
	bool changed = false;
	unsigned int s;

	leaves_unpack(n, val);
	for (s = lo; s <= hi; s++) {
		if (is_kid(n, s)) {
			push(t, kid_at(n, s), 0, SLOTS - 1, id, len);
		} else if (!val[s] || rt__pfx(t, val[s])->len <= len) {
			val[s] = id;
			changed = true;
		}
	}
	if (changed)
		leaves_pack(t, n, val);
}

/* Put @to where @from is, in slots lo..hi of @n and below */
static void replace(struct rt__trie *t, struct rt__node *n, unsigned int lo,
		    unsigned int hi, uint32_t from, uint32_t to)
{
	uint32_t val[SLOTS];
	bool changed = false;
	unsigned int s;

	leaves_unpack(n, val);
	for (s = lo; s <= hi; s++) {
		if (is_kid(n, s)) {
			replace(t, kid_at(n, s), 0, SLOTS - 1, from, to);
		} else if (val[s] == from) {
			val[s] = to;
			changed = true;
		}
	}
	if (changed)
		leaves_pack(t, n, val);
}

/* The slots prefix @p covers in its node */
static void span(const struct rt__pfx *p, unsigned int *lo, unsigned int *hi)
{
	unsigned int k = depth_of(p->len), free_bits = 8 * (k + 1) - p->len;

	*lo = p->dst[k] & ~((1u << free_bits) - 1) & 0xff;
	*hi = *lo + (1u << free_bits) - 1;
}

/* After slots lo..hi of @p's node changed: mark what @d16 flattens */
static void touched(struct rt__trie *t, const struct rt__pfx *p, unsigned int lo,
		    unsigned int hi)
{
	if (p->len > 16)
		return;
	if (depth_of(p->len))
		mark(t, p->dst[0]);
	else
		while (lo <= hi)
			mark(t, lo++);
	d16_sync(t);
}

static void activate(struct rt__trie *t, uint32_t id)
{
	const struct rt__pfx *p = rt__pfx(t, id);
	unsigned int lo, hi;

	span(p, &lo, &hi);
	push(t, node_find(t, p->dst, depth_of(p->len)), lo, hi, id, p->len);
	touched(t, p, lo, hi);
}

static bool covers(const struct rt__pfx *p, const uint8_t *dst)
{
	unsigned int full = p->len / 8, rest = p->len % 8;

	if (memcmp(p->dst, dst, full))
		return false;
	return !rest || !((p->dst[full] ^ dst[full]) & (0xff00u >> rest) & 0xff);
}

/* The longest active prefix strictly containing @p, 0 if none */
static uint32_t cover(const struct rt__trie *t, const struct rt__pfx *p)
{
	unsigned int k = depth_of(p->len), i, j;
	const struct rt__node *n = &t->root;
	const struct rt__pfx *q;
	uint32_t best = 0;
	int best_len = -1;

	for (i = 0; i <= k; i++) {
		for (j = 0; j < n->n_own; j++) {
			q = rt__pfx(t, n->own[j]);
			if (*rt__best(t, n->own[j]) && q->len < p->len && q->len > best_len &&
			    covers(q, p->dst)) {
				best = n->own[j];
				best_len = q->len;
			}
		}
		if (i < k)
			n = kid_at(n, p->dst[i]);
	}
	return best;
}

static void deactivate(struct rt__trie *t, uint32_t id)
{
	const struct rt__pfx *p = rt__pfx(t, id);
	unsigned int lo, hi;

	span(p, &lo, &hi);
	replace(t, node_find(t, p->dst, depth_of(p->len)), lo, hi, id, cover(t, p));
	touched(t, p, lo, hi);
}

/* ---- ordered walk ---- */

struct walk {
	const struct rt__trie *t;
	const uint8_t *after;
	int after_len;
	int (*fn)(void *arg, uint32_t id);
	void *arg;
};

static unsigned int next_kid(const struct rt__node *n, unsigned int from)
{
	uint64_t w;

	while (from < SLOTS) {
		w = n->vec[from >> 6] >> (from & 63);
		if (w)
			return from + (unsigned int)__builtin_ctzll(w);
		from = (from | 63) + 1;
	}
	return SLOTS;
}

/*
 * A node's records and children in key order: a record whose byte k is b
 * sorts before the child at slot s exactly when b <= s (the child's keys
 * are longer and, byte for byte, not smaller).  @bounded: this node is on
 * the path of the resume key, so skip what sorts before it.
 */
static int walk_node(const struct walk *w, const struct rt__node *n,
		     unsigned int k, bool bounded)
{
	unsigned int i = 0, j = 0, s = next_kid(n, 0), b = bounded ? w->after[k] : 0;
	const struct rt__pfx *p;
	int ret;

	while (i < n->n_own || s < SLOTS) {
		if (i < n->n_own && (s >= SLOTS || rt__pfx(w->t, n->own[i])->dst[k] <= s)) {
			p = rt__pfx(w->t, n->own[i]);
			if (!bounded || key_cmp(p->dst, p->len, w->after,
						(unsigned int)w->after_len, w->t->bytes) >= 0) {
				ret = w->fn(w->arg, n->own[i]);
				if (ret)
					return ret;
			}
			i++;
			continue;
		}
		if (!bounded || s > b) {
			ret = walk_node(w, &n->kids[j], k + 1, false);
		} else if (s == b) {
			ret = walk_node(w, &n->kids[j], k + 1,
					w->after_len > (int)(8 * (k + 1)));
		} else {
			ret = 0;
		}
		if (ret)
			return ret;
		j++;
		s = next_kid(n, s + 1);
	}
	return 0;
}

/**
 * rt__trie_walk() - every record in (dst, len) order
 * @t:		trie
 * @after_dst:	NULL, or start at the first record not before this key
 *		(inclusive: the caller skips within the equal prefix)
 * @after_len:	the key's length
 * @fn:		called with each id; non-zero stops the walk
 * @arg:	for @fn
 *
 * Return: 0, or what @fn returned to stop
 */
int rt__trie_walk(const struct rt__trie *t, const uint8_t *after_dst, int after_len,
		  int (*fn)(void *arg, uint32_t id), void *arg)
{
	struct walk w = { t, after_dst, after_len, fn, arg };

	return walk_node(&w, &t->root, 0, after_dst != NULL);
}

/**
 * rt__trie_set_best() - what lookups of a prefix should find, changed
 * @t:		trie
 * @id:		the prefix
 * @best:	its new best info, NULL when it has no usable route (lookups
 *		then skip it and find the next longest prefix)
 */
void rt__trie_set_best(struct rt__trie *t, uint32_t id, const struct rt__info *best)
{
	const struct rt__info **slot = rt__best(t, id), *old = *slot;
	const struct rt__pfx *p = rt__pfx(t, id);
	unsigned int lo, hi;

	if (old == best)
		return;
	*slot = best;
	if (!old) {
		activate(t, id);
	} else if (!best) {
		deactivate(t, id);
	} else {
		span(p, &lo, &hi);
		touched(t, p, lo, hi);	/* @d16 holds infos */
	}
}

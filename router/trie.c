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
 * - With RT__D16_MIN records or more, the first three levels are also
 *   flattened (poptrie's direct pointing, taken one byte further as in
 *   DIR-24-8): @d16, 65,536 32-bit entries by the first 16 address bits,
 *   each the lookup slot of the info of the prefix covering that /16 or
 *   the number of a @d24 block; a block, one for each /16 that has a
 *   depth-2 node, holds 256 entries by the third byte, each an info slot
 *   or the index of the depth-3 child to go on with.  A full IPv4 table's
 *   random lookups end in @d16 (87 %) or @d24 (99.9 %), with no popcount.
 *   Updates mark the first bytes (@dirty) and /16s (@dirty24) whose
 *   entries need rewriting and d16_sync() rewrites them; the common case,
 *   leaf changes in a depth-2 node, push() and replace() write straight
 *   into its block instead.
 *
 * Allocation failures inside the trie (node arrays) abort(): they happen
 * midway through updates that cannot be undone cheaply, and a supervisor
 * out of memory cannot go on anyway.  Record allocation, the only one per
 * new prefix that can fail first, returns -ENOMEM before anything changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <wchar.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "internal.h"

#define SLOTS		256
#define D16_BYTES	((size_t)65536 * sizeof(uint32_t))
#define D16N_BYTES	((size_t)65536 * sizeof(struct rt__node *))

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

/* Leaf arrays grow in steps of LEAF_STEP entries: most updates change
 * the number of runs by one, and a realloc() each time was a third of
 * the cost of loading a full table.  The capacity is a function of the
 * count, so nothing more is stored and the byte count stays exact. */
#define LEAF_STEP	4

static inline size_t leaves_bytes(unsigned int runs)
{
	return (size_t)((runs + LEAF_STEP - 1) & ~(LEAF_STEP - 1u)) * sizeof(uint32_t);
}

/* @n slots from @v on set to @x.  Runs are long in sparse nodes: past a
 * few slots, libc's wmemset() (wchar_t is 32 bits on Linux, and vector
 * code in glibc) beats any loop the compiler makes at -O2. */
static void fill(uint32_t *v, uint32_t x, unsigned int n)
{
	_Static_assert(sizeof(wchar_t) == sizeof(uint32_t), "wchar_t is 32 bits");
	if (n >= 16) {
		wmemset((wchar_t *)v, (wchar_t)x, n);
		return;
	}
	while (n--)
		*v++ = x;
}

/* Every slot's leaf value (0 for child slots), run by run */
static void leaves_unpack(const struct rt__node *n, uint32_t val[SLOTS])
{
	unsigned int w, p, s = 0, r = 0;
	uint32_t v = 0;
	uint64_t m;

	for (w = 0; w < 4; w++) {
		for (m = n->lvec[w]; m; m &= m - 1) {
			p = w * 64 + (unsigned int)__builtin_ctzll(m);
			fill(&val[s], v, p - s);
			s = p;
			v = n->leaves[r++];
		}
	}
	fill(&val[s], v, SLOTS - s);
	for (w = 0; w < 4; w++)
		for (m = n->vec[w]; m; m &= m - 1)
			val[w * 64 + (unsigned int)__builtin_ctzll(m)] = 0;
}

/* Bit i of the result: slot 64 * @w + i differs from the slot before it
 * (bit 0 of word 0: 0) */
static uint64_t diff_word(const uint32_t val[SLOTS], unsigned int w)
{
	const uint32_t *a = &val[w * 64];
	unsigned int i = 0;
	uint64_t d = 0;

	if (!w) {
		for (i = 1; i < 4; i++)
			d |= (uint64_t)(a[i] != val[w * 64 + i - 1]) << i;
	}
#ifdef __SSE2__
	for (; i < 64; i += 4) {
		__m128i cur = _mm_loadu_si128((const __m128i *)&a[i]);
		__m128i prev = _mm_loadu_si128((const __m128i *)&val[w * 64 + i - 1]);
		unsigned int eq = (unsigned int)_mm_movemask_ps(
			_mm_castsi128_ps(_mm_cmpeq_epi32(cur, prev)));

		d |= (uint64_t)(~eq & 0xf) << i;
	}
#else
	for (; i < 64; i++)
		d |= (uint64_t)(a[i] != val[w * 64 + i - 1]) << i;
#endif
	return d;
}

/*
 * Store the leaf slots of @val as runs, given @n->vec.  @val's child
 * slots are overwritten first with the leaf value before them, so a run
 * starts exactly where a slot differs from its neighbour (and at the
 * first leaf slot): a word-wide comparison, no per-slot branch.
 */
static void leaves_pack(struct rt__trie *t, struct rt__node *n, uint32_t val[SLOTS])
{
	uint64_t lvec[4], m, first = 1;
	unsigned int w, s, k = 0, old = n_leaves(n);
	uint32_t runs[SLOTS];

	for (w = 0; w < 4; w++)
		for (m = n->vec[w]; m; m &= m - 1) {
			s = w * 64 + (unsigned int)__builtin_ctzll(m);
			val[s] = s ? val[s - 1] : 0;
		}
	for (w = 0; w < 4; w++) {
		lvec[w] = diff_word(val, w) & ~n->vec[w];
		/* the first leaf slot starts a run */
		if (first && ~n->vec[w]) {
			lvec[w] |= ~n->vec[w] & (n->vec[w] + 1);
			first = 0;
		}
		for (m = lvec[w]; m; m &= m - 1)
			runs[k++] = val[w * 64 + (unsigned int)__builtin_ctzll(m)];
	}
	if (leaves_bytes(k) != leaves_bytes(old))
		n->leaves = rt__resize(t->acct, n->leaves, leaves_bytes(old), leaves_bytes(k));
	if (k)
		memcpy(n->leaves, runs, k * sizeof(uint32_t));
	memcpy(n->lvec, lvec, sizeof(lvec));
	bases(n->lvec, n->lbase);
}

/* A node with one run of value @v and nothing else */
static void node_init(struct rt__trie *t, struct rt__node *n, uint32_t v)
{
	memset(n, 0, sizeof(*n));
	n->leaves = rt__resize(t->acct, NULL, 0, leaves_bytes(1));
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
	rt__free(t->acct, n->leaves, leaves_bytes(n_leaves(n)));
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

/* The @d16 entry of a leaf holding prefix @id (0: none) */
static inline uint32_t leaf_entry(const struct rt__trie *t, uint32_t id)
{
	const struct rt__info *i = id ? *rt__best(t, id) : NULL;

	return (i ? i->slot << 1 : 0) | 1;
}

/* The leaf value of leaf slot @s of @n */
static inline uint32_t leaf_at(const struct rt__node *n, unsigned int s)
{
	return n->leaves[n->lbase[s >> 6] + rt__rank(n->lvec[s >> 6], s & 63) - 1];
}

/* ---- the flattened third byte ---- */

#define D24_CHUNK_BYTES	((size_t)RT__D24_CHUNK * 256 * sizeof(uint32_t))
#define DIRTY24_BYTES	((size_t)65536 / 8)

/*
 * A chunk of @d24 blocks is one 2 MiB transparent huge page where the
 * kernel gives one: random lookups touch all ~9 MiB of blocks of a full
 * IPv4 table, far more than the TLB covers in 4 KiB pages.
 */
static uint32_t *d24_chunk_new(struct rt__trie *t)
{
	void *p = aligned_alloc(D24_CHUNK_BYTES, D24_CHUNK_BYTES);

	if (!p)
		abort();	/* as rt__resize(): mid-update, nothing to undo */
	(void)madvise(p, D24_CHUNK_BYTES, MADV_HUGEPAGE);
	*t->acct += D24_CHUNK_BYTES;
	return p;
}

static inline uint32_t *d24_block(const struct rt__trie *t, uint32_t blk)
{
	return &t->d24[blk >> RT__D24_SHIFT][(blk & (RT__D24_CHUNK - 1)) << 8];
}

/* A block for a /16 that got a depth-2 node; abort() when memory is out */
static uint32_t d24_get(struct rt__trie *t)
{
	uint32_t blk = t->d24_next;

	if (t->d24_free) {
		blk = t->d24_free - 1;
		t->d24_free = d24_block(t, blk)[0];
		return blk;
	}
	if ((blk >> RT__D24_SHIFT) >= t->n_d24c) {
		t->d24 = rt__resize(t->acct, t->d24, t->n_d24c * sizeof(*t->d24),
				    (t->n_d24c + 1) * sizeof(*t->d24));
		t->d24[t->n_d24c++] = d24_chunk_new(t);
	}
	t->d24_next++;
	return blk;
}

static void d24_put(struct rt__trie *t, uint32_t blk)
{
	d24_block(t, blk)[0] = t->d24_free;
	t->d24_free = blk + 1;
}

/* /16s @x .. @x + @n - 1 need their blocks refreshed (if they have one) */
static void mark24(struct rt__trie *t, unsigned int x, unsigned int n)
{
	if (!t->d16)
		return;
	for (; n; x++, n--) {
		t->dirty24[x >> 6] |= 1ULL << (x & 63);
		t->dirty24s[x >> 12] |= 1ULL << (x >> 6 & 63);
	}
}

/* The /16s prefix @p covers need their blocks refreshed */
static void mark24_pfx(struct rt__trie *t, const struct rt__pfx *p)
{
	unsigned int x = (unsigned int)p->dst[0] << 8 | p->dst[1];

	mark24(t, x, p->len >= 16 ? 1 : 1u << (16 - p->len));
}

/* Rewrite the block of /16 @x from its depth-2 node */
static void d24_fill(struct rt__trie *t, unsigned int x)
{
	const struct rt__node *n2 = t->d16n[x];
	uint32_t *b = d24_block(t, t->d16[x] >> 1), v = 1;
	unsigned int w, p, s = 0, r = 0, j = 0;
	uint64_t m;

	/* as leaves_unpack(), with each run's entry computed once */
	for (w = 0; w < 4; w++) {
		for (m = n2->lvec[w]; m; m &= m - 1) {
			p = w * 64 + (unsigned int)__builtin_ctzll(m);
			fill(&b[s], v, p - s);
			s = p;
			v = leaf_entry(t, n2->leaves[r++]);
		}
	}
	fill(&b[s], v, SLOTS - s);
	for (w = 0; w < 4; w++)
		for (m = n2->vec[w]; m; m &= m - 1)
			b[w * 64 + (unsigned int)__builtin_ctzll(m)] = j++ << 1;
}

static void d24_sync(struct rt__trie *t)
{
	unsigned int w, x;
	uint64_t m, ms;

	for (w = 0; w < 16; w++) {
		for (ms = t->dirty24s[w]; ms; ms &= ms - 1) {
			x = w * 64 + (unsigned int)__builtin_ctzll(ms);
			for (m = t->dirty24[x]; m; m &= m - 1)
				if (!(t->d16[x * 64 + __builtin_ctzll(m)] & 1))
					d24_fill(t, x * 64 + (unsigned int)__builtin_ctzll(m));
			t->dirty24[x] = 0;
		}
		t->dirty24s[w] = 0;
	}
}

/* ---- the flattened first 16 bits ---- */

/*
 * Rewrite the 256 @d16 entries of first byte @b0 from the nodes: a /16
 * with a depth-2 node keeps its block or gets one (to be filled), one
 * without gives its block back
 */
static void d16_fill(struct rt__trie *t, unsigned int b0)
{
	const struct rt__node **en = &t->d16n[b0 << 8], *n1 = NULL;
	uint32_t *e = &t->d16[b0 << 8], v = 0;
	uint32_t val[SLOTS];
	unsigned int s, j = 0;

	if (is_kid(&t->root, b0)) {
		n1 = kid_at(&t->root, b0);
		leaves_unpack(n1, val);
	} else {
		v = leaf_entry(t, leaf_at(&t->root, b0));
	}
	for (s = 0; s < SLOTS; s++) {
		if (n1 && is_kid(n1, s)) {
			en[s] = &n1->kids[j++];
			if (e[s] & 1) {
				e[s] = d24_get(t) << 1;
				mark24(t, b0 << 8 | s, 1);
			}
			continue;
		}
		if (!(e[s] & 1))
			d24_put(t, e[s] >> 1);
		e[s] = n1 ? leaf_entry(t, val[s]) : v;
		en[s] = NULL;
	}
}

/* Free the flattened levels */
static void flat_free(struct rt__trie *t)
{
	uint32_t k;

	for (k = 0; k < t->n_d24c; k++)
		rt__free(t->acct, t->d24[k], D24_CHUNK_BYTES);
	rt__free(t->acct, t->d24, t->n_d24c * sizeof(*t->d24));
	rt__free(t->acct, t->d16, D16_BYTES);
	rt__free(t->acct, t->d16n, D16N_BYTES);
	rt__free(t->acct, t->dirty24, DIRTY24_BYTES);
	t->d24 = NULL;
	t->d16 = NULL;
	t->d16n = NULL;
	t->dirty24 = NULL;
	t->n_d24c = t->d24_next = t->d24_free = 0;
	memset(t->dirty24s, 0, sizeof(t->dirty24s));
}

/*
 * Bring @d16 and @d24 up to date after an update: build them when the
 * trie grew past RT__D16_MIN records, drop them below half that (a small
 * table is not worth 800 KiB), else refresh what was marked dirty.
 */
static void d16_sync(struct rt__trie *t)
{
	unsigned int w;
	uint64_t m;

	if (!t->d16 && t->pool.live >= RT__D16_MIN) {
		t->d16 = rt__resize(t->acct, NULL, 0, D16_BYTES);
		t->d16n = rt__resize(t->acct, NULL, 0, D16N_BYTES);
		t->dirty24 = rt__resize(t->acct, NULL, 0, DIRTY24_BYTES);
		memset(t->dirty24, 0, DIRTY24_BYTES);
		fill(t->d16, 1, 65536);
		memset(t->dirty, 0xff, sizeof(t->dirty));
	} else if (t->d16 && t->pool.live < RT__D16_MIN / 2) {
		flat_free(t);
	}
	for (w = 0; t->d16 && w < 4; w++)
		for (m = t->dirty[w]; m; m &= m - 1)
			d16_fill(t, w * 64 + (unsigned int)__builtin_ctzll(m));
	memset(t->dirty, 0, sizeof(t->dirty));
	if (t->d16)
		d24_sync(t);
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
	flat_free(t);
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
		else if (i == 2)	/* the block holds child indexes */
			mark24(t, (unsigned int)dst[0] << 8 | dst[1], 1);
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
	if (k >= 3)	/* a depth-2 node may have lost a child */
		mark24(t, (unsigned int)dst[0] << 8 | dst[1], 1);
	d16_sync(t);
}

/*
 * Where a node sits: its depth and the address bytes above it (@key, the
 * /16 for a depth-2 node).  Updates of the leaves of a depth-2 node write
 * the changed entries of its @d24 block at once, so no update has to
 * refresh a whole block (a third of a full table's load time when it did).
 */
struct at {
	unsigned int depth;
	unsigned int key;
};

static inline struct at at_kid(struct at a, unsigned int s)
{
	return (struct at){ a.depth + 1, (a.key << 8 | s) & 0xffff };
}

/* The @d24 block of the depth-2 node at @a, NULL if none */
static uint32_t *at_block(const struct rt__trie *t, struct at a)
{
	if (a.depth != 2 || !t->d16 || (t->d16[a.key] & 1))
		return NULL;
	return d24_block(t, t->d16[a.key] >> 1);
}

/* Put @id in the leaf slots lo..hi of @n (and all slots below) where the
 * prefix there is not longer than @len */
static void push(struct rt__trie *t, struct rt__node *n, struct at a, unsigned int lo,
		 unsigned int hi, uint32_t id, unsigned int len)
{
	uint32_t val[SLOTS], *blk = at_block(t, a);
	bool changed = false;
	unsigned int s;

	leaves_unpack(n, val);
	for (s = lo; s <= hi; s++) {
		if (is_kid(n, s)) {
			push(t, kid_at(n, s), at_kid(a, s), 0, SLOTS - 1, id, len);
		} else if (!val[s] || rt__pfx(t, val[s])->len <= len) {
			val[s] = id;
			changed = true;
			if (blk)
				blk[s] = leaf_entry(t, id);
		}
	}
	if (changed)
		leaves_pack(t, n, val);
}

/* Put @to where @from is, in slots lo..hi of @n and below */
static void replace(struct rt__trie *t, struct rt__node *n, struct at a, unsigned int lo,
		    unsigned int hi, uint32_t from, uint32_t to)
{
	uint32_t val[SLOTS], *blk = at_block(t, a);
	bool changed = false;
	unsigned int s;

	leaves_unpack(n, val);
	for (s = lo; s <= hi; s++) {
		if (is_kid(n, s)) {
			replace(t, kid_at(n, s), at_kid(a, s), 0, SLOTS - 1, from, to);
		} else if (val[s] == from) {
			val[s] = to;
			changed = true;
			if (blk)
				blk[s] = leaf_entry(t, to);
		}
	}
	if (changed)
		leaves_pack(t, n, val);
}

/* Where the node holding prefix @p sits */
static struct at at_pfx(const struct rt__pfx *p)
{
	unsigned int k = depth_of(p->len);

	return (struct at){ k, k == 2 ? (unsigned int)p->dst[0] << 8 | p->dst[1] :
			       k == 1 ? p->dst[0] : 0 };
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
	if (!t->d16)
		return;
	if (p->len <= 16) {
		if (depth_of(p->len))
			mark(t, p->dst[0]);
		else
			while (lo <= hi)
				mark(t, lo++);
	}
	d16_sync(t);
}

static void activate(struct rt__trie *t, uint32_t id)
{
	const struct rt__pfx *p = rt__pfx(t, id);
	unsigned int lo, hi;

	span(p, &lo, &hi);
	push(t, node_find(t, p->dst, depth_of(p->len)), at_pfx(p), lo, hi, id, p->len);
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
	replace(t, node_find(t, p->dst, depth_of(p->len)), at_pfx(p), lo, hi, id, cover(t, p));
	touched(t, p, lo, hi);
}

/* ---- ordered walk ---- */

/*
 * The walk gives the records in the order Linux dumps routes in, so that
 * `ip route` lists them as it does there:
 * - IPv4 (fib_trie, whose leaves are keyed by address and hold their
 *   prefixes longest first): by address, the longer of two prefixes with
 *   the same address first: 10.0.0.0/24, 10.0.0.0/8, 10.0.1.0/24.
 * - IPv6 (fib6's walker, which visits a node's subtrees, 0 bit first,
 *   before the node): by the first bit in which the shorter prefix and the
 *   other differ, and a prefix after every prefix inside it: 2001:db8::/64,
 *   2001:db8::/32, fe80::/64, then ::/0 last.
 */
static int order_cmp(unsigned int bytes, const uint8_t *a, unsigned int alen,
		     const uint8_t *b, unsigned int blen)
{
	unsigned int m = alen < blen ? alen : blen, full = m >> 3, r = m & 7;
	int c;

	if (bytes == 4) {
		c = memcmp(a, b, 4);
		return c ? c : (int)blen - (int)alen;
	}
	c = memcmp(a, b, full);
	if (c)
		return c;
	if (r && a[full] >> (8 - r) != b[full] >> (8 - r))
		return a[full] >> (8 - r) < b[full] >> (8 - r) ? -1 : 1;
	return (int)blen - (int)alen;
}

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

/* @check: the walk resumes within this node; skip what sorts before */
static int emit(const struct walk *w, uint32_t id, bool check)
{
	const struct rt__pfx *p = rt__pfx(w->t, id);

	if (check && order_cmp(w->t->bytes, p->dst, p->len, w->after,
			       (unsigned int)w->after_len) < 0)
		return 0;
	return w->fn(w->arg, id);
}

/*
 * IPv4 records with one address, waiting for the longer prefixes of that
 * address further down: a node's records whose byte k is 0 follow those
 * in its child at slot 0 (the same address, longer), and precede the
 * ones of its ancestors (shorter) in @up.
 */
struct same_addr {
	const uint32_t *ids;		/* in own order: shortest first */
	unsigned int n;
	const struct same_addr *up;
};

static int emit_same(const struct walk *w, const struct same_addr *q, bool check)
{
	unsigned int i;
	int ret;

	for (; q; q = q->up)
		for (i = q->n; i-- > 0;) {
			ret = emit(w, q->ids[i], check);
			if (ret)
				return ret;
		}
	return 0;
}

/*
 * An IPv4 node at depth @k: its records and children by byte k; @bounded:
 * the node is on the path of the resume key (@w->after's first k bytes),
 * so skip what sorts before it.  Records with byte k = v have the
 * address path.v.0...: after every record of the child at slot v with
 * that address, and before the rest of that child.
 */
static int walk4(const struct walk *w, const struct rt__node *n, unsigned int k,
		 bool bounded, const struct same_addr *up)
{
	unsigned int i = 0, g, j = 0, v, s = next_kid(n, 0), a = bounded ? w->after[k] : 0;
	struct same_addr here;
	int ret;

	for (;;) {
		v = s;
		if (i < n->n_own && rt__pfx(w->t, n->own[i])->dst[k] < v)
			v = rt__pfx(w->t, n->own[i])->dst[k];
		if (up && v) {
			ret = emit_same(w, up, bounded);
			if (ret)
				return ret;
			up = NULL;
		}
		if (v >= SLOTS)
			return 0;
		for (g = i; g < n->n_own && rt__pfx(w->t, n->own[g])->dst[k] == v; g++)
			;
		/* a node without records has own NULL: NULL + 0 is undefined
		 * (UBSan, clang: every walk of a trie with such a node) */
		here = (struct same_addr){ g > i ? n->own + i : NULL, g - i,
					   v ? NULL : up };
		up = NULL;
		i = g;
		if (s == v) {
			if (!bounded || v > a)
				ret = walk4(w, &n->kids[j], k + 1, false, &here);
			else if (v == a)
				ret = walk4(w, &n->kids[j], k + 1, true, &here);
			else
				ret = 0;	/* all of it sorts before the key */
			j++;
			s = next_kid(n, s + 1);
		} else if (!bounded || v >= a) {
			ret = emit_same(w, &here, bounded);
		} else {
			ret = 0;
		}
		if (ret)
			return ret;
	}
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * An IPv6 node at depth @k, in post-order over byte k: a record covering
 * bytes lo..hi of it (its last j bits of prefix there) comes after every
 * record and child inside that range and before everything past hi, so
 * records sort by (hi, longer first), a child at slot s as (s, longest).
 */
static int walk6(const struct walk *w, const struct rt__node *n, unsigned int k,
		 bool bounded)
{
	uint32_t ord[512];	/* (hi, 8 - j + 1) << 9 | index in @own */
	unsigned int i, j = 0, s = next_kid(n, 0), bits, a, mask, kid_rank, own_rank;
	const struct rt__pfx *p;
	int ret;

	for (i = 0; i < n->n_own && i < 512; i++) {
		p = rt__pfx(w->t, n->own[i]);
		bits = p->len - 8 * k;	/* 0 only for ::/0 at the root */
		ord[i] = ((uint32_t)(p->dst[k] | 0xffu >> bits) * 16 + 9 - bits) << 9 | i;
	}
	if (n->n_own > 1)
		qsort(ord, i, sizeof(*ord), u32_cmp);
	a = bounded ? w->after[k] : 0;
	bits = bounded && w->after_len < (int)(8 * (k + 1)) ?
		(unsigned int)w->after_len - 8 * k : 8;
	mask = bits ? 0xffu << (8 - bits) & 0xff : 0;
	for (i = 0; i < n->n_own || s < SLOTS;) {
		kid_rank = s < SLOTS ? s * 16 : UINT32_MAX;
		own_rank = i < n->n_own ? ord[i] >> 9 : UINT32_MAX;
		if (own_rank < kid_rank) {
			ret = emit(w, n->own[ord[i] & 511], bounded);
			i++;
		} else {
			if (!bounded || (s & mask) > (a & mask))
				ret = walk6(w, &n->kids[j], k + 1, false);
			else if ((s & mask) < (a & mask) || bits < 8 ||
				 w->after_len == (int)(8 * (k + 1)))
				ret = 0;	/* before the key, or inside it */
			else
				ret = walk6(w, &n->kids[j], k + 1, true);
			j++;
			s = next_kid(n, s + 1);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * rt__trie_walk() - every record in the order Linux dumps routes in
 * (order_cmp())
 * @t:		trie
 * @after_dst:	NULL, or start at the first record not before this key
 *		(inclusive: the caller skips within the equal prefix); @fn may
 *		change it
 * @after_len:	the key's length
 * @fn:		called with each id; non-zero stops the walk
 * @arg:	for @fn
 *
 * Return: 0, or what @fn returned to stop
 */
int rt__trie_walk(const struct rt__trie *t, const uint8_t *after_dst, int after_len,
		  int (*fn)(void *arg, uint32_t id), void *arg)
{
	struct walk w = { t, NULL, after_len, fn, arg };
	uint8_t key[16];

	/* a copy: @fn may be given the very struct the key lies in to fill */
	if (after_dst) {
		memcpy(key, after_dst, t->bytes);
		w.after = key;
	}
	if (t->bytes == 4)
		return walk4(&w, &t->root, 0, after_dst != NULL, NULL);
	return walk6(&w, &t->root, 0, after_dst != NULL);
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
		mark24_pfx(t, p);	/* @d16 and @d24 hold infos */
		touched(t, p, lo, hi);
	}
}

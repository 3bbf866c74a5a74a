/* SPDX-License-Identifier: MIT */
/*
 * addrlabel.c - the IPv6 address label table (addrlabel.h).
 *
 * Linux keeps one list per network namespace, starts it with RFC 6724's
 * default policy (plus the old site-local, 6bone and Teredo entries it
 * still carries), inserts an entry before the first one with a shorter
 * prefix or with the same length and no device, and looks an address up
 * as the first entry that matches it.  The same here, in an array.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "addrlabel.h"

enum { TYPE_MAPPED = 1, TYPE_COMPAT = 2, TYPE_LOOPBACK = 3 };

/* The bits of ipv6_addr_type() the table knows: ::ffff:a.b.c.d, ::a.b.c.d
 * (not :: nor ::1), ::1; 0 for every other address */
static uint8_t addr_type(const uint8_t *a)
{
	static const uint8_t zero[12], one[4] = { 0, 0, 0, 1 };

	if (memcmp(a, zero, 10))
		return 0;
	if (a[10] == 0xff && a[11] == 0xff)
		return TYPE_MAPPED;
	if (a[10] || a[11] || !memcmp(a + 12, zero, 4))
		return 0;
	return memcmp(a + 12, one, 4) ? TYPE_COMPAT : TYPE_LOOPBACK;
}

static bool prefix_has(const uint8_t *pfx, unsigned int plen, const uint8_t *a)
{
	unsigned int full = plen / 8, rest = plen % 8;

	if (memcmp(pfx, a, full))
		return false;
	return !rest || !((pfx[full] ^ a[full]) & (uint8_t)(0xff00u >> rest));
}

/*
 * ip6addrlbl_alloc(): the entry for @prefix/@plen, masked; an IPv4-mapped
 * prefix longer than 96 bits is -EINVAL.  The address kind sticks only to
 * an entry of exactly its own prefix (96 bits, or 128 for ::1).
 */
static int make(struct addrlbl *e, const uint8_t *prefix, unsigned int plen,
		uint32_t ifindex, uint32_t label)
{
	unsigned int k;

	if (plen > 128)
		return -EINVAL;
	e->addrtype = addr_type(prefix);
	switch (e->addrtype) {
	case TYPE_MAPPED:
		if (plen > 96)
			return -EINVAL;
		if (plen < 96)
			e->addrtype = 0;
		break;
	case TYPE_COMPAT:
		if (plen != 96)
			e->addrtype = 0;
		break;
	case TYPE_LOOPBACK:
		if (plen != 128)
			e->addrtype = 0;
		break;
	}
	memset(e->prefix, 0, sizeof(e->prefix));
	for (k = 0; k < plen; k += 8)
		e->prefix[k / 8] = plen - k >= 8 ? prefix[k / 8] :
				   (uint8_t)(prefix[k / 8] & (0xff00u >> (plen - k)));
	e->plen = (uint8_t)plen;
	e->ifindex = ifindex;
	e->label = label;
	return 0;
}

/**
 * addrlbl_add() - add an entry (ip6addrlbl_add())
 * @t:		the table
 * @prefix:	16 bytes; host bits are cleared
 * @plen:	0..128
 * @ifindex:	its device, 0 for all
 * @label:	not ADDRLBL_NONE (the caller checks)
 * @replace:	replace an entry of the same prefix and device
 *		(NLM_F_REPLACE), else that is -EEXIST
 *
 * Return: 0, -EINVAL (a bad prefix), -EEXIST, or -ENOMEM
 */
int addrlbl_add(struct addrlbl_table *t, const uint8_t *prefix, unsigned int plen,
		uint32_t ifindex, uint32_t label, bool replace)
{
	struct addrlbl e, *v;
	size_t k;
	int ret = make(&e, prefix, plen, ifindex, label);

	if (ret)
		return ret;
	for (k = 0; k < t->n; k++) {
		const struct addrlbl *p = &t->v[k];

		if (p->plen == e.plen && p->ifindex == e.ifindex &&
		    !memcmp(p->prefix, e.prefix, 16)) {
			if (!replace)
				return -EEXIST;
			t->v[k] = e;
			t->seq++;
			return 0;
		}
		if ((p->plen == e.plen && !p->ifindex) || p->plen < e.plen)
			break;
	}
	if (t->n == t->cap) {
		if (t->cap >= ADDRLBL_MAX)
			return -ENOMEM;
		v = realloc(t->v, (t->cap ? t->cap * 2 : 16) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = t->cap ? t->cap * 2 : 16;
	}
	memmove(&t->v[k + 1], &t->v[k], (t->n - k) * sizeof(*t->v));
	t->v[k] = e;
	t->n++;
	t->seq++;
	return 0;
}

/**
 * addrlbl_del() - remove the entry of a prefix and device, whatever its
 * label (ip6addrlbl_del())
 * @t:		the table
 * @prefix:	16 bytes; host bits are cleared
 * @plen:	0..128
 * @ifindex:	its device, 0 for the entry for all
 *
 * Return: 0, -EINVAL (a bad prefix), or -ESRCH when there is none
 */
int addrlbl_del(struct addrlbl_table *t, const uint8_t *prefix, unsigned int plen,
		uint32_t ifindex)
{
	struct addrlbl e;
	size_t k;
	int ret = make(&e, prefix, plen, ifindex, 0);

	if (ret)
		return ret;
	for (k = 0; k < t->n; k++) {
		if (t->v[k].plen == e.plen && t->v[k].ifindex == ifindex &&
		    !memcmp(t->v[k].prefix, e.prefix, 16)) {
			memmove(&t->v[k], &t->v[k + 1], (t->n - k - 1) * sizeof(*t->v));
			t->n--;
			t->seq++;
			return 0;
		}
	}
	return -ESRCH;
}

/**
 * addrlbl_find() - the entry that labels an address (__ipv6_addr_label())
 * @t:		the table
 * @addr:	16 bytes
 * @ifindex:	the device it is on, or leaves by
 *
 * Return: the first entry that matches, or NULL
 */
const struct addrlbl *addrlbl_find(const struct addrlbl_table *t,
				   const uint8_t *addr, uint32_t ifindex)
{
	uint8_t type = addr_type(addr);
	size_t k;

	for (k = 0; k < t->n; k++) {
		const struct addrlbl *p = &t->v[k];

		if ((p->ifindex && p->ifindex != ifindex) ||
		    (p->addrtype && p->addrtype != type) ||
		    !prefix_has(p->prefix, p->plen, addr))
			continue;
		return p;
	}
	return NULL;
}

/* An address's label (ipv6_addr_label()): ADDRLBL_NONE without an entry */
uint32_t addrlbl_label(const struct addrlbl_table *t, const uint8_t *addr,
		       uint32_t ifindex)
{
	const struct addrlbl *p = addrlbl_find(t, addr, ifindex);

	return p ? p->label : ADDRLBL_NONE;
}

/**
 * addrlbl_init() - a table with Linux's default entries
 * @t:		the table (its old contents are not freed)
 *
 * Return: 0, or -ENOMEM
 */
int addrlbl_init(struct addrlbl_table *t)
{
	/* ip6addrlbl_init_table, in its order; added one by one they sort
	 * as Linux lists them */
	static const struct {
		uint8_t prefix[16];
		uint8_t plen;
		uint32_t label;
	} def[] = {
		{ { 0 }, 0, 1 },				/* ::/0 */
		{ { 0xfc }, 7, 5 },				/* ULA */
		{ { 0xfe, 0xc0 }, 10, 11 },			/* site-local */
		{ { 0x20, 0x02 }, 16, 2 },			/* 6to4 */
		{ { 0x3f, 0xfe }, 16, 12 },			/* 6bone */
		{ { 0x20, 0x01 }, 32, 6 },			/* Teredo */
		{ { 0x20, 0x01, 0x00, 0x10 }, 28, 7 },		/* ORCHID */
		{ { [10] = 0xff, [11] = 0xff }, 96, 4 },	/* IPv4-mapped */
		{ { 0 }, 96, 3 },				/* IPv4-compatible */
		{ { [15] = 1 }, 128, 0 },			/* ::1 */
	};
	size_t k;
	int ret;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < sizeof(def) / sizeof(def[0]); k++) {
		ret = addrlbl_add(t, def[k].prefix, def[k].plen, 0, def[k].label, false);
		if (ret) {
			addrlbl_fini(t);
			return ret;
		}
	}
	return 0;
}

/* Free the entries */
void addrlbl_fini(struct addrlbl_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

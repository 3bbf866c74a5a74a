// SPDX-License-Identifier: MIT
/*
 * acl.c - the uplink's allow and deny prefixes (acl.h).
 *
 * A handful of rules per sandbox, checked once per connection or flow, so
 * a plain array searched from the end is enough: the longest match wins,
 * and among rules of one length the newest, which is the last in the array.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "acl.h"
#include "internal.h"

#define ACL_MAX 1024

struct rt_acl {
	struct rt_acl_rule *r;
	unsigned int n, cap;
};

struct rt_acl *rt_acl_new(void)
{
	return calloc(1, sizeof(struct rt_acl));
}

void rt_acl_free(struct rt_acl *a)
{
	if (!a)
		return;
	free(a->r);
	free(a);
}

static unsigned int alen(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static bool host_bits_zero(const uint8_t *p, unsigned int plen,
			   unsigned int len)
{
	unsigned int i;

	for (i = plen; i < len * 8; i++)
		if (p[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static int find(const struct rt_acl *a, uint8_t family, const uint8_t *addr,
		uint8_t plen)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (a->r[i].family == family && a->r[i].plen == plen &&
		    !memcmp(a->r[i].addr, addr, alen(family)))
			return (int)i;
	return -1;
}

/**
 * rt_acl_add() - add a rule, or change the verdict of an existing prefix
 * @a:		the list
 * @r:		the rule
 *
 * Return: 0; -EINVAL for a bad family, length or set host bits; -ENOSPC
 * past 1024 rules; -ENOMEM
 */
int rt_acl_add(struct rt_acl *a, const struct rt_acl_rule *r)
{
	struct rt_acl_rule *nr;
	int i;

	if (!a || !r || (r->family != AF_INET && r->family != AF_INET6) ||
	    r->plen > alen(r->family) * 8 ||
	    !host_bits_zero(r->addr, r->plen, alen(r->family)))
		return -EINVAL;
	i = find(a, r->family, r->addr, r->plen);
	if (i >= 0) {
		/* Moved to the end: the newest verdict of this prefix. */
		memmove(&a->r[i], &a->r[i + 1],
			(a->n - (unsigned int)i - 1) * sizeof(*a->r));
		a->n--;
	} else if (a->n >= ACL_MAX) {
		return -ENOSPC;
	}
	if (a->n == a->cap) {
		unsigned int cap = a->cap ? a->cap * 2 : 8;

		nr = realloc(a->r, cap * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		a->r = nr;
		a->cap = cap;
	}
	a->r[a->n] = *r;
	memset(a->r[a->n].addr + alen(r->family), 0, 16 - alen(r->family));
	a->n++;
	return 0;
}

/**
 * rt_acl_del() - remove the rule for a prefix
 * @a:		the list
 * @family:	AF_INET or AF_INET6
 * @addr:	the prefix
 * @plen:	its length
 *
 * Return: 0, or -ESRCH when no rule has that prefix
 */
int rt_acl_del(struct rt_acl *a, uint8_t family, const uint8_t *addr,
	       uint8_t plen)
{
	int i;

	if (!a || !addr)
		return -EINVAL;
	i = find(a, family, addr, plen);
	if (i < 0)
		return -ESRCH;
	memmove(&a->r[i], &a->r[i + 1],
		(a->n - (unsigned int)i - 1) * sizeof(*a->r));
	a->n--;
	return 0;
}

static bool is_loopback(uint8_t family, const uint8_t *x)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	return family == AF_INET ? x[0] == 127 : !memcmp(x, v6lo, 16);
}

/**
 * rt_acl_allowed() - whether the uplink may reach a host destination
 * @a:		the list (NULL: no rules)
 * @family:	AF_INET or AF_INET6
 * @addr:	the destination
 *
 * Return: the verdict of the longest matching rule; with none, false for
 * the host's loopback and true for everything else
 */
bool rt_acl_allowed(const struct rt_acl *a, uint8_t family, const uint8_t *addr)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct rt_acl_rule *best = NULL;
	unsigned int i;

	if (family == AF_INET6 && !memcmp(addr, mapped, 12)) {
		family = AF_INET;
		addr += 12;
	}
	if (family != AF_INET && family != AF_INET6)
		return false;
	for (i = a ? a->n : 0; i-- > 0;) {
		const struct rt_acl_rule *r = &a->r[i];

		if (r->family == family && (!best || r->plen > best->plen) &&
		    rt__prefix_has(r->addr, addr, r->plen))
			best = r;
	}
	return best ? best->allow : !is_loopback(family, addr);
}

/**
 * rt_acl_walk() - call @fn for each rule, oldest first
 * @a:		the list
 * @fn:		called per rule; a non-zero return stops the walk
 * @arg:	passed to @fn
 *
 * Return: what @fn returned last, 0 when every rule was visited
 */
int rt_acl_walk(const struct rt_acl *a, rt_acl_fn *fn, void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; a && i < a->n; i++)
		if ((ret = fn(arg, &a->r[i])))
			return ret;
	return 0;
}

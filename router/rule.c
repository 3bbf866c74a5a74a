// SPDX-License-Identifier: MIT
/*
 * rule.c - routing rules (policy routing), as Linux's fib rules: each
 * family's list by priority, added, deleted and walked with the words of
 * net/core/fib_rules.c, and the match of one rule against a packet.  The
 * lookup that walks them is table.c's (it needs the tables' insides).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "internal.h"

/**
 * rt__rule_match() - whether a rule's selectors take a packet
 * @r:		the rule
 * @dst:	the packet's destination
 * @fl:		the rest of it
 *
 * As fib_rule_match() with fib4_rule_match() or fib6_rule_match(): a
 * detached device selector matches nothing; a port range matches the
 * port in host order, inclusive (fib_rule_port_inrange()); "not" inverts
 * the answer.
 *
 * Return: true when the rule applies
 */
bool rt__rule_match(const struct rt_rule *r, const uint8_t *dst,
		    const struct rt_flow *fl)
{
	static const uint8_t none[16];
	bool m = true;

	if (r->iifname[0] && (!r->iif || r->iif != fl->iif))
		m = false;
	else if (r->oifname[0] && (!r->oif || r->oif != fl->oif))
		m = false;
	else if ((r->mark ^ fl->mark) & r->mark_mask)
		m = false;
	else if (r->src_len &&
		 !rt__prefix_has(r->src, fl->src ? fl->src : none, r->src_len))
		m = false;
	else if (r->dst_len && !rt__prefix_has(r->dst, dst, r->dst_len))
		m = false;
	else if (r->tos && r->tos != fl->tos)
		m = false;
	else if (r->uid_set && (fl->uid < r->uid[0] || fl->uid > r->uid[1]))
		m = false;
	else if (r->ip_proto && r->ip_proto != fl->proto)
		m = false;
	else if (r->sport[0] && (fl->sport < r->sport[0] || fl->sport > r->sport[1]))
		m = false;
	else if (r->dport[0] && (fl->dport < r->dport[0] || fl->dport > r->dport[1]))
		m = false;
	return m != !!(r->flags & FIB_RULE_INVERT);
}

/* Whether the rules of family @f are Linux's defaults, in order */
static bool plain(const struct rt_set *s, int f)
{
	static const uint32_t tables[] = {
		RT_TABLE_LOCAL_ID, RT_TABLE_MAIN_ID, RT_TABLE_DEFAULT_ID,
	};
	static const uint32_t prefs[] = { 0, 32766, 32767 };
	size_t n = f ? 2 : 3, k;

	if (s->n_rules[f] != n)
		return false;
	for (k = 0; k < n; k++) {
		const struct rt_rule *r = &s->rules[f][k];

		if (r->action != FR_ACT_TO_TBL || r->table != tables[k] ||
		    r->priority != prefs[k] || r->src_len || r->dst_len ||
		    r->tos || r->flags || r->iifname[0] || r->oifname[0] ||
		    r->mark_mask || r->suppress_prefixlen != -1 ||
		    r->ip_proto || r->sport[0] || r->dport[0] || r->uid_set)
			return false;
	}
	return true;
}

static void changed(struct rt_set *s, int f, enum rt_event ev,
		    const struct rt_rule *r)
{
	s->rules_plain[f] = plain(s, f);
	if (s->rule_notify)
		s->rule_notify(s->rule_notify_arg, ev, r);
}

/* Put @r at @pos of family @f's list */
static int insert(struct rt_set *s, int f, size_t pos, const struct rt_rule *r)
{
	struct rt_rule *a = s->rules[f];

	if (s->n_rules[f] == s->cap_rules[f]) {
		size_t cap = s->cap_rules[f] ? 2 * s->cap_rules[f] : 4;

		a = rt__resize(&s->bytes, a, s->cap_rules[f] * sizeof(*a),
			       cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		s->rules[f] = a;
		s->cap_rules[f] = cap;
	}
	memmove(&a[pos + 1], &a[pos], (s->n_rules[f] - pos) * sizeof(*a));
	a[pos] = *r;
	s->n_rules[f]++;
	return 0;
}

/**
 * rt__rules_init() - a new set's default rules, and the infos of the
 *		      failing rule actions
 * @s:		the set
 *
 * Return: 0 or -ENOMEM
 */
int rt__rules_init(struct rt_set *s)
{
	static const struct { uint8_t family; uint32_t table, pref; } defs[] = {
		{ AF_INET, RT_TABLE_LOCAL_ID, 0 },
		{ AF_INET, RT_TABLE_MAIN_ID, 32766 },
		{ AF_INET, RT_TABLE_DEFAULT_ID, 32767 },
		{ AF_INET6, RT_TABLE_LOCAL_ID, 0 },
		{ AF_INET6, RT_TABLE_MAIN_ID, 32766 },
	};
	static const int results[2] = { -EACCES, -EINVAL };
	size_t k;

	for (k = 0; k < 2; k++) {
		struct rt__info *i = rt__zalloc(&s->bytes, RT__INFO_ALLOC(0));

		if (!i)
			return -ENOMEM;
		i->result = results[k];
		s->act_info[k] = i;
	}
	for (k = 0; k < sizeof(defs) / sizeof(defs[0]); k++) {
		struct rt_rule r = {
			.family = defs[k].family, .action = FR_ACT_TO_TBL,
			.protocol = RTPROT_KERNEL, .priority = defs[k].pref,
			.table = defs[k].table, .suppress_prefixlen = -1,
		};
		int f = rt__fam(r.family);

		if (insert(s, f, s->n_rules[f], &r))
			return -ENOMEM;
	}
	s->rules_plain[0] = s->rules_plain[1] = true;
	return 0;
}

/* Free what rt__rules_init() and the rules hold */
void rt__rules_free(struct rt_set *s)
{
	int f;

	for (f = 0; f < 2; f++) {
		free(s->rules[f]);
		free((void *)s->act_info[f]);
	}
}

/**
 * rt_rules_default() - whether a family has only Linux's default rules
 *			(then no lookup depends on more than the destination)
 * @s:		set
 * @family:	AF_INET or AF_INET6
 *
 * Return: true when its rules are the default ones
 */
bool rt_rules_default(const struct rt_set *s, uint8_t family)
{
	int f = rt__fam(family);

	return f < 0 || s->rules_plain[f];
}

/**
 * rt_set_rule_notify() - set the one listener told of rule changes
 * @s:		set
 * @fn:		listener, NULL for none
 * @arg:	its argument
 */
void rt_set_rule_notify(struct rt_set *s, rt_rule_notify_fn *fn, void *arg)
{
	if (!s)
		return;
	s->rule_notify = fn;
	s->rule_notify_arg = arg;
}

/* fib_rule_port_range_compare() */
static bool ports_equal(const uint16_t *a, const uint16_t *b)
{
	return a[0] == b[0] && a[1] == b[1];
}

/* Linux's unset uid range is 0..~0: an unset one equals only another */
static bool uids_equal(const struct rt_rule *a, const struct rt_rule *b)
{
	return a->uid_set == b->uid_set &&
	       (!a->uid_set || (a->uid[0] == b->uid[0] && a->uid[1] == b->uid[1]));
}

/* rule_exists(): equal in everything a request can give */
static bool rule_equal(const struct rt_rule *a, const struct rt_rule *b)
{
	unsigned int alen = a->family == AF_INET ? 4 : 16;

	return uids_equal(a, b) && a->ip_proto == b->ip_proto &&
	       ports_equal(a->sport, b->sport) &&
	       ports_equal(a->dport, b->dport) && a->action == b->action && a->table == b->table &&
	       a->priority == b->priority && a->target == b->target &&
	       !strcmp(a->iifname, b->iifname) &&
	       !strcmp(a->oifname, b->oifname) && a->mark == b->mark &&
	       a->mark_mask == b->mark_mask && a->flags == b->flags &&
	       a->suppress_prefixlen == b->suppress_prefixlen &&
	       a->protocol == b->protocol && a->src_len == b->src_len &&
	       a->dst_len == b->dst_len && a->tos == b->tos &&
	       a->realm == b->realm && !memcmp(a->src, b->src, alen) &&
	       !memcmp(a->dst, b->dst, alen);
}

/* A port range unset ({0, 0}) or as fib_rule_port_range_valid() wants
 * it: 1 <= start <= end < 65535 */
static bool ports_valid(const uint16_t *p)
{
	return (!p[0] && !p[1]) || (p[0] && p[0] <= p[1] && p[1] < 0xffff);
}

/**
 * rt_rule_add() - add a rule after those of equal or lower priority
 * @s:		set
 * @r:		the rule; its priority is set when @has_priority is false;
 *		@r->iif and @r->oif are the named devices' (0: detached)
 * @has_priority: whether @r->priority was given
 * @excl:	fail with -EEXIST when an equal rule exists (NLM_F_EXCL)
 *
 * Return: 0, -EEXIST, -EINVAL (bad family, lengths, action, port or uid
 * range, or a goto that does not go forward), -ENOMEM
 */
int rt_rule_add(struct rt_set *s, struct rt_rule *r, bool has_priority, bool excl)
{
	int f = r ? rt__fam(r->family) : -1;
	unsigned int bits = f ? 128 : 32;
	size_t pos, k;
	int ret;

	if (!s || f < 0 || r->src_len > bits || r->dst_len > bits ||
	    !r->action || r->action > FR_ACT_PROHIBIT || !ports_valid(r->sport) ||
	    !ports_valid(r->dport) ||
	    (r->uid_set && (r->uid[0] > r->uid[1] || r->uid[1] == UINT32_MAX)))
		return -EINVAL;
	if (!has_priority)	/* fib_default_rule_pref() */
		r->priority = s->n_rules[f] >= 2 && s->rules[f][1].priority ?
			      s->rules[f][1].priority - 1 : 0;
	if (r->action == FR_ACT_GOTO && r->target <= r->priority)
		return -EINVAL;
	if (!r->iifname[0])
		r->iif = 0;
	if (!r->oifname[0])
		r->oif = 0;
	r->iifname[sizeof(r->iifname) - 1] = '\0';
	r->oifname[sizeof(r->oifname) - 1] = '\0';
	for (k = 0; excl && k < s->n_rules[f]; k++)
		if (rule_equal(&s->rules[f][k], r))
			return -EEXIST;
	for (pos = 0; pos < s->n_rules[f] && s->rules[f][pos].priority <= r->priority; pos++)
		;
	/* fib6_rule_configure() makes the table a rule names
	 * (fib4_rule_configure() only the one it picks for table 0:
	 * rt_rule_free_table()) */
	if (r->action == FR_ACT_TO_TBL && f && (ret = rt__table_made(s, f, r->table)))
		return ret;
	ret = insert(s, f, pos, r);
	if (!ret)
		changed(s, f, RT_EV_NEW, &s->rules[f][pos]);
	return ret;
}

/* rule_find(): the fields @mask names are equal */
static bool rule_fits(const struct rt_rule *q, const struct rt_rule *m,
		      unsigned int mask)
{
	unsigned int alen = m->family == AF_INET ? 4 : 16;

	return (!(mask & RT_RULE_ACTION) || q->action == m->action) &&
	       (!(mask & RT_RULE_TABLE) || q->table == m->table) &&
	       (!(mask & RT_RULE_PRIORITY) || q->priority == m->priority) &&
	       (!(mask & RT_RULE_IIF) || !strcmp(q->iifname, m->iifname)) &&
	       (!(mask & RT_RULE_OIF) || !strcmp(q->oifname, m->oifname)) &&
	       (!(mask & RT_RULE_MARK) || q->mark == m->mark) &&
	       (!(mask & RT_RULE_MASK) || q->mark_mask == m->mark_mask) &&
	       (!(mask & RT_RULE_SUPPRESS) ||
		q->suppress_prefixlen == m->suppress_prefixlen) &&
	       (!(mask & RT_RULE_PROTOCOL) || q->protocol == m->protocol) &&
	       (!(mask & RT_RULE_SRC) || (q->src_len == m->src_len &&
					  !memcmp(q->src, m->src, alen))) &&
	       (!(mask & RT_RULE_DST) || (q->dst_len == m->dst_len &&
					  !memcmp(q->dst, m->dst, alen))) &&
	       (!(mask & RT_RULE_TOS) || q->tos == m->tos) &&
	       (!(mask & RT_RULE_REALM) || q->realm == m->realm) &&
	       (!(mask & RT_RULE_UID) || uids_equal(q, m)) &&
	       (!(mask & RT_RULE_IPPROTO) || q->ip_proto == m->ip_proto) &&
	       (!(mask & RT_RULE_SPORT) || ports_equal(q->sport, m->sport)) &&
	       (!(mask & RT_RULE_DPORT) || ports_equal(q->dport, m->dport));
}

/**
 * rt_rule_del() - remove the first rule that fits
 * @s:		set
 * @match:	family and the fields of @mask
 * @mask:	RT_RULE_*
 *
 * Return: 0, -ENOENT when none fits, -EINVAL
 */
int rt_rule_del(struct rt_set *s, const struct rt_rule *match, unsigned int mask)
{
	int f = match ? rt__fam(match->family) : -1;
	struct rt_rule gone;
	size_t k;

	if (!s || f < 0)
		return -EINVAL;
	for (k = 0; k < s->n_rules[f]; k++)
		if (rule_fits(&s->rules[f][k], match, mask))
			break;
	if (k == s->n_rules[f])
		return -ENOENT;
	gone = s->rules[f][k];
	memmove(&s->rules[f][k], &s->rules[f][k + 1],
		(s->n_rules[f] - k - 1) * sizeof(gone));
	s->n_rules[f]--;
	changed(s, f, RT_EV_DEL, &gone);
	return 0;
}

/**
 * rt_rule_flags() - a rule's FIB_RULE_* flags as Linux reports them
 * @s:		set
 * @r:		the rule (in @s, or one just removed from it)
 *
 * Return: its own flags, with FIB_RULE_IIF_DETACHED and _OIF_DETACHED
 * for a device selector naming no device, FIB_RULE_UNRESOLVED for a goto
 * whose target priority no rule has
 */
uint32_t rt_rule_flags(const struct rt_set *s, const struct rt_rule *r)
{
	uint32_t flags = r->flags;
	int f = rt__fam(r->family);
	size_t j;

	if (r->iifname[0] && !r->iif)
		flags |= FIB_RULE_IIF_DETACHED;
	if (r->oifname[0] && !r->oif)
		flags |= FIB_RULE_OIF_DETACHED;
	if (r->action == FR_ACT_GOTO && f >= 0) {
		for (j = 0; j < s->n_rules[f]; j++)
			if (s->rules[f][j].priority == r->target)
				break;
		if (j == s->n_rules[f])
			flags |= FIB_RULE_UNRESOLVED;
	}
	return flags;
}

/**
 * rt_rule_walk() - call @fn for each rule of a family in order
 * @s:		set
 * @family:	AF_INET or AF_INET6
 * @skip:	rules to pass over first (a dump that goes on)
 * @fn:		called with each rule and the FIB_RULE_* flags a dump
 *		shows (the rule's, with detached and unresolved)
 * @arg:	its argument
 *
 * Return: 0, or @fn's first non-zero return
 */
int rt_rule_walk(const struct rt_set *s, uint8_t family, size_t skip,
		 rt_rule_walk_fn *fn, void *arg)
{
	int f = s ? rt__fam(family) : -1, ret;
	size_t k;

	if (f < 0 || !fn)
		return -EINVAL;
	for (k = skip; k < s->n_rules[f]; k++) {
		ret = fn(arg, &s->rules[f][k], rt_rule_flags(s, &s->rules[f][k]));
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * rt_rule_dev() - device @ifindex is now called @name, or is gone
 * @s:		set
 * @ifindex:	the device
 * @name:	its name, NULL when it was removed
 *
 * Rules naming @name attach to it; rules attached to @ifindex under
 * another name (it was renamed, or removed) detach, as
 * fib_rules_event() does on NETDEV_REGISTER, _CHANGENAME and
 * _UNREGISTER.  No notification, as Linux.
 */
void rt_rule_dev(struct rt_set *s, uint32_t ifindex, const char *name)
{
	size_t k;
	int f;

	if (!s || !ifindex)
		return;
	for (f = 0; f < 2; f++) {
		for (k = 0; k < s->n_rules[f]; k++) {
			struct rt_rule *r = &s->rules[f][k];

			if (r->iif == ifindex && (!name || strcmp(r->iifname, name)))
				r->iif = 0;
			if (r->oif == ifindex && (!name || strcmp(r->oifname, name)))
				r->oif = 0;
			if (name && r->iifname[0] && !strcmp(r->iifname, name))
				r->iif = ifindex;
			if (name && r->oifname[0] && !strcmp(r->oifname, name))
				r->oif = ifindex;
		}
	}
}

/* SPDX-License-Identifier: MIT */
/*
 * addrlabel.h - IPv6 address labels: RFC 6724's policy table as Linux
 * keeps it (net/ipv6/addrlabel.c), which `ip addrlabel` lists and
 * changes and source address selection reads (rule 6: prefer a source
 * whose label is the destination's).
 */
#ifndef RRS_ADDRLABEL_H
#define RRS_ADDRLABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDRLBL_NONE	0xffffffffu	/* IPV6_ADDR_LABEL_DEFAULT: no entry */
#define ADDRLBL_MAX	4096		/* entries; ENOMEM past it */

/**
 * struct addrlbl - one entry
 * @prefix:	the prefix, host bits zero
 * @plen:	its length, 0..128
 * @addrtype:	0, or the kind of address the entry is for alone: an
 *		entry of ::ffff:0:0/96 is for IPv4-mapped addresses, of a
 *		::a.b.c.d/96 for IPv4-compatible ones, of ::1/128 for the
 *		loopback (ip6addrlbl_alloc())
 * @ifindex:	the device the entry is for, 0 for all
 * @label:	the label
 */
struct addrlbl {
	uint8_t prefix[16];
	uint8_t plen;
	uint8_t addrtype;
	uint32_t ifindex;
	uint32_t label;
};

/**
 * struct addrlbl_table - the entries in lookup order
 * @v:		entries: longer prefixes first, a device's before the
 *		others of its length, then as added (__ip6addrlbl_add())
 * @n:		how many
 * @cap:	room in @v
 * @seq:	counts changes; dumps carry it (ifal_seq)
 */
struct addrlbl_table {
	struct addrlbl *v;
	size_t n, cap;
	uint32_t seq;
};

int addrlbl_init(struct addrlbl_table *t);
void addrlbl_fini(struct addrlbl_table *t);
int addrlbl_add(struct addrlbl_table *t, const uint8_t *prefix, unsigned int plen,
		uint32_t ifindex, uint32_t label, bool replace);
int addrlbl_del(struct addrlbl_table *t, const uint8_t *prefix, unsigned int plen,
		uint32_t ifindex);
const struct addrlbl *addrlbl_find(const struct addrlbl_table *t,
				   const uint8_t *addr, uint32_t ifindex);
uint32_t addrlbl_label(const struct addrlbl_table *t, const uint8_t *addr,
		       uint32_t ifindex);

#endif

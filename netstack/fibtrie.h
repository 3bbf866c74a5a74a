/* SPDX-License-Identifier: MIT */
/*
 * fibtrie.h - Linux's LC-trie of one IPv4 routing table, rebuilt from a
 * list of routes, and printed as /proc/net/fib_trie and fib_triestat
 * print it (fibtrie.c).  procnet_files.c gives it the sandbox's routes;
 * it knows nothing of the router, lwIP or the sandbox, so its unit test
 * (tests/unit/check_fibtrie.c) links it alone.
 */
#ifndef RRS_FIBTRIE_H
#define RRS_FIBTRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * struct fibtrie_alias - one route of a table, as a leaf of the trie
 *			  lists it (Linux's fib_alias)
 * @key:	the prefix, host byte order, host bits zero
 * @plen:	its length, 0..32
 * @type:	RTN_*
 * @scope:	RT_SCOPE_*
 * @tos:	the TOS key, 0 for none
 * @early:	its leaf goes in before those without such an alias (the
 *		routes of addresses, which a kernel has before others)
 */
struct fibtrie_alias {
	uint32_t key;
	uint8_t plen;
	uint8_t type;
	uint8_t scope;
	uint8_t tos;
	bool early;
};

struct fibtrie;

int fibtrie_new(const struct fibtrie_alias *a, size_t n,
		     struct fibtrie **out);
void fibtrie_free(struct fibtrie *t);
void fibtrie_show(const struct fibtrie *t, uint32_t table, FILE *f);
void fibtrie_stat_head(FILE *f);
void fibtrie_stat(const struct fibtrie *t, uint32_t table, FILE *f);

#endif /* RRS_FIBTRIE_H */

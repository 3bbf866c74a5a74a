/* SPDX-License-Identifier: MIT */
/*
 * neighparm.h - the neighbour tables' parameters (Linux's struct
 * neigh_parms and the table-wide part of struct neigh_table): the files
 * of /proc/sys/net/ipv4|ipv6/neigh/DEV/, RTM_GETNEIGHTBL and
 * RTM_SETNEIGHTBL (`ip ntable`), with the values a new network namespace
 * starts with and the units, formats and ranges of Linux's handlers.
 */
#ifndef RRS_NEIGHPARM_H
#define RRS_NEIGHPARM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux's NEIGH_VAR_* that a device has (neigh_parms.data[]), in its
 * order; the times in jiffies of the host's HZ (neighparm_hz()) */
enum neighparm_var {
	NPV_MCAST_PROBES, NPV_UCAST_PROBES, NPV_APP_PROBES,
	NPV_MCAST_REPROBES, NPV_RETRANS_TIME, NPV_BASE_REACHABLE_TIME,
	NPV_DELAY_PROBE_TIME, NPV_INTERVAL_PROBE_TIME_MS, NPV_GC_STALETIME,
	NPV_QUEUE_LEN_BYTES, NPV_PROXY_QLEN, NPV_ANYCAST_DELAY,
	NPV_PROXY_DELAY, NPV_LOCKTIME, NPV_MAX
};

/* SKB_TRUESIZE(ETH_FRAME_LEN) on Linux 6.18 x86_64 (unres_qlen 5 gives
 * unres_qlen_bytes 10450): the unit of unres_qlen and NDTPA_QUEUE_LEN */
#define NEIGHPARM_TRUESIZE	2090

/**
 * struct neighparm - one device's parameters of one table (ARP or ND)
 * @v:		by enum neighparm_var, ints as Linux keeps them
 * @reachable:	reachable_time: jiffies drawn at random between half and
 *		one and a half times base_reachable_time (neigh_rand_reach_time())
 * @born:	when it was made, in making order: Linux lists the newest
 *		device first (neigh_parms_alloc() adds at the list's head)
 */
struct neighparm {
	int32_t v[NPV_MAX];
	int32_t reachable;
	uint64_t born;
};

/**
 * struct neightbl - a table's own state, as RTM_GETNEIGHTBL shows it
 * @made_ms:	when it was made (last_flush counts from it), CLOCK_MONOTONIC
 * @rand_ms:	when the reachable times were last drawn (last_rand)
 * @hash_rnd:	its hash seed, drawn once
 * @shift:	its hash table's size, 1 << @shift buckets: 8 at first,
 *		doubled when there are more entries than buckets
 * @grows:	how many times it doubled
 * @dflt:	its own parameters (tbl->parms), which new devices copy;
 *		the host namespace's alone to change (neigh/default/)
 */
struct neightbl {
	struct neighparm dflt;
	uint64_t made_ms, rand_ms;
	uint32_t hash_rnd;
	unsigned int shift;
	uint64_t grows;
};

int neighparm_hz(void);
uint64_t neighparm_now_ms(void);
void neighparm_init(struct neighparm *p, int family);
void neighparm_draw(struct neighparm *p);
void neightbl_init(struct neightbl *t, int family);
void neightbl_entries(struct neightbl *t, unsigned int entries);

/* /proc/sys/net/ipv4|ipv6/neigh/DEV/NAME */
int neighparm_file(const char *name);
bool neighparm_default_name(const char *name);
int neighparm_print(const struct neighparm *p, int family, int file,
		    char *buf, size_t size);
int neighparm_write(struct neighparm *p, int family, int file,
		    const char *buf, size_t len);

/* rtnetlink: nla_put_msecs()'s and nla_get_msecs()'s conversions */
uint64_t neighparm_msecs(int32_t jiffies);
int32_t neighparm_jiffies(uint64_t msecs);
uint32_t neighparm_qlen(int32_t bytes);

#endif

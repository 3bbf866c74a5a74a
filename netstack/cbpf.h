/* SPDX-License-Identifier: MIT */
/*
 * cbpf.h - classic BPF socket filters (SO_ATTACH_FILTER), checked and run
 * on a datagram in memory as Linux checks and runs them on an skb.
 */
#ifndef RRS_CBPF_H
#define RRS_CBPF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

int cbpf_check(const struct sock_filter *f, unsigned int n);
uint32_t cbpf_run(const struct sock_filter *f, unsigned int n,
		  const uint8_t *pkt, size_t len);

#endif

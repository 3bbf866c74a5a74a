/* SPDX-License-Identifier: MIT */
/*
 * md5.h - MD5 (RFC 1321), for TCP MD5 signatures (RFC 2385).
 *
 * Used by netstack/tcpmd5.c; depends on nothing.  MD5 is broken as a
 * general hash; RFC 2385 still mandates it, and BGP still uses it.
 *
 * md5_secret() is a random 16-byte key, drawn once per process, for keyed
 * hashes an outsider must not predict (TCP initial sequence numbers,
 * sock_diag cookies).
 */
#ifndef RRS_MD5_H
#define RRS_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN	16

/**
 * struct md5 - a running MD5 computation
 */
struct md5 {
	uint32_t h[4];		/* state A, B, C, D */
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];	/* the partial block */
};

void md5_init(struct md5 *m);
void md5_update(struct md5 *m, const void *data, size_t len);
void md5_final(struct md5 *m, uint8_t out[MD5_DIGEST_LEN]);
const uint8_t *md5_secret(void);

#endif /* RRS_MD5_H */

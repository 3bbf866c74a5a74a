/* SPDX-License-Identifier: MIT */
/*
 * md5.c - MD5 message digest, written from RFC 1321 (sections 3.1 to 3.5).
 *
 * The four rounds of sixteen steps each use one auxiliary function (F, G,
 * H, I), a message word chosen by the round's schedule, a shift from the
 * round's table of four, and the constant floor(2^32 * |sin(i + 1)|).
 * Words are little endian, as the RFC says; nothing here depends on the
 * host's byte order.
 */
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "md5.h"

/* T[i] = floor(4294967296 * abs(sin(i + 1))), RFC 1321 3.4. */
static const uint32_t T[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Left rotations: one row of four per round. */
static const uint8_t S[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t rol(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* One 64-byte block, RFC 1321 3.4. */
static void block(uint32_t h[4], const uint8_t *blk)
{
	uint32_t x[16], a = h[0], b = h[1], c = h[2], d = h[3], f, t;
	unsigned int i, k;

	for (i = 0; i < 16; i++)
		x[i] = get_le32(blk + 4 * i);
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:	f = (b & c) | (~b & d);	k = i;			break;
		case 1:	f = (b & d) | (c & ~d);	k = (5 * i + 1) % 16;	break;
		case 2:	f = b ^ c ^ d;		k = (3 * i + 5) % 16;	break;
		default: f = c ^ (b | ~d);	k = (7 * i) % 16;	break;
		}
		t = d;
		d = c;
		c = b;
		b = b + rol(a + f + x[k] + T[i], S[i / 16][i % 4]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

/**
 * md5_init() - start a digest
 * @m:		the computation
 */
void md5_init(struct md5 *m)
{
	m->h[0] = 0x67452301;	/* RFC 1321 3.3 */
	m->h[1] = 0xefcdab89;
	m->h[2] = 0x98badcfe;
	m->h[3] = 0x10325476;
	m->len = 0;
}

/**
 * md5_update() - hash more bytes
 * @m:		the computation
 * @data:	the bytes
 * @len:	how many
 */
void md5_update(struct md5 *m, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = (size_t)(m->len % 64), n;

	m->len += len;
	if (have) {
		n = 64 - have < len ? 64 - have : len;
		memcpy(m->buf + have, p, n);
		p += n;
		len -= n;
		if (have + n < 64)
			return;
		block(m->h, m->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		block(m->h, p);
	if (len)
		memcpy(m->buf, p, len);
}

/**
 * md5_final() - pad, finish and give the digest
 * @m:		the computation; start again with md5_init()
 * @out:	the 16-byte digest
 */
void md5_final(struct md5 *m, uint8_t out[MD5_DIGEST_LEN])
{
	uint8_t pad[72] = { 0x80 };
	uint64_t bits = m->len * 8;
	size_t have = (size_t)(m->len % 64);
	size_t n = have < 56 ? 56 - have : 120 - have;
	int i;

	/* A one bit, zeros to 56 mod 64, then the length in bits, low word
	 * first (RFC 1321 3.1, 3.2). */
	for (i = 0; i < 8; i++)
		pad[n + i] = (uint8_t)(bits >> (8 * i));
	md5_update(m, pad, n + 8);
	for (i = 0; i < 4; i++)
		put_le32(out + 4 * i, m->h[i]);
}

/**
 * md5_secret() - the process's random 16-byte key for keyed hashes
 *
 * From getrandom(); should that fail (no entropy yet), from the clocks,
 * which an outsider can guess only roughly.
 *
 * Return: the key, the same for the life of the process
 */
const uint8_t *md5_secret(void)
{
	static uint8_t key[MD5_DIGEST_LEN];
	static int keyed;

	if (!keyed) {
		if (getrandom(key, sizeof(key), GRND_NONBLOCK) != sizeof(key)) {
			struct timespec t[2];
			struct md5 m;

			clock_gettime(CLOCK_MONOTONIC, &t[0]);
			clock_gettime(CLOCK_REALTIME, &t[1]);
			md5_init(&m);
			md5_update(&m, t, sizeof(t));
			md5_final(&m, key);
		}
		keyed = 1;
	}
	return key;
}

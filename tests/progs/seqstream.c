/* SPDX-License-Identifier: MIT */
/*
 * seqstream.c - a long byte stream whose every byte says where it belongs.
 *
 *   seqstream gen BYTES     write BYTES bytes of the stream to stdout
 *   seqstream check BYTES   read stdin to EOF; pass only if it is exactly
 *                           the first BYTES bytes of the stream
 *
 * The stream is 8-byte words, word i being a mix of i: a lost, repeated,
 * shifted or reordered stretch shows at its first byte, and the checker
 * names that offset (a sha256 of both ends would only say "differs").
 * Nothing repeats within 2^64 bytes, so data 4 GiB apart (one TCP
 * sequence space) differs too.  Both ends run at memory speed, so a
 * transfer of several GiB measures the transport, not the test.
 *
 * Used by tests/scenario/wrap4g.sh; plain libc, like every tracee here.
 * Exit status: 0 pass, 1 mismatch or short/long stream, 2 usage or I/O.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(1u << 20)	/* bytes per write/compare, a multiple of 8 */

static unsigned char want[CHUNK], got[CHUNK];

/* The stream's word number @i (splitmix64's finaliser). */
static uint64_t word(uint64_t i)
{
	uint64_t x = i + 0x9e3779b97f4a7c15ull;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Fill @buf with the CHUNK bytes of the stream starting at @off (a
 * multiple of CHUNK). */
static void fill(unsigned char *buf, uint64_t off)
{
	uint64_t i, w;

	for (i = 0; i < CHUNK / 8; i++) {
		w = word(off / 8 + i);
		memcpy(buf + i * 8, &w, 8);
	}
}

static int gen(uint64_t total)
{
	uint64_t off;
	size_t n, done;
	ssize_t k;

	for (off = 0; off < total; off += n) {
		n = total - off < CHUNK ? (size_t)(total - off) : CHUNK;
		fill(want, off);
		for (done = 0; done < n; done += (size_t)k) {
			k = write(1, want + done, n - done);
			if (k < 0 && errno == EINTR) {
				k = 0;
				continue;
			}
			if (k <= 0) {
				fprintf(stderr, "seqstream gen: write at %" PRIu64 ": %s\n",
					off + done, strerror(errno));
				return 2;
			}
		}
	}
	return 0;
}

/* Read up to CHUNK bytes into got[]; fewer only at EOF. */
static ssize_t read_chunk(void)
{
	size_t have = 0;
	ssize_t k;

	while (have < CHUNK) {
		k = read(0, got + have, CHUNK - have);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		have += (size_t)k;
	}
	return (ssize_t)have;
}

static int check(uint64_t total)
{
	uint64_t off = 0;
	ssize_t n;
	size_t i, cmp;

	for (;;) {
		n = read_chunk();
		if (n < 0) {
			fprintf(stderr, "seqstream check: read at %" PRIu64 ": %s\n",
				off, strerror(errno));
			return 2;
		}
		if (n == 0)
			break;
		fill(want, off);
		cmp = (uint64_t)n;
		if (off + cmp > total)
			cmp = off < total ? (size_t)(total - off) : 0;
		if (memcmp(got, want, cmp) != 0) {
			for (i = 0; got[i] == want[i]; i++)
				;
			printf("seqstream check: mismatch at byte %" PRIu64
			       " (%" PRIu64 " mod 2^32)\n", off + i,
			       (off + i) & 0xffffffffu);
			return 1;
		}
		off += (uint64_t)n;
		if (off > total)
			break;
	}
	if (off != total) {
		printf("seqstream check: got %" PRIu64 " bytes, want %" PRIu64 "\n",
		       off, total);
		return 1;
	}
	printf("seqstream check: %" PRIu64 " bytes exact\n", off);
	return 0;
}

int main(int argc, char **argv)
{
	char *end;
	uint64_t total;

	if (argc != 3)
		goto usage;
	errno = 0;
	total = strtoull(argv[2], &end, 0);
	if (errno || *end || end == argv[2])
		goto usage;
	if (strcmp(argv[1], "gen") == 0)
		return gen(total);
	if (strcmp(argv[1], "check") == 0)
		return check(total);
usage:
	fprintf(stderr, "usage: seqstream gen|check BYTES\n");
	return 2;
}

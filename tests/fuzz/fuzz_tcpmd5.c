/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tcpmd5.c - libFuzzer harness for netstack/tcpmd5.c's two parsers
 * of untrusted input: the MD5 option among a received segment's options
 * (ns__md5_find_option(), the options split between two buffers as lwIP
 * leaves them) and the TCP_MD5SIG value a sandboxed program passes
 * (ns__md5_set(), keys added and deleted on one socket, then a lookup).
 *
 * Input: byte 0 picks the option split and the socket's family, the rest
 * are options (up to 40 bytes), then 216-byte option values.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>

#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"

#include "internal.h"

/* ns__md5_setsockopt() reads tracee memory; the harness calls ns__md5_set(). */
int trc_mem_read(const struct trc_call *c, uint64_t addr, void *buf, size_t len)
{
	return -1;
}

uint64_t trc_call_arg(const struct trc_call *c, int i)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct {
		struct tcp_hdr h;
		uint8_t o[40];
	} x;
	uint8_t opt2[40], sig[16];
	struct sock s;
	ip_addr_t a;
	u16_t optlen, split;

	if (n < 1)
		return 0;
	optlen = (u16_t)(n - 1 < 40 ? n - 1 : 40);
	split = (u16_t)(d[0] % (optlen + 1));
	memset(&x, 0, sizeof(x));
	memcpy(x.o, d + 1, split);
	memcpy(opt2, d + 1 + split, optlen - split);
	ns__md5_find_option(&x.h, optlen, split, opt2, sig);

	memset(&s, 0, sizeof(s));
	s.family = d[0] & 0x80 ? AF_INET6 : AF_INET;
	s.type = SOCK_STREAM;
	for (d += 1 + optlen, n -= 1 + optlen; n >= 216; d += 216, n -= 216) {
		ns__md5_set(&s, d[0] & 1 ? TCP_MD5SIG_EXT : TCP_MD5SIG, d);
		memcpy(&a, d + 8, sizeof(a) < 20 ? sizeof(a) : 20);
		IP_SET_TYPE_VAL(a, d[1] & 1 ? IPADDR_TYPE_V6 : IPADDR_TYPE_V4);
		ns__md5_lookup(s.md5, &a);
	}
	ns__md5_free(&s);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * tcpmd5.c - TCP MD5 signatures (RFC 2385) on lwIP: the TCP_MD5SIG and
 * TCP_MD5SIG_EXT socket options, signing what lwIP sends and checking
 * what it receives.
 *
 * Called by sockopt.c (the options), tcp.c and sock.c (a socket's keys
 * follow its pcb through listen() and accept(), and go with it), tcpin.c
 * (the input check) and lwIP itself through the hooks in rrs_lwip_hooks.h
 * (patches/lwip/0015).  Uses common/md5.c.  Knows nothing of the tracee
 * beyond reading the option's value.
 *
 * Theory of operation.  A socket's keys are one counted set (struct
 * tcpmd5), shared by the socket and its pcb (an lwIP "ext arg", so a pcb
 * keeps its keys after the program closed its socket, through FIN_WAIT
 * and TIME_WAIT, as Linux's timewait sockets keep theirs).  A connection a
 * listener accepts gets a set of its own with a copy of the listener's key
 * for the peer (Linux's tcp_v4_syn_recv_sock()).  Whether a connection is
 * signed is decided once, when its SYN or SYN-ACK is built ("on"): the
 * header space of every queued segment depends on it.  A key added to a
 * connection after its SYN is therefore not used for it; a key deleted
 * from a signed connection leaves NOPs in place of the option.
 *
 * Counters (Linux's TcpExt TCPMD5NotFound, TCPMD5Unexpected,
 * TCPMD5Failure) are file-static like lwIP's own state: one stack per
 * process, and the input hook may see pcbs no socket owns any more.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>

#include "lwip/ip.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/tcp.h"
#include "rrs_lwip_hooks.h"

#include "internal.h"
#include "log.h"
#include "md5.h"

#ifndef TCP_MD5SIG_FLAG_IFINDEX
#define TCP_MD5SIG_FLAG_IFINDEX	2	/* linux/tcp.h */
#endif

#define OPT_MD5			19	/* TCPOPT_MD5SIG */
#define OPT_MD5_LEN		18
#define OPT_MD5_SPACE		20	/* two NOPs before it, as Linux */
/* As a socket's keys are bounded by net.core.optmem_max on Linux (128 KiB
 * on 6.x, about a thousand keys): ENOMEM beyond this. */
#define MAX_KEYS		1024

/**
 * struct md5sig - the option's value, struct tcp_md5sig of linux/tcp.h
 * (glibc's netinet/tcp.h still calls tcpm_ifindex a pad)
 */
struct md5sig {
	struct sockaddr_storage tcpm_addr;
	uint8_t tcpm_flags;		/* TCP_MD5SIG_EXT: FLAG_PREFIX, FLAG_IFINDEX */
	uint8_t tcpm_prefixlen;
	uint16_t tcpm_keylen;		/* 0 deletes */
	int32_t tcpm_ifindex;
	uint8_t tcpm_key[TCP_MD5SIG_MAXKEYLEN];
};
_Static_assert(sizeof(struct md5sig) == 216, "struct tcp_md5sig is 216 bytes");

/**
 * struct tcpmd5 - the keys of one socket, shared with its pcb
 */
struct tcpmd5 {
	unsigned int refs;
	bool on;			/* its connection signs (decided at SYN) */
	unsigned int n;
	struct tcpmd5_key *keys;
};

static struct tcpmd5_stats stats;
static u8_t ext_id = LWIP_TCP_PCB_NUM_EXT_ARG_ID_INVALID;

static void on_destroy(u8_t id, void *data);
static err_t on_passive_open(u8_t id, struct tcp_pcb_listen *lpcb,
			     struct tcp_pcb *cpcb);

static const struct tcp_ext_arg_callbacks callbacks = {
	.destroy = on_destroy,
	.passive_open = on_passive_open,
};

/* ---- key sets ---- */

static struct tcpmd5 *set_new(void)
{
	struct tcpmd5 *m = calloc(1, sizeof(*m));

	if (m)
		m->refs = 1;
	return m;
}

static struct tcpmd5 *set_ref(struct tcpmd5 *m)
{
	if (m)
		m->refs++;
	return m;
}

static void set_unref(struct tcpmd5 *m)
{
	if (!m || --m->refs)
		return;
	/* The keys are secrets: do not leave them in freed memory. */
	if (m->keys)
		explicit_bzero(m->keys, m->n * sizeof(*m->keys));
	free(m->keys);
	free(m);
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole))
		return false;
	return !rest || !((a[whole] ^ b[whole]) & (uint8_t)(0xff << (8 - rest)));
}

/**
 * ns__md5_lookup() - the key a set holds for an address, longest prefix first
 * @m:		the set, or NULL
 * @addr:	the peer's address
 *
 * As Linux's __tcp_md5_do_lookup() without VRFs: a key bound to an
 * interface (TCP_MD5SIG_FLAG_IFINDEX) can only be bound to none here.
 *
 * Return: the key, or NULL
 */
const struct tcpmd5_key *ns__md5_lookup(const struct tcpmd5 *m,
					const ip_addr_t *addr)
{
	const struct tcpmd5_key *best = NULL;
	uint8_t a[16];
	int family;
	unsigned int i;

	if (!m || !m->n || !addr)
		return NULL;
	if (IP_IS_V4(addr)) {
		family = AF_INET;
		memcpy(a, &ip_2_ip4(addr)->addr, 4);
	} else {
		family = AF_INET6;
		memcpy(a, ip_2_ip6(addr)->addr, 16);
	}
	for (i = 0; i < m->n; i++) {
		const struct tcpmd5_key *k = &m->keys[i];

		if (k->family == family && prefix_match(k->addr, a, k->prefixlen) &&
		    (!best || k->prefixlen > best->prefixlen))
			best = k;
	}
	return best;
}

/* Linux's tcp_md5_do_lookup_exact(): what an add replaces, a delete removes. */
static struct tcpmd5_key *find_exact(struct tcpmd5 *m, const struct tcpmd5_key *k)
{
	unsigned int i, alen = k->family == AF_INET ? 4 : 16;

	for (i = 0; m && i < m->n; i++) {
		struct tcpmd5_key *e = &m->keys[i];

		if (e->family == k->family && e->prefixlen == k->prefixlen &&
		    e->flags == k->flags && e->l3index == k->l3index &&
		    !memcmp(e->addr, k->addr, alen))
			return e;
	}
	return NULL;
}

/* ---- pcbs ---- */

static u8_t id(void)
{
	if (ext_id == LWIP_TCP_PCB_NUM_EXT_ARG_ID_INVALID)
		ext_id = tcp_ext_arg_alloc_id();
	return ext_id;
}

static struct tcpmd5 *of_pcb(const struct tcp_pcb *pcb)
{
	if (!pcb || ext_id == LWIP_TCP_PCB_NUM_EXT_ARG_ID_INVALID)
		return NULL;
	return tcp_ext_arg_get(pcb, ext_id);
}

static void pcb_set(struct tcp_pcb *pcb, struct tcpmd5 *m)
{
	struct tcpmd5 *old = of_pcb(pcb);

	if (old == m)
		return;
	tcp_ext_arg_set_callbacks(pcb, id(), &callbacks);
	tcp_ext_arg_set(pcb, id(), set_ref(m));
	set_unref(old);
}

static void on_destroy(u8_t i, void *data)
{
	set_unref(data);
}

/* A listener's connection gets a copy of the key for its peer. */
static err_t on_passive_open(u8_t i, struct tcp_pcb_listen *lpcb,
			     struct tcp_pcb *cpcb)
{
	const struct tcpmd5_key *k =
		ns__md5_lookup(tcp_ext_arg_get((struct tcp_pcb *)lpcb, i),
			       &cpcb->remote_ip);
	struct tcpmd5 *m;

	if (!k)
		return ERR_OK;
	m = set_new();
	if (!m || !(m->keys = malloc(sizeof(*m->keys)))) {
		free(m);
		return ERR_MEM;		/* dropped; the peer sends its SYN again */
	}
	m->keys[0] = *k;
	m->n = 1;
	pcb_set(cpcb, m);
	set_unref(m);
	return ERR_OK;
}

/**
 * ns__md5_attach() - give the socket's keys to its current pcb
 * @s:		the socket; after listen() replaced its pcb, or on a failed one
 */
void ns__md5_attach(struct sock *s)
{
	if (s->md5 && s->pcb.tcp)
		pcb_set(s->pcb.tcp, s->md5);
}

/**
 * ns__md5_detach() - take the keys off a pcb lwIP is about to replace
 * @pcb:	the pcb about to be given to tcp_listen()
 *
 * tcp_listen() copies the pcb's ext args to the listener, then frees the
 * pcb, whose destroy callback releases them: the listener's copy would
 * point at freed keys.  ns__md5_attach() gives them to the listener after.
 */
void ns__md5_detach(struct tcp_pcb *pcb)
{
	struct tcpmd5 *m = of_pcb(pcb);

	if (!m)
		return;
	tcp_ext_arg_set(pcb, ext_id, NULL);
	set_unref(m);
}

/**
 * ns__md5_accepted() - an accepted socket takes its pcb's keys
 * @s:		the new socket, its pcb set
 */
void ns__md5_accepted(struct sock *s)
{
	s->md5 = set_ref(of_pcb(s->pcb.tcp));
}

/**
 * ns__md5_free() - the socket lets go of its keys (its pcb may keep them)
 * @s:		the socket
 */
void ns__md5_free(struct sock *s)
{
	set_unref(s->md5);
	s->md5 = NULL;
}

/* ---- the socket options ---- */

/* Parse struct tcp_md5sig as tcp_v4_parse_md5_keys() and
 * tcp_v6_parse_md5_keys() do (Linux 6.x).  Return: 0 or -EINVAL. */
static int parse(const struct sock *s, int name, const struct md5sig *cmd,
		 struct tcpmd5_key *k)
{
	const struct sockaddr_in *sin = (const void *)&cmd->tcpm_addr;
	const struct sockaddr_in6 *sin6 = (const void *)&cmd->tcpm_addr;
	bool ext = name == TCP_MD5SIG_EXT, mapped = false;
	unsigned int max;

	memset(k, 0, sizeof(*k));
	if (s->family == AF_INET) {
		if (sin->sin_family != AF_INET)
			return -EINVAL;
		k->family = AF_INET;
		memcpy(k->addr, &sin->sin_addr, 4);
		max = 32;
	} else {
		if (sin6->sin6_family != AF_INET6)
			return -EINVAL;
		mapped = IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr);
		/* An IPv4-mapped key is an IPv4 key (its prefix counts from
		 * the IPv4 address), as Linux stores it. */
		k->family = mapped ? AF_INET : AF_INET6;
		memcpy(k->addr, mapped ? &sin6->sin6_addr.s6_addr[12] :
					 sin6->sin6_addr.s6_addr, mapped ? 4 : 16);
		max = mapped ? 32 : 128;
	}
	k->prefixlen = (uint8_t)max;
	if (ext && (cmd->tcpm_flags & TCP_MD5SIG_FLAG_PREFIX)) {
		if (s->family == AF_INET6 && cmd->tcpm_prefixlen > 128)
			return -EINVAL;
		if (cmd->tcpm_prefixlen > max)
			return -EINVAL;
		k->prefixlen = cmd->tcpm_prefixlen;
	}
	/* Linux binds a key only to an L3 master (VRF) device; the sandbox
	 * has none, so any interface index is refused. */
	if (ext && cmd->tcpm_ifindex && (cmd->tcpm_flags & TCP_MD5SIG_FLAG_IFINDEX))
		return -EINVAL;
	k->flags = cmd->tcpm_flags & TCP_MD5SIG_FLAG_IFINDEX;
	if (!ext)
		k->flags = 0;
	if (cmd->tcpm_keylen > TCP_MD5SIG_MAXKEYLEN)
		return -EINVAL;		/* checked for an add only: 0 deletes */
	k->keylen = (uint8_t)cmd->tcpm_keylen;
	memcpy(k->key, cmd->tcpm_key, k->keylen);
	return 0;
}

static int del_key(struct sock *s, const struct tcpmd5_key *k)
{
	struct tcpmd5 *m = s->md5;
	struct tcpmd5_key *e = find_exact(m, k);

	if (!e)
		return -ENOENT;
	explicit_bzero(e, sizeof(*e));
	memmove(e, e + 1, (size_t)(&m->keys[m->n] - (e + 1)) * sizeof(*e));
	m->n--;
	return 0;
}

static int add_key(struct sock *s, const struct tcpmd5_key *k)
{
	struct tcpmd5 *m = s->md5;
	struct tcpmd5_key *e = find_exact(m, k), *v;

	if (e) {
		e->keylen = k->keylen;	/* same peer: a new key replaces it */
		memcpy(e->key, k->key, sizeof(e->key));
		return 0;
	}
	if (!m) {
		if (!(m = set_new()))
			return -ENOMEM;
		s->md5 = m;
		ns__md5_attach(s);
	}
	if (m->n >= MAX_KEYS)
		return -ENOMEM;
	v = realloc(m->keys, (m->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->keys = v;
	m->keys[m->n++] = *k;
	return 0;
}

/**
 * ns__md5_set() - apply a struct tcp_md5sig to a socket
 * @s:		a TCP socket
 * @name:	TCP_MD5SIG or TCP_MD5SIG_EXT
 * @val:	the option's value, 216 bytes (struct tcp_md5sig)
 *
 * A key length of 0 deletes the key of that address, prefix and flags
 * (ENOENT if there is none); otherwise the key is added or replaced.
 *
 * Return: 0 or a negative errno, as Linux
 */
int ns__md5_set(struct sock *s, int name, const void *val)
{
	struct md5sig cmd;
	struct tcpmd5_key k;
	int ret;

	memcpy(&cmd, val, sizeof(cmd));
	ret = parse(s, name, &cmd, &k);
	if (!ret)
		ret = cmd.tcpm_keylen ? add_key(s, &k) : del_key(s, &k);
	explicit_bzero(&cmd, sizeof(cmd));
	explicit_bzero(&k, sizeof(k));
	return ret;
}

/**
 * ns__md5_setsockopt() - setsockopt(IPPROTO_TCP, TCP_MD5SIG[_EXT])
 * @s:		a TCP socket
 * @c:		the call; its value is a struct tcp_md5sig
 * @name:	TCP_MD5SIG or TCP_MD5SIG_EXT
 * @len:	the option length the program gave
 *
 * Return: 0 or a negative errno, as Linux
 */
int ns__md5_setsockopt(struct sock *s, struct trc_call *c, int name, int32_t len)
{
	uint8_t val[sizeof(struct md5sig)];
	uint64_t ptr = trc_call_arg(c, 3);
	int v, ret;

	/* do_tcp_setsockopt() first reads an int, then md5_parse() the rest. */
	if (len < (int32_t)sizeof(int))
		return -EINVAL;
	if (trc_mem_read(c, ptr, &v, sizeof(v)))
		return -EFAULT;
	if (len < (int32_t)sizeof(val))
		return -EINVAL;
	if (trc_mem_read(c, ptr, val, sizeof(val)))
		return -EFAULT;
	ret = ns__md5_set(s, name, val);
	explicit_bzero(val, sizeof(val));
	return ret;
}

/**
 * ns__md5_replay() - give a host socket the keys set on @s (the fast path,
 * hostsock.c): the host's own TCP then signs and checks
 * @s:		the emulated socket
 * @hfd:	the host socket, of @s's family
 *
 * Return: 0, or the negative errno of the first key the host refused
 */
int ns__md5_replay(const struct sock *s, int hfd)
{
	struct md5sig cmd;
	unsigned int i;
	int ret = 0;

	for (i = 0; s->md5 && i < s->md5->n && !ret; i++) {
		const struct tcpmd5_key *k = &s->md5->keys[i];

		memset(&cmd, 0, sizeof(cmd));
		if (s->family == AF_INET) {
			struct sockaddr_in *sin = (void *)&cmd.tcpm_addr;

			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr, k->addr, 4);
		} else {
			struct sockaddr_in6 *sin6 = (void *)&cmd.tcpm_addr;

			sin6->sin6_family = AF_INET6;
			if (k->family == AF_INET) {	/* a mapped key */
				sin6->sin6_addr.s6_addr[10] = 0xff;
				sin6->sin6_addr.s6_addr[11] = 0xff;
				memcpy(&sin6->sin6_addr.s6_addr[12], k->addr, 4);
			} else {
				memcpy(&sin6->sin6_addr, k->addr, 16);
			}
		}
		cmd.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
		/* a mapped key's prefix counts from its IPv4 address, as in
		 * parse() and in Linux */
		cmd.tcpm_prefixlen = k->prefixlen;
		cmd.tcpm_keylen = k->keylen;
		memcpy(cmd.tcpm_key, k->key, k->keylen);
		if (setsockopt(hfd, IPPROTO_TCP, TCP_MD5SIG_EXT, &cmd, sizeof(cmd)))
			ret = -errno;
	}
	explicit_bzero(&cmd, sizeof(cmd));
	return ret;
}

/* ---- signatures ---- */

static void hash_pbuf(struct md5 *h, const struct pbuf *p, u16_t off)
{
	for (; p; p = p->next) {
		if (off >= p->len) {
			off = (u16_t)(off - p->len);
			continue;
		}
		md5_update(h, (const u8_t *)p->payload + off, (size_t)(p->len - off));
		off = 0;
	}
}

/**
 * ns__md5_digest() - an RFC 2385 signature
 * @out:	the 16 bytes
 * @k:		the key
 * @src:	the segment's source address
 * @dst:	its destination (same family)
 * @th:		its 20-byte TCP header, network order (the checksum is
 *		taken as 0, options are left out)
 * @seglen:	TCP header, options and data, in bytes
 * @data:	the segment's data from @off, or NULL
 * @off:	where the data start in @data
 */
void ns__md5_digest(uint8_t out[16], const struct tcpmd5_key *k,
		    const ip_addr_t *src, const ip_addr_t *dst,
		    const uint8_t th[20], uint16_t seglen,
		    const struct pbuf *data, uint16_t off)
{
	uint8_t ph[40], hdr[20];
	size_t n;
	struct md5 h;

	/* RFC 2385 section 2.0: the pseudo-header (RFC 793's for IPv4, RFC
	 * 8200's for IPv6, as Linux's tcp_v6_md5_hash_headers()). */
	memset(ph, 0, sizeof(ph));
	if (IP_IS_V4(src)) {
		memcpy(ph, &ip_2_ip4(src)->addr, 4);
		memcpy(ph + 4, &ip_2_ip4(dst)->addr, 4);
		ph[9] = IP_PROTO_TCP;
		ph[10] = (uint8_t)(seglen >> 8);
		ph[11] = (uint8_t)seglen;
		n = 12;
	} else {
		memcpy(ph, ip_2_ip6(src)->addr, 16);
		memcpy(ph + 16, ip_2_ip6(dst)->addr, 16);
		ph[34] = (uint8_t)(seglen >> 8);
		ph[35] = (uint8_t)seglen;
		ph[39] = IP_PROTO_TCP;
		n = 40;
	}
	memcpy(hdr, th, sizeof(hdr));
	hdr[16] = hdr[17] = 0;
	md5_init(&h);
	md5_update(&h, ph, n);
	md5_update(&h, hdr, sizeof(hdr));
	if (data)
		hash_pbuf(&h, data, off);
	md5_update(&h, k->key, k->keylen);
	md5_final(&h, out);
	explicit_bzero(&h, sizeof(h));
}

/* Whether segments of @pcb carry the option: a connection decided at its
 * SYN; a listener (answering a segment with a RST) has a key for the
 * segment's source.  A RST for no connection (no pcb) is never signed:
 * see rrs_tcp_inpacket_nopcb() in tcpin.c. */
static bool signs(const struct tcp_pcb *pcb)
{
	const struct tcpmd5 *m = of_pcb(pcb);

	if (!m)
		return false;
	if (pcb->state == LISTEN)
		return ns__md5_lookup(m, ip_current_src_addr()) != NULL;
	return m->on;
}

/**
 * rrs_tcp_md5_syn_optflags() - LWIP_HOOK_TCP_OUT_SYN_OPTFLAGS
 * @pcb:	the connection whose SYN or SYN-ACK is being built
 * @optflags:	the options lwIP wants on it (TF_SEG_OPTS_*)
 *
 * Decides whether the connection is signed.  As Linux: a signed SYN
 * leaves timestamps out (tcp_syn_options()), and a signed SYN-ACK leaves
 * them out when it says SACK-permitted (tcp_synack_options()); lwIP's
 * options would not fit in 40 bytes otherwise.
 *
 * Return: the options to send
 */
unsigned char rrs_tcp_md5_syn_optflags(struct tcp_pcb *pcb, unsigned char optflags)
{
	struct tcpmd5 *m = of_pcb(pcb);

	if (!m)
		return optflags;
	m->on = ns__md5_lookup(m, &pcb->remote_ip) != NULL;
	if (!m->on)
		return optflags;
	if (pcb->state != SYN_RCVD || (optflags & TF_SEG_OPTS_SACK_PERM)) {
		optflags &= (u8_t)~TF_SEG_OPTS_TS;
		tcp_clear_flags(pcb, TF_TIMESTAMP);
	}
	return optflags;
}

/**
 * rrs_tcp_md5_optlen() - LWIP_HOOK_TCP_OUT_TCPOPT_LENGTH
 * @pcb:	the sender, or NULL
 * @len:	the option bytes lwIP itself needs
 *
 * Return: @len, plus room for the MD5 option on a signed connection
 */
unsigned char rrs_tcp_md5_optlen(const struct tcp_pcb *pcb, unsigned char len)
{
	return signs(pcb) ? (unsigned char)(len + OPT_MD5_SPACE) : len;
}

/**
 * rrs_tcp_md5_addopts() - LWIP_HOOK_TCP_OUT_ADD_TCPOPTS: the option,
 * unsigned yet (NOP, NOP, kind 19, length 18, 16 zero bytes)
 * @p:		the segment
 * @hdr:	its TCP header
 * @pcb:	the sender, or NULL
 * @opts:	where the option goes (lwIP's options are before it)
 *
 * Return: the end of the options
 */
uint32_t *rrs_tcp_md5_addopts(struct pbuf *p, struct tcp_hdr *hdr,
			      const struct tcp_pcb *pcb, uint32_t *opts)
{
	uint8_t *o = (uint8_t *)opts;

	if (!signs(pcb))
		return opts;
	memset(o, 0, OPT_MD5_SPACE);
	o[0] = o[1] = 1;
	o[2] = OPT_MD5;
	o[3] = OPT_MD5_LEN;
	return opts + OPT_MD5_SPACE / 4;
}

/**
 * rrs_tcp_md5_sign() - LWIP_HOOK_TCP_OUT_SIGN: fill in the signature
 * @pcb:	the sender, or NULL
 * @p:		the finished segment, p->payload at its TCP header
 * @src:	its source address
 * @dst:	its destination
 *
 * The option rrs_tcp_md5_addopts() reserved is the last of the header.
 * Should the key have been deleted since the SYN, its twenty bytes become
 * NOPs, which any stack skips (Linux stops signing then too).
 */
void rrs_tcp_md5_sign(const struct tcp_pcb *pcb, struct pbuf *p,
		      const ip_addr_t *src, const ip_addr_t *dst)
{
	const struct tcpmd5_key *k;
	uint8_t *th = p->payload, *o;
	uint16_t hlen;

	if (!signs(pcb) || p->len < TCP_HLEN)
		return;
	hlen = (uint16_t)(TCPH_HDRLEN_BYTES((struct tcp_hdr *)th));
	if (hlen < TCP_HLEN + OPT_MD5_SPACE || hlen > p->len)
		return;
	o = th + hlen - OPT_MD5_SPACE;
	if (o[0] != 1 || o[1] != 1 || o[2] != OPT_MD5 || o[3] != OPT_MD5_LEN)
		return;
	k = ns__md5_lookup(of_pcb(pcb), dst);
	if (!k) {
		memset(o, 1, OPT_MD5_SPACE);
		return;
	}
	ns__md5_digest(o + 4, k, src, dst, th, (uint16_t)p->tot_len, p, hlen);
}

/* ---- input ---- */

/* Byte @i of a segment's options, split by lwIP between the first pbuf
 * (@opt1len bytes after the header) and @opt2. */
static int opt_byte(const struct tcp_hdr *hdr, u16_t opt1len,
		    const u8_t *opt2, u16_t i)
{
	return i < opt1len ? ((const u8_t *)(hdr + 1))[i] : opt2[i - opt1len];
}

/**
 * ns__md5_find_option() - where a segment's MD5 option is
 * @hdr:	the TCP header
 * @optlen:	its option bytes
 * @opt1len:	how many follow @hdr in its pbuf
 * @opt2:	the rest, or NULL
 * @sig:	filled with the signature when found
 *
 * As Linux's tcp_parse_md5sig_option(): an option of another length, or
 * a malformed option list before it, counts as no option.
 *
 * Return: true if the segment carries one
 */
bool ns__md5_find_option(const struct tcp_hdr *hdr, u16_t optlen,
			 u16_t opt1len, const u8_t *opt2, uint8_t sig[16])
{
	u16_t i = 0, j;
	int kind, size;

	while (i < optlen) {
		kind = opt_byte(hdr, opt1len, opt2, i);
		if (kind == 0)
			return false;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			return false;
		size = opt_byte(hdr, opt1len, opt2, (u16_t)(i + 1));
		if (size < 2 || size > optlen - i)
			return false;
		if (kind == OPT_MD5) {
			if (size != OPT_MD5_LEN)
				return false;
			for (j = 0; j < 16; j++)
				sig[j] = (uint8_t)opt_byte(hdr, opt1len, opt2,
							   (u16_t)(i + 2 + j));
			return true;
		}
		i = (u16_t)(i + size);
	}
	return false;
}

/* The header as it came: tcp_input() turned ports, numbers and window to
 * host order in place before the hook. */
static void wire_header(const struct tcp_hdr *hdr, uint8_t th[20])
{
	struct tcp_hdr h = *hdr;

	h.src = lwip_htons(hdr->src);
	h.dest = lwip_htons(hdr->dest);
	h.seqno = lwip_htonl(hdr->seqno);
	h.ackno = lwip_htonl(hdr->ackno);
	h.wnd = lwip_htons(hdr->wnd);
	memcpy(th, &h, 20);
}

/* Compare without an early exit: the time taken tells nothing. */
static bool same16(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;
	int i;

	for (i = 0; i < 16; i++)
		d |= a[i] ^ b[i];
	return !d;
}

/**
 * ns__md5_check() - whether a received segment's signature is right
 * @pcb:	the pcb lwIP found (a listener's, a connection's, TIME_WAIT)
 * @hdr:	the TCP header (fields in host order)
 * @optlen:	option bytes
 * @opt1len:	of which after @hdr in the first pbuf
 * @opt2:	the rest, or NULL
 * @p:		the data (payload past the options)
 *
 * As Linux's tcp_inbound_md5_hash(): a key for the peer needs a right
 * signature; without one, a signed segment is refused too.  Each refusal
 * counts (TCPMD5NotFound, TCPMD5Unexpected, TCPMD5Failure).
 *
 * Return: true to take the segment
 */
bool ns__md5_check(const struct tcp_pcb *pcb, const struct tcp_hdr *hdr,
		   u16_t optlen, u16_t opt1len, const u8_t *opt2,
		   const struct pbuf *p)
{
	const struct tcpmd5 *m = of_pcb(pcb);
	const struct tcpmd5_key *k = NULL;
	uint8_t sig[16], want[16], th[20];
	bool has;

	if (m && (pcb->state == LISTEN || m->on))
		k = ns__md5_lookup(m, ip_current_src_addr());
	has = ns__md5_find_option(hdr, optlen, opt1len, opt2, sig);
	if (!k && !has)
		return true;
	if (!has) {
		stats.notfound++;
		debug("tcp md5: port %u: segment without a signature dropped",
		      hdr->dest);
		return false;
	}
	if (!k) {
		stats.unexpected++;
		debug("tcp md5: port %u: signed segment with no key dropped",
		      hdr->dest);
		return false;
	}
	wire_header(hdr, th);
	ns__md5_digest(want, k, ip_current_src_addr(), ip_current_dest_addr(), th,
		       (uint16_t)(TCP_HLEN + optlen + p->tot_len), p, 0);
	if (same16(sig, want))
		return true;
	stats.failure++;
	debug("tcp md5: port %u: wrong signature, segment dropped", hdr->dest);
	return false;
}

/**
 * ns_tcpmd5_stats() - the counters of refused segments
 * @out:	filled in
 */
void ns_tcpmd5_stats(struct tcpmd5_stats *out)
{
	*out = stats;
}

/* SPDX-License-Identifier: MIT */
/*
 * cbpf.c - classic BPF socket filters (SO_ATTACH_FILTER): the checks
 * Linux's bpf_check_classic() makes when a program attaches one, and a
 * small interpreter that runs one over a datagram as Linux's converted
 * filter runs over an skb.
 *
 * Semantics kept from Linux: loads are big-endian (network order), a load
 * beyond the datagram or a division by a zero X ends the filter with 0
 * (drop), the scratch memory must be stored before it is loaded on every
 * path (checked at attach), jumps only go forward and stay inside.  Of the
 * ancillary loads (k at SKF_AD_OFF and up) those that make sense on a
 * datagram without a device are served: SKF_AD_NLATTR and
 * SKF_AD_NLATTR_NEST (an attribute's offset, for netlink filters),
 * SKF_AD_ALU_XOR_X, SKF_AD_RANDOM, SKF_AD_CPU (0), SKF_AD_PROTOCOL,
 * SKF_AD_PKTTYPE, SKF_AD_MARK, SKF_AD_QUEUE, SKF_AD_RXHASH and the VLAN
 * ones read 0, as for a netlink skb; SKF_AD_IFINDEX and SKF_AD_HATYPE
 * end the filter with 0, as Linux's do without a device.  A negative k
 * below SKF_AD_OFF (SKF_NET_OFF, SKF_LL_OFF) reads nothing: 0.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <linux/netlink.h>

#include "cbpf.h"

#define MEMWORDS	16	/* BPF_MEMWORDS */

/* Whether @code is an instruction classic BPF has (chk_code_allowed()). */
static bool code_known(uint16_t code)
{
	switch (code) {
	case BPF_ALU | BPF_ADD | BPF_K:	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_MOD | BPF_K:	case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_LD | BPF_W | BPF_ABS:	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN:	case BPF_LD | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_IMM:	case BPF_LDX | BPF_W | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN:	case BPF_LDX | BPF_B | BPF_MSH:
	case BPF_ST:			case BPF_STX:
	case BPF_MISC | BPF_TAX:	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:		case BPF_RET | BPF_A:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	}
	return false;
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

/* The ancillary loads Linux knows (bpf_anc_helper()) */
static bool anc_known(uint32_t k)
{
	uint32_t off = k - (uint32_t)SKF_AD_OFF;

	return off <= SKF_AD_VLAN_TPID && !(off & 3);
}

/* Every load from the scratch memory follows a store to that word on
 * every path to it (check_load_and_stores()). */
static int check_memory(const struct sock_filter *f, unsigned int n)
{
	uint16_t *valid_at, valid = 0;
	unsigned int pc;
	int ret = 0;

	valid_at = malloc(n * sizeof(*valid_at));
	if (!valid_at)
		return -ENOMEM;
	memset(valid_at, 0xff, n * sizeof(*valid_at));
	for (pc = 0; pc < n && !ret; pc++) {
		const struct sock_filter *i = &f[pc];

		valid &= valid_at[pc];
		if (i->code == BPF_ST || i->code == BPF_STX) {
			valid |= (uint16_t)(1u << i->k);
		} else if (i->code == (BPF_LD | BPF_MEM) ||
			   i->code == (BPF_LDX | BPF_W | BPF_MEM)) {
			if (!(valid & (1u << i->k)))
				ret = -EINVAL;
		} else if (i->code == (BPF_JMP | BPF_JA)) {
			valid_at[pc + 1 + i->k] &= valid;
			valid = 0xffff;		/* nothing falls through */
		} else if (is_cond_jump(i->code)) {
			valid_at[pc + 1 + i->jt] &= valid;
			valid_at[pc + 1 + i->jf] &= valid;
			valid = 0xffff;
		}
	}
	free(valid_at);
	return ret;
}

/**
 * cbpf_check() - whether Linux would take a filter (bpf_check_classic())
 * @f:		its instructions
 * @n:		how many (1 to BPF_MAXINSNS)
 *
 * Return: 0, or -EINVAL for a filter Linux refuses (-ENOMEM)
 */
int cbpf_check(const struct sock_filter *f, unsigned int n)
{
	unsigned int pc;

	if (!f || !n || n > BPF_MAXINSNS)
		return -EINVAL;
	for (pc = 0; pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		if (!code_known(i->code))
			return -EINVAL;
		switch (i->code) {
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_MOD | BPF_K:
			if (!i->k)
				return -EINVAL;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			if (i->k >= 32)
				return -EINVAL;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_W | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (i->k >= MEMWORDS)
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			if (i->k >= n - pc - 1)
				return -EINVAL;
			break;
		case BPF_LD | BPF_W | BPF_ABS:
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_B | BPF_ABS:
			if (i->k >= (uint32_t)SKF_AD_OFF && !anc_known(i->k))
				return -EINVAL;
			break;
		default:
			if (is_cond_jump(i->code) &&
			    (pc + i->jt + 1 >= n || pc + i->jf + 1 >= n))
				return -EINVAL;
			break;
		}
	}
	if (f[n - 1].code != (BPF_RET | BPF_K) && f[n - 1].code != (BPF_RET | BPF_A))
		return -EINVAL;
	return check_memory(f, n);
}

/* The first attribute of type @type in @len bytes at @p (nla_find()):
 * its offset from @base, 0 if none */
static uint32_t find_attr(const uint8_t *base, const uint8_t *p, size_t len,
			  uint32_t type)
{
	struct nlattr a;
	size_t step;

	while (len >= sizeof(a)) {
		memcpy(&a, p, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len)
			break;
		if ((a.nla_type & NLA_TYPE_MASK) == type)
			return (uint32_t)(p - base);
		step = (size_t)NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		len -= step;
		p += step;
	}
	return 0;
}

/* SKF_AD_NLATTR (@nest false) and SKF_AD_NLATTR_NEST: from offset @a,
 * the attribute of type @x (__skb_get_nlattr(), _nest()) */
static uint32_t nlattr(const uint8_t *pkt, size_t len, uint32_t a, uint32_t x,
		       bool nest)
{
	struct nlattr h;

	if (len < sizeof(h) || a > len - sizeof(h))
		return 0;
	if (!nest)
		return find_attr(pkt, pkt + a, len - a, x);
	memcpy(&h, pkt + a, sizeof(h));
	if (h.nla_len > len - a || h.nla_len < sizeof(h))
		return 0;
	return find_attr(pkt, pkt + a + NLA_HDRLEN,
			 h.nla_len > NLA_HDRLEN ? h.nla_len - NLA_HDRLEN : 0, x);
}

/* A load of @size bytes at @off: false when it does not fit */
static bool load(const uint8_t *pkt, size_t len, int64_t off, unsigned int size,
		 uint32_t *v)
{
	if (off < 0 || (uint64_t)off + size > len)
		return false;
	pkt += off;
	*v = size == 4 ? (uint32_t)pkt[0] << 24 | (uint32_t)pkt[1] << 16 |
			 (uint32_t)pkt[2] << 8 | pkt[3] :
	     size == 2 ? (uint32_t)pkt[0] << 8 | pkt[1] : pkt[0];
	return true;
}

/* An ancillary load into @a: false ends the filter with 0 */
static bool ancillary(const uint8_t *pkt, size_t len, uint32_t k, uint32_t *a,
		      uint32_t x)
{
	uint32_t r;

	switch (k - (uint32_t)SKF_AD_OFF) {
	case SKF_AD_NLATTR:
		*a = nlattr(pkt, len, *a, x, false);
		return true;
	case SKF_AD_NLATTR_NEST:
		*a = nlattr(pkt, len, *a, x, true);
		return true;
	case SKF_AD_ALU_XOR_X:
		*a ^= x;
		return true;
	case SKF_AD_RANDOM:
		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = (uint32_t)random();
		*a = r;
		return true;
	case SKF_AD_IFINDEX:
	case SKF_AD_HATYPE:
		return false;	/* no device */
	default:
		*a = 0;
		return true;
	}
}

/**
 * cbpf_run() - run a filter cbpf_check() took over a datagram
 * @f:		its instructions
 * @n:		how many
 * @pkt:	the datagram
 * @len:	its length
 *
 * Return: what the filter returns: 0 drops the datagram, less than @len
 * keeps that many bytes of it
 */
uint32_t cbpf_run(const struct sock_filter *f, unsigned int n,
		  const uint8_t *pkt, size_t len)
{
	uint32_t a = 0, x = 0, mem[MEMWORDS] = { 0 }, v;
	unsigned int pc = 0;

	while (pc < n) {
		const struct sock_filter *i = &f[pc++];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			switch (BPF_MODE(i->code)) {
			case BPF_ABS:
			case BPF_IND:
				if (BPF_MODE(i->code) == BPF_ABS &&
				    i->k >= (uint32_t)SKF_AD_OFF) {
					if (!ancillary(pkt, len, i->k, &a, x))
						return 0;
					break;
				}
				if (!load(pkt, len, BPF_MODE(i->code) == BPF_ABS ?
					  (int32_t)i->k : (int64_t)x + (int32_t)i->k,
					  BPF_SIZE(i->code) == BPF_W ? 4 :
					  BPF_SIZE(i->code) == BPF_H ? 2 : 1, &a))
					return 0;
				break;
			case BPF_LEN:
				a = (uint32_t)len;
				break;
			case BPF_IMM:
				a = i->k;
				break;
			case BPF_MEM:
				a = mem[i->k];
				break;
			}
			break;
		case BPF_LDX:
			switch (BPF_MODE(i->code)) {
			case BPF_IMM:
				x = i->k;
				break;
			case BPF_MEM:
				x = mem[i->k];
				break;
			case BPF_LEN:
				x = (uint32_t)len;
				break;
			case BPF_MSH:
				if (!load(pkt, len, (int32_t)i->k, 1, &v))
					return 0;
				x = (v & 0xf) << 2;
				break;
			}
			break;
		case BPF_ST:
			mem[i->k] = a;
			break;
		case BPF_STX:
			mem[i->k] = x;
			break;
		case BPF_ALU:
			switch (BPF_OP(i->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_DIV:
				if (!src)
					return 0;
				a /= src;
				break;
			case BPF_MOD:
				if (!src)
					return 0;
				a %= src;
				break;
			case BPF_AND: a &= src; break;
			case BPF_OR:  a |= src; break;
			case BPF_XOR: a ^= src; break;
			/* by X mod 32, as Linux's 32-bit shifts on x86 */
			case BPF_LSH: a <<= src & 31; break;
			case BPF_RSH: a >>= src & 31; break;
			case BPF_NEG: a = -a; break;
			}
			break;
		case BPF_JMP:
			switch (BPF_OP(i->code)) {
			case BPF_JA:  pc += i->k; break;
			case BPF_JEQ: pc += a == src ? i->jt : i->jf; break;
			case BPF_JGT: pc += a > src ? i->jt : i->jf; break;
			case BPF_JGE: pc += a >= src ? i->jt : i->jf; break;
			case BPF_JSET: pc += a & src ? i->jt : i->jf; break;
			}
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	return 0;	/* cbpf_check() makes the last one a return */
}

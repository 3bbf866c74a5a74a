/* SPDX-License-Identifier: MIT */
/*
 * rtnl_diag.c - NETLINK_SOCK_DIAG: inet_diag's answers about the sandbox's
 * sockets, so that `ss` run inside lists them, not the host's.
 *
 * sock_diag_rcv_msg() and inet_diag.c are the model:
 *
 * - SOCK_DIAG_BY_FAMILY for AF_INET and AF_INET6 with TCP, UDP (UDP-Lite:
 *   none) and raw sockets: dumps, filtered by family and state as Linux
 *   filters them, and the exact lookup of one socket by its addresses,
 *   ports, device and cookie; TCPDIAG_GETSOCK, the old TCP dump of both
 *   families.  Each socket is an inet_diag_msg with the attributes asked
 *   for in idiag_ext: meminfo, skmeminfo, TCP_INFO, the congestion
 *   control (as TCP_CONGESTION says), TOS/TCLASS; always the
 *   shutdown bits and IPV6_V6ONLY of unconnected IPv6 sockets.
 * - Every other family (AF_UNIX, AF_PACKET, AF_NETLINK, ...) and inet
 *   protocol (DCCP, SCTP, MPTCP) gets ENOENT, as from a kernel without
 *   that diag module; `ss` then reads /proc/net, as it does there, and
 *   prints no error (libnetlink keeps quiet about ENOENT for sock_diag).
 *   AF_UNIX sockets are the host kernel's own, so /proc/net/unix is right
 *   about them.
 * - SOCK_DESTROY (`ss -K`): EOPNOTSUPP, as a kernel built without
 *   CONFIG_INET_DIAG_DESTROY.
 *
 * A dump works from a snapshot of the sockets it lists, taken at its
 * start; the snapshots of all dumps in progress are kept under
 * DIAG_HELD_MAX bytes (ENOBUFS beyond), so a program that starts dumps on
 * many sockets and never reads them cannot make the supervisor grow.
 *
 * The filter bytecode (INET_DIAG_REQ_BYTECODE, what `ss` makes of
 * "sport = :179" and the like) is checked as inet_diag_bc_audit() checks
 * it and run on every socket a dump would list, as inet_diag_bc_run();
 * the program is the admin of its network, so a mark condition is allowed
 * (and no socket has a mark) and a cgroup condition matches no socket.
 *
 * Not done: no timers (idiag_timer, idiag_expires, idiag_retrans are 0).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "rtnl_priv.h"

#define DIAG_REQ_MAX	INET_DIAG_REQ_PROTOCOL	/* the last parsed */
#define TCPF_ALL	0xfff	/* TCP_ESTABLISHED .. TCP_CLOSING */
#ifndef TCP_BOUND_INACTIVE
#define TCP_BOUND_INACTIVE	13	/* Linux 6.5's pseudo-state */
#endif
#define TCPF_BOUND_INACTIVE	(1u << TCP_BOUND_INACTIVE)
/* Bytes of socket snapshots the dumps in progress may hold together (a
 * dump the program does not read keeps its own; this bounds what many
 * sockets with paused dumps cost the supervisor) */
#define DIAG_HELD_MAX	(16u << 20)

static size_t diag_held;

/* Is the protocol one whose diag Linux always has (tcp_diag, udp_diag,
 * raw_diag)?  UDP-Lite is udp_diag's too: there are no such sockets. */
static bool proto_known(uint32_t p)
{
	return p == IPPROTO_TCP || p == IPPROTO_UDP || p == IPPROTO_UDPLITE ||
	       p == IPPROTO_RAW;
}

/* What a request asks, read by rtnl__diag_rcv() before the dump or lookup */
struct diag_req {
	uint8_t family;		/* AF_UNSPEC: both (TCPDIAG_GETSOCK) */
	uint32_t protocol;
	uint8_t ext;
	uint32_t states;
	struct inet_diag_sockid id;
	const uint8_t *bc;	/* the filter bytecode, or NULL */
	int bc_len;
};

/* inet_diag_dump_icsk(), udp_dump(), raw_diag_dump(): who is listed.
 * A TCP socket neither listening nor in a connection is listed only when
 * bound and never connected, and only when the request asks for the
 * pseudo-state TCP_BOUND_INACTIVE (Linux 6.5: ss's "bound-inactive"; its
 * idiag_state is TCP_CLOSE); a UDP socket without a port never is. */
static bool listed(const struct diag_req *q, const struct rtnl_sockinfo *s)
{
	if (q->family != AF_UNSPEC && s->family != q->family)
		return false;
	if (s->protocol != q->protocol)
		return false;
	if (s->protocol == IPPROTO_TCP && s->state == TCP_CLOSE)
		return s->bound && (q->states & TCPF_BOUND_INACTIVE);
	if (s->protocol == IPPROTO_UDP && !s->sport)
		return false;
	return q->states & (1u << s->state);
}

_Static_assert(RTNL_MEMINFO_VARS == SK_MEMINFO_VARS, "sk_get_meminfo() counters");

void rtnl_sock_meminfo(const struct rtnl_sockinfo *s, uint32_t mem[RTNL_MEMINFO_VARS])
{
	memset(mem, 0, RTNL_MEMINFO_VARS * sizeof(*mem));
	mem[SK_MEMINFO_RMEM_ALLOC] = s->rqueue;
	mem[SK_MEMINFO_RCVBUF] = s->rcvbuf;
	mem[SK_MEMINFO_WMEM_ALLOC] = s->wqueue;
	mem[SK_MEMINFO_SNDBUF] = s->sndbuf;
	mem[SK_MEMINFO_WMEM_QUEUED] = s->wqueue;
}

/* inet_sk_diag_fill() (with inet_diag_msg_attrs_fill()), or for a
 * TIME_WAIT or SYN_RECV entry inet_twsk_diag_fill()/inet_req_diag_fill():
 * the message alone.  Return: 0 or -EMSGSIZE (nothing left in @b). */
static int fill(struct rtnl *r, struct rtnl_buf *b, const struct rtnl_sockinfo *s,
		uint16_t type, uint16_t flags, uint32_t seq, uint8_t ext)
{
	size_t mark = b->len;
	struct inet_diag_msg *m;
	struct nlmsghdr *h;
	bool bare = s->protocol == IPPROTO_TCP &&
		    (s->state == TCP_TIME_WAIT || s->state == TCP_SYN_RECV);

	h = rtnl__msg_put(b, type, flags, seq, r->portid, sizeof(*m));
	if (!h)
		return -EMSGSIZE;
	m = NLMSG_DATA(h);
	m->idiag_family = s->family;
	m->idiag_state = s->state;
	m->id.idiag_sport = htons(s->sport);
	m->id.idiag_dport = htons(s->dport);
	memcpy(m->id.idiag_src, s->src, s->family == AF_INET ? 4 : 16);
	memcpy(m->id.idiag_dst, s->dst, s->family == AF_INET ? 4 : 16);
	m->id.idiag_if = s->ifindex;
	m->id.idiag_cookie[0] = (uint32_t)s->cookie;
	m->id.idiag_cookie[1] = (uint32_t)(s->cookie >> 32);
	if (bare) {
		rtnl__msg_end(b, h);
		return 0;
	}
	m->idiag_rqueue = s->rqueue;
	m->idiag_wqueue = s->wqueue;
	m->idiag_uid = s->uid;
	m->idiag_inode = (uint32_t)s->ino;
	if (rtnl__put_u8(b, INET_DIAG_SHUTDOWN, s->shutdown))
		goto full;
	if ((ext & (1 << (INET_DIAG_TOS - 1))) &&
	    rtnl__put_u8(b, INET_DIAG_TOS, s->tos))
		goto full;
	if (s->family == AF_INET6) {
		if ((ext & (1 << (INET_DIAG_TCLASS - 1))) &&
		    rtnl__put_u8(b, INET_DIAG_TCLASS, s->tclass))
			goto full;
		if ((s->state == TCP_LISTEN || s->state == TCP_CLOSE) &&
		    rtnl__put_u8(b, INET_DIAG_SKV6ONLY, s->v6only))
			goto full;
	}
	if (ext & (1 << (INET_DIAG_MEMINFO - 1))) {
		struct inet_diag_meminfo mi = {
			.idiag_rmem = s->rqueue, .idiag_wmem = s->wqueue,
			.idiag_tmem = s->wqueue,
		};

		if (rtnl__put(b, INET_DIAG_MEMINFO, &mi, sizeof(mi)))
			goto full;
	}
	if (ext & (1 << (INET_DIAG_SKMEMINFO - 1))) {
		uint32_t mem[SK_MEMINFO_VARS];

		rtnl_sock_meminfo(s, mem);
		if (rtnl__put(b, INET_DIAG_SKMEMINFO, mem, sizeof(mem)))
			goto full;
	}
	if (s->protocol == IPPROTO_TCP) {
		if ((ext & (1 << (INET_DIAG_INFO - 1))) && s->has_info &&
		    rtnl__put(b, INET_DIAG_INFO, &s->info, sizeof(s->info)))
			goto full;
		if ((ext & (1 << (INET_DIAG_CONG - 1))) &&
		    rtnl__put_str(b, INET_DIAG_CONG, s->cong))
			goto full;
	}
	rtnl__msg_end(b, h);
	return 0;
full:
	b->len = mark;
	return -EMSGSIZE;
}

/* rtnl_dump_ops.fill: the snapshot (only what the dump lists) from
 * d->skip on */
static int dump_fill(struct rtnl *r, struct rtnl_dump *d, struct rtnl_buf *b)
{
	for (; d->skip < d->n_socks; d->skip++)
		if (fill(r, b, &d->socks[d->skip], d->type, NLM_F_MULTI, d->seq,
			 d->diag_ext))
			return 0;
	return 1;
}

static const struct rtnl_dump_ops diag_dump_ops = { .fill = dump_fill };

/* ---- the filter bytecode ---- */

/* One operation's header, then its operand (a port in the next header's
 * "no", a struct inet_diag_hostcond with its address, an ifindex, a
 * struct inet_diag_markcond, a cgroup id) */
static const struct inet_diag_bc_op *bc_op(const uint8_t *bc, int at)
{
	return (const struct inet_diag_bc_op *)(const void *)(bc + at);
}

/* Is offset @to a boundary between operations, walking by "yes"? */
static bool bc_reaches(const uint8_t *bc, int len, int to)
{
	int at = 0;

	while (at <= len) {
		const struct inet_diag_bc_op *op;

		if (at == to)
			return true;
		if (at > to || len - at < (int)sizeof(*op))
			return false;
		op = bc_op(bc, at);
		if (op->yes < 4 || op->yes & 3)
			return false;
		at += op->yes;
	}
	return false;
}

/* Does @code compare a port with the operand that follows it? */
static bool bc_port_test(uint8_t code)
{
	switch (code) {
	case INET_DIAG_BC_S_EQ:
	case INET_DIAG_BC_S_GE:
	case INET_DIAG_BC_S_LE:
	case INET_DIAG_BC_D_EQ:
	case INET_DIAG_BC_D_GE:
	case INET_DIAG_BC_D_LE:
		return true;
	default:
		return false;
	}
}

/* The bytes operation @op at @at needs, or 0 when its operand is bad */
static int bc_op_len(const uint8_t *bc, int len, int at)
{
	const struct inet_diag_bc_op *op = bc_op(bc, at);
	int need = sizeof(*op);

	if (bc_port_test(op->code))
		return len - at < 2 * need ? 0 : 2 * need;
	switch (op->code) {
	case INET_DIAG_BC_NOP:
	case INET_DIAG_BC_JMP:
	case INET_DIAG_BC_AUTO:
		return need;
	case INET_DIAG_BC_DEV_COND:
		need += sizeof(uint32_t);
		break;
	case INET_DIAG_BC_MARK_COND:
		need += sizeof(struct inet_diag_markcond);
		break;
	case INET_DIAG_BC_CGROUP_COND:
		need += sizeof(uint64_t);
		break;
	case INET_DIAG_BC_S_COND:
	case INET_DIAG_BC_D_COND: {
		const struct inet_diag_hostcond *hc;
		int alen;

		need += sizeof(*hc);
		if (len - at < need)
			return 0;
		hc = (const void *)(bc + at + sizeof(*op));
		if (hc->family == AF_UNSPEC)
			alen = 0;
		else if (hc->family == AF_INET)
			alen = 4;
		else if (hc->family == AF_INET6)
			alen = 16;
		else
			return 0;
		if (hc->prefix_len > 8 * alen)
			return 0;
		need += alen;
		break;
	}
	default:
		return 0;
	}
	return len - at < need ? 0 : need;
}

/* inet_diag_bc_audit(): 0, or -EINVAL for a program that could read past
 * its end, jump backwards or off an operation, or name an unknown one */
static int bc_audit(const uint8_t *bc, int len)
{
	int at = 0;

	if (len < (int)sizeof(struct inet_diag_bc_op))
		return -EINVAL;
	while (at < len) {
		const struct inet_diag_bc_op *op;
		int need, left = len - at;

		if (left < (int)sizeof(*op))
			return -EINVAL;
		op = bc_op(bc, at);
		need = bc_op_len(bc, len, at);
		if (!need)
			return -EINVAL;
		if (op->code != INET_DIAG_BC_NOP &&
		    (op->no < need || op->no > left + 4 || op->no & 3 ||
		     (op->no < left && !bc_reaches(bc, len, at + op->no))))
			return -EINVAL;
		if (op->yes < need || op->yes > left + 4 || op->yes & 3)
			return -EINVAL;
		at += op->yes;
	}
	return at == len ? 0 : -EINVAL;
}

/* Do the first @bits bits of @a and @b agree? */
static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int whole = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, whole))
		return false;
	if (!rest)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return !((a[whole] ^ b[whole]) & mask);
}

static bool bc_host(const struct inet_diag_bc_op *op,
		    const struct rtnl_sockinfo *s)
{
	const struct inet_diag_hostcond *hc = (const void *)(op + 1);
	bool src = op->code == INET_DIAG_BC_S_COND;
	const uint8_t *addr = src ? s->src : s->dst;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (hc->port != -1 && hc->port != (src ? s->sport : s->dport))
		return false;
	if (hc->family != AF_UNSPEC && hc->family != s->family)
		/* an IPv4 condition matches a v4-mapped address */
		return s->family == AF_INET6 && hc->family == AF_INET &&
		       !memcmp(addr, mapped, 12) &&
		       prefix_eq(addr + 12, (const uint8_t *)hc->addr, hc->prefix_len);
	return !hc->prefix_len ||
	       prefix_eq(addr, (const uint8_t *)hc->addr, hc->prefix_len);
}

/* inet_diag_bc_run(): whether the audited program accepts @s */
static bool bc_run(const uint8_t *bc, int len, const struct rtnl_sockinfo *s)
{
	int at = 0;

	while (at < len) {
		const struct inet_diag_bc_op *op = bc_op(bc, at);
		/* a port test's operand: the next header's "no" (the audit
		 * made sure it is there) */
		uint16_t port = bc_port_test(op->code) ? op[1].no : 0;
		bool yes;

		switch (op->code) {
		case INET_DIAG_BC_NOP:	 yes = true; break;
		case INET_DIAG_BC_JMP:	 yes = false; break;
		case INET_DIAG_BC_S_EQ:	 yes = s->sport == port; break;
		case INET_DIAG_BC_S_GE:	 yes = s->sport >= port; break;
		case INET_DIAG_BC_S_LE:	 yes = s->sport <= port; break;
		case INET_DIAG_BC_D_EQ:	 yes = s->dport == port; break;
		case INET_DIAG_BC_D_GE:	 yes = s->dport >= port; break;
		case INET_DIAG_BC_D_LE:	 yes = s->dport <= port; break;
		case INET_DIAG_BC_AUTO:	 yes = !s->port_locked; break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: yes = bc_host(op, s); break;
		case INET_DIAG_BC_DEV_COND: {
			uint32_t ifindex;

			memcpy(&ifindex, op + 1, sizeof(ifindex));
			yes = ifindex == s->ifindex;
			break;
		}
		case INET_DIAG_BC_MARK_COND: {
			struct inet_diag_markcond mc;

			memcpy(&mc, op + 1, sizeof(mc));
			yes = mc.mark == 0;	/* no socket has a mark */
			break;
		}
		default:		/* INET_DIAG_BC_CGROUP_COND: none here */
			yes = false;
			break;
		}
		at += yes ? op->yes : op->no;
	}
	return at == len;
}

/* The sockets there are now, or none without a source */
static int snapshot(struct rtnl *r, const struct diag_req *q,
		    struct rtnl_sockinfo **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!r->socks)
		return 0;
	return r->socks(r->socks_arg, q->protocol == IPPROTO_TCP &&
			(q->ext & (1 << (INET_DIAG_INFO - 1))), out, n);
}

/* What diag_dumpit() installs (rtnl_doit_fn has no room for it); set
 * around the rtnl__dump_start() call only. */
static struct {
	uint8_t ext;
	struct rtnl_sockinfo *socks;
	size_t n;
} cur;

static int diag_dumpit(struct rtnl *r, const struct nlmsghdr *h,
		       struct rtnl_ext *ext)
{
	struct rtnl_dump *d;

	d = rtnl__dump_new(r, h, &diag_dump_ops);
	if (!d)
		return -ENOMEM;
	d->split_done = true;	/* inet_diag_dump() returns skb->len */
	d->diag_ext = cur.ext;
	d->socks = cur.socks;
	d->n_socks = cur.n;
	diag_held += cur.n * sizeof(*cur.socks);
	cur.socks = NULL;
	return 0;
}

/**
 * rtnl__diag_release() - free a dump's socket snapshot (rtnl.c, when the
 *			  dump ends or its socket goes)
 * @d:		the dump
 */
void rtnl__diag_release(struct rtnl_dump *d)
{
	if (!d->socks)
		return;
	diag_held -= d->n_socks * sizeof(*d->socks);
	free(d->socks);
	d->socks = NULL;
	d->n_socks = 0;
}

/* The snapshot a dump starts from: the sockets it lists, and only them;
 * ENOBUFS past DIAG_HELD_MAX, as a kernel short of memory for a dump */
static int dump_snapshot(struct rtnl *r, const struct diag_req *q,
			 struct rtnl_sockinfo **out, size_t *n)
{
	struct rtnl_sockinfo *all;
	size_t i, k = 0, total;
	int ret;

	ret = snapshot(r, q, &all, &total);
	if (ret)
		return ret;
	for (i = 0; i < total; i++)
		if (listed(q, &all[i]) &&
		    (!q->bc || bc_run(q->bc, q->bc_len, &all[i])))
			all[k++] = all[i];
	if (diag_held + k * sizeof(*all) > DIAG_HELD_MAX) {
		free(all);
		return -ENOBUFS;
	}
	*out = all;
	*n = k;
	return 0;
}

static bool addr_match(const uint8_t *want, const uint8_t *have, size_t len)
{
	static const uint8_t any[16];

	return !memcmp(want, have, len) || !memcmp(have, any, len);
}

/* inet_diag_cmd_exact() for SOCK_DIAG_BY_FAMILY without NLM_F_DUMP: the
 * socket of those local and remote addresses and ports, a listener or an
 * unconnected socket standing for any remote; its one message, unicast.
 * For UDP the request's source is the remote end and its destination the
 * socket's own, as udp_dump_one() swaps them ("for historical reasons"):
 * the socket a datagram from src to dst would reach. */
static int get_one(struct rtnl *r, const struct nlmsghdr *h,
		   const struct diag_req *q, struct rtnl_ext *ext)
{
	size_t alen = q->family == AF_INET ? 4 : 16, i, n;
	bool udp = q->protocol == IPPROTO_UDP || q->protocol == IPPROTO_UDPLITE;
	const uint8_t *src = (const uint8_t *)(udp ? q->id.idiag_dst : q->id.idiag_src);
	const uint8_t *dst = (const uint8_t *)(udp ? q->id.idiag_src : q->id.idiag_dst);
	uint16_t sport = ntohs(udp ? q->id.idiag_dport : q->id.idiag_sport);
	uint16_t dport = ntohs(udp ? q->id.idiag_sport : q->id.idiag_dport);
	const struct rtnl_sockinfo *hit = NULL;
	struct rtnl_sockinfo *all;
	struct rtnl_buf b;
	int ret, pass;

	if (q->family != AF_INET && q->family != AF_INET6)
		return -EINVAL;
	ret = snapshot(r, q, &all, &n);
	if (ret)
		return ret;
	/* the connection first, as inet_lookup() */
	for (pass = 0; pass < 2 && !hit; pass++)
		for (i = 0; i < n && !hit; i++) {
			const struct rtnl_sockinfo *s = &all[i];

			if (s->family != q->family || s->protocol != q->protocol ||
			    s->sport != sport || !s->sport ||
			    (q->id.idiag_if && s->ifindex &&
			     s->ifindex != q->id.idiag_if) ||
			    !addr_match(src, s->src, alen))
				continue;
			if (!pass ? s->dport && s->dport == dport &&
				    !memcmp(dst, s->dst, alen) :
				    !s->dport && (s->state == TCP_LISTEN ||
						  s->protocol != IPPROTO_TCP))
				hit = s;
		}
	if (!hit) {
		free(all);
		return -ENOENT;
	}
	/* sock_diag_check_cookie(): inet_diag_find_one_icsk() turns its
	 * ESTALE into ENOENT for TCP, udp_dump_one() passes it on */
	if ((q->id.idiag_cookie[0] != INET_DIAG_NOCOOKIE ||
	     q->id.idiag_cookie[1] != INET_DIAG_NOCOOKIE) &&
	    (q->id.idiag_cookie[0] != (uint32_t)hit->cookie ||
	     q->id.idiag_cookie[1] != (uint32_t)(hit->cookie >> 32))) {
		ret = hit->protocol == IPPROTO_TCP ? -ENOENT : -ESTALE;
		free(all);
		return ret;
	}
	ret = rtnl__buf_init(&b, RTNL_NOTIFY_BUF);
	if (!ret) {
		ret = fill(r, &b, hit, h->nlmsg_type, 0, h->nlmsg_seq, q->ext);
		if (ret)
			free(b.data);
		else
			ret = rtnl__unicast(r, &b);
	}
	free(all);
	return ret;
}

/* __inet_diag_dump_start()'s checks, then the dump or the lookup */
static int inet_cmd(struct rtnl *r, const struct nlmsghdr *h,
		    struct diag_req *q, size_t hdrlen, struct rtnl_ext *ext)
{
	struct rtnl_attrs tb;
	int ret;

	ret = rtnl__parse(h, hdrlen, DIAG_REQ_MAX, false, &tb, ext);
	if (ret)
		return ret;
	if (tb.a[INET_DIAG_REQ_PROTOCOL]) {
		ret = rtnl__attr_u32(tb.a[INET_DIAG_REQ_PROTOCOL], &q->protocol, ext);
		if (ret)
			return ret;
	}
	if (!proto_known(q->protocol))
		return -ENOENT;
	if (tb.a[INET_DIAG_REQ_BYTECODE]) {
		q->bc = (const uint8_t *)tb.a[INET_DIAG_REQ_BYTECODE] + NLA_HDRLEN;
		q->bc_len = tb.a[INET_DIAG_REQ_BYTECODE]->nla_len - NLA_HDRLEN;
		ret = bc_audit(q->bc, q->bc_len);
		if (ret)
			return ret;
	}
	if (!(h->nlmsg_flags & NLM_F_DUMP))
		return get_one(r, h, q, ext);
	if (r->dump)
		return -EBUSY;		/* netlink_dump_start(): cb_running */
	ret = dump_snapshot(r, q, &cur.socks, &cur.n);
	if (ret)
		return ret;
	cur.ext = q->ext;
	ret = rtnl__dump_start(r, h, diag_dumpit, ext);
	free(cur.socks);	/* not taken: nothing was started */
	cur.socks = NULL;
	return ret;
}

/**
 * rtnl__diag_rcv() - one NETLINK_SOCK_DIAG request (sock_diag_rcv_msg())
 * @r:		the socket
 * @h:		the request
 * @ext:	its extended ack
 *
 * Return: 0, a negative errno (acked), or the dump's start result
 */
int rtnl__diag_rcv(struct rtnl *r, const struct nlmsghdr *h,
		   struct rtnl_ext *ext)
{
	size_t plen = h->nlmsg_len - NLMSG_HDRLEN;
	struct diag_req q = { 0 };

	switch (h->nlmsg_type) {
	case TCPDIAG_GETSOCK: {
		const struct inet_diag_req *old = NLMSG_DATA(h);

		if (plen < sizeof(*old))
			return -EINVAL;
		q.family = AF_UNSPEC;
		q.protocol = IPPROTO_TCP;
		q.ext = old->idiag_ext;
		q.states = old->idiag_states;
		q.id = old->id;
		if (!(h->nlmsg_flags & NLM_F_DUMP))
			q.family = old->idiag_family;
		return inet_cmd(r, h, &q, sizeof(*old), ext);
	}
	case DCCPDIAG_GETSOCK:
		return -ENOENT;
	case SOCK_DIAG_BY_FAMILY:
	case SOCK_DESTROY: {
		const struct inet_diag_req_v2 *req = NLMSG_DATA(h);
		const struct sock_diag_req *sd = NLMSG_DATA(h);

		if (plen < sizeof(*sd))
			return -EINVAL;
		if (sd->sdiag_family >= AF_MAX)
			return -EINVAL;
		if (sd->sdiag_family != AF_INET && sd->sdiag_family != AF_INET6)
			return -ENOENT;
		if (plen < sizeof(*req))
			return -EINVAL;
		if (h->nlmsg_type == SOCK_DESTROY)
			return proto_known(req->sdiag_protocol) ? -EOPNOTSUPP : -ENOENT;
		q.family = req->sdiag_family;
		q.protocol = req->sdiag_protocol;
		q.ext = req->idiag_ext;
		q.states = req->idiag_states & (TCPF_ALL | TCPF_BOUND_INACTIVE);
		q.id = req->id;
		return inet_cmd(r, h, &q, sizeof(*req), ext);
	}
	default:
		return -EINVAL;
	}
}

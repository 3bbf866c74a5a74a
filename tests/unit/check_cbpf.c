/* SPDX-License-Identifier: MIT */
/*
 * check_cbpf.c - unit tests of netstack/cbpf.c, the classic BPF socket
 * filters: loads in network order and their bounds, the ALU (division by
 * a zero X ends with 0, shifts by X mod 32), every jump, scratch memory,
 * the netlink attribute searches (SKF_AD_NLATTR, SKF_AD_NLATTR_NEST) and
 * the ancillary loads that end the filter without a device.  The checks
 * at attach time are run against Linux by tests/progs/nlfilter.c.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "netstack/cbpf.h"

#define N(f)	((unsigned int)(sizeof(f) / sizeof((f)[0])))

/* Run @f over @pkt, once cbpf_check() took it */
static uint32_t run(const struct sock_filter *f, unsigned int n,
		    const uint8_t *pkt, size_t len)
{
	ck_assert_int_eq(cbpf_check(f, n), 0);
	return cbpf_run(f, n, pkt, len);
}

static const uint8_t pkt[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
			       0x45, 0x00, 0x00, 0x01 };

START_TEST(loads_are_big_endian_and_bounded)
{
	struct sock_filter w[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 1),
				   BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter h[] = { BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 10),
				   BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter b[] = { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 11),
				   BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter past[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 9),
				      BPF_STMT(BPF_RET | BPF_K, 77) };
	struct sock_filter ind[] = { BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 4),
				     BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter msh[] = { BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 8),
				     BPF_STMT(BPF_MISC | BPF_TXA, 0),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter len[] = { BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0),
				     BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
				     BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter net[] = { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_NET_OFF),
				     BPF_STMT(BPF_RET | BPF_K, 77) };

	ck_assert_uint_eq(run(w, N(w), pkt, sizeof(pkt)), 0x3456789a);
	ck_assert_uint_eq(run(h, N(h), pkt, sizeof(pkt)), 0x0001);
	ck_assert_uint_eq(run(b, N(b), pkt, sizeof(pkt)), 0x01);
	/* a load beyond the datagram ends the filter with 0 */
	ck_assert_uint_eq(run(past, N(past), pkt, sizeof(pkt)), 0);
	ck_assert_uint_eq(run(ind, N(ind), pkt, sizeof(pkt)), 0xdef0);
	ck_assert_uint_eq(run(ind, N(ind), pkt, 7), 0);
	/* 4 * (0x45 & 0xf): an IPv4 header's length */
	ck_assert_uint_eq(run(msh, N(msh), pkt, sizeof(pkt)), 20);
	ck_assert_uint_eq(run(len, N(len), pkt, sizeof(pkt)), 24);
	ck_assert_uint_eq(run(net, N(net), pkt, sizeof(pkt)), 0);
}
END_TEST

START_TEST(alu_as_linux)
{
	struct sock_filter div[] = { BPF_STMT(BPF_LD | BPF_IMM, 100),
				     BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0),
				     BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
				     BPF_STMT(BPF_RET | BPF_K, 5) };
	struct sock_filter mod[] = { BPF_STMT(BPF_LD | BPF_IMM, 100),
				     BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 7),
				     BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 3),
				     BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 2),
				     BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 0xff),
				     BPF_STMT(BPF_ALU | BPF_OR | BPF_K, 0x100),
				     BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x1f0),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter shx[] = { BPF_STMT(BPF_LD | BPF_IMM, 1),
				     BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 33),
				     BPF_STMT(BPF_ALU | BPF_LSH | BPF_X, 0),
				     BPF_STMT(BPF_RET | BPF_A, 0) };
	struct sock_filter neg[] = { BPF_STMT(BPF_LD | BPF_IMM, 1),
				     BPF_STMT(BPF_ALU | BPF_NEG, 0),
				     BPF_STMT(BPF_RET | BPF_A, 0) };

	/* a division by a zero X ends the filter with 0 */
	ck_assert_uint_eq(run(div, N(div), pkt, sizeof(pkt)), 0);
	/* ((100 % 7) * 3 - 2) ^ 0xff = 0xfb, | 0x100, & 0x1f0 */
	ck_assert_uint_eq(run(mod, N(mod), pkt, sizeof(pkt)), 0x1f0);
	ck_assert_uint_eq(run(shx, N(shx), pkt, sizeof(pkt)), 2);
	ck_assert_uint_eq(run(neg, N(neg), pkt, sizeof(pkt)), 0xffffffff);
}
END_TEST

START_TEST(jumps_and_memory)
{
	/* A = first byte (0x12): JGT 0x10, JGE 0x13, JSET 0x02, JEQ X */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		BPF_STMT(BPF_ST, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x10, 0, 6),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x13, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x02, 0, 5),
		BPF_STMT(BPF_LDX | BPF_W | BPF_MEM, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, 1),
		BPF_STMT(BPF_RET | BPF_K, 42),
		BPF_STMT(BPF_RET | BPF_K, 2),
	};
	uint8_t other[] = { 0x11 };

	ck_assert_uint_eq(run(f, N(f), pkt, sizeof(pkt)), 42);
	/* 0x11: JSET 0x02 fails */
	ck_assert_uint_eq(run(f, N(f), other, sizeof(other)), 2);
}
END_TEST

/* nlmsghdr (16), rtgenmsg padded (4), then attributes: type 1 (8 bytes),
 * type 5 nested (holding type 3 and type 9), type 7 */
static const uint8_t nl[] = {
	52, 0, 0, 0,  16, 0,  0, 0,  1, 0, 0, 0,  0, 0, 0, 0,
	0, 0, 0, 0,
	8, 0, 1, 0,  1, 2, 3, 4,
	20, 0, 5, 0x80,  8, 0, 3, 0,  9, 9, 9, 9,  8, 0, 9, 0,  7, 7, 7, 7,
	4, 0, 7, 0,
};

START_TEST(netlink_attributes)
{
	struct sock_filter find[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 20),
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter nest[] = {
		BPF_STMT(BPF_LD | BPF_IMM, 28),
		BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 9),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_NLATTR_NEST),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_filter dev[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_IFINDEX),
		BPF_STMT(BPF_RET | BPF_K, 9),
	};

	ck_assert_uint_eq(run(find, N(find), nl, sizeof(nl)), 48);
	/* the nested flag (0x8000) is no part of the type */
	find[1].k = 5;
	ck_assert_uint_eq(run(find, N(find), nl, sizeof(nl)), 28);
	find[1].k = 3;		/* inside the nest: not at the top */
	ck_assert_uint_eq(run(find, N(find), nl, sizeof(nl)), 0);
	ck_assert_uint_eq(run(nest, N(nest), nl, sizeof(nl)), 40);
	nest[1].k = 7;		/* after the nest: not in it */
	ck_assert_uint_eq(run(nest, N(nest), nl, sizeof(nl)), 0);
	/* a start beyond the datagram finds nothing */
	find[0].k = 500;
	ck_assert_uint_eq(run(find, N(find), nl, sizeof(nl)), 0);
	/* no device: the filter ends with 0 */
	ck_assert_uint_eq(run(dev, N(dev), nl, sizeof(nl)), 0);
}
END_TEST

START_TEST(refused_as_linux)
{
	struct sock_filter ret = BPF_STMT(BPF_RET | BPF_K, 1);
	struct sock_filter back[] = { BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
				      BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_filter stx[] = { BPF_STMT(BPF_STX, 16), BPF_STMT(BPF_RET | BPF_K, 0) };

	ck_assert_int_eq(cbpf_check(&ret, 1), 0);
	ck_assert_int_eq(cbpf_check(&ret, 0), -EINVAL);
	ck_assert_int_eq(cbpf_check(NULL, 1), -EINVAL);
	ck_assert_int_eq(cbpf_check(back, N(back)), -EINVAL);
	ck_assert_int_eq(cbpf_check(stx, N(stx)), -EINVAL);
}
END_TEST

static Suite *cbpf_suite(void)
{
	Suite *s = suite_create("cbpf");
	TCase *tc = tcase_create("run");

	tcase_add_test(tc, loads_are_big_endian_and_bounded);
	tcase_add_test(tc, alu_as_linux);
	tcase_add_test(tc, jumps_and_memory);
	tcase_add_test(tc, netlink_attributes);
	tcase_add_test(tc, refused_as_linux);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cbpf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

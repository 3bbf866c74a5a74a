/* SPDX-License-Identifier: MIT */
/*
 * check_fibtrie.c - unit tests of netstack/fibtrie.c: Linux's LC-trie of
 * an IPv4 table built from a list of routes, and its /proc/net/fib_trie
 * and fib_triestat text.  The small tries are worked out by hand below
 * (each case says how); the same routes added to an empty table of
 * Linux 6.18 (blackhole routes in a new network namespace) print the
 * same.  Linked with fibtrie.c only.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "netstack/fibtrie.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			 (uint32_t)(c) << 8 | (uint32_t)(d))

/* What fibtrie_show() (@stat false) or fibtrie_stat() prints for
 * a trie of @a, as table main; a malloc()ed string */
static char *render(const struct fibtrie_alias *a, size_t n, bool stat)
{
	struct fibtrie *t = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(fibtrie_new(a, n, &t), 0);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	if (stat)
		fibtrie_stat(t, RT_TABLE_MAIN, f);
	else
		fibtrie_show(t, RT_TABLE_MAIN, f);
	fclose(f);
	fibtrie_free(t);
	return buf;
}

static void expect(const struct fibtrie_alias *a, size_t n, bool stat,
		   const char *want)
{
	char *got = render(a, n, stat);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(fibtrie_empty_prints_stats_only)
{
	expect(NULL, 0, false, "");
	expect(NULL, 0, true,
	       "Main:\n"
	       "\tAver depth:     0.00\n"
	       "\tMax depth:      0\n"
	       "\tLeaves:         0\n"
	       "\tPrefixes:       0\n"
	       "\tInternal nodes: 0\n"
	       "\t\n"
	       "\tPointers: 0\n"
	       "Null ptrs: 0\n"
	       "Total size: 0  kB\n");
}
END_TEST

/* One key: the root is its leaf, at depth 0 */
START_TEST(fibtrie_one_leaf_is_root)
{
	static const struct fibtrie_alias a[] = {
		{ IP4(5, 0, 0, 0), 8, RTN_UNICAST, RT_SCOPE_LINK, 0, false },
	};

	expect(a, 1, false,
	       "Main:\n"
	       "  |-- 5.0.0.0\n"
	       "     /8 link UNICAST\n");
}
END_TEST

/*
 * 10.0.0.0, then 10.0.0.4: they differ first at bit 2, so a one-bit node
 * at bit 2 holds both; as root it doubles (2 of 4 slots used is 50%, at
 * least 30%) to two bits from bit 1: 10.0.0.0/29, slots 0 and 2.  Then
 * 192.168.0.0 differs from that node's shared bits at bit 31: a new root
 * at bit 31 takes the node and the leaf, and doubles once (2 of 4 used
 * at bits 30-31; 2 of 8 would be 25%): 0.0.0.0/0 with 2 bits, the node in
 * slot 0 (10 is 00001010) and the leaf in slot 3 (192 is 11000000).  The
 * node is not full (it looks at bits 1-2, not 28-29).
 */
static const struct fibtrie_alias three[] = {
	{ IP4(10, 0, 0, 0), 8, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, 0, false },
	{ IP4(10, 0, 0, 0), 8, RTN_UNREACHABLE, RT_SCOPE_UNIVERSE, 0, false },
	{ IP4(10, 0, 0, 4), 30, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, 0, false },
	{ IP4(192, 168, 0, 0), 16, RTN_THROW, RT_SCOPE_UNIVERSE, 0x10, false },
};

START_TEST(fibtrie_three_leaves_shape)
{
	expect(three, 4, false,
	       "Main:\n"
	       "  +-- 0.0.0.0/0 2 0 2\n"
	       "     +-- 10.0.0.0/29 2 0 2\n"
	       "        |-- 10.0.0.0\n"
	       "           /8 universe BLACKHOLE\n"
	       "           /8 universe UNREACHABLE\n"
	       "        |-- 10.0.0.4\n"
	       "           /30 universe BLACKHOLE\n"
	       "     |-- 192.168.0.0\n"
	       "        /16 universe THROW tos=16\n");
}
END_TEST

/*
 * The same trie's counts: leaves at depths 2, 2, 1 (average 5/3, printed
 * truncated: 1.66), 4 aliases, two 2-bit nodes (8 slots, 4 empty); bytes
 * 3 * 48 + 4 * 56 + 2 * 40 + 8 * 8 = 512, 1 kB rounded up.
 */
START_TEST(fibtrie_three_leaves_stats)
{
	expect(three, 4, true,
	       "Main:\n"
	       "\tAver depth:     1.66\n"
	       "\tMax depth:      2\n"
	       "\tLeaves:         3\n"
	       "\tPrefixes:       4\n"
	       "\tInternal nodes: 2\n"
	       "\t  2: 2\n"
	       "\tPointers: 8\n"
	       "Null ptrs: 4\n"
	       "Total size: 1  kB\n");
}
END_TEST

/*
 * 0.0.0.0/8, 16.0.0.0/8, ... 240.0.0.0/8: they differ in the top four
 * bits only.  The root ends with 4 bits, all used (16 of 32 slots of the
 * doubled node is 50%, over the root's 30%), and doubles once more into
 * bits 27-31 (16 of 64 would be 25%): 5 bits, the leaves in the even
 * slots, 16 empty.
 */
START_TEST(fibtrie_root_grows_past_full)
{
	struct fibtrie_alias a[16];
	char *got, *want = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	f = open_memstream(&want, &len);
	ck_assert_ptr_nonnull(f);
	fputs("Main:\n  +-- 0.0.0.0/0 5 0 16\n", f);
	for (i = 0; i < 16; i++) {
		a[i] = (struct fibtrie_alias){ IP4(i * 16, 0, 0, 0), 8,
					       RTN_BLACKHOLE, RT_SCOPE_UNIVERSE,
					       0, false };
		fprintf(f, "     |-- %d.0.0.0\n        /8 universe BLACKHOLE\n",
			i * 16);
	}
	fclose(f);
	got = render(a, 16, false);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	got = render(a, 16, true);
	ck_assert_ptr_nonnull(strstr(got, "\tInternal nodes: 1\n\t  5: 1\n"
				     "\tPointers: 32\nNull ptrs: 16\n"));
	ck_assert_ptr_nonnull(strstr(got, "\tAver depth:     1.00\n"));
	free(got);
}
END_TEST

/*
 * A local address's routes, 10.1.2.3/24, with the loopback's, merged in
 * one trie as Linux's main and local are (what a fresh namespace with lo
 * and a veth up prints).  127.0.0.0 and 127.0.0.1 differ at bit 0: a
 * one-bit node at bit 0 whose parent looks at bits 1-2, so it is full
 * and counts in its parent's third number; 10.1.2.0 and 10.1.2.3 sit
 * under a two-bit node at bits 0-1 (10.1.2.0/30), 10.1.2.255 beside it
 * under 10.1.2.0/24.  The addresses' routes are early, as they are the
 * kernel's (proto kernel).
 */
START_TEST(fibtrie_merged_local_main)
{
	static const struct fibtrie_alias a[] = {
		{ IP4(10, 1, 2, 0), 24, RTN_UNICAST, RT_SCOPE_LINK, 0, true },
		{ IP4(10, 1, 2, 3), 32, RTN_LOCAL, RT_SCOPE_HOST, 0, true },
		{ IP4(10, 1, 2, 255), 32, RTN_BROADCAST, RT_SCOPE_LINK, 0, true },
		{ IP4(127, 0, 0, 0), 8, RTN_LOCAL, RT_SCOPE_HOST, 0, true },
		{ IP4(127, 0, 0, 1), 32, RTN_LOCAL, RT_SCOPE_HOST, 0, true },
		{ IP4(127, 255, 255, 255), 32, RTN_BROADCAST, RT_SCOPE_LINK, 0, true },
		{ IP4(172, 16, 0, 0), 12, RTN_UNICAST, RT_SCOPE_UNIVERSE, 0, false },
	};

	expect(a, 7, false,
	       "Main:\n"
	       "  +-- 0.0.0.0/0 3 0 5\n"
	       "     +-- 10.1.2.0/24 2 0 2\n"
	       "        +-- 10.1.2.0/30 2 0 2\n"
	       "           |-- 10.1.2.0\n"
	       "              /24 link UNICAST\n"
	       "           |-- 10.1.2.3\n"
	       "              /32 host LOCAL\n"
	       "        |-- 10.1.2.255\n"
	       "           /32 link BROADCAST\n"
	       "     +-- 127.0.0.0/8 2 0 2\n"
	       "        +-- 127.0.0.0/31 1 0 0\n"
	       "           |-- 127.0.0.0\n"
	       "              /8 host LOCAL\n"
	       "           |-- 127.0.0.1\n"
	       "              /32 host LOCAL\n"
	       "        |-- 127.255.255.255\n"
	       "           /32 link BROADCAST\n"
	       "     |-- 172.16.0.0\n"
	       "        /12 universe UNICAST\n");
	expect(a, 7, true,
	       "Main:\n"
	       "\tAver depth:     2.42\n"
	       "\tMax depth:      3\n"
	       "\tLeaves:         7\n"
	       "\tPrefixes:       7\n"
	       "\tInternal nodes: 5\n"
	       "\t  1: 1  2: 3  3: 1\n"
	       "\tPointers: 22\n"
	       "Null ptrs: 11\n"
	       "Total size: 2  kB\n");
}
END_TEST

/*
 * The order of insertion shows: 10.0.0.0, 10.64.0.0 and 10.128.0.0 under
 * a root of their own double to 3 bits (3 of 8 slots is 37%, over the
 * root's 30%), and keep them when 127.0.0.1 comes last and a new root
 * takes them; with 127.0.0.1 first (early, as the loopback's address is
 * a kernel's first route) the three are never the root and stop at 2
 * bits (3 of 8 is under 50%).  Linux 6.18 prints both, by the order the
 * routes are added in.
 */
START_TEST(fibtrie_early_leaves_first)
{
	struct fibtrie_alias a[] = {
		{ IP4(10, 0, 0, 0), 10, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, 0, false },
		{ IP4(10, 64, 0, 0), 10, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, 0, false },
		{ IP4(10, 128, 0, 0), 10, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, 0, false },
		{ IP4(127, 0, 0, 1), 32, RTN_BLACKHOLE, RT_SCOPE_UNIVERSE, 0, false },
	};
	static const char *const tail =
		"        |-- 10.0.0.0\n"
		"           /10 universe BLACKHOLE\n"
		"        |-- 10.64.0.0\n"
		"           /10 universe BLACKHOLE\n"
		"        |-- 10.128.0.0\n"
		"           /10 universe BLACKHOLE\n"
		"     |-- 127.0.0.1\n"
		"        /32 universe BLACKHOLE\n";
	char want[512];

	snprintf(want, sizeof(want), "Main:\n  +-- 0.0.0.0/1 2 0 2\n"
		 "     +-- 10.0.0.0/8 3 0 5\n%s", tail);
	expect(a, 4, false, want);
	a[3].early = true;
	snprintf(want, sizeof(want), "Main:\n  +-- 0.0.0.0/1 2 0 2\n"
		 "     +-- 10.0.0.0/8 2 0 1\n%s", tail);
	expect(a, 4, false, want);
}
END_TEST

/* Names Linux has no word for print as numbers; table headers by id */
START_TEST(fibtrie_names_and_headers)
{
	static const struct fibtrie_alias a[] = {
		{ IP4(1, 2, 3, 4), 32, 42, 100, 0, false },
	};
	struct fibtrie *t = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(fibtrie_new(a, 1, &t), 0);
	f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	fibtrie_show(t, RT_TABLE_LOCAL, f);
	fibtrie_show(t, 100, f);
	fibtrie_show(t, 0x80000000u, f);
	fclose(f);
	fibtrie_free(t);
	ck_assert_str_eq(buf,
			 "Local:\n  |-- 1.2.3.4\n     /32 scope=100 type 42\n"
			 "Id 100:\n  |-- 1.2.3.4\n     /32 scope=100 type 42\n"
			 "Id -2147483648:\n  |-- 1.2.3.4\n     /32 scope=100 type 42\n");
	free(buf);
}
END_TEST

START_TEST(fibtrie_unsorted_is_einval)
{
	static const struct fibtrie_alias a[] = {
		{ IP4(10, 0, 0, 0), 8, RTN_UNICAST, 0, 0, false },
		{ IP4(9, 0, 0, 0), 8, RTN_UNICAST, 0, 0, false },
	};
	static const struct fibtrie_alias split[] = {
		{ IP4(10, 0, 0, 0), 8, RTN_UNICAST, 0, 0, false },
		{ IP4(11, 0, 0, 0), 8, RTN_UNICAST, 0, 0, false },
		{ IP4(10, 0, 0, 0), 16, RTN_UNICAST, 0, 0, false },
	};
	struct fibtrie *t = NULL;

	ck_assert_int_eq(fibtrie_new(a, 2, &t), -EINVAL);
	ck_assert_int_eq(fibtrie_new(split, 3, &t), -EINVAL);
	ck_assert_ptr_null(t);
}
END_TEST

/*
 * Many keys, dense and sparse, through many doublings and splits: each
 * keeps its one leaf, printed in ascending order, and the stats count
 * them all.
 */
START_TEST(fibtrie_many_keys_all_listed)
{
	struct fibtrie_alias *a = calloc(5000, sizeof(*a));
	char *got, *line, ip[INET_ADDRSTRLEN];
	uint32_t k = 0, be;
	size_t i;

	ck_assert_ptr_nonnull(a);
	for (i = 0; i < 5000; i++) {
		k += i % 7 == 0 ? 0x10000 : i % 3 == 0 ? 0x100 : 4;
		a[i] = (struct fibtrie_alias){ k, 30, RTN_UNICAST, 0, 0, false };
	}
	got = render(a, 5000, false);
	line = got;
	for (i = 0; i < 5000; i++) {
		line = strstr(line, "|-- ");
		ck_assert_ptr_nonnull(line);
		line += 4;
		be = htonl(a[i].key);
		inet_ntop(AF_INET, &be, ip, sizeof(ip));
		ck_assert_int_eq(strncmp(line, ip, strlen(ip)), 0);
		ck_assert_int_eq(line[strlen(ip)], '\n');
	}
	ck_assert_ptr_null(strstr(line, "|-- "));
	free(got);
	got = render(a, 5000, true);
	ck_assert_ptr_nonnull(strstr(got, "\tLeaves:         5000\n"
				     "\tPrefixes:       5000\n"));
	free(got);
	free(a);
}
END_TEST

static Suite *fibtrie_suite(void)
{
	Suite *s = suite_create("fibtrie");
	TCase *tc = tcase_create("shape");

	tcase_add_test(tc, fibtrie_empty_prints_stats_only);
	tcase_add_test(tc, fibtrie_one_leaf_is_root);
	tcase_add_test(tc, fibtrie_three_leaves_shape);
	tcase_add_test(tc, fibtrie_three_leaves_stats);
	tcase_add_test(tc, fibtrie_root_grows_past_full);
	tcase_add_test(tc, fibtrie_merged_local_main);
	tcase_add_test(tc, fibtrie_early_leaves_first);
	tcase_add_test(tc, fibtrie_many_keys_all_listed);
	suite_add_tcase(s, tc);
	tc = tcase_create("input");
	tcase_add_test(tc, fibtrie_names_and_headers);
	tcase_add_test(tc, fibtrie_unsorted_is_einval);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fibtrie_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

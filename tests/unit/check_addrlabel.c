/* SPDX-License-Identifier: MIT */
/*
 * check_addrlabel.c - unit tests of netstack/addrlabel.c: Linux's default
 * table in Linux's order, where new entries go, replace and delete, and
 * which entry labels an address (device and address kind included).
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netstack/addrlabel.h"

static const uint8_t *a6(const char *s)
{
	static uint8_t buf[4][16];
	static unsigned int k;
	uint8_t *b = buf[k++ % 4];

	ck_assert_int_eq(inet_pton(AF_INET6, s, b), 1);
	return b;
}

/* "prefix/len[@ifindex]=label" of entry @k */
static const char *entry(const struct addrlbl_table *t, size_t k)
{
	static char out[80];
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, t->v[k].prefix, a, sizeof(a));
	if (t->v[k].ifindex)
		snprintf(out, sizeof(out), "%s/%u@%u=%u", a, t->v[k].plen,
			 t->v[k].ifindex, t->v[k].label);
	else
		snprintf(out, sizeof(out), "%s/%u=%u", a, t->v[k].plen, t->v[k].label);
	return out;
}

START_TEST(defaults_in_linux_order)
{
	static const char *const want[] = {
		"::1/128=0", "::/96=3", "::ffff:0.0.0.0/96=4", "2001::/32=6",
		"2001:10::/28=7", "3ffe::/16=12", "2002::/16=2", "fec0::/10=11",
		"fc00::/7=5", "::/0=1",
	};
	struct addrlbl_table t;
	size_t k;

	ck_assert_int_eq(addrlbl_init(&t), 0);
	ck_assert_uint_eq(t.n, sizeof(want) / sizeof(want[0]));
	for (k = 0; k < t.n; k++)
		ck_assert_str_eq(entry(&t, k), want[k]);
	/* RFC 6724's labels through the table */
	ck_assert_uint_eq(addrlbl_label(&t, a6("::1"), 1), 0);
	ck_assert_uint_eq(addrlbl_label(&t, a6("::ffff:10.0.0.1"), 2), 4);
	ck_assert_uint_eq(addrlbl_label(&t, a6("::10.0.0.1"), 2), 3);
	ck_assert_uint_eq(addrlbl_label(&t, a6("fd00::1"), 2), 5);
	ck_assert_uint_eq(addrlbl_label(&t, a6("2001:db8::1"), 2), 1);
	ck_assert_uint_eq(addrlbl_label(&t, a6("2001::1"), 2), 6);
	ck_assert_uint_eq(addrlbl_label(&t, a6("2002::1"), 2), 2);
	addrlbl_fini(&t);
}
END_TEST

START_TEST(add_replace_del_as_linux)
{
	struct addrlbl_table t;
	uint32_t seq;

	ck_assert_int_eq(addrlbl_init(&t), 0);
	seq = t.seq;
	ck_assert_int_eq(addrlbl_add(&t, a6("2001:db8::1"), 32, 0, 99, false), 0);
	ck_assert_uint_gt(t.seq, seq);
	/* masked, before 2001::/32 (same length, no device) */
	ck_assert_str_eq(entry(&t, 3), "2001:db8::/32=99");
	ck_assert_int_eq(addrlbl_add(&t, a6("2001:db8::"), 32, 0, 98, false), -EEXIST);
	ck_assert_int_eq(addrlbl_add(&t, a6("2001:db8::"), 32, 0, 98, true), 0);
	ck_assert_str_eq(entry(&t, 3), "2001:db8::/32=98");
	/* a device's entry before the one for all of the same length; a
	 * longer prefix before both */
	ck_assert_int_eq(addrlbl_add(&t, a6("2001:db8::"), 32, 2, 97, false), 0);
	ck_assert_int_eq(addrlbl_add(&t, a6("2001:db8::"), 48, 0, 96, false), 0);
	ck_assert_str_eq(entry(&t, 3), "2001:db8::/48=96");
	ck_assert_str_eq(entry(&t, 4), "2001:db8::/32@2=97");
	ck_assert_str_eq(entry(&t, 5), "2001:db8::/32=98");
	ck_assert_uint_eq(addrlbl_label(&t, a6("2001:db8:1::1"), 2), 97);
	ck_assert_uint_eq(addrlbl_label(&t, a6("2001:db8:1::1"), 3), 98);
	ck_assert_uint_eq(addrlbl_label(&t, a6("2001:db8::1"), 3), 96);
	/* an IPv4-mapped prefix longer than 96 bits is refused */
	ck_assert_int_eq(addrlbl_add(&t, a6("::ffff:0.0.0.0"), 100, 0, 5, false), -EINVAL);
	ck_assert_int_eq(addrlbl_add(&t, a6("::"), 129, 0, 5, false), -EINVAL);
	/* delete: prefix and device, whatever the label */
	ck_assert_int_eq(addrlbl_del(&t, a6("2001:db8::"), 32, 0), 0);
	ck_assert_int_eq(addrlbl_del(&t, a6("2001:db8::"), 32, 0), -ESRCH);
	ck_assert_int_eq(addrlbl_del(&t, a6("2001:db8::"), 32, 2), 0);
	ck_assert_int_eq(addrlbl_del(&t, a6("2001:db8::"), 48, 0), 0);
	ck_assert_uint_eq(t.n, 10);
	addrlbl_fini(&t);
}
END_TEST

START_TEST(address_kinds_stick_to_exact_prefixes)
{
	struct addrlbl_table t = { 0 };

	/* ::1/128 is for the loopback alone; a ::/96 entry is any address
	 * in ::/96 (its own address :: has no kind); ::1.2.3.0/120 no kind */
	ck_assert_int_eq(addrlbl_add(&t, a6("::1"), 128, 0, 10, false), 0);
	ck_assert_int_eq(addrlbl_add(&t, a6("::1.2.3.0"), 120, 0, 11, false), 0);
	ck_assert_int_eq(addrlbl_add(&t, a6("::ffff:0.0.0.0"), 96, 0, 12, false), 0);
	ck_assert_int_eq(addrlbl_add(&t, a6("::"), 96, 0, 13, false), 0);
	ck_assert_uint_eq(addrlbl_label(&t, a6("::1"), 0), 10);
	ck_assert_uint_eq(addrlbl_label(&t, a6("::1.2.3.4"), 0), 11);
	ck_assert_uint_eq(addrlbl_label(&t, a6("::ffff:1.2.3.4"), 0), 12);
	ck_assert_uint_eq(addrlbl_label(&t, a6("::9.9.9.9"), 0), 13);
	ck_assert_uint_eq(addrlbl_label(&t, a6("fe80::1"), 0), ADDRLBL_NONE);
	ck_assert_ptr_null(addrlbl_find(&t, a6("2001:db8::1"), 0));
	addrlbl_fini(&t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("addrlabel");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, defaults_in_linux_order);
	tcase_add_test(tc, add_replace_del_as_linux);
	tcase_add_test(tc, address_kinds_stick_to_exact_prefixes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

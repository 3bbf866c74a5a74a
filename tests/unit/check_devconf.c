/* SPDX-License-Identifier: MIT */
/*
 * check_devconf.c - unit tests of netstack/devconf.c: the names of
 * conf/DEV/, the values a new network namespace's all, default, lo and
 * other devices start with, and the ranges Linux's handlers take.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "netstack/devconf.h"

static int64_t val(const struct devconf *c, int family, const char *name)
{
	int k = devconf_index(family, name);

	ck_assert_int_ge(k, 0);
	return c->v[k];
}

START_TEST(names_are_linuxs)
{
	int f, k;

	ck_assert_int_ge(devconf_index(AF_INET, "rp_filter"), 0);
	ck_assert_int_ge(devconf_index(AF_INET6, "hop_limit"), 0);
	ck_assert_int_ge(devconf_index(AF_INET6, "forwarding"), 0);
	ck_assert_int_lt(devconf_index(AF_INET, "hop_limit"), 0);
	ck_assert_int_lt(devconf_index(AF_INET6, "rp_filter"), 0);
	ck_assert_int_lt(devconf_index(AF_INET, "../forwarding"), 0);
	ck_assert_int_lt(devconf_index(AF_UNIX, "forwarding"), 0);
	for (f = 0; f < 2; f++) {
		int fam = f ? AF_INET6 : AF_INET;

		ck_assert_int_le(devconf_count(fam), DEVCONF_MAX);
		/* sorted as the directory lists them, each once */
		for (k = 1; k < devconf_count(fam); k++)
			ck_assert_int_lt(strcmp(devconf_name(fam, k - 1),
						devconf_name(fam, k)), 0);
		ck_assert_ptr_null(devconf_name(fam, devconf_count(fam)));
	}
}
END_TEST

START_TEST(starts_as_a_new_namespace)
{
	struct devconf c;

	devconf_init(&c, AF_INET, DEVCONF_ALL, 0);
	ck_assert_int_eq(val(&c, AF_INET, "accept_source_route"), 0);
	ck_assert_int_eq(val(&c, AF_INET, "send_redirects"), 1);
	ck_assert_int_eq(val(&c, AF_INET, "igmpv2_unsolicited_report_interval"), 10000);
	devconf_init(&c, AF_INET, DEVCONF_DEFAULT, 0);
	ck_assert_int_eq(val(&c, AF_INET, "accept_source_route"), 1);
	ck_assert_int_eq(val(&c, AF_INET, "disable_xfrm"), 0);
	devconf_init(&c, AF_INET, DEVCONF_LO, 65536);
	ck_assert_int_eq(val(&c, AF_INET, "disable_xfrm"), 1);
	ck_assert_int_eq(val(&c, AF_INET, "disable_policy"), 1);
	devconf_init(&c, AF_INET6, DEVCONF_LO, 65536);
	ck_assert_int_eq(val(&c, AF_INET6, "mtu"), 65536);
	ck_assert_int_eq(val(&c, AF_INET6, "accept_dad"), -1);
	ck_assert_int_eq(val(&c, AF_INET6, "use_tempaddr"), -1);
	devconf_init(&c, AF_INET6, DEVCONF_DEV, 1500);
	ck_assert_int_eq(val(&c, AF_INET6, "mtu"), 1500);
	ck_assert_int_eq(val(&c, AF_INET6, "hop_limit"), 64);
	ck_assert_int_eq(val(&c, AF_INET6, "ioam6_id_wide"), 4294967295LL);
	/* what the sandbox does: no DAD, addresses kept on down */
	ck_assert_int_eq(val(&c, AF_INET6, "accept_dad"), 0);
	ck_assert_int_eq(val(&c, AF_INET6, "keep_addr_on_down"), 1);
	devconf_init(&c, AF_INET6, DEVCONF_DEFAULT, 0);
	ck_assert_int_eq(val(&c, AF_INET6, "mtu"), 1280);
	ck_assert_uint_eq(c.set, 0);
}
END_TEST

START_TEST(ranges_as_linuxs_handlers)
{
	int hop = devconf_index(AF_INET6, "hop_limit"),
	    mtu = devconf_index(AF_INET6, "mtu"),
	    agm = devconf_index(AF_INET6, "addr_gen_mode"),
	    wide = devconf_index(AF_INET6, "ioam6_id_wide"),
	    rp = devconf_index(AF_INET, "rp_filter");

	ck_assert_int_eq(devconf_check(AF_INET6, hop, 1, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, hop, 255, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, hop, 0, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET6, hop, 256, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET6, mtu, 1280, 1500), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, mtu, 1500, 1500), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, mtu, 1501, 1500), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET6, mtu, 1279, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET6, mtu, 65575, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, agm, 3, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, agm, 4, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET6, wide, 4294967295LL, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET, rp, -5, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET, rp, 4294967295LL, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET, -1, 0, 0), -EINVAL);
	ck_assert(devconf_readonly(AF_INET, devconf_index(AF_INET, "mc_forwarding")));
	ck_assert(devconf_readonly(AF_INET6, devconf_index(AF_INET6, "stable_secret")));
	ck_assert(!devconf_readonly(AF_INET, rp));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("devconf");
	TCase *tc = tcase_create("conf");

	tcase_add_test(tc, names_are_linuxs);
	tcase_add_test(tc, starts_as_a_new_namespace);
	tcase_add_test(tc, ranges_as_linuxs_handlers);
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

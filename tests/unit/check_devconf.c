/* SPDX-License-Identifier: MIT */
/*
 * check_devconf.c - unit tests of netstack/devconf.c: the names of
 * conf/DEV/, the values a new network namespace's all, default, lo and
 * other devices start with, and the ranges Linux's handlers take; and of
 * netstack/neighparm.c: neigh/DEV/'s values, units, conversions and
 * ranges (checked against Linux 6.18 in a namespace, HZ 250).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "netstack/devconf.h"
#include "netstack/neighparm.h"

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
	    rs = devconf_index(AF_INET6, "router_solicitations"),
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
	ck_assert_int_eq(devconf_check(AF_INET6, rs, -1, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, rs, -2, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET, rp, -5, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET, rp, 4294967295LL, 0), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET, -1, 0, 0), -EINVAL);
	ck_assert(devconf_readonly(AF_INET, devconf_index(AF_INET, "mc_forwarding")));
	ck_assert(devconf_readonly(AF_INET6, devconf_index(AF_INET6, "stable_secret")));
	ck_assert(!devconf_readonly(AF_INET, rp));
}
END_TEST

/* Linux 6.18 in a namespace: writes to rp_filter (printf '%s' V > FILE),
 * unsigned and ranged IPv6 files */
START_TEST(writes_parsed_as_proc_dointvec)
{
	static const struct {
		const char *text;
		size_t len;		/* 0: strlen() */
		int ret;
		int64_t v;
	} w[] = {
		{ "1", 0, 0, 1 }, { " 2", 0, 0, 2 }, { "\t3\n", 0, 0, 3 },
		{ "0x1f", 0, 0, 31 }, { "0X1A", 0, 0, 26 }, { "010", 0, 0, 8 },
		{ "-1", 0, 0, -1 }, { "-2147483648", 0, 0, INT32_MIN },
		{ "2147483647\n", 0, 0, INT32_MAX }, { "1 2", 0, 0, 1 },
		{ "\v5", 0, 0, 5 }, { "\xa0" "5", 0, 0, 5 }, { "5\n\n", 0, 0, 5 },
		{ "-0000000000000000001", 0, 0, -1 },	/* 20 characters */
		{ "0x00000000000000000F", 0, 0, 15 },
		{ "+5", 0, -EINVAL, 0 }, { "1x", 0, -EINVAL, 0 },
		{ "0x", 0, -EINVAL, 0 }, { "0xg", 0, -EINVAL, 0 },
		{ "0x 1", 0, -EINVAL, 0 }, { "08", 0, -EINVAL, 0 },
		{ "2147483648", 0, -EINVAL, 0 }, { "-2147483649", 0, -EINVAL, 0 },
		{ "99999999999999999999", 0, -EINVAL, 0 },
		{ "999999999999999999999999", 0, -EINVAL, 0 },
		{ "\n", 0, -EINVAL, 0 }, { "", 0, -EINVAL, 0 },
		{ "-", 0, -EINVAL, 0 }, { "- 1", 0, -EINVAL, 0 },
		{ "5\r", 0, -EINVAL, 0 }, { "1\0", 2, -EINVAL, 0 },
		{ "00000000000000000000001", 0, -EINVAL, 0 },
		{ "-00000000000000000001", 0, -EINVAL, 0 },	/* 21 */
		{ "000000000000000000001", 0, -EINVAL, 0 },	/* 21 */
	};
	int rp = devconf_index(AF_INET, "rp_filter"),
	    wide = devconf_index(AF_INET6, "ioam6_id_wide");
	char spaces[80];
	int64_t v;
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		size_t len = w[i].len ? w[i].len : strlen(w[i].text);

		v = 12345;
		ck_assert_msg(devconf_parse(AF_INET, rp, w[i].text, len, &v) ==
			      w[i].ret, "'%s': not %d", w[i].text, w[i].ret);
		if (!w[i].ret)
			ck_assert_int_eq(v, w[i].v);
	}
	/* blanks before and after: any number of them */
	memset(spaces, ' ', sizeof(spaces));
	spaces[40] = '7';
	ck_assert_int_eq(devconf_parse(AF_INET, rp, spaces, sizeof(spaces), &v), 0);
	ck_assert_int_eq(v, 7);
	/* proc_douintvec(): no sign, up to UINT_MAX */
	ck_assert_int_eq(devconf_parse(AF_INET6, wide, "-0", 2, &v), -EINVAL);
	ck_assert_int_eq(devconf_parse(AF_INET6, wide, "4294967295", 10, &v), 0);
	ck_assert_int_eq(v, 4294967295LL);
	ck_assert_int_eq(devconf_parse(AF_INET6, wide, "4294967296", 10, &v), -EINVAL);
	ck_assert_int_eq(devconf_parse(AF_INET6, devconf_index(AF_INET6, "ioam6_enabled"),
				       "-0", 2, &v), -EINVAL);
	ck_assert_int_eq(devconf_parse(AF_INET6, devconf_index(AF_INET6, "hop_limit"),
				       "-0", 2, &v), 0);
	ck_assert_int_eq(devconf_parse(AF_INET, -1, "1", 1, &v), -EINVAL);
}
END_TEST

START_TEST(ranges_of_the_other_handlers)
{
	static const struct {
		const char *name;
		int64_t ok, bad;
	} r[] = {
		{ "accept_untracked_na", 2, 3 }, { "ioam6_enabled", 1, 2 },
		{ "ndisc_evict_nocarrier", 1, 2 }, { "ra_honor_pio_life", 1, 2 },
		{ "ra_honor_pio_pflag", 1, 2 }, { "accept_untracked_na", 0, -1 },
		{ "mldv1_unsolicited_report_interval", INT32_MAX, -1 },
		{ "mldv2_unsolicited_report_interval", 0, -1 },
		{ "router_solicitation_delay", 8589934, 8589935 },
		{ "router_probe_interval", -8589934, -8589935 },
		{ "rpl_seg_enabled", 1, 2 }, { "ndisc_tclass", 255, 256 },
	};
	int agm = devconf_index(AF_INET6, "addr_gen_mode");
	size_t i;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		int k = devconf_index(AF_INET6, r[i].name);

		ck_assert_msg(k >= 0, "%s", r[i].name);
		ck_assert_msg(!devconf_check(AF_INET6, k, r[i].ok, 1500),
			      "%s %lld refused", r[i].name, (long long)r[i].ok);
		ck_assert_msg(devconf_check(AF_INET6, k, r[i].bad, 1500) == -EINVAL,
			      "%s %lld taken", r[i].name, (long long)r[i].bad);
	}
	/* stable privacy without stable_secret: a device's refused, all's
	 * and default's taken */
	ck_assert_int_eq(devconf_check(AF_INET6, agm, 2, 1500), -EINVAL);
	ck_assert_int_eq(devconf_check(AF_INET6, agm, 2, 0), 0);
	ck_assert_int_eq(devconf_check(AF_INET6, agm, 3, 1500), 0);
}
END_TEST

/* neigh/DEV/@name of @p as read */
static const char *nread(const struct neighparm *p, int family, const char *name)
{
	static char buf[32];

	ck_assert_int_gt(neighparm_print(p, family, neighparm_file(name), buf,
					 sizeof(buf)), 0);
	return buf;
}

static int nwrite(struct neighparm *p, int family, const char *name,
		  const char *v)
{
	return neighparm_write(p, family, neighparm_file(name), v, strlen(v));
}

START_TEST(neigh_starts_as_a_new_namespace)
{
	struct neighparm p4, p6;
	char hz[16];

	neighparm_init(&p4, AF_INET);
	neighparm_init(&p6, AF_INET6);
	ck_assert_uint_gt(p6.born, p4.born);
	ck_assert_int_lt(neighparm_file("gc_thresh1"), 0);
	ck_assert(neighparm_default_name("gc_thresh1"));
	ck_assert_str_eq(nread(&p4, AF_INET, "base_reachable_time"), "30\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "base_reachable_time_ms"), "30000\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "retrans_time"), "100\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "retrans_time_ms"), "1000\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "locktime"), "100\n");
	ck_assert_str_eq(nread(&p6, AF_INET6, "locktime"), "0\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "proxy_delay"), "80\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "unres_qlen"), "101\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "unres_qlen_bytes"), "212992\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "interval_probe_time_ms"), "5000\n");
	ck_assert_str_eq(nread(&p4, AF_INET, "gc_stale_time"), "60\n");
	/* IPv6's retrans_time: raw jiffies (ndisc_ifinfo_sysctl_change()) */
	snprintf(hz, sizeof(hz), "%d\n", neighparm_hz());
	ck_assert_str_eq(nread(&p6, AF_INET6, "retrans_time"), hz);
	/* reachable in [base / 2, 3 base / 2) */
	ck_assert_int_ge(p4.reachable, 15 * neighparm_hz());
	ck_assert_int_lt(p4.reachable, 45 * neighparm_hz());
	ck_assert_uint_eq(neighparm_msecs(p4.v[NPV_BASE_REACHABLE_TIME]), 30000);
	ck_assert_uint_eq(neighparm_qlen(p4.v[NPV_QUEUE_LEN_BYTES]), 101);
}
END_TEST

START_TEST(neigh_writes_as_linuxs_handlers)
{
	struct neighparm p;
	int hz = neighparm_hz(), step = 1000 % hz ? 1 : 1000 / hz;
	char want[32];

	neighparm_init(&p, AF_INET);
	/* a value in one unit, read in another, rounded through jiffies */
	ck_assert_int_eq(nwrite(&p, AF_INET, "base_reachable_time_ms", "1001"), 0);
	snprintf(want, sizeof(want), "%d\n", (1001 + step - 1) / step * step);
	ck_assert_str_eq(nread(&p, AF_INET, "base_reachable_time_ms"), want);
	ck_assert_str_eq(nread(&p, AF_INET, "base_reachable_time"), "1\n");
	ck_assert_int_ge(p.reachable, p.v[NPV_BASE_REACHABLE_TIME] / 2);
	ck_assert_int_eq(nwrite(&p, AF_INET, "unres_qlen", "5"), 0);
	ck_assert_str_eq(nread(&p, AF_INET, "unres_qlen_bytes"), "10450\n");
	ck_assert_int_eq(nwrite(&p, AF_INET, "unres_qlen_bytes", "2089"), 0);
	ck_assert_str_eq(nread(&p, AF_INET, "unres_qlen"), "0\n");
	ck_assert_int_eq(nwrite(&p, AF_INET, "mcast_solicit", " 0x10\n"), 0);
	ck_assert_str_eq(nread(&p, AF_INET, "mcast_solicit"), "16\n");
	if (hz == 250) {	/* 33 hundredths: 82 jiffies, read 32 */
		ck_assert_int_eq(nwrite(&p, AF_INET, "retrans_time", "33"), 0);
		ck_assert_str_eq(nread(&p, AF_INET, "retrans_time"), "32\n");
		ck_assert_str_eq(nread(&p, AF_INET, "retrans_time_ms"), "328\n");
		ck_assert_int_eq(nwrite(&p, AF_INET, "base_reachable_time", "8589934"), 0);
		ck_assert_int_eq(nwrite(&p, AF_INET, "base_reachable_time", "8589935"), -EINVAL);
	}
	/* refused, and nothing changed */
	ck_assert_int_eq(nwrite(&p, AF_INET, "mcast_solicit", "-1"), -EINVAL);
	ck_assert_int_eq(nwrite(&p, AF_INET, "mcast_solicit", "2147483648"), -EINVAL);
	ck_assert_int_eq(nwrite(&p, AF_INET, "mcast_solicit", "abc"), -EINVAL);
	ck_assert_int_eq(nwrite(&p, AF_INET, "mcast_solicit", "3x"), -EINVAL);
	ck_assert_int_eq(nwrite(&p, AF_INET, "interval_probe_time_ms", "0"), -EINVAL);
	ck_assert_int_eq(nwrite(&p, AF_INET, "unres_qlen", "1027505"), -EINVAL);
	ck_assert_int_eq(nwrite(&p, AF_INET, "unres_qlen", "1027504"), 0);
	ck_assert_int_eq(nwrite(&p, AF_INET, "retrans_time_ms", "2147483648"), -EINVAL);
	ck_assert_str_eq(nread(&p, AF_INET, "mcast_solicit"), "16\n");
	/* IPv6's retrans_time takes any int, in jiffies */
	neighparm_init(&p, AF_INET6);
	ck_assert_int_eq(nwrite(&p, AF_INET6, "retrans_time", "-7"), 0);
	ck_assert_str_eq(nread(&p, AF_INET6, "retrans_time"), "-7\n");
	/* netlink's milliseconds */
	ck_assert_int_eq(neighparm_jiffies(1000), hz);
	ck_assert_uint_eq(neighparm_msecs(hz), 1000);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("devconf");
	TCase *tc = tcase_create("conf");

	tcase_add_test(tc, names_are_linuxs);
	tcase_add_test(tc, starts_as_a_new_namespace);
	tcase_add_test(tc, ranges_as_linuxs_handlers);
	tcase_add_test(tc, writes_parsed_as_proc_dointvec);
	tcase_add_test(tc, ranges_of_the_other_handlers);
	tcase_add_test(tc, neigh_starts_as_a_new_namespace);
	tcase_add_test(tc, neigh_writes_as_linuxs_handlers);
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

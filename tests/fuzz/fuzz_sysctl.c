/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sysctl.c - libFuzzer harness for the sysctl write path: what a
 * program writes to /proc/sys/net/ipv4|ipv6/conf/DEV/NAME, as procnet.c's
 * sysw_apply() takes it: devconf_parse() of the written bytes, then
 * net_devconf_set() on the real network (lo, eth0), whose RTM_NEWNETCONF
 * notifications go to an rtnetlink socket bound to every group.
 *
 * Input: byte 0 picks the family (bit 0) and the directory (bits 1-2:
 * all, default, lo, eth0; bit 3: a device the sandbox has not); byte 1
 * the file (by index, modulo the family's count); the rest is the write.
 * Checked: a parsed value is an int (an unsigned int for the unsigned
 * files); a value set reads back as written; every notification is a
 * well-formed datagram.  One stack for the whole run: values stay from
 * one input to the next, as in a long-lived sandbox.
 *	./fuzz_sysctl -max_total_time=60 [corpus dir]
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <uv.h>

#include "netstack/devconf.h"
#include "netstack/internal.h"
#include "netstack/netint.h"
#include "rtnl.h"
#include "vdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uv_loop_t loop;
static struct ns *the_ns;
static struct rtnl *listener;

/* Each notification datagram: whole, aligned messages */
static int sink_send(void *arg, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t off = 0;

	(void)arg;
	while (off < len) {
		const struct nlmsghdr *h = (const void *)(p + off);

		if (len - off < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
		    h->nlmsg_len > len - off)
			abort();
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	if (off != len)
		abort();
	return 0;
}

static char dir[] = "/tmp/fuzz_sysctl.XXXXXX";
static char local[300];

static void dir_gone(void)
{
	unlink(local);		/* eth0's endpoint: the stack is never freed */
	rmdir(dir);
}

static void setup(void)
{
	char remote[300], err[160];
	const char *rem[1] = { remote };
	struct vdev_link_opts o = { .local = local, .remote = rem,
				    .n_remote = 1 };

	if (uv_loop_init(&loop) || !mkdtemp(dir) || ns_new(&loop, &the_ns))
		abort();
	atexit(dir_gone);
	snprintf(local, sizeof(local), "%s/a", dir);
	snprintf(remote, sizeof(remote), "%s/b", dir);
	if (net_link_add(ns_net(the_ns), "eth0", &o, err, sizeof(err)) != 2) {
		fprintf(stderr, "fuzz_sysctl: eth0: %s\n", err);
		abort();
	}
	if (rtnl_new(ns_net(the_ns), 77, sink_send, NULL, &listener) ||
	    rtnl_bind(listener, ~0u))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const devs[] = { "all", "default", "lo", "eth0" };
	int family, idx, ret, i;
	const char *dev, *name;
	int64_t v, got;

	if (size < 2)
		return 0;
	if (!the_ns)
		setup();
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	dev = data[0] & 8 ? "eth9" : devs[(data[0] >> 1) & 3];
	idx = data[1] % devconf_count(family);
	name = devconf_name(family, idx);
	ret = devconf_parse(family, idx, (const char *)data + 2, size - 2, &v);
	if (ret && ret != -EINVAL)
		abort();
	if (ret)
		return 0;
	if (v < INT32_MIN || v > (int64_t)UINT32_MAX)
		abort();
	ret = net_devconf_set(ns_net(the_ns), family, dev, name, v);
	if (!ret) {
		if (net_devconf_get(ns_net(the_ns), family, dev, name, &got) ||
		    got != v) {
			fprintf(stderr, "fuzz_sysctl: %s %s %s: set %lld, read "
				"%lld\n", family == AF_INET ? "ipv4" : "ipv6",
				dev, name, (long long)v, (long long)got);
			abort();
		}
	} else if (ret != -EINVAL && ret != -EACCES && ret != -ENOENT &&
		   ret != -ENODEV) {
		abort();
	}
	for (i = 0; i < 1000; i++)	/* what the notifications left */
		rtnl_resume(listener);
	rtnl_take_overrun(listener);
	return 0;
}

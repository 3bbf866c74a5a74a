/* SPDX-License-Identifier: MIT */
/*
 * sysnet.c - /sys/class/net and /sys/devices/virtual/net as the sandbox
 * has them.
 *
 * sysfs shows the devices of the reader's network namespace: the host's.
 * As procsys.c does for the sysctl directories, the supervisor keeps a
 * copy in its private folder (ns->sysdir, procsys.c's root_make()):
 *   ROOT/sys/class/net/DEV -> ../../devices/virtual/net/DEV  (symlinks,
 *	as Linux shows a virtual device)
 *   ROOT/sys/devices/virtual/net/DEV/...  (attrs[]: empty files of
 *	sysfs's modes and size 4096, statistics/, power/, queues/rx-0 and
 *	tx-0, and subsystem -> ../../../../class/net)
 * brought in step with the device list (net_link_walk()) at every look
 * at a path below these directories: a device added, deleted or renamed
 * since is there, gone or renamed.  procsys.c hands out the copy's
 * directories (O_DIRECTORY opens) and answers lookups by path from it
 * (ns__sysnet_lookup(), called by its sd_lookup()); the copy's symlinks
 * resolve inside the copy, so readlink(), stat() and lstat() answer as
 * sysfs's.  An open for reading of an attribute (ns__sysnet_open(), from
 * procnet.c) gets a memfd holding what Linux's net-sysfs.c prints for
 * the sandbox's device (ns__snapshot()), or, where Linux's read() fails
 * with EINVAL (carrier, dormant and testing of a device that is down,
 * speed and duplex of one that is down or has no ethtool link settings:
 * all but link devices, net_link_has_speed()), an epoll fd, whose read()
 * fails so; an open for writing is EACCES, as sysfs's root-owned files
 * are to a user.  Every other path below /sys is the kernel's.
 *
 * Paths are folded lexically as procsys.c's, except that a component
 * after class/net/DEV goes on from devices/virtual/net/DEV and one after
 * DEV/subsystem from class/net, as the kernel follows those links.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_arp.h>

#include "internal.h"
#include "log.h"
#include "net.h"
#include "trc.h"

#define DEVS_MAX	256	/* devices kept in step at once */
#define TXQLEN		1000	/* as rtnl_link.c's IFLA_TXQLEN */
#define SYSFS_SIZE	4096	/* what stat() says of a sysfs attribute */

/* What an attribute prints (net-sysfs.c's *_show()) */
enum akind {
	A_ZERO,		/* "0" */
	A_CARRIER_CHANGES, A_CARRIER_UP, A_CARRIER_DOWN,	/* counts */
	A_STR,		/* @str */
	A_EINVAL,	/* read() fails with EINVAL */
	A_RUNNING0,	/* "0", EINVAL while down (dormant, testing) */
	A_SPEED, A_DUPLEX,	/* a link device's while up, else EINVAL */
	A_ADDR_ASSIGN, A_ADDR_LEN, A_ADDRESS, A_BROADCAST, A_CARRIER,
	A_FLAGS, A_IFALIAS, A_IFINDEX, A_MTU, A_NAME_ASSIGN, A_GROUP,
	A_OPERSTATE, A_TXQLEN, A_TYPE, A_UEVENT, A_CPUMASK,
	A_STAT,		/* statistics/: @str names the counter */
	A_LINK,		/* subsystem: a symlink to @str */
};

/**
 * struct attr - a file of DEV/ in Linux 6.18's sysfs (a veth or lo),
 * sorted by path
 * @path:	below DEV/ (a directory on the way is made with it)
 * @mode:	its mode
 * @kind:	what it prints
 * @str:	A_STR's text, A_STAT's counter, A_LINK's target
 */
struct attr {
	const char *path;
	mode_t mode;
	enum akind kind;
	const char *str;
};

static const struct attr attrs[] = {
	{ "addr_assign_type",		0444, A_ADDR_ASSIGN, NULL },
	{ "addr_len",			0444, A_ADDR_LEN, NULL },
	{ "address",			0444, A_ADDRESS, NULL },
	{ "broadcast",			0444, A_BROADCAST, NULL },
	{ "carrier",			0644, A_CARRIER, NULL },
	{ "carrier_changes",		0444, A_CARRIER_CHANGES, NULL },
	{ "carrier_down_count",		0444, A_CARRIER_DOWN, NULL },
	{ "carrier_up_count",		0444, A_CARRIER_UP, NULL },
	{ "dev_id",			0444, A_STR, "0x0" },
	{ "dev_port",			0444, A_ZERO, NULL },
	{ "dormant",			0444, A_RUNNING0, NULL },
	{ "duplex",			0444, A_DUPLEX, NULL },
	{ "flags",			0644, A_FLAGS, NULL },
	{ "gro_flush_timeout",		0644, A_ZERO, NULL },
	{ "ifalias",			0644, A_IFALIAS, NULL },
	{ "ifindex",			0444, A_IFINDEX, NULL },
	{ "iflink",			0444, A_IFINDEX, NULL },
	{ "link_mode",			0444, A_ZERO, NULL },
	{ "mtu",			0644, A_MTU, NULL },
	{ "name_assign_type",		0444, A_NAME_ASSIGN, NULL },
	{ "napi_defer_hard_irqs",	0644, A_ZERO, NULL },
	{ "netdev_group",		0644, A_GROUP, NULL },
	{ "operstate",			0444, A_OPERSTATE, NULL },
	{ "power/autosuspend_delay_ms",	0644, A_EINVAL, NULL },	/* Linux: EIO */
	{ "power/control",		0644, A_STR, "auto" },
	{ "power/runtime_active_time",	0444, A_ZERO, NULL },
	{ "power/runtime_status",	0444, A_STR, "unsupported" },
	{ "power/runtime_suspended_time", 0444, A_ZERO, NULL },
	{ "proto_down",			0644, A_ZERO, NULL },
	{ "queues/rx-0/rps_cpus",	0644, A_CPUMASK, NULL },
	{ "queues/rx-0/rps_flow_cnt",	0644, A_ZERO, NULL },
	{ "queues/tx-0/traffic_class",	0444, A_ZERO, NULL },
	{ "queues/tx-0/tx_maxrate",	0644, A_ZERO, NULL },
	{ "queues/tx-0/tx_timeout",	0444, A_ZERO, NULL },
	{ "queues/tx-0/xps_cpus",	0644, A_CPUMASK, NULL },
	{ "queues/tx-0/xps_rxqs",	0644, A_ZERO, NULL },
	{ "speed",			0444, A_SPEED, NULL },
	{ "statistics/collisions",	0444, A_STAT, NULL },
	{ "statistics/multicast",	0444, A_STAT, NULL },
	{ "statistics/rx_bytes",	0444, A_STAT, "rx_bytes" },
	{ "statistics/rx_compressed",	0444, A_STAT, NULL },
	{ "statistics/rx_crc_errors",	0444, A_STAT, NULL },
	{ "statistics/rx_dropped",	0444, A_STAT, NULL },
	{ "statistics/rx_errors",	0444, A_STAT, NULL },
	{ "statistics/rx_fifo_errors",	0444, A_STAT, NULL },
	{ "statistics/rx_frame_errors",	0444, A_STAT, NULL },
	{ "statistics/rx_length_errors", 0444, A_STAT, NULL },
	{ "statistics/rx_missed_errors", 0444, A_STAT, NULL },
	{ "statistics/rx_nohandler",	0444, A_STAT, NULL },
	{ "statistics/rx_over_errors",	0444, A_STAT, NULL },
	{ "statistics/rx_packets",	0444, A_STAT, "rx_packets" },
	{ "statistics/tx_aborted_errors", 0444, A_STAT, NULL },
	{ "statistics/tx_bytes",	0444, A_STAT, "tx_bytes" },
	{ "statistics/tx_carrier_errors", 0444, A_STAT, NULL },
	{ "statistics/tx_compressed",	0444, A_STAT, NULL },
	{ "statistics/tx_dropped",	0444, A_STAT, "tx_dropped" },
	{ "statistics/tx_errors",	0444, A_STAT, NULL },
	{ "statistics/tx_fifo_errors",	0444, A_STAT, NULL },
	{ "statistics/tx_heartbeat_errors", 0444, A_STAT, NULL },
	{ "statistics/tx_packets",	0444, A_STAT, "tx_packets" },
	{ "statistics/tx_window_errors", 0444, A_STAT, NULL },
	{ "subsystem",			0777, A_LINK, "../../../../class/net" },
	{ "testing",			0444, A_RUNNING0, NULL },
	{ "threaded",			0644, A_ZERO, NULL },
	{ "tx_queue_len",		0644, A_TXQLEN, NULL },
	{ "type",			0444, A_TYPE, NULL },
	{ "uevent",			0644, A_UEVENT, NULL },
};

#define N_ATTRS	(sizeof(attrs) / sizeof(attrs[0]))

static const struct attr *attr_find(const char *path)
{
	size_t i;

	for (i = 0; i < N_ATTRS; i++)
		if (!strcmp(attrs[i].path, path))
			return &attrs[i];
	return NULL;
}

/* ---- what an attribute prints ---- */

/* "%*phC" of an address of @len bytes, as sysfs_format_mac() */
static void print_mac(FILE *f, const uint8_t *mac, int len)
{
	int i;

	for (i = 0; i < len; i++)
		fprintf(f, i ? ":%02x" : "%02x", mac[i]);
	fputc('\n', f);
}

/* IF_OPER_* as operstate_show() names it: down when not running; lo and
 * a dummy have no operstate driver (unknown); no carrier is
 * lowerlayerdown */
static const char *operstate(const struct net_link *l)
{
	if (!(l->flags & IFF_UP))
		return "down";
	if (l->type == ARPHRD_LOOPBACK || !strcmp(l->kind, "dummy"))
		return "unknown";
	return (l->flags & IFF_LOWER_UP) ? "up" : "lowerlayerdown";
}

/* A zero cpumask as "%*pb" prints one of nr_cpu_ids bits: 32 bits a
 * group of 8 hex digits, the first group as wide as its bits need */
static void print_cpumask(FILE *f)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	long first, groups, i;

	if (n < 1)
		n = 1;
	first = ((n - 1) % 32) / 4 + 1;
	groups = (n - 1) / 32;
	for (i = 0; i < first; i++)
		fputc('0', f);
	for (i = 0; i < groups; i++)
		fputs(",00000000", f);
	fputc('\n', f);
}

struct show {
	const struct net_link *l;
	const struct attr *a;
};

/* The attribute's text (net-sysfs.c's formats); -EINVAL where Linux's
 * read() fails so */
static int attr_show(void *arg, FILE *f)
{
	const struct show *s = arg;
	const struct net_link *l = s->l;
	bool lo = l->type == ARPHRD_LOOPBACK, up = l->flags & IFF_UP;
	int alen = l->type == ARPHRD_NONE ? 0 : 6;
	static const uint8_t zero[6], bcast[6] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint64_t v = 0;

	switch (s->a->kind) {
	case A_ZERO:
		fputs("0\n", f);
		break;
	case A_STR:
		fprintf(f, "%s\n", s->a->str);
		break;
	case A_EINVAL:
		return -EINVAL;
	case A_RUNNING0:
		if (!up)
			return -EINVAL;
		fputs("0\n", f);
		break;
	case A_SPEED:	/* speed_show(), duplex_show(): running, with link
			 * settings (net_link_has_speed()) */
	case A_DUPLEX:
		if (!up || !net_link_has_speed(l))
			return -EINVAL;
		if (s->a->kind == A_SPEED)
			fprintf(f, "%d\n", NET_LINK_SPEED);
		else
			fputs("full\n", f);
		break;
	case A_ADDR_ASSIGN:	/* NET_ADDR_PERM; NET_ADDR_RANDOM (a veth's) */
		fprintf(f, "%d\n", l->type == ARPHRD_ETHER ? 1 : 0);
		break;
	case A_ADDR_LEN:
		fprintf(f, "%d\n", alen);
		break;
	case A_ADDRESS:
		print_mac(f, lo ? zero : l->mac, alen);
		break;
	case A_BROADCAST:
		print_mac(f, lo ? zero : bcast, alen);
		break;
	case A_CARRIER:
		if (!up)
			return -EINVAL;
		fprintf(f, "%d\n", !!(l->flags & IFF_LOWER_UP));
		break;
	case A_FLAGS:	/* dev->flags: without what dev_get_flags() adds */
		fprintf(f, "%#x\n", l->flags & ~(unsigned int)(IFF_RUNNING |
				     IFF_LOWER_UP | IFF_DORMANT | IFF_ECHO));
		break;
	case A_IFALIAS:	/* nothing at all without one */
		if (l->alias[0])
			fprintf(f, "%s\n", l->alias);
		break;
	case A_IFINDEX:	/* iflink too: a device of its own */
		fprintf(f, "%u\n", l->ifindex);
		break;
	case A_MTU:
		fprintf(f, "%u\n", l->mtu);
		break;
	case A_CARRIER_CHANGES:
		fprintf(f, "%u\n", l->carrier_up + l->carrier_down);
		break;
	case A_CARRIER_UP:
		fprintf(f, "%u\n", l->carrier_up);
		break;
	case A_CARRIER_DOWN:
		fprintf(f, "%u\n", l->carrier_down);
		break;
	case A_NAME_ASSIGN:	/* lo NET_NAME_PREDICTABLE, else NET_NAME_USER */
		fprintf(f, "%d\n", lo ? 2 : 3);
		break;
	case A_GROUP:
		fprintf(f, "%u\n", l->group);
		break;
	case A_OPERSTATE:
		fprintf(f, "%s\n", operstate(l));
		break;
	case A_TXQLEN:
		fprintf(f, "%d\n", TXQLEN);
		break;
	case A_TYPE:
		fprintf(f, "%u\n", (unsigned int)l->type);
		break;
	case A_UEVENT:
		fprintf(f, "INTERFACE=%s\nIFINDEX=%u\n", l->name, l->ifindex);
		break;
	case A_CPUMASK:
		print_cpumask(f);
		break;
	case A_STAT:	/* rtnl_link.c's IFLA_STATS64: drops are tx_dropped */
		if (!s->a->str)
			v = 0;
		else if (!strcmp(s->a->str, "rx_bytes"))
			v = l->cnt.rx_bytes;
		else if (!strcmp(s->a->str, "rx_packets"))
			v = l->cnt.rx_packets;
		else if (!strcmp(s->a->str, "tx_bytes"))
			v = l->cnt.tx_bytes;
		else if (!strcmp(s->a->str, "tx_packets"))
			v = l->cnt.tx_packets;
		else if (!strcmp(s->a->str, "tx_dropped"))
			v = l->cnt.drops;
		fprintf(f, "%llu\n", (unsigned long long)v);
		break;
	case A_LINK:
		return -ELOOP;	/* not reached: the copy's link resolves */
	}
	return 0;
}

/* ---- paths ---- */

/**
 * struct snpath - a path below our directories, folded
 * @comp:	its components
 * @n:		how many
 * @dev:	DEV of devices/virtual/net/DEV/..., or of class/net/DEV;
 *		NULL for the two directories
 * @rest:	below devices/virtual/net/DEV ("mtu", "statistics/rx_bytes"),
 *		"" for DEV itself
 * @has_rest:	@rest holds that (not for class/net/DEV, the directories,
 *		nor a path too long to be an attribute)
 */
struct snpath {
	const char *comp[16];
	int n;
	const char *dev;
	char rest[64];
	bool has_rest;
};

static bool is(const char *const *comp, int n, const char *a, const char *b,
	       const char *c, const char *d)
{
	const char *w[] = { a, b, c, d };
	int i;

	for (i = 0; i < 4 && w[i]; i++)
		if (i >= n || strcmp(comp[i], w[i]))
			return false;
	return true;
}

/* sys class net X, followed by more: the kernel goes on from X's target */
static bool class_link(const char *const *comp, int n)
{
	return n == 4 && is(comp, n, "sys", "class", "net", NULL);
}

static bool devs_dir(const char *const *comp, int n)
{
	return n >= 4 && is(comp, n, "sys", "devices", "virtual", "net");
}

/* The links of ours the kernel follows when anything comes after them
 * (a name, ".", "..", a trailing '/') */
static int follow(const char **c, int n)
{
	if (class_link(c, n)) {	/* ../../devices/virtual/net/DEV */
		c[4] = c[3];
		c[1] = "devices";
		c[2] = "virtual";
		c[3] = "net";
		return 5;
	}
	if (n == 6 && devs_dir(c, n) && !strcmp(c[5], "subsystem")) {
		c[1] = "class";	/* ../../../../class/net */
		c[2] = "net";
		return 3;
	}
	return n;
}

/*
 * Fold @abs (taken apart in place) into @p: "." and ".." lexically, but
 * following class/net/DEV and DEV/subsystem when something comes after
 * them (@slash: @abs ended in '/').  Return: whether it is below
 * /sys/class/net or /sys/devices/virtual/net (or one of them)
 */
static bool sn_parse(char *abs, bool slash, struct snpath *p)
{
	char *save = NULL, *w;
	const char **c = p->comp;
	int n = 0, i;
	size_t at;

	memset(p, 0, sizeof(*p));
	for (w = strtok_r(abs, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
		n = follow(c, n);
		if (!strcmp(w, "."))
			continue;
		if (!strcmp(w, "..")) {
			if (n)
				n--;
			continue;
		}
		if (n == 16)
			return false;
		c[n++] = w;
	}
	if (slash)
		n = follow(c, n);
	p->n = n;
	if (n >= 3 && n <= 4 && is(c, n, "sys", "class", "net", NULL)) {
		p->dev = n == 4 ? c[3] : NULL;
		return true;
	}
	if (!devs_dir(c, n))
		return false;
	if (n == 4)
		return true;
	p->dev = c[4];
	p->has_rest = true;
	for (i = 5, at = 0; i < n; i++) {
		int len = snprintf(p->rest + at, sizeof(p->rest) - at, "%s%s",
				   at ? "/" : "", c[i]);

		if (len < 0 || (size_t)len >= sizeof(p->rest) - at) {
			p->rest[0] = '\0';	/* too long for an attribute */
			p->has_rest = false;
			break;
		}
		at += (size_t)len;
	}
	return true;
}

/* ---- the copy ---- */

/* ROOT/sys/@sub into @buf */
static int sn_dir(const struct ns *ns, const char *sub, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/sys/%s", ns->sysdir, sub);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* DEV's directory in @at, attrs[] in it (reverse order: a tmpfs lists
 * the last made first) */
static int make_dev(int at, const char *dev)
{
	char path[96], *slash;
	size_t i = N_ATTRS;
	int fd, ret = 0;

	if (mkdirat(at, dev, 0755))
		return errno == EEXIST ? 0 : -errno;
	fd = openat(at, dev, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	while (!ret && i--) {
		const struct attr *a = &attrs[i];

		snprintf(path, sizeof(path), "%s", a->path);
		/* the directories on the way (statistics, queues/rx-0) */
		for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			if (mkdirat(fd, path, 0755) && errno != EEXIST)
				ret = -errno;
			*slash = '/';
		}
		if (ret)
			break;
		if (a->kind == A_LINK)
			ret = symlinkat(a->str, fd, a->path) && errno != EEXIST ?
			      -errno : 0;
		else
			ret = ns__sd_touch(fd, a->path, a->mode, SYSFS_SIZE);
	}
	if (fd >= 0)
		close(fd);
	if (ret)
		ns__sd_rm_tree(at, dev, 4);
	return ret;
}

struct walk {
	char (*names)[IFNAMSIZ];
	int n;
};

static int collect(void *arg, const struct net_link *l)
{
	struct walk *w = arg;

	if (w->n < DEVS_MAX && strlen(l->name) < IFNAMSIZ)
		snprintf(w->names[w->n++], IFNAMSIZ, "%s", l->name);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}


/* Do the names in @fd (a directory) read @w's, no more, no less? */
static bool same_names(int fd, const struct walk *w)
{
	struct dirent *e;
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), have = 0, i;
	bool same = true;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return false;
	}
	while (same && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (i = 0; i < w->n && strcmp(w->names[i], e->d_name); i++)
			;
		same = i < w->n;
		have++;
	}
	closedir(d);
	return same && have == w->n;
}

/*
 * class/net and devices/virtual/net in step with the sandbox's devices:
 * when the names differ, both are made again (in reverse order, so that
 * a tmpfs lists them by name).  0 or -errno.
 */
static int sn_sync(struct ns *ns)
{
	char cpath[PATH_MAX], dpath[PATH_MAX], target[64];
	struct walk w = { NULL, 0 };
	int cfd = -1, dfd = -1, i, ret;

	if ((ret = ns__procsys_root(ns)) ||
	    (ret = sn_dir(ns, "class/net", cpath, sizeof(cpath))) ||
	    (ret = sn_dir(ns, "devices/virtual/net", dpath, sizeof(dpath))))
		return ret;
	w.names = calloc(DEVS_MAX, sizeof(*w.names));
	if (!w.names)
		return -ENOMEM;
	net_link_walk(ns->net, collect, &w);
	cfd = open(cpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dfd = open(dpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfd < 0 || dfd < 0) {
		ret = -errno;
		goto out;
	}
	if (same_names(cfd, &w) && same_names(dfd, &w))
		goto out;
	qsort(w.names, (size_t)w.n, sizeof(*w.names), by_name);
	ns__sd_empty(cfd, 0);
	ns__sd_empty(dfd, 4);
	for (i = w.n - 1; !ret && i >= 0; i--) {
		ret = make_dev(dfd, w.names[i]);
		snprintf(target, sizeof(target), "../../devices/virtual/net/%s",
			 w.names[i]);
		if (!ret && symlinkat(target, cfd, w.names[i]) && errno != EEXIST)
			ret = -errno;
	}
	calls("/sys/class/net: the sandbox's %d device(s)", w.n);
out:
	if (cfd >= 0)
		close(cfd);
	if (dfd >= 0)
		close(dfd);
	free(w.names);
	return ret;
}

/**
 * ns__sysnet_lookup() - the path of the copy that stands for @abs,
 * brought up to date
 * @ns:		the stack
 * @abs:	an absolute path (not changed)
 * @slash:	@abs ended in '/'
 * @priv:	the copy's path
 * @size:	room at @priv
 *
 * Return: 1 when @abs is below /sys/class/net or /sys/devices/virtual/net
 * (or one of them), 0 when not, or -errno
 */
int ns__sysnet_lookup(struct ns *ns, const char *abs, bool slash, char *priv,
		      size_t size)
{
	char buf[2 * PATH_MAX + 2];
	struct snpath p;
	int i, len, ret;
	size_t at;

	if (strncmp(abs, "/sys/", 5) || strlen(abs) >= sizeof(buf))
		return 0;
	strcpy(buf, abs);
	if (!sn_parse(buf, slash, &p))
		return 0;
	if ((ret = sn_sync(ns)))
		return ret;
	len = snprintf(priv, size, "%s", ns->sysdir);
	for (i = 0; len > 0 && (size_t)len < size && i < p.n; i++) {
		at = (size_t)len;
		len += snprintf(priv + at, size - at, "/%s", p.comp[i]);
	}
	if (len > 0 && (size_t)len + 1 < size && slash)
		strcat(priv, "/");
	return len < 0 || (size_t)len + 1 >= size ? -ENAMETOOLONG : 1;
}

/**
 * ns__sysnet_name() - might @name, a path's last component, name one of
 * our directories or something in them?
 * @ns:		the stack
 * @name:	the component
 */
bool ns__sysnet_name(struct ns *ns, const char *name)
{
	static const char *const dirs[] = {
		"class", "net", "devices", "virtual", "statistics", "power",
		"queues", "rx-0", "tx-0",
	};
	const char *slash;
	struct net_link l;
	size_t i, len = strlen(name);

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (!strcmp(name, dirs[i]))
			return true;
	for (i = 0; i < N_ATTRS; i++) {
		slash = strrchr(attrs[i].path, '/');
		if (!strcmp(slash ? slash + 1 : attrs[i].path, name))
			return true;
	}
	return len && len < IFNAMSIZ && !net_link_by_name(ns->net, name, &l);
}

/**
 * ns__sysnet_open() - an open of a path below /sys/class/net or
 * /sys/devices/virtual/net (not O_DIRECTORY: procsys.c's)
 * @ns:		the stack
 * @c:		the call
 * @abs:	its absolute path (not changed)
 * @flags:	its flags
 * @wr:		for writing
 *
 * Return: NS_CONTINUE (not below them: the kernel's), NS_DONE (an fd
 * installed), or a negative errno for the call
 */
int64_t ns__sysnet_open(struct ns *ns, struct trc_call *c, const char *abs,
			uint64_t flags, bool wr)
{
	char buf[2 * PATH_MAX + 2], priv[PATH_MAX];
	pid_t pid = trc_call_pid(c);
	const struct attr *a;
	struct net_link l;
	struct snpath p;
	struct stat st;
	bool slash;
	int fd, ret;

	if (strncmp(abs, "/sys/", 5) || strlen(abs) >= sizeof(buf))
		return NS_CONTINUE;
	slash = abs[strlen(abs) - 1] == '/';
	strcpy(buf, abs);
	if (!sn_parse(buf, slash, &p))
		return NS_CONTINUE;
	ret = ns__sysnet_lookup(ns, abs, slash, priv, sizeof(priv));
	if (ret < 0) {
		warn("pid %d: the sandbox's /sys/class/net: %s; %s is the "
		     "host's", (int)pid, strerror(-ret), abs);
		return NS_CONTINUE;
	}
	if ((ret = trc_call_verify(c)))
		return ret;
	if (wr) {	/* sysfs's files are root's, 0644 at most */
		char *up = strrchr(priv, '/');

		if (stat(priv, &st)) {	/* made in a directory that is there */
			ret = -errno;
			if (!(flags & O_CREAT) || !up)
				return ret;
			*up = '\0';
			if (stat(priv, &st))
				return ret;
		}
		calls("pid %d: open(%s) for writing: EACCES", (int)pid, abs);
		return -EACCES;
	}
	a = p.dev && p.has_rest ? attr_find(p.rest) : NULL;
	if (a && a->kind != A_LINK && !net_link_by_name(ns->net, p.dev, &l)) {
		struct show s = { &l, a };

		fd = ns__snapshot(attr_show, &s, flags & O_NONBLOCK);
		if (fd == -EINVAL) {	/* read() fails so: an epoll fd's does */
			fd = epoll_create1(EPOLL_CLOEXEC);
			if (fd < 0)
				fd = -errno;
		}
	} else {	/* a directory, a link to one, or ENOENT */
		fd = open(priv, O_RDONLY | O_CLOEXEC |
			  (int)(flags & (O_NONBLOCK | O_NOFOLLOW | O_NOATIME)));
		if (fd < 0)
			fd = -errno;
	}
	if (fd < 0) {
		calls("pid %d: open(%s) = %s, the sandbox's", (int)pid, abs,
		      strerror(-fd));
		return fd;
	}
	ret = trc_call_addfd(c, fd, flags & O_CLOEXEC);	/* frees c */
	close(fd);
	calls("pid %d: open(%s) = %d, the sandbox's", (int)pid, abs, ret);
	return NS_DONE;
}

/**
 * ns__sysnet_xattr() - getxattr() and the like of a path of ours, which
 * exists: sysfs's answers (no SELinux label, no ACLs, none listed)
 * @c:		the call
 *
 * Return: the call's result
 */
int64_t ns__sysnet_xattr(struct trc_call *c)
{
	uint64_t at = trc_call_arg(c, 1);
	size_t len = 4096 - (size_t)(at & 4095);
	int nr = trc_call_nr(c);
	char name[16] = "";

	if (nr == SYS_listxattr || nr == SYS_llistxattr)
		return 0;
	if (len > sizeof(name) - 1)
		len = sizeof(name) - 1;
	if (trc_mem_read_first(c, at, name, len))
		return -EFAULT;
	return strncmp(name, "security.", 9) ? -EOPNOTSUPP : -ENODATA;
}

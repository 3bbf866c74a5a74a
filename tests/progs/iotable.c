/* SPDX-License-Identifier: MIT */
/*
 * iotable.c - what a socket's ioctl()s answer, as a table.
 *
 * On fresh sockets of a few kinds (TCP and UDP, IPv4 and IPv6, AF_UNIX,
 * which the interface requests reach as well), each of the getters of
 * the 0x89xx range: the interface ones (SIOCGIF*) for lo, a device that
 * does not exist, an empty name, a name of 16 bytes without its end, and
 * by index (SIOCGIFNAME); SIOCGIFCONF with no buffer, a small one and a
 * big one; SIOCETHTOOL's driver, link and settings of lo; and the socket
 * ones (timestamps, out-of-band mark, owner, queues, the namespace).
 * One line per call: the answer, and the bytes the call wrote.  Nothing
 * is changed: setters are not asked.
 *
 * Nothing is judged here: tests/scenario/addrmatrix.sh runs this natively
 * in a network namespace holding lo only (as a sandbox starts) and in
 * rrsandbox, and compares the tables.
 *
 * Usage: iotable
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tap.h"

#ifndef SIOCGSKNS
#define SIOCGSKNS	0x894C
#endif
#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD	0x894B
#endif
#ifndef SIOCGSTAMPNS
#define SIOCGSTAMPNS	0x8907
#endif

static void hex(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", b[i]);
}

static int open_kind(const char *kind)
{
	int fam = !strcmp(kind, "unix") ? AF_UNIX : strchr(kind, '6') ? AF_INET6 : AF_INET;
	int type = kind[0] == 't' ? SOCK_STREAM : SOCK_DGRAM;
	int s = socket(fam, type, 0);

	if (s < 0) {
		fprintf(stderr, "iotable: socket(%s): %s\n", kind, strerror(errno));
		exit(1);
	}
	return s;
}

struct req {
	unsigned long nr;
	const char *name;
};

#define R(x) { x, #x }

/* the ifreq getters, each asked for every name below */
static const struct req ifreqs[] = {
	R(SIOCGIFFLAGS), R(SIOCGIFINDEX), R(SIOCGIFMTU), R(SIOCGIFADDR),
	R(SIOCGIFNETMASK), R(SIOCGIFBRDADDR), R(SIOCGIFDSTADDR),
	R(SIOCGIFHWADDR), R(SIOCGIFTXQLEN), R(SIOCGIFMETRIC), R(SIOCGIFMAP),
	R(SIOCGIFPFLAGS), R(SIOCGIFSLAVE), R(SIOCGIFCOUNT), R(SIOCGMIIPHY),
	R(SIOCGIFMEM), R(SIOCGIFENCAP), R(SIOCGIFBR),
};

static const char *const names[] = {
	"lo", "nosuchdev0", "", "abcdefghijklmnop",
};

/* An ifreq request: its answer and the ifreq's 24 bytes after the name */
static void ifreq_case(int s, const char *kind, const struct req *r, const char *name)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name) < IFNAMSIZ ? strlen(name) : IFNAMSIZ);
	ret = ioctl(s, r->nr, &ifr);
	printf("%s %s \"%s\": %s", kind, r->name, name, ret < 0 ? tap_errname(errno) : "ok");
	if (ret >= 0) {
		printf(" ");
		hex(&ifr.ifr_ifru, sizeof(ifr.ifr_ifru));
	}
	printf("\n");
}

static void ifname_case(int s, const char *kind, int index)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = index;
	ret = ioctl(s, SIOCGIFNAME, &ifr);
	printf("%s SIOCGIFNAME %d: %s", kind, index, ret < 0 ? tap_errname(errno) : "ok");
	if (ret >= 0)
		printf(" \"%.*s\"", IFNAMSIZ, ifr.ifr_name);
	printf("\n");
}

/* SIOCGIFCONF with @len bytes (a buffer when @len >= 0, else none) */
static void ifconf_case(int s, const char *kind, int len)
{
	struct ifreq buf[8];
	struct ifconf ifc;
	int ret, i;

	memset(buf, 0xa5, sizeof(buf));
	ifc.ifc_len = len < 0 ? 0 : len;
	ifc.ifc_req = len < 0 ? NULL : buf;
	ret = ioctl(s, SIOCGIFCONF, &ifc);
	printf("%s SIOCGIFCONF %d: %s", kind, len, ret < 0 ? tap_errname(errno) : "ok");
	if (ret >= 0) {
		printf(" len=%d", ifc.ifc_len);
		for (i = 0; len >= 0 && i < ifc.ifc_len / (int)sizeof(buf[0]) && i < 8; i++) {
			printf(" %.*s:", IFNAMSIZ, buf[i].ifr_name);
			hex(&buf[i].ifr_addr, sizeof(buf[i].ifr_addr));
		}
	}
	printf("\n");
}

static void ethtool_case(int s, const char *kind, const char *what, void *data,
			 size_t len)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ifr.ifr_data = data;
	ret = ioctl(s, SIOCETHTOOL, &ifr);
	printf("%s SIOCETHTOOL %s: %s", kind, what, ret < 0 ? tap_errname(errno) : "ok");
	if (ret >= 0) {
		printf(" ");
		hex(data, len);
	}
	printf("\n");
}

/* the socket's own requests, with room for 16 bytes */
static const struct req sockreqs[] = {
	R(SIOCGSTAMP), R(SIOCGSTAMPNS), R(SIOCATMARK), R(SIOCGPGRP),
	R(FIOGETOWN), R(SIOCOUTQNSD), R(SIOCGSKNS),
};

static void sock_case(int s, const char *kind, const struct req *r)
{
	unsigned char buf[16];
	int ret;

	memset(buf, 0xa5, sizeof(buf));
	ret = ioctl(s, r->nr, buf);
	printf("%s %s: %s", kind, r->name, ret < 0 ? tap_errname(errno) : "ok");
	if (ret >= 0 && r->nr != SIOCGSKNS) {	/* that one is an fd */
		printf(" ");
		hex(buf, 8);
	}
	if (ret >= 0 && r->nr == SIOCGSKNS)
		close(ret);
	printf("\n");
}

int main(void)
{
	static const char *const kinds[] = { "tcp4", "udp4", "tcp6", "udp6", "unix" };
	size_t k, i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const char *kind = kinds[k];
		struct ethtool_drvinfo di;
		struct ethtool_value ev;
		struct ethtool_cmd ec;
		int s = open_kind(kind);

		for (i = 0; i < sizeof(ifreqs) / sizeof(ifreqs[0]); i++)
			for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
				ifreq_case(s, kind, &ifreqs[i], names[j]);
		ifname_case(s, kind, 1);
		ifname_case(s, kind, 0);
		ifname_case(s, kind, 99);
		ifname_case(s, kind, -1);
		ifconf_case(s, kind, -1);
		ifconf_case(s, kind, 0);
		ifconf_case(s, kind, (int)sizeof(struct ifreq) - 1);
		ifconf_case(s, kind, (int)sizeof(struct ifreq));
		ifconf_case(s, kind, 8 * (int)sizeof(struct ifreq));
		memset(&di, 0, sizeof(di));
		di.cmd = ETHTOOL_GDRVINFO;
		ethtool_case(s, kind, "GDRVINFO", &di, sizeof(di));
		memset(&ev, 0, sizeof(ev));
		ev.cmd = ETHTOOL_GLINK;
		ethtool_case(s, kind, "GLINK", &ev, sizeof(ev));
		memset(&ec, 0, sizeof(ec));
		ec.cmd = ETHTOOL_GSET;
		ethtool_case(s, kind, "GSET", &ec, sizeof(ec));
		memset(&ev, 0, sizeof(ev));
		ev.cmd = 0x7fff;
		ethtool_case(s, kind, "cmd 0x7fff", &ev, sizeof(ev));
		for (i = 0; i < sizeof(sockreqs) / sizeof(sockreqs[0]); i++)
			sock_case(s, kind, &sockreqs[i]);
		close(s);
	}
	return 0;
}

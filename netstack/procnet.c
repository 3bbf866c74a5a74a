/* SPDX-License-Identifier: MIT */
/*
 * procnet.c - /proc/net as the sandbox has it.
 *
 * The kernel answers a read of /proc/net/tcp, /proc/net/route, ... from
 * the reader's network namespace: the host's, for a sandboxed program.
 * With trc_opts.trap_open the program's open(), openat() and openat2()
 * come here; an open for reading of one of the files below, named through
 * /proc/net, /proc/self/net, /proc/thread-self/net or /proc/PID/net of a
 * process of the sandbox (directly, or relative to a directory fd or the
 * working directory), gets a read-only memfd holding what Linux would
 * print for the sandbox, in Linux's formats, so that net-tools (ifconfig,
 * route, arp, netstat) and programs that parse these files see the
 * sandbox.  The contents are a snapshot at open (Linux's are made as they
 * are read).  Every other open is the kernel's (NS_CONTINUE), after one
 * read of the path, and another of the directory's name when the path is
 * relative and ends in one of these names.
 *
 * So are /proc/sys/net/ipv4/ip_forward and ipv4|ipv6/conf/DEV/forwarding
 * (DEV all, default or a device of the sandbox).  What each file holds,
 * and whence, is procnet_files.c's.  Other files under /proc/net stay the
 * host's: packet, netlink, protocols and the like.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "internal.h"
#include "log.h"
#include "net.h"
#include "trc.h"

/* Might @name, a path's last component, be a file of ours? */
static bool served_name(const char *name)
{
	return !strcmp(name, "ip_forward") || !strcmp(name, "forwarding") ||
	       ns__procnet_file(name);
}

/* ---- which opens are ours ---- */

/* The NUL-terminated path at @addr into @buf (PATH_MAX), a page at a
 * time so that a path ending just before an unmapped page reads. */
static int read_path(const struct trc_call *c, uint64_t addr, char *buf)
{
	size_t got = 0;

	while (got < PATH_MAX) {
		uint64_t at = addr + got;
		size_t len = 4096 - (size_t)(at & 4095);

		if (len > PATH_MAX - got)
			len = PATH_MAX - got;
		if (trc_mem_read_first(c, at, buf + got, len))
			return -EFAULT;
		if (memchr(buf + got, '\0', len))
			return 0;
		got += len;
	}
	return -ENAMETOOLONG;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* proc sys net ipv4 ip_forward, proc sys net ipv4|ipv6 conf DEV forwarding */
static ns_procnet_fn *sys_match(struct ns *ns, const char *const *comp, size_t n)
{
	struct net_link l;

	if (n < 5 || strcmp(comp[1], "sys") || strcmp(comp[2], "net"))
		return NULL;
	if (n == 5 && !strcmp(comp[3], "ipv4") && !strcmp(comp[4], "ip_forward"))
		return ns__procnet_forwarding;
	if (n != 7 || (strcmp(comp[3], "ipv4") && strcmp(comp[3], "ipv6")) ||
	    strcmp(comp[4], "conf") || strcmp(comp[6], "forwarding"))
		return NULL;
	if (strcmp(comp[5], "all") && strcmp(comp[5], "default") &&
	    net_link_by_name(ns->net, comp[5], &l))
		return NULL;	/* not a device of ours */
	return ns__procnet_forwarding;
}

/*
 * The file of ours @abs names, or NULL.  @abs is absolute; taken apart in
 * place.  Lexical: "." and ".." are folded without following the links
 * on the way (/proc/net is /proc/self/net, one level deeper), which is
 * the kernel's answer for every path that stays inside /proc; one that
 * climbs out of /proc/net above /proc and back may be served where the
 * kernel finds no file.
 */
static ns_procnet_fn *match(struct ns *ns, char *abs, pid_t caller)
{
	const char *comp[16];
	char *save = NULL, *w;
	size_t n = 0, net;

	for (w = strtok_r(abs, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
		if (!strcmp(w, "."))
			continue;
		if (!strcmp(w, "..")) {
			if (n)
				n--;
			continue;
		}
		if (n == sizeof(comp) / sizeof(comp[0]))
			return NULL;
		comp[n++] = w;
	}
	if (n < 3 || strcmp(comp[0], "proc"))
		return NULL;
	if (!strcmp(comp[1], "sys"))
		return sys_match(ns, comp, n);
	/* proc [self|thread-self|PID [task TID]] net FILE */
	if (strcmp(comp[n - 2], "net"))
		return NULL;
	net = n - 2;
	if (net == 1)
		;
	else if (net == 2 && (!strcmp(comp[1], "self") ||
			      !strcmp(comp[1], "thread-self")))
		;
	else if ((net == 2 || (net == 4 && !strcmp(comp[2], "task") &&
			       all_digits(comp[3]))) &&
		 (!strcmp(comp[1], "self") || all_digits(comp[1]))) {
		long v = all_digits(comp[1]) ? strtol(comp[1], NULL, 10) : caller;
		pid_t pid = v > 0 && v <= INT_MAX ? (pid_t)v : 0;

		if (pid != caller && (!pid || !trc_in_tree(pid)))
			return NULL;	/* another's: its own network */
	} else {
		return NULL;
	}
	return ns__procnet_file(comp[n - 1]);
}

/* The file's contents in a memfd, reopened read-only (and @nonblock). */
static int snapshot(struct ns *ns, ns_procnet_fn *fn, bool nonblock)
{
	char path[40];
	FILE *f;
	int mfd, ro, ret;

	mfd = memfd_create("rrsandbox-proc-net", MFD_CLOEXEC);
	if (mfd < 0)
		return -errno;
	f = fdopen(mfd, "w");
	if (!f) {
		ret = -errno;
		close(mfd);
		return ret;
	}
	ret = fn(ns, f);
	if (!ret && (fflush(f) || ferror(f)))
		ret = -ENOMEM;
	ro = -1;
	if (!ret) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
		ro = open(path, O_RDONLY | O_CLOEXEC | (nonblock ? O_NONBLOCK : 0));
		if (ro < 0)
			ret = -errno;
	}
	fclose(f);
	return ret ? ret : ro;
}

/**
 * ns__procnet_open() - an open(), openat() or openat2() of the program
 * @ns:		the stack
 * @c:		the call
 *
 * Return: NS_CONTINUE (not ours: the kernel opens it), NS_DONE (a read-only
 * fd with the sandbox's view installed), or a negative errno for the call
 */
int64_t ns__procnet_open(struct ns *ns, struct trc_call *c)
{
	pid_t pid = trc_call_pid(c);
	int nr = trc_call_nr(c), dirfd = AT_FDCWD, fd, ret;
	char path[PATH_MAX], abs[2 * PATH_MAX + 2];
	uint64_t flags, upath;
	const char *last;
	ns_procnet_fn *fn;

	if (nr == SYS_open) {
		upath = trc_call_arg(c, 0);
		flags = trc_call_arg(c, 1);
	} else {
		dirfd = (int)trc_call_arg(c, 0);
		upath = trc_call_arg(c, 1);
		flags = trc_call_arg(c, 2);
	}
	if (nr == SYS_openat2) {
		struct open_how how;

		/* an unknown size or any RESOLVE_* restriction: the
		 * kernel's own answer */
		if (trc_call_arg(c, 3) != sizeof(how) ||
		    trc_mem_read_first(c, trc_call_arg(c, 2), &how, sizeof(how)) ||
		    how.resolve)
			return NS_CONTINUE;
		flags = how.flags;
	}
	/* the filter let through open and openat with no flag but these;
	 * openat2 with any */
	flags &= 0xffffffffu;
	if ((flags & O_ACCMODE) != O_RDONLY ||
	    (flags & ~(uint64_t)TRC_OPEN_PLAIN_FLAGS))
		return NS_CONTINUE;
	if (read_path(c, upath, path))
		return NS_CONTINUE;	/* the kernel says what is wrong */
	last = strrchr(path, '/');
	last = last ? last + 1 : path;
	if (!served_name(last))
		return NS_CONTINUE;
	if (path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char base[PATH_MAX];

		if (trc_dir_path(pid, dirfd, base, sizeof(base)))
			return NS_CONTINUE;
		snprintf(abs, sizeof(abs), "%s/%s", base, path);
	}
	fn = match(ns, abs, pid);
	if (!fn)
		return NS_CONTINUE;
	if ((ret = trc_call_verify(c)))
		return ret;
	fd = snapshot(ns, fn, flags & O_NONBLOCK);
	if (fd < 0) {
		calls("pid %d: open(%s): the sandbox's view failed: %s",
		      (int)pid, path, strerror(-fd));
		return fd;
	}
	ret = trc_call_addfd(c, fd, flags & O_CLOEXEC);	/* frees c */
	close(fd);
	calls("pid %d: open(%s) = %d, the sandbox's", (int)pid, path, ret);
	return NS_DONE;
}

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
 * So are the sysctls /proc/sys/net/ipv4/ip_forward, the ICMP rate
 * limits' (ipv4/icmp_ratelimit ..., ipv6/icmp/ratelimit and ratemask:
 * icmprl.c's) and ipv4|ipv6/conf/DEV/NAME (NAME one of devconf.c's: forwarding, rp_filter,
 * ...; DEV all, default or a device of the sandbox; another DEV, though
 * the host has it, is ENOENT) and ipv4|ipv6/neigh/DEV/NAME (neighparm.c's
 * names: base_reachable_time_ms, ...; DEV a device of the sandbox; no
 * neigh/default/, which only the host's namespace has), which may be
 * written too: an open for
 * writing gets a pipe's write end, whose other end the supervisor reads,
 * and the first write sets the sandbox's value (net_devconf_set()) as
 * Linux's first write at offset 0 does; later ones are ignored, as Linux
 * ignores writes at an offset.  Writes are not trapped, so the write() cannot fail for a bad
 * value as Linux's does (EINVAL): the value is ignored and the
 * supervisor says so.  Before any trapped call is answered the pipes are
 * read (ns__procnet_pull()), so a program that wrote the value, or a
 * process it started afterwards, finds it applied.  What each /proc/net
 * file holds, and whence, is procnet_files.c's.  Other files under
 * /proc/net stay the host's: protocols, ptype and the like.
 * The directories of the sysctls (ipv4|ipv6/conf and neigh) are
 * procsys.c's: an open with O_DIRECTORY goes there, and a path in its
 * copy of them (an open relative to a directory fd it gave) is read as
 * the /proc/sys/net path it stands for before being matched here.
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
#include <net/if.h>

#include "devconf.h"
#include "internal.h"
#include "log.h"
#include "neighparm.h"
#include "net.h"
#include "trc.h"

/* Might @name, a path's last component, be a file of ours: a sysctl
 * (read or written), or a /proc/net file (read only)? */
static bool served_name(const char *name, bool wr)
{
	return !strcmp(name, "ip_forward") || devconf_index(AF_INET, name) >= 0 ||
	       icmp_sysctl_name(name) ||
	       devconf_index(AF_INET6, name) >= 0 ||
	       ns__procsys_neigh_name(name) ||
	       (!wr && ns__procnet_file(name));
}

/* ---- which opens are ours ---- */

/* Whether the program's tree runs as root: it has the supervisor's
 * uid (no_new_privs keeps a set-uid program from changing it) */
static bool tree_is_root(void)
{
	static int root = -1;

	if (root < 0)
		root = geteuid() == 0;
	return root != 0;
}

/**
 * ns__read_path() - the program's NUL-terminated path at @addr into @buf
 * (PATH_MAX), a page at a time so that a path ending just before an
 * unmapped page reads
 * @c:		the call
 * @addr:	where the program has it
 * @buf:	PATH_MAX bytes
 *
 * Return: 0, -EFAULT or -ENAMETOOLONG
 */
int ns__read_path(const struct trc_call *c, uint64_t addr, char *buf)
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

/**
 * struct target - the file of ours a path names
 * @fn:		a /proc/net file's printer, or NULL for a sysctl
 * @family:	the sysctl's: AF_INET or AF_INET6
 * @dev:	its "all", "default" or device
 * @name:	its file in conf/DEV (devconf.h); "forwarding" for
 *		ip_forward
 * @ip_forward:	named as net.ipv4.ip_forward (conf "all" of AF_INET)
 * @icmp:	one of the ICMP rate limits' sysctls: icmp_sysctl_find()'s
 *		key + 1 (0: none)
 * @neigh:	neigh/DEV/NAME, @name one of neighparm.c's
 * @absent:	conf/DEV/NAME or neigh/DEV/NAME of a device the sandbox has
 *		not (neigh/default/: the host namespace's alone): no such
 *		file, as in a network namespace without DEV
 * @sink:	ipv4/route/flush or ipv6/route/flush, opened for writing:
 *		the sandbox has no route cache, a write flushes nothing
 * @refused:	another file under /proc/sys/net, opened for writing: the
 *		host's, which no write from inside may change
 */
struct target {
	ns_procnet_fn *fn;
	int family;
	char dev[IFNAMSIZ];
	char name[40];
	bool ip_forward, neigh, absent, sink, refused;
	int icmp;
};

/* proc sys net ipv4 ip_forward, proc sys net ipv4|ipv6 conf DEV NAME
 * (NAME one of devconf.h's), proc sys net ipv4|ipv6 neigh DEV NAME
 * (neighparm.c's; neigh/default/ is absent); for writing (@wr) also proc
 * sys net ipv4|ipv6 route flush, and every other file below proc sys net
 * (refused, as a read-only conf file is) */
static bool sys_match(struct ns *ns, const char *const *comp, size_t n,
		      struct target *t, bool wr)
{
	bool ip46 = n > 3 && (!strcmp(comp[3], "ipv4") || !strcmp(comp[3], "ipv6"));
	int family = n > 3 && !strcmp(comp[3], "ipv6") ? AF_INET6 : AF_INET, k;
	int64_t val;

	if (n < 4 || strcmp(comp[1], "sys") || strcmp(comp[2], "net"))
		return false;
	memset(t, 0, sizeof(*t));
	t->ip_forward = n == 5 && !strcmp(comp[3], "ipv4") &&
			!strcmp(comp[4], "ip_forward");
	if (t->ip_forward) {
		t->family = AF_INET;
		strcpy(t->dev, "all");	/* the same value, as on Linux */
		strcpy(t->name, "forwarding");
		return true;
	}
	t->icmp = icmp_sysctl_find(comp + 3, n - 3) + 1;
	if (t->icmp)
		return true;
	if (n == 6 && ip46 && !strcmp(comp[4], "route") && !strcmp(comp[5], "flush")) {
		t->family = comp[3][3] == '4' ? AF_INET : AF_INET6;
		t->sink = true;
		return wr;	/* a read of it is the kernel's */
	}
	if (n == 7 && ip46 && !strcmp(comp[4], "neigh") &&
	    (!strcmp(comp[5], "default") || neighparm_file(comp[6]) >= 0)) {
		char v[32];

		t->family = family;
		t->neigh = true;
		snprintf(t->name, sizeof(t->name), "%s", comp[6]);
		t->absent = strlen(comp[5]) >= sizeof(t->dev);
		if (!t->absent) {
			strcpy(t->dev, comp[5]);
			t->absent = net_neigh_sysctl_get(ns->net, family, t->dev,
							 t->name, v, sizeof(v)) < 0;
		}
		return true;
	}
	k = n == 7 && ip46 && !strcmp(comp[4], "conf") ?
	    devconf_index(family, comp[6]) : -1;
	if (k < 0 || (wr && devconf_readonly(family, k))) {
		t->refused = wr;
		return wr;
	}
	t->family = family;
	snprintf(t->name, sizeof(t->name), "%s", comp[6]);
	/* all, default, or a device of ours; the host's eth0 is not one */
	t->absent = strlen(comp[5]) >= sizeof(t->dev);
	if (!t->absent) {
		strcpy(t->dev, comp[5]);
		t->absent = net_devconf_get(ns->net, t->family, t->dev, t->name,
					    &val) == -ENOENT;
	}
	return true;
}

/*
 * The file of ours @abs names, or NULL; @wr: it is opened for writing.
 * @abs is absolute; taken apart in place.  Lexical: "." and ".." are
 * folded without following the links on the way (/proc/net is
 * /proc/self/net, one level deeper), which is
 * the kernel's answer for every path that stays inside /proc; one that
 * climbs out of /proc/net above /proc and back may be served where the
 * kernel finds no file.
 */
static bool match(struct ns *ns, char *abs, pid_t caller, struct target *t,
		  bool wr)
{
	const char *comp[16];
	int fold = ns__path_fold(abs, comp, 16);
	size_t n, net;

	memset(t, 0, sizeof(*t));
	if (fold < 0)
		return false;
	n = (size_t)fold;
	if (n < 3 || strcmp(comp[0], "proc"))
		return false;
	if (!strcmp(comp[1], "sys"))
		return sys_match(ns, comp, n, t, wr);
	if (wr)
		return false;	/* /proc/net: the kernel refuses writes */
	/* proc [self|thread-self|PID [task TID]] net FILE */
	if (strcmp(comp[n - 2], "net"))
		return false;
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
			return false;	/* another's: its own network */
	} else {
		return false;
	}
	t->fn = ns__procnet_file(comp[n - 1]);
	return t->fn != NULL;
}

/* A sysctl's value, as Linux prints an int (stable_secret: -EIO) */
static int print_sysctl(struct ns *ns, const struct target *t, FILE *f)
{
	int64_t val;
	int ret;

	if (t->icmp) {
		icmp_sysctl_print(t->icmp - 1, f);
		return 0;
	}
	if (t->neigh) {
		char v[32];

		ret = net_neigh_sysctl_get(ns->net, t->family, t->dev, t->name,
					   v, sizeof(v));
		if (ret >= 0)
			fputs(v, f);
		return ret < 0 ? ret : 0;
	}
	ret = net_devconf_get(ns->net, t->family, t->dev, t->name, &val);

	if (!ret)
		fprintf(f, "%lld\n", (long long)val);
	return ret;
}

/**
 * ns__snapshot() - what @fn prints into a memfd, reopened read-only
 * @fn:		the printer: 0 or -errno
 * @arg:	its argument
 * @nonblock:	the fd gets O_NONBLOCK
 *
 * Return: the read-only fd (O_CLOEXEC), or -errno
 */
int ns__snapshot(ns_print_fn *fn, void *arg, bool nonblock)
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
	ret = fn(arg, f);
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

struct print_target {
	struct ns *ns;
	const struct target *t;
};

static int print_target(void *arg, FILE *f)
{
	const struct print_target *p = arg;

	return p->t->fn ? p->t->fn(p->ns, f) : print_sysctl(p->ns, p->t, f);
}

/* The file's contents in a memfd, reopened read-only (and @nonblock). */
static int snapshot(struct ns *ns, const struct target *t, bool nonblock)
{
	struct print_target p = { ns, t };

	return ns__snapshot(print_target, &p, nonblock);
}

/* ---- writing a sysctl ---- */

#define SYSW_MAX	16	/* sysctls open for writing at once */

/**
 * struct ns_sysw - a sysctl the program opened for writing
 * @next:	the stack's list (ns->sysw)
 * @ns:		the stack
 * @w:		watches @fd
 * @fd:		the pipe's read end; the program has its write end
 * @t:		the sysctl
 * @pid:	who opened it, for messages
 * @done:	the value was taken (or refused): the rest is ignored
 */
struct ns_sysw {
	struct ns_sysw *next;
	struct ns *ns;
	struct ns_watch w;
	int fd;
	struct target t;
	pid_t pid;
	bool done;
};

/* The sysctl's name as sysctl(8) prints it ("net.ipv4.ip_forward"). */
static void sysctl_name(const struct target *t, char *buf, size_t size)
{
	if (t->ip_forward) {
		snprintf(buf, size, "net.ipv4.ip_forward");
	} else if (t->icmp) {
		snprintf(buf, size, "net.");
		icmp_sysctl_dotted(t->icmp - 1, buf + 4, size > 4 ? size - 4 : 0);
	} else if (t->sink) {
		snprintf(buf, size, "net.%s.route.flush",
			 t->family == AF_INET ? "ipv4" : "ipv6");
	} else {
		snprintf(buf, size, "net.%s.%s.%s.%s",
			 t->family == AF_INET ? "ipv4" : "ipv6",
			 t->neigh ? "neigh" : "conf", t->dev, t->name);
	}
}

/*
 * Take the value as Linux's proc_dointvec() does (devconf_parse():
 * blanks, an optional '-', an integer in base 10, 8 (0..) or 16 (0x..),
 * then a blank or the end); what Linux's write() refuses changes nothing.
 */
static void sysw_apply(struct ns_sysw *s, char *buf, size_t len)
{
	char name[96];
	int64_t v;
	int ret;

	s->done = true;
	sysctl_name(&s->t, name, sizeof(name));
	if (s->t.sink) {
		calls("pid %d: %s written: no route cache to flush", (int)s->pid,
		      name);
		return;
	}
	if (s->t.icmp || s->t.neigh) {
		ret = s->t.icmp ? icmp_sysctl_write(s->t.icmp - 1, buf, len) :
		      net_neigh_sysctl_set(s->ns->net, s->t.family, s->t.dev,
					   s->t.name, buf, len);
		if (ret == -EINVAL)
			warn("pid %d: %s: refused, left as it was (Linux's write() "
			     "would fail with EINVAL; this one cannot)", (int)s->pid,
			     name);
		else if (ret)
			warn("pid %d: %s: %s", (int)s->pid, name, strerror(-ret));
		else
			calls("pid %d: %s written", (int)s->pid, name);
		return;
	}
	if (devconf_parse(s->t.family, devconf_index(s->t.family, s->t.name),
			  buf, len, &v)) {
		warn("pid %d: %s: not a number, left as it was (Linux's write() "
		     "would fail with EINVAL; this one cannot)", (int)s->pid,
		     name);
		return;
	}
	ret = net_devconf_set(s->ns->net, s->t.family, s->t.dev, s->t.name, v);
	if (ret == -EINVAL)
		warn("pid %d: %s: %lld out of range, left as it was (Linux's "
		     "write() would fail with EINVAL; this one cannot)",
		     (int)s->pid, name, (long long)v);
	else if (ret)
		warn("pid %d: %s: %s", (int)s->pid, name, strerror(-ret));
	else
		calls("pid %d: %s = %lld", (int)s->pid, name, (long long)v);
}

static void sysw_free(struct ns_sysw *s)
{
	struct ns_sysw **pp;

	for (pp = &s->ns->sysw; *pp && *pp != s; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = s->next;
	s->ns->n_sysw--;
	ns__watch_drop(&s->w);
	close(s->fd);
	free(s);
}

/* Read what the pipe holds; apply the first write; free @s at EOF.  What
 * follows the first write is thrown away a pipeful at most a turn: a
 * program that writes without end (`yes >FILE`) must not hold the loop. */
static void sysw_read(struct ns_sysw *s)
{
	char scratch[4096];
	ssize_t n;
	int reads;

	for (reads = 0; reads < 16; reads++) {
		n = read(s->fd, scratch, sizeof(scratch));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			sysw_free(s);	/* EOF: the program closed it */
			return;
		}
		if (!s->done)	/* the first write, read whole (a pipe's
				 * writes of up to PIPE_BUF bytes are atomic;
				 * Linux takes blanks before the number up to
				 * a page) */
			sysw_apply(s, scratch, (size_t)n);
	}
}

static void on_sysw(struct ns_watch *w, int status, int events)
{
	struct ns_sysw *s = (struct ns_sysw *)((char *)w -
					       offsetof(struct ns_sysw, w));

	(void)events;
	if (status < 0)
		sysw_free(s);
	else
		sysw_read(s);
}

/**
 * ns__procnet_pull() - apply what the program wrote to the sysctls it
 * holds open, before a trapped call of it is answered
 * @ns:		the stack
 */
void ns__procnet_pull(struct ns *ns)
{
	struct ns_sysw *s, *next;

	for (s = ns->sysw; s; s = next) {
		next = s->next;
		sysw_read(s);
	}
}

/**
 * ns__procnet_fini() - close the sysctls open for writing
 * @ns:		the stack
 */
void ns__procnet_fini(struct ns *ns)
{
	while (ns->sysw)
		sysw_free(ns->sysw);
}

/* An O_RDWR sysctl: a stream pair whose program end reads the value,
 * then EOF, and whose writes reach p[0] as a pipe's would.  0 or -errno */
static int rdwr_pair(struct ns *ns, const struct target *t, int p[2])
{
	char buf[1024];
	int len = 0;
	FILE *f;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, p))
		return -errno;
	/* what a read of the file gives (print_sysctl()); a sink none */
	if (!t->sink && (f = fmemopen(buf, sizeof(buf), "w"))) {
		if (!print_sysctl(ns, t, f))
			len = (int)ftell(f);
		fclose(f);
	}
	if ((len > 0 && write(p[0], buf, (size_t)len) != len) ||
	    shutdown(p[0], SHUT_WR)) {
		len = -errno;
		close(p[0]);
		close(p[1]);
		return len ? len : -EIO;
	}
	return 0;
}

/* Install a pipe's write end (for O_RDWR, rdwr_pair()'s end) as the
 * program's sysctl file; NS_DONE. */
static int64_t open_sysw(struct ns *ns, struct trc_call *c,
			 const struct target *t, uint64_t flags,
			 const char *path)
{
	pid_t pid = trc_call_pid(c);
	struct ns_sysw *s;
	int p[2], ret;

	if (ns->n_sysw >= SYSW_MAX)
		return -ENFILE;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if ((flags & O_ACCMODE) == O_RDWR) {
		ret = rdwr_pair(ns, t, p);
		if (ret) {
			free(s);
			return ret;
		}
	} else if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		ret = -errno;
		free(s);
		return ret;
	}
	if (!(flags & O_NONBLOCK))
		(void)fcntl(p[1], F_SETFL, 0);	/* the program's end */
	ret = trc_call_addfd(c, p[1], flags & O_CLOEXEC);	/* frees c */
	close(p[1]);
	calls("pid %d: open(%s) for writing = %d, the sandbox's", (int)pid,
	      path, ret);
	if (ret < 0) {
		close(p[0]);
		free(s);
		return NS_DONE;
	}
	s->ns = ns;
	s->fd = p[0];
	s->t = *t;
	s->pid = pid;
	s->next = ns->sysw;
	ns->sysw = s;
	ns->n_sysw++;
	ns__watch_init(&s->w, ns, s->fd, on_sysw);
	if (ns__watch_set(&s->w, UV_READABLE))
		warn("pid %d: %s: not watched; applied at its next trapped "
		     "call", (int)pid, path);
	return NS_DONE;
}

/*
 * Is the open of @path (last component @last) perhaps ours?  A
 * directory: one of procsys.c's or sysnet.c's, by an absolute path below
 * /proc or /sys, or by a relative one that may name one.  A file: one
 * whose name is served, or any by an absolute path below /sys (sysnet.c
 * looks: /sys/class/net/DEV/mtu), or by a relative one whose name
 * sysnet.c may serve.  A write below /proc/sys/net is looked at whatever
 * its name: the host's files are not the sandbox's.  By an absolute path
 * always; by a relative one (the cwd's to resolve) only when the tree
 * runs as root, the one the kernel would let write there (the filter's
 * no_new_privs: no set-uid program makes one).
 */
static bool worth_a_look(struct ns *ns, const char *path, const char *last,
			 bool dir, bool wr)
{
	bool proc = !strncmp(path, "/proc/", 6), sys = !strncmp(path, "/sys/", 5);

	if (dir)
		return path[0] == '/' ? proc || sys :
		       path[0] && ns__procsys_name(ns, last);
	if (served_name(last, wr) || sys)
		return true;
	if (path[0] == '/')
		return wr && proc;
	return ns__sysnet_name(ns, last) || (wr && tree_is_root());
}

/**
 * ns__procnet_open() - an open(), openat() or openat2() of the program
 * @ns:		the stack
 * @c:		the call
 *
 * Return: NS_CONTINUE (not ours: the kernel opens it), NS_DONE (a read-only
 * fd with the sandbox's view installed, or a sysctl's pipe for writing),
 * or a negative errno for the call
 */
int64_t ns__procnet_open(struct ns *ns, struct trc_call *c)
{
	pid_t pid = trc_call_pid(c);
	int nr = trc_call_nr(c), dirfd = AT_FDCWD, fd, ret;
	char path[PATH_MAX], abs[2 * PATH_MAX + 2];
	uint64_t flags, upath;
	struct target t;
	const char *last;
	bool wr, dir;
	int64_t r;

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
	/* the filter let through open and openat with no flag but these
	 * (and O_DIRECTORY) for reading, or these and TRC_OPEN_WRITE_FLAGS
	 * for writing or both; openat2 with any */
	flags &= 0xffffffffu;
	wr = (flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR;
	dir = !wr && (flags & O_DIRECTORY);
	if ((flags & O_ACCMODE) == 3 ||
	    (flags & ~(uint64_t)(TRC_OPEN_PLAIN_FLAGS | O_ACCMODE |
				 (wr ? TRC_OPEN_WRITE_FLAGS : O_DIRECTORY))))
		return NS_CONTINUE;
	if (ns__read_path(c, upath, path))
		return NS_CONTINUE;	/* the kernel says what is wrong */
	last = strrchr(path, '/');
	last = last ? last + 1 : path;
	if (!worth_a_look(ns, path, last, dir, wr))
		return NS_CONTINUE;
	if (path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char base[PATH_MAX];

		if (trc_dir_path(pid, dirfd, base, sizeof(base)))
			return NS_CONTINUE;
		snprintf(abs, sizeof(abs), "%s/%s", base, path);
	}
	/* relative to a directory of procsys.c's copy: what it stands for */
	ns__procsys_unmap(ns, abs, sizeof(abs));
	if (dir)
		return ns__procsys_open_dir(ns, c, abs, flags);
	/* /sys/class/net/DEV/mtu and the like */
	if ((r = ns__sysnet_open(ns, c, abs, flags, wr)) != NS_CONTINUE)
		return r;
	if (!match(ns, abs, pid, &t, wr))
		return NS_CONTINUE;
	if ((ret = trc_call_verify(c)))
		return ret;
	if (t.absent) {
		calls("pid %d: open(%s): no such device in the sandbox",
		      (int)pid, path);
		return -ENOENT;
	}
	if (t.refused) {
		calls("pid %d: open(%s) for writing: EACCES, not a setting the "
		      "sandbox has (the host's is left alone)", (int)pid, path);
		return -EACCES;
	}
	if (wr)
		return open_sysw(ns, c, &t, flags, path);
	fd = snapshot(ns, &t, flags & O_NONBLOCK);
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

/* SPDX-License-Identifier: MIT */
/*
 * procsys.c - the directories /proc/sys/net/ipv4|ipv6/conf and neigh as
 * the sandbox has them.
 *
 * The kernel lists /proc/sys/net/ipv4/conf from the reader's network
 * namespace: the host's devices.  procnet.c serves the files
 * conf/DEV/NAME, but a listing (`ls`, `sysctl -a`, `find`) would name
 * the host's devices and miss the sandbox's.  So the supervisor keeps a
 * copy of these directories in a private folder (mkdtemp(), mode 0700,
 * in the first of $XDG_RUNTIME_DIR, /dev/shm and /tmp that is a tmpfs,
 * root_parent(), named rrsandbox-sys.PID.XXXXXX; removed by
 * ns__procsys_fini(), or by the next supervisor of the user when PID
 * was killed, sweep_stale()):
 *   ROOT/ipv4/conf/{all,default,DEV...}/NAME  (devconf.c's names, empty
 *	regular files of Linux's modes: 0644, mc_forwarding 0444,
 *	stable_secret 0600; directories 0555)
 *   ROOT/ipv6/conf/...                        (the same, IPv6's names)
 *   ROOT/ipv4|ipv6/neigh/DEV.../NAME (the names and modes of the host's
 *	neigh/lo; no default/, which only the host's namespace has)
 * and brings each conf or neigh directory up to the sandbox's device
 * list whenever it is looked at.  procnet.c calls here:
 *   - ns__procsys_open_dir(): an O_DIRECTORY open of one of these
 *     directories gets an fd of the copy (SECCOMP_IOCTL_NOTIF_ADDFD), so
 *     getdents() lists the sandbox's devices, and fstatat() or openat()
 *     relative to it stay in the copy natively;
 *   - ns__procsys_unmap(): a path in the copy (an openat() relative to
 *     such an fd, resolved through /proc/PID/fd) is read back as the
 *     /proc/sys/net path it stands for, so the files are still served;
 *   - ns__procsys_stat(): stat(), lstat(), newfstatat() and statx() by
 *     an absolute path (or one relative to the working directory),
 *     readlink(), readlinkat() and the xattr reads of a path below these
 *     directories are answered from the copy (`sysctl` stats each key
 *     and resolves it with realpath() before opening it; `ls -l` stats
 *     each entry and asks for its SELinux label and ACL).
 * The files themselves, conf/DEV/NAME and neigh/DEV/NAME, are procnet.c's
 * (devconf.c's and neighparm.c's values).  Every other path is the
 * kernel's (NS_CONTINUE).  The copy's files hold nothing: a program that reads one natively (an open the filter lets
 * through) reads nothing.  It must not know how the values are kept
 * (net_devconf_get() says which devices have a conf directory).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <net/if.h>

#include "devconf.h"
#include "internal.h"
#include "log.h"
#include "neighparm.h"
#include "net.h"
#include "trc.h"

#define DEVS_MAX	256	/* conf directories kept in step at once */

/* ---- paths ---- */

/**
 * ns__path_fold() - split an absolute path into its components, folding
 * "." and ".." lexically
 * @abs:	the path, taken apart in place
 * @comp:	filled with the components
 * @max:	room in @comp
 *
 * Return: the number of components, or -1 when there are more than @max
 */
int ns__path_fold(char *abs, const char **comp, int max)
{
	char *save = NULL, *w;
	int n = 0;

	for (w = strtok_r(abs, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
		if (!strcmp(w, "."))
			continue;
		if (!strcmp(w, "..")) {
			if (n)
				n--;
			continue;
		}
		if (n == max)
			return -1;
		comp[n++] = w;
	}
	return n;
}

/**
 * struct sdpath - a path below one of our directories
 * @family:	AF_INET or AF_INET6
 * @neigh:	below neigh/, else below conf/
 * @dev:	conf/DEV, or NULL for conf/ itself
 * @name:	conf/DEV/NAME, or NULL
 * @deeper:	more components after NAME (no such file)
 */
struct sdpath {
	int family;
	bool neigh;
	const char *dev, *name;
	bool deeper;
};

/* proc sys net ipv4|ipv6 conf|neigh [DEV [NAME ...]] */
static bool sd_parse(const char *const *comp, int n, struct sdpath *p)
{
	if (n < 5 || strcmp(comp[0], "proc") || strcmp(comp[1], "sys") ||
	    strcmp(comp[2], "net") ||
	    (strcmp(comp[3], "ipv4") && strcmp(comp[3], "ipv6")) ||
	    (strcmp(comp[4], "conf") && strcmp(comp[4], "neigh")))
		return false;
	p->family = comp[3][3] == '4' ? AF_INET : AF_INET6;
	p->neigh = comp[4][0] == 'n';
	p->dev = n > 5 ? comp[5] : NULL;
	p->name = n > 6 ? comp[6] : NULL;
	p->deeper = n > 7;
	return true;
}

/* ROOT/ipv4/conf etc. into @buf; -ENAMETOOLONG */
static int sd_dir(const struct ns *ns, int family, bool neigh, char *buf,
		  size_t size)
{
	int n = snprintf(buf, size, "%s/ipv%c/%s", ns->sysdir,
			 family == AF_INET ? '4' : '6', neigh ? "neigh" : "conf");

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* ---- the copy ---- */

/* A directory of the copy opened for changes: u+w for as long */
static int dir_open_rw(int at, const char *name)
{
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0755)) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

static void dir_close_ro(int fd)
{
	(void)fchmod(fd, 0555);
	close(fd);
}

/**
 * ns__sd_rm_tree() - remove @name in @at and all below it, @depth levels
 * at most (sysnet.c's copy too)
 * @at:		a directory fd
 * @name:	what to remove
 * @depth:	how deep to go
 */
void ns__sd_rm_tree(int at, const char *name, int depth)
{
	int fd;

	if (!unlinkat(at, name, 0) || errno == ENOENT)
		return;
	fd = depth > 0 ? dir_open_rw(at, name) : -1;
	if (fd < 0)
		return;
	ns__sd_empty(fd, depth - 1);
	close(fd);
	(void)unlinkat(at, name, AT_REMOVEDIR);
}

/**
 * ns__sd_empty() - remove what the directory @fd holds, @depth levels
 * below it at most (sysnet.c's copy too)
 * @fd:		the directory, writable
 * @depth:	how deep to go
 */
void ns__sd_empty(int fd, int depth)
{
	struct dirent *e;
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			ns__sd_rm_tree(fd, e->d_name, depth);
	closedir(d);
}

/* Linux's mode of conf/DEV/@name */
static mode_t conf_mode(int family, const char *name)
{
	if (!strcmp(name, "stable_secret"))
		return 0600;
	return devconf_readonly(family, devconf_index(family, name)) ? 0444 : 0644;
}

/**
 * ns__sd_touch() - an empty file of the copy
 * @dfd:	its directory
 * @name:	its name
 * @mode:	its mode
 * @size:	its size (a hole: sysfs's files say 4096)
 *
 * Return: 0 (also when it is there), or -errno
 */
int ns__sd_touch(int dfd, const char *name, mode_t mode, off_t size)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	if ((size && ftruncate(fd, size)) || fchmod(fd, mode)) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	close(fd);
	return 0;
}

/* The files of neigh/DEV: the names and modes of the host's neigh/lo */
static int fill_neigh(int dfd, int family)
{
	struct { char name[32]; mode_t mode; } f[64];
	char host[64];
	struct dirent *e;
	struct stat st;
	int n = 0, ret = 0;
	DIR *d;

	snprintf(host, sizeof(host), "/proc/sys/net/ipv%c/neigh/lo",
		 family == AF_INET ? '4' : '6');
	d = opendir(host);
	if (!d)
		return -errno;
	while (n < 64 && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(f[n].name) ||
		    fstatat(dirfd(d), e->d_name, &st, 0) || !S_ISREG(st.st_mode))
			continue;
		strcpy(f[n].name, e->d_name);
		f[n++].mode = st.st_mode & 07777;
	}
	closedir(d);
	while (!ret && n--)	/* a tmpfs lists the last made first */
		ret = ns__sd_touch(dfd, f[n].name, f[n].mode, 0);
	return ret;
}

/* Make @dev's directory in @at (conf or neigh) with its files */
static int make_dev(int at, int family, bool neigh, const char *dev)
{
	int fd, k, ret = 0;

	if (mkdirat(at, dev, 0700))
		return errno == EEXIST ? 0 : -errno;
	fd = dir_open_rw(at, dev);
	if (fd < 0)
		ret = fd;
	else if (neigh)
		ret = fill_neigh(fd, family);
	else
		for (k = devconf_count(family) - 1; !ret && k >= 0; k--)
			if (devconf_host_has(family, k))
				ret = ns__sd_touch(fd, devconf_name(family, k),
						   conf_mode(family, devconf_name(family, k)), 0);
	if (fd >= 0)
		dir_close_ro(fd);
	if (ret)
		ns__sd_rm_tree(at, dev, 1);
	return ret;
}

/* Has the sandbox @dev (all, default, a device) in conf (or neigh)? */
static bool has_dev(struct ns *ns, int family, bool neigh, const char *dev)
{
	int64_t v;

	if (strlen(dev) >= IFNAMSIZ ||
	    (neigh && (!strcmp(dev, "all") || !strcmp(dev, "default"))))
		return false;
	return net_devconf_get(ns->net, family, dev, devconf_name(family, 0),
			       &v) != -ENOENT;
}

/*
 * Where the private folder goes: the first of $XDG_RUNTIME_DIR, /dev/shm
 * and /tmp that is a tmpfs we may write, else the first we may write.
 * A tmpfs lists "." and ".." first, which procps' sysctl takes for
 * granted (it skips the first two entries unread; ext4 hashes them
 * among the others), and lists in the reverse order of creation.
 */
static const char *root_parent(void)
{
	const char *cand[] = { getenv("XDG_RUNTIME_DIR"), "/dev/shm", "/tmp" };
	const char *any = NULL;
	struct statfs sf;
	size_t i;

	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (!cand[i] || cand[i][0] != '/' || access(cand[i], W_OK | X_OK))
			continue;
		if (!statfs(cand[i], &sf) && sf.f_type == TMPFS_MAGIC)
			return cand[i];
		if (!any)
			any = cand[i];
	}
	return any ? any : "/tmp";
}

/*
 * Folders left in @parent by supervisors of this user that were killed
 * (SIGKILL gives ns__procsys_fini() no chance): rrsandbox-sys.PID.XXXXXX
 * whose PID is gone are removed.  A PID that lives again in another
 * process keeps its folder until that one ends too.
 */
static void sweep_stale(const char *parent)
{
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(parent);
	long pid;
	char *end;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "rrsandbox-sys.", 14))
			continue;
		pid = strtol(e->d_name + 14, &end, 10);
		if (pid <= 0 || pid > INT_MAX || *end != '.' || strlen(end) != 7 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		    pid == getpid() || !kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		debug("removing %s/%s, left by supervisor %ld", parent, e->d_name, pid);
		ns__sd_rm_tree(dirfd(d), e->d_name, 8);
	}
	closedir(d);
}

/* The private folder and its directories, made at first use: the
 * sysctl directories (procfs's r-x) and sysnet.c's sys/class/net and
 * sys/devices/virtual/net (sysfs's rwxr-xr-x) */
static int root_make(struct ns *ns)
{
	static const char *const sub[] = {
		"ipv4", "ipv6", "ipv4/conf", "ipv4/neigh", "ipv6/conf", "ipv6/neigh",
	};
	static const char *const sys[] = {
		"sys", "sys/class", "sys/class/net", "sys/devices",
		"sys/devices/virtual", "sys/devices/virtual/net",
	};
	char tmpl[PATH_MAX], p[PATH_MAX + 32];
	size_t i;

	if (ns->sysdir)
		return 0;
	sweep_stale(root_parent());
	snprintf(tmpl, sizeof(tmpl), "%s/rrsandbox-sys.%ld.XXXXXX", root_parent(),
		 (long)getpid());
	if (!mkdtemp(tmpl))
		return -errno;
	ns->sysdir = strdup(tmpl);
	if (!ns->sysdir) {
		rmdir(tmpl);
		return -ENOMEM;
	}
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpl, sub[i]);
		if (mkdir(p, 0755) && errno != EEXIST) {
			int ret = -errno;

			ns__procsys_fini(ns);
			return ret;
		}
	}
	while (i--) {	/* as Linux's: r-x, the deepest first */
		snprintf(p, sizeof(p), "%s/%s", tmpl, sub[i]);
		(void)chmod(p, 0555);
	}
	for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpl, sys[i]);
		if (mkdir(p, 0755) && errno != EEXIST) {
			int ret = -errno;

			ns__procsys_fini(ns);
			return ret;
		}
	}
	debug("sysctl directories kept in %s", tmpl);
	return 0;
}

/**
 * ns__procsys_root() - the private folder (ns->sysdir), made if need be
 * @ns:		the stack
 *
 * Return: 0 or -errno
 */
int ns__procsys_root(struct ns *ns)
{
	return root_make(ns);
}

struct walk {
	struct ns *ns;
	int family;
	bool neigh;
	char (*names)[IFNAMSIZ];
	int n;
};

static int collect(void *arg, const struct net_link *l)
{
	struct walk *w = arg;

	if (w->n < DEVS_MAX && has_dev(w->ns, w->family, w->neigh, l->name))
		snprintf(w->names[w->n++], IFNAMSIZ, "%s", l->name);
	return 0;
}

static bool listed(const struct walk *w, const char *name)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->names[i], name))
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * conf (or neigh) of @family in step with the sandbox's devices.  Linux
 * lists them by name; a tmpfs lists the last made first, so when one is
 * to be made every one is made again, in reverse order.
 */
static int sync_dir(struct ns *ns, int family, bool neigh)
{
	char path[PATH_MAX];
	struct walk w = { ns, family, neigh, NULL, 0 };
	struct dirent *e;
	int fd, i, have = 0, ret = 0;
	DIR *d;

	if ((ret = sd_dir(ns, family, neigh, path, sizeof(path))))
		return ret;
	w.names = calloc(DEVS_MAX, sizeof(*w.names));
	if (!w.names)
		return -ENOMEM;
	if (!neigh) {	/* a network namespace's neigh/ has no default/ */
		strcpy(w.names[w.n++], "all");
		strcpy(w.names[w.n++], "default");
	}
	net_link_walk(ns->net, collect, &w);
	qsort(w.names, (size_t)w.n, sizeof(*w.names), by_name);
	fd = dir_open_rw(AT_FDCWD, path);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		ret = fd >= 0 ? -errno : fd;
		if (fd >= 0)
			close(fd);
		free(w.names);
		return ret;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (listed(&w, e->d_name))
			have++;
		else
			ns__sd_rm_tree(fd, e->d_name, 1);
	}
	if (have != w.n) {
		rewinddir(d);
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				ns__sd_rm_tree(fd, e->d_name, 1);
		for (i = w.n - 1; !ret && i >= 0; i--)
			ret = make_dev(fd, family, neigh, w.names[i]);
	}
	(void)fchmod(fd, 0555);
	closedir(d);
	free(w.names);
	return ret;
}

/*
 * Bring what @p names up to date: the whole conf (neigh) directory when
 * it names that, else DEV's directory alone (made when the sandbox has
 * DEV, removed when it has not).  0 or -errno.
 */
static int sd_refresh(struct ns *ns, const struct sdpath *p)
{
	char path[PATH_MAX], dev[PATH_MAX + IFNAMSIZ];
	struct stat st;
	bool want, there;
	int fd, ret;

	if ((ret = root_make(ns)))
		return ret;
	if (!p->dev)
		return sync_dir(ns, p->family, p->neigh);
	if ((ret = sd_dir(ns, p->family, p->neigh, path, sizeof(path))))
		return ret;
	want = has_dev(ns, p->family, p->neigh, p->dev);
	snprintf(dev, sizeof(dev), "%s/%s", path, p->dev);
	there = !fstatat(AT_FDCWD, dev, &st, AT_SYMLINK_NOFOLLOW);
	if (want == there)
		return 0;
	fd = dir_open_rw(AT_FDCWD, path);
	if (fd < 0)
		return fd;
	if (want)
		ret = make_dev(fd, p->family, p->neigh, p->dev);
	else
		ns__sd_rm_tree(fd, p->dev, 1);
	dir_close_ro(fd);
	return ret;
}

/*
 * The path of the copy that stands for @abs (absolute, taken apart here),
 * brought up to date, in @priv; @slash: @abs ended in '/'.
 * Return: 1 when it is one, 0 when @abs is not below our directories, or
 * -errno
 */
static int sd_lookup(struct ns *ns, char *abs, bool slash, char *priv,
		     size_t size)
{
	const char *comp[16];
	struct sdpath p;
	int n, i, len, ret;
	size_t at;

	if ((ret = ns__sysnet_lookup(ns, abs, slash, priv, size)))
		return ret;	/* /sys/class/net and the like: sysnet.c's */
	n = ns__path_fold(abs, comp, 16);
	if (n < 0 || !sd_parse(comp, n, &p))
		return 0;
	if ((ret = sd_refresh(ns, &p)))
		return ret;
	len = snprintf(priv, size, "%s", ns->sysdir);
	for (i = 3; len > 0 && (size_t)len < size && i < n; i++) {
		at = (size_t)len;
		len += snprintf(priv + at, size - at, "/%s", comp[i]);
	}
	if (len > 0 && (size_t)len + 1 < size && slash)
		strcat(priv, "/");
	return len < 0 || (size_t)len + 1 >= size ? -ENAMETOOLONG : 1;
}

/**
 * ns__procsys_unmap() - read a path of the copy as the /proc/sys/net
 * path it stands for
 * @ns:		the stack
 * @abs:	an absolute path, rewritten in place
 * @size:	room at @abs
 */
void ns__procsys_unmap(const struct ns *ns, char *abs, size_t size)
{
	size_t len = ns->sysdir ? strlen(ns->sysdir) : 0;
	char rest[PATH_MAX];

	if (!len || strncmp(abs, ns->sysdir, len) || abs[len] != '/')
		return;
	snprintf(rest, sizeof(rest), "%s", abs + len);
	if (!strncmp(rest, "/sys/", 5) || !strcmp(rest, "/sys"))
		snprintf(abs, size, "%s", rest);	/* sysnet.c's */
	else
		snprintf(abs, size, "/proc/sys/net%s", rest);
}

/**
 * ns__procsys_name() - might @name, a path's last component, name one of
 * our directories or something in them?
 * @ns:		the stack
 * @name:	the component ("" for a path ending in '/')
 */
bool ns__procsys_name(struct ns *ns, const char *name)
{
	struct net_link l;

	return !*name || !strcmp(name, ".") || !strcmp(name, "..") ||
	       !strcmp(name, "conf") || !strcmp(name, "neigh") ||
	       !strcmp(name, "all") || !strcmp(name, "default") ||
	       devconf_index(AF_INET, name) >= 0 ||
	       devconf_index(AF_INET6, name) >= 0 ||
	       (strlen(name) < IFNAMSIZ && !net_link_by_name(ns->net, name, &l)) ||
	       ns__sysnet_name(ns, name);
}

/**
 * ns__procsys_open_dir() - an O_DIRECTORY open for reading
 * @ns:		the stack
 * @c:		the call
 * @abs:	its absolute path (taken apart here)
 * @flags:	its flags
 *
 * Return: NS_CONTINUE (not one of ours), NS_DONE (the copy's directory
 * installed), or a negative errno for the call
 */
int64_t ns__procsys_open_dir(struct ns *ns, struct trc_call *c, char *abs,
			     uint64_t flags)
{
	size_t len = strlen(abs);
	char priv[PATH_MAX];
	pid_t pid = trc_call_pid(c);
	int fd, ret;

	ret = sd_lookup(ns, abs, len && abs[len - 1] == '/', priv, sizeof(priv));
	if (ret < 0)	/* no copy (a full tmpfs): the host's, as before */
		warn("pid %d: the sandbox's sysctl directories: %s; this "
		     "listing is the host's", (int)pid, strerror(-ret));
	if (ret <= 0)
		return NS_CONTINUE;
	if ((ret = trc_call_verify(c)))
		return ret;
	fd = open(priv, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		  (int)(flags & (O_NONBLOCK | O_NOFOLLOW | O_NOATIME)));
	if (fd < 0)
		return -errno;	/* ENOENT: a device the sandbox has not */
	ret = trc_call_addfd(c, fd, flags & O_CLOEXEC);	/* frees c */
	close(fd);
	calls("pid %d: opendir(%s) = %d, the sandbox's", (int)pid, priv, ret);
	return NS_DONE;
}

static bool xattr_call(int nr)
{
	return nr == SYS_getxattr || nr == SYS_lgetxattr ||
	       nr == SYS_listxattr || nr == SYS_llistxattr;
}

static bool access_call(int nr)
{
	return nr == SYS_access || nr == SYS_faccessat || nr == SYS_faccessat2;
}

/* The call's path, dirfd and where its answer goes (access(): @mask is
 * the mode asked) */
struct statcall {
	int dirfd;
	uint64_t path, buf, flags, mask, size;
};

static void stat_args(const struct trc_call *c, struct statcall *a)
{
	int nr = trc_call_nr(c);

	memset(a, 0, sizeof(*a));
	a->dirfd = AT_FDCWD;
	if (xattr_call(nr)) {
		a->path = trc_call_arg(c, 0);
		a->flags = nr == SYS_lgetxattr || nr == SYS_llistxattr ?
			   AT_SYMLINK_NOFOLLOW : 0;
		return;
	}
	if (nr == SYS_access) {
		a->path = trc_call_arg(c, 0);
		a->mask = trc_call_arg(c, 1);
		return;
	}
	if (nr == SYS_faccessat || nr == SYS_faccessat2) {
		a->dirfd = (int)trc_call_arg(c, 0);
		a->path = trc_call_arg(c, 1);
		a->mask = trc_call_arg(c, 2);
		a->flags = nr == SYS_faccessat2 ? trc_call_arg(c, 3) : 0;
		return;
	}
	if (nr == SYS_stat || nr == SYS_lstat || nr == SYS_readlink) {
		a->path = trc_call_arg(c, 0);
		a->buf = trc_call_arg(c, 1);
		a->flags = nr == SYS_lstat ? AT_SYMLINK_NOFOLLOW : 0;
		if (nr == SYS_readlink)
			a->size = trc_call_arg(c, 2);
		return;
	}
	a->dirfd = (int)trc_call_arg(c, 0);
	a->path = trc_call_arg(c, 1);
	if (nr == SYS_newfstatat) {
		a->buf = trc_call_arg(c, 2);
		a->flags = trc_call_arg(c, 3);
	} else if (nr == SYS_statx) {
		a->flags = trc_call_arg(c, 2);
		a->mask = trc_call_arg(c, 3);
		a->buf = trc_call_arg(c, 4);
	} else {	/* readlinkat */
		a->buf = trc_call_arg(c, 2);
		a->size = trc_call_arg(c, 3);
	}
}

/*
 * access() of @priv, the copy's path, as of the file it stands for:
 * root's, of the copy's mode (Linux's), so a user has the "other" bits
 * and root all but execution of a file without an x bit
 */
static int64_t access_priv(const struct statcall *a, const char *priv)
{
	int mode = (int)a->mask;
	struct stat st;

	if (mode & ~(R_OK | W_OK | X_OK) ||
	    a->flags & ~(uint64_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (fstatat(AT_FDCWD, priv, &st, (int)(a->flags & AT_SYMLINK_NOFOLLOW)))
		return -errno;
	if (geteuid() == 0)	/* the program's uid (no_new_privs) */
		return (mode & X_OK) && !S_ISDIR(st.st_mode) &&
		       !(st.st_mode & 0111) ? -EACCES : 0;
	if (((mode & R_OK) && !(st.st_mode & S_IROTH)) ||
	    ((mode & W_OK) && !(st.st_mode & S_IWOTH)) ||
	    ((mode & X_OK) && !(st.st_mode & S_IXOTH)))
		return -EACCES;
	return 0;
}

/* Do the call on @priv, the copy's path; its result */
static int64_t stat_priv(const struct ns *ns, struct trc_call *c,
			 const struct statcall *a, const char *priv)
{
	int nr = trc_call_nr(c), ret;
	struct statx stx;
	struct stat st;
	char link[PATH_MAX];
	ssize_t len;

	if (access_call(nr))
		return access_priv(a, priv);
	if (xattr_call(nr)) {	/* `ls -l` asks for them */
		if (fstatat(AT_FDCWD, priv, &st, (int)a->flags))
			return -errno;
		if (!strncmp(priv + strlen(ns->sysdir), "/sys/", 5))
			return ns__sysnet_xattr(c);	/* sysfs's answer */
		return -EOPNOTSUPP;	/* procfs keeps none */
	}
	if (nr == SYS_readlink || nr == SYS_readlinkat) {
		if ((int)a->size <= 0)
			return -EINVAL;
		/* the copy's links are sysnet.c's (class/net/DEV);
		 * anything else: EINVAL or ENOENT */
		len = readlink(priv, link, sizeof(link));
		if (len < 0)
			return -errno;
		if ((uint64_t)len > a->size)
			len = (ssize_t)a->size;
		if ((ret = trc_call_verify(c)))
			return ret;
		return trc_mem_write(c, a->buf, link, (size_t)len) ? -EFAULT : len;
	}
	if (nr == SYS_statx) {
		if (statx(AT_FDCWD, priv, (int)a->flags, (unsigned int)a->mask, &stx))
			return -errno;
	} else if (fstatat(AT_FDCWD, priv, &st, (int)a->flags)) {
		return -errno;
	}
	if ((ret = trc_call_verify(c)))
		return ret;
	if (nr == SYS_statx)
		ret = trc_mem_write(c, a->buf, &stx, sizeof(stx));
	else
		ret = trc_mem_write(c, a->buf, &st, sizeof(st));
	return ret ? -EFAULT : 0;
}

/**
 * ns__procsys_stat() - stat(), lstat(), newfstatat(), statx(),
 * readlink(), readlinkat(), getxattr(), lgetxattr(), listxattr(),
 * llistxattr(), access(), faccessat() or faccessat2() of the program
 * (by an absolute path, or
 * relative to the working directory: the filter traps no other)
 * @ns:		the stack
 * @c:		the call
 *
 * Return: NS_CONTINUE (not below our directories: the kernel's), or the
 * call's result
 */
int64_t ns__procsys_stat(struct ns *ns, struct trc_call *c)
{
	char path[PATH_MAX], abs[2 * PATH_MAX + 2], priv[PATH_MAX];
	pid_t pid = trc_call_pid(c);
	struct statcall a;
	const char *last;
	size_t len;
	int ret;

	stat_args(c, &a);
	if (ns__read_path(c, a.path, path))
		return NS_CONTINUE;	/* the kernel says what is wrong */
	if (path[0] == '/') {
		if (strncmp(path, "/proc/", 6) && strncmp(path, "/sys/", 5))
			return NS_CONTINUE;
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char base[PATH_MAX];

		last = strrchr(path, '/');
		last = last ? last + 1 : path;
		if (a.dirfd != AT_FDCWD || !path[0] || !ns__procsys_name(ns, last) ||
		    trc_dir_path(pid, AT_FDCWD, base, sizeof(base)) ||
		    (strncmp(base, "/proc/", 6) && strncmp(base, "/sys/", 5)))
			return NS_CONTINUE;
		snprintf(abs, sizeof(abs), "%s/%s", base, path);
	}
	len = strlen(path);
	ret = sd_lookup(ns, abs, path[len - 1] == '/', priv, sizeof(priv));
	if (ret < 0)
		calls("pid %d: stat(%s): no copy (%s): the host's", (int)pid, path,
		      strerror(-ret));
	if (ret <= 0)
		return NS_CONTINUE;
	ret = (int)stat_priv(ns, c, &a, priv);
	calls("pid %d: %s(%s) = %d, the sandbox's", (int)pid,
	      trc_call_nr(c) == SYS_statx ? "statx" :
	      trc_call_nr(c) == SYS_readlink || trc_call_nr(c) == SYS_readlinkat ?
	      "readlink" : xattr_call(trc_call_nr(c)) ? "getxattr" :
	      access_call(trc_call_nr(c)) ? "access" : "stat",
	      path, ret);
	return ret;
}

/**
 * ns__procsys_fini() - remove the private folder
 * @ns:		the stack
 */
void ns__procsys_fini(struct ns *ns)
{
	char *slash;

	if (!ns->sysdir)
		return;
	slash = strrchr(ns->sysdir, '/');
	if (slash && slash != ns->sysdir) {
		int fd;

		*slash = '\0';
		fd = open(ns->sysdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			ns__sd_rm_tree(fd, slash + 1, 8);	/* sys/devices/virtual/net/DEV/queues/rx-0/F */
			close(fd);
		}
	}
	free(ns->sysdir);
	ns->sysdir = NULL;
}

/**
 * ns__procsys_neigh_name() - is @name a file of neigh/DEV/ (neighparm.c's
 * names), or one of neigh/default/ alone (gc_interval, gc_thresh1..3)?
 * @name:	a path's last component
 */
bool ns__procsys_neigh_name(const char *name)
{
	return neighparm_file(name) >= 0 || neighparm_default_name(name);
}

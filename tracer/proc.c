/* SPDX-License-Identifier: MIT */
/*
 * proc.c - what /proc tells the supervisor about the sandbox's processes.
 *
 * Which socket an fd number of a tracee names (its inode), the file status
 * flags of its file description (O_NONBLOCK is a property of the tracee's
 * open file, not of the supervisor's view), the supervisor's descendants,
 * and every socket inode they hold.  Used by notify.c and, through trc.h,
 * by netstack/.  Works the same whichever backend trapped the call.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "trc.h"

/* Kernel 6.9+; Debian 12's headers predate it. */
#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

static int parse_socket_link(const char *link, uint64_t *ino)
{
	char *end;

	if (strncmp(link, "socket:[", 8))
		return -ENOTSOCK;
	errno = 0;
	*ino = strtoull(link + 8, &end, 10);
	if (errno || *end != ']')
		return -ENOTSOCK;
	return 0;
}

/* Read /proc/PID/NAME into @buf (NUL-terminated); 0 or a negative errno. */
static int read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return errno == ENOENT ? -EBADF : -errno;
	n = read(f, buf, size - 1);
	close(f);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

/**
 * trc_fd_flags() - the file status flags of a tracee's fd
 * @pid:	tracee thread or process
 * @fd:		its fd number
 *
 * Return: the flags (O_NONBLOCK, O_RDWR, ...), or a negative errno
 */
int trc_fd_flags(pid_t pid, int fd)
{
	return trc_fd_flags_ino(pid, fd, 0);
}

/**
 * trc_fd_flags_ino() - the file status flags of a tracee's fd, if it
 * still names inode @ino
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	the inode @fd must name (0: any)
 *
 * Flags and inode come from one read of /proc/PID/fdinfo/FD, so they are
 * the same file's.  Another thread of the tracee may close @fd and open
 * something else at its number at any time: a caller about to replace
 * the file at @fd (trc_call_setfd()) must know it is still the one it
 * means.  A kernel whose fdinfo has no "ino:" line (before 5.14) is not
 * checked.
 *
 * Return: the flags, -EBADF if @fd names another file or none (for the
 * caller's socket, the fd is closed), or another negative errno
 */
int trc_fd_flags_ino(pid_t pid, int fd, uint64_t ino)
{
	char name[32], buf[512], *p;
	int ret;

	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	if ((ret = read_proc(pid, name, buf, sizeof(buf))))
		return ret;
	if (ino && (p = strstr(buf, "\nino:")) &&
	    strtoull(p + 5, NULL, 10) != ino)
		return -EBADF;
	p = strstr(buf, "flags:");
	return p ? (int)strtol(p + 6, NULL, 8) : -EIO;
}

/* The thread-group id of @pid (which may be any thread's id). */
static pid_t tgid_of(pid_t pid)
{
	char buf[1024], *p;

	if (read_proc(pid, "status", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)atoi(p + 6) : -1;
}

/* pidfd_open(@pid, 0) failed with @err because @pid may be a thread that
 * is not its group's leader: EINVAL before kernel 6.9, ENOENT since. */
static bool not_leader(int err)
{
	return err == EINVAL || err == ENOENT;
}

/**
 * trc__pidfd_open() - a pidfd for the process @pid belongs to
 * @pid:	process or thread id
 *
 * Return: the pidfd, or a negative errno
 */
int trc__pidfd_open(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0 && not_leader(errno)) {
		pid_t tg = tgid_of(pid);

		if (tg > 0)
			fd = (int)syscall(SYS_pidfd_open, tg, 0);
	}
	return fd < 0 ? -errno : fd;
}

/*
 * One entry per process of the sandbox, kept across calls: a pidfd for
 * pidfd_getfd() and the process's /proc/PID/fd directory for
 * trc__fd_inode().  Opening and closing them around every trapped call
 * cost system calls each time.  Both name one process forever, so an
 * entry can go stale only by its process dying: pidfd_getfd() then fails
 * (ESRCH), a lookup in the directory with ENOENT, and the entry is
 * reopened.  On a loop, each entry is also watched: a pidfd turns readable
 * when its process exits, and the entry is closed then, so a dead process
 * holds no fd of the supervisor.  A thread other than its group's leader
 * gets an entry of its own for its /proc/TID/fd, watched through a thread
 * pidfd (PIDFD_THREAD, kernel 6.9+; without it threads are looked up by
 * path); pidfd_getfd() does not use those.
 */
struct trc__pidfd_ent {
	uv_poll_t poll;
	struct trc__pidfds *c;
	pid_t pid;
	int pfd;
	int dfd;	/* /proc/PID/fd, or -1 when it would not open */
	bool polled;
	bool thread;	/* @pfd is a thread's pidfd (PIDFD_THREAD) */
	int hint[TRC__HINT_N];	/* trc__fd_lookup(): fd numbers that named
				 * a socket at their last lookup, -1: none */
};

/* The handle is closed before its fd: libuv forgets an fd number only
 * when the handle is gone, and the number may be reused at once. */
static void ent_closed(uv_handle_t *h)
{
	struct trc__pidfd_ent *e = h->data;

	close(e->pfd);
	if (e->dfd >= 0)
		close(e->dfd);
	free(e);
}

static void ent_drop(struct trc__pidfds *c, unsigned int i)
{
	struct trc__pidfd_ent *e = c->ent[i];

	c->ent[i] = NULL;
	c->pid[i] = 0;
	if (e->polled) {
		uv_close((uv_handle_t *)&e->poll, ent_closed);
	} else {
		close(e->pfd);
		if (e->dfd >= 0)
			close(e->dfd);
		free(e);
	}
}

static int slot_of(const struct trc__pidfds *c, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < TRC__PIDFD_N; i++)	/* pids only: 16 a cache line */
		if (c->pid[i] == pid && c->ent[i])
			return (int)i;
	return -1;
}

static int free_slot(const struct trc__pidfds *c)
{
	unsigned int i;

	for (i = 0; i < TRC__PIDFD_N; i++)
		if (!c->ent[i])
			return (int)i;
	return -1;
}

static void on_pidfd(uv_poll_t *h, int status, int events)
{
	struct trc__pidfd_ent *e = h->data;
	int i = slot_of(e->c, e->pid);

	(void)status;
	(void)events;
	if (i >= 0 && e->c->ent[i] == e)
		ent_drop(e->c, (unsigned int)i);	/* the process exited */
}

/* /proc/PID/fd of @pid, or -1 */
static int open_fddir(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static struct trc__pidfd_ent *ent_new(struct trc__pidfds *c, pid_t pid,
				      int pfd, bool thread);

/**
 * trc__pidfds_keep() - cache @pfd as the pidfd of @pid (a group leader)
 * @c:		the cache
 * @pid:	the process
 * @pfd:	its pidfd, now the cache's; a free slot is taken, else the
 *		entries are replaced in turn
 *
 * The process's /proc/PID/fd is opened beside it.  It was opened after
 * the pidfd, so if @pid died in between and its number was reused, the
 * two name different processes; the pidfd is then readable at once and
 * the entry is dropped on the next turn of the loop, and until then the
 * directory names what @pid names now, as a lookup by path would.
 *
 * Return: the new entry, or NULL (@pfd closed) when out of memory
 */
struct trc__pidfd_ent *trc__pidfds_keep(struct trc__pidfds *c, pid_t pid,
					int pfd)
{
	return ent_new(c, pid, pfd, false);
}

static struct trc__pidfd_ent *ent_new(struct trc__pidfds *c, pid_t pid,
				      int pfd, bool thread)
{
	struct trc__pidfd_ent *e = calloc(1, sizeof(*e));
	int i = free_slot(c), h;

	if (!e) {
		close(pfd);
		return NULL;
	}
	if (i < 0) {
		i = (int)c->next;
		c->next = (c->next + 1) % TRC__PIDFD_N;
		ent_drop(c, (unsigned int)i);
	}
	e->c = c;
	e->pid = pid;
	e->pfd = pfd;
	e->thread = thread;
	for (h = 0; h < TRC__HINT_N; h++)
		e->hint[h] = -1;
	e->dfd = open_fddir(pid);
	e->poll.data = e;
	if (c->loop && !uv_poll_init(c->loop, &e->poll, pfd)) {
		e->polled = true;
		uv_poll_start(&e->poll, UV_READABLE, on_pidfd);
		uv_unref((uv_handle_t *)&e->poll);	/* never keeps the loop */
	}
	c->ent[i] = e;
	c->pid[i] = pid;
	return e;
}

/* The entry of @pid, made if missing; NULL for a pid that is gone, or a
 * thread on a kernel without PIDFD_THREAD. */
static struct trc__pidfd_ent *ent_get(struct trc__pidfds *c, pid_t pid)
{
	int i = slot_of(c, pid), pfd;

	if (i >= 0)
		return c->ent[i];
	if (pid <= 0)		/* not in our pid namespace */
		return NULL;
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0)
		return ent_new(c, pid, pfd, false);
	if (!not_leader(errno) || c->no_thread_pidfd)
		return NULL;
	/* Not a group leader: a thread's pidfd (6.9+), once refused never
	 * asked again. */
	pfd = (int)syscall(SYS_pidfd_open, pid, PIDFD_THREAD);
	if (pfd >= 0)
		return ent_new(c, pid, pfd, true);
	c->no_thread_pidfd = errno == EINVAL;
	return NULL;
}

/**
 * trc__pidfds_forget() - close the cached pidfd of @pid, if any
 * @c:		the cache
 * @pid:	a process that was reaped (its number may be reused)
 */
void trc__pidfds_forget(struct trc__pidfds *c, pid_t pid)
{
	int i = slot_of(c, pid);

	if (i >= 0)
		ent_drop(c, (unsigned int)i);
}

/**
 * trc__pidfds_free() - close every cached pidfd, and the copies of files
 *			kept by trc__fd_lookup() (once the program has ended:
 *			closing one may wait for its file server)
 * @c:		the cache (stays usable, empty)
 */
void trc__pidfds_free(struct trc__pidfds *c)
{
	unsigned int i;

	for (i = 0; i < TRC__PIDFD_N; i++)
		if (c->ent[i])
			ent_drop(c, i);
	for (i = 0; i < c->n_graves; i++)	/* the program has ended */
		close(c->graves[i]);
	c->n_graves = 0;
}

/* "%d" of a non-negative @fd into @buf (12 bytes): snprintf() was a
 * tenth of what a lookup costs the supervisor. */
static const char *fd_name(char *buf, int fd)
{
	char *p = buf + 11;

	*p = '\0';
	do
		*--p = (char)('0' + fd % 10);
	while ((fd /= 10));
	return p;
}

/* readlink() of /proc/PID/fd/FD, uncached; 0 or a negative errno. */
static int fd_link(pid_t pid, int fd, char *link, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	n = readlink(path, link, size - 1);
	if (n < 0)
		return errno == ENOENT ? -EBADF : -errno;
	link[n] = '\0';
	return 0;
}

/**
 * trc_dir_path() - where a tracee's relative path starts
 * @pid:	tracee thread or process
 * @dirfd:	AT_FDCWD for its working directory, else its directory fd
 * @buf:	set to the absolute path
 * @size:	room in @buf
 *
 * Return: 0, or a negative errno (-ENOTDIR when @dirfd names no path)
 */
int trc_dir_path(pid_t pid, int dirfd, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int ret;

	if (dirfd != AT_FDCWD) {
		if ((ret = fd_link(pid, dirfd, buf, size)))
			return ret;
		return buf[0] == '/' ? 0 : -ENOTDIR;
	}
	snprintf(path, sizeof(path), "/proc/%d/cwd", (int)pid);
	n = readlink(path, buf, size - 1);
	if (n <= 0)
		return n ? -errno : -ENOENT;
	buf[n] = '\0';
	return buf[0] == '/' ? 0 : -ENOENT;
}

/* readlinkat() through the cached /proc/PID/fd of @pid; 1 when the cache
 * cannot answer (no entry, or the entry's process may be gone). */
static int fd_link_cached(struct trc__pidfds *c, pid_t pid, int fd,
			  char *link, size_t size)
{
	struct trc__pidfd_ent *e = ent_get(c, pid);
	char name[12];
	ssize_t n;
	int ret, i;

	if (!e || e->dfd < 0)
		return 1;
	n = readlinkat(e->dfd, fd_name(name, fd), link, size - 1);
	if (n >= 0) {
		link[n] = '\0';
		return 0;
	}
	if (errno != ENOENT)
		return -errno;
	/* No such fd, or the entry's process died and @pid names another
	 * now: a look by number tells, and drops the entry in the second
	 * case (or when the fd appeared meanwhile, which costs only a
	 * reopen). */
	ret = fd_link(pid, fd, link, size);
	if (!ret && (i = slot_of(c, pid)) >= 0)
		ent_drop(c, (unsigned int)i);
	return ret;
}

/**
 * trc__fd_inode() - the socket inode behind a tracee's fd
 * @c:		the per-process cache, or NULL for none
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	set to the socket's inode number
 *
 * With @c, the caller's /proc/PID/fd (/proc/TID/fd for a thread) stays
 * open in its entry and the link is read with readlinkat(): no path to
 * build, two fewer components to walk.  That directory is bound to the
 * task it was opened for: once that task is gone every lookup in it fails
 * with ENOENT, so it can never answer for another that got the same id.
 * Where no entry can be made (a thread before kernel 6.9), by path.
 * Asked on every call: close() and the calls that change what a number
 * names are not trapped (filter.c), so no answer can be kept.
 *
 * Return: 0, -EBADF if there is no such fd, -ENOTSOCK if it is not a
 * socket, or another negative errno if /proc refused
 */
int trc__fd_inode(struct trc__pidfds *c, pid_t pid, int fd, uint64_t *ino)
{
	char link[64];
	int ret = 1;

	if (fd < 0)
		return -EBADF;
	if (c)
		ret = fd_link_cached(c, pid, fd, link, sizeof(link));
	if (ret > 0)
		ret = fd_link(pid, fd, link, sizeof(link));
	return ret ? ret : parse_socket_link(link, ino);
}

/* The device of sockfs, where every socket's inode lives (an O_PATH fd
 * of a socket file elsewhere is S_ISSOCK too, with another inode space);
 * 0 if no socket could be made. */
static dev_t sockfs_dev(void)
{
	static dev_t dev;
	struct stat st;
	int s;

	if (dev)
		return dev;
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && !fstat(s, &st))
		dev = st.st_dev;
	if (s >= 0)
		close(s);
	return dev;
}

/* Whether @stx is a socket's (as "socket:[INO]" in /proc/PID/fd). */
static bool is_sockfs(const struct statx *stx)
{
	return S_ISSOCK(stx->stx_mode) &&
	       makedev(stx->stx_dev_major, stx->stx_dev_minor) == sockfs_dev();
}

/* The entry of @pid if there is one; none is made. */
static struct trc__pidfd_ent *ent_find(struct trc__pidfds *c, pid_t pid)
{
	int i = slot_of(c, pid);

	return i >= 0 ? c->ent[i] : NULL;
}

/* trc__fd_inode(), remembering in @pid's entry that @fd named a socket */
static int lookup_by_proc(struct trc__pidfds *c, pid_t pid, int fd,
			  uint64_t *ino)
{
	int ret = trc__fd_inode(c, pid, fd, ino);
	struct trc__pidfd_ent *e = ent_find(c, pid);	/* may be new or gone */

	if (!ret && e && !e->thread)
		e->hint[fd % TRC__HINT_N] = fd;
	return ret;
}

/*
 * A fetched copy that is not a socket: let it go without running its
 * file's flush where that could block.  close() of a second reference
 * ends nothing (no lock or epoll registration of the supervisor's goes),
 * but runs f_op->flush, which FUSE sends to its server and NFS writes
 * back with; sockets, pipes and FIFOs and O_PATH files have none.  Other
 * files are kept (c->graves) until trc__pidfds_free(), and once
 * TRC__GRAVES_N are kept no more copies are made (trc__fd_lookup() asks
 * /proc alone).
 */
static void drop_copy(struct trc__pidfds *c, int got, const struct statx *stx)
{
	int fl;

	if (S_ISSOCK(stx->stx_mode) || S_ISFIFO(stx->stx_mode) ||
	    ((fl = fcntl(got, F_GETFL)) >= 0 && (fl & O_PATH))) {
		close(got);
		return;
	}
	c->graves[c->n_graves++] = got;
}

/**
 * trc__fd_lookup() - trc__fd_inode() that also gives a copy of the fd
 * @c:		the per-process cache
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	set to the socket's inode number
 * @copy:	set to a copy of the tracee's fd (pidfd_getfd()), the
 *		caller's to close, or to -1
 *
 * The readlinkat() of trc__fd_inode() walks /proc and prints a name: on
 * the machine of bench/RESULTS.md 2.1 us alone, 3.7 us within a trapped
 * call, where pidfd_getfd(), statx() and close() take 1.3 us, and the copy
 * spares a call that writes into the program's end (a send with an
 * address on a shortcut pair, a connect()) a fetch of its own.
 *
 * A copy is made only of a number that named a socket at the last lookup
 * of the same process (struct trc__pidfd_ent's hints), through the
 * process's cached pidfd; a thread of a process, a first lookup, and a
 * tracee pidfd_getfd() is refused for are looked up by trc__fd_inode().
 * The copy is judged by statx() with AT_STATX_DONT_SYNC, which asks no
 * file server, and is a socket only on sockfs (an O_PATH fd of a named
 * AF_UNIX socket's file is S_ISSOCK with a file system's inode number,
 * which may equal a socket's).  A number that names something else by
 * now (the program closed the socket and opened a file there) gives a
 * copy of that file, which drop_copy() lets go safely.
 *
 * Return: as trc__fd_inode()
 */
int trc__fd_lookup(struct trc__pidfds *c, pid_t pid, int fd, uint64_t *ino,
		   int *copy)
{
	struct trc__pidfd_ent *e;
	struct statx stx;
	int got, h;

	*copy = -1;
	if (fd < 0)
		return -EBADF;
	e = ent_get(c, pid);
	h = fd % TRC__HINT_N;
	if (!e || e->thread || e->hint[h] != fd ||
	    c->n_graves >= TRC__GRAVES_N)
		return lookup_by_proc(c, pid, fd, ino);
	e->hint[h] = -1;	/* until the copy proves it again */
	got = (int)syscall(SYS_pidfd_getfd, e->pfd, fd, 0);
	if (got < 0) {
		if (errno == EBADF)
			return -EBADF;
		/* ESRCH: the entry's process is gone and @pid names
		 * another (trc__fd_inode() drops the entry); EPERM: a
		 * tracee made dumpable no more, or set-user-ID */
		return lookup_by_proc(c, pid, fd, ino);
	}
	if (statx(got, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC,
		  STATX_TYPE | STATX_INO, &stx)) {
		stx.stx_mode = 0;	/* unknown: kept, as any other file */
		drop_copy(c, got, &stx);
		return lookup_by_proc(c, pid, fd, ino);
	}
	if (!is_sockfs(&stx)) {
		drop_copy(c, got, &stx);
		return -ENOTSOCK;
	}
	*ino = (uint64_t)stx.stx_ino;
	*copy = got;
	e->hint[h] = fd;
	return 0;
}

/* pidfd_getfd() for a pid whose pidfd is not to be kept */
static int getfd_once(pid_t pid, int fd)
{
	int pfd = trc__pidfd_open(pid), got;

	if (pfd < 0)
		return pfd;
	got = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	got = got < 0 ? -errno : got;
	close(pfd);
	return got;
}

/* pidfd_getfd() through the cache; when the cached pidfd's process is
 * gone (ESRCH; the pid may name another by now) it is retried with a
 * fresh one.  An fd that is not there (EBADF) leaves the entry alone: it
 * holds the caller's /proc/PID/fd too. */
static int getfd_cached(struct trc__pidfds *c, pid_t pid, int fd)
{
	int slot, pfd, got;

	if (!c)
		return getfd_once(pid, fd);
	slot = slot_of(c, pid);
	if (slot >= 0 && c->ent[slot]->thread)
		return getfd_once(pid, fd);
	if (slot >= 0) {
		got = (int)syscall(SYS_pidfd_getfd, c->ent[slot]->pfd, fd, 0);
		if (got >= 0)
			return got;
		if (errno != ESRCH)	/* no such fd: the entry is good */
			return -errno;
		trc__pidfds_forget(c, pid);
	}
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0 && not_leader(errno))	/* a thread: not kept */
		return getfd_once(pid, fd);
	if (pfd < 0)
		return -errno;
	got = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	if (got < 0) {
		got = -errno;
		close(pfd);
		return got;
	}
	trc__pidfds_keep(c, pid, pfd);
	return got;
}

/**
 * trc__fd_fetch() - a copy of a tracee's fd, if it still names socket @ino
 * @c:		the pidfd cache, or NULL for none
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	inode the fd must name
 *
 * Uses pidfd_getfd(); the copy shares the tracee's open file.  The caller
 * closes it soon, so the supervisor keeps no lasting reference to the
 * socket (only to the process, through a cached pidfd).  The inode is
 * checked on the copy itself, so whatever the fd number names by now,
 * only socket @ino is ever handed out.
 *
 * Return: the new fd, or a negative errno (-ESTALE when @fd names another
 * file now)
 */
int trc__fd_fetch(struct trc__pidfds *c, pid_t pid, int fd, uint64_t ino)
{
	struct stat st;
	int got;

	got = getfd_cached(c, pid, fd);
	if (got >= 0 && (fstat(got, &st) || st.st_ino != ino ||
			 !S_ISSOCK(st.st_mode) || st.st_dev != sockfs_dev())) {
		close(got);
		return -ESTALE;
	}
	return got;
}

static int read_ppid(pid_t pid, pid_t *ppid)
{
	char buf[512], *p;
	int ret;

	if ((ret = read_proc(pid, "stat", buf, sizeof(buf))))
		return ret;
	p = strrchr(buf, ')');	/* comm may hold spaces and parens */
	if (!p || sscanf(p + 1, " %*c %d", ppid) != 1)
		return -EIO;
	return 0;
}

/**
 * trc_in_tree() - whether @pid is a process of the sandbox
 * @pid:	any process or thread id
 *
 * The supervisor is a child subreaper, so every process of the tree has
 * it among its ancestors, and no other process has.
 *
 * Return: true if the supervisor is among @pid's ancestors
 */
bool trc_in_tree(pid_t pid)
{
	pid_t self = getpid();
	int depth;

	for (depth = 0; depth < 256 && pid > 1; depth++) {
		if (pid == self)
			return depth > 0;
		if (read_ppid(pid, &pid))
			return false;
	}
	return false;
}

/**
 * trc__proc_descendants() - every live descendant of @root
 * @root:	ancestor pid
 * @pids:	set to a malloc'd array the caller frees
 * @n:		set to its length
 *
 * The supervisor is a child subreaper, so orphans of the tree stay below
 * it and this finds daemons too.
 *
 * Return: 0 or a negative errno
 */
int trc__proc_descendants(pid_t root, pid_t **pids, size_t *n)
{
	pid_t *all = NULL, *par = NULL, *tmp;
	size_t cnt = 0, cap = 0, i, out = 0;
	bool changed = true;
	struct dirent *de;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t p, pp;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		p = (pid_t)atoi(de->d_name);
		if (read_ppid(p, &pp))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 256;
			tmp = realloc(all, cap * sizeof(*all));
			if (!tmp)
				goto nomem;
			all = tmp;
			tmp = realloc(par, cap * sizeof(*par));
			if (!tmp)
				goto nomem;
			par = tmp;
		}
		all[cnt] = p;
		par[cnt++] = pp;
	}
	closedir(d);
	d = NULL;
	/* Mark descendants by moving them to the front, until stable. */
	while (changed) {
		changed = false;
		for (i = out; i < cnt; i++) {
			size_t j;
			bool below = par[i] == root;

			for (j = 0; j < out && !below; j++)
				below = par[i] == all[j];
			if (below) {
				pid_t a = all[i], b = par[i];

				all[i] = all[out];
				par[i] = par[out];
				all[out] = a;
				par[out++] = b;
				changed = true;
			}
		}
	}
	free(par);
	*pids = all;
	*n = out;
	return 0;
nomem:
	if (d)
		closedir(d);
	free(all);
	free(par);
	return -ENOMEM;
}

static void scan_fds(pid_t pid, void (*cb)(void *data, uint64_t ino), void *data)
{
	char path[64], link[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		uint64_t ino;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!parse_socket_link(link, &ino))
			cb(data, ino);
	}
	closedir(d);
}

/**
 * trc_scan_sockets() - call @cb for every socket inode the sandbox holds
 * @t:		the tracer
 * @cb:		called once per (process, socket fd)
 * @data:	passed to @cb
 *
 * Return: 0 or a negative errno
 */
int trc_scan_sockets(struct trc *t, void (*cb)(void *data, uint64_t ino),
		     void *data)
{
	const pid_t *pids;
	pid_t *walked = NULL;
	size_t n, i;
	int ret;

	if (t) {
		ret = trc__scan_pids(t, &pids, &n);
	} else {
		ret = trc__proc_descendants(getpid(), &walked, &n);
		pids = walked;
	}
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		scan_fds(pids[i], cb, data);
	free(walked);
	return 0;
}

struct fd_count {
	uint64_t ino;
	unsigned int n;
};

static void count_one(void *data, uint64_t ino)
{
	struct fd_count *f = data;

	f->n += ino == f->ino;
}

/**
 * trc_fd_count() - how many fds name socket @ino
 * @t:		the tracer
 * @pid:	count in this tracee thread or process only (threads share
 *		the fd table: a readdir of /proc/PID/fd and a readlinkat()
 *		per fd), or 0 for every process of the sandbox (a scan,
 *		0.5 ms and more)
 * @ino:	the socket's inode
 *
 * Return: the count, 0 when /proc refused
 */
unsigned int trc_fd_count(struct trc *t, pid_t pid, uint64_t ino)
{
	struct fd_count f = { .ino = ino, .n = 0 };

	if (pid > 0)
		scan_fds(pid, count_one, &f);
	else if (trc_scan_sockets(t, count_one, &f))
		return 0;
	return f.n;
}

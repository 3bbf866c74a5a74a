/* SPDX-License-Identifier: MIT */
/*
 * notify.c - the seccomp user-notification backend of trc.h.
 *
 * Spawns the program under the filter of filter.c, receives its listener
 * fd, and turns each notification into a struct trc_call for the user's
 * syscall callback.  Replies, fd installation (SECCOMP_IOCTL_NOTIF_ADDFD
 * with SECCOMP_ADDFD_FLAG_SEND, so the fd number is the call's result) and
 * tracee memory access (process_vm_readv/writev) live here too.  It also
 * reaps the tree: the supervisor is a child subreaper, so every orphan of
 * the tree comes back to it, and when the program exits the rest is killed
 * unless --wait-all was given.
 *
 * Theory of operation, per notification:
 *   RECV -> user callback -> (now or later) SEND / ADDFD+SEND / CONTINUE
 * A call whose tracee was interrupted by a signal becomes invalid; SEND
 * then fails with ENOENT, which is not an error, and a success that was
 * lost so is kept for the call's return (struct replay), as is, while
 * signals fly, one SEND delivered that may have been lost all the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "internal.h"
#include "log.h"
#include "trc.h"

/* Kernel 6.6+; Debian 12's headers predate it. */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/*
 * struct ahead - what a call read next after its first read at @addr
 *
 * A msghdr is read to find its iovec array, and a program that receives
 * in a loop hands over the same msghdr, pointing at the same array, every
 * time (BIRD waiting for each netlink acknowledgement, iproute2 too).
 * Remembered per thread, call, flags and address, the second read is made
 * along with the first the next time, in the same process_vm_readv(), and
 * answered from the call's memo: one system call where there were two.  A
 * wrong guess costs a few bytes and teaches the right one; an unreadable
 * one costs nothing (partial reads stop at the failing range).
 */
struct ahead {
	pid_t pid;
	int nr;			/* the call, and its */
	uint64_t arg2;		/* flags: iproute2's send, peek and receive
				 * share a msghdr with three iovec arrays */
	uint64_t addr;
	uint64_t next;
	uint32_t len;
};

#define AHEAD_N		16

/*
 * struct replay - an answer its caller never got
 *
 * A signal that arrives while the supervisor works on a call takes the
 * caller out of it (the notification is gone: SEND fails with ENOENT),
 * often after the supervisor did what the call asked: bound the socket,
 * sent the datagram, received one into the caller's buffer.  The kernel
 * then restarts the call with the same registers (a handler with
 * SA_RESTART, or none), or returns EINTR, after which a careful program
 * (Python) makes the same call again.  Run a second time it would bind
 * twice (EINVAL) or send the datagram twice.  So the answer is kept, and
 * the same call (number, arguments, instruction pointer) as the thread's
 * next trapped one, within REPLAY_NS, gets it without running again.
 * Only successes are kept: a failed call did nothing to run twice, and
 * its error may be the caller's leaving itself (a read of its memory
 * then fails; a parked call that lost its caller is answered EINTR).
 * Neither is CONTINUE (the kernel runs the restarted call) nor an fd
 * installation (ADDFD with SEND fails whole: nothing was installed).
 *
 * SEND may also succeed and the answer still be lost: the signal woke the
 * caller, which found no answer yet and left, and SEND took the
 * listener's lock before the caller took it back on its way out
 * (seccomp_do_user_notification() drops the answer then).  Nothing tells
 * the supervisor.  The window is the microsecond SEND holds that lock,
 * but under a 37 us signal storm it took 1 to 2 % of binds.  Such a call
 * made again is the same call as the one answered, which a program may
 * also make on purpose (a test that a second bind() fails).  So the
 * answer is only kept as a hint (sent), for calls whose second run can
 * tell (trc_call_once()), while signals come so often that they take the
 * thread out of calls that do not block (SIGNALS_NS; a blocked call that
 * an alarm ends says nothing), and the call is run again:
 * trc_call_again() says that it may be the first one's return.  (A
 * pending signal, looked for in /proc/TID/status right before and after
 * SEND, was seen for fewer than half of the binds lost so: the caller
 * takes it at once.)
 */
struct replay {
	pid_t tid;		/* 0: a free slot */
	int nr;
	uint64_t ip;
	uint64_t args[6];
	int64_t val;		/* the answer, a success */
	uint64_t at;		/* uv_hrtime() when it was lost */
	bool sent;		/* SEND took it: maybe lost */
};

#define REPLAY_N	16
#define REPLAY_NS	(1000ULL * 1000 * 1000)
#define SIGNALS_NS	(100ULL * 1000 * 1000)

struct trc {
	uv_loop_t *loop;
	const struct trc_ops *ops;
	void *data;
	int notify_fd;
	uv_poll_t notify_poll;
	uv_signal_t sigchld;
	size_t notif_size;	/* the kernel's struct seccomp_notif size */
	pid_t main_pid;
	int main_status;
	bool main_exited;
	bool wait_all;
	bool sync_wakeup;
	bool can_fetch;		/* pidfd_getfd() works on our tracees */
	bool finished;
	int closing;		/* handles still closing in trc_free() */
	struct trc__pidfds pidfds;	/* trc_fd_fetch(), trc_fd_inode() */
	uint64_t dup_epoch;	/* trc_dup_epoch(): trapped calls counted */
	int last_pid_fd;	/* /proc/sys/kernel/ns_last_pid, or -1 */
	long last_pid;		/* what it said at the last trc_dup_epoch() */
	uint64_t last_pid_ns;	/* when (uv_hrtime()) */
	uint64_t pid_gap_ns;	/* longest gap that still proves nothing new */
	uint64_t pid_epoch;	/* trc_dup_epoch(): new processes suspected */
	pid_t *scan_pids;	/* trc__scan_pids(): the last walk's list */
	size_t scan_n;
	uint64_t scan_epoch;	/* pid_epoch when it was made */
	struct ahead ahead[AHEAD_N];	/* learned by trc_mem_read_first() */
	uint64_t n_calls;	/* notifications received */
	uint64_t n_reads;	/* process_vm_readv() calls made */
	struct replay replay[REPLAY_N];	/* answers lost to a signal */
	unsigned int replay_kept;	/* slots in use: none, no look */
	unsigned int replay_next;	/* slot to take when none is free */
	uint64_t n_replays;	/* calls answered from there */
	uint64_t signals_at;	/* uv_hrtime() a signal last took a caller out
				 * of a call that did not block (signal_seen()), */
	pid_t signals_tid;	/* and which */
	struct trc__exec ex;	/* `rrctl exec`'s zygote (exec.c) */
	struct trc__early early;	/* calls held until the loop runs */
	uv_timer_t early_timer;	/* serves them on the loop's first turn */
};

#define MEMO_N		4	/* reads remembered per call */
#define MEMO_MAX	64	/* bytes: a msghdr, an iovec, a sockaddr, an int */

/*
 * struct memo - one small tracee read, kept for the rest of its call
 *
 * Handlers read the same msghdr, iovec or length two or three times in
 * one call (once to size, once to act, once to write back); each read
 * costs process_vm_readv() plus SECCOMP_IOCTL_NOTIF_ID_VALID, about 2 us.
 * A read repeated within one call is answered from here.  Writes by the
 * supervisor and parking forget everything (the tracee's other threads
 * may change its memory while the call waits).
 */
struct memo {
	uint64_t addr;
	uint32_t len;
	uint8_t data[MEMO_MAX];
};

struct trc_call {
	struct trc *t;
	bool parked;
	bool unverified;	/* trc_mem_read_first() read since the last
				 * check that the tracee still waits */
	unsigned int reads;	/* of tracee memory, for struct ahead: */
	uint64_t first;		/* the first one's address */
	uint64_t guessed;	/* read along with it, 0 if nothing */
	bool guess_hit;		/* and asked for since */
	unsigned int memo_n, memo_next;
	struct memo memo[MEMO_N];
	bool once;		/* trc_call_once() */
	bool again;		/* trc_call_again() */
	int64_t again_val;	/* and the success it may have lost */
	struct seccomp_notif req;	/* last: the kernel's may be larger */
};

/* The bytes of a struct trc_call before its notification */
#define TRC_CALL_ROOM	offsetof(struct trc_call, req)

/* A number from a /proc/sys file; -1 when unreadable. */
static long sysctl_long(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * The kernel's last pid (trc_dup_epoch()).  The pids of a namespace are
 * given in turn up to pid_max, then from 300 again, so the same last pid
 * twice proves that no process or thread was made in between only while
 * fewer than about pid_max were.  Read twice within pid_max * 5 us (164 ms
 * at the default 32768), that would take 200,000 new pids a second (a
 * 2-CPU VM makes 45,000 threads a second), and the count would have to
 * come round to the very same pid.
 */
static void last_pid_open(struct trc *t)
{
	int fd = open("/proc/sys/kernel/pid_max", O_RDONLY | O_CLOEXEC);
	long max = fd >= 0 ? sysctl_long(fd) : -1;

	if (fd >= 0)
		close(fd);
	t->pid_gap_ns = (uint64_t)(max > 0 ? max : 32768) * 5000;
	t->last_pid = -1;
	t->last_pid_fd = open("/proc/sys/kernel/ns_last_pid",
			      O_RDONLY | O_CLOEXEC);
}

/**
 * trc_new() - create a tracer on @loop
 * @loop:	the event loop
 * @ops:	callbacks
 * @data:	passed to the callbacks
 * @out:	set to the new tracer
 *
 * Return: 0 or a negative errno
 */
int trc_new(uv_loop_t *loop, const struct trc_ops *ops, void *data,
	    struct trc **out)
{
	struct seccomp_notif_sizes sizes;
	struct trc *t;

	if (!loop || !ops || !ops->syscall || !ops->exited || !out)
		return -EINVAL;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes))
		return -errno;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->ops = ops;
	t->data = data;
	t->notify_fd = -1;
	t->ex.fd = -1;
	last_pid_open(t);
	uv_signal_init(loop, &t->sigchld);
	t->sigchld.data = t;
	uv_timer_init(loop, &t->early_timer);
	t->early_timer.data = t;
	t->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ?
			sizes.seccomp_notif : sizeof(struct seccomp_notif);
	*out = t;
	return 0;
}

static void closed_free(uv_handle_t *h)
{
	struct trc *t = h->data;

	if (--t->closing)
		return;
	if (t->notify_fd >= 0)
		close(t->notify_fd);
	if (t->last_pid_fd >= 0)
		close(t->last_pid_fd);
	free(t->scan_pids);
	trc__early_free(&t->early);
	free(t);
}

/**
 * trc_free() - stop trapping; the memory goes once the handles closed
 * @t:		the tracer
 */
void trc_free(struct trc *t)
{
	if (!t)
		return;
	trc__pidfds_free(&t->pidfds);
	t->closing = 1;
	t->closing += trc__exec_close(&t->ex, closed_free, t);
	if (t->notify_fd >= 0) {
		t->closing++;
		uv_close((uv_handle_t *)&t->notify_poll, closed_free);
	}
	uv_close((uv_handle_t *)&t->sigchld, closed_free);
	t->closing++;
	uv_close((uv_handle_t *)&t->early_timer, closed_free);
}

pid_t trc_main_pid(const struct trc *t)
{
	return t->main_pid;
}

bool trc_sync_wakeup(const struct trc *t)
{
	return t->sync_wakeup;
}

/**
 * trc_dup_epoch() - a count of the calls that may have given an open file
 *		     of the sandbox a second reference
 * @t:		the tracer
 *
 * Such a call that reaches another process is trapped (filter.c) and
 * counted before the kernel runs it: unshare(CLONE_FILES), pidfd_getfd,
 * and a sendmsg or sendmmsg the supervisor does not serve itself (it may
 * carry SCM_RIGHTS).  A new process (fork, vfork, clone, clone3: not
 * trapped, see filter.c) is seen here, in the kernel's last pid: the
 * count goes up when that changed since the last look, when it cannot be
 * read, and when the last look is too old to prove anything
 * (last_pid_open()).  A thread made anywhere on the host counts too,
 * which only costs a scan.  So a socket made when the count was what it
 * still is is held by the process that made it alone: where that process
 * has one fd naming it (trc_fd_count(); dup() and the like are not
 * trapped), the supervisor may replace that file without a scan of the
 * whole sandbox.
 *
 * Return: the count
 */
uint64_t trc_dup_epoch(struct trc *t)
{
	uint64_t now = uv_hrtime();
	long pid = t->last_pid_fd >= 0 ? sysctl_long(t->last_pid_fd) : -1;

	if (pid < 0 || pid != t->last_pid ||
	    now - t->last_pid_ns > t->pid_gap_ns)
		t->pid_epoch++;
	t->last_pid = pid;
	t->last_pid_ns = now;
	return t->dup_epoch + t->pid_epoch;
}

/**
 * trc__scan_pids() - the sandbox's processes, for a scan of their fds
 * @t:		the tracer
 * @pids:	set to the list, the tracer's (valid until the next call)
 * @n:		set to its length
 *
 * A walk of /proc reads the stat of every process of the host, for its
 * parent: three system calls each, some hundreds a scan on a busy host,
 * and a program churning local connections makes a scan every
 * NS_HELD_BURST of them.  The list the last walk made serves again while
 * no process was made since, which the kernel's last pid tells
 * (trc_dup_epoch(); looked at before each walk, so a process made during
 * one shows at the next look).  The tree loses processes only by exits
 * (orphans come to the supervisor, a child subreaper): one of the list
 * that exited is not found by the scan, and its pid cannot name another
 * process while none was made.
 *
 * Return: 0 or a negative errno
 */
int trc__scan_pids(struct trc *t, const pid_t **pids, size_t *n)
{
	pid_t *walked;
	size_t cnt;
	int ret;

	trc_dup_epoch(t);
	if (!t->scan_pids || t->pid_epoch != t->scan_epoch) {
		ret = trc__proc_descendants(getpid(), &walked, &cnt);
		if (ret)
			return ret;
		free(t->scan_pids);
		t->scan_pids = walked;
		t->scan_n = cnt;
		t->scan_epoch = t->pid_epoch;
	}
	*pids = t->scan_pids;
	*n = t->scan_n;
	return 0;
}

/**
 * trc_can_fetch() - whether trc_fd_fetch() works here
 * @t:		the tracer
 *
 * Docker's default seccomp profile refuses pidfd_getfd(); netstack/ then
 * holds the program's ends it needs instead of fetching them.
 *
 * Return: true if pidfd_getfd() on a tracee is allowed
 */
bool trc_can_fetch(const struct trc *t)
{
	return t->can_fetch;
}

/**
 * trc_fd_fetch() - a copy of a tracee's fd, if it still names socket @ino
 * @t:		the tracer (its pidfd cache), or NULL to keep no pidfd
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	inode the fd must name
 *
 * See trc__fd_fetch().
 *
 * Return: the new fd, or a negative errno (-ESTALE when @fd names another
 * file now)
 */
int trc_fd_fetch(struct trc *t, pid_t pid, int fd, uint64_t ino)
{
	return trc__fd_fetch(t ? &t->pidfds : NULL, pid, fd, ino);
}

/**
 * trc_fd_inode() - the socket inode behind a tracee's fd
 * @t:		the tracer (its per-process cache), or NULL for none
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	set to the socket's inode number
 *
 * See trc__fd_inode().
 *
 * Return: 0, -EBADF if there is no such fd, -ENOTSOCK if it is not a
 * socket, or another negative errno if /proc refused
 */
int trc_fd_inode(struct trc *t, pid_t pid, int fd, uint64_t *ino)
{
	return trc__fd_inode(t ? &t->pidfds : NULL, pid, fd, ino);
}

/**
 * trc_fd_lookup() - trc_fd_inode(), and where pidfd_getfd() works and
 *		     @fd named a socket before, a copy of the fd for the
 *		     caller to use and close
 * @t:		the tracer
 * @pid:	tracee thread or process
 * @fd:		its fd number
 * @ino:	set to the socket's inode number
 * @copy:	set to the copy (a socket of inode @ino), or to -1
 *
 * See trc__fd_lookup().
 *
 * Return: as trc_fd_inode()
 */
int trc_fd_lookup(struct trc *t, pid_t pid, int fd, uint64_t *ino, int *copy)
{
	*copy = -1;
	if (!t->can_fetch)
		return trc__fd_inode(&t->pidfds, pid, fd, ino);
	return trc__fd_lookup(&t->pidfds, pid, fd, ino, copy);
}

/* pidfd_getfd() checks permission before the fd: EBADF means allowed.
 * The program's entry (pidfd and /proc/PID/fd) is made first, whatever
 * the answer, and kept for its whole life, so the supervisor's fd count
 * does not move while it runs. */
static bool probe_fetch(struct trc *t, pid_t pid, bool try)
{
	struct trc__pidfd_ent *e;
	int pfd = trc__pidfd_open(pid), got;

	if (pfd < 0)
		return false;
	e = trc__pidfds_keep(&t->pidfds, pid, pfd);
	if (!e || !try)
		return false;
	got = (int)syscall(SYS_pidfd_getfd, pfd, 0x7ffffff0, 0);
	if (got >= 0) {
		close(got);
		return false;
	}
	return errno == EBADF;
}

/**
 * trc_signal() - send @sig to the program
 * @t:		the tracer
 * @sig:	signal number (0: only look whether the program is there)
 *
 * Return: 0, -ESRCH once the program exited (reaped or not), or another
 * negative errno
 */
int trc_signal(struct trc *t, int sig)
{
	siginfo_t si = { 0 };

	if (t->main_pid <= 0 || t->main_exited)
		return -ESRCH;
	/* Exited but not reaped yet: kill() would succeed on the zombie and
	 * the signal be lost.  Its SIGCHLD may be handled after the signal
	 * our caller forwards (both pending, the kernel delivers the lower
	 * number first: SIGTERM, 15, before SIGCHLD, 17). */
	if (!waitid(P_PID, t->main_pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
	    si.si_pid == t->main_pid)
		return -ESRCH;
	return kill(t->main_pid, sig) ? -errno : 0;
}

/* ---- calls ---- */

pid_t trc_call_pid(const struct trc_call *c)
{
	return (pid_t)c->req.pid;
}

int trc_call_nr(const struct trc_call *c)
{
	return c->req.data.nr;
}

uint64_t trc_call_arg(const struct trc_call *c, int i)
{
	return (i >= 0 && i < 6) ? c->req.data.args[i] : 0;
}

/**
 * trc_call_valid() - whether the tracee still waits for this call
 * @c:		the call
 *
 * Return: false once the tracee was interrupted or died
 */
bool trc_call_valid(const struct trc_call *c)
{
	__u64 id = c->req.id;

	return ioctl(c->t->notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

static int mem_result(const struct trc_call *c, ssize_t n, size_t want,
		      bool check)
{
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	if ((size_t)n != want)
		return -EFAULT;
	/* What was read must not be trusted if the tracee died meanwhile
	 * and its pid was reused (seccomp_unotify(2)).  A write cannot be
	 * checked that way (it has happened), so only reads pay for it. */
	if (!check)
		return 0;
	if (!trc_call_valid(c))
		return -ESRCH;
	((struct trc_call *)c)->unverified = false;	/* covers those too */
	return 0;
}

static size_t iov_total(const struct iovec *iov, unsigned long n)
{
	size_t sum = 0;
	unsigned long i;

	for (i = 0; i < n; i++)
		sum += iov[i].iov_len;
	return sum;
}

/* The call is ours (allocated in on_notify()); only its memo changes. */
static void memo_forget(const struct trc_call *c)
{
	((struct trc_call *)c)->memo_n = 0;
}

static bool memo_get(const struct trc_call *c, uint64_t addr, void *buf,
		     size_t len)
{
	unsigned int i;

	for (i = 0; i < c->memo_n; i++) {
		if (c->memo[i].addr == addr && c->memo[i].len >= len) {
			memcpy(buf, c->memo[i].data, len);
			return true;
		}
	}
	return false;
}

static void memo_put(const struct trc_call *cc, uint64_t addr, const void *buf,
		     size_t len)
{
	struct trc_call *c = (struct trc_call *)cc;
	struct memo *m;

	if (len > MEMO_MAX)
		return;
	m = &c->memo[c->memo_next];
	c->memo_next = (c->memo_next + 1) % MEMO_N;
	if (c->memo_n < MEMO_N)
		c->memo_n++;
	m->addr = addr;
	m->len = (uint32_t)len;
	memcpy(m->data, buf, len);
}

/**
 * trc_mem_readv() - read scattered tracee memory
 * @c:		the call whose tracee is read
 * @local:	where to
 * @nlocal:	entries in @local
 * @remote:	tracee addresses and lengths
 * @nremote:	entries in @remote
 *
 * Return: 0, -EFAULT for any bad or short range, -ESRCH if the tracee left
 */
int trc_mem_readv(const struct trc_call *c, const struct iovec *local,
		  unsigned long nlocal, const struct iovec *remote,
		  unsigned long nremote)
{
	size_t want = iov_total(remote, nremote);

	if (!want)
		return 0;
	c->t->n_reads++;
	return mem_result(c, process_vm_readv(trc_call_pid(c), local, nlocal,
					      remote, nremote, 0), want, true);
}

/**
 * trc_mem_writev() - write scattered tracee memory (see trc_mem_readv())
 */
int trc_mem_writev(const struct trc_call *c, const struct iovec *local,
		   unsigned long nlocal, const struct iovec *remote,
		   unsigned long nremote)
{
	size_t want = iov_total(remote, nremote);

	if (!want)
		return 0;
	memo_forget(c);
	return mem_result(c, process_vm_writev(trc_call_pid(c), local, nlocal,
					       remote, nremote, 0), want, false);
}

static struct ahead *ahead_slot(const struct trc_call *c, uint64_t addr)
{
	uint64_t h = (addr >> 3) ^ (uint64_t)trc_call_pid(c) ^
		     (uint64_t)trc_call_nr(c) * 7 ^ trc_call_arg(c, 2) * 13;

	return &c->t->ahead[h % AHEAD_N];
}

static bool ahead_is(const struct ahead *a, const struct trc_call *c,
		     uint64_t addr)
{
	return a->addr == addr && a->pid == trc_call_pid(c) &&
	       a->nr == trc_call_nr(c) && a->arg2 == trc_call_arg(c, 2);
}

/* A call's second read, after its first at c->first: remember it, unless
 * what was read along with the first answered it. */
static void ahead_learn(const struct trc_call *c, uint64_t addr, size_t len)
{
	if (c->reads != 1 || c->guess_hit || c->first == addr || len > MEMO_MAX)
		return;
	*ahead_slot(c, c->first) = (struct ahead){
		.pid = trc_call_pid(c), .nr = trc_call_nr(c),
		.arg2 = trc_call_arg(c, 2), .addr = c->first, .next = addr,
		.len = (uint32_t)len };
}

/**
 * trc_mem_read_first() - read tracee memory that only says where to read
 *			  next
 * @c:		the call
 * @addr:	tracee address
 * @buf:	destination
 * @len:	bytes
 *
 * trc_mem_read() without its check that the tracee still waits (one
 * SECCOMP_IOCTL_NOTIF_ID_VALID): a msghdr read to find its iovec array.
 * The next trc_mem_read(), trc_mem_readv() or trc_call_verify() checks
 * for both, since a tracee still waiting then was the same process at
 * every read before (its pid cannot be reused while it lives).  Until
 * then what this gave must decide nothing but what to read.  The read the
 * call made next the last time it read here comes along (struct ahead).
 *
 * Return: 0, -EFAULT or -ESRCH
 */
int trc_mem_read_first(const struct trc_call *c, uint64_t addr, void *buf,
		       size_t len)
{
	struct trc_call *cc = (struct trc_call *)c;	/* ours: on_notify() */
	uint8_t more[MEMO_MAX];
	struct iovec l[2] = { { buf, len }, { more, 0 } };
	struct iovec r[2] = { { (void *)(uintptr_t)addr, len }, { NULL, 0 } };
	struct ahead *a;
	ssize_t n;
	int ret;

	if (!addr && len)
		return -EFAULT;
	if (!len)
		return 0;
	if (len <= MEMO_MAX && memo_get(c, addr, buf, len)) {
		if (addr == c->guessed)
			cc->guess_hit = true;
		return 0;
	}
	ahead_learn(c, addr, len);
	a = ahead_slot(c, addr);
	if (!c->reads && ahead_is(a, c, addr)) {
		l[1].iov_len = r[1].iov_len = a->len;
		r[1].iov_base = (void *)(uintptr_t)a->next;
	}
	c->t->n_reads++;
	n = process_vm_readv(trc_call_pid(c), l, r[1].iov_len ? 2 : 1, r,
			     r[1].iov_len ? 2 : 1, 0);
	ret = mem_result(c, n > 0 && (size_t)n > len ? (ssize_t)len : n, len,
			 false);
	if (ret)
		return ret;
	cc->unverified = true;
	if (!cc->reads++)
		cc->first = addr;
	memo_put(c, addr, buf, len);
	if (r[1].iov_len && (size_t)n == len + r[1].iov_len) {
		cc->guessed = (uint64_t)(uintptr_t)r[1].iov_base;
		memo_put(c, cc->guessed, more, r[1].iov_len);
	}
	return 0;
}

/**
 * trc_call_verify() - check what trc_mem_read_first() read, if anything
 * @c:		the call
 *
 * Return: 0, or -ESRCH if the tracee no longer waits
 */
int trc_call_verify(const struct trc_call *c)
{
	if (!c->unverified)
		return 0;
	return mem_result(c, 0, 0, true);
}

/**
 * trc_mem_read() - read @len bytes of tracee memory at @addr
 * @c:		the call
 * @addr:	tracee address
 * @buf:	destination
 * @len:	bytes
 *
 * Return: 0, -EFAULT or -ESRCH
 */
int trc_mem_read(const struct trc_call *c, uint64_t addr, void *buf, size_t len)
{
	int ret = trc_mem_read_first(c, addr, buf, len);

	return ret ? ret : trc_call_verify(c);
}

/**
 * trc_mem_write() - write @len bytes to tracee memory at @addr
 * @c:		the call
 * @addr:	tracee address
 * @buf:	source
 * @len:	bytes
 *
 * Return: 0, -EFAULT or -ESRCH
 */
int trc_mem_write(const struct trc_call *c, uint64_t addr, const void *buf,
		  size_t len)
{
	struct iovec l = { (void *)buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (!addr && len)
		return -EFAULT;
	return trc_mem_writev(c, &l, 1, &r, 1);
}

/**
 * trc_call_park() - keep the call unanswered; finish it later
 * @c:		the call
 */
void trc_call_park(struct trc_call *c)
{
	c->parked = true;
	c->memo_n = 0;
}

/**
 * trc_call_once() - @c's success, if SEND takes it while signals fly, is
 * kept as a hint for the call's return (struct replay, trc_call_again())
 * @c:		the call, before it is answered
 *
 * For calls whose second run fails where the first succeeded, and can tell
 * by what the first did: a bind() to where the socket is bound, a
 * connect() to the peer it is connected to.
 */
void trc_call_once(struct trc_call *c)
{
	c->once = true;
}

/**
 * trc_call_again() - @c is the same call as its thread's last trapped one,
 * which was answered with a success a signal may have taken away
 * @c:		the call
 *
 * Return: true if so; the caller then answers with that success if it
 * finds the call's work done already
 */
bool trc_call_again(const struct trc_call *c)
{
	return c->again;
}

/* A signal took @c's caller out of a call that did not block (SEND's
 * ENOENT, a replay). */
static void signal_seen(struct trc *t, const struct trc_call *c)
{
	t->signals_at = uv_hrtime();
	t->signals_tid = (pid_t)c->req.pid;
}

/* The answer to @c did not reach its caller (struct replay): keep it,
 * @sent if SEND took it. */
static void replay_keep(struct trc *t, const struct trc_call *c, int64_t val,
			bool sent)
{
	struct replay *r = NULL;
	unsigned int i;

	for (i = 0; i < REPLAY_N && !r; i++)
		if (t->replay[i].tid == (pid_t)c->req.pid || !t->replay[i].tid)
			r = &t->replay[i];
	if (!r) {
		r = &t->replay[t->replay_next];
		t->replay_next = (t->replay_next + 1) % REPLAY_N;
	}
	if (!r->tid)
		t->replay_kept++;
	r->tid = (pid_t)c->req.pid;
	r->nr = c->req.data.nr;
	r->ip = c->req.data.instruction_pointer;
	memcpy(r->args, c->req.data.args, sizeof(r->args));
	r->val = val;
	r->at = uv_hrtime();
	r->sent = sent;
}

static void respond(struct trc_call *c, int64_t val, int error, unsigned int flags)
{
	struct seccomp_notif_resp resp = {
		.id = c->req.id, .val = val, .error = error, .flags = flags,
	};
	struct trc *t = c->t;

	if (ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp)) {
		if (errno != ENOENT) {
			debug("pid %d: answering syscall %d: %s", (int)c->req.pid,
			      c->req.data.nr, strerror(errno));
		} else if (!(flags & SECCOMP_USER_NOTIF_FLAG_CONTINUE)) {
			if (!c->parked)
				signal_seen(t, c);
			if (!error)
				replay_keep(t, c, val, false);
			else if (c->again)	/* the hint, for its return */
				replay_keep(t, c, c->again_val, true);
		}
	} else if (c->once && !error && !flags &&
		   t->signals_tid == (pid_t)c->req.pid &&
		   uv_hrtime() - t->signals_at < SIGNALS_NS) {
		replay_keep(t, c, val, true);
	}
	free(c);
}

/*
 * replay_answer() - answer @c with the answer its thread lost, if it is
 * that call again (struct replay)
 *
 * Any trapped call of the thread ends what was kept for it.
 *
 * Return: true if @c was answered (and freed)
 */
static bool replay_answer(struct trc *t, struct trc_call *c)
{
	struct replay *r = NULL;
	unsigned int i;
	bool same;

	if (!t->replay_kept)	/* every call asks: nearly always so */
		return false;
	for (i = 0; i < REPLAY_N && !r; i++)
		if (t->replay[i].tid && t->replay[i].tid == (pid_t)c->req.pid)
			r = &t->replay[i];
	if (!r)
		return false;
	r->tid = 0;
	t->replay_kept--;
	same = r->nr == c->req.data.nr &&
	       r->ip == c->req.data.instruction_pointer &&
	       !memcmp(r->args, c->req.data.args, sizeof(r->args)) &&
	       uv_hrtime() - r->at < REPLAY_NS;
	if (!same)
		return false;
	if (r->sent) {		/* only a hint: the call runs */
		c->again = true;
		c->again_val = r->val;
		return false;
	}
	t->n_replays++;
	signal_seen(t, c);
	calls("pid %d: syscall %d made again after a signal: answered as "
	      "before (%lld)", (int)c->req.pid, c->req.data.nr,
	      (long long)r->val);
	respond(c, r->val, 0, 0);
	return true;
}

/**
 * trc_call_reply() - finish the call with a result and free it
 * @c:		the call
 * @ret:	a value >= 0, or a negative errno
 */
void trc_call_reply(struct trc_call *c, int64_t ret)
{
	if (ret < 0)
		respond(c, 0, (int)ret, 0);
	else
		respond(c, ret, 0, 0);
}

/**
 * trc_call_continue() - let the kernel run the call as the tracee made it
 * @c:		the call, freed
 */
void trc_call_continue(struct trc_call *c)
{
	/* not one of the supervisor's sockets: SCM_RIGHTS may go with it */
	if (trc_call_nr(c) == SYS_sendmsg || trc_call_nr(c) == SYS_sendmmsg)
		c->t->dup_epoch++;
	respond(c, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
}

/**
 * trc_call_addfd() - install @fd in the tracee as the call's result
 * @c:		the call, finished and freed in every case
 * @fd:		supervisor's fd; the tracee gets a new reference to its file
 * @cloexec:	set FD_CLOEXEC on the tracee's fd
 *
 * Return: the tracee's fd number, or a negative errno (also its result)
 */
int trc_call_addfd(struct trc_call *c, int fd, bool cloexec)
{
	struct seccomp_notif_addfd add = {
		.id = c->req.id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (__u32)fd,
		.newfd = 0,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int ret;

	ret = ioctl(c->t->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
	if (ret >= 0) {
		free(c);
		return ret;
	}
	ret = -errno;
	if (ret == -ENOENT) {
		free(c);
		return ret;
	}
	trc_call_reply(c, ret);		/* e.g. EMFILE in the tracee */
	return ret;
}

/**
 * trc_call_setfd() - put @fd in the tracee at number @target, replacing
 * what is there (as dup2()), without finishing the call
 * @c:		the call, still pending afterwards
 * @fd:		supervisor's fd; the tracee gets a new reference to its file
 * @target:	the tracee's fd number
 * @cloexec:	set FD_CLOEXEC on it
 * @ino:	the inode @target must still name (0: unchecked)
 *
 * The caller is stopped in its call, but the other threads of its process
 * (and processes sharing its fd table) run: one may have closed @target
 * and opened something else at that number since the supervisor looked,
 * and the kernel's SETFD replaces whatever is there.  So @target is
 * checked again, right before: a file that is not @ino is left alone.
 * The check and the replacement are two steps, not one (the kernel has
 * no "replace if"): a close and an open that fall between them, a few
 * microseconds, still lose their file.
 *
 * Return: 0, or a negative errno (-ENOENT: the call is gone; -EBADF:
 * @target no longer names @ino)
 */
int trc_call_setfd(struct trc_call *c, int fd, int target, bool cloexec,
		   uint64_t ino)
{
	struct seccomp_notif_addfd add = {
		.id = c->req.id,
		.flags = SECCOMP_ADDFD_FLAG_SETFD,
		.srcfd = (__u32)fd,
		.newfd = (__u32)target,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int fl;

	if (target < 0)
		return -EBADF;
	if (ino && (fl = trc_fd_flags_ino(trc_call_pid(c), target, ino)) < 0)
		return fl;
	return ioctl(c->t->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &add) < 0 ?
	       -errno : 0;
}

/**
 * trc_stats() - what the tracer did so far
 * @t:		the tracer
 * @out:	filled in
 */
void trc_stats(const struct trc *t, struct trc_stats *out)
{
	out->calls = t->n_calls;
	out->replays = t->n_replays;
	out->dup_calls = t->dup_epoch;
	out->pid_epoch = t->pid_epoch;
	out->mem_reads = t->n_reads;
}

/* ---- the loop side ---- */

/*
 * dup_call() - a call trapped only because it may give another process a
 * reference to an open file (filter.c): count it (trc_dup_epoch()) and
 * let the kernel run it.  The caller waits in the call until then.
 *
 * Return: true if @c was such a call, now finished
 */
static bool dup_call(struct trc *t, struct trc_call *c)
{
	switch (trc_call_nr(c)) {
	case SYS_pidfd_getfd:
	case SYS_unshare:	/* with CLONE_FILES only */
		t->dup_epoch++;
		trc_call_continue(c);
		return true;
	default:
		return false;
	}
}

/* The next notification as a call of ours; NULL with errno set (ENOMEM,
 * or RECV's: ENOENT when its caller is gone meanwhile, EINTR). */
static struct trc_call *call_recv(struct trc *t)
{
	struct trc_call *c;

	c = calloc(1, TRC_CALL_ROOM + t->notif_size);
	if (!c)
		return NULL;
	c->t = t;
	if (ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, &c->req)) {
		int e = errno;

		free(c);
		errno = e;
		return NULL;
	}
	t->n_calls++;
	return c;
}

/* A call received, to its answer: a replayed one, a counted one, or the
 * user's callback. */
static void call_serve(struct trc *t, struct trc_call *c)
{
	if (replay_answer(t, c))
		return;
	if (!dup_call(t, c))
		t->ops->syscall(t->data, c);
}

static void on_notify(uv_poll_t *h, int status, int events)
{
	struct trc *t = h->data;
	struct trc_call *c;

	if (status < 0 || (events & UV_DISCONNECT)) {
		/* No tracee holds the filter any more. */
		uv_poll_stop(h);
		return;
	}
	c = call_recv(t);
	if (!c) {
		/* level-triggered: a failed allocation is retried next turn */
		if (errno != ENOENT && errno != EINTR && errno != ENOMEM)
			debug("SECCOMP_IOCTL_NOTIF_RECV: %s", strerror(errno));
		return;
	}
	call_serve(t, c);
}

/*
 * on_early() - serve the calls trc__wait_exec() held, in their order,
 *		before any that came later (timers run first in a loop turn)
 *
 * Each was received into a block with a struct trc_call's room before
 * the notification (TRC_CALL_ROOM), zeroed: a call as call_recv() makes.
 */
static void on_early(uv_timer_t *h)
{
	struct trc *t = h->data;
	struct trc_call *c;
	size_t i;

	for (i = 0; i < t->early.len; i++) {
		c = t->early.n[i];
		t->early.n[i] = NULL;
		c->t = t;
		t->n_calls++;
		call_serve(t, c);
	}
	trc__early_free(&t->early);
}

static void kill_descendants(void)
{
	pid_t *pids;
	size_t n, i;

	if (trc__proc_descendants(getpid(), &pids, &n))
		return;
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	free(pids);
}

static void on_sigchld(uv_signal_t *h, int signum)
{
	struct trc *t = h->data;
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
		trc__pidfds_forget(&t->pidfds, pid);	/* its number may come back */
		if (t->ops->proc_exit)
			t->ops->proc_exit(t->data, pid);
		if (pid == t->main_pid) {
			t->main_exited = true;
			t->main_status = status;
			trc__exec_main_exited(&t->ex);
			debug("program %d exited, status 0x%x", (int)pid, status);
		} else {
			trc__exec_reaped(&t->ex, pid, status);
		}
	}
	if (!t->main_exited || t->finished)
		return;
	if (pid < 0 && errno == ECHILD) {
		t->finished = true;
		t->ops->exited(t->data, t->main_status);
		return;
	}
	if (!t->wait_all)
		kill_descendants();
}

/**
 * trc_tree_kill() - stop waiting for the program's tree: kill what is
 *		     left of it, as when the program exits without --wait-all
 * @t:		the tracer
 *
 * For a signal that ends --wait-all's wait.  The tree is killed again on
 * every SIGCHLD after the program's exit (a process forked meanwhile),
 * and trc_ops.exited follows once the last one was reaped.
 *
 * Return: 0, or -ESRCH when there is no tree (before trc_spawn(), or
 * after trc_ops.exited)
 */
int trc_tree_kill(struct trc *t)
{
	if (t->main_pid <= 0 || t->finished)
		return -ESRCH;
	t->wait_all = false;
	kill_descendants();
	return 0;
}

static int send_listener(int sock, int fd)
{
	char byte = 'L';
	struct iovec iov = { &byte, 1 };

	return fdpass_send(sock, &iov, 1, &fd, 1, 0) == 1 ? 0 : -1;
}

static int recv_listener(int sock)
{
	unsigned int n;
	char byte;
	int fd;

	if (fdpass_recv(sock, &byte, 1, MSG_CMSG_CLOEXEC, &fd, 1, &n, NULL) != 1) {
		if (n)
			close(fd);
		return -1;
	}
	return n ? fd : -1;
}

/* In the child: never returns.  @zfd and @nul are the zygote's socket
 * and /dev/null (exec.c), or -1 without one. */
static void child(scmp_filter_ctx ctx, int ctl, int errfd, int zfd, int nul,
		  const struct trc_opts *opts)
{
	char *const *argv = opts->argv;
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;
	int fd, e, sig;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (opts->nofile)
		setrlimit(RLIMIT_NOFILE, opts->nofile);
	if (dup2(ctl, TRC__CTL_FD) < 0)
		goto fail;
	close(ctl);
	fcntl(TRC__CTL_FD, F_SETFD, FD_CLOEXEC);
	if ((e = seccomp_load(ctx))) {
		errno = -e;
		goto fail;
	}
	fd = seccomp_notify_fd(ctx);
	if (fd < 0 || send_listener(TRC__CTL_FD, fd))
		goto fail;
	close(fd);
	if (zfd >= 0 && nul >= 0)
		trc__exec_fork(zfd, nul);
	execvp(argv[0], argv);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(125);
	_exit(e == ENOENT ? 127 : e == EACCES ? 126 : 125);
}

/*
 * Every pointer of a trapped call is read with process_vm_readv() and
 * written with process_vm_writev(): a seccomp profile that refuses them
 * (Docker's allows them) would turn every emulated call into EFAULT.  Tried
 * on the supervisor itself, which the same profile governs.
 */
static int probe_vm(void)
{
	static const char *const name[2] = { "process_vm_readv",
					     "process_vm_writev" };
	char a = 'a', b = 'b';
	struct iovec l = { &b, 1 }, r = { &a, 1 };
	ssize_t n[2];
	int i;

	n[0] = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	n[1] = n[0] == 1 ? process_vm_writev(getpid(), &l, 1, &r, 1, 0) : -1;
	for (i = 0; i < 2; i++) {
		if (n[i] == 1)
			continue;
		err("%s() is refused (%s): rrsandbox reads and writes the "
		    "program's memory with process_vm_readv() and "
		    "process_vm_writev(); a seccomp profile must allow both",
		    name[i], strerror(errno));
		return -ENOTTY;
	}
	return 0;
}

/* The child cannot be served: kill and reap it, close its listener. */
static void drop_child(struct trc *t, pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	t->main_pid = 0;
	close(t->notify_fd);
	t->notify_fd = -1;
}

/**
 * trc_spawn() - start the program under the filter and begin trapping
 * @t:		the tracer
 * @opts:	program and options
 *
 * Return: 0, or a negative errno: -ENOENT/-EACCES when the program cannot
 * be run (its child has exited already), -ENOTTY when a seccomp profile
 * refuses what the supervisor needs (the reason is logged)
 */
int trc_spawn(struct trc *t, const struct trc_opts *opts)
{
	scmp_filter_ctx ctx;
	int sp[2], ep[2], ret = 0, e, zfd = -1, nul = -1;
	pid_t pid;
	ssize_t n;

	if (!opts || !opts->argv || !opts->argv[0])
		return -EINVAL;
	if ((ret = probe_vm()))
		return ret;
	ctx = trc__filter_new(getpid(), opts->trap_open, &ret);
	if (!ctx)
		return ret;
	/* `rrctl exec`'s helper: without it (no fds left), no exec */
	if (opts->exec && t->ex.fd < 0 &&
	    (nul = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 &&
	    trc__exec_prepare(&t->ex, &zfd)) {
		close(nul);
		nul = -1;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp)) {
		ret = -errno;
		goto out_ctx;
	}
	if (pipe2(ep, O_CLOEXEC)) {
		ret = -errno;
		goto out_sp;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	t->wait_all = opts->wait_all;
	uv_signal_start(&t->sigchld, on_sigchld, SIGCHLD);

	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out_ep;
	}
	if (pid == 0) {
		close(sp[0]);
		close(ep[0]);
		if (t->ex.fd >= 0)
			close(t->ex.fd);
		child(ctx, sp[1], ep[1], zfd, nul, opts);
	}
	t->main_pid = pid;
	close(sp[1]);
	sp[1] = -1;
	close(ep[1]);
	ep[1] = -1;
	t->notify_fd = recv_listener(sp[0]);
	if (t->notify_fd >= 0)
		n = trc__wait_exec(t->notify_fd, ep[0], pid, TRC_CALL_ROOM,
				   t->notif_size, &t->early, &e);
	else
		n = read(ep[0], &e, sizeof(e));
	if (n == -2) {
		trc__early_free(&t->early);
		drop_child(t, pid);
		ret = -ENOTTY;
		goto out_ep;
	}
	if (n == sizeof(e)) {
		trc__early_free(&t->early);
		ret = -e;
		waitpid(pid, NULL, 0);
		t->main_pid = 0;
		if (t->notify_fd >= 0)
			close(t->notify_fd);
		t->notify_fd = -1;
		goto out_ep;
	}
	if (t->notify_fd < 0) {
		ret = -EPROTO;
		goto out_ep;
	}
	t->pidfds.loop = t->loop;
	t->can_fetch = probe_fetch(t, pid, !getenv("RRSANDBOX_NO_PIDFD_GETFD"));
	t->sync_wakeup = ioctl(t->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
			       SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
	fcntl(t->notify_fd, F_SETFD, FD_CLOEXEC);
	/* libuv sets O_NONBLOCK with ioctl(FIONBIO): a profile that refuses
	 * ioctl() refuses the listener's own ioctls too, and rrsandbox cannot
	 * run; say so rather than crash. */
	ret = uv_poll_init(t->loop, &t->notify_poll, t->notify_fd);
	if (ret < 0) {
		err("the seccomp listener cannot be watched: %s (does a seccomp "
		    "profile refuse ioctl()?)", uv_strerror(ret));
		drop_child(t, pid);
		ret = -ENOTTY;
		goto out_ep;
	}
	t->notify_poll.data = t;
	uv_poll_start(&t->notify_poll, UV_READABLE | UV_DISCONNECT, on_notify);
	if (t->early.len)
		uv_timer_start(&t->early_timer, on_early, 0, 0);
	trc__exec_start(&t->ex, t->loop);
out_ep:
	close(ep[0]);
	if (ep[1] >= 0)
		close(ep[1]);
out_sp:
	close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
out_ctx:
	seccomp_release(ctx);
	if (zfd >= 0)
		close(zfd);
	if (nul >= 0)
		close(nul);
	return ret;
}

/**
 * trc_exec() - start another program in the sandbox (`rrctl exec`)
 * @t:		the tracer
 * @r:		what to run
 * @fn:		told what becomes of it (exec.c)
 * @arg:	for @fn
 * @out:	set to the job
 *
 * Return: 0, or a negative errno: -ESRCH when no program can be started
 * (trc_opts.exec was off, or the program has exited), -ECHILD when the
 * helper died, the others of trc__exec() (exec.c)
 */
int trc_exec(struct trc *t, const struct trc_exec_req *r, trc_job_fn *fn,
	     void *arg, struct trc_job **out)
{
	if (!t || t->finished || t->main_exited)
		return -ESRCH;
	return trc__exec(&t->ex, r, fn, arg, out);
}

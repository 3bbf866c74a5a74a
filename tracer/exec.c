/* SPDX-License-Identifier: MIT */
/*
 * exec.c - run more programs in a running sandbox (`rrctl exec`).
 *
 * A process joins the sandbox only by descending from its program: the
 * seccomp filter and its listener are inherited, never attached later.
 * So before exec the program's own child forks a helper, the zygote,
 * that stays in the tree under the same filter: twice, so that it is the
 * supervisor's child (its subreaper) and never the program's, which must
 * not find an unknown child to wait for.  The zygote sits in a session of
 * its own (no terminal's signals reach it), with /dev/null as its stdio
 * and one SOCK_SEQPACKET socket to the supervisor, and for each request
 * forks a job: a process group of its own (with a terminal, `rrctl exec
 * -t`, a session whose controlling terminal it is), the client's fds as
 * 0, 1 and 2, its working directory, environment and argv, searched in
 * PATH.
 *
 * Every fork here is _Fork(), which runs no atfork handler: libuv's, in
 * a copy of the supervisor, closes the fds its signal lock pipe had
 * there and makes a new pipe (a job's stdin was one, closed so and taken
 * by that pipe's write end).
 *
 * Messages (host order, one a datagram; struct zmsg and a request's
 * strings):
 *   supervisor -> zygote: EXEC (id, argc, envc, tty, strings: cwd,
 *                         argv, envp, each with its NUL; SCM_RIGHTS: 3
 *                         fds),
 *                         SIGNAL (pid, signal)
 *   zygote -> supervisor: HELLO (its pid), STARTED (id, pid),
 *                         FAILED (id, errno, stage), EXITED (pid, status)
 * The zygote writes with send() without an address (MSG_NOSIGNAL: it
 * outlives a supervisor that died, for its jobs), which the filter never
 * traps; its recvmsg() is trapped like any and let through (its fds are
 * none of the sandbox's).  A signal goes through the zygote, the job's parent: until
 * the zygote reaps a job its pid cannot be another's, so a late signal
 * never strikes a stranger.
 *
 * The zygote is undumpable, as the supervisor it was forked from: the
 * programs of the sandbox cannot ptrace it.  What it says is still taken
 * as untrusted: unknown ids and pids are ignored.  It goes away with the
 * program: the supervisor shuts its socket when the program exits, and
 * the zygote leaves once its jobs have ended (with --wait-all they are
 * waited for like the rest of the tree; without it the tree, zygote and
 * jobs, is killed).  A job whose zygote died is the supervisor's child
 * then and is reaped by it (trc__exec_reaped()).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "internal.h"
#include "log.h"
#include "path.h"
#include "trc.h"

enum zmsg_type {
	Z_EXEC = 1,
	Z_SIGNAL,
	Z_HELLO,
	Z_STARTED,
	Z_FAILED,
	Z_EXITED,
};

/*
 * struct zmsg - a message's fixed part
 * @type:	enum zmsg_type
 * @id:		the request (EXEC, STARTED, FAILED)
 * @pid:	the job's (SIGNAL, STARTED, EXITED) or the zygote's (HELLO)
 * @a:		EXEC: argc; SIGNAL: the signal; FAILED: errno; EXITED: the
 *		wait status
 * @b:		EXEC: envc; FAILED: the stage (TRC_JOB_STAGE_*)
 * @tty:	EXEC: trc_exec_req.tty
 */
struct zmsg {
	uint32_t type;
	uint32_t id;
	int32_t pid;
	int32_t a;
	int32_t b;
	uint32_t tty;
};

#define Z_MAX		(TRC_EXEC_MAX + sizeof(struct zmsg))
#define Z_FD		3	/* the zygote's socket, in the zygote */

/**
 * struct trc_job - a program started by trc_exec()
 * @x:		its zygote's state
 * @next:	next job
 * @id:		its request
 * @pid:	its pid once started, else 0
 * @fn:		told what becomes of it; NULL once detached
 * @arg:	for @fn
 * @hup:	a signal to send once started (trc_job_detach() before), or 0
 */
struct trc_job {
	struct trc__exec *x;
	struct trc_job *next;
	uint32_t id;
	pid_t pid;
	trc_job_fn *fn;
	void *arg;
	int hup;
};

/* ---- in the zygote ---- */

/* Send one fixed-size message; the supervisor reads it or is gone (no
 * SIGPIPE then: the zygote stays for its jobs). */
static void z_say(uint32_t type, uint32_t id, pid_t pid, int a, int b)
{
	struct zmsg m = { type, id, pid, a, b, 0 };
	ssize_t n = send(Z_FD, &m, sizeof(m), MSG_NOSIGNAL);

	(void)n;
}

/* Split @n bytes at @s into @count NUL-terminated strings; NULL-ended. */
static char **z_strings(char **s, size_t *n, uint32_t count)
{
	char **v = calloc((size_t)count + 1, sizeof(*v));
	uint32_t i;
	size_t len;

	if (!v)
		return NULL;
	for (i = 0; i < count; i++) {
		len = strnlen(*s, *n);
		if (len == *n) {
			free(v);
			return NULL;
		}
		v[i] = *s;
		*s += len + 1;
		*n -= len + 1;
	}
	return v;
}

/*
 * In the job, after fork: never returns.  @ep is the pipe that tells the
 * zygote why it failed (an int errno and an int stage) or, closed by a
 * successful exec, that it started.
 */
static void z_job(int ep, const int fds[3], bool tty, const char *cwd,
		  char **argv, char **envp)
{
	extern char **environ;
	sigset_t none;
	int err[2], i;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (tty)
		setsid();	/* also a process group of its own */
	else
		setpgid(0, 0);
	for (i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			goto fail_setup;
	if (tty && ioctl(0, TIOCSCTTY, 0))
		goto fail_setup;
	if (chdir(cwd)) {
		err[1] = TRC_JOB_STAGE_CWD;
		goto fail;
	}
	environ = envp;
	execvp(argv[0], argv);
	err[1] = TRC_JOB_STAGE_EXEC;
	/* glibc's execvp() says EACCES when one directory of PATH was not
	 * searchable even if none held the program (the caller's PATH may
	 * name directories of root's); a shell says "not found" then, and
	 * so do we */
	if (errno == EACCES && !strchr(argv[0], '/') && !path_has(argv[0], false))
		errno = ENOENT;
	goto fail;
fail_setup:
	err[1] = TRC_JOB_STAGE_SETUP;
fail:
	err[0] = errno;
	if (write(ep, err, sizeof(err)) < 0)
		_exit(125);
	_exit(err[0] == ENOENT ? 127 : 126);
}

/* One EXEC request of @n bytes in @buf with its fds; answered at once. */
static void z_exec(char *buf, size_t n, const int fds[3], pid_t **kids,
		   size_t *n_kids)
{
	const struct zmsg *m = (const struct zmsg *)buf;
	char *s = buf + sizeof(*m), *cwd, **argv = NULL, **envp = NULL;
	size_t left = n - sizeof(*m);
	int ep[2] = { -1, -1 }, err[2] = { 0, 0 }, e;
	pid_t pid, *grown;
	ssize_t got;

	cwd = s;
	if (!left || strnlen(s, left) == left || m->a < 1 || m->b < 0) {
		z_say(Z_FAILED, m->id, 0, EINVAL, TRC_JOB_STAGE_SETUP);
		return;
	}
	left -= strlen(cwd) + 1;
	s += strlen(cwd) + 1;
	argv = z_strings(&s, &left, (uint32_t)m->a);
	envp = argv ? z_strings(&s, &left, (uint32_t)m->b) : NULL;
	grown = envp ? realloc(*kids, (*n_kids + 1) * sizeof(**kids)) : NULL;
	if (!grown || pipe2(ep, O_CLOEXEC)) {
		e = grown ? errno : ENOMEM;
		z_say(Z_FAILED, m->id, 0, !argv || !envp ? EINVAL : e,
		      TRC_JOB_STAGE_SETUP);
		goto out;
	}
	*kids = grown;
	pid = _Fork();
	if (pid == 0) {
		close(ep[0]);
		z_job(ep[1], fds, m->tty != 0, cwd, argv, envp);
	}
	close(ep[1]);
	if (pid < 0) {
		z_say(Z_FAILED, m->id, 0, errno, TRC_JOB_STAGE_SETUP);
		goto out;
	}
	do
		got = read(ep[0], err, sizeof(err));
	while (got < 0 && errno == EINTR);
	if (got == 0) {
		(*kids)[(*n_kids)++] = pid;
		z_say(Z_STARTED, m->id, pid, 0, 0);
		goto out;
	}
	/* it exits at once: reap it here, unreported as a job */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	z_say(Z_FAILED, m->id, 0, got == sizeof(err) ? err[0] : EIO,
	      got == sizeof(err) ? err[1] : TRC_JOB_STAGE_SETUP);
out:
	if (ep[0] >= 0)
		close(ep[0]);
	free(argv);
	free(envp);
}

/* Forward a signal to a job that has not been reaped yet. */
static void z_signal(const struct zmsg *m, const pid_t *kids, size_t n_kids)
{
	size_t i;

	for (i = 0; i < n_kids && kids[i] != m->pid; i++)
		;
	if (i == n_kids || m->pid <= 0 || m->a <= 0 || m->a >= NSIG)
		return;
	if (kill(-m->pid, m->a))	/* the group the job made */
		kill(m->pid, m->a);	/* or the job alone, if it left it */
}

/* Read one request; false at EOF or on an error of the socket. */
static bool z_read(char *buf, pid_t **kids, size_t *n_kids)
{
	int fds[3] = { -1, -1, -1 }, flags;
	unsigned int nfd, i;
	struct zmsg m;
	ssize_t n;

	n = fdpass_recv(Z_FD, buf, Z_MAX, MSG_DONTWAIT | MSG_CMSG_CLOEXEC,
			fds, 3, &nfd, &flags);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	if (n == 0)
		return false;
	if ((size_t)n >= sizeof(m)) {
		memcpy(&m, buf, sizeof(m));
		if (m.type == Z_EXEC && nfd == 3 && !(flags & MSG_CTRUNC))
			z_exec(buf, (size_t)n, fds, kids, n_kids);
		else if (m.type == Z_EXEC)
			z_say(Z_FAILED, m.id, 0, EBADF, TRC_JOB_STAGE_SETUP);
		else if (m.type == Z_SIGNAL)
			z_signal(&m, *kids, *n_kids);
	}
	for (i = 0; i < nfd; i++)
		close(fds[i]);
	return true;
}

/* Reap the jobs that ended and say so. */
static void z_reap(int sfd, pid_t *kids, size_t *n_kids)
{
	struct signalfd_siginfo si;
	int status;
	size_t i;
	pid_t pid;

	while (read(sfd, &si, sizeof(si)) == sizeof(si))
		;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < *n_kids && kids[i] != pid; i++)
			;
		if (i == *n_kids)
			continue;
		kids[i] = kids[--*n_kids];
		z_say(Z_EXITED, 0, pid, status, 0);
	}
}

/*
 * z_fds() - in the intermediate child: keep @zfd as Z_FD and /dev/null
 * as 0, 1 and 2, close every other fd
 *
 * Done before the zygote is forked, so that it never holds the error
 * pipe of the program's exec: the supervisor takes that pipe's closing
 * for the exec (trc__wait_exec() in early.c) and holds the calls made
 * before it.  A zygote that closed its copy itself, a moment after the
 * program's exec, let the program's first calls escape the sandbox,
 * before calls were held; now it would delay them.
 *
 * Return: 0, or -1 when the fds cannot be set
 */
static int z_fds(int zfd, int nul)
{
	int fd;

	/* above 0..3 first: either may sit where the other goes (a
	 * supervisor started with a std fd closed) */
	zfd = fcntl(zfd, F_DUPFD_CLOEXEC, 10);
	nul = fcntl(nul, F_DUPFD_CLOEXEC, 10);
	if (zfd < 0 || nul < 0 || dup2(zfd, Z_FD) < 0)
		return -1;
	for (fd = 0; fd < 3; fd++)
		if (dup2(nul, fd) < 0)
			return -1;
	if (syscall(SYS_close_range, Z_FD + 1, ~0U, 0))
		for (fd = Z_FD + 1; fd < 65536; fd++)
			close(fd);
	return fcntl(Z_FD, F_SETFD, FD_CLOEXEC);
}

/* The zygote's life, its fds set by z_fds(): never returns. */
static void zygote(void)
{
	pid_t *kids = NULL;
	size_t n_kids = 0;
	struct pollfd p[2];
	bool open_ = true;
	sigset_t chld;
	char *buf;
	int sfd;

	setsid();
	prctl(PR_SET_NAME, "rrsandbox-exec");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	buf = malloc(Z_MAX);
	if (sfd < 0 || !buf)
		_exit(125);
	z_say(Z_HELLO, 0, getpid(), 0, 0);
	for (;;) {
		p[0] = (struct pollfd){ .fd = open_ ? Z_FD : -1, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			_exit(125);
		if (p[1].revents)
			z_reap(sfd, kids, &n_kids);
		if (open_ && p[0].revents)
			open_ = z_read(buf, &kids, &n_kids);
		if (!open_ && !n_kids)
			_exit(0);
	}
}

/**
 * trc__exec_fork() - in the program's child before exec: start the zygote
 * @zfd:	its end of the supervisor's socket
 * @nul:	/dev/null, opened before the filter (an open for writing
 *		would be trapped, and nothing answers it before the loop)
 *
 * Returns in the caller once the intermediate child is reaped, so the
 * program never sees a child of its own, and by then the zygote holds
 * none of the caller's fds but @zfd (and /dev/null): the caller's exec
 * closes the last copy of what it marked close-on-exec.
 */
void trc__exec_fork(int zfd, int nul)
{
	pid_t mid = _Fork();

	if (mid == 0) {
		if (z_fds(zfd, nul) == 0 && _Fork() == 0)
			zygote();
		_exit(0);
	}
	if (mid > 0)
		while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
			;
}

/* ---- in the supervisor ---- */

static void job_free(struct trc__exec *x, struct trc_job *j)
{
	struct trc_job **pp;

	for (pp = &x->jobs; *pp && *pp != j; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = j->next;
	x->n_jobs--;
	free(j);
}

/* Tell @j's owner (if any) and forget @j. */
static void job_end(struct trc__exec *x, struct trc_job *j,
		    const struct trc_job_news *n)
{
	trc_job_fn *fn = j->fn;
	void *arg = j->arg;

	job_free(x, j);
	if (fn)
		fn(arg, n);
}

static void job_exited(struct trc__exec *x, struct trc_job *j, int status)
{
	struct trc_job_news n = { TRC_JOB_EXITED, j->pid, status, 0, 0 };

	job_end(x, j, &n);
}

static void job_failed(struct trc__exec *x, struct trc_job *j, int err,
		       int stage)
{
	struct trc_job_news n = { TRC_JOB_FAILED, 0, 0, err, stage };

	job_end(x, j, &n);
}

static bool any_pending(const struct trc__exec *x)
{
	const struct trc_job *j;

	for (j = x->jobs; j && j->pid; j = j->next)
		;
	return j != NULL;
}

static struct trc_job *job_by_id(struct trc__exec *x, uint32_t id)
{
	struct trc_job *j;

	for (j = x->jobs; j && !(j->id == id && !j->pid); j = j->next)
		;
	return j;
}

static struct trc_job *job_by_pid(struct trc__exec *x, pid_t pid)
{
	struct trc_job *j;

	for (j = x->jobs; j && !(pid > 0 && j->pid == pid); j = j->next)
		;
	return j;
}

/* A job's status the supervisor reaped before it learnt the job's pid */
static bool orphan_take(struct trc__exec *x, pid_t pid, int *status)
{
	unsigned int i;

	for (i = 0; i < TRC__ORPHANS_N; i++) {
		if (x->orphan_pid[i] == pid) {
			x->orphan_pid[i] = 0;
			*status = x->orphan_status[i];
			return true;
		}
	}
	return false;
}

/* Every job still waiting for STARTED fails: the zygote is gone. */
static void fail_pending(struct trc__exec *x)
{
	struct trc_job *j, *next;

	for (j = x->jobs; j; j = next) {
		next = j->next;
		if (!j->pid)
			job_failed(x, j, ESRCH, TRC_JOB_STAGE_SETUP);
	}
}

static void zygote_gone(struct trc__exec *x)
{
	if (x->fd < 0)
		return;
	if (x->polling)
		uv_poll_stop(&x->poll);
	x->open = false;
	x->gone = true;
	fail_pending(x);
}

static void on_zmsg(struct trc__exec *x, const struct zmsg *m)
{
	struct trc_job *j;
	int status;

	switch (m->type) {
	case Z_HELLO:
		if (!x->zpid && m->pid > 0)
			x->zpid = m->pid;
		return;
	case Z_STARTED:
		if (!(j = job_by_id(x, m->id)) || m->pid <= 0 ||
		    job_by_pid(x, m->pid))
			return;
		j->pid = m->pid;
		if (j->hup)
			trc_job_signal(j, j->hup);
		if (j->fn) {
			struct trc_job_news n = { TRC_JOB_STARTED, j->pid, 0, 0, 0 };

			j->fn(j->arg, &n);
		}
		/* @fn may detach @j, never free it */
		if (orphan_take(x, j->pid, &status))
			job_exited(x, j, status);
		if (!any_pending(x))
			memset(x->orphan_pid, 0, sizeof(x->orphan_pid));
		return;
	case Z_FAILED:
		if ((j = job_by_id(x, m->id)))
			job_failed(x, j, m->a > 0 && m->a < 4096 ? m->a : EIO,
				   m->b);
		return;
	case Z_EXITED:
		if ((j = job_by_pid(x, m->pid)))
			job_exited(x, j, m->a);
		return;
	default:
		return;
	}
}

/* Take every message the zygote sent; at its socket's end, it is gone. */
static void zygote_read(struct trc__exec *x, bool failed)
{
	struct zmsg m;
	ssize_t n;

	while (x->fd >= 0 && !x->gone) {
		n = recv(x->fd, &m, sizeof(m), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR) && !failed)
			return;
		if (n <= 0) {
			debug("exec: the zygote's socket closed");
			zygote_gone(x);
			return;
		}
		if ((size_t)n == sizeof(m))
			on_zmsg(x, &m);
	}
}

static void on_zygote(uv_poll_t *p, int status, int events)
{
	(void)events;
	zygote_read(p->data, status < 0);
}

/**
 * trc__exec_prepare() - the zygote's socket, before the program's fork
 * @x:		the state, zeroed
 * @child:	set to the end for the child (close-on-exec)
 *
 * Return: 0 or a negative errno
 */
int trc__exec_prepare(struct trc__exec *x, int *child)
{
	int sp[2];

	x->fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp))
		return -errno;
	x->fd = sp[0];
	*child = sp[1];
	return 0;
}

/**
 * trc__exec_start() - watch the zygote once the program runs
 * @x:		the state
 * @loop:	the loop
 */
void trc__exec_start(struct trc__exec *x, uv_loop_t *loop)
{
	if (x->fd < 0)
		return;
	if (uv_poll_init(loop, &x->poll, x->fd) < 0) {
		close(x->fd);
		x->fd = -1;
		return;
	}
	x->polling = true;
	x->open = true;
	x->poll.data = x;
	uv_poll_start(&x->poll, UV_READABLE | UV_DISCONNECT, on_zygote);
}

/**
 * trc__exec_main_exited() - the program exited: no new jobs
 * @x:		the state
 *
 * The zygote reads EOF and leaves once its jobs are done; what it says
 * about them until then is still heard.
 */
void trc__exec_main_exited(struct trc__exec *x)
{
	if (x->fd >= 0 && x->open)
		shutdown(x->fd, SHUT_WR);
	x->open = false;
}

/**
 * trc__exec_reaped() - the supervisor reaped @pid
 * @x:		the state
 * @pid:	the process
 * @status:	its wait status
 *
 * A job is reaped here only when its zygote died first (the job then
 * became our child).  Its pid may not be known yet (STARTED still in the
 * socket): while a job waits for it, the statuses of processes we do not
 * know are kept (the last TRC__ORPHANS_N), and forgotten once none
 * waits, so a pid used again later cannot match a stale one.
 */
void trc__exec_reaped(struct trc__exec *x, pid_t pid, int status)
{
	struct trc_job *j;

	if (x->zpid && pid == x->zpid) {
		/* what it said before it died first: a job it reaped must
		 * not be signalled by pid from here on */
		x->zpid = 0;
		zygote_read(x, true);
		x->gone = true;
	}
	if ((j = job_by_pid(x, pid))) {
		job_exited(x, j, status);
		return;
	}
	if (!any_pending(x))
		return;
	x->orphan_pid[x->orphan_next] = pid;
	x->orphan_status[x->orphan_next] = status;
	x->orphan_next = (x->orphan_next + 1) % TRC__ORPHANS_N;
}

/**
 * trc__exec_close() - drop every job (unannounced) and the socket
 * @x:		the state
 * @cb:		close callback for the poll handle
 * @data:	set as the handle's data for @cb
 *
 * Return: 1 if a handle is closing (and @cb will be called), else 0
 */
int trc__exec_close(struct trc__exec *x, uv_close_cb cb, void *data)
{
	while (x->jobs)
		job_free(x, x->jobs);
	if (!x->polling) {
		if (x->fd >= 0)
			close(x->fd);
		x->fd = -1;
		return 0;
	}
	x->polling = false;
	x->poll.data = data;
	uv_close((uv_handle_t *)&x->poll, cb);	/* stops watching @fd now */
	close(x->fd);
	x->fd = -1;
	return 1;
}

/* Send one EXEC request with the job's three fds. */
static int send_exec(struct trc__exec *x, uint32_t id,
		     const struct trc_exec_req *r)
{
	struct zmsg m = { Z_EXEC, id, 0, 0, 0, r->tty };
	struct iovec iov[2];
	size_t len = strlen(r->cwd) + 1, i;
	char *s, *p;
	ssize_t n;

	for (i = 0; r->argv[i]; i++)
		len += strlen(r->argv[i]) + 1;
	m.a = (int32_t)i;
	for (i = 0; r->envp[i]; i++)
		len += strlen(r->envp[i]) + 1;
	m.b = (int32_t)i;
	if (len > TRC_EXEC_MAX)
		return -E2BIG;
	if (!(s = malloc(len)))
		return -ENOMEM;
	p = stpcpy(s, r->cwd) + 1;
	for (i = 0; r->argv[i]; i++)
		p = stpcpy(p, r->argv[i]) + 1;
	for (i = 0; r->envp[i]; i++)
		p = stpcpy(p, r->envp[i]) + 1;
	iov[0] = (struct iovec){ &m, sizeof(m) };
	iov[1] = (struct iovec){ s, len };
	n = fdpass_send(x->fd, iov, 2, r->fds, 3, MSG_DONTWAIT | MSG_NOSIGNAL);
	free(s);
	if (n < 0)
		return errno == EAGAIN ? -EBUSY : -errno;
	return 0;
}

/**
 * trc__exec() - trc_exec() on the tracer's zygote state
 * @x:		the state
 * @r:		what to run
 * @fn:		told what becomes of it
 * @arg:	for @fn
 * @out:	set to the job
 *
 * Return: 0, -ESRCH when there is no zygote (--no-exec, or the program
 * has exited), -ECHILD when it died (killed by a program of the sandbox,
 * which shares its uid), -EAGAIN at TRC_JOBS_MAX jobs, -E2BIG for a request over
 * TRC_EXEC_MAX, -EINVAL for a bad request, another negative errno
 */
int trc__exec(struct trc__exec *x, const struct trc_exec_req *r,
	      trc_job_fn *fn, void *arg, struct trc_job **out)
{
	struct trc_job *j;
	int ret, i;

	if (!r || !r->argv || !r->argv[0] || !r->envp || !r->cwd || !fn)
		return -EINVAL;
	for (i = 0; i < 3; i++)
		if (r->fds[i] < 0)
			return -EBADF;
	if (x->gone)
		return -ECHILD;
	if (x->fd < 0 || !x->open)
		return -ESRCH;
	if (x->n_jobs >= TRC_JOBS_MAX)
		return -EAGAIN;
	if (!(j = calloc(1, sizeof(*j))))
		return -ENOMEM;
	j->x = x;
	j->id = ++x->next_id ? x->next_id : ++x->next_id;
	j->fn = fn;
	j->arg = arg;
	if ((ret = send_exec(x, j->id, r))) {
		free(j);
		return ret;
	}
	j->next = x->jobs;
	x->jobs = j;
	x->n_jobs++;
	*out = j;
	return 0;
}

/**
 * trc_job_signal() - send @sig to a started job's process group
 * @j:		the job
 * @sig:	the signal
 *
 * Through the zygote, which sends it only while the job is its unreaped
 * child; when the zygote is gone the job is the supervisor's child and
 * the supervisor sends it, as it has not reaped the job either.
 *
 * Return: 0, -ESRCH before the job started, -EINVAL for a bad signal
 */
int trc_job_signal(struct trc_job *j, int sig)
{
	struct trc__exec *x = j->x;
	struct zmsg m = { Z_SIGNAL, 0, j->pid, sig, 0, 0 };

	if (sig <= 0 || sig >= NSIG)
		return -EINVAL;
	if (!j->pid)
		return -ESRCH;
	if (!x->gone && x->fd >= 0) {
		if (send(x->fd, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			return -errno;
		return 0;
	}
	if (kill(-j->pid, sig) && kill(j->pid, sig))
		return -errno;
	return 0;
}

/**
 * trc_job_detach() - no more news of @j: its owner is going
 * @j:		the job
 * @sig:	a signal for it (as trc_job_signal(); once it started, if it
 *		has not yet), or 0
 *
 * The job runs on (unless @sig ends it); it is forgotten when it ends.
 */
void trc_job_detach(struct trc_job *j, int sig)
{
	j->fn = NULL;
	j->arg = NULL;
	if (sig > 0 && sig < NSIG && j->pid)
		trc_job_signal(j, sig);
	else if (sig > 0 && sig < NSIG)
		j->hup = sig;
}

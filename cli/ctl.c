/* SPDX-License-Identifier: MIT */
/*
 * ctl.c - the control socket server: rrctl's requests on the supervisor's
 * loop.
 *
 * main.c creates it (ctl_dir_prepare(), ctl_new()) before the program
 * starts and frees it on the way out; each request goes to the ctl_run_fn
 * main.c gives (cli_cmd_run()).  Messages are ctlmsg.c's.  Knows nothing
 * of commands or the network.
 *
 * Any local process of our uid may connect, and one that connects and
 * says nothing must not stall anything: every socket is non-blocking,
 * each client has its own state and idle timer, at most CTL_CONN_MAX are
 * served at once (more are closed on accept), and clients of another uid
 * are closed without a word.
 *
 * Theory of operation, per client:
 *  - READING: polled for UV_READABLE; one RUN message is run at once and
 *    its reply starts SENDING.  A malformed message gets a RESULT with
 *    -EBADMSG or -EPROTO, then the client is closed.
 *  - SENDING: the reply goes out as RESULT chunks (ctlmsg.h); when the
 *    client's queue is full the rest waits for UV_WRITABLE.  Then back to
 *    READING (or closed, after an error reply).
 *  - closed on EOF, a socket error, or CTL_IDLE_MS without progress.
 *  - EXEC (`rrctl exec`): the program is started through ctl_exec_ops,
 *    the client gets STARTED, then EXITED and EOF; or a RESULT with the
 *    error and EOF.  The connection belongs to the program for its life:
 *    no idle timer, no other request; SIGNAL messages are passed on;
 *    when the client goes first, the program gets SIGHUP (as from a
 *    terminal's hangup) and runs on without news.
 *  - CAPTURE (`rrctl capture`): the stream starts through
 *    ctl_capture_ops with the fd the client sent, the client gets
 *    STARTED; a SIGNAL stops it, and then, or when it ended by itself
 *    (ctl_capture_end()), a RESULT with its counts and EOF.  No idle
 *    timer, no other request; the stream stops when the client goes.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "ctlmsg.h"
#include "fdpass.h"
#include "log.h"
#include "trc.h"

/**
 * struct conn - one client
 * @poll:	its socket on the loop
 * @timer:	closes it when idle
 * @ctl:	the server
 * @next:	next client
 * @fd:		the accepted socket
 * @handles:	handles not yet closed (the memory goes when 0)
 * @out:	the reply being sent
 * @sent:	bytes of @out sent
 * @status:	the reply's status
 * @sending:	whether a reply is being sent
 * @close_after: close once the reply is out
 * @flags:	the reply's flags besides CTL_RESULT_MORE
 * @exec:	an EXEC was taken: the connection is its program's
 * @job:	the program, until it ended or was detached
 * @pid:	its pid once STARTED, else 0
 * @early_sig:	the last SIGNAL that came before STARTED, or 0
 * @prog:	its argv[0], or the captured device, for messages
 * @cwd:	its directory, likewise
 * @capturing:	a CAPTURE was taken: the connection is its stream's
 * @capture:	the stream, until it ended or was stopped
 */
struct conn {
	uv_poll_t poll;
	uv_timer_t timer;
	struct ctl *ctl;
	struct conn *next;
	int fd;
	int handles;
	struct cli_out out;
	size_t sent;
	int32_t status;
	bool sending;
	bool close_after;
	uint32_t flags;
	bool exec;
	struct trc_job *job;
	pid_t pid;
	int early_sig;
	char *prog, *cwd;
	bool capturing;
	void *capture;
};

/**
 * struct ctl - the server
 * @loop:	the loop
 * @poll:	the listening socket on it
 * @retry:	restarts @poll after accept() ran out of file descriptors
 * @fd:		the listening socket
 * @path:	its path
 * @dev:	its device, to unlink only our own file
 * @ino:	its inode
 * @run:	runs a command
 * @arg:	for @run
 * @conns:	the clients
 * @n_conns:	how many
 * @n_alloc:	clients not freed yet (closing ones too)
 * @idle_ms:	idle timeout
 * @closing:	ctl_free() was called
 * @listening:	handles of the server not closed yet (@poll, @retry)
 * @exec_ops:	how to start `rrctl exec`'s programs, NULL: refused
 * @exec_arg:	for @exec_ops
 * @capture_ops: how to run `rrctl capture`'s streams, NULL: refused
 * @capture_arg: for @capture_ops
 * @buf:	one received message (+1 byte to see oversized ones)
 * @tx:		one message to send
 */
struct ctl {
	uv_loop_t *loop;
	uv_poll_t poll;
	uv_timer_t retry;
	int fd;
	char path[CTL_PATH_MAX];
	dev_t dev;
	ino_t ino;
	ctl_run_fn *run;
	void *arg;
	struct conn *conns;
	unsigned int n_conns;
	unsigned int n_alloc;
	unsigned int idle_ms;
	bool closing;
	unsigned int listening;
	const struct ctl_exec_ops *exec_ops;
	void *exec_arg;
	const struct ctl_capture_ops *capture_ops;
	void *capture_arg;
	uint8_t buf[CTL_MSG_MAX + 1];
	uint8_t tx[CTL_MSG_MAX];
};

static void conn_close(struct conn *k);

/* Free the server once ctl_free() ran and every handle is closed. */
static void maybe_free(struct ctl *c)
{
	if (c->closing && !c->listening && !c->n_alloc)
		free(c);
}

static void on_conn_closed(uv_handle_t *h)
{
	struct conn *k = h->data;
	struct ctl *c = k->ctl;

	if (--k->handles)
		return;
	close(k->fd);
	cli_out_free(&k->out);
	free(k->prog);
	free(k->cwd);
	free(k);
	c->n_alloc--;
	maybe_free(c);
}

/* Unlink, stop polling and free @k (its memory in the close callbacks). */
static void conn_close(struct conn *k)
{
	struct conn **pp;

	for (pp = &k->ctl->conns; *pp && *pp != k; pp = &(*pp)->next)
		;
	if (!*pp)
		return;		/* already closing */
	*pp = k->next;
	k->ctl->n_conns--;
	if (k->job) {	/* the client went first: hang up on its program */
		k->ctl->exec_ops->detach(k->job, SIGHUP);
		k->job = NULL;
	}
	if (k->capture) {	/* the client went first, or the server ends */
		k->ctl->capture_ops->stop(k->capture, NULL, NULL);
		k->capture = NULL;
	}
	uv_close((uv_handle_t *)&k->poll, on_conn_closed);
	uv_close((uv_handle_t *)&k->timer, on_conn_closed);
}

static void on_idle(uv_timer_t *t)
{
	struct conn *k = t->data;

	debug("control: client fd %d idle, closed", k->fd);
	conn_close(k);
}

static void on_conn(uv_poll_t *p, int status, int events);

/* Wait for @events, and restart the idle timer: the client made progress.
 * A program's connection has none: it lasts as long as the program; nor
 * has a capture's. */
static void conn_wait(struct conn *k, int events)
{
	uv_poll_start(&k->poll, events, on_conn);
	if (k->exec || k->capturing)
		uv_timer_stop(&k->timer);
	else
		uv_timer_start(&k->timer, on_idle, k->ctl->idle_ms, 0);
}

/*
 * conn_send() - send what is left of the reply
 * @k:		the client
 *
 * Return: 0 when all is sent, -EAGAIN when the client's queue is full,
 * another negative errno when the client is gone
 */
static int conn_send(struct conn *k)
{
	struct ctl_result m;
	ssize_t len;

	do {
		m.status = k->status;
		m.len = (uint32_t)(k->out.len - k->sent < CTL_TEXT_MAX ?
				   k->out.len - k->sent : CTL_TEXT_MAX);
		m.flags = k->flags |
			  (k->sent + m.len < k->out.len ? CTL_RESULT_MORE : 0);
		m.text = cli_out_text(&k->out) + k->sent;
		len = ctl_result_encode(&m, k->ctl->tx, sizeof(k->ctl->tx));
		if (len < 0)
			return (int)len;
		if (send(k->fd, k->ctl->tx, (size_t)len,
			 MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			return errno == EINTR ? -EAGAIN : -errno;
		k->sent += m.len;
	} while (m.flags & CTL_RESULT_MORE);
	return 0;
}

/* Start or continue a reply; on its end, read again or close. */
static void conn_reply(struct conn *k)
{
	int ret = conn_send(k);

	if (ret == -EAGAIN) {
		conn_wait(k, UV_WRITABLE);
		return;
	}
	if (ret || k->close_after) {
		conn_close(k);
		return;
	}
	k->sending = false;
	k->flags = 0;
	cli_out_reset(&k->out);
	conn_wait(k, UV_READABLE);
}

/* Reply with @status and the text already in k->out, then close. */
static void conn_fail(struct conn *k, int status)
{
	k->status = status;
	k->sent = 0;
	k->sending = true;
	k->close_after = true;
	conn_reply(k);
}

/* Reply with an error about the message itself, then close. */
static void conn_refuse(struct conn *k, int status, const char *why)
{
	debug("control: client fd %d: %s", k->fd, why);
	cli_out_reset(&k->out);
	cli_out_printf(&k->out, "%s\n", why);
	conn_fail(k, status);
}

/* Reply with the error of an EXEC, "exec: @a: @b", then close. */
static void exec_refuse(struct conn *k, int status, uint32_t flags,
			const char *a, const char *b)
{
	cli_out_reset(&k->out);
	cli_out_printf(&k->out, "exec: %s: %s\n", a, b);
	k->flags = flags;
	conn_fail(k, status);
}

/* Why trc_exec() (through ctl_exec_ops.start) refused */
static const char *exec_why(int ret)
{
	switch (ret) {
	case -ENOTSUP:
		return "the sandbox was started with --no-exec";
	case -ESRCH:
		return "the sandbox's program has exited";
	case -ECHILD:
		return "the sandbox's helper (rrsandbox-exec) is gone";
	case -EAGAIN:
		return "too many programs run through exec already";
	case -E2BIG:
		return "arguments and environment too long";
	default:
		return strerror(-ret);
	}
}

/* An EXEC of @len bytes in k->ctl->buf, with the @nfd fds received. */
static void conn_exec(struct conn *k, size_t len, int *fds, int nfd)
{
	struct ctl *c = k->ctl;
	struct trc_exec_req r = { .fds = { -1, -1, -1 } };
	char **argv = NULL, **envp = NULL;
	struct ctl_exec m;
	const char *cwd;
	int ret, i;

	if ((ret = ctl_exec_decode(c->buf, len, &m)) || nfd != 3) {
		conn_refuse(k, -EBADMSG, ret ? "malformed message" :
			    "exec without the three file descriptors");
		return;
	}
	argv = calloc((size_t)m.argc + 1, sizeof(*argv));
	envp = calloc((size_t)m.envc + 1, sizeof(*envp));
	if (!argv || !envp || ctl_exec_split(&m, &cwd, argv, envp)) {
		conn_refuse(k, argv && envp ? -EBADMSG : -ENOMEM,
			    argv && envp ? "malformed message" : "out of memory");
		goto out;
	}
	for (i = 0; i < 3; i++)
		r.fds[i] = fds[i];
	r.argv = argv;
	r.envp = envp;
	r.cwd = cwd;
	r.tty = m.flags & CTL_EXEC_TTY;
	k->prog = strdup(argv[0]);
	k->cwd = strdup(cwd);
	if (!k->prog || !k->cwd)
		ret = -ENOMEM;
	else if (!c->exec_ops)
		ret = -ENOTSUP;
	else
		ret = c->exec_ops->start(c->exec_arg, &r, k, &k->job);
	if (ret) {
		exec_refuse(k, ret, 0, argv[0], exec_why(ret));
		goto out;
	}
	debug("control: client fd %d: exec %s", k->fd, argv[0]);
	k->exec = true;
	conn_wait(k, UV_READABLE);
out:
	free(argv);
	free(envp);
}

/* Send a STARTED or EXITED; false when the client cannot take it. */
static bool conn_value(struct conn *k, int type, int32_t value)
{
	uint8_t msg[CTL_VALUE_LEN];
	ssize_t len = ctl_value_encode(type, value, msg, sizeof(msg));

	return len > 0 && send(k->fd, msg, (size_t)len,
			       MSG_DONTWAIT | MSG_NOSIGNAL) == len;
}

/**
 * ctl_job_news() - what became of a connection's program (trc_job_fn)
 * @conn:	the connection, as given to ctl_exec_ops.start
 * @n:		the news
 */
void ctl_job_news(void *conn, const struct trc_job_news *n)
{
	struct conn *k = conn;

	switch (n->ev) {
	case TRC_JOB_STARTED:
		k->pid = n->pid;
		if (k->early_sig)
			k->ctl->exec_ops->signal(k->job, k->early_sig);
		if (!conn_value(k, CTL_STARTED, n->pid))
			conn_close(k);	/* the program gets SIGHUP */
		return;
	case TRC_JOB_EXITED:
		k->job = NULL;	/* gone with this call */
		conn_value(k, CTL_EXITED, n->status);
		conn_close(k);
		return;
	case TRC_JOB_FAILED:
		k->job = NULL;
		if (n->stage == TRC_JOB_STAGE_CWD)
			exec_refuse(k, -n->err, 0, k->cwd, strerror(n->err));
		else if (n->stage == TRC_JOB_STAGE_EXEC && n->err == ENOENT &&
			 !strchr(k->prog, '/'))
			exec_refuse(k, -n->err, CTL_RESULT_EXEC, k->prog,
				    "command not found");
		else
			exec_refuse(k, -n->err, n->stage == TRC_JOB_STAGE_EXEC ?
				    CTL_RESULT_EXEC : 0, k->prog, strerror(n->err));
		return;
	}
}

/* A SIGNAL for the connection's program */
static void conn_signal(struct conn *k, size_t len)
{
	int32_t sig;

	if (ctl_value_decode(k->ctl->buf, len, CTL_SIGNAL, &sig) ||
	    sig <= 0 || sig >= NSIG) {
		conn_refuse(k, -EBADMSG, "malformed message");
		return;
	}
	if (!k->job)
		return;		/* it ended: EXITED is on its way */
	if (k->pid)
		k->ctl->exec_ops->signal(k->job, sig);
	else
		k->early_sig = sig;
}

/*
 * capture_done() - a capture's last RESULT, then close
 * @k:		its connection
 * @status:	0, or why it ended (-errno)
 * @why:	how it ended, NULL when the client stopped it
 * @frames:	frames it took
 * @dropped:	frames its reader was too slow for
 */
static void capture_done(struct conn *k, int status, const char *why,
			 uint64_t frames, uint64_t dropped)
{
	cli_out_reset(&k->out);
	if (why)
		cli_out_printf(&k->out, "capture on %s ended: %s (%" PRIu64
			       " frames, %" PRIu64 " dropped)\n", k->prog, why,
			       frames, dropped);
	else
		cli_out_printf(&k->out, "capture on %s: %" PRIu64 " frames, %"
			       PRIu64 " dropped\n", k->prog, frames, dropped);
	conn_fail(k, status);
}

/**
 * ctl_capture_end() - a connection's stream ended by itself
 * @conn:	the connection, as given to ctl_capture_ops.start
 * @err:	0 when its reader went away, -ENODEV when the device was
 *		removed, else the write's error
 * @frames:	frames it took
 * @dropped:	frames dropped for a slow reader
 */
void ctl_capture_end(void *conn, int err, uint64_t frames, uint64_t dropped)
{
	struct conn *k = conn;
	char why[160];

	k->capture = NULL;	/* gone with this call */
	if (!err)
		snprintf(why, sizeof(why), "its reader went away");
	else if (err == -ENODEV)
		snprintf(why, sizeof(why), "the device was removed");
	else
		snprintf(why, sizeof(why), "writing failed: %s", strerror(-err));
	capture_done(k, err, why, frames, dropped);
}

/* A CAPTURE of @len bytes in k->ctl->buf, with the @nfd fds received. */
static void conn_capture(struct conn *k, size_t len, const int *fds, int nfd)
{
	struct ctl *c = k->ctl;
	char name[CTL_DEV_MAX + 1], e[512] = "";
	const char *filter = "";
	struct ctl_run m;
	size_t dlen;
	int ret;

	if ((ret = ctl_capture_decode(c->buf, len, &m)) || nfd != 1) {
		conn_refuse(k, -EBADMSG, ret ? "malformed message" :
			    "capture without one file descriptor");
		return;
	}
	/* DEVICE, or DEVICE NUL FILTER; the text ends the datagram, and
	 * buf has a byte to spare for the filter's NUL */
	dlen = strnlen(m.text, m.len);
	if (dlen < m.len) {
		filter = m.text + dlen + 1;
		c->buf[CTL_RUN_HDR + m.len] = '\0';
		if (strlen(filter) != m.len - dlen - 1) {
			conn_refuse(k, -EINVAL, "capture: NUL byte in the filter");
			return;
		}
	}
	if (!dlen || dlen > CTL_DEV_MAX || memchr(m.text, '/', dlen)) {
		conn_refuse(k, -EINVAL, "capture: not a device name");
		return;
	}
	memcpy(name, m.text, dlen);
	name[dlen] = '\0';
	if (!(k->prog = strdup(name)))
		ret = -ENOMEM;
	else if (!c->capture_ops)
		ret = -ENOTSUP;
	else
		ret = c->capture_ops->start(c->capture_arg, name, filter, fds[0],
					    k, &k->capture, e, sizeof(e));
	if (ret) {
		cli_out_reset(&k->out);
		cli_out_printf(&k->out, "capture: %s: %s\n", name, *e ? e :
			       strerror(-ret));
		conn_fail(k, ret);
		return;
	}
	debug("control: client fd %d: capture on %s", k->fd, name);
	k->capturing = true;
	if (!conn_value(k, CTL_STARTED, 0)) {
		conn_close(k);	/* stops the stream */
		return;
	}
	conn_wait(k, UV_READABLE);
}

/* A SIGNAL on a capture's connection: stop it and say what it did. */
static void capture_signal(struct conn *k, size_t len)
{
	uint64_t frames = 0, dropped = 0;
	int32_t sig;

	if (ctl_value_decode(k->ctl->buf, len, CTL_SIGNAL, &sig)) {
		conn_refuse(k, -EBADMSG, "malformed message");
		return;
	}
	if (!k->capture)
		return;		/* it ended: its RESULT is on its way */
	k->ctl->capture_ops->stop(k->capture, &frames, &dropped);
	k->capture = NULL;
	capture_done(k, 0, NULL, frames, dropped);
}

/* Handle one received datagram of @len bytes in k->ctl->buf. */
static void conn_request(struct conn *k, size_t len)
{
	struct ctl *c = k->ctl;
	struct ctl_run m;
	int ret;

	if (ctl_msg_type(c->buf, len) == CTL_SIGNAL && k->exec) {
		conn_signal(k, len);
		return;
	}
	if (ctl_msg_type(c->buf, len) == CTL_SIGNAL && k->capturing) {
		capture_signal(k, len);
		return;
	}
	if (k->exec || k->capturing) {
		conn_refuse(k, -EPROTO, "unexpected message type");
		return;
	}
	ret = ctl_run_decode(c->buf, len, &m);
	if (ret == -EPROTO) {
		conn_refuse(k, ret, "unexpected message type");
		return;
	}
	if (ret || memchr(m.text, '\0', m.len)) {
		conn_refuse(k, -EBADMSG, ret ? "malformed message" :
			    "NUL byte in command");
		return;
	}
	/* The text ends the datagram, and buf has a byte to spare. */
	c->buf[CTL_RUN_HDR + m.len] = '\0';
	cli_out_reset(&k->out);
	k->status = c->run(c->arg, m.text, &k->out);
	k->sent = 0;
	k->sending = true;
	conn_reply(k);
}

static void conn_read(struct conn *k)
{
	unsigned int nfd, i;
	int fds[3], flags, type;
	bool fd_msg;
	ssize_t n;

	n = fdpass_recv(k->fd, k->ctl->buf, sizeof(k->ctl->buf),
			MSG_DONTWAIT | MSG_CMSG_CLOEXEC, fds, 3, &nfd, &flags);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		for (i = 0; i < nfd; i++)
			close(fds[i]);
		conn_close(k);
		return;
	}
	/* EXEC and CAPTURE carry fds and take the connection over */
	type = ctl_msg_type(k->ctl->buf, (size_t)n);
	fd_msg = type == CTL_EXEC || type == CTL_CAPTURE;
	if ((flags & MSG_TRUNC) || (size_t)n > CTL_MSG_MAX)
		conn_refuse(k, -EMSGSIZE, "message too long");
	else if (flags & MSG_CTRUNC)
		conn_refuse(k, -EBADMSG, "too many file descriptors");
	else if (!fd_msg && nfd)
		conn_refuse(k, -EBADMSG, "unexpected file descriptors");
	else if (!fd_msg)
		conn_request(k, (size_t)n);
	else if (k->exec || k->capturing)
		conn_refuse(k, -EPROTO, "one exec or capture per connection");
	else if (type == CTL_EXEC)
		conn_exec(k, (size_t)n, fds, (int)nfd);
	else
		conn_capture(k, (size_t)n, fds, (int)nfd);
	for (i = 0; i < nfd; i++)	/* trc_exec() sent its own, and a
					 * stream has its own */
		close(fds[i]);
}

static void on_conn(uv_poll_t *p, int status, int events)
{
	struct conn *k = p->data;

	if (status < 0) {
		conn_close(k);
		return;
	}
	if (k->sending)
		conn_reply(k);
	else if (events & UV_READABLE)
		conn_read(k);
}

/* Whether the peer on @fd runs as our uid. */
static bool peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) || len != sizeof(cr))
		return false;
	if (cr.uid != geteuid()) {
		debug("control: pid %d uid %u refused", (int)cr.pid,
		      (unsigned int)cr.uid);
		return false;
	}
	return true;
}

static void on_accept(uv_poll_t *p, int status, int events);

static void on_retry(uv_timer_t *t)
{
	struct ctl *c = t->data;

	uv_poll_start(&c->poll, UV_READABLE, on_accept);
}

static void on_accept(uv_poll_t *p, int status, int events)
{
	struct ctl *c = p->data;
	struct conn *k;
	int fd;

	fd = accept4(c->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE ||
		       errno == ENOBUFS || errno == ENOMEM)) {
		/* The pending client stays queued and the socket readable:
		 * pause instead of spinning on it. */
		warn_perror("control: accept");
		uv_poll_stop(&c->poll);
		uv_timer_start(&c->retry, on_retry, 1000, 0);
		return;
	}
	if (fd < 0)
		return;
	if (c->n_conns >= CTL_CONN_MAX || !peer_ok(fd) ||
	    !(k = calloc(1, sizeof(*k)))) {
		if (c->n_conns >= CTL_CONN_MAX)
			debug("control: %d clients already, one refused",
			      CTL_CONN_MAX);
		close(fd);
		return;
	}
	k->ctl = c;
	k->fd = fd;
	k->handles = 2;
	if (uv_poll_init(c->loop, &k->poll, fd) < 0) {
		close(fd);
		free(k);
		return;
	}
	uv_timer_init(c->loop, &k->timer);
	k->poll.data = k->timer.data = k;
	k->next = c->conns;
	c->conns = k;
	c->n_conns++;
	c->n_alloc++;
	conn_wait(k, UV_READABLE);
}

/**
 * ctl_dir_prepare() - make sure the control sockets' directory is ours
 * @dir:	the directory (ctl_dir_default())
 * @err:	a one-line reason on failure
 * @errlen:	its size
 *
 * Creates @dir with mode 0700 if missing.  Refuses one that is not a
 * directory, is owned by another uid, or is accessible by group or others:
 * another user could then replace our socket or take our sandbox names.
 *
 * Return: 0, or a negative errno with @err set
 */
int ctl_dir_prepare(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	int e;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		e = errno;
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(e));
		return -e;
	}
	if (lstat(dir, &st)) {
		e = errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "refusing %s: not a directory", dir);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen, "refusing %s: owned by uid %u, not by us "
			 "(%u)", dir, (unsigned int)st.st_uid,
			 (unsigned int)geteuid());
		return -EPERM;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "refusing %s: mode %04o, want no access "
			 "for group and others (chmod 700)", dir,
			 (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/*
 * claim() - make @path free for our socket
 * @path:	the socket's path
 * @name:	the sandbox name, for the message (NULL: none)
 * @err:	reason on failure
 * @errlen:	its size
 *
 * A socket nobody listens on (connect: ECONNREFUSED) was left by a
 * sandbox that died without cleaning up: it is removed.  One that answers
 * belongs to a live sandbox.
 *
 * Return: 0, or a negative errno with @err set
 */
static int claim(const char *path, const char *name, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, r, e;

	if (lstat(path, &st))
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "socket: %s", strerror(e));
		return -e;
	}
	memcpy(sa.sun_path, path, strlen(path));
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	e = errno;
	close(fd);
	if (r && e == ECONNREFUSED) {
		if (!unlink(path) || errno == ENOENT)
			return 0;
		e = errno;
		snprintf(err, errlen, "cannot remove stale %s: %s", path,
			 strerror(e));
		return -e;
	}
	if (name)
		snprintf(err, errlen, "sandbox name '%s' is in use (%s)", name, path);
	else
		snprintf(err, errlen, "control socket %s is in use%s%s", path,
			 r ? ": " : "", r ? strerror(e) : "");
	return -EADDRINUSE;
}

/* Bind (mode 0600) to @at and listen; the fd or -errno. */
static int bind_listen(const char *at, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "socket: %s", strerror(-ret));
		return ret;
	}
	memcpy(sa.sun_path, at, strlen(at));
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret || listen(fd, CTL_CONN_MAX)) {
		ret = -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", at,
			 strerror(-ret));
		close(fd);
		if (ret != -EADDRINUSE)
			unlink(at);
		return ret;
	}
	return fd;
}

/*
 * listen_at() - listen on @path, which appears only once it listens
 *
 * Bound straight to @path, the file would exist a moment before listen(),
 * and a client (or a second sandbox checking for a stale socket) would get
 * ECONNREFUSED.  So bind a private name, listen, then link() it to @path,
 * which also fails rather than replace a socket another sandbox made
 * meanwhile.  Paths too long for the private name are bound directly.
 *
 * Return: the fd, or a negative errno (-EADDRINUSE when @path was taken)
 */
static int listen_at(const char *path, char *err, size_t errlen)
{
	char tmp[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int fd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.%d~", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return bind_listen(path, err, errlen);
	unlink(tmp);
	fd = bind_listen(tmp, err, errlen);
	if (fd < 0)
		return fd;
	ret = link(tmp, path) ? -errno : 0;
	unlink(tmp);
	if (ret) {
		snprintf(err, errlen, ret == -EEXIST ?
			 "control socket %s is in use" : "cannot create %s: %s",
			 path, strerror(-ret));
		close(fd);
		return ret == -EEXIST ? -EADDRINUSE : ret;
	}
	return fd;
}

/**
 * ctl_new() - serve the control socket at @path
 * @loop:	the loop
 * @path:	the socket's path (the directory must exist)
 * @name:	the sandbox name, for messages; NULL for none
 * @run:	runs each request
 * @arg:	for @run
 * @out:	the server
 * @err:	a one-line reason on failure
 * @errlen:	its size
 *
 * Return: 0, or a negative errno with @err set: -EADDRINUSE when a live
 * sandbox holds @path, -ENAMETOOLONG, -EEXIST, or bind()'s error
 */
int ctl_new(uv_loop_t *loop, const char *path, const char *name,
	    ctl_run_fn *run, void *arg, struct ctl **out, char *err,
	    size_t errlen)
{
	struct stat st;
	struct ctl *c;
	int fd, ret;

	if (!loop || !path || !run || !out)
		return -EINVAL;
	if (!*path || strlen(path) >= sizeof(c->path)) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	if ((ret = claim(path, name, err, errlen)))
		return ret;
	if ((fd = listen_at(path, err, errlen)) < 0)
		return fd;
	if (!(c = calloc(1, sizeof(*c)))) {
		close(fd);
		unlink(path);
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	c->loop = loop;
	c->fd = fd;
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (!stat(path, &st)) {
		c->dev = st.st_dev;
		c->ino = st.st_ino;
	}
	c->run = run;
	c->arg = arg;
	c->idle_ms = CTL_IDLE_MS;
	/* libuv sets O_NONBLOCK with ioctl(FIONBIO) */
	if ((ret = uv_poll_init(loop, &c->poll, fd)) < 0) {
		snprintf(err, errlen, "cannot watch the control socket: %s (does "
			 "a seccomp profile refuse ioctl()?)", uv_strerror(ret));
		close(fd);
		unlink(path);
		free(c);
		return ret;
	}
	uv_timer_init(loop, &c->retry);
	c->poll.data = c->retry.data = c;
	c->listening = 2;
	uv_poll_start(&c->poll, UV_READABLE, on_accept);
	*out = c;
	return 0;
}

/**
 * ctl_set_exec() - let `rrctl exec` start programs
 * @c:		the server
 * @ops:	how (main.c: through the tracer); NULL: EXEC is refused
 * @arg:	for @ops->start
 */
void ctl_set_exec(struct ctl *c, const struct ctl_exec_ops *ops, void *arg)
{
	c->exec_ops = ops;
	c->exec_arg = arg;
}

/**
 * ctl_set_capture() - let `rrctl capture` tap devices
 * @c:		the server
 * @ops:	how (main.c: through the network); NULL: CAPTURE is refused
 * @arg:	for @ops->start
 */
void ctl_set_capture(struct ctl *c, const struct ctl_capture_ops *ops,
		     void *arg)
{
	c->capture_ops = ops;
	c->capture_arg = arg;
}

/**
 * ctl_set_idle() - change the idle timeout (for tests)
 * @c:		the server
 * @ms:		milliseconds; applies from each client's next activity
 */
void ctl_set_idle(struct ctl *c, unsigned int ms)
{
	c->idle_ms = ms;
}

/**
 * ctl_conns() - clients being served
 * @c:		the server
 *
 * Return: their number
 */
unsigned int ctl_conns(const struct ctl *c)
{
	return c->n_conns;
}

/**
 * ctl_path() - where the socket is
 * @c:		the server
 *
 * Return: its path
 */
const char *ctl_path(const struct ctl *c)
{
	return c->path;
}

static void on_listen_closed(uv_handle_t *h)
{
	struct ctl *c = h->data;

	if (--c->listening)
		return;
	close(c->fd);
	maybe_free(c);
}

/**
 * ctl_free() - stop serving, drop every client and remove the socket file
 * @c:		the server, or NULL; freed once its handles are closed, so
 *		the loop must run on
 */
void ctl_free(struct ctl *c)
{
	struct stat st;

	if (!c || c->closing)
		return;
	c->closing = true;
	/* Only our own file: after a stale takeover it may be another's. */
	if (!lstat(c->path, &st) && st.st_dev == c->dev && st.st_ino == c->ino)
		unlink(c->path);
	while (c->conns)
		conn_close(c->conns);
	uv_close((uv_handle_t *)&c->poll, on_listen_closed);
	uv_close((uv_handle_t *)&c->retry, on_listen_closed);
}

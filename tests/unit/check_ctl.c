/* SPDX-License-Identifier: MIT */
/*
 * check_ctl.c - unit tests of cli/ctl.c (the control socket server) and
 * cli/ctlmsg.c (its messages), with the real rrctl as a client too.
 *
 * Each test serves a socket in its own mkdtemp() directory on its own uv
 * loop; requests run through a fake ctl_run_fn (echo, fail, big output),
 * not the command language, which check_cmd covers.  Clients are ordinary
 * blocking SEQPACKET sockets speaking ctlmsg.c; since the server shares
 * the test's thread, a client waits by turning the loop (UV_RUN_NOWAIT)
 * and poll()ing its socket, with a deadline.  Every test ends with
 * ctl_free(), the loop run dry, and uv_loop_close() == 0.  Not covered:
 * refusing a client of another uid (needs a second user).
 *
 * `rrctl exec` runs through a fake struct ctl_exec_ops here (struct
 * fake_exec): it records what ctl.c hands it and plays the tracer's news
 * (ctl_job_news()) from a timer, so that the protocol and rrctl's exit
 * statuses are checked; scenario.exec runs real programs in a sandbox.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "cli/ctl.h"
#include "cli/ctlmsg.h"
#include "trc.h"

#define DEADLINE_MS	5000
#define BIG_LEN		(300u << 10)	/* several RESULT messages */

/**
 * struct fx - one test's loop, directory and server
 */
struct fx {
	uv_loop_t loop;
	char dir[64];
	char path[CTL_PATH_MAX];
	struct ctl *ctl;
	unsigned int runs;
	char err[256];
};

/* The fake command runner: "fail ..." fails, "big" is long, else echo. */
static int fake_run(void *arg, const char *line, struct cli_out *o)
{
	struct fx *f = arg;
	unsigned int i;

	f->runs++;
	if (!strncmp(line, "fail", 4)) {
		cli_out_printf(o, "no such thing: %s\n", line);
		return -ENOENT;
	}
	if (!strcmp(line, "big")) {
		for (i = 0; i < BIG_LEN / 16; i++)
			cli_out_printf(o, "%015u\n", i);
		return 0;
	}
	cli_out_printf(o, "ran: %s\n", line);
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	ck_assert_int_eq(uv_loop_init(&f->loop), 0);
	strcpy(f->dir, "/tmp/check_ctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/r1.sock", f->dir);
}

static void fx_serve(struct fx *f)
{
	int ret = ctl_new(&f->loop, f->path, "r1", fake_run, f, &f->ctl,
			  f->err, sizeof(f->err));

	ck_assert_msg(!ret, "ctl_new: %d %s", ret, f->err);
}

/* Free the server, run the loop dry, close it, remove the directory. */
static void fx_fini(struct fx *f)
{
	ctl_free(f->ctl);
	f->ctl = NULL;
	uv_run(&f->loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(&f->loop), 0);
	unlink(f->path);
	ck_assert_int_eq(rmdir(f->dir), 0);
}

static int client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Turn the loop until @fd is readable (or hung up); false at the deadline. */
static bool pump(struct fx *f, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t end = now_ms() + DEADLINE_MS;

	while (now_ms() < end) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		if (poll(&p, 1, 5) > 0)
			return true;
	}
	return false;
}

/* Turn the loop for @ms. */
static void pump_for(struct fx *f, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(2000);
	}
}

static void send_run(int fd, const char *text)
{
	static uint8_t buf[CTL_MSG_MAX];
	struct ctl_run m = { text, (uint32_t)strlen(text) };
	ssize_t len = ctl_run_encode(&m, buf, sizeof(buf));

	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(send(fd, buf, (size_t)len, 0), len);
}

/*
 * receive() - one whole reply
 * @f:		the fixture (its loop is turned while waiting)
 * @fd:		the client
 * @text:	the reply's text, NUL-terminated
 * @size:	its size
 * @parts:	how many RESULT messages it took
 *
 * Return: the status
 */
static int receive(struct fx *f, int fd, char *text, size_t size,
		   unsigned int *parts)
{
	static uint8_t buf[CTL_MSG_MAX + 1];
	struct ctl_result m;
	size_t len = 0;
	ssize_t n;

	*parts = 0;
	do {
		ck_assert_msg(pump(f, fd), "no reply in time");
		n = recv(fd, buf, sizeof(buf), 0);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(ctl_result_decode(buf, (size_t)n, &m), 0);
		ck_assert_uint_le(len + m.len, size - 1);
		memcpy(text + len, m.text, m.len);
		len += m.len;
		++*parts;
	} while (m.flags & CTL_RESULT_MORE);
	text[len] = '\0';
	return m.status;
}

/* After a refused message: the server closes the connection. */
static void expect_closed(struct fx *f, int fd)
{
	char b[16];

	ck_assert(pump(f, fd));
	ck_assert_int_eq(recv(fd, b, sizeof(b), MSG_DONTWAIT), 0);
}

/*
 * struct fake_exec - the tracer's side of `rrctl exec`, played
 * @start_ret:	what start() returns
 * @conn:	the connection start() was given
 * @starts:	start() calls
 * @argc, @envc: the request's counts
 * @prog:	its argv[0]
 * @cwd:	its directory
 * @ino:	the inodes of the three fds it came with
 * @tty:	the request's tty flag
 * @isatty0:	whether its fd 0 was a terminal
 * @sigs:	signals passed on, in order
 * @n_sigs:	how many
 * @detach_sig:	detach()'s signal, -1 before any
 * @news:	what to tell ctl.c after start(), one every 5 ms
 * @n_news:	how many
 * @next:	the next to tell
 * @timer:	tells them; closed by fake_fini()
 * @autogo:	start telling in start() (else fake_go())
 */
static struct fake_exec {
	int start_ret;
	void *conn;
	unsigned int starts;
	unsigned int argc, envc;
	char prog[64], cwd[256];
	ino_t ino[3];
	bool tty, isatty0;
	int sigs[8];
	unsigned int n_sigs;
	int detach_sig;
	struct trc_job_news news[2];
	unsigned int n_news, next;
	uv_timer_t timer;
	bool timer_init;
	bool autogo;
} fk;

static char fake_job;	/* only its address is used */

static void fake_tell(uv_timer_t *t)
{
	(void)t;
	if (fk.next >= fk.n_news)
		return;
	ctl_job_news(fk.conn, &fk.news[fk.next++]);
	if (fk.next < fk.n_news)
		uv_timer_start(&fk.timer, fake_tell, 5, 0);
}

static int fake_start(void *arg, const struct trc_exec_req *r, void *conn,
		      struct trc_job **job)
{
	struct stat st;
	int i;

	fk.starts++;
	fk.conn = conn;
	for (fk.argc = 0; r->argv[fk.argc]; fk.argc++)
		;
	for (fk.envc = 0; r->envp[fk.envc]; fk.envc++)
		;
	snprintf(fk.prog, sizeof(fk.prog), "%s", r->argv[0]);
	snprintf(fk.cwd, sizeof(fk.cwd), "%s", r->cwd);
	for (i = 0; i < 3; i++)
		fk.ino[i] = fstat(r->fds[i], &st) ? 0 : st.st_ino;
	fk.tty = r->tty;
	fk.isatty0 = isatty(r->fds[0]);
	if (fk.start_ret)
		return fk.start_ret;
	(void)arg;
	*job = (struct trc_job *)&fake_job;
	if (fk.autogo)
		uv_timer_start(&fk.timer, fake_tell, 5, 0);
	return 0;
}

static int fake_signal(struct trc_job *job, int sig)
{
	ck_assert_ptr_eq(job, (struct trc_job *)&fake_job);
	if (fk.n_sigs < 8)
		fk.sigs[fk.n_sigs++] = sig;
	return 0;
}

static void fake_detach(struct trc_job *job, int sig)
{
	ck_assert_ptr_eq(job, (struct trc_job *)&fake_job);
	fk.detach_sig = sig;
}

static const struct ctl_exec_ops fake_ops = {
	.start = fake_start,
	.signal = fake_signal,
	.detach = fake_detach,
};

/* A fresh fake on @f's server; @news told after start(), 5 ms apart. */
static void fake_init(struct fx *f, int start_ret,
		      const struct trc_job_news *news, unsigned int n_news)
{
	memset(&fk, 0, sizeof(fk));
	fk.start_ret = start_ret;
	fk.detach_sig = -1;
	if (n_news)	/* news may be NULL then: memcpy() must not see it */
		memcpy(fk.news, news, n_news * sizeof(*news));
	fk.n_news = n_news;
	uv_timer_init(&f->loop, &fk.timer);
	fk.timer_init = true;
	ctl_set_exec(f->ctl, &fake_ops, f);
}

/* Start telling the news (after the EXEC was taken). */
static void fake_go(void)
{
	uv_timer_start(&fk.timer, fake_tell, 5, 0);
}

/* Close the timer and let the loop finish closing it. */
static void fake_fini(struct fx *f)
{
	if (fk.timer_init) {
		uv_close((uv_handle_t *)&fk.timer, NULL);
		uv_run(&f->loop, UV_RUN_NOWAIT);
	}
	fk.timer_init = false;
}

/* Send an EXEC of @argv with @fds (NULL: none). */
static void send_exec(int fd, char **argv, const int *fds)
{
	static uint8_t buf[CTL_MSG_MAX];
	static char *envp[] = { "A=1", "PATH=/usr/bin:/bin", NULL };
	char cbuf[CMSG_SPACE(3 * sizeof(int))] = { 0 };
	struct iovec iov = { buf, 0 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t len = ctl_exec_encode(0, "/tmp", argv, envp, buf, sizeof(buf));
	struct cmsghdr *cm;

	ck_assert_int_gt(len, 0);
	iov.iov_len = (size_t)len;
	if (fds) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(3 * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, 3 * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(fd, &mh, 0), len);
}

/* The next message must be a STARTED or EXITED; its value. */
static int32_t receive_value(struct fx *f, int fd, int type)
{
	uint8_t buf[64];
	int32_t v = -1;
	ssize_t n;

	ck_assert_msg(pump(f, fd), "no message in time");
	n = recv(fd, buf, sizeof(buf), 0);
	ck_assert_int_eq(n, CTL_VALUE_LEN);
	ck_assert_int_eq(ctl_value_decode(buf, (size_t)n, type, &v), 0);
	return v;
}

/* ---- messages ---- */

START_TEST(ctl_msg_run_round_trip)
{
	uint8_t buf[64];
	struct ctl_run in = { "show links", 10 }, m;
	ssize_t len = ctl_run_encode(&in, buf, sizeof(buf));

	ck_assert_int_eq(len, CTL_RUN_HDR + 10);
	ck_assert_int_eq(ctl_msg_type(buf, (size_t)len), CTL_RUN);
	ck_assert_int_eq(ctl_run_decode(buf, (size_t)len, &m), 0);
	ck_assert_uint_eq(m.len, 10);
	ck_assert_mem_eq(m.text, "show links", 10);
	ck_assert_int_eq(ctl_run_decode(buf, (size_t)len - 1, &m), -EBADMSG);
	ck_assert_int_eq(ctl_run_decode(buf, 7, &m), -EBADMSG);
	ck_assert_int_eq(ctl_run_encode(&in, buf, 21), -EMSGSIZE);
	buf[0] ^= 1;
	ck_assert_int_eq(ctl_run_decode(buf, (size_t)len, &m), -EBADMSG);
}
END_TEST

START_TEST(ctl_msg_result_round_trip_and_checks)
{
	uint8_t buf[64];
	struct ctl_result in = { -ENODEV, CTL_RESULT_MORE, "no", 2 }, m;
	ssize_t len = ctl_result_encode(&in, buf, sizeof(buf));
	int32_t bad;

	ck_assert_int_eq(len, CTL_RESULT_HDR + 2);
	ck_assert_int_eq(ctl_result_decode(buf, (size_t)len, &m), 0);
	ck_assert_int_eq(m.status, -ENODEV);
	ck_assert_uint_eq(m.flags, CTL_RESULT_MORE);
	ck_assert_mem_eq(m.text, "no", 2);
	ck_assert_int_eq(ctl_run_decode(buf, (size_t)len, (struct ctl_run *)&m),
			 -EPROTO);
	bad = 5;	/* a positive status is no errno */
	memcpy(buf + 8, &bad, 4);
	ck_assert_int_eq(ctl_result_decode(buf, (size_t)len, &m), -EBADMSG);
	in.flags = 4;	/* unknown flag */
	len = ctl_result_encode(&in, buf, sizeof(buf));
	ck_assert_int_eq(ctl_result_decode(buf, (size_t)len, &m), -EBADMSG);
}
END_TEST

START_TEST(ctl_msg_exec_round_trip_and_checks)
{
	char *argv[] = { "ip", "route", "", NULL }, *envp[] = { "A=1", NULL };
	char *none[] = { NULL }, *av[4], *ev[2];
	uint8_t buf[256], one[CTL_VALUE_LEN];
	struct ctl_exec m;
	const char *cwd;
	ssize_t len;
	int32_t v;

	len = ctl_exec_encode(CTL_EXEC_TTY, "/srv", argv, envp, buf,
			      sizeof(buf));
	ck_assert_int_eq(len, CTL_EXEC_HDR + 5 + 3 + 6 + 1 + 4);
	ck_assert_int_eq(ctl_msg_type(buf, (size_t)len), CTL_EXEC);
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len, &m), 0);
	ck_assert_uint_eq(m.flags, CTL_EXEC_TTY);
	ck_assert_uint_eq(m.argc, 3);
	ck_assert_uint_eq(m.envc, 1);
	ck_assert_int_eq(ctl_exec_split(&m, &cwd, av, ev), 0);
	ck_assert_str_eq(cwd, "/srv");
	ck_assert_str_eq(av[0], "ip");
	ck_assert_str_eq(av[1], "route");
	ck_assert_str_eq(av[2], "");	/* an empty argument stays one */
	ck_assert_ptr_null(av[3]);
	ck_assert_str_eq(ev[0], "A=1");
	ck_assert_ptr_null(ev[1]);
	/* the counts must match the strings, the last must end */
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len - 1, &m), -EBADMSG);
	buf[12]++;
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len, &m), -EBADMSG);
	buf[12]--;
	buf[8] = 2;	/* an unknown flag */
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len, &m), -EBADMSG);
	buf[8] = 0;
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len, &m), 0);
	buf[len - 1] = 'x';
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len, &m), -EBADMSG);
	/* no program */
	ck_assert_int_eq(ctl_exec_encode(0, "/", none, envp, buf, sizeof(buf)),
			 -EINVAL);
	len = ctl_exec_encode(0, "/", argv, envp, buf, sizeof(buf));
	memset(buf + 12, 0, 4);
	buf[16] = 4;	/* argc 0, envc 4: as many strings, still refused */
	ck_assert_int_eq(ctl_exec_decode(buf, (size_t)len, &m), -EBADMSG);
	ck_assert_int_eq(ctl_exec_encode(0, "/srv", argv, envp, buf, 34), -E2BIG);
	ck_assert_int_eq(ctl_exec_encode(0, "/srv", argv, envp, buf, 10), -E2BIG);
	/* STARTED, SIGNAL, EXITED */
	ck_assert_int_eq(ctl_value_encode(CTL_EXITED, 0x0900, one, sizeof(one)),
			 CTL_VALUE_LEN);
	ck_assert_int_eq(ctl_value_decode(one, sizeof(one), CTL_EXITED, &v), 0);
	ck_assert_int_eq(v, 0x0900);
	ck_assert_int_eq(ctl_value_decode(one, sizeof(one), CTL_STARTED, &v),
			 -EPROTO);
	ck_assert_int_eq(ctl_value_decode(one, 8, CTL_EXITED, &v), -EBADMSG);
	ck_assert_int_eq(ctl_value_encode(CTL_SIGNAL, 2, one, 11), -EMSGSIZE);
}
END_TEST

START_TEST(ctl_msg_default_path)
{
	char p[CTL_PATH_MAX], name[200];

	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	ck_assert_int_eq(ctl_path_default("r1", p, sizeof(p)), 0);
	ck_assert_str_eq(p, "/run/user/1000/rrsandbox/r1.sock");
	setenv("XDG_RUNTIME_DIR", "relative", 1);
	ck_assert_int_eq(ctl_path_default("r1", p, sizeof(p)), 0);
	snprintf(name, sizeof(name), "/tmp/rrsandbox-%u/r1.sock",
		 (unsigned int)geteuid());
	ck_assert_str_eq(p, name);
	unsetenv("XDG_RUNTIME_DIR");
	ck_assert_int_eq(ctl_path_default("r1", p, sizeof(p)), 0);
	ck_assert_str_eq(p, name);
	ck_assert_int_eq(ctl_path_default("a/b", p, sizeof(p)), -EINVAL);
	ck_assert_int_eq(ctl_path_default("", p, sizeof(p)), -EINVAL);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(ctl_path_default(name, p, sizeof(p)), -ENAMETOOLONG);
}
END_TEST

/* ---- serving ---- */

START_TEST(ctl_run_command_replies)
{
	char text[256];
	unsigned int parts;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	fd = client(f.path);
	send_run(fd, "show links");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_str_eq(text, "ran: show links\n");
	ck_assert_uint_eq(parts, 1);
	/* a second request on the same connection; a failing one */
	send_run(fd, "fail now");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), -ENOENT);
	ck_assert_str_eq(text, "no such thing: fail now\n");
	ck_assert_uint_eq(f.runs, 2);
	close(fd);
	pump_for(&f, 20);
	ck_assert_uint_eq(ctl_conns(f.ctl), 0);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_big_reply_split_with_more)
{
	static char text[BIG_LEN + 64];
	unsigned int parts;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	fd = client(f.path);
	send_run(fd, "big");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_uint_eq(strlen(text), BIG_LEN);
	ck_assert_uint_eq(parts, (BIG_LEN + CTL_TEXT_MAX - 1) / CTL_TEXT_MAX);
	ck_assert(!strncmp(text + BIG_LEN - 16, "000000000019199\n", 16));
	/* still served afterwards */
	send_run(fd, "again");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_str_eq(text, "ran: again\n");
	close(fd);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_empty_command_empty_reply)
{
	char text[64];
	unsigned int parts;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	fd = client(f.path);
	send_run(fd, "");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_str_eq(text, "ran: \n");
	close(fd);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_wrong_type_refused)
{
	uint8_t buf[64];
	struct ctl_result m = { 0, 0, "hi", 2 };
	char text[256];
	unsigned int parts;
	ssize_t len;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	fd = client(f.path);
	len = ctl_result_encode(&m, buf, sizeof(buf));
	ck_assert_int_eq(send(fd, buf, (size_t)len, 0), len);
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), -EPROTO);
	ck_assert_str_eq(text, "unexpected message type\n");
	expect_closed(&f, fd);
	ck_assert_uint_eq(f.runs, 0);
	close(fd);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_short_and_malformed_refused)
{
	static const uint8_t tiny[3] = { 1, 2, 3 };
	uint8_t buf[64];
	struct ctl_run m = { "help", 4 };
	char text[256];
	unsigned int parts, round;
	ssize_t len;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	for (round = 0; round < 4; round++) {
		fd = client(f.path);
		len = ctl_run_encode(&m, buf, sizeof(buf));
		if (round == 0) {
			ck_assert_int_eq(send(fd, tiny, 3, 0), 3);
		} else {
			if (round == 1)
				buf[0] ^= 0xff;		/* magic */
			else if (round == 2)
				buf[8] = 9;		/* len field */
			else
				buf[CTL_RUN_HDR + 1] = '\0';	/* NUL in text */
			ck_assert_int_eq(send(fd, buf, (size_t)len, 0), len);
		}
		ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts),
				 -EBADMSG);
		expect_closed(&f, fd);
		close(fd);
	}
	ck_assert_uint_eq(f.runs, 0);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_oversized_refused)
{
	static uint8_t buf[CTL_MSG_MAX + 100];
	char text[256];
	unsigned int parts;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	fd = client(f.path);
	memset(buf, 'a', sizeof(buf));
	ck_assert_int_eq(send(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), -EMSGSIZE);
	expect_closed(&f, fd);
	close(fd);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_idle_client_blocks_nobody)
{
	char text[256];
	unsigned int parts;
	struct fx f;
	int idle, fd;

	fx_init(&f);
	fx_serve(&f);
	idle = client(f.path);
	pump_for(&f, 20);
	ck_assert_uint_eq(ctl_conns(f.ctl), 1);
	fd = client(f.path);
	send_run(fd, "x");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_str_eq(text, "ran: x\n");
	ck_assert_uint_eq(ctl_conns(f.ctl), 2);
	close(fd);
	close(idle);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_idle_client_timed_out)
{
	struct fx f;
	int idle;

	fx_init(&f);
	fx_serve(&f);
	ctl_set_idle(f.ctl, 50);
	idle = client(f.path);
	pump_for(&f, 20);
	ck_assert_uint_eq(ctl_conns(f.ctl), 1);
	expect_closed(&f, idle);
	ck_assert_uint_eq(ctl_conns(f.ctl), 0);
	close(idle);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_conn_limit_closes_extra)
{
	int fds[CTL_CONN_MAX + 1], i;
	char text[64];
	unsigned int parts;
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	for (i = 0; i < CTL_CONN_MAX; i++) {
		fds[i] = client(f.path);
		pump_for(&f, 2);
	}
	pump_for(&f, 20);
	ck_assert_uint_eq(ctl_conns(f.ctl), CTL_CONN_MAX);
	fds[i] = client(f.path);
	expect_closed(&f, fds[i]);
	close(fds[i]);
	/* a place frees up: served again */
	close(fds[0]);
	pump_for(&f, 20);
	fds[0] = client(f.path);
	send_run(fds[0], "y");
	ck_assert_int_eq(receive(&f, fds[0], text, sizeof(text), &parts), 0);
	for (i = 0; i < CTL_CONN_MAX; i++)
		close(fds[i]);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_out_of_fds_pauses_then_serves)
{
	struct rlimit old, low;
	char text[64];
	unsigned int parts;
	struct fx f;
	int fd, next;

	fx_init(&f);
	fx_serve(&f);
	fd = client(f.path);
	/* no fd left for accept() */
	next = dup(0);
	close(next);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)next;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	pump_for(&f, 50);
	ck_assert_uint_eq(ctl_conns(f.ctl), 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	/* the retry timer (1 s) accepts it */
	send_run(fd, "late");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_str_eq(text, "ran: late\n");
	close(fd);
	fx_fini(&f);
}
END_TEST

/* ---- the socket file ---- */

START_TEST(ctl_stale_socket_replaced)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char text[64];
	unsigned int parts;
	struct fx f;
	int fd;

	fx_init(&f);
	/* bound, never listening, closed: what a killed supervisor leaves */
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f.path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	fx_serve(&f);
	fd = client(f.path);
	send_run(fd, "z");
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	close(fd);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_live_socket_in_use)
{
	struct ctl *second = NULL;
	char err[256], want[256];
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	ck_assert_int_eq(ctl_new(&f.loop, f.path, "r1", fake_run, &f, &second,
				 err, sizeof(err)), -EADDRINUSE);
	ck_assert_ptr_null(second);
	snprintf(want, sizeof(want), "sandbox name 'r1' is in use (%s)", f.path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(ctl_new(&f.loop, f.path, NULL, fake_run, &f, &second,
				 err, sizeof(err)), -EADDRINUSE);
	ck_assert_ptr_nonnull(strstr(err, "is in use"));
	ck_assert_int_eq(access(f.path, F_OK), 0);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_not_a_socket_refused)
{
	struct ctl *c = NULL;
	char err[256];
	struct fx f;
	int fd;

	fx_init(&f);
	fd = open(f.path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ctl_new(&f.loop, f.path, "r1", fake_run, &f, &c, err,
				 sizeof(err)), -EEXIST);
	ck_assert_ptr_nonnull(strstr(err, "not a socket"));
	ck_assert_int_eq(access(f.path, F_OK), 0);	/* left alone */
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_socket_mode_0600)
{
	struct stat st;
	mode_t old = umask(0);
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	umask(old);
	ck_assert_int_eq(lstat(f.path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_str_eq(ctl_path(f.ctl), f.path);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_dir_created_0700_and_checked)
{
	char sub[128], err[256];
	struct stat st;
	struct fx f;
	int fd;

	fx_init(&f);
	snprintf(sub, sizeof(sub), "%s/rrsandbox", f.dir);
	ck_assert_int_eq(ctl_dir_prepare(sub, err, sizeof(err)), 0);
	ck_assert_int_eq(lstat(sub, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(ctl_dir_prepare(sub, err, sizeof(err)), 0);
	chmod(sub, 0750);
	ck_assert_int_eq(ctl_dir_prepare(sub, err, sizeof(err)), -EPERM);
	ck_assert_ptr_nonnull(strstr(err, "mode 0750"));
	ck_assert_int_eq(rmdir(sub), 0);
	/* a file, or a symlink to a good directory, is refused */
	fd = open(sub, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ck_assert_int_eq(ctl_dir_prepare(sub, err, sizeof(err)), -ENOTDIR);
	unlink(sub);
	ck_assert_int_eq(symlink(f.dir, sub), 0);
	ck_assert_int_eq(ctl_dir_prepare(sub, err, sizeof(err)), -ENOTDIR);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/no/such", f.dir);
	ck_assert_int_eq(ctl_dir_prepare(sub, err, sizeof(err)), -ENOENT);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_socket_removed_on_free)
{
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	ck_assert_int_eq(access(f.path, F_OK), 0);
	ctl_free(f.ctl);
	f.ctl = NULL;
	ck_assert_int_eq(access(f.path, F_OK), -1);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_free_leaves_others_file)
{
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	/* someone replaced our file: not ours to remove */
	unlink(f.path);
	fd = open(f.path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ctl_free(f.ctl);
	f.ctl = NULL;
	ck_assert_int_eq(access(f.path, F_OK), 0);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_free_with_clients_connected)
{
	struct fx f;
	int a, b;

	fx_init(&f);
	fx_serve(&f);
	a = client(f.path);
	b = client(f.path);
	send_run(b, "x");
	pump_for(&f, 20);
	ck_assert_uint_eq(ctl_conns(f.ctl), 2);
	fx_fini(&f);
	close(a);
	close(b);
}
END_TEST

/* ---- the real rrctl ---- */

/**
 * struct child - rrctl run on the loop
 */
struct child {
	uv_process_t proc;
	int64_t status;
	bool done;
};

static void on_child_exit(uv_process_t *p, int64_t status, int sig)
{
	struct child *c = p->data;

	c->status = status;
	c->done = true;
	uv_close((uv_handle_t *)p, NULL);
}

/* Run rrctl with @args; its exit status, stdout and stderr. */
static int rrctl(struct fx *f, char **args, char *out, char *errs, size_t size)
{
	char o_path[160], e_path[160];
	uv_stdio_container_t io[3];
	uv_process_options_t po;
	struct child c = { 0 };
	uint64_t end = now_ms() + DEADLINE_MS;
	int o, e;
	ssize_t n;

	snprintf(o_path, sizeof(o_path), "%s/out", f->dir);
	snprintf(e_path, sizeof(e_path), "%s/err", f->dir);
	o = open(o_path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	e = open(e_path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	memset(&po, 0, sizeof(po));
	io[0].flags = UV_IGNORE;
	io[1].flags = io[2].flags = UV_INHERIT_FD;
	io[1].data.fd = o;
	io[2].data.fd = e;
	po.file = RRCTL_PATH;
	po.args = args;
	po.stdio = io;
	po.stdio_count = 3;
	po.exit_cb = on_child_exit;
	c.proc.data = &c;
	ck_assert_int_eq(uv_spawn(&f->loop, &c.proc, &po), 0);
	while (!c.done && now_ms() < end)
		uv_run(&f->loop, UV_RUN_ONCE);
	ck_assert(c.done);
	uv_run(&f->loop, UV_RUN_NOWAIT);	/* the close callback */
	n = pread(o, out, size - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	n = pread(e, errs, size - 1, 0);
	errs[n > 0 ? n : 0] = '\0';
	close(o);
	close(e);
	unlink(o_path);
	unlink(e_path);
	return (int)c.status;
}

START_TEST(ctl_rrctl_exit_codes_and_output)
{
	char out[4096], errs[4096], bad[200];
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	{
		char *args[] = { "rrctl", "-s", f.path, "route", "add", "10.0.0.0/8",
				 "dev", "eth0", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 0);
		ck_assert_str_eq(out, "ran: route add 10.0.0.0/8 dev eth0\n");
		ck_assert_str_eq(errs, "");
	}
	{
		char *args[] = { "rrctl", "--control", f.path, "fail", "it", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 1);
		ck_assert_str_eq(out, "");
		ck_assert_str_eq(errs, "rrctl: no such thing: fail it\n");
	}
	{
		char *args[] = { "rrctl", "-s", f.path, "big", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 0);
	}
	snprintf(bad, sizeof(bad), "%s/none.sock", f.dir);
	{
		char *args[] = { "rrctl", "-s", bad, "help", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 2);
		ck_assert_ptr_nonnull(strstr(errs, bad));
	}
	{
		char *args[] = { "rrctl", "-s", f.path, NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 2);
		ck_assert_ptr_nonnull(strstr(errs, "no command"));
	}
	{
		char *args[] = { "rrctl", "-n", "r1", "-s", f.path, "x", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 2);
	}
	{
		char *args[] = { "rrctl", "--help", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 0);
		ck_assert_ptr_nonnull(strstr(out, "Usage: rrctl"));
	}
	ck_assert_uint_eq(f.runs, 3);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_rrctl_finds_name_in_default_dir)
{
	char out[4096], errs[4096], dir[96];
	struct fx f;

	fx_init(&f);
	setenv("XDG_RUNTIME_DIR", f.dir, 1);
	snprintf(dir, sizeof(dir), "%s/rrsandbox", f.dir);
	ck_assert_int_eq(ctl_dir_prepare(dir, errs, sizeof(errs)), 0);
	snprintf(f.path, sizeof(f.path), "%s/r1.sock", dir);
	fx_serve(&f);
	{
		char *args[] = { "rrctl", "-n", "r1", "hello", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 0);
		ck_assert_str_eq(out, "ran: hello\n");
	}
	{
		char *args[] = { "rrctl", "only", "one", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 0);
		ck_assert_str_eq(out, "ran: only one\n");
	}
	{
		char *args[] = { "rrctl", "-n", "r2", "hello", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(out)), 2);
		ck_assert_ptr_nonnull(strstr(errs, "r2.sock"));
	}
	ctl_free(f.ctl);
	f.ctl = NULL;
	uv_run(&f.loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(rmdir(dir), 0);
	fx_fini(&f);
}
END_TEST

/* ---- exec ---- */

START_TEST(ctl_exec_started_signal_exited)
{
	struct trc_job_news news[2] = {
		{ TRC_JOB_STARTED, 4242, 0, 0, 0 },
		{ TRC_JOB_EXITED, 4242, 0x0300, 0, 0 },
	};
	char *argv[] = { "ping", "-c", "1", "10.0.0.2", NULL };
	uint8_t sig[CTL_VALUE_LEN];
	int p[2], fds[3], fd;
	struct stat st;
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	fake_init(&f, 0, news, 1);
	ck_assert_int_eq(pipe(p), 0);
	fds[0] = p[0];
	fds[1] = fds[2] = p[1];
	fd = client(f.path);
	send_exec(fd, argv, fds);
	pump_for(&f, 30);
	ck_assert_uint_eq(fk.starts, 1);
	ck_assert_uint_eq(fk.argc, 4);
	ck_assert_uint_eq(fk.envc, 2);
	ck_assert_str_eq(fk.prog, "ping");
	ck_assert_str_eq(fk.cwd, "/tmp");
	ck_assert_int_eq(fstat(p[0], &st), 0);
	ck_assert_uint_eq(fk.ino[0], st.st_ino);	/* the very pipe */
	ck_assert_uint_eq(fk.ino[2], st.st_ino);
	fake_go();
	ck_assert_int_eq(receive_value(&f, fd, CTL_STARTED), 4242);
	/* signals reach the job; the connection has no idle timer now */
	ctl_set_idle(f.ctl, 50);
	ck_assert_int_eq(ctl_value_encode(CTL_SIGNAL, SIGINT, sig, sizeof(sig)),
			 CTL_VALUE_LEN);
	ck_assert_int_eq(send(fd, sig, sizeof(sig), 0), sizeof(sig));
	pump_for(&f, 150);
	ck_assert_uint_eq(fk.n_sigs, 1);
	ck_assert_int_eq(fk.sigs[0], SIGINT);
	ck_assert_uint_eq(ctl_conns(f.ctl), 1);
	/* its end: EXITED, then the server closes */
	ctl_job_news(fk.conn, &news[1]);
	ck_assert_int_eq(receive_value(&f, fd, CTL_EXITED), 0x0300);
	expect_closed(&f, fd);
	ck_assert_int_eq(fk.detach_sig, -1);	/* it ended: no detach */
	close(fd);
	close(p[0]);
	close(p[1]);
	fake_fini(&f);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_exec_client_gone_hangs_up)
{
	struct trc_job_news news[1] = { { TRC_JOB_STARTED, 77, 0, 0, 0 } };
	char *argv[] = { "sleep", "100", NULL };
	uint8_t sig[CTL_VALUE_LEN];
	struct fx f;
	int fds[3] = { 0, 1, 2 }, fd, i;

	for (i = 0; i < 2; i++) {
		fx_init(&f);
		fx_serve(&f);
		fake_init(&f, 0, news, 1);
		fd = client(f.path);
		send_exec(fd, argv, fds);
		pump_for(&f, 20);
		if (i == 1) {
			/* a SIGNAL before STARTED waits for it */
			ctl_value_encode(CTL_SIGNAL, SIGTERM, sig, sizeof(sig));
			ck_assert_int_eq(send(fd, sig, sizeof(sig), 0), sizeof(sig));
			pump_for(&f, 20);
			ck_assert_uint_eq(fk.n_sigs, 0);
		}
		fake_go();
		ck_assert_int_eq(receive_value(&f, fd, CTL_STARTED), 77);
		ck_assert_uint_eq(fk.n_sigs, (unsigned int)i);
		close(fd);
		pump_for(&f, 30);
		ck_assert_int_eq(fk.detach_sig, SIGHUP);
		ck_assert_uint_eq(ctl_conns(f.ctl), 0);
		fake_fini(&f);
		fx_fini(&f);
	}
}
END_TEST

/* One EXEC that must be refused with @status and @text, then closed. */
static void exec_refused(struct fx *f, const int *fds, int status,
			 uint32_t flags, const char *text)
{
	char *argv[] = { "nope", NULL };
	static uint8_t buf[CTL_MSG_MAX + 1];
	struct ctl_result m;
	ssize_t n;
	int fd = client(f->path);

	fk.autogo = true;
	send_exec(fd, argv, fds);
	ck_assert_msg(pump(f, fd), "no reply in time");
	n = recv(fd, buf, sizeof(buf), 0);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(ctl_result_decode(buf, (size_t)n, &m), 0);
	ck_assert_int_eq(m.status, status);
	ck_assert_uint_eq(m.flags, flags);
	ck_assert_uint_eq(m.len, strlen(text));
	ck_assert_mem_eq(m.text, text, m.len);
	expect_closed(f, fd);
	close(fd);
}

START_TEST(ctl_exec_refused)
{
	struct trc_job_news enoent = { TRC_JOB_FAILED, 0, 0, ENOENT,
				       TRC_JOB_STAGE_EXEC };
	struct trc_job_news cwd = { TRC_JOB_FAILED, 0, 0, ENOENT,
				    TRC_JOB_STAGE_CWD };
	struct trc_job_news eacces = { TRC_JOB_FAILED, 0, 0, EACCES,
				       TRC_JOB_STAGE_EXEC };
	int fds[3] = { 0, 1, 2 }, fd;
	char text[256];
	unsigned int parts;
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	/* no ctl_exec_ops: as --no-exec */
	exec_refused(&f, fds, -ENOTSUP, 0,
		     "exec: nope: the sandbox was started with --no-exec\n");
	fake_init(&f, 0, NULL, 0);
	exec_refused(&f, NULL, -EBADMSG, 0,
		     "exec without the three file descriptors\n");
	fake_fini(&f);
	fake_init(&f, -ESRCH, NULL, 0);
	exec_refused(&f, fds, -ESRCH, 0,
		     "exec: nope: the sandbox's program has exited\n");
	fake_fini(&f);
	fake_init(&f, 0, &enoent, 1);
	exec_refused(&f, fds, -ENOENT, CTL_RESULT_EXEC,
		     "exec: nope: command not found\n");
	fake_fini(&f);
	fake_init(&f, 0, &eacces, 1);
	exec_refused(&f, fds, -EACCES, CTL_RESULT_EXEC,
		     "exec: nope: Permission denied\n");
	fake_fini(&f);
	fake_init(&f, 0, &cwd, 1);
	exec_refused(&f, fds, -ENOENT, 0,
		     "exec: /tmp: No such file or directory\n");
	fake_fini(&f);
	/* fds with a RUN are refused, and closed */
	fd = client(f.path);
	{
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
		uint8_t buf[64];
		struct ctl_run r = { "help", 4 };
		struct iovec iov = { buf, 0 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		iov.iov_len = (size_t)ctl_run_encode(&r, buf, sizeof(buf));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fds[0], sizeof(int));
		ck_assert_int_eq(sendmsg(fd, &mh, 0), (ssize_t)iov.iov_len);
	}
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), -EBADMSG);
	ck_assert_str_eq(text, "unexpected file descriptors\n");
	expect_closed(&f, fd);
	close(fd);
	ck_assert_uint_eq(f.runs, 0);
	fx_fini(&f);
}
END_TEST

/* rrctl exec against the fake: its exit status for @news */
static int rrctl_exec(struct fx *f, int start_ret,
		      const struct trc_job_news *news, unsigned int n_news,
		      char *errs, size_t size)
{
	char *args[] = { "rrctl", "-s", f->path, "exec", "--", "prog", "a b",
			 NULL };
	char out[256];
	int ret;


	fake_init(f, start_ret, news, n_news);
	fk.autogo = true;	/* rrctl() turns the loop meanwhile */
	ret = rrctl(f, args, out, errs, size);
	ck_assert_uint_eq(fk.starts, 1);
	ck_assert_uint_eq(fk.argc, 2);
	ck_assert_str_eq(fk.prog, "prog");
	fake_fini(f);
	return ret;
}

START_TEST(ctl_rrctl_exec_statuses)
{
	struct trc_job_news exit7[2] = {
		{ TRC_JOB_STARTED, 9, 0, 0, 0 },
		{ TRC_JOB_EXITED, 9, 7 << 8, 0, 0 },
	};
	struct trc_job_news killed[2] = {
		{ TRC_JOB_STARTED, 9, 0, 0, 0 },
		{ TRC_JOB_EXITED, 9, SIGKILL, 0, 0 },
	};
	struct trc_job_news enoent = { TRC_JOB_FAILED, 0, 0, ENOENT,
				       TRC_JOB_STAGE_EXEC };
	struct trc_job_news eacces = { TRC_JOB_FAILED, 0, 0, EACCES,
				       TRC_JOB_STAGE_EXEC };
	char errs[1024], out[256];
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	ck_assert_int_eq(rrctl_exec(&f, 0, exit7, 2, errs, sizeof(errs)), 7);
	ck_assert_str_eq(errs, "");
	ck_assert(!fk.tty);
	{
		/* -t: one pty's side for the program, three times */
		char *args[] = { "rrctl", "-s", f.path, "exec", "-t", "prog",
				 NULL };

		fake_init(&f, 0, exit7, 2);
		fk.autogo = true;
		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 7);
		ck_assert(fk.tty);
		ck_assert(fk.isatty0);
		ck_assert_uint_eq(fk.ino[0], fk.ino[2]);
		fake_fini(&f);
	}
	{
		char *args[] = { "rrctl", "-s", f.path, "exec", "-q", "prog",
				 NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 125);
		ck_assert_ptr_nonnull(strstr(errs, "unknown option '-q'"));
	}
	ck_assert_int_eq(rrctl_exec(&f, 0, killed, 2, errs, sizeof(errs)), 137);
	ck_assert_int_eq(rrctl_exec(&f, 0, &enoent, 1, errs, sizeof(errs)), 127);
	ck_assert_str_eq(errs, "rrctl: exec: prog: command not found\n");
	ck_assert_int_eq(rrctl_exec(&f, 0, &eacces, 1, errs, sizeof(errs)), 126);
	ck_assert_int_eq(rrctl_exec(&f, -ENOTSUP, NULL, 0, errs, sizeof(errs)),
			 125);
	ck_assert_str_eq(errs, "rrctl: exec: prog: the sandbox was started "
			 "with --no-exec\n");
	{
		char *args[] = { "rrctl", "-s", f.path, "exec", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 125);
		ck_assert_ptr_nonnull(strstr(errs, "no program given"));
	}
	{
		char bad[200];
		char *args[] = { "rrctl", "-s", bad, "exec", "true", NULL };

		snprintf(bad, sizeof(bad), "%s/none.sock", f.dir);
		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 125);
	}
	fx_fini(&f);
}
END_TEST

/* ---- capture ---- */

/*
 * struct fake_cap - the network's side of `rrctl capture`, played
 * @start_ret:	what start() returns
 * @start_err:	the reason it gives with it
 * @conn:	the connection start() was given
 * @starts:	start() calls
 * @stops:	stop() calls
 * @dev:	the device asked for
 * @filter:	the filter it came with
 * @ino:	the inode of the fd it came with
 * @end_err:	with @autoend: ctl_capture_end()'s error, 5 ms after start()
 * @autoend:	see @end_err
 * @timer:	tells it; closed by fake_cap_fini()
 */
static struct fake_cap {
	int start_ret;
	const char *start_err;
	void *conn;
	unsigned int starts, stops;
	char dev[32];
	char filter[128];
	ino_t ino;
	int end_err;
	bool autoend;
	uv_timer_t timer;
	bool timer_init;
} fc;

static char fake_stream;	/* only its address is used */

static void fake_cap_end(uv_timer_t *t)
{
	(void)t;
	ctl_capture_end(fc.conn, fc.end_err, 5, 1);
}

static int fake_cap_start(void *arg, const char *dev, const char *filter,
			  int fd, void *conn, void **cap, char *err,
			  size_t errlen)
{
	struct stat st;

	(void)arg;
	fc.starts++;
	fc.conn = conn;
	snprintf(fc.dev, sizeof(fc.dev), "%s", dev);
	snprintf(fc.filter, sizeof(fc.filter), "%s", filter);
	fc.ino = fstat(fd, &st) ? 0 : st.st_ino;
	if (fc.start_ret) {
		snprintf(err, errlen, "%s", fc.start_err);
		return fc.start_ret;
	}
	*cap = &fake_stream;
	if (fc.autoend)
		uv_timer_start(&fc.timer, fake_cap_end, 5, 0);
	return 0;
}

static void fake_cap_stop(void *cap, uint64_t *frames, uint64_t *dropped)
{
	ck_assert_ptr_eq(cap, &fake_stream);
	fc.stops++;
	if (frames)
		*frames = 7;
	if (dropped)
		*dropped = 2;
}

static const struct ctl_capture_ops fake_cap_ops = {
	.start = fake_cap_start,
	.stop = fake_cap_stop,
};

static void fake_cap_init(struct fx *f, int start_ret, const char *start_err)
{
	memset(&fc, 0, sizeof(fc));
	fc.start_ret = start_ret;
	fc.start_err = start_err;
	uv_timer_init(&f->loop, &fc.timer);
	fc.timer_init = true;
	ctl_set_capture(f->ctl, &fake_cap_ops, f);
}

static void fake_cap_fini(struct fx *f)
{
	if (fc.timer_init) {
		uv_close((uv_handle_t *)&fc.timer, NULL);
		uv_run(&f->loop, UV_RUN_NOWAIT);
	}
	fc.timer_init = false;
}

/* Send a CAPTURE of @dev (@len bytes of it) with @nfd copies of @out. */
static void send_capture(int fd, const char *dev, size_t len, int out,
			 unsigned int nfd)
{
	uint8_t buf[64];
	int fds[3] = { out, out, out };
	char cbuf[CMSG_SPACE(3 * sizeof(int))] = { 0 };
	struct ctl_run m = { dev, (uint32_t)len };
	struct iovec iov = { buf, 0 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t n = ctl_capture_encode(&m, buf, sizeof(buf));

	ck_assert_int_gt(n, 0);
	iov.iov_len = (size_t)n;
	if (nfd) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfd * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfd * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(fd, &mh, 0), n);
}

START_TEST(ctl_msg_capture_round_trip)
{
	uint8_t buf[64];
	struct ctl_run m = { "eth0", 4 }, got;
	ssize_t len = ctl_capture_encode(&m, buf, sizeof(buf));

	ck_assert_int_eq(len, CTL_RUN_HDR + 4);
	ck_assert_int_eq(ctl_msg_type(buf, (size_t)len), CTL_CAPTURE);
	ck_assert_int_eq(ctl_capture_decode(buf, (size_t)len, &got), 0);
	ck_assert_uint_eq(got.len, 4);
	ck_assert_mem_eq(got.text, "eth0", 4);
	/* a RUN is not a CAPTURE, nor the other way round */
	ck_assert_int_eq(ctl_run_decode(buf, (size_t)len, &got), -EPROTO);
	ck_assert_int_eq(ctl_capture_decode(buf, (size_t)len - 1, &got),
			 -EBADMSG);
	ck_assert_int_eq(ctl_capture_encode(&m, buf, CTL_RUN_HDR + 3),
			 -EMSGSIZE);
}
END_TEST

START_TEST(ctl_capture_started_signal_counts)
{
	uint8_t sig[CTL_VALUE_LEN];
	char text[256];
	unsigned int parts;
	struct stat st;
	struct fx f;
	int p[2], fd;

	fx_init(&f);
	fx_serve(&f);
	fake_cap_init(&f, 0, NULL);
	ck_assert_int_eq(pipe(p), 0);
	fd = client(f.path);
	send_capture(fd, "eth0", 4, p[1], 1);
	ck_assert_int_eq(receive_value(&f, fd, CTL_STARTED), 0);
	ck_assert_uint_eq(fc.starts, 1);
	ck_assert_str_eq(fc.dev, "eth0");
	ck_assert_str_eq(fc.filter, "");
	ck_assert_int_eq(fstat(p[1], &st), 0);
	ck_assert_uint_eq(fc.ino, st.st_ino);	/* the very pipe */
	/* no idle timer, and nothing else is taken on it */
	ctl_set_idle(f.ctl, 50);
	pump_for(&f, 150);
	ck_assert_uint_eq(ctl_conns(f.ctl), 1);
	ck_assert_uint_eq(fc.stops, 0);
	/* a SIGNAL stops it: the counts, then EOF */
	ck_assert_int_eq(ctl_value_encode(CTL_SIGNAL, SIGINT, sig, sizeof(sig)),
			 CTL_VALUE_LEN);
	ck_assert_int_eq(send(fd, sig, sizeof(sig), 0), sizeof(sig));
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), 0);
	ck_assert_str_eq(text, "capture on eth0: 7 frames, 2 dropped\n");
	expect_closed(&f, fd);
	ck_assert_uint_eq(fc.stops, 1);
	close(fd);

	/* the client going stops it, once; a filter after the NUL */
	fd = client(f.path);
	send_capture(fd, "lo\0tcp port 179", 15, p[1], 1);
	ck_assert_int_eq(receive_value(&f, fd, CTL_STARTED), 0);
	ck_assert_str_eq(fc.dev, "lo");
	ck_assert_str_eq(fc.filter, "tcp port 179");
	close(fd);
	pump_for(&f, 30);
	ck_assert_uint_eq(fc.stops, 2);
	ck_assert_uint_eq(ctl_conns(f.ctl), 0);

	/* a second request on its connection is refused, and stops it */
	fd = client(f.path);
	send_capture(fd, "lo", 2, p[1], 1);
	ck_assert_int_eq(receive_value(&f, fd, CTL_STARTED), 0);
	send_capture(fd, "lo", 2, p[1], 1);
	ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts), -EPROTO);
	ck_assert_str_eq(text, "one exec or capture per connection\n");
	expect_closed(&f, fd);
	ck_assert_uint_eq(fc.stops, 3);
	close(fd);
	close(p[0]);
	close(p[1]);
	fake_cap_fini(&f);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_capture_ends_by_itself)
{
	static const struct { int err; const char *text; } c[] = {
		{ 0, "capture on eth0 ended: its reader went away (5 frames, "
		     "1 dropped)\n" },
		{ -ENODEV, "capture on eth0 ended: the device was removed "
			   "(5 frames, 1 dropped)\n" },
		{ -ENOSPC, "capture on eth0 ended: writing failed: No space "
			   "left on device (5 frames, 1 dropped)\n" },
	};
	char text[256];
	unsigned int parts, i;
	struct fx f;
	int fd;

	fx_init(&f);
	fx_serve(&f);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		fake_cap_init(&f, 0, NULL);
		fc.autoend = true;
		fc.end_err = c[i].err;
		fd = client(f.path);
		send_capture(fd, "eth0", 4, 1, 1);
		ck_assert_int_eq(receive_value(&f, fd, CTL_STARTED), 0);
		ck_assert_int_eq(receive(&f, fd, text, sizeof(text), &parts),
				 c[i].err);
		ck_assert_str_eq(text, c[i].text);
		expect_closed(&f, fd);
		ck_assert_uint_eq(fc.stops, 0);	/* it is gone: never stopped */
		close(fd);
		fake_cap_fini(&f);
	}
	fx_fini(&f);
}
END_TEST

/* One CAPTURE that must be refused with @status and @text, then closed. */
static void capture_refused(struct fx *f, const char *dev, size_t len,
			    unsigned int nfd, int status, const char *text)
{
	char got[256];
	unsigned int parts;
	int fd = client(f->path);

	send_capture(fd, dev, len, 1, nfd);
	ck_assert_int_eq(receive(f, fd, got, sizeof(got), &parts), status);
	ck_assert_str_eq(got, text);
	expect_closed(f, fd);
	close(fd);
}

START_TEST(ctl_capture_refused)
{
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	/* without ctl_capture_ops */
	capture_refused(&f, "eth0", 4, 1, -ENOTSUP,
			"capture: eth0: Operation not supported\n");
	fake_cap_init(&f, -ENODEV, "no device 'eth9'");
	capture_refused(&f, "eth9", 4, 1, -ENODEV,
			"capture: eth9: no device 'eth9'\n");
	ck_assert_uint_eq(fc.starts, 1);
	capture_refused(&f, "eth0", 4, 0, -EBADMSG,
			"capture without one file descriptor\n");
	capture_refused(&f, "eth0", 4, 2, -EBADMSG,
			"capture without one file descriptor\n");
	capture_refused(&f, "", 0, 1, -EINVAL, "capture: not a device name\n");
	capture_refused(&f, "a/b", 3, 1, -EINVAL,
			"capture: not a device name\n");
	capture_refused(&f, "abcdefghijklmnop", 16, 1, -EINVAL,
			"capture: not a device name\n");
	capture_refused(&f, "\0udp", 4, 1, -EINVAL,
			"capture: not a device name\n");
	capture_refused(&f, "lo\0udp\0x", 8, 1, -EINVAL,
			"capture: NUL byte in the filter\n");
	ck_assert_uint_eq(fc.starts, 1);
	ck_assert_uint_eq(fc.stops, 0);
	fake_cap_fini(&f);
	fx_fini(&f);
}
END_TEST

START_TEST(ctl_rrctl_capture_statuses)
{
	char out[256], errs[1024];
	struct fx f;

	fx_init(&f);
	fx_serve(&f);
	{
		/* stdout a regular file; the device goes: 1 */
		char *args[] = { "rrctl", "-s", f.path, "capture", "eth0", NULL };

		fake_cap_init(&f, 0, NULL);
		fc.autoend = true;
		fc.end_err = -ENODEV;
		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 1);
		ck_assert_str_eq(errs, "rrctl: capture on eth0 ended: the "
				 "device was removed (5 frames, 1 dropped)\n");
		ck_assert_str_eq(fc.dev, "eth0");
		fake_cap_fini(&f);
	}
	{
		/* its reader went: 0 */
		char *args[] = { "rrctl", "-s", f.path, "capture", "--", "-x",
				 NULL };

		fake_cap_init(&f, 0, NULL);
		fc.autoend = true;
		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 0);
		ck_assert_str_eq(fc.dev, "-x");
		ck_assert_ptr_nonnull(strstr(errs, "its reader went away"));
		fake_cap_fini(&f);
	}
	{
		char *args[] = { "rrctl", "-s", f.path, "capture", "eth9", NULL };

		fake_cap_init(&f, -ENODEV, "no device 'eth9'");
		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 1);
		ck_assert_str_eq(errs, "rrctl: capture: eth9: no device 'eth9'\n");
		fake_cap_fini(&f);
	}
	{
		char *args[] = { "rrctl", "-s", f.path, "capture", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 2);
		ck_assert_ptr_nonnull(strstr(errs, "no device given"));
	}
	{
		/* the filter's words, joined */
		char *args[] = { "rrctl", "-s", f.path, "capture", "eth0", "tcp",
				 "port", "179", NULL };

		fake_cap_init(&f, 0, NULL);
		fc.autoend = true;
		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 0);
		ck_assert_str_eq(fc.dev, "eth0");
		ck_assert_str_eq(fc.filter, "tcp port 179");
		fake_cap_fini(&f);
	}
	{
		char *args[] = { "rrctl", "-s", f.path, "capture", "-x", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 2);
		ck_assert_ptr_nonnull(strstr(errs, "unknown option"));
	}
	{
		char *args[] = { "rrctl", "-s", f.path, "capture",
				 "abcdefghijklmnop", NULL };

		ck_assert_int_eq(rrctl(&f, args, out, errs, sizeof(errs)), 2);
		ck_assert_ptr_nonnull(strstr(errs, "at most 15 characters"));
	}
	ck_assert_str_eq(out, "");
	fx_fini(&f);
}
END_TEST

static Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc;

	tc = tcase_create("msg");
	tcase_add_test(tc, ctl_msg_run_round_trip);
	tcase_add_test(tc, ctl_msg_result_round_trip_and_checks);
	tcase_add_test(tc, ctl_msg_exec_round_trip_and_checks);
	tcase_add_test(tc, ctl_msg_capture_round_trip);
	tcase_add_test(tc, ctl_msg_default_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("serve");
	tcase_add_test(tc, ctl_run_command_replies);
	tcase_add_test(tc, ctl_big_reply_split_with_more);
	tcase_add_test(tc, ctl_empty_command_empty_reply);
	tcase_add_test(tc, ctl_wrong_type_refused);
	tcase_add_test(tc, ctl_short_and_malformed_refused);
	tcase_add_test(tc, ctl_oversized_refused);
	tcase_add_test(tc, ctl_idle_client_blocks_nobody);
	tcase_add_test(tc, ctl_idle_client_timed_out);
	tcase_add_test(tc, ctl_conn_limit_closes_extra);
	tcase_add_test(tc, ctl_out_of_fds_pauses_then_serves);
	suite_add_tcase(s, tc);

	tc = tcase_create("exec");
	tcase_add_test(tc, ctl_exec_started_signal_exited);
	tcase_add_test(tc, ctl_exec_client_gone_hangs_up);
	tcase_add_test(tc, ctl_exec_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("capture");
	tcase_add_test(tc, ctl_capture_started_signal_counts);
	tcase_add_test(tc, ctl_capture_ends_by_itself);
	tcase_add_test(tc, ctl_capture_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_test(tc, ctl_stale_socket_replaced);
	tcase_add_test(tc, ctl_live_socket_in_use);
	tcase_add_test(tc, ctl_not_a_socket_refused);
	tcase_add_test(tc, ctl_socket_mode_0600);
	tcase_add_test(tc, ctl_dir_created_0700_and_checked);
	tcase_add_test(tc, ctl_socket_removed_on_free);
	tcase_add_test(tc, ctl_free_leaves_others_file);
	tcase_add_test(tc, ctl_free_with_clients_connected);
	suite_add_tcase(s, tc);

	tc = tcase_create("rrctl");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, ctl_rrctl_exit_codes_and_output);
	tcase_add_test(tc, ctl_rrctl_finds_name_in_default_dir);
	tcase_add_test(tc, ctl_rrctl_exec_statuses);
	tcase_add_test(tc, ctl_rrctl_capture_statuses);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

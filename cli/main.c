/* SPDX-License-Identifier: MIT */
/*
 * main.c - rrsandbox: run a program with its sockets served by lwIP.
 *
 * Parses the command line, makes the supervisor undumpable (so the
 * sandboxed tree, which shares its uid, can neither ptrace it nor read its
 * memory), creates the loop, the network stack (netstack/) and the tracer
 * (tracer/), sets the network up (--pcap, the control socket of ctl.c,
 * the -c file through cmd.c) before the program starts, wires the
 * tracer's trapped calls into the stack, and runs the loop until the
 * program's tree is gone.  Signals: INT, QUIT, TERM and HUP go to the
 * program (whose end then closes everything, the control socket's file
 * too); once it exited, they end the wait for the rest of its tree
 * (--wait-all) and for its connections; USR1 prints counters.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "ctl.h"
#include "ctlmsg.h"
#include "log.h"
#include "net.h"
#include "ns.h"
#include "opts.h"
#include "trc.h"

/**
 * struct ctx - the supervisor's one execution context
 * @loop:	the event loop
 * @ns:		the network stack
 * @trc:	the tracer
 * @ctl:	the control socket, NULL without one
 * @sigs:	forwarded signals, then SIGUSR1
 * @drain:	after PROGRAM exited: looks after every turn of the loop
 *		whether lwIP has sent what the closed TCP sockets still
 *		hold (see on_exited())
 * @drain_end:	ends that wait after DRAIN_MS
 * @ending:	PROGRAM exited (and its tree is gone); @torn: teardown() ran
 * @stopped:	a signal came after PROGRAM exited: the rest of the tree is
 *		being killed, and its connections are not waited for
 * @no_exec:	--no-exec: `rrctl exec` is refused
 * @status:	exit status for rrsandbox
 */
struct ctx {
	uv_loop_t loop;
	struct ns *ns;
	struct trc *trc;
	struct ctl *ctl;
	uv_signal_t sigs[5];
	uv_check_t drain;
	uv_timer_t drain_end;
	bool ending, torn, stopped;
	bool no_exec;
	int status;
};

/* How long TCP connections the program left get to send what they hold */
#define DRAIN_MS	2000

static const int handled[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1 };

static void on_syscall(void *data, struct trc_call *call)
{
	struct ctx *c = data;

	ns_syscall(c->ns, call);
}

static void on_proc_exit(void *data, pid_t pid)
{
	struct ctx *c = data;

	ns_proc_exit(c->ns, pid);
}

/* Close every handle; the loop then ends once their callbacks ran. */
static void teardown(struct ctx *c)
{
	unsigned int i;

	if (c->torn)
		return;
	c->torn = true;
	uv_close((uv_handle_t *)&c->drain, NULL);
	uv_close((uv_handle_t *)&c->drain_end, NULL);
	for (i = 0; i < sizeof(c->sigs) / sizeof(c->sigs[0]); i++)
		uv_close((uv_handle_t *)&c->sigs[i], NULL);
	ctl_free(c->ctl);
	c->ctl = NULL;
	trc_free(c->trc);
	c->trc = NULL;
	ns_free(c->ns);
	c->ns = NULL;
}

/* After each turn while draining: done when nothing is left to send */
static void on_drain(uv_check_t *h)
{
	struct ctx *c = h->data;

	if (!ns_tcp_pending(c->ns))
		teardown(c);
}

static void on_drain_end(uv_timer_t *t)
{
	teardown(t->data);
}

/*
 * PROGRAM exited.  As the kernel keeps sending what closed TCP sockets
 * hold (data, then a FIN), the stack gets up to DRAIN_MS to deliver what
 * the program's connections still had: a peer then reads everything and
 * EOF (BIRD's NOTIFICATION before its sessions close) rather than
 * nothing, forever.  Without such connections the end is immediate.
 */
static void on_exited(void *data, int status)
{
	struct ctx *c = data;

	if (WIFEXITED(status))
		c->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		c->status = 128 + WTERMSIG(status);
	else
		c->status = 125;
	c->ending = true;
	if (c->stopped || !ns_tcp_pending(c->ns)) {
		teardown(c);
		return;
	}
	debug("program exited; letting its TCP connections finish (up to %d ms)",
	      DRAIN_MS);
	uv_check_start(&c->drain, on_drain);
	uv_timer_start(&c->drain_end, on_drain_end, DRAIN_MS, 0);
}

static int count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

/* Whether our process group is the foreground of the terminal on stdin. */
static bool tty_foreground(void)
{
	return isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
}

/* The counters, "NAME=VALUE ..." on one line with its newline: what
 * SIGUSR1 prints after "rrsandbox: stats: " and `show stats` answers. */
static void stats_line(struct ctx *c, char *buf, size_t size)
{
	struct ns_stats st;
	struct tcpmd5_stats md5;
	struct trc_stats t = { 0 };	/* no tracer yet: nothing counted */

	ns_stats(c->ns, &st);
	ns_tcpmd5_stats(&md5);
	if (c->trc)
		trc_stats(c->trc, &t);
	snprintf(buf, size, "fds=%d socks=%u tcp_pcbs=%u udp_pcbs=%u held=%u "
		 "minttl_drops=%llu md5_notfound=%llu md5_unexpected=%llu "
		 "md5_failure=%llu traps=%llu mem_reads=%llu replays=%llu\n",
		 count_fds(), st.socks, st.tcp_pcbs, st.udp_pcbs, st.held,
		 (unsigned long long)st.minttl_drops, md5.notfound,
		 md5.unexpected, md5.failure, (unsigned long long)t.calls,
		 (unsigned long long)t.mem_reads, (unsigned long long)t.replays);
}

/* `show stats` (cli_cmd_set_stats()) */
static void show_stats(void *arg, struct cli_out *o)
{
	char line[512];

	stats_line(arg, line, sizeof(line));
	cli_out_printf(o, "%s", line);
}

static void on_signal(uv_signal_t *h, int sig)
{
	struct ctx *c = h->data;
	char line[512];

	if (sig == SIGUSR1) {
		stats_line(c, line, sizeof(line));
		fprintf(stderr, "rrsandbox: stats: %s", line);
		ns_dump(c->ns);
		return;
	}
	if (c->ending) {	/* draining: a signal ends it now */
		teardown(c);
		return;
	}
	/* Ctrl-C and Ctrl-\ from the terminal already reached the program,
	 * which shares our foreground process group: do not send them twice,
	 * only look whether it is still there. */
	if ((sig == SIGINT || sig == SIGQUIT) && tty_foreground())
		sig = 0;
	if (!c->trc || trc_signal(c->trc, sig) != -ESRCH)
		return;
	/* PROGRAM exited, and its tree is still there: --wait-all waits for
	 * it, or (without) it is being killed.  Either way the user asked us
	 * to end: kill the rest, as without --wait-all, and end once it is
	 * reaped (on_exited()), without waiting for its connections.  A
	 * second signal only kills again what a fork may have added. */
	if (!c->stopped)
		debug("signal after the program exited: killing the rest of "
		      "its tree");
	c->stopped = true;
	trc_tree_kill(c->trc);
}

/* Whether this process already runs under a seccomp filter. */
static bool under_seccomp(void)
{
	char line[128];
	bool ret = false;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Seccomp:", 8))
			ret = atoi(line + 8) == 2;
	fclose(f);
	return ret;
}

/* A control socket request: one command on the sandbox's network. */
static int run_cmd(void *arg, const char *line, struct cli_out *o)
{
	struct ctx *c = arg;

	return cli_cmd_run(ns_net(c->ns), line, o);
}

/* ctl_exec_ops.start: `rrctl exec` through the tracer */
static int exec_start(void *arg, const struct trc_exec_req *r, void *conn,
		      struct trc_job **job)
{
	struct ctx *c = arg;

	if (c->no_exec)
		return -ENOTSUP;
	return trc_exec(c->trc, r, ctl_job_news, conn, job);
}

static const struct ctl_exec_ops exec_ops = {
	.start = exec_start,
	.signal = trc_job_signal,
	.detach = trc_job_detach,
};

/* vdev_stream_end_fn: `rrctl capture`'s stream ended by itself */
static void capture_end(void *conn, int err, const struct vdev_stream_stats *st)
{
	ctl_capture_end(conn, err, st->frames, st->dropped);
}

/* ctl_capture_ops.start: `rrctl capture` through the network */
static int capture_start(void *arg, const char *dev, const char *filter,
			 int fd, void *conn, void **cap, char *err,
			 size_t errlen)
{
	struct ctx *c = arg;
	struct vdev_stream *s;
	int ret;

	ret = net_capture_start(ns_net(c->ns), dev, filter, fd, capture_end,
				conn, &s, err, errlen);
	if (!ret)
		*cap = s;
	return ret;
}

/* ctl_capture_ops.stop */
static void capture_stop(void *cap, uint64_t *frames, uint64_t *dropped)
{
	struct vdev_stream_stats st;

	vdev_stream_stop(cap, &st);
	if (frames)
		*frames = st.frames;
	if (dropped)
		*dropped = st.dropped;
}

static const struct ctl_capture_ops capture_ops = {
	.start = capture_start,
	.stop = capture_stop,
};

/* Serve the control socket unless --no-control; 0 or -1 after err(). */
static int control_start(struct ctx *c, const struct cli_opts *o)
{
	char path[CTL_PATH_MAX], dir[CTL_PATH_MAX], pid[16], e[256];
	const char *name = o->name;
	int ret;

	if (o->no_control)
		return 0;
	if (!name) {
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		name = pid;
	}
	if (o->control) {
		snprintf(path, sizeof(path), "%s", o->control);
	} else if ((ret = ctl_dir_default(dir, sizeof(dir))) ||
		   (ret = ctl_path_default(name, path, sizeof(path)))) {
		err("control socket: %s", strerror(-ret));
		return -1;
	} else if (ctl_dir_prepare(dir, e, sizeof(e))) {
		err("control socket: %s", e);
		return -1;
	}
	if (ctl_new(&c->loop, path, o->control ? NULL : name, run_cmd, c,
		    &c->ctl, e, sizeof(e))) {
		err("%s", e);
		return -1;
	}
	ctl_set_exec(c->ctl, &exec_ops, c);
	ctl_set_capture(c->ctl, &capture_ops, c);
	debug("control socket %s", path);
	return 0;
}

/* Log the error text of @out (one line, newline dropped). */
static void out_err(const struct cli_out *out)
{
	const char *t = cli_out_text(out);
	int len = (int)strcspn(t, "\n");

	err("%.*s", len, t);
}

/*
 * net_setup() - what the sandbox's network needs before PROGRAM starts
 * @c:		the context
 * @o:		the options
 *
 * --no-forward, --pcap, --uplink, the control socket, then -c FILE: the
 * program must not start with a half-made network.
 *
 * Return: 0, or -1 after the error was logged
 */
static int net_setup(struct ctx *c, const struct cli_opts *o)
{
	struct net *n = ns_net(c->ns);
	struct cli_out out;
	char e[256] = "";
	unsigned int i;
	int ret = 0;

	if (o->no_forward) {
		net_forward_set(n, AF_INET, "all", 0);
		net_forward_set(n, AF_INET6, "all", 0);
	}
	if (o->pcap_dir && (ret = net_pcap_dir(n, o->pcap_dir, e, sizeof(e)))) {
		err("--pcap %s: %s", o->pcap_dir, e[0] ? e : strerror(-ret));
		return -1;
	}
	if (o->uplink) {
		struct vdev_host_opts ho = { 0 };

		ret = net_uplink_add(n, "up0", &ho, e, sizeof(e));
		if (ret < 0) {
			err("--uplink: %s", e[0] ? e : strerror(-ret));
			return -1;
		}
		ret = 0;
	}
	if (control_start(c, o))
		return -1;
	for (i = 0; i < o->n_pre; i++) {
		char line[300];

		/* one word: a value with a blank is refused by the parser */
		snprintf(line, sizeof(line), "%s %s", o->pre[i].cmd, o->pre[i].arg);
		cli_out_init(&out);
		ret = cli_cmd_run(n, line, &out);
		if (ret) {
			const char *t = cli_out_text(&out);

			err("%s %s: %.*s", o->pre[i].flag, o->pre[i].arg,
			    (int)strcspn(t, "\n"), t);
		}
		cli_out_free(&out);
		if (ret)
			return -1;
	}
	if (!o->config)
		return 0;
	cli_out_init(&out);
	ret = cli_cmd_run_file(n, o->config, &out);
	if (ret)
		out_err(&out);
	else
		fputs(cli_out_text(&out), stdout);
	fflush(stdout);
	cli_out_free(&out);
	return ret ? -1 : 0;
}

/* End before PROGRAM ran: close what was opened; rrsandbox's status. */
#ifdef RRS_LEAK_CHECK
/* LeakSanitizer's check at exit stops the process with ptrace, which an
 * undumpable process refuses without CAP_SYS_PTRACE.  Sanitized builds
 * only: registered after LSan's own handler, so it runs first. */
static void leak_check_ready(void)
{
	prctl(PR_SET_DUMPABLE, 1);
}
#endif

static int abandon(struct ctx *c, int status)
{
	teardown(c);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	uv_loop_close(&c->loop);
	return status;
}

/*
 * Where rrsandbox was started with fd 0, 1 or 2 closed, hold /dev/null
 * there, close-on-exec: the loop's own fds must not land on them (libuv
 * asserts that it never closes one, and aborted at exit), while PROGRAM,
 * which inherits nothing close-on-exec, still finds them closed.
 */
static void hold_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", O_RDWR | O_CLOEXEC) != fd)
			die("cannot hold closed fd %d with /dev/null", fd);
}

static const struct trc_ops ops = {
	.syscall = on_syscall,
	.exited = on_exited,
	.proc_exit = on_proc_exit,
};

int main(int argc, char **argv)
{
	struct cli_opts o;
	struct trc_opts to;
	struct rlimit nofile;
	struct ctx c;
	unsigned int i;
	int ret;

	switch (cli_opts_parse(argc, argv, &o)) {
	case CLI_EXIT_OK:
		return 0;
	case CLI_EXIT_USAGE:
		return 125;
	case CLI_RUN:
		break;
	}
	log_init(o.name, o.verbose >= 3 ? LOG_TRACE : o.verbose == 2 ? LOG_DEBUG :
		 o.verbose == 1 ? LOG_CALLS : LOG_INFO);
	memset(&c, 0, sizeof(c));
	c.status = 125;
	hold_std_fds();
	signal(SIGPIPE, SIG_IGN);
	/* glibc gives the heap's free top back to the kernel past 128 KiB
	 * (M_TRIM_THRESHOLD), and a burst of traffic grows it again at
	 * once: each round costs the page faults of fresh pages, dear in a
	 * VM.  Keeping up to 8 MiB doubles forwarded TCP at MTU 65535 on a
	 * PVM guest (bench/forward.sh); an idle supervisor's memory is
	 * unchanged, one after a burst keeps at most that much more. */
	mallopt(M_TRIM_THRESHOLD, 8 << 20);
	if (prctl(PR_SET_DUMPABLE, 0))
		die("cannot make the supervisor undumpable: %s", strerror(errno));
#ifdef RRS_LEAK_CHECK
	atexit(leak_check_ready);
#endif
	if (uv_loop_init(&c.loop))
		die("cannot create the event loop");
	uv_check_init(&c.loop, &c.drain);
	c.drain.data = &c;
	uv_timer_init(&c.loop, &c.drain_end);
	c.drain_end.data = &c;
	if ((ret = ns_new(&c.loop, &c.ns)))
		die("cannot create the network stack: %s", strerror(-ret));
	cli_cmd_set_stats(show_stats, &c);
	if ((ret = trc_new(&c.loop, &ops, &c, &c.trc)))
		die("seccomp user notification is unavailable: %s", strerror(-ret));
	for (i = 0; i < sizeof(c.sigs) / sizeof(c.sigs[0]); i++) {
		uv_signal_init(&c.loop, &c.sigs[i]);
		c.sigs[i].data = &c;
		uv_signal_start(&c.sigs[i], on_signal, handled[i]);
	}
	if (net_setup(&c, &o))
		return abandon(&c, 125);
	to.argv = o.argv;
	to.wait_all = o.wait_all;
	to.trap_open = !o.no_proc_net;
	to.exec = !o.no_exec && !o.no_control;
	c.no_exec = o.no_exec;
	/* The supervisor holds one fd per socket of the sandbox: raise its
	 * own limit to the hard one; the program starts with the old one. */
	to.nofile = NULL;
	if (!getrlimit(RLIMIT_NOFILE, &nofile)) {
		struct rlimit raised = { nofile.rlim_max, nofile.rlim_max };

		if (nofile.rlim_cur < nofile.rlim_max &&
		    !setrlimit(RLIMIT_NOFILE, &raised))
			to.nofile = &nofile;
	}
	ret = trc_spawn(c.trc, &to);
	if (ret == -ENOENT || ret == -EACCES) {
		err("%s: %s", o.argv[0], ret == -ENOENT ? "command not found" :
		    strerror(-ret));
		return abandon(&c, ret == -ENOENT ? 127 : 126);
	}
	/* err() and abandon(), not die(): the control socket's file goes. */
	/* -ENOTTY: notify.c said already what was refused */
	if (ret && ret != -ENOTTY && under_seccomp())
		err("cannot start %s: %s; rrsandbox itself runs under a seccomp "
		    "filter, and the kernel allows one listener per filter tree "
		    "(rrsandbox inside rrsandbox?)", o.argv[0], strerror(-ret));
	else if (ret)
		err("cannot start %s: %s", o.argv[0], strerror(-ret));
	if (ret)
		return abandon(&c, 125);
	ns_set_tracer(c.ns, c.trc);
	ns_set_shortcut(c.ns, !o.no_shortcut);
	debug("started %s as pid %d; sync wake-up %s; pidfd_getfd %s",
	      o.argv[0], (int)trc_main_pid(c.trc),
	      trc_sync_wakeup(c.trc) ? "yes" : "no",
	      trc_can_fetch(c.trc) ? "yes" : "no (program ends are held)");
	uv_run(&c.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&c.loop) != 0)
		debug("event loop closed with handles left");
	return c.status;
}

/* SPDX-License-Identifier: MIT */
/*
 * rrctl.c - send one command to a running rrsandbox over its control
 * socket and print the answer.
 *
 * Joins its arguments into one command line, sends it as a RUN message
 * (ctlmsg.c, the only other file it is built from) and prints the RESULT
 * messages: output to stdout, an error to stderr.  It knows neither the
 * commands nor the network: `rrctl help` asks the sandbox.
 *
 * `rrctl exec PROGRAM [ARGS...]` is its own: an EXEC message with the
 * working directory, the arguments, the environment and fds 0, 1 and 2,
 * then SIGNAL for each INT, QUIT, TERM and HUP that comes, until EXITED
 * gives the status to exit with.
 *
 * `rrctl capture DEVICE` is its own too: a CAPTURE message with fd 1,
 * which the sandbox writes a pcap stream to until INT, TERM or HUP (then
 * a SIGNAL asks it to stop), its reader goes, or the device goes; the
 * last RESULT's counts go to stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctlmsg.h"
#include "fdpass.h"
#include "path.h"

#define EXIT_CMD	1	/* the command failed */
#define EXIT_USAGE	2	/* usage or connection error */
#define EXIT_EXEC	125	/* exec: rrctl's or the sandbox's error */
#define TIMEOUT_S	10	/* for the whole reply */
#define STOP_WAIT_MS	2000	/* capture: for the counts after a signal */

static const char usage[] =
"Usage: rrctl [-n NAME | -s PATH] COMMAND [ARGS...]\n"
"       rrctl [-n NAME | -s PATH] exec [-t] [-e NAME[=VALUE]]... [-w DIR] [--]\n"
"             PROGRAM [ARGS...]\n"
"       rrctl [-n NAME | -s PATH] capture [--] DEVICE [FILTER...]\n"
"\n"
"Run COMMAND in a running rrsandbox, e.g.\n"
"  rrctl -n r1 route add 10.1.0.0/16 via 10.0.0.2\n"
"  rrctl -n r1 show routes\n"
"`rrctl -n NAME help` lists the commands.\n"
"\n"
"exec runs PROGRAM inside the sandbox, its sockets served by it as\n"
"those of the sandbox's own program, e.g.\n"
"  rrctl -n r1 exec ping -c 3 10.0.12.2\n"
"  rrctl -n r1 exec ip route\n"
"with rrctl's stdin, stdout, stderr, working directory and environment;\n"
"INT, QUIT, TERM and HUP are passed on to it, and it gets HUP if rrctl\n"
"goes first.  It ends with the sandbox.  -t, --tty: give it a terminal\n"
"of its own (a pseudo-terminal rrctl relays), for a shell or any\n"
"program that wants one: `rrctl -n r1 exec -t bash`.  -e, --env\n"
"NAME=VALUE: set NAME in its environment (-e NAME: rrctl's value, or\n"
"none); -w, --workdir DIR: its working directory, as docker exec's.\n"
"\n"
"capture writes every frame DEVICE sends and receives (that FILTER,\n"
"in tcpdump's language, passes) to stdout as a pcap stream (Ethernet,\n"
"nanosecond stamps), live, until rrctl is interrupted or its reader\n"
"ends, e.g.\n"
"  rrctl -n r1 capture eth0 | tcpdump -n -r -\n"
"  rrctl -n r1 capture eth0 tcp port 179 > bgp.pcap\n"
"stdout is a pipe, a stream socket or a file; at a terminal, rrctl\n"
"shows the stream with `tcpdump -n -l -r -` (if installed).\n"
"Frames a slow reader cannot take are dropped, never waited for; the\n"
"counts go to stderr at the end.\n"
"\n"
"Options:\n"
"  -n, --name NAME      the sandbox started with `rrsandbox -n NAME`\n"
"  -s, --control PATH   its control socket, as given to `rrsandbox -s`\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"Without -n or -s: the one sandbox whose socket is in the default\n"
"directory ($XDG_RUNTIME_DIR/rrsandbox, else /tmp/rrsandbox-UID).\n"
"\n"
"Exit status: 0 on success, 1 if the command failed, 2 for usage and\n"
"connection errors.  exec: PROGRAM's status, 128+N if it was killed by\n"
"signal N, 127 if it was not found, 126 if it could not be run, 125 for\n"
"any other error (connection, sandbox started with --no-exec, ...).\n"
"capture: 0 when stopped by a signal or when its reader ended, 1 if\n"
"the device went or the stream failed, 2 for usage and connection\n"
"errors.\n";

/* The only socket in the default directory, into @path. */
static int find_only(char *path, size_t size)
{
	char dir[CTL_PATH_MAX], first[256];
	struct dirent *de;
	unsigned int n = 0;
	size_t len;
	DIR *d;

	if (ctl_dir_default(dir, sizeof(dir)) || !(d = opendir(dir))) {
		fprintf(stderr, "rrctl: no sandbox is running (no %s); give "
			"-n NAME or -s PATH\n", dir);
		return -1;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len > 5 && !strcmp(de->d_name + len - 5, ".sock") &&
		    !n++)
			snprintf(first, sizeof(first), "%s", de->d_name);
	}
	closedir(d);
	if (n != 1) {
		fprintf(stderr, "rrctl: %s sandboxes in %s; give -n NAME\n",
			n ? "several" : "no", dir);
		return -1;
	}
	if ((size_t)snprintf(path, size, "%s/%s", dir, first) >= size) {
		fprintf(stderr, "rrctl: %s/%s: path too long\n", dir, first);
		return -1;
	}
	return 0;
}

/* Parse the options into @path; the index of COMMAND, or -1 to exit. */
static int parse(int argc, char **argv, char *path, size_t size, int *status)
{
	static const struct option longs[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "control", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL, *sock = NULL;
	int c;

	*status = EXIT_USAGE;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:n:s:hV", longs, NULL)) != -1) {
		if (c == 'n') {
			name = optarg;
		} else if (c == 's') {
			sock = optarg;
		} else if (c == 'h' || c == 'V') {
			if (c == 'h')
				fputs(usage, stdout);
			else
				printf("rrctl %s\n", RRS_VERSION);
			*status = 0;
			return -1;
		} else {
			fprintf(stderr, "rrctl: %s '%s'\nTry 'rrctl --help'.\n",
				c == ':' ? "missing argument of" : "unknown option",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "exec"))
		*status = EXIT_EXEC;	/* 2 may be the program's own */
	if (name && sock) {
		fprintf(stderr, "rrctl: give -n or -s, not both\n");
		return -1;
	}
	if (optind >= argc) {
		fprintf(stderr, "rrctl: no command given\nUsage: rrctl [-n NAME "
			"| -s PATH] COMMAND [ARGS...]\n");
		return -1;
	}
	if (sock && (size_t)snprintf(path, size, "%s", sock) >= size) {
		fprintf(stderr, "rrctl: %s: path too long\n", sock);
		return -1;
	}
	if (name && ctl_path_default(name, path, size)) {
		fprintf(stderr, "rrctl: bad sandbox name '%s'\n", name);
		return -1;
	}
	if (!name && !sock && find_only(path, size))
		return -1;
	return optind;
}

/* Join argv[i..] with spaces into one RUN message in @buf. */
static ssize_t join(char **argv, int i, uint8_t *buf, size_t size)
{
	static char line[CTL_MSG_MAX];
	struct ctl_run m = { line, 0 };
	size_t len = 0, n;

	for (; argv[i]; i++) {
		n = strlen(argv[i]);
		if (len + n + 1 > sizeof(line) - CTL_RUN_HDR)
			return -EMSGSIZE;
		if (len)
			line[len++] = ' ';
		memcpy(line + len, argv[i], n);
		len += n;
	}
	m.len = (uint32_t)len;
	return ctl_run_encode(&m, buf, size);
}

/* Connect to the sandbox's socket; -1 after saying why. */
static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { TIMEOUT_S, 0 };
	int fd, e;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		e = errno;
		close(fd);
		errno = e;
	}
	fprintf(stderr, "rrctl: cannot connect to %s: %s%s\n", path,
		strerror(errno), errno == ENOENT || errno == ECONNREFUSED ?
		" (is the sandbox running?)" : "");
	return -1;
}

/* Receive and print RESULT messages until the last; the exit status. */
static int receive(int fd, const char *path, uint8_t *buf, size_t size)
{
	struct ctl_result m;
	bool first = true;
	ssize_t n;

	do {
		n = recv(fd, buf, size, 0);
		if (n <= 0) {
			fprintf(stderr, "rrctl: %s: %s\n", path, n ? strerror(errno) :
				"connection closed before the reply (too many "
				"clients?)");
			return EXIT_USAGE;
		}
		if (ctl_result_decode(buf, (size_t)n, &m)) {
			fprintf(stderr, "rrctl: %s: malformed reply\n", path);
			return EXIT_USAGE;
		}
		if (m.status && first)
			fputs("rrctl: ", stderr);
		fwrite(m.text, 1, m.len, m.status ? stderr : stdout);
		first = false;
	} while (m.flags & CTL_RESULT_MORE);
	return m.status ? EXIT_CMD : 0;
}

/* Block the signals of the 0-ended list @sigs and read them from the
 * signalfd returned, or -1. */
static int signals_fd(const int *sigs)
{
	sigset_t set;

	sigemptyset(&set);
	for (; *sigs; sigs++)
		sigaddset(&set, *sigs);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return signalfd(-1, &set, SFD_CLOEXEC);
}

/* Fds 0, 1 and 2, /dev/null for any that is closed; false if impossible. */
static bool std_fds(int fds[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		fds[i] = i;
		if (fcntl(i, F_GETFD) >= 0)
			continue;
		fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fds[i] < 0)
			return false;
	}
	return true;
}

/* Send the EXEC message of @len bytes in @buf with @fds. */
static int send_exec(int fd, const uint8_t *buf, size_t len, const int fds[3])
{
	struct iovec iov = { (void *)buf, len };

	return fdpass_send(fd, &iov, 1, fds, 3, MSG_NOSIGNAL) == (ssize_t)len ?
	       0 : -1;
}

/* An error RESULT of an EXEC: printed; the exit status. */
static int exec_failed(const struct ctl_result *m)
{
	fputs("rrctl: ", stderr);
	fwrite(m->text, 1, m->len, stderr);
	if (!(m->flags & CTL_RESULT_EXEC))
		return EXIT_EXEC;
	return m->status == -ENOENT ? 127 : 126;
}

/*
 * struct pty - `rrctl exec -t`: the pseudo-terminal rrctl relays
 * @master:	its master side (non-blocking), -1 without one
 * @in:		bytes read from stdin not yet written to @master
 * @in_len:	how many
 * @in_eof:	stdin ended (^D was written for it)
 * @raw:	stdin is a terminal put in raw mode, to restore (@saved)
 * @saved:	its modes before
 */
struct pty {
	int master;
	char in[4096];
	size_t in_len;
	bool in_eof;
	bool raw;
	struct termios saved;
};

/* Copy the window size of our terminal (if any) to the pty. */
static void pty_winsize(const struct pty *t)
{
	struct winsize ws;

	if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) ||
	    !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		ioctl(t->master, TIOCSWINSZ, &ws);
}

/*
 * pty_open() - a pseudo-terminal for the program
 * @t:		filled in; stdin put in raw mode if it is a terminal
 *
 * The program's side takes our terminal's modes and size, so that it
 * edits lines as ours would; ours goes raw, so that every key (Ctrl-C
 * as a byte, which the program's line discipline turns into SIGINT)
 * reaches it.
 *
 * Return: the program's side (close-on-exec), or -1 after saying why
 */
static int pty_open(struct pty *t)
{
	struct termios raw;
	char name[64];
	int pts;

	t->raw = false;
	t->in_len = 0;
	t->in_eof = false;
	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->master < 0 || grantpt(t->master) || unlockpt(t->master) ||
	    ptsname_r(t->master, name, sizeof(name)) ||
	    (pts = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		perror("rrctl: exec: a pseudo-terminal");
		if (t->master >= 0)
			close(t->master);
		t->master = -1;
		return -1;
	}
	fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_NONBLOCK);
	pty_winsize(t);
	if (!tcgetattr(STDIN_FILENO, &t->saved)) {
		tcsetattr(pts, TCSANOW, &t->saved);
		raw = t->saved;
		cfmakeraw(&raw);
		t->raw = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	return pts;
}

static void pty_close(struct pty *t)
{
	if (t->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	t->raw = false;
	if (t->master >= 0)
		close(t->master);
	t->master = -1;
}

/* Write all of @len bytes to @fd (blocking); false on an error. */
static bool write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* What the program wrote, to stdout; false once the pty is gone. */
static bool pty_out(struct pty *t)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = read(t->master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0)	/* EIO: no process holds its side any more */
			return false;
		if (!write_all(STDOUT_FILENO, buf, (size_t)n))
			return true;	/* our stdout is gone: drop it */
	}
}

/*
 * After the program's end: what it wrote last reaches the master side a
 * moment later (the tty layer hands it over from a worker), so read on
 * until no process holds the program's side (EIO), or 200 ms pass
 * without a byte (a daemon it left may hold it for ever).
 */
static void pty_drain(struct pty *t)
{
	struct pollfd p = { t->master, POLLIN, 0 };

	while (t->master >= 0 && poll(&p, 1, 200) > 0)
		if (!pty_out(t))
			break;
}

/* Stdin to the program, as far as the pty takes it. */
static void pty_in(struct pty *t, bool readable)
{
	ssize_t n;

	if (readable && !t->in_len && !t->in_eof) {
		n = read(STDIN_FILENO, t->in, sizeof(t->in));
		if (n > 0) {
			t->in_len = (size_t)n;
		} else if (n == 0 || errno != EINTR) {
			t->in_eof = true;	/* as ^D at a line's start */
			t->in[0] = 4;
			t->in_len = 1;
		}
	}
	if (!t->in_len)
		return;
	n = write(t->master, t->in, t->in_len);
	if (n > 0) {
		memmove(t->in, t->in + n, t->in_len - (size_t)n);
		t->in_len -= (size_t)n;
	} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		t->in_len = 0;
	}
}

static time_t mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Wait for the program's end, passing signals on (and relaying its
 * pseudo-terminal with -t): its exit status as a shell gives it.  One
 * message at a time from the server: STARTED, EXITED, or a RESULT with
 * the error.
 */
static int exec_wait(int fd, int sfd, struct pty *t, const char *path,
		     uint8_t *buf, size_t size)
{
	struct pollfd p[4] = { { fd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
	struct signalfd_siginfo si;
	struct ctl_result r;
	uint8_t msg[CTL_VALUE_LEN];
	time_t deadline = mono_s() + TIMEOUT_S;
	bool started = false;
	int32_t v;
	ssize_t n;
	int ret;

	for (;;) {
		p[2] = (struct pollfd){ t->master, POLLIN, 0 };
		if (t->in_len)
			p[2].events |= POLLOUT;
		p[3] = (struct pollfd){ t->master >= 0 && !t->in_len &&
					!t->in_eof ? STDIN_FILENO : -1, POLLIN, 0 };
		/* a helper that never answers (stopped by a program of the
		 * sandbox?) must not hold rrctl for ever */
		ret = poll(p, 4, started ? -1 : 1000);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			break;
		if (!started && mono_s() >= deadline) {
			fprintf(stderr, "rrctl: %s: the sandbox did not start the "
				"program within %d s\n", path, TIMEOUT_S);
			return EXIT_EXEC;
		}
		if (p[2].revents && !pty_out(t)) {
			/* no process holds the program's side: keep only
			 * our terminal's modes to restore */
			close(t->master);
			t->master = -1;
			t->in_len = 0;
		}
		if (t->master >= 0 && (p[2].revents & POLLOUT || p[3].revents))
			pty_in(t, p[3].revents != 0);
		if (p[1].revents & POLLIN &&
		    read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGWINCH && t->master >= 0)
				pty_winsize(t);
			else if (si.ssi_signo != SIGWINCH &&
				 ctl_value_encode(CTL_SIGNAL, (int32_t)si.ssi_signo,
						  msg, sizeof(msg)) > 0)
				send(fd, msg, sizeof(msg),
				     MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		if (!p[0].revents)
			continue;
		n = recv(fd, buf, size, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		if (!ctl_value_decode(buf, (size_t)n, CTL_STARTED, &v)) {
			started = true;
			continue;
		}
		if (!ctl_value_decode(buf, (size_t)n, CTL_EXITED, &v)) {
			pty_drain(t);
			if (WIFEXITED(v))
				return WEXITSTATUS(v);
			return WIFSIGNALED(v) ? 128 + WTERMSIG(v) : EXIT_EXEC;
		}
		if (!ctl_result_decode(buf, (size_t)n, &r) && r.status)
			return exec_failed(&r);
		fprintf(stderr, "rrctl: %s: malformed reply\n", path);
		return EXIT_EXEC;
	}
	fprintf(stderr, "rrctl: %s: the connection closed before the program "
		"ended (did the sandbox end?)\n", path);
	return EXIT_EXEC;
}

/* The slot of NULL-terminated @v holding NAME=... (@len bytes of @name),
 * or NULL */
static char **env_find(char **v, const char *name, size_t len)
{
	for (; *v; v++)
		if (!strncmp(*v, name, len) && (*v)[len] == '=')
			return v;
	return NULL;
}

/*
 * -e NAME=VALUE (or -e NAME: rrctl's own value, or none) into @env, a
 * NULL-terminated copy of rrctl's environment with room for one more:
 * the variable is replaced where it was, else added.  Return: 0, or -1
 * with a message.
 */
static int env_set(char **env, size_t *n, const char *arg)
{
	extern char **environ;
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
	char *val = (char *)arg, **own, **slot;

	if (!klen) {
		fprintf(stderr, "rrctl: exec: -e '%s': no variable name\n", arg);
		return -1;
	}
	if (!eq) {	/* docker exec -e NAME: the client's own, if set */
		own = env_find(environ, arg, klen);
		val = own ? *own : NULL;
	}
	slot = env_find(env, arg, klen);
	if (!val) {	/* -e NAME, unset in rrctl: none, its NULL moved too */
		if (slot) {
			memmove(slot, slot + 1, (size_t)(env + *n - slot) * sizeof(*slot));
			--*n;
		}
		return 0;
	}
	if (slot) {
		*slot = val;
	} else {
		env[(*n)++] = val;
		env[*n] = NULL;
	}
	return 0;
}

/* -w DIR into @cwd: DIR itself, or a relative one from rrctl's own, as
 * cd would; without DIR rrctl's.  Return: 0, or -1 with a message. */
static int exec_cwd(const char *workdir, char *cwd, size_t size)
{
	size_t l;

	if (workdir && workdir[0] == '/') {
		if (strlen(workdir) >= size)
			goto too_long;
		strcpy(cwd, workdir);
		return 0;
	}
	if (!getcwd(cwd, size)) {
		perror("rrctl: exec: the working directory");
		return -1;
	}
	if (!workdir)
		return 0;
	l = strlen(cwd);
	if (l + 1 + strlen(workdir) >= size)
		goto too_long;
	snprintf(cwd + l, size - l, "%s%s", cwd[l - 1] == '/' ? "" : "/", workdir);
	return 0;
too_long:
	fprintf(stderr, "rrctl: exec: -w: %s\n", strerror(ENAMETOOLONG));
	return -1;
}

/*
 * Whether argv[*@i] is option @opt or @longopt, with its value in *@val:
 * "-e V", "--env V" or "--env=V".  A missing value is NULL, said here.
 * Moves *@i past a value taken from the next word.
 */
static bool opt_value(char **argv, int *i, const char *opt,
		      const char *longopt, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(longopt);

	if (!strncmp(a, longopt, n) && a[n] == '=') {
		*val = a + n + 1;
		return true;
	}
	if (strcmp(a, opt) && strcmp(a, longopt))
		return false;
	if (!(*val = argv[*i + 1]))
		fprintf(stderr, "rrctl: exec: %s wants a value\n", a);
	else
		++*i;
	return true;
}

/*
 * The EXEC request of `rrctl exec [-t] [-e ...] [-w DIR] [--] PROGRAM...`
 * (argv from @i) into @buf: its length, or -1 with a message.  @flags
 * gets CTL_EXEC_TTY for -t.
 */
static ssize_t exec_request(char **argv, int i, uint32_t *flags, uint8_t *buf,
			    size_t size)
{
	extern char **environ;
	static char cwd[PATH_MAX];
	const char *workdir = NULL;
	size_t n_env = 0, argc = 0;
	ssize_t len = -1;
	char **env;

	while (environ[n_env])
		n_env++;
	while (argv[argc])
		argc++;
	/* rrctl's environment and a slot for each -e: pointers into either */
	env = calloc(n_env + argc + 1, sizeof(*env));
	if (!env) {
		perror("rrctl: exec");
		return -1;
	}
	memcpy(env, environ, n_env * sizeof(*env));
	for (; argv[i] && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *val;

		if (opt_value(argv, &i, "-e", "--env", &val)) {
			if (!val || env_set(env, &n_env, val))
				goto out;
		} else if (opt_value(argv, &i, "-w", "--workdir", &val)) {
			if (!val)
				goto out;
			if (!*val) {
				fprintf(stderr, "rrctl: exec: %s: an empty directory\n", a);
				goto out;
			}
			workdir = val;
		} else if (!strcmp(a, "-t") || !strcmp(a, "--tty")) {
			*flags |= CTL_EXEC_TTY;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "rrctl: exec: unknown option '%s' (a "
				"program's name after --)\n", argv[i]);
			goto out;
		}
	}
	if (!argv[i]) {
		fprintf(stderr, "rrctl: exec: no program given\nUsage: rrctl "
			"[-n NAME | -s PATH] exec [-t] [-e NAME[=VALUE]]... "
			"[-w DIR] [--] PROGRAM [ARGS...]\n");
		goto out;
	}
	if (exec_cwd(workdir, cwd, sizeof(cwd)))
		goto out;
	len = ctl_exec_encode(*flags, cwd, argv + i, env, buf, size);
	if (len < 0)
		fprintf(stderr, "rrctl: exec: arguments and environment longer "
			"than %u bytes\n", CTL_MSG_MAX - CTL_EXEC_HDR);
out:
	free(env);
	return len;
}

/* `rrctl exec ...`: run PROGRAM in the sandbox; its status. */
static int exec_main(char **argv, int i, const char *path, uint8_t *buf,
		     size_t size)
{
	static struct pty t = { .master = -1 };
	struct timeval none = { 0, 0 };
	int fds[3], fd, sfd, status, pts = -1, k;
	uint32_t flags = 0;
	ssize_t len;

	signal(SIGPIPE, SIG_IGN);	/* a closed stdout: EPIPE, dropped */
	if ((len = exec_request(argv, i, &flags, buf, size)) < 0)
		return EXIT_EXEC;
	if (!std_fds(fds)) {
		perror("rrctl: exec: /dev/null");
		return EXIT_EXEC;
	}
	sfd = signals_fd((const int[]){ SIGINT, SIGQUIT, SIGTERM, SIGHUP,
					(flags & CTL_EXEC_TTY) ? SIGWINCH : 0, 0 });
	if (sfd < 0) {
		perror("rrctl: exec: signalfd");
		return EXIT_EXEC;
	}
	if ((fd = connect_to(path)) < 0)
		return EXIT_EXEC;
	/* the program may run for days */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	if ((flags & CTL_EXEC_TTY) && (pts = pty_open(&t)) < 0) {
		close(fd);
		return EXIT_EXEC;
	}
	for (k = 0; k < 3 && pts >= 0; k++)
		fds[k] = pts;
	if (send_exec(fd, buf, (size_t)len, fds)) {
		pty_close(&t);
		fprintf(stderr, "rrctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return EXIT_EXEC;
	}
	if (pts >= 0)
		close(pts);	/* the program's now: EIO once it is done */
	status = exec_wait(fd, sfd, &t, path, buf, size);
	pty_close(&t);
	close(fd);
	close(sfd);
	return status;
}

/*
 * struct viewer - `rrctl capture` at a terminal: tcpdump shows the stream
 * @rfd:	the pipe's read end, its stdin; -1 without a viewer
 * @pid:	its pid once started, else -1
 */
struct viewer {
	int rfd;
	pid_t pid;
};

/* Start `tcpdump -n -l -r -` on the pipe, in a process group of its own:
 * once the capture runs, so that an error leaves no tcpdump complaining
 * of an empty file. */
static void viewer_start(struct viewer *w)
{
	w->pid = fork();
	if (!w->pid) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		/* a Ctrl-C is rrctl's alone: the sandbox stops the stream
		 * and tcpdump ends at its end, every frame shown (its own
		 * SIGINT would cut a read short, with an error) */
		setpgid(0, 0);
		if (dup2(w->rfd, STDIN_FILENO) == STDIN_FILENO)
			execlp("tcpdump", "tcpdump", "-n", "-l", "-r", "-",
			       (char *)NULL);
		fprintf(stderr, "rrctl: capture: tcpdump: %s\n", strerror(errno));
		_exit(127);
	}
	if (w->pid < 0)
		perror("rrctl: capture: fork");
	close(w->rfd);
	w->rfd = -1;
}

/* Reap the viewer, which reads to the end of the stream once the sandbox
 * closed it (or was interrupted with rrctl): STOP_WAIT_MS at most. */
static void viewer_wait(struct viewer *w)
{
	int i;

	for (i = 0; w->pid > 0 && i < STOP_WAIT_MS / 10; i++) {
		if (waitpid(w->pid, NULL, WNOHANG) != 0) {
			w->pid = -1;
			return;
		}
		usleep(10000);
	}
}

/*
 * Wait for a capture's end, asking the sandbox to stop it when a signal
 * comes: the exit status.  Messages: STARTED, then a RESULT with the
 * counts (or with the error, before STARTED).
 */
static int capture_wait(int fd, int sfd, const char *dev, const char *path,
			uint8_t *buf, size_t size, struct viewer *w)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
	struct signalfd_siginfo si;
	uint8_t msg[CTL_VALUE_LEN];
	struct ctl_result r;
	bool started = false, stopping = false;
	int32_t v;
	ssize_t n;
	int ret;

	for (;;) {
		ret = poll(p, 2, stopping ? STOP_WAIT_MS :
				 started ? -1 : TIMEOUT_S * 1000);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0) {
			fprintf(stderr, "rrctl: %s: no answer from the sandbox%s\n",
				path, ret ? "" : " in time");
			return stopping ? 0 : EXIT_USAGE;
		}
		if (p[1].revents & POLLIN && !stopping &&
		    read(sfd, &si, sizeof(si)) == sizeof(si) &&
		    ctl_value_encode(CTL_SIGNAL, (int32_t)si.ssi_signo, msg,
				     sizeof(msg)) > 0) {
			stopping = true;
			p[1].fd = -1;
			send(fd, msg, sizeof(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		if (!p[0].revents)
			continue;
		n = recv(fd, buf, size, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			fprintf(stderr, "rrctl: capture on %s ended: the "
				"connection closed (did the sandbox end?)\n", dev);
			return EXIT_CMD;
		}
		if (!started &&
		    !ctl_value_decode(buf, (size_t)n, CTL_STARTED, &v)) {
			started = true;
			if (w->rfd >= 0)
				viewer_start(w);
			continue;
		}
		if (ctl_result_decode(buf, (size_t)n, &r)) {
			fprintf(stderr, "rrctl: %s: malformed reply\n", path);
			return EXIT_USAGE;
		}
		viewer_wait(w);		/* its last lines before the counts */
		fputs("rrctl: ", stderr);
		fwrite(r.text, 1, r.len, stderr);
		return r.status ? EXIT_CMD : 0;
	}
}

/* `rrctl capture [--] DEVICE`: a pcap stream to stdout; the status. */
static int capture_main(char **argv, int i, const char *path, uint8_t *buf,
			size_t size)
{
	static char text[CTL_MSG_MAX];
	struct ctl_run m = { text, 0 };
	struct timeval none = { 0, 0 };
	struct iovec iov;
	int fd, sfd, out = STDOUT_FILENO, status, dashes, k, p[2];
	struct viewer w = { -1, -1 };
	ssize_t len;
	size_t n;

	signal(SIGPIPE, SIG_IGN);
	dashes = argv[i] && !strcmp(argv[i], "--");
	i += dashes;
	if (!argv[i] || (!dashes && argv[i][0] == '-')) {
		fprintf(stderr, "rrctl: capture: %s\nUsage: rrctl [-n NAME | -s "
			"PATH] capture [--] DEVICE [FILTER...]\n", !argv[i] ?
			"no device given" :
			"unknown option (a device's name after --)");
		return EXIT_USAGE;
	}
	if (fcntl(out, F_GETFD) < 0) {
		fprintf(stderr, "rrctl: capture: stdout is closed\n");
		return EXIT_USAGE;
	}
	if (isatty(out) && !path_has("tcpdump", true)) {
		fprintf(stderr, "rrctl: capture: stdout is a terminal and "
			"tcpdump is not installed to show it there; pipe it into "
			"a reader (rrctl capture %s | wireshark -k -i -) or "
			"redirect it to a file\n", argv[i]);
		return EXIT_USAGE;
	}
	m.len = (uint32_t)strlen(argv[i]);
	if (m.len > CTL_DEV_MAX) {
		fprintf(stderr, "rrctl: capture: '%s': device names are at "
			"most %u characters\n", argv[i], CTL_DEV_MAX);
		return EXIT_USAGE;
	}
	memcpy(text, argv[i], m.len);
	/* the filter's words joined with spaces, as tcpdump joins them,
	 * after a NUL */
	for (k = i + 1; argv[k]; k++) {
		n = strlen(argv[k]);
		if (m.len + 1 + n > sizeof(text) - CTL_RUN_HDR) {
			fprintf(stderr, "rrctl: capture: device and filter "
				"longer than %u bytes\n",
				CTL_MSG_MAX - CTL_RUN_HDR - 1);
			return EXIT_USAGE;
		}
		text[m.len++] = k == i + 1 ? '\0' : ' ';
		memcpy(text + m.len, argv[k], n);
		m.len += (uint32_t)n;
	}
	len = ctl_capture_encode(&m, buf, size);
	sfd = signals_fd((const int[]){ SIGINT, SIGTERM, SIGHUP, 0 });
	if (len < 0 || sfd < 0) {
		perror("rrctl: capture: signalfd");
		return EXIT_USAGE;
	}
	if ((fd = connect_to(path)) < 0)
		return EXIT_USAGE;
	/* a capture may run for days */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	/* at a terminal, tcpdump shows it, as `tcpdump -i` would */
	if (isatty(out)) {
		if (pipe2(p, O_CLOEXEC)) {
			perror("rrctl: capture: pipe");
			close(fd);
			return EXIT_USAGE;
		}
		w.rfd = p[0];
		out = p[1];
	}
	iov = (struct iovec){ buf, (size_t)len };
	if (fdpass_send(fd, &iov, 1, &out, 1, MSG_NOSIGNAL) != len) {
		fprintf(stderr, "rrctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return EXIT_USAGE;
	}
	if (out != STDOUT_FILENO)
		close(out);	/* the sandbox has its own: tcpdump's EOF */
	status = capture_wait(fd, sfd, argv[i], path, buf, size, &w);
	close(fd);
	close(sfd);
	if (w.rfd >= 0)
		close(w.rfd);
	viewer_wait(&w);
	return status;
}

int main(int argc, char **argv)
{
	static uint8_t buf[CTL_MSG_MAX + 1];
	char path[CTL_PATH_MAX];
	int i, fd, status;
	ssize_t len;

	if ((i = parse(argc, argv, path, sizeof(path), &status)) < 0)
		return status;
	if (!strcmp(argv[i], "exec"))
		return exec_main(argv, i + 1, path, buf, sizeof(buf));
	if (!strcmp(argv[i], "capture"))
		return capture_main(argv, i + 1, path, buf, sizeof(buf));
	if ((len = join(argv, i, buf, sizeof(buf))) < 0) {
		fprintf(stderr, "rrctl: command longer than %u bytes\n",
			CTL_MSG_MAX - CTL_RUN_HDR);
		return EXIT_USAGE;
	}
	if ((fd = connect_to(path)) < 0)
		return EXIT_USAGE;
	if (send(fd, buf, (size_t)len, MSG_NOSIGNAL) != len) {
		fprintf(stderr, "rrctl: %s: %s\n", path, strerror(errno));
		close(fd);
		return EXIT_USAGE;
	}
	status = receive(fd, path, buf, sizeof(buf));
	close(fd);
	if (fflush(stdout))
		return EXIT_USAGE;
	return status;
}

/* SPDX-License-Identifier: MIT */
/*
 * churn.c - opens and closes many short TCP connections on loopback.
 *
 * A load program for leak hunting: a listener thread on 127.0.0.1 (or ::1)
 * port 0 echoes an 8-byte message on each of N connections that the main
 * thread opens one after another.  Even connections are closed by the
 * server first, odd ones by the client, so both close orders (and both
 * TIME_WAIT sides) are exercised.  With --wait-before / --wait-after it
 * pauses, holding no sockets at all, until a file exists (at most 60 s),
 * so a test can sample the supervisor's statistics before and after.
 *
 * Usage: churn [N] [--ipv6] [--wait-before FILE] [--wait-after FILE]
 *              [--timeout SECONDS]
 *        N defaults to 10000, the watchdog to 300 s (churn only).
 *
 * Prints "churn: N connections ok" and exits 0, or names the connection
 * and step that failed and exits 1.  It knows nothing of rrsandbox.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MSG_LEN 8

struct server {
	int fd;			/* the listener */
	long n;			/* connections to serve */
	long done;		/* connections served */
	char err[160];		/* first failure, or "" */
};

static void on_alarm(int sig)
{
	static const char msg[] = "churn: watchdog timeout\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads exactly @len bytes. Return: @len, 0 on early EOF, -1 on error. */
static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n;
		got += n;
	}
	return (ssize_t)got;
}

static ssize_t write_full(int fd, const char *buf, size_t len)
{
	size_t put = 0;
	ssize_t n;

	while (put < len) {
		n = write(fd, buf + put, len - put);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		put += n;
	}
	return (ssize_t)put;
}

/* Serves one connection: echo, then close first (even) or after EOF (odd). */
static int serve_one(int c, char *err, size_t size)
{
	char buf[MSG_LEN + 1];
	long i;

	if (read_full(c, buf, MSG_LEN) != MSG_LEN) {
		snprintf(err, size, "server read: %s", strerror(errno));
		return -1;
	}
	buf[MSG_LEN] = '\0';
	i = strtol(buf + 1, NULL, 10);
	if (write_full(c, buf, MSG_LEN) != MSG_LEN) {
		snprintf(err, size, "server write #%ld: %s", i, strerror(errno));
		return -1;
	}
	if (i % 2 && read_full(c, buf, 1) != 0) {
		snprintf(err, size, "server #%ld: no EOF from the client", i);
		return -1;
	}
	return 0;
}

static void *server_main(void *arg)
{
	struct server *s = arg;
	sigset_t all;
	int c;

	/* Signals (the watchdog) belong to the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (s->done < s->n) {
		c = accept(s->fd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			snprintf(s->err, sizeof(s->err), "accept: %s", strerror(errno));
			break;
		}
		if (serve_one(c, s->err, sizeof(s->err)) < 0) {
			close(c);
			break;
		}
		close(c);
		s->done++;
	}
	return NULL;
}

/* Runs connection @i against @addr. Return: 0, or -1 with @err filled. */
static int client_one(long i, const struct sockaddr *addr, socklen_t len,
		      char *err, size_t size)
{
	char msg[MSG_LEN + 1], buf[MSG_LEN];
	const char *step;
	int fd, ret = -1;

	snprintf(msg, sizeof(msg), "c%07lu", (unsigned long)i % 10000000);
	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		step = "socket";
		goto fail;
	}
	step = "connect";
	if (connect(fd, addr, len) < 0)
		goto fail;
	step = "write";
	if (write_full(fd, msg, MSG_LEN) != MSG_LEN)
		goto fail;
	step = "read echo";
	if (read_full(fd, buf, MSG_LEN) != MSG_LEN)
		goto fail;
	step = "compare echo";
	errno = EBADMSG;
	if (memcmp(buf, msg, MSG_LEN))
		goto fail;
	/* Even: the server closes first, so we must see EOF. */
	step = "read EOF";
	errno = EBADMSG;
	if (i % 2 == 0 && read_full(fd, buf, 1) != 0)
		goto fail;
	ret = 0;
fail:
	if (ret < 0)
		snprintf(err, size, "connection %ld: %s: %s", i, step, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Polls for @path to exist, at most 60 s. Return: 0, or -1 on timeout. */
static int wait_file(const char *what, const char *path)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	struct stat st;
	int i;

	printf("# churn: pid %d waiting %s for %s\n", (int)getpid(), what, path);
	fflush(stdout);
	for (i = 0; i < 60 * 20; i++) {
		if (stat(path, &st) == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	printf("churn: timed out waiting %s for %s\n", what, path);
	return -1;
}

/* Opens the listener on loopback port 0; @ss gets its address. */
static int open_listener(int af, struct sockaddr_storage *ss, socklen_t *len)
{
	int fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		*len = sizeof(*sin6);
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)ss, *len) < 0 ||
	    listen(fd, 64) < 0 || getsockname(fd, (struct sockaddr *)ss, len) < 0) {
		printf("churn: listener: %s\n", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *before = NULL, *after = NULL;
	struct server srv = { .fd = -1, .n = 10000 };
	struct sockaddr_storage ss;
	unsigned timeout = 300;
	char err[160] = "";
	int af = AF_INET, i;
	socklen_t len;
	pthread_t th;
	double t0;
	long k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--wait-before") && i + 1 < argc)
			before = argv[++i];
		else if (!strcmp(argv[i], "--wait-after") && i + 1 < argc)
			after = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ipv6"))
			af = AF_INET6;
		else if (argv[i][0] != '-' && (srv.n = atol(argv[i])) > 0)
			continue;
		else {
			fprintf(stderr, "usage: %s [N] [--ipv6] [--wait-before FILE] "
				"[--wait-after FILE] [--timeout SECONDS]\n", argv[0]);
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, on_alarm);
	if (before && wait_file("before", before) < 0)
		return 1;

	alarm(timeout);
	srv.fd = open_listener(af, &ss, &len);
	if (srv.fd < 0)
		return 1;
	if (pthread_create(&th, NULL, server_main, &srv)) {
		printf("churn: pthread_create failed\n");
		return 1;
	}
	t0 = now_s();
	for (k = 0; k < srv.n; k++)
		if (client_one(k, (struct sockaddr *)&ss, len, err, sizeof(err)) < 0)
			break;
	if (k < srv.n) {
		/* The server may be blocked in accept(): report and leave. */
		printf("churn: failed at %s (server: %s)\n", err,
		       srv.err[0] ? srv.err : "no error");
		return 1;
	}
	pthread_join(th, NULL);
	close(srv.fd);
	alarm(0);
	if (srv.err[0] || srv.done != srv.n) {
		printf("churn: server failed after %ld connections: %s\n", srv.done, srv.err);
		return 1;
	}
	printf("# churn: %ld connections in %.2f s\n", srv.n, now_s() - t0);
	printf("churn: %ld connections ok\n", srv.n);
	fflush(stdout);
	if (after && wait_file("after", after) < 0)
		return 1;
	return 0;
}

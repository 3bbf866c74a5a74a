/* SPDX-License-Identifier: MIT */
/*
 * rrctl.c - send one command to a running rrsandbox over its control
 * socket and print the answer.
 *
 * Joins its arguments into one command line, sends it as a RUN message
 * (ctlmsg.c, the only other file it is built from) and prints the RESULT
 * messages: output to stdout, an error to stderr.  It knows neither the
 * commands nor the network: `rrctl help` asks the sandbox.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlmsg.h"

#define EXIT_CMD	1	/* the command failed */
#define EXIT_USAGE	2	/* usage or connection error */
#define TIMEOUT_S	10	/* for the whole reply */

static const char usage[] =
"Usage: rrctl [-n NAME | -s PATH] COMMAND [ARGS...]\n"
"\n"
"Run COMMAND in a running rrsandbox, e.g.\n"
"  rrctl -n r1 route add 10.1.0.0/16 via 10.0.0.2\n"
"  rrctl -n r1 show routes\n"
"`rrctl -n NAME help` lists the commands.\n"
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
"connection errors.\n";

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

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { TIMEOUT_S, 0 };
	int fd;

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
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

int main(int argc, char **argv)
{
	static uint8_t buf[CTL_MSG_MAX + 1];
	char path[CTL_PATH_MAX];
	int i, fd, status;
	ssize_t len;

	if ((i = parse(argc, argv, path, sizeof(path), &status)) < 0)
		return status;
	if ((len = join(argv, i, buf, sizeof(buf))) < 0) {
		fprintf(stderr, "rrctl: command longer than %u bytes\n",
			CTL_MSG_MAX - CTL_RUN_HDR);
		return EXIT_USAGE;
	}
	if ((fd = connect_to(path)) < 0) {
		fprintf(stderr, "rrctl: cannot connect to %s: %s%s\n", path,
			strerror(errno), errno == ENOENT || errno == ECONNREFUSED ?
			" (is the sandbox running?)" : "");
		return EXIT_USAGE;
	}
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

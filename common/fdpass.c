/* SPDX-License-Identifier: MIT */
/*
 * fdpass.c - send and receive a datagram with SCM_RIGHTS fds (fdpass.h).
 *
 * Linked into rrsandbox (the tracer, its exec helper, the control socket)
 * and rrctl.  Nothing here allocates or logs: the helper calls it in a
 * forked copy of the supervisor.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fdpass.h"

/**
 * fdpass_send() - sendmsg() of @iov with @n fds in one SCM_RIGHTS
 * @sock:	the socket
 * @iov:	the data
 * @iovcnt:	its pieces
 * @fds:	the fds, which stay the caller's
 * @n:		how many (1..FDPASS_MAX)
 * @flags:	sendmsg()'s
 *
 * Return: as sendmsg(); -1 with EINVAL for a bad @n
 */
ssize_t fdpass_send(int sock, const struct iovec *iov, int iovcnt,
		    const int *fds, unsigned int n, int flags)
{
	char cbuf[CMSG_SPACE(FDPASS_MAX * sizeof(int))] = { 0 };
	struct msghdr mh = {
		.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)iovcnt,
		.msg_control = cbuf, .msg_controllen = CMSG_SPACE(n * sizeof(int)),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	if (!n || n > FDPASS_MAX) {
		errno = EINVAL;
		return -1;
	}
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	return sendmsg(sock, &mh, flags);
}

/**
 * fdpass_recv() - recvmsg() of one datagram and the fds that came with it
 * @sock:	the socket
 * @buf:	for the data
 * @len:	its size
 * @flags:	recvmsg()'s (MSG_CMSG_CLOEXEC, MSG_DONTWAIT, ...)
 * @fds:	filled with the first @max fds received, in order
 * @max:	at most FDPASS_MAX
 * @n:		set to how many are in @fds (0 on an error); any beyond
 *		@max are closed
 * @msg_flags:	set to the message's flags (MSG_TRUNC, MSG_CTRUNC), or NULL
 *
 * Return: as recvmsg()
 */
ssize_t fdpass_recv(int sock, void *buf, size_t len, int flags, int *fds,
		    unsigned int max, unsigned int *n, int *msg_flags)
{
	char cbuf[CMSG_SPACE((FDPASS_MAX + 1) * sizeof(int))];
	struct iovec iov = { buf, len };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	size_t i, cnt;
	ssize_t got;
	int fd;

	*n = 0;
	got = recvmsg(sock, &mh, flags);
	if (msg_flags)
		*msg_flags = got < 0 ? 0 : mh.msg_flags;
	if (got < 0)
		return got;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		cnt = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < cnt; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (*n < max && *n < FDPASS_MAX)
				fds[(*n)++] = fd;
			else
				close(fd);
		}
	}
	return got;
}

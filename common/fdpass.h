/* SPDX-License-Identifier: MIT */
/*
 * fdpass.h - a datagram with file descriptors (SCM_RIGHTS) over an
 * AF_UNIX socket: the program's child hands the supervisor its seccomp
 * listener, rrctl hands the control socket its stdio for `rrctl exec`,
 * and the supervisor hands those on to the exec helper.
 */
#ifndef RRS_FDPASS_H
#define RRS_FDPASS_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#define FDPASS_MAX	4	/* fds in one message, either way */

ssize_t fdpass_send(int sock, const struct iovec *iov, int iovcnt,
		    const int *fds, unsigned int n, int flags);
ssize_t fdpass_recv(int sock, void *buf, size_t len, int flags, int *fds,
		    unsigned int max, unsigned int *n, int *msg_flags);

#endif /* RRS_FDPASS_H */

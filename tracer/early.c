/* SPDX-License-Identifier: MIT */
/*
 * early.c - the calls that reach the listener before the program's exec.
 *
 * The child loads the filter, hands its listener over and execs the
 * program; the exec closes the child's error pipe (close-on-exec), which
 * tells the supervisor the program runs.  Until then the loop does not
 * serve the listener, and what reaches it is sorted here:
 *   - a call of the child's own code (rrsandbox's, before its execve):
 *     the kernel runs it (CONTINUE), or the child would wait for ever.
 *     child() in notify.c makes no call that the filter traps, so this
 *     is a fallback;
 *   - anything else is held, unanswered, and served by the loop once it
 *     runs.  None comes today (the zygote of `rrctl exec`, forked before
 *     the exec, waits in poll(), not trapped, until a job comes), but the
 *     program's own calls and its children's would, if the pipe ever
 *     closed late because some process of the tree held a copy of its
 *     write end.  That happened once (2ff7c22: the zygote closed its copy
 *     itself), and the program's first calls ran outside the sandbox; a
 *     late pipe now only delays them.
 * A call is the child's own when it comes from the child's pid and the
 * child's executable is still the supervisor's file (/proc/PID/exe: the
 * same device and inode).  Without /proc the call is held.  A program that
 * is rrsandbox's own binary cannot be told from the child so; it would
 * need the pipe held open as well.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "log.h"

/* @pid runs the file this process runs, so has not exec'd. */
static bool own_code(pid_t pid)
{
	char path[32];
	struct stat self, st;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (stat("/proc/self/exe", &self) || stat(path, &st))
		return false;
	return st.st_dev == self.st_dev && st.st_ino == self.st_ino;
}

static int hold(struct trc__early *h, void *b)
{
	void **v;

	if (h->len == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 8;

		v = realloc(h->n, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		h->n = v;
		h->cap = cap;
	}
	h->n[h->len++] = b;
	return 0;
}

/**
 * trc__wait_exec() - wait for the child's exec, sorting the calls that
 *		      come before it
 * @lfd:	the listener
 * @ep:		the child's error pipe: an errno, or EOF once exec closed it
 * @child:	the child's pid
 * @room:	bytes of the caller's own before each held notification
 *		(notify.c: a struct trc_call's, so that a held block is a
 *		call as is)
 * @size:	the kernel's struct seccomp_notif size
 * @h:		gets the calls held (see above), in their order, for the
 *		caller to serve or drop (trc__early_free())
 * @e:		set to the errno the child wrote
 *
 * The pipe is looked at first each time: a notification that comes with
 * the pipe closed is left in the kernel for the loop.
 *
 * Return: what read() of @ep returned, or -2 when the listener cannot be
 * read (a seccomp profile refusing ioctl(); said here) or memory ran out,
 * and the child is to be killed
 */
ssize_t trc__wait_exec(int lfd, int ep, pid_t child, size_t room,
		       size_t size, struct trc__early *h, int *e)
{
	struct pollfd p[2] = {
		{ .fd = ep, .events = POLLIN },
		{ .fd = lfd, .events = POLLIN },
	};
	struct seccomp_notif *n;
	void *b = NULL;

	h->room = room;
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err("waiting for the program to start: %s",
			    strerror(errno));
			goto fail;
		}
		if (p[0].revents)
			break;
		if (!(p[1].revents & POLLIN))
			continue;
		/* the notification was there; was the pipe closed before? */
		if (poll(p, 1, 0) > 0)
			break;
		if (!b && !(b = malloc(room + size))) {
			err("waiting for the program to start: out of memory");
			goto fail;
		}
		memset(b, 0, room + size);	/* RECV wants it zeroed */
		n = trc__early_notif(h, b);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, n)) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			err("the seccomp listener cannot be read: %s (does "
			    "a seccomp profile refuse ioctl()?)",
			    strerror(errno));
			goto fail;
		}
		if ((pid_t)n->pid == child && own_code(child)) {
			struct seccomp_notif_resp r = {
				.id = n->id,
				.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE,
			};

			debug("before exec: the child's own call %d runs",
			      n->data.nr);
			/* ENOENT: the child is gone; its pipe says why */
			(void)ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &r);
			continue;
		}
		debug("before exec: call %d of %d held", n->data.nr, (int)n->pid);
		if (hold(h, b)) {
			err("waiting for the program to start: out of memory");
			goto fail;
		}
		b = NULL;
	}
	free(b);
	return read(ep, e, sizeof(*e));
fail:
	free(b);
	return -2;
}

/* Forget what @h holds; callers of calls never answered get ENOSYS once
 * the listener closes. */
void trc__early_free(struct trc__early *h)
{
	size_t i;

	for (i = 0; i < h->len; i++)
		free(h->n[i]);
	free(h->n);
	memset(h, 0, sizeof(*h));
}

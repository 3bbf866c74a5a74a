// SPDX-License-Identifier: MIT
/*
 * watch.c - readiness of the supervisor's ends, in one epoll set of the
 * stack's own.
 *
 * Every socket's sv, and the program end a parked send waits on, is
 * watched.  A libuv poll handle for each cost four system calls more than
 * the one epoll_ctl() a watch needs: uv_poll_init() adds and removes the
 * fd to see that epoll takes it and sets O_NONBLOCK with FIONBIO, and
 * uv_poll_start() first removes the fd once more (ENOENT).  A local
 * connection creates one such fd; that was 4 of its 50 system calls.
 * Here the stack keeps its own epoll set, which the loop watches with a
 * single handle (ns->ep_poll): a watch is one EPOLL_CTL_ADD, one MOD per
 * change, one DEL when its fd goes, and O_NONBLOCK is left alone (a
 * program end shares the program's open file, so libuv's FIONBIO on it
 * showed the program a non-blocking socket for a moment).
 *
 * What a callback is told follows libuv's uv_poll_t exactly, as the
 * handlers were written for it: level-triggered; events masked to the
 * ones asked for; a lone EPOLLERR or EPOLLHUP reported as all of those;
 * EPOLLERR (without EPOLLPRI) stops the watch, which stays stopped until
 * asked for other events, and is reported as status UV_EBADF with no
 * events.  A watch dropped while a batch is being dispatched loses its
 * pending entry in that batch, so no callback runs for a freed socket.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "internal.h"
#include "log.h"

#define EP_BATCH	64	/* events read at once */
#define EP_ROUNDS	16	/* batches at most per wake-up, as libuv's 1024 */

static uint32_t to_epoll(int events)
{
	return (events & UV_READABLE ? EPOLLIN : 0) |
	       (events & UV_WRITABLE ? EPOLLOUT : 0) |
	       (events & UV_DISCONNECT ? EPOLLRDHUP : 0) |
	       (events & UV_PRIORITIZED ? EPOLLPRI : 0);
}

/* Out of the set (its fd stays open: a shared file would stay in it). */
static void disarm(struct ns_watch *w)
{
	if (w->armed && epoll_ctl(w->ns->ep, EPOLL_CTL_DEL, w->fd, NULL))
		debug("watch: fd %d: EPOLL_CTL_DEL: %s", w->fd, strerror(errno));
	w->armed = false;
}

static void dispatch(struct epoll_event *e)
{
	struct ns_watch *w = e->data.ptr;
	uint32_t ev = e->events, want;
	int events;

	if (!w || !w->armed)
		return;
	want = to_epoll(w->want);
	ev &= want | EPOLLERR | EPOLLHUP;
	if (ev == EPOLLERR || ev == EPOLLHUP)
		ev |= want;
	if (!ev)
		return;
	if ((ev & EPOLLERR) && !(ev & EPOLLPRI)) {
		disarm(w);	/* @want stays, as a stopped uv_poll_t's */
		w->cb(w, UV_EBADF, 0);
		return;
	}
	events = (ev & EPOLLIN ? UV_READABLE : 0) |
		 (ev & EPOLLOUT ? UV_WRITABLE : 0) |
		 (ev & EPOLLRDHUP ? UV_DISCONNECT : 0) |
		 (ev & EPOLLPRI ? UV_PRIORITIZED : 0);
	w->cb(w, 0, events);
}

static void on_ep(uv_poll_t *h, int status, int events)
{
	struct ns *ns = h->data;
	struct epoll_event evs[EP_BATCH];
	int n, i, round;

	(void)status;
	(void)events;
	for (round = 0; round < EP_ROUNDS; round++) {
		n = epoll_wait(ns->ep, evs, EP_BATCH, 0);
		if (n <= 0)
			return;
		ns->ep_batch = evs;
		ns->ep_batch_n = n;
		for (i = 0; i < n; i++)
			dispatch(&evs[i]);
		ns->ep_batch = NULL;
		ns->ep_batch_n = 0;
		if (n < EP_BATCH)
			return;
	}
}

/**
 * ns__watch_new() - the stack's epoll set
 * @ns:		the stack
 *
 * Return: 0 or a negative errno
 */
int ns__watch_new(struct ns *ns)
{
	ns->ep = epoll_create1(EPOLL_CLOEXEC);
	return ns->ep < 0 ? -errno : 0;
}

/*
 * The loop's handle on the set is made for the first watch, not with the
 * stack: uv_poll_init() sets O_NONBLOCK with ioctl(FIONBIO), and under a
 * seccomp profile that refuses ioctl() the tracer must be the one to say
 * so (notify.c), before any socket.
 */
static int loop_init(struct ns *ns)
{
	int ret;

	ret = uv_poll_init(ns->loop, &ns->ep_poll, ns->ep);
	if (ret < 0)
		return ret;
	ns->ep_poll.data = ns;
	uv_poll_start(&ns->ep_poll, UV_READABLE, on_ep);
	ns->ep_ready = true;
	return 0;
}

/**
 * ns__watch_loop_close() - close the set's handle (@cb when closed), if
 * there is one, and the set
 * @ns:		the stack; no watch may be armed any more
 * @cb:		the handle's close callback
 *
 * Return: 1 when a handle was closed (@cb will run), else 0
 */
int ns__watch_loop_close(struct ns *ns, uv_close_cb cb)
{
	int closing = 0;

	if (ns->ep_ready) {
		uv_close((uv_handle_t *)&ns->ep_poll, cb);
		ns->ep_ready = false;
		closing = 1;
	}
	if (ns->ep >= 0)
		close(ns->ep);
	ns->ep = -1;
	return closing;
}

/**
 * ns__watch_init() - a watch of @fd, not yet watching anything
 * @w:		the watch
 * @ns:		the stack
 * @fd:		the fd; ns__watch_drop() before it is closed or given away
 * @cb:		called with status 0 and the ready events, or UV_EBADF
 */
void ns__watch_init(struct ns_watch *w, struct ns *ns, int fd,
		    void (*cb)(struct ns_watch *w, int status, int events))
{
	w->ns = ns;
	w->fd = fd;
	w->want = 0;
	w->armed = false;
	w->cb = cb;
}

/**
 * ns__watch_set() - watch for @events from now on
 * @w:		the watch
 * @events:	UV_READABLE, UV_WRITABLE, UV_DISCONNECT, UV_PRIORITIZED; 0 stops
 *
 * Return: 0 or a negative errno
 */
int ns__watch_set(struct ns_watch *w, int events)
{
	struct epoll_event e = { .events = to_epoll(events), .data.ptr = w };
	int op, ret;

	if (!w->ns->ep_ready && events && (ret = loop_init(w->ns))) {
		debug("watch: no epoll set: %s", strerror(-ret));
		return ret;
	}
	w->want = events;
	if (!events) {
		if (!w->armed)
			return 0;
		op = EPOLL_CTL_DEL;
	} else {
		op = w->armed ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	}
	if (epoll_ctl(w->ns->ep, op, w->fd, &e)) {
		ret = -errno;
		debug("watch: fd %d: epoll_ctl(%d): %s", w->fd, op, strerror(-ret));
		if (op == EPOLL_CTL_DEL)
			w->armed = false;
		return ret;
	}
	w->armed = events != 0;
	return 0;
}

/**
 * ns__watch_drop() - stop watching, before the fd is closed or given away
 * @w:		the watch
 *
 * An fd the program shares (a shortcut's end) stays in an epoll set after
 * the supervisor's close, so the set is told; and the entry a batch being
 * dispatched holds for @w is forgotten, as @w may be freed next.
 */
void ns__watch_drop(struct ns_watch *w)
{
	struct ns *ns = w->ns;
	int i;

	if (!ns)
		return;
	disarm(w);
	w->want = 0;
	for (i = 0; i < ns->ep_batch_n; i++)
		if (ns->ep_batch[i].data.ptr == w)
			ns->ep_batch[i].data.ptr = NULL;
}

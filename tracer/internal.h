/* SPDX-License-Identifier: MIT */
/*
 * internal.h - declarations shared by the files of tracer/ only.
 */
#ifndef RRS_TRC_INTERNAL_H
#define RRS_TRC_INTERNAL_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

/* The fd on which the child passes its seccomp listener to the parent;
 * high, so no tracee fd is likely to sit there before exec closes it. */
#define TRC__CTL_FD 1000

scmp_filter_ctx trc__filter_new(pid_t supervisor, bool trap_open, int *err);
int trc__proc_descendants(pid_t root, pid_t **pids, size_t *n);
struct trc;
int trc__scan_pids(struct trc *t, const pid_t **pids, size_t *n);
int trc__pidfd_open(pid_t pid);

/**
 * struct trc__early - calls received before the program's exec and held
 *		       for the loop (early.c)
 * @n:		each a zeroed block of the caller's room, then the kernel's
 *		notification (trc__early_notif()), in order
 * @room:	those bytes before the notification
 * @len:	their number
 * @cap:	slots in @n
 *
 * Zero-initialised it is empty.
 */
struct trc__early {
	void **n;
	size_t room, len, cap;
};

/* The notification in held block @b of @h. */
#define trc__early_notif(h, b) \
	((struct seccomp_notif *)(void *)((char *)(b) + (h)->room))

ssize_t trc__wait_exec(int lfd, int ep, pid_t child, size_t room,
		       size_t size, struct trc__early *h, int *e);
void trc__early_free(struct trc__early *h);

#define TRC__PIDFD_N	64
#define TRC__HINT_N	16	/* fd numbers remembered per process */
#define TRC__GRAVES_N	16	/* copies of files kept (proc.c drop_copy()) */

struct trc__pidfd_ent;

/**
 * struct trc__pidfds - per-process fds kept across calls (proc.c): a pidfd
 *			for trc_fd_fetch(), /proc/PID/fd for trc_fd_inode()
 * @ent:	the entries, NULL where free
 * @pid:	their pids (0 where free), scanned without touching @ent
 * @next:	the slot to evict next when all are taken
 * @loop:	where entries are watched for their process's exit; NULL:
 *		not watched
 * @no_thread_pidfd: the kernel refused PIDFD_THREAD (before 6.9)
 * @graves:	copies of files that are not sockets, fetched by
 *		trc__fd_lookup() and never closed before trc__pidfds_free()
 * @n_graves:	their number
 *
 * Zero-initialised it is empty; trc__pidfds_free() empties it.
 */
struct trc__pidfds {
	struct trc__pidfd_ent *ent[TRC__PIDFD_N];
	pid_t pid[TRC__PIDFD_N];
	unsigned int next;
	uv_loop_t *loop;
	bool no_thread_pidfd;
	int graves[TRC__GRAVES_N];
	unsigned int n_graves;
};

struct trc__pidfd_ent *trc__pidfds_keep(struct trc__pidfds *c, pid_t pid,
					int pfd);
void trc__pidfds_forget(struct trc__pidfds *c, pid_t pid);
void trc__pidfds_free(struct trc__pidfds *c);
int trc__fd_fetch(struct trc__pidfds *c, pid_t pid, int fd, uint64_t ino);
int trc__fd_inode(struct trc__pidfds *c, pid_t pid, int fd, uint64_t *ino);
int trc__fd_lookup(struct trc__pidfds *c, pid_t pid, int fd, uint64_t *ino,
		   int *copy);

#define TRC__ORPHANS_N	16

struct trc_job;

/**
 * struct trc__exec - the zygote of `rrctl exec` as the supervisor sees it
 *		      (exec.c)
 * @fd:		the supervisor's end of its socket, -1 without one
 * @poll:	@fd on the loop, while @polling
 * @polling:	@poll was initialised and not closed
 * @open:	requests may be sent (the program has not exited)
 * @gone:	the zygote died or closed its socket
 * @zpid:	its pid, from its HELLO; 0 before or once reaped
 * @jobs:	the jobs not ended, newest first
 * @n_jobs:	their number
 * @next_id:	the last request id given
 * @orphan_pid:	pids the supervisor reaped while a job's pid was not known
 *		(trc__exec_reaped()), 0 where free
 * @orphan_status: their statuses
 * @orphan_next: the slot to fill next
 */
struct trc__exec {
	int fd;
	uv_poll_t poll;
	bool polling, open, gone;
	pid_t zpid;
	struct trc_job *jobs;
	unsigned int n_jobs;
	uint32_t next_id;
	pid_t orphan_pid[TRC__ORPHANS_N];
	int orphan_status[TRC__ORPHANS_N];
	unsigned int orphan_next;
};

struct trc_exec_req;
int trc__exec_prepare(struct trc__exec *x, int *child);
void trc__exec_fork(int zfd, int nul);
void trc__exec_start(struct trc__exec *x, uv_loop_t *loop);
void trc__exec_main_exited(struct trc__exec *x);
void trc__exec_reaped(struct trc__exec *x, pid_t pid, int status);
int trc__exec_close(struct trc__exec *x, uv_close_cb cb, void *data);
struct trc_job_news;
int trc__exec(struct trc__exec *x, const struct trc_exec_req *r,
	      void (*fn)(void *arg, const struct trc_job_news *n), void *arg,
	      struct trc_job **out);

#endif /* RRS_TRC_INTERNAL_H */

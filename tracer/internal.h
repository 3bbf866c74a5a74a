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

#endif /* RRS_TRC_INTERNAL_H */

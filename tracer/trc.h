/* SPDX-License-Identifier: MIT */
/*
 * trc.h - the interception interface: run a program tree, trap its socket
 * calls, and let netstack/ answer them.
 *
 * tracer/ owns the process tree, the seccomp filter and the loop that
 * receives trapped calls.  A trapped call reaches netstack/ as a struct
 * trc_call through trc_ops.syscall; netstack/ reads its arguments and the
 * tracee's memory, and finishes the call exactly once, now or later:
 * with a value (trc_call_reply), by installing an fd as its result
 * (trc_call_addfd), or by letting the kernel run it (trc_call_continue).
 * How the call was caught (seccomp user notification today, ptrace later)
 * is invisible above this header.
 */
#ifndef RRS_TRC_H
#define RRS_TRC_H

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <uv.h>

struct trc;
struct trc_call;

/**
 * struct trc_ops - what tracer/ calls back into its user
 * @syscall:	a trapped call; the callee must finish it, now or later
 * @exited:	the program and, unless --wait-all, its tree are gone;
 *		@status is as from waitpid()
 * @proc_exit:	a process of the sandbox exited (may be NULL)
 */
struct trc_ops {
	void (*syscall)(void *data, struct trc_call *call);
	void (*exited)(void *data, int status);
	void (*proc_exit)(void *data, pid_t pid);
};

/* The flags an open for reading may carry and still be trapped with
 * trc_opts.trap_open: those of a plain read of a regular file (the
 * kernel's O_LARGEFILE, which glibc's x86-64 headers call 0). */
#define TRC_OPEN_PLAIN_FLAGS	(O_CLOEXEC | O_NONBLOCK | 0100000 | O_NOCTTY | \
				 O_NOFOLLOW | O_NOATIME)
/* and those an open for writing (O_WRONLY or O_RDWR) may carry besides: a
 * shell's `>` and `>>`, fopen()'s "w", "a", "r+", "w+" */
#define TRC_OPEN_WRITE_FLAGS	(O_CREAT | O_TRUNC | O_APPEND)

/**
 * struct trc_opts - how to run the program
 * @argv:	program and arguments, NULL-terminated; argv[0] searched in PATH
 * @wait_all:	wait for every process of the tree, not only the program
 * @trap_open:	trap open() and openat() for reading with no flag but
 *		TRC_OPEN_PLAIN_FLAGS and O_DIRECTORY, for writing (O_WRONLY
 *		or O_RDWR) with no flag but those and TRC_OPEN_WRITE_FLAGS,
 *		every openat2(), and the lookups by path (stat, lstat,
 *		readlink, getxattr, lgetxattr, listxattr, llistxattr;
 *		newfstatat, statx and readlinkat from AT_FDCWD, the first
 *		two without AT_EMPTY_PATH) (they reach trc_ops.syscall like
 *		the socket calls)
 * @nofile:	RLIMIT_NOFILE for the program (the supervisor raises its own,
 *		holding one fd per socket of the sandbox), or NULL to inherit
 * @exec:	fork the helper that trc_exec() starts programs from
 */
struct trc_opts {
	char *const *argv;
	bool wait_all;
	bool trap_open;
	const struct rlimit *nofile;
	bool exec;
};

int trc_new(uv_loop_t *loop, const struct trc_ops *ops, void *data,
	    struct trc **out);
int trc_spawn(struct trc *t, const struct trc_opts *opts);
void trc_free(struct trc *t);
pid_t trc_main_pid(const struct trc *t);
int trc_signal(struct trc *t, int sig);
int trc_tree_kill(struct trc *t);
bool trc_sync_wakeup(const struct trc *t);
uint64_t trc_dup_epoch(struct trc *t);

/* One trapped call. */
pid_t trc_call_pid(const struct trc_call *c);
int trc_call_nr(const struct trc_call *c);
uint64_t trc_call_arg(const struct trc_call *c, int i);
int trc_mem_read(const struct trc_call *c, uint64_t addr, void *buf, size_t len);
int trc_mem_read_first(const struct trc_call *c, uint64_t addr, void *buf,
		       size_t len);
int trc_call_verify(const struct trc_call *c);
int trc_mem_write(const struct trc_call *c, uint64_t addr, const void *buf,
		  size_t len);
int trc_mem_readv(const struct trc_call *c, const struct iovec *local,
		  unsigned long nlocal, const struct iovec *remote,
		  unsigned long nremote);
int trc_mem_writev(const struct trc_call *c, const struct iovec *local,
		   unsigned long nlocal, const struct iovec *remote,
		   unsigned long nremote);
bool trc_call_valid(const struct trc_call *c);
void trc_call_park(struct trc_call *c);
void trc_call_once(struct trc_call *c);
bool trc_call_again(const struct trc_call *c);
void trc_call_reply(struct trc_call *c, int64_t ret);
void trc_call_continue(struct trc_call *c);
int trc_call_addfd(struct trc_call *c, int fd, bool cloexec);
int trc_call_setfd(struct trc_call *c, int fd, int target, bool cloexec,
		   uint64_t ino);

/* The tracee's file descriptors, read from /proc. */
int trc_fd_inode(struct trc *t, pid_t pid, int fd, uint64_t *ino);
int trc_fd_lookup(struct trc *t, pid_t pid, int fd, uint64_t *ino, int *copy);
unsigned int trc_fd_count(struct trc *t, pid_t pid, uint64_t ino);
int trc_fd_fetch(struct trc *t, pid_t pid, int fd, uint64_t ino);
bool trc_can_fetch(const struct trc *t);
int trc_fd_flags(pid_t pid, int fd);
int trc_fd_flags_ino(pid_t pid, int fd, uint64_t ino);
int trc_dir_path(pid_t pid, int dirfd, char *buf, size_t size);
bool trc_in_tree(pid_t pid);

/**
 * struct trc_stats - the tracer's counters (trc_stats())
 */
struct trc_stats {
	uint64_t calls;		/* trapped calls received */
	uint64_t mem_reads;	/* reads of tracee memory (process_vm_readv()) */
	uint64_t replays;	/* calls made again after a signal, answered
				 * as before (notify.c struct replay) */
	uint64_t dup_calls;	/* trapped calls trc_dup_epoch() counted */
	uint64_t pid_epoch;	/* and times it saw the kernel's last pid move */
};

void trc_stats(const struct trc *t, struct trc_stats *out);
int trc_scan_sockets(struct trc *t, void (*cb)(void *data, uint64_t ino),
		     void *data);

/*
 * More programs in the running sandbox (`rrctl exec`, tracer/exec.c): a
 * job runs in the tree as a child of a helper the program's child forked
 * before exec (trc_opts.exec), in a process group of its own, with the
 * request's fds as 0, 1 and 2.  Its news comes through the trc_job_fn
 * given: STARTED, then EXITED; or FAILED alone.  After EXITED or FAILED
 * the job is gone; trc_job_detach() asks for no more news.
 */
#define TRC_EXEC_MAX	(64u << 10)	/* cwd, argv and envp with NULs */
#define TRC_JOBS_MAX	64		/* jobs at once */

/* Where a job that did not start failed */
enum {
	TRC_JOB_STAGE_SETUP,	/* before it was a job: fds, memory, fork */
	TRC_JOB_STAGE_CWD,	/* chdir() to the request's directory */
	TRC_JOB_STAGE_EXEC,	/* execvp() */
};

enum trc_job_event {
	TRC_JOB_STARTED,
	TRC_JOB_FAILED,
	TRC_JOB_EXITED,
};

/**
 * struct trc_job_news - what became of a job
 * @ev:		what
 * @pid:	its pid (STARTED, EXITED)
 * @status:	EXITED: its wait status
 * @err:	FAILED: the errno
 * @stage:	FAILED: TRC_JOB_STAGE_*
 */
struct trc_job_news {
	enum trc_job_event ev;
	pid_t pid;
	int status;
	int err;
	int stage;
};

typedef void trc_job_fn(void *arg, const struct trc_job_news *n);

/**
 * struct trc_exec_req - a program to run in the sandbox
 * @argv:	program and arguments, NULL-terminated; argv[0] is searched
 *		in the PATH of @envp
 * @envp:	its environment, NULL-terminated
 * @cwd:	its working directory
 * @fds:	the supervisor's fds to give it as 0, 1 and 2 (the caller
 *		keeps and closes its own)
 * @tty:	fds[0] is a terminal (a pty's side): the program gets it as
 *		its controlling terminal, in a session of its own (else: a
 *		process group of its own, no controlling terminal)
 */
struct trc_exec_req {
	char *const *argv;
	char *const *envp;
	const char *cwd;
	int fds[3];
	bool tty;
};

struct trc_job;
int trc_exec(struct trc *t, const struct trc_exec_req *r, trc_job_fn *fn,
	     void *arg, struct trc_job **out);
int trc_job_signal(struct trc_job *j, int sig);
void trc_job_detach(struct trc_job *j, int sig);

#endif /* RRS_TRC_H */

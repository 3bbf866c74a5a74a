/* SPDX-License-Identifier: MIT */
/*
 * ctl.h - rrsandbox's control socket: rrctl's commands reach the running
 * sandbox through it.
 *
 * An AF_UNIX SOCK_SEQPACKET socket, mode 0600, served on the supervisor's
 * libuv loop; messages in ctlmsg.h.  Only processes of our own uid are
 * answered (SO_PEERCRED).  Each request runs through a callback (main.c
 * passes cli_cmd_run() on the sandbox's struct net), so this file knows
 * the socket and the messages, not the commands.
 */
#ifndef RRS_CLI_CTL_H
#define RRS_CLI_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "out.h"

struct trc_exec_req;
struct trc_job;
struct trc_job_news;

#define CTL_CONN_MAX	16	/* clients at once; more are closed at once */
#define CTL_IDLE_MS	30000	/* a client silent this long is closed */

struct ctl;

/* Run one command line; output or the error message into @o.
 * Return: 0 or a negative errno, sent to the client as the status. */
typedef int ctl_run_fn(void *arg, const char *line, struct cli_out *o);

/**
 * struct ctl_exec_ops - how the server starts `rrctl exec`'s programs
 * @start:	start @r (its fds are the caller's to close); news of the
 *		job to ctl_job_news(@conn, ...) (tracer/exec.c: trc_exec());
 *		0 and *@job, or a negative errno (-ENOTSUP: exec is off)
 * @signal:	trc_job_signal()
 * @detach:	trc_job_detach()
 */
struct ctl_exec_ops {
	int (*start)(void *arg, const struct trc_exec_req *r, void *conn,
		     struct trc_job **job);
	int (*signal)(struct trc_job *job, int sig);
	void (*detach)(struct trc_job *job, int sig);
};

/**
 * struct ctl_capture_ops - how the server runs `rrctl capture`'s streams
 * @start:	tap device @dev into a pcap stream on @fd (not taken), of
 *		the frames that pass @filter ("" for all); when it ends by
 *		itself, ctl_capture_end(@conn, ...) (main.c:
 *		net_capture_start()); 0 and *@cap, or a negative errno with
 *		@err set
 * @stop:	end the stream @cap; what it did into @frames and @dropped
 */
struct ctl_capture_ops {
	int (*start)(void *arg, const char *dev, const char *filter, int fd,
		     void *conn, void **cap, char *err, size_t errlen);
	void (*stop)(void *cap, uint64_t *frames, uint64_t *dropped);
};

void ctl_set_exec(struct ctl *c, const struct ctl_exec_ops *ops, void *arg);
void ctl_job_news(void *conn, const struct trc_job_news *n);
void ctl_set_capture(struct ctl *c, const struct ctl_capture_ops *ops,
		     void *arg);
void ctl_capture_end(void *conn, int err, uint64_t frames, uint64_t dropped);
int ctl_dir_prepare(const char *dir, char *err, size_t errlen);
int ctl_new(uv_loop_t *loop, const char *path, const char *name,
	    ctl_run_fn *run, void *arg, struct ctl **out, char *err,
	    size_t errlen);
void ctl_set_idle(struct ctl *c, unsigned int ms);
unsigned int ctl_conns(const struct ctl *c);
const char *ctl_path(const struct ctl *c);
void ctl_free(struct ctl *c);

#endif /* RRS_CLI_CTL_H */

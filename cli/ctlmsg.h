/* SPDX-License-Identifier: MIT */
/*
 * ctlmsg.h - the control socket's messages, shared by rrsandbox (ctl.c)
 * and rrctl.
 *
 * AF_UNIX SOCK_SEQPACKET: one message per datagram, host byte order (both
 * ends are on one machine).  Every message starts with a u32 magic, which
 * carries the protocol version, and a u32 type:
 *
 *   RUN     client -> server   u32 len, len bytes of text: one command line
 *   RESULT  server -> client   i32 status (0 or -errno), u32 flags, u32 len,
 *                              len bytes of text (output, or the error)
 *   EXEC    client -> server   u32 flags (CTL_EXEC_TTY), u32 argc, u32 envc,
 *                              u32 len, len bytes: the working directory,
 *                              argc arguments and envc environment
 *                              strings, each with its NUL; SCM_RIGHTS: the
 *                              fds 0, 1 and 2 for the program (with
 *                              CTL_EXEC_TTY one pty's side, three times)
 *   STARTED server -> client   i32 pid: the program runs
 *   SIGNAL  client -> server   i32 signal: for the program's process group
 *   EXITED  server -> client   i32 wait status: the program ended
 *   CAPTURE client -> server   u32 len, len bytes: a device's name, then
 *                              optionally a NUL and a pcap filter;
 *                              SCM_RIGHTS: the fd for its pcap stream
 *
 * `rrctl exec` sends EXEC and gets STARTED and later EXITED, or a RESULT
 * with the error (CTL_RESULT_EXEC when execvp() itself failed: status
 * -ENOENT is then "command not found"); SIGNAL may follow STARTED any
 * number of times.  The connection is the program's for its life: when
 * the client goes, the program gets SIGHUP.
 *
 * `rrctl capture` sends CAPTURE and gets STARTED (value 0) once the
 * stream runs, or a RESULT with the error.  A SIGNAL (any) stops it; the
 * server then, or when the stream ended by itself (its reader went
 * away: status 0; the device was removed: -ENODEV), sends a RESULT whose
 * text counts the frames, and closes.  When the client goes, the stream
 * stops.
 *
 * A reply is one or more RESULT messages: all but the last carry
 * CTL_RESULT_MORE, each holds at most CTL_TEXT_MAX bytes of text, and all
 * carry the same status.  Splitting keeps every datagram under the socket
 * buffer an unprivileged process may have (net.core.wmem_max, 208 KiB by
 * default), where one message of up to 1 MiB would fail with EMSGSIZE.
 * No message is longer than CTL_MSG_MAX; the server's replies total at
 * most CLI_OUT_MAX bytes of text (out.h).
 */
#ifndef RRS_CLI_CTLMSG_H
#define RRS_CLI_CTLMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>

#define CTL_MAGIC	0x52524301u	/* "RR", 'C'ontrol, version 1 */
#define CTL_MSG_MAX	(64u << 10)
#define CTL_RUN_HDR	12u		/* magic, type, len */
#define CTL_RESULT_HDR	20u		/* magic, type, status, flags, len */
#define CTL_TEXT_MAX	(CTL_MSG_MAX - CTL_RESULT_HDR)
#define CTL_PATH_MAX	sizeof(((struct sockaddr_un *)0)->sun_path)
#define CTL_DEV_MAX	15u		/* a CAPTURE's device: IFNAMSIZ - 1 */

enum ctl_type {
	CTL_RUN = 1,
	CTL_RESULT = 2,
	CTL_EXEC = 3,
	CTL_STARTED = 4,
	CTL_SIGNAL = 5,
	CTL_EXITED = 6,
	CTL_CAPTURE = 7,
};

#define CTL_RESULT_MORE	0x1	/* more RESULT messages follow */
#define CTL_RESULT_EXEC	0x2	/* execvp() of an EXEC's program failed */

#define CTL_EXEC_HDR	24u	/* magic, type, flags, argc, envc, len */
#define CTL_EXEC_TTY	0x1	/* fd 0 is a terminal: make it the program's
				 * controlling one, in a session of its own */
#define CTL_VALUE_LEN	12u		/* STARTED, SIGNAL, EXITED */

/**
 * struct ctl_run - a command for the sandbox (or a CAPTURE's device)
 * @text:	the command line, not NUL-terminated
 * @len:	its length
 */
struct ctl_run {
	const char *text;
	uint32_t len;
};

/**
 * struct ctl_result - (part of) a command's reply
 * @status:	0, or the negative errno of the failure
 * @flags:	CTL_RESULT_MORE
 * @text:	output, or the error message; not NUL-terminated
 * @len:	its length
 */
struct ctl_result {
	int32_t status;
	uint32_t flags;
	const char *text;
	uint32_t len;
};

/**
 * struct ctl_exec - a program to run in the sandbox
 * @flags:	CTL_EXEC_TTY or 0
 * @argc:	arguments in @strs (at least 1)
 * @envc:	environment strings in @strs
 * @strs:	the working directory, the arguments, the environment, each
 *		NUL-terminated, back to back
 * @len:	bytes in @strs
 */
struct ctl_exec {
	uint32_t flags;
	uint32_t argc;
	uint32_t envc;
	const char *strs;
	uint32_t len;
};

int ctl_msg_type(const void *buf, size_t len);
ssize_t ctl_exec_encode(uint32_t flags, const char *cwd, char *const *argv,
			char *const *envp, void *buf, size_t size);
int ctl_exec_decode(const void *buf, size_t len, struct ctl_exec *m);
int ctl_exec_split(const struct ctl_exec *m, const char **cwd, char **argv,
		   char **envp);
ssize_t ctl_value_encode(int type, int32_t value, void *buf, size_t size);
int ctl_value_decode(const void *buf, size_t len, int type, int32_t *value);
ssize_t ctl_run_encode(const struct ctl_run *m, void *buf, size_t size);
int ctl_run_decode(const void *buf, size_t len, struct ctl_run *m);
ssize_t ctl_capture_encode(const struct ctl_run *m, void *buf, size_t size);
int ctl_capture_decode(const void *buf, size_t len, struct ctl_run *m);
ssize_t ctl_result_encode(const struct ctl_result *m, void *buf, size_t size);
int ctl_result_decode(const void *buf, size_t len, struct ctl_result *m);

int ctl_dir_default(char *buf, size_t size);
int ctl_path_default(const char *name, char *buf, size_t size);

#endif /* RRS_CLI_CTLMSG_H */

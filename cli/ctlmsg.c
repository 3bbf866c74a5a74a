/* SPDX-License-Identifier: MIT */
/*
 * ctlmsg.c - encode and decode the control socket's messages, and where
 * the socket lives by default.
 *
 * Linked into rrsandbox (ctl.c, the server) and rrctl (the client), and
 * nothing else: it knows the wire format (ctlmsg.h) and the default path,
 * not commands, sockets or the loop.  Decoders treat their input as
 * hostile: every length is checked against the datagram's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctlmsg.h"

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/**
 * ctl_msg_type() - the type of a received message
 * @buf:	the datagram
 * @len:	its length
 *
 * Return: CTL_RUN, CTL_RESULT or another u32 value as given, or -EBADMSG
 * if the datagram is too short, too long or has the wrong magic
 */
int ctl_msg_type(const void *buf, size_t len)
{
	uint32_t type;

	if (!buf || len < 8 || len > CTL_MSG_MAX || get32(buf) != CTL_MAGIC)
		return -EBADMSG;
	type = get32((const uint8_t *)buf + 4);
	return type > 0x7fffffff ? -EBADMSG : (int)type;
}

/* A message of type @want whose header (@hdr bytes, the last u32 the
 * length of what follows) fits @len: 0, -EBADMSG or -EPROTO. */
static int check_hdr(const void *buf, size_t len, int want, size_t hdr)
{
	int type = ctl_msg_type(buf, len);

	if (type < 0)
		return type;
	if (type != want)
		return -EPROTO;
	if (len < hdr || get32((const uint8_t *)buf + hdr - 4) != len - hdr)
		return -EBADMSG;
	return 0;
}

/* A RUN or CAPTURE message: magic, @type, the text's length, the text. */
static ssize_t text_encode(int type, const struct ctl_run *m, void *buf,
			   size_t size)
{
	size_t len = CTL_RUN_HDR + (size_t)m->len;
	uint8_t *p = buf;

	if (len > size || len > CTL_MSG_MAX)
		return -EMSGSIZE;
	put32(p, CTL_MAGIC);
	put32(p + 4, (uint32_t)type);
	put32(p + 8, m->len);
	if (m->len)
		memcpy(p + CTL_RUN_HDR, m->text, m->len);
	return (ssize_t)len;
}

static int text_decode(int type, const void *buf, size_t len,
		       struct ctl_run *m)
{
	const uint8_t *p = buf;
	int ret = check_hdr(buf, len, type, CTL_RUN_HDR);

	if (ret)
		return ret;
	m->len = get32(p + 8);
	m->text = (const char *)p + CTL_RUN_HDR;
	return 0;
}

/**
 * ctl_run_encode() - build a RUN message
 * @m:		the command
 * @buf:	where
 * @size:	its size
 *
 * Return: the message's length, or -EMSGSIZE if it exceeds @size or
 * CTL_MSG_MAX
 */
ssize_t ctl_run_encode(const struct ctl_run *m, void *buf, size_t size)
{
	return text_encode(CTL_RUN, m, buf, size);
}

/**
 * ctl_run_decode() - read a RUN message
 * @buf:	the datagram
 * @len:	its length
 * @m:		filled in; @m->text points into @buf
 *
 * Return: 0, -EBADMSG if malformed, -EPROTO if of another type
 */
int ctl_run_decode(const void *buf, size_t len, struct ctl_run *m)
{
	return text_decode(CTL_RUN, buf, len, m);
}

/**
 * ctl_capture_encode() - build a CAPTURE message
 * @m:		the device's name (the fd goes beside it, in SCM_RIGHTS)
 * @buf:	where
 * @size:	its size
 *
 * Return: the message's length, or -EMSGSIZE if it exceeds @size or
 * CTL_MSG_MAX
 */
ssize_t ctl_capture_encode(const struct ctl_run *m, void *buf, size_t size)
{
	return text_encode(CTL_CAPTURE, m, buf, size);
}

/**
 * ctl_capture_decode() - read a CAPTURE message
 * @buf:	the datagram
 * @len:	its length
 * @m:		filled in; @m->text (the device) points into @buf
 *
 * Return: 0, -EBADMSG if malformed, -EPROTO if of another type
 */
int ctl_capture_decode(const void *buf, size_t len, struct ctl_run *m)
{
	return text_decode(CTL_CAPTURE, buf, len, m);
}

/**
 * ctl_result_encode() - build a RESULT message
 * @m:		the (partial) reply
 * @buf:	where
 * @size:	its size
 *
 * Return: the message's length, or -EMSGSIZE if it exceeds @size or
 * CTL_MSG_MAX
 */
ssize_t ctl_result_encode(const struct ctl_result *m, void *buf, size_t size)
{
	size_t len = CTL_RESULT_HDR + (size_t)m->len;
	uint8_t *p = buf;

	if (len > size || len > CTL_MSG_MAX)
		return -EMSGSIZE;
	put32(p, CTL_MAGIC);
	put32(p + 4, CTL_RESULT);
	put32(p + 8, (uint32_t)m->status);
	put32(p + 12, m->flags);
	put32(p + 16, m->len);
	if (m->len)
		memcpy(p + CTL_RESULT_HDR, m->text, m->len);
	return (ssize_t)len;
}

/**
 * ctl_result_decode() - read a RESULT message
 * @buf:	the datagram
 * @len:	its length
 * @m:		filled in; @m->text points into @buf
 *
 * Return: 0, -EBADMSG if malformed (lengths, a status that is not 0 or
 * -1..-4095, unknown flags), -EPROTO if of another type
 */
int ctl_result_decode(const void *buf, size_t len, struct ctl_result *m)
{
	const uint8_t *p = buf;
	int ret = check_hdr(buf, len, CTL_RESULT, CTL_RESULT_HDR);
	int32_t status;

	if (ret)
		return ret;
	status = (int32_t)get32(p + 8);
	if (status > 0 || status < -4095 ||
	    (get32(p + 12) & ~(CTL_RESULT_MORE | CTL_RESULT_EXEC)))
		return -EBADMSG;
	m->status = status;
	m->flags = get32(p + 12);
	m->len = get32(p + 16);
	m->text = (const char *)p + CTL_RESULT_HDR;
	return 0;
}

/* Append @str and its NUL at *@len of @p; false if @max would be passed. */
static bool put_string(uint8_t *p, size_t max, size_t *len, const char *str)
{
	size_t n = strlen(str) + 1;

	if (n > max - *len)
		return false;
	memcpy(p + *len, str, n);
	*len += n;
	return true;
}

/* put_string() for each of NULL-terminated @v; how many, or -1. */
static long put_strings(uint8_t *p, size_t max, size_t *len, char *const *v)
{
	long n;

	for (n = 0; v[n]; n++)
		if (!put_string(p, max, len, v[n]))
			return -1;
	return n;
}

/**
 * ctl_exec_encode() - build an EXEC message
 * @flags:	CTL_EXEC_TTY or 0
 * @cwd:	the working directory
 * @argv:	the program and its arguments, NULL-terminated (one at least)
 * @envp:	the environment, NULL-terminated
 * @buf:	where
 * @size:	its size
 *
 * Return: the message's length, -EINVAL without a program, or -E2BIG if
 * it exceeds @size or CTL_MSG_MAX
 */
ssize_t ctl_exec_encode(uint32_t flags, const char *cwd, char *const *argv,
			char *const *envp, void *buf, size_t size)
{
	size_t max = size < CTL_MSG_MAX ? size : CTL_MSG_MAX;
	size_t len = CTL_EXEC_HDR;
	uint8_t *p = buf;
	long argc, envc;

	if (!cwd || !argv || !argv[0] || !envp)
		return -EINVAL;
	if (max < CTL_EXEC_HDR)
		return -E2BIG;
	if (!put_string(p, max, &len, cwd) ||
	    (argc = put_strings(p, max, &len, argv)) < 0 ||
	    (envc = put_strings(p, max, &len, envp)) < 0)
		return -E2BIG;
	put32(p, CTL_MAGIC);
	put32(p + 4, CTL_EXEC);
	put32(p + 8, flags);
	put32(p + 12, (uint32_t)argc);
	put32(p + 16, (uint32_t)envc);
	put32(p + 20, (uint32_t)(len - CTL_EXEC_HDR));
	return (ssize_t)len;
}

/* How many NUL-terminated strings fill @len bytes at @s exactly; -1 if
 * the last does not end with a NUL. */
static long count_strings(const char *s, size_t len)
{
	long n = 0;
	size_t i;

	if (len && s[len - 1])
		return -1;
	for (i = 0; i < len; i++)
		n += !s[i];
	return n;
}

/**
 * ctl_exec_decode() - read an EXEC message
 * @buf:	the datagram
 * @len:	its length
 * @m:		filled in; @m->strs points into @buf
 *
 * Return: 0, -EBADMSG if malformed (lengths, unknown flags, no program, a
 * string count that does not match), -EPROTO if of another type
 */
int ctl_exec_decode(const void *buf, size_t len, struct ctl_exec *m)
{
	const uint8_t *p = buf;
	int ret = check_hdr(buf, len, CTL_EXEC, CTL_EXEC_HDR);
	uint64_t want;

	if (ret)
		return ret;
	m->flags = get32(p + 8);
	m->argc = get32(p + 12);
	m->envc = get32(p + 16);
	m->len = get32(p + 20);
	m->strs = (const char *)p + CTL_EXEC_HDR;
	want = 1 + (uint64_t)m->argc + m->envc;
	if ((m->flags & ~CTL_EXEC_TTY) || !m->argc ||
	    count_strings(m->strs, m->len) != (long)want)
		return -EBADMSG;
	return 0;
}

/**
 * ctl_exec_split() - point into a decoded EXEC's strings
 * @m:		from ctl_exec_decode(), which counted them
 * @cwd:	set to the working directory
 * @argv:	filled with @m->argc pointers and a NULL
 * @envp:	filled with @m->envc pointers and a NULL
 *
 * Return: 0, or -EBADMSG if @m's strings are not as counted
 */
int ctl_exec_split(const struct ctl_exec *m, const char **cwd, char **argv,
		   char **envp)
{
	const char *s = m->strs, *end = m->strs + m->len;
	uint32_t i;

	*cwd = s;
	s += strlen(s) + 1;
	for (i = 0; i < m->argc; i++, s += strlen(s) + 1)
		argv[i] = (char *)s;
	argv[i] = NULL;
	for (i = 0; i < m->envc; i++, s += strlen(s) + 1)
		envp[i] = (char *)s;
	envp[i] = NULL;
	return s == end ? 0 : -EBADMSG;
}

/**
 * ctl_value_encode() - build a STARTED, SIGNAL or EXITED message
 * @type:	which
 * @value:	the pid (0 for a capture), signal or wait status
 * @buf:	where
 * @size:	its size
 *
 * Return: CTL_VALUE_LEN, or -EMSGSIZE if @size is smaller
 */
ssize_t ctl_value_encode(int type, int32_t value, void *buf, size_t size)
{
	uint8_t *p = buf;

	if (size < CTL_VALUE_LEN)
		return -EMSGSIZE;
	put32(p, CTL_MAGIC);
	put32(p + 4, (uint32_t)type);
	put32(p + 8, (uint32_t)value);
	return CTL_VALUE_LEN;
}

/**
 * ctl_value_decode() - read a STARTED, SIGNAL or EXITED message
 * @buf:	the datagram
 * @len:	its length
 * @type:	the type expected
 * @value:	set to its value
 *
 * Return: 0, -EBADMSG if malformed, -EPROTO if of another type
 */
int ctl_value_decode(const void *buf, size_t len, int type, int32_t *value)
{
	int got = ctl_msg_type(buf, len);

	if (got < 0)
		return got;
	if (got != type)
		return -EPROTO;
	if (len != CTL_VALUE_LEN)
		return -EBADMSG;
	*value = (int32_t)get32((const uint8_t *)buf + 8);
	return 0;
}

/**
 * ctl_dir_default() - the directory of control sockets
 * @buf:	filled with $XDG_RUNTIME_DIR/rrsandbox if that variable holds an
 *		absolute path, else /tmp/rrsandbox-UID
 * @size:	its size
 *
 * Return: 0, or -ENAMETOOLONG
 */
int ctl_dir_default(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, size, "%s/rrsandbox", xdg);
	else
		n = snprintf(buf, size, "/tmp/rrsandbox-%u", (unsigned int)geteuid());
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/**
 * ctl_path_default() - the control socket of sandbox @name
 * @name:	the sandbox's name (no '/')
 * @buf:	filled with DIR/NAME.sock, DIR from ctl_dir_default()
 * @size:	its size
 *
 * Return: 0, -EINVAL for a bad name, -ENAMETOOLONG if the path does not
 * fit @size or an AF_UNIX address
 */
int ctl_path_default(const char *name, char *buf, size_t size)
{
	char dir[CTL_PATH_MAX];
	size_t max = sizeof(dir) < size ? sizeof(dir) : size;
	int n, ret;

	if (!name || !*name || strchr(name, '/'))
		return -EINVAL;
	if ((ret = ctl_dir_default(dir, sizeof(dir))))
		return ret;
	n = snprintf(buf, size, "%s/%s.sock", dir, name);
	return n < 0 || (size_t)n >= max ? -ENAMETOOLONG : 0;
}

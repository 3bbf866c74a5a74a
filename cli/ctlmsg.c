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
	size_t len = CTL_RUN_HDR + (size_t)m->len;
	uint8_t *p = buf;

	if (len > size || len > CTL_MSG_MAX)
		return -EMSGSIZE;
	put32(p, CTL_MAGIC);
	put32(p + 4, CTL_RUN);
	put32(p + 8, m->len);
	if (m->len)
		memcpy(p + CTL_RUN_HDR, m->text, m->len);
	return (ssize_t)len;
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
	const uint8_t *p = buf;
	int type = ctl_msg_type(buf, len);

	if (type < 0)
		return type;
	if (type != CTL_RUN)
		return -EPROTO;
	if (len < CTL_RUN_HDR || get32(p + 8) != len - CTL_RUN_HDR)
		return -EBADMSG;
	m->len = get32(p + 8);
	m->text = (const char *)p + CTL_RUN_HDR;
	return 0;
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
	int type = ctl_msg_type(buf, len);
	int32_t status;

	if (type < 0)
		return type;
	if (type != CTL_RESULT)
		return -EPROTO;
	if (len < CTL_RESULT_HDR || get32(p + 16) != len - CTL_RESULT_HDR)
		return -EBADMSG;
	status = (int32_t)get32(p + 8);
	if (status > 0 || status < -4095 || (get32(p + 12) & ~CTL_RESULT_MORE))
		return -EBADMSG;
	m->status = status;
	m->flags = get32(p + 12);
	m->len = get32(p + 16);
	m->text = (const char *)p + CTL_RESULT_HDR;
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

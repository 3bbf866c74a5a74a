/* SPDX-License-Identifier: MIT */
/*
 * pcap.c - the pcap taps of a device: every frame in and out, to a file
 * and to streams.
 *
 * netstack/ (net_pcap_start()) starts and stops taps; the backends hand
 * frames over with vdev__tap() (internal.h).  Files are written with
 * libpcap: link-type Ethernet, nanosecond CLOCK_REALTIME time stamps, so
 * tcpdump, tshark and wireshark read them as they would a capture on
 * Linux.  The loopback's bare IP packets get an all-zero Ethernet header
 * carrying only the ethertype, which is what Linux's lo looks like.
 *
 * Theory of operation: a tap writes to FILE until the next record would
 * take it past its size cap; then FILE.(k-1) becomes FILE.k down to FILE
 * becoming FILE.1, the oldest (FILE.(max_files-1)) is overwritten, and a
 * fresh FILE starts.  Records are buffered by stdio; a one-shot libuv
 * timer, armed by the first record after a flush, flushes them within
 * FLUSH_MS so a reader following the file sees them, and nothing runs
 * while no packets come.  The timer is unreferenced: a tap never keeps
 * the loop alive.  A file that cannot be opened on rotation ends the
 * tap's writing (vdev_pcap_active() turns false) rather than failing a
 * send.
 *
 * Stream taps (`rrctl capture DEV | tcpdump -r -`) are written by hand,
 * since the fd must never block the loop: records gather in a buffer
 * that goes out when 64 KiB wait or within 50 ms, as far as the pipe
 * takes it, the rest when the pipe turns writable again; a frame that
 * finds the buffer full is dropped and counted.  A pipe whose reader
 * went away is POLLERR on its write end, so such a stream ends at once,
 * not at its next frame; its end function is told from a zero timer,
 * never from inside the stack's send.  A device has one file tap and any
 * number of streams.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "lwip/pbuf.h"

#include "internal.h"

#define SNAPLEN		262144
#define FILE_HDR	sizeof(struct pcap_file_header)
#define REC_HDR		16		/* a record's header on disk */
#define ETH_HLEN	14
#define BUF_MAX		(ETH_HLEN + VDEV_MTU_MAX + 4 + ETH_HLEN)
#define FLUSH_MS	200

/**
 * struct vdev__pcap - a running tap
 * @pd:		libpcap's handle for writing (pcap_open_dead)
 * @out:	the current file, NULL once writing has failed
 * @path:	FILE
 * @max_bytes:	size cap of each file
 * @max_files:	FILE plus this many minus one rotated ones
 * @size:	bytes in the current file
 * @flush:	one-shot flush timer; @flush.data is the tap
 * @buf:	one frame, made contiguous
 */
struct vdev__pcap {
	pcap_t *pd;
	pcap_dumper_t *out;
	char *path;
	uint64_t max_bytes;
	unsigned int max_files;
	uint64_t size;
	uv_timer_t flush;
	uint8_t buf[BUF_MAX];
};

/* open_file()'s answer for what is no regular file (a pipe's lseek()
 * says ESPIPE); set_err() words it */
#define NOT_REGULAR	(-ESPIPE)

/*
 * Open a fresh FILE: 0 or -errno.  Only a regular file: the loop writes
 * it, and a FIFO (mkfifo, or one the sandboxed program left in a --pcap
 * directory) would hold the whole supervisor in open() until a reader
 * came, then in every write the reader does not take.  O_NONBLOCK keeps
 * the open itself from waiting (ENXIO without a reader).
 */
static int open_file(struct vdev__pcap *t)
{
	struct stat st;
	FILE *fp;
	int fd, e;

	fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK,
		  0644);
	if (fd < 0)	/* ENXIO: a FIFO no one reads */
		return errno == ENXIO ? NOT_REGULAR : -errno;
	if (fstat(fd, &st)) {
		e = -errno;
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return NOT_REGULAR;
	}
	/* blocking again (F_SETFL ignores the access mode) */
	if (fcntl(fd, F_SETFL, 0) || !(fp = fdopen(fd, "wb"))) {
		e = -errno;
		close(fd);
		return e;
	}
	t->out = pcap_dump_fopen(t->pd, fp);
	if (!t->out) {
		fclose(fp);
		return -EIO;
	}
	t->size = FILE_HDR;
	return 0;
}

/* Close FILE, shift FILE.k up by one, open a fresh FILE: 0 or -errno. */
static int rotate(struct vdev__pcap *t)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];
	unsigned int k;

	pcap_dump_close(t->out);
	t->out = NULL;
	for (k = t->max_files - 1; k >= 1; k--) {
		if (k == 1)
			snprintf(from, sizeof(from), "%s", t->path);
		else
			snprintf(from, sizeof(from), "%s.%u", t->path, k - 1);
		snprintf(to, sizeof(to), "%s.%u", t->path, k);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	return open_file(t);
}

static void on_flush(uv_timer_t *h)
{
	struct vdev__pcap *t = h->data;

	if (t->out)
		pcap_dump_flush(t->out);
}

/* The bytes a record of @p holds, with a fake Ethernet header if
 * @raw_ip; its length on the wire in *@len. */
static size_t frame_len(const struct pbuf *p, bool raw_ip, size_t *len)
{
	*len = (raw_ip ? ETH_HLEN : 0) + (size_t)p->tot_len;
	return *len < BUF_MAX ? *len : BUF_MAX;
}

/* Copy the @cap bytes of @p's record into @buf (frame_len()). */
static void gather(uint8_t *buf, size_t cap, const struct pbuf *p, bool raw_ip)
{
	size_t hlen = raw_ip ? ETH_HLEN : 0;
	uint8_t v = 0;

	if (raw_ip) {
		memset(buf, 0, ETH_HLEN);
		pbuf_copy_partial(p, &v, 1, 0);
		/* 0x86dd for IPv6, 0x0800 for IPv4 (and anything else) */
		buf[12] = (v >> 4) == 6 ? 0x86 : 0x08;
		buf[13] = (v >> 4) == 6 ? 0xdd : 0x00;
	}
	pbuf_copy_partial(p, buf + hlen, (u16_t)(cap - hlen), 0);
}

/**
 * vdev__pcap_write() - record one frame
 * @t:		the tap
 * @p:		the frame (or bare IP packet), not consumed
 * @raw_ip:	@p has no link header: add the loopback's fake one
 */
void vdev__pcap_write(struct vdev__pcap *t, const struct pbuf *p, bool raw_ip)
{
	struct pcap_pkthdr h;
	struct timespec ts;
	size_t len, cap;

	if (!t->out)
		return;
	cap = frame_len(p, raw_ip, &len);
	gather(t->buf, cap, p, raw_ip);
	if (t->size + REC_HDR + cap > t->max_bytes && t->size > FILE_HDR &&
	    rotate(t) < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.ts.tv_sec = ts.tv_sec;
	h.ts.tv_usec = ts.tv_nsec;	/* nanoseconds in a nanosecond file */
	h.caplen = (bpf_u_int32)cap;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)t->out, &h, t->buf);
	t->size += REC_HDR + cap;
	if (!uv_is_active((uv_handle_t *)&t->flush))
		uv_timer_start(&t->flush, on_flush, FLUSH_MS, 0);
}

static void set_err(char *err, size_t errlen, const char *path, int ret)
{
	if (err && errlen)
		snprintf(err, errlen, "pcap '%s': %s", path,
			 ret == NOT_REGULAR ? "not a regular file (a FIFO or "
			 "device would stall the sandbox; capture to a file "
			 "and read it with tcpdump -r)" : strerror(-ret));
}

static void free_closed(uv_handle_t *h)
{
	struct vdev__pcap *t = h->data;

	free(t->path);
	free(t);
}

/**
 * vdev_pcap_start() - tap the device into a file
 * @dev:	the device; a tap it already has is stopped first
 * @path:	FILE, created or truncated
 * @max_bytes:	size cap per file, 0 for VDEV_PCAP_MAX_BYTES; a file holds
 *		at least one frame whatever the cap
 * @max_files:	how many files to keep, 0 for VDEV_PCAP_MAX_FILES; 1 means
 *		FILE starts over when full
 * @err:	a one-line reason on failure, naming @path
 * @errlen:	its size
 *
 * Return: 0, -EINVAL for bad arguments, -ENAMETOOLONG, or the errno that
 * opening the file failed with
 */
int vdev_pcap_start(struct vdev *dev, const char *path, uint64_t max_bytes,
		    unsigned int max_files, char *err, size_t errlen)
{
	struct vdev__pcap *t;
	int ret = -ENOMEM;

	if (!dev || !path || !*path) {
		set_err(err, errlen, path ? path : "", -EINVAL);
		return -EINVAL;
	}
	if (strlen(path) >= PATH_MAX) {
		set_err(err, errlen, path, -ENAMETOOLONG);
		return -ENAMETOOLONG;
	}
	vdev_pcap_stop(dev);
	t = calloc(1, sizeof(*t));
	if (!t || !(t->path = strdup(path)))
		goto fail;
	t->max_bytes = max_bytes ? max_bytes : VDEV_PCAP_MAX_BYTES;
	t->max_files = max_files ? max_files : VDEV_PCAP_MAX_FILES;
	t->pd = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN,
						     PCAP_TSTAMP_PRECISION_NANO);
	if (!t->pd)
		goto fail;
	ret = open_file(t);
	if (ret < 0)
		goto fail;
	uv_timer_init(dev->loop, &t->flush);
	uv_unref((uv_handle_t *)&t->flush);
	t->flush.data = t;
	dev->pcap = t;
	return 0;
fail:
	set_err(err, errlen, path, ret);
	if (t && t->pd)
		pcap_close(t->pd);
	if (t)
		free(t->path);
	free(t);
	return ret;
}

/**
 * vdev_pcap_stop() - flush and close the tap's file, if there is a tap
 * @dev:	the device
 */
void vdev_pcap_stop(struct vdev *dev)
{
	struct vdev__pcap *t = dev->pcap;

	if (!t)
		return;
	dev->pcap = NULL;
	if (t->out)
		pcap_dump_close(t->out);
	pcap_close(t->pd);
	uv_close((uv_handle_t *)&t->flush, free_closed);
}

/**
 * vdev_pcap_active() - whether the device's frames are being recorded
 * @dev:	the device
 *
 * Return: true while a tap writes; false without one, or after its file
 * could not be reopened on rotation
 */
bool vdev_pcap_active(const struct vdev *dev)
{
	return dev->pcap && dev->pcap->out;
}

/* ---- stream taps: `rrctl capture` ---- */

#define STREAM_BUF	(1u << 20)	/* bytes waiting at most, then drops */
#define STREAM_BATCH	(64u << 10)	/* written at once when this much waits */
#define STREAM_FLUSH_MS	50		/* else within this */
#define PCAP_MAGIC_NS	0xa1b23c4du	/* a file with nanosecond stamps */

enum stream_kind {
	STREAM_PIPE,	/* our own open of the pipe, O_NONBLOCK */
	STREAM_SOCKET,	/* a SOCK_STREAM socket: send(MSG_DONTWAIT) */
	STREAM_FILE,	/* a regular file: write() */
};

/**
 * struct vdev_stream - a running stream tap
 * @dev:	its device, NULL once unlinked from its list
 * @next:	the device's next stream
 * @end:	told when it ends by itself
 * @arg:	for @end
 * @fd:		where it writes: its own fd
 * @kind:	what @fd is
 * @watched:	@poll was set up (never for a regular file)
 * @events:	what @poll watches now
 * @hup:	a socket's peer shut down: no longer watched for that
 * @failed:	writing failed or the reader went: @end is due (@err)
 * @err:	for @end
 * @handles:	handles not yet closed
 * @poll:	@fd writable again, or its reader gone
 * @timer:	flushes within STREAM_FLUSH_MS; runs @end once @failed
 * @st:		frames taken and dropped
 * @filter:	a pcap filter the frames must pass, when @filtered
 * @filtered:	see @filter
 * @buf:	STREAM_BUF bytes: the stream not written yet is @len from @off
 * @off:	see @buf
 * @len:	see @buf
 */
struct vdev_stream {
	struct vdev *dev;
	struct vdev_stream *next;
	vdev_stream_end_fn *end;
	void *arg;
	int fd;
	enum stream_kind kind;
	bool watched;
	int events;
	bool hup;
	bool failed;
	int err;
	unsigned int handles;
	uv_poll_t poll;
	uv_timer_t timer;
	struct vdev_stream_stats st;
	struct bpf_program filter;
	bool filtered;
	uint8_t *buf;
	size_t off, len;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void on_stream_poll(uv_poll_t *h, int status, int events);
static void on_stream_flush(uv_timer_t *h);

/* Watch for what matters now: writable while bytes wait, and a socket
 * peer's shutdown (a pipe's last reader going is POLLERR, always told). */
static void stream_watch(struct vdev_stream *s)
{
	int ev = (s->len ? UV_WRITABLE : 0) | (s->hup ? 0 : UV_DISCONNECT);

	if (!s->watched) {	/* no poll: the timer tries again */
		if (s->len && !uv_is_active((uv_handle_t *)&s->timer))
			uv_timer_start(&s->timer, on_stream_flush,
				       STREAM_FLUSH_MS, 0);
		return;
	}
	if (ev == s->events)
		return;
	s->events = ev;
	if (ev)
		uv_poll_start(&s->poll, ev, on_stream_poll);
	else
		uv_poll_stop(&s->poll);
}

/*
 * Write what waits, as far as the fd takes it without blocking (a regular
 * file blocks, as the file tap's does): 0, the rest waiting for the fd to
 * turn writable, or -errno (EPIPE, ECONNRESET: the reader went away).
 */
static int stream_flush(struct vdev_stream *s)
{
	ssize_t n;

	while (s->len) {
		if (s->kind == STREAM_SOCKET)
			n = send(s->fd, s->buf + s->off, s->len,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		else
			n = write(s->fd, s->buf + s->off, s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0)
			return n ? -errno : -EIO;
		s->off += (size_t)n;
		s->len -= (size_t)n;
	}
	if (!s->len)
		s->off = 0;
	stream_watch(s);
	return 0;
}

static void on_stream_closed(uv_handle_t *h)
{
	struct vdev_stream *s = h->data;

	if (--s->handles)
		return;
	close(s->fd);
	if (s->filtered)
		pcap_freecode(&s->filter);
	free(s->buf);
	free(s);
}

/* Take @s off its device's list and close it: freed once closed. */
static void stream_close(struct vdev_stream *s)
{
	struct vdev_stream **pp;

	if (s->dev) {
		for (pp = &s->dev->streams; *pp && *pp != s; pp = &(*pp)->next)
			;
		if (*pp)
			*pp = s->next;
		s->dev = NULL;
	}
	uv_close((uv_handle_t *)&s->timer, on_stream_closed);
	if (s->watched)
		uv_close((uv_handle_t *)&s->poll, on_stream_closed);
}

static void on_stream_end(uv_timer_t *h)
{
	struct vdev_stream *s = h->data;

	stream_close(s);
	s->end(s->arg, s->err, &s->st);
}

/* Writing failed (@err) or the reader went (0): stop taking frames, and
 * tell @end from the loop, not from inside the stack's send. */
static void stream_fail(struct vdev_stream *s, int err)
{
	if (s->failed)
		return;
	s->failed = true;
	s->err = err == -EPIPE || err == -ECONNRESET ? 0 : err;
	s->len = 0;
	if (s->watched && s->events) {
		s->events = 0;
		uv_poll_stop(&s->poll);
	}
	uv_timer_start(&s->timer, on_stream_end, 0, 0);
}

static void on_stream_flush(uv_timer_t *h)
{
	struct vdev_stream *s = h->data;
	int ret = stream_flush(s);

	if (ret)
		stream_fail(s, ret);
}

static void on_stream_poll(uv_poll_t *h, int status, int events)
{
	struct vdev_stream *s = h->data;
	struct pollfd q = { s->fd, 0, 0 };
	int ret;

	if (status < 0) {	/* POLLERR: a pipe no one reads, a socket's error */
		s->events = 0;	/* libuv stopped the handle */
		stream_fail(s, 0);
		return;
	}
	if (events & UV_DISCONNECT) {
		/* an AF_UNIX peer that closed is POLLHUP; one that only shut
		 * its sending side (or a TCP peer) is told by the next write */
		poll(&q, 1, 0);
		if (q.revents & (POLLHUP | POLLERR)) {
			stream_fail(s, 0);
			return;
		}
		s->hup = true;	/* level-triggered: stop asking */
	}
	ret = stream_flush(s);
	if (ret)
		stream_fail(s, ret);
}

/**
 * vdev__stream_write() - record one frame in every stream of a device
 * @s:		the device's first stream
 * @p:		the frame (or bare IP packet), not consumed
 * @raw_ip:	@p has no link header: add the loopback's fake one
 *
 * A frame that does not fit in what waits for a slow reader is dropped
 * (and counted): the stack never waits for a reader.
 */
void vdev__stream_write(struct vdev_stream *s, const struct pbuf *p,
			bool raw_ip)
{
	static uint8_t scratch[BUF_MAX];	/* a frame with no room left */
	struct pcap_pkthdr h;
	struct timespec ts;
	size_t len, cap;
	uint8_t *r, *data;
	bool room;
	int ret;

	clock_gettime(CLOCK_REALTIME, &ts);
	cap = frame_len(p, raw_ip, &len);
	h.caplen = (bpf_u_int32)cap;
	h.len = (bpf_u_int32)len;
	for (; s; s = s->next) {
		if (s->failed)
			continue;
		if (s->off && s->off + s->len + REC_HDR + cap > STREAM_BUF) {
			memmove(s->buf, s->buf + s->off, s->len);
			s->off = 0;
		}
		/* Gathered where its record goes, if it fits: the filter
		 * reads it there, and a frame it passes is kept by moving
		 * the end.  One that does not fit is dropped, but only
		 * counted so if the filter would have passed it. */
		room = s->len + REC_HDR + cap <= STREAM_BUF;
		r = s->buf + s->off + s->len;
		data = room ? r + REC_HDR : scratch;
		if (room || s->filtered)
			gather(data, cap, p, raw_ip);
		if (s->filtered && !pcap_offline_filter(&s->filter, &h, data))
			continue;
		if (!room) {
			s->st.dropped++;
			continue;
		}
		put32(r, (uint32_t)ts.tv_sec);
		put32(r + 4, (uint32_t)ts.tv_nsec);
		put32(r + 8, (uint32_t)cap);
		put32(r + 12, (uint32_t)len);
		s->len += REC_HDR + cap;
		s->st.frames++;
		if (s->len >= STREAM_BATCH && !(s->events & UV_WRITABLE)) {
			if ((ret = stream_flush(s)))
				stream_fail(s, ret);
		} else if (!uv_is_active((uv_handle_t *)&s->timer)) {
			uv_timer_start(&s->timer, on_stream_flush,
				       STREAM_FLUSH_MS, 0);
		}
	}
}

/*
 * An fd of our own to write @fd's stream to, and what it is; or -errno
 * with @err set.  A pipe is opened anew through /proc where it may be,
 * so that its O_NONBLOCK is ours and not a flag changed under the client
 * (rrctl's stdout, perhaps shared with its shell).
 */
static int stream_open(int fd, enum stream_kind *kind, char *err,
		       size_t errlen)
{
	char path[32];
	struct stat st;
	socklen_t tl = sizeof(int);
	int type = 0, wfd, fl;

	if (fstat(fd, &st))
		return vdev__fail(err, errlen, -errno, "%s", strerror(errno));
	if (S_ISFIFO(st.st_mode)) {
		*kind = STREAM_PIPE;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		wfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (wfd >= 0)
			return wfd;
		if (errno == ENXIO)	/* a FIFO without a reader (a pipe's
					 * missing reader is the header's EPIPE) */
			return vdev__fail(err, errlen, -ENXIO, "nothing reads the pipe");
		/* EACCES: another user's pipe (a root shell's `sudo -u ME
		 * rrctl capture | ...`): the client's own description, then,
		 * made non-blocking */
		wfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (wfd < 0 || (fl = fcntl(wfd, F_GETFL)) < 0 ||
		    fcntl(wfd, F_SETFL, fl | O_NONBLOCK)) {
			fl = errno;
			if (wfd >= 0)
				close(wfd);
			return vdev__fail(err, errlen, -fl, "%s", strerror(fl));
		}
		return wfd;
	}
	if (S_ISSOCK(st.st_mode)) {
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) ||
		    type != SOCK_STREAM)
			return vdev__fail(err, errlen, -EINVAL, "a socket, but "
					  "not a stream socket");
		*kind = STREAM_SOCKET;
	} else if (S_ISREG(st.st_mode)) {
		fl = fcntl(fd, F_GETFL);
		if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
			return vdev__fail(err, errlen, -EBADF, "the file is not "
					  "open for writing");
		*kind = STREAM_FILE;
	} else {
		return vdev__fail(err, errlen, -EINVAL, "not a pipe, a stream "
				  "socket or a regular file");
	}
	wfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (wfd < 0)
		return vdev__fail(err, errlen, -errno, "%s", strerror(errno));
	return wfd;
}

/* Compile @expr (tcpdump's filter language) into @prog: 0, or -EINVAL
 * with libpcap's reason in @err. */
static int stream_filter(struct bpf_program *prog, const char *expr,
			 char *err, size_t errlen)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	int ret = 0;

	if (!pd)
		return vdev__fail(err, errlen, -ENOMEM, "%s", strerror(ENOMEM));
	if (pcap_compile(pd, prog, expr, 1, PCAP_NETMASK_UNKNOWN))
		ret = vdev__fail(err, errlen, -EINVAL, "filter '%s': %s", expr,
				 pcap_geterr(pd));
	pcap_close(pd);
	return ret;
}

/**
 * vdev_stream_start() - tap the device into a pcap stream on @fd
 * @dev:	the device; any number of streams may tap it, beside its file
 * @fd:		a pipe or FIFO with a reader, a stream socket, or a regular
 *		file open for writing; not taken (the stream opens or dups
 *		its own)
 * @filter:	only frames that pass this filter (tcpdump's language, as
 *		`tcp port 179`), NULL or "" for all
 * @end:	told when the stream ends by itself: its reader went away,
 *		writing failed, or the device is removed
 * @arg:	for @end
 * @out:	the stream, for vdev_stream_stop()
 * @err:	a one-line reason on failure
 * @errlen:	its size
 *
 * The stream is a pcap file (link-type Ethernet, nanosecond stamps) whose
 * header is written at once; each frame follows within STREAM_FLUSH_MS.
 * Nothing waits for a slow reader: up to STREAM_BUF bytes wait for it,
 * and frames that do not fit are dropped and counted.
 *
 * SIGPIPE must be ignored (rrsandbox's main() does): a pipe's reader may
 * go at any time, and that is EPIPE here, not the end of the supervisor.
 *
 * Return: 0, or a negative errno with @err set (-EPIPE, -ENXIO: nothing
 * reads the pipe or FIFO; -EINVAL: @fd is of a kind that takes no stream,
 * or @filter does not compile)
 */
int vdev_stream_start(struct vdev *dev, int fd, const char *filter,
		      vdev_stream_end_fn *end, void *arg,
		      struct vdev_stream **out, char *err, size_t errlen)
{
	const struct pcap_file_header hdr = {
		.magic = PCAP_MAGIC_NS, .version_major = PCAP_VERSION_MAJOR,
		.version_minor = PCAP_VERSION_MINOR, .snaplen = SNAPLEN,
		.linktype = DLT_EN10MB,
	};
	enum stream_kind kind = STREAM_FILE;
	struct bpf_program prog = { 0 };
	bool filtered = filter && *filter;
	struct vdev_stream *s;
	int wfd, fl, ret;

	if (!dev || !end || !out || fd < 0)
		return vdev__fail(err, errlen, -EINVAL, "%s", strerror(EINVAL));
	if (filtered && (ret = stream_filter(&prog, filter, err, errlen)))
		return ret;
	wfd = stream_open(fd, &kind, err, errlen);
	s = wfd < 0 ? NULL : calloc(1, sizeof(*s));
	if (!s || !(s->buf = malloc(STREAM_BUF))) {
		if (filtered)
			pcap_freecode(&prog);
		free(s);
		if (wfd < 0)
			return wfd;
		close(wfd);
		return vdev__fail(err, errlen, -ENOMEM, "%s", strerror(ENOMEM));
	}
	s->filter = prog;
	s->filtered = filtered;
	s->fd = wfd;
	s->kind = kind;
	s->end = end;
	s->arg = arg;
	if (kind != STREAM_FILE) {
		/* uv_poll_init() sets O_NONBLOCK; a socket's description is
		 * shared with the client, and its sends say MSG_DONTWAIT */
		fl = fcntl(wfd, F_GETFL);
		if (!uv_poll_init(dev->loop, &s->poll, wfd)) {
			s->watched = true;
			s->handles++;
			s->poll.data = s;
			uv_unref((uv_handle_t *)&s->poll);
		}
		if (kind == STREAM_SOCKET && fl >= 0 && !(fl & O_NONBLOCK))
			fcntl(wfd, F_SETFL, fl);
	}
	uv_timer_init(dev->loop, &s->timer);
	uv_unref((uv_handle_t *)&s->timer);
	s->timer.data = s;
	s->handles++;
	s->dev = dev;
	s->next = dev->streams;
	dev->streams = s;

	/* in host order, as the magic says */
	memcpy(s->buf, &hdr, sizeof(hdr));
	s->len = sizeof(hdr);
	ret = stream_flush(s);	/* a reader sees the stream start at once */
	if (ret) {
		stream_close(s);
		return vdev__fail(err, errlen, ret, "%s", ret == -EPIPE ?
				  "nothing reads the pipe" : strerror(-ret));
	}
	*out = s;
	return 0;
}

/**
 * vdev_stream_stop() - end a stream: what waits is written if the fd
 *			takes it now, and its fd closed
 * @s:		the stream, not yet ended by itself (its end function not
 *		yet called)
 * @st:		what it did, or NULL
 */
void vdev_stream_stop(struct vdev_stream *s, struct vdev_stream_stats *st)
{
	if (!s->failed)
		stream_flush(s);
	if (st)
		*st = s->st;
	stream_close(s);
}

/**
 * vdev__streams_end() - end every stream of a device being removed
 * @dev:	the device
 *
 * Each writes what it can without waiting and is told -ENODEV (or why it
 * failed, if it did), then closed.
 */
void vdev__streams_end(struct vdev *dev)
{
	struct vdev_stream *s;

	while ((s = dev->streams)) {
		if (!s->failed) {
			stream_flush(s);
			s->err = -ENODEV;
		}
		stream_close(s);
		s->end(s->arg, s->err, &s->st);
	}
}

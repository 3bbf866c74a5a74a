/* SPDX-License-Identifier: MIT */
/*
 * pcap.c - the pcap tap of a device: every frame in and out, to a file.
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
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lwip/pbuf.h"

#include "internal.h"

#define SNAPLEN		262144
#define FILE_HDR	24		/* struct pcap_file_header */
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

/* Copy @p into t->buf, with a fake Ethernet header if @raw_ip. */
static size_t gather(struct vdev__pcap *t, const struct pbuf *p, bool raw_ip,
		     size_t *len)
{
	size_t hlen = raw_ip ? ETH_HLEN : 0, cap;
	uint8_t v = 0;

	*len = hlen + p->tot_len;
	cap = *len < sizeof(t->buf) ? *len : sizeof(t->buf);
	if (raw_ip) {
		memset(t->buf, 0, ETH_HLEN);
		pbuf_copy_partial(p, &v, 1, 0);
		/* 0x86dd for IPv6, 0x0800 for IPv4 (and anything else) */
		t->buf[12] = (v >> 4) == 6 ? 0x86 : 0x08;
		t->buf[13] = (v >> 4) == 6 ? 0xdd : 0x00;
	}
	pbuf_copy_partial(p, t->buf + hlen, (u16_t)(cap - hlen), 0);
	return cap;
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
	cap = gather(t, p, raw_ip, &len);
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

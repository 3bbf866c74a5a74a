/* SPDX-License-Identifier: MIT */
/*
 * fuzz_host.c - vdev/host.c on arbitrary packets from lwIP.
 *
 * Each input is handed to the uplink device's output as lwIP would hand
 * it a packet (IPv4 or IPv6 by its first nibble), with every destination
 * refused, so the parser, the checks and the prohibit answer run but no
 * host socket is ever opened: fuzzing sends nothing anywhere.  The
 * answers are fed on the loop's next turn to a capture that parses them
 * again.  The parser and the answer builder are also called directly.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <uv.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"

#include "vdev/internal.h"
#include "vdev/vdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static uv_loop_t loop;
static struct vdev *dev;

static bool refuse_all(void *arg, uint8_t family, const uint8_t *addr)
{
	(void)arg;
	(void)family;
	(void)addr;
	return false;
}

static err_t capture(struct pbuf *p, struct netif *nif)
{
	static uint8_t b[65535];
	struct vdev__pkt k;
	u16_t len = pbuf_copy_partial(p, b, sizeof(b), 0);

	(void)nif;
	if (vdev__host_parse(b, len, &k) != 0)
		__builtin_trap();	/* our own answers must parse */
	pbuf_free(p);
	return ERR_OK;
}

static void setup(void)
{
	struct vdev_host_opts o = { .allowed = refuse_all };
	char err[128];

	lwip_init();
	uv_loop_init(&loop);
	if (vdev_host_new(&loop, "up0", &o, err, sizeof(err), &dev))
		__builtin_trap();
	vdev_netif(dev)->input = capture;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint8_t ans[2048];
	struct netif *nif;
	struct vdev__pkt k;
	struct pbuf *p;

	if (!dev)
		setup();
	if (n > 65535)
		return 0;
	if (!vdev__host_parse(d, n, &k))
		vdev__host_prohibit(ans, &k);
	nif = vdev_netif(dev);
	p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_RAM);
	if (!p)
		return 0;
	pbuf_take(p, d, (u16_t)n);
	if (n && (d[0] >> 4) == 6)
		nif->output_ip6(nif, p, NULL);
	else
		nif->output(nif, p, NULL);
	pbuf_free(p);
	uv_run(&loop, UV_RUN_NOWAIT);
	return 0;
}

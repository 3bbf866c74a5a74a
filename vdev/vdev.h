/* SPDX-License-Identifier: MIT */
/*
 * vdev.h - virtual network devices of a sandbox.
 *
 * A device is an lwIP netif plus a backend that carries its packets.  This
 * first version has one backend, the loopback: what the stack sends on it
 * comes back in as received, on a later turn of the loop, never from inside
 * the send (lwIP with NO_SYS=1 must not be re-entered).  vdev/ knows
 * nothing of sockets or system calls.
 */
#ifndef RRS_VDEV_H
#define RRS_VDEV_H

#include <stdint.h>
#include <uv.h>

struct netif;
struct vdev;

/**
 * struct vdev_counters - per device packet and byte counters
 */
struct vdev_counters {
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes, drops;
};

int vdev_loopback_new(uv_loop_t *loop, const char *name, struct vdev **out);
void vdev_free(struct vdev *dev);
struct netif *vdev_netif(struct vdev *dev);
const char *vdev_name(const struct vdev *dev);
void vdev_counters(const struct vdev *dev, struct vdev_counters *out);

#endif /* RRS_VDEV_H */

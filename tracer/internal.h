/* SPDX-License-Identifier: MIT */
/*
 * internal.h - declarations shared by the files of tracer/ only.
 */
#ifndef RRS_TRC_INTERNAL_H
#define RRS_TRC_INTERNAL_H

#include <seccomp.h>
#include <sys/types.h>

/* The fd on which the child passes its seccomp listener to the parent;
 * high, so no tracee fd is likely to sit there before exec closes it. */
#define TRC__CTL_FD 1000

scmp_filter_ctx trc__filter_new(pid_t supervisor, int *err);
int trc__proc_descendants(pid_t root, pid_t **pids, size_t *n);
int trc__pidfd_open(pid_t pid);

#endif /* RRS_TRC_INTERNAL_H */

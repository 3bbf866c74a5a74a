/* SPDX-License-Identifier: MIT */
/*
 * nocap.c - an LD_PRELOAD library for tests/scenario/frr.sh: libcap's
 * cap_set_proc() succeeds and changes nothing.
 *
 * FRR's daemons (lib/privs.c) put CAP_NET_ADMIN, CAP_NET_RAW and
 * CAP_SYS_ADMIN into their permitted set at start and exit when the
 * kernel refuses, as it does for an ordinary user.  Inside rrsandbox the
 * sandbox's network needs none of them (the supervisor serves it), so
 * with this library loaded an unprivileged FRR runs there as a root FRR
 * runs on Linux.  Not a program: no TAP, no checks.
 */
#include <errno.h>

int cap_set_proc(void *caps);

int cap_set_proc(void *caps)
{
	if (!caps) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

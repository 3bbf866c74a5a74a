/* SPDX-License-Identifier: MIT */
/*
 * nocap.c - an LD_PRELOAD library for tests/scenario/frr.sh that lets
 * FRR's daemons start as an ordinary user, as if they were root:
 *
 * - libcap's cap_set_proc() succeeds and changes nothing.  FRR's daemons
 *   (lib/privs.c) put CAP_NET_ADMIN, CAP_NET_RAW and CAP_SYS_ADMIN into
 *   their permitted set at start and exit when the kernel refuses.
 * - geteuid() says 0 to the daemon's own code (the executable: ospfd's
 *   main() exits "Operation not permitted" otherwise), and the truth to
 *   everything else (libfrr's privilege code, libc).
 *
 * Inside rrsandbox the sandbox's network needs none of that (the
 * supervisor serves it), so an unprivileged FRR runs there as a root FRR
 * runs on Linux.  Not a program: no TAP, no checks.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

int cap_set_proc(void *caps);

int cap_set_proc(void *caps)
{
	if (!caps) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Whether @addr lies in the main executable (the first link map entry). */
static int in_executable(const void *addr)
{
	Dl_info info;
	struct link_map *map = NULL;

	if (!dladdr1(addr, &info, (void **)&map, RTLD_DL_LINKMAP) || !map)
		return 0;
	return map->l_name && !map->l_name[0];	/* the executable's is "" */
}

uid_t geteuid(void)
{
	if (in_executable(__builtin_return_address(0)))
		return 0;
	return (uid_t)syscall(SYS_geteuid);
}

/* SPDX-License-Identifier: MIT */
/*
 * arch/cc.h - lwIP's compiler and platform glue for rrsandbox.
 *
 * lwIP asks the platform for diagnostics, assertions and random numbers.
 * Diagnostics go to stderr; a failed lwIP assertion is a broken invariant
 * of the stack, so it aborts the supervisor loudly rather than carry on
 * with corrupt state.
 */
#ifndef RRS_LWIP_ARCH_CC_H
#define RRS_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <sys/time.h>

#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE  0

void rrs_lwip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define LWIP_PLATFORM_DIAG(x) do { rrs_lwip_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { \
	fprintf(stderr, "lwip: assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
	abort(); } while (0)

unsigned int rrs_lwip_rand(void);
#define LWIP_RAND() ((u32_t)rrs_lwip_rand())

#endif /* RRS_LWIP_ARCH_CC_H */

/* SPDX-License-Identifier: MIT */
/*
 * filter.c - the seccomp filter every sandboxed process runs under.
 *
 * Built with libseccomp by the supervisor before it forks the program, and
 * loaded by the child just before exec.  The filter decides in BPF what it
 * can, so most system calls never leave the kernel:
 *   - socket control calls on x86-64 (socket for every family but AF_UNIX,
 *     bind, connect, listen, accept, ...) are trapped to the supervisor
 *     (SCMP_ACT_NOTIFY);
 *   - sendto/recvfrom are trapped only with an address, ioctl only for the
 *     SIOC* range (0x89xx; wireless 0x8Bxx gets ENOTTY, and i386 0x89xx
 *     too), so plain data transfer stays native;
 *   - with trc_opts.trap_open, open and openat for reading with no flag
 *     but TRC_OPEN_PLAIN_FLAGS and O_DIRECTORY, for writing (O_WRONLY or
 *     O_RDWR) with no flag but those and TRC_OPEN_WRITE_FLAGS, and
 *     openat2 (its flags are in memory), on x86-64, so that the
 *     supervisor can give a program reading /proc/net, or reading or
 *     writing a forwarding sysctl, the sandbox's, list the sandbox's
 *     devices in /proc/sys/net/ipv4|ipv6/conf and neigh and in
 *     /sys/class/net, and keep writes off the host's other network
 *     sysctls (it lets the kernel run every other open); O_TMPFILE and
 *     O_PATH opens never leave the kernel.
 *     With them the lookups by path that may name a file in those
 *     directories: stat, lstat, readlink, access and the xattr reads, and
 *     newfstatat, statx, readlinkat, faccessat and faccessat2 from the
 *     working directory (AT_FDCWD), the first two without AT_EMPTY_PATH;
 *     fstat() and lookups relative to
 *     a directory fd stay native.  Each costs a trap (about 15 us more
 *     than the kernel's 1 to 2: docs/architecture.md);
 *   - the calls that may give another process a reference to an open
 *     file without making a process (unshare(CLONE_FILES), pidfd_getfd)
 *     are trapped on x86-64 to be counted (trc_dup_epoch()), and the
 *     supervisor lets the kernel run them.  None of the calls that change
 *     what a process's fd numbers name is trapped (close, close_range,
 *     dup, dup2, dup3, fcntl F_DUPFD*, execve), nor fork, vfork, clone
 *     or clone3: a trapped call taken by a signal whose handler lacks
 *     SA_RESTART fails with EINTR, which these must never do (a dash
 *     whose close() of a pipe's write end failed so waited forever on its
 *     read end; its fork() said "Cannot fork"; its dup2() of a redirect
 *     failed).  So the supervisor keeps no map of fd numbers to sockets
 *     (proc.c asks /proc each time), counts a process's fds naming a
 *     socket when it must know (trc_fd_count()), and trc_dup_epoch()
 *     learns of new processes from the kernel's last pid;
 *   - escape routes are refused here: io_uring, the i386 socket calls
 *     and socketcall (and i386 socketpair of other families than
 *     AF_UNIX), and signals aimed at the supervisor; an x86-64 socketpair
 *     of another family is trapped, for the supervisor to refuse with
 *     Linux's errors.  Architectures other than x86-64 and i386 (x32 among
 *     them) get ENOSYS.
 * It must not know what the supervisor does with a trapped call.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>

#include "internal.h"
#include "trc.h"

/* Trapped unconditionally on x86-64. */
static const char *const trapped[] = {
	"bind", "connect", "listen", "accept", "accept4", "getsockname",
	"getpeername", "setsockopt", "getsockopt", "shutdown",
	"recvmsg", "sendmmsg", "recvmmsg",
	/* counted only (trc_dup_epoch()): another process may get a file */
	"pidfd_getfd",
};

/* Refused on every architecture with ENOSYS, as on a kernel without them. */
static const char *const absent[] = {
	"io_uring_setup", "io_uring_enter", "io_uring_register",
};

/* The i386 ABI gets no sockets but AF_UNIX: socketcall cannot be inspected
 * in BPF (its arguments are in memory), so it is refused whole. */
static const char *const i386_refused[] = {
	"socketcall", "bind", "connect", "listen", "accept", "accept4",
	"getsockname", "getpeername", "setsockopt", "getsockopt", "shutdown",
	"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
};

static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name,
		unsigned int n, const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0;	/* not on this architecture */
	return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

/*
 * Signals at the supervisor: by pid, to every process (-1), or to the
 * process group it shares with the program (0 or -pgid: any signal there,
 * SIGUSR2 as much as SIGKILL, would reach it).  The program may still
 * signal groups it made itself.
 */
static int protect_supervisor(scmp_filter_ctx ctx, pid_t sup)
{
	static const char *const by_pid[] = {
		"kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
		"pidfd_open",
	};
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
	const uint32_t group[] = { 0, (uint32_t)-1, (uint32_t)-getpgid(0) };
	struct scmp_arg_cmp c;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < sizeof(by_pid) / sizeof(by_pid[0]) && !ret; i++) {
		c = SCMP_A0_32(SCMP_CMP_EQ, (uint32_t)sup);
		ret = rule(ctx, eperm, by_pid[i], 1, &c);
	}
	for (i = 0; i < sizeof(group) / sizeof(group[0]) && !ret; i++) {
		c = SCMP_A0_32(SCMP_CMP_EQ, group[i]);
		ret = rule(ctx, eperm, "kill", 1, &c);
	}
	return ret;
}

/* Wireless extensions (0x8Bxx) would tell which host interface names
 * exist: the sandbox answers as a kernel without them (ENOTTY). */
static int wireless_rule(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp c = SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xff00, 0x8b00);

	return rule(ctx, SCMP_ACT_ERRNO(ENOTTY), "ioctl", 1, &c);
}

static int native_rules(scmp_filter_ctx ctx)
{
	const uint32_t notify = SCMP_ACT_NOTIFY;
	struct scmp_arg_cmp c;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < sizeof(trapped) / sizeof(trapped[0]) && !ret; i++)
		ret = rule(ctx, notify, trapped[i], 0, NULL);
	if (ret)
		return ret;
	c = SCMP_A0_32(SCMP_CMP_NE, AF_UNIX);
	if ((ret = rule(ctx, notify, "socket", 1, &c)))
		return ret;
	/* A private copy of a shared fd table: its files get references the
	 * processes still sharing the old one do not see (trc_dup_epoch()). */
	c = SCMP_A0_64(SCMP_CMP_MASKED_EQ, CLONE_FILES, CLONE_FILES);
	if ((ret = rule(ctx, notify, "unshare", 1, &c)))
		return ret;
	/* Other families are refused by the supervisor, which judges the
	 * arguments first as Linux does (EINVAL, EFAULT, EAFNOSUPPORT...). */
	c = SCMP_A0_32(SCMP_CMP_NE, AF_UNIX);
	if ((ret = rule(ctx, notify, "socketpair", 1, &c)))
		return ret;
	/* The child hands its listener over on TRC__CTL_FD before exec. */
	c = SCMP_A0_32(SCMP_CMP_NE, TRC__CTL_FD);
	if ((ret = rule(ctx, notify, "sendmsg", 1, &c)))
		return ret;
	c = SCMP_A4_64(SCMP_CMP_NE, 0);
	if ((ret = rule(ctx, notify, "sendto", 1, &c)))
		return ret;
	c = SCMP_A4_64(SCMP_CMP_NE, 0);
	if ((ret = rule(ctx, notify, "recvfrom", 1, &c)))
		return ret;
	/* SIOC* requests (0x89xx): interface queries must see the sandbox. */
	c = SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xff00, 0x8900);
	if ((ret = rule(ctx, notify, "ioctl", 1, &c)))
		return ret;
	return wireless_rule(ctx);
}

/* With trc_opts.trap_open: the calls that name a file below
 * /proc/sys/net/ipv4|ipv6/conf or neigh by its path, to be answered from
 * the sandbox's copy of those directories: stat, lstat, readlink and
 * the xattr reads by path (`ls -l` asks for SELinux labels and ACLs)
 * and access() always, newfstatat, statx, readlinkat, faccessat and
 * faccessat2 relative to the working directory (AT_FDCWD: so by an
 * absolute path too; `test -r`, realpath's check of a directory before
 * ".."), and newfstatat and statx only without AT_EMPTY_PATH (fstat(),
 * glibc's and the loader's) */
static int native_rules_stat(scmp_filter_ctx ctx)
{
	static const char *const by_path[] = {
		"stat", "lstat", "readlink", "getxattr", "lgetxattr",
		"listxattr", "llistxattr", "access",
	};
	/* AT_FDCWD as glibc passes an int (the upper half zero) and as Go
	 * passes it (sign-extended): libseccomp's 32-bit compare takes only
	 * the first */
	const struct scmp_arg_cmp cwd[] = {
		SCMP_A0_32(SCMP_CMP_EQ, (uint32_t)AT_FDCWD),
		SCMP_A0_64(SCMP_CMP_EQ, (uint64_t)(int64_t)AT_FDCWD),
	};
	struct scmp_arg_cmp c[2];
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(by_path) / sizeof(by_path[0]) && !ret; i++)
		ret = rule(ctx, SCMP_ACT_NOTIFY, by_path[i], 0, NULL);
	for (i = 0; i < sizeof(cwd) / sizeof(cwd[0]) && !ret; i++) {
		c[0] = cwd[i];
		ret = rule(ctx, SCMP_ACT_NOTIFY, "readlinkat", 1, c);
		c[1] = SCMP_A3_32(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0);
		if (!ret)
			ret = rule(ctx, SCMP_ACT_NOTIFY, "newfstatat", 2, c);
		c[1] = SCMP_A2_32(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, 0);
		if (!ret)
			ret = rule(ctx, SCMP_ACT_NOTIFY, "statx", 2, c);
		if (!ret)
			ret = rule(ctx, SCMP_ACT_NOTIFY, "faccessat", 1, c);
		if (!ret)
			ret = rule(ctx, SCMP_ACT_NOTIFY, "faccessat2", 1, c);
	}
	return ret;
}

/* With trc_opts.trap_open: the opens that may read /proc/net or write a
 * sysctl (a path in memory): read-only ones with no flag but
 * TRC_OPEN_PLAIN_FLAGS and O_DIRECTORY (opendir(): the sysctl
 * directories are the sandbox's), write-only and read-write ones with no
 * flag but those and TRC_OPEN_WRITE_FLAGS (one masked compare each:
 * O_ACCMODE is in the mask) */
static int native_rules_open(scmp_filter_ctx ctx)
{
	const uint32_t plain = ~(uint32_t)TRC_OPEN_PLAIN_FLAGS;	/* and O_ACCMODE */
	const uint32_t rd = plain & ~(uint32_t)O_DIRECTORY;
	const uint32_t wr = plain & ~(uint32_t)TRC_OPEN_WRITE_FLAGS;
	const struct { uint32_t mask, mode; } m[] = {
		{ rd, O_RDONLY }, { wr, O_WRONLY }, { wr, O_RDWR },
	};
	struct scmp_arg_cmp c;
	unsigned int k;
	int ret = native_rules(ctx);

	for (k = 0; !ret && k < sizeof(m) / sizeof(m[0]); k++) {
		c = SCMP_A1_32(SCMP_CMP_MASKED_EQ, m[k].mask, m[k].mode);
		ret = rule(ctx, SCMP_ACT_NOTIFY, "open", 1, &c);
		c = SCMP_A2_32(SCMP_CMP_MASKED_EQ, m[k].mask, m[k].mode);
		if (!ret)
			ret = rule(ctx, SCMP_ACT_NOTIFY, "openat", 1, &c);
	}
	if (!ret)
		ret = native_rules_stat(ctx);
	return ret ? ret : rule(ctx, SCMP_ACT_NOTIFY, "openat2", 0, NULL);
}

static int i386_rules(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp c;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < sizeof(i386_refused) / sizeof(i386_refused[0]) && !ret; i++)
		ret = rule(ctx, SCMP_ACT_ERRNO(ENOSYS), i386_refused[i], 0, NULL);
	if (ret)
		return ret;
	c = SCMP_A0_32(SCMP_CMP_NE, AF_UNIX);
	if ((ret = rule(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), "socket", 1, &c)))
		return ret;
	c = SCMP_A0_32(SCMP_CMP_NE, AF_UNIX);
	if ((ret = rule(ctx, SCMP_ACT_ERRNO(EOPNOTSUPP), "socketpair", 1, &c)))
		return ret;
	/* Interface ioctls are answered for x86-64 programs only; an i386
	 * one must not reach the host's interfaces. */
	c = SCMP_A1_32(SCMP_CMP_MASKED_EQ, 0xff00, 0x8900);
	if ((ret = rule(ctx, SCMP_ACT_ERRNO(ENOTTY), "ioctl", 1, &c)))
		return ret;
	return wireless_rule(ctx);
}

static scmp_filter_ctx arch_new(uint32_t arch, pid_t supervisor,
			       int (*rules)(scmp_filter_ctx), int *err)
{
	scmp_filter_ctx ctx;
	unsigned int i;
	int ret;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		*err = -ENOMEM;
		return NULL;
	}
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS));
	if (!ret)
		ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	/* The kernel's own errno from seccomp_load(), e.g. EBUSY when an
	 * outer filter already has a listener, not libseccomp's ECANCELED. */
	if (!ret)
		ret = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	/* A binary tree over the syscall numbers, not a chain of compares:
	 * every untrapped call (read, write, poll...) runs this program, and
	 * with a chain it walks all our rules before reaching ALLOW.  Older
	 * libseccomp without the attribute builds the chain. */
	if (!ret)
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!ret && arch != SCMP_ARCH_NATIVE) {
		ret = seccomp_arch_add(ctx, arch);
		if (!ret)
			ret = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]) && !ret; i++)
		ret = rule(ctx, SCMP_ACT_ERRNO(ENOSYS), absent[i], 0, NULL);
	if (!ret)
		ret = rules(ctx);
	if (!ret)
		ret = protect_supervisor(ctx, supervisor);
	if (ret) {
		seccomp_release(ctx);
		*err = ret < 0 ? ret : -EINVAL;
		return NULL;
	}
	return ctx;
}

/**
 * trc__filter_new() - build (not load) the sandbox's seccomp filter
 * @supervisor:	the supervisor's pid, which the sandbox may not signal
 * @trap_open:	trap open and openat for reading, and openat2, too (x86-64)
 * @err:	set to a negative errno on failure
 *
 * The x86-64 and i386 halves need different rules for the same calls, so
 * each is built alone and the two are merged into one filter.
 *
 * Return: a libseccomp context to load in the child, or NULL
 */
scmp_filter_ctx trc__filter_new(pid_t supervisor, bool trap_open, int *err)
{
	scmp_filter_ctx ctx, ctx32;
	int ret;

	ctx = arch_new(SCMP_ARCH_NATIVE, supervisor,
		       trap_open ? native_rules_open : native_rules, err);
	if (!ctx)
		return NULL;
	ctx32 = arch_new(SCMP_ARCH_X86, supervisor, i386_rules, err);
	if (!ctx32) {
		seccomp_release(ctx);
		return NULL;
	}
	ret = seccomp_merge(ctx, ctx32);	/* consumes ctx32 on success */
	if (ret) {
		seccomp_release(ctx32);
		seccomp_release(ctx);
		*err = ret;
		return NULL;
	}
	return ctx;
}

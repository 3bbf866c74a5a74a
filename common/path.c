/* SPDX-License-Identifier: MIT */
/*
 * path.c - a name looked up in $PATH (path.h).
 *
 * Linked into rrsandbox (the exec helper calls it in a job after fork:
 * nothing here allocates) and rrctl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"

/**
 * path_has() - whether a directory of $PATH holds @name
 * @name:	a program's name, without '/'
 * @exec:	only a file this process may execute counts; else any file
 *
 * PATH is searched as execvp() does: "/bin:/usr/bin" when unset, and an
 * empty element is the working directory.
 *
 * Return: true if one does
 */
bool path_has(const char *name, bool exec)
{
	const char *p = getenv("PATH"), *end;
	char path[4096];
	struct stat st;
	int len;

	if (!p)
		p = "/bin:/usr/bin";
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		len = snprintf(path, sizeof(path), "%.*s%s%s", (int)(end - p), p,
			       end > p ? "/" : "", name);
		if (len > 0 && (size_t)len < sizeof(path) &&
		    (exec ? !access(path, X_OK) : !stat(path, &st)))
			return true;
	}
	return false;
}

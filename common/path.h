/* SPDX-License-Identifier: MIT */
/*
 * path.h - whether a program of a name is found in $PATH, as execvp()
 * searches it: rrctl asks before it runs tcpdump for `rrctl capture` at
 * a terminal, the exec helper after execvp() said EACCES.
 */
#ifndef RRS_PATH_H
#define RRS_PATH_H

#include <stdbool.h>

bool path_has(const char *name, bool exec);

#endif /* RRS_PATH_H */

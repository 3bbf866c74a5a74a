#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""chroot-build.py - run a Dockerfile's steps in chroots, without an engine.

Usage (as root): chroot-build.py DOCKERFILE CONTEXT ROOTFS WORKDIR

A stand-in for `docker build` on machines where no container engine runs,
to check examples/docker/Dockerfile's shell steps by hand.  ROOTFS is a
Debian tree for the FROM images, for example

    debootstrap --variant=minbase bookworm ROOTFS http://deb.debian.org/debian

(debian:bookworm is built the same way).  Each FROM copies ROOTFS to
WORKDIR/stageN; COPY copies from CONTEXT (or, with --from=NAME, from that
stage's tree); RUN runs `/bin/sh -c` in a chroot of the stage, as root, in
a mount namespace of its own (the host's /dev bound, a fresh /proc,
/etc/resolv.conf copied), with the ARG and ENV values in its environment,
as docker does.  USER, ENTRYPOINT, CMD, EXPOSE are printed, not applied.
Only the Dockerfile syntax examples/docker uses is known; anything else
stops it.

Then run the image's entrypoint by hand, for example:

    unshare -m --propagation private sh -c 'mount --rbind /dev S/dev &&
      mount -t proc proc S/proc && exec chroot S setpriv --reuid=10179
      --regid=10179 --clear-groups --inh-caps=-all --bounding-set=-all
      env -i PATH=/usr/local/bin:/usr/bin:/bin sh -c "cd /var/lib/rrsandbox
      && rrsandbox -c /etc/rrsandbox/net.conf -- bird -f -c /etc/bird/bird.conf"'
"""
import os
import shlex
import shutil
import subprocess
import sys


def instructions(path):
    """The Dockerfile's instructions, continuation lines joined."""
    out, cur = [], ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        if cur.strip():
            out.append(cur.strip())
        cur = ""
    if cur.strip():
        sys.exit("chroot-build: line continuation at the end of the file")
    return out


def run(root, wd, env, cmd):
    """RUN cmd in a chroot of root, as root, in its own mount namespace."""
    inner = ["chroot", root, "env", "-i",
             "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
             "HOME=/root"] + [f"{k}={v}" for k, v in env.items()] + \
            ["/bin/sh", "-c", f"cd {shlex.quote(wd)} && {cmd}"]
    setup = (f"mount --rbind /dev {shlex.quote(root)}/dev && "
             f"mount -t proc proc {shlex.quote(root)}/proc && "
             f"cp /etc/resolv.conf {shlex.quote(root)}/etc/resolv.conf && "
             "exec " + " ".join(shlex.quote(a) for a in inner))
    print("+ RUN", cmd, flush=True)
    subprocess.run(["unshare", "--mount", "--propagation", "private",
                    "sh", "-c", setup], check=True)


def copy(words, ctx, stages, root, wd):
    """COPY [--from=NAME] SRC... DEST"""
    src_root = ctx
    while words[0].startswith("--"):
        if words[0].startswith("--from="):
            src_root = stages[words[0][len("--from="):]]
        else:
            sys.exit(f"chroot-build: COPY {words[0]}: not known here")
        words = words[1:]
    dest = words[-1] if words[-1].startswith("/") else os.path.join(wd, words[-1])
    print("+ COPY", " ".join(words), flush=True)
    for src in words[:-1]:
        sp = os.path.join(src_root, src.lstrip("/"))
        if os.path.isdir(sp):
            shutil.copytree(sp, root + dest, symlinks=True, dirs_exist_ok=True)
            continue
        target = root + dest
        if dest.endswith("/"):
            os.makedirs(target, exist_ok=True)
            target = os.path.join(target, os.path.basename(sp))
        shutil.copy2(sp, target)


def main():
    if len(sys.argv) != 5 or os.geteuid() != 0:
        sys.exit(__doc__)
    dockerfile, ctx, base, work = sys.argv[1:5]
    stages, root, wd, env, n = {}, None, "/", {}, 0
    for ins in instructions(dockerfile):
        kw, _, rest = ins.partition(" ")
        kw, rest = kw.upper(), rest.strip()
        if kw == "FROM":
            root = os.path.join(work, f"stage{n}")
            print(f"+ FROM {rest} -> {root}", flush=True)
            subprocess.run(["cp", "-a", base, root], check=True)
            words = rest.split()
            if len(words) == 3 and words[1].upper() == "AS":
                stages[words[2]] = root
            stages[str(n)] = root
            n += 1
            wd, env = "/", {}
        elif root is None:
            sys.exit(f"chroot-build: {kw} before FROM")
        elif kw in ("ARG", "ENV"):
            k, _, v = rest.partition("=")
            env[k] = v
        elif kw == "WORKDIR":
            wd = rest
            os.makedirs(root + wd, exist_ok=True)
        elif kw == "COPY":
            copy(rest.split(), ctx, stages, root, wd)
        elif kw == "RUN":
            run(root, wd, env, rest)
        elif kw in ("USER", "ENTRYPOINT", "CMD", "EXPOSE"):
            print(f"+ {kw} {rest} (not applied)", flush=True)
        else:
            sys.exit(f"chroot-build: {kw}: not known here")
    print("chroot-build: done; the last stage is", root)


if __name__ == "__main__":
    main()

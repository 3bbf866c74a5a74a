#!/bin/sh
# SPDX-License-Identifier: MIT
# fetch-lwip.sh - fetch lwIP 2.1.3 from Debian's source package into DEST.
#
# Usage: fetch-lwip.sh DEST [PATCHDIR]
#
# Downloads the orig tarball of Debian's `lwip` source package with
# `apt-get source --download-only`, using a private deb-src list so the
# system's apt configuration is left alone, checks its SHA-256, and unpacks
# it to DEST/lwip-2.1.3, then applies the project's own patches from
# PATCHDIR (*.patch, in name order).  The tarball is cached in DEST, so a
# second run needs no network; the tree is unpacked again whenever the set
# of patches changes.  Nothing fetched here is ever committed.
set -eu

dest=${1:?usage: fetch-lwip.sh DEST [PATCHDIR]}
patches=${2:-}
if [ -n "$patches" ]; then
	patches=$(cd "$patches" && pwd)
fi
ver=2.1.3+dfsg1
tarball=lwip_${ver}.orig.tar.xz
sha256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24
mirror=${RRS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${RRS_DEBIAN_SUITE:-bookworm}

mkdir -p "$dest"
cd "$dest"

stamp=none
if [ -n "$patches" ] && ls "$patches"/*.patch >/dev/null 2>&1; then
	stamp=$(cat "$patches"/*.patch | sha256sum | cut -d' ' -f1)
fi
if [ -f lwip-2.1.3/src/Filelists.cmake ] &&
   [ "$(cat lwip-2.1.3/.rrs-patches 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
rm -rf lwip-2.1.3

check() {
	echo "$sha256  $tarball" | sha256sum -c --status
}

if [ ! -f "$tarball" ] || ! check; then
	rm -f "$tarball"
	command -v apt-get >/dev/null 2>&1 || {
		echo "fetch-lwip: apt-get not found; pass -DRRS_LWIP_DIR=/path/to/lwip" >&2
		exit 1
	}
	apt=$(pwd)/apt
	mkdir -p "$apt/lists/partial"
	echo "deb-src $mirror $suite main" > "$apt/sources.list"
	aptopts="-o Dir::Etc::SourceList=$apt/sources.list \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists=$apt/lists \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=$(id -un)"
	# shellcheck disable=SC2086
	apt-get -q $aptopts update >apt/update.log 2>&1 || {
		cat apt/update.log >&2
		echo "fetch-lwip: apt-get update of the deb-src list failed" >&2
		exit 1
	}
	# shellcheck disable=SC2086
	apt-get -q $aptopts source --download-only "lwip=2.1.3+dfsg1-2" \
		>apt/source.log 2>&1 ||
	apt-get -q $aptopts source --download-only lwip >>apt/source.log 2>&1 || {
		cat apt/source.log >&2
		echo "fetch-lwip: apt-get source lwip failed" >&2
		exit 1
	}
	check || {
		echo "fetch-lwip: $tarball: SHA-256 mismatch, refusing it" >&2
		exit 1
	}
fi

rm -rf lwip-2.1.3.tmp
mkdir lwip-2.1.3.tmp
tar -xJf "$tarball" -C lwip-2.1.3.tmp
if [ "$stamp" != none ]; then
	for p in "$patches"/*.patch; do
		# Our patches change a few lines each.  One that takes out
		# hundreds is a rewrite of a whole file (lwIP's sources have
		# CRLF line ends: an editor that writes LF changes every line)
		# and would put lwIP's own code in our repository.
		removed=$(grep -c '^-\([^-]\|$\)' "$p" || true)
		if [ "$removed" -gt 100 ]; then
			echo "fetch-lwip: $p removes $removed lines: a whole-file" \
				"rewrite? (keep lwIP's CRLF line ends)" >&2
			exit 1
		fi
		patch -s -p1 --binary -d lwip-2.1.3.tmp/lwip-2.1.3 <"$p" || {
			echo "fetch-lwip: $p does not apply" >&2
			exit 1
		}
	done
fi
echo "$stamp" >lwip-2.1.3.tmp/lwip-2.1.3/.rrs-patches
mv lwip-2.1.3.tmp/lwip-2.1.3 lwip-2.1.3
rmdir lwip-2.1.3.tmp
echo "fetch-lwip: lwIP 2.1.3 unpacked in $dest/lwip-2.1.3 ($stamp)"

#!/bin/sh
# Cross-builds Onward for 64-bit ARM (aarch64) and runs its unit and integration tests
# under qemu-user, as CI does.
#   scripts/cross-build.sh [--no-tests] [--sysroot-only] [BUILD_DIR] [-- CTEST_ARG...]
#
# The arm64 libraries are Debian's own arm64 packages (libuv1-dev, libsqlcipher-dev...,
# and the shell's SDL2 ones), unpacked with mmdebstrap --variant=extract into a sysroot,
# $ONWARD_SYSROOT or build-arm64/sysroot, made again only when the package list changes
# (about 15 s). Installing them on this machine as multiarch packages is not possible:
# libsqlcipher-dev and libunibreak-dev cannot be installed for two architectures at once,
# so the arm64 ones would remove the ones the native build needs.
# BUILD_DIR (default build-arm64/test) holds what the tests need: everything but the SDL2
# shell and apps (scripts/image-build.sh cross-builds those, for the packages).
# Tests run through qemu-aarch64 with the sysroot as its library prefix; programs a test
# starts run through binfmt_misc (qemu-user-static), which this script enables. Run as
# root (apt-get for missing tools, binfmt_misc).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tests=1
sysroot_only=0
dir=""
while [ $# -gt 0 ]; do
	case $1 in
	--no-tests) tests=0; shift ;;
	--sysroot-only) sysroot_only=1; shift ;;
	--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) echo "cross-build: unknown option $1 (try --help)" >&2; exit 2 ;;
	*) dir=$1; shift ;;
	esac
done
dir=${dir:-$root/build-arm64/test}
sysroot=${ONWARD_SYSROOT:-$root/build-arm64/sysroot}

# Debian's arm64 packages for the sysroot: what the daemon, its tools and the tests link
# (keep in step with scripts/packages.txt), and what the shell and apps link.
libs="libc6-dev libuv1-dev libssl-dev libsqlcipher-dev libjansson-dev libzip-dev libpng-dev
	zlib1g-dev libmd4c-dev libseccomp-dev liboath-dev libcurl4-openssl-dev"
shell_libs="libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev libunibreak-dev
	libespeak-ng-dev"
suite=bookworm
mirror=${ONWARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${ONWARD_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}

export DEBIAN_FRONTEND=noninteractive
need=""
for p in gcc-aarch64-linux-gnu qemu-user qemu-user-static binfmt-support mmdebstrap cmake \
	pkg-config; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	echo "cross-build: installing$need"
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $need
fi

want=$(echo "$libs $shell_libs" | tr -s ' \t\n' ',' | sed 's/^,//; s/,$//')
if [ ! -f "$sysroot/.onward-packages" ] || [ "$(cat "$sysroot/.onward-packages")" != "$want" ]; then
	echo "cross-build: unpacking Debian's arm64 packages into $sysroot"
	rm -rf "$sysroot"
	mkdir -p "$(dirname "$sysroot")"
	mmdebstrap --quiet --variant=extract --architectures=arm64 --include="$want" "$suite" \
		"$sysroot" "deb $mirror $suite main" "deb $mirror $suite-updates main" \
		"deb $security $suite-security main"
	# Absolute links (libz.so -> /lib/aarch64-linux-gnu/...) must stay inside the sysroot.
	find "$sysroot" -type l -lname '/*' | while read -r l; do
		ln -sfn "$sysroot$(readlink "$l")" "$l"
	done
	echo "$want" >"$sysroot/.onward-packages"
fi
[ $sysroot_only -eq 1 ] && exit 0

cmake -S "$root" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64.cmake" \
	-DONWARD_SYSROOT="$sysroot" -DONWARD_WERROR=ON -DONWARD_BUILD_SHELL=OFF >/dev/null
cmake --build "$dir" -j "$(nproc)"
[ $tests -eq 1 ] || exit 0

# Programs the tests start are arm64 too: binfmt_misc hands them to qemu-aarch64-static,
# which finds the arm64 libraries under QEMU_LD_PREFIX.
[ -f /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 || {
	echo "cross-build: binfmt_misc cannot run arm64 programs (qemu-aarch64 is disabled)" >&2
	exit 1
}
export QEMU_LD_PREFIX="$sysroot"
echo "cross-build: the unit and integration tests under qemu-aarch64. Left out: test-launch"
echo "  (qemu-user shows its own descriptors to the program and cannot fexecve() a"
echo "  close-on-exec descriptor through binfmt_misc); the sandbox tests skip, saying why."
cd "$dir"
# qemu-user offers no namespaces, Landlock or seccomp, so the other tests that start an
# app through onward-launch run it without those walls, and the daemon's keyless child
# (onward-parse) runs without its filter, Landlock and address-space limit, which qemu
# cannot keep (test builds only; its walls tests skip, saying so).
ONWARD_LAUNCH_WITHOUT=all ONWARD_PARSE_WITHOUT=seccomp,landlock,memory \
	ctest -L 'unit|integration' -E '^test-launch$' \
	--output-on-failure -j "$(nproc)" "$@"

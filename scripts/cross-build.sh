#!/bin/sh
# Cross-builds Onward for 64-bit ARM (aarch64) and runs its unit and integration tests
# under qemu-user, as CI does.
#   scripts/cross-build.sh [--sysroot DIR] [--no-tests] [BUILD_DIR] [-- CTEST_ARG...]
#
# By default the arm64 libraries are Debian's arm64 "-dev" packages installed on this
# machine as multiarch packages (this script adds the arm64 architecture and installs
# them), into build-arm64/ without the SDL2 shell: some of the shell's arm64 -dev packages
# (libunibreak-dev) cannot be installed beside their amd64 twins. With --sysroot DIR the
# same Debian arm64 packages, the shell's included, are unpacked into DIR instead
# (mmdebstrap --variant=extract, nothing of this machine changed), and everything is
# built; scripts/image-build.sh uses this for the tablet's packages.
# Tests run through qemu-aarch64; programs they start run through binfmt_misc
# (qemu-user-static), which this script enables. Run as root (apt-get, binfmt_misc).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sysroot=""
tests=1
while [ $# -gt 0 ]; do
	case $1 in
	--sysroot) sysroot=$2; shift 2 ;;
	--no-tests) tests=0; shift ;;
	--) break ;;
	-*) echo "usage: $0 [--sysroot DIR] [--no-tests] [BUILD_DIR] [-- CTEST_ARG...]" >&2; exit 2 ;;
	*) dir=$1; shift ;;
	esac
done
[ "${1:-}" = "--" ] && shift
dir=${dir:-$root/build-arm64}

# The arm64 libraries the daemon, its tools and the tests link (keep in step with
# scripts/packages.txt), and with --sysroot what the shell and apps link too.
libs="libc6-dev libuv1-dev libssl-dev libsqlcipher-dev libjansson-dev libzip-dev libpng-dev
	zlib1g-dev libmd4c-dev libseccomp-dev"
shell_libs="libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev libunibreak-dev
	libespeak-ng-dev"
mirrors="deb http://deb.debian.org/debian bookworm main|deb http://deb.debian.org/debian bookworm-updates main|deb http://deb.debian.org/debian-security bookworm-security main"

export DEBIAN_FRONTEND=noninteractive
need_native=""
for p in gcc-aarch64-linux-gnu qemu-user qemu-user-static binfmt-support cmake pkg-config; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_native="$need_native $p"
done
[ -n "$sysroot" ] && ! command -v mmdebstrap >/dev/null && need_native="$need_native mmdebstrap"
if [ -n "$need_native" ]; then
	echo "cross-build: installing$need_native"
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $need_native
fi

cmake_args=""
if [ -n "$sysroot" ]; then
	# A sysroot of Debian's arm64 packages, made again only when the list changes.
	want=$(echo "$libs $shell_libs" | tr -s ' \t\n' ',' | sed 's/^,//; s/,$//')
	if [ ! -f "$sysroot/.onward-packages" ] || [ "$(cat "$sysroot/.onward-packages")" != "$want" ]; then
		echo "cross-build: unpacking Debian arm64 packages into $sysroot"
		rm -rf "$sysroot"
		old_ifs=$IFS
		IFS='|'
		# shellcheck disable=SC2086
		mmdebstrap --quiet --variant=extract --architectures=arm64 --include="$want" \
			bookworm "$sysroot" $mirrors
		IFS=$old_ifs
		# Absolute links (libz.so -> /lib/...) must point inside the sysroot.
		find "$sysroot" -type l -lname '/*' | while read -r l; do
			ln -sfn "$sysroot$(readlink "$l")" "$l"
		done
		echo "$want" >"$sysroot/.onward-packages"
	fi
	cmake_args="-DONWARD_SYSROOT=$sysroot"
	export QEMU_LD_PREFIX="$sysroot"
else
	dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64; apt-get update -q; }
	missing=""
	for p in $libs; do
		dpkg-query -W -f='${Status}' "$p:arm64" 2>/dev/null | grep -q "ok installed" || missing="$missing $p:arm64"
	done
	if [ -n "$missing" ]; then
		echo "cross-build: installing$missing"
		apt-get update -q
		# shellcheck disable=SC2086
		apt-get install -y -q --no-install-recommends $missing
	fi
	cmake_args="-DONWARD_BUILD_SHELL=OFF"
fi

# shellcheck disable=SC2086
cmake -S "$root" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64.cmake" \
	-DONWARD_WERROR=ON $cmake_args "${ONWARD_CMAKE_ARGS:-}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
[ $tests -eq 1 ] || exit 0

# Programs the tests start are arm64 too: binfmt_misc hands them to qemu-aarch64-static.
[ -f /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 || {
	echo "cross-build: binfmt_misc cannot run arm64 programs (qemu-aarch64 disabled)" >&2
	exit 1
}
echo "cross-build: the unit and integration tests under qemu-aarch64 (test-launch is left"
echo "  out: qemu-user shows its own descriptors to the program and cannot fexecve() a"
echo "  close-on-exec descriptor through binfmt_misc; the sandbox's tests say why they skip)"
cd "$dir"
# The launcher's own walls are not emulated by qemu-user: the other tests that start apps
# run them without (test builds only).
ONWARD_LAUNCH_WITHOUT=all ctest -L 'unit|integration' -E '^test-launch$' \
	--output-on-failure -j "$(nproc)" "$@"

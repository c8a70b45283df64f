#!/bin/sh
# CI for the tablet's architecture: cross-builds Onward for arm64 and runs its unit and
# integration tests under qemu-user (scripts/cross-build.sh; among them kiosk-units,
# systemd-analyze verify on every unit), then builds the tablet's root filesystem from the
# project's own Debian packages and checks what a security team would check in it
# (scripts/image-build.sh --rootfs-only, tests/image/check-rootfs.sh). With --boot it
# writes the whole disk image and boots it in qemu-system-aarch64 until the daemon is
# ready and the kiosk session is up (scripts/image-boot-test.sh; about two minutes more).
#   scripts/ci-arm64.sh [--dir DIR] [--no-rootfs] [--boot]
#     --dir DIR     everything goes under DIR: sysroot/, test/, pkg/, image/ (default
#                   build-arm64; the arm64 sysroot is reused while its package list holds)
#     --no-rootfs   stop after the tests under qemu-user
#     --boot        also the disk image and its boot test
# Prints how long each step took. Run as root (apt-get, binfmt_misc, chroot). Needs the
# network for Debian's packages only.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build-arm64
rootfs=1
boot=0
while [ $# -gt 0 ]; do
	case $1 in
	--help)
		sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
		exit 0
		;;
	--dir)
		[ $# -ge 2 ] || { echo "ci-arm64: --dir needs a directory" >&2; exit 2; }
		dir=$(mkdir -p "$2" && cd "$2" && pwd)
		shift 2
		;;
	--no-rootfs) rootfs=0; shift ;;
	--boot) boot=1; shift ;;
	*) echo "ci-arm64: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "ci-arm64: run as root" >&2; exit 2; }
start=$(date +%s)
step_start=$start
step() {
	now=$(date +%s)
	echo "ci-arm64: $1 in $((now - step_start)) s (total $((now - start)) s)"
	step_start=$now
}

export ONWARD_SYSROOT="$dir/sysroot"
"$root/scripts/cross-build.sh" "$dir/test"
step "cross-build and the unit and integration tests under qemu-aarch64"
[ $rootfs -eq 1 ] || exit 0

if [ $boot -eq 1 ]; then
	# The first start provisions an administrator and the establishment, as on a tablet.
	"$root/scripts/image-build.sh" --build "$dir" --establishment MDI \
		--provision "$root/images/provision.example.sh" --admin ada
	step "the root filesystem and the disk image"
else
	"$root/scripts/image-build.sh" --build "$dir" --rootfs-only --establishment MDI
	step "the root filesystem"
fi
"$root/tests/image/check-rootfs.sh" "$dir/image/rootfs" --establishment MDI
step "the root filesystem's checks"
[ $boot -eq 1 ] || exit 0
"$root/scripts/image-boot-test.sh" "$dir/image/onward-tablet-arm64.img"
step "the boot test (qemu-system-aarch64)"

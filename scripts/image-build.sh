#!/bin/sh
# Builds the tablet's disk image: Debian 12 for arm64 with Onward installed from its own
# Debian packages, booting (UEFI, systemd-boot) straight into the kiosk session.
#   scripts/image-build.sh [OPTION]...
#     --build DIR           the arm64 build folder: the sysroot (sysroot/, unless
#                           $ONWARD_SYSROOT), the packages' build (pkg/) and, unless
#                           --out, the image (image/); default build-arm64
#     --out DIR             where the image, its packages and the root filesystem go
#                           (default BUILD/image)
#     --establishment CODE  the prison this tablet belongs to (policyd.json), e.g. MDI
#     --provision FILE      a shell script of onwardctl commands run once at first start
#                           (/etc/onward/provision.sh): the first administrator, the
#                           establishment, people...
#     --admin STAFF_ID      the administrator app registrations are made as after updates
#                           (/etc/onward/kiosk.conf)
#     --apt-repo "URL SUITE" --apt-key FILE
#                           the estate's signed package repository the tablet updates from
#     --release N           the packages' Debian revision (default: the git commit count)
#     --size SIZE           the disk image's size (default 3G)
#     --initramfs-module M  a kernel module the tablet needs to reach its root file
#                           system (its storage controller), beyond the list below
#     --rootfs-only         stop after the root filesystem (what CI checks)
#
# Steps: the arm64 sysroot (scripts/cross-build.sh), a cross build of every program with
# installed paths and no test hooks, its Debian packages (cpack); then mmdebstrap makes
# the root filesystem from Debian's packages alone and installs ours with apt (maintainer
# scripts run under qemu-user-static); the tablet's settings; a GPT disk image with an EFI
# system partition (systemd-boot, the kernel and initrd) and the root partition, written
# with mkfs.ext4 -d and mtools, without loop devices. Run as root.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-arm64
out=""
establishment=""
provision=""
admin=""
apt_repo=""
apt_key=""
release=""
size=3G
rootfs_only=0
# The initramfs holds only the modules in images/initramfs-modules, and these.
extra_modules=""
usage() {
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
	exit "$1"
}
# A build that was stopped can leave mmdebstrap's /proc, /sys and /dev mounts in the old
# root filesystem: unmount them before removing it, and never cross into another one.
remove_tree() {
	grep -o " $1/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
	rm -rf --one-file-system "$1"
}
while [ $# -gt 0 ]; do
	case $1 in
	--help) usage 0 ;;
	--build) build=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
	--out) out=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
	--establishment) establishment=$2; shift 2 ;;
	--provision) provision=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	--admin) admin=$2; shift 2 ;;
	--apt-repo) apt_repo=$2; shift 2 ;;
	--apt-key) apt_key=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
	--release) release=$2; shift 2 ;;
	--size) size=$2; shift 2 ;;
	--rootfs-only) rootfs_only=1; shift ;;
	--initramfs-module) extra_modules="$extra_modules $2"; shift 2 ;;
	*) echo "image-build: unknown option $1 (try --help)" >&2; exit 2 ;;
	esac
done
case $establishment in '' | [A-Z][A-Z][A-Z]) ;; *) echo "image-build: --establishment: three capitals, like MDI" >&2; exit 2 ;; esac
case $admin in '' | *[!a-z0-9._-]*) [ -z "$admin" ] || { echo "image-build: --admin: a staff id" >&2; exit 2; } ;; esac
[ -z "$provision" ] || [ -f "$provision" ] || { echo "image-build: --provision: no such file" >&2; exit 2; }
if [ -n "$apt_repo" ] && ! echo "$apt_repo" | grep -Eqx '[A-Za-z0-9:/._~+-]+ [A-Za-z0-9._-]+'; then
	echo "image-build: --apt-repo: \"URL SUITE\", like \"https://apt.example.org/onward bookworm\"" >&2
	exit 2
fi
for m in $extra_modules; do
	case $m in *[!a-z0-9_-]*) echo "image-build: --initramfs-module: not a module name: $m" >&2; exit 2 ;; esac
done
if [ -n "$apt_repo" ] && [ ! -f "$apt_key" ]; then
	echo "image-build: --apt-repo needs --apt-key (the repository's signing key)" >&2
	exit 2
fi
[ "$(id -u)" -eq 0 ] || { echo "image-build: run as root" >&2; exit 2; }
out=${out:-$build/image}
[ -n "$release" ] || release=$(git -C "$root" rev-list --count HEAD 2>/dev/null || echo 1)

export DEBIAN_FRONTEND=noninteractive
need=""
for p in mmdebstrap qemu-user-static binfmt-support e2fsprogs dosfstools mtools fdisk \
	arch-test; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	echo "image-build: installing$need"
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $need
fi
# arm64 maintainer scripts run in the new root through binfmt_misc.
[ -f /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64

# 1. The packages, cross-built for arm64.
sysroot=${ONWARD_SYSROOT:-$build/sysroot}
ONWARD_SYSROOT=$sysroot "$root/scripts/cross-build.sh" --sysroot-only
pkg=$build/pkg
cmake -S "$root" -B "$pkg" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-aarch64.cmake" \
	-DONWARD_SYSROOT="$sysroot" -DONWARD_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DONWARD_PACKAGING=ON -DONWARD_TEST_HOOKS=OFF -DONWARD_POLICY_DIR=/usr/share/onward/policy \
	-DONWARD_PACKAGE_RELEASE="$release" >/dev/null
targets=$(cmake --build "$pkg" --target help | sed -n 's/^\.\.\. \([^ ]*\).*/\1/p')
programs=""
for t in onward-policyd onwardctl onward-bundle onward-shell onward-launch onward-session \
	onward-app-learning onward-app-messages onward-app-housing onward-app-appointments; do
	echo "$targets" | grep -qx "$t" && programs="$programs $t"
done
# shellcheck disable=SC2086
cmake --build "$pkg" -j "$(nproc)" --target $programs
rm -f "$pkg"/*.deb
(cd "$pkg" && cpack -G DEB >/dev/null)
mkdir -p "$out"
rm -f "$out"/*.deb
cp "$pkg"/onward-policyd_*_arm64.deb "$pkg"/onward-kiosk_*_arm64.deb "$out/"
echo "image-build: packages: $(cd "$out" && ls ./*.deb | tr '\n' ' ')"

# 2. The root filesystem: Debian's packages, then ours, then the tablet's settings.
rootfs=$out/rootfs
remove_tree "$rootfs"
settings=$out/settings
rm -rf "$settings"
mkdir -p "$settings"
cp "$out"/*.deb "$settings/"
[ -n "$provision" ] && cp "$provision" "$settings/provision.sh"
[ -n "$apt_key" ] && cp "$apt_key" "$settings/apt-key"
# What the estate chose, for images/tablet-settings.sh (values checked above).
printf 'ESTABLISHMENT="%s"\nADMIN="%s"\nAPT_REPO="%s"\n' "$establishment" "$admin" "$apt_repo" \
	>"$settings/settings.env"
cp "$root/images/tablet-settings.sh" "$root/images/esp-update" "$settings/"

include="systemd,systemd-sysv,udev,dbus,libpam-systemd,systemd-timesyncd,kmod,e2fsprogs"
include="$include,linux-image-arm64,initramfs-tools,systemd-boot-efi,ca-certificates"
{
	grep -v '^[[:space:]]*\(#\|$\)' "$root/images/initramfs-modules"
	for m in $extra_modules; do echo "$m"; done
} >"$settings/initramfs-modules"
echo "image-build: the root filesystem (mmdebstrap, arm64, Debian 12)"
mmdebstrap --quiet --architectures=arm64 --variant=minbase --include="$include" \
	--setup-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"' \
	--setup-hook="echo MODULES=list >\"\$1/etc/initramfs-tools/conf.d/onward\"" \
	--setup-hook="copy-in $settings/initramfs-modules /usr/share/initramfs-tools/modules.d" \
	--customize-hook="mkdir -p \"\$1/tmp/onward\"" \
	--customize-hook="copy-in $settings/. /tmp/onward" \
	--customize-hook='chroot "$1" /bin/sh /tmp/onward/tablet-settings.sh' \
	bookworm "$rootfs" \
	"deb http://deb.debian.org/debian bookworm main" \
	"deb http://deb.debian.org/debian bookworm-updates main" \
	"deb http://deb.debian.org/debian-security bookworm-security main"
echo "image-build: root filesystem in $rootfs ($(du -sh "$rootfs" | cut -f1))"
[ $rootfs_only -eq 1 ] && exit 0

# 3. The EFI system partition: systemd-boot, its entry, the kernel and initrd.
esp=$out/esp
rm -rf "$esp"
mkdir -p "$esp/EFI/BOOT" "$esp/loader/entries" "$esp/onward"
cp "$rootfs/usr/lib/systemd/boot/efi/systemd-bootaa64.efi" "$esp/EFI/BOOT/BOOTAA64.EFI"
# No menu, and no editing of the kernel's command line at the boot screen.
printf 'default onward.conf\ntimeout 0\neditor no\nconsole-mode keep\n' >"$esp/loader/loader.conf"
root_uuid=7d2f8a5c-4e1b-4c3a-9f6e-0a5b3c2d1e0f
cat >"$esp/loader/entries/onward.conf" <<EOF
title Onward
version unknown
linux /onward/linux
initrd /onward/initrd
options root=PARTUUID=$root_uuid rw quiet console=tty1 console=ttyAMA0 systemd.show_status=yes
EOF
kernel=$(ls "$rootfs"/boot/vmlinuz-* | sort -V | tail -n 1)
version=${kernel##*/vmlinuz-}
if gzip -t "$kernel" 2>/dev/null; then gzip -dc "$kernel" >"$esp/onward/linux"; else cp "$kernel" "$esp/onward/linux"; fi
cp "$rootfs/boot/initrd.img-$version" "$esp/onward/initrd"
sed -i "s/^version .*/version $version/" "$esp/loader/entries/onward.conf"

# 4. The disk image: GPT, a 256 MiB EFI system partition, the root partition.
img=$out/onward-tablet-arm64.img
rm -f "$img" "$out/esp.img" "$out/root.img"
truncate -s "$size" "$img"
sector=512
esp_start=2048
esp_sectors=$((256 * 1024 * 1024 / sector))
root_start=$((esp_start + esp_sectors))
total=$(($(stat -c %s "$img") / sector))
root_sectors=$((total - root_start - 34)) # the backup GPT at the end
sfdisk --quiet "$img" <<EOF
label: gpt
start=$esp_start, size=$esp_sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=onward-esp
start=$root_start, size=$root_sectors, type=B921B045-1DF0-41C3-AF44-4C6F280D3FAE, uuid=$root_uuid, name=onward-root
EOF
mkfs.vfat -n ONWARD-ESP -C "$out/esp.img" $((esp_sectors / 2)) >/dev/null
mcopy -s -i "$out/esp.img" "$esp"/* ::/
mkfs.ext4 -q -L onward-root -d "$rootfs" "$out/root.img" $((root_sectors / 2))k
dd if="$out/esp.img" of="$img" bs=$sector seek=$esp_start conv=notrunc,sparse status=none
dd if="$out/root.img" of="$img" bs=$sector seek=$root_start conv=notrunc,sparse status=none
rm -f "$out/esp.img" "$out/root.img"
(cd "$out" && sha256sum "$(basename "$img")" >"$(basename "$img").sha256")
echo "image-build: $img ($size) and its SHA-256; boot it: scripts/image-boot-test.sh $img"

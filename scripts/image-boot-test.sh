#!/bin/sh
# Boots the tablet image in qemu-system-aarch64 (software emulation: minutes, not
# seconds) and watches its serial console until onward-policyd reports ready; then waits
# for the kiosk session to say it is up and saves a picture of the screen (the login
# screen, if all is well). The image is not changed (a snapshot is written, then dropped).
#   scripts/image-boot-test.sh [IMAGE] [--timeout SECONDS] [--out DIR]
# IMAGE defaults to build-arm64/image/onward-tablet-arm64.img (scripts/image-build.sh).
# Exit status 0 when the daemon reported ready; the serial log and the screen are in DIR
# (default: beside the image, boot-test/).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
img=$root/build-arm64/image/onward-tablet-arm64.img
timeout=1200
out=""
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	-*) echo "image-boot-test: unknown option $1 (try --help)" >&2; exit 2 ;;
	*) img=$1; shift ;;
	esac
done
[ -f "$img" ] || { echo "image-boot-test: no image $img (run scripts/image-build.sh)" >&2; exit 2; }
out=${out:-$(dirname "$img")/boot-test}
firmware=/usr/share/AAVMF/AAVMF_CODE.fd
for need in qemu-system-aarch64:qemu-system-arm "$firmware":qemu-efi-aarch64; do
	[ -e "${need%%:*}" ] || command -v "${need%%:*}" >/dev/null ||
		{ echo "image-boot-test: ${need%%:*} is missing (Debian's package ${need#*:})" >&2; exit 2; }
done
rm -rf "$out"
mkdir -p "$out"
cp /usr/share/AAVMF/AAVMF_VARS.fd "$out/vars.fd"
mkfifo "$out/monitor.in" "$out/monitor.out"
serial=$out/serial.log
: >"$serial"

# A virt board with a virtio GPU for cage's screen, a keyboard and a touch tablet, no
# network, and the serial console on a file.
qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 -nodefaults -no-user-config \
	-drive if=pflash,format=raw,readonly=on,file="$firmware" \
	-drive if=pflash,format=raw,file="$out/vars.fd" \
	-drive if=none,id=disk,format=raw,file="$img",snapshot=on \
	-device virtio-blk-pci,drive=disk \
	-device virtio-gpu-pci -device virtio-keyboard-pci -device virtio-tablet-pci \
	-nic none -display none -serial file:"$serial" -monitor pipe:"$out/monitor" &
qemu=$!
exec 3>"$out/monitor.in"
cat "$out/monitor.out" >"$out/monitor.log" &
reader=$!
cleanup() {
	echo quit >&3 2>/dev/null || true
	sleep 1
	kill $qemu 2>/dev/null || true
	wait $qemu 2>/dev/null || true
	kill $reader 2>/dev/null || true
}
trap cleanup EXIT

start=$(date +%s)
waited() { echo $(($(date +%s) - start)); }
echo "image-boot-test: booting $(basename "$img") (serial console: $serial)"
ready=""
until [ -n "$ready" ]; do
	ready=$(grep -a -m1 "onward-policyd: info: ready:" "$serial" || true)
	if [ "$(waited)" -gt "$timeout" ] || ! kill -0 $qemu 2>/dev/null; then
		echo "image-boot-test: FAIL: no 'ready' from onward-policyd after $(waited) s" >&2
		tail -n 40 "$serial" >&2
		exit 1
	fi
	sleep 2
done
echo "image-boot-test: after $(waited) s the daemon reported: ${ready#*onward-policyd: }"

# The session: systemd says so once onward-session has seen a live shell (READY=1).
session=""
limit=$(($(waited) + 600))
until [ -n "$session" ] || [ "$(waited)" -gt $limit ]; do
	session=$(grep -a -m1 "Started .*Onward kiosk session" "$serial" || true)
	grep -aq "Failed to start .*Onward kiosk session" "$serial" && break
	sleep 2
done
if [ -n "$session" ]; then
	echo "image-boot-test: after $(waited) s: the kiosk session is up"
	sleep 10 # let the login screen draw
	echo "screendump $out/screen.png -f png" >&3
	sleep 5
	[ -s "$out/screen.png" ] && echo "image-boot-test: the screen: $out/screen.png"
else
	echo "image-boot-test: the kiosk session did not report it was up (see $serial)"
fi
grep -a "onward\|Onward" "$serial" | tail -n 20 >"$out/onward-lines.log" || true
echo "image-boot-test: ok (daemon ready)"

#!/bin/sh
# Boots the tablet image in qemu-system-aarch64 (software emulation: minutes, not
# seconds) and watches its serial console until onward-policyd reports ready; then waits
# for the kiosk session to say it is up and saves a picture of the screen (the login
# screen, if all is well). The image is not changed (a snapshot is written, then dropped).
#   scripts/image-boot-test.sh [IMAGE] [--timeout SECONDS] [--out DIR] [--journal]
#     --journal  boot a copy of the image whose kernel command line sends the whole
#                journal to the serial console (to see why a service failed; the tablet
#                itself shows nothing and offers no shell)
# IMAGE defaults to build-arm64/image/onward-tablet-arm64.img (scripts/image-build.sh).
# Exit status 0 when the daemon reported ready and the kiosk session started, 1 if not;
# the serial log and the screen are in DIR (default: beside the image, boot-test/).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
img=$root/build-arm64/image/onward-tablet-arm64.img
timeout=1200
out=""
journal=0
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--journal) journal=1; shift ;;
	--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
	-*) echo "image-boot-test: unknown option $1 (try --help)" >&2; exit 2 ;;
	*) img=$1; shift ;;
	esac
done
[ -f "$img" ] || { echo "image-boot-test: no image $img (run scripts/image-build.sh)" >&2; exit 2; }
out=${out:-$(dirname "$img")/boot-test}
firmware=/usr/share/AAVMF/AAVMF_CODE.fd
# What is missing is installed when run as root (as CI runs it), else named.
for need in qemu-system-aarch64:qemu-system-arm "$firmware":qemu-efi-aarch64; do
	[ -e "${need%%:*}" ] || command -v "${need%%:*}" >/dev/null || {
		if [ "$(id -u)" -eq 0 ]; then
			echo "image-boot-test: installing ${need#*:}"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
				"${need#*:}" >/dev/null
		else
			echo "image-boot-test: ${need%%:*} is missing (Debian's package ${need#*:})" >&2
			exit 2
		fi
	}
done
rm -rf "$out"
mkdir -p "$out"
cp /usr/share/AAVMF/AAVMF_VARS.fd "$out/vars.fd"
mkfifo "$out/monitor.in" "$out/monitor.out"
if [ $journal -eq 1 ]; then
	# The boot entry lives in the EFI partition: edit a copy's with mtools at its offset.
	esp=$(sfdisk -d "$img" | sed -n 's/.*start= *\([0-9]*\),.*name="onward-esp".*/\1/p')
	[ -n "$esp" ] || { echo "image-boot-test: $img has no onward-esp partition" >&2; exit 2; }
	cp --sparse=always "$img" "$out/journal.img"
	mcopy -n -i "$out/journal.img@@$((esp * 512))" ::/loader/entries/onward.conf "$out/entry.conf"
	sed -i '/^options / s/$/ systemd.journald.forward_to_console=1/' "$out/entry.conf"
	mcopy -o -i "$out/journal.img@@$((esp * 512))" "$out/entry.conf" ::/loader/entries/onward.conf
	img=$out/journal.img
fi
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
	rm -f "$out/journal.img"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

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

# The session: systemd says "Started" once onward-session has seen a live shell
# (READY=1). The console's status line shortens the unit's name and description.
session=""
limit=$(($(waited) + 600))
until [ -n "$session" ]; do
	session=$(grep -a -m1 "Started .*onward-session\.se" "$serial" || true)
	if grep -aq "Failed to start .*onward-session\.se" "$serial" ||
		[ "$(waited)" -gt $limit ] || ! kill -0 $qemu 2>/dev/null; then
		echo "image-boot-test: FAIL: the kiosk session did not start after $(waited) s (to see" >&2
		echo "  why: scripts/image-boot-test.sh --journal)" >&2
		tail -n 20 "$serial" >&2
		exit 1
	fi
	sleep 2
done
echo "image-boot-test: after $(waited) s the kiosk session is up (a live shell in cage)"
sleep 20 # let the login screen draw
echo "screendump $out/screen.png -f png" >&3
sleep 5
[ -s "$out/screen.png" ] && echo "image-boot-test: the screen: $out/screen.png"
grep -a "onward\|Onward" "$serial" | tail -n 20 >"$out/onward-lines.log" || true
echo "image-boot-test: ok (daemon ready, session up)"

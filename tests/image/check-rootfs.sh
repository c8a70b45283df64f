#!/bin/sh
# Checks the tablet's root filesystem as scripts/image-build.sh left it, without booting
# it, for what a prison's security team asks before a tablet goes into a cell: Onward's
# packages, and every library their programs need, are installed, and the programs are
# arm64 ones owned by root; no remote login (no SSH server, no telnet, no sudo) and no
# compiler; no account has a password or a login shell (root is locked), and no other
# account has uid 0; the daemon's state directory is 0700 and its own, the establishment
# set; the policies are installed read-only; no file outside the scratch directories is
# writable by everyone, and set-uid programs are the known few; the units are enabled,
# every console's login masked, `systemd-analyze verify` passes on the installed units;
# the packaged launcher has no test hooks and refuses to run as root; and the installed
# daemon starts (arm64, through qemu-user) with the installed policies and says ready.
#   tests/image/check-rootfs.sh ROOTFS [--establishment CODE]
# Without --establishment, the image must have none set (policyd.json absent). Run as
# root (chroot). Exit status 0 when every check passed, 1 when one failed, 2 on usage.
set -eu
usage() {
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
	exit "$1"
}
rootfs=""
establishment=""
while [ $# -gt 0 ]; do
	case $1 in
	--help) usage 0 ;;
	--establishment)
		[ $# -ge 2 ] || usage 2 >&2
		establishment=$2
		shift 2
		;;
	-*) usage 2 >&2 ;;
	*)
		[ -z "$rootfs" ] || usage 2 >&2
		rootfs=$1
		shift
		;;
	esac
done
[ -n "$rootfs" ] || usage 2 >&2
[ -d "$rootfs/var/lib/dpkg" ] || { echo "check-rootfs: $rootfs is not a root filesystem" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "check-rootfs: run as root (chroot)" >&2; exit 2; }
rootfs=$(cd "$rootfs" && pwd)
failures=0
ok() { echo "ok   $*"; }
bad() {
	echo "FAIL $*"
	failures=$((failures + 1))
}
check() {
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}
installed() {
	dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Status}' "$1" 2>/dev/null |
		grep -q 'ok installed'
}
# Mode and owner as "MODE UID:GID", or nothing when the path does not exist.
mode_of() { stat -c '%a %u:%g' "$rootfs$1" 2>/dev/null || true; }

echo "== packages"
for p in onward-policyd onward-kiosk cage linux-image-arm64 systemd-boot-efi libpam-systemd; do
	check "$p installed" installed "$p"
done
present=""
for p in openssh-server openssh-client dropbear telnetd inetutils-telnetd rsh-server sudo \
	gcc tcc gdb strace; do
	if installed "$p"; then present="$present $p"; fi
done
if [ -z "$present" ]; then
	ok "no SSH, telnet or rsh server, no sudo, no compiler or debugger"
else
	bad "installed:$present"
fi
for f in /usr/sbin/sshd /usr/sbin/dropbear /usr/bin/sudo /usr/bin/gcc /usr/bin/gdb; do
	[ ! -e "$rootfs$f" ] || bad "$f exists"
done
for f in /usr/sbin/onward-policyd /usr/sbin/onwardctl /usr/sbin/onward-bundle \
	/usr/libexec/onward/onward-parse /usr/bin/onward-shell /usr/libexec/onward/onward-launch \
	/usr/libexec/onward/onward-session; do
	if [ ! -f "$rootfs$f" ]; then
		bad "$f is missing"
	elif ! file -L "$rootfs$f" | grep -q 'ELF 64-bit LSB .*ARM aarch64'; then
		bad "$f is not an arm64 program: $(file -bL "$rootfs$f")"
	elif [ "$(mode_of "$f")" != "755 0:0" ]; then
		bad "$f is $(mode_of "$f"), not 755 root:root"
	else
		ok "$f: arm64, 755 root:root"
	fi
done
apps=""
while read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	f=/usr/libexec/onward/apps/$name/onward-app-$name
	if file -L "$rootfs$f" 2>/dev/null | grep -q 'ARM aarch64'; then
		apps="$apps $name"
	else
		bad "app $name: no arm64 program $f"
	fi
done <"$rootfs/usr/share/onward/apps.list"
if [ -n "$apps" ]; then ok "apps, each in a directory of its own:$apps"; else bad "no apps"; fi
for f in policy/national.cedar policy/national.reasons.cedar policy/onward.cedarschema \
	data/services-directory.json; do
	p=/usr/share/onward/$f
	if [ ! -s "$rootfs$p" ]; then
		bad "$p is missing"
	else
		case $(mode_of "$p") in
		"644 0:0") ok "$p, 644 root:root" ;;
		*) bad "$p is $(mode_of "$p"), not 644 root:root" ;;
		esac
	fi
done
for domain in onward-ui onward-shell onward-app-learning onward-app-messages onward-app-housing \
	onward-app-appointments; do
	check "the Welsh catalogue $domain" test -s "$rootfs/usr/share/locale/cy/LC_MESSAGES/$domain.mo"
done

echo "== every library each program needs is installed"
for f in "$rootfs"/usr/sbin/onward-policyd "$rootfs"/usr/sbin/onwardctl \
	"$rootfs"/usr/sbin/onward-bundle "$rootfs"/usr/libexec/onward/onward-parse \
	"$rootfs"/usr/bin/onward-shell \
	"$rootfs"/usr/libexec/onward/onward-launch "$rootfs"/usr/libexec/onward/onward-session \
	"$rootfs"/usr/libexec/onward/apps/*/onward-app-*; do
	[ -f "$f" ] || continue
	missing=""
	for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		found=""
		for d in usr/lib/aarch64-linux-gnu lib/aarch64-linux-gnu usr/lib lib; do
			[ -e "$rootfs/$d/$lib" ] && found=1 && break
		done
		[ -n "$found" ] || missing="$missing $lib"
	done
	if [ -z "$missing" ]; then ok "${f#"$rootfs"}"; else bad "${f#"$rootfs"} needs$missing"; fi
done

echo "== accounts"
check "user onward (the daemon), no login shell" \
	grep -q '^onward:[^:]*:[0-9]*:[0-9]*:[^:]*:[^:]*:/usr/sbin/nologin$' "$rootfs/etc/passwd"
check "user onward-shell (the session), no login shell" \
	grep -q '^onward-shell:[^:]*:[0-9]*:[0-9]*:[^:]*:[^:]*:/usr/sbin/nologin$' "$rootfs/etc/passwd"
check "onward-shell is in group onward" \
	grep -Eq '^onward:[^:]*:[0-9]+:(.*,)?onward-shell(,.*)?$' "$rootfs/etc/group"
check "onward-shell is in group video (seatd)" \
	grep -Eq '^video:[^:]*:[0-9]+:(.*,)?onward-shell(,.*)?$' "$rootfs/etc/group"
check "root's password is locked" grep -Eq '^root:[!*]' "$rootfs/etc/shadow"
# A usable password hash starts with something other than ! or *; an empty field lets
# anyone in.
open=$(awk -F: '$2 !~ /^[!*]/ {print $1}' "$rootfs/etc/shadow" | tr '\n' ' ')
if [ -z "$open" ]; then ok "no account has a password"; else bad "accounts with a password: $open"; fi
root_ids=$(awk -F: '$3 == 0 {print $1}' "$rootfs/etc/passwd" | tr '\n' ' ')
if [ "$root_ids" = "root " ]; then ok "only root has uid 0"; else bad "uid 0: $root_ids"; fi
shells=$(awk -F: '$1 != "root" && $1 != "sync" && $7 !~ /(nologin|false)$/ {print $1}' \
	"$rootfs/etc/passwd" | tr '\n' ' ')
if [ -z "$shells" ]; then ok "no account but root has a login shell"; else bad "login shells: $shells"; fi
keys=$(find "$rootfs" -xdev \( -name 'authorized_keys*' -o -name sshd_config -o -name '.rhosts' \
	-o -name hosts.equiv \) -print | sed "s#^$rootfs##" | head -n 5)
if [ -z "$keys" ]; then ok "no SSH keys, SSH server settings or rhosts"; else bad "remote login files: $keys"; fi

echo "== the daemon's state"
uid=$(sed -n 's/^onward:[^:]*:\([0-9]*\):.*/\1/p' "$rootfs/etc/passwd")
gid=$(sed -n 's/^onward:[^:]*:\([0-9]*\):.*/\1/p' "$rootfs/etc/group")
[ -n "$uid" ] && [ -n "$gid" ] || { uid=none gid=none; }
case $(mode_of /var/lib/onward) in
"700 $uid:$gid") ok "/var/lib/onward is 700 onward:onward" ;;
*) bad "/var/lib/onward is '$(mode_of /var/lib/onward)', not 700 onward:onward" ;;
esac
extra=$(find "$rootfs/var/lib/onward" -mindepth 1 ! -name policyd.json 2>/dev/null | head -n 5)
if [ -z "$extra" ]; then ok "/var/lib/onward holds no store yet (made at first start)"; else bad "/var/lib/onward already holds: $extra"; fi
if [ -n "$establishment" ]; then
	check "the establishment is $establishment" \
		grep -q "\"establishment\": \"$establishment\"" "$rootfs/var/lib/onward/policyd.json"
	case $(mode_of /var/lib/onward/policyd.json) in
	"600 $uid:$gid") ok "policyd.json is 600 onward:onward" ;;
	*) bad "policyd.json is '$(mode_of /var/lib/onward/policyd.json)', not 600 onward:onward" ;;
	esac
else
	check "no establishment set" test ! -e "$rootfs/var/lib/onward/policyd.json"
fi
if [ -e "$rootfs/etc/onward/provision.sh" ]; then
	case $(mode_of /etc/onward/provision.sh) in
	"700 0:0") ok "/etc/onward/provision.sh is 700 root:root" ;;
	*) bad "/etc/onward/provision.sh is $(mode_of /etc/onward/provision.sh), not 700 root:root" ;;
	esac
fi

echo "== file modes"
# Everyone-writable files or directories without the sticky bit, outside what is made
# at boot anyway.
ww=$(find "$rootfs" -xdev \( -path "$rootfs/proc" -o -path "$rootfs/sys" -o -path "$rootfs/dev" \
	-o -path "$rootfs/run" \) -prune -o \( -type f -perm -0002 -o -type d -perm -0002 ! -perm -1000 \) \
	-print | sed "s#^$rootfs##" | head -n 10)
if [ -z "$ww" ]; then ok "nothing is writable by everyone"; else bad "writable by everyone: $ww"; fi
# The set-uid and set-gid programs Debian's minimal system and dbus bring; anything
# more is a way up that nobody reviewed.
known="/usr/bin/chfn /usr/bin/chsh /usr/bin/gpasswd /usr/bin/mount /usr/bin/newgrp
/usr/bin/passwd /usr/bin/su /usr/bin/umount /usr/bin/chage /usr/bin/expiry
/usr/sbin/unix_chkpwd /usr/lib/dbus-1.0/dbus-daemon-launch-helper /usr/sbin/pam_extrausers_chkpwd"
unknown=""
for f in $(find "$rootfs" -xdev -type f \( -perm -4000 -o -perm -2000 \) | sed "s#^$rootfs##"); do
	echo "$known" | tr ' ' '\n' | grep -qx "$f" || unknown="$unknown $f"
done
if [ -z "$unknown" ]; then ok "set-uid and set-gid programs: only the known ones"; else bad "set-uid or set-gid:$unknown"; fi
onward_owned=$(find "$rootfs/usr/sbin" "$rootfs/usr/bin" "$rootfs/usr/libexec/onward" \
	"$rootfs/usr/share/onward" -xdev ! -type l \( ! -user 0 -o -perm /0022 \) -print 2>/dev/null |
	sed "s#^$rootfs##" | head -n 5)
if [ -z "$onward_owned" ]; then ok "programs and policies: root's, not writable by others"; else bad "not root's or writable by others: $onward_owned"; fi

echo "== boot target and units"
check "boots to graphical.target" \
	sh -c "readlink '$rootfs/etc/systemd/system/default.target' | grep -q graphical.target"
check "seatd enabled (the session's screen and input)" \
	test -L "$rootfs/etc/systemd/system/multi-user.target.wants/seatd.service"
check "onward-policyd enabled" \
	test -L "$rootfs/etc/systemd/system/multi-user.target.wants/onward-policyd.service"
check "onward-session enabled" \
	test -L "$rootfs/etc/systemd/system/graphical.target.wants/onward-session.service"
check "onward-firstboot enabled" \
	test -L "$rootfs/etc/systemd/system/multi-user.target.wants/onward-firstboot.service"
for u in getty@.service serial-getty@.service autovt@.service console-getty.service \
	ctrl-alt-del.target debug-shell.service; do
	check "$u masked" sh -c "[ \"\$(readlink '$rootfs/etc/systemd/system/$u')\" = /dev/null ]"
done
listeners=$(find "$rootfs"/etc/systemd/system "$rootfs"/usr/lib/systemd/system -path '*.wants/*' \
	\( -name '*ssh*' -o -name '*telnet*' -o -name '*rsh*' -o -name '*vnc*' \) -printf '%f ')
if [ -z "$listeners" ]; then ok "no remote login unit enabled"; else bad "enabled: $listeners"; fi
check "no login prompts on other consoles" \
	grep -qx 'NAutoVTs=0' "$rootfs/usr/lib/systemd/logind.conf.d/onward.conf"
check "SysRq off" grep -qx 'kernel.sysrq = 0' "$rootfs/usr/lib/sysctl.d/60-onward.conf"
check "no PAM service for the session (no logind session)" test ! -e "$rootfs/etc/pam.d/onward-session"
if out=$(systemd-analyze verify --root="$rootfs" --man=no onward-policyd.service \
	onward-session.service onward-firstboot.service 2>&1) && [ -z "$out" ]; then
	ok "systemd-analyze verify on the installed units"
else
	bad "systemd-analyze verify: $out"
fi
check "a kernel and initrd" sh -c "ls '$rootfs'/boot/vmlinuz-* '$rootfs'/boot/initrd.img-*"
check "systemd-boot for arm64" test -s "$rootfs/usr/lib/systemd/boot/efi/systemd-bootaa64.efi"
check "the kernel's updates reach the EFI partition" \
	test -x "$rootfs/etc/kernel/postinst.d/zz-onward-esp"

echo "== the packaged launcher (arm64, through qemu-user)"
launch=/usr/libexec/onward/onward-launch
if [ ! -f "$rootfs$launch" ]; then
	bad "no $launch"
elif strings "$rootfs$launch" | grep -q 'ONWARD_APP_SCRIPT\|ONWARD_LAUNCH_WITHOUT'; then
	bad "onward-launch carries test hooks"
else
	ok "onward-launch carries no test hooks"
fi
out=$(chroot "$rootfs" $launch --without all 2>&1 || true)
case $out in
*"unknown option --without"*) ok "onward-launch refuses --without" ;;
*) bad "onward-launch --without: $out" ;;
esac
out=$(chroot "$rootfs" $launch --channel-fd 3 --sha256 \
	0000000000000000000000000000000000000000000000000000000000000000 -- /bin/true \
	3</dev/null 2>&1 || true)
case $out in
*"refused: apps are never started as root"*) ok "onward-launch refuses root" ;;
*) bad "onward-launch as root: $out" ;;
esac

echo "== the packaged parsing child (the daemon's keyless child)"
parse=/usr/libexec/onward/onward-parse
if [ ! -f "$rootfs$parse" ]; then
	bad "no $parse"
elif strings "$rootfs$parse" | grep -q 'ONWARD_TEST_PARSE_FAULT\|test\.probe'; then
	bad "onward-parse carries test hooks"
else
	ok "onward-parse carries no test hooks"
fi
out=$(chroot "$rootfs" $parse --without seccomp 2>&1 || true)
case $out in
*"unknown option --without"*) ok "onward-parse refuses --without" ;;
*) bad "onward-parse --without: $out" ;;
esac
if readelf -d "$rootfs/usr/sbin/onward-policyd" | grep -Eq 'NEEDED.*(libzip|libpng|libmd4c)'; then
	bad "onward-policyd links a parser (libzip, libpng or md4c)"
else
	ok "onward-policyd links no libzip, libpng or md4c"
fi

echo "== the installed daemon starts with the installed policies"
if [ "$uid" = none ]; then
	bad "no user onward to run the daemon as"
else
	state=/tmp/onward-check-state
	rm -rf "${rootfs:?}$state"
	install -d -m 0700 -o "$uid" -g "$gid" "$rootfs$state"
	log=$(mktemp)
	chroot --userspec=onward:onward "$rootfs" /usr/sbin/onward-policyd --state-dir "$state" \
		2>"$log" &
	daemon=$!
	n=0
	until grep -q "ready:" "$log" || [ $n -gt 600 ] || ! kill -0 $daemon 2>/dev/null; do
		n=$((n + 1))
		sleep 0.1
	done
	# Under qemu-user (an arm64 tree on another machine) the daemon cannot start its keyless
	# child: qemu keeps neither a guest's address-space limit nor its seccomp filter (which
	# wall fails first depends on the qemu), and a packaged daemon never runs the child
	# without them. Then it must have read the installed policies and refused plainly;
	# the boot test (scripts/image-boot-test.sh) starts it on a real arm64 kernel.
	emulated=false
	case "$(uname -m):$(readelf -h "$rootfs/usr/sbin/onward-policyd" | sed -n 's/.*Machine: *//p')" in
	aarch64:AArch64 | x86_64:*X86-64*) ;;
	*) emulated=true ;;
	esac
	if grep -q "policies and links from /usr/share/onward/policy" "$log" &&
		grep -q "ready:" "$log"; then
		ok "onward-policyd: $(grep 'ready:' "$log" | sed 's/^onward-policyd: info: //')"
	elif $emulated && grep -q "policies and links from /usr/share/onward/policy" "$log" &&
		grep -q "refusing to run: cannot build its walls" "$log"; then
		ok "onward-policyd read the installed policies and, under qemu-user, refused to run its parser without walls (the boot test starts it)"
	else
		bad "onward-policyd did not report ready: $(cat "$log")"
	fi
	kill $daemon 2>/dev/null || true
	wait $daemon 2>/dev/null || true
	rm -rf "${rootfs:?}$state" "$log"
fi

if [ $failures -gt 0 ]; then
	echo "check-rootfs: $failures checks failed"
	exit 1
fi
echo "check-rootfs: all checks passed"

#!/bin/sh
# The tablet's systemd units pass `systemd-analyze verify`, keep the promises the issue
# asks of them, and stay at the exposure levels `systemd-analyze security` gives them now
# (the daemon's 0.5, "SAFE"; the session's 2.8, which needs the namespaces onward-launch
# builds each app's sandbox from). The units name installed paths (/usr/sbin/...); here
# the daemon's is pointed at the build so verify finds a program there. cage must be
# installed (Debian's package "cage").
#   tests/kiosk/verify_units.sh BIN_DIR
set -eu
case ${1:-} in --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;; esac
[ $# -eq 1 ] || { echo "verify_units: give the build's bin directory (try --help)" >&2; exit 2; }
bin=$1
units=$(cd "$(dirname "$0")/../../kiosk/systemd" && pwd)
packaging=$(cd "$units/../packaging" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
[ -x /usr/bin/cage ] || fail "/usr/bin/cage is missing: install Debian's package cage"
for u in "$units"/*.service; do
	sed -e "s#/usr/sbin/onward-policyd#$bin/onward-policyd#" \
		-e "s#/usr/libexec/onward/onward-firstboot#$packaging/onward-firstboot#" "$u" >"$work/$(basename "$u")"
done
out=$(systemd-analyze verify --man=no "$work"/*.service 2>&1) || fail "verify: $out"
[ -z "$out" ] || fail "verify said: $out"
echo "verify: $(cd "$work" && ls *.service | tr '\n' ' ')ok"

d="$units/onward-policyd.service"
s="$units/onward-session.service"
has() { grep -qx "$2" "$1" || fail "$(basename "$1") lacks: $2"; }
# The daemon: its own user, read-only system, no homes, private /tmp, no new privileges,
# a state directory, restarted on failure, ready when it says so.
has "$d" "User=onward"
has "$d" "ProtectSystem=strict"
has "$d" "ProtectHome=yes"
has "$d" "PrivateTmp=yes"
has "$d" "NoNewPrivileges=yes"
has "$d" "StateDirectory=onward"
has "$d" "StateDirectoryMode=0700"
has "$d" "Restart=on-failure"
has "$d" "Type=notify"
# The session: cage running onward-session and the shell as an unprivileged user, no VT
# switching (cage's -s is not given), restarted whenever it ends, watched.
has "$s" "User=onward-shell"
has "$s" "Restart=always"
has "$s" "WatchdogSec=30s"
grep -q '^ExecStart=/usr/bin/cage -d -- /usr/libexec/onward/onward-session -- /usr/bin/onward-shell ' "$s" ||
	fail "the session does not run cage -> onward-session -> onward-shell"
grep '^ExecStart=' "$s" | grep -q -- ' -s ' && fail "cage allows VT switching (-s)"
# No logind session: its processes would leave the unit (limits, notifications) for a scope.
grep -q '^PAMName=' "$s" && fail "the session opens a PAM (logind) session"
has "$s" "Environment=LIBSEAT_BACKEND=seatd"
grep -qx "NAutoVTs=0" "$units/logind-onward.conf" || fail "logind still starts gettys on other VTs"
grep -qx "kernel.sysrq = 0" "$units/sysctl-onward.conf" || fail "SysRq keys are on"

for pair in "onward-policyd.service 0.5" "onward-session.service 2.8"; do
	set -- $pair
	systemd-analyze security --offline=yes --threshold="$(echo "$2" | tr -d .)" \
		"$work/$1" >"$work/$1.security" 2>&1 ||
		fail "$1 is more exposed than $2: $(tail -n 1 "$work/$1.security")"
	tail -n 1 "$work/$1.security"
done
echo "kiosk-units: ok"

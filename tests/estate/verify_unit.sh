#!/bin/sh
# onward-gateway's systemd unit passes `systemd-analyze verify`, keeps the promises the
# issue asks of it, and stays at the exposure `systemd-analyze security` gives it now (1.4).
# The unit names the installed path; here it is pointed at the build.
#   tests/estate/verify_unit.sh BIN_DIR
set -eu
[ $# -eq 1 ] || { echo "verify_unit: give the build's bin directory" >&2; exit 2; }
unit=$(cd "$(dirname "$0")/../../services/gateway" && pwd)/onward-gateway.service
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
sed "s#/usr/sbin/onward-gateway#$1/onward-gateway#" "$unit" >"$work/onward-gateway.service"
out=$(systemd-analyze verify --man=no "$work/onward-gateway.service" 2>&1) || fail "verify: $out"
[ -z "$out" ] || fail "verify said: $out"
has() { grep -qx "$1" "$unit" || fail "onward-gateway.service lacks: $1"; }
has "User=onward-gateway"
has "NoNewPrivileges=yes"
has "ProtectSystem=strict"
has "PrivateTmp=yes"
has "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"
has "SystemCallFilter=@system-service"
has "CapabilityBoundingSet="
has "LoadCredential=key.pem:/etc/onward/gateway/key.pem"
level=$(systemd-analyze security --offline=yes "$work/onward-gateway.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for onward-gateway.service: \([0-9.]*\).*/\1/p')
[ -n "$level" ] || fail "systemd-analyze security gave no level"
awk -v l="$level" 'BEGIN { exit !(l <= 1.4) }' || fail "exposure $level, more than 1.4"
echo "onward-gateway.service: verified, exposure $level"

#!/bin/sh
# Installs the Debian 12 packages listed in scripts/packages.txt when any is missing.
# Run as root (or with sudo available); does nothing when everything is present.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
missing=""
while read -r p cmd; do
	case "$p" in '' | '#'*) continue ;; esac
	[ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1 && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done <"$here/packages.txt"
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing

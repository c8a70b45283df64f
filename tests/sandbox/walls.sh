#!/bin/sh
# Runs every sandbox case (test-sandbox: the apps' sandbox) and every case of
# onward-parse's walls (test-parse-walls: the daemon's keyless child, listed as parse-*),
# and lists each with its result, and every wall a case skipped with the reason given, so a
# run on a machine that lacks a mechanism says exactly what was not proven there. Exit
# status 1 if any case failed.
#   tests/sandbox/walls.sh BUILD_DIR
set -eu
case ${1:-} in --help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;; esac
[ $# -eq 1 ] || { echo "walls: give the build directory (try --help)" >&2; exit 2; }
bin=$(cd "$1" && pwd)/bin
for t in test-sandbox test-parse-walls; do
	[ -x "$bin/$t" ] || { echo "walls: $bin/$t is missing; build it" >&2; exit 2; }
done
cases="network-seccomp network-netns network-landlock network-all store-mounts store-landlock
store-user store-all processes-pidns processes-seccomp processes-landlock processes-all
write-mounts write-landlock write-all exec-seccomp exec-landlock exec-mounts exec-all limits
syscalls identity signals refusal
parse:hello parse:store-seccomp parse:store-landlock parse:network-seccomp
parse:network-landlock parse:exec-seccomp parse:exec-landlock parse:write-seccomp
parse:write-landlock parse:daemon-child parse:frames parse:handlers parse:records"
failed=0
skips=$(mktemp)
trap 'rm -f "$skips"' EXIT
for c in $cases; do
	status=0
	case $c in
	parse:*) out=$("$bin/test-parse-walls" "${c#parse:}" 2>&1) || status=$?; c="parse-${c#parse:}" ;;
	*) out=$("$bin/test-sandbox" "$c" 2>&1) || status=$? ;;
	esac
	case $status in
	0) result=ok ;;
	77) result=skipped ;;
	*) result=FAILED; failed=1 ;;
	esac
	printf '%-24s %s\n' "$c" "$result"
	echo "$out" | grep '^SKIP wall' >>"$skips" || true
	[ "$result" = FAILED ] && echo "$out" | tail -n 5 | sed 's/^/    /'
done
if [ -s "$skips" ]; then
	echo "Walls not proven on this machine, and why:"
	sed 's/^SKIP wall /  /' "$skips"
elif [ $failed -eq 0 ]; then
	echo "Every wall was proven on this machine."
fi
exit $failed

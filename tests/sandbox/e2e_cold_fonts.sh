#!/bin/sh
# An app starts while the tablet's font cache is cold or stale, as it is while the system
# rebuilds it: the shell, under Xvfb against a real daemon, opens Messages in its sandbox,
# which must show Sam his conversations and go back home, not stop with "The app stopped".
# fontconfig in the app finds no cache it can use, reads the fonts themselves, and then
# tries to write a cache: it makes the read-only /var/cache/fontconfig writable with
# chmod() (once fatal: the seccomp filter ended the app with SIGSYS), then gives up, saying
# "No writable cache directories". Run twice, in a mount namespace of its own so that the
# machine's cache is never touched:
#   cold   an empty, read-only /var/cache/fontconfig;
#   stale  the machine's cache, read-only, with the folder of the shell's font (DejaVu)
#          replaced by a fresh copy, so that the cache no longer matches it.
# The shell itself keeps a cache of its own in XDG_CACHE_HOME, which apps never get, so
# the words about no writable cache come from the app. CMake runs it under
# tests/ui/xvfb-run.sh with BIN, QUERY and OUT in the environment; without a mount
# namespace (unshare -m needs root) it is skipped.
set -eu
: "${BIN:?}" "${OUT:?}" "${QUERY:?}"
if [ "${ONWARD_COLD_FONTS_NS:-}" != 1 ]; then
	if ! unshare -m true 2>/dev/null; then
		echo "SKIP sandbox-app-cold-fonts: no mount namespace of its own (unshare -m)"
		exit 77
	fi
	ONWARD_COLD_FONTS_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
cache=/var/cache/fontconfig
if [ ! -d "$cache" ]; then
	echo "SKIP sandbox-app-cold-fonts: this machine has no $cache"
	exit 77
fi
font=$(fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null || true)
case "$font" in
*/DejaVuSans.ttf) ;;
*)
	echo "SKIP sandbox-app-cold-fonts: DejaVu Sans is not installed"
	exit 77
	;;
esac
fonts=$(dirname "$font")

. "$(dirname "$0")/../shell/e2e-lib.sh"
rm -rf shell-cache
work=$(mktemp -d /tmp/onward-cold-fonts-XXXXXX)
cold_cleanup() {
	umount "$fonts" 2>/dev/null || true
	umount "$work" 2>/dev/null || true
	rm -rf "$work"
	cleanup
}
trap cold_cleanup EXIT
daemon_start
seed
ctl app register messages --path "$BIN/onward-app-messages" --title "Messages" >/dev/null
# The shell's own font cache: apps never get XDG_CACHE_HOME.
XDG_CACHE_HOME="$OUT/shell-cache"
export XDG_CACHE_HOME

# open_messages NAME: Sam logs in and opens Messages, which shows his conversations and
# goes back home; NAME-app.json and NAME-back.json are what was on screen.
open_messages() {
	cat >"$1-app.ui" <<UI
wait-for "My worker" 60000
screenshot $OUT/$1-app.png
dump $OUT/$1-app.json
tap id:back-home
UI
	{
		login_lines
		echo 'tap id:tile-messages'
		echo 'wait-for "The app is open" 10000'
		echo 'wait-for "Hello, Sam" 90000'
		echo "dump $OUT/$1-back.json"
		echo "screenshot $OUT/$1-back.png"
		echo 'quit'
	} >"$1-shell.ui"
	: >shell.log
	ONWARD_APP_SCRIPT="$OUT/$1-app.ui"
	export ONWARD_APP_SCRIPT
	run_shell "$1-shell.ui"
	cp shell.log "$1-shell.log"
	expect_visible "$1-app.json" "My worker"
	expect_eq "$(q "$1-back.json" top screen)" home "$1: back home after the app"
	expect_hidden "$1-back.json" "The app stopped. You are back at home."
	if grep -q "was ended by signal\|exited with status [1-9]" shell.log; then
		fail "$1: the app did not end normally"
	fi
	# The app found no cache it could use and tried to write one: the path that
	# calls chmod().
	grep -q "No writable cache directories" shell.log ||
		fail "$1: the app's fontconfig did not try to write a cache (was the cache warm?)"
}

# ---- cold: nothing in the system's cache, and nobody may write there ----
mount -t tmpfs -o ro,size=64k,mode=755 onward-cold-fonts "$cache" ||
	fail "cannot mount an empty cache on $cache"
open_messages cold
[ -z "$(ls -A "$cache")" ] || fail "cold: something wrote to the system's cache: $(ls -A "$cache")"
umount "$cache"

# ---- stale: the system's cache, read-only, no longer matching the fonts' folder ----
mount --bind "$cache" "$cache" && mount -o remount,bind,ro "$cache" ||
	fail "cannot make $cache read-only"
mount -t tmpfs -o size=64m onward-stale-fonts "$work" || fail "cannot mount a tmpfs on $work"
cp -r "$fonts/." "$work/" # a new folder: a new modification time
mount --bind "$work" "$fonts" || fail "cannot put a fresh copy of $fonts in its place"
open_messages stale
umount "$fonts"
umount "$cache"
echo "sandbox-app-cold-fonts: ok"

#!/bin/sh
# An app's channel breaking the order, through onward_app_main() and the client library's
# channel, on the real stub app under Xvfb: a reply to nothing after a good one, a call
# that is never answered (the 10 s deadline), and the daemon's end closing mid-reply. In
# each the stub says the tablet service is not answering, its Home button still works
# (status 0), and its log says why. The daemon's end is test-hostile-channel, a mock: the
# real daemon cannot be made to misbehave.
set -eu
mkdir -p "$OUT"
cd "$OUT"
rm -f ./*.json ./*.png ./*.ui ./*.log

fail() {
	echo "FAIL: $*" >&2
	for f in ./*.log; do
		[ -s "$f" ] && { echo "---- $f ----" >&2; tail -n 20 "$f" >&2; }
	done
	exit 1
}

# run MODE EXPECTED-LOG-LINE: the stub on a hostile channel, until Home.
run() {
	cat >"$1.ui" <<UI
wait-for "not answering" 20000
dump $OUT/$1.json
screenshot $OUT/$1.png
tap id:back-home
UI
	"$BIN/test-hostile-channel" "$1" "$BIN/onward-app-stub" --window 1280x800 --dpi 150 \
		--script "$1.ui" 2>"$1.log" || fail "$1: the stub did not end with status 0"
	"$QUERY" "$1.json" visible "The tablet service is not answering. Go back to home and try again." ||
		fail "$1: no message"
	grep -q "onward-app-stub: the channel closed: $2" "$1.log" || fail "$1: not logged: $2"
}

run extra "a reply came that no call was waiting for"
"$QUERY" extra.json visible "Hello, Sam" || fail "extra: the good reply was not shown"
run silent "a call had no reply in time"
run cut "the daemon closed the connection"
echo "app channel: ok"

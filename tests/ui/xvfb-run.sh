#!/bin/sh
# Runs a command on a private Xvfb server, the size of the tablet (1280x800, 150 dpi).
#   tests/ui/xvfb-run.sh COMMAND [ARG]...
# Xvfb picks a free display itself (-displayfd), so parallel tests never collide; the
# server is stopped when the command ends, and the command's exit status is returned.
set -eu
# Under a clock faker (scripts/test-at-times.sh runs the suite under faketime) the tests
# fake the clock, never files' times. libfaketime also shifts the times stat() returns
# unless NO_FAKE_STAT is set: fontconfig in the shell (root) would then find the machine's
# font cache stale and rewrite it with shifted times, and every app in the sandbox, which
# runs on the real clock, would find that one stale and read every font again at start
# (it may not write a cache: sandbox-app-cold-fonts). Without libfaketime this means
# nothing.
NO_FAKE_STAT=1
export NO_FAKE_STAT
dir=$(mktemp -d)
trap 'kill "$xpid" 2>/dev/null || true; wait "$xpid" 2>/dev/null || true; rm -rf "$dir"' EXIT
Xvfb -displayfd 3 -screen 0 1280x800x24 -dpi 150 -nolisten tcp -noreset \
	3>"$dir/display" 2>"$dir/xvfb.log" &
xpid=$!
n=0
while [ ! -s "$dir/display" ]; do
	n=$((n + 1))
	if [ $n -gt 200 ] || ! kill -0 "$xpid" 2>/dev/null; then
		echo "xvfb-run.sh: Xvfb did not start" >&2
		cat "$dir/xvfb.log" >&2
		exit 1
	fi
	sleep 0.05
done
DISPLAY=:$(head -n1 "$dir/display")
export DISPLAY
export SDL_VIDEODRIVER=x11
export SDL_RENDER_DRIVER=software
export SDL_AUDIODRIVER=dummy
status=0
"$@" || status=$?
exit $status

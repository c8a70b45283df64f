#!/bin/sh
# Runs a command on a private Xvfb server, the size of the tablet (1280x800, 150 dpi).
#   tests/ui/xvfb-run.sh COMMAND [ARG]...
# Xvfb picks a free display itself (-displayfd), so parallel tests never collide; the
# server is stopped when the command ends, and the command's exit status is returned.
set -eu
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

#!/bin/sh
# The frame check: reads dumps of app screens (tests/ui/ui-dump-query ... frame) and fails
# unless every one has the same frame: Home at the top left, in the same place and of the
# same size on every screen of every app; Back, where a screen has one, beside it and of
# Home's size; at most MAX speaker buttons (one per section); and the status bar with the
# person's name on the left and a clock (HH:MM) in the centre.
#   tests/shell/frame_check.sh QUERY NAME MAX DUMP...
set -eu
query=$1
name=$2
max=$3
shift 3
home="" back="" bad=0
for f in "$@"; do
	frame=$("$query" "$f" frame -)
	h=$(echo "$frame" | sed -n 's/^home //p')
	b=$(echo "$frame" | sed -n 's/^back //p')
	n=$(echo "$frame" | sed -n 's/^speakers //p')
	status=$(echo "$frame" | sed -n 's/^status //p')
	if [ -z "$h" ]; then
		echo "frame: $f: no Home button at the top" >&2
		bad=1
		continue
	fi
	[ -n "$home" ] || home=$h
	if [ "$h" != "$home" ]; then
		echo "frame: $f: Home at $h, elsewhere $home" >&2
		bad=1
	fi
	if [ -n "$b" ]; then
		[ -n "$back" ] || back=$b
		[ "$b" = "$back" ] || { echo "frame: $f: Back at $b, elsewhere $back" >&2; bad=1; }
		# Same size as Home: the last two numbers.
		[ "${b#* * }" = "${h#* * }" ] || {
			echo "frame: $f: Back is $b, Home $h: not the same size" >&2
			bad=1
		}
	fi
	[ "$n" -le "$max" ] || { echo "frame: $f: $n speaker buttons (at most $max)" >&2; bad=1; }
	case "$status" in
	"$name|"[0-2][0-9]:[0-5][0-9]"|"*) ;;
	*)
		echo "frame: $f: status bar \"$status\", not \"$name|HH:MM|...\"" >&2
		bad=1
		;;
	esac
done
[ -n "$back" ] || { echo "frame: no screen with Back among the dumps" >&2; bad=1; }
exit $bad

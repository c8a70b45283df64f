#!/bin/sh
# Icons mean one thing: the lifebuoy is crisis help and nothing else, and the bent arrow
# is the keyboard's Enter key and nothing else. Reads widget-tree dumps (the script
# driver's `dump`) and fails on any widget that shows the crisis icon but is not a way to
# crisis help (the home tile, "Help now" on the login screen, the demo's tile), and on any
# Enter icon outside a keyboard.
#   tests/shell/icon_check.sh BIN DUMP.json...
set -eu
bin=$1
shift
bad=0
for f in "$@"; do
	other=$("$bin/ui-dump-query" "$f" icon help | grep -vxE 'tile-crisis|tile-help|help-now' ||
		true)
	[ -z "$other" ] || { echo "icon_check: $f: the crisis icon on: $other" >&2 && bad=1; }
	other=$("$bin/ui-dump-query" "$f" icon enter | grep -vE '^key-' || true)
	[ -z "$other" ] || { echo "icon_check: $f: the Enter icon on: $other" >&2 && bad=1; }
done
exit $bad

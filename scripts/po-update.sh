#!/bin/sh
# Brings a message catalogue folder up to date with its program's source: extracts the
# strings marked with N_() or _() (xgettext), then merges them into every LANG.po there
# (msgmerge), so new strings appear untranslated and removed ones are marked obsolete.
#   scripts/po-update.sh PO_DIR SOURCE...
# Example: scripts/po-update.sh shell/po shell/*.c
# Then translate the new entries and run the tests (msgfmt --check runs in the build).
set -eu
# xgettext reads and writes UTF-8 only under a UTF-8 locale.
export LC_ALL=C.UTF-8
if [ $# -lt 2 ] || [ "$1" = --help ]; then
	echo "usage: scripts/po-update.sh PO_DIR SOURCE..." >&2
	exit 2
fi
dir=$1
shift
[ -d "$dir" ] || { echo "po-update: no folder $dir" >&2; exit 2; }
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
xgettext --keyword --keyword=N_ --keyword=_ --from-code=UTF-8 --no-location \
	-o "$pot" "$@"
for po in "$dir"/*.po; do
	[ -f "$po" ] || continue
	msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$pot"
	left=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
	# The header is an untranslated-looking entry of its own.
	echo "$po: $((left > 0 ? left - 1 : 0)) untranslated"
done

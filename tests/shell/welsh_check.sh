#!/bin/sh
# The Welsh coverage check: reads the texts a person could see in a Welsh session (one per
# line, from tests/ui/ui-dump-texts) and fails on any that is English the platform wrote:
# a string of the shell's, the toolkit's or an app's catalogue (where its Welsh differs),
# a policy's English reason, or one of the daemon's English sentences. A text is checked
# whole and in its parts ("Today, 12:00: Visit" is "Today", "12:00", "Visit"), so that a
# word of ours inside a person's or staff's own words (which stay as they were written)
# is not taken for ours.
#   tests/shell/welsh_check.sh ROOT TEXTS
set -eu
root=$1
texts=$2
english=$(mktemp)
trap 'rm -f "$english"' EXIT
for po in "$root"/shell/po/cy.po "$root"/shell/toolkit/po/cy.po "$root"/apps/*/po/cy.po \
	"$root"/apps/learning/app/po/cy.po; do
	[ -f "$po" ] || continue
	# Each message: its English, if its Welsh is another text and it has no format.
	LC_ALL=C.UTF-8 msgexec -i "$po" sh -c '
		welsh=$(cat)
		case $MSGEXEC_MSGID in *%*|"") exit 0 ;; esac
		[ "$welsh" = "$MSGEXEC_MSGID" ] || printf "%s\n" "$MSGEXEC_MSGID"' >>"$english"
done
# The policies' English reasons (the Welsh is @reason_cy beside each).
sed -n 's/^ *@reason("\(.*\)")$/\1/p' "$root"/policy/*.cedar "$root"/policy/establishments/*.cedar \
	>>"$english"
# The daemon's own English words that reach a person.
printf '%s\n' "Reminder" >>"$english"
[ -s "$english" ] || { echo "welsh_check: no English strings found" >&2; exit 2; }
awk -v list="$english" '
BEGIN { while ((getline line < list) > 0) if (length(line) > 2) en[line] = 1 }
function check(t,   u) {
	if (t in en) return 1
	u = t; sub(/[.…]$/, "", u)
	return (u in en) || ((u ".") in en)
}
{
	bad = check($0)
	n = split($0, parts, / · |: |, |; /)
	for (i = 1; i <= n && !bad; i++) bad = check(parts[i])
	if (bad) { print "English in a Welsh session: " $0; found = 1 }
}
END { exit found }' "$texts"

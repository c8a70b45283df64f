#!/bin/sh
# Welsh, completely: Sam chooses Cymraeg on the login screen and goes through the shell
# and the four real apps (demo data: scripts/demo-seed.sh), dumping every screen he sees:
# login, home, Learning (the catalogue, a course, a page, a quiz), Messages (his
# conversations, one with his mother, writing, sent), Housing (the start, two questions,
# saved, local services), Appointments (the week, one appointment, asking to change it),
# crisis help, settings and logging out. Then tests/shell/welsh_check.sh fails on any
# text there that is English the platform wrote; names, places, course packs and what
# people and staff wrote stay as they were written. Every app screen has the one frame
# (tests/shell/frame_check.sh). With TEXT_SIZE=largest (shell-e2e-welsh-largest) the
# same tour runs at the largest text, and every screen must fit: nothing past the
# window's edge, no list row cut short.
set -eu
size=${TEXT_SIZE:-normal}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$BIN/.." && pwd)
. "$root/tests/harness/clock.sh"
. "$root/scripts/staff-lib.sh"
mkdir -p "$OUT"
cd "$OUT"
rm -rf ./*.json ./*.png ./apps ./*.ui ./*.txt
state=$(mktemp -d /tmp/onward-welsh-e2e-XXXXXX)
daemon=""
cleanup() {
	[ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$state"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	for f in shell.log policyd.log; do
		[ -s "$f" ] && { echo "---- $f ----" >&2; tail -n 30 "$f" >&2; }
	done
	exit 1
}
chmod 700 "$state"
printf '{"establishment": "MDI", "scrypt_log_n": 10}\n' >"$state/policyd.json"
"$BIN/onward-policyd" --state-dir "$state" 2>policyd.log &
daemon=$!
n=0
until "$BIN/onwardctl" --state-dir "$state" status >/dev/null 2>&1; do
	n=$((n + 1))
	[ $n -gt 200 ] && fail "onward-policyd did not start"
	sleep 0.05
done
ctl() { onwardctl_as "$BIN" "$state" "$@"; }
sh "$root/scripts/demo-seed.sh" "$build" "$state" >seed.log || fail "demo-seed.sh"
pin=$(ctl --as admin person pin-reset A1234BC | sed -n 's/^one-time PIN[^:]*: *\([0-9]*\).*/\1/p')
pin=$("$BIN/test-choose-pin" "$state/control.sock" A1234BC "$pin") || fail "no PIN for Sam"

mkdir -p apps
cat >apps/onward-app-learning.ui <<UI
wait-for "Managing money" 20000
dump $OUT/learning-1.json
tap id:course-0
wait-for "Dechrau'r cwrs" 10000
dump $OUT/learning-2.json
tap id:continue
wait-for "Money in is the money you get." 10000
dump $OUT/learning-3.json
tap id:next
wait-for "Money out is the money you spend." 10000
tap id:next
wait-for "Your wages from work are:" 10000
dump $OUT/learning-4.json
screenshot $OUT/learning-quiz.png
tap id:quiz-back
wait-for "Dal ati o ble roeddech chi" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:back-home
UI
cat >apps/onward-app-messages.ui <<UI
wait-for "Fy ngweithiwr" 20000
dump $OUT/messages-1.json
tap id:threads.1
wait-for "Write when you can." 10000
dump $OUT/messages-2.json
tap id:write
wait 1000
dump $OUT/messages-3.json
screenshot $OUT/messages-write.png
tap id:key-d
tap id:key-i
tap id:key-o
tap id:key-l
tap id:key-c
tap id:key-h
tap id:key-enter
wait-for "diolch" 10000
wait 1000
dump $OUT/messages-4.json
tap id:thread-back
wait-for "Fy ngweithiwr" 10000
tap id:back-home
UI
cat >apps/onward-app-housing.ui <<UI
wait-for "Dydych chi ddim wedi dechrau ymholiad tai eto." 20000
dump $OUT/housing-1.json
tap id:start
wait-for "Pryd ydych chi'n gadael y carchar?" 10000
tap id:month-more
dump $OUT/housing-2.json
tap id:release-yes
wait-for "Â pha ardal mae gennych chi gysylltiad?" 10000
dump $OUT/housing-3.json
tap id:save-later
wait-for "Wedi'i gadw. Gallwch chi ddal ati wedyn." 10000
dump $OUT/housing-4.json
tap id:find-services
wait-for "Gwasanaethau lleol" 10000
wait-for "Doncaster" 10000
dump $OUT/housing-5.json
tap id:back
wait-for "Dal ati gyda fy ymholiad" 10000
tap id:back-home
UI
cat >apps/onward-app-appointments.ui <<UI
wait-for "diwrnod tan eich rhyddhau" 20000
dump $OUT/appointments-1.json
screenshot $OUT/appointments-week.png
tap id:appointments.0
wait-for "Dywedwch a fyddwch chi yno" 10000
dump $OUT/appointments-2.json
tap id:ask
wait-for "Pam mae angen i chi ei newid?" 10000
dump $OUT/appointments-3.json
tap id:back
wait 500
tap id:back
wait-for "Eich apwyntiadau" 10000
tap id:goto
wait-for "Pa ddiwrnod ydych chi eisiau ei weld?" 10000
tap id:day-more
dump $OUT/appointments-4.json
tap id:back
wait-for "Eich apwyntiadau" 10000
tap id:back-home
UI
{
	echo 'wait-for "Prison number" 20000'
	echo 'tap "Cymraeg"'
	echo 'wait-for "Rhif carchar"'
	echo "dump $OUT/shell-login.json"
	echo 'tap id:number'
	for k in a 123 1 2 3 4 abc b c; do echo "tap id:key-$k"; done
	echo 'tap id:key-enter'
	for d in $(echo "$pin" | sed 's/./& /g'); do echo "tap id:key-$d"; done
	echo 'tap id:key-enter'
	echo 'wait-for "Helo, Sam" 15000'
	echo 'wait-for "Negeseuon" 15000'
	if [ "$size" = largest ]; then
		# Sam chooses the largest text; the apps open with it.
		echo 'tap id:tile-settings'
		echo 'wait-for "Maint testun"'
		echo 'tap "Mwyaf"'
		echo 'wait 500'
		echo "dump $OUT/shell-settings-largest.json"
		echo 'tap id:settings-back'
		echo 'wait-for "Helo, Sam"'
	fi
	echo "dump $OUT/shell-home.json"
	echo "screenshot $OUT/shell-home.png"
	for app in learning messages housing appointments; do
		echo "tap id:tile-$app"
		echo "wait-for \"Mae'r ap ar agor\" 10000"
		echo 'wait-for "Helo, Sam" 180000'
	done
	echo 'tap id:tile-crisis'
	echo 'wait 1500'
	echo "dump $OUT/shell-help.json"
	echo "screenshot $OUT/shell-help.png"
	echo 'tap id:dialog.0'
	echo 'tap id:tile-settings'
	echo 'wait-for "Maint testun"'
	echo "dump $OUT/shell-settings.json"
	echo 'tap id:settings-back'
	echo 'wait-for "Helo, Sam"'
	echo 'tap id:tile-logout'
	echo 'wait-for "Ydych chi eisiau allgofnodi nawr?"'
	echo "dump $OUT/shell-logout.json"
	echo 'tap "Ie, allgofnodi"'
	echo 'quit'
} >tour.ui
# At the largest text a screen may be taller than the window: before each tap, Sam
# scrolls to what he taps (scroll-to does nothing when it is already in view). A list's
# row: its list; keys, dialogs and banners are layers of their own and stay in view.
for ui in tour.ui apps/*.ui; do
	sed -i -e '/^tap id:\(key-\|dialog\.\|banner\.\)/b' \
		-e 's/^tap id:\([a-z-]*\)\.[0-9][0-9]*$/scroll-to id:\1\n&/;t' \
		-e 's/^tap id:\(.*\)$/scroll-to id:\1\n&/' "$ui"
done
ONWARD_APP_SCRIPT="$OUT/apps" "$root/tests/ui/xvfb-run.sh" "$BIN/onward-shell" \
	--state-dir "$state" --window 1280x800 --dpi 150 --launcher "$BIN/onward-launch" \
	--app-timeout 180 --script tour.ui 2>shell.log || fail "the Welsh tour"
if grep -E "exited with status [1-9]|was ended by signal" shell.log >&2; then
	fail "an app's part of the tour failed"
fi
dumps="shell-login shell-home learning-1 learning-2 learning-3 learning-4 messages-1
	messages-2 messages-3 messages-4 housing-1 housing-2 housing-3 housing-4 housing-5
	appointments-1 appointments-2 appointments-3 appointments-4 shell-help shell-settings shell-logout"
files=""
[ "$size" = normal ] || dumps="$dumps shell-settings-largest"
for d in $dumps; do
	[ -s "$d.json" ] || fail "no dump $d"
	# Sam's choice of size comes after logging in.
	[ "$d" = shell-login ] || [ "$("$QUERY" "$d.json" top text_size)" = "$size" ] ||
		fail "$d is not at text size $size"
	files="$files $d.json"
done
# shellcheck disable=SC2086
"$BIN/ui-dump-texts" $files >texts.txt || fail "ui-dump-texts"
[ "$(wc -l <texts.txt)" -gt 100 ] || fail "too few texts read ($(wc -l <texts.txt))"
sh "$root/tests/shell/welsh_check.sh" "$root" texts.txt || fail "English in the Welsh session"
# shellcheck disable=SC2086
sh "$root/tests/shell/icon_check.sh" "$BIN" $files || fail "an icon used for two things"
app_dumps=""
for d in $dumps; do
	case $d in shell-*) ;; *) app_dumps="$app_dumps $d.json" ;; esac
done
# shellcheck disable=SC2086
sh "$root/tests/shell/frame_check.sh" "$QUERY" "Sam Jones" 4 $app_dumps ||
	fail "an app screen without the one frame"
if [ "$size" = largest ]; then
	for f in $files; do
		"$QUERY" "$f" fits - >&2 || fail "$f does not fit at the largest text"
	done
fi
# What the daemon writes for Sam is Welsh too: the reminder of today's visit, a policy's
# reason (Chris is not approved yet); and dates read as Welsh does after a word.
for words in "Nodyn atgoffa: mae eich ymweliad heddiw am 12:00, yn Visits hall." \
	"Dim ond at bobl mae staff wedi'u cymeradwyo y gallwch chi anfon neges." \
	"Mae ein cofnodion yn dweud mai dyma'ch diwrnod gadael: Dydd " \
	"Dydd Llun 7 Rhagfyr i Ddydd Sul 13 Rhagfyr" "Nesaf: Mer 9 Rhag, 12:00, ymweliad"; do
	grep -qF "$words" texts.txt || fail "not seen in Welsh: $words"
done
echo "welsh: ok ($(wc -l <texts.txt) texts on $(echo $dumps | wc -w) screens)"

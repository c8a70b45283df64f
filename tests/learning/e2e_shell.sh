#!/bin/sh
# Learning from the home screen: the real shell launches the real app through
# onward-launch, sandboxed as on a tablet, with its channel. Sam opens Learning from his
# home tile, reads a page with a picture (loaded from memory inside the sandbox), leaves
# with Home and is back on the shell's home screen; opening it again, the course carries
# on at the same page.
. "$(dirname "$0")/e2e-lib.sh"
daemon_start
seed
# LeakSanitizer cannot stop the world inside onward-launch's sandbox (the app hangs at
# exit), so sanitizer runs check leaks here only outside it: e2e_learning.sh and
# e2e_access.sh run the same app with detect_leaks=1.
if [ "${SANITIZE:-0}" = 1 ]; then
	export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
fi

cat >app1.ui <<UI
wait-for "Managing money" 20000
tap id:course-0
wait-for "Start the course" 10000
tap id:module-1
wait-for "A budget is a plan for your money." 10000
wait 2000
dump $OUT/sandboxed-page.json
screenshot $OUT/sandboxed-page.png
tap id:page-back
wait-for "Carry on where you left off" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:back-home
UI
{
	login_lines
	open_learning_lines
	echo "dump $OUT/home-after.json"
	echo "screenshot $OUT/home-after.png"
	echo 'quit'
} >shell1.ui
ONWARD_APP_SCRIPT="$OUT/app1.ui" run_shell shell1.ui --app-timeout 120
expect_eq "$(q sandboxed-page.json get picture-0 visible)" true "the picture in the sandbox"
expect_eq "$(q sandboxed-page.json get page-where text)" "A simple budget · Page 3 / 6" "page"
expect_eq "$(q home-after.json top screen)" home "back home after Learning"

cat >app2.ui <<UI
wait-for "Managing money" 20000
tap id:course-0
wait-for "Carry on where you left off" 10000
tap id:continue
wait-for "A budget is a plan for your money." 10000
dump $OUT/again.json
tap id:page-back
wait-for "Carry on where you left off" 10000
tap id:course-back
wait-for "Managing money" 10000
tap id:back-home
UI
{
	login_lines
	open_learning_lines
	echo 'quit'
} >shell2.ui
ONWARD_APP_SCRIPT="$OUT/app2.ui" run_shell shell2.ui --app-timeout 120
expect_eq "$(q again.json get page-where text)" "A simple budget · Page 3 / 6" "the same page"
grep -q "app learning started" shell.log || fail "the shell did not start the app"
echo "shell: ok"

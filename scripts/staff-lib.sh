# Staff who act in the demo and the shell tests sign in for real. Source this file, then:
#
#   onwardctl_as BIN_DIR STATE_DIR [--as ID] ARGS...
#
# runs onwardctl against the daemon in STATE_DIR. "--as ID" is this library's, never
# onwardctl's: it becomes ID's session, made the first time as a staff member makes their
# own (a setup code from an administrator, break-glass; a password; the first code from the
# TOTP secret, by oathtool; `onwardctl login` with the next), and made again if it has
# ended. Naming a staff member who does not exist yet acts break-glass. Sessions are kept in
# STATE_DIR/staff-sessions/, owner only. Safe under `set -e`: the status is onwardctl's.

STAFF_DEMO_PASSWORD="correct horse battery staple"

# staff_sign_in BIN_DIR STATE_DIR ID SESSION_FILE: 0 signed in, 3 no such staff member.
staff_sign_in() {
	_sb=$1 _ss=$2 _sid=$3 _sf=$4
	if ! _sout=$("$_sb/onwardctl" --state-dir "$_ss" --break-glass --json staff reset "$_sid" 2>&1); then
		case $_sout in *"No such staff"*) return 3 ;; esac
		printf '%s\n' "$_sout" >&2
		return 1
	fi
	_snow=0
	_scode=$(printf '%s\n' "$_sout" | sed -n 's/.*"setup_code": "\([^"]*\)".*/\1/p')
	_ssecret=$(printf '%s\n' "$STAFF_DEMO_PASSWORD" |
		"$_sb/onwardctl" --state-dir "$_ss" --json staff setup "$_sid" --setup-code "$_scode" |
		sed -n 's/.*"totp_secret": "\([^"]*\)".*/\1/p')
	# The daemon's time, not this machine's: tests and the demo set its clock.
	_snow=$("$_sb/onwardctl" --state-dir "$_ss" --json status | sed -n 's/.*"time": \([0-9]*\).*/\1/p')
	"$_sb/onwardctl" --state-dir "$_ss" staff confirm "$_sid" --setup-code "$_scode" \
		--code "$(oathtool --totp -b -N "@$((_snow - 30))" "$_ssecret")" >/dev/null || return 1
	mkdir -p -m 700 "$(dirname "$_sf")"
	# Kept beside the session (owner only) so the demo can show how to make a code.
	(umask 077 && printf '%s\n' "$_ssecret" >"$_sf.totp")
	printf '%s\n' "$STAFF_DEMO_PASSWORD" |
		ONWARD_SESSION_FILE=$_sf "$_sb/onwardctl" --state-dir "$_ss" login "$_sid" \
			--code "$(oathtool --totp -b -N "@$_snow" "$_ssecret")" >/dev/null
}

onwardctl_as() {
	_ob=$1 _os=$2
	shift 2
	_oid=
	_on=0
	# Takes "--as ID" out of the arguments, keeping the rest in order.
	for _oa in "$@"; do
		_on=$((_on + 1))
		if [ "$_oa" = --as ]; then
			_oid=next
		elif [ "$_oid" = next ]; then
			_oid=$_oa
		else
			set -- "$@" "$_oa"
		fi
	done
	shift "$_on"
	if [ -z "$_oid" ]; then
		_orc=0
		ONWARD_SESSION_FILE=/nonexistent "$_ob/onwardctl" --state-dir "$_os" "$@" || _orc=$?
		return $_orc
	fi
	_of="$_os/staff-sessions/$_oid"
	if [ ! -s "$_of" ]; then
		_orc=0
		staff_sign_in "$_ob" "$_os" "$_oid" "$_of" || _orc=$?
		if [ $_orc -eq 3 ]; then
			_orc=0
			"$_ob/onwardctl" --state-dir "$_os" --break-glass "$@" || _orc=$?
			return $_orc
		fi
		[ $_orc -eq 0 ] || return 1
	fi
	_oerr=$(mktemp)
	_orc=0
	ONWARD_SESSION_FILE=$_of "$_ob/onwardctl" --state-dir "$_os" "$@" 2>"$_oerr" || _orc=$?
	if [ $_orc -ne 0 ] && grep -q "session has ended" "$_oerr"; then
		# The clock moved past the session's end: sign in again.
		rm -f "$_of"
		staff_sign_in "$_ob" "$_os" "$_oid" "$_of" || { rm -f "$_oerr"; return 1; }
		_orc=0
		ONWARD_SESSION_FILE=$_of "$_ob/onwardctl" --state-dir "$_os" "$@" 2>"$_oerr" || _orc=$?
	fi
	cat "$_oerr" >&2
	rm -f "$_oerr"
	return $_orc
}

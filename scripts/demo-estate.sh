#!/bin/sh
# The estate in a box, beside a running demo daemon (scripts/demo.sh): the establishment
# server's gateway, made as a prison's IT team makes it (its own key, certified by the
# daemon's CA), and two tablets enrolled through it with codes staff make. Prints the
# gateway's address and how a member of staff signs in over the network.
#   scripts/demo-estate.sh BUILD_DIR STATE_DIR
# Leaves the gateway running; its pid is in STATE_DIR/../demo-gateway.pid (demo.sh stops
# it). Uses no port of its own: the kernel picks one on 127.0.0.1.
set -eu
bin=$1/bin
state=$2
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/staff-lib.sh"
gw=$state/gateway-files
pidfile=$(dirname "$state")/demo-gateway.pid
ctl() { onwardctl_as "$bin" "$state" --as admin "$@"; }

mkdir -p -m 700 "$gw"
point=$("$bin/onward-gateway" --make-key "$gw/key.pem" 2>/dev/null)
ctl gateway certify --public-key "$point" --host 127.0.0.1 >"$gw/cert.pem"
cp "$state/estate/ca.crt" "$gw/ca.pem"
"$bin/onward-gateway" --listen 127.0.0.1:0 --cert "$gw/cert.pem" --key "$gw/key.pem" \
	--client-ca "$gw/ca.pem" --daemon-socket "$state/gateway.sock" 2>"$gw/gateway.log" &
echo $! >"$pidfile"
port=
i=0
while [ -z "$port" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "demo: onward-gateway did not start:" >&2
		cat "$gw/gateway.log" >&2
		exit 1
	fi
	port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$gw/gateway.log" | head -n1)
	[ -n "$port" ] || sleep 0.1
done
url=https://127.0.0.1:$port

for n in 1 2; do
	code=$(ctl --json device code)
	"$bin/onward-sync" enrol --server "$url" --dir "$state/tablet-$n" --name "C wing tablet $n" \
		--code "$(printf '%s\n' "$code" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p')" \
		--ca-pin "$(printf '%s\n' "$code" | sed -n 's/.*"ca_pin": "\([^"]*\)".*/\1/p')"
	"$bin/onward-sync" hello --server "$url" --dir "$state/tablet-$n" >/dev/null
done
printf '\n$ onwardctl device list    # signed in as admin\n'
ctl device list

secret=$(cat "$state/staff-sessions/k.patel.totp" 2>/dev/null || true)
cat <<EOT

The establishment server's gateway: $url (its CA: $gw/ca.pem)
Sign in as staff from any machine that reaches it, e.g. Kiran Patel (key worker):
  export ONWARD_SERVER=$url ONWARD_CA=$gw/ca.pem
  $bin/onwardctl login k.patel        # password: $STAFF_DEMO_PASSWORD
                                      # code: oathtool --totp -b $secret
  $bin/onwardctl person list
EOT

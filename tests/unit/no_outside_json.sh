#!/bin/sh
# The areas of the daemon that take files from outside — moves/ (person bundles) and
# housing/ (the services directory) — parse no JSON themselves: onward-parse, the keyless
# child, reads those files, and the daemon reads only its child's canonical answers, through
# core/parser.c and services/record (bounded first), and JSON it wrote itself, through
# core/render.c's render_own_json(). So no call to one of jansson's loaders may appear in
# those folders (a bundle's certificate is parsed by lib/bundle, from the child's canonical
# form). The child's own filter is proven by the sandbox-parse-* tests.
#   no_outside_json.sh SOURCE_DIR
set -eu
src=${1:?usage: no_outside_json.sh SOURCE_DIR}
pattern='\bjson_load[a-z_]*[[:space:]]*\('
found=$(grep -rnE "$pattern" --include='*.c' --include='*.h' \
	"$src/services/policyd/moves" "$src/services/policyd/housing" || true)
if [ -n "$found" ]; then
	echo "FAIL: jansson's loaders called in an area that takes outside files:"
	echo "$found"
	exit 1
fi
# And the check itself finds what it looks for, in each of jansson's loaders.
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
for f in json_loads json_loadb json_loadf json_loadfd json_load_file json_load_callback; do
	echo "	doc = $f (text, len, 0, NULL);" >"$probe"
	grep -qE "$pattern" "$probe" || { echo "FAIL: the pattern no longer matches $f"; exit 1; }
done
echo "ok: moves/ and housing/ parse no JSON themselves"

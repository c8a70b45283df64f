#!/bin/sh
# Checks that every C file we own follows the committed .clang-format; lists those that
# do not. Fix with: clang-format -i FILE...
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
files=$(git ls-files '*.c' '*.h')
bad=""
for f in $files; do
	clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
	echo "check-format: these files differ from .clang-format:"
	for f in $bad; do echo "  $f"; done
	exit 1
fi
echo "check-format: $(echo "$files" | wc -w) files OK"

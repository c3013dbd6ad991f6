#!/bin/sh
# quickstart.sh - install what is missing, build, and annotate the sample.
set -eu
cd "$(dirname "$0")/.."

tools/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "== cotlog annotate examples/traces.jsonl (the cot key of each line):"
build/tools/cotlog annotate --stats examples/traces.jsonl |
	jq -c '.cot? // empty'

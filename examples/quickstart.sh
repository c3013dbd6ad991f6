#!/bin/sh
# quickstart.sh - install what is missing, build, and annotate the sample.
set -eu
cd "$(dirname "$0")/.."

tools/deps.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "== build/tools/cotlog annotate examples/traces.jsonl"
echo "   (one row per trace, from the \"cot\" key added to each record)"
build/tools/cotlog annotate examples/traces.jsonl |
	jq -r '.cot? // [] | .[] | [.format, (.dialect // "-"),
		(if .closed then "closed" else "open" end),
		.think.words, .answer.words, (.answer_extracted // "-"),
		(.finish_reason // "-")] | @tsv' |
	awk -F '\t' 'BEGIN { printf "%-17s %-8s %-7s %6s %6s  %-6s %s\n",
		"format", "dialect", "closed", "think", "answer", "boxed",
		"finish"; printf "%-17s %-8s %-7s %6s %6s  %-6s %s\n", "",
		"", "", "words", "words", "", "" }
		{ printf "%-17s %-8s %-7s %6s %6s  %-6s %s\n",
		  $1, $2, $3, $4, $5, $6, $7 }'
build/tools/cotlog annotate --stats examples/traces.jsonl 2>&1 >/dev/null

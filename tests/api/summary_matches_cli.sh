#!/bin/sh
# summary_matches_cli.sh SUMMARY COTLOG EXAMPLES - examples/summary.c,
# which merges two halves of traces.jsonl through a partial, prints what
# `cotlog stats` prints for the whole file in one run: the same counts,
# the same table, the same mean.
set -eu
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
summary=$(abs "$1") cotlog=$(abs "$2")
cd "$3"
got=$("$summary")
fields=think.words,closed,status
table=$(COLUMNS=72 "$cotlog" stats --by format --fields "$fields" traces.jsonl)
json=$("$cotlog" stats --by format --fields think.words --json traces.jsonl)
records=$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"])')
groups=$(printf '%s' "$json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["groups"]))')
# the text of the total's mean, as written (the total comes first)
mean=$(printf '%s' "$json" | python3 -c 'import re,sys; print(re.search(r"\"think.words\":\{[^}]*?\"mean\":([^,}]*)", sys.stdin.read()).group(1))')
want=$(printf '%s records in %s groups\n%s\n\nmean reasoning words: %s' \
	"$records" "$groups" "$table" "$mean")
[ "$got" = "$want" ] && exit 0
printf '%s\n' "$want" >"${TMPDIR:-/tmp}/summary.want.$$"
printf '%s\n' "$got" | diff "${TMPDIR:-/tmp}/summary.want.$$" - >&2
rm -f "${TMPDIR:-/tmp}/summary.want.$$"
exit 1

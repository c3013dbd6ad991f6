#!/bin/sh
# check_exports.sh - libcotlog.so exports cot_* symbols and nothing else:
# no cot__ internals either.
set -eu
lib=$1
bad=$(nm -D --defined-only "$lib" | awk '{print $3}' |
	grep -v '^cot_[a-z0-9]' | grep -v '^_' || true)
if [ -n "$bad" ]; then
	echo "not ok 1 - symbols outside cot_*:"; echo "$bad" | sed 's/^/# /'
	exit 1
fi
n=$(nm -D --defined-only "$lib" | grep -c ' cot_')
echo "ok 1 - $n exported symbols, all cot_*"

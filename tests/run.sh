#!/bin/sh
# run.sh - the whole test suite: a build with warnings as errors and one
# with ASan+UBSan, each running every test; prints "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

tools/deps.sh || exit 2

status=0
for setup in "build-test -Dwerror=true" \
	     "build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false"; do
	dir=${setup%% *}
	opts=${setup#* }
	if [ ! -d "$dir" ]; then
		# shellcheck disable=SC2086
		meson setup "$dir" $opts >/dev/null || exit 2
	fi
	ninja -C "$dir" >/dev/null || { ninja -C "$dir"; exit 2; }
	echo "== $dir"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C "$dir" --print-errorlogs --num-processes 2 \
		>"$dir/test-output.txt" 2>&1 || status=1
	tail -n 12 "$dir/test-output.txt"
done

# Totals over both builds, counting each TAP subtest (cmocka, CLI cases).
python3 tests/count.py build-test/meson-logs/testlog.json \
	build-asan/meson-logs/testlog.json || status=1
exit $status

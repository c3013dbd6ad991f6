#!/bin/sh
# run.sh - the whole test suite, in four builds: warnings as errors
# (with the SWAR and scalar builds of the library beside it, which must
# give its output: tests/cli/test_tiers.py); ASan+UBSan; scalar only
# (lib/base/simd.h without SSE2 or SWAR), every suite but python; and
# the libFuzzer targets (clang, ASan+UBSan), each fuzzing for
# fuzz_seconds after replaying its saved inputs.
# Prints "N passed, N failed, N skipped" as its last line.
set -u
cd "$(dirname "$0")/.."

tools/deps.sh || exit 2

status=0
logs=""
build() {	# build DIR SUITE-ARGS -- MESON-OPTIONS...
	dir=$1 suites=$2
	shift 2
	if [ ! -d "$dir" ]; then
		meson setup "$dir" "$@" >/dev/null || exit 2
	fi
	ninja -C "$dir" >/dev/null || { ninja -C "$dir"; exit 2; }
	echo "== $dir"
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C "$dir" --print-errorlogs --num-processes 2 \
		$suites >"$dir/test-output.txt" 2>&1 || status=1
	grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail):' "$dir/test-output.txt"
	logs="$logs $dir/meson-logs/testlog.json"
}

build build-test "" -Dwerror=true -Dtier_tests=true
build build-asan "" -Dwerror=true -Db_sanitize=address,undefined \
	-Db_lundef=false
# (the Python package binds the library as the default build runs it:
# the scalar library's answers are the default's, tests/cli/test_tiers.py)
build build-scalar "--no-suite python" -Dwerror=true \
	"-Dc_args=-DCOT_NO_SIMD -DCOT_NO_SWAR"
CC=clang build build-fuzz "--suite fuzz" -Dwerror=true -Dfuzzing=true \
	-Db_sanitize=address,undefined -Db_lundef=false

# Totals over the builds, counting each TAP subtest (cmocka, CLI cases).
# shellcheck disable=SC2086
python3 tests/count.py $logs || status=1
exit $status

#!/bin/sh
# run.sh - run one libFuzzer target for a while:
#
#   tests/fuzz/run.sh FUZZER TARGET SECONDS [WORK]
#
# FUZZER is the fuzz_TARGET binary of a build with -Dfuzzing=true. The
# run starts from the saved inputs (tests/fuzz/corpus/TARGET) and, when
# ../shared/corpus is beside the repository, from seeds made of its
# records (tests/fuzz/seeds.py). What the fuzzer adds goes to
# WORK/TARGET: a temporary folder unless WORK is given, so that a long
# run by hand can be resumed. A crash, leak, time-out or out-of-memory
# input fails the run and is kept as WORK/TARGET-crash-* (or -leak-,
# -timeout-, -oom-); copy it into tests/fuzz/corpus/TARGET to keep it
# as a regression test. The last line gives the number of runs and the
# CPU time they took.
set -u
fuzzer=$1 target=$2 seconds=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -ge 4 ]; then
	work=$4
	keep=1
else
	work=$(mktemp -d)
	keep=0
fi
mkdir -p "$work/$target" "$work/seeds"

# The longest input: as long as real traces where the target reads
# records; shorter where each run is slow (the pattern target scans a
# text with every built-in pattern at every position).
case $target in
pattern) max_len=8192 ;;
pretok) max_len=16384 ;;
json | input) max_len=65536 ;;
*) max_len=200000 ;;
esac

seeds=""
corpus=$root/../shared/corpus
if [ -d "$corpus" ]; then
	case $target in
	record | expr | pattern | path | partial)
		cotlog=$(dirname "$fuzzer")/../../tools/cotlog
		python3 "$here/seeds.py" "$cotlog" "$work/seeds" "$corpus" \
			"$target" ||
			exit 2
		seeds="$work/seeds/$target"
		;;
	esac
fi

# shellcheck disable=SC2086
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
/usr/bin/time -f %U+%S -o "$work/$target.cpu" nice -n 10 "$fuzzer" -max_total_time="$seconds" -max_len="$max_len" \
	-timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
	-artifact_prefix="$work/$target-" \
	"$work/$target" "$here/corpus/$target" $seeds \
	>"$work/$target.log" 2>&1
status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
last=$(grep -E '^#[0-9]+' "$work/$target.log" | tail -n 1)
cpu=$(tail -n 1 "$work/$target.cpu" | awk -F+ '{ printf "%.0f", $1 + $2 }')
if [ $status -ne 0 ]; then
	tail -n 40 "$work/$target.log"
	ls "$work" | grep -E "^$target-(crash|leak|timeout|oom|slow)-" || true
	[ $keep -eq 1 ] || echo "(inputs in $work, kept)"
	echo "fuzz $target: FAILED after ${runs:-?} runs"
	exit 1
fi
[ $keep -eq 1 ] || rm -rf "$work"
echo "fuzz $target: ${runs:-?} runs in $seconds s ($cpu s of CPU), no finding; $last"

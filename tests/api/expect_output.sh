#!/bin/sh
# expect_output.sh EXPECTED PROGRAM [ARG...] - PROGRAM's standard output
# equals the file EXPECTED byte for byte (and it exits 0).
set -u
want=$1
shift
got=$("$@") || { echo "$1 exited with $?" >&2; exit 1; }
printf '%s\n' "$got" | cmp -s - "$want" && exit 0
printf '%s\n' "$got" | diff "$want" - >&2
exit 1

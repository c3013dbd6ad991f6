#!/bin/sh
# pkgconfig.sh - install into a scratch root and build examples/analyze.c
# the way a user would: with pkg-config only.
set -eu
build=$1 src=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
meson install -C "$build" --destdir "$root" --no-rebuild --quiet >/dev/null
pcfile=$(find "$root" -name cotlog.pc | head -1)
prefix=$(sed -n 's/^prefix=//p' "$pcfile")
pc() {
	PKG_CONFIG_PATH=$(dirname "$pcfile") pkg-config \
		--define-variable=prefix="$root$prefix" "$@" cotlog
}
flags=$(pc --cflags --libs)
libdir=$(pc --variable=libdir)
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror "$src/examples/analyze.c" $flags \
	-Wl,-rpath,"$libdir" -o "$root/analyze"
out=$("$root/analyze")
echo "$out" | grep -q '"format":"string"' || { echo "not ok 1"; exit 1; }
echo "$out" | grep -q '"format":"openai-chat"' || { echo "not ok 1"; exit 1; }
echo "ok 1 - analyze.c built with pkg-config and ran"

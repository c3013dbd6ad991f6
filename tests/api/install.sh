#!/bin/sh
# install.sh - install as a user would and use the installed files only:
# the installed cotlog must run with no LD_LIBRARY_PATH, and each example
# program must build with nothing but `pkg-config --cflags --libs cotlog`
# (under -Wall -Wextra -Werror) and run like its build-tree twin.
#
#   install.sh BUILD SRC COTLOG EXAMPLE...
#
# COTLOG and each EXAMPLE are build-tree executables (COTLOG "" without
# the tools); example NAME is built from SRC/examples/NAME.c. A real
# prefix of its own would mean a second build of the whole library (a
# minute or more); `meson install --destdir` takes a second, and the
# install tree is relocatable, so it is installed there and then moved
# to a prefix of its own, which also shows that moving works.
set -eu
build=$1 src=$2 cotlog=$3
shift 3
cc=${CC:-cc}
unset LD_LIBRARY_PATH	# what the installed files find, they find alone

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
meson install -C "$build" --destdir "$root" --no-rebuild --quiet >/dev/null
pcfile=$(find "$root" -name cotlog.pc | head -1)
prefix=$(sed -n 's/^prefix=//p' "$pcfile")
if [ "$prefix" = /usr ]; then
	# no rpath by design (meson.build): only a real /usr install works
	echo "1..0 # SKIP prefix /usr: the installed files need a real /usr"
	exit 0
fi
p=$root/moved
mv "$root$prefix" "$p"
pcdir=$(dirname "$pcfile")
export PKG_CONFIG_PATH="$p${pcdir#"$root$prefix"}"
# the .pc names the prefix it was installed to; a moved tree says where
# it is now, the way pkg-config offers for that
pc() {
	pkg-config --define-variable=prefix="$p" "$@" cotlog
}

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; status=1; }
status=0

# "libcotlog.so.N => PATH": the library the dynamic linker picks for
# program $1 must be the one just installed (not an older one elsewhere)
uses_installed() {
	LD_TRACE_LOADED_OBJECTS=1 "$1" | grep -q "libcotlog\.so\.[0-9]* => $p/"
}

# what the library links it names in its .pc (for static links), and
# its installed headers include none of those libraries' headers: a
# program needs nothing but cotlog.pc
t="cotlog.pc names the libraries libcotlog links; its headers include none"
needed=$(readelf -d "$(pc --variable=libdir)/libcotlog.so" |
	sed -n 's/.*NEEDED.*\[lib\(pcre2-8\|z\|jansson\|utf8proc\)\.so.*/\1/p' | sort)
named=$(pc --print-requires-private | sed 's/^lib//; s/ .*//; s/^zlib$/z/' |
	sort)
if [ -n "$needed" ] && [ "$needed" = "$named" ] &&
   ! grep -rqE '#include *<(jansson|pcre2|zlib|utf8proc)' "$(pc --variable=includedir)"; then
	ok "$t"
else
	not_ok "$t"
fi

if [ -n "$cotlog" ]; then
	t="installed cotlog annotate runs, with no LD_LIBRARY_PATH"
	if uses_installed "$p/bin/cotlog" &&
	   "$p/bin/cotlog" annotate "$src/examples/traces.jsonl" \
		>"$root/installed.out" &&
	   "$cotlog" annotate "$src/examples/traces.jsonl" >"$root/built.out" &&
	   cmp -s "$root/installed.out" "$root/built.out"; then
		ok "$t"
	else
		not_ok "$t"
	fi
fi

flags=$(pc --cflags --libs)
for exe in "$@"; do
	name=$(basename "$exe")
	t="examples/$name.c built with pkg-config alone runs as in the build tree"
	# shellcheck disable=SC2086
	if "$cc" -std=c11 -Wall -Wextra -Werror "$src/examples/$name.c" \
		$flags -o "$root/$name" &&
	   uses_installed "$root/$name" &&
	   (cd "$src/examples" && "$root/$name") >"$root/$name.out" &&
	   (cd "$src/examples" && "$exe") >"$root/$name.want" &&
	   [ -s "$root/$name.out" ] &&
	   cmp -s "$root/$name.out" "$root/$name.want"; then
		ok "$t"
	else
		not_ok "$t"
	fi
done
echo "1..$n"
exit $status

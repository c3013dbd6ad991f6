#!/bin/sh
# deps.sh - install the Debian packages cotlog needs to build and test,
# only those that are missing. Run as root or with sudo available.
set -eu

pkgs="gcc pkg-config meson ninja-build libpcre2-dev libjansson-dev zlib1g-dev
libutf8proc-dev libcmocka-dev python3 jq parallel time clang"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
updated=0
install() {	# install PACKAGE...: those not installed yet
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "deps.sh: installing:$missing" >&2
	if [ $updated -eq 0 ]; then
		$sudo apt-get update -qq
		updated=1
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		$missing >&2
}

# shellcheck disable=SC2086
install $pkgs
# libFuzzer is in clang's runtime package, named after its version
v=$(clang -dumpversion | cut -d. -f1)
[ -f "$(clang -print-file-name=libclang_rt.fuzzer-$(uname -m).a)" ] ||
	install "libclang-rt-$v-dev"
# node and npm, with which the tokenizer test installs the Rust crate's
# binding to compare with: any install of them will do (a node from
# elsewhere has its own npm, which Debian's would conflict with), and
# without them that test skips, saying so
for tool in node npm; do
	command -v $tool >/dev/null 2>&1 && continue
	pkg=$tool
	[ $tool = node ] && pkg=nodejs
	install $pkg || echo "deps.sh: $pkg not installed: the tokenizer" \
		"comparison with the Rust crate will skip" >&2
done
# Chromium, in which the report's test opens its pages (through
# playwright-core, which it installs with npm); without it that test
# skips, saying so
install chromium fonts-dejavu-core || echo "deps.sh: chromium not" \
	"installed: the report's browser test will skip" >&2
# The Python package's tests (tests/python): venv for the offline
# install test, pytest to run them, dask and distributed for the cluster
# test; without them those tests skip, saying so
install python3-venv python3-pytest python3-dask python3-distributed ||
	echo "deps.sh: the Python test packages not installed: the python" \
	"suite will skip" >&2

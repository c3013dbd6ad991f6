#!/bin/sh
# deps.sh - install the Debian packages cotlog needs to build and test,
# only those that are missing. Run as root or with sudo available.
set -eu

pkgs="gcc pkg-config meson ninja-build libpcre2-dev libjansson-dev zlib1g-dev
libcmocka-dev python3 jq parallel time"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >&2

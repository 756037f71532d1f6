#!/bin/sh
# Install the Debian packages grouprev needs to build and test, when they
# are missing.  As root it runs apt-get; otherwise it prints the command.
PKGS="gcc make pkg-config libcsv-dev libgsl-dev libcairo2-dev libpango1.0-dev \
libcmocka-dev fonts-dejavu-core poppler-utils valgrind libx12-parser-perl"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
		|| missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "grouprev needs these Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq $missing >/dev/null \
		|| { echo "apt-get install failed" >&2; exit 1; }
	echo "installed:$missing"
else
	echo "run as root:  apt-get install$missing" >&2
	exit 1
fi

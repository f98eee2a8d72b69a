#!/usr/bin/env bash
# Installs the Debian packages Sluice needs to build, test and run, and only those that are
# missing. Safe to run again. Uses sudo when not run as root.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-image-formats-plugins qt6-translations-l10n libquazip1-qt6-dev libgl-dev
    libexiv2-dev liblcms2-dev libheif-dev libjxl-dev libjpeg-dev zlib1g-dev
    libheif-examples libjxl-tools
    # Ghostscript's ICC profiles: a press CMYK profile (SWOP) for the CMYK JPEG tests.
    libgs-common
    xvfb xauth imagemagick libvips-tools fonts-dejavu-core clang libclang-rt-14-dev
    # GNU parallel: the shards-over-parallel test (tests/cli/parallel-shards.sh).
    parallel
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} required packages are installed"
    exit 0
fi

echo "setup: installing missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "setup: not root and no sudo: install these packages first: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"

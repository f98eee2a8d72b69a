#!/bin/sh
# Renders resources/icons/sluice.svg to the committed PNGs in resources/icons/png/ (the hicolor
# sizes the desktop integration installs, also embedded for the window icon). Run it after
# changing the SVG. Needs ImageMagick (its own SVG renderer is enough: no gradients in the SVG).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
for size in 16 32 48 64 128 256; do
    # Render at 4x the target density, then downscale, for clean edges at small sizes.
    convert -background none -density $((96 * size / 128 * 4)) "$here/resources/icons/sluice.svg" \
        -resize "${size}x${size}" "png32:$here/resources/icons/png/sluice-$size.png"
done

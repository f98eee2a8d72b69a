// The geometry of one resize, computed from the (EXIF-oriented) source size and the recipe
// before any pixel is decoded. Pure arithmetic: no I/O, any thread.
#pragma once

#include "recipe.h"

#include <QRect>
#include <QSize>

namespace sluice {

struct ResizePlan
{
    QSize scaledSize; // the whole oriented image is smooth-scaled to this size...
    QRect crop;       // ...then this rectangle of it is kept (all of it, except for Fill)

    QSize outputSize() const { return crop.size(); }
    bool isIdentity(QSize source) const { return scaledSize == source && crop.size() == source; }

    // Fit and the edge modes never upscale unless recipe.upscale; Fill and Exact always give
    // exactly the box; Percent always applies. Every side is at least 1 pixel.
    static ResizePlan compute(QSize orientedSource, const Recipe &recipe);

    // The size to ask a JPEG decoder for (QImageReader::setScaledSize) so that libjpeg can
    // use its DCT scaling (1/2, 1/4, 1/8) while every side stays >= `atLeast`. Both sizes are
    // in the file's stored orientation. Returns rawSource when no reduction fits.
    static QSize jpegDecodeSize(QSize rawSource, QSize atLeast);

    // The centred part of `source` with the aspect ratio of `box`: what Fill keeps of an image.
    // Computed on the source, so it holds for any size (the scaled size of a plan does not fit
    // an int when a very thin image is enlarged to cover a box).
    static QRect centredCrop(QSize source, QSize box);
};

} // namespace sluice

#include "resamplestage.h"

#include "resampler.h"

#include <QPainter>

namespace sluice {

namespace {

QImage flattenOntoWhite(const QImage &image)
{
    // Paint over white rather than dropping alpha: colour hidden under transparent pixels
    // (often garbage, or red in our tests) must not show.
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.setDevicePixelRatio(image.devicePixelRatio());
    flat.fill(Qt::white);
    QPainter painter(&flat);
    painter.drawImage(0, 0, image);
    painter.end();
    return flat;
}

} // namespace

ColouredImage resample(ColouredImage image, const ResizePlan &plan, ResizeMode mode, bool keepAlpha)
{
    QImage &pixels = image.pixels;
    const QSize box = plan.crop.size();
    if (mode == ResizeMode::Fill &&
        (pixels.width() < box.width() || pixels.height() < box.height())) {
        // Covering the box means enlarging: crop first (at most the box's size is kept), then
        // scale. Scaled whole, a 10x10,000,000 strip (a 55-byte BMP) covering 48x32 would be
        // 48x48,000,000 on the way: 9 GB.
        pixels = sluice::resample(pixels.copy(ResizePlan::centredCrop(pixels.size(), box)), box);
    } else {
        if (pixels.size() != plan.scaledSize)
            pixels = sluice::resample(pixels, plan.scaledSize);
        if (plan.crop != pixels.rect())
            pixels = pixels.copy(plan.crop);
    }
    if (pixels.hasAlphaChannel() && !keepAlpha) {
        pixels = flattenOntoWhite(pixels);
        image.iccProfile.clear();
    }
    return image;
}

ColouredImage sharpenedAfterReducing(ColouredImage image, const ResizePlan &plan, QSize source,
                                     bool sharpen)
{
    const QSize scaled = plan.scaledSize;
    const bool reduced =
        scaled.width() <= source.width() && scaled.height() <= source.height() && scaled != source;
    if (!sharpen || !reduced)
        return image;
    if (QImage sharper = unsharpMask(image.pixels); !sharper.isNull())
        image.pixels = std::move(sharper);
    return image;
}

} // namespace sluice

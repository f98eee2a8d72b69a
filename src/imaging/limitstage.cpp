#include "limitstage.h"

#include "decodestage.h"

namespace sluice {

namespace {

QString megapixels(qint64 pixels)
{
    return QString::number(double(pixels) / 1e6, 'g', 6);
}

// A reduced-scale decode still reads all of the file's compressed data (a JPEG's entropy
// coding covers every block), so the header may exceed the limit by this much and no more.
constexpr qint64 ReducedDecodeHeadroom = 16;

bool exceeds(QSize size, qint64 maxPixels)
{
    return maxPixels > 0 && qint64(size.width()) * size.height() > maxPixels;
}

} // namespace

QString overPixelLimit(QSize size, qint64 maxPixels)
{
    if (!exceeds(size, maxPixels))
        return {};
    return QStringLiteral("image is %1×%2, over the %3 MP limit")
        .arg(size.width())
        .arg(size.height())
        .arg(megapixels(maxPixels));
}

StageResult<ResizePlan> checkLimits(const ImageProbe &probe, const Recipe &recipe,
                                    const ImageDecoder *decoder)
{
    const qint64 maxPixels = recipe.limits.maxPixels;
    const ResizePlan plan = ResizePlan::compute(probe.orientedSize(), recipe);
    QSize allocated =
        decoder ? decoder->decodedSize(decodeRequestFor(probe, plan, recipe)) : QSize();
    if (allocated.isEmpty() || exceeds(probe.size, maxPixels * ReducedDecodeHeadroom))
        allocated = probe.size;
    if (exceeds(allocated, maxPixels)) {
        QString over = overPixelLimit(probe.size, maxPixels);
        if (allocated != probe.size)
            over += QStringLiteral(" even decoded at %1×%2")
                        .arg(allocated.width())
                        .arg(allocated.height());
        return TaskOutcome::permanentFailure(over);
    }
    if (!probe.damage.isEmpty())
        return TaskOutcome::permanentFailure(probe.damage);
    // Fill's scaled size may be larger than what it keeps; an enlarging Fill crops first (the
    // resample stage), so only the output counts.
    const QSize outputSize = plan.outputSize();
    if (exceeds(outputSize, maxPixels))
        return TaskOutcome::permanentFailure(
            QStringLiteral("the output would be %1×%2, over the %3 MP limit")
                .arg(outputSize.width())
                .arg(outputSize.height())
                .arg(megapixels(maxPixels)));
    return plan;
}

} // namespace sluice

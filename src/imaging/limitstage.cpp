#include "limitstage.h"

namespace sluice {

namespace {

QString megapixels(qint64 pixels)
{
    return QString::number(double(pixels) / 1e6, 'g', 6);
}

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

StageResult<ResizePlan> checkLimits(const ImageProbe &probe, const Recipe &recipe)
{
    const qint64 maxPixels = recipe.limits.maxPixels;
    if (const QString over = overPixelLimit(probe.size, maxPixels); !over.isEmpty())
        return TaskOutcome::permanentFailure(over);
    if (!probe.damage.isEmpty())
        return TaskOutcome::permanentFailure(probe.damage);
    const ResizePlan plan = ResizePlan::compute(probe.orientedSize(), recipe);
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

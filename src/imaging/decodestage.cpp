#include "decodestage.h"

#include "failpoints.h"
#include "limitstage.h"

namespace sluice {

namespace {

// A reduced-scale decode keeps at least this many times the plan's scaled size on both sides,
// and the resample stage's Lanczos3 does the rest. libjpeg's DCT scaling is a soft, aliasing
// shrink that a filter with less than 2x left to do cannot repair: on real photos, decoding to
// at least 1x the target was 6-13 dB further from ImageMagick's -resize than vipsthumbnail at
// the worst, at least 2x is within 1.2 dB of it (bench/README.md, "Resampling").
constexpr int DecodeHeadroom = 2;

} // namespace

DecodeRequest decodeRequestFor(const ImageProbe &probe, const ResizePlan &plan,
                               const Recipe &recipe)
{
    DecodeRequest request;
    request.metadata = recipe.metadata != MetadataPolicy::None;
    const QSize oriented = probe.orientedSize();
    const auto smaller = [&](QSize size) {
        return size.width() < oriented.width() && size.height() < oriented.height();
    };
    if (!probe.reducedScale || !smaller(plan.scaledSize))
        return request;
    request.target = plan.scaledSize;
    request.resampleTo = plan.scaledSize;
    const QSize atLeast = plan.scaledSize * DecodeHeadroom;
    if (atLeast.width() <= oriented.width() && atLeast.height() <= oriented.height())
        request.atLeast = atLeast;
    return request;
}

StageResult<DecodedImage> decodeImage(ImageDecoder &decoder, const ImageProbe &probe,
                                      const Recipe &recipe, ResizePlan &plan,
                                      const QString &subject)
{
    const DecodeRequest request = decodeRequestFor(probe, plan, recipe);
    if (const FailAction injected = Failpoints::hit("decode", subject);
        injected != FailAction::None)
        return injected == FailAction::Permanent
                   ? TaskOutcome::permanentFailure(Failpoints::message(injected, "decode"))
                   : TaskOutcome::transientFailure(Failpoints::message(injected, "decode"));
    DecodedImage decoded = decoder.decode(request);
    if (decoded.pixels.isNull())
        return TaskOutcome::permanentFailure(
            QStringLiteral("corrupt or truncated %1 data: %2")
                .arg(QString::fromLatin1(probe.format), decoded.error));
    // Another size than the header promised (without a reduced decode): the output keeps its
    // planned size (its name is reserved), reached from what is there.
    if (decoded.pixels.size() != probe.orientedSize() && !decoded.reducedScale) {
        if (const QString over = overPixelLimit(decoded.pixels.size(), recipe.limits.maxPixels);
            !over.isEmpty())
            return TaskOutcome::permanentFailure(over);
        const QSize planned = plan.outputSize();
        if (recipe.mode == ResizeMode::Fill)
            decoded.pixels =
                decoded.pixels.copy(ResizePlan::centredCrop(decoded.pixels.size(), planned));
        plan = ResizePlan{planned, QRect(QPoint(0, 0), planned)};
    }
    return decoded;
}

} // namespace sluice

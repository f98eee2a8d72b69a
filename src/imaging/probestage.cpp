#include "probestage.h"

#include "imageresult.h"

#include <QMimeDatabase>

namespace sluice {

TaskOutcome skippedNotAnImage(const QString &why)
{
    ImageResult result;
    result.skip = ImageResult::Skip::NotAnImage;
    return TaskOutcome::skipped(why, QVariant::fromValue(result));
}

StageResult<ProbedInput> probeInput(const QByteArray &bytes, const CodecRegistry &codecs)
{
    std::unique_ptr<ImageDecoder> decoder = codecs.decoderFor(bytes);
    if (!decoder) {
        const QString mime = QMimeDatabase().mimeTypeForData(bytes).name();
        if (mime.startsWith(QLatin1String("image/")))
            return TaskOutcome::permanentFailure(
                QStringLiteral("unsupported image format (%1)").arg(mime));
        return skippedNotAnImage(QStringLiteral("not an image (%1)").arg(mime));
    }
    ImageProbe probe = decoder->probe();
    if (!probe.error.isEmpty())
        return TaskOutcome::permanentFailure(
            QStringLiteral("cannot read the %1 header: %2")
                .arg(QString::fromLatin1(probe.format), probe.error));
    return ProbedInput{std::move(decoder), std::move(probe)};
}

} // namespace sluice

#include "encodestage.h"

namespace sluice {

QByteArray outputFormatFor(OutputFormat format, const QByteArray &inputFormat)
{
    switch (format) {
    case OutputFormat::Jpeg:
        return "jpeg";
    case OutputFormat::Png:
        return "png";
    case OutputFormat::Webp:
        return "webp";
    case OutputFormat::Avif:
        return "avif";
    case OutputFormat::Jxl:
        return "jxl";
    case OutputFormat::Keep:
        break;
    }
    // A HEIC photo is kept as what every viewer opens (Sluice writes no HEIC).
    if (inputFormat == "heif")
        return "jpeg";
    static const QList<QByteArray> keepable = {"jpeg", "png", "webp", "bmp", "tiff", "avif", "jxl"};
    const QByteArray normalized = inputFormat == "jpg" ? QByteArray("jpeg") : inputFormat;
    return keepable.contains(normalized) ? normalized : QByteArray("png");
}

QString extensionFor(const QByteArray &format)
{
    if (format == "jpeg")
        return QStringLiteral("jpg");
    if (format == "tiff")
        return QStringLiteral("tif");
    return QString::fromLatin1(format);
}

EncodeStage::EncodeStage(QByteArray format, const ImageEncoder *encoder, const Recipe &recipe)
    : m_format(std::move(format))
    , m_encoder(encoder)
    , m_settings{recipe.quality, recipe.progressive, recipe.pngCompression, recipe.lossless,
                 recipe.effort}
{}

StageResult<EncodeStage> EncodeStage::choose(const Recipe &recipe, const QByteArray &inputFormat,
                                             const CodecRegistry &codecs)
{
    QByteArray format = outputFormatFor(recipe.format, inputFormat);
    const ImageEncoder *encoder = codecs.encoderFor(format);
    if (!encoder && recipe.format == OutputFormat::Keep) { // "PNG otherwise"
        format = "png";
        encoder = codecs.encoderFor(format);
    }
    if (!encoder)
        return TaskOutcome::permanentFailure(
            QStringLiteral("cannot write %1 here (image format plugin missing)")
                .arg(QString::fromLatin1(format)));
    return EncodeStage(format, encoder, recipe);
}

StageResult<QByteArray> EncodeStage::encode(const ColouredImage &image,
                                            const ImageMetadata &metadata, QString *warning) const
{
    EncodedImage encoded =
        m_encoder->encode({image.pixels, image.iccProfile, metadata}, m_settings);
    if (!encoded.ok)
        return TaskOutcome::permanentFailure(
            QStringLiteral("encoding %1 failed: %2")
                .arg(QString::fromLatin1(m_format), encoded.error));
    if (warning)
        *warning = encoded.warning;
    return std::move(encoded.bytes);
}

} // namespace sluice

// Stage 8 of the image job: encode. The output format is chosen from the recipe and the input's
// format before the output name is reserved (the name's extension depends on it), and the
// encoder for it comes from the codec registry; after the metadata stage the image is encoded
// into memory with the recipe's settings.
//
// Threading: an EncodeStage is a small value; encode() is const and reentrant.
#pragma once

#include "codec.h"
#include "colourstage.h"
#include "recipe.h"
#include "stageresult.h"

#include <QByteArray>
#include <QString>

namespace sluice {

// The format name used to encode an input of format `inputFormat` under `format`
// ("jpeg", "png", "webp"; Keep keeps jpeg/png/webp/bmp/tiff and falls back to png).
QByteArray outputFormatFor(OutputFormat format, const QByteArray &inputFormat);
// The file extension for a format name ("jpeg" -> "jpg", "tiff" -> "tif").
QString extensionFor(const QByteArray &format);

class EncodeStage
{
public:
    // The encoder for what `recipe` makes of an input of `inputFormat`, or a permanent failure
    // "cannot write <format> here (image format plugin missing)". `codecs` must outlive the
    // stage.
    static StageResult<EncodeStage> choose(const Recipe &recipe, const QByteArray &inputFormat,
                                           const CodecRegistry &codecs);

    QByteArray format() const { return m_format; }
    QString extension() const { return extensionFor(m_format); }
    // False: the resample stage flattens onto white.
    bool keepsAlpha() const { return m_encoder->keepsAlpha(); }

    // In: the resampled image and the metadata to embed. Out: the encoded bytes, or a
    // permanent failure "encoding <format> failed: ...". Metadata that could not be embedded
    // is left out of the bytes, and `warning` says why.
    StageResult<QByteArray> encode(const ColouredImage &image, const ImageMetadata &metadata,
                                   QString *warning = nullptr) const;

private:
    EncodeStage(QByteArray format, const ImageEncoder *encoder, const Recipe &recipe);

    QByteArray m_format;
    const ImageEncoder *m_encoder;
    EncodeSettings m_settings;
};

} // namespace sluice

// The codec over Qt's image plugins: QImageReader for every format Qt reads (recognised by
// content), QImageWriter for every format Qt writes.
//
// What Qt gives and what it does not:
//   - probe: format, size, EXIF orientation, frame/page count (QImageReader::imageCount());
//     reduced-scale decoding for JPEG only (libjpeg's DCT scaling through setScaledSize()).
//   - decode: the first frame, orientation applied (autoTransform). The ICC profile is the one
//     Qt attaches as QImage::colorSpace(); a profile Qt cannot parse (CMYK, LUT-based) is lost
//     there. EXIF, XMP, IPTC and the JPEG comment are read by Exiv2 (exivmetadata.h) from the
//     file's bytes, a PNG's text chunks by Qt, and only when the request asks for metadata.
//   - encode: writes the ICC profile through QImage::colorSpace() (JPEG, PNG, WebP) and the
//     text entries (PNG tEXt, JPEG COM "key: value"), never the text a reader left in the
//     QImage; Exiv2 then embeds the EXIF, XMP and IPTC blocks and the JPEG comment into the
//     encoded bytes (PNG: EXIF as an eXIf chunk, the comment as "Comment" text).
//
// Threading: QtCodec and its encoders are read-only and shared by every worker; a QtDecoder is
// used by one worker.
#pragma once

#include "codec.h"

#include <QBuffer>
#include <QImageReader>
#include <map>

namespace sluice {

class QtDecoder final : public ImageDecoder
{
public:
    // Opens a reader over `bytes` (shared, not copied); format() is empty when no Qt plugin
    // recognises the content.
    explicit QtDecoder(const QByteArray &bytes);
    QByteArray format() const { return m_format; }

    ImageProbe probe() override;
    QSize decodedSize(const DecodeRequest &request) const override;
    DecodedImage decode(const DecodeRequest &request) override;
    ImageMetadata metadata(QString *problem) override;

private:
    DecodedImage decodeCmyk(const DecodeRequest &request);
    DecodedImage decodeResampled(const DecodeRequest &request);
    ImageMetadata metadataOf(const QImage &pixels, QString *problem, QByteArray *iccProfile) const;
    void readBlocks(DecodedImage &decoded, const DecodeRequest &request, const QImage &pixels,
                    QByteArray &profile) const;

    bool m_topDown = false; // a top-down BMP, read as bottom-up and turned back (qtcodec.cpp)
    bool m_cmyk = false;    // a CMYK JPEG, decoded with libjpeg (jpegturbo.h)
    QByteArray m_bytes;
    QBuffer m_buffer;
    QImageReader m_reader;
    QByteArray m_format;
    ImageProbe m_probe;
};

class QtEncoder final : public ImageEncoder
{
public:
    explicit QtEncoder(QByteArray format);

    QByteArray format() const override { return m_format; }
    bool keepsAlpha() const override; // PNG, WebP, TIFF
    // The pixels are written with input.iccProfile as their colour space: as they are when
    // they already carry that profile (Qt's readers attach the file's), otherwise with the
    // colour space made from the profile (none for an empty one).
    EncodedImage encode(const EncodeInput &input, const EncodeSettings &settings) const override;

private:
    QByteArray m_format;
};

class QtCodec final : public ImageCodec
{
public:
    // One encoder per format QImageWriter supports here.
    QtCodec();

    std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const override;
    const ImageEncoder *encoderFor(const QByteArray &format) const override;

private:
    std::map<QByteArray, QtEncoder> m_encoders;
};

} // namespace sluice

// The codec over libjxl: JPEG XL in and out.
//
//   - recognised by content: the bare codestream (FF 0A) or the container's signature box;
//   - probe: the size before orientation and the orientation from the codestream's header
//     (decode() applies it once: libjxl turns the pixels, and the metadata stage writes
//     Orientation 1), the frame count of an animation;
//   - decode: the first frame, 8-bit samples as 8-bit, deeper ones (and floating point) as
//     16-bit; gray stays gray; alpha kept. The colour space as an ICC profile (none for sRGB),
//     the EXIF ("Exif" box) and XMP ("xml " box) blocks, compressed ones ("brob") included;
//   - encode: lossy at a distance mapped from --quality as cjxl maps it, or --lossless (the
//     pixels exactly, in the original colour space); --effort 1..9 (default 7, cjxl's); the ICC
//     profile, or the sRGB colour encoding when there is none; EXIF and XMP in boxes.
//
// Each encode and decode runs on the calling worker's thread (no libjxl thread pool: the
// worker pool already keeps every core busy).
//
// Threading: JxlCodec and its encoder are read-only and shared by every worker; a JxlDecoder is
// used by one worker.
#pragma once

#include "codec.h"

namespace sluice {

class JxlImageDecoder final : public ImageDecoder
{
public:
    explicit JxlImageDecoder(const QByteArray &bytes);

    ImageProbe probe() override;
    DecodedImage decode(const DecodeRequest &request) override;
    ImageMetadata metadata(QString *problem) override;

private:
    QByteArray m_bytes;
    ImageProbe m_probe;
};

class JxlImageEncoder final : public ImageEncoder
{
public:
    QByteArray format() const override { return QByteArrayLiteral("jxl"); }
    bool keepsAlpha() const override { return true; }
    EncodedImage encode(const EncodeInput &input, const EncodeSettings &settings) const override;
};

class JxlCodec final : public ImageCodec
{
public:
    std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const override;
    const ImageEncoder *encoderFor(const QByteArray &format) const override;

private:
    JxlImageEncoder m_encoder;
};

// The butteraugli distance cjxl uses for a --quality (100: 0, lossless-like; 90: 1.0,
// "visually lossless"; 85: 1.45; 30 and below: rising steeply).
float jxlDistanceForQuality(int quality);

} // namespace sluice

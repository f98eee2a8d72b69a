// The codec over libheif: HEIC/HEIF and AVIF in, AVIF out.
//
// What libheif gives and what this codec does with it:
//   - recognised by content: the file type box's brands (heic, heix, mif1, avif, ...);
//   - probe: the primary image's size as displayed (libheif applies the irot/imir/clap
//     transforms itself, so the orientation reported is 1 and an EXIF Orientation in the file
//     is never applied again: libheif #227, #498, #680), the number of top-level images, and
//     whether the file holds thumbnails;
//   - decode: the primary image only (grids assembled by libheif, depth and auxiliary images
//     left out), 8-bit files as 8-bit RGB(A), deeper ones (10, 12 bit) as 16-bit RGB(A); the
//     embedded ICC profile, or an ICC profile made from the nclx colour description
//     (colourstage.h), and the EXIF and XMP blocks. A thumbnail at least as large as the
//     request's target (and of the same shape) is decoded instead of the image, as libvips'
//     thumbnail does: that is what makes a 256 px HEIC thumbnail fast;
//   - encode: AVIF through libheif's AV1 encoder (libaom here), 8-bit (libheif 1.15 with
//     Debian's libaom 3.6 aborts on 10-bit AV1, heif-enc -b 10 included); 4:4:4 chroma at
//     quality 90 and above, 4:2:0 below; libaom speed from --effort; the ICC profile, or nclx
//     sRGB when there is none; EXIF and XMP as metadata items.
//
// Not seen here: an nclx colour description stored only in the HEVC bitstream (libheif 1.15
// reports colr boxes only), so such a file is taken as sRGB.
//
// Limits: the limit stage checks the probed size (the primary image's, or the thumbnail's that
// will be decoded) against the pixel limit before decode(); libheif's own security limits
// refuse absurd grids and boxes. A coded image larger than the header says (found by fuzz_heif:
// a "40x30" file decoding to 10240x7680) is refused by libheif before it allocates the pixels:
// probe() sets libheif's size limit to the header's longer side plus 1024 (grid tiles cropped
// by a clap box), and decode() refuses any other size than the header's.
//
// Threading: HeifCodec and its encoder are read-only and shared by every worker; each encode
// builds its own libheif context and encoder. A HeifDecoder is used by one worker.
#pragma once

#include "codec.h"

#include <memory>

struct heif_context;
struct heif_image_handle;

namespace sluice {

class HeifDecoder final : public ImageDecoder
{
public:
    // `format` is "heif" or "avif", from the brands.
    HeifDecoder(const QByteArray &bytes, QByteArray format);
    ~HeifDecoder() override;

    ImageProbe probe() override;
    QSize decodedSize(const DecodeRequest &request) const override;
    DecodedImage decode(const DecodeRequest &request) override;
    ImageMetadata metadata(QString *problem) override;

private:
    struct Handles;
    // The thumbnail that decode(request) would use (its index among the thumbnails), or -1.
    int thumbnailFor(const DecodeRequest &request) const;

    QByteArray m_bytes; // libheif reads them in place
    QByteArray m_format;
    std::unique_ptr<Handles> m_handles;
    ImageProbe m_probe;
};

class AvifEncoder final : public ImageEncoder
{
public:
    QByteArray format() const override { return QByteArrayLiteral("avif"); }
    bool keepsAlpha() const override { return true; }
    EncodedImage encode(const EncodeInput &input, const EncodeSettings &settings) const override;
};

class HeifCodec final : public ImageCodec
{
public:
    HeifCodec();

    std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const override;
    const ImageEncoder *encoderFor(const QByteArray &format) const override;

    // True when libheif here can encode AV1 (Debian's libheif1 links libaom).
    bool canWriteAvif() const { return m_canWriteAvif; }

private:
    bool m_canWriteAvif = false;
    AvifEncoder m_avif;
};

} // namespace sluice

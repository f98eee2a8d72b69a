// Codecs: how the image job reads and writes a format. A decoder is picked by sniffing the
// input's content, an encoder by the output format's name; the stages in between never see a
// codec library. Qt's QImageReader/QImageWriter (qtcodec.h) are the first implementation;
// libheif (HEIC/AVIF, heifcodec.h) and libjxl (JPEG XL, jxlcodec.h) come before them in the
// built-in registry.
//
// Ownership and threads: a CodecRegistry owns its codecs, and each codec owns its encoders.
// All of them are read-only once built, so every pool worker may use one registry (and one
// encoder) at the same time. A decoder is made for one input, used by one worker, and dropped
// after decode(): it shares the input's bytes until then.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QPair>
#include <QSize>
#include <QString>
#include <memory>
#include <vector>

namespace sluice {

// Metadata as a file holds it, as raw blocks. Empty where a file has none or the codec cannot
// hand it over.
struct ImageMetadata
{
    QByteArray exif; // the TIFF structure from its byte order mark ("II*\0" or "MM\0*") on
    QByteArray xmp;  // the XMP packet (XML, UTF-8)
    QByteArray iptc; // IPTC-IIM records
    QString comment; // the JPEG comment (COM), or a PNG's "Comment" text
    // Text entries (PNG tEXt/zTXt/iTXt keys other than those above). Decoders hand over the
    // file's; the metadata stage chooses which to write and adds Sluice's stamps
    // (FingerprintKey, SourceKey). Encoders write them as PNG text or JPEG COM "key: value".
    QList<QPair<QString, QString>> text;

    bool hasBlocks() const
    {
        return !exif.isEmpty() || !xmp.isEmpty() || !iptc.isEmpty() || !comment.isEmpty();
    }
};

// The TIFF structure in the content of an ISO BMFF "Exif" box or item (HEIF, JPEG XL): a
// 4-byte big-endian offset, then that many bytes (usually "Exif\0\0" or nothing), then the TIFF
// header. Empty when there is none.
QByteArray tiffOfExifBox(const QByteArray &box);

// Whether an ICC profile describes gray pixels (its header's colour space is 'GRAY').
bool iccProfileIsGray(const QByteArray &profile);

// What a decoder learns from the header, before any pixel is decoded.
struct ImageProbe
{
    QByteArray format; // by content: "jpeg", "png", "gif", ... (set even when error is)
    QString error;     // non-empty: the header cannot be read, and why
    // The size decode() allocates at full scale, in stored orientation (for a GIF the whole
    // logical screen, which a hostile file makes far larger than its first frame).
    QSize size;
    int orientation = 1;       // EXIF orientation 1..8, applied by decode(); 5..8 swap the sides
    int frameCount = 1;        // frames or pages; decode() delivers the first
    bool reducedScale = false; // decode() can decode at a reduced scale (JPEG DCT scaling)
    // Non-empty: the data is known to be incomplete although decoding would "succeed" (a JPEG
    // without its end marker decodes with grey filler). The job fails with this message once the
    // limits have been checked.
    QString damage;

    bool swapsSides() const { return orientation >= 5; }
    QSize orientedSize() const { return swapsSides() ? size.transposed() : size; }
};

struct DecodeRequest
{
    // Empty: decode at full scale. Otherwise the decoder may decode at a reduced scale (only
    // when the probe said reducedScale) as long as every side of the result, as displayed,
    // stays at least this large.
    QSize atLeast;
    // Empty: no reduced scale. Otherwise the size the output is resampled to (as displayed):
    // a decoder may decode an embedded thumbnail instead of the image when the thumbnail is at
    // least this large on every side (a HEIF thumbnail, encoded from the full image, needs no
    // headroom for a soft shrink the way libjpeg's DCT scaling does).
    QSize target;
    // Empty: the pixels are handed over as decoded. Otherwise the size (as displayed) that the
    // resample stage brings them to next: a decoder that can resample as it decodes (a JPEG read
    // scanline by scanline) may hand them over at this size, resampled exactly as the stage
    // would, with reducedScale set, so that the decoded image is never held whole.
    QSize resampleTo;
    // False: the output carries none of the input's metadata, so the decoder need not read it.
    bool metadata = true;
};

// What decode() hands over: the first frame, with the orientation applied exactly once.
struct DecodedImage
{
    QImage pixels;             // null: decoding failed (error says why)
    QString error;             // the codec's reason, without the format
    bool reducedScale = false; // decoded at a reduced scale on request
    QByteArray iccProfile;     // the embedded ICC profile; empty: none (or one the codec drops)
    QString colourNote;        // non-empty: colour information the codec could not hand over
    ImageMetadata metadata;    // empty unless the request asked for metadata
    QString metadataProblem;   // non-empty: part of the metadata could not be read, and why
};

// An image's header and pixels, for one input. Call probe() once, then decode() at most once.
class ImageDecoder
{
public:
    virtual ~ImageDecoder() = default;
    // Reads the header only: cheap, allocates no pixels.
    virtual ImageProbe probe() = 0;
    // The size decode(request) allocates, in stored orientation, after probe(). Empty: the
    // probed size (a decoder that cannot decode at a reduced scale).
    virtual QSize decodedSize(const DecodeRequest &request) const
    {
        Q_UNUSED(request);
        return {};
    }
    virtual DecodedImage decode(const DecodeRequest &request) = 0;
    // The file's EXIF and XMP blocks without decoding a pixel, after probe(): for names built
    // from the capture date or the camera. A part that cannot be read sets `problem`. The default
    // (formats without metadata) is empty.
    virtual ImageMetadata metadata(QString *problem)
    {
        Q_UNUSED(problem);
        return {};
    }
};

// The recipe's encoding settings.
struct EncodeSettings
{
    int quality = 85;         // 0..100; lossy formats
    bool progressive = false; // JPEG only
    int pngCompression = 6;   // PNG only: zlib level 0..9
    bool lossless = false;    // WebP and JPEG XL: lossless
    int effort = 0;           // AVIF and JPEG XL: 1 (fastest) .. 9 (smallest); 0: the default
};

// What an encoder writes: the pixels, the profile to embed, the metadata to embed.
struct EncodeInput
{
    QImage pixels;
    QByteArray iccProfile; // the profile that describes the pixels; empty: none
    ImageMetadata metadata;
};

struct EncodedImage
{
    bool ok = false;
    QByteArray bytes;
    QString error;   // for !ok: the codec's reason, without the format
    QString warning; // for ok: what could not be written (the metadata), and why
};

// One output format. Const and thread-safe: every worker shares one encoder.
class ImageEncoder
{
public:
    virtual ~ImageEncoder() = default;
    virtual QByteArray format() const = 0; // "jpeg", "png", ...
    // False: the format holds no alpha channel, and the pipeline flattens onto white first.
    virtual bool keepsAlpha() const = 0;
    // Encodes into memory.
    virtual EncodedImage encode(const EncodeInput &input, const EncodeSettings &settings) const = 0;
};

// One codec library: the decoders for the content it recognises, the encoders it has.
class ImageCodec
{
public:
    virtual ~ImageCodec() = default;
    // A decoder for `bytes` when they are content this codec reads (sniffed, never by file
    // name), else nullptr. The decoder shares `bytes` (implicitly) until it is destroyed.
    virtual std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const = 0;
    // The encoder for a format name, else nullptr. Owned by the codec.
    virtual const ImageEncoder *encoderFor(const QByteArray &format) const = 0;
};

// The codecs the job may use, asked in the order they were added: add specialised codecs
// (libheif, libjxl) before a catch-all such as Qt's.
class CodecRegistry
{
public:
    void add(std::unique_ptr<ImageCodec> codec);

    // The first codec's decoder for this content, else nullptr (not an image any codec reads).
    std::unique_ptr<ImageDecoder> decoderFor(const QByteArray &bytes) const;
    // The first codec's encoder for this format, else nullptr (no codec writes it here).
    const ImageEncoder *encoderFor(const QByteArray &format) const;

    // What processImage() uses: Qt's readers and writers. Built on first use, never changed.
    static const CodecRegistry &builtIn();

private:
    std::vector<std::unique_ptr<ImageCodec>> m_codecs;
};

} // namespace sluice

#include "qtcodec.h"

#include "colourstage.h"
#include "exivmetadata.h"
#include "jpegturbo.h"
#include "metadatastage.h"
#include "resampler.h"
#include "resizeplan.h"

#include <QColorSpace>
#include <QImageWriter>
#include <QTransform>
#include <QtEndian>
#include <limits>

namespace sluice {

namespace {

// libjpeg treats a missing end of data as a warning and fills the rest with grey, and Qt then
// reports success. A complete JPEG has its EOI marker (FFD9) after the last start of scan
// (FFDA); trailing bytes after the EOI are fine, an embedded thumbnail's EOI comes earlier.
// Searched from the cheap ends: the last EOI is near the end of the file and the first scan
// near the start, so a 5 MB file costs a few kilobytes of searching, not a pass over the
// entropy-coded data (that pass was 10% of a thumbnail's instructions).
bool jpegLooksTruncated(const QByteArray &bytes)
{
    const QByteArray startOfScan = QByteArrayLiteral("\xFF\xDA");
    const qsizetype lastEnd = bytes.lastIndexOf(QByteArrayLiteral("\xFF\xD9"));
    if (lastEnd < 0)
        return true;
    if (bytes.indexOf(startOfScan, lastEnd) >= 0)
        return true; // a scan starts after the last end marker
    return bytes.indexOf(startOfScan) < 0;
}

// Qt's BMP reader fills the rows a file does not hold with whatever its buffer held (memory of
// this process, which would then be published in the output) and reports success. The pixel
// data of an uncompressed BMP (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS) has a known size: the
// file must hold it after the data offset. Compressed BMPs are left to the decoder.
bool bmpLooksTruncated(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    auto le16 = [&](qsizetype at) {
        return qint64(p[at] | p[at + 1] << 8);
    };
    auto le32 = [&](qsizetype at) {
        return qint32(quint32(le16(at)) | quint32(le16(at + 2)) << 16);
    };
    if (size < 26)
        return true;
    const qint64 offset = quint32(le32(10));
    const qint64 headerSize = quint32(le32(14));
    qint64 width = 0, height = 0, bitsPerPixel = 0, compression = 0;
    if (headerSize == 12) { // OS/2 BITMAPCOREHEADER
        width = le16(18);
        height = le16(20);
        bitsPerPixel = le16(24);
    } else {
        if (size < 34)
            return true;
        width = le32(18);
        height = le32(22);
        bitsPerPixel = le16(28);
        compression = quint32(le32(30));
    }
    if (compression != 0 && compression != 3 && compression != 6)
        return false;
    if (width <= 0 || height == 0 || bitsPerPixel <= 0)
        return false; // the decoder says what is wrong
    const qint64 stride = (width * bitsPerPixel + 31) / 32 * 4;
    return offset + stride * qAbs(height) > size;
}

// Qt's GIF reader returns whatever part of the first frame it decoded when the data stops
// early, and reports success. Walks the blocks up to the end of the first image's data: a
// sub-block that runs past the end of the file, or no image data at all, is truncation. (A file
// that ends exactly between sub-blocks may still hold every pixel and is left to the decoder.)
bool gifLooksTruncated(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
    const qsizetype size = bytes.size();
    if (size < 13)
        return true;
    qsizetype at = 13 + ((p[10] & 0x80) ? 3 * (2 << (p[10] & 7)) : 0); // global colour table
    auto subBlocksEnd = [&]() { // false: a block runs past the end
        while (at < size) {
            const int length = p[at];
            at += 1 + length;
            if (length == 0)
                return true;
        }
        return at == size;
    };
    while (at < size) {
        const uchar introducer = p[at++];
        if (introducer == 0x21) { // extension: label, then sub-blocks
            ++at;
            if (!subBlocksEnd())
                return true;
        } else if (introducer == 0x2c) { // image: descriptor, colour table, LZW size, data
            if (at + 9 > size)
                return true;
            const uchar flags = p[at + 8];
            at += 9 + ((flags & 0x80) ? 3 * (2 << (flags & 7)) : 0) + 1;
            return at >= size || !subBlocksEnd();
        } else {
            return false; // the trailer, or junk: the decoder has its own say
        }
    }
    return true;
}

// Qt reports a GIF's first frame size but decodes onto the whole logical screen, which a
// hostile file makes far larger than the frame (34 bytes: a 1x514 frame on an 8193x8705
// screen). The probe reports what is really allocated.
QSize gifAllocatedSize(QSize frame, const QByteArray &bytes)
{
    if (bytes.size() < 10)
        return frame;
    const auto *b = reinterpret_cast<const uchar *>(bytes.constData());
    const QSize screen(b[6] | (b[7] << 8), b[8] | (b[9] << 8));
    return screen.isEmpty() ? frame : frame.expandedTo(screen);
}

// Qt's transformation flags as the EXIF orientation (1..8) they stand for.
int exifOrientation(QImageIOHandler::Transformations transformation)
{
    switch (int(transformation)) {
    case QImageIOHandler::TransformationMirror:
        return 2;
    case QImageIOHandler::TransformationRotate180:
        return 3;
    case QImageIOHandler::TransformationFlip:
        return 4;
    case QImageIOHandler::TransformationFlipAndRotate90:
        return 5;
    case QImageIOHandler::TransformationRotate90:
        return 6;
    case QImageIOHandler::TransformationMirrorAndRotate90:
        return 7;
    case QImageIOHandler::TransformationRotate270:
        return 8;
    default:
        return 1;
    }
}

// `jpeg` with one COM segment "key: value" per text entry just before its first scan, after
// every other segment, so that the comment Exiv2 wrote stays the first one (the one viewers and
// exiftool show). Qt's reader reads them back as text(key). An entry longer than a segment
// holds is cut at the segment's size.
QByteArray withJpegTextSegments(const QByteArray &jpeg, const QList<QPair<QString, QString>> &text)
{
    const auto *p = reinterpret_cast<const uchar *>(jpeg.constData());
    qsizetype at = 2; // after SOI
    while (at + 4 <= jpeg.size() && p[at] == 0xFF && p[at + 1] != 0xDA)
        at += 2 + (p[at + 2] << 8 | p[at + 3]);
    if (at + 4 > jpeg.size() || p[at] != 0xFF)
        return jpeg; // not a JPEG this writer made: leave it whole
    QByteArray segments;
    for (const auto &[key, value] : text) {
        const QByteArray comment = (key + QLatin1String(": ") + value).toUtf8().left(65533);
        segments += char(0xFF);
        segments += char(0xFE);
        segments += char((comment.size() + 2) >> 8);
        segments += char((comment.size() + 2) & 0xFF);
        segments += comment;
    }
    return jpeg.left(at) + segments + jpeg.mid(at);
}

// `stored` turned as the EXIF orientation says, with its colour space and text. (Qt 6.4's
// autoTransform drops both from a turned image: every portrait photo lost its ICC profile.) The
// same steps as Qt's: mirror or flip first, then a quarter turn clockwise.
QImage upright(const QImage &stored, QImageIOHandler::Transformations transformation)
{
    if (stored.isNull() || transformation == QImageIOHandler::TransformationNone)
        return stored;
    const bool mirror = transformation & QImageIOHandler::TransformationMirror;
    const bool flip = transformation & QImageIOHandler::TransformationFlip;
    QImage image = mirror || flip ? stored.mirrored(mirror, flip) : stored;
    if (transformation & QImageIOHandler::TransformationRotate90)
        image = image.transformed(QTransform().rotate(90));
    image.setColorSpace(stored.colorSpace());
    for (const QString &key : stored.textKeys())
        image.setText(key, stored.text(key));
    return image;
}

// Qt 6.4's BMP reader refuses a valid top-down BMP (a negative height in its info header):
// `bytes` with the height made positive, and `topDown` set, so that decode() turns the rows
// back. Anything else is returned as it is.
QByteArray bottomUpBmp(const QByteArray &bytes, bool *topDown)
{
    *topDown = false;
    if (bytes.size() < 26 || !bytes.startsWith("BM"))
        return bytes;
    const qint32 headerSize = qFromLittleEndian<qint32>(bytes.constData() + 14);
    const qint32 height = qFromLittleEndian<qint32>(bytes.constData() + 22);
    if (headerSize < 40 || height >= 0 || height == std::numeric_limits<qint32>::min())
        return bytes;
    QByteArray patched = bytes;
    qToLittleEndian<qint32>(-height, patched.data() + 22);
    *topDown = true;
    return patched;
}

} // namespace

QtDecoder::QtDecoder(const QByteArray &bytes)
    : m_bytes(bottomUpBmp(bytes, &m_topDown))
    , m_buffer(&m_bytes)
    , m_reader(&m_buffer)
{
    m_buffer.open(QIODevice::ReadOnly);
    m_reader.setAutoTransform(false); // decode() turns the pixels upright itself
    m_format = m_reader.format();
}

ImageProbe QtDecoder::probe()
{
    m_probe = ImageProbe();
    m_probe.format = m_format;
    // The count comes first: Qt 6.4's TIFF handler counts the pages from where the device is,
    // which after the header has been read is no longer the start of the file (it says 1).
    const int frames = m_reader.imageCount();
    const QSize size = m_reader.size();
    // libjpeg says what Qt calls "Unknown error": a 12-bit or lossless JPEG is unsupported,
    // not damaged.
    const JpegHeader jpeg = m_format == "jpeg" ? readJpegHeader(m_bytes) : JpegHeader();
    m_cmyk = jpeg.cmyk;
    if (!size.isValid() || size.isEmpty()) {
        m_probe.error = m_reader.error() != QImageReader::UnknownError ? m_reader.errorString()
                        : jpeg.error.startsWith(QLatin1String("unsupported"))
                            ? jpeg.error
                            : QStringLiteral("the file is damaged or truncated");
        return m_probe;
    }
    m_probe.size = m_format == "gif" ? gifAllocatedSize(size, m_bytes) : size;
    m_probe.orientation = exifOrientation(m_reader.transformation());
    m_probe.frameCount = qMax(1, frames);
    m_probe.reducedScale = m_format == "jpeg";
    if (m_format == "jpeg" && jpegLooksTruncated(m_bytes))
        m_probe.damage = QStringLiteral("truncated JPEG data");
    else if (m_format == "gif" && gifLooksTruncated(m_bytes))
        m_probe.damage = QStringLiteral("truncated GIF data");
    else if (m_format == "bmp" && bmpLooksTruncated(m_bytes))
        m_probe.damage = QStringLiteral("truncated BMP data");
    return m_probe;
}

QSize QtDecoder::decodedSize(const DecodeRequest &request) const
{
    if (!m_probe.reducedScale || request.atLeast.isEmpty())
        return m_probe.size;
    // In stored orientation (the pixels are turned afterwards), and still at least the size
    // asked for.
    const QSize atLeast = m_probe.swapsSides() ? request.atLeast.transposed() : request.atLeast;
    return ResizePlan::jpegDecodeSize(m_probe.size, atLeast);
}

DecodedImage QtDecoder::decode(const DecodeRequest &request)
{
    if (m_cmyk)
        return decodeCmyk(request);
    if (m_format == "jpeg" && !request.resampleTo.isEmpty())
        if (DecodedImage resampled = decodeResampled(request); !resampled.pixels.isNull())
            return resampled;
    if (const QSize decodeSize = decodedSize(request); decodeSize != m_probe.size)
        m_reader.setScaledSize(decodeSize);
    DecodedImage decoded;
    QImage stored = m_reader.read();
    if (m_topDown)
        stored = std::move(stored).mirrored(false, true);
    decoded.pixels = upright(stored, m_reader.transformation());
    if (decoded.pixels.isNull()) {
        decoded.error = m_reader.errorString();
        return decoded;
    }
    decoded.reducedScale = !m_reader.scaledSize().isEmpty();
    decoded.iccProfile = decoded.pixels.colorSpace().iccProfile();
    // None, or one Qt 6.4 cannot parse (gray, LUT, CMYK): Exiv2's.
    readBlocks(decoded, request, decoded.pixels, decoded.iccProfile);
    return decoded;
}

// A CMYK JPEG: libjpeg's ink values, converted to sRGB through the file's CMYK profile (the
// image leaves this decoder in sRGB, untagged: no RGB output can carry a CMYK profile).
DecodedImage QtDecoder::decodeCmyk(const DecodeRequest &request)
{
    DecodedImage decoded;
    const QSize size = decodedSize(request);
    const CmykPixels cmyk = decodeCmykJpeg(m_bytes, size);
    if (!cmyk.error.isEmpty()) {
        decoded.error = cmyk.error;
        return decoded;
    }
    QByteArray profile;
    readBlocks(decoded, request, QImage(), profile);
    decoded.pixels =
        upright(srgbFromCmyk(cmyk.data, cmyk.size, cmyk.inverted, profile, &decoded.colourNote),
                m_reader.transformation());
    if (decoded.pixels.isNull())
        decoded.error = QStringLiteral("not enough memory for the RGB pixels");
    decoded.reducedScale = size != m_probe.size;
    return decoded;
}

// An RGB or gray JPEG resampled as libjpeg decodes it, row by row (at the DCT-scaled size that
// decode() would read): the same pixels as decode() followed by the resample stage, without
// the decoded image (48 MB for 12 MP) ever being allocated. The rows are in stored
// orientation, so the small result is turned upright. A null image when libjpeg cannot (a JPEG
// with another colour space or precision, damaged data): decode() then reads it the usual way,
// and says what is wrong as before.
DecodedImage QtDecoder::decodeResampled(const DecodeRequest &request)
{
    DecodedImage decoded;
    JpegScanlines scanlines(m_bytes, decodedSize(request));
    if (!scanlines.error().isEmpty())
        return decoded;
    const QSize stored =
        m_probe.swapsSides() ? request.resampleTo.transposed() : request.resampleTo;
    QImage pixels = resampleRows(
        scanlines.size(), scanlines.format(), [&](int y) { return scanlines.row(y); }, stored,
        scanlines.extent());
    if (pixels.isNull() || !scanlines.error().isEmpty())
        return decoded;
    if (scanlines.dotsPerMeterX() > 0 && scanlines.dotsPerMeterY() > 0) {
        pixels.setDotsPerMeterX(scanlines.dotsPerMeterX());
        pixels.setDotsPerMeterY(scanlines.dotsPerMeterY());
    }
    decoded.iccProfile = scanlines.iccProfile();
    if (!decoded.iccProfile.isEmpty()) // as Qt's reader tags what it decodes
        pixels.setColorSpace(QColorSpace::fromIccProfile(decoded.iccProfile));
    decoded.pixels = upright(pixels, m_reader.transformation());
    decoded.reducedScale = true;
    // libjpeg refuses a profile whose segments are misnumbered; Exiv2 (as Qt) joins them.
    const bool fromLibjpeg = !decoded.iccProfile.isEmpty();
    readBlocks(decoded, request, QImage(), decoded.iccProfile);
    if (!fromLibjpeg && !decoded.iccProfile.isEmpty())
        decoded.pixels.setColorSpace(QColorSpace::fromIccProfile(decoded.iccProfile));
    return decoded;
}

// The metadata, when the request asks for it, and the file's profile where `profile` is still
// empty, both from Exiv2's one reading of the file.
void QtDecoder::readBlocks(DecodedImage &decoded, const DecodeRequest &request,
                           const QImage &pixels, QByteArray &profile) const
{
    QByteArray *missing = profile.isEmpty() ? &profile : nullptr;
    if (request.metadata)
        decoded.metadata = metadataOf(pixels, &decoded.metadataProblem, missing);
    else if (missing)
        *missing = exiv2::readIccProfile(m_bytes);
}

ImageMetadata QtDecoder::metadata(QString *problem)
{
    if (m_format != "jpeg" && m_format != "png" && m_format != "tiff" && m_format != "webp")
        return {}; // BMP, GIF and the like carry no EXIF or XMP that Exiv2 reads
    ImageMetadata metadata = exiv2::readBlocks(m_bytes, problem);
    metadata.comment.clear();
    return metadata;
}

// Exiv2 reads the blocks from the file's bytes. Comments: a JPEG's COM segment (Exiv2), a
// PNG's text chunks (Qt's reader puts them into the image; Exiv2 would see only one of them).
ImageMetadata QtDecoder::metadataOf(const QImage &pixels, QString *problem,
                                    QByteArray *iccProfile) const
{
    ImageMetadata metadata = exiv2::readBlocks(m_bytes, problem, iccProfile);
    if (m_format != "jpeg")
        metadata.comment.clear();
    if (m_format != "png")
        return metadata;
    for (const QString &key : pixels.textKeys())
        if (!isBlockTextKey(key))
            metadata.text.append({key, pixels.text(key)});
    return metadata;
}

QtEncoder::QtEncoder(QByteArray format)
    : m_format(std::move(format))
{}

bool QtEncoder::keepsAlpha() const
{
    return m_format == "png" || m_format == "webp" || m_format == "tiff";
}

// Qt's writers read one "quality" for different things: the PNG writer maps it to the zlib
// level ((100 - q) * 9 / 91), and the WebP writer switches to lossless at 100. Each gets what
// the recipe means.
int qtQualityFor(const QByteArray &format, const EncodeSettings &settings)
{
    if (format == "png") // the quality that Qt maps to this zlib level
        return 100 - (qBound(0, settings.pngCompression, 9) * 91 + 8) / 9;
    if (format == "webp")
        return settings.lossless ? 100 : qMin(settings.quality, 99);
    return settings.quality;
}

EncodedImage QtEncoder::encode(const EncodeInput &input, const EncodeSettings &settings) const
{
    // The same pixels without the text a reader left in the image (Qt's writers would write
    // it): the metadata stage chose what text goes out.
    const QImage &in = input.pixels;
    QImage pixels(in.constBits(), in.width(), in.height(), in.bytesPerLine(), in.format());
    pixels.setColorTable(in.colorTable());
    pixels.setDotsPerMeterX(in.dotsPerMeterX());
    pixels.setDotsPerMeterY(in.dotsPerMeterY());
    pixels.setColorSpace(in.colorSpace());
    if (pixels.colorSpace().iccProfile() != input.iccProfile)
        pixels.setColorSpace(input.iccProfile.isEmpty()
                                 ? QColorSpace()
                                 : QColorSpace::fromIccProfile(input.iccProfile));
    EncodedImage encoded;
    if (m_format == "jpeg") {
        // libjpeg-turbo directly: Qt 6.4's writer has no 4:4:4 chroma.
        encoded.bytes =
            encodeJpeg(in, {settings.quality, settings.progressive, fullChromaAt(settings.quality)},
                       input.iccProfile, &encoded.error);
        encoded.ok = !encoded.bytes.isEmpty();
        if (!encoded.ok)
            return encoded;
        QString problem;
        if (!exiv2::embedBlocks(encoded.bytes, m_format, input.metadata, &problem))
            encoded.warning = problem;
        encoded.bytes = withJpegTextSegments(encoded.bytes, input.metadata.text);
        return encoded;
    }
    QBuffer out(&encoded.bytes);
    out.open(QIODevice::WriteOnly);
    QImageWriter writer(&out, m_format);
    writer.setQuality(qtQualityFor(m_format, settings));
    if (m_format == "tiff")
        writer.setCompression(1); // LZW: lossless, and what a TIFF reader expects to handle
    if (m_format == "png" && !input.metadata.comment.isEmpty())
        writer.setText(QStringLiteral("Comment"), input.metadata.comment); // Exiv2 writes JPEG's
    for (const auto &[key, value] : input.metadata.text)
        writer.setText(key, value);
    encoded.ok = writer.write(pixels);
    out.close();
    if (!encoded.ok) {
        encoded.error = writer.errorString();
        return encoded;
    }
    // A profile Qt cannot parse (gray, LUT-based) is not written by Qt's writers: Exiv2 does.
    const bool qtWroteProfile = input.iccProfile.isEmpty() || pixels.colorSpace().isValid();
    QString problem;
    if (!exiv2::embedBlocks(encoded.bytes, m_format, input.metadata, &problem,
                            qtWroteProfile ? QByteArray() : input.iccProfile))
        encoded.warning = problem;
    return encoded;
}

QtCodec::QtCodec()
{
    for (const QByteArray &format : QImageWriter::supportedImageFormats())
        m_encoders.emplace(format, QtEncoder(format));
}

std::unique_ptr<ImageDecoder> QtCodec::decoderFor(const QByteArray &bytes) const
{
    auto decoder = std::make_unique<QtDecoder>(bytes);
    if (decoder->format().isEmpty())
        return nullptr;
    return decoder;
}

const ImageEncoder *QtCodec::encoderFor(const QByteArray &format) const
{
    const auto found = m_encoders.find(format);
    return found == m_encoders.end() ? nullptr : &found->second;
}

} // namespace sluice

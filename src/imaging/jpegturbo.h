// What Qt's JPEG reader and writer do not do, done with libjpeg-turbo directly: tell a 12-bit
// JPEG from a damaged one; hand over a CMYK JPEG's ink values, so that the colour stage
// converts them through the file's CMYK profile (Qt 6.4 turns CMYK into RGB itself, with no
// profile); hand over an RGB JPEG row by row, so that it is resampled as it is decoded (Qt
// decodes the whole image first); write JPEGs without chroma subsampling at high quality (Qt 6.4
// always writes 4:2:0).
//
// Pure: no I/O, any thread (one libjpeg decompressor per call or per JpegScanlines).
#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QSizeF>
#include <QString>

namespace sluice {

// What libjpeg's reading of the header says.
struct JpegHeader
{
    QString error;     // non-empty: libjpeg cannot decode this file, and why
    bool cmyk = false; // four components: CMYK, or YCCK (which libjpeg turns into CMYK)
};

JpegHeader readJpegHeader(const QByteArray &bytes);

// A CMYK JPEG's ink values, four bytes a pixel (C, M, Y, K), rows without padding.
struct CmykPixels
{
    QByteArray data;
    QSize size;
    // The values as Adobe writes them (an Adobe APP14 marker: 0 is full ink), which libvips,
    // ImageMagick and Qt all take for inverted; otherwise 0 is no ink.
    bool inverted = false;
    QString error; // non-empty: decoding failed, and why
};

// The pixels at `size`: the full size, or a size libjpeg's DCT scaling gives (each side
// ceil(side / d) for d = 2, 4 or 8), as ResizePlan::jpegDecodeSize chooses.
CmykPixels decodeCmykJpeg(const QByteArray &bytes, QSize size);

// An RGB or gray 8-bit JPEG decoded scanline by scanline, at the full size or a size
// libjpeg's DCT scaling gives (as decodeCmykJpeg takes it), for a consumer that needs one row
// at a time (the resampler): the whole image is never held. Rows are RGB32 (0xffRRGGBB, as
// QImage) or Grayscale8, decoded as Qt's reader decodes them (accurate integer IDCT, smooth
// chroma upsampling), so the values are the same.
class JpegScanlines
{
public:
    JpegScanlines(const QByteArray &bytes, QSize size);
    ~JpegScanlines();
    JpegScanlines(const JpegScanlines &) = delete;
    JpegScanlines &operator=(const JpegScanlines &) = delete;

    // Empty when decoding started and every row so far was read; otherwise why not (the file
    // is CMYK or not 8-bit, the size is not one libjpeg can scale to, or libjpeg stopped on
    // damaged data: the rows from there on are gray filler).
    QString error() const;
    QSize size() const;
    QImage::Format format() const; // RGB32 or Grayscale8; Invalid before decoding started
    // How much of size() the picture spans: the file's size divided by the DCT scale (at 1/4,
    // 3837 rows come as 960, the last one mostly padding, and span 959.25).
    QSizeF extent() const;
    // The JFIF resolution in dots per metre (as Qt's reader reads it); 0: none given.
    int dotsPerMeterX() const;
    int dotsPerMeterY() const;
    // The embedded ICC profile (APP2 segments joined), empty when there is none.
    QByteArray iccProfile() const;
    // Row y, for y increasing from 0 (rows in between are decoded and passed over); valid until
    // the next call. Never null while size() is not empty.
    const uchar *row(int y);

private:
    struct Private;
    Private *d;
};

struct JpegSettings
{
    int quality = 85;         // 0..100, libjpeg's scale (as cjpeg and Qt)
    bool progressive = false; // progressive scans
    // Chroma at full resolution (4:4:4): what libvips' and Photoshop's high qualities do, so
    // that red text and fine coloured edges stay sharp. Otherwise 4:2:0.
    bool fullChroma = false;
};

// Whether `quality` gets 4:4:4 chroma by default: from 90 on, as libvips decides.
constexpr bool fullChromaAt(int quality)
{
    return quality >= 90;
}

// `pixels` as a baseline or progressive JPEG with optimised Huffman tables (gray images as
// one-channel JPEGs, 16-bit ones at 8 bits, alpha dropped: flatten first), the resolution
// written as dots per inch in its JFIF header, and `iccProfile` (empty: none) in APP2
// segments. Empty, with `error` set, when libjpeg refuses.
QByteArray encodeJpeg(const QImage &pixels, const JpegSettings &settings,
                      const QByteArray &iccProfile, QString *error);

} // namespace sluice

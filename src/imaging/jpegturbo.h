// What Qt's JPEG reader and writer do not do, done with libjpeg-turbo directly: tell a 12-bit
// JPEG from a damaged one; hand over a CMYK JPEG's ink values, so that the colour stage
// converts them through the file's CMYK profile (Qt 6.4 turns CMYK into RGB itself, with no
// profile); write JPEGs without chroma subsampling at high quality (Qt 6.4 always writes
// 4:2:0).
//
// Pure: no I/O, any thread (one libjpeg decompressor per call).
#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>
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

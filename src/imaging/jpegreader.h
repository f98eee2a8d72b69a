// What Qt's JPEG reader does not do, done with libjpeg directly: tell a 12-bit JPEG from a
// damaged one, and hand over a CMYK JPEG's ink values, so that the colour stage converts them
// through the file's CMYK profile (Qt 6.4 turns CMYK into RGB itself, with no profile).
//
// Pure: no I/O, any thread (one libjpeg decompressor per call).
#pragma once

#include <QByteArray>
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

} // namespace sluice

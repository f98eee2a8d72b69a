// Test files made at test time with the codecs' own command-line tools from Debian
// (libheif-examples: heif-enc; libjxl-tools: cjxl, djxl) and libvips' reading of a file, for the
// tests of the HEIF and JPEG XL codecs. setup-deps.sh installs the tools; a test skips (with the
// reason) where one is missing.
#pragma once

#include "testimages.h"

#include <QByteArray>
#include <QColor>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <cmath>
#include <codec.h>
#include <memory>

namespace fixtures {

inline QString toolPath(const char *name)
{
    return QStandardPaths::findExecutable(QLatin1String(name));
}

// Runs `tool` with `arguments`; false (and `error` says why) when it is missing or fails.
inline bool runTool(const char *tool, const QStringList &arguments, QString *error)
{
    const QString path = toolPath(tool);
    if (path.isEmpty()) {
        *error = QStringLiteral("%1 is not installed").arg(QLatin1String(tool));
        return false;
    }
    QProcess process;
    process.start(path, arguments);
    if (!process.waitForFinished(120'000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2 failed: %3")
                     .arg(QLatin1String(tool), arguments.join(QLatin1Char(' ')),
                          QString::fromLocal8Bit(process.readAllStandardError()));
        return false;
    }
    return true;
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// libvips' reading of `path` (as `vips copy` writes it to PNG), or a null image when vips is
// not installed here or cannot read it.
inline QImage vipsReading(const QString &path, const QTemporaryDir &dir)
{
    const QString png = dir.filePath(QStringLiteral("vips-reading.png"));
    QFile::remove(png);
    QString error;
    if (!runTool("vips", {QStringLiteral("copy"), path, png}, &error))
        return {};
    return QImage(png);
}

// The largest difference of any channel between two images of the same size, as 8-bit values
// (1000 when the sizes differ).
inline int worstChannelDifference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 1000;
    const QImage p = a.convertToFormat(QImage::Format_RGBA8888);
    const QImage q = b.convertToFormat(QImage::Format_RGBA8888);
    int worst = 0;
    for (int y = 0; y < p.height(); ++y) {
        const uchar *r = p.constScanLine(y), *s = q.constScanLine(y);
        for (int x = 0; x < p.width() * 4; ++x)
            worst = qMax(worst, qAbs(int(r[x]) - int(s[x])));
    }
    return worst;
}

// The mean difference per channel (8-bit values), or 1000 when the sizes differ.
inline double meanChannelDifference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 1000;
    const QImage p = a.convertToFormat(QImage::Format_RGBA8888);
    const QImage q = b.convertToFormat(QImage::Format_RGBA8888);
    double sum = 0;
    for (int y = 0; y < p.height(); ++y) {
        const uchar *r = p.constScanLine(y), *s = q.constScanLine(y);
        for (int x = 0; x < p.width() * 4; ++x)
            sum += std::abs(int(r[x]) - int(s[x]));
    }
    return sum / (double(p.width()) * p.height() * 4);
}

// The first frame of `bytes` as `codec` decodes it whole (null when it does not recognise them
// or the header cannot be read); `probe` gets the probe.
inline sluice::DecodedImage decodeWith(const sluice::ImageCodec &codec, const QByteArray &bytes,
                                       sluice::ImageProbe *probe = nullptr)
{
    std::unique_ptr<sluice::ImageDecoder> decoder = codec.decoderFor(bytes);
    if (!decoder)
        return {};
    const sluice::ImageProbe probed = decoder->probe();
    if (probe)
        *probe = probed;
    if (!probed.error.isEmpty())
        return {};
    return decoder->decode(sluice::DecodeRequest{});
}

// Quadrants (testimages.h) whose bottom half has this alpha.
inline QImage translucentQuadrants(QSize size, int alpha)
{
    QImage image = testimages::quadrants(size).convertToFormat(QImage::Format_ARGB32);
    for (int y = size.height() / 2; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x) {
            QColor c = image.pixelColor(x, y);
            c.setAlpha(alpha);
            image.setPixelColor(x, y, c);
        }
    return image;
}

// A 16-bit image whose red rises by `step` per column from 20000: steps below 256 are lost in
// 8 bits.
inline QImage deepRamp(QSize size, int step)
{
    QImage image(size, QImage::Format_RGBX64);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixelColor(x, y, QColor::fromRgba64(quint16(20000 + x * step), 30000, 40000));
    return image;
}

// Whether `pixel` is within `tolerance` of `expected` on every colour channel.
inline bool near(QColor pixel, QColor expected, int tolerance)
{
    return qAbs(pixel.red() - expected.red()) <= tolerance &&
           qAbs(pixel.green() - expected.green()) <= tolerance &&
           qAbs(pixel.blue() - expected.blue()) <= tolerance;
}

} // namespace fixtures

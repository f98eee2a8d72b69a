// Test helpers: images, EXIF-patched JPEGs and ZIP archives, all made in memory or inside a
// test's QTemporaryDir. Header-only; used by the imaging tests.
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QColor>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageWriter>
#include <QList>
#include <QPainter>
#include <QPair>
#include <QString>
#include <QtEndian>
#include <pooltypes.h>
#include <quazip/quacrc32.h>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

namespace testimages {

// Four coloured quadrants: red top-left, green top-right, blue bottom-left, yellow bottom-right.
inline QImage quadrants(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    const int hw = size.width() / 2, hh = size.height() / 2;
    QPainter p(&image);
    p.fillRect(0, 0, hw, hh, Qt::red);
    p.fillRect(hw, 0, size.width() - hw, hh, Qt::green);
    p.fillRect(0, hh, hw, size.height() - hh, Qt::blue);
    p.fillRect(hw, hh, size.width() - hw, size.height() - hh, Qt::yellow);
    return image;
}

inline QByteArray encode(const QImage &image, const char *format, int quality = 95)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    writer.write(image);
    return bytes;
}

inline QString writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

inline QString writeImage(const QString &path, QSize size, const char *format)
{
    return writeFile(path, encode(quadrants(size), format));
}

// An EXIF APP1 segment holding only the orientation tag (0x0112), big-endian TIFF.
inline QByteArray exifOrientationSegment(int orientation)
{
    QByteArray tiff;
    tiff += QByteArrayLiteral("MM\x00\x2A\x00\x00\x00\x08");       // header, IFD0 at offset 8
    tiff += QByteArrayLiteral("\x00\x01");                         // one entry
    tiff += QByteArrayLiteral("\x01\x12\x00\x03\x00\x00\x00\x01"); // tag, SHORT, count 1
    tiff += char(0);
    tiff += char(orientation);
    tiff += QByteArrayLiteral("\x00\x00");         // value padding
    tiff += QByteArrayLiteral("\x00\x00\x00\x00"); // no next IFD
    const QByteArray payload = QByteArrayLiteral("Exif\x00\x00") + tiff;
    QByteArray segment = QByteArrayLiteral("\xFF\xE1");
    const quint16 length = quint16(payload.size() + 2);
    segment += char(length >> 8);
    segment += char(length & 0xFF);
    return segment + payload;
}

// `jpeg` (baseline) with a copy of its frame header where its end marker was, and the end
// marker after it: libjpeg decodes every row, then stops with an error ("two SOF markers").
inline QByteArray withSecondFrameHeaderAtTheEnd(QByteArray jpeg)
{
    const qsizetype sof = jpeg.indexOf(QByteArrayLiteral("\xFF\xC0"));
    if (sof < 0 || !jpeg.endsWith(QByteArrayLiteral("\xFF\xD9")))
        return {};
    jpeg.chop(2);
    jpeg += jpeg.mid(sof, 2 + ((uchar(jpeg[sof + 2]) << 8) | uchar(jpeg[sof + 3])));
    jpeg += QByteArrayLiteral("\xFF\xD9");
    return jpeg;
}

// A JPEG of `image` with an EXIF orientation patched in right after the SOI marker.
inline QByteArray jpegWithOrientation(const QImage &image, int orientation)
{
    const QByteArray jpeg = encode(image, "jpeg");
    return jpeg.left(2) + exifOrientationSegment(orientation) + jpeg.mid(2);
}

// What a viewer shows for a stored image with EXIF orientation 1..8.
inline QImage applyOrientation(const QImage &stored, int orientation)
{
    const QTransform rot90 = QTransform().rotate(90);
    switch (orientation) {
    case 2:
        return stored.mirrored(true, false);
    case 3:
        return stored.transformed(QTransform().rotate(180));
    case 4:
        return stored.mirrored(false, true);
    case 5:
        return stored.transformed(rot90).mirrored(true, false);
    case 6:
        return stored.transformed(rot90);
    case 7:
        return stored.transformed(rot90).mirrored(false, true);
    case 8:
        return stored.transformed(QTransform().rotate(270));
    default:
        return stored;
    }
}

inline bool closeColor(QColor a, QColor b, int tolerance = 48)
{
    return qAbs(a.red() - b.red()) <= tolerance && qAbs(a.green() - b.green()) <= tolerance &&
           qAbs(a.blue() - b.blue()) <= tolerance;
}

// A PNG that claims to be width x height but holds no pixel data: a header-only bomb.
inline QByteArray pngHeaderOnly(quint32 width, quint32 height)
{
    QByteArray ihdr = QByteArrayLiteral("IHDR");
    auto put32 = [](QByteArray &out, quint32 v) {
        char b[4];
        qToBigEndian(v, b);
        out.append(b, 4);
    };
    put32(ihdr, width);
    put32(ihdr, height);
    ihdr += QByteArrayLiteral("\x08\x06\x00\x00\x00"); // 8-bit RGBA
    QByteArray png = QByteArrayLiteral("\x89PNG\r\n\x1a\n");
    auto chunk = [&](const QByteArray &typeAndData) {
        put32(png, quint32(typeAndData.size() - 4));
        png += typeAndData;
        QuaCrc32 crc;
        put32(png, crc.calculate(typeAndData));
    };
    chunk(ihdr);
    // libpng reads the header up to the first IDAT; a few bytes of it are enough.
    chunk(QByteArrayLiteral("IDAT\x78\x9c\x03\x00\x00\x00\x00\x01"));
    chunk(QByteArrayLiteral("IEND"));
    return png;
}

struct ZipEntry
{
    QString name;
    QByteArray data;
    bool symlink = false;
    int method = Z_DEFLATED;
};

inline bool writeZip(const QString &path, const QList<ZipEntry> &entries)
{
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdCreate))
        return false;
    for (const ZipEntry &entry : entries) {
        QuaZipFile file(&zip);
        QuaZipNewInfo info(entry.name);
        if (entry.symlink)
            info.externalAttr = quint32(0120777) << 16;
        if (!file.open(QIODevice::WriteOnly, info, nullptr, 0, entry.method))
            return false;
        file.write(entry.data);
        file.close();
    }
    zip.close();
    return zip.getZipError() == 0;
}

inline QStringList zipEntryNames(const QString &path)
{
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip))
        return {};
    QStringList names = zip.getFileNameList();
    names.sort();
    return names;
}

inline QByteArray zipEntryData(const QString &path, const QString &name)
{
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip) || !zip.setCurrentFile(name))
        return {};
    QuaZipFile file(&zip);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// A cancellation flag plus a context over it, for calling tasks outside a pool.
struct FakeTask
{
    std::atomic<bool> canceled{false};
    sluice::TaskContext ctx{&canceled, 1, 1, 1};
};

// Every file below `dir`, relative and sorted, for "nothing else was left behind" checks.
inline QStringList listFiles(const QString &dir)
{
    QStringList files;
    QDir root(dir);
    const QFileInfoList all =
        root.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QFileInfo &info : all) {
        if (info.fileName() == QLatin1String(".sluice-output"))
            continue; // FolderSink's marker (sink.h), not an output image
        if (info.isDir()) {
            for (const QString &sub : listFiles(info.absoluteFilePath()))
                files << info.fileName() + QLatin1Char('/') + sub;
        } else {
            files << info.fileName();
        }
    }
    files.sort();
    return files;
}

} // namespace testimages

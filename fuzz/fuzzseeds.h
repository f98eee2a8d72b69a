// The seed corpora of the fuzzers, generated (not committed as binaries): small valid images of
// every format Sluice reads (each < 4 KB), a few edge cases that reach the early exits
// (truncated JPEG, header-only pixel bomb, not an image, an image type no plugin reads), and
// small ZIP archives of them, made in memory with QuaZip. fuzz/make_seeds.cpp writes them to a
// folder for libFuzzer; tests/imaging/tst_fuzzregressions runs them through the fuzzers' code
// and checks the outcome each one is expected to have.
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QColor>
#include <QHash>
#include <QImage>
#include <QImageWriter>
#include <QList>
#include <QPainter>
#include <QString>
#include <QtEndian>
#include <exivmetadata.h>
#include <pooltypes.h>
#include <quazip/quacrc32.h>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

namespace sluice::fuzz {

struct Seed
{
    QString name; // a file name, extension included
    QByteArray bytes;
    // What runDecode() (image seeds) gives; for archives, the counts runZip() gives.
    OutcomeKind expected = OutcomeKind::Done;
    int done = 0, skipped = 0, failed = 0; // archives only
};

namespace seeddetail {

inline QImage quadrants(QSize size, QImage::Format format = QImage::Format_RGB32)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    const int hw = size.width() / 2, hh = size.height() / 2;
    QPainter p(&image);
    p.fillRect(0, 0, hw, hh, Qt::red);
    p.fillRect(hw, 0, size.width() - hw, hh, Qt::green);
    p.fillRect(0, hh, hw, size.height() - hh, Qt::blue);
    p.fillRect(hw, hh, size.width() - hw, size.height() - hh, QColor(255, 255, 0, 128));
    p.end();
    return image.convertToFormat(format);
}

inline QByteArray encode(const QImage &image, const char *format, int quality = -1,
                         bool progressive = false, int compression = -1)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    writer.setProgressiveScanWrite(progressive);
    if (compression >= 0)
        writer.setCompression(compression);
    if (!writer.write(image))
        return {};
    return bytes;
}

inline void put16(QByteArray &out, quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    out.append(b, 2);
}

inline void put32be(QByteArray &out, quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    out.append(b, 4);
}

// A JPEG with an EXIF APP1 segment holding only the orientation tag, right after SOI.
inline QByteArray jpegWithOrientation(const QImage &image, int orientation)
{
    QByteArray tiff = QByteArrayLiteral("MM\x00\x2A\x00\x00\x00\x08\x00\x01"
                                        "\x01\x12\x00\x03\x00\x00\x00\x01");
    tiff += char(0);
    tiff += char(orientation);
    tiff += QByteArrayLiteral("\x00\x00\x00\x00\x00\x00");
    const QByteArray payload = QByteArrayLiteral("Exif\x00\x00") + tiff;
    QByteArray segment = QByteArrayLiteral("\xFF\xE1");
    const int length = int(payload.size()) + 2;
    segment += char(length >> 8);
    segment += char(length & 0xFF);
    const QByteArray jpeg = encode(image, "jpeg", 60);
    return jpeg.left(2) + segment + payload + jpeg.mid(2);
}

// A PNG that claims width x height but holds (almost) no pixel data: the pixel-limit check.
inline QByteArray pngHeaderOnly(quint32 width, quint32 height)
{
    QByteArray png = QByteArrayLiteral("\x89PNG\r\n\x1a\n");
    auto chunk = [&](const QByteArray &typeAndData) {
        put32be(png, quint32(typeAndData.size() - 4));
        png += typeAndData;
        put32be(png, QuaCrc32().calculate(typeAndData));
    };
    QByteArray ihdr = QByteArrayLiteral("IHDR");
    put32be(ihdr, width);
    put32be(ihdr, height);
    ihdr += QByteArrayLiteral("\x08\x06\x00\x00\x00");
    chunk(ihdr);
    chunk(QByteArrayLiteral("IDAT\x78\x9c\x03\x00\x00\x00\x00\x01"));
    chunk(QByteArrayLiteral("IEND"));
    return png;
}

// A 4-colour GIF (Qt has no GIF writer). Index 0 is transparent. The LZW stream is
// "uncompressed": a clear code before every two literals keeps the code width at 3 bits.
inline QByteArray gif(QSize size)
{
    QByteArray out = QByteArrayLiteral("GIF89a");
    put16(out, quint16(size.width()));
    put16(out, quint16(size.height()));
    out += QByteArrayLiteral("\x91\x00\x00"); // 4-entry global table
    out += QByteArrayLiteral("\x00\x00\x00\xFF\x00\x00\x00\xC0\x00\x00\x00\xFF");
    out += QByteArrayLiteral("\x21\xF9\x04\x01\x00\x00\x00\x00"); // transparent index 0
    out += char(0x2C);
    put16(out, 0);
    put16(out, 0);
    put16(out, quint16(size.width()));
    put16(out, quint16(size.height()));
    out += char(0);
    out += char(2); // LZW minimum code size

    QByteArray codes;
    quint32 acc = 0;
    int bits = 0;
    auto putCode = [&](int code) {
        acc |= quint32(code) << bits;
        bits += 3;
        while (bits >= 8) {
            codes += char(acc & 0xFF);
            acc >>= 8;
            bits -= 8;
        }
    };
    const int count = size.width() * size.height();
    for (int i = 0; i < count; ++i) {
        if (i % 2 == 0)
            putCode(4); // clear
        const int x = i % size.width(), y = i / size.width();
        putCode((x * 2 / size.width()) + 2 * (y * 2 / size.height()));
    }
    putCode(5); // end of information
    if (bits > 0)
        codes += char(acc & 0xFF);
    for (int at = 0; at < codes.size(); at += 255) {
        const QByteArray block = codes.mid(at, 255);
        out += char(block.size());
        out += block;
    }
    out += char(0);
    out += char(0x3B);
    return out;
}

struct Entry
{
    QString name;
    QByteArray data;
    int method = Z_DEFLATED;
    bool symlink = false;
};

inline QByteArray zip(const QList<Entry> &entries)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    QuaZip archive(&buffer);
    if (!archive.open(QuaZip::mdCreate))
        return {};
    for (const Entry &entry : entries) {
        QuaZipFile file(&archive);
        QuaZipNewInfo info(entry.name);
        if (entry.symlink)
            info.externalAttr = quint32(0120777) << 16;
        if (!file.open(QIODevice::WriteOnly, info, nullptr, 0, entry.method, 9))
            return {};
        file.write(entry.data);
        file.close();
    }
    archive.close();
    return archive.getZipError() == 0 ? bytes : QByteArray();
}

// A little of every metadata block, for the metadata stage: EXIF (orientation 6, an artist),
// XMP (a creator), IPTC (a keyword) and a comment.
inline sluice::ImageMetadata seedMetadata()
{
    sluice::ImageMetadata m;
    m.exif = QByteArrayLiteral("II*\x00\x08\x00\x00\x00\x02\x00"
                               "\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00"
                               "\x3b\x01\x02\x00\x05\x00\x00\x00\x26\x00\x00\x00"
                               "\x00\x00\x00\x00Jane\x00");
    m.xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
            "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description "
            "rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator><rdf:Seq>"
            "<rdf:li>Jane</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
    m.iptc = QByteArrayLiteral("\x1c\x02\x19\x00\x07harbour");
    m.comment = QStringLiteral("seed");
    return m;
}

inline QByteArray withSeedMetadata(QByteArray encoded, const QByteArray &format)
{
    QString error;
    return sluice::exiv2::embedBlocks(encoded, format, seedMetadata(), &error) ? encoded
                                                                               : QByteArray();
}

} // namespace seeddetail

// Image seeds for fuzz_decode. Formats whose writer plugin is missing are left out.
inline QList<Seed> imageSeeds()
{
    using namespace seeddetail;
    QList<Seed> seeds;
    auto add = [&](const QString &name, const QByteArray &bytes,
                   OutcomeKind expected = OutcomeKind::Done) {
        if (!bytes.isEmpty())
            seeds.append({name, bytes, expected});
    };
    const QImage small = quadrants({24, 16});
    add(QStringLiteral("quadrants.jpg"), encode(small, "jpeg", 90));
    // Larger than the 64x64 box: the reduced-scale JPEG decode and the smooth scale.
    const QByteArray large = encode(quadrants({200, 150}), "jpeg", 40);
    add(QStringLiteral("large.jpg"), large);
    add(QStringLiteral("progressive.jpg"), encode(quadrants({120, 90}), "jpeg", 50, true));
    add(QStringLiteral("exif6.jpg"), jpegWithOrientation(quadrants({96, 64}), 6));
    add(QStringLiteral("metadata.jpg"),
        withSeedMetadata(encode(quadrants({96, 64}), "jpeg", 60), "jpeg"));
    add(QStringLiteral("metadata.png"), withSeedMetadata(encode(small, "png"), "png"));
    add(QStringLiteral("truncated.jpg"), large.left(large.size() * 3 / 5),
        OutcomeKind::PermanentFailure);
    add(QStringLiteral("quadrants.png"), encode(small, "png"));
    add(QStringLiteral("alpha.png"), encode(quadrants({80, 80}, QImage::Format_ARGB32), "png"));
    add(QStringLiteral("indexed.png"),
        encode(quadrants({100, 70}).convertToFormat(QImage::Format_Indexed8), "png"));
    add(QStringLiteral("gray16.png"),
        encode(quadrants({40, 30}).convertToFormat(QImage::Format_Grayscale16), "png"));
    add(QStringLiteral("pixel-bomb.png"), pngHeaderOnly(20000, 20000),
        OutcomeKind::PermanentFailure);
    add(QStringLiteral("tiny.gif"),
        QByteArrayLiteral("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00"
                          "!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
                          "\x00\x02\x02\x44\x01\x00;"));
    add(QStringLiteral("quadrants.gif"), gif({72, 72}));
    const QList<QByteArray> writable = QImageWriter::supportedImageFormats();
    if (writable.contains("webp")) {
        add(QStringLiteral("lossy.webp"), encode(quadrants({100, 80}), "webp", 60));
        add(QStringLiteral("lossless.webp"),
            encode(quadrants({40, 30}, QImage::Format_ARGB32), "webp", 100));
    }
    add(QStringLiteral("quadrants.bmp"), encode(small, "bmp"));
    if (writable.contains("tiff"))
        add(QStringLiteral("quadrants.tif"), encode(quadrants({40, 30}), "tiff", -1, false, 1));
    add(QStringLiteral("quadrants.ppm"), encode(quadrants({16, 12}), "ppm"));
    if (writable.contains("ico"))
        add(QStringLiteral("icon.ico"), encode(quadrants({16, 16}, QImage::Format_ARGB32), "ico"));
    // Qt's ICNS handler cannot tell the size before decoding, and processImage() decodes
    // nothing it cannot check against the pixel limit first: a permanent failure, by design.
    if (writable.contains("icns"))
        add(QStringLiteral("icon.icns"), encode(quadrants({16, 16}, QImage::Format_ARGB32), "icns"),
            OutcomeKind::PermanentFailure);
    if (writable.contains("wbmp"))
        add(QStringLiteral("mono.wbmp"),
            encode(quadrants({32, 24}).convertToFormat(QImage::Format_Mono), "wbmp"));
    add(QStringLiteral("not-an-image.txt"),
        QByteArrayLiteral("Sluice fuzz seed: plain text, not an image.\n"), OutcomeKind::Skipped);
    // Photoshop's magic: image/* by content, but no plugin reads it.
    add(QStringLiteral("unsupported.psd"),
        QByteArrayLiteral("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x10"
                          "\x00\x00\x00\x10\x00\x08\x00\x03"),
        OutcomeKind::PermanentFailure);
    return seeds;
}

// Archive seeds for fuzz_zip, made from image seeds.
inline QList<Seed> zipSeeds()
{
    using namespace seeddetail;
    QHash<QString, QByteArray> image;
    for (const Seed &seed : imageSeeds())
        image.insert(seed.name, seed.bytes);
    QList<Seed> seeds;
    auto add = [&](const QString &name, const QList<Entry> &entries, int done, int skipped,
                   int failed) {
        const QByteArray bytes = zip(entries);
        if (!bytes.isEmpty())
            seeds.append({name, bytes, OutcomeKind::Done, done, skipped, failed});
    };
    add(QStringLiteral("photos.zip"),
        {{QStringLiteral("photos/"), {}},
         {QStringLiteral("photos/quadrants.jpg"), image.value(QStringLiteral("quadrants.jpg"))},
         {QStringLiteral("photos/quadrants.png"), image.value(QStringLiteral("quadrants.png"))},
         {QStringLiteral("photos/sub/tiny.gif"), image.value(QStringLiteral("tiny.gif"))}},
        3, 0, 0);
    add(QStringLiteral("stored.zip"),
        {{QStringLiteral("quadrants.bmp"), image.value(QStringLiteral("quadrants.bmp")), 0},
         {QStringLiteral("gray16.png"), image.value(QStringLiteral("gray16.png")), 0}},
        2, 0, 0);
    add(QStringLiteral("large.zip"),
        {{QStringLiteral("large.jpg"), image.value(QStringLiteral("large.jpg"))},
         {QStringLiteral("a/b/exif6.jpg"), image.value(QStringLiteral("exif6.jpg"))}},
        2, 0, 0);
    // One good entry among a non-image, an unsafe name, a symbolic link and a truncated JPEG.
    add(QStringLiteral("mixed.zip"),
        {{QStringLiteral("ok.png"), image.value(QStringLiteral("quadrants.png"))},
         {QStringLiteral("readme.txt"), image.value(QStringLiteral("not-an-image.txt"))},
         {QStringLiteral("../escape.png"), image.value(QStringLiteral("quadrants.png"))},
         {QStringLiteral("link.png"), QByteArrayLiteral("/etc/passwd"), Z_DEFLATED, true},
         {QStringLiteral("cut.jpg"), image.value(QStringLiteral("truncated.jpg"))}},
        1, 1, 3);
    // An archive with no entries: just the end-of-central-directory record (minizip cannot
    // open it; InputScanner recognises it and yields nothing).
    seeds.append({QStringLiteral("empty.zip"),
                  QByteArrayLiteral("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                                    "\x00\x00\x00\x00\x00\x00"),
                  OutcomeKind::Done, 0, 0, 0});
    return seeds;
}

} // namespace sluice::fuzz

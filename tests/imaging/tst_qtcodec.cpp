#include "exivfixtures.h"
#include "testimages.h"
#include "toolfixtures.h"

#include <QColorSpace>
#include <QtEndian>
#include <QtTest>
#include <cmath>
#include <qtcodec.h>
#include <resampler.h>
#include <sink.h>

using namespace sluice;
using namespace testimages;

namespace {

// A GIF of `frames` 1x1 frames (colour 0 of a two-colour table) on a `screen`-sized logical
// screen.
QByteArray tinyGif(QSize screen, int frames)
{
    QByteArray gif = QByteArrayLiteral("GIF89a");
    gif += char(screen.width() & 0xff);
    gif += char(screen.width() >> 8);
    gif += char(screen.height() & 0xff);
    gif += char(screen.height() >> 8);
    gif += QByteArrayLiteral("\x80\x00\x00");             // global table of 2 colours
    gif += QByteArrayLiteral("\xff\x00\x00\x00\x00\xff"); // red, blue
    for (int i = 0; i < frames; ++i) {
        gif += QByteArrayLiteral("\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00"); // 1x1 at 0,0
        gif += QByteArrayLiteral("\x02\x02\x44\x01\x00");                     // LZW: one index 0
    }
    return gif + QByteArrayLiteral("\x3b");
}

// An uncompressed little-endian TIFF of `pages` 1x1 grey pages.
QByteArray tiffPages(int pages)
{
    QByteArray tiff = QByteArrayLiteral("II*\x00\x08\x00\x00\x00");
    auto put16 = [&tiff](quint16 v) {
        tiff += char(v & 0xff);
        tiff += char(v >> 8);
    };
    auto put32 = [&](quint32 v) {
        put16(quint16(v & 0xffff));
        put16(quint16(v >> 16));
    };
    for (int page = 0; page < pages; ++page) {
        const quint32 ifd = quint32(tiff.size());
        const quint32 pixel = ifd + 2 + 9 * 12 + 4;
        const quint32 next = page + 1 < pages ? pixel + 2 : 0;
        const quint16 entries[][3] = {{256, 3, 1}, {257, 3, 1}, {258, 3, 8},
                                      {259, 3, 1}, {262, 3, 1}, {273, 4, 0},
                                      {277, 3, 1}, {278, 3, 1}, {279, 4, 1}};
        put16(9);
        for (const auto &entry : entries) {
            put16(entry[0]);
            put16(entry[1]);
            put32(1);
            put32(entry[0] == 273 ? pixel : entry[2]);
        }
        put32(next);
        tiff += char(0x80); // the pixel
        tiff += char(0);    // word alignment
    }
    return tiff;
}

QImage withColourSpace(QImage image, QColorSpace::NamedColorSpace space)
{
    image.setColorSpace(QColorSpace(space));
    return image;
}

QByteArray profileOf(QColorSpace::NamedColorSpace space)
{
    return QColorSpace(space).iccProfile();
}

QImage readBack(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    QImageReader reader(&buffer);
    return reader.read();
}

} // namespace

class tst_QtCodec : public QObject
{
    Q_OBJECT

private slots:
    void probe_data();
    void probe();
    void unreadableHeaderSaysWhy();
    void twelveBitJpegIsUnsupportedNotDamaged();
    void decodeAtReducedScale_data();
    void decodeAtReducedScale();
    void decodeResampledIsDecodeThenResample_data();
    void decodeResampledIsDecodeThenResample();
    void decodeResampledFallsBack();
    void decodeResampledStaysAlignedAtOddSizes();
    void decodeResampledWithoutMetadataKeepsTheProfile();
    void decodeResampledFailsAsDecodeDoes();
    void decodeHandsOverTheProfile_data();
    void decodeHandsOverTheProfile();
    void decodeFailureSaysWhy();
    void topDownBmpIsRead();
    void recognisedByContent();
    void encodersForWhatQtWrites();
    void keepsAlpha_data();
    void keepsAlpha();
    void encodeWritesTheText_data();
    void encodeWritesTheText();
    void encodeSettings();
    void encodeEmbedsTheProfile_data();
    void encodeEmbedsTheProfile();
    void encodeIsQImageWriter_data();
    void encodeIsQImageWriter();
    void encodeFailureSaysWhy();
};

void tst_QtCodec::probe_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("size"); // stored orientation
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("frames");
    QTest::addColumn<bool>("reducedScale");
    QTest::addColumn<QString>("damage");

    const QImage image = quadrants(QSize(64, 48));
    const QByteArray jpeg = encode(image, "jpeg");
    QTest::newRow("jpeg") << jpeg << QByteArray("jpeg") << QSize(64, 48) << 1 << 1 << true
                          << QString();
    for (int o = 2; o <= 8; ++o)
        QTest::addRow("jpeg orientation %d", o)
            << jpegWithOrientation(image, o) << QByteArray("jpeg") << QSize(64, 48) << o << 1
            << true << QString();
    const QByteArray larger = encode(quadrants(QSize(300, 200)), "jpeg");
    QTest::newRow("jpeg truncated") << larger.left(larger.size() * 6 / 10) << QByteArray("jpeg")
                                    << QSize(300, 200) << 1 << 1 << true << "truncated JPEG data";
    for (const char *format : {"png", "webp", "bmp", "tiff"})
        QTest::newRow(format) << encode(image, format) << QByteArray(format) << QSize(64, 48) << 1
                              << 1 << false << QString();
    QTest::newRow("tiff, three pages")
        << tiffPages(3) << QByteArray("tiff") << QSize(1, 1) << 1 << 3 << false << QString();
    QTest::newRow("gif, three frames") << tinyGif(QSize(1, 1), 3) << QByteArray("gif")
                                       << QSize(1, 1) << 1 << 3 << false << QString();
    // Qt decodes a GIF onto its whole logical screen: the probe says what is allocated.
    QTest::newRow("gif, frame smaller than its screen")
        << tinyGif(QSize(40, 30), 1) << QByteArray("gif") << QSize(40, 30) << 1 << 1 << false
        << QString();
    const QByteArray gif = tinyGif(QSize(1, 1), 1);
    QTest::newRow("gif truncated") << gif.left(gif.size() - 3) << QByteArray("gif") << QSize(1, 1)
                                   << 1 << 1 << false << "truncated GIF data";
    // Qt's BMP reader would fill the missing rows with stale memory of the process and say it
    // succeeded (a private-data leak into the output, found by the fuzzers).
    const QByteArray bmp = encode(image, "bmp");
    QTest::newRow("bmp truncated") << bmp.left(bmp.size() - 64 * 3) << QByteArray("bmp")
                                   << QSize(64, 48) << 1 << 1 << false << "truncated BMP data";
    QByteArray farOffset = bmp;
    farOffset[12] = char(0x40); // pixel data said to start 4 MB in
    QTest::newRow("bmp data past the end") << farOffset << QByteArray("bmp") << QSize(64, 48) << 1
                                           << 1 << false << "truncated BMP data";
}

void tst_QtCodec::probe()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, format);
    QFETCH(QSize, size);
    QFETCH(int, orientation);
    QFETCH(int, frames);
    QFETCH(bool, reducedScale);
    QFETCH(QString, damage);

    QtDecoder decoder(bytes);
    QCOMPARE(decoder.format(), format);
    const ImageProbe probe = decoder.probe();
    QCOMPARE(probe.error, QString());
    QCOMPARE(probe.format, format);
    QCOMPARE(probe.size, size);
    QCOMPARE(probe.orientation, orientation);
    QCOMPARE(probe.orientedSize(), orientation >= 5 ? size.transposed() : size);
    QCOMPARE(probe.frameCount, frames);
    QCOMPARE(probe.reducedScale, reducedScale);
    QCOMPARE(probe.damage, damage);
}

void tst_QtCodec::unreadableHeaderSaysWhy()
{
    const QByteArray png = encode(quadrants(QSize(64, 48)), "png");
    QtDecoder decoder(png.left(20));
    QCOMPARE(decoder.format(), QByteArray("png"));
    const ImageProbe probe = decoder.probe();
    QCOMPARE(probe.format, QByteArray("png"));
    QVERIFY(!probe.error.isEmpty());
    QVERIFY2(!probe.error.contains(QStringLiteral("Unknown error")), qPrintable(probe.error));
}

// Issue 11: Qt says "Unknown error" for a 12-bit JPEG, which was reported as damaged.
void tst_QtCodec::twelveBitJpegIsUnsupportedNotDamaged()
{
    QByteArray jpeg = encode(quadrants(QSize(64, 48)), "jpeg");
    const qsizetype sof = jpeg.indexOf(QByteArrayLiteral("\xFF\xC0"));
    QVERIFY(sof > 0);
    jpeg[sof + 4] = char(12); // the frame header's sample precision
    QtDecoder decoder(jpeg);
    QCOMPARE(decoder.probe().error, QStringLiteral("unsupported: 12-bit JPEG"));
}

void tst_QtCodec::decodeAtReducedScale_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QSize>("atLeast"); // as displayed
    QTest::addColumn<QSize>("expected");
    QTest::addColumn<bool>("reduced");

    const QImage stored = quadrants(QSize(400, 200));
    const QByteArray jpeg = encode(stored, "jpeg");
    QTest::newRow("full scale") << jpeg << QSize() << QSize(400, 200) << false;
    QTest::newRow("an eighth") << jpeg << QSize(50, 25) << QSize(50, 25) << true;
    QTest::newRow("a quarter") << jpeg << QSize(60, 30) << QSize(100, 50) << true;
    QTest::newRow("a half") << jpeg << QSize(101, 50) << QSize(200, 100) << true;
    QTest::newRow("no reduction fits") << jpeg << QSize(300, 150) << QSize(400, 200) << false;
    // The request is as displayed; the decoder turns it into the stored orientation.
    QTest::newRow("orientation 6")
        << jpegWithOrientation(stored, 6) << QSize(25, 50) << QSize(25, 50) << true;
    QTest::newRow("png: no reduced decoding")
        << encode(stored, "png") << QSize(50, 25) << QSize(400, 200) << false;
}

void tst_QtCodec::decodeAtReducedScale()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QSize, atLeast);
    QFETCH(QSize, expected);
    QFETCH(bool, reduced);
    QtDecoder decoder(bytes);
    QVERIFY(decoder.probe().error.isEmpty());
    DecodeRequest request;
    request.atLeast = atLeast;
    const DecodedImage decoded = decoder.decode(request);
    QCOMPARE(decoded.pixels.size(), expected);
    QCOMPARE(decoded.reducedScale, reduced);
    QCOMPARE(decoded.error, QString());
}

void tst_QtCodec::decodeResampledIsDecodeThenResample_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QSize>("atLeast"); // as displayed
    QTest::addColumn<QSize>("resampleTo");
    QTest::addColumn<bool>("turned");
    QImage stored = quadrants(QSize(400, 240));
    for (int y = 0; y < stored.height(); y += 3) // fine detail for the filter to work on
        for (int x = (y / 3) % 2; x < stored.width(); x += 5)
            stored.setPixel(x, y, qRgb(255, 255, 255));
    stored.setDotsPerMeterX(qRound(240 / 0.0254));
    stored.setDotsPerMeterY(qRound(240 / 0.0254));
    stored.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const QByteArray jpeg = encode(stored, "jpeg", 90);
    QTest::newRow("a quarter, then to 64x38") << jpeg << QSize(90, 54) << QSize(64, 38) << false;
    QTest::newRow("full size, then to 333x200") << jpeg << QSize() << QSize(333, 200) << false;
    QTest::newRow("an eighth, then to 20x12") << jpeg << QSize(40, 24) << QSize(20, 12) << false;
    QTest::newRow("gray") << encode(stored.convertToFormat(QImage::Format_Grayscale8), "jpeg")
                          << QSize(150, 90) << QSize(75, 45) << false;
    // Rows come in stored orientation; the result is turned, as decode() turns its pixels.
    for (int orientation : {3, 6, 8})
        QTest::addRow("orientation %d", orientation)
            << fixtures::withCameraMetadata(jpegWithOrientation(stored, orientation), orientation)
            << QSize(100, 160) << QSize(45, 75) << true;
}

// A JPEG resampled as libjpeg decodes it is exactly decode() followed by the resampler, with
// the same profile, resolution and metadata, and the whole decoded image is never built.
void tst_QtCodec::decodeResampledIsDecodeThenResample()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QSize, atLeast);
    QFETCH(QSize, resampleTo);
    QFETCH(bool, turned);
    DecodeRequest request;
    request.atLeast = atLeast;
    QtDecoder whole(bytes);
    QVERIFY(whole.probe().error.isEmpty());
    const DecodedImage decoded = whole.decode(request);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    const QImage expected = resample(decoded.pixels, resampleTo);

    request.resampleTo = resampleTo;
    QtDecoder streaming(bytes);
    QVERIFY(streaming.probe().error.isEmpty());
    const DecodedImage resampled = streaming.decode(request);
    QVERIFY2(!resampled.pixels.isNull(), qPrintable(resampled.error));
    QVERIFY(resampled.reducedScale);
    QCOMPARE(resampled.pixels.size(), resampleTo);
    QCOMPARE(resampled.pixels.format(), expected.format());
    // Upright, the very same values. Turned, the rows are filtered across what becomes the
    // columns, and the two passes round in the other order: at most a level apart.
    QCOMPARE(fixtures::worstChannelDifference(resampled.pixels, expected), turned ? 1 : 0);
    QCOMPARE(resampled.pixels.colorSpace(), expected.colorSpace());
    QCOMPARE(resampled.pixels.dotsPerMeterX(), decoded.pixels.dotsPerMeterX());
    QCOMPARE(resampled.pixels.dotsPerMeterY(), decoded.pixels.dotsPerMeterY());
    QCOMPARE(resampled.iccProfile, decoded.iccProfile);
    QCOMPARE(resampled.metadata.exif, decoded.metadata.exif);
    QCOMPARE(resampled.metadata.xmp, decoded.metadata.xmp);
    QCOMPARE(resampled.metadata.iptc, decoded.metadata.iptc);
    QCOMPARE(resampled.metadata.comment, decoded.metadata.comment);
    QCOMPARE(resampled.metadataProblem, decoded.metadataProblem);
}

// Only a JPEG is resampled as it is decoded: anything else comes at its decoded size, and the
// resample stage does the rest.
void tst_QtCodec::decodeResampledFallsBack()
{
    DecodeRequest request;
    request.resampleTo = QSize(20, 10);
    QtDecoder png(encode(quadrants(QSize(80, 40)), "png"));
    QVERIFY(png.probe().error.isEmpty());
    const DecodedImage decoded = png.decode(request);
    QCOMPARE(decoded.pixels.size(), QSize(80, 40));
    QVERIFY(!decoded.reducedScale);
}

// A side that libjpeg's 1/4 does not divide (3837 rows come as 960, the last mostly padding):
// the output is mapped onto the picture, not stretched over the padding, so it stays within a
// level or two of resampling the whole decode. Stretched, a real photo (Wine_by_Jakkub_Mede,
// 2560x3837, at 256 px) fell from 50.4 to 43.2 dB against ImageMagick.
void tst_QtCodec::decodeResampledStaysAlignedAtOddSizes()
{
    QImage stored(1203, 1917, QImage::Format_RGB32);
    for (int y = 0; y < stored.height(); ++y)
        for (int x = 0; x < stored.width(); ++x) // fine rings: any misalignment shows
            stored.setPixel(x, y,
                            qRgb(128 + int(100 * std::sin(std::hypot(x, y) / 9.0)),
                                 (x / 13) % 2 ? 200 : 60, 128 + int(90 * std::cos(y / 7.0))));
    const QByteArray jpeg = encode(stored, "jpeg", 95);
    const QSize target(150, 239);
    QtDecoder whole(jpeg);
    QVERIFY(whole.probe().error.isEmpty());
    const QImage expected = resample(whole.decode({}).pixels, target);
    DecodeRequest request;
    request.atLeast = target * 2;
    request.resampleTo = target;
    QtDecoder streaming(jpeg);
    QVERIFY(streaming.probe().error.isEmpty());
    QCOMPARE(streaming.decodedSize(request), QSize(301, 480)); // a quarter, rounded up
    const DecodedImage resampled = streaming.decode(request);
    QCOMPARE(resampled.pixels.size(), target);
    const double mean = fixtures::meanChannelDifference(resampled.pixels, expected);
    QVERIFY2(mean < 1.5, qPrintable(QString::number(mean)));
}

// --metadata none: no metadata read, but the profile is still handed over, so colours stay
// right.
void tst_QtCodec::decodeResampledWithoutMetadataKeepsTheProfile()
{
    const QByteArray jpeg = fixtures::withCameraMetadata(
        encode(withColourSpace(quadrants(QSize(160, 120)), QColorSpace::DisplayP3), "jpeg"), 1);
    DecodeRequest request;
    request.metadata = false;
    request.atLeast = QSize(80, 60);
    request.resampleTo = QSize(40, 30);
    QtDecoder decoder(jpeg);
    QVERIFY(decoder.probe().error.isEmpty());
    const DecodedImage decoded = decoder.decode(request);
    QCOMPARE(decoded.pixels.size(), QSize(40, 30));
    QVERIFY(decoded.reducedScale);
    QCOMPARE(decoded.iccProfile, profileOf(QColorSpace::DisplayP3));
    QCOMPARE(decoded.pixels.colorSpace(), QColorSpace(QColorSpace::DisplayP3));
    QVERIFY(!decoded.metadata.hasBlocks());
}

// A file libjpeg stops on part way is read the usual way instead, so the job ends as it did
// before rows were resampled as they came: the same pixels or the same failure.
void tst_QtCodec::decodeResampledFailsAsDecodeDoes()
{
    const QByteArray jpeg = withSecondFrameHeaderAtTheEnd(encode(quadrants(QSize(64, 48)), "jpeg"));
    QVERIFY(!jpeg.isEmpty());
    DecodeRequest request;
    request.atLeast = QSize(32, 24);
    QtDecoder whole(jpeg);
    whole.probe();
    const DecodedImage expected = whole.decode(request);
    request.resampleTo = QSize(16, 12);
    QtDecoder streaming(jpeg);
    streaming.probe();
    const DecodedImage decoded = streaming.decode(request);
    QCOMPARE(decoded.pixels.isNull(), expected.pixels.isNull());
    QCOMPARE(decoded.error, expected.error);
    QCOMPARE(decoded.pixels.size(), expected.pixels.size()); // not resampled: libjpeg stopped
}

void tst_QtCodec::decodeHandsOverTheProfile_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("profile");
    QTest::addColumn<bool>("exif");
    const QImage plain = quadrants(QSize(32, 16));
    const QImage p3 = withColourSpace(plain, QColorSpace::DisplayP3);
    for (const char *format : {"jpeg", "png"}) {
        QTest::addRow("%s without a profile", format)
            << encode(plain, format) << QByteArray() << false;
        QTest::addRow("%s with Display P3", format)
            << encode(p3, format) << profileOf(QColorSpace::DisplayP3) << false;
    }
    // Qt 6.4's autoTransform dropped the profile of every turned image (portrait photos).
    for (int orientation : {3, 6, 7})
        QTest::addRow("jpeg with Display P3, orientation %d", orientation)
            << jpegWithOrientation(p3, orientation) << profileOf(QColorSpace::DisplayP3) << true;
}

void tst_QtCodec::decodeHandsOverTheProfile()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, profile);
    QFETCH(bool, exif);
    QtDecoder decoder(bytes);
    decoder.probe();
    const DecodedImage decoded = decoder.decode({});
    QCOMPARE(decoded.iccProfile, profile);
    QCOMPARE(decoded.pixels.colorSpace().iccProfile(), profile);
    // Exiv2 hands over the EXIF block where there is one, and nothing the files lack.
    QCOMPARE(decoded.metadata.exif.isEmpty(), !exif);
    QVERIFY(decoded.metadata.xmp.isEmpty());
    QVERIFY(decoded.metadata.iptc.isEmpty());
    QVERIFY(decoded.metadata.text.isEmpty());
    QCOMPARE(decoded.metadataProblem, QString());
}

// Issue 11: Qt 6.4 refuses a valid top-down BMP (negative height); it is read, rows in order.
void tst_QtCodec::topDownBmpIsRead()
{
    const QImage image = quadrants(QSize(24, 16));
    QByteArray bmp = encode(image.mirrored(false, true), "bmp"); // bottom-up rows of the flip
    const qint32 height = qFromLittleEndian<qint32>(bmp.constData() + 22);
    QCOMPARE(height, 16);
    qToLittleEndian<qint32>(-height, bmp.data() + 22); // now top-down rows of `image`
    QtDecoder decoder(bmp);
    const ImageProbe probe = decoder.probe();
    QVERIFY2(probe.error.isEmpty(), qPrintable(probe.error));
    QCOMPARE(probe.size, QSize(24, 16));
    QVERIFY(probe.damage.isEmpty());
    const DecodedImage decoded = decoder.decode({});
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    for (const QPoint p : {QPoint(2, 2), QPoint(21, 2), QPoint(2, 13), QPoint(21, 13)})
        QCOMPARE(decoded.pixels.pixelColor(p), image.pixelColor(p));
}

void tst_QtCodec::decodeFailureSaysWhy()
{
    const QByteArray png = encode(quadrants(QSize(300, 200)), "png");
    QtDecoder decoder(png.left(png.size() / 2));
    QVERIFY(decoder.probe().error.isEmpty()); // the header is whole
    const DecodedImage decoded = decoder.decode({});
    QVERIFY(decoded.pixels.isNull());
    QVERIFY(!decoded.error.isEmpty());
}

void tst_QtCodec::recognisedByContent()
{
    const QtCodec codec;
    QVERIFY(!codec.decoderFor("just some words\n"));
    QVERIFY(!codec.decoderFor(QByteArray()));
    const auto decoder = codec.decoderFor(encode(quadrants(QSize(8, 8)), "png"));
    QVERIFY(decoder);
    QCOMPARE(decoder->probe().format, QByteArray("png"));
}

void tst_QtCodec::encodersForWhatQtWrites()
{
    const QtCodec codec;
    for (const QByteArray &format : QImageWriter::supportedImageFormats()) {
        const ImageEncoder *encoder = codec.encoderFor(format);
        QVERIFY2(encoder, format.constData());
        QCOMPARE(encoder->format(), format);
    }
    QVERIFY(!codec.encoderFor("gif")); // Qt reads GIF but does not write it
    QVERIFY(!codec.encoderFor("nonsense"));
}

void tst_QtCodec::keepsAlpha_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<bool>("keepsAlpha");
    QTest::newRow("png") << QByteArray("png") << true;
    QTest::newRow("webp") << QByteArray("webp") << true;
    QTest::newRow("tiff") << QByteArray("tiff") << true;
    QTest::newRow("jpeg") << QByteArray("jpeg") << false;
    QTest::newRow("bmp") << QByteArray("bmp") << false;
}

void tst_QtCodec::keepsAlpha()
{
    QFETCH(QByteArray, format);
    QFETCH(bool, keepsAlpha);
    QCOMPARE(QtEncoder(format).keepsAlpha(), keepsAlpha);
}

void tst_QtCodec::encodeWritesTheText_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::newRow("jpeg") << QByteArray("jpeg"); // COM markers
    QTest::newRow("png") << QByteArray("png");   // tEXt chunks
}

void tst_QtCodec::encodeWritesTheText()
{
    QFETCH(QByteArray, format);
    EncodeInput input{quadrants(QSize(16, 16)), {}, {}};
    input.metadata.text = {{QLatin1String(FingerprintKey), QStringLiteral("abc123")},
                           {QLatin1String(SourceKey), QStringLiteral("sub/in.png")}};
    const EncodedImage encoded = QtEncoder(format).encode(input, {});
    QVERIFY(encoded.ok);
    QBuffer buffer;
    buffer.setData(encoded.bytes);
    QImageReader reader(&buffer);
    QCOMPARE(reader.text(QLatin1String(FingerprintKey)), QStringLiteral("abc123"));
    QCOMPARE(reader.text(QLatin1String(SourceKey)), QStringLiteral("sub/in.png"));
}

void tst_QtCodec::encodeSettings()
{
    const EncodeInput input{quadrants(QSize(128, 128)), {}, {}};
    const QtEncoder jpeg("jpeg");
    const QByteArray baseline = jpeg.encode(input, {85, false}).bytes;
    const QByteArray progressive = jpeg.encode(input, {85, true}).bytes;
    QVERIFY(!baseline.contains(QByteArrayLiteral("\xFF\xC2")));
    QVERIFY(progressive.contains(QByteArrayLiteral("\xFF\xC2"))); // SOF2: progressive
    QVERIFY(jpeg.encode(input, {10, false}).bytes.size() <
            jpeg.encode(input, {95, false}).bytes.size());
    // Chroma at full resolution from quality 90 on (issue 11; Qt's writer always wrote 4:2:0):
    // the luma component's sampling factors in the frame header are 1x1, else 2x2.
    const auto lumaSampling = [](const QByteArray &bytes) {
        const qsizetype sof = bytes.indexOf(QByteArrayLiteral("\xFF\xC0"));
        return sof < 0 ? -1 : int(uchar(bytes.at(sof + 11)));
    };
    QCOMPARE(lumaSampling(baseline), 0x22);
    QCOMPARE(lumaSampling(jpeg.encode(input, {89, false}).bytes), 0x22);
    QCOMPARE(lumaSampling(jpeg.encode(input, {90, false}).bytes), 0x11);
    QCOMPARE(lumaSampling(jpeg.encode(input, {100, false}).bytes), 0x11);
    // Progressive and quality mean nothing to PNG (issue 11: --quality 100 wrote an
    // uncompressed file, 0 took seconds); its compression level is its own setting.
    const QtEncoder png("png");
    QCOMPARE(png.encode(input, {85, true}).bytes, png.encode(input, {85, false}).bytes);
    QCOMPARE(png.encode(input, {0, false}).bytes, png.encode(input, {100, false}).bytes);
    const EncodedImage stored = png.encode(input, {85, false, 0});
    QVERIFY(stored.bytes.size() > 128 * 128 * 3); // level 0: deflate's stored blocks
    QVERIFY(png.encode(input, {85, false, 9}).bytes.size() <
            png.encode(input, {85, false, 1}).bytes.size());
    QCOMPARE(QImage::fromData(stored.bytes), QImage::fromData(png.encode(input, {}).bytes));
    // WebP at quality 100 stays lossy; lossless only when asked.
    const QtEncoder webp("webp");
    const QByteArray lossy = webp.encode(input, {100, false}).bytes;
    const QByteArray lossless = webp.encode(input, {85, false, 6, true}).bytes;
    QVERIFY(lossy.contains("VP8 "));
    QVERIFY(!lossy.contains("VP8L"));
    QVERIFY(lossless.contains("VP8L"));
    QCOMPARE(QImage::fromData(lossless).convertToFormat(QImage::Format_RGB32),
             input.pixels.convertToFormat(QImage::Format_RGB32));
    // TIFF is compressed (LZW): it was written uncompressed.
    const EncodedImage tiff = QtEncoder("tiff").encode(input, {});
    QVERIFY(tiff.bytes.size() < 128 * 128 * 3 / 4);
}

void tst_QtCodec::encodeEmbedsTheProfile_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QImage>("pixels");
    QTest::addColumn<QByteArray>("profile"); // what the encoder is told to embed
    const QImage plain = quadrants(QSize(16, 16));
    const QImage p3 = withColourSpace(plain, QColorSpace::DisplayP3);
    for (const char *format : {"jpeg", "png"}) {
        QTest::addRow("%s: none", format) << QByteArray(format) << plain << QByteArray();
        QTest::addRow("%s: the pixels' own", format)
            << QByteArray(format) << p3 << profileOf(QColorSpace::DisplayP3);
        QTest::addRow("%s: another than the pixels'", format)
            << QByteArray(format) << p3 << profileOf(QColorSpace::AdobeRgb);
        QTest::addRow("%s: one the pixels lack", format)
            << QByteArray(format) << plain << profileOf(QColorSpace::ProPhotoRgb);
        QTest::addRow("%s: stripped", format) << QByteArray(format) << p3 << QByteArray();
    }
}

void tst_QtCodec::encodeEmbedsTheProfile()
{
    QFETCH(QByteArray, format);
    QFETCH(QImage, pixels);
    QFETCH(QByteArray, profile);
    const QByteArray pixelsProfile = pixels.colorSpace().iccProfile();
    const EncodedImage encoded = QtEncoder(format).encode({pixels, profile, {}}, {});
    QVERIFY(encoded.ok);
    QCOMPARE(readBack(encoded.bytes).colorSpace().iccProfile(), profile);
    QCOMPARE(pixels.colorSpace().iccProfile(), pixelsProfile); // the caller's image is untouched
}

// The encoder is QImageWriter with the settings and text set: the same bytes as before the
// job was split into stages.
void tst_QtCodec::encodeIsQImageWriter_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<int>("quality");
    QTest::addColumn<bool>("progressive");
    QTest::newRow("jpeg") << QByteArray("jpeg") << 85 << false;
    QTest::newRow("jpeg progressive") << QByteArray("jpeg") << 50 << true;
    QTest::newRow("png") << QByteArray("png") << 85 << false;
    QTest::newRow("webp") << QByteArray("webp") << 70 << false;
    QTest::newRow("tiff") << QByteArray("tiff") << 85 << false;
}

void tst_QtCodec::encodeIsQImageWriter()
{
    QFETCH(QByteArray, format);
    QFETCH(int, quality);
    QFETCH(bool, progressive);
    const QImage pixels = withColourSpace(quadrants(QSize(40, 30)), QColorSpace::DisplayP3);
    QByteArray expected;
    {
        QBuffer buffer(&expected);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, format);
        writer.setQuality(format == "png" ? 39 : quality); // Qt's quality for zlib level 6
        if (format == "tiff")
            writer.setCompression(1); // LZW
        if (format == "jpeg")
            writer.setOptimizedWrite(true);
        if (progressive)
            writer.setProgressiveScanWrite(true);
        if (format != "jpeg") {
            writer.setText(QLatin1String(FingerprintKey), QStringLiteral("f"));
            writer.setText(QLatin1String(SourceKey), QStringLiteral("s"));
        }
        QVERIFY(writer.write(pixels));
    }
    if (format == "jpeg") { // the text goes last, as COM segments just before the scan
        const qsizetype scan = expected.indexOf("\xFF\xDA");
        expected.insert(scan, QByteArrayLiteral("\xFF\xFE\x00\x11SluiceRecipe: f"
                                                "\xFF\xFE\x00\x11SluiceSource: s"));
    }
    EncodeInput input{pixels, pixels.colorSpace().iccProfile(), {}};
    input.metadata.text = {{QLatin1String(FingerprintKey), QStringLiteral("f")},
                           {QLatin1String(SourceKey), QStringLiteral("s")}};
    const EncodedImage encoded = QtEncoder(format).encode(input, {quality, progressive});
    QVERIFY(encoded.ok);
    QCOMPARE(encoded.bytes, expected);
}

void tst_QtCodec::encodeFailureSaysWhy()
{
    const EncodedImage encoded = QtEncoder("nonsense").encode({quadrants(QSize(4, 4)), {}, {}}, {});
    QVERIFY(!encoded.ok);
    QVERIFY(!encoded.error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_QtCodec)
#include "tst_qtcodec.moc"

#include "testimages.h"

#include <QBuffer>
#include <QColorSpace>
#include <QImageReader>
#include <QtTest>
#include <array>
#include <cstdio>
#include <cstring>
#include <jpeglib.h>
#include <jpegturbo.h>

using namespace sluice;
using namespace testimages;

namespace {

using Ink = std::array<uchar, 4>; // C, M, Y, K: 0 no ink, 255 full ink

// A CMYK JPEG of `size` in one ink, written by libjpeg (quality 100, no chroma subsampling).
// `adobe`: with Adobe's APP14 marker and the values inverted, as Photoshop writes them;
// otherwise plain CMYK, 0 meaning no ink.
QByteArray cmykJpeg(QSize size, Ink ink, bool adobe)
{
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);
    jpeg_create_compress(&info);
    unsigned char *buffer = nullptr;
    unsigned long length = 0;
    jpeg_mem_dest(&info, &buffer, &length);
    info.image_width = JDIMENSION(size.width());
    info.image_height = JDIMENSION(size.height());
    info.input_components = 4;
    info.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_colorspace(&info, JCS_CMYK);
    jpeg_set_quality(&info, 100, TRUE);
    for (int c = 0; c < 4; ++c)
        info.comp_info[c].h_samp_factor = info.comp_info[c].v_samp_factor = 1;
    info.write_Adobe_marker = adobe ? TRUE : FALSE;
    jpeg_start_compress(&info, TRUE);
    std::vector<JSAMPLE> row(size_t(size.width()) * 4);
    for (int x = 0; x < size.width(); ++x)
        for (int c = 0; c < 4; ++c)
            row[size_t(x) * 4 + size_t(c)] = adobe ? JSAMPLE(255 - ink[size_t(c)]) : ink[size_t(c)];
    while (info.next_scanline < info.image_height) {
        JSAMPROW line = row.data();
        jpeg_write_scanlines(&info, &line, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    QByteArray bytes(reinterpret_cast<const char *>(buffer), qsizetype(length));
    free(buffer);
    return bytes;
}

// The offset of the first SOFn marker's precision byte in a JPEG, or -1.
qsizetype sofOffset(const QByteArray &jpeg)
{
    const auto *p = reinterpret_cast<const uchar *>(jpeg.constData());
    qsizetype at = 2;
    while (at + 4 <= jpeg.size() && p[at] == 0xFF) {
        const uchar marker = p[at + 1];
        if (marker >= 0xC0 && marker <= 0xC3)
            return at;
        at += 2 + ((p[at + 2] << 8) | p[at + 3]);
    }
    return -1;
}

// What libjpeg reads from a JPEG's headers.
struct Written
{
    int components = 0;
    int lumaSampling = 0; // the luma component's horizontal x vertical factor: 1 means 4:4:4
    bool progressive = false;
    int densityUnit = 0;
    int xDensity = 0;
    QByteArray icc;
};

Written headersOf(const QByteArray &jpeg)
{
    jpeg_decompress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char *>(jpeg.constData()),
                 static_cast<unsigned long>(jpeg.size()));
    jpeg_save_markers(&info, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&info, TRUE);
    Written w;
    w.components = info.num_components;
    w.lumaSampling = info.comp_info[0].h_samp_factor * info.comp_info[0].v_samp_factor;
    w.progressive = info.progressive_mode;
    w.densityUnit = info.density_unit;
    w.xDensity = info.X_density;
    JOCTET *icc = nullptr;
    unsigned int length = 0;
    if (jpeg_read_icc_profile(&info, &icc, &length)) {
        w.icc = QByteArray(reinterpret_cast<const char *>(icc), qsizetype(length));
        free(icc);
    }
    jpeg_destroy_decompress(&info);
    return w;
}

// One-pixel red and blue stripes: what 4:2:0 chroma smears.
QImage colourStripes(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, x % 2 ? qRgb(220, 20, 30) : qRgb(20, 40, 220));
    return image;
}

} // namespace

// A photo-like picture: gradients, hard-edged blocks and a little deterministic noise, so that
// every IDCT and upsampling path has something to do.
QImage detailed(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    quint32 seed = 12345;
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x) {
            seed = seed * 1664525u + 1013904223u;
            const int noise = int(seed >> 28) - 8;
            const bool block = ((x / 9) + (y / 7)) % 3 == 0;
            image.setPixel(x, y,
                           qRgb(qBound(0, x * 255 / size.width() + noise, 255),
                                block ? 230 : qBound(0, 40 + noise, 255),
                                qBound(0, y * 255 / size.height() - noise, 255)));
        }
    return image;
}

// Qt's reading of `jpeg` at `size` (its scaled decode).
QImage qtReading(const QByteArray &jpeg, QSize size)
{
    QBuffer buffer;
    buffer.setData(jpeg);
    QImageReader reader(&buffer, "jpeg");
    reader.setScaledSize(size);
    return reader.read();
}

class tst_JpegTurbo : public QObject
{
    Q_OBJECT

private slots:
    void headerSaysCmyk_data();
    void headerSaysCmyk();
    void unsupportedIsNotDamaged_data();
    void unsupportedIsNotDamaged();
    void decodesInkValues_data();
    void decodesInkValues();
    void decodesAtReducedScale_data();
    void decodesAtReducedScale();
    void refusesWhatItCannotDecode_data();
    void refusesWhatItCannotDecode();
    void scanlinesAreQtsPixels_data();
    void scanlinesAreQtsPixels();
    void scanlinesAtOddSizes();
    void scanlinesHandOverResolutionAndProfile();
    void scanlinesSayWhenLibjpegStops();
    void emptyInputIsRefused();
    void scanlinesRefuseWhatTheyCannotRead_data();
    void scanlinesRefuseWhatTheyCannotRead();
    void encodeSettings_data();
    void encodeSettings();
    void fullChromaKeepsColourEdges();
    void encodeKeepsResolutionAndProfile();
    void encodeRefusesWhatJpegCannotHold();
};

void tst_JpegTurbo::headerSaysCmyk_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("cmyk");
    QTest::newRow("Adobe CMYK") << cmykJpeg({16, 8}, {0, 255, 255, 0}, true) << true;
    QTest::newRow("plain CMYK") << cmykJpeg({16, 8}, {0, 255, 255, 0}, false) << true;
    QTest::newRow("RGB") << encode(quadrants({16, 8}), "jpeg") << false;
    QTest::newRow("gray") << encode(quadrants({16, 8}).convertToFormat(QImage::Format_Grayscale8),
                                    "jpeg")
                          << false;
}

void tst_JpegTurbo::headerSaysCmyk()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, cmyk);
    const JpegHeader header = readJpegHeader(bytes);
    QVERIFY2(header.error.isEmpty(), qPrintable(header.error));
    QCOMPARE(header.cmyk, cmyk);
}

// A 12-bit or lossless JPEG is valid: libjpeg's 8-bit build cannot read it, and says so.
void tst_JpegTurbo::unsupportedIsNotDamaged_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    const QByteArray jpeg = encode(quadrants({16, 8}), "jpeg");
    const qsizetype sof = sofOffset(jpeg);
    QVERIFY(sof > 0);
    QByteArray twelveBit = jpeg;
    twelveBit[sof + 4] = char(12); // the frame header's sample precision
    QTest::newRow("12-bit") << twelveBit << QStringLiteral("unsupported: 12-bit JPEG");
    QByteArray lossless = jpeg;
    lossless[sof + 1] = char(0xC3);
    QTest::newRow("lossless") << lossless << QStringLiteral("unsupported: lossless JPEG");
}

void tst_JpegTurbo::unsupportedIsNotDamaged()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QCOMPARE(readJpegHeader(bytes).error, error);
}

void tst_JpegTurbo::decodesInkValues_data()
{
    QTest::addColumn<bool>("adobe");
    QTest::addColumn<Ink>("ink");
    for (const bool adobe : {true, false}) {
        const char *kind = adobe ? "Adobe" : "plain";
        QTest::addRow("%s, cyan", kind) << adobe << Ink{255, 0, 0, 0};
        QTest::addRow("%s, red", kind) << adobe << Ink{0, 255, 255, 0};
        QTest::addRow("%s, half black", kind) << adobe << Ink{0, 0, 0, 128};
        QTest::addRow("%s, paper", kind) << adobe << Ink{0, 0, 0, 0};
    }
}

// The values as written, with `inverted` saying which way round they are.
void tst_JpegTurbo::decodesInkValues()
{
    QFETCH(bool, adobe);
    QFETCH(Ink, ink);
    const QSize size(13, 7);
    const CmykPixels pixels = decodeCmykJpeg(cmykJpeg(size, ink, adobe), size);
    QVERIFY2(pixels.error.isEmpty(), qPrintable(pixels.error));
    QCOMPARE(pixels.size, size);
    QCOMPARE(pixels.inverted, adobe);
    QCOMPARE(pixels.data.size(), qsizetype(13 * 7 * 4));
    for (int i = 0; i < pixels.data.size(); ++i) {
        const int value = uchar(pixels.data.at(i));
        const int expected = adobe ? 255 - ink[size_t(i % 4)] : ink[size_t(i % 4)];
        QVERIFY2(
            qAbs(value - expected) <= 2,
            qPrintable(QStringLiteral("byte %1: %2, expected %3").arg(i).arg(value).arg(expected)));
    }
}

// The sizes ResizePlan::jpegDecodeSize asks for: each side ceil(side / d).
void tst_JpegTurbo::decodesAtReducedScale_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("full") << QSize(101, 75);
    QTest::newRow("1/2") << QSize(51, 38);
    QTest::newRow("1/4") << QSize(26, 19);
    QTest::newRow("1/8") << QSize(13, 10);
}

void tst_JpegTurbo::decodesAtReducedScale()
{
    QFETCH(QSize, size);
    const CmykPixels pixels = decodeCmykJpeg(cmykJpeg({101, 75}, {0, 255, 255, 0}, true), size);
    QVERIFY2(pixels.error.isEmpty(), qPrintable(pixels.error));
    QCOMPARE(pixels.size, size);
    QCOMPARE(pixels.data.size(), qsizetype(size.width()) * size.height() * 4);
    QVERIFY(qAbs(uchar(pixels.data.at(pixels.data.size() - 3)) - 0) <= 2); // magenta: full ink
}

void tst_JpegTurbo::refusesWhatItCannotDecode_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QSize>("size");
    const QByteArray cmyk = cmykJpeg({101, 75}, {0, 255, 255, 0}, true);
    QTest::newRow("RGB") << encode(quadrants({16, 8}), "jpeg") << QSize(16, 8);
    QTest::newRow("a size DCT scaling cannot give") << cmyk << QSize(60, 40);
    QTest::newRow("header only") << cmyk.left(sofOffset(cmyk) + 8) << QSize(101, 75);
    QTest::newRow("not a JPEG") << QByteArrayLiteral("GIF89a") << QSize(1, 1);
}

void tst_JpegTurbo::refusesWhatItCannotDecode()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QSize, size);
    const CmykPixels pixels = decodeCmykJpeg(bytes, size);
    QVERIFY(!pixels.error.isEmpty());
    QVERIFY(pixels.data.isEmpty());
    QVERIFY(pixels.size.isEmpty());
}

void tst_JpegTurbo::scanlinesAreQtsPixels_data()
{
    QTest::addColumn<QByteArray>("jpeg");
    QTest::addColumn<QSize>("size");
    // Sides that divide by 8: Qt's reader picks libjpeg's scale by integer division, so for a
    // side such as 203 it decodes 1/2 at full size and shrinks it itself (JpegScanlines always
    // lets libjpeg scale: an odd size is compared to Qt below only for its values' closeness).
    const QImage picture = detailed({208, 120});
    QString error;
    const QByteArray subsampled = encodeJpeg(picture, {85, false, false}, {}, &error);
    const QByteArray full = encodeJpeg(picture, {95, false, true}, {}, &error);
    const QByteArray progressive = encodeJpeg(picture, {85, true, false}, {}, &error);
    const QByteArray gray = encodeJpeg(picture.convertToFormat(QImage::Format_Grayscale8),
                                       {85, false, false}, {}, &error);
    for (const QSize size : {QSize(208, 120), QSize(104, 60), QSize(52, 30), QSize(26, 15)}) {
        const QByteArray label = QByteArray::number(size.width());
        QTest::newRow("4:2:0 at " + label) << subsampled << size;
        QTest::newRow("4:4:4 at " + label) << full << size;
        QTest::newRow("progressive at " + label) << progressive << size;
        QTest::newRow("gray at " + label) << gray << size;
    }
    QTest::newRow("Qt's writer") << encode(picture, "jpeg", 80) << QSize(52, 30);
}

// Row by row, the same values as Qt's reader decodes (so that resampling as libjpeg decodes
// gives the same output as decoding first).
void tst_JpegTurbo::scanlinesAreQtsPixels()
{
    QFETCH(QByteArray, jpeg);
    QFETCH(QSize, size);
    const QImage qt = qtReading(jpeg, size);
    QCOMPARE(qt.size(), size);
    JpegScanlines scanlines(jpeg, size);
    QCOMPARE(scanlines.error(), QString());
    QCOMPARE(scanlines.size(), size);
    QCOMPARE(scanlines.format(), qt.format());
    const int rowBytes = size.width() * (qt.format() == QImage::Format_Grayscale8 ? 1 : 4);
    for (int y = 0; y < size.height(); ++y)
        QVERIFY2(std::memcmp(scanlines.row(y), qt.constScanLine(y), size_t(rowBytes)) == 0,
                 qPrintable(QStringLiteral("row %1 differs").arg(y)));
    QCOMPARE(scanlines.error(), QString());
}

// A side that does not divide by the scale: ceil(side / d), as ResizePlan::jpegDecodeSize
// asks for it, each pixel close to the mean of the d x d full-size pixels it stands for (Qt's
// reader does not scale such a file in libjpeg, so it is no reference here).
void tst_JpegTurbo::scanlinesAtOddSizes()
{
    const QImage picture = detailed({203, 117});
    QString error;
    const QByteArray jpeg = encodeJpeg(picture, {95, false, true}, {}, &error);
    const QImage whole = qtReading(jpeg, picture.size());
    for (const int d : {2, 4, 8}) {
        const QSize size((203 + d - 1) / d, (117 + d - 1) / d);
        JpegScanlines scanlines(jpeg, size);
        QCOMPARE(scanlines.error(), QString());
        QCOMPARE(scanlines.size(), size);
        double difference = 0;
        for (int y = 0; y < size.height(); ++y) {
            const auto *row = reinterpret_cast<const QRgb *>(scanlines.row(y));
            for (int x = 0; x < size.width(); ++x) {
                int sum = 0, count = 0;
                for (int v = y * d; v < qMin(y * d + d, whole.height()); ++v)
                    for (int u = x * d; u < qMin(x * d + d, whole.width()); ++u, ++count)
                        sum += qGreen(whole.pixel(u, v));
                difference += qAbs(qGreen(row[x]) - double(sum) / count);
            }
        }
        difference /= size.width() * size.height();
        QVERIFY2(difference < 2, qPrintable(QStringLiteral("1/%1: %2").arg(d).arg(difference)));
    }
}

void tst_JpegTurbo::scanlinesHandOverResolutionAndProfile()
{
    QImage picture = detailed({64, 48});
    picture.setDotsPerMeterX(qRound(300 / 0.0254));
    picture.setDotsPerMeterY(qRound(150 / 0.0254));
    const QByteArray icc = QColorSpace(QColorSpace::AdobeRgb).iccProfile();
    QString error;
    const QByteArray jpeg = encodeJpeg(picture, {}, icc, &error);
    JpegScanlines scanlines(jpeg, {32, 24});
    QCOMPARE(scanlines.error(), QString());
    const QImage qt = qtReading(jpeg, {32, 24});
    QCOMPARE(scanlines.dotsPerMeterX(), qt.dotsPerMeterX());
    QCOMPARE(scanlines.dotsPerMeterY(), qt.dotsPerMeterY());
    QCOMPARE(scanlines.dotsPerMeterX(), int(100.0 * 300 / 2.54));
    QCOMPARE(scanlines.iccProfile(), icc);
    // No profile, no JFIF resolution (units 0: an aspect ratio only): nothing handed over.
    QByteArray bare = encodeJpeg(detailed({16, 16}), {}, {}, &error);
    QCOMPARE(bare.mid(6, 5), QByteArray("JFIF\0", 5));
    bare[13] = 0; // the JFIF density unit
    JpegScanlines plain(bare, {16, 16});
    QCOMPARE(plain.error(), QString());
    QVERIFY(plain.iccProfile().isEmpty());
    QCOMPARE(plain.dotsPerMeterX(), 0);
    QCOMPARE(plain.dotsPerMeterY(), 0);
}

// libjpeg stopping part way (here on what follows the last row: a second frame header where the
// end marker belongs) is an error, and the rows are filler from there on.
void tst_JpegTurbo::scanlinesSayWhenLibjpegStops()
{
    QString error;
    const QByteArray jpeg = withSecondFrameHeaderAtTheEnd(
        encodeJpeg(detailed({32, 24}), {90, false, true}, {}, &error));
    QVERIFY(!jpeg.isEmpty());
    JpegScanlines scanlines(jpeg, {32, 24});
    QCOMPARE(scanlines.error(), QString());
    for (int y = 0; y < 24; ++y)
        QVERIFY(scanlines.row(y));
    QVERIFY2(!scanlines.error().isEmpty(), "a second SOF after the scan went unnoticed");
}

// No bytes at all: refused with a reason, not a jump into nowhere.
void tst_JpegTurbo::emptyInputIsRefused()
{
    QVERIFY(!readJpegHeader(QByteArray()).error.isEmpty());
    QVERIFY(!decodeCmykJpeg(QByteArray(), {1, 1}).error.isEmpty());
    JpegScanlines scanlines(QByteArray(), {1, 1});
    QVERIFY(!scanlines.error().isEmpty());
}

void tst_JpegTurbo::scanlinesRefuseWhatTheyCannotRead_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QSize>("size");
    const QByteArray rgb = encode(quadrants({101, 75}), "jpeg");
    QByteArray twelveBit = rgb;
    twelveBit[sofOffset(rgb) + 4] = char(12);
    QTest::newRow("CMYK") << cmykJpeg({16, 8}, {0, 255, 255, 0}, true) << QSize(16, 8);
    QTest::newRow("12-bit") << twelveBit << QSize(101, 75);
    QTest::newRow("a size DCT scaling cannot give") << rgb << QSize(60, 40);
    QTest::newRow("header cut short") << rgb.left(sofOffset(rgb) + 6) << QSize(101, 75);
    QTest::newRow("not a JPEG") << QByteArrayLiteral("GIF89a") << QSize(1, 1);
}

// Each is refused before a row is decoded, with a reason; asking for rows anyway gives filler,
// never a crash.
void tst_JpegTurbo::scanlinesRefuseWhatTheyCannotRead()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QSize, size);
    JpegScanlines scanlines(bytes, size);
    QVERIFY(!scanlines.error().isEmpty());
    QCOMPARE(scanlines.format(), QImage::Format_Invalid);
    QVERIFY(scanlines.size().isEmpty());
    QVERIFY(scanlines.iccProfile().isEmpty());
    scanlines.row(0);
}

void tst_JpegTurbo::encodeSettings_data()
{
    QTest::addColumn<QImage>("pixels");
    QTest::addColumn<int>("quality");
    QTest::addColumn<bool>("progressive");
    QTest::addColumn<int>("components");
    QTest::addColumn<int>("lumaSampling");
    const QImage rgb = quadrants({64, 48});
    QTest::newRow("q85: 4:2:0") << rgb << 85 << false << 3 << 4;
    QTest::newRow("q89: 4:2:0") << rgb << 89 << false << 3 << 4;
    QTest::newRow("q90: 4:4:4") << rgb << 90 << false << 3 << 1;
    QTest::newRow("q100, progressive") << rgb << 100 << true << 3 << 1;
    QTest::newRow("gray") << rgb.convertToFormat(QImage::Format_Grayscale8) << 85 << false << 1
                          << 1;
    QTest::newRow("16-bit gray") << rgb.convertToFormat(QImage::Format_Grayscale16) << 85 << false
                                 << 1 << 1;
    QTest::newRow("16-bit RGB") << rgb.convertToFormat(QImage::Format_RGBX64) << 85 << true << 3
                                << 4;
    QTest::newRow("alpha") << rgb.convertToFormat(QImage::Format_ARGB32) << 95 << false << 3 << 1;
}

void tst_JpegTurbo::encodeSettings()
{
    QFETCH(QImage, pixels);
    QFETCH(int, quality);
    QFETCH(bool, progressive);
    QFETCH(int, components);
    QFETCH(int, lumaSampling);
    QString error;
    const QByteArray jpeg =
        encodeJpeg(pixels, {quality, progressive, fullChromaAt(quality)}, {}, &error);
    QVERIFY2(!jpeg.isEmpty(), qPrintable(error));
    const Written w = headersOf(jpeg);
    QCOMPARE(w.components, components);
    QCOMPARE(w.lumaSampling, lumaSampling);
    QCOMPARE(w.progressive, progressive);
    // Read back by Qt, the same picture.
    const QImage back = QImage::fromData(jpeg, "jpeg");
    QCOMPARE(back.size(), pixels.size());
    const QColor expected = pixels.pixelColor(8, 8), got = back.pixelColor(8, 8);
    QVERIFY2(qAbs(got.red() - expected.red()) <= 6 && qAbs(got.green() - expected.green()) <= 6 &&
                 qAbs(got.blue() - expected.blue()) <= 6,
             qPrintable(got.name() + QLatin1Char(' ') + expected.name()));
}

// Issue 11: at quality 90 red and blue stripes one pixel wide stay red and blue; 4:2:0 turns
// them into purple.
void tst_JpegTurbo::fullChromaKeepsColourEdges()
{
    const QImage stripes = colourStripes({64, 32});
    QString error;
    const QImage full = QImage::fromData(encodeJpeg(stripes, {90, false, true}, {}, &error));
    const QImage half = QImage::fromData(encodeJpeg(stripes, {90, false, false}, {}, &error));
    QVERIFY2(!full.isNull() && !half.isNull(), qPrintable(error));
    double fullError = 0, halfError = 0;
    for (int x = 8; x < 56; ++x) {
        const QColor want = stripes.pixelColor(x, 16);
        fullError += qAbs(full.pixelColor(x, 16).red() - want.red());
        halfError += qAbs(half.pixelColor(x, 16).red() - want.red());
    }
    QVERIFY2(fullError * 4 < halfError,
             qPrintable(QStringLiteral("4:4:4 %1, 4:2:0 %2").arg(fullError).arg(halfError)));
}

void tst_JpegTurbo::encodeKeepsResolutionAndProfile()
{
    QImage pixels = quadrants({32, 32});
    pixels.setDotsPerMeterX(qRound(72 / 0.0254));
    pixels.setDotsPerMeterY(qRound(72 / 0.0254));
    const QByteArray icc = QColorSpace(QColorSpace::AdobeRgb).iccProfile();
    QString error;
    const QByteArray jpeg = encodeJpeg(pixels, {}, icc, &error);
    QVERIFY2(!jpeg.isEmpty(), qPrintable(error));
    const Written w = headersOf(jpeg);
    QCOMPARE(w.densityUnit, 1); // dots per inch
    QCOMPARE(w.xDensity, 72);
    QCOMPARE(w.icc, icc);
    QCOMPARE(QImage::fromData(jpeg).colorSpace(), QColorSpace(QColorSpace::AdobeRgb));
}

void tst_JpegTurbo::encodeRefusesWhatJpegCannotHold()
{
    QString error;
    QVERIFY(encodeJpeg(QImage(65501, 1, QImage::Format_RGB32), {}, {}, &error).isEmpty());
    QVERIFY(error.contains(QLatin1String("65500")));
    error.clear();
    QVERIFY(encodeJpeg(QImage(), {}, {}, &error).isEmpty());
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(tst_JpegTurbo)
#include "tst_jpegturbo.moc"

#include "testimages.h"

#include <QColorSpace>
#include <QtTest>
#include <array>
#include <cstdio>
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

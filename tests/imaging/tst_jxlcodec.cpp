// Issue 13: JPEG XL through libjxl. Test files are made at test time with cjxl (libjxl-tools)
// and compared with djxl's reading; the oriented one is written with libjxl's own encoder
// (cjxl takes no orientation).
#include "exivfixtures.h"
#include "testimages.h"
#include "toolfixtures.h"

#include <QColorSpace>
#include <QtTest>
#include <jxl/encode.h>
#include <jxlcodec.h>

using namespace sluice;
using namespace testimages;
using namespace fixtures;

class tst_JxlCodec : public QObject
{
    Q_OBJECT

private slots:
    void recognisedByContent();
    void decodesWhatCjxlWrites_data();
    void decodesWhatCjxlWrites();
    void orientationIsAppliedOnce();
    void displayP3ProfileIsHandedOver();
    void animationGivesTheFirstFrame();
    void damagedFilesFailCleanly();
    void roundTrip_data();
    void roundTrip();
    void metadataBoxesRoundTrip();
    void qualityMapsToDistance();
    void grayPixelsWithAnRgbProfile();

private:
    // cjxl's output for `image` (written as PNG first); empty with a skip reason in m_skip.
    QByteArray cjxl(const QImage &image, const QStringList &arguments);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_skip;
};

namespace {

DecodedImage decodeAll(const QByteArray &bytes, ImageProbe *probe = nullptr)
{
    return decodeWith(JxlCodec(), bytes, probe);
}

QImage translucentQuadrants(QSize size)
{
    return fixtures::translucentQuadrants(size, 100);
}

// A 16-bit image whose values differ below 8 bits.
QImage deepRamp(QSize size)
{
    return fixtures::deepRamp(size, 7);
}

QImage grayRamp(QSize size)
{
    QImage image(size, QImage::Format_Grayscale8);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, qRgb(x * 4, x * 4, x * 4));
    return image;
}

// A lossless JPEG XL of `stored` whose header says EXIF orientation 6 (turn 90 degrees
// clockwise for display).
QByteArray orientedJxl(const QImage &stored)
{
    const QImage rgb = stored.convertToFormat(QImage::Format_RGB888);
    JxlEncoder *enc = JxlEncoderCreate(nullptr);
    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = uint32_t(rgb.width());
    info.ysize = uint32_t(rgb.height());
    info.bits_per_sample = 8;
    info.uses_original_profile = JXL_TRUE;
    info.orientation = JXL_ORIENT_ROTATE_90_CW;
    JxlEncoderSetBasicInfo(enc, &info);
    JxlColorEncoding srgb;
    JxlColorEncodingSetToSRGB(&srgb, JXL_FALSE);
    JxlEncoderSetColorEncoding(enc, &srgb);
    JxlEncoderFrameSettings *settings = JxlEncoderFrameSettingsCreate(enc, nullptr);
    JxlEncoderSetFrameLossless(settings, JXL_TRUE);
    const JxlPixelFormat format{3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 4};
    JxlEncoderAddImageFrame(settings, &format, rgb.constBits(), size_t(rgb.sizeInBytes()));
    JxlEncoderCloseInput(enc);
    QByteArray out(1 << 20, '\0');
    uint8_t *next = reinterpret_cast<uint8_t *>(out.data());
    size_t available = size_t(out.size());
    const bool ok = JxlEncoderProcessOutput(enc, &next, &available) == JXL_ENC_SUCCESS;
    JxlEncoderDestroy(enc);
    return ok ? out.left(out.size() - qsizetype(available)) : QByteArray();
}

} // namespace

QByteArray tst_JxlCodec::cjxl(const QImage &image, const QStringList &arguments)
{
    static int serial = 0;
    const QString stem = path(QStringLiteral("in%1").arg(++serial));
    const QString png = stem + QStringLiteral(".png");
    const QString out = stem + QStringLiteral(".jxl");
    if (!image.save(png, "PNG")) {
        m_skip = QStringLiteral("cannot write %1").arg(png);
        return {};
    }
    QString error;
    if (!runTool("cjxl", QStringList{png, out} + arguments, &error)) {
        m_skip = error;
        return {};
    }
    return readAll(out);
}

void tst_JxlCodec::recognisedByContent()
{
    const JxlCodec codec;
    QVERIFY(!codec.decoderFor(encode(quadrants({8, 8}), "png")));
    QVERIFY(!codec.decoderFor(QByteArray()));
    QVERIFY(!codec.decoderFor(QByteArrayLiteral("\xFF")));
    const QByteArray bare = cjxl(quadrants({16, 16}), {QStringLiteral("-d"), QStringLiteral("1")});
    if (bare.isEmpty())
        QSKIP(qPrintable(m_skip));
    QVERIFY(bare.startsWith("\xFF\x0A") || bare.mid(4, 4) == "JXL ");
    std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(bare);
    QVERIFY(decoder);
    QCOMPARE(decoder->probe().format, QByteArray("jxl"));
}

void tst_JxlCodec::decodesWhatCjxlWrites_data()
{
    QTest::addColumn<QImage>("source");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QImage::Format>("format");
    QTest::addColumn<int>("tolerance"); // mean difference from the source
    const QStringList lossy = {QStringLiteral("-d"), QStringLiteral("0.5")};
    const QStringList lossless = {QStringLiteral("-d"), QStringLiteral("0")};
    QTest::newRow("8 bit lossy") << quadrants({64, 48}) << lossy << QImage::Format_RGB888 << 3;
    QTest::newRow("8 bit lossless")
        << quadrants({64, 48}) << lossless << QImage::Format_RGB888 << 0;
    QTest::newRow("alpha") << translucentQuadrants({64, 48}) << lossless << QImage::Format_RGBA8888
                           << 0;
    QTest::newRow("16 bit") << deepRamp({64, 48}) << lossless << QImage::Format_RGBX64 << 0;
    QTest::newRow("gray") << grayRamp({64, 48}) << lossless << QImage::Format_Grayscale8 << 0;
    QTest::newRow("odd size") << quadrants({33, 7}) << lossy << QImage::Format_RGB888 << 4;
}

void tst_JxlCodec::decodesWhatCjxlWrites()
{
    QFETCH(QImage, source);
    QFETCH(QStringList, arguments);
    QFETCH(QImage::Format, format);
    QFETCH(int, tolerance);
    const QByteArray bytes = cjxl(source, arguments);
    if (bytes.isEmpty())
        QSKIP(qPrintable(m_skip));
    ImageProbe probe;
    const DecodedImage decoded = decodeAll(bytes, &probe);
    QVERIFY2(probe.error.isEmpty(), qPrintable(probe.error));
    QCOMPARE(probe.size, source.size());
    QCOMPARE(probe.orientation, 1);
    QCOMPARE(probe.frameCount, 1);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    QCOMPARE(decoded.pixels.format(), format);
    QVERIFY(decoded.iccProfile.isEmpty()); // sRGB
    const double mean = meanChannelDifference(decoded.pixels, source);
    QVERIFY2(mean <= tolerance, qPrintable(QString::number(mean)));
    if (format == QImage::Format_RGBX64) // every 16-bit value kept
        QCOMPARE(decoded.pixels.pixelColor(63, 0).rgba64().red(), quint16(20000 + 63 * 7));

    // djxl's reading of the same file.
    const QString file = path(QStringLiteral("check.jxl")), png = path(QStringLiteral("djxl.png"));
    QVERIFY(!writeFile(file, bytes).isEmpty());
    QString error;
    if (!runTool("djxl", {file, png}, &error))
        QSKIP(qPrintable(error));
    QVERIFY2(worstChannelDifference(decoded.pixels, QImage(png)) <= 1,
             qPrintable(QString::number(worstChannelDifference(decoded.pixels, QImage(png)))));
}

void tst_JxlCodec::orientationIsAppliedOnce()
{
    const QByteArray bytes = orientedJxl(quadrants({64, 48}));
    QVERIFY(!bytes.isEmpty());
    ImageProbe probe;
    const DecodedImage decoded = decodeAll(bytes, &probe);
    QVERIFY2(probe.error.isEmpty(), qPrintable(probe.error));
    QCOMPARE(probe.size, QSize(64, 48)); // stored
    QCOMPARE(probe.orientation, 6);
    QCOMPARE(probe.orientedSize(), QSize(48, 64));
    QCOMPARE(decoded.pixels.size(), QSize(48, 64));
    QVERIFY(near(decoded.pixels.pixelColor(8, 8), Qt::blue, 0));
    QVERIFY(near(decoded.pixels.pixelColor(40, 8), Qt::red, 0));
    QVERIFY(near(decoded.pixels.pixelColor(8, 56), Qt::yellow, 0));
}

void tst_JxlCodec::displayP3ProfileIsHandedOver()
{
    QImage p3(48, 32, QImage::Format_RGB32);
    p3.fill(QColor(30, 190, 60));
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const QByteArray bytes = cjxl(p3, {QStringLiteral("-d"), QStringLiteral("0.5")});
    if (bytes.isEmpty())
        QSKIP(qPrintable(m_skip));
    const DecodedImage decoded = decodeAll(bytes);
    QVERIFY(!decoded.pixels.isNull());
    QVERIFY(!decoded.iccProfile.isEmpty());
    QCOMPARE(QColorSpace::fromIccProfile(decoded.iccProfile).primaries(),
             QColorSpace::Primaries::DciP3D65);
    QVERIFY(near(decoded.pixels.pixelColor(20, 20), QColor(30, 190, 60), 3));
}

void tst_JxlCodec::animationGivesTheFirstFrame()
{
    const QString gif = path(QStringLiteral("anim.gif")), out = path(QStringLiteral("anim.jxl"));
    QString error;
    if (!runTool("convert",
                 {QStringLiteral("-delay"), QStringLiteral("10"), QStringLiteral("-size"),
                  QStringLiteral("32x24"), QStringLiteral("xc:red"), QStringLiteral("xc:blue"),
                  QStringLiteral("xc:lime"), gif},
                 &error) ||
        !runTool("cjxl", {gif, out}, &error))
        QSKIP(qPrintable(error));
    ImageProbe probe;
    const DecodedImage decoded = decodeAll(readAll(out), &probe);
    QCOMPARE(probe.frameCount, 3);
    QCOMPARE(decoded.pixels.size(), QSize(32, 24));
    QVERIFY(near(decoded.pixels.pixelColor(5, 5), Qt::red, 2));
}

void tst_JxlCodec::damagedFilesFailCleanly()
{
    const QByteArray whole = cjxl(quadrants({64, 48}), {QStringLiteral("-d"), QStringLiteral("1")});
    if (whole.isEmpty())
        QSKIP(qPrintable(m_skip));
    for (const qsizetype keep : {qsizetype(2), qsizetype(12), whole.size() / 2, whole.size() - 3}) {
        const QByteArray bytes = whole.left(keep);
        const JxlCodec codec;
        std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(bytes);
        if (!decoder)
            continue;
        const ImageProbe probe = decoder->probe();
        if (!probe.error.isEmpty())
            continue;
        const DecodedImage decoded = decoder->decode(DecodeRequest{});
        QVERIFY2(decoded.pixels.isNull(), qPrintable(QString::number(keep)));
        QVERIFY(!decoded.error.isEmpty());
    }
}

void tst_JxlCodec::roundTrip_data()
{
    QTest::addColumn<QImage>("source");
    QTest::addColumn<bool>("lossless");
    QTest::addColumn<QImage::Format>("format");
    QTest::newRow("8 bit lossy") << quadrants({64, 48}) << false << QImage::Format_RGB888;
    QTest::newRow("8 bit lossless") << quadrants({64, 48}) << true << QImage::Format_RGB888;
    QTest::newRow("alpha lossless")
        << translucentQuadrants({64, 48}) << true << QImage::Format_RGBA8888;
    QTest::newRow("16 bit lossless") << deepRamp({64, 48}) << true << QImage::Format_RGBX64;
    QTest::newRow("gray lossless") << grayRamp({64, 48}) << true << QImage::Format_Grayscale8;
}

void tst_JxlCodec::roundTrip()
{
    QFETCH(QImage, source);
    QFETCH(bool, lossless);
    QFETCH(QImage::Format, format);
    const JxlCodec codec;
    const ImageEncoder *encoder = codec.encoderFor("jxl");
    QVERIFY(encoder);
    EncodeSettings settings;
    settings.lossless = lossless;
    settings.effort = 3;
    const EncodedImage encoded = encoder->encode({source, {}, {}}, settings);
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    const DecodedImage decoded = decodeAll(encoded.bytes);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    QCOMPARE(decoded.pixels.format(), format);
    QVERIFY(decoded.iccProfile.isEmpty());
    if (lossless) {
        QCOMPARE(decoded.pixels, source.convertToFormat(format));
    } else {
        const double mean = meanChannelDifference(decoded.pixels, source);
        QVERIFY2(mean < 3, qPrintable(QString::number(mean)));
    }
}

void tst_JxlCodec::metadataBoxesRoundTrip()
{
    ImageMetadata metadata;
    Exiv2::ExifData exif;
    exif["Exif.Image.Artist"] = "Jane Photographer";
    Exiv2::Blob blob;
    Exiv2::ExifParser::encode(blob, Exiv2::bigEndian, exif);
    metadata.exif = bytesOf(blob);
    metadata.xmp = QByteArrayLiteral("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>");
    const QByteArray p3 = QColorSpace(QColorSpace::DisplayP3).iccProfile();
    const JxlCodec codec;
    const EncodedImage encoded =
        codec.encoderFor("jxl")->encode({quadrants({32, 32}), p3, metadata}, EncodeSettings{});
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    QCOMPARE(encoded.warning, QString());
    const DecodedImage decoded = decodeAll(encoded.bytes);
    QCOMPARE(decoded.metadata.exif, metadata.exif);
    QCOMPARE(decoded.metadata.xmp, metadata.xmp);
    QCOMPARE(QColorSpace::fromIccProfile(decoded.iccProfile).primaries(),
             QColorSpace::Primaries::DciP3D65);
    // Without metadata asked for, none is read.
    std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(encoded.bytes);
    decoder->probe();
    DecodeRequest bare;
    bare.metadata = false;
    QVERIFY(!decoder->decode(bare).metadata.hasBlocks());

    // The boxes alone, without decoding the image (for names from the capture date).
    QString problem;
    const ImageMetadata boxes = codec.decoderFor(encoded.bytes)->metadata(&problem);
    QCOMPARE(boxes.exif, metadata.exif);
    QCOMPARE(boxes.xmp, metadata.xmp);
    QCOMPARE(problem, QString());
    const EncodedImage plain =
        codec.encoderFor("jxl")->encode({quadrants({32, 32}), {}, {}}, EncodeSettings{});
    QVERIFY2(plain.ok, qPrintable(plain.error));
    QVERIFY(!codec.decoderFor(plain.bytes)->metadata(&problem).hasBlocks());
    QCOMPARE(problem, QString());
}

void tst_JxlCodec::qualityMapsToDistance()
{
    QCOMPARE(jxlDistanceForQuality(100), 0.0f);
    QVERIFY(qAbs(jxlDistanceForQuality(90) - 1.0f) < 0.01f);
    QVERIFY(jxlDistanceForQuality(85) > jxlDistanceForQuality(90));
    QVERIFY(jxlDistanceForQuality(10) > jxlDistanceForQuality(30));
    QCOMPARE(jxlDistanceForQuality(0), 25.0f); // libjxl's largest
}

// A gray image with an RGB profile (Qt makes one from a PNG's gAMA/cHRM) is written as RGB, so
// the profile fits the pixels (libjxl refuses an RGB profile on one channel).
void tst_JxlCodec::grayPixelsWithAnRgbProfile()
{
    const QImage gray = grayRamp({32, 8});
    const QByteArray p3 = QColorSpace(QColorSpace::DisplayP3).iccProfile();
    const JxlCodec codec;
    EncodeSettings settings;
    settings.lossless = true;
    settings.effort = 3;
    const EncodedImage encoded = codec.encoderFor("jxl")->encode({gray, p3, {}}, settings);
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    const DecodedImage decoded = decodeAll(encoded.bytes);
    QCOMPARE(decoded.pixels.format(), QImage::Format_RGB888);
    QCOMPARE(QColorSpace::fromIccProfile(decoded.iccProfile).primaries(),
             QColorSpace::Primaries::DciP3D65);
    QCOMPARE(decoded.pixels.pixelColor(20, 4), QColor(80, 80, 80));
}

QTEST_GUILESS_MAIN(tst_JxlCodec)
#include "tst_jxlcodec.moc"

// Issue 13: HEIC and AVIF through libheif. Test files are made at test time with heif-enc
// (libheif-examples); the rotated one and those with an nclx colour box with libheif's own
// encoder (heif-enc 1.15 writes neither an irot box nor an nclx box for HEVC). Where libvips is
// installed, its reading of the same file is the reference.
#include "exivfixtures.h"
#include "heiffixtures.h"
#include "iccfixtures.h"
#include "testimages.h"
#include "toolfixtures.h"

#include <QColorSpace>
#include <QtTest>
#include <heifcodec.h>
#include <libheif/heif.h>
#include <metadatastage.h>

using namespace sluice;
using namespace testimages;
using namespace fixtures;

class tst_HeifCodec : public QObject
{
    Q_OBJECT

private slots:
    void recognisedByContent_data();
    void recognisedByContent();
    void decodesWhatHeifEncWrites_data();
    void decodesWhatHeifEncWrites();
    void rotationIsAppliedOnce();
    void displayP3ProfileIsHandedOver();
    void nclxBecomesAProfile_data();
    void nclxBecomesAProfile();
    void thumbnailIsUsedWhenLargeEnough();
    void severalImagesGiveTheFirst();
    void damagedFilesFailCleanly_data();
    void damagedFilesFailCleanly();
    void codedImageLargerThanHeaderIsRefused();
    void avifRoundTrip_data();
    void avifRoundTrip();
    void avifCarriesMetadataAndProfile();
    void grayProfileIsAppliedForAvif();
    void grayHeicWithAGrayProfileStaysGray();

private:
    // heif-enc's output for `image` (written as PNG first) with `arguments`; empty with a skip
    // reason in m_skip when heif-enc is missing.
    QByteArray heifEnc(const QImage &image, const QStringList &arguments, const char *suffix);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_skip;
};

namespace {

DecodedImage decodeAll(const QByteArray &bytes, ImageProbe *probe = nullptr)
{
    return decodeWith(HeifCodec(), bytes, probe);
}

QImage translucentQuadrants(QSize size)
{
    return fixtures::translucentQuadrants(size, 128);
}

// A 16-bit image whose values differ below 8 bits: a 10-bit file keeps them apart.
QImage deepRamp(QSize size)
{
    return fixtures::deepRamp(size, 64);
}

int exifOrientationOf(const QByteArray &tiff)
{
    Exiv2::ExifData exif;
    Exiv2::ExifParser::decode(exif, reinterpret_cast<const Exiv2::byte *>(tiff.constData()),
                              uint32_t(tiff.size()));
    const auto found = exif.findKey(Exiv2::ExifKey("Exif.Image.Orientation"));
    return found == exif.end() ? 0 : int(found->toLong());
}

} // namespace

QByteArray tst_HeifCodec::heifEnc(const QImage &image, const QStringList &arguments,
                                  const char *suffix)
{
    static int serial = 0;
    const QString stem = path(QStringLiteral("in%1").arg(++serial));
    const QString png = stem + QStringLiteral(".png");
    const QString out = stem + QLatin1String(suffix);
    if (!image.save(png, "PNG")) {
        m_skip = QStringLiteral("cannot write %1").arg(png);
        return {};
    }
    QString error;
    if (!runTool("heif-enc", QStringList{png, QStringLiteral("-o"), out} + arguments, &error)) {
        m_skip = error;
        return {};
    }
    return readAll(out);
}

void tst_HeifCodec::recognisedByContent_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("recognised");
    QTest::addColumn<QByteArray>("format");
    const QByteArray heic =
        heifEnc(quadrants({32, 32}), {QStringLiteral("-q"), QStringLiteral("80")}, ".heic");
    const QByteArray avif = heifEnc(quadrants({32, 32}), {QStringLiteral("-A")}, ".avif");
    QTest::newRow("heic") << heic << true << QByteArray("heif");
    QTest::newRow("avif") << avif << true << QByteArray("avif");
    QTest::newRow("png") << encode(quadrants({8, 8}), "png") << false << QByteArray();
    QTest::newRow("jpeg") << encode(quadrants({8, 8}), "jpeg") << false << QByteArray();
    QTest::newRow("short") << QByteArray("\0\0\0\x18"
                                         "ftyp",
                                         8)
                           << false << QByteArray();
    QTest::newRow("empty") << QByteArray() << false << QByteArray();
}

void tst_HeifCodec::recognisedByContent()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, recognised);
    QFETCH(QByteArray, format);
    if (recognised && bytes.isEmpty())
        QSKIP(qPrintable(m_skip));
    const HeifCodec codec;
    std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(bytes);
    QCOMPARE(bool(decoder), recognised);
    if (decoder)
        QCOMPARE(decoder->probe().format, format);
}

void tst_HeifCodec::decodesWhatHeifEncWrites_data()
{
    QTest::addColumn<QImage>("source");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<bool>("alpha");
    QTest::addColumn<bool>("deep");
    const QStringList q90 = {QStringLiteral("-q"), QStringLiteral("90")};
    QTest::newRow("heic 8 bit") << quadrants({64, 48}) << q90 << ".heic" << false << false;
    QTest::newRow("avif 8 bit") << quadrants({64, 48}) << q90 << ".avif" << false << false;
    QTest::newRow("odd size") << quadrants({63, 47}) << q90 << ".heic" << false << false;
    QTest::newRow("avif alpha") << translucentQuadrants({64, 48}) << q90 << ".avif" << true
                                << false;
    QTest::newRow("heic alpha") << translucentQuadrants({64, 48}) << q90 << ".heic" << true
                                << false;
    // HEIC: libheif 1.15 with Debian's libaom 3.6 aborts on a 10-bit AVIF (an assertion in
    // libaom's write_color_config), heif-enc included.
    QTest::newRow("heic 10 bit") << deepRamp({64, 48})
                                 << (q90 + QStringList{QStringLiteral("-b"), QStringLiteral("10")})
                                 << ".heic" << false << true;
}

void tst_HeifCodec::decodesWhatHeifEncWrites()
{
    QFETCH(QImage, source);
    QFETCH(QStringList, arguments);
    QFETCH(QString, suffix);
    QFETCH(bool, alpha);
    QFETCH(bool, deep);
    const QByteArray bytes = heifEnc(source, arguments, qPrintable(suffix));
    if (bytes.isEmpty())
        QSKIP(qPrintable(m_skip));
    ImageProbe probe;
    const DecodedImage decoded = decodeAll(bytes, &probe);
    QVERIFY2(probe.error.isEmpty(), qPrintable(probe.error));
    QCOMPARE(probe.size, source.size());
    QCOMPARE(probe.orientation, 1);
    QCOMPARE(probe.frameCount, 1);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    QCOMPARE(decoded.pixels.size(), source.size());
    QCOMPARE(decoded.pixels.hasAlphaChannel(), alpha);
    QCOMPARE(decoded.pixels.depth() == 64, deep);
    // (Chroma subsampling blurs the quadrants' edges: more so at odd sizes.)
    QVERIFY2(meanChannelDifference(decoded.pixels, source) < 6,
             qPrintable(QString::number(meanChannelDifference(decoded.pixels, source))));
    if (deep) { // neighbours 64/65535 apart (one 10-bit step) stay apart
        const QImage row = decoded.pixels.copy(0, 24, 64, 1);
        int distinct = 1;
        for (int x = 1; x < 64; ++x)
            distinct +=
                row.pixelColor(x, 0).rgba64().red() != row.pixelColor(x - 1, 0).rgba64().red();
        QVERIFY2(distinct > 32, qPrintable(QString::number(distinct)));
    }

    const QString file = path(QStringLiteral("check") + suffix);
    QVERIFY(!writeFile(file, bytes).isEmpty());
    const QImage vips = vipsReading(file, m_dir);
    if (vips.isNull())
        return; // no libvips here: the comparison with the source has to do
    QVERIFY2(worstChannelDifference(decoded.pixels, vips) <= 2,
             qPrintable(QString::number(worstChannelDifference(decoded.pixels, vips))));
}

// An iPhone photo: stored landscape, an irot box and EXIF Orientation 6 both say "turn 90
// degrees". libheif turns it; the EXIF orientation must not turn it again, and the output says
// Orientation 1.
void tst_HeifCodec::rotationIsAppliedOnce()
{
    const QByteArray bytes = libheifFile(quadrants({64, 48}), heif_orientation_rotate_90_cw);
    QVERIFY(!bytes.isEmpty());
    ImageProbe probe;
    const DecodedImage decoded = decodeAll(bytes, &probe);
    QVERIFY2(probe.error.isEmpty(), qPrintable(probe.error));
    QCOMPARE(probe.orientation, 1);
    QCOMPARE(probe.size, QSize(48, 64));
    QCOMPARE(decoded.pixels.size(), QSize(48, 64));
    // Turned clockwise: the stored bottom-left (blue) is now top-left, top-left (red) top-right.
    QVERIFY(near(decoded.pixels.pixelColor(8, 8), Qt::blue, 40));
    QVERIFY(near(decoded.pixels.pixelColor(40, 8), Qt::red, 40));
    QVERIFY(near(decoded.pixels.pixelColor(8, 56), Qt::yellow, 40));
    QCOMPARE(exifOrientationOf(decoded.metadata.exif), 6);
    QString problem;
    const ImageMetadata out = prepareMetadata(
        decoded.metadata, {MetadataPolicy::Keep, decoded.pixels.size(), QString(), QString()},
        &problem);
    QCOMPARE(exifOrientationOf(out.exif), 1);

    const QString file = path(QStringLiteral("rotated.heic"));
    QVERIFY(!writeFile(file, bytes).isEmpty());
    const QImage vips = vipsReading(file, m_dir);
    if (vips.isNull())
        return;
    QCOMPARE(vips.size(), QSize(48, 64));
    QVERIFY(worstChannelDifference(decoded.pixels, vips) <= 2);
}

void tst_HeifCodec::displayP3ProfileIsHandedOver()
{
    QImage p3(48, 32, QImage::Format_RGB32);
    p3.fill(QColor(30, 190, 60));
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const QByteArray bytes = heifEnc(p3, {QStringLiteral("-q"), QStringLiteral("90")}, ".heic");
    if (bytes.isEmpty())
        QSKIP(qPrintable(m_skip));
    const DecodedImage decoded = decodeAll(bytes);
    QVERIFY(!decoded.pixels.isNull());
    QVERIFY(!decoded.iccProfile.isEmpty());
    const QColorSpace space = QColorSpace::fromIccProfile(decoded.iccProfile);
    QCOMPARE(space.primaries(), QColorSpace::Primaries::DciP3D65);
    QVERIFY(near(decoded.pixels.pixelColor(20, 20), QColor(30, 190, 60), 4));
}

void tst_HeifCodec::nclxBecomesAProfile_data()
{
    QTest::addColumn<int>("primaries");
    QTest::addColumn<int>("transfer");
    QTest::addColumn<int>("expectedPrimaries"); // QColorSpace::Primaries; -1: no profile
    QTest::addColumn<QString>("note");
    QTest::newRow("sRGB") << 1 << 13 << -1 << QString();
    QTest::newRow("BT.2020") << 9 << 14 << int(QColorSpace::Primaries::Custom) << QString();
    QTest::newRow("Display P3") << 12 << 13 << int(QColorSpace::Primaries::DciP3D65) << QString();
    QTest::newRow("Adobe-like BT.709 gamma 2.2")
        << 1 << 4 << int(QColorSpace::Primaries::SRgb) << QString();
    QTest::newRow("HDR PQ") << 9 << 16 << -1 << QStringLiteral("HDR, PQ");
}

void tst_HeifCodec::nclxBecomesAProfile()
{
    QFETCH(int, primaries);
    QFETCH(int, transfer);
    QFETCH(int, expectedPrimaries);
    QFETCH(QString, note);
    // heif-enc 1.15 writes no nclx box for HEVC (and libaom asserts on its AVIF with these).
    const QByteArray bytes =
        libheifFile(quadrants({32, 32}), heif_orientation_normal, primaries, transfer);
    QVERIFY(!bytes.isEmpty());
    const DecodedImage decoded = decodeAll(bytes);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    if (expectedPrimaries < 0) {
        QVERIFY(decoded.iccProfile.isEmpty());
    } else {
        const QColorSpace space = QColorSpace::fromIccProfile(decoded.iccProfile);
        QVERIFY2(space.isValid(), "the made profile is not one Qt reads");
        QCOMPARE(int(space.primaries()), expectedPrimaries);
    }
    QVERIFY2(decoded.colourNote.contains(note), qPrintable(decoded.colourNote));
    QCOMPARE(decoded.colourNote.isEmpty(), note.isEmpty());
}

// heif-enc -t writes a thumbnail; a target it covers decodes the thumbnail, a larger one the
// image.
void tst_HeifCodec::thumbnailIsUsedWhenLargeEnough()
{
    const QByteArray bytes = heifEnc(
        quadrants({256, 192}),
        {QStringLiteral("-q"), QStringLiteral("80"), QStringLiteral("-t"), QStringLiteral("64")},
        ".heic");
    if (bytes.isEmpty())
        QSKIP(qPrintable(m_skip));
    const HeifCodec codec;
    std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(bytes);
    QVERIFY(decoder);
    const ImageProbe probe = decoder->probe();
    QVERIFY(probe.reducedScale);
    DecodeRequest small;
    small.target = QSize(48, 36);
    QCOMPARE(decoder->decodedSize(small), QSize(64, 48));
    DecodeRequest large;
    large.target = QSize(80, 60);
    QCOMPARE(decoder->decodedSize(large), QSize(256, 192));
    QCOMPARE(decoder->decodedSize(DecodeRequest{}), QSize(256, 192));
    const DecodedImage decoded = decoder->decode(small);
    QCOMPARE(decoded.pixels.size(), QSize(64, 48));
    QVERIFY(decoded.reducedScale);
    QVERIFY(near(decoded.pixels.pixelColor(8, 8), Qt::red, 40));
}

void tst_HeifCodec::severalImagesGiveTheFirst()
{
    const QString first = path(QStringLiteral("first.png")),
                  second = path(QStringLiteral("second.png"));
    QVERIFY(quadrants({32, 32}).save(first));
    QImage blue(48, 16, QImage::Format_RGB32);
    blue.fill(Qt::blue);
    QVERIFY(blue.save(second));
    const QString out = path(QStringLiteral("two.heic"));
    QString error;
    if (!runTool("heif-enc", {first, second, QStringLiteral("-o"), out}, &error))
        QSKIP(qPrintable(error));
    ImageProbe probe;
    const DecodedImage decoded = decodeAll(readAll(out), &probe);
    QCOMPARE(probe.frameCount, 2);
    QCOMPARE(decoded.pixels.size(), QSize(32, 32));
}

void tst_HeifCodec::damagedFilesFailCleanly_data()
{
    QTest::addColumn<int>("keep"); // bytes kept of a valid file (-2: half, -3: all but 16)
    QTest::newRow("header only") << 40;
    QTest::newRow("half") << -2;
    QTest::newRow("all but the end") << -3;
}

// A damaged file fails with libheif's reason, at the header or at decoding; it never yields
// pixels.
void tst_HeifCodec::damagedFilesFailCleanly()
{
    QFETCH(int, keep);
    const QByteArray whole =
        heifEnc(quadrants({64, 48}), {QStringLiteral("-q"), QStringLiteral("80")}, ".heic");
    if (whole.isEmpty())
        QSKIP(qPrintable(m_skip));
    const qsizetype size = keep > 0 ? keep : keep == -2 ? whole.size() / 2 : whole.size() - 16;
    const QByteArray bytes = whole.left(size);
    const HeifCodec codec;
    std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(bytes);
    QVERIFY(decoder); // the file type box is intact
    const ImageProbe probe = decoder->probe();
    if (!probe.error.isEmpty())
        return;
    const DecodedImage decoded = decoder->decode(DecodeRequest{});
    QVERIFY(decoded.pixels.isNull());
    QVERIFY(!decoded.error.isEmpty());
}

// fuzz_heif's finding: a file whose header says 40x30 and whose coded image is 10240x7680 is
// refused (the pixel limit was checked against the header), as libvips refuses it.
void tst_HeifCodec::codedImageLargerThanHeaderIsRefused()
{
    const QByteArray bytes = readAll(
        QStringLiteral(SLUICE_FUZZ_REGRESSIONS "/heif/timeout-coded-image-larger-than-header"));
    QVERIFY(!bytes.isEmpty());
    const HeifCodec codec;
    std::unique_ptr<ImageDecoder> decoder = codec.decoderFor(bytes);
    QVERIFY(decoder);
    const ImageProbe probe = decoder->probe();
    QVERIFY2(probe.error.isEmpty(), qPrintable(probe.error));
    QCOMPARE(probe.size, QSize(40, 30));
    const DecodedImage decoded = decoder->decode(DecodeRequest{});
    QVERIFY(decoded.pixels.isNull());
    // libheif refuses it before allocating the 10240x7680 pixels (its size limit, set from
    // the header by probe()).
    QVERIFY2(decoded.error.contains(QLatin1String("exceeds the maximum image size")),
             qPrintable(decoded.error));
}

void tst_HeifCodec::avifRoundTrip_data()
{
    QTest::addColumn<QImage>("source");
    QTest::addColumn<int>("quality");
    QTest::addColumn<bool>("deep");
    QTest::newRow("8 bit q85") << quadrants({64, 48}) << 85 << false;
    QTest::newRow("8 bit q95 (4:4:4)") << quadrants({64, 48}) << 95 << false;
    QTest::newRow("alpha") << translucentQuadrants({64, 48}) << 85 << false;
    // libheif 1.15 with libaom 3.6 aborts on 10-bit AV1: AVIF outputs are 8-bit.
    QTest::newRow("16 bit is written as 8 bit") << deepRamp({64, 48}) << 90 << false;
    QTest::newRow("odd size") << quadrants({31, 17}) << 85 << false;
}

void tst_HeifCodec::avifRoundTrip()
{
    QFETCH(QImage, source);
    QFETCH(int, quality);
    QFETCH(bool, deep);
    const HeifCodec codec;
    if (!codec.canWriteAvif())
        QSKIP("libheif has no AV1 encoder here");
    const ImageEncoder *encoder = codec.encoderFor("avif");
    QVERIFY(encoder);
    EncodeSettings settings;
    settings.quality = quality;
    settings.effort = 2; // libaom speed 8: quick, and still within a few levels here
    const EncodedImage encoded = encoder->encode({source, {}, {}}, settings);
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    const DecodedImage decoded = decodeAll(encoded.bytes);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    QCOMPARE(decoded.pixels.size(), source.size());
    QCOMPARE(decoded.pixels.hasAlphaChannel(), source.hasAlphaChannel());
    QCOMPARE(decoded.pixels.depth() == 64, deep);
    QVERIFY(decoded.iccProfile.isEmpty()); // sRGB said as nclx
    QVERIFY2(meanChannelDifference(decoded.pixels, source) < 6,
             qPrintable(QString::number(meanChannelDifference(decoded.pixels, source))));
}

void tst_HeifCodec::avifCarriesMetadataAndProfile()
{
    const HeifCodec codec;
    if (!codec.canWriteAvif())
        QSKIP("libheif has no AV1 encoder here");
    ImageMetadata metadata;
    Exiv2::ExifData exif;
    exif["Exif.Image.Artist"] = "Jane Photographer";
    exif["Exif.Image.Orientation"] = uint16_t(1);
    Exiv2::Blob blob;
    Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, exif);
    metadata.exif = bytesOf(blob);
    metadata.xmp = QByteArrayLiteral("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
                                     "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>"
                                     "</x:xmpmeta>");
    const QByteArray p3 = QColorSpace(QColorSpace::DisplayP3).iccProfile();
    EncodeSettings settings;
    settings.effort = 2;
    const EncodedImage encoded =
        codec.encoderFor("avif")->encode({quadrants({32, 32}), p3, metadata}, settings);
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    QCOMPARE(encoded.warning, QString());
    const DecodedImage decoded = decodeAll(encoded.bytes);
    QCOMPARE(decoded.metadata.exif, metadata.exif);
    QCOMPARE(decoded.metadata.xmp, metadata.xmp);
    QCOMPARE(decoded.iccProfile, p3);

    const QString file = path(QStringLiteral("meta.avif"));
    QVERIFY(!writeFile(file, encoded.bytes).isEmpty());
    const QString vipsheader = toolPath("vipsheader");
    if (vipsheader.isEmpty())
        return;
    QProcess vips;
    vips.start(vipsheader, {QStringLiteral("-f"), QStringLiteral("exif-ifd0-Artist"), file});
    QVERIFY(vips.waitForFinished(60'000));
    QVERIFY2(vips.readAllStandardOutput().startsWith("Jane Photographer"),
             "libvips does not read the AVIF's EXIF");
}

// An AVIF is RGB: gray pixels with a gray profile (--color keep) are converted to sRGB first, so
// the file never carries a profile that does not describe its pixels.
void tst_HeifCodec::grayProfileIsAppliedForAvif()
{
    const HeifCodec codec;
    if (!codec.canWriteAvif())
        QSKIP("libheif has no AV1 encoder here");
    QImage gray(32, 32, QImage::Format_Grayscale8);
    gray.fill(QColor(128, 128, 128));
    EncodeSettings settings;
    settings.quality = 95;
    settings.effort = 2;
    const EncodedImage encoded =
        codec.encoderFor("avif")->encode({gray, fixtures::linearGrayProfile(), {}}, settings);
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    QVERIFY(encoded.warning.contains(QLatin1String("gray profile")));
    const DecodedImage decoded = decodeAll(encoded.bytes);
    QVERIFY(decoded.iccProfile.isEmpty()); // sRGB
    // Linear 50 % is sRGB 188.
    QVERIFY2(near(decoded.pixels.pixelColor(16, 16), QColor(188, 188, 188), 4),
             qPrintable(decoded.pixels.pixelColor(16, 16).name()));
}

// A gray image with a gray profile (libheif stores it as R = G = B): decoded as gray pixels, so
// the colour stage applies the profile instead of dropping it as not describing colour pixels.
void tst_HeifCodec::grayHeicWithAGrayProfileStaysGray()
{
    QImage gray(32, 16, QImage::Format_Grayscale8);
    gray.fill(QColor(128, 128, 128));
    const QByteArray bytes =
        libheifFile(gray, heif_orientation_normal, 0, 0, fixtures::linearGrayProfile());
    const DecodedImage decoded = decodeAll(bytes);
    QVERIFY2(!decoded.pixels.isNull(), qPrintable(decoded.error));
    QVERIFY(iccProfileIsGray(decoded.iccProfile));
    QCOMPARE(decoded.pixels.format(), QImage::Format_Grayscale8);
    QVERIFY(near(decoded.pixels.pixelColor(8, 8), QColor(128, 128, 128), 3));
}

QTEST_GUILESS_MAIN(tst_HeifCodec)
#include "tst_heifcodec.moc"

#include "exivfixtures.h"

#include <QtTest>
#include <exivmetadata.h>
#include <metadatastage.h>
#include <sink.h>

using namespace sluice;

using TextEntries = QList<QPair<QString, QString>>;

Q_DECLARE_METATYPE(sluice::MetadataPolicy)

namespace {

ImageMetadata cameraMetadata()
{
    ImageMetadata source;
    source.exif = fixtures::exifBlob(fixtures::cameraExif(6));
    source.xmp = fixtures::cameraXmp();
    source.iptc = fixtures::cameraIptc();
    source.comment = QStringLiteral("Sunrise over the harbour");
    source.text = {{QStringLiteral("Author"), QStringLiteral("Jane Photographer")},
                   {QStringLiteral("parameters"), QStringLiteral("private notes")},
                   {QStringLiteral("XML:com.adobe.xmp"), QStringLiteral("<x:xmpmeta/>")},
                   {QStringLiteral("Raw profile type exif"), QStringLiteral("exif 12 ...")},
                   {QLatin1String(SourceKey), QStringLiteral("an older stamp")}};
    return source;
}

MetadataRequest requestFor(MetadataPolicy policy)
{
    return {policy, QSize(400, 600), QStringLiteral("0123abcd"), sourceStamp("holiday/day 1.jpg")};
}

} // namespace

class tst_MetadataStage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stampsEndTheText_data();
    void stampsEndTheText();
    void noneKeepsNothing();
    void keepCorrectsForTheOutput();
    void publicLeavesOutWhatLocatesOrIdentifies();
    void damagedBlocksAreLeftOutWithAReason();
    void captureInfoForNames_data();
    void captureInfoForNames();
};

void tst_MetadataStage::initTestCase()
{
    exiv2::initialize();
    // The fixture itself: a maker note, GPS and a thumbnail, or the tests below prove nothing.
    const fixtures::FileMetadata source =
        fixtures::blocksOf(cameraMetadata().exif, cameraMetadata().xmp, cameraMetadata().iptc);
    QVERIFY(source.hasMakerNote());
    QVERIFY(source.hasExifGroup("GPSInfo"));
    QVERIFY(source.hasThumbnail());
    QCOMPARE(source.xmpValue("Xmp.photoshop.City"), QStringLiteral("Amsterdam"));
    QCOMPARE(source.iptcValue("Iptc.Application2.City"), QStringLiteral("Amsterdam"));
}

void tst_MetadataStage::stampsEndTheText_data()
{
    QTest::addColumn<MetadataPolicy>("policy");
    QTest::addColumn<TextEntries>("kept");
    const TextEntries author{{QStringLiteral("Author"), QStringLiteral("Jane Photographer")}};
    QTest::newRow("keep") << MetadataPolicy::Keep
                          << (author + TextEntries{{QStringLiteral("parameters"),
                                                    QStringLiteral("private notes")}});
    QTest::newRow("public") << MetadataPolicy::Public << author;
    QTest::newRow("none") << MetadataPolicy::None << TextEntries();
}

// The input's text is kept as the policy says, never its blocks as text and never its old
// stamps; Sluice's two stamps come last.
void tst_MetadataStage::stampsEndTheText()
{
    QFETCH(MetadataPolicy, policy);
    QFETCH(TextEntries, kept);
    const ImageMetadata output = prepareMetadata(cameraMetadata(), requestFor(policy));
    const TextEntries expected =
        kept + TextEntries{{QLatin1String(FingerprintKey), QStringLiteral("0123abcd")},
                           {QLatin1String(SourceKey), sourceStamp("holiday/day 1.jpg")}};
    QCOMPARE(output.text, expected);
}

void tst_MetadataStage::noneKeepsNothing()
{
    const ImageMetadata output =
        prepareMetadata(cameraMetadata(), requestFor(MetadataPolicy::None));
    QVERIFY(output.exif.isEmpty());
    QVERIFY(output.xmp.isEmpty());
    QVERIFY(output.iptc.isEmpty());
    QVERIFY(output.comment.isEmpty());
    QVERIFY(!output.hasBlocks());
}

void tst_MetadataStage::keepCorrectsForTheOutput()
{
    QString problem;
    const ImageMetadata output =
        prepareMetadata(cameraMetadata(), requestFor(MetadataPolicy::Keep), &problem);
    QCOMPARE(problem, QString());
    QCOMPARE(output.comment, QStringLiteral("Sunrise over the harbour"));
    const fixtures::FileMetadata m = fixtures::blocksOf(output.exif, output.xmp, output.iptc);
    // Corrected: the pixels are upright and 400x600, the input's thumbnail is gone.
    QCOMPARE(m.exifValue("Exif.Image.Orientation"), QStringLiteral("1"));
    QCOMPARE(m.exifValue("Exif.Photo.PixelXDimension"), QStringLiteral("400"));
    QCOMPARE(m.exifValue("Exif.Photo.PixelYDimension"), QStringLiteral("600"));
    QVERIFY(!m.hasThumbnail());
    QCOMPARE(m.xmpValue("Xmp.tiff.Orientation"), QStringLiteral("1"));
    QCOMPARE(m.xmpValue("Xmp.exif.PixelXDimension"), QStringLiteral("400"));
    // Everything else kept, private or not: keep means keep.
    QCOMPARE(m.exifValue("Exif.Image.Artist"), QStringLiteral("Jane Photographer"));
    QCOMPARE(m.exifValue("Exif.Photo.BodySerialNumber"), QStringLiteral("BODY-SERIAL-5678"));
    QVERIFY(m.hasExifGroup("GPSInfo"));
    QVERIFY(m.hasMakerNote());
    QCOMPARE(m.xmpValue("Xmp.photoshop.City"), QStringLiteral("Amsterdam"));
    QCOMPARE(m.iptcValue("Iptc.Application2.City"), QStringLiteral("Amsterdam"));
    QCOMPARE(m.iptcValue("Iptc.Application2.Keywords"), QStringLiteral("harbour"));
}

void tst_MetadataStage::publicLeavesOutWhatLocatesOrIdentifies()
{
    QString problem;
    const ImageMetadata output =
        prepareMetadata(cameraMetadata(), requestFor(MetadataPolicy::Public), &problem);
    QCOMPARE(problem, QString());
    QCOMPARE(output.comment, QStringLiteral("Sunrise over the harbour"));
    const fixtures::FileMetadata m = fixtures::blocksOf(output.exif, output.xmp, output.iptc);
    // Stays: copyright, creator, capture date, camera and lens model, exposure, keywords,
    // description.
    QCOMPARE(m.exifValue("Exif.Image.Artist"), QStringLiteral("Jane Photographer"));
    QCOMPARE(m.exifValue("Exif.Image.Copyright"), QStringLiteral("(c) 2024 Jane Photographer"));
    QCOMPARE(m.exifValue("Exif.Image.ImageDescription"), QStringLiteral("Harbour at dawn"));
    QCOMPARE(m.exifValue("Exif.Photo.DateTimeOriginal"), QStringLiteral("2024:06:01 05:12:00"));
    QCOMPARE(m.exifValue("Exif.Image.Make"), QStringLiteral("Canon"));
    QCOMPARE(m.exifValue("Exif.Image.Model"), QStringLiteral("Canon EOS 5D Mark IV"));
    QCOMPARE(m.exifValue("Exif.Photo.LensModel"), QStringLiteral("EF24-70mm f/2.8L II USM"));
    QCOMPARE(m.exifValue("Exif.Photo.ExposureTime"), QStringLiteral("1/250"));
    QCOMPARE(m.exifValue("Exif.Photo.FNumber"), QStringLiteral("8/1"));
    QCOMPARE(m.exifValue("Exif.Image.Orientation"), QStringLiteral("1"));
    QCOMPARE(m.xmpValue("Xmp.dc.creator"), QStringLiteral("Jane Photographer"));
    QCOMPARE(m.xmpValue("Xmp.dc.subject"), QStringLiteral("harbour"));
    QCOMPARE(m.iptcValue("Iptc.Application2.Keywords"), QStringLiteral("harbour"));
    QCOMPARE(m.iptcValue("Iptc.Application2.Byline"), QStringLiteral("Jane Photographer"));
    // Goes: location, serial numbers, owner names, maker notes, a path, the ancestry.
    QVERIFY(!m.hasExifGroup("GPSInfo"));
    QCOMPARE(m.exifValue("Exif.Image.GPSTag"), QString());
    QVERIFY(!m.hasMakerNote());
    QCOMPARE(m.exifValue("Exif.Photo.BodySerialNumber"), QString());
    QCOMPARE(m.exifValue("Exif.Photo.LensSerialNumber"), QString());
    QCOMPARE(m.exifValue("Exif.Image.CameraSerialNumber"), QString());
    QCOMPARE(m.exifValue("Exif.Photo.CameraOwnerName"), QString());
    QCOMPARE(m.exifValue("Exif.Image.DocumentName"), QString());
    QCOMPARE(m.xmpValue("Xmp.exif.GPSLatitude"), QString());
    QCOMPARE(m.xmpValue("Xmp.photoshop.City"), QString());
    QCOMPARE(m.xmpValue("Xmp.aux.SerialNumber"), QString());
    QCOMPARE(m.xmpValue("Xmp.xmpMM.DerivedFrom/stRef:filePath"), QString());
    QCOMPARE(m.iptcValue("Iptc.Application2.City"), QString());
    QCOMPARE(m.iptcValue("Iptc.Application2.CountryName"), QString());
    // Nothing of the owner or the paths survives anywhere in the bytes.
    for (const QByteArray &block : {output.exif, output.xmp, output.iptc}) {
        QVERIFY(!block.contains("Jane Doe"));
        QVERIFY(!block.contains("SERIAL"));
        QVERIFY(!block.contains("/home/jane"));
        QVERIFY(!block.contains("Amsterdam"));
    }
}

void tst_MetadataStage::damagedBlocksAreLeftOutWithAReason()
{
    ImageMetadata source = cameraMetadata();
    source.xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"; // cut off
    QString problem;
    const ImageMetadata output =
        prepareMetadata(source, requestFor(MetadataPolicy::Keep), &problem);
    QVERIFY(output.xmp.isEmpty());
    QVERIFY2(problem.contains(QLatin1String("XMP")), qPrintable(problem));
    QVERIFY(!output.exif.isEmpty()); // the other blocks still go through
    QVERIFY(!output.iptc.isEmpty());
}

// What {date} and {camera} are built from (exiv2::captureInfo): EXIF first, XMP where EXIF has
// nothing, blank or broken values skipped.
void tst_MetadataStage::captureInfoForNames_data()
{
    QTest::addColumn<QByteArray>("exif");
    QTest::addColumn<QByteArray>("xmp");
    QTest::addColumn<QDateTime>("taken");
    QTest::addColumn<QString>("camera");

    const auto exifWith = [](const QList<QPair<const char *, const char *>> &values) {
        Exiv2::ExifData exif;
        for (const auto &[key, value] : values)
            exif[key] = value;
        return fixtures::exifBlob(exif);
    };
    const auto xmpWith = [](const QList<QPair<const char *, const char *>> &values) {
        Exiv2::XmpData xmp;
        for (const auto &[key, value] : values)
            xmp[key] = value;
        std::string packet;
        Exiv2::XmpParser::encode(packet, xmp);
        return QByteArray::fromStdString(packet);
    };
    const QDate june1(2024, 6, 1);
    QTest::newRow("camera fixture")
        << fixtures::exifBlob(fixtures::cameraExif(1)) << QByteArray()
        << QDateTime(june1, QTime(5, 12), Qt::UTC) << "Canon EOS 5D Mark IV";
    QTest::newRow("with its time offset")
        << exifWith({{"Exif.Photo.DateTimeOriginal", "2024:06:01 05:12:00"},
                     {"Exif.Photo.OffsetTimeOriginal", "+02:00"},
                     {"Exif.Image.Model", "iPhone 15 Pro"}})
        << QByteArray() << QDateTime(june1, QTime(5, 12), Qt::OffsetFromUTC, 7200)
        << "iPhone 15 Pro";
    QTest::newRow("blank original, digitized used")
        << exifWith({{"Exif.Photo.DateTimeOriginal", "0000:00:00 00:00:00"},
                     {"Exif.Photo.DateTimeDigitized", "2023:01:02 03:04:05"}})
        << QByteArray() << QDateTime(QDate(2023, 1, 2), QTime(3, 4, 5), Qt::UTC) << "";
    QTest::newRow("only the modification date")
        << exifWith({{"Exif.Image.DateTime", "2022:12:24 18:00:00"}}) << QByteArray()
        << QDateTime(QDate(2022, 12, 24), QTime(18, 0), Qt::UTC) << "";
    QTest::newRow("original beats the modification date")
        << exifWith({{"Exif.Image.DateTime", "2022:12:24 18:00:00"},
                     {"Exif.Photo.DateTimeOriginal", "2024:06:01 05:12:00"}})
        << QByteArray() << QDateTime(june1, QTime(5, 12), Qt::UTC) << "";
    QTest::newRow("XMP only") << QByteArray()
                              << xmpWith(
                                     {{"Xmp.exif.DateTimeOriginal", "2024-06-01T05:12:00-05:00"},
                                      {"Xmp.tiff.Model", "X-T5"}})
                              << QDateTime(june1, QTime(5, 12), Qt::OffsetFromUTC, -18000)
                              << "X-T5";
    QTest::newRow("XMP date without a time")
        << QByteArray() << xmpWith({{"Xmp.photoshop.DateCreated", "2024-06-01"}})
        << QDateTime(june1, QTime(0, 0), Qt::UTC) << "";
    QTest::newRow("EXIF model beats XMP's")
        << exifWith({{"Exif.Image.Model", "NIKON Z 8"}}) << xmpWith({{"Xmp.tiff.Model", "other"}})
        << QDateTime() << "NIKON Z 8";
    QTest::newRow("garbage date") << exifWith({{"Exif.Photo.DateTimeOriginal", "yesterday"}})
                                  << QByteArray() << QDateTime() << "";
    QTest::newRow("impossible date")
        << exifWith({{"Exif.Photo.DateTimeOriginal", "2024:13:40 25:00:00"}}) << QByteArray()
        << QDateTime() << "";
    QTest::newRow("nothing") << QByteArray() << QByteArray() << QDateTime() << "";
    QTest::newRow("damaged blocks")
        << QByteArray("II*\0\xff\xff\xff\xff", 8) << QByteArray("<x:xmpmeta") << QDateTime() << "";
}

void tst_MetadataStage::captureInfoForNames()
{
    QFETCH(QByteArray, exif);
    QFETCH(QByteArray, xmp);
    QFETCH(QDateTime, taken);
    QFETCH(QString, camera);
    ImageMetadata blocks;
    blocks.exif = exif;
    blocks.xmp = xmp;
    const CaptureInfo info = exiv2::captureInfo(blocks);
    QCOMPARE(info.taken.isValid(), taken.isValid());
    if (taken.isValid()) {
        QCOMPARE(info.taken, taken);
        QCOMPARE(info.taken.offsetFromUtc(), taken.offsetFromUtc());
        QCOMPARE(info.taken.time(), taken.time()); // the wall-clock time the camera showed
    }
    QCOMPARE(info.cameraModel, camera);
}

QTEST_GUILESS_MAIN(tst_MetadataStage)
#include "tst_metadatastage.moc"

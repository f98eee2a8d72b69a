#include <QtTest>
#include <metadatastage.h>
#include <sink.h>

using namespace sluice;

using TextEntries = QList<QPair<QString, QString>>;

class tst_MetadataStage : public QObject
{
    Q_OBJECT

private slots:
    void stampsAreTheText_data();
    void stampsAreTheText();
    void blocksPassThrough();
};

void tst_MetadataStage::stampsAreTheText_data()
{
    QTest::addColumn<TextEntries>("sourceText");
    QTest::newRow("no text") << TextEntries();
    // Text a decoder handed over is not written out: only Sluice's stamps are.
    QTest::newRow("the input's text")
        << TextEntries{{QStringLiteral("Author"), QStringLiteral("Someone")},
                       {QLatin1String(SourceKey), QStringLiteral("old")}};
}

void tst_MetadataStage::stampsAreTheText()
{
    QFETCH(TextEntries, sourceText);
    ImageMetadata source;
    source.text = sourceText;
    const ImageMetadata output =
        prepareMetadata(source, QStringLiteral("0123abcd"), sourceStamp("holiday/day 1.jpg"));
    const TextEntries expected{{QLatin1String(FingerprintKey), QStringLiteral("0123abcd")},
                               {QLatin1String(SourceKey), sourceStamp("holiday/day 1.jpg")}};
    QCOMPARE(output.text, expected);
}

// For now; Exiv2 will reset the orientation, update dimensions and drop what --metadata says.
void tst_MetadataStage::blocksPassThrough()
{
    ImageMetadata source;
    source.exif = QByteArrayLiteral("MM\0*\0\0\0\x08");
    source.xmp = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
    source.iptc = QByteArrayLiteral("\x1c\x02\x00\x00\x02\x00\x04");
    const ImageMetadata output = prepareMetadata(source, QStringLiteral("f"), QStringLiteral("s"));
    QCOMPARE(output.exif, source.exif);
    QCOMPARE(output.xmp, source.xmp);
    QCOMPARE(output.iptc, source.iptc);
    QCOMPARE(prepareMetadata({}, QStringLiteral("f"), QStringLiteral("s")).exif, QByteArray());
}

QTEST_GUILESS_MAIN(tst_MetadataStage)
#include "tst_metadatastage.moc"

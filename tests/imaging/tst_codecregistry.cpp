#include "fakecodec.h"
#include "testimages.h"

#include <QtTest>
#include <codec.h>
#include <qtcodec.h>

using namespace sluice;
using namespace fakecodec;
using namespace testimages;

class tst_CodecRegistry : public QObject
{
    Q_OBJECT

private slots:
    void emptyRegistryHasNothing();
    void decoderByContent_data();
    void decoderByContent();
    void encoderByFormat_data();
    void encoderByFormat();
    void builtInIsQt_data();
    void builtInIsQt();
    void builtInIsOneRegistry();
};

void tst_CodecRegistry::emptyRegistryHasNothing()
{
    const CodecRegistry codecs;
    QVERIFY(!codecs.decoderFor(encode(quadrants(QSize(8, 8)), "png")));
    QVERIFY(!codecs.encoderFor("png"));
}

// A codec added before Qt's gets the content it recognises; Qt's gets the rest.
void tst_CodecRegistry::decoderByContent_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("format"); // empty: no decoder
    QTest::newRow("the fake codec's") << QByteArray("FAKE and more") << QByteArray("fake");
    QTest::newRow("the other fake codec's") << QByteArray("ALSO fake") << QByteArray("also");
    QTest::newRow("png, for Qt") << encode(quadrants(QSize(8, 8)), "png") << QByteArray("png");
    QTest::newRow("jpeg, for Qt") << encode(quadrants(QSize(8, 8)), "jpeg") << QByteArray("jpeg");
    QTest::newRow("nobody's") << QByteArray("just some words\n") << QByteArray();
}

void tst_CodecRegistry::decoderByContent()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, format);
    CodecRegistry codecs;
    codecs.add(std::make_unique<FakeCodec>("FAKE", "fake"));
    codecs.add(std::make_unique<FakeCodec>("ALSO", "also"));
    codecs.add(std::make_unique<QtCodec>());
    const std::unique_ptr<ImageDecoder> decoder = codecs.decoderFor(bytes);
    QCOMPARE(bool(decoder), !format.isEmpty());
    if (decoder)
        QCOMPARE(decoder->probe().format, format);
}

void tst_CodecRegistry::encoderByFormat_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QString>("owner"); // "first", "second", "qt" or "" (none)
    QTest::newRow("only the first writes it") << QByteArray("fake") << "first";
    QTest::newRow("both write it: the first") << QByteArray("png") << "first";
    QTest::newRow("only the second writes it") << QByteArray("also") << "second";
    QTest::newRow("Qt's") << QByteArray("jpeg") << "qt";
    QTest::newRow("nobody's") << QByteArray("gif") << "";
}

void tst_CodecRegistry::encoderByFormat()
{
    QFETCH(QByteArray, format);
    QFETCH(QString, owner);
    auto first = std::make_unique<FakeCodec>("FAKE", "fake", QList<QByteArray>{"fake", "png"});
    auto second = std::make_unique<FakeCodec>("ALSO", "also", QList<QByteArray>{"also", "png"});
    const FakeCodec *firstCodec = first.get();
    const FakeCodec *secondCodec = second.get();
    CodecRegistry codecs;
    codecs.add(std::move(first));
    codecs.add(std::move(second));
    codecs.add(std::make_unique<QtCodec>());
    const ImageEncoder *encoder = codecs.encoderFor(format);
    if (owner.isEmpty()) {
        QVERIFY(!encoder);
        return;
    }
    QVERIFY(encoder);
    QCOMPARE(encoder->format(), format);
    QCOMPARE(encoder == firstCodec->encoderFor(format), owner == u"first");
    QCOMPARE(encoder == secondCodec->encoderFor(format), owner == u"second");
    QCOMPARE(dynamic_cast<const QtEncoder *>(encoder) != nullptr, owner == u"qt");
}

void tst_CodecRegistry::builtInIsQt_data()
{
    QTest::addColumn<QByteArray>("format");
    for (const char *format : {"jpeg", "png", "webp", "bmp", "tiff"})
        QTest::newRow(format) << QByteArray(format);
}

void tst_CodecRegistry::builtInIsQt()
{
    QFETCH(QByteArray, format);
    const CodecRegistry &codecs = CodecRegistry::builtIn();
    const auto decoder = codecs.decoderFor(encode(quadrants(QSize(8, 8)), format.constData()));
    QVERIFY(dynamic_cast<QtDecoder *>(decoder.get()));
    QCOMPARE(decoder->probe().format, format);
    const ImageEncoder *encoder = codecs.encoderFor(format);
    QVERIFY(dynamic_cast<const QtEncoder *>(encoder));
    QCOMPARE(encoder->format(), format);
}

void tst_CodecRegistry::builtInIsOneRegistry()
{
    QCOMPARE(&CodecRegistry::builtIn(), &CodecRegistry::builtIn());
    QCOMPARE(CodecRegistry::builtIn().encoderFor("png"),
             CodecRegistry::builtIn().encoderFor("png"));
    QVERIFY(!CodecRegistry::builtIn().encoderFor("gif"));
    QVERIFY(!CodecRegistry::builtIn().decoderFor("just some words\n"));
}

QTEST_GUILESS_MAIN(tst_CodecRegistry)
#include "tst_codecregistry.moc"

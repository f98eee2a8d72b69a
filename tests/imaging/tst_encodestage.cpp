#include "fakecodec.h"
#include "testimages.h"

#include <QColorSpace>
#include <QtTest>
#include <encodestage.h>
#include <sink.h>

using namespace sluice;
using namespace fakecodec;
using namespace testimages;

namespace {

Recipe recipeOf(OutputFormat format, int quality = 85, bool progressive = false)
{
    Recipe recipe;
    recipe.format = format;
    recipe.quality = quality;
    recipe.progressive = progressive;
    return recipe;
}

ImageMetadata stamps()
{
    ImageMetadata metadata;
    metadata.text = {{QLatin1String(FingerprintKey), QStringLiteral("f")},
                     {QLatin1String(SourceKey), QStringLiteral("s")}};
    return metadata;
}

} // namespace

class tst_EncodeStage : public QObject
{
    Q_OBJECT

private slots:
    void outputFormat_data();
    void outputFormat();
    void missingEncoderFails();
    void encoderGetsTheRecipesSettings();
    void encoderFailureSaysWhy();
    void keepsAlphaIsTheEncoders();
    void sameBytesAsQImageWriter_data();
    void sameBytesAsQImageWriter();
};

void tst_EncodeStage::outputFormat_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("extension");
    const int keep = int(OutputFormat::Keep);
    QTest::newRow("keep jpeg") << keep << QByteArray("jpeg") << QByteArray("jpeg") << "jpg";
    QTest::newRow("keep jpg") << keep << QByteArray("jpg") << QByteArray("jpeg") << "jpg";
    QTest::newRow("keep png") << keep << QByteArray("png") << QByteArray("png") << "png";
    QTest::newRow("keep webp") << keep << QByteArray("webp") << QByteArray("webp") << "webp";
    QTest::newRow("keep bmp") << keep << QByteArray("bmp") << QByteArray("bmp") << "bmp";
    QTest::newRow("keep tiff") << keep << QByteArray("tiff") << QByteArray("tiff") << "tif";
    QTest::newRow("keep gif: png") << keep << QByteArray("gif") << QByteArray("png") << "png";
    QTest::newRow("keep ico: png") << keep << QByteArray("ico") << QByteArray("png") << "png";
    QTest::newRow("jpeg") << int(OutputFormat::Jpeg) << QByteArray("png") << QByteArray("jpeg")
                          << "jpg";
    QTest::newRow("png") << int(OutputFormat::Png) << QByteArray("jpeg") << QByteArray("png")
                         << "png";
    QTest::newRow("webp") << int(OutputFormat::Webp) << QByteArray("gif") << QByteArray("webp")
                          << "webp";
}

void tst_EncodeStage::outputFormat()
{
    QFETCH(int, format);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(QString, extension);
    QCOMPARE(outputFormatFor(OutputFormat(format), input), expected);
    QCOMPARE(extensionFor(expected), extension);
    const StageResult<EncodeStage> stage =
        EncodeStage::choose(recipeOf(OutputFormat(format)), input, CodecRegistry::builtIn());
    QVERIFY(stage);
    QCOMPARE(stage->format(), expected);
    QCOMPARE(stage->extension(), extension);
}

void tst_EncodeStage::missingEncoderFails()
{
    CodecRegistry codecs;
    codecs.add(std::make_unique<FakeCodec>("FAKE", "fake", QList<QByteArray>{"png"}));
    QVERIFY(EncodeStage::choose(recipeOf(OutputFormat::Png), "jpeg", codecs));
    // keep: the input's format "when it can be written, PNG otherwise".
    const StageResult<EncodeStage> kept =
        EncodeStage::choose(recipeOf(OutputFormat::Keep), "jpeg", codecs);
    QVERIFY(kept);
    QCOMPARE(kept->format(), QByteArray("png"));
    // A format asked for by name that cannot be written here is an error.
    const StageResult<EncodeStage> stage =
        EncodeStage::choose(recipeOf(OutputFormat::Jpeg), "png", codecs);
    QVERIFY(!stage);
    QCOMPARE(int(stage.stop().kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(stage.stop().message,
             QStringLiteral("cannot write jpeg here (image format plugin missing)"));
}

void tst_EncodeStage::encoderGetsTheRecipesSettings()
{
    CodecRegistry codecs;
    auto codec = std::make_unique<FakeCodec>("FAKE", "fake", QList<QByteArray>{"jpeg"});
    const FakeEncoder *encoder = codec->encoders.front().get();
    codecs.add(std::move(codec));
    const StageResult<EncodeStage> stage =
        EncodeStage::choose(recipeOf(OutputFormat::Jpeg, 42, true), "png", codecs);
    QVERIFY(stage);
    const QImage pixels = quadrants(QSize(20, 10));
    const StageResult<QByteArray> encoded = stage->encode({pixels, "a profile"}, stamps());
    QVERIFY(encoded);
    QCOMPARE(*encoded, QByteArray("encoded"));
    QCOMPARE(encoder->inputs.size(), 1);
    QCOMPARE(encoder->inputs.first().pixels.cacheKey(), pixels.cacheKey());
    QCOMPARE(encoder->inputs.first().iccProfile, QByteArray("a profile"));
    QCOMPARE(encoder->inputs.first().metadata.text, stamps().text);
    QCOMPARE(encoder->settings.first().quality, 42);
    QCOMPARE(encoder->settings.first().progressive, true);
}

void tst_EncodeStage::encoderFailureSaysWhy()
{
    CodecRegistry codecs;
    auto codec = std::make_unique<FakeCodec>("FAKE", "fake", QList<QByteArray>{"webp"});
    codec->encoders.front()->error = QStringLiteral("out of ink");
    codecs.add(std::move(codec));
    const StageResult<EncodeStage> stage =
        EncodeStage::choose(recipeOf(OutputFormat::Webp), "png", codecs);
    QVERIFY(stage);
    const StageResult<QByteArray> encoded = stage->encode({quadrants(QSize(4, 4)), {}}, {});
    QVERIFY(!encoded);
    QCOMPARE(int(encoded.stop().kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(encoded.stop().message, QStringLiteral("encoding webp failed: out of ink"));
}

void tst_EncodeStage::keepsAlphaIsTheEncoders()
{
    CodecRegistry codecs;
    auto codec = std::make_unique<FakeCodec>("FAKE", "fake");
    codec->encoders.push_back(std::make_unique<FakeEncoder>("jpeg", true)); // say, JPEG XL-ish
    codec->encoders.push_back(std::make_unique<FakeEncoder>("png", false));
    codecs.add(std::move(codec));
    QVERIFY(EncodeStage::choose(recipeOf(OutputFormat::Jpeg), "png", codecs)->keepsAlpha());
    QVERIFY(!EncodeStage::choose(recipeOf(OutputFormat::Png), "png", codecs)->keepsAlpha());
    const CodecRegistry &qt = CodecRegistry::builtIn();
    QVERIFY(!EncodeStage::choose(recipeOf(OutputFormat::Jpeg), "png", qt)->keepsAlpha());
    QVERIFY(EncodeStage::choose(recipeOf(OutputFormat::Png), "jpeg", qt)->keepsAlpha());
}

// Through the built-in codec the stage writes what processImage() wrote before it had stages:
// QImageWriter with the recipe's quality and progressive flag and the two stamps.
void tst_EncodeStage::sameBytesAsQImageWriter_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("quality");
    QTest::addColumn<bool>("progressive");
    QTest::addColumn<bool>("profile");
    QTest::newRow("jpeg") << int(OutputFormat::Jpeg) << 85 << false << false;
    QTest::newRow("jpeg, progressive, profile") << int(OutputFormat::Jpeg) << 50 << true << true;
    QTest::newRow("png, profile") << int(OutputFormat::Png) << 85 << false << true;
    QTest::newRow("webp") << int(OutputFormat::Webp) << 70 << false << false;
}

void tst_EncodeStage::sameBytesAsQImageWriter()
{
    QFETCH(int, format);
    QFETCH(int, quality);
    QFETCH(bool, progressive);
    QFETCH(bool, profile);
    QImage pixels = quadrants(QSize(48, 32));
    if (profile)
        pixels.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const StageResult<EncodeStage> stage = EncodeStage::choose(
        recipeOf(OutputFormat(format), quality, progressive), "png", CodecRegistry::builtIn());
    QVERIFY(stage);
    QByteArray expected;
    {
        QBuffer buffer(&expected);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, stage->format());
        writer.setQuality(stage->format() == "png" ? 39 : quality); // Qt's quality for zlib level 6
        if (stage->format() == "jpeg")
            writer.setOptimizedWrite(true);
        if (stage->format() == "jpeg" && progressive)
            writer.setProgressiveScanWrite(true);
        if (stage->format() != "jpeg") {
            writer.setText(QLatin1String(FingerprintKey), QStringLiteral("f"));
            writer.setText(QLatin1String(SourceKey), QStringLiteral("s"));
        }
        QVERIFY(writer.write(pixels));
    }
    if (stage->format() == "jpeg") { // the stamps go last, as COM segments before the scan
        const qsizetype scan = expected.indexOf("\xFF\xDA");
        expected.insert(scan, QByteArrayLiteral("\xFF\xFE\x00\x11SluiceRecipe: f"
                                                "\xFF\xFE\x00\x11SluiceSource: s"));
    }
    const StageResult<QByteArray> encoded =
        stage->encode({pixels, pixels.colorSpace().iccProfile()}, stamps());
    QVERIFY(encoded);
    QCOMPARE(*encoded, expected);
}

QTEST_GUILESS_MAIN(tst_EncodeStage)
#include "tst_encodestage.moc"

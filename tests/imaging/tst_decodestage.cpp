#include "fakecodec.h"
#include "testimages.h"

#include <QtTest>
#include <decodestage.h>
#include <failpoints.h>

using namespace sluice;
using namespace fakecodec;
using namespace testimages;

namespace {

ImageProbe probeOf(QSize size, bool reducedScale = false, int orientation = 1)
{
    ImageProbe probe;
    probe.format = "fake";
    probe.size = size;
    probe.orientation = orientation;
    probe.reducedScale = reducedScale;
    return probe;
}

Recipe recipeOf(ResizeMode mode, QSize box, qint64 maxPixels = 0)
{
    Recipe recipe;
    recipe.mode = mode;
    recipe.targetSize = box;
    recipe.limits.maxPixels = maxPixels;
    return recipe;
}

} // namespace

class tst_DecodeStage : public QObject
{
    Q_OBJECT

private slots:
    void reducedScaleIsAskedFor_data();
    void reducedScaleIsAskedFor();
    void decoderFailureSaysWhy();
    void injectedFaults_data();
    void injectedFaults();
    void anotherSizeThanPromised_data();
    void anotherSizeThanPromised();
    void profileAndMetadataAreHandedOn();
};

// Only when the decoder can and the plan shrinks both sides by 2x or more, with twice the
// plan's scaled size (as displayed) as the least it may deliver.
void tst_DecodeStage::reducedScaleIsAskedFor_data()
{
    QTest::addColumn<bool>("reducedScale");
    QTest::addColumn<int>("orientation");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QSize>("box");
    QTest::addColumn<QSize>("atLeast");
    const int fit = int(ResizeMode::Fit), exact = int(ResizeMode::Exact),
              fill = int(ResizeMode::Fill);
    QTest::newRow("fit, shrinking") << true << 1 << fit << QSize(100, 100) << QSize(200, 100);
    QTest::newRow("fit, orientation 6") << true << 6 << fit << QSize(100, 100) << QSize(100, 200);
    QTest::newRow("fit, shrinking 2x") << true << 1 << fit << QSize(200, 200) << QSize(400, 200);
    QTest::newRow("fit, shrinking less than 2x") << true << 1 << fit << QSize(201, 201) << QSize();
    QTest::newRow("fill, shrinking") << true << 1 << fill << QSize(50, 50) << QSize(200, 100);
    QTest::newRow("fill, shrinking less than 2x")
        << true << 1 << fill << QSize(150, 150) << QSize();
    QTest::newRow("fit, as large already") << true << 1 << fit << QSize(400, 400) << QSize();
    QTest::newRow("exact, one side grows") << true << 1 << exact << QSize(100, 300) << QSize();
    QTest::newRow("the decoder cannot") << false << 1 << fit << QSize(100, 100) << QSize();
}

void tst_DecodeStage::reducedScaleIsAskedFor()
{
    QFETCH(bool, reducedScale);
    QFETCH(int, orientation);
    QFETCH(int, mode);
    QFETCH(QSize, box);
    QFETCH(QSize, atLeast);
    const ImageProbe probe = probeOf(QSize(400, 200), reducedScale, orientation);
    const Recipe recipe = recipeOf(ResizeMode(mode), box);
    ResizePlan plan = ResizePlan::compute(probe.orientedSize(), recipe);
    const ResizePlan planned = plan;
    FakeDecoder decoder;
    decoder.decoded.pixels = quadrants(probe.orientedSize());
    QVERIFY(decodeImage(decoder, probe, recipe, plan, QStringLiteral("in.fake")));
    QCOMPARE(decoder.requests.size(), 1);
    QCOMPARE(decoder.requests.first().atLeast, atLeast);
    QCOMPARE(plan.scaledSize, planned.scaledSize);
    QCOMPARE(plan.crop, planned.crop);
}

void tst_DecodeStage::decoderFailureSaysWhy()
{
    const ImageProbe probe = probeOf(QSize(40, 30));
    const Recipe recipe = recipeOf(ResizeMode::Fit, QSize(20, 20));
    ResizePlan plan = ResizePlan::compute(probe.size, recipe);
    FakeDecoder decoder;
    decoder.decoded.error = QStringLiteral("Unable to read image data");
    const StageResult<DecodedImage> decoded = decodeImage(decoder, probe, recipe, plan, {});
    QVERIFY(!decoded);
    QCOMPARE(int(decoded.stop().kind), int(OutcomeKind::PermanentFailure));
    QCOMPARE(decoded.stop().message,
             QStringLiteral("corrupt or truncated fake data: Unable to read image data"));
}

void tst_DecodeStage::injectedFaults_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("kind"); // -1: decoded
    QTest::addColumn<QString>("message");
    QTest::newRow("permanent") << "decode=permanent" << int(OutcomeKind::PermanentFailure)
                               << "injected permanent error (failpoint decode)";
    QTest::newRow("transient") << "decode=transient" << int(OutcomeKind::TransientFailure)
                               << "injected transient I/O error (failpoint decode)";
    QTest::newRow("another input") << "decode=permanent:match=other" << -1 << QString();
    QTest::newRow("another point") << "read=permanent" << -1 << QString();
}

// Just before the decoder runs: an injected failure never reaches it.
void tst_DecodeStage::injectedFaults()
{
    QFETCH(QString, spec);
    QFETCH(int, kind);
    QFETCH(QString, message);
    QVERIFY(Failpoints::configure(spec));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    const ImageProbe probe = probeOf(QSize(40, 30));
    const Recipe recipe = recipeOf(ResizeMode::Fit, QSize(20, 20));
    ResizePlan plan = ResizePlan::compute(probe.size, recipe);
    FakeDecoder decoder;
    decoder.decoded.pixels = quadrants(probe.size);
    const StageResult<DecodedImage> decoded =
        decodeImage(decoder, probe, recipe, plan, QStringLiteral("dir/this.fake"));
    QCOMPARE(bool(decoded), kind < 0);
    QCOMPARE(decoder.requests.size(), kind < 0 ? 1 : 0);
    if (kind >= 0) {
        QCOMPARE(int(decoded.stop().kind), kind);
        QCOMPARE(decoded.stop().message, message);
    }
}

// A decoder that delivers another size than the probe said: limited again, and the planned
// output is reached from what is there (Fill crops it to the output's aspect first).
void tst_DecodeStage::anotherSizeThanPromised_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QSize>("delivered");
    QTest::addColumn<bool>("reduced");
    QTest::addColumn<QSize>("pixels");   // what the stage hands on
    QTest::addColumn<QSize>("scaledTo"); // the plan afterwards
    QTest::addColumn<QString>("message");
    const int fit = int(ResizeMode::Fit), fill = int(ResizeMode::Fill);
    // The probe says 400x200; the box is 100x100, limit 100,000 pixels.
    QTest::newRow("as promised") << fit << QSize(400, 200) << false << QSize(400, 200)
                                 << QSize(100, 50) << QString();
    QTest::newRow("smaller, fit") << fit << QSize(40, 40) << false << QSize(40, 40)
                                  << QSize(100, 50) << QString();
    QTest::newRow("larger, fit") << fit << QSize(300, 300) << false << QSize(300, 300)
                                 << QSize(100, 50) << QString();
    QTest::newRow("other, fill") << fill << QSize(300, 100) << false << QSize(100, 100)
                                 << QSize(100, 100) << QString();
    QTest::newRow("reduced on request")
        << fit << QSize(100, 50) << true << QSize(100, 50) << QSize(100, 50) << QString();
    QTest::newRow("over the limit") << fit << QSize(1000, 1000) << false << QSize() << QSize()
                                    << "image is 1000×1000, over the 0.1 MP limit";
}

void tst_DecodeStage::anotherSizeThanPromised()
{
    QFETCH(int, mode);
    QFETCH(QSize, delivered);
    QFETCH(bool, reduced);
    QFETCH(QSize, pixels);
    QFETCH(QSize, scaledTo);
    QFETCH(QString, message);
    const ImageProbe probe = probeOf(QSize(400, 200));
    const Recipe recipe = recipeOf(ResizeMode(mode), QSize(100, 100), 100'000);
    ResizePlan plan = ResizePlan::compute(probe.size, recipe);
    const QSize output = plan.outputSize();
    FakeDecoder decoder;
    decoder.decoded.pixels = quadrants(delivered);
    decoder.decoded.reducedScale = reduced;
    const StageResult<DecodedImage> decoded = decodeImage(decoder, probe, recipe, plan, {});
    if (!message.isEmpty()) {
        QVERIFY(!decoded);
        QCOMPARE(int(decoded.stop().kind), int(OutcomeKind::PermanentFailure));
        QCOMPARE(decoded.stop().message, message);
        return;
    }
    QVERIFY(decoded);
    QCOMPARE(decoded->pixels.size(), pixels);
    QCOMPARE(plan.scaledSize, scaledTo);
    QCOMPARE(plan.outputSize(), output); // the reserved name's size holds
}

void tst_DecodeStage::profileAndMetadataAreHandedOn()
{
    const ImageProbe probe = probeOf(QSize(40, 30));
    const Recipe recipe = recipeOf(ResizeMode::Fit, QSize(20, 20));
    ResizePlan plan = ResizePlan::compute(probe.size, recipe);
    FakeDecoder decoder;
    decoder.decoded.pixels = quadrants(probe.size);
    decoder.decoded.iccProfile = "an ICC profile";
    decoder.decoded.metadata.exif = QByteArrayLiteral("MM\0*exif");
    decoder.decoded.metadata.xmp = "<x:xmpmeta/>";
    decoder.decoded.metadata.iptc = "\x1c\x02";
    const StageResult<DecodedImage> decoded = decodeImage(decoder, probe, recipe, plan, {});
    QVERIFY(decoded);
    QCOMPARE(decoded->iccProfile, QByteArray("an ICC profile"));
    QCOMPARE(decoded->metadata.exif, decoder.decoded.metadata.exif);
    QCOMPARE(decoded->metadata.xmp, decoder.decoded.metadata.xmp);
    QCOMPARE(decoded->metadata.iptc, decoder.decoded.metadata.iptc);
    QCOMPARE(decoded->pixels.cacheKey(), decoder.decoded.pixels.cacheKey()); // not copied
}

QTEST_GUILESS_MAIN(tst_DecodeStage)
#include "tst_decodestage.moc"

#include <QtTest>
#include <limitstage.h>

using namespace sluice;

namespace {

ImageProbe probeOf(QSize size, int orientation = 1, const QString &damage = {})
{
    ImageProbe probe;
    probe.format = "png";
    probe.size = size;
    probe.orientation = orientation;
    probe.damage = damage;
    return probe;
}

// A decoder that would allocate `decoded` whenever the request asks for a reduced scale.
class ReducingDecoder final : public ImageDecoder
{
public:
    explicit ReducingDecoder(QSize decoded)
        : m_decoded(decoded)
    {}
    ImageProbe probe() override { return {}; }
    QSize decodedSize(const DecodeRequest &request) const override
    {
        return request.atLeast.isEmpty() ? QSize() : m_decoded;
    }
    DecodedImage decode(const DecodeRequest &) override { return {}; }

private:
    QSize m_decoded;
};

} // namespace

class tst_LimitStage : public QObject
{
    Q_OBJECT

private slots:
    void checkLimits_data();
    void checkLimits();
    void whatIsDecodedCounts_data();
    void whatIsDecodedCounts();
    void overPixelLimit_data();
    void overPixelLimit();
};

void tst_LimitStage::checkLimits_data()
{
    QTest::addColumn<QSize>("size"); // stored orientation
    QTest::addColumn<int>("orientation");
    QTest::addColumn<QString>("damage");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("edge");
    QTest::addColumn<qint64>("maxPixels");
    QTest::addColumn<QSize>("output");    // for a plan
    QTest::addColumn<QString>("message"); // for a failure

    const int fit = int(ResizeMode::Fit), fill = int(ResizeMode::Fill),
              shortEdge = int(ResizeMode::ShortEdge), percent = int(ResizeMode::Percent);
    const QString none;
    QTest::newRow("within") << QSize(400, 300) << 1 << none << fit << 100 << qint64(1'000'000)
                            << QSize(100, 75) << none;
    QTest::newRow("at the limit") << QSize(100, 100) << 1 << none << fit << 50 << qint64(10'000)
                                  << QSize(50, 50) << none;
    QTest::newRow("one row over") << QSize(100, 101) << 1 << none << fit << 50 << qint64(10'000)
                                  << QSize() << "image is 100×101, over the 0.01 MP limit";
    QTest::newRow("no limit") << QSize(60000, 60000) << 1 << none << fit << 256 << qint64(0)
                              << QSize(256, 256) << none;
    QTest::newRow("the default limit")
        << QSize(30000, 30000) << 1 << none << fit << 256 << InputLimits().maxPixels << QSize()
        << "image is 30000×30000, over the 100 MP limit";
    QTest::newRow("orientation 6 swaps the sides")
        << QSize(400, 200) << 6 << none << fit << 100 << qint64(0) << QSize(50, 100) << none;
    QTest::newRow("damage") << QSize(300, 200) << 1 << "truncated JPEG data" << fit << 100
                            << qint64(0) << QSize() << "truncated JPEG data";
    // The limit comes first: an over-limit file is reported as such, whatever else is wrong.
    QTest::newRow("damage over the limit")
        << QSize(2000, 1300) << 1 << "truncated JPEG data" << fit << 100 << qint64(2'500'000)
        << QSize() << "image is 2000×1300, over the 2.5 MP limit";
    QTest::newRow("short edge of a strip")
        << QSize(10, 4000) << 1 << none << shortEdge << 1600 << qint64(1'000'000) << QSize()
        << "the output would be 1600×640000, over the 1 MP limit";
    QTest::newRow("percent") << QSize(400, 300) << 1 << none << percent << 1000 << qint64(1'000'000)
                             << QSize() << "the output would be 4000×3000, over the 1 MP limit";
    // Fill's scaled size (48x19200) is over the limit, but only the 48x48 it keeps is made.
    QTest::newRow("fill covering with a strip")
        << QSize(10, 4000) << 1 << none << fill << 48 << qint64(100'000) << QSize(48, 48) << none;
}

// Issue 11: a 102 MP medium-format JPEG whose output needs only a 1/2-scale decode is within
// the 100 MP limit; a decode that must be full-size is refused, saying what it would have been.
void tst_LimitStage::whatIsDecodedCounts_data()
{
    QTest::addColumn<int>("edge");
    QTest::addColumn<QString>("message");
    QTest::newRow("1600 px: decoded at 1/2") << 1600 << QString();
    QTest::newRow("6000 px: decoded whole")
        << 6000 << QStringLiteral("image is 11648×8736, over the 100 MP limit");
}

void tst_LimitStage::whatIsDecodedCounts()
{
    QFETCH(int, edge);
    QFETCH(QString, message);
    ImageProbe probe = probeOf(QSize(11648, 8736));
    probe.reducedScale = true;
    Recipe recipe;
    recipe.targetSize = QSize(edge, edge);
    const ReducingDecoder decoder(QSize(5824, 4368));
    const StageResult<ResizePlan> plan = sluice::checkLimits(probe, recipe, &decoder);
    if (message.isEmpty()) {
        QVERIFY2(plan, qPrintable(plan.stop().message));
        QCOMPARE(plan->outputSize(), QSize(1600, 1200));
    } else {
        QVERIFY(!plan);
        QCOMPARE(plan.stop().message, message);
    }
    // Without the decoder, the header's size is what counts.
    QVERIFY(!sluice::checkLimits(probe, recipe));
    // A decoder that reduces too little is refused with both sizes.
    recipe.targetSize = QSize(1600, 1600);
    const ReducingDecoder little(QSize(11600, 8700));
    const StageResult<ResizePlan> refused = sluice::checkLimits(probe, recipe, &little);
    QVERIFY(!refused);
    QCOMPARE(refused.stop().message,
             QStringLiteral("image is 11648×8736, over the 100 MP limit even decoded at "
                            "11600×8700"));
}

void tst_LimitStage::checkLimits()
{
    QFETCH(QSize, size);
    QFETCH(int, orientation);
    QFETCH(QString, damage);
    QFETCH(int, mode);
    QFETCH(int, edge);
    QFETCH(qint64, maxPixels);
    QFETCH(QSize, output);
    QFETCH(QString, message);
    Recipe recipe;
    recipe.mode = ResizeMode(mode);
    recipe.targetSize = QSize(edge, edge);
    recipe.upscale = true;
    recipe.limits.maxPixels = maxPixels;

    const StageResult<ResizePlan> plan =
        sluice::checkLimits(probeOf(size, orientation, damage), recipe);
    if (!message.isEmpty()) {
        QVERIFY(!plan);
        QCOMPARE(int(plan.stop().kind), int(OutcomeKind::PermanentFailure));
        QCOMPARE(plan.stop().message, message);
        return;
    }
    QVERIFY2(plan, qPrintable(plan.stop().message));
    QCOMPARE(plan->outputSize(), output);
    const ResizePlan expected =
        ResizePlan::compute(orientation >= 5 ? size.transposed() : size, recipe);
    QCOMPARE(plan->scaledSize, expected.scaledSize);
    QCOMPARE(plan->crop, expected.crop);
}

void tst_LimitStage::overPixelLimit_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<qint64>("maxPixels");
    QTest::addColumn<QString>("message");
    QTest::newRow("no limit") << QSize(100000, 100000) << qint64(0) << QString();
    QTest::newRow("under") << QSize(99, 100) << qint64(10'000) << QString();
    QTest::newRow("at") << QSize(100, 100) << qint64(10'000) << QString();
    QTest::newRow("over") << QSize(101, 100) << qint64(10'000)
                          << "image is 101×100, over the 0.01 MP limit";
    QTest::newRow("sides whose product overflows an int")
        << QSize(65536, 65536) << qint64(100'000'000)
        << "image is 65536×65536, over the 100 MP limit";
}

void tst_LimitStage::overPixelLimit()
{
    QFETCH(QSize, size);
    QFETCH(qint64, maxPixels);
    QFETCH(QString, message);
    QCOMPARE(sluice::overPixelLimit(size, maxPixels), message);
}

QTEST_GUILESS_MAIN(tst_LimitStage)
#include "tst_limitstage.moc"

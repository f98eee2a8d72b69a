#include <QtTest>
#include <resizeplan.h>

using namespace sluice;

class tst_ResizePlan : public QObject
{
    Q_OBJECT

private slots:
    void compute_data();
    void compute();
    void fillCropIsCentred();
    void jpegDecodeSize_data();
    void jpegDecodeSize();
    void hugeFactorsDoNotOverflow();
    void centredCrop_data();
    void centredCrop();
};

void tst_ResizePlan::compute_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("target");
    QTest::addColumn<bool>("upscale");
    QTest::addColumn<QSize>("scaled");
    QTest::addColumn<QSize>("output");

    const int fit = int(ResizeMode::Fit), fill = int(ResizeMode::Fill),
              exact = int(ResizeMode::Exact), longEdge = int(ResizeMode::LongEdge),
              shortEdge = int(ResizeMode::ShortEdge), percent = int(ResizeMode::Percent);
    QTest::newRow("fit landscape") << fit << QSize(4000, 3000) << QSize(256, 256) << false
                                   << QSize(256, 192) << QSize(256, 192);
    QTest::newRow("fit portrait") << fit << QSize(3000, 4000) << QSize(256, 256) << false
                                  << QSize(192, 256) << QSize(192, 256);
    QTest::newRow("fit box wide") << fit << QSize(1000, 1000) << QSize(1600, 1200) << true
                                  << QSize(1200, 1200) << QSize(1200, 1200);
    QTest::newRow("fit never upscales")
        << fit << QSize(100, 50) << QSize(256, 256) << false << QSize(100, 50) << QSize(100, 50);
    QTest::newRow("fit upscales when asked")
        << fit << QSize(100, 50) << QSize(256, 256) << true << QSize(256, 128) << QSize(256, 128);
    QTest::newRow("fit rounds") << fit << QSize(1000, 333) << QSize(100, 100) << false
                                << QSize(100, 33) << QSize(100, 33);
    QTest::newRow("fit thin keeps 1px")
        << fit << QSize(10000, 10) << QSize(100, 100) << false << QSize(100, 1) << QSize(100, 1);
    QTest::newRow("fill landscape") << fill << QSize(4000, 3000) << QSize(256, 256) << false
                                    << QSize(341, 256) << QSize(256, 256);
    QTest::newRow("fill portrait") << fill << QSize(3000, 4000) << QSize(300, 200) << false
                                   << QSize(300, 400) << QSize(300, 200);
    QTest::newRow("fill small source")
        << fill << QSize(50, 50) << QSize(100, 80) << false << QSize(100, 100) << QSize(100, 80);
    QTest::newRow("exact") << exact << QSize(4000, 3000) << QSize(300, 300) << false
                           << QSize(300, 300) << QSize(300, 300);
    QTest::newRow("long edge landscape") << longEdge << QSize(4000, 3000) << QSize(1600, 0) << false
                                         << QSize(1600, 1200) << QSize(1600, 1200);
    QTest::newRow("long edge portrait") << longEdge << QSize(3000, 4000) << QSize(1600, 1600)
                                        << false << QSize(1200, 1600) << QSize(1200, 1600);
    QTest::newRow("long edge no upscale") << longEdge << QSize(800, 600) << QSize(1600, 1600)
                                          << false << QSize(800, 600) << QSize(800, 600);
    QTest::newRow("short edge") << shortEdge << QSize(4000, 3000) << QSize(300, 300) << false
                                << QSize(400, 300) << QSize(400, 300);
    QTest::newRow("short edge upscale") << shortEdge << QSize(40, 30) << QSize(300, 300) << true
                                        << QSize(400, 300) << QSize(400, 300);
    QTest::newRow("percent 50") << percent << QSize(4000, 3000) << QSize(50, 50) << false
                                << QSize(2000, 1500) << QSize(2000, 1500);
    QTest::newRow("percent 200") << percent << QSize(10, 5) << QSize(200, 200) << false
                                 << QSize(20, 10) << QSize(20, 10);
}

void tst_ResizePlan::compute()
{
    QFETCH(int, mode);
    QFETCH(QSize, source);
    QFETCH(QSize, target);
    QFETCH(bool, upscale);
    QFETCH(QSize, scaled);
    QFETCH(QSize, output);
    Recipe recipe;
    recipe.mode = ResizeMode(mode);
    recipe.targetSize = target;
    recipe.upscale = upscale;
    const ResizePlan plan = ResizePlan::compute(source, recipe);
    QCOMPARE(plan.scaledSize, scaled);
    QCOMPARE(plan.outputSize(), output);
    QVERIFY(QRect(QPoint(0, 0), plan.scaledSize).contains(plan.crop));
}

void tst_ResizePlan::fillCropIsCentred()
{
    Recipe recipe;
    recipe.mode = ResizeMode::Fill;
    recipe.targetSize = QSize(100, 100);
    const ResizePlan plan = ResizePlan::compute(QSize(400, 200), recipe);
    QCOMPARE(plan.scaledSize, QSize(200, 100));
    QCOMPARE(plan.crop, QRect(50, 0, 100, 100));
}

void tst_ResizePlan::jpegDecodeSize_data()
{
    QTest::addColumn<QSize>("raw");
    QTest::addColumn<QSize>("atLeast");
    QTest::addColumn<QSize>("expected");
    QTest::newRow("eighth") << QSize(4000, 3000) << QSize(256, 192) << QSize(500, 375);
    QTest::newRow("quarter") << QSize(4000, 3000) << QSize(1000, 750) << QSize(1000, 750);
    QTest::newRow("half") << QSize(4000, 3000) << QSize(1600, 1200) << QSize(2000, 1500);
    QTest::newRow("none") << QSize(4000, 3000) << QSize(2001, 1500) << QSize(4000, 3000);
    QTest::newRow("rounds up") << QSize(4001, 3001) << QSize(500, 375) << QSize(501, 376);
    QTest::newRow("one side binds") << QSize(4000, 1000) << QSize(400, 200) << QSize(1000, 250);
}

void tst_ResizePlan::jpegDecodeSize()
{
    QFETCH(QSize, raw);
    QFETCH(QSize, atLeast);
    QFETCH(QSize, expected);
    const QSize got = ResizePlan::jpegDecodeSize(raw, atLeast);
    QCOMPARE(got, expected);
    QVERIFY(got.width() >= atLeast.width() && got.height() >= atLeast.height());
}

// A 1-pixel-wide strip to a 65535 short edge: 65535 x 2e9 * 65535 would overflow an int.
void tst_ResizePlan::hugeFactorsDoNotOverflow()
{
    Recipe recipe;
    recipe.mode = ResizeMode::ShortEdge;
    recipe.upscale = true;
    recipe.targetSize = QSize(65535, 65535);
    const ResizePlan plan = ResizePlan::compute(QSize(1, 2'000'000'000), recipe);
    QCOMPARE(plan.scaledSize.width(), 65535);
    QCOMPARE(plan.scaledSize.height(), 1 << 30); // clamped, far over any pixel limit
    recipe.mode = ResizeMode::Percent;
    recipe.targetSize = QSize(65535, 65535); // 65535 %
    const ResizePlan percent = ResizePlan::compute(QSize(2'000'000'000, 2), recipe);
    QCOMPARE(percent.scaledSize.width(), 1 << 30);
    QCOMPARE(percent.scaledSize.height(), 1311); // 2 x 655.35
}

void tst_ResizePlan::centredCrop_data()
{
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("box");
    QTest::addColumn<QRect>("expected");
    QTest::newRow("wider than the box")
        << QSize(400, 200) << QSize(100, 100) << QRect(100, 0, 200, 200);
    QTest::newRow("taller than the box")
        << QSize(200, 400) << QSize(100, 50) << QRect(0, 150, 200, 100);
    QTest::newRow("same aspect") << QSize(300, 200) << QSize(30, 20) << QRect(0, 0, 300, 200);
    QTest::newRow("box larger than the source")
        << QSize(16, 12) << QSize(50, 20) << QRect(0, 3, 16, 6);
    // A strip whose Fill scale would not fit an int: computed on the source, at least 1 pixel.
    QTest::newRow("thin strip") << QSize(10, 10'000'000) << QSize(48, 32)
                                << QRect(0, 4'999'996, 10, 7);
    QTest::newRow("one pixel") << QSize(1, 1) << QSize(48, 32) << QRect(0, 0, 1, 1);
}

void tst_ResizePlan::centredCrop()
{
    QFETCH(QSize, source);
    QFETCH(QSize, box);
    QFETCH(QRect, expected);
    QCOMPARE(ResizePlan::centredCrop(source, box), expected);
}

QTEST_GUILESS_MAIN(tst_ResizePlan)
#include "tst_resizeplan.moc"

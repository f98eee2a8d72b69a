#include "testimages.h"

#include <QColorSpace>
#include <QtTest>
#include <resamplestage.h>

using namespace sluice;
using namespace testimages;

namespace {

ResizePlan planFor(QSize source, ResizeMode mode, QSize box, bool upscale = false)
{
    Recipe recipe;
    recipe.mode = mode;
    recipe.targetSize = box;
    recipe.upscale = upscale;
    return ResizePlan::compute(source, recipe);
}

// Left half: fully transparent but red underneath. Right half: opaque blue.
QImage transparentOverRed(QSize size)
{
    QImage image(size, QImage::Format_ARGB32);
    for (int y = 0; y < size.height(); ++y) {
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y,
                           x < size.width() / 2 ? qRgba(255, 0, 0, 0) : qRgba(0, 0, 255, 255));
    }
    return image;
}

} // namespace

class tst_ResampleStage : public QObject
{
    Q_OBJECT

private slots:
    void outputSize_data();
    void outputSize();
    void fillCropsTheCentre();
    void enlargingFillCropsFirst();
    void nothingToDoKeepsThePixels();
    void alpha_data();
    void alpha();
    void colourSpaceKeptThroughScaleAndCrop();
    void sharpenOnlyAfterReducing_data();
    void sharpenOnlyAfterReducing();
};

void tst_ResampleStage::outputSize_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("box");
    QTest::addColumn<bool>("upscale");
    QTest::addColumn<QSize>("expected");
    const int fit = int(ResizeMode::Fit), fill = int(ResizeMode::Fill),
              exact = int(ResizeMode::Exact), longEdge = int(ResizeMode::LongEdge),
              shortEdge = int(ResizeMode::ShortEdge), percent = int(ResizeMode::Percent);
    QTest::newRow("fit") << fit << QSize(160, 120) << QSize(64, 64) << false << QSize(64, 48);
    QTest::newRow("fit, no upscale")
        << fit << QSize(16, 12) << QSize(64, 64) << false << QSize(16, 12);
    QTest::newRow("fit, upscale") << fit << QSize(16, 12) << QSize(64, 64) << true << QSize(64, 48);
    QTest::newRow("fill") << fill << QSize(160, 120) << QSize(50, 50) << false << QSize(50, 50);
    QTest::newRow("fill, enlarging")
        << fill << QSize(16, 12) << QSize(50, 20) << false << QSize(50, 20);
    QTest::newRow("exact") << exact << QSize(160, 120) << QSize(30, 10) << false << QSize(30, 10);
    QTest::newRow("long edge") << longEdge << QSize(120, 160) << QSize(40, 40) << false
                               << QSize(30, 40);
    QTest::newRow("short edge") << shortEdge << QSize(160, 120) << QSize(30, 30) << false
                                << QSize(40, 30);
    QTest::newRow("percent") << percent << QSize(160, 120) << QSize(25, 25) << false
                             << QSize(40, 30);
}

void tst_ResampleStage::outputSize()
{
    QFETCH(int, mode);
    QFETCH(QSize, source);
    QFETCH(QSize, box);
    QFETCH(bool, upscale);
    QFETCH(QSize, expected);
    const ResizePlan plan = planFor(source, ResizeMode(mode), box, upscale);
    QCOMPARE(plan.outputSize(), expected);
    const ColouredImage out =
        resample({quadrants(source), {}}, plan, ResizeMode(mode), /*keepAlpha=*/true);
    QCOMPARE(out.pixels.size(), expected);
}

void tst_ResampleStage::fillCropsTheCentre()
{
    // 200x100 quadrants into a 50x50 Fill: the middle 100x100 scaled by 1/2, so red and blue
    // on the left, green and yellow on the right, each a quarter.
    const ResizePlan plan = planFor(QSize(200, 100), ResizeMode::Fill, QSize(50, 50));
    const QImage out =
        resample({quadrants(QSize(200, 100)), {}}, plan, ResizeMode::Fill, true).pixels;
    QCOMPARE(out.size(), QSize(50, 50));
    QVERIFY(closeColor(out.pixelColor(5, 5), Qt::red));
    QVERIFY(closeColor(out.pixelColor(45, 5), Qt::green));
    QVERIFY(closeColor(out.pixelColor(5, 45), Qt::blue));
    QVERIFY(closeColor(out.pixelColor(45, 45), Qt::yellow));
}

// A thin strip covering a box: scaled whole first it would pass through 48x19200; cropped
// first, only its centre 10x7 is scaled.
void tst_ResampleStage::enlargingFillCropsFirst()
{
    QImage strip(QSize(10, 4000), QImage::Format_RGB32);
    strip.fill(Qt::red);
    QPainter(&strip).fillRect(0, 2000, 10, 2000, Qt::blue);
    const ResizePlan plan = planFor(strip.size(), ResizeMode::Fill, QSize(48, 32));
    QCOMPARE(plan.scaledSize, QSize(48, 19200));
    const QImage out = resample({strip, {}}, plan, ResizeMode::Fill, true).pixels;
    QCOMPARE(out.size(), QSize(48, 32));
    QVERIFY(closeColor(out.pixelColor(24, 2), Qt::red));
    QVERIFY(closeColor(out.pixelColor(24, 29), Qt::blue));
}

void tst_ResampleStage::nothingToDoKeepsThePixels()
{
    const QImage pixels = quadrants(QSize(40, 30));
    const ResizePlan plan = planFor(pixels.size(), ResizeMode::Fit, QSize(100, 100));
    QVERIFY(plan.isIdentity(pixels.size()));
    const ColouredImage out = resample({pixels, "profile"}, plan, ResizeMode::Fit, false);
    QCOMPARE(out.pixels.cacheKey(), pixels.cacheKey());
    QCOMPARE(out.iccProfile, QByteArray("profile"));
}

void tst_ResampleStage::alpha_data()
{
    QTest::addColumn<bool>("keepAlpha");
    QTest::addColumn<bool>("transparent"); // the input has alpha
    QTest::addColumn<QSize>("box");
    QTest::newRow("kept") << true << true << QSize(64, 64);
    QTest::newRow("kept, scaled") << true << true << QSize(32, 32);
    QTest::newRow("flattened") << false << true << QSize(64, 64);
    QTest::newRow("flattened, scaled") << false << true << QSize(32, 32);
    QTest::newRow("opaque, nothing to flatten") << false << false << QSize(32, 32);
}

// Flattening paints over white (the red hidden under transparent pixels must not show) and,
// as before the stages, leaves the pixels without a colour space: the profile goes with it.
void tst_ResampleStage::alpha()
{
    QFETCH(bool, keepAlpha);
    QFETCH(bool, transparent);
    QFETCH(QSize, box);
    QImage pixels = transparent ? transparentOverRed(QSize(64, 32)) : quadrants(QSize(64, 32));
    pixels.setColorSpace(QColorSpace(QColorSpace::AdobeRgb));
    const QByteArray profile = pixels.colorSpace().iccProfile();
    const ResizePlan plan = planFor(pixels.size(), ResizeMode::Fit, box);
    const ColouredImage out = resample({pixels, profile}, plan, ResizeMode::Fit, keepAlpha);
    QCOMPARE(out.pixels.size(), plan.outputSize());
    const bool flattened = transparent && !keepAlpha;
    QCOMPARE(out.pixels.hasAlphaChannel(), transparent && keepAlpha);
    QCOMPARE(out.iccProfile, flattened ? QByteArray() : profile);
    QCOMPARE(out.pixels.colorSpace().iccProfile(), out.iccProfile); // always consistent
    if (!transparent)
        return;
    const QColor left = out.pixels.pixelColor(2, out.pixels.height() / 2);
    if (flattened)
        QVERIFY2(closeColor(left, Qt::white, 8), qPrintable(left.name()));
    else
        QCOMPARE(left.alpha(), 0);
    QVERIFY(closeColor(out.pixels.pixelColor(out.pixels.width() - 2, 2), Qt::blue));
}

void tst_ResampleStage::colourSpaceKeptThroughScaleAndCrop()
{
    QImage pixels = quadrants(QSize(300, 100));
    pixels.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const QByteArray profile = pixels.colorSpace().iccProfile();
    const ResizePlan plan = planFor(pixels.size(), ResizeMode::Fill, QSize(40, 40));
    const ColouredImage out = resample({pixels, profile}, plan, ResizeMode::Fill, false);
    QCOMPARE(out.pixels.size(), QSize(40, 40));
    QCOMPARE(out.pixels.colorSpace(), QColorSpace(QColorSpace::DisplayP3));
    QCOMPARE(out.iccProfile, profile);
}

void tst_ResampleStage::sharpenOnlyAfterReducing_data()
{
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("box");
    QTest::addColumn<bool>("upscale");
    QTest::addColumn<bool>("sharpen");
    QTest::addColumn<bool>("sharpened");
    QTest::newRow("reduced") << QSize(400, 300) << QSize(100, 100) << false << true << true;
    QTest::newRow("reduced, not asked")
        << QSize(400, 300) << QSize(100, 100) << false << false << false;
    QTest::newRow("kept its size") << QSize(100, 75) << QSize(100, 100) << false << true << false;
    QTest::newRow("enlarged") << QSize(50, 40) << QSize(100, 100) << true << true << false;
}

// --sharpen: a reduced image's edges get steeper (more contrast across the quadrants' border),
// anything else is handed back untouched.
void tst_ResampleStage::sharpenOnlyAfterReducing()
{
    QFETCH(QSize, source);
    QFETCH(QSize, box);
    QFETCH(bool, upscale);
    QFETCH(bool, sharpen);
    QFETCH(bool, sharpened);
    const ResizePlan plan = planFor(source, ResizeMode::Fit, box, upscale);
    const ColouredImage scaled =
        resample({quadrants(source), "profile"}, plan, ResizeMode::Fit, false);
    const ColouredImage out = sharpenedAfterReducing(scaled, plan, source, sharpen);
    QCOMPARE(out.iccProfile, QByteArray("profile"));
    QCOMPARE(out.pixels.size(), scaled.pixels.size());
    QCOMPARE(out.pixels.cacheKey() == scaled.pixels.cacheKey(), !sharpened);
    if (!sharpened)
        return;
    // Across the vertical border between the top quadrants, the step is at least as steep
    // and the flat middles of the quadrants are unchanged.
    const int y = out.pixels.height() / 4, border = out.pixels.width() / 2;
    auto step = [&](const QImage &image) {
        return qAbs(qRed(image.pixel(border, y)) - qRed(image.pixel(border - 1, y))) +
               qAbs(qGreen(image.pixel(border, y)) - qGreen(image.pixel(border - 1, y))) +
               qAbs(qBlue(image.pixel(border, y)) - qBlue(image.pixel(border - 1, y)));
    };
    QVERIFY(out.pixels != scaled.pixels);
    QVERIFY2(step(out.pixels) >= step(scaled.pixels),
             qPrintable(QStringLiteral("%1 < %2").arg(step(out.pixels)).arg(step(scaled.pixels))));
    QCOMPARE(out.pixels.pixel(border / 2, y), scaled.pixels.pixel(border / 2, y));
}

QTEST_GUILESS_MAIN(tst_ResampleStage)
#include "tst_resamplestage.moc"

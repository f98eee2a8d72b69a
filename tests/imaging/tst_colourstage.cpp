#include "iccfixtures.h"
#include "testimages.h"

#include <QColorSpace>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <colourstage.h>

using namespace sluice;
using namespace testimages;

class tst_ColourStage : public QObject
{
    Q_OBJECT

private slots:
    void passesThrough_data();
    void passesThrough();
    void srgbConvertsWideGamut_data();
    void srgbConvertsWideGamut();
    void srgbInputIsLeftAlone();
    void grayProfileIsApplied();
    void grayPixelsWithAnRgbProfileStayGray();
    void keepAndStrip();
    void profilesThatDoNotFitAreDroppedWithANote_data();
    void profilesThatDoNotFitAreDroppedWithANote();
    void cmykWithoutAProfile_data();
    void cmykWithoutAProfile();
    void cmykThroughItsProfile_data();
    void cmykThroughItsProfile();
};

namespace {

// Saturated and mid colours, where wide-gamut profiles differ most from sRGB.
QImage swatches(QImage::Format format)
{
    const QList<QColor> colours = {QColor(200, 30, 40),   QColor(30, 190, 60),  QColor(40, 60, 210),
                                   QColor(128, 128, 128), QColor(240, 220, 90), QColor(10, 10, 10)};
    QImage image(int(colours.size()), 1, format);
    for (int x = 0; x < colours.size(); ++x) {
        QColor c = colours[x];
        c.setAlpha(x == 0 ? 128 : 255);
        image.setPixelColor(x, 0, c);
    }
    return image;
}

int worstDifference(const QImage &a, const QImage &b)
{
    int worst = 0;
    for (int x = 0; x < a.width(); ++x) {
        const QColor p = a.pixelColor(x, 0), q = b.pixelColor(x, 0);
        worst = std::max({worst, qAbs(p.red() - q.red()), qAbs(p.green() - q.green()),
                          qAbs(p.blue() - q.blue()), qAbs(p.alpha() - q.alpha())});
    }
    return worst;
}

// An RGB profile's header saying CMYK: what a CMYK JPEG's profile is to RGB pixels.
QByteArray cmykHeaderProfile()
{
    QByteArray bytes = QColorSpace(QColorSpace::AdobeRgb).iccProfile();
    bytes.replace(16, 4, "CMYK");
    return bytes;
}

} // namespace

// applyColour() pairs the decoded pixels with their profile, unchanged.
void tst_ColourStage::passesThrough_data()
{
    QTest::addColumn<QImage>("pixels");
    QTest::addColumn<QByteArray>("profile");
    const QImage plain = quadrants(QSize(16, 8));
    QImage p3 = plain.copy();
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    QTest::newRow("no profile") << plain << QByteArray();
    QTest::newRow("Display P3") << p3 << p3.colorSpace().iccProfile();
    QTest::newRow("grey, 8 bits") << plain.convertToFormat(QImage::Format_Grayscale8)
                                  << QByteArray();
    QTest::newRow("alpha") << plain.convertToFormat(QImage::Format_ARGB32) << QByteArray();
}

void tst_ColourStage::passesThrough()
{
    QFETCH(QImage, pixels);
    QFETCH(QByteArray, profile);
    const ColouredImage coloured = applyColour(pixels, profile);
    QCOMPARE(coloured.pixels.cacheKey(), pixels.cacheKey()); // the same pixels, not a copy
    QCOMPARE(coloured.pixels.format(), pixels.format());
    QCOMPARE(coloured.pixels.colorSpace(), pixels.colorSpace());
    QCOMPARE(coloured.iccProfile, profile);
}

// Issue 11: with the default, wide-gamut pixels are converted to sRGB (Little CMS), within a
// few levels of Qt's own matrix conversion, alpha kept, 8 and 16 bits, and written untagged.
void tst_ColourStage::srgbConvertsWideGamut_data()
{
    QTest::addColumn<int>("space");
    QTest::addColumn<int>("format");
    for (auto space : {QColorSpace::ProPhotoRgb, QColorSpace::AdobeRgb, QColorSpace::DisplayP3})
        for (auto format : {QImage::Format_RGB32, QImage::Format_ARGB32,
                            QImage::Format_ARGB32_Premultiplied, QImage::Format_RGBA64})
            QTest::addRow("space %d, format %d", int(space), int(format))
                << int(space) << int(format);
}

void tst_ColourStage::srgbConvertsWideGamut()
{
    QFETCH(int, space);
    QFETCH(int, format);
    QImage wide = swatches(QImage::Format(format));
    wide.setColorSpace(QColorSpace(QColorSpace::NamedColorSpace(space)));
    QImage expected = wide.convertToFormat(QImage::Format_ARGB32);
    expected.convertToColorSpace(QColorSpace(QColorSpace::SRgb));
    QString note;
    const ColouredImage out = toOutputColour(applyColour(wide, wide.colorSpace().iccProfile()),
                                             ColourPolicy::Srgb, &note);
    QCOMPARE(note, QString());
    QVERIFY(out.iccProfile.isEmpty());
    QVERIFY(!out.pixels.colorSpace().isValid());
    QVERIFY(worstDifference(wide.convertToFormat(QImage::Format_ARGB32), expected) > 8);
    QVERIFY2(worstDifference(out.pixels, expected) <= 3,
             qPrintable(QString::number(worstDifference(out.pixels, expected))));
    QCOMPARE(out.pixels.pixelColor(0, 0).alpha(), wide.hasAlphaChannel() ? 128 : 255);
    QCOMPARE(out.pixels.depth(), QImage::Format(format) == QImage::Format_RGBA64 ? 64 : 32);
}

void tst_ColourStage::srgbInputIsLeftAlone()
{
    QImage srgb = swatches(QImage::Format_RGB32);
    srgb.setColorSpace(QColorSpace(QColorSpace::SRgb));
    const ColouredImage out =
        toOutputColour(applyColour(srgb, srgb.colorSpace().iccProfile()), ColourPolicy::Srgb);
    QVERIFY(out.iccProfile.isEmpty());
    QCOMPARE(worstDifference(out.pixels, srgb), 0);
}

// Qt 6.4 cannot apply gray profiles: Little CMS does, and the image stays gray.
void tst_ColourStage::grayProfileIsApplied()
{
    QImage gray(4, 1, QImage::Format_Grayscale8);
    for (int x = 0; x < 4; ++x)
        gray.scanLine(0)[x] = uchar(x * 64); // 0, 64, 128, 192 in linear light
    QString note;
    const ColouredImage out =
        toOutputColour(applyColour(gray, fixtures::linearGrayProfile()), ColourPolicy::Srgb, &note);
    QCOMPARE(note, QString());
    QCOMPARE(out.pixels.format(), QImage::Format_Grayscale8);
    QVERIFY(out.iccProfile.isEmpty());
    for (int x = 0; x < 4; ++x) {
        const double linear = x * 64 / 255.0;
        const double srgb =
            linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1 / 2.4) - 0.055;
        QVERIFY2(qAbs(out.pixels.constScanLine(0)[x] - qRound(srgb * 255)) <= 2,
                 qPrintable(QStringLiteral("%1: %2").arg(x).arg(out.pixels.constScanLine(0)[x])));
    }
}

// A gray image with an RGB profile (a PNG's gAMA and cHRM) is converted and stays gray.
void tst_ColourStage::grayPixelsWithAnRgbProfileStayGray()
{
    for (QImage::Format format : {QImage::Format_Grayscale8, QImage::Format_Grayscale16}) {
        QImage gray(4, 1, format);
        for (int x = 0; x < 4; ++x)
            gray.setPixelColor(x, 0, QColor(x * 60, x * 60, x * 60));
        const QByteArray profile = QColorSpace(QColorSpace::ProPhotoRgb).iccProfile();
        const ColouredImage out = toOutputColour(applyColour(gray, profile), ColourPolicy::Srgb);
        QCOMPARE(out.pixels.format(), format);
        QVERIFY(out.pixels.pixelColor(2, 0) != gray.pixelColor(2, 0)); // converted
    }
}

void tst_ColourStage::keepAndStrip()
{
    QImage p3 = swatches(QImage::Format_RGB32);
    p3.setColorSpace(QColorSpace(QColorSpace::DisplayP3));
    const QByteArray profile = p3.colorSpace().iccProfile();
    const ColouredImage kept = toOutputColour(applyColour(p3, profile), ColourPolicy::Keep);
    QCOMPARE(kept.iccProfile, profile);
    QCOMPARE(worstDifference(kept.pixels, p3), 0);
    const ColouredImage stripped = toOutputColour(applyColour(p3, profile), ColourPolicy::Strip);
    QVERIFY(stripped.iccProfile.isEmpty());
    QVERIFY(!stripped.pixels.colorSpace().isValid());
    QCOMPARE(worstDifference(stripped.pixels, p3), 0);
}

// Every output's profile matches its pixels: a CMYK profile on the RGB pixels Qt decoded, or
// one Little CMS cannot read, is neither applied nor written, and the note says so.
void tst_ColourStage::profilesThatDoNotFitAreDroppedWithANote_data()
{
    QTest::addColumn<QByteArray>("profile");
    QTest::addColumn<int>("policy");
    QTest::addColumn<QString>("note");
    for (auto policy : {ColourPolicy::Srgb, ColourPolicy::Keep}) {
        QTest::addRow("CMYK, %s", qPrintable(toString(policy)))
            << cmykHeaderProfile() << int(policy) << QStringLiteral("CMYK");
        QTest::addRow("garbage, %s", qPrintable(toString(policy)))
            << QByteArray(300, 'x') << int(policy) << QStringLiteral("not");
    }
}

void tst_ColourStage::profilesThatDoNotFitAreDroppedWithANote()
{
    QFETCH(QByteArray, profile);
    QFETCH(int, policy);
    QFETCH(QString, note);
    const QImage pixels = swatches(QImage::Format_RGB32);
    QString said;
    const ColouredImage out =
        toOutputColour(applyColour(pixels, profile), ColourPolicy(policy), &said);
    QVERIFY(out.iccProfile.isEmpty());
    QVERIFY(!out.pixels.colorSpace().isValid());
    QCOMPARE(worstDifference(out.pixels, pixels), 0);
    QVERIFY2(said.contains(note), qPrintable(said));
}

namespace {

// One pixel of ink values (0 no ink .. 255 full ink), stored inverted as Adobe does, or not.
QByteArray cmykPixel(const QList<int> &ink, bool inverted)
{
    QByteArray pixel;
    for (int value : ink)
        pixel += char(inverted ? 255 - value : value);
    return pixel;
}

// Ghostscript's SWOP press profile (Debian's libgs-common, which scripts/setup-deps.sh
// installs).
QByteArray swopProfile()
{
    QFile file(QStringLiteral("/usr/share/color/icc/ghostscript/default_cmyk.icc"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

void tst_ColourStage::cmykWithoutAProfile_data()
{
    QTest::addColumn<QList<int>>("ink");
    QTest::addColumn<QColor>("expected");
    QTest::addColumn<QByteArray>("profile");
    const QList<std::tuple<const char *, QList<int>, QColor>> inks = {
        {"cyan", {255, 0, 0, 0}, QColor(0, 255, 255)},
        {"red", {0, 255, 255, 0}, QColor(255, 0, 0)},
        {"half black", {0, 0, 0, 128}, QColor(127, 127, 127)},
        {"paper", {0, 0, 0, 0}, QColor(255, 255, 255)},
        {"half cyan on half black", {128, 0, 0, 128}, QColor(63, 127, 127)}};
    for (const auto &[name, ink, expected] : inks) {
        QTest::addRow("%s", name) << ink << expected << QByteArray();
        QTest::addRow("%s, RGB profile", name)
            << ink << expected << QColorSpace(QColorSpace::SRgb).iccProfile();
    }
}

// Without a CMYK profile the inks are converted arithmetically, the same either way round,
// and the note says so.
void tst_ColourStage::cmykWithoutAProfile()
{
    QFETCH(QList<int>, ink);
    QFETCH(QColor, expected);
    QFETCH(QByteArray, profile);
    for (const bool inverted : {false, true}) {
        QString note;
        const QImage pixels =
            srgbFromCmyk(cmykPixel(ink, inverted), QSize(1, 1), inverted, profile, &note);
        QCOMPARE(pixels.format(), QImage::Format_RGB32);
        QCOMPARE(pixels.pixelColor(0, 0), expected);
        QVERIFY(note.contains(QLatin1String("CMYK")));
    }
}

// Through the press profile, relative colorimetric, as ImageMagick's -profile and libvips'
// icc_transform convert: the expected colours are Little CMS's transicc -t 1 for SWOP.
void tst_ColourStage::cmykThroughItsProfile_data()
{
    QTest::addColumn<QList<int>>("ink");
    QTest::addColumn<QColor>("expected");
    QTest::newRow("paper") << QList<int>{0, 0, 0, 0} << QColor(255, 255, 255);
    QTest::newRow("press red") << QList<int>{52, 251, 158, 17} << QColor(189, 56, 87);
    QTest::newRow("full cyan") << QList<int>{255, 0, 0, 0} << QColor(0, 176, 240);
    QTest::newRow("rich black") << QList<int>{191, 166, 166, 255} << QColor(35, 34, 34);
}

void tst_ColourStage::cmykThroughItsProfile()
{
    const QByteArray profile = swopProfile();
    QVERIFY2(!profile.isEmpty(), "no SWOP profile: install libgs-common (scripts/setup-deps.sh)");
    QFETCH(QList<int>, ink);
    QFETCH(QColor, expected);
    for (const bool inverted : {false, true}) {
        QString note;
        const QImage pixels =
            srgbFromCmyk(cmykPixel(ink, inverted), QSize(1, 1), inverted, profile, &note);
        QVERIFY2(note.isEmpty(), qPrintable(note));
        const QColor got = pixels.pixelColor(0, 0);
        QVERIFY2(qAbs(got.red() - expected.red()) <= 2 &&
                     qAbs(got.green() - expected.green()) <= 2 &&
                     qAbs(got.blue() - expected.blue()) <= 2 && got.alpha() == 255,
                 qPrintable(got.name() + QLatin1Char(' ') + expected.name()));
    }
}

QTEST_GUILESS_MAIN(tst_ColourStage)
#include "tst_colourstage.moc"

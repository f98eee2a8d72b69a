#include <QColorSpace>
#include <QtTest>
#include <cmath>
#include <random>
#include <resampler.h>

using namespace sluice;

// Tests for resample() and unsharpMask(): sizes, formats, flat areas, sharpness against Qt's
// smooth scaling, premultiplied alpha, 16-bit precision, borders, and agreement with a plain
// double-precision Lanczos3 written out here.
class tst_Resampler : public QObject
{
    Q_OBJECT

private slots:
    void exactSize_data();
    void exactSize();
    void flatStaysFlat_data();
    void flatStaysFlat();
    void matchesReferenceLanczos_data();
    void matchesReferenceLanczos();
    void gratingKeepsContrast();
    void stepEdgeSharperThanQt();
    void alphaEdgeHasNoDarkFringe_data();
    void alphaEdgeHasNoDarkFringe();
    void sixteenBitKeepsPrecision_data();
    void sixteenBitKeepsPrecision();
    void reducingToOnePixelAverages();
    void upscalingInterpolates();
    void keepsMetadata();
    void sameSizeIsTheSameImage();
    void nullAndEmpty();
    void rowSourceGivesTheSameImage_data();
    void rowSourceGivesTheSameImage();
    void rowSourceRefusesFormatsItWouldConvert();
    void rowSourceExtentLeavesPaddingOut();
    void unsharpMaskSharpensEdges_data();
    void unsharpMaskSharpensEdges();
};

namespace {

QImage::Format formatOf(const char *name)
{
    static const QHash<QByteArray, QImage::Format> formats{
        {"RGB32", QImage::Format_RGB32},
        {"ARGB32", QImage::Format_ARGB32},
        {"ARGB32_Premultiplied", QImage::Format_ARGB32_Premultiplied},
        {"RGBX8888", QImage::Format_RGBX8888},
        {"RGBA8888", QImage::Format_RGBA8888},
        {"RGBA8888_Premultiplied", QImage::Format_RGBA8888_Premultiplied},
        {"Grayscale8", QImage::Format_Grayscale8},
        {"Grayscale16", QImage::Format_Grayscale16},
        {"RGBX64", QImage::Format_RGBX64},
        {"RGBA64", QImage::Format_RGBA64},
        {"RGBA64_Premultiplied", QImage::Format_RGBA64_Premultiplied},
        {"RGB888", QImage::Format_RGB888},
        {"Indexed8", QImage::Format_Indexed8},
    };
    return formats.value(name, QImage::Format_Invalid);
}

const char *const TestedFormats[] = {"RGB32",
                                     "ARGB32",
                                     "ARGB32_Premultiplied",
                                     "RGBX8888",
                                     "RGBA8888",
                                     "RGBA8888_Premultiplied",
                                     "Grayscale8",
                                     "Grayscale16",
                                     "RGBX64",
                                     "RGBA64",
                                     "RGBA64_Premultiplied",
                                     "RGB888"};

bool isSixteenBit(QImage::Format f)
{
    return f == QImage::Format_Grayscale16 || f == QImage::Format_RGBX64 ||
           f == QImage::Format_RGBA64 || f == QImage::Format_RGBA64_Premultiplied;
}

// Qt 6.4 converts RGBA64 to RGBA64_Premultiplied wrongly (alpha multiplied by itself too).
QImage converted(const QImage &rgba64, QImage::Format format)
{
    if (format != QImage::Format_RGBA64_Premultiplied)
        return rgba64.convertToFormat(format);
    QImage out = rgba64.convertToFormat(QImage::Format_RGBA64);
    out.reinterpretAsFormat(QImage::Format_RGBA64_Premultiplied);
    for (int y = 0; y < out.height(); ++y) {
        auto *line = reinterpret_cast<QRgba64 *>(out.scanLine(y));
        for (int x = 0; x < out.width(); ++x)
            line[x] = line[x].premultiplied();
    }
    return out;
}

// A photo-like test pattern: smooth gradients, a few hard edges, a little deterministic noise.
QImage pattern(QSize size, QImage::Format format, quint32 seed = 7)
{
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> noise(-12, 12);
    QImage rgba(size, QImage::Format_RGBA64);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgba64 *>(rgba.scanLine(y));
        for (int x = 0; x < size.width(); ++x) {
            const bool block = ((x / 7) + (y / 5)) % 3 == 0;
            const int r = std::clamp(
                x * 65535 / std::max(1, size.width() - 1) + noise(random) * 257, 0, 65535);
            const int g = block ? 60000 : 9000 + noise(random) * 257;
            const int b = std::clamp(y * 65535 / std::max(1, size.height() - 1), 0, 65535);
            const int a = (x + y) % 11 == 0 ? 20000 : 65535;
            line[x] = QRgba64::fromRgba64(quint16(r), quint16(std::clamp(g, 0, 65535)), quint16(b),
                                          quint16(a));
        }
    }
    return converted(rgba, format);
}

QImage filled(QSize size, QImage::Format format, QRgba64 colour)
{
    QImage image(size, format);
    image.fill(QColor::fromRgba64(colour));
    return image;
}

// A double-precision Lanczos3 of one axis, written out without any of resampler.cpp's tricks:
// kernel cut at the image's edges and renormalised.
std::vector<std::vector<std::pair<int, double>>> referenceWeights(int source, int target)
{
    const double scale = double(source) / target;
    const double stretch = std::max(1.0, scale);
    const double support = 3.0 * stretch;
    auto lanczos = [](double x) {
        x = std::fabs(x);
        if (x >= 3.0)
            return 0.0;
        if (x < 1e-12)
            return 1.0;
        return 3.0 * std::sin(M_PI * x) * std::sin(M_PI * x / 3.0) / (M_PI * M_PI * x * x);
    };
    std::vector<std::vector<std::pair<int, double>>> all(target);
    for (int i = 0; i < target; ++i) {
        const double centre = (i + 0.5) * scale;
        double sum = 0.0;
        for (int j = 0; j < source; ++j) {
            const double w = lanczos((j + 0.5 - centre) / stretch);
            if (w != 0.0 && j + 0.5 > centre - support && j + 0.5 < centre + support) {
                all[i].push_back({j, w});
                sum += w;
            }
        }
        for (auto &[j, w] : all[i])
            w /= sum;
    }
    return all;
}

// Channel values of a pixel, premultiplied, scaled to 0..1.
std::array<double, 4> premultipliedAt(const QImage &image, int x, int y)
{
    const QRgba64 p = image.pixelColor(x, y).rgba64().premultiplied();
    return {p.red() / 65535.0, p.green() / 65535.0, p.blue() / 65535.0, p.alpha() / 65535.0};
}

double lumaAt(const QImage &image, int x, int y)
{
    const QColor c = image.pixelColor(x, y);
    return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF();
}

// Root mean square of a row's deviation from its mean, in 0..1 units.
double rowContrast(const QImage &image, int y, int from, int to)
{
    double sum = 0.0, sumSquares = 0.0;
    for (int x = from; x < to; ++x) {
        const double v = lumaAt(image, x, y);
        sum += v;
        sumSquares += v * v;
    }
    const double n = to - from;
    return std::sqrt(std::max(0.0, sumSquares / n - (sum / n) * (sum / n)));
}

} // namespace

void tst_Resampler::exactSize_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("target");

    const QList<QPair<QSize, QSize>> sizes{
        {{4000, 3000}, {256, 192}}, {{640, 480}, {1600, 1200}}, {{1, 1000}, {1, 10}},
        {{1000, 1}, {10, 1}},       {{300, 200}, {1, 1}},       {{1, 1}, {1, 1}},
        {{1, 1}, {37, 23}},         {{5000, 3}, {7, 1}},        {{3, 5000}, {1, 9}},
        {{2, 2}, {1, 300}},         {{333, 111}, {332, 112}},   {{17, 13}, {16, 16}},
    };
    for (const char *format : TestedFormats)
        for (const auto &[source, target] : sizes)
            QTest::addRow("%s %dx%d to %dx%d", format, source.width(), source.height(),
                          target.width(), target.height())
                << QByteArray(format) << source << target;
    QTest::newRow("Indexed8 gives 32-bit RGB")
        << QByteArray("Indexed8") << QSize(64, 64) << QSize(20, 30);
}

void tst_Resampler::exactSize()
{
    QFETCH(QByteArray, format);
    QFETCH(QSize, source);
    QFETCH(QSize, target);
    const QImage::Format f = formatOf(format);
    const QImage in = pattern(source, f);
    QCOMPARE(in.format(), f);
    const QImage out = resample(in, target);
    QCOMPARE(out.size(), target);
    if (f == QImage::Format_Indexed8)
        QCOMPARE(out.format(),
                 in.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
    else
        QCOMPARE(out.format(), f);
}

void tst_Resampler::flatStaysFlat_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("target");
    QTest::addColumn<QRgba64>("colour");

    const QList<QPair<QSize, QSize>> sizes{
        {{997, 601}, {256, 155}}, {{64, 48}, {300, 211}}, {{31, 7}, {5, 40}}};
    const QList<QPair<const char *, QRgba64>> colours{
        {"dark", QRgba64::fromRgba64(0x0101, 0x0202, 0x0303, 0xffff)},
        {"light", QRgba64::fromRgba64(0xfefe, 0xfdfd, 0xffff, 0xffff)},
        {"odd 16-bit", QRgba64::fromRgba64(12345, 54321, 65535, 0xffff)},
        {"translucent", QRgba64::fromRgba64(0x4040, 0x2020, 0x1010, 0x8080)},
    };
    for (const char *format : TestedFormats)
        for (const auto &[source, target] : sizes)
            for (const auto &[name, colour] : colours)
                QTest::addRow("%s %s %dx%d to %dx%d", format, name, source.width(), source.height(),
                              target.width(), target.height())
                    << QByteArray(format) << source << target << colour;
}

// No ringing on flat areas: every output pixel is exactly the input's value.
void tst_Resampler::flatStaysFlat()
{
    QFETCH(QByteArray, format);
    QFETCH(QSize, source);
    QFETCH(QSize, target);
    QFETCH(QRgba64, colour);
    const QImage in = filled(source, formatOf(format), colour);
    const QImage out = resample(in, target);
    QCOMPARE(out.size(), target);
    const QRgba64 expected = in.pixelColor(0, 0).rgba64();
    for (int y = 0; y < out.height(); ++y)
        for (int x = 0; x < out.width(); ++x)
            if (out.pixelColor(x, y).rgba64() != expected)
                QFAIL(qPrintable(QStringLiteral("pixel %1,%2 is %3, expected %4")
                                     .arg(x)
                                     .arg(y)
                                     .arg(out.pixelColor(x, y).name(QColor::HexArgb),
                                          in.pixelColor(0, 0).name(QColor::HexArgb))));
}

void tst_Resampler::matchesReferenceLanczos_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("target");

    const QList<QPair<QSize, QSize>> sizes{{{211, 157}, {64, 47}}, // reduce ~3.3x
                                           {{120, 90}, {97, 80}},  // reduce a little
                                           {{40, 30}, {93, 71}},   // enlarge
                                           {{301, 9}, {20, 13}},   // mixed
                                           {{6, 200}, {5, 9}}};    // narrower than the kernel
    for (const char *format : {"RGB32", "ARGB32_Premultiplied", "RGBA8888_Premultiplied",
                               "Grayscale8", "RGBA64_Premultiplied", "Grayscale16"})
        for (const auto &[source, target] : sizes)
            QTest::addRow("%s %dx%d to %dx%d", format, source.width(), source.height(),
                          target.width(), target.height())
                << QByteArray(format) << source << target;
}

// The fast fixed-point (8-bit) and float (16-bit) passes agree with a plain double-precision
// Lanczos3 (no clamping between the passes) to within a level, apart from clamping at the ends
// of the range and to alpha.
void tst_Resampler::matchesReferenceLanczos()
{
    QFETCH(QByteArray, format);
    QFETCH(QSize, source);
    QFETCH(QSize, target);
    const QImage::Format f = formatOf(format);
    const QImage in = pattern(source, f, 3);
    const QImage out = resample(in, target);
    QCOMPARE(out.size(), target);
    QCOMPARE(out.format(), f);

    const auto wx = referenceWeights(source.width(), target.width());
    const auto wy = referenceWeights(source.height(), target.height());
    const double levels = isSixteenBit(f) ? 65535.0 : 255.0;
    const double tolerance = isSixteenBit(f) ? 1.01 / 65535.0 : 1.01 / 255.0;
    std::vector<std::array<double, 4>> row(source.width());
    double worst = 0.0;
    for (int y = 0; y < target.height(); ++y) {
        for (int x = 0; x < target.width(); ++x) {
            std::array<double, 4> expected{};
            for (const auto &[sy, weightY] : wy[y])
                for (const auto &[sx, weightX] : wx[x]) {
                    const auto p = premultipliedAt(in, sx, sy);
                    for (int c = 0; c < 4; ++c)
                        expected[c] += weightX * weightY * p[c];
                }
            const double alpha = std::clamp(expected[3], 0.0, 1.0);
            const auto actual = premultipliedAt(out, x, y);
            for (int c = 0; c < 4; ++c) {
                const double clamped = std::clamp(expected[c], 0.0, c < 3 ? alpha : 1.0);
                // pixelColor() unpremultiplies and premultiplied() rounds again: allow for it
                const double slack = in.hasAlphaChannel() && alpha < 1.0 ? 1.0 / levels / alpha : 0;
                const double error = std::fabs(actual[c] - clamped);
                worst = std::max(worst, error);
                if (error > tolerance + slack)
                    QFAIL(qPrintable(QStringLiteral("pixel %1,%2 channel %3: %4, expected %5")
                                         .arg(x)
                                         .arg(y)
                                         .arg(c)
                                         .arg(actual[c] * levels)
                                         .arg(clamped * levels)));
            }
        }
    }
    qDebug("largest difference %.3f levels", worst * levels);
}

// A sine grating four output pixels per period keeps nearly all its contrast (Lanczos3 passes
// it almost untouched), and clearly more than Qt's smooth scaling keeps.
void tst_Resampler::gratingKeepsContrast()
{
    const int factor = 5, periodOut = 4; // 20 source pixels per period
    QImage in(QSize(320 * factor, 8 * factor), QImage::Format_RGB32);
    for (int y = 0; y < in.height(); ++y)
        for (int x = 0; x < in.width(); ++x) {
            const double v = 0.5 + 0.4 * std::sin(2 * M_PI * (x + 0.5) / (periodOut * factor));
            const int level = int(std::lround(v * 255));
            in.setPixel(x, y, qRgb(level, level, level));
        }
    const QSize target = in.size() / factor;
    const QImage ours = resample(in, target);
    const QImage qt = in.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const double ideal = 0.4 / std::sqrt(2.0);
    const double oursContrast = rowContrast(ours, 4, 20, 300) / ideal;
    const double qtContrast = rowContrast(qt, 4, 20, 300) / ideal;
    qDebug("grating contrast kept: ours %.3f, Qt smooth %.3f", oursContrast, qtContrast);
    QVERIFY2(oursContrast > 0.95, qPrintable(QString::number(oursContrast)));
    QVERIFY2(oursContrast > qtContrast + 0.05,
             qPrintable(QStringLiteral("%1 vs %2").arg(oursContrast).arg(qtContrast)));
}

// A hard edge at every sub-pixel position: the transition from 10 % to 90 % of the step is
// narrower than Qt's smooth scaling makes it, measured in output pixels and averaged (about
// 1.25 against 1.35 px; a box or tent filter, as Qt's is, would not pass).
void tst_Resampler::stepEdgeSharperThanQt()
{
    double oursWidth = 0.0, qtWidth = 0.0;
    const int positions = 16;
    auto riseWidth = [](const QImage &image) {
        // Linear interpolation of where the middle row crosses 10 % and 90 % (first crossing).
        const int y = image.height() / 2;
        auto crossing = [&](double level) {
            for (int x = 1; x < image.width(); ++x) {
                const double a = lumaAt(image, x - 1, y), b = lumaAt(image, x, y);
                if (a < level && b >= level)
                    return x - 1 + (level - a) / (b - a);
            }
            return double(image.width());
        };
        return crossing(0.9 * 200 / 255 + 0.1 * 30 / 255) -
               crossing(0.1 * 200 / 255 + 0.9 * 30 / 255);
    };
    for (int p = 0; p < positions; ++p) {
        QImage in(QSize(370, 37), QImage::Format_RGB32);
        const int edge = 150 + p;
        for (int y = 0; y < in.height(); ++y)
            for (int x = 0; x < in.width(); ++x)
                in.setPixel(x, y, x < edge ? qRgb(30, 30, 30) : qRgb(200, 200, 200));
        const QSize target(100, 10);
        oursWidth += riseWidth(resample(in, target));
        qtWidth += riseWidth(in.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    }
    oursWidth /= positions;
    qtWidth /= positions;
    qDebug("10-90 %% rise: ours %.3f px, Qt smooth %.3f px", oursWidth, qtWidth);
    QVERIFY2(oursWidth < 0.95 * qtWidth,
             qPrintable(QStringLiteral("%1 vs %2").arg(oursWidth).arg(qtWidth)));
}

void tst_Resampler::alphaEdgeHasNoDarkFringe_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("target");
    for (const char *format : {"ARGB32", "ARGB32_Premultiplied", "RGBA8888",
                               "RGBA8888_Premultiplied", "RGBA64", "RGBA64_Premultiplied"}) {
        QTest::addRow("%s reduce", format) << QByteArray(format) << QSize(53, 41);
        QTest::addRow("%s enlarge", format) << QByteArray(format) << QSize(500, 410);
    }
}

// Opaque light orange beside fully transparent black: wherever the result has some alpha, its
// colour is no darker than that orange (a filter on unpremultiplied values would mix in the
// black of the transparent pixels: a dark fringe). Lanczos' overshoot may brighten it a little
// where alpha is clamped to opaque. Premultiplied results never have colour above alpha.
void tst_Resampler::alphaEdgeHasNoDarkFringe()
{
    QFETCH(QByteArray, format);
    QFETCH(QSize, target);
    QImage argb(QSize(200, 160), QImage::Format_ARGB32);
    for (int y = 0; y < argb.height(); ++y)
        for (int x = 0; x < argb.width(); ++x) {
            const bool inside = std::hypot(x - 90.3, y - 77.1) < 50.0 || (x > 150 && y % 9 < 3);
            argb.setPixel(x, y, inside ? qRgba(250, 200, 120, 255) : qRgba(0, 0, 0, 0));
        }
    const QImage::Format f = formatOf(format);
    const QImage in = converted(argb, f);
    const QImage out = resample(in, target);
    QCOMPARE(out.format(), f);
    int partial = 0;
    for (int y = 0; y < out.height(); ++y)
        for (int x = 0; x < out.width(); ++x) {
            const QColor c = out.pixelColor(x, y);
            if (c.alpha() < 64) // 8-bit premultiplied colour is coarse under that
                continue;
            partial += c.alpha() < 250;
            if (c.red() < 245 || c.green() < 195 || c.blue() < 115)
                QFAIL(qPrintable(QStringLiteral("pixel %1,%2 is %3")
                                     .arg(x)
                                     .arg(y)
                                     .arg(c.name(QColor::HexArgb))));
            if (f == QImage::Format_ARGB32_Premultiplied) {
                const QRgb p = reinterpret_cast<const QRgb *>(out.constScanLine(y))[x];
                QVERIFY(qRed(p) <= qAlpha(p) && qGreen(p) <= qAlpha(p) && qBlue(p) <= qAlpha(p));
            } else if (f == QImage::Format_RGBA64_Premultiplied) {
                const QRgba64 p = reinterpret_cast<const QRgba64 *>(out.constScanLine(y))[x];
                QVERIFY(p.red() <= p.alpha() && p.green() <= p.alpha() && p.blue() <= p.alpha());
            }
        }
    QVERIFY2(partial > 20, "the edge should have partly transparent pixels");
}

void tst_Resampler::sixteenBitKeepsPrecision_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("target");
    for (const char *format : {"Grayscale16", "RGBX64", "RGBA64", "RGBA64_Premultiplied"}) {
        QTest::addRow("%s reduce", format) << QByteArray(format) << QSize(100, 4);
        QTest::addRow("%s enlarge", format) << QByteArray(format) << QSize(1500, 4);
    }
}

// A ramp over less than one 8-bit level stays a ramp: the result is still 16-bit, rises
// steadily, and most of its values lie between 8-bit levels.
void tst_Resampler::sixteenBitKeepsPrecision()
{
    QFETCH(QByteArray, format);
    QFETCH(QSize, target);
    const QImage::Format f = formatOf(format);
    // Written as words: QImage::setPixelColor() on Grayscale16 goes through 8 bits in Qt 6.4.
    QImage rgba(QSize(700, 12), QImage::Format_RGBA64);
    for (int y = 0; y < rgba.height(); ++y)
        for (int x = 0; x < rgba.width(); ++x) {
            const quint16 v = quint16(30000 + x * 250 / 700); // 30000..30249, < 1 level of 8 bits
            reinterpret_cast<QRgba64 *>(rgba.scanLine(y))[x] = QRgba64::fromRgba64(v, v, v, 0xffff);
        }
    QImage in = converted(rgba, f);
    if (f == QImage::Format_Grayscale16)
        for (int y = 0; y < in.height(); ++y)
            for (int x = 0; x < in.width(); ++x)
                reinterpret_cast<quint16 *>(in.scanLine(y))[x] = quint16(30000 + x * 250 / 700);
    const QImage out = resample(in, target);
    QCOMPARE(out.format(), f);
    QCOMPARE(out.size(), target);
    int between = 0, previous = 0;
    for (int x = 0; x < out.width(); ++x) {
        const quint16 v = f == QImage::Format_Grayscale16
                              ? reinterpret_cast<const quint16 *>(out.constScanLine(1))[x]
                              : reinterpret_cast<const QRgba64 *>(out.constScanLine(1))[x].red();
        QVERIFY2(v >= 29990 && v <= 30260, qPrintable(QString::number(v)));
        QVERIFY2(v + 2 >= previous, qPrintable(QStringLiteral("%1 after %2").arg(v).arg(previous)));
        previous = v;
        between += v % 257 != 0;
    }
    QVERIFY2(between > out.width() * 9 / 10, qPrintable(QString::number(between)));
    QVERIFY2(previous > 30200, qPrintable(QString::number(previous)));
}

// One pixel from a large image is (nearly) its mean: the kernel spans the whole image.
void tst_Resampler::reducingToOnePixelAverages()
{
    QImage in(QSize(300, 200), QImage::Format_RGB32);
    for (int y = 0; y < in.height(); ++y)
        for (int x = 0; x < in.width(); ++x)
            in.setPixel(x, y, (x / 10 + y / 10) % 2 ? qRgb(255, 0, 100) : qRgb(0, 255, 100));
    const QImage out = resample(in, QSize(1, 1));
    QCOMPARE(out.size(), QSize(1, 1));
    const QColor c = out.pixelColor(0, 0);
    QVERIFY2(std::abs(c.red() - 128) <= 6 && std::abs(c.green() - 128) <= 6 && c.blue() == 100,
             qPrintable(c.name()));
}

// Enlarging a ramp gives a monotonic ramp that passes through the source values at the source
// pixels' centres, and a 1x1 image enlarges to a flat one.
void tst_Resampler::upscalingInterpolates()
{
    QImage ramp(QSize(16, 1), QImage::Format_Grayscale8);
    for (int x = 0; x < 16; ++x)
        ramp.scanLine(0)[x] = uchar(40 + x * 10);
    const QImage out = resample(ramp, QSize(160, 3));
    QCOMPARE(out.size(), QSize(160, 3));
    for (int x = 15; x < 145; ++x)
        QVERIFY2(out.constScanLine(1)[x] >= out.constScanLine(1)[x - 1],
                 qPrintable(QString::number(x)));
    for (int x = 3; x < 13; ++x) {
        // source pixel x spans output pixels 10x .. 10x + 9; its centre is between 10x + 4 and 10x
        // + 5
        const int middle =
            (out.constScanLine(1)[10 * x + 4] + out.constScanLine(1)[10 * x + 5]) / 2;
        QVERIFY2(std::abs(middle - (40 + x * 10)) <= 5, qPrintable(QString::number(middle)));
    }
    const QImage dot =
        filled(QSize(1, 1), QImage::Format_ARGB32, QRgba64::fromRgba(10, 20, 30, 128));
    const QImage big = resample(dot, QSize(9, 4));
    for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 9; ++x)
            QCOMPARE(big.pixel(x, y), dot.pixel(0, 0));
}

void tst_Resampler::keepsMetadata()
{
    QImage in = pattern(QSize(100, 80), QImage::Format_RGB32);
    in.setColorSpace(QColorSpace::DisplayP3);
    in.setDotsPerMeterX(2835);
    in.setDotsPerMeterY(1417);
    in.setText(QStringLiteral("Comment"), QStringLiteral("kept"));
    const QImage out = resample(in, QSize(40, 30));
    QCOMPARE(out.colorSpace(), QColorSpace(QColorSpace::DisplayP3));
    QCOMPARE(out.dotsPerMeterX(), 2835);
    QCOMPARE(out.dotsPerMeterY(), 1417);
    QCOMPARE(out.text(QStringLiteral("Comment")), QStringLiteral("kept"));
    const QImage sharp = unsharpMask(out);
    QCOMPARE(sharp.colorSpace(), QColorSpace(QColorSpace::DisplayP3));
    QCOMPARE(sharp.dotsPerMeterX(), 2835);
}

void tst_Resampler::sameSizeIsTheSameImage()
{
    const QImage in = pattern(QSize(33, 44), QImage::Format_ARGB32);
    const QImage out = resample(in, in.size());
    QCOMPARE(out, in);
    QCOMPARE(out.format(), in.format());
}

void tst_Resampler::nullAndEmpty()
{
    QVERIFY(resample(QImage(), QSize(10, 10)).isNull());
    QVERIFY(resample(pattern(QSize(10, 10), QImage::Format_RGB32), QSize(0, 10)).isNull());
    QVERIFY(resample(pattern(QSize(10, 10), QImage::Format_RGB32), QSize(10, -1)).isNull());
    QVERIFY(unsharpMask(QImage()).isNull());
}

void tst_Resampler::rowSourceGivesTheSameImage_data()
{
    QTest::addColumn<QByteArray>("format");
    QTest::addColumn<QSize>("source");
    QTest::addColumn<QSize>("target");
    for (const char *format : {"RGB32", "ARGB32_Premultiplied", "Grayscale8", "RGBX64"}) {
        QTest::addRow("%s reduced", format)
            << QByteArray(format) << QSize(301, 203) << QSize(64, 43);
        QTest::addRow("%s reduced a little", format)
            << QByteArray(format) << QSize(120, 90) << QSize(100, 75);
        QTest::addRow("%s enlarged", format)
            << QByteArray(format) << QSize(20, 15) << QSize(57, 41);
    }
}

// A source read row by row (a JPEG as libjpeg decodes it) gives exactly resample()'s result,
// and each row is asked for once, top to bottom.
void tst_Resampler::rowSourceGivesTheSameImage()
{
    QFETCH(QByteArray, format);
    QFETCH(QSize, source);
    QFETCH(QSize, target);
    const QImage image = pattern(source, formatOf(format));
    int asked = -1;
    bool inOrder = true;
    const QImage rows = resampleRows(
        image.size(), image.format(),
        [&](int y) {
            inOrder = inOrder && y > asked && y < image.height();
            asked = y;
            return image.constScanLine(y);
        },
        target);
    QVERIFY(inOrder);
    QCOMPARE(rows.format(), image.format());
    QCOMPARE(rows, resample(image, target));
}

void tst_Resampler::rowSourceRefusesFormatsItWouldConvert()
{
    const QImage image = pattern(QSize(40, 30), QImage::Format_ARGB32);
    const auto row = [&](int y) {
        return image.constScanLine(y);
    };
    // Straight alpha is premultiplied first, RGB888 filtered as RGB32: neither can be read as is.
    QVERIFY(resampleRows(image.size(), QImage::Format_ARGB32, row, QSize(10, 8)).isNull());
    QVERIFY(resampleRows(image.size(), QImage::Format_RGB888, row, QSize(10, 8)).isNull());
    QVERIFY(resampleRows(image.size(), QImage::Format_RGB32, row, QSize(0, 8)).isNull());
    QVERIFY(resampleRows(QSize(), QImage::Format_RGB32, row, QSize(10, 8)).isNull());
    QVERIFY(resampleRows(image.size(), QImage::Format_RGB32, RowSource(), QSize(10, 8)).isNull());
}

// A source whose last rows and columns are padding (a JPEG decoded at 1/d, each side rounded
// up): mapped over its extent, the result is the picture's own, not one stretched over the
// padding.
void tst_Resampler::rowSourceExtentLeavesPaddingOut()
{
    const QImage picture = pattern(QSize(97, 61), QImage::Format_RGB32);
    QImage padded(QSize(100, 64), QImage::Format_RGB32); // edge pixels repeated, as JPEG pads
    for (int y = 0; y < padded.height(); ++y)
        for (int x = 0; x < padded.width(); ++x)
            padded.setPixel(x, y, picture.pixel(qMin(x, 96), qMin(y, 60)));
    const auto row = [&](int y) {
        return padded.constScanLine(y);
    };
    const QSize target(40, 25);
    const QImage expected = resample(picture, target);
    const QImage mapped = resampleRows(padded.size(), padded.format(), row, target, QSizeF(97, 61));
    const QImage stretched = resampleRows(padded.size(), padded.format(), row, target);
    auto meanDifference = [&](const QImage &image) {
        double sum = 0;
        for (int y = 0; y < target.height(); ++y)
            for (int x = 0; x < target.width(); ++x)
                sum += qAbs(qRed(image.pixel(x, y)) - qRed(expected.pixel(x, y))) +
                       qAbs(qBlue(image.pixel(x, y)) - qBlue(expected.pixel(x, y)));
        return sum / (2.0 * target.width() * target.height());
    };
    QVERIFY2(meanDifference(mapped) < 1.0, qPrintable(QString::number(meanDifference(mapped))));
    QVERIFY2(meanDifference(stretched) > 2 * meanDifference(mapped) + 1.0,
             qPrintable(QString::number(meanDifference(stretched))));
}

void tst_Resampler::unsharpMaskSharpensEdges_data()
{
    QTest::addColumn<QByteArray>("format");
    for (const char *format :
         {"RGB32", "ARGB32", "RGBA8888_Premultiplied", "Grayscale8", "Grayscale16", "RGBA64"})
        QTest::newRow(format) << QByteArray(format);
}

// A soft edge gets steeper (more contrast across it), flat areas stay exactly flat, and the
// format is kept.
void tst_Resampler::unsharpMaskSharpensEdges()
{
    QFETCH(QByteArray, format);
    const QImage::Format f = formatOf(format);
    QImage soft(QSize(60, 20), QImage::Format_RGB32);
    for (int y = 0; y < soft.height(); ++y)
        for (int x = 0; x < soft.width(); ++x) {
            const int level = x < 28 ? 60 : x > 31 ? 180 : 60 + (x - 27) * 24;
            soft.setPixel(x, y, qRgb(level, level, level));
        }
    const QImage in = converted(soft.convertToFormat(QImage::Format_RGBA64), f);
    const QImage out = unsharpMask(in, UnsharpMask{0.8, 0.8, 1});
    QCOMPARE(out.format(), f);
    QCOMPARE(out.size(), in.size());
    // The ramp runs from x = 27 (60) to x = 32 (180): its corners get the overshoot.
    const double before = lumaAt(in, 32, 10) - lumaAt(in, 27, 10);
    const double after = lumaAt(out, 32, 10) - lumaAt(out, 27, 10);
    QVERIFY2(after > before * 1.05, qPrintable(QStringLiteral("%1 vs %2").arg(after).arg(before)));
    for (int x : {0, 5, 15, 45, 59})
        QCOMPARE(out.pixelColor(x, 10), in.pixelColor(x, 10));
    QCOMPARE(unsharpMask(in, UnsharpMask{0.0, 0.8, 1}), in);
}

QTEST_GUILESS_MAIN(tst_Resampler)
#include "tst_resampler.moc"

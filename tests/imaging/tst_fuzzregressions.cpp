// Replays the fuzzers' inputs in the ordinary builds, through the fuzzers' own code
// (fuzz/fuzzharness.h: processImage() with production limits, a checking sink):
//   - every stored input under fuzz/regressions/ (decode/, zip/, heif/, jxl/: the smallest
//     input the fuzzers found for each kind of outcome, and crash-*: what a fuzzer found, kept
//     with its fix; see fuzz/README.md), through both paths: it must end in a clean outcome,
//     with no violation;
//   - every generated seed (fuzz/fuzzseeds.h), with the outcome it is made to have, so the
//     harness is known to tell a good input from a bad one.
// Under build-asan this runs with AddressSanitizer and UBSan as well.
#include "fuzzharness.h"
#include "fuzzseeds.h"
#include "testimages.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/resource.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLUICE_SANITIZED 1 // the sanitizers reserve terabytes: no data-segment limit there
#endif

using namespace sluice;
using namespace sluice::fuzz;

namespace {

QString kindName(OutcomeKind kind)
{
    switch (kind) {
    case OutcomeKind::Done:
        return QStringLiteral("done");
    case OutcomeKind::Skipped:
        return QStringLiteral("skipped");
    case OutcomeKind::PermanentFailure:
        return QStringLiteral("failed");
    default:
        return QString::number(int(kind));
    }
}

// The outcome every item of a report had ("done", "skipped", "failed"), or what went wrong.
QString outcomeOf(const RunReport &report, int items)
{
    if (report.items != items)
        return QStringLiteral("%1 items, not %2").arg(report.items).arg(items);
    if (report.done == items)
        return kindName(OutcomeKind::Done);
    if (report.skipped == items)
        return kindName(OutcomeKind::Skipped);
    if (report.failed == items)
        return kindName(OutcomeKind::PermanentFailure);
    return QStringLiteral("mixed");
}

QString describe(const RunReport &report)
{
    return (report.outcomes + report.violations).join(QLatin1String("\n  "));
}

// Stored fuzzer findings for one target, as data rows (name, bytes).
void addRegressionRows(const QString &target)
{
    const QDir dir(QStringLiteral(SLUICE_FUZZ_REGRESSIONS "/") + target);
    const QStringList names = dir.entryList(QDir::Files | QDir::Hidden, QDir::Name);
    for (const QString &name : names) {
        QFile file(dir.filePath(name));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QTest::addRow("%s/%s", qPrintable(target), qPrintable(name)) << file.readAll();
    }
}

} // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        applyProcessLimits(fuzzRecipe()); // as the fuzzers (and main()) do
        QVERIFY(m_dir.isValid());
    }

    void seedsAreSmallAndAllThere()
    {
        const QList<Seed> images = imageSeeds();
        const QList<Seed> archives = sluice::fuzz::zipSeeds();
        QVERIFY2(images.size() >= 15, qPrintable(QString::number(images.size())));
        QCOMPARE(archives.size(), 5);
        for (const Seed &seed : images + archives)
            QVERIFY2(!seed.bytes.isEmpty() && seed.bytes.size() < 4096, qPrintable(seed.name));
    }

    void decodeSeeds_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        for (const Seed &seed : imageSeeds())
            QTest::newRow(qPrintable(seed.name)) << seed.bytes << kindName(seed.expected);
    }
    void decodeSeeds()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        const RunReport report = runDecode(bytes, m_dir.path());
        QVERIFY2(report.violations.isEmpty(), qPrintable(describe(report)));
        QVERIFY2(outcomeOf(report, DecodeRecipes) == expected, qPrintable(describe(report)));
        // Both recipes have the same outcome, and the ZIP path hands a plain file to the same job
        // (with the first recipe): the same outcome again.
        const RunReport viaScanner = runZip(bytes, m_dir.path());
        QVERIFY2(viaScanner.violations.isEmpty(), qPrintable(describe(viaScanner)));
        QVERIFY2(outcomeOf(viaScanner, 1) == expected, qPrintable(describe(viaScanner)));
    }

    void zipSeeds_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("done");
        QTest::addColumn<int>("skipped");
        QTest::addColumn<int>("failed");
        for (const Seed &seed : sluice::fuzz::zipSeeds())
            QTest::newRow(qPrintable(seed.name))
                << seed.bytes << seed.done << seed.skipped << seed.failed;
    }
    void zipSeeds()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, done);
        QFETCH(int, skipped);
        QFETCH(int, failed);
        const RunReport report = runZip(bytes, m_dir.path());
        QVERIFY2(report.violations.isEmpty(), qPrintable(describe(report)));
        QVERIFY2(report.done == done && report.skipped == skipped && report.failed == failed,
                 qPrintable(describe(report)));
    }

    // Every stored finding, through both paths (a decode finding is also a file the scanner
    // yields; a ZIP finding is also a file someone may drop in a folder).
    void regressions_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        addRegressionRows(QStringLiteral("decode"));
        addRegressionRows(QStringLiteral("zip"));
        addRegressionRows(QStringLiteral("heif"));
        addRegressionRows(QStringLiteral("jxl"));
        // The smallest inputs, so the table is never empty: nothing at all, one byte.
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one byte") << QByteArray(1, '\xFF');
    }
    void regressions()
    {
        QFETCH(QByteArray, bytes);
        const RunReport decoded = runDecode(bytes, m_dir.path());
        QVERIFY2(decoded.violations.isEmpty(), qPrintable(describe(decoded)));
        QCOMPARE(decoded.items, DecodeRecipes);
        const RunReport scanned = runZip(bytes, m_dir.path());
        QVERIFY2(scanned.violations.isEmpty(), qPrintable(describe(scanned)));
    }

    // A bottom-up 1-bit BMP header with a black-and-white palette, for width x height pixels.
    static QByteArray bmpHeader1Bit(quint32 width, quint32 height)
    {
        const quint32 stride = (width + 31) / 32 * 4, offset = 14 + 40 + 8;
        QByteArray h;
        auto put16 = [&h](quint32 v) {
            h.append(char(v & 0xff)).append(char(v >> 8 & 0xff));
        };
        auto put32 = [&](quint32 v) {
            put16(v & 0xffff), put16(v >> 16);
        };
        h.append("BM");
        put32(offset + stride * height);
        put32(0);
        put32(offset);
        put32(40);
        put32(width);
        put32(height);
        put16(1);
        put16(1); // bits per pixel
        put32(0); // BI_RGB
        put32(stride * height);
        put32(2835), put32(2835), put32(2), put32(0);
        put32(0x00000000), put32(0x00ffffff); // palette: black, white
        return h;
    }

    // Found with fuzz_decode's crop recipe: Fill enlarging a 10x10,000,000 BMP strip (55 bytes,
    // 100 MP: inside the pixel limit) to cover 48x32 scaled the whole strip first, to
    // 48x48,000,000 pixels: a 9 GB allocation. processImage() now crops first. Outside the
    // sanitizer builds the data segment is capped at 2 GB here, so the old way fails to allocate
    // (the outcome is not Done) instead of exhausting the machine.
    void fillEnlargingAThinStripStaysSmall()
    {
        // The stored 55-byte file does not hold its rows, which is now refused before decoding
        // ("truncated BMP data"); the same strip written whole (1 bit per pixel, 40 MB) still
        // goes through the decoder.
        QByteArray bytes = bmpHeader1Bit(10, 10'000'000);
        bytes.append(QByteArray(4 * 10'000'000, '\0'));
#ifndef SLUICE_SANITIZED
        rlimit saved{};
        QCOMPARE(getrlimit(RLIMIT_DATA, &saved), 0);
        rlimit capped = saved;
        capped.rlim_cur = qMin<rlim_t>(saved.rlim_max, rlim_t(2) << 30);
        QCOMPARE(setrlimit(RLIMIT_DATA, &capped), 0);
#endif
        const RunReport report = runDecode(bytes, m_dir.path());
#ifndef SLUICE_SANITIZED
        setrlimit(RLIMIT_DATA, &saved);
#endif
        QVERIFY2(report.violations.isEmpty(), qPrintable(describe(report)));
        QVERIFY2(report.done == DecodeRecipes, qPrintable(describe(report)));
    }

    // The crop-first way keeps the same, centred part of the image as scaling first did.
    void fillEnlargingKeepsTheCentre_data()
    {
        QTest::addColumn<QSize>("source");
        QTest::newRow("wide") << QSize(20, 10);
        QTest::newRow("tall") << QSize(10, 20);
        QTest::newRow("thin") << QSize(2, 30);
    }
    void fillEnlargingKeepsTheCentre()
    {
        QFETCH(QSize, source);
        const QImage image = testimages::quadrants(source);
        const QString path = m_dir.filePath(QStringLiteral("quadrants.png"));
        QVERIFY(image.save(path));

        Recipe recipe;
        recipe.mode = ResizeMode::Fill;
        recipe.targetSize = QSize(40, 40);
        recipe.format = OutputFormat::Png;
        DiscardSink sink(recipe);
        RunReport report;
        processAndCheck(InputItem::fromFile(path, QStringLiteral("quadrants.png")), recipe, sink,
                        report);
        QVERIFY2(report.violations.isEmpty() && report.done == 1, qPrintable(describe(report)));
        const QImage out = QImage::fromData(sink.lastOutput());
        QCOMPARE(out.size(), QSize(40, 40));
        const QList<QPair<QPoint, QColor>> expected = {
            {{8, 8}, Qt::red}, {{31, 8}, Qt::green}, {{8, 31}, Qt::blue}, {{31, 31}, Qt::yellow}};
        // Within 4 levels: Lanczos3 enlarging a 2-pixel-wide crop rings by a level or so.
        for (const auto &[point, colour] : expected)
            QVERIFY2(testimages::closeColor(out.pixelColor(point), colour, 4),
                     qPrintable(QStringLiteral("at %1,%2: %3")
                                    .arg(point.x())
                                    .arg(point.y())
                                    .arg(out.pixelColor(point).name())));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"

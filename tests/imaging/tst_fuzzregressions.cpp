// Replays the fuzzers' inputs in the ordinary builds, through the fuzzers' own code
// (fuzz/fuzzharness.h: processImage() with production limits, a checking sink):
//   - every stored input under fuzz/regressions/decode/ and fuzz/regressions/zip/ (the smallest
//     input the fuzzers found for each kind of outcome, and crash-*: what a fuzzer found, kept
//     with its fix; see fuzz/README.md), through both paths: it must end in a clean outcome,
//     with no violation;
//   - every generated seed (fuzz/fuzzseeds.h), with the outcome it is made to have, so the
//     harness is known to tell a good input from a bad one.
// Under build-asan this runs with AddressSanitizer and UBSan as well.
#include "fuzzharness.h"
#include "fuzzseeds.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

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

// The one outcome of a runDecode() report.
QString outcomeOf(const RunReport &report)
{
    if (report.items != 1)
        return QStringLiteral("%1 items").arg(report.items);
    if (report.done)
        return kindName(OutcomeKind::Done);
    if (report.skipped)
        return kindName(OutcomeKind::Skipped);
    if (report.failed)
        return kindName(OutcomeKind::PermanentFailure);
    return QStringLiteral("nothing");
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
        QVERIFY2(outcomeOf(report) == expected, qPrintable(describe(report)));
        // The ZIP path hands a plain file to the same job: same outcome.
        const RunReport viaScanner = runZip(bytes, m_dir.path());
        QVERIFY2(viaScanner.violations.isEmpty(), qPrintable(describe(viaScanner)));
        QVERIFY2(outcomeOf(viaScanner) == expected, qPrintable(describe(viaScanner)));
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
        // The smallest inputs, so the table is never empty: nothing at all, one byte.
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one byte") << QByteArray(1, '\xFF');
    }
    void regressions()
    {
        QFETCH(QByteArray, bytes);
        const RunReport decoded = runDecode(bytes, m_dir.path());
        QVERIFY2(decoded.violations.isEmpty(), qPrintable(describe(decoded)));
        QCOMPARE(decoded.items, 1);
        const RunReport scanned = runZip(bytes, m_dir.path());
        QVERIFY2(scanned.violations.isEmpty(), qPrintable(describe(scanned)));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"

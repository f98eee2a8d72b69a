// mergeReports(): the shards' reports joined into one, and what does not add up: an input in
// two reports (the first kept), a shard without a report, an input (under the run's INPUTs) in
// no report; reports of different splits or two of one shard refused.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <reportmerge.h>

using namespace sluice;
using namespace sluice::cli;

namespace {

ReportRecord record(const QString &source, ResultStatus status = ResultStatus::Done,
                    const QString &entry = QString())
{
    ReportRecord r;
    r.source = source;
    r.entry = entry;
    r.relativePath = QFileInfo(source).fileName() + (entry.isEmpty() ? QString() : '/' + entry);
    r.status = status;
    return r;
}

// A shard's report as readReport() gives it; k is 1-based, n = 0 for a CSV (no summary).
LoadedReport shardReport(int k, int n, const QVector<ReportRecord> &records,
                         qint64 elapsedMs = 1000)
{
    LoadedReport r;
    r.path = n > 0 ? QStringLiteral("/r/run-shard-%1-of-%2.json").arg(k).arg(n)
                   : QStringLiteral("/r/run-%1.csv").arg(k);
    r.records = records;
    r.hasSummary = n > 0;
    r.summary.shardIndex = qMax(0, k - 1);
    r.summary.shardCount = qMax(1, n);
    r.summary.elapsedMs = elapsedMs;
    r.summary.output = QStringLiteral("/out");
    return r;
}

QStringList sourcesOf(const MergeOutcome &m)
{
    QStringList s;
    for (const ReportRecord &r : m.records)
        s << r.source + (r.entry.isEmpty() ? QString() : ':' + r.entry) + '@' + r.shard;
    return s;
}

void touch(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
}

} // namespace

class tst_ReportMerge : public QObject
{
    Q_OBJECT

private slots:
    void joinsInShardOrderWithTotals()
    {
        const QVector<LoadedReport> reports = {
            shardReport(3, 3, {record("/in/c.jpg", ResultStatus::Skipped)}, 500),
            shardReport(1, 3,
                        {record("/in/a.jpg"), record("/in/z.zip", ResultStatus::Done, "x.png")},
                        2500),
            shardReport(2, 3, {record("/in/z.zip", ResultStatus::Done, "y.png")}, 900)};
        MergeOutcome m;
        QString error;
        QVERIFY2(mergeReports(reports, {}, &m, &error), qPrintable(error));
        QCOMPARE(sourcesOf(m), QStringList({"/in/a.jpg@1/3", "/in/z.zip:x.png@1/3",
                                            "/in/z.zip:y.png@2/3", "/in/c.jpg@3/3"}));
        QVERIFY(m.complete());
        QVERIFY(!m.inputsChecked);
        QCOMPARE(m.shards, 3);
        QCOMPARE(m.summary.tally.total, 4);
        QCOMPARE(m.summary.tally.done, 3);
        QCOMPARE(m.summary.tally.skipped, 1);
        QCOMPARE(m.summary.elapsedMs, 2500); // the longest shard
        QCOMPARE(m.summary.exitCode, 0);
        QCOMPARE(m.summary.output, QStringLiteral("/out"));
        QCOMPARE(m.summary.shardCount, 1); // the merged report is of the whole run
        QCOMPARE(m.summary.merge.value(QStringLiteral("shards")).toInt(), 3);
        QVERIFY(m.summary.merge.value(QStringLiteral("inNoReport")).isNull()); // not checked
    }

    void inputInTwoReportsIsKeptOnceAndSaid()
    {
        const QVector<LoadedReport> reports = {
            shardReport(1, 2, {record("/in/a.jpg"), record("/in/b.jpg")}),
            shardReport(2, 2, {record("/in/b.jpg", ResultStatus::Failed), record("/in/c.jpg")})};
        MergeOutcome m;
        QString error;
        QVERIFY(mergeReports(reports, {}, &m, &error));
        QCOMPARE(sourcesOf(m), QStringList({"/in/a.jpg@1/2", "/in/b.jpg@1/2", "/in/c.jpg@2/2"}));
        QCOMPARE(m.inTwoReports.size(), 1);
        QVERIFY2(
            m.inTwoReports.first().contains(QStringLiteral(
                "b.jpg: shard 1/2 (run-shard-1-of-2.json) and shard 2/2 (run-shard-2-of-2.json)")),
            qPrintable(m.inTwoReports.first()));
        QCOMPARE(m.summary.tally.failed, 0); // the first report's record is the one kept
        QCOMPARE(m.summary.exitCode, 1);     // but the merge does not add up
        QVERIFY(!m.complete());
    }

    void shardWithoutReportIsSaid()
    {
        MergeOutcome m;
        QString error;
        QVERIFY(mergeReports(
            {shardReport(1, 4, {record("/in/a.jpg")}), shardReport(3, 4, {record("/in/b.jpg")})},
            {}, &m, &error));
        QCOMPARE(m.shardsWithoutReport, QList<int>({2, 4}));
        QCOMPARE(m.summary.exitCode, 1);
    }

    void failuresMakeExitOne_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("done") << int(ResultStatus::Done) << 0;
        QTest::newRow("skipped") << int(ResultStatus::Skipped) << 0;
        QTest::newRow("failed") << int(ResultStatus::Failed) << 1;
        QTest::newRow("canceled") << int(ResultStatus::Canceled) << 1;
    }
    void failuresMakeExitOne()
    {
        QFETCH(int, status);
        QFETCH(int, exitCode);
        MergeOutcome m;
        QString error;
        QVERIFY(mergeReports({shardReport(1, 1, {record("/in/a.jpg", ResultStatus(status))})}, {},
                             &m, &error));
        QCOMPARE(m.summary.exitCode, exitCode);
    }

    void reportsThatCannotBeJoined_data()
    {
        QTest::addColumn<int>("secondShard");
        QTest::addColumn<int>("secondCount");
        QTest::addColumn<QString>("reason");
        QTest::newRow("different splits") << 2 << 8 << "different splits";
        QTest::newRow("one shard twice") << 1 << 4 << "two reports of shard 1/4";
    }
    void reportsThatCannotBeJoined()
    {
        QFETCH(int, secondShard);
        QFETCH(int, secondCount);
        QFETCH(QString, reason);
        MergeOutcome m;
        QString error;
        QVERIFY(!mergeReports({shardReport(1, 4, {record("/in/a.jpg")}),
                               shardReport(secondShard, secondCount, {record("/in/b.jpg")})},
                              {}, &m, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    // CSV reports have no shard: joined as they are, only the duplicate check applies.
    void reportsWithoutShardsAreJoinedAsGiven()
    {
        MergeOutcome m;
        QString error;
        QVERIFY(mergeReports({shardReport(1, 0, {record("/in/b.jpg")}),
                              shardReport(2, 0, {record("/in/a.jpg"), record("/in/b.jpg")})},
                             {}, &m, &error));
        QCOMPARE(sourcesOf(m), QStringList({"/in/b.jpg@", "/in/a.jpg@"}));
        QCOMPARE(m.inTwoReports.size(), 1);
        QVERIFY2(m.inTwoReports.first().contains(QStringLiteral("run-1.csv and run-2.csv")),
                 qPrintable(m.inTwoReports.first()));
        QCOMPARE(m.shards, 0);
    }

    // Given the run's INPUTs, the merge walks them as the run did (hidden files are items,
    // skipped as hidden; the output folder is left out) and names what no report has.
    void inputsInNoReportAreFound()
    {
        QTemporaryDir dir;
        const QString in = dir.filePath(QStringLiteral("in"));
        touch(in + "/a.jpg");
        touch(in + "/sub/b.jpg");
        touch(in + "/.hidden.jpg");
        touch(in + "/out/old.jpg"); // the run's output, inside its input
        LoadedReport r = shardReport(
            1, 2, {record(in + "/a.jpg"), record(in + "/.hidden.jpg", ResultStatus::Skipped)});
        r.summary.output = in + "/out";
        MergeOutcome m;
        QString error;
        QVERIFY(mergeReports({r, shardReport(2, 2, {})}, {{in}, false}, &m, &error));
        QVERIFY(m.inputsChecked);
        QCOMPARE(m.inNoReport, QStringList{QStringLiteral("in/sub/b.jpg")});
        QCOMPARE(m.summary.exitCode, 1);
        QCOMPARE(m.summary.merge.value(QStringLiteral("inNoReport")).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_ReportMerge)
#include "tst_reportmerge.moc"

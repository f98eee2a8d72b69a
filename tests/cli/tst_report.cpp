// The --report writer: one record per input, JSON (items + summary) or CSV (RFC 4180), the
// tally, and an atomic write; and the reader that --merge-reports uses to read reports back.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <report.h>

using namespace sluice;
using namespace sluice::cli;

namespace {

QVector<ReportRecord> sampleRecords()
{
    ReportRecord done;
    done.source = QStringLiteral("/in/a.jpg");
    done.relativePath = QStringLiteral("in/a.jpg");
    done.output = QStringLiteral("/out/in/a.jpg");
    done.status = ResultStatus::Done;
    done.attempts = 1;
    done.inputSize = QSize(4000, 3000);
    done.outputSize = QSize(1600, 1200);
    done.ms = 42;
    done.note = QStringLiteral("first frame of 42");
    ReportRecord failed;
    failed.source = QStringLiteral("/in/photos.zip");
    failed.entry = QStringLiteral("x, \"quoted\".jpg");
    failed.relativePath = QStringLiteral("photos/x.jpg");
    failed.status = ResultStatus::Failed;
    failed.attempts = 3;
    failed.error = QStringLiteral("damaged or truncated\nsecond line");
    ReportRecord skipped;
    skipped.source = QStringLiteral("/in/notes.txt");
    skipped.status = ResultStatus::Skipped;
    skipped.skipReason = QStringLiteral("not an image");
    ReportRecord canceled; // never ran
    canceled.source = QStringLiteral("/in/b.jpg");
    return {done, failed, skipped, canceled};
}

RunSummary summaryOf(const QVector<ReportRecord> &records)
{
    RunSummary s;
    s.tally = RunTally::of(records);
    s.elapsedMs = 1500;
    s.imagesPerSecond = 0.7;
    s.exitCode = 3;
    s.interrupted = true;
    s.output = QStringLiteral("/out");
    return s;
}

} // namespace

class tst_Report : public QObject
{
    Q_OBJECT

private slots:
    void tallyCountsEveryStatus()
    {
        const RunTally t = RunTally::of(sampleRecords());
        QCOMPARE(t.total, qint64(4));
        QCOMPARE(t.done, qint64(1));
        QCOMPARE(t.failed, qint64(1));
        QCOMPARE(t.skipped, qint64(1));
        QCOMPARE(t.canceled, qint64(1));
    }

    void displayNameJoinsArchiveAndEntry()
    {
        const QVector<ReportRecord> r = sampleRecords();
        QCOMPARE(r[0].displayName(), QStringLiteral("/in/a.jpg"));
        QCOMPARE(r[1].displayName(), QStringLiteral("/in/photos.zip:x, \"quoted\".jpg"));
    }

    void jsonHasItemsAndSummary()
    {
        const QVector<ReportRecord> records = sampleRecords();
        const QJsonObject root =
            QJsonDocument::fromJson(reportJson(records, summaryOf(records))).object();
        const QJsonArray items = root.value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 4);
        const QJsonObject done = items[0].toObject();
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        QCOMPARE(done.value(QStringLiteral("outputWidth")).toInt(), 1600);
        QCOMPARE(done.value(QStringLiteral("ms")).toInt(), 42);
        QVERIFY(done.value(QStringLiteral("entry")).isNull());
        QCOMPARE(done.value(QStringLiteral("note")).toString(),
                 QStringLiteral("first frame of 42"));
        QVERIFY(!items[1].toObject().contains(QStringLiteral("note")));
        const QJsonObject failed = items[1].toObject();
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("attempts")).toInt(), 3);
        QVERIFY(failed.value(QStringLiteral("outputWidth")).isNull()); // unknown, not 0
        QCOMPARE(items[2].toObject().value(QStringLiteral("skipReason")).toString(),
                 QStringLiteral("not an image"));
        QCOMPARE(items[3].toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("canceled"));
        const QJsonObject summary = root.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("total")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), 3);
        QCOMPARE(summary.value(QStringLiteral("interrupted")).toBool(), true);
    }

    void csvQuotesWhatNeedsIt()
    {
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(reportCsv(sampleRecords())));
        QCOMPARE(rows.size(), 5);
        QCOMPARE(rows[0].first(), QStringLiteral("source"));
        for (const QStringList &row : rows)
            QCOMPARE(row.size(), rows[0].size());
        QCOMPARE(rows[1][4], QStringLiteral("done"));
        QCOMPARE(rows[1][10], QStringLiteral("1600"));
        QCOMPARE(rows[2][1], QStringLiteral("x, \"quoted\".jpg"));
        QCOMPARE(rows[2][6], QStringLiteral("damaged or truncated\nsecond line"));
        QCOMPARE(rows[2][10], QString()); // unknown size: empty
        QCOMPARE(rows[3][7], QStringLiteral("not an image"));
        QCOMPARE(rows[0].last(), QStringLiteral("note")); // new columns go last
        QCOMPARE(rows[1].last(), QStringLiteral("first frame of 42"));
    }

    void writeChoosesByTheSuffix_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("csv");
        QTest::newRow("json") << "report.json" << false;
        QTest::newRow("csv") << "report.csv" << true;
        QTest::newRow("CSV") << "report.CSV" << true;
    }
    void writeChoosesByTheSuffix()
    {
        QFETCH(QString, name);
        QFETCH(bool, csv);
        QTemporaryDir dir;
        const QVector<ReportRecord> records = sampleRecords();
        QString error;
        QVERIFY(writeReport(dir.filePath(name), records, summaryOf(records), &error));
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(bytes.startsWith("source,"), csv);
        QCOMPARE(QJsonDocument::fromJson(bytes).isObject(), !csv);
    }

    // Written by hand, so that the reader is not only checked against our own writer.
    void csvReaderFollowsRfc4180()
    {
        const QList<QStringList> rows = parseCsv(QStringLiteral(
            "a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast,row,no break"));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0], QStringList({"a", "b, c", "say \"hi\""}));
        QCOMPARE(rows[1], QStringList({"two\nlines", "", "x"}));
        QCOMPARE(rows[2], QStringList({"last", "row", "no break"}));
        QCOMPARE(parseCsv(QString()).size(), 0);
    }

    // What writeReport() wrote, readReport() gives back: every field, the shard, the tally.
    void readsBackWhatItWrote_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("hasSummary");
        QTest::newRow("json") << "r.json" << true;
        QTest::newRow("csv") << "r.csv" << false;
    }
    void readsBackWhatItWrote()
    {
        QFETCH(QString, name);
        QFETCH(bool, hasSummary);
        QTemporaryDir dir;
        const QVector<ReportRecord> records = sampleRecords();
        RunSummary summary = summaryOf(records);
        summary.shardIndex = 2;
        summary.shardCount = 8;
        QString error;
        QVERIFY(writeReport(dir.filePath(name), records, summary, &error));
        LoadedReport read;
        QVERIFY2(readReport(dir.filePath(name), &read, &error), qPrintable(error));
        QCOMPARE(read.hasSummary, hasSummary);
        QCOMPARE(read.records.size(), records.size());
        for (qsizetype i = 0; i < records.size(); ++i) {
            const ReportRecord &a = records[i], &b = read.records[i];
            QCOMPARE(b.source, a.source);
            QCOMPARE(b.entry, a.entry);
            QCOMPARE(b.relativePath, a.relativePath);
            QCOMPARE(b.output, a.output);
            QCOMPARE(int(b.status), int(a.status));
            QCOMPARE(b.attempts, a.attempts);
            QCOMPARE(b.error, a.error);
            QCOMPARE(b.skipReason, a.skipReason);
            QCOMPARE(b.note, a.note);
            QCOMPARE(b.inputSize, a.inputSize);
            QCOMPARE(b.outputSize, a.outputSize);
            QCOMPARE(b.ms, a.ms);
        }
        QCOMPARE(read.summary.tally.failed, 1);
        QCOMPARE(read.summary.tally.canceled, 1);
        if (hasSummary) {
            QCOMPARE(read.summary.shardIndex, 2);
            QCOMPARE(read.summary.shardCount, 8);
            QCOMPARE(read.summary.output, QStringLiteral("/out"));
            QCOMPARE(read.summary.elapsedMs, 1500);
        }
    }

    void readRefusesWhatIsNoReport_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << "r.json" << QByteArray("{\"items\": [") << "r.json";
        QTest::newRow("json without items") << "r.json" << QByteArray("{\"a\": 1}") << "items";
        QTest::newRow("unknown status")
            << "r.json" << QByteArray("{\"items\": [{\"source\": \"a\", \"status\": \"odd\"}]}")
            << "item 1";
        QTest::newRow("other csv") << "r.csv" << QByteArray("name,size\r\na,1\r\n") << "header";
        QTest::newRow("short csv row")
            << "r.csv" << (reportCsv(sampleRecords()) + QByteArray("/in/z.jpg,,,,done\r\n"))
            << "row 6";
        QTest::newRow("missing") << "none.json" << QByteArray() << "none.json";
    }
    void readRefusesWhatIsNoReport()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        if (!bytes.isEmpty()) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        }
        LoadedReport read;
        QString error;
        QVERIFY(!readReport(dir.filePath(name), &read, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void unwritablePathSaysWhy()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(
            !writeReport(dir.filePath(QStringLiteral("missing/folder/r.json")), {}, {}, &error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_Report)
#include "tst_report.moc"

// The journal's record codec: every kind of record decodes to what was encoded, torn and foreign
// lines are told apart, and the crash signal handler's preformatted line decodes as a crash.
#include <QTest>
#include <journalrecord.h>

using namespace sluice;
using Type = JournalRecord::Type;

class tst_JournalRecord : public QObject
{
    Q_OBJECT

private slots:
    void header()
    {
        JobSpec spec;
        spec.inputs = {QStringLiteral("/in/a"), QStringLiteral("/in/b.zip")};
        spec.output = QStringLiteral("/out.zip");
        spec.recipe.targetSize = QSize(300, 200);
        spec.shardIndex = 2;
        spec.shardCount = 5;
        spec.includeRootName = false;
        const QByteArray line = JournalRecord::header(spec);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        const JournalRecord r = JournalRecord::decode(line);
        QCOMPARE(int(r.type), int(Type::Header));
        QCOMPARE(r.spec.inputs, spec.inputs);
        QCOMPARE(r.spec.id(), spec.id());
        QVERIFY(sameOutputs(r.spec.recipe, spec.recipe));
        QCOMPARE(r.spec.includeRootName, false);
    }

    void records_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("type");
        QTest::addColumn<quint64>("tag");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("writes");
        QTest::addColumn<qint64>("at");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("quarantined");
        const QString none;
        QTest::newRow("run") << JournalRecord::run(3, 1234, 1700000000123) << int(Type::Run)
                             << quint64(0) << none << none << false << qint64(1700000000123) << none
                             << none << false;
        QTest::newRow("started") << JournalRecord::started(42, QStringLiteral("/in/a.jpg"))
                                 << int(Type::Started) << quint64(42) << QStringLiteral("/in/a.jpg")
                                 << none << false << qint64(0) << none << none << false;
        QTest::newRow("reserved write")
            << JournalRecord::reserved(7, QStringLiteral("/out/a.jpg"), true, 99)
            << int(Type::Reserved) << quint64(7) << none << QStringLiteral("/out/a.jpg") << true
            << qint64(99) << none << none << false;
        QTest::newRow("reserved skip")
            << JournalRecord::reserved(8, QStringLiteral("/out/b.jpg"), false, 5)
            << int(Type::Reserved) << quint64(8) << none << QStringLiteral("/out/b.jpg") << false
            << qint64(5) << none << none << false;
        QTest::newRow("finished done")
            << JournalRecord::finished(9, QStringLiteral("done"), QStringLiteral("/out/c.jpg"),
                                       none)
            << int(Type::Finished) << quint64(9) << none << QStringLiteral("/out/c.jpg") << false
            << qint64(0) << QStringLiteral("done") << none << false;
        QTest::newRow("finished failed")
            << JournalRecord::finished(10, QStringLiteral("failed"), none,
                                       QStringLiteral("damaged"))
            << int(Type::Finished) << quint64(10) << none << none << false << qint64(0)
            << QStringLiteral("failed") << QStringLiteral("damaged") << false;
        QTest::newRow("quarantine") << JournalRecord::quarantine(11,
                                                                 QStringLiteral("/in/x.zip\x1f"
                                                                                "e.jpg"),
                                                                 QStringLiteral("crashed twice"))
                                    << int(Type::Finished) << quint64(11)
                                    << QStringLiteral("/in/x.zip\x1f"
                                                      "e.jpg")
                                    << none << false << qint64(0) << QStringLiteral("failed")
                                    << QStringLiteral("crashed twice") << true;
        QTest::newRow("end") << JournalRecord::end(77) << int(Type::End) << quint64(0) << none
                             << none << false << qint64(77) << none << none << false;
        // What crashrecords.cpp's signal handler writes, byte for byte.
        QTest::newRow("crash") << QByteArray("{\"t\":\"crash\",\"sig\":\"11\"}\n")
                               << int(Type::Crash) << quint64(0) << none << none << false
                               << qint64(0) << none << none << false;
    }
    void records()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, type);
        QFETCH(quint64, tag);
        QFETCH(QString, key);
        QFETCH(QString, path);
        QFETCH(bool, writes);
        QFETCH(qint64, at);
        QFETCH(QString, status);
        QFETCH(QString, error);
        QFETCH(bool, quarantined);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1); // one line, whatever the strings hold
        const JournalRecord r = JournalRecord::decode(line);
        QCOMPARE(int(r.type), type);
        if (type == int(Type::Started) || type == int(Type::Reserved) ||
            type == int(Type::Finished))
            QCOMPARE(r.tag, tag);
        QCOMPARE(r.key, key);
        QCOMPARE(r.path, path);
        QCOMPARE(r.writes, writes);
        QCOMPARE(r.atMs, at);
        QCOMPARE(r.status, status);
        QCOMPARE(r.error, error);
        QCOMPARE(r.quarantined, quarantined);
        QCOMPARE(r.isDoneOrSkipped(), status == QLatin1String("done"));
    }

    void badLines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("type");
        QTest::newRow("torn") << QByteArray("{\"t\":\"f\",\"i\":3,\"st\":\"do")
                              << int(Type::Invalid);
        QTest::newRow("empty") << QByteArray("\n") << int(Type::Invalid);
        QTest::newRow("not json") << QByteArray("hello") << int(Type::Invalid);
        QTest::newRow("other magic") << QByteArray("{\"sluice\":\"preset\"}") << int(Type::Foreign);
        QTest::newRow("no type") << QByteArray("{\"x\":1}") << int(Type::Foreign);
        QTest::newRow("future type") << QByteArray("{\"t\":\"zz\"}") << int(Type::Other);
    }
    void badLines()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, type);
        QCOMPARE(int(JournalRecord::decode(line).type), type);
    }

    void newlinesInStringsStayInOneLine()
    {
        const QByteArray line = JournalRecord::finished(1, QStringLiteral("failed"), QString(),
                                                        QStringLiteral("two\nlines\r\n"));
        QCOMPARE(line.count('\n'), 1);
        QCOMPARE(JournalRecord::decode(line).error, QStringLiteral("two\nlines\r\n"));
    }
};

QTEST_GUILESS_MAIN(tst_JournalRecord)
#include "tst_journalrecord.moc"

// Failpoints: the spec grammar, each modifier, the seeded randomness, and that an unconfigured
// point never fires.
#include "failpoints.h"

#include <QTest>

using namespace sluice;

class tst_Failpoints : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { QVERIFY(Failpoints::configure(QString())); }

    void offByDefault();
    void parses_data();
    void parses();
    void rejectsMalformedSpecs_data();
    void rejectsMalformedSpecs();
    void onceAndCount();
    void afterLetsHitsThrough();
    void matchLimitsToSubject();
    void percentIsSeededAndRoughlyRight();
    void messagesSayWhatAndWhere();
};

void tst_Failpoints::offByDefault()
{
    QVERIFY(Failpoints::configure(QString()));
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(int(Failpoints::hit("read")), int(FailAction::None));
        QCOMPARE(int(Failpoints::hit("write", "x.jpg")), int(FailAction::None));
    }
    QCOMPARE(Failpoints::fired("read"), 0);
}

void tst_Failpoints::parses_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("point");
    QTest::addColumn<int>("action");
    QTest::newRow("transient") << "read=transient"
                               << "read" << int(FailAction::Transient);
    QTest::newRow("permanent") << "decode=permanent"
                               << "decode" << int(FailAction::Permanent);
    QTest::newRow("enospc") << "write=enospc"
                            << "write" << int(FailAction::DiskFull);
    QTest::newRow("two, spaces") << " read=permanent ; write=enospc:once "
                                 << "write" << int(FailAction::DiskFull);
    QTest::newRow("100%") << "read=transient:100%"
                          << "read" << int(FailAction::Transient);
}

void tst_Failpoints::parses()
{
    QFETCH(QString, spec);
    QFETCH(QString, point);
    QFETCH(int, action);
    QString error;
    QVERIFY2(Failpoints::configure(spec, &error), qPrintable(error));
    QCOMPARE(int(Failpoints::hit(qPrintable(point))), action);
}

void tst_Failpoints::rejectsMalformedSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no =") << "read"
                          << "point=action";
    QTest::newRow("unknown point") << "open=transient"
                                   << "unknown failpoint";
    QTest::newRow("unknown action") << "read=explode"
                                    << "unknown action";
    QTest::newRow("bad percent") << "read=transient:130%"
                                 << "bad modifier";
    QTest::newRow("bad modifier") << "read=transient:sometimes"
                                  << "bad modifier";
    QTest::newRow("empty match") << "read=transient:match="
                                 << "bad modifier";
}

void tst_Failpoints::rejectsMalformedSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, mentions);
    QVERIFY(Failpoints::configure("read=permanent"));
    QString error;
    QVERIFY(!Failpoints::configure(spec, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    // The configuration in force is left as it was.
    QCOMPARE(int(Failpoints::hit("read")), int(FailAction::Permanent));
}

void tst_Failpoints::onceAndCount()
{
    QVERIFY(Failpoints::configure("write=enospc:once;read=transient:3x"));
    QCOMPARE(int(Failpoints::hit("write")), int(FailAction::DiskFull));
    QCOMPARE(int(Failpoints::hit("write")), int(FailAction::None));
    int reads = 0;
    for (int i = 0; i < 10; ++i)
        reads += Failpoints::hit("read") == FailAction::Transient;
    QCOMPARE(reads, 3);
    QCOMPARE(Failpoints::fired("read"), 3);
    QCOMPARE(Failpoints::fired("write"), 1);
    QCOMPARE(Failpoints::fired("decode"), 0);
}

void tst_Failpoints::afterLetsHitsThrough()
{
    QVERIFY(Failpoints::configure("decode=permanent:after=2:once"));
    QCOMPARE(int(Failpoints::hit("decode")), int(FailAction::None));
    QCOMPARE(int(Failpoints::hit("decode")), int(FailAction::None));
    QCOMPARE(int(Failpoints::hit("decode")), int(FailAction::Permanent));
    QCOMPARE(int(Failpoints::hit("decode")), int(FailAction::None));
}

void tst_Failpoints::matchLimitsToSubject()
{
    QVERIFY(Failpoints::configure("read=permanent:match=poison"));
    QCOMPARE(int(Failpoints::hit("read", "photos/a.jpg")), int(FailAction::None));
    QCOMPARE(int(Failpoints::hit("read", "photos/poison.jpg")), int(FailAction::Permanent));
    QCOMPARE(int(Failpoints::hit("read", "photos/poison.jpg")), int(FailAction::Permanent));
}

void tst_Failpoints::percentIsSeededAndRoughlyRight()
{
    auto run = [] {
        Failpoints::configure("read=transient:30%");
        QString pattern;
        for (int i = 0; i < 2000; ++i)
            pattern += Failpoints::hit("read") == FailAction::Transient ? '1' : '0';
        return pattern;
    };
    const QString first = run();
    const QString second = run();
    QCOMPARE(first, second); // the same seed gives the same run
    const int fired = first.count('1');
    QVERIFY2(fired > 500 && fired < 700, qPrintable(QString::number(fired))); // 30% of 2000
}

void tst_Failpoints::messagesSayWhatAndWhere()
{
    QCOMPARE(Failpoints::message(FailAction::DiskFull, "write"),
             QString("No space left on device (failpoint write)"));
    QVERIFY(Failpoints::message(FailAction::Transient, "read").contains("transient"));
}

QTEST_GUILESS_MAIN(tst_Failpoints)
#include "tst_failpoints.moc"

// MemoryBudget: the sum of running cost estimates stays under the budget; an oversized task
// runs alone rather than never.
#include "memorybudget.h"

#include <QTest>

using sluice::MemoryBudget;

class tst_MemoryBudget : public QObject
{
    Q_OBJECT

private slots:
    void canStart_data();
    void canStart();
    void oversizedTaskOnlyAlone();
    void nothingFitsNextToOversized();
    void finishGivesBackRoom();
    void unlimited_data();
    void unlimited();
    void negativeCostCountsAsZero();
};

void tst_MemoryBudget::canStart_data()
{
    QTest::addColumn<qint64>("budget");
    QTest::addColumn<QList<qint64>>("running");
    QTest::addColumn<qint64>("cost");
    QTest::addColumn<bool>("expected");

    using L = QList<qint64>;
    QTest::newRow("empty, fits") << qint64(100) << L{} << qint64(60) << true;
    QTest::newRow("fits beside one") << qint64(100) << L{40} << qint64(60) << true;
    QTest::newRow("exactly full") << qint64(100) << L{40, 20} << qint64(40) << true;
    QTest::newRow("one byte over") << qint64(100) << L{40, 20} << qint64(41) << false;
    QTest::newRow("full, zero cost") << qint64(100) << L{100} << qint64(0) << true;
    QTest::newRow("over by many") << qint64(100) << L{90} << qint64(50) << false;
    QTest::newRow("oversized, empty") << qint64(100) << L{} << qint64(1000) << true;
    QTest::newRow("oversized, busy") << qint64(100) << L{1} << qint64(1000) << false;
}

void tst_MemoryBudget::canStart()
{
    QFETCH(qint64, budget);
    QFETCH(QList<qint64>, running);
    QFETCH(qint64, cost);
    QFETCH(bool, expected);

    MemoryBudget mb(budget);
    qint64 sum = 0;
    for (qint64 c : running) {
        QVERIFY(mb.canStart(c));
        mb.start(c);
        sum += c;
    }
    QCOMPARE(mb.inUse(), sum);
    QCOMPARE(mb.holders(), int(running.size()));
    QCOMPARE(mb.canStart(cost), expected);
}

void tst_MemoryBudget::oversizedTaskOnlyAlone()
{
    MemoryBudget mb(100);
    QVERIFY(mb.canStart(500));
    mb.start(500);
    QCOMPARE(mb.inUse(), qint64(500));
    QVERIFY(!mb.canStart(500)); // a second giant must wait
    mb.finish(500);
    QCOMPARE(mb.inUse(), qint64(0));
    QCOMPARE(mb.holders(), 0);
    QVERIFY(mb.canStart(500));
}

void tst_MemoryBudget::nothingFitsNextToOversized()
{
    MemoryBudget mb(100);
    mb.start(500);
    QVERIFY(!mb.canStart(1));
    QVERIFY(!mb.canStart(100));
    QVERIFY(!mb.canStart(0)); // alone means alone, even beside a task without an estimate
}

void tst_MemoryBudget::finishGivesBackRoom()
{
    MemoryBudget mb(100);
    mb.start(70);
    QVERIFY(!mb.canStart(40));
    mb.start(30);
    QVERIFY(!mb.canStart(1));
    mb.finish(70);
    QCOMPARE(mb.inUse(), qint64(30));
    QCOMPARE(mb.holders(), 1);
    QVERIFY(mb.canStart(70));
    QVERIFY(!mb.canStart(71));
}

void tst_MemoryBudget::unlimited_data()
{
    QTest::addColumn<qint64>("budget");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-5);
}

void tst_MemoryBudget::unlimited()
{
    QFETCH(qint64, budget);
    MemoryBudget mb(budget);
    for (int i = 0; i < 10; ++i) {
        QVERIFY(mb.canStart(qint64(1) << 40));
        mb.start(qint64(1) << 40);
    }
    QCOMPARE(mb.holders(), 10);

    MemoryBudget later(100);
    later.start(100);
    QVERIFY(!later.canStart(1));
    later.setBudget(budget);
    QVERIFY(later.canStart(1000));
}

void tst_MemoryBudget::negativeCostCountsAsZero()
{
    MemoryBudget mb(100);
    mb.start(-50);
    QCOMPARE(mb.inUse(), qint64(0));
    QVERIFY(mb.canStart(100));
    mb.finish(-50);
    QCOMPARE(mb.holders(), 0);
    QCOMPARE(mb.inUse(), qint64(0));
}

QTEST_GUILESS_MAIN(tst_MemoryBudget)
#include "tst_memorybudget.moc"

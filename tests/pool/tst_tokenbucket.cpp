// TokenBucket: a rate per second with a burst, driven by explicit timestamps.
#include "tokenbucket.h"

#include <QTest>
#include <cmath>

using sluice::RateLimit;
using sluice::TokenBucket;

namespace {

constexpr qint64 Second = 1000000000;
constexpr qint64 Hour = 3600 * Second;
// Not zero, so code that silently assumes the epoch shows up.
constexpr qint64 Start = 7 * Second;

RateLimit limit(double perSecond, double burst)
{
    RateLimit l;
    l.perSecond = perSecond;
    l.burst = burst;
    return l;
}

// Nanoseconds between two tokens, rounded up so one is surely there after it.
qint64 periodNs(double perSecond)
{
    return qint64(std::ceil(double(Second) / perSecond));
}

// Takes tokens at one instant until the bucket says no (or `most` were taken).
int takeAll(TokenBucket &bucket, qint64 nowNs, int most = 100000)
{
    int taken = 0;
    while (taken < most && bucket.tryTake(nowNs))
        ++taken;
    return taken;
}

void addLimitRows()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("burst");
    QTest::newRow("1/s burst 1") << 1.0 << 1;
    QTest::newRow("10/s burst 1") << 10.0 << 1;
    QTest::newRow("3/s burst 2") << 3.0 << 2; // a period that is not a whole number of ns
    QTest::newRow("20/s burst 5") << 20.0 << 5;
    QTest::newRow("0.5/s burst 3") << 0.5 << 3;
    QTest::newRow("1000/s burst 100") << 1000.0 << 100;
}

} // namespace

class tst_TokenBucket : public QObject
{
    Q_OBJECT

private slots:
    void startsFullWithBurst_data() { addLimitRows(); }
    void startsFullWithBurst();
    void refillsOneTokenPerPeriod_data() { addLimitRows(); }
    void refillsOneTokenPerPeriod();
    void idleNeverBanksMoreThanBurst_data() { addLimitRows(); }
    void idleNeverBanksMoreThanBurst();
    void nextTokenAt_data() { addLimitRows(); }
    void nextTokenAt();
    void canTakeTakesNothing_data() { addLimitRows(); }
    void canTakeTakesNothing();
    void giveBackNeverPassesTheBurst_data() { addLimitRows(); }
    void giveBackNeverPassesTheBurst();
    void giveBackAfterAResetGivesNothing();
    void resetStartsFullWithNewLimit();
    void unlimited_data();
    void unlimited();
};

void tst_TokenBucket::startsFullWithBurst()
{
    QFETCH(double, rate);
    QFETCH(int, burst);
    TokenBucket bucket(limit(rate, burst), Start);

    QVERIFY(!bucket.isUnlimited());
    QCOMPARE(bucket.tokens(Start), double(burst));
    QCOMPARE(takeAll(bucket, Start), burst);
    QVERIFY(!bucket.canTake(Start));
    QVERIFY(!bucket.tryTake(Start));
}

void tst_TokenBucket::refillsOneTokenPerPeriod()
{
    QFETCH(double, rate);
    QFETCH(int, burst);
    const qint64 period = periodNs(rate);
    TokenBucket bucket(limit(rate, burst), Start);
    QCOMPARE(takeAll(bucket, Start), burst);

    for (int k = 1; k <= 5; ++k) {
        const qint64 due = Start + k * period;
        QVERIFY2(!bucket.canTake(due - period / 10), qPrintable(QString("early, k=%1").arg(k)));
        QVERIFY2(bucket.tryTake(due), qPrintable(QString("k=%1").arg(k)));
        QVERIFY2(!bucket.tryTake(due), qPrintable(QString("two at once, k=%1").arg(k)));
    }
}

void tst_TokenBucket::idleNeverBanksMoreThanBurst()
{
    QFETCH(double, rate);
    QFETCH(int, burst);
    TokenBucket bucket(limit(rate, burst), Start);
    QCOMPARE(takeAll(bucket, Start), burst);

    const qint64 later = Start + Hour;
    QCOMPARE(bucket.tokens(later), double(burst));
    QCOMPARE(takeAll(bucket, later), burst);
    // And the idle hour did not leave credit behind for the next period either.
    QVERIFY(!bucket.canTake(later + periodNs(rate) / 2));
}

void tst_TokenBucket::nextTokenAt()
{
    QFETCH(double, rate);
    QFETCH(int, burst);
    const qint64 period = periodNs(rate);
    TokenBucket bucket(limit(rate, burst), Start);

    QCOMPARE(bucket.nextTokenAtNs(Start), Start); // full: a token is there now
    takeAll(bucket, Start);

    const qint64 next = bucket.nextTokenAtNs(Start);
    QVERIFY2(qAbs(next - (Start + period)) <= 1,
             qPrintable(QString("next=%1 expected about %2").arg(next).arg(Start + period)));
    QCOMPARE(bucket.nextTokenAtNs(Start), next); // asking does not change it
    // Half way there, the answer is the same instant.
    QVERIFY(qAbs(bucket.nextTokenAtNs(Start + period / 2) - next) <= 1);
    QVERIFY(!bucket.canTake(next - period / 10));
    QVERIFY(bucket.tryTake(next)); // the promise is kept
}

void tst_TokenBucket::canTakeTakesNothing()
{
    QFETCH(double, rate);
    QFETCH(int, burst);
    TokenBucket bucket(limit(rate, burst), Start);
    for (int i = 0; i < 10; ++i)
        QVERIFY(bucket.canTake(Start));
    QCOMPARE(takeAll(bucket, Start), burst);
}

// A token taken for work that turned out to need none (a skipped image) goes back: the next
// task takes it at once, and giving back more than was taken never banks past the burst.
void tst_TokenBucket::giveBackNeverPassesTheBurst()
{
    QFETCH(double, rate);
    QFETCH(int, burst);
    TokenBucket bucket(limit(rate, burst), Start);
    QCOMPARE(takeAll(bucket, Start), burst);
    QVERIFY(!bucket.canTake(Start));
    bucket.giveBack(Start, bucket.generation());
    QVERIFY(bucket.tryTake(Start));
    QVERIFY(!bucket.canTake(Start));
    for (int i = 0; i < burst + 3; ++i)
        bucket.giveBack(Start, bucket.generation());
    QCOMPARE(bucket.tokens(Start), double(burst));
    QCOMPARE(takeAll(bucket, Start), burst);
}

// A limit changed while a task ran refilled the bucket: the token that task took before is not
// owed any more, and giving it back would let more work through than the new limit allows.
void tst_TokenBucket::giveBackAfterAResetGivesNothing()
{
    TokenBucket bucket(limit(1, 1), Start);
    const quint64 before = bucket.generation();
    QVERIFY(bucket.tryTake(Start));
    bucket.reset(limit(1, 1), Start);
    QVERIFY(bucket.generation() != before);
    QVERIFY(bucket.tryTake(Start)); // the refilled token, taken by other work
    bucket.giveBack(Start, before);
    QVERIFY(!bucket.canTake(Start));
}

void tst_TokenBucket::resetStartsFullWithNewLimit()
{
    TokenBucket bucket(limit(10, 2), Start);
    QCOMPARE(takeAll(bucket, Start), 2);

    bucket.reset(limit(5, 4), Start + 1);
    QCOMPARE(bucket.limit().perSecond, 5.0);
    QCOMPARE(bucket.limit().burst, 4.0);
    QCOMPARE(takeAll(bucket, Start + 1), 4);
    QVERIFY(!bucket.canTake(Start + 1 + periodNs(5) / 2));
    QVERIFY(bucket.canTake(Start + 1 + periodNs(5)));
}

void tst_TokenBucket::unlimited_data()
{
    QTest::addColumn<double>("rate");
    QTest::newRow("zero") << 0.0;
    QTest::newRow("negative") << -1.0;
}

void tst_TokenBucket::unlimited()
{
    QFETCH(double, rate);
    TokenBucket bucket(limit(rate, 1), Start);
    QVERIFY(bucket.isUnlimited());
    QCOMPARE(takeAll(bucket, Start, 50000), 50000);
    QVERIFY(bucket.canTake(Start));
    QCOMPARE(bucket.nextTokenAtNs(Start), Start);

    TokenBucket byDefault;
    QVERIFY(byDefault.isUnlimited());
    QCOMPARE(takeAll(byDefault, 0, 1000), 1000);
}

QTEST_GUILESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"

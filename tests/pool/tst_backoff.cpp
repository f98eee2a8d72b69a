// Backoff: exponential ceilings with full jitter, and the retry decision.
#include "backoff.h"

#include <QTest>
#include <vector>

using sluice::Backoff;
using sluice::RetryPolicy;

namespace {

constexpr qint64 Ms = 1000000;

RetryPolicy policy(int maxAttempts, qint64 baseMs, qint64 capMs)
{
    RetryPolicy p;
    p.maxAttempts = maxAttempts;
    p.baseDelayMs = baseMs;
    p.maxDelayMs = capMs;
    return p;
}

std::vector<qint64> draw(Backoff &backoff, int attempt, int count)
{
    std::vector<qint64> delays;
    delays.reserve(count);
    for (int i = 0; i < count; ++i)
        delays.push_back(backoff.delayNs(attempt));
    return delays;
}

} // namespace

class tst_Backoff : public QObject
{
    Q_OBJECT

private slots:
    void ceiling_data();
    void ceiling();
    void ceilingsDoubleUpToCap_data();
    void ceilingsDoubleUpToCap();
    void delaysAreFullJitter_data();
    void delaysAreFullJitter();
    void shouldRetry_data();
    void shouldRetry();
    void sameSeedSameDelays();
    void setPolicyChangesCeilings();
};

void tst_Backoff::ceiling_data()
{
    QTest::addColumn<qint64>("baseMs");
    QTest::addColumn<qint64>("capMs");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expectedMs");

    QTest::newRow("default, 1st retry") << qint64(200) << qint64(10000) << 1 << qint64(200);
    QTest::newRow("default, 2nd retry") << qint64(200) << qint64(10000) << 2 << qint64(400);
    QTest::newRow("default, 3rd retry") << qint64(200) << qint64(10000) << 3 << qint64(800);
    QTest::newRow("default, 6th retry") << qint64(200) << qint64(10000) << 6 << qint64(6400);
    QTest::newRow("default, capped") << qint64(200) << qint64(10000) << 7 << qint64(10000);
    QTest::newRow("default, 64 (no overflow)")
        << qint64(200) << qint64(10000) << 64 << qint64(10000);
    QTest::newRow("default, 1000 (no overflow)")
        << qint64(200) << qint64(10000) << 1000 << qint64(10000);
    QTest::newRow("cap not a power of two") << qint64(100) << qint64(150) << 2 << qint64(150);
    QTest::newRow("base equals cap") << qint64(5) << qint64(5) << 4 << qint64(5);
    QTest::newRow("1 ms base") << qint64(1) << qint64(60000) << 11 << qint64(1024);
}

void tst_Backoff::ceiling()
{
    QFETCH(qint64, baseMs);
    QFETCH(qint64, capMs);
    QFETCH(int, attempt);
    QFETCH(qint64, expectedMs);

    const Backoff backoff(policy(5, baseMs, capMs), 42);
    QCOMPARE(backoff.ceilingNs(attempt), expectedMs * Ms);
}

void tst_Backoff::ceilingsDoubleUpToCap_data()
{
    QTest::addColumn<qint64>("baseMs");
    QTest::addColumn<qint64>("capMs");
    QTest::newRow("200..10000") << qint64(200) << qint64(10000);
    QTest::newRow("1..1000") << qint64(1) << qint64(1000);
    QTest::newRow("30..31") << qint64(30) << qint64(31);
}

void tst_Backoff::ceilingsDoubleUpToCap()
{
    QFETCH(qint64, baseMs);
    QFETCH(qint64, capMs);
    const Backoff backoff(policy(100, baseMs, capMs), 1);

    QCOMPARE(backoff.ceilingNs(1), baseMs * Ms);
    for (int attempt = 1; attempt < 80; ++attempt) {
        const qint64 expected = qMin(capMs * Ms, 2 * backoff.ceilingNs(attempt));
        QCOMPARE(backoff.ceilingNs(attempt + 1), expected);
    }
    QCOMPARE(backoff.ceilingNs(80), capMs * Ms);
}

void tst_Backoff::delaysAreFullJitter_data()
{
    QTest::addColumn<qint64>("baseMs");
    QTest::addColumn<qint64>("capMs");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<quint32>("seed");
    QTest::newRow("first retry") << qint64(200) << qint64(10000) << 1 << 11u;
    QTest::newRow("third retry") << qint64(200) << qint64(10000) << 3 << 12u;
    QTest::newRow("capped") << qint64(200) << qint64(10000) << 20 << 13u;
    QTest::newRow("tiny ceiling") << qint64(1) << qint64(1) << 1 << 14u;
}

// Full jitter: uniform over the whole [0, ceiling], not a fixed delay and not "half + jitter".
void tst_Backoff::delaysAreFullJitter()
{
    QFETCH(qint64, baseMs);
    QFETCH(qint64, capMs);
    QFETCH(int, attempt);
    QFETCH(quint32, seed);
    Backoff backoff(policy(100, baseMs, capMs), seed);
    const qint64 ceiling = backoff.ceilingNs(attempt);

    const std::vector<qint64> delays = draw(backoff, attempt, 2000);
    qint64 lowest = ceiling;
    qint64 highest = 0;
    double sum = 0;
    for (qint64 d : delays) {
        QVERIFY2(d >= 0 && d <= ceiling,
                 qPrintable(QString("delay %1 outside [0, %2]").arg(d).arg(ceiling)));
        lowest = qMin(lowest, d);
        highest = qMax(highest, d);
        sum += double(d);
    }
    QVERIFY2(lowest < ceiling / 10, qPrintable(QString("lowest %1").arg(lowest)));
    QVERIFY2(highest > ceiling - ceiling / 10, qPrintable(QString("highest %1").arg(highest)));
    const double mean = sum / double(delays.size());
    QVERIFY2(qAbs(mean - ceiling / 2.0) < ceiling * 0.05,
             qPrintable(QString("mean %1 for ceiling %2").arg(mean).arg(ceiling)));
}

void tst_Backoff::shouldRetry_data()
{
    QTest::addColumn<int>("maxAttempts");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<bool>("expected");
    QTest::newRow("3: after 1st run") << 3 << 1 << true;
    QTest::newRow("3: after 2nd run") << 3 << 2 << true;
    QTest::newRow("3: after 3rd run") << 3 << 3 << false;
    QTest::newRow("3: after 4th run") << 3 << 4 << false;
    QTest::newRow("1: never retried") << 1 << 1 << false;
    QTest::newRow("5: after 4th run") << 5 << 4 << true;
    QTest::newRow("5: after 5th run") << 5 << 5 << false;
}

void tst_Backoff::shouldRetry()
{
    QFETCH(int, maxAttempts);
    QFETCH(int, attempt);
    QFETCH(bool, expected);
    const Backoff backoff(policy(maxAttempts, 200, 10000), 3);
    QCOMPARE(backoff.shouldRetry(attempt), expected);
}

void tst_Backoff::sameSeedSameDelays()
{
    const RetryPolicy p = policy(10, 200, 10000);
    Backoff first(p, 7);
    Backoff second(p, 7);
    Backoff other(p, 8);

    std::vector<qint64> a, b, c;
    for (int attempt = 1; attempt <= 8; ++attempt) {
        for (qint64 d : draw(first, attempt, 25))
            a.push_back(d);
        for (qint64 d : draw(second, attempt, 25))
            b.push_back(d);
        for (qint64 d : draw(other, attempt, 25))
            c.push_back(d);
    }
    QVERIFY(a == b);
    QVERIFY(a != c);
}

void tst_Backoff::setPolicyChangesCeilings()
{
    Backoff backoff(policy(3, 200, 10000), 5);
    QCOMPARE(backoff.policy().maxAttempts, 3);
    backoff.setPolicy(policy(6, 50, 100));
    QCOMPARE(backoff.policy().maxAttempts, 6);
    QCOMPARE(backoff.ceilingNs(1), 50 * Ms);
    QCOMPARE(backoff.ceilingNs(2), 100 * Ms);
    QCOMPARE(backoff.ceilingNs(3), 100 * Ms);
    QVERIFY(backoff.shouldRetry(5));
    QVERIFY(!backoff.shouldRetry(6));
    for (qint64 d : draw(backoff, 3, 100))
        QVERIFY(d >= 0 && d <= 100 * Ms);
}

QTEST_GUILESS_MAIN(tst_Backoff)
#include "tst_backoff.moc"

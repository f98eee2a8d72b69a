// ManualClock (time that moves only on advance, with wake-up listeners) and SteadyClock.
#include "clock.h"

#include <QSemaphore>
#include <QTest>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using sluice::Clock;
using sluice::ManualClock;
using sluice::SteadyClock;

class tst_ManualClock : public QObject
{
    Q_OBJECT

private slots:
    void advance_data();
    void advance();
    void listenersCalledOnEveryAdvance();
    void removedListenerNotCalled();
    void listenerMayReadTheClock();
    void concurrentAdvancesAllCount();
    void steadyClockIsMonotonic();
};

void tst_ManualClock::advance_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("stepNs");
    QTest::addColumn<int>("steps");
    QTest::newRow("from zero, 1 ns") << qint64(0) << qint64(1) << 10;
    QTest::newRow("from 5 s, 1 ms") << qint64(5000000000) << qint64(1000000) << 7;
    QTest::newRow("large steps") << qint64(42) << qint64(3600) * 1000000000 << 24;
}

void tst_ManualClock::advance()
{
    QFETCH(qint64, start);
    QFETCH(qint64, stepNs);
    QFETCH(int, steps);
    ManualClock clock(start);
    QVERIFY(clock.isManual());
    QCOMPARE(clock.nowNs(), start);
    QCOMPARE(clock.nowNs(), start); // reading does not move it
    for (int i = 1; i <= steps; ++i) {
        clock.advanceNs(stepNs);
        QCOMPARE(clock.nowNs(), start + i * stepNs);
    }
    clock.advanceMs(3);
    QCOMPARE(clock.nowNs(), start + steps * stepNs + 3000000);
}

void tst_ManualClock::listenersCalledOnEveryAdvance()
{
    ManualClock clock;
    int first = 0;
    int second = 0;
    const int h1 = clock.addListener([&] { ++first; });
    const int h2 = clock.addListener([&] { ++second; });
    QVERIFY(h1 != h2);

    clock.advanceMs(1);
    clock.advanceNs(5);
    QCOMPARE(first, 2);
    QCOMPARE(second, 2);
    QCOMPARE(clock.nowNs(), qint64(1000005));
}

void tst_ManualClock::removedListenerNotCalled()
{
    ManualClock clock;
    int kept = 0;
    int removed = 0;
    clock.addListener([&] { ++kept; });
    const int handle = clock.addListener([&] { ++removed; });
    clock.advanceMs(1);
    clock.removeListener(handle);
    clock.advanceMs(1);
    clock.removeListener(handle); // twice is harmless
    clock.advanceMs(1);
    QCOMPARE(kept, 3);
    QCOMPARE(removed, 1);
}

// The pool's listener reads the time; that must not deadlock on the clock's own lock.
// The advance runs in a helper thread so a deadlock fails the test instead of hanging it; the
// wait is generous (a loaded machine may take long to start a thread) and ends as soon as the
// advance returns.
void tst_ManualClock::listenerMayReadTheClock()
{
    auto clock = std::make_shared<ManualClock>(100);
    auto seen = std::make_shared<std::atomic<qint64>>(-1);
    auto done = std::make_shared<QSemaphore>();
    clock->addListener([clock = clock.get(), seen] { seen->store(clock->nowNs()); });

    std::thread advancer([clock, done] {
        clock->advanceNs(50);
        done->release();
    });
    if (!done->tryAcquire(1, 60000)) {
        advancer.detach();
        QFAIL("advanceNs() deadlocked when a listener called nowNs()");
    }
    advancer.join();
    QCOMPARE(seen->load(), qint64(150));
}

void tst_ManualClock::concurrentAdvancesAllCount()
{
    ManualClock clock;
    std::atomic<int> calls{0};
    clock.addListener([&] { calls.fetch_add(1, std::memory_order_relaxed); });

    constexpr int Threads = 4;
    constexpr int PerThread = 2000;
    std::vector<std::thread> threads;
    for (int t = 0; t < Threads; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < PerThread; ++i) {
                clock.advanceNs(3);
                (void)clock.nowNs();
            }
        });
    for (auto &t : threads)
        t.join();
    QCOMPARE(clock.nowNs(), qint64(3) * Threads * PerThread);
    QCOMPARE(calls.load(), Threads * PerThread);
}

void tst_ManualClock::steadyClockIsMonotonic()
{
    SteadyClock *clock = SteadyClock::instance();
    QVERIFY(clock);
    QCOMPARE(SteadyClock::instance(), clock);
    QVERIFY(!clock->isManual());

    qint64 previous = clock->nowNs();
    const qint64 first = previous;
    for (int i = 0; i < 100000; ++i) {
        const qint64 now = clock->nowNs();
        QVERIFY2(now >= previous, "steady clock went backwards");
        previous = now;
    }
    QVERIFY2(previous > first, "steady clock did not move during 100000 reads");

    // Also from other threads, against each other.
    std::atomic<bool> backwards{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&] {
            qint64 last = clock->nowNs();
            for (int i = 0; i < 20000; ++i) {
                const qint64 now = clock->nowNs();
                if (now < last)
                    backwards = true;
                last = now;
            }
        });
    for (auto &t : threads)
        t.join();
    QVERIFY(!backwards.load());
}

QTEST_GUILESS_MAIN(tst_ManualClock)
#include "tst_manualclock.moc"

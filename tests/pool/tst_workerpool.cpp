// WorkerPool: the QObject facade. Signals arrive in the receiver's thread, results come in
// chunks and none is lost, progress is coalesced, batchFinished follows its batch's results.
#include "workerpool.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <memory>
#include <unordered_set>
#include <vector>

using namespace sluice;

namespace {

// ms: for what must happen. Waits return as soon as their condition holds, so this is generous
// for a loaded machine under a sanitizer. The pool's idle timeout is set far beyond it, so a
// worker that is never woken fails a test instead of finding the work at its idle timeout.
constexpr int Patience = 60000;

PoolConfig config(int workers)
{
    PoolConfig c;
    c.workers = workers;
    c.seed = 1;
    c.idleTimeoutMs = 3600000;
    return c;
}

Task noop(quint64 tag = 0)
{
    return Task([](const TaskContext &) { return TaskOutcome::done(); }, 0, tag);
}

// Spins for about `us` microseconds: short real work, no sleeping.
Task busy(int us, quint64 tag = 0)
{
    return Task(
        [us](const TaskContext &) {
            QElapsedTimer timer;
            timer.start();
            while (timer.nsecsElapsed() < qint64(us) * 1000) {
            }
            return TaskOutcome::done();
        },
        0, tag);
}

// Listens to every signal of a pool through direct connections, so each slot runs in the
// thread that emitted: a signal from a worker thread would be caught, not silently queued.
class Receiver : public QObject
{
public:
    explicit Receiver(WorkerPool &pool)
    {
        connect(&pool, &WorkerPool::resultsReady, this, &Receiver::onResults, Qt::DirectConnection);
        connect(
            &pool, &WorkerPool::batchProgress, this,
            [this](BatchId batch, const BatchCounters &counters) {
                checkThread();
                ++progress[batch];
                lastProgress[batch] = counters;
                if (!counters.addsUp())
                    ++progressNotAddingUp;
            },
            Qt::DirectConnection);
        connect(
            &pool, &WorkerPool::batchStateChanged, this,
            [this](BatchId batch, BatchState state) {
                checkThread();
                states[batch] << toString(state);
            },
            Qt::DirectConnection);
        connect(
            &pool, &WorkerPool::batchFinished, this,
            [this](const BatchSummary &summary) {
                checkThread();
                finished.push_back(summary);
                resultsWhenFinished[summary.id] = resultsOf.value(summary.id);
            },
            Qt::DirectConnection);
        connect(
            &pool, &WorkerPool::statsUpdated, this,
            [this](const PoolStats &s) {
                checkThread();
                stats.push_back(s);
            },
            Qt::DirectConnection);
    }

    bool hasFinished(BatchId batch) const
    {
        return std::any_of(finished.begin(), finished.end(),
                           [batch](const BatchSummary &s) { return s.id == batch; });
    }
    qint64 resultCount() const { return qint64(taskIds.size()); }

    int wrongThread = 0;
    std::vector<int> chunkSizes;
    std::vector<TaskId> taskIds;
    std::vector<quint64> tags;
    QHash<BatchId, qint64> resultsOf;
    QHash<BatchId, int> progress;
    QHash<BatchId, BatchCounters> lastProgress;
    int progressNotAddingUp = 0;
    QHash<BatchId, QStringList> states;
    std::vector<BatchSummary> finished;
    QHash<BatchId, qint64> resultsWhenFinished;
    std::vector<PoolStats> stats;

private:
    void checkThread()
    {
        if (QThread::currentThread() != thread())
            ++wrongThread;
    }
    void onResults(const QVector<TaskResult> &results)
    {
        checkThread();
        chunkSizes.push_back(int(results.size()));
        for (const TaskResult &r : results) {
            taskIds.push_back(r.taskId);
            tags.push_back(r.tag);
            ++resultsOf[r.batchId];
        }
    }
};

// True when `wanted` appears in `seen` in this order (other entries may come between).
bool inOrder(const QStringList &seen, const QList<BatchState> &wanted)
{
    int next = 0;
    for (const QString &s : seen)
        if (next < wanted.size() && s == toString(wanted[next]))
            ++next;
    return next == wanted.size();
}

} // namespace

class tst_WorkerPool : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signalsArriveInReceiverThread();
    void resultsComeInChunksNoneLost_data();
    void resultsComeInChunksNoneLost();
    void batchStateChangedSequence();
    void batchFinishedAfterAllItsResults();
    void statsUpdated();
    void throughputComesDownToZeroWhenIdle();
    void canceledTasksAreNoThroughput();
    void shutdownFlushesEveryResult();
    void shutdownInBackgroundKeepsTheLoopServed();
    void twoHundredThousandResults();
    void endedBatchIsDeliveredAtOnce();
    void endedBatchesDoNotRaiseProgressPace();
};

void tst_WorkerPool::initTestCase()
{
    qRegisterMetaType<TaskResult>();
    qRegisterMetaType<QVector<TaskResult>>();
    qRegisterMetaType<BatchSummary>();
    qRegisterMetaType<BatchCounters>();
    qRegisterMetaType<PoolStats>();
    qRegisterMetaType<BatchState>();
    qRegisterMetaType<BatchId>("sluice::BatchId");
}

void tst_WorkerPool::signalsArriveInReceiverThread()
{
    WorkerPool pool(config(2));
    Receiver rx(pool);
    const BatchId batch = pool.engine().createBatch();
    for (int i = 0; i < 500; ++i)
        QVERIFY(pool.engine().submit(batch, busy(50)));
    QVERIFY(pool.engine().closeBatch(batch));
    QTRY_VERIFY_WITH_TIMEOUT(rx.hasFinished(batch), Patience);

    QCOMPARE(rx.wrongThread, 0);
    // Every kind of signal was seen, so the thread check above was not vacuous.
    QCOMPARE(rx.resultCount(), qint64(500));
    QVERIFY(rx.progress.value(batch) > 0);
    QVERIFY(!rx.states.value(batch).isEmpty());
    QVERIFY(!rx.stats.empty());
}

void tst_WorkerPool::resultsComeInChunksNoneLost_data()
{
    QTest::addColumn<int>("tasks");
    QTest::addColumn<int>("maxChunk");
    QTest::newRow("105 by 10") << 105 << 10;
    QTest::newRow("100 by 10") << 100 << 10;
    QTest::newRow("7 by 1") << 7 << 1;
    QTest::newRow("50 by 4096") << 50 << 4096;
    // Tiny tasks run in chunks of up to 256: their result blocks go out whole or are split.
    QTest::newRow("20000 by 4096") << 20000 << 4096;
    QTest::newRow("20000 by 100") << 20000 << 100;
}

void tst_WorkerPool::resultsComeInChunksNoneLost()
{
    QFETCH(int, tasks);
    QFETCH(int, maxChunk);
    WorkerPool pool(config(2));
    pool.setMaxChunk(maxChunk);
    Receiver rx(pool);
    const BatchId batch = pool.engine().createBatch();
    for (int i = 0; i < tasks; ++i)
        QVERIFY(pool.engine().submit(batch, noop(quint64(i))));
    QVERIFY(pool.engine().waitForIdle(QDeadlineTimer(Patience)));

    pool.flush(); // everything pending, now, in this thread
    QCOMPARE(rx.resultCount(), qint64(tasks));
    // At least as many emissions as the chunk size forces; small engine blocks are merged, so
    // not many more (a block of 64 or more may go out on its own).
    const int fewest = (tasks + maxChunk - 1) / maxChunk;
    QVERIFY2(int(rx.chunkSizes.size()) >= fewest,
             qPrintable(QString::number(rx.chunkSizes.size())));
    QVERIFY2(int(rx.chunkSizes.size()) <= fewest + 2 * ((tasks + 63) / 64) + 1,
             qPrintable(QString::number(rx.chunkSizes.size())));
    for (int size : rx.chunkSizes)
        QVERIFY2(size >= 1 && size <= maxChunk, qPrintable(QString::number(size)));
    std::vector<int> seen(tasks, 0);
    for (quint64 tag : rx.tags)
        ++seen[tag];
    QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));

    pool.flush(); // nothing twice
    QCOMPARE(rx.resultCount(), qint64(tasks));
}

void tst_WorkerPool::batchStateChangedSequence()
{
    auto started = std::make_shared<QSemaphore>();
    auto gate = std::make_shared<QSemaphore>();
    WorkerPool pool(config(1));
    const auto releaseGate = qScopeGuard([gate] { gate->release(); });
    Receiver rx(pool);
    PoolEngine &engine = pool.engine();
    const BatchId batch = engine.createBatch();
    QVERIFY(engine.submit(batch, Task([started, gate](const TaskContext &) {
                              started->release();
                              gate->acquire();
                              return TaskOutcome::done();
                          })));
    QVERIFY(engine.submit(batch, noop()));
    QVERIFY(engine.submit(batch, noop()));
    QVERIFY(started->tryAcquire(1, Patience));

    QVERIFY(engine.pauseBatch(batch));
    QTRY_VERIFY_WITH_TIMEOUT(rx.states.value(batch).contains(toString(BatchState::Pausing)),
                             Patience);
    gate->release();
    QTRY_VERIFY_WITH_TIMEOUT(rx.states.value(batch).contains(toString(BatchState::Paused)),
                             Patience);
    QVERIFY(engine.resumeBatch(batch));
    QVERIFY(engine.closeBatch(batch));
    QTRY_VERIFY_WITH_TIMEOUT(rx.hasFinished(batch), Patience);

    const QStringList seen = rx.states.value(batch);
    QVERIFY2(inOrder(seen, {BatchState::Running, BatchState::Pausing, BatchState::Paused,
                            BatchState::Running, BatchState::Finished}),
             qPrintable(seen.join(", ")));
    QCOMPARE(seen.last(), toString(BatchState::Finished));
    QCOMPARE(rx.wrongThread, 0);
}

void tst_WorkerPool::batchFinishedAfterAllItsResults()
{
    WorkerPool pool(config(2));
    pool.setMaxChunk(7);
    Receiver rx(pool);
    PoolEngine &engine = pool.engine();
    BatchOptions named;
    named.name = "first";
    const BatchId first = engine.createBatch(named);
    const BatchId second = engine.createBatch();
    for (int i = 0; i < 300; ++i) {
        QVERIFY(engine.submit(first, busy(20)));
        QVERIFY(engine.submit(second, i % 3 ? busy(20) : Task([](const TaskContext &) {
                                  return TaskOutcome::permanentFailure("corrupt");
                              })));
    }
    QVERIFY(engine.closeBatch(first));
    QVERIFY(engine.closeBatch(second));
    QTRY_VERIFY_WITH_TIMEOUT(rx.hasFinished(first) && rx.hasFinished(second), Patience);

    QCOMPARE(rx.resultsWhenFinished.value(first), qint64(300));
    QCOMPARE(rx.resultsWhenFinished.value(second), qint64(300));
    QCOMPARE(int(rx.finished.size()), 2);
    for (const BatchSummary &s : rx.finished) {
        QVERIFY(s.counters.addsUp());
        QCOMPARE(s.counters.submitted, qint64(300));
        QCOMPARE(toString(s.state), toString(BatchState::Finished));
    }
    const BatchSummary &a = rx.finished[rx.finished[0].id == first ? 0 : 1];
    const BatchSummary &b = rx.finished[rx.finished[0].id == first ? 1 : 0];
    QCOMPARE(a.name, QString("first"));
    QCOMPARE(a.counters.done, qint64(300));
    QCOMPARE(b.counters.failed, qint64(100));
    QCOMPARE(b.counters.done, qint64(200));
    // The last progress a receiver saw is the final count.
    QVERIFY(rx.lastProgress.value(first) == a.counters);
    QVERIFY(rx.lastProgress.value(second) == b.counters);
    QCOMPARE(rx.progressNotAddingUp, 0);
}

// Statistics flow while work is in flight, end with the final counts, and report a throughput.
// The throughput is measured between two flushes, so the tasks wait behind a gate until one
// flush has gone out: on a loaded machine they could otherwise all end before the receiver's
// event loop ran even once, and the one flush left would have nothing to compare with.
void tst_WorkerPool::statsUpdated()
{
    auto gate = std::make_shared<QSemaphore>();
    WorkerPool pool(config(2));
    const auto openGate = qScopeGuard([gate] { gate->release(1000); });
    QSignalSpy spy(&pool, &WorkerPool::statsUpdated);
    QVERIFY(spy.isValid());
    const BatchId batch = pool.engine().createBatch();
    for (int i = 0; i < 200; ++i)
        QVERIFY(pool.engine().submit(batch, Task([gate](const TaskContext &) {
                                         gate->acquire();
                                         return TaskOutcome::done();
                                     })));
    QVERIFY(pool.engine().closeBatch(batch));

    const auto lastStats = [&spy] {
        return spy.isEmpty() ? PoolStats{} : qvariant_cast<PoolStats>(spy.last().at(0));
    };
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), Patience); // the batch started: events to flush
    QCOMPARE(lastStats().completed, qint64(0));
    QCOMPARE(lastStats().running + lastStats().queued, qint64(200));
    gate->release(200);
    QTRY_COMPARE_WITH_TIMEOUT(lastStats().completed, qint64(200), Patience);
    const PoolStats last = lastStats();
    QCOMPARE(last.queued, qint64(0));
    QCOMPARE(last.running, qint64(0));
    QCOMPARE(last.retrying, qint64(0));
    QCOMPARE(last.targetWorkers, 2);
    QVERIFY(last.workers >= 0 && last.workers <= 2);
    double bestThroughput = 0;
    for (const QList<QVariant> &args : spy)
        bestThroughput = qMax(bestThroughput, qvariant_cast<PoolStats>(args.at(0)).throughput);
    QVERIFY2(bestThroughput > 0, "throughput never reported");
}

// Issue 14, bug 7: the status bar kept its last rate after the work ended. Once idle, one more
// update says 0, and then the pool stays quiet.
void tst_WorkerPool::throughputComesDownToZeroWhenIdle()
{
    auto gate = std::make_shared<QSemaphore>();
    WorkerPool pool(config(2));
    const auto openGate = qScopeGuard([gate] { gate->release(1000); });
    QSignalSpy spy(&pool, &WorkerPool::statsUpdated);
    const BatchId batch = pool.engine().createBatch();
    for (int i = 0; i < 100; ++i)
        QVERIFY(pool.engine().submit(batch, Task([gate](const TaskContext &) {
                                         gate->acquire();
                                         return TaskOutcome::done();
                                     })));
    QVERIFY(pool.engine().closeBatch(batch));
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), Patience); // a first flush to measure from
    gate->release(100);
    const auto last = [&spy] {
        return qvariant_cast<PoolStats>(spy.last().at(0));
    };
    QTRY_COMPARE_WITH_TIMEOUT(last().processed, qint64(100), Patience);
    double best = 0;
    for (const QList<QVariant> &args : spy)
        best = qMax(best, qvariant_cast<PoolStats>(args.at(0)).throughput);
    QVERIFY(best > 0);
    QTRY_COMPARE_WITH_TIMEOUT(last().throughput, 0.0, Patience);
    QVERIFY(!spy.wait(1500)); // idle: no more updates, no timer left running
}

// Issue 14, bug 7: canceling 1000 queued tasks showed as a burst of speed. Canceled tasks are
// no work done: the rate stays 0 and `processed` counts none of them.
void tst_WorkerPool::canceledTasksAreNoThroughput()
{
    WorkerPool pool(config(1));
    QSignalSpy spy(&pool, &WorkerPool::statsUpdated);
    const BatchId batch = pool.engine().createBatch();
    pool.engine().pauseBatch(batch);
    for (int i = 0; i < 1000; ++i)
        QVERIFY(pool.engine().submit(batch, noop()));
    QVERIFY(pool.engine().closeBatch(batch));
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), Patience);
    pool.engine().cancelBatch(batch);
    const auto last = [&spy] {
        return qvariant_cast<PoolStats>(spy.last().at(0));
    };
    QTRY_COMPARE_WITH_TIMEOUT(last().completed, qint64(1000), Patience);
    for (const QList<QVariant> &args : spy) {
        const PoolStats stats = qvariant_cast<PoolStats>(args.at(0));
        QCOMPARE(stats.processed, qint64(0));
        QCOMPARE(stats.throughput, 0.0);
    }
}

void tst_WorkerPool::shutdownFlushesEveryResult()
{
    WorkerPool pool(config(2));
    Receiver rx(pool);
    const BatchId batch = pool.engine().createBatch();
    for (int i = 0; i < 50; ++i)
        QVERIFY(pool.engine().submit(batch, noop()));
    QVERIFY(pool.engine().waitForIdle(QDeadlineTimer(Patience)));

    QVERIFY(pool.shutdown(QDeadlineTimer(Patience)));
    // No event loop ran: the last flush emitted directly.
    QCOMPARE(rx.resultCount(), qint64(50));
    QCOMPARE(rx.wrongThread, 0);
}

// The shutdown runs on a helper thread: the caller's event loop keeps running while a task
// holds the pool past the call, and shutdownFinished comes after every result, the canceled
// ones included.
void tst_WorkerPool::shutdownInBackgroundKeepsTheLoopServed()
{
    WorkerPool pool(config(1));
    Receiver rx(pool);
    const BatchId batch = pool.engine().createBatch();
    QSemaphore started, release;
    QVERIFY(pool.engine().submit(batch, Task([&](const TaskContext &) {
                                     started.release();
                                     release.acquire();
                                     return TaskOutcome::done();
                                 })));
    for (int i = 0; i < 20; ++i)
        QVERIFY(pool.engine().submit(batch, noop())); // queued behind it: canceled
    QVERIFY(started.tryAcquire(1, Patience));
    QSignalSpy finished(&pool, &WorkerPool::shutdownFinished);
    pool.shutdownInBackground(QDeadlineTimer(Patience));
    pool.shutdownInBackground(QDeadlineTimer(Patience)); // a second call does nothing
    bool loopRan = false;
    QTimer::singleShot(0, &pool, [&] {
        loopRan = true;
        release.release();
    });
    QVERIFY(finished.wait(Patience));
    QVERIFY(loopRan);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(rx.resultCount(), qint64(21));
    QCOMPARE(rx.wrongThread, 0);
    QVERIFY(pool.engine().isShutDown());
}

// The acceptance test: 200,000 no-op tasks, every result seen once by the receiving
// event loop, counters that add up, and fewer than 1,000 progress emissions. "Fewer than
// 1,000" is what the coalescing (at most one per 40 ms interval) gives a run shorter than
// 40 s; a loaded machine may take longer, so the bound checked is the pace itself: one
// emission per interval over the run, plus the batch's final count. Without coalescing there
// would be one per result block, thousands of them.
void tst_WorkerPool::twoHundredThousandResults()
{
    constexpr int Count = 200000;
    WorkerPool pool(config(2));
    Receiver rx(pool);
    QSignalSpy finished(&pool, &WorkerPool::batchFinished);
    PoolEngine &engine = pool.engine();
    QElapsedTimer elapsed;
    elapsed.start();
    const BatchId batch = engine.createBatch();
    for (int i = 0; i < Count; ++i)
        QVERIFY(engine.submit(batch, noop(quint64(i))));
    QVERIFY(engine.closeBatch(batch));

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 240000);
    const qint64 ms = elapsed.elapsed();

    QCOMPARE(rx.resultCount(), qint64(Count));
    std::vector<quint8> seen(Count, 0);
    for (quint64 tag : rx.tags) {
        QVERIFY(tag < quint64(Count));
        QVERIFY2(++seen[tag] == 1, "a result arrived twice");
    }
    std::unordered_set<TaskId> ids(rx.taskIds.begin(), rx.taskIds.end());
    QCOMPARE(ids.size(), size_t(Count));

    const BatchSummary summary = qvariant_cast<BatchSummary>(finished.first().at(0));
    QCOMPARE(summary.id, batch);
    QVERIFY(summary.counters.addsUp());
    QCOMPARE(summary.counters.done, qint64(Count));
    QVERIFY(engine.counters(batch).addsUp());
    QVERIFY(engine.totals().addsUp());
    QCOMPARE(engine.totals().done, qint64(Count));
    QCOMPARE(rx.progressNotAddingUp, 0);
    const int allowed = int(ms / pool.progressIntervalMs()) + 2;
    QVERIFY2(rx.progress.value(batch) <= allowed,
             qPrintable(QString("%1 progress emissions in %2 ms (at most %3)")
                            .arg(rx.progress.value(batch))
                            .arg(ms)
                            .arg(allowed)));
    QVERIFY(rx.progress.value(batch) > 0);
    QCOMPARE(rx.wrongThread, 0);
}

QTEST_GUILESS_MAIN(tst_WorkerPool)
// A batch that ends is delivered without waiting out the progress interval (here a minute:
// the wait below would time out if it were not brought forward).
void tst_WorkerPool::endedBatchIsDeliveredAtOnce()
{
    WorkerPool pool(config(2));
    pool.setProgressIntervalMs(60000);
    Receiver rx(pool);
    QSignalSpy finished(&pool, &WorkerPool::batchFinished);
    const BatchId batch = pool.engine().createBatch();
    QVERIFY(pool.engine().submit(batch, noop()));
    QVERIFY(pool.engine().closeBatch(batch));
    QVERIFY(finished.wait(Patience));
    QCOMPARE(rx.resultsWhenFinished.value(batch), qint64(1)); // its result came first
    QCOMPARE(rx.lastProgress.value(batch).done, qint64(1));   // and its final progress
}

// Flushes brought forward for ended batches do not speed up the progress of a batch that is
// still running: at most one emission per interval, however many small batches end meanwhile.
void tst_WorkerPool::endedBatchesDoNotRaiseProgressPace()
{
    constexpr int IntervalMs = 100;
    WorkerPool pool(config(2));
    pool.setProgressIntervalMs(IntervalMs);
    Receiver rx(pool);
    QSignalSpy finished(&pool, &WorkerPool::batchFinished);
    PoolEngine &engine = pool.engine();
    const BatchId running = engine.createBatch();
    for (int i = 0; i < 100000; ++i) // far more than the test lets finish
        QVERIFY(engine.submit(running, busy(100)));
    QElapsedTimer elapsed;
    elapsed.start();
    for (int i = 0; i < 40; ++i) {
        const BatchId small = engine.createBatch();
        QVERIFY(engine.submit(small, noop()));
        QVERIFY(engine.closeBatch(small));
        QTRY_VERIFY_WITH_TIMEOUT(rx.hasFinished(small), Patience);
    }
    const qint64 ms = elapsed.elapsed();
    QVERIFY(engine.cancelBatch(running));
    // One at the start, one per interval after it, and one for the cancel just now. The pool
    // reads its clock in whole milliseconds, so an interval may look up to 1 ms short to it:
    // counted that way, the bound holds however long a loaded machine makes the loop.
    const int allowed = int(ms / (IntervalMs - 1)) + 2;
    QVERIFY2(rx.progress.value(running) <= allowed,
             qPrintable(QString("%1 progress emissions in %2 ms (at most %3)")
                            .arg(rx.progress.value(running))
                            .arg(ms)
                            .arg(allowed)));
    QCOMPARE(int(finished.size()), 40);
}

#include "tst_workerpool.moc"

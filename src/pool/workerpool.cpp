#include "workerpool.h"

#include <QMetaObject>
#include <QThread>
#include <memory>

namespace sluice {

namespace {
void registerMetaTypes()
{
    static const bool done = [] {
        qRegisterMetaType<TaskResult>();
        qRegisterMetaType<QVector<TaskResult>>();
        qRegisterMetaType<BatchSummary>();
        qRegisterMetaType<BatchCounters>();
        qRegisterMetaType<PoolStats>();
        qRegisterMetaType<BatchState>();
        qRegisterMetaType<BatchId>("sluice::BatchId");
        return true;
    }();
    Q_UNUSED(done);
}
} // namespace

WorkerPool::WorkerPool(const PoolConfig &config, QObject *parent)
    : QObject(parent)
    , m_engine(config)
{
    registerMetaTypes();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &WorkerPool::flush);
    m_sinceFlush.start();
    m_clock.start();
    // Called from worker threads with the engine's lock held: only post, never call back.
    m_engine.setEventsCallback([this](bool batchEnded) {
        QMetaObject::invokeMethod(
            this, [this, batchEnded] { onEventsPending(batchEnded); }, Qt::QueuedConnection);
    });
}

WorkerPool::~WorkerPool()
{
    if (m_stopper)
        m_stopper->wait(); // shutdown() returns by its deadline plus a small grace
    m_engine.setEventsCallback(nullptr);
    if (!m_engine.isShutDown())
        m_engine.shutdown(QDeadlineTimer(5000));
}

void WorkerPool::setProgressIntervalMs(int ms)
{
    m_intervalMs = qMax(1, ms);
}

void WorkerPool::setMaxChunk(int results)
{
    m_maxChunk = qMax(1, results);
}

bool WorkerPool::shutdown(QDeadlineTimer deadline)
{
    const bool inTime = m_engine.shutdown(deadline);
    flush();
    return inTime;
}

void WorkerPool::shutdownInBackground(QDeadlineTimer deadline)
{
    if (m_stopper)
        return;
    PoolEngine *engine = &m_engine;
    auto inTime = std::make_shared<bool>(false);
    m_stopper =
        QThread::create([engine, deadline, inTime] { *inTime = engine->shutdown(deadline); });
    m_stopper->setParent(this);
    connect(m_stopper, &QThread::finished, this, [this, inTime] {
        flush(); // every remaining result and ended batch, canceled ones included
        emit shutdownFinished(*inTime);
    });
    m_stopper->start();
}

// A batch that ended is delivered at once (within EndedGapMs of the last flush), not at the
// next tick: the CLI exits and the GUI shows Finished without waiting out the interval. The
// progress of other batches keeps its own pace (see flush()).
void WorkerPool::onEventsPending(bool batchEnded)
{
    if (!batchEnded) {
        scheduleFlush();
        return;
    }
    const int wait = int(qMax<qint64>(0, EndedGapMs - m_sinceFlush.elapsed()));
    if (!m_timer.isActive() || m_timer.remainingTime() > wait) {
        m_timer.start(wait);
        m_earlyFlush = true;
    }
}

// At most one flush per interval: the first events after a quiet spell wait out the rest of
// the interval, so bursts coalesce and progress stays near 25 per second per batch.
void WorkerPool::scheduleFlush()
{
    if (m_timer.isActive())
        return;
    const qint64 elapsed = m_sinceFlush.elapsed();
    m_timer.start(int(qMax<qint64>(0, m_intervalMs - elapsed)));
}

void WorkerPool::flush()
{
    m_sinceFlush.restart();
    // A local: a receiver connected directly may call flush() or shutdown() from its slot.
    PoolEvents events;
    m_engine.takeEvents(events);
    // Results first, so that a batchFinished never overtakes its results.
    emitResults(events.results);
    const bool early = m_earlyFlush;
    m_earlyFlush = false;
    const bool progressHeldBack = emitProgress(early);
    for (const auto &change : events.stateChanges)
        emit batchStateChanged(change.first, change.second);
    emitFinished(events.finished);
    const PoolStats stats = emitStats();
    // Keep statistics flowing while work is in flight, even when no task completes; once idle,
    // one more update a second later, so that the rate shown comes down to 0.
    if (stats.running + stats.queued + stats.retrying > 0 || progressHeldBack)
        scheduleFlush();
    else if (stats.throughput > 0 && !m_timer.isActive())
        m_timer.start(IdleStatsMs);
}

// The engine's blocks go out as they are (a QVector is shared, not copied); small neighbours
// are merged so that a burst of single results is one emission, and a block over the chunk
// size is split.
void WorkerPool::emitResults(std::vector<QVector<TaskResult>> &blocks)
{
    QVector<TaskResult> merged;
    auto emitMerged = [&] {
        if (!merged.isEmpty())
            emit resultsReady(merged);
        merged = QVector<TaskResult>();
    };
    const qsizetype maxChunk = m_maxChunk;
    for (QVector<TaskResult> &block : blocks) {
        if (block.size() >= SmallBlock && block.size() <= maxChunk) {
            emitMerged();
            emit resultsReady(block);
            continue;
        }
        for (qsizetype i = 0; i < block.size(); ++i) {
            if (merged.size() >= maxChunk)
                emitMerged();
            if (merged.isEmpty())
                merged.reserve(qMin(maxChunk, block.size() - i));
            merged.append(std::move(block[i]));
        }
    }
    emitMerged();
}

// Progress for every batch whose counters moved since the last emission; a finished batch had
// its final progress before its batchFinished and gets none after it. In a flush brought
// forward for an ended batch (`early`), a batch whose progress went out less than an interval
// ago waits for a later flush: ended batches must not raise anyone's pace. Returns whether one
// was held back.
bool WorkerPool::emitProgress(bool early)
{
    const qint64 nowMs = m_clock.elapsed();
    bool heldBack = false;
    for (BatchId id : m_engine.batches()) {
        if (m_finished.contains(id))
            continue;
        const BatchCounters now = m_engine.counters(id);
        auto it = m_lastProgress.find(id);
        if (it != m_lastProgress.end() && it.value() == now)
            continue;
        const auto at = m_lastProgressAt.constFind(id);
        if (early && at != m_lastProgressAt.constEnd() && nowMs - at.value() < m_intervalMs) {
            heldBack = true;
            continue;
        }
        m_lastProgress.insert(id, now);
        m_lastProgressAt.insert(id, nowMs);
        emit batchProgress(id, now);
    }
    return heldBack;
}

void WorkerPool::emitFinished(const std::vector<BatchSummary> &finished)
{
    for (const BatchSummary &summary : finished) {
        // The last progress of a finished batch is its final count, even if it was removed.
        auto it = m_lastProgress.find(summary.id);
        if (it == m_lastProgress.end() || it.value() != summary.counters)
            emit batchProgress(summary.id, summary.counters);
        m_lastProgress.remove(summary.id);
        m_lastProgressAt.remove(summary.id);
        m_finished.insert(summary.id);
        emit batchFinished(summary);
    }
}

PoolStats WorkerPool::emitStats()
{
    PoolStats stats = m_engine.stats();
    const qint64 nowNs = m_clock.nsecsElapsed();
    if (m_lastStatsNs > 0 && nowNs > m_lastStatsNs) {
        const double instant =
            double(stats.processed - m_lastProcessed) * 1e9 / double(nowNs - m_lastStatsNs);
        // Smooth over about a second so the number is readable.
        const double alpha = qMin(1.0, double(nowNs - m_lastStatsNs) / 1e9);
        m_throughput = m_throughput + alpha * (instant - m_throughput);
    }
    m_lastProcessed = stats.processed;
    m_lastStatsNs = nowNs;
    stats.throughput = m_throughput;
    emit statsUpdated(stats);
    return stats;
}

} // namespace sluice

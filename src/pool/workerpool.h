// QObject facade over PoolEngine. Emits, in the thread this object lives in, coalesced batch
// progress (at most one per batch per progress interval, 40 ms by default, so about 25 per
// second), per-task results in chunks (none lost), batch state changes, batch finished
// summaries and pool statistics. Workers never touch receivers directly.
//
// Signal order within one flush: resultsReady, batchProgress, batchStateChanged, batchFinished,
// statsUpdated. A batch's batchFinished comes after all of its results.
#pragma once

#include "poolengine.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QVector>

class QThread;

namespace sluice {

class WorkerPool : public QObject
{
    Q_OBJECT
public:
    explicit WorkerPool(const PoolConfig &config = {}, QObject *parent = nullptr);
    // Shuts the engine down (5 s deadline unless shutdown() was called before).
    ~WorkerPool() override;

    PoolEngine &engine() { return m_engine; }
    const PoolEngine &engine() const { return m_engine; }

    void setProgressIntervalMs(int ms); // default 40 (25 per second)
    int progressIntervalMs() const { return m_intervalMs; }
    void setMaxChunk(int results); // results per resultsReady emission, default 4096

    // Convenience: shutdown on the engine, then one last flush so every result is emitted.
    bool shutdown(QDeadlineTimer deadline);
    // Emits everything pending now (also used by tests and at shutdown).
    void flush();
    // The same shutdown without blocking the caller: the engine's shutdown runs on a helper
    // thread (a child of this object) while this thread keeps serving its event loop; then one
    // last flush, and shutdownFinished. A second call while one is under way does nothing.
    void shutdownInBackground(QDeadlineTimer deadline);

signals:
    void resultsReady(const QVector<sluice::TaskResult> &results);
    void batchProgress(sluice::BatchId batch, const sluice::BatchCounters &counters);
    void batchStateChanged(sluice::BatchId batch, sluice::BatchState state);
    void batchFinished(const sluice::BatchSummary &summary);
    void statsUpdated(const sluice::PoolStats &stats);
    // After shutdownInBackground(): every result has been emitted; stoppedInTime as returned
    // by PoolEngine::shutdown().
    void shutdownFinished(bool stoppedInTime);

private:
    void onEventsPending(bool batchEnded);
    void scheduleFlush();
    void emitResults(std::vector<QVector<TaskResult>> &blocks);
    bool emitProgress(bool early);
    void emitFinished(const std::vector<BatchSummary> &finished);
    PoolStats emitStats();

    PoolEngine m_engine;
    QThread *m_stopper = nullptr; // shutdownInBackground()'s helper thread
    QTimer m_timer;
    QElapsedTimer m_sinceFlush;
    QElapsedTimer m_clock;
    int m_intervalMs = 40;
    int m_maxChunk = 4096;
    static constexpr qsizetype SmallBlock = 64; // engine blocks under this are merged
    QHash<BatchId, BatchCounters> m_lastProgress;
    QHash<BatchId, qint64> m_lastProgressAt; // m_clock ms of each batch's last progress
    static constexpr qint64 EndedGapMs = 4;  // an ended batch is flushed at most this late
    static constexpr int IdleStatsMs = 1000; // once idle, the last statistics (a rate of 0)
    bool m_earlyFlush = false;               // the timer was brought forward for an ended batch
    QSet<BatchId> m_finished;                // batches whose batchFinished was emitted
    qint64 m_lastProcessed = 0;
    qint64 m_lastStatsNs = 0;
    double m_throughput = 0;
};

} // namespace sluice

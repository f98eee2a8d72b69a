// Owns the worker pool and one BatchRunner per batch (the runner owns the batch's journal,
// sink, feeder and records). Turns user actions (add, pause, cancel, priority, retry, remove,
// shut down) into runner and pool calls. GUI thread only; it never blocks on the pool: feeders
// block on submit, and shutdown runs on the pool's helper thread. Views listen to pool() for
// progress and to this object for the rest.
#pragma once

#include "batchplan.h"

#include <QObject>
#include <QVector>
#include <batchrunner.h>
#include <journal.h>
#include <memory>
#include <unordered_map>
#include <workerpool.h>

namespace sluice::app {

class BatchManager : public QObject
{
    Q_OBJECT
public:
    explicit BatchManager(const PoolConfig &config, QObject *parent = nullptr);
    // Stops feeders and shuts the pool down (5 s) if beginShutdown() has not done so.
    ~BatchManager() override;

    WorkerPool &pool() { return *m_pool; }
    // Tests: runs inside every task before the image job (see TaskHook).
    void setTaskHook(TaskHook hook) { m_hook = std::move(hook); }

    // A new batch of `inputs` with these settings; 0 when the output cannot be created (the
    // reason in `error`) or the pool is shut down.
    BatchId addBatch(const QStringList &inputs, const RecipeSettings &settings,
                     Priority priority = Priority::Normal, QString *error = nullptr);
    // Where batches keep their journals (Journal::defaultDirectory() unless set; empty: no
    // journals). Set before the first batch.
    void setJournalDirectory(const QString &directory) { m_journalDirectory = directory; }
    QString journalDirectory() const { return m_journalDirectory; }
    // Batches that an earlier session left unfinished (closed past the shutdown deadline,
    // killed, crashed), which no running process holds.
    QList<Journal::Summary> unfinishedJobs() const;
    // Continues such a job as a new batch: what its journal records as done is kept, the rest
    // is done. 0 with `error` set when it cannot (held by another process, other settings).
    BatchId resumeJob(const Journal::Summary &job, QString *error = nullptr);
    // Forgets such a job (deletes its journal).
    bool discardJob(const Journal::Summary &job);

    // A new batch of the batch's failed items, same recipe, same output folder (a ZIP batch
    // gets a new "-retry" archive). 0 when nothing failed.
    BatchId retryFailed(BatchId batch, QString *error = nullptr);

    void pause(BatchId batch);
    void resume(BatchId batch);
    void cancel(BatchId batch);
    void setPriority(BatchId batch, Priority priority);
    // Forgets a finished or canceled batch. False while it is still active.
    bool remove(BatchId batch);
    void pauseAll();
    void resumeAll();
    void cancelAll();
    // Whether "Pause All" holds every batch (also those added since); pausedAllChanged says when
    // that changes.
    bool isPausedAll() const;

    bool contains(BatchId batch) const { return m_batches.count(batch) > 0; }
    QString name(BatchId batch) const;
    Priority priority(BatchId batch) const;
    QString outputPath(BatchId batch) const; // the folder or the archive
    bool isZipOutput(BatchId batch) const;
    bool isScanning(BatchId batch) const;
    bool isActive(BatchId batch) const; // not yet Finished or Canceled
    bool hasActiveBatches() const;
    qint64 failedCount(BatchId batch) const;
    const QVector<ItemRecord> &items(BatchId batch) const; // in completion order
    InputItem inputOf(BatchId batch, quint64 tag) const;

    // Stops accepting work and shuts the pool down on a helper thread: running images get
    // until the deadline, then are canceled (no partial output). shutdownFinished follows.
    void beginShutdown(int timeoutMs);
    bool isShuttingDown() const { return m_shuttingDown; }

signals:
    void batchAdded(sluice::BatchId batch);
    void batchRemoved(sluice::BatchId batch);
    void priorityChanged(sluice::BatchId batch, sluice::Priority priority);
    void scanFinished(sluice::BatchId batch, qint64 submitted);
    void itemsAdded(sluice::BatchId batch, int first, int count);
    // A ZIP output was completed (ok) or discarded, or a folder batch ended.
    void outputClosed(sluice::BatchId batch, bool ok, const QString &error);
    void shutdownFinished(bool stoppedInTime);
    void pausedAllChanged(bool paused);

private:
    struct Batch
    {
        QString name;
        Priority priority = Priority::Normal;
        OutputChoice outputChoice;
        std::unique_ptr<BatchRunner> runner;
    };

    BatchId startBatch(BatchSpec spec, const OutputChoice &outputChoice, QString *error);
    void handleShutdownDone(bool inTime);
    Batch *find(BatchId batch);
    const Batch *find(BatchId batch) const;

    std::unique_ptr<WorkerPool> m_pool;
    qint64 m_maxQueued = 64;
    TaskHook m_hook;
    QString m_journalDirectory = Journal::defaultDirectory();
    // Node-based, and declared after the pool: runners go before the pool they use.
    std::unordered_map<BatchId, Batch> m_batches;
    bool m_shuttingDown = false;
};

} // namespace sluice::app

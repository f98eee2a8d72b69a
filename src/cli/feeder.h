// The feeder: a thread that walks the inputs lazily with an InputScanner and submits one pool
// task per item to one batch. The batch's queue bound (BatchOptions::maxQueued) makes submit()
// block, so the scanner stays only a little ahead of the workers; the main thread never blocks.
// Closes the batch when the inputs are exhausted (or when asked to stop).
#pragma once

#include <QMutex>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <inputscanner.h>
#include <journal.h>
#include <memory>
#include <poolengine.h>
#include <recipe.h>
#include <sink.h>
#include <vector>

namespace sluice::cli {

// What the feeder submitted, indexed by the task tag. Appended by the feeder thread, read by
// the main thread when results arrive. Thread-safe.
class ItemLog
{
public:
    struct Entry
    {
        QString sourcePath; // the file, or the archive
        QString entryName;  // archive entries only
        QString relativePath;
    };

    quint64 append(Entry entry);
    Entry at(quint64 tag) const;
    qint64 size() const;

private:
    mutable QMutex m_mutex;
    std::vector<Entry> m_entries; // guarded by m_mutex
};

struct FeedSettings
{
    QStringList inputs;
    QStringList excludedPaths; // the output folder or archive
    int shardIndex = 0;        // 0-based
    int shardCount = 1;
};

class Feeder : public QThread
{
    Q_OBJECT
public:
    // The engine, sink and log must outlive the thread. `journal` may be null (no journal).
    Feeder(PoolEngine &engine, BatchId batch, std::shared_ptr<const Recipe> recipe, Sink &sink,
           ItemLog &log, FeedSettings settings, std::shared_ptr<Journal> journal = {},
           QObject *parent = nullptr);

    // Any thread. Stops after the current item; a blocked submit() is released by canceling
    // the batch or shutting the pool down.
    void requestStop() { m_stop.store(true); }
    qint64 submitted() const { return m_submitted.load(); }
    qint64 outOfShard() const { return m_outOfShard.load(); }
    // Valid once the thread has finished.
    InputScanner::Counters scannerCounters() const { return m_counters; }

signals:
    // From the feeder thread: every input has been listed (or feeding stopped).
    void scanFinished(qint64 submitted);

protected:
    void run() override;

private:
    bool submitItem(const InputItem &item);

    PoolEngine &m_engine;
    BatchId m_batch;
    std::shared_ptr<const Recipe> m_recipe;
    std::shared_ptr<Sink> m_sink; // not owning: the Runner's sink outlives every task
    ItemLog &m_log;
    FeedSettings m_settings;
    std::shared_ptr<Journal> m_journal;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_submitted{0};
    std::atomic<qint64> m_outOfShard{0};
    InputScanner::Counters m_counters;
};

} // namespace sluice::cli

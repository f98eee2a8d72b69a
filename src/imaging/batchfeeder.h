// A batch's feeder: a thread that walks the inputs lazily with an InputScanner (or replays a
// list of items, for "retry failed") and submits one pool task per item. The batch's queue
// bound (BatchOptions::maxQueued) makes submit() block, so the scanner stays only a little
// ahead of the workers and the owner's thread never blocks. Items outside the plan's shard are
// counted, not submitted. Closes the batch when the inputs are exhausted or when asked to stop.
// BatchRunner owns one per batch.
#pragma once

#include "inputscanner.h"
#include "itemlog.h"
#include "jobtask.h"
#include "journal.h"
#include "recipe.h"
#include "sink.h"

#include <QStringList>
#include <QThread>
#include <atomic>
#include <memory>
#include <poolengine.h>
#include <vector>

namespace sluice {

struct FeedPlan
{
    QStringList inputs;           // scanned when `items` is empty
    std::vector<InputItem> items; // replayed as they are (retry)
    QStringList excludedPaths;    // the output folder or archive
    bool includeRootName = true;  // InputScanner::setIncludeRootName
    bool includeHidden = false;   // InputScanner::setIncludeHidden
    int shardIndex = 0;           // 0-based; scanned inputs only
    int shardCount = 1;
};

class BatchFeeder : public QThread
{
    Q_OBJECT
public:
    // The engine must outlive the thread; the sink and log are shared with the tasks.
    // `journal` may be null (no journal).
    BatchFeeder(PoolEngine &engine, BatchId batch, std::shared_ptr<const Recipe> recipe,
                std::shared_ptr<Sink> sink, std::shared_ptr<ItemLog> log, FeedPlan plan,
                std::shared_ptr<Journal> journal = {}, TaskHook hook = {},
                QObject *parent = nullptr);

    // Any thread. Stops after the current item; a blocked submit() is released by canceling
    // the batch or shutting the pool down.
    void requestStop() { m_stop.store(true); }
    BatchId batch() const { return m_batch; }
    qint64 submitted() const { return m_submitted.load(); }
    qint64 outOfShard() const { return m_outOfShard.load(); }
    // Valid once scanFinished was emitted.
    InputScanner::Counters scannerCounters() const { return m_counters; }

signals:
    // From the feeder thread: every input has been listed (or feeding stopped).
    void scanFinished(sluice::BatchId batch, qint64 submitted);

protected:
    void run() override;

private:
    void scanInputs();
    void replayItems();
    bool submitItem(const InputItem &item);

    PoolEngine &m_engine;
    BatchId m_batch;
    std::shared_ptr<const Recipe> m_recipe;
    std::shared_ptr<Sink> m_sink;
    std::shared_ptr<ItemLog> m_log;
    FeedPlan m_plan;
    std::shared_ptr<Journal> m_journal;
    TaskHook m_hook;
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_submitted{0};
    std::atomic<qint64> m_outOfShard{0};
    InputScanner::Counters m_counters; // written by the thread before scanFinished
};

} // namespace sluice

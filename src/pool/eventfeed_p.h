// The event feed: results, state changes and batch summaries recorded for the one consumer that
// drains them with PoolEngine::takeEvents() (the WorkerPool facade), and the callback that tells
// it when there is something to take (private to src/pool).
//
// Ownership and threads: PoolEnginePrivate::feed. Everything is called with the pool's lock held
// (by workers as tasks end, by PoolEngine's methods), except appendCanceledResults(), which
// works on what take() handed over, without the lock. The callback runs with the pool's lock
// held, possibly in a worker thread: it may only schedule work, never call into the engine.
#pragma once

#include "batch_p.h"
#include "poolengine.h"

#include <deque>
#include <functional>
#include <vector>

namespace sluice {

// Tasks canceled before they ran, handed over whole (a batch's queue, or what it had in the
// intake) so that the lock holder does not build a result per task.
struct DeferredCanceled
{
    BatchId batch = 0;
    std::deque<QueuedTask> queued;
    std::vector<QueuedTask> intake;
};

class EventFeed
{
public:
    // Without collection nothing is recorded (the callers check before building a result).
    bool collects() const { return m_collect; }
    void setCollect(bool collect);
    // Called at once when something is waiting already.
    void setCallback(std::function<void(bool batchEnded)> onPending);

    void addResult(TaskResult &&result);        // appended to the last block
    void addBlock(QVector<TaskResult> &&block); // a chunk's results, handed over whole
    void addStateChange(BatchId batch, BatchState state);
    // A batch reached Finished or Canceled: always announced, worth delivering now.
    void addFinished(BatchSummary &&summary);
    // Tasks canceled before they ran, whose results the consumer builds (when collecting).
    void addCanceled(BatchId batch, std::deque<QueuedTask> &&queued);
    void addCanceled(BatchId batch, std::vector<QueuedTask> &&intake);

    // Hands over everything recorded (lock held); the canceled tasks' results are built after,
    // without the lock, by appendCanceledResults().
    void take(PoolEvents &out, std::vector<DeferredCanceled> &canceled);
    static void appendCanceledResults(std::vector<DeferredCanceled> &canceled, PoolEvents &out);

private:
    // After appending: tell the consumer when the feed was empty before.
    void announce(bool wasEmpty)
    {
        if (wasEmpty && m_onPending)
            m_onPending(false);
    }

    bool m_collect = true;
    PoolEvents m_events;
    // Tasks canceled while queued, whose results takeEvents() builds (see cancelPending_locked).
    std::vector<DeferredCanceled> m_deferredCanceled;
    std::function<void(bool batchEnded)> m_onPending;
};

} // namespace sluice

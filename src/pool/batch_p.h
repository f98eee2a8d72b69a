// A queued task and a batch, as the engine keeps them (private to src/pool).
//
// Ownership: PoolEnginePrivate::batches owns every Batch (unique_ptr) until removeBatch();
// rings, the retry queue, chunks and the intake hold plain pointers, valid while the batch has
// tasks anywhere. Every field is guarded by the pool's lock unless its comment says otherwise.
#pragma once

#include "pooltypes.h"
#include "tokenbucket.h"

#include <atomic>
#include <deque>
#include <vector>

namespace sluice {

struct QueuedTask
{
    TaskFunction run;
    qint64 cost = 0;
    quint64 tag = 0;
    TaskId id = 0;
    int attempts = 0; // runs made so far
};

struct Batch
{
    BatchId id = 0;
    QString name;
    Priority priority = Priority::Normal;
    qint64 maxQueued = 0; // also read under intakeMutex alone: written with both locks held
    std::deque<QueuedTask> queue;
    TokenBucket rate; // the batch's own policy, asked by DispatchPolicy
    BatchCounters counters;
    BatchState state = BatchState::Queued;
    bool paused = false;
    QString pauseReason;   // set when a Blocked outcome paused the batch
    bool canceled = false; // also read under intakeMutex alone: written with both locks held
    bool closed = false;   // also read under intakeMutex alone: written with both locks held
    bool started = false;
    bool inRing = false; // BatchRings: the batch is in the ring of its level
    int blockedProducers = 0;
    int activeChunks = 0;  // workers running a chunk of this batch's tiny tasks
    qint64 avgTaskNs = -1; // moving average of task wall time; -1 until measured
    int timedTasks = 0;
    qint64 firstDispatchNs = 0; // steady clock, for the summary's elapsed time
    qint64 finishNs = 0;
    std::atomic<bool> cancelToken{false}; // read by running tasks without the lock
    // Submitted without the pool's lock and not yet in `queue` (see intake.cpp).
    std::vector<QueuedTask> incoming; // guarded by intakeMutex
    std::vector<QueuedTask> drained;  // pool's lock: `incoming`'s other buffer, kept for capacity
};

// A task taken off the queue by a worker, with what it needs to run and to report.
struct Dispatched
{
    Batch *batch = nullptr;
    QueuedTask task;
    qint64 nowNs = 0; // the dispatcher's time (0 when no time policy was active)
    // The rate buckets' generations when the task took its tokens (DispatchPolicy::started).
    quint64 globalRateGeneration = 0;
    quint64 batchRateGeneration = 0;
};

} // namespace sluice

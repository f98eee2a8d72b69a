// Chunks of tiny tasks (private to src/pool; the code is in chunk.cpp).
//
// Ownership: a Chunk lives on the stack of the worker that runs it (runChunk); while it runs,
// PoolEnginePrivate::chunks points to it, so that anyone holding the pool's lock can reclaim its
// unstarted tasks and count its progress.
#pragma once

#include "batch_p.h"

#include <atomic>
#include <optional>
#include <vector>

namespace sluice {

// A run of one batch's tiny tasks taken by one worker for one lock round trip. The worker claims
// tasks one by one with `next` and runs them without the lock; anyone holding the pool's lock
// may reclaim the unclaimed rest by exchanging `next` to `size` and moving them back to the
// batch's queue. Until the chunk ends, its tasks stay counted as queued internally; counters
// published to callers move the started and finished ones to running and their outcomes.
struct Chunk
{
    Batch *batch = nullptr;
    std::vector<QueuedTask> tasks;
    int size = 0;
    std::atomic<int> next{1}; // task 0 is claimed when the chunk is made
    int reclaimedFrom = -1;   // under the pool's lock: where a reclaim cut the chunk
    qint64 chargedCost = 0;   // memory charged for the chunk's running task
    std::atomic<qint64> finished[4] = {{0}, {0}, {0}, {0}}; // by ResultStatus
};

// How a chunk's run ended: tasks run (claimed ones, in order from the first), and the outcome
// of the last one when it was a transient failure or Blocked, which ends a chunk.
struct ChunkEnd
{
    qint64 ran = 0;
    std::optional<TaskOutcome> stopped;
};

} // namespace sluice

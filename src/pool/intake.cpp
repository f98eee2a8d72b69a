// Submitting: the intake that lets submit() to an unbounded batch skip the pool's lock, its
// handshake with parking workers and running chunks (see the Intake section of poolengine_p.h),
// and the bounded path that waits for room under the pool's lock.
#include "poolengine.h"
#include "poolengine_p.h"

namespace sluice {

// drainIntake_locked() found the intake pending.
void PoolEnginePrivate::moveIntake_locked()
{
    {
        PoolGuard intake(intakeMutex);
        swapIntake_held();
    }
    queueDrained_locked();
}

// Takes every batch's `incoming` buffer (in exchange for its empty spare) while both locks are
// held; queueDrained_locked() then moves the tasks with only the pool's lock, so a producer
// waits for a few swaps, not for the moves.
void PoolEnginePrivate::swapIntake_held()
{
    for (Batch *b : intakeBatches) {
        b->incoming.swap(b->drained);
        drainList.push_back(b);
    }
    intakeBatches.clear();
    intakePending.store(0, std::memory_order_seq_cst);
}

void PoolEnginePrivate::queueDrained_locked()
{
    for (Batch *b : drainList) {
        const qint64 n = qint64(b->drained.size());
        b->counters.submitted += n;
        totals.submitted += n;
        if (b->canceled || !lifecycle.acceptsWork()) {
            // Submitted before the cancel, so accepted, and canceled at once: handed over whole
            // (see cancelPending_locked), which keeps cancel and shutdown O(batches).
            b->counters.canceled += n;
            totals.canceled += n;
            feed.addCanceled(b->id, std::move(b->drained));
            b->drained = std::vector<QueuedTask>();
            continue;
        }
        for (QueuedTask &t : b->drained)
            b->queue.push_back(std::move(t));
        b->drained.clear();
        if (b->drained.capacity() > MaxSpareCapacity)
            b->drained = std::vector<QueuedTask>(); // a burst's buffer is not kept for good
        b->counters.queued += n;
        totals.queued += n;
        submitCount += quint64(n);
        enterRing_locked(*b);
    }
    drainList.clear();
}

void PoolEnginePrivate::updateChunkHint_locked()
{
    quint64 hint = 0;
    for (const Chunk *c : chunks) {
        if (hint == 0)
            hint = c->batch->id;
        else if (hint != c->batch->id)
            hint = MixedChunks;
    }
    if (chunkBatchHint.load(std::memory_order_relaxed) != hint)
        chunkBatchHint.store(hint, std::memory_order_seq_cst);
}

// needLock counts "fewer threads than the target" once while that holds: a submit must then take
// the lock, to start a thread for its task.
void PoolEnginePrivate::syncThreadHint_locked()
{
    const bool isShort = liveThreads < target;
    if (isShort == shortHinted)
        return;
    shortHinted = isShort;
    needLock.fetch_add(isShort ? 1 : -1, std::memory_order_seq_cst);
}

// Waits, with the lock held on entry and exit, until the batch has room for one more queued
// task. Returns the refusal that ended the wait, or Accepted.
SubmitStatus PoolEnginePrivate::waitForRoom_locked(PoolLock &lock, BatchId id, Batch *&b,
                                                   QDeadlineTimer deadline)
{
    SubmitStatus refusal = refusal_locked(b);
    while (refusal == SubmitStatus::Accepted && b->maxQueued > 0 &&
           b->counters.queued >= b->maxQueued) {
        if (deadline.hasExpired())
            return SubmitStatus::TimedOut;
        ++b->blockedProducers;
        if (deadline.isForever())
            roomInQueue.wait(lock);
        else
            roomInQueue.wait_until(lock, steadyPoint(deadline.deadlineNSecs()));
        --b->blockedProducers; // removeBatch() leaves a batch alone while producers wait on it
        b = find_locked(id);
        refusal = refusal_locked(b);
    }
    return refusal;
}

// Queues `count` tasks with the pool's lock held. The intake is emptied and their ids taken in one
// intakeMutex section, so they come after everything submitted before and before anything
// submitted after: ids keep growing along each queue (returnToQueue_locked relies on it).
TaskId PoolEnginePrivate::enqueue_locked(Batch &b, Task *tasks, qint64 count)
{
    TaskId first;
    {
        PoolGuard intake(intakeMutex);
        swapIntake_held();
        first = nextTaskId;
        nextTaskId += TaskId(count);
    }
    queueDrained_locked();
    for (qint64 i = 0; i < count; ++i) {
        Task &task = tasks[i];
        b.queue.push_back(
            QueuedTask{std::move(task.run), task.costBytes, task.tag, first + TaskId(i), 0});
    }
    b.counters.submitted += count;
    b.counters.queued += count;
    totals.submitted += count;
    totals.queued += count;
    submitCount += quint64(count);
    enterRing_locked(b);
    return first;
}

SubmitResult PoolEngine::submit(BatchId batch, Task task, QDeadlineTimer deadline)
{
    // Unbounded batches: into the intake, without the pool's lock (see PoolEnginePrivate).
    TaskId id = 0;
    bool first = false; // the batch had nothing in the intake
    {
        PoolGuard intake(d->intakeMutex);
        Batch *b = d->find_locked(batch);
        const SubmitStatus refusal = d->refusal_locked(b);
        if (refusal != SubmitStatus::Accepted)
            return {refusal, 0, 0};
        if (b->maxQueued == 0) {
            id = d->nextTaskId++;
            first = b->incoming.empty();
            if (first) {
                if (d->intakeBatches.empty())
                    d->intakePending.store(1, std::memory_order_seq_cst);
                d->intakeBatches.push_back(b);
            }
            b->incoming.push_back(QueuedTask{std::move(task.run), task.costBytes, task.tag, id, 0});
        }
    }
    if (id != 0) {
        // The lock is needed to wake or start a worker, and when a chunk of another batch runs:
        // it may have to give tasks back now that this batch has work (fairness, priority).
        if (!first)
            return {SubmitStatus::Accepted, id, 1};
        const quint64 chunkBatch = d->chunkBatchHint.load(std::memory_order_seq_cst);
        if (d->needLock.load(std::memory_order_seq_cst) > 0 ||
            (chunkBatch != 0 && chunkBatch != batch)) {
            PoolGuard lock(d->mutex);
            d->drainIntake_locked();
            Batch *b = d->find_locked(batch);
            if (b && !d->pausedAll && !b->paused && d->needsAnotherWorker_locked(*b))
                d->wakeWorkers_locked(false);
        }
        return {SubmitStatus::Accepted, id, 1};
    }

    // Bounded batches wait for room under the pool's lock.
    PoolLock lock(d->mutex);
    Batch *b = d->find_locked(batch);
    const SubmitStatus refusal = d->waitForRoom_locked(lock, batch, b, deadline);
    if (refusal != SubmitStatus::Accepted)
        return {refusal, 0, 0};
    id = d->enqueue_locked(*b, &task, 1);
    if (!d->pausedAll && !b->paused && d->needsAnotherWorker_locked(*b))
        d->wakeWorkers_locked(false);
    return {SubmitStatus::Accepted, id, 1};
}

SubmitResult PoolEngine::submitMany(BatchId batch, std::vector<Task> &tasks,
                                    QDeadlineTimer deadline)
{
    PoolLock lock(d->mutex);
    Batch *b = d->find_locked(batch);
    SubmitResult result{SubmitStatus::Accepted, 0, 0};
    if (tasks.empty())
        return result;
    if (b && b->maxQueued == 0) {
        result.status = d->refusal_locked(b);
        if (result.status != SubmitStatus::Accepted)
            return result;
        result.taskId = d->enqueue_locked(*b, tasks.data(), qint64(tasks.size()));
        result.accepted = qint64(tasks.size());
        if (!d->pausedAll && !b->paused)
            d->wakeWorkers_locked(true);
        return result;
    }
    for (Task &task : tasks) {
        result.status = d->waitForRoom_locked(lock, batch, b, deadline);
        if (result.status != SubmitStatus::Accepted)
            break;
        const TaskId id = d->enqueue_locked(*b, &task, 1);
        if (result.accepted++ == 0)
            result.taskId = id;
        // Bounded batches: let workers start while this producer waits for room.
        if (b->maxQueued > 0 && b->counters.queued >= b->maxQueued && !d->pausedAll && !b->paused)
            d->wakeWorkers_locked(true);
    }
    if (b && result.accepted > 0 && !d->pausedAll && !b->paused)
        d->wakeWorkers_locked(true);
    return result;
}

SubmitResult PoolEngine::trySubmit(BatchId batch, Task task)
{
    // submit() with an expired deadline never waits: a full queue comes back as TimedOut.
    SubmitResult r = submit(batch, std::move(task), QDeadlineTimer(0));
    if (r.status == SubmitStatus::TimedOut)
        r.status = SubmitStatus::WouldBlock;
    return r;
}

} // namespace sluice
